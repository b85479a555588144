"""``conformance inspect`` for the two SDK flows (``stream.token.verify``, ``twilio.access_token.verify``): each known
mistake, made the way an integrator makes it with the vendors' own SDKs (``stream-node``, ``stream-python``,
``stream-java``, ``twilio-node``, ``twilio-python``) or, where no SDK can make it (a numeric user id, a hand-rolled
header), with PyJWT, is named first; correct tokens conform; an unknown secret is unexplained; the forms detect the
flow from the token; the CLI exits 0, 1 or 3 with one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt
import pytest

from conformance import registry
from conformance.cli import main
from conformance.inspect import inspect, inspect_args, registration
from conformance.inspect.engine import UNEXPLAINED
from conformance.inspect.forms import detect, sdk_token_op
from tests.conftest import require

MARK = "PLANTED-s3cret"
NOW = 1_764_633_600
STREAM_SECRET = f"{MARK} stream API secret, 40 bytes"
TWILIO_SECRET = f"{MARK} twilio API key secret 01"
ACCOUNT, KEY = "AC" + "0123456789abcdef" * 2, "SK" + "fedcba9876543210" * 2
STREAM, TWILIO = "stream.token.verify", "twilio.access_token.verify"
TWILIO_BASE: dict[str, Any] = {"accountSid": ACCOUNT, "keySid": KEY, "secret": TWILIO_SECRET, "identity": "alice",
                               "ttl": None, "nbf": None, "region": None,
                               "grants": [{"type": "chat", "serviceSid": "IS" + "0" * 32}], "now": NOW}  # fmt: skip


def _made(reference: str, op: str, args: dict[str, Any]) -> Any:
    require(reference)
    outcome = registry.shared(reference).call_many([(op, args)])[0]
    assert outcome.status == "value", (reference, op, outcome.describe())
    return outcome.value


def _stream(reference: str, secret: str = STREAM_SECRET, user_id: str = "alice", **claims: Any) -> str:
    sdk = reference.removeprefix("stream-")
    args = {"secret": secret, "userId": user_id, "exp": NOW + 3600, "iat": NOW, **claims}
    return str(_made(reference, f"stream.token.create_{sdk}", args))


def _twilio(reference: str, **changes: Any) -> str:
    sdk = reference.removeprefix("twilio-")
    return str(_made(reference, f"twilio.access_token.create_{sdk}", {**TWILIO_BASE, **changes}))


def _stream_call(token: str, **changes: Any) -> dict[str, Any]:
    return {"token": token, "secret": STREAM_SECRET, "now": NOW, "userId": "alice", **changes}


def _twilio_call(token: str, **changes: Any) -> dict[str, Any]:
    return {"token": token, "secret": TWILIO_SECRET, "now": NOW + 1, "keySid": KEY, "accountSid": ACCOUNT, **changes}


def _pyjwt(claims: dict[str, Any], secret: str, **headers: Any) -> str:
    return jwt.encode(claims, secret, algorithm="HS256", headers=headers or None)


def stream_cases() -> list[tuple[str, dict[str, Any], Any]]:
    """(name, args, expected): expected is "conforms", None (unexplained) or the flag named first."""
    good = _stream("stream-node")
    dev = str(_made("stream-node", "stream.token.dev_node", {"userId": "alice"}))
    unsigned = jwt.encode({"user_id": "alice"}, None, algorithm="none")
    return [
        ("node token", _stream_call(good), "conforms"),
        ("python token", _stream_call(_stream("stream-python")), "conforms"),
        ("java token", _stream_call(_stream("stream-java")), "conforms"),
        ("dev token, auth checks off", _stream_call(dev, authChecks=False), "conforms"),
        ("dev token, auth checks on", _stream_call(dev, authChecks=True), "DevTokenAuthOn"),
        ("signed with the secret's newline", _stream_call(_stream("stream-python", STREAM_SECRET + "\n")),
         "SecretTrailingNewline"),
        ("verified with the secret's newline", _stream_call(good, secret=STREAM_SECRET + "\n"),
         "SecretTrailingNewline"),
        ("expired", _stream_call(_stream("stream-java", exp=NOW - 60, iat=NOW - 3600)), "Expired"),
        ("user id of another case", _stream_call(_stream("stream-node", user_id="Alice")), "UserIdCase"),
        ("user id a number", _stream_call(_pyjwt({"user_id": 42}, STREAM_SECRET), userId="42"), "UserIdType"),
        ("another user's token", _stream_call(_stream("stream-python", user_id="bob")), "WrongUser"),
        ("alg none", _stream_call(unsigned), "AlgNone"),
        ("pasted with a Bearer prefix and a line break", _stream_call(f"Bearer {good[:20]}\n{good[20:]}"),
         "Malformed"),
        ("signed with an unknown secret", _stream_call(_stream("stream-node", "another secret " * 3)), None),
    ]  # fmt: skip


def twilio_cases() -> list[tuple[str, dict[str, Any], Any]]:
    good = _twilio("twilio-node")
    claims = jwt.decode(good, options={"verify_signature": False})
    return [
        ("node token", _twilio_call(good), "conforms"),
        ("python token", _twilio_call(_twilio("twilio-python")), "conforms"),
        ("signed with the secret's newline", _twilio_call(_twilio("twilio-python", secret=TWILIO_SECRET + "\n")),
         "SecretTrailingNewline"),
        ("SIDs swapped", _twilio_call(_twilio("twilio-node", accountSid=KEY, keySid=ACCOUNT)), "SwappedSids"),
        ("another API key", _twilio_call(good, keySid="SK" + "1" * 32), "WrongKeySid"),
        ("another account", _twilio_call(good, accountSid="AC" + "1" * 32), "WrongAccount"),
        ("no cty (hand-rolled)", _twilio_call(_pyjwt(claims, TWILIO_SECRET)), "WrongCty"),
        ("a TTL of two days", _twilio_call(_twilio("twilio-python", ttl=2 * 86_400)), "TtlOverMax"),
        ("expired", _twilio_call(good, now=NOW + 7200), "Expired"),
        ("nbf in 10 minutes", _twilio_call(_twilio("twilio-node", nbf=NOW + 600)), "NotYetValid"),
        ("alg none", _twilio_call(jwt.encode(claims, None, algorithm="none", headers={"cty": "twilio-fpa;v=1"})),
         "AlgNone"),
        ("signed with an unknown secret", _twilio_call(_twilio("twilio-node", secret="another secret " * 3)), None),
    ]  # fmt: skip


CASES = {STREAM: stream_cases, TWILIO: twilio_cases}
FLOWS = {STREAM: "stream_chat_token", TWILIO: "twilio_access_token"}


@pytest.fixture(scope="module", params=list(CASES))
def inspected(request: pytest.FixtureRequest) -> tuple[str, list[tuple[str, Any, Any]]]:
    op = request.param
    return op, [(name, expected, inspect_args(op, args)) for name, args, expected in CASES[op]()]


def test_each_mistake_is_named_first(inspected: tuple[str, list[tuple[str, Any, Any]]]) -> None:
    op, found = inspected
    flags = {expected for _, expected, _ in found if expected not in ("conforms", None)}
    assert len(flags) >= 6, op
    notes = registration.notes(FLOWS[op])
    for name, expected, inspection in found:
        if expected in ("conforms", None):
            continue
        assert not inspection.conforms, name
        assert inspection.diagnoses, f"{name}: nothing confirmed (tried {inspection.tried})"
        first = inspection.diagnoses[0]
        assert first.flag == expected, (name, [d.flag for d in inspection.diagnoses])
        assert first.confirmed_by == ("node", "pyjwt"), name  # both references of the documented verifier
        assert first.note == notes[expected]["description"] and first.bug_type == notes[expected]["bugType"]
        assert first.fix and first.evidence.endswith("accepted by node, pyjwt")


def test_correct_tokens_conform_and_unknown_secrets_are_unexplained(
    inspected: tuple[str, list[tuple[str, Any, Any]]],
) -> None:
    _op, found = inspected
    for name, expected, inspection in found:
        if expected == "conforms":
            assert inspection.conforms and inspection.diagnoses == (), (name, inspection.summary)
        if expected is None:
            assert not inspection.conforms and inspection.diagnoses == (), name
            assert inspection.to_json()["explanation"] == UNEXPLAINED and UNEXPLAINED in inspection.text()


def test_no_secret_in_any_output_and_layers_are_decoded(inspected: tuple[str, list[tuple[str, Any, Any]]]) -> None:
    op, found = inspected
    for name, _, inspection in found:
        for shown in (inspection.text(), json.dumps(inspection.to_json()), inspection._repr_html_()):
            assert MARK not in shown, f"{name}: the secret is in the output"
    correct = next(i for _, expected, i in found if expected == "conforms")
    assert {"header", "payload", "signature"} <= {s.role for layer in correct.layers for s in layer.segments}
    secret = STREAM_SECRET if op == STREAM else TWILIO_SECRET
    assert [layer.secret["bytes"] for layer in correct.layers if layer.secret is not None] == [len(secret)]
    assert [a.reference for a in correct.references] == ["node", "pyjwt"]
    assert "jsonwebtoken" in correct.references[0].versions and "PyJWT" in correct.references[1].versions


def test_quirks_of_accepted_tokens() -> None:
    dev = str(_made("stream-node", "stream.token.dev_node", {"userId": "alice"}))
    millis = _pyjwt({"user_id": "alice", "exp": (NOW + 3600) * 1000}, STREAM_SECRET)
    forever = _stream("stream-node", exp=None, iat=None)
    no_identity = _twilio("twilio-python", identity=None)
    seen = {
        "dev": inspect_args(STREAM, _stream_call(dev, authChecks=False)),
        "millis": inspect_args(STREAM, _stream_call(millis)),
        "forever": inspect_args(STREAM, _stream_call(forever)),
        "no identity": inspect_args(TWILIO, _twilio_call(no_identity)),
    }
    assert all(i.conforms for i in seen.values())
    assert {name: [q.flag for q in i.quirks] for name, i in seen.items()} == {
        "dev": ["DevToken"],
        "millis": ["ExpMilliseconds"],
        "forever": ["NoExpiry"],
        "no identity": ["NoIdentity"],
    }


def test_the_flow_of_a_token_is_detected() -> None:
    stream, twilio = _stream("stream-java"), _twilio("twilio-node")
    dev = str(_made("stream-node", "stream.token.dev_node", {"userId": ">>>"}))  # '+' in its payload
    assert (sdk_token_op(stream), sdk_token_op(dev), sdk_token_op(twilio)) == (STREAM, STREAM, TWILIO)
    assert detect(dev) == "token"
    widget = _pyjwt({"sub": "u"}, "s" * 32, kid="k")
    assert sdk_token_op(widget) is None
    found = inspect(token=twilio, secret=TWILIO_SECRET, key_id=KEY, now=NOW + 1)
    assert (found.op, found.conforms) == (TWILIO, True)
    found = inspect(artifact=dev, now=NOW)  # a development token needs no secret; auth checks are on by default
    assert (found.op, found.diagnoses[0].flag) == (STREAM, "DevTokenAuthOn")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _stream("stream-node")
    code, out, err = _run(["inspect", "--token", good, "--secret", STREAM_SECRET, "--user-id", "alice",
                           "--now", str(NOW)], capsys)  # fmt: skip
    assert code == 0 and out.startswith("CONFORMS") and not err
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(TWILIO_SECRET + "\n", encoding="utf-8")  # as an editor saves it
    report = tmp_path / "inspect.json"
    code, out, err = _run(["inspect", _twilio("twilio-node"), "--secret", f"@{secret_file}", "--key-id", KEY,
                           "--now", str(NOW + 1), "--json", str(report)], capsys)  # fmt: skip
    assert code == 1 and "most likely SecretTrailingNewline" in out and not err
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["op"] == TWILIO and document["diagnoses"][0]["flag"] == "SecretTrailingNewline"
    assert document["references"]["node"]["accepted"] is False and document["references"]["pyjwt"]["accepted"] is False
    for shown in (out, report.read_text(encoding="utf-8")):
        assert MARK not in shown
    swapped = _twilio_call(_twilio("twilio-python", accountSid=KEY, keySid=ACCOUNT))
    code, out, _ = _run(["inspect", "--op", TWILIO, "--args", json.dumps(swapped)], capsys)
    assert code == 1 and "most likely SwappedSids" in out and MARK not in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["inspect", "--token", "eyJ1c2VyX2lkIjoiYSJ9.eyJ1c2VyX2lkIjoiYSJ9.c2ln"], "--secret"),
        (["inspect", "--token", "eyJjdHkiOiJ0d2lsaW8tZnBhO3Y9MSJ9.e30.c2ln"], "a Twilio Access Token: give --secret"),
        (["inspect", "--op", STREAM, "--args", json.dumps({"token": "a.b.c", "secret": MARK})], "now"),
        (["inspect", "--op", TWILIO, "--args", json.dumps({"token": 1, "secret": MARK, "now": 0})], "token"),
    ],
)
def test_cli_bad_input_is_one_line_exit_3(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(argv, capsys)
    assert code == 3, (out, err)
    assert err.count("\n") == 1 and said in err, err
    assert MARK not in err and "Traceback" not in err


def test_the_cli_checks_a_twilio_tokens_sids(capsys: pytest.CaptureFixture[str]) -> None:
    token = _twilio("twilio-node")
    base = ["inspect", token, "--secret", TWILIO_SECRET, "--now", str(NOW + 1)]
    code, out, err = _run([*base, "--key-id", KEY, "--account-sid", ACCOUNT], capsys)
    assert code == 0 and out.startswith("CONFORMS") and not err
    code, out, err = _run([*base, "--key-id", KEY, "--account-sid", "AC" + "9" * 32], capsys)
    assert code == 1 and "most likely WrongAccount" in out and not err
    code, out, err = _run([*base, "--account-sid", KEY, "--key-id", ACCOUNT], capsys)  # given the other way round
    assert code == 1 and "most likely SwappedSids" in out and not err
