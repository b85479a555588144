"""The report writers' argument check: a :class:`~conformance.results.RunRecord` (files are read and written by
:mod:`conformance.files`)."""

from __future__ import annotations

from typing import Any

from conformance.results import RunRecord


def require_record(record: Any, name: str = "record") -> RunRecord:
    """``record`` when it is a :class:`RunRecord`. Raises :class:`InvalidArgument` (``NullArgument`` for ``None``)."""
    from conformance.arguments import require_instance

    return require_instance(record, name, RunRecord)  # type: ignore[no-any-return]
