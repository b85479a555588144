"""``conformance list``: the implementations, whether each can run here, and the ops each answers."""

from __future__ import annotations

import argparse
from typing import TextIO

from conformance.cli.common import EXIT_OK

NAME = "list"
HELP = "implementations, their availability and ops"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    return None


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import implementations

    for implementation in implementations.build("all"):
        problem = implementation.unavailable()
        state = f"unavailable: {problem}" if problem else "available"
        out.write(f"{implementation.name:<12} {state}\n")
        for op in sorted(implementation.ops()):
            out.write(f"    {op}\n")
    return EXIT_OK
