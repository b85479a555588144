"""The CLI on bad input: every usage or environment error is one line on stderr, exit code 3, never a traceback.

Each case runs twice: through ``main()`` in this process and through a real ``python -m conformance.cli``
subprocess (outside the checkout). Every subcommand is covered: ``run``, ``diff``, ``list``, ``versions``, ``audit``
and ``fuzz``. Errors that can be found before a run are found before it: nothing is started, nothing is written.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conformance import cli, paths
from conformance.cli import EXIT_USAGE, main

FORKSERVER = Path(__file__).resolve().parent / "fixtures" / "cli_forkserver.py"
#: One case in this many runs as a new interpreter (the others in a forked process: test_as_a_subprocess).
FRESH_EVERY = 16
VALID_FLOWS = "boldchat_pgp, boldchat_sha512"  # the start of the list every unknown --flow gets

#: id -> (argv with {placeholders}, words stderr must hold). Placeholders are the ``places`` fixture's paths.
CASES: dict[str, tuple[list[str], list[str]]] = {
    # run: the adapter spec, before anything starts
    "run-adapter-unbalanced-quote": (["run", "--adapter", 'mine="node my.js'], ["--adapter mine", "cannot be split"]),
    "run-adapter-no-command": (["run", "--adapter", "mine"], ["NAME=COMMAND"]),
    "run-adapter-twice": (["run", "--impl", "python", "--adapter", "python=x"], ["used twice"]),
    "run-adapter-timeout-nan": (["run", "--adapter-timeout", "nan"], ["--adapter-timeout", "positive"]),
    "run-adapter-timeout-text": (["run", "--adapter-timeout", "soon"], ["--adapter-timeout", "not a number"]),
    # run: output paths and the baseline, before the run
    "run-html-directory": (["run", "--html", "{dir}"], ["--html", "is a directory"]),
    "run-junit-directory": (["run", "--junit", "{dir}"], ["--junit", "is a directory"]),
    "run-json-fifo": (["run", "--json", "{fifo}"], ["--json", "not a regular file"]),
    "run-json-under-a-file": (["run", "--json", "{file}/run.json"], ["--json", "is not a directory"]),
    "run-html-unwritable": (["run", "--html", "{unwritable}"], ["--html", "cannot be"]),
    "run-junit-nul": (["run", "--junit", "a\0b.xml"], ["--junit", "NUL"]),
    "run-baseline-missing": (["run", "--baseline", "{missing}"], ["--baseline", "no such file"]),
    "run-baseline-directory": (["run", "--baseline", "{dir}"], ["--baseline", "is a directory"]),
    "run-baseline-not-json": (["run", "--baseline", "{garbage}"], ["--baseline", "not a readable JSON file"]),
    "run-baseline-deep-json": (["run", "--baseline", "{deep}"], ["--baseline", "not a readable JSON file"]),
    "run-baseline-not-a-record": (["run", "--baseline", "{object}"], ["--baseline", "not a conformance run record"]),
    # run: vectors and filters
    "run-vectors-file": (["run", "--vectors", "{file}"], ["--vectors", "is a file"]),
    "run-vectors-missing": (["run", "--vectors", "{missing}"], ["no such vectors directory"]),
    "run-vectors-empty": (["run", "--vectors", "{dir}"], ["no vector files"]),
    "run-flow-unknown": (["run", "--flow", "khoros"], ["--flow", "'khoros'", VALID_FLOWS]),
    "run-flow-typo-in-list": (
        ["run", "--flow", "thread_messenger,khoros_secure_transfr"],
        ["--flow", "'khoros_secure_transfr'", "khoros_secure_transfer"],
    ),
    "run-op-unknown": (["run", "--op", "khoros.nope.*"], ["--op", "'khoros.nope.*'", "khoros.skep.decrypt"]),
    "run-flag-unknown": (["run", "--flag", "NoSuchFlag"], ["--flag", "'NoSuchFlag'", "valid:"]),
    "run-tcid-unknown": (["run", "--tcid", "khoros_cryptor#99999"], ["--tcid", "khoros_cryptor#N"]),
    "run-result-unknown": (["run", "--result", "valid,maybe"], ["--result", "'maybe'", "acceptable, invalid, valid"]),
    "run-filters-select-nothing": (
        ["run", "--flow", "thread_messenger", "--op", "khoros.skep.*"],
        ["select no vectors"],
    ),
    "run-impl-unknown": (["run", "--impl", "python,jav"], ["unknown implementation", "jav", "known: python"]),
    "run-fail-on-unknown": (["run", "--fail-on", "fail,oops"], ["--fail-on", "oops", "verdicts:"]),
    "run-unknown-option": (["run", "--no-such-option"], ["unrecognized arguments"]),
    "no-command": ([], ["required: command"]),
    "unknown-command": (["frobnicate"], ["invalid choice"]),
    # diff
    "diff-missing": (["diff", "{missing}", "{missing}"], ["old", "no such file"]),
    "diff-directory": (["diff", "{dir}", "{dir}"], ["old", "is a directory"]),
    "diff-not-json": (["diff", "{garbage}", "{garbage}"], ["old", "not a readable JSON file"]),
    "diff-not-a-record": (["diff", "{object}", "{object}"], ["old", "not a conformance run record"]),
    "diff-one-argument": (["diff", "{object}"], ["required: new"]),
    # list
    "list-unknown-option": (["list", "--opps"], ["unrecognized arguments"]),
    # versions
    "versions-unknown-reference": (["versions", "--reference", "openssl"], ["--reference", "commons-codec"]),
    "versions-json-directory": (["versions", "--json", "{dir}"], ["--json", "is a directory"]),
    "versions-not-a-version": (["versions", "--versions", "1.22.1,latest!"], ["--versions", "'latest!'"]),
    "versions-unknown-bc": (["versions", "--reference", "bouncycastle", "--versions", "1.99"], ["1.50, 1.86"]),
    "versions-vectors-missing": (["versions", "--vectors", "{missing}"], ["no such vectors directory"]),
    # audit
    "audit-flow-unknown": (["audit", "--flow", "khoros"], ["'khoros'", "khoros_secure_transfer"]),
    "audit-json-directory": (["audit", "--json", "{dir}"], ["--json", "is a directory"]),
    "audit-adapter-unbalanced-quote": (["audit", "--adapter", 'mine="node my.js'], ["cannot be split"]),
    # fuzz
    "fuzz-no-flow": (["fuzz", "--cases", "10"], ["--flow"]),
    "fuzz-flow-unknown": (["fuzz", "--flow", "khoros", "--cases", "10", "--impl", "python"], ["khoros"]),
    "fuzz-cases-not-a-count": (["fuzz", "--flow", "thread_messenger", "--cases", "many"], ["not a count"]),
    "fuzz-json-directory": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "10", "--impl", "python", "--json", "{dir}"],
        ["--json", "is a directory"],
    ),
    "fuzz-merge-nothing": (["fuzz", "merge"], ["merge"]),
    # issue 21: values float() and int() take but no run can use, checked before the run
    "fuzz-adapter-timeout-inf": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--adapter-timeout", "inf"],
        ["--adapter-timeout", "positive"],
    ),
    "fuzz-adapter-timeout-nan": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--adapter-timeout", "nan"],
        ["--adapter-timeout", "positive"],
    ),
    "run-adapter-timeout-inf": (["run", "--adapter-timeout", "inf"], ["--adapter-timeout", "positive"]),
    "fuzz-time-limit-nan": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--time-limit", "nan"],
        ["--time-limit", "positive"],
    ),
    "fuzz-time-limit-negative": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--time-limit", "-1"],
        ["--time-limit", "positive"],
    ),
    "fuzz-merge-keep-negative": (["fuzz", "merge", "{record}", "--keep", "-1"], ["--keep", "at least 0"]),
    "fuzz-jobs-zero": (["fuzz", "--flow", "thread_messenger", "--cases", "5", "--jobs", "0"], ["--jobs", "at least 1"]),
    "fuzz-batch-text": (["fuzz", "--flow", "thread_messenger", "--cases", "5", "--batch", "x"], ["--batch", "whole"]),
    "fuzz-minimize-negative": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--minimize", "-2"],
        ["--minimize", "at least 0"],
    ),
    # issue 21: corrupt campaign records
    "fuzz-merge-deep-record": (["fuzz", "merge", "{deep}"], ["not a readable JSON file"]),
    "fuzz-merge-cases-per-op-not-an-object": (["fuzz", "merge", "{bad_record}"], ["a malformed campaign record"]),
    "fuzz-merge-seed-not-a-number": (["fuzz", "merge", "{bad_seed}"], ["a malformed campaign record"]),
    # issue 21: vector files the schema lets through
    "run-vectors-duplicated-tcid": (["run", "--vectors", "{dup_tcid}"], ["tcId repeats"]),
    "run-vectors-unknown-op": (["run", "--vectors", "{unknown_op}"], ["$.testGroups[0].op"]),
    "run-vectors-other-schema": (["run", "--vectors", "{other_schema}"], ["another file's schema"]),
    # issue 21: a name too long (ENAMETOOLONG) for every path option
    "run-json-long-name": (["run", "--json", "{long}"], ["--json", "cannot be used"]),
    "run-junit-long-name": (["run", "--junit", "{long}"], ["--junit", "cannot be used"]),
    "run-html-long-name": (["run", "--html", "{long}"], ["--html", "cannot be used"]),
    "run-baseline-long-name": (["run", "--baseline", "{long}"], ["--baseline", "not a readable JSON file"]),
    "run-vectors-long-name": (["run", "--vectors", "{long}"], ["--vectors", "cannot be used"]),
    "diff-long-name": (["diff", "{long}", "{long}"], ["old", "not a readable JSON file"]),
    "fuzz-json-long-name": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--impl", "python", "--json", "{long}"],
        ["--json", "cannot be used"],
    ),
    "fuzz-save-long-name": (
        ["fuzz", "--flow", "thread_messenger", "--cases", "5", "--impl", "python", "--save", "{long}"],
        ["--save", "cannot be used"],
    ),
    "fuzz-merge-json-long-name": (["fuzz", "merge", "{record}", "--json", "{long}"], ["--json", "cannot be used"]),
    "fuzz-merge-record-long-name": (["fuzz", "merge", "{long}"], ["not a readable JSON file"]),
    "audit-json-long-name": (["audit", "--json", "{long}"], ["--json", "cannot be used"]),
    "audit-markdown-long-name": (["audit", "--markdown", "{long}"], ["--markdown", "cannot be used"]),
    "audit-html-long-name": (["audit", "--html", "{long}"], ["--html", "cannot be used"]),
    "versions-json-long-name": (["versions", "--json", "{long}"], ["--json", "cannot be used"]),
    "versions-vectors-long-name": (["versions", "--vectors", "{long}"], ["--vectors"]),
}


def _campaign_record() -> dict[str, object]:
    """A small valid record of a campaign shard, as ``fuzz --json`` writes it."""
    from conformance.fuzz.record import CampaignRecord

    shard = CampaignRecord(
        flow="thread_messenger",
        ops=["thread.connection_key"],
        seed=0,
        requested=5,
        shard_count=1,
        shards=[1],
        implementation={"name": "python"},
        reference={"name": "php"},
    )
    return shard.to_json()


def _vector_dir(folder: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """A vectors folder holding the project's thread_messenger.json, changed by ``change``, and the schemas."""
    shutil.copytree(paths.schemas_dir(), folder / "schemas")
    document = json.loads((paths.data_dir() / "thread_messenger.json").read_text(encoding="utf-8"))
    change(document)
    (folder / "thread_messenger.json").write_text(json.dumps(document), encoding="utf-8")


