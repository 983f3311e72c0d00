"""Property tests for storyline.ingest.spans (TextBuilder / OffsetMap) and for the character map of clean()."""

from __future__ import annotations

import json
import re

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest.clean import _FTFY_CONFIG, _INVISIBLE_RE, clean
from storyline.ingest.spans import OffsetMap, TextBuilder
from storyline.records import Article

ORIGINAL = st.text(alphabet="ab cdé\n\u2019xyz", max_size=40)
NEW_TEXT = st.text(alphabet="ab cXY\n\u00e9", max_size=6)
OP = st.tuples(st.sampled_from(["keep", "skip", "replace", "insert"]), st.integers(0, 8), NEW_TEXT)


def _apply(original: str, ops: list[tuple[str, int, str]], empty_replace: bool = True):
    """Run ops left to right over original; return (text, map, kept, replaced) where kept lists
    (clean_start, orig_start, length) and replaced lists (clean_start, clean_end, orig_start, orig_end)."""
    b = TextBuilder(original)
    pos = 0
    kept: list[tuple[int, int, int]] = []
    replaced: list[tuple[int, int, int, int]] = []
    expected: list[str] = []
    for kind, length, new in ops:
        n = min(length, len(original) - pos)
        if kind == "keep":
            if n:
                kept.append((len(b), pos, n))
            b.keep(pos, pos + n)
            expected.append(original[pos : pos + n])
            pos += n
        elif kind == "skip":
            pos += n
        elif kind == "replace":
            if not n and not empty_replace:
                continue
            cs = len(b)
            b.replace(pos, pos + n, new)
            replaced.append((cs, len(b), pos, pos + n))
            expected.append(new)
            pos += n
        else:
            b.insert(new)
            expected.append(new)
    text, omap = b.build()
    assert text == "".join(expected)
    return text, omap, kept, replaced


@settings(max_examples=60, deadline=None)
@given(ORIGINAL, st.lists(OP, max_size=12), st.data())
def test_every_span_maps_inside_original(original: str, ops, data) -> None:
    text, omap, _kept, _replaced = _apply(original, ops)
    assert len(omap) == len(text)
    assert omap.original_length == len(original)
    n = len(text)
    for _ in range(8):
        s = data.draw(st.integers(0, n))
        e = data.draw(st.integers(s, n))
        os_, oe = omap.to_original(s, e)
        assert 0 <= os_ <= oe <= len(original)
    os_, oe = omap.to_original(n, n)
    assert 0 <= os_ == oe <= len(original)


@settings(max_examples=60, deadline=None)
@given(ORIGINAL, st.lists(OP, max_size=12))
def test_kept_spans_are_exact(original: str, ops) -> None:
    text, omap, kept, _ = _apply(original, ops)
    for cs, os_, n in kept:
        for i in range(n):
            for j in range(i + 1, n + 1):
                assert omap.to_original(cs + i, cs + j) == (os_ + i, os_ + j)
                assert original[os_ + i : os_ + j] == text[cs + i : cs + j]


@settings(max_examples=60, deadline=None)
@given(ORIGINAL, st.lists(OP, max_size=12))
def test_replaced_spans_stay_inside_their_source(original: str, ops) -> None:
    text, omap, _, replaced = _apply(original, ops)
    for cs, ce, os_, oe in replaced:
        if cs == ce:
            continue
        a, b = omap.to_original(cs, ce)
        assert os_ <= a <= b <= oe
        # characters that difflib found unchanged map to themselves
        for i in range(cs, ce):
            x, y = omap.to_original(i, i + 1)
            if y - x == 1 and oe - os_ == ce - cs and original[os_:oe] == text[cs:ce]:
                assert original[x] == text[i]


@settings(max_examples=60, deadline=None)
@given(ORIGINAL, st.lists(OP, max_size=12))
def test_monotonic_ops_give_monotonic_map(original: str, ops) -> None:
    # replace() of an empty range is excluded: see test_insert_after_empty_replace below.
    text, omap, _, _ = _apply(original, ops, empty_replace=False)
    starts = [omap.to_original(i, i + 1)[0] for i in range(len(text))]
    assert starts == sorted(starts)


def test_insert_after_empty_replace() -> None:
    # replace(1, 1, "X") is an insertion at 1 and must move the builder's position, so a following
    # insert() lands at 1 too: the cleaned span "XY" cites nothing rather than the unemitted "a".
    b = TextBuilder("ab")
    b.replace(1, 1, "X")
    b.insert("Y")
    text, omap = b.build()
    assert text == "XY"
    assert omap.to_original(0, 2) == (1, 1)


@settings(max_examples=60, deadline=None)
@given(ORIGINAL, st.lists(OP, max_size=12))
def test_to_list_from_list_round_trip(original: str, ops) -> None:
    text, omap, _, _ = _apply(original, ops)
    runs = omap.to_list()
    again = OffsetMap.from_list(json.loads(json.dumps(runs)), len(original))
    assert len(again) == len(omap)
    assert again.original_length == omap.original_length
    for i in range(len(text)):
        assert again.to_original(i, i + 1) == omap.to_original(i, i + 1)
    assert again.to_list() == runs
    assert sum(run[3] for run in runs) == len(text)


