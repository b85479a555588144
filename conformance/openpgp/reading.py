"""Reading an encrypted message packet by packet, pulling bytes from the armor as BouncyCastle 1.86 does.

BoldChat's server reads ``SecureParameters`` with BouncyCastle's object factory: one packet header at a time,
each packet body through a buffer that pulls at most 8192 bytes from the armor at once, and nothing past the
encrypted data packet. So damage is found (and named) where that reading reaches it, and never when it lies past
what is read: this module gives :func:`read_encrypted_list` (the message's first object, as the factory reads it)
whose ``data`` is a packet body pulled on demand. Reading failures are :class:`ReadFailure`. The packet stream and
the body are internal (``_PacketStream``, ``_Body``): :func:`~conformance.openpgp.encryption.decrypt_seipd_body`
takes the body of an :class:`EncryptedList`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from conformance.arguments import require_int
from conformance.errors import PgpError, PgpMalformed, PgpNotEncrypted
from conformance.openpgp.armor import ArmorDecoder, EndOfData, ReadFailure
from conformance.openpgp.packets import Tag
from conformance.openpgp.signatures import parse_signature

#: BufferedInputStream's buffer: how much of a packet body one pull takes from the armor.
PULL = 8192
_SESSION_TAGS = (Tag.PKESK, Tag.SKESK)
#: the packets BouncyCastle takes as the "encrypted data" after the session packets (its InputStreamPacket kinds)
_DATA_TAGS = (0, Tag.SED, Tag.SEIPD, Tag.AEAD, Tag.COMPRESSED, Tag.LITERAL)
_NOT_ENCRYPTED_TAGS = (Tag.SIGNATURE, Tag.ONE_PASS, Tag.COMPRESSED, Tag.LITERAL)


class Source(Protocol):
    def available(self) -> int: ...

    def read_byte(self) -> int: ...

    def read(self, size: int) -> bytes: ...


class _Unsupported(Exception):
    """A session packet of a version BouncyCastle skips."""


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def _body_length(source: Source) -> tuple[int, bool, bool]:
    """``(length, partial, eof)`` of a new-format length, with Java's arithmetic on a missing byte (-1)."""
    first = source.read_byte()
    if first < 192:
        return first, False, first < 0
    if first <= 223:
        return ((first - 192) << 8) + source.read_byte() + 192, False, False
    if first == 255:
        return _read4(source), False, False
    return 1 << (first & 0x1F), True, False


def _read4(source: Source) -> int:
    a, b, c, d = (source.read_byte() for _ in range(4))
    return _int32((a << 24) | (b << 16) | (c << 8) | d)


