"""Stream Chat user tokens, audited against Stream's own SDKs: STREAM-1 (a default token lives for ever; an ``exp``
of 0 is dropped by two SDKs) and STREAM-2 (the development token: no secret, accepted wherever auth checks are off,
and its user id mangled above U+00FF).

The tokens are made by the SDKs themselves (``stream-node``, ``stream-python``, ``stream-java``); what an app
accepts is decided by Stream's documented rules (``stream.token.verify``, HS256 under the API secret, ``user_id``,
``exp`` when present) and confirmed by PyJWT's HS256 verification. The secret used here is a TEST secret.
"""

from __future__ import annotations

from typing import Any

from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, answer, call, call_many, reference_versions
from conformance.audit.model import Finding, proof
from conformance.catalog.flows import STREAM_NOW

FLOW = "stream_chat_token"
SDK_REFERENCES = ("stream-node", "stream-python", "stream-java")
#: A TEST API secret (never a real one): 40 bytes, long enough for the Java SDK's jjwt.
TEST_SECRET = "STREAM audit TEST secret, 40 bytes long."
CENTURY = 100 * 365 * 86_400
#: user ids a development token cannot tell apart: each pair has the same low bytes of its UTF-16 code units
MANGLED = (("\u4e2d", "-"), ("\u0161imon", "aimon"), ("\u0141ukasz", "Aukasz"))


def _create(reference: str, **args: Any) -> Any:
    sdk = reference.removeprefix("stream-")
    return call(reference, f"stream.token.create_{sdk}", {"secret": TEST_SECRET, "userId": "alice", **args})


def _verify(token: str, *, now: int, user_id: str | None = None, auth_checks: bool = True) -> Any:
    args = {"token": token, "secret": TEST_SECRET, "now": now, "userId": user_id, "authChecks": auth_checks}
    return call(PORT, "stream.token.verify", args)


def _pyjwt_claims(token: str) -> dict[str, Any] | None:
    """PyJWT's HS256 verification with its default claim checks (``exp`` when present), or ``None``."""
    import jwt

    try:
        return dict(jwt.decode(token, TEST_SECRET, algorithms=["HS256"], options={"verify_iat": False}))
    except jwt.InvalidTokenError:
        return None


STREAM_1 = Details(
    id="STREAM-1",
    flow=FLOW,
    title="Every Stream SDK signs user tokens without exp by default, and node and Python drop an exp of 0",
    severity="medium",
    severity_reasoning=(
        "createToken(userId) in node, Python and Java writes no exp, so the token is accepted for as long as the "
        "app's API secret lives: a token leaked from a page, a log or a device opens the user's chat for ever, and "
        "Stream offers no per-token revocation short of revoking all of a user's tokens. A brand that computes "
        "exp = now + ttl with a ttl of 0, or passes 0 meaning 'expire now', gets a never-expiring token from node "
        "and Python (if (exp) / if exp:) and an expired one from Java: the same call, opposite lifetimes."
    ),
    cwe="CWE-613",
    attacker_model="Someone who obtained one user token once (page source, logs, a shared device); no secret.",
    preconditions=[
        "The brand calls createToken / create_token / User.createToken without an expiry (the SDKs' default), or "
        "with an exp of 0.",
        "The app's API secret is not rotated (rotation invalidates every user's session at once).",
    ],
    mitigation=(
        "Brands: always pass an exp (minutes to hours) and refresh tokens with a token provider; never pass 0. "
        "Stream: give createToken a default lifetime, treat exp = 0 alike in every SDK, and refuse tokens without "
        "exp in apps that opt in."
    ),
)

STREAM_2 = Details(
    id="STREAM-2",
    flow=FLOW,
    title="A development token needs no secret, is accepted wherever auth checks are off, and mangles user ids",
    severity="high",
    severity_reasoning=(
        "devToken(userId) is header.payload.devtoken: anyone can write one for any user id without the API "
        "secret. An app whose auth checks were disabled for development (and left so in production) accepts it, "
        "which is full impersonation of any user. The node SDK also keeps only the low byte of each UTF-16 code "
        "unit, so ids above U+00FF collapse onto other ids (U+4E2D becomes '-')."
    ),
    cwe="CWE-287",
    attacker_model="Anyone who knows (or guesses) a user id of an app whose auth checks are off; no secret.",
    preconditions=[
        "The app's 'Disable Auth Checks' setting is on (Stream's dashboard, meant for development).",
    ],
    mitigation=(
        "Stream: refuse development tokens in production apps, or bind them to a development flag; encode the "
        "payload as UTF-8. Brands: keep auth checks on in every app that real users reach."
    ),
)


