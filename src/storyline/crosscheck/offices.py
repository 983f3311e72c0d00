"""Who holds which office, and when, as the corpus states it; and the role errors that follow.

No outside knowledge base: the evidence is the corpus itself, weighted by source independence.

``office_terms`` gathers every statement of a person's office: titles found by the entity stage
("President", "former Defence Minister", "incoming President") and statements of tenure read here with a
few compiled patterns ("who has led X since 2019", "took office in", "stepped down", "left office", "was
ousted", "set to take office", "will be sworn in", "President-elect X", "the X administration"), and groups
them per person, office and status (current | former | incoming | acting).

``role_conflicts`` compares them:

* a sitting official called "former": independent sources dated before and after the erring source (each
  within two weeks, more in a sparse corpus), or two within a week of it, call the person by the office as
  current; at least twice as many independent sources as say "former"; and none says the person left it or
  died ("stepped down", "the late", "X's death").  One source saying "former" where only one or a few other
  sources, at least one of them within a week, call the person by the office: an undecided conflict, no
  error (too little evidence to say which is right).  Hypothetical wording ("once X is former President X",
  "when X has left office"), "then-", and ranks ("retired General") are never errors;
* "set to take office" / "incoming" / "-elect" for someone the corpus already shows in office before that
  source's date, or whom it shows has left ("outdated");
* a title that is wrong for the person: one office against a clearly larger number of independent sources
  giving the same person a different, incompatible office at the same time (ranks, generic titles and
  compatible forms such as "Defence Minister" / "Secretary of War" are not conflicts).

Cheap: the tenure patterns run only where an article's known surnames occur (``str.find`` plus anchored
matches), and the per-article statements are cached between ``office_terms`` and ``role_conflicts``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.extract.entities import normalize_name
from storyline.records import (
    Citation,
    CleanArticle,
    Conflict,
    Extraction,
    FlaggedError,
    Independence,
    OfficeTerm,
    Side,
    Span,
)
from storyline.text import words as split_words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.entities import EntityIndex

__all__ = ["office_terms", "role_conflicts", "parse_office", "OfficeKey"]

# --------------------------------------------------------------------------- office vocabulary

_FORMER = frozenset(
    {"former", "ex", "ousted", "deposed", "exiled", "late", "retired", "erstwhile", "onetime"}
)
_ACTING = frozenset({"acting", "interim", "caretaker"})
_INCOMING = frozenset({"incoming", "elect", "designate", "designated"})
_NEUTRAL = frozenset({"then"})  # "then-President X": a historical reference, neither current nor former
_DROP = frozenset(
    {
        "the",
        "a",
        "an",
        "new",
        "sitting",
        "current",
        "outgoing",
        "top",
        "senior",
        "longtime",
        "veteran",
        "embattled",
        "self",
        "proclaimed",
        "elected",
        "legitimate",
        "de",
        "facto",
        "powerful",
        "beleaguered",
        "country's",
        "nation's",
        "s",
        "'s",
        "’s",
        "and",
        "&",
    }
)
_RESTRICTIVE = frozenset(
    {
        "vice",
        "deputy",
        "prime",
        "assistant",
        "under",
        "junior",
        "lieutenant",
        "rear",
        "associate",
        "opposition",
        "shadow",
        "co",
        "first",
    }
)
# Portfolios that are one job under different names.
_PORTFOLIO = {
    "defense": "defence",
    "war": "defence",
    "military": "defence",
    "armed forces": "defence",
    "foreign affairs": "foreign",
    "external affairs": "foreign",
    "state": "foreign",
    "home": "interior",
    "home affairs": "interior",
    "internal affairs": "interior",
    "the interior": "interior",
    "treasury": "finance",
    "the treasury": "finance",
    "economy": "finance",
    "economic": "finance",
    "economics": "finance",
    "labour": "labor",
    "homeland security": "homeland",
}
_HEADS = (
    "secretary general",
    "attorney general",
    "prime minister",
    "chief of staff",
    "supreme leader",
    "president",
    "minister",
    "secretary",
    "chancellor",
    "premier",
    "governor",
    "mayor",
    "king",
    "queen",
    "emperor",
    "emir",
    "sultan",
    "pope",
    "senator",
    "representative",
    "congressman",
    "congresswoman",
    "ambassador",
    "envoy",
    "speaker",
    "leader",
    "general",
    "admiral",
    "commander",
    "chief",
    "director",
    "head",
    "judge",
    "justice",
    "prosecutor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "colonel",
    "lieutenant",
    "major",
    "captain",
    "sergeant",
    "marshal",
    "brigadier",
    "commissioner",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "founder",
    "deputy",
    "lawmaker",
    "legislator",
    "official",
    "diplomat",
    "negotiator",
    "adviser",
    "advisor",
    "aide",
    "czar",
    "tsar",
    "dictator",
    "strongman",
    "candidate",
    "nominee",
    "officer",
    "inspector",
    "sheriff",
    "cardinal",
    "bishop",
    "archbishop",
    "ayatollah",
    "prince",
    "princess",
    "sheikh",
    "attorney",
)
_HEAD_ALIASES = {
    "gen": "general",
    "adm": "admiral",
    "sen": "senator",
    "gov": "governor",
    "rep": "representative",
    "col": "colonel",
    "lt": "lieutenant",
    "maj": "major",
    "capt": "captain",
    "sgt": "sergeant",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "advisor": "adviser",
    "tsar": "czar",
    "congressman": "representative",
    "congresswoman": "representative",
    "chairman": "chair",
    "chairwoman": "chair",
    "premier": "prime minister",
}
# Offices one person cannot hold together with another of them: only these make a "wrong office" conflict.
_EXCLUSIVE = frozenset(
    {
        "president",
        "prime minister",
        "minister",
        "secretary",
        "chancellor",
        "governor",
        "mayor",
        "king",
        "queen",
        "emperor",
        "attorney general",
        "secretary general",
        "supreme leader",
        "emir",
        "sultan",
        "pope",
    }
)
# Descriptions, not offices: left out of the office terms.
_DESCRIPTORS = frozenset(
    {
        "analyst",
        "journalist",
        "correspondent",
        "reporter",
        "editor",
        "activist",
        "professor",
        "economist",
        "expert",
        "researcher",
        "lawyer",
        "founder",
    }
)
_HEAD_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(h).replace(r"\ ", r"\s+") for h in _HEADS), key=len, reverse=True))
    + r"|gen|adm|sen|gov|rep|col|lt|maj|capt|sgt)\b"
)
_RANKS = frozenset(
    {
        "general",
        "admiral",
        "colonel",
        "lieutenant",
        "major",
        "captain",
        "sergeant",
        "marshal",
        "brigadier",
        "commander",
        "officer",
    }
)  # kept for life: "retired General X" is not an error
_STATUS_ORDER = {"current": 0, "acting": 1, "incoming": 2, "former": 3}


@dataclass(frozen=True, slots=True)
class OfficeKey:
    """A normalised office: head ("minister"), restrictive modifiers ("prime", "vice") and portfolio."""

    head: str
    restrictive: frozenset[str] = frozenset()
    portfolio: frozenset[str] = frozenset()

    def same_office(self, other: OfficeKey) -> bool:
        """Whether both name the same office, one perhaps less specific ("Minister" ~ "Defence Minister")."""
        if self.head != other.head and not ({self.head, other.head} <= {"minister", "secretary"}):
            return False
        if self.restrictive != other.restrictive:
            return False
        if self.head != other.head and (not self.portfolio or not other.portfolio):
            return False  # "Secretary" and "Minister" bare: not the same
        return self.portfolio <= other.portfolio or other.portfolio <= self.portfolio

    def compatible(self, other: OfficeKey) -> bool:
        """Whether one person can be described by both (ranks, generic titles, the same office)."""
        if self.head not in _EXCLUSIVE or other.head not in _EXCLUSIVE:
            return True
        return self.same_office(other)


@lru_cache(maxsize=8192)
def parse_office(role: str) -> tuple[str, OfficeKey | None, str]:
    """(status, office key, display) of a role text.

    "former Defence Minister" -> ("former", OfficeKey("minister", {}, {"defence"}), "Defence Minister");
    "Then-President" -> ("then", ...); "President-elect" -> ("incoming", ...).  The key is None when the
    text holds no office word ("spokes-" titles are offices; "analyst" is a description: key None).
    """
    text = " ".join(role.replace("-", " ").replace("–", " ").split())
    words = split_words(text)
    status = "current"
    kept: list[str] = []
    for w in words:
        low = w.lower().rstrip(".")
        if low in _FORMER:
            status = "former"
        elif low in _ACTING:
            status = "acting" if status == "current" else status
        elif low in _INCOMING:
            status = "incoming" if status == "current" else status
        elif low in _NEUTRAL:
            status = "then"
        elif low in _DROP:
            continue
        else:
            kept.append(w)
    low_text = " ".join(w.lower().rstrip(".") for w in kept)
    head_m = None
    before_of = low_text.split(" of ", 1)
    scope = before_of[0]
    complement = before_of[1] if len(before_of) > 1 else ""
    for m in _HEAD_RE.finditer(scope):
        head_m = m  # the last head word before "of" is the head
    if head_m is None:
        return status, None, " ".join(kept)
    head = " ".join(head_m.group(0).split())
    head = _HEAD_ALIASES.get(head, head)
    if head in _DESCRIPTORS:
        return status, None, " ".join(kept)
    mods = [_HEAD_ALIASES.get(w, w) for w in scope[: head_m.start()].split() + scope[head_m.end() :].split()]
    restrictive = frozenset(w for w in mods if w in _RESTRICTIVE)
    if head == "prime minister":
        head, restrictive = "minister", restrictive | {"prime"}
    portfolio_words = [w for w in mods if w not in _RESTRICTIVE and w.isalpha()]
    # capitalised words that are not portfolio words are nationalities or names: "Veldanian", "Obama"
    portfolio: set[str] = set()
    cap_words = {w.lower().rstrip(".") for w in kept if w[:1].isupper()}
    for w in portfolio_words:
        if w in cap_words and w not in _PORTFOLIO and w not in _KNOWN_PORTFOLIO:
            continue  # "Veldanian", "U.S."
        portfolio.add(_PORTFOLIO.get(w, w))
    if complement:
        comp = complement.removeprefix("the ").strip()
        portfolio.add(_PORTFOLIO.get(comp, _PORTFOLIO.get(comp.split()[0], comp)) if comp else "")
        portfolio.discard("")
    display = _display(role)
    return status, OfficeKey(head, restrictive, frozenset(portfolio)), display


_KNOWN_PORTFOLIO = frozenset(
    {
        "defence",
        "defense",
        "war",
        "foreign",
        "interior",
        "finance",
        "economy",
        "economic",
        "health",
        "justice",
        "trade",
        "energy",
        "oil",
        "press",
        "communications",
        "information",
        "intelligence",
        "education",
        "agriculture",
        "transport",
        "transportation",
        "labor",
        "labour",
        "commerce",
        "treasury",
        "home",
        "state",
        "security",
        "national",
        "homeland",
        "navy",
        "army",
        "naval",
        "military",
        "air",
        "culture",
        "environment",
        "fisheries",
        "industry",
        "tourism",
        "housing",
        "immigration",
        "police",
        "party",
    }
)


_STATUS_WORDS_RE = re.compile(
    r"(?i:\b(?:former|ex|then|acting|interim|caretaker|incoming|outgoing|ousted|deposed|exiled|late|retired"
    r"|erstwhile|onetime|sitting|current|new)\b[-\s]*|^(?:the|a|an)\s+)"
)
_ELECT_SUFFIX_RE = re.compile(r"(?i:[-\s]+(?:elect|designate)\b)")


def _display(role: str) -> str:
    """The office as written without status words: "former Defence Minister" -> "Defence Minister"."""
    out = _ELECT_SUFFIX_RE.sub("", _STATUS_WORDS_RE.sub("", role))
    out = " ".join(out.split()).strip(" ,-")
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return out


# --------------------------------------------------------------------------- statements of tenure

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_NAME = r"(?P<name>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]+)"
_POSS = r"(?:['’]s)?"
_LED_SINCE_RE = re.compile(
    _NAME + r",?\s+(?:who\s+)?(?:has|had)\s+(?:led|ruled|governed|headed|run|been\s+in\s+(?:office|power)"
    r"|served\s+as\s+[^,.;\n]{2,40}?)\b[^.;\n]{0,60}?\bsince\s+(?:(?:early|late|mid)[\s-]+)?"
    rf"(?:{_MONTHS}\s+)?(?P<year>(?:19|20)\d\d)\b"
)
_TOOK_OFFICE_RE = re.compile(
    _NAME + r",?\s+(?:who\s+)?(?:took\s+office|took\s+power|came\s+to\s+power|assumed\s+office"
    r"|was\s+sworn\s+in|was\s+inaugurated|has\s+been\s+in\s+office)\b(?:\s+as\s+(?P<office>[^,.;\n]{2,40}))?"
)
_APPOINTED_RE = re.compile(
    _NAME + r",?\s+(?:who\s+)?(?:(?:was|has\s+been|had\s+been)\s+(?:appointed|named|elected|installed"
    r"|re-?elected|confirmed|promoted|sworn\s+in)(?:\s+as)?|became)\s+(?:the\s+)?(?:new\s+)?"
    r"(?P<office>(?:[A-Za-z][\w'’-]*\s+){0,3}"
    r"(?i:president|minister|secretary|chancellor|governor|mayor|premier|king|queen)"
    r"(?:\s+of\s+[A-Za-z\s]{2,25})?)"
)
_LEFT_RE = re.compile(
    _NAME + r",?\s+(?:who\s+)?(?:has\s+|had\s+)?(?:stepped\s+down|resigned|left\s+office|left\s+power"
    r"|was\s+ousted|was\s+deposed|was\s+overthrown|was\s+toppled|was\s+removed\s+from\s+(?:office|power)"
    r"|was\s+forced\s+out|lost\s+power|was\s+voted\s+out|was\s+impeached\s+and\s+removed|quit)\b"
    r"(?:\s+as\s+(?P<office>[^,.;\n]{2,40}))?"
)
_DIED_RES = (
    re.compile(_NAME + r"['’]s\s+(?:death|funeral)\b"),
    re.compile(
        _NAME + r",?\s+(?:who\s+)?(?:has\s+|had\s+)?(?:died|was\s+killed|was\s+assassinated|passed\s+away)\b"
    ),
    re.compile(r"\b(?:death|funeral)\s+of\s+(?:the\s+)?(?:late\s+)?" + _NAME + r"(?!['’\w])"),
)
# "when X has left office", "until X steps down": not (yet) a fact
_HYPOTHETICAL_RE = re.compile(r"(?i:\b(?:until|once|if|unless|when|after)\s+(?:(?:mr|mrs|ms|dr)\.?\s+)?$)")
# Right before a title: it states what will or would be, not what is ("once X is former President X").
_FUTURE_CONTEXT_RE = re.compile(
    r"(?i:(?:\b(?:once|until|unless|if)\s+(?:\S+\s+){0,3}|\b(?:will|would|could|may|might|become|becomes"
    r"|becoming|to\s+be)\s+(?:\S+\s+){0,2})$)"
)
_LATE_RE = re.compile(r"(?i:\blate\b)")
_INCOMING_RE = re.compile(
    _NAME + r",?\s+(?:who\s+)?(?:(?:is\s+|was\s+)?(?:set|due|scheduled|expected|poised|slated)\s+to|will)\s+"
    r"(?:take\s+office|be\s+sworn\s+in|be\s+inaugurated|assume\s+(?:office|power|the\s+presidency)"
    r"|take\s+power)"
    r"(?:\s+as\s+(?P<office>[^,.;\n]{2,40}))?"
)
_NEW_TERM_RE = re.compile(
    r"(?i:\b(?:second|third|fourth|fifth|new|another|consecutive|next)\s+term\b|\bre-?elect)"
)
_ELECT_BEFORE_RE = re.compile(
    r"\b(?P<office>(?:[A-Z][\w'’]*\s+){0,2}(?i:president|prime\s+minister|chancellor|governor|mayor|premier))"
    r"[-\s]elect\s+" + _NAME
)
_ELECT_AFTER_RE = re.compile(
    _NAME + r",\s+the\s+(?P<office>(?:\w+\s+){0,2}(?i:president|prime\s+minister|chancellor|governor|mayor"
    r"|premier))[-\s]elect\b"
)
_ADMIN_RE = re.compile(
    r"\b(?:(?P<mod>incoming|outgoing|former|new|previous|next)\s+)?(?P<name>[A-Z][\w'’-]+)\s+"
    r"administration\b(?P<tail>,?\s+(?:which\s+|that\s+)?(?:is\s+|was\s+)?"
    r"(?:(?:set|due|scheduled|expected|poised"
    r"|slated)\s+to|will)\s+(?:take\s+office|take\s+power|be\s+sworn\s+in))?"
)
# What may follow a name for any of the name-first patterns above: tried first, the rest only on a hit.
_ANY_TAIL_RE = re.compile(
    _NAME + r"(?:,?\s+(?:who\s+)?(?:has|had|took|came|assumed|was|is|became|stepped|resigned|left|lost|quit"
    r"|died|passed|set|due|scheduled|expected|poised|slated|will)\b|['’]s\s+(?:death|funeral)\b|,\s+the\s)"
)
_APPOS_TAIL_RE = re.compile(r",\s+who\s+has\s+(?:led|ruled|governed|headed|run|been)\b[^,.;\n]{0,60}")


# Keywords every match of the pattern above contains: those patterns run only in windows around them.
_KW_DIED_OF = re.compile(r"\b(?:death|funeral)\s+of\b")
_KW_ELECT = re.compile(r"[-\s]elect\b")
_KW_ADMIN = re.compile(r"\badministration\b")
_SCAN_BEFORE = 120
_SCAN_AFTER = 160


def _scan(rx: re.Pattern[str], keyword: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches of ``rx`` near the hits of ``keyword`` (much cheaper than scanning the whole text with a
    pattern that starts with a name); per match end, the earliest-starting match."""
    best: dict[int, re.Match[str]] = {}
    covered = -1
    for k in keyword.finditer(text):
        if k.start() < covered:
            continue
        lo = max(0, k.start() - _SCAN_BEFORE)
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        hi = min(len(text), k.end() + _SCAN_AFTER)
        covered = k.end()
        for m in rx.finditer(text, lo, hi):
            old = best.get(m.end())
            if old is None or m.start() < old.start():
                best[m.end()] = m
    return [best[e] for e in sorted(best)]


