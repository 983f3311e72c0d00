"""storyline.text: the one word tokenizer, fold, stemmer and sentence splitter of the package."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.records import Span
from storyline.text import fold, split_sentences, stem, stems, word_spans, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials said 12 people died.", ["Officials", "said", "12", "people", "died"]),
        ("don't al-Assad U.S. officials", ["don't", "al-Assad", "U.S", "officials"]),
        ("Vâlcu’s ship", ["Vâlcu’s", "ship"]),
        ("1,000 homes at 3:30, 4.2 million", ["1,000", "homes", "at", "3:30", "4.2", "million"]),
        ("a, b", ["a", "b"]),  # a comma between words joins nothing
        ("F-16 jets", ["F-16", "jets"]),
        ("snake_case", ["snake", "case"]),
        ("-- ... !?", []),  # no word
        ("", []),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("attacked, and", ["attacked", ",", "and"]),
        ('"Go," he said.', ['"', "Go", ",", '"', "he", "said", "."]),
        ("   ", []),
    ],
)
def test_word_spans_with_punctuation(text, expected):
    assert [text[s:e] for s, e in word_spans(text, punctuation=True)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vâlcu’s", "valcu's"),
        ("ÉCOLE", "ecole"),
        ("Straße", "strasse"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("reported", "report"),
        ("Reports", "report"),
        ("reporting", "report"),
        ("policies", "polici"),
        ("Veldania's", "veldania"),
        ("Vâlcu’s", "valcu"),
        ("2025", "2025"),  # numbers stay
        ("1990s", "1990s"),
        ("the", "the"),  # nothing to strip
        ("", ""),
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected


def test_stems_of_a_text():
    assert stems("Ships were seized") == ["ship", "were", "seiz"]
    assert stems("") == []


def _spans(text: str, pairs: list[tuple[int, int]]) -> list[Span]:
    return [Span(s, e, text[s:e]) for s, e in pairs]


@pytest.mark.parametrize(
    ("text", "sentences", "expected"),
    [
        ("One. Two.", [(0, 4), (5, 9)], ["One.", "Two."]),
        ("Headline\nThe body.", [(0, 18)], ["Headline", "The body."]),  # cut at line breaks
        ('He said "go."\nThen.', [(0, 12), (12, 19)], ['He said "go."', "Then."]),  # closing quote given back
        ("LONDON (Reuters) - Ships sailed.", [(0, 32)], ["Ships sailed."]),  # dateline cut off
        ("Plain text.", [], []),  # no parser sentences: nothing
        ("  \n  ", [(0, 5)], []),
    ],
)
def test_split_sentences(text, sentences, expected):
    assert [text[s:e] for s, e in split_sentences(text, _spans(text, sentences))] == expected


# --------------------------------------------------------------------------- properties

texts = st.lists(
    st.sampled_from([*"abcXYZ019 .,:'’-_\n\"!?é", "Vâ", "U.S.", "1,000", "don't", "LONDON - "]), max_size=40
).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_word_spans_slice_back_to_words(text):
    spans = list(word_spans(text))
    assert [text[s:e] for s, e in spans] == words(text)
    assert all(s < e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # ordered, not overlapping


@settings(max_examples=200, deadline=None)
@given(texts)
def test_punctuation_spans_cover_every_non_space_character(text):
    spans = list(word_spans(text, punctuation=True))
    covered = "".join(text[s:e] for s, e in spans)
    assert covered == "".join(text.split())
    assert set(word_spans(text)) <= set(spans)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["report", "reported", "reports", "policies", "running", "ships", "officials", "seized",
                        "arrivals", "Veldanian", "generously", "2025", "U.S", "al-Assad"]))
def test_stem_is_idempotent_on_common_words(word):
    # Snowball is not idempotent in general ("generously" -> "generous" -> "generous"), but it is on these
    assert stem(stem(word)) == stem(word)
    assert stem(word) == stem(word.upper()) == stem(fold(word))


@settings(max_examples=200, deadline=None)
@given(texts, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=6))
def test_split_sentences_pieces_lie_inside_the_input_spans_in_order(text, raw):
    spans = sorted({(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in raw})
    # the parser gives sentences that do not overlap
    kept: list[tuple[int, int]] = []
    for s, e in spans:
        if not kept or s >= kept[-1][1]:
            kept.append((s, e))
    pieces = split_sentences(text, _spans(text, kept))
    for s, e in pieces:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip() or text[e - 1] not in " \t"
        # a piece lies inside one parser sentence, or (a closing mark given back) inside two adjacent ones
        assert any(ks <= s < ke for ks, ke in kept)
        assert any(ks < e <= ke for ks, ke in kept)
    assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:], strict=False))
