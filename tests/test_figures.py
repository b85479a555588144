"""README figures are written by the session that measured them (issue 18, item 7): a block per session, with its
date and machine, replaced whole; bad input is one line and exit 3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance import figures
from conformance.errors import UsageError
from conformance.paths import REPO_ROOT

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="2"
skipped="3" tests="10" time="4.2"><testcase classname="t" name="a"><skipped type="pytest.xfail" message="x"/>
</testcase><testcase classname="t" name="b"><skipped type="pytest.xfail" message="x"/></testcase>
<testcase classname="t" name="c"><skipped type="pytest.skip" message="y"/></testcase></testsuite></testsuites>"""


def _readme(tmp_path: Path) -> Path:
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\nbefore\n\n<!-- figures:tests:begin (old) -->\nold figures\n<!-- figures:tests:end -->\n\nafter\n",
        encoding="utf-8",
    )
    return readme


def test_a_block_is_replaced_whole_and_nothing_else(tmp_path: Path) -> None:
    readme = _readme(tmp_path)
    figures.write_block("tests", "new figures", readme)
    text = readme.read_text(encoding="utf-8")
    assert "old figures" not in text and "new figures" in text
    assert text.startswith("# x\n\nbefore\n\n<!-- figures:tests:begin") and text.endswith("end -->\n\nafter\n")
    figures.write_block("tests", "newer", readme)
    assert readme.read_text(encoding="utf-8").count("figures:tests:begin") == 1


def test_the_tests_block_counts_from_the_junit_record(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT, encoding="utf-8")
    body = figures.tests_body(junit, 417.4, "2")
    assert "10 tests, 4 passed, 2 expected failures" in body and "1 skipped, 3 failed" in body
    assert "417 s on 2 worker(s)" in body and re.search(r"measured \d{4}-\d\d-\d\d on \d+ cores", body)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["tests", "--junit", "missing.xml", "--seconds", "1"], "not a JUnit record"),
        (["bench", "--report", "missing.txt"], "cannot be read"),
        (["nope"], "invalid choice"),
        (["tests", "--junit", "x.xml", "--seconds", "soon"], "invalid float value"),
    ],
)
def test_bad_input_is_one_line_and_exit_3(
    argv: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        code = figures.main(argv)
    except SystemExit as exit_:  # a usage error: the CLI's parser exits 3 itself
        code = exit_.code
    assert code == 3
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1


def test_unknown_blocks_and_missing_markers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown figure block"):
        figures.write_block("nope", "x", _readme(tmp_path))
    with pytest.raises(UsageError, match="no figures:bench block"):
        figures.write_block("bench", "x", _readme(tmp_path))
    with pytest.raises(UsageError, match="without HTML comments"):
        figures.write_block("tests", "<!-- x -->", _readme(tmp_path))


@pytest.mark.parametrize("name", figures.NAMES)
def test_the_readme_blocks_were_written_by_a_session(name: str) -> None:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- figures:{name}:begin[^>]*-->\n(.*?)\n<!-- figures:{name}:end -->", text, re.S)
    assert found, f"README has no figures:{name} block"
    assert re.search(r"measured \d{4}-\d\d-\d\d on \d+ cores", found.group(1)), (
        f"the README's {name} figures were not written by `nox -s {name} -- --write-figures`"
    )
