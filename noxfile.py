"""Every task's one entry point: ``nox -s tests | conformance | vectors | notebooks | bench | lint``."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
ROOT = Path(__file__).resolve().parent
PYTEST = ["pytest", "-p", "no:faulthandler"]
#: Every distribution the project needs, pinned (tools/pin_constraints.py writes it; tests/test_packaging.py checks
#: that it pins each requirement of pyproject.toml).
CONSTRAINTS = ["-c", str(ROOT / "constraints.txt")]


def _install(session: nox.Session, extras: str = "test") -> None:
    session.install(*CONSTRAINTS, "-e", f".[{extras}]")
    for node_dir in (ROOT / "node_ref", ROOT / "node_sdk_ref"):
        if (node_dir / "package.json").exists() and shutil.which("npm"):
            session.run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(node_dir), external=True, silent=True)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite: vectors, differential properties, notebooks, on one pytest-xdist worker per core (each worker
    is a process with its own JVM and reference processes; first-use builds take a lock). Extra args go to pytest
    (``-n 0`` runs it in one process)."""
    _install(session)
    workers = [] if any(arg.startswith(("-n", "--numprocesses")) for arg in session.posargs) else ["-n", "auto"]
    session.run(*PYTEST, *workers, *session.posargs)


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
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        session.run(
            "jupyter", "nbconvert", "--to", "html", "--execute", str(notebook), "--output-dir", str(ROOT / "notebooks")
        )


@nox.session
def bench(session: nox.Session) -> None:
    """Python against the reference, timed in the same run: decrypt_string against the JVM, then campaigns (a million
    khoros.skep.decrypt cases, every flow against its reference). Prints figures (never asserted)."""
    _install(session)
    session.run("python", "-m", "conformance.bench", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, "ruff>=0.6", "nbstripout>=0.7")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    notebooks = [str(p) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    if notebooks:
        session.run("nbstripout", "--verify", *notebooks)
