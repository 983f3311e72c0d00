"""Ask a question about one story: retrieve supporting source sentences and answer with citations.

``build_index(sentences)`` indexes a story's source sentences (``Statement.citation`` from
:func:`storyline.crosscheck.statements.build_statements`, or the citations a store keeps per story) once: BM25
statistics (k1 1.2, b 0.75) over lower-cased, accent-folded, lightly stemmed content words, and sentence
vectors for cosine similarity.  ``retrieve`` fuses the two by a **normalised weighted sum**:
``0.4 * bm25 / max(bm25) + 0.6 * max(cosine, 0)``.  Chosen on the sample story: over 20 reader questions
with a known answer sentence, the right sentence came first for 13 lexical-only, 14 with reciprocal-rank
fusion (k 60), 15 with a 0.5/0.5 sum and 16 with 0.4/0.6 (top three: 18, 19, 19, 19).  Sentences whose
words are identical (wire copies) are kept once: the copy from the best-quality source
(``dossier["quality"]`` score) when a dossier is at hand, else the earliest published.

``answer`` first tries short templated answers over the dossier's records (a running figure or a figure
for "how many", a scheduled item or a dated event for "when", a quote for "what did X say/offer", the
roles of a person for "who is"), then the best passage, and refuses ("The sources do not say.") when the
question names a person or thing the sources never mention, or when nothing found covers its key terms.
A wrong confident answer is the worst outcome, so every path checks coverage before it answers; nothing
is answered from an item a maintainer suppressed, nor with the words of a flagged error, the losing side of
a decided conflict or a superseded value of a running figure (:mod:`storyline.reader.mistakes`).  Every citation
of an answer is a citation from the dossier or the index, so it verifies against the original text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from storyline.crosscheck.series import RUNNING_TOTAL_RE
from storyline.reader.mistakes import Mistakes
from storyline.reader.names import UNKNOWN, SourceNames
from storyline.reader.problems import Suppression, as_citation, is_suppressed
from storyline.reader.wording import figure_value
from storyline.records import Answer, Citation, Passage
from storyline.text import fold, stem
from storyline.text import words as split_words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.embed import Embedder

__all__ = ["NO_ANSWER", "AskIndex", "answer", "answer_to_dict", "build_index", "retrieve", "search_terms"]

NO_ANSWER = "The sources do not say."
K1 = 1.2
B = 0.75
_NEAR = 0.8  # word Jaccard above which two retrieved sentences are copies
W_BM25 = 0.4  # weight of the max-normalised BM25 score in the fused score (the rest: the cosine)
_POOL = 50  # candidates kept after fusion
PASSAGES = 8  # supporting passages an answer carries

# --------------------------------------------------------------------------- words

_NUM_RE = re.compile(r"^\d[\d,.]*$")
_TERMINAL_RE = re.compile(r"[.!][\"'\u201d\u2019)]*\s*$")



def _wordlist(text: str) -> frozenset[str]:
    """A hand-written list of words (not running text) as a set."""
    return frozenset(text.split())


_STOP = _wordlist(
    """a an the and or but if of to in on at by for from with without about into onto over under as is are
    was were be been being am do does did doing done have has had having will would shall should can could
    may might must it its it's this that these those there here their them they he him his she her hers we
    us our you your i me my mine who whom whose what which when where why how whether than then so such
    not no nor also just only very too any all some each every both either neither other others more most
    much many few less least own same up down out off again further once s t don't doesn't didn't isn't
    aren't wasn't weren't won't can't cannot couldn't wouldn't shouldn't hasn't haven't hadn't whats who's
    what's where's when's how's let's far yet still ever already now currently latest recently
    finally eventually ultimately initially originally anyone anybody someone somebody everyone everybody
    during among amid amongst within via upon toward towards despite throughout"""
)  # the last lines: adverbs of sequence, indefinite pronouns and prepositions (no subject of their own)
# the word after "what"/"which" in a when-question names the kind of answer, not its subject
_WHEN_TYPES = _wordlist("date dates day days time times year years month months hour hours")
# words that frame a question and say nothing about its subject
_FRAME = _wordlist(
    """happen happened happening tell know say said says told mean means meant think thought thinks
    exactly really actually please story news report reports reported according source sources article
    articles go going get got give gave given stand anything something thing things kind sort true false
    correct incorrect accurate total altogether overall cumulative counting including excluding"""
)  # the last seven say how to count ("in total"), not what: a figure's own words need not have them
_NUMBER_WORDS = _wordlist(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
    billion dozen dozens hundreds thousands millions half"""
)
# irregular forms and a few generic news synonyms, mapped to one canonical word before stemming
_CANON: dict[str, str] = {}
for _canon, _words in {
    "kill": "die died dies dying dead death deaths kill killed kills killing killings toll tolls fatality "
    "fatalities perish perished casualty casualties",
    "seize": "seize seized seizes seizing seizure seizures capture captured captures impound impounded",
    "vessel": "vessel vessels boat boats ship ships",
    "begin": "begin began begun begins beginning start started starts starting launch launched launches",
    "meet": "meet met meets meeting meetings",
    "arrive": "arrive arrived arrives arriving arrival land landed lands landing",
    "sign": "sign signed signs signing signature signatures signatory signatories",
    "take": "take took taken takes taking",
    "sink": "sink sank sunk sinks sinking",
    "run": "run ran runs running",
    "hold": "hold held holds holding",
    "lead": "lead led leads leading leader leaders",
    "go": "go went gone goes",
    "make": "make made makes making",
    "come": "come came comes coming",
    "leave": "leave left leaves leaving",
    "bring": "bring brought brings bringing",
    "speak": "speak spoke spoken speaks speaking",
    "strike": "strike struck strikes striking",
    "spend": "spend spent spends spending",
    "lose": "lose lost loses losing",
    "send": "send sent sends sending",
    "rise": "rise rose risen rises rising",
    "fall": "fall fell fallen falls falling",
    "win": "win won wins winning",
    "pay": "pay paid pays paying",
    "seek": "seek sought seeks seeking",
    "fight": "fight fought fights fighting",
    "choose": "choose chose chosen chooses choosing",
    "shoot": "shoot shot shoots shooting",
    "find": "find found finds finding",
    "keep": "keep kept keeps keeping",
    "fly": "fly flew flown flies flying",
    "know": "know knew known knows",
    "wound": "wound wounded wounds injure injured injures injury injuries hurt",
    "arrest": "arrest arrested arrests detain detained detains detention",
}.items():
    for _w in _words.split():
        _CANON[_w] = _canon


# the canonical word of each stem too: "arrivals" -> "arriv" -> "arrive"
_CANON_STEMS: dict[str, str] = {stem(w): c for w, c in _CANON.items()}


@lru_cache(maxsize=131072)
def _canonical(word: str) -> str:
    """A folded word's term: its canonical synonym (``_CANON``), else its stem (``storyline.text.stem``), mapped
    to the canonical word when a synonym has that stem; an agent noun keeps its "-er"."""
    canon = _CANON.get(word)
    if canon is not None:
        return canon
    s = stem(word)
    if word.endswith(("er", "ers")) and not s.endswith("er"):
        return s + "er"  # the doer is not the deed: "attackers" is not "attacks", "officer" not "office"
    return _CANON_STEMS.get(s, s)


_FRAME_TERMS = frozenset(_canonical(w) for w in _FRAME)


def _folded_words(text: str) -> list[str]:
    return split_words(fold(text))


