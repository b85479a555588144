"""Every implementation behind one interface: the built-in Python one, each reference runtime, external adapters.

Each answers a batch of ``(op, args)`` calls with :class:`~conformance.outcome.Outcome`\\ s: a value, a typed error,
*unsupported* (it lacks the op), *unavailable* (its runtime is missing) or *io* (it crashed or timed out).
"""

from __future__ import annotations

import importlib.metadata
import platform
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from conformance.errors import ConformanceError, UsageError
from conformance.outcome import OpFunction, Outcome, run_op
from conformance.references.jsonlines import JsonLinesProcess
from conformance.registry import python_ops, references

Call = tuple[str, Mapping[str, Any]]


@dataclass
class OpTableImplementation:
    """An implementation made of op functions in this process (Python, or a bridge to a reference)."""

    name: str
    kind: str
    table: Mapping[str, OpFunction]
    modules: tuple[ModuleType, ...] = ()
    _problem: str | None = field(default=None, init=False)
    _probed: bool = field(default=False, init=False)

    def unavailable(self) -> str | None:
        if not self._probed:
            self._probed = True
            for module in self.modules:
                probe = getattr(module, "available", None)
                self._problem = probe() if probe else None
                if self._problem:
                    break
        return self._problem

    def ops(self) -> set[str]:
        return set(self.table)

    def versions(self) -> dict[str, str]:
        if self.kind == "python":
            return {"python": platform.python_version(), "handoff-conformance": _package_version()}
        found: dict[str, str] = {}
        if self.unavailable() is None:
            for module in self.modules:
                read = getattr(module, "versions", None)
                if callable(read):
                    try:
                        found.update({k: str(v) for k, v in read().items()})
                    except ConformanceError as exc:
                        found["error"] = str(exc)
        return found

    def call_many(self, calls: Sequence[Call]) -> list[Outcome]:
        problem = self.unavailable()
        if problem is not None:
            return [
                Outcome("unavailable", message=problem) if op in self.table else Outcome("unsupported")
                for op, _ in calls
            ]
        return [run_op(self.table, op, args) for op, args in calls]


@dataclass
class AdapterImplementation:
    """A user's implementation in any language, run as a subprocess speaking the JSON-lines protocol."""

    name: str
    command: str
    timeout: float = 30.0
    kind: str = "adapter"
    process: JsonLinesProcess = field(init=False)
    _problem: str | None = field(default=None, init=False)
    _probed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.process = JsonLinesProcess(shlex.split(self.command), timeout=self.timeout, name=self.name)

    def unavailable(self) -> str | None:
        if not self._probed:
            self._probed = True
            try:
                self.process.start()
            except ConformanceError as exc:
                self._problem = str(exc)
        return self._problem

    def ops(self) -> set[str]:
        return set() if self.unavailable() else set(self.process.hello.get("ops", []))

    def versions(self) -> dict[str, str]:
        if self.unavailable():
            return {}
        return {str(k): str(v) for k, v in (self.process.hello.get("versions") or {}).items()}

    def call_many(self, calls: Sequence[Call]) -> list[Outcome]:
        problem = self.unavailable()
        if problem is not None:
            return [Outcome("unavailable", message=problem) for _ in calls]
        supported = self.ops()
        wanted = [(i, call) for i, call in enumerate(calls) if call[0] in supported]
        answers: list[Outcome] = [Outcome("unsupported") for _ in calls]
        for start in range(0, len(wanted), 200):
            chunk = wanted[start : start + 200]
            for (i, _), outcome in zip(chunk, self.process.call_many([c for _, c in chunk]), strict=True):
                answers[i] = outcome
        return answers

    def close(self) -> None:
        self.process.close()


Implementation = OpTableImplementation | AdapterImplementation


def _package_version() -> str:
    try:
        return importlib.metadata.version("handoff-conformance")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def known_names() -> list[str]:
    return ["python", *references()]


def build(selection: str, adapters: Sequence[str] = (), timeout: float = 30.0) -> list[Implementation]:
    """Implementations for ``--impl`` (comma list or ``all``) and ``--adapter NAME=COMMAND`` options."""
    names = known_names() if selection.strip() == "all" else [n.strip() for n in selection.split(",") if n.strip()]
    unknown = [n for n in names if n not in known_names()]
    if unknown:
        raise UsageError(f"unknown implementation(s) {', '.join(unknown)}; known: {', '.join(known_names())}")
    chosen: list[Implementation] = []
    specs = references()
    for name in names:
        if name == "python":
            chosen.append(OpTableImplementation("python", "python", python_ops()))
        else:
            spec = specs[name]
            chosen.append(OpTableImplementation(name, "reference", spec.ops(), spec.modules))
    for spec_text in adapters:
        name, sep, command = spec_text.partition("=")
        if not sep or not name.strip() or not command.strip():
            raise UsageError(f"--adapter takes NAME=COMMAND, got {spec_text!r}")
        if name.strip() in {i.name for i in chosen}:
            raise UsageError(f"implementation name {name.strip()!r} is used twice")
        chosen.append(AdapterImplementation(name.strip(), command.strip(), timeout=timeout))
    return chosen
