"""The audit's reports: the JSON record (everything, for machines and replays), Markdown (for issues and reviews),
and one self-contained HTML file (:mod:`conformance.audit.report_html`). Each starts with the headline: how many
findings, by status and by severity.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance.arguments import require_instance, require_int, require_mapping, require_str, require_strings
from conformance.audit.model import SEVERITIES, STATUSES, Finding
from conformance.audit.runner import AuditRecord, unprobed_note
from conformance.errors import InvalidArgument
from conformance.files import write_file

#: Lists longer than this are shortened in Markdown and HTML (the JSON keeps them whole).
SHOWN_ITEMS = 16
#: The deepest nesting :func:`shortened` and :func:`compact_json` follow (a finding's figures are a few levels).
MAX_DEPTH = 64
#: The largest ``limit`` :func:`shortened` takes.
MAX_SHOWN = 1_000_000


def _record(record: Any) -> AuditRecord:
    return require_instance(record, "record", AuditRecord)  # type: ignore[no-any-return]


def headline_text(record: AuditRecord) -> str:
    """One line: ``audit: 9 findings: 7 proved, 1 refuted, 1 not_reproduced; proved: high 2, medium 3 (12.3 s)``,
    then, per adapter with a declared consumer op that no probe covers, ``; adapter mine: no probe for ...``.
    Raises :class:`InvalidArgument` for what is not an :class:`AuditRecord`."""
    counts = _record(record).headline()
    statuses = ", ".join(f"{n} {status}" for status, n in counts["by_status"].items())
    severities = ", ".join(f"{severity} {n}" for severity, n in counts["by_severity"].items() if n)
    seconds = record.metadata.get("seconds")
    timing = f" ({seconds:.1f} s)" if isinstance(seconds, (int, float)) else ""
    adapters = require_mapping(record.metadata.get("adapters") or {}, "record.metadata['adapters']")
    gaps = "".join(unprobed_note(name, about) for name, about in adapters.items())
    return f"audit: {counts['findings']} findings: {statuses}; proved: {severities or 'none'}{gaps}{timing}"


def shortened(value: Any, limit: int = SHOWN_ITEMS) -> Any:
    """``value`` with every list longer than ``limit`` cut to its first items and a note of its length. Raises
    :class:`InvalidArgument` for a ``limit`` outside 0 to :data:`MAX_SHOWN`, or a value nested deeper than
    :data:`MAX_DEPTH`."""
    return _shortened(value, require_int(limit, "limit", minimum=0, maximum=MAX_SHOWN), 0)


def _shortened(value: Any, limit: int, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise InvalidArgument(f"value is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping):
        return {key: _shortened(item, limit, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        if len(value) > limit:
            return [
                *(_shortened(item, limit, depth + 1) for item in value[:limit]),
                f"... ({len(value)} values in the JSON report)",
            ]
        return [_shortened(item, limit, depth + 1) for item in value]
    return value


def compact_json(value: Any, level: int = 0) -> str:
    """JSON indented by two spaces, except that lists of scalars stay on one line (for reading, not parsing).
    Raises :class:`InvalidArgument` for a value that is not JSON (bytes, NaN, an int past 4,300 digits, ...), one
    nested deeper than :data:`MAX_DEPTH`, or a ``level`` outside 0 to :data:`MAX_DEPTH`."""
    require_int(level, "level", minimum=0, maximum=MAX_DEPTH)
    return _compact_json(value, level, 0)


def _compact_json(value: Any, level: int, depth: int) -> str:
    if depth > MAX_DEPTH:
        raise InvalidArgument(f"value is nested deeper than {MAX_DEPTH} levels")
    inner, outer = "  " * (level + 1), "  " * level
    if isinstance(value, Mapping) and value:
        items = [
            f"{inner}{_scalar_json(k if isinstance(k, str) else _key(k))}: {_compact_json(v, level + 1, depth + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + outer + "}"
    if isinstance(value, list) and any(isinstance(item, (Mapping, list)) for item in value):
        return (
            "[\n" + ",\n".join(inner + _compact_json(item, level + 1, depth + 1) for item in value) + "\n" + outer + "]"
        )
    return _scalar_json(value)


def _key(key: Any) -> str:
    if isinstance(key, (int, float, bool)) or key is None:
        return _scalar_json(key)
    raise InvalidArgument("value has a key that is not JSON")


def _scalar_json(value: Any) -> str:
    """``json.dumps`` of a value that holds no mapping or list of them; :class:`InvalidArgument` when it is not JSON."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise InvalidArgument(
            "value holds what is not JSON (bytes, NaN or an infinity, an int too long, ...)"
        ) from None


def dumps_json(record: AuditRecord) -> str:
    """The record as indented JSON (UTF-8 text; a lone surrogate is kept as a ``\\uXXXX`` escape). Raises
    :class:`InvalidArgument` for what is not an :class:`AuditRecord`, or one holding what is not JSON."""
    data = _record(record).to_json()
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(data, indent=2, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise InvalidArgument("record holds what is not JSON (bytes, NaN or an infinity, ...)") from None
    return text + "\n"


def write_json(record: AuditRecord, path: str | Path) -> None:
    """Write :func:`dumps_json` to ``path``. Raises :class:`InvalidArgument` as it does, :class:`UsageError` naming
    the path when it cannot be written (a folder, a FIFO, a missing folder, ...)."""
    write_file(path, dumps_json(record).encode("utf-8"))


def _versions_text(references: Mapping[str, Mapping[str, str]]) -> str:
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
    lines += [f"**Against:** {_versions_text(finding.references)}", ""]
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
    """The whole report as Markdown: headline, the severity x status table, a summary table, then each finding.
    Raises :class:`InvalidArgument` for what is not an :class:`AuditRecord`."""
    counts = _record(record).headline()
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
    """What the reader should know about the run's coverage: missing proof modules, flows with no proof. Raises
    :class:`InvalidArgument` for ``meta`` that is not a mapping or holds these entries in another shape."""
    meta = require_mapping(meta, "meta")
    found = []
    if without := require_strings(meta.get("flowsWithoutProofs") or (), "meta's flows without proofs"):
        found.append(f"Selected flows with no proof: {', '.join(without)}.")
    for key, entry in require_mapping(meta.get("adapters") or {}, "meta['adapters']").items():
        name, about = require_str(key, "an adapter's name"), require_mapping(entry, "an adapter's entry")
        probed = require_strings(about.get("probed") or (), "an adapter's probed ops")
        unprobed = require_strings(about.get("unprobed") or (), "an adapter's unprobed ops")
        line = f"Adapter {name} ({require_str(about.get('command', ''), 'an adapter command')})"
        if about.get("available"):
            line += f": could not start ({require_str(about['available'], 'why an adapter is unavailable')})"
        else:
            line += f": probed {', '.join(probed) or 'no op'}"
            line += f"; no probe for {', '.join(unprobed)}" if unprobed else ""
        found.append(line + ".")
    return found


def write_markdown(record: AuditRecord, path: str | Path) -> None:
    """Write :func:`render_markdown` to ``path`` as UTF-8 (a lone surrogate as a ``\\uXXXX`` escape). Raises
    :class:`InvalidArgument` as it does, :class:`UsageError` naming the path when it cannot be written."""
    write_file(path, render_markdown(record).encode("utf-8", "backslashreplace"))


__all__ = [
    "compact_json",
    "dumps_json",
    "headline_text",
    "notes",
    "render_markdown",
    "shortened",
    "write_json",
    "write_markdown",
]
