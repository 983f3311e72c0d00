"""What every evaluation script in bench/ shares: where the public datasets live, the result
skeleton of the evaluation contract (see bench/accuracy.py), and how results are written."""

from __future__ import annotations

import json
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
