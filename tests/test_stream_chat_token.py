"""Stream Chat user tokens: the port against Stream's own SDKs (node, Python, Java), and the flow's audit proofs.

Differential: campaigns of the port in each SDK's layout against that SDK, zero divergences. Audit findings, proved
against the SDKs themselves: a token without ``exp`` (every SDK's default) is accepted a century later; no SDK bounds
``exp``; the node SDK's development token is accepted where auth checks are off (and refused where they are on);
the SDKs disagree on falsy claims and on secrets under 32 bytes.
"""

from __future__ import annotations

import pytest

from conformance import registry
from conformance.audit import stream_chat as audit
from conformance.audit.model import PROOFS, run_proof
from conformance.catalog.flows import STREAM_NOW, STREAM_SDK_OPS
from conformance.contract import Implementation
from conformance.fuzz import engine
from conformance.fuzz.plan import Plan, check
from conformance.judge import same
from conformance.spec import ImplementationSpec
from conformance.vendors import stream_chat
from tests.conftest import require_reference

SECRET = "tests-only-stream-secret-0123456789abcdef"
SDKS = ("node", "python", "java")
#: cases per SDK in the suite (a small campaign; the 100,000-case figures are in README, "Campaigns")
CASES = {"node": 2_000, "python": 2_000, "java": 2_000}


def _sdk(sdk: str) -> Implementation:
    implementation = registry.shared(f"stream-{sdk}")
    require_reference(implementation.name, implementation.unavailable)
    return implementation


def _token(sdk: str, **args: object) -> str:
    (answer,) = _sdk(sdk).call_many([(f"stream.token.create_{sdk}", {"secret": SECRET, "userId": "alice", **args})])
    assert answer.status == "value", answer.describe()
    return str(answer.value)


@pytest.mark.parametrize("sdk", SDKS)
def test_a_campaign_against_each_sdk_finds_no_divergence(sdk: str) -> None:
    _sdk(sdk)
    op = f"stream.token.create_{sdk}"
    plan, _ = check(
        Plan(
            "stream_chat_token",
            (op,),
            ImplementationSpec.builtin("python"),
            ImplementationSpec.builtin(f"stream-{sdk}"),
            CASES[sdk],
            seed=17,
            minimize=0,
        )
    )
    result = engine.run(plan)
    assert result.complete and result.cases == CASES[sdk]
    first = result.divergences[0] if result.divergences else None
    assert first is None, f"case {first.case}: {first.args!r}: {first.reference.describe()} / {first.actual.describe()}"


def test_the_campaign_finds_a_port_in_the_wrong_layout() -> None:
    """The differential check can fail: the node layout is not the Python SDK's on non-ASCII ids."""
    _sdk("python")
    args = {"secret": SECRET, "userId": "j\u00e9r\u00f4me", "exp": None, "iat": STREAM_NOW}
    (theirs,) = _sdk("python").call_many([("stream.token.create_python", args)])
    ours = stream_chat.create_token(SECRET, "j\u00e9r\u00f4me", iat=STREAM_NOW, sdk="node")
    assert theirs.status == "value" and theirs.value != ours


@pytest.mark.parametrize("sdk", SDKS)
def test_a_token_without_exp_is_accepted_a_century_later(sdk: str) -> None:
    """STREAM-1 (proved): every SDK's default token has no exp, and the documented verifier accepts it for ever."""
    token = _token(sdk, iat=STREAM_NOW)
    century = STREAM_NOW + 100 * 365 * 86_400
    assert stream_chat.verify_token(token, SECRET, now=century, user_id="alice") == {"user_id": "alice", "exp": None}


@pytest.mark.parametrize("sdk", SDKS)
def test_no_sdk_bounds_exp(sdk: str) -> None:
    """STREAM-2 (proved): an exp of 2**53 - 1 (285 million years) is signed by every SDK and accepted."""
    token = _token(sdk, exp=2**53 - 1, iat=STREAM_NOW)
    assert stream_chat.verify_token(token, SECRET, now=STREAM_NOW)["exp"] == 2**53 - 1


