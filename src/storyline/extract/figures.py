"""Figures: counts, money and percentages as written, with what they count and when.

One compiled regex finds number expressions in the cleaned text (digits, number words,
vague quantities such as "hundreds of", ranges, currency and percent, preceded by a
qualifier such as "at least" which is kept as written).  The dependency parse then says
what each number counts ("83 people were killed" -> ``people killed``).  Numbers that are
dates, times, ages, years, phone numbers, list numbering or that count nothing
recognisable are skipped.  ``as_of`` is the date attached to the figure's verb (or to the verb
reporting it), else the sentence's only free date, else -- for a casualty count in the simple past
right after a dated event -- that event's day, else the article's publication day.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.extract.dates import DateIndex, dates_within
from storyline.records import Figure, Span, TimeExpr

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "extract_figures",
    "parse_number",
    "parse_number_words",
    "past_participle",
]

# --------------------------------------------------------------------------- number words

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
_VAGUE = {
    "tens of thousands": 20_000, "hundreds of thousands": 200_000, "dozens": 24, "scores": 40,
    "hundreds": 200, "thousands": 2_000, "millions": 2_000_000, "billions": 2_000_000_000,
}
_DIGITS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SPLIT_RE = re.compile(r"[\s-]+")


def parse_number(text: str) -> float | None:
    """Parse digits ("1,500", "2.5") or number words ("eighty-three", "a dozen", "1.5 million")."""
    text = text.strip()
    if _DIGITS_RE.fullmatch(text):
        return float(text.replace(",", ""))
    return parse_number_words(text)


def parse_number_words(text: str) -> float | None:
    """Parse an English cardinal written in words (digits allowed before a scale word).

    >>> parse_number_words("two hundred and fifty-one thousand")
    251000.0
    """
    words = [w for w in _SPLIT_RE.split(text.strip().lower()) if w and w != "and"]
    if not words:
        return None
    total = 0.0
    current = 0.0
    seen = False  # saw a number in the current group
    for i, word in enumerate(words):
        if word in ("a", "an") and i == 0 and len(words) > 1:
            current, seen = 1.0, True
        elif word in _UNITS or word in _TENS:
            value = _UNITS.get(word, _TENS.get(word, 0))
            if seen:  # "three four", "twenty thirty", "ten three": not a number
                rest = current % 100
                if value >= 10 and rest or value < 10 and (rest % 10 or 10 <= rest < 20) or not value:
                    return None
            current += value
            seen = True
        elif _DIGITS_RE.fullmatch(word):
            if seen:
                return None
            current, seen = float(word.replace(",", "")), True
        elif word == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif word == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif word in _SCALES:
            total += (current or 1.0) * _SCALES[word]
            current, seen = 0.0, False
        else:
            return None
    return total + current


# --------------------------------------------------------------------------- participles

_IRREGULAR_PP = {
    "strike": "struck", "hit": "hit", "shoot": "shot", "take": "taken", "hold": "held", "send": "sent",
    "lose": "lost", "sink": "sunk", "fight": "fought", "catch": "caught", "bring": "brought",
    "buy": "bought", "give": "given", "find": "found", "leave": "left", "put": "put", "set": "set",
    "cut": "cut", "beat": "beaten", "fly": "flown", "drive": "driven", "steal": "stolen", "build": "built",
    "spend": "spent", "pay": "paid", "make": "made", "keep": "kept", "run": "run", "win": "won",
    "flee": "fled", "feed": "fed", "lead": "led", "sell": "sold", "hurt": "hurt", "die": "killed",
    "break": "broken", "bear": "borne", "seek": "sought", "shut": "shut", "spread": "spread",
    "teach": "taught", "throw": "thrown", "wear": "worn", "withdraw": "withdrawn", "draw": "drawn",
    "grow": "grown", "know": "known", "see": "seen", "get": "got", "go": "gone", "come": "come",
    "begin": "begun", "do": "done", "eat": "eaten", "fall": "fallen", "forget": "forgotten",
    "freeze": "frozen", "hide": "hidden", "lay": "laid", "lend": "lent", "meet": "met", "rise": "risen",
    "shake": "shaken", "sit": "sat", "speak": "spoken", "stand": "stood", "swear": "sworn",
    "perish": "killed", "stop": "stopped", "drop": "dropped", "ship": "shipped", "plan": "planned",
    "ban": "banned", "trap": "trapped", "grab": "grabbed", "rob": "robbed", "strip": "stripped",
    "admit": "admitted", "commit": "committed", "permit": "permitted", "submit": "submitted",
    "blow": "blown", "shine": "shone", "slay": "slain", "tear": "torn", "undertake": "undertaken",
    "overtake": "overtaken", "mistake": "mistaken", "choose": "chosen", "ride": "ridden", "rise up": "risen",
    "kidnap": "kidnapped", "refer": "referred", "transfer": "transferred",
}
_VOWELS = set("aeiou")
_PARTICLES = frozenset({"back", "down", "off", "up", "out", "away", "over"})


def past_participle(lemma: str) -> str:
    """Past participle of a verb lemma ("strike" -> "struck", "deploy" -> "deployed")."""
    lemma = lemma.lower()
    if lemma in _IRREGULAR_PP:
        return _IRREGULAR_PP[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ied"
    return lemma + "ed"


# --------------------------------------------------------------------------- the regex

_QUALIFIERS = [
    "at least", "at most", "more than", "less than", "fewer than", "no fewer than", "no more than",
    "no less than", "not less than", "not fewer than", "not more than", "over", "under", "about", "approximately", "approx.", "around", "nearly", "almost",
    "up to", "some", "roughly", "as many as", "as few as", "as much as", "upwards of", "an estimated",
    "estimated", "close to", "just over", "just under", "well over", "well under",
    "an additional", "a further", "another", "only", "just", "barely", "in excess of",
    "a minimum of", "a maximum of", "almost exactly", "exactly", "precisely", "circa",
]
_QUALIFIERS = sorted(set(_QUALIFIERS), key=len, reverse=True)
_QUAL = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in _QUALIFIERS)

_W_NUMWORD = "|".join(
    sorted([*_UNITS, *_TENS, "hundred", "dozen", *_SCALES], key=len, reverse=True)
)
_W_RUN = rf"(?:{_W_NUMWORD})(?:(?:[ \t]*-[ \t]*|[ \t]+|[ \t]+and[ \t]+)(?:{_W_NUMWORD}))*"
_W_A = r"an?[ \t]+(?:hundred|thousand|million|billion|dozen)(?:[ \t]+(?:thousand|million|billion))?"
_DIGIT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:[ \t]*(?:thousand|million|billion|trillion)\b|(?:mn|bn|m|k|b)\b)"
_CUR = r"(?:US[ \t]?\$|C\$|A\$|\$|€|£|¥|(?:USD|EUR|GBP)[ \t]?)"
_NUM = rf"(?:{_CUR})?(?:(?:{_DIGIT}){_SCALE}?|{_W_A}|{_W_RUN})"
_VAGUE_RE = r"(?:tens[ \t]+of[ \t]+thousands|hundreds[ \t]+of[ \t]+thousands|dozens|scores|hundreds|thousands|millions|billions)[ \t]+of\b"
_PCT = r"(?:[ \t]?%|[ \t]+per[ \t]?cent\b|[ \t]+percent\b)"

_FIGURE_RE = re.compile(
    rf"""(?<![\w$€£¥.,/:#+-])
    (?:(?P<qual>{_QUAL})\s+)?
    (?:
        (?P<vague>{_VAGUE_RE})
      | (?P<between>between|from)\s+(?P<a1>{_NUM}){_PCT}?\s+(?:and|to)\s+(?P<b1>{_NUM})
      | (?P<a2>{_NUM})[ \t]+(?:to|or)[ \t]+(?P<b2>{_NUM})
      | (?P<a3>(?:{_CUR})?(?:{_DIGIT}){_SCALE}?)[ \t]*[-–—][ \t]*(?P<b3>(?:{_CUR})?(?:{_DIGIT}){_SCALE}?)
      | (?P<n>{_NUM})
    )
    (?P<pct>{_PCT})?
    (?![\w/:]|[.,]\d|-\w|/\d)""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMC_RE = re.compile(
    rf"(?P<cur>{_CUR})?(?:(?P<d>{_DIGIT})(?P<scale>{_SCALE})?|(?P<w>{_W_A}|{_W_RUN}))", re.IGNORECASE
)
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
             "¥": "JPY", "c$": "CAD", "a$": "AUD"}
_CURRENCY_NOUNS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pounds": "GBP",
                   "yen": "JPY", "bolivars": "VES", "bolívars": "VES", "bolivares": "VES"}

