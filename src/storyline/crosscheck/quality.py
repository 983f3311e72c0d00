"""Source quality: a 0..1 score per article with cited reasons.

Two kinds of signal, each a ``QualityReason`` with a signed ``effect``, a ``detail`` with numbers and at most
three citations of the words behind it:

* ``text_signals(clean, extraction)`` reads one article alone, with compiled regexes and counts (no parse):
  page furniture removed by the cleaner, garbled text (repeated words, mojibake, sentences cut off
  mid-clause, outlet names spliced into a sentence, misspellings against the rest of the corpus when a
  ``Lexicon`` is given), machine-translation signs (calques and non-native grammar patterns), filler
  phrasing of generated text, attribution (named sources per factual sentence, vague attributions) and
  specificity (dates, figures and named entities per 100 words).
* ``assess_sources(...)`` adds what the other sources say: flagged errors (a strong penalty), conflicts and
  contested claims, claims no other independent source makes (mild, scaled by share: exclusives are not bad
  per se) and copies (no penalty, named).

Score = ``BASE`` + the sum of the effects, clipped to 0..1.  Every effect is a monotone function of one
measurement and saturates at the maximum listed in ``WEIGHTS``, so no single signal decides alone (except a
flagged error, on purpose).  Deterministic: same records, same scores; results are ordered by score desc.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from storyline.errors import StorylineError
from storyline.records import (
    Citation,
    Claim,
    CleanArticle,
    Conflict,
    Extraction,
    FlaggedError,
    Independence,
    QualityReason,
    Quote,
    SourceQuality,
    Statement,
)
from storyline.text import words as split_words

__all__ = [
    "BASE",
    "WEIGHTS",
    "FILLER_PHRASES",
    "MT_PATTERNS",
    "VAGUE_ATTRIBUTION",
    "Lexicon",
    "build_lexicon",
    "text_signals",
    "assess_sources",
    "kendall_tau",
]

# --------------------------------------------------------------------------- weights
#
# One table for every weight.  Score = BASE + sum(effects), clipped to 0..1.  The magnitudes say how much a
# careful reader would move an article for each kind of evidence:
#  * a flagged error is the only thing that proves a source wrong, so it weighs most;
#  * filler, machine translation and garbled text say the text was not written or checked by a reporter:
#    strong, but they need a real density before they saturate (one stock phrase is not a verdict);
#  * attribution and specificity are what good reporting looks like: moderate, positive or negative;
#  * widget text, contested statements and exclusives say little about the reporting itself: mild.
BASE = 0.55
WEIGHTS: dict[str, float] = {
    "furniture": -0.10,  # at FULL["furniture"] of the page being furniture
    "garbled": -0.20,  # at FULL["garbled"] garbled spots per 1,000 words
    "machine-translation": -0.25,  # at FULL["machine-translation"] MT signs per 1,000 words
    "filler": -0.25,  # at FULL["filler"] filler phrases per 1,000 words
    "attribution+": 0.15,  # half the factual sentences attributed, 6+ named sources
    "attribution-": -0.08,  # long factual text with no named source at all
    "vague": -0.04,  # per vague attribution ("according to reports"), capped at VAGUE_CAP
    "specificity+": 0.10,  # dense in dates, figures and names
    "specificity-": -0.10,  # none of them
    "errors": -0.25,  # the first flagged error; each further one adds ERROR_MORE
    "contested-lost": -0.10,  # per conflict where the corpus supports the other side
    "contested-open": 0.0,  # per undecided conflict the source is a side of: listed, not charged (an open
    #                          dispute says nothing about which side is right, and careful reports of it are sides)
    "contested-internal": -0.08,  # per conflict inside the source itself (one figure given two ways)
    "unsupported": -0.04,  # when every factual claim is made by no other independent source (mild: most
    #                         exclusives are original reporting, and claim grouping under-merges paraphrases)
    "copy": 0.0,  # a faithful copy is as good as its origin: named, not penalised
}
ERROR_MORE = -0.10
ERROR_CAP = -0.45
CONTESTED_CAP = -0.25
VAGUE_CAP = -0.12
# Where a signal saturates (reaches its weight).
FULL: dict[str, float] = {
    "furniture": 0.30,  # share of the original characters
    "garbled": 12.0,  # per 1,000 words
    "machine-translation": 20.0,  # per 1,000 words
    "filler": 12.0,  # per 1,000 words
    "attribution": 0.5,  # attributed share of factual sentences
    "named": 6,  # distinct named sources (careful reports quote several)
}
# Below these a signal is not reported (noise floor).
FLOOR: dict[str, float] = {"furniture": 0.03, "garbled": 2, "machine-translation": 2, "filler": 2}
SPECIFIC_LOW, SPECIFIC_HIGH = 3.0, 9.0  # specifics per 100 words: below LOW negative, at HIGH full positive
UNSUPPORTED_FREE = 0.5  # this share of exclusives costs nothing
MAX_CITES = 3

# Cleaner reasons that are normal parts of an article (not page furniture for this signal).
_NEUTRAL_REMOVED = frozenset({"byline", "source credit", "timestamp"})
_REMOVED_ORDER = {"widget": 0, "share/subscribe": 1, "advertisement": 2, "navigation": 3}

# --------------------------------------------------------------------------- phrase tables

_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

# Filler phrasing typical of generated or padded text: (label, regex).  Case-insensitive.
FILLER_PHRASES: tuple[tuple[str, str], ...] = (
    ("in today's ... world", r"\bin today['’]s\s+(?:[\w-]+\s+){0,2}(?:world|age|era|landscape|society)\b"),
    ("it is worth noting", r"\bit(?:\s+is|['’]s)\s+(?:also\s+)?worth\s+(?:noting|mentioning|remembering)\b"),
    ("it is important to ...", r"\bit(?:\s+is|['’]s)\s+(?:important|crucial|essential|vital)\s+to\s+"
                               r"(?:note|understand|remember|recognize|recognise|keep in mind|consider)\b"),
    ("plays a crucial role", r"\bplay(?:s|ed|ing)?\s+a\s+(?:crucial|vital|pivotal)\s+role\b"),
    ("a testament to", r"\ba\s+testament\s+to\b"),
    ("navigating the complexities", r"\bnavigat(?:e|es|ing)\s+the\s+complexit(?:y|ies)\b"),
    ("in conclusion", r"\bin\s+(?:conclusion|summary)\b|\bto\s+sum\s+(?:it\s+)?up\b"),
    ("delve", r"\bdelv(?:e|es|ing)\b"),
    ("as the situation unfolds", r"\bas\s+the\s+situation\s+(?:unfolds|continues\s+to\s+(?:unfold|evolve)|evolves)\b"),
    ("only time will tell", r"\bonly\s+time\s+will\s+tell\b"),
    ("what the future holds", r"\bwhat\s+the\s+future\s+(?:holds|may\s+hold|will\s+bring)\b"),
    ("stay tuned", r"\bstay\s+tuned\b"),
    ("everything you need to know", r"\beverything\s+you\s+need\s+to\s+know\b"),
    ("key takeaways", r"\bkey\s+takeaways?\b"),
    ("ever-evolving landscape", r"\bever[- ](?:evolving|changing)\b|\b(?:constantly|rapidly)\s+evolving\b"),
    ("rich tapestry", r"\btapestry\b"),
    ("it goes without saying", r"\bit\s+goes\s+without\s+saying\b"),
    ("double-edged sword", r"\bdouble[- ]edged\s+sword\b"),
    ("making headlines", r"\bmaking\s+headlines\b"),
    ("strong opinions", r"\b(?:many|some)\s+people\s+have\s+(?:strong|different|mixed)\s+(?:opinions|views|feelings)\b"),
    ("this simple guide", r"\b(?:this|our)\s+(?:simple|comprehensive|handy|ultimate|quick)\s+guide\b"),
    ("let's dive in", r"\blet['’]s\s+(?:dive|take\s+a\s+(?:closer\s+)?look)\b|\bdive\s+(?:deep\s+)?into\b"),
    ("underscores the importance", r"\bunderscor(?:e|es|ing)\s+the\s+(?:importance|need)\b"),
    ("is always an important tool", r"\balways\s+an?\s+(?:important|essential|key)\s+(?:tool|factor|part)\b"),
    ("complex and evolving", r"\b(?:complex|complicated)\s+and\s+(?:constantly\s+|ever[- ])?(?:evolving|changing)\b"),
    ("serves as a reminder", r"\bserves?\s+as\s+a\s+(?:stark\s+|powerful\s+|poignant\s+)?reminder\b"),
    ("in the realm of", r"\bin\s+the\s+realm\s+of\b"),
    ("multifaceted", r"\bmultifaceted\b"),
    ("a pivotal moment", r"\ba\s+pivotal\s+moment\b"),
    ("broader implications", r"\b(?:broader|wider|far-reaching)\s+implications\b"),
    ("raises important questions", r"\braises?\s+(?:important|critical|serious)\s+questions\b"),
    ("stay informed", r"\bstay\s+informed\b|\bthis\s+developing\s+story\b"),
    ("fostering dialogue", r"\bfoster(?:s|ing)?\s+(?:dialogue|collaboration|understanding)\b"),
    ("it is essential to", r"\bit\s+is\s+essential\s+(?:to|that|for)\b"),
)

# Lower-case function words of other languages that are not English words: left untranslated.
_FOREIGN = ("und", "nicht", "auch", "avec", "dans", "sont", "très", "también", "porque", "muy", "della", "molto",
            "niet", "bardzo", "oraz", "também", "não", "estão", "że", "когда", "что")

# Machine-translation / non-native grammar signs: (label, regex).  Case-sensitive where capitals matter.
MT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("present perfect with a past time",
     rf"\bha(?:s|ve)\s+(?!been\b|got\b|to\b)[a-z]+(?:ed|en|wn|ne|de|id|ld|lt|nt|ot|pt|st|ght)\s+"
     rf"(?:on\s+|last\s+)?(?:{_DAYS}|yesterday)\b(?!['’]s)"),
    ("'on next/last' + day", rf"\b[Oo]n\s+(?:next|last)\s+{_DAYS}\b(?!['’]s)"),
    ("'since' + a duration",
     r"\b[Ss]ince\s+(?:many|several|some|few|a\s+few|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
     r"(?:days|weeks|months|years|hours)\b"),
    ("progressive with 'since'", r"\b(?:is|are|am)\s+[a-z]+ing\s+since\b"),
    ("'which' for people",
     r"\b(?:people|persons|relatives|families|children|men|women|man|woman|residents|victims|fishermen|"
     r"soldiers|sailors|officials|protesters|workers|citizens|journalists|doctors|fighters|civilians|"
     r"survivors|passengers|someone|fisherman|mother|father|son|daughter)\s+which\b"),
    ("wrong preposition",
     r"\bparticipat(?:e|es|ed|ing)\s+to\b|\benter(?:s|ed|ing)?\s+in\s+force\b|\bin\s+the\s+begin\b|"
     r"\b(?:told|tell|tells|telling|said|says)\s+to\s+(?:our|his|her|their|my|your)\s+(?:newspaper|journal|"
     r"radio|channel|agency|reporter|correspondent|paper)\b|\bhas\s+told\s+to\b"),
    ("negation word order", r"\b(?:I|[Ww]e|[Yy]ou|[Tt]hey|[Hh]e|[Ss]he|[Ii]t)\s+not\s+(?:are|is|am|was|were|have|has|will|can)\b"),
    ("question without auxiliary",
     r"Wh(?:at|y|ere|en)\s+(?:we|they|you|he|she|I)\s+(?:have|has|are|is|must|can|want|need)\b[^.?!\n]{0,60}\?"),
    ("question without auxiliary",
     r"How\s+(?:we|they|you|he|she|I)\s+(?:have|has|are|is|must|can|want|need)\b[^.?!\n]{0,60}\?"),
    ("adjective for adverb",
     r"\b(?:know|knows|knew|work|works|worked|speak|speaks|spoke|do|does|did)\s+very\s+(?:good|bad)\s+"
     r"(?:the|a|an|this|that|our|their|his|her)\b|\bmore\s+(?:slow|quick|fast|hard|big|small|strong|weak|"
     r"cheap|long|short|high|low|old|young|near|late|early|heavy|light|soon)\s+than\b"),
    ("wrong plural",
     r"\b(?:fisher|police|chair|spokes|business|sales|gun|congress|country|fire|sea|work|crafts|trades|"
     r"camera|sports|clergy|anchor|watch|boat|ferry|tax|post|lay|mail|door|weather|jury)mans\b|"
     r"\b(?:informations|advices|equipments|furnitures|knowledges|feedbacks|luggages|baggages|homeworks|deads)\b"),
    ("'persons' for people", r"\b\d[\d,.]*\s+persons\b"),
    ("article before a month", rf"\b(?:since|before|after|until|during)\s+the\s+(?:{_MONTHS}|Christmas|Easter)\b"
                               r"(?=\s*[.,;!?]|\s+(?:and|but|or)\b)"),
    ("subject-verb agreement", r"\b(?:[Tt]hey|[Ww]e)\s+was\b"),
    ("subject-verb agreement", r"The\s+[a-z]{3,}ers\s+was\b"),
    ("resumptive pronoun", r"Who\s+[a-z]+s\b[^.?!\n]{0,60},\s+(?:he|she|they)\s+[a-z]+"),
    ("untranslated word", r"\b(?:" + "|".join(_FOREIGN) + r")\b"),
)

# Vague attributions: the source of a fact is not named.
VAGUE_ATTRIBUTION: tuple[tuple[str, str], ...] = (
    ("according to reports", r"\baccording\s+to\s+(?:some\s+|media\s+|local\s+|unconfirmed\s+)?reports\b"),
    ("experts say", r"\b(?:experts|observers|many)\s+(?:say|believe|agree|think|warn)\b"),
    ("reportedly", r"\breportedly\b"),
    ("it is said", r"\bit\s+(?:is|has\s+been)\s+(?:said|reported|believed|claimed)\s+that\b"),
    ("some say", r"\bsome\s+(?:say|believe|argue|claim)\b"),
)

# News outlets whose names, spliced into a sentence as if they were an actor, betray scraped or spun text.
_OUTLETS = (
    "Reuters", "Associated Press", "AFP", "Agence France-Presse", "Al Jazeera", "BBC", "CNN", "Bloomberg",
    "The Guardian", "The New York Times", "New York Times", "The Washington Post", "Washington Post",
    "Fox News", "NBC News", "CBS News", "ABC News", "Sky News", "Deutsche Welle", "France 24", "Euronews",
    "Xinhua", "TASS", "RIA Novosti", "Anadolu", "NPR", "Politico", "Axios", "The Telegraph", "The Independent",
)

_FLAGS = re.IGNORECASE
_PRONOUN_SET = frozenset(("i", "we", "you", "they", "he", "she", "it"))
_MODALS = frozenset(("will", "would", "could", "might", "may", "can", "should", "must", "shall"))
_VAGUE_SPEAKERS = frozenset(("experts", "reports", "observers", "some", "many", "time", "people", "everyone"))
_DAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_WORDS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "christmas", "easter")
# Speed: a regex runs only on texts (lower-cased) that contain one of its label's anchors; scanning a text
# with 50 word-boundary regexes costs more than the rest of the stage.
_PEOPLE = ("people", "persons", "relatives", "families", "children", "men", "women", "man", "woman", "residents",
           "victims", "fishermen", "soldiers", "sailors", "officials", "protesters", "workers", "citizens",
           "journalists", "doctors", "fighters", "civilians", "survivors", "passengers", "someone", "fisherman",
           "mother", "father", "son", "daughter")
_PRONOUNS = ("i", "we", "you", "they", "he", "she", "it")
_COMPARE = ("slow", "quick", "fast", "hard", "big", "small", "strong", "weak", "cheap", "long", "short", "high", "low",
            "old", "young", "near", "late", "early", "heavy", "light", "soon")
_ANCHORS: dict[str, tuple[str, ...]] = {
    "in today's ... world": ("*today",), "it is worth noting": ("worth",),
    "it is important to ...": ("important to", "crucial to", "essential to", "vital to"),
    "plays a crucial role": ("role",), "a testament to": ("testament",), "navigating the complexities": ("*complexit",),
    "in conclusion": ("conclusion", "summary", "sum up", "sum it up"), "delve": ("*delv",),
    "as the situation unfolds": ("the situation",), "only time will tell": ("time will tell",),
    "what the future holds": ("the future",), "stay tuned": ("tuned",), "everything you need to know": ("need to know",),
    "key takeaways": ("*takeaway",), "ever-evolving landscape": ("*ever-evolving", "*ever-changing", "ever evolving",
                                                                 "ever changing", "*ly evolving"),
    "rich tapestry": ("tapestry",), "it goes without saying": ("without saying",), "double-edged sword": ("*edged",),
    "making headlines": ("headlines",), "strong opinions": ("people have",), "this simple guide": ("guide",),
    "let's dive in": ("dive", "*let's take", "*let’s take"), "underscores the importance": ("*underscor",),
    "is always an important tool": ("always an", "always a"), "complex and evolving": ("complex and", "complicated and"),
    "serves as a reminder": ("reminder",), "in the realm of": ("realm",), "multifaceted": ("multifaceted",),
    "a pivotal moment": ("pivotal",), "broader implications": ("implications",),
    "raises important questions": ("questions",), "stay informed": ("informed", "developing story"),
    "fostering dialogue": ("*foster",), "it is essential to": ("essential",),
    "present perfect with a past time": _DAY_WORDS + ("yesterday",), "'on next/last' + day": ("on next", "on last"),
    "'since' + a duration": tuple(f"since {w}" for w in ("many", "several", "some", "few", "a few", "two", "three",
                                                         "four", "five", "six", "seven", "eight", "nine", "ten"))
    + tuple(f"since {d}" for d in "0123456789"),
    "progressive with 'since'": ("*ing since",), "'which' for people": tuple(f"{p} which" for p in _PEOPLE),
    "wrong preposition": ("*participat", "in force", "the begin", "told to", "tell to", "tells to", "said to",
                          "says to", "telling to"),
    "negation word order": tuple(f"{p} not " for p in _PRONOUNS),
    "adjective for adverb": ("very good", "very bad") + tuple(f"more {a} than" for a in _COMPARE),
    "wrong plural": ("*mans", "informations", "advices", "equipments", "furnitures", "knowledges", "feedbacks",
                     "luggages", "baggages", "homeworks", "deads"),
    "'persons' for people": ("persons",), "article before a month": tuple(f"the {m}" for m in _MONTH_WORDS),
    "subject-verb agreement": ("they was", "we was", "*ers was"), "untranslated word": _FOREIGN,
    "according to reports": ("to reports", "to some reports", "to media reports", "to local reports",
                             "to unconfirmed reports"),
    "experts say": tuple(f"{a} {b}" for a in ("experts", "observers", "many")
                         for b in ("say", "believe", "agree", "think", "warn")),
    "reportedly": ("reportedly",),
    "it is said": tuple(f"{a} {b} that" for a in ("it is", "it has been") for b in ("said", "reported", "believed", "claimed")),
    "some say": ("some say", "some believe", "some argue", "some claim"),
}


def _anchor_check(anchors: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(words, substring): an anchor is present when all its words are words of the text and (for phrases)
    the phrase is a substring; "*"-marked fragments ("*ers was", "*delv") are only looked for as substrings."""
    out = []
    for a in anchors:
        if a.startswith("*"):
            out.append(((), a[1:]))
        else:
            # longest word first: the rarest, so the check fails fast
            words = tuple(sorted(set(split_words(a)), key=lambda w: (-len(w), w)))
            out.append((words, a if len(words) > 1 else ""))
    return tuple(out)


