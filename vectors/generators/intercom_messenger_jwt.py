"""Generate intercom_messenger_jwt.json from node ``jsonwebtoken`` (node_ref/server.mjs), through the contract.

Intercom's Messenger security (intercom.com help articles 10589769 and 10807823; developers.intercom.com
installing-intercom/web/identity-verification): the brand signs ``{user_id, email?, ...attributes}`` with the
Messenger API secret, HS256, and passes it as ``intercom_user_jwt``; the brand chooses ``exp``.
Run: ``python -m vectors.generators.intercom_messenger_jwt [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.vectorgen import write_files
from vectors.generators._hs256_jwt import FlowVectors, build

SPEC = FlowVectors(
    flow="intercom_messenger_jwt",
    sign_op="intercom.messenger_jwt.sign",
    verify_op="intercom.messenger_jwt.verify",
    header=[
        "Intercom Messenger security: jwt.sign({user_id, email, ...}, MESSENGER_API_SECRET) and Intercom's documented"
        " check (HS256, user_id required, exp honoured when the brand sets it)."
    ],
    examples=[
        (
            "the document's jwt.sign({user_id, email, phone})",
            {"user_id": "123", "email": "user@example.com", "phone": "345-345-3456"},
        ),
        ("the Rails helper's JWT.encode({user_id, exp})", {"user_id": "123", "exp": 1767229200}),
    ],
    seed=20261204,
)


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for the Intercom Messenger JWT vector file."""
    return {"intercom_messenger_jwt.json": build(SPEC).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
