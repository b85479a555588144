"""Which cases a campaign, a shard of it, or one job of a shard runs; and the cases themselves, by seed.

A campaign of ``N`` cases is cut into blocks of :data:`BLOCK` consecutive case indices. Block ``b`` draws its cases
from its own ``random.Random``, seeded from the campaign seed and ``b`` alone, so any block can be made anywhere in
any order. Shard ``K/N`` runs the blocks ``b`` with ``b % N == K - 1``; job ``j`` of ``J`` inside it runs every
``J``-th of those. The shards of a campaign partition it, so the union of their cases is the unsharded campaign,
case for case. Case ``i`` exercises op ``ops[i % len(ops)]``.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.arguments import require_callable, require_int, require_items, require_strings
from conformance.errors import InvalidArgument, UsageError
from conformance.fuzz.generators import Generator

#: The most parts a shard is cut into (jobs, or a Dask cluster's tasks).
MAX_PARTS = 65_536
#: The largest campaign seed, in magnitude (a block number is bounded the same way).
MAX_SEED = 2**128
#: The most ops a campaign draws cases for.
MAX_OPS = 1024
#: Cases per block: one seeding of a random.Random (about 6 us) serves this many cases.
BLOCK = 64
_SHARD = re.compile(r"\s*(\d{1,9})\s*/\s*(\d{1,9})\s*")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based, as ``--shard K/N`` is written)."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str | None) -> Shard:
        """``K/N`` with ``1 <= K <= N`` (at most nine digits each). Raises :class:`UsageError` for anything else."""
        if text is None:
            return cls()
        if not isinstance(text, str):
            raise UsageError("--shard takes K/N (for example 2/8) as text")
        found = _SHARD.fullmatch(text)
        if not found:
            raise UsageError(f"--shard takes K/N (for example 2/8), got {text!r}")
        index, count = int(found.group(1)), int(found.group(2))
        if not 1 <= index <= count:
            raise UsageError(f"--shard {text}: K must be between 1 and N")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def part(self) -> Part:
        return Part(self.index - 1, self.count)


@dataclass(frozen=True)
class Part:
    """The blocks ``offset, offset + stride, offset + 2 * stride, ...``: a shard, or one job of a shard."""

    offset: int
    stride: int

    def jobs(self, count: int) -> list[Part]:
        """This part cut into ``count`` parts (1 to :data:`MAX_PARTS`), which together hold exactly its blocks.
        Raises ``InvalidArgument`` for another count."""
        count = require_int(count, "count", minimum=1, maximum=MAX_PARTS)
        return [Part(self.offset + self.stride * job, self.stride * count) for job in range(count)]

    def blocks(self, cases: int) -> range:
        """The numbers of this part's blocks among a campaign of ``cases`` (at least 0). Raises ``InvalidArgument``."""
        return range(self.offset, blocks_of(require_int(cases, "cases", minimum=0)), self.stride)

    def size(self, cases: int) -> int:
        """How many of the campaign's ``cases`` fall in this part (counted, not summed: any size takes no time).
        Raises ``InvalidArgument`` for ``cases`` that is not a count."""
        blocks = self.blocks(cases)
        count = max(0, -(-(blocks.stop - blocks.start) // blocks.step))  # len() of a range is limited to sys.maxsize
        if not count:
            return 0
        short = BLOCK - (cases - (blocks_of(cases) - 1) * BLOCK)  # the last block's missing cases
        return count * BLOCK - (short if blocks[-1] == blocks_of(cases) - 1 else 0)


def blocks_of(cases: int) -> int:
    """How many blocks ``cases`` cases fill. Raises ``InvalidArgument`` for what is not a count."""
    return (require_int(cases, "cases", minimum=0) + BLOCK - 1) // BLOCK


def block_seed(seed: int, block: int) -> int:
    """The seed of block ``block``: a hash of the campaign seed and the block number (stable across machines).
    Raises ``InvalidArgument`` for what is not a whole number (a block is at least 0)."""
    seed = require_int(seed, "seed", minimum=-MAX_SEED, maximum=MAX_SEED)
    block = require_int(block, "block", minimum=0, maximum=MAX_SEED)
    digest = hashlib.blake2b(f"{seed}:{block}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "big")


def _ops_and_generators(ops: object, generators: object) -> tuple[tuple[str, ...], list[Generator]]:
    names = require_strings(ops, "ops", limit=MAX_OPS)
    drawn = require_items(generators, "generators", object, limit=MAX_OPS)
    if not names or len(names) != len(drawn):
        raise InvalidArgument("ops and generators must be as many, and at least one")
    return names, [require_callable(g, "an item of generators") for g in drawn]


def block_cases(
    seed: int, block: int, cases: int, ops: Sequence[str], generators: Sequence[Generator]
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """The cases of one block: ``(case index, op, args)``, drawn in index order from the block's own stream.
    Raises ``InvalidArgument`` for arguments of the wrong type, no op, or not one generator per op."""
    rnd = random.Random(block_seed(seed, block))
    cases = require_int(cases, "cases", minimum=0)
    ops, generators = _ops_and_generators(ops, generators)
    count = len(ops)
    for index in range(block * BLOCK, min(cases, (block + 1) * BLOCK)):
        which = index % count
        yield index, ops[which], generators[which](rnd)


def case_args(seed: int, index: int, cases: int, ops: Sequence[str], generators: Sequence[Generator]) -> dict[str, Any]:
    """The arguments of case ``index`` alone (its block is drawn up to it): to reproduce one case. Raises
    ``InvalidArgument`` as :func:`block_cases` does, :class:`UsageError` for a case outside the campaign."""
    index = require_int(index, "index", minimum=0)
    for found, _op, args in block_cases(seed, index // BLOCK, cases, ops, generators):
        if found == index:
            return args
    raise UsageError(f"case {index} is not in a campaign of {cases} cases")
