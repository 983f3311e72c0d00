"""Running figures and number conflicts.

Every ``Figure`` of every article is first *read in context*: the words of its clause (cut at commas,
semicolons, dashes, the neighbouring figure) say what the number refers to.

* **what** it counts: the extractor's ``counts`` normalised (``persons killed``, ``deaths`` and ``lives`` are
  ``people killed``; ``people signed`` is ``signatures``) with its unit;
* **kind**: ``cumulative`` (a running total: "since ...", "so far", "a total of", "toll", "reached" -- these
  make it *strong* -- or only a present perfect "have been seized"), ``occasion`` (one occurrence on a stated
  day: "seized nine vessels on Tuesday", "struck a boat on Tuesday, killing three", a count dated by the
  extractor from the event it follows, "... when the ferry sank") or ``level`` (a stock that may go up or
  down: troops deployed, percentages, money); an undated count of events is left out;
* **scope**: words that make it another referent -- an area ("in the capital"), places after a locative
  preposition ("off Sarrow"), a rate ("a day"), "alone", a period ("this week");
* **anchor**: the "since ..." phrase of a running total (its dates and content words);
* its **interval** from the value and the qualifier kept as written: "at least 83" is [83, inf), "about 40"
  is 40 give or take a rounding step, "not less than 43" is at least 43, a round exact number allows for
  rounding, ranges are their span.

Figures that cannot be compared are left out: vague quantities ("dozens of"), increments ("another 12"),
parts of a whole ("17 of the cooperative's boats", "the toll includes the 14 people ..."), who said it
("according to two diplomats"), hypotheticals ("would starve 200,000 people"), negated clauses and bare nouns
that count nothing in particular ("two sides").

A count of people killed, injured or arrested with no other scope than a recent event day is also a **toll
count** ("the attacks that killed 129", "a gunman opened fire, killing five"): a point of the running total as
of its publication day, never a running total itself (``toll``; ``incident`` when told of one occurrence
among several: "a strike that killed five").

``build_series`` groups cumulative and level figures with the same what, unit, scope and a compatible anchor
across sources, with the toll counts that fit the running totals by value (``_admit``): a series is kept when
it has points from at least two sources, at least two dates and at least two values (one value is enough for a
casualty count: it stayed the same).  ``number_conflicts`` compares figures about the same referent as of the same day (same
stated occasion day, or the same as-of day of a strong running total; never shares or money, whose bases
differ too often), when their sentences also share two content words (actor, place, event); sides are made
of mutually compatible values, a wire copy and its origin count once; a strong running total that a later
source reports lower, with no word of a revision nearby, is a conflict too; one article giving, in two
sentences without a word of contrast ("but", "while", "disputed"), two incompatible values of one anchored
total (or of one dated occasion) is an ``internal`` conflict.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from storyline.extract.dates import value_interval
from storyline.records import (
    Citation,
    CleanArticle,
    Conflict,
    Extraction,
    Figure,
    FigureSeries,
    FlaggedError,
    Independence,
    SeriesPoint,
    Side,
    Span,
)

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.entities import EntityIndex

__all__ = [
    "FigureReading",
    "anchors_compatible",
    "build_series",
    "compatible",
    "figure_interval",
    "number_conflicts",
    "read_figures",
    "timex_range",
]

Items = Sequence[tuple[CleanArticle, Extraction]]
INF = math.inf

# --------------------------------------------------------------------------- intervals

_LOWER = frozenset({
    "at least", "no fewer than", "no less than", "a minimum of", "not less than", "not fewer than", "not under",
    "over", "more than", "upwards of", "in excess of", "just over", "well over", "not below", "as few as",
})
_UPPER = frozenset({
    "at most", "no more than", "up to", "a maximum of", "not more than", "not over", "less than", "fewer than",
    "under", "well under", "as many as", "as much as", "not above",
})
_BELOW = frozenset({"nearly", "almost", "close to", "just under", "barely"})
_EXACT = frozenset({"exactly", "precisely", "almost exactly", "only", "just"})
_INCREMENT = frozenset({"another", "a further", "an additional"})
_VAGUE_WORDS = ("dozen", "hundreds", "thousands", "millions", "billions", "scores", "tens of")
_FLIP = {"less than": "not less than", "fewer than": "not fewer than", "under": "not under",
         "more than": "not more than", "over": "not over", "below": "not below", "above": "not above"}


def _granularity(value: float) -> float:
    """The rounding step a number is written to: 40,000 -> 10,000; 43 -> 1; 2.5 -> 0.1."""
    if value <= 0:
        return 1.0
    if value != int(value):
        return 0.1
    step = 1.0
    v = int(value)
    while v % 10 == 0 and v >= 10:
        v //= 10
        step *= 10
    return step


def figure_interval(value: float, value_high: float | None, qualifier: str | None) -> tuple[float, float]:
    """The values a figure allows, from its value (or range) and its qualifier as written.

    >>> figure_interval(83, None, "at least")
    (83, inf)
    >>> figure_interval(12, None, None)
    (12, 12)
    >>> figure_interval(40, None, "about")
    (35.0, 45.0)
    """
    q = " ".join((qualifier or "").lower().split())
    lo, hi = value, value_high if value_high is not None else value
    if lo > hi:
        lo, hi = hi, lo
    if q in _LOWER:
        return (lo, INF)
    if q in _UPPER:
        return (0.0, hi)
    if q in _BELOW:
        return (lo * 0.8, hi)
    if not q or q in _EXACT:
        step = _granularity(hi)
        if step >= 10 and not q and value_high is None:  # a round number may be rounded: 80 for 83
            tol = min(step / 2, 0.1 * hi)
            return (lo - tol, hi + tol)
        return (lo, hi)
    # about, approximately, around, roughly, some, estimated, circa and anything unknown: give or take
    tol = max(1.0, 0.1 * hi, min(_granularity(hi) / 2, 0.15 * hi))
    return (max(0.0, lo - tol), hi + tol)


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two value intervals can both be true (they overlap)."""
    return a[0] <= b[1] + 1e-9 and b[0] <= a[1] + 1e-9


# --------------------------------------------------------------------------- dates

def timex_range(value: str | None) -> tuple[date, date] | None:
    """First and last day a TIMEX date value covers ("2025-12-09", "2025-W50", "2025-11", "2025-SU", "2025");
    ``dates.value_interval`` with None for no value."""
    return value_interval(value) if value else None


_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _day(value: str | None) -> str | None:
    m = _DAY_RE.match(value or "")
    return m.group(0) if m else None


# --------------------------------------------------------------------------- what a figure counts

_HUMAN = {"people": "people", "persons": "people", "person": "people", "individuals": "people",
          "humans": "people", "lives": "people"}
_DEATH_NOUNS = frozenset({"deaths", "fatalities", "lives", "dead", "bodies", "deads", "killed"})
_VERB_SYN = {"died": "killed", "perished": "killed", "dead": "killed", "slain": "killed", "lost": "killed",
             "wounded": "injured", "hurt": "injured", "detained": "arrested"}
