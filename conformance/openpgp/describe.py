"""A one-line description of an encrypted message's packet layout, as its recipient sees it (never the plaintext)."""

from __future__ import annotations

from conformance.errors import ConformanceError, InvalidArgument, PgpMalformed
from conformance.openpgp.armor import dearmor
from conformance.openpgp.encryption import CIPHER_NAMES, decrypt_seipd, decrypt_session_key, session_packets_for
from conformance.openpgp.keys import load_keys
from conformance.openpgp.messages import COMPRESSION_NAMES, decompress
from conformance.openpgp.packets import Tag, parse_packets
from conformance.openpgp.signatures import hash_name, parse_signature

_TAG_NAMES: dict[int, str] = {
    Tag.PKESK: "PKESK",
    Tag.SKESK: "SKESK",
    Tag.SEIPD: "SEIPD",
    Tag.SED: "SED",
    Tag.COMPRESSED: "compressed",
    Tag.ONE_PASS: "one-pass-sig",
    Tag.LITERAL: "literal",
    Tag.SIGNATURE: "signature",
    Tag.MARKER: "marker",
}


def describe_message(armored: str, server_private_key: str) -> str:
    """Return the packet layout of an armored message decrypted with ``server_private_key``, for example
    ``PKESK+SEIPD v1 AES-256 → ZLIB → one-pass-sig+literal+signature (SHA-256)``.

    Never raises for a bad message or key: returns ``cannot describe: <reason path>`` instead.
    """
    try:
        return _describe(armored, server_private_key)
    except ConformanceError as exc:
        return f"cannot describe: {exc.reason_path()}"


def _name(tag: int) -> str:
    return _TAG_NAMES.get(tag, f"tag{tag}")


def _describe(armored: str, server_private_key: str) -> str:
    if not isinstance(armored, str):
        raise InvalidArgument("the message must be armored text (str)")
    _, data = dearmor(armored)
    outer = parse_packets(data)
    keys = load_keys(server_private_key, secret=True, role="server_private_key")
    candidates = session_packets_for([p for p in outer if p.tag == Tag.PKESK], keys)
    encrypted = next((p for p in outer if p.tag in (Tag.SEIPD, Tag.SED, Tag.AEAD)), None)
    if encrypted is None or not encrypted.body:
        raise PgpMalformed("no encrypted data packet")
    algorithm, session_key = decrypt_session_key(candidates)
    inner = parse_packets(decrypt_seipd(algorithm, session_key, encrypted.body[1:]))
    described = [
        f"{'+'.join(_name(p.tag) for p in outer)} v{encrypted.body[0]} {CIPHER_NAMES.get(algorithm, algorithm)}"
    ]
    if len(inner) == 1 and inner[0].tag == Tag.COMPRESSED:
        decompressed = decompress(inner[0].body)
        described.append(COMPRESSION_NAMES.get(inner[0].body[0], str(inner[0].body[0])))
        inner = parse_packets(decompressed)
    signatures = [parse_signature(p.body) for p in inner if p.tag == Tag.SIGNATURE]
    hashes = ",".join(hash_name(s.hash_algorithm) for s in signatures)
    described.append("+".join(_name(p.tag) for p in inner) + (f" ({hashes})" if hashes else ""))
    return " → ".join(described)
