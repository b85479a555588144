"""Each verdict class, earned on purpose by an adapter with one realistic difference (tests/fixtures/adapters/
verdicts.py), through the real CLI against the live references; and the gate's exit code following --fail-on."""

from __future__ import annotations

import io
import json
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, main
from tests.conftest import require

VERDICTS = Path(__file__).resolve().parent / "fixtures" / "adapters" / "verdicts.py"


#: Adapter names where a mode's name is a built-in implementation's.
NAMES = {"pyjwt": "pyjwt-signer"}


def adapter(mode: str) -> str:
    return f"{NAMES.get(mode, mode)}={shlex.quote(sys.executable)} {shlex.quote(str(VERDICTS))} {mode}"


def run(tmp_path: Path, mode: str, flow: str, *extra: str) -> tuple[int, str, list[dict[str, Any]]]:
    target = tmp_path / f"{mode}.json"
    out = io.StringIO()
    options = ["--quiet", "--no-interop", "--impl", "python", "--adapter", adapter(mode), "--flow", flow]
    code = main(["run", *options, "--json", str(target), *extra], out=out)
    cases = [c for c in json.loads(target.read_text())["cases"] if c["implementation"] == NAMES.get(mode, mode)]
    return code, out.getvalue(), cases


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def test_a_verifier_that_ignores_the_kid_is_unsafe(tmp_path: Path) -> None:
    require("node")
    code, text, cases = run(tmp_path, "kid-blind", "khoros_widget_jwt")
    unsafe = [c for c in cases if c["verdict"] == "unsafe"]
    assert unsafe and all("WrongKid" in c["flags"] for c in unsafe)
    assert all(c["result"] == "invalid" and c["actual"]["status"] == "value" for c in unsafe)
    assert code == EXIT_FAILURES
    assert text.lstrip().startswith(f"GATE FAIL: {len(unsafe)} unsafe")
    # accepting a mangled kid that the reference refuses is a difference, but that flag is not security-relevant
    others = [c for c in cases if c not in unsafe and c["verdict"] not in {"pass", "unsupported"}]
    assert all(c["verdict"] == "fail" and c["flags"] == ["HeaderMangled"] for c in others), others


def test_a_verifier_that_ignores_the_signature_is_unsafe(tmp_path: Path) -> None:
    code, _, cases = run(tmp_path, "signature-blind", "talkative_signed_data")
    verdicts = {c["case_id"]: c["verdict"] for c in cases}
    tampered = [c["case_id"] for c in cases if {"Tampered", "WrongKey"} & set(c["flags"]) and c["result"] == "invalid"]
    assert tampered and all(verdicts[case_id] == "unsafe" for case_id in tampered)
    assert code == EXIT_FAILURES


#: The widget JWT vectors whose kid jsonwebtoken mangles (or whose secret it refuses): the vendor's verifier refuses
#: the reference's own token there.
REFERENCE_REFUSED = (28, 29, 30, 38, 39, 41, 43, 44, 51, 53, 56, 57, 58)


def test_a_different_header_order_is_equivalent(tmp_path: Path) -> None:
    """As smooch-core's jsonwebtoken signs: the reference's payload bytes and header fields (a mangled kid
    included), only the header's key order differs; equivalent everywhere, also where both tokens are refused."""
    require("node")
    code, text, cases = run(tmp_path, "header-order", "khoros_widget_jwt", "--op", "khoros.widget_jwt.sign")
    counts = Counter(c["verdict"] for c in cases)
    assert counts["equivalent"] >= 50 and set(counts) == {"equivalent", "pass"}, counts
    equivalent = [c for c in cases if c["verdict"] == "equivalent"]
    assert all(c["consumers"] == ["node"] for c in equivalent)
    assert all(c["actual"]["value"] != c["expected"]["value"] for c in equivalent), "different bytes"
    by_id = {c["tc_id"]: c for c in cases}
    for tc_id in REFERENCE_REFUSED:
        assert by_id[tc_id]["verdict"] == "equivalent", by_id[tc_id]
        assert "node answers both alike (the same refusal" in by_id[tc_id]["why"], by_id[tc_id]["why"]
    assert code == EXIT_OK and text.lstrip().startswith("GATE PASS")


