"""Scale changes keep results: source quality without the quadratic copy checks, the windows that keep the
claims and event-chain stages linear on very large stories, the streamed dossier, and bench/scale.py's fits.

``assess_sources`` used to check each copy against every conflict of its copy group (and rebuilt that list by
scanning every conflict of the story); it now finds which of its group's cited phrases a copy holds
(``_Phrases``, filed by their rarest key) and sorts the copy's own conflicts and those of the found phrases by
their position.  These tests check that a copy's "contested" reason is exactly what the previous scan gave,
for several conflict orders, including conflicts that do not involve the copy's group at all (no reason),
that a phrase's keys are a necessary condition of a match, and that the phrases found are exactly those a
text holds.  The windows change nothing on a story smaller than they are.  ``stream_dossier`` must equal
``build_dossier`` over the same articles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck import quality
from storyline.records import CleanArticle, Conflict, Independence, Side

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from scale import linear_slope, loglog_slope  # noqa: E402

ORIGIN = (
    "Harbour officials in Port Quillan said on Monday that 41 fishing boats had been held at the quay since "
    "the storm. The harbour master, Ada Ferrow, said 230 crew members were waiting ashore. Repairs to the "
    "north breakwater will cost about 3 million dollars, the council said."
)
COPY = ORIGIN.replace("Harbour officials", "Port officials")  # a wire copy with one edit
OTHER = (
    "Port Quillan's council said on Monday that 38 fishing boats were held at the quay after the storm. "
    "The harbour master said 260 crew members were ashore, and repairs would cost about 5 million dollars."
)


@pytest.fixture(scope="module")
def story():
    from storyline.extract.nlp import load_nlp

    nlp = load_nlp()
    return make_items([("origin", ORIGIN, "2026-03-02"), ("copy", COPY, "2026-03-02"),
                       ("other", OTHER, "2026-03-03")], nlp=nlp)


def _by_name(story) -> dict[str, CleanArticle]:
    return {story.names[c.article.id]: c for c, _ in story.items}


def _side(clean: CleanArticle, snippet: str, value: str) -> Side:
    i = clean.text.index(snippet)
    return Side(value, (clean.cite(i, i + len(snippet)),), (clean.article.id,))


def _conflicts(by: dict[str, CleanArticle]) -> dict[str, Conflict]:
    o, x = by["origin"], by["other"]
    return {
        "boats": Conflict("x-1", "number", "boats held", (_side(o, "41 fishing boats", "41"),
                                                          _side(x, "38 fishing boats", "38")), "Differ.", likely=None),
        "crew": Conflict("x-2", "number", "crew ashore", (_side(o, "230 crew members", "230"),
                                                          _side(x, "260 crew members", "260")), "Differ.", likely=1),
        "cost": Conflict("x-3", "number", "repair cost", (_side(o, "about 3 million dollars", "3 million"),
                                                          _side(x, "about 5 million dollars", "5 million")),
                         "Differ.", likely=None),
        "alone": Conflict("x-4", "number", "cost, other only", (_side(x, "about 5 million dollars", "5 million"),
                                                                _side(x, "260 crew members", "260")), "Itself."),
    }


def _old_contested(story, conflicts: tuple[Conflict, ...], independence: Independence, aid: str):
    """The copy's contested reason as the story-wide scan computed it (the previous implementation)."""
    clean = next(c for c, _ in story.items if c.article.id == aid)
    origin = independence.origin(aid)
    involved = {id(c) for c in conflicts
                if {independence.origin(s) for side in c.sides for s in side.sources} & {aid, origin}
                or any(aid in side.sources for side in c.sides)}
    mine = [c for c in conflicts if id(c) in involved]
    return quality._contested_reason(clean, mine, set(), 0, 1, independence)


@pytest.mark.parametrize(
    ("order", "expect_reason"),
    [
        (("boats", "crew", "cost"), True),
        (("cost", "boats", "crew"), True),
        (("crew", "alone", "boats"), True),
        (("alone",), False),  # no conflict touches the copy's group: no reason
        ((), False),
    ],
)
def test_copy_contested_reason_equals_story_scan(story, order, expect_reason) -> None:
    by = _by_name(story)
    ids = {name: c.article.id for name, c in by.items()}
    independence = Independence(groups=((ids["origin"], ids["copy"]),))
    every = _conflicts(by)
    conflicts = tuple(every[name] for name in order)
    got = quality.assess_sources(story.items, (), (), conflicts, (), independence)
    reasons = [r for q in got if q.source == ids["copy"] for r in q.reasons if r.kind == "contested"]
    expected = _old_contested(story, conflicts, independence, ids["copy"])
    assert (expected is not None) is expect_reason
    assert reasons == ([expected] if expected is not None else [])
    if expected is not None:  # the copy repeats its origin's words, cited in the copy itself
        assert all(c.source == ids["copy"] for c in expected.citations)


