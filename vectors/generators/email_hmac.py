"""Generate email_hmac.json: the email-HMAC family, one round-trip variant per vendor, each answered by the reference
in the language its documentation leads with (Front: node; Help Scout: Ruby, its Rails snippet; Crisp: Ruby;
tawk.to: node, as its page computes the hash in JavaScript; Chatwoot: Ruby, as its own verifier computes it); the
other references must agree on every vector.

Only the flow's parameters are here: the kind's families live in ``vectors/generators/_hmac_hex.py``, the ops in
the catalog. Run: ``python -m vectors.generators.email_hmac [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.vectorgen import write_files
from vectors.generators._hmac_hex import Example, Parameters, build

PARAMETERS = Parameters(
    flow="email_hmac",
    secrets={
        "front": "front-chat-identity-TEST-secret",
        "helpscout": "helpscout-beacon-secure-mode-TEST-key",
        "crisp": "crisp-identity-verification-TEST-key",
        "tawkto": "tawkto-javascript-api-TEST-key",
        "chatwoot": "chatwoot-webwidget-hmac-TEST-token",
    },
    sources={"front": "node", "helpscout": "ruby", "crisp": "ruby", "tawkto": "node", "chatwoot": "ruby"},
    header=(
        "The email-HMAC family: HMAC-SHA256(secret, one field) as lowercase hex; Front userHash and Help Scout"
        " signature over the email, Crisp's user:email signature, tawk.to's hash over the user id, Chatwoot's"
        " identifier_hash over the identifier (enforced only with hmac_mandatory).",
        "Expected outputs are what each vendor's source reference answered; the others agreed on each.",
    ),
    seed=20261204,
    examples=(
        Example("Front's snippet placeholders", "verificationSecret", message="userEmail", variants=("front",)),
        Example(
            "Help Scout's Rails snippet placeholders",
            "secret_key_from_beacon_config",
            message="user_email",
            variants=("helpscout",),
        ),
        Example(
            "Crisp's example user john@doe.name",
            "crisp-identity-verification-TEST-key",
            message="john@doe.name",
            variants=("crisp",),
        ),
        Example(
            "Chatwoot's snippet: key and message as written",
            "webwidget.hmac_token",
            message="identifier",
            variants=("chatwoot",),
        ),
        Example(
            "Chatwoot's earlier Python sample, key and message swapped",
            "identifier",
            message="webwidget.hmac_token",
            variants=("chatwoot",),
        ),
    ),
    user_id="visitor-1024",
)


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for email_hmac.json."""
    return {"email_hmac.json": build(PARAMETERS).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
