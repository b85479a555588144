"""The redesign kept every verdict: every (implementation, vector) pair and every interop cell recorded before it
(tests/data/behaviour_before.json, by the harness at commit 61dd9fc) is answered the same way now.

Interop cells were keyed by names the catalog has since unified: an old flow name maps to a flow id and the round
trips (variants) that replaced it; the old PGP matrix's compression settings are the ``gnupg-sha512`` key set's
variants. Vectors and cells added since are not in the record and are not compared here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import registry, runner
from conformance.vectors import load_cases, vector_files
from tests.conftest import require

BEFORE = json.loads((Path(__file__).parent / "data" / "behaviour_before.json").read_text(encoding="utf-8"))
#: old interop flow name -> (flow id, variants that replaced it)
OLD_FLOWS = {
    "khoros-secure-transfer": ("khoros_secure_transfer", ("skep",)),
    "khoros-cryptor-gcm": ("khoros_cryptor", ("gcm",)),
    "khoros-cryptor-cbc": ("khoros_cryptor", ("cbc",)),
    "khoros-widget-jwt": ("khoros_widget_jwt", ("jwt",)),
    "talkative-signed-data": ("talkative_signed_data", ("es256",)),
    "thread-messenger": ("thread_messenger", ("hmac",)),
    "boldchat-sha512": ("boldchat_sha512", ("sha512",)),
    "boldchat-pgp": ("boldchat_pgp", tuple(f"gnupg-sha512/compression={c}" for c in ("default", "on", "off"))),
}
OLD_STATUS = {"ok": "pass", "fail": "fail", "unavailable": "unavailable"}
#: Verdicts that changed on purpose since the record, each with the decision behind it.
DECIDED_SINCE = {
    ("python", "boldchat_sha512#18"): (
        "deviation",
        "issue 12: the reference hashes an empty hashing key, the port refuses it; listed in DEVIATIONS.md and the "
        "vector marked acceptable",
    ),
    ("bc-current", "boldchat_pgp#50"): (
        "pass",
        "the port reads damaged armor as BouncyCastle current does, so the 'garbage' group's answers now come from "
        "bc-current (the vector is ReasonVaries and acceptable: BouncyCastle 1.50 names it differently)",
    ),
    ("bc150", "boldchat_pgp#50"): ("deviation", "the same decision, seen from BouncyCastle 1.50"),
}


@pytest.fixture(scope="module")
def record():  # type: ignore[no-untyped-def]
    names = registry.names()
    for name in names:
        require(name)
    implementations = [registry.shared(name) for name in names]
    return runner.run(load_cases(), implementations, vector_files=vector_files(), progress=False)


def test_every_recorded_case_verdict_is_unchanged(record) -> None:  # type: ignore[no-untyped-def]
    now = {(c.implementation, c.case_id): c.verdict for c in record.cases}
    before = {(impl, case_id): verdict for impl, cases in BEFORE["cases"].items() for case_id, verdict in cases.items()}
    assert len(before) > 9000
    expected = {**before, **{key: verdict for key, (verdict, _why) in DECIDED_SINCE.items()}}
    changed = {key: (verdict, now.get(key, "missing")) for key, verdict in expected.items() if now.get(key) != verdict}
    assert not changed, sorted(changed.items())[:20]
    assert all(before[key] != verdict for key, (verdict, _why) in DECIDED_SINCE.items()), "a decision nothing needs"


def test_every_recorded_interop_cell_is_unchanged(record) -> None:  # type: ignore[no-untyped-def]
    now = {(c.flow, c.variant, c.producer, c.consumer): c for c in record.interop}
    changed = []
    for old in BEFORE["interop"]:
        flow, variants = OLD_FLOWS[old["flow"]]
        for variant in variants:
            cell = now.get((flow, variant, old["producer"], old["consumer"]))
            if cell is None or cell.verdict != old["verdict"]:
                changed.append((old, cell))
    for old in BEFORE["pgpMatrix"]:
        key = ("boldchat_pgp", f"gnupg-sha512/compression={old['compression']}", old["producer"], old["consumer"])
        cell = now.get(key)
        if cell is None or cell.verdict != OLD_STATUS[old["status"]]:
            changed.append((old, cell))
    assert len(BEFORE["interop"]) == 42 and len(BEFORE["pgpMatrix"]) == 48
    assert not changed, changed[:10]