def _name_starts(text: str, surnames: set[str]) -> list[int]:
    """Where the run of capitalised words (up to three) ending in one of ``surnames`` starts, for every
    occurrence of a surname as a whole word that some name-first pattern may follow (``str.find`` and one
    anchored match: far cheaper than scanning the text with the patterns)."""
    starts: set[int] = set()
    n = len(text)
    for w in surnames:
        i = text.find(w)
        while i >= 0:
            j = i + len(w)
            if (
                (i == 0 or not text[i - 1].isalnum())
                and (j >= n or not text[j].isalnum())
                and _ANY_TAIL_RE.match(text, i)
            ):
                starts.add(i)
                s = i
                for _ in range(3):
                    k = s - 1
                    if k < 1 or text[k] != " ":
                        break
                    b = text.rfind(" ", 0, k) + 1
                    nl = text.rfind("\n", 0, k) + 1
                    b = max(b, nl)
                    word = text[b:k]
                    if not word or not word[0].isupper() or word[-1] in ',;:"”':
                        break
                    s = b
                starts.add(s)
            i = text.find(w, j)
    return sorted(starts)


def _anchored(rx: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """Matches of a name-first pattern starting at the given name starts; per end, the earliest start."""
    best: dict[int, re.Match[str]] = {}
    for s in starts:
        m = rx.match(text, s)
        if m is not None:
            old = best.get(m.end())
            if old is None or m.start() < old.start():
                best[m.end()] = m
    return [best[e] for e in sorted(best)]


@dataclass(frozen=True, slots=True)
class _Claim:
    person: str  # entity id
    key: OfficeKey | None  # None: the office is not named (tenure statements: "stepped down")
    display: str | None
    status: str  # current | former | incoming | acting | then
    source: str
    published: str | None  # YYYY-MM-DD (or shorter)
    citation: Citation
    kind: str  # title | led-since | took-office | appointed | left | incoming | elect | admin
    since: str | None = None  # year the tenure started, when stated
    historical: bool = False  # the sentence is about a past date: not evidence of the present


def _day(published: str | None) -> str | None:
    return published[:10] if published else None


def _days_between(a: str, b: str) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


class _Resolver:
    """Names written in text -> PERSON entity ids: the article's own mentions first, then corpus aliases."""

    def __init__(self, index: EntityIndex) -> None:
        self.index = index
        corpus: dict[str, set[str]] = defaultdict(set)
        for ent in index.entities:
            if ent.label != "PERSON":
                continue
            for alias in (ent.name, *ent.aliases):
                n = normalize_name(alias)
                if n:
                    corpus[n].add(ent.id)
                    corpus[n.rsplit(" ", 1)[-1]].add(ent.id)
        self.corpus = {n: next(iter(ids)) for n, ids in corpus.items() if len(ids) == 1}

    def article_map(self, aid: str, ext: Extraction) -> tuple[dict[str, str], set[str]]:
        """Normalised name forms of the article's people -> entity id, and the surnames as written."""
        local: dict[str, set[str]] = defaultdict(set)
        surfaces: set[str] = set()
        forms: dict[tuple[str, str], set[str]] = defaultdict(set)  # (key, kind) -> surface forms
        for m in ext.mentions:
            if m.label == "PERSON":
                forms[(m.key, m.kind)].add(m.span.text)
        resolved: dict[str, str | None] = {}
        for (key, kind), texts in forms.items():
            if key not in resolved:
                ent = self.index.resolve(aid, key)
                resolved[key] = ent.id if ent is not None and ent.label == "PERSON" else None
            eid = resolved[key]
            if eid is None:
                continue
            for form in (key, *texts) if kind == "name" else (key,):
                n = normalize_name(form)
                if n:
                    local[n].add(eid)
                    local[n.rsplit(" ", 1)[-1]].add(eid)
                    words = form.split()
                    if words and len(words[-1]) >= 2 and words[-1][:1].isupper():
                        surfaces.add(words[-1])
        return {n: next(iter(ids)) for n, ids in local.items() if len(ids) == 1}, surfaces

    def find(self, text: str, local: dict[str, str]) -> tuple[str, int] | None:
        """(entity id, offset in ``text`` where the resolved name starts), longest resolvable suffix."""
        words = list(re.finditer(r"\S+", text))
        for i in range(len(words)):
            n = normalize_name(text[words[i].start() :])
            eid = local.get(n) or self.corpus.get(n)
            if eid is not None:
                return eid, words[i].start()
        return None


def _sentence_of(sentences: Sequence[Span], pos: int) -> tuple[int, int] | None:
    for s in sentences:
        if s.start <= pos < s.end:
            return s.start, s.end
    return None


def _historical(ext: Extraction, published: str | None, sent: tuple[int, int] | None, text: str) -> bool:
    """The sentence carries an explicit date more than a year before publication (not "since <year>")."""
    if not published or sent is None or len(published) < 4 or not published[:4].isdigit():
        return False
    pub_year = int(published[:4])
    for t in ext.dates:
        if t.span.start < sent[0] or t.span.end > sent[1] or t.type != "DATE":
            continue
        v = t.value
        if (
            len(v) >= 4
            and v[:4].isdigit()
            and int(v[:4]) < pub_year - 1 + (1 if published[5:7] > "06" else 0)
        ):
            lead = text[max(sent[0], t.span.start - 12) : t.span.start].lower()
            if "since" not in lead and "from" not in lead:
                return True
    return False


def _article_claims(clean: CleanArticle, ext: Extraction, res: _Resolver) -> list[_Claim]:
    aid = clean.article.id
    pub = _day(clean.article.published)
    text = clean.text
    out: list[_Claim] = []
    local, surfaces = res.article_map(aid, ext)
    sentences = ext.sentences
    starts = _name_starts(text, surfaces)

    def hist(pos: int) -> bool:
        return _historical(ext, pub, _sentence_of(sentences, pos), text)

    # 1. titles the entity stage found ("former President X", "X, the foreign minister")
    for m in ext.mentions:
        if m.label != "PERSON" or m.role is None or m.role_span is None:
            continue
        ent = res.index.resolve(aid, m.key)
        if ent is None or ent.label != "PERSON":
            continue
        status, key, display = parse_office(m.role)
        if key is None:
            continue
        # "President-elect X": the entity stage keeps "President"; the "-elect" follows the role word
        if status == "current" and re.match(r"[-\s]elect\b", text[m.role_span.end : m.role_span.end + 7]):
            status = "incoming"
        start, end = min(m.span.start, m.role_span.start), max(m.span.end, m.role_span.end)
        if m.role_span.start < m.span.start:  # extend to a tenure apposition: ", who has led X since 2019"
            tail = _APPOS_TAIL_RE.match(text, m.span.end, min(len(text), m.span.end + 90))
            if tail:
                end = tail.end()
        kind = "died" if status == "former" and _LATE_RE.search(m.role) else "title"  # "the late Justice X"
        if status == "former" and kind == "title":
            lo = max(0, start - 50, text.rfind("\n", 0, start) + 1)
            if _FUTURE_CONTEXT_RE.search(text, lo, start):
                status = "then"  # "once X is former President X": not a statement about now
        out.append(
            _Claim(
                ent.id,
                key,
                display,
                status,
                aid,
                pub,
                clean.cite(start, end),
                kind,
                historical=status == "current" and hist(m.span.start),
            )
        )

    # 2. statements of tenure read here
    def add(
        m: re.Match,
        group: str,
        status: str,
        kind: str,
        office: str | None = None,
        since: str | None = None,
        cite_from: int | None = None,
    ) -> None:
        found = res.find(m.group(group), local)
        if found is None:
            return
        eid, off = found
        key = display = None
        if office:
            _status, key, display = parse_office(office)
            if key is None or key.head not in _EXCLUSIVE:
                key = display = None
        start = m.start(group) + off
        cite_start = start if cite_from is None else min(cite_from, start)
        out.append(
            _Claim(
                eid,
                key,
                display,
                status,
                aid,
                pub,
                clean.cite(cite_start, m.end()),
                kind,
                since=since,
                historical=status == "current" and kind != "led-since" and hist(start),
            )
        )

    for m in _anchored(_LED_SINCE_RE, text, starts):
        add(m, "name", "current", "led-since", since=m.group("year"))
    for m in _anchored(_TOOK_OFFICE_RE, text, starts):
        add(m, "name", "current", "took-office", m.group("office"))
    for m in _anchored(_APPOINTED_RE, text, starts):
        add(m, "name", "current", "appointed", m.group("office"))
    for m in _anchored(_LEFT_RE, text, starts):
        if not _HYPOTHETICAL_RE.search(text, max(0, m.start() - 12), m.start()) or not re.search(
            r"\b(?:has|have)\b", m.group(0)
        ):
            add(m, "name", "former", "left", m.group("office"))
    for rx in _DIED_RES[:2]:
        for m in _anchored(rx, text, starts):
            add(m, "name", "former", "died")
    if "death of" in text or "funeral of" in text:
        for m in _scan(_DIED_RES[2], _KW_DIED_OF, text):
            add(m, "name", "former", "died", cite_from=m.start())
    for m in _anchored(_INCOMING_RE, text, starts):
        sent = _sentence_of(sentences, m.start()) or (m.start(), m.end())
        if not _NEW_TERM_RE.search(text, sent[0], sent[1]):  # "sworn in for a second term": not outdated
            add(m, "name", "incoming", "incoming", m.group("office"))
    if "-elect" in text or " elect" in text:
        for m in _scan(_ELECT_BEFORE_RE, _KW_ELECT, text):
            add(m, "name", "incoming", "elect", m.group("office"), cite_from=m.start("office"))
        for m in _anchored(_ELECT_AFTER_RE, text, starts):
            add(m, "name", "incoming", "elect", m.group("office"))
    for m in _scan(_ADMIN_RE, _KW_ADMIN, text) if "administration" in text else ():
        eid = local.get(normalize_name(m.group("name"))) or res.corpus.get(normalize_name(m.group("name")))
        if eid is None:
            continue
        mod = (m.group("mod") or "").lower()
        status = (
            "incoming"
            if (m.group("tail") or mod in ("incoming", "next"))
            else ("former" if mod in ("former", "previous", "outgoing") else "current")
        )
        if status == "current" and mod != "new" and hist(m.start()):
            continue
        start = m.start("mod") if m.group("mod") else m.start("name")
        out.append(_Claim(eid, None, None, status, aid, pub, clean.cite(start, m.end()), "admin"))
    return out


_CACHE: list[tuple[object, object, int, list[_Claim]]] = []  # the last (items, index, len, claims)


def _all_claims(items: Sequence[tuple[CleanArticle, Extraction]], index: EntityIndex) -> list[_Claim]:
    """Every office statement of the corpus (cached for the last items/index pair: terms, then conflicts)."""
    if _CACHE and _CACHE[0][0] is items and _CACHE[0][1] is index and _CACHE[0][2] == len(items):
        return _CACHE[0][3]
    claims = _compute_claims(items, index)
    _CACHE[:] = [(items, index, len(items), claims)]
    return claims


def _compute_claims(items: Sequence[tuple[CleanArticle, Extraction]], index: EntityIndex) -> list[_Claim]:
    res = _Resolver(index)
    claims: list[_Claim] = []
    seen: set[tuple[str, str, int, int, str]] = set()
    for clean, ext in items:
        for c in _article_claims(clean, ext, res):
            k = (c.person, c.source, c.citation.start, c.citation.end, c.status)
            if k not in seen:
                seen.add(k)
                claims.append(c)
    return claims


def _dominant(claims: Sequence[_Claim]) -> tuple[OfficeKey, str] | None:
    """The person's most attested named office (by sources), preferring exclusive offices."""
    by_key: dict[OfficeKey, set[str]] = defaultdict(set)
    displays: dict[OfficeKey, Counter[str]] = defaultdict(Counter)
    for c in claims:
        if c.key is not None and c.display:
            by_key[c.key].add(c.source)
            displays[c.key][c.display] += 1
    if not by_key:
        return None
    best = min(by_key, key=lambda k: (k.head not in _EXCLUSIVE, -len(by_key[k]), k.head, sorted(k.portfolio)))
    return best, _pick_display(displays[best])


def _pick_display(counts: Counter[str]) -> str:
    return min(counts, key=lambda d: (-counts[d], not d[:1].isupper(), d))


# --------------------------------------------------------------------------- office terms


def office_terms(
    items: Sequence[tuple[CleanArticle, Extraction]],
    index: EntityIndex,
    independence: Independence | None = None,
) -> tuple[OfficeTerm, ...]:
    """Per person and office, what the corpus states (current / former / incoming / acting) and when."""
    indep = independence or Independence()
    claims = _all_claims(items, index)
    by_person: dict[str, list[_Claim]] = defaultdict(list)
    for c in claims:
        by_person[c.person].append(c)
    names = {e.id: e.name for e in index.entities}
    terms: list[OfficeTerm] = []
    for person, pcs in by_person.items():
        dom = _dominant(pcs)
        groups: dict[tuple[OfficeKey, str], list[_Claim]] = defaultdict(list)
        displays: dict[OfficeKey, Counter[str]] = defaultdict(Counter)
        # fold a less specific form into a more specific attested one ("Minister" -> "Defence Minister")
        distinct = sorted(
            {c.key for c in pcs if c.key is not None},
            key=lambda k: (-len(k.portfolio), k.head, sorted(k.portfolio), sorted(k.restrictive)),
        )
        fold = {
            k: next((o for o in distinct if o.same_office(k) and len(o.portfolio) > len(k.portfolio)), k)
            for k in distinct
        }
        for c in pcs:
            if c.status == "then":
                continue
            if c.key is None and dom is None:
                continue  # "stepped down", "the X administration": of which office, the corpus does not say
            key = fold[c.key if c.key is not None else dom[0]]
            if c.display and c.key == key:
                displays[key][c.display] += 1
            groups[(key, c.status)].append(c)
        for (key, status), gcs in groups.items():
            if key not in displays and dom is not None and fold[dom[0]] == key:
                displays[key][dom[1]] += 1
            display = _pick_display(displays[key]) if displays[key] else key.head.title()
            dates = sorted(d for d in (c.published for c in gcs) if d)
            sources = tuple(dict.fromkeys(c.source for c in gcs))
            terms.append(
                OfficeTerm(
                    person=person,
                    name=names.get(person, person),
                    office=display,
                    status=status,
                    first_seen=dates[0] if dates else None,
                    last_seen=dates[-1] if dates else None,
                    sources=sources,
                    independent=indep.count(sources),
                    citations=tuple(
                        sorted({c.citation for c in gcs}, key=lambda c: (c.source, c.start, c.end))
                    ),
                )
            )
    terms.sort(key=lambda t: (t.name, t.person, t.office, _STATUS_ORDER.get(t.status, 9), t.first_seen or ""))
    return tuple(terms)


# --------------------------------------------------------------------------- role conflicts

_Emit = Callable[[Conflict, Sequence[FlaggedError]], None]
MIN_WINDOW_DAYS = 14  # corroborating sources before and after an erring one: at most this far
AROUND_DAYS = 7  # "around D": sources within a week of the erring one
MAX_EVIDENCE = 8


def _one_per_source(claims: Sequence[_Claim], indep: Independence) -> list[_Claim]:
    """The first claim of each source, origins of copy groups first, then by date."""
    first: dict[str, _Claim] = {}
    for c in sorted(claims, key=lambda c: (c.source, c.citation.start)):
        first.setdefault(c.source, c)
    return sorted(
        first.values(), key=lambda c: (indep.origin(c.source) != c.source, c.published or "~", c.source)
    )


def _side(value: str, claims: Sequence[_Claim], indep: Independence, as_of: str | None = None) -> Side:
    chosen = _one_per_source(claims, indep)[:MAX_EVIDENCE]
    chosen.sort(key=lambda c: (c.published or "~", c.source))
    sources = tuple(dict.fromkeys(c.source for c in chosen))
    return Side(
        value=value,
        citations=tuple(c.citation for c in chosen),
        sources=sources,
        independent=indep.count(sources),
        as_of=as_of,
    )


def _spans_date(claims: Sequence[_Claim], d: str, indep: Independence, window: int) -> bool:
    """Independent sources dated on-or-before and on-or-after ``d``, each within ``window`` days of it (two
    different origins in all), or two independent sources within ``AROUND_DAYS`` of it."""
    dated = []
    for c in claims:
        if c.published:
            gap = _days_between(c.published, d)
            if gap is not None:
                dated.append((c.published[:10], gap, indep.origin(c.source)))
    before = {o for p, gap, o in dated if p <= d and gap <= window}
    after = {o for p, gap, o in dated if p >= d and gap <= window}
    if before and after and len(before | after) >= 2:
        return True
    return len({o for _p, gap, o in dated if gap <= AROUND_DAYS}) >= 2


def _window(items: Sequence[tuple[CleanArticle, Extraction]]) -> int:
    """How far (days) from a source the corroborating sources may be: two weeks, more for a sparse corpus
    (three times the median gap between publication days)."""
    days = sorted({c.article.published[:10] for c, _ in items if c.article.published})
    gaps = sorted(
        g for g in (_days_between(a, b) for a, b in zip(days, days[1:], strict=False)) if g is not None
    )
    median = gaps[len(gaps) // 2] if gaps else 0
    return max(MIN_WINDOW_DAYS, 3 * median)


def _date_range(claims: Sequence[_Claim]) -> str:
    dates = sorted({c.published for c in claims if c.published})
    if not dates:
        return "undated"
    return dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"


def _outlet(items_by_id: dict[str, CleanArticle], aid: str) -> str:
    clean = items_by_id.get(aid)
    if clean is None:
        return aid
    return clean.article.outlet or clean.article.title or aid


def role_conflicts(
    items: Sequence[tuple[CleanArticle, Extraction]],
    index: EntityIndex,
    terms: Sequence[OfficeTerm] = (),
    independence: Independence | None = None,
) -> tuple[tuple[Conflict, ...], tuple[FlaggedError, ...]]:
    """Role conflicts and flagged role errors: sitting officials called "former", outdated "incoming"
    statements, and titles that the rest of the corpus gives to the person differently.

    ``terms`` (from ``office_terms``) is accepted for the orchestrator's data flow; the checks re-read the
    per-citation statements, which carry the dates the terms summarise.
    """
    indep = independence or Independence()
    by_id = {c.article.id: c for c, _ in items}
    claims = _all_claims(items, index)
    by_person: dict[str, list[_Claim]] = defaultdict(list)
    for c in claims:
        by_person[c.person].append(c)
    names = {e.id: e.name for e in index.entities}
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    window = _window(items)

    def emit(conflict: Conflict, errs: Sequence[FlaggedError]) -> None:
        cid = f"x-role-{len(conflicts) + 1}"
        conflicts.append(
            Conflict(
                cid, conflict.kind, conflict.about, conflict.sides, conflict.explanation, conflict.likely
            )
        )
        for e in errs:
            errors.append(
                FlaggedError(
                    f"err-{len(errors) + 1}",
                    e.kind,
                    e.source,
                    e.citation,
                    e.correction,
                    e.evidence,
                    e.why,
                    cid,
                )
            )

    for person in sorted(by_person):
        pcs = by_person[person]
        name = names.get(person, person)
        left = [c for c in pcs if c.kind in ("left", "died")]
        flagged: set[str] = set()  # sources already flagged for this person
        _former_called_current(person, name, pcs, left, indep, by_id, emit, flagged, window)
        _outdated_incoming(person, name, pcs, left, indep, by_id, emit, flagged, window)
        _wrong_office(person, name, pcs, left, indep, by_id, emit, flagged, window)
    return tuple(conflicts), tuple(errors)


def _former_called_current(
    person: str,
    name: str,
    pcs: list[_Claim],
    left: list[_Claim],
    indep: Independence,
    by_id: dict[str, CleanArticle],
    emit: _Emit,
    flagged: set[str],
    window: int,
) -> None:
    formers = [
        c
        for c in pcs
        if c.status == "former" and c.kind == "title" and c.key is not None and c.key.head not in _RANKS
    ]
    if not formers or left:
        return
    done: set[OfficeKey] = set()
    for f in sorted(formers, key=lambda c: (c.published or "~", c.source, c.citation.start)):
        if f.key in done or not f.published:
            continue
        d = f.published[:10]
        dom = _dominant(pcs)
        dom_same = dom is not None and dom[0].same_office(f.key)
        same = [
            c
            for c in pcs
            if (
                c.key.same_office(f.key)
                if c.key is not None
                else dom_same and c.kind in ("led-since", "took-office")
            )
        ]
        current = [
            c
            for c in same
            if c.status == "current"
            and c.kind in ("title", "led-since", "took-office", "appointed")
            and not c.historical
            and indep.origin(c.source) != indep.origin(f.source)
        ]
        former_all = [c for c in same if c.status == "former"]
        cur_ind = indep.count(c.source for c in current)
        for_ind = indep.count(c.source for c in former_all)
        if cur_ind < 2 or cur_ind < 2 * for_ind or not _spans_date(current, d, indep, window):
            if for_ind == 1 and _near(current, d, AROUND_DAYS):  # one source against few: undecided
                done.add(f.key)
                _undecided_former(name, f, former_all, current, indep, by_id, emit)
            continue
        # any source (other than the erring ones) dated after the current claims that says "former" with
        # them breaks the pattern: the change would be real
        done.add(f.key)
        erring = [
            c
            for c in _one_per_source([c for c in former_all if c.published and c.kind == "title"], indep)
            if c.source not in flagged
            and _spans_date(
                [x for x in current if indep.origin(x.source) != indep.origin(c.source)],
                c.published[:10],
                indep,
                window,
            )
        ]
        if not erring:
            continue
        office = _current_office(current, f)
        right = f"{office} {name}".strip()
        wrong_side = _side(f"former {office} {name}".strip(), erring, indep, erring[0].published)
        right_side = _side(right, current, indep)
        before = sorted({c.published for c in current if c.published and c.published[:10] <= d})
        after = sorted({c.published for c in current if c.published and c.published[:10] >= d})
        who = ", ".join(f"{_outlet(by_id, c.source)} ({c.published})" for c in erring)
        explanation = (
            f"{who} call{'s' if len(erring) == 1 else ''} {name} a former {office}, but "
            f"{cur_ind} independent sources dated {_date_range(current)} call "
            f"{name} {office}, and none says {name} left office."
        )
        errs = []
        for e in erring:
            flagged.add(e.source)
            ed = e.published[:10]
            ev_claims = [c for c in current if indep.origin(c.source) != indep.origin(e.source)]
            ev = _side(right, ev_claims, indep)
            b = [x for x in before if x[:10] <= ed]
            a = [x for x in after if x[:10] >= ed]
            timing = []
            if b:
                timing.append(f"before it ({b[0]}" + (f" to {b[-1]})" if len(b) > 1 else ")"))
            if a:
                timing.append(f"after it ({a[0]}" + (f" to {a[-1]})" if len(a) > 1 else ")"))
            why = (
                f'{_outlet(by_id, e.source)} ({ed}) calls {name} "former {office}", but '
                f"{indep.count(c.source for c in ev_claims)} independent sources dated "
                f"{' and '.join(timing) or 'around it'} call "
                f"{name} the sitting {office}, and no source says {name} left office."
            )
            errs.append(FlaggedError("", "role", e.source, e.citation, right, ev.citations, why))
        emit(
            Conflict(
                "",
                "role",
                f"whether {name} is still {office}",
                (wrong_side, right_side),
                explanation,
                likely=1,
            ),
            errs,
        )


def _current_office(current: Sequence[_Claim], former: _Claim) -> str:
    """The office as the sources calling the person its holder write it, else as the "former" claim does."""
    titles = Counter(c.display for c in current if c.display and c.kind == "title")
    return _pick_display(titles) if titles else (former.display or "")


def _near(claims: Sequence[_Claim], d: str, days: int) -> bool:
    """Whether a claim was published at most ``days`` from the day ``d``."""
    return any(c.published and (gap := _days_between(c.published, d)) is not None and gap <= days for c in claims)


def _undecided_former(name: str, f: _Claim, former_all: list[_Claim], current: list[_Claim],
                      indep: Independence, by_id: dict[str, CleanArticle], emit: _Emit) -> None:
    """One source calls ``name`` a former official while another source of the same week calls them the
    sitting one, and nothing says they left: a disagreement, with no side preferred and no error flagged."""
    office = _current_office(current, f)
    erring = _one_per_source([c for c in former_all if c.kind == "title"], indep)
    explanation = (
        f"{', '.join(_outlet(by_id, c.source) for c in erring)} call{'s' if len(erring) == 1 else ''} {name} a "
        f"former {office}, while {', '.join(dict.fromkeys(_outlet(by_id, c.source) for c in current))} "
        f"call{'s' if indep.count(c.source for c in current) == 1 else ''} {name} {office} in the same week; no "
        "source says "
        f"{name} left office, and too few sources say either for one side to be likely."
    )
    emit(Conflict("", "role", f"whether {name} is still {office}",
                  (_side(f"former {office} {name}".strip(), erring, indep, erring[0].published),
                   _side(f"{office} {name}".strip(), current, indep)),
                  explanation, likely=None), [])


def _outdated_incoming(
    person: str,
    name: str,
    pcs: list[_Claim],
    left: list[_Claim],
    indep: Independence,
    by_id: dict[str, CleanArticle],
    emit: _Emit,
    flagged: set[str],
    window: int,
) -> None:
    incoming = [c for c in pcs if c.status == "incoming" and c.published]
    if not incoming:
        return
    dom = _dominant(pcs)
    office = dom[1] if dom else "office"
    found: dict[str, list[tuple[_Claim, list[_Claim], str]]] = {"in office": [], "left": []}
    for inc in _one_per_source(incoming, indep):
        if inc.source in flagged:
            continue
        d = inc.published[:10]
        other = [c for c in pcs if indep.origin(c.source) != indep.origin(inc.source) and c.published]
        if any(c.status == "incoming" and (_days_between(c.published, d) or 0) <= window for c in other):
            continue  # another independent source says so too, around the same time: a real transition

        if inc.key is not None:
            other = [c for c in other if c.key is None or c.key.same_office(inc.key)]
        in_office = [
            c
            for c in other
            if c.status == "current"
            and not c.historical
            and c.kind in ("title", "led-since", "took-office", "appointed")
            and c.published[:10] <= d
        ]
        strict_ind = indep.count(c.source for c in in_office if c.published[:10] < d)
        since = sorted(c.since for c in in_office if c.since and c.since < d[:4])
        gone = [
            c
            for c in other
            if c.published[:10] < d
            and (c.kind in ("left", "died") or (c.status == "former" and c.kind == "title"))
        ]
        where = f"{_outlet(by_id, inc.source)} ({d})"
        if strict_ind >= 2 or (since and in_office):
            n = indep.count(c.source for c in in_office)
            why = (
                f'{where} writes of {name} as about to take office ("{inc.citation.text}"), but '
                f"{n} independent source{'s' if n != 1 else ''} dated {_date_range(in_office)} already "
                f"call {name} {office}" + (f", in office since {since[0]}" if since else "") + "."
            )
            found["in office"].append((inc, in_office, why))
        elif (
            gone
            and (
                indep.count(c.source for c in gone) >= 2
                or any(c.kind in ("left", "died") for c in gone)
                or not any(  # one source says "former", and nobody calls the person current since
                    c.status == "current"
                    and not c.historical
                    and c.published[:10] >= min(g.published[:10] for g in gone)
                    for c in other
                )
            )
        ):
            why = (
                f'{where} writes of {name} as about to take office ("{inc.citation.text}"), but '
                f"sources dated {_date_range(gone)} say {name} has already left office."
            )
            found["left"].append((inc, gone, why))
    for what, cases in found.items():
        if not cases:
            continue
        right = f"{office} {name}" if what == "in office" else f"former {office} {name}"
        evidence = [c for _, ev, _ in cases for c in ev]
        erring = [inc for inc, _, _ in cases]
        right_side = _side(right, evidence, indep)
        value = erring[0].citation.text if len(erring) == 1 else f"incoming {office} {name}"
        wrong = _side(value, erring, indep, erring[0].published)
        who = ", ".join(f"{_outlet(by_id, c.source)} ({c.published})" for c in erring)
        explanation = (
            f"{who} describe{'s' if len(erring) == 1 else ''} {name} as about to take office, while "
            + (
                f"earlier sources show {name} already in office as {office}."
                if what == "in office"
                else f"earlier sources say {name} has already left office."
            )
        )
        errs = []
        for inc, ev, why in cases:
            flagged.add(inc.source)
            errs.append(
                FlaggedError(
                    "", "outdated", inc.source, inc.citation, right, _side(right, ev, indep).citations, why
                )
            )
        about = (
            f"whether {name} has taken office"
            if what == "in office"
            else f"whether {name} is yet to take office"
        )
        emit(Conflict("", "role", about, (wrong, right_side), explanation, likely=1), errs)


def _wrong_office(
    person: str,
    name: str,
    pcs: list[_Claim],
    left: list[_Claim],
    indep: Independence,
    by_id: dict[str, CleanArticle],
    emit: _Emit,
    flagged: set[str],
    window: int,
) -> None:
    if left:
        return
    cur = [
        c
        for c in pcs
        if c.kind == "title"
        and c.status == "current"
        and c.key is not None
        and c.key.head in _EXCLUSIVE
        and c.published
        and not c.historical
    ]
    if len(cur) < 3:
        return
    changes = [c for c in pcs if c.kind == "appointed" or c.status in ("former", "incoming", "acting")]
    groups: dict[OfficeKey, list[_Claim]] = defaultdict(list)
    for c in cur:
        groups[c.key].append(c)
    keys = sorted(
        groups, key=lambda k: (-indep.count(c.source for c in groups[k]), k.head, sorted(k.portfolio))
    )
    # merge compatible forms into the best-attested one
    clusters: list[tuple[OfficeKey, list[_Claim]]] = []
    for k in keys:
        for ck, members in clusters:
            if ck.same_office(k):
                members.extend(groups[k])
                break
        else:
            clusters.append((k, list(groups[k])))
    if len(clusters) < 2:
        return
    major_key, major = clusters[0]
    maj_ind = indep.count(c.source for c in major)
    for k, minor in clusters[1:]:
        if major_key.compatible(k):
            continue
        min_ind = indep.count(c.source for c in minor)
        minor_origins = {indep.origin(c.source) for c in minor}
        major_origins = {indep.origin(c.source) for c in major}
        if maj_ind < 2 or maj_ind <= min_ind or minor_origins & major_origins:
            continue  # a source that uses both titles: the person may hold both
        if any(c.key is not None and (c.key.same_office(k) or c.key.same_office(major_key)) for c in changes):
            continue  # the corpus tells of a change of office: not a plain error
        d = min(c.published[:10] for c in minor)
        if not _spans_date(major, d, indep, window):
            continue
        maj_display = _pick_display(Counter(c.display for c in major if c.display))
        min_display = _pick_display(Counter(c.display for c in minor if c.display))
        wrong = _side(f"{min_display} {name}", minor, indep)
        right = _side(f"{maj_display} {name}", major, indep)
        explanation = (
            f"{min_ind} independent source{'s' if min_ind != 1 else ''} call{'s' if min_ind == 1 else ''} "
            f"{name} {min_display}, while {maj_ind} independent sources dated "
            f"{_date_range(major)} call {name} {maj_display}."
        )
        errs = []
        if maj_ind >= 2 * min_ind:
            for e in _one_per_source(minor, indep):
                if e.source in flagged:
                    continue
                flagged.add(e.source)
                why = (
                    f"{_outlet(by_id, e.source)} ({e.published}) calls {name} {min_display}; "
                    f"{maj_ind} independent sources dated {_date_range(major)} call {name} "
                    f"{maj_display}, and no source tells of a change of office."
                )
                errs.append(
                    FlaggedError(
                        "", "role", e.source, e.citation, f"{maj_display} {name}", right.citations, why
                    )
                )
        emit(Conflict("", "role", f"the office of {name}", (wrong, right), explanation, likely=1), errs)
