"""The runner: every vector to every implementation that supports its op, judged; then the interop matrix.

Each implementation answers its calls in batches through the contract; :mod:`conformance.judge` gives each answer
its verdict, in one call. A producing op's different value is first passed, in the same run, through the flow's
reference consumers (with the reference's own output), and the judge compares what they answered.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from conformance import catalog, judge, registry, wording
from conformance.contract import Implementation
from conformance.errors import ConformanceError
from conformance.judge import Judgement, Policy
from conformance.outcome import Outcome
from conformance.progress import Progress
from conformance.results import CaseResult, RunRecord
from conformance.runinfo import run_metadata
from conformance.spec import built
from conformance.vectors import VectorCase

BATCH = 250


def consumer_answers(
    items: Sequence[tuple[VectorCase, Outcome]],
    resolve: Callable[[str], Implementation] = built,
) -> list[dict[str, tuple[Outcome, Outcome]]]:
    """For each (case, outcome) whose verdict needs them (:func:`judge.needs_consumers`), what every reference
    consumer of the flow answers for (the output, the reference's own output for the same vector); ``{}`` for the
    others.

    ``resolve`` gives the implementation of a reference name (the run's own instance when it has one). A reference
    that is unavailable here, or lacks the consumer op, is not asked.
    """
    work: dict[str, list[tuple[int, str, dict[str, Any], dict[str, Any]]]] = {}
    for position, (case, outcome) in enumerate(items):
        trip = catalog.round_trip_of(case.op)
        if trip is None or not judge.needs_consumers(case, outcome):
            continue
        try:
            mine = trip.consumer_args(case.input, outcome.value)
            theirs = trip.consumer_args(case.input, case.output)
        except (ConformanceError, KeyError, TypeError, ValueError):
            continue
        for name in catalog.flow_of(case.op).references:
            work.setdefault(name, []).append((position, trip.consumer_op, mine, theirs))
    consumed: list[dict[str, tuple[Outcome, Outcome]]] = [{} for _ in items]
    for name, calls_of in work.items():
        consumer = resolve(name)
        if consumer.unavailable() is not None:
            continue
        calls = [call for _, op, mine, theirs in calls_of for call in ((op, mine), (op, theirs))]
        outcomes = consumer.call_many(calls)
        for index, (position, _, _, _) in enumerate(calls_of):
            answer, reference = outcomes[2 * index], outcomes[2 * index + 1]
            if answer.status != "unsupported":
                consumed[position][name] = (answer, reference)
    return consumed


def judge_answers(
    items: Sequence[tuple[VectorCase, Outcome, bool]],
    resolve: Callable[[str], Implementation] = built,
) -> list[Judgement]:
    """The judge's verdict of each (case, outcome, declared), asking the reference consumers where it needs them."""
    consumed = consumer_answers([(case, outcome) for case, outcome, _ in items], resolve)
    return [
        judge.judge(case, outcome, declared=declared, consumed=answers)
        for (case, outcome, declared), answers in zip(items, consumed, strict=True)
    ]


def run_cases(
    cases: Sequence[VectorCase],
    implementations: Sequence[Implementation],
    *,
    progress: bool = True,
    resolve: Callable[[str], Implementation] | None = None,
) -> list[CaseResult]:
    """Every case on every implementation, judged (producing ops' different values through the reference
    consumers)."""
    answered: list[tuple[VectorCase, str, Outcome, bool, float]] = []
    bar = Progress(len(cases) * len(implementations), "vectors", enabled=progress)
    for implementation in implementations:
        declared = implementation.ops() if not implementation.builtin else frozenset()
        for start in range(0, len(cases), BATCH):
            chunk = cases[start : start + BATCH]
            began = time.monotonic()
            outcomes = implementation.call_many([(c.op, c.input) for c in chunk])
            each = (time.monotonic() - began) / max(len(chunk), 1)
            for case, outcome in zip(chunk, outcomes, strict=True):
                answered.append((case, implementation.name, outcome, case.op in declared, each))
            bar.advance(len(chunk), implementation.name)
    bar.finish()
    by_name = {i.name: i for i in implementations if i.builtin}
    lookup = resolve or (lambda name: by_name.get(name) or built(name))
    judgements = judge_answers([(case, outcome, declared) for case, _, outcome, declared, _ in answered], lookup)
    return [
        case_result(case, name, outcome, judgement, each)
        for (case, name, outcome, _, each), judgement in zip(answered, judgements, strict=True)
    ]


def case_result(
    case: VectorCase, implementation: str, outcome: Outcome, judgement: Judgement, seconds: float = 0.0
) -> CaseResult:
    """The record of one judged answer: expected and actual as outcomes, with the op's result kind; the vector's
    input and flag notes only where something was answered."""
    answered = judgement.verdict not in {"unsupported", "unavailable"}
    noted = judgement.verdict not in {"pass", "unsupported", "unavailable"}
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
        expected=judge.expected_outcome(case) if answered else None,
        actual=outcome,
        kind=wording.kind_of(case.op),
        seconds=round(seconds, 6),
        why=judgement.why,
        consumers=list(judgement.consumers),
        notes=list(case.notes) if noted else [],
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
