"""The Talkative, Thread and BoldChat audit proofs: each runs against the live references and gets the status that
the references themselves give when the test replays the proof's artifacts. Nothing here is typed by hand: the
expected status is derived from asking jose, PHP, openssl, GnuPG, BouncyCastle and the validator model again."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest

from conformance.audit import boldchat_pgp as pgp_audit
from conformance.audit import boldchat_sha512 as bold
from conformance.audit import (
    boldchat_validator,  # noqa: F401  (registers BOLD-2)
    evidence,
)
from conformance.audit import talkative as talk
from conformance.audit import thread as thread_audit
from conformance.audit.model import PROOFS, SEVERITIES, Finding, run_proof
from conformance.outcome import Outcome
from conformance.references import openssl_dgst
from conformance.testkeys import pgp_test_keys
from conformance.vendors.boldchat_validator import run_scenario
from tests.conftest import answer, answers, require

EXPECTED = {
    "TALK-1": ("talkative_signed_data", ("node",)),
    "TALK-2": ("talkative_signed_data", ("node",)),
    "TALK-3": ("talkative_signed_data", ("node",)),
    "THREAD-1": ("thread_messenger", ("php",)),
    "THREAD-2": ("thread_messenger", ("php",)),
    "BOLD-1": ("boldchat_sha512", ("openssl",)),
    "BOLD-2": ("boldchat_validator", ()),
    "BOLD-3": ("boldchat_sha512", ("openssl",)),
    "PGP-1": ("boldchat_pgp", ("bc-current", "bc150", "gnupg")),
    "PGP-2": ("boldchat_pgp", ("bc-current", "bc150", "gnupg")),
}
_RUN: dict[str, Finding] = {}


def finding(finding_id: str) -> Finding:
    """The proof's finding, run once per test session (after its references were required)."""
    for name in EXPECTED[finding_id][1]:
        require(name)
    if finding_id not in _RUN:
        _RUN[finding_id] = run_proof(PROOFS[finding_id])
    return _RUN[finding_id]


def status_from(attack_worked: bool) -> str:
    return "proved" if attack_worked else "refuted"


def opened(name: str, message: str, recipient: str, signer: str = "brand") -> Outcome:
    keys = pgp_test_keys()
    args = {"message": message, "serverPrivateKey": keys[f"{recipient}.sec"], "signerPublicKey": keys[f"{signer}.pub"]}
    return answer(name, "boldchat.pgp.open", args)


def test_every_proof_is_registered_with_its_flow_and_references() -> None:
    for finding_id, (flow, references) in EXPECTED.items():
        assert PROOFS[finding_id].flow == flow
        assert PROOFS[finding_id].references == references
        assert PROOFS[finding_id].details["title"] and PROOFS[finding_id].details["mitigation"]


@pytest.mark.parametrize("finding_id", sorted(EXPECTED))
def test_the_finding_is_complete(finding_id: str) -> None:
    result = finding(finding_id)
    assert result.id == finding_id and result.flow == EXPECTED[finding_id][0]
    assert result.status in ("proved", "refuted"), result.why
    assert result.severity in SEVERITIES and result.severity_reasoning
    assert re.fullmatch(r"CWE-\d+", result.cwe)
    assert result.attacker_model and result.preconditions and result.ran and result.mitigation and result.why
    for name in EXPECTED[finding_id][1]:
        assert result.references[name], f"no versions for {name}"
    assert isinstance(result.figures["queries"], int) and result.figures["queries"] > 0
    assert any(key.endswith("seconds") for key in result.figures)
    assert result.artifacts
    assert result.seconds < 30


def test_talk_1_the_same_token_verifies_again_in_jose() -> None:
    result = finding("TALK-1")
    tokens = [result.artifacts["token"]] * 3 + [result.artifacts["expired_entry_token"]]
    outcomes = talk.jose_verify_many(tokens)
    assert result.status == status_from(all(map(evidence.accepted, outcomes)))
    assert result.figures["accepted"] == result.figures["replays"]


def test_talk_2_the_twin_is_distinct_and_jose_decides() -> None:
    result = finding("TALK-2")
    token, other = result.artifacts["token"], result.artifacts["twin"]
    r, s = talk.signature_values(token)
    assert other != token and talk.twin(other) == token
    assert talk.signature_values(other) == (r, talk.P256_ORDER - s)
    twin_in_jose, original_in_jose = talk.jose_verify_many([other, token])
    assert result.status == status_from(
        evidence.accepted(twin_in_jose) and twin_in_jose.value == original_in_jose.value
    )
    assert result.figures["twin_accepted_by_port"] == evidence.accepted(talk.port_verify(other))


