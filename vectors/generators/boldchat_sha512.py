"""Generate boldchat_sha512.json: BoldChat's SHA-512 SecureParameters, parameter encoding and name translation.

* ``boldchat.sha512.secure`` over already-encoded data: expected outputs from OpenSSL (``openssl dgst -sha512``).
* ``boldchat.sha512.secure`` over pairs, ``boldchat.sha512.verify``, ``boldchat.params.*``: expected outputs from the
  document-rules model in ``_boldchat_rules.py`` (its own encoder and table, every hash by OpenSSL).

Inputs are built here with a fixed seed. Run: ``python -m vectors.generators.boldchat_sha512 [OUT_DIR]``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from conformance.references import openssl_dgst as openssl
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files
from vectors.generators import _boldchat_rules as rules

SEED = 20261204
#: Test hashing keys: never used outside vectors and tests.
KEY = "test-hashing-key-0001"
OTHER_KEY = "test-hashing-key-0002"
DOCUMENT_PAIRS = [["VisitName", "Robert Smith"], ["VisitEmail", "r.smith@gmail.com"]]
DOCUMENT_ENCODED = "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"

NOTES = {
    "Normal": {"bugType": "BASIC", "description": "An ordinary case."},
    "DocumentExample": {
        "bugType": "BASIC",
        "description": "The document's example data, VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com. The "
        "document's example hash (1939D964...7A9E) cannot be reproduced: its hashing key is not published.",
    },
    "UppercaseHex": {
        "bugType": "ENCODING",
        "description": "The hash is uppercase hex, 128 digits, directly followed by the data (as the example).",
    },
    "BlockBoundary": {
        "bugType": "EDGE_CASE",
        "description": "key + data around SHA-512's 128-byte block and 112-byte padding boundaries.",
    },
    "NonAsciiKey": {"bugType": "ENCODING", "description": "A hashing key with non-ASCII text: hashed as UTF-8."},
    "RawNonAsciiData": {
        "bugType": "ENCODING",
        "description": "Already-encoded data that still holds raw non-ASCII characters: hashed as UTF-8 as given.",
    },
    "PlusInData": {
        "bugType": "ENCODING",
        "description": "Already-encoded data using '+' for a space: hashed as given, decoded as a space.",
    },
    "EmptyData": {"bugType": "EDGE_CASE", "description": "No parameters: the hash of the key alone."},
    "EmptyHashingKey": {
        "bugType": "KNOWN_DEVIATION",
        "description": "An empty hashing key: OpenSSL hashes the data alone, a hash anyone can compute. The Python "
        "port refuses the key with EmptyKey, a documented deviation (DEVIATIONS.md, BoldChat SHA-512).",
    },
    "RandomData": {"bugType": "BASIC", "description": "Seeded random keys and parameters."},
    "PercentEncoding": {
        "bugType": "ENCODING",
        "description": "Every UTF-8 byte outside A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase); space is %20, never +.",
    },
    "UnsecuredList": {
        "bugType": "ENCODING",
        "description": "The Unsecured value is an &-separated list; its '&' is %26 in the data.",
    },
    "UnencodedUnsecuredAmpersand": {
        "bugType": "MALFORMED",
        "description": "An Unsecured list whose '&' was not encoded: its names after the first become separate, "
        "empty parameters.",
    },
    "Repeats": {"bugType": "FUNCTIONALITY", "description": "Repeated names are kept, in order."},
    "EmptySegments": {"bugType": "LENIENCY", "description": "Empty '&&' segments are skipped."},
    "NoEquals": {"bugType": "LENIENCY", "description": "A segment without '=' is a name with an empty value."},
    "BadEscape": {"bugType": "MALFORMED", "description": "'%' not followed by two hex digits: ParameterError."},
    "InvalidUtf8": {"bugType": "MALFORMED", "description": "Escapes that decode to bytes that are not UTF-8."},
    "EmptyName": {"bugType": "MALFORMED", "description": "A parameter with an empty name: ParameterError."},
    "LowercaseEscape": {"bugType": "LENIENCY", "description": "Lowercase hex in %-escapes is accepted."},
    "FriendlyName": {"bugType": "FUNCTIONALITY", "description": "A friendly name from the document's table."},
    "OriginalName": {"bugType": "FUNCTIONALITY", "description": "An original short name from the document's table."},
    "Synonym": {
        "bugType": "EDGE_CASE",
        "description": "Two friendly names share one original (FirstName/VisitName -> vn, "
        "FloatingChatButtonID/ChatButtonID -> cbdid); the first listed is the canonical friendly name.",
    },
    "CustomField": {"bugType": "FUNCTIONALITY", "description": "customField_[name] has no short name: kept as is."},
    "UnknownName": {
        "bugType": "MALFORMED",
        "description": "A name the document does not list (names are case-sensitive; ChatButtonDefID, mentioned "
        "as a synonym in the document, is not in its table).",
    },
    "Tampered": {"bugType": "MAC_BYPASS", "description": "Data or hash changed after hashing: HashMismatch."},
    "WrongKey": {"bugType": "MAC_BYPASS", "description": "Hashed under another key: HashMismatch."},
    "KeyRotation": {
        "bugType": "FUNCTIONALITY",
        "description": "The website holds several hashing keys; a hash under any of them verifies.",
    },
    "LowercaseHash": {
        "bugType": "LENIENCY",
        "description": "A lowercase hex hash is accepted: the document says 'hex-encoded' without a case.",
    },
    "MalformedHash": {
        "bugType": "MALFORMED",
        "description": "SecureParameters that does not start with 128 hex digits: Error Validating Chat.",
    },
    "Blank": {"bugType": "MALFORMED", "description": "Blank SecureParameters: Chat Not Validated."},
}


def openssl_source() -> dict[str, str]:
    return {"name": "OpenSSL openssl dgst -sha512 (subprocess)", "implementation": "openssl", **openssl.versions()}


def model_source() -> dict[str, str]:
    return {
        "name": "document-rules model (vectors/generators/_boldchat_rules.py), every SHA-512 by OpenSSL",
        "implementation": "boldchat-rules-model",
        **openssl.versions(),
    }


def model_ops() -> dict[str, Any]:
    return {
        "boldchat.params.encode": lambda a: rules.form_encode(a["params"]),
        "boldchat.params.decode": lambda a: rules.form_decode(a["s"]),
        "boldchat.params.to_original": lambda a: rules.to_original(a["name"]),
        "boldchat.params.to_friendly": lambda a: rules.to_friendly(a["name"]),
        "boldchat.sha512.secure": lambda a: rules.secure(rules.form_encode(a["params"]), a["hashingKey"]),
        "boldchat.sha512.verify": lambda a: rules.verify(a["secureParameters"], a["hashingKeys"]),
    }


ALPHABET = "abcXYZ019 -._~!*'()@&=+%/?#;:,\u00e9\u4e2d\U0001f600\n"


def random_text(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(ALPHABET) for _ in range(n))


def random_pairs(rnd: random.Random) -> list[list[str]]:
    names = [row[rnd.randrange(2)] for row in rules.ROWS] + ["customField_x", "customField_Order ID"]
    return [[rnd.choice(names), random_text(rnd, rnd.randrange(0, 12))] for _ in range(rnd.randrange(1, 6))]


def build(rnd: random.Random) -> VectorFileBuilder:
    ssl = built("openssl")
    model = model_ops()
    b = VectorFileBuilder(
        "boldchat_sha512",
        "boldchat_sha512.schema.json",
        NOTES,
        header=[
            "BoldChat data validation, SHA-512 method: SecureParameters = HEX(SHA-512(hashingKey + encoded)) + encoded.",
            "Groups from 'openssl' hash already-encoded data with openssl dgst -sha512. Groups from "
            "'boldchat-rules-model' come from the document's rules stated as data in vectors/generators/"
            "_boldchat_rules.py (its own encoder, decoder and table; hashes by OpenSSL), not from the Python code.",
            "All hashing keys here are test keys.",
        ],
    )

    sec = b.group("boldchat.sha512.secure", openssl_source(), "already-encoded data, hashed by OpenSSL")
    b.add(
        sec,
        ssl,
        "document example data",
        ["DocumentExample", "UppercaseHex"],
        {"encoded": DOCUMENT_ENCODED, "hashingKey": KEY},
    )
    for key in ("k", OTHER_KEY, "x" * 200):
        b.add(
            sec,
            ssl,
            f"document data, {len(key)}-character key",
            ["DocumentExample"],
            {"encoded": DOCUMENT_ENCODED, "hashingKey": key},
        )
    b.add(
        sec, ssl, "non-ASCII key", ["NonAsciiKey"], {"encoded": DOCUMENT_ENCODED, "hashingKey": "cl\u00e9-\U0001f511"}
    )
    b.add(sec, ssl, "no data", ["EmptyData"], {"encoded": "", "hashingKey": KEY})
    b.add(sec, ssl, "raw non-ASCII data", ["RawNonAsciiData"], {"encoded": "VisitName=Jos\u00e9", "hashingKey": KEY})
    b.add(sec, ssl, "'+' for a space", ["PlusInData"], {"encoded": "VisitName=Robert+Smith", "hashingKey": KEY})
    for total in (111, 112, 113, 127, 128, 129, 239, 240, 256):
        data = ("vr=" + "a" * total)[: total - len(KEY)]
        b.add(sec, ssl, f"key + data = {total} bytes", ["BlockBoundary"], {"encoded": data, "hashingKey": KEY})
    b.add(
        sec,
        ssl,
        "empty hashing key",
        ["EmptyHashingKey"],
        {"encoded": DOCUMENT_ENCODED, "hashingKey": ""},
        result="acceptable",
    )
    for i in range(20):
        args = {"encoded": rules.form_encode(random_pairs(rnd)), "hashingKey": random_text(rnd, rnd.randrange(1, 40))}
        b.add(sec, ssl, f"random {i}", ["RandomData"], args)

    msec = b.group("boldchat.sha512.secure", model_source(), "pairs, encoded by the rules model, hashed by OpenSSL")
    b.add(
        msec,
        model,
        "document example pairs",
        ["DocumentExample", "PercentEncoding"],
        {"params": DOCUMENT_PAIRS, "hashingKey": KEY},
    )
    b.add(
        msec,
        model,
        "chat launch with Unsecured list",
        ["UnsecuredList"],
        {
            "params": [*DOCUMENT_PAIRS, ["Type", "chat"], ["Unsecured", "VisitName&InitialQuestion&VisitPhone"]],
            "hashingKey": KEY,
        },
    )
    b.add(msec, model, "empty name", ["EmptyName"], {"params": [["", "x"]], "hashingKey": KEY})
    for i in range(10):
        args = {"params": random_pairs(rnd), "hashingKey": random_text(rnd, rnd.randrange(1, 30))}
        b.add(msec, model, f"random pairs {i}", ["RandomData", "PercentEncoding"], args)

    enc = b.group("boldchat.params.encode", model_source())
    doc = b.add(
        enc, model, "the document's example", ["DocumentExample", "PercentEncoding"], {"params": DOCUMENT_PAIRS}
    )
    if doc["output"] != DOCUMENT_ENCODED:
        raise SystemExit("the rules model does not reproduce the document's encoded example")
    for label, value in [
        ("space and plus", "a b+c"),
        ("reserved characters", "&=?/#%;:,@$"),
        ("unreserved marks", "-._~!*'()"),
        ("non-ASCII", "Jos\u00e9 \u4e2d \U0001f600"),
        ("newline and tab", "line\nbreak\tx"),
        ("empty", ""),
    ]:
        b.add(enc, model, label, ["PercentEncoding"], {"params": [["InitialQuestion", value]]})
    b.add(
        enc,
        model,
        "Unsecured list",
        ["UnsecuredList"],
        {"params": [["Unsecured", "VisitName&InitialQuestion&VisitPhone"]]},
    )
    b.add(
        enc,
        model,
        "repeated names",
        ["Repeats"],
        {"params": [["customField_a", "1"], ["vn", "x"], ["customField_a", "2"]]},
    )
    b.add(
        enc,
        model,
        "custom field name with a space",
        ["CustomField", "PercentEncoding"],
        {"params": [["customField_Order ID", "7"]]},
    )
    b.add(enc, model, "no parameters", ["EmptyData"], {"params": []})
    b.add(enc, model, "empty name", ["EmptyName"], {"params": [["", "x"]]})
    for i in range(10):
        b.add(enc, model, f"random {i}", ["RandomData", "PercentEncoding"], {"params": random_pairs(rnd)})

    dec = b.group("boldchat.params.decode", model_source())
    for label, text, flags in [
        ("the document's example", DOCUMENT_ENCODED, ["DocumentExample"]),
        ("Unsecured with %26", "Type=chat&Unsecured=VisitName%26InitialQuestion%26VisitPhone", ["UnsecuredList"]),
        ("Unsecured with a raw &", "Type=chat&Unsecured=VisitName&InitialQuestion", ["UnencodedUnsecuredAmpersand"]),
        ("'+' is a space", "VisitName=Robert+Smith", ["PlusInData"]),
        ("%2B is a plus", "ca=1%2B1", ["PercentEncoding"]),
        ("repeats kept in order", "vn=a&ve=b&vn=c", ["Repeats"]),
        ("empty segments", "&&vn=a&&ve=b&", ["EmptySegments"]),
        ("no '='", "vn&ve=", ["NoEquals"]),
        ("'=' inside a value", "vi=a=b=c", ["Normal"]),
        ("lowercase escapes", "vn=%c3%a9%2f", ["LowercaseEscape"]),
        ("empty string", "", ["EmptyData"]),
        ("raw non-ASCII", "vn=Jos\u00e9", ["RawNonAsciiData"]),
        ("bad escape %zz", "vn=%zz", ["BadEscape"]),
        ("truncated escape", "vn=abc%4", ["BadEscape"]),
        ("lone %", "vn=%", ["BadEscape"]),
        ("escape of a lone continuation byte", "vn=%80", ["InvalidUtf8"]),
        ("escaped surrogate", "vn=%ED%A0%80", ["InvalidUtf8"]),
        ("truncated UTF-8", "vn=%E4%B8", ["InvalidUtf8"]),
        ("empty name", "=x", ["EmptyName"]),
        ("empty name after escapes", "vn=1&=2", ["EmptyName"]),
    ]:
        b.add(dec, model, label, flags, {"s": text})
    for i in range(10):
        b.add(dec, model, f"random round trip {i}", ["RandomData"], {"s": rules.form_encode(random_pairs(rnd))})

    to_orig = b.group("boldchat.params.to_original", model_source())
    to_friend = b.group("boldchat.params.to_friendly", model_source())
    for friendly, original in rules.ROWS:
        synonym = ["Synonym"] if original in ("vn", "cbdid") else []
        b.add(to_orig, model, f"{friendly} -> {original}", ["FriendlyName", *synonym], {"name": friendly})
        b.add(to_friend, model, f"{original} -> friendly", ["OriginalName", *synonym], {"name": original})
        b.add(to_friend, model, f"{friendly} stays", ["FriendlyName", *synonym], {"name": friendly})
    for name in ("customField_Order", "customField_a b"):
        b.add(to_orig, model, name, ["CustomField"], {"name": name})
        b.add(to_friend, model, name, ["CustomField"], {"name": name})
    for name in ("visitname", "ChatButtonDefID", "customField_", "VN", "", "SecureParameters"):
        b.add(to_orig, model, f"unknown {name!r}", ["UnknownName"], {"name": name})
        b.add(to_friend, model, f"unknown {name!r}", ["UnknownName"], {"name": name})

    ver = b.group("boldchat.sha512.verify", model_source())
    good = rules.secure(DOCUMENT_ENCODED, KEY)
    b.add(ver, model, "document data", ["DocumentExample"], {"secureParameters": good, "hashingKeys": [KEY]})
    b.add(
        ver, model, "second of two keys", ["KeyRotation"], {"secureParameters": good, "hashingKeys": [OTHER_KEY, KEY]}
    )
    b.add(
        ver,
        model,
        "lowercase hash",
        ["LowercaseHash"],
        {"secureParameters": good[:128].lower() + good[128:], "hashingKeys": [KEY]},
        result="acceptable",
    )
    b.add(ver, model, "wrong key", ["WrongKey"], {"secureParameters": good, "hashingKeys": [OTHER_KEY]})
    flipped = "0" if good[0] != "0" else "1"
    b.add(ver, model, "hash changed", ["Tampered"], {"secureParameters": flipped + good[1:], "hashingKeys": [KEY]})
    b.add(
        ver,
        model,
        "data changed",
        ["Tampered"],
        {"secureParameters": good.replace("Robert", "Mallory"), "hashingKeys": [KEY]},
    )
    b.add(ver, model, "data appended", ["Tampered"], {"secureParameters": good + "&vr=1", "hashingKeys": [KEY]})
    b.add(ver, model, "hash only, data dropped", ["Tampered"], {"secureParameters": good[:128], "hashingKeys": [KEY]})
    b.add(ver, model, "blank", ["Blank"], {"secureParameters": "", "hashingKeys": [KEY]})
    b.add(ver, model, "whitespace only", ["Blank"], {"secureParameters": "  \t", "hashingKeys": [KEY]})
    b.add(ver, model, "127 hex digits", ["MalformedHash"], {"secureParameters": good[:127], "hashingKeys": [KEY]})
    b.add(ver, model, "data only", ["MalformedHash"], {"secureParameters": DOCUMENT_ENCODED, "hashingKeys": [KEY]})
    b.add(ver, model, "non-hex digit", ["MalformedHash"], {"secureParameters": "G" + good[1:], "hashingKeys": [KEY]})
    b.add(
        ver,
        model,
        "space in the hash",
        ["MalformedHash"],
        {"secureParameters": good[:10] + " " + good[11:], "hashingKeys": [KEY]},
    )
    b.add(ver, model, "empty hash", ["EmptyData"], {"secureParameters": rules.secure("", KEY), "hashingKeys": [KEY]})
    bad_data = rules.secure("vn=%zz", KEY)
    b.add(ver, model, "verified but undecodable", ["BadEscape"], {"secureParameters": bad_data, "hashingKeys": [KEY]})
    for i in range(10):
        key = random_text(rnd, rnd.randrange(1, 30))
        sp = rules.secure(rules.form_encode(random_pairs(rnd)), key)
        b.add(ver, model, f"random {i}", ["RandomData"], {"secureParameters": sp, "hashingKeys": [key]})
    return b


def build_all() -> dict[str, str]:
    """Return ``{file name: text}``."""
    return {"boldchat_sha512.json": build(random.Random(SEED)).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