_NOUN_COUNTS = {"signatures": "signatures", "arrests": "people arrested", "deaths": "people killed",
                "fatalities": "people killed", "casualties": "casualties", "votes": "votes",
                "injuries": "people injured"}
_VICTIMS = frozenset({
    "teenagers", "teens", "children", "kids", "men", "women", "students", "victims", "passengers", "travelers",
    "travellers", "worshippers", "shoppers", "patrons", "customers", "bystanders", "innocents", "civilians",
    "adults", "infants", "babies", "girls", "boys", "youths", "visitors", "guests", "spectators", "fans",
})
_STATE_VERBS = frozenset({
    "deployed", "stationed", "held", "missing", "trapped", "homeless", "hospitalized", "hospitalised",
    "employed", "registered", "enrolled", "living", "stranded", "imprisoned", "jailed", "unemployed",
    "infected", "affected", "based", "housed", "sheltering", "remaining",
})
_STOCK_NOUNS = frozenset({
    "troops", "soldiers", "sailors", "refugees", "migrants", "residents", "inhabitants", "members", "voters",
    "seats", "jobs", "employees", "workers", "prisoners", "hostages", "detainees", "cases", "patients",
    "warships", "ships", "aircraft", "jets", "tanks", "personnel", "marines",
})


def _canon(counts: str | None, unit: str | None) -> tuple[str, str | None, str, str] | None:
    """(what, unit, noun, verb) with synonyms merged, or None when the figure counts nothing comparable."""
    if not counts:
        return None
    low = " ".join(counts.lower().split())
    if "(" in low:  # money: "reward (USD)"
        return (low, unit, low, "")
    words = low.split(" ", 1)
    noun, verb = words[0], words[1] if len(words) > 1 else ""
    if noun in _NOUN_COUNTS and not verb:
        what = _NOUN_COUNTS[noun]
        n, _, v = what.partition(" ")
        return (what, n if v else noun, n, v)
    if noun in _DEATH_NOUNS and (not verb or verb in _VERB_SYN or verb == "killed"):
        noun, verb = "people", "killed"  # not "bodies handed over"
    noun = _HUMAN.get(noun, noun)
    verb = _VERB_SYN.get(verb, verb)
    if noun in _VICTIMS and verb in ("killed", "injured"):
        noun = "people"  # "two teenagers killed" is the toll; "seven attackers killed" is not
    u = _HUMAN.get((unit or "").lower(), (unit or "").lower()) or None
    if noun == "people" and verb == "signed":
        return ("signatures", "signatures", "signatures", "")
    if noun == "signatures":
        return ("signatures", "signatures", "signatures", "")
    if noun == "people":
        u = "people"
    what = f"{noun} {verb}".strip()
    return (what, u, noun, verb)


# --------------------------------------------------------------------------- reading a figure in context

_CUT_RE = re.compile(r"[,;:()\[\]]|\s[-–—]\s|[–—]")
RUNNING_TOTAL_RE = re.compile(
    r"\b(?:since|so\s+far|to\s+date|in\s+total|a\s+total|total(?:s|led|ed|ling|ing)?|toll|tally|overall|"
    r"altogether|cumulative(?:ly)?|in\s+all|reach(?:ed|es|ing)?|up\s+from|"
    r"(?:rose|risen|rising|climbed|climbing|increased|grew|grown|jumped|soared)\s+to)\b",
    re.IGNORECASE,
)
_PERFECT_RE = re.compile(
    r"\b(?:now|already|(?:has|have|'ve)\s+(?:\w+ly\s+)?(?:been\s+)?[a-z]+(?:ed|en|wn|ne|t|ck|ng)\b)",
    re.IGNORECASE,
)
_SINCE_RE = re.compile(
    r"\bsince\s+(?P<a>.{1,90}?)(?=$|[,;:()]|[.!?](?:\s|$)|\s[-–—]\s|\s+(?:according|said|says|and\s+(?:that|the|it|a|its|their)"
    r"|but|while|had|has|have|was|were|is|are|would|will|as\s+the)\b)",
    re.IGNORECASE,
)
_SUBSET_LEFT_RE = re.compile(
    r"\b(?:includ(?:e|es|ed|ing)|of\s+whom|of\s+which|of\s+them|excluding|besides|plus|"
    r"in\s+addition\s+to|other\s+than|except|apart\s+from|half|most|some\s+of)\s+(?:the\s+|its\s+|their\s+|all\s+)?$",
    re.IGNORECASE,
)
_PARTITIVE_RIGHT_RE = re.compile(
    r"^\s*(?:of|among)\s+(?:the|its|their|whom|them|those|these|his|her|our|which|all)\b", re.IGNORECASE
)
_INCREMENT_RIGHT_RE = re.compile(r"^\s*(?:more|additional|new|extra|further|others?)\b", re.IGNORECASE)
_ATTRIB_LEFT_RE = re.compile(r"\baccording\s+to\s+(?:the\s+|a\s+)?$", re.IGNORECASE)
_ATTRIB_RIGHT_RE = re.compile(
    r"^\s*(?:[\w'’-]+\s+){0,3}?(?:said|say|says|told|interviewed|briefed|quoted|familiar|speaking|"
    r"surveyed|polled|asked)\b",
    re.IGNORECASE,
)
_MODAL_RE = re.compile(
    r"\b(?:would|could|might|may|will|shall|should|can|must)\b|\b(?:plan|plans|planned|threaten|threatens|"
    r"threatened|expect|expects|expected|aim|aims|aimed|intend|intends|intended|hope|hopes|set)\s+to\b"
)
_NEG_RE = re.compile(r"\b(?:not|never|no\s+longer|none|neither|nor)\b|n't\b", re.IGNORECASE)
_NOT_BEFORE_RE = re.compile(r"\bnot\s*$", re.IGNORECASE)
_OCCASION_RE = re.compile(
    r"\bwhen\b|\b(?:in|during|by)\s+(?:an?|the|that|this|one)\s+(?:[\w-]+\s+){0,2}?(?:attack|strike|airstrike|"
    r"raid|bombing|blast|explosion|crash|sinking|collision|shooting|incident|fire|ambush|clash|assault|"
    r"shelling|storm|flood|quake|earthquake|stampede|accident)\b",
    re.IGNORECASE,
)
_AREA_RE = re.compile(
    r"\b(?:in|across|at|near|outside|inside|around|off|throughout|within)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?P<w>capital|city|cities|town|towns|village|villages|province|provinces|"
    r"district|districts|county|north|south|east|west|northeast|northwest|southeast|southwest|"
    r"border|coast|camp|camps|neighbou?rhood|suburbs?|countryside|interior|mainland|island|islands)\b",
    re.IGNORECASE,
)
_PLACE_PREP_RE = re.compile(
    r"\b(?:in|across|at|near|outside|inside|around|off|throughout|within)\s+"
    r"(?:(?:the|a|an|its|their)\s+)?(?:[a-z][\w-]*\s+){0,3}?(?P<p>(?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)"
)
_RATE_RE = re.compile(
    r"\b(?:(?:per|a|an|each|every)\s+(?P<u>day|week|month|year|hour)|(?P<d>daily|weekly|monthly|annually|"
    r"yearly|hourly)|on\s+average)\b",
    re.IGNORECASE,
)
_AREA_GATE = ("capital", "cit", "town", "village", "provinc", "district", "county", "north", "south",
              "east", "west", "border", "coast", "camp", "neighbo", "suburb", "countryside", "interior", "mainland",
              "island")