@pytest.mark.parametrize(
    ("length", "span", "expected"),
    [(5, (0, 5), (0, 5)), (5, (2, 3), (2, 3)), (5, (5, 5), (5, 5)), (0, (0, 0), (0, 0))],
)
def test_identity(length: int, span: tuple[int, int], expected: tuple[int, int]) -> None:
    assert OffsetMap.identity(length).to_original(*span) == expected


@pytest.mark.parametrize(("span"), [(-1, 2), (3, 2), (0, 6)])
def test_bad_spans_raise(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        OffsetMap.identity(5).to_original(*span)


def test_builder_rejects_bad_ranges() -> None:
    b = TextBuilder("abc")
    with pytest.raises(ValueError):
        b.keep(2, 5)
    with pytest.raises(ValueError):
        b.replace(-1, 1, "x")


def test_replace_aligns_unchanged_characters() -> None:
    original = "the cafÃ© is open"
    b = TextBuilder(original)
    b.replace(0, len(original), "the café is open")
    text, omap = b.build()
    assert omap.to_original(0, 3) == (0, 3)
    i = text.index("café")
    assert original[slice(*omap.to_original(i, i + 4))] == "cafÃ©"
    j = text.index("is open")
    assert original[slice(*omap.to_original(j, j + 7))] == "is open"


def test_insert_is_zero_width() -> None:
    b = TextBuilder("ab")
    b.keep(0, 1)
    b.insert("--")
    b.keep(1, 2)
    text, omap = b.build()
    assert text == "a--b"
    assert omap.to_original(1, 3) == (1, 1)
    assert omap.to_original(0, 4) == (0, 2)


# --------------------------------------------------------------------------- clean()

# ASCII words, furniture words, odd white space and invisible characters; no mojibake, so
# ftfy changes nothing and every visible cleaned character is an original character.
CLEAN_ALPHABET = st.sampled_from(
    ["Share", "Advertisement", "Read more", "Home", "World", "|", "The", "port", "closed", "said",
     "(AP)", "Reuters", ".", ",", "3", "\n", "\n\n", " ", "  ", "\t", "\u00a0", "\u200b", "\ufeff",
     "\r\n", "- ", "By", "Jane", "Doe", "Photo:", "x"]
)
ARTICLE_TEXT = st.lists(CLEAN_ALPHABET, max_size=60).map("".join)
INVISIBLE = re.compile("[\u200b\ufeff]")


@settings(max_examples=60, deadline=None)
@given(ARTICLE_TEXT)
def test_clean_words_map_to_original(text: str) -> None:
    c = clean(Article(id="p", origin="p", text=text, format="text"))
    assert len(c.offsets) == len(c.text)
    for m in re.finditer(r"[A-Za-z0-9]+", c.text):
        cit = c.cite(m.start(), m.end())
        assert cit.text == text[cit.start : cit.end]
        assert INVISIBLE.sub("", cit.text) == m.group()
    # every visible character is the original character it maps to
    for i, ch in enumerate(c.text):
        if ch not in " \n":
            s, e = c.offsets.to_original(i, i + 1)
            assert text[s:e] == ch


@settings(max_examples=60, deadline=None)
@given(ARTICLE_TEXT)
def test_clean_output_shape(text: str) -> None:
    c = clean(Article(id="p", origin="p", text=text, format="text"))
    assert c.text == c.text.strip()
    assert "  " not in c.text and "\n\n\n" not in c.text and "\t" not in c.text
    assert " \n" not in c.text and "\n " not in c.text
    assert not INVISIBLE.search(c.text) and "\u00a0" not in c.text and "\r" not in c.text
    last = -1
    for r in c.removed:
        assert text[r.start : r.end] == r.text
        assert r.start >= last  # in order, no overlap
        last = r.end
    # no removed line overlaps a kept character
    kept = set()
    for i in range(len(c.text)):
        s, e = c.offsets.to_original(i, i + 1)
        kept.update(range(s, e))
    for r in c.removed:
        assert not kept.intersection(range(r.start, r.end))


LINE_SPLIT = re.compile(r"\r\n|\r|\n")
MOJIBAKE = st.lists(
    st.sampled_from(["caf", "Ã©", "Ã¢â‚¬â„¢", "&amp;", "ﬁ", " ", "\n", "President", "s", "\u200b", "\n\n", "é"]),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=80), MOJIBAKE))
def test_clean_arbitrary_text(text: str) -> None:
    c = clean(Article(id="p", origin="p", text=text, format="text"))
    assert len(c.offsets) == len(c.text)
    for r in c.removed:
        assert text[r.start : r.end] == r.text
    unchanged = all(ftfy.fix_text(line, config=_FTFY_CONFIG) == line for line in LINE_SPLIT.split(text))
    for m in re.finditer(r"\w+", c.text):
        cit = c.cite(m.start(), m.end())
        assert 0 <= cit.start <= cit.end <= len(text)
        assert cit.text == text[cit.start : cit.end]
        if unchanged:
            assert _INVISIBLE_RE.sub("", cit.text) == m.group()
