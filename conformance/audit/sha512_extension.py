"""SHA-512 in pure Python with a settable state, and the length-extension attack on ``SHA-512(secret ‖ message)``.

SHA-512 (FIPS 180-4) hashes 128-byte blocks; its digest *is* its internal state after the last block. Anyone who
knows ``SHA-512(secret ‖ message)`` and the length of ``secret ‖ message`` can therefore load that state and go on
hashing: the result is ``SHA-512(secret ‖ message ‖ glue ‖ appended)``, where ``glue`` is the padding SHA-512
itself added after ``message`` (``0x80``, zeros, the bit length as 16 big-endian bytes). The secret is never
needed, only its length. HMAC is immune: its outer hash covers the inner digest under the key again.

:func:`extend` is the attack; :class:`Sha512` is the hash it runs on (slow, about 0.2 ms per block, and only for the
few blocks an attack needs); :func:`glue` is the padding.
"""

from __future__ import annotations

import re
import struct
from typing import Any

from conformance.arguments import require_bytes, require_instance, require_int, require_str
from conformance.errors import InvalidArgument

BLOCK_SIZE = 128
DIGEST_SIZE = 64
#: The longest message SHA-512 defines: its bit length fits in 128 bits.
MAX_MESSAGE_LENGTH = (1 << 125) - 1
#: The most bytes one :meth:`Sha512.update` (or :func:`sha512`) hashes: 64 KiB, 512 blocks, about 0.1 s in pure
#: Python; an attack hashes a block or two.
MAX_UPDATE_BYTES = 1 << 16
_MASK = (1 << 64) - 1
_HEX_DIGEST = re.compile(r"[0-9A-Fa-f]{128}")

# FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes.
_K = (
    0x428A2F98D728AE22, 0x7137449123EF65CD, 0xB5C0FBCFEC4D3B2F, 0xE9B5DBA58189DBBC, 0x3956C25BF348B538,
    0x59F111F1B605D019, 0x923F82A4AF194F9B, 0xAB1C5ED5DA6D8118, 0xD807AA98A3030242, 0x12835B0145706FBE,
    0x243185BE4EE4B28C, 0x550C7DC3D5FFB4E2, 0x72BE5D74F27B896F, 0x80DEB1FE3B1696B1, 0x9BDC06A725C71235,
    0xC19BF174CF692694, 0xE49B69C19EF14AD2, 0xEFBE4786384F25E3, 0x0FC19DC68B8CD5B5, 0x240CA1CC77AC9C65,
    0x2DE92C6F592B0275, 0x4A7484AA6EA6E483, 0x5CB0A9DCBD41FBD4, 0x76F988DA831153B5, 0x983E5152EE66DFAB,
    0xA831C66D2DB43210, 0xB00327C898FB213F, 0xBF597FC7BEEF0EE4, 0xC6E00BF33DA88FC2, 0xD5A79147930AA725,
    0x06CA6351E003826F, 0x142929670A0E6E70, 0x27B70A8546D22FFC, 0x2E1B21385C26C926, 0x4D2C6DFC5AC42AED,
    0x53380D139D95B3DF, 0x650A73548BAF63DE, 0x766A0ABB3C77B2A8, 0x81C2C92E47EDAEE6, 0x92722C851482353B,
    0xA2BFE8A14CF10364, 0xA81A664BBC423001, 0xC24B8B70D0F89791, 0xC76C51A30654BE30, 0xD192E819D6EF5218,
    0xD69906245565A910, 0xF40E35855771202A, 0x106AA07032BBD1B8, 0x19A4C116B8D2D0C8, 0x1E376C085141AB53,
    0x2748774CDF8EEB99, 0x34B0BCB5E19B48A8, 0x391C0CB3C5C95A63, 0x4ED8AA4AE3418ACB, 0x5B9CCA4F7763E373,
    0x682E6FF3D6B2B8A3, 0x748F82EE5DEFB2FC, 0x78A5636F43172F60, 0x84C87814A1F0AB72, 0x8CC702081A6439EC,
    0x90BEFFFA23631E28, 0xA4506CEBDE82BDE9, 0xBEF9A3F7B2C67915, 0xC67178F2E372532B, 0xCA273ECEEA26619C,
    0xD186B8C721C0C207, 0xEADA7DD6CDE0EB1E, 0xF57D4F7FEE6ED178, 0x06F067AA72176FBA, 0x0A637DC5A2C898A6,
    0x113F9804BEF90DAE, 0x1B710B35131C471B, 0x28DB77F523047D84, 0x32CAAB7B40C72493, 0x3C9EBE0A15C9BEBC,
    0x431D67C49C100D4C, 0x4CC5D4BECB3E42B6, 0x597F299CFC657E2A, 0x5FCB6FAB3AD6FAEC, 0x6C44198C4A475817,
)  # fmt: skip
#: The initial state H(0) (FIPS 180-4 §5.3.5).
INITIAL_STATE = (
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
)  # fmt: skip


