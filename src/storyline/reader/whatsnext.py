"""What comes next: scheduled events, deadlines, planned trips and scenarios the sources expect.

``find_next(items, index)`` reads every sentence of every article (cleaned text, the parser's sentences split
at line breaks) with the date expressions the dates stage resolved against the publication date, and keeps:

* dated expectations: a date after the publication date with a word that looks ahead in its clause ("will",
  "is due to", "is expected to", "plans to", "takes effect", "expires", "next", "in six days", a present-tense
  schedule "closes on Monday") and no past tense between the two; or a date that contains the publication
  day ("on Monday afternoon" in a Monday paper, "before the end of the month") after such a marker.  A
  weekday the dates stage read as past in a clause that looks ahead ("the verdict is due on Friday") is
  moved to the coming one.  The kind is ``deadline`` (deadline, ultimatum, expires, "given ... until
  <date>", "by <date>" with an obligation), ``trip`` (travel, visit, land, arrive, fly, cross, meet ...) or
  ``scheduled`` (everything else);
* scenarios: a possible outcome (breakthrough, stalemate, escalation, ceasefire, deal, collapse, assault ...)
  named as something that may happen ("a deal could", "talks could collapse", "toward escalation", "the more
  likely outcome ... neither a deal nor an assault") in a framed clause ("could", "likely", "scenario",
  "outcome", "risk of") that is neither negated nor counterfactual; or a modal sentence in a section whose
  heading is a scenario word ("Stalemate" / "The blockade would continue ...").

Precision over recall: words inside a direct quote never make an item unless the quote states a dated
deadline; questions, negated plans ("will not travel on Friday"), demands ("called for a ceasefire"),
existing things ("under the agreement", "her attacks"), dates of the reporting ("said Tuesday"), habits ("a
Sunday show"), narrative days ("the next day"), vague or far dates ("next year", "by 2030") and page
furniture ("Stay tuned ...") are skipped; generic future talk with no date and no scenario word ("only time
will tell what the future holds") is never an item.

The same expectation stated by several sources is merged (same kind, compatible dates: equal, or one within
the other's precision or bound; shared words, or the same actor and action, or for trips the same named
traveller) into one ``NextItem``; different dates for the same event stay separate items.  Everything is one
linear sweep per article (cheap regular expressions, only on sentences with a date ahead or a scenario
word) plus a merge that compares each candidate with a few members of each compatible group.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storyline.extract.dates import value_interval
from storyline.records import CleanArticle, Event, Extraction, Independence, NextItem, Span, TimeExpr
from storyline.text import fold, split_sentences, stem
from storyline.text import words as split_words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.entities import EntityIndex

__all__ = ["find_next", "next_to_dict"]

# --------------------------------------------------------------------------- lexicon

# a future or scheduling marker in the clause (outside direct quotes)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|(?:is|are|was|were|be)\s+(?:\w+ly\s+)?(?:due|set|scheduled|slated|expected|poised|"
    r"planned|planning|going|likely|to)\s+(?:to\s+)?|(?:widely\s+)?expected\s+to|plans?\s+to|planning\s+to|"
    r"intends?\s+to|hopes?\s+to|aims?\s+to|promised\s+to|pledged\s+to|vowed\s+to|would|'ll|must|"
    r"has\s+to|have\s+to|needs?\s+to|"
    r"(?:takes?|taking)\s+effect|(?:comes?|enters?|goes?)\s+(?:in|into)\s+(?:force|effect)|expires?|"
    r"runs?\s+out|starts?|begins?|opens?|upcoming|next|to\s+take\s+effect|ahead\s+of)\b"
)
# the marker followed by a negation: "will not", "won't", "is not expected to", "has no plans to"
_NEG_FUTURE_RE = re.compile(
    r"\b(?:will|would|shall|could|is|are|was|were|does|do|did)\s+(?:not|never)\b|\b(?:won|wouldn|isn|aren|"
    r"doesn|don|didn|wasn|weren)['\u2019]t\b|\bno\s+(?:plans?|intention)\s+to\b|\bruled\s+out\b|\bcancel\w*"
)
# the verb right after a future marker: "is due to brief", "will visit", "plans to travel"
_MARKER_VERB_RE = re.compile(
    r"\b(?:will|shall|would|(?:due|set|scheduled|slated|expected|poised|planned|going|plans?|planning|"
    r"intends?|hopes?|aims?|promised|pledged|vowed)\s+to)\s+(?:(?:also|then|now|soon|still|first|again)\s+)?"
    r"(?:be\s+)?([a-z]+)(?:\s+(effect|force|over|up|down|off|out|on|back))?"
)
_SCHEDULE_RE = re.compile(
    r"\b(?:takes?|taking|took|to\s+take)\s+effect\b|\b(?:comes?|enters?|goes?)\s+(?:in|into)\s+(?:force|effect)\b"
)
# a present-tense schedule right before a weekday: "starts on Tuesday", "takes effect Friday"
_SCHEDULE_GAP_RE = re.compile(
    r"\b(?:takes?\s+effect|(?:comes?|enters?|goes?)\s+(?:in|into)\s+(?:force|effect)|starts|begins|opens|"
    r"expires|ends|closes)\s+(?:on\s+)?$"
)
_DEADLINE_RE = re.compile(
    r"\b(?:deadlines?|ultimatums?|expir(?:e|es|ed|ing|y)|runs?\s+out|(?:open|valid|stands?)\s+until)\b"
)
_GIVEN_UNTIL_RE = re.compile(r"\b(?:given|gave|give|gives|giving|has|have|had)\b[^.;]{0,80}?\buntil\b")
_OBLIGATION_RE = re.compile(
    r"\b(?:must|has\s+to|have\s+to|required|ordered|demand\w*|told\s+to|asked\s+to|should|needs?\s+to|"
    r"ultimatum|deadline)\b"
)
_OBLIGED_VERB_RE = re.compile(
    r"\b(?:must|has\s+to|have\s+to|needs?\s+to|required\s+to|ordered\s+to|told\s+to|asked\s+to)\s+([a-z]+)"
)
_CLAUSE_RE = re.compile(
    r",\s+(?:and|but|while|whereas|although|though)\s+|;\s*|\s+but\s+|\s+and\s+(?=(?:warned|said|added|told|"
    r"insisted|cautioned)\b)"
)
_SUBJECT_RE = re.compile(r"(?:the|a|an|its|their|his|her)\s+(?:[\w-]+\s+){0,2}?([a-z]+)\s+"
                         r"(?:is|are|was|were|will|has|have|had)\b", re.IGNORECASE)
_STRONG_FUTURE_RE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:\w+ly\s+)?(?:due|set|scheduled|slated|expected|poised|to)\b|"
    r"due\s+(?:on|to|in)|(?:set|scheduled|slated|planned)\s+for|plans?\s+to|intends?\s+to|expected\s+to|"
    r"hopes?\s+to|aims?\s+to|promised\s+to|pledged\s+to|vowed\s+to|going\s+to|must|has\s+to|have\s+to|"
    r"needs?\s+to)|'ll\b"
)
_PRESENT_VERB_RE = re.compile(
    r"\b(?:arrives|lands|travels|flies|visits|meets|opens|starts|begins|holds|faces|heads|returns|resumes|"
    r"convenes|hosts|ends|closes|expires|sits|votes|decides|rules|approaches|go(?:es)?\s+to\s+the\s+polls)\b"
)
# a date that dates the reporting, not the event: "said Tuesday", "told Fox News on Thursday", "a report Tuesday"
_DATED_WORDS_RE = re.compile(
    r"\b(?:said|says|told\s+[\w\s.]{1,30}?|announced|added|wrote|stated|tweeted|posted|report(?:ed)?|"
    r"statement|interview|briefing|release)\s+(?:on\s+|late\s+|early\s+|later\s+|earlier\s+)?$"
)
# a past-tense clause: "was held", "sank", "had been" (a date after publication there is a misreading)
_PAST_RE = re.compile(
    r"\b(?:was|were|had|did|sank|went|held|born|took|came|met|made|fell|began|won|lost|left|fled|struck|"
    r"saw|gave|flew|ran|shot|rose|grew|sent|told|spoke|wrote|broke|stood|led)\b"
    r"|\b(?!(?:expected|scheduled|planned|slated|proposed|intended|needed|required|supposed|due|set|"
    r"postponed|delayed|moved|rescheduled|adjourned|deferred|pushed|brought|extended)\b)[a-z]{3,}ed\b",
)
# a schedule moved: "postponed until January 12", "delayed to Friday", "pushed back to next week"
_MOVED_RE = re.compile(
    r"\b(?:postponed|delayed|moved|rescheduled|adjourned|deferred|pushed\s+back|brought\s+forward|"
    r"extended)\s+(?:\w+\s+)?(?:until|till|to|for)\b"
)
# a relative date that looks ahead: "in six days", "next Tuesday", "the coming week", "later this month"
_AHEAD_RE = re.compile(r"\b(?:in\s+\w+\s+(?:days?|weeks?|months?)|next|coming|later|upcoming)\b")
# page furniture and calls to action that talk about the future: "Stay tuned", "Sign up for updates"
_WIDGET_RE = re.compile(
    r"^\W*(?:stay|subscribe|sign|follow|click|check|join|read|watch|listen|download|register|tune)\b"
    r"|\b(?:stay\s+tuned|newsletter|subscribe|sign\s+up|follow\s+us|click\s+here|check\s+back|"
    r"live\s+blog|our\s+(?:app|website|coverage|podcast))\b"
)
_MONTHS_DAYS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
                "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TRIP_VERBS = {
    "travel": "travel", "travels": "travel", "travelling": "travel", "traveling": "travel",
    "visit": "visit", "visits": "visit", "visiting": "visit",
    "land": "land", "lands": "land", "landing": "land",
    "arrive": "arrive", "arrives": "arrive", "arriving": "arrive",
    "fly": "fly", "flies": "fly", "flying": "fly",
    "head": "head", "heads": "head", "heading": "head",
    "go": "go", "goes": "go", "going": "go",
    "come": "come", "comes": "come", "coming": "come",
    "cross": "cross", "crosses": "cross", "crossing": "cross",
    "sail": "sail", "sails": "sail", "sailing": "sail",
    "tour": "tour", "tours": "tour", "touring": "tour",
    "return": "return", "returns": "return", "returning": "return",
    "meet": "meet", "meets": "meet", "meeting": "meet",
}
_TRIP_RE = re.compile(
    # moving somewhere: "fly to Lisbon", "lands in Port Aubrel", "travel on to Sarrow", "arrive in the capital"
    r"\b(travel|travels|travelling|traveling|land|lands|landing|arrive|arrives|arriving|fly|flies|flying|"
    r"head|heads|heading|cross|crosses|crossing|sail|sails|sailing|return|returns|returning)\s+"
    r"(?:on\s+|back\s+|by\s+\w+\s+)?(?:to|in|at|for|into|onto|from)\b"
    # "come to Port Aubrel", "go to Cairo": only to a named place ("go to the polls" is no trip)
    r"|\b(go|goes|going|come|comes|coming)\s+(?:back\s+)?(?:to|in)\s+[A-Z]"
    # "visit both Port Aubrel and Sarrow", "visit the fleet", "meet Ndoye", "meet with the rebels"
    r"|\b(visit|visits|visiting|tour|tours|touring)\s+(?!on\b|in\b|at\b|for\b|next\b|this\b)[A-Za-z]"
    r"|\b(meet|meets|meeting)\s+(?:with\s+\w+|(?!(?:" + "|".join(_MONTHS_DAYS) + r")\b)[A-Z])",
)
# possible outcomes, normalised
_SCENARIOS = (
    (r"breakthroughs?", "breakthrough"),
    (r"stalemates?|deadlock(?:ed|s)?|impasses?|standstill", "stalemate"),
    (r"escalat\w*|all-out\s+war|wider\s+war", "escalation"),
    (r"cease-?fires?|truces?|armistice", "ceasefire"),
    (r"collapses?|collapsed|breakdown", "collapse"),
    (r"assaults?|offensives?|invasions?|attacks?", "assault"),
    (r"deals?|agreements?|accords?|settlements?|peace\s+(?:deal|plan|agreement)", "deal"),
)
_SCENARIO_RE = re.compile(r"\b(?:" + "|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_SCENARIOS)) + r")\b")
_NEITHER_RE = re.compile(r"\bneither\s+(?:a|an|the)?\s*\w+\s+nor\b")
# a sentence framed as a possibility
_FRAME_RE = re.compile(
    r"\b(?:scenarios?|outcomes?|likely|likeliest|unlikely|likelihood|could|might|may|would|possible|possibility|"
    r"prospects?|risks?\s+(?:of|that)|forecasts?|predicts?|predicting|expects?|expecting|(?:is|are)\s+expected|"
    r"foresees?)\b"
)
_MODAL_RE = re.compile(r"\b(?:scenarios?|outcomes?|likely|could|might|may|would|possible|possibility)\b")
_POSSIBLE_RE = re.compile(r"\b(?:could|might|may|possible|possibility|likely|scenarios?|outcomes?)\b")
# what makes a scenario word hypothetical rather than a thing that exists or happened ("the agreement",
# "her attacks", "the assault on Paris"): a verb after a modal ("could collapse"), an indefinite noun
# ("a deal", "a wider war"), or a bare noun after a preposition ("toward escalation", "risk of escalation")
_SCEN_VERB_PRE_RE = re.compile(r"\b(?:could|might|may|would|will|to)\s+(?:\w+\s+){0,2}$")
_SCEN_NOUN_PRE_RE = re.compile(
    r"(?:\b(?:a|an|any|no|such\s+a|possible|potential|full-scale|wider|all-out|new|further|negotiated|lasting|"
    r"eventual|fresh|renewed|major|ground|military|diplomatic|limited|quick)\s+(?:[\w-]+\s+)?"
    r"|\b(?:in|into|to|toward|towards|of|for)\s+)$"
)
_SCEN_PLURAL_PRE_RE = re.compile(r"\b(?:further|renewed|fresh)\s+$")
_SCEN_VERB_FORMS = re.compile(r"escalat(?:e|es|ing)|collapses?|deadlocked|break\s+down")
_COUNTERFACTUAL_RE = re.compile(
    r"\b(?:would|could|might|may|should)\s+(?:\w+\s+){0,2}have\b|\bhad\s+been\b|'ve\b"
    r"|\b(?:had|\w+'d)\s+(?:\w+\s+)?\w+(?:ed|en)\b"  # past perfect: "they'd received word of a possible attack"
)
# an attack is a scenario only when a modal governs it ("could launch an assault") or the clause says scenario
_WILL_PRE_RE = re.compile(r"\b(?:could|might|may|will)\s+(?:[\w-]+\s+){0,4}$")
_SCENE_RE = re.compile(r"\b(?:scenarios?|outcomes?)\b")
# a past copula just before the scenario word: "Schengen was at risk of collapse" reports a past state
_PAST_STATE_RE = re.compile(r"\b(?:was|were)\s+(?:[\w-]+\s+){0,4}$")
# words right before a date that make it a bound ("before Christmas", "by Friday", "until New Year's Eve")
_BOUND_RE = re.compile(r"(?<![\w-])(before|by|until|till|no\s+later\s+than|within)\s+(?:the\s+)?$")
_AFTER_RE = re.compile(r"\b(?:after|since|from|following|as\s+of)\s+(?:the\s+)?$")
_DURATION_BEFORE_RE = re.compile(r"\b(?:\w+\s+)?(?:days?|weeks?|months?|hours?|years?)\s+before\s+(?:the\s+)?$")
_PAST_WEEKDAY_RE = re.compile(r"\b(?:last|previous|past|this\s+past)\b")
_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|told\s+[\w\s]{1,30}?|announced|added|warned|wrote|stated|argued|predicted|cautioned)"
    r"\s+(?:on|in|at|late|early|last)?\s*$"
)
_PASSIVE_RE = re.compile(r"\b(?:be|been|being)\s+(?:\w+ly\s+)?\w+\b")  # "will be scoured": not a past tense
_DEMAND_RE = re.compile(r"\b(?:call(?:ed|s|ing)?|press(?:ed|es|ing)?|push(?:ed|es|ing)?|appeal(?:ed|s|ing)?)\s+for\s+"
                        r"(?:\w+\s+){0,3}$|\b(?:demand|urge)(?:d|s|ing)?\s+(?:\w+\s+){0,3}$")
_DEADLINE_IS_RE = re.compile(r"\b(?:deadline|ultimatum)s?\b.{0,40}?\b(?:is|falls\s+on|expires\s+on|ends\s+on)\s+$")
_LEAD_RE = re.compile(r"\b(?:later|early|late|as\s+early\s+as|as\s+soon\s+as)\s+$")
_HABIT_RE = re.compile(r"\b(?:a|an|every|each|most|on\s+a)\s+$")
_ANAPHORIC_RE = re.compile(r"^the\s+(?:next|following|same|previous)\s+(?:day|morning|evening|night|week|month)"
                           r"|\b(?:day|week|month)s?\s+(?:after|later)\b")
_PERFECT_RE = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:been|done|seen|made|gone|taken|given|\w+ed)\b")
_QUESTION_RE = re.compile(r"\?[\"'\u201d\u2019)]*\s*$")
_TERMINAL_RE = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
_QUOTE_CHARS = "\"\u201c\u201d"
_STOP = frozenset(re.split(
    r"\s+",
    """a an the and or but if of to in on at by for from with into onto over under as than that this these those
    is are was were be been being has have had do does did will would shall should could might may can must
    it its he she they them his her their him we our you your i me my who whom which what when where why how
    not no nor neither either so also then there here after before until since while about around more most
    said says say told tell according week weeks day days month months year years next last monday tuesday
    wednesday thursday friday saturday sunday january february march april june july august september
    october november december today tomorrow yesterday morning afternoon evening night end due set
    expected plans plan new eve""",
))
_PRECISION_RANK = {"minute": 0, "hour": 0, "day": 0, "week": 1, "month": 2, "quarter": 3, "season": 3,
                   "year": 4, "decade": 5, "century": 6}
_REPORTING = frozenset({"say", "tell", "report", "add", "announce", "state", "confirm", "claim"})
_SCHEDULING = frozenset({"schedule", "set", "plan", "slate", "expect", "due"})
_PEEK = 4  # members of a group a newcomer is compared with, from each end
_KIND_ORDER = {"deadline": 0, "trip": 1, "scheduled": 2, "scenario": 3}


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class _Cand:
    kind: str
    label: str | None
    when: str | None
    precision: str | None
    lo: dt.date | None  # the days the expectation may fall on (a bound widens it to the publication date)
    hi: dt.date | None
    when_text: str | None
    when_span: tuple[int, int] | None  # cleaned offsets of the when-words (bound word included)
    clean: CleanArticle
    sentence: tuple[int, int]
    said_on: str | None
    order: int  # article order, then sentence order
    keys: frozenset[str]  # entity ids and actor head nouns
    words: frozenset[str]  # content words
    section: int  # heading section number within the article (scenarios)


def _quoted_mask(text: str, start: int, end: int, parts: Sequence[tuple[int, int]]) -> list[bool]:
    """Which characters of text[start:end] lie inside a direct quote (marks included)."""
    inside = any(ps < start < pe for ps, pe in parts)
    mask = [False] * (end - start)
    for i in range(start, end):
        ch = text[i]
        if ch in _QUOTE_CHARS:
            opening = ch == "\u201c" or (ch == '"' and not inside)
            if ch == "\u201d":
                opening = False
            mask[i - start] = True
            inside = opening
            continue
        mask[i - start] = inside
    for ps, pe in parts:  # the extractor's direct quotes, where marks were unbalanced
        for i in range(max(ps, start), min(pe, end)):
            mask[i - start] = True
    return mask


def _outside(piece: str, mask: list[bool]) -> str:
    return "".join(" " if q else ch for ch, q in zip(piece, mask, strict=True))


def _letter_words(text: str) -> list[str]:
    """The words of ``text`` (``storyline.text.words``) that start with a letter."""
    return [w for w in split_words(text) if w[0].isalpha()]


def _content(text: str) -> frozenset[str]:
    """Stems of the content words (3 letters or more, not stop words)."""
    return frozenset(stem(w) for w in _letter_words(fold(text)) if len(w) >= 3 and w not in _STOP)


def _lower(text: str) -> str:
    """Lower case with the same length (offsets found in it stay valid for ``text``)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower()[0] for c in text)


