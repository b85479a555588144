"""Which op tables exist: the built-in Python implementation and each reference runtime, found by discovery.

* a module in ``conformance.vendors`` with an ``OPS`` table is part of the built-in Python implementation;
* a module in ``conformance.references`` with ``OPS`` and ``IMPLEMENTATION = "name"`` contributes to the reference
  implementation of that name, and ``available()`` in the same module says why it cannot run (or ``None``).

A new vendor flow adds modules; nothing in the runner, tests or notebooks changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import conformance.references
import conformance.vendors
from conformance.outcome import OpFunction


def _modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]


@dataclass(frozen=True)
class ReferenceSpec:
    """A reference runtime: its op table, and a probe that says why it cannot run here (``None`` when it can)."""

    name: str
    modules: tuple[ModuleType, ...]

    def available(self) -> str | None:
        for module in self.modules:
            probe: Callable[[], str | None] | None = getattr(module, "available", None)
            problem = probe() if probe else None
            if problem:
                return problem
        return None

    def ops(self) -> dict[str, OpFunction]:
        table: dict[str, OpFunction] = {}
        for module in self.modules:
            table.update(module.OPS)
        return table


@cache
def python_ops() -> dict[str, OpFunction]:
    table: dict[str, OpFunction] = {}
    for module in _modules(conformance.vendors):
        table.update(getattr(module, "OPS", {}))
    return table


@cache
def references() -> dict[str, ReferenceSpec]:
    grouped: dict[str, list[ModuleType]] = {}
    for module in _modules(conformance.references):
        name = getattr(module, "IMPLEMENTATION", None)
        if name and hasattr(module, "OPS"):
            grouped.setdefault(name, []).append(module)
    return {name: ReferenceSpec(name, tuple(mods)) for name, mods in sorted(grouped.items())}