_Row = tuple[str, re.Pattern[str], tuple[tuple[tuple[str, ...], str], ...], frozenset[str]]


def _compile(table: Iterable[tuple[str, str]], flags: int = 0) -> tuple[_Row, ...]:
    # A leading word boundary stops the regex engine's fast scan for a literal prefix; it is checked after the
    # match instead (``_table_hits``).
    out = []
    for label, rx in table:
        anchors = _anchor_check(_ANCHORS.get(label, ()))
        # gate: a text with none of these words has none of the anchors (unless one is a "*" fragment)
        gate = frozenset() if any(not ws for ws, _ in anchors) else frozenset(ws[0] for ws, _ in anchors)
        plain = rx[2:] if rx.startswith(r"\b") and "|" not in rx.split(")", 1)[-1] else rx
        out.append((label, re.compile(plain, flags), anchors, gate))
    return tuple(out)


_FILLER_RX = _compile(FILLER_PHRASES, _FLAGS)
_MT_RX = _compile(MT_PATTERNS, re.MULTILINE)
_VAGUE_RX = _compile(VAGUE_ATTRIBUTION, _FLAGS)
_OUTLETS_LOW = tuple(o.lower() for o in _OUTLETS)
_PLURAL = {"repeated word": "repeated words", "sentence cut off": "sentences cut off", "misspelling": "misspellings",
           "outlet name spliced in": "outlet names spliced in"}


