"""Input families for campaigns, drawn from a ``random.Random``: the same families as the Hypothesis strategies of
``tests/strategies.py`` (tricky text, UTF-8-ish bytes, mutated Base64, keys of every length, token mutations), made
for speed: a case costs a few microseconds to draw.

Every function takes the case's ``random.Random`` first and is deterministic given its state.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Sequence
from typing import TypeVar

from conformance.codecs import encode_base64_url_safe

T = TypeVar("T")
BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
URL_SAFE_CHARS = BASE64_CHARS[:62] + "-_"
#: Characters that are not Base64 of either alphabet but occur in real links and forms.
BASE64_JUNK = (
    " ",
    "\t",
    "\r\n",
    "\n",
    ".",
    "!",
    "*",
    "%",
    "\0",
    "~",
    "=",
    "==",
    "\u00e9",
    "\u4e2d",
    "\U0001f600",
    "\ud800",
    "+",
    "-",
    "$",
)
WHITESPACE = (
    " ",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\u00a0",
    "\u1680",
    "\u2000",
    "\u2028",
    "\u2029",
    "\u3000",
    "\ufeff",
    "\x85",
)
COMBINING = ("\u0301", "\u0300", "\u0308", "\u0327", "\u20dd", "\u0345", "\u1dc0", "\ufe0f")
#: Strings whose NFC and NFD forms differ, or that case- and width-fold: what a normalizing port changes.
NORMALIZATION_BAIT = (
    "e\u0301",
    "\u00e9",
    "\u212b",
    "A\u030a",
    "\u1100\u1161",
    "\uac00",
    "\ufb01",
    "\u2126",
    "\u0344",
    "\u1e9b\u0323",
)
#: The code point ranges (half-open) of the text families where encoders disagree; ``tricky_char`` draws from them
#: and the Hypothesis strategies of ``tests/strategies.py`` are built from them.
CODE_POINTS = {
    "ascii": (0x20, 0x7F),
    "control": (0x00, 0x20),
    "surrogate": (0xD800, 0xE000),
    "astral": (0x10000, 0x110000),
    "two-byte": (0x80, 0x800),
    "three-byte": (0x800, 0xD800),
}
ASTRAL = ("\U0001f600", "\U00010000", "\U0010ffff", "\U0001d11e", "\U0002a6d6", "\U000e0001")
#: Bytes that make UTF-8 decoders disagree: continuation, lead, overlong, surrogate and out-of-range leads.
UTF8_BAIT = (0x80, 0xBF, 0xA0, 0x9F, 0x90, 0x8F, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF)
UTF8_SEQUENCES = (
    b"\xed\xa0\x80",  # an encoded high surrogate
    b"\xed\xbf\xbf",  # an encoded low surrogate
    b"\xed\xa0\xbd\xed\xb8\x80",  # CESU-8 of U+1F600
    b"\xc0\x80",  # overlong NUL
    b"\xe0\x80\xaf",  # overlong '/'
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xf0\x9f\x98",  # truncated 4-byte sequence
    b"\xe2\x82",  # truncated 3-byte sequence
    b"\xef\xbb\xbf",  # BOM
    b"\xf0\x9f\x98\x80",  # U+1F600
)


def below(rnd: random.Random, n: int) -> int:
    """A uniform integer in ``[0, n)`` from one ``random()`` draw: ten times cheaper than ``randrange``."""
    return int(rnd.random() * n)


def one_of(rnd: random.Random, items: Sequence[T]) -> T:
    """One of ``items``, uniformly (``random.choice`` without its per-call overhead)."""
    return items[int(rnd.random() * len(items))]


def between(rnd: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high)``."""
    return low + int(rnd.random() * (high - low))


