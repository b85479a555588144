"""Generate salesforce_enhanced_chat.json from node ``jsonwebtoken`` (node_ref/server.mjs), through the contract.

Salesforce's token-based user verification for Enhanced Chat (help.salesforce.com "Set Up Token-Based User
Verification", "Troubleshooting User Verification"; developer.salesforce.com "User Verification in Enhanced Web
Chat"): the brand signs a JWT with RS256 or RS512, its header's ``kid`` naming a key of the keyset (a JWKS URL or
uploaded JWKs, each with ``kty``, ``kid``, ``alg`` and an ``x5c`` certificate), its ``iss`` the keyset's issuer; the
token carries ``sub`` and an expiry (Salesforce's own key-command-line-utility writes ``sub, iss, exp, iat``).
Inputs are made here from the RSA TEST keys of ``vectors/keys/rsa`` (RSASSA-PKCS1-v1_5 is deterministic, so the
file is reproducible byte for byte); every expected answer is node's.
Run: ``python -m vectors.generators.salesforce_enhanced_chat [OUT_DIR]``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.kinds.jws import MUTATIONS, _hs_confusion, _sign, verify_case
from conformance.kinds.jwt import NOW, _encode
from conformance.primitives.rsa_jws import private_key
from conformance.spec import built
from conformance.testkeys import rsa_test_jwk, rsa_test_keys
from conformance.vectorgen import VectorFileBuilder, write_files
from vectors.generators._hs256_jwt import NOTES as HS256_NOTES
from vectors.generators._hs256_jwt import cross_check, intermediate, source

FLOW, SIGN, VERIFY = "salesforce_enhanced_chat", "salesforce.enhanced_chat.sign", "salesforce.enhanced_chat.verify"
ISSUER, KID = "testIssuer", "12345"
_SHARED = (
    "DocumentExample",
    "Normal",
    "IatAdded",
    "RawUtf8",
    "NumberFormatting",
    "BadIatType",
    "EmptyKey",
    "WrongKid",
    "MissingKid",
    "AlgNone",
    "EmptySignature",
    "Tampered",
    "MissingClaim",
    "ClaimAsNumber",
    "Expired",
    "ExpBoundary",
    "NotYetValid",
    "PayloadNotObject",
    "Malformed",
)
NOTES: dict[str, dict[str, str]] = {
    **{flag: HS256_NOTES[flag] for flag in _SHARED},
    "HeaderKeyOrder": {
        "bugType": "ENCODING",
        "description": "jsonwebtoken writes {alg, typ, kid} and the claims in their order; Salesforce's own utility"
        " (nimbus-jose-jwt) writes {kid, alg} and sub, iss, exp, iat: the bytes differ, the check takes both.",
    },
    "Rs512": {"bugType": "BASIC", "description": "RS512, the other algorithm Salesforce supports."},
    "ShortKey": {
        "bugType": "WEAKNESS",
        "description": "jwt.sign refuses an RSA key under 2048 bits (jsonwebtoken 9's allowInsecureKeySizes is off).",
    },
    "NotAPrivateKey": {
        "bugType": "MALFORMED",
        "description": "A public key or text that is not a PEM private key given to jwt.sign.",
    },
    "WrongKey": {
        "bugType": "SIGNATURE_BYPASS",
        "description": "Signed with another RSA key than the JWK its kid names: invalid signature.",
    },
    "WrongKidAmongKeys": {
        "bugType": "KID_BYPASS",
        "description": "Several JWKs: the token names one and is signed with another's private key.",
    },
    "OtherAlgorithm": {
        "bugType": "ALG_CONFUSION",
        "description": "RS384, PS256, ES256 or HS512 in the header: only RS256 and RS512 are supported.",
    },
    "HsConfusion": {
        "bugType": "ALG_CONFUSION",
        "description": "HS256 keyed with the public JWK (or its PEM) as the secret: a verifier that lets the header"
        " choose the algorithm accepts it; only RS256 and RS512 are allowed.",
    },
    "KeyAlgorithmMismatch": {
        "bugType": "ALG_CONFUSION",
        "description": "The token's alg is not the alg of the JWK its kid names (an RS512 key, an RS256 token).",
    },
    "JwkMissingField": {
        "bugType": "MALFORMED",
        "description": "The JWK lacks a member Salesforce's upload requires (kty, alg, x5c).",
    },
    "CertificateMismatch": {
        "bugType": "MALFORMED",
        "description": "The JWK's x5c holds the certificate of another key than its n and e.",
    },
    "IssuerMismatch": {
        "bugType": "INTEGRITY_BYPASS",
        "description": "iss differs from the keyset's JSON web key issuer (a trailing slash, the case, empty).",
    },
    "IssuerMissing": {"bugType": "FUNCTIONALITY", "description": "The token has no iss."},
    "NoExp": {
        "bugType": "EXPIRY_BYPASS",
        "description": "No exp: Salesforce's tokens carry an expiry (our reading: required), so it is refused.",
    },
    "AudienceIgnored": {
        "bugType": "FUNCTIONALITY",
        "description": "An aud for another service: Salesforce documents no audience rule, so the token verifies"
        " (audit SALESFORCE-1).",
    },
    "LongLived": {
        "bugType": "EDGE_CASE",
        "description": "exp ten years ahead: nothing bounds the lifetime the brand chooses.",
    },
}


def public_pem(private_pem: str) -> str:
    """The SubjectPublicKeyInfo PEM of a test key's public half (what a verifier might hold as 'the key')."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private_key(private_pem).public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def build() -> VectorFileBuilder:
    """The flow's vector file: sign then verify groups, every expected answer from node."""
    entry = catalog.flow(FLOW)
    ref = built(entry.references[0])
    params = catalog.part(VERIFY).params  # type: ignore[union-attr]
    keys = rsa_test_keys()
    b = VectorFileBuilder(
        FLOW,
        entry.schema_file,
        NOTES,
        header=[
            "Salesforce Enhanced Chat token-based user verification: jwt.sign({sub, iss, exp}, PRIVATE_KEY,"
            " {algorithm: RS256 | RS512, keyid}) and Salesforce's documented check (kid among the keyset's JWKs with"
            " kty, kid, alg and x5c, iss the keyset's issuer, sub, exp).",
            f"Every test fixes the clock: now = {NOW} (seconds) unless its input says otherwise. Keys: the RSA TEST"
            " keys of vectors/keys/rsa, never real ones.",
        ],
    )
    document = {"sub": "user1", "iss": ISSUER, "exp": NOW + 6000}
    signing = {"privateKeyPem": keys["brand-a"], "alg": "RS256", "keyId": KID, "now": NOW}

    sign = b.group(SIGN, source(ref.name))
    signed: list[tuple[str, dict[str, Any], list[str], str]] = []

    def add_sign(comment: str, flags: list[str], claims: dict[str, Any], **overrides: Any) -> None:
        args = {**signing, "claims": claims, **overrides}
        test = b.add(sign, ref, comment, flags, args)
        if "output" in test:
            test["intermediate"] = intermediate(test["output"])
            signed.append((comment, test, flags, args["alg"]))

    add_sign("the utility's example (-kid 12345 -issuer testIssuer -subject user1 -expiry 6000)",
             ["DocumentExample", "IatAdded"], document)  # fmt: skip
    add_sign("the same with RS512", ["DocumentExample", "Rs512"], document, alg="RS512")
    add_sign("iat given", ["Normal"], {**document, "iat": NOW - 30})
    add_sign("non-ASCII sub", ["RawUtf8"], {**document, "sub": "Jos\u00e9 \u4e2d\u6587 \U0001f600"})
    add_sign("numbers", ["NumberFormatting"], {**document, "x_n": [1e21, 123.456, -0.0, 2**53 + 1, 1e-7]})
    add_sign("exp as a string", ["BadIatType"], {**document, "exp": "6000"})
    add_sign("empty private key", ["EmptyKey"], document, privateKeyPem="")
    add_sign("a 1024-bit RSA key", ["ShortKey"], document, privateKeyPem=keys["short-1024"])
    add_sign("text that is not a key", ["NotAPrivateKey"], document, privateKeyPem="-----BEGIN PRIVATE KEY-----")

    verify = b.group(VERIFY, source(ref.name))

    def jwks(*jwk: dict[str, Any]) -> dict[str, Any]:
        return {"keys": list(jwk)}

    def add(comment: str, flags: list[str], token: str, keyset: dict[str, Any], **overrides: Any) -> None:
        b.add(verify, ref, comment, flags, {"token": token, "now": NOW, "jwks": keyset, "issuer": ISSUER, **overrides})

    for comment, test, flags, alg in signed:
        add(f"verify: {comment}", flags, test["output"], jwks(rsa_test_jwk("brand-a", KID, alg)))
    rnd = random.Random(20261207)
    for mutation in MUTATIONS:
        for index in range(3):
            args, _ = verify_case(params, rnd, mutation)
            b.add(verify, ref, f"{mutation} #{index + 1}", [mutation], args)
    header = {"alg": "RS256", "typ": "JWT", "kid": KID}
    own = rsa_test_jwk("brand-a", KID)
    valid = {**document, "iat": NOW - 60}
    nimbus = _sign(
        {"kid": KID, "alg": "RS256"}, {"sub": "user1", "iss": ISSUER, "exp": NOW + 6000, "iat": NOW}, "brand-a", "RS256"
    )
    add("the utility's header and claim order", ["HeaderKeyOrder"], nimbus, jwks(own))
    ten = [rsa_test_jwk("brand-a" if i % 2 else "brand-b", f"key{i:02d}") for i in range(10)]
    for signer, named, flags in ((7, 7, ["Normal"]), (7, 2, ["WrongKidAmongKeys"]), (2, 7, ["WrongKidAmongKeys"])):
        token = _sign({**header, "kid": f"key{named:02d}"}, valid, "brand-a" if signer % 2 else "brand-b", "RS256")
        add(f"10 keys: kid key{named:02d}, signed with key{signer:02d}'s private key", flags, token, jwks(*ten))
    token = _sign(header, valid, "brand-a", "RS256")
    add("HS256 keyed with the JWK's JSON", ["HsConfusion"], _hs_confusion(header, valid, own), jwks(own))
    pem = public_pem(keys["brand-a"])
    confused = _encode({**header, "alg": "HS256"}, valid, pem)
    add("HS256 keyed with the public key's PEM", ["HsConfusion"], confused, jwks(own))
    add("alg none, no signature", ["AlgNone"], _encode({**header, "alg": "none"}, valid, "", "none"), jwks(own))
    add("the JWK without alg", ["JwkMissingField"], token, jwks({k: v for k, v in own.items() if k != "alg"}))
    add("the JWK without x5c", ["JwkMissingField"], token, jwks({k: v for k, v in own.items() if k != "x5c"}))
    add(
        "x5c of brand-b in brand-a's JWK",
        ["CertificateMismatch"],
        token,
        jwks(rsa_test_jwk("brand-a", KID, certificate="brand-b")),
    )
    add("an RS512 JWK, an RS256 token", ["KeyAlgorithmMismatch"], token, jwks(rsa_test_jwk("brand-a", KID, "RS512")))
    add("the issuer differs in case", ["IssuerMismatch"], token, jwks(own), issuer=ISSUER.lower())
    add("the issuer has a trailing slash", ["IssuerMismatch"], token, jwks(own), issuer=ISSUER + "/")
    add("no exp", ["NoExp"], _sign(header, {"sub": "user1", "iss": ISSUER}, "brand-a", "RS256"), jwks(own))
    add("no iss", ["IssuerMissing"], _sign(header, {"sub": "user1", "exp": NOW + 60}, "brand-a", "RS256"), jwks(own))
    aud = {**valid, "aud": "https://api.brand.example"}
    add("a token for another audience", ["AudienceIgnored"], _sign(header, aud, "brand-a", "RS256"), jwks(own))
    ten_years = {**valid, "exp": NOW + 10 * 365 * 86400}
    add("exp ten years ahead", ["LongLived"], _sign(header, ten_years, "brand-a", "RS256"), jwks(own))
    add("sub as a number", ["ClaimAsNumber"], _sign(header, {**valid, "sub": 12345}, "brand-a", "RS256"), jwks(own))
    cross_check(b, entry.references[1:])
    return b


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for the Salesforce Enhanced Chat vector file."""
    return {f"{FLOW}.json": build().render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
