"""Checks made before a long run starts: output paths that can be written, a baseline that can be read."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conformance.errors import UsageError
from conformance.results import RunRecord


def writable(path: Path | None, option: str) -> Path | None:
    """``path`` when a report can be written there (its folder is made if missing). Raises :class:`UsageError`."""
    if path is None:
        return None
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{option} {path}: its folder cannot be made ({type(exc).__name__})") from None
    if not parent.is_dir():
        raise UsageError(f"{option} {path}: {parent} is not a folder")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{option} {path}: the file is not writable")
    if not path.exists() and not os.access(parent, os.W_OK):
        raise UsageError(f"{option} {path}: the folder {parent} is not writable")
    return path


def load_record(path: Path, option: str = "record") -> RunRecord:
    """A run record written by ``--json``. Raises :class:`UsageError` saying what is wrong with it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{option} {path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{option} {path}: is a directory") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{option} {path}: not a readable JSON file ({type(exc).__name__})") from None
    try:
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise TypeError("no cases list")
        return RunRecord.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(f"{option} {path}: not a conformance run record ({type(exc).__name__}: {exc})") from None
