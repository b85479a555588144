"""Generators for the Khoros ops (Secure Transfer and ``Cryptor``): keys and IVs of every length, raw and Base64;
tricky text; random and UTF-8-ish plaintexts sealed with the case's own key, then their Base64 or bytes mutated."""

from __future__ import annotations

#: Nothing here is called directly: each generator is reached through
#: :func:`conformance.fuzz.generators.generator` (or ``fast_generator``), which checks the op; the helpers serve the
#: generators and reducers alone.
__all__: tuple[str, ...] = ()

import json
import random
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from conformance import mutations as m
from conformance.codecs import encode_base64_url_safe

_AES_LENGTHS = (16, 24, 32)


def cbc_seal(key: bytes, iv: bytes, plain: bytes) -> bytes | None:
    """AES-CBC/PKCS#7 of ``plain``, or ``None`` when the key or IV cannot make one (an input maker, not a port)."""
    if len(key) not in _AES_LENGTHS or len(iv) != 16:
        return None
    pad = 16 - len(plain) % 16
    data = plain + bytes((pad,)) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def gcm_seal(key: bytes, iv: bytes, plain: bytes, aad: bytes | None) -> bytes | None:
    """AES-GCM ciphertext || tag for any non-empty IV length, or ``None`` where no such ciphertext exists."""
    from conformance.aes import gcm_encrypt
    from conformance.errors import ConformanceError

    try:
        return gcm_encrypt(key, iv, plain, aad)
    except ConformanceError:
        return None


# --- SymmetricKeyEncryptionProvider ----------------------------------------------------------------------------


def _skep_keys(rnd: random.Random) -> tuple[dict[str, Any], bytes, bytes]:
    """The key arguments, and the key and IV bytes a correct provider derives from them when unmutated."""
    if rnd.random() < 0.7:
        key = rnd.randbytes(m.key_length(rnd))
        iv = rnd.randbytes(16 if rnd.random() < 0.85 else m.key_length(rnd, (16,), 24))
        key_text, iv_text = m.b64(rnd, key), m.b64(rnd, iv)
        if rnd.random() < 0.08:
            key_text = m.mutate_base64(rnd, key_text, 1)
        if rnd.random() < 0.08:
            iv_text = m.mutate_base64(rnd, iv_text, 1)
        return {"secretKey": key_text, "ivKey": iv_text, "base64Keys": True}, key, iv
    key_text = m.ascii_text(rnd, *((n := m.key_length(rnd)), n)) if rnd.random() < 0.7 else m.tricky_text(rnd, 33)
    iv_text = m.ascii_text(rnd, 16, 16) if rnd.random() < 0.8 else m.tricky_text(rnd, 17)
    key = key_text.encode("utf-8", "replace")
    iv = iv_text.encode("utf-8", "replace")
    return {"secretKey": key_text, "ivKey": iv_text, "base64Keys": False}, key, iv


def skep_encrypt(rnd: random.Random) -> dict[str, Any]:
    args, _, _ = _skep_keys(rnd)
    args["plainText"] = m.tricky_text(rnd, 60) if rnd.random() < 0.85 else json.dumps({"k": m.tricky_text(rnd, 8)})
    if rnd.random() < 0.1:
        args["ivOverride"] = (
            m.b64(rnd, rnd.randbytes(m.key_length(rnd, (16,), 20))) if args["base64Keys"] else m.ascii_text(rnd, 14, 17)
        )
    return args


def _cipher_text(rnd: random.Random, key: bytes, iv: bytes, plain: bytes) -> str:
    sealed = cbc_seal(key, iv, plain) if rnd.random() < 0.85 else None
    if sealed is None:
        sealed = rnd.randbytes(16 * m.between(rnd, 0, 5) if rnd.random() < 0.8 else m.between(rnd, 0, 70))
    text = encode_base64_url_safe(sealed)
    return m.mutate_base64(rnd, text) if rnd.random() < 0.3 else text


def skep_decrypt(rnd: random.Random) -> dict[str, Any]:
    args, key, iv = _skep_keys(rnd)
    if rnd.random() < 0.1:
        override = rnd.randbytes(16)
        args["ivOverride"] = m.b64(rnd, override) if args["base64Keys"] else m.ascii_text(rnd, 16, 16)
        iv = override if args["base64Keys"] else args["ivOverride"].encode()
    if rnd.random() < 0.08:
        args["cipherText"] = m.mutate_base64(
            rnd, "".join(m.one_of(rnd, m.URL_SAFE_CHARS) for _ in range(m.between(rnd, 0, 48)))
        )
    else:
        args["cipherText"] = _cipher_text(rnd, key, iv, m.plaintext_bytes(rnd))
    return args


def _json_value(rnd: random.Random, depth: int = 0) -> Any:
    pick = rnd.random()
    if depth < 2 and pick < 0.15:
        return [_json_value(rnd, depth + 1) for _ in range(m.below(rnd, 3))]
    if depth < 2 and pick < 0.25:
        return {m.tricky_text(rnd, 6): _json_value(rnd, depth + 1) for _ in range(m.below(rnd, 3))}
    return m.one_of(
        rnd,
        (
            None,
            True,
            False,
            rnd.randrange(-(2**60), 2**60),
            rnd.random() * 10 ** m.between(rnd, -5, 25),
            m.tricky_text(rnd, 12),
            m.ascii_text(rnd, 0, 12),
        ),
    )


