"""Entity mentions in one article, and linking them across the corpus.

``extract_mentions`` reads one spaCy ``Doc`` (of an article's cleaned text) and
returns ``Mention`` records: people, organisations and places as named, with
the title or role the text gives them ("former President", "the foreign
minister"), clustered within the article under one ``key`` (the fullest name
form), plus title-only mentions ("the Venezuelan leader") where exactly one
person so far holds a matching role.

``link_entities`` clusters the article keys of many articles into corpus
entities: accent/case/punctuation-insensitive matches, surnames that fit
exactly one full name, acronyms, and (conservatively) near-identical spellings.

Everything is rule-based and cheap: one pass over the entity IOB array plus a
few compiled regular expressions over short windows of text (~1-2% of the
spaCy time per article).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.records import Citation, CleanArticle, Entity, Mention, RoleClaim, Span
from storyline.text import words as split_words

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = ["EntityIndex", "extract_mentions", "link_entities", "normalize_name"]

LABELS: dict[str, str] = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_LABEL_ORDER = {"PERSON": 0, "ORG": 1, "PLACE": 2}
DOMINANCE = 5.0  # see link_entities

# --------------------------------------------------------------------------- vocabulary

# Words that head a title or role ("President", "spokeswoman", "Gen.").
_HEADS = (
    "president", "minister", "secretary", "leader", "general", "gen.", "admiral", "adm.", "senator", "sen.",
    "representative", "rep.", "congressman", "congresswoman", "governor", "gov.", "mayor", "ambassador",
    "envoy", "chancellor", "premier", "king", "queen", "prince", "princess", "emperor", "pope", "ayatollah",
    "emir", "sultan", "sheikh", "commander", "chief", "director", "head", "judge", "justice", "prosecutor",
    "attorney", "spokesman", "spokeswoman", "spokesperson", "colonel", "col.", "lieutenant", "lt.", "major",
    "maj.", "captain", "capt.", "sergeant", "sgt.", "officer", "dictator", "strongman", "chairman",
    "chairwoman", "chair", "ceo", "founder", "adviser", "advisor", "aide", "lawmaker", "legislator",
    "diplomat", "official", "negotiator", "analyst", "professor", "prof.", "economist", "journalist",
    "correspondent", "reporter", "editor", "activist", "candidate", "nominee", "speaker", "czar", "tsar",
    "marshal", "brigadier", "commissioner", "inspector", "sheriff", "deputy", "vice-president", "cardinal",
    "bishop", "archbishop", "secretary-general", "attorney-general", "chief of staff", "prime minister",
    "attorney general", "secretary general", "supreme leader",
)
# Words that modify a title ("former", "Defense", "opposition", "White House press").
_MODS = (
    "former", "ex", "then", "acting", "interim", "outgoing", "incoming", "deputy", "vice", "assistant",
    "associate", "senior", "junior", "chief", "top", "prime", "first", "lead", "principal", "special",
    "defense", "defence", "foreign", "interior", "finance", "economy", "economic", "health", "justice",
    "trade", "energy", "oil", "opposition", "army", "navy", "naval", "military", "air", "force", "national",
    "security", "homeland", "state", "press", "communications", "information", "intelligence", "police",
    "party", "rebel", "militia", "union", "campaign", "presidential", "government", "self-proclaimed",
    "exiled", "ousted", "deposed", "embattled", "longtime", "veteran", "retired", "late", "lieutenant",
    "lt.", "maj.", "brig.", "rear", "field", "white", "house", "senate", "republican", "democratic",
    "democrat", "socialist", "district", "county", "supreme", "federal", "regional", "provincial",
    "war", "independent", "elected", "legitimate", "de facto", "sitting", "current", "new", "minority",
    "majority", "ranking", "whip", "city", "fed",
)
# What may follow "of" in a title ("Secretary of War", "Chief of Staff").
_COMPLEMENTS = (
    "state", "war", "defense", "defence", "the interior", "interior", "homeland security", "the treasury",
    "treasury", "foreign affairs", "finance", "health", "justice", "energy", "commerce", "labor", "labour",
    "education", "agriculture", "transportation", "staff", "the army", "the navy", "the air force",
    "the joint chiefs of staff", "the joint chiefs", "information", "communication", "communications",
    "the armed forces", "the national assembly", "the assembly",
)
_HONORIFICS = r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?"
_NAT = (
    r"(?:U\.S\.|US|UK|U\.K\.|EU|[A-Z][a-z]+['’]s(?![\w])|[A-Z][a-z]+(?:an|ese|ish|ch|i)(?![\w'’-])"
    r"|Greek|Thai|Swiss|French|Dutch)"
)
# Words that give a title-only mention its head ("the president", "the admiral").
_TITLE_HEADS = (
    "president", "leader", "minister", "secretary", "general", "admiral", "senator", "governor", "mayor",
    "ambassador", "envoy", "chancellor", "premier", "king", "queen", "pope", "commander", "spokesman",
    "spokeswoman", "spokesperson", "dictator", "strongman", "prime minister", "supreme leader",
)
_HEADS_OF_STATE = frozenset({"president", "premier", "chancellor", "king", "queen", "dictator", "strongman",
                             "leader", "emir", "sultan", "emperor", "ayatollah"})
_RESTRICTIVE = frozenset({"former", "ex", "vice", "deputy", "assistant", "opposition", "prime", "then",
                          "lieutenant", "lt.", "rear", "associate", "junior"})
_HEAD_ALIASES = {
    "gen.": "general", "adm.": "admiral", "sen.": "senator", "gov.": "governor", "rep.": "representative",
    "col.": "colonel", "lt.": "lieutenant", "maj.": "major", "capt.": "captain", "sgt.": "sergeant",
    "prof.": "professor", "spokeswoman": "spokes", "spokesman": "spokes", "spokesperson": "spokes",
    "advisor": "adviser", "tsar": "czar",
}
_ORG_SUFFIXES = frozenset({
    "ministry", "party", "forces", "force", "army", "navy", "department", "council", "agency", "command",
    "committee", "commission", "court", "congress", "parliament", "assembly", "government", "administration",
    "office", "bank", "university", "institute", "corporation", "corp", "inc", "ltd", "company", "group",
    "association", "union", "guard", "police", "service", "services", "news", "times", "post", "journal",
    "tribunal", "senate", "network", "front", "movement", "alliance", "organization", "organisation",
    "foundation", "fund", "board", "bureau", "authority", "coalition", "cartel", "gang", "brigade",
    "brigades", "battalion", "corps", "fleet", "media", "press", "reuters", "airlines", "airways",
})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "his", "hers",
                       "its", "their", "theirs", "our", "ours", "us", "me", "my", "mine", "your", "yours",
                       "this", "that", "these", "those", "who", "whom", "which", "one"})
_PARTICLES = frozenset({"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "bin",
                        "ibn", "al", "el", "ben", "dos", "das", "do", "y", "e", "'s", "’s"})
_NAME_TAGS = frozenset({"NNP", "NNPS", "NN", "NNS", "HYPH", "JJ", "FW", "."})
_SMALL_WORDS = frozenset({"a", "an", "to", "at", "by", "with", "from", "as", "is", "vs", "or", "but", "into",
                          "over", "up", "s"})
_SPACE_WORD_RE = re.compile(r"\S+")  # a name's pieces between spaces, punctuation kept: not the tokenizer
_PLACE_PREP_RE = re.compile(
    r"(?i:\b(?:in|to|from|at|of|across|near|into|outside|inside|around|toward|towards|across|through)\s+(?:the\s+)?)$"
)
_ACRONYM_STOP = frozenset({"of", "the", "and", "for", "de", "del", "la", "el", "los", "las", "y", "on", "in"})


def _alt(words: Iterable[str]) -> str:
    """Case-insensitive alternation of words (longest first), spaces matching any whitespace."""
    parts = []
    for w in sorted(set(words), key=lambda s: (-len(s), s)):
        esc = re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]")
        parts.append(esc if w.endswith(".") else esc + r"(?![\w])")
    return "(?i:" + "|".join(parts) + ")"


_HEAD_RE_S = _alt(_HEADS)
_MOD_RE_S = _alt(_MODS)
_COMP_RE_S = _alt(_COMPLEMENTS)
_ROLE_CORE = (
    rf"(?:(?:{_MOD_RE_S}(?:\s+|-))+(?:[A-Z][\w'’.]*\s+){{1,3}}|(?:{_MOD_RE_S}(?:\s+|-))*(?:{_NAT}\s+)?)"
    rf"(?:{_MOD_RE_S}(?:\s+|-))*{_HEAD_RE_S}(?:\s+of\s+{_COMP_RE_S})?"
)
# A title right before a name: "former President ", "Venezuelan Defense Minister ".
_BEFORE_RE = re.compile(rf"(?<![\w.'’-])(?:(?P<nat>{_NAT})\s+)?(?P<role>{_ROLE_CORE})\s+$")
# Honorific right before a name (stripped from the name, not a role).
_HONORIFIC_RE = re.compile(rf"(?<![\w])(?P<role>{_HONORIFICS})\s+$")
# A role before a name at the start of a clause, then a comma: "A spokeswoman, Karoline Leavitt, said".
_BEFORE_COMMA_RE = re.compile(
    rf"(?:^|[.!?;:\n\"“]\s*)(?:(?i:the|a|an)\s+)?(?:(?P<nat>{_NAT})\s+)?(?P<role>{_ROLE_CORE}),\s+$"
)
_CAPW = r"[A-Z][\w'’.-]*"
# Apposition after a name: ", the foreign minister," / ", who is the secretary of state,".
_APPOS_RE = re.compile(
    rf",\s+(?:(?i:who\s+(?:is|was|has\s+been|had\s+been|serves\s+as|served\s+as|became)\s+))?"
    rf"(?:(?i:the|a|an)\s+)?(?:(?P<nat>{_NAT})\s+)?"
    rf"(?P<role>{_ROLE_CORE}(?:\s+of\s+(?:the\s+)?{_CAPW}(?:\s+{_CAPW})?)?)"
    rf"(?=\s*[,.;:)]|\s*$|\s+(?i:said|says|told|who|has|had|was|is|announced|added|wrote|will|would)\b)"
)
# Title-only mentions: "the Venezuelan leader", "the foreign minister".
_TITLE_RE = re.compile(
    rf"(?<![\w])(?P<det>[Tt]he)\s+(?:(?P<nat>{_NAT})\s+)?"
    rf"(?P<core>(?:{_MOD_RE_S}(?:\s+|-))*{_alt(_TITLE_HEADS)})(?![\w-])"
)
_AFTER_TITLE_RE = re.compile(r",?\s+(of\b)?")
# Title words at the start of a PERSON entity's own text ("President Trump" tagged as one PERSON).
_LEAD_RE = re.compile(rf"^(?:(?i:the)\s+)?(?:(?:{_NAT}\s+)?(?:{_ROLE_CORE}|{_HONORIFICS})\s+)*")
_LEAD_DET_RE = re.compile(r"^(?i:the)\s+")
_TRAILING_JUNK = " \t\r\n,;:!?\"“”'‘’()[]-–—"
_LEADING_JUNK_RE = re.compile(r"^[\s\"“”'‘’()\[\],.;:-]+")
_ACRONYM_RE = re.compile(r"^(?:[A-Z]\.?){2,7}$")
_PUNCT_RE = re.compile(r"[^\w\s]|_")
_NAT_RE = re.compile(_NAT)
_HONORIFIC_WORD_RE = re.compile(rf"^{_HONORIFICS}$")
_DIGIT_RE = re.compile(r"\d")
_ROLE_LAST = (
    frozenset(re.split(r"[\s-]+", w.lower())[-1] for w in _HEADS + _COMPLEMENTS)
    | frozenset(h.lower() + suffix for h in ("mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady")
                for suffix in ("", "."))
)
_VOCAB = frozenset(_HEADS) | frozenset(_MODS)


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form: "Nicolás  Maduro" -> "nicolas maduro"."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("-", " ").replace("–", " ")
    s = _PUNCT_RE.sub("", s)
    return " ".join(s.split())


def _is_junk(name: str) -> bool:
    low = name.lower()
    if low == name and name.upper() != name:  # cased letters, none upper-case
        return True
    if len(name) <= 3 or _DIGIT_RE.search(name):
        letters = sum(c.isalpha() for c in name)
        if letters < 2 or sum(c.isdigit() for c in name) >= letters:
            return True
    return low in _PRONOUNS and not name.isupper()


def _nat_key(nat: str) -> str:
    s = normalize_name(nat.replace("’s", "").replace("'s", ""))
    if s in {"us", "usa", "american", "america", "united states"}:
        return "us"
    if s in {"uk", "british", "britain", "united kingdom"}:
        return "uk"
    if s in {"french", "france"}:
        return "france"
    return s


def _nat_match(a: str, b: str) -> bool:
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= max(4, min(len(a), len(b)) - 1)


def _parse_role(role: str) -> tuple[str, frozenset[str]]:
    """(head, modifiers) of a role text: "former Defense Minister" -> ("minister", {"former", "defense"})."""
    low = " ".join(role.lower().replace("-", " - ").split())
    low = low.split(" of ", 1)[0]
    words = [w for w in low.split() if w != "-"]
    if not words:
        return "", frozenset()
    head = words[-1]
    if head == "general" and len(words) >= 2 and words[-2] in {"attorney", "secretary"}:
        head = words[-2]
        words = words[:-1]
    head = _HEAD_ALIASES.get(head, head)
    mods = frozenset(_HEAD_ALIASES.get(w, w) for w in words[:-1])
    return head, mods


def _role_matches(title_head: str, title_mods: frozenset[str], role: str) -> bool:
    rhead, rmods = _parse_role(role)
    if title_head == "leader" and rhead != "leader":
        hos = rhead in _HEADS_OF_STATE or (rhead == "minister" and "prime" in rmods)
        if not hos:
            return False
        rmods = rmods - {"prime"}
    elif title_head != rhead:
        return False
    if not title_mods <= rmods:
        return False
    return (rmods & _RESTRICTIVE) <= title_mods


# --------------------------------------------------------------------------- one article


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    label: str
    role: str | None = None
    role_start: int = -1
    role_end: int = -1
    nat: str | None = None


def _find_role_before(text: str, start: int) -> tuple[int, int, str | None, bool] | None:
    """(role_start, role_end, nationality, honorific_only) of a title right before ``start``."""
    lo = max(0, start - 90)
    window = text[lo:start]
    nl = window.rfind("\n")
    if nl >= 0:
        window = window[nl + 1 :]
        lo = start - len(window)
    if not window or not window[-1].isspace():
        return None
    last = window.rsplit(None, 1)[-1].lower() if window.strip() else ""
    if last not in _ROLE_LAST and last.rsplit("-", 1)[-1] not in _ROLE_LAST:
        return None
    m = _BEFORE_RE.search(window)
    if m:
        return lo + m.start("role"), lo + m.end("role"), m.group("nat"), False
    m = _HONORIFIC_RE.search(window)
    if m:
        return lo + m.start("role"), lo + m.end("role"), None, True
    return None


def _find_role_comma_before(text: str, start: int) -> tuple[int, int, str | None] | None:
    lo = max(0, start - 90)
    window = text[lo:start]
    if not window.endswith(" ") or "," not in window[-4:]:
        return None
    m = _BEFORE_COMMA_RE.search(window)
    if m and (m.start() > 0 or lo == 0 or text[lo - 1] in "\n.!?"):
        return lo + m.start("role"), lo + m.end("role"), m.group("nat")
    return None


def _find_role_after(text: str, end: int) -> tuple[int, int, str | None] | None:
    if end >= len(text) or text[end] != ",":
        return None
    window = text[end : end + 120]
    nl = window.find("\n")
    if nl >= 0:
        window = window[:nl]
    m = _APPOS_RE.match(window)
    if m:
        return end + m.start("role"), end + m.end("role"), m.group("nat")
    return None


def _trim(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Trim an entity span to the name: no newline tail, no leading "the"/titles, no possessive."""
    s = text[start:end]
    nl = s.find("\n")
    if nl >= 0:
        s = s[:nl]
    m = _LEADING_JUNK_RE.match(s)
    if m:
        start += m.end()
        s = s[m.end() :]
    m = (_LEAD_RE if label == "PERSON" else _LEAD_DET_RE).match(s)
    if m and m.end() < len(s):
        start += m.end()
        s = s[m.end() :]
    s = s.rstrip(_TRAILING_JUNK)
    if s.endswith(("'s", "’s", "‘s")):
        s = s[:-2].rstrip(_TRAILING_JUNK)
    return start, start + len(s)


