"""The adapter probes (conformance.audit.adapter_probes) against small adapters speaking the JSON-lines protocol:
a naive verifier (the mistakes), a strict one, the project's own port, a crashing and a missing one."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance import catalog
from conformance.audit import adapter_probes, probes_boldchat, probes_cryptor
from conformance.audit import talkative as talk
from conformance.audit.evidence import accepted
from conformance.audit.model import Finding
from conformance.contract import JsonLinesImplementation, adapter, from_python_object
from conformance.kinds.hmac_hex import probe_set
from conformance.registry import python_ops
from tests.conftest import require

ADAPTERS = Path(__file__).resolve().parent / "fixtures" / "adapters"
JWT, TALKATIVE, PAYLOAD, SKEP = (
    adapter_probes.JWT_OP,
    adapter_probes.TALKATIVE_OP,
    adapter_probes.PAYLOAD_OP,
    adapter_probes.SKEP_OP,
)


def statuses(findings: list[Finding]) -> dict[str, str]:
    return {f.id: f.status for f in findings}


@pytest.fixture
def started() -> Iterator[list[JsonLinesImplementation]]:
    made: list[JsonLinesImplementation] = []
    yield made
    for implementation in made:
        implementation.close()


def run_adapter(started: list[JsonLinesImplementation], name: str, script: str, *argv: str) -> list[Finding]:
    implementation = adapter(f"{name}={sys.executable} {ADAPTERS / script} {' '.join(argv)}", timeout=30)
    started.append(implementation)
    return adapter_probes.probe(implementation)


def test_the_naive_verifier_is_caught(started: list[JsonLinesImplementation]) -> None:
    findings = run_adapter(started, "naive", "token_verifier.py", "naive")
    assert statuses(findings) == {
        f"ADAPTER:naive:alg-none:{JWT}": "proved",
        f"ADAPTER:naive:wrong-kid:{JWT}": "proved",
        f"ADAPTER:naive:tampered-token:{JWT}": "refuted",
        f"ADAPTER:naive:alg-none:{TALKATIVE}": "proved",
        f"ADAPTER:naive:ecdsa-twin:{TALKATIVE}": "proved",
        f"ADAPTER:naive:tampered-token:{TALKATIVE}": "refuted",
        f"ADAPTER:naive:padding-oracle:{PAYLOAD}": "proved",
    }
    oracle = next(f for f in findings if "padding-oracle" in f.id)
    assert "BadPadding" in oracle.why and "NotJson" in oracle.why
    for f in findings:
        assert f.references == {"naive": {"protocol": "1"}}
        assert f.figures["queries"] > 0 and f.artifacts and f.mitigation and f.cwe.startswith("CWE-")


def test_the_strict_verifier_refutes_every_probe(started: list[JsonLinesImplementation]) -> None:
    findings = run_adapter(started, "strict", "token_verifier.py", "strict")
    assert len(findings) == 7
    assert set(statuses(findings).values()) == {"refuted"}


def test_the_builtin_port_refutes_all_but_the_twin_which_it_treats_as_jose_does(
    started: list[JsonLinesImplementation],
) -> None:
    require("node")
    findings = statuses(run_adapter(started, "port", "builtin_port.py"))
    twin = findings.pop(f"ADAPTER:port:ecdsa-twin:{TALKATIVE}")
    # skep.decrypt is the raw primitive: its BadPadding error is an oracle (see test_skep_decrypt_alone_...)
    assert findings.pop(f"ADAPTER:port:padding-oracle:{SKEP}") == "proved"
    kind_probes = sum(len(probes.attacks) for part in catalog.kind_parts() if (probes := part.probes()) is not None)
    thread_probes = len(probe_set(adapter_probes.THREAD_VERIFIER).attacks)
    seed = 6 + thread_probes  # JWT 3, Talkative 2 (the twin popped), payload padding oracle 1, Thread's verifier
    seed += sum(len(build().attacks) for build in {**probes_boldchat.PROBE_SETS, **probes_cryptor.PROBE_SETS}.values())
    seed += sum(len(make().attacks) for make in adapter_probes.SDK_PROBES.values())  # Stream's, Twilio's
    assert set(findings.values()) == {"refuted"} and len(findings) == seed + kind_probes  # and kinds' probes
    genuine = adapter_probes.talkative_probe_tokens()["genuine"]
    jose_twin = talk.jose_verify_many([talk.twin(genuine)])[0]
    assert twin == ("proved" if accepted(jose_twin) else "refuted")  # the port mirrors jose, malleability included


def test_only_declared_ops_are_probed() -> None:
    ops = python_ops()
    only_talkative = from_python_object({TALKATIVE: ops[TALKATIVE]}, label="mine")
    assert sorted(f.id for f in adapter_probes.probe(only_talkative)) == [
        f"ADAPTER:mine:{probe}:{TALKATIVE}" for probe in ("alg-none", "ecdsa-twin", "tampered-token")
    ]
    assert adapter_probes.probe(from_python_object({"thread.connection_key": ops["thread.connection_key"]})) == []


def test_skep_decrypt_alone_is_a_padding_oracle() -> None:
    skep_only = from_python_object({SKEP: python_ops()[SKEP]}, label="skep")
    (found,) = adapter_probes.probe(skep_only)
    assert found.id == f"ADAPTER:skep:padding-oracle:{SKEP}" and found.status == "proved"
    assert "BadPadding" in found.why


def test_a_crashing_adapter_gives_not_reproduced(started: list[JsonLinesImplementation]) -> None:
    findings = run_adapter(started, "crashy", "python_port.py", "crash-after", "0")
    assert findings and {f.status for f in findings} == {"not_reproduced"}
    assert all("could not answer" in f.why for f in findings)


def test_a_missing_adapter_gives_one_not_reproduced_finding(started: list[JsonLinesImplementation]) -> None:
    implementation = adapter("gone=/nonexistent/adapter --flag", timeout=5)
    started.append(implementation)
    (found,) = adapter_probes.probe(implementation)
    assert found.id == "ADAPTER:gone:unavailable" and found.status == "not_reproduced"


def test_a_verifier_that_refuses_the_genuine_token_proves_nothing() -> None:
    def refuse_everything(args: object) -> object:
        from conformance.errors import BadSignature

        raise BadSignature("no")

    findings = adapter_probes.probe(from_python_object({JWT: refuse_everything}, label="grumpy"))
    assert {f.status for f in findings} == {"not_reproduced"}
    assert all("refuses the genuine token" in f.why for f in findings)


def test_the_probe_inputs_are_what_they_claim() -> None:
    tokens = adapter_probes.jwt_probe_tokens()
    assert tokens["alg-none"].endswith(".") and tokens["wrong-kid"] != tokens["genuine"]
    assert tokens["tampered-token"].split(".")[2] == tokens["genuine"].split(".")[2]
    inputs = adapter_probes.padding_probe_inputs()
    assert len(inputs["bad-padding"]) == 4 and len(inputs["not-json"]) == 2
    assert all(iv != adapter_probes.IV_B64 for iv, _ in inputs["bad-padding"])


def _audit(tmp_path: Path, mode: str) -> tuple[int, str, dict[str, object], str]:
    """``conformance audit --flow thread_messenger --adapter mine=<thread_verifier.py mode>``: exit code, headline,
    JSON record, HTML."""
    import io
    import json
    import shlex

    from conformance.cli import main

    command = " ".join(shlex.quote(part) for part in (sys.executable, str(ADAPTERS / "thread_verifier.py"), mode))
    out = io.StringIO()
    paths = {kind: tmp_path / f"audit.{kind}" for kind in ("json", "html")}
    argv = ["audit", "--quiet", "--flow", "thread_messenger", "--adapter", f"mine={command}"]
    code = main([*argv, "--json", str(paths["json"]), "--html", str(paths["html"])], out=out)
    record = json.loads(paths["json"].read_text(encoding="utf-8"))
    return code, out.getvalue().strip(), record, paths["html"].read_text(encoding="utf-8")


def test_a_thread_verifier_that_accepts_truncated_keys_is_proved(tmp_path: Path) -> None:
    """Issue 18: Thread had no probe, and such a verifier read ``0 finding(s)``. The headline counts proved
    findings' severities only, and the HTML names the adapter and its command."""
    require("php")
    code, headline, record, html = _audit(tmp_path, "prefix")
    mine = {f["id"]: f for f in record["findings"] if str(f["id"]).startswith("ADAPTER:mine:")}  # type: ignore[union-attr]
    truncated = mine[f"ADAPTER:mine:truncated-hash:{adapter_probes.THREAD_OP}"]
    assert truncated["status"] == "proved" and truncated["severity"] == "high"
    assert {f["status"] for i, f in mine.items() if "truncated" not in i and "empty" not in i} == {"refuted"}
    assert mine[f"ADAPTER:mine:empty-hash:{adapter_probes.THREAD_OP}"]["status"] == "proved"  # "" is a prefix too
    proved = [f for f in record["findings"] if f["status"] == "proved"]  # type: ignore[union-attr]
    by_severity = record["headline"]["by_severity"]  # type: ignore[index]
    assert by_severity == {s: sum(f["severity"] == s for f in proved) for s in by_severity}
    assert code == 0 and headline.startswith("audit: ") and "no probe" not in headline
    assert "Adapter mine (" in html and "thread_verifier.py prefix" in html
    assert record["metadata"]["adapters"]["mine"]["probed"] == [adapter_probes.THREAD_OP]  # type: ignore[index]
    exact = _audit(tmp_path, "exact")[2]
    assert {f["status"] for f in exact["findings"] if str(f["id"]).startswith("ADAPTER:")} == {"refuted"}  # type: ignore[union-attr]


def test_an_adapter_whose_ops_have_no_probe_says_so_in_the_headline(tmp_path: Path) -> None:
    require("php")
    _, headline, record, _ = _audit(tmp_path, "signer")
    assert not [f for f in record["findings"] if str(f["id"]).startswith("ADAPTER:")]  # type: ignore[union-attr]
    assert record["metadata"]["adapters"]["mine"]["probed"] == []  # type: ignore[index]
    ops, no_probe = adapter_probes.coverage(["thread.connection_key", "stream.token.verify", JWT])
    assert (ops, no_probe) == ([JWT, "stream.token.verify"], []), "a producer has nothing to probe"
    assert "; adapter mine: none of its ops has a probe (thread.connection_key)" in headline, headline
    assert record["headline"]["unprobed"] == {"mine": ["thread.connection_key"]}  # type: ignore[index]
