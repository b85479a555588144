"""``conformance fuzz``: a differential campaign of generated cases against a flow's reference, for the built-in
port or any adapter; ``conformance fuzz merge`` combines the JSON records of a campaign's shards.

Exit codes: 0 no divergence, 1 divergences, 3 a usage or environment error (one line, checked before the run).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from conformance.cli.common import EXIT_FAILURES, EXIT_OK, csv, seconds, whole
from conformance.cli.outputs import writable
from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.fuzz.plan import Plan
    from conformance.fuzz.record import CampaignRecord

NAME = "fuzz"
HELP = "a differential campaign: generated cases, the implementation against the flow's reference"
#: How many divergences the summary prints.
SHOWN = 10
_COUNT = re.compile(r"(\d[\d_,]*(?:\.\d+)?)([kKmM]?)")


def count(text: str) -> int:
    """``1000000``, ``1_000_000``, ``1,000,000``, ``200k``, ``1M`` or ``1.8M``. Raises
    :class:`argparse.ArgumentTypeError` for anything else, or a fraction of a case."""
    from decimal import Decimal

    found = _COUNT.fullmatch(text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"not a count: {text!r}")
    value = (
        Decimal(found.group(1).replace("_", "").replace(",", ""))
        * {"": 1, "k": 1000, "m": 1_000_000}[found.group(2).lower()]
    )
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"not a whole number of cases: {text!r}")
    return int(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from conformance.fuzz.plan import ENGINES, MAX_JOBS

    parser.add_argument("action", nargs="?", choices=["merge"], help="merge: combine the JSON records of shards")
    parser.add_argument("records", nargs="*", type=Path, metavar="RECORD", help="(merge) shard records to combine")
    parser.add_argument("--flow", help="the flow to fuzz (a flow id)")
    parser.add_argument("--op", type=csv, default=(), metavar="PATTERN", help="op names or globs (default: all)")
    parser.add_argument("--impl", help="the implementation under test: a built-in name (python, ...)")
    parser.add_argument("--adapter", metavar="NAME=COMMAND", help="the implementation under test: your adapter")
    parser.add_argument("--adapter-timeout", type=seconds, default=30.0, metavar="SECONDS")
    parser.add_argument("--against", help="the reference (default: the flow's first reference)")
    parser.add_argument("--cases", type=count, help="how many cases (1000000, 200k, 1M)")
    parser.add_argument("--seed", type=int, default=0, help="the campaign seed (default 0)")
    parser.add_argument("--shard", default=None, metavar="K/N", help="run shard K of N (deterministic)")
    parser.add_argument(
        "--jobs",
        type=whole(1, MAX_JOBS),
        default=1,
        help=f"worker processes (each has its own JVM; at most {MAX_JOBS})",
    )
    parser.add_argument(
        "--dask", metavar="ADDRESS", help="run the shard's parts on a Dask cluster: tcp://host:8786, or local:N"
    )
    parser.add_argument("--time-limit", type=seconds, default=None, metavar="SEC", help="stop after SEC seconds")
    parser.add_argument("--batch", type=whole(1), default=8192, help="cases per call_many batch (default 8192)")
    parser.add_argument(
        "--engine", choices=ENGINES, default="bulk", help="bulk (default), or legacy: the engine before it, to compare"
    )
    parser.add_argument(
        "--keep", type=whole(0), default=None, help="divergences recorded in full (default 50; merge: all)"
    )
    parser.add_argument("--minimize", type=whole(0), default=5, help="divergences minimized (default 5)")
    parser.add_argument("--json", type=Path, help="write the campaign record (JSON) here")
    parser.add_argument("--save", type=Path, metavar="DIR", help="write divergences as candidate vectors here")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def command(args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "merge":
        return _merge(args, out)
    if args.records:
        raise UsageError(f"unexpected argument {args.records[0]} (only 'conformance fuzz merge' takes records)")
    if args.dask is None:
        return _campaign(args, out)
    from conformance.fuzz import cluster

    try:
        return _campaign(args, out)
    finally:
        cluster.disconnect()  # the command's client, and its local:N cluster's processes, end with the command


def _campaign(args: argparse.Namespace, out: TextIO) -> int:
    plan, notes = _plan(args)
    from conformance.fuzz import engine
    from conformance.progress import Progress

    for note in notes:
        sys.stderr.write(f"conformance fuzz: {note}\n")
    total = plan.shard.part().size(plan.cases)
    bar = Progress(total, f"fuzz {plan.flow}", enabled=not args.quiet)
    found = [0]

    def progress(cases: int, divergences: int) -> None:
        found[0] += divergences
        rate = (bar.done + cases) / max(1e-9, time.monotonic() - bar.started)
        bar.advance(cases, f"{rate:.0f} cases/s, {found[0]} divergences")

    if args.dask is not None:
        from conformance.fuzz import cluster

        record = cluster.run(plan, args.dask, progress)
    else:
        record = engine.run(plan, jobs=max(1, args.jobs), progress=progress)
    bar.finish()
    _report(record, out)
    if args.json is not None:
        record.write(args.json)
        out.write(f"wrote {args.json}\n")
    if args.save is not None:
        from conformance.fuzz.save import save

        saved = save(record, plan.reference.build(), args.save)
        if saved is not None:
            out.write(f"wrote {saved} (candidate vectors, one per class; the answers are {plan.reference.label}'s)\n")
    return EXIT_FAILURES if record.divergence_count else EXIT_OK


def _plan(args: argparse.Namespace) -> tuple[Plan, list[str]]:
    """Every option checked before the campaign starts. Raises :class:`UsageError`."""
    from conformance.fuzz.plan import Plan, check, default_reference, select_ops, side
    from conformance.fuzz.save import writable_dir
    from conformance.fuzz.shards import Shard
    from conformance.spec import ImplementationSpec

    if not args.flow:
        raise UsageError("--flow FLOW is required")
    if args.cases is None:
        raise UsageError("--cases N is required")
    keep = 50 if args.keep is None else args.keep  # the counts and times were checked by their argparse types
    if args.dask is not None:
        from conformance.fuzz.cluster import check_address

        check_address(args.dask)
        if args.jobs != 1:
            raise UsageError("give --jobs or --dask, not both (a Dask worker is one process)")
    shard = Shard.parse(args.shard)
    ops = select_ops(args.flow, args.op)
    writable(args.json, "--json")
    writable_dir(args.save)
    implementation = side(args.impl, args.adapter, args.adapter_timeout)
    reference = ImplementationSpec.parse(args.against or default_reference(args.flow), args.adapter_timeout)
    plan = Plan(
        args.flow,
        ops,
        implementation,
        reference,
        args.cases,
        seed=args.seed,
        shard=shard,
        batch=args.batch,
        time_limit=args.time_limit,
        keep=keep,
        minimize=args.minimize,
        engine=args.engine,
    )
    if args.dask is not None:
        from conformance.fuzz.cluster import check_plan

        return check_plan(plan, args.dask)
    return check(plan)


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from conformance.fuzz import record as records

    if not args.records:
        raise UsageError("conformance fuzz merge takes the JSON records of a campaign's shards")
    run_options = [
        name for name in ("flow", "impl", "adapter", "against", "cases", "shard", "save", "dask") if getattr(args, name)
    ]
    if run_options:
        raise UsageError(f"conformance fuzz merge does not take --{run_options[0]}")
    writable(args.json, "--json")
    merged = records.merge([records.load(path) for path in args.records], keep=args.keep)
    _report(merged, out)
    if args.json is not None:
        merged.write(args.json)
        out.write(f"wrote {args.json}\n")
    return EXIT_FAILURES if merged.divergence_count else EXIT_OK


def _short(value: object, limit: int = 240) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _report(record: CampaignRecord, out: TextIO) -> None:
    from conformance.fuzz.classes import ranked

    implementation, reference = record.implementation.get("name"), record.reference.get("name")
    state = "" if record.complete else " (stopped before the end: --time-limit or missing shards)"
    out.write(
        f"\n{record.flow}: {implementation} against {reference}, seed {record.seed}, shard {record.shard_text()}{state}\n"
        f"  {record.cases:,} cases in {record.seconds:.1f} s: {record.cases_per_second:,.0f} cases/s; "
        f"{record.divergence_count:,} divergences in {len(record.classes):,} classes\n"
    )
    if record.classes:
        out.write("  classes of divergence, most first (each minimized from its first case):\n")
    for entry in ranked(record.classes)[:SHOWN]:
        divergence = entry.example
        out.write(
            f"\n  {entry.count:,} x {entry.signature}\n"
            f"    first: case {divergence.case}: {_short(divergence.args)}\n"
            f"    {reference}: {_short(divergence.reference.describe(), 160)}\n"
            f"    {implementation}: {_short(divergence.actual.describe(), 160)}\n"
        )
        if divergence.minimized:
            small = divergence.minimized
            out.write(
                f"    minimized: {_short(small['args'])}\n"
                f"      {reference}: {_short(small['reference'], 160)}\n"
                f"      {implementation}: {_short(small['actual'], 160)}\n"
            )
    if len(record.classes) > SHOWN:
        out.write(f"\n  ... {len(record.classes) - SHOWN:,} more classes (the JSON record lists them all)\n")
    if record.classes:
        out.write("\n")
    for op, cases in sorted(record.per_op.items()):
        out.write(f"  {op}: {cases:,} cases\n")
    if record.skipped:
        out.write(f"  {record.skipped:,} cases skipped: {reference} does not answer them\n")
    if record.deviations:
        shown = ", ".join(f"{flag} {n:,}" for flag, n in sorted(record.deviations.items()))
        out.write(f"  documented deviations (DEVIATIONS.md, not divergences): {shown}\n")
