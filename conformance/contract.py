"""The implementation contract: one Protocol for the built-in Python port, every reference and every adapter.

Three kinds:

* ``in-process``: an op table of Python functions (the port; reference bridges such as GnuPG and OpenSSL that run a
  command per call);
* ``jvm``: an op table whose functions call Java through the process's one JVM (the vendor's classes, BouncyCastle);
  ops may also have a batch function that answers a whole list of calls in one JPype call;
* ``json-lines``: a long-lived subprocess speaking the JSON-lines protocol (node, PHP, users' adapters), batched.

Every call's arguments are checked against the op's schema (:func:`conformance.catalog.check_args`) before the op
runs, in every built-in implementation; an external adapter receives its arguments as they are. A caller whose
arguments are known to fit (a campaign's generated cases, checked once per batch) says so with ``checked=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from conformance import catalog
from conformance.arguments import require_bool, require_callable, require_instance, require_str
from conformance.errors import ConformanceError, InvalidArgument, NullArgument, UnsupportedOperation, UsageError
from conformance.jsonlines import JsonLinesProcess
from conformance.outcome import OpFunction, Outcome, capture

Call = tuple[str, Mapping[str, Any]]
Kind = Literal["in-process", "jvm", "json-lines"]
#: Answers a list of one op's argument objects with one outcome each, in order.
BatchFunction = Callable[[Sequence[Mapping[str, Any]]], list[Outcome]]


@runtime_checkable
class Implementation(Protocol):
    """What the runner, the interop matrix, campaigns, the audit and the pytest plugin call."""

    name: str
    kind: Kind
    builtin: bool  # False for a user's adapter

    def unavailable(self) -> str | None:
        """``None`` when it can run here, else why not (one line)."""

    def ops(self) -> frozenset[str]:
        """The ops it answers."""

    def versions(self) -> dict[str, str]:
        """The exact versions behind its answers (runtime, libraries)."""

    def call_many(self, calls: Sequence[Call], *, checked: bool = False) -> list[Outcome]:
        """One outcome per call, in order; never raises for the implementation's own failures. ``checked``: the
        arguments are known to fit their ops' schemas, so they are not checked again."""

    def restarts(self) -> int:
        """How many times its process was restarted after a crash or hang."""

    def close(self) -> None:
        """Release its process, if it has one."""


def _checked(op: str, args: Any) -> Outcome | None:
    """``None`` when ``args`` fit ``op``'s schema, else the ``InvalidArgument`` outcome (ops the catalog lacks pass)."""
    if op not in _CATALOG_OPS:
        return None
    try:
        catalog.check_args(op, args)
    except InvalidArgument as exc:
        return Outcome.of_error(exc.reason_path(), str(exc))
    return None


_CATALOG_OPS = frozenset(catalog.op_names())
_KINDS = ("in-process", "jvm", "json-lines")


def _require_calls(calls: Any) -> Sequence[Call]:
    """``calls`` when it is a list (or tuple) of ``(op, args)`` pairs. Raises :class:`InvalidArgument` otherwise.
    One pass, no copy: a campaign's batch of a million calls pays well under a second for it."""
    if calls is None:
        raise NullArgument("calls must not be None")
    if not isinstance(calls, (list, tuple)):
        raise InvalidArgument(f"calls must be a list of (op name, args) pairs, got {type(calls).__name__}")
    for call in calls:
        if not (isinstance(call, (tuple, list)) and len(call) == 2 and isinstance(call[0], str)):
            raise InvalidArgument("calls must hold (op name, args) pairs")
    return calls


def _require_name(name: Any) -> str:
    if not require_str(name, "name"):
        raise InvalidArgument("name must not be empty")
    return name  # type: ignore[no-any-return]


def _require_kind(kind: Any) -> Kind:
    if kind not in _KINDS or not isinstance(kind, str):
        raise InvalidArgument(f"kind must be one of {', '.join(_KINDS)}")
    return kind  # type: ignore[return-value]


