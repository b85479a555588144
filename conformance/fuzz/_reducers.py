"""Smaller inputs for the ops whose input is a ciphertext: shrinking its Base64 or bytes only breaks the padding, so
these reduce what it encrypts instead: the plaintext is recovered, made smaller or the key made all-zero, and sealed
again. The candidates are only inputs: whether one still diverges is asked of both sides, as for any other.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from conformance import catalog
from conformance.codecs import encode_base64_url_safe
from conformance.fuzz.generators.khoros import cbc_seal, gcm_seal

Args = Mapping[str, Any]
ZERO_KEY_B64 = "AAAAAAAAAAAAAAAAAAAAAA=="  # 16 zero bytes


def _cbc_open(key: bytes, iv: bytes, data: bytes) -> bytes | None:
    if len(key) not in (16, 24, 32) or len(iv) != 16 or not data or len(data) % 16:
        return None
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        return None


def smaller_bytes(data: bytes) -> Iterator[bytes]:
    """``data`` with chunks removed, biggest chunks first, then with each byte made ASCII ``a``."""
    size = len(data) // 2
    while size >= 1:
        for start in range(0, len(data), size):
            yield data[:start] + data[start + size :]
        size //= 2
    for i, byte in enumerate(data):
        if byte != 0x61:
            yield data[:i] + b"a" + data[i + 1 :]


def _plaintexts(plain: bytes) -> Iterator[bytes]:
    if plain:
        yield b""
    try:
        value = json.loads(plain)
    except (ValueError, UnicodeDecodeError, RecursionError):
        value = None
    if isinstance(value, dict):  # a JSON object: drop members before bytes
        for name in value:
            yield json.dumps({k: v for k, v in value.items() if k != name}, ensure_ascii=False).encode(
                "utf-8", "surrogatepass"
            )
    yield from smaller_bytes(plain)


def _skep_keys(args: Args, key_name: str, iv_name: str, base64: bool) -> tuple[bytes, bytes]:
    from conformance.codecs import decode_base64, java_utf8_encode

    decode = decode_base64 if base64 else java_utf8_encode
    iv_text = args.get("ivOverride", args[iv_name])
    return decode(args[key_name]), decode(iv_text)


def _skep(args: Args, text_name: str, key_name: str, iv_name: str, base64: bool) -> Iterator[dict[str, Any]]:
    from conformance.codecs import decode_base64
    from conformance.errors import ConformanceError

    try:
        key, iv = _skep_keys(args, key_name, iv_name, base64)
        plain = _cbc_open(key, iv, decode_base64(args[text_name]))
    except ConformanceError:
        return
    if plain is None:
        return
    zero = bytes(16)
    if key != zero or iv != zero or "ivOverride" in args:
        simple = {k: v for k, v in args.items() if k != "ivOverride"}
        simple.update({key_name: ZERO_KEY_B64, iv_name: ZERO_KEY_B64})
        if "base64Keys" in args:
            simple["base64Keys"] = True
        simple[text_name] = encode_base64_url_safe(cbc_seal(zero, zero, plain) or b"")
        yield simple
    for smaller in _plaintexts(plain):
        sealed = cbc_seal(key, iv, smaller)
        if sealed is not None:
            yield {**args, text_name: encode_base64_url_safe(sealed)}


def skep_decrypt(args: Args) -> Iterator[dict[str, Any]]:
    return _skep(args, "cipherText", "secretKey", "ivKey", bool(args.get("base64Keys")))


def payload_decrypt(args: Args) -> Iterator[dict[str, Any]]:
    return _skep(args, "encryptedPayload", "encryptionKey", "ivKey", True)


def _cryptor_key(args: Args) -> bytes | None:
    if "keyHex" in args:
        return bytes.fromhex(args["keyHex"])
    import hashlib

    from conformance.codecs import java_utf8_encode

    return hashlib.sha256(java_utf8_encode(args["keyText"])).digest()[:16]


def decrypt_cbc(args: Args) -> Iterator[dict[str, Any]]:
    key, iv = _cryptor_key(args), bytes.fromhex(args["iv"])
    plain = _cbc_open(key or b"", iv, bytes.fromhex(args["value"]))
    if plain is None:
        return
    zero = bytes(16)
    if "keyText" in args or key != zero or iv != zero:
        yield {"keyHex": zero.hex(), "iv": zero.hex(), "value": (cbc_seal(zero, zero, plain) or b"").hex()}
    for smaller in _plaintexts(plain):
        yield {**args, "value": (cbc_seal(key or b"", iv, smaller) or b"").hex()}


def decrypt_gcm(args: Args) -> Iterator[dict[str, Any]]:
    from conformance.aes import gcm_decrypt
    from conformance.errors import ConformanceError

    key, iv = _cryptor_key(args) or b"", bytes.fromhex(args["iv"])
    aad = None if args.get("aad") is None else bytes.fromhex(args["aad"])
    try:
        plain = gcm_decrypt(key, iv, bytes.fromhex(args["value"]), aad)
    except ConformanceError:
        return
    zero = bytes(16)
    if "keyText" in args or key != zero or len(iv) != 12 or aad:
        sealed = gcm_seal(zero, bytes(12), plain, None)
        if sealed is not None:
            yield {"keyHex": zero.hex(), "iv": bytes(12).hex(), "value": sealed.hex()}
    for smaller in _plaintexts(plain):
        sealed = gcm_seal(key, iv, smaller, aad)
        if sealed is not None:
            yield {**args, "value": sealed.hex()}


#: op -> candidates made by re-sealing a smaller plaintext.
#: op -> reducer (checked: a declared op, once); every op of a kind with a reducer gets its kind's.
REDUCERS: catalog.OpTable[Callable[[Args], Iterator[dict[str, Any]]]] = catalog.OpTable(
    "campaign reducers",
    {
        "khoros.skep.decrypt": skep_decrypt,
        "khoros.payload.decrypt": payload_decrypt,
        "khoros.cryptor.decrypt_cbc": decrypt_cbc,
        "khoros.cryptor.decrypt_gcm": decrypt_gcm,
    },
    {found.op: made for found in catalog.kind_parts() if (made := found.reducer()) is not None},
)
