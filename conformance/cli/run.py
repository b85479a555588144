"""``conformance run``: every vector against every selected implementation, the interop matrix, the reports."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TextIO

from conformance.cli.common import EXIT_FAILURES, EXIT_OK, EXIT_REGRESSION, csv
from conformance.errors import UsageError
from conformance.results import VERDICTS, RunRecord

NAME = "run"
HELP = "run the vectors against implementations and write reports"


def add_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("--impl", default="all", help="comma-separated implementations, or 'all' (default)")
    run.add_argument("--adapter", action="append", default=[], metavar="NAME=COMMAND", help="an external adapter")
    run.add_argument("--adapter-timeout", type=float, default=30.0, metavar="SECONDS")
    run.add_argument("--vectors", type=Path, default=None, help="vector directory (default: the packaged vectors)")
    run.add_argument("--flow", type=csv, default=(), help="scheme or file stem, comma-separated")
    run.add_argument("--op", type=csv, default=(), help="op names; a trailing * matches a prefix")
    run.add_argument("--flag", type=csv, default=(), help="vectors carrying any of these flags")
    run.add_argument("--tcid", type=csv, default=(), help="tcIds, as N or FILE#N")
    run.add_argument("--result", type=csv, default=(), help="valid, invalid and/or acceptable")
    run.add_argument("--junit", type=Path, help="write JUnit XML here")
    run.add_argument("--json", type=Path, help="write the full JSON record here")
    run.add_argument("--html", type=Path, help="write the self-contained HTML report here")
    run.add_argument("--baseline", type=Path, help="an earlier --json record: fail only on regressions against it")
    run.add_argument("--strict", action="store_true", help="unavailable counts as failure (implied by CI=true)")
    run.add_argument("--no-interop", action="store_true", help="skip the producer -> consumer matrix")
    run.add_argument("--version-matrix", action="store_true", help="also run the reference-version matrix")
    run.add_argument("--quiet", action="store_true", help="no progress output")


def command(args: argparse.Namespace, out: TextIO) -> int:
    return command_run(args, out)


def _strict(args: argparse.Namespace) -> bool:
    return bool(args.strict) or os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def print_summary(record: RunRecord, out: TextIO, strict: bool) -> None:
    summary = record.summary()
    width = max([len(name) for name in summary] + [14])
    out.write(f"\n{'implementation':<{width}}  " + "  ".join(f"{v:>11}" for v in VERDICTS) + "\n")
    for name, row in summary.items():
        availability = record.implementations.get(name, {}).get("available")
        note = f"  ({'FAILS: ' if strict else ''}unavailable: {availability[:60]})" if availability else ""
        out.write(f"{name:<{width}}  " + "  ".join(f"{row[v]:>11}" for v in VERDICTS) + note + "\n")
    flows = sorted({cell.flow for cell in record.interop})
    for flow in flows:
        cells = [c for c in record.interop if c.flow == flow]
        producers = list(dict.fromkeys(c.producer for c in cells))
        consumers = list(dict.fromkeys(c.consumer for c in cells))
        header = "  ".join(f"{n[:11]:>11}" for n in consumers)
        out.write(f"\ninterop {flow} (rows produce, columns consume)\n{'':<{width}}  {header}\n")
        for producer in producers:
            row = {c.consumer: c for c in cells if c.producer == producer}
            marks = [f"{row[n].verdict if n in row else '-':>11}" for n in consumers]
            out.write(f"{producer:<{width}}  " + "  ".join(marks) + "\n")
        for cell in cells:
            if cell.verdict in {"fail", "io"}:
                out.write(f"  {cell.producer} -> {cell.consumer}: {cell.detail}\n")


def _exit_code(record: RunRecord, strict: bool) -> int:
    bad = {"fail", "io"} | ({"unavailable"} if strict else set())
    failing = any(c.verdict in bad for c in record.cases) or any(c.verdict in bad for c in record.interop)
    return EXIT_FAILURES if failing else EXIT_OK


def command_run(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import implementations, runner, vectors
    from conformance.paths import vectors_dir

    strict = _strict(args)
    directory = args.vectors or vectors_dir()
    files = vectors.vector_files(directory)
    if not files:
        raise UsageError(f"{directory}: no vector files")
    selected = runner.CaseFilter(args.flow, args.op, args.flag, args.tcid, args.result)
    cases = [case for path in files for case in vectors.iter_cases(path) if selected.accepts(case)]
    if not cases:
        raise UsageError("the filters select no vectors")
    chosen = implementations.build(args.impl, args.adapter, timeout=args.adapter_timeout)
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "command"}
    try:
        record = runner.run(
            cases, chosen, vector_files=files, options=options, progress=not args.quiet, interop=not args.no_interop
        )
        if args.version_matrix:
            from conformance import version_matrix

            record.version_matrix = version_matrix.run_version_matrix(
                cases, references=version_matrix.references_for(cases)
            )
    finally:
        for implementation in chosen:
            close = getattr(implementation, "close", None)
            if close:
                close()
    record.metadata["strict"] = strict
    print_summary(record, out, strict)
    if record.version_matrix:
        from conformance import version_matrix

        out.write("\n" + version_matrix.format_text(record.version_matrix) + "\n")
    _write_reports(record, args, out)
    if args.baseline:
        return _against_baseline(record, args.baseline, out)
    return _exit_code(record, strict)


def _write_reports(record: RunRecord, args: argparse.Namespace, out: TextIO) -> None:
    if args.json is None and args.junit is None and args.html is None:
        return
    from conformance import report

    for path, writer in (
        (args.json, report.write_json),
        (args.junit, report.write_junit),
        (args.html, report.write_html),
    ):
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            writer(record, path)
            out.write(f"wrote {path}\n")


def load_record(path: Path) -> RunRecord:
    try:
        return RunRecord.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a conformance run record ({exc})") from None


def _against_baseline(record: RunRecord, baseline: Path, out: TextIO) -> int:
    from conformance import report

    old = load_record(baseline)
    # Compare what this run selected: a filtered run is not a regression on the vectors it did not select.
    selected = {case.case_id for case in record.cases}
    ran = set(record.implementations)
    old.cases = [c for c in old.cases if c.case_id in selected and c.implementation in ran]
    old.interop = [c for c in old.interop if c.producer in ran and c.consumer in ran]
    changes = report.diff_records(old, record)
    out.write(report.format_diff(changes) + "\n")
    return EXIT_REGRESSION if changes.regressions else EXIT_OK
