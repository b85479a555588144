"""The committed TEST keys the runtime needs (BoldChat PGP interop, vectors, notebooks). Never real keys."""

from __future__ import annotations

from functools import cache

from conformance.errors import ConformanceError
from conformance.paths import pgp_keys_dir


class TestKeysMissing(ConformanceError):
    """The package's test keys are not where they should be (a broken install)."""

    reason = "TestKeysMissing"


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
