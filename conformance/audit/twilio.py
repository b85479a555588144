"""Twilio Access Tokens, audited against Twilio's own SDKs: TWILIO-1 (the Java SDK's jti repeats: its timestamp is
computed in float) and TWILIO-2 (no SDK bounds the TTL, and the same TTL gives three lifetimes: node turns 0 into an
hour, Java wraps a TTL over 24.8 days into the past).

The tokens are made by the SDKs themselves (``twilio-node``, ``twilio-python``, ``twilio-java``); what a Twilio service
accepts is decided by the documented rules (``twilio.access_token.verify``). The secret used here is a TEST secret.
"""

from __future__ import annotations

import time
from typing import Any

from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, answer, call, reference_versions
from conformance.audit.model import Finding, proof
from conformance.audit.segments import b64url_json, token_parts
from conformance.catalog.flows import TWILIO_NOW
from conformance.errors import MalformedToken

FLOW = "twilio_access_token"
SDK_REFERENCES = ("twilio-node", "twilio-python", "twilio-java")
#: A TEST API key secret (never a real one), 40 bytes.
TEST_SECRET = "TWILIO audit TEST secret, 40 bytes long!"
BASE: dict[str, Any] = {
    "accountSid": "AC" + "0" * 32,
    "keySid": "SK" + "1" * 32,
    "secret": TEST_SECRET,
    "identity": "alice",
    "ttl": None,
    "nbf": None,
    "region": None,
    "grants": [{"type": "chat", "serviceSid": "IS" + "2" * 32}],
}
#: TTLs whose lifetimes the SDKs disagree on: 0, a day and a second, 30 days (Java's int milliseconds overflow)
TTLS = (0, 86_401, 2_592_000)


def claims_of(token: str) -> dict[str, Any]:
    """The claims of a compact JWS (no verification). Raises :class:`MalformedToken` when it is not three base64url
    segments with a JSON object for payload, :class:`InvalidArgument` for what is not text."""
    claims = b64url_json(token_parts(token)[1], "the token's payload")
    if not isinstance(claims, dict):
        raise MalformedToken("the token's payload is not a JSON object")
    return claims


def _token(reference: str, now: int | None = None, **changes: Any) -> Any:
    if reference == "twilio-java":
        return call(reference, "twilio.access_token.token_java", {**BASE, **changes})
    sdk = reference.removeprefix("twilio-")
    return call(reference, f"twilio.access_token.create_{sdk}", {**BASE, **changes, "now": now or TWILIO_NOW})


TWILIO_1 = Details(
    id="TWILIO-1",
    flow=FLOW,
    title="The Java SDK's jti repeats for about two minutes: its timestamp is computed in float",
    severity="low",
    severity_reasoning=(
        "AccessToken writes jti = keySid + '-' + (int) Math.floor(now / 1000.0f): the millisecond clock is widened "
        "to a float, whose 24-bit mantissa holds today's epoch in steps of 128 seconds. Every token one API key "
        "issues within a 128-second window carries the same jti, and the timestamp is up to 64 s off. A service or "
        "brand that uses jti to detect replays or to revoke one token treats distinct tokens as one. node and "
        "Python write the exact second."
    ),
    cwe="CWE-681",
    attacker_model="A user who obtains two tokens for different identities in one window (a brand's token endpoint).",
    preconditions=[
        "The brand issues tokens with twilio-java (com.twilio.sdk:twilio) and relies on jti being unique.",
    ],
    mitigation=(
        "Twilio: compute the timestamp in long arithmetic (now.getTime() / 1000) and add a random part to jti. "
        "Brands: never rely on jti for uniqueness; key replay or revocation state on (iss, sub, identity, iat)."
    ),
)

TWILIO_2 = Details(
    id="TWILIO-2",
    flow=FLOW,
    title="No Twilio SDK bounds the TTL, and one TTL gives three lifetimes (0: an hour in node; 30 days: the past in Java)",
    severity="medium",
    severity_reasoning=(
        "Twilio refuses tokens valid for more than 24 hours, but every SDK signs any TTL, so the error surfaces "
        "only when a client connects. Worse, the same TTL means different things: node's ttl || 3600 turns 0 into "
        "an hour (a brand that passes 0 to mean 'no access' issues a working token), Python and Java sign a token "
        "expired at issuance, and Java computes ttl * 1000 in 32-bit int arithmetic, so a TTL over 2,147,483 s "
        "(24.8 days) wraps to an exp in the past or far from the one asked for."
    ),
    cwe="CWE-190",
    attacker_model="None needed: a brand's configuration (a TTL of 0, or of days) silently gives other lifetimes.",
    preconditions=["The brand derives the TTL from configuration and issues tokens with more than one SDK."],
    mitigation=(
        "Twilio: refuse a TTL outside 1..86,400 in every SDK, treat 0 alike, compute Java's expiry in long. Brands: "
        "bound the TTL yourself and test the token's exp after issuing it."
    ),
)


