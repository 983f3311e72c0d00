"""storyline.extract.predicates and storyline.crosscheck.eventchains: event words, and the mentions of one event
across sources grouped into chains (cross-document event coreference fitted on ECB+ train)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.eventchains import (
    FEATURES,
    ChainModel,
    Node,
    chain_events,
    link,
    load_chain_model,
    story_nodes,
)
from storyline.extract.nlp import load_nlp
from storyline.extract.predicates import Lexicon, extract_predicates, load_lexicon
from storyline.records import Independence, Span


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


# --------------------------------------------------------------------------- predicates


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("The earthquake struck the coastal town on Monday.", {"earthquake", "strike"}, {"the", "on", "monday"}),
        ("Police arrested two men after the robbery.", {"arrest", "robbery"}, {"two", "after"}),
        ("Rescuers searched the rubble through the night.", {"search"}, {"through"}),
        ("The ministers signed the treaty.", {"sign"}, {"the"}),
        ("The United States Navy said on Tuesday that talks would resume.", {"talk", "resume"}, {"on", "that"}),
        # no-match rows: nothing here names an event
        ("", set(), set()),
        ("42 , 17 ; 9", set(), {"42", "17", "9"}),
    ],
)
def test_predicates_of_a_sentence(nlp, text, present, absent):
    lemmas = {p.lemma for p in extract_predicates(nlp(text))}
    assert present <= lemmas
    assert not (absent & lemmas)


def test_lexicon_rate_is_smoothed_towards_the_tag_prior():
    lex = Lexicon({"weight": 2, "threshold": 0.1, "priors": {"VERB": 0.5, "NOUN": 0.1, "NOUN-deverbal": 0.3},
                   "counts": {"VERB": {"include": [0, 98]}, "NOUN": {"attack": [9, 10]}}})
    assert lex.rate("include", "VERB") == pytest.approx(1 / 100)  # (0 + 2 * 0.5) / (98 + 2)
    assert lex.rate("attack", "NOUN") == pytest.approx(9.2 / 12)
    assert lex.rate("unseen", "VERB") == pytest.approx(0.5)  # no sightings: the prior
    assert lex.rate("negotiation", "NOUN") == pytest.approx(0.3)  # deverbal ending
    assert lex.rate("table", "NOUN") == pytest.approx(0.1)
    assert lex.rate("quickly", "ADV") == 0.0


def test_packaged_lexicon_keeps_common_events_and_drops_words_never_annotated():
    lex = load_lexicon()
    assert lex.rate("kill", "VERB") >= lex.threshold
    assert lex.rate("earthquake", "NOUN") >= lex.threshold
    assert 0 <= lex.threshold < lex.display < 1
    # shown to readers as events: real events yes; a weekday or an unseen name no
    assert lex.rate("kill", "VERB") >= lex.display
    assert lex.rate("tuesday", "PROPN") < lex.display
    assert lex.rate("zzyzxville", "PROPN") < lex.display


_WORDS = st.sampled_from(["The", "storm", "hit", "Tarvik", "and", "killed", "three", ".", "rescue", "began",
                          ",", "officials", "said", "\n", "flooding", "closed", "roads", "Monday"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, max_size=40))
def test_predicate_spans_are_exact_and_in_order(nlp, words):
    text = " ".join(words)
    doc = nlp(text)
    preds = extract_predicates(doc)
    n_sents = len(list(doc.sents))
    for p in preds:
        assert text[p.trigger.start : p.trigger.end] == p.trigger.text
        assert 0 <= p.sentence < n_sents
    assert [p.trigger.start for p in preds] == sorted(p.trigger.start for p in preds)


# --------------------------------------------------------------------------- grouping


def _nodes(n: int) -> list[Node]:
    return [Node(f"a{i}", Span(0, 4, "kill"), "kill", "VERB", Span(0, 4, "kill"), frozenset()) for i in range(n)]


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (0.95, [0, 1, 2]),  # no pair reaches the cut: three groups
        (0.5, [0, 0, 1]),  # 0 and 1 join (0.9); 2's mean link to them is (0.9 + 0) / 2 = 0.45 < 0.5
        (0.4, [0, 0, 0]),  # 0.45 >= 0.4: one group
    ],
)
def test_average_linkage_counts_absent_pairs_as_zero(cut, expected):
    pairs = np.array([[0, 1], [1, 2]])
    prob = np.array([0.9, 0.9])
    labels = link(_nodes(3), None, pairs, prob, cut)
    canon = {lab: k for k, lab in enumerate(dict.fromkeys(labels))}
    assert [canon[lab] for lab in labels] == expected


def test_stored_model_matches_the_features():
    for mode in ("embedding", "lexical"):
        m = load_chain_model(mode)
        assert len(m.weights) == len(m.mean) == len(m.scale) == len(FEATURES)
        assert 0 < m.cut < 1
        x = np.zeros((1, len(FEATURES)))
        assert 0 <= float(m.probability(x)[0]) <= 1


STORY = [
    ("north.txt", "A strong earthquake struck the mountain town of Tarvik on Monday, killing 12 people. "
     "Rescuers searched collapsed houses through the night, the regional governor said.", "2026-03-02"),
    ("south.txt", "Twelve people died when an earthquake hit Tarvik on Monday. The quake destroyed dozens of "
     "houses, and rescue teams searched the rubble for survivors.", "2026-03-02"),
    ("east.txt", "Voters in Melnor elected a new mayor on Sunday after a long campaign about housing and "
     "transport. The new mayor promised cheaper buses.", "2026-03-01"),
]


@pytest.fixture(scope="module")
def story(nlp):
    return make_items(STORY, nlp=nlp)


@pytest.mark.parametrize("embedder", [False, None], ids=["lexical", "embedding"])
def test_one_event_named_by_two_sources_is_one_corroborated_chain(story, embedder):
    from storyline.extract.embed import get_embedder

    emb = get_embedder() if embedder is None else None
    chains = chain_events(story.items, story.index, Independence(), embedder=emb)
    names = story.names
    quake = [c for c in chains if {m.lemma for m in c.mentions} & {"earthquake", "quake"}]
    assert quake, [(c.action, [m.trigger.text for m in c.mentions]) for c in chains]
    best = max(quake, key=lambda c: c.independent)
    assert {names[s] for s in best.sources} == {"north.txt", "south.txt"}
    assert best.status == "corroborated" and best.independent == 2
    # the election is another event: never in a chain with the quake
    assert all("east.txt" not in {names[s] for s in c.sources} for c in quake)
    for c in chains:
        for m in c.mentions:
            assert m.trigger.start >= m.sentence.start and m.trigger.end <= m.sentence.end
            assert m.trigger.text in m.sentence.text


def test_copies_count_once(story):
    north, south = story.ids["north.txt"], story.ids["south.txt"]
    chains = chain_events(story.items, story.index, Independence(groups=((north, south),)), embedder=None)
    assert chains
    assert all(c.independent == 1 and c.status == "single-source" for c in chains
               if set(c.sources) <= {north, south})


def test_chain_citations_verify_against_the_original_text(story):
    chains = chain_events(story.items, story.index, Independence(), embedder=None)
    originals = {c.article.id: c.article.text for c, _ in story.items}
    for chain in chains:
        assert len(chain.mentions) >= 2
        for m in chain.mentions:
            assert originals[m.trigger.source][m.trigger.start : m.trigger.end] == m.trigger.text


def test_no_articles_no_chains():
    assert chain_events((), None, Independence(), embedder=None) == ()
    assert story_nodes((), None) == []


@pytest.mark.parametrize("chunk", [1, 2, 50_000])
def test_probability_a_chunk_at_a_time_equals_all_rows_at_once(story, monkeypatch, chunk):
    from storyline.crosscheck import eventchains

    nodes = story_nodes(story.items, story.index)
    texts = {c.article.id: c.text for c, _ in story.items}
    model = load_chain_model("lexical")
    v, pairs, x = eventchains.candidate_features(nodes, texts, None, model.candidate_cosine)
    assert len(pairs) > 2
    monkeypatch.setattr(eventchains, "CHUNK", chunk)
    assert np.array_equal(eventchains.pair_probability(nodes, v, pairs, model), model.probability(x))


def test_candidate_pairs_are_ordered_distinct_and_of_two_nodes(story):
    from storyline.crosscheck import eventchains

    nodes = story_nodes(story.items, story.index)
    texts = {c.article.id: c.text for c, _ in story.items}
    v = eventchains._views(nodes, texts, None)
    pairs = eventchains.candidate_pairs(nodes, v, load_chain_model("lexical").candidate_cosine)
    assert len(pairs) and (pairs[:, 0] < pairs[:, 1]).all()
    codes = pairs[:, 0].astype(np.int64) * len(nodes) + pairs[:, 1]
    assert (np.diff(codes) > 0).all()  # sorted by (i, j), none twice
    lemmas = {(nodes[i].lemma, nodes[j].lemma) for i, j in pairs.tolist()}
    assert any(a == b for a, b in lemmas)  # a lemma's nodes are paired with each other


def test_a_custom_model_with_a_high_cut_links_nothing(story):
    from storyline.crosscheck.eventchains import group_nodes

    nodes = story_nodes(story.items, story.index)
    texts = {c.article.id: c.text for c, _ in story.items}
    never = ChainModel(tuple([0.0] * len(FEATURES)), -10.0, tuple([0.0] * len(FEATURES)),
                       tuple([1.0] * len(FEATURES)), 0.5, 0.5)
    labels = group_nodes(nodes, texts, None, never)
    assert len(set(labels)) == len(nodes)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.floats(0, 1, width=32), min_size=n * 5, max_size=n * 5),
            st.lists(st.tuples(st.integers(0, 3 * n - 1), st.integers(0, 3 * n - 1)), max_size=40),
        )
    ),
    st.integers(1, 60),
    st.booleans(),
)
def test_article_cosines_of_pairs_equal_the_whole_sparse_product(data, cells, sort_pairs):
    """The article cosines made for the pairs' rows only, a few cells at a time, are the whole Gram
    matrix's, bit for bit (nodes: three per article, in article order; pairs sorted by node or not)."""
    from types import SimpleNamespace

    from scipy.sparse import csr_matrix

    import storyline.crosscheck.eventchains as ec

    n, values, pairs = data
    dense = np.asarray(values, dtype=np.float64).reshape(n, 5)
    dense[dense < 0.5] = 0.0  # sparse rows, some empty
    rows = csr_matrix(dense)
    whole = np.asarray((rows @ rows.T).todense(), dtype=np.float32)
    pairs = sorted(pairs) if sort_pairs else pairs
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    v = SimpleNamespace(article_of=np.repeat(np.arange(n), 3), article_rows=rows, article_cols=rows.T.tocsr())
    saved = ec.GRAM_CELLS
    ec.GRAM_CELLS = cells  # rows per block: cells // n, at least one
    try:
        got = ec._article_cos(v, a, b)
    finally:
        ec.GRAM_CELLS = saved
    assert got.dtype == np.float32 and got.shape == (len(pairs),)
    assert np.array_equal(got, whole[a // 3, b // 3])
