"""Generate khoros_widget_jwt.json from node ``jsonwebtoken`` (node_ref/server.mjs).

Inputs are built here with a fixed seed and a fixed clock (``now``); every expected token, claim set or error is
what jsonwebtoken answered. HS256 is deterministic, so the file is reproducible byte for byte. Tokens that
jsonwebtoken would never sign (other algorithms, expired claims, odd headers) are assembled here with HMAC-SHA256
over the given segments and then *verified* by jsonwebtoken. Intermediate values (RFC 7520 style) are decoded
from the token node produced.
Run: ``python -m vectors.generators.khoros_widget_jwt [OUT_DIR]``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conformance.codecs import encode_base64_url_safe
from conformance.references import node
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files

SEED = 20261121
NOW = 1763683200  # 2025-11-21T00:00:00Z, the fixed clock of every vector
DOC_KEY_ID = "app_5deaa3example0010cc4ba4"  # the document's example values
DOC_SECRET = "BFJJ88naxexampleKpBNTR"

NOTES = {
    "DocumentExample": {"bugType": "BASIC", "description": "The document's KEY_ID and SECRET with jsonwebtoken.sign."},
    "Normal": {"bugType": "BASIC", "description": "An ordinary token or verification."},
    "FixedIat": {
        "bugType": "FUNCTIONALITY",
        "description": "iat is given in the payload instead of taken from the clock.",
    },
    "FalsyIat": {
        "bugType": "EDGE_CASE",
        "description": "jsonwebtoken computes payload.iat || Math.floor(Date.now() / 1000): an iat of 0 (or -0) is"
        " replaced by the current time.",
        "effect": "A caller cannot issue a token with iat 0; it silently gets 'now'.",
    },
    "NumberFormatting": {
        "bugType": "ENCODING",
        "description": "Numbers are written as JavaScript writes them: doubles (2**53+1 rounds), 1e+21 exponent form,"
        " shortest round-trip digits, and null for a number beyond the double range.",
    },
    "RawUtf8": {
        "bugType": "ENCODING",
        "description": "Non-ASCII is written raw (UTF-8) in the payload, not \\u-escaped.",
    },
    "JsonEscapes": {
        "bugType": "ENCODING",
        "description": "JSON.stringify escapes quotes, backslash and C0 controls (\\b \\f \\n \\r \\t, else \\u00xx);"
        " U+2028, U+2029 and DEL are written raw.",
    },
    "LoneSurrogate": {
        "bugType": "ENCODING",
        "description": "A lone surrogate is written as a \\udxxx escape by JSON.stringify; in a secret it becomes"
        " U+FFFD (EF BF BD) in the HMAC key.",
    },
    "HeaderLatin1": {
        "bugType": "REFERENCE_QUIRK",
        "description": "jws encodes the header JSON with Buffer.from(json, 'binary'): one byte per UTF-16 code unit."
        " A kid with U+0080..U+00FF gives header bytes that are Latin-1, not UTF-8.",
        "effect": "Strict UTF-8 JOSE libraries (PyJWT, jose) cannot parse such a header.",
    },
    "HeaderMangled": {
        "bugType": "REFERENCE_QUIRK",
        "description": "A kid character above U+00FF keeps only its low byte in the header ('\u4e2d' becomes '-');"
        " the token cannot be verified with its own kid.",
    },
    "HeaderKeyOrder": {
        "bugType": "ENCODING",
        "description": "The header is {alg, typ, kid} in that order (Object.assign onto {alg, typ, kid}); PyJWT writes"
        " typ first.",
    },
    "EmptyKey": {"bugType": "MALFORMED", "description": "An empty secret: 'secretOrPrivateKey must have a value'."},
    "SecretIsAsymmetricKey": {
        "bugType": "EDGE_CASE",
        "description": "A secret that parses as a PEM key is turned into a key object and refused for HS256.",
    },
    "PemPublicKeySecret": {
        "bugType": "EDGE_CASE",
        "description": "Signing tries createPrivateKey only, so a public-key PEM is an ordinary HMAC secret there;"
        " verification tries createPublicKey, which accepts it, and refuses it for HS256.",
    },
    "Unicode": {"bugType": "ENCODING", "description": "Non-ASCII and astral characters."},
    "EmptyString": {"bugType": "EDGE_CASE", "description": "An empty userId or kid."},
    "RandomInput": {"bugType": "BASIC", "description": "Seeded random userId, kid and secret."},
    "WrongSecret": {
        "bugType": "SIGNATURE_BYPASS",
        "description": "Verification with another secret: invalid signature.",
    },
    "WrongKid": {"bugType": "KID_BYPASS", "description": "The header's kid is not the expected key id."},
    "AlgNone": {
        "bugType": "ALG_CONFUSION",
        "description": "An unsecured token (alg none, empty signature): 'jwt signature is required'.",
    },
    "AlgNoneWithSignature": {
        "bugType": "ALG_CONFUSION",
        "description": "alg none with a signature part: refused by the algorithm allow-list.",
    },
    "OtherAlgorithm": {
        "bugType": "ALG_CONFUSION",
        "description": "HS384, HS512, RS256, ES256 or a non-string alg: only HS256 is allowed.",
    },
    "Tampered": {"bugType": "SIGNATURE_BYPASS", "description": "A modified payload or signature: invalid signature."},
    "Malformed": {"bugType": "MALFORMED", "description": "Not a JWS: parts, base64url alphabet, header JSON."},
    "PayloadNotJson": {
        "bugType": "MALFORMED",
        "description": "typ is JWT and the payload is not JSON: JSON.parse throws during decoding (before the"
        " signature is checked).",
    },
    "NonCanonicalBase64": {
        "bugType": "LENIENCY",
        "description": "Header or payload segments are decoded with Buffer.from(s, 'base64'): non-zero trailing bits"
        " and a dangling character are ignored. The signature itself is compared as text, so it is strict.",
    },
    "ClaimsNotObject": {"bugType": "EDGE_CASE", "description": "The payload is JSON but not an object."},
    "DoubleEncodedPayload": {
        "bugType": "REFERENCE_QUIRK",
        "description": "jsonwebtoken's decode parses a string payload once more: a JSON string holding an object"
        " becomes that object.",
    },
    "Expired": {"bugType": "EXPIRY_BYPASS", "description": "exp is not after the verification time."},
    "NotYetValid": {"bugType": "EXPIRY_BYPASS", "description": "nbf is after the verification time."},
    "BadTimeClaim": {"bugType": "MALFORMED", "description": "exp or nbf is not a number."},
}


def node_source() -> dict[str, str]:
    return {"name": "node jsonwebtoken (node_ref/server.mjs)", "implementation": "node", **node.versions()}


def _b64url_decode(segment: str) -> bytes:
    usable = segment[:-1] if len(segment) % 4 == 1 else segment
    return base64.urlsafe_b64decode(usable + "=" * (-len(usable) % 4))


def hs(header: bytes, payload: bytes, secret: str, digest: Any = hashlib.sha256) -> str:
    """A token over the given header and payload bytes, HMAC-signed with ``secret``'s UTF-8 bytes."""
    signing_input = f"{encode_base64_url_safe(header)}.{encode_base64_url_safe(payload)}"
    return (
        f"{signing_input}.{encode_base64_url_safe(hmac.new(secret.encode(), signing_input.encode(), digest).digest())}"
    )


