"""Independence (who copies whom): shingle copies, embedding rewrites, grouping, evidence citations."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.independence import _lis, align, find_independence, sentence_segments
from storyline.crosscheck.syndication import containment, shingles
from storyline.errors import ModelError
from storyline.ingest.spans import OffsetMap
from storyline.records import Article, CleanArticle, CopyRelation, Extraction, Independence, Span

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_expected.json"

# --------------------------------------------------------------------------- self-written articles

ORIGINAL = """River Drenna floods Harnwick as dam gates open

HARNWICK, Dec 10 - Floodwater from the River Drenna swept through the lower town of Harnwick on Wednesday \
after engineers opened the gates of the Colby Reservoir dam to relieve pressure on its walls.

Mayor Ottilie Brennan said 340 homes had been evacuated overnight and that two schools would stay closed \
until Friday.

"We had no choice but to release the water, because the dam would not have held another night of rain," \
said Hamish Torvald, the chief engineer of the regional water board.

The regional water board said the river rose by almost three metres in six hours, the fastest rise \
recorded since the reservoir was built in 1968.

Emergency crews used boats to rescue 27 people from the roofs of houses near the old mill bridge, the fire \
service said.

No deaths have been reported, but four people were treated in hospital for hypothermia.

The national weather office forecast another 40 millimetres of rain for Thursday and warned that the \
Drenna could rise again.

Brennan said a shelter at the Harnwick sports hall was housing about 150 residents and appealed for \
donations of blankets and dry food.
"""

# The same words with different punctuation: another article id, the same shingles.
SAME_WORDS = ORIGINAL.replace("Dec 10 - ", "Dec 10 -- ").replace("overnight and", "overnight, and")

# A regional paper runs the first half of the story under its own headline.
TRIMMED = "Harnwick evacuates 340 homes\n\n" + ORIGINAL.split("\n\n", 1)[1].split("\n\nEmergency crews")[0] + "\n"

# A content farm rewords the story sentence by sentence: same facts, same order, same quote.
PARAPHRASE = """Harnwick hit by Drenna flooding after reservoir release

On Wednesday, water from the Drenna river poured into low-lying parts of Harnwick once engineers released \
the gates at the Colby Reservoir dam to ease the strain on its walls.

According to Mayor Ottilie Brennan, 340 households were moved out during the night, and two schools will \
remain shut until Friday.

"We had no choice but to release the water, because the dam would not have held another night of rain," \
Hamish Torvald, who leads engineering at the regional water board, explained.

The water board reported that the river climbed nearly three metres within six hours, the quickest \
increase since the reservoir opened in 1968.

Rescue teams in boats pulled 27 residents off rooftops close to the old mill bridge, according to the \
fire service.

Nobody has died, although four people needed hospital treatment for hypothermia.

Forecasters at the national weather office expect a further 40 millimetres of rain on Thursday and \
cautioned that the Drenna may rise once more.

Brennan added that roughly 150 people were staying in an emergency shelter at the Harnwick sports hall, \
and she asked for blankets and dry food to be donated.
"""

# An independent report of the same flood: same facts and the same press-conference quote, own structure.
INDEPENDENT = """Dam release leaves Harnwick families counting the cost

For Edda Morrow, a retired nurse who has lived beside the old mill bridge for thirty years, the first sign \
was the sound of water under her kitchen door shortly after midnight.

By dawn her street was a canal. Neighbours waded past with children on their shoulders while a fire \
service boat worked its way along the row of terraced houses.

The flooding followed a decision by the regional water board to open the Colby Reservoir gates. "We had \
no choice but to release the water, because the dam would not have held another night of rain," Hamish \
Torvald, the board's chief engineer, told a press conference.

Critics question whether the board waited too long. Councillor Rafe Idris said residents had been warning \
about the state of the dam for years and called for an independent review of its maintenance.

Shopkeepers on Mill Street said they had moved stock upstairs but expected losses running into thousands \
of pounds.

Morrow, who spent the night at the sports hall shelter, said she did not know when she could go home. \
"Everything downstairs is gone," she said.
"""

UNRELATED = """Vessington library reopens after two-year restoration

The public library in Vessington reopened on Saturday after a restoration that replaced its leaking \
copper roof and rebuilt the reading room destroyed by a fire in 2023.

