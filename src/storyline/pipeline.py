"""The pipeline: ingest -> clean -> parse -> extract -> store -> dossier.

Articles stream through; only small extraction records are kept.  Cleaning, parsing
and extraction run in worker processes (one per core) fed in bounded batches, so memory
stays flat however large the corpus; the main process ingests (reading files and URLs,
within its byte and time limits), drops duplicates and articles already extracted, and
writes each article to the store in its own transaction.  A worker gets an article's raw
text and sends back the cleaned text, its character map and the extraction, or a failure
(``Skipped``: furniture only, too long, a bad input) that the main process records as
it would its own.

Bounds, whatever the input (measured by bench/linear.py, see docs/benchmarks.md):

* **Article length.**  A cleaned text over ``MAX_ARTICLE_CHARS`` (2,000,000 characters) is refused with
  one ``InputTooLarge`` failure naming it and its length; the run goes on.  A text over ``CHUNK_CHARS``
  (100,000), or over ``CHUNK_TOKENS`` (25,000) guessed tokens, is parsed in pieces of at most that much, cut
  at paragraph breaks and joined into one Doc (``parse_text``), so the
  parser's memory is that of one piece: cost is linear in length (about 30 µs a character on the 2-core
  machine) and one article of the maximum length peaks under 1 GB in its worker (model included),
  within the stated bound of 1.5 GB.
* **Time.**  An article whose parse and extraction take longer than ``TIME_BUDGET_S`` (120 s; the
  ``time_budget`` argument, None for none) is skipped as ``InputTooLarge`` "over the 120 s time budget",
  in worker processes and in the main process alike (SIGALRM, in a main thread), and on Dask workers
  (``_watchdog``: a timer thread raises in the worker thread; like a signal handler's, the exception comes
  at the next Python instruction, so neither interrupts one long call into C).  Cleaning is not timed: it
  is linear, and a raw text over twice ``MAX_ARTICLE_CHARS`` is refused before it is sent.  Elsewhere (a
  thread of another program calling ``run_batches``) no budget.
* **Memory in flight.**  Batches close at ``BATCH_ARTICLES`` (16) articles or ``BATCH_CHARS`` (400,000)
  characters of raw text, whichever comes first (an article longer than that goes alone).  Tasks are pulled
  only as batches are sent and at most two batches per worker are in flight, so the main process holds the
  raw text of at most ``2 * workers + 1`` batches: at most ``(2 * workers + 1) * 2 * MAX_ARTICLE_CHARS``
  characters, and ``(2 * workers + 1) * BATCH_CHARS`` when every article is shorter than ``BATCH_CHARS``;
  and, for the batches that came back and wait to be stored, the cleaned text and its character map (16
  bytes a character), as it held them for every batch in flight when cleaning ran here.
* **On a Dask cluster** (``analyze(..., cluster=ADDRESS_OR_CLIENT)``, ``storyline analyze --cluster``): the same
  batches run on the cluster's workers (storyline.cluster): clean, parse and extract, with the same time
  budget and length limit; at most two batches per worker thread in flight (plus the articles of a batch
  split after it killed its workers), stored as they complete.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import re
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from storyline import __version__
from storyline.errors import InputError, InputTooLarge, NoArticleText, StorylineError
from storyline.extract.dates import extract_dates
from storyline.extract.entities import extract_mentions, link_entities
from storyline.extract.events import extract_events
from storyline.extract.figures import extract_figures
from storyline.extract.nlp import load_nlp, model_name
from storyline.extract.predicates import extract_predicates
from storyline.extract.quotes import extract_quotes
from storyline.ingest.clean import clean as clean_article
from storyline.ingest.ingest import DEFAULT_MAX_BYTES, DEFAULT_URL_SECONDS, iter_articles
from storyline.records import Article, CleanArticle, Extraction, RemovedLine, Span

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client
    from spacy.language import Language
    from spacy.tokens import Doc

    from storyline.ingest.spans import OffsetMap
    from storyline.store import Store

STAGES = ("entities", "dates", "quotes", "figures", "events", "predicates")
_STAGE_MODULES = (
    "ingest/clean", "extract/entities", "extract/dates", "extract/quotes", "extract/figures", "extract/events",
    "extract/predicates", "records",
)
_STAGE_DATA = ("data/eventive.json",)  # fitted data the extraction reads

MAX_ARTICLE_CHARS = 2_000_000  # the longest cleaned text analysed: ~60 s and < 1 GB in a worker (see above)
TIME_BUDGET_S = 120.0  # seconds one article's parse and extraction may take
BATCH_ARTICLES = 16  # a batch of work for one worker closes at this many articles...
BATCH_CHARS = 400_000  # ... or this many characters of cleaned text


def pipeline_signature(model: str | None = None) -> str:
    """Identifies the extraction code and model: a stored extraction with another signature is redone."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in (*(f"{m}.py" for m in _STAGE_MODULES), *_STAGE_DATA):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - installed without sources or data
            digest.update(name.removesuffix(".py").encode())
    return f"{__version__}:{model_name(model)}:{digest.hexdigest()[:12]}"