def _terms(text: str) -> list[str]:
    """Content terms of a text: folded, stop words dropped, stemmed."""
    return [_canonical(w) for w in _folded_words(text) if w not in _STOP]


def search_terms(text: str) -> list[str]:
    """The terms a sentence is found by (what the store's full-text index holds) and a query searches with."""
    return _terms(text)


# --------------------------------------------------------------------------- index


@dataclass(frozen=True, slots=True, eq=False)
class AskIndex:
    """A story's sentences ready for questions (build once, query often; never mutated).

    Compared by identity (``eq=False``): its numpy arrays have no single truth value."""

    citations: tuple[Citation, ...]  # one per sentence (original-text citations)
    published: tuple[str | None, ...]  # publication date of each sentence's source
    vectors: np.ndarray | None  # (n, dim) float32 L2-normalised, or None (lexical only)
    postings: Mapping[str, tuple[np.ndarray, np.ndarray]]  # term -> (sentence indices, term counts)
    lengths: np.ndarray  # terms per sentence (float32)
    avg_length: float
    keys: tuple[str, ...]  # normalised words of each sentence (identical keys are copies)
    by_source: Mapping[str, tuple[int, ...]]  # source id -> its sentences' positions
    copies: Mapping[str, tuple[int, ...]]  # key -> positions, for keys held by more than one sentence
    # a story's candidate sentences drawn from the store's full-text index (storyline.reader.search) are
    # scored with the whole story's statistics, and a source's sentences are read from the store when asked
    doc_count: int = -1  # sentences in the story (-1: the sentences indexed here)
    doc_freq: Mapping[str, int] | None = None  # the story's sentences holding each term (else: counted here)
    lookup: Callable[[str], Sequence[Citation]] | None = None  # a source's sentences, in order (else: here)

    def df(self, term: str) -> int:
        if self.doc_freq is not None and term in self.doc_freq:
            return self.doc_freq[term]
        entry = self.postings.get(term)
        return 0 if entry is None else len(entry[0])

    @property
    def n_docs(self) -> int:
        return self.doc_count if self.doc_count >= 0 else len(self.citations)

    def sentences_of(self, source: str) -> Sequence[Citation]:
        """A source's sentences in order (those of the story, not only the ones indexed here)."""
        if self.lookup is not None:
            return self.lookup(source)
        return tuple(self.citations[i] for i in self.by_source.get(source, ()))


def build_index(
    sentences: Sequence[Citation],
    *,
    published: Mapping[str, str | None] | None = None,
    embedder: Embedder | None | Literal[False] = None,
    vectors: np.ndarray | None = None,
    stats: tuple[int, float, Mapping[str, int]] | None = None,
    lookup: Callable[[str], Sequence[Citation]] | None = None,
) -> AskIndex:
    """Index ``sentences`` (citations into original texts).  ``published`` maps source id -> date.

    ``vectors`` (a cache, one row per sentence) are used as given; otherwise ``embedder`` encodes the
    sentences (None: the default :func:`storyline.extract.embed.get_embedder`; False: lexical only).
    ``stats`` (the story's number of sentences, their mean number of terms, and how many hold each term) and
    ``lookup`` (a source's sentences) make an index of some of a story's sentences score as the whole story."""
    cits = tuple(c if type(c) is Citation else as_citation(c) for c in sentences)
    pub = published or {}
    lengths = np.zeros(len(cits), dtype=np.float32)
    keys: list[str] = []
    by_source: dict[str, list[int]] = {}
    flat_terms: list[str] = []
    flat_docs: list[int] = []
    flat_tfs: list[int] = []
    for i, c in enumerate(cits):
        by_source.setdefault(c.source, []).append(i)
        words = _folded_words(c.text)
        keys.append(" ".join(words))
        terms = [_canonical(w) for w in words if w not in _STOP]
        lengths[i] = len(terms)
        counts = Counter(terms)
        flat_terms.extend(counts.keys())
        flat_tfs.extend(counts.values())
        flat_docs.extend(repeat(i, len(counts)))
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if flat_terms:
        ids = {t: n for n, t in enumerate(dict.fromkeys(flat_terms))}
        inverse = np.fromiter(map(ids.__getitem__, flat_terms), dtype=np.int32, count=len(flat_terms))
        order = np.argsort(inverse, kind="stable")
        docs = np.asarray(flat_docs, dtype=np.int32)[order]
        tfs = np.asarray(flat_tfs, dtype=np.float32)[order]
        docs.flags.writeable = False
        tfs.flags.writeable = False
        bounds = np.searchsorted(inverse[order], np.arange(len(ids) + 1)).tolist()
        for t, n in ids.items():
            postings[t] = (docs[bounds[n]:bounds[n + 1]], tfs[bounds[n]:bounds[n + 1]])
    lengths.flags.writeable = False
    if vectors is not None:
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[0] != len(cits):
            raise ValueError(f"vectors must have one row per sentence: {vecs.shape} for {len(cits)} sentences")
    elif embedder is False or not cits:
        vecs = None
    else:
        if embedder is None:
            from storyline.extract.embed import get_embedder

            embedder = get_embedder()
        vecs = np.asarray(embedder.encode([c.text for c in cits]), dtype=np.float32)
    if vecs is not None:
        vecs = vecs.copy()
        vecs.flags.writeable = False
    repeated = {key for key, n in Counter(keys).items() if n > 1}
    groups: dict[str, list[int]] = {key: [] for key in repeated}
    for i, key in enumerate(keys):
        if key in repeated:
            groups[key].append(i)
    copies = {key: tuple(members) for key, members in groups.items()}
    avg = float(lengths.mean()) if len(cits) else 0.0
    whole = {} if stats is None else {"doc_count": stats[0], "doc_freq": dict(stats[2]), "lookup": lookup}
    if stats is not None:
        avg = stats[1]
    return AskIndex(
        citations=cits,
        published=tuple(pub.get(c.source) for c in cits),
        vectors=vecs,
        postings=postings,
        lengths=lengths,
        avg_length=avg or 1.0,
        keys=tuple(keys),
        by_source={src: tuple(ids) for src, ids in by_source.items()},
        copies=copies,
        **whole,
    )