@pytest.mark.parametrize(
    ("xs", "ys", "expected"),
    [
        ([100, 1_000, 10_000], [1.0, 10.0, 100.0], 1.0),
        ([100, 1_000], [1.0, 100.0], 2.0),
        ([10, 100, 1_000], [5.0, 5.0, 5.0], 0.0),
        ([100], [3.0], None),  # one point: no fit
        ([100, 100], [1.0, 2.0], None),  # no spread in x
        ([0, 100], [1.0, 2.0], None),  # a zero cannot be on a log scale: one usable point
    ],
)
def test_loglog_slope(xs, ys, expected) -> None:
    assert loglog_slope(xs, ys) == expected


@pytest.mark.parametrize(
    ("xs", "ys", "expected"),
    [
        ([100, 200, 300], [12.0, 22.0, 32.0], (0.1, 2.0)),
        ([1, 2], [5.0, 5.0], (0.0, 5.0)),
        ([7], [1.0], None),
        ([3, 3], [1.0, 2.0], None),
    ],
)
def test_linear_slope(xs, ys, expected) -> None:
    got = linear_slope(xs, ys)
    assert got is None if expected is None else got == pytest.approx(expected)


# --------------------------------------------------------------------------- the streamed dossier

UNDATED = (
    "Volunteers from Port Quillan's rowing club said they had helped move 12 boats off the slipway. "
    "\u201cWe worked through the night,\u201d said Bram Oskarsen, the club's captain."
)


@pytest.fixture(scope="module")
def story4(story):
    from storyline.extract.nlp import load_nlp

    extra = make_items([("undated", UNDATED, None)], nlp=load_nlp())
    return [*story.items, *extra.items]


def _in_order(items):
    from storyline.output.dossier import source_order

    return sorted(items, key=lambda it: source_order(it[0].article.id, it[0].article.published))


@pytest.mark.parametrize("given", [(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1), (1, 1, 0, 3, 2)])
def test_streamed_dossier_equals_in_memory(story4, given) -> None:
    from storyline.output.dossier import build_dossier, stream_dossier, verify_citations

    by_id = {c.article.id: (c, e) for c, e in story4}
    items = [story4[i] for i in given]  # any order, repeats allowed, for the in-memory build
    index_items = _in_order(by_id.values())
    from storyline.extract.entities import link_entities

    index = link_entities((c, e.mentions) for c, e in index_items)
    expected = build_dossier(items, index)
    loads: list[list[str]] = []

    def load(ids):
        loads.append(list(ids))
        return (by_id[aid] for aid in ids)

    got = stream_dossier(load, [(c.article.id, c.article.published) for c, _ in items])
    assert got == expected
    assert len(loads) == 2 and loads[0] == loads[1] == [c.article.id for c, _ in index_items]
    assert [s["id"] for s in got["sources"]][-1] == next(c.article.id for c, _ in story4 if not c.article.published)
    assert verify_citations(got) == []


@pytest.mark.parametrize(
    ("order", "ok"),
    [
        ((0, 1, 2, 3), True),  # source_order: dated by day, undated last
        ((1, 0, 2, 3), False),  # swapped
        ((0, 1, 2, 2, 3), False),  # repeated
        ((3, 0, 1, 2), False),  # undated first
        ((), True),  # nothing to stream
    ],
)
def test_ordered_build_refuses_items_out_of_order(story4, order, ok) -> None:
    from storyline.errors import StorylineError
    from storyline.extract.entities import link_entities
    from storyline.output.dossier import build_dossier

    ranked = _in_order(story4)
    items = [ranked[i] for i in order]
    index = link_entities((c, e.mentions) for c, e in ranked)
    if ok:
        assert len(build_dossier(iter(items), index, ordered=True)["sources"]) == len(items)
    else:
        with pytest.raises(StorylineError, match="out of order or repeated"):
            build_dossier(iter(items), index, ordered=True)


# --------------------------------------------------------------------------- the copy's candidate conflicts


