"""100,000 campaign cases per flow: the built-in Python port against each flow's live reference.

Every divergence must be one of the known findings below: differences the campaigns found in the ports, reported to
the lead and not yet fixed. Each has its minimized example, which must still diverge (so a fix shows up here and its
entry is removed). ``boldchat_validator`` has no reference implementation, and ``boldchat_pgp`` is answered at about
ten cases a second by the Python port (RSA key loading per call), so neither has a campaign here
(README, "Campaigns").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from conformance import registry
from conformance.fuzz import engine
from conformance.fuzz.plan import Endpoint, Plan, check, default_reference, select_ops
from conformance.fuzz.record import Divergence
from conformance.judge import same
from tests.conftest import require

CASES = 100_000


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reasons(d: Divergence) -> tuple[str | None, str | None]:
    return (
        d.reference.reason if d.reference.status == "error" else None,
        d.actual.reason if d.actual.status == "error" else None,
    )


@dataclass(frozen=True)
class Finding:
    """A divergence class the campaigns found and the lead was told of: how to recognize it, and its example."""

    flow: str
    summary: str
    matches: Callable[[Divergence], bool]
    op: str
    example: dict[str, Any]


FINDINGS = (
    Finding(
        "talkative_signed_data",
        "null interaction data: jose says InvalidInteractionData, the port NullArgument",
        lambda d: _reasons(d) == ("InvalidInteractionData", "NullArgument"),
        "talkative.signing_input",
        {"fields": None},
    ),
    Finding(
        "talkative_signed_data",
        "PEM leniency: jose's importSPKI takes a PEM without line breaks, padding or END line and refuses one with "
        "whitespace or junk around it; the port's loader does the opposite",
        lambda d: (
            d.op == "talkative.verify"
            and (_reasons(d)[0] == "InvalidKeyMaterial") != (_reasons(d)[1] == "InvalidKeyMaterial")
        ),
        "talkative.verify",
        {
            "token": "A",
            "publicKeyPem": "\u00a0"
            + "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENApH6fwiVw9p1Y0H87rG968WxA9B\n7xlvV4jKzhQfO2AgJ+RkOytqvFJVHmMZnPUFkZ0e8BRq5Ob1YXpzxwX4Vw==\n-----END PUBLIC KEY-----\n",
        },
    ),
    Finding(
        "boldchat_sha512",
        "encoded text that is not UTF-8 (a lone surrogate): the OpenSSL bridge says InvalidArgument, the port "
        "ParameterError",
        lambda d: _reasons(d) == ("InvalidArgument", "ParameterError") and not _encodable(d.args.get("encoded", "")),
        "boldchat.sha512.secure",
        {"encoded": "\ud800", "hashingKey": "k"},
    ),
)

FLOWS = (
    "khoros_secure_transfer",
    "khoros_cryptor",
    "khoros_widget_jwt",
    "talkative_signed_data",
    "thread_messenger",
    "boldchat_sha512",
)


@pytest.mark.parametrize("flow", FLOWS)
def test_a_100k_campaign_finds_nothing_but_known_findings(flow: str) -> None:
    reference = default_reference(flow)
    require(reference)
    plan, _ = check(
        Plan(flow, select_ops(flow), Endpoint("python"), Endpoint(reference), CASES, seed=2026, keep=CASES, minimize=0)
    )
    started = time.monotonic()
    result = engine.run(plan)
    assert result.cases + result.skipped == CASES and result.complete
    assert result.cases >= 0.85 * CASES, "the reference skipped too many cases"
    known = [finding for finding in FINDINGS if finding.flow == flow]
    unknown = [d for d in result.divergences if not any(f.matches(d) for f in known)]
    assert not unknown, (
        f"{len(unknown)} new divergence(s) in {flow}, first: case {unknown[0].case} {unknown[0].op} {unknown[0].args!r}: "
        f"{reference} {unknown[0].reference.describe()}, python {unknown[0].actual.describe()}"
    )
    print(f"{flow}: {result.cases} cases in {time.monotonic() - started:.1f} s, {result.divergence_count} known")


@pytest.mark.parametrize("finding", FINDINGS, ids=lambda f: f"{f.flow}:{f.op}")
def test_each_known_finding_still_diverges(finding: Finding) -> None:
    """When a finding is fixed this fails: then remove its entry, so the campaign guards the fix."""
    reference = default_reference(finding.flow)
    require(reference)
    call = [(finding.op, finding.example)]
    theirs, ours = registry.shared(reference).call_many(call)[0], registry.shared("python").call_many(call)[0]
    assert theirs.status in ("value", "error")
    divergence = Divergence(0, finding.op, finding.example, theirs, ours)
    assert not same(theirs, ours) and finding.matches(divergence), (theirs.describe(), ours.describe())
