"""Claims: statements of different sources that assert the same thing.

``group_claims`` keeps the "factual" statements (those naming an entity, an absolute date, a figure or an
event; not questions, not a bare quote with its cue), finds candidate pairs cheaply (sentence-embedding
nearest neighbours, plus statements sharing a small entity or absolute-day block), and decides each pair:
cheap structure first (incompatible absolute dates, disjoint named people, different resolved actors of the
same action veto; a plan against a deed, the same names saying different things, too little shared wording
or -- in a large corpus -- no shared word rarer than the story's everyday vocabulary mean "not the same"),
then ``storyline.crosscheck.similarity`` (the MSRP-trained same-claim model with its number/negation/opposition
vetoes) at a stricter threshold, lowered a little by a shared day or agreeing numbers; a sentence whose
content words are mostly inside the other's (the same report with more detail) also counts.  Pairs are
merged strongest first with average linkage over the clusters' cores (the majority of core pairs must
match) and no vetoed pair across them, so A~B and B~C never pull in a C that contradicts A.  A claim holds
at most one statement per article.

Besides the model, structure can say "same": the same figure of the same counted deed ("at least 61 people
killed", compatible qualifiers, value >= 2) with an embedding cosine >= 0.6 (0.7 under 20), or one action by one
doer (entity ids matched by head words: "council" = "Northern Seas Council") on the same absolute day.  When the
extraction is known (``items``), numbers clash only as figures of the same deed ("12 vessels seized" vs "nine
vessels seized"), never "in six days" against "40-nautical-mile".  A plan against a statement about a day still
to come is not "a plan against a deed".  A headline (no closing punctuation) needs the stricter bar 0.62.  When
two clusters are compared, the core takes members of different origins, so wire copies count once.

``mark_contested`` marks the claims that a conflict or a flagged error touches; ``choose_representatives``
puts the statement of the most trustworthy source first.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from storyline.crosscheck.similarity import analyse, load_model, numbers_agree, opposed, paraphrase_scores
from storyline.records import (
    Citation,
    Claim,
    CleanArticle,
    Conflict,
    Extraction,
    FlaggedError,
    Independence,
    Statement,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from storyline.extract.embed import Embedder
    from storyline.extract.entities import EntityIndex

__all__ = [
    "DEFAULT_THRESHOLD",
    "LEXICAL_THRESHOLD",
    "choose_representatives",
    "group_claims",
    "is_factual",
    "mark_contested",
    "same_claim",
]

DEFAULT_THRESHOLD = 0.5  # same-claim model probability needed (MSRP's own, 0.4, is too loose; 0.62 missed much)
LEXICAL_THRESHOLD = 0.55  # the same without embeddings (bag-of-stems cosine instead), embedder=False
EVENT_COSINE = 0.55  # the same action by the same actor on the same day, with this cosine, is the same claim
HEADLINE_THRESHOLD = 0.62  # the bar when one side is a headline (no closing punctuation)
STRUCTURE_BONUS = 0.1  # how much a shared absolute day or agreeing numbers lower the bar
CONTAINED = 0.8  # ... or: this share of the shorter sentence's content words is in the longer one,
CONTAINED_MIN = 4  # the shorter one has at least this many content words,
CONTAINED_COSINE = 0.75  # and the embeddings agree this much
MIN_OVERLAP = 0.3  # pairs sharing less of the shorter sentence's content words are not scored at all
RARE_SHARE = 0.03  # a pair must share a content word used by at most this share of the statements,
RARE_MIN_STATEMENTS = 100  # when there are enough statements to tell the story's common words from rare ones
PLAIN_SHARE = 0.2  # share of the shorter sentence's non-name content words the other must have too
KNN = 6  # embedding neighbours per statement
FLOOR = 0.55  # embedding cosine below which a pair is not even scored (same-claim pairs score 0.64 and up)
LEXICAL_FLOOR = 0.25  # the same for the bag-of-stems cosine (embedder=False)
CORE = 3  # members of each cluster whose pairs must mostly match for a merge
MAX_CROSS = 400  # cross pairs checked for vetoes at a merge (an even sample beyond)
BLOCK_CAP = 60  # entity/date blocks larger than this are left to the neighbours
ANCHOR_COSINE = 0.6  # a shared figure (value, unit, what it counts) plus this cosine makes the same claim,
ANCHOR_SMALL_COSINE = 0.7  # ... or this cosine when the figure is small (under ANCHOR_DISTINCT)
ANCHOR_DISTINCT = 20  # figures this large are specific enough to outweigh disagreeing dates or people

_ABS_DATE_RE = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_QUOTED_RE = re.compile(r"[\"\u201c\u201d][^\"\u201c\u201d]*(?:[\"\u201c\u201d]|$)")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_REPORTING = frozenset(
    ["say", "tell", "report", "add", "state", "claim", "note", "write", "describe", "accord", "confirm",
     "announce", "insist", "warn"]
)
_DETERMINERS = frozenset(["a", "an", "the", "its", "their", "his", "her", "our"])
# qualifiers by what they say about the true value: a lower bound, an upper bound, a rough value
_LOWER = frozenset(["at least", "more than", "over", "no fewer than", "no less than", "not less than",
                    "not fewer than", "upwards of", "in excess of", "a minimum of", "just over", "well over"])
_UPPER = frozenset(["at most", "less than", "fewer than", "under", "up to", "no more than", "not more than",
                    "as many as", "as much as", "a maximum of", "just under", "well under", "nearly", "almost"])
_ROUGH = frozenset(["about", "approximately", "approx.", "around", "roughly", "some", "an estimated",
                    "estimated", "close to", "circa"])
_PLURAL_SYNONYMS = {"persons": "people", "person": "people", "lives": "people", "individuals": "people"}


# --------------------------------------------------------------------------- what becomes a claim


def _absolute(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v for v in values if _ABS_DATE_RE.fullmatch(v))


def is_factual(statement: Statement) -> bool:
    """A statement that can be checked: it names an entity, an absolute date, a figure or an event, is not
    a question, and is not only a quotation with its cue ("\\"...\\", she said.")."""
    text = statement.span.text.strip()
    if not (statement.entities or _absolute(statement.dates) or statement.figures or statement.events):
        return False
    if text.rstrip("\"'\u201d\u2019) ").endswith("?"):
        return False
    outside = _QUOTED_RE.sub(" ", text)
    return not (outside != text and len(_WORD_RE.findall(outside)) <= 4)


# --------------------------------------------------------------------------- vectors


class _Lookup:
    """An embedder over precomputed vectors (so similarity.paraphrase_scores never re-encodes)."""

    def __init__(self, vectors: dict[str, Any], dim: int, name: str) -> None:
        self.name = name
        self.dim = dim
        self._vectors = vectors

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            vec = self._vectors.get(t)
            if vec is not None:
                out[i] = vec
        return out


def _lexical_vectors(texts: Sequence[str], dim: int = 1024) -> numpy.ndarray:
    """Hashed tf-idf bags of content stems and names, L2-normalised (the embedding-free fallback)."""

    import numpy as np

    bags = []
    df: Counter[str] = Counter()
    for t in texts:
        info = analyse(t)
        bag = set(info.content) | {"N:" + n for n in info.names}
        bags.append(bag)
        df.update(bag)
    n = max(1, len(texts))
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, bag in enumerate(bags):
        for term in bag:
            h = zlib.crc32(term.encode("utf-8"))
            out[i, h % dim] += (1.0 if h & 0x80000000 else -1.0) * math.log(1 + n / df[term])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


# --------------------------------------------------------------------------- pair decisions


@dataclass(frozen=True)
class _Info:
    source: str
    days: frozenset[str]
    dates: frozenset[str]  # absolute values (year, month or day)
    entities: frozenset[str]
    people: frozenset[str]
    actors: tuple[tuple[str, str], ...]  # (action lemma, actor key) of non-reporting events
    figures: tuple[tuple[float, str, str], ...] = ()  # (value, what it counts, qualifier class)
    extracted: bool = False  # figures known from the extraction (else numbers come from the text)
    future: bool = False  # it names an absolute day after its publication date (a plan, a schedule)


def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _qualifier_class(qualifier: str | None, before: str) -> str:
    q = " ".join((qualifier or "").lower().split())
    if q and re.search(r"\b(?:not|no)\s*$", before, re.IGNORECASE):
        q = "not " + q  # the figure extractor keeps "less than" of "not less than"
    if q in _LOWER:
        return "lower"
    if q in _UPPER:
        return "upper"
    if q in _ROUGH:
        return "rough"
    return ""


def _counted(unit: str | None, counts: str | None) -> str:
    words = (counts or unit or "").lower().split()
    return " ".join(_PLURAL_SYNONYMS.get(w, w) for w in words)


def _figure_anchor(a: _Info, b: _Info) -> float:
    """The largest figure both give: the same value of the same counted thing and deed ("people killed", not
    a bare "people", which is often a side detail: "the 239 people on board"), with
    qualifiers that do not contradict ("at least 43" and "43"; not "at least 43" and "under 43"); 0 if none."""
    best = 0.0
    for va, ca, qa in a.figures:
        for vb, cb, qb in b.figures:
            if va == vb and va >= 2 and " " in ca and ca == cb and (qa == qb or not qa or not qb) and va > best:
                best = va
    return best


def _figure_conflict(a: _Info, b: _Info) -> bool:
    """Both count the same deed ("vessels seized", "boats seized"; "killed" and "people killed") and no value
    of one is a value of the other."""
    if not (a.figures and b.figures):
        return False
    va: dict[str, set[float]] = defaultdict(set)
    vb: dict[str, set[float]] = defaultdict(set)
    for v, c, _ in a.figures:
        va[c.rsplit(" ", 1)[-1]].add(v)
    for v, c, _ in b.figures:
        vb[c.rsplit(" ", 1)[-1]].add(v)
    return any(c and not (va[c] & vb[c]) for c in va.keys() & vb.keys())


def _numbers_clash(a: _Info, b: _Info, na: tuple[float, ...], nb: tuple[float, ...]) -> bool:
    """Disagreeing numbers: the extracted figures when both sides have them (so "in six days" or
    "December 14" never clash with a figure), else the numbers in the text."""
    if a.extracted and b.extracted:
        return _figure_conflict(a, b)
    return numbers_agree(na, nb) is False


def _same_actor(a: str, b: str) -> bool:
    """The same entity, or one named by the other's head words ("org:council", "org:northern-seas-council")."""
    if a == b:
        return True
    wa, wb = a.split(":", 1)[-1].split("-"), b.split(":", 1)[-1].split("-")
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return a.split(":", 1)[0] == b.split(":", 1)[0] and long_[len(long_) - len(short) :] == short


