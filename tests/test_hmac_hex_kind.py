"""The ``hmac_hex`` kinds themselves: the primitive, the parameters, the references' kind handlers (Ruby, PHP, node,
python-hmac) against the port on generated calls, the probes and inspect's mistakes, and the Ruby runtime's
availability. Flow-specific behaviour is in tests/test_intercom_identity.py and tests/test_email_hmac.py."""

from __future__ import annotations

import base64
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import catalog, paths, registry
from conformance.catalog import kind_op, round_trips
from conformance.errors import InvalidArgument, MissingIdentity, NullArgument, UnencodableText
from conformance.judge import same
from conformance.kinds import hmac_hex as kind_module
from conformance.kinds import kind
from conformance.primitives import hmac_hex
from conformance.references import python_hmac, ruby
from tests import conftest
from tests.conftest import require, require_reference

REFERENCES = ("ruby", "php", "node", "python-hmac")
PARTS = [found for found in catalog.kind_parts() if found.kind.name in python_hmac.KINDS]
CANARY = "Canary-Secret-7c1e\u00e9"


@pytest.fixture(scope="module", params=REFERENCES)
def reference(request: pytest.FixtureRequest) -> str:
    require(request.param)
    return request.param


# --- the primitive ---------------------------------------------------------------------------------------------------


def test_rfc4231_case_2_and_intercom_samples_known_answers() -> None:
    """Independent known answers: RFC 4231 test case 2, and Intercom's code samples ('Message' under 'secret')."""
    jefe = {"secret": "Jefe", "m": "what do ya want for nothing?"}
    assert hmac_hex.sign(jefe, field="m") == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    sample = hmac_hex.sign({"secret": "secret", "m": "Message"}, field="m", hex_case="upper")
    assert sample == "AA747C502A898200F9E4FA21BAC68136F886A0E27AEC70BA06DAF2E2A5CB5597"


def test_field_selection_fallback_and_missing_identity() -> None:
    both = {"secret": "s", "userId": "42", "email": "a@b.c"}
    assert hmac_hex.message_field(both, "userId", "email") == "userId"
    assert hmac_hex.message_field({"secret": "s", "email": "a@b.c"}, "userId", "email") == "email"
    assert hmac_hex.message_field({"secret": "s", "userId": ""}, "userId", "email") == "userId"
    with pytest.raises(MissingIdentity):
        hmac_hex.message_field({"secret": "s"}, "userId", "email")


