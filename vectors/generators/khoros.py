"""Generate khoros_secure_transfer.json and khoros_cryptor.json from the vendor's Java (through JPype).

Inputs are built here with a fixed seed; every expected output or error is what the Java answered.
Run: ``python -m vectors.generators.khoros [OUT_DIR]``.
"""

from __future__ import annotations

import base64
import json
import random
import sys
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from conformance.codecs import encode_base64_url_safe
from conformance.references import java
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files
from conformance.vendors.khoros import DOCUMENT_PAYLOAD

SEED = 20261120
KEY_B64 = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="  # test key: 32 bytes, never used outside vectors
IV_B64 = "kAOZ+mZ/8hT0L1oQw9Xk2A=="  # holds '+' and '/' on purpose
RAW_KEY = "0123456789abcdef0123456789abcdef"
RAW_IV = "fedcba9876543210"


TRANSFER_NOTES = {
    "Normal": {"bugType": "BASIC", "description": "An ordinary encryption or decryption."},
    "DocumentPayload": {"bugType": "BASIC", "description": "The decrypted payload example from the Khoros document."},
    "RawKeyMode": {
        "bugType": "FUNCTIONALITY",
        "description": "Two-argument constructor: the key and IV are the UTF-8 bytes of the strings, not Base64.",
    },
    "Base64KeyMode": {
        "bugType": "FUNCTIONALITY",
        "description": "shouldBase64DecodeKeys=true (what decryptPayload uses): key and IV are standard Base64.",
    },
    "IvOverride": {"bugType": "FUNCTIONALITY", "description": "The IV is passed per call instead of the provider's."},
    "NoPaddingInOutput": {
        "bugType": "ENCODING",
        "description": "Ciphertext is URL-safe Base64 with the padding stripped (commons-codec urlSafe encoding).",
    },
    "PaddingOptional": {"bugType": "LENIENCY", "description": "Ciphertext with '=' padding added decodes the same."},
    "StandardAlphabet": {
        "bugType": "LENIENCY",
        "description": "'+' and '/' in the ciphertext decode like '-' and '_': the decode table holds both alphabets.",
    },
    "SkippedCharacters": {
        "bugType": "LENIENCY",
        "description": "Whitespace, punctuation and non-ASCII characters in Base64 text are skipped, not rejected.",
    },
    "StopsAtPad": {
        "bugType": "LENIENCY",
        "description": "Decoding stops at the first '='; anything after it is ignored.",
    },
    "TrailingBits": {
        "bugType": "LENIENCY",
        "description": "Non-zero trailing bits in the last character are discarded (lenient policy, commons-codec 1.15+)."
        " commons-codec 1.13 and 1.14 reject them.",
        "effect": "Several ciphertext strings decrypt to the same plaintext: the ciphertext is malleable as text.",
    },
    "DanglingCharacter": {
        "bugType": "LENIENCY",
        "description": "A single character left after whole groups carries 6 bits and is dropped silently.",
    },
    "InvalidUtf8": {
        "bugType": "ENCODING",
        "description": "The decrypted bytes are not UTF-8; new String(bytes, UTF_8) substitutes U+FFFD by JDK rules.",
    },
    "EncodedSurrogate": {
        "bugType": "ENCODING",
        "description": "A surrogate encoded in UTF-8 (ED A0..BF xx): one U+FFFD in Java, three in Python's decoder.",
    },
    "TruncatedSequence": {
        "bugType": "ENCODING",
        "description": "A multi-byte sequence cut off at the end of the plaintext: Java gives a single U+FFFD.",
    },
    "LoneSurrogate": {
        "bugType": "ENCODING",
        "description": "A lone surrogate in a Java string becomes '?' when encoded with getBytes(UTF_8).",
    },
    "AstralCharacters": {"bugType": "ENCODING", "description": "Characters outside the BMP (surrogate pairs in Java)."},
    "EmptyCiphertext": {
        "bugType": "EDGE_CASE",
        "description": "An empty ciphertext (or one that decodes to no bytes) decrypts to the empty string: the JCE"
        " returns an empty result instead of failing on the missing padding block.",
        "effect": "Junk-only or empty payloads decrypt 'successfully' to an empty string.",
    },
    "EmptyPlaintext": {"bugType": "EDGE_CASE", "description": "Encrypting the empty string gives one padding block."},
    "BadPadding": {
        "bugType": "PADDING_BYPASS",
        "description": "The last block does not unpad: EncryptionException(BadPadding).",
    },
    "IllegalBlockSize": {
        "bugType": "MALFORMED",
        "description": "The decoded ciphertext is not a whole number of 16-byte blocks.",
    },
    "WrongKey": {"bugType": "WRONG_KEY", "description": "Decrypting with another key or IV."},
    "KeyLength": {
        "bugType": "MALFORMED",
        "description": "A key that is not 16, 24 or 32 bytes: EncryptionException(InvalidKeyException) at first use.",
    },
    "EmptyKey": {
        "bugType": "MALFORMED",
        "description": "A key that is empty (or decodes to nothing) fails in the constructor with an unchecked"
        " IllegalArgumentException('Empty key'), not an EncryptionException.",
    },
    "IvLength": {
        "bugType": "MALFORMED",
        "description": "An IV that is not 16 bytes: EncryptionException(InvalidAlgorithmParameterException).",
    },
    "FormDecodedIv": {
        "bugType": "INTEROP",
        "description": "The IV after a form decoder turned '+' into ' ': the space is skipped and the IV has 15 bytes.",
    },
    "RandomText": {"bugType": "BASIC", "description": "Seeded random text, astral characters and lone surrogates."},
    "NullResult": {"bugType": "FUNCTIONALITY", "description": "decryptPayload returns Optional.empty() (null)."},
    "NotJsonObject": {
        "bugType": "FUNCTIONALITY",
        "description": "The plaintext is not a JSON object: org.json throws JSONException and decryptPayload gives null.",
    },
    "OrgJsonLeniency": {
        "bugType": "KNOWN_DEVIATION",
        "description": "org.json accepts text that is not RFC 8259 JSON (single quotes, unquoted names, trailing"
        " text...). The Python port parses strict JSON and returns None there: see DEVIATIONS.md.",
    },
}

