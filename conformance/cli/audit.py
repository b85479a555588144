"""``conformance audit``: executable findings for every flow (filled in by the audit work, issue 10)."""

from __future__ import annotations

import argparse
from typing import TextIO

from conformance.errors import UsageError

NAME = "audit"
HELP = "run the audit proofs against the live references and write a findings report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--flow", default="", help="comma-separated flow ids (default: every flow)")


def command(args: argparse.Namespace, out: TextIO) -> int:
    raise UsageError("conformance audit is not available in this build yet")
