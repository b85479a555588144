"""Drift signed identity: vectors, the port against jsonwebtoken and PyJWT, the audit's finding, the probes."""

from __future__ import annotations

from conformance.audit.hs256_jwt import VICTIM, enabled_mode
from tests import jwt_flow_checks as checks

FLOW, VERIFY = "drift_signed_identity", "drift.signed_identity.verify"


def test_every_vector_passes_for_the_port_and_each_reference() -> None:
    checks.every_vector_passes(FLOW)


def test_the_port_agrees_with_jsonwebtoken_and_pyjwt_on_every_mutation() -> None:
    checks.port_agrees_with_references(VERIFY)


def test_a_small_campaign_of_the_port_against_each_reference_finds_no_divergence() -> None:
    checks.campaign_finds_no_divergence(FLOW)


def test_inspect_names_the_mistake_first() -> None:
    checks.inspect_names_the_mistakes(VERIFY)


def test_an_adapter_that_accepts_every_token_is_unsafe() -> None:
    unsafe = checks.accept_everything_is_unsafe(FLOW, VERIFY)
    assert {"OtherAlgorithm", "EmptySignature", "NotYetValid", "ExpBoundary"} <= unsafe


def test_the_probes_prove_an_accept_everything_adapter_and_refute_the_port() -> None:
    proved = checks.accept_everything_fails_the_probes(VERIFY)
    assert "wrong-kid" not in proved and "too-old-iat" not in proved  # Drift has neither kid nor an iat window
    checks.the_port_refuses_the_probe_attacks(VERIFY)


def test_enabled_mode_takes_the_token_sub_or_falls_back() -> None:
    assert enabled_mode({"sub": "user-7"}, VICTIM) == "user-7"
    assert enabled_mode(None, VICTIM) == VICTIM


def test_drift_1_enabled_mode_identifies_a_keyless_visitor_as_the_victim() -> None:
    why = checks.proved("DRIFT-1")
    assert "'node': ['MalformedToken', 'AlgNone', 'BadSignature', 'TokenExpired', 'BadSignature']" in why
