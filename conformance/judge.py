"""The judge: the only code that decides what a case expects and which verdict an answer earns.

Verdicts, most severe first (their words and colours: :mod:`conformance.verdicts`):

* ``unsafe``: it accepts (returns a value that accepts) what the reference refuses, on a vector whose flags the
  vector file's notes mark as security-relevant (:data:`SECURITY_BUG_TYPES`);
* ``fail``: a different value; a refusal of what the reference accepts; an acceptance of what the reference refuses
  on a vector that is not security-relevant; an op the implementation declared and then answered "unsupported";
* ``io``: it crashed, hung or answered garbage; ``unavailable``: its runtime is missing;
* ``reason_mismatch``: both refuse, for different reasons;
* ``exceeds``: a producing op's output differs from the reference's, and a reference consumer of the flow accepts it
  where it refuses the reference's own output (a PyJWT signer writes the ``kid`` that jsonwebtoken mangles). The
  candidate does not reproduce a bug of the reference: not a failure of it by default, but never silent; it ranks
  above ``equivalent`` because the two outputs are not interchangeable (``--fail-on exceeds`` where byte fidelity is
  the promise);
* ``equivalent``: a producing op's output differs in bytes from the reference's, but every reference consumer of
  the flow answers it as it answers the reference's own output: the same content, or the same refusal (a signer that
  orders the JWT header differently);
* ``deviation``: an ``acceptable`` vector answered differently, as DEVIATIONS.md allows;
* ``pass``: the same value, or the same error reason path; ``unsupported``: the implementation lacks the op.

:func:`judge` gives a vector's verdict in one call; for a producing op's different value it needs what the flow's
reference consumers answered (:func:`needs_consumers` says when; the runner asks them). :func:`interop` gives an
interop cell's verdict, :func:`campaign` a campaign case's. A gate fails on a configurable set of verdicts
(:class:`Policy`, :func:`is_failure`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conformance import allowances, catalog, wording
from conformance.arguments import require_bool, require_instance, require_mapping, require_str, require_strings
from conformance.errors import InvalidArgument, UsageError
from conformance.outcome import Outcome
from conformance.verdicts import SEVERITY, VERDICTS, Verdict

if TYPE_CHECKING:
    from conformance.vectors import VectorCase

__all__ = [
    "DEFAULT_FAIL_ON",
    "SECURITY_BUG_TYPES",
    "SEVERITY",
    "VERDICTS",
    "CellJudgement",
    "Judgement",
    "Policy",
    "Verdict",
    "campaign",
    "ci_strict",
    "decisions",
    "expected_outcome",
    "interop",
    "is_failure",
    "judge",
    "needs_consumers",
    "same",
    "worst",
]

#: bugTypes (a vector file's ``notes``) whose acceptance by an implementation, where the reference refuses, is a
#: security hole rather than a difference.
SECURITY_BUG_TYPES = frozenset(
    {
        "SIGNATURE_BYPASS",
        "MAC_BYPASS",
        "PADDING_BYPASS",
        "ALG_CONFUSION",
        "KID_BYPASS",
        "EXPIRY_BYPASS",
        "REPLAY_BYPASS",
        "INTEGRITY_BYPASS",
    }
)

DEFAULT_FAIL_ON = frozenset({"unsafe", "fail", "io"})

#: What the reference consumers answered for one producing case: consumer name -> (its answer to the candidate's
#: output, its answer to the reference's own output).
Consumed = Mapping[str, tuple[Outcome, Outcome]]


@dataclass(frozen=True)
class Judgement:
    """A verdict and the words saying why; ``consumers`` names the reference consumers behind ``equivalent`` or
    ``exceeds``; ``flag`` names the documented deviation a campaign case is."""

    verdict: Verdict
    why: str = ""
    consumers: tuple[str, ...] = ()
    flag: str = ""


def _case(case: Any) -> VectorCase:
    """``case`` when it is a :class:`~conformance.vectors.VectorCase`. Raises :class:`InvalidArgument` otherwise."""
    from conformance.vectors import VectorCase

    return require_instance(case, "case", VectorCase)  # type: ignore[no-any-return]


def _outcome(outcome: Any, name: str = "outcome") -> Outcome:
    return require_instance(outcome, name, Outcome)  # type: ignore[no-any-return]


def _outcomes(outcomes: Any, name: str) -> tuple[Outcome, ...]:
    """``outcomes`` as a tuple when it is a sequence of Outcomes. Raises :class:`InvalidArgument` otherwise."""
    if isinstance(outcomes, (str, bytes)) or not isinstance(outcomes, Sequence):
        raise InvalidArgument(f"{name} must be a sequence of Outcomes")
    return tuple(_outcome(item, name) for item in outcomes)


def _consumed(consumed: Any) -> Consumed:
    """``consumed`` when it maps each consumer's name to a pair of Outcomes. Raises :class:`InvalidArgument`."""
    consumed = require_mapping(consumed, "consumed")
    for name, pair in consumed.items():
        if not isinstance(name, str) or not (
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(o, Outcome) for o in pair)
        ):
            raise InvalidArgument("consumed must map each consumer's name to a pair of Outcomes")
    return consumed


