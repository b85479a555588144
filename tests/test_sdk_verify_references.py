"""The SDK token flows' documented verifiers, live: jsonwebtoken (``node``) and PyJWT (``pyjwt``) against the port.

``stream.token.verify`` and ``twilio.access_token.verify`` are answered by both references through the contract;
the vectors hold their agreed answers, or jsonwebtoken's where PyJWT reads a token otherwise as DEVIATIONS.md
documents (``acceptable``). Differential: the port and each reference on every verify vector, and on
generated cases (SDK tokens in each SDK's layout, development tokens, tokens re-signed with changed claims or under
another secret, clocks around ``exp`` and ``nbf``), the same answer each time; a verifier that ignores ``exp`` is
caught by the vectors.
"""

from __future__ import annotations

import json
import random
from typing import Any

import jwt
import pytest

from conformance import allowances, catalog, judge, registry
from conformance import mutations as m
from conformance.contract import from_python_object
from conformance.outcome import Outcome
from conformance.paths import vectors_dir
from conformance.vectors import VectorCase, iter_cases
from conformance.vendors import stream_chat, twilio_access_token
from tests.conftest import require

REFERENCES = ("node", "pyjwt")
FLOWS = {"stream_chat_token": "stream.token.verify", "twilio_access_token": "twilio.access_token.verify"}
NOW = 1_764_633_600
GENERATED = 400
PYJWT_FLAGS = ("PyJWTPaddedSegments", "PyJWTStrictBase64", "PyJWTEmptySecret")


def _vectors(flow: str) -> list[VectorCase]:
    return [case for case in iter_cases(vectors_dir() / f"{flow}.json") if case.op == FLOWS[flow]]


@pytest.mark.parametrize("flow", FLOWS)
def test_both_references_are_behind_the_contract(flow: str) -> None:
    entry = catalog.flow(flow)
    for name in REFERENCES:
        require(name)
        assert name in entry.references
        assert FLOWS[flow] in registry.shared(name).ops()
    (group,) = [
        g for g in json.loads((vectors_dir() / f"{flow}.json").read_text())["testGroups"] if g["op"] == FLOWS[flow]
    ]
    live = {**registry.shared("node").versions(), **registry.shared("pyjwt").versions()}
    assert group["source"]["implementation"] == "node"
    assert {k: group["source"][k] for k in ("jsonwebtoken", "PyJWT", "node")} == {
        k: live[k] for k in ("jsonwebtoken", "PyJWT", "node")
    }


@pytest.mark.parametrize("name", ("python", *REFERENCES))
@pytest.mark.parametrize("flow", FLOWS)
def test_every_verify_vector_passes(flow: str, name: str) -> None:
    if name != "python":
        require(name)
    cases = _vectors(flow)
    outcomes = registry.shared(name).call_many([(case.op, case.input) for case in cases])
    verdicts = {c.case_id: judge.judge(c, o).verdict for c, o in zip(cases, outcomes, strict=True)}
    # PyJWT reads three documented tokens otherwise (DEVIATIONS.md): those vectors are acceptable, and only those
    documented = {c.case_id for c in cases if name == "pyjwt" and set(c.flags) & set(PYJWT_FLAGS)}
    assert len(cases) > 40 and len(documented) == (3 if name == "pyjwt" else 0)
    failing = [
        (case_id, v) for case_id, v in verdicts.items() if v != ("deviation" if case_id in documented else "pass")
    ]
    assert not failing, failing[:5]


def test_each_documented_pyjwt_difference_is_recognized_and_nothing_else() -> None:
    cases = [c for flow in FLOWS for c in _vectors(flow) if set(c.flags) & set(PYJWT_FLAGS)]
    for case in cases:
        node, pyjwt = (registry.shared(name).call_many([(case.op, case.input)])[0] for name in REFERENCES)
        (flag,) = set(case.flags) & set(PYJWT_FLAGS)
        assert not judge.same(node, pyjwt), case.case_id
        assert allowances.documented(case.op, case.input, pyjwt, node) == flag, case.case_id
        # a port that accepts what jsonwebtoken refuses, or refuses what it accepts, is a divergence
        other = Outcome.of_value({"user_id": "mallory"}) if node.status == "error" else Outcome.of_error("BadSignature")
        assert allowances.documented(case.op, case.input, node, other) is None, case.case_id
    assert len(cases) == 6


def test_a_verifier_that_ignores_exp_is_caught_by_the_vectors() -> None:
    def lax(args: dict[str, Any]) -> Any:
        checks = args.get("authChecks", True)
        return stream_chat.verify_token(
            args["token"], args["secret"], now=0, user_id=args.get("userId"), auth_checks=checks
        )

    cases = _vectors("stream_chat_token")
    outcomes = from_python_object({"stream.token.verify": lax}).call_many([(c.op, c.input) for c in cases])
    verdicts = [judge.judge(c, o).verdict for c, o in zip(cases, outcomes, strict=True) if "Expired" in c.flags]
    assert verdicts.count("unsafe") >= 3, verdicts


