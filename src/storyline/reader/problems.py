"""Report a problem: the identity of shown items, and which items a maintainer's suppression hides.

Every item a reader sees (a briefing sentence, claim, quote, figure, conflict, flagged error, event,
what-comes-next entry, answer) is identified by its kind and its *primary citation*, the first of its
citations: ``"claim:670f182400bf879b:918-1039"``.  Article ids are content hashes and citations index the
original text, so the same item gets the same key when the corpus is analysed again; the key therefore
survives re-analysis, and so does a suppression.

A declined question ("The sources do not say") has no citations; its key is ``"decline:<h>:0-0"`` where
``<h>`` is the first 16 hex digits of the SHA-256 of the story id, a newline and the normalised question
(:func:`normalise_question`: Unicode NFKC, case-folded, whitespace collapsed, trailing ``?!.`` and spaces
dropped), so the same question asked again, in other case or spacing, gets the same key.

What a suppression hides.  One statement of a source shows up as several items: a briefing sentence, a
quote under its speaker, a claim, an event on the timeline, a figure, a what-comes-next entry, an answer.
They all cite (nearly) the same words, so a suppression of any of these *statement* kinds hides every
statement item that cites the same words: an item is hidden when one of its citations and the suppressed
item's primary citation lie in the same source and share at least half of the shorter of the two spans
(a quote's words inside the sentence an event cites; a claim whose representative sentence changed when a
new source joined it still holds the reported statement).  Conflicts, running figures and flagged errors
are built from several statements: they are hidden only by a suppression of their own kind naming one of
their citations exactly, and suppressing one of them hides no statement (a wrong conflict card does not
make its sides' words wrong).  Briefing sentences and answers are built from other items, so they are
also hidden when they cite the primary citation of any suppressed item.

Storage of reports lives in :mod:`storyline.store` (``Store.add_problem`` and friends).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.records import Citation

__all__ = [
    "CATEGORIES",
    "DERIVED_KINDS",
    "ITEM_KINDS",
    "STATUSES",
    "SECTION_OF_KIND",
    "ShownItem",
    "Suppression",
    "STATEMENT_KINDS",
    "as_citation",
    "decline_key",
    "find_item",
    "item_citations",
    "item_text",
    "is_suppressed",
    "item_key",
    "normalise_question",
    "overlaps",
    "parse_key",
]

CATEGORIES: tuple[str, ...] = ("wrong", "misattributed", "outdated", "missing-context", "other")
ITEM_KINDS: tuple[str, ...] = (
    "briefing",
    "claim",
    "quote",
    "figure",
    "series",
    "conflict",
    "error",
    "event",
    "next",
    "answer",
    "decline",
)
STATUSES: tuple[str, ...] = ("open", "resolved", "suppressed")
DERIVED_KINDS: frozenset[str] = frozenset({"briefing", "answer"})  # built from other items
# one statement of a source, shown as any of these; conflicts, series and errors are built from several
STATEMENT_KINDS: frozenset[str] = frozenset({"briefing", "claim", "quote", "figure", "event", "next", "answer"})

_KEY = re.compile(r"^(?P<kind>[a-z-]+):(?P<source>[^:\s]+):(?P<start>\d+)-(?P<end>\d+)$")


def as_citation(c: Citation | Mapping[str, Any]) -> Citation:
    """A Citation from a Citation or a dossier citation dict."""
    if isinstance(c, Citation):
        return c
    return Citation(str(c["source"]), int(c["start"]), int(c["end"]), str(c.get("text", "")))


def item_key(kind: str, citations: Sequence[Citation | Mapping[str, Any]]) -> str:
    """The stable identity of a shown item: ``"<kind>:<source>:<start>-<end>"`` of its first citation.

    Raises ValueError for an unknown kind or an item without citations (nothing uncited is ever shown)."""
    if kind not in ITEM_KINDS:
        raise ValueError(f"unknown item kind {kind!r} (expected one of {', '.join(ITEM_KINDS)})")
    if not citations:
        raise ValueError(f"a {kind} item without citations has no identity")
    c = as_citation(citations[0])
    return f"{kind}:{c.source}:{c.start}-{c.end}"


def parse_key(key: str) -> tuple[str, str, int, int]:
    """``(kind, source, start, end)`` of an item key; ValueError when it is not one."""
    m = _KEY.match(key)
    if m is None or m["kind"] not in ITEM_KINDS or int(m["start"]) > int(m["end"]):
        raise ValueError(f"not an item key: {key!r}")
    return m["kind"], m["source"], int(m["start"]), int(m["end"])


@dataclass(frozen=True, slots=True)
class Suppression:
    """What a suppressed report hides: an item kind and its primary citation's position."""

    kind: str
    source: str
    start: int
    end: int

    @classmethod
    def from_key(cls, key: str) -> Suppression:
        kind, source, start, end = parse_key(key)
        return cls(kind, source, start, end)


