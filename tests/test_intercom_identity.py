"""Intercom identity verification (``intercom_identity``): the vectors in Python and every reference, the platforms'
rules (user_id before email, one secret per platform, web takes either hex case, the SDKs lowercase only), the audit
proofs, and what the example adapters earn. Op names are read from the catalog, never written here."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance import catalog, registry
from conformance.audit.model import PROOFS
from conformance.audit.runner import run_one
from conformance.catalog.round_trips import signer_of
from conformance.cli import main
from conformance.paths import data_dir
from conformance.runner import run_cases
from conformance.vectors import iter_cases
from tests.conftest import require

FLOW = catalog.flow("intercom_identity")
VERIFIERS = {op.params["accept"]: op for op in FLOW.ops if op.kind == "hmac_hex.verify"}
WEB, SDK = VERIFIERS["either-case"], VERIFIERS["lower"]
ADAPTER = Path(__file__).resolve().parents[1] / "examples" / "adapters" / "python" / "user_hash.py"
CASES = list(iter_cases(data_dir() / FLOW.vector_file))


@pytest.mark.parametrize("name", ["python", *FLOW.references])
def test_every_vector_passes(name: str) -> None:
    require(name)
    results = run_cases(CASES, [registry.shared(name)], progress=False)
    failing = [(r.case_id, r.verdict, r.why) for r in results if r.verdict != "pass"]
    assert not failing and len(results) == len(CASES), failing[:5]


def test_vectors_cover_the_platforms_and_the_flags_integrators_trip_on() -> None:
    flags = {flag for case in CASES for flag in case.flags}
    assert {"WrongField", "UppercaseHex", "SecretTrailingNewline", "SecretHexVsText", "WrongPlatformSecret"} <= flags
    assert {"CaseVariantEmail", "UnicodeNormalization", "DocumentExample", "FallbackField"} <= flags
    assert {case.op for case in CASES} == set(FLOW.op_names)
    upper = {case.op: case.output for case in CASES if case.flags == ("UppercaseHex",)}
    assert upper[WEB.name] is True and all(
        upper[op.name] is False for op in FLOW.ops if op.params.get("accept") == "lower"
    )


def test_user_id_takes_preference_and_email_is_the_fallback() -> None:
    require("ruby")
    sign = signer_of(FLOW, WEB.name)
    both = {"secret": "s", "userId": "123", "email": "jane@example.com"}
    by_id, by_email, only_email = registry.shared("ruby").call_many(
        [(sign, both), (sign, {"secret": "s", "userId": "123"}), (sign, {"secret": "s", "email": "jane@example.com"})]
    )
    assert by_id.value == by_email.value != only_email.value
    (neither,) = registry.shared("python").call_many([(sign, {"secret": "s"})])
    assert (neither.status, neither.reason) == ("error", "MissingIdentity")


def test_a_hash_for_one_platform_does_not_verify_on_another() -> None:
    require("ruby")
    identity = {"userId": "123"}
    made = {
        trip.variant: registry.shared("ruby").call_many([(trip.producer_op, {"secret": trip.variant, **identity})])[0]
        for trip in FLOW.round_trips
    }
    calls = [
        (trip.consumer_op, {"secret": trip.variant, **identity, "userHash": made[other].value})
        for trip in FLOW.round_trips
        for other in made
    ]
    verdicts = [o.value for o in registry.shared("ruby").call_many(calls)]
    expected = [trip.variant == other for trip in FLOW.round_trips for other in made]
    assert verdicts == expected


@pytest.mark.parametrize("proof_id", ["HMAC-1:intercom_identity", "HMAC-2:intercom_identity"])
def test_audit_proofs_are_proved_against_the_references(proof_id: str) -> None:
    for name in PROOFS[proof_id].references:
        require(name)
    finding = run_one(PROOFS[proof_id])
    assert finding.status == "proved", finding.why
    assert finding.references and all(finding.references.values())


def _run(tmp_path: Path, mode: str) -> list[dict[str, Any]]:
    target = tmp_path / f"{mode}.json"
    command = f"{mode}={shlex.quote(sys.executable)} {shlex.quote(str(ADAPTER))} {mode}"
    options = ["run", "--quiet", "--no-interop", "--impl", "python", "--adapter", command, "--flow", FLOW.id]
    main([*options, "--json", str(target)], out=io.StringIO())
    return [c for c in json.loads(target.read_text())["cases"] if c["implementation"] == mode]


def test_an_adapter_that_accepts_every_hash_is_unsafe_on_every_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    cases = _run(tmp_path, "accept-every-hash")
    unsafe = {c["op"] for c in cases if c["verdict"] == "unsafe"}
    assert unsafe == {op.name for op in FLOW.ops if op.kind == "hmac_hex.verify"}
    security = {"WrongField", "TruncatedHash", "ModifiedHash", "EmptyHash", "WrongSecret", "WrongPlatformSecret"}
    assert all(set(c["flags"]) & (security | {"OtherIdentity"}) for c in cases if c["verdict"] == "unsafe")


def test_uppercase_hex_is_equivalent_on_web_and_fails_on_the_sdks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    for name in FLOW.references:
        require(name)
    cases = _run(tmp_path, "uppercase-hex")
    verdicts: dict[str, set[str]] = {}
    for case in cases:
        if case["result"] == "valid":
            verdicts.setdefault(case["op"], set()).add(case["verdict"])
    for trip in FLOW.round_trips:
        accept = catalog.op(trip.consumer_op).params["accept"]
        assert verdicts[trip.producer_op] == ({"equivalent"} if accept == "either-case" else {"fail"}), trip.variant
