"""BoldChat PGP SecureParameters: encrypt to the server's key and sign with the brand's key, and the server's open.

The brand URL-form encodes its parameters, encrypts them to BoldChat's server public key, signs them with its own
private key (both RSA-2048) and passes the ASCII-armored result as ``SecureParameters``. The document's sample was
made by "BCPG v1.50" (BouncyCastle). :func:`open_secure_parameters_pgp` is what the server does with it.

The OpenPGP work is :mod:`conformance.openpgp` (a small RFC 4880 layer on pyca/cryptography). This module adds the
flow: the parameter text, which key of each armored key is used, and the server's policy:

* seal: AES-256, SEIPD v1 with MDC, the signed data ZLIB-compressed unless ``compression="off"``, a v4 SHA-256
  binary signature (one-pass form);
* open: the server key must be a recipient, the MDC must hold, a signature by the brand's key must verify.
  Signature hashes: by default what BoldChat's BouncyCastle accepts (MD5, SHA-1, RIPEMD-160 and SHA-2);
  ``strict_hashes=True`` refuses MD5, SHA-1 and RIPEMD-160 (:class:`~conformance.errors.PgpWeakHash`);
* keys: armored transferable v4 RSA keys; keys certified with SHA-1 are used as BouncyCastle and GnuPG use them;
  secret keys must be unprotected (exported with an empty passphrase).

Errors are the typed :class:`~conformance.errors.PgpError` subclasses; messages never hold key material or plaintext.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from conformance.arguments import encode_utf8, require_bool, require_bytes
from conformance.errors import InvalidArgument, NullArgument
from conformance.openpgp import (
    BOUNCYCASTLE_HASHES,
    STRICT_HASHES,
    armor,
    build_message,
    encryption_key,
    load_keys,
    open_message,
    signing_key,
)
from conformance.primitives.pgp_params import (
    COMPRESSIONS,
    Compression,
    check_compression,
    decode_plaintext,
    encoded_params,
)


def seal_bytes(
    plain: bytes,
    *,
    server_public_key: str,
    signing_private_key: str,
    compression: Compression = "default",
) -> str:
    """Encrypt and sign ``plain`` (bytes) as :func:`secure_parameters_pgp` does; return the armored message."""
    plain = require_bytes(plain, "plain")
    check_compression(compression)
    recipient = encryption_key(load_keys(server_public_key, secret=False, role="server_public_key"))
    signer = signing_key(load_keys(signing_private_key, secret=True, role="signing_private_key"))
    return armor(build_message(plain, recipient, signer, compress=compression != "off"))


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
    does not. Raises :class:`PgpKeyError` for unusable keys, :class:`InvalidArgument` for bad arguments
    (:class:`~conformance.errors.UnencodableText` for text with no UTF-8 form).
    """
    return seal_bytes(
        encode_utf8(encoded_params(params), "params"),
        server_public_key=server_public_key,
        signing_private_key=signing_private_key,
        compression=compression,
    )


def open_bytes(message: str, *, server_private_key: str, signer_public_key: str, strict_hashes: bool = False) -> bytes:
    """:func:`open_secure_parameters_pgp`, returning the literal data as bytes."""
    if message is None:
        raise NullArgument("message must not be None")
    if not isinstance(message, str):
        raise InvalidArgument(f"message must be an armored OpenPGP message (str), got {type(message).__name__}")
    require_bool(strict_hashes, "strict_hashes")
    server_keys = load_keys(server_private_key, secret=True, role="server_private_key")
    signer_keys = load_keys(signer_public_key, secret=False, role="signer_public_key")
    return open_message(message, server_keys, signer_keys, STRICT_HASHES if strict_hashes else BOUNCYCASTLE_HASHES)


def open_secure_parameters_pgp(
    message: str, *, server_private_key: str, signer_public_key: str, strict_hashes: bool = False
) -> str:
    """What the BoldChat server does: decrypt ``message`` with ``server_private_key``, check its integrity and its
    signature by ``signer_public_key``, and return the URL-form encoded parameters.

    ``strict_hashes=False`` (the default, and what the op does) accepts the signature hashes BoldChat's
    BouncyCastle accepts, MD5 and SHA-1 included; ``True`` refuses MD5, SHA-1 and RIPEMD-160 signatures.

    Raises, each distinct: :class:`PgpMalformed` (garbage), :class:`PgpNotEncrypted`, :class:`PgpWrongRecipient`,
    :class:`PgpDecryptionFailed`, :class:`PgpNoIntegrityProtection`, :class:`PgpIntegrityError` (tampered, MDC),
    :class:`PgpUnsigned`, :class:`PgpWrongSigner`, :class:`PgpBadSignature`, :class:`PgpWeakHash` (strict only),
    :class:`PgpUnsupported`; :class:`PgpKeyError` for unusable keys.
    """
    plain = open_bytes(
        message,
        server_private_key=server_private_key,
        signer_public_key=signer_public_key,
        strict_hashes=strict_hashes,
    )
    return decode_plaintext(plain)


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
    "check_compression",
    "decode_plaintext",
    "encoded_params",
    "open_bytes",
    "open_secure_parameters_pgp",
    "seal_bytes",
    "secure_parameters_pgp",
]
