"""Where the project's non-Python parts live. Overridable by environment for installed copies."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def java_ref_dir() -> Path:
    return Path(os.environ.get("HANDOFF_JAVA_REF", REPO_ROOT / "java_ref"))


def vectors_dir() -> Path:
    return Path(os.environ.get("HANDOFF_VECTORS", REPO_ROOT / "vectors"))
