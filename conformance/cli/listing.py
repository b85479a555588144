"""``conformance list``: the flows, the implementations, whether each can run here, and the ops each answers."""

from __future__ import annotations

import argparse
from typing import TextIO

from conformance.cli.common import EXIT_OK, one_line
from conformance.spec import built

NAME = "list"
HELP = "flows, implementations, their availability and ops"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ops", action="store_true", help="also list each implementation's ops")


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import catalog, registry

    out.write("flows:\n")
    for entry in catalog.FLOWS:
        out.write(f"  {entry.id:<24} {entry.title}\n")
    out.write("implementations:\n")
    width = max(len(name) for name in registry.names())
    for name in registry.names():
        implementation = built(name)
        problem = implementation.unavailable()
        state = f"unavailable: {one_line(problem)}" if problem else "available"
        out.write(f"  {name:<{width}} {implementation.kind:<11} {state}\n")
        if args.ops:
            for op in sorted(implementation.ops()):
                out.write(f"      {op}\n")
    return EXIT_OK
