"""Do two sentences state the same claim?

A small logistic model combines the sentence-embedding cosine with cheap structural features:
content-word (Snowball-stemmed, ``storyline.text``) overlap both ways, word-bigram overlap, numbers and whether they
agree, overlap of capitalised (name-like) tokens, the length ratio and a negation mismatch.
Its weights and decision threshold are fitted on the MSRP train split only (``bench/msrp.py
--refit``) and stored in ``storyline/data/paraphrase.json`` (numbers only).

On top of the learned score vetoes keep conflicting claims apart, which is what a dossier needs:
numbers that both sentences give but that disagree, and -- while the words are otherwise largely
the same -- a negation on one side only or opposite outcome words ("rose"/"fell", "approved"/
"rejected"), all make ``same`` false.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storyline.errors import ModelError
from storyline.text import fold, stem, words

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from storyline.extract.embed import Embedder

__all__ = [
    "FEATURE_NAMES",
    "PairScore",
    "ParaphraseModel",
    "TextInfo",
    "analyse",
    "fit_logistic",
    "load_model",
    "numbers_agree",
    "marks_opposed",
    "opposed",
    "opposite_marks",
    "pair_features",
    "paraphrase_score",
    "paraphrase_scores",
]

MODEL_RESOURCE = "data/paraphrase.json"

FEATURE_NAMES: tuple[str, ...] = (
    "cosine",
    "overlap_min",  # shared content stems / content stems of the longer sentence
    "overlap_max",  # shared content stems / content stems of the shorter sentence
    "bigram_dice",  # Dice coefficient of lower-cased word bigrams
    "numbers_conflict",  # both give numbers and they disagree
    "numbers_one_sided",  # share of numbers that only one side gives
    "names_missing",  # share of capitalised tokens that only one side has
    "length_ratio",  # shorter / longer, in tokens
    "negation_mismatch",  # a negation on one side only
    "cosine_x_overlap",  # interaction: high cosine AND high word overlap
    "unmatched_min",  # content stems only one side has: the smaller count of the two sides
    "unmatched_max",  # ... and the larger count
    "stem1_short",  # shared stems (stopwords included) / stems of the shorter side
    "stem1_long",  # shared stems / stems of the longer side
    "stem2_short",  # the same for stem bigrams
    "stem2_long",
    "stem3_short",  # and stem trigrams
    "stem3_long",
)

# --------------------------------------------------------------------------- text analysis

_NEG_RE = re.compile(
    r"\b(?:not|never|none|nobody|nothing|neither|nor|without|cannot|nowhere|unable"
    r"|isnt|arent|wasnt|werent|dont|doesnt|didnt|wont|cant|couldnt|wouldnt|shouldnt|hasnt|havent|hadnt"
    r"|refus(?:e|es|ed|ing|al)|declin(?:e|es|ed|ing)\s+(?:to|comment)|den(?:y|ies|ied|ying|ial)"
    r"|fail(?:s|ed|ing)?\s+to|failure)\b"
    r"|\bno\b(?!\.?\s*\d|\s+(?:doubt|longer)\b)|n['\u2019]t\b",
    re.IGNORECASE,
)
_CAP_RE = re.compile(r"(?<![\w'])[A-Z][A-Za-z'\u2019.-]*[A-Za-z]|(?<![\w'])[A-Z]\b")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12,
}
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3,
}
_NUM_RE = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?:[-\s](?:one|two|three|four|five|six|seven"
    r"|eight|nine))?(?:\s+hundred)?)"
    r"(?:\s*-?\s*(?P<scale>thousand|million|billion|trillion|bn|mn|m|k)\b|(?![\w]))",
    re.IGNORECASE,
)

_STOPWORD_TEXT = """a an the and or but if of to in on at by for with from as into onto about over under after before
    than then that this these those there here it its it's he him his she her hers they them their theirs we us
    our you your i me my mine be is are was were been being am do does did done have has had having will would
    shall should can could may might must also just so such very too more most much many some any all each
    other who whom whose which what when where why how not no nor only own same s t says said say saying
    told tell tells according per cent percent mr mrs ms dr yesterday today tomorrow
    one's up down out off again further once both few while during through between against because until"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES)
