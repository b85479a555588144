"""Shared fixtures: live references (unavailable is a skip on a developer machine, a failure in CI) and profiles."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from conformance import registry
from conformance.outcome import Outcome

STRICT = os.environ.get("CI", "").lower() in {"1", "true", "yes"} or os.environ.get("HANDOFF_STRICT") == "1"

settings.register_profile(
    "default",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("quick", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HANDOFF_HYPOTHESIS_PROFILE", "default"))


def require_reference(name: str, probe: Callable[[], str | None]) -> None:
    """Skip as *unavailable* when the reference is missing; in CI (``CI=true``) fail instead."""
    problem = probe()
    if problem is None:
        return
    message = f"reference {name} unavailable: {problem}"
    if STRICT:
        pytest.fail(message + " (CI=true: a missing reference is a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def java_reference() -> None:
    require("java")


def answer(implementation: str, op: str, args: object) -> Outcome:
    """One call through the implementation contract (the registry's instance): what ``implementation`` answers."""
    return registry.shared(implementation).call_many([(op, args)])[0]  # type: ignore[list-item]


def answers(implementation: str, calls: Sequence[tuple[str, object]]) -> list[Outcome]:
    """A batch of calls through the implementation contract, in one round trip where the runtime allows."""
    return registry.shared(implementation).call_many(list(calls))  # type: ignore[arg-type]


def require(implementation: str) -> None:
    """:func:`require_reference` for a registry implementation."""
    require_reference(implementation, registry.shared(implementation).unavailable)


def build_wheel(directory: Path) -> Path:
    """Build the project's wheel into ``directory`` (no dependencies) and return its path."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(directory), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = Path(directory).glob("handoff_conformance-*.whl")
    return wheel
