"""What the subcommands share: the exit codes, an argument parser that exits 3, and comma lists."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from typing import Any

EXIT_OK, EXIT_FAILURES, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error by default; 2 means "regression" here, so this one exits 3, and it says
    so in one line (the usage is one ``--help`` away)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("description"):  # the docstrings' reStructuredText literals: ``run`` reads run
            kwargs["description"] = re.sub(r"``([^`]+)``", r"\1", kwargs["description"])
        super().__init__(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        """As argparse, but an argument no parser knows points to the subcommand's own ``--help``."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(parsed, "command", None)
            where = f"{self.prog} {command}" if command else self.prog
            self.exit(
                EXIT_USAGE, f"{self.prog}: error: unrecognized arguments: {' '.join(extras)} (see {where} --help)\n"
            )
        return parsed

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def csv(value: str) -> tuple[str, ...]:
    """A comma-separated option value as a tuple of its non-empty, stripped parts."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def one_line(text: str) -> str:
    """``text`` on one line: newlines and runs of whitespace become single spaces."""
    return " ".join(text.split())


def whole(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of at least ``minimum`` and at most ``maximum`` (``--jobs``, ``--keep``,
    ``--batch`` ...)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value!r}")
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {value!r}")
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
