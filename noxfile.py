"""Every task's one entry point: ``nox -s tests | conformance | vectors | notebooks | bench | lint``."""

from __future__ import annotations

import contextlib
import getpass
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
ROOT = Path(__file__).resolve().parent
PYTEST = ["pytest", "-p", "no:faulthandler"]
#: Every distribution the project needs, pinned (tools/pin_constraints.py writes it; tests/test_packaging.py checks
#: that it pins each requirement of pyproject.toml).
CONSTRAINTS = ["-c", str(ROOT / "constraints.txt")]
#: Where the test session's processes keep their bytecode: outside the checkout, across runs. Where the environment
#: says PYTHONDONTWRITEBYTECODE, every process the suite starts (the CLI, adapters, kernels) compiled the package
#: again, 0.15 s of CPU each: test_a_crashing_adapter_is_io_and_the_run_goes_on took 26.6 s of CPU, 14.5 s with it.
PYCACHE = Path(tempfile.gettempdir()) / f"handoff-conformance-pycache-{getpass.getuser()}"


def _install(session: nox.Session, extras: str = "test") -> None:
    session.install(*CONSTRAINTS, "-e", f".[{extras}]")
    for node_dir in (ROOT / "node_ref", ROOT / "node_sdk_ref"):
        if (node_dir / "package.json").exists() and shutil.which("npm"):
            session.run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(node_dir), external=True, silent=True)


def _tree_state() -> set[str]:
    """``git status`` of the checkout (one entry per changed or untracked file), and every JVM crash log in it."""
    crashes = {f"crash log {p.relative_to(ROOT)}" for p in ROOT.rglob("hs_err_pid*.log") if ".nox" not in p.parts}
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return crashes
    status = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=False,
    )
    return crashes | {line for line in status.stdout.splitlines() if line.strip()}


@contextlib.contextmanager
def _leaves_the_tree_clean(session: nox.Session) -> Iterator[None]:
    """Fails the session when it changed the checkout: a file written outside the ignored folders, or a JVM crash
    log (``hs_err_pid*.log``, written on a fatal error, as at a kernel's shutdown)."""
    before = _tree_state()
    yield
    added = sorted(_tree_state() - before)
    if added:
        shown = "; ".join(added[:10]) + (f" and {len(added) - 10} more" if len(added) > 10 else "")
        session.error(f"the session left {len(added)} change(s) in the checkout: {shown}")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite: vectors, differential properties, notebooks, on one pytest-xdist worker per core (each worker
    is a process with its own JVM and reference processes; first-use builds take a lock). Extra args go to pytest
    (``-n 0`` runs it in one process); ``--write-figures`` writes the run's figures into the README."""
    _install(session)
    write, args = _figures_flag(session.posargs)
    # worksteal: a worker that runs out takes queued tests from the other, so one long test started late does not
    # leave a core idle at the end (499 s against 518 s of pytest on this machine, 2026-12-03)
    workers = (
        [] if any(arg.startswith(("-n", "--numprocesses")) for arg in args) else ["-n", "auto", "--dist", "worksteal"]
    )
    # outside the checkout: create_tmp() would set TMPDIR inside it, and the installed-package tests refuse that
    junit = Path(tempfile.mkdtemp(prefix="handoff-figures-")) / "tests-figures.xml"
    session.env.update({"PYTHONPYCACHEPREFIX": str(PYCACHE), "PYTHONDONTWRITEBYTECODE": ""})
    started = time.monotonic()
    with _leaves_the_tree_clean(session):
        session.run(*PYTEST, *workers, *args, *([f"--junitxml={junit}"] if write else []))
    if write:
        seconds = f"{time.monotonic() - started:.1f}"
        shown = workers[1] if workers else next(a for a in args if a.startswith(("-n", "--numprocesses")))
        session.run(
            "python",
            "-m",
            "conformance.figures",
            "tests",
            "--junit",
            str(junit),
            "--seconds",
            seconds,
            "--workers",
            shown.removeprefix("--numprocesses").removeprefix("-n").strip("= ") or "auto",
            "--command",
            " ".join(["nox -s tests", *(["--", *args] if args else [])]),
        )


def _figures_flag(posargs: list[str]) -> tuple[bool, list[str]]:
    """Whether ``--write-figures`` is among the session's arguments, and the others."""
    return "--write-figures" in posargs, [arg for arg in posargs if arg != "--write-figures"]


@nox.session
def conformance(session: nox.Session) -> None:
    """The main job: every vector against every available implementation; reports in reports/."""
    _install(session)
    reports = ROOT / "reports"
    args = session.posargs or [
        "--impl",
        "all",
        "--junit",
        str(reports / "junit.xml"),
        "--json",
        str(reports / "conformance.json"),
        "--html",
        str(reports / "conformance.html"),
        "--version-matrix",
    ]
    session.run("conformance", "run", *args)


@nox.session
def vectors(session: nox.Session) -> None:
    """Regenerate every vector file from its reference (deterministic), with the generators the catalog names."""
    _install(session)
    session.run("python", "-m", "vectors.generators")


@nox.session
def notebooks(session: nox.Session) -> None:
    """Execute every notebook and render it to HTML beside itself."""
    _install(session, "dev")
    with _leaves_the_tree_clean(session):
        for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
            session.run(
                "jupyter",
                "nbconvert",
                "--to",
                "html",
                "--execute",
                str(notebook),
                "--output-dir",
                str(ROOT / "notebooks"),
            )


@nox.session
def bench(session: nox.Session) -> None:
    """Python against the reference, timed in the same run: decrypt_string against the JVM, then campaigns (a million
    khoros.skep.decrypt cases, every flow against its reference). Prints figures (never asserted);
    ``--write-figures`` also writes them into the README."""
    _install(session)
    write, args = _figures_flag(session.posargs)
    report = Path(tempfile.mkdtemp(prefix="handoff-figures-")) / "bench-report.txt"
    session.run("python", "-m", "conformance.bench", *args, *(["--report", str(report)] if write else []))
    if write:
        command = " ".join(["nox -s bench", *(["--", *args] if args else [])])
        session.run("python", "-m", "conformance.figures", "bench", "--report", str(report), "--command", command)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, "ruff>=0.6", "nbstripout>=0.7")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    notebooks = [str(p) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    if notebooks:
        session.run("nbstripout", "--verify", *notebooks)