def _mapping_of_functions(value: Any, what: str) -> Mapping[str, Any]:
    """``value`` when it is a mapping op name -> function. Raises :class:`InvalidArgument` naming ``what``."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and callable(f) for k, f in value.items()):
        raise InvalidArgument(f"{what} must return a mapping op name -> function")
    return value


def _probed(problem: Any) -> str | None:
    if problem is not None and not isinstance(problem, str):
        raise InvalidArgument("probe must return None or why the implementation cannot run (str)")
    return problem


@dataclass
class OpTableImplementation:
    """An ``in-process`` or ``jvm`` implementation: op functions in this process, with optional batch functions."""

    name: str
    table: Callable[[], Mapping[str, OpFunction]]
    kind: Kind = "in-process"
    probe: Callable[[], str | None] = lambda: None
    read_versions: Callable[[], Mapping[str, Any]] = dict
    batches: Callable[[], Mapping[str, BatchFunction]] = dict
    builtin: bool = True
    validate: bool = True
    _problem: str | None = field(default=None, init=False)
    _probed: bool = field(default=False, init=False)
    _ops: Mapping[str, OpFunction] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        """Raises :class:`InvalidArgument` for a field of another type (the factories must be callables)."""
        _require_name(self.name)
        _require_kind(self.kind)
        for attribute in ("table", "probe", "read_versions", "batches"):
            require_callable(getattr(self, attribute), attribute)
        require_bool(self.builtin, "builtin")
        require_bool(self.validate, "validate")

    def _table(self) -> Mapping[str, OpFunction]:
        if self._ops is None:
            self._ops = _mapping_of_functions(self.table(), "table")
        return self._ops

    def unavailable(self) -> str | None:
        """``None`` when it can run here, else why not (a ``probe`` that returns something else than ``None`` or a
        str makes it unavailable)."""
        if not self._probed:
            self._probed = True
            try:
                self._problem = _probed(self.probe())
            except ConformanceError as exc:
                self._problem = str(exc)
        return self._problem

    def ops(self) -> frozenset[str]:
        return frozenset(self._table())

    def versions(self) -> dict[str, str]:
        if self.unavailable() is not None:
            return {}
        try:
            found = self.read_versions()
        except ConformanceError as exc:
            return {"error": str(exc)}
        if not isinstance(found, Mapping):
            raise InvalidArgument("read_versions must return a mapping")
        return {str(k): str(v) for k, v in found.items()}

    def restarts(self) -> int:
        return 0

    def close(self) -> None:
        return None

    def call_many(self, calls: Sequence[Call], *, checked: bool = False) -> list[Outcome]:
        """One outcome per call. Raises :class:`InvalidArgument` when ``calls`` is not a list of ``(op, args)``."""
        calls = _require_calls(calls)
        require_bool(checked, "checked")
        table = self._table()
        problem = self.unavailable()
        answers: list[Outcome | None] = [None] * len(calls)
        batched: dict[str, list[int]] = {}
        batch_functions = _mapping_of_functions(self.batches(), "batches") if problem is None else {}
        for index, (op, args) in enumerate(calls):
            function = table.get(op)
            if function is None:
                answers[index] = Outcome("unsupported", message=f"{self.name} does not implement {op}")
            elif problem is not None:
                answers[index] = Outcome("unavailable", message=problem)
            elif self.validate and not checked and (refused := _checked(op, args)) is not None:
                answers[index] = refused
            elif op in batch_functions:
                batched.setdefault(op, []).append(index)
            else:
                answers[index] = capture(function, args)
        for op, indices in batched.items():
            outcomes = batch_functions[op]([calls[i][1] for i in indices])
            for index, outcome in zip(indices, outcomes, strict=True):
                answers[index] = outcome
        return [answer for answer in answers if answer is not None]


@dataclass
class JsonLinesImplementation:
    """A ``json-lines`` implementation: node, PHP, or a user's adapter in any language."""

    name: str
    process: Callable[[], JsonLinesProcess]
    builtin: bool = True
    kind: Kind = "json-lines"
    probe: Callable[[], str | None] = lambda: None
    #: Rewrites an op's arguments for the wire (PHP takes text as hex), after they were checked.
    encode_args: Callable[[str, Mapping[str, Any]], Mapping[str, Any]] = lambda _op, args: args
    _problem: str | None = field(default=None, init=False)
    _probed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        """Raises :class:`InvalidArgument` for a field of another type (the factories must be callables)."""
        _require_name(self.name)
        _require_kind(self.kind)
        for attribute in ("process", "probe", "encode_args"):
            require_callable(getattr(self, attribute), attribute)
        require_bool(self.builtin, "builtin")

    def _process(self) -> JsonLinesProcess:
        return require_instance(self.process(), "what process returns", JsonLinesProcess)  # type: ignore[no-any-return]

    def unavailable(self) -> str | None:
        """``None`` when it can run here, else why not (a ``probe`` or ``process`` that returns something else than
        it must makes it unavailable)."""
        if not self._probed:
            self._probed = True
            try:
                self._problem = _probed(self.probe())
                if self._problem is None:
                    self._process().start()
            except ConformanceError as exc:
                self._problem = str(exc)
        return self._problem

    def ops(self) -> frozenset[str]:
        if self.unavailable() is not None:
            return frozenset()
        hello = self._process().hello
        return frozenset(hello.get("ops", [])) | catalog.ops_of_kinds(hello.get("kinds") or ())

    def versions(self) -> dict[str, str]:
        if self.unavailable() is not None:
            return {}
        return {str(k): str(v) for k, v in (self._process().hello.get("versions") or {}).items()}

    def restarts(self) -> int:
        return self._process().restarts if self._probed else 0

    def close(self) -> None:
        if self._probed:
            self._process().close()

    def _encoded(self, op: str, args: Any) -> Mapping[str, Any] | Outcome:
        """``args`` as ``encode_args`` rewrites them for the wire, or the ``io`` outcome of an encoder that fails."""
        try:
            return self.encode_args(op, args)
        except ConformanceError as exc:
            return Outcome.of_error(exc.reason_path(), str(exc))
        except Exception as exc:
            return Outcome("io", message=f"{self.name}: its argument encoder failed ({type(exc).__name__})")

    def call_many(self, calls: Sequence[Call], *, checked: bool = False) -> list[Outcome]:
        """One outcome per call. Raises :class:`InvalidArgument` when ``calls`` is not a list of ``(op, args)``."""
        calls = _require_calls(calls)
        require_bool(checked, "checked")
        problem = self.unavailable()
        if problem is not None:
            return [Outcome("unavailable", message=problem) for _ in calls]
        supported = self.ops()
        answers: list[Outcome | None] = [None] * len(calls)
        wanted: list[int] = []
        sent: list[Call] = []
        for index, (op, args) in enumerate(calls):
            if op not in supported:
                answers[index] = Outcome("unsupported", message=f"{self.name} does not list {op} in its hello")
            elif self.builtin and not checked and (refused := _checked(op, args)) is not None:
                answers[index] = refused
            elif isinstance(encoded := self._encoded(op, args), Outcome):
                answers[index] = encoded
            else:
                wanted.append(index)
                sent.append((op, encoded))
        for index, outcome in zip(wanted, self._process().call_many(sent), strict=True):
            answers[index] = outcome
        return [answer for answer in answers if answer is not None]