def test_a_development_token_is_accepted_only_where_auth_checks_are_off() -> None:
    """STREAM-3 (proved): the node SDK's devToken needs no secret; an app with auth checks off accepts it."""
    (dev,) = _sdk("node").call_many([("stream.token.dev_node", {"userId": "admin"})])
    assert dev.value.endswith(".devtoken") and dev.value == stream_chat.dev_token("admin")
    accepted = stream_chat.verify_token(dev.value, "any-secret", now=STREAM_NOW, user_id="admin", auth_checks=False)
    assert accepted == {"user_id": "admin", "exp": None}
    with pytest.raises(stream_chat.DevTokenRefused):
        stream_chat.verify_token(dev.value, "any-secret", now=STREAM_NOW, user_id="admin")


def test_a_development_token_mangles_ids_above_latin1() -> None:
    """devToken keeps the low byte of each UTF-16 code unit: U+4E2D becomes '-' (0x2D), another user's id."""
    (dev,) = _sdk("node").call_many([("stream.token.dev_node", {"userId": "\u4e2d"})])
    assert dev.value == stream_chat.dev_token("\u4e2d")
    claims = stream_chat.verify_token(dev.value, SECRET, now=STREAM_NOW, auth_checks=False)
    assert claims["user_id"] == "-"


def test_the_sdks_disagree_on_falsy_claims_and_short_secrets() -> None:
    """The node and Python SDKs drop exp/iat of 0, the Java SDK writes them; jjwt refuses a secret under 32 bytes."""
    answers = {
        sdk: _sdk(sdk).call_many([(op, {"secret": SECRET, "userId": "a", "exp": 0, "iat": 0})])[0]
        for sdk, op in zip(SDKS, STREAM_SDK_OPS, strict=True)
    }
    payloads = {sdk: stream_chat._segment(a.value.split(".")[1]) for sdk, a in answers.items()}
    assert payloads["node"] == payloads["python"] == b'{"user_id":"a"}'
    assert payloads["java"].startswith(b'{"user_id":"a","exp":0,"iat":0,')
    short = {"secret": "short", "userId": "a", "exp": None, "iat": STREAM_NOW}
    outcomes = {sdk: _sdk(sdk).call_many([(op, short)])[0] for sdk, op in zip(SDKS, STREAM_SDK_OPS, strict=True)}
    assert outcomes["java"].reason == "WeakKey"
    assert outcomes["node"].status == outcomes["python"].status == "value"
    assert same(outcomes["java"], registry.shared("python").call_many([("stream.token.create_java", short)])[0])


@pytest.mark.parametrize("finding_id", ["STREAM-1", "STREAM-2"])
def test_the_audit_proofs_are_proved_by_the_sdks(finding_id: str) -> None:
    """Each proof's status is what the SDKs and the documented verifier answer again for its artifacts."""
    for name in PROOFS[finding_id].references:
        _sdk(name.removeprefix("stream-"))
    finding = run_proof(PROOFS[finding_id])
    assert finding.flow == "stream_chat_token" and finding.cwe.startswith("CWE-") and finding.figures["queries"] > 0
    later = STREAM_NOW + audit.CENTURY
    if finding_id == "STREAM-1":
        tokens = finding.artifacts["default_tokens"]
        lives = all(stream_chat.verify_token(t, audit.TEST_SECRET, now=later)["exp"] is None for t in tokens.values())
        zero = finding.artifacts["exp_zero_tokens"]
        with pytest.raises(stream_chat.TokenExpired):
            stream_chat.verify_token(zero["stream-java"], audit.TEST_SECRET, now=STREAM_NOW)
        dropped = all(stream_chat.verify_token(zero[r], audit.TEST_SECRET, now=later) for r in ("stream-node",))
        worked = len(tokens) == 3 and lives and dropped
    else:
        tokens = finding.artifacts["dev_tokens"]
        (again,) = _sdk("node").call_many([("stream.token.dev_node", {"userId": "admin"})])
        collide = all(tokens[a] == tokens[b] for a, b in audit.MANGLED)
        off = stream_chat.verify_token(again.value, "x", now=STREAM_NOW, user_id="admin", auth_checks=False)
        worked = again.value == tokens["admin"] and collide and off["user_id"] == "admin"
    assert finding.status == ("proved" if worked else "refuted"), finding.why
