"""The records of the flow catalog: a :class:`Flow` with its :class:`Op`\\ s and :class:`RoundTrip`\\ s.

A flow is declared once (:mod:`conformance.catalog.flows`) and everything else reads it: the vector files and
notebooks are named by its id, ``--flow`` takes its id, the implementations are checked against its ops' argument
schemas, the interop matrix runs its round trips, and the judge asks it which outputs its reference consumers accept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from conformance.errors import InvalidArgument
from conformance.kinds import kind as _kind

Args = Mapping[str, Any]
Role = Literal["produces", "consumes", "transforms"]
ResultKind = Literal["text", "hex", "json", "boolean"]


def _one_decision(_value: Any) -> tuple[bool, ...]:
    return (True,)


@dataclass(frozen=True)
class Op:
    """One operation of the op vocabulary.

    ``role``: *produces* (makes something another party consumes: a ciphertext, a token, a key), *consumes* (accepts
    or refuses what a producer made) or *transforms* (a pure function of its input). ``result``: the JSON shape of
    its value. ``decisions`` (consumers only) maps a returned value to one accept/refuse decision per item it judged:
    a value is an acceptance by default, but ``thread.verify_connection_key`` refuses with ``false``,
    ``khoros.payload.decrypt`` with ``null`` and ``boldchat.validator.launch`` decides once per launch.

    ``kind`` names the op's kind (:mod:`conformance.kinds`) and ``params`` its resolved parameters; a hand-written
    op has neither. Declare an op of a kind with :func:`kind_op`, never by hand.
    """

    name: str
    role: Role
    result: ResultKind
    summary: str
    decisions: Callable[[Any], tuple[bool, ...]] = _one_decision
    kind: str = ""
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False, compare=False)

    @property
    def consumes(self) -> bool:
        return self.role == "consumes"


def kind_op(name: str, kind: str, summary: str, **params: Any) -> Op:
    """An :class:`Op` of ``kind`` with ``params``: its role, result kind and decisions come from the kind.

    Raises ``ValueError`` (at import: a catalog mistake) for an unknown kind or a parameter it refuses."""
    chosen = _kind(kind)
    resolved = MappingProxyType(chosen.resolve(params))

    def decisions(value: Any) -> tuple[bool, ...]:
        return chosen.decisions(resolved, value)

    return Op(name, chosen.role, chosen.result, summary, decisions, kind=kind, params=resolved)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RoundTrip:
    """What one implementation produces, every consumer must accept: one variant of a flow's N x N matrix.

    A producer uses the first of ``producer_ops`` it supports (node signs Talkative data with
    ``talkative.sign_jose``: jose cannot sign deterministically); ``producer_args`` adapts the input for such an op.
    ``consumer_args(input, produced)`` are the consumer's arguments and ``expected(input)`` the content it must
    recover. Inputs are the producer op's valid vectors that ``accepts`` takes, or ``inputs()`` where no vector can
    hold them (PGP messages are random, so the flow seals fresh ones with the test keys).
    """

    variant: str
    producer_ops: tuple[str, ...]
    consumer_op: str
    consumer_args: Callable[[Args, Any], dict[str, Any]]
    expected: Callable[[Args], Any]
    accepts: Callable[[Args], bool] = lambda _args: True
    inputs: Callable[[], list[dict[str, Any]]] | None = None
    producer_args: Mapping[str, Callable[[Args], dict[str, Any]]] = field(default_factory=dict)

    @property
    def producer_op(self) -> str:
        return self.producer_ops[0]

    def producer_call(self, supported: frozenset[str] | set[str], args: Args) -> tuple[str, dict[str, Any]]:
        """The op a producer with these ops uses, and its arguments for ``args`` (keys starting ``_`` dropped).
        Raises :class:`InvalidArgument` for ``supported`` that is not a set of op names or ``args`` not a mapping."""
        if not isinstance(supported, (set, frozenset)):
            raise InvalidArgument(f"supported must be a set of op names, got {type(supported).__name__}")
        if not isinstance(args, Mapping) or not all(isinstance(k, str) for k in args):
            raise InvalidArgument("args must be a mapping (a JSON object)")
        op = next((name for name in self.producer_ops if name in supported), self.producer_ops[0])
        plain = {k: v for k, v in args.items() if not k.startswith("_")}
        adapt = self.producer_args.get(op)
        return op, adapt(plain) if adapt else plain


@dataclass(frozen=True)
class SdkMatrix:
    """A vendor's own SDKs side by side: each SDK (a registry name) signs the same labelled inputs with its op, and
    each token is judged by the flow's documented verifier (``verifier``, with ``verify_args(args, token)``)."""

    sdks: tuple[tuple[str, str], ...]  # (registry name, its producer op), in the matrix's order
    inputs: Callable[[], list[tuple[str, dict[str, Any]]]]  # (what the input exercises, the op's arguments)
    verifier: str
    verify_args: Callable[[Args, Any], dict[str, Any]]
    #: SDK name -> its own ``verify_args`` (an SDK that reads its own clock is verified at that clock)
    verify_overrides: Mapping[str, Callable[[Args, Any], dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    """One vendor flow: its id (the name of its vector file, its notebook and ``--flow``), ops and references."""

    id: str
    vendor: str
    title: str
    python_module: str  # the module of conformance.vendors whose OPS implement its hand-written ops ("" for none)
    ops: tuple[Op, ...]
    references: tuple[str, ...]  # registry names of the implementations that made its vectors
    round_trips: tuple[RoundTrip, ...] = ()
    document: str = ""  # the vendor document in shared/seeds
    generator: str = ""  # the module of vectors/generators/ that writes its vector file
    sdk_matrix: SdkMatrix | None = None  # the vendor's SDKs compared with each other (conformance.sdk_matrix)

    @property
    def vector_file(self) -> str:
        return f"{self.id}.json"

    @property
    def schema_file(self) -> str:
        return f"{self.id}.schema.json"

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def op_names(self) -> tuple[str, ...]:
        return tuple(op.name for op in self.ops)
