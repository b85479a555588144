"""The checks every flow of the JWT kinds (``hs256_jwt``, ``asym_jws``) runs: each flow's test module calls them
with its ops. The live references are the flow's (node jsonwebtoken, PyJWT, ruby-jwt); where ruby-jwt answers
otherwise than the port, the difference must be one of the documented ones (:data:`conformance.references.ruby.
DISAGREEMENTS`)."""

from __future__ import annotations

import random
import re
from typing import Any

from conformance import catalog, judge, registry, runner
from conformance.audit.adapter_probes import probe
from conformance.audit.model import PROOFS, SEVERITIES, run_proof
from conformance.contract import from_python_object
from conformance.fuzz import engine
from conformance.fuzz.plan import Plan, check, select_ops
from conformance.kinds import jws
from conformance.kinds import jwt as hs256
from conformance.outcome import Outcome
from conformance.paths import vectors_dir
from conformance.references import ruby
from conformance.spec import ImplementationSpec
from conformance.vectors import VectorCase, iter_cases
from tests.conftest import require

#: The references the audit's proofs ask (conformance/audit/hs256_jwt.py).
AUDITED = ("node", "pyjwt")


def references(flow: str) -> tuple[str, ...]:
    """The flow's live references, each required (unavailable: a skip; in CI a failure)."""
    names = catalog.flow(flow).references
    for name in names:
        require(name)
    return names


def documented(name: str, args: Any, reference: Outcome, port: Outcome) -> bool:
    """Whether reference ``name`` answering ``reference`` where the port answered ``port`` is a documented
    disagreement (ruby-jwt's: :data:`conformance.references.ruby.DISAGREEMENTS`)."""
    return name == "ruby" and ruby.documented(args, reference, port) is not None


def cases(flow: str, op: str) -> list[VectorCase]:
    return [case for case in iter_cases(vectors_dir() / f"{flow}.json") if case.op == op]


def every_vector_passes(flow: str) -> None:
    """The port answers every vector as recorded; each reference too, or in bytes every consumer takes alike
    (``equivalent``), or otherwise only on an ``acceptable`` vector (a disagreement of the references)."""
    names = references(flow)
    chosen = _all(flow)
    for result in runner.run_cases(chosen, [registry.shared(name) for name in ("python", *names)], progress=False):
        allowed = ("pass",) if result.implementation == "python" else ("pass", "equivalent", "unsupported")
        if result.result == "acceptable" and result.implementation != "python":
            allowed = (*allowed, "deviation")
        assert result.verdict in allowed, (result.implementation, result.case_id, result.verdict, result.why)
    for name in names:
        assert any(case.op in registry.shared(name).ops() for case in chosen), name


def _all(flow: str) -> list[VectorCase]:
    return list(iter_cases(vectors_dir() / f"{flow}.json"))


def port_agrees_with_references(op: str, count: int = 1500, seed: int = 16) -> None:
    """The port and each reference give the same answer to each mutation of the op's kind, in turn (a documented
    disagreement apart)."""
    names = references(catalog.flow_of(op).id)
    found = catalog.part(op)
    assert found is not None
    kind = {"hs256_jwt.verify": hs256, "asym_jws.verify": jws}[found.kind.name]
    rnd = random.Random(seed)
    made = [kind.verify_case(found.params, rnd, kind.MUTATIONS[i % len(kind.MUTATIONS)]) for i in range(count)]
    calls = [(op, args) for args, _ in made]
    answers = {name: registry.shared(name).call_many(calls) for name in ("python", *names)}
    for index, (args, mutation) in enumerate(made):
        python = answers["python"][index]
        for name in names:
            theirs = answers[name][index]
            agree = judge.same(python, theirs) or documented(name, args, theirs, python)
            assert agree, (mutation, name, python.describe(), theirs.describe())


