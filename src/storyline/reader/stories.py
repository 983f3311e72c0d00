"""Stories in a store: a dossier saved by section, its briefing, its sentences for questions, related stories.

A story is a set of stored articles with the dossier built from them.  ``save_story`` stores the dossier one
top-level section per row (the story page reads only the sections it shows), the briefing built with the
maintainers' current suppressions, and the precomputed page view.  Saving a story again (re-analysis)
replaces its sections but keeps every problem report and correction, so a suppression keeps hiding its item
and a correction (:mod:`storyline.reader.corrections`) is applied again.  The stored analysis sections are
what the sources say; the maintainers' corrections are applied on top whenever a reader-facing form is built
(the briefing, the page view, :func:`load_dossier` for questions and the CLI).

Related stories: each story keeps a few dozen weighted terms (its entities by how often they are mentioned,
and its title words); two stories are related by the cosine of those weights.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from storyline.errors import NotFoundError, ProblemReportError
from storyline.reader.problems import Suppression, item_key, parse_key
from storyline.reader.views import count_summary, story_view
from storyline.records import Briefing, Citation, Problem, StorySummary
from storyline.text import words as split_words

if TYPE_CHECKING:  # pragma: no cover
    from storyline.extract.embed import Embedder
    from storyline.reader.ask import AskIndex
    from storyline.reader.corrections import Correction
    from storyline.records import CleanArticle, Extraction
    from storyline.store import Store

__all__ = [
    "ANALYSIS_SECTIONS",
    "correct_item",
    "correct_problem",
    "count_summary",
    "decide_problem",
    "load_briefing",
    "load_dossier",
    "refresh_briefing",
    "related",
    "report_problem",
    "resolve_story",
    "save_sentences",
    "save_stories",
    "save_story",
    "story_index",
    "story_corrections",
    "story_slug",
    "story_terms",
    "suppressions",
]

# Sections written by analysis (the dossier's top-level keys); "briefing" and "view" are derived from them.
DERIVED_SECTIONS = ("briefing", "view")
ANALYSIS_SECTIONS = (
    "schema_version", "generated_by", "title", "period", "sources", "entities", "events", "quotes", "figures",
    "dates", "dropped", "claims", "event_chains", "conflicts", "errors", "series", "offices", "quality", "independence", "next",
)  # fmt: skip

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_STOP = frozenset(
    ["a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "its", "it", "this", "that", "after", "over", "into", "than", "new", "says", "said", "say", "amid", "about"]
)


def story_slug(title: str, max_len: int = 40) -> str:
    """A URL-safe id from a title: ``"Veldania's sea blockade"`` -> ``"veldanias-sea-blockade"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_title.lower().replace("'", "")).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug or "story"


def story_terms(dossier: dict, top: int = 40) -> dict[str, float]:
    """Weighted terms of a story (entities by mentions, title words), L2-normalised."""
    weights: Counter[str] = Counter()
    for ent in dossier.get("entities") or []:
        weights[f"e:{ent['id']}"] += math.log1p(ent.get("mentions") or 1)
    for src in dossier.get("sources") or []:
        for word in split_words(src.get("title") or ""):
            w = word.lower()
            if len(w) < 3 or not w[0].isalpha():
                continue
            if w not in _STOP:
                weights[f"w:{w}"] += 0.5
    best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    norm = math.sqrt(sum(v * v for _, v in best)) or 1.0
    return {k: round(v / norm, 6) for k, v in best}


def suppressions(store: Store, story_id: str) -> list[Suppression]:
    """What the maintainers suppressed in a story (every suppressed report's item)."""
    out = []
    for p in store.problems(story_id, status="suppressed"):
        try:
            out.append(Suppression.from_key(p.item_key))
        except ValueError:  # a malformed key never hides anything
            continue
    return out