def payload_text(rnd: random.Random) -> str:
    """A payload plaintext: a JSON object mostly, sometimes another JSON value, an edited object or junk."""
    pick = rnd.random()
    obj = {
        m.ascii_text(rnd, 1, 10) if rnd.random() < 0.7 else m.tricky_text(rnd, 6): _json_value(rnd)
        for _ in range(m.below(rnd, 6))
    }
    text = json.dumps(obj, ensure_ascii=rnd.random() < 0.5, separators=m.one_of(rnd, ((",", ":"), (", ", ": "))))
    if pick < 0.75:
        return text
    if pick < 0.85:
        return json.dumps(_json_value(rnd))
    if pick < 0.95:  # truncated or with junk around it: where org.json is lenient (DEVIATIONS.md)
        i = m.below(rnd, len(text) + 1)
        return m.one_of(
            rnd, (text[:i], text + m.one_of(rnd, ("x", " ", "}", ",", "\0")), m.one_of(rnd, m.WHITESPACE) + text)
        )
    return m.tricky_text(rnd, 20)


def payload_decrypt(rnd: random.Random) -> dict[str, Any]:
    key = rnd.randbytes(32 if rnd.random() < 0.8 else m.key_length(rnd))
    iv = rnd.randbytes(16 if rnd.random() < 0.9 else m.key_length(rnd, (16,), 20))
    args = {"ivKey": m.b64(rnd, iv), "encryptionKey": m.b64(rnd, key)}
    sealed = cbc_seal(key, iv, payload_text(rnd).encode("utf-8", "surrogatepass"))
    text = encode_base64_url_safe(sealed if sealed is not None else rnd.randbytes(32))
    if rnd.random() < 0.2:
        text = m.mutate_base64(rnd, text)
    args["encryptedPayload"] = text
    pick = rnd.random()
    if pick < 0.03:
        args["ivKey"] = ""
    elif pick < 0.06:
        args["encryptedPayload"] = ""
    elif pick < 0.08:
        args["encryptionKey"] = ""
    return args


# --- Cryptor ----------------------------------------------------------------------------------------------------


def _cryptor_key(rnd: random.Random) -> tuple[dict[str, Any], bytes]:
    if rnd.random() < 0.3:
        text = m.tricky_text(rnd, 24)
        import hashlib

        return {"keyText": text}, hashlib.sha256(text.encode("utf-8", "replace")).digest()[:16]
    key = rnd.randbytes(m.key_length(rnd))
    return {"keyHex": m.hex_of(key, rnd)}, key


def aes_hash_block(rnd: random.Random) -> dict[str, Any]:
    return {"s": m.tricky_text(rnd, 60)}


def encrypt_cbc(rnd: random.Random) -> dict[str, Any]:
    args, _ = _cryptor_key(rnd)
    iv = rnd.randbytes(16 if rnd.random() < 0.8 else m.between(rnd, 0, 21))
    return {**args, "value": m.hex_of(m.random_bytes(rnd, 70), rnd), "iv": m.hex_of(iv, rnd)}


def decrypt_cbc(rnd: random.Random) -> dict[str, Any]:
    args, key = _cryptor_key(rnd)
    iv = rnd.randbytes(16 if rnd.random() < 0.85 else m.between(rnd, 0, 21))
    sealed = cbc_seal(key, iv, m.plaintext_bytes(rnd, 70)) if rnd.random() < 0.8 else None
    if sealed is None:
        sealed = rnd.randbytes(16 * m.between(rnd, 0, 5) if rnd.random() < 0.7 else m.between(rnd, 0, 70))
    elif rnd.random() < 0.4:
        sealed = m.mutate_bytes(rnd, sealed)
    return {**args, "value": m.hex_of(sealed, rnd), "iv": m.hex_of(iv, rnd)}


def _gcm_iv(rnd: random.Random) -> bytes:
    pick = rnd.random()
    if pick < 0.6:
        return rnd.randbytes(12)
    if pick < 0.8:
        return rnd.randbytes(m.between(rnd, 0, 17))
    if pick < 0.95:
        return rnd.randbytes(m.between(rnd, 17, 129))
    return rnd.randbytes(m.between(rnd, 129, 301))  # past 128 bytes: sealed by the port's GCM by hand (slower)


def _aad(rnd: random.Random) -> str | None:
    return None if rnd.random() < 0.4 else m.random_bytes(rnd, 40).hex()


def encrypt_gcm(rnd: random.Random) -> dict[str, Any]:
    args, _ = _cryptor_key(rnd)
    args.update(value=m.random_bytes(rnd, 70).hex(), iv=_gcm_iv(rnd).hex())
    aad = _aad(rnd)
    if aad is not None or rnd.random() < 0.5:
        args["aad"] = aad
    return args


def decrypt_gcm(rnd: random.Random) -> dict[str, Any]:
    args, key = _cryptor_key(rnd)
    iv, aad = _gcm_iv(rnd), _aad(rnd)
    sealed = gcm_seal(key, iv, m.random_bytes(rnd, 50), None if aad is None else bytes.fromhex(aad))
    if sealed is None or rnd.random() < 0.1:
        sealed = m.random_bytes(rnd, 40)
    pick = rnd.random()
    if pick < 0.3:
        sealed = m.mutate_bytes(rnd, sealed)
    elif pick < 0.4:
        aad = None if aad else "00"
    args.update(value=sealed.hex(), iv=iv.hex())
    if aad is not None or rnd.random() < 0.5:
        args["aad"] = aad
    return args


GENERATORS = {
    "khoros.skep.encrypt": skep_encrypt,
    "khoros.skep.decrypt": skep_decrypt,
    "khoros.payload.decrypt": payload_decrypt,
    "khoros.cryptor.aes_hash_block": aes_hash_block,
    "khoros.cryptor.encrypt_cbc": encrypt_cbc,
    "khoros.cryptor.decrypt_cbc": decrypt_cbc,
    "khoros.cryptor.encrypt_gcm": encrypt_gcm,
    "khoros.cryptor.decrypt_gcm": decrypt_gcm,
}
