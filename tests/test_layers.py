"""The package's architecture shows in its folders and holds in its imports: data flows one way, from
ingest to web, with no import cycles; one word tokenizer, one stemmer and one sentence splitter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storyline"
LAYERS = ("ingest", "extract", "crosscheck", "reader", "output", "web")
TOP = ("records", "errors", "text", "store", "pipeline", "cluster", "cli")


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


@pytest.mark.parametrize("name", ["stem", "split_sentences"])
def test_one_stemmer_and_one_sentence_splitter(name):
    assert _defines(name) == ["storyline.text"]


TOKENIZER_NAMES = {"words", "tokens", "wordset", "word_spans", "stems"}
# modules whose owners are moving them to storyline.text right now; remove each once it is done
PENDING = {"storyline.crosscheck.claims", "storyline.crosscheck.series", "storyline.extract.figures"}
# regexes that find the words of the probes but are scanners with needs of their own (each says so in a comment)
SCANNERS = {
    ("storyline.extract.dates", r"[A-Za-z]+|\d+"),  # date triggers: letters apart from digits ("1990s", "3pm")
    ("storyline.extract.dates", r"[A-Za-z']+"),  # cue words before a date; "pre-" splits off
}
# plain running text with its words: a regex that finds exactly these words, one by one, is a word tokenizer
PROBES = (
    ("The fox, they said, jumps over the dog's bowl.", ["The", "fox", "they", "said", "jumps", "over", "the",
                                                       "dog's", "bowl"]),
    ("Officials said 12 people died on Tuesday.", ["Officials", "said", "12", "people", "died", "on", "Tuesday"]),
)


def _regex_literals(path: Path) -> list[str]:
    """The string patterns given literally to re.compile / re.findall / re.finditer in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("compile", "findall", "finditer") and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re" and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            out.append(node.args[0].value)
    return out


def is_word_tokenizer(pattern: str) -> bool:
    """Whether a regex splits plain running text into exactly its words (one of the probes)."""
    rx = re.compile(pattern)
    return any(rx.groups == 0 and rx.findall(text) == expected for text, expected in PROBES)


def _tokenizers() -> list[str]:
    found = []
    for p in PACKAGE.rglob("*.py"):
        module = _module(p)
        if module == "storyline.text" or module in PENDING:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"))
        found += [f"{module}.{n.name}" for n in ast.walk(tree)
                  if isinstance(n, ast.FunctionDef) and n.name.lstrip("_") in TOKENIZER_NAMES]
        found += [f"{module}: {pat!r}" for pat in _regex_literals(p)
                  if is_word_tokenizer(pat) and (module, pat) not in SCANNERS]
    return sorted(found)


def test_one_word_tokenizer():
    """Outside storyline.text no function is named like a tokenizer (words, _tokens, _wordset ...), and no regex
    literal splits plain running text into its words: they all use storyline.text.words / word_spans."""
    assert _tokenizers() == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"[^\W_]+(?:['\u2019][^\W_]+)*", True),  # the old private tokenizers
        (r"\w+(?:['’]\w+)*", True),
        (r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", True),  # letters only: still the words of the first probe
        (r"\S+", False),  # white space split keeps the punctuation
        (r"[\w’'-]+|[^\w\s]", False),  # words and punctuation marks: not only words
        (r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)+", False),  # a name run
        (r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+$", False),  # an honorific
        (r"(\w+)@(\w+)", False),  # groups: findall gives tuples
    ],
)
def test_the_tokenizer_check_finds_tokenizers(pattern, expected):
    assert is_word_tokenizer(pattern) is expected
