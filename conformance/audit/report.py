"""The audit's reports: the JSON record (everything, for machines and replays), Markdown (for issues and reviews),
and one self-contained HTML file (:mod:`conformance.audit.report_html`). Each starts with the headline: how many
findings, by status and by severity.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance.audit.model import SEVERITIES, STATUSES, Finding
from conformance.audit.runner import AuditRecord, unprobed_note

#: Lists longer than this are shortened in Markdown and HTML (the JSON keeps them whole).
SHOWN_ITEMS = 16


def headline_text(record: AuditRecord) -> str:
    """One line: ``audit: 9 findings: 7 proved, 1 refuted, 1 not_reproduced; proved: high 2, medium 3 (12.3 s)``,
    then, per adapter with a declared consumer op that no probe covers, ``; adapter mine: no probe for ...``."""
    counts = record.headline()
    statuses = ", ".join(f"{n} {status}" for status, n in counts["by_status"].items())
    severities = ", ".join(f"{severity} {n}" for severity, n in counts["by_severity"].items() if n)
    seconds = record.metadata.get("seconds")
    timing = f" ({seconds:.1f} s)" if isinstance(seconds, (int, float)) else ""
    adapters = record.metadata.get("adapters") or {}
    gaps = "".join(unprobed_note(name, about) for name, about in adapters.items())
    return f"audit: {counts['findings']} findings: {statuses}; proved: {severities or 'none'}{gaps}{timing}"


def shortened(value: Any, limit: int = SHOWN_ITEMS) -> Any:
    """``value`` with every list longer than ``limit`` cut to its first items and a note of its length."""
    if isinstance(value, Mapping):
        return {key: shortened(item, limit) for key, item in value.items()}
    if isinstance(value, list):
        if len(value) > limit:
            return [
                *(shortened(item, limit) for item in value[:limit]),
                f"... ({len(value)} values in the JSON report)",
            ]
        return [shortened(item, limit) for item in value]
    return value


def compact_json(value: Any, level: int = 0) -> str:
    """JSON indented by two spaces, except that lists of scalars stay on one line (for reading, not parsing)."""
    inner, outer = "  " * (level + 1), "  " * level
    if isinstance(value, Mapping) and value:
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False, allow_nan=False)}: {compact_json(v, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + outer + "}"
    if isinstance(value, list) and any(isinstance(item, (Mapping, list)) for item in value):
        return "[\n" + ",\n".join(inner + compact_json(item, level + 1) for item in value) + "\n" + outer + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def dumps_json(record: AuditRecord) -> str:
    return json.dumps(record.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(record: AuditRecord, path: str | Path) -> None:
    Path(path).write_text(dumps_json(record), encoding="utf-8")


def versions_text(references: Mapping[str, Mapping[str, str]]) -> str:
    """``java (jdk 17.0.15, commonsCodec 1.22.1); node (...)``."""
    parts = []
    for name, versions in references.items():
        inside = ", ".join(f"{key} {value}" for key, value in versions.items())
        parts.append(f"{name} ({inside})" if inside else name)
    return "; ".join(parts) or "none"


def _markdown_finding(finding: Finding) -> list[str]:
    lines = [
        f"### {finding.id}: {finding.title}",
        "",
        f"**{finding.status}** · severity **{finding.severity}** · {finding.cwe or 'no CWE'} · flow `{finding.flow}`"
        f" · {finding.seconds:.2f} s",
        "",
        f"**Observed:** {finding.why}",
        "",
        f"**Severity, why:** {finding.severity_reasoning}",
        "",
        f"**Attacker model:** {finding.attacker_model}",
        "",
    ]
    if finding.preconditions:
        lines += ["**Preconditions:**", "", *(f"- {item}" for item in finding.preconditions), ""]
    if finding.ran:
        lines += ["**What ran:**", "", *(f"{n}. {step}" for n, step in enumerate(finding.ran, start=1)), ""]
    lines += [f"**Against:** {versions_text(finding.references)}", ""]
    for label, value in (("Figures", finding.figures), ("Artifacts (TEST keys only)", finding.artifacts)):
        if value:
            text = compact_json(shortened(value))
            lines += [f"**{label}:**", "", "```json", text, "```", ""]
    if finding.plots:
        lines += [f"*Plots in the HTML report: {', '.join(p['title'] for p in finding.plots)}.*", ""]
    if finding.mitigation:
        lines += [f"**Mitigation:** {finding.mitigation}", ""]
    return lines


def render_markdown(record: AuditRecord) -> str:
    """The whole report as Markdown: headline, the severity x status table, a summary table, then each finding."""
    counts = record.headline()
    meta = record.metadata
    lines = [
        "# Audit findings",
        "",
        headline_text(record),
        "",
        f"Commit `{meta.get('commit', 'unknown')}`, {meta.get('timestamp', '')}; flows: {', '.join(meta.get('flows', []))}.",
        "",
        "| severity | " + " | ".join(STATUSES) + " |",
        "|---|" + "---|" * len(STATUSES),
    ]
    for severity in SEVERITIES:
        lines.append(f"| {severity} | " + " | ".join(str(counts["matrix"][severity][s]) for s in STATUSES) + " |")
    lines += ["", "| id | flow | severity | status | title |", "|---|---|---|---|---|"]
    for finding in record.findings:
        title = finding.title.replace("|", "\\|")
        lines.append(f"| {finding.id} | {finding.flow} | {finding.severity} | {finding.status} | {title} |")
    remarks = notes(meta)
    if remarks:
        lines += ["", *(f"> {note}" for note in remarks)]
    lines += ["", "## Findings", ""]
    for finding in record.findings:
        lines += _markdown_finding(finding)
    return "\n".join(lines).rstrip() + "\n"


def notes(meta: Mapping[str, Any]) -> list[str]:
    """What the reader should know about the run's coverage: missing proof modules, flows with no proof."""
    found = []
    if meta.get("flowsWithoutProofs"):
        found.append(f"Selected flows with no proof: {', '.join(meta['flowsWithoutProofs'])}.")
    for name, about in (meta.get("adapters") or {}).items():
        probed, unprobed = about.get("probed") or [], about.get("unprobed") or []
        line = f"Adapter {name} ({about.get('command', '')})"
        if about.get("available"):
            line += f": could not start ({about['available']})"
        else:
            line += f": probed {', '.join(probed) or 'no op'}"
            line += f"; no probe for {', '.join(unprobed)}" if unprobed else ""
        found.append(line + ".")
    return found


def write_markdown(record: AuditRecord, path: str | Path) -> None:
    Path(path).write_text(render_markdown(record), encoding="utf-8")


__all__ = [
    "compact_json",
    "dumps_json",
    "headline_text",
    "notes",
    "render_markdown",
    "shortened",
    "versions_text",
    "write_json",
    "write_markdown",
]
