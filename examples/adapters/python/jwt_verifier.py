"""An example adapter for the JWT verifier kinds (``hs256_jwt.verify``, ``asym_jws.verify``): an integrator's
verifier that accepts every token.

It speaks the JSON-lines protocol of ``docs/adapter-protocol.md`` and declares every catalog op of those kinds
(read from the catalog, so a new JWT vendor is covered without a change here). ``accept-every-token`` reads the
claims without checking anything (``jwt.decode`` without ``verify``) -> ``unsafe`` on every JWT flow (Zendesk,
Intercom Messenger, Kustomer, Drift, Salesforce), and ``conformance audit --adapter`` proves each probe against it.

    conformance run --impl python --flow salesforce_enhanced_chat \\
        --adapter "mine=python examples/adapters/python/jwt_verifier.py accept-every-token"
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

from conformance import catalog

KINDS = ("hs256_jwt.verify", "asym_jws.verify")


def accept_every_token(op: str, args: dict[str, Any]) -> dict[str, Any]:
    """The token's payload as claims, whatever its signature, algorithm, key or times (nothing is verified)."""
    try:
        body = str(args.get("token", "")).split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (IndexError, ValueError):
        claims = {}
    return {"ok": {"claims": claims if isinstance(claims, dict) else {}, "identity": {}}}


MODES = {"accept-every-token": accept_every_token}


def main(argv: list[str]) -> int:
    """Print the hello, then answer one JSON line per request until stdin ends (exit 0); a bad mode exits 2."""
    if len(argv) != 1 or argv[0] not in MODES:
        print(f"usage: jwt_verifier.py MODE, one of: {', '.join(MODES)}", file=sys.stderr)
        return 2
    handler = MODES[argv[0]]
    ops = sorted(catalog.ops_of_kinds(KINDS))
    print(json.dumps({"hello": {"name": argv[0], "ops": ops, "versions": {"protocol": "1"}}}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") not in ops:
            reply: dict[str, Any] = {"error": "unsupported", "message": "not implemented here"}
        else:
            reply = handler(request["op"], request.get("args") or {})
        print(json.dumps({"id": request["id"], **reply}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