def _scenario_label(text: str) -> str | None:
    text = _lower(text)
    if _NEITHER_RE.search(text):
        m = _NEITHER_RE.search(text)
        tail = text[m.start() : m.end() + 40] if m else ""
        if _SCENARIO_RE.search(tail):
            return "stalemate"
    m = _SCENARIO_RE.search(text)
    if not m:
        return None
    for i, (_, name) in enumerate(_SCENARIOS):
        if m.group(f"s{i}"):
            return name
    return None  # pragma: no cover


def _heading(piece: str, text: str, end: int) -> bool:
    """A heading line: short, no sentence punctuation, alone on its line."""
    words = split_words(piece)
    if not words or len(words) > 6 or _TERMINAL_RE.search(piece) or piece.rstrip().endswith((",", ";", ":")):
        return False
    return end >= len(text) or text[end] == "\n"


def _worth_reading(piece: str, dates: Sequence[TimeExpr], pub: dt.date | None, heading_label: str | None) -> bool:
    """Cheap first look: a date that may lie ahead, a scenario word, or a scenario section."""
    if heading_label is not None or _SCENARIO_RE.search(_lower(piece)):
        return True
    for d in dates:
        iv = value_interval(d.value)
        if iv is not None and (pub is None or iv[1] >= pub or (d.rule.startswith("weekday")
                                                               and (pub - iv[1]).days < 7)):
            return True
    return False