def _token_bounds(ent: SpacySpan, label: str) -> tuple[int, int]:
    """Char bounds of an entity without lower-case words at its edges (and, in names, inside it)."""
    toks = list(ent)
    if label == "PERSON":  # the small model often drops a first name: "Later Nicolás [Maduro]"
        doc = ent.doc
        k = ent.start - 1
        while (
            k >= 0
            and k >= ent.start - 2
            and not doc[k].ent_type_
            and doc[k].tag_ == "NNP"
            and doc[k].dep_ == "compound"
            and ent.start <= doc[k].head.i < ent.end
            and doc[k].text[:1].isupper()
            and doc[k].text.lower() not in _VOCAB
            and not _HONORIFIC_WORD_RE.match(doc[k].text)
        ):
            toks.insert(0, doc[k])
            k -= 1
    i, j = 0, len(toks)
    while i < j and not toks[i].text[:1].isupper() and not toks[i].text[:1].isdigit():
        i += 1
    if label == "PERSON" and j - i > 1:
        for k in range(i, j):
            if toks[k].tag_ == "POS":  # "Breitbart's Joel Pollak" -> after; "Trump's Atlas" -> before
                after = toks[k + 1 : j]
                if len(after) >= 2 and all(t.tag_ in ("NNP", "NNPS") for t in after):
                    i = k + 1
                else:
                    j = k
                break
        while i < j - 1 and toks[i].tag_.startswith("VB"):  # "Follow Jane Roe"
            i += 1
        for k in range(i + 1, j):
            t = toks[k]
            if (t.text[:1].islower() and t.text not in _PARTICLES) or (
                t.tag_ not in _NAME_TAGS and t.text not in _PARTICLES
            ):
                j = k
                break
    while j > i and (toks[j - 1].text[:1].islower() or toks[j - 1].is_punct) and toks[j - 1].text != ".":
        j -= 1
    if i >= j:
        return ent.start_char, ent.start_char
    return toks[i].idx, toks[j - 1].idx + len(toks[j - 1].text)


