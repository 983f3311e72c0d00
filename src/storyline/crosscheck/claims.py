"""Claims: statements of different sources that assert the same thing.

``group_claims`` keeps the "factual" statements (those naming an entity, an absolute date, a figure or an
event; not questions, not a bare quote with its cue), finds candidate pairs cheaply (the KNN sentence-embedding
nearest neighbours of each statement in other articles above FLOOR, plus statements sharing a small entity or
absolute-day block) and decides each pair with the fitted pair model of ``storyline.crosscheck.pairs``
(propositions, entities, predicates, embeddings, times and numbers; logistic weights and threshold fitted on
ECB+ train topics by ``bench/claims_model.py --refit``).  Hard rules overrule the model as the stored model
says (``VETO_MODES``): by default only contradictions stay apart (figures of one deed that disagree: "12
vessels seized" against "nine vessels seized"; a negation or opposite outcome on one side of otherwise shared
words; a plan against the deed), since they are two claims by definition, not one.  Besides the model, the
same figure of the same counted deed ("at least 61 people killed") with a cosine of at least ANCHOR_COSINE
is one claim (ECB+ seldom shows one; see docs/crosscheck.md for its measured effect).

Pairs are merged strongest first with average linkage over the clusters' cores (the majority of core pairs
must match; the core takes members of different origins, so wire copies count once) and no vetoed pair
across them, so A~B and B~C never pull in a C that contradicts A.  A claim holds at most one statement per
article unless the stored model gives a ``same_article`` threshold (off as fitted: see docs/crosscheck.md);
its sources count once either way.  The same small count ("killed three") in statements published
OCCASION_DAYS or more apart with no date in common is two occasions, not one claim.

``mark_contested`` marks the claims that a conflict or a flagged error touches; ``choose_representatives``
puts the statement of the most trustworthy source first.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from storyline.crosscheck.cluster import centred_window, distinct_codes, pair_codes
from storyline.crosscheck.pairs import (
    ABS_DATE_RE,
    QUOTED_RE,
    PairModel,
    PairScorer,
    View,
    entity_key,
    load_pair_model,
    same_entity,
    text_view,
    views,
    word_texts,
)
from storyline.crosscheck.pairs import (
    irrealis as _irrealis,
)
from storyline.crosscheck.similarity import analyse, load_model, marks_opposed, numbers_agree, opposite_marks
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
from storyline.text import words

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from storyline.extract.embed import Embedder
    from storyline.extract.entities import EntityIndex

__all__ = [
    "choose_representatives",
    "group_claims",
    "is_factual",
    "mark_contested",
    "same_claim",
]

KNN = 30  # embedding neighbours per statement (docs/crosscheck.md: candidate recall on ECB+ train 0.86)
FLOOR = 0.35  # embedding cosine below which a pair is not even scored (the old 6 and 0.55 kept 0.52)
LEXICAL_FLOOR = 0.25  # the same for the bag-of-stems cosine (embedder=False)
KNN_WINDOW = 8_192  # neighbours are looked for among this many statements nearest in publication order (all
# of them in a story of fewer: never reached on the datasets' stories; docs/crosscheck.md)
CORE = 3  # members of each cluster whose pairs must mostly match for a merge
VETO_MODES = ("all", "conflicts", "none")
MAX_CROSS = 400  # cross pairs checked for vetoes at a merge (an even sample beyond)
BLOCK_CAP = 60  # entity/date blocks larger than this are left to the neighbours
ANCHOR_COSINE = 0.6  # a shared figure of one counted deed plus this cosine is one claim (docs/crosscheck.md)
ANCHOR_DISTINCT = 20  # figures this large are specific enough to outweigh disagreeing dates or people
OCCASION_DAYS = 7  # the same small count published this many days apart, undated, is another occasion

_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REPORTING = frozenset(
    ["say", "tell", "report", "add", "state", "claim", "note", "write", "describe", "accord", "confirm",
     "announce", "insist", "warn"]
)
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
    return tuple(v for v in values if ABS_DATE_RE.fullmatch(v))


def is_factual(statement: Statement) -> bool:
    """A statement that can be checked: it names an entity, an absolute date, a figure or an event, is not
    a question, and is not only a quotation with its cue ("\\"...\\", she said.")."""
    text = statement.span.text.strip()
    if not (statement.entities or _absolute(statement.dates) or statement.figures or statement.events):
        return False
    if text.rstrip("\"'\u201d\u2019) ").endswith("?"):
        return False
    outside = QUOTED_RE.sub(" ", text)
    return not (outside != text and len(words(outside)) <= 4)


# --------------------------------------------------------------------------- vectors


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
    out /= norms  # in place: at 10,000 articles a second matrix was another 0.5 GB
    return out


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
    published: str | None = None  # publication day (YYYY-MM-DD)


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


def _days_apart(a: str, b: str) -> int:
    from datetime import date

    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _other_occasion(a: _Info, b: _Info, na: tuple[float, ...], nb: tuple[float, ...]) -> bool:
    """The same small count ("killed three") in statements published at least OCCASION_DAYS apart, with no
    absolute date in common: two strikes that each killed three, weeks apart, are two facts.  Counts of
    ANCHOR_DISTINCT or more are specific enough to be one fact restated later ("the 239 people on board")."""
    if not (a.published and b.published) or _days_apart(a.published, b.published) < OCCASION_DAYS:
        return False
    if any(_compatible(x, y) for x in a.dates for y in b.dates):
        return False
    shared = set(na) & set(nb)
    return bool(shared) and max(shared) < ANCHOR_DISTINCT


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
            if act_a == act_b and not same_entity(who_a, who_b):
                return True
    return False


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
                    actors.append((ev.action, entity_key(st.source, ev.actor, index) or ev.actor.lower()))
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
                published=st.published[:10] if st.published and _DAY_RE.match(st.published) else None,
            )
        )
    return out


class _Judge:
    """Decides pairs of factual statements with the fitted pair model (``storyline.crosscheck.pairs``),
    caching every decision.  ``vetoes`` (one of VETO_MODES) says which hard rules overrule the model:
    "conflicts" keeps a statement and its contradiction apart (figures of one deed that disagree; a negation
    or an opposite outcome word on one side only while the words are otherwise largely shared; a plan or
    promise against the deed), "all" adds
    the structural vetoes of ``_vetoed`` (dates, people, actors), "none" trusts the model alone."""

    def __init__(self, texts: list[str], infos: list[_Info], scorer: PairScorer, threshold: float,
                 vetoes: str = "conflicts", linkage: float = 0.5, same_article: float | None = None) -> None:
        if vetoes not in VETO_MODES:
            raise ValueError(f"vetoes must be one of {VETO_MODES}, not {vetoes!r}")
        self.texts = texts
        self.infos = infos
        self.scorer = scorer
        self.threshold = threshold
        self.vetoes = vetoes
        self.linkage = linkage  # share of the core pairs of two clusters that must match for a merge
        self.same_article = same_article  # threshold for two statements of one article (None: never)
        analysed = [analyse(t) for t in texts]  # kept: a large story's texts overflow analyse's cache
        self.numbers = [x.numbers for x in analysed]
        self.negated = [x.negated for x in analysed]  # the text's own, not the statement's parsed negation
        self.marks = [opposite_marks(x) for x in analysed]
        # decisions (same, score, vetoed): the candidate pairs' in arrays by pair code (i * n + j, sorted;
        # ``decide_candidates``), any other pair asked for in a dict
        self.cache: dict[tuple[int, int], tuple[bool, float, bool]] = {}
        self.codes: Any = None
        self.same: Any = None
        self.score: Any = None
        self.vetoes_found: Any = None

    def vetoed(self, i: int, j: int) -> bool:
        """Whether a hard rule of the chosen mode keeps statements ``i`` and ``j`` apart."""
        if self.vetoes == "none":
            return False
        a, b = self.infos[i], self.infos[j]
        if self.vetoes == "all" and _vetoed(a, b, _figure_anchor(a, b)):
            return True
        if _numbers_clash(a, b, self.numbers[i], self.numbers[j]):
            return True
        if _other_occasion(a, b, self.numbers[i], self.numbers[j]):
            return True
        ra, rb = _irrealis(self.texts[i]), _irrealis(self.texts[j])
        if ra != rb and not _figure_anchor(a, b) and not (b.future if ra else a.future):
            # a plan and a deed ("promised to lead a march", "led a march") -- unless the "deed" is itself
            # about a day still to come ("takes effect on Tuesday" and "is set to take effect on Tuesday")
            return True
        ca, cb = self.scorer.content[i], self.scorer.content[j]  # the scorer's views are these texts
        overlap = len(ca & cb) / max(1, len(ca), len(cb))
        return overlap >= load_model().negation_veto_overlap and (
            self.negated[i] != self.negated[j] or marks_opposed(self.marks[i], self.marks[j]))

    def _decide(self, i: int, j: int) -> tuple[bool, float, bool]:
        one = self.infos[i].source == self.infos[j].source
        if (one and self.same_article is None) or self.vetoed(i, j):
            return (False, 0.0, True)
        if self.texts[i] == self.texts[j]:
            return (True, 1.0, False)
        p = self.scorer.probability(i, j)
        if one:  # the same event restated within one article: no figure anchor, its own threshold
            return (p >= self.same_article, p, False)
        if p < self.threshold and _figure_anchor(self.infos[i], self.infos[j]) and (
            float(self.scorer.vectors[i] @ self.scorer.vectors[j]) >= ANCHOR_COSINE
        ):
            # the same figure of the same counted deed ("at least 61 people killed"), worded differently
            return (True, self.threshold, False)
        return (p >= self.threshold, p, False)

    def decide_candidates(self, codes: numpy.ndarray) -> None:
        """Decide the candidate pairs, given as sorted distinct codes ``i * n + j`` (i < j), into arrays: a
        10,000-article story has millions, and a dict of tuples held about 190 bytes a pair."""
        import numpy as np

        n = len(self.infos)
        same, score, vetoed = (np.zeros(len(codes), dtype=t) for t in (bool, np.float64, bool))
        for lo in range(0, len(codes), 65_536):
            for k, code in enumerate(codes[lo : lo + 65_536].tolist(), start=lo):
                same[k], score[k], vetoed[k] = self._decide(*divmod(code, n))
        self.codes, self.same, self.score, self.vetoes_found = codes, same, score, vetoed

    def edges(self) -> Iterator[tuple[float, tuple[int, int]]]:
        """The candidate pairs judged the same, strongest first (ties by pair), with their scores."""
        import numpy as np

        if self.codes is None:
            return
        n = len(self.infos)
        pos = np.flatnonzero(self.same)
        order = pos[np.lexsort((self.codes[pos], -self.score[pos]))]
        for code, score in zip(self.codes[order].tolist(), self.score[order].tolist(), strict=True):
            yield score, divmod(code, n)

    def decide(self, pairs: Sequence[tuple[int, int]]) -> None:
        for i, j in pairs:
            self.get(i, j)

    def get(self, i: int, j: int) -> tuple[bool, float, bool]:
        key = (i, j) if i < j else (j, i)
        if self.codes is not None and len(self.codes):
            code = key[0] * len(self.infos) + key[1]
            k = int(self.codes.searchsorted(code))
            if k < len(self.codes) and int(self.codes[k]) == code:
                return bool(self.same[k]), float(self.score[k]), bool(self.vetoes_found[k])
        if key not in self.cache:
            self.cache[key] = self._decide(*key)
        return self.cache[key]


def _cross_vetoed(a: list[int], b: list[int], judge: _Judge) -> bool:
    """Whether a hard rule separates any pair of the two clusters (every pair up to MAX_CROSS pairs, an even
    sample beyond)."""
    total = len(a) * len(b)
    if total <= MAX_CROSS:
        return any(judge.vetoed(x, y) for x in a for y in b)
    step = total / MAX_CROSS  # the pairs are numbered as listed x by x, and every step-th is taken
    picks = (divmod(int(k * step), len(b)) for k in range(MAX_CROSS))
    return any(judge.vetoed(a[p], b[q]) for p, q in picks)


def _linked(core: list[tuple[int, int]], judge: _Judge) -> bool:
    """Whether the pairs across two clusters' cores match well enough for a merge, none vetoed."""
    judge.decide(core)
    results = [judge.get(x, y) for x, y in core]
    return not any(r[2] for r in results) and sum(r[0] for r in results) >= judge.linkage * len(results)


