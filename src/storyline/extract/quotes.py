"""Quotes and attribution: direct quotes, reported speech, speaker resolution.

``extract_quotes(doc, mentions, dates)`` reads one parsed article (the spaCy Doc of
its *cleaned* text) and returns ``records.Quote``s whose spans all index that text.

* Direct quotes come from one pass over the quote marks of each paragraph (straight
  and curly double quotes; a quote left open at a paragraph end continues when the
  next paragraph opens with a quote mark).  Split quotes (``"A," she said, "b."``)
  become one Quote with several parts.  Short quoted terms with no speech verb nearby
  (scare quotes, titles) are dropped.
* Indirect quotes come from speech/cognition verbs with a clausal complement
  (``said that ...``) and from ``according to X``.
* Speakers: the cue's subject (or inverted subject); names map to the overlapping
  Mention's key, pronouns to a recent person of compatible gender (preferring the
  previous quote's speaker), nominals ("the minister") to the latest person whose
  role names that noun.

``extract_attributions`` also reports attribution the way PolNeAR annotates it (the dossier wants
``extract_quotes``): stance verbs ("wants", "backs", "refused to") and a lexicon of verbs learned on
PolNeAR train (BROAD_LEMMAS), stance adjectives ("is skeptical of"), light verbs with an attribution
noun ("made the case for"), headline colons and title-case headlines ("Novak Endorses Lopez"),
possessive noun cues ("Smith's attacks on"), relative-pronoun and first-person sources outside quotes,
passive by-agents, sentence-initial "In a poll ..., X" and sentence-final "..., records show".
See docs/quotes.md.  Cost on PolNeAR dev: about 1.2% (quotes) and 1.7% (attributions) of the spaCy parse
(token attributes are read as arrays; only cue candidates become Token objects).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from storyline.records import Mention, Quote, Span, TimeExpr

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["extract_quotes", "extract_attributions", "find_quoted", "CUE_LEMMAS"]

# Verbs that introduce speech (direct or reported).
SPEECH_LEMMAS = frozenset(
    """say tell state claim announce warn add accuse deny insist argue confirm report write note vow
    pledge predict acknowledge suggest explain declare stress emphasize emphasise contend assert
    admit concede reply respond answer ask tweet post recall remark observe complain charge allege
    caution urge promise threaten estimate testify comment counter continue mention boast joke quip
    repeat reiterate assure inform disclose reveal conclude agree disagree propose demand recount
    lament concur retort whisper shout yell scream cry chant read point hint signal indicate confess
    exclaim echo muse marvel""".split()  # noqa: SIM905
)
# Verbs of cognition / evidence that PolNeAR-style attribution also counts (indirect only).
COGNITION_LEMMAS = frozenset(
    """believe think expect hope fear worry doubt suspect guess figure reckon understand find show
    suggest imply estimate forecast assume recognize realize""".split()  # noqa: SIM905
)
# Speech acts whose content is a noun phrase or infinitive ("called the plan a disaster",
# "accused Lopez of lying", "urged voters to stay home"); used only when there is no clausal complement.
OBJECT_LEMMAS = frozenset(
    """call describe accuse blame urge ask""".split()  # noqa: SIM905
)
CUE_LEMMAS = SPEECH_LEMMAS | COGNITION_LEMMAS
# Stance and intention verbs PolNeAR also annotates as attribution ("Lopez wants to ...", "Smith backs ...");
# only extract_attributions() uses them: they are not quotes.  ("hop": the small model's lemma of "hoping".)
STANCE_LEMMAS = frozenset(
    """want support endorse back oppose seek prefer offer refer talk speak discuss question defend
    attack challenge denounce cite view express reject dismiss mention point focus recommend request
    intend insist hope expect dispute contest praise thank criticize criticise condemn maintain know
    feel decide refuse decline vote hop see mock slam blast tout hail applaud decry lambaste name
    share""".split()  # noqa: SIM905
)
# Nouns that report speech when they carry a source and a that-clause ("Lopez's claim that ...").
NOUN_LEMMAS = frozenset(
    """claim statement announcement warning assertion argument suggestion promise pledge accusation
    allegation insistence admission belief view contention prediction threat vow comment remark""".split()  # noqa: SIM905
)
# More verbs whose subject PolNeAR annotates as a source more often than not (counted on PolNeAR train only,
# cues outside quote marks); extract_attributions() reads them like stance verbs, with any object as content.
BROAD_LEMMAS = frozenset(
    """abandon acquiesce advocate aim anticipate apologize approve articulate assail attribute authorize balk
    barnstorm bemoan bristle broadcast brush calculate channel characterize chide chime clamor clarify coin
    congratulate contemplate contradict convince cooperate correct credit deem deride detail disavow
    distance document dub dwell elaborate email envision examine forget forward hammer herald highlight hurl
    imagine insult interject interpret interrupt introduce invoke issue judge knock label lambast lash learn
    liken list mandate negotiate opt order outline paint perceive persuade pitch plead posit preach press
    pressure proclaim prohibit promote pronounce protest publish quote rail reaffirm rebuff rebuke rebut
    reference regard release remember remind resist retweet revise revisit side single speculate spell
    sponsor sue trumpet underline utter veto voice volunteer wish wonder""".split()  # noqa: SIM905
)
# Adjectives of stance after a copula ("Lopez is skeptical of the deal", "they are eager to vote").
STANCE_ADJ = frozenset(
    """eager critical quick aware worried concerned skeptical sceptical outspoken sure willing confident
    upset convinced happy proud hopeful optimistic pessimistic divided interested vocal wary reluctant
    adamant inclined careful glad focused upbeat unhappy ready angry keen outraged impressed unanimous
    pleased open surprised leery shocked scared appreciative tired supportive opposed furious frustrated
    disappointed determined unwilling afraid fearful certain satisfied dissatisfied doubtful
    enthusiastic""".split()  # noqa: SIM905
)
# Light verbs whose object noun carries the attribution ("made the case for", "took a swipe at").
LIGHT_VERBS = frozenset("make take have give issue draw raise express hold pay cast lay offer".split())  # noqa: SIM905
LIGHT_NOUNS = frozenset(
    """case statement mention view issue shot swipe aim vote question point comment attention criticism word
    reference credit decision argument commitment concern confidence doubt praise stance tribute
    opinion ballot interest promise speech apology joke message proposal response appeal announcement
    allegation observation position claim remark pledge plea warning defense congratulation""".split()  # noqa: SIM905
)
_ALL_CUES = CUE_LEMMAS | OBJECT_LEMMAS | STANCE_LEMMAS | NOUN_LEMMAS
# Nouns that carry an attribution with a possessive source ("his attacks on Lopez"), extract_attributions only.
_BROAD_NOUNS = NOUN_LEMMAS | frozenset("reply estimate attack criticism denial".split())  # noqa: SIM905
_NOUN_PREPS = frozenset({"of", "on", "about", "for", "against", "to", "over", "that"})
_OBJECT_DEPS = frozenset({"dobj", "oprd", "xcomp", "dative", "ccomp"})
_OBJECT_PREPS = frozenset({"as", "of", "for", "to", "about", "over", "on"})
_OBJECT_NEEDS = {  # what an object cue must govern to report something (extract_quotes)
    "call": {"oprd", "xcomp", "for", "on"},
    "describe": {"as"},
    "accuse": {"of", "ccomp"},
    "blame": {"for"},
    "urge": {"xcomp", "ccomp"},
    "ask": {"xcomp", "ccomp", "about", "for"},
}

_MARKS = re.compile(r"''|``|[\"“”]")  # '' and `` : typewriter-style marks (some wire and NYT copy)
_PARA = re.compile(r"[^\n]*[^\s][^\n]*")  # a line with something on it (a tab-only line is no paragraph)
_OPENERS = ('"', "“", "''", "``")
DOMINANT = 2  # a shared surname means the person named this many times as often as the next
SALIENT_SENTENCES = 4  # sentences before the pronoun's own searched for the person it continues
_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p"}
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "you", "it", "this", "that", "who", "which"})
# extract_attributions keeps "who" ("voters who back Lopez": the source is the pronoun) and the author's "I".
_BROAD_SKIP = _FIRST_PERSON - {"who", "i", "we", "you"}
# Cues whose subject PolNeAR rarely marks as a source ("continues to lead"): extract_attributions skips them.
_BROAD_DROP = frozenset({"continue", "maintain", "figure"})
# Light verbs, stance adjectives and nouns whose PolNeAR train precision as a source cue was under a third
# ("ready to", "willing to", "has a view", "his statement that"): extract_attributions skips them.
_BROAD_DROP_OTHER = frozenset(
    """have pay give draw hold ready willing certain sure focused determined unwilling enthusiastic comment
    statement remark criticism view accusation argument belief demand""".split()  # noqa: SIM905
)
_LOOSE_SUBJ = frozenset({"nummod", "npadvmod", "nmod", "dep"})
_REST_DEPS = frozenset({"punct", "cc", "conj", "mark", "advmod", "npadvmod", "aux", "neg", "prt", "nsubj"})
_TITLE_GENDER = re.compile(r"\b(Mr|Ms|Mrs|Miss|Mme|Sir|Dame|Lady|Lord)\.?\s+$")
_FEMALE_TITLES = frozenset({"ms", "mrs", "miss", "mme", "dame", "lady"})
# Common given names with a strong gender convention (a tie-breaker for he/she; titles and roles win).
_FEMALE_NAMES = frozenset(
    """mary maria marie anna anne ann elena elizabeth sarah sara hillary nancy susan karen linda lisa laura
    emily emma olivia sophia julia claudia angela kamala michelle melania ursula theresa teresa margaret
    catherine katherine kate jane janet joan patricia barbara jennifer jessica amy rachel rebecca ruth helen
    christine christina nicole natalie victoria isabel isabella ana carmen rosa lucia sofia fatima aisha
    amina priya yulia olena tatiana svetlana ingrid greta marine giorgia jacinda nikki tulsi elise""".split()  # noqa: SIM905
)
_MALE_NAMES = frozenset(
    """john james robert michael william david richard joseph thomas charles christopher daniel matthew
    donald george mark paul steven andrew kenneth joshua kevin brian edward ronald timothy jason jeffrey
    ryan gary jacob nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank
    raymond patrick jack dennis jerry tyler henry peter carl arthur lawrence joe bernie barack bill mike
    ted marco rand jeb chris vladimir volodymyr emmanuel olaf boris xi narendra recep benjamin mohammed
    muhammad ahmed ali omar hassan ivan sergei dmitry pedro carlos juan jose luis miguel nicolas diego
    rafael pablo hugo""".split()  # noqa: SIM905
)
_FEMALE_ROLE = re.compile(
    r"\b(?:\w+woman|queen|princess|duchess|mother|sister|wife|daughter|actress|first lady)\b", re.I
)
_MALE_ROLE = re.compile(r"\b(?:\w+man|king|prince|duke|father|brother|husband|son)\b", re.I)
_TELL_OBJECTS = frozenset(
    """reporters journalists press audience crowd supporters lawmakers senators voters students""".split()  # noqa: SIM905
)
_STATEMENT_NOUNS = frozenset(
    """statement interview tweet post letter release briefing speech conference call op-ed email memo
    testimony hearing message video remarks address""".split()  # noqa: SIM905
)
_STRIP = " \t\n,;:-–—"
_DATELINE = re.compile(
    r"[A-Z][A-Z'’.-]{2,}(?:[ ,][A-Za-z0-9 .,'’-]{0,50}?)?\s*(?:\([^)\n]{1,20}\))?\s*[—–]{1,2}\s*"
)
_LEAD_DAY = re.compile(
    r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight)\b[ ,]*",
    re.I,
)
_NAME_GLUE = frozenset({"of", "the", "'s", "’s", "de", "van", "von", "al", "bin"})
_CUE_LEFT = frozenset({"aux", "auxpass", "neg"})


@dataclass
class _Cand:
    kind: str
    parts: list[tuple[int, int]]
    para: int
    cue: Token | None = None
    cue_span: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    speaker_tok: Token | None = None
    key: str | None = None
    person: bool = False
    sent: tuple[int, int] = (0, 0)
    said_on: TimeExpr | None = None
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


# --------------------------------------------------------------------------- quote marks


def _trim(text: str, s: int, e: int, chars: str = " \t\n") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def find_quoted(text: str) -> list[tuple[list[tuple[int, int]], int]]:
    """Direct-quote segments: ([parts inside the marks], paragraph index), one pass over the marks.

    A quote left open at a paragraph end continues if the next paragraph begins with an opening mark
    (the news convention for multi-paragraph quotes); otherwise the stray mark is ignored.
    """
    paras = [(m.start(), m.end()) for m in _PARA.finditer(text)]
    out: list[tuple[list[tuple[int, int]], int]] = []
    pending: list[tuple[int, int]] = []  # parts of a quote continuing across paragraphs
    pending_para = -1
    for pi, (ps, pe) in enumerate(paras):
        open_at: int | None = None  # offset just after the opening mark
        first = True
        for m in _MARKS.finditer(text, ps, pe):
            ch, pos = m.group(), m.start()
            if pending and first and text[ps:pos].strip() == "" and ch in _OPENERS:
                open_at = m.end()  # continuation of the previous paragraph's quote
                first = False
                continue
            if pending and first:
                pending = []  # continuation expected but not found
            first = False
            if ch in ("“", "``") or open_at is None and ch != "”":
                open_at = m.end()
            elif open_at is not None:  # ” or a closing " / ''
                s, e = _trim(text, open_at, pos, " \t\n,")
                if s < e:
                    parts = [*pending, (s, e)]
                    out.append((parts, pending_para if pending else pi))
                pending = []
                open_at = None
        if pending and first:
            pending = []
        if open_at is not None:
            nxt = text[paras[pi + 1][0] : paras[pi + 1][1]].lstrip() if pi + 1 < len(paras) else ""
            if nxt.startswith(_OPENERS):
                s, e = _trim(text, open_at, pe, " \t\n,")
                if s < e:
                    if not pending:
                        pending_para = pi
                    pending.append((s, e))
            else:
                pending = []
    return out


# --------------------------------------------------------------------------- helpers


_WANTED: dict[bool, np.ndarray] = {}


def _dominant(keys: set[str], counts: dict[str, int]) -> str | None:
    """The one person of ``keys`` (people sharing a surname) a bare surname means: the only one, or the one
    named at least DOMINANT times as often as any other ("Ebeling" for the Betsy Ebeling an article is about,
    not her husband Tom, named twice); None when no one stands out."""
    ranked = sorted(keys, key=lambda k: (-counts.get(k, 0), k))
    if len(ranked) == 1:
        return ranked[0]
    return ranked[0] if counts.get(ranked[0], 0) >= DOMINANT * max(1, counts.get(ranked[1], 0)) else None


class _Ctx:
    """Per-document lookups built once: sentences, paragraphs, mentions, quoted intervals."""

    def __init__(
        self, doc: Doc, mentions: Sequence[Mention], dates: Sequence[TimeExpr], broad: bool = False
    ) -> None:
        self.doc = doc
        self.text = doc.text
        # token attributes as arrays: no per-token Python objects for the whole document
        from spacy.attrs import IDX, LEMMA, LENGTH, LOWER, SENT_START  # spaCy loads only when used

        attrs = [IDX, LENGTH, SENT_START, LEMMA, LOWER]
        arr = doc.to_array(attrs) if len(doc) else np.zeros((0, len(attrs)), "uint64")
        idx = arr[:, 0].astype(np.int64)
        ends = idx + arr[:, 1].astype(np.int64)
        starts = np.flatnonzero(arr[:, 2] == 1)
        if len(doc) and (len(starts) == 0 or starts[0] != 0):
            starts = np.concatenate(([0], starts))
        self.sent_tok = [int(i) for i in starts] + [len(doc)]
        self.sent_starts = [int(idx[i]) for i in starts]
        self.sent_ends = [int(ends[b - 1]) for b in self.sent_tok[1:]]
        strings = doc.vocab.strings
        wanted = _WANTED.get(broad)
        if wanted is None:  # string hashes do not depend on the vocab: compute once per process
            cues = _ALL_CUES | BROAD_LEMMAS | STANCE_ADJ | LIGHT_VERBS | _BROAD_NOUNS if broad else _ALL_CUES
            wanted = _WANTED[broad] = np.array(sorted(strings.add(w) for w in cues), dtype="uint64")
        hit = np.isin(arr[:, 3], wanted) | (arr[:, 4] == strings.add("according"))
        self.cue_toks = [int(i) for i in np.flatnonzero(hit)]
        self.para_starts = [m.start() for m in _PARA.finditer(self.text)] or [0]
        self.mentions = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
        self.m_starts = [m.span.start for m in self.mentions]
        self.person_keys = {m.key for m in self.mentions if m.label == "PERSON"}
        last: dict[str, set[str]] = {}
        for k in self.person_keys:
            if k.split():
                last.setdefault(k.split()[-1], set()).add(k)
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.label == "PERSON":
                counts[m.key] = counts.get(m.key, 0) + 1
        self.surnames = {n: k for n, ks in last.items() if (k := _dominant(ks, counts)) is not None}
        given: dict[str, set[str]] = {}
        for k in self.person_keys:
            if len(k.split()) >= 2:
                given.setdefault(k.split()[0], set()).add(k)
        family = {k.split()[-1] for k in self.person_keys if len(k.split()) >= 2}
        self.given = {n: next(iter(ks)) for n, ks in given.items() if len(ks) == 1 and n not in family}
        self.dates = sorted((d for d in dates if d.type in ("DATE", "TIME")), key=lambda d: d.span.start)
        self.d_starts = [d.span.start for d in self.dates]
        self.gender = self._genders()
        self.resolved: dict[int, str] = {}  # token index of a speaker pronoun -> the person it was resolved to
        self.quoted: list[tuple[int, int]] = []
        self.q_starts: list[int] = []
        self.nominal_hits: dict[str, list[int]] = {}  # see _nominal

    def _genders(self) -> dict[str, str]:
        votes: dict[str, str] = {}
        for m in self.mentions:
            if m.label != "PERSON" or m.key in votes:
                continue
            g = None
            t = _TITLE_GENDER.search(self.text, max(0, m.span.start - 8), m.span.start)
            if t:
                g = "f" if t.group(1).lower() in _FEMALE_TITLES else "m"
            elif m.role and _FEMALE_ROLE.search(m.role):
                g = "f"
            elif m.role and _MALE_ROLE.search(m.role):
                g = "m"
            if g:
                votes[m.key] = g
        for m in self.mentions:  # given names only where nothing better was found
            first = m.key.split()[0].lower() if m.label == "PERSON" and m.key.split() else ""
            if m.key not in votes and first:
                if first in _FEMALE_NAMES:
                    votes[m.key] = "f"
                elif first in _MALE_NAMES:
                    votes[m.key] = "m"
        return votes

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        self.quoted = sorted(spans)
        self.q_starts = [s for s, _ in self.quoted]
        self.nominal_hits.clear()  # they depend on what is quoted

    def in_quote(self, pos: int) -> bool:
        i = bisect_right(self.q_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def para_of(self, pos: int) -> int:
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def para_bounds(self, pos: int) -> tuple[int, int]:
        i = self.para_of(pos)
        end = self.text.find("\n", self.para_starts[i])
        return self.para_starts[i], (len(self.text) if end < 0 else end)

    def sent_cues(self, a: int, b: int) -> list[Token]:
        """Candidate cue tokens of sentences a..b (inclusive)."""
        lo = bisect_left(self.cue_toks, self.sent_tok[a])
        hi = bisect_left(self.cue_toks, self.sent_tok[b + 1])
        return [self.doc[i] for i in self.cue_toks[lo:hi]]

    def sent_index(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def mention_at(self, s: int, e: int) -> Mention | None:
        """The first PERSON/ORG mention overlapping [s, e)."""
        i = bisect_left(self.m_starts, s)
        j = i - 1
        while j >= 0 and self.mentions[j].span.end > s:
            j -= 1
        best = None
        for m in self.mentions[j + 1 :]:
            if m.span.start >= e:
                break
            if (
                m.span.end > s
                and m.label in ("PERSON", "ORG")
                and (best is None or (best.label != "PERSON" and m.label == "PERSON"))
            ):
                best = m
        return best

    def span(self, s: int, e: int) -> Span:
        return Span(s, e, self.text[s:e])


def _is_verb(tok: Token) -> bool:
    return tok.tag_.startswith("VB") or tok.pos_ == "VERB"


def _subject(tok: Token, ctx: _Ctx | None = None) -> Token | None:
    """The nominal subject of a cue verb, climbing through conj/advcl/xcomp ("..., adding", "and said").

    Of several subjects (parser slips) the one nearest the verb wins; subjects inside quote marks never do.
    """
    cur = tok
    for _ in range(4):
        if cur.i != tok.i and cur.dep_ == "ccomp" and cur.head.lemma_ in SPEECH_LEMMAS:
            cur = cur.head  # "said the budget could be messy, adding ...": not the reported clause's subject
            continue
        subs = [
            c
            for c in cur.children
            if c.dep_ in ("nsubj", "nsubjpass")
            and not (c.dep_ == "nsubjpass" and cur.i == tok.i)
            and not (ctx is not None and ctx.in_quote(c.idx))
        ]
        if subs:
            return min(subs, key=lambda c: abs(c.i - cur.i))
        if cur.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and cur.head.i != cur.i:
            cur = cur.head
        else:
            break
    return None


def _agent(tok: Token) -> Token | None:
    """The by-phrase source of a passive cue ("reported by Politico")."""
    for c in tok.children:
        if c.dep_ == "agent":
            return next((k for k in c.children if k.dep_ == "pobj"), None)
    return None


def _according_to(tok: Token) -> Token | None:
    """The source of "according to X"."""
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    return next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)


def _subject_span(ctx: _Ctx, subj: Token, avoid: list[tuple[int, int]]) -> tuple[int, int]:
    s = subj.left_edge.idx
    last = subj.right_edge
    e = last.idx + len(last)
    for a, b in avoid:  # never let the speaker run into the quoted words
        if a < e and s < b:
            if a >= subj.idx + len(subj):
                e = min(e, a)
            elif b <= subj.idx:
                s = max(s, b)
            else:
                s, e = subj.idx, subj.idx + len(subj)
    s, e = _trim(ctx.text, s, e, _STRIP + "\"“”'‘’()")
    if e < len(ctx.text) and ctx.text[e] == ")" and ctx.text.count("(", s, e) > ctx.text.count(")", s, e):
        e += 1  # "Rep. Tom Brandt (D-OR)": keep the party tag whole
    if ctx.text.endswith(("'s", "’s"), s, e):  # "Lopez's claim": the speaker is Lopez
        e -= 2
    if s >= e:
        s, e = subj.idx, subj.idx + len(subj)
    return s, e


def _cue_span(tok: Token) -> tuple[int, int]:
    """The cue words: the verb, with a particle, "told reporters", "said in a statement"."""
    s, e = tok.idx, tok.idx + len(tok)
    if tok.lower_ == "according":
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ == "to":
            e = nxt.idx + len(nxt)
        return s, e
    doc = tok.doc
    k = tok.i - 1  # "has said", "also said", "did not say", "is telling"
    while k >= 0 and doc[k].head.i == tok.i and doc[k].dep_ in _CUE_LEFT and tok.i - k <= 4:
        s = doc[k].idx
        k -= 1
    j = tok.i + 1
    while j < len(doc) and doc[j].head.i == tok.i and doc[j].dep_ in ("prt",):
        e = doc[j].idx + len(doc[j])
        j += 1
    if (
        tok.lemma_ not in CUE_LEMMAS
        and j == tok.i + 1
        and j < len(doc)
        and doc[j].dep_ in ("prep", "mark")
        and (doc[j].head.i == tok.i or doc[j].head.head.i == tok.i)
        and doc[j].lower_ in _OBJECT_PREPS
    ):
        e = doc[j].idx + len(doc[j])  # "called for", "referring to"
        j += 1
    if tok.lemma_ == "tell" and j < len(doc):
        obj = doc[j]
        if obj.dep_ in ("dobj", "dative") and obj.head.i == tok.i and obj.lower_ in _TELL_OBJECTS:
            e = obj.idx + len(obj)
            j += 1
    if j + 2 < len(doc) and doc[j].lower_ == "in" and doc[j].head.i == tok.i:
        k = j + 1
        while k < len(doc) and k <= j + 3 and doc[k].dep_ in ("det", "amod", "compound", "poss"):
            k += 1
        if k < len(doc) and doc[k].lemma_.lower() in _STATEMENT_NOUNS and doc[k].head.i == j:
            e = doc[k].idx + len(doc[k])
    return s, e


def _tokens_between(doc: Doc, s: int, e: int) -> Sequence[Token]:
    sp = doc.char_span(s, e, alignment_mode="expand")
    return sp if sp is not None else ()


# --------------------------------------------------------------------------- direct quotes


def _colon_speaker(
    ctx: _Ctx, qs: int, para: int, loose: bool = False
) -> tuple[Token, tuple[int, int], tuple[int, int]] | None:
    """A paragraph that opens with a name and a colon before the quote: (head, speaker span, colon span)."""
    ps = ctx.para_starts[para]
    lead = ctx.text[ps:qs].rstrip(" \t\"“`'")
    if not lead.endswith(":") or len(lead) > 60:
        return None
    colon = ps + len(lead) - 1
    toks = [t for t in _tokens_between(ctx.doc, ps, colon) if not t.is_space]
    if not toks or len(toks) > 6 or any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    names = [t for t in toks if t.text[:1].isupper()]  # headline tagging is unreliable: go by case
    if not names or any(not (t.text[:1].isupper() or t.is_punct or t.lower_ in _NAME_GLUE) for t in toks):
        return None
    s, e = _trim(ctx.text, toks[0].idx, toks[-1].idx + len(toks[-1]), _STRIP)
    if not loose and len(names) < 2 and not any(t.pos_ == "PROPN" for t in names) and ctx.mention_at(s, e) is None:
        return None  # "Update:" is no speaker
    return names[-1], (s, e), (colon, colon + 1)


def _own_cue(doc: Doc, end: int, text: str) -> bool:
    """Whether the words right after a quote ending at ``end`` carry their own speech verb (", he replied")."""
    tail = text[end : end + 60]
    stop = len(tail)
    for ch in ".!?\n":
        k = tail.find(ch, 2)
        if k >= 0:
            stop = min(stop, k)
    return any(t.lemma_ in SPEECH_LEMMAS for t in _tokens_between(doc, end, end + stop)) if stop else False


_NOT_SOURCES = frozenset(  # headline labels that are not sources ("Update: ...")
    {"update", "updated", "note", "correction", "watch", "video", "related", "breaking", "exclusive", "photo",
     "photos", "live", "opinion", "analysis", "advertisement", "source", "sources", "read more",
     "editor's note", "editor’s note"}
)
_HEAD_COLON = re.compile(r"([^\n:\"“]{2,60}):[ \t]+(?=[^\s\"“'‘`])([^\n]{8,})")


def _colon_heads(ctx: _Ctx) -> list[_Cand]:
    """Headline attribution without quote marks: 'Lopez: Talks Will Resume in May' (extract_attributions)."""
    out: list[_Cand] = []
    for ps in ctx.para_starts:
        m = _HEAD_COLON.match(ctx.text, ps)
        if m is None:
            continue
        found = _colon_speaker(ctx, m.end(1) + 1, ctx.para_of(ps), loose=True)  # "Sanders: ...", "Poll: ..."
        if found is None or m.group(1).strip().lower() in _NOT_SOURCES:
            continue
        s, e = _trim(ctx.text, m.start(2), m.end(2), _STRIP + ".")
        if len(ctx.text[s:e].split()) < 2:
            continue
        c = _Cand("indirect", [(s, e)], ctx.para_of(s))
        c.extra["colon"] = found
        out.append(c)
    return out


_DOC_NOUNS = frozenset({"poll", "survey", "report", "study"})
_DOC_DETS = frozenset({"a", "an", "the", "this", "that", "its", "their", "his", "her"})


def _in_document(ctx: _Ctx) -> list[_Cand]:
    """A sentence opening "In a poll released Monday, 52 percent ..." (extract_attributions): the poll is the
    source, "In" the cue and the clause after the comma the content.  Plural and bare nouns ("in polls")
    were under 40% precise on PolNeAR train and are left out."""
    doc, text = ctx.doc, ctx.text
    out: list[_Cand] = []
    for k in ctx.sent_tok[:-1]:
        t = doc[k]
        if t.lower_ != "in" or ctx.in_quote(t.idx):
            continue
        obj = next((c for c in t.children if c.dep_ == "pobj"), None)
        if obj is None or obj.tag_ != "NN" or obj.lemma_.lower() not in _DOC_NOUNS:
            continue
        if obj.left_edge.lower_ not in _DOC_DETS:
            continue
        comma = obj.right_edge.i + 1
        if comma >= len(doc) or doc[comma].text != ",":
            continue
        sent_end = ctx.sent_ends[ctx.sent_index(t.idx)]
        s, e = _trim(text, doc[comma].idx + 1, min(sent_end, ctx.para_bounds(t.idx)[1]), _STRIP + ".")
        if len(text[s:e].split()) < 3 or ctx.in_quote(s):
            continue
        c = _Cand("indirect", [(s, e)], ctx.para_of(s), cue=t)
        c.extra["subj"] = obj
        out.append(c)
    return out


def _title_heads(ctx: _Ctx, taken: set[int]) -> list[_Cand]:
    """Title-case headline 'Conservative Icon Anna Novak Endorses Lopez' (the tagger often misses the verb)."""
    out: list[_Cand] = []
    cues = CUE_LEMMAS | STANCE_LEMMAS | BROAD_LEMMAS
    text = ctx.text
    for ps in ctx.para_starts:
        pe = text.find("\n", ps)
        pe = len(text) if pe < 0 else pe
        words = text[ps:pe].split()
        if not 3 <= len(words) <= 20 or ":" in text[ps:pe]:
            continue
        if sum(w[:1].isupper() for w in words if w[:1].isalpha()) < 0.7 * sum(w[:1].isalpha() for w in words):
            continue
        toks = [t for t in _tokens_between(ctx.doc, ps, pe) if not t.is_space]
        for k, t in enumerate(toks[1:9], 1):
            low = t.lower_
            if not t.text[:1].isupper() or t.idx in taken or t.pos_ in ("ADP", "DET", "PRON", "CCONJ"):
                continue
            if not any(x in cues for x in (low, low[:-1] if low.endswith("s") else "", low[:-2])):
                continue
            src = toks[:k]
            if any(not (x.text[:1].isupper() or x.is_punct or x.lower_ in _NAME_GLUE) for x in src):
                break
            s, e = _trim(text, t.idx + len(t), pe, _STRIP + ".")
            if len(text[s:e].split()) < 2 or ctx.in_quote(s):
                break
            c = _Cand("indirect", [(s, e)], ctx.para_of(s))
            c.extra["colon"] = (src[-1], (src[0].idx, src[-1].idx + len(src[-1])), (t.idx, t.idx + len(t)))
            out.append(c)
            break
    return out


def _direct(ctx: _Ctx) -> list[_Cand]:
    text, doc = ctx.text, ctx.doc
    segs = find_quoted(text)
    ctx.set_quoted([p for parts, _ in segs for p in parts])
    # merge split quotes: "A," she said, "b."
    merged: list[tuple[list[tuple[int, int]], int]] = []
    for parts, pi in segs:
        if merged:
            prev_parts, ppi = merged[-1]
            pe = prev_parts[-1][1]
            between = text[pe : parts[0][0]]
            gap = between.strip(' \t"“”')
            if (
                ppi == pi
                and len(prev_parts) == 1
                and 0 < len(between) <= 80
                and "\n" not in between
                and len(_MARKS.findall(between)) == 2
                and gap.startswith(",")
                and gap.endswith((",", ":", "."))
                and len(gap.split()) <= 8
                and any(t.lemma_ in SPEECH_LEMMAS for t in _tokens_between(doc, pe, parts[0][0]))
                and (gap[-1] != "." or not _own_cue(doc, parts[-1][1], text))
            ):
                merged[-1] = ([*prev_parts, *parts], pi)
                continue
        merged.append((parts, pi))

    cands: list[_Cand] = []
    nsent = len(ctx.sent_starts)
    for parts, pi in merged:
        c = _Cand("direct", parts, pi)
        qs, qe = c.start, c.end
        i0, i1 = ctx.sent_index(qs), ctx.sent_index(max(qs, qe - 1))
        regions = [("same", i0, i1)]
        para = ctx.para_of(qs)
        if (
            i1 + 1 < nsent
            and ctx.para_of(ctx.sent_starts[i1 + 1]) == ctx.para_of(qe)
            and ctx.sent_tok[i1 + 2] - ctx.sent_tok[i1 + 1] <= 12
        ):
            regions.append(("next", i1 + 1, i1 + 1))  # '"...." Lopez added.'
        lead = text[ctx.para_starts[para] : qs].rstrip(" \t\"“`'")
        if lead.endswith((":", ",")) and i0 > 0 and ctx.para_of(ctx.sent_starts[i0 - 1]) == para:
            regions.append(("prev", i0 - 1, i0 - 1))  # 'Lopez said:' split off by the parser
        elif not lead and para > 0:
            ps = ctx.para_starts[para - 1]
            prev_text = text[ps : ctx.para_starts[para]].rstrip()
            if prev_text.endswith(":"):  # block quote: 'Lopez said in a statement:\n\n"..."'
                k = ctx.sent_index(ps + len(prev_text) - 1)
                regions.append(("prev", k, k))
        cue = None
        qp0, qp1 = ctx.para_starts[para], ctx.para_bounds(max(qs, qe - 1))[1]
        for ri, (kind, a, b) in enumerate(regions):
            best = None
            for t in ctx.sent_cues(a, b):
                if kind != "prev" and not qp0 <= t.idx < qp1:
                    continue  # the parser's sentence ran over the paragraph end
                if (
                    (
                        t.lemma_ in SPEECH_LEMMAS
                        or (t.lemma_ in COGNITION_LEMMAS or t.lemma_ in OBJECT_LEMMAS)
                        and ri == 0
                    )
                    and _is_verb(t)
                    or t.lower_ == "according"
                    and t.i + 1 < len(doc)
                    and doc[t.i + 1].lower_ == "to"
                ):
                    if ctx.in_quote(t.idx) or (t.idx > 0 and text[t.idx - 1] in "</"):
                        continue
                    d = qs - t.idx if t.idx < qs else t.idx - qe
                    if best is None or d < best[0]:
                        best = (d, t)
            if best is not None:
                cue = best[1]
                break
        nwords = sum(len(text[s:e].split()) for s, e in parts)
        if cue is None:
            colon = _colon_speaker(ctx, qs, para)  # headline style: 'Lopez: "We will not yield"'
            if colon is not None:
                c.extra["colon"] = colon
        if cue is None and nwords < 4 and "colon" not in c.extra:
            continue  # scare quote / quoted term or title
        if cue is not None and nwords < 4 and cue.lemma_ in COGNITION_LEMMAS:
            continue
        c.cue = cue
        cands.append(c)
    return cands


# --------------------------------------------------------------------------- indirect quotes


def _complement(t: Token, lem: str, bare_ok: bool = False) -> list[tuple[int, int]] | None:
    """Character ranges of what a cue verb reports: its clausal complement, else (some verbs) its object."""
    doc = t.doc
    comp = [c for c in t.children if c.dep_ == "ccomp"]
    if comp:
        cc = comp[0]
        s, e = cc.left_edge.idx, cc.right_edge.idx + len(cc.right_edge)
        if s <= t.idx < e:
            if t.dep_ != "relcl" or e <= t.idx + len(t):
                return None
            s = t.idx + len(t)  # "a wall, which he said Mexico should pay for": the words after the cue
        for c in cc.children:  # "X said A and said B" parsed with B under A: A ends before "and said"
            if c.dep_ == "conj" and c.lemma_ in SPEECH_LEMMAS and c.i > cc.i:
                cut = next((k for k in cc.children if k.dep_ == "cc" and cc.i < k.i < c.i), c)
                e = min(e, cut.idx)
                break
        for c in t.children:  # "said X would fall and Y would rise": the second clause is reported too
            if (
                c.dep_ == "conj"
                and c.i > cc.i
                and _is_verb(c)
                and c.lemma_ not in CUE_LEMMAS
                and any(k.dep_ in ("nsubj", "nsubjpass") for k in c.children)
            ):
                e = max(e, c.right_edge.idx + len(c.right_edge))
        return [(s, e)]
    as_clause = t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
    if (t.dep_ in ("parataxis", "ccomp") or as_clause) and _is_verb(t.head) and lem:
        # "As the minister said, talks will resume."
        # "Talks will resume, the minister said." / "In May, she says, the talks failed."
        h = t.head
        rs, re_ = h.left_edge.idx, h.right_edge.idx + len(h.right_edge)
        ts, te = t.left_edge.idx, t.right_edge.idx + len(t.right_edge)
        return [(rs, ts), (te, re_)]
    if lem:
        # parser slip: "said during a news conference that he may wait" (clause hung on the noun)
        for j in range(t.i + 1, min(t.right_edge.i, t.i + 12) + 1):
            tok = doc[j]
            if tok.lower_ == "that" and tok.dep_ == "mark" and tok.head.dep_ in ("relcl", "acl", "advcl"):
                h = tok.head
                if h.head.lemma_.lower() in _STATEMENT_NOUNS or h.head.i == t.i:
                    return [(tok.idx, h.right_edge.idx + len(h.right_edge))]
        if t.lemma_ not in OBJECT_LEMMAS and not bare_ok:
            return None
    kids = [
        c
        for c in t.children
        if c.i > t.i
        and (
            c.dep_ in _OBJECT_DEPS
            or (c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS and lem != "ask")
            or (c.dep_ == "advcl" and c.left_edge.lower_ == "for" and c.left_edge.i == t.i + 1)
        )
    ]
    if not kids:
        return None
    need = _OBJECT_NEEDS.get(t.lemma_)
    heads = [k.lower_ if k.dep_ == "prep" else ("for" if k.dep_ == "advcl" else k.dep_) for k in kids]
    if not bare_ok and need and not any(h in need for h in heads):
        return None  # "described the scene", "called the office": no characterisation reported
    first = kids[0]
    s = first.left_edge.idx
    lead = first.left_edge
    if lead.i == t.i + 1 and lead.lower_ in _OBJECT_PREPS and lead.i + 1 < len(doc):
        s = doc[lead.i + 1].idx  # "called for <content>": the preposition belongs to the cue
    return [(s, kids[-1].right_edge.idx + len(kids[-1].right_edge))]


def _tail_cue(ctx: _Ctx, t: Token) -> list[tuple[int, int]]:
    """A cue clause closing its sentence after a comma the parser hung elsewhere ("..., records show."):
    the words before the comma are the content."""
    doc, sent = t.doc, t.sent
    comma = next((k for k in range(t.i - 1, max(sent.start, t.i - 7), -1) if doc[k].is_punct), -1)
    if comma <= sent.start + 1 or doc[comma].text != ",":
        return []
    if any(not x.is_punct and not x.is_space for x in doc[t.i + 1 : sent.end]):
        return []
    s, e = _trim(ctx.text, sent.start_char, doc[comma].idx, _STRIP + ".")
    ps, pe = ctx.para_bounds(t.idx)
    s = max(s, ps)
    if len(ctx.text[s:e].split()) < 3 or ctx.in_quote(s):
        return []
    return [(s, e)]


def _rest(t: Token) -> list[tuple[int, int]] | None:
    """What follows a stance verb in its own clause ("endorsed Cruz on Friday"): its right dependents."""
    kids = [c for c in t.children if c.i > t.i and c.dep_ not in _REST_DEPS]
    if not kids:
        return None
    s, e = max(kids[0].left_edge.idx, t.idx + len(t)), kids[-1].right_edge.idx + len(kids[-1].right_edge)
    return [(s, e)] if s < e else None


def _light_verb(ctx: _Ctx, t: Token, skip: frozenset[str]) -> _Cand | None:
    """ "Lopez made the case for the tax", "she took a swipe at Smith": the object noun's complement."""
    obj = next((c for c in t.children if c.dep_ == "dobj" and c.lemma_.lower() in LIGHT_NOUNS), None)
    if obj is None:
        return None
    kids = [c for c in obj.children if c.i > obj.i and c.dep_ in ("prep", "acl", "relcl", "ccomp")]
    kids += [c for c in t.children if c.i > obj.i and c.dep_ in ("prep", "ccomp", "xcomp", "advcl")]
    subj = _subject(t, ctx)
    if not kids or subj is None or subj.lower_ in skip:
        return None
    first = min(kids, key=lambda c: c.i)
    last = max(kids, key=lambda c: c.right_edge.i)
    s = _next_idx(first) if first.dep_ == "prep" and first.i + 1 < len(t.doc) else first.left_edge.idx
    s, e = _trim(ctx.text, s, last.right_edge.idx + len(last.right_edge), _STRIP + ".")
    ps, pe = ctx.para_bounds(t.idx)
    s, e = max(s, ps), min(e, pe)
    if len(ctx.text[s:e].split()) < 2 or ctx.in_quote(s):
        return None
    c = _Cand("indirect", [(s, e)], ctx.para_of(s), cue=t)
    c.extra["subj"] = subj
    c.extra["cue_end"] = first.idx + len(first) if first.dep_ == "prep" else obj.idx + len(obj)
    return c


