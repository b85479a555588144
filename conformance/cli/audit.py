"""``conformance audit``: run the audit proofs against the live references and write the findings report.

Findings are the product, not failures: the exit code is 0 whenever the audit ran (whatever it found), 3 on a usage
error (an unknown flow, a malformed ``--adapter``, an output path that cannot be written). Progress goes to stderr,
the one-line headline to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from conformance.cli.common import EXIT_OK, csv
from conformance.cli.outputs import writable
from conformance.errors import UsageError

NAME = "audit"
HELP = "run the audit proofs against the live references and write a findings report"
OUTPUTS = ("json", "html", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--flow", type=csv, default=(), help="comma-separated flow ids (default: every flow)")
    parser.add_argument(
        "--adapter",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="also probe an external implementation (repeatable)",
    )
    parser.add_argument("--json", type=Path, help="write the full JSON record here")
    parser.add_argument("--html", type=Path, help="write the self-contained HTML report here")
    parser.add_argument("--markdown", type=Path, help="write the Markdown report here")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance.audit import report, report_html, runner

    flows = runner.check_flows(args.flow)
    runner.check_adapters(args.adapter)
    outputs = {kind: getattr(args, kind) for kind in OUTPUTS if getattr(args, kind) is not None}
    for kind, path in outputs.items():
        writable(path, f"--{kind}")

    def progress(line: str) -> None:
        if not args.quiet:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    record = runner.run_audit(flows, args.adapter, progress=progress)
    for kind, path in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            report_html.WRITERS[kind](record, path)
        except OSError as exc:
            raise UsageError(f"--{kind} {path}: cannot write ({exc.strerror or exc})") from None
        progress(f"audit: wrote {path}")
    out.write(report.headline_text(record) + "\n")
    return EXIT_OK
