"""The judge decides every verdict: these pin its rules on hand-made cases (the live ones are in test_verdicts.py)."""

from __future__ import annotations

import pytest

from conformance import judge
from conformance.errors import UsageError
from conformance.judge import Judgement, Policy
from conformance.outcome import Outcome
from conformance.vectors import VectorCase


def case(
    op: str,
    *,
    output: object = None,
    error: str | None = None,
    result: str = "valid",
    flags: tuple[str, ...] = (),
    bug_types: tuple[str, ...] = (),
) -> VectorCase:
    return VectorCase("x.json", "x", op, 1, "", flags, {}, result, output, error, {}, bug_types)


VERIFY = "khoros.widget_jwt.verify"
SIGN = "khoros.widget_jwt.sign"


def test_same_value_or_same_reason_path_passes() -> None:
    assert judge.judge(case(VERIFY, output={"a": 1}), Outcome.of_value({"a": 1})).verdict == "pass"
    assert judge.judge(case(VERIFY, error="KidMismatch"), Outcome.of_error("KidMismatch")).verdict == "pass"


def test_both_refuse_for_different_reasons() -> None:
    verdict = judge.judge(case(VERIFY, error="KidMismatch", result="invalid"), Outcome.of_error("BadSignature"))
    assert verdict.verdict == "reason_mismatch" and "KidMismatch" in verdict.why


@pytest.mark.parametrize(
    ("bug_types", "expected"), [(("KID_BYPASS",), "unsafe"), (("WRONG_KEY",), "fail"), (("MALFORMED",), "fail")]
)
def test_accepting_what_the_reference_refuses(bug_types: tuple[str, ...], expected: str) -> None:
    vector = case(VERIFY, error="KidMismatch", result="invalid", flags=("F",), bug_types=bug_types)
    assert judge.judge(vector, Outcome.of_value({"userId": "u"})).verdict == expected


def test_refusing_what_the_reference_accepts_fails() -> None:
    verdict = judge.judge(case(VERIFY, output={"a": 1}), Outcome.of_error("BadSignature"))
    assert verdict.verdict == "fail" and "refuses what the reference accepts" in verdict.why


def test_a_consumer_that_refuses_with_a_value() -> None:
    """thread.verify_connection_key refuses with false: true there is an acceptance of what the reference refuses."""
    refused = case("thread.verify_connection_key", output=False, bug_types=("MAC_BYPASS",))
    assert judge.judge(refused, Outcome.of_value(True)).verdict == "unsafe"
    assert judge.judge(refused, Outcome.of_error("InvalidArgument")).verdict == "reason_mismatch"
    launches = case("boldchat.validator.launch", output=[{"ok": {}}, {"error": {}}], bug_types=("REPLAY_BYPASS",))
    assert judge.judge(launches, Outcome.of_value([{"ok": {}}, {"ok": {}}])).verdict == "unsafe"
    assert judge.judge(launches, Outcome.of_value([{"error": {}}, {"error": {}}])).verdict == "fail"


def test_acceptable_vectors_answered_differently_are_deviations() -> None:
    vector = case(VERIFY, error="KidMismatch", result="acceptable", bug_types=("KID_BYPASS",))
    assert judge.judge(vector, Outcome.of_value({})).verdict == "deviation"


def test_unsupported_is_a_failure_only_for_a_declared_op() -> None:
    assert judge.judge(case(VERIFY, output=1), Outcome("unsupported")).verdict == "unsupported"
    assert judge.judge(case(VERIFY, output=1), Outcome("unsupported"), declared=True).verdict == "fail"
    assert judge.judge(case(VERIFY, output=1), Outcome("io", message="m")).verdict == "io"


def test_a_producing_op_with_other_bytes_is_pending_until_the_consumers_decide() -> None:
    pending = judge.judge(case(SIGN, output="a.b.c"), Outcome.of_value("x.y.z"))
    assert pending.verdict == "fail" and pending.pending
    same = {"node": (Outcome.of_value({"u": 1}), Outcome.of_value({"u": 1}))}
    assert judge.equivalence(pending, same) == Judgement(
        "equivalent", "different bytes, accepted by node with the same content", ("node",)
    )
    other = {"node": (Outcome.of_value({"u": 2}), Outcome.of_value({"u": 1}))}
    assert judge.equivalence(pending, other).verdict == "fail"
    refused = {"node": (Outcome.of_error("BadSignature"), Outcome.of_value({"u": 1}))}
    assert "BadSignature" in judge.equivalence(pending, refused).why
    assert judge.equivalence(pending, {}).verdict == "fail"
    not_pending = judge.judge(case(VERIFY, output={"a": 1}), Outcome.of_value({"a": 2}))
    assert not not_pending.pending and judge.equivalence(not_pending, same) is not_pending


def test_severity_order_and_worst() -> None:
    assert judge.VERDICTS[0] == "unsafe" and judge.VERDICTS[-1] == "unsupported"
    assert judge.worst(["pass", "equivalent", "io", "reason_mismatch"]) == "io"
    assert judge.worst([], default="pass") == "pass"


def test_gate_policy() -> None:
    assert Policy.from_options(strict=False).fail_on == {"unsafe", "fail", "io"}
    assert "unavailable" in Policy.from_options(strict=True).fail_on
    assert Policy.from_options("unsafe", strict=False).fail_on == {"unsafe"}
    with pytest.raises(UsageError, match="unknown verdict"):
        Policy.from_options("fail,failed", strict=False)
    policy = Policy.from_options(strict=False)
    assert "reason_mismatch" in policy.for_implementation("python", True)
    assert "reason_mismatch" not in policy.for_implementation("node", True)
    assert "unavailable" in policy.for_implementation("mine", False)
    assert judge.is_failure("fail", policy) and not judge.is_failure("equivalent", policy)


def test_ci_makes_the_policy_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert Policy.from_options().strict
    monkeypatch.delenv("CI")
    assert not Policy.from_options().strict
