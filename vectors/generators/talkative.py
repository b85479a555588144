"""Generate talkative_signed_data.json: jose (node) for signing inputs and verification, openssl for public keys.

Determinism. ES256 signatures from jose are random (WebCrypto draws a fresh nonce), so a generator that asked jose
to sign on every run could never reproduce its committed file. The choice made here:

* **sign direction** (``talkative.sign``): RFC 6979 deterministic ECDSA (pyca/cryptography) over the signing input;
  the generator checks that the signing input equals the one jose builds (``talkative.signing_input``) and that
  jose verifies every token to the same fields, and refuses to write the file otherwise;
* **verify direction** (``talkative.verify``): the tokens are *made by jose* (``talkative.sign_jose``) and then
  *frozen*: ``talkative_jose_tokens.json`` beside this file keeps each jose token under a name, with the inputs it
  was made from. ``build_all()`` only reads that store (so regeneration is byte-exact); a token that is missing,
  or whose inputs changed, is signed afresh by jose, and ``main`` writes the store back. Invalid tokens (DER
  signature, tampering, truncation, alg none, HS256 with the public PEM as secret) are derived from jose tokens
  or made by jose itself; every expected answer is what jose answered on the final bytes.

Keys are derived from fixed scalars. Run: ``python -m vectors.generators.talkative [OUT_DIR]``.
"""

from __future__ import annotations

import base64
import json
import random
import sys
from pathlib import Path
from typing import Any

import cryptography
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from conformance.codecs import decode_base64_url, encode_base64_url_safe
from conformance.errors import ConformanceError
from conformance.references import node, openssl
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder
from conformance.vendors import talkative

SEED = 20261122
STORE = Path(__file__).with_name("talkative_jose_tokens.json")

