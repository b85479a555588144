"""Java-exact codecs shared by every flow.

* commons-codec ``Base64`` decoding in its default (lenient) policy, and its two encoders;
* Java's ``String.getBytes(UTF_8)`` (lone surrogates become ``?``);
* Java's ``new String(bytes, UTF_8)`` (JDK 17 replacement rules for malformed input, which differ from
  Python's ``errors="replace"``: an encoded surrogate such as ``ED A0 80`` is one U+FFFD in Java, three in Python,
  and a truncated sequence at the very end of the input is always one U+FFFD).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

from conformance.arguments import require_bytes, require_str
from conformance.errors import InvalidArgument, NullArgument

try:  # an optional SIMD decoder for the canonical fast path; the results are the same without it
    import pybase64 as _pybase64
except ImportError:  # pragma: no cover - exercised where pybase64 is not installed
    _pybase64 = None

_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_URL_SAFE_EXTRA = b"-_"
_NOT_IN_ALPHABET = bytes(b for b in range(256) if b not in _STANDARD + _URL_SAFE_EXTRA)
_URL_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_PAD_FOR_REMAINDER = {0: b"", 2: b"==", 3: b"="}
_BASE64_URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")

REPLACEMENT = "\ufffd"
#: Characters from which the SIMD decoder is faster than ``binascii``; it releases the GIL on every call, which costs
#: more than it saves on a short text while another thread (a campaign's reference) waits for the GIL.
_SIMD_FROM = 256


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        # Only ASCII bytes can be Base64 alphabet or padding; every other character's UTF-8 bytes are >= 0x80,
        # which commons-codec skips, so dropping them is exact (a lone surrogate's '?' is skipped too).
        return data.encode("ascii", "ignore")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if data is None:
        raise NullArgument("data must not be None")
    raise InvalidArgument(f"data must be str or bytes, got {type(data).__name__}")


def decode_base64(data: bytes | str) -> bytes:
    """Decode as commons-codec ``Base64.decode`` does under its default lenient policy (1.15 and later).

    Both alphabets are accepted, anything else is skipped, decoding stops at the first ``=``, padding is optional,
    a lone trailing character is dropped and non-zero trailing bits are discarded. It never raises on content.
    """
    if type(data) is str:
        fast = _decode_canonical(data)
        if fast is not None:
            return fast
    raw = _as_bytes(data).split(b"=", 1)[0]
    clean = raw.translate(_URL_TO_STANDARD, _NOT_IN_ALPHABET)
    remainder = len(clean) % 4
    if remainder == 1:
        clean = clean[:-1]
        remainder = 0
    return binascii.a2b_base64(clean + _PAD_FOR_REMAINDER[remainder])


def _decode_canonical(text: str) -> bytes | None:
    """The fast path: ASCII text of one alphabet or both, padded correctly or not at all, nothing else.

    The strict decoders used here refuse everything the lenient rules would treat specially (junk, whitespace, an
    early ``=``), and those inputs take the exact path instead. Non-zero trailing bits are discarded by all of them.
    """
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        return None
    remainder = len(raw) % 4
    if remainder == 1:
        return None
    padded = raw + _PAD_FOR_REMAINDER[remainder]
    try:
        if _pybase64 is not None and len(raw) > _SIMD_FROM and 43 not in raw and 47 not in raw:  # no "+" or "/"
            return _pybase64.b64decode(padded, altchars=b"-_", validate=True)
        return binascii.a2b_base64(padded.translate(_URL_TO_STANDARD), strict_mode=True)
    except (binascii.Error, ValueError):
        return None


def encode_base64(data: bytes) -> str:
    """Standard alphabet with padding: ``Base64.encodeBase64(data, false)`` and Guava ``base64().encode``.

    Raises :class:`NullArgument` / :class:`InvalidArgument` when ``data`` is not bytes.
    """
    return base64.b64encode(data if type(data) is bytes else require_bytes(data, "data")).decode("ascii")


def encode_base64_url_safe(data: bytes) -> str:
    """URL-safe alphabet *without* padding: ``Base64.encodeBase64(data, false, true)``. Raises as
    :func:`encode_base64` does."""
    data = data if type(data) is bytes else require_bytes(data, "data")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64_url(text: str) -> bytes:
    """The bytes of base64url ``text`` (RFC 4648 section 5; ``=`` padding optional), as a JWS segment is read.

    Raises :class:`InvalidArgument` for a non-``str``, a character outside the alphabet, misplaced padding or a
    length no encoding has (the message never quotes the text).
    """
    text = require_str(text, "text")
    if _BASE64_URL.fullmatch(text) is None:
        raise InvalidArgument("text is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        raise InvalidArgument("text is not base64url") from None


def java_utf8_encode(text: str) -> bytes:
    """``String.getBytes(UTF_8)``: surrogate pairs combine, lone surrogates become ``?``.

    Raises :class:`NullArgument` / :class:`InvalidArgument` when ``text`` is not a ``str``.
    """
    if type(text) is not str:
        require_str(text, "text")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        combined = _SURROGATE_PAIR.sub(_join_pair, text) if _SURROGATE_PAIR.search(text) else text
        return combined.encode("utf-8", "replace")


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pair(match: re.Match[str]) -> str:
    """The astral character a surrogate pair held as two code points stands for (linear, unlike a UTF-16 trip)."""
    high, low = match.group()
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


def _is_continuation(b: int) -> bool:
    return b & 0xC0 == 0x80


def _bad_second_of_3(b1: int, b2: int) -> bool:
    return (b1 == 0xE0 and b2 & 0xE0 == 0x80) or not _is_continuation(b2)


def _bad_second_of_4(b1: int, b2: int) -> bool:
    return (b1 == 0xF0 and not 0x90 <= b2 <= 0xBF) or (b1 == 0xF4 and b2 & 0xF0 != 0x80) or not _is_continuation(b2)


def java_utf8_decode(data: bytes) -> str:
    """``new String(data, UTF_8)`` on JDK 17, replacement characters included.

    Raises :class:`NullArgument` / :class:`InvalidArgument` when ``data`` is not bytes.
    """
    if type(data) is not bytes:
        data = require_bytes(data, "data")
    return data.decode("utf-8", _JAVA_REPLACE)


def _malformed_length(data: bytes, i: int) -> int:  # noqa: PLR0911 - one return per JDK malformed-input rule
    """How many bytes the JDK's decoder replaces with one U+FFFD at ``data[i]``, where a sequence that is not
    well-formed UTF-8 starts (where Python's decoder stopped: both read well-formed UTF-8 alike). A sequence cut
    short by the end of the input is one U+FFFD for all of it; otherwise the lead byte alone, or with the
    continuation bytes that could still have belonged to a well-formed sequence (an encoded surrogate, ``ED A0 80``,
    is one U+FFFD, three in Python)."""
    n, b1 = len(data), data[i]
    rest = n - i - 1  # the bytes after the lead byte
    if 0xE0 <= b1 <= 0xEF:
        if rest == 0:
            return 1
        if _bad_second_of_3(b1, data[i + 1]):
            return 1
        if rest == 1:
            return 2  # cut short by the end
        return 2 if not _is_continuation(data[i + 2]) else 3  # 3: an encoded surrogate
    if 0xF0 <= b1 <= 0xF4:
        if rest == 0:
            return 1
        if _bad_second_of_4(b1, data[i + 1]):
            return 1
        if rest == 1 or not _is_continuation(data[i + 2]):
            return 2
        return 3  # the fourth byte is missing or not a continuation byte
    return 1  # a continuation byte, C0, C1, F5 to FF, or a two-byte lead without its continuation byte


def _java_replacement(error: UnicodeError) -> tuple[str, int]:
    """The ``codecs`` error handler of :func:`java_utf8_decode`: one U+FFFD, resuming where the JDK resumes."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return REPLACEMENT, error.start + _malformed_length(error.object, error.start)


_JAVA_REPLACE = "handoff-conformance.java-utf8-replace"
codecs.register_error(_JAVA_REPLACE, _java_replacement)
