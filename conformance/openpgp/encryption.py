"""Public-key encrypted session keys (PKESK v3, RSA) and symmetrically encrypted data (SEIPD v1 with MDC, tag 9).

Ciphers accepted on decryption: AES-128/192/256, and CAST5 and TripleDES (older BouncyCastle and GnuPG defaults).
Encryption always uses AES-256 and SEIPD v1 (never SEIPDv2/AEAD: BouncyCastle 1.50 and GnuPG 2.2 cannot read them).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from typing import Any

from cryptography.hazmat.decrepit.ciphers.algorithms import CAST5, TripleDES
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # cryptography 48 moved CFB to the decrepit modes (OpenPGP's CFB is not a modern mode).
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB

from conformance.arguments import require_bytes, require_instance, require_int, require_items
from conformance.errors import InvalidArgument, PgpDecryptionFailed, PgpIntegrityError, PgpUnsupported
from conformance.openpgp.keys import FLAG_ENCRYPT, Key
from conformance.openpgp.packets import Packet, Tag, encode_mpi, read_mpi

#: How many packets, keys or candidates the session-key functions take (a message has a handful).
MAX_ITEMS = 10_000

#: algorithm ID -> (cipher class, key bytes, block bytes)
CIPHERS: dict[int, tuple[Any, int, int]] = {
    2: (TripleDES, 24, 8),
    3: (CAST5, 16, 8),
    7: (algorithms.AES, 16, 16),
    8: (algorithms.AES, 24, 16),
    9: (algorithms.AES, 32, 16),
}
CIPHER_NAMES = {2: "3DES", 3: "CAST5", 7: "AES-128", 8: "AES-192", 9: "AES-256"}
AES_256 = 9
#: How many RSA decryptions of an encrypted session key :func:`_rsa_decrypt` remembers.
REMEMBERED_SESSION_KEYS = 4096


def _cipher(algorithm: Any) -> tuple[Any, int, int]:
    """``(cipher class, key bytes, block bytes)`` of a symmetric algorithm id. Raises :class:`PgpUnsupported` for an
    id this layer does not implement, :class:`InvalidArgument` for what is not an int."""
    if isinstance(algorithm, bool) or not isinstance(algorithm, int):
        raise InvalidArgument(f"algorithm must be a symmetric algorithm id (int), got {type(algorithm).__name__}")
    if algorithm not in CIPHERS:
        raise PgpUnsupported("the symmetric algorithm id is not one this layer implements")
    return CIPHERS[algorithm]


def _session_key(algorithm: Any, key: Any) -> bytes:
    """``key`` when it is bytes of the algorithm's key size. Raises :class:`InvalidArgument` otherwise."""
    size = _cipher(algorithm)[1]
    if len(require_bytes(key, "session_key")) != size:
        raise InvalidArgument(f"session_key must be {size} bytes for this algorithm, got {len(key)}")
    return bytes(key)


def _cfb(algorithm: int, key: bytes, data: bytes, *, encrypt: bool) -> bytes:
    cipher, _, block = _cipher(algorithm)
    key, data = _session_key(algorithm, key), require_bytes(data, "data")
    context = Cipher(cipher(key), CFB(bytes(block)))
    operation = context.encryptor() if encrypt else context.decryptor()
    return operation.update(data) + operation.finalize()


def new_session_key(algorithm: int = AES_256) -> bytes:
    """Return a fresh random session key for ``algorithm``."""
    return secrets.token_bytes(_cipher(algorithm)[1])


def encrypt_session_key(recipient: Key, algorithm: int, session_key: bytes) -> bytes:
    """Return the body of a PKESK v3 packet giving ``session_key`` to ``recipient`` (RSA, PKCS#1 v1.5).

    Raises :class:`InvalidArgument` for a recipient that is not a :class:`Key` or a session key that is not bytes of
    the algorithm's key size, :class:`PgpUnsupported` for an unknown algorithm id."""
    require_instance(recipient, "recipient", Key)
    session_key = _session_key(algorithm, session_key)
    checksum = (sum(session_key) & 0xFFFF).to_bytes(2, "big")
    encrypted = recipient.public.encrypt(bytes([algorithm]) + session_key + checksum, padding.PKCS1v15())
    return bytes([3]) + recipient.key_id + bytes([1]) + encode_mpi(int.from_bytes(encrypted))


