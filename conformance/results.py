"""The record of a conformance run: what every implementation answered for every vector, and the verdicts.

This is the one data model the runner writes and every report (JSON, JUnit XML, HTML, baseline diff) reads.
``RunRecord.to_json()`` / ``RunRecord.from_json()`` round-trip it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["pass", "fail", "deviation", "unsupported", "unavailable", "io"]
VERDICTS: tuple[Verdict, ...] = ("pass", "fail", "deviation", "unsupported", "unavailable", "io")


@dataclass
class CaseResult:
    """One vector run on one implementation.

    ``verdict``: *pass* (the answer equals the vector's), *fail*, *deviation* (an ``acceptable`` vector answered
    differently, as DEVIATIONS.md allows), *unsupported* (the implementation lacks the op), *unavailable* (its
    runtime is missing) or *io* (it crashed or timed out).
    """

    case_id: str  # "<file stem>#<tcId>"
    file: str
    scheme: str
    op: str
    tc_id: int
    implementation: str
    verdict: Verdict
    result: str  # the vector's valid / invalid / acceptable
    comment: str
    flags: list[str]
    input: dict[str, Any]
    expected: dict[str, Any]  # {"output": ...} or {"error": reason}
    actual: dict[str, Any]  # {"status": ..., "value"| "reason" + "message"}
    seconds: float = 0.0


@dataclass
class InteropCell:
    """One producer -> consumer pair in a flow's N x N matrix, summed over the inputs tried."""

    flow: str
    producer: str
    consumer: str
    verdict: Verdict  # the worst verdict over the inputs (fail > io > unavailable > unsupported > deviation > pass)
    passed: int = 0
    total: int = 0
    detail: str = ""  # the first failure's reason, for the report
    examples: list[dict[str, Any]] = field(default_factory=list)  # inputs, produced, consumed, expected (a few)


@dataclass
class VersionFinding:
    """A vector whose reference answer changes with the reference's version (the reference-version matrix)."""

    reference: str  # e.g. "commons-codec" or "bouncycastle"
    case_id: str
    answers: dict[str, dict[str, Any]]  # version -> actual


@dataclass
class RunRecord:
    metadata: dict[str, Any]  # timestamp, commit, versions of every reference, vector files' SHA-256, options
    implementations: dict[str, dict[str, Any]]  # name -> {"kind", "available": reason|None, "versions": {...}}
    cases: list[CaseResult] = field(default_factory=list)
    interop: list[InteropCell] = field(default_factory=list)
    version_matrix: dict[str, Any] = field(default_factory=dict)  # reference -> {"versions": [...], "findings": [...]}

    def summary(self) -> dict[str, dict[str, int]]:
        """implementation -> verdict -> count."""
        table: dict[str, dict[str, int]] = {}
        for case in self.cases:
            row = table.setdefault(case.implementation, dict.fromkeys(VERDICTS, 0))
            row[case.verdict] += 1
        return table

    def to_json(self) -> dict[str, Any]:
        return {
            "metadata": self.metadata,
            "implementations": self.implementations,
            "summary": self.summary(),
            "cases": [asdict(c) for c in self.cases],
            "interop": [asdict(c) for c in self.interop],
            "versionMatrix": self.version_matrix,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        return cls(
            metadata=data["metadata"],
            implementations=data["implementations"],
            cases=[CaseResult(**c) for c in data.get("cases", [])],
            interop=[InteropCell(**c) for c in data.get("interop", [])],
            version_matrix=data.get("versionMatrix", {}),
        )
