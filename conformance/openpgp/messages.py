"""Encrypted and signed messages: building one, and opening one as a recipient who requires a signature.

Layout built: PKESK v3 + SEIPD v1 (AES-256, MDC) holding, optionally ZLIB-compressed, a one-pass signature, a binary
literal data packet and a v4 signature. Opened as BoldChat's BouncyCastle (1.86) server opens it: the armor and the
packets read on demand (:mod:`~conformance.openpgp.reading`: marker packets skipped, damage past the encrypted data
never read), the first PKESK naming one of the recipient's keys by ID; symmetrically encrypted data without MDC
refused; the MDC checked before anything inside is parsed; each failure named by the step that meets it, as the
project's BouncyCastle helper names it; compressed (uncompressed/ZIP/ZLIB/BZip2, one level, size-capped) or bare
signed data, in one-pass or signature-first form; a signature by one of the signer's keys that verifies under the
hash policy.
"""

from __future__ import annotations

import bz2
import re
import time
import zlib
from typing import Any

from conformance.arguments import require_bool, require_bytes, require_instance, require_int
from conformance.errors import (
    InvalidArgument,
    PgpBadSignature,
    PgpDecryptionFailed,
    PgpMalformed,
    PgpNoIntegrityProtection,
    PgpUnsigned,
    PgpUnsupported,
    PgpWeakHash,
    PgpWrongRecipient,
    PgpWrongSigner,
)
from conformance.openpgp.encryption import (
    AES_256,
    decrypt_seipd_body,
    encrypt_sed,
    encrypt_seipd,
    encrypt_session_key,
    new_session_key,
    recover_session_key,
)
from conformance.openpgp.keys import FLAG_SIGN, Key
from conformance.openpgp.packets import Packet, Tag, encode_packet, parse_packets
from conformance.openpgp.reading import read_encrypted_list
from conformance.openpgp.signatures import (
    BINARY,
    BOUNCYCASTLE_HASHES,
    TEXT,
    HashAlgorithm,
    HashPolicy,
    parse_signature,
    sign,
    verifies,
)

#: Decompressed or literal data larger than this is refused (a compression bomb is not a small signed message).
MAX_PLAINTEXT = 8 * 1024 * 1024
COMPRESSION_NAMES = {0: "uncompressed", 1: "ZIP", 2: "ZLIB", 3: "BZip2"}
ZLIB = 2


def compress_zlib(packets: bytes) -> bytes:
    """Return a compressed data packet holding ``packets``, ZLIB (RFC 1950), level 6. Raises ``InvalidArgument``
    for what is not bytes."""
    packets = require_bytes(packets, "packets")
    compressor = zlib.compressobj(6, zlib.DEFLATED, 15)
    return encode_packet(Tag.COMPRESSED, bytes([ZLIB]) + compressor.compress(packets) + compressor.flush())


def decompress(body: bytes) -> bytes:
    """Return the data of a compressed data packet body; raise :class:`PgpMalformed` or :class:`PgpUnsupported`,
    ``InvalidArgument`` for what is not bytes."""
    body = require_bytes(body, "body")
    if not body:
        raise PgpMalformed("an empty compressed data packet")
    algorithm, data = body[0], body[1:]
    if algorithm == 0:
        return data
    if algorithm in (1, 2):
        decompressor: Any = zlib.decompressobj(-15 if algorithm == 1 else 15)
    elif algorithm == 3:
        decompressor = bz2.BZ2Decompressor()
    else:
        raise PgpUnsupported(f"compression algorithm {algorithm} is not supported")
    try:
        out = decompressor.decompress(data, MAX_PLAINTEXT + 1)
    except (zlib.error, OSError, ValueError):
        raise PgpMalformed("the compressed data does not decompress") from None
    if len(out) > MAX_PLAINTEXT:
        raise PgpMalformed("the compressed data is too large")
    return out


def literal_data(body: bytes) -> bytes:
    """Return the data of a literal data packet body; raise :class:`PgpMalformed` when truncated,
    ``InvalidArgument`` for what is not bytes."""
    body = require_bytes(body, "body")
    if len(body) < 6:
        raise PgpMalformed("a truncated literal data packet")
    start = 2 + body[1] + 4
    if start > len(body):
        raise PgpMalformed("a truncated literal data packet")
    return body[start:]