def tricky_char(rnd: random.Random) -> str:  # noqa: PLR0911 (one branch per family)
    """One character from the families where encoders disagree, ASCII most often."""
    pick = rnd.random()
    if pick < 0.40:
        return chr(between(rnd, *CODE_POINTS["ascii"]))
    if pick < 0.47:
        return chr(between(rnd, *CODE_POINTS["control"]))  # NUL included
    if pick < 0.57:
        return chr(between(rnd, *CODE_POINTS["surrogate"]))  # a lone surrogate
    if pick < 0.67:
        return one_of(rnd, ASTRAL) if rnd.random() < 0.5 else chr(between(rnd, *CODE_POINTS["astral"]))
    if pick < 0.75:
        return one_of(rnd, COMBINING)
    if pick < 0.82:
        return one_of(rnd, WHITESPACE)
    if pick < 0.88:
        return one_of(rnd, NORMALIZATION_BAIT)
    if pick < 0.94:
        return chr(between(rnd, *CODE_POINTS["two-byte"]))
    return chr(between(rnd, *CODE_POINTS["three-byte"]))


def tricky_text(rnd: random.Random, max_size: int = 40) -> str:
    """Text with lone surrogates, astral characters, NUL, combining marks, normalization bait and whitespace at
    either end; sometimes empty, sometimes plain ASCII."""
    shape = rnd.random()
    if shape < 0.05:
        return ""
    if shape < 0.20:
        return "".join(chr(between(rnd, 0x20, 0x7F)) for _ in range(between(rnd, 1, max_size + 1)))
    text = "".join(tricky_char(rnd) for _ in range(between(rnd, 1, max_size + 1)))
    if rnd.random() < 0.2:
        text = one_of(rnd, WHITESPACE) + text + one_of(rnd, WHITESPACE)
    return text


PRINTABLE = tuple(chr(c) for c in range(0x21, 0x7F))


def ascii_text(rnd: random.Random, low: int = 0, high: int = 24) -> str:
    """Printable ASCII without spaces, ``low`` to ``high`` characters."""
    return "".join(rnd.choices(PRINTABLE, k=between(rnd, low, high + 1)))


def random_bytes(rnd: random.Random, max_size: int = 64) -> bytes:
    return rnd.randbytes(between(rnd, 0, max_size + 1))


def utf8ish_bytes(rnd: random.Random, max_size: int = 48) -> bytes:
    """Bytes that are mostly UTF-8, with malformed sequences mixed in (the JDK's replacement rules' territory)."""
    out = bytearray()
    while len(out) < max_size:
        pick = rnd.random()
        if pick < 0.30:
            out += tricky_char(rnd).encode("utf-8", "surrogatepass")
        elif pick < 0.50:
            out.append(one_of(rnd, UTF8_BAIT))
        elif pick < 0.65:
            out += one_of(rnd, UTF8_SEQUENCES)
        elif pick < 0.90:
            out.append(between(rnd, 0x20, 0x7F))
        else:
            break
    return bytes(out)