def _bm25(terms: Iterable[str], index: AskIndex) -> np.ndarray:
    n = index.n_docs
    scores = np.zeros(len(index.citations), dtype=np.float32)
    norm = K1 * (1.0 - B + B * index.lengths / index.avg_length)
    for t in dict.fromkeys(terms):
        entry = index.postings.get(t)
        if entry is None:
            continue
        ids, tfs = entry
        df = index.df(t)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        scores[ids] += idf * tfs * (K1 + 1.0) / (tfs + norm[ids])
    return scores


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest positive scores, best first, ties by index (deterministic)."""
    pos = np.flatnonzero(scores > 0)
    if len(pos) == 0:
        return pos
    order = np.lexsort((pos, -scores[pos]))
    return pos[order[:k]]


def _question_vector(question: str, index: AskIndex, embedder: Any) -> np.ndarray | None:
    if index.vectors is None or embedder is False or not question.strip():
        return None
    if embedder is None:
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
    vec = np.asarray(embedder.encode([question]), dtype=np.float32)[0]
    if vec.shape[0] != index.vectors.shape[1] or not np.any(vec):
        return None
    return vec


def _fused(question: str, index: AskIndex, qvec: np.ndarray | None) -> tuple[list[int], dict[int, float],
                                                                           np.ndarray | None]:
    """Candidate sentence indices ranked by the fused score, their scores, and the cosine of every sentence.

    fused = W_BM25 * bm25 / max(bm25) + (1 - W_BM25) * max(cosine, 0); lexical only: bm25 / max(bm25)."""
    bm = _bm25(_terms(question), index)
    top = float(bm.max()) if len(bm) else 0.0
    scores = bm / top if top > 0 else bm
    cos = None
    if qvec is not None and index.vectors is not None and len(index.citations):
        cos = index.vectors @ qvec
        scores = W_BM25 * scores + (1.0 - W_BM25) * np.clip(cos, 0.0, None)
    ranked = [int(i) for i in _top(scores, _POOL)]
    return ranked, {i: float(scores[i]) for i in ranked}, cos


def _dedupe(ranked: list[int], scores: Mapping[int, float], index: AskIndex,
            quality: Mapping[str, float] | None) -> list[tuple[int, float]]:
    """One sentence per group of copies, at the group's best rank, with the group's best score.

    Copies are identical texts (every copy in the index competes, not only the retrieved ones) and near
    copies among the retrieved (word Jaccard >= 0.8 with the same numbers, so "12 vessels" and "nine
    vessels" both stay).  The kept copy: best-quality source when ``quality`` is given, else the earliest."""

    def rank(j: int) -> tuple[float, str, int]:
        q = quality.get(index.citations[j].source, 0.0) if quality else 0.0
        return (-q, index.published[j] or "~", j)

    kept: list[tuple[int, float]] = []
    shapes: list[tuple[frozenset[str], frozenset[str]]] = []
    for i in ranked:
        key = index.keys[i]
        best = min(index.copies.get(key, (i,)), key=rank)
        words = frozenset(key.split())
        nums = frozenset(w for w in words if w[:1].isdigit() or w in _NUMBER_WORDS)
        dup = next((n for n, (ws, ns) in enumerate(shapes)
                    if ns == nums and len(ws & words) >= _NEAR * len(ws | words)), None)
        if dup is None:
            kept.append((best, scores[i]))
            shapes.append((words, nums))
        elif rank(best) < rank(kept[dup][0]):
            kept[dup] = (best, kept[dup][1])
    return kept


def _retrieve(question: str, index: AskIndex, qvec: np.ndarray | None, k: int,
              quality: Mapping[str, float] | None) -> tuple[tuple[Passage, ...], list[int], np.ndarray | None]:
    ranked, fused, cos = _fused(question, index, qvec)
    kept = _dedupe(ranked, fused, index, quality)[: max(0, k)]
    out = tuple(Passage(index.citations[i], round(score, 6), index.published[i]) for i, score in kept)
    return out, [i for i, _score in kept], cos


def retrieve(question: str, index: AskIndex, *, embedder: Any = None, k: int = 8) -> tuple[Passage, ...]:
    """The ``k`` best sentences for ``question``, best first (BM25 and cosine fused; copies kept once).

    ``embedder``: None = the default embedder when the index has vectors; False = lexical only."""
    qvec = _question_vector(question, index, embedder)
    return _retrieve(question, index, qvec, k, None)[0]


# --------------------------------------------------------------------------- dossier helpers

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(_MONTHS)} | {m.lower()[:3]: i + 1 for i, m in
                                                                    enumerate(_MONTHS)}
_DAY_MONTH_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\b")
_MONTH_DAY_RE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")


