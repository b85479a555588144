"""The reference-version matrix over the vendors' node SDKs: npm stream-chat 8 vs 9 and twilio 5 vs 6.

The vectors of ``stream_chat_token`` and ``twilio_access_token`` were made by the pinned node SDKs; the matrix runs
them under the previous major release of each too (an npm alias in ``node_sdk_ref``'s lockfile), one node process
per version.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import shutil
import subprocess
import urllib.parse
from typing import Any

import pytest

from conformance import catalog, judge, paths, versions
from conformance.contract import JsonLinesImplementation, OpTableImplementation
from conformance.errors import ReferenceFailure, ReferenceUnavailable
from conformance.jsonlines import JsonLinesProcess
from conformance.outcome import Outcome
from conformance.references import node_sdk
from conformance.report import versions as rendering
from conformance.vectors import VectorCase, load_cases
from tests.conftest import require_reference

#: versioned reference -> the flow whose vectors it answers
FLOWS = {"stream-chat": "stream_chat_token", "twilio": "twilio_access_token"}
ALL_CASES = load_cases()


def _cases(name: str) -> list[VectorCase]:
    return [c for c in ALL_CASES if versions.VERSIONED[name].accepts(c)]


def _implementations(name: str) -> dict[str, Any]:
    reference = versions.VERSIONED[name]
    return {version: reference.make(version) for version in reference.versions}


@pytest.fixture(scope="module")
def matrix() -> dict[str, Any]:
    require_reference("the vendors' node SDKs", node_sdk.available)
    try:
        return versions.run_version_matrix(ALL_CASES, references=tuple(FLOWS))
    except ReferenceUnavailable as exc:
        problem = str(exc)
        require_reference("the vendors' node SDKs", lambda: problem)
        raise


def _lock_version(package: str) -> str:
    lock = json.loads((paths.node_sdk_ref_dir() / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"][f"node_modules/{package}"]["version"]


def test_each_reference_runs_its_flows_node_sdk_ops() -> None:
    """The ops are those the pinned node SDK answers (its hello), of the flow's ops, and every version answers them."""
    require_reference("the vendors' node SDKs", node_sdk.available)
    for name, flow in FLOWS.items():
        reference = versions.VERSIONED[name]
        entry = catalog.flow(flow)
        assert reference.pinned in reference.versions and len(reference.versions) >= 2
        made = _implementations(name)
        assert made[reference.pinned].name in entry.references
        for version, implementation in made.items():
            assert implementation.ops() == reference.ops, (name, version)
        assert reference.ops <= set(entry.op_names)
        assert _cases(name), name


def test_each_node_process_loaded_exactly_its_version(matrix: dict[str, Any]) -> None:
    """Each version's hello reports, read from the files node loaded, that version (and the lockfile pins it)."""
    node = subprocess.run([shutil.which("node") or "node", "--version"], capture_output=True, text=True, check=True)
    for name in FLOWS:
        reference = versions.VERSIONED[name]
        entry = matrix[name]
        assert entry["versions"] == list(reference.versions)
        assert reference.loaded, name
        packages = set()
        for version in reference.versions:
            runtime = entry["summary"]["byVersion"][version]["runtime"]
            for key in reference.loaded:
                assert runtime[key] == version, (name, version, key)
            assert _lock_version(runtime["package"]) == version
            assert runtime["node"] == node.stdout.strip().removeprefix("v")
            assert runtime["jsonwebtoken"]
            packages.add(runtime["package"])
        assert len(packages) == len(reference.versions), f"{name}: two versions ran the same package"


def test_a_process_that_loaded_another_version_stops_the_run() -> None:
    """The pinned SDK's process standing in for the previous release: its hello betrays it and the run stops."""
    require_reference("the vendors' node SDKs", node_sdk.available)
    reference = versions.VERSIONED["stream-chat"]
    pinned = reference.make(reference.pinned)
    impostor = dataclasses.replace(reference, make=lambda _version: pinned)
    old = next(v for v in reference.versions if v != reference.pinned)
    with pytest.raises(ReferenceFailure, match=f"stream-chat {old}: the runtime loaded stream-chat {reference.pinned}"):
        versions.run_reference(impostor, _cases("stream-chat")[:3], (old,))


