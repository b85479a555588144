"""Shared fixtures: live references (unavailable is a skip on a developer machine, a failure in CI) and profiles."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

STRICT = os.environ.get("CI", "").lower() in {"1", "true", "yes"} or os.environ.get("HANDOFF_STRICT") == "1"

settings.register_profile(
    "default",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=200_000,
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
    from conformance.references import java

    require_reference("java", java.available)
