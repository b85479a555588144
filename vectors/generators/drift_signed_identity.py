"""Generate drift_signed_identity.json from node ``jsonwebtoken`` (node_ref/server.mjs), through the contract.

Drift's signed identities (devdocs.drift.com "Securing Drift on Your Site with Signed Identities"): the brand's
backend signs a JWT, HS256 with the widget's signing key, whose only required claim is ``sub`` (the user id given
to ``drift.identify``), and passes it as ``userJwt``; Drift honours an expiry when the token has one.
Run: ``python -m vectors.generators.drift_signed_identity [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.vectorgen import write_files
from vectors.generators._hs256_jwt import FlowVectors, build

SPEC = FlowVectors(
    flow="drift_signed_identity",
    sign_op="drift.signed_identity.sign",
    verify_op="drift.signed_identity.verify",
    header=[
        "Drift signed identities: jwt.sign({sub: USER_ID}, SIGNING_KEY) and Drift's documented check in REQUIRED mode"
        " (HS256, sub, exp when present). In ENABLED mode a token refused here falls back to the unsigned identity"
        " (audit DRIFT-1)."
    ],
    examples=[
        ("the document's claims (sub of user 12345)", {"sub": "12345"}),
        ("the document's claims with an expiry", {"sub": "12345", "exp": 1767229200}),
    ],
    seed=20261206,
)


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for the Drift signed identity vector file."""
    return {"drift_signed_identity.json": build(SPEC).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
