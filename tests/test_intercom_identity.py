"""Intercom identity verification (``intercom_identity``): the vectors in Python and every reference, a small
campaign per reference, the platforms' rules (user_id before email, one secret per platform, web takes either hex
case, the SDKs lowercase only), the audit proofs, inspect's friendly form, and what the example adapters earn. Op
names are read from the catalog, never written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import catalog, registry
from conformance.catalog.round_trips import signer_of
from tests import hmac_hex_checks as checks
from tests.conftest import require

FLOW = catalog.flow("intercom_identity")
VERIFIERS = {op.params["accept"]: op for op in checks.verifiers(FLOW)}
WEB, SDK = VERIFIERS["either-case"], VERIFIERS["lower"]
CASES = checks.cases(FLOW)


@pytest.mark.parametrize("name", ["python", *FLOW.references])
def test_every_vector_passes(name: str) -> None:
    checks.every_vector_passes(FLOW, name)


@pytest.mark.parametrize("reference", FLOW.references)
def test_a_small_campaign_against_each_reference_finds_no_divergence(reference: str) -> None:
    checks.small_campaign_finds_no_divergence(FLOW, reference)


def test_vectors_cover_the_platforms_and_the_flags_integrators_trip_on() -> None:
    flags = {flag for case in CASES for flag in case.flags}
    assert {"WrongField", "UppercaseHex", "SecretTrailingNewline", "SecretHexVsText", "WrongPlatformSecret"} <= flags
    assert {"CaseVariantEmail", "UnicodeNormalization", "DocumentExample", "FallbackField"} <= flags
    assert {case.op for case in CASES} == set(FLOW.op_names)
    upper = {case.op: case.output for case in CASES if case.flags == ("UppercaseHex",)}
    assert upper[WEB.name] is True and all(
        upper[op.name] is False for op in FLOW.ops if op.params.get("accept") == "lower"
    )


def test_user_id_takes_preference_and_email_is_the_fallback() -> None:
    require("ruby")
    sign = signer_of(FLOW, WEB.name)
    both = {"secret": "s", "userId": "123", "email": "jane@example.com"}
    by_id, by_email, only_email = registry.shared("ruby").call_many(
        [(sign, both), (sign, {"secret": "s", "userId": "123"}), (sign, {"secret": "s", "email": "jane@example.com"})]
    )
    assert by_id.value == by_email.value != only_email.value
    assert by_id.value == checks.user_hash("s", "123")
    (neither,) = registry.shared("python").call_many([(sign, {"secret": "s"})])
    assert (neither.status, neither.reason) == ("error", "MissingIdentity")


def test_a_hash_for_one_platform_does_not_verify_on_another() -> None:
    require("ruby")
    identity = {"userId": "123"}
    made = {
        trip.variant: registry.shared("ruby").call_many([(trip.producer_op, {"secret": trip.variant, **identity})])[0]
        for trip in FLOW.round_trips
    }
    calls = [
        (trip.consumer_op, {"secret": trip.variant, **identity, "userHash": made[other].value})
        for trip in FLOW.round_trips
        for other in made
    ]
    verdicts = [o.value for o in registry.shared("ruby").call_many(calls)]
    expected = [trip.variant == other for trip in FLOW.round_trips for other in made]
    assert verdicts == expected


@pytest.mark.parametrize("proof_id", ["HMAC-1:intercom_identity", "HMAC-2:intercom_identity"])
def test_audit_proofs_are_proved_against_the_references(proof_id: str) -> None:
    checks.proved(proof_id)


def test_an_adapter_that_accepts_every_hash_is_unsafe_on_every_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert {"WrongPlatformSecret", "WrongField"} <= checks.accept_every_hash_is_unsafe(tmp_path, FLOW)


def test_uppercase_hex_is_equivalent_on_web_and_fails_on_the_sdks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    verdicts = checks.uppercase_hex_verdicts(tmp_path, FLOW)
    for trip in FLOW.round_trips:
        accept = catalog.op(trip.consumer_op).params["accept"]
        assert verdicts[trip.producer_op] == ({"equivalent"} if accept == "either-case" else {"fail"}), trip.variant


def test_inspect_names_uppercase_hex_on_ios_and_conforms_on_web(capsys: pytest.CaptureFixture[str]) -> None:
    upper = checks.user_hash("intercom TEST secret", "123").upper()
    forms = {"key": upper, "user_id": "123", "secret": "intercom TEST secret"}
    checks.names_the_mistake(capsys, SDK.name, "UppercaseHex", **forms)
    code, headline = checks.inspect_says(
        capsys, "--op", WEB.name, *(f"--{k.replace('_', '-')}={v}" for k, v in forms.items())
    )
    assert (code, headline) == (0, "CONFORMS: ruby accepts it")


def test_inspect_names_the_email_hashed_while_user_id_is_sent(capsys: pytest.CaptureFixture[str]) -> None:
    over_email = checks.user_hash("intercom TEST secret", "jane@example.com")
    forms = {"key": over_email, "user_id": "123", "email": "jane@example.com", "secret": "intercom TEST secret"}
    checks.names_the_mistake(capsys, WEB.name, "WrongField", **forms)


def test_the_adapter_probes_prove_every_attack_on_an_adapter_that_accepts_every_hash() -> None:
    proved = checks.probes_prove_accept_every_hash(FLOW)
    assert set(proved) == {op.name for op in checks.verifiers(FLOW)}
    assert all({"forged-hash", "other-secret", "other-field", "empty-hash"} <= names for names in proved.values())
