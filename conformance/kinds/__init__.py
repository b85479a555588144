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

from conformance.arguments import require_instance, require_str
from conformance.kinds.base import (
    Allowance,
    Generator,
    Kind,
    KindError,
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
    """The registered kind ``name``. Raises :class:`KindError` (a ``ValueError``: a catalog mistake) naming the
    registered kinds, ``InvalidArgument`` for a name that is not a ``str``."""
    kinds = _loaded()
    if require_str(name, "name") not in kinds:
        raise KindError(f"unknown op kind; kinds: {', '.join(sorted(kinds)) or '(none)'}")
    return kinds[name]


@dataclass(frozen=True)
class Part:
    """An op of a kind: the kind and the op's resolved parameters."""

    op: str
    kind: Kind
    params: Params

    def _kind(self) -> Kind:
        """The part's kind; each part of the kind checks the params. Raises ``InvalidArgument`` for a part made
        with something else than a :class:`Kind` (the catalog makes parts; a careless caller may not)."""
        return require_instance(self.kind, "kind", Kind)  # type: ignore[no-any-return]

    def python(self) -> OpFunction:
        return self._kind().python(self.params)

    def schema(self) -> dict[str, Any]:
        return self._kind().schema(self.params)

    def generator(self) -> Generator | None:
        return self._kind().generator(self.params)

    def reducer(self) -> Reducer | None:
        return self._kind().reducer(self.params)

    def allowances(self) -> tuple[tuple[str, Allowance], ...]:
        return self._kind().allowances(self.params)

    def probes(self) -> ProbeSet | None:
        return self._kind().probes(self.params)

    def mistakes(self) -> tuple[Mistake, ...]:
        return self._kind().mistakes(self.params)

    def wire(self) -> dict[str, Any]:
        """What a JSON-lines request carries beside ``op`` and ``args``: ``kind`` and ``params``."""
        kind = self._kind()
        return {"kind": kind.name, "params": dict(kind.require_params(self.params))}


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
