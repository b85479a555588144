"""The words every report uses for an answer: the judge's reasons, the CLI, JUnit, the HTML page and Jupyter alike.

An answer of a *decision* op (one that consumes: a verifier, a decrypter, a launch validator) reads ``accepted`` or
``refused``; any other answer reads as its value or its error. :func:`diff_operands` says whether, and how, two
values are compared byte by byte: only the outputs of ops whose result is bytes (hex) or text.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.errors import UsageError
from conformance.outcome import Outcome

SHOWN_CHARS = 120
#: Result kinds (``Op.result``) whose values are compared byte by byte.
BYTE_KINDS = frozenset({"hex", "text"})


def short(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``value`` as compact ASCII JSON, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, allow_nan=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _op(name: str | None) -> Any:
    if not name:
        return None
    from conformance import catalog

    try:
        return catalog.op(name)
    except UsageError:
        return None


def decides(op_name: str | None) -> bool:
    """Whether ``op_name`` is a decision op (it accepts or refuses what a producer made)."""
    operation = _op(op_name)
    return operation is not None and operation.consumes


def kind_of(op_name: str | None) -> str:
    """The op's result kind (``Op.result``: text, hex, json, boolean); ``json`` for an op this build does not know."""
    operation = _op(op_name)
    return operation.result if operation is not None else "json"


def answer(outcome: Outcome, op_name: str | None = None, limit: int = SHOWN_CHARS, *, detail: bool = True) -> str:
    """One answer in words: ``accepted``/``refused (false)``/``refused: KidMismatch`` for a decision op,
    ``value "..."``/``error Reason (message)`` otherwise, ``io: ...``/``unsupported``/``unavailable: ...``;
    ``detail=False`` leaves out an error's message (a table cell)."""
    operation = _op(op_name)
    if outcome.status == "value":
        if operation is None or not operation.consumes:
            return f"value {short(outcome.value, limit)}"
        return _decision(operation, outcome.value, limit)
    if outcome.status == "error":
        word = "refused" if operation is not None and operation.consumes else "error"
        said = " ".join((outcome.message or "").split()) if detail else ""
        text = f"{word}: {outcome.reason}" if word == "refused" else f"error {outcome.reason}"
        return f"{text} ({said[:limit]})" if said and said != outcome.reason else text
    message = " ".join((outcome.message or "").split())
    return f"{outcome.status}: {message[:limit]}" if message else outcome.status


def _decision(operation: Any, value: Any, limit: int) -> str:
    decided = operation.decisions(value)
    shown = "" if operation.result == "boolean" else short(value, limit)
    if all(decided):
        return f"accepted ({short(value)})" if operation.result == "boolean" else f"accepted: {shown}"
    if not any(decided):
        return f"refused ({short(value, limit)})"
    return f"accepted {sum(decided)} of {len(decided)}: {shown}"


def notes(flag_notes: Any) -> str:
    """The vector's flags and what they mean, joined: ``TruncatedKey: A prefix ... (MAC_BYPASS)``."""
    return "; ".join(str(note) for note in flag_notes or ())


def diff_operands(kind: str, expected: Outcome, actual: Outcome) -> tuple[bytes, bytes] | None:
    """The bytes to compare when both answers are values of a bytes (hex) or text op and differ; else ``None``.

    Hex is decoded (a value that is not hex is compared as its text), text is UTF-8 with lone surrogates as their
    three-byte form."""
    if kind not in BYTE_KINDS or expected.status != "value" or actual.status != "value":
        return None
    left, right = expected.value, actual.value
    if not isinstance(left, str) or not isinstance(right, str) or left == right:
        return None
    return _bytes(left, kind), _bytes(right, kind)


def _bytes(text: str, kind: str) -> bytes:
    if kind == "hex":
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    return text.encode("utf-8", "surrogatepass")


def value_diff(kind: str, expected: Outcome, actual: Outcome) -> str | None:
    """The byte-level diff of two differing values of a bytes or text op (``None`` otherwise)."""
    from conformance.hexdiff import hex_diff

    operands = diff_operands(kind, expected, actual)
    return None if operands is None else hex_diff(*operands, labels=("expected", "actual"))


def explanation(
    op_name: str | None,
    expected: Outcome | None,
    actual: Outcome,
    flag_notes: Any = (),
    limit: int = SHOWN_CHARS,
) -> list[tuple[str, str]]:
    """The labelled lines every report shows for one answer: what was expected, what came, what the flags mean."""
    rows = []
    if expected is not None:
        rows.append(("expected", answer(expected, op_name, limit)))
    rows.append(("actual", answer(actual, op_name, limit)))
    meaning = notes(flag_notes)
    if meaning:
        rows.append(("flags", meaning))
    return rows