def _word_set(low: str) -> set[str]:
    """The distinct words of a (lower-cased) text, ``storyline.text.words``."""
    return set(split_words(low))


def _lower_words(text: str, min_len: int) -> set[str]:
    """Distinct all-lower-case ASCII words of at least ``min_len`` letters (hyphenated words count as their
    parts: "well-known" gives "known")."""
    return {p for w in set(split_words(text)) for p in w.split("-")
            if len(p) >= min_len and p.isascii() and p.isalpha() and p.islower()}

_REPEAT_OK = frozenset({"had", "that", "very", "so", "no", "ha", "bye", "far", "more", "many", "really", "is", "tsk",
                        "etc", "tut", "yes", "well", "knock", "tweet", "blah", "bla", "la", "go", "never", "again"})
_MOJIBAKE = re.compile("\ufffd|Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]")
# A sentence that ends on one of these words ("... because of the.") was cut off mid-clause.
_CUT_WORDS = frozenset(("the", "a", "an", "and", "or", "but", "of", "whose", "its", "their", "our", "your", "my"))
_CUT_OPEN = re.compile(r"\b(?:the|a|an|and|or|but|of|whose|its|their|our|your|my|than|with|from|to)\W*$", re.IGNORECASE)
_TERMINAL = frozenset(".!?\"”“'’‘:;)…*]")
_CAPWORD = re.compile(r"\b[A-Z][\w'’-]*")  # capitalised words only: a pattern, not the tokenizer
# Feelings an outlet cannot have: "that has alarmed Al Jazeera" is a name pasted over the real object.
_FEELINGS = frozenset((
    "alarmed", "worried", "concerned", "angered", "surprised", "shocked", "frightened", "outraged", "stunned",
    "troubled", "pleased", "delighted", "dismayed", "upset", "irked", "rattled", "unsettled", "spooked",
    "angered", "terrified", "horrified", "saddened", "encouraged", "relieved", "disappointed", "frustrated",
))
_SPLICE_RX = re.compile(
    r"\b(?:" + "|".join(sorted(_FEELINGS)) + r")\s+(?P<outlet>"
    + "|".join(re.escape(o) for o in sorted(_OUTLETS, key=len, reverse=True)) + r")\b"
)
_PARA = re.compile(r"[^\n]+(?:\n[^\n]+)*")