Librarian Corin Ashdown said the building now holds 48,000 books, including a local history collection \
donated by the Penhale family.

The council spent 2.1 million on the work, most of it from a heritage grant awarded last spring.

Visitors queued along Quay Street before the doors opened, and the first hundred received a free tote bag.

Ashdown said the library would stay open until nine in the evening on weekdays from January.
"""


@pytest.fixture(scope="module")
def nlp():
    from storyline.extract.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def embedder():
    from storyline.extract.embed import get_embedder

    try:
        return get_embedder()
    except ModelError as exc:  # pragma: no cover - depends on the installation
        pytest.skip(f"no sentence embedder: {exc}")


@pytest.fixture(scope="module")
def corpus(nlp):
    """All self-written articles analysed once by the real pipeline."""
    return make_items(
        [
            ("original", ORIGINAL, "2025-12-10", "Drenna Valley Gazette"),
            ("same-words", SAME_WORDS, "2025-12-11", "Harnwick Herald"),
            ("trimmed", TRIMMED, "2025-12-11", "Colby Echo"),
            ("paraphrase", PARAPHRASE, "2025-12-12", "Quick News Hub"),
            ("independent", INDEPENDENT, "2025-12-10", "Northern Observer"),
            ("unrelated", UNRELATED, "2025-12-10", "Vessington Times"),
        ],
        nlp=nlp,
    )


def _subset(corpus, names):
    keep = {corpus.ids[n] for n in names}
    return tuple(it for it in corpus.items if it[0].article.id in keep)


def _named(result: Independence, corpus) -> list[list[str]]:
    return [[corpus.names[a] for a in g] for g in result.groups]


def _check_evidence(link: CopyRelation, items) -> None:
    by_id = {c.article.id: c for c, _ in items}
    copy = by_id[link.copy].article
    assert link.evidence, "a copy link must cite what it repeats"
    assert len(link.evidence) <= 3
    for cit in link.evidence:
        assert cit.source == copy.id
        assert 0 <= cit.start < cit.end <= len(copy.text)
        assert cit.text == copy.text[cit.start : cit.end]
        assert cit.text.strip() == cit.text and len(cit.text.split()) >= 5


# --------------------------------------------------------------------------- the sample corpus


def test_sample_wire_groups_exactly(sample_items):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))["wire_groups"]
    result = find_independence(sample_items.items, sample_items.index, embedder=False)
    assert _named(result, sample_items) == expected
    assert {(sample_items.names[lk.copy], sample_items.names[lk.origin]) for lk in result.links} == {
        (copy, expected[0][0]) for copy in expected[0][1:]
    }
    for link in result.links:
        assert link.method == "minhash" and link.kind == "rewrite" and 0.4 <= link.similarity < 0.8
        _check_evidence(link, sample_items.items)


def test_sample_with_embeddings_adds_nothing(sample_items, embedder):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))["wire_groups"]
    result = find_independence(sample_items.items, sample_items.index, embedder=embedder)
    assert _named(result, sample_items) == expected
    assert all(lk.method == "minhash" for lk in result.links)


# --------------------------------------------------------------------------- self-written cases


@pytest.mark.parametrize(
    ("names", "expected_groups", "expected_kind"),
    [
        (("original", "same-words"), [["original", "same-words"]], "identical"),
        (("original", "trimmed"), [["original", "trimmed"]], "wire copy"),
        (("same-words", "trimmed", "original"), [["original", "same-words", "trimmed"]], None),
        (("original", "independent"), [], None),  # shares a quote and facts: still independent
        (("original", "unrelated"), [], None),
        (("independent", "unrelated"), [], None),
    ],
)
def test_shingle_copies(corpus, names, expected_groups, expected_kind):
    items = _subset(corpus, names)
    result = find_independence(items, corpus.index, embedder=False)
    assert _named(result, corpus) == expected_groups
    assert len(result.links) == sum(len(g) - 1 for g in expected_groups)
    for link in result.links:
        assert link.method == "minhash" and corpus.names[link.origin] == "original"
        if expected_kind:
            assert link.kind == expected_kind
        _check_evidence(link, items)


def test_trimmed_copy_evidence_is_shared_text(corpus):
    items = _subset(corpus, ("original", "trimmed"))
    (link,) = find_independence(items, corpus.index, embedder=False).links
    assert link.similarity >= 0.95
    for cit in link.evidence:
        assert cit.text in ORIGINAL  # the copy's passages repeat the origin word for word


def test_paraphrase_is_not_a_shingle_copy(corpus):
    ratio, _ = containment(shingles(ORIGINAL), shingles(PARAPHRASE))
    assert ratio < 0.4  # so only the sentence alignment can find it
    items = _subset(corpus, ("original", "paraphrase"))
    assert find_independence(items, corpus.index, embedder=False).groups == ()


def test_paraphrased_rewrite_found_by_embeddings(corpus, embedder):
    items = _subset(corpus, ("original", "paraphrase", "independent", "unrelated"))
    result = find_independence(items, corpus.index, embedder=embedder)
    assert _named(result, corpus) == [["original", "paraphrase"]]
    (link,) = result.links
    assert (corpus.names[link.copy], link.kind, link.method) == ("paraphrase", "rewrite", "embedding")
    assert link.similarity >= 0.6
    _check_evidence(link, items)
    assert all(cit.text in PARAPHRASE for cit in link.evidence)


def _reword(text: str, every: int) -> str:
    """Replace every ``every``-th word of each paragraph but the headline (breaks most 5-word shingles)."""
    head, *paras = text.split("\n\n")
    out = []
    for para in paras:
        words = para.split(" ")
        out.append(" ".join("indeed" if k % every == every - 1 else w for k, w in enumerate(words)))
    return "\n\n".join([head, *out])


def test_light_reword_found_without_embeddings(nlp):
    reworded = _reword(ORIGINAL, 4)
    assert containment(shingles(ORIGINAL), shingles(reworded))[0] < 0.4
    items = make_items([("original", ORIGINAL, "2025-12-10"), ("reworded", reworded, "2025-12-11"),
                        ("independent", INDEPENDENT, "2025-12-10")], nlp=nlp)
    result = find_independence(items.items, items.index, embedder=False)
    assert _named(result, items) == [["original", "reworded"]]
    (link,) = result.links
    assert (link.kind, link.method) == ("rewrite", "embedding") and link.similarity >= 0.6
    _check_evidence(link, items.items)


def test_independent_reports_sharing_a_quote_stay_apart(corpus, embedder):
    items = _subset(corpus, ("original", "independent", "unrelated"))
    for emb in (embedder, False):
        assert find_independence(items, corpus.index, embedder=emb) == Independence()


def test_all_together_and_origin_count(corpus, embedder):
    result = find_independence(corpus.items, corpus.index, embedder=embedder)
    assert _named(result, corpus) == [["original", "same-words", "trimmed", "paraphrase"]]
    ids = corpus.ids
    assert result.origin(ids["paraphrase"]) == ids["original"]
    assert result.origin(ids["independent"]) == ids["independent"]
    assert result.count([ids["original"], ids["trimmed"], ids["same-words"]]) == 1
    assert result.count([ids["original"], ids["paraphrase"], ids["independent"]]) == 2
    assert result.count([]) == 0
    assert result.count(ids.values()) == 3


def test_deterministic_and_order_independent(corpus):
    first = find_independence(corpus.items, corpus.index, embedder=False)
    assert find_independence(corpus.items, corpus.index, embedder=False) == first
    assert find_independence(tuple(reversed(corpus.items)), corpus.index, embedder=False) == first


def test_origin_is_earliest_then_longer(nlp):
    # The trimmed copy is published first here: it becomes the origin and the full story its copy.
    items = make_items(
        [("full", ORIGINAL, "2025-12-11"), ("short", TRIMMED, "2025-12-10")], nlp=nlp
    )
    result = find_independence(items.items, items.index, embedder=False)
    assert _named(result, items) == [["short", "full"]]
    same_day = make_items([("full", ORIGINAL, "2025-12-10"), ("short", TRIMMED, "2025-12-10")], nlp=nlp)
    assert _named(find_independence(same_day.items, same_day.index, embedder=False), same_day) == [
        ["full", "short"]
    ]


def test_fewer_than_two_articles(corpus):
    assert find_independence((), None, embedder=False) == Independence()
    assert find_independence(_subset(corpus, ("original",)), corpus.index, embedder=False) == Independence()


# --------------------------------------------------------------------------- sentence alignment


@pytest.mark.parametrize(
    ("matrix", "expected_pairs", "share", "order", "rewrite"),
    [
        ([[0.9, 0.1], [0.1, 0.9]], [(0, 0), (1, 1)], 1.0, 1.0, False),  # too few sentences to call it
        (np.eye(5) * 0.9, [(k, k) for k in range(5)], 1.0, 1.0, True),
        (np.fliplr(np.eye(5)) * 0.9, [(k, 4 - k) for k in range(5)], 1.0, 0.2, False),  # reversed order
        (np.eye(5) * 0.5, [], 0.0, 0.0, False),  # nothing similar enough
        ([[0.95, 0.9, 0.9], [0.9, 0.1, 0.1]], [(0, 0)], 0.5, 1.0, False),  # one origin sentence, used once
        (np.zeros((0, 3)), [], 0.0, 0.0, False),
    ],
)
def test_align(matrix, expected_pairs, share, order, rewrite):
    al = align(np.asarray(matrix, dtype=np.float32), 0.78)
    assert [(r, c) for r, c, _ in al.pairs] == expected_pairs
    assert al.share == pytest.approx(share) and al.order == pytest.approx(order)
    assert al.is_rewrite() is rewrite


@given(st.lists(st.lists(st.floats(0, 1, width=32), min_size=4, max_size=4), min_size=1, max_size=6))
def test_align_properties(rows):
    sim = np.asarray(rows, dtype=np.float32)
    al = align(sim, 0.5)
    rs = [r for r, _, _ in al.pairs]
    cs = [c for _, c, _ in al.pairs]
    assert len(set(rs)) == len(rs) and len(set(cs)) == len(cs)  # one to one
    assert rs == sorted(rs)
    assert all(v >= 0.5 and sim[r, c] == pytest.approx(v) for r, c, v in al.pairs)
    assert 0.0 <= al.share <= 1.0 and 0.0 <= al.order <= 1.0
    assert len(al.pairs) <= min(sim.shape)


@given(st.lists(st.integers(0, 20), max_size=9))
def test_lis_matches_brute_force(seq):
    best = 0
    for k in range(len(seq), 0, -1):
        if any(all(a < b for a, b in itertools.pairwise(c)) for c in itertools.combinations(seq, k)):
            best = k
            break
    assert _lis(seq) == best


def _clean(text: str) -> CleanArticle:
    return CleanArticle(Article(id="a1", origin="t", text=text, format="text"), text, OffsetMap.identity(len(text)))


@pytest.mark.parametrize(
    ("text", "sentences", "expected"),
    [
        # parser sentence glued to the headline: cut at the line break, the short headline dropped
        ("Big flood\n\nThe river rose three metres overnight.", [(0, -1)], ["The river rose three metres overnight."]),
        # no parser sentences: fall back to punctuation and lines
        ("The river rose three metres overnight. Crews rescued many people from roofs.", [],
         ["The river rose three metres overnight.", "Crews rescued many people from roofs."]),
        ("Too short. Also short.\nTiny line", [], []),  # nothing long enough to match
        ("", [], []),
    ],
)
def test_sentence_segments(text, sentences, expected):
    clean = _clean(text)
    ext = Extraction("a1", sentences=tuple(Span(s, e % (len(text) + 1), text[s:e % (len(text) + 1)]) for s, e in sentences))
    assert [text[s:e] for s, e in sentence_segments(clean, ext)] == expected


@pytest.mark.parametrize(
    ("groups", "article", "origin"),
    [
        ((("a", "b", "c"),), "c", "a"),
        ((("a", "b"), ("c", "d")), "d", "c"),
        ((("a", "b"),), "z", "z"),
        ((), "a", "a"),
    ],
)
def test_origin_lookup(groups, article, origin):
    ind = Independence(groups=groups)
    assert ind.origin(article) == origin
    assert ind.origin(article) == origin  # second lookup uses the built index
    assert ind == Independence(groups=groups)  # the lookup index is not part of equality