def _marked_before(low: str, pos: int) -> bool:
    """A future marker before ``pos`` in its clause, with no past tense between ("is due to brief reporters
    on Monday afternoon"; not "began the vote on Tuesday that will ...")."""
    cs, _ce = _clause(low, pos)
    ends = [m.end() for m in _STRONG_FUTURE_RE.finditer(low, cs, pos)]
    return bool(ends) and not _PAST_RE.search(low, ends[-1], pos)


def _marked_near(low: str, start: int, end: int) -> bool:
    """A future marker in the date's clause with no past tense between it and the date ("will be scoured on
    Sunday", "On Friday, the council will vote"; not "would place them near the objects spotted on Sunday")."""
    cs, ce = _clause(low, start)
    for m in _FUTURE_RE.finditer(low, cs, max(ce, end)):
        gap = _PASSIVE_RE.sub(" ", low[m.end() : start] if m.end() <= start else low[end : m.start()])
        if not _PAST_RE.search(gap) and not _PERFECT_RE.search(gap):
            return True
    return False


def _ahead_of(before: str, headline: str | bool) -> bool:
    """The words before a weekday look ahead: a schedule verb right before it, or a future marker (or a
    present-tense move or schedule in a full sentence) with no past tense in between."""
    before = _lower(before)
    if _SCHEDULE_GAP_RE.search(before) or _DEADLINE_IS_RE.search(before):
        return True
    ends = [m.end() for m in _STRONG_FUTURE_RE.finditer(before)]
    if not ends and not headline:
        ends = [m.end() for m in _PRESENT_VERB_RE.finditer(before)]
    return bool(ends) and not _PAST_RE.search(before[ends[-1] :])


