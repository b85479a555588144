"""Run the audit: import the proof modules, select proofs by flow, run each against the live references, record
the exact versions they ran against, and probe users' adapters. The :class:`AuditRecord` is what every report reads.

A proof whose reference is unavailable here is reported ``not_reproduced`` with the reason (the audit still runs);
the tests turn that into a failure in CI (``tests/conftest.py::require_reference``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance import catalog
from conformance.arguments import require_callable, require_instance, require_mapping, require_str, require_strings
from conformance.audit import (
    adapter_probes,
    boldchat_pgp,
    boldchat_sha512,
    boldchat_validator,
    email_hmac,
    evidence,
    hmac_hex,
    hs256_jwt,
    khoros_cryptor,
    khoros_secure_transfer,
    khoros_widget_jwt,
    salesforce_enhanced_chat,
    stream_chat,
    talkative,
    thread,
    twilio,
)
from conformance.audit.model import PROOFS, SEVERITIES, STATUSES, Finding, Proof, run_proof
from conformance.errors import ConformanceError, InvalidArgument
from conformance.runinfo import run_metadata

#: Every module that registers proofs, in report order.
PROOF_MODULES = (
    khoros_secure_transfer,
    khoros_cryptor,
    khoros_widget_jwt,
    talkative,
    thread,
    boldchat_sha512,
    boldchat_validator,
    boldchat_pgp,
    hs256_jwt,
    stream_chat,
    twilio,
    hmac_hex,
    email_hmac,
    salesforce_enhanced_chat,
)
FORMAT = "handoff-conformance audit"
FORMAT_VERSION = 1

Progress = Callable[[str], None]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class AuditRecord:
    """The findings of one audit run and how it ran (time, commit, host, flows, what was missing)."""

    findings: list[Finding]
    metadata: dict[str, Any] = field(default_factory=dict)

    def headline(self) -> dict[str, Any]:
        """Counts by status, by severity of the *proved* findings (a refuted critical finding is no critical
        finding), and by severity x status (every key present, zeros included); ``unprobed``: per adapter with a gap,
        its declared consumer ops that no probe covers (all its ops when none has a probe)."""
        by_status = {status: sum(f.status == status for f in self.findings) for status in STATUSES}
        by_severity = {
            severity: sum(f.severity == severity and f.status == "proved" for f in self.findings)
            for severity in SEVERITIES
        }
        matrix = {
            severity: {
                status: sum(f.severity == severity and f.status == status for f in self.findings) for status in STATUSES
            }
            for severity in SEVERITIES
        }
        adapters = self.metadata.get("adapters") or {}
        unprobed = {
            name: list(about.get("unprobed") or about.get("ops") or [])
            for name, about in adapters.items()
            if unprobed_note(name, about)
        }
        return {
            "findings": len(self.findings),
            "by_status": by_status,
            "by_severity": by_severity,
            "matrix": matrix,
            "unprobed": unprobed,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "metadata": self.metadata,
            "headline": self.headline(),
            "findings": [finding.to_json() for finding in self.findings],
        }


def check_flows(flows: Iterable[str]) -> tuple[str, ...]:
    """The flows to audit (all when none are named). Raises :class:`UsageError` listing the valid ids,
    :class:`InvalidArgument` for what is not an iterable of flow ids."""
    return tuple(entry.id for entry in catalog.select_flows(tuple(dict.fromkeys(require_strings(flows, "flows")))))


def check_adapters(specs: Iterable[str]) -> tuple[str, ...]:
    """The ``NAME=COMMAND`` specs, checked before anything runs (the registry's own check; nothing is started).
    Raises :class:`UsageError` for a malformed spec or a name used twice."""
    from conformance.spec import specs_of

    specs = require_strings(specs, "specs")
    specs_of("", specs)
    return specs


def select(flows: Sequence[str]) -> list[Proof]:
    """The registered proofs of ``flows``, in flow order then in their modules' order. Raises
    :class:`InvalidArgument` for what is not an iterable of flow ids."""
    flows = frozenset(require_strings(flows, "flows"))
    order = {flow: index for index, flow in enumerate(catalog.flow_ids())}
    chosen = [entry for entry in PROOFS.values() if entry.flow in flows]
    return sorted(chosen, key=lambda entry: order.get(entry.flow, len(order)))


def _tell(progress: Progress, line: str) -> None:
    """``progress(line)``; what the caller's callback raises (not a :class:`ConformanceError`) becomes an
    :class:`InvalidArgument` naming its type."""
    try:
        progress(line)
    except ConformanceError:
        raise
    except Exception as exc:
        raise InvalidArgument(f"progress raised {type(exc).__name__}") from None


def _one_line(text: str, limit: int = 400) -> str:
    """``text`` without terminal colour codes, on one line, at most ``limit`` characters (a build log can be long)."""
    flat = " ".join(_ANSI.sub("", text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _described(entry: Proof, why: str) -> Finding:
    return Finding.not_reproduced(entry.id, entry.flow, why, entry.details)


class _Versions:
    """Each reference's exact versions, read once per run."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, str]] = {}

    def of(self, name: str) -> dict[str, str]:
        if name not in self._cache:
            try:
                self._cache[name] = evidence.reference_versions([name])[name]
            except ConformanceError as exc:
                self._cache[name] = {"error": str(exc)}
        return self._cache[name]


def run_one(entry: Proof, versions: _Versions | None = None) -> Finding:
    """Run one proof: ``not_reproduced`` (with why) when one of its references is unavailable, else the proof's
    own finding (an exception too becomes ``not_reproduced``); its references' versions filled in. Raises
    :class:`InvalidArgument` for an ``entry`` that is not a :class:`Proof` (with text id and flow, and registry names
    for references)."""
    entry = require_instance(entry, "entry", Proof)
    require_str(entry.id, "entry.id"), require_str(entry.flow, "entry.flow")
    require_strings(entry.references, "entry.references")
    versions = _Versions() if versions is None else require_instance(versions, "versions", _Versions)
    began = time.monotonic()
    problem = evidence.missing(entry.references)
    finding = _described(entry, f"not run: {_one_line(problem)}") if problem else run_proof(entry)
    if finding.status not in STATUSES:
        finding.why = f"the proof reported an unknown status {finding.status!r}: {finding.why}"
        finding.status = "not_reproduced"
    for name in entry.references:
        if not finding.references.get(name):
            finding.references[name] = versions.of(name)
    finding.seconds = round(time.monotonic() - began, 3)
    return finding


def _probe_adapter(spec: str, progress: Progress | None = None) -> tuple[list[Finding], dict[str, Any]]:
    """Build the adapter ``NAME=COMMAND`` and run the adapter probes on it (when that module exists).

    Returns its findings and what the record says about it. Raises :class:`UsageError` for a malformed spec.
    """
    from conformance.spec import build_all

    (implementation,) = build_all("", [spec])
    name = implementation.name
    about: dict[str, Any] = {"command": spec.partition("=")[2].strip()}
    try:
        about["available"] = implementation.unavailable()
        about["versions"] = implementation.versions()
        if about["available"] is None:
            about["ops"] = sorted(implementation.ops())
            about["probed"], about["unprobed"] = adapter_probes.coverage(about["ops"])
        try:
            findings = list(adapter_probes.probe(implementation))
        except ConformanceError as exc:
            findings = [_adapter_finding(name, f"the probes could not run: {' '.join(str(exc).split())[:300]}")]
    finally:
        implementation.close()
    if progress:
        _tell(progress, f"audit: adapter {name}: {len(findings)} finding(s){unprobed_note(name, about)}")
    return findings, about


def unprobed_note(name: str, about: dict[str, Any]) -> str:
    """``"; adapter mine: no probe for thread.x"`` when a declared consumer op of a started adapter has no probe;
    ``"; adapter mine: none of its ops has a probe (...)"`` when nothing of it was probed. Raises
    :class:`InvalidArgument` for a ``name`` that is not text or ``about`` that is not the record's adapter entry."""
    name, about = require_str(name, "name"), require_mapping(about, "about")
    if about.get("available") or "ops" not in about:
        return ""
    missing = require_strings(about.get("unprobed") or (), "about['unprobed']")
    if not about.get("probed"):
        ops = require_strings(about["ops"], "about['ops']")
        return f"; adapter {name}: none of its ops has a probe ({', '.join(ops) or 'it declares none'})"
    return f"; adapter {name}: no probe for {', '.join(missing)}" if missing else ""


def _adapter_finding(name: str, why: str) -> Finding:
    return Finding.not_reproduced(f"ADAPTER:{name}:probes", "adapter", why, {"title": f"Adapter {name}: probes"})


def run_audit(flows: Sequence[str] = (), adapters: Sequence[str] = (), progress: Progress | None = None) -> AuditRecord:
    """Run every proof of ``flows`` (all flows when empty) and probe every adapter; return the record.

    Raises :class:`UsageError` for an unknown flow or a malformed adapter spec, :class:`InvalidArgument` for
    ``flows`` or ``adapters`` that are not iterables of text or a ``progress`` that is not callable.
    """
    began = time.monotonic()
    if progress is not None:
        require_callable(progress, "progress")
    chosen = check_flows(flows)
    adapters = check_adapters(adapters)
    entries = select(chosen)
    versions = _Versions()
    findings: list[Finding] = []
    for index, entry in enumerate(entries, start=1):
        finding = run_one(entry, versions)
        findings.append(finding)
        if progress:
            _tell(progress, f"audit: [{index}/{len(entries)}] {entry.id} {finding.status} ({finding.seconds:.1f} s)")
    adapter_records: dict[str, Any] = {}
    for spec in adapters:
        adapter_findings, about = _probe_adapter(spec, progress)
        findings += adapter_findings
        adapter_records[spec.partition("=")[0].strip()] = about
    covered = {entry.flow for entry in entries}
    metadata = {
        **run_metadata(),
        "ci": os.environ.get("CI", "").lower() in {"1", "true", "yes"},
        "flows": list(chosen),
        "flowsWithoutProofs": [flow for flow in chosen if flow not in covered],
        "adapters": adapter_records,
        "seconds": round(time.monotonic() - began, 2),
    }
    return AuditRecord(findings, metadata)


__all__ = [
    "PROOF_MODULES",
    "AuditRecord",
    "check_adapters",
    "check_flows",
    "run_audit",
    "run_one",
    "select",
    "unprobed_note",
]