def _initials(name: str) -> str:
    words = [w for w in normalize_name(name).split() if w not in _ACRONYM_STOP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _pick_form(counts: Counter[str]) -> str:
    """Among spellings of one normalised name: accented first, then most frequent, then alphabetical."""
    return min(counts, key=lambda f: (f.isascii(), -counts[f], f))


def _person_subset(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    if len(short) >= len(long) or not set(short) <= set(long):
        return False
    return len(short) == 1 or short[-1] == long[-1]


def _cluster_people(
    norms: dict[str, tuple[str, ...]], weights: dict[str, int] | None = None, dominance: float | None = None
) -> dict[str, str]:
    """Map each normalised PERSON name to the normalised name of its cluster's fullest form.

    A name joins the one fuller name it is part of; with several, it stays apart, unless ``weights``
    (mentions per name) and ``dominance`` say one candidate outweighs all the others together that much.
    """
    root: dict[str, str] = {}
    root_weight: Counter[str] = Counter()
    by_tok: dict[str, list[str]] = defaultdict(list)
    for n in sorted(norms, key=lambda k: (-len(norms[k]), k)):
        toks = norms[n]
        cands: set[str] = set()
        initial_cands: set[str] = set()  # fuller only by initials: "Donald Trump" -> "Donald J. Trump"
        if toks:
            seen: set[str] = set()
            for tok in set(toks) if len(toks) == 1 else (toks[-1],):
                for other in by_tok[tok]:
                    if other not in seen:
                        seen.add(other)
                        if _person_subset(toks, norms[other]):
                            cands.add(root[other])
                            if len(toks) > 1 and all(len(t) == 1 for t in set(norms[other]) - set(toks)):
                                initial_cands.add(root[other])
        if len(cands) == 1:
            root[n] = cands.pop()
        elif len(initial_cands) == 1:
            root[n] = initial_cands.pop()
        elif len(cands) > 1 and weights is not None and dominance is not None:
            ranked = sorted(cands, key=lambda c: (-root_weight[c], c))
            top = root_weight[ranked[0]]
            root[n] = ranked[0] if top >= dominance * sum(root_weight[c] for c in ranked[1:]) else n
        else:
            root[n] = n
        if weights is not None:
            root_weight[root[n]] += weights.get(n, 0)
        for tok in set(toks):
            by_tok[tok].append(n)
    return root


def _is_headline(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` is written in Title Case or capitals (a headline)."""
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    words = [w for w in split_words(text[lo : hi if hi >= 0 else len(text)]) if w[0].isalpha()]
    content = [w for w in words if w.lower() not in _ACRONYM_STOP and w.lower() not in _SMALL_WORDS]
    if len(words) < 4 or len(content) < 3:
        return False
    return sum(w[0].isupper() for w in content) >= 0.85 * len(content)


def _shrink_headline_names(text: str, raws: list[_Raw]) -> None:
    """In headlines, cut "Rival Jane Roe Wins" down to a name found in the body ("Jane Roe")."""
    long_heads = [r for r in raws if r.label == "PERSON" and text.count(" ", r.start, r.end) >= 2]
    if not long_heads:
        return
    heads = [r for r in long_heads if _is_headline(text, r.start)]
    if not heads:
        return
    head_ids = {id(r) for r in heads}
    body = {normalize_name(text[r.start : r.end]) for r in raws if r.label == "PERSON" and id(r) not in head_ids}
    for r in heads:
        words = [(m.start(), m.end(), normalize_name(m.group())) for m in _SPACE_WORD_RE.finditer(text, r.start, r.end)]
        best: tuple[int, int] | None = None
        for a in range(len(words)):
            for b in range(len(words), a, -1):
                if (b - a) < len(words) and " ".join(w[2] for w in words[a:b]) in body:
                    if best is None or (words[b - 1][1] - words[a][0]) > (best[1] - best[0]):
                        best = (words[a][0], words[b - 1][1])
                    break
        if best is not None:
            r.start, r.end = best


def _entities(doc: Doc) -> list[tuple[SpacySpan, str]]:
    """(span, our label) of the wanted named entities; reads the IOB array (cheaper than ``doc.ents``)."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    wanted = {strings.add(k): v for k, v in LABELS.items()}
    arr = doc.to_array(["ENT_IOB", "ENT_TYPE"])
    iob = arr[:, 0].tolist()
    types = arr[:, 1].tolist()
    n = len(iob)
    out = []
    for i in range(n):
        if iob[i] != 3:  # 3 = B(egin)
            continue
        label = wanted.get(types[i])
        if label is None:
            continue
        j = i + 1
        while j < n and iob[j] == 1:  # 1 = I(nside)
            j += 1
        out.append((doc[i:j], label))
    return out


def extract_mentions(doc: Doc, text: str | None = None) -> tuple[Mention, ...]:
    """Person, organisation and place mentions of one article's Doc (cleaned-text offsets), by start.

    ``text`` may pass ``doc.text`` when the caller has it (the cleaned text): it saves rebuilding it.
    """
    if text is None:
        text = doc.text
    raws: list[_Raw] = []
    for ent, label in _entities(doc):
        start, end = _token_bounds(ent, label)
        if end <= start:
            continue
        start, end = _trim(text, start, end, label)
        if end <= start:
            continue
        name = text[start:end]
        if _is_junk(name) or (label == "PERSON" and all(w.lower() in _VOCAB for w in name.split())):
            continue
        raw = _Raw(start, end, label)
        last = name.rsplit(None, 1)[-1].lower().rstrip(".")
        if label == "PERSON" and last in _ORG_SUFFIXES:
            raw.label = "ORG"
        found = _find_role_before(text, start)
        if found is not None:
            rs, re_, nat, honorific = found
            if not honorific:
                if raw.label != "PERSON" and last not in _ORG_SUFFIXES and not _ACRONYM_RE.match(name):
                    raw.label = "PERSON"
                if raw.label == "PERSON":
                    raw.role, raw.role_start, raw.role_end, raw.nat = text[rs:re_], rs, re_, nat
        if raw.label == "PERSON" and raw.role is None:
            after = _find_role_after(text, end)
            if after is None:
                after = _find_role_comma_before(text, start)
                if after is not None and not text.startswith(",", end):
                    after = None
            if after is not None:
                rs, re_, nat = after
                raw.role, raw.role_start, raw.role_end, raw.nat = text[rs:re_], rs, re_, nat
        raws.append(raw)

    # ORG/PLACE tagged names of people named elsewhere in the article ("Maduro's" tagged ORG).
    person_norms = {normalize_name(text[r.start : r.end]) for r in raws if r.label == "PERSON"}
    person_lasts = {n.rsplit(None, 1)[-1] for n in person_norms if " " in n}
    if person_norms:
        places = {}  # PLACE norm -> seen after "in"/"to"/"from"... (then a real place in this article)
        for r in raws:
            if r.label == "PLACE":
                n = normalize_name(text[r.start : r.end])
                places[n] = places.get(n, False) or bool(_PLACE_PREP_RE.search(text, max(0, r.start - 12), r.start))
        for r in raws:
            if r.label in ("ORG", "PLACE"):
                n = normalize_name(text[r.start : r.end])
                if r.label == "PLACE" and places.get(n):
                    continue
                if n in person_norms or (" " not in n and n in person_lasts and not text[r.start : r.end].isupper()):
                    r.label = "PERSON"
    _shrink_headline_names(text, raws)

    keys = _article_keys(text, raws)
    mentions = [
        Mention(
            span=Span(r.start, r.end, text[r.start : r.end]),
            label=r.label,
            key=keys[(r.label, r.start)],
            kind="name",
            role=r.role,
            role_span=Span(r.role_start, r.role_end, r.role) if r.role is not None else None,
        )
        for r in raws
    ]
    mentions.extend(_title_mentions(text, raws, keys))
    mentions.sort(key=lambda m: (m.span.start, m.span.end))
    return tuple(mentions)


def _article_keys(text: str, raws: list[_Raw]) -> dict[tuple[str, int], str]:
    """Article-local key (fullest name form) for every raw mention, keyed by (label, start)."""
    forms: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for r in raws:
        surface = text[r.start : r.end]
        forms[r.label][normalize_name(surface)][surface] += 1
    key_of_norm: dict[tuple[str, str], str] = {}
    for label, by_norm in forms.items():
        if label == "PERSON":
            roots = _cluster_people({n: tuple(n.split()) for n in by_norm})
        else:
            roots = {n: n for n in by_norm}
        for n, rt in roots.items():
            key_of_norm[(label, n)] = _pick_form(by_norm[rt])
    # Acronyms: "the United Nations (UN)", or initials of exactly one longer name of the same label.
    for label in ("ORG", "PLACE"):
        by_norm = forms.get(label, {})
        initials: dict[str, set[str]] = defaultdict(set)
        for n, counts in by_norm.items():
            ini = _initials(_pick_form(counts))
            if ini:
                initials[ini].add(key_of_norm[(label, n)])
        paren: dict[str, str] = {}
        ordered = sorted((r for r in raws if r.label == label), key=lambda r: r.start)
        for prev, cur in zip(ordered, ordered[1:], strict=False):
            between = text[prev.end : cur.start]
            if between.strip() == "(" and text.startswith(")", cur.end) and _ACRONYM_RE.match(
                text[cur.start : cur.end]
            ):
                paren[normalize_name(text[cur.start : cur.end])] = key_of_norm[
                    (label, normalize_name(text[prev.start : prev.end]))
                ]
        for n, counts in by_norm.items():
            surface = _pick_form(counts)
            if not _ACRONYM_RE.match(surface.replace(" ", "")):
                continue
            if n in paren:
                key_of_norm[(label, n)] = paren[n]
            elif len(initials.get(n.replace(" ", ""), ())) == 1:
                key_of_norm[(label, n)] = next(iter(initials[n.replace(" ", "")]))
    return {(r.label, r.start): key_of_norm[(r.label, normalize_name(text[r.start : r.end]))] for r in raws}


def _title_mentions(text: str, raws: list[_Raw], keys: dict[tuple[str, int], str]) -> list[Mention]:
    """Mentions like "the Venezuelan leader" linked to the one person who holds a matching role so far."""
    people = [r for r in raws if r.label == "PERSON"]
    if not people:
        return []
    # (position, key, role, nationality) of every role statement; nationality per key.
    nat_of: dict[str, set[str]] = defaultdict(set)
    role_events: list[tuple[int, str, str]] = []
    for r in people:
        k = keys[("PERSON", r.start)]
        if r.nat:
            nat_of[k].add(_nat_key(r.nat))
        if r.role:
            for nm in _NAT_RE.finditer(r.role):
                if nm.group(0).lower() not in _VOCAB:
                    nat_of[k].add(_nat_key(nm.group(0)))
            role_events.append((min(r.start, r.role_start), k, r.role))
    if not role_events:
        return []
    role_events.sort()
    starts = {r.start for r in raws}
    occupied = [(r.start, r.end) for r in raws] + [(r.role_start, r.role_end) for r in people if r.role]
    out: list[Mention] = []
    for m in _TITLE_RE.finditer(text):
        s, e = m.start(), m.end()
        nxt = _AFTER_TITLE_RE.match(text, e)
        if nxt is not None and (nxt.group(1) or nxt.end() in starts):
            continue
        if any(a < e and s < b for a, b in occupied):
            continue
        head, mods = _parse_role(m.group("core"))
        nat = _nat_key(m.group("nat")) if m.group("nat") else None
        cands: set[str] = set()
        for pos, k, role in role_events:
            if pos >= s:
                break
            if not _role_matches(head, mods, role):
                continue
            if nat is not None and not any(_nat_match(nat, x) for x in nat_of.get(k, ())):
                continue
            cands.add(k)
        if len(cands) == 1:
            out.append(Mention(span=Span(s, e, text[s:e]), label="PERSON", key=cands.pop(), kind="title"))
    return out


# --------------------------------------------------------------------------- corpus linking


@dataclass(frozen=True)
class EntityIndex:
    """Corpus entities, and the way from an article's mention key to its entity."""

    entities: tuple[Entity, ...]
    _by_key: dict[tuple[str, str], Entity] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, Entity] = field(default_factory=dict, repr=False, compare=False)

    def resolve(self, article_id: str, key: str) -> Entity | None:
        """The corpus entity of mention key ``key`` in article ``article_id``."""
        return self._by_key.get((article_id, key))

    def by_id(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def links(self) -> tuple[tuple[str, str, str], ...]:
        """Every (article id, mention key, entity id), sorted: with ``entities``, all a store needs."""
        return tuple(sorted((aid, key, ent.id) for (aid, key), ent in self._by_key.items()))

    @classmethod
    def from_links(cls, entities: Iterable[Entity], links: Iterable[tuple[str, str, str]]) -> EntityIndex:
        """Rebuild an index from its entities and ``links()`` (e.g. read back from a store)."""
        ents = tuple(entities)
        by_id = {e.id: e for e in ents}
        by_key = {(aid, key): by_id[eid] for aid, key, eid in links if eid in by_id}
        return cls(ents, by_key, by_id)

    def __len__(self) -> int:
        return len(self.entities)


@dataclass(slots=True)
class _Node:
    label: str
    norm: str
    keys: Counter[str] = field(default_factory=Counter)  # key surface -> mentions
    aliases: set[str] = field(default_factory=set)
    roles: set[RoleClaim] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)
    members: set[tuple[str, str]] = field(default_factory=set)  # (article id, key)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        p = self.parent.setdefault(x, x)
        while p != x:
            gp = self.parent.setdefault(p, p)
            self.parent[x] = gp
            x, p = p, gp
        return x

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _slug(name: str) -> str:
    norm = normalize_name(name)
    s = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")
    if len(s) * 2 < len(norm.replace(" ", "")):  # mostly non-Latin script: ascii would lose it
        s = (s + "-" if s else "") + hashlib.sha1(norm.encode()).hexdigest()[:8]
    return s or "x"


def link_entities(
    items: Iterable[tuple[CleanArticle, Sequence[Mention]]], dominance: float | None = DOMINANCE
) -> EntityIndex:
    """Cluster the mentions of many articles into corpus entities (deterministic).

    ``dominance``: a surname that fits several full names links to the one with at least this many
    times the mentions of all the others together (None: never; ambiguous surnames stay apart).
    """
    nodes: dict[tuple[str, str], _Node] = {}
    acronym_aliases: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for clean, mentions in items:
        aid = clean.article.id
        published = clean.article.published
        for m in mentions:
            nk = (m.label, normalize_name(m.key))
            if not nk[1]:
                continue
            node = nodes.get(nk)
            if node is None:
                node = nodes[nk] = _Node(m.label, nk[1])
            node.members.add((aid, m.key))
            node.citations.add(clean.cite(m.span.start, m.span.end))
            if m.kind == "name":
                node.keys[m.key] += 1
                node.aliases.add(m.span.text)
                sn = normalize_name(m.span.text)
                if sn != nk[1] and m.label != "PERSON" and _ACRONYM_RE.match(m.span.text.replace(" ", "")):
                    acronym_aliases[(m.label, sn)].add(nk)
            if m.role is not None and m.role_span is not None:
                node.roles.add(RoleClaim(m.role, clean.cite(m.role_span.start, m.role_span.end), published))

    uf = _UnionFind()
    for nk in nodes:
        uf.find(nk)
    # Surnames / token subsets of exactly one fuller person name.
    person_norms = {n: tuple(n.split()) for (lab, n) in nodes if lab == "PERSON"}
    weights = {n: len(node.citations) for (lab, n), node in nodes.items() if lab == "PERSON"}
    for n, rt in _cluster_people(person_norms, weights, dominance).items():
        if rt != n:
            uf.union(("PERSON", n), ("PERSON", rt))
    # Acronyms: known short forms from articles, else initials of exactly one multi-word name.
    for label in ("ORG", "PLACE"):
        initials: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for (lab, n), node in nodes.items():
            if lab == label and " " in n:
                ini = _initials(_pick_form(node.keys) if node.keys else n)
                if ini:
                    initials[ini].add(uf.find((lab, n)))
        for (lab, n), node in sorted(nodes.items()):
            if lab != label or " " in n:
                continue
            targets = {uf.find(t) for t in acronym_aliases.get((lab, n), ())} - {uf.find((lab, n))}
            if not targets and node.keys and _ACRONYM_RE.match(_pick_form(node.keys)):
                targets = initials.get(n, set()) - {uf.find((lab, n))}
            if len(targets) == 1:
                uf.union((lab, n), targets.pop())
    _state_forms(nodes, uf)
    _fuzzy_merge(nodes, uf)
    _vote_labels(nodes, uf)
    _surname_labels(nodes, uf)

    groups: dict[tuple[str, str], list[_Node]] = defaultdict(list)
    for nk, node in nodes.items():
        groups[uf.find(nk)].append(node)
    built: list[tuple[Entity, list[_Node]]] = []
    used_ids: set[str] = set()
    drafts = []
    for members in groups.values():
        weight: Counter[str] = Counter()
        for node in members:
            weight[node.label] += len(node.citations)
        label = min(weight, key=lambda lab: (-weight[lab], _LABEL_ORDER.get(lab, 9)))
        name = _canonical(members)
        drafts.append((label, normalize_name(name), name, members))
    drafts.sort(key=lambda d: d[:3])
    for label, _n, name, members in drafts:
        base = f"{label.lower()}:{_slug(name)}"
        eid, i = base, 2
        while eid in used_ids:
            eid, i = f"{base}-{i}", i + 1
        used_ids.add(eid)
        aliases: set[str] = set()
        roles: set[RoleClaim] = set()
        cites: set[Citation] = set()
        for node in members:
            aliases |= node.aliases
            roles |= node.roles
            cites |= node.citations
        ent = Entity(
            id=eid,
            name=name,
            label=label,
            aliases=tuple(sorted(aliases)),
            roles=tuple(sorted(roles, key=lambda r: (r.published or "", r.citation.source, r.citation.start,
                                                     r.citation.end, r.role))),
            citations=tuple(sorted(cites, key=lambda c: (c.source, c.start, c.end))),
        )
        built.append((ent, members))

    by_key: dict[tuple[str, str], Entity] = {}
    for ent, members in sorted(built, key=lambda b: _LABEL_ORDER.get(b[0].label, 9), reverse=True):
        for node in members:
            for member in node.members:
                by_key[member] = ent  # PERSON written last: wins when a key has several labels
    entities = tuple(e for e, _ in built)
    return EntityIndex(entities, by_key, {e.id: e for e in entities})


def _canonical(members: list[_Node]) -> str:
    counts: Counter[str] = Counter()
    for node in members:
        counts.update(node.keys)
    if not counts:  # only title mentions (cannot happen with extract_mentions output)
        return members[0].norm
    full = Counter({k: c for k, c in counts.items() if len(normalize_name(k).split()) >= 2})
    pool = full or counts
    by_norm: dict[str, Counter[str]] = defaultdict(Counter)
    for k, c in pool.items():
        by_norm[normalize_name(k)][k] += c
    best = min(by_norm, key=lambda n: (-sum(by_norm[n].values()), n))
    return _pick_form(by_norm[best])


def _vote_labels(nodes: dict[tuple[str, str], _Node], uf: _UnionFind) -> None:
    """A name left alone under one label joins the same name under another label that has at least
    twice its mentions ("Molenbeek" tagged PERSON in one article, PLACE in many); for a multi-word name,
    at least as many."""
    members: Counter[tuple[str, str]] = Counter(uf.find(nk) for nk in nodes)
    by_norm: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for nk in sorted(nodes):
        by_norm[nk[1]].append(nk)
    for nks in by_norm.values():
        if len(nks) < 2:
            continue
        for nk in nks:
            r = uf.find(nk)
            if members[r] != 1 or nodes[nk].roles:
                continue
            mine = len(nodes[nk].citations)
            # a full name ("Emre Lanholt") tagged two ways is one entity; a single word needs a clear majority
            factor = 1 if " " in nk[1] else 2
            strong = {uf.find(o) for o in nks if o[0] != nk[0] and len(nodes[o].citations) >= factor * mine} - {r}
            if len(strong) == 1:
                target = strong.pop()
                uf.union(nk, target)
                members[uf.find(target)] = members[r] + members[target]


_STATE_FORM = re.compile(
    r"(?:the )?(?:(?:federal|democratic|islamic|united|socialist|people s|peoples) )*"
    r"(?:republic|federation|kingdom|state|principality|commonwealth|union|emirate|sultanate|confederation) "
    r"of (?:the )?(.+)"
)


def _state_forms(nodes: dict[tuple[str, str], _Node], uf: _UnionFind) -> None:
    """A state's formal name joins its short name: "Federation of Aldmere" = "Aldmere" (ORG or PLACE)."""
    for nk in sorted(nodes):
        label, n = nk
        if label == "PERSON":
            continue
        m = _STATE_FORM.fullmatch(n)
        if not m:
            continue
        for other in ("PLACE", "ORG"):
            short = (other, m.group(1))
            if short in nodes:
                uf.union(nk, short)


def _surname_labels(nodes: dict[tuple[str, str], _Node], uf: _UnionFind) -> None:
    """A lone one-word ORG/PLACE that is the surname of exactly one multi-word person joins that person,
    when the person has at least twice its mentions (the small model tags "Brask" as a place)."""
    members: Counter[tuple[str, str]] = Counter(uf.find(nk) for nk in nodes)
    surnames: dict[str, set[tuple[str, str]]] = defaultdict(set)
    weight: Counter[tuple[str, str]] = Counter()
    for (label, n), node in nodes.items():
        if label != "PERSON":
            continue
        root = uf.find((label, n))
        weight[root] += len(node.citations)
        toks = n.split()
        if len(toks) >= 2:
            surnames[toks[-1]].add(root)
    for nk in sorted(nodes):
        label, n = nk
        if label == "PERSON" or " " in n:
            continue
        root = uf.find(nk)
        if members[root] != 1 or nodes[nk].roles:
            continue
        targets = surnames.get(n, set()) - {root}
        if len(targets) == 1:
            target = next(iter(targets))
            if weight[target] >= 2 * len(nodes[nk].citations):
                uf.union(nk, target)


def _fuzzy_merge(nodes: dict[tuple[str, str], _Node], uf: _UnionFind) -> None:
    """Merge multi-word names that differ in one slightly mis-spelled word, when unambiguous.

    Conservative: same number of words, all words but one identical, the odd pair with the same initial
    and difflib ratio >= 0.75, the whole names >= 0.9; for people the odd word is not the first one
    ("Nicolas Madura" ~ "Nicolás Maduro", never "Maria Fernandez" ~ "Mario Fernandez").
    """
    groups: dict[tuple, list[tuple[tuple[str, str], str, str]]] = defaultdict(list)
    for nk in sorted(nodes):
        label, n = nk
        toks = n.split()
        if len(toks) < 2:
            continue
        for i in range(1 if label == "PERSON" else 0, len(toks)):
            if len(toks[i]) >= 4:
                groups[(label, len(toks), i, *toks[:i], *toks[i + 1 :])].append((nk, n, toks[i]))
    matches: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for members in groups.values():
        if len(members) < 2:
            continue
        for a in range(len(members)):
            nka, na, ta = members[a]
            for nkb, nb, tb in members[a + 1 :]:
                ra, rb = uf.find(nka), uf.find(nkb)
                if ra == rb or ta[0] != tb[0]:
                    continue
                if difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio() < 0.75:
                    continue
                if difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio() >= 0.9:
                    matches[ra].add(rb)
                    matches[rb].add(ra)
    for ra, others in sorted(matches.items()):
        if len(others) == 1:
            rb = next(iter(others))
            if len(matches[rb]) == 1:
                uf.union(ra, rb)
