"""The reference-version matrix: the Khoros vectors against the vendor Java under four commons-codec versions."""

from __future__ import annotations

from typing import Any

import pytest

from conformance import version_matrix as vm
from conformance.errors import ReferenceFailure, ReferenceUnavailable
from conformance.outcome import run_op
from conformance.vectors import VectorCase, load_cases
from tests.conftest import require_reference

KHOROS_CASES = [c for c in load_cases() if c.op in vm.KHOROS_OPS]
BY_ID = {c.case_id: c for c in KHOROS_CASES}
VERSIONS = ("1.10", "1.14", "1.22.1", "1.23.0")
STRICT_DECODER = "1.14"


def _unavailable(problem: str) -> None:
    require_reference("commons-codec matrix", lambda: problem)


@pytest.fixture(scope="module")
def matrix() -> dict[str, Any]:
    require_reference("commons-codec matrix", vm.codec_available)
    try:
        return vm.run_version_matrix(KHOROS_CASES, VERSIONS)
    except ReferenceUnavailable as exc:
        _unavailable(str(exc))
        raise


@pytest.fixture(scope="module")
def codec_entry(matrix: dict[str, Any]) -> dict[str, Any]:
    return matrix["commons-codec"]


def _expected(case: VectorCase) -> dict[str, Any]:
    return (
        {"status": "error", "reason": case.error} if case.expects_error else {"status": "value", "value": case.output}
    )


def _same(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(actual.get(key) == value for key, value in expected.items())


def test_every_khoros_op_is_covered() -> None:
    assert {c.op for c in KHOROS_CASES} == vm.KHOROS_OPS
    assert len(KHOROS_CASES) >= 300


def test_the_pinned_version_is_the_poms() -> None:
    assert vm.pinned_codec_version() == "1.22.1"
    assert vm.COMMONS_CODEC.pinned == "1.22.1"
    assert set(vm.COMMONS_CODEC.versions) >= {"1.10", "1.14", "1.22.1"}


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
        comparable = {repr(vm._comparable(answer)) for answer in finding["answers"].values()}
        assert len(comparable) > 1, finding


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
            assert _same(finding["answers"][version], _expected(case)), (case.case_id, version)
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
    text = vm.format_text(matrix)
    assert f"If the vendor upgrades commons-codec from 1.10 to 1.14, these {len(changed)} inputs change:" in text
    assert "If the vendor upgrades commons-codec from 1.22.1 to 1.23.0, 0 inputs change." in text
    for case_id in changed:
        assert case_id in text


def test_doc_shows_the_current_findings(matrix: dict[str, Any]) -> None:
    """docs/reference-versions.md holds the tables of a run over the default versions (refresh with ``--write-doc``)."""
    doc = vm.doc_path().read_text(encoding="utf-8")
    full = matrix if VERSIONS == vm.CODEC_VERSIONS else vm.run_version_matrix(KHOROS_CASES, vm.CODEC_VERSIONS)
    rows = [line for line in vm.format_markdown(full).splitlines() if line.startswith("| ")]
    missing = [row for row in rows if row not in doc]
    assert not missing, "docs/reference-versions.md is stale; run python -m conformance.version_matrix --write-doc"


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


def _jpype_ops() -> dict[str, Any]:
    from conformance.references import java, khoros_java

    require_reference("java", java.available)
    return khoros_java.OPS


def test_subprocess_answers_like_the_jpype_bridge() -> None:
    """Same values and reason paths, with lone surrogates in arguments and in answers, for the pinned version."""
    require_reference("commons-codec matrix", vm.codec_available)
    jpype_ops = _jpype_ops()
    encrypt = {"secretKey": K, "ivKey": IV, "base64Keys": True, "plainText": SURROGATE_PAYLOAD}
    encrypted = run_op(jpype_ops, "khoros.skep.encrypt", encrypt).value
    probes = [
        *PROBES,
        ("khoros.skep.decrypt", {"secretKey": K, "ivKey": IV, "base64Keys": True, "cipherText": encrypted}),
        ("khoros.payload.decrypt", {"ivKey": IV, "encryptionKey": K, "encryptedPayload": encrypted}),
    ]
    vm.fetch_codec("1.22.1")
    process = vm.CodecProcess("1.22.1")
    try:
        answers = process.call_many(probes)
        unsupported = process.call("khoros.nope", {})
    finally:
        process.close()
    for (op, args), answer in zip(probes, answers, strict=True):
        expected = run_op(jpype_ops, op, args)
        assert answer.comparable() == expected.comparable(), (
            f"{op} {args!r}: {answer.describe()} vs {expected.describe()}"
        )
    assert answers[-1].value == {"lone": "\ud800x", "pair": "\U0001f600", "e": "\u00e9\u2028"}
    assert answers[-2].value == SURROGATE_PAYLOAD
    assert {a.status for a in answers} == {"value", "error"}
    assert unsupported.status == "unsupported"


def test_a_mixed_classpath_is_refused() -> None:
    """Two commons-codec jars on one classpath: the hello line betrays it and the run stops."""
    require_reference("commons-codec matrix", vm.codec_available)
    try:
        vm.fetch_codec("1.10")
        vm.fetch_codec("1.14")
    except ReferenceUnavailable as exc:
        _unavailable(str(exc))
    proper = vm.codec_classpath("1.10")
    mixed = [proper[0], str(vm.codec_jar("1.14")), *proper[1:]]
    process = vm.CodecProcess("1.10", classpath=mixed)
    try:
        with pytest.raises(ReferenceFailure, match="mixes versions"):
            process.call("khoros.cryptor.aes_hash_block", {"s": ""})
    finally:
        process.close()
    clean = vm.CodecProcess("1.10")
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
    assert vm.latest_codec_version(METADATA) == "1.23.0"


def test_op_table_reference_hook() -> None:
    """The hook for BouncyCastle: a versioned reference made of op tables, run by the same matrix code."""
    table_a = {"demo.echo": lambda args: args["x"]}
    table_b = {"demo.echo": lambda args: args["x"].upper()}
    reference = vm.VersionedReference(
        name="demo",
        versions=("a", "b"),
        pinned="a",
        ops=frozenset({"demo.echo"}),
        open=lambda version: vm.OpTableCaller(table_a if version == "a" else table_b),
    )
    cases = [
        VectorCase("demo.json", "demo", "demo.echo", i, "", (), {"x": x}, "valid", x, None, {})
        for i, x in enumerate(["ab", "12"], 1)
    ]
    entry = vm.run_reference(reference, cases)
    assert [f["case_id"] for f in entry["findings"]] == ["demo#1"]
    assert entry["findings"][0]["answers"]["b"] == {"status": "value", "value": "AB"}
    assert entry["summary"]["byVersion"]["b"]["differsFromVectors"] == ["demo#1"]
