"""Robustness: every public function and method of the package's public surface (the vendors, the op kinds, the
primitives, OpenPGP, the reports, the catalog, the codecs, the JSON writer, the vector loader, the runner's filters,
the judge, the outcome, the implementation contract, the registry and the pytest plugin's helpers) and every op of
the ``python`` implementation, called with hostile arguments.

The callables are found by introspection of the package (``tests/robustness/targets.py``), not listed by hand: a
new vendor's or kind's module and ops join by landing. Hostile arguments
(``tests/robustness/hostile.py``): wrong types, empty and huge values (a megabyte, 100,000 items, 20,000 levels
deep, 5,000-digit numbers), lone surrogates, NUL, invalid UTF-8, well-formed values of other parameters, hostile
paths (missing, a folder, a FIFO, a symlink loop, garbage, a name too long, NUL, surrogates) and corrupt vector files.
Each call puts hostile values in some parameters and well-formed ones in the rest (``tests/robustness/good.py``), so
the checks behind the first parameter are reached too. Each module's ``OPS`` functions are called as every
implementation calls them: with arguments that passed the op's schema check.

The bar, per call (``tests/robustness/harness.py``):

* 0 untyped exceptions: anything raised that is not a ``ConformanceError`` is a finding, ``TypeError`` and
  ``ValueError`` included. Arguments are always bound by the callable's own signature (every parameter, by name),
  so a ``TypeError`` can never come from Python's call binding (a wrong number of arguments, which is Python's
  error, not ours, is never made): it was raised inside the function. Only ``check_vector``'s pytest outcomes pass;
* no call takes 1 s or more of CPU (measured per call; the known slow paths are also run once each, on their own);
* the planted secret (and any secret-bearing argument of 16+ characters) appears in no exception message, no cause
  shown in a traceback and no log record (all loggers at DEBUG).

Entry points with findings still open are listed in ``tests/robustness/pending.txt`` (issue 21): they are called
like every other, their findings counted and reported, and each test of theirs with findings is an expected
failure; the summary names those found clean (their lines can go). Every other entry point is held to the bar.

At the end the run says how many entry points and calls it made, and the findings by rule, held and pending;
``HANDOFF_ROBUSTNESS_RECORD=FILE`` also writes them as JSON. ``HANDOFF_ROBUSTNESS_EXAMPLES`` sets the number of
Hypothesis examples per callable (default 25).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance import catalog, registry, vectors
from conformance.errors import ConformanceError, InvalidArgument, VectorFileError
from conformance.vendors import boldchat, khoros
from conformance.vendors.boldchat_validator import BoldChatValidator, MemoryReplayStore
from tests.robustness.good import KEY16, World, hostile_paths
from tests.robustness.harness import Harness, bind, kind_of
from tests.robustness.hostile import FIXED, MARK, hostile_strategy, huge_values, marked_text, nested
from tests.robustness.targets import OpTarget, Target, is_record, op_targets, targets

EXAMPLES = int(os.environ.get("HANDOFF_ROBUSTNESS_EXAMPLES", "25"))
TARGETS = targets()
OP_TARGETS = op_targets()
PENDING_FILE = Path(__file__).parent / "robustness" / "pending.txt"
#: Entry points with open findings (issue 21), by qualified name.
PENDING = frozenset(
    line.strip() for line in PENDING_FILE.read_text(encoding="utf-8").splitlines() if line.strip()[:1] not in ("", "#")
)
RANDOM = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def jpype_started() -> bool:
    import jpype

    return bool(jpype.isJVMStarted())


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The well-formed values; the working directory and the default replay store are moved into a temporary
    folder, so a hostile relative path can create nothing in the checkout or the user's cache."""
    root = tmp_path_factory.mktemp("robustness")
    work = root / "cwd"
    work.mkdir()
    previous_cwd, previous_db = Path.cwd(), os.environ.get("HANDOFF_BOLDCHAT_REPLAY_DB")
    os.environ["HANDOFF_BOLDCHAT_REPLAY_DB"] = str(root / "default-replay.sqlite3")
    made = World(root)
    # update_doc without a path rewrites docs/reference-versions.md: here it rewrites the world's copy.
    from conformance.report import versions

    versions_doc_path = versions.doc_path
    versions.doc_path = lambda: made.versions_doc
    # A hostile ``path=None`` means the project's vectors (3.6 MB): the loader validates each file once per process,
    # and that first validation (about 0.8 s of CPU) is a fixed cost, not the call's, so it is paid here.
    vectors.load_cases()
    # So are the python implementation's op table (every flow module imported, every kind's port made) and the
    # runner that check_vector imports on first use: built once per process, before the first run_vector.
    registry.shared("python").ops()
    importlib.import_module("conformance.runner")
    # The audit's runner with no flow named runs every registered proof against the live references (minutes): while
    # this test runs, the registry holds one proof that answers at once (the runner is under test, not the proofs).
    from conformance.audit import model, runner

    assert runner.PROOF_MODULES, "every proof module is imported (and registered) before the registry is narrowed"
    # Opening a sealed launch on every consumer starts the in-process JVM (BouncyCastle) once: a fixed cost too. Its
    # heap is capped at 1 GB: under a limit on address space (``ulimit -v``, to catch an unbounded allocation) a JVM
    # left to size itself reserves nearly all of it, and the Python calls after it fail with MemoryError.
    from conformance.audit import boldchat_pgp
    from conformance.references import java

    jvm_options = java.JVM_OPTIONS
    if not jpype_started():
        java.JVM_OPTIONS = (*jvm_options, "-Xmx1g")
    boldchat_pgp.open_everywhere(made.pgp_message)
    proofs = dict(model.PROOFS)
    model.PROOFS.clear()
    model.PROOFS[made.proof.id] = made.proof
    os.chdir(work)
    try:
        yield made
    finally:
        model.PROOFS.clear()
        model.PROOFS.update(proofs)
        java.JVM_OPTIONS = jvm_options
        versions.doc_path = versions_doc_path
        made.close()
        os.chdir(previous_cwd)
        if previous_db is None:
            os.environ.pop("HANDOFF_BOLDCHAT_REPLAY_DB", None)
        else:
            os.environ["HANDOFF_BOLDCHAT_REPLAY_DB"] = previous_db


