"""The verdict vocabulary, in one table: each verdict's name, words, colour, severity and whether it is notable.

The judge (:mod:`conformance.judge`) decides which verdict an answer earns; every report (the CLI headline and
tables, JUnit, the HTML page, the Jupyter view, the baseline diff) reads the words and colours here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal[
    "unsafe",
    "fail",
    "io",
    "unavailable",
    "reason_mismatch",
    "exceeds",
    "equivalent",
    "deviation",
    "pass",
    "unsupported",
]


@dataclass(frozen=True)
class VerdictInfo:
    """One verdict: ``label``/``plural`` for sentences, ``short`` for a matrix cell, ``background``/``foreground``
    (and ``style``, extra CSS) for colour, ``notable`` when a headline names it though it does not fail the gate,
    ``meaning`` for the README and the HTML legend."""

    name: Verdict
    label: str
    plural: str
    short: str
    background: str
    foreground: str
    notable: bool
    meaning: str
    style: str = ""

    def count(self, number: int) -> str:
        """``"1 deviation"``, ``"4 deviations"``."""
        return f"{number} {self.label if number == 1 else self.plural}"


#: Every verdict, most severe first.
TABLE: tuple[VerdictInfo, ...] = (
    VerdictInfo(
        "unsafe",
        "unsafe",
        "unsafe",
        "UNSAFE",
        "#4a0000",
        "#fff",
        False,
        "it accepts what the reference refuses, on a vector flagged security-relevant (a wrong `kid`, a tampered "
        "signature, `alg: none`, a bad MAC or tag, an expired or replayed launch)",
        "font-weight:bold;outline:2px solid #ff1744;outline-offset:-3px",
    ),
    VerdictInfo(
        "fail",
        "fail",
        "fail",
        "FAIL",
        "#ef9a9a",
        "#7f0000",
        False,
        "a different value; a refusal of what the reference accepts; an acceptance of a refused vector that is not "
        'security-relevant; an op the adapter declared and then answered "unsupported"',
        "font-weight:bold",
    ),
    VerdictInfo(
        "io",
        "IO error",
        "IO errors",
        "IO",
        "#ef9a9a",
        "#7f0000",
        True,
        "the implementation crashed, hung or answered something that is not the protocol (not RFC 8259 JSON) on "
        "this call",
        "font-weight:bold;outline:2px dashed #b71c1c;outline-offset:-3px",
    ),
    VerdictInfo(
        "unavailable",
        "unavailable",
        "unavailable",
        "unavail",
        "#ffe082",
        "#6d4c00",
        True,
        "its runtime is missing (a user's adapter that cannot start stops the run: one line, exit 3)",
    ),
    VerdictInfo(
        "reason_mismatch",
        "reason mismatch",
        "reason mismatches",
        "reason",
        "#fff3e0",
        "#8a4b00",
        True,
        "both refuse, for different reasons",
    ),
    VerdictInfo(
        "exceeds",
        "exceeds the reference",
        "exceed the reference",
        "exceeds",
        "#e1f5fe",
        "#01579b",
        True,
        "a producing op's output differs from the reference's, and a reference consumer accepts it where it "
        "refuses the reference's own output (the reference's bug is not reproduced; `--fail-on exceeds` where byte "
        "fidelity matters)",
        "font-style:italic",
    ),
    VerdictInfo(
        "equivalent",
        "equivalent",
        "equivalent",
        "equiv",
        "#dcedc8",
        "#33691e",
        True,
        "a producing op's output differs in bytes from the reference's, but every reference consumer of the flow "
        "answers it as it answers the reference's own output: the same content, or the same refusal (decided in "
        "the same run; the record names the consumers)",
        "font-style:italic",
    ),
    VerdictInfo(
        "deviation",
        "deviation",
        "deviations",
        "dev",
        "#bbdefb",
        "#0d47a1",
        True,
        "an `acceptable` vector answered differently, as `DEVIATIONS.md` allows",
        "background:repeating-linear-gradient(45deg,#bbdefb 0 6px,#e3f2fd 6px 12px)",
    ),
    VerdictInfo(
        "pass", "pass", "pass", "pass", "#c8e6c9", "#1b5e20", False, "the same value, or the same error reason path"
    ),
    VerdictInfo(
        "unsupported",
        "unsupported",
        "unsupported",
        "n/a",
        "#e0e0e0",
        "#555",
        False,
        "the implementation lacks the op (left out of every denominator, every table and JUnit)",
    ),
)

BY_NAME: dict[str, VerdictInfo] = {info.name: info for info in TABLE}
VERDICTS: tuple[Verdict, ...] = tuple(info.name for info in TABLE)
#: Higher is more severe.
SEVERITY: dict[str, int] = {verdict: len(VERDICTS) - index for index, verdict in enumerate(VERDICTS)}
#: Verdicts a headline names after the failing ones.
NOTABLE: tuple[Verdict, ...] = tuple(info.name for info in TABLE if info.notable)


def info(verdict: str) -> VerdictInfo:
    """The table row of ``verdict`` (a ``fail`` row for a name this build does not know)."""
    return BY_NAME.get(verdict, BY_NAME["fail"])


def count(verdict: str, number: int) -> str:
    """``number`` results of ``verdict`` in words: ``"12 reason mismatches"``."""
    return info(verdict).count(number)


def css_rules() -> str:
    """One ``.v-<verdict>`` rule per verdict, for the HTML report."""
    rules = []
    for row in TABLE:
        extra = f";{row.style}" if row.style else ""
        rules.append(f".v-{row.name}{{background:{row.background};color:{row.foreground}{extra}}}")
    return "\n".join(rules)


def inline_style(verdict: str) -> str:
    """The inline CSS of a cell of ``verdict`` (the Jupyter view has no stylesheet)."""
    row = info(verdict)
    return f"background:{row.background};color:{row.foreground}"


README_BEGIN = "<!-- verdicts:begin (written from conformance.verdicts; tests/test_judge.py checks it) -->"
README_END = "<!-- verdicts:end -->"


def readme_block() -> str:
    """The README's verdict table, written from :data:`TABLE`."""
    rows = ["| verdict | meaning |", "|---|---|", *(f"| `{row.name}` | {row.meaning} |" for row in TABLE)]
    return "\n".join([README_BEGIN, *rows, README_END])
