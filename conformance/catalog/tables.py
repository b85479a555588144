"""Checked per-op tables: every table keyed by catalog op (campaign generators, exclusions, reducers, allowances,
an implementation's op functions) is an :class:`OpTable`, filled by registration.

A registration refuses, when the module registering it is imported, an op the catalog does not declare and an op
registered twice in the same table (a merge of dicts would overwrite it silently). Refusals are ``ValueError``: a
mistake in the harness's own tables, never the user's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

from conformance.catalog.flows import FLOWS
from conformance.errors import InvalidArgument

V = TypeVar("V")
_DECLARED = frozenset(op.name for entry in FLOWS for op in entry.ops)


class CatalogError(InvalidArgument, ValueError):
    """An op table entry that cannot be registered: a catalog mistake, found at import (a ``ValueError`` too, as
    the catalog's other mistakes are)."""


class OpTable(Mapping[str, V], Generic[V]):
    """A read-only mapping op -> value whose entries come from :meth:`add` and :meth:`add_all`, checked."""

    def __init__(self, what: str, *tables: Mapping[str, V]) -> None:
        """``what`` names the table in refusals; ``tables`` are added in order. Raises :class:`CatalogError` for a
        ``what`` that is not a str."""
        if not isinstance(what, str):
            raise CatalogError(f"an op table's name must be a str, got {type(what).__name__}")
        self.what = what
        self._entries: dict[str, V] = {}
        for table in tables:
            self.add_all(table)

    def add(self, op: str, value: V) -> V:
        """Register ``value`` for ``op``; return it. Raises :class:`CatalogError` (a ``ValueError``) for an op that
        is not a str, undeclared or repeated."""
        if not isinstance(op, str):
            raise CatalogError(f"{self.what}: an op name must be a str, got {type(op).__name__}")
        if op not in _DECLARED:
            raise CatalogError(f"{self.what}: the catalog declares no op {op!r}")
        if op in self._entries:
            raise CatalogError(f"{self.what}: op {op!r} is registered twice")
        self._entries[op] = value
        return value

    def add_all(self, table: Mapping[str, V]) -> None:
        """:meth:`add` each entry of ``table``. Raises :class:`CatalogError` for a table that is not a mapping."""
        if not isinstance(table, Mapping):
            raise CatalogError(f"{self.what}: a table must be a mapping op -> value, got {type(table).__name__}")
        for op, value in table.items():
            self.add(op, value)

    def __getitem__(self, op: str) -> V:
        return self._entries[op]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"OpTable({self.what!r}, {len(self)} ops)"


def disjoint(*tables: OpTable[object]) -> None:
    """Raise ``ValueError`` when an op is in two of ``tables`` (a generator and an exclusion, say)."""
    seen: dict[str, str] = {}
    for table in tables:
        for op in table:
            if op in seen:
                raise ValueError(f"op {op!r} is both in {seen[op]} and in {table.what}")
            seen[op] = table.what