def _stance_adj(ctx: _Ctx, t: Token, skip: frozenset[str]) -> _Cand | None:
    """ "Lopez is skeptical of the deal", "voters were eager to move on": the adjective's complement."""
    kids = [c for c in t.children if c.i > t.i and c.dep_ in ("prep", "xcomp", "ccomp")]
    subj = _subject(t.head, ctx)
    if not kids or subj is None or subj.lower_ in skip:
        return None
    first = kids[0]
    s = _next_idx(first) if first.dep_ == "prep" and first.i + 1 < len(t.doc) else first.left_edge.idx
    s, e = _trim(ctx.text, s, kids[-1].right_edge.idx + len(kids[-1].right_edge), _STRIP + ".")
    ps, pe = ctx.para_bounds(t.idx)
    s, e = max(s, ps), min(e, pe)
    if len(ctx.text[s:e].split()) < 2 or ctx.in_quote(s):
        return None
    c = _Cand("indirect", [(s, e)], ctx.para_of(s), cue=t)
    c.extra["subj"] = subj
    return c


def _next_idx(tok: Token) -> int:
    """Offset of the token after ``tok``."""
    return tok.doc[tok.i + 1].idx


def _noun_cue(ctx: _Ctx, t: Token, broad: bool = False) -> _Cand | None:
    """ "Lopez's claim that the vote was rigged", "a warning from the ministry that ..."."""
    src = next((c for c in t.children if c.dep_ == "poss"), None)
    if src is None:
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "by"):
                src = next((k for k in c.children if k.dep_ == "pobj"), None)
                break
    clause = next(
        (
            c
            for c in t.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and c.i > t.i
            and any(k.dep_ == "mark" and k.lower_ == "that" for k in c.children)
        ),
        None,
    )
    if broad and clause is None and src is not None and src.dep_ == "poss":
        # "his attacks on Lopez", "Smith's call for a recount": the noun's complement is the content
        clause = next((c for c in t.children if c.i > t.i and c.dep_ == "prep" and c.lower_ in _NOUN_PREPS), None)
        if clause is not None and clause.i + 1 < len(t.doc) and clause.right_edge.i > clause.i:
            s, e = _next_idx(clause), clause.right_edge.idx + len(clause.right_edge)
            if len(ctx.text[s:e].split()) >= 2 and not ctx.in_quote(s) and src.lower_ not in _FIRST_PERSON:
                c = _Cand("indirect", [_trim(ctx.text, s, e, _STRIP + ".")], ctx.para_of(s), cue=t)
                c.extra["subj"] = src
                c.extra["cue_end"] = clause.idx + len(clause)
                return c
        return None
    if src is None or clause is None or src.lower_ in _FIRST_PERSON:
        return None
    s, e = _trim(ctx.text, clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge), _STRIP + ".")
    if len(ctx.text[s:e].split()) < 3 or ctx.in_quote(s):
        return None
    c = _Cand("indirect", [(s, e)], ctx.para_of(s), cue=t)
    c.extra["subj"] = src
    return c