def plaintext_bytes(rnd: random.Random, max_size: int = 64) -> bytes:
    """A plaintext: valid UTF-8 of tricky text, UTF-8-ish bytes, or random bytes."""
    pick = rnd.random()
    if pick < 0.4:
        return tricky_text(rnd, max_size // 2).encode("utf-8", "surrogatepass")
    if pick < 0.75:
        return utf8ish_bytes(rnd, max_size)
    return random_bytes(rnd, max_size)


def key_length(rnd: random.Random, usual: tuple[int, ...] = (16, 24, 32), most: int = 40) -> int:
    """A key or IV length: one of the usual ones three times in four, else any length from 0 to ``most``."""
    return one_of(rnd, usual) if rnd.random() < 0.75 else between(rnd, 0, most + 1)


def b64(rnd: random.Random, data: bytes) -> str:
    """Standard Base64 of ``data``, sometimes URL-safe, sometimes without padding."""
    text = base64.b64encode(data).decode("ascii")
    if rnd.random() < 0.1:
        text = text.translate(_SWAP)
    if rnd.random() < 0.1:
        text = text.rstrip("=")
    return text


_SWAP = str.maketrans("+/-_", "-_+/")


def mutate_base64(rnd: random.Random, text: str, rounds: int | None = None) -> str:
    """Apply one to three mutations: junk or whitespace inserted, padding anywhere, the other alphabet, truncation,
    a deleted or flipped character, line breaks, a duplicated run."""
    for _ in range(between(rnd, 1, 4) if rounds is None else rounds):
        text = _mutate_once(rnd, text)
    return text


def _mutate_once(rnd: random.Random, text: str) -> str:  # noqa: PLR0911 (one branch per mutation)
    kind = below(rnd, 10)
    i = below(rnd, len(text) + 1)
    if kind == 0:
        return text[:i] + one_of(rnd, BASE64_JUNK) + text[i:]
    if kind == 1:
        return text + one_of(rnd, BASE64_JUNK)
    if kind == 2:
        return text[:i]
    if kind == 3:
        return text[:i] + text[i + 1 :]
    if kind == 4:
        return text.translate(_SWAP)
    if kind == 5:
        return text[:i] + "=" * between(rnd, 1, 4) + text[i:]
    if kind == 6 and i < len(text):
        alphabet = URL_SAFE_CHARS if rnd.random() < 0.5 else BASE64_CHARS
        return text[:i] + one_of(rnd, alphabet) + text[i + 1 :]
    if kind == 7:
        step = one_of(rnd, (4, 64, 76))
        sep = one_of(rnd, ("\n", "\r\n", " "))
        return sep.join(text[j : j + step] for j in range(0, len(text), step))
    if kind == 8:
        return text[:i] + text[i : i + between(rnd, 1, 5)] + text[i:]
    return one_of(rnd, WHITESPACE) + text + one_of(rnd, WHITESPACE)


def mutate_bytes(rnd: random.Random, data: bytes) -> bytes:
    """One mutation: a bit flip, truncation, an appended or removed block, a changed last byte."""
    kind = below(rnd, 6)
    if kind == 0 and data:
        i = below(rnd, len(data))
        return data[:i] + bytes([data[i] ^ (1 << below(rnd, 8))]) + data[i + 1 :]
    if kind == 1:
        return data[: below(rnd, len(data) + 1)]
    if kind == 2:
        return data + rnd.randbytes(one_of(rnd, (1, 15, 16)))
    if kind == 3:
        return data[:-16]
    if kind == 4 and data:
        return data[:-1] + bytes([below(rnd, 256)])
    return data[::-1] if rnd.random() < 0.2 else data + data[:16]


def mutate_token(rnd: random.Random, token: str) -> str:  # noqa: PLR0911 (one branch per mutation)
    """One mutation of a compact JWS: a segment dropped, added, swapped or emptied, a flipped character, padding,
    whitespace, the other Base64 alphabet, case changes."""
    parts = token.split(".")
    kind = below(rnd, 10)
    if kind == 0 and len(parts) > 1:
        del parts[below(rnd, len(parts))]
        return ".".join(parts)
    if kind == 1:
        parts.insert(below(rnd, len(parts) + 1), one_of(rnd, ("", "e30", encode_base64_url_safe(rnd.randbytes(8)))))
        return ".".join(parts)
    if kind == 2 and len(parts) > 1:
        i, j = below(rnd, len(parts)), below(rnd, len(parts))
        parts[i], parts[j] = parts[j], parts[i]
        return ".".join(parts)
    if kind == 3:
        parts[below(rnd, len(parts))] = ""
        return ".".join(parts)
    if kind == 4 and token:
        i = below(rnd, len(token))
        return token[:i] + one_of(rnd, URL_SAFE_CHARS) + token[i + 1 :]
    if kind == 5:
        i = below(rnd, len(parts))
        parts[i] += "=" * between(rnd, 1, 3)
        return ".".join(parts)
    if kind == 6:
        i = below(rnd, len(token) + 1)
        return token[:i] + one_of(rnd, (*WHITESPACE, "+", "/", "\ud800")) + token[i:]
    if kind == 7:
        return token.translate(str.maketrans("-_", "+/"))
    if kind == 8 and token:
        i = below(rnd, len(token))
        return (
            token[:i] + token[i:].swapcase() if rnd.random() < 0.2 else token[:i] + token[i].swapcase() + token[i + 1 :]
        )
    return (
        token + one_of(rnd, (".", "..", " ", "\n", "=")) if rnd.random() < 0.5 else token[: below(rnd, len(token) + 1)]
    )


def hex_of(data: bytes, rnd: random.Random | None = None) -> str:
    """Hex of ``data``, upper case now and then (the schemas allow either case)."""
    text = data.hex()
    return text.upper() if rnd is not None and rnd.random() < 0.05 else text