def test_accept_rules_and_constant_time_compare(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = hmac_hex.sign({"secret": "s", "m": "x"}, field="m")
    seen: list[Any] = []
    real = hmac_hex.hmac.compare_digest
    monkeypatch.setattr(hmac_hex.hmac, "compare_digest", lambda a, b: seen.append((a, b)) or real(a, b))
    assert hmac_hex.accepts(expected, expected.upper(), "either-case") is True
    assert hmac_hex.accepts(expected, expected.upper(), "lower") is False
    assert hmac_hex.accepts(expected, expected.upper(), "upper") is True
    assert hmac_hex.accepts(expected, "\u212a" + expected[1:], "either-case") is False  # KELVIN SIGN is not 'k'
    assert len(seen) == 4


def test_key_encodings() -> None:
    assert hmac_hex.key_bytes("6b6579", "hex") == b"key" and hmac_hex.key_bytes("6b6579") == b"6b6579"
    for bad in ("abc", "zz", " 00"):
        with pytest.raises(InvalidArgument):
            hmac_hex.key_bytes(bad, "hex")
    with pytest.raises(NullArgument):
        hmac_hex.key_bytes(None)
    with pytest.raises(UnencodableText):
        hmac_hex.key_bytes("\ud800")


def test_unsigned_accept_admits_only_a_missing_or_empty_hash() -> None:
    identity = {"secret": "s", "id": "7"}
    options: dict[str, Any] = {"field": "id", "presented": "h", "unsigned": "accept"}
    assert hmac_hex.verify(identity, **options) is True
    assert hmac_hex.verify({**identity, "h": ""}, **options) is True
    assert hmac_hex.verify({**identity, "h": "0" * 64}, **options) is False
    assert hmac_hex.verify(identity, field="id", presented="h") is False


# --- parameters ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("hmac_hex.sign", {"message": "email", "hexCase": "title"}, "hexCase"),
        ("hmac_hex.sign", {"message": "secret"}, "three different"),
        ("hmac_hex.sign", {"message": "email", "fallback": "email"}, "three different"),
        ("hmac_hex.sign", {"message": "email", "key": "base64"}, "key must be"),
        ("hmac_hex.verify", {"message": "email", "accept": "any"}, "accept must be"),
        ("hmac_hex.verify", {"message": "email", "presented": "email"}, "its own argument"),
        ("hmac_hex.verify", {"message": "email", "unsigned": "maybe"}, "unsigned must be"),
    ],
)
def test_parameters_are_checked_at_declaration(kind: str, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kind_op("test.hmac.op", kind, "x", **params)


def test_schema_requires_what_the_parameters_make_mandatory() -> None:
    sign = kind_op("t.s", "hmac_hex.sign", "x", message="userId", fallback="email")
    verify = kind_op("t.v", "hmac_hex.verify", "x", message="identifier", presented="h", unsigned="accept")
    sign_schema = kind("hmac_hex.sign").schema(sign.params)
    verify_schema = kind("hmac_hex.verify").schema(verify.params)
    assert sign_schema["required"] == ["secret"] and set(sign_schema["properties"]) == {"secret", "userId", "email"}
    assert verify_schema["required"] == ["secret", "identifier"] and "h" in verify_schema["properties"]


# --- the references' kind handlers against the port --------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_every_kind_op_matches_the_port_in_each_reference(reference: str, seed: int) -> None:
    rnd = random.Random(seed)
    calls = [(found.op, found.generator()(rnd)) for found in PARTS for _ in range(3)]
    theirs = registry.shared(reference).call_many(calls)
    ours = registry.shared("python").call_many(calls)
    for (op, args), mine, other in zip(calls, ours, theirs, strict=True):
        assert other.status in {"value", "error"}, other.describe()
        assert same(mine, other), f"{op} {args!r}: python {mine.describe()} / {reference} {other.describe()}"


def test_the_comparison_can_fail(reference: str) -> None:
    """A sign op answered with key and message swapped is caught against every reference."""
    found = next(p for p in PARTS if p.kind.name == "hmac_hex.sign")
    field = found.params["message"]
    args = {"secret": "s3cret", field: "foo@bar.com"}
    swapped = hmac_hex.sign({"secret": args[field], field: args["secret"]}, field=field)
    (theirs,) = registry.shared(reference).call_many([(found.op, args)])
    assert theirs.status == "value" and theirs.value != swapped


def test_reference_errors_never_echo_the_secret(reference: str) -> None:
    found = next(p for p in PARTS if p.kind.name == "hmac_hex.verify")
    field, presented = found.params["message"], found.params["presented"]
    bad = [
        {"secret": CANARY + "\udfff", field: "a", presented: "x"},
        {"secret": CANARY, field: "\ud800", presented: "x"},
        {"secret": CANARY, field: "a", presented: "\udc00" + CANARY},
    ]
    for outcome in registry.shared(reference).call_many([(found.op, args) for args in bad]):
        assert (outcome.status, outcome.reason) == ("error", "UnencodableText"), outcome.describe()
        assert "Canary" not in (outcome.message or "")


def test_references_declare_the_kinds_in_their_hello(reference: str) -> None:
    implementation = registry.shared(reference)
    assert {p.op for p in PARTS} <= implementation.ops()
    assert implementation.versions(), "a reference reports the versions behind its answers"


def test_ruby_reports_ruby_and_openssl_versions() -> None:
    require("ruby")
    versions = registry.shared("ruby").versions()
    assert {"ruby", "openssl", "opensslLibrary"} <= set(versions) and versions["ruby"].count(".") == 2


def test_missing_ruby_is_unavailable_here_and_a_failure_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("HANDOFF_RUBY", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "not installed" in (ruby.available() or "")
    monkeypatch.setattr(conftest, "STRICT", False)
    with pytest.raises(pytest.skip.Exception, match="ruby unavailable"):
        conftest.require_reference("ruby", ruby.available)
    monkeypatch.setattr(conftest, "STRICT", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true: a missing reference is a failure"):
        conftest.require_reference("ruby", ruby.available)


def test_ci_installs_ruby() -> None:
    """``.ci/run`` installs Debian's ruby (its bundled openssl and json) and ruby-jwt, what ruby_ref/server.rb
    requires, when they are missing."""
    script = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "command -v ruby >/dev/null 2>&1 || missing+=(ruby)" in script
    assert """ruby -e 'require "jwt"' >/dev/null 2>&1 || missing+=(ruby-jwt)""" in script
    required = set(re.findall(r"^require '(\w+)'", paths.ruby_ref_script().read_text(), re.M))
    assert {"json", "openssl", "jwt"} == required


def test_front_python_snippet_as_published_raises_type_error() -> None:
    with pytest.raises(TypeError):
        python_hmac.documented_snippet("a str secret", "jane@example.com")
    assert python_hmac.documented_snippet(b"k", "m") == hmac_hex.sign({"secret": "k", "f": "m"}, field="f")


# --- campaign parts, probes, mistakes ------------------------------------------------------------------------------


def test_generated_cases_reach_every_outcome() -> None:
    """The generators are not vacuous: valid hashes, refusals and typed errors all occur."""
    rnd = random.Random(3)
    port = registry.shared("python")
    for found in PARTS:
        calls = [(found.op, found.generator()(rnd)) for _ in range(400)]
        seen = {(o.status, o.value if found.kind.role == "consumes" else None) for o in port.call_many(calls)}
        assert ("error", None) in seen, found.op
        if found.kind.role == "consumes":
            assert {("value", True), ("value", False)} <= seen, (found.op, seen)


def test_reducer_candidates_are_smaller_and_schema_valid() -> None:
    for found in PARTS:
        args = found.generator()(random.Random(11))
        for candidate in list(found.reducer()(args))[:200]:
            catalog.check_args(found.op, candidate)
            assert sum(len(str(v)) for v in candidate.values()) <= sum(len(str(v)) for v in args.values())


@pytest.mark.parametrize("found", [p for p in PARTS if p.kind.role == "consumes"], ids=lambda p: p.op)
def test_probes_are_refuted_by_every_reference(found: Any) -> None:
    probes = found.probes()
    assert set(probes.attacks) <= set(probes.meta)
    for name in REFERENCES:
        require(name)
        genuine, *attacks = registry.shared(name).call_many(
            [(found.op, probes.genuine), *((found.op, a) for a in probes.attacks.values())]
        )
        assert genuine.value is True, (name, genuine.describe())
        assert all(a.value is False for a in attacks), (name, [a.describe() for a in attacks])


@pytest.mark.parametrize("found", PARTS, ids=lambda p: p.op)
def test_each_mistake_is_confirmed_by_the_references_when_made(found: Any) -> None:
    """Make each mistake on purpose (Ruby signs it); inspect's attempt must then be confirmed: the sign op gives the
    mistaken hash back, the verify op accepts it."""
    require("ruby")
    field = found.params["message"]
    honest = {"secret": "6d792d544553542d736563726574", field: "42"}
    producer = found.op
    if found.kind.role == "consumes":
        producer = round_trips.signer_of(catalog.flow_of(found.op), found.op)
    made = {
        "SwappedKeyMessage": {"secret": honest[field], field: honest["secret"]},
        "SecretTrailingNewline": {**honest, "secret": honest["secret"] + "\n"},
        "SecretHexVsText": {**honest, "secret": bytes.fromhex(honest["secret"]).decode()},
    }
    reference = registry.shared("ruby")
    mistakes = {m.flag: m for m in found.mistakes()}
    assert set(made) <= set(mistakes)
    for flag, wrong_args in made.items():
        (wrong,) = reference.call_many([(producer, wrong_args)])
        if found.kind.role == "produces":
            attempt = mistakes[flag].attempt(honest)
            (again,) = reference.call_many([(found.op, attempt)])
            assert (mistakes[flag].confirm, again.value) == ("equals", wrong.value), flag
        else:
            presented = found.params["presented"]
            attempt = mistakes[flag].attempt({**honest, presented: wrong.value})
            (verdict,) = reference.call_many([(found.op, attempt)])
            (plain,) = reference.call_many([(found.op, {**honest, presented: wrong.value})])
            assert (mistakes[flag].confirm, verdict.value, plain.value) == ("accepted", True, False), flag


#: flag -> (the identity sent, the identity the hash was made over, what was done to the hash)
PRESENTED_MISTAKES: dict[str, tuple[str, str, Any]] = {
    "HashWhitespace": ("jane@example.com", "jane@example.com", lambda h: h + "\n"),
    "RawDigestBase64": ("jane@example.com", "jane@example.com", lambda h: base64.b64encode(bytes.fromhex(h)).decode()),
    "UppercaseHex": ("jane@example.com", "jane@example.com", str.upper),
    "CaseVariantEmail": ("Jane@Example.com", "jane@example.com", str),
    "Whitespace": (" jane@example.com", "jane@example.com", str),
    "UnicodeNormalization": ("jose\u0301@example.com", "jos\u00e9@example.com", str),
}


@pytest.mark.parametrize("found", [p for p in PARTS if p.kind.role == "consumes"], ids=lambda p: p.op)
def test_each_presented_hash_mistake_is_confirmed_when_made(found: Any) -> None:
    """Ruby signs the honest identity, the mistake is made on the hash or the identity sent: the verifier refuses
    it as given and accepts inspect's attempt; UppercaseHex only where the verifier takes one case."""
    require("ruby")
    field, presented = found.params["message"], found.params["presented"]
    mistakes = {m.flag: m for m in found.mistakes()}
    expected = set(PRESENTED_MISTAKES) - ({"UppercaseHex"} if found.params["accept"] == "either-case" else set())
    assert expected <= set(mistakes) and ("UppercaseHex" in mistakes) == ("UppercaseHex" in expected)
    reference = registry.shared("ruby")
    for flag in sorted(expected):
        sent, made_over, spoil = PRESENTED_MISTAKES[flag]
        (made,) = reference.call_many(
            [(round_trips.signer_of(catalog.flow_of(found.op), found.op), {"secret": "s", field: made_over})]
        )
        given = {"secret": "s", field: sent, presented: spoil(made.value)}
        attempt = mistakes[flag].attempt(given)
        plain, confirmed = reference.call_many([(found.op, given), (found.op, attempt)])
        assert (plain.value, confirmed.value) == (False, True), flag


def test_probe_secret_and_storable_text() -> None:
    assert "TEST" in kind_module.PROBE_SECRET
    assert kind_module.storable("\ud83d\ude00") == "\ud83dx\ude00" and kind_module.storable("ok") == "ok"


def test_python_hmac_reference_is_in_process_and_independent_of_the_port() -> None:
    require_reference("python-hmac", registry.shared("python-hmac").unavailable)
    import inspect

    source = inspect.getsource(python_hmac)
    assert "primitives" not in source.split('"""', 2)[2], "the reference must not reuse the port"
