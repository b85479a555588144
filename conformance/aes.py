"""AES as the JCE's SunJCE provider does it: CBC with PKCS#5 padding, and GCM with any non-empty IV length.

The functions raise the typed errors the JCE's checked exceptions correspond to, in the JCE's order of checks.
"""

from __future__ import annotations

import hmac
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms, modes

from conformance.errors import (
    BadPadding,
    BadTag,
    IllegalBlockSize,
    InvalidArgument,
    InvalidIvLength,
    InvalidKeyLength,
    ProviderError,
    ShortBuffer,
)

BLOCK = 16
TAG = 16
_AES_KEY_LENGTHS = (16, 24, 32)
_CRYPTOGRAPHY_GCM_IV_RANGE = range(8, 129)
#: GCM with an IV length outside that range is computed here, in Python: at most this many bytes of IV, AAD and data
#: (256 KiB take about half a second; the Java reference has no bound: DEVIATIONS.md).
MAX_SLOW_GCM_BYTES = 1 << 18


def check_key(key: bytes) -> None:
    """Raise :class:`InvalidKeyLength` unless the key is 128, 192 or 256 bits."""
    if len(key) not in _AES_KEY_LENGTHS:
        raise InvalidKeyLength(f"Invalid AES key length: {len(key)} bytes")


def check_cbc_iv(iv: bytes) -> None:
    if len(iv) != BLOCK:
        raise InvalidIvLength(f"Wrong IV length: must be 16 bytes long, got {len(iv)}")


@lru_cache(maxsize=64)
def _ecb(key: bytes) -> tuple[CipherContext, CipherContext]:
    """Reusable ECB contexts for one key: ECB has no state between blocks, so ``update`` can be called forever."""
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    return cipher.encryptor(), cipher.decryptor()


def cbc_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """AES/CBC/PKCS5Padding encryption; checks the IV, then the key, as ``Cipher.init`` does."""
    check_cbc_iv(iv)
    check_key(key)
    pad = BLOCK - len(plaintext) % BLOCK
    data = plaintext + bytes([pad]) * pad
    encrypt = _ecb(key)[0].update
    out = bytearray()
    previous = int.from_bytes(iv, "big")
    for offset in range(0, len(data), BLOCK):
        block = int.from_bytes(data[offset : offset + BLOCK], "big") ^ previous
        cipher_block = encrypt(block.to_bytes(BLOCK, "big"))
        out += cipher_block
        previous = int.from_bytes(cipher_block, "big")
    return bytes(out)


def cbc_decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    """AES/CBC/PKCS5Padding decryption; an empty ciphertext gives an empty result, as the JCE's does."""
    check_cbc_iv(iv)
    check_key(key)
    size = len(ciphertext)
    if size == 0:
        return b""
    if size % BLOCK:
        raise IllegalBlockSize("Input length must be multiple of 16 when decrypting with padded cipher")
    decrypted = _ecb(key)[1].update(ciphertext)
    chained = int.from_bytes(decrypted, "big") ^ int.from_bytes(iv + ciphertext[:-BLOCK], "big")
    padded = chained.to_bytes(size, "big")
    pad = padded[-1]
    if not 1 <= pad <= BLOCK or padded[-pad:] != bytes([pad]) * pad:
        raise BadPadding(
            "Given final block not properly padded. Such issues can arise if a bad key is used during decryption."
        )
    return padded[:-pad]


_PADDING = [b""] + [bytes([n]) * n for n in range(1, BLOCK + 1)]


class CbcDecryptor:
    """AES/CBC/PKCS5Padding decryption for one key, reusing one cipher context across calls.

    A CBC context chains from whatever block it saw last; feeding it ``IV || ciphertext`` makes the IV that block,
    so the output after the first (discarded) block is exactly the decryption under that IV. Each call is therefore
    independent of the previous ones and of other threads' calls.
    """

    __slots__ = ("_key", "_update")

    def __init__(self, key: bytes) -> None:
        check_key(key)
        self._key = key
        self._update = Cipher(algorithms.AES(key), modes.CBC(bytes(BLOCK))).decryptor().update

    def decrypt(self, iv: bytes, ciphertext: bytes) -> bytes:
        """Same results and errors as :func:`cbc_decrypt` (the key was checked when this object was made)."""
        if len(iv) != BLOCK:
            check_cbc_iv(iv)
        size = len(ciphertext)
        if size % BLOCK:
            raise IllegalBlockSize("Input length must be multiple of 16 when decrypting with padded cipher")
        if size == 0:
            return b""
        try:
            out = self._update(iv + ciphertext)
        except RuntimeError:  # the context is in use by another thread: use a private one
            out = Cipher(algorithms.AES(self._key), modes.CBC(bytes(BLOCK))).decryptor().update(iv + ciphertext)
        pad = out[-1]
        if not 1 <= pad <= BLOCK or out[-pad:] != _PADDING[pad]:
            raise _bad_padding()
        return out[BLOCK:-pad]


@lru_cache(maxsize=1024)
def cbc_decryptor(key: bytes) -> CbcDecryptor:
    """The shared :class:`CbcDecryptor` of ``key``: a cipher context costs microseconds to make, and a key is
    usually asked again (a provider per message, a campaign's keys). Raises as :class:`CbcDecryptor` does."""
    return CbcDecryptor(key)


def _bad_padding() -> BadPadding:
    return BadPadding(
        "Given final block not properly padded. Such issues can arise if a bad key is used during decryption."
    )