def _same_event(a: _Info, b: _Info) -> bool:
    """Both report one action (the same verb lemma) by the same doer, and name the same day."""
    if not (a.days & b.days):
        return False
    return any(x == y and _same_actor(p, q) for x, p in a.actors for y, q in b.actors)


def _vetoed(a: _Info, b: _Info, anchor: float = 0.0) -> bool:
    """Structure says the two cannot be the same claim.  A shared figure (``anchor``, its value) overrides
    disjoint people (often a noisy name label or a different attribution), and a distinctive one (at least
    ANCHOR_DISTINCT) also overrides disagreeing side dates ("said on Monday" against "since September")."""
    if (
        anchor < ANCHOR_DISTINCT
        and a.dates
        and b.dates
        and not (a.dates & b.dates)
        and not any(_compatible(x, y) for x in a.dates for y in b.dates)
    ):
        return True
    if not anchor and a.people and b.people and not (a.people & b.people):
        return True
    for act_a, who_a in a.actors:
        for act_b, who_b in b.actors:
            if act_a == act_b and not _same_actor(who_a, who_b):
                return True
    return False


_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


@lru_cache(maxsize=65536)
def _plain_content(text: str) -> frozenset[str]:
    """Content stems of the words that are not capitalised (names and sentence starts left out)."""
    return analyse(" ".join(t for t in _TOKEN_RE.findall(text) if not t[0].isupper())).content