def _indirect(ctx: _Ctx, broad: bool = False) -> list[_Cand]:
    doc, text = ctx.doc, ctx.text
    out: list[_Cand] = []
    objects = OBJECT_LEMMAS | STANCE_LEMMAS | BROAD_LEMMAS if broad else OBJECT_LEMMAS
    skip = _BROAD_SKIP if broad else _FIRST_PERSON
    drop = _BROAD_DROP if broad else frozenset()
    for i in ctx.cue_toks:
        t = doc[i]
        lem = t.lemma_
        if (lem in CUE_LEMMAS or lem in objects) and lem not in drop and _is_verb(t):
            if ctx.in_quote(t.idx) or (t.idx > 0 and text[t.idx - 1] in "</"):
                continue
            if lem not in SPEECH_LEMMAS and t.dep_ == "ccomp" and t.head.lemma_ in SPEECH_LEMMAS:
                continue  # "they say they believe X": the outer report is the quote
            ranges = _complement(t, lem if lem in CUE_LEMMAS else "", broad)
            agent = _agent(t) if broad else None  # passive with its source: "was criticized by his rivals"
            if broad and not ranges:
                # "The plan was first reported by the Harbour Gazette.": the passive subject is the content
                subjp = next((k for k in t.children if k.dep_ == "nsubjpass"), None)
                if agent is not None and subjp is not None and broad:
                    ranges = [(subjp.left_edge.idx, subjp.right_edge.idx + len(subjp.right_edge))]
            if ranges is None and broad:
                ranges = _rest(t)
            if ranges is None:
                continue
            ps, pe = ctx.para_bounds(t.idx)  # reported words never cross a paragraph (headline, dateline)
            dl = _DATELINE.match(text, ps, pe)
            if dl:
                ps = dl.end()
            parts = [_trim(text, max(s, ps), min(e, pe), _STRIP + ".") for s, e in ranges]
            if parts and parts[0][0] > t.idx and not text[t.idx + len(t) : parts[0][0]].strip():
                day = _LEAD_DAY.match(text, parts[0][0])  # "said Tuesday his actions were legal"
                if day and day.end() < parts[0][1]:
                    parts[0] = (day.end(), parts[0][1])
            # a stance verb's one-word object is content too ("endorsed Lopez"); reported speech needs two words
            words = 1 if broad and lem not in CUE_LEMMAS else 2
            parts = [(s, e) for s, e in parts if e - s >= 3 and len(text[s:e].split()) >= words]
            if not parts and lem in CUE_LEMMAS:
                parts = _tail_cue(ctx, t)
            if not parts:
                continue
            subj = agent or _subject(t, ctx)
            if subj is None and broad and t.dep_ == "acl" and t.head.pos_ == "PROPN":
                subj = t.head  # "calls saying shots were fired", "emails showing that ..."
            if subj is None and broad:  # poll shares the parser leaves without a subject: "About 4 in 10 say"
                subj = next(
                    (
                        k for k in t.children
                        if k.i < t.i and k.dep_ in _LOOSE_SUBJ and k.pos_ in ("NUM", "NOUN", "PROPN")
                        and k.ent_type_ not in ("DATE", "TIME")
                    ),
                    None,
                )
            span = None
            if subj is None and broad and lem in SPEECH_LEMMAS:
                near = _left_name(ctx, t)
                if near is not None:
                    subj, span = near
            if subj is None:
                continue
            if subj.lower_ in skip and (lem not in SPEECH_LEMMAS or broad and subj.lower_ == "that"):
                continue
            c = _Cand("indirect", parts, ctx.para_of(parts[0][0]), cue=t)
            c.extra["subj"] = subj
            if span is not None:
                c.extra["subj_span"] = span
            out.append(c)
        elif broad and lem in _BROAD_DROP_OTHER:
            continue
        elif broad and lem in LIGHT_VERBS and _is_verb(t) and not ctx.in_quote(t.idx):
            cand = _light_verb(ctx, t, skip)
            if cand is not None:
                out.append(cand)
        elif broad and lem in STANCE_ADJ and t.dep_ == "acomp" and not ctx.in_quote(t.idx):
            cand = _stance_adj(ctx, t, skip)
            if cand is not None:
                out.append(cand)
        elif (lem in NOUN_LEMMAS or broad and lem in _BROAD_NOUNS) and t.pos_ == "NOUN" and not ctx.in_quote(t.idx):
            cand = _noun_cue(ctx, t, broad)
            if cand is not None:
                out.append(cand)
        elif t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            if ctx.in_quote(t.idx):
                continue
            to = doc[t.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if not objs:
                continue
            obj = objs[0]
            ps, pe = t.idx, obj.right_edge.idx + len(obj.right_edge)
            sent = t.sent
            ss, se = sent.start_char, sent.end_char
            before = _trim(text, ss, ps, _STRIP)
            after = _trim(text, pe, se, _STRIP + ".")
            s, e = after if (after[1] - after[0]) > (before[1] - before[0]) else before
            if e - s < 4 or len(text[s:e].split()) < 2:
                continue
            c = _Cand("indirect", [(s, e)], ctx.para_of(s), cue=t)
            c.extra["subj"] = obj
            out.append(c)
    return out


# --------------------------------------------------------------------------- speakers


# nouns through which an organisation itself speaks ("a Boeing spokeswoman said", "airline officials said")
_ORG_VOICE = frozenset(
    ["official", "spokesman", "spokeswoman", "spokesperson", "representative", "statement", "release", "executive", "management", "leadership", "board", "office", "ministry", "department"]
)


def _resolve(
    ctx: _Ctx, c: _Cand, subj: Token, prev: _Cand | None, span: tuple[int, int] | None = None
) -> None:
    s, e = span or _subject_span(ctx, subj, c.parts)
    s = min(max(s, ctx.para_starts[ctx.para_of(subj.idx)]), subj.idx)  # a heading line above is no part of it
    c.speaker = (s, e)
    c.speaker_tok = subj
    low = subj.lower_
    if low in _PRONOUNS:
        g = _PRONOUNS[low]
        c.key = _pronoun(ctx, c, g, prev)
        if c.key is not None:
            ctx.resolved[subj.i] = c.key
    else:
        head_s, head_e = subj.idx, subj.idx + len(subj)
        m = ctx.mention_at(head_s, head_e) or ctx.mention_at(s, head_e)  # never an apposition's org
        if (
            m is not None
            and subj.pos_ == "NOUN"
            and not m.span.start <= head_s < m.span.end
            and (m.label == "PERSON" or subj.lemma_.lower() not in _ORG_VOICE)
        ):
            # "a former Boeing instructor pilot": a person tied to the organisation, not the organisation;
            # "a Trump adviser", "Lopez's spokesman": someone else than the person named
            m = None
        if m is not None and subj.pos_ == "PROPN" and not m.span.start <= head_s < m.span.end:
            # "Uefa chief executive Lars-Christer Olsson told": the name is the speaker, not the organisation
            # in front of it (when the recogniser missed the name)
            m = None if (subj.text in ctx.surnames or _unlisted_name(ctx, subj)) else m
        if m is None and subj.pos_ == "PROPN" and subj.text in ctx.surnames:
            pass  # a known person by surname ("Shevchenko, former European Footballer of the Year, added")
        elif m is None:  # "The regional emergency chief, Thomas Reed": the person in apposition
            for ap in subj.children:
                if ap.dep_ == "appos":
                    am = ctx.mention_at(ap.idx, ap.idx + len(ap))
                    if am is not None and am.label == "PERSON":
                        m = am
                        break
        if m is not None and m.label == "PERSON" and _TITLE_TOKEN.fullmatch(m.span.text):
            m = _after_title(ctx, m.span.end)  # "said Cmdr. William Marks": the name after the rank
        if m is None and subj.pos_ == "PROPN" and _TITLE_TOKEN.fullmatch(subj.text):
            m = _after_title(ctx, subj.idx + len(subj))
        if m is not None:
            c.key = ctx.given.get(m.key, m.key) if m.label == "PERSON" else m.key
        elif subj.pos_ == "PROPN" and subj.text in ctx.surnames:
            c.key = ctx.surnames[subj.text]  # the NER missed this mention of a known person
        elif subj.pos_ == "PROPN" and subj.text in ctx.given:
            c.key = ctx.given[subj.text]  # a known person by the given name alone ("Michelle said")
        elif subj.pos_ in ("NOUN",) or subj.tag_.startswith("NN"):
            lemma = subj.lemma_.lower()
            c.key = _nominal(ctx, lemma, s)
            if c.key is None and lemma in _DOCUMENTS:
                c.key = _document_owner(ctx, subj)
            elif c.key is None and lemma in _ORG_NOUNS:
                c.key = _recent_org(ctx, subj)
        if c.key is None:
            c.key = _unlisted_name(ctx, subj)
    c.person = c.key in ctx.person_keys


_TITLE_TOKEN = re.compile(
    r"(?:Cmdr|Cmdr\.|Gen|Lt|Col|Capt|Maj|Sgt|Adm|Cpl|Pvt|Gov|Sen|Rep|Insp|Supt|Det|Prof|Dr|Mr|Mrs|Ms|Sir)\.?"
)


_DOCUMENTS = frozenset(["statement", "release", "post", "notice", "website", "letter", "tweet", "message"])
_ORG_NOUNS = frozenset(
    ["club", "company", "firm", "group", "band", "team", "government", "ministry", "agency", "authority",
     "police", "party", "airline", "organisation", "organization", "association", "federation", "union",
     "council", "committee", "campaign", "embassy", "department"]
)


def _owner(ctx: _Ctx, doc_tok: Token) -> str | None:
    """Whose a document word is: "the club's statement", "a statement from / by the Trust"."""
    owners = [ch for ch in doc_tok.children if ch.dep_ == "poss"]
    for ch in doc_tok.children:
        if ch.dep_ == "prep" and ch.lower_ in ("from", "by", "of"):
            owners += [g for g in ch.children if g.dep_ == "pobj"]
    for t in owners:
        m = ctx.mention_at(t.idx, t.idx + len(t))
        if m is not None:
            return m.key
    return None


def _document_owner(ctx: _Ctx, subj: Token) -> str | None:
    """The author of "the statement read" / "the statement said": the owner named with it, or with the same
    document word in the same or the SALIENT_SENTENCES sentences before ("A statement from the Arsenal
    Supporters' Trust said ...", later '"...," the statement read'), or the subject that issued it ("Uefa said
    in a statement")."""
    own = _owner(ctx, subj)
    if own is not None:
        return own
    first = ctx.sent_index(subj.idx)
    for k in range(first, max(-1, first - SALIENT_SENTENCES - 1), -1):
        for tok in ctx.doc[ctx.sent_tok[k] : ctx.sent_tok[k + 1]]:
            if tok.i >= subj.i or tok.lemma_ != subj.lemma_ or ctx.in_quote(tok.idx):
                continue
            own = _owner(ctx, tok)
            head = tok.head.head if tok.dep_ == "pobj" else tok.head  # "said in a statement", "issued a statement"
            who = own or next((c for c in head.children if c.dep_ == "nsubj"), None)
            if isinstance(who, str):
                return who
            if who is not None:
                m = ctx.mention_at(who.idx, who.idx + len(who))
                if m is not None:
                    return m.key
    return None


def _recent_org(ctx: _Ctx, subj: Token) -> str | None:
    """"The club said": the latest organisation named outside quotes in this or the previous sentence."""
    lo = ctx.sent_starts[max(0, ctx.sent_index(subj.idx) - 1)]
    i = bisect_left(ctx.m_starts, subj.idx) - 1
    while i >= 0 and ctx.mentions[i].span.start >= lo:
        m = ctx.mentions[i]
        i -= 1
        if m.label == "ORG" and not ctx.in_quote(m.span.start):
            return m.key
    return None


def _after_title(ctx: _Ctx, end: int) -> Mention | None:
    """The person mention right after a rank or title ("Cmdr. William Marks")."""
    i = bisect_left(ctx.m_starts, end)
    if i < len(ctx.mentions):
        m = ctx.mentions[i]
        if m.label == "PERSON" and ctx.text[end : m.span.start].strip(" .") == "":
            return m
    return None


def _unlisted_name(ctx: _Ctx, subj: Token) -> str | None:
    """A full name the entity recogniser missed ("Dominic Coles, the BBC's director of ..., said"): the subject's
    (or its apposition's) run of two to four capitalised proper nouns, as written."""
    for tok in (subj, *(a for a in subj.children if a.dep_ == "appos")):
        if tok.pos_ != "PROPN" or ctx.in_quote(tok.idx):
            continue
        line = ctx.para_starts[ctx.para_of(tok.idx)]
        run = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i >= tok.i - 4
               and t.idx >= line] + [tok]
        run = sorted(run, key=lambda t: t.i)
        while run and _TITLE_TOKEN.fullmatch(run[0].text):
            run = run[1:]
        if not 2 <= len(run) <= 4 or not all(t.text[:1].isupper() for t in run):
            continue
        name = ctx.text[run[0].idx : tok.idx + len(tok)]
        if re.fullmatch(r"[^\W\d_][\w'\u2019.-]*(?: [^\W\d_][\w'\u2019.-]*){1,3}", name):
            return name
    return None


