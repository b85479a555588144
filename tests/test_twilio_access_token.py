"""Twilio Access Tokens: the port against Twilio's own SDKs (node, Python, Java), and the flow's audit proofs.

Differential: small campaigns of the port in each SDK's mode against that SDK, zero divergences; the Java SDK's
exact token at the millisecond it read its clock. Audit: TWILIO-1 and TWILIO-2, their status replayed from the SDKs.
"""

from __future__ import annotations

import json

import pytest

from conformance import registry
from conformance.audit import twilio as audit
from conformance.audit.model import PROOFS, run_proof
from conformance.catalog.flows import TWILIO_NOW
from conformance.contract import Implementation
from conformance.fuzz import engine
from conformance.fuzz.plan import Plan, check
from conformance.spec import ImplementationSpec
from conformance.vendors import twilio_access_token as twilio
from tests.conftest import require_reference

SDKS = ("node", "python", "java")
#: cases per SDK in the suite (a small campaign; the 100,000-case figures are in README, "Campaigns")
CASES = 1_500


def _sdk(sdk: str) -> Implementation:
    implementation = registry.shared(f"twilio-{sdk}")
    require_reference(implementation.name, implementation.unavailable)
    return implementation


@pytest.mark.parametrize("sdk", SDKS)
def test_a_campaign_against_each_sdk_finds_no_divergence(sdk: str) -> None:
    _sdk(sdk)
    op = f"twilio.access_token.create_{sdk}"
    plan, _ = check(
        Plan(
            "twilio_access_token",
            (op,),
            ImplementationSpec.builtin("python"),
            ImplementationSpec.builtin(f"twilio-{sdk}"),
            CASES,
            seed=17,
            minimize=0,
        )
    )
    result = engine.run(plan)
    assert result.complete and result.cases == CASES
    first = result.divergences[0] if result.divergences else None
    assert first is None, f"case {first.case}: {first.args!r}: {first.reference.describe()} / {first.actual.describe()}"


def test_the_java_token_is_reproduced_at_the_sdks_clock() -> None:
    """The exact token, wrapped exp and float jti included, for the millisecond the Java SDK read."""
    _sdk("java")
    from conformance.references import java_sdks

    args = {**audit.BASE, "identity": "j\u00e9r\u00f4me \U0001f600", "region": "ie1", "nbf": TWILIO_NOW}
    for ttl in (None, 0, 86_401, 2_592_000, -(2**31)):
        token, now_ms = java_sdks.twilio_token({**args, "ttl": ttl})
        assert token == twilio.create_token({**args, "ttl": ttl}, sdk="java", now_ms=now_ms), ttl


def test_a_port_in_another_sdks_mode_is_caught() -> None:
    """The differential check can fail: node's layout is not the Python SDK's."""
    (theirs,) = _sdk("python").call_many([("twilio.access_token.create_python", {**audit.BASE, "now": TWILIO_NOW})])
    assert theirs.value != twilio.create_token(audit.BASE, sdk="node", now=TWILIO_NOW)
    assert theirs.value == twilio.create_token(audit.BASE, sdk="python", now=TWILIO_NOW)


def test_java_hashmap_order_and_float_clock() -> None:
    assert twilio.java_hashmap_order(["identity", "voice", "chat", "video", "data_sync"]) == [
        "voice",
        "identity",
        "chat",
        "data_sync",
        "video",
    ]
    assert twilio.java_jti_seconds(1_796_277_713_594) == 1_796_277_632
    # 2,592,000,000 ms wraps to -1,702,967,296 ms: 30 days becomes 19.7 days in the past
    assert twilio.java_exp_seconds(1_796_277_713_594, 2_592_000) == 1_794_574_746


@pytest.mark.parametrize("finding_id", ["TWILIO-1", "TWILIO-2"])
def test_the_audit_proofs_are_proved_by_the_sdks(finding_id: str) -> None:
    for name in PROOFS[finding_id].references:
        _sdk(name.removeprefix("twilio-"))
    finding = run_proof(PROOFS[finding_id])
    assert finding.flow == "twilio_access_token" and finding.cwe.startswith("CWE-") and finding.figures["queries"] > 0
    if finding_id == "TWILIO-1":
        tokens = finding.artifacts["java_tokens"]
        claims = [audit.claims_of(t) for t in tokens]
        stamp = int(claims[0]["jti"].rsplit("-", 1)[1])
        worked = len(claims) == 2 and claims[0]["jti"] == claims[1]["jti"] and stamp % 128 == 0
    else:
        lifetimes = finding.artifacts["lifetimes"]
        again = _sdk("node").call_many([("twilio.access_token.create_node", {**audit.BASE, "ttl": 0, "now": 100})])
        node_hour = json.loads(json.dumps(audit.claims_of(again[0].value)))["exp"] == 100 + 3600
        worked = node_hour and lifetimes["twilio-python"]["0"] == 0 and lifetimes["twilio-java"]["2592000"] < 0
    assert finding.status == ("proved" if worked else "refuted"), finding.why