NOTES = {
    "DocumentExample": {"bugType": "BASIC", "description": "The array of the document's example."},
    "Normal": {"bugType": "BASIC", "description": "An ordinary signing input, signature or verification."},
    "RawUtf8": {"bugType": "ENCODING", "description": "Non-ASCII is UTF-8 in the payload, not \\u-escaped."},
    "JsonEscapes": {
        "bugType": "ENCODING",
        "description": "Quotes, backslash and C0 controls escaped as JSON.stringify does.",
    },
    "LoneSurrogate": {
        "bugType": "ENCODING",
        "description": "A lone surrogate is written as a \\udxxx escape (well-formed JSON.stringify) and comes back.",
    },
    "EmptyArray": {"bugType": "EDGE_CASE", "description": "No fields at all: the payload is []."},
    "InvalidEntry": {
        "bugType": "MALFORMED",
        "description": "Not an array of objects with exactly the string members label, data and type.",
    },
    "Deterministic": {
        "bugType": "FUNCTIONALITY",
        "description": "RFC 6979 deterministic ECDSA: the exact token bytes are fixed; jose verified every one.",
    },
    "JoseToken": {"bugType": "INTEROP", "description": "A token made by jose's CompactSign (random nonce), frozen."},
    "WrongKey": {"bugType": "SIGNATURE_BYPASS", "description": "Verification with another P-256 public key."},
    "Tampered": {
        "bugType": "SIGNATURE_BYPASS",
        "description": "A modified header, payload or signature: bad signature.",
    },
    "AlgNone": {"bugType": "ALG_CONFUSION", "description": "An unsecured JWS (alg none)."},
    "KeyConfusion": {
        "bugType": "ALG_CONFUSION",
        "description": "HS256 with the public key PEM as HMAC secret (made by jose): refused by the alg allow-list.",
    },
    "OtherAlgorithm": {"bugType": "ALG_CONFUSION", "description": "An alg other than ES256."},
    "DerSignature": {
        "bugType": "MALFORMED",
        "description": "The signature DER-encoded (as OpenSSL and Java emit): JOSE needs raw R||S, 64 bytes.",
    },
    "SignatureLength": {"bugType": "MALFORMED", "description": "A signature that is not 64 bytes."},
    "InvalidSignatureValues": {
        "bugType": "SIGNATURE_BYPASS",
        "description": "r or s zero, or not below the group order n (Wycheproof-style edge values).",
    },
    "Truncated": {"bugType": "MALFORMED", "description": "A token cut short."},
    "Malformed": {"bugType": "MALFORMED", "description": "Not a compact JWS, bad base64url, header not a JSON object."},
    "Base64Leniency": {
        "bugType": "LENIENCY",
        "description": "jose on node 20 decodes with atob (forgiving-base64): '=' padding, ASCII whitespace and"
        " non-zero trailing bits in the signature are accepted.",
        "effect": "Several token strings verify to the same data: the token is malleable as text.",
    },
    "CriticalHeader": {
        "bugType": "EDGE_CASE",
        "description": "crit / b64 header parameters (RFC 7797), handled as jose does.",
    },
    "UnencodedPayload": {
        "bugType": "EDGE_CASE",
        "description": "crit ['b64'] with b64 false (RFC 7797): jose verifies the payload part as the payload itself.",
        "effect": "A verifier that ignores crit would base64url-decode the payload part and see other data.",
    },
    "PayloadNotInteractionData": {
        "bugType": "MALFORMED",
        "description": "A correctly signed payload that is not the document's array of {label, data, type}.",
    },
    "InvalidKey": {"bugType": "MALFORMED", "description": "A key that is not a usable P-256 key PEM."},
    "OpensslPublicKey": {
        "bugType": "BASIC",
        "description": "The document's second command, openssl ec -in ec_private.pem -pubout: the SPKI PEM.",
    },
    "Pkcs8": {"bugType": "FUNCTIONALITY", "description": "The private key as PKCS#8 instead of SEC1."},
    "OtherCurve": {"bugType": "EDGE_CASE", "description": "A key on another curve (P-384)."},
    "OpensslPemReader": {
        "bugType": "EDGE_CASE",
        "description": "PEM text read as OpenSSL's PEM_read_bio reads it, not as other PEM readers do: the BEGIN "
        "and END lines must be lines of their own (a line before the BEGIN line is skipped, junk before it on its "
        "line is not), one blank line may follow the BEGIN line, the Base64 needs its padding.",
        "effect": "A port reading PEM with another reader (cryptography's, which finds the markers anywhere) "
        "accepts keys the document's openssl command refuses, or refuses keys it reads.",
    },
    "StoredPublicPoint": {
        "bugType": "EDGE_CASE",
        "description": "A SEC1 key whose stored public point is taken as it is (its BIT STRING's unused bits cleared): openssl ec "
        "-pubout writes the stored point without checking it against the scalar.",
        "effect": "A port that derives the point from the scalar, or refuses the mismatch, answers otherwise than "
        "the document's command.",
    },
}

DOCUMENT_FIELDS = [
    {"label": "INTERACTION_DATA_NAME", "data": "INTERACTION_DATA_CONTENT", "type": "string"},
    {"label": "INTERACTION_DATA_NAME1", "data": "INTERACTION_DATA_CONTENT1", "type": "string"},
]
ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _key(scalar: int, curve: ec.EllipticCurve | None = None) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(scalar, curve or ec.SECP256R1())


def _h(header_json: str) -> str:
    """A protected header segment from header JSON text (latin-1 code points stand for bytes)."""
    return encode_base64_url_safe(header_json.encode("latin-1"))


def random_text(rnd: random.Random, length: int) -> str:
    pools = [
        lambda: chr(rnd.randrange(0x20, 0x7F)),
        lambda: chr(rnd.randrange(0, 0x20)),
        lambda: chr(rnd.randrange(0xA0, 0xD800)),
        lambda: chr(rnd.randrange(0x10000, 0x110000)),
        lambda: chr(rnd.randrange(0xD800, 0xE000)),
    ]
    return "".join(rnd.choice(pools)() for _ in range(length))