# words that make a statement a plan, a promise or an expectation rather than something that happened (not
# "will"/"would", which are mostly reported speech: "said the zone would take effect")
_IRREALIS_RE = re.compile(
    r"\b(?:going to|(?:plan|promise|pledge|vow|threaten|intend|hope|expect|aim|want|seek|offer|propose)"
    r"(?:s|d|ed)?\s+to|(?:is|are|was|were)\s+(?:due|set|expected|scheduled|likely|poised|about)\s+to"
    r"|plans?\s+for)\b",
    re.IGNORECASE,
)


_TERMINAL_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")


def _sentence(text: str) -> bool:
    """A full sentence (it ends with a full stop, ! or ?), not a headline or a caption."""
    return bool(_TERMINAL_RE.search(text))


@lru_cache(maxsize=65536)
def _irrealis(text: str) -> bool:
    return bool(_IRREALIS_RE.search(_QUOTED_RE.sub(" ", text)))


def _share_words(a: str, b: str) -> bool:
    """Besides the names, the two sentences share some of what they say: "Pereira visited the hospital"
    and "Pereira criticised the harbour authority" name the same man but report different things."""
    pa, pb = _plain_content(a), _plain_content(b)
    small = min(len(pa), len(pb))
    if small < 2:
        return True
    return len(pa & pb) >= max(1.0, PLAIN_SHARE * small)