_FIRST_WORD_RE = re.compile(r"\W*([A-Za-z][\w'\u2019.-]*)")
# a sentence-initial word still counts as a name when it is all capitals or has an inner capital/dot
_NAME_LIKE_RE = re.compile(r"[A-Z]{2,}\w*|\w+[A-Z.]\S*")

# verbs and adjectives that state opposite outcomes; one side using a word of A and the other a word of B
# (with neither using both) is an opposition, vetoed like a negation when the words are otherwise shared
_OPPOSITE_TEXT = """
rise rises rose risen rising climb climbed climbs increase increased increases higher gain gained gains | fall falls fell fallen falling drop dropped drops decline declined declines decrease decreased decreases lower
open opens opened reopen reopens reopened reopening | close closes closed closing shut shuts
approve approves approved approval accept accepts accepted | reject rejects rejected veto vetoes vetoed
win wins won winning | lose loses lost losing defeat defeated
convict convicts convicted conviction guilty | acquit acquits acquitted acquittal innocent
confirm confirms confirmed | deny denies denied
support supports supported backs backed | oppose opposes opposed
alive survived survives | dead died dies killed
buy buys bought | sell sells sold
hire hires hired | fire fires fired laid
allow allows allowed permit permits permitted | ban bans banned forbid forbids forbade
"""
_OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(left.split()), frozenset(right.split()))
    for left, right in (line.split("|") for line in _OPPOSITE_TEXT.strip().splitlines())
)


def opposite_marks(info: TextInfo) -> tuple[int, int]:
    """Which opposite pairs a sentence uses a left word of and a right word of (bit k: pair k)."""
    tokens = set(info.tokens)
    left = right = 0
    for k, (lw, rw) in enumerate(_OPPOSITES):
        left |= bool(tokens & lw) << k
        right |= bool(tokens & rw) << k
    return left, right