def test_a_signer_that_writes_the_kid_the_reference_mangles_exceeds_it(tmp_path: Path) -> None:
    """A PyJWT signer writes app_中 where jsonwebtoken writes app_-: the vendor's verifier accepts its token and
    refuses the reference's own. That is not the candidate's failure; it has a verdict and words of its own."""
    require("node")
    code, text, cases = run(tmp_path, "pyjwt", "khoros_widget_jwt", "--op", "khoros.widget_jwt.sign")
    by_id = {c["tc_id"]: c for c in cases}
    exceeds = {c["tc_id"] for c in cases if c["verdict"] == "exceeds"}
    assert {28, 29, 30, 43, 56, 57} <= exceeds, sorted(exceeds)
    assert all(any(ord(ch) > 0xFF for ch in by_id[tc_id]["input"]["keyId"]) for tc_id in exceeds)
    assert "where it refuses the reference's own output (refused: KidMismatch" in by_id[28]["why"]
    assert {c["verdict"] for c in cases} <= {"exceeds", "equivalent", "pass"}
    assert code == EXIT_OK, "exceeding the reference does not fail the default gate"
    assert f"{len(exceeds)} exceed the reference" in text.splitlines()[0]
    strict, _, _ = run(tmp_path, "pyjwt", "khoros_widget_jwt", "--op", "khoros.widget_jwt.sign", "--fail-on", "exceeds")
    assert strict == EXIT_FAILURES


def test_randomized_ecdsa_is_equivalent(tmp_path: Path) -> None:
    require("node")
    code, text, cases = run(tmp_path, "random-ecdsa", "talkative_signed_data", "--op", "talkative.sign")
    counts = Counter(c["verdict"] for c in cases)
    assert counts["equivalent"] >= 10 and counts["fail"] == counts["unsafe"] == 0, counts
    assert code == EXIT_OK
    assert f"{counts['equivalent']} equivalent" in text.splitlines()[0]


def test_an_error_named_differently_is_a_reason_mismatch(tmp_path: Path) -> None:
    code, text, cases = run(tmp_path, "renamed-errors", "khoros_cryptor", "--op", "khoros.cryptor.decrypt_cbc")
    mismatched = [c for c in cases if c["verdict"] == "reason_mismatch"]
    assert mismatched and all("BadPadding" in c["expected"]["reason"] for c in mismatched)
    assert all(c["actual"]["reason"].endswith("PaddingError") for c in mismatched)
    assert code == EXIT_OK, "reason mismatches do not fail the default gate for an adapter"
    assert "reason mismatch" in text.splitlines()[0]
    strict_code, _, _ = run(tmp_path, "renamed-errors", "khoros_cryptor", "--fail-on", "unsafe,fail,io,reason_mismatch")
    assert strict_code == EXIT_FAILURES


def test_a_wrong_decryption_fails(tmp_path: Path) -> None:
    code, text, cases = run(tmp_path, "wrong-decrypt", "khoros_secure_transfer", "--op", "khoros.skep.decrypt")
    failing = [c for c in cases if c["verdict"] == "fail"]
    assert failing and all(c["why"].startswith("a different value from character ") for c in failing)
    assert all("expected accepted: " in c["why"] and ", got accepted: " in c["why"] for c in failing)
    assert code == EXIT_FAILURES
    listed = [line for line in text.splitlines() if "khoros_secure_transfer#" in line and "fail" in line]
    assert len(listed) == min(len(failing), 25), "the CLI lists the failing vectors, up to its limit"
    assert "--show-all" in text


def test_the_exit_code_follows_fail_on(tmp_path: Path) -> None:
    assert run(tmp_path, "wrong-decrypt", "khoros_secure_transfer", "--fail-on", "unsafe")[0] == EXIT_OK
    assert run(tmp_path, "wrong-decrypt", "khoros_secure_transfer", "--fail-on", "fail")[0] == EXIT_FAILURES
    out = io.StringIO()
    bogus = ["run", "--impl", "python", "--fail-on", "fail,nonsense", "--flow", "khoros_cryptor"]
    assert main(bogus, out=out) == EXIT_USAGE


def test_show_all_lists_every_failing_vector(tmp_path: Path) -> None:
    _, text, cases = run(tmp_path, "wrong-decrypt", "khoros_secure_transfer", "--show-all")
    failing = [c["case_id"] for c in cases if c["verdict"] == "fail"]
    assert len(failing) > 25
    assert all(case_id in text for case_id in failing)
