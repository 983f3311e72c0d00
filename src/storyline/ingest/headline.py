"""Headlines: which article titles are real headlines, and the headline without the site's name.

A page's title is often not its headline: a section label ("Politics", "World news"), a navigation word
("Home", "Live"), a site name alone, or the headline with the site's name run on ("... | The Outlet",
"... - Outlet News").  ``headline(title, outlet)`` gives the headline part, or None when the title is
furniture: a section label or navigation word, or a line of one to three words (a real headline states
something, and a story title must say what the story is).
"""

from __future__ import annotations

import re

from storyline.text import fold, words

__all__ = ["MIN_HEADLINE_WORDS", "headline", "is_furniture_title"]

MIN_HEADLINE_WORDS = 4  # a line of one to three words is furniture, never a story's title
# separators sites put between the headline and their own name
_SEPARATOR_RE = re.compile(r"\s+(?:\||[-\u2013\u2014:\u00b7\u2022/]|::)\s+")
# section labels and navigation words that pages give as their title; folded, one entry a line's words
_FURNITURE = frozenset(
    fold(w)
    for w in (
        "home", "homepage", "front page", "news", "latest", "latest news", "breaking", "breaking news", "live",
        "live updates", "top stories", "politics", "world", "world news", "us news", "uk news", "local",
        "local news", "national", "international", "business", "economy", "markets", "money", "tech",
        "technology", "science", "health", "sport", "sports", "opinion", "opinions", "editorial", "analysis",
        "culture", "entertainment", "lifestyle", "travel", "weather", "video", "videos", "photos", "gallery",
        "podcast", "podcasts", "newsletter", "subscribe", "sign in", "log in", "menu", "search", "americas",
        "europe", "asia", "africa", "middle east", "latin america", "asia pacific", "crime", "justice",
        "courts", "elections", "government", "military", "defense", "defence", "security", "featured",
        "trending", "most read", "most popular", "related", "more", "index", "archive", "page not found",
    )
)


def _words_of(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


def is_furniture_title(title: str | None) -> bool:
    """True for a title that is no headline: empty, a section label or navigation word, under four words."""
    if not title or not title.strip():
        return True
    parts = _words_of(title)
    if len(parts) < MIN_HEADLINE_WORDS:
        return True
    return " ".join(parts) in _FURNITURE


def _is_site_part(part: str, outlet: str | None) -> bool:
    """A run-on piece naming the site or a section: "The Outlet", "Outlet News", "Politics"."""
    folded = " ".join(_words_of(part))
    if not folded or folded in _FURNITURE:
        return True
    if outlet:
        site = " ".join(_words_of(outlet))
        if site and (site in folded or folded in site):
            return True
    return len(folded.split()) <= 3 and all(w[:1].isupper() or not w[:1].isalpha() for w in words(part))


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` between site separators."""
    out, pos = [], 0
    for m in _SEPARATOR_RE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if e > s]


def headline(title: str | None, outlet: str | None = None) -> str | None:
    """The headline in ``title`` without the site's name and section labels run on to it (an exact slice of
    the title, white space trimmed); None when what is left is furniture."""
    if not title or not title.strip():
        return None
    segs = _segments(title)
    while len(segs) > 1 and _is_site_part(title[slice(*segs[-1])], outlet):
        segs.pop()
    while len(segs) > 1 and _is_site_part(title[slice(*segs[0])], outlet):
        segs.pop(0)
    kept = title[segs[0][0] : segs[-1][1]].strip()
    return None if is_furniture_title(kept) else kept
