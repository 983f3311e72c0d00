"""Group articles by the story they cover.

A user's pile may mix several stories and off-topic pages; ``cluster_articles`` groups them so each
story can be analysed on its own.  It is offline and deterministic, and by default needs no NLP model:

1. Terms: lower-cased content words (spaCy's stop list plus news boilerplate removed; lower-case words
   stemmed by ``storyline.text.stem``) and, for runs of capitalised words inside a sentence, the whole name as one
   extra term ("manuel valls").  A word capitalised in most of its uses in an article (Title Case
   headlines do not count) weighs ``NAME_BOOST`` times; words in the first ``LEAD_CHARS`` characters
   (headline and lead) count ``LEAD_BOOST`` times.
2. Weights: sublinear tf (1 + ln tf) x smoothed idf; each article keeps its ``TOP_TERMS`` strongest
   terms, L2-normalised.
3. Similarity: cosine, accumulated through an inverted index (numpy; no scipy).
4. Clustering: average linkage (UPGMA) by the nearest-neighbour-chain algorithm, O(n^2) time and
   memory, cut top down with a size-aware threshold: a merge of groups A and B stands when the mean
   similarity of their |A| x |B| article pairs is at least ``threshold * r(|A| |B|)``, where ``r`` falls
   from 1 (two single articles) to about 0.56 (64 pairs or more).  ``r`` is calibrated, like the
   threshold, on PolNeAR pairs that cannot share a story (``SIZE_RATIO``): a mean over many unrelated
   pairs varies less than one pair, so a lower mean is already evidence.  With one fixed threshold a page
   on a side thread of a big story (a victim's portrait, a club's accounts) stayed alone, because its
   mean cosine to 35 diverse pages is low even though it is far above what unrelated pages reach.  An
   article whose best match is below ``threshold * r(64)`` stays a singleton.
5. Optional embedding signal (``embeddings=True``): the cosine of MiniLM sentence embeddings of each
   article's headline and lead (``lead_text``: the first ``LEAD_CHARS`` characters, cut at a sentence
   end), mixed as ``(1 - EMBED_WEIGHT) * lexical + EMBED_WEIGHT * embedding``.  The weight equalises the
   spread of the two signals on unrelated PolNeAR pairs; ``EMBED_THRESHOLD`` and ``EMBED_SIZE_RATIO``
   follow the same rules as above on the mixed similarity.  It costs one encoder pass per article.

The module also holds the clustering metrics used by ``bench/wikiref.py``: NMI (arithmetic-mean
normalisation), the adjusted Rand index and B-cubed precision / recall / F1.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from storyline.errors import InputError
from storyline.text import stem, words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.embed import Embedder

__all__ = [
    "DEFAULT_THRESHOLD",
    "EMBED_SIZE_RATIO",
    "EMBED_THRESHOLD",
    "EMBED_WEIGHT",
    "SIZE_RATIO",
    "StoryCluster",
    "adjusted_rand_index",
    "bcubed",
    "cluster_articles",
    "embedding_similarity",
    "lead_text",
    "mixed_similarity",
    "normalized_mutual_info",
    "pairwise_similarity",
    "similarity_rows",
    "similarity_matrix",
]

# All constants below come from rules applied to data other than the evaluation set (PolNeAR: 924 US political
# news articles of 2015-16, one beat); ``python bench/wikiref.py --calibrate`` recomputes and prints them.
# Pairs of PolNeAR articles published more than 60 days apart almost surely cover different stories of the
# same beat.  DEFAULT_THRESHOLD is the 95th percentile of their lexical cosine.
DEFAULT_THRESHOLD = 0.067
# SIZE_RATIO: (k, r) = the 95th percentile of the MEAN similarity between one article and k other articles
# all published more than 60 days away from it, divided by the same for k = 1 (seeded sampling).  A mean
# over many unrelated pairs varies less than one pair, so a group merge that averages k pairs is already
# unusual at threshold * r(k): one article joins a story of 30 at about 0.6 of the pair threshold.
SIZE_RATIO: tuple[tuple[int, float], ...] = (
    (1, 1.0),
    (2, 0.811),
    (4, 0.721),
    (8, 0.644),
    (16, 0.605),
    (32, 0.577),
    (64, 0.559),
)
# The embedding option mixes lexical cosine L and MiniLM cosine E of the headline + lead as
# (1 - w) L + w E, with w = sd(L) / (sd(L) + sd(E)) over the far-apart PolNeAR pairs (both signals spread
# alike); its threshold and size ratios follow the same rules as above, on the mixed similarity.
EMBED_WEIGHT = 0.173
EMBED_THRESHOLD = 0.112
EMBED_SIZE_RATIO: tuple[tuple[int, float], ...] = (
    (1, 1.0),
    (2, 0.843),
    (4, 0.785),
    (8, 0.724),
    (16, 0.701),
    (32, 0.673),
    (64, 0.664),
)
NAME_BOOST = 2.0
LEAD_BOOST = 2.0
LEAD_CHARS = 300
TOP_TERMS = 150
_DENSE_DF = 48  # terms in at least this many articles are accumulated with one matrix product

_UPPER = "A-ZÀ-ÖØ-Þ"
# Runs of capitalised words joined by a space or hyphen, allowing "of" etc. inside ("Bank of England"): a
# name pattern, not a tokenizer (words come from storyline.text).
_NAME_RUN = re.compile(
    rf"[{_UPPER}][\w'-]*(?:[ -](?:(?:of|de|la|le|von|van|der|al|bin|du) )?[{_UPPER}][\w'-]*)+"
)
# A capitalised word inside a sentence: after a lower-case letter, digit or comma and one space (a name
# pattern, not the tokenizer).
_MID_CAP = re.compile(rf"(?<=[a-z0-9,] )[{_UPPER}][\w'-]*")
_SHORT_LINE = re.compile(rf"^[{_UPPER}][^\n]{{0,199}}$", re.MULTILINE)

# English function words (written for this module; no spaCy import, which can pull in torch).
_FUNCTION_WORDS_TEXT = """
a about above across after afterwards again against all almost alone along already although always am
among amongst an and another any anyhow anyone anything anyway anywhere are around as at back be became
because become becomes becoming been before beforehand behind being below beside besides between beyond
both but by can cannot could did do does doing done down due during each either else elsewhere enough
even ever every everyone everything everywhere except few for former formerly from further had has have
having he hence her here hereafter hereby herein hers herself him himself his how however i if in indeed
into is it its itself just least less many me meanwhile might mine more moreover most mostly much must my
myself namely neither never nevertheless next no nobody none noone nor not nothing now nowhere of off
often on once only onto or other others otherwise our ours ourselves out over own part per perhaps
please quite rather re really same see seem seemed seeming seems several she should since so some
somehow someone something sometime sometimes somewhere still such than that the their theirs them
themselves then thence there thereafter thereby therefore therein thereupon these they this those though
through throughout thru thus to together too toward towards under unless until up upon us used using
various very via was we were what whatever when whence whenever where whereafter whereas whereby wherein
whereupon wherever whether which while whither who whoever whole whom whose why will with within without
would yet you your yours yourself yourselves it's don't didn't doesn't isn't wasn't won't can't
"""
# News boilerplate and calendar words: frequent in every story, so they say nothing about which one.
_NEWS_WORDS_TEXT = """
said says say saying told tell tells according reported reports report reporting reporter reporters
news newspaper press story stories article articles read reading share shares shared click subscribe
subscription newsletter email print comment comments advertisement advert sponsored copyright rights
reserved photo photos image images video videos caption credit getty afp reuters ap associated
follow twitter facebook instagram page pages site website online updated update published posted
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks weekend
january february march april may june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec year years month months day days time times ago like also
one two three four five first second third last new mr mrs ms dr people way make made get got going go
want think know good well lot including include includes cent percent
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_STOP = _FUNCTION_WORDS | frozenset(_NEWS_WORDS_TEXT.split())
_LEADING = _FUNCTION_WORDS  # stripped from the start of a name run ("The", "In")