def test_talk_3_jose_and_the_port_decide_each_confusion_token() -> None:
    result = finding("TALK-3")
    names = ("alg-none", "hs256-with-public-pem", "der-signature")
    tokens = [result.artifacts[name] for name in names]
    jose = talk.jose_verify_many(tokens)
    port = [talk.port_verify(token) for token in tokens]
    assert result.status == status_from(any(map(evidence.accepted, jose + port)))
    assert result.figures["answers"] == {
        name: {"jose": evidence.answer(j), "python": evidence.answer(p)}
        for name, j, p in zip(names, jose, port, strict=True)
    }
    assert result.severity == "critical"  # the weakness's severity, whatever the status


def test_thread_1_php_still_verifies_the_frozen_key() -> None:
    result = finding("THREAD-1")
    a = result.artifacts
    outcome = answer(
        "php",
        "thread.verify_connection_key",
        {"email": a["email"], "secret": a["test_secret"], "key": a["connection_key"]},
    )
    assert result.status == status_from(outcome.value is True)
    assert result.figures["php_hash_hmac_per_s"] > 0 and result.figures["python_hmac_sha256_per_s"] > 0


def test_thread_2_equivalences_hold_in_php_and_in_hmac_itself() -> None:
    result = finding("THREAD-2")
    a = result.artifacts
    secret, long_secret = bytes.fromhex(a["test_secret_hex"]), bytes.fromhex(a["long_secret_hex"])
    email = a["email"].encode()
    python_key = hmac.new(secret, email, hashlib.sha256).hexdigest()
    php = thread_audit.php_keys([(email, secret + b"\x00"), (email, hashlib.sha256(long_secret).digest())])
    holds = set(a["zero_padded_keys"].values()) == {python_key} and php[0] == python_key
    holds = holds and php[1] == a["long_secret_key"] == hmac.new(long_secret, email, hashlib.sha256).hexdigest()
    holds = holds and len(set(a["variant_keys"].values())) == len(a["variant_keys"])
    assert result.status == status_from(holds)


def test_bold_1_each_encoding_gets_what_the_model_answers_and_openssl_confirms_the_digest() -> None:
    result = finding("BOLD-1")
    key = bold.TEST_HASHING_KEY
    any_accepted = False
    for name, (original, appended, at_ms) in bold.SCENARIOS.items():
        right = bold.forge(bold.secure_parameters_sha512(original, key), appended, len(key.encode()))
        record = result.artifacts[name]
        assert record["forged_digest"] == right.digest_hex
        assert openssl_dgst.sha512_hex(key.encode() + right.data_bytes).upper() == right.digest_hex
        for encoding in bold.ENCODINGS:
            seen = result.figures["outcomes"][f"{name}/{encoding}"]
            forged = record[f"forged_{encoding}"]
            assert forged == right.secure_parameters(encoding)
            if forged is None:  # no text carries the glue: the nearest texts are what could be sent
                assert seen["at_right_key_length"] == "inexpressible"
                for label, text in bold.nearest_utf8_texts(right).items():
                    again = bold.model_launch(right.digest_hex + text, key, encoding=encoding, at_ms=at_ms)
                    assert seen["nearest_texts"][label] == again.reason
                    any_accepted |= again.accepted
                continue
            again = bold.model_launch(forged, key, encoding=encoding, at_ms=at_ms)
            assert seen["at_right_key_length"] == again.reason
            assert seen["accepted"] == again.accepted
            any_accepted |= again.accepted
    assert result.status == status_from(any_accepted)


def test_bold_2_the_model_replays_the_bare_string() -> None:
    result = finding("BOLD-2")
    outcomes = run_scenario(result.artifacts["scenario"])
    answers_now = ["accepted" if "ok" in o else o["error"]["reason"] for o in outcomes]
    assert result.figures["answers"] == answers_now
    assert result.status == status_from(answers_now[:3] == ["accepted"] * 3)


def test_bold_3_each_construction_is_recognised() -> None:
    result = finding("BOLD-3")
    key = bold.TEST_HASHING_KEY.encode()
    prefix, mac = result.artifacts["sha512_prefix"], result.artifacts["hmac_sha512"]
    data = prefix[128:].encode()
    assert prefix[:128] == hashlib.sha512(key + data).hexdigest().upper()
    assert mac[:128] == hmac.new(key, data, hashlib.sha512).hexdigest().upper()
    identified = {
        "sha512-prefix": bold.identify_construction(prefix, bold.TEST_HASHING_KEY),
        "hmac-sha512": bold.identify_construction(mac, bold.TEST_HASHING_KEY),
    }
    assert bold.identify_construction(prefix, "another key") is None
    assert result.status == status_from(identified == {k: k for k in identified})


