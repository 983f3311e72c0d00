"""Syndication (independence) detection: wire copies and light rewrites of one original are one source.

Method
------
* Each article's cleaned text is cut into word shingles (``SHINGLE`` consecutive folded words of
  ``storyline.text.words``); each shingle is hashed to 64 bits (CRC-32 per distinct word, combined
  polynomially with numpy; deterministic).
* A ``datasketch.MinHash`` signature (``NUM_PERM`` permutations, scheme "affine64", fixed ``SEED``) of the
  shingle hashes goes into a ``datasketch.MinHashLSH`` index of ``BANDS`` bands of ``ROWS`` rows.  Articles are
  inserted oldest first and each queries the index before it is inserted, so every candidate pair is found
  once, from its later article.  With 2 rows per band a pair with Jaccard 0.2 (a rewrite that keeps half of a
  story twice its length) becomes a candidate with probability 0.99, while pairs that share only a quote or
  two (Jaccard ~0.03) rarely do.  An article with more than ``BIG_BUCKET`` earlier candidates (hundreds of
  reprints of one story) keeps only the ``BIG_BUCKET // 2`` oldest and the newest of them, so reprints cost
  linear, not quadratic, verification.
* Banding cannot see a short copy of a long original (a brief cut from a long story has a low Jaccard
  however much of it is copied), so articles under ``SHORT`` shingles are also paired with articles at least
  ``SIZE_RATIO`` times longer whose signatures agree on enough values (``short_copy_candidates``).
* Candidates are verified exactly by *containment*: shared shingles / shingles of the smaller article, so a
  trimmed rewrite still matches its origin however short it is.  A pair needs ``threshold`` containment
  (default 0.4: the sample corpus' rewrites score 0.69-0.71, a copy desk rewrite changing one word in 15 and
  dropping a third of the paragraphs scores 0.48-0.6, independent reports of one event under 0.25) and at
  least ``MIN_SHARED`` shared shingles.
* Groups: articles are taken oldest first (day of ``published``; unknown dates last; on the same day the
  longer text first, since copies trim; then id).  Each article joins the group of the earlier article it
  overlaps most, so an article is never an origin of something published before it, and a roundup that
  reprints two wire stories joins one of them instead of gluing the two together.  The group's origin is
  its earliest member.

Cost: about 1-2 ms per article (shingles and signature, which ``sketch`` computes wherever the text is,
e.g. in a worker process) plus the grouping (``group_sketches``).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.text import fold, words

SHINGLE = 5
NUM_PERM = 256
ROWS = 2
BANDS = NUM_PERM // ROWS
MIN_SHARED = 12
MIN_SHINGLES = 8
BIG_BUCKET = 64
SHORT = 300  # shingles: articles this short are also checked against much longer ones
SIZE_RATIO = 2.5
DEFAULT_THRESHOLD = 0.4
SEED = 20251210

_SCHEME = "affine64"  # 64-bit shingle hashes go in as they are (hashfunc=int)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME).permutations  # shared by every signature
_CHUNK = 8192  # shingles per MinHash update: bounds the temporary matrix to 16 MB
_WORD_HASH: dict[str, int] = {}  # word -> CRC-32 + 1 (deterministic across runs and processes)
_POWERS = np.array([pow(1_000_003, SHINGLE - 1 - j, 1 << 64) for j in range(SHINGLE)], dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class CopyLink:
    """``copy`` repeats ``origin`` (article ids): ``similarity`` is the containment of the smaller text."""

    copy: str
    origin: str
    similarity: float
    method: str  # "identical" (same shingles) | "containment"


@dataclass(frozen=True, slots=True)
class SyndicationGroup:
    """Articles that are one source: ``origin`` (earliest) first in ``members``."""

    origin: str
    members: tuple[str, ...]


def shingle_words(text: str) -> list[str]:
    """The folded words of a text that shingles are made of (``storyline.text.words``)."""
    return words(fold(text))


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the k-word shingles of ``text`` (the whole text if shorter than k)."""
    ws = shingle_words(text)
    if not ws:
        return np.zeros(0, dtype=np.uint64)
    table = _WORD_HASH
    missing = set(ws).difference(table)
    if missing:
        if len(table) > 500_000:  # bound the cache; the vocabulary of a news corpus is far smaller
            table.clear()
            missing = set(ws)
        table.update({w: zlib.crc32(w.encode("utf-8")) + 1 for w in missing})
    ids = np.fromiter(map(table.__getitem__, ws), dtype=np.uint64, count=len(ws))
    if len(ids) < k:
        k = len(ids)
        powers = _POWERS[-k:]
    else:
        powers = _POWERS if k == SHINGLE else np.array(
            [pow(1_000_003, k - 1 - j, 1 << 64) for j in range(k)], dtype=np.uint64
        )
    n = len(ids) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        acc += ids[j : j + n] * powers[j]
    return np.unique(acc)


