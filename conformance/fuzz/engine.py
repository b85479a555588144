"""The campaign engine: generated cases, in batches, to the reference and the implementation through the contract
(``call_many``), judged by :func:`conformance.judge.campaign`; divergences recorded and the first ones minimized.

The reference answers each batch in a thread while the implementation answers it in this one (the JVM and the
subprocess references run outside the GIL), and the next batch is drawn meanwhile. ``jobs`` > 1 runs that many
worker processes (spawned: a process has one JVM), each on its own part of the shard; on a Dask cluster the parts run as
tasks (:mod:`conformance.fuzz.cluster`). Each process builds both sides from the plan's specs.

Every divergence is counted in its class (:mod:`conformance.fuzz.classes`); once the parts are merged, each class's
first case is minimized (in this process, or as one more task on the cluster), so the record does not depend on how
the campaign was cut into parts.

Two engines (``Plan.engine``): ``bulk`` draws the cases with the fast generators where an op has one
(:mod:`conformance.fuzz.generators.fast`: the readable generators' case families at the same rates, cut from
pre-drawn pools, so other cases for the same seed), checks the arguments once per batch instead of once per call on
each side (the generators guarantee the op's schema: ``tests/test_fuzz.py``), and passes the cases both sides answer
alike without the full judgement; ``legacy`` is the engine before it, with the readable generators, kept to measure
against (``nox -s bench``). Each is deterministic by seed however the campaign is cut into shards, jobs or tasks.

A reference answering *unavailable* or *io* stops the campaign (:class:`ReferenceFailure`): without its answer
there is nothing to compare. A case the reference does not answer (*unsupported*, e.g. OpenSSL given parameters
that are not in URL form yet) is skipped and counted.
"""

from __future__ import annotations

import itertools
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from conformance import catalog, judge
from conformance.arguments import require_callable, require_instance, require_int, require_items, require_number
from conformance.contract import Implementation
from conformance.errors import InvalidArgument, ReferenceFailure
from conformance.fuzz.classes import DivergenceClass, ranked, signature
from conformance.fuzz.generators import fast_generator, generator
from conformance.fuzz.minimize import minimize
from conformance.fuzz.plan import MAX_JOBS, Plan, require_plan
from conformance.fuzz.record import CampaignRecord, Divergence, PartResult
from conformance.fuzz.shards import BLOCK, Part, block_cases
from conformance.outcome import Outcome

#: Seconds of work a batch aims at (its size follows the measured rate, up to the plan's batch size).
BATCH_SECONDS = 0.5
#: progress(cases done since the last call, divergences found since the last call)
ProgressFunction = Callable[[int, int], None]


def _describe(implementation: Implementation) -> dict[str, Any]:
    return {"name": implementation.name, "kind": implementation.kind, "versions": implementation.versions()}


