"""Where the project's non-Python parts live. Overridable by environment for installed copies."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
#: Where a built wheel keeps the golden vectors and the data beside them (setup.py copies ``vectors/`` there).
PACKAGED_VECTORS = PACKAGE_DIR / "_vectors"


def java_ref_dir() -> Path:
    return Path(os.environ.get("HANDOFF_JAVA_REF", REPO_ROOT / "java_ref"))


def _in_checkout() -> bool:
    return (REPO_ROOT / "vectors").is_dir() and (REPO_ROOT / "pyproject.toml").is_file()


def vectors_dir() -> Path:
    """``$HANDOFF_VECTORS``, else the checkout's ``vectors/``, else the vectors shipped inside the package."""
    if "HANDOFF_VECTORS" in os.environ:
        return Path(os.environ["HANDOFF_VECTORS"])
    return data_dir()


def data_dir() -> Path:
    """The project's own data: the checkout's ``vectors/``, else its copy inside the package.

    Unlike :func:`vectors_dir` this ignores ``$HANDOFF_VECTORS``: the schemas, test keys and inputs the runtime
    needs always come from the project itself.
    """
    return REPO_ROOT / "vectors" if _in_checkout() else PACKAGED_VECTORS


def schemas_dir() -> Path:
    """The vector and op-argument JSON Schemas."""
    return data_dir() / "schemas"


def pgp_keys_dir() -> Path:
    """The committed OpenPGP TEST keys (never real ones)."""
    return data_dir() / "keys" / "pgp"


def inputs_dir() -> Path:
    """Committed inputs that no generator can remake (messages sealed by randomized references)."""
    return data_dir() / "inputs"
