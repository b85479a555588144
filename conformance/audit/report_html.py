"""The audit's HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched), headline first.

Layout: the headline and the severity x status counts; a table of every finding; the pictures an auditor would
rather look at (guessing rates across findings); then each finding in full, with its plots, its figures and, folded,
the artifacts that replay it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any

from conformance.arguments import require_instance
from conformance.audit import report, svg
from conformance.audit.model import SEVERITIES, STATUSES, Finding
from conformance.audit.report import compact_json, headline_text, notes, shortened
from conformance.audit.runner import AuditRecord
from conformance.files import write_file

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 1.5em 3em;color:#1b1b1b}
h1{font-size:1.6em;margin:.6em 0 .2em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}
h3{margin:.2em 0 .4em}.headline{font-size:1.15em;font-weight:600}
table{border-collapse:collapse;margin:.4em 0 1em}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;
vertical-align:top}thead th{background:#f3f3f3}td.n{text-align:right;min-width:3.5em}td.zero{color:#bbb}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;font-weight:600;margin-right:4px}
.st-proved{background:#ffcdd2;color:#7f0000}.st-refuted{background:#c8e6c9;color:#1b5e20}
.st-not_reproduced{background:#ffe082;color:#6d4c00}
.sev-critical{background:#4a0000;color:#fff}.sev-high{background:#c62828;color:#fff}
.sev-medium{background:#ef6c00;color:#fff}.sev-low{background:#fdd835;color:#333}.sev-info{background:#e0e0e0;color:#333}
article.finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:.6em 1em;margin:1.2em 0}
article.s-proved{border-left-color:#c62828}article.s-refuted{border-left-color:#2e7d32}
article.s-not_reproduced{border-left-color:#f9a825}
dl{display:grid;grid-template-columns:11em 1fr;gap:.3em 1em;margin:.6em 0}dt{font-weight:600;color:#444}dd{margin:0}
pre{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;background:#f7f7f7;padding:.5em;overflow-x:auto;
white-space:pre-wrap;word-break:break-all}figure{margin:.8em 0}figcaption{color:#555;font-size:12px}
svg.plot{max-width:100%;height:auto;border:1px solid #eee}.meta{color:#555}
"""


def _slug(finding_id: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", finding_id)


def _badge(kind: str, value: str) -> str:
    return f'<span class="badge {kind}-{escape(value)}">{escape(value.replace("_", " "))}</span>'


def _counts_table(record: AuditRecord) -> str:
    counts = record.headline()
    head = "".join(f"<th>{_badge('st', s)}</th>" for s in STATUSES)
    rows = []
    for severity in SEVERITIES:
        cells = "".join(
            f'<td class="n{"" if counts["matrix"][severity][s] else " zero"}">{counts["matrix"][severity][s]}</td>'
            for s in STATUSES
        )
        rows.append(
            f'<tr><th>{_badge("sev", severity)}</th>{cells}<td class="n">{counts["by_severity"][severity]}</td></tr>'
        )
    totals = "".join(f'<td class="n">{counts["by_status"][s]}</td>' for s in STATUSES)
    return (
        f'<table class="counts"><thead><tr><th>severity \\ status</th>{head}<th>all</th></tr></thead><tbody>'
        + "".join(rows)
        + f'<tr><th>all</th>{totals}<td class="n">{counts["findings"]}</td></tr></tbody></table>'
    )


def _summary_table(findings: Iterable[Finding]) -> str:
    rows = [
        f'<tr><td><a href="#{_slug(f.id)}">{escape(f.id)}</a></td><td>{escape(f.flow)}</td>'
        f"<td>{_badge('sev', f.severity)}</td><td>{_badge('st', f.status)}</td><td>{escape(f.title)}</td></tr>"
        for f in findings
    ]
    return (
        "<table><thead><tr><th>id</th><th>flow</th><th>severity</th><th>status</th><th>finding</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _guessing_rates_plot(findings: Iterable[Finding]) -> str | None:
    """Bars of every finding's measured ``guesses_per_second`` figure, or ``None`` when no finding has one."""
    measured = [
        (f"{f.id}", float(f.figures["guesses_per_second"]))
        for f in findings
        if isinstance(f.figures.get("guesses_per_second"), (int, float)) and f.figures["guesses_per_second"] > 0
    ]
    if not measured:
        return None
    return svg.bars(
        [label for label, _ in measured],
        [value for _, value in measured],
        title="Offline guessing rates measured on this machine (one CPython process)",
        unit="guesses per second",
    )


def _versions(references: Mapping[str, Mapping[str, str]]) -> str:
    if not references:
        return "none"
    rows = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(', '.join(f'{k} {v}' for k, v in versions.items()) or '-')}</td></tr>"
        for name, versions in references.items()
    )
    return f"<table>{rows}</table>"


