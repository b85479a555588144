"""Transferable v4 RSA keys (RFC 4880 sections 5.5 and 11.1): loading armored keys and choosing a key to use.

A subkey counts only once a binding signature by the primary key verifies; bindings are checked under
:data:`~conformance.openpgp.signatures.CERTIFICATION_HASHES`, so keys certified with SHA-1 (BouncyCastle 1.50-era
code, older GnuPG, ``gpg --cert-digest-algo SHA1``) keep their subkeys, as in BouncyCastle and GnuPG. Secret keys
must be unprotected (S2K usage 0), as keys exported with an empty passphrase are.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric import rsa

from conformance.arguments import require_bool, require_bytes, require_instance, require_int
from conformance.errors import InvalidArgument, NullArgument, PgpKeyError, PgpUnsupported
from conformance.openpgp.armor import dearmor
from conformance.openpgp.packets import Tag, parse_packets, read_mpi
from conformance.openpgp.signatures import (
    CERTIFICATION_HASHES,
    CERTIFICATIONS,
    DIRECT_KEY,
    SUBKEY_BINDING,
    parse_signature,
    verifies,
)

#: What ``load_keys`` takes as ``role``: the name of the key argument, said in its messages.
_ROLE = re.compile(r"[A-Za-z_][\w.\-]{0,63}", re.ASCII)
RSA_ALGORITHMS = (1, 2, 3)  # RSA encrypt-or-sign, encrypt-only, sign-only
FLAG_CERTIFY, FLAG_SIGN, FLAG_ENCRYPT = 0x01, 0x02, 0x0C


@dataclass
class Key:
    """One RSA key (primary or subkey) of a transferable key; ``private`` only for secret keys."""

    public_body: bytes
    public: rsa.RSAPublicKey
    is_primary: bool
    private: rsa.RSAPrivateKey | None = None
    flags: int | None = None
    fingerprint: bytes = field(init=False)

    def __post_init__(self) -> None:
        """Raises ``InvalidArgument`` for a public body that is not bytes of at most 65,535 (a key packet's body), a
        ``public`` that is not an RSA public key, a ``private`` that is not an RSA private key or ``None``."""
        body = require_bytes(self.public_body, "public_body")
        require_instance(self.public, "public", rsa.RSAPublicKey)
        require_bool(self.is_primary, "is_primary")
        if self.private is not None:
            require_instance(self.private, "private", rsa.RSAPrivateKey)
        if self.flags is not None:
            require_int(self.flags, "flags", minimum=0, maximum=255)
        if len(body) > 0xFFFF:
            raise InvalidArgument("public_body must be at most 65535 bytes")
        self.public_body = body
        self.fingerprint = hashlib.sha1(self.hash_prefix()).digest()

    def hash_prefix(self) -> bytes:
        """The key as hashed into its fingerprint and into key signatures (``0x99``, length, public body)."""
        return b"\x99" + len(self.public_body).to_bytes(2, "big") + self.public_body

    @property
    def key_id(self) -> bytes:
        return self.fingerprint[-8:]

    def can(self, flag: int) -> bool:
        """Whether the key may be used for ``flag`` (a key without key flags may be used for anything). Raises
        ``InvalidArgument`` for a flag that is not an int from 0 to 255."""
        require_int(flag, "flag", minimum=0, maximum=255)
        if self.flags is not None and not isinstance(self.flags, int):
            raise InvalidArgument("a Key's flags must be None or an int")
        return self.flags is None or bool(self.flags & flag)

    def __repr__(self) -> str:
        return f"Key(id={self.key_id.hex().upper()}, primary={self.is_primary}, secret={self.private is not None})"


def parse_key_packet(body: bytes, secret: bool) -> tuple[bytes, rsa.RSAPublicKey, rsa.RSAPrivateKey | None]:
    """Return ``(public part of the body, public key, private key or None)``; raise :class:`PgpKeyError`,
    ``InvalidArgument`` for a body that is not bytes."""
    body = require_bytes(body, "body")
    if not body or body[0] != 4:
        raise PgpKeyError("only version 4 keys are supported")
    if len(body) < 6:
        raise PgpKeyError("a truncated key packet")
    if body[5] not in RSA_ALGORITHMS:
        raise PgpKeyError(f"public-key algorithm {body[5]} is not RSA")
    n, offset = read_mpi(body, 6, PgpKeyError)
    e, offset = read_mpi(body, offset, PgpKeyError)
    try:
        public = rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError:
        raise PgpKeyError("an invalid RSA public key") from None
    if not secret:
        return body[:offset], public, None
    usage = body[offset] if offset < len(body) else None
    if usage != 0:
        raise PgpKeyError("the secret key is passphrase-protected; export it without a passphrase")
    start = offset + 1
    d, cursor = read_mpi(body, start, PgpKeyError)
    p, cursor = read_mpi(body, cursor, PgpKeyError)
    q, cursor = read_mpi(body, cursor, PgpKeyError)
    _, cursor = read_mpi(body, cursor, PgpKeyError)  # u = p^-1 mod q; cryptography computes its own CRT values
    if body[cursor : cursor + 2] != (sum(body[start:cursor]) & 0xFFFF).to_bytes(2, "big"):
        raise PgpKeyError("the secret key's checksum does not match")
    try:
        private = rsa.RSAPrivateNumbers(
            p,
            q,
            d,
            rsa.rsa_crt_dmp1(d, p),
            rsa.rsa_crt_dmq1(d, q),
            rsa.rsa_crt_iqmp(p, q),
            rsa.RSAPublicNumbers(e, n),
        ).private_key()
    except ValueError:
        raise PgpKeyError("an inconsistent RSA secret key") from None
    return body[:offset], public, private


def load_keys(armored: str, *, secret: bool, role: str) -> list[Key]:
    """Return the usable RSA keys of an armored transferable key, primary first.

    ``role`` names the argument in error messages (a word of up to 64 characters: letters, digits, ``_.-``). Raises :class:`NullArgument`, :class:`InvalidArgument` (not a
    ``str``) and :class:`PgpKeyError` (not a single v4 RSA key of the wanted kind, protected, malformed). A key that
    loaded once is kept (loading an RSA private key checks its primes: about 80 ms), so a server opening many
    messages with one key pays that once; the keys are never changed after loading.
    """
    if not isinstance(role, str) or not _ROLE.fullmatch(role):
        raise InvalidArgument("role must be the name of the key argument (a word of up to 64 characters)")
    require_bool(secret, "secret")
    if armored is None:
        raise NullArgument(f"{role} must not be None")
    if not isinstance(armored, str):
        raise InvalidArgument(f"{role} must be an armored OpenPGP key (str), got {type(armored).__name__}")
    return list(_load_keys(armored, secret, role))


@lru_cache(maxsize=64)
def _load_keys(armored: str, secret: bool, role: str) -> tuple[Key, ...]:
    kind, data = dearmor(armored, PgpKeyError)
    wanted = "PRIVATE KEY BLOCK" if secret else "PUBLIC KEY BLOCK"
    if kind != wanted:
        raise PgpKeyError(f"{role} must be a PGP {wanted}, got PGP {kind}")
    packets = parse_packets(data, PgpKeyError)
    primary_tag, sub_tag = (Tag.SECRET_KEY, Tag.SECRET_SUBKEY) if secret else (Tag.PUBLIC_KEY, Tag.PUBLIC_SUBKEY)
    if not packets or packets[0].tag != primary_tag:
        raise PgpKeyError(f"{role} does not start with a {'secret' if secret else 'public'} key packet")
    if any(p.tag == primary_tag for p in packets[1:]):
        raise PgpKeyError(f"{role} must hold exactly one key")
    body, public, private = parse_key_packet(packets[0].body, secret)
    primary = Key(body, public, True, private)
    keys = [primary]
    current: Key | None = None
    for packet in packets[1:]:
        if packet.tag == sub_tag:
            try:
                body, public, private = parse_key_packet(packet.body, secret)
            except PgpKeyError:
                current = None  # a subkey we cannot use (another algorithm) is skipped, not fatal
                continue
            current = Key(body, public, False, private, flags=0)  # usable only once a binding verifies
            keys.append(current)
        elif packet.tag == Tag.SIGNATURE:
            _apply_self_signature(primary, current, packet.body)
        elif packet.tag in (Tag.USER_ID, Tag.USER_ATTRIBUTE):
            current = None
    return tuple(key for key in keys if key.is_primary or key.flags)


def _apply_self_signature(primary: Key, subkey: Key | None, body: bytes) -> None:
    try:
        signature = parse_signature(body, PgpKeyError)
    except PgpUnsupported:
        return
    if primary.key_id not in signature.issuers():
        return
    if subkey is not None and signature.sig_type == SUBKEY_BINDING:
        data = primary.hash_prefix() + subkey.hash_prefix()
        try:
            if verifies(primary.public, signature, data, CERTIFICATION_HASHES):
                flags = signature.key_flags()
                subkey.flags = flags if flags is not None else 0xFF
        except PgpUnsupported:  # a binding made with a hash we refuse or cannot compute: the subkey stays unusable
            return
    elif subkey is None and signature.sig_type in (*CERTIFICATIONS, DIRECT_KEY):
        flags = signature.key_flags()
        if flags is not None:
            primary.flags = flags  # primary key flags from its (last) self-signature; not verified: trusted input


def _require_keys(keys: object) -> list[Key]:
    if not (isinstance(keys, (list, tuple)) and keys and all(isinstance(k, Key) for k in keys)):
        raise InvalidArgument("keys must be a non-empty list of Key")
    return list(keys)


def encryption_key(keys: list[Key]) -> Key:
    """The first subkey that may encrypt, else the primary key if it may; raise :class:`PgpKeyError`,
    ``InvalidArgument`` for what is not a non-empty list of :class:`Key` (what :func:`load_keys` returns)."""
    keys = _require_keys(keys)
    subkeys = [k for k in keys if not k.is_primary and k.can(FLAG_ENCRYPT)]
    if subkeys:
        return subkeys[0]
    if keys[0].can(FLAG_ENCRYPT):
        return keys[0]
    raise PgpKeyError("the server public key has no encryption key")


def signing_key(keys: list[Key]) -> Key:
    """The first key (primary first) that may sign; raise :class:`PgpKeyError`, ``InvalidArgument`` as
    :func:`encryption_key` does."""
    for key in _require_keys(keys):
        if key.can(FLAG_SIGN):
            return key
    raise PgpKeyError("the signing private key has no signing key")