def _structure(a: _Info, b: _Info) -> bool:
    return bool(a.days & b.days)


def _actor_key(aid: str, actor: str, index: EntityIndex | None) -> str:
    if index is not None:
        ent = index.resolve(aid, actor)
        if ent is not None:
            return ent.id
    words = [w.lower() for w in _WORD_RE.findall(actor)]
    words = [w for w in words if w not in _DETERMINERS]
    return words[-1] if words else actor.lower()


def _infos(
    facts: Sequence[Statement],
    items: Sequence[tuple[CleanArticle, Extraction]] | None,
    index: EntityIndex | None,
) -> list[_Info]:
    extractions = {clean.article.id: (clean, ext) for clean, ext in items or ()}
    out = []
    for st in facts:
        dates = _absolute(st.dates)
        days = frozenset(d for d in dates if _DAY_RE.fullmatch(d))
        actors: list[tuple[str, str]] = []
        figures: list[tuple[float, str, str]] = []
        clean, ext = extractions.get(st.source, (None, None))
        if ext is not None and clean is not None:
            for i in st.figures:
                if i < len(ext.figures):
                    f = ext.figures[i]
                    before = clean.text[max(0, f.span.start - 6) : f.span.start]
                    figures.append((f.value, _counted(f.unit, f.counts), _qualifier_class(f.qualifier, before)))
            for i in st.events:
                if i >= len(ext.events):
                    continue
                ev = ext.events[i]
                if ev.actor and ev.action not in _REPORTING and not ev.negated:
                    actors.append((ev.action, _actor_key(st.source, ev.actor, index)))
        out.append(
            _Info(
                source=st.source,
                days=days,
                dates=frozenset(dates),
                entities=frozenset(st.entities),
                people=frozenset(e for e in st.entities if e.startswith("person:")),
                actors=tuple(sorted(set(actors))),
                figures=tuple(sorted(set(figures))),
                extracted=ext is not None,
                future=bool(days and st.published and max(days) > st.published[:10]),
            )
        )
    return out


