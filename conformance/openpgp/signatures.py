"""Version 4 RSA signatures (RFC 4880 section 5.2): parsing, hash policies, verifying and making them.

Verification recovers the PKCS#1 v1.5 ``DigestInfo`` from the signature and compares it, whole, with the one built
from the expected digest (RFC 4880 section 5.2.2), so every hash OpenPGP defines for RSA can be checked the same way.
Which hashes are *acceptable* is a :class:`HashPolicy`:

* :data:`BOUNCYCASTLE_HASHES` (message signatures, the default): MD5, SHA-1, RIPEMD-160 and SHA-2 are all accepted,
  as BouncyCastle 1.50 and current (BoldChat's server side) accept them;
* :data:`STRICT_HASHES`: MD5, SHA-1 and RIPEMD-160 are refused with :class:`~conformance.errors.PgpWeakHash`;
* :data:`CERTIFICATION_HASHES` (self-signatures and subkey bindings): SHA-1 is accepted, since BouncyCastle 1.50-era
  code, older GnuPG and ``gpg --cert-digest-algo SHA1`` certify keys with it; MD5 is refused, as GnuPG 2.2 does.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from conformance.arguments import CheckedEnumType, require_bytes, require_instance, require_int
from conformance.errors import InvalidArgument, PgpMalformed, PgpUnsupported, PgpWeakHash
from conformance.openpgp.packets import encode_mpi, error_class, read_mpi


class HashAlgorithm(IntEnum, metaclass=CheckedEnumType):
    """Hash algorithm IDs (RFC 4880 section 9.4). ``HashAlgorithm(value)`` raises :class:`InvalidArgument` for
    another value."""

    MD5 = 1
    SHA1 = 2
    RIPEMD160 = 3
    SHA256 = 8
    SHA384 = 9
    SHA512 = 10
    SHA224 = 11


HASH_NAMES = {1: "MD5", 2: "SHA-1", 3: "RIPEMD-160", 8: "SHA-256", 9: "SHA-384", 10: "SHA-512", 11: "SHA-224"}
_HASHLIB = {1: "md5", 2: "sha1", 3: "ripemd160", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}
#: The ASN.1 DigestInfo prefix of each hash (RFC 4880 section 5.2.2).
_DIGEST_INFO = {
    1: bytes.fromhex("3020300c06082a864886f70d020505000410"),
    2: bytes.fromhex("3021300906052b0e03021a05000414"),
    3: bytes.fromhex("3021300906052b2403020105000414"),
    8: bytes.fromhex("3031300d060960864801650304020105000420"),
    9: bytes.fromhex("3041300d060960864801650304020205000430"),
    10: bytes.fromhex("3051300d060960864801650304020305000440"),
    11: bytes.fromhex("302d300d06096086480165030402040500041c"),
}
_SIGNING_HASHES: dict[int, type[hashes.HashAlgorithm]] = {
    1: hashes.MD5,
    2: hashes.SHA1,
    8: hashes.SHA256,
    9: hashes.SHA384,
    10: hashes.SHA512,
    11: hashes.SHA224,
}
BINARY, TEXT = 0x00, 0x01
SUBKEY_BINDING = 0x18
CERTIFICATIONS = (0x10, 0x11, 0x12, 0x13)
DIRECT_KEY = 0x1F


def hash_name(algorithm: int) -> str:
    """``"SHA-256"`` for 8, ``"hash 99"`` for an unknown ID (0-255). Raises ``InvalidArgument`` for another value."""
    require_int(algorithm, "algorithm", minimum=0, maximum=255)
    return HASH_NAMES.get(algorithm, f"hash {algorithm}")


@dataclass(frozen=True)
class HashPolicy:
    """The signature hash algorithms a verification refuses (:class:`PgpWeakHash`), and the reason it gives."""

    name: str
    refused: frozenset[int] = frozenset()
    why: str = ""

    def check(self, algorithm: int) -> None:
        """Return when a signature made with ``algorithm`` may be verified; raise ``PgpWeakHash``/``PgpUnsupported``,
        ``InvalidArgument`` for an algorithm outside 0-255 or a policy whose ``refused`` is not a set."""
        require_int(algorithm, "algorithm", minimum=0, maximum=255)
        if not isinstance(self.refused, (frozenset, set)):
            raise InvalidArgument("a HashPolicy's refused must be a set of hash IDs")
        if algorithm in self.refused:
            raise PgpWeakHash(
                f"the signature uses {hash_name(algorithm)}, refused by the {self.name} policy: {self.why}"
            )
        if algorithm not in _HASHLIB:
            raise PgpUnsupported(f"{hash_name(algorithm)} signatures are not supported")


BOUNCYCASTLE_HASHES = HashPolicy("BouncyCastle")
STRICT_HASHES = HashPolicy(
    "strict hash",
    frozenset({HashAlgorithm.MD5, HashAlgorithm.SHA1, HashAlgorithm.RIPEMD160}),
    "MD5 and SHA-1 have practical (chosen-prefix) collisions, so a signature over data an attacker helped to choose"
    " can be carried over to other data; RFC 9580 section 9.5 forbids validating MD5, SHA-1 and RIPEMD-160"
    " signatures",
)
CERTIFICATION_HASHES = HashPolicy(
    "key certification",
    frozenset({HashAlgorithm.MD5}),
    "MD5 key signatures are forgeable, and GnuPG 2.2 rejects them too",
)


@dataclass(frozen=True)
class Signature:
    """A parsed v4 signature packet."""

    sig_type: int
    pub_algorithm: int
    hash_algorithm: int
    hashed: bytes  # version .. hashed subpackets: the part the signature covers
    hashed_subpackets: tuple[tuple[int, bytes], ...]
    unhashed_subpackets: tuple[tuple[int, bytes], ...]
    left16: bytes
    value: int

    @staticmethod
    def _subpackets(area: Any) -> tuple[tuple[int, bytes], ...]:
        if not (isinstance(area, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in area)):
            raise InvalidArgument("a Signature's subpackets are (kind, data) pairs")
        if not all(isinstance(data, bytes) for _kind, data in area):
            raise InvalidArgument("a Signature's subpacket data are bytes")
        return area

    def issuers(self) -> set[bytes]:
        """Return the key IDs named by the issuer (16) and issuer fingerprint (33) subpackets, hashed or not. Raises
        ``InvalidArgument`` for a signature not made by :func:`parse_signature` (subpackets not pairs)."""
        found = set()
        for kind, data in (*self._subpackets(self.hashed_subpackets), *self._subpackets(self.unhashed_subpackets)):
            if kind == 16 and len(data) == 8:
                found.add(data)
            elif kind == 33 and len(data) == 21 and data[0] == 4:
                found.add(data[-8:])
        return found

    def key_flags(self) -> int | None:
        """Return the first byte of the hashed key flags subpacket (27), or ``None`` without one. Raises
        ``InvalidArgument`` as :meth:`issuers` does."""
        for kind, data in self._subpackets(self.hashed_subpackets):
            if kind == 27 and data:
                return data[0]
        return None


def _subpackets(area: bytes, error: type[Exception]) -> tuple[tuple[int, bytes], ...]:
    found, offset = [], 0
    while offset < len(area):
        first = area[offset]
        if first < 192:
            length, offset = first, offset + 1
        elif first < 255:
            if offset + 1 >= len(area):
                raise error("a signature subpacket is truncated")
            length, offset = ((first - 192) << 8) + area[offset + 1] + 192, offset + 2
        else:
            length, offset = int.from_bytes(area[offset + 1 : offset + 5], "big"), offset + 5
        if length == 0 or offset + length > len(area):
            raise error("a signature subpacket is truncated")
        found.append((area[offset] & 0x7F, area[offset + 1 : offset + length]))
        offset += length
    return tuple(found)


def parse_signature(body: bytes, error: type[Exception] = PgpMalformed) -> Signature:
    """Parse a signature packet body; raise ``error`` (a :class:`ConformanceError` class) when malformed,
    :class:`PgpUnsupported` unless version 4, ``InvalidArgument`` for a body that is not bytes."""
    body = require_bytes(body, "body")
    error = error_class(error)
    if not body:
        raise error("an empty signature packet")
    if body[0] != 4:
        raise PgpUnsupported(f"version {body[0]} signatures are not supported")
    if len(body) < 6:
        raise error("a truncated signature packet")
    hashed_length = int.from_bytes(body[4:6], "big")
    end_hashed = 6 + hashed_length
    if end_hashed + 2 > len(body):
        raise error("a truncated signature packet")
    unhashed_length = int.from_bytes(body[end_hashed : end_hashed + 2], "big")
    end_unhashed = end_hashed + 2 + unhashed_length
    if end_unhashed + 2 > len(body):
        raise error("a truncated signature packet")
    value, _ = read_mpi(body, end_unhashed + 2, error)
    return Signature(
        sig_type=body[1],
        pub_algorithm=body[2],
        hash_algorithm=body[3],
        hashed=body[:end_hashed],
        hashed_subpackets=_subpackets(body[6:end_hashed], error),
        unhashed_subpackets=_subpackets(body[end_hashed + 2 : end_unhashed], error),
        left16=body[end_unhashed : end_unhashed + 2],
        value=value,
    )


def _digest(algorithm: int, data: bytes, hashed: bytes) -> bytes:
    try:
        digest = hashlib.new(_HASHLIB[algorithm])
    except ValueError:  # RIPEMD-160 where OpenSSL does not offer it
        raise PgpUnsupported(f"{hash_name(algorithm)} is not available in this Python") from None
    digest.update(data)
    digest.update(hashed)
    digest.update(b"\x04\xff" + len(hashed).to_bytes(4, "big"))
    return digest.digest()


def verifies(public: rsa.RSAPublicKey, signature: Signature, data: bytes, policy: HashPolicy) -> bool:
    """Return whether ``signature`` is a valid RSA signature by ``public`` over ``data`` (already canonicalised).

    Raises :class:`PgpWeakHash` when ``policy`` refuses its hash, :class:`PgpUnsupported` for an unknown hash,
    ``InvalidArgument`` for arguments of other types.
    """
    require_instance(public, "public", rsa.RSAPublicKey)
    require_instance(signature, "signature", Signature)
    data = require_bytes(data, "data")
    require_instance(policy, "policy", HashPolicy)
    policy.check(signature.hash_algorithm)
    if signature.pub_algorithm not in (1, 3):
        return False
    digest = _digest(signature.hash_algorithm, data, signature.hashed)
    if digest[:2] != signature.left16:
        return False
    size = (public.key_size + 7) // 8
    if signature.value.bit_length() > size * 8:
        return False
    try:
        recovered = public.recover_data_from_signature(signature.value.to_bytes(size, "big"), padding.PKCS1v15(), None)
    except InvalidSignature:
        return False
    return hmac.compare_digest(recovered, _DIGEST_INFO[signature.hash_algorithm] + digest)


def encode_subpacket(kind: int, data: bytes) -> bytes:
    """Return a signature subpacket shorter than 191 bytes. Raises ``InvalidArgument`` for a kind outside 0-255 or
    data that is not bytes of at most 189."""
    require_int(kind, "kind", minimum=0, maximum=255)
    data = require_bytes(data, "data")
    if len(data) > 189:
        raise InvalidArgument("data must be at most 189 bytes (a one-octet subpacket length)")
    return bytes([len(data) + 1, kind]) + data


def sign(
    private: rsa.RSAPrivateKey,
    fingerprint: bytes,
    data: bytes,
    *,
    created: int,
    sig_type: int = BINARY,
    hash_algorithm: int = HashAlgorithm.SHA256,
) -> bytes:
    """Return the body of a v4 RSA signature packet over ``data``, by the key with v4 ``fingerprint``.

    Hashed subpackets: creation time and issuer fingerprint; unhashed: issuer key ID. ``hash_algorithm`` other than
    SHA-256 exists to craft test messages. Raises :class:`PgpUnsupported` for a hash it cannot sign with,
    ``InvalidArgument`` for a key that is not an RSA private key, a fingerprint that is not 20 bytes, data that is
    not bytes, ``created`` outside 0 to 2**32 - 1, ``sig_type`` or ``hash_algorithm`` outside 0-255.
    """
    require_instance(private, "private", rsa.RSAPrivateKey)
    fingerprint = require_bytes(fingerprint, "fingerprint")
    if len(fingerprint) != 20:
        raise InvalidArgument("fingerprint must be a v4 fingerprint (20 bytes)")
    data = require_bytes(data, "data")
    require_int(created, "created", minimum=0, maximum=2**32 - 1)
    require_int(sig_type, "sig_type", minimum=0, maximum=255)
    require_int(hash_algorithm, "hash_algorithm", minimum=0, maximum=255)
    if hash_algorithm not in _SIGNING_HASHES:
        raise PgpUnsupported(f"cannot sign with {hash_name(hash_algorithm)}")
    hashed_area = encode_subpacket(2, created.to_bytes(4, "big")) + encode_subpacket(33, b"\x04" + fingerprint)
    hashed = bytes([4, sig_type, 1, hash_algorithm]) + len(hashed_area).to_bytes(2, "big") + hashed_area
    digest = _digest(hash_algorithm, data, hashed)
    value = private.sign(digest, padding.PKCS1v15(), Prehashed(_SIGNING_HASHES[hash_algorithm]()))
    unhashed_area = encode_subpacket(16, fingerprint[-8:])
    return (
        hashed + len(unhashed_area).to_bytes(2, "big") + unhashed_area + digest[:2] + encode_mpi(int.from_bytes(value))
    )
