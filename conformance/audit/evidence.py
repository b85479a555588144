"""What every proof module shares: a finding's fixed description, reference availability and exact versions.

A proof module declares one :class:`Details` per finding (title, severity and why, CWE, attacker model,
preconditions, mitigation) and builds its :class:`~conformance.audit.model.Finding` with :meth:`Details.finding`
from what it measured. :meth:`Details.fallback` is what :func:`~conformance.audit.model.run_proof` takes to describe
a proof that raised.
"""

from __future__ import annotations

import importlib.metadata
import math
import platform
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from conformance.arguments import require_instance, require_mapping, require_number, require_str, require_strings
from conformance.audit.model import STATUSES, Finding, Severity, Status
from conformance.errors import ConformanceError, InvalidArgument
from conformance.outcome import Outcome
from conformance.spec import built

#: The name under which the project's own Python code appears in a finding's ``references``.
PORT = "python"
#: The most implementation names one call of :func:`missing` or :func:`reference_versions` takes (the registry's
#: built-ins are a few dozen).
MAX_NAMES = 256
#: The most calls one :func:`call_many` batch takes (a proof sends a few hundred at most).
MAX_CALLS = 100_000


def _names(names: Any) -> tuple[str, ...]:
    return require_strings(names, "names", limit=MAX_NAMES)


def _texts(value: Any, name: str) -> list[str]:
    return list(require_strings(value, name, limit=MAX_CALLS))


def _mapping(value: Any, name: str) -> dict[str, Any]:
    """A finding's ``figures``/``artifacts``/``references``: ``None`` (empty) or a mapping with ``str`` keys."""
    if value is None:
        return {}
    found = dict(require_mapping(value, name))
    if not all(isinstance(key, str) for key in found):
        raise InvalidArgument(f"{name} must have str keys")
    return found


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
        """A :class:`Finding` with this description and what the run observed. Raises :class:`InvalidArgument` for a
        ``status`` that is not one of :data:`~conformance.audit.model.STATUSES`, a ``why`` that is not text, ``ran``
        that is not text lines, or ``references``, ``figures``, ``artifacts`` that are not mappings with str keys."""
        if require_str(status, "status") not in STATUSES:
            raise InvalidArgument(f"status must be one of {', '.join(STATUSES)}")
        require_str(why, "why")
        ran = _texts(ran, "ran")
        versions = _mapping(references, "references")
        for versions_of in versions.values():
            require_mapping(versions_of, "a value of references")
        figures, artifacts = _mapping(figures, "figures"), _mapping(artifacts, "artifacts")
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
            ran=ran,
            references={name: dict(v) for name, v in versions.items()},
            figures=figures,
            artifacts=artifacts,
            mitigation=self.mitigation,
        )

    def unavailable(self, names: Iterable[str]) -> Finding | None:
        """A ``not_reproduced`` finding naming the first missing reference of ``names``, else ``None``."""
        problem = missing(names)
        if problem is None:
            return None
        return self.finding("not_reproduced", f"not run: {problem}")


def missing(names: Iterable[str]) -> str | None:
    """Why one of the built-in implementations ``names`` (registry names) cannot run here, or ``None``.
    Raises :class:`InvalidArgument` unless ``names`` is an iterable of at most :data:`MAX_NAMES` str."""
    for name in _names(names):
        try:
            problem = built(name).unavailable()
        except ConformanceError as exc:
            return f"{name!r}: {exc}"
        if problem:
            return f"the reference {name!r} is unavailable: {problem}"
    return None


def reference_versions(names: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{name: {component: exact version}}`` for each built-in implementation in ``names``. Raises
    :class:`InvalidArgument` as :func:`missing` does, :class:`UsageError` for a name the registry does not know."""
    found: dict[str, dict[str, str]] = {}
    for name in _names(names):
        found[name] = _port_versions() if name == PORT else built(name).versions()
    return found


def call(name: str, op: str, args: Mapping[str, Any]) -> Outcome:
    """One call to the built-in implementation ``name`` (the port or a live reference), as an :class:`Outcome`.
    Raises :class:`UsageError` for an unknown ``name``, :class:`InvalidArgument` for an ``op`` that is not text or
    ``args`` that are not a mapping."""
    return built(require_str(name, "name")).call_many([(require_str(op, "op"), require_mapping(args, "args"))])[0]


def call_many(name: str, calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
    """A batch of calls to the built-in implementation ``name``, one :class:`Outcome` each, in order. Raises
    :class:`UsageError` for an unknown ``name``, :class:`InvalidArgument` for ``calls`` that are not an iterable of
    at most :data:`MAX_CALLS` ``(op, args)`` pairs."""
    implementation = built(require_str(name, "name"))
    if calls is None or isinstance(calls, (str, bytes, bytearray, Mapping)) or not isinstance(calls, Iterable):
        require_instance(calls, "calls", list)  # None or the wrong type: refused, named
    batch = []
    for call_ in calls:
        if len(batch) == MAX_CALLS:
            raise InvalidArgument(f"calls holds more than {MAX_CALLS} items")
        batch.append(call_)
    return implementation.call_many(batch)


def accepted(outcome: Outcome) -> bool:
    """Whether the implementation answered with a value (it accepted the input). Raises :class:`InvalidArgument`
    for what is not an :class:`Outcome`."""
    return require_instance(outcome, "outcome", Outcome).status == "value"


def answer(outcome: Outcome) -> str:
    """``"accepted"``, the error's reason path, or the status (unsupported, unavailable, io). Raises
    :class:`InvalidArgument` for what is not an :class:`Outcome`."""
    return "accepted" if accepted(outcome) else (outcome.reason or outcome.status)


def answers(outcomes: Mapping[str, Outcome]) -> dict[str, str]:
    """``{name: answer(outcome)}`` for a mapping of names to outcomes (for display). Raises :class:`InvalidArgument`
    for what is not a mapping of at most :data:`MAX_NAMES` str names to :class:`Outcome` values."""
    outcomes = require_mapping(outcomes, "outcomes")
    if len(outcomes) > MAX_NAMES:
        raise InvalidArgument(f"outcomes holds more than {MAX_NAMES} items")
    return {
        require_str(name, "a name of outcomes"): answer(require_instance(outcome, "an outcome of outcomes", Outcome))
        for name, outcome in outcomes.items()
    }


def _port_versions() -> dict[str, str]:
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
    """``count / seconds`` rounded to three significant figures (0 for no time). Raises :class:`InvalidArgument`
    for what is not a finite number, or a rate past a float's range."""
    count, seconds = require_number(count, "count"), require_number(seconds, "seconds")
    if seconds <= 0:
        return 0.0
    try:
        value = count / seconds
    except OverflowError:
        raise InvalidArgument("count / seconds is past a float's range") from None
    if not math.isfinite(value):
        raise InvalidArgument("count / seconds is past a float's range")
    return float(f"{value:.3g}")


__all__ = [
    "PORT",
    "Details",
    "Stopwatch",
    "accepted",
    "answer",
    "answers",
    "call",
    "call_many",
    "missing",
    "rate",
    "reference_versions",
]
