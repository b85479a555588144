"""OpenPGP packet framing (RFC 4880 section 4): tags, old and new headers, partial lengths, MPIs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from conformance.arguments import CheckedEnumType, require_bytes, require_int
from conformance.errors import ConformanceError, InvalidArgument, PgpMalformed


class Tag(IntEnum, metaclass=CheckedEnumType):
    """Packet tags (RFC 4880 section 4.3, RFC 9580 for AEAD). ``Tag(value)`` raises :class:`InvalidArgument` for
    another value."""

    PKESK = 1
    SIGNATURE = 2
    SKESK = 3
    ONE_PASS = 4
    SECRET_KEY = 5
    PUBLIC_KEY = 6
    SECRET_SUBKEY = 7
    COMPRESSED = 8
    SED = 9
    MARKER = 10
    LITERAL = 11
    TRUST = 12
    USER_ID = 13
    PUBLIC_SUBKEY = 14
    USER_ATTRIBUTE = 17
    SEIPD = 18
    MDC = 19
    AEAD = 20


@dataclass(frozen=True)
class Packet:
    """One packet: its tag and its body (all partial-length chunks joined)."""

    tag: int
    body: bytes


def error_class(error: Any) -> type[ConformanceError]:
    """``error`` when it is a :class:`ConformanceError` class (what a parser raises for malformed input); raises
    ``InvalidArgument`` otherwise."""
    if not (isinstance(error, type) and issubclass(error, ConformanceError)):
        raise InvalidArgument("error must be a ConformanceError class")
    return error


def parse_packets(data: bytes, error: type[Exception] = PgpMalformed) -> list[Packet]:
    """Split ``data`` into packets (old and new headers, partial and indeterminate lengths); raise ``error`` (a
    :class:`ConformanceError` class), ``InvalidArgument`` for data that is not bytes."""
    data = require_bytes(data, "data")
    error = error_class(error)
    packets: list[Packet] = []
    offset, size = 0, len(data)
    while offset < size:
        ctb = data[offset]
        offset += 1
        if not ctb & 0x80:
            raise error("not an OpenPGP packet header")
        if ctb & 0x40:
            tag = ctb & 0x3F
            parts = []
            while True:
                length, offset, partial = _new_length(data, offset, error)
                if offset + length > size:
                    raise error("a packet runs past the end of the data")
                parts.append(data[offset : offset + length])
                offset += length
                if not partial:
                    break
            body = b"".join(parts)
        else:
            tag, length_type = (ctb >> 2) & 0x0F, ctb & 0x03
            if length_type == 3:
                body, offset = data[offset:], size
            else:
                width = (1, 2, 4)[length_type]
                if offset + width > size:
                    raise error("a packet header runs past the end of the data")
                length = int.from_bytes(data[offset : offset + width], "big")
                offset += width
                if offset + length > size:
                    raise error("a packet runs past the end of the data")
                body, offset = data[offset : offset + length], offset + length
        if tag == 0:
            raise error("packet tag 0 is reserved")
        packets.append(Packet(tag, body))
    return packets


def _new_length(data: bytes, offset: int, error: type[Exception]) -> tuple[int, int, bool]:
    if offset >= len(data):
        raise error("a packet length runs past the end of the data")
    first = data[offset]
    if first < 192:
        return first, offset + 1, False
    if first < 224:
        if offset + 1 >= len(data):
            raise error("a packet length runs past the end of the data")
        return ((first - 192) << 8) + data[offset + 1] + 192, offset + 2, False
    if first == 255:
        if offset + 5 > len(data):
            raise error("a packet length runs past the end of the data")
        return int.from_bytes(data[offset + 1 : offset + 5], "big"), offset + 5, False
    return 1 << (first & 0x1F), offset + 1, True


def encode_packet(tag: int, body: bytes) -> bytes:
    """Return a new-format packet with a definite length. Raises :class:`InvalidArgument` for a tag outside 0 to 63
    (a new-format header has six bits for it) or a body that is not bytes or longer than 4 GiB."""
    tag = require_int(tag, "tag", minimum=0, maximum=63)
    n = len(require_bytes(body, "body"))
    if n >= 1 << 32:
        raise InvalidArgument("body is longer than a packet length can say (4 GiB)")
    if n < 192:
        length = bytes([n])
    elif n < 8384:
        n -= 192
        length = bytes([(n >> 8) + 192, n & 0xFF])
    else:
        length = b"\xff" + n.to_bytes(4, "big")
    return bytes([0xC0 | tag]) + length + body


def read_mpi(body: bytes, offset: int, error: type[Exception] = PgpMalformed) -> tuple[int, int]:
    """Return ``(value, offset after it)`` of the multiprecision integer at ``offset``; raise ``error`` (a
    :class:`ConformanceError` class), ``InvalidArgument`` for a body that is not bytes or a negative offset."""
    if not isinstance(body, bytes):
        body = require_bytes(body, "body")
    require_int(offset, "offset", minimum=0)
    error = error_class(error)
    if offset + 2 > len(body):
        raise error("a multiprecision integer runs past the end of its packet")
    bits = int.from_bytes(body[offset : offset + 2], "big")
    end = offset + 2 + (bits + 7) // 8
    if end > len(body):
        raise error("a multiprecision integer runs past the end of its packet")
    return int.from_bytes(body[offset + 2 : end], "big"), end


def encode_mpi(value: int) -> bytes:
    """Return ``value`` as a multiprecision integer (bit count, then big-endian bytes). Raises
    :class:`InvalidArgument` for a negative value or one of more than 65535 bits."""
    value = require_int(value, "value", minimum=0)
    if value.bit_length() > 0xFFFF:
        raise InvalidArgument("value has more bits than a multiprecision integer can count (65535)")
    return value.bit_length().to_bytes(2, "big") + value.to_bytes((value.bit_length() + 7) // 8, "big")