_RATE_GATE = ("day", "week", "month", "year", "hour", "average", "annually")
_SPELL_RE = re.compile(
    r"\b(?:in|within|during|over|for)\s+the\s+(?P<w>(?:first|past|last|previous|next|same)\s+(?:[\w-]+\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?|night|morning|weekend))\b",
    re.IGNORECASE,
)
_FRONT_RE = re.compile(r"^(?:In|At|Across|Throughout|Outside|Inside|Around|Near|Off|Since)\s[^,]{1,60},")
_CONTRAST_RE = re.compile(
    r"\b(?:while|whereas|but|however|although|dispute[sd]?|disputing|contest(?:s|ed)?|contradict\w*|"
    r"by\s+contrast|in\s+contrast|differ\w*|other\s+estimates?|put\s+(?:the|its)\s+(?:number|figure|toll|count))\b",
    re.IGNORECASE,
)
_TOLL_WHATS = frozenset({"people killed", "people injured", "people arrested", "casualties"})
_TOLL_WHY = frozenset({"", "an undated count of events", "an undated occasion"})
_RECENT_DAYS = 31  # "killed 127 on Friday" is the event's day; "in January" or "in 2012" another event
_EACH_RE = re.compile(
    r"\b(?:a|an|one|another|each|every|separate|earlier|previous|second|third|latest)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:strike|airstrike|attack|raid|bombing|blast|explosion|crash|sinking|collision|shooting|incident|ambush|"
    r"clash|assault|shelling|stampede|accident|massacre|operation|storm|flood|quake|earthquake)s?\b",
    re.IGNORECASE,
)
_REVISION_RE = re.compile(
    r"\b(?:revis\w*|correct\w*|lower(?:ed|s|ing)?|downgrad\w*|recount\w*|re-count\w*|adjust\w*|"
    r"double[- ]counted|counted\s+twice|down\s+from|(?:fell|dropped|reduced|cut)\s+(?:to|from|the)|"
    r"previously\s+(?:reported|given|stated)|earlier\s+(?:figure|count|estimate|reports?)|"
    r"misreport\w*|overstat\w*|erroneous\w*|in\s+error)\b",
    re.IGNORECASE,
)
_STOP = frozenset(re.findall(r"\S+", """a an the of in on at to by for from with and or its their his her our this that these
those since began begun begin begins started start starts took take taken takes effect came come force first
last when was were is are be been being it they he she we who which as into after before over under"""))
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_GENERIC_CAPS = frozenset({"the", "a", "an", "mr", "ms", "mrs", "dr", "president", "minister", "monday",
                           "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                           "february", "march", "april", "may", "june", "july", "august", "september",
                           "october", "november", "december"})


def _fold(text: str) -> str:
    low = text.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class FigureReading:
    """One figure read in its context (cleaned-text offsets); ``kind`` is None when it cannot be compared."""

    source: str  # article id
    index: int  # index into Extraction.figures
    figure: Figure
    span: Span  # the figure as written (with a "not" before its qualifier: "Not less than 43 persons")
    sentence: Span  # the figure's sentence (cut at paragraph breaks)
    what: str
    unit: str | None
    kind: str | None  # cumulative | occasion | level | None (left out)
    why_not: str  # why it was left out ("" when compared)
    interval: tuple[float, float]
    qualifier: str | None  # the qualifier as read ("not less than" for "Not less than 43")
    scope: tuple[str, ...]  # area / rate / alone / period words that make it another referent
    places: frozenset[str]  # places after a locative preposition
    anchor: str | None  # the "since ..." phrase as written
    anchor_dates: tuple[str, ...]
    anchor_words: frozenset[str]
    as_of: str | None
    explicit: bool  # the as-of date is stated (a date in the clause, or a dated occasion)
    published: str | None
    strong: bool = False  # a running total by its words ("since", "so far", "toll", "a total of"), not only by tense
    toll: bool = False  # a casualty count of the story's event as known when published: may be a running-total point
    incident: bool = False  # told of one occurrence among several: "a strike that killed five", "in one raid"


def anchors_compatible(a: FigureReading, b: FigureReading) -> bool:
    """Whether two running totals count from the same start ("since 3 November" ~ "since early November")."""
    if a.anchor is None or b.anchor is None:
        return True
    if a.anchor_dates and b.anchor_dates:
        for x in a.anchor_dates:
            for y in b.anchor_dates:
                n = min(len(x), len(y), 10)
                if x[:n] == y[:n]:
                    return True
        return False
    if a.anchor_dates or b.anchor_dates:
        return True  # a date against an event: cannot tell
    if not a.anchor_words or not b.anchor_words:
        return True
    return bool(a.anchor_words & b.anchor_words)


def _words(text: str) -> frozenset[str]:
    out = set()
    for w in _WORD_RE.findall(_fold(text)):
        if w in _STOP or len(w) < 3:
            continue
        if w.endswith("s") and len(w) > 4 and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def _sentence(text: str, span: Span, start: int, end: int) -> Span:
    s, e = span.start, span.end
    cut = text.rfind("\n\n", s, start)
    if cut >= 0:
        s = cut + 2
    cut = text.find("\n\n", end, e)
    if cut >= 0:
        e = cut
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return Span(s, e, text[s:e])


def _read_article(clean: CleanArticle, ext: Extraction) -> list[FigureReading]:
    text = clean.text
    published = clean.article.published
    pub_day = _day(published)
    figs = sorted(enumerate(ext.figures), key=lambda p: p[1].span.start)
    dates = sorted(ext.dates, key=lambda d: d.span.start)
    date_starts = [d.span.start for d in dates]
    out: list[FigureReading] = []
    for pos, (i, f) in enumerate(figs):
        sent = _sentence(text, f.sentence, f.span.start, f.span.end)
        prev_end = figs[pos - 1][1].span.end if pos else sent.start
        next_start = figs[pos + 1][1].span.start if pos + 1 < len(figs) else sent.end
        lstart = max(sent.start, prev_end if prev_end <= f.span.start else sent.start)
        rend = min(sent.end, next_start if next_start >= f.span.end else sent.end)
        left_full = text[lstart:f.span.start]
        cuts = list(_CUT_RE.finditer(left_full))
        left = left_full[cuts[-1].end():] if cuts else left_full
        left_off = f.span.start - len(left)
        right_full = text[f.span.end:rend]
        cut = _CUT_RE.search(right_full)
        right = right_full[: cut.start()] if cut else right_full
        right_end = f.span.end + len(right)
        front = _FRONT_RE.match(text[sent.start:f.span.start]) if lstart == sent.start else None
        if front and _CUT_RE.search(text[sent.start + front.end():f.span.start]):
            front = None  # the fronted phrase belongs to another clause
        prev = figs[pos - 1][1] if pos and f.span.start - figs[pos - 1][1].span.end < _NEAR else None
        prev_canon = _canon(prev.counts, prev.unit) if prev is not None else None
        reading = _read_one(
            clean, i, f, sent, left, left_off, right, right_end, front.group(0) if front else "",
            dates, date_starts, pub_day, published, prev_canon[0] if prev_canon else None,
        )
        out.append(reading)
    return _date_headline(text, out)


