"""bench/absorb.py and its corpus (bench/synthetic.py ``generate_stories``): the generator is deterministic and
yields distinct stories; the agreement measures; and the benchmark's core on a tiny corpus (30 stored + 5 new
articles, lexical only).  Correctness only: the timings live in bench/results/absorb.json."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402


def _absorb():
    spec = importlib.util.spec_from_file_location("bench_absorb", ROOT / "bench" / "absorb.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_absorb"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("n", "sizes", "least", "most"),
    [
        (0, (20, 30), 0, 0),  # nothing asked: no story
        (12, (20, 30), 1, 1),  # fewer than one story's worth: one story, cut short
        (90, (20, 30), 3, 5),
        (90, (5, 5), 18, 18),
    ],
)
def test_generate_stories_counts(n: int, sizes: tuple[int, int], least: int, most: int) -> None:
    arts = synthetic.generate_stories(n, seed=3, sizes=sizes)
    assert len(arts) == n
    assert least <= len({a["story"] for a in arts}) <= most
    assert [a["published"] for a in arts] == sorted(a["published"] for a in arts)
    assert len({a["index"] for a in arts}) == n


@pytest.mark.parametrize(("seed_a", "seed_b", "same"), [(5, 5, True), (5, 6, False)])
def test_generate_stories_is_deterministic(seed_a: int, seed_b: int, same: bool) -> None:
    assert (synthetic.generate_stories(60, seed=seed_a) == synthetic.generate_stories(60, seed=seed_b)) is same


def test_stories_have_their_own_cast_and_window() -> None:
    arts = synthetic.generate_stories(120, seed=9)
    by_story: dict[int, list[dict]] = {}
    for a in arts:
        by_story.setdefault(a["story"], []).append(a)
    places = {s: a[0]["text"].split(" \u2014 ")[0] for s, a in by_story.items()}
    assert len(set(places.values())) == len(places)  # each story is datelined from its own place
    for group in by_story.values():
        days = sorted({a["published"] for a in group})
        span = (synthetic.date.fromisoformat(days[-1]) - synthetic.date.fromisoformat(days[0])).days
        assert span <= 44
        assert all(places[group[0]["story"]] in a["text"].upper() for a in group)


def test_story_files_carry_their_dates(tmp_path: Path) -> None:
    from storyline.ingest.ingest import iter_articles

    arts = synthetic.generate_stories(3, seed=1)
    paths = synthetic.write_story_files(tmp_path, arts)
    got = [next(iter(iter_articles([str(p)]))) for p in paths]
    assert [g.published[:10] for g in got] == [a["published"] for a in arts]
    assert [g.title for g in got] == [a["title"] for a in arts]


@pytest.mark.parametrize(
    ("left", "right", "ids", "expected"),
    [
        ({"a": "s", "b": "s", "c": "t"}, {"a": "x", "b": "x", "c": "y"}, ["a", "b", "c"], 1.0),
        ({"a": "s", "b": "s"}, {"a": "x", "b": "y"}, ["a", "b"], 0.6667),
        ({"a": "s"}, {}, ["a"], 1.0),  # in no story on either side: its own story on both
        ({"a": "s"}, {"a": "x"}, [], None),  # nothing to compare
    ],
)
def test_agreement(left: dict, right: dict, ids: list[str], expected: float | None) -> None:
    assert _absorb().agreement(left, right, ids) == expected


@pytest.mark.parametrize(
    ("b_members", "t1_hash", "compared", "equal", "differing"),
    [
        ({"x": "t1", "y": "t1", "z": "t2"}, "h1", 2, 2, []),
        ({"x": "t1", "y": "t1", "z": "t2"}, "h7", 2, 1, ["events"]),
        ({"x": "t1", "y": "t1", "z": "t1"}, "h1", 0, 0, []),  # no story of B has the same articles
    ],
)
def test_same_dossiers(b_members: dict, t1_hash: str, compared: int, equal: int, differing: list[str]) -> None:
    a = {"members": {"x": "s1", "y": "s1", "z": "s2"}, "touched": ["s1", "s2"],
         "hashes": {"s1": {"events": "h1", "view": "v1"}, "s2": {"events": "h2", "view": "v2"}}}  # fmt: skip
    b = {"members": b_members, "hashes": {"t1": {"events": t1_hash, "view": "v1"}, "t2": {"events": "h2", "view": "v2"}}}
    got = _absorb().same_dossiers(a, b)
    assert (got["same_articles_in_b"], got["equal_dossiers"], got["sections_differing"]) == (compared, equal, differing)


@pytest.mark.slow
def test_absorb_core_on_a_tiny_corpus(tmp_path: Path) -> None:
    """Setup, one watch pass (A) and a full rebuild (B) in this process: every article ends in a story, the 5
    new ones are what A added, the stories A touched are stories of its store, and the result has its fields."""
    absorb = _absorb()
    arts = synthetic.generate_stories(35, seed=4, sizes=(12, 18))
    folder = tmp_path / "feed"
    synthetic.write_story_files(folder, arts[:30])
    setup = absorb.child_setup(tmp_path / "store.db", folder, False, 1)
    assert setup["articles"] == 30 and set(setup["members"]) == set(setup["origins"])
    absorb.copy_store(tmp_path / "store.db", tmp_path / "a.db")
    (tmp_path / "a.db.watch.json").write_bytes((tmp_path / "store.db.watch.json").read_bytes())
    synthetic.write_story_files(folder, arts[30:])
    inc = absorb.child_incremental(tmp_path / "a.db", folder, False)
    assert inc["new_articles"] == 5 and inc["failed"] == 0
    assert set(inc["touched"]) <= set(inc["members"].values())
    assert 1 <= inc["stories_touched"] <= 5
    assert inc["articles_in_touched"] >= 5
    assert all(inc[k] >= 0 for k in ("ingest_extract_s", "assign_s", "rebuild_s", "save_s"))
    absorb.copy_store(tmp_path / "a.db", tmp_path / "b.db")
    full = absorb.child_full(tmp_path / "b.db", folder, False, 1)
    assert full["articles"] == 35 and full["processed"] == 0  # nothing re-parsed
    gold = {f"article-{a['index']:06d}.md": a["story"] for a in arts}
    agreement = absorb.compare(setup, inc, full, gold)
    assert 0.0 < agreement["bcubed_f1_a_vs_b_all"] <= 1.0
    assert agreement["dossiers"]["touched"] == inc["stories_touched"]
