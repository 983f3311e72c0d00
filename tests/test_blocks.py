"""Where on a street (storyline.crosscheck.blocks), on sentences and articles of my own."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.crosscheck.blocks import _street_key, block_conflicts, street_blocks
from storyline.ingest.clean import clean
from storyline.ingest.ingest import article_id
from storyline.records import Article, Extraction, Independence


def _item(name: str, text: str, published: str | None = "2026-05-02", outlet: str | None = None):
    art = Article(id=article_id(text), origin=name, text=text, format="text", outlet=outlet or name,
                  published=published, published_how="metadata" if published else "none",
                  published_precision="day" if published else None)
    c = clean(art)
    return c, Extraction(article_id=art.id)


# (sentence, [(block, street key, cited words)]); no-match rows last
BLOCKS = [
    ("Deputies found the couple in the 5300 block of Dunmere Road on Sunday evening.",
     [(5300, "dunmere road", "5300 block of Dunmere Road")]),
    ("The fight started inside a club in the 3700 block of Kessel, then spilled outside.",
     [(3700, "kessel", "3700 block of Kessel")]),
    ("Officers were called to the 1200 block of Orrin Ave. Police said two men were hurt.",
     [(1200, "orrin avenue", "1200 block of Orrin Ave.")]),
    ("The car stopped in the 100 block of N. Tallis St. on Friday.",
     [(100, "north tallis street", "100 block of N. Tallis St.")]),
    ("A girl was struck in the 17000 block of Harrow Trail after 10 p.m.",
     [(17000, "harrow trail", "17000 block of Harrow Trail")]),
    # no block of a street
    ("The city will block off Dunmere Road on Sunday.", []),
    ("A 5300-pound truck blocked the road.", []),
    ("The 53 blocks of Dunmere Road were closed.", []),
    ("The 5350 block of Dunmere Road is not how blocks are counted.", []),
]


@pytest.mark.parametrize(("text", "expected"), BLOCKS)
def test_street_blocks(text, expected):
    c, _ = _item("a", text)
    got = [(b.block, b.street, c.text[b.span[0]:b.span[1]]) for b in street_blocks(c)]
    assert got == expected


@given(st.text(alphabet=st.sampled_from(list("AbcN. StRoad0123456789-'")), max_size=40))
def test_street_key_never_crashes(street):
    key = _street_key(street)
    if key is not None:
        assert key[0] and key[1]


A = "Two men were shot in the 5300 block of Dunmere Road late Sunday, deputies said."
B = "Deputies said the shooting happened in the 5300 block of Dunmere Road on Sunday night."
C = "A man and his son were shot at their home in the 5000 block of Dunmere Road on Sunday."


def test_a_lone_block_against_two_sources():
    items = [_item("a", A, outlet="Alpha"), _item("b", B, outlet="Bravo"), _item("c", C, outlet="Charlie")]
    (x,) = block_conflicts(items, Independence())
    assert x.kind == "number" and x.about == "the block of Dunmere Road" and x.likely == 0
    assert [s.value for s in x.sides] == ["the 5300 block", "the 5000 block"]
    for side in x.sides:
        for cit in side.citations:
            text = next(c.text for c, _ in items if c.article.id == cit.source)
            assert text[cit.start:cit.end] == cit.text


def test_no_conflict_for_copies_two_places_or_a_later_incident():
    a, c = _item("a", A), _item("c", C)
    assert block_conflicts([a, c], Independence(groups=((a[0].article.id, c[0].article.id),))) == []
    both = _item("d", A + " A week earlier a car was set alight in the 5000 block of Dunmere Road.")
    assert block_conflicts([both, _item("b", B)], Independence()) == []
    later = (dt.date(2026, 5, 2) + dt.timedelta(days=200)).isoformat()
    assert block_conflicts([a, _item("c", C, published=later)], Independence()) == []
    assert len(block_conflicts([a, c], Independence())) == 1  # one against one: a conflict, undecided
    assert block_conflicts([a, c], Independence())[0].likely is None
