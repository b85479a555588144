"""The vectors ship inside the built package, and an installed copy finds them without a path."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance import paths
from conformance.vectors import load_file
from tests.conftest import build_wheel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_holds_every_vector_file_and_schema(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    for source in sorted((ROOT / "vectors").glob("*.json")):
        assert f"conformance/_vectors/{source.name}" in names
    for schema in sorted((ROOT / "vectors" / "schemas").glob("*.json")):
        assert f"conformance/_vectors/schemas/{schema.name}" in names
    for key in sorted((ROOT / "vectors" / "keys").rglob("*.*")):
        assert f"conformance/_vectors/{key.relative_to(ROOT / 'vectors').as_posix()}" in names, "the test keys ship"
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


# --- the references ship as sources and are unpacked into the user's cache -----------------------------------------


def _checkout_files(folder: str, entries: tuple[str, ...]) -> set[str]:
    base = ROOT / folder
    found = set()
    for entry in entries:
        path = base / entry
        paths_here = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        found |= {p.relative_to(base).as_posix() for p in paths_here if "target" not in p.relative_to(base).parts}
    return found


def test_wheel_ships_the_reference_sources_and_no_build_output(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    java = {n.removeprefix("conformance/_java_ref/") for n in names if n.startswith("conformance/_java_ref/")}
    node = {n.removeprefix("conformance/_node_ref/") for n in names if n.startswith("conformance/_node_ref/")}
    expected_java = _checkout_files(
        "java_ref", ("pom.xml", "PROVENANCE.md", "src", "bcpg/pom.xml", "bcpg/src", "sdks/pom.xml")
    )
    assert java == expected_java
    assert {"pom.xml", "bcpg/pom.xml", "src/main/java/dev/handoff/ref/JStrings.java"} <= java
    assert any(n.startswith("bcpg/src/main/java/") for n in java)
    assert node == {"package.json", "package-lock.json", "server.mjs"}
    sdks = {n.removeprefix("conformance/_node_sdk_ref/") for n in names if n.startswith("conformance/_node_sdk_ref/")}
    assert sdks == {"package.json", "package-lock.json", "server.mjs"}
    assert not [n for n in names if "/target/" in n or "node_modules" in n]


@pytest.fixture
def installed_copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """This process as an installed copy: no checkout around the package, packaged sources in ``tmp_path``."""
    for name in ("HANDOFF_JAVA_REF", "HANDOFF_NODE_REF", "HANDOFF_VECTORS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path / "site-packages")
    packaged = tmp_path / "package"
    for target in ("_java_ref", "_node_ref"):
        (packaged / target).mkdir(parents=True)
    (packaged / "_java_ref" / "pom.xml").write_text("<project/>", encoding="utf-8")
    (packaged / "_java_ref" / "src").mkdir()
    (packaged / "_java_ref" / "src" / "A.java").write_text("class A {}", encoding="utf-8")
    (packaged / "_node_ref" / "package.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGED_JAVA_REF", packaged / "_java_ref")
    monkeypatch.setattr(paths, "PACKAGED_NODE_REF", packaged / "_node_ref")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    paths.unpacked.cache_clear()
    yield packaged
    paths.unpacked.cache_clear()


def test_installed_copy_unpacks_the_references_into_the_user_cache(installed_copy: Path, tmp_path: Path) -> None:
    java = paths.java_ref_dir()
    assert java == tmp_path / "cache" / "handoff-conformance" / paths.package_version() / "java_ref"
    assert (java / "src" / "A.java").read_text(encoding="utf-8") == "class A {}"
    assert (paths.node_ref_dir() / "package.json").is_file()
    (java / "target").mkdir()  # a build output survives while the packaged sources stay the same
    paths.unpacked.cache_clear()
    assert paths.java_ref_dir() == java and (java / "target").is_dir()
    (installed_copy / "_java_ref" / "src" / "A.java").write_text("class A { int changed; }", encoding="utf-8")
    paths.unpacked.cache_clear()
    assert "changed" in (paths.java_ref_dir() / "src" / "A.java").read_text(encoding="utf-8")
    assert not (java / "target").exists(), "a new package's sources are built afresh"


def test_environment_overrides_and_the_xdg_rules(
    installed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOFF_JAVA_REF", str(tmp_path / "mine"))
    assert paths.java_ref_dir() == tmp_path / "mine"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not absolute: ignored, as the XDG spec says
    assert paths.cache_dir().parent.parent == Path.home() / ".cache"


def test_checkout_uses_its_folders_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HANDOFF_JAVA_REF", "HANDOFF_NODE_REF"):
        monkeypatch.delenv(name, raising=False)
    assert paths.java_ref_dir() == ROOT / "java_ref"
    assert paths.node_ref_dir() == ROOT / "node_ref"


MAVEN_COMPILE_FAILURE = """\x1b[0m\x1b[0m[ERROR] COMPILATION ERROR :
[ERROR] /x/src/main/java/A.java:[1,24] illegal start of expression
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on \
project handoff-java-ref: Compilation failure
[ERROR] -> [Help 1]
[ERROR]
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
"""
MAVEN_OFFLINE = (
    "[ERROR] Failed to execute goal on project handoff-java-ref: Could not resolve dependencies for project "
    "dev.handoff:handoff-java-ref:jar:1: Could not transfer artifact commons-codec:commons-codec:jar:1.22.1 "
    + "from/to central: repo.maven.apache.org "
    * 20
)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (MAVEN_COMPILE_FAILURE, "/x/src/main/java/A.java:[1,24] illegal start of expression"),
        (MAVEN_OFFLINE, "Failed to execute goal on project handoff-java-ref: Could not resolve dependencies"),
        ("npm warn old lockfile\nnpm error code ENOTFOUND\nnpm error A complete log of this run", "code ENOTFOUND"),
        ("", "no output"),
    ],
)
def test_a_failed_build_is_one_line_with_its_key_line(output: str, expected: str) -> None:
    from conformance.references.building import REASON_LIMIT, summary

    line = summary(output)
    assert line.startswith(expected) or line == expected, line
    assert "\n" not in line and "\x1b" not in line and len(line) <= REASON_LIMIT