def _unwritable(root: Path) -> Path:
    """A file path that cannot be created, for root too: /proc takes no new files."""
    locked = root / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        (locked / "probe").touch()
    except OSError:
        return locked / "report.html"
    return Path("/proc/handoff-conformance-report.html")


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli-errors")
    (root / "dir").mkdir()
    (root / "file").write_text("not a folder", encoding="utf-8")
    os.mkfifo(root / "fifo")  # a pipe with no reader: opening it to write would block
    (root / "garbage.json").write_bytes(b"\xff{ nope")
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="ascii")
    (root / "object.json").write_text(json.dumps({"cases": [{"nothing": "here"}]}), encoding="utf-8")
    record = _campaign_record()
    (root / "record.json").write_text(json.dumps(record), encoding="utf-8")
    (root / "bad-record.json").write_text(json.dumps({**record, "casesPerOp": 5}), encoding="utf-8")
    (root / "bad-seed.json").write_text(json.dumps({**record, "seed": "Pl4ntCanary"}), encoding="utf-8")
    vector_dirs = {
        "dup_tcid": lambda d: d["testGroups"][0]["tests"].__setitem__(1, {**d["testGroups"][0]["tests"][1], "tcId": 1}),
        "unknown_op": lambda d: d["testGroups"][0].__setitem__("op", "khoros.skep.decrypt"),
        "other_schema": lambda d: d.__setitem__("schema", "khoros_cryptor.schema.json"),
    }
    for name, change in vector_dirs.items():
        _vector_dir(root / name, change)
    return {
        **{name: str(root / name) for name in vector_dirs},
        "long": str(root / ("n" * 300)),
        "record": str(root / "record.json"),
        "bad_record": str(root / "bad-record.json"),
        "bad_seed": str(root / "bad-seed.json"),
        "dir": str(root / "dir"),
        "file": str(root / "file"),
        "fifo": str(root / "fifo"),
        "missing": str(root / "missing.json"),
        "garbage": str(root / "garbage.json"),
        "deep": str(root / "deep.json"),
        "object": str(root / "object.json"),
        "unwritable": str(_unwritable(root)),
        "cwd": str(root),
    }