def _core(members: list[int], keys: list[str]) -> list[int]:
    """The first CORE members of different origins (``keys``: a statement's independent source), so that
    wire copies of one text count once when two clusters are compared."""
    out: dict[str, int] = {}
    for m in members:
        out.setdefault(keys[m], m)
        if len(out) == CORE:
            break
    return list(out.values())


def _candidates(infos: list[_Info], vecs: numpy.ndarray, floor: float, same_article: bool = False
                ) -> numpy.ndarray:
    """Pairs worth scoring: embedding nearest neighbours, and small blocks of a shared entity or day, all of
    different sources (``same_article``: of one source too) and with a cosine of at least ``floor``.  Each
    pair (i < j) once, as the code ``i * n + j``, sorted (so in (i, j) order)."""
    import numpy as np

    n = len(infos)
    source_ids: dict[str, int] = {}
    sources = np.array([source_ids.setdefault(i.source, len(source_ids)) for i in infos])
    found: list[numpy.ndarray] = []
    k = min(KNN, n - 1)
    if k > 0:
        for lo in range(0, n, 1024):
            c0, c1 = centred_window((lo + min(n, lo + 1024)) // 2, n, KNN_WINDOW)  # the nearest published
            sims = vecs[lo : lo + 1024] @ vecs[c0:c1].T
            if same_article:
                rows_ = np.arange(sims.shape[0])
                sims[rows_, rows_ + lo - c0] = -1.0
            else:
                sims[sources[lo : lo + 1024, None] == sources[None, c0:c1]] = -1.0
            kk = min(k, c1 - c0 - 1)
            top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
            rows = np.repeat(np.arange(sims.shape[0]), kk)
            cols = top.ravel()
            keep = sims[rows, cols] >= floor
            found.append(pair_codes(rows[keep] + lo, cols[keep] + c0, n))
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
        keep = (sub[xs, ys] >= floor) & ((sources[idx[xs]] != sources[idx[ys]]) | same_article)
        found.append(pair_codes(idx[xs[keep]], idx[ys[keep]], n))
    return distinct_codes(found)  # never a statement with itself: the diagonal is -1, the blocks above it


# --------------------------------------------------------------------------- grouping


def _encode(texts: list[str], embedder: Embedder | None | bool) -> tuple[numpy.ndarray, Any, str]:
    """L2-normalised sentence vectors of ``texts``, the embedder used (None: lexical) and the model kind."""
    import numpy as np

    if embedder is False:
        return _lexical_vectors(texts), None, "lexical"
    if embedder is None or embedder is True:
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
    vecs = np.asarray(embedder.encode(texts), dtype=np.float32)  # type: ignore[union-attr]
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms, embedder, "embedding"


def _word_vectors(keys: Sequence[str], texts: Sequence[str], embedder: Any) -> dict[str, Any]:
    """Normalised embedding of each text, by key (empty without an embedder: words compare by identity)."""
    import numpy as np

    if embedder is None or not texts:
        return {}
    vecs = np.asarray(embedder.encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return dict(zip(keys, vecs / norms, strict=True))


def make_scorer(vs: Sequence[View], vecs: numpy.ndarray, embedder: Any, model: PairModel) -> PairScorer:
    """The pair scorer of one story: action-lemma and content-word vectors from ``embedder`` (None: lexical)."""
    lemmas = sorted({p.action for v in vs for p in v.props})
    wt = word_texts(vs)
    keys = sorted(wt)
    return PairScorer(vs, vecs, _word_vectors(lemmas, lemmas, embedder), model,
                      _word_vectors(keys, [wt[k] for k in keys], embedder))


def same_claim(
    a: str, b: str, *, embedder: Embedder | None | bool = None, threshold: float | None = None
) -> bool:
    """Whether two sentences (as text alone, without structure) would be put into one claim."""
    texts = [" ".join(a.split()), " ".join(b.split())]
    vecs, _emb, kind = _encode(texts, embedder)
    model = load_pair_model(kind)
    vs = [text_view(name, t) for name, t in zip("ab", texts, strict=True)]
    info = _Info("", frozenset(), frozenset(), frozenset(), frozenset(), ())
    judge = _Judge(texts, [replace(info, source="a"), replace(info, source="b")], make_scorer(vs, vecs, _emb, model),
                   model.threshold if threshold is None else threshold, model.vetoes, model.linkage)
    return judge.get(0, 1)[0]


def group_claims(
    statements: Sequence[Statement],
    independence: Independence,
    *,
    embedder: Embedder | None | bool = None,
    threshold: float | None = None,
    items: Sequence[tuple[CleanArticle, Extraction]] | None = None,
    index: EntityIndex | None = None,
    model: PairModel | None = None,
    vetoes: str | None = None,
) -> tuple[Claim, ...]:
    """Group the factual statements of different articles that assert the same thing into claims.

    ``embedder``: None loads the default sentence embedder, False works lexically (no embeddings).
    ``threshold``: the same-claim probability needed (default: the stored model's fitted threshold).
    ``items``/``index`` (optional): the articles' extractions and the entity index, which give the statements'
    propositions (events with actors as corpus entities) and figures.  ``model``: a pair model to use
    instead of the stored one (fitting); ``vetoes``: which hard rules overrule the model (one of VETO_MODES;
    default: as stored with the model, see docs/crosscheck.md).
    """
    facts = [s for s in statements if is_factual(s)]
    if not facts:
        return ()
    texts = [" ".join(s.span.text.split()) for s in facts]
    distinct = list(dict.fromkeys(texts))
    dvecs, emb, kind = _encode(distinct, embedder)
    row = {t: i for i, t in enumerate(distinct)}
    vecs = dvecs if len(distinct) == len(texts) else dvecs[[row[t] for t in texts]]  # a copy only when needed
    del dvecs
    model = model or load_pair_model(kind)
    vs = views(facts, items, index)
    scorer = make_scorer(vs, vecs, emb, model)
    infos = _infos(facts, items, index)
    judge = _Judge(texts, infos, scorer, model.threshold if threshold is None else threshold,
                   model.vetoes if vetoes is None else vetoes, model.linkage, model.same_article)

    judge.decide_candidates(_candidates(infos, vecs, LEXICAL_FLOOR if kind == "lexical" else FLOOR,
                                        model.same_article is not None))
    origins = {a: independence.origin(a) for a in {i.source for i in infos}}
    members = _merge(judge.edges(), judge, [origins[i.source] for i in infos])

    order = {s.id: n for n, s in enumerate(statements)}
    groups = []
    for idxs in members:
        sts = sorted((facts[i] for i in idxs), key=lambda s: (s.published or "~", order[s.id]))
        groups.append(sts)
    claims = [_claim(sts, independence) for sts in groups]
    claims.sort(key=lambda c: (-c.independent, c.date or "~", min(order[s] for s in c.statements)))
    return tuple(replace(c, id=f"c-{n}") for n, c in enumerate(claims, 1))


def _merge(edges: Iterable[tuple[float, tuple[int, int]]], judge: _Judge, origin: list[str]) -> list[list[int]]:
    """Merging, strongest pair first: at least ``judge.linkage`` of the pairs across the cores (first members
    of different origins) of the two clusters must match (0.5: average linkage, 1: complete linkage), no pair across them may be vetoed, and no article may appear twice (unless ``judge.same_article``)."""
    infos = judge.infos
    n = len(infos)
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sources: dict[int, set[str]] = {i: {infos[i].source} for i in range(n)}
    refused: set[tuple[int, int, int, int]] = set()  # clusters (and their sizes) a merge of which was refused
    for _score, (i, j) in edges:
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj or (judge.same_article is None and sources[ci] & sources[cj]):
            continue
        a, b = members[ci], members[cj]
        tried = (ci, cj, len(a), len(b))  # clusters only grow: the same sizes are the same members
        if tried in refused:
            continue  # the same test gives the same answer: each edge between two clusters offers them again
        core = [(x, y) for x in _core(a, origin) for y in _core(b, origin)]
        if _cross_vetoed(a, b, judge) or not _linked(core, judge):
            refused.add(tried)
            continue
        keep, drop = (ci, cj) if len(a) >= len(b) else (cj, ci)
        for x in members[drop]:
            cluster_of[x] = keep
        members[keep].extend(members.pop(drop))
        sources[keep] |= sources.pop(drop)
    return list(members.values())


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