def _label_after_marker(body: str, events: Sequence[Event] = (), start: int = 0) -> str | None:
    """The verb after the future marker ("is due to brief" -> "brief"), as the event stage lemmatised it
    when it found an event there ("will be presented" -> "present")."""
    body = _lower(body)
    m = _MARKER_VERB_RE.search(body)
    if not m:
        return None
    verb = m.group(1).lower()
    at = start + m.start(1)
    verb = next((e.action for e in events if e.trigger.start == at and " " not in e.action), verb)
    if verb in _STOP or verb in ("be", "have", "not", "never"):
        return None
    particle = (m.group(2) or "").lower()
    if verb in ("enter", "come", "go") and particle in ("force", "effect"):
        return "take effect"
    if particle in ("effect",) or (particle and particle != "on"):
        return f"{verb} {particle}"
    return verb


def _normal_label(label: str | None) -> str | None:
    if label is None:
        return None
    if label.startswith(("enter", "come", "go")) and label.endswith(("force", "effect")):
        return "take effect"
    return label


@dataclass(frozen=True, slots=True)
class _Date:
    expr: TimeExpr
    lo: dt.date
    hi: dt.date
    value: str
    span: tuple[int, int]  # when-words: bound word included
    bound: str | None  # before / by / until / within
    quoted: bool


