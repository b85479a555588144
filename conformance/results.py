"""The record of a conformance run: what every implementation answered for every vector, and the verdicts.

This is the one data model the runner writes and every report (JSON, JUnit XML, HTML, CLI, baseline diff, Jupyter)
only reads. Verdicts are decided by :mod:`conformance.judge`; the gate policy the run used travels in
``metadata["policy"]`` so that every report fails the same cases. ``RunRecord.to_json()`` / ``from_json()``
round-trip it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from conformance.judge import Policy, cell_verdict, is_failure
from conformance.outcome import Outcome
from conformance.verdicts import VERDICTS, Verdict


@dataclass
class CaseResult:
    """One vector run on one implementation: the verdict and the words saying why.

    ``expected`` (the vector's answer; ``None`` where nothing was answered) and ``actual`` are outcomes, and
    ``kind`` is the op's result kind (``Op.result``): every report renders them from here.
    """

    case_id: str  # "<flow>#<tcId>"
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
    expected: Outcome | None
    actual: Outcome
    kind: str = "json"  # the op's result kind: text, hex, json or boolean
    seconds: float = 0.0
    why: str = ""
    consumers: list[str] = field(default_factory=list)  # the reference consumers behind "equivalent" / "exceeds"
    notes: list[str] = field(default_factory=list)  # what the vector's flags mean (where the verdict is not pass)

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["expected"] = self.expected.record() if self.expected is not None else None
        data["actual"] = self.actual.record()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseResult:
        """The inverse of :meth:`to_json`; also reads records whose expectation is ``{"output"}``/``{"error"}``."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["expected"] = _expected_from(data.get("expected"))
        values["actual"] = Outcome.from_record(data.get("actual") or {})
        return cls(**values)

    @property
    def flow(self) -> str:
        return self.case_id.partition("#")[0]


@dataclass
class InteropCell:
    """One producer -> consumer pair of one round-trip variant of a flow, summed over the inputs tried."""

    flow: str
    producer: str
    consumer: str
    verdict: Verdict  # the worst over the inputs
    passed: int = 0
    total: int = 0
    detail: str = ""  # the first failure's reason, for the report
    examples: list[dict[str, Any]] = field(default_factory=list)  # inputs, produced, consumed, expected (a few)
    variant: str = ""


def _checked_cell(cell: InteropCell) -> InteropCell:
    """A cell of a record read back, under today's rule: one that checked nothing never reads ``pass``."""
    cell.verdict = cell_verdict(cell.verdict, cell.passed)
    return cell


@dataclass
class VersionFinding:
    """A vector whose reference answer changes with the reference's version (the reference-version matrix)."""

    reference: str  # e.g. "commons-codec" or "bouncycastle"
    case_id: str
    answers: dict[str, dict[str, Any]]  # version -> actual


@dataclass(frozen=True)
class Failing:
    """One result that fails the gate: a vector on an implementation, an interop cell, or an implementation."""

    implementation: str
    what: str  # "flow#tcId", "interop:<flow>/<variant>" or "implementation"
    verdict: str
    why: str


def _expected_from(data: Any) -> Outcome | None:
    if not isinstance(data, dict) or not data:
        return None
    if "status" in data:
        return Outcome.from_record(data)
    if "error" in data:
        return Outcome.of_error(str(data["error"]))
    return Outcome.of_value(data.get("output"))


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class RunRecord:
    metadata: dict[str, Any]  # timestamp, commit, host, vector files' SHA-256, options, policy
    implementations: dict[str, dict[str, Any]]  # name -> registry.describe(): kind, builtin, available, versions...
    cases: list[CaseResult] = field(default_factory=list)
    interop: list[InteropCell] = field(default_factory=list)
    version_matrix: dict[str, Any] = field(default_factory=dict)  # reference -> {"versions", "findings", ...}
    sdk_matrix: dict[str, Any] = field(default_factory=dict)  # flow -> conformance.sdk_matrix.compare()

    @property
    def policy(self) -> Policy:
        """The gate policy the run was judged under (the default when the record predates policies)."""
        raw = self.metadata.get("policy") or {}
        strict = bool(raw.get("strict", self.metadata.get("strict", False)))
        return Policy.from_options(raw.get("failOn"), strict=strict)

    def summary(self) -> dict[str, dict[str, int]]:
        """implementation -> verdict -> count."""
        table: dict[str, dict[str, int]] = {}
        for case in self.cases:
            row = table.setdefault(case.implementation, dict.fromkeys(VERDICTS, 0))
            row[case.verdict] += 1
        return table

    def _fail_on(self, implementation: str) -> frozenset[str]:
        described = self.implementations.get(implementation, {})
        return self.policy.for_implementation(implementation, bool(described.get("builtin", True)))

    def is_failing(self, implementation: str, verdict: str) -> bool:
        """Whether ``verdict`` on ``implementation`` fails this run's gate (the judge's policy, per implementation)."""
        return is_failure(verdict, self._fail_on(implementation))

    def failing(self) -> Iterator[Failing]:
        """Every result that fails the gate, most severe first within each kind."""
        for name, described in self.implementations.items():
            if not described.get("builtin", True) and described.get("available"):
                yield Failing(name, "implementation", "unavailable", f"could not start: {described['available']}")
        cases = [c for c in self.cases if self.is_failing(c.implementation, c.verdict)]
        cases.sort(key=lambda c: (VERDICTS.index(c.verdict), c.implementation, c.file, c.tc_id))
        for case in cases:
            yield Failing(case.implementation, case.case_id, case.verdict, case.why or case.verdict)
        for cell in self.interop:
            if is_failure(cell.verdict, self.policy.fail_on):
                where = f"interop:{cell.flow}/{cell.variant}" if cell.variant else f"interop:{cell.flow}"
                yield Failing(f"{cell.producer}->{cell.consumer}", where, cell.verdict, cell.detail)

    def gate_passes(self) -> bool:
        return next(self.failing(), None) is None

    def to_json(self) -> dict[str, Any]:
        return {
            "metadata": self.metadata,
            "implementations": self.implementations,
            "summary": self.summary(),
            "cases": [c.to_json() for c in self.cases],
            "interop": [asdict(c) for c in self.interop],
            "versionMatrix": self.version_matrix,
            "sdkMatrix": self.sdk_matrix,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        return cls(
            metadata=data["metadata"],
            implementations=data["implementations"],
            cases=[CaseResult.from_json(c) for c in data.get("cases", [])],
            interop=[_checked_cell(_from_dict(InteropCell, c)) for c in data.get("interop", [])],
            version_matrix=data.get("versionMatrix", {}),
            sdk_matrix=data.get("sdkMatrix", {}),
        )