def _pre(value: Any) -> str:
    return f"<pre>{escape(compact_json(value))}</pre>"


def _finding(finding: Finding) -> str:
    items = [
        ("Observed", escape(finding.why)),
        ("Severity, why", escape(finding.severity_reasoning)),
        ("CWE", escape(finding.cwe or "-")),
        ("Attacker model", escape(finding.attacker_model or "-")),
    ]
    if finding.preconditions:
        items.append(
            ("Preconditions", "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in finding.preconditions) + "</ul>")
        )
    if finding.ran:
        items.append(("What ran", "<ol>" + "".join(f"<li>{escape(step)}</li>" for step in finding.ran) + "</ol>"))
    items.append(("Against", _versions(finding.references)))
    if finding.mitigation:
        items.append(("Mitigation", escape(finding.mitigation)))
    body = "".join(f"<dt>{label}</dt><dd>{text}</dd>" for label, text in items)
    plots = "".join(
        f"<figure>{plot['svg']}<figcaption>{escape(str(plot.get('title', '')))}</figcaption></figure>"
        for plot in finding.plots
    )
    figures = f"<h4>Measured</h4>{_pre(shortened(finding.figures))}" if finding.figures else ""
    artifacts = (
        f"<details><summary>Artifacts to replay the proof (TEST keys only)</summary>{_pre(finding.artifacts)}</details>"
        if finding.artifacts
        else ""
    )
    return (
        f'<article class="finding s-{escape(finding.status)}" id="{_slug(finding.id)}">'
        f"<h3>{escape(finding.id)}: {escape(finding.title)}</h3>"
        f"<p>{_badge('st', finding.status)}{_badge('sev', finding.severity)} flow <code>{escape(finding.flow)}</code>"
        f" · {finding.seconds:.2f} s</p><dl>{body}</dl>{plots}{figures}{artifacts}</article>"
    )


def render_html(record: AuditRecord) -> str:
    """The whole report as one HTML document. Raises :class:`InvalidArgument` for what is not an
    :class:`AuditRecord`."""
    meta = require_instance(record, "record", AuditRecord).metadata
    host = meta.get("host", {})
    about = (
        f"commit {meta.get('commit', 'unknown')} · {meta.get('timestamp', '')} · Python {host.get('python', '?')} on "
        f"{host.get('platform', '?')}, {host.get('cpus', '?')} CPUs · flows: {', '.join(meta.get('flows', []))}"
    )
    remarks = "".join(f'<p class="meta">{escape(note)}</p>' for note in notes(meta))
    rates = _guessing_rates_plot(record.findings)
    pictures = f"<h2>Pictures</h2><figure>{rates}</figure>" if rates else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Audit findings</title>'
        f"<style>{CSS}</style></head><body><h1>Audit findings</h1>"
        f'<p class="headline">{escape(headline_text(record))}</p>{_counts_table(record)}'
        f'<p class="meta">{escape(about)}</p>{remarks}'
        f"<h2>All findings</h2>{_summary_table(record.findings)}{pictures}"
        f"<h2>Findings in full</h2>{''.join(_finding(f) for f in record.findings)}</body></html>\n"
    )


__all__ = ["CSS", "render_html"]


def write_html(record: AuditRecord, path: str | Path) -> None:
    """Write :func:`render_html` to ``path`` as UTF-8 (a lone surrogate as a ``\\uXXXX`` escape). Raises
    :class:`InvalidArgument` as it does, :class:`UsageError` naming the path when it cannot be written."""
    write_file(path, render_html(record).encode("utf-8", "backslashreplace"))


#: The writer of each report format ``conformance audit`` offers.
WRITERS = {"json": report.write_json, "html": write_html, "markdown": report.write_markdown}
