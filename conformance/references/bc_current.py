"""BoldChat PGP ops answered by the current BouncyCastle release (bcpg/bcprov-jdk18on)."""

from __future__ import annotations

from conformance.references import bouncycastle

IMPLEMENTATION = "bc-current"
FLAVOR = "bc-current"
available = bouncycastle.make_available(FLAVOR)
OPS = bouncycastle.make_ops(FLAVOR)


def versions() -> dict[str, str]:
    return bouncycastle.versions(FLAVOR)
