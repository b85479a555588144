"""What every proof module shares: a finding's fixed description, reference availability and exact versions.

A proof module declares one :class:`Details` per finding (title, severity and why, CWE, attacker model,
preconditions, mitigation) and builds its :class:`~conformance.audit.model.Finding` with :meth:`Details.finding`
from what it measured. :meth:`Details.fallback` is what :func:`~conformance.audit.model.run_proof` takes to describe
a proof that raised.
"""

from __future__ import annotations

import importlib.metadata
import platform
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from conformance.audit.model import Finding, Severity, Status
from conformance.errors import ConformanceError
from conformance.outcome import Outcome
from conformance.spec import built

#: The name under which the project's own Python code appears in a finding's ``references``.
PORT = "python"


@dataclass(frozen=True)
class Details:
    """The part of a finding that does not depend on the run."""

    id: str
    flow: str
    title: str
    severity: Severity
    severity_reasoning: str
    cwe: str
    attacker_model: str
    preconditions: tuple[str, ...]
    mitigation: str

    def fallback(self) -> dict[str, Any]:
        """The description :func:`~conformance.audit.model.run_proof` uses when the proof raises."""
        return {
            "title": self.title,
            "severity": self.severity,
            "severity_reasoning": self.severity_reasoning,
            "cwe": self.cwe,
            "attacker_model": self.attacker_model,
            "preconditions": list(self.preconditions),
        }

    def finding(
        self,
        status: Status,
        why: str,
        *,
        ran: Iterable[str] = (),
        references: Mapping[str, Mapping[str, str]] | None = None,
        figures: Mapping[str, Any] | None = None,
        artifacts: Mapping[str, Any] | None = None,
    ) -> Finding:
        """A :class:`Finding` with this description and what the run observed."""
        return Finding(
            id=self.id,
            flow=self.flow,
            title=self.title,
            severity=self.severity,
            severity_reasoning=self.severity_reasoning,
            cwe=self.cwe,
            attacker_model=self.attacker_model,
            preconditions=list(self.preconditions),
            status=status,
            why=why,
            ran=list(ran),
            references={name: dict(v) for name, v in (references or {}).items()},
            figures=dict(figures or {}),
            artifacts=dict(artifacts or {}),
            mitigation=self.mitigation,
        )

    def unavailable(self, names: Iterable[str]) -> Finding | None:
        """A ``not_reproduced`` finding naming the first missing reference of ``names``, else ``None``."""
        problem = missing(names)
        if problem is None:
            return None
        return self.finding("not_reproduced", f"not run: {problem}")


def missing(names: Iterable[str]) -> str | None:
    """Why one of the built-in implementations ``names`` (registry names) cannot run here, or ``None``."""
    for name in names:
        try:
            problem = built(name).unavailable()
        except ConformanceError as exc:
            return f"{name!r}: {exc}"
        if problem:
            return f"the reference {name!r} is unavailable: {problem}"
    return None


def reference_versions(names: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{name: {component: exact version}}`` for each built-in implementation in ``names``."""
    found: dict[str, dict[str, str]] = {}
    for name in names:
        found[name] = port_versions() if name == PORT else built(name).versions()
    return found


def call(name: str, op: str, args: Mapping[str, Any]) -> Outcome:
    """One call to the built-in implementation ``name`` (the port or a live reference), as an :class:`Outcome`."""
    return built(name).call_many([(op, args)])[0]


def call_many(name: str, calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
    """A batch of calls to the built-in implementation ``name``, one :class:`Outcome` each, in order."""
    return built(name).call_many(list(calls))


def accepted(outcome: Outcome) -> bool:
    """Whether the implementation answered with a value (it accepted the input)."""
    return outcome.status == "value"


def answer(outcome: Outcome) -> str:
    """``"accepted"``, the error's reason path, or the status (unsupported, unavailable, io)."""
    return "accepted" if accepted(outcome) else (outcome.reason or outcome.status)


def port_versions() -> dict[str, str]:
    """The versions behind the project's own Python code: CPython, this package, pyca/cryptography."""
    found = {"python": platform.python_version()}
    for distribution in ("handoff-conformance", "cryptography"):
        try:
            found[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            found[distribution] = "unknown"
    return found


class Stopwatch:
    """``with Stopwatch() as watch: ...`` then ``watch.seconds`` (monotonic, rounded to the microsecond)."""

    def __enter__(self) -> Stopwatch:
        self._began = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = round(time.perf_counter() - self._began, 6)


def rate(count: int, seconds: float) -> float:
    """``count / seconds`` rounded to three significant figures (0 for no time)."""
    if seconds <= 0:
        return 0.0
    value = count / seconds
    return float(f"{value:.3g}")


__all__ = [
    "PORT",
    "Details",
    "Stopwatch",
    "accepted",
    "answer",
    "call",
    "call_many",
    "missing",
    "port_versions",
    "rate",
    "reference_versions",
]
