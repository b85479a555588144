"""The JWT flows' example adapter through ``conformance run --adapter``: a verifier that accepts every token earns
``unsafe`` on every flow of the JWT verifier kinds, and only on security-relevant flags."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path

import pytest

from conformance import catalog
from conformance.cli import main
from conformance.judge import SECURITY_BUG_TYPES
from conformance.paths import vectors_dir
from conformance.vectors import load_file

ADAPTER = Path(__file__).resolve().parents[1] / "examples" / "adapters" / "python" / "jwt_verifier.py"
FLOWS = sorted({catalog.flow_of(op).id for op in catalog.ops_of_kinds(["hs256_jwt.verify", "asym_jws.verify"])})


def test_the_flows_are_the_five_jwt_vendors() -> None:
    jwt_vendors = {"zendesk", "intercom", "kustomer", "drift", "salesforce"}
    assert {catalog.flow(flow).vendor for flow in FLOWS} == jwt_vendors and len(FLOWS) == len(jwt_vendors)


@pytest.mark.parametrize("flow", FLOWS)
def test_an_adapter_that_accepts_every_token_is_unsafe(
    flow: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    target = tmp_path / "run.json"
    command = f"lax={shlex.quote(sys.executable)} {shlex.quote(str(ADAPTER))} accept-every-token"
    options = ["run", "--quiet", "--no-interop", "--impl", "python", "--adapter", command, "--flow", flow]
    assert main([*options, "--json", str(target)], out=io.StringIO()) == 1  # the gate fails
    cases = [c for c in json.loads(target.read_text())["cases"] if c["implementation"] == "lax"]
    unsafe = [c for c in cases if c["verdict"] == "unsafe"]
    assert unsafe and all(c["op"].endswith(".verify") for c in unsafe)
    notes = load_file(vectors_dir() / f"{flow}.json")["notes"]
    assert all(any(notes[f]["bugType"] in SECURITY_BUG_TYPES for f in c["flags"]) for c in unsafe)
    assert {"AlgNone", "Tampered", "Expired"} <= {f for c in unsafe for f in c["flags"]}
