"""Story clustering and clustering metrics (all texts below are invented for these tests)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from storyline.crosscheck.cluster import (
    DEFAULT_THRESHOLD,
    EMBED_SIZE_RATIO,
    EMBED_THRESHOLD,
    EMBED_WEIGHT,
    SIZE_RATIO,
    StoryCluster,
    _average_linkage,
    _dendrogram,
    _size_ratio,
    adjusted_rand_index,
    bcubed,
    cluster_articles,
    lead_text,
    mixed_similarity,
    normalized_mutual_info,
    pairwise_similarity,
)
from storyline.errors import InputError, ModelError

FLOOD = {
    "flood-1": (
        "River Tarn bursts its banks in Varnholt\n\nThe River Tarn burst its banks in Varnholt overnight, "
        "flooding two hundred homes. Mayor Elsie Quarrington opened the sports hall as a shelter and asked "
        "residents of the lower town to leave. Firefighters used boats to reach stranded families."
    ),
    "flood-2": (
        "Varnholt flood: evacuation widens\n\nMayor Elsie Quarrington ordered a wider evacuation of Varnholt "
        "after the River Tarn rose another metre. Sandbags failed along the embankment and water reached "
        "the market square. The shelter in the sports hall is now full."
    ),
    "flood-3": (
        "Insurers count the cost of the Tarn flood\n\nInsurers said claims from the Varnholt flood could "
        "pass forty million. Homes beside the River Tarn were worst hit, and Elsie Quarrington, the mayor, "
        "asked the government for emergency funds to repair the embankment."
    ),
    "flood-4": (
        "Water recedes in Varnholt\n\nThe River Tarn fell below its banks on Thursday and residents of "
        "Varnholt began returning to flooded homes. Mayor Quarrington thanked firefighters and volunteers "
        "who filled sandbags for three nights."
    ),
}
BREACH = {
    "breach-1": (
        "Quillon Systems admits data breach\n\nSoftware maker Quillon Systems said hackers copied the "
        "passwords and addresses of nine million customers. Chief executive Dorian Vesk apologised and "
        "urged users to change their passwords at once."
    ),
    "breach-2": (
        "Regulator opens inquiry into Quillon Systems\n\nThe data protection regulator opened an inquiry "
        "into the Quillon Systems breach. Dorian Vesk, the chief executive, said the hackers entered "
        "through an unpatched server and that customer passwords were encrypted."
    ),
    "breach-3": (
        "Quillon shares slide after hack\n\nShares in Quillon Systems fell by a fifth after the breach "
        "exposed customer data. Analysts questioned whether Dorian Vesk can keep his job as the regulator "
        "investigates the hackers and the unpatched server."
    ),
}
FOOTBALL = {
    "football-1": (
        "Dunmere Rovers sack manager Ottilie Brannagh\n\nDunmere Rovers dismissed manager Ottilie Brannagh "
        "after a sixth straight defeat left the club bottom of the league. The chairman thanked Brannagh "
        "for two seasons in charge."
    ),
    "football-2": (
        "Who will replace Brannagh at Dunmere Rovers?\n\nDunmere Rovers are searching for a new manager "
        "after Ottilie Brannagh left the club. Former captain Feargal Mottram is the favourite among the "
        "fans, who blame the chairman for the defeat run."
    ),
    "football-3": (
        "Mottram named Dunmere Rovers manager\n\nDunmere Rovers appointed Feargal Mottram as manager on a "
        "two year contract. Mottram, who captained the club, replaces Ottilie Brannagh and must lift the "
        "team off the bottom of the league."
    ),
}
OFF_TOPIC = {
    "bread": (
        "How to bake a rye loaf\n\nMix rye flour, water and a spoon of sourdough starter, then leave the "
        "dough to rise in a warm kitchen. Bake at a high heat until the crust is dark and the loaf sounds "
        "hollow when tapped."
    ),
    "tomatoes": (
        "Growing tomatoes on a balcony\n\nTomato plants need sun, deep pots and steady watering. Pinch out "
        "the side shoots, tie the stems to canes and feed them with seaweed once the first trusses of "
        "flowers appear."
    ),
}
CORPUS = {**FLOOD, **BREACH, **FOOTBALL, **OFF_TOPIC}


def _groups(clusters: tuple[StoryCluster, ...]) -> set[frozenset[str]]:
    return {frozenset(c.article_ids) for c in clusters}


def test_mixed_pile_is_grouped_by_story() -> None:
    clusters = cluster_articles(list(CORPUS.items()))
    assert _groups(clusters) == {
        frozenset(FLOOD),
        frozenset(BREACH),
        frozenset(FOOTBALL),
        frozenset({"bread"}),
        frozenset({"tomatoes"}),
    }
    # Largest first; ids inside a cluster keep input order.
    assert clusters[0].article_ids == tuple(FLOOD)
    assert [len(c.article_ids) for c in clusters] == [4, 3, 3, 1, 1]


@pytest.mark.parametrize(
    ("story", "expected_in_label"),
    [(FLOOD, "Varnholt"), (BREACH, "Quillon"), (FOOTBALL, "Dunmere Rovers")],
)
def test_labels_name_the_story(story: dict[str, str], expected_in_label: str) -> None:
    clusters = cluster_articles(list(CORPUS.items()))
    (cluster,) = [c for c in clusters if set(c.article_ids) == set(story)]
    assert expected_in_label in cluster.label


def test_input_order_does_not_change_groups() -> None:
    items = list(CORPUS.items())
    forward = cluster_articles(items)
    backward = cluster_articles(items[::-1])
    assert _groups(forward) == _groups(backward)
    assert {c.id for c in forward} == {c.id for c in backward}


def test_deterministic() -> None:
    items = list(CORPUS.items())
    assert cluster_articles(items) == cluster_articles(items)


def test_single_and_empty() -> None:
    assert cluster_articles([]) == ()
    (only,) = cluster_articles([("a", FLOOD["flood-1"])])
    assert only.article_ids == ("a",)
    assert "Varnholt" in only.label or "Tarn" in only.label


@pytest.mark.parametrize(
    ("articles", "expected"),
    [
        # Two articles on one story cluster together.
        ([("x", FLOOD["flood-1"]), ("y", FLOOD["flood-2"])], [["x", "y"]]),
        # Two articles on different stories do not.
        ([("x", FLOOD["flood-1"]), ("y", BREACH["breach-1"])], [["x"], ["y"]]),
        # Empty and stop-word-only texts are singletons.
        ([("x", ""), ("y", "")], [["x"], ["y"]]),
        ([("x", "It was the one that they said."), ("y", "And so it was, they said.")], [["x"], ["y"]]),
    ],
)
def test_small_piles(articles: list[tuple[str, str]], expected: list[list[str]]) -> None:
    assert sorted(list(c.article_ids) for c in cluster_articles(articles)) == expected


def test_threshold_extremes() -> None:
    items = list(CORPUS.items())
    everything_alone = cluster_articles(items, threshold=1.0)
    assert len(everything_alone) == len(items)
    assert len(cluster_articles(items, threshold=0.0)) < len(cluster_articles(items))


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_bad_threshold(bad: float) -> None:
    with pytest.raises(InputError):
        cluster_articles([("a", "text")], threshold=bad)


def test_repeated_id() -> None:
    with pytest.raises(InputError):
        cluster_articles([("a", "one text"), ("a", "another text")])


def test_default_threshold_is_a_fraction() -> None:
    assert 0.0 < DEFAULT_THRESHOLD < 1.0


# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        # perfect
        ("aabb", "xxyy", (1.0, 1.0, 1.0)),
        # all in one predicted cluster: precision 1/2 for each item, recall 1
        ("aabb", "xxxx", (0.5, 1.0, 2 / 3)),
        # all singletons: precision 1, recall 1/2
        ("aabb", "wxyz", (1.0, 0.5, 2 / 3)),
        # one item misplaced: a1 a2 | a3 b1 b2 ; gold a a a b b
        ("aaabb", "xxyyy", ((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5, (2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5, None)),
        # gold singletons predicted as singletons
        ("abc", "xyz", (1.0, 1.0, 1.0)),
    ],
)
def test_bcubed_table(gold: str, pred: str, expected: tuple[float, float, float | None]) -> None:
    p, r, f = bcubed(list(gold), list(pred))
    assert p == pytest.approx(expected[0])
    assert r == pytest.approx(expected[1])
    want_f = (
        expected[2]
        if expected[2] is not None
        else 2 * expected[0] * expected[1] / (expected[0] + expected[1])
    )
    assert f == pytest.approx(want_f)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("aabb", "xxyy", 1.0),
        ("aabb", "yyxx", 1.0),
        ("aabb", "xxxx", 0.0),  # one side has zero entropy: no information shared
        ("aabb", "xyxy", 0.0),  # independent
        ("aaaa", "xxxx", 1.0),  # both trivial and equal
        # gold a a b b, pred x x x y: I = ln2 - 3/4 ln3 + ln2... computed below by hand
        ("aabb", "xxxy", None),
    ],
)
def test_nmi_table(gold: str, pred: str, expected: float | None) -> None:
    if expected is None:
        # H(G) = ln 2; H(P) = -(3/4 ln 3/4 + 1/4 ln 1/4);
        # I = 2/4 ln(2*4/(2*3)) + 1/4 ln(1*4/(2*3)) + 1/4 ln(1*4/(2*1))
        hg = math.log(2)
        hp = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
        mi = 0.5 * math.log(8 / 6) + 0.25 * math.log(4 / 6) + 0.25 * math.log(2)
        expected = mi / ((hg + hp) / 2)
    assert normalized_mutual_info(list(gold), list(pred)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("aabb", "xxyy", 1.0),
        ("aabb", "xxxx", 0.0),  # all in one: agreement at chance level
        ("aabb", "wxyz", 0.0),  # all singletons: chance level too
        ("aabb", "xyxy", -0.5),  # worse than chance
        # gold a a b b, pred x x x y: index 1, expected 2*3/6 = 1, max (2+3)/2 = 2.5 -> 0/1.5 = 0
        ("aabb", "xxxy", 0.0),
        # gold a a a b b, pred x x y y y: index 1+1 = 2, expected 4*4/10 = 1.6, max 4 -> 0.4/2.4
        ("aaabb", "xxyyy", 0.4 / 2.4),
    ],
)
def test_ari_table(gold: str, pred: str, expected: float) -> None:
    assert adjusted_rand_index(list(gold), list(pred)) == pytest.approx(expected)


def test_metrics_reject_length_mismatch() -> None:
    for metric in (bcubed, normalized_mutual_info, adjusted_rand_index):
        with pytest.raises(InputError):
            metric(["a", "b"], ["x"])


labelings = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(labelings)
def test_metrics_of_a_clustering_against_itself(labels: list[int]) -> None:
    assert bcubed(labels, labels) == pytest.approx((1.0, 1.0, 1.0))
    assert normalized_mutual_info(labels, labels) == pytest.approx(1.0)
    assert adjusted_rand_index(labels, labels) == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_metric_bounds_and_symmetry(data: st.DataObject) -> None:
    gold = data.draw(labelings)
    pred = data.draw(st.lists(st.integers(0, 4), min_size=len(gold), max_size=len(gold)))
    p, r, f = bcubed(gold, pred)
    assert 0.0 <= p <= 1.0 and 0.0 <= r <= 1.0 and 0.0 <= f <= 1.0
    # Swapping gold and prediction swaps precision and recall and keeps F1.
    p2, r2, f2 = bcubed(pred, gold)
    assert (p2, r2) == pytest.approx((r, p))
    assert f2 == pytest.approx(f)
    nmi = normalized_mutual_info(gold, pred)
    assert 0.0 <= nmi <= 1.0
    assert normalized_mutual_info(pred, gold) == pytest.approx(nmi)
    ari = adjusted_rand_index(gold, pred)
    assert -1.0 <= ari <= 1.0 + 1e-12
    assert adjusted_rand_index(pred, gold) == pytest.approx(ari)
    # Renaming clusters changes nothing.
    renamed = [f"c{x * 7}" for x in pred]
    assert bcubed(gold, renamed) == pytest.approx((p, r, f))
    assert normalized_mutual_info(gold, renamed) == pytest.approx(nmi)


# --------------------------------------------------------------------------- properties of the clustering

_VOCAB = [
    "Varnholt",
    "river",
    "flood",
    "Quillon",
    "breach",
    "server",
    "Rovers",
    "manager",
    "league",
    "bread",
    "the",
    "said",
    "and",
    "Elsie Quarrington",
    "Dorian Vesk",
    "sandbags",
    "passwords",
    "defeat",
]
_texts = st.lists(st.sampled_from(_VOCAB), min_size=0, max_size=30).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_texts, min_size=0, max_size=8), st.floats(min_value=0.0, max_value=1.0))
def test_clusters_partition_the_input(texts: list[str], threshold: float) -> None:
    articles = [(f"a{i}", t) for i, t in enumerate(texts)]
    clusters = cluster_articles(articles, threshold=threshold)
    seen = [aid for c in clusters for aid in c.article_ids]
    assert sorted(seen) == sorted(aid for aid, _ in articles)
    assert len({c.id for c in clusters}) == len(clusters)
    assert [len(c.article_ids) for c in clusters] == sorted(
        (len(c.article_ids) for c in clusters), reverse=True
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(_texts, min_size=1, max_size=8))
def test_similarity_is_a_symmetric_cosine(texts: list[str]) -> None:
    sim = pairwise_similarity(texts)
    assert sim.shape == (len(texts), len(texts))
    assert (sim == sim.T).all() or abs(sim - sim.T).max() < 1e-6
    assert sim.min() >= -1e-6 and sim.max() <= 1 + 1e-5
    assert all(sim[i, i] == 0 for i in range(len(texts)))


@pytest.mark.parametrize(
    ("a", "b", "related"),
    [
        # Same names, different wording: related.
        (
            "Elsie Quarrington visited Varnholt after the flood.",
            "Varnholt mayor Elsie Quarrington praised volunteers after the flood.",
            True,
        ),
        # Only boilerplate and function words in common: unrelated.
        (
            "He said on Monday that it was a good week.",
            "She told reporters on Friday that it was a long year.",
            False,
        ),
        # Different stories sharing one common word.
        (
            "The Varnholt flood destroyed the old bridge over the River Tarn.",
            "Quillon Systems promised to rebuild its bridge to customers after hackers breached its servers.",
            False,
        ),
    ],
)
def test_pair_similarity_table(a: str, b: str, related: bool) -> None:
    sim = pairwise_similarity([a, b, CORPUS["bread"], CORPUS["tomatoes"]])
    assert bool(sim[0, 1] >= DEFAULT_THRESHOLD) is related


# --------------------------------------------------------------------------- size-aware cut

PLAIN = ((1, 1.0),)


def _blocks(
    n_story: int, within: float, outsider: float, n_out: int = 1, between_out: float = 0.0
) -> np.ndarray:
    """A story of ``n_story`` articles at cosine ``within``, plus ``n_out`` outsiders at ``outsider`` to each
    story article and ``between_out`` to each other."""
    n = n_story + n_out
    sim = np.full((n, n), between_out, dtype=np.float32)
    sim[:n_story, :n_story] = within
    sim[:n_story, n_story:] = outsider
    sim[n_story:, :n_story] = outsider
    np.fill_diagonal(sim, 0.0)
    return sim


@pytest.mark.parametrize(
    ("sim", "ratios", "expected"),
    [
        # An outsider at 0.05 to each of 30 story pages: a mean over 30 pairs, far above unrelated pages.
        (_blocks(30, 0.3, 0.05), SIZE_RATIO, 1),
        # ... but not with one fixed threshold (the old cut left it alone).
        (_blocks(30, 0.3, 0.05), PLAIN, 2),
        # At 0.02 it stays out either way (below threshold x the smallest ratio).
        (_blocks(30, 0.3, 0.02), SIZE_RATIO, 2),
        # Two single articles at 0.05 do not pair: one pair needs the full threshold.
        (_blocks(1, 0.0, 0.05), SIZE_RATIO, 2),
        (_blocks(1, 0.0, 0.07), SIZE_RATIO, 1),
        # Two outsiders that pair with each other (0.2) and sit at 0.045 to a story of 20 join it: 40 pairs.
        (_blocks(20, 0.3, 0.045, n_out=2, between_out=0.2), SIZE_RATIO, 1),
        (_blocks(20, 0.3, 0.045, n_out=2, between_out=0.2), PLAIN, 2),
        # Two stories of 4 at 0.03 between them stay apart (16 pairs: 0.067 x 0.605 = 0.041 needed).
        (_blocks(4, 0.3, 0.03, n_out=4, between_out=0.3), SIZE_RATIO, 2),
    ],
)
def test_size_aware_cut(sim: np.ndarray, ratios: tuple[tuple[int, float], ...], expected: int) -> None:
    assert len(set(_average_linkage(sim, DEFAULT_THRESHOLD, ratios))) == expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (1, 1.0),
        (0.5, 1.0),  # below the table: its first value
        (2, dict(SIZE_RATIO)[2]),
        (64, dict(SIZE_RATIO)[64]),
        (10_000, dict(SIZE_RATIO)[64]),  # above the table: flat
        (math.sqrt(2 * 4), (dict(SIZE_RATIO)[2] + dict(SIZE_RATIO)[4]) / 2),  # log-linear in between
    ],
)
def test_size_ratio_table(pairs: float, expected: float) -> None:
    assert _size_ratio(pairs) == pytest.approx(expected)


@pytest.mark.parametrize("table", [SIZE_RATIO, EMBED_SIZE_RATIO])
def test_calibrated_tables_fall_from_one(table: tuple[tuple[int, float], ...]) -> None:
    ks = [k for k, _ in table]
    rs = [r for _, r in table]
    assert table[0] == (1, 1.0) and ks == sorted(ks)
    assert all(0.3 < r <= 1.0 for r in rs) and rs == sorted(rs, reverse=True)


def _naive_upgma(sim: np.ndarray, threshold: float) -> set[frozenset[int]]:
    """Textbook average linkage: merge the closest pair of groups while their mean similarity >= threshold."""
    groups = [[i] for i in range(sim.shape[0])]
    while len(groups) > 1:
        best, pair = -1.0, (0, 0)
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                mean = float(sim[np.ix_(groups[a], groups[b])].mean())
                if mean > best:
                    best, pair = mean, (a, b)
        if best < threshold:
            break
        a, b = pair
        groups[a] += groups.pop(b)
    return {frozenset(g) for g in groups}


def _partition(labels: list[int]) -> set[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for i, lab in enumerate(labels):
        out.setdefault(lab, set()).add(i)
    return {frozenset(v) for v in out.values()}


# Random similarity matrices (seeded by hypothesis): ties between means have probability zero.
_matrices = st.tuples(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=2**32 - 1))


def _matrix(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sim = np.triu(rng.random((n, n), dtype=np.float32), 1)
    return sim + sim.T


@settings(max_examples=80, deadline=None)
@given(_matrices, st.floats(min_value=0.05, max_value=0.95))
def test_plain_cut_is_textbook_upgma(nm: tuple[int, int], threshold: float) -> None:
    sim = _matrix(*nm)
    heights = [h for _, _, h, _, _ in _dendrogram(sim, 0.0)]
    assume(all(abs(h - threshold) > 1e-4 for h in heights))  # float32 vs float64 at the very threshold
    assert _partition(_average_linkage(sim, threshold, PLAIN)) == _naive_upgma(sim, threshold)


@settings(max_examples=80, deadline=None)
@given(_matrices, st.floats(min_value=0.05, max_value=0.95))
def test_size_aware_cut_only_coarsens(nm: tuple[int, int], threshold: float) -> None:
    sim = _matrix(*nm)
    plain = _partition(_average_linkage(sim, threshold, PLAIN))
    sized = _partition(_average_linkage(sim, threshold, SIZE_RATIO))
    # Every plain cluster lies inside one size-aware cluster, which never splits what the plain cut joins.
    assert all(any(p <= s for s in sized) for p in plain)
    assert len(sized) <= len(plain)


@pytest.mark.parametrize(
    ("side", "joins"),
    [
        # Shares a little with each flood page (river, water, lower town, volunteer): joins the story,
        # where the one fixed threshold left it alone.
        (
            "A florist on Deller Street remembers\n\nThe florist who sold carnations near the lower town said "
            "the water came into her shop within an hour. Her daughter, a volunteer, said the river had never "
            "risen like that.",
            True,
        ),
        # Shares less (no volunteer, no risen river): stays alone under both cuts.
        (
            "A florist on Deller Street remembers\n\nThe florist who sold carnations in the lower town said "
            "the water came into her shop within an hour. Her daughter said nobody had seen the river so high.",
            False,
        ),
    ],
)
def test_side_thread_page(side: str, joins: bool) -> None:
    items = [*FLOOD.items(), ("side", side), *BREACH.items(), *FOOTBALL.items(), *OFF_TOPIC.items()]
    plain = _partition(_average_linkage(pairwise_similarity([t for _, t in items]), DEFAULT_THRESHOLD, PLAIN))
    assert frozenset([4]) in plain  # the old cut: a singleton either way
    groups = _groups(cluster_articles(items))
    assert (frozenset([*FLOOD, "side"]) in groups) is joins
    assert frozenset(BREACH) in groups and frozenset(FOOTBALL) in groups


# --------------------------------------------------------------------------- embedding option


@pytest.mark.parametrize(
    ("text", "chars", "expected"),
    [
        ("Short headline", 300, "Short headline"),
        ("  Padded   headline\n\nand   body.  ", 300, "Padded headline and body."),
        # Cut after the last full sentence inside the window.
        ("Head\n\nOne two three. Four five six. Seven eight nine", 30, "Head One two three."),
        # No sentence end or line break in the window: a hard cut.
        ("abcdefghij" * 10, 25, "abcdefghijabcdefghijabcde"),
        # A break too early (before a third of the window) is not used.
        ("A. " + "x" * 40, 30, "A. " + "x" * 27),
        ("", 300, ""),
    ],
)
def test_lead_text_table(text: str, chars: int, expected: str) -> None:
    assert lead_text(text, chars) == expected


@pytest.mark.parametrize(
    ("lex", "emb", "weight", "expected"),
    [
        (0.1, 0.5, 0.0, 0.1),
        (0.1, 0.5, 1.0, 0.5),
        (0.1, 0.5, 0.25, 0.2),
        (0.0, 0.0, 0.5, 0.0),
    ],
)
def test_mixed_similarity_table(lex: float, emb: float, weight: float, expected: float) -> None:
    a = np.array([[0.0, lex], [lex, 0.0]], dtype=np.float32)
    b = np.array([[0.0, emb], [emb, 0.0]], dtype=np.float32)
    assert mixed_similarity(a, b, weight)[0, 1] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("shape_b", "weight"),
    [((3, 3), 0.5), ((2, 2), -0.1), ((2, 2), 1.5)],
)
def test_mixed_similarity_rejects(shape_b: tuple[int, int], weight: float) -> None:
    with pytest.raises(InputError):
        mixed_similarity(np.zeros((2, 2)), np.zeros(shape_b), weight)


def test_embedding_constants() -> None:
    assert 0.0 < EMBED_WEIGHT < 0.5  # the lexical signal stays the main one
    assert DEFAULT_THRESHOLD < EMBED_THRESHOLD < 1.0


class _SameVector:
    """An embedder (the storyline.extract.embed protocol) that maps every text to one vector: the embedding
    signal then says "all alike", and only the lexical part can keep stories apart."""

    name = "same-vector"
    dim = 2

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))


@pytest.mark.parametrize(
    ("threshold", "expected_clusters"),
    [
        # Mixed similarity >= EMBED_WEIGHT for every pair: a threshold below it joins everything.
        (EMBED_WEIGHT * 0.9, 1),
        # A threshold above EMBED_WEIGHT + (1 - EMBED_WEIGHT) * 1 is never reached: all singletons.
        (1.0, len(CORPUS)),
    ],
)
def test_embedding_signal_is_mixed_in(threshold: float, expected_clusters: int) -> None:
    clusters = cluster_articles(
        list(CORPUS.items()), threshold=threshold, embeddings=True, embedder=_SameVector()
    )
    assert len(clusters) == expected_clusters


def test_embedder_is_ignored_without_the_option() -> None:
    items = list(CORPUS.items())
    assert cluster_articles(items, embedder=_SameVector()) == cluster_articles(items)


@pytest.mark.slow
def test_real_embeddings_group_the_mixed_pile() -> None:
    try:
        clusters = cluster_articles(list(CORPUS.items()), embeddings=True)
    except ModelError as exc:  # the optional model is not installed here
        pytest.skip(str(exc))
    assert frozenset(FLOOD) in _groups(clusters)
    assert frozenset(BREACH) in _groups(clusters)
    assert frozenset(FOOTBALL) in _groups(clusters)
