"""The flow catalog is the one place a flow is declared: everything that names a flow, an op or an argument shape
agrees with it, and its compiled argument checks agree with JSON Schema itself."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conformance import catalog, registry
from conformance.catalog import write
from conformance.catalog.write import readme_block
from conformance.errors import InvalidArgument, UsageError
from conformance.paths import REPO_ROOT, schemas_dir
from conformance.vectors import load_cases, load_file, vector_files

CASES = load_cases()
OPS_DOCUMENT = json.loads((schemas_dir() / "ops.schema.json").read_text(encoding="utf-8"))
_REGISTRY = Registry().with_resource("ops.schema.json", Resource.from_contents(OPS_DOCUMENT))


def _reference_validator(op: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"ops.schema.json#/$defs/{op}"}, registry=_REGISTRY)


def _compiled_accepts(op: str, args: Any) -> bool:
    try:
        catalog.check_args(op, args)
    except InvalidArgument:
        return False
    return True


def test_one_vector_file_schema_and_notebook_name_per_flow() -> None:
    files = {path.name for path in vector_files()}
    assert files == {entry.vector_file for entry in catalog.FLOWS}
    for entry in catalog.FLOWS:
        assert (schemas_dir() / entry.schema_file).is_file()
        document = load_file(next(path for path in vector_files() if path.name == entry.vector_file))
        assert document["scheme"] == entry.id and document["schema"] == entry.schema_file
        assert set(document["op"]) <= set(entry.op_names)


def test_every_op_has_one_flow_one_schema_and_a_python_or_reference_implementation() -> None:
    assert set(OPS_DOCUMENT["$defs"]) - {"hex", "pair"} == set(catalog.op_names())
    everywhere = set().union(*(registry.shared(name).ops() for name in ("python", "java", "openssl", "gnupg")))
    for entry in catalog.FLOWS:
        hand_written = {o.name for o in entry.ops if not o.kind}
        if not entry.python_module:
            assert not hand_written, f"{entry.id}: hand-written ops need a python_module"
            continue
        module_ops = set(importlib.import_module(entry.python_module).OPS)
        assert module_ops <= {o.name for e in catalog.FLOWS if e.python_module == entry.python_module for o in e.ops}
        assert not module_ops & {o.name for o in entry.ops if o.kind}, "an op of a kind has its port from the kind"
    node_only = {"talkative.sign_jose"}
    assert set(catalog.op_names()) - node_only <= everywhere | set(registry.python_ops())


def test_references_round_trips_and_roles_are_consistent() -> None:
    for entry in catalog.FLOWS:
        assert set(entry.references) <= set(registry.names())
        for trip in entry.round_trips:
            assert {catalog.op(name).role for name in trip.producer_ops} == {"produces"}
            assert catalog.op(trip.consumer_op).role == "consumes"
            assert catalog.flow_of(trip.consumer_op) is entry
        variants = [trip.variant for trip in entry.round_trips]
        assert len(variants) == len(set(variants))


def test_lookups_refuse_unknown_names_with_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="thread_messenger"):
        catalog.flow("thread-messenger")
    with pytest.raises(UsageError, match="khoros_secure_transfr"):
        catalog.select_flows(["thread_messenger", "khoros_secure_transfr"])
    with pytest.raises(UsageError):
        catalog.op("no.such.op")


def test_the_readme_flow_table_is_written_from_the_catalog() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_block() in readme, "README.md's flow table is stale; paste:\n" + readme_block()


# --- the compiled argument checks against jsonschema ----------------------------------------------------------------


def test_every_vector_input_is_accepted_by_both() -> None:
    for case in CASES:
        assert _reference_validator(case.op).is_valid(case.input), case.case_id
        assert _compiled_accepts(case.op, case.input), case.case_id


_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
_json = st.recursive(
    _json_leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
)


#: Built once: a strategy's label is computed from its elements on first use, and for every vector case that took
#: 60% of the test's time when the strategy was made anew in each example (the draws are the same either way).
_CASE = st.sampled_from(CASES)
_MUTATION = st.sampled_from(["drop", "add", "replace", "nest", "whole"])


@st.composite
def _mutated_call(draw: st.DrawFn) -> tuple[str, Any]:
    case = draw(_CASE)
    args = dict(case.input)
    kind = draw(_MUTATION)
    if kind == "drop" and args:
        args.pop(draw(st.sampled_from(sorted(args))))
    elif kind == "add":
        args[draw(st.text(max_size=6))] = draw(_json)
    elif kind == "replace" and args:
        args[draw(st.sampled_from(sorted(args)))] = draw(_json)
    elif kind == "nest" and args:
        name = draw(st.sampled_from(sorted(args)))
        if isinstance(args[name], list) and args[name]:
            items = list(args[name])
            items[draw(st.integers(0, len(items) - 1))] = draw(_json)
            args[name] = items
    elif kind == "whole":
        return case.op, draw(_json)
    return case.op, args


@settings(max_examples=3000, deadline=None)
@given(_mutated_call())
def test_compiled_checks_agree_with_jsonschema(call: tuple[str, Any]) -> None:
    op, args = call
    assert _compiled_accepts(op, args) == _reference_validator(op).is_valid(args), (op, args)


def test_messages_name_the_argument_never_the_value() -> None:
    secret = "Canary-Secret-51a2"
    with pytest.raises(InvalidArgument, match="'email'") as raised:
        catalog.check_args("thread.connection_key", {"email": 5, "secret": secret})
    assert secret not in str(raised.value)
    with pytest.raises(InvalidArgument, match="unexpected argument") as raised:
        catalog.check_args("thread.connection_key", {"email": "e", "secret": "s", secret: secret})
    assert "unexpected" in str(raised.value)
    with pytest.raises(InvalidArgument, match=r"launches\[0\]\.atMs"):
        catalog.check_args(
            "boldchat.validator.launch",
            {"hashingKeys": ["k"], "launches": [{"type": "chat", "secureParameters": "", "atMs": "x"}]},
        )


def test_schema_files_reference_the_op_schemas() -> None:
    for path in sorted(Path(schemas_dir()).glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        if path.name in {"ops.schema.json", "common.schema.json", "outputs.schema.json"}:
            continue
        assert "ops.schema.json#/$defs/" in text, f"{path.name} restates argument shapes"


def test_files_written_from_the_catalog_are_current() -> None:
    """The per-flow vector schemas, the kind ops' argument and output schemas and the README's flow table."""
    assert write.stale(REPO_ROOT / "README.md") == [], "stale: run python -m conformance.catalog.write"


def test_a_flow_schema_is_written_from_the_catalog_alone() -> None:
    entry = catalog.flow("thread_messenger")
    schema = write.flow_schema(entry, write.outputs_document()["$defs"])
    groups = schema["allOf"][1]["properties"]["testGroups"]["items"]
    assert groups["properties"]["op"]["enum"] == list(entry.op_names)
    refs = [case["then"]["properties"]["tests"]["items"]["properties"] for case in groups["allOf"]]
    assert refs[1]["intermediate"] == {"$ref": "outputs.schema.json#/$defs/thread.connection_key:intermediate"}
    assert all(set(ref) <= {"input", "output", "intermediate", "error"} for ref in refs)
