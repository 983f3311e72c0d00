"""Story identity: real headlines, never furniture, and the story title from the latest well-scored one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.ingest.headline import headline, is_furniture_title
from storyline.output.dossier import story_title
from storyline.reader.stories import story_slug


@pytest.mark.parametrize(
    ("title", "outlet", "expected"),
    [
        ("Politics", None, None),  # a section label
        ("World news", "The Harbor Gazette", None),
        ("Home | The Harbor Gazette", "The Harbor Gazette", None),
        ("Latest", None, None),
        ("Pier closure vote", None, None),  # three words: furniture
        ("", None, None),
        (None, None, None),
        ("Council votes to close Pier 9 | The Harbor Gazette", "The Harbor Gazette",
         "Council votes to close Pier 9"),
        ("Council votes to close Pier 9 - Harbor Gazette News", None, "Council votes to close Pier 9"),
        ("Council votes to close Pier 9 - The Harbor Gazette - Politics", None, "Council votes to close Pier 9"),
        ("Politics | Council votes to close Pier 9", None, "Council votes to close Pier 9"),
        ("Veldania: ferry toll rises to 114 after storm", None, "Veldania: ferry toll rises to 114 after storm"),
        ("Ferry toll rises to 114 after storm", "Gazette", "Ferry toll rises to 114 after storm"),
        ("Dock workers protest | pier closure plans", None, "Dock workers protest | pier closure plans"),
    ],
)
def test_headline(title, outlet, expected):
    assert headline(title, outlet) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Politics", True), ("Breaking News", True), ("Top stories", True), ("A B C", True),
     ("Ferry toll rises to 114", False), ("Council closes the pier", False)],
)
def test_is_furniture_title(title, expected):
    assert is_furniture_title(title) is expected


def _src(sid, title, published, outlet=None):
    return {"id": sid, "title": title, "published": published, "outlet": outlet}


@pytest.mark.parametrize(
    ("sources", "scores", "expected"),
    [
        # the most recent article's headline, not the first one's
        ([_src("a", "Storm hits the coast of Veldania overnight", "2031-03-01"),
          _src("b", "Ferry toll rises to 114 after the storm", "2031-03-05")], {}, "Ferry toll rises to 114 after the storm"),
        # a section label is never the title, however recent
        ([_src("a", "Storm hits the coast of Veldania overnight", "2031-03-01"),
          _src("b", "Politics", "2031-03-05")], {}, "Storm hits the coast of Veldania overnight"),
        # a badly scored recent source loses to a well-scored older one
        ([_src("a", "Storm hits the coast of Veldania overnight", "2031-03-01"),
          _src("b", "Storm toll rises to 114 said officials", "2031-03-02"),
          _src("c", "SHOCKING storm news you need to see now", "2031-03-05")],
         {"a": 0.9, "b": 0.8, "c": 0.2}, "Storm toll rises to 114 said officials"),
        # nothing but furniture
        ([_src("a", "Home", "2031-03-01"), _src("b", None, None)], {}, "Untitled story"),
        # the site's name is left out
        ([_src("a", "Ferry toll rises to 114 after the storm | Harbor Gazette", "2031-03-01", "Harbor Gazette")],
         {}, "Ferry toll rises to 114 after the storm"),
    ],
)
def test_story_title(sources, scores, expected):
    assert story_title(sources, scores) == expected


@given(st.text(max_size=80), st.one_of(st.none(), st.text(max_size=20)))
def test_a_headline_is_a_slice_of_its_title_and_never_furniture(title, outlet):
    got = headline(title, outlet)
    if got is not None:
        assert got in title and not is_furniture_title(got)


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Ferry toll rises to 114 after the storm", "ferry-toll-rises-to-114-after-the-storm"),
     ("Veldania's sea blockade", "veldanias-sea-blockade"), ("¿¿", "story")],
)
def test_the_story_id_is_a_slug_of_the_title(title, expected):
    assert story_slug(title) == expected