# --------------------------------------------------------------------------- corpus lexicon (misspellings)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Lower-case words of a corpus with how many independent sources use each, and a 1-deletion index of
    the words several sources share: enough to spot a misspelling one source makes of a word others use."""

    sources: dict[str, int]
    deletions: dict[str, tuple[str, ...]]

    def correction(self, word: str) -> str | None:
        """The common word ``word`` misspells (one letter added, dropped or changed inside the word), or None."""
        if len(word) < 6 or self.sources.get(word, 0) > 1:
            return None
        cands: set[str] = set(self.deletions.get(word, ()))  # a letter dropped: goverment < government
        dels = _deletes(word)
        for d in dels:
            if self.sources.get(d, 0) >= 2 and len(d) >= 5:
                cands.add(d)  # a letter added
            cands.update(self.deletions.get(d, ()))  # a letter changed: negociations ~ negotiations
        best = None
        for c in sorted(cands):
            if c != word and _typo_like(word, c) and (best is None or self.sources[c] > self.sources[best]):
                best = c
        return best


def _typo_like(word: str, right: str) -> bool:
    """An interior one-letter edit that is not a known spelling variant or inflection."""
    p = 0
    while p < min(len(word), len(right)) and word[p] == right[p]:
        p += 1
    s = 0
    while s < min(len(word), len(right)) - p and word[-1 - s] == right[-1 - s]:
        s += 1
    if p < 2 or s < 3:
        return False  # edits at the ends are inflections or variants (boat/boats, centre/center)
    a, b = word[p:len(word) - s], right[p:len(right) - s]
    pair = frozenset((a, b))
    if pair in ({"s", "z"}, {"c", "s"}, {"e", "o"}, {"a", "e"}, {"e", "i"}):
        return False  # organise/organize, defence/defense, protesters/protestors, ...
    for x, y in ((a, b), (b, a)):  # a doubled letter or a British "u": travelling/traveling, harbour/harbor
        if not x and len(y) == 1:
            full = right if len(right) > len(word) else word
            i = p
            if (i > 0 and full[i - 1] == y) or (i + 1 < len(full) and full[i + 1] == y) or y == "u":
                return False
    return True


def build_lexicon(items: Sequence[tuple[CleanArticle, Extraction]], independence: Independence | None = None) -> Lexicon:
    """Count in how many independent sources each lower-case word occurs (one copy group counts once)."""
    per_word: dict[str, set[str]] = defaultdict(set)
    for clean, _ext in items:
        origin = independence.origin(clean.article.id) if independence else clean.article.id
        for w in _lower_words(clean.text, 5):
            per_word[w].add(origin)
    sources = {w: len(s) for w, s in per_word.items()}
    dels: dict[str, list[str]] = defaultdict(list)
    for w, n in sources.items():
        if n >= 2 and len(w) >= 6:
            for d in _deletes(w):
                dels[d].append(w)
    return Lexicon(sources, {d: tuple(sorted(ws)) for d, ws in dels.items()})


# --------------------------------------------------------------------------- helpers


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _quote(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= n else text[: n - 1] + '…'}'"


def _ramp(x: float, full: float) -> float:
    """0 at x=0, 1 at x>=full, linear between (monotone)."""
    if full <= 0:
        return 1.0
    return max(0.0, min(1.0, x / full))


def _paragraph_sentences(clean: CleanArticle, extraction: Extraction) -> list[tuple[int, int]]:
    """The parser's sentences split on blank lines (spaCy glues a headline to the next sentence)."""
    out: list[tuple[int, int]] = []
    text = clean.text
    spans = [(s.start, s.end) for s in extraction.sentences] or [(m.start(), m.end()) for m in _PARA.finditer(text)]
    for start, end in spans:
        pos = start
        while True:
            cut = text.find("\n\n", pos, end)
            if cut < 0:
                piece = (pos, end)
                break
            out.append((pos, cut))
            pos = cut + 2
        out.append(piece)
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in out) if e > s]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _cites(clean: CleanArticle, spans: Iterable[tuple[int, int]]) -> tuple[Citation, ...]:
    out: list[Citation] = []
    seen: set[tuple[int, int]] = set()
    for s, e in spans:
        if (s, e) in seen or e <= s:
            continue
        seen.add((s, e))
        c = clean.cite(s, e)
        if c.text.strip():
            out.append(c)
        if len(out) >= MAX_CITES:
            break
    return tuple(out)


