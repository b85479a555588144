"""The one matrix engine: for every round trip of every flow, each producer's output to every consumer.

A round trip (:class:`conformance.catalog.RoundTrip`) is one variant of a flow's N x N matrix: Khoros Cryptor has
``gcm`` and ``cbc``, BoldChat PGP one per compression setting. Producers and consumers are any implementations of
the contract; the judge gives each cell its verdict (:func:`conformance.judge.interop`): the worst of its items, never ``pass``
for a cell that checked nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance import catalog, judge
from conformance.catalog import Flow, RoundTrip
from conformance.contract import Implementation
from conformance.outcome import Outcome
from conformance.progress import Progress
from conformance.results import InteropCell
from conformance.vectors import VectorCase

INPUTS_PER_PAIR = 12
EXAMPLES_PER_CELL = 3


def inputs_for(trip: RoundTrip, cases: Sequence[VectorCase], limit: int = INPUTS_PER_PAIR) -> list[dict[str, Any]]:
    """A round trip's inputs: its own ``inputs()``, else the producer op's valid vectors that it accepts."""
    if trip.inputs is not None:
        candidates = trip.inputs()
    else:
        candidates = [
            c.input for c in cases if c.op == trip.producer_op and c.result == "valid" and not c.expects_error
        ]
    return [args for args in candidates if trip.accepts(args)][:limit]


def _plans(
    cases: Sequence[VectorCase], implementations: Sequence[Implementation], flows: Sequence[Flow]
) -> list[tuple[Flow, RoundTrip, list[dict[str, Any]], list[Implementation], list[Implementation]]]:
    plans = []
    for entry in flows:
        for trip in entry.round_trips:
            inputs = inputs_for(trip, cases)
            producers = [i for i in implementations if set(trip.producer_ops) & i.ops()]
            consumers = [i for i in implementations if trip.consumer_op in i.ops()]
            if inputs and producers and consumers:
                plans.append((entry, trip, inputs, producers, consumers))
    return plans


def run_interop(
    cases: Sequence[VectorCase],
    implementations: Sequence[Implementation],
    *,
    progress: bool = True,
    flows: Sequence[Flow] | None = None,
) -> list[InteropCell]:
    """The matrices of the flows whose ops ``cases`` exercise (or of ``flows``), one cell per pair and variant."""
    if flows is None:
        ops = {case.op for case in cases}
        flows = [entry for entry in catalog.FLOWS if ops & set(entry.op_names)]
    plans = _plans(cases, implementations, flows)
    bar = Progress(sum(len(p) * len(c) for *_, p, c in plans), "interop", enabled=progress)
    cells: list[InteropCell] = []
    for entry, trip, inputs, producers, consumers in plans:
        for producer in producers:
            supported = producer.ops()
            produced = producer.call_many([trip.producer_call(supported, args) for args in inputs])
            for consumer in consumers:
                cells.append(interop_cell(entry.id, trip, producer.name, consumer, inputs, produced))
                bar.advance(1, f"{producer.name}->{consumer.name}")
    bar.finish()
    return cells


def interop_cell(
    flow_id: str,
    trip: RoundTrip,
    producer: str,
    consumer: Implementation,
    inputs: Sequence[dict[str, Any]],
    produced: Sequence[Outcome],
) -> InteropCell:
    """One cell: ``consumer``'s answers to what ``producer`` made from ``inputs``, judged (:func:`judge.interop`)."""
    usable = [(args, out) for args, out in zip(inputs, produced, strict=True) if out.status == "value"]
    consumed = consumer.call_many([(trip.consumer_op, trip.consumer_args(args, out.value)) for args, out in usable])
    expected = [trip.expected(args) for args, _ in usable]
    verdict = judge.interop(producer, consumer.name, produced, list(zip(consumed, expected, strict=True)))
    examples = [
        {
            "input": usable[index][0],
            "produced": usable[index][1].value,
            "consumed": consumed[index].record(),
            "expected": expected[index],
        }
        for index in verdict.failed[:EXAMPLES_PER_CELL]
    ]
    return InteropCell(
        flow_id,
        producer,
        consumer.name,
        verdict.verdict,
        passed=verdict.passed,
        total=verdict.total,
        detail=verdict.why,
        examples=examples,
        variant=trip.variant,
    )
