"""One self-contained HTML report: per-flow matrices, the interop matrices, a summary per flow, metadata, version matrix.

Nothing is loaded from elsewhere (inline CSS and script, a CSP that forbids the rest). The case data travels as
JSON in a ``<script type="application/json">`` block (``<``, ``>``, ``&``, U+2028/U+2029 and lone surrogates all as
``\\uXXXX``); the script builds the matrices from it with ``textContent`` only, grouped by op, and renders a cell's
details (input, expected, actual, byte-level diff) on click. ``#open=<impl>|<case id>`` (or
``#open=interop|<flow>|<producer>|<consumer>``) opens one cell on load; a self-check renders one cell's details on
load and records the outcome in ``body[data-selfcheck]``, errors in ``#report-errors``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from conformance import catalog, verdicts, wording
from conformance.arguments import require_mapping
from conformance.errors import InvalidArgument, UsageError
from conformance.files import write_file
from conformance.judge import SEVERITY, VERDICTS, worst
from conformance.outcome import Outcome
from conformance.report._files import require_record
from conformance.report.headline import failing_lines, headline
from conformance.report.html_assets import CSS, SCRIPT
from conformance.results import CaseResult, RunRecord

SHOWN_CHARS = 100
TITLE_CHARS = 2000
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u2028\u2029]")


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: pure ASCII, no ``<``, ``>`` or ``&``. Raises
    :class:`InvalidArgument` for data that is not JSON (NaN, bytes, objects, nested too deeply)."""
    try:
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise InvalidArgument("data must be JSON (no NaN, bytes or objects, not nested too deeply)") from None
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _visible(text: Any) -> str:
    """Text for the page: controls and lone surrogates as visible ``\\uXXXX``, then HTML-escaped."""
    return html.escape(_INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text)), quote=True)


