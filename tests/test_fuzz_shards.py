"""A campaign's parts: their sizes are counted in constant time and match the blocks they hold; hostile counts are
refused typed (issue 21: ``Part.size(2**63)`` summed block by block and never ended, ``Part.jobs(2**31)`` built
two billion parts)."""

from __future__ import annotations

import time

import pytest

from conformance.errors import InvalidArgument
from conformance.fuzz.shards import BLOCK, MAX_PARTS, Part, Shard


@pytest.mark.parametrize(("offset", "stride"), [(0, 1), (0, 2), (1, 2), (2, 3), (0, 7), (6, 7)])
def test_a_parts_size_is_the_number_of_cases_in_its_blocks(offset: int, stride: int) -> None:
    part = Part(offset, stride)
    for cases in [*range(0, 3 * BLOCK * stride + 5), 1_000_017]:
        held = [index for index in range(cases) if (index // BLOCK) % stride == offset]
        assert part.size(cases) == len(held), cases


def test_the_jobs_of_a_shard_partition_it() -> None:
    shard = Shard(2, 3).part()
    for cases in (0, 1, 191, 10_000):
        assert sum(job.size(cases) for job in shard.jobs(4)) == shard.size(cases)


def test_any_campaign_size_takes_no_time() -> None:
    started = time.process_time()
    assert Part(0, 1).size(2**63) == 2**63
    assert Part(3, 5).size(2**62) > 0
    assert time.process_time() - started < 0.5


@pytest.mark.parametrize("cases", [-1, None, 1.5, True, "10"])
def test_a_size_of_what_is_not_a_count_is_refused(cases: object) -> None:
    with pytest.raises(InvalidArgument, match=r"^cases"):
        Part(0, 1).size(cases)  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [0, -3, MAX_PARTS + 1, 2**31, None, 2.0])
def test_jobs_of_a_hostile_count_are_refused(count: object) -> None:
    with pytest.raises(InvalidArgument, match=r"^count"):
        Part(0, 1).jobs(count)  # type: ignore[arg-type]