@pytest.fixture(scope="module")
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    made = Harness()
    yield made
    summary = _summary(made)
    record = os.environ.get("HANDOFF_ROBUSTNESS_RECORD")
    if record:
        Path(record).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + _summary_line(summary))


def _summary(harness: Harness) -> dict[str, Any]:
    """The figures of the run: entry points (held to the bar and pending), calls, findings by rule, the slowest."""
    stats = harness.stats
    names = [t.qualname for t in TARGETS] + [t.qualname for t in OP_TARGETS]
    called = [name for name in names if any(label.startswith(name) for label in stats.per_target)]
    return {
        "entryPoints": len(names),
        "publicCallables": len(TARGETS),
        "opFunctions": len(OP_TARGETS),
        "pending": len(PENDING & set(names)),
        "entryPointsCalled": len(called),
        "calls": stats.calls,
        "typedRefusals": stats.typed,
        "held": {rule: stats.held.get(rule, 0) for rule in ("untyped", "leak", "slow")},
        "pendingFindings": {rule: stats.pending.get(rule, 0) for rule in ("untyped", "leak", "slow")},
        "pendingFoundClean": sorted(stats.pending_clean - stats.pending_open),
        "slowestCpuSeconds": round(stats.slowest, 3),
        "slowestWallSeconds": round(stats.slowest_wall, 3),
        "slowestCall": stats.slowest_call,
    }


def _summary_line(summary: dict[str, Any]) -> str:
    held, pending = summary["held"], summary["pendingFindings"]
    return (
        f"robustness: {summary['entryPoints']} entry points ({summary['publicCallables']} public callables, "
        f"{summary['opFunctions']} op functions; {summary['entryPointsCalled']} called), {summary['calls']} calls "
        f"({summary['typedRefusals']} typed refusals); held to the bar: {held['untyped']} untyped, {held['leak']} "
        f"leaks, {held['slow']} over 1 s; {summary['pending']} pending entry points: {pending['untyped']} untyped, "
        f"{pending['leak']} leaks, {pending['slow']} over 1 s ({len(summary['pendingFoundClean'])} of them found clean: "
        f"their lines in pending.txt can go); slowest {summary['slowestCpuSeconds']:.3f} s CPU "
        f"({summary['slowestWallSeconds']:.3f} s wall): {summary['slowestCall']}"
    )


def _id(target: Target | OpTarget) -> str:
    return target.qualname.removeprefix("conformance.")