def _briefing_section(dossier: dict, sup: Sequence[Suppression], length: int) -> dict:
    from storyline.reader.briefing import briefing_to_dict, build_briefing

    return briefing_to_dict(build_briefing(dossier, length=length, suppressed=sup))


def _view_section(dossier: dict, briefing: dict) -> dict:
    """The story page's precomputed view, with the top of the story (``reader.top``) as ``view["top"]``."""
    from storyline.reader.top import story_top

    view = story_view(dossier, briefing)
    view["top"] = story_top(dossier, briefing)
    return view


def story_corrections(store: Store, story_id: str) -> list[Correction]:
    """The maintainers' corrections of a story, oldest first."""
    from storyline.reader.corrections import Correction

    return [Correction.from_row(r) for r in store.corrections(story_id)]


def _derived(store: Store, story_id: str, dossier: dict, length: int) -> dict[str, dict]:
    """The briefing and page view as readers see them: corrections applied (and marked), suppressions left out."""
    from storyline.reader.corrections import apply_corrections, mark_view

    fixes = story_corrections(store, story_id)
    shown = apply_corrections(dossier, fixes)
    briefing = _briefing_section(shown, suppressions(store, story_id), length)
    return {"briefing": briefing, "view": mark_view(_view_section(shown, briefing), shown, fixes)}


def save_stories(store: Store, stories: Iterable[tuple[Sequence[str], dict]]) -> list[tuple[str, int]]:
    """Save the stories of one analysis (``(article ids, dossier)``, as ``analyze(split_stories=True)`` gives
    them): each under the stored story it continues, else the slug of its title, made unique among these;
    returns ``(story id, articles)`` of each."""
    saved: list[tuple[str, int]] = []
    for ids, dossier in stories:
        sid = base = continued_story(store, ids) or story_slug(dossier["title"])
        n = 1
        while sid in {s for s, _ in saved}:
            n += 1
            sid = f"{base}-{n}"
        saved.append((save_story(store, dossier, ids, story_id=sid), len(ids)))
    return saved


def save_story(
    store: Store,
    dossier: dict,
    article_ids: Sequence[str],
    *,
    story_id: str | None = None,
    length: int = 8,
    title_locked: bool = False,
) -> str:
    """Store a story's dossier (by section), briefing and page view; returns its id.

    ``story_id`` defaults to the stored story that holds at least half of these articles' story (analysing
    the same story again, with or without new articles, replaces it), else to the slug of the dossier's title.
    A title a person set (``title_locked``, or earlier with ``--title`` or ``stories rename``) is kept."""
    sid = story_id or continued_story(store, article_ids) or story_slug(dossier.get("title") or "story")
    _check_id(sid)
    if not title_locked and store.title_locked(sid):
        summary = store.story(sid)
        if summary is not None:
            dossier = {**dossier, "title": summary.title}
    sections: dict[str, Any] = {k: dossier[k] for k in ANALYSIS_SECTIONS if k in dossier}
    sections.update(_derived(store, sid, dossier, length))
    period = dossier.get("period") or {}
    store.save_story(
        sid,
        dossier.get("title") or sid,
        article_ids,
        sections,
        first=period.get("first"),
        last=period.get("last"),
        counts=count_summary(dossier),
        terms=story_terms(dossier),
        title_locked=title_locked,
    )
    return sid


