"""Fast generators for the busiest campaign ops (the bulk engine's, :mod:`conformance.fuzz.engine`): the same case
families as the readable generators, drawn with far fewer Python steps a case.

A readable generator builds its tricky texts and UTF-8-ish bytes one character (one piece) at a time; that is most
of a case's cost. A fast generator cuts them out of *soups* instead: long runs of the same characters and pieces,
drawn once per process by the readable helpers (:func:`conformance.mutations.tricky_char` and the pieces of
:func:`conformance.mutations.utf8ish_bytes`) from a fixed seed, so every process has the same soups and a campaign
stays deterministic by seed, shard and job. A text of ``n`` characters is the window of ``n`` characters at a drawn
offset: one draw instead of ``n``. Everything else is drawn as the readable generator draws it, with the same
probabilities: the key modes and lengths, the IV lengths, the Base64 alphabets and mutations
(:func:`conformance.mutations.mutate_base64` itself), the IV override, junk ciphertexts, and plaintexts sealed with
the case's own key (or random bytes) before their Base64 is mutated.

So the fast generators draw other cases than the readable ones from the same stream, of the same families:
``tests/test_fuzz_engines.py`` counts every family and mutation kind over many cases of both and requires each to
be drawn at about the same rate.
"""

from __future__ import annotations

#: Nothing here is called directly: each generator is reached through
#: :func:`conformance.fuzz.generators.generator` (or ``fast_generator``), which checks the op; the helpers serve the
#: generators and reducers alone.
__all__: tuple[str, ...] = ()

import base64
import itertools
import random
from bisect import bisect_left
from collections.abc import Callable
from functools import cache
from math import log
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from conformance import mutations as m
from conformance.codecs import encode_base64_url_safe
from conformance.fuzz.generators.khoros import cbc_seal

#: Characters (pieces) in each soup: every window of up to 64 of them is a text the readable helpers could draw.
SOUP_SIZE = 1 << 16
#: The soups' seed: they are data, the same in every process.
SOUP_SEED = 0x50_0B
#: Keys of each AES length (16, 24, 32 bytes) in the pools, raw and printable ASCII.
POOLED_KEYS = 256
_WHITESPACE, _WHITESPACE_COUNT = m.WHITESPACE, len(m.WHITESPACE)
_USUAL = (16, 24, 32)
_AES = frozenset(_USUAL)
#: Reused contexts kept: the pooled keys', and the few other keys of an AES length that were drawn first.
_MOST_SEALERS = 4 * len(_USUAL) * POOLED_KEYS
_SWAP = str.maketrans("+/-_", "-_+/")
_STOP = 1 / log(0.9)  # utf8ish_bytes stops one step in ten


class Soups:
    """The soups, drawn from :data:`SOUP_SEED`: tricky characters, printable ASCII with and without space,
    URL-safe Base64 characters, and UTF-8-ish pieces with their start offsets."""

    def __init__(self, size: int = SOUP_SIZE) -> None:
        rnd = random.Random(SOUP_SEED)
        self.size = size
        self.tricky = "".join([m.tricky_char(rnd) for _ in range(size)])
        self.spaced = "".join([chr(m.between(rnd, 0x20, 0x7F)) for _ in range(size)])
        self.printable = "".join(rnd.choices(m.PRINTABLE, k=size))
        self.url_safe = "".join(rnd.choices(m.URL_SAFE_CHARS, k=size))
        pieces = [_utf8ish_piece(rnd) for _ in range(size)]
        self.utf8ish = b"".join(pieces)
        self.starts = [0, *itertools.accumulate(len(piece) for piece in pieces)]
        self.keys = {length: [rnd.randbytes(length) for _ in range(POOLED_KEYS)] for length in _USUAL}
        self.ascii_keys = {length: [m.ascii_text(rnd, length, length) for _ in range(POOLED_KEYS)] for length in _USUAL}


