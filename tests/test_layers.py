"""The layers of ``conformance`` point one way: the order is the table in ``docs/ARCHITECTURE.md`` (read here, so it
is written once), and every import of every module, function-level ones included, is checked against it.

* every module belongs to a layer of the table (a new module is placed there first);
* no module imports one of a layer above its own (``if TYPE_CHECKING:`` imports included);
* the groups of a layer marked *independent* import nothing of each other (the port and the references);
* above the registry, a reference is reached only through the registry (``registry.shared``, ``registry.bridge``);
* no import cycle among the modules. Type-only imports never run, so they are held to the order but not to this.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "conformance"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN, END = "<!-- layers:begin", "<!-- layers:end -->"
REFERENCES = "conformance.references"


@dataclass(frozen=True)
class Layer:
    rank: int
    name: str
    groups: tuple[str, ...]
    independent: bool


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    type_only: bool


def layers() -> list[Layer]:
    """The table between the layer markers of ``docs/ARCHITECTURE.md``, lowest layer first."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    assert 0 <= start < end, f"docs/ARCHITECTURE.md lost its layer table ({BEGIN} ... {END})"
    found = []
    for row in text[start:end].splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0][:1].isdigit():
            continue
        rank, name = cells[0].split(" ", 1)
        names = re.findall(r"`([\w.]+)`", cells[1])
        groups = tuple(name if name == "conformance" else f"conformance.{name}" for name in names)
        found.append(Layer(int(rank), name.strip(), groups, "independent" in cells[2]))
    assert [layer.rank for layer in found] == list(range(1, len(found) + 1)), "layers are numbered 1, 2, ... upwards"
    return found


def modules() -> dict[str, Path]:
    """Every module of the package, dotted name -> file."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _targets(name: str, is_package: bool, node: ast.AST, known: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        for alias in node.names:
            yield f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix
    elif (
        isinstance(node, ast.Call)
        and ast.unparse(node.func) in ("importlib.import_module", "import_module", "__import__")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        yield node.args[0].value


def edges() -> list[Edge]:
    """Every import of a ``conformance`` module by another, wherever it is written (module or function level, and
    ``importlib.import_module`` of a literal name)."""
    known = modules()
    found = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        type_only = _type_checking_lines(tree)
        for node in ast.walk(tree):
            for named in _targets(name, path.name == "__init__.py", node, known):
                target = named
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in known and target != name and target.startswith("conformance"):
                    line = getattr(node, "lineno", 0)
                    found.append(Edge(name, target, line, line in type_only))
    return list(dict.fromkeys(found))


def _group(name: str, table: list[Layer]) -> tuple[Layer, str] | None:
    """The layer and group of module ``name``: the longest group that is the module or one of its packages."""
    matches = [
        (len(group), layer, group)
        for layer in table
        for group in layer.groups
        if name == group or (group != "conformance" and name.startswith(group + "."))
    ]
    if not matches:
        return None
    _, layer, group = max(matches, key=lambda match: match[0])
    return layer, group


def _where(edge: Edge) -> str:
    return f"{edge.source} imports {edge.target} (line {edge.line})"


def test_every_module_is_in_a_layer() -> None:
    table = layers()
    homeless = [name for name in modules() if _group(name, table) is None]
    assert not homeless, f"place these modules in the layer table of docs/ARCHITECTURE.md: {homeless}"


def test_no_module_imports_one_of_a_layer_above_it() -> None:
    table = layers()
    upward = []
    for edge in edges():
        (source, _), (target, _) = _group(edge.source, table) or (None, ""), _group(edge.target, table) or (None, "")
        if source is not None and target is not None and target.rank > source.rank:
            upward.append(f"{_where(edge)}: layer {source.rank} {source.name} -> {target.rank} {target.name}")
    assert not upward, "\n".join(upward)


def test_the_groups_of_an_independent_layer_import_nothing_of_each_other() -> None:
    table = layers()
    crossing = []
    for edge in edges():
        source, target = _group(edge.source, table), _group(edge.target, table)
        if source and target and source[0] == target[0] and source[0].independent and source[1] != target[1]:
            crossing.append(_where(edge))
    assert not crossing, "\n".join(crossing)


def test_above_the_registry_references_are_reached_only_through_it() -> None:
    table = layers()
    registry_layer = _group("conformance.registry", table)
    assert registry_layer is not None
    past = [
        _where(edge)
        for edge in edges()
        if (edge.target == REFERENCES or edge.target.startswith(REFERENCES + "."))
        and (source := _group(edge.source, table)) is not None
        and source[0].rank > registry_layer[0].rank
    ]
    assert not past, "ask registry.shared(name) or registry.bridge(name) instead:\n" + "\n".join(past)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as the modules along it, or ``None``."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycle_lazy_imports_included() -> None:
    graph: dict[str, set[str]] = {}
    for edge in edges():
        if not edge.type_only:
            graph.setdefault(edge.source, set()).add(edge.target)
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("graph", "cyclic"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
        ({"a": {"a"}}, True),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], cyclic: bool) -> None:
    assert (_cycle(graph) is not None) is cyclic


def test_function_level_and_relative_imports_are_seen(tmp_path: Path) -> None:
    source = "def late():\n    from conformance.report import notebook\n    import conformance.results\n"
    tree = ast.parse(source)
    known = {"conformance.report": Path(), "conformance.report.notebook": Path(), "conformance.results": Path()}
    found = [t for node in ast.walk(tree) for t in _targets("conformance.judge", False, node, known)]
    assert found == ["conformance.report.notebook", "conformance.results"]
    relative = ast.parse("from . import headline\nfrom .. import judge\n")
    known = {"conformance.report.headline": Path(), "conformance.judge": Path()}
    found = [t for node in ast.walk(relative) for t in _targets("conformance.report.html", False, node, known)]
    assert found == ["conformance.report.headline", "conformance.judge"]
