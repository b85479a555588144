"""The reference-version matrix: the Khoros vectors against the vendor Java under four commons-codec versions."""

from __future__ import annotations

from typing import Any

import pytest

from conformance import catalog, judge, versions
from conformance.contract import from_python_object
from conformance.errors import ReferenceFailure, ReferenceUnavailable
from conformance.outcome import Outcome
from conformance.report import versions as rendering
from conformance.vectors import VectorCase, load_cases
from conformance.versions import codec
from tests.conftest import answer, answers, require, require_reference

KHOROS_OPS = frozenset(catalog.flow("khoros_secure_transfer").op_names + catalog.flow("khoros_cryptor").op_names)
KHOROS_CASES = [c for c in load_cases() if c.op in KHOROS_OPS]
BY_ID = {c.case_id: c for c in KHOROS_CASES}
VERSIONS = ("1.10", "1.14", "1.22.1", "1.23.0")
STRICT_DECODER = "1.14"


def _unavailable(problem: str) -> None:
    require_reference("commons-codec matrix", lambda: problem)


@pytest.fixture(scope="module")
def matrix() -> dict[str, Any]:
    require_reference("commons-codec matrix", codec.codec_available)
    try:
        return versions.run_version_matrix(KHOROS_CASES, VERSIONS)
    except ReferenceUnavailable as exc:
        _unavailable(str(exc))
        raise


@pytest.fixture(scope="module")
def codec_entry(matrix: dict[str, Any]) -> dict[str, Any]:
    return matrix["commons-codec"]


def test_every_khoros_op_is_covered() -> None:
    assert {c.op for c in KHOROS_CASES} == KHOROS_OPS == versions.VERSIONED["commons-codec"].ops
    assert len(KHOROS_CASES) >= 300


def test_the_pinned_version_is_the_poms() -> None:
    assert codec.pinned_codec_version() == "1.22.1"
    assert versions.VERSIONED["commons-codec"].pinned == "1.22.1"
    assert set(versions.VERSIONED["commons-codec"].versions) >= {"1.10", "1.14", "1.22.1"}


def test_each_jvm_loaded_exactly_its_version(codec_entry: dict[str, Any]) -> None:
    assert codec_entry["versions"] == list(VERSIONS)
    for version in VERSIONS:
        runtime = codec_entry["summary"]["byVersion"][version]["runtime"]
        assert runtime["commonsCodec"] == version
        assert runtime["commonsCodecJar"] == f"commons-codec-{version}.jar"
        assert runtime["fileEncoding"] == "UTF-8"


def test_pinned_version_reproduces_every_vector(codec_entry: dict[str, Any]) -> None:
    pinned = codec_entry["summary"]["byVersion"]["1.22.1"]
    assert pinned["differsFromVectors"] == []
    assert pinned["matchesVectors"] == len(KHOROS_CASES)
    assert pinned["statuses"].keys() <= {"value", "error"}


def test_findings_have_the_record_shape(codec_entry: dict[str, Any]) -> None:
    assert codec_entry["findings"], "the matrix found no difference at all"
    for finding in codec_entry["findings"]:
        assert finding["reference"] == "commons-codec"
        assert set(finding["answers"]) == set(VERSIONS)
        answers = [Outcome.from_record(answer) for answer in finding["answers"].values()]
        assert any(not judge.same(answers[0], other) for other in answers[1:]), finding


def test_the_strict_decoder_rejects_trailing_bits(codec_entry: dict[str, Any]) -> None:
    """1.14 throws IllegalArgumentException (reason Base64Decoding) where every other version decodes leniently."""
    findings = {f["case_id"]: f["answers"] for f in codec_entry["findings"]}
    trailing = [c for c in KHOROS_CASES if "TrailingBits" in c.flags]
    assert trailing
    for case in trailing:
        assert case.case_id in findings, f"{case.case_id}: no version differs"
        assert findings[case.case_id][STRICT_DECODER]["status"] == "error"
        assert findings[case.case_id][STRICT_DECODER]["reason"] == "Base64Decoding"