def random_fields(rnd: random.Random) -> list[dict[str, str]]:
    return [
        {
            "label": random_text(rnd, rnd.randrange(1, 10)),
            "data": random_text(rnd, rnd.randrange(0, 20)),
            "type": rnd.choice(["string", "number", "email", random_text(rnd, 3)]),
        }
        for _ in range(rnd.randrange(0, 4))
    ]


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


class JoseTokens:
    """The frozen store of jose-made tokens: reuse a token when its inputs are unchanged, else ask jose."""

    def __init__(self) -> None:
        self.stored: dict[str, Any] = json.loads(STORE.read_text("utf-8")) if STORE.is_file() else {}
        self.used: dict[str, Any] = {}

    def token(self, name: str, fields: Any, alg: str, key_pem: str) -> str:
        inputs = {"fields": fields, "alg": alg, "keyPem": key_pem}
        entry = self.stored.get(name)
        # Compared as ASCII JSON: a surrogate pair held as two code points and the astral character it stands for
        # are the same input to jose, and the store's JSON round trip joins them.
        if entry is None or _canonical(entry["inputs"]) != _canonical(inputs):
            entry = {"inputs": inputs, "token": node.call("talkative.sign_jose", inputs)}
        self.used[name] = entry
        return entry["token"]

    def render(self) -> str:
        return json.dumps(dict(sorted(self.used.items())), indent=2, ensure_ascii=True) + "\n"


