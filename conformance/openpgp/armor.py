"""ASCII armor (RFC 4880 section 6): writing it, and reading it as BouncyCastle does (a bad CRC-24 is ignored)."""

from __future__ import annotations

import base64
import binascii
import re

from conformance.errors import PgpMalformed

_ARMOR = re.compile(
    r"-----BEGIN PGP ([A-Z0-9 ,/]+)-----[ \t]*\r?\n(?P<rest>.*?)-----END PGP \1-----",
    re.DOTALL,
)


def crc24(data: bytes) -> int:
    """The armor checksum of ``data`` (RFC 4880 section 6.1)."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def armor(data: bytes, kind: str = "MESSAGE") -> str:
    """Return ``data`` armored as ``PGP {kind}``: no headers, 64-character lines, CRC-24, ``\\n`` line ends."""
    body = base64.b64encode(data).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    crc = base64.b64encode(crc24(data).to_bytes(3, "big")).decode("ascii")
    return "\n".join([f"-----BEGIN PGP {kind}-----", "", *lines, f"={crc}", f"-----END PGP {kind}-----", ""])


def dearmor(text: str, error: type[Exception] = PgpMalformed) -> tuple[str, bytes]:
    """Return ``(kind, bytes)`` of the first armored block in ``text``; raise ``error`` on bad armor.

    Armor headers (``Version: BCPG v1.50``) are skipped. The CRC-24 line is optional and a mismatch is not an error:
    BouncyCastle (1.50 and current, the server side) ignores it; GnuPG 2.2 rejects it (docs/boldchat-pgp-matrix.md).
    The MDC and the signature protect the message.
    """
    match = _ARMOR.search(text)
    if match is None:
        raise error("no OpenPGP armor found")
    kind, rest = match.group(1), match.group("rest")
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
