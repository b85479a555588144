"""The vectors ship inside the built package, and an installed copy finds them without a path."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conformance import paths
from conformance.vectors import load_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("handoff_conformance-*.whl")
    return built


def test_wheel_holds_every_vector_file_and_schema(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    for source in sorted((ROOT / "vectors").glob("*.json")):
        assert f"conformance/_vectors/{source.name}" in names
    for schema in sorted((ROOT / "vectors" / "schemas").glob("*.json")):
        assert f"conformance/_vectors/schemas/{schema.name}" in names
    packaged = tmp_path / "conformance" / "_vectors"
    for path in sorted(packaged.glob("*.json")):
        assert load_file(path)["numberOfTests"] > 0
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(entry_points).decode()
    assert "conformance = conformance.cli:main" in text and "pytest11" in text


def test_installed_copy_falls_back_to_packaged_vectors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HANDOFF_VECTORS", raising=False)
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path)  # an installed copy: no checkout around the package
    assert paths.vectors_dir() == paths.PACKAGED_VECTORS
    monkeypatch.setenv("HANDOFF_VECTORS", str(tmp_path))
    assert paths.vectors_dir() == tmp_path
