"""Writing a file and reading one back (a report, a run or campaign record, a vector file), with typed errors that
name the path: never a hang on a FIFO, never a raw ``OSError``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.arguments import require_path
from conformance.errors import InvalidArgument, UsageError
from conformance.paths import kind_of

#: The largest record read back (``--baseline``, ``diff``, :func:`~conformance.report.load_record`, ``fuzz merge``).
MAX_RECORD_BYTES = 512 * 1024 * 1024


def os_reason(exc: BaseException) -> str:
    """Why an operation failed, without the value that made it fail: the OS's words, else the exception's class."""
    return (exc.strerror if isinstance(exc, OSError) else None) or type(exc).__name__


def user_path(value: Any, what: str) -> Path:
    """``value`` as a :class:`Path`. Raises :class:`UsageError` naming ``what`` for what is not a path."""
    try:
        return require_path(value, what)
    except InvalidArgument as exc:
        raise UsageError(f"{what}: {exc}") from None


def write_file(path: Any, data: bytes, what: str = "path") -> Path:
    """Write ``data`` to ``path`` (a new or regular file; its folder must exist) and return the path.

    Raises :class:`UsageError` naming ``what`` and the path: a path that is not one, a folder, a FIFO or device
    (a FIFO without a reader would block forever), a file that cannot be written (with the OS's reason).
    """
    path = user_path(path, what)
    kind = kind_of(path)
    if kind == "directory":
        raise UsageError(f"{what} {path}: is a directory; give a file name")
    if kind == "other":
        raise UsageError(f"{what} {path}: cannot be written as a file (not a regular file, a loop or too long a name)")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot be written ({os_reason(exc)})") from None
    return path


def read_text_file(path: Any, what: str = "path", limit: int = MAX_RECORD_BYTES, noun: str = "UTF-8 text file") -> str:
    """The UTF-8 text of the regular file at ``path`` (at most ``limit`` bytes). Raises :class:`UsageError` naming
    ``what`` and the path: missing, a folder, not a regular file (a FIFO would block), too large, not UTF-8."""
    path = user_path(path, what)
    kind = kind_of(path)
    if kind == "missing":
        raise UsageError(f"{what} {path}: no such file")
    if kind != "file":
        if kind == "directory":
            raise UsageError(f"{what} {path}: is a directory")
        raise UsageError(f"{what} {path}: not a readable {noun} (not a regular file, a loop or too long a name)")
    try:
        if path.stat().st_size > limit:
            raise UsageError(f"{what} {path}: larger than {limit} bytes")
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise UsageError(f"{what} {path}: not a readable {noun} ({os_reason(exc)})") from None


def read_json_file(path: Any, what: str = "path", limit: int = MAX_RECORD_BYTES) -> Any:
    """The JSON document in the file at ``path`` (:func:`read_text_file`). Raises :class:`UsageError` as it does,
    and for text that is not JSON or is nested too deeply."""
    text = read_text_file(path, what, limit, "JSON file")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{what} {path}: not a readable JSON file ({os_reason(exc)})") from None
