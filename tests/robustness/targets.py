"""The public callables under test, found by introspection so the list cannot go stale.

Modules: every module of the public packages (:data:`PACKAGES`: the vendors, the op kinds, the primitives, OpenPGP,
the reports, the catalog), walked with :mod:`pkgutil` so a new vendor's or kind's module joins by landing, and the single public modules
(:data:`MODULES`). A module whose own name starts with ``_`` is internal and left out. A module's public names are its
``__all__``, else the names it defines without a leading underscore. Of those: functions, classes (their
constructor), and each class's public methods (static, class and instance methods; properties as zero-argument
calls). Exception classes, constants, ``typing.Protocol`` classes and abstract classes' constructors are left out; an object exported by several
modules is tested once, under the module that defines it. The op functions are the ``python`` implementation's op
table (:func:`conformance.registry.python_ops`: every flow module's ``OPS`` and every kind op's port), a separate
kind of target (:func:`op_targets`).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, is_dataclass
from types import ModuleType
from typing import Any

#: Packages whose every module is public surface.
PACKAGES = (
    "conformance.vendors",
    "conformance.kinds",
    "conformance.primitives",
    "conformance.openpgp",
    "conformance.report",
    "conformance.catalog",
    "conformance.audit",
    "conformance.fuzz",
)
#: Single public modules.
MODULES = (
    "conformance.codecs",
    "conformance.jsjson",
    "conformance.vectors",
    "conformance.selection",
    "conformance.pytest_plugin",
    "conformance.judge",
    "conformance.outcome",
    "conformance.contract",
    "conformance.registry",
)


def module_names() -> list[str]:
    """The public modules' names: each package's own and every module under it, then :data:`MODULES`."""
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names += sorted(m.name for m in pkgutil.walk_packages(package.__path__, package_name + ".")
                        if not m.name.rsplit(".", 1)[-1].startswith("_"))  # fmt: skip
    return [*names, *MODULES]


def modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in module_names()]


@dataclass(frozen=True)
class Target:
    """One public callable. ``owner`` is the class of a method (``None`` for functions and constructors);
    ``kind`` is ``function``, ``constructor``, ``method``, ``static`` (static and class methods) or ``property``."""

    qualname: str
    function: Callable[..., Any]
    kind: str
    owner: type | None = None
    attribute: str = ""
    parameters: tuple[inspect.Parameter, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


def _public_names(module: ModuleType) -> list[str]:
    exported = getattr(module, "__all__", None)
    if exported is not None:
        return list(exported)
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
    ]


def _is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False))


def _parameters(function: Callable[..., Any], skip_first: bool = False) -> tuple[inspect.Parameter, ...]:
    listed = list(inspect.signature(function).parameters.values())
    if skip_first:
        listed = listed[1:]
    return tuple(p for p in listed if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


def _class_targets(cls: type, qualname: str) -> Iterator[Target]:
    if not inspect.isabstract(cls):  # an abstract base is never made; its methods are called on a subclass
        yield Target(qualname, cls, "constructor", parameters=_parameters(cls))
    fields = getattr(cls, "__dataclass_fields__", {})
    for attribute, raw in vars(cls).items():
        if attribute.startswith("_") or attribute in fields:  # a field's default (a factory) is data, not a method
            continue
        member = f"{qualname}.{attribute}"
        if isinstance(raw, property):
            yield Target(member, raw.fget, "property", cls, attribute)  # type: ignore[arg-type]
        elif isinstance(raw, (staticmethod, classmethod)):
            bound = getattr(cls, attribute)
            yield Target(member, bound, "static", cls, attribute, _parameters(bound))
        elif inspect.isfunction(raw):
            yield Target(member, raw, "method", cls, attribute, _parameters(raw, skip_first=True))


def targets() -> list[Target]:
    """Every public function, constructor and method of the modules under test, each object once."""
    found: list[Target] = []
    seen: set[int] = set()
    for module in modules():
        for name in _public_names(module):
            value = getattr(module, name)
            home = getattr(value, "__module__", module.__name__)
            if id(value) in seen or not callable(value) or not home.startswith("conformance"):
                continue
            if isinstance(value, type) and (issubclass(value, BaseException) or _is_protocol(value)):
                continue
            seen.add(id(value))
            qualname = f"{home}.{getattr(value, '__qualname__', name)}"
            if isinstance(value, type):
                found.extend(_class_targets(value, qualname))
            else:
                found.append(Target(qualname, value, "function", parameters=_parameters(value)))
    return found


def is_record(cls: type) -> bool:
    """A plain record: a dataclass whose constructor checks nothing (no ``__post_init__``)."""
    return is_dataclass(cls) and not hasattr(cls, "__post_init__")


@dataclass(frozen=True)
class OpTarget:
    """One op of the ``python`` implementation's op table."""

    module: str
    op: str
    function: Callable[..., Any]

    @property
    def qualname(self) -> str:
        return f"{self.module}.OPS[{self.op!r}]"


def op_targets() -> list[OpTarget]:
    """Every op function of the ``python`` implementation (flow modules' ``OPS`` and kind ops' ports)."""
    from conformance import registry

    return [OpTarget(getattr(function, "__module__", "?") or "?", op, function)
            for op, function in sorted(registry.python_ops().items())]  # fmt: skip
