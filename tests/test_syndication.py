"""Syndication detection: wire copies and light rewrites are grouped under their origin."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.crosscheck.syndication import (
    MIN_SHINGLES,
    CopyLink,
    SyndicationGroup,
    containment,
    find_copies,
    minhash,
    shingles,
)
from storyline.ingest.clean import clean
from storyline.ingest.ingest import iter_articles
from storyline.records import Article

ROOT = Path(__file__).resolve().parent.parent
KEY = json.loads((ROOT / "tests" / "golden" / "sample_expected.json").read_text(encoding="utf-8"))

WIRE = (
    "The harbour authority of Kestrel Point closed the northern channel on Friday after a cargo ship lost "
    "power and drifted onto a sandbar, officials said.\n\n"
    "The ship, the Amber Lark, was carrying timber and machine parts from Velmont to the port of Strand. "
    "Its crew of 19 were unhurt and remained on board, the authority said in a statement.\n\n"
    "\"We expect to refloat her on the evening tide if the weather holds,\" said harbour master Ines Corvo. "
    "Tugs from two neighbouring ports were on their way.\n\n"
    "About 40 smaller vessels were waiting outside the channel, and ferry services to the islands were "
    "suspended until Saturday morning. Fishermen said the closure would cost them a day's catch.\n\n"
    "The authority said it would investigate why the ship's backup generator failed to start."
)
# light rewrite: a paragraph dropped, sentences reordered, a few words changed
REWRITE = (
    "A cargo ship lost power and drifted onto a sandbar, and the harbour authority of Kestrel Point closed "
    "the northern channel on Friday.\n\n"
    "\"We expect to refloat her on the evening tide if the weather holds,\" said harbour master Ines Corvo.\n\n"
    "The ship, the Amber Lark, was carrying timber and machine parts from Velmont to the port of Strand. "
    "Its crew of 19 were unhurt and remained on board, the authority said in a statement.\n\n"
    "About 40 smaller vessels were waiting outside the channel, and ferry services to the islands were "
    "suspended until Saturday morning."
)
# a trimmed copy: the first two paragraphs only
TRIMMED = "\n\n".join(WIRE.split("\n\n")[:2])
# the same event, written independently; shares one quote with the wire
INDEPENDENT = (
    "Ferry passengers bound for the islands spent Friday night in Kestrel Point hotels after the port shut its "
    "busiest channel. A timber freighter had grounded on a bank near the entrance when its engines cut out.\n\n"
    "\"We expect to refloat her on the evening tide if the weather holds,\" said harbour master Ines Corvo. "
    "Local traders complained that nobody had told them how long the disruption would last, and several "
    "skippers said they would sail to Strand instead. The freighter's owners declined to comment."
)
OTHER = (
    "The city council of Marrowby voted on Tuesday to rebuild the old library on the market square, ending a "
    "dispute that had lasted six years. Construction is due to start in the spring and cost 4.2 million crowns. "
    "Councillor Petra Oakes said the vote showed that residents wanted the square to remain a public place."
)
SHORT = "Channel closed."


def pair_grouped(a: str, b: str) -> bool:
    groups, _ = find_copies([("a", a, "2026-03-06"), ("b", b, "2026-03-07")])
    return any({"a", "b"} <= set(g.members) for g in groups)


@pytest.mark.parametrize(
    ("copy", "expected"),
    [
        (WIRE, True),  # verbatim
        (WIRE.upper().replace("\n\n", " "), True),  # case and layout do not matter
        (REWRITE, True),
        (TRIMMED, True),
        (INDEPENDENT, False),  # same event, one shared quote: independent reporting
        (OTHER, False),
        (SHORT, False),  # too short to judge
        ("", False),
    ],
)
def test_copy_or_not(copy, expected):
    assert pair_grouped(WIRE, copy) is expected


def test_containment_separates_copies_from_independent_reports():
    wire = shingles(WIRE)
    assert containment(wire, shingles(TRIMMED))[0] == 1.0
    assert containment(wire, shingles(REWRITE))[0] > 0.6
    assert containment(wire, shingles(INDEPENDENT))[0] < 0.3
    assert containment(wire, shingles(OTHER)) == (0.0, 0)
    assert containment(wire, shingles("")) == (0.0, 0)


def test_origin_is_the_earliest_member_and_links_point_to_it():
    groups, links = find_copies(
        [("late", REWRITE, "2026-03-08"), ("early", WIRE, "2026-03-06"), ("mid", TRIMMED, "2026-03-07T10:00")]
    )
    assert groups == (SyndicationGroup("early", ("early", "mid", "late")),)
    assert {(lk.copy, lk.origin) for lk in links} == {("mid", "early"), ("late", "early")}
    assert all(isinstance(lk, CopyLink) and 0.6 < lk.similarity <= 1.0 for lk in links)
    assert {lk.method for lk in links} == {"containment"}


@pytest.mark.parametrize(
    ("rows", "origin"),
    [
        # same day: the longer text is the origin (a copy trims), whatever the ids
        ([("a-copy", TRIMMED, "2026-03-06"), ("z-wire", WIRE, "2026-03-06")], "z-wire"),
        # identical texts on the same day: the smaller id
        ([("b", WIRE, "2026-03-06"), ("a", WIRE, "2026-03-06")], "a"),
        # an undated article is never the origin of a dated one
        ([("a", WIRE, None), ("b", TRIMMED, "2026-03-09")], "b"),
        # the date wins over the length
        ([("a", WIRE, "2026-03-07"), ("b", TRIMMED, "2026-03-06")], "b"),
    ],
)
def test_origin_ties(rows, origin):
    groups, links = find_copies(rows)
    assert len(groups) == 1 and groups[0].origin == origin
    assert groups[0].members[0] == origin
    assert [lk.origin for lk in links] == [origin]


def test_identical_copies_are_marked():
    _, links = find_copies([("a", WIRE, "2026-03-06"), ("b", WIRE + "\n", "2026-03-07")])
    assert links == (CopyLink("b", "a", 1.0, "identical"),)


def test_a_roundup_of_two_stories_does_not_merge_them():
    roundup = WIRE + "\n\n" + OTHER
    groups, _ = find_copies([("wire", WIRE, "2026-03-06"), ("other", OTHER, "2026-03-06"), ("roundup", roundup, "2026-03-07")])
    assert len(groups) == 1
    assert set(groups[0].members) in ({"wire", "roundup"}, {"other", "roundup"})


def test_no_groups_without_copies():
    assert find_copies([]) == ((), ())
    assert find_copies([("a", WIRE, None)]) == ((), ())
    assert find_copies([("a", WIRE, None), ("b", OTHER, None), ("c", INDEPENDENT, None)]) == ((), ())


def test_deterministic_and_independent_of_input_order():
    rows = [("w", WIRE, "2026-03-06"), ("r", REWRITE, "2026-03-07"), ("t", TRIMMED, "2026-03-07"),
            ("i", INDEPENDENT, "2026-03-06"), ("o", OTHER, "2026-03-05")]
    first = find_copies(rows)
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert find_copies(shuffled) == first
    assert np.array_equal(minhash(shingles(WIRE)), minhash(shingles(WIRE)))  # fixed seed: same signature


def test_sample_corpus_wire_group():
    articles = [a for a in iter_articles([str(ROOT / "examples" / "sample-story")]) if isinstance(a, Article)]
    names = {a.id: Path(a.origin).name for a in articles}
    cleaned = [clean(a) for a in articles]
    groups, links = find_copies([(c.article.id, c.text, c.article.published) for c in cleaned])
    [expected] = KEY["wire_groups"]
    assert [[names[m] for m in g.members] for g in groups] == [expected]  # the wire first, nothing else joins
    assert names[groups[0].origin] == expected[0]
    assert {names[lk.copy] for lk in links} == set(expected[1:])


def _random_text(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n))


def test_thousands_of_articles_with_planted_copies():
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    rows = [(f"doc{i:04d}", _random_text(rng, vocab, 300), f"2026-01-{1 + i % 28:02d}") for i in range(1500)]
    planted = {}
    for i in range(0, 1500, 100):  # 15 trimmed copies of every 100th article, published later
        words = rows[i][1].split()
        planted[f"copy{i:04d}"] = rows[i][0]
        rows.append((f"copy{i:04d}", " ".join(words[50:250]), "2026-02-01"))
    groups, links = find_copies(rows)
    assert {lk.copy: lk.origin for lk in links} == planted
    assert len(groups) == len(planted)


words_st = st.lists(st.sampled_from([f"w{i}" for i in range(40)]), min_size=0, max_size=80)


@settings(max_examples=60, deadline=None)
@given(words_st, st.integers(0, 80), st.integers(0, 80))
def test_any_slice_is_contained_in_its_text(ws, i, j):
    text = " ".join(ws)
    piece = ws[min(i, j) : max(i, j)]
    whole, sub = shingles(text), shingles(" ".join(piece))
    if len(piece) >= 5:
        assert containment(whole, sub)[0] == 1.0
    assert containment(whole, sub) == containment(sub, whole)


@settings(max_examples=60, deadline=None)
@given(words_st)
def test_shingles_ignore_case_and_spacing(ws):
    text = " ".join(ws)
    assert np.array_equal(shingles(text), shingles("  " + text.upper().replace(" ", "\n ") + " "))
    sh = shingles(text)
    assert len(sh) == len(set(sh.tolist()))
    assert len(sh) <= max(1, len(ws) - 4) if ws else len(sh) == 0


def test_min_shingles_constant_is_respected():
    tiny = " ".join(f"t{i}" for i in range(MIN_SHINGLES + 3))  # fewer than MIN_SHINGLES 5-word shingles
    assert len(shingles(tiny)) < MIN_SHINGLES
    assert find_copies([("a", tiny, None), ("b", tiny, None)]) == ((), ())


def test_hundreds_of_reprints_are_one_group():
    rows = [(f"r{i:03d}", WIRE + ("\n\nEditor's note: reprinted." if i % 2 else ""), f"2026-03-{6 + i % 20:02d}")
            for i in range(400)]
    groups, links = find_copies(rows)
    assert len(groups) == 1 and len(groups[0].members) == 400
    assert groups[0].origin == "r000"
    assert len(links) == 399


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (0, 40, True),  # a 40-word brief cut from a 900-word story: Jaccard under 0.05, containment 1
        (300, 60, True),
        (850, 50, True),
        (0, 12, False),  # too short to judge (fewer than MIN_SHINGLES shingles)
    ],
)
def test_a_short_brief_of_a_long_story_is_a_copy(start, length, expected):
    rng = random.Random(11)
    vocab = [f"v{i}" for i in range(2000)]
    story = _random_text(rng, vocab, 900).split()
    brief = " ".join(story[start : start + length])
    unrelated = _random_text(rng, vocab, 60)
    groups, links = find_copies([("story", " ".join(story), "2026-03-01"), ("brief", brief, "2026-03-02"),
                                 ("other", unrelated, "2026-03-02")])
    assert (links == (CopyLink("brief", "story", 1.0, "containment"),)) is expected
    assert all("other" not in g.members for g in groups)


def test_sketches_computed_elsewhere_give_the_same_groups():
    import pickle

    from storyline.crosscheck.syndication import group_sketches, sketch

    rows = [("w", WIRE, "2026-03-06"), ("r", REWRITE, "2026-03-07"), ("o", OTHER, "2026-03-05")]
    sketched = [(i, pickle.loads(pickle.dumps(sketch(t))), p) for i, t, p in rows]  # as from a worker process
    assert group_sketches(sketched) == find_copies(rows)
    assert group_sketches(sketched)[0] == (SyndicationGroup("w", ("w", "r")),)


PARAS = [p for t in (WIRE, INDEPENDENT, OTHER) for p in t.split("\n\n")]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, len(PARAS) - 1), min_size=1, max_size=5, unique=True),
                  st.sampled_from(["2026-03-05", "2026-03-06", "2026-03-07", None])),
        min_size=1, max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_groups_are_consistent(docs, rnd):
    rows = [(f"d{n}", "\n\n".join(PARAS[i] for i in paras), pub) for n, (paras, pub) in enumerate(docs)]
    groups, links = find_copies(rows)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert find_copies(shuffled) == (groups, links)
    published = {i: p for i, _, p in rows}
    members = [m for g in groups for m in g.members]
    assert len(members) == len(set(members))  # an article is in at most one group
    assert {lk.copy for lk in links} == {m for g in groups for m in g.members[1:]}
    for g in groups:
        assert g.members[0] == g.origin
        origin_day = (published[g.origin] or "~")[:10]
        assert all(origin_day <= (published[m] or "~")[:10] for m in g.members)
    for lk in links:
        assert lk.similarity >= 0.4 and (published[lk.origin] or "~") <= (published[lk.copy] or "~")


def _bench():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_syndication", ROOT / "bench" / "syndication.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_syndication"] = module
    spec.loader.exec_module(module)
    return module


def test_bench_contract_when_the_dataset_is_absent(tmp_path, monkeypatch):
    bench = _bench()
    monkeypatch.setattr(bench, "DATA", tmp_path / "nowhere")
    result = bench.evaluate()
    assert result["status"] == "absent" and result["benchmark"] == "syndication"
    assert set(result) >= {"dataset", "split", "metrics", "published", "goal", "errors", "notes"}
    out = tmp_path / "r.json"
    assert bench.main(["--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "absent"


def test_bench_on_a_tiny_corpus_of_our_own(tmp_path, monkeypatch):
    bench = _bench()
    (tmp_path / "dev" / "text").mkdir(parents=True)
    texts = {"a_wire": WIRE, "b_copy": REWRITE, "c_other": OTHER, "d_indep": INDEPENDENT}
    for name, text in texts.items():
        (tmp_path / "dev" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    meta = "filename\tpublication_date\twire\n" + "".join(
        f"{n}\t2026-03-0{i + 1}\t{'AP' if n != 'c_other' else 'None'}\n" for i, n in enumerate(texts)
    )
    (tmp_path / "metadata.tsv").write_text(meta, encoding="utf-8")
    monkeypatch.setattr(bench, "DATA", tmp_path)
    result = bench.evaluate("dev")
    assert result["status"] == "ok"
    m = result["metrics"]
    assert (m["gold copy pairs"], m["found pairs"], m["pair F1"]) == (1, 1, 100.0)
    assert m["wire-credit gold pairs"] == 1 and m["same-wire-credit pairs (not copies)"] == 2
    assert m["planted rewrites"] == 3 and m["rewrite recall"] == 100.0


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (WIRE, WIRE, 1.0, 1.0),
        (WIRE, TRIMMED, 1.0, 1.0),
        (WIRE, REWRITE, 0.5, 0.9),  # difflib aligns in order: reordered paragraphs count less
        (WIRE, OTHER, 0.0, 0.05),
        (WIRE, "", 0.0, 0.0),
    ],
)
def test_bench_gold_alignment(a, b, low, high):
    assert low <= _bench().cover(a, b) <= high