# masks: things that look like numbers but are not figures
_MASK_RE = re.compile(
    r"""\+?\(?\d{2,4}\)?[ .-]\d{3}[ .-]\d{3,4}\b      # phone numbers
      | \+\d{1,3}[ \d-]{7,}\d                        # international phone numbers
      | ^[ \t]*\d{1,3}[.)][ \t]                       # list numbering at a line start
      | \b\d{1,2}:\d{2}\b                             # clock times
      | \b\d{1,2}(?:[ \t]?[ap]\.?m\.?)(?!\w)          # 5pm, 5 a.m.
      | \b(?:aged?|ages|No\.|number|nos?\.|page|p\.|pp\.|chapter|article|section|resolution|route|flight)
        [ \t]+\d[\d,.]*                               # "aged 62", "No. 5"
      | \b\d+(?:\.\d+)?[ \t]*-?[ \t]*(?:years?|months?|weeks?|days?)[ \t-]*old\b   # ages
      | \b\d+(?:st|nd|rd|th)\b                        # ordinals
      | \b\d{7,}\b                                     # identifiers, not counts
      | \bpart[ \t]+\d+[ \t]+of[ \t]+\d+\b             # "part 3 of 3"
      | \d+(?:\.\d+)?(?:[ \t]*[x×][ \t]*\d+(?:\.\d+)?)+   # dimensions: 1920 x 1080
      | \bno[ \t-]+one\b                              # "no one"
      | \b[A-Z]{1,4}-\d+\b                            # F-35, MQ-9, COVID-19
      | \b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b              # 24/11/2025
    """,
    re.VERBOSE | re.MULTILINE | re.IGNORECASE,
)

