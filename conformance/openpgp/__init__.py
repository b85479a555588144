"""A small RFC 4880 layer on pyca/cryptography: exactly the OpenPGP the BoldChat PGP flow needs.

v4 RSA keys, PKESK v3, SEIPD v1 with MDC, compressed data, one-pass signature + literal data + v4 signature. Why not
a library: pysequoia cannot open GnuPG's default layout (encrypted -> compressed -> signed: "Unexpected message
structure") and its keys advertise SEIPDv2, which BouncyCastle 1.72 and GnuPG 2.2 cannot read; PGPy is unmaintained;
``gpg`` is one of the references this code is tested against. Owning the packets gives full control of what is
accepted and which typed :class:`~conformance.errors.PgpError` each rejection raises; messages never hold key
material or plaintext.

The public API, by module:

* :mod:`~conformance.openpgp.armor`: :func:`armor`, :func:`dearmor` (a bad CRC-24 is ignored), :func:`crc24`,
  :class:`~conformance.openpgp.armor.ArmorDecoder` (a message's bytes as BouncyCastle 1.86 reads them, on demand);
* :mod:`~conformance.openpgp.reading`: :func:`~conformance.openpgp.reading.read_encrypted_list` (a message's first
  object, read packet by packet as BouncyCastle's object factory reads it);
* :mod:`~conformance.openpgp.packets`: :class:`Tag`, :class:`Packet`, :func:`parse_packets`, :func:`encode_packet`,
  :func:`read_mpi`, :func:`encode_mpi`;
* :mod:`~conformance.openpgp.keys`: :class:`Key`, :func:`load_keys` (subkeys count once a binding verifies, SHA-1
  bindings included), :func:`encryption_key`, :func:`signing_key`, :func:`parse_key_packet`;
* :mod:`~conformance.openpgp.signatures`: :class:`Signature`, :func:`parse_signature`, :func:`verifies`,
  :func:`sign`, :class:`HashPolicy` with :data:`BOUNCYCASTLE_HASHES` (default: accepts what BouncyCastle accepts),
  :data:`STRICT_HASHES` (refuses MD5, SHA-1, RIPEMD-160) and :data:`CERTIFICATION_HASHES` (key bindings);
* :mod:`~conformance.openpgp.encryption`: PKESK and SEIPD primitives (:func:`session_packets_for`,
  :func:`decrypt_session_key`, :func:`decrypt_seipd`, :func:`encrypt_session_key`, :func:`encrypt_seipd`);
* :mod:`~conformance.openpgp.messages`: :func:`build_message` (encrypt + sign), :func:`open_message` (decrypt +
  verify), :func:`decompress`, :func:`literal_data`;
* :mod:`~conformance.openpgp.describe`: :func:`describe_message` (the packet layout a recipient sees).
"""

from __future__ import annotations

from conformance.openpgp.armor import armor, crc24, dearmor
from conformance.openpgp.describe import describe_message
from conformance.openpgp.encryption import (
    AES_256,
    CIPHER_NAMES,
    CIPHERS,
    decrypt_seipd,
    decrypt_session_key,
    encrypt_seipd,
    encrypt_session_key,
    session_packets_for,
)
from conformance.openpgp.keys import (
    FLAG_CERTIFY,
    FLAG_ENCRYPT,
    FLAG_SIGN,
    Key,
    encryption_key,
    load_keys,
    parse_key_packet,
    signing_key,
)
from conformance.openpgp.messages import (
    COMPRESSION_NAMES,
    MAX_PLAINTEXT,
    build_message,
    decompress,
    literal_data,
    open_message,
)
from conformance.openpgp.packets import Packet, Tag, encode_mpi, encode_packet, parse_packets, read_mpi
from conformance.openpgp.signatures import (
    BOUNCYCASTLE_HASHES,
    CERTIFICATION_HASHES,
    HASH_NAMES,
    STRICT_HASHES,
    HashAlgorithm,
    HashPolicy,
    Signature,
    hash_name,
    parse_signature,
    sign,
    verifies,
)

__all__ = [
    "AES_256",
    "BOUNCYCASTLE_HASHES",
    "CERTIFICATION_HASHES",
    "CIPHERS",
    "CIPHER_NAMES",
    "COMPRESSION_NAMES",
    "FLAG_CERTIFY",
    "FLAG_ENCRYPT",
    "FLAG_SIGN",
    "HASH_NAMES",
    "MAX_PLAINTEXT",
    "STRICT_HASHES",
    "HashAlgorithm",
    "HashPolicy",
    "Key",
    "Packet",
    "Signature",
    "Tag",
    "armor",
    "build_message",
    "crc24",
    "dearmor",
    "decompress",
    "decrypt_seipd",
    "decrypt_session_key",
    "describe_message",
    "encode_mpi",
    "encode_packet",
    "encrypt_seipd",
    "encrypt_session_key",
    "encryption_key",
    "hash_name",
    "literal_data",
    "load_keys",
    "open_message",
    "parse_key_packet",
    "parse_packets",
    "parse_signature",
    "read_mpi",
    "session_packets_for",
    "sign",
    "signing_key",
    "verifies",
]