def marks_opposed(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """``opposed`` from two sentences' ``opposite_marks``."""
    (la, ra), (lb, rb) = a, b
    return bool((la & rb & ~ra & ~lb) | (ra & lb & ~la & ~rb))


def opposed(a: TextInfo, b: TextInfo) -> bool:
    """Whether one sentence uses a word of an opposite pair and the other its counterpart (and not the other
    word of that pair)."""
    return marks_opposed(opposite_marks(a), opposite_marks(b))


def _to_number(num: str, scale: str | None) -> float | None:
    text = num.lower().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        parts = re.split(r"[-\s]+", text)
        value = 0.0
        for p in parts:
            if p not in _UNITS:
                return None
            value = value * 100 if _UNITS[p] == 100 else value + _UNITS[p]
    if scale:
        value *= _SCALES[scale.lower()]
    return value


@dataclass(frozen=True)
class TextInfo:
    """What the features need to know about one sentence (computed once per distinct text)."""

    tokens: tuple[str, ...]  # lower-cased word tokens
    content: frozenset[str]  # stems of non-stopword tokens
    bigrams: frozenset[tuple[str, str]]
    grams: tuple[frozenset[tuple[str, ...]], ...]  # stem 1-, 2- and 3-grams (stopwords included)
    numbers: tuple[float, ...]
    names: frozenset[str]  # lower-cased capitalised tokens (not sentence-initial stopwords)
    negated: bool


@lru_cache(maxsize=16384)
def analyse(text: str) -> TextInfo:
    """Tokens, content stems, numbers, name-like tokens and negation of one sentence."""
    # hyphenated compounds count as their parts here ("well-known" shares "known"): chosen on MSRP train CV
    tokens = tuple(p for t in words(text) for p in fold(t).split("-") if p)
    content = frozenset(
        stem(t) for t in tokens if t not in _STOPWORDS and t not in _NUMBER_WORDS and not t[0].isdigit()
    )
    bigrams = frozenset(zip(tokens, tokens[1:], strict=False))
    stems = [stem(t) for t in tokens]
    grams = tuple(frozenset(zip(*(stems[i:] for i in range(n)), strict=False)) for n in (1, 2, 3))
    numbers: list[float] = []
    for m in _NUM_RE.finditer(text):
        num = m.group("num")
        scale = m.group("scale")
        if scale and scale.lower() in ("m", "k") and not num[0].isdigit():
            scale = None
        if num.lower() == "one" and not scale:
            continue  # "one of the ..." is rarely a figure
        value = _to_number(num, scale)
        if value is not None:
            numbers.append(value)
    first = _FIRST_WORD_RE.match(text)
    skip = first.start(1) if first and not _NAME_LIKE_RE.fullmatch(first.group(1)) else -1
    names = frozenset(
        m.group(0).lower().rstrip(".")
        for m in _CAP_RE.finditer(text)
        if m.start() != skip and m.group(0).lower() not in _STOPWORDS
    )
    return TextInfo(tokens, content, bigrams, grams, tuple(numbers), names, bool(_NEG_RE.search(text)))


def _sig_round(x: float, digits: int) -> float:
    if x == 0:
        return 0.0
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def _sig_digits(x: float) -> int:
    """Significant digits of a number (trailing zeros do not count: 1.2 billion has two)."""
    mantissa = f"{abs(x):.10g}".split("e")[0]
    return max(1, len(mantissa.replace(".", "").strip("0")))


def _same_number(x: float, y: float) -> bool:
    if x == y:
        return True
    if x == 0 or y == 0:
        return False
    dx, dy = _sig_digits(x), _sig_digits(y)
    coarse, fine = (x, y) if dx <= dy else (y, x)
    digits = min(dx, dy)
    # "1.2 billion" may round "1.23 billion" and "12" may round "12.4"; one significant digit
    # ("4" vs "4.5") may not, nor may a whole number round another ("2020" vs "2021")
    looks_rounded = fine != int(fine) or coarse % 100 == 0
    return digits >= 2 and looks_rounded and _sig_round(fine, digits) == _sig_round(coarse, digits)


def numbers_agree(a: Sequence[float], b: Sequence[float]) -> bool | None:
    """None when either side gives no number; else whether every number of the side giving fewer
    distinct numbers appears (allowing rounding to two or more significant digits) on the other."""
    sa, sb = sorted(set(a)), sorted(set(b))
    if not sa or not sb:
        return None
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return all(any(_same_number(x, y) for y in big) for x in small)


def _unmatched(a: Sequence[float], b: Sequence[float]) -> int:
    sa, sb = set(a), set(b)
    return sum(1 for x in sa if not any(_same_number(x, y) for y in sb)) + sum(
        1 for y in sb if not any(_same_number(x, y) for x in sa)
    )


def pair_features(a: TextInfo, b: TextInfo, cosine: float) -> tuple[float, ...]:
    """The feature vector (in FEATURE_NAMES order) of two analysed sentences and their cosine."""
    shared = len(a.content & b.content)
    na, nb = len(a.content), len(b.content)
    overlap_min = shared / max(na, nb) if max(na, nb) else 1.0
    overlap_max = shared / min(na, nb) if min(na, nb) else (1.0 if na == nb else 0.0)
    nbig = len(a.bigrams) + len(b.bigrams)
    bigram_dice = 2 * len(a.bigrams & b.bigrams) / nbig if nbig else 1.0
    agree = numbers_agree(a.numbers, b.numbers)
    conflict = 1.0 if agree is False else 0.0
    n_nums = len(set(a.numbers)) + len(set(b.numbers))
    one_sided = _unmatched(a.numbers, b.numbers) / n_nums if n_nums else 0.0
    names_union = a.names | b.names
    names_missing = len(a.names ^ b.names) / len(names_union) if names_union else 0.0
    la, lb = len(a.tokens), len(b.tokens)
    length_ratio = min(la, lb) / max(la, lb) if max(la, lb) else 1.0
    negation = 1.0 if a.negated != b.negated else 0.0
    grams: list[float] = []
    for ga, gb in zip(a.grams, b.grams, strict=True):
        shared_g = len(ga & gb)
        short, long_ = sorted((len(ga), len(gb)))
        grams += [shared_g / short if short else float(long_ == 0), shared_g / long_ if long_ else 1.0]
    return (
        float(cosine), overlap_min, overlap_max, bigram_dice, conflict, one_sided, names_missing,
        length_ratio, negation, float(cosine) * overlap_min,
        float(min(na - shared, nb - shared, 15)), float(min(max(na - shared, nb - shared), 15)),
        *grams,
    )


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class ParaphraseModel:
    """Standardisation, logistic weights and threshold, as fitted on MSRP train."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    negation_veto_overlap: float = 0.6  # veto a negation mismatch when overlap_min >= this

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParaphraseModel:
        feats = tuple(data["features"])
        if feats != FEATURE_NAMES:
            raise ModelError(
                f"paraphrase model features {feats} do not match this storyline version; "
                "refit with: python bench/msrp.py --refit"
            )
        return cls(
            features=feats,
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            negation_veto_overlap=float(data.get("negation_veto_overlap", 0.6)),
        )


@lru_cache(maxsize=1)
def load_model() -> ParaphraseModel:
    """The stored model (``storyline/data/paraphrase.json``)."""
    try:
        text = resources.files("storyline").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
        data = json.loads(text)
        return ParaphraseModel.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"paraphrase weights storyline/{MODEL_RESOURCE} cannot be read ({exc.__class__.__name__}); "
            "reinstall storyline or refit with: python bench/msrp.py --refit"
        ) from exc


def fit_logistic(
    x: numpy.ndarray, y: numpy.ndarray, *, l2: float = 1.0, iterations: int = 50
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, float]:
    """Fit an L2-regularised logistic regression by Newton's method (deterministic).

    Returns ``(mean, scale, weights, bias)``; features are standardised with mean/scale first.
    """
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0  # no penalty on the bias
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return mean, scale, w[:-1], float(w[-1])


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class PairScore:
    """cosine: embedding cosine; lexical: Dice overlap of content stems; numbers_agree: None when
    either side gives no number; score: model probability; same: the decision (score over the
    threshold and no veto)."""

    cosine: float
    lexical: float
    numbers_agree: bool | None
    score: float
    same: bool


def _decide(a: TextInfo, b: TextInfo, cosine: float, model: ParaphraseModel) -> PairScore:
    # rounded so that the result does not depend on which other sentences shared the batch
    cosine = round(float(cosine), 5)
    feats = pair_features(a, b, cosine)
    prob = model.probability(feats)
    agree = numbers_agree(a.numbers, b.numbers)
    denom = len(a.content) + len(b.content)
    lexical = 2 * len(a.content & b.content) / denom if denom else 1.0
    overlap_min = feats[1]
    veto = agree is False or (
        overlap_min >= model.negation_veto_overlap and (a.negated != b.negated or opposed(a, b))
    )
    return PairScore(
        cosine=cosine,
        lexical=lexical,
        numbers_agree=agree,
        score=prob,
        same=bool(prob >= model.threshold and not veto),
    )


def paraphrase_scores(
    pairs: Sequence[tuple[str, str]], *, embedder: Embedder | None = None, batch_size: int = 64
) -> list[PairScore]:
    """Score many pairs, embedding each distinct sentence once."""
    import numpy as np

    if not pairs:
        return []
    if embedder is None:
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
    model = load_model()
    index: dict[str, int] = {}
    for a, b in pairs:
        index.setdefault(a, len(index))
        index.setdefault(b, len(index))
    vecs = embedder.encode(list(index), batch_size=batch_size)
    out: list[PairScore] = []
    for a, b in pairs:
        cos = float(np.dot(vecs[index[a]], vecs[index[b]]))
        cos = min(1.0, max(-1.0, cos))
        out.append(_decide(analyse(a), analyse(b), cos, model))
    return out


def paraphrase_score(a: str, b: str, *, embedder: Embedder | None = None) -> PairScore:
    """Do ``a`` and ``b`` state the same claim?"""
    return paraphrase_scores([(a, b)], embedder=embedder)[0]
