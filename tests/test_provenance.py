"""The vendor's Java must stay as published: recorded hashes, and byte-for-byte agreement with the seed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

JAVA_REF = Path(__file__).resolve().parents[1] / "java_ref"
SEED = JAVA_REF.parents[1] / "shared" / "seeds" / "001_143f91f2e6ef410a.txt"
sys.path.insert(0, str(JAVA_REF))

import provenance  # noqa: E402


def _recorded_hashes() -> dict[str, str]:
    text = (JAVA_REF / "PROVENANCE.md").read_text(encoding="utf-8")
    return {Path(path).stem: digest for path, digest in re.findall(r"\| `([^`]+\.java)` \| `([0-9a-f]{64})` \|", text)}


@pytest.mark.parametrize("name", sorted(provenance.VENDOR_FILES))
def test_vendor_file_matches_recorded_hash(name: str) -> None:
    recorded = _recorded_hashes()
    assert name in recorded, f"PROVENANCE.md records no hash for {name}"
    source = provenance.vendor_path(name).read_text(encoding="utf-8")
    assert provenance.normalized_sha256(source) == recorded[name], f"{name}.java drifted from the published source"


@pytest.mark.parametrize("name", sorted(provenance.VENDOR_FILES))
def test_only_the_package_line_was_added(name: str) -> None:
    source = provenance.vendor_path(name).read_text(encoding="utf-8")
    first, _, _rest = source.partition("\n")
    assert first == f"package {provenance.VENDOR_FILES[name][0]};"
    if SEED.exists():
        assert source == provenance.extract(SEED.read_text(encoding="utf-8"), name)


def test_normalization_detects_a_real_change() -> None:
    source = provenance.vendor_path("Cryptor").read_text(encoding="utf-8")
    assert provenance.normalized_sha256(source) == provenance.normalized_sha256(source.replace("    ", "\t"))
    assert provenance.normalized_sha256(source) != provenance.normalized_sha256(source.replace("128", "96"))
