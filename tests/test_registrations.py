"""Every per-op table is a checked registration: it refuses, at import, an op the catalog does not declare and an op
registered twice (where a ``{**a, **b}`` merge would overwrite silently); named tables refuse a name twice."""

from __future__ import annotations

import pytest

from conformance import allowances, catalog, registry
from conformance.audit import model, runner
from conformance.fuzz import _reducers as reducers
from conformance.fuzz import generators

DECLARED = catalog.op_names()[0]


def test_a_table_refuses_an_op_the_catalog_does_not_declare() -> None:
    with pytest.raises(ValueError, match=r"declares no op 'vendor\.no_such_op'"):
        catalog.OpTable("test table", {"vendor.no_such_op": 1})


def test_a_table_refuses_an_op_registered_twice() -> None:
    table = catalog.OpTable("test table", {DECLARED: 1})
    with pytest.raises(ValueError, match="registered twice"):
        table.add(DECLARED, 2)
    with pytest.raises(ValueError, match="registered twice"):
        catalog.OpTable("test table", {DECLARED: 1}, {DECLARED: 2})
    assert table[DECLARED] == 1, "the first registration stands"


def test_a_table_is_read_only_and_two_tables_may_be_held_disjoint() -> None:
    table = catalog.OpTable("generators", {DECLARED: 1})
    with pytest.raises(TypeError):
        table[DECLARED] = 2  # type: ignore[index]
    with pytest.raises(ValueError, match="both in generators and in exclusions"):
        catalog.disjoint(table, catalog.OpTable("exclusions", {DECLARED: "why"}))


def test_the_per_op_tables_are_checked_registrations() -> None:
    for table in (generators.GENERATORS, generators.EXCLUDED, reducers.REDUCERS, allowances.ALLOWANCES):
        assert isinstance(table, catalog.OpTable), table
        assert set(table) <= set(catalog.op_names())
    assert not set(generators.GENERATORS) & set(generators.EXCLUDED)


def test_the_registry_refuses_a_name_twice() -> None:
    with pytest.raises(ValueError, match="'python' is registered twice"):
        registry._named(("python", registry.FACTORIES["python"]), ("python", registry.FACTORIES["python"]))
    assert list(registry.FACTORIES) == list(registry.names())


def test_a_proof_names_a_catalog_flow_and_registry_references() -> None:
    def function() -> model.Finding:
        raise AssertionError("never run")

    with pytest.raises(ValueError, match="no flow 'no_such_flow'"):
        model.proof("TEST-1", "no_such_flow")(function)
    with pytest.raises(ValueError, match="not in the registry"):
        model.proof("TEST-1", catalog.flow_ids()[0], ("no-such-reference",))(function)
    assert runner.PROOF_MODULES, "importing the audit runner registers every proof"
    taken = next(iter(model.PROOFS))
    with pytest.raises(ValueError, match=f"two proofs for {taken}"):
        model.proof(taken, catalog.flow_ids()[0])(function)
    assert "TEST-1" not in model.PROOFS
