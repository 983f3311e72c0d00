"""Typed, frozen records passed between pipeline stages.

Offsets: every extraction record (``Span`` and the records built from it) uses
offsets into the *cleaned* text of one article (``CleanArticle.text``).  The
dossier stage maps them to ``Citation``s, which point into the *original*
article text (``Article.text``) through ``CleanArticle.offsets``; a citation's
``text`` always equals ``Article.text[start:end]``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    from storyline.ingest.spans import OffsetMap


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

    id: str  # stable content hash of ``text`` (see storyline.ingest.ingest.article_id)
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

    @property
    def published_day(self) -> _dt.date | None:
        """The day it was published, None when unknown or less precise than a day."""
        try:
            return _dt.date.fromisoformat((self.published or "")[:10])
        except ValueError:
            return None


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
class Predicate:
    """A word that may name an event (a verb, an eventive noun): one mention for cross-document event chains."""

    trigger: Span
    lemma: str  # the parser's lemma, lower case
    pos: str  # VERB | NOUN | PROPN | ADJ
    sentence: int  # index into Extraction.sentences


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
    sentences: tuple[Span, ...] = ()  # sentence boundaries from the parser (cleaned-text offsets)
    predicates: tuple[Predicate, ...] = ()  # words that may name an event, in text order


# --------------------------------------------------------------------------- cross-checking
#
# Records of the cross-checking stages (statements, independence, claims, conflicts, flagged errors,
# running figures, offices, source quality).  Unlike extraction records they carry ``Citation``s
# (original-text offsets, ``CleanArticle.cite_span``), so every judgement is verifiable on its own.


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence of one source with what it mentions: the unit claims are built from."""

    id: str  # "st-<article id>-<n>", n = 1-based sentence number in the article
    source: str  # article id
    span: Span  # the sentence, cleaned-text offsets
    citation: Citation  # the same sentence in the original text
    published: str | None  # the article's publication date (ISO)
    entities: tuple[str, ...] = ()  # global entity ids mentioned in the sentence (sorted, unique)
    dates: tuple[str, ...] = ()  # TIMEX values of the date expressions inside the sentence
    figures: tuple[int, ...] = ()  # indexes into the article's Extraction.figures inside the sentence
    events: tuple[int, ...] = ()  # indexes into Extraction.events whose trigger is inside the sentence
    quotes: tuple[int, ...] = ()  # indexes into Extraction.quotes whose content overlaps the sentence
    negated: bool = False  # the sentence's main assertion is negated


@dataclass(frozen=True, slots=True)
class CopyRelation:
    """``copy`` repeats ``origin`` (article ids; the origin is the earlier article)."""

    copy: str
    origin: str
    kind: str  # "identical" | "wire copy" (near-verbatim) | "rewrite" (reworded, same reporting)
    similarity: float  # 0..1: shingle containment, or embedding similarity for rewrites
    method: str  # "minhash" | "embedding"
    evidence: tuple[Citation, ...] = ()  # passages of the copy that repeat the origin


@dataclass(frozen=True, slots=True)
class Independence:
    """Which articles are one source: groups of copies (origin first) and the links between them."""

    groups: tuple[tuple[str, ...], ...] = ()  # groups of two or more article ids, origin first
    links: tuple[CopyRelation, ...] = ()
    _origins: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def origin(self, article_id: str) -> str:
        """The origin of ``article_id``'s group (itself when it copies nothing)."""
        if self.groups and not self._origins:  # built on first use: constant-time lookups after
            for group in self.groups:
                for member in group:
                    self._origins.setdefault(member, group[0])
        return self._origins.get(article_id, article_id)

    def count(self, article_ids: Iterable[str]) -> int:
        """How many independent sources the given articles are."""
        return len({self.origin(a) for a in article_ids})


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a conflict: a value and who states it."""

    value: str  # "12 vessels", "Operation Iron Wave", "a Veldanian patrol boat", "since August"
    citations: tuple[Citation, ...]
    sources: tuple[str, ...]  # article ids, in citation order, unique
    independent: int = 1  # independent sources among ``sources``
    as_of: str | None = None  # TIMEX value the side is stated as of (figures, roles)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources disagree about one referent."""

    id: str  # "x-<kind>-<n>" (the orchestrator renumbers)
    kind: str  # number | name | role | actor | date | internal
    about: str  # the referent: "vessels seized on 2025-12-09", "the naval operation"
    sides: tuple[Side, ...]  # two or more
    explanation: str  # one or two sentences in plain words, no new facts
    likely: int | None = None  # index into sides of the side the corpus supports (None: undecided)


