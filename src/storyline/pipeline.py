"""The pipeline: ingest -> clean -> parse -> extract -> store -> dossier.

Articles stream through; only small extraction records are kept.  Parsing and
extraction run in worker processes (one per core) fed in bounded batches, so memory
stays flat however large the corpus; the main process ingests, cleans and writes
each article to the store in its own transaction.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline import __version__
from storyline.errors import InputError, InputTooLarge, NoArticleText, StorylineError
from storyline.extract.dates import extract_dates
from storyline.extract.entities import extract_mentions, link_entities
from storyline.extract.events import extract_events
from storyline.extract.figures import extract_figures
from storyline.extract.nlp import MAX_PARSE_CHARS, load_nlp, model_name
from storyline.extract.predicates import extract_predicates
from storyline.extract.quotes import extract_quotes
from storyline.ingest.clean import clean as clean_article
from storyline.ingest.ingest import DEFAULT_MAX_BYTES, DEFAULT_URL_SECONDS, iter_articles
from storyline.records import Article, CleanArticle, Extraction, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

    from storyline.store import Store

STAGES = ("entities", "dates", "quotes", "figures", "events", "predicates")
_STAGE_MODULES = (
    "ingest/clean", "extract/entities", "extract/dates", "extract/quotes", "extract/figures", "extract/events",
    "extract/predicates", "records",
)
_STAGE_DATA = ("data/eventive.json",)  # fitted data the extraction reads


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
Task = tuple[str, str, str | None]  # (article id, cleaned text, published)


def _worker_init(model: str | None) -> None:
    _WORKER["nlp"] = load_nlp(model)


def _run_batch(batch: list[Task], mode: str = "extract") -> list[Extraction | str]:
    """Parse and extract a batch; per-article failures come back as messages, not exceptions."""
    nlp = _WORKER.get("nlp") or load_nlp(_WORKER.get("model"))
    out: list[Extraction | str] = []
    docs = nlp.pipe((text for _, text, _ in batch), batch_size=32)
    for (article_id, _text, published), doc in zip(batch, docs, strict=True):
        if mode == "parse":  # reference: the raw model alone
            out.append(Extraction(article_id=article_id, words=len(doc)))
            continue
        try:
            out.append(extract_doc(doc, article_id, published))
        except Exception as exc:  # a bug on one article must not stop the batch
            out.append(f"extraction failed ({exc.__class__.__name__}: {exc})")
    return out


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run_batches(
    tasks: Iterable[Task],
    *,
    workers: int = 1,
    model: str | None = None,
    batch_size: int = 16,
    mode: str = "extract",
) -> Iterator[tuple[Task, Extraction | str]]:
    """Parse + extract tasks in order, in ``workers`` processes, at most 2 batches per worker in flight."""

    def batches() -> Iterator[list[Task]]:
        batch: list[Task] = []
        for task in tasks:
            batch.append(task)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    if workers <= 1:
        _WORKER.setdefault("nlp", load_nlp(model))
        for batch in batches():
            yield from zip(batch, _run_batch(batch, mode), strict=True)
        return

    load_nlp(model)  # fail early (ModelError) and share the loaded model with forked workers
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        pending: deque = deque()
        for batch in batches():
            pending.append((batch, pool.apply_async(_run_batch, (batch, mode))))
            while len(pending) >= 2 * workers:
                done, result = pending.popleft()
                yield from zip(done, result.get(), strict=True)
        while pending:
            done, result = pending.popleft()
            yield from zip(done, result.get(), strict=True)


# --------------------------------------------------------------------------- analyze


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
    dossier: bool = True,
    crosscheck: bool = True,
    embeddings: bool = True,
    split_stories: bool = False,
) -> AnalyzeResult:
    """Analyse inputs (files, folders, URLs) into the store, then build the dossier (and reports if outdir).

    ``split_stories`` groups the analysed articles by story first (:func:`storyline.crosscheck.cluster.cluster_articles`)
    and builds one dossier per story into ``result.stories`` (reports in ``outdir/<story slug>/``);
    ``result.dossier`` is then None."""
    notify = progress or (lambda event, detail: None)
    signature = pipeline_signature(model)
    result = AnalyzeResult()
    run_id = store.start_run(inputs)
    seen: set[str] = set()
    cleaned: dict[str, CleanArticle] = {}

    def fail(source: str, kind: str, reason: str) -> None:
        result.failures.append(Failure(source, kind, reason))
        store.record_failure(run_id, source, kind, reason)
        notify("failure", f"{source}: {reason}")

    def pending_tasks() -> Iterator[Task]:
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
            if store.has_extraction(article.id, signature):
                store.update_metadata(article)
                result.article_ids.append(article.id)
                result.reused += 1
                notify("article", article.origin)
                continue
            try:
                clean = clean_article(article)
            except InputError as exc:
                fail(exc.source, type(exc).__name__, exc.reason)
                continue
            if not clean.text.strip():
                err = NoArticleText(article.origin, "nothing left after removing page furniture")
                fail(err.source, type(err).__name__, err.reason)
                continue
            if len(clean.text) > MAX_PARSE_CHARS:
                err = InputTooLarge(
                    article.origin, f"{len(clean.text):,} characters of text, more than the {MAX_PARSE_CHARS:,} parsed"
                )
                fail(err.source, type(err).__name__, err.reason)
                continue
            cleaned[article.id] = clean
            yield (article.id, clean.text, article.published)

    n_workers = workers if workers is not None else default_workers()
    try:
        for (article_id, _text, _pub), outcome in run_batches(pending_tasks(), workers=n_workers, model=model):
            clean = cleaned.pop(article_id)
            if isinstance(outcome, str):
                fail(clean.article.origin, "ExtractionError", outcome)
                continue
            store.save(clean, outcome, signature)
            result.article_ids.append(article_id)
            result.processed += 1
            result.words += outcome.words
            notify("article", clean.article.origin)
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


def build_from_store(
    store: Store,
    article_ids: Sequence[str],
    *,
    title: str | None = None,
    crosscheck: bool = True,
    embeddings: bool = True,
    progress: ProgressFn | None = None,
) -> dict:
    """Link entities across the given stored articles, cross-check them and build their dossier.

    ``crosscheck`` False skips the comparison of sources (claims, conflicts, quality...: empty sections);
    ``embeddings`` False cross-checks with lexical similarity only (no sentence-embedding model)."""
    from storyline.output.dossier import build_dossier

    notify = progress or (lambda event, detail: None)
    items = list(store.iter_loaded(dict.fromkeys(article_ids)))
    index = link_entities((clean, extraction.mentions) for clean, extraction in items)
    checked = None
    if crosscheck and items:
        from storyline.crosscheck.stage import cross_check

        checked = cross_check(
            items,
            index,
            embedder=None if embeddings else False,
            progress=lambda stage, detail: notify("stage", f"cross-checking: {stage}"),
        )
    next_items = ()
    if items:
        from storyline.reader.whatsnext import find_next

        notify("stage", "finding what comes next")
        next_items = find_next(items, index, independence=checked.independence if checked else None)
        from storyline.reader.stories import save_sentences

        save_sentences(store, items)
    return build_dossier(items, index, title=title, crosscheck=checked, next_items=next_items)


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
        doc = nlp(clean.text)
        out.append((clean, extract_doc(doc, article.id, article.published, stages=(stage,))))
    return out, failures