@pytest.mark.parametrize(
    ("words", "text", "kept"),
    [
        ("41 fishing boats", "Officials said 41 fishing boats were held.", True),
        ("41 fishing boats", "Officials said 141 fishing boats were held.", True),  # a match inside a token
        ("41 fishing boats", "Officials said 41 fishing boatsmen left.", True),
        ("about 3 million dollars", "repairs will cost about 3 million dollars, the council", True),
        ("about 3 million dollars", "repairs will cost about 5 million dollars, the council", False),
        ("230 crew members", "The harbour master said 260 crew members were ashore.", False),
        ("Breakwater", "no key for one word: always a candidate", True),
    ],
)
def test_keys_keep_every_text_that_holds_the_words(words, text, kept) -> None:
    assert (set(quality._keys(words)) <= quality._text_keys(text)) is kept
    if words in text:
        assert kept


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab 1\n", min_size=1, max_size=40), st.integers(0, 40), st.integers(1, 40))
def test_keys_are_a_necessary_condition(text, start, length) -> None:
    words = quality._spaced(text[start : start + length])
    if words not in text:
        return
    assert set(quality._keys(words)) <= quality._text_keys(text)


# --------------------------------------------------------------------------- which phrases a copy holds

PHRASE = st.text(alphabet="ab1 ", min_size=1, max_size=9).map(quality._spaced).filter(bool)


@pytest.mark.parametrize(
    ("phrases", "text", "expected"),
    [
        (["41 fishing boats", "230 crew members"], "Officials said 41 fishing boats were held.", {"41 fishing boats"}),
        (["41 fishing boats"], "Officials said 141 fishing boatsmen left.", {"41 fishing boats"}),  # inside tokens
        (["41 fishing boats", "38 fishing boats"], "38 fishing\nboats were held", set()),  # a line break differs
        (["about 3 million dollars"], "cost about 5 million dollars", set()),
        (["Breakwater"], "the Breakwater was hit", {"Breakwater"}),  # one word: always looked for
        ([], "anything", set()),
    ],
)
def test_phrases_held_by_a_text(phrases, text, expected) -> None:
    assert quality._Phrases(phrases).held(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(PHRASE, max_size=12), st.text(alphabet="ab1 \n", max_size=60))
def test_phrases_held_equals_looking_for_each(phrases, text) -> None:
    assert quality._Phrases(phrases).held(text) == {p for p in phrases if p in text}


# --------------------------------------------------------------------------- windows of the nearest in story order


@pytest.mark.parametrize(
    ("centre", "n", "width", "expected"),
    [
        (512, 5000, 8192, (0, 5000)),  # the story is smaller than the window: everything
        (512, 20000, 8192, (0, 8192)),  # at the start: clamped
        (19500, 20000, 8192, (11808, 20000)),  # at the end: clamped
        (10512, 30000, 8192, (6416, 14608)),  # centred
        (3, 10, 3, (2, 5)),  # an odd width: one fewer before than after
    ],
)
def test_centred_window(centre, n, width, expected) -> None:
    from storyline.crosscheck.cluster import centred_window

    assert centred_window(centre, n, width) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5000), st.integers(1, 2000), st.data())