class _Batches:
    """The part's cases in batches whose size follows the measured rate: about :data:`BATCH_SECONDS` of work each,
    from one block up to ``plan.batch`` cases (a slow reference still shows progress and meets a time limit)."""

    def __init__(self, plan: Plan, part: Part) -> None:
        self.plan = plan
        self.generators = [(generator if plan.engine == "legacy" else fast_generator)(op) for op in plan.ops]
        self.blocks = iter(part.blocks(plan.cases))
        self.most = max(1, plan.batch // BLOCK)
        self.size = 1  # one block first: a slow reference answers it quickly, then the size follows the rate

    def adjust(self, cases: int, seconds: float) -> None:
        rate = cases / max(seconds, 1e-6)
        self.size = max(1, min(self.most, int(rate * BATCH_SECONDS / BLOCK)))

    def next(self) -> list[tuple[int, str, dict[str, Any]]]:
        plan = self.plan
        return [
            case
            for block in itertools.islice(self.blocks, self.size)
            for case in block_cases(plan.seed, block, plan.cases, plan.ops, self.generators)
        ]


def _stop(reference: Implementation, index: int, op: str, answer: Outcome) -> ReferenceFailure:
    return ReferenceFailure(
        f"the reference {reference.name} answered {answer.status} on case {index} ({op}), so the campaign stops: "
        f"{answer.message or ''}".strip()
    )


def _progress(progress: object) -> ProgressFunction | None:
    return None if progress is None else require_callable(progress, "progress")  # type: ignore[return-value]


def run_part(plan: Plan, part: Part, progress: ProgressFunction | None = None) -> PartResult:
    """Run the cases of ``part`` in this process (nothing is minimized). Raises :class:`ReferenceFailure` when the
    reference fails, :class:`InvalidArgument` for arguments of the wrong type."""
    plan, part, progress = require_plan(plan), require_instance(part, "part", Part), _progress(progress)
    implementation, reference = plan.implementation.build(), plan.reference.build()
    result = _run_cases(plan, part, implementation, reference, progress)
    result.sides = {"implementation": _describe(implementation), "reference": _describe(reference)}
    return result


def minimized_examples(plan: Plan, examples: Sequence[Divergence]) -> list[dict[str, Any] | None]:
    """Each example's minimized input with both answers (:func:`conformance.fuzz.minimize.minimize`), built and
    asked in this process. Raises :class:`InvalidArgument` for arguments of the wrong type."""
    plan, examples = require_plan(plan), require_items(examples, "examples", Divergence)
    implementation, reference = plan.implementation.build(), plan.reference.build()
    return [
        minimize(example.op, example.args, implementation, reference, (example.reference, example.actual))
        for example in examples
    ]


def _run_cases(
    plan: Plan,
    part: Part,
    implementation: Implementation,
    reference: Implementation,
    progress: ProgressFunction | None,
) -> PartResult:
    result = PartResult()
    started = time.monotonic()
    deadline = None if plan.time_limit is None else started + plan.time_limit
    batches = _Batches(plan, part)
    bulk = plan.engine != "legacy"
    with ThreadPoolExecutor(1, thread_name_prefix="reference") as pool:
        cases = batches.next()
        while cases:
            began = time.monotonic()
            calls = [(op, args) for _, op, args in cases]
            if bulk:
                _check_batch(calls)
            pending = pool.submit(reference.call_many, calls, checked=bulk)
            actual = implementation.call_many(calls, checked=bulk)
            following = batches.next()  # drawn while the reference works
            found = _judge(plan, reference, cases, pending.result(), actual, result, bulk)
            batches.adjust(len(cases), time.monotonic() - began)
            if progress is not None:
                progress(len(cases), found)
            cases = following
            if cases and deadline is not None and time.monotonic() > deadline:
                result.complete = False
                break
    result.seconds = time.monotonic() - started
    return result


def _check_batch(calls: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """The batch's first case of each op checked against the op's schema (its generator guarantees the others).
    Raises :class:`~conformance.errors.InvalidArgument` when it does not fit: a generator's bug."""
    first: dict[str, dict[str, Any]] = {}
    for op, args in calls:
        first.setdefault(op, args)
    for op, args in first.items():
        catalog.check_args(op, args)


def _judge(
    plan: Plan,
    reference: Implementation,
    cases: Sequence[tuple[int, str, dict[str, Any]]],
    theirs: Sequence[Outcome],
    ours: Sequence[Outcome],
    result: PartResult,
    bulk: bool = False,
) -> int:
    found = 0
    for (index, op, args), answer, mine in zip(cases, theirs, ours, strict=True):
        if bulk and answer.status in _ANSWERED and judge.same(answer, mine):  # what judge.campaign passes first
            result.cases += 1
            result.per_op[op] += 1
            continue
        status = answer.status
        if status == "unsupported":
            result.skipped += 1
            continue
        if status not in ("value", "error"):
            raise _stop(reference, index, op, answer)
        if mine.status == "unavailable":
            raise ReferenceFailure(
                f"the implementation became unavailable on case {index} ({op}): {mine.message or ''}"
            )
        result.cases += 1
        result.per_op[op] += 1
        verdict = judge.campaign(op, args, answer, mine)
        if verdict.verdict == "pass":
            continue
        if verdict.verdict == "deviation":
            result.deviations[verdict.flag] += 1
            continue
        found += 1
        result.divergence_count += 1
        divergence = Divergence(index, op, args, answer, mine)
        if len(result.divergences) < plan.keep:
            result.divergences.append(divergence)
        key = signature(op, answer, mine)
        known = result.classes.get(key)
        if known is None:
            result.classes[key] = DivergenceClass(key, 1, divergence)
        else:
            known.count += 1
    return found


#: The statuses of a reference's answers that are compared.
_ANSWERED = frozenset(("value", "error"))


# --- several processes ------------------------------------------------------------------------------------------

_queue: Any = None


def _init_worker(queue: Any) -> None:
    global _queue  # noqa: PLW0603 (the worker process's one progress queue)
    _queue = queue


def _worker(plan: Plan, part: Part) -> PartResult:
    return run_part(plan, part, lambda cases, found: _queue.put((cases, found)))


def _collect(plan: Plan, parts: list[Part], progress: ProgressFunction | None) -> list[PartResult]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    with ProcessPoolExecutor(len(parts), mp_context=context, initializer=_init_worker, initargs=(queue,)) as pool:
        futures = [pool.submit(_worker, plan, part) for part in parts]
        while not all(f.done() for f in futures):
            _drain(queue, progress, timeout=0.2)
        _drain(queue, progress, timeout=0.0)
        return [future.result() for future in futures]


def _drain(queue: Any, progress: ProgressFunction | None, timeout: float) -> None:
    import queue as queues

    try:
        while True:
            cases, found = queue.get(timeout=timeout) if timeout else queue.get_nowait()
            if progress is not None:
                progress(cases, found)
    except queues.Empty:
        return


def merged(plan: Plan, results: Sequence[PartResult], seconds: float, jobs: int) -> CampaignRecord:
    """The record of the parts' results (as ``fuzz merge`` adds shards), divergences in case order, not minimized.
    Raises :class:`InvalidArgument` for arguments of the wrong type or no result."""
    plan, results = require_plan(plan), require_items(results, "results", PartResult)
    seconds, jobs = require_number(seconds, "seconds"), require_int(jobs, "jobs", minimum=1, maximum=MAX_JOBS)
    if not results:
        raise InvalidArgument("results must hold at least one part's result")
    record = CampaignRecord(
        flow=plan.flow,
        ops=list(plan.ops),
        seed=plan.seed,
        requested=plan.cases,
        shard_count=plan.shard.count,
        shards=[plan.shard.index],
        implementation=results[0].sides["implementation"],
        reference=results[0].sides["reference"],
        seconds=seconds,
        shard_seconds={plan.shard.index: seconds},
        jobs=max(1, jobs),
    )
    for result in results:
        record.add_counts(result)
    record.divergences.sort(key=lambda d: d.case)
    record.divergences = record.divergences[: plan.keep]
    return record


def to_minimize(plan: Plan, record: CampaignRecord) -> list[Divergence]:
    """The examples of the first ``plan.minimize`` classes (most divergences first). Raises
    :class:`InvalidArgument` for arguments of the wrong type."""
    plan, record = require_plan(plan), require_instance(record, "record", CampaignRecord)
    return [entry.example for entry in ranked(record.classes)[: plan.minimize]]


def set_minimized(record: CampaignRecord, examples: Sequence[Divergence], found: Sequence[dict | None]) -> None:
    """Put each example's minimized input on the example and on the kept divergence of the same case. Raises
    :class:`InvalidArgument` for arguments of the wrong type or of different lengths."""
    record = require_instance(record, "record", CampaignRecord)
    examples, found = require_items(examples, "examples", Divergence), require_items(found, "found", (dict, type(None)))
    if len(examples) != len(found):
        raise InvalidArgument("examples and found must be of the same length")
    by_case = {d.case: d for d in record.divergences}
    for example, small in zip(examples, found, strict=True):
        example.minimized = small
        if example.case in by_case:
            by_case[example.case].minimized = small


def run(plan: Plan, jobs: int = 1, progress: ProgressFunction | None = None) -> CampaignRecord:
    """Run the campaign's shard with ``jobs`` processes and return its record with each class's example minimized
    (:func:`conformance.fuzz.cluster.run` runs it on a Dask cluster).

    Raises :class:`ReferenceFailure` when the reference fails (unavailable or io) during the campaign,
    :class:`InvalidArgument` for arguments of the wrong type or ``jobs`` outside 1 to :data:`MAX_JOBS`.
    """
    plan, progress = require_plan(plan), _progress(progress)
    jobs = require_int(jobs, "jobs", minimum=1, maximum=MAX_JOBS)
    started = time.monotonic()
    part = plan.shard.part()
    results = [run_part(plan, part, progress)] if jobs <= 1 else _collect(plan, part.jobs(jobs), progress)
    record = merged(plan, results, time.monotonic() - started, jobs)
    examples = to_minimize(plan, record)
    if examples:
        set_minimized(record, examples, minimized_examples(plan, examples))
    record.seconds = record.shard_seconds[plan.shard.index] = time.monotonic() - started
    return record
