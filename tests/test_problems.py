"""Item identity for report-a-problem and what a suppression hides (pure functions, no store)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.reader.problems import (
    ITEM_KINDS,
    SECTION_OF_KIND,
    Suppression,
    find_item,
    is_suppressed,
    item_citations,
    item_key,
    parse_key,
)
from storyline.records import Citation

A = Citation("aaaa1111", 10, 42, "x" * 32)
B = Citation("bbbb2222", 0, 5, "hello")


@pytest.mark.parametrize(
    ("kind", "citations", "expected"),
    [
        ("claim", [A, B], "claim:aaaa1111:10-42"),
        ("quote", [B], "quote:bbbb2222:0-5"),
        ("briefing", [{"source": "cc", "start": 3, "end": 9, "text": "abcdef"}], "briefing:cc:3-9"),
        ("conflict", [B, A], "conflict:bbbb2222:0-5"),
    ],
)
def test_item_key(kind, citations, expected):
    assert item_key(kind, citations) == expected


@pytest.mark.parametrize(
    ("kind", "citations"),
    [("claim", []), ("tweet", [A]), ("", [A])],
)
def test_item_key_refuses_unknown_kinds_and_uncited_items(kind, citations):
    with pytest.raises(ValueError):
        item_key(kind, citations)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("claim:aaaa1111:10-42", ("claim", "aaaa1111", 10, 42)),
        ("next:0f:0-0", ("next", "0f", 0, 0)),
        ("claim:aaaa1111:42-10", None),  # end before start
        ("claim:aaaa1111:10", None),
        ("tweet:aaaa1111:1-2", None),
        ("claim aaaa1111 1-2", None),
        ("", None),
        ("claim:a:b:1-2", None),
    ],
)
def test_parse_key(key, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_key(key)
    else:
        assert parse_key(key) == expected


@given(
    kind=st.sampled_from(ITEM_KINDS),
    source=st.from_regex(r"[0-9a-f]{4,16}", fullmatch=True),
    start=st.integers(0, 10**6),
    length=st.integers(0, 10**4),
)
def test_key_round_trips(kind, source, start, length):
    key = item_key(kind, [Citation(source, start, start + length, "")])
    assert parse_key(key) == (kind, source, start, start + length)
    assert Suppression.from_key(key) == Suppression(kind, source, start, start + length)


SUP_CLAIM_A = Suppression("claim", "aaaa1111", 10, 42)


@pytest.mark.parametrize(
    ("kind", "citations", "suppressions", "hidden"),
    [
        ("claim", [A], [SUP_CLAIM_A], True),  # the reported item itself
        ("claim", [B, A], [SUP_CLAIM_A], True),  # the same claim, another representative first
        ("briefing", [A], [SUP_CLAIM_A], True),  # built from the suppressed claim
        ("answer", [B, A], [SUP_CLAIM_A], True),
        ("quote", [A], [SUP_CLAIM_A], True),  # the same statement shown as another kind is hidden too
        ("conflict", [A], [SUP_CLAIM_A], False),  # a conflict is built from several statements: its own kind only
        ("claim", [B], [SUP_CLAIM_A], False),
        ("claim", [Citation("aaaa1111", 10, 41, "x" * 31)], [SUP_CLAIM_A], True),  # nearly the same words
        ("claim", [Citation("aaaa1111", 30, 90, "x" * 60)], [SUP_CLAIM_A], False),  # shares 12 of 32: another span
        ("claim", [A], [], False),
    ],
)
def test_is_suppressed(kind, citations, suppressions, hidden):
    assert is_suppressed(kind, citations, suppressions) is hidden


@pytest.mark.slow
def test_every_kind_of_dossier_item_is_found_by_its_key(sample_run):
    dossier = sample_run.dossier
    for kind, section in SECTION_OF_KIND.items():
        items = dossier.get(section) or []
        if not items:
            assert kind == "next", f"the sample has no {section}"
            continue
        item = items[-1]
        key = item_key(kind, item_citations(kind, item))
        found = find_item(key, items)
        assert found is not None and found.key == key and found.kind == kind
        assert found.text and found.citations
        kind_, source, start, end = parse_key(key)
        assert find_item(f"{kind_}:{source}:{start}-{end + 1}", items) is None  # one character off
        assert find_item(f"{kind_}:0000:{start}-{end}", items) is None  # another source


def test_find_item_in_a_briefing_dict():
    cite = {"source": "s", "start": 0, "end": 5, "text": "hello"}
    briefing = {"sections": [{"sentences": [{"text": "hello", "citations": [cite], "key": "briefing:s:0-5"}]}]}
    found = find_item("briefing:s:0-5", briefing)
    assert found is not None and found.text == "hello" and found.citations[0].text == "hello"
    assert find_item("briefing:s:0-6", briefing) is None
    assert find_item("briefing:s:0-5", None) is None
