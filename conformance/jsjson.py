"""JavaScript-exact text: ``JSON.stringify`` of strings and numbers, JS string semantics, node's Buffer codecs.

Python strings are code points; JavaScript strings are UTF-16 code units. A Python string holding a surrogate pair
as two code points is, to JavaScript, the astral character: :func:`js_string` joins such pairs and leaves lone
surrogates alone, so every function here sees the string node would see.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from conformance.arguments import require_str
from conformance.errors import InvalidArgument

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\ud800-\udfff]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class JsonSyntaxError(InvalidArgument, ValueError):
    """Where ``JSON.parse`` throws a ``SyntaxError``; a ``ValueError`` too, as callers catch it."""

    reason = "JsonSyntax"


def js_string(text: str) -> str:
    """``text`` as JavaScript sees it: surrogate pairs held as two code points are joined. Raises
    :class:`InvalidArgument` for what is not a ``str``."""
    if type(text) is not str:
        require_str(text, "text")
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def stringify_string(text: str) -> str:
    """``JSON.stringify(text)``: quotes, backslash and C0 controls escaped, lone surrogates as ``\\udxxx``."""
    return '"' + _ESCAPE.sub(_escape, js_string(text)) + '"'


def number_to_string(value: float) -> str:
    """ECMAScript ``Number::toString(value)`` (what ``JSON.stringify`` writes for a finite number). Raises
    :class:`InvalidArgument` for what is not a finite double."""
    if type(value) is not float:
        value = to_js_number(value)
    if not math.isfinite(value):
        raise InvalidArgument("value must be a finite number")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + number_to_string(-value)
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int) and not sign
    k = len(digits)
    n = len("".join(map(str, digit_tuple))) + exponent
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def to_js_number(value: int | float) -> float:
    """The double JavaScript holds for ``value`` (an int beyond the double range becomes an infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgument(f"expected a number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def stringify_number(value: int | float) -> str:
    """``JSON.stringify(number)``: non-finite numbers become ``null``."""
    number = to_js_number(value)
    return number_to_string(number) if math.isfinite(number) else "null"


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")


def _own_keys(value: dict[str, Any]) -> list[str]:
    """A JavaScript object's key order: array indices (canonical integers below 2**32 - 1) ascending, then the other
    keys in insertion order."""
    indices = sorted((k for k in value if _ARRAY_INDEX.fullmatch(k) and int(k) < 2**32 - 1), key=int)
    chosen = set(indices)
    return indices + [k for k in value if k not in chosen]


def stringify(value: Any) -> str:
    """``JSON.stringify(value)`` of a JSON value (``dict``, ``list``, ``str``, numbers, ``bool``, ``None``) as node
    writes it after ``JSON.parse`` made it: JavaScript key order, JavaScript numbers, no whitespace.

    Raises :class:`InvalidArgument` for anything that is not a JSON value (or a non-string key), and for a value
    nested deeper than Python's recursion limit (node's ``JSON.stringify`` throws a ``RangeError`` too, deeper).
    """
    try:
        return _stringify(value)
    except RecursionError:
        raise InvalidArgument("the value is nested too deeply to write as JSON") from None


def _stringify(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, str):
        return stringify_string(value)
    if isinstance(value, (int, float)):
        return stringify_number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_stringify(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise InvalidArgument("object keys must be strings")
        keys = _own_keys({js_string(k): v for k, v in value.items()})
        joined = {js_string(k): v for k, v in value.items()}
        return "{" + ",".join(stringify_string(k) + ":" + _stringify(joined[k]) for k in keys) + "}"
    raise InvalidArgument(f"not a JSON value: {type(value).__name__}")


def utf8(text: str) -> bytes:
    """``Buffer.from(text, 'utf8')`` / ``TextEncoder``: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", js_string(text)).encode("utf-8")


def latin1_low_bytes(text: str) -> bytes:
    """``Buffer.from(text, 'binary')``: the low byte of every UTF-16 code unit (characters above U+00FF mangle)."""
    return js_string(text).encode("utf-16-le", "surrogatepass")[::2]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _js_float(text: str) -> Any:
    number = float(text)
    if not math.isfinite(number):
        return None  # JSON.stringify writes null for the infinity JSON.parse makes of 1e400
    return json.loads(number_to_string(number))


def parse(text: str) -> Any:
    """``JSON.parse(text)`` with numbers as JavaScript holds them (doubles), as they come back through JSON.

    Raises :class:`JsonSyntaxError` (a ``ValueError``) where ``JSON.parse`` throws (NaN and Infinity literals are not
    JSON), and for text nested too deeply; :class:`InvalidArgument` for what is not a ``str``.
    """
    if type(text) is not str:
        require_str(text, "text")
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_js_float, parse_int=_js_float)
    except RecursionError:
        raise JsonSyntaxError("nested too deeply") from None
    except ValueError as exc:
        raise JsonSyntaxError(f"not JSON ({type(exc).__name__} at character {getattr(exc, 'pos', '?')})") from None
