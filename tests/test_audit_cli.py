"""``conformance audit``: the report files, a self-contained HTML file with its SVG pictures, the headline, the
exit codes, bad flags (one line, exit 3, before anything runs), tolerant proof-module imports, and the runner's
rule that a proof that cannot run or raises is never ``proved``."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conformance import catalog
from conformance.audit import report, runner, svg
from conformance.audit.model import Proof
from conformance.cli import EXIT_OK, EXIT_USAGE, main
from conformance.errors import InvalidArgument
from tests.conftest import require_reference

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def jwt_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One audit of the widget-JWT flow (node only, about a second), written in the three formats."""
    from conformance.references import node

    require_reference("node", node.available)
    folder = tmp_path_factory.mktemp("audit")
    paths = {
        kind: folder / "sub" / f"audit.{ext}" for kind, ext in (("json", "json"), ("html", "html"), ("markdown", "md"))
    }
    from io import StringIO

    out = StringIO()
    code = main(
        [
            "audit",
            "--flow",
            "khoros_widget_jwt",
            "--json",
            str(paths["json"]),
            "--html",
            str(paths["html"]),
            "--markdown",
            str(paths["markdown"]),
        ],
        out=out,
    )
    return {"code": code, "stdout": out.getvalue(), **paths}


def test_the_audit_writes_three_reports_and_one_headline_line(jwt_reports) -> None:
    assert jwt_reports["code"] == EXIT_OK
    lines = jwt_reports["stdout"].splitlines()
    assert len(lines) == 1 and lines[0].startswith("audit: 3 findings:")
    record = json.loads(jwt_reports["json"].read_text(encoding="utf-8"))
    assert record["format"] == runner.FORMAT
    ids = [f["id"] for f in record["findings"]]
    assert ids == ["JWT-1", "JWT-2", "JWT-3"]
    headline = record["headline"]
    assert headline["findings"] == 3 and sum(headline["by_status"].values()) == 3
    proved = sum(f["status"] == "proved" for f in record["findings"])
    assert sum(headline["by_severity"].values()) == proved, "severities count proved findings only"
    for finding in record["findings"]:
        assert finding["status"] in {"proved", "refuted", "not_reproduced"}
        assert finding["references"]["node"]["jsonwebtoken"]
    assert record["metadata"]["flows"] == ["khoros_widget_jwt"]
    markdown = jwt_reports["markdown"].read_text(encoding="utf-8")
    assert markdown.startswith("# Audit findings\n") and lines[0] in markdown
    assert all(f"### {i}:" in markdown for i in ids)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs


def test_the_html_report_is_self_contained_with_inline_svg(jwt_reports) -> None:
    html = jwt_reports["html"].read_text(encoding="utf-8")
    parsed = _Collector()
    parsed.feed(html)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert not [value for name, value in parsed.attributes if name in {"src", "srcset"}]
    assert all((value or "").startswith("#") for name, value in parsed.attributes if name == "href")
    assert "url(" not in html and "@import" not in html
    # The headline comes first, before any finding.
    assert html.index('class="headline"') < html.index("JWT-1: ")
    svgs = [html[start : html.index("</svg>", start) + 6] for start in _all(html, "<svg ")]
    assert len(svgs) >= 2  # JWT-2's exhaustion times, and the guessing rates across findings
    for picture in svgs:
        ElementTree.fromstring(picture)  # each picture is well-formed XML


def _all(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["audit", *argv])
    captured = capsys.readouterr()
    assert code == EXIT_USAGE, captured.err
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "audit: [" not in captured.err  # nothing ran
    return lines[0]


def test_an_unknown_flow_is_one_line_listing_the_valid_ones(capsys) -> None:
    line = _usage(["--flow", "khoros_secure_transfer,nope"], capsys)
    assert "'nope'" in line and all(flow in line for flow in catalog.flow_ids())


def test_outputs_are_checked_before_anything_runs(tmp_path: Path, capsys) -> None:
    assert "is a directory" in _usage(["--json", str(tmp_path)], capsys)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert "not a directory" in _usage(["--html", str(blocker / "report.html")], capsys)
    assert "not a directory" in _usage(["--markdown", str(blocker / "deeper" / "report.md")], capsys)


def test_a_malformed_adapter_is_a_usage_error(capsys) -> None:
    assert "NAME=COMMAND" in _usage(["--adapter", "no-command"], capsys)
    assert "used twice" in _usage(["--adapter", "java=node x.mjs"], capsys)


def test_an_adapter_is_probed_into_the_same_report(tmp_path: Path, capsys) -> None:
    from conformance.references import node

    require_reference("node", node.available)
    path = tmp_path / "a.json"
    adapter = f"mine=node {REPO / 'examples' / 'adapters' / 'node' / 'adapter.mjs'}"
    assert main(["audit", "--flow", "thread_messenger", "--adapter", adapter, "--quiet", "--json", str(path)]) == 0
    record = json.loads(path.read_text(encoding="utf-8"))
    assert any(f["id"].startswith("ADAPTER:mine") for f in record["findings"])
    assert "mine" in record["metadata"]["adapters"]


def test_every_flow_has_proofs() -> None:
    assert {entry.flow for entry in runner.select(catalog.flow_ids())} == set(catalog.flow_ids())


def _never(*_args: object) -> object:
    raise AssertionError("must not run")


def test_a_proof_whose_reference_is_missing_or_that_raises_is_never_proved() -> None:
    details = {"title": "T", "severity": "high", "mitigation": "M"}
    unknown = runner.run_one(Proof("X-1", "khoros_cryptor", _never, ("no-such-reference",), details))
    assert unknown.status == "not_reproduced" and "no-such-reference" in unknown.why and unknown.title == "T"

    def raises() -> object:
        raise ValueError("boom")

    failed = runner.run_one(Proof("X-2", "khoros_cryptor", raises, (), details))  # type: ignore[arg-type]
    assert failed.status == "not_reproduced" and "ValueError" in failed.why and failed.mitigation == "M"


def test_the_headline_and_the_plots_on_a_made_up_record() -> None:
    made_up = runner.AuditRecord([], {"seconds": 1.25})
    assert (
        report.headline_text(made_up)
        == "audit: 0 findings: 0 proved, 0 refuted, 0 not_reproduced; proved: none (1.2 s)"
    )
    picture = svg.bars(["a <b>", "c"], [1.0, 1e9], title="t & u", unit="s", log=True)
    assert "a &lt;b&gt;" in picture and "t &amp; u" in picture
    ElementTree.fromstring(picture)
    ElementTree.fromstring(svg.histogram({"x": [1, 2, 3], "y": [2, 3, 4]}, title="h", unit="us"))
    ElementTree.fromstring(svg.columns([1, 5, 3], title="c", x_label="x", y_label="y", reference=(2, "two")))
    with pytest.raises(InvalidArgument):
        svg.bars(["a"], [0.0], title="t", unit="s", log=True)
    with pytest.raises(InvalidArgument):
        svg.histogram({"x": []}, title="h", unit="us")
    assert report.shortened(list(range(40)))[-1] == "... (40 values in the JSON report)"
