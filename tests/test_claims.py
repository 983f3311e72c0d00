"""storyline.crosscheck.claims: same-claim decisions, grouping across sources, contested claims, representatives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.claims import (
    choose_representatives,
    group_claims,
    is_factual,
    mark_contested,
    same_claim,
)
from storyline.crosscheck.statements import build_statements
from storyline.extract.embed import get_embedder
from storyline.extract.nlp import load_nlp
from storyline.records import Citation, Conflict, FlaggedError, Independence, Side, Span, Statement

WIRE = ("hws-wire-2025-12-10.txt", "calder-post-2025-12-10.txt", "northline-daily-2025-12-11.txt")


@pytest.fixture(scope="module")
def emb():
    return get_embedder()


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def wire_independence(sample_items) -> Independence:
    return Independence(groups=(tuple(sample_items.ids[name] for name in WIRE),))


@pytest.fixture(scope="module")
def sample_statements(sample_items):
    return build_statements(sample_items.items, sample_items.index)


@pytest.fixture(scope="module")
def sample_claims(sample_items, sample_statements, wire_independence, emb):
    return group_claims(
        sample_statements, wire_independence, embedder=emb, items=sample_items.items, index=sample_items.index
    )


def _stmt(text: str, **fields) -> Statement:
    span = Span(0, len(text), text)
    return Statement(id="st-x-1", source="x", span=span, citation=Citation("x", 0, len(text), text),
                     published=None, **fields)


# --------------------------------------------------------------------------- what becomes a claim


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("The council closed the bridge on Monday.", {"dates": ("2026-03-09",)}, True),
        ("Mayor Ivo Pereira opened the new school.", {"entities": ("person:ivo-pereira",)}, True),
        ("Three workers were hurt in the fall.", {"figures": (0,)}, True),
        ("The bridge was closed for repairs.", {"events": (0,)}, True),
        # no match: nothing checkable, a question, a bare quotation with its cue, a relative date only
        ("It is a difficult time for everyone.", {}, False),
        ("Why did the council close the bridge?", {"events": (0,)}, False),
        ('"We will rebuild every house on this street," she said.', {"events": (0,)}, False),
        ('"We will rebuild," said Mayor Ivo Pereira.', {"entities": ("person:ivo-pereira",)}, False),
        ("Things may change in the future.", {"dates": ("FUTURE_REF",)}, False),
        # a quotation with more than its cue states a checkable fact around it
        ('Pereira, who visited the site on Monday, said it was "a disgrace".', {"events": (0,)}, True),
    ],
)
def test_is_factual(text: str, fields: dict, expected: bool) -> None:
    assert is_factual(_stmt(text, **fields)) is expected


# --------------------------------------------------------------------------- pair decisions

PAIRS = [
    # the same fact, worded differently or with more detail
    ("The port authority said a crane collapsed at Velmont on Tuesday, killing three workers.",
     "Three dock workers were killed when a crane collapsed at the port of Velmont on Tuesday.", True),
    ("Mayor Ivo Pereira said the port would stay closed until Friday.",
     "The port will stay shut until Friday, Mayor Ivo Pereira said.", True),
    ("The river flooded 200 homes in Halden.", "Floods from the river reached 200 houses in Halden.", True),
    ("The council approved the budget of 4 million crowns.",
     "The council approved a budget of 4 million crowns on Monday, after a long debate over school funding.", True),
    ("A crane collapsed at the port on Tuesday.", "A crane collapsed at the port on Tuesday.", True),
    # no match: different numbers, negation, opposite outcome, same names but another event, unrelated
    ("The river flooded 200 homes in Halden.", "The river flooded 350 homes in Halden.", False),
    ("Three workers were killed when a crane collapsed in Velmont.",
     "Five workers were killed when a crane collapsed in Velmont.", False),
    ("Mayor Ivo Pereira closed the port on Friday.", "Mayor Ivo Pereira did not close the port on Friday.", False),
    ("The council approved the new bridge.", "The council rejected the new bridge.", False),
    pytest.param("Mayor Ivo Pereira visited the hospital in Velmont.",
                 "Mayor Ivo Pereira criticised the harbour authority in Velmont.", False,
                 marks=pytest.mark.xfail(strict=True, reason="known weakness of the ECB+-fitted pair model: the "
                                         "same rare names outweigh different predicates (docs/crosscheck.md)")),
    ("Opposition leader Ana Sousa promised to lead a march through Halden on Saturday.",
     "Opposition leader Ana Sousa led a march through Halden on Saturday.", False),  # a plan, not the deed
    ("Halcyon Freight said it would pay compensation to the families.",
     "The weather in Velmont was cold and windy.", False),
]


def _values(p) -> tuple:
    return tuple(p.values) if hasattr(p, "values") else p


def _expected(p) -> bool:
    return _values(p)[2]


def _first(p) -> str:
    return _values(p)[0]


def _second(p) -> str:
    return _values(p)[1]


@pytest.mark.parametrize(("a", "b", "expected"), PAIRS)
def test_same_claim(emb, a: str, b: str, expected: bool) -> None:
    assert same_claim(a, b, embedder=emb) is expected
    assert same_claim(b, a, embedder=emb) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [p for p in PAIRS if _expected(p) is False or _first(p) == _second(p)] + [
    ("The river flooded 200 homes in Halden.", "Floods from the river reached 200 houses in Halden.", True),
])
def test_same_claim_without_embeddings(a: str, b: str, expected: bool) -> None:
    assert same_claim(a, b, embedder=False) is expected


# --------------------------------------------------------------------------- small stories

STORY = [
    ("coast-record",
     "Crane collapse kills dock workers\n\n"
     "Three dock workers were killed when a container crane collapsed at the port of Velmont on Tuesday, "
     "the harbour authority said.\n\n"
     "Mayor Ivo Pereira said the port would stay closed until Friday.",
     "2026-03-11", "The Coast Record"),
    ("valley-news",
     "A container crane collapsed at the port of Velmont on Tuesday, killing three dock workers, "
     "according to the harbour authority.\n\n"
     "Halcyon Freight, which operates the crane, said its engineers had inspected it in January.",
     "2026-03-11", "Valley News"),
    ("north-star",
     "Five dock workers were killed when a container crane collapsed at the port of Velmont on Tuesday, "
     "union officials said.\n\n"
     "Mayor Ivo Pereira visited the injured at the city hospital on Wednesday.",
     "2026-03-12", "North Star"),
    ("coast-copy",
     "Three dock workers were killed when a container crane collapsed at the port of Velmont on Tuesday, "
     "the harbour authority said.\n\n"
     "Mayor Ivo Pereira said the port would stay closed until Friday.",
     "2026-03-12", "Coast Copy"),
]


@pytest.fixture(scope="module")
def story(nlp):
    return make_items(STORY, nlp=nlp)


def _claim_of(claims, text: str, source: str):
    hits = [c for c in claims for cit in c.citations if cit.source == source and text in cit.text]
    assert len(hits) == 1
    return hits[0]


def test_story_claims(story, emb) -> None:
    statements = build_statements(story.items, story.index)
    ids = story.ids
    independence = Independence(groups=((ids["coast-record"], ids["coast-copy"]),))
    claims = group_claims(statements, independence, embedder=emb, items=story.items, index=story.index)
    three = _claim_of(claims, "Three dock workers", ids["coast-record"])
    assert set(three.sources) == {ids["coast-record"], ids["valley-news"], ids["coast-copy"]}
    assert three.independent == 2 and three.status == "corroborated"
    assert three.date == "2026-03-10"
    five = _claim_of(claims, "Five dock workers", ids["north-star"])
    assert five is not three and five.sources == (ids["north-star"],) and five.status == "single-source"
    # the mayor's closure is repeated only by the copy: one independent source
    closed = _claim_of(claims, "stay closed until Friday", ids["coast-record"])
    assert closed.sources == (ids["coast-record"], ids["coast-copy"])
    assert closed.independent == 1 and closed.status == "single-source"
    # the hospital visit is another event about the same mayor
    visit = _claim_of(claims, "visited the injured", ids["north-star"])
    assert visit is not closed
    # representative: the earliest-published statement; claims ordered by independent sources first
    assert three.text == three.citations[0].text and three.citations[0].source != ids["coast-copy"]
    assert [c.independent for c in claims] == sorted((c.independent for c in claims), reverse=True)
    assert [c.id for c in claims] == [f"c-{n}" for n in range(1, len(claims) + 1)]


# --------------------------------------------------------------------------- the sample story


def _with(claims, statements, source: str, words: str):
    by_id = {s.id: s for s in statements}
    hits = [c for c in claims if any(by_id[sid].source == source and words in by_id[sid].span.text
                                     for sid in c.statements)]
    assert len(hits) == 1, words
    return hits[0]


def test_sample_corroborated_and_wire_only(sample_items, sample_statements, sample_claims) -> None:
    ids = sample_items.ids
    toll = _with(sample_claims, sample_statements, ids["orbit-news-sarrow-fishermen.html"], "at least 43 people")
    assert ids["hws-wire-2025-12-10.txt"] in toll.sources
    assert ids["ostravan-voice-2025-12-12.txt"] in toll.sources  # "Not less than 43 persons"
    # the wire, Orbit and the Ostravan Voice; the wire's copies count once
    assert toll.independent == 3 and toll.status == "corroborated"
    cargo = _with(sample_claims, sample_statements, ids["hws-wire-2025-12-10.txt"], "carrying fuel, outboard")
    assert set(cargo.sources) == {ids[name] for name in WIRE}
    assert cargo.independent == 1 and cargo.status == "single-source"
    # 12 vessels (wire) and nine vessels (Orbit) are never one claim
    nine = _with(sample_claims, sample_statements, ids["orbit-news-sarrow-fishermen.html"], "seized nine vessels")
    assert ids["hws-wire-2025-12-10.txt"] not in nine.sources


def test_sample_every_factual_statement_once(sample_items, sample_statements, sample_claims) -> None:
    factual = [s.id for s in sample_statements if is_factual(s)]
    claimed = [sid for c in sample_claims for sid in c.statements]
    assert sorted(claimed) == sorted(factual)
    texts = {clean.article.id: clean.article.text for clean, _ in sample_items.items}
    by_id = {s.id: s for s in sample_statements}
    for c in sample_claims:
        assert len(c.sources) == len(c.statements)  # one statement per article
        assert c.text == c.citations[0].text
        for sid, cit in zip(c.statements, c.citations, strict=True):
            assert by_id[sid].citation == cit
            assert cit.text == texts[cit.source][cit.start : cit.end]
    assert sum(c.status == "corroborated" for c in sample_claims) >= 3


def test_sample_without_embeddings(sample_items, sample_statements, wire_independence) -> None:
    claims = group_claims(sample_statements, wire_independence, embedder=False)
    cargo = _with(claims, sample_statements, sample_items.ids["calder-post-2025-12-10.txt"],
                  "The president has a choice")
    assert len(cargo.statements) == 3 and cargo.independent == 1
    assert group_claims(sample_statements, wire_independence, embedder=False) == claims  # deterministic


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.integers(min_value=0, max_value=11), min_size=1), st.booleans())
def test_every_statement_in_exactly_one_claim(sample_items, sample_statements, chosen, with_wire) -> None:
    names = list(sample_items.names)
    keep = {names[i] for i in chosen if i < len(names)}
    statements = [s for s in sample_statements if s.source in keep]
    groups = (tuple(sample_items.ids[n] for n in WIRE),) if with_wire else ()
    claims = group_claims(statements, Independence(groups=groups), embedder=False)
    claimed = [sid for c in claims for sid in c.statements]
    assert sorted(claimed) == sorted(s.id for s in statements if is_factual(s))
    texts = {clean.article.id: clean.article.text for clean, _ in sample_items.items}
    for c in claims:
        assert len(set(c.sources)) == len(c.sources) == len(c.statements)
        assert all(cit.text == texts[cit.source][cit.start : cit.end] for cit in c.citations)
        assert c.status == ("corroborated" if c.independent >= 2 else "single-source")


# --------------------------------------------------------------------------- contested claims


def _sub(cit: Citation, words: str) -> Citation:
    at = cit.text.index(words)
    return Citation(cit.source, cit.start + at, cit.start + at + len(words), words)


def test_mark_contested(sample_items, sample_statements, sample_claims) -> None:
    ids = sample_items.ids
    twelve = _with(sample_claims, sample_statements, ids["hws-wire-2025-12-10.txt"], "seized 12 vessels")
    nine = _with(sample_claims, sample_statements, ids["orbit-news-sarrow-fishermen.html"], "seized nine vessels")
    toll = _with(sample_claims, sample_statements, ids["orbit-news-sarrow-fishermen.html"], "at least 43 people")
    wire_cit = next(c for c in twelve.citations if c.source == ids["hws-wire-2025-12-10.txt"])
    orbit_cit = next(c for c in nine.citations if c.source == ids["orbit-news-sarrow-fishermen.html"])
    conflict = Conflict(
        id="x-number-1", kind="number", about="vessels seized on 2025-12-09",
        sides=(Side("12 vessels", (_sub(wire_cit, "12 vessels"),), (wire_cit.source,)),
               Side("nine vessels", (_sub(orbit_cit, "nine vessels"),), (orbit_cit.source,))),
        explanation="The two sources give different numbers.",
    )
    # the same offsets in a source no claim cites touch nothing
    elsewhere = Citation("0000000000000000", wire_cit.start, wire_cit.end, "x")
    stray = Conflict(id="x-number-2", kind="number", about="x",
                     sides=(Side("x", (elsewhere,), (elsewhere.source,)),), explanation="x")
    toll_cit = toll.citations[0]
    error = FlaggedError(id="err-1", kind="number", source=toll_cit.source,
                         citation=_sub(toll_cit, "43"), correction="x", evidence=(), why="x")
    out = mark_contested(sample_claims, [conflict, stray], [error])
    assert len(out) == len(sample_claims)
    by_id = {c.id: c for c in out}
    assert by_id[twelve.id].status == by_id[nine.id].status == "contested"
    assert by_id[twelve.id].conflicts == by_id[nine.id].conflicts == ("x-number-1",)
    assert by_id[toll.id].status == "contested" and by_id[toll.id].errors == ("err-1",)
    assert by_id[toll.id].conflicts == ()
    untouched = [c for c in out if c.id not in (twelve.id, nine.id, toll.id)]
    assert untouched == [c for c in sample_claims if c.id not in (twelve.id, nine.id, toll.id)]
    assert mark_contested(sample_claims, [], []) == tuple(sample_claims)


# --------------------------------------------------------------------------- representatives


def test_choose_representatives(sample_items, sample_statements, sample_claims) -> None:
    ids = sample_items.ids
    cargo = _with(sample_claims, sample_statements, ids["hws-wire-2025-12-10.txt"], "carrying fuel, outboard")
    assert cargo.citations[0].source == ids["hws-wire-2025-12-10.txt"]  # earliest published first
    northline = ids["northline-daily-2025-12-11.txt"]
    (best,) = choose_representatives([cargo], sample_statements, {northline: 0.9})
    assert best.citations[0].source == northline and best.text == best.citations[0].text
    assert best.sources[0] == northline and set(best.statements) == set(cargo.statements)
    assert dict(zip(best.statements, best.citations, strict=True)) == dict(
        zip(cargo.statements, cargo.citations, strict=True))
    # equal quality: earliest published wins (the wire and Calder share a date: then the statement id)
    (tie,) = choose_representatives([cargo], sample_statements, {})
    assert tie.citations[0].source in (ids["hws-wire-2025-12-10.txt"], ids["calder-post-2025-12-10.txt"])
    assert tie.statements[0] == min(
        (s for s in sample_statements if s.id in cargo.statements and s.published == "2025-12-10"),
        key=lambda s: s.id).id


# --------------------------------------------------------------------------- recall on the sample (hand list)

# Facts that two or more independent sample outlets state, listed by hand before tuning: (what, [(file, snippet)]).
SAMPLE_FACTS = [
    ("exclusion zone takes effect on a given Tuesday",
     [("hws-wire-2025-12-10.txt", "takes effect in six days"), ("ostravan-voice-2025-12-12.txt", "enter in force on next Tuesday"),
      ("newspulse-hub-sarrow-explainer.md", "set to take effect on Tuesday")]),
    ("Valcu announced a 40-mile zone",
     [("orbit-news-sarrow-fishermen.html", "40-nautical-mile exclusion zone around the peninsula"),
      ("ostravan-voice-2025-12-12.txt", "zone of exclusion of 40 sea miles")]),
    ("council appointed Ndoye envoy",
     [("hws-wire-2025-12-10.txt", "appointed Casimir Ndoye"), ("ostravan-voice-2025-12-12.txt", "named on Tuesday the diplomat"),
      ("newspulse-hub-sarrow-explainer.md", "has appointed an envoy named")]),
    ("toll at least 43",
     [("hws-wire-2025-12-10.txt", "At least 43 people"), ("orbit-news-sarrow-fishermen.html", "at least 43 people"),
      # the Ostravan Voice says it twice (its director's "43 deads" too); one statement per article joins
      ("ostravan-voice-2025-12-12.txt", "Not less than 43 persons|have received 43 deads")]),
    ("toll over 40",
     [("meridian-ledger-2025-12-08.txt", "Over 40 people have been killed"),
      ("newspulse-hub-sarrow-explainer.md", "more than 40 people have been killed")]),
    ("toll at least 61",
     [("aubrel-sentinel-2025-12-16.txt", "death toll from the blockade to at least 61"),
      ("gannet-bay-courier-talks-scenarios.md", "at least 61 lives")]),
    ("toll at least 78",
     [("lantern-times-2025-12-22.txt", "At least 78 people have now"), ("sarrow-briefs.jsonl#2", "At least 78 people")]),
    ("Ndoye lands in Port Aubrel on Tuesday 23 December",
     [("gannet-bay-courier-talks-scenarios.md", "lands in Port Aubrel next Tuesday"),
      ("lantern-times-2025-12-22.txt", "due to land in Port Aubrel on Tuesday")]),
    ("Ndoye to travel to Port Aubrel before the month's end",
     [("hws-wire-2025-12-10.txt", "expected to travel to Port Aubrel"),
      ("ostravan-voice-2025-12-12.txt", "will come to Port Aubrel")]),
    ("New Year's Eve deadline for the missiles",
     [("gannet-bay-courier-talks-scenarios.md", "until New Year's Eve to hand over"),
      ("sarrow-briefs.jsonl#1", "New Year's Eve deadline for the Front")]),
    ("the ferry sank on Sunday 14 December",
     [("aubrel-sentinel-2025-12-16.txt", "sank on Sunday night"), ("lantern-times-2025-12-22.txt", "went down on December 14")]),
    ("two landing ships at Korvik",
     [("gannet-bay-courier-talks-scenarios.md", "two landing ships to the base at Korvik"),
      ("lantern-times-2025-12-22.txt", "two landing ships have been moored")]),
    ("navy boarded more than 300 vessels",
     [("meridian-ledger-2025-12-08.txt", "boarded more than 300 vessels"), ("hws-wire-2025-12-10.txt", "boarded more than 300")]),
    ("operation launched after the Front seized the container terminal",
     [("meridian-ledger-2025-12-08.txt", "seized the port's container terminal"),
      ("hws-wire-2025-12-10.txt", "seized Sarrow's container terminal")]),
    ("Front denies mines",
     [("aubrel-sentinel-2025-12-16.txt", "had no mines in the water"), ("lantern-times-2025-12-22.txt", "denied laying mines")]),
    ("Brask urges mediation by the council",
     [("hws-wire-2025-12-10.txt", "accept mediation by the Northern"), ("ostravan-voice-2025-12-12.txt", "with the mediation of the Northern")]),
]


def test_sample_hand_facts_found(sample_items, sample_statements, sample_claims) -> None:
    ids = sample_items.ids
    claim_of = {sid: c for c in sample_claims for sid in c.statements}
    found = []
    for label, members in SAMPLE_FACTS:
        sts = []
        for name, snippets in members:
            hits = [s for s in sample_statements if s.source == ids[name]
                    and any(snippet in s.span.text for snippet in snippets.split("|"))]
            assert len(hits) == len(snippets.split("|")), (name, snippets)
            # of alternative statements of one article, the one in a claim with the others
            sts.append(max(hits, key=lambda s: s.id in claim_of and len(claim_of[s.id].statements)))
        claims = {claim_of[s.id].id if s.id in claim_of else None for s in sts}
        if len(claims) == 1 and None not in claims:
            found.append(label)
            assert claim_of[sts[0].id].independent >= 2, label
    # the hand rules of the old decision found 7 of the 16; the ECB+-fitted pair model (with the figure anchor)
    # finds 8: the envoy, the four tolls, Ndoye's travel, the deadline, the 300 boardings.  The refit after the
    # events fix of 2026-12-04 lost the 40-mile zone here while ECB+ dev sentence-pair recall rose 0.094 -> 0.119
    # (CoNLL 0.4636 -> 0.4643): real data wins, the sample is a smoke test
    assert len(found) >= 8, found
    for label in ("toll at least 43", "toll at least 61", "toll over 40", "navy boarded more than 300 vessels",
                  "council appointed Ndoye envoy"):
        assert label in found, label


@pytest.mark.parametrize(
    ("qualifier", "before", "expected"),
    [
        ("at least", "", "lower"), ("over", "killed ", "lower"), ("more than", "", "lower"),
        ("less than", "Not ", "lower"),  # "Not less than 43" is a lower bound
        ("less than", "", "upper"), ("up to", "", "upper"), ("about", "", "rough"),
        (None, "", ""), ("exactly", "", ""),  # no match: no qualifier or one that says nothing of direction
    ],
)
def test_qualifier_class(qualifier, before, expected) -> None:
    from storyline.crosscheck.claims import _qualifier_class

    assert _qualifier_class(qualifier, before) == expected


def _info(figures=(), source="a", days=(), actors=()):
    from storyline.crosscheck.claims import _Info

    return _Info(source, frozenset(days), frozenset(days), frozenset(), frozenset(), tuple(actors),
                 figures=tuple(figures), extracted=True)


@pytest.mark.parametrize(
    ("fa", "fb", "anchor", "conflict"),
    [
        ([(43.0, "people killed", "lower")], [(43.0, "people killed", "")], 43.0, False),
        ([(61.0, "people killed", "lower")], [(61.0, "people killed", "lower"), (2.0, "ships moved", "")], 61.0, False),
        # no match: other values (a conflict), another deed, a bare count, contradicting qualifiers, one
        ([(12.0, "vessels seized", "")], [(9.0, "vessels seized", "")], 0.0, True),
        ([(12.0, "vessels seized", "")], [(12.0, "vessels boarded", "")], 0.0, False),
        ([(239.0, "people", "")], [(239.0, "people", "")], 0.0, False),
        ([(43.0, "people killed", "lower")], [(43.0, "people killed", "upper")], 0.0, False),
        ([(1.0, "people killed", "")], [(1.0, "people killed", "")], 0.0, False),
        ([], [(1.0, "people killed", "")], 0.0, False),
    ],
)
def test_figure_anchor_and_conflict(fa, fb, anchor, conflict) -> None:
    from storyline.crosscheck.claims import _figure_anchor, _figure_conflict

    a, b = _info(fa), _info(fb, source="b")
    assert _figure_anchor(a, b) == _figure_anchor(b, a) == anchor
    assert _figure_conflict(a, b) is _figure_conflict(b, a) is conflict


@pytest.mark.parametrize(
    ("da", "aa", "pa", "db", "ab", "pb", "expected"),
    [
        # vetoed: the same action by another doer, dates that cannot overlap, disjoint named people
        ([], [("sink", "person:corlen-star")], [], [], [("sink", "org:navy")], [], True),
        (["2025-12-16"], [], [], ["2025-12-17"], [], [], True),
        ([], [], ["person:ivo-pereira"], [], [], ["person:ana-sousa"], True),
        # no match (not vetoed): one doer named two ways, a day within its month, other actions, shared people
        ([], [("appoint", "org:council")], [], [], [("appoint", "org:northern-seas-council")], [], False),
        (["2025-12-16"], [], [], ["2025-12"], [], [], False),
        ([], [("take", "zone")], [], [], [("enter", "navy")], [], False),
        ([], [], ["person:ivo-pereira"], [], [], ["person:ivo-pereira", "person:ana-sousa"], False),
    ],
)
def test_structural_veto(da, aa, pa, db, ab, pb, expected) -> None:
    from dataclasses import replace

    from storyline.crosscheck.claims import _vetoed

    a = replace(_info(days=da, actors=aa), people=frozenset(pa))
    b = replace(_info(source="b", days=db, actors=ab), people=frozenset(pb))
    assert _vetoed(a, b) is expected
    assert _vetoed(b, a) is expected


@pytest.mark.parametrize(
    ("pa", "da", "na", "pb", "db", "nb", "expected"),
    [
        # another occasion: the same small count, published weeks apart, no date in common
        ("2025-11-07", [], (3.0,), "2026-02-15", [], (3.0,), True),
        ("2025-11-07", ["2025-11"], (4.0,), "2025-12-20", ["2026-02"], (4.0,), True),
        # no match: close in time, a date in common, a large (specific) count, no shared number, no dates
        ("2025-11-07", [], (3.0,), "2025-11-10", [], (3.0,), False),
        ("2025-11-07", ["2025-11-06"], (3.0,), "2026-02-15", ["2025-11"], (3.0,), False),
        ("2014-03-08", [], (239.0,), "2014-04-20", [], (239.0,), False),
        ("2025-11-07", [], (3.0,), "2026-02-15", [], (5.0,), False),
        (None, [], (3.0,), "2026-02-15", [], (3.0,), False),
    ],
)
def test_other_occasion(pa, da, na, pb, db, nb, expected) -> None:
    from dataclasses import replace

    from storyline.crosscheck.claims import _other_occasion

    a = replace(_info(days=da), published=pa)
    b = replace(_info(source="b", days=db), published=pb)
    assert _other_occasion(a, b, na, nb) is expected
    assert _other_occasion(b, a, nb, na) is expected


SAME_ARTICLE = [
    ("harbour-times",
     "Fire destroys the Velmont grain silo\n\n"
     "A fire destroyed the grain silo at the port of Velmont on Tuesday night, the fire brigade said.\n\n"
     "Firefighters fought the blaze for six hours.\n\n"
     "The grain silo at the port of Velmont was destroyed by the fire on Tuesday night, officials said.",
     "2026-03-11", "Harbour Times"),
    ("river-post",
     "The grain silo at the port of Velmont was destroyed by a fire on Tuesday night, the fire brigade said.\n\n"
     "Mayor Ivo Pereira promised to rebuild the terminal.",
     "2026-03-11", "River Post"),
]


@pytest.fixture(scope="module")
def same_article_story(nlp):
    return make_items(SAME_ARTICLE, nlp=nlp)


@pytest.mark.parametrize(
    ("same_article", "restated_together"),
    [(0.5, True), (None, False)],
)
def test_same_article_restatement(same_article_story, emb, same_article, restated_together) -> None:
    from dataclasses import replace

    from storyline.crosscheck.pairs import load_pair_model

    story = same_article_story
    statements = build_statements(story.items, story.index)
    model = replace(load_pair_model("embedding"), same_article=same_article)
    claims = group_claims(statements, Independence(), embedder=emb, items=story.items, index=story.index,
                          model=model)
    times = story.ids["harbour-times"]
    first = _claim_of(claims, "A fire destroyed the grain silo", times)
    again = _claim_of(claims, "was destroyed by the fire on Tuesday night, officials", times)
    assert (first is again) is restated_together
    for claim in claims:  # a source counts once however many of its statements a claim holds
        assert len(set(claim.sources)) == len(claim.sources)
        assert claim.independent <= len(claim.sources)
    # the mayor's promise stays apart from the fire
    promise = _claim_of(claims, "promised to rebuild", story.ids["river-post"])
    assert promise is not first


@settings(max_examples=80, deadline=None)
@given(
    st.integers(2, 9).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=6),
        )
    )
)
def test_candidate_table_answers_as_a_dict_of_decisions(data) -> None:
    """The judge keeps the candidate pairs' decisions in arrays by pair code: ``get`` answers each pair, in
    either order, as deciding it afresh does (candidates or not), and ``edges`` lists the pairs judged the same,
    strongest first and ties by pair: as sorting a dict of the decisions did."""
    from storyline.crosscheck.claims import _Info, _Judge

    n, pairs, asked = data

    def decide(self, i: int, j: int) -> tuple[bool, float, bool]:  # ties on purpose: scores in tenths
        score = ((i * 7 + j * 3) % 10) / 10
        return score >= 0.4, score, (i + j) % 5 == 0

    info = _Info("s", frozenset(), frozenset(), frozenset(), frozenset(), ())
    judge = _Judge([f"statement {i}" for i in range(n)], [info] * n, None, 0.5)  # type: ignore[arg-type]
    judge._decide = decide.__get__(judge)  # type: ignore[method-assign]
    keys = sorted({(min(p), max(p)) for p in pairs})
    judge.decide_candidates(np.array(sorted(i * n + j for i, j in keys), dtype=np.int64))
    reference = {k: decide(None, *k) for k in keys}
    expected = sorted(((reference[k][1], k) for k in keys if reference[k][0]), key=lambda e: (-e[0], e[1]))
    assert list(judge.edges()) == expected
    for i, j in [*pairs, *asked]:
        assert judge.get(i, j) == judge.get(j, i) == decide(None, min(i, j), max(i, j))
    assert set(judge.cache) == {(min(p), max(p)) for p in asked if p[0] != p[1]} - set(keys) | (
        {(i, i) for i, j in asked if i == j}
    )
