"""Statements: one sentence of one source with what it mentions, the unit claims are built from.

``build_statements(items, index)`` cuts every article's cleaned text into sentences (the parser's
sentence spans, split again at line breaks, since the parser often glues a headline, a dateline or the
end of a paragraph to the next sentence), drops fragments that state nothing (under four words, bylines,
datelines alone) and fills each ``Statement`` with the corpus entity ids, TIMEX values, figures, events and
quotes that lie inside it.  Everything is one linear sweep per article over records sorted by offset.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.records import CleanArticle, Extraction, Span, Statement
from storyline.text import split_sentences
from storyline.text import words as split_words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.entities import EntityIndex

__all__ = ["build_statements", "split_sentences"]

# "By Jane Doe, The Outlet" / "By JANE DOE and JOHN ROE"
_BYLINE_RE = re.compile(r"(?:by|from|reporting by|written by)\s+[A-Z][^.!?]*", re.IGNORECASE)
_TERMINAL_RE = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
# a negated main verb: "did not", "has never", "won't", "no longer"
_NEGATION_RE = re.compile(
    r"\b(?:not|never|no\s+longer)\b|\w+n['\u2019]t\b|\bcannot\b", re.IGNORECASE
)
_COMPARATIVE_RE = re.compile(r"\b(?:not|no)\s+(?:less|more|fewer|later|earlier|sooner)\s+than\b", re.IGNORECASE)
_QUOTED_RE = re.compile(r"[\"\u201c\u201d][^\"\u201c\u201d]*[\"\u201c\u201d]?")


def _word_count(text: str) -> int:
    return len(split_words(text))


def _skip(piece: str, has_event: bool) -> bool:
    """Fragments that state nothing: under four words, a byline, a dateline or credit alone."""
    if _word_count(piece) < 4:
        return True
    if has_event or _TERMINAL_RE.search(piece):
        return False
    if _BYLINE_RE.fullmatch(piece) and _word_count(piece) <= 12:
        return True
    # no lower-case word at all (a dateline, a credit line in capitals)
    return not any(w[0].islower() for w in split_words(piece))


def _overlapping(records: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    return [i for i, (s, e) in enumerate(records) if s < end and start < e]


def _statements_of(clean: CleanArticle, ext: Extraction, index: EntityIndex) -> list[Statement]:
    text = clean.text
    aid = clean.article.id
    published = clean.article.published
    sentences = ext.sentences or (Span(0, len(text), text),)
    pieces = split_sentences(text, sentences)

    mentions = sorted(ext.mentions, key=lambda m: (m.span.start, m.span.end))
    m_starts = [m.span.start for m in mentions]
    m_ids: list[str | None] = []
    for m in mentions:
        ent = index.resolve(aid, m.key)
        m_ids.append(ent.id if ent is not None else None)
    dates = sorted(ext.dates, key=lambda d: (d.span.start, d.span.end))
    d_starts = [d.span.start for d in dates]
    fig_spans = [(f.span.start, f.span.end) for f in ext.figures]
    ev_spans = [(e.trigger.start, e.trigger.end) for e in ext.events]
    q_spans = [(q.content.start, q.content.end) for q in ext.quotes]

    out: list[Statement] = []
    for start, end in pieces:
        piece = text[start:end]
        events = tuple(i for i, (s, e) in enumerate(ev_spans) if start <= s and e <= end)
        if _skip(piece, bool(events)):
            continue
        ents: set[str] = set()
        lo, hi = bisect_left(m_starts, start), bisect_left(m_starts, end)
        for i in range(lo, hi):
            if mentions[i].span.end <= end and m_ids[i] is not None:
                ents.add(m_ids[i])  # type: ignore[arg-type]
        values: list[str] = []
        lo, hi = bisect_left(d_starts, start), bisect_left(d_starts, end)
        for i in range(lo, hi):
            if dates[i].span.end <= end and dates[i].value not in values:
                values.append(dates[i].value)
        figures = tuple(_overlapping(fig_spans, start, end))
        quotes = tuple(_overlapping(q_spans, start, end))
        plain = _COMPARATIVE_RE.sub(" ", piece)  # "not less than 43" qualifies a figure, negates nothing
        if events and plain == piece:
            negated = any(ext.events[i].negated for i in events)
        else:
            negated = bool(_NEGATION_RE.search(_QUOTED_RE.sub(" ", plain))) and (
                not events or any(ext.events[i].negated for i in events)
            )
        span = Span(start, end, piece)
        out.append(
            Statement(
                id=f"st-{aid}-{len(out) + 1}",
                source=aid,
                span=span,
                citation=clean.cite_span(span),
                published=published,
                entities=tuple(sorted(ents)),
                dates=tuple(values),
                figures=figures,
                events=events,
                quotes=quotes,
                negated=negated,
            )
        )
    return out


def build_statements(
    items: Sequence[tuple[CleanArticle, Extraction]], index: EntityIndex
) -> tuple[Statement, ...]:
    """One Statement per sentence of each article, in article order then text order."""
    out: list[Statement] = []
    for clean, ext in items:
        out.extend(_statements_of(clean, ext, index))
    return tuple(out)
