"""The runner: every vector to every implementation that supports its op, then the producer -> consumer matrix."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.implementations import Implementation
from conformance.interop import ROUND_TRIPS, RoundTrip, inputs_for
from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT
from conformance.progress import Progress
from conformance.results import CaseResult, InteropCell, RunRecord, Verdict
from conformance.vectors import VectorCase

#: How bad a verdict is, for summing a matrix cell over many inputs.
_SEVERITY = {"pass": 0, "deviation": 1, "unsupported": 2, "unavailable": 3, "io": 4, "fail": 5}
INTEROP_INPUTS_PER_PAIR = 12


@dataclass(frozen=True)
class CaseFilter:
    flows: tuple[str, ...] = ()
    ops: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    tc_ids: tuple[str, ...] = ()  # "12" (any file) or "khoros_cryptor#12"
    results: tuple[str, ...] = ()

    def accepts(self, case: VectorCase) -> bool:
        stem = Path(case.file).stem
        checks = [
            not self.flows or case.scheme in self.flows or stem in self.flows,
            not self.ops
            or case.op in self.ops
            or any(case.op.startswith(op.rstrip("*")) for op in self.ops if op.endswith("*")),
            not self.flags or any(flag in case.flags for flag in self.flags),
            not self.tc_ids or str(case.tc_id) in self.tc_ids or case.case_id in self.tc_ids,
            not self.results or case.result in self.results,
        ]
        return all(checks)


def expected_of(case: VectorCase) -> dict[str, Any]:
    return {"error": case.error} if case.expects_error else {"output": case.output}


def actual_of(outcome: Outcome) -> dict[str, Any]:
    if outcome.status == "value":
        return {"status": "value", "value": outcome.value}
    if outcome.status == "error":
        return {"status": "error", "reason": outcome.reason, "message": outcome.message or ""}
    return {"status": outcome.status, "message": outcome.message or ""}


def verdict_of(case: VectorCase, outcome: Outcome) -> Verdict:
    if outcome.status in {"unsupported", "unavailable", "io"}:
        return outcome.status  # type: ignore[return-value]
    expected = ("error", case.error) if case.expects_error else ("value", case.output)
    if outcome.comparable() == expected:
        return "pass"
    return "deviation" if case.result == "acceptable" else "fail"


def run_cases(
    cases: Sequence[VectorCase], implementations: Sequence[Implementation], *, progress: bool = True
) -> list[CaseResult]:
    results: list[CaseResult] = []
    bar = Progress(len(cases) * len(implementations), "vectors", enabled=progress)
    for implementation in implementations:
        for start in range(0, len(cases), 250):
            chunk = cases[start : start + 250]
            began = time.monotonic()
            outcomes = implementation.call_many([(c.op, c.input) for c in chunk])
            each = (time.monotonic() - began) / max(len(chunk), 1)
            for case, outcome in zip(chunk, outcomes, strict=True):
                verdict = verdict_of(case, outcome)
                answered = verdict not in {"unsupported", "unavailable"}
                results.append(
                    CaseResult(
                        case_id=case.case_id,
                        file=Path(case.file).name,
                        scheme=case.scheme,
                        op=case.op,
                        tc_id=case.tc_id,
                        implementation=implementation.name,
                        verdict=verdict,
                        result=case.result,
                        comment=case.comment,
                        flags=list(case.flags),
                        input=case.input if answered else {},
                        expected=expected_of(case) if answered else {},
                        actual=actual_of(outcome),
                        seconds=round(each, 6),
                    )
                )
            bar.advance(len(chunk), implementation.name)
    bar.finish()
    return results


def run_interop(
    cases: Sequence[VectorCase], implementations: Sequence[Implementation], *, progress: bool = True
) -> list[InteropCell]:
    """For each producer/consumer flow, every producer's output to every consumer: the N x N matrix."""
    cells: list[InteropCell] = []
    flows = [rt for rt in ROUND_TRIPS if any(c.op in rt.producer_ops or c.op == rt.consumer_op for c in cases)]
    plans = []
    for trip in flows:
        vector_inputs = [
            c.input for c in cases if c.op == trip.producer_op and c.result == "valid" and not c.expects_error
        ]
        inputs = inputs_for(trip, vector_inputs, INTEROP_INPUTS_PER_PAIR)
        producers = [i for i in implementations if set(trip.producer_ops) & i.ops()]
        consumers = [i for i in implementations if trip.consumer_op in i.ops()]
        if inputs and producers and consumers:
            plans.append((trip, inputs, producers, consumers))
    bar = Progress(sum(len(p) * len(c) for _, _, p, c in plans), "interop", enabled=progress)
    for trip, inputs, producers, consumers in plans:
        for producer in producers:
            supported = producer.ops()
            produced = producer.call_many([trip.producer_call(supported, args) for args in inputs])
            for consumer in consumers:
                cells.append(_interop_cell(trip, producer, consumer, inputs, produced))
                bar.advance(1, f"{producer.name}->{consumer.name}")
    bar.finish()
    return cells


