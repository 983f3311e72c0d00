"""Event chains: the mentions of one event across the sources of a story (cross-document event coreference).

Every predicate of every article (``storyline.extract.predicates``: a verb or eventive noun) is a node.  Two
nodes are a candidate pair when their lemmas are the same or close (lemma-embedding cosine at least the
model's ``candidate_cosine``).  The pair model (``FEATURES``: same lemma, lemma cosine, how alike the two
articles are, how alike the two sentences are, same article, shared corpus entities in the two sentences,
same part of speech, and two products) is a logistic regression fitted on ECB+ train topics by
``bench/events_model.py --refit`` and stored in ``storyline/data/eventchain.json`` with its standardisation and
its ``cut``; a lexical weight set serves runs without sentence embeddings (lemma cosine is then lemma
identity, sentence cosine a tf-idf cosine of stems).

Nodes are grouped by average linkage: two groups join while the mean probability over all their pairs (a
pair that is not a candidate counts 0) is at least ``cut``.  Linkage runs per connected component of the
pairs at or above ``cut`` (no group can join across them), and a component larger than MAX_COMPONENT is
grouped lemma by lemma.  A lemma's block (its nodes against those of the same and the close lemmas) is
paired in full when it holds at most ALL_PAIRS_BLOCK pairs and the full blocks, smallest first, stay within
PAIR_BUDGET pairs; otherwise each node keeps its NODE_PARTNERS partners with the most alike sentences.  Deterministic: nodes are in story order, ties broken by it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storyline.crosscheck.cluster import centred_window, distinct_codes, pair_codes
from storyline.errors import ModelError
from storyline.extract.predicates import load_lexicon
from storyline.records import CleanArticle, EventChain, EventMention, Extraction, Independence, Span
from storyline.text import split_sentences, stems

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from storyline.extract.embed import Embedder
    from storyline.extract.entities import EntityIndex

__all__ = ["FEATURES", "ChainModel", "Node", "chain_events", "group_nodes", "load_chain_model", "story_nodes"]

MODEL_RESOURCE = "data/eventchain.json"
FEATURES: tuple[str, ...] = (
    "same_lemma",  # the two lemmas are identical
    "lemma_cosine",  # embedding cosine of the two lemmas (lexical: identity)
    "article_cosine",  # tf-idf cosine of the two articles' stems
    "sentence_cosine",  # embedding cosine of the two sentences (lexical: tf-idf cosine of stems)
    "same_article",
    "entity_jaccard",  # corpus entities named in the two sentences: |shared| / |either|
    "same_tag",  # both verbs, both nouns, ...
    "same_lemma_x_article",
    "lemma_x_article",
)
TAG_CODE = {"VERB": 0, "NOUN": 1, "PROPN": 2, "ADJ": 3}
ALL_PAIRS_BLOCK = 65_536  # a lemma's block (its nodes x those of it and its close lemmas) paired in full up to this
PAIR_BUDGET = 3_000_000  # ... while all full blocks together stay within this many pairs (smallest blocks first)
NODE_PARTNERS = 32  # in a larger block, each node's partners with the most alike sentences
PARTNER_WINDOW = 4_096  # ... among this many nodes of the block nearest in story order (all of a smaller block:
# never reached on the datasets' stories; docs/crosscheck.md)
CHUNK = 50_000  # pairs per slice when reading vectors (bounds memory)
MAX_COMPONENT = 3_000  # nodes linked as one component at most; larger ones are grouped lemma by lemma


@dataclass(frozen=True)
class Node:
    """One predicate of one article, with what the features read."""

    source: str
    trigger: Span
    lemma: str
    tag: str
    sentence: Span
    entities: frozenset[str]


@dataclass(frozen=True)
class ChainModel:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    cut: float
    candidate_cosine: float

    def probability(self, x: numpy.ndarray) -> numpy.ndarray:
        """The probability of each row.  The weighted sum is taken column by column, element-wise, so a row's
        value does not depend on the other rows given with it (a matrix product's rounding does): the pairs can
        be scored a chunk at a time (``pair_probability``)."""
        import numpy as np

        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        total = np.zeros(len(z), dtype=np.float64)
        for k, w in enumerate(self.weights):
            total += z[:, k] * w
        return 1.0 / (1.0 + np.exp(-(total + self.bias)))


def parse_chain_model(data: Mapping[str, Any], mode: str) -> ChainModel:
    if tuple(data["features"]) != FEATURES:
        raise ModelError(f"{MODEL_RESOURCE} was fitted on other features; run `make models`")
    m = data[mode]
    return ChainModel(tuple(m["weights"]), float(m["bias"]), tuple(m["mean"]), tuple(m["scale"]),
                      float(m["cut"]), float(m["candidate_cosine"]))


@lru_cache(maxsize=2)
def load_chain_model(mode: str = "embedding") -> ChainModel:
    """The packaged chain model, ``embedding`` or ``lexical`` weights; ModelError when unreadable."""
    try:
        raw = resources.files("storyline").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
        return parse_chain_model(json.loads(raw), mode)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"event-chain model {MODEL_RESOURCE} cannot be read ({exc}); run `make models`") from exc


# --------------------------------------------------------------------------- nodes and features


def story_nodes(items: Sequence[tuple[CleanArticle, Extraction]], index: EntityIndex | None) -> list[Node]:
    """Every predicate of the story's articles, in article then text order.  A node's sentence is the
    statement piece holding it (``text.split_sentences``, as statements are cut), so the claims stage and this
    one embed the same sentences.  The nodes of one sentence share its Span and entity set (a 10,000-article
    story has 1.2 million nodes: a copy of the sentence's text each held hundreds of MB)."""
    nodes: list[Node] = []
    for clean, ext in items:
        aid = clean.article.id
        text = clean.text
        pieces = split_sentences(text, ext.sentences or (Span(0, len(text), text),)) or [(0, len(text))]
        starts = [s for s, _ in pieces]
        ents: list[set[str]] = [set() for _ in pieces]
        for m in ext.mentions:
            ent = index.resolve(aid, m.key) if index is not None else None
            if ent is not None:
                ents[max(0, _position(starts, m.span.start))].add(ent.id)
        shared = [frozenset(e) for e in ents]
        spans: dict[tuple[int, int], Span] = {}
        for p in ext.predicates:
            i = max(0, _position(starts, p.trigger.start))
            start, end = pieces[i]
            if not (start <= p.trigger.start and p.trigger.end <= end):  # between pieces (a trimmed edge)
                start, end = min(start, p.trigger.start), max(end, p.trigger.end)
            sentence = spans.get((start, end)) or spans.setdefault((start, end), Span(start, end, text[start:end]))
            nodes.append(Node(aid, p.trigger, p.lemma, p.pos, sentence, shared[i]))
    return nodes


def squeezed(sentence: Span) -> str:
    """A node's sentence as the stage embeds it (whitespace squeezed, as the claims stage embeds statements)."""
    return " ".join(sentence.text.split())


def chain_texts(clean: CleanArticle, ext: Extraction) -> list[str]:
    """What this stage asks the sentence model for on an article's behalf: its nodes' sentences
    (``squeezed``), then their lemmas (``watch`` sends them to be encoded ahead)."""
    nodes = story_nodes([(clean, ext)], None)
    return [*dict.fromkeys(squeezed(n.sentence) for n in nodes), *dict.fromkeys(n.lemma for n in nodes)]


def _position(starts: Sequence[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset) - 1


def _tfidf(texts: Sequence[str]) -> numpy.ndarray:
    """Rows of L2-normalised tf-idf over the package's stems (sparse matrix)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=stems, sublinear_tf=True)
    try:
        return vec.fit_transform(texts)
    except ValueError:  # no stems at all
        import numpy as np
        from scipy.sparse import csr_matrix

        return csr_matrix(np.zeros((len(texts), 1)))


GRAM_CELLS = 8_000_000  # cells of article-cosine rows made at a time (float64: 64 MB; see _article_cos)


def _article_cos(v: _Views, a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    """The tf-idf cosine of the articles of nodes ``a[k]`` and ``b[k]`` (float32): the rows of the articles'
    Gram matrix ``rows @ rows.T`` that these pairs read, made for the distinct articles of ``a`` only, at most
    ``GRAM_CELLS`` cells at a time.  The whole matrix held 400 MB at 10,000 articles and grew with the square
    of the story; the pairs come a chunk at a time sorted by ``a`` (nodes in article order), so each row is
    made about once.  Each row of a sparse product is summed from that row alone, so the values are those of
    the whole product, bit for bit."""
    import numpy as np

    ia, ib = v.article_of[a], v.article_of[b]
    out = np.empty(len(a), dtype=np.float32)
    arts, inv = np.unique(ia, return_inverse=True)
    step = max(1, GRAM_CELLS // max(1, v.article_cols.shape[1]))
    for lo in range(0, len(arts), step):
        block = (v.article_rows[arts[lo : lo + step]] @ v.article_cols).toarray()
        sel = (inv >= lo) & (inv < lo + step)
        out[sel] = block[inv[sel] - lo, ib[sel]]
    return out


def _unit_rows(vectors: numpy.ndarray) -> numpy.ndarray:
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


@dataclass
class _Views:
    """Per-node look-ups the features read: lemma, article and sentence numbers and their vectors."""

    lemma_of: numpy.ndarray
    lemma_vecs: numpy.ndarray | None  # unit rows per lemma (None: lexical, lemmas alike only when identical)
    article_of: numpy.ndarray
    article_rows: Any  # L2-normalised tf-idf rows per article (sparse CSR; see _article_cos)
    article_cols: Any  # their transpose (CSR)
    sentence_of: numpy.ndarray
    sentence_vecs: Any  # dense unit rows (embedding) or sparse tf-idf rows
    tag_of: numpy.ndarray  # TAG_CODE per node (-1: another tag)


def _views(nodes: Sequence[Node], texts: Mapping[str, str], embedder: Embedder | None) -> _Views:
    import numpy as np

    lemmas = sorted({n.lemma for n in nodes})
    lemma_id = {w: i for i, w in enumerate(lemmas)}
    articles = list(dict.fromkeys(n.source for n in nodes))
    article_id = {a: i for i, a in enumerate(articles)}
    sentences = list(dict.fromkeys((n.source, n.sentence.start, n.sentence.end) for n in nodes))
    sentence_id = {s: i for i, s in enumerate(sentences)}
    # as the claims stage embeds statements (whitespace squeezed): one encoding per sentence per story
    sentence_text = {(n.source, n.sentence.start, n.sentence.end): squeezed(n.sentence) for n in nodes}
    art = _tfidf([texts.get(a, "") for a in articles]).tocsr()
    lemma_vecs = None
    if embedder:
        lemma_vecs = _unit_rows(embedder.encode(lemmas)) if lemmas else np.zeros((0, 1), np.float32)
        svecs: Any = _unit_rows(embedder.encode([sentence_text[s] for s in sentences]))
    else:
        svecs = _tfidf([sentence_text[s] for s in sentences])
    return _Views(
        lemma_of=np.array([lemma_id[n.lemma] for n in nodes], dtype=np.int64),
        lemma_vecs=lemma_vecs,
        article_of=np.array([article_id[n.source] for n in nodes], dtype=np.int64),
        article_rows=art,
        article_cols=art.T.tocsr(),
        sentence_of=np.array(
            [sentence_id[(n.source, n.sentence.start, n.sentence.end)] for n in nodes], dtype=np.int64
        ),
        sentence_vecs=svecs,
        tag_of=np.array([TAG_CODE.get(n.tag, -1) for n in nodes], dtype=np.int64),
    )


def _rowwise_cos(left: Any, right: Any) -> numpy.ndarray:
    """Cosines of row i of ``left`` with row i of ``right`` (dense unit rows or sparse L2 rows)."""
    import numpy as np

    if isinstance(left, np.ndarray):
        return np.einsum("ij,ij->i", left, right)
    return np.asarray(left.multiply(right).sum(axis=1)).ravel().astype(np.float32)


def _sentence_cos(v: _Views, a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    import numpy as np

    out = np.empty(len(a), dtype=np.float32)
    for lo in range(0, len(a), CHUNK):
        sa = v.sentence_vecs[v.sentence_of[a[lo : lo + CHUNK]]]
        sb = v.sentence_vecs[v.sentence_of[b[lo : lo + CHUNK]]]
        out[lo : lo + CHUNK] = _rowwise_cos(sa, sb)
    return out


def _lemma_cos(v: _Views, a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    import numpy as np

    la, lb = v.lemma_of[a], v.lemma_of[b]
    if v.lemma_vecs is None:
        return (la == lb).astype(np.float32)
    out = np.empty(len(a), dtype=np.float32)
    for lo in range(0, len(a), CHUNK):
        out[lo : lo + CHUNK] = _rowwise_cos(v.lemma_vecs[la[lo : lo + CHUNK]], v.lemma_vecs[lb[lo : lo + CHUNK]])
    return out


def _close_lemmas(v: _Views, present: numpy.ndarray, candidate_cosine: float) -> dict[int, list[int]]:
    """For each present lemma, the present lemmas after it (in id order) whose cosine reaches the cutoff."""
    import numpy as np

    out: dict[int, list[int]] = {int(x): [] for x in present.tolist()}
    if v.lemma_vecs is None or len(present) < 2:
        return out
    vecs = v.lemma_vecs[present]
    for lo in range(0, len(present), 512):
        sims = vecs[lo : lo + 512] @ vecs.T
        for r in range(sims.shape[0]):
            x = lo + r
            hits = np.flatnonzero(sims[r, x + 1 :] >= candidate_cosine) + x + 1
            out[int(present[x])] = present[hits].tolist()
    return out


def candidate_pairs(nodes: Sequence[Node], v: _Views, candidate_cosine: float) -> numpy.ndarray:
    """Node index pairs (i < j) whose lemmas are the same or close.  For each lemma, its nodes are paired with
    the nodes of the same and of the close lemmas: all pairs for the blocks of ``_full_blocks``, else each
    node's NODE_PARTNERS partners with the most alike sentences."""
    import numpy as np

    by_lemma: dict[int, list[int]] = defaultdict(list)
    for i, lid in enumerate(v.lemma_of.tolist()):
        by_lemma[lid].append(i)
    present = np.asarray(sorted(by_lemma), dtype=np.int64)
    close = _close_lemmas(v, present, candidate_cosine)
    partners = {la: [*by_lemma[la], *(i for lb in close[la] for i in by_lemma[lb])] for la in present.tolist()}
    full = _full_blocks({la: len(by_lemma[la]) * len(partners[la]) for la in partners})
    blocks: list[numpy.ndarray] = []
    for la in present.tolist():
        a, b = np.asarray(by_lemma[la]), np.asarray(partners[la])
        if la not in full:
            ii, jj = _most_alike(v, a, b)
        else:
            ii, jj = np.meshgrid(a, b, indexing="ij")
            ii, jj = ii.ravel(), jj.ravel()
            keep = (v.lemma_of[jj] != la) | (ii < jj)
            ii, jj = ii[keep], jj[keep]
        if len(ii):
            blocks.append(pair_codes(ii, jj, len(nodes)))
    if not blocks:
        return np.zeros((0, 2), dtype=np.int64)
    codes = distinct_codes(blocks)  # as np.unique(axis=0) of the pairs, sorted by (i, j)
    pairs = np.empty((len(codes), 2), dtype=np.int32 if len(nodes) < 2**31 else np.int64)
    for lo in range(0, len(codes), CHUNK):  # decoded a chunk at a time: no int64 temporary of every pair
        pairs[lo : lo + CHUNK, 0] = codes[lo : lo + CHUNK] // len(nodes)
        pairs[lo : lo + CHUNK, 1] = codes[lo : lo + CHUNK] % len(nodes)
    return pairs


def _full_blocks(sizes: Mapping[int, int]) -> set[int]:
    """The lemmas whose blocks are paired in full: those of at most ALL_PAIRS_BLOCK pairs, smallest first, while
    their pairs add up to at most PAIR_BUDGET."""
    out: set[int] = set()
    total = 0
    for la, size in sorted(sizes.items(), key=lambda kv: (kv[1], kv[0])):
        if size > ALL_PAIRS_BLOCK or total + size > PAIR_BUDGET:
            break
        out.add(la)
        total += size
    return out


def _most_alike(v: _Views, a: numpy.ndarray, b: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """For each node of ``a``, its NODE_PARTNERS partners in ``b`` (never itself) with the most alike
    sentences, computed in slices to bound memory."""
    import numpy as np

    k = min(NODE_PARTNERS, len(b) - 1)
    if k < 1:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(b) > PARTNER_WINDOW:  # b in story order, so that a window of it is the nodes published nearest
        b = np.sort(b)
    sb = v.sentence_vecs[v.sentence_of[b]]
    out_i, out_j = [], []
    for lo in range(0, len(a), 256):
        rows = a[lo : lo + 256]
        c0, c1 = _window(rows, b)
        sim = v.sentence_vecs[v.sentence_of[rows]] @ sb[c0:c1].T
        sim = np.asarray(sim.todense() if hasattr(sim, "todense") else sim, dtype=np.float32)
        sim[rows[:, None] == b[None, c0:c1]] = -np.inf
        top = _top_k(sim, k)
        out_i.append(np.repeat(rows, k))
        out_j.append(b[c0:c1][top].ravel())
    return np.concatenate(out_i), np.concatenate(out_j)


def _top_k(sim: numpy.ndarray, k: int) -> numpy.ndarray:
    """The columns of each row's ``k`` largest values, largest first and ties by column: the first ``k`` of a
    stable argsort of ``-sim``, but sorting only the values at or above each row's k-th largest (a full sort
    of every row was a third of this stage on large stories).  Each row needs ``k`` values above -inf."""
    import numpy as np

    vals = -sim
    kth = np.partition(vals, k - 1, axis=1)[:, k - 1]
    r, c = np.nonzero(vals <= kth[:, None])
    order = np.lexsort((c, vals[r, c], r))  # by row, then value, then column
    starts = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=len(sim)))[:-1]])
    return c[order[(starts[:, None] + np.arange(k)).ravel()]].reshape(len(sim), k)


