"""Generate intercom_identity.json: Intercom identity verification, answered by Ruby's ``OpenSSL::HMAC.hexdigest``
(the language of Intercom's documentation and of its Rails gem); PHP, node and Python's ``hmac`` must agree.

Only the flow's parameters are here: the kind's families live in ``vectors/generators/_hmac_hex.py``, the ops in
the catalog. Run: ``python -m vectors.generators.intercom_identity [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.vectorgen import write_files
from vectors.generators._hmac_hex import Example, Parameters, build

#: One TEST secret per platform: Intercom gives web, iOS and Android each their own.
PARAMETERS = Parameters(
    flow="intercom_identity",
    secrets={
        "web": "intercom-web-identity-TEST-secret",
        "ios": "intercom-ios-identity-TEST-secret",
        "android": "intercom-android-identity-TEST-secret",
    },
    sources={"web": "ruby", "ios": "ruby", "android": "ruby"},
    header=(
        "Intercom identity verification: user_hash = OpenSSL::HMAC.hexdigest('sha256', secret, user_id_or_email),"
        " one secret per platform; the web messenger accepts either hex case, the iOS and Android SDKs lowercase only.",
        "Expected outputs are what Ruby answered; PHP hash_hmac, node createHmac and Python hmac agreed on each.",
    ),
    seed=20261203,
    examples=(
        Example("Intercom's code samples: HMAC of 'Message' under 'secret'", "secret", message="Message"),
        Example("the help article's snippet: user_id '123'", "intercom-web-identity-TEST-secret", message="123"),
        Example("an email only (no user_id)", "intercom-web-identity-TEST-secret", fallback="jane@example.com"),
    ),
    user_id="123",
)


def build_all() -> dict[str, str]:
    """Return ``{file name: text}`` for intercom_identity.json."""
    return {"intercom_identity.json": build(PARAMETERS).render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