def _adjacent_name(ctx: _Ctx, c: _Cand) -> tuple[Token, tuple[int, int]] | None:
    """Parser missed the subject: the name between the quote and its cue ('..." Bozell answers')."""
    cue = c.cue
    if cue is None:
        return None
    doc = ctx.doc
    if not c.end <= cue.idx <= c.end + 120 or "\n" in ctx.text[c.end : cue.idx]:
        return None
    toks = [t for t in _tokens_between(doc, c.end, cue.idx) if t.i < cue.i]
    toks = [t for t in toks if not (t.is_space or ctx.in_quote(t.idx))]
    while toks and toks[0].is_punct:
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks or len(toks) > 16 or toks[0].pos_ not in ("PROPN", "PRON", "DET", "ADJ", "NUM"):
        return None
    if not any(t.pos_ in ("PROPN", "PRON") for t in toks):
        return None
    if any(t.pos_ == "AUX" or (t.pos_ == "VERB" and t.dep_ not in ("relcl", "acl", "amod")) for t in toks):
        return None
    if any(a < toks[-1].idx + len(toks[-1]) and toks[0].idx < b for a, b in c.parts):
        return None
    run = []  # the name before any apposition: "Brent Bozell III, founder of ..."
    for t in toks:
        if t.is_punct:
            break
        run.append(t)
    head = next((t for t in reversed(run) if t.pos_ in ("PROPN", "PRON")), None)
    head = head or next(t for t in toks if t.pos_ in ("PROPN", "PRON"))
    return head, (toks[0].idx, toks[-1].idx + len(toks[-1]))