def intermediate(token: str) -> dict[str, str]:
    """RFC 7520-style intermediate values, decoded from the token jsonwebtoken produced."""
    header, payload, signature = token.split(".")
    header_bytes, payload_bytes = _b64url_decode(header), _b64url_decode(payload)
    return {
        "headerBytes": header_bytes.hex(),
        "headerJson": header_bytes.decode("latin-1"),
        "encodedHeader": header,
        "payloadBytes": payload_bytes.hex(),
        "payloadJson": payload_bytes.decode("utf-8"),
        "encodedPayload": payload,
        "signingInput": f"{header}.{payload}",
        "signature": signature,
    }


def random_text(rnd: random.Random, length: int) -> str:
    pools = [
        lambda: chr(rnd.randrange(0x20, 0x7F)),
        lambda: chr(rnd.randrange(0, 0x20)),
        lambda: chr(rnd.randrange(0xA0, 0x800)),
        lambda: chr(rnd.randrange(0x800, 0xD800)),
        lambda: chr(rnd.randrange(0x10000, 0x110000)),
        lambda: chr(rnd.randrange(0xD800, 0xE000)),
    ]
    return "".join(rnd.choice(pools)() for _ in range(length))


def _pem_keys() -> tuple[str, str]:
    key = ec.derive_private_key(0x1D2C3B4A, ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def build(rnd: random.Random) -> VectorFileBuilder:
    ref = built("node")
    src = node_source()
    b = VectorFileBuilder(
        "khoros_widget_jwt",
        "khoros_widget_jwt.schema.json",
        NOTES,
        header=[
            "Khoros Brand Messenger widget JWT: jsonwebtoken.sign({scope:'appUser', userId}, SECRET,"
            " {header:{alg:'HS256', typ:'JWT', kid:KEY_ID}}) and its verification (algorithms ['HS256'] + kid).",
            f"Every test fixes the clock: now = {NOW} (seconds).",
        ],
    )
    private_pem, public_pem = _pem_keys()
    base = {"keyId": DOC_KEY_ID, "secret": DOC_SECRET, "now": NOW}

    sign = b.group("khoros.widget_jwt.sign", src)

    def add_sign(comment: str, flags: list[str], args: dict[str, Any]) -> dict[str, Any]:
        test = b.add(sign, ref, comment, flags, args)
        if "output" in test:
            test["intermediate"] = intermediate(test["output"])
        return test

    add_sign("the document's example", ["DocumentExample", "HeaderKeyOrder"], {**base, "userId": "user-123"})
    add_sign("iat given", ["FixedIat"], {**base, "userId": "user-123", "iat": 1700000000})
    for iat in (0, -0.0):
        add_sign(f"iat {iat!r} is replaced by now", ["FalsyIat"], {**base, "userId": "u", "iat": iat})
    for iat in (
        1,
        -1,
        2**31,
        2**53,
        2**53 + 1,
        2**64 + 7,
        10**21,
        10**21 - 1,
        1.5,
        1e-7,
        1e-6,
        123.456,
        1e300,
        10**400,
    ):
        add_sign(f"iat {iat!r}", ["FixedIat", "NumberFormatting"], {**base, "userId": "u", "iat": iat})
    for text, flags in [
        ("Jos\u00e9", ["RawUtf8", "Unicode"]),
        ("\u4e2d\u6587 \U0001f600", ["RawUtf8", "Unicode"]),
        ("\ud800", ["LoneSurrogate"]),
        ("a\udfffb\ud83d", ["LoneSurrogate"]),
        ('"\\\b\f\n\r\t\x00\x1f\x7f', ["JsonEscapes"]),
        ("\u2028\u2029/", ["JsonEscapes", "Unicode"]),
        ("", ["EmptyString"]),
        ("x" * 2000, ["Normal"]),
    ]:
        add_sign(f"userId {text[:12]!r}", flags, {**base, "userId": text})
    for kid, flags in [
        ("app_\u00e9\u00ff\u0080", ["HeaderLatin1"]),
        ("app_\u4e2d", ["HeaderMangled"]),
        ("app_\U0001f600", ["HeaderMangled"]),
        ("app_\u0100\u0122", ["HeaderMangled"]),
        ("\ud800", ["LoneSurrogate"]),
        ('k\n"', ["JsonEscapes"]),
        ("", ["EmptyString"]),
    ]:
        add_sign(f"kid {kid!r}", flags, {**base, "keyId": kid, "userId": "u"})
    for secret, flags in [
        ("s\u00e9cr\u00e8t \U0001f511", ["Unicode"]),
        ("\udc00", ["LoneSurrogate"]),
        ("", ["EmptyKey"]),
        (private_pem, ["SecretIsAsymmetricKey"]),
        (public_pem, ["PemPublicKeySecret"]),
    ]:
        add_sign(f"secret of {len(secret)} characters", flags, {**base, "secret": secret, "userId": "u"})
    for i in range(20):
        args = {
            "userId": random_text(rnd, rnd.randrange(0, 16)),
            "keyId": random_text(rnd, rnd.randrange(0, 8)),
            "secret": random_text(rnd, rnd.randrange(1, 24)),
            "now": NOW,
            "iat": rnd.choice([None, rnd.randrange(-(2**40), 2**40)]),
        }
        add_sign(f"random {i}", ["RandomInput"], {k: v for k, v in args.items() if v is not None})

    verify = b.group("khoros.widget_jwt.verify", src)
    doc_token = node.call("khoros.widget_jwt.sign", {**base, "userId": "user-123"})
    vargs = {"keyId": DOC_KEY_ID, "secret": DOC_SECRET, "now": NOW + 60}

    def header(kid: str = DOC_KEY_ID, alg: Any = "HS256", typ: str | None = "JWT") -> bytes:
        import json

        fields: dict[str, Any] = {"alg": alg}
        if typ is not None:
            fields["typ"] = typ
        fields["kid"] = kid
        return json.dumps(fields, separators=(",", ":")).encode()

    claims = b'{"scope":"appUser","userId":"user-123","iat":1763683200}'
    b.add(verify, ref, "the document's token", ["DocumentExample"], {**vargs, "token": doc_token})
    for kid, flags in [("app_\u00e9\u00ff", ["HeaderLatin1"]), ("app_\u4e2d", ["HeaderMangled"])]:
        token = node.call("khoros.widget_jwt.sign", {**base, "keyId": kid, "userId": "u"})
        b.add(verify, ref, f"own token, kid {kid!r}", flags, {**vargs, "keyId": kid, "token": token})
    b.add(verify, ref, "wrong secret", ["WrongSecret"], {**vargs, "secret": DOC_SECRET + "x", "token": doc_token})
    b.add(verify, ref, "wrong kid", ["WrongKid"], {**vargs, "keyId": "app_other", "token": doc_token})
    b.add(verify, ref, "empty secret", ["EmptyKey"], {**vargs, "secret": "", "token": doc_token})
    b.add(
        verify,
        ref,
        "public key PEM as secret",
        ["PemPublicKeySecret"],
        {**vargs, "secret": public_pem, "token": doc_token},
    )
    b.add(
        verify,
        ref,
        "private key PEM as secret",
        ["SecretIsAsymmetricKey"],
        {**vargs, "secret": private_pem, "token": doc_token},
    )
    none_header = encode_base64_url_safe(b'{"alg":"none","typ":"JWT","kid":"' + DOC_KEY_ID.encode() + b'"}')
    none_token = f"{none_header}.{encode_base64_url_safe(claims)}."
    b.add(verify, ref, "alg none, empty signature", ["AlgNone"], {**vargs, "token": none_token})
    b.add(
        verify,
        ref,
        "alg none, empty signature, empty secret",
        ["AlgNone", "EmptyKey"],
        {**vargs, "secret": "", "token": none_token},
    )
    b.add(verify, ref, "alg none with a signature", ["AlgNoneWithSignature"], {**vargs, "token": none_token + "c2ln"})
    unsigned_hs256 = doc_token.rsplit(".", 1)[0] + "."
    b.add(
        verify,
        ref,
        "HS256 header, empty signature, empty secret: an empty HMAC key, no match",
        ["EmptyKey", "Tampered"],
        {**vargs, "secret": "", "token": unsigned_hs256},
    )
    for alg, digest in [
        ("HS384", hashlib.sha384),
        ("HS512", hashlib.sha512),
        ("RS256", hashlib.sha256),
        ("ES256", hashlib.sha256),
        (256, hashlib.sha256),
        ("hs256", hashlib.sha256),
    ]:
        token = hs(header(alg=alg), claims, DOC_SECRET, digest)
        b.add(verify, ref, f"alg {alg!r}", ["OtherAlgorithm"], {**vargs, "token": token})
    head, payload, signature = doc_token.split(".")
    tampered_payload = encode_base64_url_safe(claims.replace(b"user-123", b"admin-01"))
    for label, token, flags in [
        ("payload replaced", f"{head}.{tampered_payload}.{signature}", ["Tampered"]),
        ("signature truncated", doc_token[:-2], ["Tampered"]),
        ("signature with padding", doc_token + "=", ["Malformed"]),
        ("signature flipped", f"{head}.{payload}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}", ["Tampered"]),
        ("two parts", f"{head}.{payload}", ["Malformed"]),
        ("four parts", doc_token + ".x", ["Malformed"]),
        ("empty token", "", ["Malformed"]),
        ("standard base64 alphabet", doc_token.replace("-", "+").replace("_", "/") + "+/", ["Malformed"]),
        ("header is not JSON", f"{encode_base64_url_safe(b'hello')}.{payload}.{signature}", ["Malformed"]),
        ("header is null", f"{encode_base64_url_safe(b'null')}.{payload}.{signature}", ["Malformed"]),
        ("header is 0", f"{encode_base64_url_safe(b'0')}.{payload}.{signature}", ["Malformed"]),
        ("header is an array", f"{encode_base64_url_safe(b'[1]')}.{payload}.{signature}", ["OtherAlgorithm"]),
        ("empty header segment", f".{payload}.{signature}", ["Malformed"]),
        ("trailing newline", doc_token + "\n", ["Malformed"]),
    ]:
        b.add(verify, ref, label, flags, {**vargs, "token": token})
    for label, hdr, body, flags in [
        ("payload not JSON, typ JWT", header(), b"not json", ["PayloadNotJson"]),
        ("payload not JSON, no typ", header(typ=None), b"not json", ["ClaimsNotObject"]),
        ("payload is an array", header(), b"[1,2]", ["ClaimsNotObject"]),
        ("payload is null", header(), b"null", ["ClaimsNotObject"]),
        ("payload is a number", header(), b"42", ["ClaimsNotObject"]),
        ("payload is a JSON string holding an object", header(), b'"{\\"userId\\":\\"x\\"}"', ["DoubleEncodedPayload"]),
        ("expired", header(), b'{"userId":"u","exp":1763683200}', ["Expired"]),
        ("exp in the future", header(), b'{"userId":"u","exp":1763690000}', ["Normal"]),
        ("nbf in the future", header(), b'{"userId":"u","nbf":1763690000}', ["NotYetValid"]),
        ("nbf in the past", header(), b'{"userId":"u","nbf":1}', ["Normal"]),
        ("exp is a string", header(), b'{"userId":"u","exp":"1763690000"}', ["BadTimeClaim"]),
        ("nbf is null", header(), b'{"userId":"u","nbf":null}', ["BadTimeClaim"]),
        (
            "big numbers",
            header(),
            b'{"userId":"u","n":12345678901234567890,"f":1e400,"g":-0,"h":1E2}',
            ["NumberFormatting"],
        ),
        ("invalid UTF-8 in payload", header(), b'{"userId":"\xff\xed\xa0\x80"}', ["Unicode"]),
        ("payload with BOM", header(), b'\xef\xbb\xbf{"userId":"u"}', ["PayloadNotJson"]),
        ("duplicate claim names", header(), b'{"userId":"a","userId":"b"}', ["Normal"]),
        ("kid is a number", b'{"alg":"HS256","typ":"JWT","kid":5}', claims, ["WrongKid"]),
        ("no kid", b'{"alg":"HS256","typ":"JWT"}', claims, ["WrongKid"]),
    ]:
        b.add(verify, ref, label, flags, {**vargs, "token": hs(hdr, body, DOC_SECRET)})
    good = hs(header(), claims, DOC_SECRET)
    good_head = good.split(".")[0]
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".index(good_head[-1])
    if len(good_head) % 4 in (2, 3):
        odd_head = good_head[:-1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last | 1]
        signing_input = f"{odd_head}.{good.split('.')[1]}"
        odd = f"{signing_input}.{encode_base64_url_safe(hmac.new(DOC_SECRET.encode(), signing_input.encode(), hashlib.sha256).digest())}"
        b.add(
            verify,
            ref,
            "header with non-zero trailing bits, signed as is",
            ["NonCanonicalBase64"],
            {**vargs, "token": odd},
        )
    dangling = f"{good_head}A.{good.split('.')[1]}"
    dangling_token = f"{dangling}.{encode_base64_url_safe(hmac.new(DOC_SECRET.encode(), dangling.encode(), hashlib.sha256).digest())}"
    b.add(
        verify,
        ref,
        "header with a dangling character, signed as is",
        ["NonCanonicalBase64"],
        {**vargs, "token": dangling_token},
    )
    for i in range(15):
        args = {
            "userId": random_text(rnd, rnd.randrange(0, 12)),
            "keyId": random_text(rnd, rnd.randrange(0, 6)),
            "secret": random_text(rnd, rnd.randrange(1, 20)),
            "now": NOW,
        }
        token = node.call("khoros.widget_jwt.sign", args)
        b.add(
            verify,
            ref,
            f"random round trip {i}",
            ["RandomInput"],
            {**vargs, **{k: args[k] for k in ("keyId", "secret")}, "token": token},
        )
    return b


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for the widget JWT vector file."""
    return {"khoros_widget_jwt.json": build(random.Random(SEED)).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
