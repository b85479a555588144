"""Pinned environments (issue 18): ``constraints.txt`` pins every requirement ``pyproject.toml`` names, each pin
inside the range the project states, and every nox session installs with it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _pinner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pin_constraints", ROOT / "tools" / "pin_constraints.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            found[name.strip()] = version.strip()
    return found


def test_every_requirement_is_pinned_inside_its_range() -> None:
    pinner, pinned = _pinner(), pins()
    requirements = [Requirement(line) for line in pinner.project_requirements()]
    assert requirements
    for requirement in requirements:
        name = pinner.canonical(requirement.name)
        if name == pinner.canonical(pinner.PROJECT):
            continue
        assert name in pinned, f"constraints.txt does not pin {name} (python tools/pin_constraints.py)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (requirement, pinned[name])


def test_every_nox_session_installs_with_the_constraints() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    installs = [line for line in noxfile.splitlines() if "session.install(" in line]
    assert installs and all("*CONSTRAINTS" in line for line in installs), installs