def session_packets_for(packets: list[Packet], keys: list[Key]) -> list[tuple[Packet, Key]]:
    """The PKESK v3 packets addressed to one of ``keys`` (secret encryption keys) or to a wildcard key ID. Raises
    :class:`InvalidArgument` when ``packets`` is not a list of :class:`Packet` or ``keys`` one of :class:`Key`."""
    packets = require_items(packets, "packets", Packet, limit=MAX_ITEMS)
    keys = require_items(keys, "keys", Key, limit=MAX_ITEMS)
    found = []
    for packet in packets:
        body = packet.body
        if packet.tag != Tag.PKESK or not isinstance(body, bytes) or len(body) < 10 or body[0] != 3:
            continue
        key_id = body[1:9]
        for key in keys:
            if key.private is not None and key.can(FLAG_ENCRYPT) and key_id in (key.key_id, bytes(8)):
                found.append((packet, key))
    return found


def decrypt_session_key(candidates: list[tuple[Packet, Key]]) -> tuple[int, bytes]:
    """Return ``(cipher algorithm, session key)`` from the first candidate that decrypts to a valid one.

    Raises :class:`PgpDecryptionFailed` when none does, :class:`PgpUnsupported` for an unknown cipher,
    :class:`InvalidArgument` when ``candidates`` is not a list of ``(Packet, Key)`` pairs with secret keys (what
    :func:`session_packets_for` returns).
    """
    for pair in require_items(candidates, "candidates", tuple, limit=MAX_ITEMS):
        if len(pair) != 2 or not isinstance(pair[0], Packet) or not isinstance(pair[1], Key):
            raise InvalidArgument("candidates must hold (Packet, Key) pairs")
        if pair[1].private is None:
            raise InvalidArgument("the key of each candidate must be a secret key")
    for packet, key in candidates:
        body = packet.body
        if not isinstance(body, bytes) or len(body) < 10 or body[9] not in (1, 2):
            continue
        try:
            value, _ = read_mpi(body, 10, PgpDecryptionFailed)
        except PgpDecryptionFailed:
            continue
        assert key.private is not None
        size = (key.private.key_size + 7) // 8
        if value.bit_length() > size * 8:
            continue
        decrypted = _rsa_decrypt(key.private, value.to_bytes(size, "big"))
        if decrypted is None or len(decrypted) < 4:
            continue
        algorithm, session_key, checksum = decrypted[0], decrypted[1:-2], decrypted[-2:]
        if (sum(session_key) & 0xFFFF).to_bytes(2, "big") != checksum:
            continue
        if algorithm not in CIPHERS:
            raise PgpUnsupported(f"symmetric algorithm {algorithm} is not supported")
        if len(session_key) != CIPHERS[algorithm][1]:
            continue
        return algorithm, session_key
    raise PgpDecryptionFailed("the session key could not be decrypted")


def _prefix(algorithm: int) -> bytes:
    prefix = secrets.token_bytes(_cipher(algorithm)[2])
    return prefix + prefix[-2:]


def encrypt_seipd(algorithm: int, session_key: bytes, plain: bytes) -> bytes:
    """Return the body of a SEIPD v1 packet: random prefix, ``plain``, MDC packet, all in OpenPGP CFB."""
    session_key, plain = _session_key(algorithm, session_key), require_bytes(plain, "plain")
    clear = _prefix(algorithm) + plain + b"\xd3\x14"
    clear += hashlib.sha1(clear).digest()
    return b"\x01" + _cfb(algorithm, session_key, clear, encrypt=True)


def decrypt_seipd(algorithm: int, session_key: bytes, data: bytes) -> bytes:
    """Decrypt SEIPD v1 data (the body after its version byte), check the quick check and the MDC; return the plain.

    Raises :class:`PgpIntegrityError` when truncated, when the quick check fails or when the MDC does not match.
    """
    block = _cipher(algorithm)[2]
    clear = _cfb(algorithm, session_key, data, encrypt=False)
    if len(clear) < block + 2 + 22:
        raise PgpIntegrityError("the encrypted data is truncated")
    if clear[block - 2 : block] != clear[block : block + 2]:
        raise PgpIntegrityError("the quick check after the session key failed")
    expected = hashlib.sha1(clear[:-20]).digest()
    if clear[-22:-20] != b"\xd3\x14" or not hmac.compare_digest(clear[-20:], expected):
        raise PgpIntegrityError("the modification detection code does not match")
    return clear[block + 2 : -22]


def encrypt_sed(algorithm: int, session_key: bytes, plain: bytes) -> bytes:
    """Return the body of a tag 9 packet (no MDC, CFB resynchronised after the prefix). Only to craft test input."""
    head = _cfb(algorithm, session_key, _prefix(algorithm), encrypt=True)
    block = CIPHERS[algorithm][2]
    cipher = CIPHERS[algorithm][0]
    encryptor = Cipher(cipher(session_key), CFB(head[2 : 2 + block])).encryptor()
    return head + encryptor.update(plain) + encryptor.finalize()


