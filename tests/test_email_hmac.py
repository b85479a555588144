"""The email-HMAC family (``email_hmac``: Front, Help Scout, Crisp, tawk.to, Chatwoot): the vectors in Python and
every reference, a small campaign per reference, each vendor's field and rules, the vendor audit proofs, inspect's
friendly form, and what the example adapters earn. Op names are read from the catalog, never written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import catalog, registry
from conformance.audit.email_hmac import TEST_SECRET, page
from conformance.references import python_hmac
from tests import hmac_hex_checks as checks
from tests.conftest import require

FLOW = catalog.flow("email_hmac")
CASES = checks.cases(FLOW)
VENDOR_PROOFS = ("CRISP-1", "TAWKTO-1", "CHATWOOT-1", "CHATWOOT-2", "FRONT-1")


def _vendor(op_name: str) -> str:
    return op_name.split(".")[1]


def _verifier(vendor: str, unsigned: str = "refuse") -> str:
    return next(
        op.name for op in checks.verifiers(FLOW) if _vendor(op.name) == vendor and op.params["unsigned"] == unsigned
    )


@pytest.mark.parametrize("name", ["python", *FLOW.references])
def test_every_vector_passes(name: str) -> None:
    checks.every_vector_passes(FLOW, name)


@pytest.mark.parametrize("reference", FLOW.references)
def test_a_small_campaign_against_each_reference_finds_no_divergence(reference: str) -> None:
    checks.small_campaign_finds_no_divergence(FLOW, reference, per_op=100)


def test_vectors_cover_every_vendor_op_and_the_flags_integrators_trip_on() -> None:
    flags = {flag for case in CASES for flag in case.flags}
    assert {"CaseVariantEmail", "UnicodeNormalization", "SecretTrailingNewline", "SecretHexVsText"} <= flags
    assert {"SwappedKeyMessage", "UppercaseHex", "MissingHash", "DocumentExample"} <= flags
    assert {case.op for case in CASES} == set(FLOW.op_names)
    assert len({_vendor(op) for op in FLOW.op_names}) == 5


def test_one_hash_per_vendor_field_the_same_in_every_reference() -> None:
    """Each vendor MACs its documented field with the same primitive: the references and Python's hmac agree."""
    for name in FLOW.references:
        require(name)
    for trip in FLOW.round_trips:
        field = catalog.op(trip.producer_op).params["message"]
        args = {"secret": TEST_SECRET, field: "John@Doe.name"}
        answers = {
            name: registry.shared(name).call_many([(trip.producer_op, args)])[0].value for name in FLOW.references
        }
        assert set(answers.values()) == {checks.user_hash(TEST_SECRET, "John@Doe.name")}, (trip.variant, answers)
    assert {catalog.op(t.producer_op).params["message"] for t in FLOW.round_trips} == {"email", "userId", "identifier"}


def test_chatwoot_enforces_the_hash_only_with_hmac_mandatory() -> None:
    require("ruby")
    optional, mandatory = _verifier("chatwoot", "accept"), _verifier("chatwoot")
    identity = {"secret": TEST_SECRET, "identifier": "contact-42"}
    wrong = {**identity, "identifierHash": "0" * 64}
    answers = registry.shared("ruby").call_many(
        [(optional, identity), (optional, {**identity, "identifierHash": ""}), (optional, wrong), (mandatory, wrong)]
    )
    assert [a.value for a in answers] == [True, True, False, False]


@pytest.mark.parametrize("proof_id", [*VENDOR_PROOFS, "HMAC-1:email_hmac"])
def test_audit_proofs_are_proved_against_the_references(proof_id: str) -> None:
    checks.proved(proof_id)


def test_tawkto_1_the_page_holds_the_key_and_a_forged_hash_verifies() -> None:
    require("node")
    served = page(TEST_SECRET, "visitor-7")
    assert TEST_SECRET in served and "CryptoJS.HmacSHA256" in served
    why = checks.proved("TAWKTO-1")
    assert "true" in why


