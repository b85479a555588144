"""Write ``constraints.txt``: every distribution that ``handoff-conformance[dev]`` needs, pinned to the version
installed here (``python tools/pin_constraints.py``). The nox sessions install with ``-c constraints.txt``, as
pyca/cryptography does, so a fresh machine runs the versions the suite was last checked with.

Returns nothing; exits 1 with one line when a requirement of the project is not installed here.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
PROJECT = "handoff-conformance"
HEADER = (
    "# Written by tools/pin_constraints.py from the environment the suite last passed in; nox installs with -c.\n"
    "# Regenerate (and rerun the suite) to move a pin: python tools/pin_constraints.py\n"
)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements() -> list[str]:
    """The project's requirements as ``pyproject.toml`` states them (each extra's marked ``extra == "name"``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines += [f'{line} ; extra == "{extra}"' for line in requirements]
    return lines


def closure(root: str, extras: tuple[str, ...]) -> dict[str, str]:
    """Every distribution ``root[extras]`` needs here, transitively: canonical name -> installed version."""
    found: dict[str, str] = {}
    pending: list[tuple[str, tuple[str, ...]]] = [(root, extras)]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while pending:
        name, wanted = pending.pop()
        if (canonical(name), wanted) in seen:
            continue
        seen.add((canonical(name), wanted))
        if canonical(name) == canonical(root):
            lines = project_requirements()
        else:
            distribution = metadata.distribution(name)
            found[canonical(name)] = distribution.version
            lines = distribution.requires or []
        for line in lines:
            requirement = Requirement(line)
            markers = [{"extra": extra} for extra in (*wanted, "")]
            if requirement.marker is not None and not any(requirement.marker.evaluate(m) for m in markers):
                continue
            if canonical(requirement.name) == canonical(root):
                pending.append((root, tuple(sorted(requirement.extras))))
                continue
            pending.append((requirement.name, tuple(sorted(requirement.extras))))
    return found


def main() -> int:
    try:
        pins = closure(PROJECT, ("dev",))
    except metadata.PackageNotFoundError as exc:
        sys.stderr.write(f"pin_constraints: {exc.name} is not installed here (pip install -e '.[dev]' first)\n")
        return 1
    CONSTRAINTS.write_text(HEADER + "".join(f"{name}=={pins[name]}\n" for name in sorted(pins)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