def test_pinned_version_reproduces_every_vector(matrix: dict[str, Any]) -> None:
    for name in FLOWS:
        entry = matrix[name]
        cases = _cases(name)
        pinned = entry["summary"]["byVersion"][versions.VERSIONED[name].pinned]
        assert entry["summary"]["cases"] == len(cases)
        assert pinned["differsFromVectors"] == []
        assert pinned["matchesVectors"] == len(cases)
        assert pinned["statuses"].keys() <= {"value", "error"}


def test_findings_are_the_vectors_whose_answers_differ(matrix: dict[str, Any]) -> None:
    """Recomputed here from each version's own answers: the findings list exactly the vectors whose answers differ
    between versions, each in the record's shape; the previous release differs from the vectors exactly there."""
    for name in FLOWS:
        reference = versions.VERSIONED[name]
        cases = _cases(name)
        got = {
            version: implementation.call_many([(c.op, c.input) for c in cases])
            for version, implementation in _implementations(name).items()
        }
        differing = [
            c.case_id
            for i, c in enumerate(cases)
            if any(not judge.same(got[reference.pinned][i], answers[i]) for answers in got.values())
        ]
        entry = matrix[name]
        assert [f["case_id"] for f in entry["findings"]] == differing
        for finding in entry["findings"]:
            assert finding["reference"] == name
            assert set(finding["answers"]) == set(reference.versions)
            answers = [Outcome.from_record(answer) for answer in finding["answers"].values()]
            assert any(not judge.same(answers[0], other) for other in answers[1:]), finding
            assert entry["details"][finding["case_id"]]["op"] in reference.ops
        for version, answers in got.items():
            off = [
                c.case_id for c, a in zip(cases, answers, strict=True) if not judge.same(judge.expected_outcome(c), a)
            ]
            assert entry["summary"]["byVersion"][version]["differsFromVectors"] == off, (name, version)


def test_transitions_and_text(matrix: dict[str, Any]) -> None:
    text = rendering.format_text(matrix)
    for name in FLOWS:
        entry = matrix[name]
        changed = sorted(f["case_id"] for f in entry["findings"])
        old, new = entry["versions"]
        steps = {(s["from"], s["to"]): s["changed"] for s in entry["summary"]["transitions"]}
        assert list(steps) == [(old, new)]
        assert sorted(steps[(old, new)]) == changed
        said = {0: "0 inputs change.", 1: "this 1 input changes:"}.get(
            len(changed), f"these {len(changed)} inputs change:"
        )
        assert f"If the vendor upgrades {name} from {old} to {new}, {said}" in text
        assert f"{name} {old}: reproduces {len(_cases(name)) - len(changed)} of {len(_cases(name))} vectors" in text


# --- the clock: the SDKs' answers must not depend on when they run --------------------------------------------------

#: node run with its clock stopped at these instants (ms): before the vectors' fixed clock, and far after it
FROZEN_AT = (0, 4_102_444_800_000)


def _frozen_clock(at: int) -> str:
    """A module for ``node --import``: ``Date.now()`` and ``new Date()`` answer ``at`` (the ops' own ``now`` still
    overrides ``Date.now`` during a call)."""
    script = (
        "const D = globalThis.Date;"
        f"globalThis.Date = class extends D {{ constructor(...a) {{ super(...(a.length ? a : [{at}])); }}"
        f" static now() {{ return {at}; }} }};"
    )
    return "data:text/javascript," + urllib.parse.quote(script, safe="")


def test_answers_do_not_depend_on_the_wall_clock() -> None:
    """Every version reproduces its ops' vectors with node's clock stopped in 1970 and in 2100: no op reads the
    wall clock beyond what the vectors fix (Twilio's ``now``; Stream signs with noTimestamp)."""
    require_reference("the vendors' node SDKs", node_sdk.available)
    for name in FLOWS:
        cases = _cases(name)
        for version, implementation in _implementations(name).items():
            assert isinstance(implementation, JsonLinesImplementation)
            usual = implementation.process()
            for at in FROZEN_AT:
                argv = [usual.argv[0], "--import", _frozen_clock(at), *usual.argv[1:]]
                process = JsonLinesProcess(argv, cwd=usual.cwd, name=f"{usual.name}@{at}")
                try:
                    outcomes = process.call_many([(c.op, c.input) for c in cases])
                finally:
                    process.close()
                wrong = [
                    f"{c.case_id}: {o.describe()}"
                    for c, o in zip(cases, outcomes, strict=True)
                    if not judge.same(judge.expected_outcome(c), o)
                ]
                assert not wrong, f"{name} {version}, clock at {at} ms:\n" + "\n".join(wrong[:10])