def test_front_1_the_published_python_line_raises_and_encoded_it_matches() -> None:
    with pytest.raises(TypeError):
        python_hmac.documented_snippet(TEST_SECRET, "jane@example.com")
    encoded = python_hmac.documented_snippet(TEST_SECRET.encode(), "jane@example.com")
    assert encoded == checks.user_hash(TEST_SECRET, "jane@example.com")


def test_an_adapter_that_accepts_every_hash_is_unsafe_on_every_vendor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert {"WrongSecret", "TruncatedHash", "EmptyHash"} <= checks.accept_every_hash_is_unsafe(tmp_path, FLOW)


def test_uppercase_hex_fails_on_every_vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The vendors compare the lowercase hex digest exactly: an upper-cased hash fails on each."""
    monkeypatch.delenv("CI", raising=False)
    verdicts = checks.uppercase_hex_verdicts(tmp_path, FLOW)
    assert set(verdicts) == {op.name for op in FLOW.ops if op.kind == "hmac_hex.sign"}
    assert all(found == {"fail"} for found in verdicts.values()), verdicts


@pytest.mark.parametrize(
    ("vendor", "flag", "identity", "made_over", "secret_made"),
    [
        ("front", "CaseVariantEmail", "Jane@Example.com", "jane@example.com", TEST_SECRET),
        ("helpscout", "SecretTrailingNewline", "jane@example.com", "jane@example.com", TEST_SECRET + "\n"),
        ("crisp", "Whitespace", " jane@example.com", "jane@example.com", TEST_SECRET),
        ("tawkto", "SwappedKeyMessage", "user-8412", TEST_SECRET, "user-8412"),
        ("chatwoot", "UnicodeNormalization", "jose\u0301@example.com", "jos\u00e9@example.com", TEST_SECRET),
    ],
)
def test_inspect_names_each_vendors_mistake(
    capsys: pytest.CaptureFixture[str], vendor: str, flag: str, identity: str, made_over: str, secret_made: str
) -> None:
    """A hash made with the mistake, given as --key with the identity sent and the secret: inspect names it."""
    op = _verifier(vendor)
    field = catalog.op(op).params["message"]
    form = {"userId": "user_id"}.get(field, field)
    checks.names_the_mistake(capsys, op, flag, key=checks.user_hash(secret_made, made_over), secret=TEST_SECRET,
                             **{form: identity})  # fmt: skip


def test_inspect_user_hash_forms_refuse_what_does_not_fit(capsys: pytest.CaptureFixture[str]) -> None:
    op = _verifier("chatwoot")
    said = [
        checks.inspect_says(capsys, "--op", op, "--key", "00", "--identifier", "x", "--secret", "s", "--email", "e"),
        checks.inspect_says(capsys, "--op", op, "--key", "00", "--secret", "s"),
        checks.inspect_says(capsys, "--key", "00", "--user-id", "1", "--secret", "s"),
        checks.inspect_says(capsys, "--op", "thread.verify_connection_key", "--key", "00", "--secret", "s"),
    ]
    assert [code for code, _ in said] == [3, 3, 3, 3]
    assert "not --email" in said[0][1] and "--identifier" in said[1][1] and "--op" in said[2][1]
    assert all("Traceback" not in line and "s\n" not in line for _, line in said)


def test_the_adapter_probes_prove_every_attack_on_an_adapter_that_accepts_every_hash() -> None:
    proved = checks.probes_prove_accept_every_hash(FLOW)
    assert set(proved) == {op.name for op in checks.verifiers(FLOW)}
    for op in checks.verifiers(FLOW):
        empty = op.params["unsigned"] == "refuse"  # Chatwoot without hmac_mandatory admits an empty hash by design
        assert {"forged-hash", "other-identity", "truncated-hash"} <= proved[op.name]
        assert ("empty-hash" in proved[op.name]) == empty, op.name
