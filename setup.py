"""Ships the golden vectors inside the package: vectors/*.json and their schemas go to conformance/_vectors/."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithVectors(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "conformance" / "_vectors"
        for source in [
            *sorted((ROOT / "vectors").glob("*.json")),
            *sorted((ROOT / "vectors" / "schemas").glob("*.json")),
        ]:
            relative = source.relative_to(ROOT / "vectors")
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())


setup(cmdclass={"build_py": BuildWithVectors})
