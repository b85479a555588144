"""Generate stream_chat_token.json from Stream's own SDKs: npm ``stream-chat``, PyPI ``stream-chat``, Maven
``io.getstream:stream-chat-java`` (the registry's ``stream-node``, ``stream-python``, ``stream-java``).

Every SDK gets the same inputs (the Java SDK's ``issuedAt`` is always given: it reads the clock when it is null), and
every expected token or error is what that SDK answered. Stream's SDKs read no clock otherwise, so the file is
reproducible byte for byte. The verifier's vectors (what Stream documents an app accepts) are tokens made by the
SDKs, the node SDK's development tokens, tampered ones and claim edges, answered by the live references of the
documented rules (jsonwebtoken in ``node_ref`` and PyJWT, each with the ``user_id``, ``exp`` and development-token
rules), recorded only where both agree (:mod:`vectors.generators._documented_verifiers`), not by the port.
Run: ``python -m vectors.generators.stream_chat_token [OUT_DIR]``.
"""

from __future__ import annotations

import random
import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jwt

from conformance.catalog.flows import STREAM_NOW, STREAM_SDK_OPS
from conformance.codecs import decode_base64_url, encode_base64_url_safe
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files
from vectors.generators import _documented_verifiers as documented

SEED = 20261202
NOW = STREAM_NOW
SECRET = "handoff-conformance-stream-secret-0001"  # 38 bytes: long enough for the Java SDK's jjwt

NOTES = {
    **documented.READING_NOTES,
    "Normal": {"bugType": "BASIC", "description": "An ordinary user token."},
    "NoExpiry": {
        "bugType": "WEAKNESS",
        "description": "No exp: every SDK signs a token without one, which Stream accepts for ever (the SDKs'"
        " default).",
        "effect": "A leaked user token never expires unless the app rotates its secret or revokes tokens.",
    },
    "FalsyClaim": {
        "bugType": "REFERENCE_QUIRK",
        "description": "exp or iat of 0: the node and Python SDKs drop a falsy claim (if (exp) / if exp:), the Java"
        " SDK writes it.",
    },
    "PastExpiry": {"bugType": "EDGE_CASE", "description": "An exp in the past (or negative): every SDK signs it."},
    "LongLived": {"bugType": "EDGE_CASE", "description": "An exp years ahead, or 2**53 - 1: no SDK bounds it."},
    "FixedIat": {"bugType": "FUNCTIONALITY", "description": "iat given: node turns noTimestamp off and keeps it."},
    "Unicode": {
        "bugType": "ENCODING",
        "description": "Non-ASCII and astral user ids: node writes raw UTF-8, Python \\uxxxx escapes (PyJWT's"
        " ensure_ascii), Java raw UTF-8 except surrogates, which Jackson writes as \\uXXXX (upper case).",
    },
    "JsonEscapes": {
        "bugType": "ENCODING",
        "description": "Quotes, backslash, C0 controls, DEL and U+2028: each SDK's JSON writer escapes its own set.",
    },
    "LoneSurrogate": {
        "bugType": "ENCODING",
        "description": "A lone surrogate in the user id: escaped by all three (\\udxxx; Jackson \\uDXXX); in a"
        " secret: U+FFFD in node, ? in Java, refused by Python.",
    },
    "EmptyId": {"bugType": "EDGE_CASE", "description": "An empty user id: every SDK signs it."},
    "LongId": {"bugType": "EDGE_CASE", "description": "A user id of 10,000 characters."},
    "WeakKey": {
        "bugType": "INTEROP",
        "description": "A secret under 32 bytes: the Java SDK (jjwt) refuses it with WeakKeyException; node and"
        " Python sign.",
    },
    "EmptySecret": {
        "bugType": "MALFORMED",
        "description": "An empty secret: node refuses before signing, PyJWT refuses an empty HMAC key, Java's"
        " SecretKeySpec throws 'Empty key'.",
    },
    "PemSecret": {
        "bugType": "EDGE_CASE",
        "description": "A PEM block as the secret: PyJWT refuses it as an asymmetric key; jsonwebtoken only when it"
        " parses as a private key.",
    },
    "DevToken": {
        "bugType": "WEAKNESS",
        "description": "The node SDK's devToken(userId): header.payload.devtoken, a literal signature anyone can"
        " make, accepted by an app with auth checks off; its payload is standard Base64 (padded) of the low byte"
        " of each UTF-16 code unit, so an id above U+00FF is mangled.",
    },
    "DevTokenAuthOn": {
        "bugType": "SIGNATURE_BYPASS",
        "description": "A development token where auth checks are on: it must be refused.",
    },
    "WrongSecret": {"bugType": "SIGNATURE_BYPASS", "description": "A token signed with another secret."},
    "Tampered": {"bugType": "SIGNATURE_BYPASS", "description": "The payload changed after signing."},
    "Expired": {"bugType": "EXPIRY_BYPASS", "description": "exp is not after the verification time."},
    "WrongUser": {"bugType": "MODIFIED", "description": "A valid token of another user."},
    "AlgNone": {"bugType": "ALG_CONFUSION", "description": "alg none with an empty signature."},
    "Malformed": {"bugType": "MALFORMED", "description": "Not three Base64 segments of JSON objects."},
    "BadClaimType": {"bugType": "MALFORMED", "description": "exp not a number, or user_id not a string: refused."},
    "NoUserId": {"bugType": "FUNCTIONALITY", "description": "A valid signature over claims without user_id."},
    "NbfIgnored": {
        "bugType": "EDGE_CASE",
        "description": "nbf or iat in the future: Stream documents neither, so the token is accepted (PyJWT's"
        " and jsonwebtoken's own nbf and iat checks are not Stream's rules).",
    },
    "OtherAlgorithm": {"bugType": "ALG_CONFUSION", "description": "HS512 under the secret: only HS256 is accepted."},
    "EmptySignature": {"bugType": "SIGNATURE_BYPASS", "description": "alg HS256 with an empty signature part."},
    "RandomInput": {"bugType": "BASIC", "description": "Seeded random user ids and claims."},
    "SecretTrailingNewline": {
        "bugType": "FUNCTIONALITY",
        "description": "One side's API secret ends with the newline of the file or environment variable it was read"
        " from: the HMAC keys differ, the signature does not verify.",
    },
    "UserIdCase": {
        "bugType": "MODIFIED",
        "description": "The token's user_id differs from the connecting user's only in letter case: user ids are"
        " compared exactly.",
    },
    "UserIdType": {
        "bugType": "MODIFIED",
        "description": 'The token\'s user_id is a JSON number (42), not the string the user connects with ("42"):'
        " the documented verifier wants a string.",
    },
    "ExpMilliseconds": {
        "bugType": "WEAKNESS",
        "description": "exp written in milliseconds (Date.now() + ms) where JWT wants seconds: the token is accepted"
        " and lives about a thousand times longer than meant.",
    },
}

