"""Every vector against the Python implementation, and against each live reference as a check of the vectors."""

from __future__ import annotations

import pytest

from conformance.outcome import Outcome, run_op
from conformance.registry import python_ops, references
from conformance.vectors import VectorCase, load_cases
from tests.conftest import require_reference

CASES = load_cases()
PYTHON_OPS = python_ops()

#: Where the Python port knowingly differs (DEVIATIONS.md): flag -> what Python answers instead.
DOCUMENTED_DEVIATIONS = {"OrgJsonLeniency": Outcome.of_value(None)}


def _expected(case: VectorCase) -> tuple[object, ...]:
    return ("error", case.error) if case.expects_error else ("value", case.output)


def _deviation(case: VectorCase) -> Outcome | None:
    for flag in case.flags:
        if flag in DOCUMENTED_DEVIATIONS:
            return DOCUMENTED_DEVIATIONS[flag]
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_python_matches_vector(case: VectorCase) -> None:
    outcome = run_op(PYTHON_OPS, case.op, case.input)
    deviation = _deviation(case)
    if deviation is not None:
        assert case.result == "acceptable", "a documented deviation must be marked acceptable in the vector"
        assert outcome.comparable() == deviation.comparable(), outcome.describe()
        return
    assert outcome.comparable() == _expected(case), f"{case.comment}: got {outcome.describe()}"


@pytest.mark.parametrize("reference", sorted(references()))
def test_reference_reproduces_its_vectors(reference: str) -> None:
    spec = references()[reference]
    require_reference(reference, spec.available)
    ops = spec.ops()
    produced_here = [c for c in CASES if c.op in ops and c.source.get("implementation") == spec.name]
    assert produced_here, f"no vectors name {reference} as their source"
    mismatches = [
        f"{c.case_id}: {run_op(ops, c.op, c.input).describe()}"
        for c in produced_here
        if run_op(ops, c.op, c.input).comparable() != _expected(c)
    ]
    assert not mismatches, "\n".join(mismatches[:20])


def test_at_least_300_khoros_vectors() -> None:
    assert sum(1 for c in CASES if c.scheme.startswith("khoros-")) >= 300