_AGE_RE = re.compile(r"\b[A-Z][\w'’.-]*,[ \t]*\d{1,3}(?=[ \t]*(?:[,.;)]|\n|$))")  # "Ramos, 62," (an age)
_YEAR_RE = re.compile(r"(?:1[6-9]|20)\d\d")

# nouns a number can modify without being a figure
_STOP_NOUNS = {
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes",
    "second", "seconds", "decade", "decades", "century", "centuries", "time", "times", "am", "pm", "a.m.",
    "p.m.", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "comment", "comments", "share", "shares", "min", "mins", "read", "photo", "photos", "image", "images",
    "like", "likes", "view", "views", "reply", "replies", "follower", "followers", "page", "pages",
    "point", "points", "%", "percent", "one", "ones", "other", "others", "m", "k", "b", "bn", "mn",
    "thousand", "million", "billion", "hundred", "dozen", "of", "gmt", "utc", "et", "edt", "est",
    "meter", "meters", "metre", "metres", "kilometer", "kilometers", "kilometre", "kilometres", "km",
    "mile", "miles", "foot", "feet", "yard", "yards", "inch", "inches", "kg", "kilogram", "kilograms",
    "ton", "tons", "tonne", "tonnes", "mm", "cm", "caliber", "calibre", "mph", "knots", "acres", "hectares",
    "g", "g.", "gram", "grams", "mg", "lb", "lbs", "ounce", "ounces", "oz", "gb", "mb", "tb", "kb", "ghz", "mhz",
    "mah", "ppi", "dpi", "megapixel", "megapixels", "mp", "fps", "kw", "mw", "gw", "kwh", "mwh", "hz", "w", "v",
    "volt", "volts", "watt", "watts", "litre", "litres", "liter", "liters", "gallon", "gallons", "barrel",
    "barrels", "bpd", "inch-", "x", "×",
    "degree", "degrees", "goal", "goals", "run", "runs", "no", "number", "edition",
}
_DEATH_NOUNS = {"life", "lives", "death", "deaths", "fatality", "fatalities", "dead", "killed", "death toll", "toll",
                "body", "bodies"}
_CARRIED = {"body", "bodies"}  # counted as killed unless a verb says what else was done to them
# "victims" are not the dead: "20 victims" of a shooting are the shot, "six victims" at a hospital the wounded;
# "victims killed", "left 49 victims dead" say it (the cross-check reads them as people killed)
_KILLED_WORDS = {"killed", "dead", "died", "slain", "shot dead", "murdered", "found", "recovered", "claimed"}
_INJURY_NOUNS = {"injury", "injuries", "injured", "wounded"}
_GENERIC_NOUNS = {"others", "them", "those", "whom", "which", "these"}
_ARREST_NOUNS = {"arrest", "arrests", "detention", "detentions"}
_STATE_ADJ = {"dead": "killed", "injured": "injured", "wounded": "wounded", "missing": "missing",
              "displaced": "displaced", "homeless": "homeless", "hospitalized": "hospitalized",
              "hospitalised": "hospitalised", "detained": "detained", "unaccounted": "missing"}
_HUMAN_VERBS = {"kill", "injure", "wound", "die", "arrest", "detain", "displace", "evacuate", "rescue",
                "hospitalize", "hospitalise", "execute", "murder", "deport", "kidnap", "abduct", "free",
                "release", "perish", "jail", "imprison", "hurt", "shoot", "capture"}
_NON_PARTICIPLE = {"say", "tell", "be", "have", "do", "include", "report", "add", "note", "claim", "show",
                   "see", "make", "get", "go", "come", "accord", "estimate", "put", "give", "reach", "total",
                   "number", "bring", "take", "count", "state", "believe", "think", "know", "become", "remain"}
