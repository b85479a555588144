"""One input generator per catalog op, registered by op name; the ops that cannot have one say why.

A generator is ``make(rnd) -> args``: it draws one case's arguments (valid for the op's argument schema) from the
case's ``random.Random``, so a campaign is deterministic by seed. ``tests/test_fuzz.py`` checks that every catalog op
has a generator or an entry in :data:`EXCLUDED`, and that generated arguments fit the op's schema.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from conformance import catalog
from conformance.arguments import require_str
from conformance.errors import UsageError
from conformance.fuzz.generators import fast, khoros, params, pgp, sdk_tokens, tokens

Generator = Callable[[random.Random], dict[str, Any]]

#: op -> generator, registered per module and for every op of a kind (checked: a declared op, once).
GENERATORS: catalog.OpTable[Generator] = catalog.OpTable(
    "campaign generators",
    khoros.GENERATORS,
    tokens.GENERATORS,
    params.GENERATORS,
    pgp.GENERATORS,
    sdk_tokens.GENERATORS,
)
#: Catalog ops with no generator, and why: a campaign compares answers byte for byte, which a randomized op defeats.
EXCLUDED: catalog.OpTable[str] = catalog.OpTable(
    "campaign exclusions", tokens.EXCLUDED, pgp.EXCLUDED, sdk_tokens.EXCLUDED
)


def _add_kind_generators() -> None:
    """Every op of a kind gets its kind's generator, or an exclusion saying its kind has none."""
    for found in catalog.kind_parts():
        made = found.generator()
        if found.op in GENERATORS or found.op in EXCLUDED:
            raise ValueError(f"{found.op} is an op of kind {found.kind.name}: its generator comes from the kind")
        if made is None:
            EXCLUDED.add(found.op, f"its kind {found.kind.name} has no campaign generator")
        else:
            GENERATORS.add(found.op, made)


_add_kind_generators()
catalog.disjoint(GENERATORS, EXCLUDED)


def generator(op: str) -> Generator:
    """The generator of ``op``. Raises :class:`UsageError` for an excluded or unknown op, saying why, and
    :class:`InvalidArgument` for what is not a str."""
    op = require_str(op, "op")
    if op in EXCLUDED:
        raise UsageError(f"{op} has no campaign generator: {EXCLUDED[op]}")
    try:
        return GENERATORS[op]
    except KeyError:
        raise UsageError(f"no campaign generator for op {op!r}") from None


def fast_generator(op: str) -> Generator:
    """The fast generator of ``op`` where it has one (:mod:`conformance.fuzz.generators.fast`: the same cases from the
    same stream), else its generator. Raises as :func:`generator` does."""
    found = generator(op)
    return fast.GENERATORS.get(op, found)


__all__ = ["EXCLUDED", "GENERATORS", "Generator", "fast_generator", "generator"]
