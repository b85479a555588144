"""Ships the project's data inside the package, so an installed copy needs no checkout:

* ``vectors/`` (vector files, schemas, test keys, inputs; not the generators) -> ``conformance/_vectors/``;
* ``java_ref/`` (the poms, the Java sources and their provenance; not ``target/``) -> ``conformance/_java_ref/``;
* ``node_ref/`` (``package.json``, the lockfile and the server; not ``node_modules/``) -> ``conformance/_node_ref/``;
* ``node_sdk_ref/`` (the vendors' node SDKs: the same three files) -> ``conformance/_node_sdk_ref/``;
* ``ruby_ref/`` (the server script, run in place) -> ``conformance/_ruby_ref/``.

An installed copy builds the Java and node references from these on first use, in the user's cache
(``conformance/paths.py``).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_SUFFIXES = {".json", ".asc", ".md", ".pem"}
#: folder -> (where it goes in the package, the files and folders of it that ship)
SHIPPED = {
    "java_ref": ("_java_ref", ("pom.xml", "PROVENANCE.md", "src", "bcpg/pom.xml", "bcpg/src", "sdks/pom.xml")),
    "node_ref": ("_node_ref", ("package.json", "package-lock.json", "server.mjs")),
    "node_sdk_ref": ("_node_sdk_ref", ("package.json", "package-lock.json", "server.mjs")),
    "ruby_ref": ("_ruby_ref", ("server.rb",)),
}
#: Never shipped, wherever they appear: build outputs and installed dependencies.
EXCLUDED_PARTS = {"target", "node_modules", "__pycache__"}


def data_files() -> list[Path]:
    source = ROOT / "vectors"
    return sorted(
        path
        for path in source.rglob("*")
        if path.is_file() and path.suffix in DATA_SUFFIXES and "generators" not in path.relative_to(source).parts
    )


def shipped_files(folder: str) -> list[Path]:
    """The files of ``folder`` (``java_ref``, ``node_ref``, ``node_sdk_ref`` or ``ruby_ref``) that go into the package."""
    base = ROOT / folder
    found: list[Path] = []
    for entry in SHIPPED[folder][1]:
        path = base / entry
        found.extend([path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()))
    return [p for p in found if not EXCLUDED_PARTS & set(p.relative_to(base).parts)]


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        package = Path(self.build_lib) / "conformance"
        copies = [(source, package / "_vectors" / source.relative_to(ROOT / "vectors")) for source in data_files()]
        for folder, (target, _) in SHIPPED.items():
            copies += [
                (source, package / target / source.relative_to(ROOT / folder)) for source in shipped_files(folder)
            ]
        for source, destination in copies:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())


setup(cmdclass={"build_py": BuildWithData})