def _check_id(sid: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", sid):
        raise ValueError(f"story id {sid!r}: use lower-case letters, digits and hyphens")


def continued_story(store: Store, article_ids: Sequence[str]) -> str | None:
    """The stored story that these articles continue: the one sharing the most of them, when they hold at
    least half of its articles (ties: the smaller id)."""
    shared: Counter[str] = Counter()
    for aid in dict.fromkeys(article_ids):
        shared.update(store.stories_of_article(aid))
    for sid, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if 2 * n >= len(store.story_article_ids(sid)):
            return sid
    return None


def rename_story(store: Store, story_id: str, title: str, new_id: str | None = None) -> str:
    """Set a story's title (kept from now on when it is re-analysed) and, with ``new_id`` ("" for the slug of
    the new title), its id; returns the id.  The briefing and page view are rebuilt with the new title."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("a story title cannot be empty")
    _require(store, story_id)
    target = story_slug(title) if new_id == "" else (new_id or story_id)
    _check_id(target)
    store.rename_story(story_id, title, target if target != story_id else None)
    refresh_briefing(store, target)
    return target


def _require(store: Store, story_id: str) -> StorySummary:
    summary = store.story(story_id)
    if summary is None:
        known = ", ".join(s.id for s in store.stories()[:8]) or "none yet: run storyline analyze"
        raise NotFoundError(f"no story {story_id!r} in {store.path} (stories: {known})")
    return summary


def resolve_story(store: Store, story_id: str | None) -> StorySummary:
    """The named story, or the only/most recent one when ``story_id`` is None."""
    if story_id is not None:
        return _require(store, story_id)
    stories = store.stories()
    if not stories:
        raise NotFoundError(f"no stories in {store.path}: run storyline analyze first")
    return stories[0]


def load_dossier(store: Store, story_id: str, *, corrected: bool = True) -> dict:
    """The story's dossier, reassembled from its sections, with the maintainers' corrections applied (unless
    ``corrected`` is False: then exactly what the analysis stored)."""
    _require(store, story_id)
    dossier = {}
    for name in ANALYSIS_SECTIONS:
        data = store.story_section(story_id, name)
        if data is not None:
            dossier[name] = data
    if corrected:
        from storyline.reader.corrections import apply_corrections

        dossier = apply_corrections(dossier, story_corrections(store, story_id))
    return dossier


def load_briefing(store: Store, story_id: str) -> Briefing:
    from storyline.reader.briefing import briefing_from_dict

    _require(store, story_id)
    data = store.story_section(story_id, "briefing")
    if data is None:
        data = refresh_briefing(store, story_id)
    return briefing_from_dict(data)


def refresh_briefing(store: Store, story_id: str, length: int = 8) -> dict:
    """Rebuild and store the briefing (and page view) with the current suppressions and corrections; returns
    the briefing."""
    derived = _derived(store, story_id, load_dossier(store, story_id, corrected=False), length)
    store.save_story_section(story_id, "briefing", derived["briefing"])
    store.save_story_section(story_id, "view", derived["view"])
    return derived["briefing"]


def related(store: Store, story_id: str, k: int = 5, floor: float = 0.05) -> list[tuple[StorySummary, float]]:
    """Other stored stories most similar to this one (cosine of their term weights), best first."""
    terms = store.story_terms()
    mine = terms.get(story_id)
    if mine is None:
        _require(store, story_id)
        return []
    scored = []
    for other, weights in terms.items():
        if other == story_id:
            continue
        score = sum(w * weights.get(t, 0.0) for t, w in mine.items())
        if score >= floor:
            scored.append((other, round(score, 4)))
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    out = []
    for other, score in scored[:k]:
        summary = store.story(other)
        if summary is not None:
            out.append((summary, score))
    return out


# --------------------------------------------------------------------------- sentences and questions


def save_sentences(store: Store, items: Iterable[tuple[CleanArticle, Extraction]]) -> int:
    """Store each article's sentences (original-text offsets) and their search terms (the full-text index)
    unless already stored; returns how many articles."""
    from storyline.reader.ask import search_terms
    from storyline.text import split_sentences

    done = 0
    for clean, ext in items:
        aid = clean.article.id
        if store.has_sentences(aid):
            continue
        cites = [c for start, end in split_sentences(clean.text, ext.sentences)
                 if (c := clean.cite(start, end)).text.strip()]
        store.save_sentences(aid, [(c.start, c.end) for c in cites], [search_terms(c.text) for c in cites])
        done += 1
    return done


def index_sentences(store: Store, article_ids: Iterable[str]) -> int:
    """Put the stored sentences of the given articles that are not in the full-text index yet into it (a
    store made before the index existed); returns how many articles."""
    from storyline.reader.ask import search_terms

    todo = store.without_terms(article_ids)
    for aid in todo:
        rows = store.sentences([aid])
        store.save_sentence_terms(aid, [(n, search_terms(c.text)) for _a, n, c in rows])
    return len(todo)


def story_index(
    store: Store,
    story_id: str,
    *,
    embedder: Embedder | None | bool = None,
) -> AskIndex:
    """The question-answering index of a story: its stored sentences, with embeddings cached in the store.

    ``embedder`` None loads the default model, False answers lexically only."""
    import numpy

    from storyline.reader.ask import build_index

    ids = store.story_article_ids(_require(store, story_id).id)
    missing = [a for a in ids if not store.has_sentences(a)]
    if missing:
        save_sentences(store, store.iter_loaded(missing))
    rows = store.sentences(ids)
    citations: list[Citation] = [c for _, _, c in rows]
    wanted = set(ids)
    published = {src.id: src.published for src in store.sources() if src.id in wanted}
    if embedder is False or not citations:
        return build_index(citations, published=published, embedder=False)
    if embedder is None or embedder is True:
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
    model = getattr(embedder, "name", type(embedder).__name__)
    keys = [(a, n) for a, n, _ in rows]
    cached = store.sentence_vectors(model, keys)
    todo = [i for i, key in enumerate(keys) if key not in cached]
    vectors = numpy.zeros((len(keys), 0), dtype=numpy.float32)
    if todo:
        fresh = numpy.asarray(embedder.encode([citations[i].text for i in todo]), dtype=numpy.float32)
        store.save_sentence_vectors(model, ((keys[i][0], keys[i][1], fresh[j].tobytes()) for j, i in enumerate(todo)))
        for j, i in enumerate(todo):
            cached[keys[i]] = fresh[j].tobytes()
    vectors = numpy.stack([numpy.frombuffer(cached[key], dtype=numpy.float32) for key in keys])
    return build_index(citations, published=published, vectors=vectors)


# --------------------------------------------------------------------------- report a problem


def report_problem(
    store: Store,
    story_id: str,
    item_key_: str,
    category: str,
    comment: str = "",
    *,
    citations: Sequence[Citation] = (),
    text: str | None = None,
) -> Problem:
    """Record a reader's report about one shown item of a story.

    The item is looked up by its key in the stored story, so what is stored is what the reader saw. Answers
    are not stored with the story: for kind "answer" the given ``citations`` are stored after checking
    that each one matches its stored article's text exactly.  A declined question ("The sources do not
    say", kind "decline") has no citations: ``text`` is the question, stored as the item's text, and the key
    must be its :func:`~storyline.reader.problems.decline_key`."""
    from storyline.reader.problems import CATEGORIES, SECTION_OF_KIND, find_item

    _require(store, story_id)
    if category not in CATEGORIES:
        raise ProblemReportError(f"category {category!r}: use one of {', '.join(CATEGORIES)}")
    comment = comment.strip()
    if len(comment) > 2000:
        raise ProblemReportError("comment: at most 2,000 characters")
    try:
        kind = parse_key(item_key_)[0]
    except ValueError as exc:
        raise ProblemReportError(str(exc)) from exc
    if kind == "decline":
        shown_text, shown_cites = _declined(story_id, item_key_, text), ()
    elif kind == "answer":
        if not citations:
            raise ProblemReportError(f"{item_key_}: an answer report needs the answer's citations")
        for c in citations:
            article = store.article(c.source)
            if article is None or article.text[c.start : c.end] != c.text or c.start >= c.end:
                raise ProblemReportError(f"{item_key_}: citation {c.source}:{c.start}-{c.end} does not verify")
        if item_key("answer", citations) != item_key_:
            raise ProblemReportError(f"{item_key_}: the key does not match the answer's first citation")
        shown_text, shown_cites = (text or citations[0].text)[:2000], tuple(citations)
    else:
        section_name = "briefing" if kind == "briefing" else SECTION_OF_KIND[kind]
        shown = find_item(item_key_, store.story_section(story_id, section_name))
        if shown is None:
            raise ProblemReportError(f"{item_key_}: no such item in story {story_id!r}")
        shown_text, shown_cites = shown.text, shown.citations
    return store.add_problem(story_id, item_key_, kind, shown_text, shown_cites, category, comment)


MAX_QUESTION = 500  # characters of a question (as the web app takes it)


def _declined(story_id: str, key: str, question: str | None) -> str:
    """The question of a declined-question report, checked against its key."""
    from storyline.reader.problems import decline_key

    question = " ".join((question or "").split())
    if not question:
        raise ProblemReportError(f"{key}: a report of a declined question needs the question")
    if len(question) > MAX_QUESTION:
        raise ProblemReportError(f"question: at most {MAX_QUESTION} characters")
    if decline_key(story_id, question) != key:
        raise ProblemReportError(f"{key}: the key is not this question's (see problems.decline_key)")
    return question


def decide_problem(store: Store, problem_id: int, status: str, note: str | None = None) -> Problem:
    """A maintainer resolves, suppresses or reopens a report; suppressing (or un-suppressing) an item
    rebuilds the story's briefing and page view without it."""
    from storyline.reader.problems import STATUSES

    if status not in STATUSES:
        raise ProblemReportError(f"status {status!r}: use one of {', '.join(STATUSES)}")
    before = store.problem(problem_id)
    if before is None:
        raise NotFoundError(f"no problem report #{problem_id} in {store.path}")
    if status == "suppressed" and before.item_kind == "decline":
        raise ProblemReportError(f"report #{problem_id}: a declined question shows nothing to hide; resolve it")
    after = store.set_problem_status(problem_id, status, note)
    if "suppressed" in (before.status, status) and before.status != status and store.story(after.story):
        refresh_briefing(store, after.story)
    return after


# --------------------------------------------------------------------------- correct an item


def correct_item(
    store: Store,
    story_id: str,
    key: str,
    field: str,
    value: str,
    *,
    note: str | None = None,
    by: str = "maintainer",
    problem_id: int | None = None,
) -> Correction:
    """A maintainer corrects one item of a story (see :mod:`storyline.reader.corrections`): the correction is
    stored with the value the item shows now as "before", and the briefing and page view are rebuilt."""
    from storyline.reader.corrections import Correction, check_value, current_value, describe, find_corrected

    _require(store, story_id)
    try:
        kind = parse_key(key)[0]
    except ValueError as exc:
        raise ProblemReportError(str(exc)) from exc
    after = check_value(kind, field, value)
    note = " ".join((note or "").split())[:2000] or None
    item = find_corrected(load_dossier(store, story_id), key)
    if item is None:
        raise ProblemReportError(f"{key}: no such item in story {story_id!r}")
    before = current_value(kind, item, field)
    if before == after:
        raise ProblemReportError(f"{key}: the {field} is {after!r} already")
    row = store.add_correction(
        story_id, (key, kind, describe(kind, item)), field, before, after, note=note, who=by, problem_id=problem_id
    )
    refresh_briefing(store, story_id)
    return Correction.from_row(row)


def correct_problem(
    store: Store, problem_id: int, field: str, value: str, *, note: str | None = None, by: str = "maintainer"
) -> Correction:
    """Correct the item a report names; the report is resolved and its log says what was corrected."""
    problem = store.problem(problem_id)
    if problem is None:
        raise NotFoundError(f"no problem report #{problem_id} in {store.path}")
    return correct_item(store, problem.story, problem.item_key, field, value, note=note, by=by, problem_id=problem_id)
