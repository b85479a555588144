"""ASCII armor (RFC 4880 section 6): writing it, reading a whole block (:func:`dearmor`, for keys and tools), and
reading a message as BouncyCastle 1.86 does, on demand (:class:`ArmorDecoder`, which the message reader uses)."""

from __future__ import annotations

import base64
import binascii
import bisect
import re

from conformance.arguments import require_bytes, require_int, require_str
from conformance.errors import InvalidArgument, PgpMalformed

# An armor kind holds no "-", so each marker's kind is fixed by where it starts and both patterns run in linear time.
_BEGIN = re.compile(r"-----BEGIN PGP ([A-Z0-9 ,/]+)-----[ \t]*\r?\n")
_END = re.compile(r"(?=-----END PGP ([A-Z0-9 ,/]+)-----)")  # a lookahead: END markers may overlap


_KIND = re.compile(r"[A-Z0-9][A-Z0-9 ,/]*")


#: The CRC-24 register before any byte (RFC 4880 section 6.1).
CRC24_START = 0xB704CE


def crc24(data: bytes, crc: int = CRC24_START) -> int:
    """The armor checksum of ``data`` (RFC 4880 section 6.1); ``crc``: the checksum of bytes before ``data``, to go
    on from it. Raises ``InvalidArgument`` for data that is not bytes or a ``crc`` that is not a 24-bit integer."""
    return _crc_update(require_int(crc, "crc", minimum=0, maximum=0xFFFFFF), require_bytes(data, "data"))


def armor(data: bytes, kind: str = "MESSAGE") -> str:
    """Return ``data`` armored as ``PGP {kind}``: no headers, 64-character lines, CRC-24, ``\\n`` line ends.
    Raises ``InvalidArgument`` for data that is not bytes or a kind that is not an armor label (``MESSAGE``,
    ``PUBLIC KEY BLOCK``, ...)."""
    data = require_bytes(data, "data")
    if not _KIND.fullmatch(require_str(kind, "kind")):
        raise InvalidArgument("kind must be an armor label: capital letters, digits, spaces, commas and slashes")
    body = base64.b64encode(data).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    crc = base64.b64encode(crc24(data).to_bytes(3, "big")).decode("ascii")
    return "\n".join([f"-----BEGIN PGP {kind}-----", "", *lines, f"={crc}", f"-----END PGP {kind}-----", ""])


def dearmor(text: str, error: type[Exception] = PgpMalformed) -> tuple[str, bytes]:
    """Return ``(kind, bytes)`` of the first armored block in ``text``; raise ``error`` on bad armor.

    Armor headers (``Version: BCPG v1.50``) are skipped. The CRC-24 line is optional and a mismatch is not an error
    (BouncyCastle, the server side, never reads it in a message whose packets end before it; GnuPG 2.2 rejects it:
    docs/boldchat-pgp-matrix.md). Messages are read with :class:`ArmorDecoder` instead. ``error`` must be a
    :class:`~conformance.errors.ConformanceError` class; ``InvalidArgument`` for arguments of the wrong type.
    """
    from conformance.openpgp.packets import error_class

    text, error = require_str(text, "text"), error_class(error)
    found = _first_block(text)
    if found is None:
        raise error("no OpenPGP armor found")
    kind, rest = found
    lines = rest.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines) and lines[index].strip() and ":" in lines[index]:
        index += 1
    body, crc = [], None
    for raw in lines[index:]:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("=") and len(line) == 5:
            crc = line[1:]
            break
        body.append(line)
    try:
        data = base64.b64decode("".join(body), validate=True)
        expected = base64.b64decode(crc, validate=True) if crc is not None else None
    except (binascii.Error, ValueError):
        raise error("the armor's Base64 is invalid") from None
    if expected is not None and len(expected) != 3:
        raise error("the armor's CRC-24 line is malformed")
    if not data:
        raise error("the armor holds no data")
    return kind, data


def _first_block(text: str) -> tuple[str, str] | None:
    """``(kind, text between the BEGIN line and its END marker)`` of the first BEGIN line that has an END marker of
    its kind after it, or ``None``. Every marker is found in one pass over ``text``, so hostile text (thousands of
    BEGIN lines without an END) costs linear time, where one backtracking regular expression is quadratic."""
    ends: dict[str, list[int]] = {}
    for end in _END.finditer(text):
        ends.setdefault(end.group(1), []).append(end.start())
    for begin in _BEGIN.finditer(text):
        positions = ends.get(begin.group(1), [])
        index = bisect.bisect_left(positions, begin.end())
        if index < len(positions):
            return begin.group(1), text[begin.end() : positions[index]]
    return None


# --- reading armor as BouncyCastle 1.86 does (PGPUtil.getDecoderStream + ArmoredInputStream) --------------------


class ReadFailure(PgpMalformed):
    """A read from a message stream failed (BouncyCastle: an ``IOException`` at that point of the reading)."""