CRYPTOR_NOTES = {
    "Normal": {"bugType": "BASIC", "description": "An ordinary operation."},
    "StringKey": {
        "bugType": "FUNCTIONALITY",
        "description": "Cryptor(String): the key is the first 16 bytes of SHA-256 over the string's UTF-8 bytes.",
    },
    "RawKey": {"bugType": "FUNCTIONALITY", "description": "Cryptor(byte[]): the key bytes are used as given."},
    "LoneSurrogate": {"bugType": "ENCODING", "description": "Lone surrogates are hashed as '?'."},
    "AstralCharacters": {"bugType": "ENCODING", "description": "Characters outside the BMP."},
    "KeyLength": {
        "bugType": "MALFORMED",
        "description": "A raw key that is not 16, 24 or 32 bytes: InvalidKeyException.",
    },
    "EmptyKey": {"bugType": "MALFORMED", "description": "An empty raw key: IllegalArgumentException('Empty key')."},
    "CbcIvLength": {"bugType": "MALFORMED", "description": "A CBC IV that is not 16 bytes."},
    "EmptyCiphertext": {
        "bugType": "EDGE_CASE",
        "description": "CBC decryption of no bytes returns no bytes instead of failing.",
    },
    "BadPadding": {"bugType": "PADDING_BYPASS", "description": "CBC padding that does not check out."},
    "IllegalBlockSize": {"bugType": "MALFORMED", "description": "CBC ciphertext that is not whole blocks."},
    "GcmIvLength": {
        "bugType": "EDGE_CASE",
        "description": "GCM with an IV that is not 96 bits: J0 = GHASH(IV). Java accepts any non-empty length.",
        "effect": "Short IVs (1 byte!) are accepted: nonce reuse becomes likely.",
    },
    "EmptyIv": {"bugType": "MALFORMED", "description": "GCM with an empty IV: InvalidAlgorithmParameterException."},
    "AadNullVersusEmpty": {
        "bugType": "EDGE_CASE",
        "description": "AAD null (no updateAAD call) and AAD of zero bytes give the same tag.",
    },
    "Aad": {"bugType": "FUNCTIONALITY", "description": "Additional authenticated data."},
    "BadTag": {"bugType": "MAC_BYPASS", "description": "A modified ciphertext, tag or AAD: AEADBadTagException."},
    "ShortGcmInput": {
        "bugType": "REFERENCE_QUIRK",
        "description": "GCM input shorter than the 16-byte tag: JDK 17's SunJCE throws an unchecked ProviderException"
        " caused by ShortBufferException, not an AEADBadTagException.",
        "effect": "Callers that catch BadPaddingException/AEADBadTagException do not catch it.",
    },
    "RandomData": {"bugType": "BASIC", "description": "Seeded random keys, IVs and data."},
}