def _fmt_date(value: str | None, *, year: bool = True) -> str | None:
    """'2025-12-16' -> '16 December 2025'; '2025-12' -> 'December 2025'; other TIMEX values as given."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not m or not 1 <= int(m[2]) <= 12:
        return value
    month = _MONTHS[int(m[2]) - 1]
    if m[3]:
        return f"{int(m[3])} {month} {m[1]}" if year else f"{int(m[3])} {month}"
    return f"{month} {m[1]}"


def _question_days(question: str) -> set[tuple[int, int]]:
    """(month, day) pairs written in a question: '9 December', 'Dec 9th'."""
    out = set()
    pairs = [(m[1], m[2]) for m in _DAY_MONTH_RE.finditer(question)]
    pairs += [(m[2], m[1]) for m in _MONTH_DAY_RE.finditer(question)]
    for day, month in pairs:
        num = _MONTH_NUM.get(month.lower())
        if num and 1 <= int(day) <= 31:
            out.add((num, int(day)))
    return out


def _same_day(value: str | None, days: set[tuple[int, int]]) -> bool:
    m = re.fullmatch(r"\d{4}-(\d{2})-(\d{2})", value or "")
    return bool(m) and (int(m[1]), int(m[2])) in days


def _before(when: str, said: str | None) -> bool:
    """Whether a TIMEX day/month/year value lies wholly before the day ``said`` (same precision compared)."""
    if not said or not re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", when):
        return False
    return when < said[: len(when)]


def _cits(items: Iterable[Any]) -> tuple[Citation, ...]:
    return tuple(as_citation(c) for c in items or ())


class _Story:
    """What the answering paths need from a dossier, looked up once per question."""

    def __init__(self, dossier: dict, index: AskIndex, suppressed: tuple[Suppression, ...]) -> None:
        self.d = dossier
        self.index = index
        self.suppressed = suppressed
        self.outlet = SourceNames(dossier.get("sources") or []).names  # readers' names, never a hash id
        self.source_date = {s["id"]: s.get("published") for s in dossier.get("sources") or []}
        self.quality = {q["source"]: float(q.get("score") or 0.0) for q in dossier.get("quality") or []}
        self.mistakes = Mistakes(dossier)
        self.entities = list(dossier.get("entities") or [])
        # every statement of a suppressed claim is hidden, not only its representative sentence
        self.hidden_places: set[tuple[str, int, int]] = set()
        if suppressed:
            for claim in dossier.get("claims") or []:
                cits = _cits(claim.get("citations"))
                if self.hidden("claim", cits):
                    self.hidden_places.update((c.source, c.start, c.end) for c in cits)

    def hidden(self, kind: str, citations: Sequence[Citation]) -> bool:
        return bool(citations) and bool(self.suppressed) and is_suppressed(kind, citations, self.suppressed)

    def shown(self, c: Citation) -> bool:
        """Whether a source sentence may be shown: no flagged error in it, no losing side of a decided
        conflict or superseded running-figure value (:mod:`storyline.reader.mistakes`), no suppression on it."""
        return (not self.erroneous(c) and self.mistakes.why([c]) is None
                and (c.source, c.start, c.end) not in self.hidden_places
                and not self.hidden("answer", [c]))

    def erroneous(self, c: Citation) -> bool:
        """Whether ``c`` contains (or lies inside) the words of a flagged error."""
        return self.mistakes.why([c], ("error",)) is not None

    def sentence_of(self, c: Citation) -> Citation | None:
        """The indexed sentence containing ``c`` (or overlapping it most)."""
        best, best_overlap = None, 0
        for s in self.index.sentences_of(c.source):
            overlap = min(s.end, c.end) - max(s.start, c.start)
            if overlap > best_overlap:
                best, best_overlap = s, overlap
        return best

    def source_q(self, source: str) -> float:
        return self.quality.get(source, 0.0)


# --------------------------------------------------------------------------- question analysis


@dataclass(frozen=True, slots=True)
class _Question:
    text: str
    terms: tuple[str, ...]  # content terms (frame words dropped), stemmed, unique
    names: tuple[str, ...]  # folded name words (capitalised in the question or known entity words)
    unknown: tuple[str, ...]  # content terms the corpus never uses
    days: frozenset[tuple[int, int]]
    excluded: frozenset[str] = frozenset()  # terms the question leaves out ("not counting crew")


# "not counting crew", "excluding children": what a count leaves out is no word it must match
_EXCLUDED_RE = re.compile(r"\b(?:not\s+counting|not\s+including|excluding|except(?:\s+for)?|other\s+than|"
                          r"apart\s+from)\s+(?:the\s+|any\s+|its\s+|their\s+)?(\w+)", re.IGNORECASE)
_WHAT_TYPE_RE = re.compile(r"\b(?:what|which)\s+(\w+)", re.IGNORECASE)


def _asked_type(question: str) -> str | None:
    """The term of the word after "which"/"what" ("team" in "which teams played"): the kind of thing asked
    for, which the sentence that answers need not repeat ("which band" is answered by "the rock group X")."""
    m = _WHAT_TYPE_RE.search(question)
    w = fold(m[1]) if m else ""
    return _canonical(w) if w and w not in _STOP and w not in _FRAME else None


def _when_type(question: str) -> str | None:
    """The answer-type word of a when-question ("date" in "on what date did ..."), else None."""
    m = _WHAT_TYPE_RE.search(question)
    return fold(m[1]) if m and fold(m[1]) in _WHEN_TYPES else None


def _analyse(question: str, story: _Story) -> _Question:
    index = story.index
    raw = split_words(question)
    entity_words = {w for e in story.entities for n in [e.get("name") or "", *(e.get("aliases") or [])]
                    for w in _folded_words(n) if w not in _STOP}
    terms: list[str] = []
    names: list[str] = []
    dated = {w.lower() for rx in (_DAY_MONTH_RE, _MONTH_DAY_RE) for m in rx.finditer(question)
             for w in m.groups() if w and (w.isdigit() or w.lower() in _MONTH_NUM)}
    when_type = _when_type(question)
    excluded = {_canonical(fold(m[1])) for m in _EXCLUDED_RE.finditer(question)}
    for pos, tok in enumerate(raw):
        w = fold(tok)
        if w in _STOP or w in _FRAME or _canonical(w) in _FRAME_TERMS or _NUM_RE.match(w) or w in dated:
            continue
        if w == when_type or _canonical(w) in excluded:
            continue
        t = _canonical(w)
        if t not in terms:
            terms.append(t)
        capital = tok[:1].isupper() and pos > 0 and not tok.isupper()
        if (capital or w in entity_words) and w not in names and not _NUM_RE.match(w):
            names.append(w)
    unknown = tuple(t for t in terms if index.df(t) == 0)
    return _Question(question, tuple(terms), tuple(names), unknown, frozenset(_question_days(question)),
                     frozenset(excluded))


def _coverage(q: _Question, terms: Iterable[str]) -> float:
    have = set(terms)
    if not q.terms:
        return 0.0
    return sum(1 for t in q.terms if t in have) / len(q.terms)


def _names_in(q: _Question, text: str) -> bool:
    words = set(_folded_words(text))
    return all(n in words for n in q.names)


# --------------------------------------------------------------------------- answering paths

_HOW_MANY_RE = re.compile(r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:is|was)\s+the\s+(?:number|total|toll|count)\b"
                          r"|\b(?:death|casualty)\s+toll\b", re.IGNORECASE)
_WHEN_RE = re.compile(r"\bwhen\b|\bwhat\s+(?:date|day|time)\b|\bhow\s+long\s+until\b|\bby\s+when\b",
                      re.IGNORECASE)
_WHO_RE = re.compile(r"^\W*who\s+(?:is|was|are|were|'s)\s+(?P<who>.+?)\W*$|^\W*who's\s+(?P<who2>.+?)\W*$",
                     re.IGNORECASE)
_QUOTE_RE = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had|will|would|is|was)\s+(?P<who>.+?)\s+"
    r"(?P<verb>say|said|saying|offer|offered|offering|promise|promised|announce|announced|tell|told|warn|warned|"
    r"propose|proposed|demand|demanded|ask|asked|want|wanted|threaten|threatened|claim|claimed|call|"
    r"urge|urged|think|plan|planned|accuse|accused|deny|denied|describe|described|reply|replied|"
    r"respond|responded|insist|insisted|admit|admitted|hope|hoped|pledge|pledged|vow|vowed)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(r"\b(?:will|would|shall|is\s+due|are\s+due|plans?\s+to|planned\s+to|is\s+expected|"
                        r"are\s+expected|set\s+to|scheduled|next|upcoming|later\s+this)\b|\w+'ll\b", re.IGNORECASE)
_SPEECH = frozenset(_canonical(w) for w in _wordlist("say tell announce state declare add warn promise pledge vow insist "
                                                "claim deny accuse urge call ask demand offer propose threaten"))
_GENERIC_THING = frozenset({"peopl", "person", "number", "total", "count", "figur", "amount", "many", "much"})
# a question about the whole count so far: a figure told of one occurrence ("a strike that killed five") or
# of one dated occasion never answers it
# ... the words of a running total (the ones series.py reads in articles), or a present perfect
_PERFECT_RE = re.compile(r"\b(?:have|has)\s+(?:been\s+)?\w+(?:ed|en)\b", re.IGNORECASE)
_NOT_A_TOTAL = frozenset({"incident", "occasion"})


def _answer(q: _Question, kind: str, text: str, citations: Sequence[Citation], story: _Story,
            passages: tuple[Passage, ...]) -> Answer | None:
    cits = tuple(dict.fromkeys(citations))
    if not cits or story.hidden("answer", cits):
        return None
    return Answer(q.text, True, text, kind, cits, passages)


def _figure_answer(q: _Question, story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    d = story.d
    thing = [t for t in q.terms if not _NUM_RE.match(t)]
    if not thing:
        return None
    hidden_points: set[tuple[str, int, int]] = set()
    scored: list[tuple[float, int, dict]] = []
    for n, s in enumerate(d.get("series") or []):
        points = [p for p in s.get("points") or [] if p.get("citations")]
        all_cits = [c for p in points for c in _cits(p["citations"])]
        if not points:
            continue
        if story.hidden("series", all_cits):
            hidden_points.update((c.source, c.start, c.end) for c in all_cits)
            continue
        desc = set(_terms(f"{s.get('what') or ''} {s.get('unit') or ''}"))
        score = _descriptor_score(thing, desc)
        if score > 0:
            scored.append((score, -n, s))
    if scored:
        scored.sort(key=lambda x: (-x[0], -x[1]))
        _score, _, s = scored[0]
        ans = _series_answer(q, s, story, passages)
        if ans is not None:
            return ans
        # the running total does not answer this narrower question; neither does one of its points
        hidden_points.update((c.source, c.start, c.end) for p in s.get("points") or []
                             for c in _cits(p.get("citations")))
    # single figures: the best matching count, its sentence words as a tie-breaker, then how many sources
    # give the same value for the same count (the story's headline toll is the one most sources repeat)
    support: dict[tuple[str, float], set[str]] = {}
    for f in d.get("figures") or []:
        support.setdefault((f.get("counts") or "", float(f.get("value") or 0)), set()).add(f.get("source") or "")
    best: tuple[float, float, int, int, float, int] | None = None
    chosen: dict | None = None
    wants_total = not q.days and bool(RUNNING_TOTAL_RE.search(q.text) or _PERFECT_RE.search(q.text))
    generic = _GENERIC_THING
    for n, f in enumerate(d.get("figures") or []):
        cits = _cits(f.get("citations"))
        if not cits or (cits[0].source, cits[0].start, cits[0].end) in hidden_points:
            continue
        if story.hidden("figure", cits) or story.erroneous(cits[0]):
            continue
        if wants_total and f.get("reading") in _NOT_A_TOTAL:
            continue
        desc = set(_terms(f"{f.get('counts') or ''} {f.get('unit') or ''}"))
        sent = story.sentence_of(cits[0])
        if sent is not None:  # the words right after the figure say what it counts too ("239 people on board")
            after = sent.text[max(0, cits[0].end - sent.start) :]
            desc |= set(_terms(" ".join(split_words(fold(after))[:4])))
        if desc & q.excluded:  # "passengers and crew" when asked "not counting crew"
            continue
        score = _descriptor_score(thing, desc, generic)
        if score <= 0:
            continue
        sent_terms = set(_terms(sent.text)) if sent else set()
        cover = _coverage(q, sent_terms | desc)
        if cover < 0.5:
            continue
        # every specific word asked must be there; one may be paraphrased ("went down" for "sank") only
        # when the question names what the figure counts ("killed"), never when it asks about another act
        missing = [t for t in thing if t not in generic and t not in desc and t not in sent_terms]
        acts = desc - set(_terms(f.get("unit") or ""))
        if missing and (len(missing) > 1 or not acts & set(q.terms)):
            continue
        if q.days and not _same_day(f.get("as_of"), set(q.days)):
            continue
        backers = len(support.get((f.get("counts") or "", float(f.get("value") or 0)), ()))
        near = _nearness(q, desc, sent, cits[0]) if sent is not None else 0
        key = (score, cover, near, backers, story.source_q(f.get("source") or cits[0].source), -n)
        if best is None or key > best:
            best, chosen = key, f
    if chosen is None:
        return None
    return _single_figure_answer(q, chosen, story, passages)


def _nearness(q: _Question, desc: set[str], sentence: Citation, figure: Citation) -> int:
    """How close the question's own specific words ("at the Bataclan") stand to the figure in its sentence:
    0 when right beside it (or when the question adds no such word), -1, -2, ... per 8 words further away."""
    extra = {t for t in q.terms if t not in desc and t not in _GENERIC_THING and not _NUM_RE.match(t)}
    if not extra:
        return 0
    at = figure.start - sentence.start
    before = sentence.text[: max(at, 0)]
    after = sentence.text[max(at, 0) + len(figure.text) :]
    gaps = [
        len(split_words(fold(part))) - i - 1 if side == "before" else i
        for side, part in (("before", before), ("after", after))
        for i, w in enumerate(split_words(fold(part)))
        if w not in _STOP and _canonical(w) in extra
    ]
    if not gaps:
        return -99
    return -(min(gaps) // 8)


def _descriptor_score(thing: Sequence[str], desc: set[str], generic: frozenset[str] = _GENERIC_THING) -> float:
    """How well a record's 'what it counts' words match the question: the specific words must match."""
    specific = [t for t in thing if t not in generic]
    hits_specific = sum(1 for t in specific if t in desc)
    hits_generic = sum(1 for t in thing if t in generic and t in desc)
    if specific and not hits_specific:
        return 0.0
    if not specific and not hits_generic:
        return 0.0
    return 2.0 * hits_specific + hits_generic


