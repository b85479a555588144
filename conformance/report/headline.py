"""The words every report leads with: the gate's headline, the failing results, the summary table.

Reports only read the record; which result fails the gate is the judge's policy (:meth:`RunRecord.failing`).
"""

from __future__ import annotations

from collections import Counter

from conformance.judge import VERDICTS
from conformance.results import Failing, RunRecord

#: How verdict counts read in a sentence: (singular, plural).
_WORDS = {
    "unsafe": ("unsafe", "unsafe"),
    "fail": ("fail", "fail"),
    "io": ("IO error", "IO errors"),
    "unavailable": ("unavailable", "unavailable"),
    "reason_mismatch": ("reason mismatch", "reason mismatches"),
    "equivalent": ("equivalent", "equivalent"),
    "deviation": ("deviation", "deviations"),
    "pass": ("pass", "pass"),
    "unsupported": ("unsupported", "unsupported"),
}
#: Non-failing verdicts worth naming after the failing ones.
_NOTABLE = ("io", "unavailable", "reason_mismatch", "equivalent", "deviation")
DEFAULT_LIMIT = 25


def _count(verdict: str, number: int) -> str:
    singular, plural = _WORDS.get(verdict, (verdict, verdict))
    return f"{number} {singular if number == 1 else plural}"


def headline(record: RunRecord) -> str:
    """``GATE FAIL: 2 unsafe, 3 fail · 4 equivalent, 12 reason mismatches`` (or ``GATE PASS: ...``)."""
    failing = list(record.failing())
    failed = Counter(f.verdict for f in failing)
    failing_cases = {(f.implementation, f.what) for f in failing}
    notable = Counter(
        c.verdict for c in record.cases if c.verdict in _NOTABLE and (c.implementation, c.case_id) not in failing_cases
    )
    passed = sum(1 for c in record.cases if c.verdict == "pass")
    first = ", ".join(_count(v, failed[v]) for v in VERDICTS if failed[v])
    rest = ", ".join(_count(v, notable[v]) for v in VERDICTS if notable[v])
    if failing:
        return f"GATE FAIL: {first}" + (f" · {rest}" if rest else "")
    return f"GATE PASS: {_count('pass', passed)}" + (f" · {rest}" if rest else "")


def failing_lines(record: RunRecord, limit: int | None = DEFAULT_LIMIT) -> list[str]:
    """One line per failing result (``flow#tcId``, verdict, why), at most ``limit`` (all when ``None``)."""
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
    """The implementation x verdict counts, with each implementation's pass share over what it supports."""
    summary = record.summary()
    width = max([len(name) for name in summary] + [14])
    header = f"{'implementation':<{width}}  " + " ".join(f"{v:>11}" for v in VERDICTS) + "   ok/answered"
    lines = [header]
    for name, row in summary.items():
        answered = sum(n for v, n in row.items() if v != "unsupported")
        share = f"{row['pass'] + row['equivalent'] + row['deviation']}/{answered}" if answered else "-"
        lines.append(f"{name:<{width}}  " + " ".join(f"{row[v]:>11}" for v in VERDICTS) + f"   {share}")
    for name, described in record.implementations.items():
        if described.get("available"):
            lines.append(f"{name}: unavailable: {' '.join(str(described['available']).split())}")
        restarts = described.get("restarts") or 0
        if restarts:
            lines.append(f"{name}: restarted {restarts} time(s) after a crash or hang")
    return "\n".join(lines)
