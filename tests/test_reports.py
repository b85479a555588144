"""Reports: JUnit XML structure and counts, JSON round trip, baseline diff, HTML escaping and a real headless browser."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from conformance import report
from conformance.hexdiff import hex_diff
from conformance.outcome import Outcome
from conformance.report.html import render_html, script_json
from conformance.results import CaseResult, InteropCell, RunRecord, VersionFinding
from tests import browser

HOSTILE = "</script><img src=x onerror=\"document.title='pwned'\">&amp;<!--\u2028\u2029\x00"
LONE = "lone \ud800 surrogate \udfff"


def _case(
    impl: str,
    tc_id: int,
    verdict: str,
    *,
    file: str = "khoros_cryptor.json",
    scheme: str = "khoros-cryptor",
    op: str = "khoros.cryptor.encrypt_cbc",
    output: Any = "00ff10",
    actual: dict[str, Any] | None = None,
    input_: dict[str, Any] | None = None,
    comment: str = "",
    error: str | None = None,
) -> CaseResult:
    expected = Outcome.of_error(error) if error else Outcome.of_value(output)
    if actual is None:
        actual = {
            "pass": {"status": "value", "value": output} if not error else {"status": "error", "reason": error},
            "deviation": {"status": "value", "value": "00ff11"},
            "fail": {"status": "value", "value": "00fe10"},
            "io": {"status": "io", "message": "adapter crashed"},
            "unsupported": {"status": "unsupported", "message": f"{op} is not implemented here"},
            "unavailable": {"status": "unavailable", "message": "no JVM"},
        }[verdict]
    stem = Path(file).stem
    return CaseResult(
        case_id=f"{stem}#{tc_id}",
        file=file,
        scheme=scheme,
        op=op,
        tc_id=tc_id,
        implementation=impl,
        verdict=verdict,  # type: ignore[arg-type]
        result="acceptable" if verdict == "deviation" else "valid",
        comment=comment or f"case {tc_id}",
        flags=["Flag"],
        input=input_ or {"key": "00" * 16, "value": f"text {tc_id}"},
        expected=expected,
        actual=Outcome.from_record(actual),
        kind="hex" if op.startswith("khoros.cryptor") else "text",
        seconds=0.001,
    )


def small_record(**metadata: Any) -> RunRecord:
    """python: 2 pass, 1 deviation, 1 fail (hostile input); java: pass, io, unavailable; node: unsupported."""
    cases = [
        _case("python", 1, "pass"),
        _case("python", 2, "pass", error="BadPadding", op="khoros.cryptor.decrypt_cbc"),
        _case("python", 3, "deviation"),
        _case("python", 4, "fail", input_={"value": HOSTILE, "text": LONE}, comment=HOSTILE),
        _case("java", 1, "pass"),
        _case("java", 2, "io", error="BadPadding", op="khoros.cryptor.decrypt_cbc"),
        _case("java", 3, "unavailable"),
        _case("node", 5, "unsupported", file="thread_messenger.json", scheme="thread-messenger", op="thread.x"),
        _case("python", 5, "pass", file="thread_messenger.json", scheme="thread-messenger", op="thread.x"),
    ]
    interop = [
        InteropCell("khoros-cryptor-cbc", "python", "python", "pass", 3, 3),
        InteropCell(
            "khoros-cryptor-cbc",
            "python",
            "java",
            "fail",
            2,
            3,
            detail="consumer java: error BadPadding",
            examples=[{"input": {"value": HOSTILE}, "produced": "aa", "consumed": {"status": "value", "value": "x"}}],
        ),
        InteropCell("khoros-cryptor-cbc", "java", "python", "unavailable", 0, 0, detail="producer java: unavailable"),
        InteropCell("khoros-cryptor-cbc", "java", "java", "unavailable", 0, 0),
    ]
    finding = VersionFinding(
        "commons-codec",
        "khoros_cryptor#1",
        {"1.10": {"status": "value", "value": "00ff10"}, "1.14": {"status": "error", "reason": "IllegalArgument"}},
    )
    return RunRecord(
        metadata={
            "timestamp": "2025-01-01T00:00:00+00:00",
            "commit": "0123456789abcdef",
            "vectorFiles": {"khoros_cryptor.json": "ab" * 32, "thread_messenger.json": "cd" * 32},
            "options": {"strict": False},
            **metadata,
        },
        implementations={
            "python": {"kind": "python", "available": None, "versions": {"python": "3.11"}},
            "java": {"kind": "reference", "available": None, "versions": {"jdk": "17", "commons-codec": "1.17"}},
            "node": {"kind": "reference", "available": None, "versions": {"node": "18"}},
        },
        cases=cases,
        interop=interop,
        version_matrix={
            "commons-codec": {
                "versions": ["1.10", "1.14"],
                "findings": [_as_dict(finding)],
                "summary": {
                    "pinned": "1.14",
                    "transitions": [{"from": "1.10", "to": "1.14", "changed": ["khoros_cryptor#1"]}],
                },
                "details": {"khoros_cryptor#1": {"op": "khoros.cryptor.encrypt_cbc", "comment": "padded key"}},
            },
        },
    )


def _as_dict(finding: VersionFinding) -> dict[str, Any]:
    return {"reference": finding.reference, "case_id": finding.case_id, "answers": finding.answers}


# --- JUnit -------------------------------------------------------------------------------------------------------------


def _suites(path: Path) -> dict[str, ElementTree.Element]:
    root = ElementTree.parse(path).getroot()
    assert root.tag == "testsuites"
    return {suite.get("name", ""): suite for suite in root.findall("testsuite")}


def test_junit_structure_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    report.write_junit(small_record(), path)
    root = ElementTree.parse(path).getroot()
    suites = _suites(path)
    assert list(suites) == ["python", "java", "node", "interop (producer -> consumer)"]
    node_line = suites["node"].findtext("system-out") or ""
    assert node_line == "1 vector(s) not run: node does not implement thread.x"  # one count line, no test
    counts = {
        name: {k: int(s.get(k, "-1")) for k in ("tests", "failures", "errors", "skipped")} for name, s in suites.items()
    }
    assert counts["python"] == {"tests": 5, "failures": 1, "errors": 0, "skipped": 0}
    assert counts["java"] == {"tests": 3, "failures": 1, "errors": 0, "skipped": 1}
    assert counts["node"] == {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    assert counts["interop (producer -> consumer)"] == {"tests": 4, "failures": 1, "errors": 0, "skipped": 2}
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key, "-1")) == sum(c[key] for c in counts.values())
    for name, suite in suites.items():
        assert len(suite.findall("testcase")) == counts[name]["tests"]

    python = suites["python"]
    first = python.find("testcase")
    assert first is not None
    assert first.get("classname") == "python.khoros_cryptor"
    assert first.get("name") == "khoros_cryptor#1 case 1"
    failure = python.find("testcase/failure")
    assert failure is not None and failure.get("type") == "fail"
    assert failure.get("message", "").startswith('fail: expected value "00ff10"; actual value "00fe10"')
    assert "00 FE 10" in (failure.text or "") and "!!" in (failure.text or "")  # the hex diff is in the body
    java_io = suites["java"].find("testcase/failure")
    assert java_io is not None and java_io.get("type") == "io"
    skipped = suites["java"].find("testcase/skipped")
    assert skipped is not None and "unavailable" in skipped.get("message", "")
    deviation = next(t for t in python.findall("testcase") if t.get("name", "").startswith("khoros_cryptor#3"))
    assert deviation.find("failure") is None and "deviation" in (deviation.findtext("system-out") or "")

    properties = {p.get("name"): p.get("value") for p in suites["java"].findall("properties/property")}
    assert properties["commit"] == "0123456789abcdef"
    assert properties["vectorFiles.khoros_cryptor.json"] == "ab" * 32
    assert properties["implementation.versions.commons-codec"] == "1.17"
    assert properties["strict"] == "false"


def test_junit_strict_makes_unavailable_a_failure_and_text_is_xml_safe(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    report.write_junit(small_record(strict=True), path)
    suites = _suites(path)
    assert int(suites["java"].get("failures", "0")) == 2 and int(suites["java"].get("skipped", "9")) == 0
    text = path.read_text(encoding="utf-8")
    assert "\\ud800" in text and "\\u0000" in text  # lone surrogates and NUL written visibly, not raw
    assert "<img" not in text  # the hostile markup is escaped


# --- JSON --------------------------------------------------------------------------------------------------------------


def test_json_round_trip_is_exact_and_stable(tmp_path: Path) -> None:
    record = small_record()
    path = tmp_path / "run.json"
    report.write_json(record, path)
    raw = path.read_bytes()
    raw.decode("utf-8")  # strict UTF-8: lone surrogates did not leak in raw
    loaded = report.load_record(path)
    assert loaded == record
    assert loaded.cases[3].input["text"] == LONE
    report.write_json(loaded, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == raw
    data = json.loads(raw)
    assert list(data) == sorted(data)
    assert data["summary"]["python"]["pass"] == 3


# --- diff --------------------------------------------------------------------------------------------------------------


def _swap(record: RunRecord, impl: str, case_id: str, verdict: str) -> RunRecord:
    copy = RunRecord.from_json(json.loads(json.dumps(record.to_json())))
    for case in copy.cases:
        if case.implementation == impl and case.case_id == case_id:
            case.verdict = verdict  # type: ignore[assignment]
    return copy


def test_diff_regressions_improvements_and_neither() -> None:
    old = small_record()
    assert report.diff_records(old, old).regressions == []
    assert report.diff_exit_code(report.diff_records(old, old)) == 0

    worse = _swap(old, "python", "khoros_cryptor#1", "fail")
    changes = report.diff_records(old, worse)
    assert [(c.implementation, c.case_id, c.old, c.new) for c in changes.regressions] == [
        ("python", "khoros_cryptor#1", "pass", "fail")
    ]
    assert changes.exit_code == report.diff_exit_code(changes) == 2
    assert "REGRESSIONS (1)" in report.format_diff(changes)

    better = report.diff_records(worse, old)
    assert better.regressions == [] and better.exit_code == 0
    assert [(c.old, c.new) for c in better.improvements] == [("fail", "pass")]

    fixed_java = _swap(_swap(old, "java", "khoros_cryptor#2", "pass"), "java", "khoros_cryptor#3", "pass")
    assert {(c.case_id, c.old) for c in report.diff_records(old, fixed_java).improvements} == {
        ("khoros_cryptor#2", "io")
    }
    strict_fixed = RunRecord.from_json({**fixed_java.to_json(), "metadata": {**fixed_java.metadata, "strict": True}})
    assert {(c.case_id, c.old) for c in report.diff_records(old, strict_fixed).improvements} == {
        ("khoros_cryptor#2", "io"),
        ("khoros_cryptor#3", "unavailable"),
    }

    gone = RunRecord.from_json(old.to_json())
    gone.cases = [c for c in gone.cases if not (c.implementation == "python" and c.tc_id == 1)]
    missing = report.diff_records(old, gone)
    assert [(c.case_id, c.new) for c in missing.regressions] == [("khoros_cryptor#1", "missing")]

    interop_worse = RunRecord.from_json(old.to_json())
    interop_worse.interop[0].verdict = "io"
    assert [c.implementation for c in report.diff_records(old, interop_worse).regressions] == ["python->python"]


def test_diff_unavailable_is_neither_unless_strict() -> None:
    old = small_record()
    new = _swap(old, "python", "khoros_cryptor#1", "unavailable")
    relaxed = report.diff_records(old, new)
    assert relaxed.regressions == [] and [c.new for c in relaxed.other] == ["unavailable"]
    assert relaxed.exit_code == 0
    assert "other changes" in report.format_diff(relaxed)
    strict_run = RunRecord.from_json({**new.to_json(), "metadata": {**new.metadata, "strict": True}})
    strict = report.diff_records(old, strict_run)  # strict taken from the new run's metadata
    assert [c.new for c in strict.regressions] == ["unavailable"] and strict.exit_code == 2


def test_diff_a_pass_that_becomes_unsupported_or_missing_is_a_regression() -> None:
    old = small_record()
    unsupported = report.diff_records(old, _swap(old, "python", "khoros_cryptor#1", "unsupported"))
    assert [(c.old, c.new) for c in unsupported.regressions] == [("pass", "unsupported")]
    assert unsupported.exit_code == 2
    was_unsupported = _swap(old, "python", "khoros_cryptor#1", "unsupported")
    assert report.diff_records(was_unsupported, old).regressions == []


def test_diff_follows_the_gate_policy_of_the_new_record() -> None:
    old = small_record()
    mismatch = _swap(old, "java", "khoros_cryptor#1", "reason_mismatch")
    assert report.diff_records(old, mismatch).regressions == []  # not in the default --fail-on
    failing = RunRecord.from_json(mismatch.to_json())
    failing.metadata["policy"] = {"failOn": ["unsafe", "fail", "io", "reason_mismatch"], "strict": False}
    assert [c.new for c in report.diff_records(old, failing).regressions] == ["reason_mismatch"]
    python = _swap(old, "python", "khoros_cryptor#1", "reason_mismatch")
    assert [c.new for c in report.diff_records(old, python).regressions] == ["reason_mismatch"]  # python promises it


def test_diff_files_through_json(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    report.write_json(small_record(), old)
    report.write_json(_swap(small_record(), "python", "thread_messenger#5", "fail"), new)
    changes = report.diff_records(report.load_record(old), report.load_record(new))
    assert changes.exit_code == 2 and changes.regressions[0].case_id == "thread_messenger#5"


# --- HTML --------------------------------------------------------------------------------------------------------------


def test_pass_share_words() -> None:
    from conformance.report.html import pass_share

    assert pass_share({"pass": 59, "deviation": 4, "unsupported": 7}) == "59 of 63 pass; 4 deviations"
    assert pass_share({"pass": 1, "deviation": 1, "fail": 2}) == "1 of 4 pass; 1 deviation, 2 fail"


def test_script_json_cannot_end_the_script_element() -> None:
    text = script_json({"a": HOSTILE, "b": LONE, HOSTILE: 1})
    assert text.isascii()
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"a": HOSTILE, "b": LONE, HOSTILE: 1}


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    report.write_html(small_record(), path)
    text = path.read_text(encoding="utf-8")
    assert text.count("</script>") == 2  # only the data block's and the script's own
    assert "<img" not in text and 'onerror="document' not in text
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text)  # nothing external
    assert "@import" not in text and "url(" not in text
    assert "default-src 'none'" in text
    assert "If the vendor upgrades commons-codec, these inputs change" in text
    assert "1.14 (pinned)" in text and "error IllegalArgument" in text and "padded key" in text
    assert "ab" * 32 in text  # vector file SHA-256
    summary = text[text.index('<section id="summary">') : text.index('<section id="flows">')]
    assert "<th>flow</th>" in summary and "<th>vendor</th>" not in summary
    assert '<td class="v-fail">2 of 4 pass; 1 fail, 1 deviation</td>' in summary
    assert '<td class="v-pass">1 of 1 pass</td>' in summary
    assert "<th>node</th>" not in summary and "implement none of the selected ops): node" in summary
    assert "0123456789ab" in text  # commit


def test_byte_level_diff_only_for_bytes_and_text_outputs() -> None:
    from conformance.wording import diff_operands

    value = Outcome.of_value
    assert diff_operands("hex", value("00ff"), value("00fe")) == (b"\x00\xff", b"\x00\xfe")
    assert diff_operands("text", value("00ff"), value("00fe")) == (b"00ff", b"00fe")  # text is not re-guessed as hex
    assert diff_operands("text", value(LONE), value("x"))[0] == LONE.encode("utf-8", "surrogatepass")  # type: ignore[index]
    assert diff_operands("boolean", value(False), value(True)) is None  # no diff of "false" against "true"
    assert diff_operands("json", value({"a": 1}), value({"a": 2})) is None
    assert diff_operands("hex", value("00"), Outcome.of_error("BadTag")) is None


def test_html_size_stays_reasonable_for_2000_cases_by_8_implementations(tmp_path: Path) -> None:
    record = _large_record(2000, 8)
    began = time.monotonic()
    text = render_html(record)
    assert time.monotonic() - began < 10
    assert len(text) < 8_000_000, len(text)


def _large_record(vectors: int, impls: int) -> RunRecord:
    names = [f"impl{i}" for i in range(impls)]
    cases = []
    for tc in range(1, vectors + 1):
        op = f"khoros.cryptor.op{tc % 5}"
        for i, name in enumerate(names):
            verdict = "fail" if (tc * 7 + i) % 97 == 0 else ("unsupported" if i == impls - 1 else "pass")
            cases.append(_case(name, tc, verdict, op=op, output="00" * 40, input_={"key": "11" * 32, "iv": "22" * 16}))
    return RunRecord(
        metadata={"timestamp": "t", "commit": "c"},
        implementations={n: {"kind": "x", "available": None, "versions": {}} for n in names},
        cases=cases,
        interop=[InteropCell("flow", a, b, "pass", 1, 1) for a in names for b in names],
        version_matrix={},
    )


# --- a real headless browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    return browser.require()


def _load(chromium: str, page: Path, fragment: str, tmp_path: Path) -> tuple[str, str]:
    """The DOM after load and chromium's stderr (console messages are logged there)."""
    profile = tmp_path / f"profile-{abs(hash(fragment))}"
    done = browser.run(chromium, page, ["--virtual-time-budget=5000", "--dump-dom"], profile, fragment)
    return done.stdout, done.stderr


