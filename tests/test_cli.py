"""The ``conformance`` command end to end: exit codes, filters, adapters, baselines, progress."""

from __future__ import annotations

import io
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cli import EXIT_FAILURES, EXIT_OK, EXIT_REGRESSION, EXIT_USAGE, main

ADAPTER = Path(__file__).resolve().parent / "fixtures" / "adapters" / "python_port.py"
SMALL = ["--flow", "khoros_cryptor", "--op", "khoros.cryptor.aes_hash_block,khoros.cryptor.encrypt_cbc"]


def adapter(mode: str, *extra: str) -> str:
    return " ".join(shlex.quote(part) for part in (sys.executable, str(ADAPTER), mode, *extra))


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["run", "--quiet", "--no-interop", *args], out=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def test_python_passes_and_writes_a_record(tmp_path: Path) -> None:
    code, text = run("--impl", "python", *SMALL, "--json", str(tmp_path / "run.json"))
    assert code == EXIT_OK, text
    record = json.loads((tmp_path / "run.json").read_text())
    verdicts = {c["verdict"] for c in record["cases"]}
    assert verdicts == {"pass"} and len(record["cases"]) > 20
    assert record["metadata"]["vectorFiles"]["khoros_cryptor.json"]
    assert record["metadata"]["strict"] is False


def test_a_wrong_adapter_fails_the_gate() -> None:
    code, text = run("--impl", "python", "--adapter", f"mine={adapter('wrong')}", *SMALL)
    assert code == EXIT_FAILURES
    assert "mine" in text


def test_a_crashing_adapter_is_io_and_the_run_goes_on(tmp_path: Path) -> None:
    crashy_adapter = f"crashy={adapter('crash-after', '5')}"
    flows = ["--flow", "khoros_cryptor,khoros_secure_transfer"]  # more than one batch of calls
    code, _ = run("--impl", "python", "--adapter", crashy_adapter, *flows, "--json", str(tmp_path / "r.json"))
    assert code == EXIT_FAILURES
    cases = json.loads((tmp_path / "r.json").read_text())["cases"]
    crashy = [c["verdict"] for c in cases if c["implementation"] == "crashy"]
    assert crashy[:5] == ["pass"] * 5
    assert "io" in crashy
    assert crashy.count("pass") > 5, "after the crash a fresh process answers the next batch"
    assert all(c["verdict"] in {"pass", "deviation"} for c in cases if c["implementation"] == "python")