def _left_name(ctx: _Ctx, cue: Token) -> tuple[Token, tuple[int, int]] | None:
    """Parser lost the subject: the run of proper nouns right before the cue ("Rep. Paul Ryan (R-WI) said")."""
    doc = cue.doc
    k = cue.i - 1
    while k >= 0 and doc[k].head.i == cue.i and doc[k].dep_ in _CUE_LEFT:
        k -= 1
    if k >= 0 and doc[k].text == ")":  # a party tag "(R-WI)" between the name and the cue
        j = k - 1
        while j >= max(0, k - 6) and doc[j].text != "(":
            j -= 1
        if j < 0 or doc[j].text != "(":
            return None
        k = j - 1
    end = k
    while k >= 0 and doc[k].pos_ == "PROPN" and not ctx.in_quote(doc[k].idx) and end - k < 6:
        k -= 1
    if k == end or doc[end].sent.start != cue.sent.start:
        return None
    first, last = doc[k + 1], doc[end]
    return last, (first.idx, last.idx + len(last))


def _new_subject(ctx: _Ctx, prev: _Cand, before: int) -> bool:
    """Whether another person becomes a sentence subject between the previous quote and ``before``."""
    after = prev.cue.idx if prev.cue is not None else prev.end
    i = bisect_left(ctx.m_starts, after)
    while i < len(ctx.mentions) and ctx.mentions[i].span.start < before:
        m = ctx.mentions[i]
        i += 1
        if m.label != "PERSON" or m.key == prev.key or ctx.in_quote(m.span.start):
            continue
        span = ctx.doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            return True
    return False


