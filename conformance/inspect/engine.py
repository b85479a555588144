"""The diagnosis engine: the references' verdict on an artifact, then each known mistake tried and kept only when
the references confirm it.

A correction (:class:`~conformance.inspect.model.Invert`) is confirmed when the flow's first answering reference
accepts it (the others that accept are named too); a reproduction (:class:`~conformance.inspect.model.Reproduce`)
when a reference's producer answer equals the given artifact byte for byte. Every call goes through the contract
(``built(name).call_many``), batched per reference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conformance import catalog, judge, registry
from conformance.errors import ConformanceError, UsageError
from conformance.inspect import registration
from conformance.inspect.model import Answer, Args, Diagnosis, Invert, Layer, Mistake, Reproduce
from conformance.inspect.registration import Call
from conformance.outcome import Outcome
from conformance.spec import built

UNEXPLAINED = "no known mistake explains it"


@dataclass(frozen=True)
class Verdict:
    """The references' answers for one consumer call, and whether the deciding (first answering) one accepts."""

    answers: tuple[tuple[str, Outcome], ...]
    says: str = ""

    @property
    def deciding(self) -> tuple[str, Outcome] | None:
        return next(((n, o) for n, o in self.answers if o.status in ("value", "error")), None)

    def accepted_by(self, op: str) -> tuple[str, ...]:
        return tuple(name for name, outcome in self.answers if _accepts(op, outcome))

    def accepts(self, op: str) -> bool | None:
        first = self.deciding
        return None if first is None else _accepts(op, first[1])


def _accepts(op: str, outcome: Outcome) -> bool:
    decided = judge.decisions(op, outcome)
    return outcome.status == "value" and decided is not None and bool(decided) and all(decided)


def consumer_references(op: str) -> tuple[str, ...]:
    """The flow's references that implement ``op`` (available or not), in the catalog's order."""
    flow = catalog.flow_of(op)
    return tuple(name for name in flow.references if op in _ops_of(name))


def _ops_of(name: str) -> frozenset[str]:
    implementation = built(name)
    return frozenset() if implementation.unavailable() is not None else implementation.ops()


def _run(calls: Sequence[Call]) -> list[Outcome]:
    """Answer (reference, op, args) calls, one batch per reference, in order."""
    answers: list[Outcome | None] = [None] * len(calls)
    by_reference: dict[str, list[int]] = {}
    for index, (name, _op, _args) in enumerate(calls):
        by_reference.setdefault(name, []).append(index)
    for name, indices in by_reference.items():
        implementation = built(name)
        outcomes = implementation.call_many([(calls[i][1], calls[i][2]) for i in indices])
        for index, outcome in zip(indices, outcomes, strict=True):
            answers[index] = outcome
    return [answer if answer is not None else Outcome("io", message="no answer") for answer in answers]


def _plans(op: str, arguments: Sequence[Args]) -> list[tuple[list[Call], Any]]:
    """Per consumer call: the reference calls that decide it, and how to fold their answers into verdicts."""
    oracle = registration.oracle(op)
    plans: list[tuple[list[Call], Any]] = []
    for args in arguments:
        if oracle is not None:
            plans.append((oracle.calls(args), (oracle, args)))
        else:
            plans.append(([(name, op, args) for name in consumer_references(op)], None))
    return plans


def verdicts(op: str, arguments: Sequence[Args]) -> list[Verdict]:
    """The references' verdict on each of ``arguments`` for the consumer op ``op`` (one batch per reference)."""
    plans = _plans(op, arguments)
    flat = [call for calls, _ in plans for call in calls]
    outcomes = _run(flat)
    found: list[Verdict] = []
    position = 0
    for calls, fold in plans:
        mine = outcomes[position : position + len(calls)]
        position += len(calls)
        if fold is None:
            found.append(Verdict(tuple((call[0], outcome) for call, outcome in zip(calls, mine, strict=True))))
        else:
            oracle, args = fold
            found.append(Verdict(((oracle.reference, oracle.decide(args, mine)),), oracle.says))
    return found


def answers_of(verdict: Verdict, op: str) -> list[Answer]:
    """The verdict as :class:`Answer`\\ s, with each reference's versions."""
    listed = []
    for name, outcome in verdict.answers:
        accepted = None if outcome.status not in ("value", "error") else _accepts(op, outcome)
        versions = built(name).versions() if name in registry.names() else {}
        listed.append(Answer(name, accepted, _words(outcome), versions))
    return listed


def _words(outcome: Outcome) -> str:
    if outcome.status == "value":
        shown = repr(outcome.value)
        return f"value {shown[:200]}{'...' if len(shown) > 200 else ''}"
    if outcome.status == "error":
        return f"refuses: {outcome.reason}"
    return f"{outcome.status}: {outcome.message or ''}".rstrip(": ")


def _attempt(mistake: Mistake, args: Args) -> dict[str, Any] | list[dict[str, Any]] | None:
    """The mistake's call (or candidate calls) for ``args``; ``None`` where it cannot apply."""
    try:
        return mistake.try_.correct(args) if isinstance(mistake.try_, Invert) else mistake.try_.make(args)
    except (ConformanceError, ValueError, KeyError, TypeError, IndexError, UnicodeError):
        return None  # the mistake cannot apply to this artifact


