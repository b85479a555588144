"""Key text as OpenSSL writes it, shared by the port and by the catalog's round trips."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes


def spki_pem(key: PublicKeyTypes | PrivateKeyTypes) -> str:
    """The public key (of a private one: its public half) as ``openssl ... -pubout`` writes it: SPKI PEM."""
    public = key.public_key() if hasattr(key, "public_key") else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def public_pem_of_private_pem(private_pem: str) -> str:
    """``openssl ec -in private.pem -pubout``: the SPKI PEM of an unencrypted PEM private key.

    Raises ``ValueError`` / ``TypeError`` (cryptography's) for text that is not one.
    """
    return spki_pem(serialization.load_pem_private_key(private_pem.encode("utf-8"), password=None))