def java_source() -> dict[str, str]:
    return {"name": "vendor Java (java_ref) via JPype", "implementation": "java", **java.versions()}


def _raw_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    """Encrypt already padded ``data`` (whole blocks) with AES-CBC: builds malformed plaintexts for inputs."""
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _pkcs5(data: bytes) -> bytes:
    pad = 16 - len(data) % 16
    return data + bytes([pad]) * pad


def random_text(rnd: random.Random, length: int) -> str:
    pools = [
        lambda: chr(rnd.randrange(0x20, 0x7F)),
        lambda: chr(rnd.randrange(0xA0, 0x800)),
        lambda: chr(rnd.randrange(0x800, 0xD800)),
        lambda: chr(rnd.randrange(0x10000, 0x110000)),
        lambda: chr(rnd.randrange(0xD800, 0xE000)),
    ]
    return "".join(rnd.choice(pools)() for _ in range(length))


def build_secure_transfer(rnd: random.Random) -> VectorFileBuilder:
    ref = built("java")
    src = java_source()
    b = VectorFileBuilder(
        "khoros_secure_transfer",
        "khoros_secure_transfer.schema.json",
        TRANSFER_NOTES,
        header=["SymmetricKeyEncryptionProvider and decryptPayload, expected outputs from the vendor's Java."],
    )
    key, iv = base64.b64decode(KEY_B64), base64.b64decode(IV_B64)
    b64 = {"secretKey": KEY_B64, "ivKey": IV_B64, "base64Keys": True}
    raw = {"secretKey": RAW_KEY, "ivKey": RAW_IV, "base64Keys": False}

    enc = b.group("khoros.skep.encrypt", src)
    doc_json = json.dumps(DOCUMENT_PAYLOAD, separators=(",", ":"))
    b.add(
        enc,
        ref,
        "the document's payload",
        ["DocumentPayload", "Base64KeyMode", "NoPaddingInOutput"],
        {**b64, "plainText": doc_json},
    )
    for text in ["", "a", "0123456789abcde", "0123456789abcdef", "0123456789abcdef0"]:
        flags = ["EmptyPlaintext"] if not text else ["Normal", "NoPaddingInOutput"]
        b.add(enc, ref, f"{len(text)} ASCII characters", [*flags, "Base64KeyMode"], {**b64, "plainText": text})
        b.add(enc, ref, f"{len(text)} ASCII characters, raw keys", [*flags, "RawKeyMode"], {**raw, "plainText": text})
    for text, flag in [
        ("caf\u00e9 \u4e2d\u6587", "Normal"),
        ("emoji \U0001f600 and \U00010348", "AstralCharacters"),
        ("lone high \ud800 here", "LoneSurrogate"),
        ("lone low \udfff", "LoneSurrogate"),
        ("\udc00\ud800", "LoneSurrogate"),
        ("pair split \ud83d", "LoneSurrogate"),
    ]:
        b.add(enc, ref, f"text with {flag}", [flag, "Base64KeyMode"], {**b64, "plainText": text})
    for n in (16, 24, 32):
        b.add(
            enc,
            ref,
            f"raw {n}-byte key",
            ["RawKeyMode"],
            {"secretKey": "k" * n, "ivKey": RAW_IV, "base64Keys": False, "plainText": "x"},
        )
    for n in (1, 15, 17, 31, 33, 64):
        b.add(
            enc,
            ref,
            f"raw {n}-byte key",
            ["KeyLength", "RawKeyMode"],
            {"secretKey": "k" * n, "ivKey": RAW_IV, "base64Keys": False, "plainText": "x"},
        )
    for n in (0, 1, 8, 15, 17, 32):
        b.add(
            enc,
            ref,
            f"raw {n}-byte IV",
            ["IvLength", "RawKeyMode"],
            {"secretKey": RAW_KEY, "ivKey": "i" * n, "base64Keys": False, "plainText": "x"},
        )
    b.add(
        enc, ref, "empty key", ["EmptyKey"], {"secretKey": "", "ivKey": RAW_IV, "base64Keys": False, "plainText": "x"}
    )
    b.add(
        enc,
        ref,
        "key that Base64-decodes to nothing",
        ["EmptyKey", "Base64KeyMode"],
        {**b64, "secretKey": "!!==", "plainText": "x"},
    )
    b.add(
        enc,
        ref,
        "raw key of 8 two-byte characters is 16 bytes",
        ["RawKeyMode"],
        {"secretKey": "\u00e9" * 8, "ivKey": RAW_IV, "base64Keys": False, "plainText": "x"},
    )
    b.add(
        enc,
        ref,
        "raw IV with a lone surrogate (becomes '?')",
        ["RawKeyMode", "LoneSurrogate"],
        {"secretKey": RAW_KEY, "ivKey": "\ud800" + "i" * 15, "base64Keys": False, "plainText": "x"},
    )
    b.add(
        enc,
        ref,
        "IV passed per call",
        ["IvOverride", "Base64KeyMode"],
        {**b64, "plainText": "per call", "ivOverride": "AAAAAAAAAAAAAAAAAAAAAA=="},
    )
    b.add(
        enc,
        ref,
        "IV passed per call is 12 bytes",
        ["IvOverride", "IvLength"],
        {**b64, "plainText": "x", "ivOverride": "AAAAAAAAAAAAAAAA"},
    )
    b.add(
        enc,
        ref,
        "form-decoded IV ('+' became ' ')",
        ["FormDecodedIv", "IvLength"],
        {**b64, "ivKey": IV_B64.replace("+", " "), "plainText": "x"},
    )
    for i in range(30):
        text = random_text(rnd, rnd.randrange(0, 40))
        b.add(enc, ref, f"random text {i}", ["RandomText", "Base64KeyMode"], {**b64, "plainText": text})

    dec = b.group("khoros.skep.decrypt", src)
    doc_ct = encode_base64_url_safe(_raw_cbc(key, iv, _pkcs5(doc_json.encode())))
    b.add(dec, ref, "the document's payload", ["DocumentPayload", "Base64KeyMode"], {**b64, "cipherText": doc_ct})
    b.add(
        dec,
        ref,
        "the document's payload, padded",
        ["PaddingOptional"],
        {**b64, "cipherText": doc_ct + "=" * (-len(doc_ct) % 4)},
    )
    hello = _raw_cbc(key, iv, _pkcs5(b"hello, secure transfer"))
    hello_url = encode_base64_url_safe(hello)
    hello_std = base64.b64encode(hello).decode()
    b.add(
        dec,
        ref,
        "standard alphabet with padding",
        ["StandardAlphabet", "PaddingOptional"],
        {**b64, "cipherText": hello_std},
    )
    mixed = "".join(c if i % 2 else {"-": "+", "_": "/"}.get(c, c) for i, c in enumerate(hello_url))
    b.add(dec, ref, "both alphabets mixed", ["StandardAlphabet"], {**b64, "cipherText": mixed})
    for label, junk in [
        ("spaces", " "),
        ("newlines", "\r\n"),
        ("tabs", "\t"),
        ("dots", "."),
        ("non-ASCII", "\u00e9"),
        ("astral", "\U0001f600"),
        ("lone surrogate", "\ud800"),
        ("NUL", "\0"),
    ]:
        spread = junk.join(hello_url[i : i + 5] for i in range(0, len(hello_url), 5))
        b.add(dec, ref, f"ciphertext with {label} inside", ["SkippedCharacters"], {**b64, "cipherText": spread})
    b.add(dec, ref, "junk after a '='", ["StopsAtPad"], {**b64, "cipherText": hello_url + "=AAAA"})
    b.add(
        dec,
        ref,
        "'=' in the middle truncates",
        ["StopsAtPad", "IllegalBlockSize"],
        {**b64, "cipherText": hello_url[:10] + "=" + hello_url[10:]},
    )
    b.add(dec, ref, "only '='", ["StopsAtPad", "EmptyCiphertext"], {**b64, "cipherText": "="})
    one_block = _raw_cbc(key, iv, _pkcs5(b"0123456789"))
    one_url = encode_base64_url_safe(one_block)  # 22 chars: the last carries 4 unused bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(one_url[-1])
    for flip in (1, 2, 4, 8):
        changed = one_url[:-1] + alphabet[last ^ flip]
        b.add(dec, ref, f"trailing bits changed (xor {flip})", ["TrailingBits"], {**b64, "cipherText": changed})
    whole_groups = encode_base64_url_safe(_raw_cbc(key, iv, _pkcs5(b"x" * 40)))  # 48 bytes: exactly 64 characters
    for extra in ("A", "Q", "_"):
        b.add(
            dec,
            ref,
            f"dangling character {extra!r} after whole groups",
            ["DanglingCharacter"],
            {**b64, "cipherText": whole_groups + extra},
        )
    key_bits = KEY_B64.rstrip("=")[:-1] + alphabet[(alphabet.index(KEY_B64.rstrip("=")[-1]) ^ 1) % 64] + "="
    iv_bits = IV_B64.rstrip("=")[:-1] + alphabet[alphabet.index(IV_B64.rstrip("=")[-1]) ^ 1] + "=="
    b.add(
        dec,
        ref,
        "key with non-zero trailing bits",
        ["TrailingBits", "Base64KeyMode"],
        {**b64, "secretKey": key_bits, "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "IV with non-zero trailing bits",
        ["TrailingBits", "Base64KeyMode"],
        {**b64, "ivKey": iv_bits, "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "per-call IV with non-zero trailing bits",
        ["TrailingBits", "IvOverride"],
        {**b64, "ivOverride": iv_bits, "cipherText": hello_url},
    )
    b.add(
        enc,
        ref,
        "key with non-zero trailing bits",
        ["TrailingBits", "Base64KeyMode"],
        {**b64, "secretKey": key_bits, "plainText": "x"},
    )
    b.add(dec, ref, "empty ciphertext", ["EmptyCiphertext"], {**b64, "cipherText": ""})
    b.add(dec, ref, "junk only", ["EmptyCiphertext", "SkippedCharacters"], {**b64, "cipherText": "!!!  ...\u00e9"})
    b.add(dec, ref, "one character", ["DanglingCharacter", "EmptyCiphertext"], {**b64, "cipherText": "Q"})
    for n in (1, 15, 17, 31):
        b.add(
            dec,
            ref,
            f"{n} bytes of ciphertext",
            ["IllegalBlockSize"],
            {**b64, "cipherText": encode_base64_url_safe(bytes(range(n)))},
        )
    tampered = bytearray(hello)
    tampered[-1] ^= 1
    b.add(dec, ref, "last byte flipped", ["BadPadding"], {**b64, "cipherText": encode_base64_url_safe(bytes(tampered))})
    b.add(
        dec,
        ref,
        "wrong key",
        ["WrongKey"],
        {**b64, "secretKey": base64.b64encode(bytes(32)).decode(), "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "wrong IV: only the first block changes",
        ["WrongKey"],
        {**b64, "ivKey": base64.b64encode(bytes(16)).decode(), "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "form-decoded IV ('+' became ' ')",
        ["FormDecodedIv", "IvLength"],
        {**b64, "ivKey": IV_B64.replace("+", " "), "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "IV passed per call",
        ["IvOverride"],
        {**b64, "ivKey": "AAAA", "ivOverride": IV_B64, "cipherText": hello_url},
    )
    for n in (16, 24):
        k = bytes(range(n))
        ct = encode_base64_url_safe(_raw_cbc(k, iv, _pkcs5(b"short key")))
        b.add(
            dec,
            ref,
            f"{n * 8}-bit key",
            ["Base64KeyMode"],
            {**b64, "secretKey": base64.b64encode(k).decode(), "cipherText": ct},
        )
    b.add(
        dec,
        ref,
        "20-byte key",
        ["KeyLength"],
        {**b64, "secretKey": base64.b64encode(bytes(20)).decode(), "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "key without padding and with whitespace",
        ["Base64KeyMode", "SkippedCharacters"],
        {**b64, "secretKey": KEY_B64.rstrip("=")[:20] + " \n" + KEY_B64.rstrip("=")[20:], "cipherText": hello_url},
    )
    b.add(
        dec,
        ref,
        "URL-safe key",
        ["Base64KeyMode", "StandardAlphabet"],
        {**b64, "secretKey": base64.urlsafe_b64encode(key).decode(), "cipherText": hello_url},
    )
    raw_ct = encode_base64_url_safe(_raw_cbc(RAW_KEY.encode(), RAW_IV.encode(), _pkcs5(b"raw mode")))
    b.add(dec, ref, "raw keys", ["RawKeyMode"], {**raw, "cipherText": raw_ct})
    bad_utf8 = [
        ("lone continuation byte", b"a\x80b", "InvalidUtf8"),
        ("C0 overlong", b"\xc0\xafx", "InvalidUtf8"),
        ("E0 80 overlong", b"\xe0\x80\x80y", "InvalidUtf8"),
        ("encoded high surrogate", b"\xed\xa0\x80", "EncodedSurrogate"),
        ("encoded low surrogate then ASCII", b"\xed\xbf\xbfz", "EncodedSurrogate"),
        ("encoded surrogate pair (CESU-8)", b"\xed\xa0\xbd\xed\xb8\x80", "EncodedSurrogate"),
        ("ED A0 then ASCII", b"\xed\xa0A", "EncodedSurrogate"),
        ("ED A0 at the end", b"ok\xed\xa0", "EncodedSurrogate"),
        ("truncated 3-byte at end", b"ok\xe4\xb8", "TruncatedSequence"),
        ("truncated 4-byte at end", b"ok\xf0\x9f\x98", "TruncatedSequence"),
        ("truncated 4-byte then ASCII", b"\xf0\x9f\x98A", "InvalidUtf8"),
        ("F4 90 (above U+10FFFF)", b"\xf4\x90\x80\x80", "InvalidUtf8"),
        ("F5 lead byte", b"\xf5\x80\x80\x80", "InvalidUtf8"),
        ("FF byte", b"\xff\xfe", "InvalidUtf8"),
        ("F0 80 overlong 4-byte", b"\xf0\x80\x80\x80", "InvalidUtf8"),
        ("C2 at the end", b"\xc2", "TruncatedSequence"),
        ("E0 at the end", b"\xe0", "TruncatedSequence"),
        ("E0 80 at the end", b"\xe0\x80", "InvalidUtf8"),
        ("F0 90 80 at the end", b"\xf0\x90\x80", "TruncatedSequence"),
        ("F1 80 then ASCII at the end", b"\xf1\x80A", "InvalidUtf8"),
    ]
    for label, data, flag in bad_utf8:
        ct = encode_base64_url_safe(_raw_cbc(key, iv, _pkcs5(data)))
        b.add(dec, ref, f"plaintext bytes: {label}", [flag], {**b64, "cipherText": ct})
    for i in range(25):
        data = bytes(
            rnd.choice([rnd.randrange(256), rnd.choice([0xED, 0xE0, 0xF0, 0xF4, 0x80, 0xBF, 0xA0, 0xC2])])
            for _ in range(rnd.randrange(1, 24))
        )
        ct = encode_base64_url_safe(_raw_cbc(key, iv, _pkcs5(data)))
        b.add(dec, ref, f"random plaintext bytes {i}", ["InvalidUtf8"], {**b64, "cipherText": ct})
    for i in range(15):
        text = random_text(rnd, rnd.randrange(1, 30))
        ct = encode_base64_url_safe(_raw_cbc(key, iv, _pkcs5(text.encode("utf-8", "surrogatepass"))))
        b.add(dec, ref, f"random text round trip {i}", ["RandomText", "AstralCharacters"], {**b64, "cipherText": ct})

    pay = b.group("khoros.payload.decrypt", src)
    pargs = {"ivKey": IV_B64, "encryptionKey": KEY_B64}

    def payload_ct(text: str) -> str:
        return encode_base64_url_safe(_raw_cbc(key, iv, _pkcs5(text.encode("utf-8"))))

    b.add(pay, ref, "the document's payload", ["DocumentPayload"], {**pargs, "encryptedPayload": doc_ct})
    b.add(pay, ref, "empty IV gives null", ["NullResult"], {**pargs, "ivKey": "", "encryptedPayload": doc_ct})
    b.add(pay, ref, "empty payload gives null", ["NullResult"], {**pargs, "encryptedPayload": ""})
    b.add(
        pay,
        ref,
        "wrong key gives null",
        ["NullResult", "WrongKey"],
        {**pargs, "encryptionKey": base64.b64encode(bytes(32)).decode(), "encryptedPayload": doc_ct},
    )
    b.add(
        pay,
        ref,
        "form-decoded IV gives null",
        ["NullResult", "FormDecodedIv"],
        {**pargs, "ivKey": IV_B64.replace("+", " "), "encryptedPayload": doc_ct},
    )
    b.add(pay, ref, "empty key is not caught", ["EmptyKey"], {**pargs, "encryptionKey": "", "encryptedPayload": doc_ct})
    b.add(
        pay,
        ref,
        "junk-only payload decrypts to '' which is not JSON",
        ["NullResult", "EmptyCiphertext", "NotJsonObject"],
        {**pargs, "encryptedPayload": "***"},
    )
    for label, text in [
        ("a JSON array", "[1,2,3]"),
        ("a JSON string", '"text"'),
        ("truncated JSON", '{"agentId":12'),
        ("duplicate names", '{"a":1,"a":2}'),
        ("plain text", "hello"),
    ]:
        b.add(
            pay,
            ref,
            f"plaintext is {label}",
            ["NullResult", "NotJsonObject"],
            {**pargs, "encryptedPayload": payload_ct(text)},
        )
    for label, text in [
        ("nested objects", '{"a":{"b":[1,2,{"c":null}]},"d":true}'),
        ("unicode", '{"authorName":"Jos\u00e9 \u4e2d \U0001f600"}'),
        ("escapes", '{"s":"line\\nbreak \\u00e9 \\"q\\""}'),
        ("empty object", "{}"),
    ]:
        b.add(pay, ref, f"payload with {label}", ["Normal"], {**pargs, "encryptedPayload": payload_ct(text)})
    bits_ct = payload_ct('{"agentId":1}')
    last = alphabet.index(bits_ct[-1])
    b.add(
        pay,
        ref,
        "payload with non-zero trailing bits",
        ["TrailingBits"],
        {**pargs, "encryptedPayload": bits_ct[:-1] + alphabet[last ^ 1]},
    )
    for label, text in [
        ("single-quoted strings", "{'agentId': 'x'}"),
        ("unquoted names", "{agentId: 123}"),
        ("trailing text", '{"a":1} trailing'),
    ]:
        b.add(
            pay,
            ref,
            f"org.json accepts {label}",
            ["OrgJsonLeniency"],
            {**pargs, "encryptedPayload": payload_ct(text)},
            result="acceptable",
        )
    return b


def build_cryptor(rnd: random.Random) -> VectorFileBuilder:
    ref = built("java")
    src = java_source()
    b = VectorFileBuilder(
        "khoros_cryptor",
        "khoros_cryptor.schema.json",
        CRYPTOR_NOTES,
        header=["Cryptor (AES-CBC, AES-GCM, aesHashBlock), expected outputs from the vendor's Java."],
    )
    hb = b.group("khoros.cryptor.aes_hash_block", src)
    for s, flag in [
        ("", "StringKey"),
        ("secret", "StringKey"),
        ("caf\u00e9", "StringKey"),
        ("\U0001f511 key", "AstralCharacters"),
        ("\ud800", "LoneSurrogate"),
        ("?", "LoneSurrogate"),
        ("a\udfffb", "LoneSurrogate"),
        ("x" * 1000, "StringKey"),
    ]:
        b.add(hb, ref, f"hash of {len(s)} characters", [flag], {"s": s})
    for i in range(12):
        b.add(
            hb,
            ref,
            f"random text {i}",
            ["StringKey", "AstralCharacters"],
            {"s": random_text(rnd, rnd.randrange(0, 20))},
        )

    def key_args(i: int) -> dict[str, str]:
        return {"keyText": f"key-{i}"} if i % 2 else {"keyHex": rnd.randbytes(rnd.choice([16, 24, 32])).hex()}

    ecbc = b.group("khoros.cryptor.encrypt_cbc", src)
    dcbc = b.group("khoros.cryptor.decrypt_cbc", src)
    for i, n in enumerate((0, 1, 15, 16, 17, 31, 32, 33, 100)):
        args = {**key_args(i), "value": rnd.randbytes(n).hex(), "iv": rnd.randbytes(16).hex()}
        flag = "StringKey" if "keyText" in args else "RawKey"
        test = b.add(ecbc, ref, f"{n} bytes", ["Normal", flag], args)
        b.add(dcbc, ref, f"{n} bytes", ["Normal", flag], {**args, "value": test["output"]})
    for n in (0, 1, 8, 12, 15, 17, 32):
        b.add(ecbc, ref, f"{n}-byte IV", ["CbcIvLength"], {"keyText": "k", "value": "00", "iv": "ab" * n})
        b.add(dcbc, ref, f"{n}-byte IV", ["CbcIvLength"], {"keyText": "k", "value": "00" * 16, "iv": "ab" * n})
    for n in (1, 8, 15, 17, 23, 25, 31, 33, 64):
        b.add(
            ecbc,
            ref,
            f"{n}-byte raw key",
            ["KeyLength", "RawKey"],
            {"keyHex": "11" * n, "value": "00", "iv": "00" * 16},
        )
        b.add(
            dcbc,
            ref,
            f"{n}-byte raw key",
            ["KeyLength", "RawKey"],
            {"keyHex": "11" * n, "value": "00" * 16, "iv": "00" * 16},
        )
    b.add(ecbc, ref, "empty raw key", ["EmptyKey"], {"keyHex": "", "value": "00", "iv": "00" * 16})
    b.add(dcbc, ref, "empty ciphertext", ["EmptyCiphertext"], {"keyText": "k", "value": "", "iv": "00" * 16})
    for n in (1, 15, 17, 47):
        b.add(dcbc, ref, f"{n} bytes", ["IllegalBlockSize"], {"keyText": "k", "value": "00" * n, "iv": "00" * 16})
    for i in range(8):
        b.add(
            dcbc,
            ref,
            f"random block {i}",
            ["BadPadding", "RandomData"],
            {"keyText": "k", "value": rnd.randbytes(32).hex(), "iv": rnd.randbytes(16).hex()},
        )

    egcm = b.group("khoros.cryptor.encrypt_gcm", src)
    dgcm = b.group("khoros.cryptor.decrypt_gcm", src)
    for i, n in enumerate((1, 2, 7, 8, 11, 12, 13, 15, 16, 17, 32, 60, 64, 128, 129, 200, 256)):
        args = {
            **key_args(i),
            "value": rnd.randbytes(rnd.randrange(0, 40)).hex(),
            "iv": rnd.randbytes(n).hex(),
            "aad": None,
        }
        test = b.add(egcm, ref, f"{n}-byte IV", ["GcmIvLength"], args)
        b.add(dgcm, ref, f"{n}-byte IV", ["GcmIvLength"], {**args, "value": test["output"]})
    b.add(egcm, ref, "empty IV", ["EmptyIv"], {"keyText": "k", "value": "00", "iv": "", "aad": None})
    b.add(dgcm, ref, "empty IV", ["EmptyIv"], {"keyText": "k", "value": "00" * 16, "iv": "", "aad": None})
    for aad in (None, "", "00", "616164", "ff" * 40):
        args = {"keyText": "gcm", "value": "68656c6c6f", "iv": "00" * 12, "aad": aad}
        flags = ["AadNullVersusEmpty"] if not aad else ["Aad"]
        test = b.add(egcm, ref, f"AAD {aad!r}", flags, args)
        b.add(dgcm, ref, f"AAD {aad!r}", flags, {**args, "value": test["output"]})
    sealed = b.add(
        egcm,
        ref,
        "message to tamper with",
        ["Aad"],
        {"keyText": "gcm", "value": "74616d706572", "iv": "01" * 12, "aad": "616164"},
    )["output"]
    for label, value, aad in [
        ("tag flipped", sealed[:-2] + format(int(sealed[-2:], 16) ^ 1, "02x"), "616164"),
        ("ciphertext flipped", format(int(sealed[:2], 16) ^ 0x80, "02x") + sealed[2:], "616164"),
        ("AAD dropped", sealed, None),
        ("AAD changed", sealed, "616165"),
        ("tag truncated", sealed[:-2], "616164"),
    ]:
        b.add(dgcm, ref, label, ["BadTag"], {"keyText": "gcm", "value": value, "iv": "01" * 12, "aad": aad})
    for n in (0, 1, 15):
        b.add(
            dgcm,
            ref,
            f"{n}-byte input",
            ["ShortGcmInput"],
            {"keyText": "gcm", "value": "00" * n, "iv": "01" * 12, "aad": None},
        )
    for n in (1, 17, 33):
        b.add(
            egcm,
            ref,
            f"{n}-byte raw key",
            ["KeyLength", "RawKey"],
            {"keyHex": "22" * n, "value": "00", "iv": "00" * 12, "aad": None},
        )
    for i in range(20):
        args = {
            "keyHex": rnd.randbytes(rnd.choice([16, 24, 32])).hex(),
            "value": rnd.randbytes(rnd.randrange(0, 70)).hex(),
            "iv": rnd.randbytes(rnd.randrange(1, 40)).hex(),
            "aad": rnd.choice([None, rnd.randbytes(rnd.randrange(0, 30)).hex()]),
        }
        test = b.add(egcm, ref, f"random {i}", ["RandomData", "RawKey"], args)
        b.add(dgcm, ref, f"random {i}", ["RandomData", "RawKey"], {**args, "value": test["output"]})
    return b


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for both Khoros vector files."""
    rnd = random.Random(SEED)
    return {
        "khoros_secure_transfer.json": build_secure_transfer(rnd).render(),
        "khoros_cryptor.json": build_cryptor(rnd).render(),
    }


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
