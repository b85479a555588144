"""``conformance fuzz`` end to end: usage errors (one line, exit 3, before anything runs), a planted divergence
(exit 1, the JSON record, candidate vectors), the built-in port (exit 0), shards and ``conformance fuzz merge``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conformance.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, main
from conformance.outcome import capture
from conformance.paths import schemas_dir
from conformance.references import khoros_java
from conformance.vectors import load_file
from tests.test_fuzz import planted

BASE = ["fuzz", "--quiet", "--flow", "khoros_secure_transfer", "--op", "khoros.skep.decrypt"]


def fuzz(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main([*BASE, *args], out=out), out.getvalue()


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["fuzz", "--flow", "nope", "--impl", "python", "--cases", "5"], "unknown flow"),
        (
            ["fuzz", "--flow", "khoros_cryptor", "--op", "khoros.skep.*", "--impl", "python", "--cases", "5"],
            "selects none",
        ),
        (
            [
                "fuzz",
                "--flow",
                "talkative_signed_data",
                "--op",
                "talkative.sign_jose",
                "--impl",
                "python",
                "--cases",
                "5",
            ],
            "randomized",
        ),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "pythn", "--cases", "5"], "unknown implementation"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python,java", "--cases", "5"], "one implementation"),
        (["fuzz", "--flow", "khoros_cryptor", "--cases", "5"], "exactly one of --impl"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--adapter", "a=b", "--cases", "5"], "exactly one"),
        (["fuzz", "--flow", "khoros_cryptor", "--adapter", "nocommand", "--cases", "5"], "NAME=COMMAND"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "5", "--shard", "3/2"], "--shard"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "5", "--shard", "half"], "--shard"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python"], "--cases"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "0"], "at least 1"),
        (
            ["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "5", "--against", "nodes"],
            "unknown implementation",
        ),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "5", "--against", "python"], "itself"),
        (["fuzz", "--flow", "boldchat_validator", "--impl", "python", "--cases", "5"], "answered by both"),
        (["fuzz", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "5", "--jobs", "0"], "--jobs"),
        (["fuzz", "--impl", "python", "--cases", "5"], "--flow"),
        (["fuzz", "merge"], "records"),
        (["fuzz", "merge", "a.json", "--flow", "khoros_cryptor"], "does not take --flow"),
        (["fuzz", "merge", "/nonexistent/a.json"], "no such file"),
        (["fuzz", "extra.json", "--flow", "khoros_cryptor", "--impl", "python", "--cases", "5"], "invalid choice"),
    ],
)
def test_usage_errors_are_one_line_and_exit_3(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv, out=io.StringIO()) == EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1]  # one line; argparse's own errors print the usage before it
    assert err[-1].startswith("conformance fuzz")


def test_unwritable_outputs_are_refused_before_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert fuzz("--impl", "python", "--cases", "5", "--json", str(tmp_path))[0] == EXIT_USAGE
    assert "is a directory" in capsys.readouterr().err
    assert fuzz("--impl", "python", "--cases", "5", "--save", str(a_file))[0] == EXIT_USAGE
    assert "is a file" in capsys.readouterr().err


@pytest.mark.usefixtures("java_reference")
def test_the_builtin_port_has_no_divergence(tmp_path: Path) -> None:
    code, text = fuzz("--impl", "python", "--cases", "3k", "--seed", "5", "--json", str(tmp_path / "r.json"))
    assert code == EXIT_OK, text
    data = json.loads((tmp_path / "r.json").read_text())
    assert (data["cases"], data["divergenceCount"], data["divergences"]) == (3000, 0, [])
    assert data["implementation"]["name"] == "python" and data["reference"]["versions"]["commonsCodec"]
    assert data["casesPerSecond"] > 0 and data["seconds"] > 0 and data["complete"] is True


@pytest.mark.usefixtures("java_reference")
def test_a_planted_divergence_exits_1_with_a_record_and_candidate_vectors(tmp_path: Path) -> None:
    code, text = fuzz(
        "--adapter", planted("nfc"), "--cases", "4000", "--seed", "2", "--minimize", "2",
        "--json", str(tmp_path / "r.json"), "--save", str(tmp_path / "candidates"),
    )  # fmt: skip
    assert code == EXIT_FAILURES, text
    assert "minimized:" in text
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["divergenceCount"] > 0
    first = data["divergences"][0]
    assert set(first) >= {"op", "args", "reference", "actual", "minimized"}
    assert first["minimized"]["args"] and first["reference"]["status"] == "value"
    saved = tmp_path / "candidates" / "khoros_secure_transfer.candidates.json"
    document = load_file(saved, schemas_dir())  # validated against the flow's vector schema
    tests = [test for group in document["testGroups"] for test in group["tests"]]
    assert len(tests) >= 1
    for test in tests:
        answer = capture(khoros_java.OPS["khoros.skep.decrypt"], test["input"])
        assert answer.value == test["output"]  # the reference's own answer, asked again


@pytest.mark.usefixtures("java_reference")
def test_merge_of_shards_equals_the_unsharded_campaign(tmp_path: Path) -> None:
    common = [
        "--adapter",
        planted("utf8-replace"),
        "--cases",
        "2500",
        "--seed",
        "4",
        "--minimize",
        "0",
        "--keep",
        "5000",
    ]
    assert fuzz(*common, "--json", str(tmp_path / "all.json"))[0] == EXIT_FAILURES
    for k in (1, 2):
        assert fuzz(*common, "--shard", f"{k}/2", "--json", str(tmp_path / f"s{k}.json"))[0] == EXIT_FAILURES
    out = io.StringIO()
    code = main(
        ["fuzz", "merge", str(tmp_path / "s2.json"), str(tmp_path / "s1.json"), "--json", str(tmp_path / "m.json")],
        out=out,
    )
    assert code == EXIT_FAILURES
    whole, merged = (json.loads((tmp_path / name).read_text()) for name in ("all.json", "m.json"))
    assert merged["complete"] and merged["shard"]["indices"] == [1, 2]
    for key in ("cases", "divergenceCount", "divergences", "casesPerOp"):
        assert merged[key] == whole[key], key


@pytest.mark.usefixtures("java_reference")
def test_progress_shows_the_rate_and_divergences(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["fuzz", "--flow", "khoros_cryptor", "--op", "*hash*", "--impl", "python", "--cases", "20k"], out=io.StringIO()
    )
    assert code == EXIT_OK
    err = capsys.readouterr().err
    assert "cases/s" in err and "0 divergences" in err