@pytest.mark.parametrize(
    "args",
    [
        ["--impl", "nope"],
        ["--impl", "python", "--result", "bogus"],
        ["--impl", "python", "--vectors", "/nonexistent/vectors"],
        ["--impl", "python", "--adapter", "no-equals-sign"],
        ["--impl", "python", "--adapter", "python=echo twice"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_3(args: list[str]) -> None:
    assert run(*args)[0] == EXIT_USAGE


def test_baseline_fails_only_on_regressions(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    assert run("--adapter", f"mine={adapter('good')}", "--impl", "python", *SMALL, "--json", str(good))[0] == EXIT_OK
    assert (
        run("--adapter", f"mine={adapter('wrong')}", "--impl", "python", *SMALL, "--json", str(bad))[0] == EXIT_FAILURES
    )
    # the same failures as the baseline: no regression, the gate passes
    assert (
        run("--adapter", f"mine={adapter('wrong')}", "--impl", "python", *SMALL, "--baseline", str(bad))[0] == EXIT_OK
    )
    # passing before, failing now: a regression
    code, text = run("--adapter", f"mine={adapter('wrong')}", "--impl", "python", *SMALL, "--baseline", str(good))
    assert code == EXIT_REGRESSION, text
    # failing before, passing now: an improvement, not a regression
    assert run("--adapter", f"mine={adapter('good')}", "--impl", "python", *SMALL, "--baseline", str(bad))[0] == EXIT_OK
    # a narrower selection than the baseline is not a regression
    assert (
        run("--adapter", f"mine={adapter('good')}", "--impl", "python", *SMALL, "--tcid", "1", "--baseline", str(good))[
            0
        ]
        == EXIT_OK
    )
    out = io.StringIO()
    assert main(["diff", str(good), str(bad)], out=out) == EXIT_REGRESSION
    assert main(["diff", str(bad), str(good)], out=io.StringIO()) == EXIT_OK


def test_filters_select_by_flag_tcid_and_result(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    assert run("--impl", "python", "--flag", "ShortGcmInput", "--json", str(target))[0] == EXIT_OK
    cases = json.loads(target.read_text())["cases"]
    assert cases and all("ShortGcmInput" in c["flags"] for c in cases)
    assert run("--impl", "python", "--result", "acceptable", "--json", str(target))[0] == EXIT_OK
    assert {c["result"] for c in json.loads(target.read_text())["cases"]} == {"acceptable"}
    assert run("--impl", "python", "--tcid", "khoros_cryptor#3", "--json", str(target))[0] == EXIT_OK
    assert [c["case_id"] for c in json.loads(target.read_text())["cases"]] == ["khoros_cryptor#3"]


def test_progress_is_plain_lines_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--impl", "python", *SMALL, "--no-interop"], out=io.StringIO()) == EXIT_OK
    err = capsys.readouterr().err
    assert "vectors:" in err and "\r" not in err


def test_interop_matrix_in_the_summary(java_reference: None) -> None:
    out = io.StringIO()
    code = main(
        ["run", "--quiet", "--impl", "python,java", "--flow", "khoros_secure_transfer", "--op", "khoros.skep.*"],
        out=out,
    )
    assert code == EXIT_OK, out.getvalue()
    assert "interop khoros_secure_transfer [skep]" in out.getvalue()


def test_list_names_every_implementation() -> None:
    out = io.StringIO()
    assert main(["list"], out=out) == EXIT_OK
    for name in ("python", "java", "node", "php", "gnupg", "bc150", "bc-current", "openssl"):
        assert f"\n  {name} " in "\n" + out.getvalue()


def test_version_matrix_reports_the_bouncycastle_change(tmp_path: Path) -> None:
    from tests.conftest import require

    for name in ("bc150", "bc-current"):
        require(name)
    target = tmp_path / "r.json"
    code, text = run("--impl", "python", "--flow", "boldchat_pgp", "--version-matrix", "--json", str(target))
    assert code == EXIT_OK, text
    entry = json.loads(target.read_text())["versionMatrix"]["bouncycastle"]
    assert entry["versions"] == ["1.50", "1.86"]
    assert "If the vendor upgrades bouncycastle from 1.50 to 1.86" in text
    changed = {finding["case_id"] for finding in entry["findings"]}
    assert changed and all(
        "ReasonVaries" in c["flags"] for c in json.loads(target.read_text())["cases"] if c["case_id"] in changed
    )


def test_the_record_and_the_html_lead_with_the_headline_and_hold_every_version(
    tmp_path: Path, java_reference: None
) -> None:
    record_path, html_path = tmp_path / "r.json", tmp_path / "r.html"
    code, text = run("--impl", "python,java", *SMALL, "--json", str(record_path), "--html", str(html_path))
    assert code == EXIT_OK, text
    headline = text.strip().splitlines()[0]
    assert headline.startswith("GATE PASS: ") and text.strip().splitlines()[-1] == headline
    record = json.loads(record_path.read_text())
    for name, described in record["implementations"].items():
        assert described["versions"], f"{name} has no versions in the record"
        assert described["restarts"] == 0
    assert record["implementations"]["java"]["versions"]["commonsCodec"] == "1.22.1"
    page = html_path.read_text(encoding="utf-8")
    assert page.index('id="headline"') < page.index("<table")
    assert headline in page


def test_an_adapter_that_declares_an_op_and_answers_unsupported_fails(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    code, text = run("--impl", "python", "--adapter", f"shirker={adapter('shirk')}", *SMALL, "--json", str(target))
    assert code == EXIT_FAILURES, text
    cases = [c for c in json.loads(target.read_text())["cases"] if c["implementation"] == "shirker"]
    shirked = [c for c in cases if c["op"] == "khoros.cryptor.encrypt_cbc"]
    assert shirked and all(c["verdict"] == "fail" and "declared" in c["why"] for c in shirked)
    assert all(c["verdict"] == "pass" for c in cases if c not in shirked)


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not RFC 8259 JSON")

    return json.loads(text, parse_constant=refuse)


def test_answers_that_are_not_json_are_io_and_the_record_stays_strict_json(tmp_path: Path) -> None:
    """An adapter answering NaN, Infinity and a lone ``{``: each such call is ``io`` with the line quoted, and the
    record parses with a strict parser (Python's without NaN/Infinity, and node's JSON.parse where node is)."""
    target = tmp_path / "run.json"
    code, _ = run("--adapter", f"broken={adapter('not-json')}", *SMALL, "--json", str(target))
    assert code == EXIT_FAILURES
    text = target.read_text(encoding="utf-8")
    record = _strict(text)
    answered = [c for c in record["cases"] if c["implementation"] == "broken"]  # type: ignore[index]
    assert len(answered) >= 6 and {c["verdict"] for c in answered} == {"io"}
    messages = " ".join(c["actual"]["message"] for c in answered)
    assert "not RFC 8259 JSON" in messages
    assert all(word in messages for word in ("NaN", "Infinity", "{"))
    node = shutil.which("node")
    if node is not None:
        parsed = subprocess.run(
            [node, "-e", "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))", str(target)],
            capture_output=True,
            check=False,
        )
        assert parsed.returncode == 0, parsed.stderr


def _closed_stdout(*args: str) -> tuple[int, str]:
    """The CLI's exit code and stderr when the reader of its stdout has gone before it writes (``| head -1``)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, errors = process.communicate(timeout=600)
    return process.returncode, errors


def test_a_closed_stdout_keeps_the_gates_exit_code() -> None:
    code, errors = _closed_stdout("run", "--quiet", "--no-interop", "--impl", "python", *SMALL)
    assert (code, errors) == (EXIT_OK, "")
    options = ["run", "--quiet", "--no-interop", "--adapter", f"wrong={adapter('wrong')}", *SMALL]
    code, errors = _closed_stdout(*options)
    assert (code, errors) == (EXIT_FAILURES, "")


def test_an_adapter_that_cannot_start_is_one_line_before_the_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: not a run of N ``unavailable`` vectors and 25 identical lines, but one line naming the adapter and
    the cause, exit 3, in CI or not."""
    monkeypatch.setenv("CI", "true")
    for spec, cause in (
        ("mine=no-such-binary-here", "cannot start no-such-binary-here"),
        (f"mine={shlex.quote(sys.executable)} -c pass", "no hello"),
    ):
        code, text = run("--adapter", spec, *SMALL)
        errors = capsys.readouterr().err
        assert code == EXIT_USAGE and text == ""
        assert errors.count("\n") == 1 and errors.startswith("conformance run: adapter mine cannot start: ")
        assert cause in errors
