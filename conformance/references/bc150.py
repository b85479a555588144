"""BoldChat PGP ops answered by BouncyCastle 1.50 (bcpg/bcprov-jdk15on), the version of the document's sample."""

from __future__ import annotations

from conformance.references import bouncycastle

IMPLEMENTATION = "bc150"
FLAVOR = "bc150"
available = bouncycastle.make_available(FLAVOR)
OPS = bouncycastle.make_ops(FLAVOR)


def versions() -> dict[str, str]:
    return bouncycastle.versions(FLAVOR)