def _date_headline(text: str, readings: list[FigureReading]) -> list[FigureReading]:
    """A casualty count in the headline (the first paragraph) is told without a date ("4 dead, 2 injured in
    shooting"); when the article's dated counts of the event all give one day, the headline counts that day's
    toll too."""
    head_end = text.find("\n\n")
    if head_end < 0:
        return readings
    dated = [r for r in readings if r.kind == "occasion" and r.explicit and r.what in _TOLL_WHATS and not r.incident
             and r.sentence.start >= head_end]
    days = {r.as_of for r in dated}
    if len(days) != 1:
        return readings
    day = days.pop()
    places = frozenset().union(*(r.places for r in dated))  # the event's place, as the body gives it
    return [replace(r, kind="occasion", why_not="", as_of=day, explicit=True, places=r.places | places)
            if r.toll and not r.scope and r.sentence.start < head_end and not r.incident and r.why_not in _TOLL_WHY
            and (r.kind is None or (r.kind == "occasion" and r.as_of == day)) else r for r in readings]


_MORTAL_RE = re.compile(r"(?i)^\W*(?:[\w-]+\W+){0,4}?(?:mortally|fatally)\b")
# after a casualty count, the incident's own clause with its day: "Four people were wounded after gunfire broke
# out about 1 a.m. Sunday", "two were killed when a gunman opened fire at a party on Saturday"
_INCIDENT_TAIL_RE = re.compile(
    r"(?i)^\W*(?:[\w-]+\W+){0,4}?(?:after|when|as|during)\b(?:[^.;!?]|\b[ap]\.m\.)*?\b(?:gunfire|shots?|shooting"
    r"|fired|fire|attack(?:ed)?|fight|brawl|crash|explosion|blast|rampage|argument|dispute|stabbing)\b"
    r"(?:[^.;!?]|\b[ap]\.m\.)*$"
)
_NEAR = 200  # characters: "49 people were killed. Another 53 were wounded." -- the figure just before


_OTHERS_RE = re.compile(r"^\s*others?\b", re.IGNORECASE)


def _increment(q: str, right: str, what: str, prev_what: str | None) -> bool:
    """ "another 12", "12 more", "12 others" add to a count of the same thing.  Right after a figure counting
    something else they do not ("49 were killed; another 53 were wounded" gives 53 wounded), and "53 others
    wounded" with no count of the wounded just before is a total of its own (others than the dead)."""
    if not (q in _INCREMENT or _INCREMENT_RIGHT_RE.match(right)):
        return False
    if prev_what is not None and prev_what != what:
        return False
    return not (_OTHERS_RE.match(right) and prev_what is None)


