"""Text as hex on the wire, for references whose JSON parser cannot be trusted with text (PHP, Ruby).

JSON cannot tell a surrogate pair from a lone high surrogate followed by a lone low one, and parsers differ on lone
surrogates, so each text argument of an op (a ``"type": "string"`` property without a ``pattern`` in its schema) is
sent as the hex of its UTF-8 bytes, lone surrogates written as their 3-byte forms (``surrogatepass``). The reference
decodes the hex and checks the bytes with its own UTF-8 validator: bytes that are not UTF-8 (only lone surrogates
produce them) answer ``UnencodableText``. ``None`` and other non-``str`` values cross as themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from conformance import catalog
from conformance.errors import InvalidArgument


@cache
def text_args(op: str) -> frozenset[str]:
    """The arguments of ``op`` that are text (``"type": "string"`` without a pattern), from its schema."""
    schema = catalog.op_schema(op)
    return frozenset(
        name
        for name, sub in schema.get("properties", {}).items()
        if sub.get("type") == "string" and "pattern" not in sub and "$ref" not in sub
    )


def _wire_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").hex()
    if value is None or isinstance(value, (bool, int, float, list, dict)):
        return value
    return {"pythonType": type(value).__name__}  # not a string: the reference answers InvalidArgument


def wire_args(op: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """``args`` as a hex-text reference takes them: every text argument as the hex of its (WTF-8) bytes."""
    if not isinstance(args, Mapping):
        raise InvalidArgument("op arguments must be a JSON object")
    text = text_args(op)
    return {name: _wire_value(value) if name in text else value for name, value in args.items()}


__all__ = ["text_args", "wire_args"]
