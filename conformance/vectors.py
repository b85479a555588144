"""Load vector files and validate each against its JSON Schema, with errors that name the file and JSON path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conformance.errors import VectorFileError
from conformance.paths import vectors_dir


@dataclass(frozen=True)
class VectorCase:
    """One test of one group of one file, with what the group shares folded in."""

    file: str
    scheme: str
    op: str
    tc_id: int
    comment: str
    flags: tuple[str, ...]
    input: dict[str, Any]
    result: str
    output: Any
    error: str | None
    source: dict[str, str]
    bug_types: tuple[str, ...] = ()  # the bugType of each flag, from the file's notes

    @property
    def flow(self) -> str:
        """The flow id: the vector file's stem."""
        return Path(self.file).stem

    @property
    def case_id(self) -> str:
        return f"{Path(self.file).stem}#{self.tc_id}"

    @property
    def expects_error(self) -> bool:
        return self.error is not None


@lru_cache(maxsize=4)
def _registry(schema_dir: Path) -> Registry:
    resources = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def _json_path(parts: Any) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def load_file(path: Path, schema_dir: Path | None = None) -> dict[str, Any]:
    """Read one vector file and validate it against the schema it names. Raises :class:`VectorFileError`."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VectorFileError(f"{path}: no such vector file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VectorFileError(f"{path}: not valid JSON: {exc}") from None
    schema_dir = schema_dir or path.parent / "schemas"
    name = document.get("schema") if isinstance(document, dict) else None
    if not isinstance(name, str) or not (schema_dir / name).is_file():
        raise VectorFileError(f"{path}: $.schema must name a schema in {schema_dir}, got {name!r}")
    registry = _registry(schema_dir.resolve())
    schema = registry.contents(name)
    validator = Draft202012Validator(schema, registry=registry)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise VectorFileError(
            f"{path}: {_json_path(first.absolute_path)}: {first.message[:300]} ({len(errors)} schema error(s))"
        )
    counted = sum(len(group["tests"]) for group in document["testGroups"])
    if counted != document["numberOfTests"]:
        raise VectorFileError(f"{path}: $.numberOfTests is {document['numberOfTests']} but the file holds {counted}")
    return document


def vector_files(directory: Path | None = None) -> list[Path]:
    directory = Path(directory or vectors_dir())
    if not directory.is_dir():
        raise VectorFileError(f"{directory}: no such vectors directory")
    return sorted(directory.glob("*.json"))


def iter_cases(path: Path) -> Iterator[VectorCase]:
    document = load_file(path)
    notes = document["notes"]
    for group in document["testGroups"]:
        for test in group["tests"]:
            yield VectorCase(
                file=str(path),
                scheme=document["scheme"],
                op=group["op"],
                tc_id=test["tcId"],
                comment=test["comment"],
                flags=tuple(test["flags"]),
                input=test["input"],
                result=test["result"],
                output=test.get("output"),
                error=test.get("error"),
                source=group["source"],
                bug_types=tuple(notes[flag]["bugType"] for flag in test["flags"] if flag in notes),
            )


def load_cases(directory: Path | None = None) -> list[VectorCase]:
    """Every case of every vector file in ``directory`` (the project's vectors by default)."""
    return [case for path in vector_files(directory) for case in iter_cases(path)]
