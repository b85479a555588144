"""The adapter probes of the SDK flows' verify ops (``stream.token.verify``, ``twilio.access_token.verify``): an
unsafe verifier (tests/fixtures/adapters/sdk_token_verifier.py) is caught, a safe one and the project's own port
refute every probe, and each probe's input is what it claims (checked with PyJWT and the vendors' SDKs)."""

from __future__ import annotations

from collections.abc import Iterator

import jwt
import pytest

from conformance import registry
from conformance.audit import adapter_probes
from conformance.audit.model import Finding
from conformance.contract import JsonLinesImplementation
from tests.conftest import require
from tests.test_audit_adapters import run_adapter as _probe


@pytest.fixture
def started() -> Iterator[list[JsonLinesImplementation]]:
    made: list[JsonLinesImplementation] = []
    yield made
    for implementation in made:
        implementation.close()


STREAM, TWILIO = adapter_probes.STREAM_OP, adapter_probes.TWILIO_OP
STREAM_PROBES = ("dev-token", "alg-none", "forged-signature", "tampered-token", "expired-token", "wrong-user")
TWILIO_PROBES = ("alg-none", "forged-signature", "tampered-token", "expired-token", "ttl-over-24h", "missing-cty")


def _statuses(findings: list[Finding]) -> dict[str, str]:
    return {f.id: f.status for f in findings}


def test_the_unsafe_verifier_is_caught(started: list[JsonLinesImplementation]) -> None:
    findings = _probe(started, "unsafe", "sdk_token_verifier.py", "unsafe")
    refuted = {"forged-signature", "tampered-token"}  # it does check an HS256 signature
    assert _statuses(findings) == {
        **{f"ADAPTER:unsafe:{p}:{STREAM}": "refuted" if p in refuted else "proved" for p in STREAM_PROBES},
        **{f"ADAPTER:unsafe:{p}:{TWILIO}": "refuted" if p in refuted else "proved" for p in TWILIO_PROBES},
    }
    dev = next(f for f in findings if f.id == f"ADAPTER:unsafe:dev-token:{STREAM}")
    assert dev.severity == "critical" and dev.flow == "stream_chat_token" and dev.cwe == "CWE-287"
    assert dev.artifacts["input"]["token"].endswith(".devtoken") and dev.artifacts["input"]["authChecks"] is True
    for found in findings:
        assert found.references == {"unsafe": {"protocol": "1"}} and found.figures["queries"] == 7
        assert found.mitigation and found.title.startswith("unsafe: ")


def test_the_safe_verifier_and_the_port_refute_every_probe(started: list[JsonLinesImplementation]) -> None:
    for name, script, argv in (("safe", "sdk_token_verifier.py", ("safe",)), ("port", "builtin_port.py", ())):
        findings = [f for f in _probe(started, name, script, *argv) if f.id.endswith((STREAM, TWILIO))]
        assert len(findings) == len(STREAM_PROBES) + len(TWILIO_PROBES), name
        assert {f.status for f in findings} == {"refuted"}, {f.id: f.why for f in findings if f.status != "refuted"}


def _pyjwt(token: str, **options: bool) -> dict:
    return dict(jwt.decode(token, adapter_probes.SDK_SECRET, algorithms=["HS256"], options=options))


def test_the_stream_inputs_are_what_they_claim() -> None:
    probes = adapter_probes.stream_probes()
    genuine, attacks = probes.genuine["token"], probes.attacks
    require("stream-node")
    made = registry.shared("stream-node").call_many([("stream.token.create_node", {
        "secret": adapter_probes.SDK_SECRET, "userId": "user-1", "exp": adapter_probes.SDK_NOW + 3600, "iat": None}),
        ("stream.token.dev_node", {"userId": "user-1"})])  # fmt: skip
    assert [o.value for o in made] == [genuine, attacks["dev-token"]["token"]], "the node SDK makes the same tokens"
    assert _pyjwt(genuine, verify_exp=False) == {"user_id": "user-1", "exp": adapter_probes.SDK_NOW + 3600}
    assert attacks["alg-none"]["token"].endswith(".") and jwt.get_unverified_header(attacks["alg-none"]["token"])[
        "alg"] == "none"  # fmt: skip
    with pytest.raises(jwt.InvalidSignatureError):
        _pyjwt(attacks["forged-signature"]["token"], verify_exp=False)
    with pytest.raises(jwt.InvalidSignatureError):
        _pyjwt(attacks["tampered-token"]["token"], verify_exp=False)
    assert _pyjwt(attacks["expired-token"]["token"], verify_exp=False)["exp"] < attacks["expired-token"]["now"]
    assert attacks["wrong-user"]["token"] == genuine and attacks["wrong-user"]["userId"] != "user-1"


def test_the_twilio_inputs_are_what_they_claim() -> None:
    probes = adapter_probes.twilio_probes()
    genuine, attacks = probes.genuine["token"], probes.attacks
    require("twilio-node")
    made = registry.shared("twilio-node").call_many([("twilio.access_token.create_node", {
        "accountSid": adapter_probes.TWILIO_ACCOUNT, "keySid": adapter_probes.TWILIO_KEY,
        "secret": adapter_probes.SDK_SECRET, "identity": "user-1", "ttl": None, "nbf": None, "region": None,
        "grants": [{"type": "chat", "serviceSid": "IS" + "0" * 32}], "now": adapter_probes.SDK_NOW})])  # fmt: skip
    assert made[0].value == genuine, "the node SDK makes the same token"
    claims = _pyjwt(genuine, verify_exp=False, verify_iat=False)
    assert jwt.get_unverified_header(genuine)["cty"] == "twilio-fpa;v=1" and claims["exp"] - claims["iat"] == 3600
    long_lived = _pyjwt(attacks["ttl-over-24h"]["token"], verify_exp=False, verify_iat=False)
    assert long_lived["exp"] - long_lived["iat"] == 2 * 86_400
    assert "cty" not in jwt.get_unverified_header(attacks["missing-cty"]["token"])
    assert _pyjwt(attacks["missing-cty"]["token"], verify_exp=False, verify_iat=False) == claims
    expired = _pyjwt(attacks["expired-token"]["token"], verify_exp=False, verify_iat=False)
    assert expired["exp"] < attacks["expired-token"]["now"]
    for name in ("forged-signature", "tampered-token"):
        with pytest.raises(jwt.InvalidSignatureError):
            _pyjwt(attacks[name]["token"], verify_exp=False, verify_iat=False)
