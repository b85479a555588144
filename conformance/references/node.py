"""The node reference: ``node_ref/server.mjs`` running jsonwebtoken (Khoros widget JWT) and jose (Talkative).

One long-lived node process per Python process, started on first use and spoken to over JSON lines
(:mod:`conformance.references.jsonlines`). Use :func:`call_many` to batch: one round trip for many calls.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT
from conformance.references.jsonlines import JsonLinesProcess, unwrap

PACKAGES = ("jsonwebtoken", "jose")

_lock = threading.Lock()
_process: list[JsonLinesProcess] = []


def node_ref_dir() -> Path:
    return Path(os.environ.get("HANDOFF_NODE_REF", REPO_ROOT / "node_ref"))


def available() -> str | None:
    """``None`` when node and the pinned packages are installed; else why not."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    missing = [name for name in PACKAGES if not (node_ref_dir() / "node_modules" / name / "package.json").is_file()]
    if missing:
        return f"{', '.join(missing)} not installed: run `npm ci --prefix node_ref`"
    return None


def process() -> JsonLinesProcess:
    """The one node process of this Python process (started lazily, on first call)."""
    with _lock:
        if not _process:
            node = shutil.which("node") or "node"
            _process.append(JsonLinesProcess([node, "server.mjs"], cwd=node_ref_dir(), name="node"))
        return _process[0]


def call_many(calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
    """Send every call in one batch; return one outcome per call, in order."""
    return process().call_many(calls)


def call(op: str, args: Mapping[str, Any]) -> Any:
    """One call: the value, or the remote error raised as a ``RemoteError`` (reason path = the node reason)."""
    return unwrap(process().call(op, args))


def versions() -> dict[str, str]:
    """The exact versions the hello line reports: node, jsonwebtoken, jose."""
    return {key: str(value) for key, value in process().start().get("versions", {}).items()}
