"""Load vector files and validate each against its JSON Schema, with errors that name the file and JSON path.

Every failure is a :class:`~conformance.errors.VectorFileError` (or an ``InvalidArgument`` for a path argument of the
wrong type). Messages name the file and the JSON path of the problem, never a value: vector values can hold keys.
Files are bounded: at most :data:`MAX_FILE_BYTES` bytes and :data:`MAX_DEPTH` levels of nesting.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import CannotDetermineSpecification, Unresolvable

from conformance.arguments import require_path
from conformance.errors import VectorFileError
from conformance.paths import kind_of, vectors_dir

#: The largest vector (or schema) file read; the project's largest is under 1 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The deepest nesting of arrays and objects a vector file may have; the project's files nest about 10 deep.
MAX_DEPTH = 64
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


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
    notes: tuple[str, ...] = ()  # what each flag means, from the file's notes: "Flag: description (BUG_TYPE)"

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


def _depth_exceeds(document: Any, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` (iteratively: no recursion on hostile input)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def _read_json(path: Path, what: str = "vector file") -> Any:
    """The JSON document in the regular file ``path``, bounded in size and depth. Raises :class:`VectorFileError`."""
    return _read_document(path, what)[0]


def _read_document(path: Path, what: str = "vector file") -> tuple[Any, str]:
    """The JSON document in the regular file ``path`` and the SHA-256 of its bytes (hex). Raises
    :class:`VectorFileError` as :func:`_read_json` does."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise VectorFileError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise VectorFileError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(info.st_mode):
        raise VectorFileError(f"{path}: is a directory, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise VectorFileError(f"{path}: is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise VectorFileError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VectorFileError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VectorFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VectorFileError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise VectorFileError(f"{path}: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # a number with more digits than Python converts
        raise VectorFileError(f"{path}: not valid JSON ({type(exc).__name__}: a number out of range)") from None
    if _depth_exceeds(document, MAX_DEPTH):
        raise VectorFileError(f"{path}: nested deeper than {MAX_DEPTH} levels")
    return document, hashlib.sha256(data).hexdigest()


# (SHA-256 of a file's bytes, the schema folder) pairs already found valid in this process: the schemas are read once
# per folder (``_registry``), so the same bytes against the same folder give the same answer, and the project's
# vectors, loaded by many callers, are validated once.
_VALIDATED: set[tuple[str, Path]] = set()


@lru_cache(maxsize=4)
def _registry(schema_dir: Path) -> Registry:
    resources = []
    try:
        schema_files = sorted(schema_dir.glob("*.schema.json"))
    except OSError as exc:
        raise VectorFileError(f"{schema_dir}: cannot be listed ({exc.strerror or type(exc).__name__})") from None
    for path in schema_files:
        contents = _read_json(path, "schema file")
        try:
            resources.append((path.name, Resource.from_contents(contents)))
        except (CannotDetermineSpecification, TypeError, AttributeError):
            raise VectorFileError(f"{path}: not a JSON Schema (no $schema dialect)") from None
    return Registry().with_resources(resources)


def _json_path(parts: Any) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _shown(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= limit else text[:limit] + "..."


def _problem(error: ValidationError) -> str:  # noqa: PLR0911 (a decision table)
    """What the schema error says, in the schema's words only: the offending value is never quoted."""
    rule, expected, instance = error.validator, error.validator_value, error.instance
    if rule == "type":
        return f"must be of type {_shown(expected)}"
    if rule == "required" and isinstance(instance, dict):
        missing = [name for name in expected if name not in instance]
        return f"misses the required property {_shown(missing[0] if missing else expected)}"
    if rule == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [name for name in instance if name not in allowed]
        names = [name for name in extra if _NAME.fullmatch(name)]
        listed = f": {', '.join(names[:5])}" if names and len(names) == len(extra) else ""
        return f"holds {len(extra)} propert{'y' if len(extra) == 1 else 'ies'} the schema does not allow{listed}"
    if rule in ("enum", "const"):
        return f"must be {'one of ' if rule == 'enum' else ''}{_shown(expected)}"
    if rule in ("oneOf", "anyOf"):
        return "matches none, or more than one, of the forms the schema allows"
    if rule == "not":
        return "matches a form the schema forbids"
    return f"fails the schema's {rule!r} rule ({_shown(expected, 80)})"


@lru_cache(maxsize=64)
def _validator(schema_dir: Path, name: str) -> Draft202012Validator:
    """The checked validator of the schema ``name`` in the folder ``schema_dir`` (resolved). Raises
    :class:`VectorFileError` for an unreadable folder, jsonschema's and referencing's errors for a bad schema."""
    registry = _registry(schema_dir)
    schema = registry.contents(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def _validate(path: Path, document: Any, schema_dir: Path, digest: str) -> None:
    """Checks ``document`` (whose bytes have the SHA-256 ``digest``) against its schema in ``schema_dir``, once per
    process for the same bytes and folder. Raises :class:`VectorFileError`."""
    name = document.get("schema") if isinstance(document, dict) else None
    if not isinstance(name, str) or not _NAME.fullmatch(name) or kind_of(schema_dir / name) != "file":
        raise VectorFileError(f"{path}: $.schema must name a schema file in {schema_dir}")
    folder = schema_dir.resolve()
    if (digest, folder) in _VALIDATED:
        return
    try:
        validator = _validator(folder, name)
        errors = sorted(
            validator.iter_errors(document), key=lambda e: [(isinstance(p, str), p) for p in e.absolute_path]
        )
    except (SchemaError, Unresolvable, LookupError):
        raise VectorFileError(f"{path}: the schema {name} in {schema_dir} cannot be used") from None
    except RecursionError:
        raise VectorFileError(f"{path}: the schema {name} recurses without end") from None
    if errors:
        first = errors[0]
        raise VectorFileError(
            f"{path}: {_json_path(first.absolute_path)}: {_problem(first)} ({len(errors)} schema error(s))"
        )
    _VALIDATED.add((digest, folder))


def load_file(path: Path, schema_dir: Path | None = None) -> dict[str, Any]:
    """Read one vector file and validate it against the schema it names (in ``schema_dir``, by default the
    ``schemas`` folder beside the file). Returns the document.

    Raises :class:`VectorFileError` for a file that is missing, not a regular file, too large, not UTF-8 JSON,
    nested too deeply or not valid against its schema; ``InvalidArgument`` for a path of the wrong type.
    """
    path = require_path(path, "path")
    schema_dir = require_path(schema_dir, "schema_dir") if schema_dir is not None else path.parent / "schemas"
    document, digest = _read_document(path)
    _check_schema_name(path, document)
    _validate(path, document, schema_dir, digest)
    counted = sum(len(group["tests"]) for group in document["testGroups"])
    if counted != document["numberOfTests"]:
        raise VectorFileError(f"{path}: $.numberOfTests is {document['numberOfTests']} but the file holds {counted}")
    _check_against_catalog(path, document)
    return document


def _own_flow(path: Path) -> Any:
    """The catalog's flow that ``path`` is the vector file of, or ``None``."""
    from conformance import catalog

    return catalog.flow(path.stem) if path.stem in catalog.flow_ids() else None


def _check_schema_name(path: Path, document: Any) -> None:
    """A file named after a flow names that flow's schema (another flow's schema could pass the file's content)."""
    own = _own_flow(path)
    name = document.get("schema") if isinstance(document, dict) else None
    if own is not None and isinstance(name, str) and name != own.schema_file:
        raise VectorFileError(f"{path}: $.schema names another file's schema; {path.name} takes {own.schema_file}")


def _check_against_catalog(path: Path, document: dict[str, Any]) -> None:
    """What a schema cannot say: every group's op is one of the flow's ops (of the catalog's, for a file of
    another name), and no tcId repeats. Raises :class:`VectorFileError` naming the JSON path."""
    from conformance import catalog

    own = _own_flow(path)
    ops = set(own.op_names if own is not None else catalog.op_names())
    seen: set[int] = set()
    for g, group in enumerate(document["testGroups"]):
        if group["op"] not in ops:
            where = f"an op of {own.id}" if own is not None else "an op of the catalog"
            raise VectorFileError(f"{path}: $.testGroups[{g}].op is not {where}")
        for t, test in enumerate(group["tests"]):
            if test["tcId"] in seen:
                raise VectorFileError(f"{path}: $.testGroups[{g}].tests[{t}].tcId repeats an earlier test's tcId")
            seen.add(test["tcId"])


def vector_files(directory: Path | None = None) -> list[Path]:
    """The ``*.json`` files of ``directory`` (the project's vectors by default), sorted.

    Raises :class:`VectorFileError` when it is not a directory; ``InvalidArgument`` for a path of the wrong type.
    """
    directory = require_path(directory, "directory") if directory is not None else vectors_dir()
    kind = kind_of(directory)
    if kind == "file":
        raise VectorFileError(f"{directory}: is a file, not a vectors directory")
    if kind != "directory":
        raise VectorFileError(f"{directory}: no such vectors directory")
    try:
        return sorted(path for path in directory.glob("*.json") if kind_of(path) != "directory")
    except OSError as exc:
        raise VectorFileError(f"{directory}: cannot be listed ({exc.strerror or type(exc).__name__})") from None


def _flag_note(flag: str, note: dict[str, Any]) -> str:
    description = " ".join(str(note.get("description", "")).split())
    return (
        f"{flag}: {description} ({note.get('bugType', '')})" if description else f"{flag} ({note.get('bugType', '')})"
    )


def iter_cases(path: Path) -> Iterator[VectorCase]:
    """The cases of one vector file. Raises as :func:`load_file` does (when iteration starts)."""
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
                notes=tuple(_flag_note(flag, notes[flag]) for flag in test["flags"] if flag in notes),
            )


def load_cases(directory: Path | None = None) -> list[VectorCase]:
    """Every case of every vector file in ``directory`` (the project's vectors by default).

    Raises as :func:`vector_files` and :func:`load_file` do.
    """
    return [case for path in vector_files(directory) for case in iter_cases(path)]