def _point_label(p: dict, what: str | None) -> str:
    return figure_value({**p, "unit": what})


def _series_answer(q: _Question, s: dict, story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    points = []
    for p in s.get("points") or []:
        cits = _cits(p.get("citations"))
        if not cits or story.erroneous(cits[0]) or story.hidden("figure", cits):
            continue
        points.append((p, cits))
    if not points:
        return None
    if q.days:  # a question about one day: the points as of that day
        on_day = [(p, c) for p, c in points if _same_day(p.get("as_of"), set(q.days))]
        if not on_day:
            return None
        points = on_day
    cumulative = bool(s.get("cumulative"))

    # the latest: by as_of, then publication; among equals the best-quality source.  A running total
    # does not go down: a later but lower figure is a stale copy, so the highest value (latest of it) wins.
    def order(pc: tuple[dict, tuple[Citation, ...]]) -> tuple[float, str, str, float]:
        p, cits = pc
        value = float(p.get("value") or 0.0) if cumulative else 0.0
        return (value, p.get("as_of") or "", p.get("published") or "", story.source_q(cits[0].source))

    latest, latest_cits = max(points, key=order)
    # words the question adds to what the series counts ("... in the ferry sinking") must be what the
    # series' own sentences are about, or the running total answers a narrower question wrongly
    desc = set(_terms(f"{s.get('what') or ''} {s.get('unit') or ''}"))
    rest = [t for t in q.terms if t not in desc]
    if rest:
        sentences = [story.sentence_of(c[0]) for _p, c in points]
        bags = [set(_terms(x.text)) for x in sentences if x is not None]
        last = story.sentence_of(latest_cits[0])
        in_last = last is not None and all(t in set(_terms(last.text)) for t in rest)
        if not in_last and not all(sum(t in b for b in bags) * 2 >= max(1, len(bags)) for t in rest):
            return None
    what = s.get("what") or s.get("unit")
    text = _point_label(latest, what)
    text = text[:1].upper() + text[1:]
    outlet = story.outlet.get(latest_cits[0].source, UNKNOWN)
    text += f", as of {_fmt_date(latest.get('as_of')) or 'the latest report'} ({outlet})"
    citations = list(latest_cits)
    earlier: list[str] = []
    seen_values = {(latest["value"], latest.get("value_high"))}
    for p, cits in sorted(points, key=lambda pc: (pc[0].get("as_of") or "", pc[0].get("published") or "")):
        v = (p["value"], p.get("value_high"))
        if v in seen_values or (cumulative and float(p["value"]) > float(latest["value"])):
            continue
        seen_values.add(v)
        when = _fmt_date(p.get("as_of"), year=False)
        earlier.append(f"{_point_label(p, None)} ({when})" if when else _point_label(p, None))
        citations.append(cits[0])
    if earlier:
        text += "; earlier reports: " + ", ".join(earlier)
    return _answer(q, "figure", text + ".", citations, story, passages)


def _single_figure_answer(q: _Question, f: dict, story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    cits = _cits(f.get("citations"))
    first = cits[0]
    # the same count in the same source written elsewhere ("12 boats" in a headline, "12 vessels" below)
    same = frozenset(_terms(f.get("counts") or f.get("unit") or ""))
    twins = [_cits(g.get("citations"))[0] for g in story.d.get("figures") or []
             if g.get("citations") and g.get("source") == f.get("source") and g.get("value") == f.get("value")
             and frozenset(_terms(g.get("counts") or g.get("unit") or "")) == same]
    places_of_f = {(c.source, c.start, c.end) for c in [first, *twins]}
    # a figure some other source contradicts: show every side, never one value as settled
    for x in story.d.get("conflicts") or []:
        if x.get("kind") not in ("number", "internal"):
            continue
        sides = x.get("sides") or []
        places = {(c.source, c.start, c.end) for side in sides for c in _cits(side.get("citations"))}
        if not places & places_of_f:
            continue
        disputed = _sides(x, story)
        if disputed is not None:
            return _answer(q, "figure", disputed[0], disputed[1], story, passages)
        return None
    sent = story.sentence_of(first)
    if sent is not None and not story.erroneous(sent):
        return _answer(q, "figure", sent.text, [sent, *cits], story, passages)
    label = _point_label(f, f.get("counts") or f.get("unit"))
    outlet = story.outlet.get(first.source, UNKNOWN)
    when = _fmt_date(f.get("as_of"))
    text = label[:1].upper() + label[1:] + (f", as of {when}" if when else "") + f" ({outlet})."
    return _answer(q, "figure", text, cits, story, passages)


def _date_answer(q: _Question, story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    d = story.d
    if not q.terms:
        return None
    cands: list[tuple[float, float, str, str, str, str, tuple[Citation, ...], str | None]] = []
    for item in d.get("next") or []:
        cits = _cits(item.get("citations"))
        if (not cits or not item.get("when") or story.hidden("next", cits) or story.erroneous(cits[0])
                or story.mistakes.why(cits[:1], ("error", "losing"))):
            continue
        text = item.get("text") or cits[0].text
        terms = set(_terms(f"{text} {item.get('label') or ''}"))
        if not _names_in(q, text):
            continue
        cover = _coverage(q, terms)
        label = _terms(item.get("label") or "")
        action = 1.0 if label and all(t in q.terms for t in label) else 0.0
        said = item.get("said_on") or story.source_date.get(cits[0].source)
        if _before(item["when"], said) and _FUTURE_RE.search(text):
            continue
        cands.append((cover + 0.1 * action, story.source_q(cits[0].source), item["when"], "next", text,
                      said or "", cits, item.get("when_text")))
    for ev in d.get("events") or []:
        cits = _cits(ev.get("citations"))
        if (not cits or not ev.get("date") or ev.get("negated") or ev.get("date_basis") != "text"
                or ev.get("precision") not in ("day", "month", "year")):
            continue
        action = _canonical(fold(ev.get("action") or ""))
        if action not in q.terms:  # the question must ask about this event's action
            continue
        if story.hidden("event", cits) or story.erroneous(cits[0]) or story.mistakes.why(cits[:1], ("error", "losing")):
            continue
        sentence = cits[0]
        if not _names_in(q, sentence.text):
            continue
        cover = _coverage(q, _terms(sentence.text))
        said = story.source_date.get(sentence.source)
        if _before(ev["date"], said) and _FUTURE_RE.search(sentence.text):
            continue  # "will reopen on Saturday" resolved to a day before it was said: a wrong date
        cands.append((cover, story.source_q(sentence.source), ev["date"], "date", sentence.text,
                      said or "", cits, None))
    if not cands:
        return None
    top = max(c[0] for c in cands)
    good = [c for c in cands if c[0] >= 0.6 and c[0] >= top - 0.15]
    if not good:
        return None
    # the date most sources give wins; ties to the better source
    votes: dict[str, float] = {}
    seen: set[tuple[str, str]] = set()
    for c in good:
        if (c[2], c[6][0].source) in seen:
            continue
        seen.add((c[2], c[6][0].source))
        votes[c[2]] = votes.get(c[2], 0.0) + 1.0 + c[1]
    ranked = sorted(votes, key=lambda w: (-votes[w], w))
    when = ranked[0]

    def pick(w: str) -> tuple:
        return max((c for c in good if c[2] == w), key=lambda c: (c[3] == "next", c[1], c[5]))

    _, _, when, kind, text, said, cits, _when_text = pick(when)
    stated = _fmt_date(said) if said else None
    tail = f"stated on {stated}; that is {_fmt_date(when)}" if stated else f"that is {_fmt_date(when)}"
    answer_text = f"{text} ({tail})"
    citations = list(cits)
    # a date other sources give nearly as often is shown too, never silently dropped
    others = [w for w in ranked[1:] if votes[w] >= 0.5 * votes[when]]
    for w in others[:2]:
        other = pick(w)
        outlet = story.outlet.get(other[6][0].source, UNKNOWN)
        answer_text += f" {outlet} gives {_fmt_date(w)} instead."
        citations.extend(other[6][:1])
    return _answer(q, kind, answer_text, citations, story, passages)


def _speaker_entities(who: str, story: _Story) -> tuple[set[str], set[str]]:
    """Entity ids the words ``who`` name (by name, alias or role), and the folded name words used."""
    words = [w for w in _folded_words(who) if w not in _STOP]
    if not words:
        return set(), set()
    ids: set[str] = set()
    for e in story.entities:
        names = {w for n in [e.get("name") or "", *(e.get("aliases") or [])] for w in _folded_words(n)}
        roles = {_canonical(w) for r in e.get("roles") or [] for w in _folded_words(r.get("role") or "")}
        if any(w in names for w in words) or (roles and all(_canonical(w) in roles for w in words)):
            ids.add(e["id"])
    for o in story.d.get("offices") or []:
        roles = {_canonical(w) for w in _folded_words(o.get("office") or "")}
        if o.get("status") == "current" and all(_canonical(w) in roles for w in words):
            ids.add(o.get("person"))
    ids.discard(None)  # type: ignore[arg-type]
    return ids, set(words)


# A speaker resolved to an organisation or place who is really a pronoun or a person tied to it.
_NOT_THE_ORG = re.compile(
    r"^\W*(?:they|it|he|she|we|them)\W*$|\b(?:pilot|instructor|engineer|expert|analyst|consultant|former|"
    r"veteran|worker|employee|passenger|relative|resident|witness)s?\b",
    re.IGNORECASE,
)


def _quote_answer(q: _Question, m: re.Match[str], story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    ids, who_words = _speaker_entities(m["who"], story)
    rest_terms = [t for t in _terms(m["rest"]) if t not in _FRAME]
    verb = _canonical(fold(m["verb"]))
    best: tuple[Any, ...] | None = None
    chosen: tuple[Citation, tuple[Citation, ...]] | None = None
    labels = {e["id"]: e.get("label") for e in story.entities}
    for n, quote in enumerate(story.d.get("quotes") or []):
        sp = quote.get("speaker") or {}
        if labels.get(sp.get("entity")) in ("ORG", "PLACE") and _NOT_THE_ORG.search(sp.get("as_written") or ""):
            continue  # "they said" or "a former Boeing instructor pilot said": a person, not the organisation
        if sp.get("entity") not in ids:
            spoken = set(_folded_words(f"{sp.get('name') or ''} {sp.get('as_written') or ''}"))
            if not who_words or not who_words <= spoken:
                continue
            tied = _NOT_THE_ORG.search(sp.get("as_written") or "")
            if tied and not set(_folded_words(tied.group(0))) & who_words:
                continue  # "a former engineer for Boeing said" is not what Boeing said
        cits = _cits(quote.get("citations"))
        if not cits or story.hidden("quote", cits) or any(story.erroneous(c) for c in cits):
            continue
        sent = story.sentence_of(cits[0]) or cits[0]
        if story.erroneous(sent):
            continue
        words = set(_terms(f"{sent.text} {quote.get('cue') or ''}"))
        hits = sum(1 for t in rest_terms if t in words)
        if rest_terms and hits == 0:
            continue
        verb_hit = 1.0 if verb in words and verb not in ("say", "tell") else 0.0
        if verb not in ("say", "tell") and not verb_hit and not hits:
            continue
        # a sentence that says who spoke reads as an answer on its own ("... ," Ndoye said)
        spoken = {w for w in _folded_words(f"{sp.get('name') or ''} {sp.get('as_written') or ''}") if w not in _STOP}
        attributed = bool(spoken & set(_folded_words(sent.text)))
        key = (hits + verb_hit, bool(_TERMINAL_RE.search(sent.text)), attributed, story.source_q(cits[0].source),
               quote.get("kind") == "direct",
               quote.get("said_on") or story.source_date.get(cits[0].source) or "", -n)
        if best is None or key > best:
            best, chosen = key, (sent, cits)
    if chosen is None:
        return None
    sent, cits = chosen
    return _answer(q, "quote", sent.text, [sent, *cits], story, passages)


def _who_answer(q: _Question, who: str, story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    words = [w for w in _folded_words(who) if w not in _STOP]
    if not words:
        return None
    named = [e for e in story.entities
             if all(w in {x for n in [e.get("name") or "", *(e.get("aliases") or [])] for x in _folded_words(n)}
                    for w in words)]
    # two people with the same surname: the one the sources mention most, unless they tie
    named.sort(key=lambda e: -int(e.get("mentions") or 0))
    if len(named) > 1 and int(named[0].get("mentions") or 0) == int(named[1].get("mentions") or 0):
        return None
    match = named[0] if named else None
    if match is None:  # "who is the envoy": the one person the sources give that role
        holders: dict[str, int] = {}
        for o in story.d.get("offices") or []:
            office = {_canonical(w) for w in _folded_words(o.get("office") or "")}
            if o.get("status") == "current" and o.get("person") and all(_canonical(w) in office for w in words):
                holders[o["person"]] = holders.get(o["person"], 0) + len(o.get("sources") or [])
        for e in story.entities:
            roles = {_canonical(w) for r in e.get("roles") or [] for w in _folded_words(r.get("role") or "")
                     if w != "former"}
            if roles and all(_canonical(w) in roles for w in words):
                holders.setdefault(e["id"], 0)
        if len(holders) != 1:
            return None
        match = next((e for e in story.entities if e["id"] in holders), None)
        if match is None:
            return None
    name = match.get("name") or who
    parts: list[str] = []
    citations: list[Citation] = []
    offices = [o for o in story.d.get("offices") or [] if o.get("person") == match["id"]]
    for o in offices:
        cits = _cits(o.get("citations"))
        good = [c for c in cits if not story.erroneous(c)]
        if not good:
            continue
        n = len(o.get("sources") or [])
        status = o.get("status")
        label = o.get("office") or ""
        if status and status != "current":
            label = f"{status} {label}"
        parts.append(f"{label} ({n} source{'s' if n != 1 else ''})")
        citations.extend(good)
    if not parts:  # roles the entity record carries
        by_role: dict[str, list[Citation]] = {}
        for r in match.get("roles") or []:
            good = [c for c in _cits(r.get("citations")) if not story.erroneous(c)]
            if good:
                by_role.setdefault(r.get("role", "").lower(), []).extend(good)
        for role, cits in by_role.items():
            n = len({c.source for c in cits})
            parts.append(f"{role} ({n} source{'s' if n != 1 else ''})")
            citations.extend(cits)
    if not parts:
        return None
    return _answer(q, "who", f"{name}: " + "; ".join(parts), citations, story, passages)


_DATE_TEXT_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|"
    r"Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:1[89]|20)\d\d\b"
    r"|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b|\b(?:yesterday|today|tonight|midnight|noon)\b"
)
_WHO_Q_RE = re.compile(r"^\W*who(?:'s)?\b", re.IGNORECASE)
def _covers(q: _Question, c: Citation, sim: float) -> float | None:
    """The share of the question's terms ``c`` has when it covers them, else None: every name present and
    most content words (at least two), or half of them with a high cosine."""
    terms = set(_terms(c.text))
    hits = sum(1 for t in q.terms if t in terms)
    cover = hits / len(q.terms)
    need = 2 / 3 if len(q.terms) >= 3 else 1.0
    strict = cover >= need and hits >= 2
    words = set(_folded_words(c.text))
    if any(n not in words for n in q.names):
        return None
    if strict or (sim >= 0.6 and cover >= 0.5 and hits >= 2) or (sim >= 0.8 and hits):
        return cover
    return None


def _rank_cover(q: _Question, c: Citation) -> float:
    """The share of the question's terms, other than the kind of thing asked for (:func:`_asked_type`), in
    ``c``: ranks the passages that cover the question ("which teams played at X" prefers "watched A play B
    at X" over "three teams attacked X")."""
    asked = _asked_type(q.text)
    rest = [t for t in q.terms if t != asked] or list(q.terms)
    terms = set(_terms(c.text))
    return sum(1 for t in rest if t in terms) / len(rest)


def _named(text: str, q: _Question, story: _Story) -> bool:
    """Whether ``text`` names a person, or an organisation mentioned more than once (a lone "CCTV" tagged as
    one is seldom an actor), that the question does not name."""
    asked = set(q.names)
    for e in story.entities:
        if e.get("label") != "PERSON" and (e.get("label") != "ORG" or int(e.get("mentions") or 0) < 2):
            continue
        for name in [e.get("name") or "", *(e.get("aliases") or [])]:
            own = {w for w in _folded_words(name) if w not in _STOP}
            if own and not own <= asked and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                return True
    return False


def _speaker(c: Citation, story: _Story) -> str | None:
    """The known speaker of a quote that ``c`` lies in (overlaps), if any."""
    for quote in story.d.get("quotes") or []:
        sp = quote.get("speaker") or {}
        if not sp.get("entity") or not sp.get("name"):
            continue
        if any(x.source == c.source and x.start < c.end and c.start < x.end for x in _cits(quote.get("citations"))):
            return str(sp["name"])
    return None


def _next_named(i: int, story: _Story) -> Citation | None:
    """The sentence after sentence ``i`` in its source when it opens with a person's name ("The man believed
    to be behind it was seen on camera. Ana Ruiz was ...")."""
    c = story.index.citations[i]
    order = story.index.sentences_of(c.source)
    at = next((k for k, s in enumerate(order) if s.start == c.start and s.end == c.end), -1)
    if at < 0 or at + 1 >= len(order):
        return None
    nxt = order[at + 1]
    for e in story.entities:
        if e.get("label") == "PERSON" and any(
                n and re.match(rf"{re.escape(n)}(?!\w)", nxt.text) for n in [e.get("name") or "", *(e.get("aliases") or [])]):
            return nxt if story.shown(nxt) else None
    return None


def _who(q: _Question, p: Passage, i: int, story: _Story) -> tuple[str, list[Citation], bool]:
    """A who-question's answer from passage ``p`` (sentence ``i``), and whether it names someone: the passage
    when it does, the quote's speaker when it is a quote, the passage and the next sentence when that one
    opens with a person; else the passage alone ("army engineers opened it" answers without a name)."""
    c = p.citation
    if _named(c.text, q, story):
        return c.text, [c], True
    speaker = _speaker(c, story)
    if speaker is not None:
        return f"{speaker} said: {c.text}", [c], True
    nxt = _next_named(i, story)
    if nxt is not None:
        return f"{c.text} {nxt.text}", [c, nxt], True
    return c.text, [c], False


def _passage_answer(q: _Question, story: _Story, passages: tuple[Passage, ...], positions: Sequence[int],
                    cos: np.ndarray | None) -> Answer | None:
    """The best of the top passages that covers the question's key terms (:func:`_covers`); questions in
    the text never count.  A when-question needs a passage with a date or time in it; among equally covering
    passages a who-question prefers one that names someone (:func:`_who`)."""
    if not q.terms:
        return None
    when = bool(_WHEN_RE.search(q.text))
    who = bool(_WHO_Q_RE.match(q.text))
    fits: list[tuple[tuple[float, float, bool, bool, bool, float], Passage, tuple[str, list[Citation], bool]]] = []
    for p, i in list(zip(passages, positions, strict=True))[:5]:
        text = p.citation.text.rstrip("\"'\u201d\u2019) ")
        if text.endswith("?") or (when and not _DATE_TEXT_RE.search(p.citation.text)):
            continue
        cover = _covers(q, p.citation, float(cos[i]) if cos is not None else 0.0)
        if cover is None:
            continue
        said = _who(q, p, i, story) if who else (p.citation.text, [p.citation], False)
        good_source = story.source_q(p.citation.source) >= 0.3 or not story.quality
        sentence = bool(_TERMINAL_RE.search(p.citation.text))
        fits.append(((round(_rank_cover(q, p.citation), 2), round(cover, 2), said[2], good_source, sentence, p.score),
                     p, said))
    if not fits:
        return None
    _key, best, said = max(fits, key=lambda f: f[0])
    disputed = _disagreement(best.citation, story)
    if disputed is not None:  # one side of an open dispute is not an answer: show every side
        return _answer(q, "passage", disputed[0], disputed[1], story, passages)
    return _answer(q, "passage", said[0], said[1], story, passages)


def _correction(q: _Question, story: _Story, passages: tuple[Passage, ...]) -> Answer | None:
    """A question about a flagged error's wrong words ("Operation Iron Wave", "former President X") is
    answered with the correction and its evidence, never with the wrong words as fact."""
    asked = set(q.terms)
    for e in story.d.get("errors") or []:
        cits = _cits(e.get("citations"))
        why = e.get("why")
        if not cits or not why or story.hidden("error", cits):
            continue
        wrong = set(_terms(" ".join(c.text for c in cits)))
        right = set(_terms(e.get("correction") or ""))
        only_wrong = wrong - right
        if only_wrong and only_wrong <= asked and asked <= wrong | right:
            return _answer(q, "passage", why, [*cits, *_cits(e.get("evidence"))], story, passages)
    return None


def _open_conflicts(story: _Story) -> list[dict]:
    return [x for x in story.d.get("conflicts") or []
            if x.get("likely") is None and x.get("kind") not in ("name", "role")]


def _dispute_about(q: _Question, story: _Story) -> tuple[str, list[Citation]] | None:
    """An open conflict whose subject ('when Operation X began') has every word of the question, and
    little else (most of its own words are asked about)."""
    if len(q.terms) < 2:
        return None
    asked = set(q.terms)
    for x in _open_conflicts(story):
        about = {t for t in _terms(x.get("about") or "") if not _NUM_RE.match(t)}
        if asked <= about and len(asked) / len(about) >= 0.6:
            return _sides(x, story)
    return None


def _disagreement(sentence: Citation, story: _Story) -> tuple[str, list[Citation]] | None:
    """The sides of an undecided conflict one of whose citations lies inside ``sentence``."""
    for x in _open_conflicts(story):
        sides = x.get("sides") or []
        inside = any(c.source == sentence.source and sentence.start <= c.start and c.end <= sentence.end
                     for side in sides for c in _cits(side.get("citations")))
        if inside:
            return _sides(x, story)
    return None


def _sides(x: dict, story: _Story) -> tuple[str, list[Citation]] | None:
    """'The sources disagree about <about>: <value> (<outlets>); ...' citing every side (None when a
    maintainer suppressed the conflict, or fewer than two sides are left)."""
    sides = x.get("sides") or []
    if story.hidden("conflict", [c for side in sides for c in _cits(side.get("citations"))]):
        return None
    parts: list[str] = []
    citations: list[Citation] = []
    for side in sides:
        sc = [c for c in _cits(side.get("citations")) if not story.erroneous(c)]
        if not sc:
            continue
        outlets = ", ".join(dict.fromkeys(story.outlet.get(s, UNKNOWN) for s in side.get("sources") or []))
        parts.append(f"{side.get('value')} ({outlets})" if outlets else str(side.get("value")))
        citations.extend(sc)
    if len(parts) < 2:
        return None
    about = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", lambda m: _fmt_date(m[0]) or m[0], x.get("about") or "this")
    return f"The sources disagree about {about}: " + "; ".join(parts) + ".", citations


# --------------------------------------------------------------------------- public


def answer(
    question: str,
    dossier: dict,
    index: AskIndex,
    *,
    embedder: Any = None,
    suppressed: Iterable[Suppression] = (),
) -> Answer:
    """Answer ``question`` from the story's dossier and indexed sentences, or say the sources do not say.

    ``embedder``: None = the default embedder when the index has vectors; False = lexical only."""
    question = question if isinstance(question, str) else str(question)
    story = _Story(dossier, index, tuple(suppressed))
    q = _analyse(question, story)
    # a person or thing the sources never mention: nothing here can answer it, nothing here is related
    if not q.terms or q.unknown:
        return Answer(question, False, NO_ANSWER, "none")
    qvec = _question_vector(question, index, embedder)
    found, positions, cos = _retrieve(question, index, qvec, 3 * PASSAGES, story.quality)
    keep = [n for n, p in enumerate(found) if story.shown(p.citation)][:PASSAGES]
    passages = tuple(found[n] for n in keep)
    positions = [positions[n] for n in keep]
    none = Answer(question, False, NO_ANSWER, "none", (), passages)
    corrected = _correction(q, story, passages)
    if corrected is not None:
        return corrected
    result: Answer | None = None
    who = _WHO_RE.match(question)
    quote = _QUOTE_RE.search(question)
    if who:
        result = _who_answer(q, who["who"] or who["who2"], story, passages)
    elif quote:
        result = _quote_answer(q, quote, story, passages)
    elif _HOW_MANY_RE.search(question):
        result = _figure_answer(q, story, passages)
    else:
        when = bool(_WHEN_RE.search(question))
        disputed = _dispute_about(q, story)
        if disputed is not None:  # the question is what an open dispute is about
            result = _answer(q, "date" if when else "passage", disputed[0], disputed[1], story, passages)
        elif when:
            result = _date_answer(q, story, passages)
    if result is None:
        fits = passages
        if quote:  # "what did X say": only a sentence that reports X's speech may stand in for a quote
            speech = {_canonical(fold(quote["verb"])), *_SPEECH}
            who_words = {w for w in _folded_words(quote["who"]) if w not in _STOP}
            fits = tuple(
                p for p in passages
                if speech & set(_terms(p.citation.text)) and who_words <= set(_folded_words(p.citation.text))
            )
            positions = [i for p, i in zip(passages, positions, strict=True) if p in fits]
        result = _passage_answer(q, story, fits, positions, cos)
        if result is not None:
            result = Answer(result.question, True, result.text, result.kind, result.citations, passages)
    return result or none


def answer_to_dict(a: Answer) -> dict:
    """A JSON-able dict of an answer (citations and passages as dicts)."""

    def cit(c: Citation) -> dict:
        return {"source": c.source, "start": c.start, "end": c.end, "text": c.text}

    return {
        "question": a.question,
        "answered": a.answered,
        "text": a.text,
        "kind": a.kind,
        "citations": [cit(c) for c in a.citations],
        "passages": [{"citation": cit(p.citation), "score": p.score, "published": p.published}
                     for p in a.passages],
    }
