"""The baseline diff: what got worse (regressions) and better (improvements) between two run records.

A *regression* is a case (or interop pair) that did not fail the gate before and now does (under the new record's
policy: :meth:`RunRecord.is_failing`), or that passed before and is now *unsupported* or missing: a pass that
silently stops being tested is never green. An *improvement* is one that failed before and now does not fail.
Other changes are reported apart, as neither. Only regressions make :func:`diff_exit_code` return 2, so
``--baseline`` gates on them alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from conformance.arguments import require_instance, require_int, require_items
from conformance.errors import UsageError
from conformance.files import read_json_file
from conformance.report._files import require_record
from conformance.results import RunRecord

EXIT_OK, EXIT_REGRESSION = 0, 2
MISSING = "missing"
#: What a pass may not silently become.
_LOST = frozenset({"unsupported", MISSING})


@dataclass(frozen=True)
class Change:
    """One (implementation, case) whose verdict differs between the two records (``missing`` when absent)."""

    implementation: str  # "producer->consumer" for an interop pair
    case_id: str  # "interop:<flow>" for an interop pair
    old: str
    new: str
    comment: str = ""

    def describe(self) -> str:
        note = f"  ({self.comment})" if self.comment else ""
        return f"{self.implementation:<16} {self.case_id:<36} {self.old} -> {self.new}{note}"


@dataclass
class RecordDiff:
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    other: list[Change] = field(default_factory=list)  # neither: unsupported/unavailable moves, fail <-> io ...
    added: list[Change] = field(default_factory=list)  # only in the new record
    removed: list[Change] = field(default_factory=list)  # only in the old record, and not passing there
    strict: bool = False
    compared: int = 0  # keys present in both records

    @property
    def exit_code(self) -> int:
        return diff_exit_code(self)


def _verdicts(record: RunRecord) -> dict[tuple[str, str], tuple[str, str]]:
    """(implementation, case id) -> (verdict, comment), interop pairs included."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for case in record.cases:
        found[(case.implementation, case.case_id)] = (case.verdict, case.comment)
    for cell in record.interop:
        where = f"interop:{cell.flow}/{cell.variant}" if cell.variant else f"interop:{cell.flow}"
        found[(f"{cell.producer}->{cell.consumer}", where)] = (cell.verdict, cell.detail)
    return found


def _failing(record: RunRecord, key: tuple[str, str], verdict: str) -> bool:
    if key[1].startswith("interop:"):
        return verdict in record.policy.fail_on
    return record.is_failing(key[0], verdict)


def diff_records(old: RunRecord, new: RunRecord) -> RecordDiff:
    """Compare ``new`` against the baseline ``old``, under ``new``'s gate policy. Raises :class:`InvalidArgument`
    for what is not a RunRecord."""
    require_record(old, "old")
    require_record(new, "new")
    before, after = _verdicts(old), _verdicts(new)
    diff = RecordDiff(strict=new.policy.strict)
    for key, (was, old_comment) in before.items():
        now, comment = after.get(key, (MISSING, old_comment))
        if key in after:
            diff.compared += 1
        if now == was:
            continue
        change = Change(key[0], key[1], was, now, comment or old_comment)
        was_failing = _failing(new, key, was)
        now_failing = now != MISSING and _failing(new, key, now)
        if (now_failing and not was_failing) or (was == "pass" and now in _LOST):
            diff.regressions.append(change)
        elif was_failing and not now_failing and now != MISSING:
            diff.improvements.append(change)
        elif now == MISSING:
            diff.removed.append(change)
        else:
            diff.other.append(change)
    for key, (now, comment) in after.items():
        if key not in before:
            diff.added.append(Change(key[0], key[1], MISSING, now, comment))
    for changes in (diff.regressions, diff.improvements, diff.other, diff.added, diff.removed):
        changes.sort(key=lambda c: (c.implementation, c.case_id))
    return diff


def _require_diff(diff: object) -> None:
    """``InvalidArgument`` unless ``diff`` is a RecordDiff whose lists hold Change records (what
    :func:`diff_records` makes)."""
    require_instance(diff, "diff", RecordDiff)
    for name in ("regressions", "improvements", "other", "added", "removed"):
        require_items(getattr(diff, name), f"diff.{name}", Change, limit=10_000_000)
    require_instance(diff.compared, "diff.compared", int)


def diff_exit_code(diff: RecordDiff) -> int:
    """2 when there is a regression, else 0."""
    _require_diff(diff)
    return EXIT_REGRESSION if diff.regressions else EXIT_OK


def _section(title: str, changes: Iterable[Change], limit: int | None) -> list[str]:
    changes = list(changes)
    if not changes:
        return []
    shown = changes if limit is None else changes[:limit]
    lines = [f"{title} ({len(changes)}):", *(f"  {c.describe()}" for c in shown)]
    if len(shown) < len(changes):
        lines.append(f"  ... and {len(changes) - len(shown)} more")
    return lines


def format_diff(diff: RecordDiff, *, limit: int | None = 200) -> str:
    """The diff as text: regressions first, then improvements, then what is neither. Raises
    :class:`InvalidArgument` for a diff that is not a RecordDiff or a limit that is not a count."""
    _require_diff(diff)
    if limit is not None:
        require_int(limit, "limit", minimum=0)
    added = [c for c in diff.added if c.new != "pass"]
    parts = [
        _section("REGRESSIONS", diff.regressions, limit),
        _section("improvements", diff.improvements, limit),
        _section("other changes (neither regression nor improvement)", diff.other, limit),
        _section("removed (not passing before)", diff.removed, limit),
        _section("new and not passing", added, limit),
    ]
    lines = [line for part in parts if part for line in [*part, ""]]
    new_passing = len(diff.added) - len(added)
    mode = " (strict: unavailable counts as failure)" if diff.strict else ""
    lines.append(
        f"{len(diff.regressions)} regression(s), {len(diff.improvements)} improvement(s), "
        f"{len(diff.other)} other change(s), {len(diff.added)} new ({new_passing} passing), "
        f"{len(diff.removed)} removed; {diff.compared} compared{mode}"
    )
    return "\n".join(lines)


def load_record(path: str | Path, what: str = "record") -> RunRecord:
    """Read a record that :func:`~conformance.report.write_json` wrote. Raises :class:`UsageError` naming ``what``
    and the path when the file cannot be read (:func:`~conformance.files.read_json_file`) or is not a run
    record."""
    data = read_json_file(path, what)
    try:
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise TypeError("no cases list")
        return RunRecord.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise UsageError(f"{what} {path}: not a conformance run record ({type(exc).__name__})") from None