# --- GCM ----------------------------------------------------------------------------------------------------------

_R = 0xE1 << 120


def gf_multiply(x: int, y: int) -> int:
    """Multiplication in GF(2^128) with GCM's bit order (NIST SP 800-38D, algorithm 1)."""
    z = 0
    v = y
    for bit in range(127, -1, -1):
        if x >> bit & 1:
            z ^= v
        v = (v >> 1) ^ _R if v & 1 else v >> 1
    return z


def ghash(h: int, data: bytes) -> int:
    """GHASH_H over ``data`` (a last partial block is zero-padded)."""
    y = 0
    for offset in range(0, len(data), BLOCK):
        y = gf_multiply(y ^ int.from_bytes(data[offset : offset + BLOCK].ljust(BLOCK, b"\0"), "big"), h)
    return y


def _zero_padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % BLOCK)


def _gcm_keystream_xor(encrypt_block, j0: int, data: bytes) -> bytes:
    """CTR from inc32(J0): only the low 32 bits of the counter block count, and they wrap."""
    high = j0 & ~0xFFFFFFFF
    counters = b"".join(
        (high | (j0 + 1 + n) & 0xFFFFFFFF).to_bytes(BLOCK, "big") for n in range((len(data) + BLOCK - 1) // BLOCK)
    )
    stream = encrypt_block(counters)[: len(data)]
    return (int.from_bytes(stream, "big") ^ int.from_bytes(data, "big")).to_bytes(len(data), "big") if data else b""


def _gcm_by_hand(key: bytes, iv: bytes, data: bytes, aad: bytes, tag: bytes | None) -> bytes:
    """GCM for the IV lengths ``cryptography`` refuses: J0 = GHASH(IV || pad || [len(IV)]64), per SP 800-38D."""
    encrypt_block = Cipher(algorithms.AES(key), modes.ECB()).encryptor().update
    h = int.from_bytes(encrypt_block(b"\0" * BLOCK), "big")
    j0 = ghash(h, _zero_padded(iv) + (len(iv) * 8).to_bytes(BLOCK, "big"))
    ciphertext = data if tag is not None else _gcm_keystream_xor(encrypt_block, j0, data)
    lengths = (len(aad) * 8).to_bytes(8, "big") + (len(ciphertext) * 8).to_bytes(8, "big")
    s = ghash(h, _zero_padded(aad) + _zero_padded(ciphertext) + lengths)
    full_tag = (s ^ int.from_bytes(encrypt_block(j0.to_bytes(BLOCK, "big")), "big")).to_bytes(BLOCK, "big")
    if tag is None:
        return ciphertext + full_tag
    if not _constant_time_equal(full_tag, tag):
        raise BadTag("Tag mismatch")
    return _gcm_keystream_xor(encrypt_block, j0, data)


def _constant_time_equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


def check_gcm_sizes(iv: bytes, aad: bytes | None, data: bytes) -> None:
    """Raise :class:`InvalidArgument` when a GCM call would take the pure-Python path with more than
    :data:`MAX_SLOW_GCM_BYTES` of IV, AAD and data (it would take seconds)."""
    slow = len(iv) not in _CRYPTOGRAPHY_GCM_IV_RANGE
    if slow and len(iv) + len(aad or b"") + len(data) > MAX_SLOW_GCM_BYTES:
        raise InvalidArgument(
            f"GCM with a {len(iv)}-byte IV is computed in Python: at most {MAX_SLOW_GCM_BYTES} bytes of IV, AAD and data"
        )


def _check_gcm(key: bytes, iv: bytes) -> None:
    if len(iv) == 0:
        raise InvalidIvLength("IV is empty")
    check_key(key)


def gcm_encrypt(key: bytes, iv: bytes, plaintext: bytes, aad: bytes | None) -> bytes:
    """AES/GCM/NoPadding with a 128-bit tag; returns ciphertext || tag."""
    _check_gcm(key, iv)
    aad = aad or b""
    if len(iv) in _CRYPTOGRAPHY_GCM_IV_RANGE:
        encryptor = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
        if aad:
            encryptor.authenticate_additional_data(aad)
        ciphertext = encryptor.update(plaintext) + encryptor.finalize()
        return ciphertext + encryptor.tag
    return _gcm_by_hand(key, iv, plaintext, aad, None)


def gcm_decrypt(key: bytes, iv: bytes, ciphertext_and_tag: bytes, aad: bytes | None) -> bytes:
    """Inverse of :func:`gcm_encrypt`; raises :class:`BadTag` when the tag does not verify."""
    _check_gcm(key, iv)
    aad = aad or b""
    if len(ciphertext_and_tag) < TAG:
        # What JDK 17's SunJCE does (a checked AEADBadTagException would be the documented behaviour).
        raise ProviderError("javax.crypto.ShortBufferException: Output buffer invalid") from ShortBuffer(
            "Output buffer invalid"
        )
    ciphertext, tag = ciphertext_and_tag[:-TAG], ciphertext_and_tag[-TAG:]
    if len(iv) in _CRYPTOGRAPHY_GCM_IV_RANGE:
        decryptor = Cipher(algorithms.AES(key), modes.GCM(iv, tag)).decryptor()
        if aad:
            decryptor.authenticate_additional_data(aad)
        try:
            return decryptor.update(ciphertext) + decryptor.finalize()
        except InvalidTag:
            raise BadTag("Tag mismatch") from None
    return _gcm_by_hand(key, iv, ciphertext, aad, tag)
