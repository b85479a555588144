"""The Ruby reference's HS256 JWT ops (ruby-jwt's ``JWT.encode``/``JWT.decode``) against the live ruby, node and the
port: where they agree, and the documented disagreements (DEVIATIONS.md, ``RubyLenientBase64``, ``RubyJsonNumbers``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from conformance import judge, registry
from conformance.kinds.jwt import NOW, _encode
from conformance.outcome import Outcome
from conformance.primitives.jwt import b64_lenient
from conformance.references.ruby import lenient_base64
from tests.conftest import require

SECRET = "ruby-jwt TEST secret"
SIGN, VERIFY = "zendesk.messaging_jwt.sign", "zendesk.messaging_jwt.verify"
KEYS = [{"kid": "app_ruby_test", "secret": SECRET}]


def _ask(name: str, op: str, args: dict[str, Any]) -> Outcome:
    (outcome,) = registry.shared(name).call_many([(op, args)])
    return outcome


def test_ruby_reports_ruby_jwt_in_its_versions() -> None:
    require("ruby")
    versions = registry.shared("ruby").versions()
    assert re.fullmatch(r"\d+\.\d+\.\d+", versions["ruby-jwt"]), versions
    assert {SIGN, VERIFY} <= set(registry.shared("ruby").ops())


@pytest.mark.parametrize(
    "claims",
    [
        {"scope": "user", "external_id": "1234567890"},
        {"scope": "user", "external_id": "Jos\u00e9 \U0001f600", "iat": 0, "exp": NOW + 60},
        {"scope": "user", "external_id": "x", "iat": NOW - 5, "n": [1, 2.5, True, None]},
    ],
)
def test_ruby_signs_the_bytes_node_and_the_port_sign(claims: dict[str, Any]) -> None:
    for name in ("ruby", "node"):
        require(name)
    args = {"claims": claims, "secret": SECRET, "now": NOW, "keyId": "app_ruby_test"}
    answers = {name: _ask(name, SIGN, args) for name in ("python", "node", "ruby")}
    assert answers["ruby"].status == "value", answers["ruby"].describe()
    assert answers["ruby"].value == answers["node"].value == answers["python"].value


def test_ruby_refuses_bad_sign_arguments_as_node_does() -> None:
    for name in ("ruby", "node"):
        require(name)
    base = {"claims": {"scope": "user", "external_id": "u"}, "secret": SECRET, "now": NOW, "keyId": "k"}
    for args, reason in (
        ({**base, "secret": ""}, "EmptyKey"),
        ({**base, "claims": {"exp": "3600"}}, "InvalidArgument"),
        ({**base, "now": 0}, "InvalidArgument"),
    ):
        answers = [_ask(name, SIGN, args) for name in ("python", "node", "ruby")]
        assert all(a.status == "error" and a.reason == reason for a in answers), [a.describe() for a in answers]


def test_ruby_jwt_skips_a_character_outside_base64url_and_refuses_at_the_signature() -> None:
    for name in ("ruby", "node"):
        require(name)
    token = _encode(
        {"alg": "HS256", "typ": "JWT", "kid": "app_ruby_test"}, {"scope": "user", "external_id": "u"}, SECRET
    )
    args = {"token": token.replace(".", ".!", 1), "now": NOW, "keys": KEYS}
    python, node, ruby = (_ask(name, VERIFY, args) for name in ("python", "node", "ruby"))
    assert judge.same(python, node) and python.reason == "MalformedToken"
    assert ruby.status == "error" and ruby.reason == "BadSignature"
    assert lenient_base64(args, ruby, python) and not lenient_base64({**args, "token": token}, ruby, python)
    (genuine,) = registry.shared("ruby").call_many([(VERIFY, {**args, "token": token})])
    assert genuine.status == "value" and genuine.value["identity"] == {"external_id": "u"}


def test_ruby_writes_an_integer_beyond_two_to_the_53_exactly_where_jsonwebtoken_rounds_it() -> None:
    for name in ("ruby", "node"):
        require(name)
    args = {"claims": {"scope": "user", "external_id": "u", "n": 2**53 + 1}, "secret": SECRET, "now": NOW}
    args["keyId"] = "app_ruby_test"
    payloads = {name: b64_lenient(_ask(name, SIGN, args).value.split(".")[1]) for name in ("ruby", "node", "python")}
    assert b'"n":9007199254740993' in payloads["ruby"]
    assert b'"n":9007199254740992' in payloads["node"] and payloads["node"] == payloads["python"]


def test_ruby_jwt_truncates_a_fractional_exp_and_nbf_where_jsonwebtoken_compares_them() -> None:
    for name in ("ruby", "node"):
        require(name)
    header = {"alg": "HS256", "typ": "JWT", "kid": "app_ruby_test"}
    base = {"scope": "user", "external_id": "u"}
    exp = {"token": _encode(header, {**base, "exp": NOW + 0.5}, SECRET), "now": NOW, "keys": KEYS}
    nbf = {"token": _encode(header, {**base, "nbf": NOW + 0.5}, SECRET), "now": NOW, "keys": KEYS}
    assert _ask("node", VERIFY, exp).status == "value" and _ask("python", VERIFY, exp).status == "value"
    assert _ask("ruby", VERIFY, exp).reason == "TokenExpired"
    assert _ask("node", VERIFY, nbf).reason == "TokenNotYetValid" == _ask("python", VERIFY, nbf).reason
    assert _ask("ruby", VERIFY, nbf).status == "value"


def test_ruby_jwt_reads_a_numeric_string_exp_and_checks_exp_before_nbf() -> None:
    for name in ("ruby", "node"):
        require(name)
    header = {"alg": "HS256", "typ": "JWT", "kid": "app_ruby_test"}
    base = {"scope": "user", "external_id": "u"}
    text = {"token": _encode(header, {**base, "exp": str(NOW + 60)}, SECRET), "now": NOW, "keys": KEYS}
    assert _ask("node", VERIFY, text).reason == "InvalidClaims" == _ask("python", VERIFY, text).reason
    assert _ask("ruby", VERIFY, text).status == "value"
    both = {"token": _encode(header, {**base, "nbf": NOW + 10, "exp": NOW - 10}, SECRET), "now": NOW, "keys": KEYS}
    assert _ask("node", VERIFY, both).reason == "TokenNotYetValid" == _ask("python", VERIFY, both).reason
    assert _ask("ruby", VERIFY, both).reason == "TokenExpired"


def test_ruby_signs_salesforce_rs256_and_rs512_as_node_and_the_port_do() -> None:
    from conformance.testkeys import rsa_test_keys

    for name in ("ruby", "node"):
        require(name)
    keys = rsa_test_keys()
    claims = {"sub": "user1", "iss": "testIssuer", "exp": NOW + 6000}
    for alg in ("RS256", "RS512"):
        args = {"claims": claims, "privateKeyPem": keys["brand-a"], "alg": alg, "keyId": "12345", "now": NOW}
        answers = [_ask(name, "salesforce.enhanced_chat.sign", args) for name in ("python", "node", "ruby")]
        assert answers[0].status == "value" and answers[0] == answers[1] == answers[2], [a.describe() for a in answers]


def test_ruby_jwt_signs_with_a_1024_bit_rsa_key_that_jsonwebtoken_refuses() -> None:
    from conformance.references.ruby import short_key
    from conformance.testkeys import rsa_test_keys

    for name in ("ruby", "node"):
        require(name)
    args = {
        "claims": {"sub": "user1", "iss": "testIssuer", "exp": NOW + 60},
        "privateKeyPem": rsa_test_keys()["short-1024"],
        "alg": "RS256",
        "keyId": "12345",
        "now": NOW,
    }
    python, node, ruby = (_ask(name, "salesforce.enhanced_chat.sign", args) for name in ("python", "node", "ruby"))
    assert python.reason == node.reason == "InvalidKeyMaterial"
    assert ruby.status == "value" and short_key(args, ruby, python) and not short_key(args, python, python)


@pytest.mark.parametrize(
    ("flow", "flags"),
    [
        ("zendesk_messaging_jwt", {"RubyLenientBase64"}),
        ("salesforce_enhanced_chat", {"RubyLenientBase64", "RubyShortKey", "RubyEmptyPem"}),
    ],
)
def test_a_campaign_against_ruby_counts_its_documented_differences_apart(flow: str, flags: set[str]) -> None:
    """The kinds' allowances (conformance/kinds/jwt_allowances.py): what DEVIATIONS.md documents of ruby-jwt is
    counted by flag, and nothing else differs (2,000 cases; the 100,000-case figures are in the README)."""
    require("ruby")
    from conformance.fuzz import engine
    from conformance.fuzz.plan import Plan, check, select_ops
    from conformance.spec import ImplementationSpec

    plan, _ = check(
        Plan(
            flow,
            select_ops(flow),
            ImplementationSpec.builtin("python"),
            ImplementationSpec.builtin("ruby"),
            2000,
            seed=16,
            keep=10,
            minimize=0,
        )
    )
    result = engine.run(plan)
    assert result.divergence_count == 0, result.divergences[:1]
    assert set(result.deviations) == flags, result.deviations