class _Judge:
    """Scores pairs of factual statements on demand, caching every decision."""

    def __init__(self, texts: list[str], infos: list[_Info], negated: list[bool], embedder: Any,
                 threshold: float) -> None:
        self.texts = texts
        self.infos = infos
        self.negated = negated
        self.embedder = embedder
        self.threshold = threshold
        self.cache: dict[tuple[int, int], tuple[bool, float, bool]] = {}  # same, score, vetoed
        self.rare: frozenset[str] | None = None  # content words few statements use (large corpora only)
        if len(set(texts)) >= RARE_MIN_STATEMENTS:
            df: Counter[str] = Counter()
            for t in dict.fromkeys(texts):
                df.update(analyse(t).content)
            limit = max(2.0, RARE_SHARE * len(set(texts)))
            self.rare = frozenset(w for w, c in df.items() if c <= limit)

    def _precheck(self, i: int, j: int) -> tuple[bool, float, bool] | None:
        """The decision when cheap checks settle it, else None (the pair needs the model)."""
        a, b = self.infos[i], self.infos[j]
        anchor = _figure_anchor(a, b)
        if a.source == b.source or _vetoed(a, b, anchor):
            return (False, 0.0, True)
        ta, tb = self.texts[i], self.texts[j]
        if ta == tb:
            return (True, 1.0, False)
        ra, rb = _irrealis(ta), _irrealis(tb)
        if ra != rb and not anchor and not (b.future if ra else a.future):
            # a plan and a fact -- unless the "fact" is itself about a day still to come ("the zone takes
            # effect on Tuesday" and "the zone is set to take effect on Tuesday")
            return (False, 0.0, False)
        if not _share_words(ta, tb):
            return (False, 0.0, False)  # the same names saying different things
        ia, ib = analyse(ta), analyse(tb)
        if ia.content == ib.content and sorted(ia.numbers) == sorted(ib.numbers) and ia.negated == ib.negated:
            return (True, 1.0, False)  # the same words and numbers, other punctuation or stopwords
        if anchor:
            return None
        shared = ia.content & ib.content
        if len(shared) < MIN_OVERLAP * min(len(ia.content), len(ib.content)):
            return (False, 0.0, False)
        if (
            self.rare is not None
            and not any(w in self.rare for w in shared)
            and not set(ia.numbers) & set(ib.numbers)  # a shared figure is specific enough
            and not _same_event(a, b)  # ... and so is one deed by one doer on one day
        ):
            # words most of the story's sentences use ("plane", "search", the story's names) say little: a
            # pair must share at least one rarer word too
            return (False, 0.0, False)
        return None

    def decide(self, pairs: Sequence[tuple[int, int]]) -> None:
        todo = []
        for i, j in pairs:
            key = (i, j) if i < j else (j, i)
            if key in self.cache:
                continue
            known = self._precheck(*key)
            self.cache[key] = known or (False, 0.0, False)
            if known is None:
                todo.append(key)
        if not todo:
            return
        model = load_model()
        scores = paraphrase_scores([(self.texts[i], self.texts[j]) for i, j in todo], embedder=self.embedder)
        for (i, j), ps in zip(todo, scores, strict=True):
            a, b = self.infos[i], self.infos[j]
            ta, tb = analyse(self.texts[i]), analyse(self.texts[j])
            if _numbers_clash(a, b, ta.numbers, tb.numbers) or (
                self.negated[i] != self.negated[j] and ps.lexical >= 0.5
            ):
                self.cache[(i, j)] = (False, ps.score, True)
                continue
            # the model's own vetoes, less its number veto (numbers were judged above, by figure when known)
            overlap = len(ta.content & tb.content) / max(1, len(ta.content), len(tb.content))
            flipped = overlap >= model.negation_veto_overlap and (ta.negated != tb.negated or opposed(ta, tb))
            anchor = _figure_anchor(a, b)
            agree = anchor > 0 or ps.numbers_agree is True
            bar = self.threshold
            if not (_sentence(self.texts[i]) and _sentence(self.texts[j])):
                bar = max(bar, HEADLINE_THRESHOLD)  # a headline's few words fit many sentences
            if _structure(a, b) or agree:
                bar -= STRUCTURE_BONUS
            same, score = bool(ps.score >= max(bar, model.threshold) and not flipped), ps.score
            if not same and anchor and not flipped:
                # the same figure of the same thing ("at least 61 people killed"), worded differently
                need = ANCHOR_COSINE if anchor >= ANCHOR_DISTINCT else ANCHOR_SMALL_COSINE
                if ps.cosine >= need and self.negated[i] == self.negated[j]:
                    same, score = True, max(score, bar)
            if not same and not flipped and ps.cosine >= EVENT_COSINE and _same_event(a, b):
                # the same deed by the same doer on the same day ("the zone takes effect" on 16 December)
                same, score = True, max(score, bar)
            if not same and ps.cosine >= CONTAINED_COSINE:
                # one sentence repeats the other and adds detail: MSRP calls that "not a paraphrase", a
                # dossier calls it the same claim
                small = min(len(ta.content), len(tb.content))
                if (
                    small >= CONTAINED_MIN
                    and len(ta.content & tb.content) >= CONTAINED * small
                    and ta.negated == tb.negated
                    and not opposed(ta, tb)
                ):
                    same, score = True, max(score, bar)
            self.cache[(i, j)] = (same, score, False)

    def get(self, i: int, j: int) -> tuple[bool, float, bool]:
        key = (i, j) if i < j else (j, i)
        if key not in self.cache:
            self.decide([key])
        return self.cache[key]