class EndOfData(ReadFailure):
    """The data ended inside a unit that needs more (BouncyCastle: an ``EOFException``)."""


_BASE64 = {c: i for i, c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SNIFFED = frozenset(_BASE64) | {0x0A, 0x0D}
#: a run of Base64 characters that decode as whole groups with nothing skipped (no space, line end or padding)
_RUN = re.compile(rb"[A-Za-z0-9+/]+")
#: line ends followed by a Base64 character: skipped between groups as a byte read skips them
_LINE_BREAK = re.compile(rb"[\r\n]+(?=[A-Za-z0-9+/])")
#: a dash starting a line (BouncyCastle also takes a NUL byte before it as a line end)
_DASH_LINE = re.compile(rb"[\x00\r\n]-")
_SNIFF_LIMIT = 60
_MAX_HEADER_LINE, _MAX_HEADERS = 4096, 64
_CR, _LF, _DASH, _PAD = 0x0D, 0x0A, 0x2D, 0x3D


def _quad(in0: int, in1: int, in2: int, in3: int) -> bytes:
    """Four armor characters decoded as BouncyCastle 1.86's ``decode`` does: ``=`` in the third or fourth place
    ends the group, anything outside the alphabet is an error (EOF inside the group: :class:`EndOfData`)."""
    if in3 < 0:
        raise EndOfData("the armor ends inside a group of four characters")
    wanted = (in0, in1) if in2 == _PAD else (in0, in1, in2) if in3 == _PAD else (in0, in1, in2, in3)
    if any(c not in _BASE64 for c in wanted):
        raise ReadFailure("the armor holds a character outside Base64")
    value = 0
    for c in wanted:
        value = value << 6 | _BASE64[c]
    value <<= 6 * (4 - len(wanted))
    return value.to_bytes(3, "big")[: len(wanted) - 1]


class ArmorDecoder:
    """The bytes BouncyCastle reads from ``text`` (``PGPUtil.getDecoderStream``), decoded on demand.

    ``text`` goes to bytes as Java's ``String.getBytes(UTF_8)`` does. A first byte with the high bit set (or no
    byte at all) means binary data; otherwise the text is armor, headerless when it starts with 60 characters of
    Base64 and line ends whose first 8 decode to a packet tag. Armor is read as ``ArmoredInputStream`` reads it:
    the header block starts at the first ``-`` at the start of a line and ends at an empty line (every line after
    the first must hold ``:``), spaces, tabs, form feeds and vertical tabs are skipped, line ends are skipped only
    between groups of four characters, ``=`` after a line end starts the CRC-24 (checked when read), ``-`` after a
    line end ends the data (a missing CRC-24 is no error), and padding inside the data does not end it.
    :meth:`read` and :meth:`read_byte` raise :class:`ReadFailure` (or :class:`EndOfData`) when, and only when, the
    reading gets to the damage: what lies past the bytes a reader asks for is never looked at.
    """

    def __init__(self, text: str) -> None:
        from conformance.codecs import java_utf8_encode

        self._data = java_utf8_encode(require_str(text, "text"))
        self._pos = 0
        self.binary = not self._data or self._data[0] >= 0x80
        self._out = b""
        self._crc_found = False
        self._crc = CRC24_START
        self._unchecked = bytearray()  # decoded bytes not yet in _crc: summed only when a checksum is read
        self._start = False
        if not self.binary:
            self._has_headers = self._sniff_headers()
            if self._has_headers:
                self._parse_headers()

    def _raw(self) -> int:
        if self._pos >= len(self._data):
            return -1
        self._pos += 1
        return self._data[self._pos - 1]

    def _sniff_headers(self) -> bool:
        head = self._data[:_SNIFF_LIMIT]
        if any(c not in _SNIFFED for c in head):
            return True
        kept = bytes(c for c in head if c not in (_CR, _LF))
        if len(kept) < 4:
            return True
        block = kept[:8]
        if len(block) < 8:
            raise ReadFailure("the message starts with too little Base64 to tell what it is")
        return not _quad(*block[:4])[0] & 0x80

    def _dash_line(self) -> int:
        """Read up to and past the first ``-`` at the start of a line (or of what is left, or after a NUL byte);
        return the byte before it (0 at the start), or -1 when there is none (then everything is read)."""
        data, pos = self._data, self._pos
        if pos < len(data) and data[pos] == _DASH:
            self._pos = pos + 1
            return 0
        found = _DASH_LINE.search(data, pos)
        if found is None:
            self._pos = len(data)
            return -1
        self._pos = found.end()
        return data[found.start()]

    def _parse_headers(self) -> None:
        last = self._dash_line()
        if last < 0:
            return
        line, lines, eol, crlf = bytearray(b"-"), 0, False, False
        while (c := self._raw()) >= 0:
            if last == _CR and c == _LF:
                crlf = True
            if eol and ((last != _CR and c == _LF) or c == _CR):
                break
            if c == _CR or (last != _CR and c == _LF):
                text = line.decode("utf-8", "replace")
                if not text.strip("".join(map(chr, range(33)))):
                    break
                if lines and ":" not in text:
                    raise ReadFailure("an armor header line without a colon")
                if lines >= _MAX_HEADERS:
                    raise ReadFailure("too many armor header lines")
                lines += 1
                line.clear()
            if c not in (_CR, _LF):
                if len(line) >= _MAX_HEADER_LINE:
                    raise ReadFailure("an armor header line is too long")
                line.append(c)
                eol = False
            elif c == _CR or last != _CR:
                eol = True
            last = c
        if crlf and self._raw() != _LF:
            raise ReadFailure("inconsistent line ends in the armor headers")

    def _skip_space(self) -> int:
        c = self._raw()
        while c in (0x20, 0x09, 0x0C, 0x0B):
            c = self._raw()
        if c >= 0x80:
            raise ReadFailure("the armor holds a non-ASCII character")
        return c

    def _next_group(self) -> bool:
        """Decode the next group into ``_out``; False at the end of the data."""
        c = self._skip_space()
        if c in (_CR, _LF):
            while c in (_CR, _LF):
                c = self._skip_space()
            if c == _PAD:
                if self._crc_found:
                    raise ReadFailure("a second armor checksum")
                crc = _quad(self._skip_space(), self._skip_space(), self._skip_space(), self._skip_space())
                if len(crc) != 3:
                    raise ReadFailure("a malformed armor checksum")
                self._crc_found = True
                self._crc, self._unchecked = _crc_update(self._crc, self._unchecked), bytearray()
                if int.from_bytes(crc, "big") != self._crc:
                    raise ReadFailure("the armor checksum does not match")
                return self._next_group()
            if c == _DASH:
                while (c := self._raw()) >= 0 and c not in (_CR, _LF):
                    pass
                self._crc_found, self._start = False, True
                return False
        if c < 0:
            return False
        self._out = _quad(c, self._skip_space(), self._skip_space(), self._skip_space())
        self._unchecked += self._out
        return True

    def available(self) -> int:
        """How many characters are left unread (what BouncyCastle's stream reports as available)."""
        return len(self._data) - self._pos

    def read_byte(self) -> int:
        """The next byte, or -1 at the end; raises :class:`ReadFailure` at damage."""
        if self.binary:
            return self._raw()
        if self._start:  # past an END line: BouncyCastle looks for another armor block
            self._start = False
            if self._has_headers:
                self._parse_headers()
            self._crc, self._unchecked = CRC24_START, bytearray()
        # once a checksum was read, every read decodes a new group (and returns its first byte), as in BouncyCastle
        if (self._crc_found or not self._out) and not self._next_group():
            return -1
        byte, self._out = self._out[0], self._out[1:]
        return byte

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer only at the end); raises :class:`ReadFailure` at damage, ``InvalidArgument``
        for a size that is not a non-negative integer.

        What :meth:`read_byte` would give ``size`` times, faster: binary data is sliced, and a run of whole groups
        of Base64 characters (no space, line end or ``=``) is decoded at once, only as far as ``size`` needs, and
        line ends before a Base64 character are skipped between groups, so the reading stops at the same character,
        in the same state, and meets damage where the byte reads meet it."""
        size = require_int(size, "size", minimum=0)
        if self.binary:
            data = self._data[self._pos : self._pos + size]
            self._pos += len(data)
            return data
        out = bytearray()
        while len(out) < size:
            if not (self._out or self._start or self._crc_found):
                wanted = -(-(size - len(out)) // 3)  # the groups the rest of the read needs, rounded up
                run = _RUN.match(self._data, self._pos, min(len(self._data), self._pos + 4 * wanted))
                groups = (run.end() - self._pos) // 4 if run else 0
                if groups:
                    end = self._pos + 4 * groups
                    decoded = binascii.a2b_base64(self._data[self._pos : end])
                    self._pos = end
                    self._unchecked += decoded
                    take = size - len(out)
                    out += decoded[:take]
                    self._out = decoded[take:]
                    continue
                if ends := _LINE_BREAK.match(self._data, self._pos):  # between groups, as _next_group skips it
                    self._pos = ends.end()
                    continue
            byte = self.read_byte()
            if byte < 0:
                break
            out.append(byte)
        return bytes(out)


def _crc_table() -> tuple[int, ...]:
    """The CRC-24 of each byte value, for :func:`_crc_update` (a byte at a time instead of a bit)."""
    table = []
    for byte in range(256):
        crc = byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
        table.append(crc & 0xFFFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def _crc_update(crc: int, data: bytes) -> int:
    table = _CRC_TABLE
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFF) ^ table[(crc >> 16) ^ byte]
    return crc
