"""The SDK x SDK matrix: the vendors' own SDKs compared pairwise on the same inputs, every differing cell explained,
the committed ``docs/sdk-matrix.md`` current, and the matrix in the run record and the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance import catalog, registry, runner, sdk_matrix
from conformance.outcome import Outcome
from conformance.report.html import render_html
from conformance.results import RunRecord
from conformance.vectors import iter_cases
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
FLOWS = [entry.id for entry in catalog.FLOWS if entry.sdk_matrix is not None]
_DONE: dict[str, Any] = {}


def matrix(flow_id: str) -> dict[str, Any]:
    spec = catalog.flow(flow_id).sdk_matrix
    assert spec is not None
    for name, _ in spec.sdks:
        require(name)
    if flow_id not in _DONE:
        _DONE[flow_id] = sdk_matrix.compare(flow_id)
    return _DONE[flow_id]


@pytest.mark.parametrize("flow_id", FLOWS)
def test_every_cell_that_differs_is_explained(flow_id: str) -> None:
    found = matrix(flow_id)
    assert found["sdks"] == [name for name, _ in catalog.flow(flow_id).sdk_matrix.sdks]
    for cell in found["cells"]:
        if cell["row"] == cell["column"]:
            assert cell["identical"] == cell["sameVerdict"] == cell["total"], cell
        elif cell["identical"] < cell["total"]:
            assert cell["explained"], cell
        if cell["sameVerdict"] < cell["total"]:
            assert any(" vs " in line.rsplit("(", 1)[-1] for line in cell["explained"]), cell


def test_the_stream_sdks_differ_where_they_are_documented_to() -> None:
    """The Java SDK adds iss and sub and drops typ; node and Python differ on non-ASCII only (DEVIATIONS.md)."""
    found = matrix("stream_chat_token")
    cells = {(c["row"], c["column"]): c for c in found["cells"]}
    java = " ".join(cells["stream-node", "stream-java"]["explained"])
    assert 'typ="JWT" only in stream-node' in java and "iss=" in java and "WeakKey" in java
    assert cells["stream-node", "stream-java"]["identical"] == 0
    python = cells["stream-node", "stream-python"]["explained"]
    assert any(line.startswith("a Unicode id") and "escapes" in line for line in python)
    exp_zero = found["inputs"].index("exp 0")
    assert [found["verdicts"][n][exp_zero] for n in found["sdks"]] == ["accepted", "accepted", "TokenExpired"]


def test_explain_names_each_kind_of_difference() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.x"  # {"alg":"HS256"} {"a":1}
    other = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhIjoxLCJiIjoyfQ.y"  # + typ, + b
    names = ("one", "two")
    said = sdk_matrix.explain(Outcome.of_value(token), Outcome.of_value(other), names)
    assert 'header typ="JWT" only in two' in said and "claims b=2 only in two" in said
    assert sdk_matrix.explain(Outcome.of_value(token), Outcome.of_value(token), names) == ""
    refused = sdk_matrix.explain(Outcome.of_error("WeakKey"), Outcome.of_value(token), names)
    assert refused == "one refused: WeakKey, two signs"


def test_the_committed_document_is_current() -> None:
    found = {flow_id: matrix(flow_id) for flow_id in FLOWS}
    committed = (ROOT / "docs" / "sdk-matrix.md").read_text(encoding="utf-8")
    assert committed == sdk_matrix.markdown(found), "run python -m conformance.sdk_matrix docs/sdk-matrix.md"


def test_the_run_record_and_the_html_report_carry_the_matrix() -> None:
    names = ["python", *(name for name, _ in catalog.flow("stream_chat_token").sdk_matrix.sdks)]
    for name in names:
        require(name)
    cases = list(iter_cases(ROOT / "vectors" / "stream_chat_token.json"))[:5]
    record = runner.run(cases, [registry.shared(n) for n in names], vector_files=[], progress=False)
    assert set(record.sdk_matrix) == {"stream_chat_token"}
    again = RunRecord.from_json(record.to_json())
    assert again.sdk_matrix == record.sdk_matrix
    page = render_html(again)
    assert '<section id="sdks">' in page and "0/13 identical" in page and "WeakKey" in page
