"""PEM and EC private keys read as OpenSSL 3.0 reads them for ``openssl ec -in key.pem -pubout``.

OpenSSL's PEM reader (``PEM_read_bio``, EAY-compatible) is not ``cryptography``'s: it reads lines of at most 254
bytes, skips every line before the first whose start is ``-----BEGIN `` and whose end, once trailing bytes up to
space and above 0x7F are dropped (a signed ``char`` compared with ``' '``), is ``-----``; takes a header only when the
first blank line follows it (a header of more than 10 bytes is a ``Proc-Type`` it cannot open without a password);
refuses a second blank line, a line after a short one past the header, an END line for another name; and decodes
the Base64 as ``EVP_DecodeUpdate`` does (space, tab, CR and LF skipped, ``-`` ends the data, padding only at the
end). A SEC1 key's stored public point is written as it is (the BIT STRING's unused bits cleared), never checked
against the scalar; a key without one gets the point of its scalar.
"""

from __future__ import annotations

import binascii
import re
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ObjectIdentifier

from conformance.arguments import require_str
from conformance.errors import InvalidKeyMaterial

#: ``BIO_gets`` into OpenSSL's 255-byte line buffer reads at most this many bytes of a line at a time.
_PIECE = 254
_BEGIN, _END, _TAIL = b"-----BEGIN ", b"-----END ", b"-----"
_BOM = b"\xef\xbb\xbf"
#: The PEM names whose data ``openssl ec`` reads as an EC private key (SEC1 or PKCS#8, whichever parses).
_KEY_NAMES = (b"EC PRIVATE KEY", b"PRIVATE KEY", b"PUBLIC KEY")
#: Base64 as ``EVP_DecodeUpdate`` takes it once space, tab, CR and LF are skipped: padding only at the end, at most 2.
_BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
#: The bytes ``sanitize_line`` drops from a line's end: up to space, and above 0x7F (a negative signed ``char``).
_TRAILING = bytes(range(0x21)) + bytes(range(0x80, 0x100))
_FAILED = "openssl ec could not read the private key"


