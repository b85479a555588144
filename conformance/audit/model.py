"""The shape of an audit finding, and the registry of proofs that produce them.

A *proof* is a function that runs an attack (or a check) against the live references and returns a
:class:`Finding`. Its ``status`` says what happened:

* ``proved``: the attack worked against the reference (the weakness is real, shown by the vendor's own code);
* ``refuted``: the attack was tried and the reference resisted it (also evidence);
* ``not_reproduced``: the proof could not be carried out here (a reference is unavailable, or the attack did not
  succeed within its budget); ``why`` says which.

A proof that fails is never reported as ``proved``: the proof function decides the status from what it observed,
and :func:`run_proof` turns any exception into ``not_reproduced``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from conformance import catalog, registry
from conformance.arguments import require_callable, require_instance, require_mapping, require_str, require_strings
from conformance.errors import InvalidArgument

#: The most steps a finding's ``ran`` lists, and the most references a proof names.
MAX_STEPS, MAX_REFERENCES = 1000, 64

Status = Literal["proved", "refuted", "not_reproduced"]
STATUSES: tuple[Status, ...] = ("proved", "refuted", "not_reproduced")
Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")


@dataclass
class Finding:
    """One audit finding, as it appears in the JSON, HTML and Markdown reports."""

    id: str  # stable: "ST-2", "TALK-2", ... (or "ADAPTER:<name>:<probe>" for a user's implementation)
    flow: str  # the flow id (catalog), e.g. "khoros_secure_transfer"
    title: str
    severity: Severity
    severity_reasoning: str
    cwe: str  # "CWE-347"
    attacker_model: str
    preconditions: list[str]
    status: Status
    why: str  # what was observed; for not_reproduced, why it could not be shown
    ran: list[str]  # what was run, step by step
    references: dict[str, dict[str, str]]  # reference name -> its exact versions
    figures: dict[str, Any] = field(default_factory=dict)  # measured: queries, seconds, rates ...
    artifacts: dict[str, Any] = field(default_factory=dict)  # to replay the proof (TEST keys only)
    mitigation: str = ""
    plots: list[dict[str, Any]] = field(default_factory=list)  # {"title", "svg"} pictures for the HTML report
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def not_reproduced(
        cls,
        finding_id: str,
        flow: str,
        why: str,
        details: Mapping[str, Any] | None = None,
        ran: list[str] | None = None,
    ) -> Finding:
        """A finding that could not be shown here, described by ``details`` (title, severity, cwe, ...) as far as
        they go. Raises :class:`InvalidArgument` for an id, flow or why that is not text, ``details`` that are not a
        mapping of texts (``preconditions``: text lines), or ``ran`` that is not text lines."""
        finding_id, flow, why = (
            require_str(finding_id, "finding_id"),
            require_str(flow, "flow"),
            require_str(why, "why"),
        )
        details = {} if details is None else require_mapping(details, "details")
        ran = [] if ran is None else list(require_strings(ran, "ran", limit=MAX_STEPS))
        severity = _detail(details, "severity", "info")

        return cls(
            id=finding_id,
            flow=flow,
            title=_detail(details, "title", finding_id),
            severity=severity if severity in SEVERITIES else "info",  # type: ignore[arg-type]
            severity_reasoning=_detail(details, "severity_reasoning", "Nothing was shown either way."),
            cwe=_detail(details, "cwe", ""),
            attacker_model=_detail(details, "attacker_model", ""),
            preconditions=list(
                require_strings(details.get("preconditions", ()), "details' preconditions", limit=MAX_STEPS)
            ),
            status="not_reproduced",
            why=why,
            ran=ran,
            references={},
            mitigation=_detail(details, "mitigation", ""),
        )


def _detail(details: Mapping[str, Any], key: str, default: str) -> str:
    """The text ``details[key]`` (``default`` when absent). Raises :class:`InvalidArgument` for another type."""
    return require_str(details.get(key, default), f"details' {key}")


ProofFunction = Callable[[], Finding]


@dataclass(frozen=True)
class Proof:
    """A registered proof: its finding id, flow, and the function that runs it."""

    id: str
    flow: str
    run: ProofFunction
    references: tuple[str, ...] = ()  # implementation names it needs (registry names: java, node, php, ...)
    #: The finding's fixed description (title, severity, severity_reasoning, cwe, attacker_model, preconditions,
    #: mitigation), used to describe it when it cannot run or raises. Optional.
    details: Mapping[str, Any] = field(default_factory=dict)


PROOFS: dict[str, Proof] = {}


def proof(
    finding_id: str, flow: str, references: tuple[str, ...] = (), details: Any = None
) -> Callable[[ProofFunction], ProofFunction]:
    """Register ``function`` as the proof of ``finding_id``; the ids are stable and unique.

    Raises ``ValueError`` at import for an id registered twice, a flow the catalog does not declare, or a reference
    the registry does not know.

    ``details`` (optional) is the finding's fixed description: a mapping, or an object with a ``fallback()``
    method returning one (``conformance.audit.evidence.Details``). Raises :class:`InvalidArgument` at once for an id
    or flow that is not text, ``references`` that are not registry names, or other ``details``.
    """
    finding_id, flow = require_str(finding_id, "finding_id"), require_str(flow, "flow")
    references = require_strings(references, "references", limit=MAX_REFERENCES)
    described: dict[str, Any] = {}
    if isinstance(details, Mapping):
        described = dict(details)
    elif details is not None:
        fallback = getattr(details, "fallback", None)
        if not callable(fallback):
            raise InvalidArgument("details must be a mapping or have a fallback() method")
        described = {
            **require_mapping(fallback(), "details.fallback()"),
            "mitigation": str(getattr(details, "mitigation", "")),
        }

    def register(function: ProofFunction) -> ProofFunction:
        if finding_id in PROOFS:
            raise ValueError(f"two proofs for {finding_id}")
        if flow not in catalog.flow_ids():
            raise ValueError(f"proof {finding_id}: the catalog declares no flow {flow!r}")
        if unknown := sorted(set(references) - set(registry.names())):
            raise ValueError(f"proof {finding_id}: {', '.join(unknown)} not in the registry")
        PROOFS[finding_id] = Proof(finding_id, flow, function, references, described)
        return function

    return register


def run_proof(entry: Proof, fallback: Mapping[str, Any] | None = None) -> Finding:
    """Run one proof; an exception becomes a ``not_reproduced`` finding that names it (never ``proved``).

    The finding's description then comes from ``fallback``, else from the details the proof was registered with.
    Raises :class:`InvalidArgument` for an ``entry`` that is not a :class:`Proof` or a ``fallback`` that is not a
    mapping; a proof that returns something other than a :class:`Finding` is ``not_reproduced`` too.
    """
    entry = require_instance(entry, "entry", Proof)
    require_str(entry.id, "entry.id"), require_str(entry.flow, "entry.flow"), require_callable(entry.run, "entry.run")
    fallback = None if fallback is None else require_mapping(fallback, "fallback")
    began = time.monotonic()
    described = fallback if fallback is not None else entry.details
    try:
        finding = entry.run()
    except Exception as exc:
        why = f"the proof raised {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        finding = Finding.not_reproduced(entry.id, entry.flow, why, described)
    if not isinstance(finding, Finding):
        why = f"the proof returned {type(finding).__name__}, not a Finding"
        finding = Finding.not_reproduced(entry.id, entry.flow, why, described)
    finding.seconds = round(time.monotonic() - began, 3)
    return finding