def _short(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _implementation_names(record: RunRecord) -> list[str]:
    names = dict.fromkeys(record.implementations)
    names.update(dict.fromkeys(case.implementation for case in record.cases))
    return list(names)


def _answer_data(case: CaseResult) -> Any:
    """0 when a pass answered exactly the expected outcome (saves repeating it), else ``[actual record, words,
    byte-level diff or None]``: the words and the diff come from :mod:`conformance.wording`, as in every report."""
    if case.verdict == "pass" and case.expected is not None and case.actual == case.expected:
        return 0
    diff = wording.value_diff(case.kind, case.expected, case.actual) if case.expected is not None else None
    return [case.actual.record(), wording.answer(case.actual, case.op), diff]


def _expected_data(case: CaseResult) -> Any:
    if case.expected is None:
        return None
    return [case.expected.record(), wording.answer(case.expected, case.op)]


def _flow_title(flow_id: str, fallback: str) -> str:
    """The catalog's title of a flow (a record from another build may name flows this one does not know)."""
    try:
        return catalog.flow(flow_id).title
    except UsageError:
        return fallback


def _interop_label(flow: str, variant: str) -> str:
    return f"{flow}/{variant}" if variant else flow


def page_data(record: RunRecord) -> dict[str, Any]:
    """The data the page's script renders: vectors once each, results per (vector, implementation) as
    ``[verdict index, answer or 0, seconds, why]``, flows grouped by op, interop cells, and the verdict table."""
    require_record(record)
    impls = _implementation_names(record)
    impl_index = {name: i for i, name in enumerate(impls)}
    vectors: list[list[Any]] = []
    results: list[list[Any]] = []
    vector_index: dict[str, int] = {}
    flows: dict[str, dict[str, Any]] = {}
    for case in record.cases:
        index = vector_index.get(case.case_id)
        if index is None:
            index = vector_index[case.case_id] = len(vectors)
            head = [case.case_id, case.file, case.scheme, case.op, case.tc_id, case.result, case.comment]
            vectors.append([*head, case.flags, case.input, _expected_data(case), wording.notes(case.notes)])
            results.append([None] * len(impls))
            stem = Path(case.file).stem or case.scheme
            flow = flows.setdefault(stem, {"file": stem, "scheme": case.scheme, "groups": {}})
            flow["groups"].setdefault(case.op, []).append(index)
        elif vectors[index][9] is None and case.expected is not None:
            vectors[index][8:11] = [case.input, _expected_data(case), wording.notes(case.notes)]
        elif not vectors[index][10] and case.notes:
            vectors[index][10] = wording.notes(case.notes)
        results[index][impl_index[case.implementation]] = [
            VERDICTS.index(case.verdict),
            _answer_data(case),
            round(case.seconds, 6),
            case.why,
        ]
    flow_list = []
    for stem in sorted(flows):
        flow = flows[stem]
        groups = [
            {"op": op, "rows": sorted(rows, key=lambda i: vectors[i][4])} for op, rows in sorted(flow["groups"].items())
        ]
        flow_list.append({"file": stem, "scheme": _flow_title(stem, flow["scheme"]), "groups": groups})
    interop = [
        [
            _interop_label(c.flow, c.variant),
            c.producer,
            c.consumer,
            c.verdict,
            c.passed,
            c.total,
            c.detail,
            [_interop_example(c.flow, example) for example in c.examples],
        ]
        for c in record.interop
    ]
    return {
        "verdicts": list(VERDICTS),
        "severity": SEVERITY,
        "short": {row.name: row.short for row in verdicts.TABLE},
        "notable": [row.name for row in verdicts.TABLE if row.notable or row.name in {"unsafe", "fail"}],
        "impls": impls,
        "vectors": vectors,
        "results": results,
        "flows": flow_list,
        "interop": interop,
    }


def _interop_example(flow_id: str, example: Mapping[str, Any]) -> dict[str, Any]:
    """An interop example with the consumer's answer in words and, for a bytes or text consumer, the byte diff."""
    shown = dict(example)
    consumed = Outcome.from_record(example.get("consumed") or {})
    op = _consumer_op(flow_id)
    shown["diff"] = wording.value_diff(wording.kind_of(op), Outcome.of_value(example.get("expected")), consumed)
    shown["consumedWords"] = wording.answer(consumed, op)
    return shown


def _consumer_op(flow_id: str) -> str | None:
    try:
        trips = catalog.flow(flow_id).round_trips
    except UsageError:
        return None
    return trips[0].consumer_op if trips else None


def _table(header: list[str], rows: Iterable[list[str]], css: str = "") -> str:
    """A table whose cells are already-escaped HTML fragments."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _td(text: Any, css: str = "", title: str = "") -> str:
    attrs = (f' class="{_visible(css)}"' if css else "") + (
        f' title="{_visible(_short(title, TITLE_CHARS))}"' if title else ""
    )
    return f"<td{attrs}>{_visible(text)}</td>"


def flow_summary(record: RunRecord) -> dict[str, dict[str, dict[str, int]]]:
    """flow -> implementation -> verdict -> count."""
    require_record(record)
    table: dict[str, dict[str, dict[str, int]]] = {}
    for case in record.cases:
        row = table.setdefault(case.flow, {}).setdefault(case.implementation, dict.fromkeys(VERDICTS, 0))
        row[case.verdict] += 1
    return table


def pass_share(counts: Mapping[str, int]) -> str:
    """``59 of 63 pass; 4 deviations`` over what was answered (unsupported left out). Raises
    :class:`InvalidArgument` for what is not a mapping verdict -> count."""
    counts = require_mapping(counts, "counts")
    if not all(v in VERDICTS and isinstance(n, int) and not isinstance(n, bool) for v, n in counts.items()):
        raise InvalidArgument("counts must map verdicts to counts (int)")
    answered = sum(n for v, n in counts.items() if v != "unsupported")
    extra = ", ".join(verdicts.count(v, n) for v, n in counts.items() if n and v not in {"pass", "unsupported"})
    return f"{counts.get('pass', 0)} of {answered} pass" + (f"; {extra}" if extra else "")


def _answered(counts: Mapping[str, int] | None) -> bool:
    return bool(counts) and any(n for v, n in counts.items() if v != "unsupported")  # type: ignore[union-attr]


def _flow_section(record: RunRecord) -> str:
    summary = flow_summary(record)
    names = _implementation_names(record)
    impls = [n for n in names if any(_answered(by.get(n)) for by in summary.values())]
    rows = []
    for flow, by_impl in sorted(summary.items()):
        cells = [f"<th>{_visible(flow)}</th>"]
        for name in impls:
            counts = by_impl.get(name)
            if not counts or not _answered(counts):
                cells.append(_td("-", "v-none", "implements none of this flow's ops"))
                continue
            verdict = worst((v for v, n in counts.items() if n and v != "unsupported"), default="unsupported")
            cells.append(_td(pass_share(counts), f"v-{verdict}"))
        rows.append(cells)
    if not rows:
        return "<p>No cases in this run.</p>"
    idle = [n for n in names if n not in impls]
    note = ""
    if idle:
        note = (
            '<p class="hint">Not shown (they implement none of the selected ops): ' + _visible(", ".join(idle)) + "</p>"
        )
    return _table(["flow", *(_visible(n) for n in impls)], rows, "summary") + note


def _key_values(mapping: Mapping[str, Any]) -> str:
    rows = []
    for key, value in mapping.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True, sort_keys=True)
        rows.append([f"<th>{_visible(key)}</th>", _td(_short(text, 400), "", text if len(text) > 400 else "")])
    return _table(["key", "value"], rows, "meta")


def _metadata_section(record: RunRecord) -> str:
    metadata = dict(record.metadata)
    files = metadata.pop("vectorFiles", {}) or {}
    parts = [_key_values(metadata)]
    if files:
        rows = [[_td(name), _td(sha, "mono")] for name, sha in sorted(files.items())]
        parts.append("<h3>Vector files (SHA-256)</h3>" + _table(["file", "sha256"], rows, "meta"))
    impl_rows = []
    for name in _implementation_names(record):
        info = record.implementations.get(name, {})
        versions = info.get("versions") or {}
        text = ", ".join(f"{k} {v}" for k, v in versions.items()) if isinstance(versions, Mapping) else str(versions)
        available = info.get("available")
        impl_rows.append(
            [
                f"<th>{_visible(name)}</th>",
                _td(info.get("kind", "")),
                _td(f"unavailable: {available}" if available else "available", "v-unavailable" if available else ""),
                _td(text),
            ]
        )
    parts.append(
        "<h3>Implementations</h3>" + _table(["implementation", "kind", "state", "versions"], impl_rows, "meta")
    )
    return "".join(parts)


def _version_section(record: RunRecord) -> str:
    if not record.version_matrix:
        return "<p>The reference-version matrix was not run (<code>conformance run --version-matrix</code>).</p>"
    inputs = {case.case_id: case for case in record.cases}
    parts = []
    for reference, raw in record.version_matrix.items():
        entry: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        versions = [str(v) for v in entry.get("versions", [])]
        summary = entry.get("summary") or {}
        details = entry.get("details") or {}
        pinned = str(summary.get("pinned", ""))
        parts.append(f"<h3>If the vendor upgrades {_visible(reference)}, these inputs change</h3>")
        marked = [f"{v} (pinned)" if v == pinned else v for v in versions]
        parts.append(f"<p>Versions: {_visible(', '.join(marked) or '-')}</p>")
        if entry.get("error"):
            parts.append(f'<p class="v-unavailable">{_visible(entry["error"])}</p>')
        transitions = summary.get("transitions") or []
        if transitions:
            rows = [
                [
                    _td(t.get("from", "")),
                    _td(t.get("to", "")),
                    _td(len(t.get("changed", []))),
                    _td(", ".join(t.get("changed", []))),
                ]
                for t in transitions
            ]
            parts.append(_table(["from", "to", "inputs that change", "cases"], rows, "meta"))
        findings = entry.get("findings") or []
        if not findings:
            parts.append("<p>No vector's answer differs between these versions.</p>")
            continue
        rows = []
        for finding in findings:
            case_id = str(finding.get("case_id", ""))
            case = inputs.get(case_id)
            detail = details.get(case_id, {})
            what = f"{detail.get('op') or (case.op if case else '')} {detail.get('comment') or (case.comment if case else '')}"
            given = json.dumps(case.input, ensure_ascii=True, sort_keys=True) if case else ""
            answers = finding.get("answers", {})
            first = json.dumps(answers.get(versions[0]) if versions else None, sort_keys=True)
            cells = [_td(case_id), _td(_short(what.strip())), _td(_short(given, 60), "mono", given)]
            for version in versions:
                answer = answers.get(version, {})
                text = wording.answer(Outcome.from_record(answer), case.op if case else None) if answer else "-"
                changed = json.dumps(answer, sort_keys=True) != first
                cells.append(_td(_short(text, 60), "changed" if changed else "", text))
            rows.append(cells)
        header = ["case", "vector", "input", *(_visible(m) for m in marked)]
        parts.append(_table(header, rows, "meta version-matrix"))
    return "".join(parts)


def _sdk_section(record: RunRecord) -> str:
    if not record.sdk_matrix:
        return "<p>No flow had two of its vendor's SDKs in this run.</p>"
    parts = [
        '<p class="hint">Each cell: the inputs on which the row SDK and the column SDK answered the same bytes (or'
        " refused alike), then those on which the documented verifier gives their tokens the same verdict; every"
        " other input is explained below the cell's table.</p>"
    ]
    for flow_id, matrix in record.sdk_matrix.items():
        names = [str(n) for n in matrix.get("sdks", [])]
        cells = {(c["row"], c["column"]): c for c in matrix.get("cells", [])}
        rows = []
        for row in names:
            shown = [_td(row)]
            for column in names:
                cell = cells.get((row, column), {})
                same = cell.get("identical") == cell.get("total")
                text = f"{cell.get('identical')}/{cell.get('total')} identical, {cell.get('sameVerdict')} same verdict"
                shown.append(_td(text, "v-pass" if same else "v-equivalent", "\n".join(cell.get("explained", []))))
            rows.append(shown)
        parts.append(f"<h3>{_visible(flow_id)}</h3>" + _table(["row \\ column", *names], rows, "meta"))
        for cell in matrix.get("cells", []):
            if names.index(cell["row"]) < names.index(cell["column"]) and cell.get("explained"):
                items = "".join(f"<li>{_visible(text)}</li>" for text in cell["explained"])
                parts.append(f"<p><b>{_visible(cell['row'])} vs {_visible(cell['column'])}</b></p><ul>{items}</ul>")
        verdicts = matrix.get("verdicts", {})
        rows = [
            [_td(label), *(_td(verdicts.get(n, [""] * (i + 1))[i]) for n in names)]
            for i, label in enumerate(matrix.get("inputs", []))
        ]
        parts.append(
            "<p>The documented verifier's verdict on each SDK's token:</p>" + _table(["input", *names], rows, "meta")
        )
    return "".join(parts)


def _legend() -> str:
    items = [(row.name, row.name.replace("_", " "), row.meaning) for row in verdicts.TABLE]
    items.append(("none", "not run", "the implementation does not implement the op"))
    spans = "".join(
        f'<span class="cell v-{v}" title="{_visible(meaning)}">{_visible(label)}</span>' for v, label, meaning in items
    )
    return '<p class="legend">' + spans + "</p>"


def _headline_section(record: RunRecord) -> str:
    text = headline(record)
    css = "gate-fail" if text.startswith("GATE FAIL") else "gate-pass"
    failing = failing_lines(record, limit=50)
    listing = f'<pre class="failing">{_visible(chr(10).join(failing))}</pre>' if failing else ""
    return f'<p class="headline {css}" id="headline">{_visible(text)}</p>{listing}'


def render_html(record: RunRecord) -> str:
    """The whole page as text."""
    require_record(record)
    data = script_json(page_data(record))
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:"
    stamp = record.metadata.get("timestamp", "")
    commit = str(record.metadata.get("commit", ""))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>handoff-conformance report {_visible(stamp)}</title>
<style>{CSS}{verdicts.css_rules()}</style>
</head>
<body data-selfcheck="pending">
<header><h1>handoff-conformance report</h1>
{_headline_section(record)}
<p>{_visible(stamp)} &middot; commit <code>{_visible(commit[:12])}</code> &middot; {len(record.cases)} results</p>
{_legend()}</header>
<pre id="report-errors" hidden></pre>
<nav id="toc"></nav>
<main>
<section id="summary"><h2>Summary per flow</h2>{_flow_section(record)}</section>
<section id="flows"><h2>Vectors per flow</h2><p class="hint">Rows are grouped by op; click a group to list its
vectors, click a cell for the input, both answers and a byte-level diff.</p><noscript>The matrices need
JavaScript.</noscript></section>
<section id="interop"><h2>Interop (producer &rarr; consumer)</h2></section>
<section id="sdks"><h2>The vendors' SDKs side by side</h2>{_sdk_section(record)}</section>
<section id="versions"><h2>Reference-version matrix</h2>{_version_section(record)}</section>
<section id="metadata"><h2>Run metadata</h2>{_metadata_section(record)}</section>
</main>
<aside id="details" hidden></aside>
<script type="application/json" id="report-data">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


def write_html(record: RunRecord, path: str | Path) -> None:
    """Write the self-contained HTML report for ``record`` to ``path``. Raises :class:`InvalidArgument` for a record
    that is not a RunRecord, :class:`UsageError` for a path that cannot be written."""
    write_file(path, render_html(record).encode("utf-8"))
