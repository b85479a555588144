"""JUnit XML: one ``<testsuite>`` per implementation, one ``<testcase>`` per (implementation, vector).

A result is a ``<failure>`` (``type`` names its verdict) exactly when the run's gate policy fails it; *unsupported*
and *unavailable* are otherwise ``<skipped>``; any other verdict that is not *pass* passes with a note.
Interop pairs form one more suite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from conformance.judge import is_failure
from conformance.report.details import describe_actual, describe_expected, value_diff
from conformance.results import CaseResult, InteropCell, RunRecord

INTEROP_SUITE = "interop (producer -> consumer)"
MESSAGE_CHARS = 300
# Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: Any) -> str:
    """``text`` as a string XML 1.0 can hold: characters it cannot are written as visible ``\\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


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
        f"expected {describe_expected(case.expected)}",
        f"actual   {describe_actual(case.actual)}",
    ]
    diff = value_diff(case.expected, case.actual)
    if diff:
        lines += ["", diff]
    return "\n".join(lines)


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
    summary = f"expected {describe_expected(case.expected)}, got {describe_actual(case.actual)}"
    verdict = case.verdict
    if record.is_failing(case.implementation, verdict):
        message = f"{verdict}: {case.why or summary}"
        failure = ElementTree.SubElement(element, "failure", message=xml_text(_shorten(message)), type=verdict)
        failure.text = xml_text(_case_body(case))
        return "failure"
    if verdict in {"unsupported", "unavailable"}:
        reason = case.actual.get("message") or ""
        text = f"{verdict}: {case.implementation} " + (
            "does not implement " + case.op if verdict == "unsupported" else "runtime is unavailable"
        )
        ElementTree.SubElement(
            element, "skipped", message=xml_text(_shorten(f"{text}{': ' + reason if reason else ''}"))
        )
        return "skipped"
    if verdict != "pass":
        out = ElementTree.SubElement(element, "system-out")
        out.text = xml_text(f"{verdict} (does not fail the gate): {case.why or summary}")
    return "passed"


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
        states = [_testcase(suite, case, record) for case in cases]
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
    """Write ``record`` as JUnit XML (UTF-8, with an XML declaration) to ``path``."""
    build_junit(record).write(path, encoding="utf-8", xml_declaration=True)
