"""The reference-version matrix: the same vectors against one reference under several versions of a dependency.

Auditors ask "if the vendor upgrades X, which inputs change?". A :class:`VersionedReference` makes one
implementation of the contract per version (commons-codec: one JVM subprocess each; BouncyCastle: the ``bc150`` and
``bc-current`` implementations, one class loader each); every version answers the same vectors, and a finding is a
vector whose answers differ (:func:`conformance.judge.same`). Renderings live in :mod:`conformance.report.versions`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from conformance import catalog, judge
from conformance.contract import Implementation
from conformance.errors import ReferenceFailure, ReferenceUnavailable, UsageError
from conformance.outcome import Outcome
from conformance.results import VersionFinding
from conformance.vectors import VectorCase
from conformance.versions import codec


@dataclass(frozen=True)
class VersionedReference:
    """A reference that can run under several versions of one dependency, each isolated from the others.

    ``make(version)`` gives the implementation for one version; ``prepare(version)`` fetches what it needs first and
    raises :class:`ReferenceUnavailable` with the reason. ``loaded`` names the keys of the implementation's
    ``versions()`` that report, read at runtime, the version it actually loaded (each must equal the version asked
    for, or the run stops).
    """

    name: str
    versions: tuple[str, ...]
    pinned: str
    ops: frozenset[str]
    make: Callable[[str], Implementation]
    prepare: Callable[[str], None] = lambda _version: None
    available: Callable[[], str | None] = lambda: None
    description: str = ""
    loaded: tuple[str, ...] = ()

    def accepts(self, case: VectorCase) -> bool:
        return case.op in self.ops


def _registry_version(names: Mapping[str, str]) -> tuple[Callable[[str], Implementation], Callable[[str], None]]:
    from conformance import registry

    def make(version: str) -> Implementation:
        return registry.shared(names[version])

    def prepare(version: str) -> None:
        problem = make(version).unavailable()
        if problem:
            raise ReferenceUnavailable(f"{names[version]}: {problem}")

    return make, prepare


_BC_NAMES = {"1.50": "bc150", "1.86": "bc-current"}
_bc_make, _bc_prepare = _registry_version(_BC_NAMES)
#: the vendors' node SDKs: the previous major release (node_sdk_ref's lockfile, an npm alias) and the pinned one.
#: Every op of their flows' node SDK but none other: the SDKs read no wall clock here (Stream signs with noTimestamp
#: and the vectors give ``iat``; Twilio's vectors freeze ``Date.now`` at ``now``), so each answer is deterministic.
_STREAM_NAMES = {"8.60.0": "stream-node-8", "9.53.0": "stream-node"}
_stream_make, _stream_prepare = _registry_version(_STREAM_NAMES)
_TWILIO_NAMES = {"5.13.1": "twilio-node-5", "6.3.1": "twilio-node"}
_twilio_make, _twilio_prepare = _registry_version(_TWILIO_NAMES)

#: name -> versioned reference.
VERSIONED: dict[str, VersionedReference] = {
    "commons-codec": VersionedReference(
        name="commons-codec",
        versions=codec.CODEC_VERSIONS,
        pinned=codec.pinned_or_default(),
        ops=frozenset(catalog.flow("khoros_secure_transfer").op_names + catalog.flow("khoros_cryptor").op_names),
        make=codec.codec_implementation,
        prepare=codec.prepare_codec,
        available=codec.codec_available,
        description="the vendor's Khoros Java (java_ref), one JVM per commons-codec version",
    ),
    "bouncycastle": VersionedReference(
        name="bouncycastle",
        versions=tuple(_BC_NAMES),
        pinned="1.86",
        ops=frozenset(catalog.flow("boldchat_pgp").op_names),
        make=_bc_make,
        prepare=_bc_prepare,
        description="the project's BoldChat PGP helper (java_ref/bcpg) on bcpg/bcprov 1.50, the version the"
        " document's sample names, and the current release; one class loader per version",
    ),
    "stream-chat": VersionedReference(
        name="stream-chat",
        versions=tuple(_STREAM_NAMES),
        pinned="9.53.0",
        ops=frozenset({"stream.token.create_node", "stream.token.dev_node"}),
        make=_stream_make,
        prepare=_stream_prepare,
        description="Stream's node SDK (npm stream-chat), the previous major release and the pinned one; one node"
        " process each",
        loaded=("stream-chat", "stream-chat-bundle"),
    ),
    "twilio": VersionedReference(
        name="twilio",
        versions=tuple(_TWILIO_NAMES),
        pinned="6.3.1",
        ops=frozenset({"twilio.access_token.create_node"}),
        make=_twilio_make,
        prepare=_twilio_prepare,
        description="Twilio's node SDK (npm twilio), the previous major release and the pinned one; one node process"
        " each",
        loaded=("twilio",),
    ),
}


def references_for(cases: Iterable[VectorCase]) -> tuple[str, ...]:
    """The versioned references that answer at least one of these cases' ops."""
    ops = {case.op for case in cases}
    return tuple(name for name, reference in VERSIONED.items() if ops & reference.ops)