_NOT_A_PERSON_BEFORE = re.compile(
    r"\b(?:carrier|ship|vessel|boat|destroyer|frigate|cruiser|submarine|tanker|USS|HMS|INS|aircraft|jet|plane"
    r"|airport|stadium|arena|hospital|school|university|college|library|bridge|street|avenue|highway|building"
    r"|tower|hall|centre|center|foundation|institute|museum|dam|fort|base)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_NOT_A_PERSON_AFTER = re.compile(
    r"^\s+(?:Airport|Stadium|Arena|Hospital|School|University|College|Library|Bridge|Street|Avenue|Highway"
    r"|Building|Tower|Hall|Cent(?:er|re)|Foundation|Institute|Museum|Dam|Fort|Base|Boulevard)\b"
)


def _plausible_person(ctx: _Ctx, m: Mention) -> bool:
    """A person mention that can be a speaker: not a ship, an aircraft or a building named after a person ("the
    aircraft carrier Gerald Ford", "the Ronald Reagan Building")."""
    if m.label != "PERSON":
        return False
    before = ctx.text[max(0, m.span.start - 24) : m.span.start]
    return not (_NOT_A_PERSON_BEFORE.search(before) or _NOT_A_PERSON_AFTER.match(ctx.text, m.span.end))


def _salient(ctx: _Ctx, c: _Cand, g: str, cue_pos: int) -> str | None:
    """The person a "he"/"she" most likely continues: the subject of the nearest earlier clause whose subject
    is a person of that gender (the pronoun's own sentence first, left of the pronoun; then up to SALIENT_SENTENCES
    sentences back).  A subject pronoun of the same gender ("He added ...") continues the same person, so the
    search goes on past it; objects and prepositional mentions ("misgivings about President Obama", "alongside
    Trump") are never the continued subject."""
    own = c.speaker_tok
    first = ctx.sent_index(cue_pos)
    for k in range(first, max(-1, first - SALIENT_SENTENCES - 1), -1):
        if ctx.para_of(ctx.sent_starts[k]) < ctx.para_of(cue_pos) - 3:
            break
        for tok in ctx.doc[ctx.sent_tok[k] : ctx.sent_tok[k + 1]]:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.idx >= cue_pos or ctx.in_quote(tok.idx):
                continue
            if (own is not None and tok.i == own.i) or any(a <= tok.idx < b for a, b in c.parts):
                continue
            if tok.i in ctx.resolved:  # "she said" of an earlier quote: whom that "she" was resolved to
                return ctx.resolved[tok.i]
            m = ctx.mention_at(tok.idx, tok.idx + len(tok))
            if m is None:
                for ap in tok.children:  # "The regional chief, Thomas Reed, said"
                    if ap.dep_ == "appos":
                        m = ctx.mention_at(ap.idx, ap.idx + len(ap))
                        break
            if m is None and tok.pos_ == "PROPN":
                key = ctx.surnames.get(tok.text)
                if key is not None and ctx.gender.get(key, g) == g:
                    return key
            if m is None:
                name = _unlisted_name(ctx, tok)
                if name is not None:
                    return name
            if m is None or not _plausible_person(ctx, m):
                continue
            if ctx.gender.get(m.key, g) == g:
                return m.key
    return None