def _interop_cell(
    trip: RoundTrip,
    producer: Implementation,
    consumer: Implementation,
    inputs: list[dict[str, Any]],
    produced: list[Outcome],
) -> InteropCell:
    cell = InteropCell(trip.flow, producer.name, consumer.name, "pass")
    usable = [(args, out) for args, out in zip(inputs, produced, strict=True) if out.status == "value"]
    unusable = [out for out in produced if out.status != "value"]
    if unusable:
        worst = max(unusable, key=lambda o: _SEVERITY.get(o.status, 5))
        status: Verdict = worst.status if worst.status in _SEVERITY else "fail"  # type: ignore[assignment]
        if worst.status == "error":
            status = "fail"
        _worsen(cell, status, f"producer {producer.name}: {worst.describe()}")
    consumed = consumer.call_many([(trip.consumer_op, trip.consumer_args(args, out.value)) for args, out in usable])
    for (args, out), answer in zip(usable, consumed, strict=True):
        cell.total += 1
        expected = trip.expected(args)
        if answer.status == "value" and answer.value == expected:
            cell.passed += 1
            continue
        verdict: Verdict = answer.status if answer.status in {"unsupported", "unavailable", "io"} else "fail"  # type: ignore[assignment]
        _worsen(cell, verdict, f"consumer {consumer.name}: {answer.describe()[:200]}")
        if len(cell.examples) < 3:
            cell.examples.append(
                {"input": args, "produced": out.value, "consumed": actual_of(answer), "expected": expected}
            )
    return cell


def _worsen(cell: InteropCell, verdict: Verdict, detail: str) -> None:
    if _SEVERITY[verdict] > _SEVERITY[cell.verdict]:
        cell.verdict = verdict
        cell.detail = detail


def _commit() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"


def vector_hashes(files: Sequence[Path]) -> dict[str, str]:
    return {Path(f).name: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files}


def run(
    cases: Sequence[VectorCase],
    implementations: Sequence[Implementation],
    *,
    vector_files: Sequence[Path],
    options: dict[str, Any] | None = None,
    progress: bool = True,
    interop: bool = True,
) -> RunRecord:
    """Run everything and return the record every report reads."""
    described = {
        impl.name: {
            "kind": impl.kind,
            "available": impl.unavailable(),
            "versions": impl.versions(),
            "ops": sorted(impl.ops()),
        }
        for impl in implementations
    }
    record = RunRecord(
        metadata={
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "host": {"python": platform.python_version(), "platform": platform.platform()},
            "vectorFiles": vector_hashes(vector_files),
            "options": options or {},
            "numberOfCases": len(cases),
        },
        implementations=described,
    )
    record.cases = run_cases(cases, implementations, progress=progress)
    if interop:
        record.interop = run_interop(cases, implementations, progress=progress)
    return record
