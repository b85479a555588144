"""The adapter probes of BoldChat's and Khoros Cryptor's consumer ops (conformance.audit.probes_boldchat,
probes_cryptor): the project's port refutes every one, a deliberately unsafe adapter gets each proved."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance import catalog
from conformance.audit import adapter_probes, probes_boldchat, probes_cryptor
from conformance.audit.model import Finding
from conformance.contract import JsonLinesImplementation, adapter
from conformance.registry import python_ops
from tests import test_audit_adapters

ADAPTERS = Path(__file__).resolve().parent / "fixtures" / "adapters"
SETS = {**probes_boldchat.PROBE_SETS, **probes_cryptor.PROBE_SETS}
FIVE = sorted(SETS)
#: The fixture that closes the adapters a test started.
started = test_audit_adapters.started
FAMILIES = {
    "boldchat_consumer.py": sorted(probes_boldchat.PROBE_SETS),
    "cryptor_decrypt.py": sorted(probes_cryptor.PROBE_SETS),
}


def probed(started: list[JsonLinesImplementation], script: str, mode: str) -> dict[str, Finding]:
    implementation = adapter(f"{mode}={sys.executable} {ADAPTERS / script} {mode}", timeout=60)
    started.append(implementation)
    return {f.id: f for f in adapter_probes.probe(implementation)}


def expected_ids(mode: str, ops: list[str]) -> set[str]:
    return {f"ADAPTER:{mode}:{name}:{op}" for op in ops for name in SETS[op]().attacks}


def test_the_five_ops_are_the_catalogs_consumers() -> None:
    assert FIVE == [
        "boldchat.pgp.open",
        "boldchat.sha512.verify",
        "boldchat.validator.launch",
        "khoros.cryptor.decrypt_cbc",
        "khoros.cryptor.decrypt_gcm",
    ]
    assert all(catalog.op(op).consumes for op in FIVE)


@pytest.mark.parametrize("script", sorted(FAMILIES))
def test_the_port_refutes_every_probe(started: list[JsonLinesImplementation], script: str) -> None:
    findings = probed(started, script, "port")
    assert set(findings) == expected_ids("port", FAMILIES[script])
    assert {f.status for f in findings.values()} == {"refuted"}, {i: f.why for i, f in findings.items()}
    for finding in findings.values():
        assert "answered accepted" not in finding.why  # the refusal is named (its reason, or "refused")
        assert finding.artifacts["input"] and finding.artifacts["genuine"] and finding.cwe.startswith("CWE-")


@pytest.mark.parametrize("script", sorted(FAMILIES))
def test_an_unsafe_adapter_gets_every_probe_proved(started: list[JsonLinesImplementation], script: str) -> None:
    findings = probed(started, script, "lax")
    assert set(findings) == expected_ids("lax", FAMILIES[script])
    assert {f.status for f in findings.values()} == {"proved"}, {i: f.why for i, f in findings.items()}
    for finding in findings.values():
        assert "answered accepted" in finding.why and finding.figures["queries"] > 1
        assert finding.severity in ("critical", "high", "medium", "low") and finding.mitigation


def test_a_latin1_verifier_lets_only_the_length_extension_through(started: list[JsonLinesImplementation]) -> None:
    findings = probed(started, "boldchat_consumer.py", "latin1")
    statuses = {i.split(":")[2]: f.status for i, f in findings.items()}
    assert statuses.pop("length-extension") == "proved"
    assert set(statuses) == set(probes_boldchat.sha512_probes().attacks) - {"length-extension"}
    assert set(statuses.values()) == {"refuted"}


@pytest.mark.parametrize("op", FIVE)
def test_the_reference_port_accepts_the_genuine_input_and_refuses_each_attack(op: str) -> None:
    """The rule behind ``proved``: every attack is one the port refuses, its genuine input one it accepts."""
    probes, call, decide = SETS[op](), python_ops()[op], catalog.op(op).decisions
    assert all(decide(call(probes.genuine)))
    for name, args in probes.attacks.items():
        try:
            answered = all(decide(call(args)))
        except Exception:  # a typed refusal
            answered = False
        assert not answered, f"the port accepts the {name} input of {op}"
        assert set(probes.meta[name][1:2]) <= {"critical", "high", "medium", "low"}


def test_coverage_lists_no_op_of_the_five_without_probes() -> None:
    with_probes, without = adapter_probes.coverage(catalog.op_names())
    assert set(FIVE) <= set(with_probes) and not set(FIVE) & set(without)


def test_the_probe_inputs_are_what_they_claim() -> None:
    gcm = probes_cryptor.gcm_probes()
    genuine = bytes.fromhex(gcm.genuine["value"])
    assert len(bytes.fromhex(gcm.attacks["truncated-tag"]["value"])) == len(genuine) - 4
    assert gcm.attacks["zero-tag"]["value"].endswith("00" * 16) and gcm.attacks["dropped-aad"]["aad"] is None
    assert len(bytes.fromhex(gcm.attacks["longer-iv"]["iv"])) == 16 and len(bytes.fromhex(gcm.genuine["iv"])) == 12
    cbc = probes_cryptor.cbc_probes()
    assert len(bytes.fromhex(cbc.attacks["short-iv"]["iv"])) == 8
    sha = probes_boldchat.sha512_probes()
    assert sha.attacks["appended-params"]["secureParameters"].startswith(sha.genuine["secureParameters"])
    launches = probes_boldchat.validator_probes()
    assert launches.attacks["replay"]["launches"] == launches.genuine["launches"] * 2