def _read_one(
    clean: CleanArticle, i: int, f: Figure, sent: Span, left: str, left_off: int, right: str,
    right_end: int, front: str, dates: list, date_starts: list[int], pub_day: str | None,
    published: str | None, prev_what: str | None = None,
) -> FigureReading:
    text = clean.text
    canon = _canon(f.counts, f.unit)
    what, unit = (canon[0], canon[1]) if canon else ((f.counts or ""), f.unit)
    qualifier = f.qualifier
    q = " ".join((qualifier or "").lower().split())
    why = ""
    span = f.span
    if q in _FLIP and (neg := _NOT_BEFORE_RE.search(text[max(0, f.span.start - 8):f.span.start])):
        q = _FLIP[q]
        qualifier = q
        start = max(0, f.span.start - 8) + neg.start()
        span = Span(start, f.span.end, text[start:f.span.end])
    interval = figure_interval(f.value, f.value_high, None if q in _INCREMENT else q or None)
    last_words = " ".join(left.split()[-6:])
    first_words = " ".join(right.split()[:5])
    clause = f"{left} {right}"
    if canon is None:
        why = "counts nothing recognisable"
    elif f.value <= 0:
        why = "zero"
    elif any(v in q for v in _VAGUE_WORDS):
        why = "vague quantity"
    elif _increment(q, right, what, prev_what):
        why = "an increment, not a total"
    elif _SUBSET_LEFT_RE.search(left[-40:]) or _PARTITIVE_RIGHT_RE.match(right):
        why = "part of a larger number"
    elif what in ("people injured", "people shot") and _MORTAL_RE.match(text[f.span.end:sent.end]):
        why = "counts the dead too"  # "six people wounded -- two mortally"
    elif _ATTRIB_LEFT_RE.search(left[-30:]) or _ATTRIB_RIGHT_RE.match(right):
        why = "counts who said it"
    elif _MODAL_RE.search(last_words) or _MODAL_RE.search(first_words):
        why = "hypothetical or expected"
    elif _NEG_RE.search(first_words) or (
            _NEG_RE.search(" ".join(left.split()[-3:])) and not q.startswith("not ")):
        why = "negated"
    elif canon is not None and not canon[3] and canon[2] not in _STOCK_NOUNS and "(" not in canon[0] \
            and unit != "percent" and canon[0] not in ("signatures", "votes", "casualties"):
        why = "a bare noun: says nothing about what happened"
    # the since-anchor
    anchor = None
    anchor_dates: tuple[str, ...] = ()
    anchor_words: frozenset[str] = frozenset()
    a_start = a_end = -1
    for part, off in ((right, f.span.end), (left, left_off), (front, sent.start)):
        if "ince" in part and (m := _SINCE_RE.search(part)):
            anchor = m.group("a").strip()
            a_start, a_end = off + m.start(), off + m.end()
            break
    if anchor is not None and _fold(anchor).strip(" .") in ("then", "that", "this", "it", "when"):
        anchor = None
    # dates in the clause
    win_start = sent.start if front else left_off
    k = bisect.bisect_left(date_starts, win_start)
    explicit_days: list[str] = []
    periods: list[str] = []
    adates: list[str] = []
    while k < len(dates) and dates[k].span.start < right_end:
        d = dates[k]
        k += 1
        if d.span.end > right_end:
            break
        if a_start <= d.span.start < a_end:
            adates.append(d.value)
        elif d.precision == "day" and _day(d.value):
            explicit_days.append(d.value[:10])
        elif d.type in ("DATE", "DURATION") and d.value not in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
            periods.append(d.value)
    k = bisect.bisect_left(date_starts, sent.start)
    sent_days: set[str] = set()
    while k < len(dates) and dates[k].span.start < right_end:  # up to the end of the figure's clause
        d = dates[k]
        k += 1
        if (d.precision == "day" and _day(d.value) and not a_start <= d.span.start < a_end
                and (pub_day is None or d.value[:10] <= pub_day)):  # a count is of a day that has come
            sent_days.add(d.value[:10])
    tail_days = set()  # the day of the incident clause after the count ("... after gunfire broke out Sunday")
    if what in ("people killed", "people injured", "casualties") and not sent_days:
        k = bisect.bisect_left(date_starts, f.span.end)
        while k < len(dates) and dates[k].span.start < sent.end:
            d = dates[k]
            k += 1
            dated = d.precision == "day" or (d.type == "TIME" and "T" in d.value)  # "1 a.m. Sunday"
            if (dated and _day(d.value[:10]) and (pub_day is None or d.value[:10] <= pub_day)
                    and _INCIDENT_TAIL_RE.match(text[f.span.end:d.span.start])):
                tail_days.add(d.value[:10])
    if anchor is not None:
        anchor_dates = tuple(adates)
        anchor_words = _words(anchor)
    as_of = f.as_of or pub_day
    explicit_days = [d for d in explicit_days if pub_day is None or d <= pub_day]  # not a day still to come
    explicit = bool(explicit_days) and (as_of or "")[:10] in explicit_days
    if explicit_days and not explicit and as_of == pub_day and len(set(explicit_days)) == 1:
        as_of, explicit = explicit_days[0], True  # the clause's own day beats the publication day
    if (not explicit and as_of and pub_day and _day(as_of) and _day(as_of) < pub_day
            and as_of not in adates):
        explicit = True  # the extractor dated it from the event it follows
    # scope
    scope_src = f"{front} {left} {right}"
    low = scope_src.lower()
    scope: list[str] = []
    if any(w in low for w in _AREA_GATE):
        for m in _AREA_RE.finditer(scope_src):
            scope.append("area:" + m.group("w").lower())
    if any(w in low for w in _RATE_GATE):
        for m in _RATE_RE.finditer(scope_src):
            scope.append("rate:" + (m.group("u") or m.group("d") or "average").lower())
    if "alone" in low:
        scope.append("alone")
    if " the " in low:
        for m in _SPELL_RE.finditer(scope_src):
            scope.append("period:" + " ".join(m.group("w").lower().split()))
    scope.extend("period:" + p for p in periods)
    places: set[str] = set()
    place_src = front + " " + (
        right if a_start < 0 or a_start >= right_end else text[f.span.end:a_start])
    for m in _PLACE_PREP_RE.finditer(place_src):
        for w in m.group("p").split():
            fw = re.sub(r"['’]s$", "", _fold(w.strip("'’")))
            if fw not in _GENERIC_CAPS:
                places.add(fw)
    # kind
    kind: str | None = None
    strong = False
    if not why:
        verb = canon[3] if canon else ""
        level_type = (unit == "percent" or "(" in what or verb in _STATE_VERBS
                      or (not verb and canon is not None and canon[2] in _STOCK_NOUNS))
        cue = RUNNING_TOTAL_RE.search(clause) or (front and RUNNING_TOTAL_RE.search(front))
        strong = bool(cue)
        occasion = explicit or _OCCASION_RE.search(right) or _OCCASION_RE.search(last_words)
        if level_type:
            kind = "level"
        elif cue or (not occasion and _PERFECT_RE.search(clause)):
            kind = "cumulative"
        elif occasion:
            kind = "occasion" if _day(as_of) else None
            why = "" if kind else "an undated occasion"
        elif len(sent_days) == 1:  # "... struck a boat on Tuesday, killing three people": that day's count
            kind, as_of, explicit = "occasion", sent_days.pop(), True
        elif len(tail_days) == 1:  # "four were wounded after gunfire broke out Sunday": that day's count
            kind, as_of, explicit = "occasion", tail_days.pop(), True
        else:
            why = "an undated count of events"
    if kind == "level" and as_of:
        scope = [x for x in scope if x != f"period:{as_of}"]  # "deployed in October": when, not a part
    toll = kind != "level" and _toll_candidate(what, why, scope, pub_day)
    incident = kind != "cumulative" and bool(
        _EACH_RE.search(text[sent.start:f.span.start]) or _EACH_RE.search(clause))
    return FigureReading(
        source=clean.article.id, index=i, figure=f, span=span, sentence=sent, what=what, unit=unit, kind=kind,
        why_not=why, interval=interval, qualifier=qualifier, scope=tuple(sorted(set(scope))),
        places=frozenset(places), anchor=anchor, anchor_dates=anchor_dates, anchor_words=anchor_words,
        as_of=as_of, explicit=explicit, published=published, strong=kind == "cumulative" and bool(strong),
        toll=toll, incident=incident,
    )


def _toll_candidate(what: str, why: str, scope: list[str], pub_day: str | None) -> bool:
    """A count of people killed / injured / arrested with no scope but the event's recent day ("killed 127 on
    Friday"): a count of the story's event as known when published, unless it is of a part or another event
    (see ``_admit``)."""
    if what not in _TOLL_WHATS or why not in _TOLL_WHY or pub_day is None:
        return False
    return all(_recent(x, pub_day) for x in scope)


def _recent(scope: str, pub_day: str) -> bool:
    """A period scope within the month before publication ("on Friday"): the event's day, not another event."""
    if not scope.startswith("period:"):
        return False
    rng = timex_range(scope.split(":", 1)[1])
    pub = timex_range(pub_day)
    return bool(rng and pub and rng[1] <= pub[1] and (pub[0] - rng[0]).days <= _RECENT_DAYS)


_LAST: list = [None, None, None]  # (key, items kept alive, readings) of the last call: series then conflicts


def read_figures(items: Items) -> list[FigureReading]:
    """Every figure of every article read in context (see the module doc), articles in the given order.
    The last result is kept, so ``build_series`` and ``number_conflicts`` on the same items read once."""
    key = tuple((clean.article.id, id(clean), id(ext)) for clean, ext in items)
    if _LAST[0] == key:
        return list(_LAST[2])
    out: list[FigureReading] = []
    for clean, ext in items:
        out.extend(_read_article(clean, ext))
    _LAST[:] = [key, list(items), tuple(out)]
    return out


def reading_label(r: FigureReading) -> str | None:
    """How a reader should take one figure: ``incident`` (told of one occurrence among several), ``total`` (a
    running total by its words), ``toll`` (a casualty count of the story's event as known when published),
    ``occasion`` (one dated occurrence), ``level`` (a stock that goes up or down), None (not comparable)."""
    if r.incident:
        return "incident"
    if r.kind == "cumulative":
        return "total"
    if r.toll:
        return "toll"
    return r.kind if r.kind in ("occasion", "level") else None


