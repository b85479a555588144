"""Op kinds: the shapes of operation the catalog reuses across vendors (:mod:`conformance.kinds.base`).

>>> from conformance.kinds import registered
>>> sorted(registered())  # doctest: +SKIP
['hmac_hex.sign', 'hmac_hex.verify', ...]

A catalog op of a kind is declared with :func:`conformance.catalog.kind_op`; :func:`conformance.catalog.part` gives
the :class:`Part` the rest of the harness derives from it (the Python port, the campaign generator, the probes, ...).
Kinds know nothing of the catalog: the catalog imports them. Kind modules are listed in :data:`MODULES`
(explicitly, as the registry lists implementations) and register themselves on import.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from conformance.kinds.base import (
    Allowance,
    Generator,
    Kind,
    Mistake,
    Params,
    ProbeSet,
    Reducer,
    register,
    registered,
)
from conformance.outcome import OpFunction

#: The modules that define kinds; each registers its kinds when imported.
MODULES: tuple[str, ...] = ("conformance.kinds.jwt", "conformance.kinds.hmac_hex", "conformance.kinds.jws")


@cache
def _loaded() -> Mapping[str, Kind]:
    for module in MODULES:
        importlib.import_module(module)
    return registered()


def kind(name: str) -> Kind:
    """The registered kind ``name``. Raises ``ValueError`` naming the registered kinds (a catalog mistake)."""
    kinds = _loaded()
    if name not in kinds:
        raise ValueError(f"unknown op kind {name!r}; kinds: {', '.join(sorted(kinds)) or '(none)'}")
    return kinds[name]


@dataclass(frozen=True)
class Part:
    """An op of a kind: the kind and the op's resolved parameters."""

    op: str
    kind: Kind
    params: Params

    def python(self) -> OpFunction:
        return self.kind.python(self.params)

    def schema(self) -> dict[str, Any]:
        return self.kind.schema(self.params)

    def generator(self) -> Generator | None:
        return self.kind.generator(self.params)

    def reducer(self) -> Reducer | None:
        return self.kind.reducer(self.params)

    def allowances(self) -> tuple[tuple[str, Allowance], ...]:
        return self.kind.allowances(self.params)

    def probes(self) -> ProbeSet | None:
        return self.kind.probes(self.params)

    def mistakes(self) -> tuple[Mistake, ...]:
        return self.kind.mistakes(self.params)

    def wire(self) -> dict[str, Any]:
        """What a JSON-lines request carries beside ``op`` and ``args``: ``kind`` and ``params``."""
        return {"kind": self.kind.name, "params": dict(self.params)}


__all__ = [
    "MODULES",
    "Allowance",
    "Generator",
    "Kind",
    "Mistake",
    "Part",
    "ProbeSet",
    "Reducer",
    "kind",
    "register",
    "registered",
]
