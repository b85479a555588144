"""JUnit XML: one ``<testsuite>`` per implementation, one ``<testcase>`` per (implementation, vector).

A result is a ``<failure>`` (``type`` names its verdict) exactly when the run's gate policy fails it; *unavailable*
is otherwise ``<skipped>``; any other verdict that is not *pass* passes with a note. A vector whose op the
implementation does not implement (*unsupported*) is no test case at all: its suite says how many, in one line
(``<system-out>`` and the ``unsupported`` property). Interop pairs form one more suite.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from conformance import wording
from conformance.errors import InvalidArgument
from conformance.files import write_file
from conformance.judge import is_failure
from conformance.report._files import require_record
from conformance.results import CaseResult, InteropCell, RunRecord

INTEROP_SUITE = "interop (producer -> consumer)"
MESSAGE_CHARS = 300
# Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: Any) -> str:
    """``text`` as a string XML 1.0 can hold: characters it cannot are written as visible ``\\uXXXX``. Raises
    :class:`InvalidArgument` for a value without a text form (an int past Python's digit limit, a list
    nested too deeply)."""
    try:
        shown = text if isinstance(text, str) else str(text)
    except (ValueError, RecursionError):
        raise InvalidArgument(
            "text has no text form (an int of more than 4300 digits, a list nested too deeply)"
        ) from None
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)


def _flatten(prefix: str, value: Any) -> Iterable[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
    elif isinstance(value, str):
        yield prefix, value
    else:
        yield prefix, json.dumps(value, ensure_ascii=True, sort_keys=True)


def _properties(parent: ElementTree.Element, items: Iterable[tuple[str, str]]) -> None:
    properties = ElementTree.SubElement(parent, "properties")
    for name, value in items:
        ElementTree.SubElement(properties, "property", name=xml_text(name), value=xml_text(value))


def _shorten(text: str, limit: int = MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _case_body(case: CaseResult) -> str:
    lines = [
        f"case     {case.case_id} ({case.result}; flags {', '.join(case.flags) or '-'})",
        f"op       {case.op}",
        f"input    {json.dumps(case.input, ensure_ascii=True, sort_keys=True)}",
        *(f"{label:<8} {text}" for label, text in wording.explanation(case.op, case.expected, case.actual, case.notes)),
    ]
    if case.expected is not None:
        diff = wording.value_diff(case.kind, case.expected, case.actual)
        if diff:
            lines += ["", diff]
    return "\n".join(lines)


def _summary(case: CaseResult) -> str:
    return "; ".join(f"{label} {text}" for label, text in wording.explanation(case.op, case.expected, case.actual))


def _testcase(suite: ElementTree.Element, case: CaseResult, record: RunRecord) -> str:
    """Add one testcase; returns its JUnit state: passed, failure or skipped (the gate decides, not this writer)."""
    stem = Path(case.file).stem or case.scheme
    element = ElementTree.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"{case.implementation}.{stem}"),
        name=xml_text(f"{case.case_id} {case.comment}".strip()),
        time=f"{max(case.seconds, 0.0):.6f}",
    )
    verdict = case.verdict
    if record.is_failing(case.implementation, verdict):
        message = f"{verdict}: {case.why or _summary(case)}"
        failure = ElementTree.SubElement(element, "failure", message=xml_text(_shorten(message)), type=verdict)
        failure.text = xml_text(_case_body(case))
        return "failure"
    if verdict == "unavailable":
        reason = case.actual.message or ""
        text = f"unavailable: {case.implementation} runtime is unavailable" + (f": {reason}" if reason else "")
        ElementTree.SubElement(element, "skipped", message=xml_text(_shorten(text)))
        return "skipped"
    if verdict != "pass":
        out = ElementTree.SubElement(element, "system-out")
        out.text = xml_text(f"{verdict} (does not fail the gate): {case.why or _summary(case)}")
    return "passed"


def _not_implemented(cases: list[CaseResult], record: RunRecord) -> list[CaseResult]:
    """The cases that are no test: unsupported (the implementation does not implement the op), and not failing."""
    return [c for c in cases if c.verdict == "unsupported" and not record.is_failing(c.implementation, c.verdict)]


def _interop_testcase(suite: ElementTree.Element, cell: InteropCell, record: RunRecord) -> str:
    label = f"{cell.flow}/{cell.variant}" if cell.variant else cell.flow
    element = ElementTree.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"interop.{label}"),
        name=xml_text(f"{cell.producer} -> {cell.consumer} ({cell.passed}/{cell.total})"),
        time="0",
    )
    if is_failure(cell.verdict, record.policy):
        failure = ElementTree.SubElement(
            element, "failure", message=xml_text(_shorten(f"{cell.verdict}: {cell.detail}")), type=cell.verdict
        )
        failure.text = xml_text(json.dumps(cell.examples, ensure_ascii=True, sort_keys=True, indent=1))
        return "failure"
    if cell.verdict in {"unsupported", "unavailable"}:
        ElementTree.SubElement(element, "skipped", message=xml_text(_shorten(f"{cell.verdict}: {cell.detail}")))
        return "skipped"
    return "passed"


def _suite(root: ElementTree.Element, name: str, timestamp: str) -> ElementTree.Element:
    attributes = {"name": xml_text(name)}
    if timestamp:
        attributes["timestamp"] = xml_text(timestamp)
    return ElementTree.SubElement(root, "testsuite", attributes)


def _count(suite: ElementTree.Element, states: list[str], seconds: float) -> dict[str, int]:
    counts = {
        "tests": len(states),
        "failures": states.count("failure"),
        "errors": 0,
        "skipped": states.count("skipped"),
    }
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", f"{seconds:.6f}")
    return counts


def build_junit(record: RunRecord) -> ElementTree.ElementTree:
    """The JUnit document for ``record``: a result fails exactly when the record's gate policy fails it."""
    require_record(record)
    strict = record.policy.strict
    timestamp = str(record.metadata.get("timestamp", ""))
    root = ElementTree.Element("testsuites", name="handoff-conformance")
    by_implementation: dict[str, list[CaseResult]] = {name: [] for name in record.implementations}
    for case in record.cases:
        by_implementation.setdefault(case.implementation, []).append(case)
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    all_seconds = 0.0
    run_properties = [*_flatten("", record.metadata), ("strict", str(strict).lower())]
    for name, cases in by_implementation.items():
        suite = _suite(root, name, timestamp)
        described = record.implementations.get(name, {})
        _properties(suite, [*run_properties, *_flatten("implementation", described)])
        left_out = _not_implemented(cases, record)
        left = {id(case) for case in left_out}
        counted = [case for case in cases if id(case) not in left]
        states = [_testcase(suite, case, record) for case in counted]
        if left_out:
            ops = sorted({case.op for case in left_out})
            line = f"{len(left_out)} vector(s) not run: {name} does not implement {', '.join(ops)}"
            ElementTree.SubElement(suite, "system-out").text = xml_text(line)
            suite.find("properties").append(  # type: ignore[union-attr]
                ElementTree.Element("property", name="unsupported", value=str(len(left_out)))
            )
        seconds = sum(max(case.seconds, 0.0) for case in cases)
        all_seconds += seconds
        for key, value in _count(suite, states, seconds).items():
            totals[key] += value
    if record.interop:
        suite = _suite(root, INTEROP_SUITE, timestamp)
        _properties(suite, run_properties)
        states = [_interop_testcase(suite, cell, record) for cell in record.interop]
        for key, value in _count(suite, states, 0.0).items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{all_seconds:.6f}")
    tree = ElementTree.ElementTree(root)
    ElementTree.indent(tree, space=" ")
    return tree


def write_junit(record: RunRecord, path: str | Path) -> None:
    """Write ``record`` as JUnit XML (UTF-8, with an XML declaration) to ``path``. Raises :class:`InvalidArgument`
    for a record that is not a RunRecord, :class:`UsageError` for a path that cannot be written."""
    buffer = io.BytesIO()
    build_junit(record).write(buffer, encoding="utf-8", xml_declaration=True)
    write_file(path, buffer.getvalue())