def _word_count(clean: CleanArticle, extraction: Extraction) -> int:
    return extraction.words or len(split_words(clean.text))


# --------------------------------------------------------------------------- single-article signals


def _furniture(clean: CleanArticle) -> QualityReason | None:
    article = clean.article
    total = len(article.text)
    lines = [r for r in clean.removed if r.reason not in _NEUTRAL_REMOVED]
    if not total or not lines:
        return None
    share = min(1.0, sum(r.end - r.start for r in lines) / total)
    if share < FLOOR["furniture"]:
        return None
    kinds = Counter(r.reason for r in lines)
    ordered = sorted(lines, key=lambda r: (_REMOVED_ORDER.get(r.reason, 9), r.start))[:MAX_CITES]
    cites = tuple(Citation(article.id, r.start, r.end, article.text[r.start:r.end]) for r in ordered)
    effect = WEIGHTS["furniture"] * _ramp(share, FULL["furniture"])
    what = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    example = _quote(ordered[0].text, 40) if ordered else ""
    detail = f"{_pct(share)} of the page is page furniture ({len(lines)} lines: {what}), e.g. {example}"
    return QualityReason("furniture", round(effect, 4), detail, cites)


def _garbled(clean: CleanArticle, extraction: Extraction, sentences: list[tuple[int, int]],
             lexicon: Lexicon | None, words: int) -> QualityReason | None:
    text = clean.text
    found: list[tuple[str, int, int]] = []  # (kind, start, end)
    low = text.lower()
    toks = low.split()
    doubled = {a for a, b in zip(toks, toks[1:], strict=False) if a == b and a.isalpha() and a not in _REPEAT_OK}
    for w in sorted(doubled):
        for m in re.finditer(rf"\b{re.escape(w)}\s+{re.escape(w)}\b", text, re.IGNORECASE):
            found.append(("repeated word", m.start(), m.end()))
    for m in _MOJIBAKE.finditer(text):
        s, e = max(0, m.start() - 10), min(len(text), m.end() + 10)
        found.append(("mojibake", s, e))
    first_para_end = text.find("\n\n")
    for s, e in sentences:
        sent = text[s:e]
        para_end = e >= len(text) or text.startswith("\n\n", e)
        tail = sent[-24:].split()
        cut = sent[-1] in ".!?" and bool(tail) and tail[-1].rstrip(".!?").lower() in _CUT_WORDS
        if not cut and para_end and s > first_para_end >= 0 and sent[-1] not in _TERMINAL:
            # a paragraph (not the headline) that stops without punctuation after a lower-case word, or in
            # the middle of a phrase ("... than the"); title-case lines are headings
            n = len(sent.split())
            last = sent.split()[-1] if n else ""
            cut = (n >= 10 and last[:1].islower() and len(_CAPWORD.findall(sent)) < n / 2
                   and not sent.startswith(("#", "-", "*", "•")) and (e < len(text) or _CUT_OPEN.search(sent)))
        if cut:
            found.append(("sentence cut off", s, e))
    outlet = (clean.article.outlet or "").strip().lower()
    if any(o in low for o in _OUTLETS_LOW) and any(f in low for f in _FEELINGS):
        for m in _SPLICE_RX.finditer(text):
            if not (outlet and m.group("outlet").lower() in outlet):
                found.append(("outlet name spliced in", m.start(), m.end()))
    typos: list[tuple[str, str]] = []
    if lexicon is not None:
        for w in sorted(_lower_words(text, 6)):
            right = lexicon.correction(w)
            if right is None:
                continue
            typos.append((w, right))
            for m in re.finditer(rf"\b{re.escape(w)}\b", text):
                found.append(("misspelling", m.start(), m.end()))
    if not found:
        return None
    rate = 1000 * len(found) / max(words, 1)
    if len(found) < FLOOR["garbled"]:
        return None
    kinds = Counter(k for k, _, _ in found)
    found.sort(key=lambda f: f[1])
    # Cite one example of each kind first.
    firsts = [next(f for f in found if f[0] == k) for k in sorted(kinds, key=lambda k: -kinds[k])]
    cites = _cites(clean, [(s, e) for _, s, e in firsts + found])
    what = ", ".join(f"{n} {_PLURAL.get(k, k) if n > 1 else k}"
                     for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    detail = f"{len(found)} garbled spots ({what}; {rate:.1f} per 1,000 words)"
    if typos:
        detail += "; e.g. " + ", ".join(f"'{w}' where other sources write '{r}'" for w, r in typos[:2])
    effect = WEIGHTS["garbled"] * _ramp(rate, FULL["garbled"])
    return QualityReason("garbled", round(effect, 4), detail, cites)


def _table_hits(text: str, table: tuple[_Row, ...],
                lower: str | None = None, tokens: set[str] | None = None) -> list[tuple[str, int, int]]:
    low = text.lower() if lower is None else lower
    toks = _word_set(low) if tokens is None else tokens
    hits = [(label, m.start(), m.end()) for label, rx, anchors, gate in table
            if not anchors or (not (gate and toks.isdisjoint(gate))
                               and any(all(w in toks for w in ws) and (not a or a in low) for ws, a in anchors))
            for m in rx.finditer(text)
            if not (m.start() and text[m.start() - 1].isalnum() and text[m.start()].isalnum())]
    hits.sort(key=lambda h: (h[1], h[2]))
    out: list[tuple[str, int, int]] = []
    for h in hits:  # overlapping hits are one sign
        if not out or h[1] >= out[-1][2]:
            out.append(h)
    return out


def _from_table(clean: CleanArticle, kind: str, hits: list[tuple[str, int, int]], words: int,
                noun: str) -> QualityReason | None:
    if len(hits) < FLOOR[kind]:
        return None
    rate = 1000 * len(hits) / max(words, 1)
    labels = Counter(h[0] for h in hits)
    firsts = [next(h for h in hits if h[0] == lab) for lab in sorted(labels, key=lambda k: (-labels[k], k))]
    cites = _cites(clean, [(s, e) for _, s, e in firsts])
    what = ", ".join(f"{lab} ×{n}" if n > 1 else lab for lab, n in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])))
    detail = f"{len(hits)} {noun} ({rate:.1f} per 1,000 words): {what}"
    effect = WEIGHTS[kind] * _ramp(rate, FULL[kind])
    return QualityReason(kind, round(effect, 4), detail, cites)