def _good(world: World, target: Target) -> dict[str, Any]:
    return {p.name: world.value(target.name, p.name, str(p.annotation), target.owner, target.function)
            for p in target.parameters}  # fmt: skip


def _instance(world: World, target: Target) -> Any:
    """A well-formed instance of the method's class: its factory, else its constructor with well-formed values."""
    assert target.owner is not None
    factory = world.factories().get(target.owner.__name__)
    if factory is not None:
        return factory()
    constructor = next((t for t in TARGETS if t.function is target.owner and t.kind == "constructor"), None)
    try:
        assert constructor is not None
        ordered, keyword_only = bind(constructor, _good(world, constructor))
        return target.owner(*[v for k, v in ordered.items() if k not in keyword_only],
                            **{k: v for k, v in ordered.items() if k in keyword_only})  # fmt: skip
    except Exception as exc:
        pytest.fail(f"no factory for {target.owner} ({type(exc).__name__} from its constructor with well-formed "
                    "values): add one to tests/robustness/good.py")  # fmt: skip


def _check(harness: Harness, world: World, target: Target, arguments: dict[str, Any]) -> None:
    """One checked call of ``target``; a constructor that accepts hostile arguments then has its methods called
    with well-formed ones (unless the class is a plain record that checks nothing)."""
    ordered, keyword_only = bind(target, arguments)
    positional = (_instance(world, target),) if target.kind in ("method", "property") else ()
    returned, value = harness.call(
        target.qualname,
        target.function,
        ordered,
        positional=positional,
        keyword_only=keyword_only,
        allow_pytest_outcomes=target.name == "check_vector",
        function_name=target.name,
    )
    if target.kind == "constructor" and returned and not is_record(target.function):
        for method in (t for t in TARGETS if t.owner is target.function and t.kind == "method"):
            good, keyword = bind(method, _good(world, method))
            harness.call(
                f"{method.qualname} (hostile instance)",
                method.function,
                good,
                positional=(value,),
                keyword_only=keyword,
                function_name=method.name,
                context=ordered,
            )


def _assert_clean(harness: Harness, label: str) -> None:
    """No finding for ``label``. A pending entry point's findings are counted and make the test an expected
    failure; a pending one found clean is counted too (the summary names it: its line in pending.txt can go)."""
    mine = [line for line in harness.findings if line.startswith(label)]
    harness.findings[:] = [line for line in harness.findings if not line.startswith(label)]
    pending = label in PENDING
    tally = harness.stats.pending if pending else harness.stats.held
    for line in dict.fromkeys(mine):
        tally[kind_of(line)] = tally.get(kind_of(line), 0) + 1
    if pending:
        (harness.stats.pending_open if mine else harness.stats.pending_clean).add(label)
        if mine:
            pytest.xfail(f"issue 21, open ({len(set(mine))} findings): {mine[0]}")
    assert not mine, "\n".join(dict.fromkeys(mine))


def test_the_harness_catches_each_kind_of_finding() -> None:
    """The bar can fail: an untyped error, a typed error quoting a secret, a log record with a secret, a slow call
    and a generator that fails late are each reported; a clean typed refusal is not."""
    import logging

    def untyped(value: Any) -> None:
        raise TypeError("inside")

    def quoting(value: Any) -> None:
        raise InvalidArgument(f"bad value {value}")

    def logging_it(value: Any) -> None:
        logging.getLogger("conformance.test").debug("got %s", value)

    def slow(value: Any) -> None:
        began = time.process_time()
        while time.process_time() - began < 0.05:
            pass

    def late(value: Any) -> Iterator[int]:
        yield 1
        raise KeyError("late")

    def clean(value: Any) -> None:
        raise InvalidArgument("value must be bytes")

    harness = Harness(slow_seconds=0.02)
    for function in (untyped, quoting, logging_it, slow, late, clean):
        harness.call(function.__name__, function, {"value": f"secret {MARK} secret"}, function_name=function.__name__)
    reported = {line.split(":")[0] for line in harness.findings}
    assert reported == {"untyped", "quoting", "logging_it", "slow", "late"}, harness.findings


