"""Fast generators for the busiest campaign ops: the same cases as the readable generators, drawn from the same
stream, written for speed (the mutation helpers inlined, one bound ``random`` method, no per-character calls).

The bulk engine (:mod:`conformance.fuzz.engine`) uses them; the legacy engine uses the readable ones. A fast
generator must give exactly the arguments its readable generator gives from the same ``random.Random`` state and
leave the state where it leaves it: ``tests/test_fuzz_engines.py`` holds them to that over thousands of blocks, so
both engines run the same campaign. Rare branches (Base64 mutations, for example) call the readable helpers.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from typing import Any

from conformance import mutations as m
from conformance.codecs import encode_base64_url_safe
from conformance.fuzz.generators.khoros import cbc_seal

_ASTRAL, _COMBINING, _WHITESPACE, _BAIT = m.ASTRAL, m.COMBINING, m.WHITESPACE, m.NORMALIZATION_BAIT
_UTF8_BAIT, _UTF8_SEQUENCES, _URL_SAFE = m.UTF8_BAIT, m.UTF8_SEQUENCES, m.URL_SAFE_CHARS
_ASTRAL_COUNT, _COMBINING_COUNT, _WHITESPACE_COUNT, _BAIT_COUNT = (
    len(_ASTRAL),
    len(_COMBINING),
    len(_WHITESPACE),
    len(_BAIT),
)
_UTF8_BAIT_COUNT, _UTF8_SEQUENCES_COUNT, _URL_SAFE_COUNT = len(_UTF8_BAIT), len(_UTF8_SEQUENCES), len(_URL_SAFE)
_USUAL = (16, 24, 32)
_SWAP = str.maketrans("+/-_", "-_+/")


def _char(r: Callable[[], float]) -> str:  # noqa: PLR0911 (one branch per family, as mutations.tricky_char)
    """:func:`conformance.mutations.tricky_char`, given the stream's ``random`` method."""
    pick = r()
    if pick < 0.40:
        return chr(0x20 + int(r() * 0x5F))
    if pick < 0.47:
        return chr(int(r() * 0x20))
    if pick < 0.57:
        return chr(0xD800 + int(r() * 0x800))
    if pick < 0.67:
        return _ASTRAL[int(r() * _ASTRAL_COUNT)] if r() < 0.5 else chr(0x10000 + int(r() * 0x100000))
    if pick < 0.75:
        return _COMBINING[int(r() * _COMBINING_COUNT)]
    if pick < 0.82:
        return _WHITESPACE[int(r() * _WHITESPACE_COUNT)]
    if pick < 0.88:
        return _BAIT[int(r() * _BAIT_COUNT)]
    if pick < 0.94:
        return chr(0x80 + int(r() * 0x780))
    return chr(0x800 + int(r() * 0xD000))


def _text(r: Callable[[], float], max_size: int) -> str:
    """:func:`conformance.mutations.tricky_text`."""
    shape = r()
    if shape < 0.05:
        return ""
    count = 1 + int(r() * max_size)
    if shape < 0.20:
        return "".join([chr(0x20 + int(r() * 0x5F)) for _ in range(count)])
    text = "".join([_char(r) for _ in range(count)])
    if r() < 0.2:
        text = _WHITESPACE[int(r() * _WHITESPACE_COUNT)] + text + _WHITESPACE[int(r() * _WHITESPACE_COUNT)]
    return text


def _utf8ish(r: Callable[[], float], max_size: int) -> bytes:
    """:func:`conformance.mutations.utf8ish_bytes`."""
    out = bytearray()
    while len(out) < max_size:
        pick = r()
        if pick < 0.30:
            out += _char(r).encode("utf-8", "surrogatepass")
        elif pick < 0.50:
            out.append(_UTF8_BAIT[int(r() * _UTF8_BAIT_COUNT)])
        elif pick < 0.65:
            out += _UTF8_SEQUENCES[int(r() * _UTF8_SEQUENCES_COUNT)]
        elif pick < 0.90:
            out.append(0x20 + int(r() * 0x5F))
        else:
            break
    return bytes(out)


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


def _ascii(rnd: random.Random, r: Callable[[], float], size: int) -> str:
    """:func:`conformance.mutations.ascii_text` of exactly ``size`` characters (it still draws the length)."""
    r()
    return "".join(rnd.choices(m.PRINTABLE, k=size))


def _key_length(r: Callable[[], float]) -> int:
    """:func:`conformance.mutations.key_length` with its defaults."""
    return _USUAL[int(r() * 3)] if r() < 0.75 else int(r() * 41)


def _iv_length(r: Callable[[], float]) -> int:
    """:func:`conformance.mutations.key_length` with ``(16,)`` and 24 (picking the one usual length takes a draw)."""
    if r() < 0.75:
        r()
        return 16
    return int(r() * 25)


def _skep_keys(rnd: random.Random, r: Callable[[], float]) -> tuple[dict[str, Any], bytes, bytes]:
    """:func:`conformance.fuzz.generators.khoros._skep_keys`."""
    if r() < 0.7:
        key = rnd.randbytes(_key_length(r))
        iv = rnd.randbytes(16 if r() < 0.85 else _iv_length(r))
        key_text, iv_text = _b64(r, key), _b64(r, iv)
        if r() < 0.08:
            key_text = m.mutate_base64(rnd, key_text, 1)
        if r() < 0.08:
            iv_text = m.mutate_base64(rnd, iv_text, 1)
        return {"secretKey": key_text, "ivKey": iv_text, "base64Keys": True}, key, iv
    key_text = _ascii(rnd, r, _key_length(r)) if r() < 0.7 else _text(r, 33)
    iv_text = _ascii(rnd, r, 16) if r() < 0.8 else _text(r, 17)
    key = key_text.encode("utf-8", "replace")
    iv = iv_text.encode("utf-8", "replace")
    return {"secretKey": key_text, "ivKey": iv_text, "base64Keys": False}, key, iv


def skep_decrypt(rnd: random.Random) -> dict[str, Any]:
    """:func:`conformance.fuzz.generators.khoros.skep_decrypt`."""
    r = rnd.random
    args, key, iv = _skep_keys(rnd, r)
    if r() < 0.1:
        override = rnd.randbytes(16)
        args["ivOverride"] = _b64(r, override) if args["base64Keys"] else _ascii(rnd, r, 16)
        iv = override if args["base64Keys"] else args["ivOverride"].encode()
    if r() < 0.08:
        count = int(r() * 48)
        args["cipherText"] = m.mutate_base64(
            rnd, "".join([_URL_SAFE[int(r() * _URL_SAFE_COUNT)] for _ in range(count)])
        )
        return args
    plain = _plaintext(rnd, r)
    sealed = cbc_seal(key, iv, plain) if r() < 0.85 else None
    if sealed is None:
        sealed = rnd.randbytes(16 * int(r() * 5) if r() < 0.8 else int(r() * 70))
    text = encode_base64_url_safe(sealed)
    args["cipherText"] = m.mutate_base64(rnd, text) if r() < 0.3 else text
    return args


GENERATORS: dict[str, Callable[[random.Random], dict[str, Any]]] = {"khoros.skep.decrypt": skep_decrypt}