def figure_readings(items: Items) -> tuple[tuple[str, int, str], ...]:
    """(article id, index into its Extraction.figures, ``reading_label``) of every figure that has a label."""
    out = []
    for r in read_figures(items):
        label = reading_label(r)
        if label is not None:
            out.append((r.source, r.index, label))
    return tuple(out)


# --------------------------------------------------------------------------- series

def _sort_key(r: FigureReading) -> tuple:
    rng = timex_range(r.as_of) or timex_range(r.published)
    return (rng[0] if rng else date.max, rng[1] if rng else date.max, r.published or "~", r.source,
            r.figure.span.start)


def _preferred(rs: list[FigureReading]) -> FigureReading:
    """One figure per source and date: one with its qualifier (a body's "at least 78" over a headline's "78")."""
    return min(rs, key=lambda r: (r.qualifier is None, r.figure.span.start))


def _clusters(rs: list[FigureReading], *, strict_places: bool) -> list[list[FigureReading]]:
    """Split readings of one what/unit/scope into groups with compatible anchors and places (each reading
    is checked against the distinct anchors and places of a group, not against every member)."""
    groups: list[tuple[list[FigureReading], dict[tuple, FigureReading]]] = []
    for r in rs:
        sig = (r.anchor_dates, r.anchor_words, r.anchor is None, r.places)
        for members, sigs in groups:
            if sig in sigs or all(
                    anchors_compatible(r, o) and _places_ok(r, o, strict_places) for o in sigs.values()):
                members.append(r)
                sigs.setdefault(sig, r)
                break
        else:
            groups.append(([r], {sig: r}))
    return [members for members, _ in groups]


def _places_ok(a: FigureReading, b: FigureReading, strict: bool) -> bool:
    if not a.places and not b.places:
        return True
    if not a.places or not b.places:  # placed against unplaced: the same when the sentences tell one event
        return not strict or len(_context(a) & _context(b)) >= _SAME_EVENT_WORDS
    if a.places & b.places:
        return True
    # two places of one event ("at Charlie's at 4224 Elm Road" / "on Elm Road"): the place words of one are in
    # the other's sentence
    return (a.places <= _words(b.sentence.text) or b.places <= _words(a.sentence.text)) and (
        len(_context(a) & _context(b)) >= _SAME_EVENT_WORDS)


_SAME_EVENT_WORDS = 3  # content words two count sentences share when one names the place and one does not


def _series_groups(readings: Sequence[FigureReading]) -> list[tuple[str, list[FigureReading]]]:
    by_key: dict[tuple, list[FigureReading]] = defaultdict(list)
    for r in readings:
        if r.kind in ("cumulative", "level") and r.as_of:
            by_key[(r.what, r.unit, r.scope, r.kind)].append(r)
        elif r.toll and not r.incident:  # a casualty count told without a running-total word, as of the day
            # it was published; one told of a single occurrence among several ("a strike that killed five") never
            # is a point of the running count
            by_key[(r.what, r.unit, (), "cumulative")].append(replace(r, as_of=_day(r.published), scope=()))
    out = []
    for key, rs in by_key.items():
        rs.sort(key=_sort_key)
        for g in _clusters(rs, strict_places=False):
            g = _admit(g) if key[3] == "cumulative" else g
            if g:
                out.append((key[3], g))
    return out


_BELOW_EARLIER = 0.75  # a toll count under 3/4 of a running total already reported is a part of it (fitted on train)
_ABOVE_LATER = 1.25  # ... and one over 5/4 of every later running total counts another event (fitted on train)
_AROUND_USUAL = 0.5  # with no running-total wording at all: within a factor 2 of the value most sources give


def _admit(group: list[FigureReading]) -> list[FigureReading]:
    """Running totals (``kind`` cumulative) and the toll counts (``toll``) that fit them: a toll count is a point
    unless it lies well under a total reported before it (a part: one site, one hospital) or well over every
    total reported after it (another event's count).  Without any running total, the value most sources give
    stands for it."""
    worded = [r for r in group if r.kind == "cumulative"]
    told = [r for r in group if r.kind != "cumulative"]
    if not told:
        return group
    if not worded:  # a single shooting: "a gunman killed five people" is the story's own count
        return [r for r in told if _near_usual(r, told)]
    told = [r for r in told if not r.incident]  # with a running total reported, "a strike that killed five" is a part
    spans = [(timex_range(r.as_of), r) for r in worded]
    kept = list(worded)
    for r in told:
        rng = timex_range(r.as_of)
        if rng is None:
            continue
        before = [w.interval[0] for x, w in spans if x is not None and x[1] <= rng[1]]
        after = [_top(w) for x, w in spans if x is not None and x[0] >= rng[0]]
        if before and _top(r) < _BELOW_EARLIER * max(before):  # "at least 89" of 129: a part, not the total
            continue
        if after and r.interval[0] > _ABOVE_LATER * max(after):
            continue
        kept.append(r)
    return sorted(kept, key=_sort_key)


def _top(r: FigureReading) -> float:
    return r.figure.value_high if r.figure.value_high is not None else r.figure.value


def _near_usual(r: FigureReading, told: list[FigureReading]) -> bool:
    sources: dict[float, set[str]] = defaultdict(set)
    for x in told:
        sources[x.figure.value].add(x.source)
    usual = max(sources, key=lambda v: (len(sources[v]), v))
    return _AROUND_USUAL * usual <= r.figure.value and r.figure.value * _AROUND_USUAL <= usual


def build_series(items: Items, index: EntityIndex | None = None) -> tuple[FigureSeries, ...]:
    """Running figures: the same count (what, unit, scope, anchor) reported over time by several sources.

    A series keeps one point per source and as-of date (its sharpest figure), ordered by as-of date then
    publication; kept when it has points from >= 2 sources, >= 2 as-of dates and >= 2 different values.
    ``cumulative`` marks running totals (a death toll), False a level that may go up or down.  ``index`` is
    accepted for the cross-check interface (places are compared by name)."""
    del index
    by_id = {c.article.id: c for c, _ in items}
    readings = read_figures(items)
    found: list[FigureSeries] = []
    for kind, group in _series_groups(readings):
        per: dict[tuple[str, str | None], list[FigureReading]] = defaultdict(list)
        for r in group:
            per[(r.source, r.as_of)].append(r)
        points_r = sorted((_preferred(v) for v in per.values()), key=_sort_key)
        if len({r.source for r in points_r}) < 2 or len({r.as_of for r in points_r}) < 2:
            continue
        if len({(r.interval, r.qualifier) for r in points_r}) < 2 and not (
                kind == "cumulative" and points_r[0].what in _TOLL_WHATS):
            continue  # a casualty count that stayed the same is still the running count, as of each report
        points = tuple(
            SeriesPoint(
                value=r.figure.value, value_high=r.figure.value_high, qualifier=r.qualifier, as_of=r.as_of,
                source=r.source, published=r.published, citation=by_id[r.source].cite_span(r.span),
            )
            for r in points_r
        )
        what = points_r[0].what + "".join(f" ({s.split(':', 1)[1]})" for s in points_r[0].scope)
        found.append(FigureSeries(id="", what=what, unit=points_r[0].unit, cumulative=kind == "cumulative",
                                  points=points))
    found.sort(key=lambda s: (-len(s.points), s.what, s.points[0].citation.source, s.points[0].citation.start))
    return tuple(FigureSeries(f"fs-{n}", s.what, s.unit, s.cumulative, s.points) for n, s in enumerate(found, 1))


