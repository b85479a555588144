"""Op kinds: registrations that validate, ops of a kind derived from it, and every kind op has the parts it needs."""

from __future__ import annotations

import json
import random
from typing import Any, ClassVar

import pytest

from conformance import catalog, registry
from conformance.catalog import kind_op
from conformance.jsonlines import _request_line
from conformance.kinds import Kind, Part, kind, register, registered
from conformance.kinds.base import _KINDS


class _Echo(Kind):
    name = "test_echo.verify"
    role = "consumes"
    result = "boolean"
    parameters: ClassVar[dict[str, str]] = {"field": "the argument echoed", "case": "lower or upper"}
    defaults: ClassVar[dict[str, Any]] = {"case": "lower"}

    def check_params(self, params: Any) -> None:
        if params["case"] not in ("lower", "upper"):
            raise ValueError("case must be lower or upper")

    def schema(self, params: Any) -> dict[str, Any]:
        return {"type": "object", "required": [params["field"]], "properties": {params["field"]: {"type": "string"}}}

    def python(self, params: Any) -> Any:
        return lambda args: args[params["field"]] == "yes"

    def decisions(self, params: Any, value: Any) -> tuple[bool, ...]:
        return (value is True,)


@pytest.fixture
def echo() -> Any:
    register(_Echo)
    yield kind("test_echo.verify")
    _KINDS.pop("test_echo.verify", None)


def test_an_op_of_a_kind_takes_role_result_decisions_and_resolved_params_from_it(echo: Kind) -> None:
    op = kind_op("test.echo.verify", "test_echo.verify", "an echo", field="userId")
    assert (op.role, op.result, op.kind) == ("consumes", "boolean", "test_echo.verify")
    assert dict(op.params) == {"field": "userId", "case": "lower"}
    assert op.decisions(True) == (True,) and op.decisions(False) == (False,)
    part = Part(op.name, echo, op.params)
    assert part.python()({"userId": "yes"}) is True
    assert part.wire() == {"kind": "test_echo.verify", "params": {"field": "userId", "case": "lower"}}
    assert part.generator() is None and part.probes() is None and part.mistakes() == ()


def test_kind_parameters_are_checked_at_declaration(echo: Kind) -> None:
    with pytest.raises(ValueError, match="unknown parameter"):
        kind_op("test.echo.verify", "test_echo.verify", "x", field="a", colour="red")
    with pytest.raises(ValueError, match="missing parameter"):
        kind_op("test.echo.verify", "test_echo.verify", "x")
    with pytest.raises(ValueError, match="case must be"):
        kind_op("test.echo.verify", "test_echo.verify", "x", field="a", case="title")
    with pytest.raises(ValueError, match="unknown op kind"):
        kind_op("test.echo.verify", "no_such.kind", "x")


def test_registration_refuses_a_duplicate_and_a_malformed_kind(echo: Kind) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register(_Echo)

    class NoRole(_Echo):
        name = "test_norole.verify"
        role = "judges"

    class Undocumented(_Echo):
        name = "test_undocumented.verify"
        defaults: ClassVar[dict[str, Any]] = {"colour": "red"}

    class Unnamed(_Echo):
        name = "unnamed"

    for bad, message in ((NoRole, "role"), (Undocumented, "undocumented"), (Unnamed, "family.action")):
        with pytest.raises(ValueError, match=message):
            register(bad)
    assert set(registered()) & {"test_norole.verify", "test_undocumented.verify", "unnamed"} == set()


def test_a_hand_written_op_has_no_kind_part_and_its_request_carries_no_kind() -> None:
    assert catalog.part("thread.connection_key") is None and catalog.part("no.such.op") is None
    line = json.loads(_request_line(7, "thread.connection_key", {"email": "e", "secret": "s"}))
    assert line == {"id": 7, "op": "thread.connection_key", "args": {"email": "e", "secret": "s"}}


KIND_PARTS = catalog.kind_parts()


@pytest.mark.parametrize("found", KIND_PARTS, ids=[found.op for found in KIND_PARTS])
def test_every_op_of_a_kind_has_the_parts_its_kind_needs(found: Part) -> None:
    """Port, schema, a campaign generator whose cases fit the schema, and (consumers) probes and mistakes."""
    assert found.op in registry.python_ops()
    assert catalog.op_schema(found.op) == found.schema()
    made = found.generator()
    assert made is not None, f"{found.op}: its kind {found.kind.name} gives no campaign generator"
    rnd = random.Random(5)
    for _ in range(50):
        catalog.check_args(found.op, made(rnd))
    line = json.loads(_request_line(1, found.op, {}))
    assert line["kind"] == found.kind.name and line["params"] == dict(found.params)
    if found.kind.role == "consumes":
        assert found.probes() is not None, f"{found.op}: a consumer kind needs adapter probes"
        assert found.mistakes(), f"{found.op}: a consumer kind needs inspect's mistakes"