class _Body:
    """A packet body: ``length`` bytes (partial chunks followed; negative: unbounded) pulled from ``source``
    in pulls of up to :data:`PULL` bytes, or straight from it (``direct``: old-format indeterminate length)."""

    def __init__(self, source: Source, length: int, partial: bool, *, direct: bool = False) -> None:
        self._source, self._length, self._partial, self._direct = source, length, partial, direct
        self._buffer = b""

    def _pull(self, size: int) -> bytes:
        while True:
            if self._length != 0:
                want = size if self._length < 0 or self._length > size else self._length
                data = self._source.read(want)
                if not data:
                    raise EndOfData("the data ends inside a packet")
                self._length -= len(data)
                if self._partial and self._length == 0:
                    self._next_chunk()
                return data
            if not (self._partial and self._next_chunk() >= 0):
                return b""

    def _next_chunk(self) -> int:
        length, partial, eof = _body_length(self._source)
        self._length = length
        if eof:
            return -1
        self._partial = partial
        return length

    def _upstream_available(self) -> int:
        available = self._source.available()
        if available <= self._length or self._length < 0:
            return available
        return 1 if self._partial and self._length == 0 else self._length

    def _take(self, size: int, *, chunk: bool) -> bytes:
        """Up to ``size`` bytes from the buffer, pulling when it is empty; fewer only at the end of the body, or
        (``chunk``) once the armor upstream has no characters left."""
        size = require_int(size, "size", minimum=0)
        if self._direct:
            return self._source.read(size)
        out = bytearray()
        while len(out) < size:
            if not self._buffer:
                self._buffer = self._pull(PULL)
                if not self._buffer:
                    break
            take = size - len(out)
            out += self._buffer[:take]
            self._buffer = self._buffer[take:]
            if chunk and len(out) < size and self._upstream_available() <= 0:
                break
        return bytes(out)

    def read_chunk(self, size: int) -> bytes:
        """What one ``read(buffer, 0, size)`` returns (Java's ``BufferedInputStream``: it goes on pulling while
        the armor has characters left); empty at the end of the body."""
        return self._take(size, chunk=True)

    def read_byte(self) -> int:
        if self._direct:
            return self._source.read_byte()
        if not self._buffer:
            self._buffer = self._pull(PULL)
            if not self._buffer:
                return -1
        byte, self._buffer = self._buffer[0], self._buffer[1:]
        return byte

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes, fewer only at the end of the body (what :meth:`read_byte` gives ``size`` times,
        taken from the buffer at once). Raises ``InvalidArgument`` for a size that is not a non-negative integer."""
        return self._take(size, chunk=False)

    def read_fully(self, size: int) -> bytes:
        data = self.read(size)
        if len(data) < size:
            raise EndOfData("a packet ends early")
        return data

    def read_all(self) -> bytes:
        out = bytearray()
        while chunk := self.read(PULL):
            out += chunk
        return bytes(out)


class _PacketStream:
    """Packets from ``source`` with a one-byte look-ahead for the next tag (BouncyCastle's ``BCPGInputStream``)."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._peeked: int | None = None

    def read_byte(self) -> int:
        if self._peeked is not None:
            byte, self._peeked = self._peeked, None
            return byte
        return self._source.read_byte()

    def read(self, size: int) -> bytes:
        out = bytearray()
        while len(out) < size and (byte := self.read_byte()) >= 0:
            out.append(byte)
        return bytes(out)

    def available(self) -> int:
        return self._source.available() + (self._peeked is not None and self._peeked >= 0)

    def next_tag(self) -> int:
        """The tag of the next packet (the header byte is not checked here), -1 at the end."""
        if self._peeked is None:
            try:
                self._peeked = self._source.read_byte()
            except EndOfData:
                self._peeked = -1
        byte = self._peeked
        if byte < 0:
            return byte
        return byte & 0x3F if byte & 0x40 else (byte & 0x3F) >> 2

    def read_packet(self) -> tuple[int, _Body] | None:
        """``(tag, body)`` of the next packet, ``None`` at the end; raises :class:`ReadFailure`."""
        header = self.read_byte()
        if header < 0:
            return None
        if not header & 0x80:
            raise ReadFailure("not an OpenPGP packet header")
        if header & 0x40:
            tag = header & 0x3F
            length, partial, _ = _body_length(self)
        else:
            tag, kind = (header & 0x3F) >> 2, header & 0x03
            partial = kind == 3
            length = (
                self.read_byte()
                if kind == 0
                else (self.read_byte() << 8) | self.read_byte()
                if kind == 1
                else _read4(self)
                if kind == 2
                else 0
            )
        if length == 0 and partial:
            return tag, _Body(self, 0, False, direct=True)
        return tag, _Body(self._source, length, partial)


@dataclass
class SessionPacket:
    """A PKESK as BouncyCastle reads it: version 3, the key ID, the public-key algorithm, its MPIs."""

    key_id: bytes
    algorithm: int
    values: list[int] = field(default_factory=list)


@dataclass
class EncryptedList:
    """The message's first object: its session packets (PKESK v3 only) and the encrypted data packet."""

    sessions: list[SessionPacket]
    data_tag: int
    data: _Body
    version: int = -1


def _mpi(body: _Body) -> int:
    bits = _int32((body.read_byte() << 8) | body.read_byte())
    size = int((bits + 7) / 8)  # Java's division truncates toward zero
    if size < 0:
        raise ReadFailure("a negative multiprecision integer length")
    return int.from_bytes(body.read_fully(size), "big")


def _session_packet(tag: int, body: _Body) -> SessionPacket | None:
    version = body.read_byte()
    if tag == Tag.SKESK:
        if version != 4:
            raise _Unsupported
        body.read_all()
        return None
    if version != 3:
        raise _Unsupported  # BouncyCastle 1.86 also reads v6; no BoldChat sender makes them
    key_id = bytes(b & 0xFF for b in (body.read_byte() for _ in range(8)))
    algorithm = body.read_byte()
    if algorithm in (1, 2):
        return SessionPacket(key_id, algorithm, [_mpi(body)])
    if algorithm in (16, 20):
        return SessionPacket(key_id, algorithm, [_mpi(body), _mpi(body)])
    if algorithm in (18, 25, 26):
        body.read_all()
        return SessionPacket(key_id, algorithm)
    raise ReadFailure("an unknown public-key algorithm in a session key packet")


def _check_not_encrypted(stream: _PacketStream, tag: int) -> None:
    """Read the first object of an unencrypted message as the factory does; raise :class:`ReadFailure` if it
    fails there."""
    while stream.next_tag() == tag:
        packet = stream.read_packet()
        assert packet is not None
        body = packet[1]
        if tag == Tag.COMPRESSED:
            body.read_byte()
        elif tag == Tag.LITERAL:
            body.read_byte()
            name = body.read_byte()
            if name < 0:
                raise ReadFailure("a literal data packet without a name length")
            body.read_fully(name)
        elif tag == Tag.ONE_PASS:
            head = body.read(4)
            if head[:1] != b"\x03":
                raise ReadFailure("an unsupported one-pass signature version")
            body.read(9)
        else:
            data = body.read_all()
            if data[:1] == b"\x04":
                try:
                    parse_signature(data)
                except PgpError:
                    raise ReadFailure("a malformed signature packet") from None
            elif data[:1] not in (b"\x02", b"\x03", b"\x05", b"\x06"):
                continue
        if tag in (Tag.COMPRESSED, Tag.LITERAL):
            return


def read_encrypted_list(text: str) -> EncryptedList:
    """The first object of ``text`` after marker packets, which must be an encrypted data list.

    Raises :class:`PgpMalformed` when it cannot be read or is something else, :class:`PgpNotEncrypted` when it is
    compressed, literal or signed data.
    """
    try:
        stream = _PacketStream(ArmorDecoder(text))
        while (tag := stream.next_tag()) == Tag.MARKER:
            marker = stream.read_packet()
            assert marker is not None
            marker[1].read_fully(3)
        if tag < 0:
            raise PgpMalformed("not an OpenPGP message: no packets")
        if tag in _NOT_ENCRYPTED_TAGS:
            _check_not_encrypted(stream, tag)
            raise PgpNotEncrypted("the message is not encrypted")
        if tag not in (*_SESSION_TAGS, Tag.SED, Tag.SEIPD, Tag.AEAD):
            raise PgpMalformed("not an OpenPGP message: an unexpected first packet")
        return _encrypted_list(stream)
    except ReadFailure as exc:
        raise PgpMalformed(f"not an OpenPGP message: {exc}") from None


def _encrypted_list(stream: _PacketStream) -> EncryptedList:
    sessions = []
    while stream.next_tag() in _SESSION_TAGS:
        packet = stream.read_packet()
        assert packet is not None
        try:
            session = _session_packet(*packet)
        except _Unsupported:
            continue
        if session is not None:
            sessions.append(session)
    packet = stream.read_packet()
    if packet is None or packet[0] not in _DATA_TAGS:
        raise ReadFailure("no encrypted data after the session key packets")
    tag, body = packet
    version = -1
    if tag == Tag.SEIPD:
        version = body.read_byte()
        if version == 2:
            head = body.read(3)
            if len(head) == 3 and head[2] > 16:
                raise ReadFailure("an AEAD chunk size out of range")
            if len(body.read(32)) != 32:
                raise EndOfData("a SEIPD v2 header ends early")
    elif tag == Tag.AEAD:
        _check_aead_header(body)
    elif tag == Tag.COMPRESSED:
        body.read_byte()
    elif tag == Tag.LITERAL:
        _check_literal_header(body)
    return EncryptedList(sessions, tag, body, version)


#: AEAD algorithm -> nonce length (RFC 9580 section 9.6: EAX, OCB, GCM)
_AEAD_NONCES = {1: 16, 2: 15, 3: 12}


def _check_aead_header(body: _Body) -> None:
    """Read an AEAD encrypted data header (RFC 9580 section 5.16) as BouncyCastle 1.86 does."""
    if body.read_byte() != 1:
        raise ReadFailure("an unsupported AEAD encrypted data version")
    _, aead, chunk = body.read_byte(), body.read_byte(), body.read_byte()
    if not 0 <= chunk <= 16 or aead not in _AEAD_NONCES:
        raise ReadFailure("a malformed AEAD encrypted data header")
    body.read_fully(_AEAD_NONCES[aead])


def _check_literal_header(body: _Body) -> None:
    body.read_byte()
    name = body.read_byte()
    if name < 0:
        raise ReadFailure("a literal data packet without a name length")
    body.read_fully(name)