def test_window_centred_on_rows_holds_them(n, width, data) -> None:
    from storyline.crosscheck.cluster import centred_window

    lo = data.draw(st.integers(0, n - 1))
    hi = data.draw(st.integers(lo + 1, min(n, lo + width)))
    start, end = centred_window((lo + hi) // 2, n, width)
    assert 0 <= start <= lo < hi <= end <= n and end - start == min(n, width)


@pytest.mark.parametrize(
    ("rows", "size", "expected"),
    [
        ([0, 5], 100, (0, 100)),  # a block within the window: all of it
        ([0, 5], 10_000, (0, 4096)),
        ([9990, 9999], 10_000, (5904, 10_000)),
        ([5000, 5100], 10_000, (3002, 7098)),  # centred on the rows' middle
    ],
)
def test_eventchain_window(rows, size, expected) -> None:
    import numpy as np

    from storyline.crosscheck.eventchains import PARTNER_WINDOW, _window

    assert PARTNER_WINDOW == 4096
    assert _window(np.asarray(rows), np.arange(size)) == expected


def test_claim_neighbours_come_from_the_window(monkeypatch) -> None:
    import numpy as np

    from storyline.crosscheck import claims

    n = 60
    infos = [claims._Info(f"s{i}", frozenset(), frozenset(), frozenset(), frozenset(), ()) for i in range(n)]
    vecs = np.ones((n, 4), dtype=np.float32) / 2.0  # all alike: any statement is as near as another
    def pairs() -> list[tuple[int, int]]:  # the candidates come as sorted codes i * n + j, each pair once
        codes = claims._candidates(infos, vecs, 0.1)
        assert codes.dtype == np.int64 and (np.diff(codes) > 0).all()
        return [divmod(int(c), n) for c in codes]

    whole = pairs()
    assert all(i < j for i, j in whole) and any(i < 20 and j < 20 for i, j in whole)
    monkeypatch.setattr(claims, "KNN_WINDOW", 20)
    windowed = pairs()
    start, end = claims.centred_window(n // 2, n, 20)
    assert (start, end) == (20, 40)
    assert windowed and all(start <= i < end or start <= j < end for i, j in windowed)
    monkeypatch.setattr(claims, "KNN_WINDOW", n)
    assert pairs() == whole  # a window of the whole story changes nothing


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []

    def vetoed(self, x: int, y: int) -> bool:
        self.seen.append((x, y))
        return False


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 700), st.integers(1, 700))
def test_cross_veto_sample_without_listing_every_pair(n_a, n_b) -> None:
    """The even sample of the pairs across two clusters is the one the full listing gave (which made a merge
    of two large clusters cost their product)."""
    from storyline.crosscheck import claims

    a, b = list(range(n_a)), list(range(1000, 1000 + n_b))
    judge = _Recorder()
    assert claims._cross_vetoed(a, b, judge) is False  # type: ignore[arg-type]
    listed = [(x, y) for x in a for y in b]
    if len(listed) > claims.MAX_CROSS:
        step = len(listed) / claims.MAX_CROSS
        listed = [listed[int(k * step)] for k in range(claims.MAX_CROSS)]
    assert judge.seen == listed


def test_event_partners_come_from_the_window(monkeypatch) -> None:
    from types import SimpleNamespace

    import numpy as np

    from storyline.crosscheck import eventchains

    n = 300
    v = SimpleNamespace(sentence_vecs=np.ones((n, 3), dtype=np.float32), sentence_of=np.arange(n))
    a, b = np.arange(n), np.arange(n)[::-1].copy()  # partners in any order: sorted when windowed
    whole_i, whole_j = eventchains._most_alike(v, a, b)
    assert np.abs(whole_i - whole_j).max() > 200  # all alike: ties go to the partners listed first
    monkeypatch.setattr(eventchains, "PARTNER_WINDOW", 64)
    ii, jj = eventchains._most_alike(v, a, b)
    assert len(ii) == n * eventchains.NODE_PARTNERS and not (ii == jj).any()
    assert np.abs(ii - jj).max() < 64 + 256  # within the window centred on each slice of 256 rows
    monkeypatch.setattr(eventchains, "PARTNER_WINDOW", n)
    got_i, got_j = eventchains._most_alike(v, a, b)
    assert np.array_equal(got_i, whole_i) and np.array_equal(got_j, whole_j)  # a window of all changes nothing


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.integers(2, 40), st.integers(0, 10_000), st.booleans())
def test_top_k_equals_a_stable_sort(rows, cols, seed, with_self) -> None:
    import numpy as np

    from storyline.crosscheck.eventchains import _top_k

    rng = np.random.default_rng(seed)
    sim = rng.integers(-3, 4, size=(rows, cols)).astype(np.float32) / 4  # few values: many ties
    if with_self:
        sim[np.arange(rows), rng.integers(0, cols, rows)] = -np.inf  # a node is never its own partner
    k = rng.integers(1, cols)  # at most cols - 1: one -inf a row is never needed
    expected = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    assert np.array_equal(_top_k(sim, int(k)), expected)


OPPOSITE_WORDS = ["confirmed", "denied", "alive", "dead", "killed", "survived", "bought", "sold", "the", "ship", "not"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(OPPOSITE_WORDS), max_size=6), st.lists(st.sampled_from(OPPOSITE_WORDS), max_size=6))
def test_opposed_by_marks_equals_pair_by_pair(a, b) -> None:
    """The claims judge keeps each statement's opposite-word marks (a large story's texts overflow the analysis
    cache); they must say what comparing the words pair by pair says."""
    from storyline.crosscheck import similarity

    ia, ib = similarity.analyse(" ".join(a)), similarity.analyse(" ".join(b))
    ta, tb = set(ia.tokens), set(ib.tokens)
    expected = False
    for left, right in similarity._OPPOSITES:
        la, ra, lb, rb = bool(ta & left), bool(ta & right), bool(tb & left), bool(tb & right)
        expected = expected or (la and rb and not ra and not lb) or (ra and lb and not la and not rb)
    assert similarity.opposed(ia, ib) is expected
    assert similarity.marks_opposed(similarity.opposite_marks(ia), similarity.opposite_marks(ib)) is expected


