"""The HS256 identity JWTs (Zendesk messaging, Intercom Messenger, Kustomer chat), audited against node
``jsonwebtoken`` and PyJWT: ZENDESK-1 and INTERCOM-1 (a token without ``exp`` never expires), KUSTOMER-1 (``iat`` is
the only freshness: a token replays for 15 minutes, and a future ``iat`` keeps it alive), ZENDESK-2 (PyJWT reads
a numeric-string ``exp`` that jsonwebtoken refuses), DRIFT-1 (Drift's ENABLED mode: every token the check refuses
falls back to the unsigned identity).

Every token is signed by node (the brand's documented ``jwt.sign``) with a TEST secret, then verified by each
reference of the flow through the contract at the times the proof chooses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance import catalog, jsjson, registry
from conformance.arguments import INT64_MAX, INT64_MIN, require_int, require_items, require_mapping, require_str
from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, answer, call_many, reference_versions
from conformance.audit.model import Finding, proof
from conformance.codecs import encode_base64_url_safe
from conformance.errors import InvalidArgument, MalformedToken, ReferenceFailure
from conformance.kinds.jwt import NOW

SECRET, KID = "HS256 audit TEST secret", "app_audit_test_key"
YEAR = 365 * 86400
REFERENCES = ("node", "pyjwt")
ANSWERING = (PORT, *REFERENCES)  # the port is asked beside the references
#: The most times one :func:`verdicts` call checks a token at (each time is one call per implementation).
MAX_TIMES = 64


def _op(value: Any, name: str, kind: str) -> str:
    """``value`` when it names an op of ``kind`` (``hs256_jwt.sign`` or ``hs256_jwt.verify``) in the catalog."""
    found = catalog.part(require_str(value, name))
    if found is None or found.kind.name != kind:
        raise InvalidArgument(f"{name} must name an op of the {kind} kind")
    return value  # type: ignore[no-any-return]


def _now(value: Any, name: str = "now") -> int:
    return require_int(value, name, minimum=INT64_MIN, maximum=INT64_MAX)


def _keys(verify_op: str) -> dict[str, Any]:
    found = catalog.part(verify_op)
    if found is not None and found.params["kid"] == "required":
        return {"keys": [{"kid": KID, "secret": SECRET}]}
    return {"secret": SECRET}


def signed(sign_op: str, claims: Mapping[str, Any], now: int = NOW) -> str:
    """The token node's ``jwt.sign`` makes of ``claims`` at ``now``. Raises :class:`ReferenceFailure` when node
    does not sign, :class:`InvalidArgument` for a ``sign_op`` that is no ``hs256_jwt.sign`` op, ``claims`` that are
    not a mapping, a ``now`` that is not a 64-bit int."""
    found = catalog.part(_op(sign_op, "sign_op", "hs256_jwt.sign"))
    args: dict[str, Any] = {"claims": dict(require_mapping(claims, "claims")), "secret": SECRET, "now": _now(now)}
    if found is not None and found.params["kid"] == "required":
        args["keyId"] = KID
    (outcome,) = call_many("node", [(sign_op, args)])
    if not accepted(outcome):
        raise ReferenceFailure(f"node did not sign: {answer(outcome)}")
    return str(outcome.value)


def verdicts(verify_op: str, token: str, times: list[int]) -> dict[str, list[str]]:
    """Each implementation's answer (``accepted`` or its reason) for ``token`` at each of ``times``. Raises
    :class:`InvalidArgument` for a ``verify_op`` that is no ``hs256_jwt.verify`` op, a ``token`` that is not text,
    ``times`` that are not a list of at most :data:`MAX_TIMES` 64-bit ints."""
    verify_op, token = _op(verify_op, "verify_op", "hs256_jwt.verify"), require_str(token, "token")
    times = [_now(at, "an item of times") for at in require_items(times, "times", int, limit=MAX_TIMES)]
    calls = [(verify_op, {"token": token, "now": now, **_keys(verify_op)}) for now in times]
    return {name: ["accepted" if accepted(o) else answer(o) for o in call_many(name, calls)] for name in ANSWERING}


def _never_expires(details: Details, sign_op: str, verify_op: str, claims: Mapping[str, Any]) -> Finding:
    if (skipped := details.unavailable(REFERENCES)) is not None:
        return skipped
    times = [NOW, NOW + YEAR, NOW + 10 * YEAR]
    with Stopwatch() as watch:
        token = signed(sign_op, claims)
        seen = verdicts(verify_op, token, times)
        bounded = verdicts(verify_op, signed(sign_op, {**claims, "exp": NOW + 3600}), times)
    forever = all(answers == ["accepted"] * len(times) for answers in seen.values())
    honoured = all(answers[0] == "accepted" and answers[1] != "accepted" for answers in bounded.values())
    why = (
        f"node signed {dict(claims)} at {NOW} with no exp; verified at now, +1 year and +10 years it is "
        f"{seen}. With exp = now + 1 h the same check answers {bounded}: exp is honoured when present, and nothing "
        "bounds a token without it."
    )
    return details.finding(
        "proved" if forever and honoured else "refuted",
        why,
        ran=[
            f"node {sign_op} without exp, and with exp = now + 3600",
            f"{verify_op} by {', '.join(ANSWERING)} at now, now + 1 year, now + 10 years",
        ],
        references=reference_versions(ANSWERING),
        figures={
            "queries": 2 + 2 * len(times) * len(ANSWERING),
            "seconds": watch.seconds,
            "verdicts": seen,
            "with_exp": bounded,
        },
        artifacts={"token": token, "secret": SECRET, "now": NOW},
    )


ZENDESK_1 = Details(
    id="ZENDESK-1",
    flow="zendesk_messaging_jwt",
    title="A messaging JWT without exp never expires: one leaked token signs its user in for ever",
    severity="medium",
    severity_reasoning=(
        "exp is optional in Zendesk's claims and honoured only when present. A token the brand's backend signs "
        "without one (the document's examples have none) is valid until the signing key is deleted: anyone who "
        "copies it from the page, a log or a proxy logs in as that user, years later."
    ),
    cwe="CWE-613",
    attacker_model="Someone who saw one user's messaging JWT once; no secret.",
    preconditions=["The brand signs the documented claims without exp.", "The signing key is still active."],
    mitigation="Brands: always set exp (minutes). Zendesk: require exp and cap its distance from iat.",
)
INTERCOM_1 = Details(
    id="INTERCOM-1",
    flow="intercom_messenger_jwt",
    title="An intercom_user_jwt without exp never expires: the Messenger trusts it for ever",
    severity="medium",
    severity_reasoning=(
        "Intercom lets the brand choose exp ('if you set an expiry'). A token signed without one, as the Rails "
        "helper's JWT.encode({user_id}) would be, stays valid until the Messenger API secret is rotated."
    ),
    cwe="CWE-613",
    attacker_model="Someone who saw one user's intercom_user_jwt once; no secret.",
    preconditions=["The brand signs {user_id, ...} without exp."],
    mitigation="Brands: sign with expiresIn matching the session. Intercom: require exp on Messenger JWTs.",
)


@proof("ZENDESK-1", ZENDESK_1.flow, REFERENCES, ZENDESK_1)
def _prove_zendesk_forever() -> Finding:
    """The documented claims without exp verify now, in one year and in ten."""
    claims = {"scope": "user", "external_id": "1234567890", "email": "jane.soap@example.com"}
    return _never_expires(ZENDESK_1, "zendesk.messaging_jwt.sign", "zendesk.messaging_jwt.verify", claims)


@proof("INTERCOM-1", INTERCOM_1.flow, REFERENCES, INTERCOM_1)
def _prove_intercom_forever() -> Finding:
    """The documented claims without exp verify now, in one year and in ten."""
    claims = {"user_id": "123", "email": "user@example.com"}
    return _never_expires(INTERCOM_1, "intercom.messenger_jwt.sign", "intercom.messenger_jwt.verify", claims)


KUSTOMER_1 = Details(
    id="KUSTOMER-1",
    flow="kustomer_chat_jwt",
    title="iat is Kustomer's only freshness rule: a token replays for 15 minutes, and a future iat keeps it alive",
    severity="medium",
    severity_reasoning=(
        "The check is 'iat under 15 minutes old'. Within the window a copied token logs in as its user any number "
        "of times (no nonce, no single use); and nothing refuses an iat in the future, so a token signed with a "
        "clock ahead (or on purpose) stays valid until iat + 15 minutes, a year later if iat says so."
    ),
    cwe="CWE-613",
    attacker_model="Someone who copied one login JWT; or a brand backend whose clock runs ahead.",
    preconditions=["The check follows the document: signature, then now < iat + 15 minutes."],
    mitigation="Kustomer: refuse iat in the future (beyond a small skew) and make login tokens single-use (jti).",
)


@proof("KUSTOMER-1", KUSTOMER_1.flow, REFERENCES, KUSTOMER_1)
def _prove_kustomer_iat() -> Finding:
    """A fresh token replays until iat + 899 s; one with iat a year ahead verifies now and for a year."""
    if (skipped := KUSTOMER_1.unavailable(REFERENCES)) is not None:
        return skipped
    sign, verify = "kustomer.chat_jwt.sign", "kustomer.chat_jwt.verify"
    with Stopwatch() as watch:
        fresh = signed(sign, {"externalId": "user_8412", "iat": NOW})
        replay = verdicts(verify, fresh, [NOW, NOW + 60, NOW + 899, NOW + 900])
        ahead = signed(sign, {"externalId": "user_8412", "iat": NOW + YEAR})
        future = verdicts(verify, ahead, [NOW, NOW + YEAR // 2, NOW + YEAR + 899, NOW + YEAR + 900])
    library = pyjwt_default_iat(ahead)
    window = all(a[:3] == ["accepted"] * 3 and a[3] != "accepted" for a in replay.values())
    alive = all(a[:3] == ["accepted"] * 3 and a[3] != "accepted" for a in future.values())
    why = (
        f"iat = now, verified at now, +60 s, +899 s, +900 s: {replay}. iat = now + 1 year, verified at now, "
        f"+6 months, +1 year 899 s, +1 year 900 s: {future}. jsonwebtoken's maxAge has no future-iat rule; PyJWT's "
        f"own default (verify_iat) would answer {library!r} for that token at now: the SDKs disagree."
    )
    return KUSTOMER_1.finding(
        "proved" if window and alive else "refuted",
        why,
        ran=[
            f"node {sign} with iat = now and with iat = now + 1 year",
            f"{verify} by {', '.join(ANSWERING)} at the window's edges",
            "PyJWT jwt.decode with its default options on the future-iat token",
        ],
        references=reference_versions(ANSWERING),
        figures={
            "queries": 2 + 8 * len(ANSWERING) + 1,
            "seconds": watch.seconds,
            "replay": replay,
            "future_iat": future,
            "pyjwt_defaults": library,
        },
        artifacts={"fresh": fresh, "future": ahead, "secret": SECRET, "now": NOW},
    )


def pyjwt_default_iat(token: str, now: int = NOW) -> str:
    """What PyJWT's ``jwt.decode`` with its default options answers for ``token`` at ``now`` (asked through the
    registry's ``pyjwt`` bridge). Raises :class:`MalformedToken` for a token that is not ASCII text,
    :class:`InvalidArgument` for a ``now`` that is not a 64-bit int."""
    if not require_str(token, "token").isascii():
        raise MalformedToken("token must be ASCII (a compact JWS)")
    return str(registry.bridge("pyjwt").default_decode(token, SECRET, _now(now)))


ZENDESK_2 = Details(
    id="ZENDESK-2",
    flow="zendesk_messaging_jwt",
    title="PyJWT reads an exp sent as a numeric string (and truncates a fractional one); jsonwebtoken refuses it",
    severity="low",
    severity_reasoning=(
        "A backend that writes exp as a string ('1767229200') passes its own PyJWT tests, while a jsonwebtoken "
        "verifier refuses every token ('invalid exp value'); a PyJWT verifier given exp = now + 0.5 calls it "
        "expired where jsonwebtoken does not. No forgery, but the two SDKs disagree on the one freshness claim."
    ),
    cwe="CWE-20",
    attacker_model="None: an interoperability fault between the brand's and the vendor's JWT libraries.",
    preconditions=["The brand's exp is not a JSON integer."],
    mitigation="Write exp as a JSON integer of seconds; verifiers should refuse any other type.",
)


@proof("ZENDESK-2", ZENDESK_2.flow, REFERENCES, ZENDESK_2)
def _prove_exp_types() -> Finding:
    """A token with exp as a numeric string: PyJWT accepts it, jsonwebtoken and the port refuse it."""
    if (skipped := ZENDESK_2.unavailable(REFERENCES)) is not None:
        return skipped
    from conformance.kinds.jwt import _encode, _genuine_header

    verify = "zendesk.messaging_jwt.verify"
    params = catalog.part(verify).params  # type: ignore[union-attr]
    claims = {"scope": "user", "external_id": "1234567890"}
    header = _genuine_header(params, KID)
    as_text = _encode(header, {**claims, "exp": str(NOW + 3600)}, SECRET)
    half = _encode(header, {**claims, "exp": NOW + 0.5}, SECRET)
    with Stopwatch() as watch:
        text_answers = verdicts(verify, as_text, [NOW])
        half_answers = verdicts(verify, half, [NOW])
    disagree = text_answers["pyjwt"] == ["accepted"] and text_answers["node"] != ["accepted"]
    truncated = half_answers["node"] == ["accepted"] and half_answers["pyjwt"] != ["accepted"]
    why = (
        f"exp = '{NOW + 3600}' (a string): {text_answers}; exp = now + 0.5: {half_answers}. PyJWT converts exp "
        "with int(), jsonwebtoken requires typeof number."
    )
    return ZENDESK_2.finding(
        "proved" if disagree and truncated else "refuted",
        why,
        ran=[f"{verify} by {', '.join(ANSWERING)} on two HS256 tokens with odd exp types"],
        references=reference_versions(ANSWERING),
        figures={
            "queries": 2 * len(ANSWERING),
            "seconds": watch.seconds,
            "string_exp": text_answers,
            "fractional_exp": half_answers,
        },
        artifacts={"string_exp": as_text, "fractional_exp": half, "secret": SECRET, "now": NOW},
    )


DRIFT_1 = Details(
    id="DRIFT-1",
    flow="drift_signed_identity",
    title="Drift's ENABLED mode falls back to the unsigned identity: any visitor can be identified as any user",
    severity="high",
    severity_reasoning=(
        "Drift documents three modes; in ENABLED, 'in the event that a signed identity is invalid/expired, we will "
        "fall back to the unsigned identity'. The signature then decides nothing: a visitor who calls "
        "drift.identify with a victim's user id and no token, a forged one or an expired one is identified as the "
        "victim, and sees the victim's conversations. The document calls the mode 'useful for testing', but it is "
        "a setting a brand can leave on in production."
    ),
    cwe="CWE-287",
    attacker_model="Any visitor of the brand's site who knows (or guesses) another user's id; no key.",
    preconditions=["Signed identities are set to ENABLED, not REQUIRED.", "The site calls drift.identify."],
    mitigation="Brands: set signed identities to REQUIRED. Drift: do not fall back to an unsigned identity.",
)
VICTIM = "12345"


def enabled_mode(accepted_identity: Mapping[str, Any] | None, unsigned_user_id: str) -> str:
    """The user id Drift's documented ENABLED mode identifies the visitor as: the token's ``sub`` when the check
    accepts the token, else the unsigned ``drift.identify`` user id (the documented fallback). Raises
    :class:`InvalidArgument` for an identity that is not a mapping with a text ``sub``, or a user id that is not text."""
    unsigned_user_id = require_str(unsigned_user_id, "unsigned_user_id")
    if accepted_identity is not None:
        return require_str(
            require_mapping(accepted_identity, "accepted_identity").get("sub"), "accepted_identity's sub"
        )
    return unsigned_user_id


@proof("DRIFT-1", DRIFT_1.flow, REFERENCES, DRIFT_1)
def _prove_drift_fallback() -> Finding:
    """Tokens made without the signing key are refused by every check; ENABLED then identifies the visitor by the
    unsigned id of their choice."""
    if (skipped := DRIFT_1.unavailable(REFERENCES)) is not None:
        return skipped
    from conformance.kinds.jwt import _encode

    sign, verify = "drift.signed_identity.sign", "drift.signed_identity.verify"
    header = {"alg": "HS256", "typ": "JWT"}
    with Stopwatch() as watch:
        genuine = signed(sign, {"sub": "attacker-own-id", "exp": NOW + 3600})
        head, _body, signature = genuine.split(".")
        victim_body = encode_base64_url_safe(jsjson.utf8(jsjson.stringify({"sub": VICTIM})))
        attempts = {
            "no token": "",
            "alg none": _encode({**header, "alg": "none"}, {"sub": VICTIM}, "", "none"),
            "another key": _encode(header, {"sub": VICTIM}, "the attacker's own key"),
            "expired": signed(sign, {"sub": VICTIM, "exp": NOW - 60}),
            "sub changed": f"{head}.{victim_body}.{signature}",
        }
        calls = [(verify, {"token": token, "now": NOW, "secret": SECRET}) for token in attempts.values()]
        outcomes = {name: call_many(name, calls) for name in ANSWERING}
    refused = {name: [answer(o) for o in found] for name, found in outcomes.items()}
    identified = {
        name: [enabled_mode(o.value["identity"] if accepted(o) else None, VICTIM) for o in found]
        for name, found in outcomes.items()
    }
    all_refused = all(not accepted(o) for found in outcomes.values() for o in found)
    as_victim = all(ids == [VICTIM] * len(attempts) for ids in identified.values())
    why = (
        f"Without the signing key, {list(attempts)} were checked by {', '.join(ANSWERING)}: {refused}. REQUIRED "
        f"mode refuses each; ENABLED falls back to the unsigned drift.identify('{VICTIM}') and identifies the "
        f"visitor as {identified}: the signature decides nothing."
    )
    return DRIFT_1.finding(
        "proved" if all_refused and as_victim else "refuted",
        why,
        ran=[
            f"node {sign} (an expired token for the victim, the attacker's own valid token)",
            f"{verify} by {', '.join(ANSWERING)} on {len(attempts)} tokens made without the key",
            "Drift's documented ENABLED rule applied to each verdict",
        ],
        references=reference_versions(ANSWERING),
        figures={"queries": 2 + len(attempts) * len(ANSWERING), "seconds": watch.seconds, "verdicts": refused},
        artifacts={"attempts": attempts, "secret": SECRET, "now": NOW, "victim": VICTIM},
    )


__all__ = [
    "DRIFT_1",
    "INTERCOM_1",
    "KUSTOMER_1",
    "MAX_TIMES",
    "ZENDESK_1",
    "ZENDESK_2",
    "enabled_mode",
    "pyjwt_default_iat",
    "signed",
    "verdicts",
]
