"""Independence: which articles of a story are one source (copies, wire reprints, rewrites of one original).

Two detectors, both deterministic:

1. **Shingles** (``storyline.crosscheck.syndication``): MinHash/LSH over 5-word shingles verified by exact containment.
   A link is ``"identical"`` (same shingles, same length), ``"wire copy"`` (containment >= ``WIRE_COPY``:
   near-verbatim) or ``"rewrite"`` (lower containment, above the syndication threshold); method ``"minhash"``.
2. **Sentence alignment** for rewrites that reword too much for shingles (a content farm paraphrasing one
   original sentence by sentence).  Candidates are pairs of articles not already in one group whose TF-IDF
   cosine (``storyline.crosscheck.cluster.pairwise_similarity``: content words and names) reaches ``LEXICAL_MIN``,
   published at most ``MAX_DAYS`` apart (or undated), and -- where both name at least ``MIN_ENTITIES``
   corpus entities -- sharing at least ``ENTITY_SHARE`` of the smaller entity set.  Sentences are the
   parser's, cut at line breaks, of at least ``MIN_WORDS`` words.  A cheap prefilter keeps a pair only when a
   loose one-to-one match of sentences by content words (Dice >= ``PREFILTER_DICE``) covers
   ``PREFILTER_SHARE`` of the shorter article (a rewrite keeps names and numbers); only the articles of the
   pairs left are embedded, each once.  Sentences are then matched one to one, best cosine first, above
   ``SENTENCE_MIN``.  The pair is a rewrite when
   the matches cover at least ``SHARE_MIN`` of the shorter article's sentences (and at least
   ``MIN_MATCHED`` of them), and at least ``ORDER_MIN`` of the matches keep the same order (longest
   increasing run).  Independent reports of one event share facts, names and quotes, but not most of their
   sentences in the same order.  With ``embedder=False`` the sentence similarity is the Dice overlap of
   content words (``LEXICAL_SENTENCE_MIN``): only light rewordings are found.

Grouping: articles are taken oldest first (publication day; unknown dates last; on one day the longer text
first; then id), as in ``storyline.crosscheck.syndication``.  A shingle copy keeps its link to the earlier article it
overlaps most; an article that is no shingle copy joins the earlier article its sentences match best.  The
origin of a group is its earliest member, listed first.

Evidence: up to 3 citations per link of passages of the copy that repeat the origin: the longest runs of
shared 5-word shingles (cut at sentence boundaries) for shingle links, the best-matching sentences for
embedding links.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.crosscheck.cluster import pairwise_similarity, similarity_rows
from storyline.crosscheck.syndication import DEFAULT_THRESHOLD, Sketch, group_sketches, sketch
from storyline.errors import ModelError
from storyline.records import Citation, CleanArticle, CopyRelation, Extraction, Independence
from storyline.text import WORD_RE, fold, word_spans, words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.embed import Embedder
    from storyline.extract.entities import EntityIndex

__all__ = [
    "ENTITY_SHARE",
    "LEXICAL_MIN",
    "MAX_DAYS",
    "ORDER_MIN",
    "SENTENCE_MIN",
    "SHARE_MIN",
    "WIRE_COPY",
    "Alignment",
    "align",
    "find_independence",
    "sentence_segments",
]

WIRE_COPY = 0.8  # containment from which a shingle copy is near-verbatim ("wire copy")
LEXICAL_MIN = 0.25  # TF-IDF cosine for an embedding candidate pair
MAX_DAYS = 14  # publication days apart for an embedding candidate pair
FULL_MATRIX = 2_048  # articles up to which rewrite candidates come from the whole similarity matrix (beyond:
# rows within MAX_DAYS only; no dataset story comes near it, docs/crosscheck.md)
MAX_CANDIDATES = 5  # earlier candidates per article (highest TF-IDF cosine first)
MIN_ENTITIES = 3
ENTITY_SHARE = 0.5
MIN_WORDS = 5  # a sentence shorter than this is not matched (headlines, datelines, credits)
MIN_SENTENCES = 4  # both articles need this many matchable sentences
SENTENCE_MIN = 0.75  # cosine for two sentences to say the same thing
LEXICAL_SENTENCE_MIN = 0.6  # content-word Dice for the same, without embeddings
PREFILTER_DICE = 0.25  # before embedding: content-word Dice of a loose sentence match ...
PREFILTER_SHARE = 0.4  # ... and the share of the shorter article such loose matches must cover
SHARE_MIN = 0.6  # matched share of the shorter article's sentences
ORDER_MIN = 0.7  # share of the matches in the same order
MIN_MATCHED = 4
EVIDENCE = 3
SHINGLE = 5

_LINE = re.compile(r"[^\n]+")
_FALLBACK_SENT = re.compile(r"[^\n.!?]*(?:[.!?]+[\"'”’)]*|(?=\n)|$)")
_STOP = frozenset(
    {
        "the", "and", "for", "that", "with", "from", "this", "have", "has", "had", "was", "were", "are", "been",
        "will", "would", "could", "should", "their", "there", "they", "them", "his", "her", "its", "our", "who",
        "whom", "which", "what", "when", "where", "while", "after", "before", "about", "into", "over", "than",
        "then", "also", "said", "says", "say", "not", "but", "can", "may", "might", "more", "most", "some",
        "such", "other", "only", "just", "very", "being", "did", "does",
    }
)


# --------------------------------------------------------------------------- sentences


def sentence_segments(clean: CleanArticle, ext: Extraction) -> list[tuple[int, int]]:
    """Matchable sentences of an article as cleaned-text (start, end): the parser's sentences cut at line
    breaks (spaCy glues headlines and paragraph ends to the next sentence), stripped, >= MIN_WORDS words.
    Without parser sentences the text is cut at line breaks and sentence-final punctuation."""
    text = clean.text
    spans = [(s.start, s.end) for s in ext.sentences] or [
        (m.start(), m.end()) for m in _FALLBACK_SENT.finditer(text) if m.end() > m.start()
    ]
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for m in _LINE.finditer(text, start, end):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s and len(WORD_RE.findall(text, s, e)) >= MIN_WORDS and (not out or out[-1][1] <= s):
                out.append((s, e))
    return out


def sentence_texts(clean: CleanArticle, ext: Extraction) -> list[str]:
    """The texts of an article's ``sentence_segments``: what the rewrite test encodes when it embeds it."""
    return [clean.text[s:e] for s, e in sentence_segments(clean, ext)]


