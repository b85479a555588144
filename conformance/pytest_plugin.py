"""pytest plugin: the golden vectors as pytest tests, one per vector, against your own Python implementation.

Registered through the ``pytest11`` entry point, so installing the package is enough. Two ways to use it
(``docs/pytest-plugin.md`` has a worked example):

* command line: ``pytest --handoff-impl=mypkg.adapter:Impl [--handoff-vectors=PATH] [--handoff-op=GLOB ...]``
  adds one test per vector, named by its case id: node id ``handoff::khoros_cryptor#12``;
* in a test module: ``@handoff_vectors(op="khoros.skep.*")`` on a test that takes the ``handoff_case`` fixture
  parametrizes it over the vectors (ids are the case ids); the test calls ``check_vector(handoff_case, impl)``.

The implementation contract (any one of):

* an object or module with ``OPS``, a mapping op name -> ``callable(args)`` (as ``conformance/vendors/*.py``);
* a mapping of that shape itself;
* an object with ``call(op, args)`` and, optionally, ``ops`` (the op names it supports; without it every op is
  tried, and ``NotImplementedError`` means unsupported);
* for :func:`check_vector` only: a plain ``callable(args)``, taken to implement the vector's op.

``--handoff-impl=module:attr`` names it; a class is instantiated without arguments. An op function takes the
vector's JSON ``input`` object and returns a JSON value (bytes as lowercase hex, as in the vectors), or raises.
A raised exception is a typed error whose reason path is ``exc.reason_path()`` if it has one (every
``conformance.errors`` class does), else the ``reason`` attribute or class name of the exception and of each
``__cause__``, joined by ``/`` (``raise EncryptionError() from BadPadding()`` gives ``EncryptionError/BadPadding``).

Verdicts: the answer equals the vector's -> pass; an op the implementation lacks -> skipped, reason
``unsupported``; another answer on an ``acceptable`` vector -> xfailed (a deviation); otherwise -> failed, with the
expected and actual answers in the message.
"""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import sys
import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance.errors import ConformanceError
from conformance.outcome import Outcome
from conformance.paths import vectors_dir
from conformance.vectors import VectorCase, iter_cases, load_cases

__all__ = ["CaseSelection", "check_vector", "handoff_vectors", "load_impl", "run_vector", "select_cases"]

RESULTS = ("valid", "invalid", "acceptable")


# --- selecting vectors -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSelection:
    """Which vectors to run: each non-empty field must match (globs for ``ops``, ``flows`` and ``case_ids``)."""

    ops: tuple[str, ...] = ()
    flows: tuple[str, ...] = ()  # file stem (``khoros_cryptor``) or scheme
    flags: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    case_ids: tuple[str, ...] = ()  # ``khoros_cryptor#12``

    def accepts(self, case: VectorCase) -> bool:
        stem = Path(case.file).stem
        return (
            _any_glob(self.ops, case.op)
            and (_any_glob(self.flows, stem) or _any_glob(self.flows, case.scheme))
            and (not self.flags or any(flag in case.flags for flag in self.flags))
            and (not self.results or case.result in self.results)
            and _any_glob(self.case_ids, case.case_id)
        )


def _any_glob(patterns: Sequence[str], value: str) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns)


