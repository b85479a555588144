"""Divergences in classes: what differs, not which case. A campaign counts every divergence under its signature (the
op, the pair of answer kinds with their reasons, and for two values the kind of difference) and keeps the first
case of each class as its example; the example is what gets minimized and saved.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from conformance.arguments import require_instance, require_items, require_mapping, require_str
from conformance.outcome import Outcome

#: The Unicode replacement character: decoders that replace differently leave different counts of it.
REPLACEMENT = "\ufffd"


def _answer(outcome: Outcome) -> str:
    if outcome.status == "error":
        return f"error {outcome.reason}"
    return outcome.status


def _text_difference(reference: str, actual: str) -> str:
    if reference.count(REPLACEMENT) != actual.count(REPLACEMENT):
        return "replacement characters"
    for form in ("NFC", "NFD"):
        if unicodedata.normalize(form, reference) == unicodedata.normalize(form, actual):
            return "Unicode normalization"
    if reference.casefold() == actual.casefold():
        return "letter case"
    if reference.strip() == actual.strip():
        return "surrounding whitespace"
    if len(reference) != len(actual):
        return "length"
    return "content"


def _container_difference(reference: dict | list, actual: dict | list) -> str:
    """Containers compared as canonical JSON text (keys sorted), so the class never names a generated key; values
    that are not JSON text (a key that is not text, a cycle, too deep a nesting) differ in ``content``."""
    if len(reference) != len(actual):
        return "JSON: number of members"
    try:
        texts = [json.dumps(value, sort_keys=True, ensure_ascii=False) for value in (reference, actual)]
    except (TypeError, ValueError, RecursionError):
        return "JSON: content"
    return f"JSON: {_text_difference(*texts)}"


def value_difference(reference: Any, actual: Any) -> str:
    """The kind of difference between two values (``type``, ``length``, ``letter case``, ``JSON: ...``)."""
    if type(reference) is not type(actual):
        return f"type ({type(reference).__name__} vs {type(actual).__name__})"
    if isinstance(reference, str):
        return _text_difference(reference, actual)
    if isinstance(reference, (dict, list)):
        return _container_difference(reference, actual)
    return "content"


def signature(op: str, reference: Outcome, actual: Outcome) -> str:
    """A divergence's class: ``op: reference answer / implementation answer`` and, for two values, how they
    differ. Raises :class:`InvalidArgument` for arguments of the wrong type."""
    op = require_str(op, "op")
    reference, actual = require_instance(reference, "reference", Outcome), require_instance(actual, "actual", Outcome)
    text = f"{op}: {_answer(reference)} / {_answer(actual)}"
    if reference.status == actual.status == "value":
        text += f" ({value_difference(reference.value, actual.value)})"
    return text


@dataclass
class DivergenceClass:
    """Every divergence with one signature: how many, and the first case (``example``, a Divergence)."""

    signature: str
    count: int
    example: Any

    def absorb(self, other: DivergenceClass) -> None:
        """Add ``other``'s count; keep the earlier example. Raises :class:`InvalidArgument` for what is not a class."""
        other = require_instance(other, "other", DivergenceClass)
        self.count += other.count
        if other.example.case < self.example.case:
            self.example = other.example


def _classes(value: object, name: str) -> dict[str, DivergenceClass]:
    mapping = require_mapping(value, name)
    require_items(list(mapping.values()), name, DivergenceClass)
    return dict(mapping)


def add_classes(into: dict[str, DivergenceClass], found: dict[str, DivergenceClass]) -> None:
    """Merge the classes ``found`` (of a part, a shard) into ``into``. Raises :class:`InvalidArgument` for what is
    not a mapping of classes."""
    into = require_instance(into, "into", dict)
    for key, entry in _classes(found, "found").items():
        mine = into.get(key)
        if mine is None:
            into[key] = DivergenceClass(entry.signature, entry.count, entry.example)
        else:
            mine.absorb(entry)


def ranked(classes: dict[str, DivergenceClass]) -> list[DivergenceClass]:
    """The classes, most divergences first (then by first case): the order every report leads with. Raises
    :class:`InvalidArgument` for what is not a mapping of classes."""
    return sorted(_classes(classes, "classes").values(), key=lambda entry: (-entry.count, entry.example.case))
