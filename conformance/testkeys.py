"""The committed TEST keys the runtime needs (BoldChat PGP interop, vectors, notebooks). Never real keys."""

from __future__ import annotations

from functools import cache

from conformance.errors import ConformanceError
from conformance.paths import pgp_keys_dir, rsa_keys_dir


class TestKeysMissing(ConformanceError):
    """The package's test keys are not where they should be (a broken install)."""

    reason = "TestKeysMissing"


#: The four keys of a PGP key set: the server's (encrypt to it) and the brand's (sign with it).
PGP_KEY_SET_ROLES = ("server.pub", "server.sec", "brand.pub", "brand.sec")
#: The key set in the top folder of ``vectors/keys/pgp`` (GnuPG 2.2.40 defaults: SHA-512 certifications).
DEFAULT_PGP_KEY_SET = "gnupg-sha512"


@cache
def pgp_test_keys() -> dict[str, str]:
    """``{"server.pub", "server.sec", "brand.pub", "brand.sec", "other.pub", ...}`` -> armored text.

    Raises :class:`TestKeysMissing` when the key folder is absent.
    """
    directory = pgp_keys_dir()
    keys = {path.name.removesuffix(".asc"): path.read_text(encoding="ascii") for path in directory.glob("*.asc")}
    if "server.pub" not in keys:
        raise TestKeysMissing(f"no OpenPGP test keys in {directory}")
    return keys


@cache
def _pgp_key_sets() -> dict[str, dict[str, str]]:
    sets = {DEFAULT_PGP_KEY_SET: {role: pgp_test_keys()[role] for role in PGP_KEY_SET_ROLES}}
    for folder in sorted(p for p in pgp_keys_dir().iterdir() if p.is_dir()):
        paths = {role: folder / f"{role}.asc" for role in PGP_KEY_SET_ROLES}
        missing = [role for role, path in paths.items() if not path.is_file()]
        if missing:
            raise TestKeysMissing(f"the PGP key set {folder.name} lacks {', '.join(missing)}")
        sets[folder.name] = {role: path.read_text(encoding="ascii") for role, path in paths.items()}
    return sets


def pgp_key_sets() -> dict[str, dict[str, str]]:
    """Every named TEST key set: name -> ``{"server.pub", "server.sec", "brand.pub", "brand.sec"}`` -> armored text.

    ``gnupg-sha512`` (first) is the top folder's keys; each sub-folder of ``vectors/keys/pgp`` is one more set,
    named after it: ``bc150-sha1`` (BouncyCastle 1.50, SHA-1 certifications) and ``gnupg-sha1`` (GnuPG with
    ``--cert-digest-algo SHA1``). See ``vectors/keys/pgp/README.md``. Raises :class:`TestKeysMissing` when a set
    lacks a key.
    """
    return {name: dict(keys) for name, keys in _pgp_key_sets().items()}


#: The RSA TEST keys of ``vectors/keys/rsa`` (see its README).
RSA_KEYS = ("brand-a", "brand-b", "short-1024")


@cache
def rsa_test_keys() -> dict[str, str]:
    """``{"brand-a", "brand-b", "short-1024"}`` -> PKCS#8 PEM text. Raises :class:`TestKeysMissing`."""
    directory = rsa_keys_dir()
    keys = {name: directory / f"{name}.pem" for name in RSA_KEYS}
    missing = [name for name, path in keys.items() if not path.is_file()]
    if missing:
        raise TestKeysMissing(f"no RSA test keys {', '.join(missing)} in {directory}")
    return {name: path.read_text(encoding="ascii") for name, path in keys.items()}


@cache
def rsa_test_certificate(name: str) -> str:
    """The self-signed X.509 certificate of RSA test key ``name`` as an ``x5c`` entry (standard base64 DER): fixed
    subject ``CN=TEST <name>``, serial and validity (2025-01-01 to 2036-01-01), SHA-256; the same bytes every run.
    """
    import base64
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    from conformance.primitives.rsa_jws import private_key

    key = private_key(rsa_test_keys()[name])
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"TEST {name}")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(20261203 + RSA_KEYS.index(name))
        .not_valid_before(datetime(2025, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2036, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(Encoding.DER)).decode("ascii")


def rsa_test_jwk(name: str, kid: str, alg: str = "RS256", certificate: str | None = None) -> dict[str, object]:
    """The JWK Salesforce's upload takes for RSA test key ``name``: ``kid, alg, use, kty, n, e, x5c`` (``x5c`` the
    key's own certificate unless ``certificate`` names another test key's)."""
    from conformance.primitives.rsa_jws import private_key, public_jwk

    jwk = public_jwk(private_key(rsa_test_keys()[name]))
    return {"kid": kid, "alg": alg, "use": "sig", **jwk, "x5c": [rsa_test_certificate(certificate or name)]}
