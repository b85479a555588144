"""Describing a case's expected and actual answers, and their byte-level diff (shared by the reports).

The HTML report's script renders the same diff in the browser; :func:`diff_operands` is the rule both follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from conformance.hexdiff import hex_diff

SHOWN_CHARS = 120
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")


def _short(value: Any, limit: int = SHOWN_CHARS) -> str:
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_expected(expected: Mapping[str, Any]) -> str:
    """``value "..."`` or ``error Reason`` for a vector's expectation."""
    if "error" in expected:
        return f"error {expected['error']}"
    return f"value {_short(expected.get('output'))}"


def describe_actual(actual: Mapping[str, Any]) -> str:
    """What an implementation answered, in one line."""
    status = actual.get("status", "?")
    if status == "value":
        return f"value {_short(actual.get('value'))}"
    if status == "error":
        return f"error {actual.get('reason')}: {actual.get('message', '')}".rstrip(": ")
    return f"{status}: {actual.get('message', '')}".rstrip(": ")


def _as_bytes(value: Any, hex_pair: bool) -> bytes:
    if isinstance(value, str):
        return bytes.fromhex(value) if hex_pair else value.encode("utf-8", "surrogatepass")
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")


def diff_operands(expected: Any, actual: Any) -> tuple[bytes, bytes]:
    """The bytes to compare: hex strings on both sides are decoded, other strings are UTF-8 (lone surrogates as
    their three-byte form), anything else is its compact sorted-key ASCII JSON."""
    hex_pair = (
        isinstance(expected, str)
        and isinstance(actual, str)
        and _HEX.fullmatch(expected) is not None
        and _HEX.fullmatch(actual) is not None
    )
    return _as_bytes(expected, hex_pair), _as_bytes(actual, hex_pair)


def value_diff(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str | None:
    """The hex diff of an expected output against an answered value; None unless both are values that differ."""
    if "output" not in expected or actual.get("status") != "value" or expected["output"] == actual.get("value"):
        return None
    left, right = diff_operands(expected["output"], actual.get("value"))
    return hex_diff(left, right, labels=("expected", "actual"))
