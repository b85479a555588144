"""The files written from the catalog: never edit them by hand. ``python -m conformance.catalog.write`` rewrites them;
``tests/test_catalog.py`` fails when one is stale (:func:`stale`).

* ``vectors/schemas/ops.schema.json``: the argument schema of every op of a kind (``$defs/<op>``), derived from the
  kind; hand-written ops keep the schemas written there;
* ``vectors/schemas/outputs.schema.json``: the output schema of every op of a kind, likewise;
* ``vectors/schemas/<flow>.schema.json``: every flow's vector schema: the common parts, its id, its ops, and for each
  op its input (``ops.schema.json``), output, intermediate values and error reasons (``outputs.schema.json``);
* the flow table of ``README.md`` (:func:`readme_block`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.arguments import require_instance, require_mapping, require_path, require_str
from conformance.catalog.model import Flow
from conformance.errors import UsageError
from conformance.paths import kind_of, schemas_dir

OPS_FILE, OUTPUTS_FILE = "ops.schema.json", "outputs.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _dump(document: Any, *, indent: int = 2) -> str:
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def _read(name: str) -> dict[str, Any]:
    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))


def ops_document() -> dict[str, Any]:
    """``ops.schema.json`` with the ``$defs`` of every op of a kind derived from its kind (in catalog order, after
    the hand-written ones)."""
    document = _read(OPS_FILE)
    derived = {found.op: found.schema() for found in catalog.kind_parts()}
    kept = {name: schema for name, schema in document["$defs"].items() if name not in derived}
    document["$defs"] = {**kept, **derived}
    return document


def outputs_document() -> dict[str, Any]:
    """``outputs.schema.json`` with the output schema of every op of a kind derived from its kind."""
    document = _read(OUTPUTS_FILE)
    derived = {found.op: found.kind.output_schema(found.params) for found in catalog.kind_parts()}
    kept = {name: schema for name, schema in document["$defs"].items() if name.split(":")[0] not in derived}
    document["$defs"] = dict(sorted({**kept, **derived}.items()))
    return document


def flow_schema(entry: Flow, outputs: dict[str, Any]) -> dict[str, Any]:
    """The vector schema of ``entry``: every part of it comes from the catalog and the two op schema files. Raises
    :class:`InvalidArgument` for an entry that is not a Flow or outputs that are not a mapping."""
    require_instance(entry, "entry", Flow)
    require_mapping(outputs, "outputs")
    names = list(entry.op_names)
    cases = []
    for name in names:
        test: dict[str, Any] = {"input": {"$ref": f"{OPS_FILE}#/$defs/{name}"}}
        for suffix, key in (("", "output"), (":intermediate", "intermediate"), (":error", "error")):
            if f"{name}{suffix}" in outputs:
                test[key] = {"$ref": f"{OUTPUTS_FILE}#/$defs/{name}{suffix}"}
        cases.append(
            {
                "if": {"properties": {"op": {"const": name}}, "required": ["op"]},
                "then": {"properties": {"tests": {"items": {"properties": test}}}},
            }
        )
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": entry.schema_file,
        "title": f"{entry.title}: vectors (written from the catalog by conformance.catalog.write)",
        "allOf": [
            {"$ref": "common.schema.json"},
            {
                "properties": {
                    "scheme": {"const": entry.id},
                    "op": {"items": {"enum": names}},
                    "testGroups": {
                        "items": {
                            "properties": {"op": {"enum": names}, "source": {"required": ["name", "implementation"]}},
                            "allOf": cases,
                        }
                    },
                }
            },
        ],
    }


BEGIN = "<!-- flows:begin (written from conformance.catalog; tests/test_catalog.py checks it) -->"
END = "<!-- flows:end -->"


def flow_table() -> str:
    """One row per flow: id (its vector file, notebook and --flow), title, Python module, ops (with their kind),
    references."""
    rows = [
        "| flow id (`--flow`, `vectors/<id>.json`, `notebooks/<id>.ipynb`) | what | Python | ops | reference(s) |",
        "|---|---|---|---|---|",
    ]
    for entry in catalog.FLOWS:
        module = f"`{entry.python_module.rsplit('.', 1)[-1]}`" if entry.python_module else "its kinds"
        ops = ", ".join(f"`{op.name}` ({op.kind})" if op.kind else f"`{op.name}`" for op in entry.ops)
        references = ", ".join(entry.references) or "the rules model in `vectors/generators/_boldchat_rules.py`"
        rows.append(f"| `{entry.id}` | {entry.title} | {module} | {ops} | {references} |")
    return "\n".join(rows)


def readme_block() -> str:
    return f"{BEGIN}\n{flow_table()}\n{END}"


def readme_text(text: str) -> str:
    """``text`` (the README) with its flow table written from the catalog. Raises :class:`InvalidArgument` for what
    is not a str."""
    require_str(text, "text")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return text
    return text[:start] + readme_block() + text[end + len(END) :]


def expected(readme: Path | None = None) -> dict[Path, str]:
    """Every file written from the catalog, path -> the text it must hold (the README's only when ``readme`` is a
    regular file). Raises :class:`InvalidArgument` for a readme that is not a path, :class:`UsageError` for one
    that cannot be read as UTF-8 text."""
    if readme is not None:
        readme = require_path(readme, "readme")
    outputs = outputs_document()
    files = {
        schemas_dir() / OPS_FILE: _dump(ops_document(), indent=1),
        schemas_dir() / OUTPUTS_FILE: _dump(outputs),
    }
    for entry in catalog.FLOWS:
        files[schemas_dir() / entry.schema_file] = _dump(flow_schema(entry, outputs["$defs"]))
    if readme is not None and kind_of(readme) == "file":
        try:
            text = readme.read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise UsageError(f"readme {readme}: cannot be read as UTF-8 text ({type(exc).__name__})") from None
        files[readme] = readme_text(text)
    return files


def stale(readme: Path | None = None) -> list[Path]:
    """The files whose text differs from what the catalog writes. Raises as :func:`expected` does."""
    return [
        path
        for path, text in expected(readme).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def _main(argv: list[str] | None = None) -> int:
    """``python -m conformance.catalog.write``: rewrite every stale file; print one line per file written."""
    args = sys.argv[1:] if argv is None else argv
    readme = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "README.md"
    for path, text in expected(readme).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
