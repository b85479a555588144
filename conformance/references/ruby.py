"""The Ruby reference: ``ruby_ref/server.rb``, the vendors' Ruby snippets (``OpenSSL::HMAC.hexdigest``, and
ruby-jwt's ``JWT.encode``/``JWT.decode`` for the HS256 and RS256/RS512 JWTs) behind the JSON-lines protocol (:mod:`conformance.jsonlines`).

Intercom's identity verification, Front, Help Scout and Chatwoot document the user hash in Ruby (Intercom's own
Rails gem computes it so, and signs its Messenger JWT with ruby-jwt; Debian's ``ruby-jwt`` package). One long-lived ``ruby`` process per Python process, started on first use. The script
implements op *kinds* (its hello lists them under ``"kinds"``): every catalog op of such a kind is answered by one
handler, called with the op's params. Text crosses as hex (:mod:`conformance.references.text_wire`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from conformance import paths
from conformance.errors import ConformanceError
from conformance.jsonlines import JsonLinesProcess
from conformance.kinds.jwt_allowances import empty_pem, lenient_base64, short_key
from conformance.outcome import Outcome
from conformance.references.text_wire import wire_args

#: The kinds the script must offer for the reference to count as available.
KINDS = ("hmac_hex.sign", "hmac_hex.verify", "hs256_jwt.sign", "hs256_jwt.verify", "asym_jws.sign", "asym_jws.verify")

_lock = threading.Lock()
_state: dict[str, JsonLinesProcess] = {}


def ruby_binary() -> str | None:
    """The ``ruby`` to run: ``$HANDOFF_RUBY``, else the first on ``PATH``."""
    return os.environ.get("HANDOFF_RUBY") or shutil.which("ruby")


def process() -> JsonLinesProcess:
    """The one Ruby process of this Python process, started on first use and closed at exit."""
    with _lock:
        proc = _state.get("process")
        if proc is None:
            argv = [ruby_binary() or "ruby", "-W0", str(paths.ruby_ref_script())]
            proc = _state["process"] = JsonLinesProcess(argv, name="ruby")
            atexit.register(proc.close)
        return proc


def available() -> str | None:
    """``None`` when ``ruby`` runs the script here and it offers the kinds, else the reason it cannot."""
    if ruby_binary() is None:
        return "ruby is not installed (apt-get install ruby ruby-jwt)"
    if not paths.ruby_ref_script().is_file():
        return f"the Ruby reference script is missing: {paths.shown(paths.ruby_ref_script())}"
    try:
        hello = process().start()
    except ConformanceError as exc:
        return str(exc)
    missing = sorted(set(KINDS) - set(hello.get("kinds", [])))
    return f"the Ruby script lacks the kinds {missing}" if missing else None


def versions() -> dict[str, str]:
    """The exact versions behind the answers: Ruby, its openssl gem and the OpenSSL library, json, ruby-jwt."""
    return {str(k): str(v) for k, v in process().start().get("versions", {}).items()}


def call_many(calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
    """Send a whole batch to Ruby in one round trip; one :class:`Outcome` per call, in order."""
    return process().call_many([(op, wire_args(op, args)) for op, args in calls])


#: flag -> whether ruby's answer (``reference``) beside the port's (``actual``) is that documented disagreement.
DISAGREEMENTS = {"RubyLenientBase64": lenient_base64, "RubyShortKey": short_key, "RubyEmptyPem": empty_pem}


def documented(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> str | None:
    """The flag of the documented disagreement of ruby-jwt with jsonwebtoken this is, or ``None``."""
    return next((flag for flag, matches in DISAGREEMENTS.items() if matches(args, reference, actual)), None)


__all__ = [
    "DISAGREEMENTS",
    "KINDS",
    "available",
    "call_many",
    "documented",
    "empty_pem",
    "lenient_base64",
    "process",
    "ruby_binary",
    "short_key",
    "versions",
    "wire_args",
]
