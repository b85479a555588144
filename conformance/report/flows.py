"""The flow table of the README, written from the catalog (``tests/test_catalog.py`` keeps the README current)."""

from __future__ import annotations

from conformance import catalog

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