def build_message(
    plain: bytes,
    recipient: Key,
    signer: Key | None,
    *,
    compress: bool,
    hash_algorithm: int = HashAlgorithm.SHA256,
    signed_data: bytes | None = None,
    integrity: bool = True,
) -> bytes:
    """Return the binary message: ``plain`` signed by ``signer`` (one-pass form), optionally ZLIB-compressed,
    encrypted to ``recipient`` (PKESK v3, AES-256, SEIPD v1 with MDC).

    Only to craft test input: ``signer=None`` (unsigned), ``hash_algorithm`` other than SHA-256, ``signed_data`` (a
    signature over other bytes) and ``integrity=False`` (tag 9 data without MDC). Raises :class:`InvalidArgument`
    for an argument of another type or a signer without its private key, :class:`PgpUnsupported` for a hash
    algorithm it cannot sign with.
    """
    plain = require_bytes(plain, "plain")
    require_instance(recipient, "recipient", Key)
    if signer is not None and require_instance(signer, "signer", Key).private is None:
        raise InvalidArgument("signer must be a secret key")
    require_bool(compress, "compress")
    require_bool(integrity, "integrity")
    require_int(hash_algorithm, "hash_algorithm", minimum=0, maximum=255)
    if signed_data is not None:
        signed_data = require_bytes(signed_data, "signed_data")
    now = int(time.time())
    literal = encode_packet(Tag.LITERAL, b"b\x00" + now.to_bytes(4, "big") + plain)
    if signer is None:
        signed = literal
    else:
        assert signer.private is not None
        covered = plain if signed_data is None else signed_data
        signature = sign(signer.private, signer.fingerprint, covered, created=now, hash_algorithm=hash_algorithm)
        one_pass = bytes([3, BINARY, hash_algorithm, 1]) + signer.key_id + b"\x01"
        signed = encode_packet(Tag.ONE_PASS, one_pass) + literal + encode_packet(Tag.SIGNATURE, signature)
    if compress:
        signed = compress_zlib(signed)
    session_key = new_session_key(AES_256)
    pkesk = encode_packet(Tag.PKESK, encrypt_session_key(recipient, AES_256, session_key))
    if not integrity:
        return pkesk + encode_packet(Tag.SED, encrypt_sed(AES_256, session_key, signed))
    return pkesk + encode_packet(Tag.SEIPD, encrypt_seipd(AES_256, session_key, signed))


def open_message(
    armored: str,
    recipient_keys: list[Key],
    signer_keys: list[Key],
    policy: HashPolicy = BOUNCYCASTLE_HASHES,
) -> bytes:
    """Decrypt ``armored`` with ``recipient_keys``, require integrity and a signature by ``signer_keys`` that
    verifies under ``policy``; return the literal data.

    Raises, each distinct: :class:`PgpMalformed`, :class:`PgpNotEncrypted`, :class:`PgpWrongRecipient`,
    :class:`PgpDecryptionFailed`, :class:`PgpNoIntegrityProtection`, :class:`PgpIntegrityError`,
    :class:`PgpUnsigned`, :class:`PgpWrongSigner`, :class:`PgpBadSignature`, :class:`PgpWeakHash` and
    :class:`PgpUnsupported`.
    """
    listing = read_encrypted_list(armored)
    chosen = next(
        ((session, key) for session in listing.sessions for key in recipient_keys if key.key_id == session.key_id),
        None,
    )
    if chosen is None:
        raise PgpWrongRecipient("the message is not encrypted to the server key")
    if listing.data_tag != Tag.SEIPD:
        raise PgpNoIntegrityProtection("the message has no integrity protection (no MDC)")
    session, key = chosen
    algorithm, session_key = recover_session_key(key, session.algorithm, session.values)
    if listing.version != 1:
        raise PgpDecryptionFailed("only SEIPD version 1 encrypted data is supported")
    inner = decrypt_seipd_body(algorithm, session_key, listing.data)
    return verified_literal(inner, signer_keys, policy)


def signed_packets(inner: bytes) -> list[Packet]:
    """The packets inside the encrypted data, with one level of compression removed."""
    packets = parse_packets(inner)
    if len(packets) == 1 and packets[0].tag == Tag.COMPRESSED:
        packets = parse_packets(decompress(packets[0].body))
        if any(p.tag == Tag.COMPRESSED for p in packets):
            raise PgpMalformed("nested compressed data")
    return packets


def verified_literal(inner: bytes, signer_keys: list[Key], policy: HashPolicy = BOUNCYCASTLE_HASHES) -> bytes:
    """Return the literal data of decrypted ``inner`` once a signature by ``signer_keys`` verifies (see
    :func:`open_message` for what is raised)."""
    packets = signed_packets(inner)
    tags = [p.tag for p in packets]
    literal_at = tags.index(Tag.LITERAL) if tags.count(Tag.LITERAL) == 1 else -1
    if literal_at < 0:
        raise PgpMalformed("no single literal data packet inside the encrypted message")
    before, after = packets[:literal_at], packets[literal_at + 1 :]
    plain = literal_data(packets[literal_at].body)
    if len(plain) > MAX_PLAINTEXT:
        raise PgpMalformed("the literal data is too large")
    if not before and not after:
        raise PgpUnsigned("the message is not signed")
    if before and all(p.tag == Tag.ONE_PASS for p in before) and after and all(p.tag == Tag.SIGNATURE for p in after):
        if len(before) != len(after):
            raise PgpMalformed("one-pass signatures and signatures do not pair up")
        signature_packets = after
    elif before and all(p.tag == Tag.SIGNATURE for p in before) and not after:
        signature_packets = before
    else:
        raise PgpMalformed("an unexpected packet sequence inside the encrypted message")
    signatures = [parse_signature(p.body) for p in signature_packets]
    ours = [
        (signature, key)
        for signature in signatures
        for key in signer_keys
        if key.key_id in signature.issuers() and key.can(FLAG_SIGN)
    ]
    if not ours:
        raise PgpWrongSigner("the message is signed by another key")
    refused: PgpWeakHash | None = None
    for signature, key in ours:
        if signature.sig_type not in (BINARY, TEXT):
            continue
        data = plain if signature.sig_type == BINARY else _canonical_text(plain)
        try:
            if verifies(key.public, signature, data, policy):
                return plain
        except PgpWeakHash as exc:  # another signature by the signer may still use an accepted hash
            refused = exc
    if refused is not None:
        raise refused
    raise PgpBadSignature("the signature does not verify")


def _canonical_text(data: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", data)
