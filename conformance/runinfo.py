"""What every record says about how it was made: when, from which commit, on which host."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from typing import Any

from conformance.paths import REPO_ROOT


def commit() -> str:
    """The checkout's commit, or ``unknown`` (an installed copy, no git)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"


def run_metadata() -> dict[str, Any]:
    """``timestamp`` (UTC, seconds), ``commit`` and ``host`` (Python, platform, CPUs) for a record's metadata."""
    return {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "host": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
    }