def build(rnd: random.Random, tokens: JoseTokens) -> VectorFileBuilder:
    versions = node.versions()
    jose_src = {"name": "node jose (node_ref/server.mjs)", "implementation": "node", **versions}
    b = VectorFileBuilder(
        "talkative_signed_data",
        "talkative_signed_data.schema.json",
        NOTES,
        header=[
            "Talkative signed interaction data: an ES256 compact JWS over the JSON array [{label, data, type}, ...].",
            "Sign direction: RFC 6979 tokens, verified by jose. Verify direction: tokens made by jose, frozen.",
        ],
    )
    key_a, key_b, key_p384 = _key(0x5EED_0001), _key(0x5EED_0002), _key(0x5EED_0003, ec.SECP384R1())
    priv_a, pub_a = talkative.private_key_pem(key_a), talkative.public_key_pem(key_a)
    priv_b = talkative.private_key_pem(key_b)
    pub_b = talkative.public_key_pem(key_b)
    unicode_fields = [
        {"label": "name", "data": "Jos\u00e9 \u4e2d\u6587 \U0001f600", "type": "string"},
        {"label": "note", "data": '"quoted" \\ back\nslash\t\x00\x1f\u2028', "type": "string"},
        {"label": "lone", "data": "\ud800x\udfff", "type": "string"},
    ]
    field_cases: list[tuple[str, Any, list[str]]] = [
        ("the document's example", DOCUMENT_FIELDS, ["DocumentExample"]),
        ("unicode", unicode_fields[:1], ["RawUtf8"]),
        ("escapes", unicode_fields[1:2], ["JsonEscapes"]),
        ("lone surrogates", unicode_fields[2:], ["LoneSurrogate"]),
        ("empty array", [], ["EmptyArray"]),
        ("empty strings", [{"label": "", "data": "", "type": ""}], ["Normal"]),
        ("long data", [{"label": "blob", "data": "x" * 3000, "type": "string"}], ["Normal"]),
        ("members in another order", [{"type": "string", "data": "d", "label": "l"}], ["Normal"]),
    ]
    invalid_fields: list[tuple[str, Any]] = [
        ("not an array", {"label": "a", "data": "b", "type": "string"}),
        ("missing type", [{"label": "a", "data": "b"}]),
        ("extra member", [{"label": "a", "data": "b", "type": "string", "x": "y"}]),
        ("data is a number", [{"label": "a", "data": 1, "type": "number"}]),
        ("entry is a string", ["label"]),
        ("entry is null", [None]),
    ]

    si = b.group("talkative.signing_input", jose_src)
    for comment, fields, flags in field_cases:
        b.add(si, built("node"), comment, flags, {"fields": fields})
    for comment, fields in invalid_fields:
        b.add(si, built("node"), comment, ["InvalidEntry"], {"fields": fields})
    for i in range(10):
        b.add(si, built("node"), f"random {i}", ["Normal"], {"fields": random_fields(rnd)})

    rfc_src = {
        "name": "RFC 6979 deterministic ECDSA (pyca/cryptography) over jose's signing input; verified by jose",
        "implementation": "cryptography",
        "cryptography": cryptography.__version__,
        **{f"verifiedBy_{k}": v for k, v in versions.items()},
    }
    sign = b.group("talkative.sign", rfc_src)
    for comment, fields, flags in [*field_cases, *((f"random {i}", random_fields(rnd), ["Normal"]) for i in range(8))]:
        args = {"fields": fields, "privateKeyPem": priv_a}
        test = b.add(sign, built("python"), comment, [*flags, "Deterministic"], args)
        _cross_check(test["output"], fields, pub_a)
    for comment, fields in invalid_fields[:2]:
        b.add(sign, built("python"), comment, ["InvalidEntry"], {"fields": fields, "privateKeyPem": priv_a})
    b.add(
        sign,
        built("python"),
        "P-384 key",
        ["OtherCurve"],
        {"fields": [], "privateKeyPem": talkative.private_key_pem(key_p384)},
    )

    verify = b.group("talkative.verify", jose_src)
    ref = built("node")

    def add_verify(comment: str, flags: list[str], token: str, public_pem: str = pub_a) -> None:
        b.add(verify, ref, comment, flags, {"token": token, "publicKeyPem": public_pem})

    doc_token = tokens.token("document", DOCUMENT_FIELDS, "ES256", priv_a)
    add_verify("jose token, the document's example", ["JoseToken", "DocumentExample"], doc_token)
    for i, (comment, fields, flags) in enumerate(field_cases[1:]):
        add_verify(
            f"jose token, {comment}", ["JoseToken", *flags], tokens.token(f"fields-{i}", fields, "ES256", priv_a)
        )
    for i in range(6):
        fields = random_fields(rnd)
        add_verify(
            f"jose token, random {i}", ["JoseToken", "Normal"], tokens.token(f"random-{i}", fields, "ES256", priv_a)
        )
    add_verify("wrong public key", ["WrongKey"], doc_token, pub_b)
    add_verify("token signed with the other key", ["WrongKey"], tokens.token("key-b", DOCUMENT_FIELDS, "ES256", priv_b))
    add_verify(
        "HS256 with the public PEM as secret (jose)",
        ["KeyConfusion"],
        tokens.token("hs256-confusion", DOCUMENT_FIELDS, "HS256", pub_a),
    )

    head, payload, sig_text = doc_token.split(".")
    sig = decode_base64_url(sig_text)
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    der = encode_dss_signature(r, s)
    none_head = encode_base64_url_safe(b'{"alg":"none"}')

    def tok(h: str = head, p: str = payload, s: str = sig_text) -> str:
        return f"{h}.{p}.{s}"

    other_payload = encode_base64_url_safe(
        talkative.interaction_json([{"label": "INTERACTION_DATA_NAME", "data": "admin", "type": "string"}]).encode()
    )
    for comment, token, flags in [
        ("DER signature", f"{head}.{payload}.{encode_base64_url_safe(der)}", ["DerSignature"]),
        ("alg none, empty signature", f"{none_head}.{payload}.", ["AlgNone"]),
        ("alg none, jose signature kept", f"{none_head}.{payload}.{sig_text}", ["AlgNone"]),
        ("alg ES384 header", tok(_h('{"alg":"ES384"}')), ["OtherAlgorithm"]),
        ("alg RS256 header", tok(_h('{"alg":"RS256"}')), ["OtherAlgorithm"]),
        ("alg missing", tok(_h("{}")), ["Malformed"]),
        ("alg is a number", tok(_h('{"alg":256}')), ["Malformed"]),
        ("payload replaced", f"{head}.{other_payload}.{sig_text}", ["Tampered"]),
        ("header gains typ", tok(_h('{"alg":"ES256","typ":"JWT"}')), ["Tampered"]),
        ("r and s swapped", f"{head}.{payload}.{encode_base64_url_safe(sig[32:] + sig[:32])}", ["Tampered"]),
        (
            "last signature byte flipped",
            f"{head}.{payload}.{encode_base64_url_safe(sig[:-1] + bytes([sig[-1] ^ 1]))}",
            ["Tampered"],
        ),
        (
            "s replaced by n - s",
            f"{head}.{payload}.{encode_base64_url_safe(sig[:32] + (ORDER - s).to_bytes(32, 'big'))}",
            ["Tampered"],
        ),
        ("r = 0", f"{head}.{payload}.{encode_base64_url_safe(bytes(32) + sig[32:])}", ["InvalidSignatureValues"]),
        ("s = 0", f"{head}.{payload}.{encode_base64_url_safe(sig[:32] + bytes(32))}", ["InvalidSignatureValues"]),
        (
            "r = n",
            f"{head}.{payload}.{encode_base64_url_safe(ORDER.to_bytes(32, 'big') + sig[32:])}",
            ["InvalidSignatureValues"],
        ),
        (
            "s = n + 1",
            f"{head}.{payload}.{encode_base64_url_safe(sig[:32] + (ORDER + 1).to_bytes(32, 'big'))}",
            ["InvalidSignatureValues"],
        ),
        ("all-ones signature", tok(s=encode_base64_url_safe(b"\xff" * 64)), ["InvalidSignatureValues"]),
        ("63-byte signature", f"{head}.{payload}.{encode_base64_url_safe(sig[:63])}", ["SignatureLength"]),
        ("65-byte signature", tok(s=encode_base64_url_safe(sig + bytes(1))), ["SignatureLength"]),
        ("empty signature", f"{head}.{payload}.", ["SignatureLength"]),
        ("signature cut by one character", doc_token[:-1], ["Truncated"]),
        ("signature cut by two characters", doc_token[:-2], ["Truncated"]),
        ("payload cut", f"{head}.{payload[:-3]}.{sig_text}", ["Truncated"]),
        ("two parts", f"{head}.{payload}", ["Truncated"]),
        ("one part", head, ["Truncated"]),
        ("four parts", doc_token + ".", ["Malformed"]),
        ("empty token", "", ["Malformed"]),
        ("standard base64 signature", f"{head}.{payload}.{base64.b64encode(sig).decode()}", ["Malformed"]),
        ("signature with = padding", doc_token + "==", ["Base64Leniency"]),
        ("signature with a space", f"{head}.{payload}.{sig_text[:10]} {sig_text[10:]}", ["Base64Leniency"]),
        (
            "signature with non-zero trailing bits",
            f"{head}.{payload}.{sig_text[:-1]}{'B' if sig_text[-1] == 'A' else 'A'}",
            ["Base64Leniency"],
        ),
        ("header not JSON", tok(_h("alg")), ["Malformed"]),
        ("header is an array", tok(_h("[]")), ["Malformed"]),
        ("header not UTF-8", tok(_h('{"alg":"ES256","x":"\xff"}')), ["Malformed"]),
        ("payload with a non-ASCII character", f"{head}.{payload}\u00e9.{sig_text}", ["Malformed"]),
        ("crit with an unknown extension", tok(_h('{"alg":"ES256","crit":["exp"],"exp":1}')), ["CriticalHeader"]),
        ("crit is not an array", tok(_h('{"alg":"ES256","crit":"b64"}')), ["CriticalHeader"]),
        ("crit b64 without b64", tok(_h('{"alg":"ES256","crit":["b64"]}')), ["CriticalHeader"]),
        ("b64 without crit, not signed over", tok(_h('{"alg":"ES256","b64":false}')), ["CriticalHeader", "Tampered"]),
    ]:
        add_verify(comment, flags, token)
    for comment, public_pem, flags in [
        ("P-384 public key", talkative.public_key_pem(key_p384), ["InvalidKey", "OtherCurve"]),
        ("private key PEM given as public key", priv_a, ["InvalidKey"]),
        ("not a PEM", "ec_public.pem", ["InvalidKey"]),
    ]:
        add_verify(comment, flags, doc_token, public_pem)
    _signed_payloads(b, verify, priv_a, pub_a)

    pub = b.group(
        "talkative.key.public_pem", {"name": "openssl CLI", "implementation": "openssl", "openssl": openssl.version()}
    )
    for comment, pem, flags in [
        ("key A", priv_a, ["OpensslPublicKey"]),
        ("key B", priv_b, ["OpensslPublicKey"]),
        (
            "key A as PKCS#8",
            key_a.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode(),
            ["OpensslPublicKey", "Pkcs8"],
        ),
        ("P-384 key", talkative.private_key_pem(key_p384), ["OpensslPublicKey", "OtherCurve"]),
        ("a public key is not a private key", pub_a, ["InvalidKey"]),
        ("not a PEM", "ec_private.pem", ["InvalidKey"]),
        *_pem_reading_cases(priv_a),
    ]:
        b.add(pub, built("openssl"), comment, flags, {"privateKeyPem": pem})
    return b


