"""Which op tables exist: the built-in Python implementation and each reference runtime.

A new vendor flow adds its module here; nothing else in the runner, tests or notebooks changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from conformance.outcome import OpFunction

#: Modules whose ``OPS`` make up the built-in Python implementation.
PYTHON_MODULES = ("conformance.vendors.khoros",)


@dataclass(frozen=True)
class ReferenceSpec:
    """A reference runtime: the modules holding its ``OPS`` and a probe saying why it cannot run (or ``None``)."""

    name: str
    modules: tuple[str, ...]
    probe: str  # "module:function" returning str | None

    def available(self) -> str | None:
        module, function = self.probe.split(":")
        check: Callable[[], str | None] = getattr(importlib.import_module(module), function)
        return check()

    def ops(self) -> dict[str, OpFunction]:
        return _merge(self.modules)


REFERENCES: dict[str, ReferenceSpec] = {
    "java": ReferenceSpec("java", ("conformance.references.khoros_java",), "conformance.references.java:available"),
}


def _merge(modules: tuple[str, ...]) -> dict[str, OpFunction]:
    table: dict[str, OpFunction] = {}
    for name in modules:
        ops: Mapping[str, OpFunction] = importlib.import_module(name).OPS
        table.update(ops)
    return table


def python_ops() -> dict[str, OpFunction]:
    return _merge(PYTHON_MODULES)