def _article_candidates(clean: CleanArticle, ext: Extraction, index: EntityIndex | None,
                        order: int) -> list[_Cand]:
    text = clean.text
    aid = clean.article.id
    published = clean.article.published
    pub = clean.article.published_day
    said_on = published[:10] if published else None
    sentences = ext.sentences or (Span(0, len(text), text),)
    pieces = split_sentences(text, sentences)
    dates = sorted((d for d in ext.dates if d.type == "DATE"), key=lambda d: d.span.start)
    parts = [(p.start, p.end) for q in ext.quotes if q.kind == "direct" for p in q.parts]
    mentions = sorted(ext.mentions, key=lambda m: m.span.start)
    events = sorted(ext.events, key=lambda e: e.trigger.start)

    out: list[_Cand] = []
    heading_label: str | None = None
    section = 0
    di = mi = ei = 0
    for n, (start, end) in enumerate(pieces):
        piece = text[start:end]
        if _heading(piece, text, end):
            section += 1
            heading_label = _scenario_label(piece)
            continue
        while di < len(dates) and dates[di].span.start < start:
            di += 1
        in_dates = []
        k = di
        while k < len(dates) and dates[k].span.start < end:
            if dates[k].span.end <= end:
                in_dates.append(dates[k])
            k += 1
        while mi < len(mentions) and mentions[mi].span.start < start:
            mi += 1
        in_mentions = []
        k = mi
        while k < len(mentions) and mentions[k].span.start < end:
            in_mentions.append(mentions[k])
            k += 1
        while ei < len(events) and events[ei].trigger.start < start:
            ei += 1
        in_events = []
        k = ei
        while k < len(events) and events[k].trigger.start < end:
            in_events.append(events[k])
            k += 1

        if not _worth_reading(piece, in_dates, pub, heading_label) or _QUESTION_RE.search(piece):
            continue  # nothing ahead in it, or a question ("Could the conflict escalate?") that states nothing
        mask = _quoted_mask(text, start, end, parts)
        if all(mask):
            continue  # a quote alone: rhetoric, never an item on its own
        body = _outside(piece, mask)
        low = _lower(body)
        has_marker = bool(_FUTURE_RE.search(low))
        quoted_text = _lower("".join(ch for ch, q in zip(piece, mask, strict=True) if q))
        if _WIDGET_RE.search(low):
            continue  # "Stay tuned for updates next week": the page talking, not the story
        headline = _TERMINAL_RE.search(piece) is None
        deadline_cue = bool(_DEADLINE_RE.search(low) or _GIVEN_UNTIL_RE.search(low))

        accepted: list[_Date] = []
        past = 0  # 0: no past date, 1: a dated attribution only, 2: an event on a past date
        for d in in_dates:
            iv = value_interval(d.value)
            if iv is None:
                continue
            lo, hi = iv
            value = d.value
            rel_s = d.span.start - start
            quoted = mask[rel_s] if rel_s < len(mask) else False
            before = _lower(piece[max(0, rel_s - 40) : rel_s])
            if pub is not None and hi < pub and d.precision == "day" and d.rule.startswith("weekday") \
                    and not _PAST_WEEKDAY_RE.search(_lower(d.span.text)) and (pub - hi).days < 7 \
                    and not quoted and _ahead_of(low[:rel_s], headline):
                # "A new zone starts on Tuesday", "the verdict is due on Friday" resolved to the past: ahead
                lo = hi = lo + dt.timedelta(days=7)
                value = lo.isoformat()
            if pub is not None and hi < pub:
                if not quoted and _PRECISION_RANK.get(d.precision, 9) <= 2:
                    # an event on a past date ("began on Monday"); "analysts said on Monday" only dates the words
                    past = max(past, 1 if _ATTRIBUTION_RE.search(before) else 2)
                continue
            if _AFTER_RE.search(before) or _DATED_WORDS_RE.search(before) or _HABIT_RE.search(before) \
                    or _ANAPHORIC_RE.search(_lower(d.span.text)):
                # "after Tuesday", "since Monday", "said Tuesday", "a Sunday talk show", "the next day" (of the
                # story told, not of the publication): not when anything is expected
                continue
            bm = _BOUND_RE.search(before)
            bound = None
            if bm and not _DURATION_BEFORE_RE.search(before):
                bound = bm.group(1).lower()
            if quoted:  # words inside a direct quote: only a dated deadline ("The door is open until ...")
                ok = (d.precision == "day" and bool(_DEADLINE_RE.search(quoted_text))
                      and not _NEG_FUTURE_RE.search(quoted_text) and (pub is None or hi >= pub))
            elif pub is None:
                ok = has_marker and _PRECISION_RANK.get(d.precision, 9) <= 2
            elif lo > pub:  # after publication, with a word that looks ahead (not "the massacre in June")
                ok = (_marked_near(low, rel_s, rel_s + len(d.span.text)) or deadline_cue
                      or bool(_MOVED_RE.search(low))) or (
                    bool(_AHEAD_RE.search(before[-12:] + _lower(d.span.text)) or _PRESENT_VERB_RE.search(low))
                    and not _PAST_RE.search(low) and not _PERFECT_RE.search(low))
            else:  # the date contains the publication day: a future marker before it in its clause
                ok = _marked_before(low, rel_s) and (
                    d.precision == "day" or bound is not None
                    or bool(re.search(r"\b(?:end|later|next|coming|rest)\b", before[-10:] + _lower(d.span.text))))
            if ok and _PRECISION_RANK.get(d.precision, 9) > 2 and (
                    bound is None or (pub is not None and (hi - pub).days > 366)):
                ok = False  # "next year", "this winter", "by 2030": too vague or too far to be what comes next
            if not ok:
                continue
            if bound in ("before", "by", "until", "till", "within") and pub is not None:
                lo = min(lo, pub)
            span_start = start + max(0, rel_s - 40) + bm.start(1) if bm and bound else d.span.start
            pm = _LEAD_RE.search(before)
            if pm and not bound:  # "later this week", "as early as next week": the words as written
                span_start = start + max(0, rel_s - 40) + pm.start()
            accepted.append(_Date(d, lo, hi, value, (span_start, d.span.end), bound, quoted))

        keys: set[str] = set()
        for m in in_mentions:
            rel_m = m.span.start - start
            if rel_m >= len(mask) or mask[rel_m] or m.label not in ("PERSON", "ORG"):
                continue
            ent = index.resolve(aid, m.key) if index is not None else None
            if ent is not None:
                keys.add(ent.id)
            names = _letter_words(fold(ent.name if ent is not None else m.key))
            if names:
                keys.add("=" + names[-1])
        for e in in_events:
            if e.actor and e.actor_span is not None and e.actor_span.start >= start:
                heads = _letter_words(fold(e.actor))
                if heads and heads[-1] not in _STOP:
                    keys.add("~" + heads[-1])
        words = _content(body)
        sentence = (start, end)

        best = min(accepted, key=lambda a: (_PRECISION_RANK.get(a.expr.precision, 9), a.span[0])) \
            if accepted else None
        made = len(out)
        if best is None:
            label = _scenario_in(body, heading_label, past)
            if label is not None:
                out.append(_Cand("scenario", label, None, None, None, None, None, None, clean, sentence,
                                 said_on, order * 100000 + n, frozenset(keys), words, section))
            continue
        cs, ce = _clause(body, best.expr.span.start - start)
        clause = body[cs:ce]
        label = _scenario_in(clause, heading_label, past, possible=True)
        if label is not None:  # "such a deal could be announced before New Year's Eve"
            out.append(_Cand("scenario", label, best.value, best.expr.precision, best.lo, best.hi,
                             text[best.span[0] : best.span[1]], best.span, clean, sentence, said_on,
                             order * 100000 + n, frozenset(keys), words, section))
            continue
        kind, label = _dated_kind(body, best, in_events, start)
        lo, hi = best.lo, best.hi
        if kind == "deadline":  # "until New Year's Eve": the deadline is the day itself
            lo, hi = value_interval(best.value) or (lo, hi)
        if not _NEG_FUTURE_RE.search(_lower(clause)) or (kind == "deadline" and re.search(r"deadline|ultimatum", low)):
            out.append(_Cand(kind, label, best.value, best.expr.precision, lo, hi,
                             text[best.span[0] : best.span[1]], best.span, clean, sentence, said_on,
                             order * 100000 + n, frozenset(keys), words, section))
        rest = body[:cs] + " " * (ce - cs) + body[ce:]
        label = _scenario_in(rest, None, past)
        if label is not None and len(out) == made + 1:  # "..., and warned that a stalemate could follow"
            out.append(_Cand("scenario", label, None, None, None, None, None, None, clean, sentence,
                             said_on, order * 100000 + n, frozenset(keys), words, section))
    return out