def test_only_the_strict_decoder_differs(codec_entry: dict[str, Any]) -> None:
    """Observed, not assumed: 1.10, 1.22.1 and 1.23.0 answer every Khoros vector as the vectors say."""
    for finding in codec_entry["findings"]:
        case = BY_ID[finding["case_id"]]
        for version in VERSIONS:
            if version == STRICT_DECODER:
                continue
            answer = Outcome.from_record(finding["answers"][version])
            assert judge.same(answer, judge.expected_outcome(case)), (case.case_id, version)
        assert finding["answers"][STRICT_DECODER]["reason"] == "Base64Decoding", case.case_id
    for version in ("1.10", "1.23.0"):
        assert codec_entry["summary"]["byVersion"][version]["differsFromVectors"] == []
    strict = codec_entry["summary"]["byVersion"][STRICT_DECODER]["differsFromVectors"]
    assert sorted(strict) == sorted(f["case_id"] for f in codec_entry["findings"])


def test_transitions_and_text(codec_entry: dict[str, Any], matrix: dict[str, Any]) -> None:
    steps = {(s["from"], s["to"]): s["changed"] for s in codec_entry["summary"]["transitions"]}
    assert steps[("1.22.1", "1.23.0")] == []
    assert steps[("1.10", "1.22.1")] == []
    changed = sorted(f["case_id"] for f in codec_entry["findings"])
    assert sorted(steps[("1.10", "1.14")]) == changed
    text = rendering.format_text(matrix)
    assert f"If the vendor upgrades commons-codec from 1.10 to 1.14, these {len(changed)} inputs change:" in text
    assert "If the vendor upgrades commons-codec from 1.22.1 to 1.23.0, 0 inputs change." in text
    for case_id in changed:
        assert case_id in text


def test_doc_shows_the_current_findings(matrix: dict[str, Any]) -> None:
    """docs/reference-versions.md holds the tables of a run over the default versions (refresh with ``--write-doc``)."""
    doc = rendering.doc_path().read_text(encoding="utf-8")
    full = (
        matrix if VERSIONS == codec.CODEC_VERSIONS else versions.run_version_matrix(KHOROS_CASES, codec.CODEC_VERSIONS)
    )
    rows = [line for line in rendering.format_markdown(full).splitlines() if line.startswith("| ")]
    missing = [row for row in rows if row not in doc]
    assert not missing, "docs/reference-versions.md is stale; run conformance versions --write-doc"


# --- the subprocess program against the JPype bridge, and its isolation ---------------------------------------------

K = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="
IV = "kAOZ+mZ/8hT0L1oQw9Xk2A=="
SURROGATE_PAYLOAD = '{"lone":"\\ud800x","pair":"\\ud83d\\ude00","e":"\\u00e9\\u2028"}'
PROBES: list[tuple[str, dict[str, Any]]] = [
    ("khoros.cryptor.aes_hash_block", {"s": "\ud800"}),
    ("khoros.cryptor.aes_hash_block", {"s": "a\udfffb\U0001f600"}),
    ("khoros.skep.encrypt", {"secretKey": K, "ivKey": IV, "base64Keys": True, "plainText": "\udc00\ud800 é"}),
    (
        "khoros.skep.encrypt",
        {"secretKey": "0123456789abcdef", "ivKey": "\ud800" * 16, "base64Keys": False, "plainText": "x"},
    ),
    (
        "khoros.skep.encrypt",
        {"secretKey": K, "ivKey": IV, "base64Keys": True, "plainText": "\u00e9\U0001f600", "ivOverride": IV},
    ),
    ("khoros.skep.decrypt", {"secretKey": K, "ivKey": IV, "base64Keys": True, "cipherText": "QR=="}),
    ("khoros.skep.decrypt", {"secretKey": K, "ivKey": IV, "base64Keys": True, "cipherText": "\ud800"}),
    ("khoros.cryptor.encrypt_gcm", {"keyHex": "00" * 16, "value": "", "iv": "11" * 12, "aad": None}),
    ("khoros.cryptor.encrypt_gcm", {"keyText": "\ud800", "value": "61", "iv": "11" * 12, "aad": ""}),
    ("khoros.cryptor.decrypt_cbc", {"keyHex": "00" * 5, "value": "00" * 16, "iv": "00" * 16}),
    ("khoros.cryptor.decrypt_gcm", {"keyHex": "00" * 16, "value": "00" * 20, "iv": "11" * 12}),
]


