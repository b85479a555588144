"""Measured figures written into the README by the session that measured them, never typed by hand.

A figure block sits between ``<!-- figures:NAME:begin ... -->`` and ``<!-- figures:NAME:end -->`` and holds its date,
the machine and what was measured: ``nox -s tests -- --write-figures`` writes ``tests`` (from the run's JUnit
record), ``nox -s bench -- --write-figures`` writes ``bench`` (the benchmark's own report).

``python -m conformance.figures tests --junit FILE --seconds S --workers N`` is what the nox session calls.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from conformance.errors import UsageError
from conformance.paths import REPO_ROOT

NAMES = ("tests", "bench")
_BLOCK = (
    "<!-- figures:{name}:begin (written by `nox -s {name} -- --write-figures`; do not edit) -->\n{body}\n"
    "<!-- figures:{name}:end -->"
)


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<!-- figures:{name}:begin[^>]*-->\n.*?\n<!-- figures:{name}:end -->", re.S)


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return " ".join(found.group(1).split()) if found else platform.machine()


def _os_name() -> str:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.system()
    found = re.search(r'^PRETTY_NAME="?([^"\n]+)"?$', text, re.M)
    return found.group(1) if found else platform.system()


def _java() -> str:
    if shutil.which("java") is None:
        return "no JDK"
    try:
        shown = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30, check=False).stderr
    except (OSError, subprocess.TimeoutExpired):
        return "JDK unknown"
    found = re.search(r'version "([^"]+)"', shown)
    return f"OpenJDK {found.group(1)}" if found else "JDK unknown"


def machine() -> str:
    """One line naming this machine: cores, CPU, OS, Python and the JDK."""
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}), {_os_name()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {_java()}"
    )


def stamp() -> str:
    """``measured YYYY-MM-DD on MACHINE``."""
    return f"measured {dt.date.today().isoformat()} on {machine()}"


def write_block(name: str, body: str, readme: Path | None = None) -> Path:
    """Replace the figure block ``name`` of the README (the project's by default) with ``body``; returns its path.

    Raises :class:`UsageError` for an unknown block name or a README without the block's markers.
    """
    if name not in NAMES:
        raise UsageError(f"unknown figure block {name!r}; known: {', '.join(NAMES)}")
    if not isinstance(body, str) or "<!--" in body:
        raise UsageError("a figure block's body is text without HTML comments")
    path = readme if readme is not None else REPO_ROOT / "README.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    pattern = _pattern(name)
    if pattern.search(text) is None:
        raise UsageError(f"{path}: no figures:{name} block (its begin and end markers)")
    block = _BLOCK.format(name=name, body=body.strip("\n"))
    path.write_text(pattern.sub(lambda _: block, text, count=1), encoding="utf-8")
    return path


def tests_body(junit: Path, seconds: float, workers: str, command: str = "nox -s tests") -> str:
    """The ``tests`` block's text from a pytest JUnit record. Raises :class:`UsageError` for an unreadable record."""
    try:
        root = ElementTree.parse(junit).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        raise UsageError(f"{junit}: not a JUnit record ({type(exc).__name__})") from None
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    expected = sum(1 for case in root.iter("testcase") for s in case.iter("skipped") if s.get("type") == "pytest.xfail")
    passed = total - failed - skipped
    return (
        f"`{command}`, {stamp()}: {total:,} tests, {passed:,} passed, {expected:,} expected failures (the pending "
        f"entry points of issue 21), {skipped - expected:,} skipped, {failed:,} failed; pytest took {seconds:,.0f} s "
        f"on {workers} worker(s)."
    )


def main(argv: list[str] | None = None) -> int:
    """The nox sessions' entry point. Returns the exit code (3 with one line for bad input)."""
    from conformance.cli.common import Parser

    parser = Parser(prog="python -m conformance.figures", description=__doc__)
    sub = parser.add_subparsers(dest="block", required=True)
    tests = sub.add_parser("tests", help="the test suite's figures from its JUnit record")
    tests.add_argument("--junit", type=Path, required=True)
    tests.add_argument("--seconds", type=float, required=True)
    tests.add_argument("--workers", default="auto")
    tests.add_argument("--command", default="nox -s tests")
    bench = sub.add_parser("bench", help="the benchmark's report, read from a file")
    bench.add_argument("--report", type=Path, required=True)
    bench.add_argument("--command", default="nox -s bench")
    args = parser.parse_args(argv)
    try:
        if args.block == "tests":
            body = tests_body(args.junit, args.seconds, args.workers, args.command)
        else:
            try:
                report = args.report.read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"{args.report}: cannot be read ({exc.strerror or type(exc).__name__})") from None
            body = f"`{args.command}`, {stamp()}:\n\n```text\n{report.strip()}\n```"
        path = write_block(args.block, body)
    except UsageError as exc:
        print(f"conformance.figures: {exc}", file=sys.stderr)
        return 3
    print(f"conformance.figures: wrote the {args.block} figures into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
