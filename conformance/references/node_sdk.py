"""The vendors' own node SDKs (``node_sdk_ref/server.mjs``): npm ``twilio`` and ``stream-chat``, one process each.

Separate from ``node_ref`` (jsonwebtoken and jose for the other flows) so each has its own lockfile. The pinned
packages (and an older release of each, for the version matrix) are installed with ``npm ci`` on first use; one
long-lived process per SDK speaks JSON lines (:mod:`conformance.jsonlines`).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable

from conformance import paths
from conformance.errors import ReferenceUnavailable
from conformance.jsonlines import JsonLinesProcess
from conformance.references.building import build, ready

PACKAGES = ("twilio", "twilio-5", "stream-chat", "stream-chat-8")
#: the server's argument for each SDK process (an older release's name ends with its major version)
SDKS = ("twilio", "twilio-5", "stream", "stream-8")

_lock = threading.Lock()
_processes: dict[str, JsonLinesProcess] = {}


def _installed() -> bool:
    directory = paths.node_sdk_ref_dir()
    return all((directory / "node_modules" / name / "package.json").is_file() for name in PACKAGES)


def ensure_installed() -> None:
    """``npm ci`` in ``node_sdk_ref`` when the pinned SDKs are missing. Raises :class:`ReferenceUnavailable`."""
    stamp = paths.node_sdk_ref_dir() / "node_modules" / ".handoff-complete"
    if ready(stamp, _installed):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ReferenceUnavailable("npm is not installed: it installs the vendors' node SDKs on first use")
    command = [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--loglevel=error"]
    build(
        "the vendors' node SDKs (npm ci)",
        paths.node_sdk_ref_dir(),
        command,
        done=_installed,
        stamp=stamp,
        duration="seconds",
    )


def available() -> str | None:
    """``None`` when node and the pinned SDKs are there (installing them on first use); else why not."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    try:
        ensure_installed()
    except ReferenceUnavailable as exc:
        return str(exc)
    return None


def process_factory(sdk: str) -> Callable[[], JsonLinesProcess]:
    """The factory of the one process of ``sdk`` (``twilio``, ``stream``, ``twilio-5``, ``stream-8``)."""
    if sdk not in SDKS:
        raise ValueError(f"unknown node SDK {sdk!r}")

    def process() -> JsonLinesProcess:
        with _lock:
            if sdk not in _processes:
                node = shutil.which("node") or "node"
                name = f"{sdk.split('-', maxsplit=1)[0]}-node" + ("" if "-" not in sdk else f"-{sdk.split('-')[1]}")
                _processes[sdk] = JsonLinesProcess([node, "server.mjs", sdk], cwd=paths.node_sdk_ref_dir(), name=name)
            return _processes[sdk]

    return process
