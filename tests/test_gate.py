"""Regression gate: no stage may score below tests/golden/baseline.json on the sample corpus."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "golden"))

import scoring  # noqa: E402

BASELINE = scoring.load_baseline() or {}
UPDATE = "rerun `python bench/gate.py --update` and commit the new baseline"


@pytest.fixture(scope="module")
def scores(sample_run) -> dict[str, float]:
    key = scoring.load_key()
    return {
        k: v.value
        for k, v in scoring.score_all(sample_run.dossier, key, sample_run.report_md, sample_run.groups).items()
    }


def test_baseline_exists():
    assert BASELINE.get("scores"), f"tests/golden/baseline.json is missing or empty: {UPDATE}"
    assert all(0.0 <= v <= 1.0 for v in BASELINE["scores"].values())


def test_fixtures_unchanged_since_the_baseline():
    assert BASELINE.get("fixtures_sha256") == scoring.fixtures_sha256(), f"fixtures changed: {UPDATE}"


@pytest.mark.parametrize("stage", sorted(BASELINE.get("scores", {})))
def test_stage_not_below_baseline(stage, scores):
    floor = BASELINE["scores"][stage]
    assert stage in scores, f"stage {stage} is no longer scored: {UPDATE}"
    assert scores[stage] >= floor - scoring.TOLERANCE, (
        f"{stage} regressed: {scores[stage]:.4f} < baseline {floor:.4f} (python bench/gate.py -v lists the misses)"
    )


def test_every_scored_stage_has_a_baseline(scores):
    assert set(scores) <= set(BASELINE.get("scores", {})), f"new stages without a baseline: {UPDATE}"


# --------------------------------------------------------------------------- the gate's own logic


@pytest.mark.parametrize(
    ("scores", "baseline", "expected"),
    [
        ({"a": 0.9, "b": 1.0}, {"a": 0.9, "b": 1.0}, []),  # equal: fine
        ({"a": 0.9 - 1e-12}, {"a": 0.9}, []),  # float noise is tolerated
        ({"a": 0.95}, {"a": 0.9}, []),  # improvement
        ({"a": 0.85}, {"a": 0.9}, ["a: 0.8500 < baseline 0.9000"]),
        ({"b": 1.0}, {"a": 0.5}, ["a: no score (baseline 0.5000)"]),
        ({"a": 1.0, "new": 0.1}, {"a": 1.0}, []),  # a new stage is not a regression
        ({}, {}, []),
    ],
)
def test_regressions(scores, baseline, expected):
    assert scoring.regressions(scores, baseline) == expected


def test_fixtures_hash_covers_every_corpus_file_and_the_key(tmp_path):
    corpus, key = tmp_path / "corpus", tmp_path / "key.json"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("first article", encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text("second article", encoding="utf-8")
    key.write_text('{"quotes": []}', encoding="utf-8")
    first = scoring.fixtures_sha256(corpus, key)
    assert first == scoring.fixtures_sha256(corpus, key)
    (corpus / "sub" / "b.txt").write_text("second article, edited", encoding="utf-8")
    second = scoring.fixtures_sha256(corpus, key)
    assert second != first
    key.write_text('{"quotes": [1]}', encoding="utf-8")
    assert scoring.fixtures_sha256(corpus, key) != second
    (corpus / "sub" / "b.txt").rename(corpus / "c.txt")  # a renamed file changes the hash too
    key.write_text('{"quotes": []}', encoding="utf-8")
    (corpus / "c.txt").write_text("second article", encoding="utf-8")
    shutil.rmtree(corpus / "sub")
    assert scoring.fixtures_sha256(corpus, key) != first


@pytest.mark.parametrize(
    ("found", "f1", "origin"),
    [
        ([["w", "c1", "c2"]], 1.0, 1.0),
        ([["c1", "w", "c2"]], 1.0, 0.0),  # right members, wrong origin
        ([["w", "c1"]], 0.5, 1.0),  # one of three pairs found
        ([["w", "c1", "c2", "x"]], 0.6666666666666666, 1.0),  # an outsider joined
        ([], 0.0, 0.0),
    ],
)
def test_syndication_scores(found, f1, origin):
    key = {"wire_groups": [["w", "c1", "c2"]]}
    pairs, origins = scoring.score_syndication(found, key)
    assert pairs.value == pytest.approx(f1)
    assert origins.value == origin


def test_scores_on_a_toy_dossier():
    key = {
        "quotes": [{"file": "a.txt", "speaker": "Ines Corvo", "snippet": "refloat her"},
                   {"file": "a.txt", "speaker": "Ines Corvo", "snippet": "not in any quote"}],
        "dates": [{"file": "a.txt", "text": "Friday", "value": "2026-03-06"}],
    }
    dossier = {
        "sources": [{"id": "s1", "origin": "/x/a.txt"}],
        "entities": [{"id": "e1", "name": "Ines Corvo", "aliases": ["Corvo", "harbour master Ines Corvo"]}],
        "quotes": [{"source": "s1", "text": "We expect to refloat her", "speaker": {"name": "Corvo", "entity": "e1"}}],
        "dates": [{"source": "s1", "text": "friday", "value": "2026-03-06"}],
    }
    assert scoring.score_quotes(dossier, key).value == 0.5
    assert scoring.score_dates(dossier, key).value == 1.0
    dossier["dates"][0]["value"] = "2026-03-13"
    assert scoring.score_dates(dossier, key).value == 0.0


def test_baseline_file_is_plain_json():
    text = (ROOT / "tests" / "golden" / "baseline.json").read_text(encoding="utf-8")
    assert set(json.loads(text)) == {"fixtures_sha256", "scores", "updated"}


# --------------------------------------------------------------------------- bench/accuracy.py (the report generator)


def _load_accuracy():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_accuracy", ROOT / "bench" / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_accuracy"] = module
    spec.loader.exec_module(module)
    return module


accuracy = _load_accuracy()


def _result(name: str, **over) -> dict:
    base = {
        "benchmark": name, "dataset": "Toy set", "split": "test", "status": "ok",
        "metrics": {"F1": 81.5, "precision": 90.0},
        "published": {"SystemA": {"F1": 79.0, "recall": 70.0}, "SystemB": {"F1": 84.25}},
        "goal": {"metric": "F1", "value": 80},
        "errors": [{"kind": "missed span", "count": 12, "example": "a short reply after a colon is not taken"},
                   {"kind": "wrong speaker", "count": 30, "example": "the nearest name wins over the subject"}],
        "notes": "scored on the toy split",
    }
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (_result("x"), ("81.50", "80", "met")),
        (_result("x", metrics={"F1": 79.9}), ("79.90", "80", "not met")),
        (_result("x", metrics={"F1": 0.9}, goal={"metric": "F1", "value": 0.9}), ("0.900", "0.900", "met")),
        (_result("x", metrics={}), ("–", "80", "n/a")),  # goal metric not reported
        (_result("x", goal={}), ("–", "–", "n/a")),
        (_result("x", status="absent", metrics={}), ("–", "80", "n/a")),
    ],
)
def test_goal_status(result, expected):
    assert accuracy.goal_status(result) == expected


PIPELINE = {
    "date": "2026-11-20", "machine": {"cpus": 4, "python": "3.11"},
    "rows": [
        {"articles": 500, "words": 1, "ratio": 0.1},
        {"articles": 1000, "words": 250000, "workers": 4, "storyline_words_per_s": 5000,
         "reference_words_per_s": 6000, "ratio": 0.833, "storyline_articles_per_s": 20.0,
         "storyline_peak_mb": {"main": 300.0, "worker": 280.0}, "reference_peak_mb": 250.0},
        {"articles": 10000, "words": 2500000, "workers": 4, "ratio": 0.71, "storyline_peak_mb": 900},
    ],
}


def _write_results(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tempeval.json").write_text(json.dumps(_result("tempeval")), encoding="utf-8")
    (directory / "polnear.json").write_text(
        json.dumps(_result("polnear", status="absent", metrics={}, notes="dataset absent: polnear not found")),
        encoding="utf-8",
    )
    (directory / "wikiref.json").write_text("{not json", encoding="utf-8")
    (directory / "msrp.json").write_text(json.dumps({"split": "test", "accuracy": 70}), encoding="utf-8")
    # syndication.json missing


def test_report_from_fake_results(tmp_path):
    _write_results(tmp_path / "res")
    (tmp_path / "pipeline.json").write_text(json.dumps(PIPELINE), encoding="utf-8")
    (tmp_path / "baseline.json").write_text(json.dumps({"scores": {"quotes_right_speaker": 0.86}, "updated": "x"}))
    md, js = tmp_path / "acc.md", tmp_path / "acc.json"
    rc = accuracy.main(["--results-dir", str(tmp_path / "res"), "--md", str(md), "--json", str(js),
                        "--pipeline", str(tmp_path / "pipeline.json"), "--baseline", str(tmp_path / "baseline.json")])
    assert rc == 0
    text = md.read_text(encoding="utf-8")
    summary = {line.split("|")[2].strip(): line for line in text.splitlines() if line.startswith("| ") and "`" in line}
    assert summary["`tempeval`"].rstrip().endswith("| 81.50 | 84.25 (SystemB) | 80 | met |")
    assert summary["`polnear`"].rstrip().endswith("| absent |")
    for name in ("wikiref", "msrp", "syndication"):
        assert summary[f"`{name}`"].rstrip().endswith("| not run |"), name
    assert "dataset absent: polnear not found" in text
    assert "unreadable wikiref.json" in text and "no result file syndication.json" in text
    assert "does not follow the bench contract" in text
    # per-stage table with published columns; errors most common first
    assert "| metric | storyline | SystemA | SystemB |" in text
    assert "| F1 | 81.50 | 79.00 | 84.25 |" in text
    assert "| recall | – | 70.00 | – |" in text
    assert text.index("wrong speaker") < text.index("missed span")
    # speed rows at 1k and 10k only, with the ratio judged against the goal
    assert "| 1,000 | 250,000 | 4 | 5,000 | 6,000 | 0.833 | met | 20.00 |" in text
    assert "| 10,000 | 2,500,000 | 4 |" in text and "| 0.710 | not met |" in text
    assert "| 500 |" not in text
    assert "| quotes right speaker | 0.860 |" in text
    assert "commit `" in text and "## How to reproduce" in text
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [r["status"] for r in data["results"]] == ["ok", "absent"] + ["not run"] * (len(accuracy.BENCHES) - 2)
    assert [r["articles"] for r in data["speed"]] == [1000, 10000]


def test_report_without_any_results(tmp_path):
    md = tmp_path / "acc.md"
    rc = accuracy.main(["--results-dir", str(tmp_path / "none"), "--md", str(md), "--json", str(tmp_path / "a.json"),
                        "--pipeline", str(tmp_path / "missing.json"), "--baseline", str(tmp_path / "missing.json")])
    assert rc == 0
    text = md.read_text(encoding="utf-8")
    assert "run `make bench`" in text and "No baseline yet" in text
    assert text.count("| not run |") == len(accuracy.BENCHES)


FAKE_SCRIPTS = {
    "good": "def evaluate(split=None):\n    return {'benchmark': 'good', 'status': 'ok', 'split': split,"
            " 'metrics': {'F1': 50.0}, 'goal': {'metric': 'F1', 'value': 40}}\n",
    "cli_only": "import json, sys\nout = sys.argv[sys.argv.index('--json') + 1]\n"
                "json.dump({'benchmark': 'cli_only', 'status': 'absent', 'notes': 'no data here'}, open(out, 'w'))\n",
    "broken": "def evaluate(split=None):\n    raise RuntimeError('boom')\n"
              "if __name__ == '__main__':\n    raise RuntimeError('cli boom')\n",
    "slow": "import time\ntime.sleep(30)\n",
}


@pytest.mark.parametrize(
    ("name", "status", "note"),
    [
        ("good", "ok", ""),
        ("cli_only", "absent", "no data here"),
        ("broken", "not run", "failed (exit 1): RuntimeError: cli boom"),
        ("slow", "not run", "timed out"),
        ("missing", "not run", "does not exist yet"),
    ],
)
def test_run_bench_isolates_each_script(tmp_path, name, status, note):
    if name in FAKE_SCRIPTS:
        (tmp_path / f"{name}.py").write_text(FAKE_SCRIPTS[name], encoding="utf-8")
    bench = accuracy.Bench(name, "dev", "Stage", "")
    result = accuracy.run_bench(bench, 1 if name == "slow" else 60, bench_dir=tmp_path, results=tmp_path / "res")
    assert result["status"] == status
    assert note in result["notes"]
    if status == "ok":
        assert result["split"] == "dev" and result["metrics"] == {"F1": 50.0}
        assert json.loads((tmp_path / "res" / "good.json").read_text())["status"] == "ok"