def _run_version(reference: VersionedReference, version: str, cases: Sequence[VectorCase]) -> tuple[list, dict]:
    implementation = reference.make(version)
    try:
        outcomes = implementation.call_many([(case.op, case.input) for case in cases])
        runtime = implementation.versions()
    finally:
        if reference.name == "commons-codec":
            implementation.close()
    unavailable = [o for o in outcomes if o.status == "unavailable"]
    if unavailable:
        raise ReferenceUnavailable(f"{reference.name} {version}: {unavailable[0].message}")
    wrong = {key: runtime.get(key) for key in reference.loaded if runtime.get(key) != version}
    if wrong:
        found = ", ".join(f"{key} {value}" for key, value in wrong.items())
        raise ReferenceFailure(f"{reference.name} {version}: the runtime loaded {found}, not {version}")
    return outcomes, runtime


def _actual(outcome: Outcome) -> dict[str, Any]:
    return outcome.record()


def run_reference(
    reference: VersionedReference, cases: Iterable[VectorCase], versions: Sequence[str] | None = None
) -> dict[str, Any]:
    """One reference's entry of ``RunRecord.version_matrix``: its versions, findings and summary.

    Raises :class:`ReferenceUnavailable` when a version cannot be prepared (Maven missing, no network, ...).
    """
    versions = tuple(versions or reference.versions)
    selected = [case for case in cases if reference.accepts(case)]
    for version in versions:
        reference.prepare(version)
    with ThreadPoolExecutor(max_workers=max(1, len(versions))) as pool:
        runs = dict(zip(versions, pool.map(lambda v: _run_version(reference, v, selected), versions), strict=True))

    findings: list[VersionFinding] = []
    details: dict[str, dict[str, Any]] = {}
    for index, case in enumerate(selected):
        answers = {v: runs[v][0][index] for v in versions}
        first = answers[versions[0]]
        if any(not judge.same(first, other) for other in answers.values()):
            findings.append(VersionFinding(reference.name, case.case_id, {v: _actual(o) for v, o in answers.items()}))
            details[case.case_id] = {
                "op": case.op,
                "comment": case.comment,
                "flags": list(case.flags),
                "expected": {"error": case.error} if case.expects_error else {"output": case.output},
            }

    per_version: dict[str, dict[str, Any]] = {}
    for version in versions:
        outcomes, runtime = runs[version]
        differing = [
            c.case_id for c, o in zip(selected, outcomes, strict=True) if not judge.same(judge.expected_outcome(c), o)
        ]
        statuses: dict[str, int] = {}
        for outcome in outcomes:
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        per_version[version] = {
            "runtime": runtime,
            "matchesVectors": len(selected) - len(differing),
            "differsFromVectors": differing,
            "statuses": statuses,
        }
    return {
        "versions": list(versions),
        "findings": [asdict(finding) for finding in findings],
        "summary": {
            "description": reference.description,
            "pinned": reference.pinned,
            "cases": len(selected),
            "changed": len(findings),
            "date": dt.date.today().isoformat(),
            "byVersion": per_version,
            "transitions": transitions(versions, reference.pinned, findings),
        },
        "details": details,
    }


def run_version_matrix(
    cases: Iterable[VectorCase],
    versions: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    references: Sequence[str] = ("commons-codec",),
) -> dict[str, Any]:
    """``RunRecord.version_matrix``: reference name -> :func:`run_reference`'s entry.

    ``versions`` is one list (when one reference is asked for) or a mapping reference -> versions; each reference's
    own defaults otherwise. Raises :class:`UsageError` for an unknown reference or an ambiguous version list.
    """
    cases = list(cases)
    unknown = [name for name in references if name not in VERSIONED]
    if unknown:
        raise UsageError(f"unknown versioned reference(s) {', '.join(unknown)}; known: {', '.join(VERSIONED)}")
    if versions is not None and not isinstance(versions, Mapping):
        if len(references) != 1:
            raise UsageError("give versions as a mapping reference -> versions when asking for several references")
        versions = {references[0]: versions}
    chosen: Mapping[str, Sequence[str]] = versions or {}
    return {name: run_reference(VERSIONED[name], cases, chosen.get(name)) for name in references}


def transitions(versions: Sequence[str], pinned: str, findings: Sequence[VersionFinding]) -> list[dict[str, Any]]:
    """The version pairs an auditor asks about: each step up, and the pinned version to and from every other."""
    ordered = sorted(versions, key=codec.version_key)
    pairs = list(itertools.pairwise(ordered))
    if pinned in ordered:
        for version in ordered:
            pair = (version, pinned) if codec.version_key(version) < codec.version_key(pinned) else (pinned, version)
            if version != pinned and pair not in pairs:
                pairs.append(pair)
    rows = []
    for old, new in pairs:
        changed = [
            f.case_id
            for f in findings
            if not judge.same(Outcome.from_record(f.answers[old]), Outcome.from_record(f.answers[new]))
        ]
        rows.append({"from": old, "to": new, "changed": changed})
    return rows
