"""Where the project's non-Python parts live. Overridable by environment for installed copies."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
#: Where a built wheel keeps the golden vectors (setup.py copies them there).
PACKAGED_VECTORS = PACKAGE_DIR / "_vectors"


def java_ref_dir() -> Path:
    return Path(os.environ.get("HANDOFF_JAVA_REF", REPO_ROOT / "java_ref"))


def vectors_dir() -> Path:
    """``$HANDOFF_VECTORS``, else the checkout's ``vectors/``, else the vectors shipped inside the package."""
    if "HANDOFF_VECTORS" in os.environ:
        return Path(os.environ["HANDOFF_VECTORS"])
    checkout = REPO_ROOT / "vectors"
    if checkout.is_dir() and (REPO_ROOT / "pyproject.toml").is_file():
        return checkout
    return PACKAGED_VECTORS
