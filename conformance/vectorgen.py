"""Building vector files from a live reference, deterministically, in the format of ``vectors/schemas``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.contract import Implementation, from_python_object
from conformance.errors import ConformanceError
from conformance.outcome import OpFunction


@dataclass
class VectorFileBuilder:
    """Accumulates groups and tests; the expected output of each test is whatever the reference answers."""

    scheme: str
    schema: str
    notes: dict[str, dict[str, str]]
    header: list[str] = field(default_factory=list)
    schema_version: str = "1"
    groups: list[dict[str, Any]] = field(default_factory=list)
    _next_id: int = 1

    def __post_init__(self) -> None:
        flow = catalog.flow(self.scheme)
        if self.schema != flow.schema_file:
            raise ConformanceError(f"the {flow.id} vectors are validated by {flow.schema_file}, not {self.schema}")

    def group(self, op: str, source: Mapping[str, str], comment: str = "") -> dict[str, Any]:
        group: dict[str, Any] = {"op": op, "source": dict(source), "tests": []}
        if comment:
            group["comment"] = comment
        self.groups.append(group)
        return group

    def add(
        self,
        group: dict[str, Any],
        reference: Implementation | Mapping[str, OpFunction],
        comment: str,
        flags: list[str],
        args: dict[str, Any],
        result: str | None = None,
        intermediate: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run ``group['op']`` on ``reference`` (an implementation, or an independent model's op table, both through
        the implementation contract) and record its answer.

        ``result`` defaults to valid/invalid.
        """
        unknown = [flag for flag in flags if flag not in self.notes]
        if unknown:
            raise ConformanceError(f"flags without a note: {unknown}")
        implementation = reference if isinstance(reference, Implementation) else from_python_object(reference)
        (outcome,) = implementation.call_many([(group["op"], args)])
        test: dict[str, Any] = {"tcId": self._next_id, "comment": comment, "flags": flags, "input": args}
        if outcome.status == "value":
            test["result"] = result or "valid"
            test["output"] = outcome.value
        elif outcome.status == "error":
            test["result"] = result or "invalid"
            test["error"] = outcome.reason
        else:
            raise ConformanceError(f"the reference could not answer {group['op']}: {outcome.describe()}")
        if intermediate:
            test["intermediate"] = intermediate
        self._next_id += 1
        group["tests"].append(test)
        return test

    def document(self) -> dict[str, Any]:
        groups = [g for g in self.groups if g["tests"]]
        ops = sorted({g["op"] for g in groups})
        return {
            "scheme": self.scheme,
            "op": ops,
            "schema": self.schema,
            "schemaVersion": self.schema_version,
            "numberOfTests": sum(len(g["tests"]) for g in groups),
            "header": self.header,
            "notes": self.notes,
            "testGroups": groups,
        }

    def render(self) -> str:
        """Stable text: sorted notes, two-space indent, ASCII only (lone surrogates as ``\\uXXXX`` escapes)."""
        return json.dumps(self.document(), indent=2, ensure_ascii=True, allow_nan=False) + "\n"

    def write(self, path: Path) -> None:
        Path(path).write_text(self.render(), encoding="utf-8")


def write_files(build_all: Callable[[], dict[str, str]], argv: list[str], default_dir: Path) -> int:
    """A generator's ``main``: write each ``{file name: text}`` to ``argv[1]`` or ``default_dir``."""
    out = Path(argv[1]) if len(argv) > 1 else default_dir
    for name, text in build_all().items():
        (out / name).write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {out / name}\n")
    return 0