@proof("STREAM-1", FLOW, SDK_REFERENCES, STREAM_1)
def _prove_forever() -> Finding:
    """Each SDK's default token verifies a century later; with exp 0, node's and Python's tokens have no exp and
    still verify a century later while Java's is already expired."""
    if (skipped := STREAM_1.unavailable([*SDK_REFERENCES, PORT])) is not None:
        return skipped
    with Stopwatch() as watch:
        default = {ref: _create(ref, iat=STREAM_NOW) for ref in SDK_REFERENCES}
        zero = {ref: _create(ref, exp=0, iat=STREAM_NOW) for ref in SDK_REFERENCES}
        later = STREAM_NOW + CENTURY
        forever = {ref: accepted(o) and accepted(_verify(o.value, now=later)) for ref, o in default.items()}
        zero_forever = {ref: accepted(o) and accepted(_verify(o.value, now=later)) for ref, o in zero.items()}
        zero_now = {ref: answer(_verify(o.value, now=STREAM_NOW)) for ref, o in zero.items() if accepted(o)}
    no_exp = {ref: "exp" not in (_pyjwt_claims(o.value) or {"exp": None}) for ref, o in default.items() if accepted(o)}
    proved = all(forever.values()) and all(no_exp.values()) and zero_forever["stream-node"]
    proved = proved and zero_forever["stream-python"] and not zero_forever["stream-java"]
    why = (
        "Default tokens (no exp given) accepted a century after signing: "
        + ", ".join(f"{ref} {'yes' if ok else 'no'}" for ref, ok in forever.items())
        + "; PyJWT finds no exp claim in "
        + ", ".join(ref for ref, absent in no_exp.items() if absent)
        + ". With exp 0: accepted a century later "
        + ", ".join(f"{ref} {'yes' if ok else 'no'}" for ref, ok in zero_forever.items())
        + "; at signing time the verifier answers "
        + ", ".join(f"{ref} {verdict}" for ref, verdict in zero_now.items())
        + "."
    )
    return STREAM_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "each SDK's create-token op, without exp and with exp 0 (iat fixed)",
            "stream.token.verify (Stream's documented rules) at signing time and a century later",
            "PyJWT jwt.decode(HS256) of each default token",
        ],
        references=reference_versions([*SDK_REFERENCES, PORT]),
        figures={"queries": 6, "sdk_seconds": watch.seconds, "century_seconds": CENTURY},
        artifacts={
            "test_secret": TEST_SECRET,
            "default_tokens": {ref: o.value for ref, o in default.items() if accepted(o)},
            "exp_zero_tokens": {ref: o.value for ref, o in zero.items() if accepted(o)},
        },
    )


@proof("STREAM-2", FLOW, ("stream-node",), STREAM_2)
def _prove_dev_token() -> Finding:
    """The node SDK's devToken, made with no secret, is accepted with auth checks off and refused with them on;
    pairs of ids give one and the same development token."""
    if (skipped := STREAM_2.unavailable(["stream-node", PORT])) is not None:
        return skipped
    ids = ["admin", *(name for pair in MANGLED for name in pair)]
    with Stopwatch() as watch:
        made = call_many("stream-node", [("stream.token.dev_node", {"userId": user_id}) for user_id in ids])
    tokens = {user_id: o.value for user_id, o in zip(ids, made, strict=True) if accepted(o)}
    admin = tokens.get("admin", "")
    off = _verify(admin, now=STREAM_NOW, user_id="admin", auth_checks=False)
    on = _verify(admin, now=STREAM_NOW, user_id="admin", auth_checks=True)
    collisions = [f"{a!r} = {b!r}" for a, b in MANGLED if a in tokens and tokens[a] == tokens.get(b)]
    proved = accepted(off) and not accepted(on) and admin.endswith(".devtoken") and len(collisions) == len(MANGLED)
    why = (
        f"The node SDK made the development token of 'admin' without any secret: it ends in '.devtoken'. With auth "
        f"checks off the documented verifier answers {answer(off)}, with them on {answer(on)}. Development tokens "
        f"of different ids are identical: {', '.join(collisions) or 'none'}."
    )
    return STREAM_2.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            f"stream-node stream.token.dev_node x{len(ids)} (one batch)",
            "stream.token.verify of the admin development token, auth checks off and on",
        ],
        references=reference_versions(["stream-node", PORT]),
        figures={"queries": len(ids) + 2, "sdk_seconds": watch.seconds, "collisions": len(collisions)},
        artifacts={"dev_tokens": tokens},
    )


__all__ = ["MANGLED", "SDK_REFERENCES", "TEST_SECRET"]
