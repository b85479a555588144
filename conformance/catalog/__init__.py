"""The flow catalog: every flow declared once, and the lookups everything else uses.

>>> from conformance import catalog
>>> catalog.flow("thread_messenger").references
('php',)
>>> catalog.op("khoros.skep.decrypt").role
'consumes'
"""

from __future__ import annotations

from functools import cache

from conformance.catalog.arguments import check_args, op_schema
from conformance.catalog.flows import FLOWS
from conformance.catalog.model import Args, Flow, Op, RoundTrip
from conformance.errors import UsageError

__all__ = [
    "FLOWS",
    "Args",
    "Flow",
    "Op",
    "RoundTrip",
    "check_args",
    "flow",
    "flow_ids",
    "flow_of",
    "op",
    "op_names",
    "op_schema",
    "round_trip_of",
    "select_flows",
]


@cache
def _by_id() -> dict[str, Flow]:
    return {entry.id: entry for entry in FLOWS}


@cache
def _ops() -> dict[str, tuple[Flow, Op]]:
    found: dict[str, tuple[Flow, Op]] = {}
    for entry in FLOWS:
        for operation in entry.ops:
            if operation.name in found:
                raise ValueError(f"op {operation.name} is declared by two flows")
            found[operation.name] = (entry, operation)
    return found


def flow_ids() -> tuple[str, ...]:
    return tuple(_by_id())


def flow(flow_id: str) -> Flow:
    """The flow with this id. Raises :class:`UsageError` naming the valid ids."""
    try:
        return _by_id()[flow_id]
    except (KeyError, TypeError):
        raise UsageError(f"unknown flow {flow_id!r}; flows: {', '.join(flow_ids())}") from None


def select_flows(ids: tuple[str, ...] | list[str]) -> tuple[Flow, ...]:
    """The flows named by ``ids`` (all of them when empty). Raises :class:`UsageError` for any unknown id."""
    unknown = [name for name in ids if name not in _by_id()]
    if unknown:
        raise UsageError(f"unknown flow(s) {', '.join(map(repr, unknown))}; flows: {', '.join(flow_ids())}")
    return tuple(entry for entry in FLOWS if not ids or entry.id in ids)


def op_names() -> tuple[str, ...]:
    return tuple(_ops())


def op(name: str) -> Op:
    """The op of this name. Raises :class:`UsageError` for an unknown name."""
    try:
        return _ops()[name][1]
    except (KeyError, TypeError):
        raise UsageError(f"unknown op {name!r}") from None


def flow_of(op_name: str) -> Flow:
    """The flow that declares ``op_name``. Raises :class:`UsageError` for an unknown op."""
    try:
        return _ops()[op_name][0]
    except (KeyError, TypeError):
        raise UsageError(f"unknown op {op_name!r}") from None


def round_trip_of(producer_op: str) -> RoundTrip | None:
    """The round trip whose first producer op is ``producer_op`` (the one its vectors feed), if any."""
    for entry in FLOWS:
        for trip in entry.round_trips:
            if trip.producer_op == producer_op:
                return trip
    return None
