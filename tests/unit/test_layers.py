"""The import structure of kg/ (DESIGN.md, decision 0020): no import cycles, and no arrow that
points up the layers: read and map know nothing of each other (records are the hand-off), check
writes nothing, nothing under build imports publish or export (they read a finished build), and
only `python -m kg` imports the CLI.

Read from the source with `ast`, so a function-level import counts as much as one at the top.
"""

from __future__ import annotations

import ast
from functools import cache, lru_cache
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "kg"

# (importing layer, imported layer): arrows that must not exist. A layer is the first name under
# kg/ (`kg.build.run` is in `build`; `kg.records` is a layer of its own).
FORBIDDEN = {
    ("read", "map"): "read knows no RDF: records are the hand-off to map",
    ("map", "read"): "map takes records, never files: records are the hand-off from read",
    ("check", "write"): "check writes nothing: validation.ttl is kg.write.validation's",
    ("build", "publish"): "publish reads a finished build; it never runs inside one",
    ("report", "publish"): "the build writes the report: it must not pull in publish",
    ("report", "build"): "the build calls the report, not the other way round",
    ("write", "build"): "writers take outcomes; they do not run the build",
    ("export", "build"): "exports are views of a finished build; they never run one",
    ("build", "export"): "exports read a finished build; they never run inside one",
}
ENTRY_POINTS = {"kg.__main__"}  # the only modules that may import kg.cli


def module_name(relative: Path) -> str:
    """`kg.build.run` for build/run.py (a path under kg/)."""
    parts = ["kg", *relative.with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(relative: Path, source: str, modules: set[str]) -> set[str]:
    """The modules of kg/ that the file imports (`from kg.x import y` is kg.x.y when y is a module)."""
    found = {child if child in modules else base for base, child in _named(relative, source)}
    return {m for m in found if m in modules and m != module_name(relative)}


@cache
def _named(relative: Path, source: str) -> tuple[tuple[str, str], ...]:
    """(module, module.name) for each name an import statement names (parsed once a file)."""
    name = module_name(relative)
    found = []
    for node in ast.walk(ast.parse(source, str(relative))):
        if isinstance(node, ast.Import):
            found += [(alias.name, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's package
                here = name.split(".") if relative.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            found += [(base, f"{base}.{alias.name}") for alias in node.names]
    return tuple(found)


@lru_cache(maxsize=1)
def _sources() -> dict[Path, str]:
    return {path.relative_to(PACKAGE): path.read_text("utf-8") for path in sorted(PACKAGE.rglob("*.py"))}


def import_graph(planted: dict[str, str] | None = None) -> dict[str, set[str]]:
    """Module → the modules of kg/ it imports; `planted`: files (path under kg/ → text) added or replaced."""
    sources = {**_sources(), **{Path(where): text for where, text in (planted or {}).items()}}
    modules = {module_name(relative) for relative in sources}
    return {module_name(relative): imports(relative, text, modules) for relative, text in sources.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def forbidden_arrows(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            why = FORBIDDEN.get((layer(module), layer(target)))
            if why is not None:
                found.append(f"{module} imports {target}: {why}")
            if layer(target) == "cli" and module not in ENTRY_POINTS and layer(module) != "cli":
                found.append(f"{module} imports {target}: only the CLI prints and exits; nothing imports it")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the modules around it (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert "kg.build.run" in graph and "kg.build.outputs" in graph["kg.build.run"]
    assert "kg.cli" in graph["kg.__main__"]
    assert sum(map(len, graph.values())) > 100  # every file's imports, not a few


def test_kg_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_no_import_points_up_the_layers() -> None:
    assert forbidden_arrows(import_graph()) == []


# A planted bad import must be caught: the checks above would pass on a graph read wrongly.
@pytest.mark.parametrize(
    ("where", "line", "expected"),
    [
        ("read/x.py", "from kg.map import record\n", "kg.read.x imports kg.map.record"),
        ("map/x.py", "from kg.read.record import read_record\n", "kg.map.x imports kg.read.record"),
        ("check/x.py", "import kg.write.atomic\n", "kg.check.x imports kg.write.atomic"),
        ("build/x.py", "def f():\n    from kg.publish import site\n", "kg.build.x imports kg.publish.site"),
        ("write/x.py", "from kg import cli\n", "kg.write.x imports kg.cli"),
    ],
)
def test_a_planted_import_is_found(where: str, line: str, expected: str) -> None:
    assert not any(found.startswith(expected) for found in forbidden_arrows(import_graph()))
    assert any(found.startswith(expected) for found in forbidden_arrows(import_graph({where: line})))


def test_a_planted_cycle_is_found() -> None:
    records = _sources()[Path("records.py")]
    planted = import_graph({"records.py": records + "from kg.build import run\n"})  # run imports records
    assert any({"kg.records", "kg.build.run"} <= set(cycle) for cycle in cycles(planted))