def test_the_frozen_clock_is_seen_by_an_op_that_reads_it() -> None:
    """The check above can fail: Twilio's op without its ``now`` reads the stopped clock (iat, exp, jti follow it)."""
    require_reference("the vendors' node SDKs", node_sdk.available)
    case = next(c for c in _cases("twilio") if c.input.get("now") and not c.expects_error)
    usual = versions.VERSIONED["twilio"].make(versions.VERSIONED["twilio"].pinned).process()
    at = FROZEN_AT[1]
    process = JsonLinesProcess([usual.argv[0], "--import", _frozen_clock(at), *usual.argv[1:]], cwd=usual.cwd)
    try:
        outcome = process.call(case.op, {**case.input, "now": None})
    finally:
        process.close()
    assert outcome.status == "value", outcome.describe()
    payload = outcome.value.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["iat"] == at // 1000 != case.input["now"]
    assert claims["jti"].endswith(f"-{at // 1000}")


# --- the doc and the missing reference ---------------------------------------------------------------------------------


def test_doc_shows_the_current_findings(matrix: dict[str, Any]) -> None:
    """docs/reference-versions.md holds these references' tables (refresh with
    ``conformance versions --reference NAME --write-doc``)."""
    doc = rendering.doc_path().read_text(encoding="utf-8")
    for name in FLOWS:
        single = {name: matrix[name]}
        rows = [line for line in rendering.format_markdown(single).splitlines() if line.startswith("| ")]
        missing = [row for row in rows if row not in doc]
        assert not missing, f"docs/reference-versions.md is stale for {name}; run conformance versions --write-doc"
        summary = matrix[name]["summary"]
        shown = ", ".join(f"{v} (pinned)" if v == summary["pinned"] else v for v in matrix[name]["versions"])
        assert f"{summary['cases']} vectors, versions {shown};" in doc, name


def test_update_doc_keeps_the_other_references(tmp_path: Any) -> None:
    """Writing one reference's tables replaces its own section only, in place, and appends a new one last."""
    reference = versions.VersionedReference(
        name="demo",
        versions=("a", "b"),
        pinned="a",
        ops=frozenset({"demo.echo"}),
        make=lambda version: OpTableImplementation(
            "demo", lambda: {"demo.echo": lambda args: args["x"] * (1 if version == "a" else 2)}, validate=False
        ),
    )
    cases = [VectorCase("demo.json", "demo", "demo.echo", 1, "", (), {"x": "ab"}, "valid", "ab", None, {})]
    entry = versions.run_reference(reference, cases)
    other = "### other\n\n| from | to | inputs that change |\n|---|---|---|\n| 1 | 2 | 0: none |"
    doc = tmp_path / "doc.md"
    doc.write_text(f"intro\n\n{rendering.DOC_BEGIN}\n{other}\n{rendering.DOC_END}\n\nafter\n", encoding="utf-8")
    rendering.update_doc({"demo": entry}, doc)
    first = doc.read_text(encoding="utf-8")
    assert first.startswith("intro\n\n") and first.endswith("\n\nafter\n")
    assert other in first and first.index(other) < first.index("### demo")
    assert "| a | b | 1: `demo#1` |" in first
    rendering.update_doc({"demo": entry}, doc)
    assert doc.read_text(encoding="utf-8") == first


def test_a_version_that_cannot_start_is_unavailable() -> None:
    """A version whose node process cannot start (no such SDK in node_sdk_ref) stops the matrix as *unavailable*, the
    exception the matrix fixture turns into require_reference's skip (a failure in CI)."""
    require_reference("the vendors' node SDKs", node_sdk.available)
    node = shutil.which("node") or "node"
    gone = JsonLinesImplementation(
        "stream-node-7", lambda: JsonLinesProcess([node, "server.mjs", "stream-7"], cwd=paths.node_sdk_ref_dir())
    )
    reference = dataclasses.replace(
        versions.VERSIONED["stream-chat"],
        versions=("7.0.0",),
        pinned="7.0.0",
        make=lambda _version: gone,
        prepare=lambda _version: None,  # found out when it is called, not before
    )
    with pytest.raises(ReferenceUnavailable, match=re.escape("stream-chat 7.0.0:")):
        versions.run_reference(reference, _cases("stream-chat")[:2])
