"""The full run record as RFC 8259 JSON (no NaN or Infinity): UTF-8, sorted keys, lone surrogates kept as
``\\uXXXX`` escapes, and the gate's result and headline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conformance.results import RunRecord

_SURROGATE = re.compile("[\ud800-\udfff]")


def record_json(record: RunRecord) -> dict[str, Any]:
    """``record.to_json()`` with the gate's result: ``gate`` = ``{"passes", "headline", "failing"}`` (what CI
    scripts read instead of recomputing it; :meth:`RunRecord.from_json` ignores it)."""
    from conformance.report.headline import headline

    data = record.to_json()
    data["gate"] = {
        "passes": record.gate_passes(),
        "headline": headline(record),
        "failing": sum(1 for _ in record.failing()),
    }
    return data


def dumps_record(record: RunRecord) -> str:
    """``record.to_json()`` as indented text with a stable key order.

    Text stays readable UTF-8; only lone surrogates (which UTF-8 cannot encode) become ``\\uXXXX`` escapes, so
    ``RunRecord.from_json(json.loads(text))`` gives the record back.
    """
    text = json.dumps(record_json(record), ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False)
    # A raw surrogate can only stand inside a JSON string literal, where its escape means the same.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def write_json(record: RunRecord, path: str | Path) -> None:
    """Write the full record (metadata, implementations, summary, cases, interop, version matrix) to ``path``."""
    Path(path).write_text(dumps_record(record), encoding="utf-8")