# --------------------------------------------------------------------------- conflicts

def _outlet(clean: CleanArticle) -> str:
    return clean.article.outlet or clean.article.title or clean.article.id[:12]


def _grows_with_publication(sides: list[list[FigureReading]]) -> bool:
    """Casualty counts of one occasion that only grow as reports come in: every larger count was published on
    a later day than every smaller one (victims die of their wounds, more injured are found)."""
    if sides[0][0].what not in ("people killed", "people injured"):
        return False
    days = []
    for side in sorted(sides, key=lambda side: min(r.interval[0] for r in side)):
        pub = sorted(d for r in side if (d := _day(r.published)))
        if not pub:
            return False
        days.append((pub[0], pub[-1]))
    return all(a[1] < b[0] for a, b in zip(days, days[1:], strict=False))


def _side_groups(rs: list[FigureReading]) -> list[list[FigureReading]]:
    """Values that can all be true together, sharpest first; a figure compatible with two sides joins none."""
    order = sorted(rs, key=lambda r: (r.interval[1] - r.interval[0], _sort_key(r)))
    sides: list[list[FigureReading]] = []
    common: list[tuple[float, float]] = []  # pairwise overlapping intervals share a common part (1-D Helly)
    for r in order:
        fits = [k for k, c in enumerate(common) if compatible(r.interval, c)]
        if len(fits) == 1:
            k = fits[0]
            sides[k].append(r)
            common[k] = (max(common[k][0], r.interval[0]), min(common[k][1], r.interval[1]))
        elif not fits:
            sides.append([r])
            common.append(r.interval)
    return sorted(sides, key=lambda side: min((r.published or "~", r.source, r.span.start) for r in side))


def _cites(clean: CleanArticle, r: FigureReading) -> tuple[Citation, ...]:
    fig = clean.cite_span(r.span)
    if r.sentence.start <= r.span.start and r.span.end <= r.sentence.end and (
            r.sentence.end - r.sentence.start) > (r.span.end - r.span.start):
        return (fig, clean.cite_span(r.sentence))
    return (fig,)


_REPORTING = frozenset(re.findall(r"\S+", """said say says told tell according official officials reported report
reports added add also have has had more least than about some would could people person year week day today
yesterday statement spokesman spokeswoman spokesperson news agency source sources there their them then while
new now still just only many most other others all any one two three four five six seven eight nine ten"""))


def _context(r: FigureReading) -> frozenset[str]:
    """Content words of the figure's sentence besides what it counts and how it is reported (who, where, which
    event)."""
    return _words(r.sentence.text) - _words(r.what) - _words(r.span.text) - _GENERIC_CAPS - _REPORTING


def _same_story(sides: list[list[FigureReading]]) -> bool:
    """Every two sides have sentences sharing two content words besides the count (actor, place, event)."""
    words = [[_context(r) for r in side[:20]] for side in sides]
    for i in range(len(sides)):
        for j in range(i + 1, len(sides)):
            if not any(len(a & b) >= 2 for a in words[i] for b in words[j]):
                return False
    return True


def _split_sources(sides: list[list[FigureReading]]) -> set[str]:
    seen: dict[str, int] = {}
    split: set[str] = set()
    for n, side in enumerate(sides):
        for r in side:
            if seen.setdefault(r.source, n) != n:
                split.add(r.source)
    return split


def _make_side(group: list[FigureReading], by_id: dict[str, CleanArticle], independence: Independence,
               as_of: str | None) -> Side:
    group = sorted(group, key=lambda r: (r.published or "~", r.source, r.figure.span.start))
    cites: list[Citation] = []
    sources: list[str] = []
    for r in group:
        cites.extend(_cites(by_id[r.source], r))
        if r.source not in sources:
            sources.append(r.source)
    rep = min(group, key=lambda r: (independence.origin(r.source) != r.source, r.published or "~",
                                    r.figure.span.start))
    return Side(value=rep.span.text, citations=tuple(cites), sources=tuple(sources),
                independent=independence.count(sources), as_of=as_of)


def _likely(sides: Sequence[Side]) -> int | None:
    ranked = sorted(range(len(sides)), key=lambda i: -sides[i].independent)
    if len(ranked) >= 2 and sides[ranked[0]].independent - sides[ranked[1]].independent >= 2:
        return ranked[0]
    return None


def _who(side: Side, by_id: dict[str, CleanArticle]) -> str:
    names = list(dict.fromkeys(_outlet(by_id[s]) for s in side.sources))
    if len(names) > 3:
        names = names[:3] + [f"{len(side.sources) - 3} more"]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(side.sources) > side.independent:
        text += f" ({side.independent} independent)" if side.independent > 1 else " (one source: copies)"
    return text


def _errors_for(conflict: Conflict, by_id: dict[str, CleanArticle], n0: int) -> list[FlaggedError]:
    out = []
    best = max(range(len(conflict.sides)), key=lambda i: conflict.sides[i].independent)
    major = conflict.sides[best]
    if major.independent < 2:
        return out
    for i, side in enumerate(conflict.sides):
        if i == best or side.independent != 1:
            continue
        for src in side.sources:
            cite = next(c for c in side.citations if c.source == src)
            out.append(FlaggedError(
                id=f"err-{n0 + len(out) + 1}", kind="number", source=src, citation=cite,
                correction=major.value, evidence=major.citations,
                why=(f"{_outlet(by_id[src])} gives {side.value} for {conflict.about}; "
                     f"{major.independent} independent sources give {major.value}."),
                conflict=conflict.id,
            ))
    return out


def _about(r: FigureReading, day: str) -> str:
    scope = "".join(f" ({s.split(':', 1)[1]})" for s in r.scope)
    if r.kind == "occasion":
        return f"{r.what}{scope} on {day}"
    since = f" since {r.anchor}" if r.anchor else ""
    return f"{r.what}{scope}{since}, as of {day}"


