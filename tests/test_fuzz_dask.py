"""Campaigns on a Dask cluster: a real LocalCluster of two worker processes (each builds its own JVM and adapter from
the plan's specs) gives the record ``--jobs 2`` gives for the same seed, and finds the planted bug."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conformance.cli import EXIT_FAILURES, EXIT_USAGE, main
from conformance.fuzz import engine
from conformance.fuzz.plan import Plan, check, select_ops
from conformance.spec import ImplementationSpec
from tests.test_fuzz import planted

pytest.importorskip("distributed")

ST = "khoros_secure_transfer"
SAME = ("cases", "casesPerOp", "skipped", "deviations", "divergenceCount", "classes", "divergences")


@pytest.mark.usefixtures("java_reference")
def test_a_local_cluster_gives_the_jobs_record_and_finds_the_planted_bug(tmp_path: Path) -> None:
    plan, _ = check(
        Plan(
            ST,
            select_ops(ST),
            ImplementationSpec.adapter(planted("nfc")),
            ImplementationSpec.builtin("java"),
            3000,
            seed=5,
            keep=200,
            minimize=2,
        )
    )
    jobs = engine.run(plan, jobs=2).to_json()
    target = tmp_path / "dask.json"
    command = ["fuzz", "--quiet", "--flow", ST, "--adapter", planted("nfc"), "--cases", "3000", "--seed", "5"]
    out = io.StringIO()
    code = main([*command, "--keep", "200", "--minimize", "2", "--dask", "local:2", "--json", str(target)], out=out)
    assert code == EXIT_FAILURES, out.getvalue()
    dask = json.loads(target.read_text())
    for key in SAME:
        assert dask[key] == jobs[key], key
    nfc = [entry for entry in dask["classes"] if "Unicode normalization" in entry["signature"]]
    assert nfc and nfc[0]["example"]["minimized"] is not None
    assert "classes of divergence" in out.getvalue()


def test_dask_options_are_checked_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["fuzz", "--flow", ST, "--impl", "python", "--against", "java", "--cases", "5"]
    for extra, message in (
        (["--dask", "local:0"], "local:N"),
        (["--dask", "local:100000"], "from 1 to 64"),
        (["--dask", "tcp://host:99999"], "not a scheduler address"),
        (["--dask", "ftp://host:8786"], "not a scheduler address"),
        (["--dask", "host"], "not a scheduler address"),
        (["--jobs", "300"], "at most 256"),
        (["--dask", "local:2", "--jobs", "2"], "not both"),
    ):
        assert main([*base, *extra], out=io.StringIO()) == EXIT_USAGE
        assert message in capsys.readouterr().err