def _split(values: Sequence[str] | str | None) -> tuple[str, ...]:
    """Repeated options and comma lists alike: ``("a,b", "c")`` -> ``("a", "b", "c")``."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def select_cases(path: Path | str | None = None, selection: CaseSelection = CaseSelection()) -> list[VectorCase]:
    """The vectors of a directory or one file (the project's vectors by default) that ``selection`` accepts.

    Raises :class:`~conformance.errors.VectorFileError` for a missing or invalid file.
    """
    location = Path(path) if path is not None else vectors_dir()
    cases = list(iter_cases(location)) if location.is_file() else load_cases(location)
    return [case for case in cases if selection.accepts(case)]


# --- implementations ---------------------------------------------------------------------------------------------


class _Unsupported(Exception):
    pass


@dataclass(frozen=True)
class _Impl:
    """A user's implementation behind one ``run(op, args)``; raises :class:`_Unsupported` for a missing op."""

    label: str
    table: Mapping[str, Callable[[Mapping[str, Any]], Any]] | None = None
    caller: Callable[[str, Mapping[str, Any]], Any] | None = None
    declared: frozenset[str] | None = None

    def run(self, op: str, args: Mapping[str, Any]) -> Any:
        if self.table is not None:
            function = self.table.get(op)
            if function is None:
                raise _Unsupported(f"{self.label} has no {op} in OPS")
            return function(args)
        if self.declared is not None and op not in self.declared:
            raise _Unsupported(f"{self.label} does not list {op} in ops")
        assert self.caller is not None
        try:
            return self.caller(op, args)
        except NotImplementedError as exc:
            raise _Unsupported(f"{self.label} raised NotImplementedError for {op}") from exc


def _adapt(impl: Any, op: str | None = None) -> _Impl:
    """Fit ``impl`` to the contract (see the module docstring); ``op`` allows a plain callable for that op."""
    label = getattr(impl, "__name__", None) or type(impl).__name__
    if isinstance(impl, _Impl):
        return impl
    if isinstance(impl, Mapping):
        return _Impl(label, table=impl)
    table = getattr(impl, "OPS", None)
    if isinstance(table, Mapping):
        return _Impl(label, table=table)
    caller = getattr(impl, "call", None)
    if callable(caller):
        declared = getattr(impl, "ops", None)
        if callable(declared):
            declared = declared()
        names = None if declared is None else frozenset(declared)
        return _Impl(label, caller=caller, declared=names)
    if op is not None and callable(impl):
        return _Impl(label, table={op: impl})
    raise TypeError(f"{label}: an implementation needs an OPS mapping or a call(op, args) method")


def load_impl(spec: str, search_path: Collection[Path] = ()) -> Any:
    """Import ``module[:attr[.attr]]``; a class is instantiated without arguments. Raises ``ImportError``.

    ``search_path`` directories are tried when the module is not importable as it stands (for ``pytest`` run
    from a project directory that is not on ``sys.path``).
    """
    module_name, _, attribute = spec.partition(":")
    try:
        target: Any = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        extra = [str(p) for p in search_path if str(p) not in sys.path]
        if exc.name != module_name.split(".")[0] or not extra:
            raise
        sys.path.extend(extra)
        target = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        target = getattr(target, part)
    return target() if inspect.isclass(target) else target


# --- running and judging one vector ------------------------------------------------------------------------------


def _reason_path(exc: BaseException) -> str:
    if isinstance(exc, ConformanceError) or callable(getattr(exc, "reason_path", None)):
        return str(exc.reason_path())  # type: ignore[attr-defined]
    parts = []
    current: BaseException | None = exc
    while current is not None and len(parts) < 8:
        reason = getattr(current, "reason", None)
        parts.append(reason if isinstance(reason, str) and reason else type(current).__name__)
        current = current.__cause__
    return "/".join(parts)


@dataclass(frozen=True)
class _Answer:
    outcome: Outcome
    trace: str = ""  # the traceback of an exception that is not a ConformanceError, shown on failure


def _answer(case: VectorCase, impl: Any) -> _Answer:
    adapted = _adapt(impl, case.op)
    try:
        return _Answer(Outcome.of_value(adapted.run(case.op, case.input)))
    except _Unsupported as exc:
        return _Answer(Outcome("unsupported", message=str(exc)))
    except Exception as exc:
        trace = "" if isinstance(exc, ConformanceError) else "".join(traceback.format_exception(exc))
        return _Answer(Outcome.of_error(_reason_path(exc), str(exc)), trace)


def run_vector(case: VectorCase, impl: Any) -> Outcome:
    """What ``impl`` answers for ``case``: a value, a typed error or *unsupported*."""
    return _answer(case, impl).outcome


def _expected(case: VectorCase) -> tuple[Any, ...]:
    return ("error", case.error) if case.expects_error else ("value", case.output)


def _describe_expected(case: VectorCase) -> str:
    return f"error {case.error}" if case.expects_error else f"value {case.output!r}"


def check_vector(case: VectorCase, impl: Any) -> None:
    """Assert that ``impl`` answers ``case`` as the vector says.

    Skips (reason ``unsupported: ...``) when ``impl`` lacks the op, xfails a different answer on an
    ``acceptable`` vector, and fails with the expected and actual answers otherwise.
    """
    answer = _answer(case, impl)
    outcome = answer.outcome
    if outcome.status == "unsupported":
        pytest.skip(f"unsupported: {outcome.message}")
    if outcome.comparable() == _expected(case):
        return
    report = mismatch_report(case, outcome)
    if case.result == "acceptable":
        pytest.xfail(f"deviation on an acceptable vector: {report}")
    if answer.trace:
        report += "\n\n" + answer.trace.rstrip()
    pytest.fail(report, pytrace=False)


def mismatch_report(case: VectorCase, outcome: Outcome) -> str:
    """The failure message: which vector, its input, what was expected and what was answered."""
    lines = [
        f"{case.case_id} ({case.op}): {case.comment}",
        f"  result:   {case.result}" + (f"   flags: {', '.join(case.flags)}" if case.flags else ""),
        f"  input:    {_short(case.input)}",
        f"  expected: {_short_text(_describe_expected(case))}",
        f"  actual:   {_short_text(outcome.describe())}",
    ]
    return "\n".join(lines)


def _short(value: Any) -> str:
    return _short_text(repr(value))


def _short_text(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


# --- the decorator / marker and fixtures ---------------------------------------------------------------------------


def handoff_vectors(
    *,
    op: str | Sequence[str] | None = None,
    flow: str | Sequence[str] | None = None,
    flag: str | Sequence[str] | None = None,
    result: str | Sequence[str] | None = None,
    case_id: str | Sequence[str] | None = None,
    vectors: str | Path | None = None,
) -> pytest.MarkDecorator:
    """Parametrize a test's ``handoff_case`` argument over the selected vectors (ids are the case ids).

    The selection narrows the command line's ``--handoff-*`` filters further; ``vectors`` (a directory or file,
    relative to the test file) overrides ``--handoff-vectors``.
    """
    return pytest.mark.handoff_vectors(op=op, flow=flow, flag=flag, result=result, case_id=case_id, vectors=vectors)


@pytest.fixture(scope="session")
def handoff_impl(request: pytest.FixtureRequest) -> Any:
    """The implementation named by ``--handoff-impl`` (fails the test when none is given)."""
    impl = request.config.stash.get(_IMPL_KEY, None)
    if impl is None:
        pytest.fail("the handoff_impl fixture needs --handoff-impl=module:attr", pytrace=False)
    return impl


# --- pytest hooks ----------------------------------------------------------------------------------------------------

_IMPL_KEY = pytest.StashKey[Any]()
_SPEC_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("handoff", "handoff-conformance golden vectors")
    group.addoption(
        "--handoff-vectors",
        metavar="PATH",
        help="vector directory or file (default: the vectors that ship with handoff-conformance)",
    )
    group.addoption(
        "--handoff-impl",
        metavar="MODULE:ATTR",
        help="your implementation: one test per vector is added (OPS mapping, or call(op, args))",
    )
    group.addoption("--handoff-op", action="append", default=[], metavar="GLOB", help="only these ops")
    group.addoption("--handoff-flow", action="append", default=[], metavar="GLOB", help="only these vector files")
    group.addoption("--handoff-flag", action="append", default=[], metavar="FLAG", help="only vectors with a flag")
    group.addoption(
        "--handoff-result", action="append", default=[], choices=RESULTS, help="only valid/invalid/acceptable"
    )
    group.addoption("--handoff-tcid", action="append", default=[], metavar="GLOB", help="only these case ids")
    parser.addini("handoff_impl", "default for --handoff-impl", default="")
    parser.addini("handoff_vectors", "default for --handoff-vectors", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "handoff_vectors(op=, flow=, flag=, result=, case_id=, vectors=): parametrize the handoff_case argument "
        "over the golden vectors (conformance.pytest_plugin.handoff_vectors)",
    )
    spec = config.getoption("handoff_impl") or config.getini("handoff_impl")
    if not spec:
        return
    search = (config.invocation_params.dir, config.rootpath)
    try:
        config.stash[_IMPL_KEY] = _adapt(load_impl(spec, search))
    except (ImportError, AttributeError, TypeError) as exc:
        raise pytest.UsageError(f"--handoff-impl={spec}: {exc}") from exc
    config.stash[_SPEC_KEY] = spec


def _cli_selection(config: pytest.Config) -> CaseSelection:
    return CaseSelection(
        ops=_split(config.getoption("handoff_op")),
        flows=_split(config.getoption("handoff_flow")),
        flags=_split(config.getoption("handoff_flag")),
        results=_split(config.getoption("handoff_result")),
        case_ids=_split(config.getoption("handoff_tcid")),
    )


def _vectors_path(config: pytest.Config, override: str | Path | None = None) -> Path | None:
    chosen = override or config.getoption("handoff_vectors") or config.getini("handoff_vectors")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.is_absolute() else config.invocation_params.dir / path


def _cases(config: pytest.Config, path: Path | None, selection: CaseSelection) -> list[VectorCase]:
    try:
        return select_cases(path, selection)
    except ConformanceError as exc:
        raise pytest.UsageError(f"handoff vectors: {exc}") from exc


def pytest_report_header(config: pytest.Config) -> str | None:
    spec = config.stash.get(_SPEC_KEY, None)
    if spec is None:
        return None
    return f"handoff vectors: {_vectors_path(config) or vectors_dir()}, implementation: {spec}"


def _mark_selection(kwargs: Mapping[str, Any]) -> CaseSelection:
    return CaseSelection(
        ops=_split(kwargs.get("op")),
        flows=_split(kwargs.get("flow")),
        flags=_split(kwargs.get("flag")),
        results=_split(kwargs.get("result")),
        case_ids=_split(kwargs.get("case_id")),
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``handoff_case``: the vectors every ``handoff_vectors`` mark and the command line accept."""
    if "handoff_case" not in metafunc.fixturenames:
        return
    marks = list(metafunc.definition.iter_markers("handoff_vectors"))
    override = next((Path(m.kwargs["vectors"]) for m in marks if m.kwargs.get("vectors")), None)
    if override is not None and not override.is_absolute():
        override = metafunc.definition.path.parent / override  # a mark's path is relative to its test file
    cases = _cases(metafunc.config, _vectors_path(metafunc.config, override), _cli_selection(metafunc.config))
    for mark in marks:
        cases = [case for case in cases if _mark_selection(mark.kwargs).accepts(case)]
    metafunc.parametrize("handoff_case", cases, ids=[case.case_id for case in cases])


class HandoffVectors(pytest.Collector):
    """The vectors ``--handoff-impl`` runs: node id ``handoff``, one item per vector."""

    def __init__(self, *, cases: Sequence[VectorCase], impl: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cases = cases
        self.impl = impl

    def collect(self) -> list[pytest.Item]:
        return [
            HandoffVectorItem.from_parent(self, name=case.case_id, case=case, impl=self.impl) for case in self.cases
        ]


class HandoffVectorItem(pytest.Item):
    """One vector run against the ``--handoff-impl`` implementation; its name is the case id."""

    def __init__(self, *, case: VectorCase, impl: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.impl = impl
        self.extra_keyword_matches.update({case.op, case.result, *case.flags})

    def runtest(self) -> None:
        check_vector(self.case, self.impl)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return Path(self.case.file), None, f"handoff vector {self.case.case_id} ({self.case.op})"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--handoff-impl``: add one item per selected vector (before ``-k``/``-m`` deselect)."""
    impl = config.stash.get(_IMPL_KEY, None)
    if impl is None:
        return
    cases = _cases(config, _vectors_path(config), _cli_selection(config))
    collector = HandoffVectors.from_parent(session, name="handoff", nodeid="handoff", cases=cases, impl=impl)
    items.extend(session.genitems(collector))
