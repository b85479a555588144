"""The JSON-lines client against real misbehaving processes (tests/fixtures/adapters/crashy.py): no mocks."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.errors import ReferenceFailure, ReferenceUnavailable
from conformance.jsonlines import JsonLinesProcess, RemoteError, unwrap
from conformance.outcome import Outcome, capture

CRASHY = Path(__file__).parent / "fixtures" / "adapters" / "crashy.py"


def crashy(mode: str = "normal", timeout: float = 5.0) -> JsonLinesProcess:
    return JsonLinesProcess([sys.executable, str(CRASHY), mode], timeout=timeout, name="crashy")


@pytest.fixture
def adapter() -> Iterator[JsonLinesProcess]:
    process = crashy()
    yield process
    process.close()


def test_hello_lists_ops_and_versions(adapter: JsonLinesProcess) -> None:
    hello = adapter.start()
    assert hello["name"] == "crashy"
    assert hello["versions"] == {"crashy": "0"}
    assert adapter.ops() == {"echo", "fail", "crash", "hang", "garbage", "pid"}


def test_values_and_typed_errors_in_one_batch(adapter: JsonLinesProcess) -> None:
    args = {"text": "a\ud800b\U0001f600", "n": [1, None]}
    outcomes = adapter.call_many([("echo", args), ("fail", {}), ("echo", {})])
    assert outcomes[0] == Outcome.of_value(args), "a lone surrogate must survive the round trip"
    assert outcomes[1].status == "error" and outcomes[1].reason == "Outer/Inner"
    assert outcomes[2] == Outcome.of_value({})


def test_unknown_op_answered_unsupported(adapter: JsonLinesProcess) -> None:
    assert adapter.call("nope", {}).status == "unsupported"


def test_a_crash_costs_only_the_call_it_crashed_on(adapter: JsonLinesProcess) -> None:
    first_pid = adapter.call("pid", {}).value
    outcomes = adapter.call_many([("echo", {"i": 1}), ("crash", {}), ("echo", {"i": 2}), ("pid", {})])
    assert outcomes[0] == Outcome.of_value({"i": 1}), "an answer that arrived before the crash is kept"
    assert outcomes[1].status == "io"
    assert "exited with status 3" in (outcomes[1].message or "")
    assert "crashing on purpose" in (outcomes[1].message or ""), "the stderr tail explains the crash"
    assert outcomes[2] == Outcome.of_value({"i": 2}), "a call after the crash is retried, not lost"
    assert outcomes[3].value != first_pid, "and answered by a fresh process"
    assert adapter.restarts == 1


def test_a_process_killed_from_outside_is_reaped_without_a_call(adapter: JsonLinesProcess) -> None:
    """Its reader reaps it once its output ends (no zombie left: a Jupyter kernel's shutdown waits for its
    children), before any call looks at it."""
    adapter.start()
    process = adapter._process
    assert process is not None and process.returncode is None
    process.terminate()
    deadline = time.monotonic() + 10
    while process.returncode is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.returncode is not None, "the ended process is still a zombie"


def test_crashes_in_a_large_batch_score_io_only_where_they_happened(adapter: JsonLinesProcess) -> None:
    """Three crashes among 600 calls (ten windows): exactly three io, and every other call answered."""
    crash_at = {5, 250, 599}
    calls = [("crash", {}) if i in crash_at else ("echo", {"i": i}) for i in range(600)]
    outcomes = adapter.call_many(calls)
    assert {i for i, o in enumerate(outcomes) if o.status == "io"} == crash_at
    assert all(outcomes[i] == Outcome.of_value({"i": i}) for i in range(600) if i not in crash_at)
    assert adapter.restarts == 2, "a restart for each crash that left calls to answer"
    assert adapter.call("echo", {}).status == "value" and adapter.restarts == 3


def test_a_hang_costs_only_the_call_it_hung_on() -> None:
    process = crashy(timeout=0.5)
    try:
        began = time.monotonic()
        outcomes = process.call_many([("echo", {}), ("hang", {}), ("echo", {"after": 1}), ("echo", {"after": 2})])
        assert time.monotonic() - began < 5
        assert outcomes[0].status == "value"
        assert outcomes[1].status == "io"
        assert "no answer within 0.5s" in (outcomes[1].message or "")
        assert outcomes[2:] == [Outcome.of_value({"after": 1}), Outcome.of_value({"after": 2})]
        assert process.restarts == 1
        assert process.call("echo", {"back": True}) == Outcome.of_value({"back": True})
    finally:
        process.close()


def test_a_hang_with_a_batch_larger_than_the_pipe_buffer_loses_nothing_else() -> None:
    process = crashy(timeout=0.5)
    try:
        big = {"blob": "x" * 100_000}
        began = time.monotonic()
        outcomes = process.call_many([("hang", {}), *[("echo", big)] * 5])
        assert time.monotonic() - began < 5, "writing to a process that no longer reads must not block"
        assert outcomes[0].status == "io"
        assert outcomes[1:] == [Outcome.of_value(big)] * 5
    finally:
        process.close()


def test_garbage_lines_are_ignored_and_kept(adapter: JsonLinesProcess) -> None:
    assert adapter.call("garbage", {}) == Outcome.of_value("after garbage")
    assert list(adapter.garbage) == ["this is not JSON"]


def test_banner_before_hello_is_skipped() -> None:
    process = crashy("banner")
    try:
        assert process.start()["name"] == "crashy"
        assert list(process.garbage) == ["crashy adapter v0 starting"]
    finally:
        process.close()


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("no-hello", "the first message is not a hello"),
        ("silent", "no hello line within 0.5s"),
        ("exit", "refusing to start"),
    ],
)
def test_no_hello_is_unavailable_and_sticky(mode: str, why: str) -> None:
    process = crashy(mode, timeout=0.5)
    try:
        with pytest.raises(ReferenceUnavailable, match=why):
            process.start()
        began = time.monotonic()
        outcomes = process.call_many([("echo", {}), ("echo", {})])
        assert [o.status for o in outcomes] == ["unavailable", "unavailable"]
        assert time.monotonic() - began < 0.4, "an adapter known to be unavailable is not waited for again"
    finally:
        process.close()


def test_missing_program_is_unavailable() -> None:
    process = JsonLinesProcess(["/nonexistent/adapter"], timeout=1)
    assert process.call("echo", {}).status == "unavailable"
    with pytest.raises(ReferenceUnavailable, match="cannot start"):
        process.ops()


def test_close_then_call_starts_again(adapter: JsonLinesProcess) -> None:
    assert adapter.call("echo", {}).status == "value"
    adapter.close()
    assert adapter.call("echo", {"x": 1}) == Outcome.of_value({"x": 1})


def test_op_function_and_unwrap(adapter: JsonLinesProcess) -> None:
    assert adapter.op_function("echo")({"a": 1}) == {"a": 1}
    failed = capture(adapter.op_function("fail"), {})
    assert failed.status == "error" and failed.reason == "Outer/Inner"
    with pytest.raises(RemoteError):
        unwrap(Outcome.of_error("X", "m"))
    with pytest.raises(ReferenceFailure, match="io: boom"):
        unwrap(Outcome("io", message="boom"))


def test_unlisted_op_is_unsupported_for_the_runner() -> None:
    """The runner sends an adapter only the ops its hello lists; every other op is *unsupported*, unsent."""
    from conformance.contract import adapter

    implementation = adapter(f"crashy={sys.executable} {CRASHY}", timeout=5)
    try:
        outcomes = implementation.call_many([("echo", {"x": 1}), ("khoros.skep.decrypt", {})])
        assert outcomes[0] == Outcome.of_value({"x": 1})
        assert outcomes[1].status == "unsupported"
    finally:
        implementation.close()
