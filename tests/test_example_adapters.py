"""The example adapters of examples/adapters/, run as real processes against every vector of every op they declare."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Iterator

import pytest

from conformance.errors import ConformanceError
from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT
from conformance.references.jsonlines import JsonLinesProcess
from conformance.vectors import VectorCase, load_cases
from tests.conftest import require_reference

NODE_COMMAND = "node examples/adapters/node/adapter.mjs"
JAVA_COMMAND = (
    "java -Dfile.encoding=UTF-8 -cp 'java_ref/target/handoff-java-ref.jar:java_ref/target/lib/*' "
    "examples/adapters/java/Adapter.java"
)

KHOROS_OPS = {
    "khoros.skep.encrypt",
    "khoros.skep.decrypt",
    "khoros.cryptor.aes_hash_block",
    "khoros.cryptor.encrypt_cbc",
    "khoros.cryptor.decrypt_cbc",
    "khoros.cryptor.encrypt_gcm",
    "khoros.cryptor.decrypt_gcm",
}
THREAD_OPS = {
    "thread.text_bytes",
    "thread.connection_key",
    "thread.connection_key_bytes",
    "thread.verify_connection_key",
    "thread.messenger_params",
}


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


def _expected(case: VectorCase) -> tuple[object, ...]:
    return ("error", case.error) if case.expects_error else ("value", case.output)


def _mismatches(process: JsonLinesProcess) -> tuple[list[VectorCase], list[str]]:
    declared = process.ops()
    cases = [case for case in load_cases() if case.op in declared]
    outcomes = process.call_many([(case.op, case.input) for case in cases])
    wrong = [
        f"{case.case_id} ({case.op}, {case.comment}): expected {_expected(case)!r}, got {outcome.describe()}"
        for case, outcome in zip(cases, outcomes, strict=True)
        if outcome.comparable() != _expected(case)
    ]
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
