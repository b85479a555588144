"""What the subcommands share: the exit codes, an argument parser that exits 3, and comma lists."""

from __future__ import annotations

import argparse
from collections.abc import Callable

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


def whole(minimum: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of at least ``minimum`` (``--jobs``, ``--keep``, ``--batch`` ...)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value!r}")
        return number

    parse.__name__ = "whole number"  # what argparse calls the type in its message
    return parse


def seconds(value: str) -> float:
    """A positive, finite number of seconds (an argparse ``type``)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    # float() takes "inf", "nan" and "1e999": none of them is a timeout (an infinite one overflows select())
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {value!r}")
    return number