def _speaker_cue(q: Quote) -> tuple[int, int]:
    """The words that attribute a quote: speaker and cue when both are close, else the speaker, else the sentence."""
    if q.speaker is not None and q.cue is not None:
        s, e = min(q.speaker.start, q.cue.start), max(q.speaker.end, q.cue.end)
        if e - s <= 120:
            return s, e
    if q.speaker is not None:
        return q.speaker.start, q.speaker.end
    return q.sentence.start, q.sentence.end


def _attribution(clean: CleanArticle, extraction: Extraction, sentences: list[tuple[int, int]], low: str,
                 toks: set[str]) -> QualityReason | None:
    text = clean.text
    # Factual sentences: those with a figure, a resolved date or a named entity.
    anchors = sorted(
        [f.span.start for f in extraction.figures]
        + [d.span.start for d in extraction.dates if d.value[:1].isdigit()]
        + [m.span.start for m in extraction.mentions if m.kind == "name"]
    )

    def has_anchor(s: int, e: int) -> bool:
        i = bisect.bisect_left(anchors, s)
        return i < len(anchors) and anchors[i] < e

    factual = [(s, e) for s, e in sentences if has_anchor(s, e)]
    named_quotes = [q for q in extraction.quotes if q.speaker_key]
    named = sorted({q.speaker_key for q in named_quotes if q.speaker_key})
    # Attributed: a named speaker, or an unnamed but specific one ("hospital officials said", "according to a
    # navy transcript"); not a vague one ("experts say") nor a modal cue mistaken for speech ("time will tell").
    cited = [q for q in extraction.quotes if q.speaker_key or (
        q.speaker is not None and q.cue is not None
        and q.cue.text.split()[0].lower() not in _MODALS
        and not _VAGUE_SPEAKERS.intersection(q.speaker.text.lower().split()))]
    q_spans = sorted((q.sentence.start, q.sentence.end) for q in cited)

    def attributed(s: int, e: int) -> bool:
        return any(qs < e and s < qe for qs, qe in q_spans)

    att = [(s, e) for s, e in factual if attributed(s, e)]
    vague = _table_hits(text, _VAGUE_RX, low, toks)
    if not factual and not vague:
        return None
    share = len(att) / len(factual) if factual else 0.0
    strength = _ramp(share, FULL["attribution"]) * _ramp(len(named), FULL["named"])
    if strength > 0:
        effect = WEIGHTS["attribution+"] * strength
    elif len(factual) >= 4:
        effect = WEIGHTS["attribution-"]
    else:
        effect = 0.0
    effect += max(VAGUE_CAP, WEIGHTS["vague"] * len(vague))
    detail = (f"{len(att)} of {len(factual)} factual sentences ({_pct(share)}) are attributed to a source; "
              f"{len(named)} named source{'' if len(named) == 1 else 's'} quoted")
    if named:
        detail += f" ({', '.join(named[:4])}{', ...' if len(named) > 4 else ''})"
    if vague:
        labels = Counter(v[0] for v in vague)
        detail += "; " + f"{len(vague)} vague attributions (" + ", ".join(
            f"{lab} ×{n}" if n > 1 else lab for lab, n in sorted(labels.items())) + ")"
    if vague:
        spans = [(s, e) for _, s, e in vague]  # the vague attributions themselves
    elif effect < 0:
        spans = [f for f in factual if f not in att]  # factual sentences attributed to nobody
    else:
        # "said Tomas Hale", "according to Mayor Orla Fenwick": speakers named in the text first (not "she said")
        by_name = sorted(named_quotes, key=lambda q: (not (q.speaker and q.speaker.text[:1].isupper()
                                                           and q.speaker.text.lower() not in _PRONOUN_SET),
                                                      q.content.start))
        spans = [_speaker_cue(q) for q in by_name]
    return QualityReason("attribution", round(effect, 4), detail, _cites(clean, spans))


def _specificity(clean: CleanArticle, extraction: Extraction, words: int) -> QualityReason | None:
    if words < 40:
        return None
    dates = [d for d in extraction.dates if d.type == "DATE" and d.value[:1].isdigit() and d.rule != "day-word"]
    figures = list(extraction.figures)
    names: dict[str, tuple[int, int]] = {}
    for m in extraction.mentions:
        if m.kind == "name" and m.key not in names:
            names[m.key] = (m.span.start, m.span.end)
    n = len(dates) + len(figures) + len(names)
    per100 = 100 * n / words
    if per100 >= SPECIFIC_LOW:
        effect = WEIGHTS["specificity+"] * _ramp(per100 - SPECIFIC_LOW, SPECIFIC_HIGH - SPECIFIC_LOW)
    else:
        effect = WEIGHTS["specificity-"] * (1 - per100 / SPECIFIC_LOW)
    detail = (f"{per100:.1f} specifics per 100 words: {_n(len(dates), 'date')}, {_n(len(figures), 'figure')}, "
              f"{len(names)} named people, organisations and places in {words} words")
    spans = [(f.span.start, f.span.end) for f in figures[:1]] + [(d.span.start, d.span.end) for d in dates[:1]] \
        + list(names.values())[:1]
    return QualityReason("specificity", round(effect, 4), detail, _cites(clean, spans))


