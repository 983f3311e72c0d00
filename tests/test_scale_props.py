"""Scale changes keep results: source quality without the quadratic copy checks, the streamed dossier, and
bench/scale.py's fits.

``assess_sources`` used to check each copy against every conflict of its copy group (and rebuilt that list by
scanning every conflict of the story); it now sorts the copy's own conflicts and the candidates of its group's
anchor index (``_Repeats``) by their position.  These tests check that a copy's "contested" reason is exactly
what the previous scan gave, for several conflict orders, including conflicts that do not involve the copy's
group at all (no reason), and that the anchor is a necessary condition of a match.  ``stream_dossier`` must
equal ``build_dossier`` over the same articles.
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
        ("Breakwater", "no anchor for one word: always a candidate", True),
    ],
)
def test_anchor_keeps_every_text_that_holds_the_words(words, text, kept) -> None:
    key = quality._anchor(words)
    assert (key is None or key in quality._text_keys(text)) is kept
    if words in text:
        assert kept


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab 1\n", min_size=1, max_size=40), st.integers(0, 40), st.integers(1, 40))
def test_anchor_is_a_necessary_condition(text, start, length) -> None:
    words = quality._spaced(text[start : start + length])
    if len(words.split(" ")) < 2 or words not in text:
        return
    assert quality._anchor(words) in quality._text_keys(text)