def test_introspection_finds_the_public_surface() -> None:
    modules = {t.qualname.rsplit(".", 2 if t.owner else 1)[0] for t in TARGETS}
    for expected in ("vendors.khoros", "vendors.talkative", "codecs", "vectors", "selection", "pytest_plugin"):
        assert any(m.endswith(expected) for m in modules), expected
    assert len(TARGETS) >= 250
    assert {t.op for t in OP_TARGETS} <= set(catalog.op_names())
    kinds = {t.op for t in OP_TARGETS if catalog.part(t.op) is not None}
    assert kinds == {p.op for p in catalog.kind_parts()} and kinds, "the kind ops' ports are targets too"
    names = {t.qualname for t in TARGETS} | {t.qualname for t in OP_TARGETS}
    assert sorted(PENDING - names) == [], f"lines of {PENDING_FILE} that name no entry point"


def test_the_summary_says_what_was_called() -> None:
    """The report's figures come from the harness: entry points, calls, and findings by rule."""
    made = Harness()
    made.call(TARGETS[0].qualname, lambda: None, {}, function_name="x")
    made.stats.held["untyped"] = 2
    summary = _summary(made)
    assert summary["entryPoints"] == len(TARGETS) + len(OP_TARGETS) and summary["calls"] == 1
    assert summary["entryPointsCalled"] == 1 and summary["held"] == {"untyped": 2, "leak": 0, "slow": 0}
    assert "2 untyped" in _summary_line(summary) and f"{summary['entryPoints']} entry points" in _summary_line(summary)


@pytest.mark.parametrize("target", TARGETS, ids=_id)
def test_fixed_hostile_values(target: Target, world: World, harness: Harness) -> None:
    """Every fixed and every huge hostile value, in every parameter, the others well-formed."""
    good = _good(world, target)
    _check(harness, world, target, good)
    for name in good:
        for value in (*FIXED, *huge_values(), *world.paths):
            _check(harness, world, target, {**good, name: value})
    _assert_clean(harness, target.qualname)


@pytest.mark.parametrize("target", [t for t in TARGETS if t.parameters], ids=_id)
def test_random_hostile_arguments(target: Target, world: World, harness: Harness) -> None:
    """Hypothesis: hostile values in a random non-empty subset of the parameters."""
    good = _good(world, target)
    others = world.every_value()
    hostile = {name: hostile_strategy(value, others, world.paths) for name, value in good.items()}

    @RANDOM
    @given(st.data())
    def run(data: st.DataObject) -> None:
        chosen = data.draw(st.sets(st.sampled_from(sorted(good)), min_size=1))
        arguments = {name: data.draw(hostile[name]) if name in chosen else value for name, value in good.items()}
        _check(harness, world, target, arguments)

    run()
    _assert_clean(harness, target.qualname)


# --- the op tables ---------------------------------------------------------------------------------------------


def _op_args(world: World, op: str) -> dict[str, Any]:
    if op == "boldchat.pgp.seal":
        return {
            "params": f"VisitName={MARK}",
            "serverPublicKey": world.pgp["server.pub"],
            "signingPrivateKey": world.pgp["brand.sec"],
        }
    if op == "twilio.access_token.token_java":  # the layout op's arguments: only the clock differs
        op = "twilio.access_token.create_java"
    for case in vectors.load_cases():
        if case.op == op and case.result == "valid":
            return dict(case.input)
    pytest.fail(f"no valid vector for {op}: add its arguments here")


def _call_op(harness: Harness, target: OpTarget, arguments: Any) -> None:
    try:
        catalog.check_args(target.op, arguments)
    except ConformanceError:
        return  # refused before the op runs, as in every implementation
    harness.call(target.qualname, target.function, {"args": arguments}, function_name=target.op)


@pytest.mark.parametrize("target", OP_TARGETS, ids=_id)
def test_op_functions(target: OpTarget, world: World, harness: Harness) -> None:
    """Each op function, with each argument made hostile in every way its schema lets through."""
    good = _op_args(world, target.op)
    for name in good:
        for value in (*FIXED, *huge_values()):
            _call_op(harness, target, {**good, name: value})
    _assert_clean(harness, target.qualname)
    hostile = hostile_strategy(good, world.every_value(), world.paths)

    @RANDOM
    @given(st.one_of(hostile, st.dictionaries(marked_text, nested, max_size=3)))
    def run(arguments: Any) -> None:
        _call_op(harness, target, arguments)

    run()
    _assert_clean(harness, target.qualname)


# --- the vector loader on corrupt files ------------------------------------------------------------------------