def test_pgp_1_the_forwarded_message_opens_where_the_consumers_say() -> None:
    result = finding("PGP-1")
    consumers = pgp_audit.CONSUMERS
    now = {name: opened(name, result.artifacts["forwarded"], "other") for name in consumers}
    by_brand = [n for n, o in now.items() if evidence.accepted(o) and o.value == pgp_audit.PARAMS]
    assert by_brand == result.figures["forwarded_accepted_by"]
    assert opened("gnupg", result.artifacts["forwarded"], "server").reason == "PgpWrongRecipient"
    assert result.status == status_from(bool(by_brand) and bool(result.figures["frozen_accepted_by"]))


def test_pgp_2_each_consumer_answers_the_lenient_cases_again() -> None:
    result = finding("PGP-2")
    for case, artifact in (("sha1-signature", "sha1_signed"), ("bad-armor-checksum", "bad_armor_checksum")):
        now = {
            name: evidence.answer(opened(name, result.artifacts[artifact], "server")) for name in pgp_audit.CONSUMERS
        }
        recorded = {k: v for k, v in result.figures["answers"][case].items() if k != "python-strict"}
        assert now == recorded
    lenient_references = [
        n for names in result.figures["accepted_by"].values() for n in names if n in pgp_audit.REFERENCES
    ]
    assert result.status == status_from(bool(lenient_references))


def test_a_failed_attack_is_reported_as_refuted(monkeypatch: pytest.MonkeyPatch) -> None:
    require("node")
    require("openssl")
    refused = lambda tokens, key=talk.TEST_PUBLIC_KEY_PEM: [Outcome.of_error("BadSignature")] * len(tokens)  # noqa: E731
    monkeypatch.setattr(talk, "jose_verify_many", refused)
    assert run_proof(PROOFS["TALK-1"]).status == "refuted"
    assert run_proof(PROOFS["TALK-2"]).status == "refuted"
    monkeypatch.setattr(bold, "ENCODINGS", ("utf-8",))  # a UTF-8 server only: the glue cannot be sent
    assert run_proof(PROOFS["BOLD-1"]).status == "refuted"


@pytest.mark.parametrize("finding_id", ["TALK-1", "THREAD-1", "BOLD-1", "PGP-2"])
def test_a_missing_reference_is_not_reproduced(monkeypatch: pytest.MonkeyPatch, finding_id: str) -> None:
    monkeypatch.setattr(evidence, "missing", lambda names: "the reference 'x' is unavailable: not installed here")
    result = run_proof(PROOFS[finding_id])
    assert result.status == "not_reproduced" and "not installed here" in result.why


def test_the_proofs_stay_within_the_time_budget() -> None:
    for finding_id in EXPECTED:
        finding(finding_id)
    assert sum(f.seconds for f in _RUN.values()) < 30


def test_answers_helper_batches_one_round_trip() -> None:
    require("node")
    tokens = [talk.unsecured_token(talk.FIELDS)] * 2
    batch = answers(
        "node", [("talkative.verify", {"token": t, "publicKeyPem": talk.TEST_PUBLIC_KEY_PEM}) for t in tokens]
    )
    assert [o.reason for o in batch] == [o.reason for o in talk.jose_verify_many(tokens)]


@pytest.mark.parametrize(
    "call",
    [
        lambda: talk.twin("x.y"),
        lambda: talk.twin(None),  # type: ignore[arg-type]
        lambda: talk.trailing_bit_variants("a.b.c"),
        lambda: talk.decoded_header("a.b.c"),
        lambda: thread_audit.email_variants(3),  # type: ignore[arg-type]
        lambda: thread_audit.key_equivalents(b""),
        lambda: bold.forge("x" * 10, "&a=1", 3),
        lambda: bold.forge("0" * 128, None, 3),  # type: ignore[arg-type]
        lambda: bold.model_launch(None, "k", encoding="utf-8", at_ms=0),  # type: ignore[arg-type]
        lambda: bold.model_launch("x", "k", encoding="ebcdic", at_ms=0),  # type: ignore[arg-type]
        lambda: bold.hmac_secure_parameters("\udc80", "k"),
        lambda: bold.identify_construction("zz", "k"),
        lambda: pgp_audit.break_armor_checksum("no checksum here"),
        lambda: pgp_audit.unwrap(None),  # type: ignore[arg-type]
        lambda: pgp_audit.gpg_home("not-a-test-key.sec").__enter__(),
    ],
)
def test_bad_arguments_raise_typed_errors(call) -> None:
    from conformance.errors import ConformanceError

    with pytest.raises(ConformanceError) as raised:
        call()
    assert "TEST audit" not in str(raised.value)  # messages never hold keys or secrets