def _argv(case: str, places: dict[str, str]) -> list[str]:
    return [part.format(**places) for part in CASES[case][0]]


def _assert_one_line(case: str, code: int, out: str, err: str) -> None:
    lines = err.splitlines()
    assert code == EXIT_USAGE, f"{case}: exit {code}; stderr: {err}"
    assert "Traceback" not in err and len(lines) == 1 and lines[0].strip(), f"{case}: stderr is not one line: {err!r}"
    assert not out, f"{case}: printed to stdout: {out!r}"
    for words in CASES[case][1]:
        assert words in lines[0], f"{case}: {words!r} not in {lines[0]!r}"


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


@pytest.mark.parametrize("case", CASES)
def test_in_process(case: str, places: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    code = main(_argv(case, places), out=out)
    captured = capsys.readouterr()
    _assert_one_line(case, code, out.getvalue() + captured.out, captured.err)


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CI"}


def _subprocess(case: str, places: dict[str, str]) -> tuple[str, int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "conformance.cli", *_argv(case, places)],
        cwd=places["cwd"],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return case, result.returncode, result.stdout, result.stderr


def _forked(cases: list[str], places: dict[str, str]) -> list[tuple[str, int, str, str]]:
    """Each case as ``python -m conformance.cli`` in a process forked from one that imported the package once
    (``tests/fixtures/cli_forkserver.py``): a process of its own, with its own stdout, stderr and exit status."""
    server = subprocess.Popen(
        [sys.executable, str(FORKSERVER)],
        cwd=places["cwd"],
        env=_environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    results = []
    try:
        for case in cases:
            server.stdin.write(json.dumps(_argv(case, places)) + "\n")
            server.stdin.flush()
            answer = json.loads(server.stdout.readline())
            results.append((case, answer["code"], answer["out"], answer["err"]))
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    return results


def test_as_a_subprocess(places: dict[str, str]) -> None:
    """The same cases through ``python -m conformance.cli``: a few started as a new interpreter, every other one in
    a process forked from a server that imported the package once (the same module run as ``__main__``, with its
    own stdio and exit status), which saves a second of start-up per case."""
    runnable = [case for case in CASES if not any("\0" in part for part in CASES[case][0])]  # argv holds no NUL
    fresh = runnable[::FRESH_EVERY]
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = pool.map(lambda case: _subprocess(case, places), fresh)
        results = _forked([case for case in runnable if case not in fresh], places) + list(started)
    assert len(results) == len(runnable)
    problems = []
    for case, code, out, err in results:
        try:
            _assert_one_line(case, code, out, err)
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n".join(problems)


def test_nothing_was_written_before_the_errors(places: dict[str, str]) -> None:
    """The output checks create no file and leave no folder behind them (the run never started)."""
    assert sorted(p.name for p in Path(places["dir"]).iterdir()) == []
    assert not Path(places["unwritable"]).exists()


def test_an_unexpected_error_is_one_line_naming_only_its_class(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last resort: a bug below the CLI is reported in one line with its class, never its message (which may
    hold a key); HANDOFF_DEBUG=1 shows the traceback instead."""

    def broken(_args: object, _out: object) -> int:
        raise RuntimeError("the key is Pl4ntCanary")

    monkeypatch.setattr(cli.listing, "command", broken)
    code = main(["list"], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert err.count("\n") == 1 and "RuntimeError" in err and "report" in err
    assert "Pl4ntCanary" not in err and "Traceback" not in err
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    with pytest.raises(RuntimeError):
        main(["list"], out=io.StringIO())


def test_a_closed_output_pipe_is_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def closed(_args: object, _out: object) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(cli.listing, "command", closed)
    assert main(["list"], out=io.StringIO()) == EXIT_USAGE
    assert "Traceback" not in capsys.readouterr().err