def recover_session_key(key: Key, public_algorithm: int, values: list[int]) -> tuple[int, bytes]:
    """Return ``(cipher algorithm, session key)`` from a PKESK's ``values`` with ``key`` (RSA, PKCS#1 v1.5).

    Raises :class:`PgpDecryptionFailed` for anything that does not give a usable session key, as BouncyCastle
    names every failure of this step (wrong key, bad padding or checksum, unknown cipher, wrong key length);
    :class:`InvalidArgument` for a key that is not a :class:`Key`, an algorithm that is not an int or values that are
    not a list of ints.
    """
    require_instance(key, "key", Key)
    require_int(public_algorithm, "public_algorithm")
    values = require_items(values, "values", int, limit=MAX_ITEMS)
    failed = PgpDecryptionFailed("the session key could not be decrypted")
    if key.private is None or public_algorithm not in (1, 2) or len(values) != 1:
        raise failed
    size = (key.private.key_size + 7) // 8
    if values[0] < 0 or values[0].bit_length() > size * 8:
        raise failed
    decrypted = _rsa_decrypt(key.private, values[0].to_bytes(size, "big"))
    if decrypted is None:
        raise failed
    algorithm, session_key, checksum = decrypted[:1], decrypted[1:-2], decrypted[-2:]
    if len(decrypted) < 3 or (sum(session_key) & 0xFFFF).to_bytes(2, "big") != checksum:
        raise failed
    if algorithm[0] not in CIPHERS or len(session_key) != CIPHERS[algorithm[0]][1]:
        raise failed
    return algorithm[0], session_key


@lru_cache(maxsize=REMEMBERED_SESSION_KEYS)
def _rsa_decrypt(private: Any, block: bytes) -> bytes | None:
    """The PKCS#1 v1.5 decryption of ``block`` with ``private`` (None when it fails), remembered by the key object
    and the block's bytes: a campaign opens thousands of messages that keep one of a few dozen encrypted session
    keys, and the decryption is a function of both alone (the BouncyCastle helper remembers likewise)."""
    try:
        return private.decrypt(block, padding.PKCS1v15())
    except ValueError:
        return None


def decrypt_seipd_body(algorithm: int, session_key: bytes, body: Any) -> bytes:
    """Decrypt a SEIPD v1 body (after its version byte) pulled from ``body`` (the ``data`` of the
    :class:`~conformance.openpgp.reading.EncryptedList` that :func:`~conformance.openpgp.reading.read_encrypted_list`
    returns) as BouncyCastle 1.86 does, check the MDC; return the plain.

    Raises :class:`PgpDecryptionFailed` when the prefix and the MDC cannot be read (BouncyCastle fails to start
    the decryption), :class:`PgpIntegrityError` when the rest cannot be read or the MDC does not match. The quick
    check is not used (BouncyCastle 1.86 ignores it for public-key encrypted data; the MDC covers it).
    :class:`InvalidArgument` for a session key that is not bytes of the algorithm's key size or a body that is not
    such a packet body, :class:`PgpUnsupported` for an unknown algorithm id.
    """
    from conformance.openpgp.armor import ReadFailure
    from conformance.openpgp.reading import _Body

    session_key = _session_key(algorithm, session_key)
    require_instance(body, "body", _Body)
    block = _cipher(algorithm)[2]
    need = block + 2 + 22
    head, ended = b"", False
    # The decrypting stream reads chunks of up to 2048 bytes and gives out whole cipher blocks until the data ends;
    # the prefix and the 22 bytes held back for the MDC are read while the decryption starts.
    while (len(head) if ended else len(head) // block * block) < need:
        if ended:
            raise PgpDecryptionFailed("the encrypted data is too short")
        try:
            chunk = body.read_chunk(2048)
        except ReadFailure:
            raise PgpDecryptionFailed("the encrypted data cannot be read") from None
        head, ended = head + chunk, not chunk
    try:
        rest = body.read_all()
    except ReadFailure:
        raise PgpIntegrityError("the encrypted data is truncated or corrupt") from None
    clear = _cfb(algorithm, session_key, head + rest, encrypt=False)
    if not hmac.compare_digest(clear[-20:], hashlib.sha1(clear[:-20]).digest()):
        raise PgpIntegrityError("the modification detection code does not match")
    return clear[block + 2 : -22]
