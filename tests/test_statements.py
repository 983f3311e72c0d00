"""storyline.crosscheck.statements: sentence pieces, what each statement mentions, citations that verify."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.statements import build_statements, split_sentences
from storyline.extract.nlp import load_nlp
from storyline.records import Span


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _spans(text: str, cuts: list[int]) -> list[Span]:
    """Parser-like sentence spans of ``text`` cut at the given offsets."""
    bounds = [0, *cuts, len(text)]
    return [Span(a, b, text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


# --------------------------------------------------------------------------- split_sentences


@pytest.mark.parametrize(
    ("text", "cuts", "expected"),
    [
        # a headline glued to the first sentence is split off at the blank line
        (
            "Mill town floods after dam fails\n\nThe river rose two metres overnight.",
            [],
            ["Mill town floods after dam fails", "The river rose two metres overnight."],
        ),
        # the parser's closing quote left at the start of the next paragraph goes back to its sentence
        (
            '"We will rebuild," she said.\n\nThe mayor left.',
            [27],
            ['"We will rebuild," she said.', "The mayor left."],
        ),
        (
            '"We will rebuild the bridge.\n\nThe mayor left at noon.',
            [28],
            ['"We will rebuild the bridge.', "The mayor left at noon."],
        ),
        (
            '"We will rebuild the bridge."\n\nThe mayor left at noon.',
            [28],
            ['"We will rebuild the bridge."', "The mayor left at noon."],
        ),
        # a dateline leading the first sentence is cut off
        (
            "HALDEN, Norvia, May 3 (NWA) - The council voted to close the mine.",
            [],
            ["The council voted to close the mine."],
        ),
        (
            "HALDEN, Norvia \u2014 The council voted to close the mine.",
            [],
            ["The council voted to close the mine."],
        ),
        # no match: a plain sentence is kept whole, a capitalised first word is not a dateline
        ("The council voted to close the mine.", [], ["The council voted to close the mine."]),
        ("Halden - the town - voted to close it.", [], ["Halden - the town - voted to close it."]),
        ("  \n\n  ", [], []),
        # list items and headings keep their own line in cleaned text
        ("Key points:\nThe mine closes.\nJobs go.", [], ["Key points:", "The mine closes.", "Jobs go."]),
    ],
)
def test_split_sentences(text: str, cuts: list[int], expected: list[str]) -> None:
    got = [text[a:b] for a, b in split_sentences(text, _spans(text, cuts))]
    assert got == expected


@settings(max_examples=200)
@given(
    st.text(alphabet=st.sampled_from('ab. "\n\u201dXY,-'), max_size=80),
    st.lists(st.integers(min_value=0, max_value=80), max_size=5),
)
def test_split_sentences_pieces_are_trimmed_ordered_and_inside(text: str, cuts: list[int]) -> None:
    cuts = sorted({c for c in cuts if 0 < c < len(text)})
    pieces = split_sentences(text, _spans(text, cuts))
    last = 0
    for start, end in pieces:
        assert last <= start < end <= len(text)
        piece = text[start:end]
        assert "\n" not in piece
        assert piece == piece.strip()
        last = end


# --------------------------------------------------------------------------- build_statements

STORY = (
    "Harbour crane collapses in Velmont\n\n"
    "By Ada Lindqvist, The Coast Record\n\n"
    "VELMONT, Norvia - A container crane collapsed at the port of Velmont on Tuesday, killing three "
    "dock workers, the harbour authority said.\n\n"
    "Mayor Ivo Pereira said the port would stay closed until Friday.\n\n"
    "The operator, Halcyon Freight, did not comment.\n\n"
    "Why did it fall?\n\n"
    "Too early."
)


@pytest.fixture(scope="module")
def story(nlp):
    return make_items([("record", STORY, "2026-03-11", "The Coast Record")], nlp=nlp)


@pytest.fixture(scope="module")
def story_statements(story):
    return build_statements(story.items, story.index)


def _find(statements, start: str):
    hits = [s for s in statements if s.span.text.startswith(start)]
    assert len(hits) == 1, [s.span.text for s in statements]
    return hits[0]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Harbour crane collapses in Velmont", True),  # a headline states something
        ("By Ada Lindqvist, The Coast Record", False),  # a byline does not
        ("A container crane collapsed", True),  # the dateline is cut off, the sentence kept
        ("VELMONT", False),
        ("Mayor Ivo Pereira said", True),
        ("Why did it fall?", True),  # kept as a statement; claims skip questions
        ("Too early.", False),  # under four words
    ],
)
def test_which_pieces_become_statements(story_statements, text: str, kept: bool) -> None:
    assert any(s.span.text.startswith(text) for s in story_statements) is kept


def test_statement_fields(story, story_statements) -> None:
    clean, ext = story.items[0]
    aid = clean.article.id
    crane = _find(story_statements, "A container crane collapsed")
    assert "2026-03-10" in crane.dates  # "on Tuesday" before publication on Wednesday 11 March
    assert crane.figures and all(ext.figures[i].value == 3 for i in crane.figures)
    assert crane.events and not crane.negated
    assert crane.published == "2026-03-11"
    mayor = _find(story_statements, "Mayor Ivo Pereira said")
    assert any(e.startswith("person:") for e in mayor.entities)
    assert list(mayor.entities) == sorted(set(mayor.entities))
    assert not _find(story_statements, "Mayor Ivo").negated
    assert _find(story_statements, "The operator, Halcyon Freight, did not comment").negated
    for n, s in enumerate(story_statements, 1):
        assert s.id == f"st-{aid}-{n}"
        assert s.source == aid
        assert s.span.text == clean.text[s.span.start : s.span.end]
        assert s.citation.text == clean.article.text[s.citation.start : s.citation.end]
        assert s.citation.text.strip() == s.span.text.strip()


def test_comparative_qualifier_is_not_negation(nlp) -> None:
    items = make_items(
        [("q", "Not less than 40 people were killed in the floods in Velmont, the hospital said.", "2026-03-11")],
        nlp=nlp,
    )
    (stmt,) = build_statements(items.items, items.index)
    assert not stmt.negated


def test_sample_statements(sample_items) -> None:
    statements = build_statements(sample_items.items, sample_items.index)
    texts = {clean.article.id: clean for clean, _ in sample_items.items}
    assert len(statements) > 150
    assert len({s.id for s in statements}) == len(statements)
    for s in statements:
        clean = texts[s.source]
        assert s.citation.text == clean.article.text[s.citation.start : s.citation.end]
        assert "\n" not in s.span.text
        assert len(re.findall(r"\w+", s.span.text)) >= 4
    # the wire's dateline never becomes a statement; the quote it glued to the next paragraph is given back
    assert not any(s.span.text.startswith("PORT AUBREL") for s in statements)
    wire = sample_items.ids["hws-wire-2025-12-10.txt"]
    assert any(s.source == wire and s.span.text.startswith('"We will not retreat,"') and s.span.text.endswith('."')
               for s in statements)
    # deterministic
    assert build_statements(sample_items.items, sample_items.index) == statements