# --------------------------------------------------------------------------- parsing long texts

CHUNK_CHARS = 100_000  # a longer cleaned text is parsed in pieces of at most this many characters
# ... and of at most about this many tokens: the parser's memory follows tokens, not characters.  Prose has
# about 20,000 tokens in 100,000 characters; a run of punctuation and one-letter words has three times as many
CHUNK_TOKENS = 25_000
_TOKEN_GUESS = re.compile(r"\w+|[^\w\s]")  # close to the parser's tokens, in one linear pass
_PARA_END = re.compile(r"\n\n")
_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")
_SPACE = re.compile(r"\s")


def _last_end(rx: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """End of the last match of ``rx`` inside text[lo:hi], or None."""
    end = None
    for m in rx.finditer(text, lo, hi):
        end = m.end()
    return end


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text``, each at most ``size`` characters, that concatenate
    back to it: cut after a paragraph break in the last three quarters of a piece, else after a sentence end
    or else after white space in its second half, else (one unbroken run) at ``size``."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        hi = start + size
        cut = (
            _last_end(_PARA_END, text, start + size // 4, hi)
            or _last_end(_SENT_END, text, start + size // 2, hi)
            or _last_end(_SPACE, text, start + size // 2, hi)
            or hi
        )
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def piece_size(text: str, chunk: int = CHUNK_CHARS, tokens: int = CHUNK_TOKENS) -> int:
    """Characters per piece of ``text``: ``chunk``, or fewer for a text so dense in tokens that a piece of
    ``chunk`` characters would hold more than about ``tokens`` of them."""
    if len(text) <= tokens:  # a text holds fewer tokens than characters
        return chunk
    guessed = sum(1 for _ in _TOKEN_GUESS.finditer(text))
    return min(chunk, max(1_000, len(text) * tokens // max(1, guessed)))


def parse_text(nlp: Language, text: str, chunk: int = CHUNK_CHARS) -> Doc:
    """``nlp(text)``; a text over ``piece_size`` characters is parsed in pieces (``chunk_bounds``) joined into
    one Doc, so that the parser's memory stays that of one piece and every offset still indexes ``text``."""
    size = piece_size(text, chunk)
    if len(text) <= size:
        return nlp(text)
    from spacy.tokens import Doc

    pieces = [nlp(text[s:e]) for s, e in chunk_bounds(text, size)]  # one at a time: nlp.pipe batches them
    doc = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor", "user_data"])
    assert doc.text == text  # noqa: S101 - an invariant of chunk_bounds and Doc.from_docs
    return doc


def count_words(doc: Doc) -> int:
    return sum(1 for t in doc if not (t.is_punct or t.is_space))


def extract_doc(doc: Doc, article_id: str, published: str | None, stages: Sequence[str] = STAGES) -> Extraction:
    """Run the extraction stages on one parsed article (cleaned text)."""
    wanted = set(stages)
    mentions = extract_mentions(doc) if wanted & {"entities", "quotes", "events"} else ()
    dates = (
        extract_dates(doc.text, published, doc=doc) if wanted & {"dates", "quotes", "figures", "events"} else ()
    )
    quotes = extract_quotes(doc, mentions, dates) if "quotes" in wanted else ()
    figures = extract_figures(doc, dates, published) if "figures" in wanted else ()
    events = extract_events(doc, mentions, dates, published) if "events" in wanted else ()
    predicates = extract_predicates(doc) if "predicates" in wanted else ()
    return Extraction(
        article_id=article_id,
        mentions=tuple(mentions),
        dates=tuple(dates),
        quotes=tuple(quotes),
        figures=tuple(figures),
        events=tuple(events),
        words=count_words(doc),
        sentences=tuple(Span(s.start_char, s.end_char, s.text) for s in doc.sents),
        predicates=predicates,
    )


# --------------------------------------------------------------------------- workers

_WORKER: dict[str, Any] = {}
Task = tuple[str, str, str | None]  # (article id, cleaned text, published): parsed and extracted as it is
Work = Task | Article  # an Article (its raw text) is cleaned first, where its batch runs


class Skipped(NamedTuple):
    """An article a worker could not analyse: the failure kind, a one-line reason, and the failure's source
    when it is not the article's origin (an InputError raised while cleaning names its own)."""

    kind: str
    reason: str
    source: str | None = None


class Cleaned(NamedTuple):
    """An Article cleaned, parsed and extracted where its batch ran: the parts of its CleanArticle but the
    article itself (the caller holds it: its raw text does not travel back) and the extraction."""

    text: str
    offsets: OffsetMap
    removed: tuple[RemovedLine, ...]
    extraction: Extraction

    def joined(self, article: Article) -> CleanArticle:
        return CleanArticle(article=article, text=self.text, offsets=self.offsets, removed=self.removed)


Outcome = Extraction | Cleaned | Skipped


class _OverBudget(StorylineError):
    """Raised by the SIGALRM handler inside ``_run_batch`` and caught there: it never leaves a batch."""


def _worker_init(model: str | None) -> None:
    _WORKER["nlp"] = load_nlp(model)


def _on_alarm(signum: int, frame: object) -> None:
    raise _OverBudget("over the time budget")


@contextmanager
def _alarms(budget: float | None, threads: bool = False) -> Iterator[float | None]:
    """The budget that can be enforced here: ``budget`` in the main thread of a process with SIGALRM (a
    handler is installed until the block ends); with ``threads`` (a Dask worker thread) ``budget`` in any
    other thread too (``_deadline`` then uses a watchdog thread); else None (no budget)."""
    if not budget:
        yield None
        return
    if threading.current_thread() is not threading.main_thread():
        yield budget if threads else None
        return
    if not hasattr(signal, "setitimer"):  # pragma: no cover - no SIGALRM (Windows)
        yield None
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None):
        yield None  # someone else's alarm (a test runner's timeout...): leave it alone
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        yield budget
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise _OverBudget in the block after ``seconds`` (inside ``_alarms``); None: no limit.  In the main
    thread by SIGALRM; in another one (``_alarms(threads=True)``) by ``_watchdog``."""
    if seconds and threading.current_thread() is not threading.main_thread():
        with _watchdog(seconds):
            yield
        return
    if seconds:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    """Have ``exc`` raised in thread ``thread_id`` at its next Python instruction (None: forget one pending)."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """SIGALRM's counterpart for a thread other than the main one: after ``seconds`` a timer thread has
    _OverBudget raised in this thread, which sees it, as it would see a signal handler's exception, at its next
    Python instruction.  Leaving the block disarms the timer under a lock and forgets one that fired too late
    to be raised inside it, so none is raised after the block."""
    me, lock, state = threading.get_ident(), threading.Lock(), {"armed": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _async_raise(me, _OverBudget)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["armed"] = False
        if state["fired"]:
            _async_raise(me, None)


def _run_batch(
    batch: list[Work], mode: str = "extract", budget: float | None = None, max_chars: int | None = None,
    threads: bool = False,
) -> list[Outcome]:
    """Clean (an Article), parse and extract a batch; per-article failures come back as ``Skipped``, not
    exceptions.  A Task gives an Extraction, an Article a ``Cleaned``: see ``_prepare`` for its cleaning.

    Articles of one piece (``piece_size``) are parsed together (``nlp.pipe``, one budget for the batched parse);
    if that fails or runs over, the rest are parsed one at a time.  Each article's extraction (and its own
    parse) has ``budget`` seconds where ``_alarms`` can enforce it (``threads``: in any thread)."""
    prepared = [_prepare(item, max_chars) for item in batch]
    tasks = [p[0] for p in prepared if not isinstance(p, Skipped)]
    done = iter(_parse_batch(tasks, mode, budget, threads) if tasks else [])
    out: list[Outcome] = []
    for item in prepared:
        if isinstance(item, Skipped):
            out.append(item)
            continue
        outcome, clean = next(done), item[1]
        if clean is None or isinstance(outcome, Skipped):
            out.append(outcome)
        else:
            out.append(Cleaned(clean.text, clean.offsets, clean.removed, outcome))
    return out


def _prepare(item: Work, max_chars: int | None) -> tuple[Task, CleanArticle | None] | Skipped:
    """A Task as it is; an Article cleaned (``clean_article``) into its Task and CleanArticle, or the failure
    of an article with no text left or a text too long (``too_long``, at ``max_chars``)."""
    if not isinstance(item, Article):
        return item, None
    try:
        clean = clean_article(item)
    except InputError as exc:
        return Skipped(type(exc).__name__, exc.reason, exc.source)
    if not clean.text.strip():
        return Skipped(NoArticleText.__name__, "nothing left after removing page furniture")
    if (err := too_long(item.origin, clean.text, limit=max_chars)) is not None:
        return Skipped(type(err).__name__, err.reason)
    return (item.id, clean.text, item.published), clean


def _parse_batch(batch: list[Task], mode: str, budget: float | None, threads: bool) -> list[Extraction | Skipped]:
    nlp = _WORKER.get("nlp") or load_nlp(_WORKER.get("model"))
    out: list[Extraction | Skipped] = []
    with _alarms(budget, threads) as limit:
        docs = None
        if all(len(text) <= piece_size(text) for _, text, _ in batch):
            docs = iter(nlp.pipe((text for _, text, _ in batch), batch_size=32))
        for task in batch:
            doc = None
            if docs is not None:
                try:
                    with _deadline(limit):
                        doc = next(docs)
                except Exception:  # the batched parse failed or ran over: parse the rest one by one
                    docs = None
            out.append(_run_one(nlp, task, doc, mode, limit))
    return out


def _run_one(nlp: Language, task: Task, doc: Doc | None, mode: str, limit: float | None) -> Extraction | Skipped:
    article_id, text, published = task
    try:
        with _deadline(limit):
            if doc is None:
                doc = parse_text(nlp, text)
            if mode == "parse":  # reference: the raw model alone
                return Extraction(article_id=article_id, words=len(doc))
            return extract_doc(doc, article_id, published)
    except _OverBudget:
        return Skipped("InputTooLarge", f"over the {limit:g} s time budget for parsing and extraction")
    except Exception as exc:  # a bug on one article must not stop the batch
        return Skipped("ExtractionError", f"extraction failed ({exc.__class__.__name__}: {exc})")


def _chars(item: Work) -> int:
    """Characters of text that ``item`` sends: an Article's raw text, a Task's cleaned one."""
    return len(item.text) if isinstance(item, Article) else len(item[1])


def _batches(tasks: Iterable[Work], size: int, chars: int) -> Iterator[list[Work]]:
    """Tasks in batches of at most ``size`` articles and ``chars`` characters (or one longer article)."""
    batch: list[Work] = []
    total = 0
    for task in tasks:
        if batch and total + _chars(task) > chars:
            yield batch
            batch, total = [], 0
        batch.append(task)
        total += _chars(task)
        if len(batch) >= size or total >= chars:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


_LOAD_LOCK = threading.Lock()


def _ensure_model(model: str | None) -> None:
    """Load ``model`` once per process (a Dask worker's setup, or its first batch); thread-safe."""
    with _LOAD_LOCK:
        if "nlp" not in _WORKER or _WORKER.get("model", model) != model:
            _WORKER["nlp"] = load_nlp(model)
            _WORKER["model"] = model


def _cluster_batch(
    batch: list[Work], model: str | None, mode: str, budget: float | None, max_chars: int | None = None
) -> list[Outcome]:
    """``_run_batch`` on a Dask worker: in a worker thread, where the time budget is kept by ``_watchdog``."""
    _ensure_model(model)
    return _run_batch(batch, mode, budget, max_chars, threads=True)


def _run_on_cluster(
    tasks: Iterable[Work], client: Client, model: str | None, batch_size: int, batch_chars: int, mode: str,
    time_budget: float | None, max_chars: int,
) -> Iterator[tuple[Work, Outcome]]:
    """``run_batches`` on a Dask cluster: pairs in the order batches complete (see storyline.cluster)."""
    from functools import partial

    from storyline import cluster

    _check_workers(client, model)
    cluster.register_setup(client, _ensure_model, (model,), name=f"storyline-model-{model_name(model)}")
    fn = partial(_cluster_batch, model=model, mode=mode, budget=time_budget, max_chars=max_chars)
    for batch, outcome in cluster.run_batches(client, fn, _batches(tasks, batch_size, batch_chars)):
        if isinstance(outcome, cluster.Lost):
            outcome = [Skipped("ExtractionError", outcome.reason) for _ in batch]
        yield from zip(batch, outcome, strict=True)


def _check_workers(client: Client, model: str | None) -> None:
    """ClusterError unless every worker runs this extraction code and model (``pipeline_signature``): what
    they return is stored under this process's signature, and a re-run trusts it."""
    from storyline.errors import ClusterError

    mine = pipeline_signature(model)
    try:
        theirs = client.run(pipeline_signature, model)
    except Exception as exc:
        raise ClusterError(f"the Dask workers cannot run storyline ({exc.__class__.__name__}: {exc})") from exc
    for worker, signature in sorted(theirs.items()):
        if signature != mine:
            raise ClusterError(
                f"the Dask worker {worker} runs other extraction code or another model ({signature}, here "
                f"{mine}): install the same storyline and model on every worker"
            )


def run_batches(
    tasks: Iterable[Work],
    *,
    workers: int = 1,
    model: str | None = None,
    batch_size: int = BATCH_ARTICLES,
    batch_chars: int = BATCH_CHARS,
    mode: str = "extract",
    time_budget: float | None = TIME_BUDGET_S,
    cluster: Client | None = None,
) -> Iterator[tuple[Work, Outcome]]:
    """(Clean +) parse + extract tasks in order, in ``workers`` processes, at most 2 batches per worker in flight.

    A Task (cleaned text) gives an Extraction or Skipped; an Article is cleaned where its batch runs and gives
    a ``Cleaned`` or Skipped (``_prepare``: furniture only, too long, an InputError), so only its raw text
    travels.  Tasks are read from ``tasks`` only as batches are sent, so at most ``2 * workers + 1`` batches
    (each at most ``batch_size`` articles and ``batch_chars`` characters, or one longer article) are held at
    once.  ``cluster``: a connected ``distributed.Client``; the batches run on its workers instead
    (``workers`` is not used), at most two per worker thread in flight, and come back in the order they
    complete."""
    max_chars = MAX_ARTICLE_CHARS  # this process's limit, sent with every batch
    if cluster is not None:
        yield from _run_on_cluster(tasks, cluster, model, batch_size, batch_chars, mode, time_budget, max_chars)
        return
    if workers <= 1:
        _WORKER.setdefault("nlp", load_nlp(model))
        for batch in _batches(tasks, batch_size, batch_chars):
            yield from zip(batch, _run_batch(batch, mode, time_budget, max_chars), strict=True)
        return

    load_nlp(model)  # fail early (ModelError) and share the loaded model with forked workers
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        pending: deque = deque()
        for batch in _batches(tasks, batch_size, batch_chars):
            pending.append((batch, pool.apply_async(_run_batch, (batch, mode, time_budget, max_chars))))
            while len(pending) >= 2 * workers:
                done, result = pending.popleft()
                yield from zip(done, result.get(), strict=True)
        while pending:
            done, result = pending.popleft()
            yield from zip(done, result.get(), strict=True)


# --------------------------------------------------------------------------- analyze


def too_long(source: str, text: str, *, raw: bool = False, limit: int | None = None) -> InputTooLarge | None:
    """The refusal of a cleaned text over ``limit`` (default ``MAX_ARTICLE_CHARS``; None when it is not);
    ``raw``: of a text before cleaning over twice that (cleaning is linear, but a hostile text costs up to
    ~40 µs a character)."""
    limit = MAX_ARTICLE_CHARS if limit is None else limit
    if not raw and len(text) > limit:
        return InputTooLarge(source, f"{len(text):,} characters of text, more than the {limit:,} parsed")
    if raw and len(text) > 2 * limit:
        return InputTooLarge(source, f"{len(text):,} characters before cleaning, more than twice the {limit:,} parsed")
    return None


@dataclass(frozen=True, slots=True)
class Failure:
    source: str
    kind: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(slots=True)
class AnalyzeResult:
    article_ids: list[str] = field(default_factory=list)
    processed: int = 0
    reused: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    words: int = 0
    dossier: dict | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    stories: list[tuple[list[str], dict]] = field(default_factory=list)  # with split_stories: (ids, dossier)

    @property
    def status(self) -> str:
        if not self.article_ids:
            return "failed"
        return "partial" if self.failures else "ok"


ProgressFn = Callable[[str, str], None]  # (event, detail): "article" | "failure" | "stage"


def analyze(
    inputs: Sequence[str],
    store: Store,
    *,
    manifest: str | None = None,
    outdir: str | Path | None = None,
    title: str | None = None,
    workers: int | None = None,
    model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_URL_SECONDS,
    require_english: bool = True,
    allow_outside: bool = False,
    progress: ProgressFn | None = None,
    time_budget: float | None = TIME_BUDGET_S,
    dossier: bool = True,
    crosscheck: bool = True,
    embeddings: bool = True,
    split_stories: bool = False,
    cluster: str | Client | None = None,
) -> AnalyzeResult:
    """Analyse inputs (files, folders, URLs) into the store, then build the dossier (and reports if outdir).

    ``time_budget``: seconds one article's parse and extraction may take (None: no limit); a slower
    article is recorded as a failure and the run goes on.
    ``split_stories`` groups the analysed articles by story first (:func:`storyline.crosscheck.cluster.cluster_articles`)
    and builds one dossier per story into ``result.stories`` (reports in ``outdir/<story slug>/``);
    ``result.dossier`` is then None.
    ``cluster``: a Dask scheduler address (``tcp://host:8786``) or a connected ``distributed.Client``: cleaning,
    parsing and extraction run on its workers (``workers`` is not used) and each article is stored as its batch
    comes back; ``result.article_ids`` is still in input order.  ClusterError when it cannot be reached."""
    notify = progress or (lambda event, detail: None)
    signature = pipeline_signature(model)
    result = AnalyzeResult()
    run_id = store.start_run(inputs)
    seen: set[str] = set()
    position: dict[str, int] = {}  # article id -> its place among the inputs

    def fail(source: str, kind: str, reason: str) -> None:
        result.failures.append(Failure(source, kind, reason))
        store.record_failure(run_id, source, kind, reason)
        notify("failure", f"{source}: {reason}")

    def pending_tasks() -> Iterator[Article]:
        for item in iter_articles(
            inputs,
            manifest,
            max_bytes=max_bytes,
            timeout=timeout,
            require_english=require_english,
            allow_outside=allow_outside,
        ):
            if isinstance(item, InputError):
                fail(item.source, type(item).__name__, item.reason)
                continue
            article: Article = item
            if article.id in seen:
                result.duplicates += 1
                notify("duplicate", article.origin)
                continue
            seen.add(article.id)
            position[article.id] = len(position)
            if store.has_extraction(article.id, signature):
                store.update_metadata(article)
                result.article_ids.append(article.id)
                result.reused += 1
                notify("article", article.origin)
                continue
            if (err := too_long(article.origin, article.text, raw=True)) is not None:
                fail(err.source, type(err).__name__, err.reason)
                continue
            yield article  # cleaned where its batch runs (_prepare)

    n_workers = workers if workers is not None else default_workers()
    try:
        with _cluster_client(cluster) as client:
            batches = run_batches(
                pending_tasks(), workers=n_workers, model=model, time_budget=time_budget, cluster=client
            )
            for article, outcome in batches:
                if not isinstance(article, Article) or isinstance(outcome, Extraction):  # pragma: no cover
                    raise StorylineError("a worker returned an extraction without its cleaned text")
                if isinstance(outcome, Skipped):
                    fail(outcome.source or article.origin, outcome.kind, outcome.reason)
                    continue
                store.save(outcome.joined(article), outcome.extraction, signature)
                result.article_ids.append(article.id)
                result.processed += 1
                result.words += outcome.extraction.words
                notify("article", article.origin)
        if cluster is not None:  # batches came back as they completed
            result.article_ids.sort(key=position.__getitem__)
    except BaseException:
        store.finish_run(run_id, "interrupted", result.processed, result.reused, len(result.failures))
        raise
    store.finish_run(run_id, result.status, result.processed, result.reused, len(result.failures))

    if result.article_ids and split_stories:
        from storyline.crosscheck.cluster import cluster_articles
        from storyline.reader.stories import story_slug

        notify("stage", "grouping the articles by story")
        texts = [(clean.article.id, clean.text) for clean, _ext in store.iter_loaded(result.article_ids)]
        used: set[str] = set()
        for cluster in cluster_articles(texts):
            ids = list(cluster.article_ids)
            notify("stage", f"building the dossier of a {len(ids)}-article story")
            story = build_from_store(store, ids, crosscheck=crosscheck, embeddings=embeddings, progress=notify)
            result.stories.append((ids, story))
            if outdir is not None:
                from storyline.output.report import write_reports

                slug = base = story_slug(story["title"])
                n = 1
                while slug in used:
                    n += 1
                    slug = f"{base}-{n}"
                used.add(slug)
                for name, path in write_reports(story, Path(outdir) / slug).items():
                    result.outputs[f"{slug}/{name}"] = path
        return result
    if result.article_ids and (dossier or outdir is not None):
        notify("stage", "building the dossier")
        result.dossier = build_from_store(
            store,
            result.article_ids,
            title=title,
            crosscheck=crosscheck,
            embeddings=embeddings,
            progress=notify,
        )
        if outdir is not None:
            from storyline.output.report import write_reports

            notify("stage", "writing reports")
            result.outputs = write_reports(result.dossier, Path(outdir))
    return result


def _cluster_client(cluster: str | Client | None) -> AbstractContextManager[Client | None]:
    """A connected client of ``cluster`` for the run (None: none; the local worker processes)."""
    if cluster is None:
        return nullcontext(None)
    from storyline.cluster import connect

    return connect(cluster)


def build_from_store(
    store: Store,
    article_ids: Sequence[str],
    *,
    title: str | None = None,
    crosscheck: bool = True,
    embeddings: bool = True,
    progress: ProgressFn | None = None,
    embedder: Any = None,
) -> dict:
    """Link entities across the given stored articles, cross-check them and build their dossier.

    ``crosscheck`` False skips the comparison of sources (claims, conflicts, quality...: empty sections);
    ``embeddings`` False cross-checks with lexical similarity only (no sentence-embedding model);
    ``embedder``: the sentence model to use (default: ``extract.embed.get_embedder()``; ``watch`` passes an
    ``extract.embedproc.EmbedderProcess``).
    The articles are read from the store one at a time, in source order (publication date, then id: the
    order the ids come in does not matter), in passes (link the entities; what comes next, with each
    article's sentences stored; the dossier), so the build holds one article and what it builds.  Cross-checking compares every article with every other: it holds all their records while it
    runs, and the passes after it read the store again (docs/benchmarks.md, Scale)."""
    from storyline.output.dossier import build_dossier, source_order
    from storyline.reader.stories import save_sentences
    from storyline.reader.whatsnext import find_next

    notify = progress or (lambda event, detail: None)
    published = store.published_of(article_ids)
    # every pass in source order (date, then id): the same articles give the same dossier in any order given
    ids = sorted(published, key=lambda aid: source_order(aid, published[aid]))

    def load() -> Iterator[tuple[CleanArticle, Extraction]]:
        return store.iter_loaded(ids)

    def saving(items: Iterable[tuple[CleanArticle, Extraction]]) -> Iterator[tuple[CleanArticle, Extraction]]:
        for item in items:
            save_sentences(store, [item])
            yield item

    checked = None
    if crosscheck and ids:
        from storyline.crosscheck.stage import cross_check

        items = list(load())
        index = link_entities((clean, extraction.mentions) for clean, extraction in items)
        checked = cross_check(
            items,
            index,
            embedder=_stored_embedder(store, embedder) if embeddings else False,
            progress=lambda stage, detail: notify("stage", f"cross-checking: {stage}"),
        )
        del items
    else:
        index = link_entities((clean, extraction.mentions) for clean, extraction in load())
    next_items: Sequence[Any] = ()
    if ids:
        notify("stage", "finding what comes next")
        next_items = find_next(saving(load()), index, independence=checked.independence if checked else None)
    return build_dossier(load(), index, title=title, crosscheck=checked,
                         next_items=next_items, ordered=True)


def _stored_embedder(store: Store, embedder: Any = None) -> Any:
    """The sentence model, its vectors kept in the store by text: a story rebuilt with new articles encodes
    only theirs (``extract.embed.StoredEmbedder``)."""
    from storyline.extract.embed import StoredEmbedder, get_embedder

    return StoredEmbedder(embedder or get_embedder(), store.text_vectors, store.save_text_vectors)


class StoryRebuilder:
    """How ``watch`` rebuilds the stories new articles join: :func:`build_from_store`, with the sentence model
    in a child process (``extract.embedproc.EmbedderProcess``) that ``start`` sets loading while the pass parses
    and assigns, and that ``prepare`` feeds each story's new sentences to encode while the stories are built.
    Callable as ``follow``'s ``build``; a context manager (the child stops on exit)."""

    def __init__(self, embeddings: bool = True) -> None:
        from storyline.extract.embedproc import EmbedderProcess

        self.embeddings = embeddings
        self.embedder = EmbedderProcess() if embeddings else None

    def start(self) -> None:
        if self.embedder is not None:
            self.embedder.start()

    def prepare(self, store: Store, groups: Sequence[Sequence[tuple[CleanArticle, Extraction]]]) -> None:
        """Each story's new articles, in build order: what the cross-check will ask the sentence model for on
        their behalf is encoded ahead, in the order it asks (the independence stage's sentences, then the
        event-chain stage's sentences and lemmas), less the texts whose vectors ``store`` holds already."""
        if self.embedder is None:
            return
        from storyline.crosscheck.eventchains import chain_texts
        from storyline.crosscheck.independence import sentence_texts
        from storyline.extract.embed import text_digest

        wanted = [
            [t for clean, ext in group for t in sentence_texts(clean, ext)]
            + [t for clean, ext in group for t in chain_texts(clean, ext)]
            for group in groups
        ]
        digest = {t: text_digest(t) for group in wanted for t in group}
        stored = store.text_vectors(self.embedder.name, list(dict.fromkeys(digest.values())))
        self.embedder.prefetch([[t for t in group if digest[t] not in stored] for group in wanted])

    def __call__(self, store: Store, article_ids: Sequence[str]) -> dict:
        return build_from_store(store, article_ids, embeddings=self.embeddings, embedder=self.embedder)

    def close(self) -> None:
        if self.embedder is not None:
            self.embedder.close()

    def __enter__(self) -> StoryRebuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- single-file inspection


def extract_file(
    path: str,
    stage: str,
    *,
    published: str | None = None,
    model: str | None = None,
    require_english: bool = True,
) -> tuple[list[tuple[CleanArticle, Extraction]], list[Failure]]:
    """Run ingest + clean + the stages up to ``stage`` on one input, in this process (no store)."""
    if stage not in STAGES:
        raise StorylineError(f"unknown stage {stage!r}; choose one of {', '.join(STAGES)}")
    nlp = load_nlp(model)
    out: list[tuple[CleanArticle, Extraction]] = []
    failures: list[Failure] = []
    for item in iter_articles([path], require_english=require_english):
        if isinstance(item, InputError):
            failures.append(Failure(item.source, type(item).__name__, item.reason))
            continue
        article = item
        if published:
            from dataclasses import replace

            article = replace(article, published=published, published_how="metadata")
        clean = clean_article(article)
        if (err := too_long(article.origin, clean.text)) is not None:
            failures.append(Failure(err.source, type(err).__name__, err.reason))
            continue
        doc = parse_text(nlp, clean.text)
        out.append((clean, extract_doc(doc, article.id, article.published, stages=(stage,))))
    return out, failures