_REPORTING = {"report", "believe", "fear", "confirm", "say", "think", "presume", "feared", "understand",
              "know", "expect", "suspect"}


def _participle_of(verb: Token) -> str:
    if verb.tag_ == "VBN" and verb.is_alpha:
        return verb.text.lower()  # the participle as written: "born", "struck"
    return past_participle(verb.lemma_)


def _verb_for(role: Token) -> Token | None:
    """The verb saying what happened to the things a number counts (``role`` holds the number)."""
    for child in role.children:
        if child.dep_ == "acl" and child.pos_ == "VERB" and child.i > role.i:
            return child
        if child.dep_ == "relcl" and child.pos_ in ("VERB", "AUX"):
            if child.pos_ == "AUX" or child.lemma_ == "be":  # "who were killed" parsed as relcl aux
                for gc in child.children:
                    if gc.dep_ in ("acomp", "attr") and gc.lemma_.lower() in _STATE_ADJ:
                        return gc
                continue
            subj = [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj or subj[0].tag_ in ("WP", "WDT") or subj[0].lower_ == "that":
                return child
        if child.dep_ == "amod" and child.i > role.i and child.lemma_.lower() in _STATE_ADJ:
            return child
    head = role.head
    if head == role:
        return None
    dep = role.dep_
    if dep in ("nsubj", "nsubjpass", "dobj", "conj"):
        if dep == "conj":  # "83 dead and dozens wounded": follow the first conjunct
            return None
        if head.pos_ == "VERB" or (head.pos_ == "AUX" and head.lemma_ != "be"):
            if head.lemma_.lower() == "leave" and dep == "dobj":  # "left 3 soldiers dead"
                for c in head.children:
                    if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and c.lower_ in _STATE_ADJ:
                        return c
            if head.lemma_.lower() in _REPORTING:
                for c in head.children:
                    if c.dep_ in ("xcomp", "ccomp", "oprd") and c.pos_ in ("VERB", "ADJ"):
                        return c
            return head
        if head.lemma_ == "be":
            for c in head.children:
                if c.dep_ in ("acomp", "attr") and c.lemma_.lower() in _STATE_ADJ:
                    return c
    return None


def _participle_word(verb: Token, holder: Token | None = None) -> str | None:
    word = _participle_word1(verb, holder)
    if word is not None and verb.pos_ == "VERB":
        prt = next((c for c in verb.children if c.dep_ == "prt" or (
            c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in _PARTICLES)), None)
        if prt is not None:
            word = f"{word} {prt.lower_}"  # "turned back", "shot down"
    return word


def _participle_word1(verb: Token, holder: Token | None) -> str | None:
    lemma = verb.lemma_.lower()
    if verb.pos_ == "ADJ" or verb.lower_ in _STATE_ADJ:
        return _STATE_ADJ.get(verb.lower_, _STATE_ADJ.get(lemma))
    if lemma in _NON_PARTICIPLE:
        return None
    if lemma in ("die", "perish"):
        return "killed"
    if holder is not None and not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        subject = (holder.dep_ == "nsubj" and holder.head == verb) or (
            verb.dep_ == "relcl" and verb.head == holder
            and any(c.dep_ == "nsubj" and (c.tag_ in ("WP", "WDT") or c.lower_ == "that") for c in verb.children))
        if subject:
            return verb.lower_  # "families fled", "men driving": the counted did it
    return _participle_of(verb)


# --------------------------------------------------------------------------- extraction


def _parse_numc(text: str) -> tuple[float, str | None, bool] | None:
    """(value, currency code, has short scale like 'm') for one number with its currency."""
    m = _NUMC_RE.fullmatch(text.strip())
    if m is None:
        return None
    cur = m.group("cur")
    code = _CURRENCY.get(cur.strip().lower()) if cur else None
    if m.group("d") is not None:
        value = float(m.group("d").replace(",", ""))
        scale = (m.group("scale") or "").strip().lower()
        short = False
        if scale in _SCALES:
            value *= _SCALES[scale]
        elif scale:
            short = True
            value *= _SHORT_SCALES[scale]
        return value, code, short
    if m.group("w").split()[0].lower() in ("hundred", "dozen", *_SCALES):
        return None  # "a few hundred", bare "thousand": not a number as written
    value_w = parse_number_words(m.group("w"))
    if value_w is None:
        return None
    return value_w, code, False


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _date_value_ok(t: TimeExpr) -> bool:
    return t.type in ("DATE", "TIME") and t.value[:4].isdigit()


def _first_verb(tok: Token) -> Token | None:
    seen = 0
    while seen < 12:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            return tok
        if tok.head == tok:
            return None
        tok = tok.head
        seen += 1
    return None


_OPEN_PREPS = frozenset({"since", "from", "between", "after", "before", "until", "till", "by", "through",
                         "ahead", "for", "over", "during"})
_SAYING = frozenset({"say", "tell", "report", "add", "state", "announce", "confirm", "estimate", "claim",
                     "write", "note", "show", "indicate", "reveal", "disclose"})


def _attached_to(tok: Token, verb: Token) -> bool:
    """True when ``tok`` hangs from ``verb`` without passing through another verb or a preposition that
    opens a period ("since October", "after the sinking in November")."""
    for _ in range(12):
        if tok == verb:
            return True
        if tok.head == tok:
            return False
        tok = tok.head
        if tok.dep_ == "prep" and tok.lower_ in _OPEN_PREPS:
            return False
        if tok != verb and tok.pos_ == "VERB":
            return False
    return False


def _free(tok: Token) -> bool:
    """A date attached to no clause but the main one, and not opening a period."""
    for _ in range(12):
        if tok.head == tok:
            return True
        tok = tok.head
        if tok.dep_ == "prep" and tok.lower_ in _OPEN_PREPS:
            return False
        if tok.pos_ == "VERB" and tok.dep_ in ("acl", "relcl", "advcl", "ccomp", "xcomp", "conj", "pcomp"):
            return False
    return True


_SINCE_RE = re.compile(r"(?:since|from|between|after|before|until|till|by|through)\s*$", re.IGNORECASE)
_SINCE_START = re.compile(r"(?:since|from|between|after|before|until|till|by|through|over|for|during)\b",
                          re.IGNORECASE)


def sentence_date(
    doc: Doc, sent: SpacySpan, dates: Sequence[TimeExpr], anchor: Token | None, text: str | None = None
) -> TimeExpr | None:
    """The DATE/TIME expression of ``sent`` governing ``anchor``: attached to its verb, or to the verb
    reporting it ("officials said on Monday that 40 had died"), or the sentence's only free date."""
    cands: list[tuple[TimeExpr, Token]] = []
    if text is None:
        text = doc.text
    for t in dates_within(dates, sent.start_char, sent.end_char):
        if t.span.start >= sent.start_char and t.span.end <= sent.end_char and _date_value_ok(t):
            if _SINCE_RE.search(text[max(sent.start_char, t.span.start - 10):t.span.start]):
                continue
            if _SINCE_START.match(t.span.text):
                continue
            tspan = doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
            if tspan is None or len(tspan) == 0:
                continue
            cands.append((t, tspan.root))
    if not cands:
        return None
    verb = _first_verb(anchor) if anchor is not None else None
    if verb is not None:
        for t, tok in cands:
            if _attached_to(tok, verb):
                return t
        head = verb.head
        if verb.dep_ in ("ccomp", "xcomp") and head.lemma_.lower() in _SAYING:
            for t, tok in cands:
                if _attached_to(tok, head):
                    return t
    free = [t for t, tok in cands if _free(tok)]
    return free[0] if len(cands) == 1 and free else None


_PART_OF_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T[A-Z]{2}$")
_WEEKEND = re.compile(r"^(\d{4}-W\d{2})-WE$")
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _outcome_date(
    doc: Doc, sent: SpacySpan, dates: Sequence[TimeExpr], anchor: Token, text: str
) -> TimeExpr | None:
    """A casualty count told in the simple past right after a dated event ("The ferry sank on Sunday.
    At least 14 people were killed.") is as of that day.  Not for cumulative counts ("have been killed")."""
    verb = _first_verb(anchor)
    if verb is None or verb.tag_ not in ("VBD", "VBN") or sent.start == 0:
        return None
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VBN" and not any(a.tag_ == "VBD" and a.lemma_ == "be" for a in aux):
        return None
    if any(a.lemma_ == "have" or a.tag_ == "MD" for a in aux):
        return None
    own = dates_within(dates, sent.start_char, sent.end_char)
    if any(_date_value_ok(t) and sent.start_char <= t.span.start < sent.end_char for t in own):
        return None  # the sentence has dates of its own, none of them this figure's
    k = sent.start - 1
    while k > 0 and doc[k].is_space:
        k -= 1
    if "\n\n" in text[doc[k].idx + len(doc[k].text):sent.start_char + 1]:
        return None  # another paragraph
    prev = doc[k].sent
    found = sentence_date(doc, prev, _day_dates(dates), prev.root, text)
    return found


def _day_dates(dates: Sequence[TimeExpr]) -> Sequence[TimeExpr]:
    """The dates whose value has a day (filtered once per article when ``dates`` is a DateIndex)."""
    if not isinstance(dates, DateIndex):
        return [t for t in dates if _DAY_VALUE.match(t.value)]
    if "day" not in dates.derived:
        dates.derived["day"] = DateIndex([t for t in dates if _DAY_VALUE.match(t.value)])
    return dates.derived["day"]


def _of_noun(tok: Token, prep: str = "of") -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == prep:
            for gc in child.children:
                if gc.dep_ == "pobj" and gc.pos_ in ("NOUN", "PROPN"):
                    return gc
    return None


def _is_toll(tok: Token) -> bool:
    """'the death toll rose to 83', 'a death toll of 83', 'the toll stands at 83'."""
    for _ in range(3):
        if tok.lemma_.lower() == "toll":
            return True
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_.lower() == "toll":
                return True
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _noun_name(noun: Token) -> tuple[str, str]:
    """(counts noun, unit) for a counted noun."""
    low = noun.lower_
    if low in _DEATH_NOUNS or noun.lemma_.lower() in _DEATH_NOUNS:
        return "people killed", "people"
    if low in _INJURY_NOUNS:
        return "people injured", "people"
    if low in _ARREST_NOUNS:
        return "people arrested", "people"
    return low, low


def _piece(text: str, s_start: int, s_end: int, start: int, end: int) -> Span:
    """The sentence around [start, end), cut at paragraph breaks inside it (a headline without a full
    stop is joined to the next sentence by the parser)."""
    cut = text.rfind("\n\n", s_start, start)
    if cut >= 0:
        s_start = cut + 2
        while s_start < start and text[s_start].isspace():
            s_start += 1
    cut = text.find("\n\n", end, s_end)
    if cut >= 0:
        s_end = cut
    while s_end > end and text[s_end - 1].isspace():
        s_end -= 1
    return Span(s_start, s_end, text[s_start:s_end])


def extract_figures(
    doc: Doc, dates: Sequence[TimeExpr] = (), published: str | None = None
) -> tuple[Figure, ...]:
    """Figures (counts, money, percentages) in one article's cleaned-text Doc."""
    text = doc.text
    published_day = published[:10] if published else None
    date_spans = sorted((t.span.start, t.span.end) for t in dates)
    dates = DateIndex(dates)  # each figure looks up its sentence's dates
    out: list[Figure] = []
    for m in _FIGURE_RE.finditer(text):
        # masks are looked for only around a candidate: figures are sparse, the text is long
        lo, hi = max(0, m.start() - 60), min(len(text), m.end() + 30)
        masks = [(x.start(), x.end()) for x in _MASK_RE.finditer(text, lo, hi)]
        masks.extend((x.start(), x.end()) for x in _AGE_RE.finditer(text, lo, hi))
        i = bisect.bisect_left(date_spans, (lo - 200, 0))
        while i < len(date_spans) and date_spans[i][0] < hi:
            masks.append(date_spans[i])
            i += 1
        masks.sort()
        mask_starts = [s for s, _ in masks]
        fig = _figure_from_match(doc, text, m, masks, mask_starts, dates, published_day)
        if fig is not None:
            out.append(fig)
    return tuple(out)


def _figure_from_match(
    doc: Doc,
    text: str,
    m: re.Match[str],
    masks: list[tuple[int, int]],
    mask_starts: list[int],
    dates: Sequence[TimeExpr],
    published_day: str | None,
) -> Figure | None:
    qual = m.group("qual")
    qualifier = " ".join(qual.lower().split()) if qual else None
    start = m.start()
    core_start = m.end("qual") if qual else start
    while core_start < len(text) and text[core_start].isspace():
        core_start += 1
    end = m.end()
    pct = m.group("pct") is not None
    value_high: float | None = None
    currency: str | None = None
    short = False
    if m.group("vague"):
        phrase = " ".join(m.group("vague").lower().split())
        value = float(_VAGUE[phrase[: -len(" of")]])
        qualifier = f"{qualifier} {phrase}" if qualifier else phrase
    else:
        if m.group("a1") or m.group("a2") or m.group("a3"):
            a_txt = m.group("a1") or m.group("a2") or m.group("a3")
            bg = "b1" if m.group("b1") else ("b2" if m.group("b2") else "b3")
            b_txt = m.group(bg)
            pa, pb = _parse_numc(a_txt), _parse_numc(b_txt)
            if pa is None or pb is None:
                return None
            between = (m.group("between") or "").lower()
            value, value_high = pa[0], pb[0]
            currency = pa[1] or pb[1]
            short = pa[2] or pb[2]
            if value < value_high and value < 1000 and pb[0] >= 1000:
                # "$10 to 15 million": the scale of the second applies to the first
                b_scale = _NUMC_RE.fullmatch(b_txt.strip())
                if b_scale and b_scale.group("scale") and not _NUMC_RE.fullmatch(a_txt.strip()).group("scale"):
                    scale = b_scale.group("scale").strip().lower()
                    value *= _SCALES.get(scale, _SHORT_SCALES.get(scale, 1))
            if between == "from" or value_high <= value:
                # "rose from 80 to 90" is a change, not a range: keep the latest number
                return _figure_from_number(
                    doc, text, m.start(bg), m.end(bg), end, None,
                    masks, mask_starts, dates, published_day,
                )
        else:
            p = _parse_numc(m.group("n"))
            if p is None:
                return None
            value, currency, short = p
    return _finish(doc, text, start, core_start, end, value, value_high, qualifier, currency, short, pct,
                   masks, mask_starts, dates, published_day)


def _figure_from_number(
    doc: Doc, text: str, start: int, num_end: int, end: int, qualifier: str | None,
    masks: list[tuple[int, int]], mask_starts: list[int], dates: Sequence[TimeExpr], published_day: str | None,
) -> Figure | None:
    p = _parse_numc(text[start:num_end])
    if p is None:
        return None
    value, currency, short = p
    pct = end > num_end
    return _finish(doc, text, start, start, end, value, None, qualifier, currency, short, pct,
                   masks, mask_starts, dates, published_day)


def _finish(
    doc: Doc, text: str, start: int, core_start: int, end: int, value: float, value_high: float | None,
    qualifier: str | None, currency: str | None, short: bool, pct: bool,
    masks: list[tuple[int, int]], mask_starts: list[int], dates: Sequence[TimeExpr], published_day: str | None,
) -> Figure | None:
    core = text[core_start:end]
    if _overlaps(masks, mask_starts, core_start, end):
        return None
    if short and currency is None and not core.lower().rstrip().endswith("bn"):
        return None  # "15m" without a currency is metres, "5k" a race
    plain = core.strip()
    if (currency is None and not pct and qualifier is None and value_high is None
            and _YEAR_RE.fullmatch(plain)):
        return None  # a year
    span = doc.char_span(core_start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    sent = span[0].sent
    # the token of the number span whose head lies outside it: the number's role in the clause
    role = None
    for tok in reversed(span):
        if not (span.start <= tok.head.i < span.end) or tok.head == tok:
            role = tok
            break
    if role is None:
        return None
    if currency is None and span.start > 0 and core_start == start:
        prev = doc[span.start - 1]
        if ((prev.pos_ == "PROPN" or (prev.is_upper and len(prev.text) > 1 and prev.is_alpha))
                and prev.whitespace_ != "" and prev.ent_type_ not in ("DATE", "TIME")
                and prev.lower_ not in _STOP_NOUNS and prev.idx + len(prev.text) + 1 == core_start
                and (prev.head == role.head or role.head == prev or span.start <= prev.head.i < span.end)):
            return None  # a model or version: "USB 3.0 port", "Flight 17"
    noun: Token | None = None
    holder: Token = role  # token whose clause relation says what happened
    head = role.head
    if role.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "det", "appos") \
            and head.pos_ in ("NOUN", "PROPN", "ADJ") and head.i > role.i and head != role:
        noun = head
        holder = head
    elif (role.pos_ in ("NOUN", "PROPN") and role.lower_ not in ("%", "percent", "m", "k", "b", "bn", "mn")
          and not any(ch.isdigit() for ch in role.text)):
        noun = None if role.lower_ in _STOP_NOUNS else role  # "hundreds", "dozens" as nouns
        of = _of_noun(role)
        if of is not None:
            noun = of
    else:
        of = _of_noun(role)
        if of is not None:
            noun = of
        elif (role.dep_ == "pobj" and role.head.lower_ == "of" and role.head.head.pos_ == "NOUN"
              and role.head.head.i < role.i and (currency is not None or pct
                                                 or role.head.head.lemma_.lower() == "toll")):
            noun = role.head.head  # "a reward of $50m", "a death toll of 83"
    if value == 1 and noun is not None and noun.i > role.i and noun != head:
        return None  # "one of the men": not a count
    generic: Token | None = None
    if noun is not None and noun.lower_ in _GENERIC_NOUNS:
        generic, noun = noun, None  # "dozens of others wounded": the verb below says who
    if currency is not None and noun is None:
        noun = _of_noun(role, "in")  # "€2.5 billion in assets"
        if noun is None and role.dep_ == "pobj" and role.head.lower_ in ("to", "at"):
            verb = role.head.head  # "the bounty was raised to $50 million"
            if verb.pos_ == "VERB":
                by_dep = {c.dep_: c for c in verb.children if c.pos_ == "NOUN"}
                noun = by_dep.get("nsubjpass") or by_dep.get("dobj") or by_dep.get("nsubj")
    if pct:
        # percentages: what the share is of
        if noun is not None and noun.i < span.end - 1:
            noun = None
        of = _of_noun(role) or (_of_noun(holder) if holder != role else None)
        noun = of
    name: str | None = None
    unit: str | None = "percent" if pct else None
    if noun is not None:
        low = noun.lower_
        if low in _CURRENCY_NOUNS:
            currency = currency or _CURRENCY_NOUNS[low]
            noun = None
        elif low in _STOP_NOUNS or noun.lemma_.lower() in _STOP_NOUNS or noun.like_num:
            if not pct and currency is None:
                return None
            noun = None
        elif noun.pos_ == "ADJ" and low not in _STATE_ADJ and low not in _DEATH_NOUNS:
            noun = None
    # words like "one" or "two" are too often not figures: require a counted noun
    counts_tokens: list[Token] = []
    counts: str | None = None
    if noun is not None:
        name, noun_unit = _noun_name(noun)
        if not pct and currency is None:
            unit = noun_unit
        counts_tokens.append(noun)
        verb = _verb_for(holder)
        if verb is None and holder != noun:
            verb = _verb_for(noun)
        if verb is None and holder.dep_ == "pobj" and holder.head.head.idx < core_start:
            verb = _verb_for(holder.head.head)  # "Upwards of 80 buildings were damaged"
        if verb is not None and value == 1 and not (
                verb.tag_ == "VBN" or verb.lemma_.lower() in _HUMAN_VERBS or verb.lower_ in _STATE_ADJ):
            verb = None  # "one official declined": not a count
        word = _participle_word(verb, holder) if verb is not None else None
        low_noun = noun.lower_
        if currency is not None:
            counts = f"{name} ({currency})"
        elif (name.endswith((" killed", " injured", " arrested"))
              and not (low_noun in _CARRIED and word is not None and word not in _KILLED_WORDS)):
            counts = name  # "83 deaths", "49 victims", "12 bodies found dead": people killed
        elif low_noun in _CARRIED and word is not None:
            counts = f"{low_noun} {word}"  # "47 bodies handed over", "six victims brought to hospital"
            counts_tokens.append(verb)
        elif word is not None and verb is not None:
            counts = f"{name} {word}"
            counts_tokens.append(verb)
        else:
            counts = name
    elif currency is None and not pct:
        # no noun: "killing 83", "the death toll rose to 83"
        if _is_toll(role):
            counts, unit = "people killed", "people"
        else:
            verb = _verb_for(role)
            if verb is None and generic is not None:
                verb = _verb_for(generic)  # "wounding 53 others", "53 others were wounded"
            if verb is not None and (verb.lemma_.lower() in _HUMAN_VERBS or verb.lower_ in _STATE_ADJ):
                counts, unit = f"people {_participle_word(verb)}", "people"
                counts_tokens.append(verb)
            else:
                return None
    if currency is not None:
        unit = currency
    if pct and noun is not None:
        counts = noun.lower_
        counts_tokens = [noun]
    if noun is None and counts is None and currency is None and not pct:
        return None
    if value == 1 and noun is not None and counts == name and currency is None and not pct:
        return None  # "one official": a bare "one" counts nothing worth a figure
    counts_span = None
    if counts_tokens and counts is not None:
        cs = min(t.idx for t in counts_tokens)
        ce = max(t.idx + len(t.text) for t in counts_tokens)
        counts_span = Span(cs, ce, text[cs:ce])
    anchor = counts_tokens[-1] if counts_tokens else role
    as_of_t = sentence_date(doc, sent, dates, anchor, text)
    if as_of_t is None and counts is not None and counts.startswith("people "):
        as_of_t = _outcome_date(doc, sent, dates, anchor, text)
    as_of = published_day
    if as_of_t is not None:
        as_of = as_of_t.value
        if m := _PART_OF_DAY.match(as_of) or _WEEKEND.match(as_of):
            as_of = m.group(1)  # "Sunday night": the day; "last weekend": the week
    if (noun is not None and currency is None and not pct and span.end <= noun.i <= span.end + 3
            and all(doc[k].head.i == noun.i and doc[k].dep_ in ("compound", "amod", "nmod")
                    for k in range(span.end, noun.i))):
        end = noun.idx + len(noun.text)  # "12 vessels", "14 fishing boats": the number with its noun
    return Figure(
        span=Span(start, end, text[start:end]),
        value=value,
        value_high=value_high,
        qualifier=qualifier,
        unit=unit,
        counts=counts,
        counts_span=counts_span,
        as_of=as_of,
        sentence=_piece(text, sent.start_char, sent.end_char, start, end),
    )
