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

import inspect
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from conformance.arguments import require_mapping
from conformance.errors import InvalidArgument
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


class KindError(InvalidArgument, ValueError):
    """A kind, a kind's parameters or a registration that cannot be honoured: a catalog mistake, found at import
    (a ``ValueError`` too, as the catalog's other mistakes are)."""


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
        """``params`` with the defaults filled in. Raises :class:`KindError` (at import: a catalog mistake) for an
        unknown or missing parameter, or a value :meth:`check_params` refuses; ``InvalidArgument`` for params that
        are not a mapping."""
        params = require_mapping(params, "params")
        unknown = len(set(params) - set(self.parameters))
        if unknown:  # the unknown names are not quoted: a careless caller's mapping may hold anything
            raise KindError(
                f"kind {self.name}: {unknown} unknown parameter(s); its parameters: {', '.join(self.parameters)}"
            )
        resolved = {**self.defaults, **params}
        missing = sorted(set(self.parameters) - set(resolved))
        if missing:
            raise KindError(f"kind {self.name}: missing parameter(s) {', '.join(missing)}")
        self.check_params(resolved)
        return resolved

    def require_params(self, params: Any) -> Params:
        """``params`` when it is a mapping that holds every parameter of the kind (resolved params, as
        :class:`~conformance.kinds.Part` holds them). Raises ``NullArgument``, ``InvalidArgument`` for another
        type, :class:`KindError` for a missing parameter."""
        params = require_mapping(params, "params")
        missing = [name for name in self.parameters if name not in params]
        if missing:
            raise KindError(f"params lacks {', '.join(sorted(missing))}, a parameter of kind {self.name}")
        return params

    def check_params(self, params: Params) -> None:
        """Refuse parameter values the kind cannot honour (:class:`KindError`); the default checks only that
        ``params`` holds every parameter (:meth:`require_params`)."""
        self.require_params(params)

    def checked(self, params: Any) -> Params:
        """``params`` when :meth:`check_params` accepts them: what a public function of a kind module taking
        ``params`` checks first. Raises what :meth:`require_params` and :meth:`check_params` raise."""
        self.check_params(params)
        return params  # type: ignore[no-any-return]

    # --- the parts every kind has ----------------------------------------------------------------------------------

    @abstractmethod
    def schema(self, params: Params) -> dict[str, Any]:
        """The JSON Schema of the op's arguments (the subset :mod:`conformance.catalog.arguments` compiles)."""

    def output_schema(self, params: Params) -> dict[str, Any]:
        """The JSON Schema of the op's value in a vector file (by default from the result kind)."""
        self.require_params(params)
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
        self.require_params(params)
        return (True,)

    # --- optional parts (each checks ``params`` as every part does) ------------------------------------------------

    def generator(self, params: Params) -> Generator | None:
        self.require_params(params)
        return None

    def reducer(self, params: Params) -> Reducer | None:
        self.require_params(params)
        return None

    def allowances(self, params: Params) -> tuple[tuple[str, Allowance], ...]:
        self.require_params(params)
        return ()

    def probes(self, params: Params) -> ProbeSet | None:
        self.require_params(params)
        return None

    def mistakes(self, params: Params) -> tuple[Mistake, ...]:
        self.require_params(params)
        return ()


_KINDS: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    """Register a kind class (a decorator). Raises :class:`KindError` (a ``ValueError``) for what is not a concrete
    :class:`Kind` subclass, a class without a name, role or result kind of the vocabulary, an undocumented default,
    or a name registered twice."""
    if not (isinstance(cls, type) and issubclass(cls, Kind)) or inspect.isabstract(cls):
        raise KindError("register takes a concrete subclass of Kind")
    name = getattr(cls, "name", "")
    if not isinstance(name, str) or "." not in name:
        raise KindError(f"{cls.__name__}: a kind's name is 'family.action'")
    if name in _KINDS:
        raise KindError(f"kind {name} is registered twice")
    if getattr(cls, "role", None) not in _ROLES:
        raise KindError(f"kind {name}: role must be one of {', '.join(_ROLES)}")
    if getattr(cls, "result", None) not in _RESULTS:
        raise KindError(f"kind {name}: result must be one of {', '.join(_RESULTS)}")
    if not isinstance(cls.parameters, Mapping) or not isinstance(cls.defaults, Mapping):
        raise KindError(f"kind {name}: parameters and defaults are mappings")
    undocumented = sorted(set(cls.defaults) - set(cls.parameters))
    if undocumented:
        raise KindError(f"kind {name}: defaults for undocumented parameter(s) {', '.join(undocumented)}")
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
    "KindError",
    "Mistake",
    "Params",
    "ProbeSet",
    "Reducer",
    "register",
    "registered",
]