def _pem_reading_cases(sec1: str) -> list[tuple[str, str, list[str]]]:
    """Key texts on which OpenSSL's PEM reader and its SEC1 decoder answer otherwise than other readers (the
    expected answers are openssl's)."""
    lines = sec1.splitlines()
    begin, body, end = lines[0], lines[1:-1], lines[-1]
    der = bytearray(base64.b64decode("".join(body)))
    der[7] ^= 0x01  # the first byte of the private scalar (30 77 02 01 01 04 20 ...): the stored point is kept
    changed = "\n".join([begin, *base64.encodebytes(bytes(der)).decode().split(), end]) + "\n"
    padded = bytearray(base64.b64decode("".join(body)))
    padded[padded.rindex(b"\x03\x42\x00\x04") + 2] = 1  # the BIT STRING says 1 unused bit: openssl clears it
    unused = "\n".join([begin, *base64.encodebytes(bytes(padded)).decode().split(), end]) + "\n"
    cases = [
        ("the whole key on one line", sec1.replace("\n", "", 2), ["InvalidKey", "OpensslPemReader"]),
        (
            "the BEGIN line and the first Base64 line joined",
            begin + "\n".join([*body, end]) + "\n",
            ["InvalidKey", "OpensslPemReader"],
        ),
        ("a character before the BEGIN marker on its line", "\x0b" + sec1, ["InvalidKey", "OpensslPemReader"]),
        ("a line of text before the BEGIN line", "ec key\n" + sec1, ["OpensslPublicKey", "OpensslPemReader"]),
        (
            "spaces after the BEGIN marker",
            sec1.replace("KEY-----\n", "KEY-----  \n", 1),
            ["OpensslPublicKey", "OpensslPemReader"],
        ),
        (
            "the Base64 in one line",
            "\n".join([begin, "".join(body), end]) + "\n",
            ["OpensslPublicKey", "OpensslPemReader"],
        ),
        (
            "a blank line inside the Base64",
            "\n".join([begin, body[0], "", *body[1:], end]) + "\n",
            ["InvalidKey", "OpensslPemReader"],
        ),
        (
            "the Base64 without its padding",
            "\n".join([begin, *body[:-1], body[-1].rstrip("="), end]) + "\n",
            ["InvalidKey", "OpensslPemReader"],
        ),
        ("text after the END line", sec1 + "junk", ["OpensslPublicKey", "OpensslPemReader"]),
        ("a changed private scalar, the stored public point kept", changed, ["OpensslPublicKey", "StoredPublicPoint"]),
        ("the public point's BIT STRING with an unused bit", unused, ["OpensslPublicKey", "StoredPublicPoint"]),
    ]
    return cases