@dataclass(frozen=True, slots=True)
class StoryCluster:
    """Articles that cover one story; ``label`` lists its strongest terms (names first)."""

    id: str
    article_ids: tuple[str, ...]
    label: str


# --------------------------------------------------------------------------- features


def _letter_words(text: str) -> list[str]:
    """The words of ``text`` (``storyline.text.words``) that start with a letter ("MH370", "o'neill")."""
    return [w for w in words(text) if not w[0].isdigit()]


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Spans of short lines in Title Case (at least 3 content words, 75% of them capitalised)."""
    out = []
    for line in _SHORT_LINE.finditer(text):
        content = [w for w in _letter_words(line.group()) if w.lower() not in _STOP]
        if len(content) >= 3 and sum(w[0].isupper() for w in content) >= 0.75 * len(content):
            out.append(line.span())
    return out


@lru_cache(maxsize=262144)
def _key(word: str) -> str:
    """The term for a lower-cased word ('' for stop words and one-letter words): possessive 's dropped."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'-")
    return "" if len(word) < 2 or word in _STOP else word


def _count(text: str) -> tuple[Counter[str], Counter[str]]:
    """Content-word counts (lower-cased, stop words out) and capitalised name runs of ``text``."""
    terms: Counter[str] = Counter()
    for w, c in Counter(_letter_words(text.lower())).items():
        k = _key(w)
        if k:
            terms[k] += c
    runs: Counter[str] = Counter()
    for run in _NAME_RUN.findall(text):
        parts = run.split(" ")
        while parts and parts[0].lower() in _LEADING:
            parts.pop(0)
        if len(parts) >= 2:
            if parts[-1].endswith("'s"):
                parts[-1] = parts[-1][:-2]
            runs[" ".join(parts)] += 1
    return terms, runs


