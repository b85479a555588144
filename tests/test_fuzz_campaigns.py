"""100,000 campaign cases per flow: the built-in Python port against each flow's live reference, zero divergences.

The campaigns once found three classes of divergence in the ports (Talkative: null interaction data named
differently, and PEM public keys read otherwise than jose's ``importSPKI``; BoldChat SHA-512: a lone surrogate named
differently by the OpenSSL bridge); all are fixed, and their minimized examples are pinned below so that they stay
fixed. Documented deviations (DEVIATIONS.md) are counted apart by the engine, never as divergences.
``boldchat_validator`` has no reference implementation (README, "Campaigns"). ``boldchat_pgp`` (damaged armored
messages, an RSA-2048 private-key operation per case) runs a few hundred cases against BouncyCastle current with
zero divergences, and the same cases against BouncyCastle 1.50 diverge exactly where 1.50 and current differ.
"""

from __future__ import annotations

import time

import pytest

from conformance import registry
from conformance.fuzz import engine
from conformance.fuzz.plan import Plan, check, default_reference, select_ops
from conformance.fuzz.record import CampaignRecord
from conformance.judge import same
from conformance.outcome import Outcome
from conformance.spec import ImplementationSpec
from tests.conftest import require

CASES = 100_000

#: The minimized examples of the divergences the campaigns found and the ports no longer have: (flow, op, args).
FIXED = (
    ("talkative_signed_data", "talkative.signing_input", {"fields": None}),
    (
        "talkative_signed_data",
        "talkative.verify",
        {
            "token": "A",
            "publicKeyPem": "\u00a0"
            + "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENApH6fwiVw9p1Y0H87rG968WxA9B\n7xlvV4jKzhQfO2AgJ+RkOytqvFJVHmMZnPUFkZ0e8BRq5Ob1YXpzxwX4Vw==\n-----END PUBLIC KEY-----\n",
        },
    ),
    (
        "talkative_signed_data",
        "talkative.verify",
        {
            "token": "9",
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJU37w1mCwG5rZrbBUOfBmJ8N19G"
            "nh8MdXwsGCEcfRIq0S6lNYnSj0dkPRryrz6ISF4zn8SyxICi0l38QK2wXMgM-----END PUBLIC KEY-----",
        },
    ),
    ("boldchat_sha512", "boldchat.sha512.secure", {"encoded": "\ud800", "hashingKey": "k"}),
    ("boldchat_sha512", "boldchat.sha512.secure", {"encoded": "a", "hashingKey": "\ud800"}),
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
def test_a_100k_campaign_finds_no_divergence(flow: str) -> None:
    reference = default_reference(flow)
    require(reference)
    plan, _ = check(
        Plan(
            flow,
            select_ops(flow),
            ImplementationSpec.builtin("python"),
            ImplementationSpec.builtin(reference),
            CASES,
            seed=2026,
            keep=CASES,
            minimize=0,
        )
    )
    started = time.monotonic()
    result = engine.run(plan)
    assert result.cases + result.skipped == CASES and result.complete
    assert result.cases >= 0.85 * CASES, "the reference skipped too many cases"
    first = result.divergences[0] if result.divergences else None
    assert first is None, (
        f"{result.divergence_count} divergence(s) in {flow}, first: case {first.case} {first.op} {first.args!r}: "
        f"{reference} {first.reference.describe()}, python {first.actual.describe()}"
    )
    print(f"{flow}: {result.cases} cases in {time.monotonic() - started:.1f} s, no divergence")


@pytest.mark.parametrize(("flow", "op", "args"), FIXED, ids=lambda value: str(value)[:40])
def test_each_divergence_found_once_stays_fixed(flow: str, op: str, args: dict[str, object]) -> None:
    reference = default_reference(flow)
    require(reference)
    theirs, ours = (
        registry.shared(reference).call_many([(op, args)])[0],
        registry.shared("python").call_many([(op, args)])[0],
    )
    assert theirs.status in ("value", "error")
    assert same(theirs, ours), (theirs.describe(), ours.describe())


PGP_CASES = 1000


def _pgp_campaign(implementation: str, reference: str) -> CampaignRecord:
    require(reference)
    plan, _ = check(
        Plan(
            "boldchat_pgp",
            select_ops("boldchat_pgp"),
            ImplementationSpec.builtin(implementation),
            ImplementationSpec.builtin(reference),
            PGP_CASES,
            seed=2026,
            keep=PGP_CASES,
            minimize=0,
        )
    )
    result = engine.run(plan)
    assert result.cases == PGP_CASES and result.complete
    return result


def _answer(outcome: Outcome) -> tuple[str, object]:
    return (outcome.status, outcome.value if outcome.status == "value" else outcome.reason)


def test_boldchat_pgp_campaign_answers_as_bouncycastle() -> None:
    """The port reads armor and names damage as BouncyCastle current (BoldChat's server) does: no divergence.
    Against BouncyCastle 1.50 it may differ only where 1.50 and current differ from each other, the same way
    (DEVIATIONS.md, BoldChat PGP: 1.86 refuses header lines without ':' and line ends inside a Base64 group, and
    reads a whole packet body, up to 8192 bytes, before it decrypts, so damage 1.50 names PgpIntegrity or
    PgpDecryptionFailed is PgpMalformed in 1.86)."""
    started = time.monotonic()
    current = _pgp_campaign("python", "bc-current")
    first = current.divergences[0] if current.divergences else None
    assert first is None, (first.case, first.args, first.reference.describe(), first.actual.describe())
    against_old = _pgp_campaign("python", "bc150")
    versions = _pgp_campaign("bc-current", "bc150")
    ours = {d.case: (_answer(d.reference), _answer(d.actual)) for d in against_old.divergences}
    theirs = {d.case: (_answer(d.reference), _answer(d.actual)) for d in versions.divergences}
    assert ours == theirs, sorted(set(ours.items()) ^ set(theirs.items()))[:5]
    print(
        f"boldchat_pgp: 3 x {PGP_CASES} cases in {time.monotonic() - started:.1f} s, {len(theirs)} version differences"
    )