# --- what a case expects ----------------------------------------------------------------------------------------------


def expected_outcome(case: VectorCase) -> Outcome:
    """The reference's answer a vector records: its output, or its error reason path."""
    case = _case(case)
    return Outcome.of_error(case.error or "") if case.expects_error else Outcome.of_value(case.output)


def same(first: Outcome, second: Outcome) -> bool:
    """Whether two answers count as the same: equal values, or equal error reason paths."""
    first, second = _outcome(first, "first"), _outcome(second, "second")
    if first.status != second.status:
        return False
    if first.status == "value":
        return bool(first.value == second.value)
    if first.status == "error":
        return first.reason == second.reason
    return True


def _operation(op_name: str) -> catalog.Op | None:
    try:
        return catalog.op(op_name)
    except UsageError:
        return None


def decisions(op_name: str, outcome: Outcome) -> tuple[bool, ...] | None:
    """Per judged item, whether ``outcome`` accepts it; ``None`` for ops that do not consume."""
    op_name, outcome = require_str(op_name, "op_name"), _outcome(outcome)
    operation = _operation(op_name)
    if operation is None or not operation.consumes:
        return None
    if outcome.status != "value":
        return (False,)
    return operation.decisions(outcome.value)


def _refuses(op_name: str, outcome: Outcome) -> bool:
    if outcome.status == "error":
        return True
    decided = decisions(op_name, outcome)
    return decided is not None and not any(decided)


def _accepts(op_name: str, outcome: Outcome) -> bool:
    """Whether ``outcome`` accepts (a value; for a decision op, one that accepts every item)."""
    if outcome.status != "value":
        return False
    decided = decisions(op_name, outcome)
    return decided is None or all(decided)


def _accepts_refused(op_name: str, expected: Outcome, actual: Outcome) -> bool:
    """Whether ``actual`` accepts an item that ``expected`` (the reference) refuses."""
    if actual.status != "value":
        return False
    if expected.status == "error":
        return True
    wanted, given = decisions(op_name, expected), decisions(op_name, actual)
    if wanted is None or given is None:
        return False
    return any(g and not w for w, g in zip(wanted, given, strict=False))


def security_relevant(case: VectorCase) -> bool:
    """Whether any of the vector's flags has a security-relevant bugType in its file's notes."""
    case = _case(case)
    return bool(set(case.bug_types) & SECURITY_BUG_TYPES)


def _answers(case: VectorCase, expected: Outcome, actual: Outcome) -> str:
    return f"expected {wording.answer(expected, case.op)}, got {wording.answer(actual, case.op)}"


def _with_notes(text: str, case: VectorCase) -> str:
    meaning = wording.notes(case.notes) or ", ".join(case.flags)
    return f"{text}; {meaning}" if meaning else text


# --- the verdict of one answer ----------------------------------------------------------------------------------------


def needs_consumers(case: VectorCase, outcome: Outcome) -> bool:
    """Whether ``outcome``'s verdict depends on what the flow's reference consumers answer: a producing op's
    value that differs from the value the vector records (on a non-``acceptable`` vector)."""
    case, outcome = _case(case), _outcome(outcome)
    operation = _operation(case.op)
    return (
        operation is not None
        and operation.role == "produces"
        and case.result != "acceptable"
        and not case.expects_error
        and outcome.status == "value"
        and outcome.value != case.output
    )


def judge(  # noqa: PLR0911 (a decision table)
    case: VectorCase, outcome: Outcome, *, declared: bool = False, consumed: Consumed | None = None
) -> Judgement:
    """The verdict of ``outcome`` for ``case``. ``declared`` says the implementation claimed the op; ``consumed``
    is what the reference consumers answered when :func:`needs_consumers` (none asked: the different value fails).
    Raises :class:`InvalidArgument` for arguments of the wrong types."""
    case, outcome, declared = _case(case), _outcome(outcome), require_bool(declared, "declared")
    consumed = _consumed(consumed) if consumed is not None else None
    if outcome.status == "unsupported":
        if declared:
            return Judgement("fail", f"declared {case.op} but answered unsupported")
        return Judgement("unsupported")
    if outcome.status in ("unavailable", "io"):
        return Judgement(outcome.status, outcome.message or "")  # type: ignore[arg-type]
    expected = expected_outcome(case)
    if same(expected, outcome):
        return Judgement("pass")
    if case.result == "acceptable":
        return Judgement("deviation", _with_notes(f"acceptable vector: {_answers(case, expected, outcome)}", case))
    if _refuses(case.op, expected) and _refuses(case.op, outcome):
        return Judgement("reason_mismatch", f"both refuse, for different reasons: {_answers(case, expected, outcome)}")
    if _accepts_refused(case.op, expected, outcome):
        verdict: Verdict = "unsafe" if security_relevant(case) else "fail"
        return Judgement(
            verdict, _with_notes(f"accepts what the reference refuses: {_answers(case, expected, outcome)}", case)
        )
    if expected.status == "value" and outcome.status == "error":
        return Judgement("fail", f"refuses what the reference accepts: {_answers(case, expected, outcome)}")
    if needs_consumers(case, outcome):
        return _by_consumers(case, consumed or {})
    return Judgement("fail", f"a different value{_where(expected, outcome)}: {_answers(case, expected, outcome)}")