def _terms(text: str) -> tuple[Counter[str], dict[str, str], set[str]]:
    """Weighted term counts, the display form of each term, and the terms used as names."""
    text = text.replace("’", "'")
    # Capitals in a Title Case Headline say nothing about names: read those lines lower-cased.
    titles = _title_case_lines(text)
    if titles:
        pieces, last = [], 0
        for s, e in titles:
            pieces += [text[last:s], text[s:e].lower()]
            last = e
        text = "".join(pieces) + text[last:]
    plain, runs = _count(text)
    caps: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for w in _MID_CAP.findall(text):
        lw = _key(w.lower())
        if lw:
            caps[lw] += 1
            forms.setdefault(lw, w[: len(lw)])
    names = {w for w, c in caps.items() if c * 2 > plain[w]}
    counts: Counter[str] = Counter()
    lead_words, lead_runs = _count(text[:LEAD_CHARS]) if LEAD_BOOST != 1.0 else (Counter(), Counter())
    for source, weight in ((plain, 1.0), (lead_words, LEAD_BOOST - 1.0)):
        for w, c in source.items():
            counts[w if w in names else stem(w)] += c * weight
    for source, weight in ((runs, 1.0), (lead_runs, LEAD_BOOST - 1.0)):
        for run, c in source.items():
            key = run.lower()
            counts[key] += c * weight
            forms.setdefault(key, run)
            names.add(key)
    return counts, forms, names


def tfidf_vector(counts: Mapping[str, float], names: Set[str], n: int, df: Mapping[str, int]) -> dict[str, float]:
    """The L2-normalised TF-IDF vector of one text's term counts (names boosted; its ``TOP_TERMS`` heaviest
    terms), with document frequencies ``df`` over ``n`` texts."""
    vec: dict[str, float] = {}
    for term, tf in counts.items():
        wgt = (1.0 + math.log(tf)) if tf >= 1 else tf
        if term in names:
            wgt *= NAME_BOOST
        if wgt > 0:
            vec[term] = wgt * (math.log((1 + n) / (1 + df[term])) + 1.0)
    top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
    norm = math.sqrt(sum(v * v for _, v in top))
    return {k: v / norm for k, v in top} if norm > 0 else {}


