"""Every op of the Python implementation answers wrongly typed arguments with a typed error, never a crash."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.outcome import run_op
from conformance.registry import python_ops
from conformance.vectors import load_cases

OPS = python_ops()
FIRST_CASE_PER_OP = {case.op: case for case in reversed(load_cases())}
WRONG_VALUES: tuple[Any, ...] = (None, 12, [], {}, True, 1.5, "not hex \ud800")


@pytest.mark.parametrize("op", sorted(FIRST_CASE_PER_OP), ids=str)
def test_wrong_types_give_typed_errors(op: str) -> None:
    case = FIRST_CASE_PER_OP[op]
    crashes = []
    for name in case.input:
        for wrong in WRONG_VALUES:
            outcome = run_op(OPS, op, {**case.input, name: wrong})
            if outcome.status == "error" and (outcome.reason or "").startswith("Unexpected:"):
                crashes.append(f"{name}={wrong!r}: {outcome.reason}: {outcome.message}")
    assert not crashes, "\n".join(crashes)
