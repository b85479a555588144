"""An installed package works outside the checkout: the built wheel, installed into a fresh venv, lists its
implementations and runs the Khoros Secure Transfer vectors against Python and the vendor's Java, which it builds on
first use in a temporary user cache (``XDG_CACHE_HOME``) with one progress line and no Maven output.

It takes a few minutes (pip installs the dependencies, Maven builds the Java references): nothing here is skipped in
CI (``CI=true`` turns a missing JDK or Maven into a failure).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from tests.conftest import build_wheel, require_reference

ROOT = Path(__file__).resolve().parents[1]
#: What raw Maven or npm output looks like; none of it may reach the user.
NOISE = re.compile(r"\[(INFO|ERROR|WARNING)\]|\x1b\[|BUILD (SUCCESS|FAILURE)|Download(ing|ed)|npm (WARN|ERR|warn)")
PROGRESS = re.compile(r"^conformance: building .+ in .+ \(first use, .+\)$")


def _tools() -> str | None:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"{', '.join(missing)} not on PATH" if missing else None


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel built from this checkout, installed into a new venv; a working folder and a cache beside it."""
    require_reference("java and maven", _tools)
    root = tmp_path_factory.mktemp("installed")
    assert ROOT not in root.parents, "the venv must live outside the checkout"
    wheel = build_wheel(root / "wheels")
    environment = root / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    work = root / "work"
    work.mkdir()
    return {"python": python, "conformance": environment / "bin" / "conformance", "work": work, "cache": root / "cache"}


def _run(installed: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, outside the checkout, with nothing pointing back into it."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HANDOFF_") and key not in {"PYTHONPATH", "VIRTUAL_ENV", "XDG_CACHE_HOME"}
    }
    environment["XDG_CACHE_HOME"] = str(installed["cache"])
    return subprocess.run(
        [str(installed["conformance"]), *args],
        cwd=installed["work"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )


def _assert_quiet_build(result: subprocess.CompletedProcess[str]) -> None:
    for line in result.stderr.splitlines():
        assert PROGRESS.match(line), f"stderr holds more than progress lines: {line!r}"
    for line in result.stdout.splitlines():
        assert not NOISE.search(line), f"build output reached the user: {line!r}"


def test_the_installed_package_is_not_the_checkout(installed: dict[str, Path]) -> None:
    where = subprocess.run(
        [str(installed["python"]), "-c", "import conformance; print(conformance.__file__)"],
        cwd=installed["work"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    ).stdout.strip()
    assert Path(where).is_relative_to(installed["python"].parents[1]), where


def test_list_builds_the_references_on_first_use(installed: dict[str, Path]) -> None:
    result = _run(installed, "list")
    assert result.returncode == 0, result.stderr
    rows = {
        line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ") and len(line.split()) > 2
    }
    assert re.search(r"\bjvm\s+available$", rows["java"]), rows["java"]
    assert "unavailable" not in rows["python"]
    _assert_quiet_build(result)
    assert any("the Java reference" in line for line in result.stderr.splitlines()), result.stderr
    cache = installed["cache"] / "handoff-conformance"
    (version,) = [p.name for p in cache.iterdir() if p.name != "locks"]
    assert (cache / version / "java_ref" / "target" / "handoff-java-ref.jar").is_file()


def test_run_against_the_vendors_java(installed: dict[str, Path]) -> None:
    result = _run(installed, "run", "--impl", "python,java", "--flow", "khoros_secure_transfer", "--quiet")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "GATE PASS" in result.stdout
    # the table shows only the verdicts that occur: java has no deviation, and passes every case it answered
    assert re.search(r"^java\s+0\s+(\d+)\s+\1/\1\s*$", result.stdout, re.MULTILINE), result.stdout
    _assert_quiet_build(result)
    assert "building" not in result.stderr, "the second use must not build again"