def _content(text: str) -> frozenset[str]:
    """Folded content words: numbers, and words of 3 letters or more that are not stop words."""
    return frozenset(
        w for w in words(fold(text)) if (w[0].isdigit() or (len(w) >= 3 and w[0].isalpha())) and w not in _STOP
    )


# --------------------------------------------------------------------------- alignment


class Alignment:
    """One-to-one sentence matches of a copy against an origin: ``pairs`` are (copy index, origin index,
    similarity), in copy order; ``share`` is the matched share of the shorter side; ``order`` the share of
    matches in the same order."""

    __slots__ = ("order", "pairs", "share")

    def __init__(self, pairs: list[tuple[int, int, float]], share: float, order: float) -> None:
        self.pairs = pairs
        self.share = share
        self.order = order

    def is_rewrite(self) -> bool:
        return len(self.pairs) >= MIN_MATCHED and self.share >= SHARE_MIN and self.order >= ORDER_MIN


def _lis(seq: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def align(sim: np.ndarray, minimum: float) -> Alignment:
    """Greedy one-to-one matching (best similarity first, ties by position) of the rows (copy sentences)
    and columns (origin sentences) of a similarity matrix, keeping pairs at or above ``minimum``."""
    n, m = sim.shape
    if n == 0 or m == 0:
        return Alignment([], 0.0, 0.0)
    rows, cols = np.nonzero(sim >= minimum)
    if len(rows) == 0:
        return Alignment([], 0.0, 0.0)
    vals = sim[rows, cols]
    order = np.lexsort((cols, rows, -vals))
    used_r: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for k in order.tolist():
        r, c = int(rows[k]), int(cols[k])
        if r in used_r or c in used_c:
            continue
        used_r.add(r)
        used_c.add(c)
        pairs.append((r, c, float(vals[k])))
    pairs.sort()
    share = len(pairs) / min(n, m)
    in_order = _lis([c for _, c, _ in pairs]) / len(pairs)
    return Alignment(pairs, share, in_order)


def _dice_matrix(a: list[frozenset[str]], b: list[frozenset[str]]) -> np.ndarray:
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    for i, x in enumerate(a):
        if not x:
            continue
        for j, y in enumerate(b):
            if y:
                out[i, j] = 2 * len(x & y) / (len(x) + len(y))
    return out


# --------------------------------------------------------------------------- evidence


def _shingle_evidence(copy: CleanArticle, origin: CleanArticle, segments: list[tuple[int, int]]) -> tuple[
    Citation, ...
]:
    """Up to EVIDENCE citations of the longest runs of the copy's words inside 5-word shingles that the
    origin also has, each cut to one sentence of the copy."""
    okeys = words(fold(origin.text))
    oset = {tuple(okeys[i : i + SHINGLE]) for i in range(max(0, len(okeys) - SHINGLE + 1))}
    matches = list(word_spans(copy.text))
    keys = [fold(copy.text[s:e]) for s, e in matches]
    shared = [tuple(keys[i : i + SHINGLE]) in oset for i in range(max(0, len(keys) - SHINGLE + 1))]
    covered = [False] * len(keys)
    for i, hit in enumerate(shared):
        if hit:
            for k in range(i, i + SHINGLE):
                covered[k] = True
    bounds = segments or [(0, len(copy.text))]
    pieces: list[tuple[int, int, int]] = []  # (-words, start, end)
    seg = 0
    run: list[int] = []

    def close() -> None:
        if len(run) >= SHINGLE:
            pieces.append((-len(run), matches[run[0]][0], matches[run[-1]][1]))
        run.clear()

    for k, (start, _end) in enumerate(matches):
        while seg < len(bounds) and bounds[seg][1] <= start:
            seg += 1
            close()
        inside = seg < len(bounds) and bounds[seg][0] <= start
        if covered[k] and inside:
            run.append(k)
        else:
            close()
    close()
    if not pieces and segments:  # shared runs only across sentence cuts: cite them uncut
        return _shingle_evidence(copy, origin, [])
    best = sorted(pieces)[:EVIDENCE]
    return tuple(copy.cite(s, e) for _, s, e in sorted(best, key=lambda p: p[1]))


# --------------------------------------------------------------------------- main


def _kind(similarity: float, method: str) -> str:
    if method == "identical":
        return "identical"
    return "wire copy" if similarity >= WIRE_COPY else "rewrite"


def find_independence(
    items: Sequence[tuple[CleanArticle, Extraction]],
    index: EntityIndex | None = None,
    *,
    embedder: Embedder | bool | None = None,
    threshold: float | None = None,
    sketches: Sequence[Sketch] | None = None,
) -> Independence:
    """Group the articles that are one source and link each copy to the earlier article it repeats.

    ``embedder``: None loads the default sentence embedder (only when a candidate pair needs it; content
    words only when no model is installed), False matches sentences by content words only (the relation's
    method is still "embedding": sentence alignment).  ``threshold``: shingle containment (default
    ``storyline.crosscheck.syndication.DEFAULT_THRESHOLD``).  ``sketches``: precomputed ``syndication.sketch`` of each
    item's cleaned text (same order), e.g. from worker processes.  Deterministic.
    """
    thr = DEFAULT_THRESHOLD if threshold is None else threshold
    by_id: dict[str, tuple[CleanArticle, Extraction]] = {}
    for clean, ext in items:
        by_id.setdefault(clean.article.id, (clean, ext))
    ids = list(by_id)
    if len(ids) < 2:
        return Independence()
    if sketches is not None and len(sketches) == len(items):
        sk_of = {c.article.id: s for (c, _), s in zip(items, sketches, strict=True)}
    else:
        sk_of = {aid: sketch(by_id[aid][0].text) for aid in ids}
    published = {aid: by_id[aid][0].article.published for aid in ids}
    rank_key = {aid: ((published[aid] or "~")[:10], -len(sk_of[aid].shingles), aid) for aid in ids}
    ordered = sorted(ids, key=rank_key.__getitem__)
    rank = {aid: r for r, aid in enumerate(ordered)}

    _groups, links = group_sketches([(aid, sk_of[aid], published[aid]) for aid in ordered], threshold=thr)
    parent: dict[str, tuple[str, CopyRelation]] = {}
    for lk in links:
        copy, origin = by_id[lk.copy][0], by_id[lk.origin][0]
        segs = sentence_segments(copy, by_id[lk.copy][1])
        rel = CopyRelation(
            lk.copy, lk.origin, _kind(lk.similarity, lk.method), lk.similarity, "minhash",
            _shingle_evidence(copy, origin, segs),
        )
        parent[lk.copy] = (lk.origin, rel)

    # ---- rewrites by sentence alignment
    root_sh: dict[str, str] = {}
    for aid in ordered:
        root_sh[aid] = root_sh[parent[aid][0]] if aid in parent else aid
    for later, (earlier, rel) in _rewrites(ordered, by_id, index, root_sh, set(parent), embedder).items():
        parent[later] = (earlier, rel)

    root: dict[str, str] = {}
    for aid in ordered:
        root[aid] = root[parent[aid][0]] if aid in parent else aid
    members: dict[str, list[str]] = defaultdict(list)
    for aid in ordered:
        members[root[aid]].append(aid)
    groups = tuple(tuple(ms) for r, ms in sorted(members.items(), key=lambda kv: rank[kv[0]]) if len(ms) > 1)
    rels = tuple(parent[aid][1] for aid in ordered if aid in parent)
    return Independence(groups=groups, links=rels)


def _entity_ids(aid: str, ext: Extraction, index: EntityIndex | None) -> frozenset[str]:
    if index is None:
        return frozenset()
    out = set()
    for m in ext.mentions:
        ent = index.resolve(aid, m.key)
        if ent is not None:
            out.add(ent.id)
    return frozenset(out)


def _earlier_rows(texts: list[str], days: list[dt.date | None]) -> Callable[[int], np.ndarray]:
    """``row(j)``: TF-IDF cosines of text ``j`` with each earlier text.  Up to FULL_MATRIX texts they come from
    the whole matrix (``pairwise_similarity``); beyond, each row is computed when asked and only over the
    earlier texts published at most MAX_DAYS before it (0 elsewhere: such pairs are never candidates), so a
    large story costs no n x n matrix.  Whole rows when ``days`` are not ascending with the unknown last
    (the order of ``find_independence``)."""
    if len(texts) <= FULL_MATRIX:
        sim = pairwise_similarity(texts)
        return lambda j: sim[j, :j]
    similarity = similarity_rows(texts)
    known = next((k for k, d in enumerate(days) if d is None), len(days))
    ordinals = [d.toordinal() for d in days[:known] if d is not None]
    windowed = all(d is None for d in days[known:]) and ordinals == sorted(ordinals)  # else whole rows

    def row(j: int) -> np.ndarray:
        day = days[j]
        lo = bisect.bisect_left(ordinals, day.toordinal() - MAX_DAYS, 0, j) if windowed and day else 0
        out = np.zeros(j, dtype=np.float64)
        out[lo:] = similarity(j, lo, j)
        return out

    return row


def _rewrites(
    ordered: list[str],
    by_id: dict[str, tuple[CleanArticle, Extraction]],
    index: EntityIndex | None,
    root_sh: dict[str, str],
    copies: set[str],
    embedder: Any,
) -> dict[str, tuple[str, CopyRelation]]:
    """Embedding (or content-word) rewrite links of articles that are no shingle copy (not in ``copies``):
    later article id -> (earlier id, relation)."""
    segs = {aid: sentence_segments(*by_id[aid]) for aid in ordered}
    usable = [aid for aid in ordered if len(segs[aid]) >= MIN_SENTENCES]
    if len(usable) < 2:
        return {}
    days = [by_id[aid][0].article.published_day for aid in usable]
    earlier_row = _earlier_rows([by_id[aid][0].text for aid in usable], days)
    ents = {aid: _entity_ids(aid, by_id[aid][1], index) for aid in usable}
    cands: dict[int, list[int]] = {}
    for j in range(1, len(usable)):
        if usable[j] in copies:
            continue
        row = earlier_row(j)
        earlier = np.flatnonzero(row >= LEXICAL_MIN)
        keep: list[tuple[float, int]] = []
        for i in earlier.tolist():
            a, b = usable[i], usable[j]
            if root_sh[a] == root_sh[b]:
                continue
            if days[i] and days[j] and abs((days[j] - days[i]).days) > MAX_DAYS:
                continue
            ea, eb = ents[a], ents[b]
            if (
                len(ea) >= MIN_ENTITIES
                and len(eb) >= MIN_ENTITIES
                and len(ea & eb) < ENTITY_SHARE * min(len(ea), len(eb))
            ):
                continue
            keep.append((-float(row[i]), i))
        if keep:
            cands[j] = [i for _, i in sorted(keep)[:MAX_CANDIDATES]]
    if not cands:
        return {}
    # Cheap prefilter before embedding: a rewrite keeps names and numbers, so most of its sentences share
    # some content words with their original (independent reports share only a few sentences).
    content = {aid: [_content(by_id[aid][0].text[s:e]) for s, e in segs[aid]] for aid in usable}
    for j in list(cands):
        kept = [
            i for i in cands[j]
            if align(_dice_matrix(content[usable[j]], content[usable[i]]), PREFILTER_DICE).share >= PREFILTER_SHARE
        ]
        if kept:
            cands[j] = kept
        else:
            del cands[j]
    if not cands:
        return {}
    pos = {aid: k for k, aid in enumerate(usable)}
    needed = sorted({usable[j] for j in cands} | {usable[i] for c in cands.values() for i in c}, key=pos.__getitem__)
    vectors = _sentence_vectors(needed, by_id, segs, content, embedder)
    out: dict[str, tuple[str, CopyRelation]] = {}
    for j in sorted(cands):
        b = usable[j]
        best: tuple[float, float, int, str, Alignment] | None = None
        for i in cands[j]:
            a = usable[i]
            va, vb = vectors[a], vectors[b]
            if isinstance(va, np.ndarray):
                matrix = vb @ va.T
                minimum = SENTENCE_MIN
            else:
                matrix = _dice_matrix(vb, va)
                minimum = LEXICAL_SENTENCE_MIN
            al = align(matrix, minimum)
            if not al.is_rewrite():
                continue
            mean = sum(p[2] for p in al.pairs) / len(al.pairs)
            key = (al.share, mean, -i)
            if best is None or key > best[:3]:
                best = (al.share, mean, -i, a, al)
        if best is None:
            continue
        share, _mean, _i, a, al = best
        clean_b = by_id[b][0]
        top = sorted(al.pairs, key=lambda p: (-p[2], p[0]))[:EVIDENCE]
        evidence = tuple(clean_b.cite(*segs[b][r]) for r, _c, _s in sorted(top))
        out[b] = (a, CopyRelation(b, a, "rewrite", round(share, 4), "embedding", evidence))
    return out


def _sentence_vectors(
    aids: list[str],
    by_id: dict[str, tuple[CleanArticle, Extraction]],
    segs: dict[str, list[tuple[int, int]]],
    content: dict[str, list[frozenset[str]]],
    embedder: Any,
) -> dict[str, Any]:
    """Each article's sentence vectors (one encode call for all), or content-word sets without embeddings."""
    if embedder is False:
        return {aid: content[aid] for aid in aids}
    texts = {aid: [by_id[aid][0].text[s:e] for s, e in segs[aid]] for aid in aids}  # = sentence_texts
    if embedder is None or embedder is True:
        from storyline.extract.embed import get_embedder

        try:
            embedder = get_embedder()
        except ModelError:  # no embedding model installed: content words only (degraded)
            return {aid: content[aid] for aid in aids}
    flat = [t for aid in aids for t in texts[aid]]
    matrix = np.asarray(embedder.encode(flat), dtype=np.float32)
    out: dict[str, Any] = {}
    pos = 0
    for aid in aids:
        n = len(texts[aid])
        out[aid] = matrix[pos : pos + n]
        pos += n
    return out