def _pronoun(ctx: _Ctx, c: _Cand, g: str, prev: _Cand | None) -> str | None:
    cue_pos = c.cue.idx if c.cue is not None else c.start
    if prev is not None and prev.key and g != "p" and prev.person and ctx.para_of(cue_pos) - prev.para <= 3:
        pg = ctx.gender.get(prev.key)
        if (pg is None or pg == g) and not _new_subject(ctx, prev, cue_pos):
            return prev.key
    if g != "p":
        key = _salient(ctx, c, g, cue_pos)
        if key is not None:
            return key
    labels = ("PERSON", "ORG") if g == "p" else ("PERSON",)
    i = bisect_left(ctx.m_starts, cue_pos) - 1
    while i >= 0:
        m = ctx.mentions[i]
        i -= 1
        if m.label not in labels or m.span.end > cue_pos or ctx.in_quote(m.span.start):
            continue
        if any(a <= m.span.start < b for a, b in c.parts):
            continue
        if m.label == "PERSON" and not _plausible_person(ctx, m):
            continue
        if g != "p":
            mg = ctx.gender.get(m.key)
            if mg is not None and mg != g:
                continue
        return m.key
    return None


def _nominal(ctx: _Ctx, head: str, before: int) -> str | None:
    """The person a description refers to ("the minister"): the nearest earlier person whose role holds the
    word, or whose name follows it directly ("First lady Michelle Obama", "the minister, Maria Lopez")."""
    hits = ctx.nominal_hits.get(head)
    if hits is None:  # the mentions that fit this word, listed once: a walk back per quote is quadratic
        hits = ctx.nominal_hits[head] = _nominal_hits(ctx, head)
    k = bisect_left(hits, bisect_left(ctx.m_starts, before))
    return ctx.mentions[hits[k - 1]].key if k else None


def _nominal_hits(ctx: _Ctx, head: str) -> list[int]:
    """Indices of the mentions ``_nominal`` may pick for ``head``: persons outside quotes with the word in
    their role or just before their name."""
    pat = re.compile(rf"\b{re.escape(head)}", re.I)
    near = re.compile(rf"\b{re.escape(head)}s?\b[\s,]*$", re.I)
    return [
        i for i, m in enumerate(ctx.mentions)
        if m.label == "PERSON" and not ctx.in_quote(m.span.start)
        and ((m.role and pat.search(m.role)) or near.search(ctx.text, max(0, m.span.start - 40), m.span.start))
    ]


def _lead_in(ctx: _Ctx, c: _Cand) -> str | None:
    """A quote opening its paragraph after a paragraph whose last sentence reports a person's words ("Lopez
    told the radio the decision was unanimous." then '"Unanimous means ..."'): that person."""
    if c.para == 0:
        return None
    ps = ctx.para_starts[c.para - 1]
    k = ctx.sent_index(ctx.para_bounds(ps)[1] - 1)
    for t in ctx.sent_cues(k, k):
        if t.lemma_ not in SPEECH_LEMMAS or not _is_verb(t) or ctx.in_quote(t.idx) or t.idx < ps:
            continue
        subj = _subject(t, ctx)
        m = ctx.mention_at(subj.idx, subj.idx + len(subj)) if subj is not None else None
        if m is not None and _plausible_person(ctx, m):
            return m.key
    return None


