"""Every vector against the Python implementation, and against each live reference as a check of the vectors."""

from __future__ import annotations

import pytest

from conformance import allowances, judge, registry
from conformance.outcome import Outcome
from conformance.vectors import VectorCase, load_cases
from tests.conftest import answer, answers, require

CASES = load_cases()

#: Where the Python port knowingly differs (DEVIATIONS.md): flag -> what Python answers instead.
DOCUMENTED_DEVIATIONS = {"OrgJsonLeniency": Outcome.of_value(None), "EmptyHashingKey": Outcome.of_error("EmptyKey")}


def _deviation(case: VectorCase) -> Outcome | None:
    for flag in case.flags:
        if flag in DOCUMENTED_DEVIATIONS:
            return DOCUMENTED_DEVIATIONS[flag]
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_python_matches_vector(case: VectorCase) -> None:
    outcome = answer("python", case.op, case.input)
    verdict = judge.judge(case, outcome)
    deviation = _deviation(case)
    if deviation is not None:
        assert case.result == "acceptable", "a documented deviation must be marked acceptable in the vector"
        assert verdict.verdict == "deviation" and judge.same(outcome, deviation), outcome.describe()
        return
    assert verdict.verdict == "pass", f"{case.comment}: {verdict.verdict}: {verdict.why}; got {outcome.describe()}"


def _documented_difference(case: VectorCase, outcome: Outcome) -> bool:
    """Whether a second reference answers an ``acceptable`` vector otherwise exactly as DEVIATIONS.md documents (the
    campaign allowance of the vector's flag recognizes it)."""
    if case.result != "acceptable":
        return False
    return allowances.documented(case.op, case.input, outcome, judge.expected_outcome(case)) in case.flags


@pytest.mark.parametrize("reference", registry.reference_names())
def test_reference_reproduces_its_vectors(reference: str) -> None:
    require(reference)
    produced_here = [c for c in CASES if c.source.get("implementation") == reference]
    if not produced_here:  # a second reference of its ops (PyJWT): it reproduces what the first one recorded
        implemented = registry.shared(reference).ops()
        produced_here = [c for c in CASES if c.op in implemented and c.source.get("implementation") != "python"]
    assert produced_here, f"no vectors name {reference} as their source, nor are of its ops"
    outcomes = answers(reference, [(c.op, c.input) for c in produced_here])
    mismatches = [
        f"{c.case_id}: {o.describe()}"
        for c, o in zip(produced_here, outcomes, strict=True)
        if not judge.same(judge.expected_outcome(c), o) and not _documented_difference(c, o)
    ]
    assert not mismatches, "\n".join(mismatches[:20])


def test_at_least_300_khoros_vectors() -> None:
    assert sum(1 for c in CASES if c.flow.startswith("khoros_")) >= 300
