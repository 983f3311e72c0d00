"""The package's architecture shows in its folders and holds in its imports: data flows one way, from
ingest to web, with no import cycles; one word tokenizer, one stemmer and one sentence splitter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storyline"
LAYERS = ("ingest", "extract", "crosscheck", "reader", "output", "web")
TOP = ("records", "errors", "text", "store", "pipeline", "cli")


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storyline"):
            if node.module == "storyline":
                found |= {f"storyline.{a.name}" for a in node.names if a.name != "__version__"}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("storyline.")}
    return found


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _rank(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    if parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return {"pipeline": 10, "cli": 11}.get(parts[1])


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) where a layer imports a later one (or the pipeline / CLI)."""
    bad = []
    for module, deps in graph.items():
        mine = _rank(module)
        for dep in deps:
            theirs = _rank(dep)
            if mine is not None and theirs is not None and theirs > mine:
                bad.append((module, dep))
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_layers_are_folders():
    for layer in LAYERS:
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert top <= set(TOP), sorted(top - set(TOP))


def test_data_flows_one_way():
    assert upward_imports(_graph()) == []


def test_no_import_cycles():
    assert cycles(_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"storyline.a": {"storyline.b"}, "storyline.b": {"storyline.a"}}, [["storyline.a", "storyline.b"]]),
        ({"storyline.a": {"storyline.b"}, "storyline.b": set()}, []),
        ({"storyline.a": {"storyline.a"}}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert cycles(graph) == expected


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"storyline.extract.x": {"storyline.reader.y"}}, [("storyline.extract.x", "storyline.reader.y")]),
        ({"storyline.reader.y": {"storyline.extract.x"}}, []),
        ({"storyline.ingest.x": {"storyline.pipeline"}}, [("storyline.ingest.x", "storyline.pipeline")]),
        ({"storyline.records": {"storyline.ingest.spans"}}, []),
    ],
)
def test_the_layer_check_finds_upward_imports(graph, expected):
    assert upward_imports(graph) == expected


def _defines(pattern: str) -> list[str]:
    return sorted(
        _module(p)
        for p in PACKAGE.rglob("*.py")
        if any(
            isinstance(n, ast.FunctionDef) and n.name.lstrip("_") == pattern
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    )


@pytest.mark.parametrize("name", ["split_sentences"])
def test_one_stemmer_and_one_sentence_splitter(name):
    assert _defines(name) == ["storyline.text"]
