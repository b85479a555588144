"""An op *kind*: one shape of operation (an HMAC-hex producer, an HS256 JWT verifier, ...) written once.

As Wycheproof has test types, the catalog has kinds. A kind carries everything an op of its shape needs beyond its
name: its role and result kind, its argument schema, its Python port, how a consumer's answer decides, and the
optional parts (campaign generator and reducer, documented allowances, adapter probes, inspect's mistakes). A flow
that reuses a kind declares only names and parameters (:func:`conformance.kinds.kind_op`); everything else is
derived from the kind.

Kinds register themselves with :func:`register` (Hypothesis style): the registration validates the class (a name,
a role, a result kind, parameter docs) and refuses a name registered twice.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from conformance.outcome import OpFunction, Outcome

Params = Mapping[str, Any]
Args = Mapping[str, Any]
#: A campaign generator: one case's schema-valid arguments from the case's ``random.Random``.
Generator = Callable[[random.Random], dict[str, Any]]
#: A campaign reducer: smaller candidate arguments for a diverging case.
Reducer = Callable[[Args], Iterator[dict[str, Any]]]
#: A documented campaign allowance: whether (args, reference answer, actual answer) is the documented deviation.
Allowance = Callable[[Args, Outcome, Outcome], bool]

_ROLES = ("produces", "consumes", "transforms")
_RESULTS = ("text", "hex", "json", "boolean")


@dataclass(frozen=True)
class ProbeSet:
    """Adapter probes of one consumer op: a genuine input it must accept and attacks it must refuse.

    ``attacks`` maps a probe name to the op's arguments; ``meta`` maps it to (title, severity, CWE, why the severity,
    mitigation). A probe is *proved* when the implementation accepts the genuine input and the attack alike.
    """

    genuine: dict[str, Any]
    attacks: dict[str, dict[str, Any]]
    meta: dict[str, tuple[str, str, str, str, str]]


@dataclass(frozen=True)
class Mistake:
    """A known integrator mistake that ``conformance inspect`` can try on an op's artifact.

    ``flag`` is the vector flag that names it (its note and bugType come from the flow's vector file). ``attempt``
    takes the op's arguments and returns the arguments of the call that, when the references accept it (or its
    answer equals the given artifact), confirms the mistake; ``None`` when it does not apply. ``fix`` says what to
    do, in one sentence.
    """

    flag: str
    attempt: Callable[[Args], dict[str, Any] | None]
    fix: str
    confirm: str = "accepted"  # "accepted": the references accept the attempt's arguments
    extra: Mapping[str, Any] = field(default_factory=dict)


class Kind(ABC):
    """The base of every op kind. Subclasses set the class attributes and implement :meth:`schema` and
    :meth:`python`; the optional parts return ``None`` (or an empty tuple) where the kind has none."""

    name: ClassVar[str]
    role: ClassVar[str]
    result: ClassVar[str]
    #: parameter name -> what it means (every parameter the kind takes, required or not).
    parameters: ClassVar[Mapping[str, str]] = MappingProxyType({})
    #: the values of optional parameters.
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})

    # --- parameters ------------------------------------------------------------------------------------------------

    def resolve(self, params: Params) -> dict[str, Any]:
        """``params`` with the defaults filled in. Raises ``ValueError`` (at import: a catalog mistake) for an
        unknown or missing parameter, or a value :meth:`check_params` refuses."""
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            raise ValueError(f"kind {self.name}: unknown parameter(s) {', '.join(unknown)}")
        resolved = {**self.defaults, **params}
        missing = sorted(set(self.parameters) - set(resolved))
        if missing:
            raise ValueError(f"kind {self.name}: missing parameter(s) {', '.join(missing)}")
        self.check_params(resolved)
        return resolved

    def check_params(self, params: Params) -> None:  # noqa: B027 (optional hook)
        """Refuse parameter values the kind cannot honour (``ValueError``); the default accepts all."""

    # --- the parts every kind has ----------------------------------------------------------------------------------

    @abstractmethod
    def schema(self, params: Params) -> dict[str, Any]:
        """The JSON Schema of the op's arguments (the subset :mod:`conformance.catalog.arguments` compiles)."""

    def output_schema(self, params: Params) -> dict[str, Any]:
        """The JSON Schema of the op's value in a vector file (by default from the result kind)."""
        return {
            "text": {"type": "string"},
            "hex": {"$ref": "common.schema.json#/$defs/hex"},
            "boolean": {"type": "boolean"},
            "json": {},
        }[self.result]

    @abstractmethod
    def python(self, params: Params) -> OpFunction:
        """The Python port of the op: a function of its JSON arguments that returns a JSON value or raises a
        :class:`~conformance.errors.ConformanceError`."""

    def decisions(self, params: Params, value: Any) -> tuple[bool, ...]:
        """A consumer's accept/refuse decision per item it judged, from its returned value (a value accepts)."""
        return (True,)

    # --- optional parts --------------------------------------------------------------------------------------------

    def generator(self, params: Params) -> Generator | None:
        return None

    def reducer(self, params: Params) -> Reducer | None:
        return None

    def allowances(self, params: Params) -> tuple[tuple[str, Allowance], ...]:
        return ()

    def probes(self, params: Params) -> ProbeSet | None:
        return None

    def mistakes(self, params: Params) -> tuple[Mistake, ...]:
        return ()


_KINDS: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    """Register a kind class (a decorator). Raises ``ValueError`` for a class without a name, role or result kind
    of the vocabulary, an undocumented default, or a name registered twice."""
    name = getattr(cls, "name", "")
    if not isinstance(name, str) or "." not in name:
        raise ValueError(f"{cls.__name__}: a kind's name is 'family.action'")
    if name in _KINDS:
        raise ValueError(f"kind {name} is registered twice")
    if getattr(cls, "role", None) not in _ROLES:
        raise ValueError(f"kind {name}: role must be one of {', '.join(_ROLES)}")
    if getattr(cls, "result", None) not in _RESULTS:
        raise ValueError(f"kind {name}: result must be one of {', '.join(_RESULTS)}")
    undocumented = sorted(set(cls.defaults) - set(cls.parameters))
    if undocumented:
        raise ValueError(f"kind {name}: defaults for undocumented parameter(s) {', '.join(undocumented)}")
    _KINDS[name] = cls()
    return cls


def registered() -> Mapping[str, Kind]:
    """Every registered kind, by name (read-only)."""
    return MappingProxyType(_KINDS)


__all__ = [
    "Allowance",
    "Args",
    "Generator",
    "Kind",
    "Mistake",
    "Params",
    "ProbeSet",
    "Reducer",
    "register",
    "registered",
]
