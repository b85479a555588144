"""Which vectors a run takes: one filter for the CLI, the pytest plugin and campaigns.

Every name a filter holds must select something: an unknown flow, op, flag, result or case id (a typo inside a comma
list included) is a :class:`~conformance.errors.UsageError` that says which filter and lists the valid names.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.arguments import require_instance, require_path
from conformance.errors import InvalidArgument, NullArgument, UsageError
from conformance.paths import kind_of
from conformance.vectors import VectorCase, iter_cases, load_cases

RESULTS = ("valid", "invalid", "acceptable")
#: How many valid names an error message lists before it says "...".
SHOWN_NAMES = 40
#: The longest flow, op, flag or case id name (or glob) a filter takes; real ones are under 60 characters.
MAX_NAME = 1000


def _names(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not all(isinstance(item, str) for item in value):
        raise InvalidArgument(f"CaseFilter.{field} must be a sequence of strings")
    names = tuple(part.strip() for item in value for part in item.split(",") if part.strip())
    if any(len(name) > MAX_NAME for name in names):
        raise InvalidArgument(f"CaseFilter.{field}: a name (or glob) longer than {MAX_NAME} characters")
    return names


def _cases(cases: object, name: str) -> list[VectorCase]:
    """``cases`` as a list of :class:`VectorCase`. Raises :class:`InvalidArgument` for anything else."""
    if cases is None:
        raise NullArgument(f"{name} must not be None")
    if isinstance(cases, (str, bytes)) or not isinstance(cases, Iterable):
        raise InvalidArgument(f"{name} must be an iterable of VectorCase, got {type(cases).__name__}")
    listed = list(cases)
    if not all(isinstance(case, VectorCase) for case in listed):
        raise InvalidArgument(f"{name} must hold VectorCase objects only")
    return listed


def _glob(patterns: Sequence[str], value: str) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns)


@dataclass(frozen=True)
class CaseFilter:
    """Each non-empty field must match: ``flows`` (flow ids, globs), ``ops`` (globs, ``khoros.skep.*``),
    ``flags``, ``tc_ids`` (``12``, or ``khoros_cryptor#12``, globs) and ``results``. Comma lists are split.

    Raises :class:`InvalidArgument` when a field is not a sequence of strings.
    """

    flows: tuple[str, ...] = ()
    ops: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    tc_ids: tuple[str, ...] = ()
    results: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for field in ("flows", "ops", "flags", "tc_ids", "results"):
            object.__setattr__(self, field, _names(getattr(self, field), field))

    def accepts(self, case: VectorCase) -> bool:
        """Whether ``case`` passes every field. Raises :class:`InvalidArgument` when it is not a VectorCase."""
        require_instance(case, "case", VectorCase)
        return (
            (_glob(self.flows, case.flow) or _glob(self.flows, case.scheme))
            and _glob(self.ops, case.op)
            and (not self.flags or any(flag in case.flags for flag in self.flags))
            and (not self.tc_ids or _glob(self.tc_ids, str(case.tc_id)) or _glob(self.tc_ids, case.case_id))
            and (not self.results or case.result in self.results)
        )

    def accepts_op(self, op: str) -> bool:
        """Whether an op name passes ``ops`` (campaigns select ops, not vectors, with it)."""
        return _glob(self.ops, op)

    def check(self, cases: Sequence[VectorCase]) -> None:
        """Raise :class:`UsageError` for any name that selects nothing among ``cases`` (:class:`InvalidArgument`
        when ``cases`` are not VectorCase objects)."""
        cases = _cases(cases, "cases")
        _check("--flow", self.flows, {c.flow for c in cases} | {c.scheme for c in cases}, shown={c.flow for c in cases})
        _check("--op", self.ops, {c.op for c in cases})
        _check("--flag", self.flags, {flag for c in cases for flag in c.flags}, globs=False)
        _check("--result", self.results, set(RESULTS), globs=False)
        ids = {c.case_id for c in cases} | {str(c.tc_id) for c in cases}
        _check("--tcid", self.tc_ids, ids, shown={f"{c.flow}#N" for c in cases})

    def select(self, cases: Iterable[VectorCase]) -> list[VectorCase]:
        """The cases this filter accepts, after :meth:`check` on all of them; none selected is a UsageError."""
        cases = _cases(cases, "cases")
        self.check(cases)
        chosen = [case for case in cases if self.accepts(case)]
        if not chosen:
            raise UsageError("the filters together select no vectors (each selects some on its own)")
        return chosen


def _check(
    option: str, given: Sequence[str], known: set[str], *, globs: bool = True, shown: set[str] | None = None
) -> None:
    unknown = [
        name for name in given if not (any(fnmatch.fnmatchcase(k, name) for k in known) if globs else name in known)
    ]
    if unknown:
        names = sorted(shown if shown is not None else known)
        listed = ", ".join(names[:SHOWN_NAMES]) + (", ..." if len(names) > SHOWN_NAMES else "")
        raise UsageError(f"{option}: no vector matches {', '.join(map(repr, unknown))}; valid: {listed}")


def select_cases(path: Path | str | None = None, selection: CaseFilter | None = None) -> list[VectorCase]:
    """The vectors of a directory or one file (the project's by default) that ``selection`` accepts.

    Raises :class:`~conformance.errors.VectorFileError` for a missing or invalid file, :class:`InvalidArgument` for
    a path or selection of the wrong type.
    """
    location = require_path(path, "path") if path is not None else None
    if selection is not None and not isinstance(selection, CaseFilter):
        raise InvalidArgument("selection must be a CaseFilter")
    one_file = location is not None and kind_of(location) == "file"
    cases = list(iter_cases(location)) if one_file else load_cases(location)
    selection = selection or CaseFilter()
    return [case for case in cases if selection.accepts(case)]
