"""The committed TEST keys the runtime needs (BoldChat PGP interop, vectors, notebooks). Never real keys."""

from __future__ import annotations

from functools import cache

from conformance.errors import ConformanceError
from conformance.paths import pgp_keys_dir


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