SDK_OPS = STREAM_SDK_OPS
_ASTRAL = "j\u00e9r\u00f4me \u20ac \U0001f600 \u4e2d\u6587"


def _id_cases(rnd: random.Random) -> list[tuple[str, list[str], str]]:
    cases = [
        ("alice", ["Normal"], "an ASCII id"),
        (_ASTRAL, ["Unicode"], "Latin-1, BMP and astral characters"),
        ("", ["EmptyId"], "an empty id"),
        ("u" * 10_000, ["LongId"], "10,000 characters"),
        ('q"b\\s/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029', ["JsonEscapes"], "JSON escapes"),
        ("a\ud800b", ["LoneSurrogate"], "a lone high surrogate"),
        ("\udfff", ["LoneSurrogate"], "a lone low surrogate"),
        ("\ue000\ufeff\uffff", ["Unicode"], "private use, BOM, U+FFFF"),
    ]
    alphabet = "abcXYZ09-_@.+ \u00e9\u00ff\u0100\u20ac\U0001f600\u4e2d"
    for _ in range(4):
        length = rnd.randint(1, 40)
        cases.append(("".join(rnd.choice(alphabet) for _ in range(length)), ["RandomInput"], "a random id"))
    return cases


def _inputs(rnd: random.Random) -> list[tuple[dict[str, Any], list[str], str]]:
    inputs: list[tuple[dict[str, Any], list[str], str]] = []
    for user_id, flags, comment in _id_cases(rnd):
        inputs.append(({"secret": SECRET, "userId": user_id, "exp": None, "iat": None}, ["NoExpiry", *flags], comment))
        inputs.append(({"secret": SECRET, "userId": user_id, "exp": NOW + 3600, "iat": NOW}, flags, comment))
    claims = [
        ({"exp": NOW + 3600, "iat": None}, ["Normal"], "exp in an hour"),
        ({"exp": None, "iat": NOW}, ["NoExpiry", "FixedIat"], "iat only"),
        ({"exp": 0, "iat": 0}, ["FalsyClaim"], "exp and iat of 0"),
        ({"exp": 0, "iat": NOW}, ["FalsyClaim"], "exp of 0"),
        ({"exp": NOW + 60, "iat": 0}, ["FalsyClaim"], "iat of 0"),
        ({"exp": NOW - 1, "iat": NOW - 3600}, ["PastExpiry"], "exp a second ago"),
        ({"exp": -5, "iat": -10}, ["PastExpiry"], "negative exp and iat"),
        ({"exp": NOW, "iat": NOW}, ["PastExpiry"], "exp is now"),
        ({"exp": NOW + 10 * 365 * 86400, "iat": NOW}, ["LongLived"], "exp in ten years"),
        ({"exp": 2**53 - 1, "iat": NOW}, ["LongLived"], "exp 2**53 - 1"),
    ]
    for extra, flags, comment in claims:
        inputs.append(({"secret": SECRET, "userId": "alice", **extra}, flags, comment))
    secrets = [
        ("short", ["WeakKey"], "a 5-byte secret"),
        ("s" * 31, ["WeakKey"], "31 bytes"),
        ("s" * 32, ["Normal"], "exactly 32 bytes"),
        ("\u00e9" * 16, ["Unicode"], "16 characters, 32 UTF-8 bytes"),
        ("", ["EmptySecret"], "an empty secret"),
        ("\ud800" * 40, ["LoneSurrogate"], "lone surrogates in the secret"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + "k" * 8, ["PemSecret"], "a PEM block"),
    ]
    for secret, flags, comment in secrets:
        inputs.append(({"secret": secret, "userId": "alice", "exp": NOW + 60, "iat": NOW}, flags, comment))
    return inputs