def _cross_vetoed(a: list[int], b: list[int], infos: list[_Info], numbers: list[tuple[float, ...]]) -> bool:
    """Whether a cheap structural veto (dates, people, actors, disagreeing numbers) separates any pair of
    the two clusters (every pair up to MAX_CROSS pairs, an even sample beyond)."""
    pairs = [(x, y) for x in a for y in b]
    if len(pairs) > MAX_CROSS:
        step = len(pairs) / MAX_CROSS
        pairs = [pairs[int(k * step)] for k in range(MAX_CROSS)]
    for x, y in pairs:
        anchor = _figure_anchor(infos[x], infos[y])
        if _vetoed(infos[x], infos[y], anchor) or _numbers_clash(infos[x], infos[y], numbers[x], numbers[y]):
            return True
    return False


def _core(members: list[int], keys: list[str]) -> list[int]:
    """The first CORE members of different origins (``keys``: a statement's independent source), so that
    wire copies of one text count once when two clusters are compared."""
    out: dict[str, int] = {}
    for m in members:
        out.setdefault(keys[m], m)
        if len(out) == CORE:
            break
    return list(out.values())


def _candidates(infos: list[_Info], vecs: numpy.ndarray, floor: float) -> set[tuple[int, int]]:
    """Pairs worth scoring: embedding nearest neighbours, and small blocks of a shared entity or day, all of
    different sources and with a cosine of at least ``floor``."""
    import numpy as np

    n = len(infos)
    source_ids: dict[str, int] = {}
    sources = np.array([source_ids.setdefault(i.source, len(source_ids)) for i in infos])
    out: set[tuple[int, int]] = set()
    k = min(KNN, n - 1)
    if k > 0:
        for lo in range(0, n, 1024):
            sims = vecs[lo : lo + 1024] @ vecs.T
            sims[sources[lo : lo + 1024, None] == sources[None, :]] = -1.0
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            rows = np.repeat(np.arange(sims.shape[0]), k)
            cols = top.ravel()
            keep = sims[rows, cols] >= floor
            for i, j in zip((rows[keep] + lo).tolist(), cols[keep].tolist(), strict=True):
                out.add((i, j) if i < j else (j, i))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, info in enumerate(infos):
        for e in info.entities:
            blocks["e:" + e].append(i)
        for d in info.days:
            blocks["d:" + d].append(i)
    for members in blocks.values():
        if len(members) < 2 or len(members) > BLOCK_CAP:
            continue
        idx = np.array(members)
        sub = vecs[idx] @ vecs[idx].T
        xs, ys = np.triu_indices(len(members), 1)
        keep = (sub[xs, ys] >= floor) & (sources[idx[xs]] != sources[idx[ys]])
        out.update(zip(idx[xs[keep]].tolist(), idx[ys[keep]].tolist(), strict=True))
    return out


# --------------------------------------------------------------------------- grouping


