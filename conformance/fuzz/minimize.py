"""Greedy shrinking of a diverging input: smaller candidates are asked of both sides, in batches, and the first that
still diverges the same way (the same pair of answer kinds, value or error) becomes the input, until no candidate
does or the call budget is spent.

Candidates, biggest reductions first: the op's own reducer (:mod:`conformance.fuzz._reducers`: a smaller plaintext
sealed again), optional arguments dropped, then each argument shrunk: strings and hex by chunks, lists by items,
nested objects by their strings. Every candidate must fit the op's argument schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import islice
from typing import Any

from conformance import catalog
from conformance.arguments import require_instance, require_int, require_items, require_mapping
from conformance.contract import Implementation
from conformance.errors import ConformanceError, InvalidArgument
from conformance.fuzz._reducers import REDUCERS
from conformance.judge import campaign
from conformance.outcome import Outcome

#: Candidates asked per batch, and calls to each side at most per divergence.
BATCH = 32
BUDGET = 3000
#: The largest budget a caller may give.
MAX_BUDGET = 1_000_000


def _smaller_text(text: str, step: int = 1) -> Iterator[str]:
    units = len(text) // step
    size = units // 2
    while size >= 1:
        for start in range(0, units, size):
            yield text[: start * step] + text[(start + size) * step :]
        size //= 2


@cache
def _hex_fields(op: str) -> frozenset[str]:
    schema = catalog.op_schema(op)
    found = set()
    for name, sub in schema.get("properties", {}).items():
        text = json.dumps(sub)
        if "#/$defs/hex" in text:
            found.add(name)
    return frozenset(found)


def _smaller_value(value: Any, hex_text: bool = False) -> Iterator[Any]:
    if isinstance(value, str):
        yield from _smaller_text(value, 2 if hex_text else 1)
    elif isinstance(value, list):
        for i in range(len(value)):
            yield value[:i] + value[i + 1 :]
        for i, item in enumerate(value):
            for smaller in _smaller_value(item):
                yield [*value[:i], smaller, *value[i + 1 :]]
    elif isinstance(value, dict):
        for name, item in value.items():
            for smaller in _smaller_value(item):
                yield {**value, name: smaller}


def candidates(op: str, args: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Smaller versions of ``args``, biggest reductions first (some may not fit the schema: they are filtered).
    Raises :class:`UsageError` for an op the catalog does not declare, :class:`InvalidArgument` for ``args`` that
    is not a mapping (both when the iterator is created, before the first candidate)."""
    op, args = catalog.op(op).name, require_mapping(args, "args")
    return _candidates(op, args)


def _candidates(op: str, args: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    reducer = REDUCERS.get(op)
    if reducer is not None:
        yield from reducer(args)
    required = set(catalog.op_schema(op).get("required", ()))
    for name in args:
        if name not in required:
            yield {k: v for k, v in args.items() if k != name}
    hex_fields = _hex_fields(op)
    for name, value in args.items():
        for smaller in _smaller_value(value, name in hex_fields):
            yield {**args, name: smaller}


def _fits(op: str, args: Mapping[str, Any]) -> bool:
    try:
        catalog.check_args(op, args)
    except ConformanceError:
        return False
    return True


def _shape(reference: Outcome, actual: Outcome) -> tuple[str, str]:
    return reference.status, actual.status


def minimize(
    op: str,
    args: Mapping[str, Any],
    implementation: Implementation,
    reference: Implementation,
    answers: tuple[Outcome, Outcome],
    budget: int = BUDGET,
) -> dict[str, Any]:
    """The smallest input found that diverges as ``args`` does (``answers``: the reference's and the
    implementation's), as ``{"args", "reference", "actual", "steps"}`` with both answers to it. Raises
    :class:`UsageError` for an op the catalog does not declare, :class:`InvalidArgument` for arguments of the wrong
    type (``budget`` from 0 to :data:`MAX_BUDGET`)."""
    op, args = catalog.op(op).name, require_mapping(args, "args")
    implementation = require_instance(implementation, "implementation", Implementation)
    reference = require_instance(reference, "reference", Implementation)
    answers = tuple(require_items(answers, "answers", Outcome, limit=2))  # type: ignore[assignment]
    if len(answers) != 2:
        raise InvalidArgument("answers must be the reference's and the implementation's Outcome")
    budget = require_int(budget, "budget", minimum=0, maximum=MAX_BUDGET)
    wanted = _shape(*answers)
    current, best = dict(args), answers
    seen = {json.dumps(current, sort_keys=True)}
    spent, steps = 0, 0
    while spent < budget:
        improved = False
        pool = (c for c in _candidates(op, current) if _new(c, seen) and _fits(op, c))
        while spent < budget:
            batch = list(islice(pool, BATCH))
            if not batch:
                break
            spent += len(batch)
            calls = [(op, candidate) for candidate in batch]
            theirs, ours = reference.call_many(calls), implementation.call_many(calls)
            for candidate, answer, mine in zip(batch, theirs, ours, strict=True):
                if (
                    answer.status in ("value", "error")
                    and _shape(answer, mine) == wanted
                    and campaign(op, candidate, answer, mine).verdict == "fail"
                ):
                    current, best, improved = candidate, (answer, mine), True
                    steps += 1
                    break
            if improved:
                break
        if not improved:
            break
    return {"args": current, "reference": best[0].record(), "actual": best[1].record(), "steps": steps}


def _new(candidate: Mapping[str, Any], seen: set[str]) -> bool:
    key = json.dumps(candidate, sort_keys=True)
    if key in seen:
        return False
    seen.add(key)
    return True
