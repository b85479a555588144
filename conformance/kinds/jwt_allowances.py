"""Documented differences between the JWT references (DEVIATIONS.md), as campaign allowances of the JWT kinds.

ruby-jwt answers a few inputs otherwise than jsonwebtoken, PyJWT and the port. Each predicate recognizes one such
difference from the case alone: the op's arguments, the reference's answer (``reference``, here Ruby) and the
other side's (``actual``). The kinds list them in ``allowances()`` (a campaign counts them apart, by flag), and the
vector generators mark the same inputs ``acceptable`` with the same flags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.outcome import Outcome
from conformance.primitives.jwt import JWS_SHAPE


def lenient_base64(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``RubyLenientBase64`` (DEVIATIONS.md), the one way ruby-jwt answers an ``hs256_jwt.verify`` vector otherwise
    than jsonwebtoken and the port: the token holds a character outside base64url, which ruby-jwt's RFC 2045 Base64
    skips, so it refuses the token at the signature (``BadSignature`` for ``reference``, here Ruby) where the port
    (``actual``) finds no JWS (``MalformedToken``). Both refuse it. Shaped as a campaign allowance."""
    token = args.get("token") if isinstance(args, Mapping) else None
    return (
        isinstance(token, str)
        and JWS_SHAPE.fullmatch(token) is None
        and reference.status == "error"
        and reference.reason == "BadSignature"
        and actual.status == "error"
        and actual.reason == "MalformedToken"
    )


def _rsa_bits(pem: Any) -> int | None:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(str(pem).encode("utf-8"), password=None)
    except (ValueError, TypeError):
        return None
    return key.key_size if isinstance(key, rsa.RSAPrivateKey) else None


def short_key(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``RubyShortKey`` (DEVIATIONS.md): ruby-jwt has no key-size rule, so an ``asym_jws.sign`` call with an RSA key
    under 2048 bits gets what the rest of the call gives (``reference``: a token, or the claims' refusal) where
    jsonwebtoken 9 and the port (``actual``) refuse the key (``InvalidKeyMaterial``)."""
    bits = _rsa_bits(args.get("privateKeyPem")) if isinstance(args, Mapping) else None
    return (
        bits is not None
        and bits < 2048
        and reference.reason != "InvalidKeyMaterial"
        and actual.status == "error"
        and actual.reason == "InvalidKeyMaterial"
    )


def empty_pem(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``RubyEmptyPem`` (DEVIATIONS.md): an empty private key, which ``OpenSSL::PKey::RSA.new`` cannot read
    (``InvalidKeyMaterial`` for ``reference``) and jsonwebtoken and the port refuse as ``EmptyKey``."""
    return (
        isinstance(args, Mapping)
        and args.get("privateKeyPem") == ""
        and reference.status == "error"
        and reference.reason == "InvalidKeyMaterial"
        and actual.status == "error"
        and actual.reason == "EmptyKey"
    )
