"""Typed, frozen records passed between pipeline stages.

Offsets: every extraction record (``Span`` and the records built from it) uses
offsets into the *cleaned* text of one article (``CleanArticle.text``).  The
dossier stage maps them to ``Citation``s, which point into the *original*
article text (``Article.text``) through ``CleanArticle.offsets``; a citation's
``text`` always equals ``Article.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from storyline.spans import OffsetMap


@dataclass(frozen=True, slots=True)
class Citation:
    """Exact characters of one source: ``text == source_text[start:end]``."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """A span of one article's cleaned text: ``text == clean_text[start:end]``."""

    start: int
    end: int
    text: str


# --------------------------------------------------------------------------- ingestion


@dataclass(frozen=True, slots=True)
class Article:
    """One ingested article.  ``text`` is the source text all citations index."""

    id: str  # stable content hash of ``text`` (see storyline.ingest.article_id)
    origin: str  # file path, URL, or "path#3" for the 3rd entry of a feed/JSONL/CSV
    text: str
    format: str  # text | markdown | html | jsonl | csv | feed
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601: YYYY-MM-DD[THH:MM[:SS]] or YYYY-MM or YYYY
    published_how: str = "none"  # metadata | html | text | none
    published_precision: str | None = None  # day | month | year | None (when unknown)
    language: str = "en"


# --------------------------------------------------------------------------- cleaning


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A piece of page furniture dropped by the cleaner (offsets into Article.text)."""

    start: int
    end: int
    text: str
    reason: str  # e.g. "widget", "navigation", "share/subscribe", "source credit", "repeated header"


@dataclass(frozen=True, slots=True, eq=False)
class CleanArticle:
    article: Article
    text: str  # cleaned text: what the NLP stages read
    offsets: OffsetMap  # cleaned offsets -> original offsets
    removed: tuple[RemovedLine, ...] = ()

    def cite(self, start: int, end: int) -> Citation:
        """Citation into the original text for cleaned span [start, end)."""
        ostart, oend = self.offsets.to_original(start, end)
        return Citation(self.article.id, ostart, oend, self.article.text[ostart:oend])

    def cite_span(self, span: Span) -> Citation:
        return self.cite(span.start, span.end)


# --------------------------------------------------------------------------- extraction


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention of a person, organisation or place in one article."""

    span: Span
    label: str  # PERSON | ORG | PLACE
    key: str  # article-local canonical name (fullest name of this entity in the article)
    kind: str = "name"  # name | title (e.g. "the Venezuelan leader") | pronoun
    role: str | None = None  # "President", "former President", "Secretary of War"
    role_span: Span | None = None


@dataclass(frozen=True, slots=True)
class RoleClaim:
    """A title held by an entity, as one source states it."""

    role: str
    citation: Citation
    published: str | None


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity across the corpus."""

    id: str  # e.g. "person:nicolas-maduro"
    name: str  # canonical display name
    label: str  # PERSON | ORG | PLACE
    aliases: tuple[str, ...]
    roles: tuple[RoleClaim, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression normalised TIMEX3-style."""

    span: Span
    type: str  # DATE | TIME | DURATION | SET
    value: str  # 2025-11-24, 2025-11, 2025-W47, 2025, P6D, PRESENT_REF, PAST_REF, FUTURE_REF, XXXX-...
    precision: str  # minute | hour | day | week | month | quarter | season | year | decade | century | none
    rule: str = ""  # which rule produced it (for inspection)
    anchor: str | None = None  # the reference date used to resolve it


@dataclass(frozen=True, slots=True)
class Quote:
    kind: str  # direct | indirect
    content: Span  # the quoted words (direct: inside the marks; split quotes: first to last part)
    parts: tuple[Span, ...]  # the separate quoted parts of a split quote (one part if not split)
    speaker: Span | None  # the speaker as written where cued ("she", "Maduro", "the minister")
    speaker_key: str | None  # article-local canonical name of the resolved speaker (Mention.key)
    cue: Span | None  # "said", "told reporters", "according to"
    sentence: Span  # the sentence(s) containing the quote
    said_on: str | None = None  # TIMEX value of when it was said, if the text says
    said_on_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    span: Span  # the figure as written, qualifier included: "at least 83"
    value: float
    value_high: float | None  # for ranges "80 to 90"
    qualifier: str | None  # at least | over | more than | about | approximately | up to | nearly | ...
    unit: str | None  # people | vessels | soldiers | USD | percent | ...
    counts: str | None  # what it counts, normalised: "people killed", "vessels destroyed"
    counts_span: Span | None
    as_of: str | None  # TIMEX value the figure is as of
    sentence: Span


@dataclass(frozen=True, slots=True)
class Event:
    sentence: Span
    trigger: Span  # main verb / nominal event word
    action: str  # lemma of trigger, e.g. "strike", "designate"
    actor: str | None  # Mention.key of the doer, or surface text if not an entity
    actor_span: Span | None
    target: str | None
    target_span: Span | None
    when: str | None  # TIMEX value
    when_precision: str | None
    when_span: Span | None
    where: str | None
    where_span: Span | None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Extraction:
    """All records extracted from one article (cleaned-text offsets)."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    dates: tuple[TimeExpr, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[Event, ...] = ()
    words: int = 0
    extra: dict = field(default_factory=dict)