@dataclass(frozen=True, slots=True)
class FlaggedError:
    """A statement that is probably wrong, with the evidence against it."""

    id: str  # "err-<n>" (the orchestrator renumbers)
    kind: str  # role | name | outdated | number | actor | date
    source: str  # article id of the erring source
    citation: Citation  # the erroneous words
    correction: str  # what the corpus says instead: "President Marek Osterlund"
    evidence: tuple[Citation, ...]  # citations of the sources that say otherwise
    why: str  # plain explanation
    conflict: str | None = None  # id of the Conflict it belongs to, if any


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    value: float
    value_high: float | None
    qualifier: str | None  # kept exactly: "at least", "over", ...
    as_of: str | None  # TIMEX value (day when known)
    source: str  # article id
    published: str | None
    citation: Citation  # the figure as written (qualifier included)


@dataclass(frozen=True, slots=True)
class FigureSeries:
    """One figure reported over time (a death toll, troop numbers): values with sources, not a conflict."""

    id: str  # "fs-<n>"
    what: str  # what it counts: "people killed"
    unit: str | None
    cumulative: bool  # a running total that should not go down without a reason
    points: tuple[SeriesPoint, ...]  # ordered by as_of, then source publication


@dataclass(frozen=True, slots=True)
class OfficeTerm:
    """Who holds (or held) which office, as the corpus states it."""

    person: str  # entity id
    name: str  # display name
    office: str  # "President", "Defence Minister", "Secretary of War"
    status: str  # current | former | incoming | acting
    first_seen: str | None  # earliest publication date stating it
    last_seen: str | None  # latest publication date stating it
    sources: tuple[str, ...]  # article ids
    independent: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class QualityReason:
    kind: str  # furniture | garbled | machine-translation | filler | attribution | specificity | contested |
    #            errors | unsupported | copy
    effect: float  # signed contribution to the score (negative lowers it)
    detail: str  # plain explanation with numbers: "31% of the page is widget text"
    citations: tuple[Citation, ...] = ()  # example spans (at most a few)


