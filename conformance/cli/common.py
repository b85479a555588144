"""What the subcommands share: the exit codes, an argument parser that exits 3, and comma lists."""

from __future__ import annotations

import argparse

EXIT_OK, EXIT_FAILURES, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error by default; 2 means "regression" here, so this one exits 3, and it says
    so in one line (the usage is one ``--help`` away)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def csv(value: str) -> tuple[str, ...]:
    """A comma-separated option value as a tuple of its non-empty, stripped parts."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def one_line(text: str) -> str:
    """``text`` on one line: newlines and runs of whitespace become single spaces."""
    return " ".join(text.split())


def seconds(value: str) -> float:
    """A positive, finite number of seconds (an argparse ``type``)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {value!r}")
    return number