def campaign_finds_no_divergence(flow: str, cases: int = 3000) -> None:
    """A small ``conformance fuzz`` campaign (the kind's generators) of the port against each reference: no
    divergence but the documented one."""
    for name in references(flow):
        plan, _ = check(
            Plan(
                flow,
                select_ops(flow),
                ImplementationSpec.builtin("python"),
                ImplementationSpec.builtin(name),
                cases,
                seed=16,
                minimize=0,
                keep=cases,
            )
        )
        result = engine.run(plan)
        assert result.complete and result.cases >= 0.85 * cases, (name, result.cases)
        other = [d for d in result.divergences if not documented(name, d.args, d.reference, d.actual)]
        first = other[0] if other else None
        assert first is None, (name, first.op, first.args, first.reference.describe(), first.actual.describe())
        assert len(result.divergences) == result.divergence_count, (name, result.divergence_count)


def _accept_everything(op: str) -> Any:
    return from_python_object({op: lambda _args: {"claims": {}, "identity": {}}}, label="accept-everything")


def accept_everything_is_unsafe(flow: str, op: str, wanted: frozenset[str] = frozenset({"WrongSecret"})) -> set[str]:
    """An adapter that accepts every token earns ``unsafe`` (on alg none, tampering, expiry and ``wanted``);
    returns the flags it was unsafe on."""
    chosen = cases(flow, op)
    adapter = _accept_everything(op)
    outcomes = adapter.call_many([(case.op, case.input) for case in chosen])
    unsafe = {
        flag
        for case, outcome in zip(chosen, outcomes, strict=True)
        if judge.judge(case, outcome).verdict == "unsafe"
        for flag in case.flags
    }
    assert {"AlgNone", "Tampered", "Expired", *wanted} <= unsafe, sorted(unsafe)
    return unsafe


def accept_everything_fails_the_probes(op: str) -> list[str]:
    """Every adapter probe of the op is proved against an adapter that accepts everything."""
    findings = probe(_accept_everything(op))
    proved = [f.id.split(":")[2] for f in findings if f.status == "proved" and f.id.endswith(f":{op}")]
    assert {"alg-none", "forged-signature", "tampered-token", "expired-token"} <= set(proved), proved
    return proved


def the_port_refuses_the_probe_attacks(op: str) -> None:
    """The port (the documented check) accepts the genuine probe input and refuses every attack."""
    findings = probe(registry.shared("python"))
    mine = [f for f in findings if f.flow == catalog.flow_of(op).id]
    assert mine and all(f.status == "refuted" for f in mine), [(f.id, f.status, f.why) for f in mine]


def inspect_names_the_mistakes(op: str) -> None:
    """``conformance inspect`` on the probes' genuine input conforms; signed with the secret's trailing newline,
    or verified after its exp (where no iat window), the live references confirm that mistake first."""
    from conformance.inspect import inspect_args
    from conformance.kinds.jwt import _resigned, _with_secrets

    references(catalog.flow_of(op).id)
    found = catalog.part(op)
    assert found is not None
    genuine = found.probes().genuine
    assert inspect_args(op, genuine).conforms
    broken = {
        "SecretTrailingNewline": {
            **_resigned(found.params, _with_secrets(genuine, lambda secret: secret + "\n"), lambda _h, _c: None),  # type: ignore[dict-item]
            **{k: genuine[k] for k in ("keys", "secret") if k in genuine},
        },
    }
    if found.params.get("iatMaxAge") is None:  # Kustomer's token is too old by then as well: two mistakes, not one
        broken["Expired"] = {**genuine, "now": genuine["now"] + 7200}
    for flag, args in broken.items():
        inspection = inspect_args(op, args)
        assert not inspection.conforms and inspection.diagnoses, (flag, inspection.tried)
        assert inspection.diagnoses[0].flag == flag, [d.flag for d in inspection.diagnoses]


def proved(finding_id: str) -> str:
    """The audit proof ``finding_id`` is ``proved`` against the live references; returns its ``why``."""
    for name in AUDITED:
        require(name)
    finding = run_proof(PROOFS[finding_id])
    assert finding.status == "proved", finding.why
    assert finding.severity in SEVERITIES and finding.severity_reasoning and re.fullmatch(r"CWE-\d+", finding.cwe)
    assert finding.attacker_model and finding.preconditions and finding.ran and finding.mitigation and finding.artifacts
    assert all(finding.references[name] for name in ("python", *AUDITED))
    assert finding.figures["queries"] > 0 and finding.seconds < 30
    return finding.why