def _clause(body: str, pos: int) -> tuple[int, int]:
    """The clause of ``body`` around position ``pos`` (between ", and", "; ", " but ", ", while" ...)."""
    cs, ce = 0, len(body)
    for m in _CLAUSE_RE.finditer(body):
        if m.end() <= pos:
            cs = m.end()
        elif m.start() >= pos:
            ce = m.start()
            break
    return cs, ce


def _scenario_in(text: str, heading_label: str | None, past: int, possible: bool = False) -> str | None:
    """The scenario a sentence or clause describes: a scenario word framed as a possibility ("could", "the
    more likely outcome") in a clause that is not negated and reports no past event, or a modal sentence
    under a scenario heading with no past date at all ("told officers on Monday that ..." reports); with ``possible`` only could/might/may framing counts (a dated "would resume" is a
    schedule, not a scenario)."""
    text = _lower(text)
    label = _scenario_label(text)
    if heading_label and heading_label != "assault" and _MODAL_RE.search(text) and not _NEG_FUTURE_RE.search(text) \
            and (label is not None or past == 0):  # a heading "Attacks" names what happened, not a prospect
        return heading_label
    if label is None or past == 2:
        return None
    frame = _POSSIBLE_RE if possible else _FRAME_RE
    for m in _SCENARIO_RE.finditer(text):  # the first hypothetical scenario word in a framed, plain clause
        cs, ce = _clause(text, m.start())
        clause = text[cs:ce]
        if not frame.search(clause) or _NEG_FUTURE_RE.search(clause) or _COUNTERFACTUAL_RE.search(clause):
            continue
        neither = _NEITHER_RE.search(clause)
        if neither is not None and neither.start() <= m.start() - cs <= neither.end() + 20:
            return "stalemate"  # "neither a deal nor an assault"
        if _hypothetical(text, m):
            found = _scenario_label(m.group(0))
            if found == "assault" and not (_SCENE_RE.search(clause) or _WILL_PRE_RE.search(text[cs : m.start()])):
                continue  # attacks are everyday facts of conflict coverage: only a stated prospect counts
            return found
    return None


