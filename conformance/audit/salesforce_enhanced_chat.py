"""Salesforce Enhanced Chat user verification, audited against node ``jsonwebtoken`` and PyJWT: SALESFORCE-1 (the
check has no audience: any JWT the brand signs with a keyset key and issuer, for any service, is an Enhanced Chat
identity token, for as long as its exp says).

Every token is signed by node (the brand's ``jwt.sign`` with the RSA TEST key ``brand-a``), then verified by each
reference of the flow through the contract against a keyset holding that key's JWK.
"""

from __future__ import annotations

from typing import Any

from conformance import registry
from conformance.arguments import INT64_MAX, INT64_MIN, require_int, require_mapping, require_str
from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, answer, call_many, reference_versions
from conformance.audit.model import Finding, proof
from conformance.errors import InvalidArgument, MalformedToken, ReferenceFailure
from conformance.kinds.jwt import NOW
from conformance.testkeys import rsa_test_jwk, rsa_test_keys

SIGN, VERIFY = "salesforce.enhanced_chat.sign", "salesforce.enhanced_chat.verify"
REFERENCES = ("node", "pyjwt")
ANSWERING = (PORT, *REFERENCES)
ISSUER, KID = "https://brand.example", "brand-key-1"
YEAR = 365 * 86400
#: The most tokens one :func:`verdicts` call checks (each is one call per implementation).
MAX_TOKENS = 64


def signed(claims: dict[str, Any]) -> str:
    """The RS256 token node's ``jwt.sign`` makes of ``claims`` with the test key. Raises :class:`ReferenceFailure`
    when node does not sign, :class:`InvalidArgument` for ``claims`` that are not a mapping."""
    args = {
        "claims": dict(require_mapping(claims, "claims")),
        "privateKeyPem": rsa_test_keys()["brand-a"],
        "alg": "RS256",
        "keyId": KID,
        "now": NOW,
    }
    (outcome,) = call_many("node", [(SIGN, args)])
    if not accepted(outcome):
        raise ReferenceFailure(f"node did not sign: {answer(outcome)}")
    return str(outcome.value)


def verdicts(tokens: dict[str, str], now: int = NOW) -> dict[str, list[str]]:
    """Each implementation's answer (``accepted`` or its reason) for each token, against the brand's keyset. Raises
    :class:`InvalidArgument` for ``tokens`` that are not a mapping of at most :data:`MAX_TOKENS` texts, or a ``now``
    that is not a 64-bit int."""
    tokens = require_mapping(tokens, "tokens")
    if len(tokens) > MAX_TOKENS:
        raise InvalidArgument(f"tokens holds more than {MAX_TOKENS} items")
    tokens = {key: require_str(token, "a token of tokens") for key, token in tokens.items()}
    now = require_int(now, "now", minimum=INT64_MIN, maximum=INT64_MAX)
    keyset = {"keys": [rsa_test_jwk("brand-a", KID)]}
    calls = [(VERIFY, {"token": t, "now": now, "jwks": keyset, "issuer": ISSUER}) for t in tokens.values()]
    return {name: [answer(o) for o in call_many(name, calls)] for name in ANSWERING}


def pyjwt_defaults(token: str) -> str:
    """What PyJWT's ``jwt.decode`` with its default options (no audience given) answers for ``token`` at now (asked
    through the registry's ``pyjwt`` bridge). Raises :class:`MalformedToken` for a token that is not ASCII text."""
    if not require_str(token, "token").isascii():
        raise MalformedToken("token must be ASCII (a compact JWS)")
    return str(registry.bridge("pyjwt").default_decode_jwk(token, rsa_test_jwk("brand-a", KID), NOW, ISSUER))


SALESFORCE_1 = Details(
    id="SALESFORCE-1",
    flow="salesforce_enhanced_chat",
    title="No audience: any JWT the brand signs with a keyset key is an Enhanced Chat identity token",
    severity="medium",
    severity_reasoning=(
        "Salesforce's check is the keyset (kid, RS256/RS512), iss equal to the keyset's issuer, sub and exp; it "
        "documents no aud. A brand that signs its other JWTs (API access tokens, SSO assertions for another "
        "vendor) with the same key and issuer hands every holder of such a token a chat identity as that sub: "
        "the token's recipient (another service, a log, a proxy) can open the user's Enhanced Chat conversations. "
        "The lifetime is the brand's exp: ten years verifies as well as one hour."
    ),
    cwe="CWE-345",
    attacker_model="Anyone who holds another JWT the brand signed with the same key and issuer (no key needed).",
    preconditions=[
        "The brand's keyset key and issuer also sign tokens for another audience.",
        "Salesforce's check follows its documentation (no aud rule).",
    ],
    mitigation=(
        "Brands: a key and issuer used only for Enhanced Chat, and short exp. Salesforce: require an aud naming "
        "the deployment and cap exp - iat."
    ),
)


@proof("SALESFORCE-1", SALESFORCE_1.flow, REFERENCES, SALESFORCE_1)
def _prove_no_audience() -> Finding:
    """A token for the brand's API (aud) verifies as an identity token in every check; so does one for ten years."""
    if (skipped := SALESFORCE_1.unavailable(REFERENCES)) is not None:
        return skipped
    base = {"sub": "user-8412", "iss": ISSUER}
    with Stopwatch() as watch:
        tokens = {
            "identity token (exp 1 h)": signed({**base, "exp": NOW + 3600}),
            "API token (aud api.brand.example)": signed(
                {**base, "aud": "https://api.brand.example", "exp": NOW + 3600}
            ),
            "SSO assertion for another vendor": signed({**base, "aud": "urn:other-vendor", "exp": NOW + 3600}),
            "exp ten years ahead": signed({**base, "exp": NOW + 10 * YEAR}),
        }
        seen = verdicts(tokens)
    library = pyjwt_defaults(tokens["API token (aud api.brand.example)"])
    everywhere = all(answers == ["accepted"] * len(tokens) for answers in seen.values())
    why = (
        f"node signed {list(tokens)} with the keyset key and issuer; the documented check answers {seen}. The "
        f"audience decides nothing and nothing bounds exp. PyJWT's own defaults (an aud and no audience option) "
        f"would answer {library!r} for the API token: the library expects an audience rule that the scheme lacks."
    )
    return SALESFORCE_1.finding(
        "proved" if everywhere else "refuted",
        why,
        ran=[f"node {SIGN} of 4 tokens (RS256, TEST key)", f"{VERIFY} by {', '.join(ANSWERING)} at now"],
        references=reference_versions(ANSWERING),
        figures={"queries": len(tokens) * (1 + len(ANSWERING)), "seconds": watch.seconds, "verdicts": seen},
        artifacts={"tokens": tokens, "jwks": {"keys": [rsa_test_jwk("brand-a", KID)]}, "issuer": ISSUER, "now": NOW},
    )


__all__ = ["MAX_TOKENS", "SALESFORCE_1", "pyjwt_defaults", "signed", "verdicts"]
