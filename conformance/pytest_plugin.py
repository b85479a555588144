"""pytest plugin: the golden vectors as pytest tests, one per vector, against your own Python implementation.

Registered through the ``pytest11`` entry point, so installing the package is enough. Two ways to use it
(``docs/pytest-plugin.md`` has a worked example):

* command line: ``pytest --handoff-impl=mypkg.adapter:Impl [--handoff-vectors=PATH] [--handoff-op=GLOB ...]``
  adds one test per vector, named by its case id: node id ``handoff::khoros_cryptor#12``;
* in a test module: ``@handoff_vectors(op="khoros.skep.*")`` on a test that takes the ``handoff_case`` fixture
  parametrizes it over the vectors (ids are the case ids); the test calls ``check_vector(handoff_case, impl)``.

The implementation contract (:func:`conformance.contract.from_python_object`, one shape): an op table, a mapping
op name -> ``function(args)``, given itself or as the ``OPS`` of a module or object (as ``conformance/vendors/*.py``);
``NotImplementedError`` means unsupported. For :func:`check_vector` only, a plain ``function(args)`` is taken as the
table of the vector's op.

``--handoff-impl=module:attr`` names it; a class is instantiated without arguments. An op function takes the
vector's JSON ``input`` object and returns a JSON value (bytes as lowercase hex, as in the vectors), or raises.
A raised exception is a typed error whose reason path is ``exc.reason_path()`` if it has one (every
``conformance.errors`` class does), else the ``reason`` attribute or class name of the exception and of each
``__cause__``, joined by ``/`` (``raise EncryptionError() from BadPadding()`` gives ``EncryptionError/BadPadding``).

A raised exception that is not typed (Python's own ``TypeError``, ``KeyError`` ...) gets the reason
``Unexpected:<class>`` and its traceback is shown on failure.

Verdicts come from :mod:`conformance.judge`, as in ``conformance run``: a verdict the gate policy fails
(``--handoff-fail-on``, default ``unsafe,fail,io``) -> failed, with the vector's input, both answers and why;
``unsupported`` / ``unavailable`` -> skipped; ``deviation``, ``equivalent``, ``exceeds`` and ``reason_mismatch`` ->
xfailed with the verdict and why; ``pass`` -> passed. With ``--handoff-impl``, a vector whose op the implementation
does not declare is no test: the terminal summary says how many, in one line (a CI dashboard shows no skips for it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from conformance import judge, wording
from conformance.arguments import require_instance, require_strings
from conformance.contract import Implementation, from_python_object
from conformance.errors import ConformanceError, InvalidArgument, UsageError
from conformance.outcome import Outcome
from conformance.paths import vectors_dir
from conformance.selection import RESULTS, CaseFilter, select_cases
from conformance.spec import ImplementationSpec
from conformance.spec import load_object as load_impl
from conformance.vectors import VectorCase

__all__ = [
    "CaseFilter",
    "CaseSelection",
    "check_vector",
    "handoff_vectors",
    "load_impl",
    "mismatch_report",
    "run_vector",
    "select_cases",
]

#: The selection type the plugin has always exported; one filter serves the CLI and the plugin.
CaseSelection = CaseFilter


def _split(values: Sequence[str] | str | None) -> tuple[str, ...]:
    """Repeated options and comma lists alike: ``("a,b", "c")`` -> ``("a", "b", "c")``."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


# --- implementations ---------------------------------------------------------------------------------------------


def _implementation(impl: Any, op: str | None = None) -> Implementation:
    """``impl`` under the implementation contract. Raises :class:`UsageError` when it does not fit it."""
    if isinstance(impl, Implementation):
        return impl
    if op is not None and callable(impl) and not isinstance(impl, Mapping) and getattr(impl, "OPS", None) is None:
        return from_python_object({op: impl}, label=getattr(impl, "__name__", None))  # check_vector's one function
    return from_python_object(impl)


def _case(case: Any) -> VectorCase:
    return require_instance(case, "case", VectorCase)  # type: ignore[no-any-return]


# --- running and judging one vector ------------------------------------------------------------------------------


def run_vector(case: VectorCase, impl: Any) -> Outcome:
    """What ``impl`` answers for ``case``: a value, a typed error or *unsupported*.

    Raises :class:`InvalidArgument` for a ``case`` that is not a VectorCase, :class:`UsageError` for an ``impl``
    that fits no form of the contract.
    """
    case = _case(case)
    return _implementation(impl, case.op).call_many([(case.op, case.input)])[0]