def _window(rows: numpy.ndarray, b: numpy.ndarray) -> tuple[int, int]:
    """The PARTNER_WINDOW positions of ``b`` (sorted when longer) centred on the nodes ``rows`` (all of ``b``
    when it is no longer): a node's partners are looked for among the nodes published nearest to it, so a
    block of any size costs linear time (sorted-neighbourhood blocking)."""
    import numpy as np

    if len(b) <= PARTNER_WINDOW:
        return 0, len(b)
    return centred_window(int(np.searchsorted(b, (int(rows[0]) + int(rows[-1])) // 2)), len(b), PARTNER_WINDOW)


def pair_features(nodes: Sequence[Node], v: _Views, pairs: numpy.ndarray) -> numpy.ndarray:
    """One row of FEATURES per pair."""
    import numpy as np

    a, b = pairs[:, 0], pairs[:, 1]
    same_lemma = (v.lemma_of[a] == v.lemma_of[b]).astype(np.float32)
    lemma_cos = _lemma_cos(v, a, b)
    art = _article_cos(v, a, b)
    sent = _sentence_cos(v, a, b)
    same_article = (v.article_of[a] == v.article_of[b]).astype(np.float32)
    ents = np.array(
        [_jaccard(nodes[i].entities, nodes[j].entities) for i, j in zip(a.tolist(), b.tolist(), strict=True)],
        dtype=np.float32,
    )
    same_tag = (v.tag_of[a] == v.tag_of[b]).astype(np.float32)
    return np.stack(
        [same_lemma, lemma_cos, art, sent, same_article, ents, same_tag, same_lemma * art, lemma_cos * art],
        axis=1,
    )


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x | y) if x or y else 0.0


# --------------------------------------------------------------------------- grouping


def _average_linkage(n: int, pairs: numpy.ndarray, prob: numpy.ndarray, cut: float) -> list[int]:
    """Group labels of ``n`` nodes by average linkage of pair probabilities (absent pairs 0), stopping at cut."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    if n == 1:
        return [0]
    dist = np.ones((n, n), dtype=np.float64)
    dist[pairs[:, 0], pairs[:, 1]] = 1.0 - prob
    dist[pairs[:, 1], pairs[:, 0]] = 1.0 - prob
    condensed = dist[np.triu_indices(n, 1)]
    labels = fcluster(linkage(condensed, "average"), t=1.0 - cut, criterion="distance")
    return [int(x) for x in labels]


def _components(n: int, pairs: numpy.ndarray) -> list[list[int]]:
    """The connected components of more than one node, each in ascending order, ordered by their first node."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(pairs):
        return []
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    order, bounds = _grouped(labels, count)
    groups = [order[lo:hi].tolist() for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if hi - lo > 1]
    return sorted(groups, key=lambda g: g[0])


def _grouped(keys: numpy.ndarray, count: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The positions of ``keys`` (each in 0..count-1) grouped by key, each group in ascending position, and the
    bounds of each key's group in them: key k's positions are ``order[bounds[k] : bounds[k + 1]]``."""
    import numpy as np

    order = np.argsort(keys, kind="stable")
    return order, np.searchsorted(keys[order], np.arange(count + 1))


def candidate_features(
    nodes: Sequence[Node], texts: Mapping[str, str], embedder: Embedder | None, candidate_cosine: float
) -> tuple[_Views, numpy.ndarray, numpy.ndarray]:
    """(look-ups, candidate pairs, their FEATURES rows)."""
    v = _views(nodes, texts, embedder)
    pairs = candidate_pairs(nodes, v, candidate_cosine)
    return v, pairs, pair_features(nodes, v, pairs)


def link(nodes: Sequence[Node], v: _Views, pairs: numpy.ndarray, prob: numpy.ndarray, cut: float) -> list[int]:
    """Group labels by average linkage of the pair probabilities, per component of the pairs at or above cut."""
    import numpy as np

    labels = list(range(len(nodes)))
    if not len(pairs):
        return labels
    parts = [
        part
        for comp in _components(len(nodes), pairs[prob >= cut])
        for part in ([comp] if len(comp) <= MAX_COMPONENT else _by_lemma(comp, v))
    ]
    part_of = np.full(len(nodes), -1, dtype=np.int64)
    for k, part in enumerate(parts):
        part_of[part] = k
    inside = []
    for lo in range(0, len(pairs), CHUNK):  # the pairs within one part, a chunk at a time (bounded memory)
        pa, pb = part_of[pairs[lo : lo + CHUNK, 0]], part_of[pairs[lo : lo + CHUNK, 1]]
        inside.append(np.flatnonzero((pa == pb) & (pa >= 0)) + lo)
    qs = np.concatenate(inside)
    by_part, bounds = _grouped(part_of[pairs[qs, 0]], len(parts))  # each part's pairs together, in pair order
    qs = qs[by_part]
    del by_part
    next_label = len(nodes)
    for k, part in enumerate(parts):
        q = qs[bounds[k] : bounds[k + 1]]
        # a node's place in its part by search (parts are ascending: components, and their lemma splits, keep
        # node order), without an array of every node
        sub = np.searchsorted(np.asarray(part, dtype=np.int64), pairs[q]).reshape(-1, 2)
        for g, lab in zip(part, _average_linkage(len(part), sub, prob[q], cut), strict=True):
            labels[g] = next_label + lab
        next_label += len(part) + 1
    return labels


def group_nodes(
    nodes: Sequence[Node],
    texts: Mapping[str, str],
    embedder: Embedder | None,
    model: ChainModel | None = None,
) -> list[int]:
    """A group label per node (a node alone in its group has a label of its own)."""
    if not nodes:
        return []
    model = model or load_chain_model("embedding" if embedder else "lexical")
    v = _views(nodes, texts, embedder)
    pairs = candidate_pairs(nodes, v, model.candidate_cosine)
    return link(nodes, v, pairs, pair_probability(nodes, v, pairs, model), model.cut)


def pair_probability(nodes: Sequence[Node], v: _Views, pairs: numpy.ndarray, model: ChainModel) -> numpy.ndarray:
    """The model's probability of each pair, from the feature rows of CHUNK pairs at a time: the rows of
    every pair at once (and the model's float64 copies of them) took most of the stage's memory."""
    import numpy as np

    out = np.empty(len(pairs), dtype=np.float64)
    for lo in range(0, len(pairs), CHUNK):
        out[lo : lo + CHUNK] = model.probability(pair_features(nodes, v, pairs[lo : lo + CHUNK]))
    return out


def _by_lemma(comp: list[int], v: _Views) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in comp:
        groups[int(v.lemma_of[i])].append(i)
    return [g for g in groups.values() if len(g) <= MAX_COMPONENT]


# --------------------------------------------------------------------------- the stage


def chain_events(
    items: Sequence[tuple[CleanArticle, Extraction]],
    index: EntityIndex | None,
    independence: Independence,
    *,
    embedder: Embedder | None = None,
) -> tuple[EventChain, ...]:
    """Event chains of the story: groups of two or more predicates, most sources first."""
    nodes = story_nodes(items, index)
    cleans = {c.article.id: c for c, _ in items}
    labels = group_nodes(nodes, {a: c.text for a, c in cleans.items()}, embedder)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        groups[lab].append(i)
    order = {c.article.id: k for k, (c, _) in enumerate(items)}
    lexicon = load_lexicon()
    chains = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (order[nodes[i].source], nodes[i].trigger.start))
        mentions = tuple(
            EventMention(cleans[nodes[i].source].cite_span(nodes[i].trigger),
                         cleans[nodes[i].source].cite_span(nodes[i].sentence), nodes[i].lemma)
            for i in members
        )
        sources = tuple(dict.fromkeys(nodes[i].source for i in members))
        independent = len({independence.origin(s) for s in sources})
        action = Counter(nodes[i].lemma for i in members).most_common(1)[0][0]
        status = "corroborated" if independent >= 2 else "single-source"
        rates = [lexicon.rate(nodes[i].lemma, nodes[i].tag) for i in members]
        likely = sum(rates) / len(rates) >= lexicon.display
        chains.append((mentions, sources, independent, action, status, likely))
    chains.sort(key=lambda c: (-c[2], -len(c[0]), order[c[1][0]], c[0][0].trigger.start))
    return tuple(
        EventChain(f"ev-{n}", action, mentions, sources, independent, status, likely)
        for n, (mentions, sources, independent, action, status, likely) in enumerate(chains, 1)
    )
