"""RSA compact JWS (RS256, RS512) and RSA JWKs: the pure primitive of the ``asym_jws`` op kinds.

Writing follows node ``jsonwebtoken`` 9 (``jwt.sign(claims, privateKeyPem, {algorithm, keyid})``): the header and
payload bytes are those of :mod:`conformance.primitives.jwt` (``{alg, typ, kid}``, ``iat`` added), the signature
RSASSA-PKCS1-v1_5 over the signing input with SHA-256 or SHA-512 (deterministic), and jsonwebtoken refuses an RSA
key under 2048 bits. A JWK is read as node's ``createPublicKey({key, format: 'jwk'})`` reads an RSA one (``n``
and ``e`` in base64url), and its ``x5c`` certificate (standard base64 DER) is compared with it by modulus and
exponent. Messages never hold a key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509 import load_der_x509_certificate

from conformance.arguments import require_instance, require_mapping, require_str
from conformance.codecs import encode_base64_url_safe
from conformance.errors import BadSignature, InvalidArgument, InvalidKeyMaterial
from conformance.primitives.jwt import Decoded, JwsParts, b64_lenient, compact_hs256

#: The RSA JWS algorithms and their hashes.
HASHES: Mapping[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
#: jsonwebtoken 9 refuses to sign with a shorter RSA key (``allowInsecureKeySizes`` off).
MIN_SIGNING_BITS = 2048


def _hash(alg: str) -> hashes.HashAlgorithm:
    if alg not in HASHES:
        raise InvalidArgument(f"alg must be one of {', '.join(HASHES)}")
    return HASHES[alg]()


def private_key(pem: str) -> rsa.RSAPrivateKey:
    """The RSA private key of a PEM (PKCS#8 or PKCS#1). Raises :class:`InvalidKeyMaterial`, ``InvalidArgument`` for
    what is not a ``str``."""
    return _private_key(require_str(pem, "pem"))


@cache
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    try:
        key = load_pem_private_key(pem.encode("utf-8", "replace"), password=None)
    except (ValueError, TypeError):
        raise InvalidKeyMaterial("the private key is not a PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidKeyMaterial("the private key is not an RSA key")
    return key


def compact_rsa(header: Mapping[str, Any], payload: Mapping[str, Any], pem: str, alg: str) -> JwsParts:
    """The compact JWS of ``header`` and ``payload`` as jws writes it, signed with the RSA key ``pem``.

    Raises :class:`InvalidKeyMaterial` (not an RSA private key, or under 2048 bits), :class:`InvalidArgument`.
    """
    require_mapping(header, "header")
    require_mapping(payload, "payload")
    require_str(alg, "alg")
    key = private_key(pem)
    if key.key_size < MIN_SIGNING_BITS:
        raise InvalidKeyMaterial(f"the RSA key is under {MIN_SIGNING_BITS} bits")
    unsigned = compact_hs256(header, payload, b"")
    signature = key.sign(unsigned.signing_input.encode("ascii"), padding.PKCS1v15(), _hash(alg))
    return JwsParts(
        unsigned.header_json,
        unsigned.header_bytes,
        unsigned.payload_json,
        unsigned.payload_bytes,
        unsigned.signing_input,
        encode_base64_url_safe(signature),
    )


def _uint(text: Any, name: str) -> int:
    if not isinstance(text, str) or not text or not all(c.isalnum() or c in "-_" for c in text):
        raise InvalidKeyMaterial(f"the JWK's {name} is not base64url")
    return int.from_bytes(b64_lenient(text), "big")


@cache
def _jwk_public_key(n: str, e: str) -> rsa.RSAPublicKey:
    try:
        return rsa.RSAPublicNumbers(_uint(e, "e"), _uint(n, "n")).public_key()
    except ValueError:
        raise InvalidKeyMaterial("the JWK is not a valid RSA public key") from None


def jwk_public_key(jwk: Mapping[str, Any]) -> rsa.RSAPublicKey:
    """The RSA public key of a JWK (``kty`` RSA, ``n``, ``e``). Raises :class:`InvalidKeyMaterial`,
    ``InvalidArgument`` for a JWK that is not a mapping."""
    if require_mapping(jwk, "jwk").get("kty") != "RSA":
        raise InvalidKeyMaterial("the JWK is not an RSA key (kty)")
    return _jwk_public_key(jwk.get("n"), jwk.get("e"))  # type: ignore[arg-type]


def public_jwk(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> dict[str, str]:
    """``{kty, n, e}`` of an RSA key (what ``export({format: 'jwk'})`` gives for its public half). Raises
    ``InvalidArgument`` for what is not an RSA key."""
    require_instance(key, "key", (rsa.RSAPrivateKey, rsa.RSAPublicKey))
    numbers = key.public_key().public_numbers() if isinstance(key, rsa.RSAPrivateKey) else key.public_numbers()

    def text(value: int) -> str:
        return encode_base64_url_safe(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "n": text(numbers.n), "e": text(numbers.e)}


def certificate_matches(jwk: Mapping[str, Any]) -> bool:
    """Whether the JWK's first ``x5c`` certificate (standard base64 DER) holds the JWK's own RSA key.

    Raises :class:`InvalidKeyMaterial` when ``x5c`` is not a non-empty list whose first entry is a certificate,
    ``InvalidArgument`` for a JWK that is not a mapping.
    """
    chain = require_mapping(jwk, "jwk").get("x5c")
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise InvalidKeyMaterial("the JWK's x5c is not a list of certificates")
    try:
        certificate = load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except (ValueError, binascii.Error):
        raise InvalidKeyMaterial("the JWK's x5c[0] is not a base64 DER certificate") from None
    held = certificate.public_key()
    if not isinstance(held, rsa.RSAPublicKey):
        return False
    return held.public_numbers() == jwk_public_key(jwk).public_numbers()


def verify_rsa(decoded: Decoded, key: rsa.RSAPublicKey, alg: str) -> None:
    """Raise :class:`BadSignature` unless the token's signature is its ``alg`` RSA signature under ``key``;
    ``InvalidArgument`` for what is not a :class:`Decoded`, a key that is not an RSA public key, an unknown ``alg``."""
    require_instance(decoded, "decoded", Decoded)
    require_instance(key, "key", rsa.RSAPublicKey)
    hash_algorithm = _hash(require_str(alg, "alg"))
    try:
        signature = b64_lenient(decoded.signature)
        key.verify(signature, decoded.signing_input.encode("ascii"), padding.PKCS1v15(), hash_algorithm)
    except (InvalidSignature, ValueError, binascii.Error):
        raise BadSignature("the signature does not verify") from None


__all__ = [
    "HASHES",
    "MIN_SIGNING_BITS",
    "certificate_matches",
    "compact_rsa",
    "jwk_public_key",
    "private_key",
    "public_jwk",
    "verify_rsa",
]
