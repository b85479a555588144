"""The judge: the only code that decides what a case expects and which verdict an answer earns.

Verdicts, most severe first (:data:`VERDICTS`):

* ``unsafe``: it accepts (returns a value that accepts) what the reference refuses, on a vector whose flags the
  vector file's notes mark as security-relevant (:data:`SECURITY_BUG_TYPES`);
* ``fail``: a different value; a refusal of what the reference accepts; an acceptance of what the reference refuses
  on a vector that is not security-relevant; an op the implementation declared and then answered "unsupported";
* ``io``: it crashed, hung or answered garbage; ``unavailable``: its runtime is missing;
* ``reason_mismatch``: both refuse, for different reasons;
* ``equivalent``: a producing op's output differs in bytes from the reference's, but every reference consumer of
  the flow accepts it and recovers the same content (decided by :func:`equivalence`, in the same run);
* ``deviation``: an ``acceptable`` vector answered differently, as DEVIATIONS.md allows;
* ``pass``: the same value, or the same error reason path; ``unsupported``: the implementation lacks the op.

A gate fails on a configurable set of verdicts (:class:`Policy`, :func:`is_failure`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from conformance import catalog
from conformance.arguments import require_bool, require_instance, require_mapping, require_str, require_strings
from conformance.errors import InvalidArgument, UsageError
from conformance.outcome import Outcome

if TYPE_CHECKING:
    from conformance.vectors import VectorCase


def _case(case: Any) -> VectorCase:
    """``case`` when it is a :class:`~conformance.vectors.VectorCase`. Raises :class:`InvalidArgument` otherwise."""
    from conformance.vectors import VectorCase

    return require_instance(case, "case", VectorCase)  # type: ignore[no-any-return]


def _outcome(outcome: Any, name: str = "outcome") -> Outcome:
    return require_instance(outcome, name, Outcome)  # type: ignore[no-any-return]


Verdict = Literal[
    "unsafe", "fail", "io", "unavailable", "reason_mismatch", "equivalent", "deviation", "pass", "unsupported"
]
#: Every verdict, most severe first.
VERDICTS: tuple[Verdict, ...] = (
    "unsafe",
    "fail",
    "io",
    "unavailable",
    "reason_mismatch",
    "equivalent",
    "deviation",
    "pass",
    "unsupported",
)
SEVERITY: dict[str, int] = {verdict: len(VERDICTS) - index for index, verdict in enumerate(VERDICTS)}

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


@dataclass(frozen=True)
class Judgement:
    """A verdict and one line saying why; ``consumers`` names the reference consumers behind ``equivalent``.

    ``pending`` marks a producing op's different value that :func:`equivalence` may still turn into
    ``equivalent``; until then it is a ``fail``.
    """

    verdict: Verdict
    why: str = ""
    consumers: tuple[str, ...] = ()
    pending: bool = False


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


def decisions(op_name: str, outcome: Outcome) -> tuple[bool, ...] | None:
    """Per judged item, whether ``outcome`` accepts it; ``None`` for ops that do not consume."""
    op_name, outcome = require_str(op_name, "op_name"), _outcome(outcome)
    try:
        operation = catalog.op(op_name)
    except UsageError:
        return None
    if not operation.consumes:
        return None
    if outcome.status != "value":
        return (False,)
    return operation.decisions(outcome.value)


def _refuses(op_name: str, outcome: Outcome) -> bool:
    if outcome.status == "error":
        return True
    decided = decisions(op_name, outcome)
    return decided is not None and not any(decided)


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


def _describe(outcome: Outcome) -> str:
    if outcome.status == "value":
        return "a value"
    if outcome.status == "error":
        return f"error {outcome.reason}"
    return outcome.status


# --- the verdict of one answer ----------------------------------------------------------------------------------------


def judge(case: VectorCase, outcome: Outcome, *, declared: bool = False) -> Judgement:  # noqa: PLR0911 (a decision table)
    """The verdict of ``outcome`` for ``case``; ``declared`` says the implementation claimed the op."""
    case, outcome, declared = _case(case), _outcome(outcome), require_bool(declared, "declared")
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
        return Judgement("deviation", f"acceptable vector: expected {_describe(expected)}, got {_describe(outcome)}")
    if _refuses(case.op, expected) and _refuses(case.op, outcome):
        return Judgement("reason_mismatch", f"both refuse: expected {_describe(expected)}, got {_describe(outcome)}")
    if _accepts_refused(case.op, expected, outcome):
        flags = ", ".join(case.flags)
        if security_relevant(case):
            return Judgement("unsafe", f"accepts what the reference refuses ({_describe(expected)}) [{flags}]")
        return Judgement("fail", f"accepts what the reference refuses ({_describe(expected)}) [{flags}]")
    if expected.status == "value" and outcome.status == "error":
        return Judgement("fail", f"refuses what the reference accepts: {outcome.reason}")
    producing = _producing(case.op)
    return Judgement("fail", "a different value", pending=producing and expected.status == "value")


def _producing(op_name: str) -> bool:
    try:
        return catalog.op(op_name).role == "produces"
    except UsageError:
        return False


def equivalence(pending: Judgement, consumed: Mapping[str, tuple[Outcome, Outcome]]) -> Judgement:
    """Settle a pending ``fail``. ``consumed`` maps each reference consumer to its answers for (the output, the
    reference's own output). ``equivalent`` when every one accepted both and recovered the same content; otherwise
    the ``fail`` stands, saying which consumer disagreed (or that none could decide)."""
    pending = require_instance(pending, "pending", Judgement)
    if not pending.pending:
        return pending
    consumed = require_mapping(consumed, "consumed")
    for pair in consumed.values():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(o, Outcome) for o in pair)):
            raise InvalidArgument("consumed must map each consumer to a pair of Outcomes")
    if not consumed:
        return Judgement("fail", "a different value, and no reference consumer could check it")
    for name, (answer, reference) in consumed.items():
        if reference.status != "value":
            return Judgement("fail", f"a different value; reference consumer {name} refuses the reference's own output")
        if answer.status != "value":
            return Judgement("fail", f"a different value, and reference consumer {name} answered {_describe(answer)}")
        if answer.value != reference.value:
            return Judgement("fail", f"a different value, and reference consumer {name} recovers other content")
    names = tuple(consumed)
    return Judgement("equivalent", f"different bytes, accepted by {', '.join(names)} with the same content", names)


def interop(answer: Outcome, content: Any) -> Judgement:
    """The verdict of one consumer's answer to a producer's output in the interop matrix."""
    answer = _outcome(answer, "answer")
    if answer.status == "value" and answer.value == content:
        return Judgement("pass")
    if answer.status in ("unsupported", "unavailable", "io"):
        return Judgement(answer.status, answer.message or "")  # type: ignore[arg-type]
    return Judgement("fail", f"consumer answered {_describe(answer)}")


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
