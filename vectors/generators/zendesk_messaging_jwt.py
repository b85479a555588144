"""Generate zendesk_messaging_jwt.json from node ``jsonwebtoken`` (node_ref/server.mjs), through the contract.

Zendesk's messaging authentication (support.zendesk.com article 4411666638746; developer.zendesk.com "Enabling
authenticated visitors"): the brand signs ``{scope: "user", external_id, name?, email?, email_verified?}`` with a
signing key's shared secret, HS256, the key's id as ``kid``; an account holds up to 10 keys.
Run: ``python -m vectors.generators.zendesk_messaging_jwt [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.vectorgen import write_files
from vectors.generators._hs256_jwt import FlowVectors, build

SPEC = FlowVectors(
    flow="zendesk_messaging_jwt",
    sign_op="zendesk.messaging_jwt.sign",
    verify_op="zendesk.messaging_jwt.verify",
    header=[
        "Zendesk messaging end-user authentication: jwt.sign({scope: 'user', external_id, ...}, SECRET,"
        " {header: {kid: KEY_ID}}) and Zendesk's documented check (HS256, kid among up to 10 keys, typ JWT,"
        " scope user, external_id at most 255 characters, exp when present)."
    ],
    examples=[
        ("the document's external-id-only claims", {"scope": "user", "external_id": "1234567890"}),
        (
            "the document's claims with an email identity",
            {
                "scope": "user",
                "external_id": "1234567890",
                "name": "Jane Soap",
                "email": "jane.soap@example.com",
                "email_verified": True,
            },
        ),
    ],
    seed=20261203,
)


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for the Zendesk messaging JWT vector file."""
    return {"zendesk_messaging_jwt.json": build(SPEC).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