def _signature(ctx: _Ctx, c: _Cand) -> str | None:
    """A pull quote: the quotation alone in its paragraph, followed by a short line that opens with a person's
    name ("Maria Lopez, 12 March", "- Maria Lopez, minister"): that person."""
    ps, pe = ctx.para_bounds(c.start)
    outside = ctx.text[ps : c.parts[0][0]] + ctx.text[c.parts[-1][1] : pe]
    if any(ch.isalnum() for ch in outside) or c.para + 1 >= len(ctx.para_starts):
        return None
    ns, ne = ctx.para_bounds(ctx.para_starts[c.para + 1])
    line = ctx.text[ns:ne]
    lead = len(line) - len(line.lstrip(" \t-\u2013\u2014~"))
    if not line.strip() or len(line.split()) > 10 or '"' in line or "\u201c" in line:
        return None
    m = ctx.mention_at(ns + lead, ns + lead + 1)
    if m is None or m.label != "PERSON" or m.span.start != ns + lead:
        return None
    rest = ctx.text[m.span.end : ne].strip()
    return m.key if not rest or rest[0] in ",(" else None


def _said_on(ctx: _Ctx, c: _Cand) -> TimeExpr | None:
    if c.cue is None or not ctx.dates:
        return None
    cue = c.cue
    ss, se = c.sent
    for d in ctx.dates[bisect_left(ctx.d_starts, ss) :]:
        if d.span.start >= se:
            break
        if any(a < d.span.end and d.span.start < b for a, b in c.parts):
            continue
        toks = _tokens_between(ctx.doc, d.span.start, d.span.end)
        if not toks:
            continue
        if 0 < toks[0].i - cue.i <= 3:  # "told reporters Tuesday", "said on Monday"
            return d
        root = toks[0]
        for t in toks:
            if t.head.i < toks[0].i or t.head.i > toks[-1].i or t.head.i == t.i:
                root = t
                break
        anc = root
        for _ in range(4):
            if anc.head.i == anc.i:
                break
            anc = anc.head
            if anc.i == cue.i:
                return d
            if any(a <= anc.idx < b for a, b in c.parts):
                break
    return None


# --------------------------------------------------------------------------- main


def extract_quotes(
    doc: Doc, mentions: Sequence[Mention] = (), dates: Sequence[TimeExpr] = ()
) -> tuple[Quote, ...]:
    """Direct and indirect quotes of one article, with cue, speaker and when said (cleaned-text spans)."""
    return _extract(doc, mentions, dates, broad=False)


def extract_attributions(
    doc: Doc, mentions: Sequence[Mention] = (), dates: Sequence[TimeExpr] = (), *, learned: bool = True
) -> tuple[Quote, ...]:
    """Like extract_quotes, plus stance/intention attributions ("Lopez wants ...", "Smith backs ...").

    PolNeAR-style attribution counts these; they are not quotes, so the dossier should prefer extract_quotes.
    With ``learned`` (the default) the learned source model of ``storyline.extract.attribution`` then keeps the rule
    attributions whose source it accepts and adds the sources the rules missed; ``learned=False`` gives the
    rules alone (what the model is fitted on).
    """
    found = _extract(doc, mentions, dates, broad=True)
    if not learned:
        return found
    from storyline.extract.attribution import refine  # the model module reads no quotes internals

    quoted = [part for parts, _ in find_quoted(doc.text) for part in parts]
    return refine(doc, found, quoted)


def _extract(
    doc: Doc, mentions: Sequence[Mention], dates: Sequence[TimeExpr], broad: bool
) -> tuple[Quote, ...]:
    ctx = _Ctx(doc, mentions, dates, broad)
    direct = _direct(ctx)
    indirect = _indirect(ctx, broad)
    if broad:
        indirect += _colon_heads(ctx)
        indirect += _in_document(ctx)
        indirect += _title_heads(ctx, {c.cue.idx for c in indirect if c.cue is not None})

    # an indirect quote whose complement holds a short direct fragment wins over it, else direct wins
    keep_direct: list[_Cand] = []
    drop_ind: set[int] = set()
    ranges = [(ind.start, ind.end) for ind in indirect]
    for d in direct:
        swallowed = False
        ds, de = d.start, d.end
        for k, (s, e) in enumerate(ranges):
            if ds < e and s < de:
                short = sum(len(ctx.text[a:b].split()) for a, b in d.parts) < 4
                inside = s <= d.start and d.end <= e + 3 and len(d.parts) == 1
                lead = sum(  # reported words before the quote opens
                    1 for w in ctx.text[s : d.start].split() if w.strip('"“”‘’,:') not in ("", "that")
                )
                if inside and (lead >= 2 or (short and lead >= 1) or (d.end - d.start) < 0.6 * (e - s)):
                    swallowed = True
                elif not broad or (d.cue is not None and indirect[k].cue is not None and d.cue.i == indirect[k].cue.i):
                    drop_ind.add(k)  # extract_attributions keeps an overlapping report with a cue of its own
        if not swallowed:
            keep_direct.append(d)
    cands = keep_direct + [ind for k, ind in enumerate(indirect) if k not in drop_ind]
    cands.sort(key=lambda c: c.cue.idx if c.cue is not None else c.start)

    prev: _Cand | None = None
    for c in cands:
        if c.cue is not None:
            c.cue_span = _cue_span(c.cue)
            if "cue_end" in c.extra:  # light verb: "made the case for"
                c.cue_span = (c.cue_span[0], max(c.cue_span[1], c.extra["cue_end"]))
            subj = c.extra.get("subj") or _according_to(c.cue) or _subject(c.cue, ctx)
            if subj is not None and not any(a <= subj.idx < b for a, b in c.parts):
                _resolve(ctx, c, subj, prev, c.extra.get("subj_span"))
            elif c.kind == "direct":
                near = _adjacent_name(ctx, c) or _left_name(ctx, c.cue)
                if near is not None:
                    _resolve(ctx, c, near[0], prev, near[1])
        elif "colon" in c.extra:
            head, span, colon = c.extra["colon"]
            c.cue_span = colon
            _resolve(ctx, c, head, prev, span)
        if c.key is not None or c.speaker is not None:
            prev = c

    # quotes with no cue: a pull quote's signature line, else the speaker of the neighbouring quote in the
    # same (or previous) paragraph
    cands.sort(key=lambda c: c.start)
    for i, c in enumerate(cands):
        if c.cue is not None or c.cue_span is not None or c.kind != "direct":
            continue
        signed = _signature(ctx, c)
        if signed is not None:
            c.key = signed
            continue
        before = next((p for p in reversed(cands[:i]) if p.key or p.speaker), None)
        after = next((p for p in cands[i + 1 :] if p.cue is not None), None)
        opens = c.parts[0][0] - ctx.para_starts[c.para] <= 2  # the quote opens its paragraph
        if before is not None and before.para == c.para:
            c.key = before.key
        elif after is not None and after.para == c.para:
            c.key = after.key
        elif before is not None and ctx.para_of(before.end - 1) == c.para - 1 and opens:
            # the next paragraph of the same speaker's words ('"...\n\n"...' as British style runs on)
            c.key = before.key
        elif opens:
            c.key = _lead_in(ctx, c)

    out: list[Quote] = []
    for c in cands:
        lo = min([c.start] + [x[0] for x in (c.cue_span, c.speaker) if x])
        hi = max([c.end] + [x[1] for x in (c.cue_span, c.speaker) if x])
        s0 = ctx.sent_starts[ctx.sent_index(lo)]
        s1 = ctx.sent_ends[ctx.sent_index(max(lo, hi - 1))]
        ss, se = _trim(ctx.text, s0, s1)
        c.sent = (ss, se)
        d = _said_on(ctx, c)
        key = c.key if c.key and c.key.lower() not in _PRONOUNS else None
        out.append(
            Quote(
                kind=c.kind,
                content=ctx.span(c.start, c.end),
                parts=tuple(ctx.span(a, b) for a, b in c.parts),
                speaker=ctx.span(*c.speaker) if c.speaker else None,
                speaker_key=key,
                cue=ctx.span(*c.cue_span) if c.cue_span else None,
                sentence=ctx.span(ss, se),
                said_on=d.value if d else None,
                said_on_span=d.span if d else None,
            )
        )
    out.sort(key=lambda q: (q.content.start, q.content.end))
    if not broad:  # "what she called X" inside her own reported statement is not a second quote
        inner = _inside_longer(out)
        out = [q for k, q in enumerate(out) if not (q.kind == "indirect" and k in inner)]
    return tuple(out)


def _inside_longer(quotes: list[Quote]) -> set[int]:
    """Indices of the quotes whose content lies inside a longer quote of the same speaker.

    Containing and longer means: starting earlier and ending no sooner, or starting at the same place and
    ending later.  One sorted sweep per speaker (comparing every pair is quadratic on a long article)."""
    by_key: dict[str | None, list[int]] = {}
    for k, q in enumerate(quotes):
        by_key.setdefault(q.speaker_key, []).append(k)
    inner: set[int] = set()
    for ks in by_key.values():
        ks.sort(key=lambda k: (quotes[k].content.start, -quotes[k].content.end))
        reach = widest = -1  # furthest end of the quotes starting earlier / starting at ``start``
        start = None
        for k in ks:
            c = quotes[k].content
            if c.start != start:
                reach = max(reach, widest)
                start, widest = c.start, c.end  # the first of its start is the widest
            if reach >= c.end or c.end < widest:
                inner.add(k)
    return inner
