"""The layering holds: ``algorithms/`` imports nothing from ``netsim/`` or ``analysis/``, and no
module imports itself back through others (no import cycles), counting imports made at run time
(those under ``if TYPE_CHECKING:`` are for type checkers only)."""

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).parents[1]
PACKAGES = ("algorithms", "netsim", "analysis")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text())
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for child in ast.walk(statement)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    return {name for name in found if name in modules}


def import_graph() -> nx.DiGraph:
    paths = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    modules = {module_name(path) for path in paths}
    graph = nx.DiGraph()
    for path in paths:
        source = module_name(path)
        graph.add_node(source)
        for target in runtime_imports(path, modules) - {source}:
            if not source.startswith(target + "."):  # a module's own package is imported first
                graph.add_edge(source, target)
    return graph


def test_algorithms_import_nothing_from_the_simulator_or_the_analysis():
    graph = import_graph()
    crossing = [
        (source, target)
        for source, target in graph.edges
        if source.startswith("algorithms") and target.split(".")[0] in ("netsim", "analysis")
    ]
    assert crossing == []


def test_no_module_imports_itself_back_through_others():
    graph = import_graph()
    cycles = [cycle for cycle in nx.simple_cycles(graph) if len(cycle) > 1]
    assert cycles == [], cycles[:3]
