"""The ``conformance`` command: ``run``, ``diff``, ``list``, ``versions``, ``fuzz``, ``audit`` and ``inspect``, one module
per subcommand.

Exit codes: 0 all passing; 1 failures; 2 a regression against ``--baseline`` (or in ``diff``); 3 a usage or
environment error, always one line on stderr and never a traceback. A reader that closes the output early
(``| head -1``) is no error: the rest of the output is dropped and the exit code is still the gate's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from conformance.cli import audit, diff, fuzz, inspect, listing, run, versions
from conformance.cli.common import EXIT_FAILURES, EXIT_OK, EXIT_REGRESSION, EXIT_USAGE, Parser, one_line
from conformance.errors import ConformanceError

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_REGRESSION", "EXIT_USAGE", "build_parser", "main"]

#: Set to 1 to see the traceback of an unexpected error (a bug) instead of its one-line report.
DEBUG_ENV = "HANDOFF_DEBUG"

#: Each subcommand module has NAME, HELP, add_arguments(parser) and command(args, out) -> exit code.
COMMANDS = (run, diff, listing, versions, fuzz, audit, inspect)


def build_parser() -> Parser:
    parser = Parser(prog="conformance", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in COMMANDS:
        module.add_arguments(commands.add_parser(module.NAME, help=module.HELP, description=module.HELP))
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or _ClosablePipe(sys.stdout)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (3)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    module = next(m for m in COMMANDS if args.command == m.NAME)
    try:
        return module.command(args, out)
    except ConformanceError as exc:
        sys.stderr.write(f"conformance {args.command}: {one_line(str(exc))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"conformance {args.command}: interrupted\n")
        return EXIT_USAGE
    except BrokenPipeError:  # a write past ``out`` (a report written to a closed pipe): nothing more can be written
        _silence_stdout()
        sys.stderr.write(f"conformance {args.command}: its output was closed before it finished\n")
        return EXIT_USAGE
    except Exception as exc:
        # A bug, not a usage error. Its message may hold a key or a plaintext: only its class is shown.
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        sys.stderr.write(
            f"conformance {args.command}: internal error ({type(exc).__name__}); this is a bug, please report it "
            f"with the command line ({DEBUG_ENV}=1 shows the traceback)\n"
        )
        return EXIT_USAGE


class _ClosablePipe:
    """``stdout`` for a command: once its reader has gone (``| head``), further output is dropped, not an error, so
    the command runs to the end and exits with its own code."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def _reader_gone(self) -> None:
        self.closed_by_reader = True
        _silence_stdout()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
