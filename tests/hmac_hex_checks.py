"""The checks every flow of the ``hmac_hex`` kinds runs (tests/test_intercom_identity.py, tests/test_email_hmac.py
call them with their flow): vectors in the port and each reference, a small campaign, the example adapters'
verdicts, audit proofs, and inspect's friendly form. Op names are read from the catalog, never written here."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from conformance import catalog, registry
from conformance.audit.adapter_probes import probe
from conformance.audit.model import PROOFS, SEVERITIES, run_proof
from conformance.catalog import Flow, Op
from conformance.cli import main
from conformance.contract import adapter
from conformance.fuzz import engine
from conformance.fuzz.plan import Plan, check, select_ops
from conformance.paths import data_dir
from conformance.runner import run_cases
from conformance.spec import ImplementationSpec
from conformance.vectors import VectorCase, iter_cases
from tests.conftest import require

ADAPTER = Path(__file__).resolve().parents[1] / "examples" / "adapters" / "python" / "user_hash.py"
#: Flags whose acceptance is a bypass: what an accept-every-hash adapter is unsafe on.
BYPASS = {"WrongField", "TruncatedHash", "ModifiedHash", "EmptyHash", "WrongSecret", "WrongPlatformSecret"}


def cases(flow: Flow) -> list[VectorCase]:
    return list(iter_cases(data_dir() / flow.vector_file))


def verifiers(flow: Flow) -> list[Op]:
    return [op for op in flow.ops if op.kind == "hmac_hex.verify"]


def every_vector_passes(flow: Flow, name: str) -> None:
    """``name`` (the port or a reference) answers every vector of ``flow`` as the vectors record."""
    require(name)
    chosen = cases(flow)
    results = run_cases(chosen, [registry.shared(name)], progress=False)
    failing = [(r.case_id, r.verdict, r.why) for r in results if r.verdict != "pass"]
    assert not failing and len(results) == len(chosen), failing[:5]


def small_campaign_finds_no_divergence(flow: Flow, reference: str, per_op: int = 150) -> None:
    """A small ``conformance fuzz`` campaign (the kinds' generators) of the port against ``reference``: every op
    reached, no divergence."""
    require(reference)
    requested = per_op * len(flow.ops)
    plan = Plan(
        flow.id,
        select_ops(flow.id),
        ImplementationSpec.builtin("python"),
        ImplementationSpec.builtin(reference),
        requested,
        seed=16,
        minimize=0,
    )
    result = engine.run(check(plan)[0])
    first = result.divergences[0] if result.divergences else None
    assert first is None, (reference, first.op, first.args, first.reference.describe(), first.actual.describe())
    assert result.complete and result.cases == requested, (reference, result.cases)
    assert set(result.per_op) == set(flow.op_names), sorted(result.per_op)


def adapter_cases(tmp_path: Path, flow: Flow, mode: str) -> list[dict[str, Any]]:
    """The case records of ``conformance run`` for the example adapter in ``mode``, on ``flow``."""
    target = tmp_path / f"{flow.id}-{mode}.json"
    command = f"{mode}={shlex.quote(sys.executable)} {shlex.quote(str(ADAPTER))} {mode}"
    options = ["run", "--quiet", "--no-interop", "--impl", "python", "--adapter", command, "--flow", flow.id]
    main([*options, "--json", str(target)], out=io.StringIO())
    return [c for c in json.loads(target.read_text())["cases"] if c["implementation"] == mode]


def accept_every_hash_is_unsafe(tmp_path: Path, flow: Flow) -> set[str]:
    """An adapter that accepts every hash earns ``unsafe`` on each verifier of ``flow``, only for bypass flags;
    returns the flags it was unsafe on."""
    found = adapter_cases(tmp_path, flow, "accept-every-hash")
    unsafe = [c for c in found if c["verdict"] == "unsafe"]
    assert {c["op"] for c in unsafe} == {op.name for op in verifiers(flow)}
    assert all(set(c["flags"]) & (BYPASS | {"OtherIdentity"}) for c in unsafe), [c["flags"] for c in unsafe][:5]
    return {flag for c in unsafe for flag in c["flags"]}


def probes_prove_accept_every_hash(flow: Flow) -> dict[str, set[str]]:
    """``conformance audit --adapter``'s probes against the accept-every-hash adapter: every probe of every verifier
    of ``flow`` is proved; returns the probes proved per op."""
    command = f"accept-every-hash={shlex.quote(sys.executable)} {shlex.quote(str(ADAPTER))} accept-every-hash"
    implementation = adapter(command, timeout=30)
    try:
        findings = probe(implementation)
    finally:
        implementation.close()
    proved: dict[str, set[str]] = {}
    for finding in findings:
        _, _, name, op = finding.id.split(":", 3)
        if op in flow.op_names:
            assert finding.status == "proved", (finding.id, finding.why)
            proved.setdefault(op, set()).add(name)
    for op in verifiers(flow):
        assert proved.get(op.name) == set(catalog.part(op.name).probes().attacks), op.name  # type: ignore[union-attr]
    return proved


def uppercase_hex_verdicts(tmp_path: Path, flow: Flow) -> dict[str, set[str]]:
    """What an adapter that upper-cases its hex earns on the valid vectors of each sign op of ``flow``."""
    for name in flow.references:
        require(name)
    signers = {op.name for op in flow.ops if op.kind == "hmac_hex.sign"}
    verdicts: dict[str, set[str]] = {}
    for case in adapter_cases(tmp_path, flow, "uppercase-hex"):
        if case["result"] == "valid" and case["op"] in signers:
            verdicts.setdefault(case["op"], set()).add(case["verdict"])
    return verdicts


def proved(finding_id: str) -> str:
    """The audit proof ``finding_id`` is ``proved`` against the live references, complete; returns its ``why``."""
    for name in PROOFS[finding_id].references:
        require(name)
    finding = run_proof(PROOFS[finding_id])
    assert finding.status == "proved", finding.why
    assert finding.severity in SEVERITIES and finding.severity_reasoning and re.fullmatch(r"CWE-\d+", finding.cwe)
    assert finding.attacker_model and finding.ran and finding.mitigation and finding.artifacts
    assert finding.references and all(finding.references.values())
    assert finding.figures["queries"] > 0
    return finding.why


def user_hash(secret: str, identity: str) -> str:
    """HMAC-SHA256 hex, as Python's hmac computes it (the test's own, independent of the port)."""
    return hmac.new(secret.encode(), identity.encode(), hashlib.sha256).hexdigest()


def inspect_says(capsys: Any, *argv: str) -> tuple[int, str]:
    """``conformance inspect`` with ``argv``: its exit code and its headline (or its one-line error)."""
    for name in ("ruby", "php", "node"):
        require(name)
    code = main(["inspect", *argv], out=(out := io.StringIO()))
    error = capsys.readouterr().err.strip()
    return code, (out.getvalue().splitlines() or [error])[0]


def names_the_mistake(capsys: Any, op: str, flag: str, **forms: str) -> None:
    """inspect's friendly form (``--key`` the hash, ``--secret``, the identity) on a hash made with the mistake
    ``flag`` names it first; the secret never appears in the output."""
    argv = ["--op", op, *(f"--{k.replace('_', '-')}={v}" for k, v in forms.items())]
    code, headline = inspect_says(capsys, *argv)
    assert (code, headline) == (1, f"DOES NOT CONFORM: ruby refuses it; most likely {flag}"), headline
    assert forms["secret"].strip() not in headline


__all__ = [
    "accept_every_hash_is_unsafe",
    "adapter_cases",
    "cases",
    "every_vector_passes",
    "inspect_says",
    "names_the_mistake",
    "probes_prove_accept_every_hash",
    "proved",
    "small_campaign_finds_no_divergence",
    "uppercase_hex_verdicts",
    "user_hash",
    "verifiers",
]