def check_vector(case: VectorCase, impl: Any, fail_on: frozenset[str] = judge.DEFAULT_FAIL_ON) -> None:
    """Assert that ``impl`` answers ``case`` as the vector says, as judged by :mod:`conformance.judge`.

    Fails (with the input, both answers and why) on a verdict in ``fail_on``; skips *unsupported* and
    *unavailable*; xfails *deviation*, *equivalent* and *reason_mismatch* with the verdict and why.
    Raises as :func:`run_vector` does, and :class:`InvalidArgument` when ``fail_on`` is not a set of verdicts.
    """
    from conformance.runner import judge_answers

    try:
        fail_on = judge.Policy.from_options(require_strings(fail_on, "fail_on"), strict=False).fail_on
    except UsageError as exc:
        raise InvalidArgument(str(exc).replace("--fail-on", "fail_on")) from None
    outcome = run_vector(case, impl)
    verdict = judge_answers([(case, outcome, False)])[0]
    if verdict.verdict == "pass":
        return
    if judge.is_failure(verdict.verdict, fail_on):
        pytest.fail(mismatch_report(case, outcome, verdict), pytrace=False)
    if verdict.verdict in {"unsupported", "unavailable"}:
        pytest.skip(f"{verdict.verdict}: {outcome.message}")
    pytest.xfail(f"{verdict.verdict}: {verdict.why}: {mismatch_report(case, outcome, verdict)}")


def mismatch_report(case: VectorCase, outcome: Outcome, verdict: judge.Judgement | None = None) -> str:
    """The failure message: which vector, its input, what was expected, what was answered, and why.

    Raises :class:`InvalidArgument` when the arguments are not a VectorCase, an Outcome and a Judgement (or None).
    """
    case = _case(case)
    require_instance(outcome, "outcome", Outcome)
    if verdict is not None:
        require_instance(verdict, "verdict", judge.Judgement)
    trace = outcome.message if outcome.status == "error" and "\n" in (outcome.message or "") else ""
    shown = Outcome.of_error(outcome.reason or "") if trace else outcome
    lines = [
        f"{case.case_id} ({case.op}): {case.comment}",
        f"  result:   {case.result}" + (f"   flags: {', '.join(case.flags)}" if case.flags else ""),
        f"  input:    {_short(repr(case.input))}",
    ]
    said = verdict is not None and wording.notes(case.notes) in verdict.why
    rows = wording.explanation(case.op, judge.expected_outcome(case), shown, () if said else case.notes, limit=4000)
    lines += [f"  {label + ':':<9} {_short(text)}" for label, text in rows]
    if verdict is not None:
        lines.append(f"  verdict:  {verdict.verdict}" + (f" ({verdict.why})" if verdict.why else ""))
    if trace:
        lines += ["", trace.rstrip()]
    return "\n".join(lines)


def _short(text: str, limit: int = 4000) -> str:
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
_FAIL_ON_KEY = pytest.StashKey[frozenset[str]]()
_LEFT_OUT_KEY = pytest.StashKey[str]()


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
    group.addoption(
        "--handoff-fail-on",
        default=",".join(sorted(judge.DEFAULT_FAIL_ON, key=judge.VERDICTS.index)),
        metavar="VERDICTS",
        help="verdicts that fail a test (default unsafe,fail,io)",
    )
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
        config.stash[_IMPL_KEY] = ImplementationSpec.python_object(spec, search).build()
    except ConformanceError as exc:
        raise pytest.UsageError(f"--handoff-impl={spec}: {exc}") from None
    config.stash[_SPEC_KEY] = spec
    try:
        config.stash[_FAIL_ON_KEY] = judge.Policy.from_options(config.getoption("handoff_fail_on")).fail_on
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from None


def _cli_selection(config: pytest.Config) -> CaseSelection:
    return CaseSelection(
        ops=_split(config.getoption("handoff_op")),
        flows=_split(config.getoption("handoff_flow")),
        flags=_split(config.getoption("handoff_flag")),
        results=_split(config.getoption("handoff_result")),
        tc_ids=_split(config.getoption("handoff_tcid")),
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
        raise pytest.UsageError(f"handoff vectors: {exc}") from None


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
        tc_ids=_split(kwargs.get("case_id")),
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
        check_vector(self.case, self.impl, self.config.stash.get(_FAIL_ON_KEY, judge.DEFAULT_FAIL_ON))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return Path(self.case.file), None, f"handoff vector {self.case.case_id} ({self.case.op})"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--handoff-impl``: add one item per selected vector (before ``-k``/``-m`` deselect)."""
    impl = config.stash.get(_IMPL_KEY, None)
    if impl is None:
        return
    cases = _cases(config, _vectors_path(config), _cli_selection(config))
    declared = impl.ops() if impl.unavailable() is None else frozenset()
    left_out = [case for case in cases if declared and case.op not in declared]
    if left_out:
        ops = ", ".join(sorted({case.op for case in left_out}))
        config.stash[_LEFT_OUT_KEY] = f"{len(left_out)} vector(s) not run: {impl.name} does not implement {ops}"
        cases = [case for case in cases if case.op in declared]
    collector = HandoffVectors.from_parent(session, name="handoff", nodeid="handoff", cases=cases, impl=impl)
    items.extend(session.genitems(collector))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """One line for the vectors whose op the ``--handoff-impl`` implementation does not declare (no test each)."""
    line = config.stash.get(_LEFT_OUT_KEY, None)
    if line:
        terminalreporter.write_line(f"handoff: {line}")
