"""Op arguments, checked against the op's JSON Schema before the op runs, in every implementation alike.

The schemas are written once, in ``vectors/schemas/ops.schema.json`` (``$defs`` keyed by op name), which the vector
schemas ``$ref`` for their tests' input. Here each is compiled once into a plain Python check, because a campaign
checks millions of calls: the subset of JSON Schema the file uses (``type``, ``enum``, ``pattern``, ``required``,
``properties``, ``additionalProperties: false``, ``items``, ``prefixItems``, ``minItems``, ``maxItems``, ``oneOf``
and local ``$ref``) is supported, and any other keyword is refused when the schema is loaded.
``tests/test_catalog.py`` holds the compiled checks to :mod:`jsonschema`'s verdicts.

Errors are :class:`~conformance.errors.InvalidArgument` (or :class:`~conformance.errors.NullArgument` for a
``null`` where none is allowed) and name the argument by its path, never its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from conformance.errors import InvalidArgument, NullArgument, UsageError
from conformance.paths import schemas_dir

OPS_SCHEMA = "ops.schema.json"
#: A check returns None when the value is acceptable, else (error class, message).
Problem = tuple[type[InvalidArgument], str]
Check = Callable[[Any, str], Problem | None]

_KNOWN = {
    "$ref",
    "type",
    "enum",
    "pattern",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "oneOf",
    "description",
    "title",
}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, (list, tuple)),
    "object": lambda v: isinstance(v, Mapping),
    "null": lambda v: v is None,
}


@cache
def _document() -> dict[str, Any]:
    path = schemas_dir() / OPS_SCHEMA
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: the op argument schemas cannot be read ({type(exc).__name__})") from None


def op_schema(op: str) -> dict[str, Any]:
    """The JSON Schema of ``op``'s arguments. Raises :class:`UsageError` for an op without one,
    :class:`InvalidArgument` for an op that is not a str."""
    if not isinstance(op, str):
        raise InvalidArgument(f"op must be an op name (str), got {_type_name(op)}")
    schema = _document()["$defs"].get(op)
    if schema is None:
        raise UsageError(f"no argument schema for op {op!r} in {OPS_SCHEMA}")
    return schema


def _name(path: str) -> str:
    return f"argument {path!r}" if path else "the arguments"


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _compile(schema: Any, label: str = "") -> Check:
    if schema is True or schema == {}:
        return lambda _v, _p: None
    if schema is False:
        return lambda _v, p: (InvalidArgument, f"unexpected {_name(p)}")
    unknown = set(schema) - _KNOWN
    if unknown:
        raise UsageError(f"{OPS_SCHEMA}: unsupported keyword(s) {sorted(unknown)}")
    checks: list[Check] = []
    if "$ref" in schema:
        target = schema["$ref"].removeprefix("#/$defs/")
        checks.append(_compile(_document()["$defs"][target], target))
    if "type" in schema:
        checks.append(_type_check(schema["type"], label))
    if "enum" in schema:
        allowed = list(schema["enum"])
        shown = ", ".join(json.dumps(a) for a in allowed)
        checks.append(lambda v, p: None if v in allowed else (InvalidArgument, f"{_name(p)} must be one of {shown}"))
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        what = label or "in the expected format"
        checks.append(
            lambda v, p: (
                None if not isinstance(v, str) or pattern.search(v) else (InvalidArgument, f"{_name(p)} must be {what}")
            )
        )
    if "prefixItems" in schema or "items" in schema or "minItems" in schema or "maxItems" in schema:
        checks.append(_array_check(schema))
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        checks.append(_object_check(schema))
    if "oneOf" in schema:
        checks.append(_one_of_check(schema["oneOf"], label))
    if len(checks) == 1:
        return checks[0]

    def check_all(value: Any, path: str) -> Problem | None:
        for check in checks:
            problem = check(value, path)
            if problem is not None:
                return problem
        return None

    return check_all


def _type_check(types: str | list[str], label: str) -> Check:
    names = [types] if isinstance(types, str) else list(types)
    shown = label or " or ".join(names)
    if names == ["string"]:  # the common case, kept cheap

        def check_string(value: Any, path: str) -> Problem | None:
            if value.__class__ is str or isinstance(value, str):
                return None
            if value is None:
                return NullArgument, f"{_name(path)} must not be null"
            return InvalidArgument, f"{_name(path)} must be {shown}, got {_type_name(value)}"

        return check_string
    tests = [_TYPES[name] for name in names]

    def check(value: Any, path: str) -> Problem | None:
        for test in tests:
            if test(value):
                return None
        if value is None:
            return NullArgument, f"{_name(path)} must not be null"
        return InvalidArgument, f"{_name(path)} must be {shown}, got {_type_name(value)}"

    return check


def _array_check(schema: Mapping[str, Any]) -> Check:
    prefix = [_compile(item) for item in schema.get("prefixItems", [])]
    rest = _compile(schema["items"]) if "items" in schema else None
    low, high = schema.get("minItems"), schema.get("maxItems")

    def check(value: Any, path: str) -> Problem | None:
        if not isinstance(value, (list, tuple)):
            return None
        if low is not None and len(value) < low:
            return InvalidArgument, f"{_name(path)} must have at least {low} item(s)"
        if high is not None and len(value) > high:
            return InvalidArgument, f"{_name(path)} must have at most {high} item(s)"
        for index, item in enumerate(value):
            inner = prefix[index] if index < len(prefix) else rest
            if inner is not None:
                problem = inner(item, f"{path}[{index}]")
                if problem is not None:
                    return problem
        return None

    return check


def _object_check(schema: Mapping[str, Any]) -> Check:
    properties = {name: _compile(sub) for name, sub in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    closed = schema.get("additionalProperties", True) is False

    def check(value: Any, path: str) -> Problem | None:
        if not isinstance(value, Mapping):
            return None
        prefix = f"{path}." if path else ""
        for name in required:
            if name not in value:
                return InvalidArgument, f"missing {_name(prefix + name)}"
        for name, item in value.items():
            inner = properties.get(name)
            if inner is None:
                if closed:
                    shown = name if isinstance(name, str) else _type_name(name)
                    return InvalidArgument, f"unexpected {_name(prefix + str(shown))}"
                continue
            problem = inner(item, prefix + name)
            if problem is not None:
                return problem
        return None

    return check


def _one_of_check(options: list[Any], label: str) -> Check:
    compiled = [_compile(option) for option in options]
    required_only = all(set(option) == {"required"} for option in options)
    names = ", ".join(name for option in options for name in option.get("required", ()))

    def check(value: Any, path: str) -> Problem | None:
        problems = [inner(value, path) for inner in compiled]
        passed = problems.count(None)
        if passed == 1:
            return None
        if required_only and isinstance(value, Mapping):
            return InvalidArgument, f"the arguments must hold exactly one of {names}"
        if passed == 0:
            if value is None:
                return NullArgument, f"{_name(path)} must not be null"
            first = next(problem for problem in problems if problem is not None)
            return first[0], f"{_name(path)} must be {label}" if label else first[1]
        return InvalidArgument, f"{_name(path)} matches more than one allowed form"

    return check


@cache
def _checker(op: str) -> Check:
    return _compile(op_schema(op))


def check_args(op: str, args: Any) -> Mapping[str, Any]:
    """Return ``args`` when they fit ``op``'s argument schema.

    Raises :class:`InvalidArgument` for arguments that are not an object, a missing, extra or wrongly typed
    argument (the message names it, never its value), :class:`NullArgument` for a forbidden ``null``, and
    :class:`UsageError` for an op without a schema (:class:`InvalidArgument` for an op that is not a str).
    """
    try:
        check = _checker(op)
    except TypeError:  # an unhashable op, refused before the cache looks it up
        raise InvalidArgument(f"op must be an op name (str), got {_type_name(op)}") from None
    if not isinstance(args, Mapping):
        raise InvalidArgument(f"op arguments must be a JSON object, got {_type_name(args)}")
    problem = check(args, "")
    if problem is not None:
        raise problem[0](problem[1])
    return args