def _leaves(document: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _leaves(value, (*path, index))
    else:
        yield path


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


@RANDOM
@given(data=st.data())
def test_corrupt_vector_files_name_the_path_not_the_value(world: World, data: st.DataObject) -> None:
    """A valid vector file with one value replaced by hostile JSON (holding the planted secret), or its text cut
    short or given bytes that are not UTF-8: loading it gives the document or a VectorFileError naming the file and
    the JSON path, never the value."""
    original = world.vectors / "thread_messenger.json"
    document = json.loads(original.read_text(encoding="utf-8"))
    leaf = data.draw(st.sampled_from(list(_leaves(document))))
    hostile = data.draw(st.one_of(st.just(MARK), st.just([MARK] * 3), st.just({MARK: MARK}), st.just(10**30)))
    text = json.dumps(_set(document, leaf, hostile), ensure_ascii=data.draw(st.booleans()))
    raw = text.encode("utf-8", "surrogatepass")
    cut = data.draw(st.sampled_from(["none", "truncate", "bad-utf8"]))
    if cut == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif cut == "bad-utf8":
        raw = raw[:100] + b"\xff" + raw[100:]
    path = world.vectors / "corrupt.json"
    path.write_bytes(raw)
    try:
        vectors.load_file(path)
    except VectorFileError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert MARK not in str(exc), str(exc)


def test_loader_refuses_what_is_not_a_vector_file(tmp_path: Path) -> None:
    base = tmp_path / "hostile"
    hostile_paths(base)
    expectations = {
        base / "missing": "no such vector file",
        base / "folder": "is a directory",
        base / "fifo": "not a regular file",
        base / "deep.json": "nested deeper than",
        base / "digits.json": "a number out of range",
        base / "garbage.json": "not UTF-8",
        base / "loop": "cannot be read",
    }
    for path, words in expectations.items():
        with pytest.raises(VectorFileError, match=words):
            vectors.load_file(path)
    with pytest.raises(VectorFileError, match="is a file, not a vectors directory"):
        vectors.vector_files(base / "garbage.json")
    with pytest.raises(InvalidArgument, match="NUL"):
        vectors.load_file(f"{base}/\0")


# --- the slow paths, once each, with a generous bound -----------------------------------------------------------


def _expiring_launch(digits: int) -> Any:
    params = [("Type", "chat"), ("Expiration", "9" * digits), ("ChatKey", "ck")]
    validator = BoldChatValidator(KEY16, store=MemoryReplayStore(), clock=lambda: 1)
    return validator.launch("chat", boldchat.secure_parameters_sha512(params, KEY16))


SLOW_PATHS = {
    "Cryptor.random_base64(2**31)": lambda: khoros.Cryptor(KEY16).random_base64(2**31),
    "Cryptor.random_base64(2**64)": lambda: khoros.Cryptor(KEY16).random_base64(2**64),
    "Cryptor.random_base64(MAX_RANDOM_BYTES)": lambda: khoros.Cryptor(KEY16).random_base64(khoros.MAX_RANDOM_BYTES),
    "a signed launch whose Expiration has 5,000 digits": lambda: _expiring_launch(5000),
    "a signed launch whose Expiration has 100,000 digits": lambda: _expiring_launch(100_000),
    "decrypt_string of 4 MB of garbage": lambda: khoros.SymmetricKeyEncryptionProvider(KEY16, KEY16).decrypt_string(
        "A" * (4 << 20)
    ),
    "encrypt_string of 4 MB of lone surrogates": lambda: khoros.SymmetricKeyEncryptionProvider(
        KEY16, KEY16
    ).encrypt_string("\ud800" * (4 << 20)),
    "GCM with a 1-byte IV over 4 MB": lambda: khoros.Cryptor(KEY16).encrypt_gcm(b"x" * (4 << 20), b"\1"),
    "GCM with a 1-byte IV at its bound": lambda: khoros.Cryptor(KEY16).encrypt_gcm(
        b"x" * (khoros.MAX_SLOW_GCM_BYTES - 1), b"\1"
    ),
    "verify_sha512 of 4 MB under 100 keys": lambda: boldchat.verify_sha512(
        "0" * 128 + "a" * (4 << 20), [f"{KEY16}{i}" for i in range(100)]
    ),
}


@pytest.mark.parametrize("name", SLOW_PATHS)
def test_slow_paths_finish_in_time(name: str) -> None:
    started = time.process_time()
    with contextlib.suppress(ConformanceError):
        SLOW_PATHS[name]()
    elapsed = time.process_time() - started
    assert elapsed < 1.0, f"{name}: {elapsed:.1f} s of CPU"