@dataclass(frozen=True, slots=True)
class SourceQuality:
    source: str  # article id
    score: float  # 0..1, higher is more trustworthy
    reasons: tuple[QualityReason, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """Statements of one or more sources asserting the same thing."""

    id: str  # "c-<n>"
    statements: tuple[str, ...]  # Statement ids, the representative one first
    citations: tuple[Citation, ...]  # one per statement, same order
    sources: tuple[str, ...]  # article ids, unique, in statement order
    independent: int  # independent sources (a copy group counts once)
    status: str  # corroborated | single-source | contested
    text: str  # the representative statement's exact text
    entities: tuple[str, ...] = ()
    date: str | None = None  # the date the claim is about, when it has one
    conflicts: tuple[str, ...] = ()  # ids of conflicts touching it
    errors: tuple[str, ...] = ()  # ids of flagged errors inside it


@dataclass(frozen=True, slots=True)
class EventMention:
    """One source naming an event: the event word and the sentence it is in."""

    trigger: Citation
    sentence: Citation
    lemma: str


@dataclass(frozen=True, slots=True)
class EventChain:
    """Mentions of one event across sources ("the quake", "struck", "the earthquake"), in source order."""

    id: str  # "ev-<n>"
    action: str  # the most frequent lemma of its mentions
    mentions: tuple[EventMention, ...]
    sources: tuple[str, ...]  # article ids, unique, in mention order
    independent: int  # independent sources (a copy group counts once)
    status: str  # corroborated | single-source
    likely_event: bool = True  # its words are mostly events by the lexicon's display bar (not "Tuesday", "navy")


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """Everything the cross-checking stages found for one story."""

    statements: tuple[Statement, ...] = ()
    independence: Independence = field(default_factory=Independence)
    claims: tuple[Claim, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    errors: tuple[FlaggedError, ...] = ()
    series: tuple[FigureSeries, ...] = ()
    offices: tuple[OfficeTerm, ...] = ()
    quality: tuple[SourceQuality, ...] = ()
    # (article id, index into Extraction.figures, reading): incident | total | toll | occasion | level
    figure_readings: tuple[tuple[str, int, str], ...] = ()
    # events named by two or more sources (cross-document event coreference, crosscheck/eventchains.py)
    event_chains: tuple[EventChain, ...] = ()


# --------------------------------------------------------------------------- the reader's view
#
# What a reader opens first: what comes next, the cited briefing, answers to questions, reports of problems
# and the stories in a store.  Every sentence shown carries Citations that verify against the original text.


@dataclass(frozen=True, slots=True)
class NextItem:
    """Something the sources expect: a scheduled event, a deadline, a planned trip, or a scenario."""

    id: str  # "n-<n>", in date order (undated scenarios last)
    kind: str  # scheduled | deadline | trip | scenario
    text: str  # the representative sentence's exact text
    when: str | None  # resolved TIMEX value ("2025-11-24", "2025-12", "2026") or None when undated
    when_text: str | None  # how the source wrote it: "in six days", "by Friday"
    said_on: str | None  # publication date of the earliest source stating it (the date "as of" which it was said)
    label: str | None  # scenario name ("breakthrough", "stalemate", "escalation", ...) or the event's action
    citations: tuple[Citation, ...]  # the sentence of each stating source (representative first), then when-words
    sources: tuple[str, ...]  # article ids, unique, in citation order
    independent: int = 1  # independent sources among ``sources``
    passed: bool = False  # the date lies before the story's latest publication date: it may already have happened


@dataclass(frozen=True, slots=True)
class BriefingSentence:
    """One sentence of the briefing: a source sentence, or a template filled from cited records."""

    text: str
    kind: str  # source (the exact words of one source, possibly trimmed of furniture) | template
    citations: tuple[Citation, ...]  # never empty; every one verifies
    key: str  # stable identity (storyline.reader.problems.item_key) for report-a-problem and suppression
    item: str | None = None  # id of the dossier item it comes from: "c-3", "x-1", "q-...", "n-2", "fs-1"
    status: str | None = None  # corroborated | single-source | contested | disputed | None


@dataclass(frozen=True, slots=True)
class BriefingSection:
    name: str  # what-happened | sides | disputed | next
    title: str  # "What happened", "What each side says", "What is disputed or wrong", "What comes next"
    sentences: tuple[BriefingSentence, ...]


@dataclass(frozen=True, slots=True)
class Briefing:
    """A headline and a short cited explainer of one story."""

    headline: str
    headline_citations: tuple[Citation, ...]
    sections: tuple[BriefingSection, ...]
    as_of: str | None = None  # the latest publication date among the sources

    @property
    def sentences(self) -> tuple[BriefingSentence, ...]:
        return tuple(s for section in self.sections for s in section.sentences)


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved source sentence."""

    citation: Citation
    score: float  # fused retrieval score (higher is better)
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer to a reader's question, or an honest "the sources do not say"."""

    question: str
    answered: bool
    text: str  # a source sentence, a short templated answer over records, or "The sources do not say."
    kind: str  # figure | date | quote | who | next | passage | none
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()  # the best supporting sentences, best first


@dataclass(frozen=True, slots=True)
class Problem:
    """A reader's report of a problem with one shown item, and what a maintainer did about it."""

    id: int
    story: str  # story id
    item_key: str  # storyline.reader.problems.item_key of the item
    item_kind: str  # briefing | claim | quote | figure | conflict | error | event | next | answer
    item_text: str
    citations: tuple[Citation, ...]
    category: str  # wrong | misattributed | outdated | missing-context | other
    comment: str
    status: str  # open | resolved | suppressed
    created_at: str  # ISO 8601 UTC
    updated_at: str | None = None
    resolution: str | None = None  # the maintainer's note


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One story held in a store."""

    id: str  # slug, e.g. "veldanias-sea-blockade-of-sarrow"
    title: str
    articles: int
    first: str | None  # earliest publication date
    last: str | None  # latest publication date
    updated_at: str  # ISO 8601 UTC
    counts: dict = field(default_factory=dict)  # claims, conflicts, errors, quotes, ... for lists
