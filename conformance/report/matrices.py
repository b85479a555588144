"""The interop matrices as text (the CLI) and Markdown (docs): one grid per flow and round-trip variant."""

from __future__ import annotations

from collections.abc import Sequence

from conformance.arguments import require_items
from conformance.report._files import require_record
from conformance.results import InteropCell, RunRecord


def _grids(cells: Sequence[InteropCell]) -> list[tuple[str, str, list[InteropCell]]]:
    keys = list(dict.fromkeys((c.flow, c.variant) for c in cells))
    return [(flow, variant, [c for c in cells if (c.flow, c.variant) == (flow, variant)]) for flow, variant in keys]


def interop_text(record: RunRecord) -> str:
    """One grid per flow and variant: rows produce, columns consume; then the failing cells' details."""
    require_record(record)
    out: list[str] = []
    for flow, variant, cells in _grids(record.interop):
        producers = list(dict.fromkeys(c.producer for c in cells))
        consumers = list(dict.fromkeys(c.consumer for c in cells))
        width = max([len(p) for p in producers] + [12])
        out.append(f"\ninterop {flow}" + (f" [{variant}]" if variant else "") + " (rows produce, columns consume)")
        out.append(" " * width + "  " + "  ".join(f"{n[:11]:>11}" for n in consumers))
        for producer in producers:
            row = {c.consumer: c for c in cells if c.producer == producer}
            out.append(
                f"{producer:<{width}}  " + "  ".join(f"{row[n].verdict if n in row else '-':>11}" for n in consumers)
            )
        for cell in cells:
            if cell.verdict not in {"pass", "unsupported"}:
                out.append(f"  {cell.producer} -> {cell.consumer}: {' '.join(cell.detail.split())}")
    return "\n".join(out)


def interop_markdown(cells: Sequence[InteropCell]) -> str:
    """One Markdown table per flow and variant: rows produce, columns consume, each cell passed/total and verdict."""
    cells = require_items(cells, "cells", InteropCell, limit=10_000_000)
    out: list[str] = []
    for flow, variant, grid in _grids(cells):
        producers = list(dict.fromkeys(c.producer for c in grid))
        consumers = list(dict.fromkeys(c.consumer for c in grid))
        out += [f"`{flow}` `{variant}` (rows produce, columns consume)", ""]
        out.append("| producer \\ consumer | " + " | ".join(consumers) + " |")
        out.append("|---" * (len(consumers) + 1) + "|")
        for producer in producers:
            row = {c.consumer: c for c in grid if c.producer == producer}
            marks = [f"{row[n].verdict} {row[n].passed}/{row[n].total}" if n in row else "-" for n in consumers]
            out.append(f"| {producer} | " + " | ".join(marks) + " |")
        out.append("")
    return "\n".join(out)