def _producers(op: str) -> tuple[str, ...]:
    flow = catalog.flow_of(op)
    return tuple(name for name in flow.references if op in _ops_of(name))


def diagnose(op: str, args: Args) -> tuple[list[Diagnosis], list[str]]:
    """The confirmed mistakes for a refused artifact, most likely first, and the flags of every mistake tried."""
    flow_id = catalog.flow_of(op).id
    notes = registration.notes(flow_id)
    tried: list[str] = []
    inverted: list[tuple[int, Mistake, dict[str, Any]]] = []
    reproduced: list[tuple[int, Mistake, dict[str, Any], str]] = []
    for index, mistake in enumerate(registration.mistakes(op)):
        attempts = _attempt(mistake, args)
        if not attempts:
            continue
        tried.append(mistake.flag + (f"/{mistake.label}" if mistake.label else ""))
        for attempt in attempts if isinstance(attempts, list) else [attempts]:
            if isinstance(mistake.try_, Invert):
                inverted.append((index, mistake, attempt))
            elif producers := _producers(mistake.try_.producer_op):
                reproduced.append((index, mistake, attempt, producers[0]))
    found: list[tuple[tuple[int, int], Diagnosis]] = []
    by_op: dict[str, list[tuple[int, Mistake, dict[str, Any]]]] = {}
    for item in inverted:
        by_op.setdefault(item[1].try_.op or op, []).append(item)  # type: ignore[union-attr]
    for target, items in by_op.items():
        for (index, mistake, _attempted), verdict in zip(items, verdicts(target, [i[2] for i in items]), strict=True):
            check = mistake.try_.confirms  # type: ignore[union-attr]
            first = verdict.deciding
            if verdict.accepts(target) and (check is None or (first is not None and check(first[1].value))):
                confirmed = verdict.accepted_by(target)
                evidence = f"{mistake.try_.says}: accepted by {', '.join(confirmed)}"  # type: ignore[union-attr]
                found.append(((-len(confirmed), index), _diagnosis(mistake, notes, evidence, confirmed)))
    outcomes = _run([(name, m.try_.producer_op, a) for _i, m, a, name in reproduced])  # type: ignore[union-attr]
    for (index, mistake, attempted, name), outcome in zip(reproduced, outcomes, strict=True):
        plan = mistake.try_
        assert isinstance(plan, Reproduce)
        if outcome.status == "value" and _equal(plan.shape(outcome.value, attempted), plan.artifact(args)):
            evidence = f"{plan.says}: {name} reproduces the artifact byte for byte"
            found.append(((-1, index), _diagnosis(mistake, notes, evidence, (name,))))
    found.sort(key=lambda item: item[0])
    kept: dict[tuple[str, str], Diagnosis] = {}
    for _, diagnosis in found:  # one diagnosis per mistake, however many of its candidates were confirmed
        kept.setdefault((diagnosis.flag, diagnosis.label), diagnosis)
    return list(kept.values()), tried


def _equal(first: Any, second: Any) -> bool:
    if isinstance(first, str) and isinstance(second, str):
        return first.encode("utf-8", "surrogatepass") == second.encode("utf-8", "surrogatepass")
    return bool(first == second)


def _diagnosis(
    mistake: Mistake, notes: Mapping[str, Mapping[str, str]], evidence: str, confirmed: tuple[str, ...]
) -> Diagnosis:
    note = notes[mistake.flag]
    return Diagnosis(
        mistake.flag,
        note["description"],
        note["bugType"],
        evidence,
        mistake.fix,
        mistake.label,
        confirmed,
        mistake.try_.how,
    )


def quirks(op: str, args: Args, verdict: Verdict) -> list[Diagnosis]:
    """What an accepted artifact still carries: the flow's quirks that apply, and any reference that refuses it."""
    flow_id = catalog.flow_of(op).id
    notes = registration.notes(flow_id)
    found = []
    for quirk in registration.quirks(op):
        try:
            evidence = quirk.detect(args)
        except (ConformanceError, ValueError, KeyError, TypeError, IndexError, UnicodeError):
            evidence = None
        if evidence:
            note = notes[quirk.flag]
            found.append(Diagnosis(quirk.flag, note["description"], note["bugType"], evidence, "", how="quirk"))
    return found


def layers(op: str, args: Args) -> list[Layer]:
    """The decoded layers of the artifact (none where the flow has no decoder)."""
    decode = registration.layers_of(op)
    if decode is None:
        return []
    try:
        return decode(args)
    except ConformanceError as exc:
        return [Layer("artifact", notes=(f"cannot be decoded: {exc.reason_path()}",))]


def check_op(op: str) -> None:
    """Raise :class:`UsageError` for an op ``inspect`` cannot take (unknown, or not a consumer)."""
    found = catalog.op(op)
    if not found.consumes:
        consumers = ", ".join(o.name for o in catalog.flow_of(op).ops if o.consumes)
        raise UsageError(f"{op} does not consume an artifact; inspect takes a consumer op: {consumers}")
