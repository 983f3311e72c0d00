"""What every evaluation script in bench/ shares: where the public datasets live, the result
skeleton of the evaluation contract (see bench/accuracy.py), and how results are written."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"  # read-only, beside the project; never copied in


def skeleton(benchmark: str, dataset: str, split: str, published: dict, goal: dict) -> dict[str, Any]:
    """A contract result that says "absent" until the script fills it in."""
    return {
        "benchmark": benchmark,
        "dataset": dataset,
        "split": split,
        "status": "absent",
        "metrics": {},
        "published": published,
        "goal": goal,
        "errors": [],
        "notes": "",
    }


def write_json(path: Path, result: dict) -> None:
    """Write a result as indented JSON, creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 3 places; None when ``whole`` is 0."""
    return round(part / whole, 3) if whole else None


def annotated_result(
    benchmark: str, dataset: str, split: str, goal: dict, notes: str, score: Callable[[str], tuple[Any, dict]]
) -> dict[str, Any]:
    """The contract result of a bench over our own annotation of real articles: ``score(split)`` gives the
    pooled tally (with ``row()``) and one row per story; "absent" when the datasets are not beside the repo."""
    res = skeleton(benchmark, dataset, split, {}, goal)
    if not DATASETS.is_dir():
        res["notes"] = f"no datasets at {DATASETS}"
        return res
    total, rows = score(split)
    res["metrics"] = {k: v for k, v in total.row().items() if v is not None}
    res["stories"] = rows
    res["status"] = "ok"
    res["notes"] = notes
    return res


def finish(out: dict[str, Any], started: float, path: str | None) -> int:
    """End of a script's ``main``: the seconds since ``started`` into ``out``, written as JSON to ``path`` if
    given; exit status 0."""
    out["seconds"] = round(time.perf_counter() - started, 1)
    if path:
        Path(path).write_text(json.dumps(out, indent=1) + "\n")
    return 0


# --------------------------------------------------------------------------- real articles through the pipeline


def analysed_items(inputs: list[str], db: Path, *, embeddings: bool = True) -> list:
    """``inputs`` (files, folders) through ``storyline.pipeline.analyze`` into the store at ``db`` (no dossier, no
    cross-check): the stored (CleanArticle, Extraction) pairs."""
    from storyline.pipeline import analyze
    from storyline.store import Store

    with Store(db) as store:
        result = analyze(inputs, store, dossier=False, crosscheck=False, embeddings=embeddings)
        return list(store.iter_loaded(result.article_ids))


def cross_checked(items: list) -> Any:
    """The cross-check of ``storyline analyze`` (entities linked over the story, sentence embeddings on)."""
    from storyline.crosscheck.stage import cross_check
    from storyline.extract.entities import link_entities

    index = link_entities((clean, ext.mentions) for clean, ext in items)
    return cross_check(items, index, embedder=None)


def locate_run(text: str, want: str, start: int) -> tuple[int, int] | None:
    """An annotated span (``want``, at ``start`` in the raw file) in ``text`` as the pipeline read it: its longest
    ASCII run, the occurrence nearest ``start`` (the raw file's undecodable bytes read as U+FFFD, which the
    pipeline decodes otherwise); None when the run is shorter than 8 characters or absent."""
    runs = [(m.start(), m.group()) for m in re.finditer(r"[\x20-\x7e]+", want)]
    at, needle = max(runs, key=lambda r: len(r[1]), default=(0, ""))
    if len(needle.strip()) < 8:
        return None
    best, pos = None, text.find(needle)
    while pos >= 0:
        if best is None or abs(pos - at - start) < abs(best - start):
            best = pos - at
        pos = text.find(needle, pos + 1)
    if best is None:
        return None
    best = max(0, best)
    return best, best + len(want)


def find_near(text: str, words: str, near: int, slack: int = 200) -> int:
    """Where ``words`` occur in ``text``: from ``slack`` characters before ``near`` on, else anywhere; -1."""
    pos = text.find(words, max(0, near - slack))
    return text.find(words) if pos < 0 else pos
