"""A run record shown inline in Jupyter: the headline, the summary and the interop matrices, as HTML."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from conformance.arguments import require_int
from conformance.report._files import require_record
from conformance.report.headline import failing_lines, headline
from conformance.verdicts import VERDICTS, inline_style

if TYPE_CHECKING:
    from conformance.results import RunRecord


def _cell(verdict: str, text: str) -> str:
    return f'<td style="{inline_style(verdict)};padding:2px 6px">{html.escape(text)}</td>'


def record_html(record: RunRecord, failing_limit: int = 15) -> str:
    """The record as a small HTML fragment (no script): what a notebook cell shows for a :class:`RunRecord`."""
    require_record(record)
    require_int(failing_limit, "failing_limit", minimum=0)
    line = headline(record)
    colour = "#b71c1c" if line.startswith("GATE FAIL") else "#1b5e20"
    parts = [f'<p style="background:{colour};color:#fff;padding:4px 8px;font-weight:bold">{html.escape(line)}</p>']
    summary = record.summary()
    head = "".join(f"<th>{v}</th>" for v in VERDICTS)
    rows = []
    for name, counts in summary.items():
        if not any(counts[v] for v in VERDICTS if v != "unsupported"):
            continue  # it implements none of the selected ops
        cells = "".join(_cell(v, str(counts[v])) if counts[v] else "<td></td>" for v in VERDICTS)
        rows.append(f"<tr><th>{html.escape(name)}</th>{cells}</tr>")
    parts.append(f"<table><tr><th>implementation</th>{head}</tr>{''.join(rows)}</table>")
    keys = list(dict.fromkeys((c.flow, c.variant) for c in record.interop))
    for flow, variant in keys:
        cells = [c for c in record.interop if (c.flow, c.variant) == (flow, variant)]
        consumers = list(dict.fromkeys(c.consumer for c in cells))
        producers = list(dict.fromkeys(c.producer for c in cells))
        label = f"{flow} [{variant}]" if variant else flow
        table = [f"<p><b>interop {html.escape(label)}</b> (rows produce, columns consume)</p><table><tr><th></th>"]
        table += [f"<th>{html.escape(c)}</th>" for c in consumers] + ["</tr>"]
        for producer in producers:
            by_consumer = {c.consumer: c for c in cells if c.producer == producer}
            row = "".join(
                _cell(by_consumer[n].verdict, f"{by_consumer[n].passed}/{by_consumer[n].total}")
                if n in by_consumer
                else "<td>-</td>"
                for n in consumers
            )
            table.append(f"<tr><th>{html.escape(producer)}</th>{row}</tr>")
        parts.append("".join(table) + "</table>")
    failing = failing_lines(record, limit=failing_limit)
    if failing:
        parts.append("<pre>" + html.escape("\n".join(failing)) + "</pre>")
    return "".join(parts)


class Shown:
    """A run record as a Jupyter cell shows it (``_repr_html_``): :func:`record_html`."""

    def __init__(self, record: RunRecord, failing_limit: int = 15) -> None:
        """Raises :class:`InvalidArgument` for what is not a RunRecord or a limit that is not a count."""
        self.record = require_record(record)
        self.failing_limit = require_int(failing_limit, "failing_limit", minimum=0)

    def __repr__(self) -> str:
        return headline(self.record)

    def _repr_html_(self) -> str:
        return record_html(self.record, self.failing_limit)


def show(record: RunRecord, failing_limit: int = 15) -> Shown:
    """What a notebook's last line gives to show a record inline: ``show(runner.run(...))``."""
    return Shown(record, failing_limit)