def _vectors(
    texts: Sequence[str],
) -> tuple[list[dict[str, float]], dict[str, str]]:
    """One L2-normalised TF-IDF vector (term -> weight) per text, and display forms for the terms."""
    parsed = [_terms(t) for t in texts]
    df: Counter[str] = Counter()
    for counts, _, _ in parsed:
        df.update(counts.keys())
    n = len(texts)
    forms: dict[str, str] = {}
    out: list[dict[str, float]] = []
    for counts, fm, names in parsed:
        vec = tfidf_vector(counts, names, n, df)
        for term in vec:
            if term in names and (term not in forms or forms[term].islower()):
                forms[term] = fm.get(term, term)
        out.append(vec)
    return out, forms


def similarity_matrix(vectors: Sequence[dict[str, float]]) -> np.ndarray:
    """Cosine similarities of normalised sparse vectors, as a dense float32 n x n matrix (diagonal 0)."""
    n = len(vectors)
    sim = np.zeros((n, n), dtype=np.float32)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in vec.items():
            postings[term].append((i, w))
    dense_terms = sorted(t for t, p in postings.items() if len(p) >= _DENSE_DF)
    for start in range(0, len(dense_terms), 1024):  # bounded memory: n x 1024 floats at a time
        chunk = dense_terms[start : start + 1024]
        mat = np.zeros((n, len(chunk)), dtype=np.float32)
        for j, t in enumerate(chunk):
            for i, w in postings[t]:
                mat[i, j] = w
        sim += mat @ mat.T
    for term in sorted(postings):
        plist = postings[term]
        if len(plist) < 2 or len(plist) >= _DENSE_DF:
            continue
        idx = np.fromiter((i for i, _ in plist), dtype=np.intp, count=len(plist))
        wts = np.fromiter((w for _, w in plist), dtype=np.float32, count=len(plist))
        sim[np.ix_(idx, idx)] += np.outer(wts, wts)
    np.fill_diagonal(sim, 0.0)
    return sim


def pairwise_similarity(texts: Sequence[str]) -> np.ndarray:
    """The cosine similarity matrix ``cluster_articles`` works on (n x n, diagonal 0)."""
    return similarity_matrix(_vectors(texts)[0])


