"""Questions and source searches answered from the store's own full-text index (no per-story index in memory).

The store indexes every stored sentence by its search terms (:func:`storyline.reader.ask.search_terms`:
folded, stop words dropped, stemmed; migration 5: SQLite FTS5, PostgreSQL ``tsvector`` with a GIN index) and
keeps one embedding per sentence and model (``sentence_vectors``).

``question_index(store, story_id, question)`` builds the small :class:`~storyline.reader.ask.AskIndex` a
question needs, without holding the story:

1. **lexical candidates**: the story's sentences holding any of the question's terms, best first by the
   database's own ranking (FTS5 ``bm25``, PostgreSQL ``ts_rank``), at most ``LEXICAL_POOL``;
2. **semantic candidates**: the question's vector against the story's stored sentence vectors, read
   ``CHUNK`` rows at a time (memory bounded by the chunk, not the story), the ``SEMANTIC_POOL`` closest;
3. the union, in story order, scored with the **whole story's** statistics (its number of sentences, their
   mean number of terms and how many hold each question term, all counted by the database), so each
   candidate's BM25 and cosine are what the whole-story index gives it; a source's sentences (for "the
   sentence around this figure" and "the next sentence names the speaker") are read from the store on demand.

The answer is then the one :func:`storyline.reader.ask.answer` gives with the whole-story index, as long as
the whole-story top ``ask._POOL`` is among the candidates (a test checks equality on a story of our own).

``search_sources(store, query)`` ranks articles (of one story, or the whole store) by their best-matching
sentence in the database's ranking and cites that sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.records import Citation

if TYPE_CHECKING:  # pragma: no cover
    from storyline.reader.ask import AskIndex
    from storyline.store import Store

__all__ = ["SourceHit", "index_story", "prepare_story", "prepare_vectors", "question_index", "search_sources"]

LEXICAL_POOL = 1000  # sentences taken from the full-text index per question (the answer pool is ask._POOL = 50)
SEMANTIC_POOL = 200  # sentences taken by cosine alone
CHUNK = 1024  # stored vectors read at once (4,096 was both slower and 3x the memory: bench/search.py)
ENCODE_BATCH = 256  # sentences encoded at once when a story's vectors are first stored
SEARCH_ROWS = 5000  # matching sentences read for a source search


def _model_name(embedder: Any) -> str:
    return str(getattr(embedder, "name", type(embedder).__name__))


def prepare_vectors(store: Store, story_id: str, embedder: Any) -> int:
    """Encode and store the vectors of the story's sentences that have none for ``embedder``'s model yet (the
    first question on a story pays this once); returns how many were encoded."""
    model = _model_name(embedder)
    missing = store.missing_vectors(story_id, model)
    for at in range(0, len(missing), ENCODE_BATCH):
        part = missing[at : at + ENCODE_BATCH]
        texts = store.sentence_citations(part)
        vecs = np.asarray(embedder.encode([texts[k].text for k in part]), dtype=np.float32)
        store.save_sentence_vectors(model, ((a, n, vecs[j].tobytes()) for j, (a, n) in enumerate(part)))
    return len(missing)


def _closest(store: Store, story_id: str, model: str, qvec: np.ndarray, keep: set[tuple[str, int]],
             k: int) -> tuple[list[tuple[str, int]], dict[tuple[str, int], np.ndarray]]:
    """The ``k`` sentences of the story closest to ``qvec`` (cosine; ties by key), and the vectors of those and
    of ``keep``, streaming the stored vectors ``CHUNK`` rows at a time (they come in key order)."""
    kept: dict[tuple[str, int], np.ndarray] = {}
    best_cos, best_at = np.empty(0, np.float32), np.empty(0, np.int64)
    best_vec, best_keys = np.empty((0, qvec.shape[0]), np.float32), []
    seen = 0
    for rows in store.iter_story_vectors(story_id, model, CHUNK):
        mat = np.frombuffer(b"".join(v for _a, _n, v in rows), dtype=np.float32).reshape(len(rows), -1)
        if mat.shape[1] != qvec.shape[0]:
            continue
        keys = [(a, n) for a, n, _v in rows]
        kept.update((key, mat[j].copy()) for j, key in enumerate(keys) if key in keep)  # a view would pin the chunk
        cos = np.concatenate([best_cos, mat @ qvec])
        at = np.concatenate([best_at, np.arange(seen, seen + len(rows))])
        order = np.lexsort((at, -cos))[:k]
        vecs, every = np.vstack([best_vec, mat]), best_keys + keys
        best_cos, best_at, best_vec, best_keys = cos[order], at[order], vecs[order], [every[i] for i in order]
        seen += len(rows)
    kept.update(zip(best_keys, best_vec, strict=True))
    return best_keys, kept


class _Sentences:
    """A source's stored sentences and texts, read from the store once per question."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, tuple[Citation, ...]] = {}

    def __call__(self, source: str) -> tuple[Citation, ...]:
        if source not in self.cache:
            self.cache[source] = tuple(c for _a, _n, c in self.store.sentences([source]))
        return self.cache[source]


