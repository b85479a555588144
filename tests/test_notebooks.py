"""The notebooks: exactly one per flow of the catalog, named by its id (``Flow.notebook``), besides the cross-flow
notebooks; each lists the references it needs in its metadata (``{"handoff": {"references": ["java", ...]}}``,
registry names), is stored without outputs, and runs top to bottom with nbclient. Each is authored as a jupytext
percent-format source, ``notebooks/<name>.pct.py``, paired with the ``.ipynb`` (``[tool.jupytext]`` in
``pyproject.toml``) and held in sync with it here. The inspect notebook, executed and rendered to HTML by nbconvert, is
screenshot in headless Chromium, and the picture is checked: each byte layer painted in its role's colour, each
diagnosis in its box, none where the artifact conforms."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from conformance import catalog, registry
from conformance.inspect import Diagnosis, Inspection, Layer, Segment
from conformance.inspect.display import COLOURS, CONFORMS_COLOUR, DIAGNOSIS_COLOUR, REFUSED_COLOUR, page
from conformance.inspect.model import Answer
from tests import browser
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Notebooks about more than one flow: the audit's findings, and running the harness against your own adapter.
CROSS_FLOW = frozenset({"audit.ipynb", "inspect.ipynb", "your_implementation.ipynb"})


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


def _source(notebook: Path) -> Path:
    return notebook.with_suffix(".pct.py")


def _sync_command(notebook: Path) -> str:
    return f"jupytext --sync notebooks/{_source(notebook).name}"


def test_every_notebook_has_its_percent_source_and_every_source_its_notebook() -> None:
    missing = [path.name for path in NOTEBOOKS if not _source(path).is_file()]
    assert not missing, "notebooks without their jupytext source; for each, run " + "; ".join(
        f"jupytext --sync notebooks/{name}" for name in missing
    )
    sources = sorted((ROOT / "notebooks").glob("*.py"))
    orphans = [
        path.name
        for path in sources
        if not path.name.endswith(".pct.py") or not path.with_suffix("").with_suffix(".ipynb").is_file()
    ]
    assert not orphans, "notebooks/*.py must be <name>.pct.py beside <name>.ipynb; make the notebook with " + "; ".join(
        f"jupytext --sync notebooks/{name}" for name in orphans
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_percent_source_and_the_notebook_are_in_sync(path: Path) -> None:
    if not _source(path).is_file():
        pytest.fail(f"notebooks/{path.name} has no source: run jupytext --sync notebooks/{path.name}")
    source = jupytext.read(_source(path))
    notebook = nbformat.read(path, as_version=4)
    cells = [(cell.cell_type, cell.source.rstrip()) for cell in source.cells]
    assert cells == [(cell.cell_type, cell.source.rstrip()) for cell in notebook.cells], (
        f"notebooks/{_source(path).name} and notebooks/{path.name} differ: after editing either, run "
        f"{_sync_command(path)} (it writes the older from the newer; then commit both)"
    )
    assert source.metadata.get("handoff") == notebook.metadata.get("handoff"), (
        f"the handoff metadata of the two differ: run {_sync_command(path)}"
    )


@functools.cache
def executed(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, executed top to bottom (once per test session), with its outputs."""
    notebook = nbformat.read(path, as_version=4)
    for name in _references(notebook) or []:
        require(name)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return notebook


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path) -> None:
    notebook = executed(path)
    errors = [
        o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors, errors


# --- the inspect notebook, seen in a browser ---------------------------------------------------------------------

#: What each ``.hc-inspect`` display of notebooks/inspect.ipynb must say, in order: the first diagnosis' flag,
#: "conforms", or None (no known mistake explains it).
INSPECT_NOTEBOOK = ("FormDecodedIv", "Aad", "WrongSecret", "DerSignature", "SwappedArguments", "conforms",
                    "PlusInData", "Expired", "Tampered", "SwappedSids", "DevTokenAuthOn", None)  # fmt: skip
#: Byte roles the notebook's layers must show between them.
INSPECT_ROLES = {"iv", "ciphertext", "tag", "header", "payload", "signature", "message", "hash", "data",
                 "armor"}  # fmt: skip
SELECTORS = {
    "section": ".hc-inspect",
    "banner": ".hc-inspect .banner",
    "bytes": ".hc-inspect .bytes span[class^='role-']",
    "secret": ".hc-inspect span.role-secret",
    "diagnosis": ".hc-inspect .diagnosis",
    "swatch": ".hc-inspect .swatch",
}
WINDOW_WIDTH = 1200


def _seen(html_page: Path, tmp_path: Path) -> tuple[dict[str, Any], browser.Picture]:
    """The page's measured elements and its screenshot, in one window tall enough for the whole page."""
    chromium = browser.require()
    height = browser.measure(chromium, html_page, {}, (WINDOW_WIDTH, 1000), tmp_path / "p1")["height"]
    window = (WINDOW_WIDTH, min(int(height) + 16, 30000))
    measured = browser.measure(chromium, html_page, SELECTORS, window, tmp_path / "p2")
    picture = browser.screenshot(chromium, html_page, window, tmp_path / "p3")
    assert picture.size == window, picture.size
    return measured, picture


def picture_problems(measured: dict[str, Any], picture: browser.Picture) -> list[str]:
    """What the screenshot shows wrong: a banner not in its verdict's colour, a byte span or a legend swatch not in
    its role's colour, a secret not in the secret's grey, a diagnosis not in its box with the refused colour's border,
    a diagnosis where the artifact conforms, or a refused artifact without one."""
    problems = []
    boxes = measured["boxes"]
    conforming = set()
    for index, banner in enumerate(boxes["banner"]):
        conforms = banner["text"].startswith("CONFORMS")
        colour = CONFORMS_COLOUR if conforms else REFUSED_COLOUR
        if conforms:
            conforming.add(banner["section"])
        if picture.share(banner["box"], colour) < 0.5:
            problems.append(f"banner {index} is not {colour}")
    for span in boxes["bytes"]:
        role = span["classes"].removeprefix("role-")
        colour = COLOURS.get(role, COLOURS["text"])
        if picture.share(span["box"], colour) < 0.4:
            top = picture.colours(span["box"]).most_common(1)
            problems.append(f"section {span['section']}: {role} bytes are {top}, not {colour}")
    for swatch in boxes["swatch"]:
        role = swatch["id"].removeprefix("legend-")
        colour = COLOURS.get(role, COLOURS["text"])
        if picture.share(swatch["box"], colour) < 0.9:
            problems.append(f"section {swatch['section']}: the legend's {role} is not {colour}")
    for span in boxes["secret"]:
        if picture.share(span["box"], COLOURS["secret"]) < 0.4:
            problems.append(f"section {span['section']}: a secret is not {COLOURS['secret']}")
    diagnosed = set()
    for box in boxes["diagnosis"]:
        diagnosed.add(box["section"])
        border = {**box["box"], "w": 6}
        if (
            picture.share(box["box"], DIAGNOSIS_COLOUR, inset=8) < 0.5
            or picture.share(border, REFUSED_COLOUR, 1, 0) < 0.9
        ):
            problems.append(f"section {box['section']}: a diagnosis is not drawn in its box")
    for section, box in enumerate(boxes["section"]):
        if section in conforming and picture.share(box["box"], DIAGNOSIS_COLOUR, 0, 0) > 0:
            problems.append(f"section {section} conforms but shows a diagnosis")
        if section not in conforming and section not in diagnosed:
            problems.append(f"section {section} is refused but shows no diagnosis")
    return problems


def _inspection(conforms: bool) -> Inspection:
    """A made-up inspection (no reference asked): it exercises the display, not the diagnosis."""
    layer = Layer("transfer", bytes(range(48)), (Segment(0, 16, "iv"), Segment(16, 44, "ciphertext"),
                                                   Segment(44, 48, "padding")))  # fmt: skip
    secret = Layer("key", secret={"bytes": 16, "sha256": "00" * 8})
    diagnosis = Diagnosis("FormDecodedIv", "a '+' became ' '", "BASE64", "the IV decodes", "percent-encode it")
    return Inspection("khoros.payload.decrypt", "khoros_secure_transfer", conforms,
                      (Answer("java", conforms, "ok" if conforms else "refused"),), (layer, secret),
                      () if conforms else (diagnosis,), (), ())  # fmt: skip


def test_the_picture_check_can_fail(tmp_path: Path) -> None:
    """On a page of one refused and one conforming inspection the check finds nothing; with the layers' colours
    swapped, the diagnosis box unpainted, or a diagnosis under the conforming one, it finds each."""
    right = page([_inspection(False), _inspection(True)])
    broken = {
        "colours": right.replace(COLOURS["iv"], "#010203"),
        "diagnosis": right.replace(".hc-inspect .diagnosis{background", ".hc-inspect .diagnosis{x"),
        "conforming": right.replace('<section id="inspection-1"><div class="hc-inspect">',
                                    '<section id="inspection-1"><div class="hc-inspect"><div class="diagnosis">x</div>'),
    }  # fmt: skip
    html_page = tmp_path / "right.html"
    html_page.write_text(right, encoding="utf-8")
    measured, picture = _seen(html_page, tmp_path)
    assert len(measured["boxes"]["bytes"]) == 6 and len(measured["boxes"]["diagnosis"]) == 1
    assert picture_problems(measured, picture) == []
    expected = {"colours": "iv bytes are", "diagnosis": "a diagnosis is not drawn", "conforming": "conforms but"}
    for name, text in broken.items():
        html_page = tmp_path / f"{name}.html"
        html_page.write_text(text, encoding="utf-8")
        found = picture_problems(*_seen(html_page, tmp_path / name))
        assert any(expected[name] in problem for problem in found), (name, found)


@pytest.mark.notebook
def test_inspect_notebook_screenshot(tmp_path: Path) -> None:
    """The inspect notebook, executed and rendered by nbconvert: in Chromium's screenshot each artifact's layers are
    painted in their roles' colours and each refused artifact's diagnosis is drawn; the DOM names the right flag."""
    from nbconvert import HTMLExporter

    notebook = executed(ROOT / "notebooks" / "inspect.ipynb")
    html_page = tmp_path / "inspect.html"
    html_page.write_text(HTMLExporter().from_notebook_node(notebook)[0], encoding="utf-8")
    measured, picture = _seen(html_page, tmp_path)
    boxes = measured["boxes"]
    assert len(boxes["section"]) == len(INSPECT_NOTEBOOK), [b["text"][:80] for b in boxes["banner"]]
    for section, expected in enumerate(INSPECT_NOTEBOOK):
        banner = boxes["banner"][section]["text"]
        first = next((b["text"] for b in boxes["diagnosis"] if b["section"] == section), "")
        if expected == "conforms":
            assert banner.startswith("CONFORMS"), banner
        elif expected is None:
            assert "no known mistake explains it" in banner and first.startswith("no known mistake"), (banner, first)
        else:
            assert banner.endswith(f"most likely {expected}") and first.startswith(f"1. {expected}"), (banner, first)
        assert any(s["section"] == section for s in boxes["bytes"]), f"section {section} shows no byte layer"
    roles = {s["classes"].removeprefix("role-") for s in boxes["bytes"]}
    assert roles >= INSPECT_ROLES, sorted(INSPECT_ROLES - roles)
    assert boxes["secret"], "the secrets are shown as their fingerprints"
    legends = [
        [s["id"] for s in boxes["swatch"] if s["section"] == section] for section in range(len(INSPECT_NOTEBOOK))
    ]
    assert all(len(set(legend)) == len(legend) > 0 for legend in legends), legends
    assert picture_problems(measured, picture) == []