def _new_minhash(hashvalues: np.ndarray | None = None) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, hashvalues=hashvalues,
                   permutations=_PERMUTATIONS, scheme=_SCHEME)


def minhash(sh: np.ndarray) -> np.ndarray:
    """The ``datasketch.MinHash`` hash values (NUM_PERM uint64) of a shingle array; all-ones for an empty one."""
    m = _new_minhash()
    values = sh.tolist()
    for lo in range(0, len(values), _CHUNK):
        m.update_batch(values[lo : lo + _CHUNK])
    return m.hashvalues


def containment(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    """(shared / size of the smaller set, shared) for two sorted unique shingle arrays."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / min(len(a), len(b)), shared


def candidate_pairs(signatures: Sequence[np.ndarray]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share at least one LSH band (``datasketch.MinHashLSH``, BANDS x ROWS).

    Pass the signatures oldest first: each is queried against the earlier ones before it is inserted.  An
    article with more than BIG_BUCKET earlier candidates (hundreds of reprints of one story) is paired only
    with the BIG_BUCKET // 2 oldest of them, the BIG_BUCKET // 2 most alike (most equal MinHash values: its
    likely origin) and the newest, so reprints cost linear, not quadratic, time.
    """
    pairs: set[tuple[int, int]] = set()
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    head = BIG_BUCKET // 2
    stacked = np.stack(signatures) if len(signatures) else np.zeros((0, NUM_PERM), dtype=np.uint64)
    for j, sig in enumerate(signatures):
        m = _new_minhash(sig)
        earlier = sorted(lsh.query(m))
        if len(earlier) > BIG_BUCKET:  # one array indexed, not a stack of its rows per article (quadratic)
            alike = (stacked[earlier] == sig).sum(axis=1)
            best = sorted(np.argsort(-alike, kind="stable")[:head].tolist())
            earlier = sorted({*earlier[:head], *(earlier[k] for k in best), earlier[-1]})
        pairs.update((i, j) for i in earlier)
        lsh.insert(j, m, check_duplication=False)
    return pairs


def short_copy_candidates(signatures: np.ndarray, sizes: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    """Pairs (i < j) of a short article and one at least SIZE_RATIO times longer with enough equal MinHash values.

    Banding misses a short copy of a long original: containment is high but Jaccard is low (a 40-shingle brief
    inside a 400-shingle story has Jaccard 0.1 at most).  For such pairs the share of equal signature values
    estimates the Jaccard; a pair is a candidate when it reaches half of the Jaccard that ``threshold``
    containment implies for these sizes (and at least 3 equal values).  Equal values are found per signature
    column by sorting (no pairwise comparison), so the cost follows the number of equal values, not the square
    of the corpus; a value shared by more than BIG_BUCKET articles is skipped (reprints, caught by banding).
    """
    short = np.nonzero(sizes < SHORT)[0]
    n = len(sizes)
    if len(short) == 0 or n < 2:
        return set()
    codes: list[np.ndarray] = []
    for p in range(signatures.shape[1]):
        col = signatures[:, p]
        order = np.argsort(col, kind="stable")
        ordered = col[order]
        lo = np.searchsorted(ordered, col[short], "left")
        count = np.searchsorted(ordered, col[short], "right") - lo
        keep = (count > 1) & (count <= BIG_BUCKET)
        if not keep.any():
            continue
        xs_short, lo, count = short[keep], lo[keep], count[keep]
        starts = np.repeat(lo - (np.cumsum(count) - count), count)
        ys = order[starts + np.arange(int(count.sum()))]
        xs = np.repeat(xs_short, count)
        ok = sizes[ys] >= SIZE_RATIO * sizes[xs]
        codes.append(xs[ok].astype(np.int64) * n + ys[ok])
    if not codes:
        return set()
    pair_codes, equal = np.unique(np.concatenate(codes), return_counts=True)
    xs, ys = pair_codes // n, pair_codes % n
    shared = threshold * sizes[xs]
    implied = shared / (sizes[xs] + sizes[ys] - shared)
    hit = equal >= np.maximum(3.0, 0.5 * implied * signatures.shape[1])
    return {(min(x, y), max(x, y)) for x, y in zip(xs[hit].tolist(), ys[hit].tolist(), strict=True)}


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """What find_copies needs of one article: its shingle hashes and MinHash signature (both uint64 arrays).

    Computing it is the per-article cost (about 1 ms for 500 words); a pipeline can compute it in its worker
    processes (``sketch(clean.text)``) and group in the main process with ``group_sketches``.
    """

    shingles: np.ndarray
    signature: np.ndarray


def sketch(text: str) -> Sketch:
    sh = shingles(text)
    return Sketch(sh, minhash(sh))


def find_copies(
    articles: Sequence[tuple[str, str, str | None]], *, threshold: float = DEFAULT_THRESHOLD
) -> tuple[tuple[SyndicationGroup, ...], tuple[CopyLink, ...]]:
    """Group copies of one original among ``(article_id, cleaned text, published ISO or None)``.

    Returns the groups of two or more articles (origin first, then members by date) and one link per
    non-origin member, to the earlier article it overlaps most.  Deterministic.
    """
    return group_sketches([(a[0], sketch(a[1]), a[2]) for a in articles], threshold=threshold)


def group_sketches(
    articles: Sequence[tuple[str, Sketch, str | None]], *, threshold: float = DEFAULT_THRESHOLD
) -> tuple[tuple[SyndicationGroup, ...], tuple[CopyLink, ...]]:
    """``find_copies`` on precomputed sketches ``(article_id, sketch, published ISO or None)``."""
    ids = [a[0] for a in articles]
    sets = [a[1].shingles for a in articles]

    def order_key(i: int) -> tuple[str, int, str]:
        published = articles[i][2]
        return ((published or "~")[:10], -len(sets[i]), ids[i])

    rank = {i: r for r, i in enumerate(sorted(range(len(articles)), key=order_key))}
    usable = sorted((i for i, s in enumerate(sets) if len(s) >= MIN_SHINGLES), key=rank.__getitem__)
    sigs = [articles[i][1].signature for i in usable]
    earlier: dict[int, list[tuple[float, int, int]]] = defaultdict(list)  # later -> (similarity, shared, earlier)
    candidates = candidate_pairs(sigs)
    if sigs:
        sizes = np.array([len(sets[i]) for i in usable], dtype=np.float64)
        candidates |= short_copy_candidates(np.stack(sigs), sizes, threshold)
    for x, y in candidates:
        i, j = usable[x], usable[y]
        if ids[i] == ids[j]:
            continue
        sim, shared = containment(sets[i], sets[j])
        if sim >= threshold and shared >= MIN_SHARED:
            first, later = (i, j) if rank[i] < rank[j] else (j, i)
            earlier[later].append((sim, shared, first))

    root: dict[int, int] = {}
    links: list[CopyLink] = []
    for i in sorted(range(len(articles)), key=rank.__getitem__):
        if not earlier.get(i):
            root[i] = i
            continue
        sim, _shared, parent = max(earlier[i], key=lambda c: (c[0], c[1], -rank[c[2]]))
        root[i] = root[parent]
        same = len(sets[i]) == len(sets[parent]) and sim == 1.0
        links.append(CopyLink(ids[i], ids[parent], round(sim, 4), "identical" if same else "containment"))

    members: dict[int, list[int]] = defaultdict(list)
    for i in sorted(root, key=rank.__getitem__):
        members[root[i]].append(i)
    groups = tuple(
        SyndicationGroup(ids[r], tuple(ids[m] for m in ms))
        for r, ms in sorted(members.items(), key=lambda kv: rank[kv[0]])
        if len(ms) > 1
    )
    return groups, tuple(links)
