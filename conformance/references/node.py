"""The node reference: ``node_ref/server.mjs`` running jsonwebtoken (Khoros widget JWT) and jose (Talkative).

One long-lived node process per Python process, started on first use and spoken to over JSON lines
(:mod:`conformance.jsonlines`). Use :func:`call_many` to batch: one round trip for many calls. The pinned
packages are installed with ``npm ci`` on first use (in an installed copy, into the user's cache:
:func:`conformance.paths.node_ref_dir`).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from conformance import paths
from conformance.errors import ReferenceUnavailable
from conformance.jsonlines import JsonLinesProcess, unwrap
from conformance.outcome import Outcome
from conformance.references.building import build, ready

PACKAGES = ("jsonwebtoken", "jose")

_lock = threading.Lock()
_process: list[JsonLinesProcess] = []


def node_ref_dir() -> Path:
    """Where ``server.mjs`` and its ``node_modules`` live (:func:`conformance.paths.node_ref_dir`)."""
    return paths.node_ref_dir()


def _installed() -> bool:
    return all((node_ref_dir() / "node_modules" / name / "package.json").is_file() for name in PACKAGES)


def ensure_installed() -> Path:
    """Run ``npm ci`` in the node reference's folder when the pinned packages are missing; return the folder.

    Raises :class:`ReferenceUnavailable` (one line) when npm is missing or the install fails.
    """
    directory = node_ref_dir()
    stamp = directory / "node_modules" / ".handoff-complete"
    if ready(stamp, _installed):
        return directory
    npm = shutil.which("npm")
    if npm is None:
        raise ReferenceUnavailable(
            f"npm is not installed: it installs {' and '.join(PACKAGES)} into {paths.shown(directory)} on first use"
        )
    command = [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]
    build("the node reference (npm ci)", directory, command, done=_installed, stamp=stamp, duration="a few seconds")
    return directory


def available() -> str | None:
    """``None`` when node and the pinned packages are there (installing them on first use); else why not."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    try:
        ensure_installed()
    except ReferenceUnavailable as exc:
        return str(exc)
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