def _console_errors(stderr: str) -> list[str]:
    """Console lines chromium logged; the report writes none, so any (error, CSP refusal, uncaught) is a fault."""
    return [
        line
        for line in stderr.splitlines()
        if ":CONSOLE" in line or "Uncaught" in line or "Content Security Policy" in line
    ]


def _body(dom: str) -> str:
    match = re.search(r"<body[^>]*>", dom)
    assert match, dom[:2000]
    return match.group(0)


def test_console_error_detection_catches_a_broken_page(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><body><script>console.error('boom'); notDefined();</script></body>")
    _, stderr = _load(chromium, page, "", tmp_path)
    errors = _console_errors(stderr)
    assert any("boom" in line for line in errors) and any("Uncaught" in line for line in errors)


def test_html_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    record = small_record()
    page = tmp_path / "report.html"
    report.write_html(record, page)

    dom, stderr = _load(chromium, page, "", tmp_path)
    assert not _console_errors(stderr), _console_errors(stderr)
    assert 'data-selfcheck="ok"' in _body(dom), re.findall(r'<pre id="report-errors".*?</pre>', dom, re.S)
    assert "python|khoros_cryptor#4" in _body(dom)  # the self-check rendered the failing cell's details
    assert dom.count('class="matrix"') == 2  # one matrix per flow (vector file), built by the script
    assert 'class="interop"' in dom
    assert 'id="cell-3-0"' in dom  # the failing group was opened: python's cell for the hostile vector
    group = re.search(r'<tr class="group-row" data-group="0:1">(.*?)</tr>', dom, re.S)
    assert group is not None and "khoros.cryptor.encrypt_cbc (3)" in group.group(1)
    assert re.findall(r'class="cell group-cell v-(\w+)"', group.group(1)) == ["fail", "unavailable", "none"]
    assert re.search(r"<title>handoff-conformance report [^<]*</title>", dom)  # the injected script never ran
    assert "<img" not in dom  # the hostile input stayed text

    cell = urllib.parse.quote("python|khoros_cryptor#4", safe="")
    dom, stderr = _load(chromium, page, f"#open={cell}", tmp_path)
    assert not _console_errors(stderr), _console_errors(stderr)
    assert 'data-selfcheck="ok"' in _body(dom)
    details = dom[dom.index('<aside id="details"') :]
    assert details.startswith('<aside id="details">'), details[:200]  # shown (no "hidden")
    assert 'data-cell="python|khoros_cryptor#4"' in details
    assert "&lt;/script&gt;&lt;img" in details  # the input, as text
    assert "\\ud800" in details  # the lone surrogate shown visibly
    expected_diff = hex_diff(bytes.fromhex("00ff10"), bytes.fromhex("00fe10"), labels=("expected", "actual"))
    rendered = re.search(r'<pre class="hexdiff">(.*?)</pre>', details, re.S)
    assert rendered is not None
    assert re.sub(r"<[^>]+>", "", rendered.group(1)).rstrip("\n") == expected_diff  # same as conformance.hexdiff

    interop = urllib.parse.quote("interop|khoros-cryptor-cbc|python|java", safe="")
    dom, stderr = _load(chromium, page, f"#open={interop}", tmp_path)
    assert not _console_errors(stderr) and 'data-selfcheck="ok"' in _body(dom)
    assert 'data-cell="interop|khoros-cryptor-cbc|python|java"' in dom


def test_html_hexdiff_of_text_matches_python_in_chromium(chromium: str, tmp_path: Path) -> None:
    text_expected, text_actual = "h\u00e9llo \U0001f600 " + LONE, "h\u00e9llo \U0001f600 lone"
    case = _case("python", 1, "fail", output=text_expected, actual={"status": "value", "value": text_actual})
    record = RunRecord(metadata={}, implementations={"python": {}}, cases=[case])
    page = tmp_path / "text.html"
    report.write_html(record, page)
    dom, stderr = _load(chromium, page, "#open=" + urllib.parse.quote("python|khoros_cryptor#1", safe=""), tmp_path)
    assert not _console_errors(stderr)
    rendered = re.search(r'<pre class="hexdiff">(.*?)</pre>', dom, re.S)
    assert rendered is not None
    assert re.sub(r"<[^>]+>", "", rendered.group(1)).rstrip("\n") == hex_diff(
        text_expected, text_actual, labels=("expected", "actual")
    )


def test_html_large_record_loads_in_chromium(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "large.html"
    report.write_html(_large_record(2000, 8), page)
    began = time.monotonic()
    dom, stderr = _load(chromium, page, "", tmp_path)
    assert time.monotonic() - began < 60
    assert not _console_errors(stderr)
    assert 'data-selfcheck="ok"' in _body(dom)


def test_conformance_diff_command_exit_codes(tmp_path: Path) -> None:
    import io

    from conformance import cli

    old, same, worse = tmp_path / "old.json", tmp_path / "same.json", tmp_path / "worse.json"
    report.write_json(small_record(), old)
    report.write_json(small_record(), same)
    report.write_json(_swap(small_record(), "java", "khoros_cryptor#1", "io"), worse)
    out = io.StringIO()
    assert cli.main(["diff", str(old), str(same)], out=out) == 0
    assert cli.main(["diff", str(old), str(worse)], out=out) == 2
    assert "REGRESSIONS (1)" in out.getvalue() and "khoros_cryptor#1" in out.getvalue()
    assert cli.main(["diff", str(worse), str(old)], out=io.StringIO()) == 0  # improvements never fail the gate
