"""Campaigns on a Dask cluster: ``conformance fuzz --dask ADDRESS`` (a running scheduler, ``tcp://host:8786``) or
``--dask local:N`` (a :class:`distributed.LocalCluster` of ``N`` worker processes on this machine).

The shard is cut into parts (:meth:`conformance.fuzz.shards.Part.jobs`), a few per worker, and each part is one
task: the worker rebuilds both sides from the plan's specs (once per worker process: its own JVM, its own adapter
and subprocess references) and returns its counts. The results are merged as ``--jobs`` merges them, and the
classes' examples are minimized in one more task, so the record is the one ``--jobs`` gives for the same seed. A
task whose worker is lost is run again by the scheduler; a task that fails is retried :data:`RETRIES` times.
"""

from __future__ import annotations

import atexit
import re
import threading
import time
import uuid
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from conformance.arguments import require_callable, require_instance
from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.fuzz.engine import ProgressFunction
    from conformance.fuzz.plan import Plan
    from conformance.fuzz.record import CampaignRecord, PartResult
    from conformance.fuzz.shards import Part

#: Tasks per worker: small enough parts that a lost worker costs little, few enough that each builds its sides once.
PARTS_PER_WORKER = 4
#: Times a failed task is submitted again (a lost worker's task is rescheduled by Dask itself).
RETRIES = 3
#: Seconds to wait for a scheduler to answer, and for its first worker.
CONNECT_SECONDS = 30.0
#: At most this many worker processes for ``local:N``.
MAX_LOCAL_WORKERS = 64
_LOCAL = re.compile(r"local:(\d{1,6})")
#: A scheduler address as Dask spells one: an optional protocol, a host (a name, IPv4 or ``[IPv6]``) and a port.
_SCHEDULER = re.compile(
    r"(?:(?:tcp|tls|ws|wss|ucx)://)?(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}"
)


def check_address(address: str) -> str:
    """Returns ``address`` without surrounding blanks: ``local:N`` (1 <= ``N`` <= :data:`MAX_LOCAL_WORKERS`) or a
    scheduler address (``tcp://host:8786``, ``host:8786``). Raises :class:`UsageError` for anything else (the message
    repeats the address only when it has the form of one)."""
    if not isinstance(address, str) or not address.strip():
        raise UsageError("--dask takes a scheduler address (tcp://host:8786) or local:N")
    address = address.strip()
    local = _LOCAL.fullmatch(address)
    if local is not None:
        if not 1 <= int(local.group(1)) <= MAX_LOCAL_WORKERS:
            raise UsageError(f"--dask {address}: give local:N with N from 1 to {MAX_LOCAL_WORKERS} worker processes")
        return address
    scheduler = _SCHEDULER.fullmatch(address)
    if scheduler is None or not 0 < int(address.rsplit(":", 1)[1]) < 65536:
        raise UsageError("--dask: not a scheduler address (give tcp://host:8786, host:8786 or local:N)")
    return address


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError("--dask needs Dask: pip install 'handoff-conformance[dask]'") from None
    return distributed


_clients: dict[str, tuple[ExitStack, Any]] = {}


def connect(address: str) -> Any:
    """The Dask client for ``address``, made once in this process (a ``local:N`` cluster lives until the process
    exits: the plan's check and the campaign share it). Raises :class:`UsageError` when the scheduler cannot be
    reached or has no worker."""
    address = check_address(address)
    if address not in _clients:
        stack = ExitStack()
        try:
            client = _connect(address, stack)
        except BaseException:
            stack.close()
            raise
        _clients[address] = (stack, client)
    return _clients[address][1]


def _connect(address: str, stack: ExitStack) -> Any:
    distributed = _distributed()
    local = _LOCAL.fullmatch(address)
    try:
        if local is not None:
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=int(local.group(1)),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        else:
            client = stack.enter_context(distributed.Client(address, timeout=CONNECT_SECONDS))
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--dask {address}: no scheduler with a worker answers ({type(exc).__name__})") from None
    return client


@atexit.register
def disconnect() -> None:
    """Close every client (and local cluster) this process made."""
    while _clients:
        _address, (stack, _client) = _clients.popitem()
        stack.close()


_one_part_at_a_time = threading.Lock()


def run_part(plan: Plan, part: Part) -> PartResult:
    """One task: :func:`conformance.fuzz.engine.run_part`, one at a time in a worker process (a worker started with
    several threads shares its process's sides, which answer one batch at a time)."""
    from conformance.fuzz import engine
    from conformance.fuzz.plan import require_plan
    from conformance.fuzz.shards import Part

    plan, part = require_plan(plan), require_instance(part, "part", Part)
    with _one_part_at_a_time:
        return engine.run_part(plan, part)


def _workers(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def check_plan(plan: Plan, address: str) -> tuple[Plan, list[str]]:
    """:func:`conformance.fuzz.plan.check`, run on a worker of the cluster (where the sides will run). Raises
    :class:`UsageError` as it does and when the cluster cannot be reached."""
    from conformance.fuzz.plan import check, require_plan

    plan = require_plan(plan)
    return connect(address).submit(check, plan, pure=False).result()  # type: ignore[no-any-return]


def run(plan: Plan, address: str, progress: ProgressFunction | None = None) -> CampaignRecord:
    """The campaign's shard, run as tasks on the cluster at ``address``: the record ``--jobs`` would give.

    Raises :class:`~conformance.errors.ReferenceFailure` when a task finds the reference failing, and
    :class:`UsageError` when the cluster cannot be reached.
    """
    from conformance.fuzz import engine
    from conformance.fuzz.plan import require_plan

    plan = require_plan(plan)
    if progress is not None:
        require_callable(progress, "progress")
    distributed = _distributed()
    started = time.monotonic()
    client = connect(address)
    whole = plan.shard.part()
    count = max(1, min(_workers(client) * PARTS_PER_WORKER, len(whole.blocks(plan.cases))))
    parts = whole.jobs(count)
    futures = [
        client.submit(run_part, plan, part, retries=RETRIES, pure=False, key=f"fuzz-part-{n}-{uuid.uuid4().hex}")
        for n, part in enumerate(parts)
    ]
    sizes = {future.key: part.size(plan.cases) for future, part in zip(futures, parts, strict=True)}
    results: dict[str, PartResult] = {}
    for future in distributed.as_completed(futures):
        result = future.result()
        results[future.key] = result
        if progress is not None:
            progress(sizes[future.key], result.divergence_count)
    ordered = [results[future.key] for future in futures]
    record = engine.merged(plan, ordered, time.monotonic() - started, count)
    examples = engine.to_minimize(plan, record)
    if examples:
        found = client.submit(engine.minimized_examples, plan, examples, retries=RETRIES, pure=False).result()
        engine.set_minimized(record, examples, found)
    record.seconds = record.shard_seconds[plan.shard.index] = time.monotonic() - started
    return record
