"""An example adapter for the user-hash schemes (the ``hmac_hex`` kinds): one integrator's mistake per mode.

It speaks the JSON-lines protocol of ``docs/adapter-protocol.md`` and declares every catalog op of one kind (read
from the catalog, so a new vendor of the family is covered without a change here). Its "own implementation" is this
project's port, with the one mistake of its mode:

* ``accept-every-hash`` (every ``hmac_hex.verify`` op): answers ``true`` whatever hash it is shown -> ``unsafe`` on
  every flow of the family (``conformance audit --adapter`` proves each probe against it too);
* ``uppercase-hex`` (every ``hmac_hex.sign`` op): emits the hash in uppercase hex -> what each vendor's verifier
  does with it: ``equivalent`` where it ignores case (Intercom's web messenger), ``fail`` where it takes lowercase
  only (Intercom's iOS and Android SDKs, and the email-HMAC vendors' exact comparisons).

    conformance run --impl python --flow intercom_identity \\
        --adapter "mine=python examples/adapters/python/user_hash.py uppercase-hex"
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from conformance import catalog, registry

PORT = registry.shared("python")


def accept_every_hash(op: str, args: dict[str, Any]) -> dict[str, Any]:
    """``true`` for any request: the hash is never compared (a verifier that only checks one is present)."""
    return {"ok": True}


def uppercase_hex(op: str, args: dict[str, Any]) -> dict[str, Any]:
    """The port's hash, upper-cased (``.upper()``, ``strtoupper``, a hex library's default)."""
    (outcome,) = PORT.call_many([(op, args)])
    if outcome.status == "value":
        return {"ok": str(outcome.value).upper()}
    return {"error": {"reason": outcome.reason or outcome.status, "message": "refused"}}


#: mode -> (the kind whose ops it declares, its handler)
MODES: dict[str, tuple[str, Callable[[str, dict[str, Any]], dict[str, Any]]]] = {
    "accept-every-hash": ("hmac_hex.verify", accept_every_hash),
    "uppercase-hex": ("hmac_hex.sign", uppercase_hex),
}


def main(argv: list[str]) -> int:
    """Print the hello, then answer one JSON line per request until stdin ends (exit 0); a bad mode exits 2."""
    if len(argv) != 1 or argv[0] not in MODES:
        print(f"usage: user_hash.py MODE, one of: {', '.join(MODES)}", file=sys.stderr)
        return 2
    kind, handler = MODES[argv[0]]
    ops = sorted(catalog.ops_of_kinds([kind]))
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
