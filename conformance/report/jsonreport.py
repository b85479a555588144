"""The full run record as RFC 8259 JSON (no NaN or Infinity): UTF-8, sorted keys, lone surrogates kept as
``\\uXXXX`` escapes, and the gate's result and headline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conformance.errors import InvalidArgument
from conformance.files import write_file
from conformance.report._files import require_record
from conformance.results import RunRecord

_SURROGATE = re.compile("[\ud800-\udfff]")


def record_json(record: RunRecord) -> dict[str, Any]:
    """``record.to_json()`` with the gate's result: ``gate`` = ``{"passes", "headline", "failing"}`` (what CI
    scripts read instead of recomputing it; :meth:`RunRecord.from_json` ignores it). Raises :class:`InvalidArgument`
    for what is not a RunRecord."""
    from conformance.report.headline import headline

    require_record(record)
    data = record.to_json()
    data["gate"] = {
        "passes": record.gate_passes(),
        "headline": headline(record),
        "failing": sum(1 for _ in record.failing()),
    }
    return data


def dumps_record(record: RunRecord) -> str:
    """``record.to_json()`` as indented text with a stable key order (:class:`InvalidArgument` for what is not a
    RunRecord, or one whose values are not JSON).

    Text stays readable UTF-8; only lone surrogates (which UTF-8 cannot encode) become ``\\uXXXX`` escapes, so
    ``RunRecord.from_json(json.loads(text))`` gives the record back.
    """
    data = record_json(record)
    try:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise InvalidArgument("record holds values that are not JSON (NaN, bytes, objects, too deep)") from None
    # A raw surrogate can only stand inside a JSON string literal, where its escape means the same.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def write_json(record: RunRecord, path: str | Path) -> None:
    """Write the full record (metadata, implementations, summary, cases, interop, version matrix) to ``path``.
    Raises :class:`InvalidArgument` for a record that is not a RunRecord, :class:`UsageError` for a path that cannot
    be written (:func:`~conformance.files.write_file`)."""
    write_file(path, dumps_record(record).encode("utf-8"))
