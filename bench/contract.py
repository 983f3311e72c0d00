"""What every evaluation script in bench/ shares: where the public datasets live, the result
skeleton of the evaluation contract (see bench/accuracy.py), and how results are written."""

from __future__ import annotations

import json
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