def _source(name: str, implementation: Any) -> dict[str, str]:
    return {"name": name, "implementation": implementation.name, **implementation.versions()}


def _java_args(args: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Java SDK's arguments: the same, with iat (which it would read from the clock when null)."""
    return None if args["iat"] is None else dict(args)


def _signed(claims: Mapping[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    """A token PyJWT signs (inputs of the verifier's extra cases, made here, not by an SDK)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns of HS512 keys under 64 bytes
        return jwt.encode(dict(claims), secret, algorithm=algorithm)


def _claim_cases() -> list[tuple[str, list[str], dict[str, Any]]]:
    """Tokens no SDK makes but a verifier meets: claim types, a missing user_id, nbf, other algorithms."""
    base = {"token": "", "secret": SECRET, "now": NOW, "userId": "alice"}
    unsigned = _signed({"user_id": "alice"}).rsplit(".", 1)[0] + "."
    made = [
        ("exp as a string", ["BadClaimType"], _signed({"user_id": "alice", "exp": str(NOW + 60)})),
        ("exp as a float, in the future", ["Normal"], _signed({"user_id": "alice", "exp": NOW + 0.5})),
        ("exp null", ["NoExpiry"], _signed({"user_id": "alice", "exp": None})),
        ("user_id as a number", ["BadClaimType"], _signed({"user_id": 42})),
        ("no user_id", ["NoUserId"], _signed({"sub": "alice"})),
        ("nbf an hour ahead (no Stream rule)", ["NbfIgnored"], _signed({"user_id": "alice", "nbf": NOW + 3600})),
        ("iat a day ahead (no Stream rule)", ["NbfIgnored"], _signed({"user_id": "alice", "iat": NOW + 86_400})),
        ("HS512 under the secret", ["OtherAlgorithm"], _signed({"user_id": "alice"}, algorithm="HS512")),
        ("HS256 with an empty signature", ["EmptySignature"], unsigned),
    ]
    return [(comment, flags, {**base, "token": token}) for comment, flags, token in made]


def _tamper(token: str) -> str:
    import json

    header, payload, signature = token.split(".")
    claims = json.loads(decode_base64_url(payload))
    claims["user_id"] = "admin"
    body = encode_base64_url_safe(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{body}.{signature}"


def build_all() -> dict[str, str]:
    rnd = random.Random(SEED)
    builder = VectorFileBuilder(
        "stream_chat_token",
        "stream_chat_token.schema.json",
        NOTES,
        header=[
            "Stream Chat user tokens as each of Stream's SDKs signs them (node, Python, Java), the node SDK's",
            "development token, and the verifier Stream documents; every expected value is the SDK's own answer.",
        ],
    )
    inputs = _inputs(rnd)
    refs = {sdk: built(f"stream-{sdk}") for sdk in ("node", "python", "java")}
    produced: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    for sdk, op in zip(refs, SDK_OPS, strict=True):
        reference = refs[sdk]
        group = builder.group(op, _source(f"Stream's {sdk} SDK", reference), f"the {sdk} SDK's layout")
        produced[sdk] = []
        for args, flags, comment in inputs:
            call = _java_args(args) if sdk == "java" else dict(args)
            if call is None:
                continue
            test = builder.add(group, reference, comment, flags, call)
            if "output" in test:
                produced[sdk].append((call, test["output"]))
    dev_group = builder.group("stream.token.dev_node", _source("Stream's node SDK", refs["node"]))
    dev_tokens = []
    for user_id, flags, comment in _id_cases(rnd):
        test = builder.add(dev_group, refs["node"], comment, ["DevToken", *flags], {"userId": user_id})
        dev_tokens.append((user_id, test["output"]))
    verify = builder.group(
        "stream.token.verify",
        documented.source("Stream's documented rules (HS256 under the API secret, user_id, exp, development tokens)"),
        "tokens the SDKs made, judged as Stream documents an app judges them",
    )

    def check(comment: str, flags: list[str], args: dict[str, Any]) -> None:
        documented.add(builder, verify, comment, flags, args)

    for sdk, made in produced.items():
        for call, token in made[:6] + [m for m in made if m[0]["exp"] and m[0]["exp"] <= NOW][:2]:
            args = {"token": token, "secret": call["secret"], "now": NOW, "userId": call["userId"]}
            flags = ["Expired"] if call["exp"] and call["exp"] <= NOW else ["Normal"]
            check(f"a {sdk} SDK token", flags, args)
        call, token = made[0]
        check(f"{sdk}: another secret", ["WrongSecret"], {**_plain(call, token), "secret": "x" * 40})
        check(f"{sdk}: tampered", ["Tampered"], {**_plain(call, token), "token": _tamper(token)})
        check(f"{sdk}: another user", ["WrongUser"], {**_plain(call, token), "userId": "mallory"})
        check(f"{sdk}: no exp, a century later", ["NoExpiry"], {**_plain(call, token), "now": NOW + 100 * 365 * 86400})
    for user_id, token in dev_tokens[:4]:
        base = {"token": token, "secret": SECRET, "now": NOW, "userId": user_id}
        check("dev token, auth checks off", ["DevToken"], {**base, "authChecks": False})
        check("dev token, auth checks on", ["DevTokenAuthOn"], {**base, "authChecks": True})
    unsecured = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoiYWxpY2UifQ."
    check("alg none", ["AlgNone"], {"token": unsecured, "secret": SECRET, "now": NOW})
    for junk in ("", "a.b", "a.b.c.d", "!!.e30.x"):
        check("not a token", ["Malformed"], {"token": junk, "secret": SECRET, "now": NOW})
    for comment, flags, args in _claim_cases():
        check(comment, flags, args)
    for comment, flags, token, secret in documented.reading_cases(_signed({"user_id": "alice"}), SECRET):
        check(comment, flags, {"token": token, "secret": secret, "now": NOW, "userId": "alice"})
    _integration_mistakes(check, produced["node"][0])
    return {"stream_chat_token.json": builder.render()}


def _integration_mistakes(
    check: Callable[[str, list[str], dict[str, Any]], None], made: tuple[dict[str, Any], str]
) -> None:
    """Mistakes an integrator makes (what ``conformance inspect`` names): tokens by the node SDK or PyJWT."""
    call, token = made
    newline = {**_plain(call, token), "secret": call["secret"] + "\n"}
    check("the verifier's secret read with its newline", ["SecretTrailingNewline"], newline)
    case = {"token": _signed({"user_id": "Alice"}), "secret": SECRET, "now": NOW, "userId": "alice"}
    check("user_id Alice, the user alice", ["UserIdCase"], case)
    check("user_id 42 as a number", ["UserIdType"], {**case, "token": _signed({"user_id": 42}), "userId": "42"})
    millis = _signed({"user_id": "alice", "exp": (NOW + 3600) * 1000})
    check("exp in milliseconds", ["ExpMilliseconds"], {**case, "token": millis})


def _plain(call: Mapping[str, Any], token: str) -> dict[str, Any]:
    return {"token": token, "secret": call["secret"], "now": NOW, "userId": call["userId"]}


def main(argv: list[str] | None = None) -> int:
    return write_files(build_all, argv or sys.argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main())
