"""The notebooks: exactly one per flow of the catalog, named by its id (``Flow.notebook``), besides the cross-flow
notebooks; each lists the references it needs in its metadata (``{"handoff": {"references": ["java", ...]}}``,
registry names), is stored without outputs, and runs top to bottom with nbclient. The Khoros notebooks are what
``tools/make_khoros_notebook.py`` writes."""

from __future__ import annotations

import runpy
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conformance import catalog, registry
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Notebooks about more than one flow: the audit's findings, and running the harness against your own adapter.
CROSS_FLOW = frozenset({"audit.ipynb", "your_implementation.ipynb"})


def _references(notebook: nbformat.NotebookNode) -> list[str]:
    return notebook.metadata.get("handoff", {}).get("references")


def test_one_notebook_per_flow() -> None:
    names = {path.name for path in NOTEBOOKS}
    per_flow = {flow.notebook for flow in catalog.FLOWS}
    assert not per_flow & CROSS_FLOW
    assert sorted(per_flow - names) == [], "flows without their notebook"
    assert sorted(names - per_flow - CROSS_FLOW) == [], "notebooks that are neither a flow's nor cross-flow"
    assert names - CROSS_FLOW == per_flow


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_declares_references_and_has_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    references = _references(notebook)
    assert isinstance(references, list), "metadata.handoff.references must be a list of registry names"
    assert set(references) <= set(registry.reference_names()), sorted(set(references) - set(registry.reference_names()))
    flow = next((f for f in catalog.FLOWS if f.notebook == path.name), None)
    if flow is not None:
        assert set(flow.references) <= set(references), "a flow's notebook needs the references of its flow"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook runs something"
    assert all(not cell.outputs and cell.execution_count is None for cell in code), "commit notebooks stripped"


def test_khoros_notebooks_are_what_the_tool_writes() -> None:
    tool = runpy.run_path(str(ROOT / "tools" / "make_khoros_notebook.py"))
    assert set(tool["NOTEBOOKS"]) == {"khoros_secure_transfer.ipynb", "khoros_cryptor.ipynb"}
    for name in tool["NOTEBOOKS"]:
        assert (ROOT / "notebooks" / name).read_text(encoding="utf-8") == tool["render"](name), (
            f"run python tools/make_khoros_notebook.py: notebooks/{name} differs from its tool"
        )


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for name in _references(notebook) or []:
        require(name)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    errors = [
        o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors, errors