def _pieces(data: bytes) -> list[bytes]:
    """The input as ``BIO_gets`` returns it: each line with its newline, cut in pieces of :data:`_PIECE` bytes."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    if all(len(line) <= _PIECE for line in lines):
        return lines
    return [line[start : start + _PIECE] for line in lines for start in range(0, len(line), _PIECE)]


def _stripped(piece: bytes) -> bytes:
    """``sanitize_line`` in EAY-compatible mode: trailing bytes up to space, and above 0x7F, dropped."""
    return piece.rstrip(_TRAILING)


def _name(pieces: list[bytes]) -> tuple[bytes, int]:
    """The PEM name of the first BEGIN line and the index of the piece after it."""
    for index, piece in enumerate(pieces):
        read = piece[len(_BOM) :] if index == 0 and piece.startswith(_BOM) else piece
        if not read.startswith(_BEGIN):
            continue
        line = _stripped(read)
        if line.endswith(_TAIL):
            return line[len(_BEGIN) : len(line) - len(_TAIL)], index + 1
    raise InvalidKeyMaterial(_FAILED)


def _header_and_data(pieces: list[bytes], start: int, name: bytes) -> tuple[bytes, bytes]:
    """``get_header_and_data``: the header and the Base64 text between the BEGIN line and the END line."""
    header, data = bytearray(), bytearray()
    target, state, ended, partial = header, "maybe", False, False
    for piece in pieces[start:]:
        previous_partial, partial = partial, len(piece) == _PIECE and not piece.endswith(b"\n")
        if state == "maybe" and b":" in piece:
            state = "in"
        line = _stripped(piece)
        if not line:
            if not previous_partial:
                if state == "post":
                    raise InvalidKeyMaterial(_FAILED)
                state, target = "post", data
            continue
        if line.startswith(_END):
            if line[len(_END) :] != name + _TAIL:
                raise InvalidKeyMaterial(_FAILED)
            if state == "maybe":
                header, data = data, header
            return bytes(header), bytes(data)
        if ended:
            raise InvalidKeyMaterial(_FAILED)
        target += line + b"\n"
        if state == "post":
            if len(line) + 1 > 65:
                raise InvalidKeyMaterial(_FAILED)
            ended = len(line) + 1 < 65
    raise InvalidKeyMaterial(_FAILED)


def _decode(text: bytes) -> bytes:
    """``EVP_DecodeUpdate`` then ``EVP_DecodeFinal``: the bytes of the Base64 ``text``."""
    kept = text.split(b"-", 1)[0].translate(None, b" \t\r\n")  # a '-' ends the data
    if not _BASE64.fullmatch(kept):
        raise InvalidKeyMaterial(_FAILED)
    try:
        return binascii.a2b_base64(kept)
    except binascii.Error:
        raise InvalidKeyMaterial(_FAILED) from None


def read_pem(text: str) -> tuple[bytes, bytes]:
    """``(name, DER)`` of the first PEM block of ``text`` as ``PEM_read_bio`` reads it (the text as a file holds
    it: ``surrogateescape`` characters are their bytes). Raises :class:`InvalidKeyMaterial` where OpenSSL fails,
    ``InvalidArgument`` for what is not a ``str``."""
    try:
        data = require_str(text, "private_key_pem").encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raise InvalidKeyMaterial("the private key is not text a file can hold (a lone surrogate)") from None
    pieces = _pieces(data)
    name, start = _name(pieces)
    header, body = _header_and_data(pieces, start, name)
    if len(header) > 10:  # a Proc-Type header: an encrypted key, which needs a password
        raise InvalidKeyMaterial(_FAILED)
    return name, _decode(body)


def _element(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """``(tag, content, end)`` of the DER element at ``offset``. Raises :class:`InvalidKeyMaterial`."""
    if offset + 2 > len(data):
        raise InvalidKeyMaterial(_FAILED)
    tag, length, offset = data[offset], data[offset + 1], offset + 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4 or offset + count > len(data):
            raise InvalidKeyMaterial(_FAILED)
        length, offset = int.from_bytes(data[offset : offset + count], "big"), offset + count
    if offset + length > len(data):
        raise InvalidKeyMaterial(_FAILED)
    return tag, data[offset : offset + length], offset + length


def _oid(content: bytes) -> str:
    """The dotted form of an OBJECT IDENTIFIER's content."""
    if not content:
        raise InvalidKeyMaterial(_FAILED)
    arcs, value = [], 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def _stored_point(der: bytes) -> tuple[ec.EllipticCurve, bytes] | None:
    """The curve and the stored public point of a SEC1 ``ECPrivateKey`` with a named curve and a public key, or None
    when ``der`` is another structure or stores no point."""
    try:
        tag, sequence, _ = _element(der, 0)
        if tag != 0x30:
            return None
        fields, offset = {}, 0
        while offset < len(sequence):
            tag, content, offset = _element(sequence, offset)
            fields[tag] = content
        if fields.get(0x02) is None or 0x04 not in fields or 0xA0 not in fields or 0xA1 not in fields:
            return None
        oid_tag, oid, _ = _element(fields[0xA0], 0)
        bits_tag, bits, _ = _element(fields[0xA1], 0)
    except InvalidKeyMaterial:
        return None
    if oid_tag != 0x06 or bits_tag != 0x03 or not bits:
        return None
    if bits[0] > 7:
        raise InvalidKeyMaterial(_FAILED)
    try:
        curve = ec.get_curve_for_oid(ObjectIdentifier(_oid(oid)))
    except (LookupError, ValueError):
        raise InvalidKeyMaterial(_FAILED) from None
    point = bytearray(bits[1:])
    if point:  # c2i_ASN1_BIT_STRING: the unused bits of the last byte are cleared, not checked
        point[-1] &= (0xFF << bits[0]) & 0xFF
    return curve(), bytes(point)


def ec_public_pem(text: str) -> str:
    """What ``openssl ec -in key.pem -pubout`` writes for ``text``: the SPKI ``PUBLIC KEY`` PEM of its EC key (a SEC1
    key's stored point as stored, else the point of the scalar). Raises :class:`InvalidKeyMaterial` where openssl
    fails, ``InvalidArgument`` for what is not a ``str``."""
    name, der = read_pem(text)
    if name not in _KEY_NAMES:
        raise InvalidKeyMaterial(_FAILED)
    stored = _stored_point(der)
    key: Any
    try:
        if stored is not None:
            key = ec.EllipticCurvePublicKey.from_encoded_point(*stored)
        else:
            key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidKeyMaterial(_FAILED) from None
    if not isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        raise InvalidKeyMaterial(_FAILED)
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )
