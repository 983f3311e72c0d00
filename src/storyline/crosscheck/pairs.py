"""The same-claim pair model: do two statements of different sources assert the same fact?

A statement carries one or more propositions: the ``Event``s extracted inside it (action lemma, actor,
target, when, where, negation), or the statement alone when it has none.  The feature vector of a pair
(``FEATURES``) joins statement-level features (sentence-embedding cosine, the MSRP paraphrase probability of
``similarity``, shared content words weighted by how rare they are in the story, soft word overlap through
word embeddings, the same without names, entities, absolute dates, numbers and figures, negation, plan against
deed) with the best proposition-pair features (the same action lemma, the action-lemma embedding cosine,
actor/target/place as corpus entities, compatible times).

A logistic regression scores the vector.  Its weights, its standardisation, its decision threshold and the
claims options chosen with it (veto mode, linkage) were fitted on ECB+ train topics by
``bench/claims_model.py --refit`` (the docstring there says exactly how) and are stored in
``storyline/data/claimpair.json`` (numbers and feature names only); scoring needs numpy only.  Two
weight sets are stored: ``embedding`` (MiniLM cosines) and ``lexical`` (the embedding-free fallback, whose
cosines are hashed tf-idf bags and whose action similarity is lemma identity).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storyline.crosscheck.similarity import analyse, load_model, numbers_agree, pair_features
from storyline.errors import ModelError
from storyline.records import CleanArticle, Extraction, Statement
from storyline.text import fold, stem, words

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from storyline.extract.entities import EntityIndex

__all__ = [
    "FEATURES",
    "PairModel",
    "PairScorer",
    "Proposition",
    "View",
    "ABS_DATE_RE",
    "QUOTED_RE",
    "irrealis",
    "load_pair_model",
    "same_entity",
    "text_view",
    "views",
    "word_texts",
]

MODEL_RESOURCE = "data/claimpair.json"

FEATURES: tuple[str, ...] = (
    "cosine",  # sentence-embedding cosine of the two statements
    "msrp",  # the MSRP-trained paraphrase probability (similarity.py)
    "idf_overlap",  # idf mass of shared content stems / the smaller side's idf mass
    "rare_shared",  # idf of the rarest shared content stem / log(statements + 1); 0 when none is shared
    "content_jaccard",  # shared / all content stems
    "entities_shared",  # corpus entities both name (capped at 3)
    "entities_disjoint",  # both name entities, none in common
    "dates_shared",  # an absolute date (year, month or day) both give, or one within the other
    "dates_clash",  # both give absolute dates, none compatible
    "numbers_agree",  # both give numbers and they agree
    "numbers_clash",  # both give numbers and they disagree
    "negation_mismatch",  # one is negated, the other not
    "plan_mismatch",  # one is a plan or promise, the other not
    "headline",  # one side has no closing punctuation (a headline, a caption)
    "short",  # log(1 + content stems of the shorter side)
    "same_action",  # two propositions with the same action lemma
    "action_cosine",  # best embedding cosine of two propositions' action lemmas (identity when lexical)
    "actor_same",  # a proposition pair with the same action (cosine >= ACTION_NEAR) and the same actor
    "actor_clash",  # ... with actors both known and different
    "target_same",  # ... the same target
    "place_same",  # ... the same place
    "when_same",  # ... compatible absolute times
    "when_clash",  # ... incompatible absolute times
    "no_proposition",  # one side has no extracted event (the statement is its own proposition)
    "cosine_x_idf",  # interaction: cosine * idf_overlap
    "soft_overlap",  # idf-weighted mean, over the shorter side's content words, of the best word-embedding
    #                  cosine to a word of the other side ("talks" ~ "dialogue"); exact stems when lexical
    "soft_overlap_long",  # the same from the longer side
    "plain_overlap",  # idf_overlap over the words that are not names: what is said, not who it is about
    "plain_soft",  # soft_overlap over those words
    "names_not_plain",  # interaction: shares a name or entity * (1 - plain_soft)
    "figure_same",  # both give one extracted figure of the same counted deed ("at least 61 people killed")
)
MIN_STORY = 50  # idf counts a story as at least this many statements, so that a bare pair (same_claim) or a
#                 tiny story does not make every shared word common; every ECB+ topic has 80 or more
SIDE_CACHE = 65_536  # items whose _soft parts are kept at a time (a story's pairs come sorted by item)
ACTION_NEAR = 0.6  # action lemmas this close count as "the same action" for the argument features (stated in
#                    docs/crosscheck.md: "talk"/"discuss", "kill"/"slay" reach it, "say"/"kill" do not)

ABS_DATE_RE = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_IRREALIS_RE = re.compile(
    r"\b(?:going to|(?:plan|promise|pledge|vow|threaten|intend|hope|expect|aim|want|seek|offer|propose)"
    r"(?:s|d|ed)?\s+to|(?:is|are|was|were)\s+(?:due|set|expected|scheduled|likely|poised|about)\s+to"
    r"|plans?\s+for)\b",
    re.IGNORECASE,
)
QUOTED_RE = re.compile(r"[\"\u201c\u201d][^\"\u201c\u201d]*(?:[\"\u201c\u201d]|$)")
_TERMINAL_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_DETERMINERS = frozenset(["a", "an", "the", "its", "their", "his", "her", "our", "this", "that"])


# --------------------------------------------------------------------------- what a statement carries


@dataclass(frozen=True)
class Proposition:
    """One clause: who does what to whom, when and where (keys are corpus entity ids where known)."""

    action: str
    actor: str | None = None
    target: str | None = None
    when: str | None = None  # an absolute TIMEX value, else None
    where: str | None = None
    negated: bool = False


@dataclass(frozen=True)
class View:
    """What the features read of one statement."""

    source: str
    text: str
    entities: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()  # absolute TIMEX values
    negated: bool = False
    props: tuple[Proposition, ...] = ()
    figures: frozenset[tuple[float, str]] = frozenset()  # (value, what it counts) of extracted figures


def text_view(source: str, text: str) -> View:
    """A View of a bare sentence (no extraction): its text and whether it is negated."""
    text = " ".join(text.split())
    return View(source=source, text=text, negated=analyse(text).negated)


def entity_key(aid: str, name: str | None, index: EntityIndex | None) -> str | None:
    """The corpus entity id of an article's mention key, else the last content word of the surface."""
    if not name:
        return None
    if index is not None:
        ent = index.resolve(aid, name)
        if ent is not None:
            return ent.id
    ws = [fold(w) for w in words(name)]
    ws = [w for w in ws if w not in _DETERMINERS]
    return ws[-1] if ws else None


def same_entity(a: str, b: str) -> bool:
    """The same entity, or one named by the other's head words ("org:council", "org:northern-seas-council")."""
    if a == b:
        return True
    ka, _, ra = a.partition(":")
    kb, _, rb = b.partition(":")
    if not (ra and rb):  # a bare head word against an entity id: compare the head words
        wa = (ra or ka).split("-")
        wb = (rb or kb).split("-")
        return wa[-1] == wb[-1]
    wa, wb = ra.split("-"), rb.split("-")
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return ka == kb and long_[len(long_) - len(short) :] == short


def _absolute(value: str | None) -> str | None:
    return value if value and ABS_DATE_RE.fullmatch(value) else None


def _props(st: Statement, aid: str, ext: Extraction | None, index: EntityIndex | None) -> tuple[Proposition, ...]:
    if ext is None:
        return ()
    out = []
    for i in st.events:
        if i >= len(ext.events):
            continue
        ev = ext.events[i]
        out.append(
            Proposition(
                action=ev.action.lower(),
                actor=entity_key(aid, ev.actor, index),
                target=entity_key(aid, ev.target, index),
                when=_absolute(ev.when),
                where=entity_key(aid, ev.where, index),
                negated=ev.negated,
            )
        )
    return tuple(out)


def _figures(st: Statement, ext: Extraction | None) -> frozenset[tuple[float, str]]:
    """(value, counted deed) of the statement's figures that count a deed ("people killed"), value 2 or more."""
    if ext is None:
        return frozenset()
    out = set()
    for i in st.figures:
        if i < len(ext.figures):
            f = ext.figures[i]
            counted = " ".join((f.counts or "").lower().split())
            if " " in counted and f.value >= 2:
                out.add((float(f.value), counted))
    return frozenset(out)


def views(
    statements: Sequence[Statement],
    items: Sequence[tuple[CleanArticle, Extraction]] | None = None,
    index: EntityIndex | None = None,
) -> list[View]:
    """One View per statement; without ``items`` the statements have no propositions."""
    exts = {clean.article.id: ext for clean, ext in items or ()}
    out = []
    for st in statements:
        out.append(
            View(
                source=st.source,
                text=" ".join(st.span.text.split()),
                entities=frozenset(st.entities),
                dates=frozenset(d for d in st.dates if ABS_DATE_RE.fullmatch(d)),
                negated=st.negated,
                props=_props(st, st.source, exts.get(st.source), index),
                figures=_figures(st, exts.get(st.source)),
            )
        )
    return out


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class PairModel:
    """Logistic weights over standardised FEATURES, and the decision threshold."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    vetoes: str = "conflicts"  # which of claims' hard rules overrule the model (claims.VETO_MODES)
    linkage: float = 0.5  # share of core pairs that must match when claims merge two clusters
    same_article: float | None = None  # threshold for two statements of one article (None: never one claim)

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale,
                                                                   strict=True))
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PairModel:
        return cls(
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            vetoes=str(data.get("vetoes", "conflicts")),
            linkage=float(data.get("linkage", 0.5)),
            same_article=None if data.get("same_article") is None else float(data["same_article"]),
        )


@lru_cache(maxsize=2)
def load_pair_model(kind: str = "embedding") -> PairModel:
    """The stored model of ``kind`` ("embedding" or "lexical") from ``storyline/data/claimpair.json``."""
    try:
        data = json.loads(resources.files("storyline").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError("feature names differ")
        model = PairModel.from_dict(data["models"][kind])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"same-claim pair model storyline/{MODEL_RESOURCE} ({kind}) cannot be read ({exc}); "
            "reinstall storyline or refit with: python bench/claims_model.py --refit"
        ) from exc
    if len(model.weights) != len(FEATURES):
        raise ModelError(f"storyline/{MODEL_RESOURCE}: {len(model.weights)} weights for {len(FEATURES)} features")
    return model


# --------------------------------------------------------------------------- features


def word_texts(items: Sequence[View]) -> dict[str, str]:
    """Content stem -> the first word written for it in the story (what gets a word embedding)."""
    out: dict[str, str] = {}
    for v in items:
        info = analyse(v.text)
        for w in info.tokens:
            st = stem(w)
            if st in info.content and st not in out:
                out[st] = w
    return out


def _dates_relation(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    if not (a and b):
        return 0.0, 0.0
    if any(x.startswith(y) or y.startswith(x) for x in a for y in b):
        return 1.0, 0.0
    return 0.0, 1.0


@lru_cache(maxsize=65536)
def irrealis(text: str) -> bool:
    """A plan, promise or expectation ("promised to", "is set to"), outside quotation marks."""
    return bool(_IRREALIS_RE.search(QUOTED_RE.sub(" ", text)))


def _sentence(text: str) -> bool:
    return bool(_TERMINAL_RE.search(text))


class PairScorer:
    """Features and probabilities of statement pairs of one story.

    ``vectors``: one L2-normalised sentence vector per view; ``action_vectors``: lemma -> normalised vector
    (empty: actions compare by identity).  Content-word rarity is counted over the given views."""

    def __init__(self, items: Sequence[View], vectors: numpy.ndarray, action_vectors: Mapping[str, Any],
                 model: PairModel, word_vectors: Mapping[str, Any] | None = None) -> None:
        import numpy as np

        self.items = items
        self.vectors = vectors
        self.actions = action_vectors
        self.model = model
        infos = [analyse(v.text) for v in items]
        self.content = [i.content for i in infos]
        self.plain = [c - {stem(n) for n in i.names} for c, i in zip(self.content, infos, strict=True)]
        self.names = [i.names for i in infos]
        self.words = word_vectors or {}
        dim = next(iter(self.words.values())).shape[0] if self.words else 0
        self._wmat = [
            np.stack([self.words[w] for w in sorted(c)]) if dim and c and all(w in self.words for w in c) else None
            for c in self.content
        ]
        df: Counter[str] = Counter()
        for c in dict.fromkeys(frozenset(c) for c in self.content):
            df.update(c)
        n = max(MIN_STORY, len(set(self.content)))
        self.log_n = math.log(n + 1)
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self._action_cos: dict[tuple[str, str], float] = {}
        self._sides: dict[tuple[int, bool], tuple] = {}

    def _action_cosine(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        key = (a, b) if a < b else (b, a)
        if key not in self._action_cos:
            va, vb = self.actions.get(a), self.actions.get(b)
            self._action_cos[key] = float(va @ vb) if va is not None and vb is not None else 0.0
        return self._action_cos[key]

    def _props(self, a: View, b: View) -> list[float]:
        same = cos = actor_same = actor_clash = target_same = place_same = when_same = when_clash = 0.0
        for p in a.props:
            for q in b.props:
                c = self._action_cosine(p.action, q.action)
                cos = max(cos, c)
                same = max(same, float(p.action == q.action))
                if c < ACTION_NEAR:
                    continue
                if p.actor and q.actor:
                    if same_entity(p.actor, q.actor):
                        actor_same = 1.0
                    else:
                        actor_clash = 1.0
                target_same = max(target_same, float(bool(p.target and q.target and same_entity(p.target, q.target))))
                place_same = max(place_same, float(bool(p.where and q.where and same_entity(p.where, q.where))))
                if p.when and q.when:
                    ok = p.when.startswith(q.when) or q.when.startswith(p.when)
                    when_same, when_clash = max(when_same, float(ok)), max(when_clash, float(not ok))
        none = float(not (a.props and b.props))
        return [same, cos, actor_same, actor_clash, target_same, place_same, when_same, when_clash, none]

    def _side(self, i: int, plain: bool) -> tuple[list[bool] | None, list[str], Any, float]:
        """Item ``i``'s parts for ``_soft``: which of its sorted content words are kept (``plain``: those not
        in names; None: all), the kept ones, their idf (array) and its sum; cached (bounded) since an item
        meets many partners."""
        got = self._sides.get((i, plain))
        if got is None:
            import numpy as np

            words = sorted(self.content[i])
            keep = [w in self.plain[i] for w in words] if plain else None
            kept = [w for w, k in zip(words, keep, strict=True) if k] if keep is not None else words
            idf = [self.idf[w] for w in kept]
            if len(self._sides) >= SIDE_CACHE:
                self._sides.clear()
            got = self._sides[(i, plain)] = (keep, kept, np.array(idf, dtype=np.float64), sum(idf))
        return got

    def _soft(self, i: int, j: int, plain: bool = False) -> tuple[float, float]:
        """Idf-weighted soft overlap from each side (best word cosine, or exact stem match without vectors),
        over all content words or (``plain``) over those that are not names.  Each side's sum is added in
        word order, as a Python ``sum`` (the same bits as before the per-item parts were cached)."""
        import numpy as np

        keep_a, wa, idf_a, sum_a = self._side(i, plain)
        keep_b, wb, idf_b, sum_b = self._side(j, plain)
        if not (wa and wb):
            return 0.0, 0.0
        ma, mb = self._wmat[i], self._wmat[j]
        if ma is not None and mb is not None:
            if plain:
                ma, mb = ma[keep_a], mb[keep_b]
            elif ma is mb:  # an item with itself: numpy would take BLAS's symmetric product, other last bits
                mb = mb.copy()
            sims = ma @ mb.T
            sa = sum((idf_a * np.maximum(sims.max(axis=1), 0.0)).tolist()) / sum_a
            sb = sum((idf_b * np.maximum(sims.max(axis=0), 0.0)).tolist()) / sum_b
        else:
            sa_set, sb_set = set(wa), set(wb)
            sa = sum(x * float(w in sb_set) for w, x in zip(wa, idf_a.tolist(), strict=True)) / sum_a
            sb = sum(x * float(w in sa_set) for w, x in zip(wb, idf_b.tolist(), strict=True)) / sum_b
        return (sa, sb) if len(wa) <= len(wb) else (sb, sa)

    def _plain(self, i: int, j: int) -> list[float]:
        pa, pb = self.plain[i], self.plain[j]
        ma, mb = sum(self.idf[w] for w in pa), sum(self.idf[w] for w in pb)
        overlap = sum(self.idf[w] for w in pa & pb) / min(ma, mb) if min(ma, mb) > 0 else 0.0
        soft = self._soft(i, j, plain=True)[0]
        named = bool(self.items[i].entities & self.items[j].entities or self.names[i] & self.names[j])
        return [overlap, soft, float(named) * (1.0 - soft)]

    def features(self, i: int, j: int) -> list[float]:
        a, b = self.items[i], self.items[j]
        ta, tb = analyse(a.text), analyse(b.text)
        cosine = max(-1.0, min(1.0, float(self.vectors[i] @ self.vectors[j])))
        msrp = load_model().probability(pair_features(ta, tb, cosine))
        ca, cb = self.content[i], self.content[j]
        shared = ca & cb
        wa, wb = sum(self.idf[w] for w in ca), sum(self.idf[w] for w in cb)
        ws = sum(self.idf[w] for w in shared)
        idf_overlap = ws / min(wa, wb) if min(wa, wb) > 0 else 0.0
        rare = max((self.idf[w] for w in shared), default=0.0) / self.log_n
        union = ca | cb
        ents = a.entities & b.entities
        agree = numbers_agree(ta.numbers, tb.numbers)
        return [
            cosine,
            msrp,
            idf_overlap,
            rare,
            len(shared) / len(union) if union else 0.0,
            float(min(3, len(ents))),
            float(bool(a.entities and b.entities and not ents)),
            *_dates_relation(a.dates, b.dates),
            float(agree is True),
            float(agree is False),
            float(a.negated != b.negated),
            float(irrealis(a.text) != irrealis(b.text)),
            float(not (_sentence(a.text) and _sentence(b.text))),
            math.log1p(min(len(ca), len(cb))),
            *self._props(a, b),
            cosine * idf_overlap,
            *self._soft(i, j),
            *self._plain(i, j),
            float(bool(a.figures & b.figures)),
        ]

    def probability(self, i: int, j: int) -> float:
        return self.model.probability(self.features(i, j))