WORDS = ["harbour", "storm", "Quillan", "boats", "crew", "council", "repairs", "breakwater", "ferry", "Ada",
         "Ferrow", "quay", "north", "dollars", "waves", "pier"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=12), min_size=3, max_size=14),
       st.lists(st.integers(0, 40), min_size=14, max_size=14), st.integers(0, 3))
def test_rewrite_rows_in_a_window_equal_the_matrix(bodies, offsets, undated) -> None:
    """Beyond FULL_MATRIX articles, rewrite candidates come from rows computed over the articles published at
    most MAX_DAYS earlier: equal to the whole matrix there, 0 outside (never a candidate)."""
    import datetime as dt

    from storyline.crosscheck import independence

    texts = [" ".join(b) + "." for b in bodies]
    n = len(texts)
    known = sorted(dt.date(2026, 3, 1) + dt.timedelta(days=o) for o in offsets[: max(0, n - undated)])
    days = [*known, *([None] * (n - len(known)))]
    whole = independence._earlier_rows(texts, days)
    old = independence.FULL_MATRIX
    independence.FULL_MATRIX = 1
    try:
        windowed = independence._earlier_rows(texts, days)
    finally:
        independence.FULL_MATRIX = old
    for j in range(1, n):
        for i in range(j):
            inside = days[i] is None or days[j] is None or (days[j] - days[i]).days <= independence.MAX_DAYS
            expected = whole(j)[i] if inside else 0.0
            assert windowed(j)[i] == pytest.approx(expected, abs=1e-5)


def _candidate_pairs_by_stacking(signatures):
    """syndication.candidate_pairs as it was: the earlier candidates' rows stacked again for every article."""
    import numpy as np
    from datasketch import MinHashLSH

    from storyline.crosscheck import syndication as sy

    pairs = set()
    lsh = MinHashLSH(num_perm=sy.NUM_PERM, params=(sy.BANDS, sy.ROWS))
    head = sy.BIG_BUCKET // 2
    for j, sig in enumerate(signatures):
        m = sy._new_minhash(sig)
        earlier = sorted(lsh.query(m))
        if len(earlier) > sy.BIG_BUCKET:
            alike = (np.stack([signatures[i] for i in earlier]) == sig).sum(axis=1)
            best = sorted(np.argsort(-alike, kind="stable")[:head].tolist())
            earlier = sorted({*earlier[:head], *(earlier[k] for k in best), earlier[-1]})
        pairs.update((i, j) for i in earlier)
        lsh.insert(j, m, check_duplication=False)
    return pairs