def split_adapter(spec: str) -> tuple[str, str, list[str]]:
    """``NAME=COMMAND`` as its name, command and argv. Raises :class:`UsageError` for a malformed spec."""
    import shlex

    if not isinstance(spec, str):
        raise UsageError("--adapter takes NAME=COMMAND")
    name, sep, command = spec.partition("=")
    name, command = name.strip(), command.strip()
    if not sep or not name or not command:
        raise UsageError(f"--adapter takes NAME=COMMAND, got {spec!r}")
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"--adapter {name}: the command cannot be split into words ({exc})") from None
    return name, command, argv


def adapter(spec: str, timeout: float = 30.0) -> JsonLinesImplementation:
    """A user's adapter from ``NAME=COMMAND`` (its process starts on first use). Raises :class:`UsageError` for a
    malformed spec."""
    name, _command, argv = split_adapter(spec)
    process = JsonLinesProcess(argv, timeout=timeout, name=name)
    return JsonLinesImplementation(name, lambda: process, builtin=False)


class UserException(ConformanceError):
    """An exception a user's Python implementation raised, carried with its reason path and traceback."""

    def __init__(self, path: str, trace: str) -> None:
        super().__init__(trace)
        self.path = path

    def reason_path(self) -> str:
        return self.path


def _traced(function: OpFunction) -> OpFunction:
    """``function``, with an exception that is not a ConformanceError turned into a :class:`UserException` whose
    message is its traceback (the user's own code: shown to the user by the pytest plugin)."""
    import traceback

    from conformance.outcome import reason_path_of

    def run(args: Mapping[str, Any]) -> Any:
        try:
            return function(args)
        except ConformanceError:
            raise
        except NotImplementedError as exc:
            raise UnsupportedOperation(f"{type(exc).__name__}: the implementation does not support this op") from None
        except Exception as exc:
            raise UserException(reason_path_of(exc), "".join(traceback.format_exception(exc))) from None

    return run


def from_python_object(target: Any, label: str | None = None) -> OpTableImplementation:
    """An in-process implementation around a user's op table (the pytest plugin's contract).

    The one shape: a mapping op name -> ``function(args)``, given itself or as the ``OPS`` attribute of a module or
    an object (as ``conformance/vendors/*.py`` have). A function raising ``NotImplementedError`` or
    :class:`~conformance.errors.UnsupportedOperation` answers unsupported. Raises :class:`UsageError` for anything
    else (an object with ``call(op, args)`` included: give it an ``OPS`` table), :class:`InvalidArgument` for a
    ``label`` that is not a non-empty str (it names the implementation in messages).
    """
    if label is not None:
        _require_name(label)
    named = getattr(target, "__name__", None)
    name = label or (named if isinstance(named, str) and named else type(target).__name__)
    if isinstance(target, OpTableImplementation):
        return target
    table = target if isinstance(target, Mapping) else getattr(target, "OPS", None)
    if not isinstance(table, Mapping):
        hint = (
            "; an object with call(op, args) is no longer taken: give it OPS = {op: function(args), ...}"
            if callable(getattr(target, "call", None))
            else ""
        )
        raise UsageError(f"{name}: an implementation is an OPS mapping, op name -> function(args){hint}")
    if not all(isinstance(op_name, str) and callable(function) for op_name, function in table.items()):
        raise UsageError(f"{name}: OPS must map op names (str) to functions of the op's args")
    fixed = {op_name: _traced(function) for op_name, function in table.items()}
    return OpTableImplementation(name, lambda: fixed, builtin=False, validate=False)