def _resigned(token: str, secret: str, **claims: Any) -> str:
    """The token's claims changed and signed again by PyJWT (the token itself when PyJWT cannot read it: the node
    SDK writes its header in latin-1, so a non-ASCII region makes it unreadable for every verifier)."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        return token
    payload = {**jwt.decode(token, options={"verify_signature": False}), **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, headers=header)


def _stream_case(rnd: random.Random) -> dict[str, Any]:
    secret = m.ascii_text(rnd, 32, 48)
    user_id = json.loads(json.dumps(m.tricky_text(rnd, 24) if rnd.random() < 0.5 else m.ascii_text(rnd, 0, 24)))
    exp = m.one_of(rnd, (None, NOW + m.between(rnd, -7200, 7200), 0, 2**53 - 1))
    iat = NOW - m.between(rnd, 0, 3600)
    if rnd.random() < 0.15:
        token = stream_chat.dev_token(user_id)
    else:
        token = stream_chat.create_token(secret, user_id, exp=exp, iat=iat, sdk=m.one_of(rnd, stream_chat.SDKS))
        variant = m.below(rnd, 6)
        if variant == 1:
            token = _resigned(token, secret, user_id=m.one_of(rnd, ("admin", 7, None)))
        elif variant == 2:
            token = _resigned(token, secret + "x", user_id="admin")
        elif variant == 3:
            token = _resigned(token, secret, exp=m.one_of(rnd, (str(NOW), NOW + 0.5, None, True)))
    return {
        "token": token,
        "secret": secret if rnd.random() < 0.9 else m.ascii_text(rnd, 32, 48),
        "now": NOW + m.between(rnd, -7200, 7200),
        "userId": m.one_of(rnd, (user_id, user_id, None, "mallory")),
        "authChecks": rnd.random() < 0.6,
    }


def _twilio_case(rnd: random.Random) -> dict[str, Any]:
    secret = m.ascii_text(rnd, 32, 48)
    sdk = m.one_of(rnd, twilio_access_token.SDKS)
    call = {
        "accountSid": "AC" + "0123456789abcdef" * 2,
        "keySid": "SK" + "fedcba9876543210" * 2,
        "secret": secret,
        "identity": json.loads(json.dumps(m.tricky_text(rnd, 16))) or "alice",
        "ttl": m.one_of(rnd, (None, 60, 0, 86_400, 86_401, -60)),
        "nbf": m.one_of(rnd, (None, NOW - 60, NOW + 600)),
        "region": m.one_of(rnd, (None, "ie1", "\u00e9u1")),
        "grants": m.one_of(rnd, ([], [{"type": "chat", "serviceSid": "IS1"}], [{"type": "video", "room": "r"}])),
    }
    clock = {"now_ms": NOW * 1000 + m.below(rnd, 1000)} if sdk == "java" else {"now": NOW}
    token = twilio_access_token.create_token(call, sdk=sdk, **clock)
    variant = m.below(rnd, 6)
    if variant == 1:
        token = _resigned(token, secret, grants=m.one_of(rnd, ({"identity": "admin"}, ["chat"], None)))
    elif variant == 2:
        token = _resigned(token, secret + "x")
    elif variant == 3:
        token = _resigned(token, secret, exp=m.one_of(rnd, (str(NOW + 60), None, NOW + 90_000)))
    return {
        "token": token,
        "secret": secret,
        "now": NOW + m.between(rnd, -120, 90_000),
        "keySid": m.one_of(rnd, (call["keySid"], None, "SK1")),
        "accountSid": m.one_of(rnd, (call["accountSid"], None, "AC1")),
    }


@pytest.mark.parametrize("flow", FLOWS)
def test_the_port_and_both_references_agree_on_generated_cases(flow: str) -> None:
    for name in REFERENCES:
        require(name)
    rnd = random.Random(17)
    make = _stream_case if flow == "stream_chat_token" else _twilio_case
    calls = [(FLOWS[flow], make(rnd)) for _ in range(GENERATED)]
    answers = {name: registry.shared(name).call_many(calls) for name in ("python", *REFERENCES)}
    kinds = {"value" if o.status == "value" else o.reason for o in answers["python"]}
    assert len(kinds) >= 4, kinds  # the cases reach several of the verifier's answers
    documented = 0
    for index, (op, args) in enumerate(calls):
        python, node, pyjwt = (answers[name][index] for name in ("python", *REFERENCES))
        assert judge.same(python, node), (python.describe(), node.describe())
        if not judge.same(python, pyjwt):
            assert allowances.documented(op, args, pyjwt, python) in PYJWT_FLAGS, (python.describe(), pyjwt.describe())
            documented += 1
    assert documented < len(calls) // 4, documented