def is_suppressed(
    kind: str,
    citations: Sequence[Citation | Mapping[str, Any]],
    suppressions: Iterable[Suppression],
) -> bool:
    """Whether an item of ``kind`` with these citations is hidden by one of ``suppressions``."""
    cites = [as_citation(c) for c in citations]
    places = {(c.source, c.start, c.end) for c in cites}
    for s in suppressions:
        if (s.kind == kind or kind in DERIVED_KINDS) and (s.source, s.start, s.end) in places:
            return True
        statement = s.kind in STATEMENT_KINDS and kind in STATEMENT_KINDS
        if statement and any(c.source == s.source and overlaps(c.start, c.end, s.start, s.end) for c in cites):
            return True
    return False


def overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Whether two spans of one source share at least half of the shorter one (and at least a character)."""
    shared = min(end, other_end) - max(start, other_start)
    return shared > 0 and 2 * shared >= min(end - start, other_end - other_start)


def normalise_question(question: str) -> str:
    """A question as its decline key reads it: NFKC, case-folded, whitespace collapsed, no trailing ``?!.``."""
    text = " ".join(unicodedata.normalize("NFKC", question).casefold().split())
    return text.rstrip("?!. ")


def decline_key(story_id: str, question: str) -> str:
    """The key of a declined question ("The sources do not say"): ``"decline:<16 hex>:0-0"``.

    Raises ValueError for an empty question."""
    norm = normalise_question(question)
    if not norm:
        raise ValueError("a declined question needs the question")
    digest = hashlib.sha256(f"{story_id}\n{norm}".encode()).hexdigest()[:16]
    return f"decline:{digest}:0-0"


# --------------------------------------------------------------------------- finding the reported item

SECTION_OF_KIND: dict[str, str] = {
    "claim": "claims",
    "quote": "quotes",
    "figure": "figures",
    "series": "series",
    "conflict": "conflicts",
    "error": "errors",
    "event": "events",
    "next": "next",
}


@dataclass(frozen=True, slots=True)
class ShownItem:
    """An item as a reader saw it: what a report stores about it."""

    kind: str
    key: str
    text: str
    citations: tuple[Citation, ...]


def item_citations(kind: str, item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The citations of a dossier item, primary first (a conflict's are its sides' in order; a series' its
    points'; an error's the wrong words then the evidence)."""
    if kind == "conflict":
        return [c for side in item.get("sides") or [] for c in side.get("citations") or []]
    if kind == "series":
        return [c for p in item.get("points") or [] for c in p.get("citations") or []]
    if kind == "error":
        return list(item.get("citations") or []) + list(item.get("evidence") or [])
    return list(item.get("citations") or [])


def item_text(kind: str, item: Mapping[str, Any]) -> str:
    """A one-line description of a dossier item for the problems list."""
    if kind == "conflict":
        sides = " / ".join(str(s.get("value")) for s in item.get("sides") or [])
        return f"{item.get('about')}: {sides}"
    if kind == "series":
        return f"running figure: {item.get('what')}"
    if kind == "error":
        first = (item.get("citations") or [{}])[0]
        return f"{first.get('text', '')} (should be: {item.get('correction')})"
    if kind == "figure":
        return str(item.get("text") or "")
    for cite in item.get("citations") or []:
        if len(str(cite.get("text", ""))) > 20:
            return str(item.get("text") or cite["text"])
    return str(item.get("text") or (item.get("citations") or [{"text": ""}])[0]["text"])


def find_item(key: str, section: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None) -> ShownItem | None:
    """The item with this key in its dossier section (or, for kind "briefing", in the briefing dict)."""
    kind, _source, _start, _end = parse_key(key)
    if not section:
        return None
    if kind == "briefing":
        assert isinstance(section, Mapping)
        for sec in section.get("sections") or []:
            for s in sec.get("sentences") or []:
                if s.get("key") == key:
                    cites = tuple(map(as_citation, s.get("citations") or []))
                    return ShownItem(kind, key, str(s.get("text", "")), cites)
        return None
    assert not isinstance(section, Mapping)
    for item in section:
        cites = item_citations(kind, item)
        if cites and item_key(kind, cites) == key:
            return ShownItem(kind, key, item_text(kind, item), tuple(map(as_citation, cites)))
    return None