def _where(expected: Outcome, actual: Outcome) -> str:
    """`` at character N`` for two different strings (where the shortened words may not show it)."""
    left, right = expected.value, actual.value
    if not isinstance(left, str) or not isinstance(right, str):
        return ""
    index = next((i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b), min(len(left), len(right)))
    return f" from character {index} on"


def _by_consumers(case: VectorCase, consumed: Consumed) -> Judgement:
    """A producing op's different value, judged by how each reference consumer answers it and the reference's own
    output: ``equivalent`` when every one answers both alike, ``exceeds`` when one accepts it and refuses the
    reference's (and none tells them apart otherwise), else ``fail`` naming the consumer that told them apart."""
    if not consumed:
        return Judgement("fail", "a different value, and no reference consumer could check it")
    trip = catalog.round_trip_of(case.op)
    consumer_op = trip.consumer_op if trip is not None else None
    exceeded: list[str] = []
    alike: list[str] = []
    for name, (answer, reference) in consumed.items():
        mine, theirs = wording.answer(answer, consumer_op, 60), wording.answer(reference, consumer_op, 60)
        if same(answer, reference):
            alike.append(name)
        elif _accepts(consumer_op or "", answer) and _refuses(consumer_op or "", reference):
            exceeded.append(name)
        else:
            return Judgement(
                "fail", f"a different value; reference consumer {name} answers it {mine}, the reference's own {theirs}"
            )
    names = tuple(consumed)
    if exceeded:
        first = consumed[exceeded[0]]
        return Judgement(
            "exceeds",
            f"a different value that {', '.join(exceeded)} accepts ({wording.answer(first[0], consumer_op, 60)}) where "
            f"it refuses the reference's own output ({wording.answer(first[1], consumer_op, 60)})",
            names,
        )
    answer, reference = consumed[names[0]]
    how = (
        "the same content"
        if reference.status == "value" and _accepts(consumer_op or "", reference)
        else (f"the same refusal, as of the reference's own output: {wording.answer(reference, consumer_op, 60)}")
    )
    verb = "answers" if len(names) == 1 else "answer"
    return Judgement("equivalent", f"different bytes; {', '.join(names)} {verb} both alike ({how})", names)


# --- interop cells and campaign cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellJudgement:
    """An interop cell's verdict (the worst of its items), its counts, why, and which checked items failed."""

    verdict: Verdict
    passed: int
    total: int
    why: str
    failed: tuple[int, ...]  # indexes into the consumer's answers


def interop(
    producer: str,
    consumer: str,
    produced: Sequence[Outcome],
    answers: Sequence[tuple[Outcome, Any]],
) -> CellJudgement:
    """One interop cell: what ``producer`` made (``produced``, one per input) and ``consumer``'s answer to each
    usable output with the content it must recover (``answers``). The cell takes the worst item's verdict; a cell
    that checked nothing is never ``pass`` (it reads ``unsupported``, or the producer's failure). Raises
    :class:`InvalidArgument` for arguments of the wrong types."""
    producer, consumer = require_str(producer, "producer"), require_str(consumer, "consumer")
    produced = _outcomes(produced, "produced")
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise InvalidArgument("answers must be a sequence of (Outcome, content) pairs")
    for item in answers:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Outcome)):
            raise InvalidArgument("answers must be a sequence of (Outcome, content) pairs")
    verdict: Verdict = "pass"
    why = ""

    def worsen(candidate: Verdict, text: str) -> None:
        nonlocal verdict, why
        if SEVERITY[candidate] > SEVERITY[verdict]:
            verdict, why = candidate, text

    for out in produced:
        if out.status != "value":
            status: Verdict = out.status if out.status in {"unsupported", "unavailable", "io"} else "fail"  # type: ignore[assignment]
            worsen(status, f"producer {producer}: {out.describe()[:200]}")
    passed, failed = 0, []
    for index, (answer, content) in enumerate(answers):
        if answer.status == "value" and answer.value == content:
            passed += 1
            continue
        failed.append(index)
        status = answer.status if answer.status in {"unsupported", "unavailable", "io"} else "fail"  # type: ignore[assignment]
        worsen(status, f"consumer {consumer}: {answer.describe()[:200]}")
    if cell_verdict(verdict, passed) != verdict:
        verdict = "unsupported"
        why = why or f"no item checked: {producer} made no output {consumer} could check ({passed} of {len(answers)})"
    return CellJudgement(verdict, passed, len(answers), why, tuple(failed))