def _rotr(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & _MASK


def _state(value: Any, name: str) -> tuple[int, ...]:
    """Eight 64-bit words, from a tuple or list."""
    if len(require_instance(value, name, (tuple, list))) != 8:
        raise InvalidArgument(f"{name} must be a tuple of 8 words")
    return tuple(require_int(word, f"a word of {name}", minimum=0, maximum=_MASK) for word in value)


def compress(state: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    """One SHA-512 compression: the eight 64-bit words after hashing one 128-byte ``block`` from ``state``.
    Raises :class:`InvalidArgument` unless ``state`` is 8 words of 64 bits and ``block`` 128 bytes."""
    state, block = _state(state, "state"), require_bytes(block, "block")
    if len(block) != BLOCK_SIZE:
        raise InvalidArgument("compress takes an 8-word state and a 128-byte block")
    w = list(struct.unpack(">16Q", block))
    for t in range(16, 80):
        s0 = _rotr(w[t - 15], 1) ^ _rotr(w[t - 15], 8) ^ (w[t - 15] >> 7)
        s1 = _rotr(w[t - 2], 19) ^ _rotr(w[t - 2], 61) ^ (w[t - 2] >> 6)
        w.append((w[t - 16] + s0 + w[t - 7] + s1) & _MASK)
    a, b, c, d, e, f, g, h = state
    for t in range(80):
        t1 = h + (_rotr(e, 14) ^ _rotr(e, 18) ^ _rotr(e, 41)) + ((e & f) ^ (~e & g)) + _K[t] + w[t]
        t2 = (_rotr(a, 28) ^ _rotr(a, 34) ^ _rotr(a, 39)) + ((a & b) ^ (a & c) ^ (b & c))
        a, b, c, d, e, f, g, h = (t1 + t2) & _MASK, a, b, c, (d + t1) & _MASK, e, f, g
    return tuple((x + y) & _MASK for x, y in zip(state, (a, b, c, d, e, f, g, h), strict=True))


def glue(message_length: int) -> bytes:
    """The padding SHA-512 appends to a message of ``message_length`` bytes: ``0x80``, zeros, the bit length as
    16 big-endian bytes, so that the total is a multiple of 128 bytes. Raises :class:`InvalidArgument` unless
    ``message_length`` is an int from 0 to :data:`MAX_MESSAGE_LENGTH`."""
    message_length = require_int(message_length, "message_length", minimum=0, maximum=MAX_MESSAGE_LENGTH)
    zeros = (BLOCK_SIZE - 1 - 16 - message_length) % BLOCK_SIZE
    return b"\x80" + b"\x00" * zeros + (message_length * 8).to_bytes(16, "big")


class Sha512:
    """SHA-512 whose state can be set: ``Sha512()`` starts at H(0); :meth:`resume` starts from a digest."""

    def __init__(self, state: tuple[int, ...] = INITIAL_STATE, processed: int = 0) -> None:
        """Raises :class:`InvalidArgument` unless ``state`` is 8 words of 64 bits and ``processed`` a multiple of
        128 bytes up to :data:`MAX_MESSAGE_LENGTH`."""
        state = _state(state, "state")
        if require_int(processed, "processed", minimum=0, maximum=MAX_MESSAGE_LENGTH) % BLOCK_SIZE:
            raise InvalidArgument("the state is 8 words and the processed length a multiple of 128 bytes")
        self.state = state
        self.processed = processed  # bytes already compressed into the state
        self._buffer = b""

    @classmethod
    def resume(cls, digest_hex: str, processed: int) -> Sha512:
        """A hash that continues after ``processed`` bytes (message plus its glue) whose digest is ``digest_hex``."""
        if not _HEX_DIGEST.fullmatch(require_str(digest_hex, "digest_hex")):
            raise InvalidArgument("digest_hex must be 128 hex digits")
        return cls(struct.unpack(">8Q", bytes.fromhex(digest_hex)), processed)

    def update(self, data: bytes) -> Sha512:
        """This hash after ``data``. Raises :class:`InvalidArgument` for what is not bytes, more than
        :data:`MAX_UPDATE_BYTES`, or a total past :data:`MAX_MESSAGE_LENGTH`."""
        data = require_bytes(data, "data")
        if len(data) > MAX_UPDATE_BYTES:
            raise InvalidArgument(f"data must be at most {MAX_UPDATE_BYTES} bytes (this SHA-512 is pure Python)")
        if self.processed + len(self._buffer) + len(data) > MAX_MESSAGE_LENGTH:
            raise InvalidArgument("the message would be longer than SHA-512 allows")
        data = self._buffer + data
        whole = len(data) - len(data) % BLOCK_SIZE
        for start in range(0, whole, BLOCK_SIZE):
            self.state = compress(self.state, data[start : start + BLOCK_SIZE])
        self.processed += whole
        self._buffer = data[whole:]
        return self

    def digest(self) -> bytes:
        """The SHA-512 of everything hashed so far (this object is left unchanged)."""
        state = self.state
        tail = self._buffer + glue(self.processed + len(self._buffer))
        for start in range(0, len(tail), BLOCK_SIZE):
            state = compress(state, tail[start : start + BLOCK_SIZE])
        return struct.pack(">8Q", *state)

    def hexdigest(self) -> str:
        return self.digest().hex()


def sha512(data: bytes) -> bytes:
    """SHA-512 of ``data`` with this module's code (for checking it against :mod:`hashlib`). Raises
    :class:`InvalidArgument` as :meth:`Sha512.update` does."""
    return Sha512().update(data).digest()


def extend(digest_hex: str, secret_length: int, original: bytes, appended: bytes) -> tuple[str, bytes]:
    """The length extension: from ``digest_hex = SHA-512(secret ‖ original)`` and ``len(secret)`` only, return
    ``(SHA-512(secret ‖ original ‖ glue ‖ appended) as lowercase hex, glue)``.

    The forged message is ``original + glue + appended``. Raises :class:`InvalidArgument` for bad arguments.
    """
    secret_length = require_int(secret_length, "secret_length", minimum=0, maximum=MAX_MESSAGE_LENGTH)
    original, appended = require_bytes(original, "original"), require_bytes(appended, "appended")
    if secret_length + len(original) > MAX_MESSAGE_LENGTH - BLOCK_SIZE:
        raise InvalidArgument("secret_length and original are longer than SHA-512 allows")
    padding = glue(secret_length + len(original))
    resumed = Sha512.resume(digest_hex, secret_length + len(original) + len(padding))
    return resumed.update(bytes(appended)).hexdigest(), padding


__all__ = [
    "BLOCK_SIZE",
    "DIGEST_SIZE",
    "INITIAL_STATE",
    "MAX_MESSAGE_LENGTH",
    "MAX_UPDATE_BYTES",
    "Sha512",
    "compress",
    "extend",
    "glue",
    "sha512",
]