def text_signals(clean: CleanArticle, extraction: Extraction, *, lexicon: Lexicon | None = None) -> tuple[QualityReason, ...]:
    """Quality signals of one article alone (cheap: regexes and counts, no parse).  ``lexicon`` (from
    ``build_lexicon`` over the story) adds misspellings of words other sources spell right."""
    words = _word_count(clean, extraction)
    sentences = _paragraph_sentences(clean, extraction)
    text = clean.text
    low = text.lower()
    toks = _word_set(low)
    reasons = [
        _furniture(clean),
        _garbled(clean, extraction, sentences, lexicon, words),
        _from_table(clean, "machine-translation", _table_hits(text, _MT_RX, low, toks), words,
                    "machine-translation signs"),
        _from_table(clean, "filler", _table_hits(text, _FILLER_RX, low, toks), words, "filler phrases"),
        _attribution(clean, extraction, sentences, low, toks),
        _specificity(clean, extraction, words),
    ]
    return tuple(r for r in reasons if r is not None)


# --------------------------------------------------------------------------- cross-source signals


def _error_reason(errs: list[FlaggedError]) -> QualityReason | None:
    if not errs:
        return None
    effect = max(ERROR_CAP, WEIGHTS["errors"] + ERROR_MORE * (len(errs) - 1))
    parts = [f"{_quote(e.citation.text, 50)} ({e.kind}; the other sources say: {e.correction})" for e in errs[:3]]
    detail = f"{len(errs)} statement{'s' if len(errs) > 1 else ''} flagged as probably wrong: " + "; ".join(parts)
    return QualityReason("errors", round(effect, 4), detail, tuple(e.citation for e in errs[:MAX_CITES]))


@lru_cache(maxsize=65_536)
def _spaced(text: str) -> str:
    """``text`` with its white space normalised (cached: a copy group's citations are checked once per copy)."""
    return " ".join(text.split())


def _repeated(clean: CleanArticle, side_cites: Iterable[Citation],
              may_hold: Callable[[str], bool] | None = None) -> Citation | None:
    """Where a copy repeats one of its origin's cited words (whitespace-normalised), cited in the copy.
    ``may_hold``: from its group's ``_Repeats``, which already knows which of the group's words it holds."""
    for cit in side_cites:
        words = _spaced(cit.text)
        if len(words) >= 8 and (may_hold is None or may_hold(words)):
            i = clean.text.find(words)
            if i >= 0:
                return clean.cite(i, i + len(words))
    return None


def _keys(words: str) -> tuple[tuple[str, str], ...]:
    """The keys a text holding ``words`` (white space normalised) must have among ``_text_keys``: every inner
    word as a whole token, the first word as the end of a token and the last as the start of one; none for
    one word."""
    parts = words.split(" ")
    if len(parts) < 2:
        return ()
    return (("end", parts[0]), *(("token", w) for w in parts[1:-1]), ("start", parts[-1]))


def _text_keys(text: str) -> set[tuple[str, str]]:
    """Every token of ``text`` (split at white space), every end and every start of one."""
    keys: set[tuple[str, str]] = set()
    for token in set(text.split()):
        keys.add(("token", token))
        for k in range(len(token)):
            keys.add(("end", token[k:]))
            keys.add(("start", token[: k + 1]))
    return keys


class _Phrases:
    """Which of many phrases (white space normalised, each of at least two words or always looked for) a text
    holds, without looking for every phrase in every text.  Each phrase is filed under the one of its
    ``_keys`` that fewest of the phrases share; a text looks only at the phrases filed under its own keys,
    checks their other keys, then finds them."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.keys = {words: _keys(words) for words in phrases}
        shared = Counter(k for keys in self.keys.values() for k in set(keys))
        self.always: list[str] = []
        self.by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        for words, keys in self.keys.items():
            if keys:
                self.by_key[min(keys, key=lambda k: (shared[k], k))].append(words)
            else:
                self.always.append(words)

    def held(self, text: str) -> set[str]:
        """Exactly the phrases that occur in ``text``."""
        have = _text_keys(text)
        found = {w for w in self.always if w in text}
        for key in have & self.by_key.keys():
            found.update(w for w in self.by_key[key] if all(k in have for k in self.keys[w]) and w in text)
        return found


class _Repeats:
    """The cited words (of at least 8 characters) of the sides that a source of ``origin``'s copy group
    takes, and which of them a copy's text holds (``_Phrases``): linear in the group's size, where checking
    each copy against its group's conflicts was quadratic (a copy of a large group holds most of its
    template's words, so one fixed key per phrase, such as a number, matched hundreds of conflicts a copy)."""

    def __init__(self, conflicts: Iterable[Conflict], origin: str, independence: Independence) -> None:
        self.conflicts: dict[str, list[Conflict]] = defaultdict(list)  # phrase -> conflicts citing it, in order
        for c in conflicts:
            for side in c.sides:
                if not any(independence.origin(x) == origin for x in side.sources):
                    continue
                for cit in side.citations:
                    words = _spaced(cit.text)
                    if len(words) < 8:
                        continue
                    listed = self.conflicts[words]
                    if not (listed and listed[-1] is c):
                        listed.append(c)
        self.phrases = _Phrases(self.conflicts)

    def find(self, text: str) -> tuple[list[Conflict], Callable[[str], bool]]:
        """The conflicts with cited words that ``text`` holds (each once, in no set order), and a test of
        whether it may hold given words (exact for the group's; words from outside it must be looked for)."""
        found = self.phrases.held(text)
        conflicts = {id(c): c for w in found for c in self.conflicts[w]}
        return list(conflicts.values()), lambda words: words in found or words not in self.phrases.keys


