"""Ships the project's data inside the package: ``vectors/`` (vector files, schemas, test keys, inputs) goes to
``conformance/_vectors/``; the generators stay behind."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_SUFFIXES = {".json", ".asc", ".md"}


def data_files() -> list[Path]:
    source = ROOT / "vectors"
    return sorted(
        path
        for path in source.rglob("*")
        if path.is_file() and path.suffix in DATA_SUFFIXES and "generators" not in path.relative_to(source).parts
    )


class BuildWithVectors(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "conformance" / "_vectors"
        for source in data_files():
            destination = target / source.relative_to(ROOT / "vectors")
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())


setup(cmdclass={"build_py": BuildWithVectors})
