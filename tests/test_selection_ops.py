"""Campaigns pick a flow's ops with the run's own filter (``selection.CaseFilter``), so ``--op`` means the same
globs, comma lists included, for ``conformance run`` and ``conformance fuzz``."""

from __future__ import annotations

import pytest

from conformance import catalog
from conformance.errors import UsageError
from conformance.fuzz.plan import select_ops
from conformance.selection import CaseFilter

FLOW = catalog.flow("khoros_secure_transfer")


def test_the_filter_accepts_an_op_by_its_globs() -> None:
    assert CaseFilter(ops=("khoros.skep.*",)).accepts_op("khoros.skep.decrypt")
    assert not CaseFilter(ops=("khoros.skep.*",)).accepts_op("khoros.payload.decrypt")
    assert CaseFilter().accepts_op("anything")


def test_a_campaign_selects_ops_as_the_filter_does() -> None:
    assert select_ops(FLOW.id, ("khoros.skep.*,khoros.payload.decrypt",)) == select_ops(
        FLOW.id, ("khoros.skep.*", "khoros.payload.decrypt")
    )
    assert set(select_ops(FLOW.id, ("khoros.skep.*",))) <= set(FLOW.op_names)
    with pytest.raises(UsageError, match="selects none of khoros_secure_transfer's ops"):
        select_ops(FLOW.id, ("nothing.*",))