class _Sealer:
    """:func:`conformance.fuzz.generators.khoros.cbc_seal` for one key, on one reused CBC context: the context
    chains from the last block it wrote, so the first block is fed XORed with that block and the IV."""

    __slots__ = ("last", "update")

    def __init__(self, key: bytes) -> None:
        self.update = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor().update
        self.last = 0

    def seal(self, iv: bytes, plain: bytes) -> bytes:
        data = plain + _PADDING[16 - len(plain) % 16]
        first = int.from_bytes(data[:16], "big") ^ int.from_bytes(iv, "big") ^ self.last
        out = self.update(first.to_bytes(16, "big") + data[16:])
        self.last = int.from_bytes(out[-16:], "big")
        return out


_PADDING = [bytes((pad,)) * pad for pad in range(17)]
_sealers: dict[bytes, _Sealer] = {}


def _seal(key: bytes, iv: bytes, plain: bytes) -> bytes | None:
    """:func:`~conformance.fuzz.generators.khoros.cbc_seal`, on the key's reused context for a pooled key."""
    if len(iv) != 16 or len(key) not in _AES:
        return None
    sealer = _sealers.get(key)
    if sealer is None:
        if len(_sealers) >= _MOST_SEALERS:
            return cbc_seal(key, iv, plain)
        sealer = _sealers[key] = _Sealer(key)
    return sealer.seal(iv, plain)


def _utf8ish_piece(rnd: random.Random) -> bytes:
    """One piece of :func:`conformance.mutations.utf8ish_bytes` (its weights without the stop)."""
    pick = rnd.random() * 0.90
    if pick < 0.30:
        return m.tricky_char(rnd).encode("utf-8", "surrogatepass")
    if pick < 0.50:
        return bytes((m.one_of(rnd, m.UTF8_BAIT),))
    if pick < 0.65:
        return m.one_of(rnd, m.UTF8_SEQUENCES)
    return bytes((m.between(rnd, 0x20, 0x7F),))


@cache
def soups() -> Soups:
    """This process's soups (drawn on first use, about a tenth of a second)."""
    return Soups()


def _window(r: Callable[[], float], soup: str, count: int) -> str:
    return soup[(start := int(r() * (len(soup) - count))) : start + count]


def _text(r: Callable[[], float], max_size: int) -> str:
    """:func:`conformance.mutations.tricky_text`'s shapes and lengths, cut from the soups."""
    shape = r()
    if shape < 0.05:
        return ""
    count = 1 + int(r() * max_size)
    s = soups()
    if shape < 0.20:
        return _window(r, s.spaced, count)
    text = _window(r, s.tricky, count)
    if r() < 0.2:
        text = _WHITESPACE[int(r() * _WHITESPACE_COUNT)] + text + _WHITESPACE[int(r() * _WHITESPACE_COUNT)]
    return text


def _utf8ish(r: Callable[[], float], max_size: int) -> bytes:
    """:func:`conformance.mutations.utf8ish_bytes`: pieces until one in ten stops it or ``max_size`` is reached."""
    s = soups()
    first = int(r() * (s.size - max_size - 1))
    pieces = int(log(1.0 - r()) * _STOP)  # how many the readable loop draws before its stop: P(k or more) = 0.9**k
    starts = s.starts
    begin = starts[first]
    end = min(first + pieces, bisect_left(starts, begin + max_size, first))
    return s.utf8ish[begin : starts[end]]


def _plaintext(rnd: random.Random, r: Callable[[], float]) -> bytes:
    """:func:`conformance.mutations.plaintext_bytes` (64 bytes at most)."""
    pick = r()
    if pick < 0.4:
        return _text(r, 32).encode("utf-8", "surrogatepass")
    if pick < 0.75:
        return _utf8ish(r, 64)
    return rnd.randbytes(int(r() * 65))


