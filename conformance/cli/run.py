"""``conformance run``: every vector against every selected implementation, the interop matrix, the reports.

Everything that can be checked before the run is: the filters, the implementations and adapter specs, the output
paths, the baseline, and that each user's adapter starts. The headline comes first, then the summary, the interop matrices and the failing vectors.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from conformance.cli.common import EXIT_FAILURES, EXIT_OK, EXIT_REGRESSION, csv, one_line, seconds
from conformance.cli.outputs import load_record, readable_dir, writable
from conformance.errors import UsageError
from conformance.results import RunRecord

if TYPE_CHECKING:
    from conformance.contract import Implementation

NAME = "run"
HELP = "run the vectors against implementations and write reports"


def add_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("--impl", default="all", help="comma-separated implementations, or 'all' (default)")
    run.add_argument("--adapter", action="append", default=[], metavar="NAME=COMMAND", help="an external adapter")
    run.add_argument("--adapter-timeout", type=seconds, default=30.0, metavar="SECONDS")
    run.add_argument("--vectors", type=Path, default=None, help="vector directory (default: the packaged vectors)")
    run.add_argument("--flow", type=csv, default=(), help="flow ids, comma-separated")
    run.add_argument("--op", type=csv, default=(), help="op names or globs (khoros.skep.*)")
    run.add_argument("--flag", type=csv, default=(), help="vectors carrying any of these flags")
    run.add_argument("--tcid", type=csv, default=(), help="tcIds, as N or FLOW#N")
    run.add_argument("--result", type=csv, default=(), help="valid, invalid and/or acceptable")
    run.add_argument("--junit", type=Path, help="write JUnit XML here")
    run.add_argument("--json", type=Path, help="write the full JSON record here")
    run.add_argument("--html", type=Path, help="write the self-contained HTML report here")
    run.add_argument("--baseline", type=Path, help="an earlier --json record: fail only on regressions against it")
    run.add_argument(
        "--fail-on",
        default=None,
        metavar="VERDICTS",
        help="verdicts that fail the gate (default unsafe,fail,io; --strict or CI=true adds unavailable)",
    )
    run.add_argument("--strict", action="store_true", help="unavailable counts as failure (implied by CI=true)")
    run.add_argument("--no-interop", action="store_true", help="skip the producer -> consumer matrix")
    run.add_argument("--version-matrix", action="store_true", help="also run the reference-version matrix")
    run.add_argument("--show-all", action="store_true", help="list every failing vector (default: the first 25)")
    run.add_argument("--quiet", action="store_true", help="no progress output")


def _cases(args: argparse.Namespace) -> tuple[list, list[Path]]:
    from conformance import vectors
    from conformance.paths import vectors_dir
    from conformance.selection import CaseFilter

    directory = readable_dir(args.vectors, "--vectors") or vectors_dir()
    files = vectors.vector_files(directory)
    if not files:
        raise UsageError(f"--vectors {directory}: no vector files (*.json) there")
    every = [case for path in files for case in vectors.iter_cases(path)]
    selected = CaseFilter(args.flow, args.op, args.flag, args.tcid, args.result).select(every)
    return selected, files


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import runner, spec
    from conformance.judge import Policy

    policy = Policy.from_options(args.fail_on, strict=True if args.strict else None)
    for option, path in (("--json", args.json), ("--junit", args.junit), ("--html", args.html)):
        writable(path, option)
    baseline = load_record(args.baseline, "--baseline") if args.baseline else None
    cases, files = _cases(args)
    chosen = spec.build_all(args.impl, args.adapter, timeout=args.adapter_timeout)
    started(chosen)
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "command"}
    try:
        record = runner.run(
            cases,
            chosen,
            vector_files=files,
            options=options,
            policy=policy,
            progress=not args.quiet,
            interop=not args.no_interop,
        )
        if args.version_matrix:
            from conformance import versions

            record.version_matrix = versions.run_version_matrix(cases, references=versions.references_for(cases))
    finally:
        for implementation in chosen:
            implementation.close()
    print_record(record, out, show_all=args.show_all)
    _write_reports(record, args, out)
    if baseline is not None:
        return _against_baseline(record, baseline, out)
    from conformance.report.headline import headline

    out.write(f"\n{headline(record)}\n")
    return EXIT_OK if record.gate_passes() else EXIT_FAILURES


def started(chosen: Sequence[Implementation]) -> None:
    """Start each user's adapter before the run. Raises :class:`UsageError` (one line, exit 3), naming the
    adapter and the cause, for one that cannot start or sends no hello: nothing of it could be judged."""
    for implementation in chosen:
        if implementation.builtin:
            continue
        problem = implementation.unavailable()
        if problem is not None:
            for each in chosen:
                each.close()
            cause = one_line(problem).removeprefix(f"{implementation.name}: ")
            raise UsageError(f"adapter {implementation.name} cannot start: {cause}")


def print_record(record: RunRecord, out: TextIO, *, show_all: bool = False) -> None:
    """The CLI view: headline, summary table, interop, version matrix, failing vectors (the caller repeats the
    headline last, after the reports are written)."""
    from conformance.report import headline
    from conformance.report.matrices import interop_text

    line = headline.headline(record)
    out.write(f"{line}\n\n{headline.summary_table(record)}\n")
    interop = interop_text(record)
    if interop:
        out.write(interop + "\n")
    if record.version_matrix:
        from conformance.report.versions import format_text

        out.write("\n" + format_text(record.version_matrix) + "\n")
    failing = headline.failing_lines(record, limit=None if show_all else headline.DEFAULT_LIMIT)
    if failing:
        out.write("\nfailing:\n" + "\n".join(f"  {text}" for text in failing) + "\n")


def _write_reports(record: RunRecord, args: argparse.Namespace, out: TextIO) -> None:
    from conformance import report

    for path, writer in (
        (args.json, report.write_json),
        (args.junit, report.write_junit),
        (args.html, report.write_html),
    ):
        if path is not None:
            try:
                writer(record, path)
            except OSError as exc:
                raise UsageError(f"{path}: cannot be written ({type(exc).__name__})") from None
            out.write(f"wrote {path}\n")


def _against_baseline(record: RunRecord, old: RunRecord, out: TextIO) -> int:
    from conformance import report

    # Compare what this run selected: a filtered run is not a regression on the vectors it did not select.
    selected = {case.case_id for case in record.cases}
    ran = set(record.implementations)
    old.cases = [c for c in old.cases if c.case_id in selected and c.implementation in ran]
    old.interop = [c for c in old.interop if c.producer in ran and c.consumer in ran]
    changes = report.diff_records(old, record)
    out.write(report.format_diff(changes) + "\n")
    return EXIT_REGRESSION if changes.regressions else EXIT_OK