def _contested_reason(clean: CleanArticle, conflicts: Sequence[Conflict], erred: set[str], contested_statements: int,
                      total_statements: int, independence: Independence,
                      may_hold: Callable[[str], bool] | None = None) -> QualityReason | None:
    aid = clean.article.id
    origin = independence.origin(aid)
    effect = 0.0
    cites: list[Citation] = []
    notes: list[str] = []
    for c in conflicts:
        mine = [i for i, side in enumerate(c.sides) if aid in side.sources]
        if origin != aid:
            # a copy that repeats its origin's side of a conflict stands on that side too
            for i, side in enumerate(c.sides):
                if i not in mine and any(independence.origin(x) == origin for x in side.sources):
                    hit = _repeated(clean, side.citations, may_hold)
                    if hit is not None:
                        mine.append(i)
                        cites.append(hit)
        if not mine or c.id in erred:
            continue  # the flagged error already costs the source
        if all(set(side.sources) == {aid} for side in c.sides):
            effect += WEIGHTS["contested-internal"]
            notes.append(f"contradicts itself about {c.about}")
        elif c.likely is not None and c.likely not in mine:
            effect += WEIGHTS["contested-lost"]
            notes.append(f"says {_quote(c.sides[mine[0]].value, 40)} about {c.about} where the corpus supports "
                         f"{_quote(c.sides[c.likely].value, 40)}")
        elif c.likely is None:
            effect += WEIGHTS["contested-open"]
            others = [s.value for i, s in enumerate(c.sides) if i not in mine]
            notes.append(f"says {_quote(c.sides[mine[0]].value, 40)} about {c.about}, others say "
                         f"{_quote(others[0], 40) if others else 'otherwise'} (undecided)")
        else:
            continue
        cites.extend(cc for i in mine for cc in c.sides[i].citations if cc.source == aid)
    if not notes:
        return None  # contested claims without a conflict the source is a side of say nothing against it
    effect = max(CONTESTED_CAP, effect)
    detail = "; ".join(notes)
    if contested_statements:
        detail += (f"; {contested_statements} of {total_statements} statements are in contested claims")
    return QualityReason("contested", round(effect, 4), detail, tuple(cites[:MAX_CITES]))


def _unsupported_reason(aid: str, claims: Sequence[Claim], by_id: dict[str, Statement], several: bool) -> QualityReason | None:
    if not several:
        return None  # one independent source in the story: everything is "unsupported"
    factual: list[Claim] = []
    alone: list[Claim] = []
    for c in claims:
        if aid not in c.sources:
            continue
        sts = [by_id[s] for s in c.statements if s in by_id and by_id[s].source == aid]
        if not (c.entities or c.date or any(st.figures or st.dates for st in sts)):
            continue
        factual.append(c)
        if c.independent <= 1:
            alone.append(c)
    if not factual or not alone:
        return None
    share = len(alone) / len(factual)
    effect = WEIGHTS["unsupported"] * _ramp(share - UNSUPPORTED_FREE, 1 - UNSUPPORTED_FREE)
    detail = (f"{len(alone)} of {len(factual)} factual claims ({_pct(share)}) are made by no other independent "
              f"source (exclusives cost nothing up to {_pct(UNSUPPORTED_FREE)})")
    cites = [cit for c in alone for cit in c.citations if cit.source == aid][:MAX_CITES]
    return QualityReason("unsupported", round(effect, 4), detail, tuple(cites))


def assess_sources(
    items: Sequence[tuple[CleanArticle, Extraction]],
    statements: Sequence[Statement],
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
    errors: Sequence[FlaggedError],
    independence: Independence,
) -> tuple[SourceQuality, ...]:
    """Score every article 0..1 with cited reasons: its own text signals plus flagged errors, conflicts,
    contested and unsupported claims and copying.  Ordered by score desc, then article id."""
    lexicon = build_lexicon(items, independence)
    outlets = {c.article.id: (c.article.outlet or c.article.title or c.article.id) for c, _ in items}
    by_id = {s.id: s for s in statements}
    n_statements = Counter(s.source for s in statements)
    contested: Counter[str] = Counter()
    for claim in claims:
        if claim.status == "contested":
            for sid in claim.statements:
                st = by_id.get(sid)
                if st is not None:
                    contested[st.source] += 1
    errs_by: dict[str, list[FlaggedError]] = defaultdict(list)
    for e in errors:
        errs_by[e.source].append(e)
    several = independence.count(outlets) >= 2
    copies = {link.copy: link for link in independence.links}
    # index claims and conflicts by the articles they involve, so each article looks only at its own
    claims_of: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for aid in dict.fromkeys(claim.sources):
            claims_of[aid].append(claim)
    conflicts_of: dict[str, list[Conflict]] = defaultdict(list)
    order = {id(c): i for i, c in enumerate(conflicts)}
    repeats: dict[str, _Repeats] = {}  # by origin, built when its first copy is scored
    for c in conflicts:
        involved = {x for side in c.sides for x in side.sources}
        for key in involved | {independence.origin(x) for x in involved}:
            conflicts_of[key].append(c)

    out: list[SourceQuality] = []
    for clean, ext in items:
        aid = clean.article.id
        reasons = list(text_signals(clean, ext, lexicon=lexicon))
        errs = sorted(errs_by.get(aid, []), key=lambda e: (e.citation.start, e.id))
        r = _error_reason(errs)
        if r:
            reasons.append(r)
        erred = {e.conflict for e in errs if e.conflict}
        mine = conflicts_of.get(aid, [])
        origin = independence.origin(aid)
        may_hold = None
        if origin != aid:  # a copy also stands on the sides its origin's group takes, where it repeats them
            if origin not in repeats:
                repeats[origin] = _Repeats(conflicts_of.get(origin, []), origin, independence)
            held, may_hold = repeats[origin].find(clean.text)
            merged = {id(c): c for c in (*mine, *held)}
            mine = sorted(merged.values(), key=lambda c: order[id(c)])  # in the given order, without a story scan
        r = _contested_reason(clean, mine, erred, contested[aid], n_statements[aid], independence, may_hold)
        if r:
            reasons.append(r)
        r = _unsupported_reason(aid, claims_of.get(aid, []), by_id, several)
        if r:
            reasons.append(r)
        link = copies.get(aid)
        if link is not None:
            origin = outlets.get(link.origin, link.origin)
            reasons.append(QualityReason(
                "copy", WEIGHTS["copy"],
                f"copy of {origin} ({link.kind}, similarity {link.similarity:.2f}); not penalised",
                tuple(link.evidence[:MAX_CITES]),
            ))
        score = max(0.0, min(1.0, BASE + sum(x.effect for x in reasons)))
        out.append(SourceQuality(aid, round(score, 4), tuple(reasons)))
    out.sort(key=lambda q: (-q.score, q.source))
    return tuple(out)


# --------------------------------------------------------------------------- evaluation


def kendall_tau(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall's tau-b between two paired sequences (ties handled; 0.0 when either is constant)."""
    if len(a) != len(b):
        raise StorylineError(f"kendall_tau needs paired sequences, got {len(a)} and {len(b)} values")
    conc = disc = ties_a = ties_b = 0
    n = len(a)
    for i in range(n):
        for j in range(i + 1, n):
            da = (a[i] > a[j]) - (a[i] < a[j])
            db = (b[i] > b[j]) - (b[i] < b[j])
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif da == db:
                conc += 1
            else:
                disc += 1
    denom = ((conc + disc + ties_a) * (conc + disc + ties_b)) ** 0.5
    return (conc - disc) / denom if denom else 0.0