def centred_window(centre: int, n: int, width: int) -> tuple[int, int]:
    """``(start, end)``: the ``width`` consecutive positions of ``0..n`` centred on ``centre``, clamped to the
    ends (all of them when ``n <= width``).  Sorted-neighbourhood blocking: in a list in story order, an item's
    partners are looked for among the items published nearest to it, so a story of any size costs linear time."""
    if n <= width:
        return 0, n
    start = max(0, min(centre - width // 2, n - width))
    return start, start + width


def pair_codes(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Each pair of item indices as one int64 code ``min * n + max`` (half the memory of the pair; sorted codes
    are the pairs in (i, j) order; ``divmod(code, n)`` gives the pair back)."""
    return np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j)


def distinct_codes(parts: list[np.ndarray]) -> np.ndarray:
    """The codes of ``parts`` (which it empties, to free them) sorted, each once: an in-place sort and a mask,
    since ``np.unique``'s hash table took more memory than the codes."""
    if not parts:
        return np.zeros(0, dtype=np.int64)
    codes = np.concatenate(parts).astype(np.int64, copy=False)
    parts.clear()
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def similarity_rows(texts: Sequence[str]) -> Callable[[int, int, int], np.ndarray]:
    """``row(j, lo, hi)``: the cosines of text ``j`` with texts ``lo..hi`` (the vectors of
    ``pairwise_similarity``), each row computed when asked, so a few rows of many texts cost no n x n matrix.
    Float64 sparse products: equal to the matrix's float32 values up to rounding."""
    from scipy.sparse import csr_matrix

    vectors = _vectors(texts)[0]
    vocabulary: dict[str, int] = {}
    indices = [vocabulary.setdefault(t, len(vocabulary)) for vec in vectors for t in vec]
    data = [w for vec in vectors for w in vec.values()]
    indptr = np.cumsum([0, *(len(vec) for vec in vectors)])
    matrix = csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
                        shape=(len(vectors), max(1, len(vocabulary))))

    def row(j: int, lo: int, hi: int) -> np.ndarray:
        return np.asarray((matrix[lo:hi] @ matrix[j].T).todense()).ravel()

    return row


# --------------------------------------------------------------------------- clustering


def _size_ratio(pairs: float, table: tuple[tuple[int, float], ...] = SIZE_RATIO) -> float:
    """The factor on the threshold for a merge whose mean similarity averages ``pairs`` article pairs.

    Interpolated in log(pairs) between the calibrated points of ``table``; flat beyond its ends.
    """
    ks = [k for k, _ in table]
    rs = [r for _, r in table]
    return float(np.interp(math.log(max(pairs, 1.0)), [math.log(k) for k in ks], rs))


def _dendrogram(sim: np.ndarray, floor: float) -> list[tuple[int, int, float, int, int]]:
    """UPGMA merges down to mean similarity ``floor``: (node, node, mean similarity, size, size).

    Nodes 0..n-1 are the articles, node n + k is the k-th merge.  Nearest-neighbour-chain algorithm,
    O(n^2) time and memory; an article whose best match is below ``floor`` is never merged.
    """
    n = sim.shape[0]
    s = sim.astype(np.float32, copy=True)
    np.fill_diagonal(s, -np.inf)
    size = np.ones(n, dtype=np.float32)
    active = np.ones(n, dtype=bool)
    node = list(range(n))  # the dendrogram node each active row stands for
    merges: list[tuple[int, int, float, int, int]] = []

    def deactivate(i: int) -> None:
        active[i] = False
        s[i, :] = -np.inf
        s[:, i] = -np.inf

    if n:
        for i in np.flatnonzero(s.max(axis=1) < floor):
            deactivate(int(i))
    chain: list[int] = []
    while True:
        if not chain:
            left = np.flatnonzero(active)
            if left.size == 0:
                break
            chain.append(int(left[0]))
        a = chain[-1]
        row = s[a]
        b = int(np.argmax(row))
        best = row[b]
        if not best >= floor:  # never merges again: average linkage is reducible
            deactivate(a)
            chain.pop()
            continue
        if len(chain) > 1 and row[chain[-2]] >= best:
            b = chain[-2]
        if len(chain) > 1 and b == chain[-2]:
            chain.pop()
            chain.pop()
            keep, drop = (a, b) if a < b else (b, a)
            merges.append((node[keep], node[drop], float(s[a, b]), int(size[keep]), int(size[drop])))
            merged = (size[a] * s[a] + size[b] * s[b]) / (size[a] + size[b])
            size[keep] += size[drop]
            deactivate(drop)
            merged[keep] = -np.inf
            merged[drop] = -np.inf
            merged[~active] = -np.inf
            s[keep, :] = merged
            s[:, keep] = merged
            node[keep] = n + len(merges) - 1
        else:
            chain.append(b)
    return merges


def _average_linkage(
    sim: np.ndarray, threshold: float, ratios: tuple[tuple[int, float], ...] = SIZE_RATIO
) -> list[int]:
    """Cluster label (the smallest member index) per row: UPGMA cut with a size-aware threshold.

    A merge of groups A and B stands when their mean similarity is at least
    ``threshold * _size_ratio(|A| * |B|, ratios)``; otherwise both sides are cut apart and judged the same
    way, top down.  With ``ratios=((1, 1.0),)`` this is the plain cut at ``threshold``.
    """
    n = sim.shape[0]
    floor = threshold * min(r for _, r in ratios)
    merges = _dendrogram(sim, floor)
    children = {n + k: m for k, m in enumerate(merges)}
    used = {x for a, b, *_ in merges for x in (a, b)}
    labels = list(range(n))
    stack = [x for x in [*range(n), *children] if x not in used]
    while stack:
        x = stack.pop()
        if x >= n:
            a, b, h, sa, sb = children[x]
            if h < threshold * _size_ratio(sa * sb, ratios):
                stack += [a, b]
                continue
        members, todo = [], [x]
        while todo:
            y = todo.pop()
            if y < n:
                members.append(y)
            else:
                todo += children[y][:2]
        rep = min(members)
        for i in members:
            labels[i] = rep
    return labels


def _cluster_id(ids: Sequence[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()
    return f"story-{digest[:10]}"


def _label(vectors: Sequence[dict[str, float]], forms: dict[str, str], k: int = 4) -> str:
    total: Counter[str] = Counter()
    for vec in vectors:
        for term, w in vec.items():
            total[term] += w
    picked: list[str] = []
    used: set[str] = set()
    # A name of several words ("River Tarn") is preferred to its parts, which then are not repeated.
    for term, _ in sorted(total.items(), key=lambda kv: (-kv[1] * (1 + 0.5 * kv[0].count(" ")), kv[0])):
        parts = set(term.split(" "))
        if parts & used:
            continue
        used |= parts
        picked.append(term)
        if len(picked) == k:
            break
    return ", ".join(forms.get(t, t) for t in picked)


def lead_text(text: str, chars: int = LEAD_CHARS) -> str:
    """The headline and lead of ``text``: its first ``chars`` characters, cut after the last full sentence
    or line break in them when that leaves at least a third; whitespace runs become single spaces."""
    head = text.strip()[:chars]
    cut = max(head.rfind(". "), head.rfind("\n"))
    if len(text.strip()) > chars and cut >= chars // 3:
        head = head[: cut + 1]
    return " ".join(head.split())


def embedding_similarity(texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
    """Cosine similarity of sentence embeddings of each text's ``lead_text`` (n x n, diagonal 0).

    ``embedder`` defaults to ``storyline.extract.embed.get_embedder()`` (MiniLM; raises ``ModelError`` when the
    model is not installed).  Empty texts get zero vectors, so similarity 0 to everything.
    """
    if embedder is None:
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
    n = len(texts)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    vecs = np.asarray(embedder.encode([lead_text(t) for t in texts]), dtype=np.float32)
    sim = vecs @ vecs.T
    np.fill_diagonal(sim, 0.0)
    return sim


def mixed_similarity(lexical: np.ndarray, embedded: np.ndarray, weight: float = EMBED_WEIGHT) -> np.ndarray:
    """``(1 - weight) * lexical + weight * embedded``, the similarity of ``cluster_articles(embeddings=True)``.

    Raises ``InputError`` when the shapes differ or the weight is outside [0, 1].
    """
    if lexical.shape != embedded.shape:
        raise InputError("mixed_similarity", f"shapes differ: {lexical.shape} and {embedded.shape}")
    if not 0.0 <= weight <= 1.0:
        raise InputError("mixed_similarity", f"weight must be between 0 and 1, got {weight!r}")
    return ((1.0 - weight) * lexical + weight * embedded).astype(np.float32)


def cluster_articles(
    articles: Sequence[tuple[str, str]],
    *,
    threshold: float | None = None,
    embeddings: bool = False,
    embedder: Embedder | None = None,
) -> tuple[StoryCluster, ...]:
    """Group ``(article_id, text)`` pairs by story.

    Returns clusters largest first (ties: the one whose first article comes first in the input); inside a
    cluster, article ids keep input order.  ``threshold`` is the least mean similarity at which two single
    articles join (default ``DEFAULT_THRESHOLD``, or ``EMBED_THRESHOLD`` with embeddings); larger groups
    join at a lower mean, scaled by ``SIZE_RATIO`` (``EMBED_SIZE_RATIO``).  An article unlike every other
    stays a singleton.  ``embeddings=True`` mixes in the cosine of MiniLM embeddings of each headline and
    lead (``mixed_similarity``; ``embedder`` overrides the model).
    Raises ``InputError`` for a repeated article id or a threshold outside [0, 1], ``ModelError`` when
    embeddings are asked for and no model can be loaded.
    """
    default = EMBED_THRESHOLD if embeddings else DEFAULT_THRESHOLD
    thr = default if threshold is None else float(threshold)
    if not 0.0 <= thr <= 1.0 or math.isnan(thr):
        raise InputError("cluster_articles", f"threshold must be between 0 and 1, got {threshold!r}")
    ids = [aid for aid, _ in articles]
    seen: set[str] = set()
    for aid in ids:
        if aid in seen:
            raise InputError(aid, "article id given twice to cluster_articles")
        seen.add(aid)
    if not ids:
        return ()
    texts = [text for _, text in articles]
    vectors, forms = _vectors(texts)
    sim = similarity_matrix(vectors)
    if embeddings:
        sim = mixed_similarity(sim, embedding_similarity(texts, embedder))
    if thr == 0.0:
        thr = float(np.nextafter(np.float32(0.0), np.float32(1.0)))  # a zero similarity never joins two
    labels = _average_linkage(sim, thr, EMBED_SIZE_RATIO if embeddings else SIZE_RATIO)
    members: dict[int, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        members[lab].append(i)
    groups = sorted(members.values(), key=lambda m: (-len(m), m[0]))
    return tuple(
        StoryCluster(
            id=_cluster_id([ids[i] for i in m]),
            article_ids=tuple(ids[i] for i in m),
            label=_label([vectors[i] for i in m], forms),
        )
        for m in groups
    )


# --------------------------------------------------------------------------- metrics


def _check(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> None:
    if len(gold) != len(predicted):
        raise InputError("clustering metric", f"{len(gold)} gold labels but {len(predicted)} predicted")


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed (Bagga & Baldwin 1998) precision, recall and F1 of item labels; (1, 1, 1) for no items.

    Precision of an item: the share of its predicted cluster that shares its gold class; recall: the share
    of its gold class that shares its predicted cluster; both averaged over items, F1 their harmonic mean.
    """
    _check(gold, predicted)
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    joint = Counter(zip(gold, predicted, strict=True))
    gsize = Counter(gold)
    psize = Counter(predicted)
    p = sum(c * c / psize[pl] for (_, pl), c in joint.items()) / n
    r = sum(c * c / gsize[gl] for (gl, _), c in joint.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def normalized_mutual_info(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """NMI with arithmetic-mean normalisation: I(G; P) / ((H(G) + H(P)) / 2).

    When both clusterings are a single cluster (both entropies 0) they agree perfectly: 1.0.  When only
    one of them has zero entropy the mutual information is 0 and so is the score.
    """
    _check(gold, predicted)
    n = len(gold)
    if n == 0:
        return 1.0
    joint = Counter(zip(gold, predicted, strict=True))
    gsize = Counter(gold)
    psize = Counter(predicted)
    hg = -sum(c / n * math.log(c / n) for c in gsize.values())
    hp = -sum(c / n * math.log(c / n) for c in psize.values())
    if hg == 0.0 and hp == 0.0:
        return 1.0
    mi = sum(c / n * math.log(c * n / (gsize[g] * psize[p])) for (g, p), c in joint.items())
    return max(0.0, min(1.0, mi / ((hg + hp) / 2)))


def adjusted_rand_index(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Hubert & Arabie's adjusted Rand index; 1.0 when both clusterings are identical (even trivial ones)."""
    _check(gold, predicted)
    n = len(gold)

    def pairs(k: int) -> float:
        return k * (k - 1) / 2

    joint = sum(pairs(c) for c in Counter(zip(gold, predicted, strict=True)).values())
    sg = sum(pairs(c) for c in Counter(gold).values())
    sp = sum(pairs(c) for c in Counter(predicted).values())
    total = pairs(n)
    if total == 0:
        return 1.0
    expected = sg * sp / total
    best = (sg + sp) / 2
    if best == expected:
        return 1.0
    return (joint - expected) / (best - expected)
