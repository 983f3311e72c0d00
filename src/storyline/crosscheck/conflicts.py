"""Conflicts between sources about names, actors and dates.

``find_conflicts(items, index, independence)`` compares the articles of one story and returns
``Conflict`` records of three kinds, plus ``FlaggedError`` records for the clear minority cases:

``name``
    one thing named two ways: "Operation Iron Wave" (one machine-translated source) vs "Operation Iron
    Tide" (everyone else).  Named things are the multi-word mentions (not people), designations ("Operation
    X Y", "operation X Y", "the X Y operation") and quoted code names after a cue ('code-named "X Y"',
    'operation «X Y»').  Two forms are variants when they have the same number of words and differ in
    exactly one word that is not the name's head ("Front", "Council"; "Operation" for "Operation X"), not
    an inflection or possessive, and not a contrast word (north/south, new/old, first/second, numbers).
    A variant pair is a conflict only when no article uses both forms (then they are two things), the
    minority form comes from one independent source while the majority form comes from two or more, and
    the sentences around both forms talk about the same things (shared entities and content words).

``actor``
    who did something to one target: "a grey patrol boat had fired at the ferry" vs "The ferry was sunk by
    a mine laid by the Front".  Clauses with an attack verb (fire at/on, sink, hit, strike, attack, ...)
    are read in active and passive voice; the target must be one definite thing (a name, or "the ferry"
    linked to a name by "the ferry Corlen Star" in the same article), the date of the target's event in both
    articles within a day (when both give one), and the doers must be incompatible: different owners
    (entities or proper words in the doer phrase) or different instruments ("boat" vs "mine").  The same
    actor named two ways ("the navy", "a navy patrol boat") is one side.

``date``
    when something began: "The campaign, which has run since August" vs "The blockade, which has been in
    place since early September".  Start predicates (began, started, was launched, took effect, came into
    force, has run/has been in place/in force since ...) with a normalised date, about a referent resolved
    to an entity: a name, or "the campaign"/"the blockade" resolved to the article's one named operation or,
    failing that, through an appositive in another article ("Operation X, the navy's blockade").  Dates
    conflict only when their intervals cannot overlap ("August" vs "early September": yes; "September" vs
    "early September": no; "2025" vs "August 2025": no).

``number`` (ages)
    a person's age: "Alexis Malone, 17" against "Alexis Malone, 19" (:mod:`storyline.crosscheck.ages`); the
    block of a street: "the 5300 block of Noon Road" against "the 5000 block" (:mod:`storyline.crosscheck.blocks`).

Everything is regex/structure over the stored extractions; pairs are only compared inside blocks (same form
skeleton, same target entity, same referent), so the cost is near-linear in the corpus size.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from storyline.crosscheck.ages import age_conflicts, spelled_alike
from storyline.crosscheck.blocks import block_conflicts
from storyline.extract.dates import value_interval
from storyline.records import (
    Citation,
    CleanArticle,
    Conflict,
    Extraction,
    FlaggedError,
    Independence,
    Side,
)
from storyline.text import fold, stem, word_spans
from storyline.text import words as split_words

__all__ = ["date_interval", "find_conflicts"]

Items = Sequence[tuple[CleanArticle, Extraction]]

# --------------------------------------------------------------------------- small helpers


def _wordlist(text: str) -> frozenset[str]:
    """A hand-written list of words (not running text) as a set."""
    return frozenset(text.split())


def _stemlist(text: str) -> frozenset[str]:
    """A hand-written list of words as the set of their stems (compared with stemmed name words)."""
    return frozenset(stem(w) for w in text.split())


def _sentences(clean: CleanArticle, ext: Extraction) -> list[tuple[int, int]]:
    """Sentence spans of the cleaned text, split again at line breaks (headlines, paragraph ends)."""
    text = clean.text
    spans = [(s.start, s.end) for s in ext.sentences] or [(0, len(text))]
    out: list[tuple[int, int]] = []
    for start, end in spans:
        pos = start
        for m in re.finditer(r"\n", text[start:end]):
            cut = start + m.start()
            if text[pos:cut].strip():
                out.append(_strip(text, pos, cut))
            pos = cut + 1
        if text[pos:end].strip():
            out.append(_strip(text, pos, end))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    lo, hi = 0, len(sents) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = sents[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return s, e
    return None


def _outlet(clean: CleanArticle) -> str:
    return clean.article.outlet or clean.article.title or clean.article.origin


def _unique(seq: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(seq))


def _list_words(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    if len(names) > 4:
        return ", ".join(names[:3]) + f" and {len(names) - 3} more"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _likely(sides: Sequence[Side]) -> int | None:
    """The side with clearly more independent support that its rivals do not share, else None."""
    if len(sides) < 2:
        return None
    exclusive: list[int] = []
    for i, side in enumerate(sides):
        others = {s for j, o in enumerate(sides) if j != i for s in o.sources}
        exclusive.append(len([s for s in side.sources if s not in others]))
    order = sorted(range(len(sides)), key=lambda i: -exclusive[i])
    best, second = order[0], order[1]
    if exclusive[best] >= 2 and exclusive[second] <= 1 and sides[best].independent > sides[second].independent:
        return best
    return None


_STOP = _wordlist("""
a an the and or but if of in on at to for from by with as into onto over under after before since until
while during about than then that this these those which who whom whose what when where why how there
here is are was were be been being has have had do does did will would can could may might must shall
should not no nor never so such also only just very more most less least many much some any each every
all both few other another same own its it their they them his her he she him we our us you your i my me
said says say told tells according per last next this week month year years months weeks days day
""")

_CONTRAST = _stemlist("""
north south east west northern southern eastern western northeast northwest southeast southwest upper
lower new old first second third fourth fifth one two three four five six seven eight nine ten ii iii iv
vi vii viii ix x greater little great high low inner outer central middle left right democratic
republican national international federal regional royal free people's popular standard daylight summer
winter spring autumn fall junior senior men women boys girls home foreign domestic public private state
local house senate supreme appeals district general
""")

_EMBED_MIN = 0.3
_STOP_STEMS = frozenset(stem(w) for w in _STOP)  # for stemmed words (name words, heads)
_NAME_FUNCTION = _stemlist("de la le les du des el al del di da von van der")

# First words that make the name's head the first word ("Operation Iron Tide", "Hurricane Ana").
_PREFIX_HEADS = _stemlist("""
codename operation exercise mission project plan programme program campaign task hurricane typhoon cyclone storm
tropical mount lake fort camp cape
""")

# Nouns for an undertaking that a name can stand for ("the campaign" = "Operation Iron Tide").
_UNDERTAKINGS = _stemlist("""
operation campaign blockade offensive siege mission deployment crackdown incursion invasion occupation
embargo quarantine intervention operations
""")

# What a thing is hit with: two different ones are two different accounts of one attack.
_INSTRUMENTS = frozenset(stem(w) for w in {  # compared with stemmed heads
    "boat", "gunboat", "ship", "warship", "vessel", "frigate", "destroyer", "corvette", "cutter",
    "submarine", "mine", "missile", "rocket", "drone", "jet", "plane", "aircraft", "warplane", "helicopter",
    "gunship", "airstrike", "strike", "bomb", "shell", "torpedo", "artillery", "tank", "mortar", "grenade",
    "explosive", "device", "bullet", "gunfire", "truck", "car",
})


# --------------------------------------------------------------------------- context


@dataclass
class _Article:
    clean: CleanArticle
    ext: Extraction
    aid: str
    sents: list[tuple[int, int]]
    mention_ents: list[tuple[int, int, str | None, str]] = field(default_factory=list)  # start, end, id, label
    entity_names: dict[str, str] = field(default_factory=dict)  # entity id -> canonical name
    name_uses: list | None = None
    folded: str = ""

    def cite(self, start: int, end: int) -> Citation:
        return self.clean.cite(start, end)

    def entities_in(self, start: int, end: int) -> list[str]:
        return [eid for s, e, eid, _ in self.mention_ents if eid and s >= start and e <= end]

    def sentence(self, pos: int) -> tuple[int, int]:
        return _sentence_of(self.sents, pos) or (pos, pos)


def _prepare(items: Items, index: Any) -> list[_Article]:
    out = []
    for clean, ext in items:
        art = _Article(clean, ext, clean.article.id, _sentences(clean, ext))
        for m in ext.mentions:
            if m.kind != "name":
                continue
            ent = index.resolve(art.aid, m.key) if index is not None else None
            if ent is not None:
                art.entity_names[ent.id] = ent.name
            art.mention_ents.append(
                (m.span.start, m.span.end, ent.id if ent else None, ent.label if ent else m.label)
            )
        art.mention_ents.sort()
        out.append(art)
    return out


def _content(text: str) -> set[str]:
    return {stem(w) for w in split_words(fold(text)) if len(w) >= 4 and w[0].isalpha() and w not in _STOP}


# =========================================================================== names


@dataclass(frozen=True)
class _NameUse:
    aid: str
    start: int
    end: int
    words: tuple[str, ...]  # folded, stemmed
    text: str
    person: bool = False  # a person's full name (given name(s) and surname)


_CAP = r"[A-Z][\w’'-]*"
_DESIGNATION_RE = re.compile(
    rf"\b(?:[Oo]peration|Exercise|Mission|Project|Task[ \t]+Force)[ \t]+{_CAP}(?:[ \t]+{_CAP}){{0,3}}"
)
# "the Southern Lance operation" (word order of some translations): the same designation
_POSTFIX_RE = re.compile(rf"\b(?P<name>{_CAP}(?:[ \t]+{_CAP}){{0,3}})[ \t]+(?P<kind>operation|campaign)\b")
_QUOTED_RE = re.compile(rf"[\"“‘'«„](?P<name>{_CAP}(?:[ \t]+{_CAP}){{0,3}})[\"”’'»“]")
_QUOTE_CUE_RE = re.compile(r"(?i:called|named|dubbed|known[ \t]+as|code-?named|operation|campaign|codename)[ \t]+$")


@lru_cache(maxsize=65536)
def _name_words(text: str) -> tuple[str, ...]:
    words = split_words(fold(text))
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return tuple(stem(w) for w in words)


def _name_uses(art: _Article) -> list[_NameUse]:
    if art.name_uses is None:
        art.name_uses = _find_name_uses(art)
    return art.name_uses


def _find_name_uses(art: _Article) -> list[_NameUse]:
    """Named things of one article: designations ("Operation X Y", wins over a mention inside it), quoted
    designations after a cue ("code-named \"Iron Tide\""), and multi-word mentions that are not people."""
    text = art.clean.text
    uses: dict[tuple[int, int], _NameUse] = {}

    def overlaps(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in uses)

    for m in _DESIGNATION_RE.finditer(text):
        words = _name_words(m.group())
        if len(words) >= 2:
            uses[m.span()] = _NameUse(art.aid, m.start(), m.end(), words, m.group())
    for m in _POSTFIX_RE.finditer(text):
        words = _name_words(m.group("name"))
        if len(words) >= 2 and not overlaps(*m.span()) and not (m.start() and text[m.start() - 1] in "\"“‘'«„"):
            uses[m.span()] = _NameUse(art.aid, m.start(), m.end(), (stem(m.group("kind")),) + words, m.group())
    for m in _QUOTED_RE.finditer(text):
        start, end = m.span("name")
        cue = _QUOTE_CUE_RE.search(text, max(0, m.start() - 20), m.start())
        if cue is None or overlaps(start, end):
            continue
        # a code name has no head word of its own: its cue is its category ("Operation", "code-named")
        kind = cue.group().split()[0].lower()
        words = (stem(kind if kind in ("operation", "campaign") else "codename"),) + _name_words(m.group("name"))
        if len(words) >= 3:
            uses[(start, end)] = _NameUse(art.aid, start, end, words, m.group("name"))
    for start, end, _eid, label in art.mention_ents:
        surface = text[start:end]
        words = _name_words(surface)
        if len(words) < 2 or overlaps(start, end):
            continue
        person = label == "PERSON" and words[0] not in _PREFIX_HEADS
        uses[(start, end)] = _NameUse(art.aid, start, end, words, surface, person)
    return sorted(uses.values(), key=lambda u: u.start)


def _head_index(words: tuple[str, ...]) -> int:
    if words[0] in _PREFIX_HEADS or (len(words) >= 3 and words[1] in ("of", "de", "for")):
        return 0
    return len(words) - 1


def _variant_position(a: tuple[str, ...], b: tuple[str, ...]) -> int | None:
    """The one position where two same-length names differ in a way a mistranslation would, else None."""
    if len(a) != len(b) or len(a) < 2:
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) != 1:
        return None
    i = diff[0]
    x, y = a[i], b[i]
    if i == _head_index(a) or i == _head_index(b):
        return None
    if not (x.isalpha() and y.isalpha()) or len(x) < 3 or len(y) < 3:
        return None
    if x in _CONTRAST or y in _CONTRAST or x in _STOP_STEMS or y in _STOP_STEMS:
        return None
    if x.startswith(y) or y.startswith(x):  # inflection / derivation: "Veldania" vs "Veldanian"
        return None
    head = _head_index(a)
    shared = [w for n, w in enumerate(a) if n not in (i, head) and w not in _STOP_STEMS and w not in _NAME_FUNCTION]
    if not shared and not (min(len(x), len(y)) >= 5 and difflib.SequenceMatcher(None, x, y).ratio() >= 0.8):
        return None  # "Malaysian Airlines" vs "Asiana Airlines": only the category word in common
    return i


def _person_variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two full names of one person that differ in one part: the surname alone ("Angel Penn" / "Angel
    Whitcombe": different words, not an inflection of one another), or the first given name spelt two ways
    ("Kemontay Cullins" / "Kamontay Cullins": same first letter, a spelling variant, not a short form)."""
    if len(a) != len(b) or len(a) < 2:
        return False
    if a[:-1] == b[:-1] and a[-1] != b[-1]:
        x, y = a[-1], b[-1]
        return x.isalpha() and y.isalpha() and min(len(x), len(y)) >= 3 and not (x.startswith(y) or y.startswith(x))
    if a[1:] == b[1:] and a[0] != b[0]:
        return _spelling_variant(a[0], b[0])
    return False


