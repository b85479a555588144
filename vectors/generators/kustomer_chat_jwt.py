"""Generate kustomer_chat_jwt.json from node ``jsonwebtoken`` (node_ref/server.mjs), through the contract.

Kustomer's chat identity (developer.kustomer.com docs/chat/identity; chat-sdk v2.0-Web "Log in and
authentication"): the brand signs ``{externalId | email, iat}`` with the chat secret, HS256; Kustomer checks the
signature and that ``iat`` is under 15 minutes old; with both, the email is the identity.
Run: ``python -m vectors.generators.kustomer_chat_jwt [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.vectorgen import write_files
from vectors.generators._hs256_jwt import FlowVectors, build

SPEC = FlowVectors(
    flow="kustomer_chat_jwt",
    sign_op="kustomer.chat_jwt.sign",
    verify_op="kustomer.chat_jwt.verify",
    header=[
        "Kustomer chat identity: jwt.sign({externalId | email, iat}, CHAT_SECRET) and Kustomer's documented check"
        " (HS256, email or externalId with the email first, iat under 15 minutes old)."
    ],
    examples=[
        ("the document's externalId claims", {"externalId": "user_8412"}),
        ("the document's email claims", {"email": "customer@example.com"}),
    ],
    seed=20261205,
)


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for the Kustomer chat JWT vector file."""
    return {"kustomer_chat_jwt.json": build(SPEC).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
