"""BoldChat PGP SecureParameters: encrypt to the server's key and sign with the brand's key, and the server's open.

The brand URL-form encodes its parameters, encrypts them to BoldChat's server public key, signs them with its own
private key (both RSA-2048) and passes the ASCII-armored result as ``SecureParameters``. The document's sample was
made by "BCPG v1.50" (BouncyCastle). :func:`open_secure_parameters_pgp` is what the server does with it.

**Implementation choice: a small RFC 4880 packet layer on top of pyca/cryptography**, for exactly the packets this
flow needs (v4 RSA keys, PKESK v3, SEIPD v1 with MDC, compressed data, one-pass signature + literal + signature,
v4 signatures). Why not a library:

* pysequoia (maintained) cannot open GnuPG's default layout: its ``decrypt(..., store=...)`` rejects
  encrypted -> compressed -> signed with "Unexpected message structure"; and keys it generates advertise SEIPDv2,
  which BouncyCastle 1.72 and GnuPG 2.2 cannot read;
* PGPy is unmaintained and emits deprecation noise with current ``cryptography``;
* shelling out to ``gpg`` is ruled out: GnuPG is one of the implementations this code is tested against.

A packet layer gives full control of what is accepted and which typed error each rejection raises. What it does:

* seal: AES-256, SEIPD v1 with MDC (never SEIPDv2/AEAD: BouncyCastle 1.50 and GnuPG 2.2 cannot read them), the
  signed data ZLIB-compressed unless ``compression="off"``, a v4 SHA-256 binary signature (one-pass form);
* open: armor (a CRC-24 mismatch is ignored, as BouncyCastle does; GnuPG rejects it); marker packets skipped;
  PKESK v3 for the server key (or a wildcard key ID);
  refuses symmetrically encrypted data without MDC; checks the quick check and the MDC before parsing anything
  inside; accepts compressed (uncompressed/ZIP/ZLIB/BZip2, one level, size-capped) or bare signed data, in one-pass
  or signature-first form; requires a signature by the signer key that verifies. Ciphers accepted on open: AES-128/
  192/256, and CAST5 and TripleDES (older BouncyCastle and GnuPG defaults). Hashes: SHA-224/256/384/512; SHA-1 and
  MD5 signatures are refused (:class:`~conformance.errors.PgpUnsupported`).
* keys: transferable v4 RSA keys, armored; subkeys count only with a binding signature that verifies; secret keys
  must be unprotected (S2K usage 0), as fixtures exported with an empty passphrase are.

Errors are the typed :class:`~conformance.errors.PgpError` subclasses, each with a distinct reason; messages never
hold key material or plaintext.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import hashlib
import hmac
import re
import secrets
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.decrepit.ciphers.algorithms import CAST5, TripleDES
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # cryptography 48 moved CFB to the decrepit modes (OpenPGP's CFB is not a modern mode).
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB

from conformance.errors import (
    InvalidArgument,
    NullArgument,
    PgpBadSignature,
    PgpDecryptionFailed,
    PgpIntegrityError,
    PgpKeyError,
    PgpMalformed,
    PgpNoIntegrityProtection,
    PgpNotEncrypted,
    PgpUnsigned,
    PgpUnsupported,
    PgpWrongRecipient,
    PgpWrongSigner,
)

Compression = Literal["default", "on", "off"]
COMPRESSIONS: tuple[str, ...] = ("default", "on", "off")
#: Decompressed or literal data larger than this is refused (a compression bomb is not SecureParameters).
MAX_PLAINTEXT = 8 * 1024 * 1024

# Packet tags (RFC 4880 section 4.3).
PKESK, SIGNATURE, SKESK, ONE_PASS, SECRET_KEY, PUBLIC_KEY, SECRET_SUBKEY = 1, 2, 3, 4, 5, 6, 7
COMPRESSED, SED, MARKER, LITERAL, TRUST, USER_ID, PUBLIC_SUBKEY, USER_ATTRIBUTE, SEIPD, MDC, AEAD = (
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    17,
    18,
    19,
    20,
)
RSA_ALGORITHMS = (1, 2, 3)  # RSA encrypt-or-sign, encrypt-only, sign-only
_HASHES: dict[int, type[hashes.HashAlgorithm]] = {
    8: hashes.SHA256,
    9: hashes.SHA384,
    10: hashes.SHA512,
    11: hashes.SHA224,
}
_WEAK_HASHES = {1: "MD5", 2: "SHA-1", 3: "RIPEMD-160"}
_CIPHERS: dict[int, tuple[Any, int, int]] = {  # algorithm id -> (cipher class, key bytes, block bytes)
    2: (TripleDES, 24, 8),
    3: (CAST5, 16, 8),
    7: (algorithms.AES, 16, 16),
    8: (algorithms.AES, 24, 16),
    9: (algorithms.AES, 32, 16),
}
AES_256 = 9
SHA_256 = 8
ZLIB = 2
FLAG_CERTIFY, FLAG_SIGN, FLAG_ENCRYPT = 0x01, 0x02, 0x0C


# --- armor ----------------------------------------------------------------------------------------------------


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def armor(data: bytes, kind: str = "MESSAGE") -> str:
    """ASCII armor (RFC 4880 section 6.2): no headers, 64-character lines, CRC-24, ``\\n`` line ends."""
    body = base64.b64encode(data).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    crc = base64.b64encode(_crc24(data).to_bytes(3, "big")).decode("ascii")
    return "\n".join([f"-----BEGIN PGP {kind}-----", "", *lines, f"={crc}", f"-----END PGP {kind}-----", ""])


_ARMOR = re.compile(
    r"-----BEGIN PGP ([A-Z0-9 ,/]+)-----[ \t]*\r?\n(?P<rest>.*?)-----END PGP \1-----",
    re.DOTALL,
)


def dearmor(text: str, error: type[Exception] = PgpMalformed) -> tuple[str, bytes]:
    """Return ``(kind, bytes)`` of the first armored block in ``text``. Raises ``error`` on bad armor.

    The CRC-24 line is optional and a mismatch is not an error (as in BouncyCastle; GnuPG rejects it).
    """
    match = _ARMOR.search(text)
    if match is None:
        raise error("no OpenPGP armor found")
    kind, rest = match.group(1), match.group("rest")
    lines = rest.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines) and lines[index].strip() and ":" in lines[index]:
        index += 1  # armor headers such as "Version: BCPG v1.50"
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
    # A CRC-24 that does not match is ignored, as BouncyCastle (1.50 and current, the server side) ignores it; the
    # MDC and the signature protect the message. GnuPG 2.2 rejects it: see docs/boldchat-pgp-matrix.md.
    if not data:
        raise error("the armor holds no data")
    return kind, data


# --- packets ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Packet:
    tag: int
    body: bytes


def parse_packets(data: bytes, error: type[Exception] = PgpMalformed) -> list[Packet]:
    """Split ``data`` into packets: old and new headers, partial and indeterminate lengths. Raises ``error``."""
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
    """A new-format packet with a definite length."""
    n = len(body)
    if n < 192:
        length = bytes([n])
    elif n < 8384:
        n -= 192
        length = bytes([(n >> 8) + 192, n & 0xFF])
    else:
        length = b"\xff" + n.to_bytes(4, "big")
    return bytes([0xC0 | tag]) + length + body


def _read_mpi(body: bytes, offset: int, error: type[Exception]) -> tuple[int, int]:
    if offset + 2 > len(body):
        raise error("a multiprecision integer runs past the end of its packet")
    bits = int.from_bytes(body[offset : offset + 2], "big")
    end = offset + 2 + (bits + 7) // 8
    if end > len(body):
        raise error("a multiprecision integer runs past the end of its packet")
    return int.from_bytes(body[offset + 2 : end], "big"), end


def _mpi(value: int) -> bytes:
    return value.bit_length().to_bytes(2, "big") + value.to_bytes((value.bit_length() + 7) // 8, "big")


# --- signatures -------------------------------------------------------------------------------------------------


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

    def issuers(self) -> set[bytes]:
        """Key IDs named by the issuer (16) and issuer fingerprint (33) subpackets, hashed or not."""
        found = set()
        for kind, data in (*self.hashed_subpackets, *self.unhashed_subpackets):
            if kind == 16 and len(data) == 8:
                found.add(data)
            elif kind == 33 and len(data) == 21 and data[0] == 4:
                found.add(data[-8:])
        return found

    def key_flags(self) -> int | None:
        for kind, data in self.hashed_subpackets:
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
    """Parse a v4 signature packet body. Other versions raise :class:`PgpUnsupported`."""
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
    value, _ = _read_mpi(body, end_unhashed + 2, error)
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


def _hash_class(algorithm: int) -> type[hashes.HashAlgorithm]:
    if algorithm in _WEAK_HASHES:
        raise PgpUnsupported(f"{_WEAK_HASHES[algorithm]} signatures are refused")
    found = _HASHES.get(algorithm)
    if found is None:
        raise PgpUnsupported(f"hash algorithm {algorithm} is not supported")
    return found


def _signed_digest(signature: Signature, data: bytes) -> bytes:
    digest = hashes.Hash(_hash_class(signature.hash_algorithm)())
    digest.update(data)
    digest.update(signature.hashed)
    digest.update(b"\x04\xff" + len(signature.hashed).to_bytes(4, "big"))
    return digest.finalize()


def _rsa_verifies(public: rsa.RSAPublicKey, signature: Signature, data: bytes) -> bool:
    if signature.pub_algorithm not in (1, 3):
        return False
    digest = _signed_digest(signature, data)
    if digest[:2] != signature.left16:
        return False
    size = (public.key_size + 7) // 8
    if signature.value.bit_length() > size * 8:
        return False
    try:
        public.verify(
            signature.value.to_bytes(size, "big"),
            digest,
            padding.PKCS1v15(),
            Prehashed(_hash_class(signature.hash_algorithm)()),
        )
    except InvalidSignature:
        return False
    return True


def _subpacket(kind: int, data: bytes) -> bytes:
    return bytes([len(data) + 1, kind]) + data


# --- keys -------------------------------------------------------------------------------------------------------


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
        self.fingerprint = hashlib.sha1(self._hash_prefix()).digest()

    def _hash_prefix(self) -> bytes:
        return b"\x99" + len(self.public_body).to_bytes(2, "big") + self.public_body

    @property
    def key_id(self) -> bytes:
        return self.fingerprint[-8:]

    def can(self, flag: int) -> bool:
        return self.flags is None or bool(self.flags & flag)

    def __repr__(self) -> str:
        return f"Key(id={self.key_id.hex().upper()}, primary={self.is_primary}, secret={self.private is not None})"


def _parse_key_packet(body: bytes, secret: bool) -> tuple[bytes, rsa.RSAPublicKey, rsa.RSAPrivateKey | None]:
    if not body or body[0] != 4:
        raise PgpKeyError("only version 4 keys are supported")
    if len(body) < 6:
        raise PgpKeyError("a truncated key packet")
    if body[5] not in RSA_ALGORITHMS:
        raise PgpKeyError(f"public-key algorithm {body[5]} is not RSA")
    n, offset = _read_mpi(body, 6, PgpKeyError)
    e, offset = _read_mpi(body, offset, PgpKeyError)
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
    d, cursor = _read_mpi(body, start, PgpKeyError)
    p, cursor = _read_mpi(body, cursor, PgpKeyError)
    q, cursor = _read_mpi(body, cursor, PgpKeyError)
    _, cursor = _read_mpi(body, cursor, PgpKeyError)  # u = p^-1 mod q; cryptography computes its own CRT values
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
    """The usable RSA keys of an armored transferable key (primary first). Raises :class:`PgpKeyError`."""
    if armored is None:
        raise NullArgument(f"{role} must not be None")
    if not isinstance(armored, str):
        raise InvalidArgument(f"{role} must be an armored OpenPGP key (str), got {type(armored).__name__}")
    kind, data = dearmor(armored, PgpKeyError)
    wanted = "PRIVATE KEY BLOCK" if secret else "PUBLIC KEY BLOCK"
    if kind != wanted:
        raise PgpKeyError(f"{role} must be a PGP {wanted}, got PGP {kind}")
    packets = parse_packets(data, PgpKeyError)
    primary_tag, sub_tag = (SECRET_KEY, SECRET_SUBKEY) if secret else (PUBLIC_KEY, PUBLIC_SUBKEY)
    if not packets or packets[0].tag != primary_tag:
        raise PgpKeyError(f"{role} does not start with a {'secret' if secret else 'public'} key packet")
    if any(p.tag == primary_tag for p in packets[1:]):
        raise PgpKeyError(f"{role} must hold exactly one key")
    body, public, private = _parse_key_packet(packets[0].body, secret)
    primary = Key(body, public, True, private)
    keys = [primary]
    current: Key | None = None
    for packet in packets[1:]:
        if packet.tag == sub_tag:
            try:
                body, public, private = _parse_key_packet(packet.body, secret)
            except PgpKeyError:
                current = None  # a subkey we cannot use (another algorithm) is skipped, not fatal
                continue
            current = Key(body, public, False, private, flags=0)  # usable only once a binding verifies
            keys.append(current)
        elif packet.tag == SIGNATURE:
            _apply_self_signature(primary, current, packet.body)
        elif packet.tag in (USER_ID, USER_ATTRIBUTE):
            current = None
    return [key for key in keys if key.is_primary or key.flags]


def _apply_self_signature(primary: Key, subkey: Key | None, body: bytes) -> None:
    try:
        signature = parse_signature(body, PgpKeyError)
    except PgpUnsupported:
        return
    if primary.key_id not in signature.issuers():
        return
    if subkey is not None and signature.sig_type == 0x18:
        data = primary._hash_prefix() + subkey._hash_prefix()
        try:
            if _rsa_verifies(primary.public, signature, data):
                subkey.flags = signature.key_flags() if signature.key_flags() is not None else 0xFF
        except PgpUnsupported:
            return
    elif subkey is None and signature.sig_type in (0x10, 0x11, 0x12, 0x13, 0x1F):
        flags = signature.key_flags()
        if flags is not None:
            primary.flags = flags  # primary key flags from its (last) self-signature; not verified: trusted input


def _encryption_key(keys: list[Key]) -> Key:
    subkeys = [k for k in keys if not k.is_primary and k.can(FLAG_ENCRYPT)]
    if subkeys:
        return subkeys[0]
    if keys[0].can(FLAG_ENCRYPT):
        return keys[0]
    raise PgpKeyError("the server public key has no encryption key")


def _signing_key(keys: list[Key]) -> Key:
    for key in keys:
        if key.can(FLAG_SIGN):
            return key
    raise PgpKeyError("the signing private key has no signing key")


# --- seal -------------------------------------------------------------------------------------------------------


def _encoded_params(params: Any) -> str:
    if params is None:
        raise NullArgument("params must not be None")
    if isinstance(params, str):
        return params
    try:
        from conformance.vendors.boldchat import encode_parameters
    except ImportError:  # the parameters module is not there: only already-encoded text is accepted
        raise InvalidArgument("params must be an already URL-form encoded str") from None
    if isinstance(params, (Mapping, list, tuple)):
        return encode_parameters(params)
    raise InvalidArgument(f"params must be str, a mapping or pairs, got {type(params).__name__}")


def _cfb_encrypt(algorithm: int, key: bytes, data: bytes) -> bytes:
    cipher, _, block = _CIPHERS[algorithm]
    encryptor = Cipher(cipher(key), CFB(bytes(block))).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _cfb_decrypt(algorithm: int, key: bytes, data: bytes) -> bytes:
    cipher, _, block = _CIPHERS[algorithm]
    decryptor = Cipher(cipher(key), CFB(bytes(block))).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def seal_bytes(
    plain: bytes,
    *,
    server_public_key: str,
    signing_private_key: str,
    compression: Compression = "default",
) -> str:
    """Encrypt and sign ``plain`` (bytes) as :func:`secure_parameters_pgp` does; return the armored message."""
    if compression not in COMPRESSIONS:
        raise InvalidArgument("compression must be default, on or off")
    recipient = _encryption_key(load_keys(server_public_key, secret=False, role="server_public_key"))
    signer = _signing_key(load_keys(signing_private_key, secret=True, role="signing_private_key"))
    return armor(_assemble(plain, recipient, signer, compress=compression != "off"))


def _assemble(
    plain: bytes,
    recipient: Key,
    signer: Key | None,
    *,
    compress: bool,
    signed_data: bytes | None = None,
    integrity: bool = True,
) -> bytes:
    """The binary message. ``signer=None`` (unsigned), ``signed_data`` (a signature over other bytes) and
    ``integrity=False`` (tag 9 without MDC) exist only so the vector generator can craft invalid messages."""
    now = int(time.time()).to_bytes(4, "big")
    literal = encode_packet(LITERAL, b"b\x00" + now + plain)
    if signer is None:
        signed = literal
    else:
        assert signer.private is not None
        hashed_area = _subpacket(2, now) + _subpacket(33, b"\x04" + signer.fingerprint)
        hashed = bytes([4, 0x00, 1, SHA_256]) + len(hashed_area).to_bytes(2, "big") + hashed_area
        covered = plain if signed_data is None else signed_data
        digest = hashlib.sha256(covered + hashed + b"\x04\xff" + len(hashed).to_bytes(4, "big")).digest()
        value = signer.private.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
        unhashed_area = _subpacket(16, signer.key_id)
        signature = (
            hashed + len(unhashed_area).to_bytes(2, "big") + unhashed_area + digest[:2] + _mpi(int.from_bytes(value))
        )
        signed = (
            encode_packet(ONE_PASS, bytes([3, 0x00, SHA_256, 1]) + signer.key_id + b"\x01")
            + literal
            + encode_packet(SIGNATURE, signature)
        )
    if compress:
        compressor = zlib.compressobj(6, zlib.DEFLATED, 15)
        signed = encode_packet(COMPRESSED, bytes([ZLIB]) + compressor.compress(signed) + compressor.flush())

    session_key = secrets.token_bytes(32)
    checksum = (sum(session_key) & 0xFFFF).to_bytes(2, "big")
    encrypted_key = recipient.public.encrypt(bytes([AES_256]) + session_key + checksum, padding.PKCS1v15())
    pkesk = bytes([3]) + recipient.key_id + bytes([1]) + _mpi(int.from_bytes(encrypted_key))
    prefix = secrets.token_bytes(16)
    prefix += prefix[-2:]
    if not integrity:  # tag 9: OpenPGP CFB with the resynchronisation after the prefix
        head = _cfb_encrypt(AES_256, session_key, prefix)
        cipher = Cipher(algorithms.AES(session_key), CFB(head[2:18])).encryptor()
        body = head + cipher.update(signed) + cipher.finalize()
        return encode_packet(PKESK, pkesk) + encode_packet(SED, body)
    clear = prefix + signed + b"\xd3\x14"
    clear += hashlib.sha1(clear).digest()
    seipd = b"\x01" + _cfb_encrypt(AES_256, session_key, clear)
    return encode_packet(PKESK, pkesk) + encode_packet(SEIPD, seipd)


def secure_parameters_pgp(
    params: str | Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    server_public_key: str,
    signing_private_key: str,
    compression: Compression = "default",
) -> str:
    """``SecureParameters`` for the PGP method: the URL-form encoded ``params`` (a ``str`` is taken as already
    encoded), encrypted to ``server_public_key`` and signed with ``signing_private_key`` (armored v4 RSA keys).

    Returns the ASCII-armored message. ``compression``: ``default``/``on`` ZLIB-compress the signed data, ``off``
    does not. Raises :class:`PgpKeyError` for unusable keys, :class:`InvalidArgument` for bad arguments.
    """
    return seal_bytes(
        _encoded_params(params).encode("utf-8"),
        server_public_key=server_public_key,
        signing_private_key=signing_private_key,
        compression=compression,
    )


# --- open -------------------------------------------------------------------------------------------------------


def open_bytes(message: str, *, server_private_key: str, signer_public_key: str) -> bytes:
    """:func:`open_secure_parameters_pgp`, returning the literal data as bytes."""
    if message is None:
        raise NullArgument("message must not be None")
    if not isinstance(message, str):
        raise InvalidArgument(f"message must be an armored OpenPGP message (str), got {type(message).__name__}")
    server_keys = load_keys(server_private_key, secret=True, role="server_private_key")
    signer_keys = load_keys(signer_public_key, secret=False, role="signer_public_key")
    _, data = dearmor(message)
    packets = [p for p in parse_packets(data) if p.tag != MARKER]
    if not packets:
        raise PgpMalformed("the message holds no packets")
    if packets[0].tag in (COMPRESSED, LITERAL, ONE_PASS, SIGNATURE):
        raise PgpNotEncrypted("the message is not encrypted")
    index = 0
    session_packets = []
    while index < len(packets) and packets[index].tag in (PKESK, SKESK):
        session_packets.append(packets[index])
        index += 1
    if index != len(packets) - 1 or packets[index].tag not in (SED, SEIPD, AEAD):
        raise PgpMalformed("not an encrypted OpenPGP message")
    encrypted = packets[index]
    candidates = _our_session_packets(session_packets, server_keys)
    if not candidates:
        raise PgpWrongRecipient("the message is not encrypted to the server key")
    if encrypted.tag == SED:
        raise PgpNoIntegrityProtection("the message has no integrity protection (no MDC)")
    if encrypted.tag == AEAD or encrypted.body[:1] != b"\x01":
        raise PgpUnsupported("only SEIPD version 1 encrypted data is supported")
    algorithm, session_key = _decrypt_session_key(candidates)
    inner = _decrypt_seipd(algorithm, session_key, encrypted.body[1:])
    return _verified_literal(inner, signer_keys)


def open_secure_parameters_pgp(message: str, *, server_private_key: str, signer_public_key: str) -> str:
    """What the BoldChat server does: decrypt ``message`` with ``server_private_key``, check its integrity and its
    signature by ``signer_public_key``, and return the URL-form encoded parameters.

    Raises, each distinct: :class:`PgpMalformed` (garbage), :class:`PgpNotEncrypted`, :class:`PgpWrongRecipient`,
    :class:`PgpDecryptionFailed`, :class:`PgpNoIntegrityProtection`, :class:`PgpIntegrityError` (tampered, MDC),
    :class:`PgpUnsigned`, :class:`PgpWrongSigner`, :class:`PgpBadSignature`, :class:`PgpUnsupported`;
    :class:`PgpKeyError` for unusable keys.
    """
    plain = open_bytes(message, server_private_key=server_private_key, signer_public_key=signer_public_key)
    return decode_plaintext(plain)


def decode_plaintext(plain: bytes) -> str:
    """The opened literal data as text (strict UTF-8), shared with the references so all decode alike."""
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise PgpMalformed("the signed data is not UTF-8 text") from None


def _our_session_packets(packets: list[Packet], keys: list[Key]) -> list[tuple[Packet, Key]]:
    found = []
    for packet in packets:
        body = packet.body
        if packet.tag != PKESK or len(body) < 10 or body[0] != 3:
            continue
        key_id = body[1:9]
        for key in keys:
            if key.private is not None and key.can(FLAG_ENCRYPT) and key_id in (key.key_id, bytes(8)):
                found.append((packet, key))
    return found


def _decrypt_session_key(candidates: list[tuple[Packet, Key]]) -> tuple[int, bytes]:
    for packet, key in candidates:
        body = packet.body
        if body[9] not in (1, 2):
            continue
        try:
            value, _ = _read_mpi(body, 10, PgpDecryptionFailed)
        except PgpDecryptionFailed:
            continue
        assert key.private is not None
        size = (key.private.key_size + 7) // 8
        if value.bit_length() > size * 8:
            continue
        try:
            decrypted = key.private.decrypt(value.to_bytes(size, "big"), padding.PKCS1v15())
        except ValueError:
            continue
        if len(decrypted) < 4:
            continue
        algorithm, session_key, checksum = decrypted[0], decrypted[1:-2], decrypted[-2:]
        if (sum(session_key) & 0xFFFF).to_bytes(2, "big") != checksum:
            continue
        if algorithm not in _CIPHERS:
            raise PgpUnsupported(f"symmetric algorithm {algorithm} is not supported")
        if len(session_key) != _CIPHERS[algorithm][1]:
            continue
        return algorithm, session_key
    raise PgpDecryptionFailed("the session key could not be decrypted")


def _decrypt_seipd(algorithm: int, session_key: bytes, data: bytes) -> bytes:
    block = _CIPHERS[algorithm][2]
    clear = _cfb_decrypt(algorithm, session_key, data)
    if len(clear) < block + 2 + 22:
        raise PgpIntegrityError("the encrypted data is truncated")
    if clear[block - 2 : block] != clear[block : block + 2]:
        raise PgpIntegrityError("the quick check after the session key failed")
    expected = hashlib.sha1(clear[:-20]).digest()
    if clear[-22:-20] != b"\xd3\x14" or not hmac.compare_digest(clear[-20:], expected):
        raise PgpIntegrityError("the modification detection code does not match")
    return clear[block + 2 : -22]


def _decompress(body: bytes) -> bytes:
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


def _literal_data(body: bytes) -> bytes:
    if len(body) < 6:
        raise PgpMalformed("a truncated literal data packet")
    name_length = body[1]
    start = 2 + name_length + 4
    if start > len(body):
        raise PgpMalformed("a truncated literal data packet")
    return body[start:]


def _verified_literal(inner: bytes, signer_keys: list[Key]) -> bytes:
    packets = parse_packets(inner)
    if len(packets) == 1 and packets[0].tag == COMPRESSED:
        packets = parse_packets(_decompress(packets[0].body))
        if any(p.tag == COMPRESSED for p in packets):
            raise PgpMalformed("nested compressed data")
    tags = [p.tag for p in packets]
    literal_at = tags.index(LITERAL) if tags.count(LITERAL) == 1 else -1
    if literal_at < 0:
        raise PgpMalformed("no single literal data packet inside the encrypted message")
    before, after = packets[:literal_at], packets[literal_at + 1 :]
    plain = _literal_data(packets[literal_at].body)
    if len(plain) > MAX_PLAINTEXT:
        raise PgpMalformed("the literal data is too large")
    if not before and not after:
        raise PgpUnsigned("the message is not signed")
    if before and all(p.tag == ONE_PASS for p in before) and after and all(p.tag == SIGNATURE for p in after):
        if len(before) != len(after):
            raise PgpMalformed("one-pass signatures and signatures do not pair up")
        signature_packets = after
    elif before and all(p.tag == SIGNATURE for p in before) and not after:
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
    for signature, key in ours:
        if signature.sig_type not in (0x00, 0x01):
            continue
        data = plain if signature.sig_type == 0x00 else _canonical_text(plain)
        if _rsa_verifies(key.public, signature, data):
            return plain
    raise PgpBadSignature("the signature does not verify")


def _canonical_text(data: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", data)


# --- the op vocabulary ------------------------------------------------------------------------------------------


def _op_seal(args: Mapping[str, Any]) -> str:
    return secure_parameters_pgp(
        args["params"],
        server_public_key=args["serverPublicKey"],
        signing_private_key=args["signingPrivateKey"],
        compression=args.get("compression", "default"),
    )


def _op_open(args: Mapping[str, Any]) -> str:
    return open_secure_parameters_pgp(
        args["message"],
        server_private_key=args["serverPrivateKey"],
        signer_public_key=args["signerPublicKey"],
    )


OPS = {"boldchat.pgp.seal": _op_seal, "boldchat.pgp.open": _op_open}

__all__ = [
    "COMPRESSIONS",
    "OPS",
    "decode_plaintext",
    "open_secure_parameters_pgp",
    "secure_parameters_pgp",
]