def number_conflicts(
    items: Items, series: Sequence[FigureSeries], independence: Independence | None = None,
) -> tuple[tuple[Conflict, ...], tuple[FlaggedError, ...]]:
    """Number conflicts between sources (same referent, same day, incompatible values), running totals
    reported lower later without a stated revision, and ``internal`` contradictions within one article.
    Copies of one original count as one source (``independence``)."""
    independence = independence or Independence()
    by_id = {c.article.id: c for c, _ in items}
    readings = read_figures(items)
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    seen: set[tuple] = set()

    # same referent, same day
    buckets: dict[tuple, list[FigureReading]] = defaultdict(list)
    for r in readings:
        day = _day(r.as_of)
        if r.kind is None or day is None:
            continue
        if r.kind in ("occasion", "level") and not r.explicit:
            continue
        if r.kind == "cumulative" and not r.strong:
            continue  # "the sinking has killed 14": a running total only by its tense, maybe of a part
        if r.unit == "percent" or "(" in r.what:
            continue  # shares and money: different bases and polls are too often different referents
        buckets[(r.what, r.unit, r.scope, r.kind, day)].append(r)
    for key in sorted(buckets, key=lambda k: (k[4], k[0], k[3], k[2])):
        rs = sorted(buckets[key], key=_sort_key)
        day = key[4]
        for group in _clusters(rs, strict_places=True):
            if len(group) < 2:
                continue
            # internal: one article, two incompatible values of an anchored total or a dated occasion
            per_src: dict[str, list[FigureReading]] = defaultdict(list)
            for r in group:
                per_src[r.source].append(r)
            torn: set[str] = set()
            for src, mine in per_src.items():
                strong = [r for r in mine if (r.kind == "occasion" or r.anchor is not None)
                          and not _CONTRAST_RE.search(r.sentence.text)]
                if len({r.sentence.start for r in strong}) < 2:
                    continue  # two numbers in one sentence are set side by side on purpose
                sides = _side_groups(strong)
                if len(sides) < 2:
                    continue
                torn.add(src)
                sig = ("internal", src, tuple(sorted(r.figure.span.start for r in strong)))
                if sig in seen:
                    continue
                seen.add(sig)
                sd = tuple(_make_side(s, by_id, independence, day) for s in sides)
                clean = by_id[src]
                values = [s.value for s in sd]
                conflicts.append(Conflict(
                    id=f"x-internal-{len(conflicts) + 1}", kind="internal", about=_about(sides[0][0], day),
                    sides=sd,
                    explanation=(f"{_outlet(clean)} gives {values[0]} and, elsewhere in the same article, "
                                 + " and ".join(values[1:])
                                 + f" for {_about(sides[0][0], day)}; both cannot be right."),
                ))
            others = [r for r in group if r.source not in torn]
            sides = _side_groups(others)
            split = _split_sources(sides)
            if split:  # an article on two sides contradicts itself without strong evidence: leave it out
                sides = _side_groups([r for r in others if r.source not in split])
            if len(sides) < 2 or len({r.source for s in sides for r in s}) < 2 or not _same_story(sides):
                continue
            if _grows_with_publication(sides):
                continue  # a first report and its update ("7 hurt" on the night, "9 wounded" the next day)
            sd = tuple(_make_side(s, by_id, independence, day) for s in sides)
            about = _about(sides[0][0], day)
            sig = ("number", about, tuple(side.value for side in sd))
            if sig in seen:
                continue
            seen.add(sig)
            parts = [f"{_who(side, by_id)} give{'s' if len(side.sources) == 1 else ''} {side.value}"
                     for side in sd]
            explanation = (f"For {about}, " + "; ".join(parts)
                           + ". These values cannot all be true as of the same day.")
            if len({independence.origin(src) for side in sd for src in side.sources}) == 1:
                explanation += " All of them repeat one original report: a copy changed the number."
            c = Conflict(id=f"x-number-{len(conflicts) + 1}", kind="number", about=about, sides=sd,
                         explanation=explanation, likely=_likely(sd))
            conflicts.append(c)
            errors.extend(_errors_for(c, by_id, len(errors)))

    # running totals that go down without a stated revision
    lookup = {(r.source, by_id[r.source].cite_span(r.span).start): r for r in readings}
    for s in series:
        if not s.cumulative:
            continue
        by_places: dict[frozenset[str], list[tuple[date, date, SeriesPoint, FigureReading]]] = defaultdict(list)
        for p in s.points:
            r = lookup.get((p.source, p.citation.start))
            rng = timex_range(p.as_of)
            if r is not None and rng is not None and r.kind == "cumulative":  # toll counts are no running totals
                by_places[r.places].append((rng[0], rng[1], p, r))
        for pts in by_places.values():
            pts.sort(key=lambda t: (t[1], t[0]))
            ends = [t[1] for t in pts]
            best: list[int] = []  # prefix argmax of the lower bound, by end date
            for k, t in enumerate(pts):
                best.append(k if not best or t[3].interval[0] > pts[best[-1]][3].interval[0] else best[-1])
            for first, _last, p, r in pts:
                k = bisect.bisect_left(ends, first)  # points whose as-of date ends before this one starts
                if not r.strong or k == 0:
                    continue
                top = pts[best[k - 1]]
                if top[3].interval[0] <= r.interval[1] + 1e-9:
                    continue
                clean = by_id[p.source]
                near = clean.text[max(0, r.sentence.start - 300):r.sentence.end + 300]
                if _REVISION_RE.search(near):
                    continue
                same = [t[3] for t in pts[:k] if t[3].interval == top[3].interval]
                _down(conflicts, errors, seen, s, p, r, top[2], same, by_id, independence)
    _LAST[:] = [None, None, None]  # let the corpus go
    return tuple(conflicts), tuple(errors)


def _down(
    conflicts: list[Conflict], errors: list[FlaggedError], seen: set[tuple], s: FigureSeries, p: SeriesPoint,
    r: FigureReading, top: SeriesPoint, same: list[FigureReading], by_id: dict[str, CleanArticle],
    independence: Independence,
) -> None:
    """Record a running total reported lower (``p``/``r``) than an earlier point (``top``, ``same``)."""
    clean = by_id[p.source]
    old_side = _make_side(same, by_id, independence, top.as_of)
    new_side = _make_side([r], by_id, independence, p.as_of)
    sig = ("down", s.id, p.source, p.citation.start)
    if sig in seen:
        return
    seen.add(sig)
    about = f"{s.what} (a running total), {top.as_of} to {p.as_of}"
    explanation = (f"{_outlet(clean)} reports {_lower(new_side.value)} as of {p.as_of}, fewer than the "
                   f"{_lower(old_side.value)} that {_who(old_side, by_id)} reported as of {top.as_of}, "
                   "and does not say the count was revised; a running total should not go down.")
    sd = (old_side, new_side)
    c = Conflict(id=f"x-number-{len(conflicts) + 1}", kind="number", about=about, sides=sd,
                 explanation=explanation, likely=_likely(sd))
    conflicts.append(c)
    errors.extend(_errors_for(c, by_id, len(errors)))


def _lower(value: str) -> str:
    """A figure as written, inside a sentence: "At least 60 people" -> "at least 60 people"."""
    return value[:1].lower() + value[1:] if value[:1].isupper() and value[1:2].islower() else value
