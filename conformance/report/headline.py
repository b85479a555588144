"""The words every report leads with: the gate's headline, the failing results, the summary table.

Reports only read the record; which result fails the gate is the judge's policy (:meth:`RunRecord.failing`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from conformance.arguments import require_int
from conformance.report._files import require_record
from conformance.verdicts import NOTABLE, VERDICTS
from conformance.verdicts import count as _count

if TYPE_CHECKING:
    from conformance.results import Failing, RunRecord

DEFAULT_LIMIT = 25


def headline(record: RunRecord) -> str:
    """``GATE FAIL: 2 unsafe, 3 fail · 4 equivalent, 12 reason mismatches`` (or ``GATE PASS: ...``). Raises
    :class:`InvalidArgument` for what is not a RunRecord."""
    require_record(record)
    failing = list(record.failing())
    failed = Counter(f.verdict for f in failing)
    failing_cases = {(f.implementation, f.what) for f in failing}
    notable = Counter(
        c.verdict for c in record.cases if c.verdict in NOTABLE and (c.implementation, c.case_id) not in failing_cases
    )
    passed = sum(1 for c in record.cases if c.verdict == "pass")
    first = ", ".join(_count(v, failed[v]) for v in VERDICTS if failed[v])
    rest = ", ".join(_count(v, notable[v]) for v in VERDICTS if notable[v])
    if failing:
        return f"GATE FAIL: {first}" + (f" · {rest}" if rest else "")
    return f"GATE PASS: {_count('pass', passed)}" + (f" · {rest}" if rest else "")


def failing_lines(record: RunRecord, limit: int | None = DEFAULT_LIMIT) -> list[str]:
    """One line per failing result (``flow#tcId``, verdict, why), at most ``limit`` (all when ``None``). Raises
    :class:`InvalidArgument` for what is not a RunRecord or a limit that is not a count."""
    require_record(record)
    if limit is not None:
        require_int(limit, "limit", minimum=0)
    failing = list(record.failing())
    shown = failing if limit is None else failing[:limit]
    lines = [_line(item) for item in shown]
    if len(shown) < len(failing):
        lines.append(f"... and {len(failing) - len(shown)} more (--show-all lists them all)")
    return lines


def _line(item: Failing) -> str:
    why = " ".join(item.why.split())
    return f"{item.what:<34} {item.implementation:<14} {item.verdict:<16} {why}"


def summary_table(record: RunRecord) -> str:
    """The implementation x verdict counts, with each implementation's pass share over what it answered.

    An implementation that answered none of the selected vectors (it implements none of their ops) is one line
    under the table, not a row; a verdict no row has is not a column."""
    require_record(record)
    summary = record.summary()
    answered = {name: sum(n for v, n in row.items() if v != "unsupported") for name, row in summary.items()}
    rows = {name: row for name, row in summary.items() if answered[name]}
    columns = [v for v in VERDICTS if v != "unsupported" and any(row[v] for row in rows.values())] or ["pass"]
    width = max([len(name) for name in rows] + [14])
    header = f"{'implementation':<{width}}  " + " ".join(f"{v:>11}" for v in columns) + "   ok/answered"
    lines = [header]
    for name, row in rows.items():
        share = f"{row['pass'] + row['equivalent'] + row['deviation'] + row['exceeds']}/{answered[name]}"
        lines.append(f"{name:<{width}}  " + " ".join(f"{row[v]:>11}" for v in columns) + f"   {share}")
    idle = [name for name in summary if not answered[name]]
    if idle:
        lines.append(f"not applicable (implement none of the selected ops): {', '.join(idle)}")
    for name, described in record.implementations.items():
        if described.get("available"):
            lines.append(f"{name}: unavailable: {' '.join(str(described['available']).split())}")
        restarts = described.get("restarts") or 0
        if restarts:
            lines.append(f"{name}: restarted {restarts} time(s) after a crash or hang")
    return "\n".join(lines)
