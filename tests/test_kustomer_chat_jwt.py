"""Kustomer chat JWT: vectors, the port against jsonwebtoken and PyJWT, the audit's finding, the probes."""

from __future__ import annotations

from conformance import registry
from conformance.audit.hs256_jwt import SECRET, pyjwt_default_iat, signed
from conformance.kinds.jwt import NOW
from tests import jwt_flow_checks as checks
from tests.conftest import require

FLOW, VERIFY = "kustomer_chat_jwt", "kustomer.chat_jwt.verify"


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
    assert {"IatTooOld", "IatBoundary", "IatMissing"} <= unsafe


def test_the_probes_prove_an_accept_everything_adapter_and_refute_the_port() -> None:
    proved = checks.accept_everything_fails_the_probes(VERIFY)
    assert "too-old-iat" in proved
    checks.the_port_refuses_the_probe_attacks(VERIFY)


def test_the_email_wins_over_the_external_id() -> None:
    require("node")
    token = signed("kustomer.chat_jwt.sign", {"externalId": "user_8412", "email": "c@example.com", "iat": NOW})
    for name in ("python", *checks.references(FLOW)):
        (outcome,) = registry.shared(name).call_many([(VERIFY, {"token": token, "now": NOW, "secret": SECRET})])
        assert outcome.value["identity"] == {"email": "c@example.com"}, name


def test_kustomer_1_iat_is_the_only_freshness_and_a_future_iat_keeps_a_token_alive() -> None:
    why = checks.proved("KUSTOMER-1")
    assert "TokenTooOld" in why
    future = signed("kustomer.chat_jwt.sign", {"externalId": "u", "iat": NOW + 86400})
    assert pyjwt_default_iat(future) == "ImmatureSignatureError"  # PyJWT's defaults disagree with jsonwebtoken
