"""One input generator per catalog op, registered by op name; the ops that cannot have one say why.

A generator is ``make(rnd) -> args``: it draws one case's arguments (valid for the op's argument schema) from the
case's ``random.Random``, so a campaign is deterministic by seed. ``tests/test_fuzz.py`` checks that every catalog op
has a generator or an entry in :data:`EXCLUDED`, and that generated arguments fit the op's schema.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from conformance.errors import UsageError
from conformance.fuzz.generators import khoros, params, pgp, tokens

Generator = Callable[[random.Random], dict[str, Any]]

GENERATORS: dict[str, Generator] = {**khoros.GENERATORS, **tokens.GENERATORS, **params.GENERATORS, **pgp.GENERATORS}
#: Catalog ops with no generator, and why: a campaign compares answers byte for byte, which a randomized op defeats.
EXCLUDED: dict[str, str] = {**tokens.EXCLUDED, **pgp.EXCLUDED}


def generator(op: str) -> Generator:
    """The generator of ``op``. Raises :class:`UsageError` for an excluded or unknown op, saying why."""
    if op in EXCLUDED:
        raise UsageError(f"{op} has no campaign generator: {EXCLUDED[op]}")
    try:
        return GENERATORS[op]
    except KeyError:
        raise UsageError(f"no campaign generator for op {op!r}") from None


__all__ = ["EXCLUDED", "GENERATORS", "Generator", "generator"]
