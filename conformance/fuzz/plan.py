"""A campaign's plan, checked before anything runs: the flow, its ops, the implementation and the reference (both
available), the size, seed and shard. A plan is plain data (the sides are
:class:`~conformance.spec.ImplementationSpec`), so a worker process or a Dask worker rebuilds everything from it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from conformance import catalog
from conformance.arguments import require_instance, require_int, require_number, require_str, require_strings
from conformance.errors import InvalidArgument, UsageError
from conformance.fuzz.generators import EXCLUDED, GENERATORS
from conformance.fuzz.shards import MAX_SEED, Shard
from conformance.selection import CaseFilter
from conformance.spec import ImplementationSpec


def side(impl: str | None, adapter_spec: str | None, timeout: float = 30.0) -> ImplementationSpec:
    """The implementation under test from ``--impl NAME`` or ``--adapter NAME=COMMAND`` (exactly one; nothing is
    started). Raises :class:`UsageError`."""
    if (impl is None) == (adapter_spec is None):
        raise UsageError("give exactly one of --impl NAME and --adapter NAME=COMMAND")
    if adapter_spec is not None:
        return ImplementationSpec.adapter(require_str(adapter_spec, "adapter_spec"), timeout)
    impl = require_str(impl, "impl")
    if "," in impl or impl == "all":
        raise UsageError("--impl takes one implementation name here")
    return ImplementationSpec.builtin(impl)


#: The campaign engines (:mod:`conformance.fuzz.engine`): ``bulk`` (the default) and ``legacy``, the engine before
#: it (kept to measure against: ``nox -s bench``). They draw the same case families, not the same cases.
ENGINES = ("bulk", "legacy")
#: At most this many worker processes for ``--jobs``.
MAX_JOBS = 256


@dataclass(frozen=True)
class Plan:
    """What a campaign runs. ``keep`` divergences are recorded in full; the first ``minimize`` are minimized;
    ``engine`` is one of :data:`ENGINES`."""

    flow: str
    ops: tuple[str, ...]
    implementation: ImplementationSpec
    reference: ImplementationSpec
    cases: int
    seed: int = 0
    shard: Shard = field(default_factory=Shard)
    batch: int = 8192
    time_limit: float | None = None
    keep: int = 50
    minimize: int = 5
    engine: str = "bulk"


def require_plan(plan: object) -> Plan:
    """``plan`` when it is a :class:`Plan`. Raises :class:`InvalidArgument` (``NullArgument`` for ``None``)."""
    return require_instance(plan, "plan", Plan)  # type: ignore[no-any-return]


def select_ops(flow_id: str, patterns: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The flow's ops that ``patterns`` (globs, matched as :class:`CaseFilter` matches ops; all when empty) select
    and that have a generator.

    Raises :class:`UsageError` for an unknown flow, a pattern that selects none of its ops, or an excluded op named
    on its own (the message says why it has no generator).
    """
    flow = catalog.flow(flow_id)
    chosen: list[str] = []
    for pattern in require_strings(patterns, "patterns", limit=1024) or ("*",):
        matched = [op for op in flow.op_names if CaseFilter(ops=(pattern,)).accepts_op(op)]
        if not matched:
            raise UsageError(f"--op {pattern!r} selects none of {flow.id}'s ops: {', '.join(flow.op_names)}")
        if len(matched) == 1 and matched[0] in EXCLUDED:
            raise UsageError(f"{matched[0]} has no campaign generator: {EXCLUDED[matched[0]]}")
        chosen.extend(op for op in matched if op in GENERATORS and op not in chosen)
    return tuple(chosen)


def default_reference(flow_id: str) -> str:
    """The flow's first reference in the catalog. Raises :class:`UsageError` for a flow without one."""
    flow = catalog.flow(flow_id)
    if not flow.references:
        raise UsageError(f"{flow.id} has no reference implementation; give --against NAME (for example python)")
    return flow.references[0]


def _check_fields(plan: Plan) -> None:
    """Raises :class:`InvalidArgument` naming the first field of ``plan`` of the wrong type or out of range."""
    catalog.flow(plan.flow)
    require_strings(plan.ops, "plan.ops", limit=1024)
    for name in ("implementation", "reference"):
        require_instance(getattr(plan, name), f"plan.{name}", ImplementationSpec)
    require_instance(plan.shard, "plan.shard", Shard)
    require_int(plan.seed, "plan.seed", minimum=-MAX_SEED, maximum=MAX_SEED)
    require_int(plan.batch, "plan.batch", minimum=1, maximum=1 << 20)
    require_int(plan.keep, "plan.keep", minimum=0)
    require_int(plan.minimize, "plan.minimize", minimum=0)
    if plan.time_limit is not None and require_number(plan.time_limit, "plan.time_limit") <= 0:
        raise InvalidArgument("plan.time_limit must be more than 0 seconds")


def check(plan: Plan) -> tuple[Plan, list[str]]:
    """Build both sides (once in this process: :func:`conformance.spec.build`), check they run here, and keep the
    ops both answer.

    Returns the plan with its final ops, and notes about ops left out. Raises :class:`UsageError` for an
    implementation or reference that cannot run here, the same implementation on both sides, or no op left.
    """
    plan = require_plan(plan)
    if isinstance(plan.cases, bool) or not isinstance(plan.cases, int) or plan.cases < 1:
        raise UsageError("--cases must be a whole number of at least 1")
    _check_fields(plan)
    if plan.engine not in ENGINES:
        raise UsageError(f"--engine takes one of {', '.join(ENGINES)}, got {plan.engine!r}")
    if plan.implementation == plan.reference:
        raise UsageError(f"{plan.reference.name} would be compared with itself; give another --against")
    notes: list[str] = []
    ops = list(plan.ops)
    for role, spec in (("reference", plan.reference), ("implementation", plan.implementation)):
        made = spec.build()
        problem = made.unavailable()
        if problem is not None:
            raise UsageError(f"the {role} {spec.label} cannot run here: {problem}")
        answered = made.ops()
        lacking = [op for op in ops if op not in answered]
        if lacking:
            notes.append(f"{spec.label} does not answer {', '.join(lacking)}: left out")
        ops = [op for op in ops if op in answered]
    if not ops:
        raise UsageError(
            f"no selected op of {plan.flow} is answered by both {plan.implementation.label} and {plan.reference.label}"
        )
    return replace(plan, ops=tuple(ops)), notes
