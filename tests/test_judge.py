"""The judge decides every verdict: these pin its rules on hand-made cases (the live ones are in test_verdicts.py)."""

from __future__ import annotations

import pytest

from conformance import judge
from conformance.errors import UsageError
from conformance.judge import Policy
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


def test_a_producing_op_with_other_bytes_is_judged_by_what_the_reference_consumers_answer() -> None:
    signed = case(SIGN, output="a.b.c")
    other = Outcome.of_value("x.y.z")
    assert judge.needs_consumers(signed, other) and not judge.needs_consumers(signed, Outcome.of_value("a.b.c"))
    same = {"node": (Outcome.of_value({"u": 1}), Outcome.of_value({"u": 1}))}
    verdict = judge.judge(signed, other, consumed=same)
    assert (verdict.verdict, verdict.consumers) == ("equivalent", ("node",))
    assert "node answers both alike (the same content)" in verdict.why
    differs = {"node": (Outcome.of_value({"u": 2}), Outcome.of_value({"u": 1}))}
    assert judge.judge(signed, other, consumed=differs).verdict == "fail"
    refused = {"node": (Outcome.of_error("BadSignature"), Outcome.of_value({"u": 1}))}
    verdict = judge.judge(signed, other, consumed=refused)
    assert verdict.verdict == "fail" and "refused: BadSignature" in verdict.why
    assert judge.judge(signed, other).verdict == "fail"  # no consumer asked: the different value stands
    assert "no reference consumer" in judge.judge(signed, other, consumed={}).why


def test_the_same_refusal_of_both_outputs_is_equivalent() -> None:
    """jsonwebtoken mangles a kid; a signer that only orders the header otherwise gets the same KidMismatch."""
    signed = case(SIGN, output="a.b.c")
    both = {
        "node": (Outcome.of_error("KidMismatch", "m"), Outcome.of_error("KidMismatch", "m")),
        "java": (Outcome.of_error("KidMismatch"), Outcome.of_error("KidMismatch")),
    }
    verdict = judge.judge(signed, Outcome.of_value("x.y.z"), consumed=both)
    assert verdict.verdict == "equivalent" and verdict.consumers == ("node", "java")
    assert "the same refusal" in verdict.why and "KidMismatch" in verdict.why
    reasons = {"node": (Outcome.of_error("MalformedToken"), Outcome.of_error("KidMismatch"))}
    assert judge.judge(signed, Outcome.of_value("x.y.z"), consumed=reasons).verdict == "fail"


def test_an_output_accepted_where_the_reference_own_is_refused_exceeds_it() -> None:
    signed = case(SIGN, output="a.b.c")
    better = {"node": (Outcome.of_value({"u": 1}), Outcome.of_error("KidMismatch"))}
    verdict = judge.judge(signed, Outcome.of_value("x.y.z"), consumed=better)
    assert verdict.verdict == "exceeds" and "refuses the reference's own output (refused: KidMismatch)" in verdict.why
    mixed = {**better, "java": (Outcome.of_error("BadSignature"), Outcome.of_error("KidMismatch"))}
    assert judge.judge(signed, Outcome.of_value("x.y.z"), consumed=mixed).verdict == "fail"
    assert not judge.is_failure("exceeds", Policy.from_options(strict=False))
    assert judge.SEVERITY["reason_mismatch"] > judge.SEVERITY["exceeds"] > judge.SEVERITY["equivalent"]


def test_words_say_accepted_or_refused_for_a_decision_op_and_quote_the_flag() -> None:
    vector = case("thread.verify_connection_key", output=False, flags=("TruncatedKey",), bug_types=("MAC_BYPASS",))
    vector = VectorCase(
        **{**vector.__dict__, "notes": ("TruncatedKey: A prefix of the key does not verify. (MAC_BYPASS)",)}
    )
    verdict = judge.judge(vector, Outcome.of_value(True))
    assert verdict.verdict == "unsafe"
    assert "expected refused (false), got accepted (true)" in verdict.why
    assert "A prefix of the key does not verify. (MAC_BYPASS)" in verdict.why
    mismatch = judge.judge(vector, Outcome.of_error("UnencodableText"))
    assert "got refused: UnencodableText" in mismatch.why and "a value" not in mismatch.why


def test_interop_cells_are_decided_by_the_judge_and_an_empty_cell_never_passes() -> None:
    good = judge.interop("p", "c", [Outcome.of_value("t")], [(Outcome.of_value("x"), "x")])
    assert (good.verdict, good.passed, good.total) == ("pass", 1, 1)
    bad = judge.interop("p", "c", [Outcome.of_value("t")], [(Outcome.of_error("BadTag"), "x")])
    assert bad.verdict == "fail" and bad.failed == (0,) and "BadTag" in bad.why
    empty = judge.interop("p", "c", [], [])
    assert empty.verdict != "pass" and empty.total == 0
    refused = judge.interop("p", "c", [Outcome.of_error("EmptyKey")], [])
    assert refused.verdict == "fail"


def test_campaign_cases_are_decided_by_the_judge() -> None:
    assert judge.campaign("thread.text_bytes", {}, Outcome.of_value("5a"), Outcome.of_value("5a")).verdict == "pass"
    divergence = judge.campaign("thread.text_bytes", {}, Outcome.of_value("5a"), Outcome.of_value("5b"))
    assert divergence.verdict == "fail" and divergence.flag == ""


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


def test_the_readme_verdict_table_is_written_from_the_verdict_table() -> None:
    from conformance import verdicts
    from conformance.paths import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert verdicts.readme_block() in readme, "run: python tools/write_readme_blocks.py"
