"""Generate thread_messenger.json from PHP (``hash_hmac``, ``hash_equals``), through :mod:`conformance.references.php`.

Inputs are built here with a fixed seed; every expected output or error is what PHP answered, and so are the
intermediate UTF-8 bytes. Run: ``python -m vectors.generators.thread [OUT_DIR]``.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from conformance.errors import ConformanceError
from conformance.references import php
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files

SEED = 20261121
SECRET = "tHr3aD-portal-secret-for-vectors-only"  # a test secret, never used outside vectors
APP_ID = "YOUR_APP_ID"  # as in the document's snippet
EMAIL = "foo@bar.com"  # as in the document's snippet

NOTES = {
    "Normal": {"bugType": "BASIC", "description": "An ordinary email and secret."},
    "DocumentExample": {
        "bugType": "BASIC",
        "description": "The document's snippet: appId YOUR_APP_ID, email foo@bar.com (the secret is ours: the"
        " document gives none).",
    },
    "CaseSensitive": {
        "bugType": "FUNCTIONALITY",
        "description": "hash_hmac does not normalize case: Foo@Bar.com and foo@bar.com give different keys.",
        "effect": "The portal must pass the email exactly as it hashed it; lowercasing on one side only breaks login.",
    },
    "Whitespace": {
        "bugType": "FUNCTIONALITY",
        "description": "Leading or trailing whitespace (space, tab, CR/LF, NBSP, zero-width space) is hashed as is.",
        "effect": "An email read with a trailing newline or copied with an NBSP gives a key Thread will not accept.",
    },
    "UnicodeEmail": {
        "bugType": "ENCODING",
        "description": "Non-ASCII emails (EAI, RFC 6531): the message is the email's UTF-8 bytes.",
    },
    "UnicodeNormalization": {
        "bugType": "ENCODING",
        "description": "NFC and NFD spellings of the same visible email are different bytes and give different keys.",
    },
    "IdnEmail": {
        "bugType": "ENCODING",
        "description": "An internationalized domain as U-label (bücher.de) and as A-label (xn--bcher-kva.de) gives"
        " different keys: nothing converts between them.",
    },
    "AstralCharacters": {"bugType": "ENCODING", "description": "Characters outside the BMP: 4-byte UTF-8."},
    "NulCharacter": {"bugType": "EDGE_CASE", "description": "U+0000 is one zero byte; PHP strings hold it."},
    "EmptyEmail": {"bugType": "EDGE_CASE", "description": "The empty email: HMAC of no bytes is still a key."},
    "EmptySecret": {
        "bugType": "WEAKNESS",
        "description": "hash_hmac accepts an empty key, so connection_key does too; messenger_params refuses it"
        " (EmptySecret), in Python and in the PHP reference alike: an unset secret would let anyone compute keys.",
    },
    "HexLookingSecret": {
        "bugType": "FUNCTIONALITY",
        "description": "A secret that looks like hex or Base64 is used as its text bytes, never decoded.",
    },
    "SecretTrailingNewline": {
        "bugType": "FUNCTIONALITY",
        "description": "A secret read from a file or environment with its trailing newline is another key.",
    },
    "LongEmail": {"bugType": "EDGE_CASE", "description": "Messages much longer than a SHA-256 block."},
    "BlockSizeSecret": {
        "bugType": "EDGE_CASE",
        "description": "Secrets of 63, 64 and 65 bytes around the 64-byte HMAC block: up to 64 bytes the key is"
        " zero-padded, beyond it the key is SHA-256(secret).",
    },
    "LongSecret": {
        "bugType": "EDGE_CASE",
        "description": "A secret longer than the 64-byte block (by bytes: 40 'é' are 80 bytes) is hashed first.",
    },
    "LongKeyHashed": {
        "bugType": "WEAKNESS",
        "description": "HMAC replaces a key longer than 64 bytes by its SHA-256: the long secret and its 32-byte"
        " digest give the same connection key.",
        "effect": "Two different secrets are equivalent; harmless for a random secret, surprising in tests.",
    },
    "KeyZeroPadding": {
        "bugType": "WEAKNESS",
        "description": "HMAC pads a short key with zero bytes: 'k', 'k\\0' and 'k\\0\\0' give the same key.",
        "effect": "Secrets that differ only in trailing NUL bytes are equivalent.",
    },
    "Latin1Email": {
        "bugType": "INTEROP",
        "description": "The same visible email in ISO-8859-1 and in UTF-8 bytes: PHP hashes bytes, so a Latin-1"
        " database gives a different key. Only connection_key_bytes can express it.",
    },
    "InvalidUtf8": {
        "bugType": "EDGE_CASE",
        "description": "Bytes that are not UTF-8 (including the 3-byte form of a surrogate): hash_hmac hashes them.",
    },
    "BinarySecret": {"bugType": "FUNCTIONALITY", "description": "A secret of arbitrary bytes."},
    "LoneSurrogate": {
        "bugType": "MALFORMED",
        "description": "A str with a lone surrogate has no UTF-8 encoding: UnencodableText. PHP receives its"
        " 3-byte (WTF-8) form and its UTF-8 validator (preg_match //u) refuses it the same way.",
    },
    "Utf8Bytes": {"bugType": "BASIC", "description": "The bytes a str is hashed as: its UTF-8 encoding."},
    "RandomText": {"bugType": "BASIC", "description": "Seeded random emails and secrets, BMP and astral."},
    "RandomBytes": {"bugType": "BASIC", "description": "Seeded random bytes."},
    "CorrectKey": {"bugType": "BASIC", "description": "The key PHP computed for this email and secret verifies."},
    "UppercaseKey": {
        "bugType": "FUNCTIONALITY",
        "description": "hash_equals is exact: the key in uppercase hex does not verify (hash_hmac emits lowercase).",
    },
    "KeyWhitespace": {
        "bugType": "FUNCTIONALITY",
        "description": "A key with a trailing newline or surrounding spaces does not verify.",
    },
    "TruncatedKey": {"bugType": "MAC_BYPASS", "description": "A prefix of the key does not verify."},
    "ModifiedKey": {"bugType": "MAC_BYPASS", "description": "One hex digit changed."},
    "EmptyKey": {"bugType": "MALFORMED", "description": "The empty key does not verify."},
    "NonHexKey": {"bugType": "MALFORMED", "description": "A key with non-hex or non-ASCII characters."},
    "WrongSecret": {"bugType": "MAC_BYPASS", "description": "The key was made with another secret."},
    "OtherEmail": {"bugType": "MAC_BYPASS", "description": "The key of another email (here: another case)."},
    "SwappedArguments": {
        "bugType": "INTEROP",
        "description": "hash_hmac('sha256', secret, email), key and message swapped: a common mistake; does not verify.",
    },
    "RawDigestKey": {
        "bugType": "INTEROP",
        "description": "hash_hmac(..., true) gives raw bytes; their Base64 is not the hex key and does not verify.",
    },
    "ParamsShape": {
        "bugType": "FUNCTIONALITY",
        "description": "messenger_params: appId, connectionType 'messenger_auth', connectionEmail (the document's"
        " snippet misspells it conenctionEmail; the documented name is emitted), connectionKey.",
    },
    "MarkupInEmail": {
        "bugType": "INTEROP",
        "description": "An email with '</script>' or quotes is returned as data, unchanged; escaping it for the"
        " page is the template's job (e.g. PHP json_encode with JSON_HEX_TAG).",
    },
}


def php_source() -> dict[str, str]:
    name = "PHP hash_hmac/hash_equals via php -r (conformance/references/php.py)"
    return {"name": name, "implementation": "php", **php.versions()}


_JOINED_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _check_storable(args: dict[str, Any]) -> None:
    """A lone high surrogate followed by a lone low one would come back from JSON as one astral character."""
    for value in args.values():
        if isinstance(value, str) and _JOINED_PAIR.search(value):
            raise ConformanceError("a vector input would not survive the JSON round trip")


def random_text(rnd: random.Random, length: int) -> str:
    pools = [
        lambda: chr(rnd.randrange(0x21, 0x7F)),
        lambda: chr(rnd.randrange(0xA0, 0x800)),
        lambda: chr(rnd.randrange(0x800, 0xD800)),
        lambda: chr(rnd.randrange(0xE000, 0x10000)),
        lambda: chr(rnd.randrange(0x10000, 0x110000)),
    ]
    return "".join(rnd.choice(pools)() for _ in range(length))


class _Flow:
    """The builder and the PHP op table, with a helper that records the UTF-8 bytes PHP hashed."""

    def __init__(self) -> None:
        self.ref = built("php")
        self.src = php_source()
        self.b = VectorFileBuilder(
            "thread_messenger",
            "thread_messenger.schema.json",
            NOTES,
            header=[
                "Thread Messenger portal auto-authentication: connectionKey = hash_hmac('sha256', email, secret).",
                "Expected outputs and intermediate UTF-8 bytes are what PHP answered; text is UTF-8 encoded.",
            ],
        )

    def group(self, op: str, comment: str = "") -> dict[str, Any]:
        return self.b.group(op, self.src, comment)

    def add(self, group: dict[str, Any], comment: str, flags: list[str], args: dict[str, Any]) -> dict[str, Any]:
        _check_storable(args)
        intermediate = None
        if group["op"] == "thread.connection_key":
            email, secret = self.ref.call_many(
                [("thread.text_bytes", {"text": args["email"]}), ("thread.text_bytes", {"text": args["secret"]})]
            )
            if email.status == "value" and secret.status == "value":
                intermediate = {"emailUtf8": email.value, "secretUtf8": secret.value}
        return self.b.add(group, self.ref, comment, flags, args, intermediate=intermediate)

    def key(self, email: str, secret: str) -> str:
        (outcome,) = self.ref.call_many([("thread.connection_key", {"email": email, "secret": secret})])
        if outcome.status != "value":
            raise ConformanceError(f"PHP could not make a key: {outcome.describe()}")
        return outcome.value


def _connection_key(f: _Flow, rnd: random.Random) -> None:
    g = f.group("thread.connection_key", "hash_hmac('sha256', email, secret) over the UTF-8 bytes of both")
    f.add(g, "the document's example email", ["DocumentExample"], {"email": EMAIL, "secret": SECRET})
    for email in ["Foo@Bar.com", "FOO@BAR.COM", "foo@Bar.com", "Foo@bar.com"]:
        f.add(g, f"case variant {email}", ["CaseSensitive"], {"email": email, "secret": SECRET})
    for label, email in [
        ("leading space", " foo@bar.com"),
        ("trailing space", "foo@bar.com "),
        ("trailing LF", "foo@bar.com\n"),
        ("trailing CRLF", "foo@bar.com\r\n"),
        ("leading tab", "\tfoo@bar.com"),
        ("trailing NBSP", "foo@bar.com\u00a0"),
        ("zero-width space", "foo@\u200bbar.com"),
        ("inner spaces", "foo @ bar.com"),
    ]:
        f.add(g, label, ["Whitespace"], {"email": email, "secret": SECRET})
    nfc = unicodedata.normalize("NFC", "jos\u00e9@example.com")
    nfd = unicodedata.normalize("NFD", nfc)
    f.add(g, "é precomposed (NFC)", ["UnicodeEmail", "UnicodeNormalization"], {"email": nfc, "secret": SECRET})
    f.add(g, "e + combining acute (NFD)", ["UnicodeEmail", "UnicodeNormalization"], {"email": nfd, "secret": SECRET})
    for label, email in [
        ("Chinese", "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a"),
        (
            "Cyrillic",
            "\u043f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u0442\u0435\u043b\u044c@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
        ),
        ("Devanagari", "\u0921\u093e\u091f\u093e@\u0926\u093e\u091f\u093e\u092e\u0947\u0932.\u092d\u093e\u0930\u0924"),
        ("Greek capitals", "\u0391\u0392\u0393@example.gr"),
        ("German sharp s", "stra\u00dfe@example.de"),
        ("German SS", "STRASSE@example.de"),
    ]:
        f.add(g, f"{label} email", ["UnicodeEmail"], {"email": email, "secret": SECRET})
    for label, email in [
        ("IDN U-label", "user@b\u00fccher.de"),
        ("IDN A-label", "user@xn--bcher-kva.de"),
        ("IDN U-label, uppercase", "user@B\u00dcCHER.DE"),
        ("IDN fullwidth dot", "user@b\u00fccher\uff0ede"),
    ]:
        f.add(g, label, ["IdnEmail", "UnicodeEmail"], {"email": email, "secret": SECRET})
    f.add(
        g,
        "astral email",
        ["AstralCharacters", "UnicodeEmail"],
        {"email": "\U0001f600@\U0001d54f.com", "secret": SECRET},
    )
    f.add(g, "astral secret", ["AstralCharacters"], {"email": EMAIL, "secret": "\U0001f511" * 3})
    f.add(g, "NUL in the email", ["NulCharacter"], {"email": "foo\u0000@bar.com", "secret": SECRET})
    f.add(g, "NUL in the secret", ["NulCharacter"], {"email": EMAIL, "secret": "se\u0000cret"})
    f.add(g, "empty email", ["EmptyEmail"], {"email": "", "secret": SECRET})
    f.add(g, "empty secret", ["EmptySecret"], {"email": EMAIL, "secret": ""})
    f.add(g, "empty email and secret", ["EmptyEmail", "EmptySecret"], {"email": "", "secret": ""})
    hex_secret = "0123456789abcdef" * 4
    for label, secret in [
        ("64 hex digits, used as text", hex_secret),
        ("the same digits in uppercase", hex_secret.upper()),
        ("Base64-looking", "q83vEjRWeJCrze8SNFZ4kA=="),
    ]:
        f.add(g, f"secret {label}", ["HexLookingSecret"], {"email": EMAIL, "secret": secret})
    f.add(g, "secret with trailing LF", ["SecretTrailingNewline"], {"email": EMAIL, "secret": SECRET + "\n"})
    f.add(g, "secret with trailing CRLF", ["SecretTrailingNewline"], {"email": EMAIL, "secret": SECRET + "\r\n"})
    for n in (63, 64, 65):
        f.add(g, f"{n}-byte secret", ["BlockSizeSecret"], {"email": EMAIL, "secret": "s" * n})
    for n in (128, 1000):
        f.add(g, f"{n}-byte secret", ["LongSecret"], {"email": EMAIL, "secret": "S" * n})
    f.add(
        g, "40 'é': 40 characters, 80 bytes", ["LongSecret", "UnicodeEmail"], {"email": EMAIL, "secret": "\u00e9" * 40}
    )
    f.add(g, "32 'é': 64 bytes", ["BlockSizeSecret"], {"email": EMAIL, "secret": "\u00e9" * 32})
    for n in (64, 1000, 10_000):
        email = ("a" * (n - len("@bar.com"))) + "@bar.com"
        f.add(g, f"{n}-character email", ["LongEmail"], {"email": email, "secret": SECRET})
    f.add(g, "long Unicode email", ["LongEmail", "UnicodeEmail"], {"email": "\u00fc" * 500 + "@x.de", "secret": SECRET})
    for label, args in [
        ("lone high surrogate in the email", {"email": "\ud800@bar.com", "secret": SECRET}),
        ("lone low surrogate in the email", {"email": "foo@bar.com\udfff", "secret": SECRET}),
        ("surrogateescape byte in the email", {"email": "m\udcfcller@x.de", "secret": SECRET}),
        ("lone surrogate in the secret", {"email": EMAIL, "secret": "se\udc00cret"}),
        ("lone surrogates in both", {"email": "\udbff", "secret": "\ud800"}),
    ]:
        f.add(g, label, ["LoneSurrogate"], args)
    for i in range(24):
        args = {"email": random_text(rnd, rnd.randrange(0, 30)), "secret": random_text(rnd, rnd.randrange(0, 80))}
        f.add(g, f"random text {i}", ["RandomText"], args)


def _connection_key_bytes(f: _Flow, rnd: random.Random) -> None:
    g = f.group("thread.connection_key_bytes", "hash_hmac('sha256', email, secret) over raw bytes (PHP strings)")
    secret = SECRET.encode().hex()
    email = "m\u00fcller@example.de"
    f.add(g, "müller in ISO-8859-1", ["Latin1Email"], {"emailHex": email.encode("latin-1").hex(), "secretHex": secret})
    f.add(g, "müller in UTF-8", ["Latin1Email"], {"emailHex": email.encode("utf-8").hex(), "secretHex": secret})
    for label, data in [
        ("a lone continuation byte", b"foo\x80@bar.com"),
        ("0xff", b"\xff\xfe@bar.com"),
        ("a surrogate's 3-byte form", b"\xed\xa0\x80@bar.com"),
        ("an overlong '/'", b"\xc0\xaf@bar.com"),
    ]:
        f.add(g, label, ["InvalidUtf8"], {"emailHex": data.hex(), "secretHex": secret})
    for label, key in [("'k'", b"k"), ("'k' + NUL", b"k\x00"), ("'k' + 2 NULs", b"k\x00\x00")]:
        f.add(g, f"secret {label}", ["KeyZeroPadding"], {"emailHex": EMAIL.encode().hex(), "secretHex": key.hex()})
    f.add(g, "empty secret", ["KeyZeroPadding", "EmptySecret"], {"emailHex": EMAIL.encode().hex(), "secretHex": ""})
    f.add(
        g,
        "64 NUL bytes",
        ["KeyZeroPadding", "BlockSizeSecret"],
        {"emailHex": EMAIL.encode().hex(), "secretHex": "00" * 64},
    )
    long_secret = bytes(range(100))
    for label, key in [("100-byte secret", long_secret), ("its SHA-256", hashlib.sha256(long_secret).digest())]:
        f.add(g, label, ["LongKeyHashed", "BinarySecret"], {"emailHex": EMAIL.encode().hex(), "secretHex": key.hex()})
    for i in range(12):
        args = {
            "emailHex": rnd.randbytes(rnd.randrange(0, 70)).hex(),
            "secretHex": rnd.randbytes(rnd.randrange(0, 140)).hex(),
        }
        f.add(g, f"random bytes {i}", ["RandomBytes", "BinarySecret"], args)


def _text_bytes(f: _Flow) -> None:
    g = f.group("thread.text_bytes", "the bytes a str is hashed as")
    nfc = "jos\u00e9"
    for label, text in [
        ("ASCII", EMAIL),
        ("NFC é", nfc),
        ("NFD é", unicodedata.normalize("NFD", nfc)),
        ("IDN U-label", "b\u00fccher.de"),
        ("astral", "\U0001f600"),
        ("NUL", "\u0000"),
        ("empty", ""),
        ("U+FFFF", "\uffff"),
        ("U+10FFFF", "\U0010ffff"),
    ]:
        f.add(g, label, ["Utf8Bytes"], {"text": text})
    for label, text in [("high", "\ud800"), ("low", "\udfff"), ("low then high", "\udc00\udbff")]:
        f.add(g, f"lone {label} surrogate", ["LoneSurrogate"], {"text": text})


def _verify(f: _Flow) -> None:
    g = f.group("thread.verify_connection_key", "hash_equals(hash_hmac('sha256', email, secret), key)")
    for email, secret in [
        (EMAIL, SECRET),
        ("user@b\u00fccher.de", "\U0001f511 secret"),
        ("", ""),
        ("x" * 200, "y" * 100),
    ]:
        key = f.key(email, secret)
        base = {"email": email, "secret": secret}
        f.add(g, "the right key", ["CorrectKey"], {**base, "key": key})
        f.add(g, "uppercase", ["UppercaseKey"], {**base, "key": key.upper()})
        f.add(g, "trailing LF", ["KeyWhitespace"], {**base, "key": key + "\n"})
        f.add(g, "surrounding spaces", ["KeyWhitespace"], {**base, "key": f" {key} "})
        f.add(g, "63 digits", ["TruncatedKey"], {**base, "key": key[:-1]})
        f.add(g, "32 digits", ["TruncatedKey"], {**base, "key": key[:32]})
        flipped = key[:10] + format(int(key[10], 16) ^ 1, "x") + key[11:]
        f.add(g, "one digit changed", ["ModifiedKey"], {**base, "key": flipped})
        f.add(g, "another secret's key", ["WrongSecret"], {**base, "key": f.key(email, secret + "x")})
        f.add(g, "key and message swapped", ["SwappedArguments"], {**base, "key": f.key(secret, email)})
    base = {"email": EMAIL, "secret": SECRET}
    f.add(g, "the key of Foo@Bar.com", ["OtherEmail", "CaseSensitive"], {**base, "key": f.key("Foo@Bar.com", SECRET)})
    f.add(g, "empty key", ["EmptyKey"], {**base, "key": ""})
    f.add(g, "64 'z'", ["NonHexKey"], {**base, "key": "z" * 64})
    f.add(g, "non-ASCII key", ["NonHexKey"], {**base, "key": "\u00e9" * 32})
    raw_b64 = base64.b64encode(bytes.fromhex(f.key(EMAIL, SECRET))).decode("ascii")
    f.add(g, "raw digest in Base64", ["RawDigestKey"], {**base, "key": raw_b64})
    f.add(g, "lone surrogate in the key", ["LoneSurrogate"], {**base, "key": "\ud800" + "0" * 63})
    f.add(g, "lone surrogate in the email", ["LoneSurrogate"], {"email": "\udfff", "secret": SECRET, "key": "0" * 64})


def _messenger_params(f: _Flow) -> None:
    g = f.group("thread.messenger_params", "the chatgenieParams for messenger_auth")
    f.add(
        g,
        "the document's example",
        ["DocumentExample", "ParamsShape"],
        {"appId": APP_ID, "email": EMAIL, "secret": SECRET},
    )
    f.add(g, "case kept", ["ParamsShape", "CaseSensitive"], {"appId": APP_ID, "email": "Foo@Bar.com", "secret": SECRET})
    f.add(
        g,
        "whitespace kept",
        ["ParamsShape", "Whitespace"],
        {"appId": APP_ID, "email": " foo@bar.com\n", "secret": SECRET},
    )
    f.add(
        g,
        "IDN email",
        ["ParamsShape", "IdnEmail", "UnicodeEmail"],
        {"appId": "1234-abcd-5678", "email": "user@b\u00fccher.de", "secret": SECRET},
    )
    f.add(
        g,
        "markup in the email",
        ["ParamsShape", "MarkupInEmail"],
        {"appId": APP_ID, "email": "\"</script><script>alert(1)</script>'@x.com", "secret": SECRET},
    )
    f.add(g, "empty email", ["ParamsShape", "EmptyEmail"], {"appId": APP_ID, "email": "", "secret": SECRET})
    f.add(g, "empty appId", ["ParamsShape"], {"appId": "", "email": EMAIL, "secret": SECRET})
    f.add(g, "empty secret is refused", ["EmptySecret"], {"appId": APP_ID, "email": EMAIL, "secret": ""})
    f.add(g, "lone surrogate in appId", ["LoneSurrogate"], {"appId": "\ud800", "email": EMAIL, "secret": SECRET})
    f.add(g, "lone surrogate in the email", ["LoneSurrogate"], {"appId": APP_ID, "email": "\ud800", "secret": SECRET})
    f.add(
        g,
        "lone surrogate and empty secret: the surrogate is found first",
        ["LoneSurrogate", "EmptySecret"],
        {"appId": APP_ID, "email": "\ud800", "secret": ""},
    )


def build() -> VectorFileBuilder:
    rnd = random.Random(SEED)
    flow = _Flow()
    _connection_key(flow, rnd)
    _connection_key_bytes(flow, rnd)
    _text_bytes(flow)
    _verify(flow)
    _messenger_params(flow)
    return flow.b


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for thread_messenger.json."""
    return {"thread_messenger.json": build().render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