def _hypothetical(text: str, m: re.Match) -> bool:
    """The scenario word at ``m`` names something that may happen, not something that exists."""
    word = m.group(0)
    pre = text[max(0, m.start() - 40) : m.start()]
    if _DEMAND_RE.search(pre):
        return False  # "called for an immediate ceasefire": a demand, not an outcome
    if _PAST_STATE_RE.search(pre):
        return False  # "was at risk of collapse": a past state, not what comes next
    if _SCEN_VERB_FORMS.fullmatch(word) and _SCEN_VERB_PRE_RE.search(pre):
        return True
    if word.endswith("s") and not word.endswith(("ss", "sis")) and not _SCEN_VERB_FORMS.fullmatch(word):
        return bool(_SCEN_PLURAL_PRE_RE.search(pre))
    return bool(_SCEN_NOUN_PRE_RE.search(pre))


def _dated_kind(body: str, best: _Date, events: Sequence[Event], start: int) -> tuple[str, str | None]:
    """kind and label of a dated expectation."""
    cased, body = body, _lower(body)
    after_date = body[best.span[1] - start :]
    if _DEADLINE_RE.search(body) or (best.bound == "until" and _GIVEN_UNTIL_RE.search(body)) \
            or (best.bound in ("by", "until") and _OBLIGATION_RE.search(body)) or best.quoted:
        m = re.match(r"\s*(?:\w+\s+){0,2}?to\s+([a-z]+)(?:\s+(over|up|down|off|out|back))?", after_date)
        if m and m.group(1) not in _STOP:
            return "deadline", m.group(1) + (f" {m.group(2)}" if m.group(2) else "")
        m = _OBLIGED_VERB_RE.search(body)
        if m and m.group(1).lower() not in _STOP:
            return "deadline", m.group(1).lower()
        if _DEADLINE_RE.search(body):
            word = _DEADLINE_RE.search(body).group(0).lower()  # type: ignore[union-attr]
            return "deadline", "expire" if word.startswith(("expir", "run")) else "deadline"
        return "deadline", "deadline"
    if _SCHEDULE_RE.search(body):
        return "scheduled", "take effect"
    trip = _TRIP_RE.search(cased)
    if trip:
        verb = next(g for g in trip.groups() if g)
        return "trip", _TRIP_VERBS[verb.lower()]
    label = _label_after_marker(body, events, start)
    if label is None:  # the event the date belongs to, else the first that is not reporting speech
        owner = [e for e in events if e.when_span is not None and e.when_span.start <= best.expr.span.start
                 < e.when_span.end and e.action not in _REPORTING]
        rest = [e for e in events if e.action not in _REPORTING]
        label = owner[0].action if owner else rest[0].action if rest else None
    if label is None or label in _SCHEDULING:  # "The verdict is due on Friday": the subject names the event
        m = _SUBJECT_RE.match(cased.strip())
        label = m.group(1).lower() if m and m.group(1).lower() not in _STOP else label
    return "scheduled", _normal_label(label)


# --------------------------------------------------------------------------- merging


def _rank(c: _Cand) -> tuple:
    piece = c.clean.text[c.sentence[0] : c.sentence[1]]
    headline = _TERMINAL_RE.search(piece) is None
    width = (c.hi - c.lo).days if c.lo is not None and c.hi is not None else 1 << 30
    return (width, c.said_on or "~", headline, c.order)


def _compatible(a: _Cand, b: _Cand) -> bool:
    if a.lo is None or b.lo is None or a.hi is None or b.hi is None:
        return a.lo is None and b.lo is None
    return (a.lo <= b.lo and b.hi <= a.hi) or (b.lo <= a.lo and a.hi <= b.hi)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _similar(a: _Cand, b: _Cand) -> bool:
    shared = a.keys & b.keys
    if a.kind == "trip":
        return any(not k.startswith("~") for k in shared)  # the same traveller, by name
    if a.kind == "deadline":
        bare = {k[1:] for k in a.keys if k[0] in "=~"} & {k[1:] for k in b.keys if k[0] in "=~"}
        return bool(shared or bare) or _overlap(a.words, b.words) >= 0.4
    if a.kind == "scenario":
        return a.label == b.label and _overlap(a.words, b.words) >= 0.4
    return (a.label is not None and a.label == b.label and bool(shared)) or _overlap(a.words, b.words) >= 0.5


