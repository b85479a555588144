"""The vector generators reproduce the committed vector files byte for byte (expected outputs and the references'
versions alike), so a generator that stopped working or a reference whose version moved is seen here, not at the
next regeneration. The three slowest (khoros, boldchat_pgp, twilio_access_token: 20 to 60 s of JVM and SDK
calls) are left to ``nox -s vectors``; their files are checked against the live references by tests/test_vectors.py."""

from __future__ import annotations

import importlib

import pytest

from conformance import catalog
from conformance.paths import vectors_dir
from conformance.spec import built
from tests.conftest import require_reference

SLOW = {"khoros", "boldchat_pgp", "twilio_access_token"}
GENERATORS = sorted({flow.generator for flow in catalog.FLOWS} - SLOW)


@pytest.mark.parametrize("name", GENERATORS)
def test_the_generator_reproduces_its_committed_files(name: str) -> None:
    flows = [flow for flow in catalog.FLOWS if flow.generator == name]
    for flow in flows:
        for reference in flow.references:
            require_reference(reference, built(reference).unavailable)
    written = importlib.import_module(f"vectors.generators.{name}").build_all()
    assert written, f"{name} wrote nothing"
    for file_name, text in written.items():
        committed = (vectors_dir() / file_name).read_text(encoding="utf-8")
        assert text == committed, (
            f"vectors/{file_name} is not what its generator writes: python -m vectors.generators.{name}"
        )
