"""The example adapters of examples/adapters/, run as real processes against every vector of every op they declare."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Iterator

import pytest

from conformance import catalog, judge
from conformance.contract import JsonLinesImplementation
from conformance.errors import ConformanceError
from conformance.jsonlines import JsonLinesProcess
from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT
from conformance.vectors import VectorCase, load_cases
from tests.conftest import require_reference

NODE_COMMAND = "node examples/adapters/node/adapter.mjs"
JAVA_COMMAND = (
    "java -Dfile.encoding=UTF-8 -cp 'java_ref/target/handoff-java-ref.jar:java_ref/target/lib/*' "
    "examples/adapters/java/Adapter.java"
)

#: The ops each example declares at least: every op of the flows it covers (from the catalog).
KHOROS_OPS = {"khoros.skep.encrypt", "khoros.skep.decrypt", *catalog.flow("khoros_cryptor").op_names}
THREAD_OPS = set(catalog.flow("thread_messenger").op_names)


def _node_problem() -> str | None:
    return None if shutil.which("node") else "node is not on PATH"


def _java_problem() -> str | None:
    if shutil.which("java") is None:
        return "no Java runtime: install a JDK 17"
    from conformance.references import java

    try:
        java.ensure_built()  # the adapter's classpath: java_ref's jar and its lib/ (built with Maven if missing)
    except ConformanceError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="module")
def node_adapter() -> Iterator[JsonLinesProcess]:
    require_reference("node", _node_problem)
    process = JsonLinesProcess(shlex.split(NODE_COMMAND), cwd=REPO_ROOT, timeout=60, name="example-node")
    yield process
    process.close()


@pytest.fixture(scope="module")
def java_adapter() -> Iterator[JsonLinesProcess]:
    require_reference("java", _java_problem)
    process = JsonLinesProcess(shlex.split(JAVA_COMMAND), cwd=REPO_ROOT, timeout=60, name="example-java")
    yield process
    process.close()


def _mismatches(process: JsonLinesProcess) -> tuple[list[VectorCase], list[str]]:
    """Every vector of every op the adapter declares, judged: anything but a pass is listed."""
    declared = process.ops()
    cases = [case for case in load_cases() if case.op in declared]
    adapter = JsonLinesImplementation(process.name, lambda: process, builtin=False)
    outcomes = adapter.call_many([(case.op, case.input) for case in cases])
    wrong = []
    for case, outcome in zip(cases, outcomes, strict=True):
        verdict = judge.judge(case, outcome, declared=True)
        if verdict.verdict != "pass":
            wrong.append(f"{case.case_id} ({case.op}, {case.comment}): {verdict.verdict}: {verdict.why}")
    return cases, wrong


def test_node_adapter_passes_every_vector_of_its_ops(node_adapter: JsonLinesProcess) -> None:
    assert node_adapter.ops() >= KHOROS_OPS | THREAD_OPS
    cases, wrong = _mismatches(node_adapter)
    assert len(cases) >= 500
    assert not wrong, "\n".join(wrong[:20])


def test_java_adapter_passes_every_khoros_vector(java_adapter: JsonLinesProcess) -> None:
    assert java_adapter.ops() >= KHOROS_OPS | {"khoros.payload.decrypt"}
    assert java_adapter.hello["versions"]["file.encoding"] == "UTF-8"
    cases, wrong = _mismatches(java_adapter)
    assert {case.op for case in cases} == java_adapter.ops()
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("which", ["node_adapter", "java_adapter"])
def test_lone_surrogates_cross_exactly(which: str, request: pytest.FixtureRequest) -> None:
    """A lone surrogate goes in as one UTF-16 unit and is encoded as Java does ('?'), not as U+FFFD."""
    process: JsonLinesProcess = request.getfixturevalue(which)
    outcome = process.call("khoros.cryptor.aes_hash_block", {"s": "a\ud800b"})
    question_mark = process.call("khoros.cryptor.aes_hash_block", {"s": "a?b"})
    assert outcome.status == "value" and outcome == question_mark


@pytest.mark.parametrize("which", ["node_adapter", "java_adapter"])
def test_unknown_op_is_answered_unsupported(which: str, request: pytest.FixtureRequest) -> None:
    process: JsonLinesProcess = request.getfixturevalue(which)
    assert process.call("no.such.op", {}) == Outcome("unsupported", message="no.such.op is not implemented here")
