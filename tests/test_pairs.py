"""storyline.crosscheck.pairs: the fitted same-claim pair model, its features and its stored weights."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from storyline.crosscheck.claims import _encode, make_scorer, same_claim
from storyline.crosscheck.pairs import (
    FEATURES,
    PairModel,
    Proposition,
    View,
    entity_key,
    load_pair_model,
    same_entity,
    text_view,
)
from storyline.errors import ModelError
from storyline.extract.embed import get_embedder


@pytest.fixture(scope="module")
def emb():
    return get_embedder()


def _scorer(views, embedder, kind="embedding"):
    vecs, used, kind = _encode([v.text for v in views], embedder if kind == "embedding" else False)
    return make_scorer(views, vecs, used, load_pair_model(kind))


# --------------------------------------------------------------------------- the stored model


def test_stored_model_loads_and_matches_features() -> None:
    data = json.loads(resources.files("storyline").joinpath("data/claimpair.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert set(data["held_out_topics"]).isdisjoint({2, 5, 12, 18, 21, 23, 34, 35})  # never tuned on dev
    assert set(data["fit_topics"]).isdisjoint(data["held_out_topics"])
    for kind in ("embedding", "lexical"):
        model = load_pair_model(kind)
        assert len(model.weights) == len(model.mean) == len(model.scale) == len(FEATURES)
        assert 0.0 < model.threshold < 1.0
        assert all(s > 0 for s in model.scale)
    # numbers only: no dataset text in the file
    assert all(isinstance(v, (int, float, bool, str, list, dict)) for v in data.values())
    assert len(json.dumps(data)) < 20000


def test_scoring_is_deterministic(emb) -> None:
    views = [View("a", "The mayor closed the bridge over the Halden river on Monday."),
             View("b", "On Monday the mayor shut the Halden river bridge."),
             View("c", "Floods reached 200 houses in Velmont.")]
    first = _scorer(views, emb)
    second = _scorer(views, emb)
    p01, p02 = first.probability(0, 1), first.probability(0, 2)
    assert p01 == second.probability(0, 1) and p02 == second.probability(0, 2)
    assert first.features(0, 1) == pytest.approx(first.features(1, 0))  # symmetric
    assert p01 > 0.5 > p02  # the same closure against an unrelated flood


def test_model_probability_is_logistic() -> None:
    n = len(FEATURES)
    zero = PairModel((0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, 0.5)
    assert zero.probability([3.0] * n) == pytest.approx(0.5)
    one = PairModel((0.0,) * n, (2.0,) * n, (1.0,) + (0.0,) * (n - 1), -1.0, 0.5)
    assert one.probability([2.0] + [9.0] * (n - 1)) == pytest.approx(0.5)  # (2 - 0) / 2 * 1 - 1 = 0
    assert one.probability([100.0] * n) == pytest.approx(1.0)  # clipped, no overflow


def test_bad_model_file_is_a_model_error(monkeypatch) -> None:
    import storyline.crosscheck.pairs as pairs

    load_pair_model.cache_clear()
    monkeypatch.setattr(pairs, "MODEL_RESOURCE", "data/no-such-file.json")
    try:
        with pytest.raises(ModelError):
            pairs.load_pair_model("embedding")
    finally:
        monkeypatch.undo()
        load_pair_model.cache_clear()


# --------------------------------------------------------------------------- features


@pytest.mark.parametrize(
    ("a", "b", "name", "expected"),
    [
        ("The council closed the bridge on Monday.", "The council shut the bridge on Monday.", "negation_mismatch", 0.0),
        ("The council closed the bridge.", "The council did not close the bridge.", "negation_mismatch", 1.0),
        ("Floods reached 200 homes.", "The river flooded 200 houses.", "numbers_agree", 1.0),
        ("Floods reached 200 homes.", "The river flooded 350 houses.", "numbers_clash", 1.0),
        ("Floods reached 200 homes.", "The river flooded 350 houses.", "numbers_agree", 0.0),
        ("Ana Sousa promised to lead a march.", "Ana Sousa led a march.", "plan_mismatch", 1.0),
        ("Ana Sousa led a march.", "Ana Sousa led a protest march.", "plan_mismatch", 0.0),
        ("Crane collapse kills dock workers", "A crane collapsed, killing dock workers.", "headline", 1.0),
        # no match: nothing shared at all
        ("Floods reached 200 homes.", "The minister resigned.", "content_jaccard", 0.0),
        ("Floods reached 200 homes.", "The minister resigned.", "rare_shared", 0.0),
    ],
)
def test_statement_features(emb, a: str, b: str, name: str, expected: float) -> None:
    scorer = _scorer([text_view("x", a), text_view("y", b)], emb)
    assert scorer.features(0, 1)[FEATURES.index(name)] == pytest.approx(expected)


def test_soft_overlap_sees_synonyms(emb) -> None:
    views = [View("a", "The two leaders held talks in Velmont."),
             View("b", "The two leaders had discussions in Velmont."),
             View("c", "The two leaders had lunch in Velmont.")]
    scorer = _scorer(views, emb)
    soft = FEATURES.index("soft_overlap")
    assert scorer.features(0, 1)[soft] > scorer.features(0, 2)[soft]
    lexical = _scorer(views, emb, kind="lexical")
    assert lexical.features(0, 1)[soft] == lexical.features(0, 2)[soft]  # exact stems only


@pytest.mark.parametrize(
    ("p", "q", "name", "expected"),
    [
        (Proposition("arrest", "org:police", "person:ivo-pereira"), Proposition("arrest", "org:police"), "actor_same", 1.0),
        (Proposition("arrest", "org:police"), Proposition("arrest", "org:army"), "actor_clash", 1.0),
        (Proposition("arrest", "org:police"), Proposition("arrest", "org:army"), "actor_same", 0.0),
        (Proposition("sink", when="2026-03-10"), Proposition("sink", when="2026-03"), "when_same", 1.0),
        (Proposition("sink", when="2026-03-10"), Proposition("sink", when="2026-03-12"), "when_clash", 1.0),
        (Proposition("sink", where="place:velmont"), Proposition("sink", where="place:velmont"), "place_same", 1.0),
        (Proposition("sink"), Proposition("sink"), "same_action", 1.0),
        # no match: different actions never compare their arguments
        (Proposition("visit", "org:police"), Proposition("arrest", "org:army"), "actor_clash", 0.0),
        (Proposition("visit"), Proposition("arrest"), "same_action", 0.0),
    ],
)
def test_proposition_features(emb, p: Proposition, q: Proposition, name: str, expected: float) -> None:
    views = [View("a", "Something happened in the town.", props=(p,)), View("b", "Something else happened.", props=(q,))]
    scorer = _scorer(views, emb)
    assert scorer.features(0, 1)[FEATURES.index(name)] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("org:council", "org:northern-seas-council", True),
        ("org:front", "org:sarrow-coastal-front", True),
        ("person:ivo-pereira", "person:ivo-pereira", True),
        ("person:ivo-pereira", "pereira", True),
        ("org:council", "person:council", False),
        ("org:council", "org:harbour-authority", False),
        ("org:seas", "org:northern-seas-council", False),  # a head word that is not at the end
        ("person:ivo-pereira", "person:ana-sousa", False),
        ("police", "army", False),
    ],
)
def test_same_entity(a: str, b: str, expected: bool) -> None:
    assert same_entity(a, b) is expected
    assert same_entity(b, a) is expected


def test_entity_key_without_index() -> None:
    assert entity_key("x", "the harbour police", None) == "police"
    assert entity_key("x", None, None) is None


# --------------------------------------------------------------------------- the decision on invented pairs

DECISIONS = [
    pytest.param("Mayor Ivo Pereira said he was willing to hold talks with the union.",
                 "Pereira indicated he would enter direct negotiations with union leaders, hours after the strike "
                 "began.", True,
                 marks=pytest.mark.xfail(strict=True, reason="the issue's own example: few shared words, the "
                                         "model scores 0.45 against its threshold 0.6 (docs/crosscheck.md)")),
    ("A magnitude 6.1 earthquake struck the coast of Velmont on Tuesday.",
     "The quake, measuring 6.1, hit Velmont's coastline on Tuesday morning.", True),
    # no match: another event of the same kind, another number, unrelated
    ("A magnitude 6.1 earthquake struck the coast of Velmont on Tuesday.",
     "A magnitude 4.2 earthquake struck the north of Halden in March.", False),
    ("Police arrested two men after the robbery in Halden.", "The weather in Velmont was cold and windy.", False),
]


@pytest.mark.parametrize(("a", "b", "expected"), DECISIONS)
def test_same_claim_decisions(emb, a: str, b: str, expected: bool) -> None:
    assert same_claim(a, b, embedder=emb) is expected


def test_features_are_finite(emb) -> None:
    scorer = _scorer([View("a", "Yes."), View("b", "The minister resigned on Friday.")], emb)
    assert np.all(np.isfinite(scorer.features(0, 1)))


def _soft_reference(scorer, i: int, j: int, plain: bool) -> tuple[float, float]:
    """``PairScorer._soft`` written out directly, every part made per pair (as before the parts were cached)."""
    wa, wb = sorted(scorer.content[i]), sorted(scorer.content[j])
    keep_a = [w in scorer.plain[i] for w in wa] if plain else [True] * len(wa)
    keep_b = [w in scorer.plain[j] for w in wb] if plain else [True] * len(wb)
    if not (any(keep_a) and any(keep_b)):
        return 0.0, 0.0
    ma, mb = scorer._wmat[i], scorer._wmat[j]
    if ma is not None and mb is not None:
        sims = ma[keep_a] @ mb[keep_b].T
        best_a, best_b = sims.max(axis=1).tolist(), sims.max(axis=0).tolist()
    else:
        sa_set = {w for w, k in zip(wa, keep_a, strict=True) if k}
        sb_set = {w for w, k in zip(wb, keep_b, strict=True) if k}
        best_a, best_b = [float(w in sb_set) for w in sorted(sa_set)], [float(w in sa_set) for w in sorted(sb_set)]
    wa = [w for w, k in zip(wa, keep_a, strict=True) if k]
    wb = [w for w, k in zip(wb, keep_b, strict=True) if k]
    sa = sum(scorer.idf[w] * max(0.0, x) for w, x in zip(wa, best_a, strict=True)) / sum(scorer.idf[w] for w in wa)
    sb = sum(scorer.idf[w] * max(0.0, x) for w, x in zip(wb, best_b, strict=True)) / sum(scorer.idf[w] for w in wb)
    return (sa, sb) if len(wa) <= len(wb) else (sb, sa)


@pytest.mark.parametrize("kind", ["embedding", "lexical"])
def test_soft_overlap_bits_equal_the_direct_computation(emb, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-item parts of the soft overlap are cached (and the cache is emptied when full): every pair,
    names kept or not, gets the bits the direct computation gives, including a text with no content word."""
    import storyline.crosscheck.pairs as pairs_module

    monkeypatch.setattr(pairs_module, "SIDE_CACHE", 3)  # emptied often along the way
    texts = [
        "Mayor Ilsa Brandt said the bridge over the Varne would reopen on Monday.",
        "The bridge over the Varne river reopens Monday, Mayor Brandt said.",
        "So it is.",  # no content word at all
        "Engineers found cracks in two of the bridge's steel supports last week.",
        "Two steel supports of the bridge were cracked, inspectors reported.",
        "Traffic was diverted through Oldmere while the crossing stayed shut.",
    ]
    scorer = _scorer([text_view(f"s{n}", t) for n, t in enumerate(texts)], emb, kind=kind)
    assert (scorer._wmat[0] is not None) == (kind == "embedding")
    for plain in (False, True):
        for i in range(len(texts)):
            for j in range(len(texts)):
                assert scorer._soft(i, j, plain) == _soft_reference(scorer, i, j, plain), (i, j, plain)
    assert scorer._soft(2, 0, False) == scorer._soft(0, 2, True) == (0.0, 0.0)
