"""Checks made before a long run starts: output paths that can be written, a baseline that can be read."""

from __future__ import annotations

from pathlib import Path

from conformance.errors import UsageError
from conformance.files import os_reason, user_path
from conformance.paths import kind_of
from conformance.results import RunRecord


def writable(path: Path | None, option: str) -> Path | None:
    """``path`` when a report can be written there; its folder is made if missing, and the file is created and
    removed again when it did not exist (the one check that holds on read-only mounts and for root). Raises
    :class:`UsageError` saying why not."""
    if path is None:
        return None
    path = user_path(path, option)
    try:
        return _writable(path, option)
    except OSError as exc:  # a name too long, a loop of links, permissions on the way: any probe may say so
        raise UsageError(f"{option} {path}: cannot be used ({os_reason(exc)})") from None


def _writable(path: Path, option: str) -> Path:
    kind = kind_of(path)
    if kind == "directory":
        raise UsageError(f"{option} {path}: is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {path}: {existing} is not a directory")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{option} {path}: its folder cannot be made ({os_reason(exc)})") from None
    if kind == "other":  # a FIFO would block the probe (and the report) until a reader came
        raise UsageError(f"{option} {path}: cannot be used as a file (not a regular file, a loop or too long a name)")
    existed = kind == "file"
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot be written ({os_reason(exc)})") from None
    if not existed:
        path.unlink(missing_ok=True)
    return path


def readable_dir(path: Path | None, option: str) -> Path | None:
    """``path`` when it is a folder. Raises :class:`UsageError` for a file, a missing path or one that cannot be
    used (a name too long, a loop of links, a NUL)."""
    if path is None:
        return None
    path = user_path(path, option)
    kind = kind_of(path)
    if kind == "file":
        raise UsageError(f"{option} {path}: is a file; give the folder that holds the vector files")
    if kind == "missing":
        raise UsageError(f"{option} {path}: no such vectors directory")
    if kind != "directory":
        raise UsageError(f"{option} {path}: cannot be used as a folder (too long a name, a loop, not a folder)")
    return path


def load_record(path: Path, option: str = "record") -> RunRecord:
    """A run record written by ``--json``. Raises :class:`UsageError` saying what is wrong with it."""
    from conformance.report.diff import load_record as read_record

    return read_record(path, option)