@pytest.mark.parametrize("reprints", [0, 5, 150])
def test_reprint_buckets_pair_as_before(reprints) -> None:
    """More reprints than BIG_BUCKET: the pairs kept are those the per-article stacking kept."""
    import numpy as np

    from storyline.crosscheck import syndication as sy

    rng = np.random.default_rng(reprints)
    base = rng.integers(0, 2**63, sy.NUM_PERM, dtype=np.uint64)
    sigs = []
    for k in range(reprints + 20):
        sig = base.copy() if k < reprints else rng.integers(0, 2**63, sy.NUM_PERM, dtype=np.uint64)
        changed = rng.choice(sy.NUM_PERM, size=int(rng.integers(0, 60)), replace=False)
        sig[changed] = rng.integers(0, 2**63, len(changed), dtype=np.uint64)  # reprints with small edits
        sigs.append(sig)
    got = sy.candidate_pairs(sigs)
    assert got == _candidate_pairs_by_stacking(sigs)
    assert (len(got) < reprints * (reprints - 1) // 2) is (reprints > sy.BIG_BUCKET)  # the cap binds


def _components_by_union_find(n, pairs):
    """eventchains._components as it was: a union-find in Python over every pair."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


@pytest.mark.parametrize(
    ("n", "pairs", "expected"),
    [
        (1, [], []),
        (4, [], []),  # no pairs: no component of more than one node
        (4, [(2, 3)], [[2, 3]]),
        (6, [(4, 5), (0, 3), (3, 4)], [[0, 3, 4, 5]]),
        (6, [(1, 5), (0, 2)], [[0, 2], [1, 5]]),  # ordered by their first node
        (5, [(0, 1), (0, 1), (1, 0)], [[0, 1]]),  # a pair given twice, either way round
    ],
)
def test_components(n, pairs, expected) -> None:
    import numpy as np

    from storyline.crosscheck.eventchains import _components

    assert _components(n, np.array(pairs, dtype=np.int64).reshape(-1, 2)) == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60))
def test_components_equal_a_union_find(n, raw) -> None:
    import numpy as np

    from storyline.crosscheck.eventchains import _components

    pairs = [(min(i, j) % n, max(i, j) % n) for i, j in raw]
    got = _components(n, np.array(pairs, dtype=np.int64).reshape(-1, 2))
    assert got == _components_by_union_find(n, pairs)


def _link_with_arrays_of_every_node(nodes, v, pairs, prob, cut):
    """eventchains.link as it was: look-ups over every pair at once and an array of every node per part."""
    import numpy as np

    from storyline.crosscheck import eventchains as ec

    labels = list(range(len(nodes)))
    if not len(pairs):
        return labels
    parts = [part for comp in ec._components(len(nodes), pairs[prob >= cut])
             for part in ([comp] if len(comp) <= ec.MAX_COMPONENT else ec._by_lemma(comp, v))]  # fmt: skip
    part_of = np.full(len(nodes), -1, dtype=np.int64)
    for k, part in enumerate(parts):
        part_of[part] = k
    inside = (part_of[pairs[:, 0]] == part_of[pairs[:, 1]]) & (part_of[pairs[:, 0]] >= 0)
    by_part = {}
    for q in np.flatnonzero(inside).tolist():
        by_part.setdefault(int(part_of[pairs[q, 0]]), []).append(q)
    next_label = len(nodes)
    for k, part in enumerate(parts):
        local = np.full(len(nodes), -1, dtype=np.int64)
        local[part] = np.arange(len(part))
        q = np.asarray(by_part.get(k, []), dtype=np.int64)
        sub = local[pairs[q]].reshape(-1, 2)
        for g, lab in zip(part, ec._average_linkage(len(part), sub, prob[q], cut), strict=True):
            labels[g] = next_label + lab
        next_label += len(part) + 1
    return labels


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 40), st.integers(0, 10_000), st.sampled_from([3, 1_000]), st.integers(1, 5))
def test_link_equals_look_ups_over_every_node(n, seed, max_component, chunk) -> None:
    from types import SimpleNamespace

    import numpy as np

    from storyline.crosscheck import eventchains as ec

    rng = np.random.default_rng(seed)
    codes = np.unique(rng.integers(0, n * n, size=rng.integers(0, 3 * n)))
    i, j = codes // n, codes % n
    keep = i < j
    pairs = np.stack([i[keep], j[keep]], axis=1).astype(np.int32)
    prob = rng.random(len(pairs))
    v = SimpleNamespace(lemma_of=rng.integers(0, 3, size=n))  # the lemma split of a component over the cap
    nodes = [None] * n
    old = (ec.MAX_COMPONENT, ec.CHUNK)
    ec.MAX_COMPONENT, ec.CHUNK = max_component, chunk
    try:
        assert ec.link(nodes, v, pairs, prob, 0.5) == _link_with_arrays_of_every_node(nodes, v, pairs, prob, 0.5)
    finally:
        ec.MAX_COMPONENT, ec.CHUNK = old


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([[5, 1], [1, 9]], [1, 5, 9]),  # sorted, each once, across parts
        ([[3, 3, 3]], [3]),
        ([[], []], []),  # no match: empty parts (a block with nothing above the floor)
        ([], []),  # no parts at all
    ],
)
def test_distinct_codes(parts: list[list[int]], expected: list[int]) -> None:
    import numpy as np

    from storyline.crosscheck.cluster import distinct_codes, pair_codes

    arrays = [np.asarray(p, dtype=np.int64) for p in parts]
    got = distinct_codes(arrays)
    assert got.dtype == np.int64 and got.tolist() == expected and arrays == []  # the parts are freed
    assert pair_codes(np.array([4, 1]), np.array([2, 3]), 10).tolist() == [24, 13]  # (min, max) either way