def _signed_payloads(b: VectorFileBuilder, group: dict[str, Any], private_pem: str, public_pem: str) -> None:
    """Payloads that are not interaction data, signed correctly (RFC 6979 over bytes given here), checked by jose."""
    key = talkative.load_private_key(private_pem)
    head = encode_base64_url_safe(b'{"alg":"ES256"}')
    for comment, payload, flags in [
        ("payload is an object", b'{"label":"a","data":"b","type":"string"}', ["PayloadNotInteractionData"]),
        ("payload is not JSON", b"hello", ["PayloadNotInteractionData"]),
        ("payload is not UTF-8", b'[{"label":"\xff","data":"b","type":"string"}]', ["PayloadNotInteractionData"]),
        ("payload entry with a number", b'[{"label":"a","data":1,"type":"number"}]', ["PayloadNotInteractionData"]),
        ("payload with a BOM", b'\xef\xbb\xbf[{"label":"a","data":"b","type":"string"}]', ["Normal"]),
        ("payload with duplicate members", b'[{"label":"a","label":"b","data":"c","type":"string"}]', ["Normal"]),
        ("payload with whitespace", b' [ {"label" : "a", "data":"b","type":"string"} ] ', ["Normal"]),
        ("payload with NaN", b'[{"label":"a","data":NaN,"type":"string"}]', ["PayloadNotInteractionData"]),
        (
            "crit b64 false, unencoded payload",
            b'[{"label":"a","data":"b","type":"string"}]',
            ["CriticalHeader", "UnencodedPayload"],
        ),
    ]:
        if "UnencodedPayload" in flags:
            header = encode_base64_url_safe(b'{"alg":"ES256","b64":false,"crit":["b64"]}')
            signing_input = f"{header}.{payload.decode()}"
        else:
            signing_input = f"{head}.{encode_base64_url_safe(payload)}"
        der = key.sign(signing_input.encode(), ec.ECDSA(talkative.hashes.SHA256(), deterministic_signing=True))
        token = f"{signing_input}.{_raw(der)}"
        b.add(group, built("node"), comment, flags, {"token": token, "publicKeyPem": public_pem})


def _raw(der: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(der)
    return encode_base64_url_safe(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def _cross_check(token: str, fields: Any, public_pem: str) -> None:
    """Refuse to write a sign vector that jose does not verify, or whose signing input is not jose's."""
    node_input, node_fields = node.call_many(
        [
            ("talkative.signing_input", {"fields": fields}),
            ("talkative.verify", {"token": token, "publicKeyPem": public_pem}),
        ]
    )
    if node_input.value != token.rsplit(".", 1)[0] or node_fields.status != "value":
        raise ConformanceError(
            f"jose disagrees with an RFC 6979 token: {node_input.describe()} / {node_fields.describe()}"
        )


def build_with_store() -> tuple[dict[str, str], JoseTokens]:
    tokens = JoseTokens()
    return {"talkative_signed_data.json": build(random.Random(SEED), tokens).render()}, tokens


def build_all() -> dict[str, str]:
    """Return ``{file name: text}``; jose tokens come from the frozen store (see the module docstring)."""
    return build_with_store()[0]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    files, tokens = build_with_store()
    STORE.write_text(tokens.render(), encoding="utf-8")
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {out / name}")
    print(f"wrote {STORE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