def _b64(r: Callable[[], float], data: bytes) -> str:
    """:func:`conformance.mutations.b64`."""
    text = base64.b64encode(data).decode("ascii")
    if r() < 0.1:
        text = text.translate(_SWAP)
    if r() < 0.1:
        text = text.rstrip("=")
    return text


def _ascii(r: Callable[[], float], size: int) -> str:
    """:func:`conformance.mutations.ascii_text` of exactly ``size`` characters."""
    return _window(r, soups().printable, size)


def _key_length(r: Callable[[], float]) -> int:
    """:func:`conformance.mutations.key_length` with its defaults, an AES length as ``-1``, ``-2`` or ``-3``: those
    keys come from the pools."""
    return -1 - int(r() * 3) if r() < 0.75 else int(r() * 41)


def _key(rnd: random.Random, r: Callable[[], float], length: int) -> bytes:
    """A key of ``length`` bytes (:func:`_key_length`): one of the pool's for an AES length, else fresh bytes."""
    return soups().keys[_USUAL[-1 - length]][int(r() * POOLED_KEYS)] if length < 0 else rnd.randbytes(length)


def _ascii_key(r: Callable[[], float], length: int) -> str:
    """A printable ASCII key of ``length`` characters (:func:`_key_length`), pooled for an AES length."""
    if length < 0:
        return soups().ascii_keys[_USUAL[-1 - length]][int(r() * POOLED_KEYS)]
    return _ascii(r, length)


def _iv_length(r: Callable[[], float]) -> int:
    """:func:`conformance.mutations.key_length` with ``(16,)`` and 24."""
    return 16 if r() < 0.75 else int(r() * 25)


def _skep_keys(rnd: random.Random, r: Callable[[], float]) -> tuple[dict[str, Any], bytes, bytes]:
    """:func:`conformance.fuzz.generators.khoros._skep_keys`."""
    if r() < 0.7:
        key = _key(rnd, r, _key_length(r))
        iv = rnd.randbytes(16 if r() < 0.85 else _iv_length(r))
        key_text, iv_text = _b64(r, key), _b64(r, iv)
        if r() < 0.08:
            key_text = m.mutate_base64(rnd, key_text, 1)
        if r() < 0.08:
            iv_text = m.mutate_base64(rnd, iv_text, 1)
        return {"secretKey": key_text, "ivKey": iv_text, "base64Keys": True}, key, iv
    key_text = _ascii_key(r, _key_length(r)) if r() < 0.7 else _text(r, 33)
    iv_text = _ascii(r, 16) if r() < 0.8 else _text(r, 17)
    key = key_text.encode("utf-8", "replace")
    iv = iv_text.encode("utf-8", "replace")
    return {"secretKey": key_text, "ivKey": iv_text, "base64Keys": False}, key, iv


def skep_decrypt(rnd: random.Random) -> dict[str, Any]:
    """:func:`conformance.fuzz.generators.khoros.skep_decrypt`'s families."""
    r = rnd.random
    args, key, iv = _skep_keys(rnd, r)
    if r() < 0.1:
        override = rnd.randbytes(16)
        args["ivOverride"] = _b64(r, override) if args["base64Keys"] else _ascii(r, 16)
        iv = override if args["base64Keys"] else args["ivOverride"].encode()
    if r() < 0.08:
        args["cipherText"] = m.mutate_base64(rnd, _window(r, soups().url_safe, int(r() * 48)))
        return args
    plain = _plaintext(rnd, r)
    sealed = _seal(key, iv, plain) if r() < 0.85 else None
    if sealed is None:
        sealed = rnd.randbytes(16 * int(r() * 5) if r() < 0.8 else int(r() * 70))
    text = encode_base64_url_safe(sealed)
    args["cipherText"] = m.mutate_base64(rnd, text) if r() < 0.3 else text
    return args


GENERATORS: dict[str, Callable[[random.Random], dict[str, Any]]] = {"khoros.skep.decrypt": skep_decrypt}