def same_claim(
    a: str, b: str, *, embedder: Embedder | None | bool = None, threshold: float | None = None
) -> bool:
    """Whether two sentences (as text alone, without structure) would be put into one claim."""
    import numpy as np

    texts = [" ".join(a.split()), " ".join(b.split())]
    if embedder is False:
        vecs = _lexical_vectors(texts)
        thr = LEXICAL_THRESHOLD if threshold is None else threshold
    else:
        if embedder is None or embedder is True:
            from storyline.extract.embed import get_embedder

            embedder = get_embedder()
        vecs = np.asarray(embedder.encode(texts), dtype=np.float32)  # type: ignore[union-attr]
        thr = DEFAULT_THRESHOLD if threshold is None else threshold
    lookup = _Lookup(dict(zip(texts, vecs, strict=True)), vecs.shape[1], "lookup")
    info = _Info("", frozenset(), frozenset(), frozenset(), frozenset(), ())
    judge = _Judge(texts, [replace(info, source="a"), replace(info, source="b")],
                   [analyse(t).negated for t in texts], lookup, thr)
    return judge.get(0, 1)[0]


def group_claims(
    statements: Sequence[Statement],
    independence: Independence,
    *,
    embedder: Embedder | None | bool = None,
    threshold: float | None = None,
    items: Sequence[tuple[CleanArticle, Extraction]] | None = None,
    index: EntityIndex | None = None,
) -> tuple[Claim, ...]:
    """Group the factual statements of different articles that assert the same thing into claims.

    ``embedder``: None loads the default sentence embedder, False works lexically (no embeddings).
    ``threshold``: the same-claim probability needed (default DEFAULT_THRESHOLD, or LEXICAL_THRESHOLD).
    ``items``/``index`` (optional): the articles' extractions and the entity index, which add the
    actor veto (the same action done by different actors is not the same claim).
    """
    import numpy as np

    facts = [s for s in statements if is_factual(s)]
    if not facts:
        return ()
    texts = [" ".join(s.span.text.split()) for s in facts]
    distinct = list(dict.fromkeys(texts))
    if embedder is False:
        dvecs = _lexical_vectors(distinct)
        thr = LEXICAL_THRESHOLD if threshold is None else threshold
        name = "lexical"
    else:
        if embedder is None or embedder is True:
            from storyline.extract.embed import get_embedder

            embedder = get_embedder()
        dvecs = np.asarray(embedder.encode(distinct), dtype=np.float32)  # type: ignore[union-attr]
        thr = DEFAULT_THRESHOLD if threshold is None else threshold
        name = getattr(embedder, "name", "embedder")
    row = {t: i for i, t in enumerate(distinct)}
    vecs = dvecs[[row[t] for t in texts]]
    lookup = _Lookup(dict(zip(distinct, dvecs, strict=True)), dvecs.shape[1], name)
    infos = _infos(facts, items, index)
    judge = _Judge(texts, infos, [s.negated for s in facts], lookup, thr)

    cands = sorted(_candidates(infos, vecs, LEXICAL_FLOOR if embedder is False else FLOOR))
    judge.decide(cands)
    edges = sorted(
        ((judge.cache[p][1], p) for p in cands if judge.cache[p][0]), key=lambda e: (-e[0], e[1])
    )

    # average-linkage merging, strongest pair first: the cores (first members) of the two clusters must
    # mostly match, and no pair across them may be vetoed (all pairs checked cheaply, up to a bound)
    cluster_of = list(range(len(facts)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(facts))}
    sources: dict[int, set[str]] = {i: {infos[i].source} for i in range(len(facts))}
    numbers = [analyse(t).numbers for t in texts]
    origins = {a: independence.origin(a) for a in {i.source for i in infos}}
    origin = [origins[i.source] for i in infos]
    for _score, (i, j) in edges:
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj or sources[ci] & sources[cj]:
            continue
        a, b = members[ci], members[cj]
        if _cross_vetoed(a, b, infos, numbers):
            continue
        core = [(x, y) for x in _core(a, origin) for y in _core(b, origin)]
        judge.decide(core)
        results = [judge.get(x, y) for x, y in core]
        if any(r[2] for r in results) or 2 * sum(r[0] for r in results) < len(results):
            continue
        keep, drop = (ci, cj) if len(a) >= len(b) else (cj, ci)
        for x in members[drop]:
            cluster_of[x] = keep
        members[keep].extend(members.pop(drop))
        sources[keep] |= sources.pop(drop)

    order = {s.id: n for n, s in enumerate(statements)}
    groups = []
    for idxs in members.values():
        sts = sorted((facts[i] for i in idxs), key=lambda s: (s.published or "~", order[s.id]))
        groups.append(sts)
    claims = [_claim(sts, independence) for sts in groups]
    claims.sort(key=lambda c: (-c.independent, c.date or "~", min(order[s] for s in c.statements)))
    return tuple(replace(c, id=f"c-{n}") for n, c in enumerate(claims, 1))