def _peek(group: list[_Cand]) -> list[_Cand]:
    """The members a newcomer is compared with: the best few and the latest few (keeps merging linear)."""
    return group if len(group) <= 2 * _PEEK else group[:_PEEK] + group[-_PEEK:]


def _group(cands: list[_Cand]) -> list[list[_Cand]]:
    """Dated candidates merged into expectations (representative first); a candidate similar to two groups
    joins them when their representatives' dates are compatible."""
    groups: list[list[_Cand]] = []
    by_kind: dict[str, list[int]] = {}  # kind -> indexes of live groups
    aids: list[set[str]] = []
    for c in sorted(cands, key=_rank):
        live = by_kind.setdefault(c.kind, [])
        homes = [i for i in live if _compatible(groups[i][0], c) and any(_similar(m, c) for m in _peek(groups[i]))]
        if not homes:  # a second sentence of a source already in a compatible group (headline, recap)
            homes = [i for i in live if c.clean.article.id in aids[i] and _compatible(groups[i][0], c)
                     and (c.label == groups[i][0].label or _overlap(c.words, groups[i][0].words) >= 0.2)][:1]
        if not homes:
            live.append(len(groups))
            groups.append([c])
            aids.append({c.clean.article.id})
            continue
        home = homes[0]
        for other in homes[1:]:  # the candidate links two groups: one expectation (reps stay compatible)
            if _compatible(groups[home][0], groups[other][0]):
                groups[home].extend(groups[other])
                aids[home] |= aids[other]
                groups[other] = []
                live.remove(other)
        groups[home].append(c)
        groups[home].sort(key=_rank)
        aids[home].add(c.clean.article.id)
    return [g for g in groups if g]


def _scenario_runs(cands: list[_Cand]) -> list[list[_Cand]]:
    """Adjacent scenario sentences of one source with the same label are one description; descriptions of
    the same scenario in different sources (shared words) are merged."""
    runs: list[list[_Cand]] = []
    for c in sorted(cands, key=lambda c: c.order):
        last = runs[-1][-1] if runs else None
        if last is not None and last.clean is c.clean and last.label == c.label and last.section == c.section:
            runs[-1].append(c)
        else:
            runs.append([c])
    groups: list[list[_Cand]] = []
    by_label: dict[str | None, list[int]] = {}
    for run in runs:
        live = by_label.setdefault(run[0].label, [])
        home = next((i for i in live if groups[i][0].clean is not run[0].clean
                     and any(_similar(a, b) for a in _peek(groups[i]) for b in run[:_PEEK])), None)
        if home is None:
            live.append(len(groups))
            groups.append(list(run))
        else:
            groups[home].extend(run)
    return groups


def _item(group: list[_Cand], independence: Independence | None, latest: dt.date | None) -> NextItem:
    rep = group[0]
    members: list[_Cand] = []
    seen: set[str] = set()
    scenario = rep.kind == "scenario"
    for c in group:
        aid = c.clean.article.id
        if aid in seen and not (scenario and c.clean is members[-1].clean):
            continue
        seen.add(aid)
        members.append(c)
    citations = [c.clean.cite(*c.sentence) for c in members]
    dated = rep if rep.when is not None else None
    for c in members:
        if c.when_span is not None and dated is not None:
            cit = c.clean.cite(*c.when_span)
            if cit not in citations:
                citations.append(cit)
    sources = tuple(dict.fromkeys(c.source for c in citations))
    when = dated.when if dated else None
    passed = bool(dated is not None and latest is not None and dated.hi is not None and dated.hi < latest)
    said = [c.said_on for c in members if c.said_on]
    return NextItem(
        id="",
        kind=rep.kind,
        text=citations[0].text,
        when=when,
        when_text=dated.when_text if dated else None,
        said_on=min(said) if said else None,
        label=rep.label,
        citations=tuple(citations),
        sources=sources,
        independent=independence.count(sources) if independence is not None else len(sources),
        passed=passed,
    )


def find_next(
    items: Iterable[tuple[CleanArticle, Extraction]],
    index: EntityIndex,
    *,
    independence: Independence | None = None,
) -> tuple[NextItem, ...]:
    """Scheduled events, deadlines, planned trips and scenarios the sources expect, merged across sources.

    Ordered by date (undated scenarios last, by the date they were said); ids "n-1", "n-2", ...
    """
    cands: list[_Cand] = []
    latest: dt.date | None = None
    for order, (clean, ext) in enumerate(items):
        pub = clean.article.published_day
        if pub is not None and (latest is None or pub > latest):
            latest = pub
        cands.extend(_article_candidates(clean, ext, index, order))
    dated = _group([c for c in cands if c.kind != "scenario"])
    scen = _scenario_runs([c for c in cands if c.kind == "scenario"])
    made = [_item(g, independence, latest) for g in dated + scen]

    def key(it: NextItem) -> tuple:
        iv = value_interval(it.when) if it.when is not None else None
        if iv is not None:
            return (0, iv[0], iv[1], it.said_on or "~", _KIND_ORDER[it.kind])
        return (1, dt.date.min, dt.date.min, it.said_on or "~", _KIND_ORDER[it.kind])

    made.sort(key=key)
    return tuple(_renumber(it, i) for i, it in enumerate(made, 1))


def _renumber(item: NextItem, n: int) -> NextItem:
    return replace(item, id=f"n-{n}")


def next_to_dict(item: NextItem) -> dict:
    """A NextItem as the dossier's ``next`` entry (citations as {source, start, end, text})."""
    return {
        "id": item.id,
        "kind": item.kind,
        "text": item.text,
        "when": item.when,
        "when_text": item.when_text,
        "said_on": item.said_on,
        "label": item.label,
        "citations": [{"source": c.source, "start": c.start, "end": c.end, "text": c.text}
                      for c in item.citations],
        "sources": list(item.sources),
        "independent": item.independent,
        "passed": item.passed,
    }
