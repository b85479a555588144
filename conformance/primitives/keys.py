"""Key text as OpenSSL writes it, shared by the port and by the catalog's round trips."""

from __future__ import annotations

from typing import get_args

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

from conformance.arguments import encode_utf8, require_instance
from conformance.errors import InvalidKeyMaterial

#: The key classes of cryptography (private and public).
_KEY_TYPES = (*get_args(PrivateKeyTypes), *get_args(PublicKeyTypes))


def spki_pem(key: PublicKeyTypes | PrivateKeyTypes) -> str:
    """The public key (of a private one: its public half) as ``openssl ... -pubout`` writes it: SPKI PEM. Raises
    ``InvalidArgument`` for what is not a key of ``cryptography``."""
    require_instance(key, "key", _KEY_TYPES)
    public = key.public_key() if hasattr(key, "public_key") else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def public_pem_of_private_pem(private_pem: str) -> str:
    """``openssl ec -in private.pem -pubout``: the SPKI PEM of an unencrypted PEM private key.

    Raises :class:`InvalidKeyMaterial` for text that is not one (an encrypted one included), ``InvalidArgument``
    for what is not a ``str`` (``UnencodableText`` for a lone surrogate).
    """
    raw = encode_utf8(private_pem, "private_pem")
    try:
        key = serialization.load_pem_private_key(raw, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidKeyMaterial("private_pem is not an unencrypted PEM private key") from None
    return spki_pem(key)
