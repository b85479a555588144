"""A campaign's record: what ran, how fast, and every divergence with both answers and its minimized input; the
JSON that ``--json`` writes, and the merge of shard records into the record of the whole campaign."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.arguments import require_instance, require_items, require_mapping
from conformance.errors import ConformanceError, UsageError
from conformance.files import read_json_file, write_file
from conformance.fuzz.classes import DivergenceClass, add_classes, ranked
from conformance.outcome import Outcome

FORMAT = "handoff-conformance/campaign/1"
#: The most records ``fuzz merge`` combines (the shards of one campaign).
MAX_SHARDS = 100_000


@dataclass
class Divergence:
    """Case ``case`` of the campaign: the reference and the implementation answered differently."""

    case: int
    op: str
    args: dict[str, Any]
    reference: Outcome
    actual: Outcome
    #: The smallest input found that still diverges the same way, with both answers to it; None if not minimized.
    minimized: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "op": self.op,
            "args": self.args,
            "reference": self.reference.record(),
            "actual": self.actual.record(),
            "minimized": self.minimized,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Divergence:
        """The divergence :meth:`to_json` wrote. Raises :class:`UsageError` for a malformed one (naming the kind of
        fault, never a value)."""
        with _reading("divergence"):
            return cls._read(require_mapping(data, "data"))

    @classmethod
    def _read(cls, data: Mapping[str, Any]) -> Divergence:
        return cls(
            int(data["case"]),
            str(data["op"]),
            dict(data["args"]),
            Outcome.from_record(data["reference"]),
            Outcome.from_record(data["actual"]),
            data.get("minimized"),
        )


@dataclass
class PartResult:
    """What one process found on its part of the shard."""

    cases: int = 0
    seconds: float = 0.0
    complete: bool = True
    per_op: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    deviations: Counter[str] = field(default_factory=Counter)
    divergence_count: int = 0
    divergences: list[Divergence] = field(default_factory=list)
    classes: dict[str, DivergenceClass] = field(default_factory=dict)
    #: "implementation" and "reference": name, kind and versions
    sides: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class CampaignRecord:
    """The record of a campaign, a shard of one, or shards merged (``shards`` lists which)."""

    flow: str
    ops: list[str]
    seed: int
    requested: int
    shard_count: int
    shards: list[int]
    implementation: dict[str, Any]
    reference: dict[str, Any]
    cases: int = 0
    seconds: float = 0.0
    #: Each shard's own seconds, by shard index (several machines run at once: the campaign takes the longest).
    shard_seconds: dict[int, float] = field(default_factory=dict)
    complete: bool = True
    jobs: int = 1
    per_op: Counter[str] = field(default_factory=Counter)
    skipped: int = 0  # cases the reference does not answer (unsupported): not compared
    deviations: Counter[str] = field(default_factory=Counter)  # documented deviations, by flag
    divergence_count: int = 0
    divergences: list[Divergence] = field(default_factory=list)
    #: signature -> the class of divergences with that signature (every divergence is counted in one)
    classes: dict[str, DivergenceClass] = field(default_factory=dict)

    def add_counts(self, part: Any) -> None:
        """Add what a part of the campaign counted (a job's result, or a shard's record) to this record. Raises
        :class:`InvalidArgument` for anything else."""
        part = require_instance(part, "part", (PartResult, CampaignRecord))
        self.cases += part.cases
        self.per_op.update(part.per_op)
        self.skipped += part.skipped
        self.deviations.update(part.deviations)
        self.divergence_count += part.divergence_count
        self.divergences.extend(part.divergences)
        add_classes(self.classes, part.classes)
        self.complete = self.complete and part.complete

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0

    def shard_text(self) -> str:
        if self.shards == list(range(1, self.shard_count + 1)):
            return "all" if self.shard_count == 1 else f"1-{self.shard_count}/{self.shard_count}"
        return ",".join(f"{k}/{self.shard_count}" for k in self.shards)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "flow": self.flow,
            "ops": self.ops,
            "seed": self.seed,
            "requestedCases": self.requested,
            "shard": {"count": self.shard_count, "indices": self.shards, "text": self.shard_text()},
            "implementation": self.implementation,
            "reference": self.reference,
            "cases": self.cases,
            "seconds": round(self.seconds, 3),
            "shardSeconds": {str(k): round(v, 3) for k, v in sorted(self.shard_seconds.items())},
            "casesPerSecond": round(self.cases_per_second, 1),
            "complete": self.complete,
            "jobs": self.jobs,
            "casesPerOp": dict(sorted(self.per_op.items())),
            "skipped": self.skipped,
            "deviations": dict(sorted(self.deviations.items())),
            "divergenceCount": self.divergence_count,
            "classes": [
                {"signature": c.signature, "count": c.count, "example": c.example.to_json()}
                for c in ranked(self.classes)
            ],
            "divergences": [d.to_json() for d in self.divergences],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CampaignRecord:
        """The record :meth:`to_json` wrote. Raises :class:`UsageError` for a malformed one (naming the kind of
        fault, never a value)."""
        with _reading("campaign record"):
            return cls._read(require_mapping(data, "data"))

    @classmethod
    def _read(cls, data: Mapping[str, Any]) -> CampaignRecord:
        shard = data["shard"]
        return cls(
            flow=str(data["flow"]),
            ops=list(data["ops"]),
            seed=int(data["seed"]),
            requested=int(data["requestedCases"]),
            shard_count=int(shard["count"]),
            shards=[int(k) for k in shard["indices"]],
            implementation=dict(data["implementation"]),
            reference=dict(data["reference"]),
            cases=int(data["cases"]),
            seconds=float(data["seconds"]),
            shard_seconds={int(k): float(v) for k, v in data.get("shardSeconds", {}).items()},
            complete=bool(data["complete"]),
            jobs=int(data.get("jobs", 1)),
            per_op=Counter({str(k): int(v) for k, v in data.get("casesPerOp", {}).items()}),
            skipped=int(data.get("skipped", 0)),
            deviations=Counter({str(k): int(v) for k, v in data.get("deviations", {}).items()}),
            divergence_count=int(data["divergenceCount"]),
            divergences=[Divergence._read(d) for d in data["divergences"]],
            classes={
                str(c["signature"]): DivergenceClass(
                    str(c["signature"]), int(c["count"]), Divergence._read(c["example"])
                )
                for c in data.get("classes", [])
            },
        )

    def write(self, path: Path) -> Path:
        """Write the JSON (ASCII only: lone surrogates in arguments stay ``\\uXXXX`` escapes) and return the path.
        Raises :class:`UsageError` naming the path when it cannot be written (:func:`conformance.files.write_file`)."""
        text = json.dumps(self.to_json(), indent=1, ensure_ascii=True, allow_nan=False) + "\n"
        return write_file(path, text.encode("ascii"), "path")


def load(path: Path) -> CampaignRecord:
    """A record written by ``--json``. Raises :class:`UsageError` saying what is wrong with the file (read by
    :func:`conformance.files.read_json_file`: never a hang on a FIFO)."""
    data = read_json_file(path, "campaign record")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{path}: not a campaign record (format {FORMAT})")
    try:
        return CampaignRecord.from_json(data)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc}") from None


@contextmanager
def _reading(what: str) -> Iterator[None]:
    """Turns a fault found while reading a JSON document into :class:`UsageError` naming its class only (a message
    such as ``int()``'s quotes the value)."""
    try:
        yield
    except ConformanceError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError, OverflowError) as exc:
        raise UsageError(f"a malformed {what} ({type(exc).__name__})") from None