def campaign(op_name: str, args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> Judgement:
    """A campaign case: ``pass`` when both answer alike, ``deviation`` (``flag`` named) when the difference is one
    DEVIATIONS.md documents (:mod:`conformance.allowances`), else ``fail`` (a divergence). Raises
    :class:`InvalidArgument` for arguments of the wrong types."""
    op_name, args = require_str(op_name, "op_name"), require_mapping(args, "args")
    reference, actual = _outcome(reference, "reference"), _outcome(actual, "actual")
    if same(reference, actual):
        return Judgement("pass")
    flag = allowances.documented(op_name, args, reference, actual)
    if flag is not None:
        return Judgement("deviation", f"documented deviation {flag}", flag=flag)
    return Judgement(
        "fail",
        f"expected {wording.answer(reference, op_name)}, got {wording.answer(actual, op_name)}",
    )


def cell_verdict(verdict: str, passed: int) -> Verdict:
    """A matrix cell's verdict from the worst of its items' (``verdict``) and how many items passed: a cell where
    no item passed (none was checked, or each answer was ``unsupported``, which ranks below ``pass``) reads
    ``unsupported``, never ``pass``: a cell that checked nothing must not look green."""
    return "unsupported" if verdict == "pass" and passed <= 0 else verdict  # type: ignore[return-value]


def worst(verdicts: Iterable[str], default: Verdict = "pass") -> Verdict:
    """The most severe of ``verdicts`` (``default`` when there are none). Raises :class:`InvalidArgument` for
    what is not an iterable of verdict names."""
    verdicts = require_strings(verdicts, "verdicts")
    if default not in VERDICTS:
        raise InvalidArgument("default must be a verdict name")
    return max(verdicts, key=lambda v: SEVERITY.get(v, SEVERITY["fail"]), default=default)  # type: ignore[return-value]


# --- the gate ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Which verdicts fail the gate. ``for_implementation`` adds what an implementation's kind promises:
    a user-named adapter that is ``unavailable`` (it could not start) fails, and the built-in ``python``
    implementation fails on ``reason_mismatch`` (typed-error fidelity is what it promises)."""

    fail_on: frozenset[str] = DEFAULT_FAIL_ON
    strict: bool = False

    @classmethod
    def from_options(cls, fail_on: str | Iterable[str] | None = None, *, strict: bool | None = None) -> Policy:
        """``--fail-on LIST`` (default ``unsafe,fail,io``); ``strict`` (``--strict`` or ``CI=true``) adds
        ``unavailable``. Raises :class:`UsageError` for an unknown verdict name."""
        if strict is None:
            strict = ci_strict()
        strict = require_bool(strict, "strict")
        if fail_on is not None and not isinstance(fail_on, str):
            fail_on = require_strings(fail_on, "--fail-on")
        names = (
            DEFAULT_FAIL_ON
            if fail_on is None
            else frozenset(
                part.strip() for part in (fail_on.split(",") if isinstance(fail_on, str) else fail_on) if part.strip()
            )
        )
        unknown = sorted(names - set(VERDICTS))
        if unknown:
            raise UsageError(f"--fail-on: unknown verdict(s) {', '.join(unknown)}; verdicts: {', '.join(VERDICTS)}")
        return cls(frozenset(names | ({"unavailable"} if strict else set())), strict)

    def for_implementation(self, name: str, builtin: bool) -> frozenset[str]:
        """The verdicts that fail the gate for this implementation (``builtin`` is False for a user's adapter)."""
        added: set[str] = set()
        if not builtin:
            added.add("unavailable")
        if builtin and name == "python":
            added.add("reason_mismatch")
        return self.fail_on | added

    def to_json(self) -> dict[str, Any]:
        return {"failOn": sorted(self.fail_on, key=VERDICTS.index), "strict": self.strict}


def is_failure(verdict: str, fail_on: frozenset[str] | Policy) -> bool:
    """Whether ``verdict`` fails the gate under ``fail_on`` (a policy's set, or a policy's default set)."""
    verdict = require_str(verdict, "verdict")
    names = fail_on.fail_on if isinstance(fail_on, Policy) else fail_on
    if not isinstance(names, (set, frozenset)):
        raise InvalidArgument("fail_on must be a Policy or a set of verdict names")
    return verdict in names


def ci_strict() -> bool:
    """Whether the environment asks for strict gating (``CI=true``)."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
