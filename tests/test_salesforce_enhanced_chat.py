"""Salesforce Enhanced Chat user verification: vectors, the port against jsonwebtoken and PyJWT, a campaign, the
audit's finding, the probes, inspect's mistakes on artifacts the live references refuse."""

from __future__ import annotations

from conformance.audit.salesforce_enhanced_chat import ISSUER, KID, pyjwt_defaults, signed
from conformance.inspect import inspect_args
from conformance.kinds.jwt import NOW
from conformance.testkeys import rsa_test_jwk
from tests import jwt_flow_checks as checks

FLOW, VERIFY = "salesforce_enhanced_chat", "salesforce.enhanced_chat.verify"


def test_every_vector_passes_for_the_port_and_each_reference() -> None:
    checks.every_vector_passes(FLOW)


def test_the_port_agrees_with_jsonwebtoken_and_pyjwt_on_every_mutation() -> None:
    checks.port_agrees_with_references(VERIFY, count=600)


def test_a_small_campaign_of_the_port_against_each_reference_finds_no_divergence() -> None:
    checks.campaign_finds_no_divergence(FLOW, cases=1000)


def test_an_adapter_that_accepts_every_token_is_unsafe() -> None:
    wanted = frozenset({"WrongKey", "HsConfusion", "KeyAlgorithmMismatch", "IssuerMismatch", "NoExp", "WrongKid"})
    unsafe = checks.accept_everything_is_unsafe(FLOW, VERIFY, wanted)
    assert "OtherAlgorithm" in unsafe


def test_the_probes_prove_an_accept_everything_adapter_and_refute_the_port() -> None:
    proved = checks.accept_everything_fails_the_probes(VERIFY)
    assert {"hs256-public-key", "wrong-issuer"} <= set(proved)
    checks.the_port_refuses_the_probe_attacks(VERIFY)


def test_salesforce_1_a_token_for_another_audience_is_an_identity_token() -> None:
    why = checks.proved("SALESFORCE-1")
    assert "'pyjwt': ['accepted', 'accepted', 'accepted', 'accepted']" in why
    api = signed({"sub": "u", "iss": ISSUER, "aud": "https://api.brand.example", "exp": NOW + 60})
    assert pyjwt_defaults(api) == "InvalidAudienceError"  # PyJWT's defaults would refuse it


def _inspect(args: dict) -> tuple[str, ...]:
    inspection = inspect_args(VERIFY, args)
    assert not inspection.conforms
    return tuple(d.flag for d in inspection.diagnoses)


def test_inspect_names_the_mistake_first() -> None:
    checks.references(FLOW)
    token = signed({"sub": "user-1", "iss": ISSUER, "exp": NOW + 3600})
    keyset = {"keys": [rsa_test_jwk("brand-a", KID)]}
    good = {"token": token, "now": NOW, "jwks": keyset, "issuer": ISSUER}
    assert inspect_args(VERIFY, good).conforms
    assert _inspect({**good, "issuer": ISSUER + "/"})[0] == "IssuerMismatch"
    assert _inspect({**good, "jwks": {"keys": [rsa_test_jwk("brand-a", KID, "RS512")]}})[0] == "KeyAlgorithmMismatch"
    assert _inspect({**good, "jwks": {"keys": [rsa_test_jwk("brand-a", "another-kid")]}})[0] == "WrongKid"
    assert _inspect({**good, "now": NOW + 7200})[0] == "Expired"
    assert _inspect({**good, "jwks": {"keys": [rsa_test_jwk("brand-b", KID)]}}) == ()  # another key: unexplained
