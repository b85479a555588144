"""The runner: every vector to every implementation that supports its op, judged; then the interop matrix.

Each implementation answers its calls in batches through the contract; :mod:`conformance.judge` gives each answer
its verdict. A producing op's different value is passed, in the same run, through the flow's reference consumers:
if every one accepts it and recovers the same content, the verdict is ``equivalent``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance import catalog, judge, registry
from conformance.contract import Implementation
from conformance.errors import ConformanceError
from conformance.judge import Judgement, Policy
from conformance.outcome import Outcome
from conformance.progress import Progress
from conformance.results import CaseResult, RunRecord
from conformance.runinfo import run_metadata
from conformance.vectors import VectorCase

BATCH = 250


def expected_of(case: VectorCase) -> dict[str, Any]:
    """A vector's expectation as the record holds it: ``{"output": ...}`` or ``{"error": reason}``."""
    return {"error": case.error} if case.expects_error else {"output": case.output}


def actual_of(outcome: Outcome) -> dict[str, Any]:
    """An outcome as the record holds it."""
    return outcome.record()


@dataclass
class _Pending:
    index: int  # into the results list
    case: VectorCase
    outcome: Outcome
    judgement: Judgement


def settle_equivalence(
    pending: Sequence[tuple[VectorCase, Outcome, Judgement]],
    resolve: Callable[[str], Implementation] = registry.shared,
) -> list[Judgement]:
    """Settle pending ``fail``\\ s of producing ops: pass each output, and the reference's own output for the same
    vector, through every reference consumer of the flow; ``equivalent`` when each accepts both with the same content.

    ``resolve`` gives the implementation of a reference name (the run's own instance when it has one). A reference
    that is unavailable here, or lacks the consumer op, is not asked.
    """
    work: dict[str, list[tuple[int, str, dict[str, Any], dict[str, Any]]]] = {}
    for position, (case, outcome, judgement) in enumerate(pending):
        trip = catalog.round_trip_of(case.op)
        if not judgement.pending or trip is None:
            continue
        try:
            mine = trip.consumer_args(case.input, outcome.value)
            theirs = trip.consumer_args(case.input, case.output)
        except (ConformanceError, KeyError, TypeError, ValueError):
            continue
        for name in catalog.flow_of(case.op).references:
            work.setdefault(name, []).append((position, trip.consumer_op, mine, theirs))
    consumed: dict[int, dict[str, tuple[Outcome, Outcome]]] = {}
    for name, items in work.items():
        consumer = resolve(name)
        if consumer.unavailable() is not None:
            continue
        calls = [call for _, op, mine, theirs in items for call in ((op, mine), (op, theirs))]
        outcomes = consumer.call_many(calls)
        for index, (position, _, _, _) in enumerate(items):
            answer, reference = outcomes[2 * index], outcomes[2 * index + 1]
            if answer.status != "unsupported":
                consumed.setdefault(position, {})[name] = (answer, reference)
    return [
        judge.equivalence(judgement, consumed.get(position, {})) for position, (_, _, judgement) in enumerate(pending)
    ]


def run_cases(
    cases: Sequence[VectorCase],
    implementations: Sequence[Implementation],
    *,
    progress: bool = True,
    resolve: Callable[[str], Implementation] | None = None,
) -> list[CaseResult]:
    """Every case on every implementation, judged (equivalence settled through the reference consumers)."""
    results: list[CaseResult] = []
    pending: list[_Pending] = []
    bar = Progress(len(cases) * len(implementations), "vectors", enabled=progress)
    for implementation in implementations:
        declared = implementation.ops() if not implementation.builtin else frozenset()
        for start in range(0, len(cases), BATCH):
            chunk = cases[start : start + BATCH]
            began = time.monotonic()
            outcomes = implementation.call_many([(c.op, c.input) for c in chunk])
            each = (time.monotonic() - began) / max(len(chunk), 1)
            for case, outcome in zip(chunk, outcomes, strict=True):
                judgement = judge.judge(case, outcome, declared=case.op in declared)
                if judgement.pending:
                    pending.append(_Pending(len(results), case, outcome, judgement))
                results.append(_case_result(case, implementation.name, outcome, judgement, each))
            bar.advance(len(chunk), implementation.name)
    bar.finish()
    if pending:
        by_name = {i.name: i for i in implementations if i.builtin}
        lookup = resolve or (lambda name: by_name.get(name) or registry.shared(name))
        settled = settle_equivalence([(p.case, p.outcome, p.judgement) for p in pending], lookup)
        for item, judgement in zip(pending, settled, strict=True):
            result = results[item.index]
            result.verdict, result.why, result.consumers = judgement.verdict, judgement.why, list(judgement.consumers)
    return results


def _case_result(
    case: VectorCase, implementation: str, outcome: Outcome, judgement: Judgement, seconds: float
) -> CaseResult:
    answered = judgement.verdict not in {"unsupported", "unavailable"}
    return CaseResult(
        case_id=case.case_id,
        file=Path(case.file).name,
        scheme=case.scheme,
        op=case.op,
        tc_id=case.tc_id,
        implementation=implementation,
        verdict=judgement.verdict,
        result=case.result,
        comment=case.comment,
        flags=list(case.flags),
        input=case.input if answered else {},
        expected=expected_of(case) if answered else {},
        actual=actual_of(outcome),
        seconds=round(seconds, 6),
        why=judgement.why,
        consumers=list(judgement.consumers),
    )


def vector_hashes(files: Sequence[Path]) -> dict[str, str]:
    return {Path(f).name: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files}


def run(
    cases: Sequence[VectorCase],
    implementations: Sequence[Implementation],
    *,
    vector_files: Sequence[Path],
    options: dict[str, Any] | None = None,
    policy: Policy | None = None,
    progress: bool = True,
    interop: bool = True,
) -> RunRecord:
    """Run everything and return the record every report reads."""
    from conformance import matrix, sdk_matrix

    policy = policy or Policy.from_options()
    record = RunRecord(
        metadata={
            **run_metadata(),
            "vectorFiles": vector_hashes(vector_files),
            "options": options or {},
            "policy": policy.to_json(),
            "strict": policy.strict,
            "numberOfCases": len(cases),
        },
        implementations={},
    )
    record.cases = run_cases(cases, implementations, progress=progress)
    if interop:
        record.interop = matrix.run_interop(cases, implementations, progress=progress)
        record.sdk_matrix = sdk_matrix.run_all(implementations)
    record.implementations = {impl.name: registry.describe(impl) for impl in implementations}
    return record