@proof("TWILIO-1", FLOW, ("twilio-java",), TWILIO_1)
def _prove_jti_repeats() -> Finding:
    """Two Java tokens more than a second apart share a jti (retried once across a 128-s boundary); node's and
    Python's tokens a second apart do not."""
    if (skipped := TWILIO_1.unavailable(["twilio-java", "twilio-node", "twilio-python"])) is not None:
        return skipped
    with Stopwatch() as watch:
        java = []
        for _ in range(2):
            first = _token("twilio-java")
            time.sleep(1.1)
            second = _token("twilio-java")
            java = [first, second]
            if accepted(first) and accepted(second) and claims_of(first.value)["jti"] == claims_of(second.value)["jti"]:
                break
        others = {
            ref: [_token(ref, TWILIO_NOW), _token(ref, TWILIO_NOW + 1)] for ref in ("twilio-node", "twilio-python")
        }
    java_claims = [claims_of(o.value) for o in java if accepted(o)]
    same_jti = len(java_claims) == 2 and java_claims[0]["jti"] == java_claims[1]["jti"]
    exp_moved = len(java_claims) == 2 and java_claims[0]["exp"] != java_claims[1]["exp"]
    stamp = int(java_claims[0]["jti"].rsplit("-", 1)[1]) if java_claims else 0
    distinct = {
        ref: all(map(accepted, pair)) and claims_of(pair[0].value)["jti"] != claims_of(pair[1].value)["jti"]
        for ref, pair in others.items()
    }
    proved = same_jti and exp_moved and stamp % 128 == 0 and all(distinct.values())
    why = (
        f"Two tokens from the Java SDK 1.1 s apart: exp {'differs' if exp_moved else 'is the same'}, jti "
        f"{'is the same' if same_jti else 'differs'} ({java_claims[0]['jti'] if java_claims else '-'}; its timestamp "
        f"{stamp} is {'a' if stamp % 128 == 0 else 'not a'} multiple of 128). node and Python, one second apart: "
        + ", ".join(f"{ref} {'distinct jti' if ok else 'same jti'}" for ref, ok in distinct.items())
        + "."
    )
    return TWILIO_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=["twilio-java twilio.access_token.token_java twice, 1.1 s apart", "node and Python SDK tokens 1 s apart"],
        references=reference_versions(list(SDK_REFERENCES)),
        figures={"queries": len(java) + 4, "sdk_seconds": watch.seconds, "float_step_seconds": 128},
        artifacts={"java_tokens": [o.value for o in java if accepted(o)]},
    )


@proof("TWILIO-2", FLOW, SDK_REFERENCES, TWILIO_2)
def _prove_ttl() -> Finding:
    """Each SDK signs TTLs 0, 86,401 and 2,592,000; the documented verifier's verdict and the token's lifetime."""
    if (skipped := TWILIO_2.unavailable([*SDK_REFERENCES, PORT])) is not None:
        return skipped
    lifetimes: dict[str, dict[int, int | None]] = {}
    verdicts: dict[str, dict[int, str]] = {}
    tokens: dict[str, dict[int, str]] = {}
    with Stopwatch() as watch:
        for ref in SDK_REFERENCES:
            lifetimes[ref], verdicts[ref], tokens[ref] = {}, {}, {}
            for ttl in TTLS:
                before = int(time.time())
                made = _token(ref, ttl=ttl)
                if not accepted(made):
                    verdicts[ref][ttl] = f"not signed ({answer(made)})"
                    continue
                claims = claims_of(made.value)
                issued = int(claims["jti"].rsplit("-", 1)[1]) if ref != "twilio-java" else before
                lifetimes[ref][ttl] = claims["exp"] - issued
                tokens[ref][ttl] = made.value
                args = {"token": made.value, "secret": TEST_SECRET, "now": issued}
                verdicts[ref][ttl] = answer(call(PORT, "twilio.access_token.verify", args))
    all_signed = all(len(tokens[ref]) == len(TTLS) for ref in SDK_REFERENCES)
    node_zero_hour = lifetimes["twilio-node"].get(0) == 3600 and lifetimes["twilio-python"].get(0) == 0
    java_wraps = (lifetimes["twilio-java"].get(2_592_000) or 0) < 0
    over_max = all(verdicts[ref].get(86_401) == "TtlTooLong" for ref in SDK_REFERENCES)
    proved = all_signed and node_zero_hour and java_wraps and over_max
    why = (
        "Lifetimes (exp minus the clock) each SDK gave for TTL "
        + ", ".join(str(t) for t in TTLS)
        + ": "
        + "; ".join(f"{ref} " + ", ".join(f"{v}" for v in lifetimes[ref].values()) for ref in SDK_REFERENCES)
        + ". The documented verifier's verdicts: "
        + "; ".join(f"{ref} " + ", ".join(verdicts[ref].values()) for ref in SDK_REFERENCES)
        + ". Every SDK signed every TTL."
        if all_signed
        else ". Some SDK refused a TTL."
    )
    return TWILIO_2.finding(
        "proved" if proved else "refuted",
        why,
        ran=[f"each SDK's token for TTL {', '.join(map(str, TTLS))}", "twilio.access_token.verify of each"],
        references=reference_versions([*SDK_REFERENCES, PORT]),
        figures={"queries": 2 * len(TTLS) * len(SDK_REFERENCES), "sdk_seconds": watch.seconds},
        artifacts={"lifetimes": {r: {str(k): v for k, v in d.items()} for r, d in lifetimes.items()}, "tokens": tokens},
    )


__all__ = ["BASE", "TEST_SECRET", "TTLS", "claims_of"]
