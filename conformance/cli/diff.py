"""``conformance diff``: regressions and improvements between two ``--json`` run records."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from conformance.cli.common import EXIT_OK, EXIT_REGRESSION
from conformance.cli.outputs import load_record

NAME = "diff"
HELP = "regressions and improvements between two --json records"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import report

    changes = report.diff_records(load_record(args.old, "old"), load_record(args.new, "new"))
    out.write(report.format_diff(changes) + "\n")
    return EXIT_REGRESSION if changes.regressions else EXIT_OK
