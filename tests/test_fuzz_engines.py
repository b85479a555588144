"""The two campaign engines (``--engine bulk``, the default, and ``legacy``): the fast generators draw exactly the
readable generators' cases, and both engines give the same record for the same seed, planted divergences included."""

from __future__ import annotations

import dataclasses
import random
import shlex
import sys
from pathlib import Path

import pytest

from conformance.errors import UsageError
from conformance.fuzz import engine
from conformance.fuzz.generators import GENERATORS, fast, fast_generator, generator
from conformance.fuzz.plan import Plan, check
from conformance.spec import ImplementationSpec

ADAPTERS = Path(__file__).parent / "fixtures" / "adapters"
_TIMES = ("seconds", "shardSeconds", "casesPerSecond")


@pytest.mark.parametrize("op", sorted(fast.GENERATORS))
def test_a_fast_generator_draws_the_readable_generators_cases(op: str) -> None:
    readable, quick = GENERATORS[op], fast.GENERATORS[op]
    assert fast_generator(op) is quick and generator(op) is readable
    for seed in range(3000):
        first, second = random.Random(seed), random.Random(seed)
        expected = [readable(first) for _ in range(16)]
        assert [quick(second) for _ in range(16)] == expected, seed
        assert second.getstate() == first.getstate(), seed


def test_an_op_without_a_fast_generator_gets_its_readable_one() -> None:
    assert fast_generator("khoros.payload.decrypt") is GENERATORS["khoros.payload.decrypt"]


def test_an_unknown_engine_is_a_usage_error() -> None:
    plan = Plan("khoros_secure_transfer", ("khoros.skep.decrypt",), ImplementationSpec.builtin("python"),
                ImplementationSpec.builtin("java"), 10, engine="turbo")  # fmt: skip
    with pytest.raises(UsageError, match="--engine takes one of bulk, legacy"):
        check(plan)


def _timeless(found: dict) -> dict:
    return {key: value for key, value in found.items() if key not in _TIMES}


@pytest.mark.usefixtures("java_reference")
def test_both_engines_give_the_same_record_for_the_same_seed() -> None:
    command = " ".join(shlex.quote(part) for part in (sys.executable, str(ADAPTERS / "planted_port.py"), "three"))
    plan, _ = check(
        Plan(
            "khoros_secure_transfer",
            ("khoros.skep.decrypt", "khoros.skep.encrypt"),
            ImplementationSpec.adapter(f"planted-three={command}"),
            ImplementationSpec.builtin("java"),
            3000,
            seed=5,
            batch=1024,
            keep=10_000,
            minimize=2,
        )
    )
    bulk = engine.run(plan).to_json()
    legacy = engine.run(dataclasses.replace(plan, engine="legacy")).to_json()
    assert bulk["divergenceCount"] > 0 and len(bulk["classes"]) == 3
    assert _timeless(bulk) == _timeless(legacy)