def index_story(store: Store, story_id: str | None = None) -> int:
    """Store and index the sentences of a story's articles (or of every article) that are not yet: articles
    analysed before their story was built, and stores made before the full-text index; returns how many."""
    from storyline.reader.stories import index_sentences, save_sentences

    no_sentences, no_terms = store.unindexed(story_id)
    if no_sentences:
        save_sentences(store, store.iter_loaded(no_sentences))
    if no_terms:
        index_sentences(store, no_terms)
    return len(no_sentences) + len(no_terms)


def prepare_story(store: Store, story_id: str, embedder: Any) -> None:
    """Everything a question on the story needs stored beforehand: its sentences, their full-text index, and
    (unless ``embedder`` is False) their vectors."""
    index_story(store, story_id)
    if embedder is not False:
        prepare_vectors(store, story_id, embedder)


def question_index(store: Store, story_id: str, question: str, *, embedder: Any = False,
                   prepared: bool = False) -> AskIndex:
    """The candidates of the story's sentences for ``question`` (module docstring), as an index scored like
    the whole story's.  ``embedder`` False: lexical only; else its stored vectors are used (encoded first
    where missing, :func:`prepare_vectors`, unless ``prepared`` says that was done)."""
    from storyline.reader.ask import build_index, search_terms

    ids = store.story_article_ids(story_id)
    index_story(store, story_id)
    terms = list(dict.fromkeys(search_terms(question)))
    lexical = [(a, n) for a, n, *_rest in store.search_sentences(terms, story_id=story_id, limit=LEXICAL_POOL)]
    vectors: dict[tuple[str, int], np.ndarray] | None = None
    keys = list(lexical)
    if embedder is not False and question.strip():
        if not prepared:
            prepare_vectors(store, story_id, embedder)
        qvec = np.asarray(embedder.encode([question]), dtype=np.float32)[0]
        close, vectors = _closest(store, story_id, _model_name(embedder), qvec, set(lexical), SEMANTIC_POOL)
        keys = list(dict.fromkeys([*lexical, *close]))
    order = {aid: i for i, aid in enumerate(ids)}
    keys.sort(key=lambda k: (order.get(k[0], len(order)), k[1]))
    by_key = store.sentence_citations(keys)
    keys = [k for k in keys if k in by_key]
    published = store.published_of(a for a, _n in keys)
    count, mean = store.sentence_stats(story_id)
    stats = (count, mean, store.term_counts(terms, story_id=story_id))
    matrix = None
    if vectors is not None:
        dim = next(iter(vectors.values())).shape[0] if vectors else 0
        matrix = np.stack([vectors.get(k, np.zeros(dim, np.float32)) for k in keys]) if keys else None
    return build_index([by_key[k] for k in keys], published=published, embedder=False if matrix is None else None,
                       vectors=matrix, stats=stats, lookup=_Sentences(store))


@dataclass(frozen=True, slots=True)
class SourceHit:
    """An article found by a source search: its best-matching sentence (cited) and how many sentences match."""

    source: str
    title: str | None
    published: str | None
    outlet: str | None
    origin: str
    matches: int
    citation: Citation


def search_sources(store: Store, query: str, *, story_id: str | None = None, limit: int = 20) -> list[SourceHit]:
    """Articles holding the words of ``query`` (its search terms, any of them), best first by the database's
    ranking of their best sentence, ties by how many of their sentences match, then id."""
    from storyline.reader.ask import search_terms

    index_story(store, story_id)
    rows = store.search_sentences(search_terms(query), story_id=story_id, limit=SEARCH_ROWS)
    first: dict[str, tuple[int, int, int]] = {}
    counts: dict[str, int] = {}
    for rank, (aid, _n, start, end, _terms) in enumerate(rows):
        first.setdefault(aid, (rank, start, end))
        counts[aid] = counts.get(aid, 0) + 1
    ranked = sorted(first, key=lambda a: (first[a][0], -counts[a], a))[: max(0, limit)]
    out = []
    for aid in ranked:
        article = store.article(aid)
        if article is None:
            continue
        _rank, start, end = first[aid]
        out.append(SourceHit(aid, article.title, article.published, article.outlet, article.origin, counts[aid],
                             Citation(aid, start, end, article.text[start:end])))
    return out