_SAME = ("flow", "ops", "seed", "requested", "shard_count")


def merge(records: Sequence[CampaignRecord], keep: int | None = None) -> CampaignRecord:
    """One record for the shards of one campaign. Raises :class:`UsageError` for records of different campaigns
    (flow, ops, seed, size, shard count, implementation or reference) or a shard given twice, and
    :class:`InvalidArgument` for what is not a list of records."""
    records = require_items(records, "records", CampaignRecord, limit=MAX_SHARDS)
    if not records:
        raise UsageError("merge needs at least one campaign record")
    if keep is not None and (isinstance(keep, bool) or not isinstance(keep, int) or keep < 0):
        raise UsageError("keep must be a whole number of at least 0")
    first = records[0]
    for other in records[1:]:
        for name in _SAME:
            if getattr(other, name) != getattr(first, name):
                raise UsageError(f"the records are not shards of one campaign: their {name} differ")
        for side in ("implementation", "reference"):
            if getattr(other, side).get("name") != getattr(first, side).get("name"):
                raise UsageError(f"the records are not shards of one campaign: their {side} differs")
    indices = [k for record in records for k in record.shards]
    repeated = sorted(k for k, n in Counter(indices).items() if n > 1)
    if repeated:
        raise UsageError(f"shard(s) {', '.join(f'{k}/{first.shard_count}' for k in repeated)} given more than once")
    merged = CampaignRecord(
        flow=first.flow,
        ops=list(first.ops),
        seed=first.seed,
        requested=first.requested,
        shard_count=first.shard_count,
        shards=sorted(indices),
        implementation=first.implementation,
        reference=first.reference,
        jobs=max(r.jobs for r in records),
    )
    for record in records:
        merged.add_counts(record)
        merged.shard_seconds.update(record.shard_seconds or {k: record.seconds for k in record.shards})
    merged.seconds = max(merged.shard_seconds.values(), default=0.0)
    merged.complete = all(r.complete for r in records) and merged.shards == list(range(1, first.shard_count + 1))
    merged.divergences.sort(key=lambda d: d.case)
    if keep is not None:
        merged.divergences = merged.divergences[:keep]
    return merged