def _spelling_variant(x: str, y: str) -> bool:
    """"kemontay" / "kamontay", "jamie" / "jaime": one given name spelt two ways (not "chris" / "christopher")."""
    if not (x.isalpha() and y.isalpha()) or min(len(x), len(y)) < 4 or x[0] != y[0]:
        return False
    return not (x.startswith(y) or y.startswith(x)) and spelled_alike(x, y)


def _differs(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    return "given names" if a[1:] == b[1:] else "surnames"


def _contexts(arts: dict[str, _Article], uses: Sequence[_NameUse]) -> list[set[str]]:
    out = []
    for u in uses:
        art = arts[u.aid]
        s, e = art.sentence(u.start)
        own = set(u.words)
        ctx = {w for w in _content(art.clean.text[s:e]) if w not in own}
        ctx |= {f"@{eid}" for eid in art.entities_in(s, e)}
        if u.person:  # a person's age or count in the same sentence ("Angel Penn, 19", "44-year-old")
            ctx |= {f"#{n}" for n in re.findall(r"(?<![\d.,])\d{1,3}(?![\d.,]\d)", art.clean.text[s:e])}
        out.append(ctx)
    return out


def _same_context(minor: list[set[str]], major: list[set[str]], exclude: set[str], shared: int = 2) -> bool:
    for a in minor:
        for b in major:
            if len((a & b) - exclude) >= shared:
                return True
    return False


def _similar_sentences(arts: dict[str, _Article], minor: Sequence[_NameUse], major: Sequence[_NameUse],
                       embedder: Any) -> bool:
    """Sentence-embedding check of the context: some minority sentence close to some majority sentence."""
    def sents(uses: Sequence[_NameUse], limit: int) -> list[str]:
        out = []
        for u in uses[:limit]:
            s, e = arts[u.aid].sentence(u.start)
            out.append(arts[u.aid].clean.text[s:e].replace(u.text, " "))
        return out

    a, b = embedder.encode(sents(minor, 4)), embedder.encode(sents(major, 12))
    return float((a @ b.T).max()) >= _EMBED_MIN


def name_conflicts(
    arts: Sequence[_Article], independence: Independence, embedder: Any = None
) -> tuple[list[Conflict], list[FlaggedError], dict[tuple[str, ...], tuple[str, ...]]]:
    """Name variants; also returns a map minority form -> majority form (used to resolve date referents)."""
    by_id = {a.aid: a for a in arts}
    forms: dict[tuple[str, ...], list[_NameUse]] = defaultdict(list)
    for art in arts:
        for use in _name_uses(art):
            forms[use.words].append(use)
    blocks: dict[tuple, list[tuple[str, ...]]] = defaultdict(list)
    for words in forms:
        for i in range(len(words)):
            blocks[(len(words), i, words[:i], words[i + 1:])].append(words)
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    seen: set[frozenset] = set()
    for block in blocks.values():
        if len(block) < 2:
            continue
        for ai, a in enumerate(block):
            for b in block[ai + 1:]:
                pair = frozenset((a, b))
                persons = (forms[a][0].person, forms[b][0].person)
                if pair in seen or persons[0] != persons[1]:
                    continue
                variant = _person_variant(a, b) if persons[0] else _variant_position(a, b) is not None
                if not variant:
                    continue
                seen.add(pair)
                found = _name_pair(a, b, forms, by_id, independence, embedder)
                if found is None:
                    continue
                conflict, error, minor, major = found
                conflicts.append(conflict)
                if error is not None:
                    errors.append(error)
                if conflict.likely is not None:
                    canonical[minor] = major
    return conflicts, errors, canonical


def _name_pair(
    a: tuple[str, ...],
    b: tuple[str, ...],
    forms: dict[tuple[str, ...], list[_NameUse]],
    arts: dict[str, _Article],
    independence: Independence,
    embedder: Any = None,
) -> tuple[Conflict, FlaggedError | None, tuple[str, ...], tuple[str, ...]] | None:
    src_a = _unique(u.aid for u in forms[a])
    src_b = _unique(u.aid for u in forms[b])
    if set(src_a) & set(src_b):
        return None  # one source uses both: two different things
    ind_a, ind_b = independence.count(src_a), independence.count(src_b)
    person = forms[a][0].person
    if ind_a == ind_b and not (person and ind_a == 1):
        return None  # a person named two ways by one source each is still a disagreement, undecided
    major, minor = (a, b) if ind_a >= ind_b else (b, a)
    src_major, src_minor = (src_a, src_b) if ind_a >= ind_b else (src_b, src_a)
    ind_major, ind_minor = max(ind_a, ind_b), min(ind_a, ind_b)
    if (ind_major < 2 and not person) or ind_minor != 1:
        return None
    # neither side's articles may contain the other form anywhere (NER can miss a use)
    major_str, minor_str = " ".join(major), " ".join(minor)
    for aid in src_minor:
        if major_str in _folded_stemmed(arts[aid]):
            return None
    for aid in src_major:
        if minor_str in _folded_stemmed(arts[aid]):
            return None
    uses_minor, uses_major = forms[minor], forms[major]
    shared = 1 if person else 2  # a person's given name already ties the two forms
    if not _same_context(_contexts(arts, uses_minor), _contexts(arts, uses_major), set(major) | set(minor), shared):
        return None
    if embedder is not None and not _similar_sentences(arts, uses_minor, uses_major, embedder):
        return None
    minor_text, major_text = uses_minor[0].text, _display(uses_major)
    side_major = _name_side(uses_major, arts, independence)
    side_minor = _name_side(uses_minor, arts, independence)
    outlets_minor = _list_words([_outlet(arts[s].clean) for s in src_minor])
    if person and ind_major == ind_minor:  # one source against one: a disagreement, no side preferred
        outlets_major = _list_words([_outlet(arts[s].clean) for s in src_major])
        explanation = (
            f"{outlets_minor} names \"{minor_text}\" where {outlets_major} names \"{major_text}\" in a similar "
            f"sentence; the {_differs(minor, major)} differ, and no other source says which is right."
        )
        conflict = Conflict(id="x-name-0", kind="name", about=f"the name of {major_text}",
                            sides=(side_minor, side_major), explanation=explanation, likely=None)
        return conflict, None, minor, major
    if person:
        explanation = (
            f"{outlets_minor} names \"{minor_text}\", a name no other source uses, where {ind_major} independent "
            f"sources name \"{major_text}\" in similar sentences; the {_differs(minor, major)} differ, which suggests "
            "a mistake."
        )
    else:
        explanation = (
            f"{outlets_minor} calls it \"{minor_text}\", a name no other source uses, while {ind_major} independent "
            f"sources call the same thing \"{major_text}\" in similar sentences; the names differ in one word, "
            "which suggests a mistranslation or a mistake."
        )
    sides = (side_minor, side_major)
    conflict = Conflict(
        id="x-name-0", kind="name", about=f"the name of {major_text}", sides=sides,
        explanation=explanation, likely=1,
    )
    if person and _differs(minor, major) == "given names":
        return conflict, None, minor, major  # a given name spelt two ways: likely, but no error to flag
    error = FlaggedError(
        id="err-0", kind="name", source=src_minor[0], citation=side_minor.citations[0],
        correction=major_text, evidence=side_major.citations,
        why=(f"\"{minor_text}\" appears only in {outlets_minor}; {ind_major} independent sources name it "
             f"\"{major_text}\"."),
    )
    return conflict, error, minor, major


def _folded_stemmed(art: _Article) -> str:
    if not art.folded:
        art.folded = " " + " ".join(stem(w) for w in split_words(fold(art.clean.text))) + " "
    return art.folded


def _display(uses: Sequence[_NameUse]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for u in uses:
        t = u.text[4:] if u.text.lower().startswith("the ") else u.text
        counts[t] += 1
    return max(counts, key=lambda t: (counts[t], len(t)))


def _name_side(uses: Sequence[_NameUse], arts: dict[str, _Article], independence: Independence) -> Side:
    cites: list[Citation] = []
    per_source: dict[str, int] = defaultdict(int)
    for u in uses:
        if per_source[u.aid] >= 2:
            continue
        per_source[u.aid] += 1
        cites.append(arts[u.aid].cite(u.start, u.end))
    sources = _unique(c.source for c in cites)
    return Side(value=_display(uses), citations=tuple(cites), sources=sources,
                independent=independence.count(sources))


# =========================================================================== actors

_ACTIVE_VERB_RE = re.compile(
    r"\b(?:fired\s+(?:at|on|upon)|opened\s+fire\s+on|sank|hit|struck|attacked|shelled|bombed|torpedoed|"
    r"rammed|shot\s+down|destroyed|downed|blew\s+up|sunk)\b"
)
_PASSIVE_VERB_RE = re.compile(
    r"\b(?:fired\s+(?:at|on|upon)|sunk|sank|hit|struck|attacked|shelled|bombed|torpedoed|rammed|shot\s+down|"
    r"destroyed|downed|blown\s+up|damaged|targeted)\b"
)
_PASSIVE_AUX = frozenset({"was", "were", "been", "being", "be", "is", "are", "got"})
_SKIP_BEFORE_VERB = frozenset({"had", "has", "have", "reportedly", "allegedly", "likely", "probably", "most",
                               "then", "deliberately", "first", "twice", "repeatedly", "also", "later",
                               "apparently", "possibly", "was", "were", "been", "being", "is", "are", "got"})
_NEG = frozenset({"not", "n't", "never", "no", "denied", "deny", "denies", "denying", "if", "whether",
                  "unless", "without", "could", "might", "may", "would"})
_DETS = frozenset({"a", "an", "the", "its", "their", "his", "her", "our"})
_NP_STOP = _STOP | {"twice", "again", "once", "near", "off", "outside", "inside", "around", "toward",
                    "towards", "because", "despite", "against", "along", "across", "through", "between"}
_OWNER_TAIL = frozenset({"laid", "fired", "launched", "operated", "planted", "flown", "manned", "crewed",
                         "owned", "deployed", "sent", "belonging", "of", "from"})
_NAT_SAME = {"us": "us", "u.s": "us", "american": "us", "america": "us", "united": "us", "uk": "uk",
             "british": "uk", "britain": "uk"}


@dataclass
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _toks(text: str, offset: int) -> list[_Tok]:
    """Words and punctuation marks of ``text`` (``storyline.text.word_spans``), offsets shifted by ``offset``."""
    return [_Tok(text[s:e], fold(text[s:e]), offset + s, offset + e) for s, e in word_spans(text, punctuation=True)]


def _is_word(t: _Tok) -> bool:
    return t.text[0].isalnum()


def _np_forward(toks: list[_Tok], i: int, sent_start: int) -> tuple[int, int] | None:
    """Noun phrase starting at token i (a determiner or a capitalised word): token range [i, j)."""
    if i >= len(toks) or not _is_word(toks[i]):
        return None
    first = toks[i]
    if first.low not in _DETS and not first.text[0].isupper():
        return None
    j = i + 1
    while j < len(toks) and j - i <= 5 and _is_word(toks[j]) and toks[j].low not in _NP_STOP \
            and toks[j].low not in _OWNER_TAIL and not toks[j].low.endswith("ly"):
        j += 1
    if j == i + 1 and first.low in _DETS:
        return None
    return i, j


def _np_backward(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """Noun phrase ending right before token k: token range [i, k)."""
    i = k
    while i > 0 and k - i < 5 and _is_word(toks[i - 1]) and toks[i - 1].low not in _NP_STOP \
            and not toks[i - 1].low.endswith("ly"):
        i -= 1
    if i == k:
        return None
    if i > 0 and toks[i - 1].low in _DETS:
        i -= 1
    elif not toks[i].text[0].isupper():
        return None
    return i, k


def _owner_tail(toks: list[_Tok], j: int) -> int:
    """Extend a doer phrase over "laid by the Front" / "of Veldania"; returns the new end token."""
    if j < len(toks) and toks[j].low in _OWNER_TAIL:
        k = j + 1
        if k < len(toks) and toks[k].low in ("by", "to"):
            k += 1
        if k < len(toks) and toks[k].low == "the":
            k += 1
        m = k
        while m < len(toks) and m - k < 4 and _is_word(toks[m]) and toks[m].text[0].isupper():
            m += 1
        if m > k:
            return m
    return j


@dataclass(frozen=True)
class _Doer:
    text: str
    head: str
    words: frozenset[str]
    owners: frozenset[str]


@dataclass(frozen=True)
class _Attack:
    aid: str
    verb: str
    doer: _Doer
    doer_span: tuple[int, int]
    clause: tuple[int, int]
    target_key: str
    target_text: str
    sentence: tuple[int, int]
    context: frozenset[str] = frozenset()  # entities of the sentence outside the doer phrase


def _doer(art: _Article, toks: list[_Tok], i: int, j: int) -> _Doer:
    text = art.clean.text[toks[i].start:toks[j - 1].end]
    core = [t for t in toks[i:j]]
    head_j = j
    for n in range(i, j):
        if toks[n].low in _OWNER_TAIL and n > i:
            head_j = n
            break
    head = stem(toks[head_j - 1].low)
    words = frozenset(stem(t.low) for t in core if t.low not in _DETS)
    owners = set(art.entities_in(toks[i].start, toks[j - 1].end))
    for n, t in enumerate(core):
        if t.text[0].isupper() and (n > 0 or t.low not in _DETS) and t.low not in _STOP:
            owners.add(_NAT_SAME.get(t.low.rstrip("."), t.low[:5]))
    return _Doer(text, head, words, frozenset(owners))


def _target_key(art: _Article, toks: list[_Tok], i: int, j: int, links: dict[str, str]) -> str | None:
    tok_first = toks[i]
    if tok_first.low not in ("the", "their", "its", "his", "her", "our") and not tok_first.text[0].isupper():
        return None
    start, end = toks[i].start, toks[j - 1].end
    ents = art.entities_in(start, end)
    if ents:
        return ents[-1]
    caps = [t for t in toks[i:j] if t.text[0].isupper() and t.low not in _DETS]
    if caps:
        return "name:" + " ".join(stem(t.low) for t in caps)
    head = stem(toks[j - 1].low)
    if head in links:
        return links[head]
    return "noun:" + head


_NOUN_NAME_RE = re.compile(
    rf"\b[Tt]he\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<noun>[a-z][\w-]+)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})"
)


def _noun_links(art: _Article) -> dict[str, str]:
    """Common nouns linked to one name in this article ("the ferry Corlen Star": ferry -> its entity)."""
    found: dict[str, set[str]] = defaultdict(set)
    text = art.clean.text
    for m in _NOUN_NAME_RE.finditer(text):
        noun = stem(m.group("noun").lower())
        if noun in _STOP_STEMS:
            continue
        ents = art.entities_in(m.start("name"), m.end("name"))
        key = ents[0] if ents else "name:" + " ".join(stem(w) for w in split_words(fold(m.group("name"))))
        found[noun].add(key)
    return {noun: next(iter(keys)) for noun, keys in found.items() if len(keys) == 1}


def _attacks(art: _Article) -> list[_Attack]:
    text = art.clean.text
    links = _noun_links(art)
    out: list[_Attack] = []
    for s, e in art.sents:
        sent = text[s:e]
        if not _ACTIVE_VERB_RE.search(sent) and not _PASSIVE_VERB_RE.search(sent):
            continue
        toks = _toks(sent, s)
        starts = {t.start: n for n, t in enumerate(toks)}
        seen: set[int] = set()
        for rx, passive_ok in ((_PASSIVE_VERB_RE, True), (_ACTIVE_VERB_RE, False)):
            for m in rx.finditer(sent):
                k = starts.get(s + m.start())
                if k is None or k in seen:
                    continue
                vend = k + len(_toks(m.group(), 0))
                found = _attack_at(art, toks, k, vend, links, passive_ok, (s, e), m.group())
                if found is not None:
                    seen.add(k)
                    out.append(found)
    return out


def _attack_at(art: _Article, toks: list[_Tok], k: int, vend: int, links: dict[str, str], passive_ok: bool,
               sentence: tuple[int, int], verb: str) -> _Attack | None:
    b = k
    while b > 0 and toks[b - 1].low in _SKIP_BEFORE_VERB:
        b -= 1
    clause_start = b
    while clause_start > 0 and toks[clause_start - 1].low not in (",", ";", ":", "said", "says", "and", "but"):
        clause_start -= 1
    if any(t.low in _NEG for t in toks[max(0, clause_start - 2):k]):
        return None
    passive = any(t.low in _PASSIVE_AUX for t in toks[b:k])
    if passive and not passive_ok:
        return None
    if passive:
        tgt = _np_backward(toks, b)
        j = vend
        while j < len(toks) and j - vend < 2 and toks[j].low != "by" and _is_word(toks[j]):
            j += 1
        if tgt is None or j >= len(toks) or toks[j].low != "by":
            return None
        doer = _np_forward(toks, j + 1, sentence[0])
        if doer is None:
            return None
        d_end = _owner_tail(toks, doer[1])
        d_rng = (doer[0], d_end)
        clause = (toks[tgt[0]].start, toks[d_end - 1].end)
    else:
        doer = _np_backward(toks, b)
        tgt = _np_forward(toks, vend, sentence[0])
        if doer is None or tgt is None:
            return None
        d_rng = doer
        clause = (toks[doer[0]].start, toks[tgt[1] - 1].end)
    key = _target_key(art, toks, tgt[0], tgt[1], links)
    if key is None:
        return None
    d = _doer(art, toks, d_rng[0], d_rng[1])
    if d.head in _STOP_STEMS or stem(toks[tgt[1] - 1].low) == d.head:
        return None
    target_text = art.clean.text[toks[tgt[0]].start:toks[tgt[1] - 1].end]
    d_span = (toks[d_rng[0]].start, toks[d_rng[1] - 1].end)
    context = frozenset(e for e in art.entities_in(*sentence) if e not in art.entities_in(*d_span))
    return _Attack(art.aid, verb, d, d_span, clause, key, target_text, sentence, context)


def _same_doer(a: _Doer, b: _Doer) -> bool:
    if a.head == b.head or a.head in b.words or b.head in a.words:
        return True
    return bool(a.owners & b.owners)


def _doers_conflict(a: _Doer, b: _Doer) -> bool:
    """Incompatible doers: two different instruments ("a patrol boat" vs "a mine"), or an instrument and
    another doer with disjoint owners ("a Ukrainian jet" vs "rebels backed by Russia").  Two agents with
    different names ("the Pentagon", "the US military") are never a conflict: they may be one side."""
    if _same_doer(a, b):
        return False
    inst_a, inst_b = a.head in _INSTRUMENTS, b.head in _INSTRUMENTS
    if inst_a and inst_b:
        return True
    return (inst_a or inst_b) and bool(a.owners) and bool(b.owners)


def _event_days(art: _Article, key: str, attack_sents: Iterable[tuple[int, int]]) -> set[dt.date]:
    """Day dates of the target's event in one article: dates in sentences naming the target."""
    spans: list[tuple[int, int]] = list(attack_sents)
    if not key.startswith("noun:"):
        for s, _e, eid, _ in art.mention_ents:
            if eid == key:
                spans.append(art.sentence(s))
    days: set[dt.date] = set()
    for t in art.ext.dates:
        if t.precision != "day" or t.type != "DATE":
            continue
        if any(s <= t.span.start and t.span.end <= e for s, e in spans):
            try:
                days.add(dt.date.fromisoformat(t.value[:10]))
            except ValueError:
                continue
    return days


def actor_conflicts(arts: Sequence[_Article], independence: Independence) -> list[Conflict]:
    by_id = {a.aid: a for a in arts}
    groups: dict[str, list[_Attack]] = defaultdict(list)
    for art in arts:
        for att in _attacks(art):
            groups[att.target_key].append(att)
    conflicts: list[Conflict] = []
    for key, atts in groups.items():
        if len({a.aid for a in atts}) < 2:
            continue
        days = {aid: _event_days(by_id[aid], key, [a.sentence for a in atts if a.aid == aid])
                for aid in {a.aid for a in atts}}
        # clusters of compatible doers (union of "same doer")
        clusters: list[list[_Attack]] = []
        for att in atts:
            for cl in clusters:
                if any(_same_doer(att.doer, o.doer) for o in cl):
                    cl.append(att)
                    break
            else:
                clusters.append([att])
        if len(clusters) < 2:
            continue
        clashing = _clashing_clusters(clusters, days, named=not key.startswith("noun:"))
        if len(clashing) < 2:
            continue
        sources = {a.aid for cl in clashing for a in cl}
        if independence.count(sources) < 2:
            continue
        conflicts.append(_actor_conflict(key, clashing, by_id, days, independence, len(conflicts) + 1))
    return conflicts


def _days_compatible(a: set[dt.date], b: set[dt.date], named: bool) -> bool:
    if not a or not b:
        return named
    return any(abs((x - y).days) <= 1 for x in a for y in b)


def _clashing_clusters(clusters: list[list[_Attack]], days: dict[str, set[dt.date]], named: bool
                       ) -> list[list[_Attack]]:
    keep: set[int] = set()
    for i, ci in enumerate(clusters):
        for j in range(i + 1, len(clusters)):
            cj = clusters[j]
            for x in ci:
                hit = False
                for y in cj:
                    if x.aid == y.aid and len({a.aid for a in ci + cj}) < 2:
                        continue
                    if not named and not (x.context & y.context):
                        continue  # "the ferry" in two articles: only one ferry if the place matches too
                    if _doers_conflict(x.doer, y.doer) and _days_compatible(days[x.aid], days[y.aid], named):
                        keep.update((i, j))
                        hit = True
                        break
                if hit:
                    break
    return [clusters[i] for i in sorted(keep)]


def _actor_conflict(key: str, clusters: list[list[_Attack]], arts: dict[str, _Article],
                    days: dict[str, set[dt.date]], independence: Independence, n: int) -> Conflict:
    sides: list[Side] = []
    for cl in clusters:
        best = max(cl, key=lambda a: (len(a.doer.owners), len(a.doer.text)))
        cites = []
        for a in cl:
            art = arts[a.aid]
            cites.append(art.cite(*a.clause))
        sources = _unique(c.source for c in cites)
        sides.append(Side(value=best.doer.text, citations=tuple(cites), sources=sources,
                          independent=independence.count(sources)))
    first = clusters[0][0]
    target = _target_display(key, clusters, arts)
    day_sets = [days[aid] for aid in {a.aid for cl in clusters for a in cl} if days[aid]]
    common = sorted(d for d in (day_sets[0] if day_sets else ())
                    if all(any(abs((d - x).days) <= 1 for x in other) for other in day_sets))
    when = f" on {common[0].isoformat()}" if common else ""
    verb = " ".join(first.verb.split())
    parts = []
    for side in sides:
        outlets = _list_words([_outlet(arts[s].clean) for s in side.sources])
        parts.append(f"{outlets} report{'s' if len(side.sources) == 1 else ''} \"{side.value}\"")
    explanation = (f"Sources disagree about who was behind the attack on {target}{when}: " + "; ".join(parts)
                   + ".")
    return Conflict(id=f"x-actor-{n}", kind="actor", about=f"who {verb} {target}{when}",
                    sides=tuple(sides), explanation=explanation, likely=_likely(sides))


def _target_display(key: str, clusters: list[list[_Attack]], arts: dict[str, _Article]) -> str:
    for cl in clusters:
        for a in cl:
            if key in arts[a.aid].entity_names:
                return "the " + arts[a.aid].entity_names[key]
    texts = [a.target_text for cl in clusters for a in cl]
    named = [t for t in texts if any(w[:1].isupper() for w in t.split()[1:])]
    pick = named[0] if named else min(texts, key=len)
    words = pick.split()
    if words and words[0].lower() in ("the", "their", "its", "his", "her", "our"):
        pick = "the " + " ".join(words[1:])
    return pick


# =========================================================================== dates

_START_RE = re.compile(
    r"\b(?P<pred>(?:(?:has|have|had)\s+)?(?:(?:been\s+)?(?:in\s+place|in\s+effect|in\s+force|under\s*way|running|"
    r"going\s+on)|run|continued|lasted|gone\s+on|operated|existed)\s+since"
    r"|began|begun|started|commenced|(?:was|were|had\s+been|has\s+been)\s+(?:launched|started|imposed|introduced|"
    r"declared|begun)|took\s+effect|came\s+into\s+(?:force|effect)|entered\s+into\s+force|went\s+into\s+effect"
    r"|(?:in\s+place|in\s+effect|in\s+force|under\s*way)\s+since)\b"
)
_ACTIVE_START_RE = re.compile(
    rf"\b(?:launched|began|started|imposed|introduced)\s+(?P<np>(?:the\s+)?{_CAP}(?:[ \t]+(?:of[ \t]+)?{_CAP}){{1,4}}"
    r"|(?:the|its|their)\s+(?:[\w’'-]+\s+){0,2}?(?:operation|campaign|blockade|offensive|mission|siege|crackdown|"
    r"deployment|intervention))"
)
_DATE_GAP_RE = re.compile(r"(?:[\s,]++|(?:on|in|at|since|from|around|about|back|early|earlier)\b)*+")
_EARLY_RE = re.compile(r"(?i)\b(early|late|mid|middle\s+of|end\s+of|beginning\s+of|start\s+of)[\s-]")
_NARROWABLE = re.compile(r"\d{4}(?:-\d{2}|-SP|-SU|-FA|-WI)?")  # a year, a month or a season


def _gap_ok(gap: str) -> bool:
    """Only prepositions, commas and spaces between a predicate and its date ("began on", "since early")."""
    return len(gap) <= 40 and _DATE_GAP_RE.fullmatch(gap) is not None


def date_interval(value: str, phrase: str = "") -> tuple[dt.date, dt.date] | None:
    """The days a TIMEX value can mean (``dates.value_interval``), a month, year or season narrowed by
    "early"/"mid"/"late" in ``phrase``; None if unusable."""
    interval = value_interval(value)
    if interval is None or not _NARROWABLE.fullmatch(value):
        return interval
    return _narrow(*interval, phrase)


def _narrow(start: dt.date, end: dt.date, phrase: str) -> tuple[dt.date, dt.date]:
    m = _EARLY_RE.search(phrase)
    if not m:
        return start, end
    span = (end - start).days + 1
    third = 10 if span <= 31 else span // 3  # a month: days 1-11, 9-22, 20-end (a day's slack each way)
    word = m.group(1).lower()
    if word in ("early",) or word.startswith(("beginning", "start")):
        return start, start + dt.timedelta(days=third)
    if word == "late" or word.startswith("end"):
        return end - dt.timedelta(days=third), end
    return start + dt.timedelta(days=third - 2), min(end, start + dt.timedelta(days=2 * third + 1))


@dataclass(frozen=True)
class _DateClaim:
    aid: str
    referent: str  # entity id or name key
    ref_text: str
    value: str
    interval: tuple[dt.date, dt.date]
    phrase: tuple[int, int]  # predicate .. date end (cleaned offsets)
    ref_span: tuple[int, int]
    date_text: str
    future: bool


_REF_NP_RE = re.compile(
    rf"(?P<np>(?:\b(?:[Tt]he|[Ii]ts|[Tt]his|[Tt]heir)\s+(?:[\w’'-]+\s+){{0,3}}?[a-z][\w-]+)"
    rf"|(?:\b(?:the\s+)?{_CAP}(?:\s+(?:of\s+)?{_CAP}){{0,4}}))"
    r"(?P<tail>\s*,?\s*(?:which|that|who)?\s*(?:(?:has|have|had|was|were|is|are)\s+)?(?:\w+ly\s+)?)$"
)


def _referents(arts: Sequence[_Article], canonical: dict[tuple[str, ...], tuple[str, ...]]
               ) -> tuple[dict[str, dict[str, str]], dict[str, str], dict[str, str]]:
    """Undertaking nouns resolved per article and corpus-wide, and display names.

    Returns (per article: noun -> referent key, corpus: noun -> referent key, referent key -> display)."""
    display: dict[str, str] = {}
    per_article: dict[str, dict[str, str]] = {}
    corpus_links: dict[str, set[str]] = defaultdict(set)
    for art in arts:
        text = art.clean.text
        named: set[str] = set()
        for use in _name_uses(art):
            words = _named_words(art, use.start, use.end, use.words, canonical)
            if words[0] in _UNDERTAKINGS or words[-1] in _UNDERTAKINGS:
                key = "name:" + " ".join(words)
                named.add(key)
                display.setdefault(key, use.text[4:] if use.text.lower().startswith("the ") else use.text)
                # appositive: "Operation X, the navy's blockade of ..." / "the blockade, Operation X"
                noun = _appositive_head(text[use.end:use.end + 100])
                if noun in _UNDERTAKINGS:
                    corpus_links[noun].add(key)
        if len(named) == 1:
            only = next(iter(named))
            per_article[art.aid] = {noun: only for noun in _UNDERTAKINGS}
        else:
            per_article[art.aid] = {}
    corpus = {noun: next(iter(keys)) for noun, keys in corpus_links.items() if len(keys) == 1}
    return per_article, corpus, display


_APPOS_RE = re.compile(r"\s*,\s*(?:the|a|an|its|their)\s+(?P<np>[^,.;:()\n]*)")


def _appositive_head(after: str) -> str | None:
    """Head noun of an appositive right after a name: ", the Veldanian navy's blockade of ..." -> "blockade"."""
    m = _APPOS_RE.match(after)
    if not m:
        return None
    words = []
    for w in split_words(m.group("np")):
        if w.lower() in _STOP:
            break
        words.append(w)
    if not words or not words[-1].islower():
        return None
    return stem(fold(words[-1]))


def _date_claims(art: _Article, per_article: dict[str, str], corpus: dict[str, str],
                 canonical: dict[tuple[str, ...], tuple[str, ...]]) -> list[_DateClaim]:
    text = art.clean.text
    dates = sorted(art.ext.dates, key=lambda t: t.span.start)
    out: list[_DateClaim] = []
    for m in _START_RE.finditer(text):
        sent = art.sentence(m.start())
        # the date right after the predicate
        date = next((t for t in dates if t.span.end > m.end() and m.start() <= t.span.start < sent[1]
                     and _gap_ok(text[m.end():max(m.end(), t.span.start)])), None)
        if date is None or date.type != "DATE":
            continue
        interval = date_interval(date.value, date.span.text)
        if interval is None:
            continue
        before = text[sent[0]:m.start()]
        if re.search(r"\b(?:not|never|no|if|whether|unless)\b", before, re.IGNORECASE):
            continue
        rm = _REF_NP_RE.search(before)
        if rm is None:
            continue
        np_start, np_end = sent[0] + rm.start("np"), sent[0] + rm.end("np")
        key = _referent_key(art, np_start, np_end, per_article, corpus, canonical)
        if key is None:
            continue
        pred_start = np_end if rm.group("tail").strip(" ,") else m.start()
        while pred_start < m.start() and text[pred_start] in " ,":
            pred_start += 1
        future = bool(re.search(r"\b(?:will|would|set\s+to|expected|due|plans?)\b", text[np_end:m.end()]))
        out.append(_DateClaim(art.aid, key, text[np_start:np_end], date.value, interval,
                              (pred_start, date.span.end), (np_start, np_end), date.span.text, future))
    # active voice: "the navy launched Operation X in August"
    for m in _ACTIVE_START_RE.finditer(text):
        sent = art.sentence(m.start())
        date = next((t for t in dates if t.span.end > m.end("np") and m.end("np") <= t.span.start < sent[1]
                     and _gap_ok(text[m.end("np"):t.span.start])), None)
        if date is None or date.type != "DATE":
            continue
        interval = date_interval(date.value, date.span.text)
        before = text[sent[0]:m.start()]
        if interval is None or re.search(r"\b(?:not|never|no|if|whether|unless)\b", before, re.IGNORECASE):
            continue
        key = _referent_key(art, m.start("np"), m.end("np"), per_article, corpus, canonical)
        if key is None:
            continue
        future = bool(re.search(r"\b(?:will|would|set\s+to|expected|due|plans?|to)\s*$", before))
        out.append(_DateClaim(art.aid, key, m.group("np"), date.value, interval, (m.start(), date.span.end),
                              (m.start("np"), m.end("np")), date.span.text, future))
    return out


def _named_words(art: _Article, start: int, end: int, words: tuple[str, ...],
                 canonical: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...]:
    """The name of a referent: the corpus entity's canonical name when the index linked the words to one
    (aliases: "the Shipping Act" / "the Sarrow Shipping Act"), then the majority form of a name variant."""
    for s, e, eid, label in art.mention_ents:
        if s >= start and e <= end and eid and label != "PERSON":
            name = _name_words(art.entity_names.get(eid, ""))
            if len(name) >= max(2, len(words)) and set(name) & set(words):
                words = name
                break
    return canonical.get(words, words)


def _referent_key(art: _Article, start: int, end: int, per_article: dict[str, str], corpus: dict[str, str],
                  canonical: dict[tuple[str, ...], tuple[str, ...]]) -> str | None:
    phrase = art.clean.text[start:end]
    words = _name_words(phrase)
    if not words:
        return None
    for s, e, _eid, label in art.mention_ents:
        if s >= start and e <= end and label == "PERSON":
            return None
    caps = [w for w in split_words(phrase) if w[:1].isupper() and w.lower() not in _DETS]
    if len(caps) >= 1 and (words[0] in _PREFIX_HEADS or len(caps) == len(words)):
        words = _named_words(art, start, end, words, canonical)
        if len(words) >= 2:
            return "name:" + " ".join(words)
        return None
    head = words[-1]
    if head not in _UNDERTAKINGS or phrase.split()[0].lower() not in ("the", "its", "this", "their"):
        return None
    return per_article.get(head) or corpus.get(head)


def date_conflicts(arts: Sequence[_Article], independence: Independence,
                   canonical: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[list[Conflict], list[FlaggedError]]:
    by_id = {a.aid: a for a in arts}
    per_article, corpus, display = _referents(arts, canonical)
    groups: dict[str, list[_DateClaim]] = defaultdict(list)
    for art in arts:
        for claim in _date_claims(art, per_article.get(art.aid, {}), corpus, canonical):
            if not claim.future:
                groups[claim.referent].append(claim)
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    for key, claims in groups.items():
        if len({c.aid for c in claims}) < 2:
            continue
        clusters: list[list[_DateClaim]] = []
        for c in sorted(claims, key=lambda c: (c.interval[1] - c.interval[0], c.interval[0])):
            for cl in clusters:
                if all(_overlap(c.interval, o.interval) for o in cl):
                    cl.append(c)
                    break
            else:
                clusters.append([c])
        if len(clusters) < 2:
            continue
        sources = {c.aid for c in claims}
        if independence.count(sources) < 2:
            continue
        clusters.sort(key=lambda cl: min(c.interval[0] for c in cl))
        name = display.get(key) or key.split(":", 1)[-1]
        conflict, error = _date_conflict(name, clusters, by_id, independence, len(conflicts) + 1)
        conflicts.append(conflict)
        if error is not None:
            errors.append(error)
    return conflicts, errors


def _date_value(text: str, claim: _DateClaim) -> str:
    """The date as written with its preposition: "since early September", "on 3 November"."""
    date_start = claim.phrase[1] - len(claim.date_text)
    m = re.search(r"\b(?:since|on|in|from|at)\s+$", text[max(0, date_start - 8):date_start])
    return (m.group() if m else "") + claim.date_text


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    """Whether two date intervals can both be right (a day's slack when both are single days)."""
    slack = dt.timedelta(days=1 if a[0] == a[1] and b[0] == b[1] else 0)
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


def _date_conflict(name: str, clusters: list[list[_DateClaim]], arts: dict[str, _Article],
                   independence: Independence, n: int) -> tuple[Conflict, FlaggedError | None]:
    sides: list[Side] = []
    for cl in clusters:
        cites: list[Citation] = []
        for c in cl:
            art = arts[c.aid]
            if c.ref_span[1] <= c.phrase[0]:
                cites.append(art.cite(*c.ref_span))
            cites.append(art.cite(*c.phrase))
        sources = _unique(c.aid for c in cl)
        sides.append(Side(value=_date_value(arts[cl[0].aid].clean.text, cl[0]), citations=tuple(cites), sources=sources,
                          independent=independence.count(sources), as_of=cl[0].value))
    parts = [f"{_list_words([_outlet(arts[s].clean) for s in side.sources])} "
             f"{'says' if len(side.sources) == 1 else 'say'} {side.value} ({side.as_of})" for side in sides]
    explanation = (f"Sources disagree about when {name} began: " + "; ".join(parts)
                   + ". These dates cannot both be right.")
    likely = _likely(sides)
    conflict = Conflict(id=f"x-date-{n}", kind="date", about=f"when {name} began", sides=tuple(sides),
                        explanation=explanation, likely=likely)
    error = None
    if likely is not None and len(sides) == 2 and sides[1 - likely].independent == 1 \
            and sides[likely].independent >= 3:
        wrong = sides[1 - likely]
        error = FlaggedError(
            id="err-0", kind="date", source=wrong.sources[0], citation=wrong.citations[-1],
            correction=sides[likely].value, evidence=sides[likely].citations,
            why=(f"Only one source says {name} began {wrong.value}; {sides[likely].independent} independent "
                 f"sources say {sides[likely].value}."),
            conflict=conflict.id,
        )
    return conflict, error


# =========================================================================== the day of the incident

_INCIDENT_RE = re.compile(
    r"(?i)\b(?:shoot(?:ing|ings|s)?|shot|gunfire|gunshots?|kill(?:ed|ing|s)?|slain|murder(?:ed|s)?|wound(?:ed|ing)?"
    r"|injur(?:ed|ing|ies|y)|stabb(?:ed|ing)|attack(?:ed)?|fired|opened\s+fire|happened|occurred|incident"
    r"|crash(?:ed)?|explosion|blast|bomb(?:ing|ed)|struck|rampage|massacre)\b"
)
# between an incident word and its day: a few words, none that starts another clause or event
_INCIDENT_GAP_RE = re.compile(
    r"(?i)^(?:(?!\b(?:after|before|since|until|when|while|following|and|but|then|arrested|charged|died|said|told"
    r"|announced|released|identified|ruled|appeared|pleaded|sentenced|booked|reported|confirmed|discussed"
    r"|investigat\w*|hearing|court|trial|vigil|funeral|memorial)\b)[^,;:.!?()\n\"“”])*$"
)
# between a day named first and the incident word: "Tuesday's shooting", "the Sunday night shooting"
_DAY_BEFORE_RE = re.compile(r"(?i)^(?:['’]s)?\s*(?:(?:early|late)\s+)?(?:morning|afternoon|evening|night)?(?:['’]s)?\s*$")
_INCIDENT_SLACK = 1  # days: "late Friday" and "early Saturday" can be one night
_INCIDENT_GAP_WORDS = 12  # words at most from an incident word on to its day
_INCIDENT_WINDOW = 7  # days around the story's incident day where another day is a rival for it


@dataclass(frozen=True)
class _DayClaim:
    aid: str
    day: dt.date
    span: tuple[int, int]  # the incident word .. the date (either order), cleaned offsets
    date_text: str


def _incident_days(art: _Article) -> list[_DayClaim]:
    """Days an article gives for the incident: a day-precision date (not after publication) within a short
    clause of an incident word ("were shot early Sunday", "Tuesday's shooting", "fired ... on Tuesday")."""
    text = art.clean.text
    published = value_interval((art.clean.article.published or "")[:10])  # the TIMEX reader, as for dates
    pub = published[0] if published else None
    out: list[_DayClaim] = []
    for t in art.ext.dates:
        if t.type != "DATE" or t.precision != "day":
            continue
        rng = value_interval(t.value)
        if rng is None or rng[0] != rng[1] or (pub is not None and rng[0] > pub):
            continue
        s0, s1 = art.sentence(t.span.start)
        best: tuple[int, int] | None = None
        for m in _INCIDENT_RE.finditer(text, s0, s1):
            if m.end() <= t.span.start:  # "were shot early Sunday", "fired his gun in Monroe on Tuesday"
                gap = text[m.end():t.span.start]
                if len(gap.split()) > _INCIDENT_GAP_WORDS or not _INCIDENT_GAP_RE.match(gap):
                    continue
            elif t.span.end > m.start() or not _DAY_BEFORE_RE.match(text[t.span.end:m.start()]):
                continue  # only "Tuesday's shooting", "the Sunday night shooting" name the day first
            span = (min(m.start(), t.span.start), max(m.end(), t.span.end))
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
        if best is not None:
            out.append(_DayClaim(art.aid, rng[0], best, t.span.text))
    return out


def incident_day_conflicts(arts: Sequence[_Article], independence: Independence,
                           claims: Sequence[_DayClaim] | None = None) -> tuple[list[Conflict], list[FlaggedError]]:
    """An article that alone gives the incident another day than the one two or more independent sources
    give (more than a day apart, within a week of it).  Days come from dates next to incident words; a day
    that several sources give is a second incident, not a rival."""
    claims = [c for art in arts for c in _incident_days(art)] if claims is None else claims
    by_day: dict[dt.date, set[str]] = defaultdict(set)
    for c in claims:
        by_day[c.day].add(c.aid)

    def support(day: dt.date) -> set[str]:
        return {a for d, aids in by_day.items() if abs((d - day).days) <= _INCIDENT_SLACK for a in aids}

    if not by_day:
        return [], []
    main = max(sorted(by_day), key=lambda d: independence.count(support(d)))
    backers = support(main)
    by_id = {a.aid: a for a in arts}
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    for day in sorted(by_day):
        gap = abs((day - main).days)
        if gap <= _INCIDENT_SLACK or gap > _INCIDENT_WINDOW:
            continue
        rivals = support(day)
        origin = {independence.origin(a) for a in rivals}
        if len(origin) != 1 or independence.count(a for a in backers if independence.origin(a) not in origin) < 1:
            continue  # several sources give it (another incident), or no other source gives the main day
        wrong = [c for c in claims if c.day == day]
        right = [c for c in claims if abs((c.day - main).days) <= _INCIDENT_SLACK]
        conflict, error = _incident_conflict(main, day, right, wrong, by_id, independence, len(conflicts) + 1)
        conflicts.append(conflict)
        if error is not None:
            errors.append(error)
    return conflicts, errors


def _incident_conflict(main: dt.date, day: dt.date, right: list[_DayClaim], wrong: list[_DayClaim],
                       arts: dict[str, _Article], independence: Independence, n: int
                       ) -> tuple[Conflict, FlaggedError | None]:
    sides = []
    for group, when in ((right, main), (wrong, day)):
        sources = _unique(c.aid for c in group)
        cites = tuple(arts[c.aid].cite(*c.span) for c in group)
        sides.append(Side(value=f"{when:%A} {when.isoformat()} ({group[0].date_text})", citations=cites,
                          sources=sources, independent=independence.count(sources), as_of=when.isoformat()))
    outlets = [_outlet(arts[s].clean) for s in sides[0].sources]
    lone = _outlet(arts[sides[1].sources[0]].clean)
    explanation = (f"{_list_words(outlets)} {'give' if len(outlets) > 1 else 'gives'} the incident's day as "
                   f"{main:%A} {main.isoformat()}; only {lone} gives {day:%A} {day.isoformat()}. "
                   "These days cannot both be right.")
    decided = sides[0].independent >= 2
    conflict = Conflict(id=f"x-date-incident-{n}", kind="date", about="the day of the incident",
                        sides=tuple(sides), explanation=explanation, likely=0 if decided else None)
    if not decided:  # one source against one: both sides stand
        return conflict, None
    error = FlaggedError(
        id="err-0", kind="date", source=sides[1].sources[0], citation=sides[1].citations[0],
        correction=f"{main:%A} {main.isoformat()}", evidence=sides[0].citations,
        why=(f"Only {lone} gives the incident's day as {day:%A} {day.isoformat()}; {sides[0].independent} "
             f"independent sources give {main:%A} {main.isoformat()}."),
        conflict=conflict.id,
    )
    return conflict, error


# =========================================================================== the time of the incident

_TIME_VALUE_RE = re.compile(r"T(\d{2}):(\d{2})")
_TIME_APART = 45  # minutes: closer clock times are one report rounded ("about 10:30" / "10:45")
_TIME_CLUSTER = 20  # minutes: times this close are one side
_ZONE_RE = re.compile(r"\s*\(?\b(?:[ECMP][SD]?T|GMT|UTC|BST|CES?T|local\s+time|Eastern|Central|Pacific|Mountain)\b")
_CLOCK_LEAD_RE = re.compile(r"(?i)\b(?:just|shortly|sometime|soon|right)?\s*(?:after|before)\s*$")


@dataclass(frozen=True)
class _TimeClaim:
    aid: str
    minutes: int  # minutes after midnight
    span: tuple[int, int]
    time_text: str


def _incident_times(art: _Article, days: set[dt.date]) -> list[_TimeClaim]:
    """Clock times an article gives the incident: a TIME next to an incident word, as for the incident's day
    ("The shooting happened around 10:30 p.m.", "alerted to a shooting ... at 12:03 a.m. Friday"), in an
    article published within a week after one of the incident's ``days`` (when the articles give any).  A time
    with a zone ("8:30 p.m. ET", "local time") is left out: it cannot be compared with a time without one."""
    pub = value_interval((art.clean.article.published or "")[:10])
    if days and (pub is None or not any(0 <= (pub[0] - d).days <= _INCIDENT_WINDOW for d in days)):
        return []
    text = art.clean.text
    out = []
    for t in art.ext.dates:
        m = _TIME_VALUE_RE.search(t.value or "")
        if t.type != "TIME" or m is None:
            continue
        if _ZONE_RE.match(text, t.span.end) or _ZONE_RE.search(t.span.text):
            continue  # "8:30 p.m. ET" is not comparable with a local "7:30 p.m."
        s0, s1 = art.sentence(t.span.start)
        for w in _INCIDENT_RE.finditer(text, s0, t.span.start):
            gap = _CLOCK_LEAD_RE.sub("", text[w.end():t.span.start])  # "... just after 11:30 p.m."
            if len(gap.split()) <= _INCIDENT_GAP_WORDS and _INCIDENT_GAP_RE.match(gap):
                out.append(_TimeClaim(art.aid, int(m[1]) * 60 + int(m[2]), (w.start(), t.span.end), t.span.text))
                break
    return out


def incident_time_conflicts(arts: Sequence[_Article], independence: Independence,
                            day_claims: Sequence[_DayClaim] | None = None) -> list[Conflict]:
    """Clock times of the incident that independent sources give more than ``_TIME_APART`` minutes apart
    ("around 11:45 p.m." against "around 10:45 p.m."): an undecided or likely conflict, never a flagged error
    (times are often approximate)."""
    if day_claims is None:
        day_claims = [c for art in arts for c in _incident_days(art)]
    days = {c.day for c in day_claims}
    claims = [c for art in arts for c in _incident_times(art, days)]
    clusters: list[list[_TimeClaim]] = []
    for c in sorted(claims, key=lambda c: (c.minutes, c.aid, c.span)):
        if clusters and c.minutes - clusters[-1][-1].minutes <= _TIME_CLUSTER:
            clusters[-1].append(c)
        else:
            clusters.append([c])
    if len(clusters) > 1 and (clusters[0][0].minutes + 1440) - clusters[-1][-1].minutes <= _TIME_CLUSTER:
        clusters[0] = clusters.pop() + clusters[0]  # 23:55 and 00:05 are one time
    if len(clusters) < 2:
        return []
    origins = [{independence.origin(c.aid) for c in cl} for cl in clusters]
    if len(set().union(*origins)) < 2 or min(_clock_gap(a[0].minutes, b[0].minutes)
                                             for a, b in zip(clusters, clusters[1:], strict=False)) < _TIME_APART:
        return []
    by_id = {a.aid: a for a in arts}
    sides = []
    for cl in clusters:
        sources = _unique(c.aid for c in cl)
        sides.append(Side(value=f"{cl[0].minutes // 60:02d}:{cl[0].minutes % 60:02d} ({cl[0].time_text})",
                          citations=tuple(by_id[c.aid].cite(*c.span) for c in cl), sources=sources,
                          independent=independence.count(sources)))
    sides.sort(key=lambda side: -side.independent)
    decided = sides[0].independent >= 2 and all(side.independent == 1 for side in sides[1:])
    parts = [f"{_list_words([_outlet(by_id[a].clean) for a in side.sources])} "
             f"{'gives' if len(side.sources) == 1 else 'give'} {side.value}" for side in sides]
    return [Conflict(id="x-date-time-1", kind="date", about="the time of the incident", sides=tuple(sides),
                     explanation="Sources give the incident different times: " + "; ".join(parts) + ".",
                     likely=0 if decided else None)]


def _clock_gap(a: int, b: int) -> int:
    d = abs(a - b) % 1440
    return min(d, 1440 - d)


# =========================================================================== entry point


def find_conflicts(
    items: Items,
    index: Any,
    independence: Independence | None = None,
    *,
    embedder: Any = None,
) -> tuple[tuple[Conflict, ...], tuple[FlaggedError, ...]]:
    """Name, actor and date conflicts among ``items`` (one (CleanArticle, Extraction) per article).

    ``index`` is the corpus ``EntityIndex``; ``independence`` groups copies so a wire story and its rewrites
    count once.  The checks are lexical and structural; ``embedder`` (an ``storyline.extract.embed.Embedder``) adds a
    sentence-embedding check to name variants (cosine >= 0.3 between the contexts of both forms).  None or
    False: lexical only -- this stage never loads the model itself, as it needs it for a handful of sentences.
    Returns (conflicts, errors); ids are local ("x-name-1", "err-1") and renumbered by the orchestrator."""
    if embedder is False or not hasattr(embedder, "encode"):
        embedder = None
    independence = independence or Independence()
    arts = _prepare(items, index)
    names, name_errors, canonical = name_conflicts(arts, independence, embedder)
    actors = actor_conflicts(arts, independence)
    dates, date_errors = date_conflicts(arts, independence, canonical)
    day_claims = [c for art in arts for c in _incident_days(art)]  # read once for the day and the time
    days, day_errors = incident_day_conflicts(arts, independence, day_claims)
    times = incident_time_conflicts(arts, independence, day_claims)
    dates, date_errors = dates + days + times, date_errors + day_errors
    ages, age_errors = age_conflicts(items, independence)
    blocks = block_conflicts(items, independence)
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    for kind, found, errs in (("name", names, name_errors), ("actor", actors, []), ("date", dates, date_errors),
                              ("age", ages, age_errors), ("block", blocks, [])):
        for n, c in enumerate(found, 1):
            cid = f"x-{kind}-{n}"
            conflicts.append(_with_id(c, cid))
            for e in errs:
                if e.conflict in (c.id, None) and e.citation in [x for s in c.sides for x in s.citations]:
                    errors.append(_err_with(e, len(errors) + 1, cid))
    return tuple(conflicts), tuple(errors)


def _with_id(c: Conflict, cid: str) -> Conflict:
    return Conflict(id=cid, kind=c.kind, about=c.about, sides=c.sides, explanation=c.explanation, likely=c.likely)


def _err_with(e: FlaggedError, n: int, cid: str) -> FlaggedError:
    return FlaggedError(id=f"err-{n}", kind=e.kind, source=e.source, citation=e.citation,
                        correction=e.correction, evidence=e.evidence, why=e.why, conflict=cid)

