"""Zendesk messaging JWT: vectors, the port against jsonwebtoken and PyJWT, the audit's findings, the probes."""

from __future__ import annotations

from tests import jwt_flow_checks as checks

FLOW, VERIFY = "zendesk_messaging_jwt", "zendesk.messaging_jwt.verify"


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
    assert {"WrongKidAmongTen", "MissingKid", "OtherAlgorithm"} <= unsafe


def test_the_probes_prove_an_accept_everything_adapter_and_refute_the_port() -> None:
    proved = checks.accept_everything_fails_the_probes(VERIFY)
    assert "wrong-kid" in proved
    checks.the_port_refuses_the_probe_attacks(VERIFY)


def test_zendesk_1_a_token_without_exp_never_expires() -> None:
    assert "+10 years" in checks.proved("ZENDESK-1")


def test_zendesk_2_pyjwt_reads_a_string_exp_that_jsonwebtoken_refuses() -> None:
    assert "'pyjwt': ['accepted']" in checks.proved("ZENDESK-2")
