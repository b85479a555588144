"""The vector files: schema-valid, every flag explained, and exactly what their generators produce today."""

from __future__ import annotations

import importlib
import json
import pkgutil
import warnings
from pathlib import Path

import pytest

import vectors.generators
from conformance import catalog
from conformance.errors import VectorFileError
from conformance.paths import vectors_dir
from conformance.vectors import load_file, vector_files
from tests.conftest import require, require_reference

FILES = vector_files()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_is_schema_valid_and_flags_are_explained(path: Path) -> None:
    document = load_file(path)
    used = {flag for group in document["testGroups"] for test in group["tests"] for flag in test["flags"]}
    assert used <= set(document["notes"]), f"flags without a note: {used - set(document['notes'])}"
    ids = [test["tcId"] for group in document["testGroups"] for test in group["tests"]]
    assert len(ids) == len(set(ids)), "tcIds must be unique"


def test_schema_error_names_file_and_json_path(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for schema in (vectors_dir() / "schemas").glob("*.json"):
        (schemas / schema.name).write_text(schema.read_text())
    document = json.loads((vectors_dir() / "khoros_cryptor.json").read_text())
    document["testGroups"][0]["tests"][1]["result"] = "maybe"
    broken = tmp_path / "khoros_cryptor.json"
    broken.write_text(json.dumps(document))
    with pytest.raises(VectorFileError, match=r"khoros_cryptor\.json: \$\.testGroups\[0\]\.tests\[1\]"):
        load_file(broken)


def test_non_json_file_is_a_typed_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    with pytest.raises(VectorFileError, match="not valid JSON"):
        load_file(bad)


GENERATORS = sorted({entry.generator for entry in catalog.FLOWS})


def test_every_generator_module_is_named_by_the_catalog() -> None:
    modules = {info.name for info in pkgutil.iter_modules(vectors.generators.__path__) if not info.name.startswith("_")}
    assert modules == set(GENERATORS)


@pytest.mark.parametrize("generator", GENERATORS)
def test_generator_reproduces_committed_files(generator: str) -> None:
    module = importlib.import_module(f"vectors.generators.{generator}")
    for name in {n for entry in catalog.FLOWS if entry.generator == generator for n in entry.references}:
        require(name)
    for name, text in module.build_all().items():
        committed = (vectors_dir() / name).read_text(encoding="utf-8")
        if text == committed:
            continue
        drift = _version_only_drift(json.loads(committed), json.loads(text))
        assert drift, f"{name} differs from what its generator produces: run `nox -s vectors`"
        warnings.warn(f"{name}: same outputs, but the reference's versions differ: {drift}", stacklevel=1)


def _version_only_drift(committed: dict, regenerated: dict) -> list[str]:
    """The source fields that differ, when they are the *only* difference (a patched reference, same answers)."""
    sources_old = [group.pop("source") for group in committed["testGroups"]]
    sources_new = [group.pop("source") for group in regenerated["testGroups"]]
    if committed != regenerated or len(sources_old) != len(sources_new):
        return []
    changes = {
        f"{key}: {old.get(key)} -> {new.get(key)}"
        for old, new in zip(sources_old, sources_new, strict=True)
        for key in set(old) | set(new)
        if old.get(key) != new.get(key)
    }
    return sorted(changes)


def test_java_reference_is_reported_unavailable_not_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import conftest

    monkeypatch.setattr(conftest, "STRICT", False)
    with pytest.raises(pytest.skip.Exception, match="unavailable"):
        require_reference("nothing", lambda: "not installed")
    monkeypatch.setattr(conftest, "STRICT", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        conftest.require_reference("nothing", lambda: "not installed")