def test_subprocess_answers_like_the_jpype_bridge() -> None:
    """Same values and reason paths, with lone surrogates in arguments and in answers, for the pinned version."""
    require_reference("commons-codec matrix", codec.codec_available)
    require("java")
    encrypt = {"secretKey": K, "ivKey": IV, "base64Keys": True, "plainText": SURROGATE_PAYLOAD}
    encrypted = answer("java", "khoros.skep.encrypt", encrypt).value
    probes = [
        *PROBES,
        ("khoros.skep.decrypt", {"secretKey": K, "ivKey": IV, "base64Keys": True, "cipherText": encrypted}),
        ("khoros.payload.decrypt", {"ivKey": IV, "encryptionKey": K, "encryptedPayload": encrypted}),
    ]
    codec.fetch_codec("1.22.1")
    process = codec.CodecProcess("1.22.1")
    try:
        got = process.call_many(probes)
        unsupported = process.call("khoros.nope", {})
    finally:
        process.close()
    expected = answers("java", probes)
    for (op, args), got_one, want in zip(probes, got, expected, strict=True):
        assert judge.same(got_one, want), f"{op} {args!r}: {got_one.describe()} vs {want.describe()}"
    assert got[-1].value == {"lone": "\ud800x", "pair": "\U0001f600", "e": "\u00e9\u2028"}
    assert got[-2].value == SURROGATE_PAYLOAD
    assert {a.status for a in got} == {"value", "error"}
    assert unsupported.status == "unsupported"


def test_a_mixed_classpath_is_refused() -> None:
    """Two commons-codec jars on one classpath: the hello line betrays it and the run stops."""
    require_reference("commons-codec matrix", codec.codec_available)
    try:
        codec.fetch_codec("1.10")
        codec.fetch_codec("1.14")
    except ReferenceUnavailable as exc:
        _unavailable(str(exc))
    proper = codec.codec_classpath("1.10")
    mixed = [proper[0], str(codec.codec_jar("1.14")), *proper[1:]]
    process = codec.CodecProcess("1.10", classpath=mixed)
    try:
        with pytest.raises(ReferenceFailure, match="mixes versions"):
            process.call("khoros.cryptor.aes_hash_block", {"s": ""})
    finally:
        process.close()
    clean = codec.CodecProcess("1.10")
    try:
        assert clean.call("khoros.cryptor.aes_hash_block", {"s": ""}).status == "value"
        assert clean.hello["versions"]["commonsCodec"] == "1.10"
    finally:
        clean.close()


# --- pure parts --------------------------------------------------------------------------------------------------------

METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<metadata><groupId>commons-codec</groupId><artifactId>commons-codec</artifactId><versioning>
<latest>20041127.091804</latest><release>20041127.091804</release>
<versions><version>1.9</version><version>1.10</version><version>1.22.1</version><version>1.23.0</version>
<version>20041127.091804</version></versions></versioning></metadata>"""


def test_latest_version_ignores_the_date_stamped_upload() -> None:
    assert codec.latest_codec_version(METADATA) == "1.23.0"


def test_any_implementation_can_be_a_version() -> None:
    """A versioned reference is made of implementations of the contract, run by the same matrix code."""
    table_a = {"demo.echo": lambda args: args["x"]}
    table_b = {"demo.echo": lambda args: args["x"].upper()}
    reference = versions.VersionedReference(
        name="demo",
        versions=("a", "b"),
        pinned="a",
        ops=frozenset({"demo.echo"}),
        make=lambda version: from_python_object(table_a if version == "a" else table_b),
    )
    cases = [
        VectorCase("demo.json", "demo", "demo.echo", i, "", (), {"x": x}, "valid", x, None, {})
        for i, x in enumerate(["ab", "12"], 1)
    ]
    entry = versions.run_reference(reference, cases)
    assert [f["case_id"] for f in entry["findings"]] == ["demo#1"]
    assert entry["findings"][0]["answers"]["b"] == {"status": "value", "value": "AB"}
    assert entry["summary"]["byVersion"]["b"]["differsFromVectors"] == ["demo#1"]
