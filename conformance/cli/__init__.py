"""The ``conformance`` command: ``run``, ``diff``, ``list``, ``versions``, ``fuzz`` and ``audit``, one module per subcommand.

Exit codes: 0 all passing; 1 failures; 2 a regression against ``--baseline`` (or in ``diff``); 3 a usage or
environment error, always one line on stderr and never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from conformance.cli import audit, diff, listing, run, versions
from conformance.cli.common import EXIT_FAILURES, EXIT_OK, EXIT_REGRESSION, EXIT_USAGE, Parser, one_line
from conformance.errors import ConformanceError

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_REGRESSION", "EXIT_USAGE", "build_parser", "main"]

#: Each subcommand module has NAME, HELP, add_arguments(parser) and command(args, out) -> exit code.
COMMANDS = (run, diff, listing, versions, audit)


def build_parser() -> Parser:
    parser = Parser(prog="conformance", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in COMMANDS:
        module.add_arguments(commands.add_parser(module.NAME, help=module.HELP, description=module.HELP))
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
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


if __name__ == "__main__":
    sys.exit(main())