def _claim_date(sts: Sequence[Statement]) -> str | None:
    counts: Counter[str] = Counter()
    for s in sts:
        for d in dict.fromkeys(_absolute(s.dates)):
            if len(d) >= 7:  # day or month
                counts[d] += 1
    if not counts:
        return None
    return min(counts, key=lambda d: (-counts[d], -len(d), d))


def _claim(sts: Sequence[Statement], independence: Independence) -> Claim:
    sources = tuple(dict.fromkeys(s.source for s in sts))
    independent = independence.count(sources)
    return Claim(
        id="",
        statements=tuple(s.id for s in sts),
        citations=tuple(s.citation for s in sts),
        sources=sources,
        independent=independent,
        status="corroborated" if independent >= 2 else "single-source",
        text=sts[0].citation.text,
        entities=tuple(sorted({e for s in sts for e in s.entities})),
        date=_claim_date(sts),
    )


# --------------------------------------------------------------------------- contested claims


def _overlaps(a: Citation, b: Citation) -> bool:
    if a.source != b.source:
        return False
    if a.start == a.end or b.start == b.end:
        return b.start <= a.start <= b.end if a.start == a.end else a.start <= b.start <= a.end
    return a.start < b.end and b.start < a.end


def mark_contested(
    claims: Sequence[Claim], conflicts: Sequence[Conflict], errors: Sequence[FlaggedError]
) -> tuple[Claim, ...]:
    """Claims touched by a conflict (a side's citation overlaps one of the claim's) or containing a flagged
    error become "contested", with the conflict and error ids."""
    by_source: dict[str, list[int]] = defaultdict(list)
    for n, claim in enumerate(claims):
        for src in claim.sources:
            by_source[src].append(n)
    found_c: dict[int, list[str]] = {}
    found_e: dict[int, list[str]] = {}

    def touch(cit: Citation, ident: str, found: dict[int, list[str]]) -> None:
        for n in by_source.get(cit.source, ()):
            if ident not in found.get(n, ()) and any(_overlaps(cit, c) for c in claims[n].citations):
                found.setdefault(n, []).append(ident)

    for conflict in conflicts:
        for side in conflict.sides:
            for cit in side.citations:
                touch(cit, conflict.id, found_c)
    for error in errors:
        touch(error.citation, error.id, found_e)
    out = []
    for n, claim in enumerate(claims):
        if n in found_c or n in found_e:
            claim = replace(
                claim,
                status="contested",
                conflicts=tuple(dict.fromkeys((*claim.conflicts, *found_c.get(n, ())))),
                errors=tuple(dict.fromkeys((*claim.errors, *found_e.get(n, ())))),
            )
        out.append(claim)
    return tuple(out)


# --------------------------------------------------------------------------- representatives


def choose_representatives(
    claims: Sequence[Claim], statements: Sequence[Statement], quality: Mapping[str, float]
) -> tuple[Claim, ...]:
    """Put each claim's statement from the highest-quality source first (ties: earliest published, then
    statement id) and make its text the claim's text.  Sources without a score count as 0.5."""
    by_id = {s.id: s for s in statements}
    out = []
    for claim in claims:
        pairs = list(zip(claim.statements, claim.citations, strict=True))

        def key(pair: tuple[str, Citation]) -> tuple[float, str, str]:
            st = by_id.get(pair[0])
            source = st.source if st is not None else pair[1].source
            published = st.published if st is not None else None
            return (-float(quality.get(source, 0.5)), published or "~", pair[0])

        pairs.sort(key=key)
        out.append(
            replace(
                claim,
                statements=tuple(p[0] for p in pairs),
                citations=tuple(p[1] for p in pairs),
                sources=tuple(dict.fromkeys(p[1].source for p in pairs)),
                text=pairs[0][1].text,
            )
        )
    return tuple(out)
