"""The flow catalog: every flow declared once, and the lookups everything else uses.

>>> from conformance import catalog
>>> catalog.flow("thread_messenger").references
('php',)
>>> catalog.op("khoros.skep.decrypt").role
'consumes'
"""

from __future__ import annotations

from functools import cache

from conformance.arguments import require_items, require_str, require_strings
from conformance.catalog.arguments import check_args, op_schema
from conformance.catalog.flows import FLOWS
from conformance.catalog.model import Args, Flow, Op, RoundTrip, SdkMatrix, kind_op
from conformance.catalog.tables import OpTable, disjoint
from conformance.errors import UsageError
from conformance.kinds import Part, kind

__all__ = [
    "FLOWS",
    "Args",
    "Flow",
    "Op",
    "OpTable",
    "RoundTrip",
    "SdkMatrix",
    "check_args",
    "disjoint",
    "flow",
    "flow_ids",
    "flow_of",
    "kind_op",
    "kind_parts",
    "op",
    "op_names",
    "op_schema",
    "ops_of_kinds",
    "part",
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
    """The flow with this id. Raises :class:`UsageError` naming the valid ids, :class:`InvalidArgument` for what is
    not a str."""
    try:
        return _by_id()[require_str(flow_id, "flow_id")]
    except (KeyError, TypeError):
        raise UsageError(f"unknown flow {flow_id!r}; flows: {', '.join(flow_ids())}") from None


def select_flows(ids: tuple[str, ...] | list[str]) -> tuple[Flow, ...]:
    """The flows named by ``ids`` (all of them when empty). Raises :class:`UsageError` for any unknown id,
    :class:`InvalidArgument` for what is not an iterable of str."""
    ids = require_strings(ids, "ids")
    unknown = [name for name in ids if name not in _by_id()]
    if unknown:
        raise UsageError(f"unknown flow(s) {', '.join(map(repr, unknown))}; flows: {', '.join(flow_ids())}")
    return tuple(entry for entry in FLOWS if not ids or entry.id in ids)


def op_names() -> tuple[str, ...]:
    return tuple(_ops())


def op(name: str) -> Op:
    """The op of this name. Raises :class:`UsageError` for an unknown name, :class:`InvalidArgument` for what is not
    a str."""
    try:
        return _ops()[require_str(name, "name")][1]
    except (KeyError, TypeError):
        raise UsageError(f"unknown op {name!r}") from None


def flow_of(op_name: str) -> Flow:
    """The flow that declares ``op_name``. Raises :class:`UsageError` for an unknown op, :class:`InvalidArgument`
    for what is not a str."""
    try:
        return _ops()[require_str(op_name, "op_name")][0]
    except (KeyError, TypeError):
        raise UsageError(f"unknown op {op_name!r}") from None


def round_trip_of(producer_op: str) -> RoundTrip | None:
    """The round trip whose first producer op is ``producer_op`` (the one its vectors feed), if any."""
    for entry in FLOWS:
        for trip in entry.round_trips:
            if trip.producer_op == producer_op:
                return trip
    return None


@cache
def _parts() -> dict[str, Part]:
    return {
        operation.name: Part(operation.name, kind(operation.kind), operation.params)
        for entry in FLOWS
        for operation in entry.ops
        if operation.kind
    }


def part(op_name: str) -> Part | None:
    """The kind part (:class:`~conformance.kinds.Part`) of the op ``op_name``, or ``None`` for a hand-written or
    unknown op: what the port, campaigns, probes and references derive from its kind."""
    return _parts().get(op_name) if isinstance(op_name, str) else None


def kind_parts(flows: tuple[Flow, ...] | None = None) -> tuple[Part, ...]:
    """The kind parts of every op of a kind in ``flows`` (the whole catalog by default), in catalog order. Raises
    :class:`InvalidArgument` for ``flows`` that are not a list or tuple of :class:`Flow`."""
    chosen = FLOWS if flows is None else require_items(flows, "flows", Flow)
    return tuple(_parts()[o.name] for entry in chosen for o in entry.ops if o.kind)


def ops_of_kinds(kinds: object) -> frozenset[str]:
    """The catalog ops whose kind is one of ``kinds`` (what a reference implementing those kinds supports)."""
    wanted = (
        {name for name in kinds if isinstance(name, str)} if isinstance(kinds, (list, tuple, set, frozenset)) else set()
    )
    return frozenset(name for name, found in _parts().items() if found.kind.name in wanted)
