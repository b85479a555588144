"""Every op of every built-in implementation refuses malformed arguments with a typed error naming the argument:
a missing key, an extra key, a wrongly typed value, and arguments that are not an object."""

from __future__ import annotations

from typing import Any

import pytest

from conformance import catalog, registry
from conformance.errors import InvalidArgument
from conformance.vectors import load_cases
from tests.conftest import require

FIRST_CASE_PER_OP = {case.op: case for case in reversed(load_cases())}
#: Ops without vectors, with one well-formed call each.
EXTRA_ARGS = {
    "talkative.sign_jose": {"fields": [], "alg": "ES256", "keyPem": "x"},
    "boldchat.pgp.seal": {"params": "a=b", "serverPublicKey": "k", "signingPrivateKey": "k"},
}
WRONG_VALUES: tuple[Any, ...] = (12, [], {}, True, 1.5)
CANARY = "Canary-Value-7c1e"


#: Ops without vectors whose arguments are another op's: the Java token takes its clock-free layout op's.
SAME_ARGS = {"twilio.access_token.token_java": "twilio.access_token.create_java"}


def _good_args(op: str) -> dict[str, Any]:
    case = FIRST_CASE_PER_OP.get(SAME_ARGS.get(op, op))
    return dict(case.input) if case is not None else dict(EXTRA_ARGS[op])


def _malformed(op: str) -> list[tuple[str, Any, str]]:
    """(what, args, argument name the error must mention) for every malformed form of ``op``'s arguments."""
    schema = catalog.op_schema(op)
    good = _good_args(op)
    forms: list[tuple[str, Any, str]] = [("not an object", [CANARY], ""), ("null", None, "")]
    for name in schema.get("required", []):
        forms.append((f"missing {name}", {k: v for k, v in good.items() if k != name}, name))
    forms.append(("extra key", {**good, "noSuchArgument": CANARY}, "noSuchArgument"))
    for name, sub in schema["properties"].items():
        if not sub:  # any JSON is allowed here (the op checks the content itself)
            continue
        for wrong in WRONG_VALUES:
            forms.append((f"{name}={wrong!r}", {**good, name: wrong}, name))
    return forms


def _expected_refusal(op: str, args: Any) -> bool:
    try:
        catalog.check_args(op, args)
    except InvalidArgument:
        return True
    return False


@pytest.mark.parametrize("implementation", registry.names())
def test_malformed_arguments_are_typed_errors(implementation: str) -> None:
    """For every op the implementation answers: not an object, null, each required key missing, an extra key, and
    each argument wrongly typed, all in one batch."""
    require(implementation)
    target = registry.shared(implementation)
    assert target.ops() <= set(catalog.op_names()), "an implementation answers an op the catalog does not declare"
    forms = [
        (op, what, args, name)
        for op in sorted(target.ops())
        for what, args, name in _malformed(op)
        if _expected_refusal(op, args)
    ]
    assert {op for op, *_ in forms} == target.ops()
    outcomes = target.call_many([(op, args) for op, _, args, _ in forms])
    problems = []
    for (op, what, _, name), outcome in zip(forms, outcomes, strict=True):
        message = outcome.message or ""
        if outcome.status != "error" or outcome.reason not in {"InvalidArgument", "NullArgument"}:
            problems.append(f"{op} {what}: {outcome.describe()}")
        elif name and name not in message:
            problems.append(f"{op} {what}: the message does not name {name!r}: {message}")
        elif CANARY in message:
            problems.append(f"{op} {what}: the message quotes the value")
    assert not problems, "\n".join(problems)


def test_every_op_has_an_argument_schema_and_a_flow() -> None:
    for op in catalog.op_names():
        assert catalog.op_schema(op)["type"] == "object"
        assert op in catalog.flow_of(op).op_names
