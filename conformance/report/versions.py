"""Renderings of the reference-version matrix: text for the CLI, Markdown for ``docs/reference-versions.md``.

The matrix itself is computed by :mod:`conformance.versions`; the HTML report renders it in
:mod:`conformance.report.html`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from conformance import wording
from conformance.arguments import require_int, require_mapping, require_str
from conformance.errors import InvalidArgument, UsageError
from conformance.files import read_text_file, write_file
from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT

#: Outcomes longer than this are shortened in the text and Markdown renderings (never in the JSON).
SHOWN_CHARS = 48


def short_answer(actual: Mapping[str, Any], op: str | None = None, limit: int = SHOWN_CHARS) -> str:
    """One version's answer (an outcome record) in the words every report uses (:func:`conformance.wording.answer`:
    ``accepted``/``refused`` for a decision op, ``value ...``/``error Reason`` otherwise), values shortened to
    ``limit``; an error's message is left out (the JSON record keeps it whole). Raises :class:`InvalidArgument` for
    what is not an outcome record, an op that is not a str or ``None``, a limit that is not a count."""
    if op is not None:
        require_str(op, "op")
    require_int(limit, "limit", minimum=1)
    return wording.answer(Outcome.from_record(actual), op, limit, detail=False)


def _matrix(render: Callable[[Mapping[str, Any]], str]) -> Callable[[Mapping[str, Any]], str]:
    """``render``, raising :class:`InvalidArgument` for a ``matrix`` that is not one :mod:`conformance.versions`
    makes (a record read back may hold anything there) instead of the KeyError or TypeError it meets."""

    @functools.wraps(render)
    def checked(matrix: Mapping[str, Any]) -> str:
        require_mapping(matrix, "matrix")
        try:
            return render(matrix)
        except (KeyError, TypeError, AttributeError, IndexError, ValueError, RecursionError) as exc:
            raise InvalidArgument(f"matrix is not a reference-version matrix ({type(exc).__name__})") from None

    return checked


def _header(name: str, entry: Mapping[str, Any]) -> list[str]:
    summary = entry["summary"]
    versions = ", ".join(f"{v} (pinned)" if v == summary["pinned"] else v for v in entry["versions"])
    runtimes = {v: info.get("runtime", {}) for v, info in summary["byVersion"].items()}
    jdks = sorted(
        {
            f"{r['jdk']} ({r['jdkVendor']})" if r.get("jdkVendor") else str(r["jdk"])
            for r in runtimes.values()
            if r.get("jdk")
        }
    )
    nodes = sorted({str(r["node"]) for r in runtimes.values() if r.get("node")})
    lines = [
        f"Reference-version matrix: {name} — {summary['description']}",
        f"{summary['cases']} vectors, versions {versions}; run {summary['date']}"
        + (f", JDK {', '.join(jdks)}" if jdks else "")
        + (f", node {', '.join(nodes)}" if nodes else ""),
    ]
    for version, info in summary["byVersion"].items():
        lines.append(
            f"  {name} {version}: reproduces {info['matchesVectors']} of {summary['cases']} vectors"
            + (f", differs on {len(info['differsFromVectors'])}" if info["differsFromVectors"] else "")
        )
    return lines


@_matrix
def format_text(matrix: Mapping[str, Any]) -> str:
    """The auditor's view: "if the vendor upgrades X from A to B, these N inputs change: ..."."""
    out: list[str] = []
    for name, entry in matrix.items():
        out.extend(_header(name, entry))
        findings = {f["case_id"]: f for f in entry["findings"]}
        for step in entry["summary"]["transitions"]:
            changed = step["changed"]
            count = len(changed)
            said = {0: "0 inputs change.", 1: "this 1 input changes:"}.get(count, f"these {count} inputs change:")
            out.append("")
            out.append(f"If the vendor upgrades {name} from {step['from']} to {step['to']}, {said}")
            for case_id in changed:
                detail = entry["details"][case_id]
                answers = findings[case_id]["answers"]
                out.append(f"  {case_id} {detail['op']} [{', '.join(detail['flags'])}] {detail['comment']}")
                out.append(f"      {step['from']}: {short_answer(answers[step['from']], detail['op'])}")
                out.append(f"      {step['to']}: {short_answer(answers[step['to']], detail['op'])}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


@_matrix
def format_markdown(matrix: Mapping[str, Any]) -> str:
    """The findings as Markdown: the per-version summary, the transitions, and one row per changed vector."""
    out: list[str] = []
    for name, entry in matrix.items():
        summary = entry["summary"]
        versions = entry["versions"]
        out.extend(["", f"### {name}", "", "```", *_header(name, entry), "```", ""])
        out.append("| from | to | inputs that change |")
        out.append("|---|---|---|")
        for step in summary["transitions"]:
            shown = ", ".join(f"`{c}`" for c in step["changed"]) or "none"
            out.append(f"| {step['from']} | {step['to']} | {len(step['changed'])}: {shown} |")
        out.append("")
        if not entry["findings"]:
            out.append("No vector's answer differs between these versions.")
            continue
        marked = [f"{v} (pinned)" if v == summary["pinned"] else v for v in versions]
        out.append("| vector | op | flags | " + " | ".join(marked) + " |")
        out.append("|---|---|---|" + "---|" * len(versions))
        for finding in entry["findings"]:
            detail = entry["details"][finding["case_id"]]
            cells = [short_answer(finding["answers"][v], detail["op"], 28).replace("|", "\\|") for v in versions]
            out.append(
                f"| `{finding['case_id']}` | `{detail['op']}` | {', '.join(detail['flags'])} | "
                + " | ".join(cells)
                + " |"
            )
    return "\n".join(out).strip() + "\n"


DOC_BEGIN = "<!-- version-matrix:begin (generated by conformance versions --write-doc) -->"
DOC_END = "<!-- version-matrix:end -->"


def doc_path() -> Path:
    return REPO_ROOT / "docs" / "reference-versions.md"


def _sections(markdown: str) -> dict[str, str]:
    """:func:`format_markdown`'s rendering cut into its references' sections: name -> the section's text."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in markdown.strip().splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:].strip(), [])
        if current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


def update_doc(matrix: Mapping[str, Any], path: Path | None = None) -> Path:
    """Replace, in the generated block of ``docs/reference-versions.md``, the sections of the references in
    ``matrix`` with :func:`format_markdown`'s rendering; the other references' sections stay, new ones come last.

    Raises :class:`UsageError` when the file cannot be read or written or has no generated block,
    :class:`InvalidArgument` for a matrix that is not one :mod:`conformance.versions` makes.
    """
    path = doc_path() if path is None else path
    text = read_text_file(path, "path")
    start, end = text.find(DOC_BEGIN), text.find(DOC_END)
    if start < 0 or end < start:
        raise UsageError(f"{path}: no generated block ({DOC_BEGIN} ... {DOC_END})")
    sections = _sections(text[start + len(DOC_BEGIN) : end])
    sections.update(_sections(format_markdown(matrix)))
    block = f"{DOC_BEGIN}\n" + "\n\n".join(sections.values()) + f"\n{DOC_END}"
    return write_file(path, (text[:start] + block + text[end + len(DOC_END) :]).encode("utf-8"))
