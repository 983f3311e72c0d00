"""Regression gate on real coverage: small samples of ECB+, GVA and the annotated real articles, built from
../shared/datasets at run time (tests/golden/realdata.py), may not score below
tests/golden/realdata_baseline.json.  Skips when the datasets are absent."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import realdata  # noqa: E402
import scoring  # noqa: E402

BASELINE = realdata.load_baseline() or {}
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not realdata.available(), reason=f"no datasets at {realdata.DATASETS}"),
]


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return realdata.compute()


def test_the_baseline_is_recorded():
    assert BASELINE.get("scores"), "run `python bench/gate.py --update` and commit tests/golden/realdata_baseline.json"


@pytest.mark.parametrize("name", sorted(BASELINE.get("scores", {})))
def test_not_below_baseline(name, scores):
    measured = {k: v for k, v in scores.items() if k == name}
    assert scoring.regressions(measured, {name: BASELINE["scores"][name]}) == []


def test_no_growth_over_time_is_a_conflict(scores):
    assert scores["figures_no_growth_conflict"] == 1.0
