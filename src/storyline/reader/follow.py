"""Stories that grow as articles arrive (``storyline watch``).

``follow`` takes the ids of newly stored articles, assigns each to a stored story or a new one
(:class:`storyline.crosscheck.assign.Assigner`, in publication order), then rebuilds and saves only the
stories that received articles.  A story's dossier is rebuilt from all of its stored articles (their
extractions are reused, only the new articles were parsed), so it equals what a full ``analyze`` of the
same articles builds; the rebuild costs in the size of the changed story, not of the store.

The dossier builder is passed in (``build``: :func:`storyline.pipeline.build_from_store`), so this layer
does not import the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.crosscheck.assign import Assigner
from storyline.reader.stories import save_story, story_slug

if TYPE_CHECKING:  # pragma: no cover
    from storyline.records import CleanArticle, Extraction
    from storyline.store import Store

__all__ = ["StoryUpdate", "follow", "seed_profiles"]

BuildFn = Callable[["Store", Sequence[str]], dict]
PrepareFn = Callable[["Store", list[list[tuple["CleanArticle", "Extraction"]]]], None]


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    story_id: str
    added: int
    size: int
    opened: bool


def seed_profiles(store: Store, assigner: Assigner) -> int:
    """Give the assigner a profile for every stored story it does not know yet; returns how many."""
    added = 0
    for summary in store.stories():
        if summary.id in assigner.stories:
            continue
        ids = store.story_article_ids(summary.id)
        for clean, _ext in store.iter_loaded(ids):
            assigner.add(summary.id, assigner.vector(clean.text))
        added += 1
    return added


def _unique_id(store: Store, title: str, taken: set[str]) -> str:
    sid = base = story_slug(title or "story")
    n = 1
    while sid in taken or store.story(sid) is not None:
        n += 1
        sid = f"{base}-{n}"
    return sid


def follow(
    store: Store, article_ids: Sequence[str], assigner: Assigner, build: BuildFn, prepare: PrepareFn | None = None
) -> list[StoryUpdate]:
    """Assign the articles that are in no story yet and rebuild the stories they change.  ``prepare``, when
    given, is called once before the first rebuild with the store and each changed story's new articles, in
    build order."""
    fresh = [aid for aid in dict.fromkeys(article_ids) if not store.stories_of_article(aid)]
    if not fresh:
        return []
    seed_profiles(store, assigner)
    loaded = sorted(
        store.iter_loaded(fresh), key=lambda it: (it[0].article.published or "", it[0].article.id)
    )
    placed: dict[str, list[tuple[CleanArticle, Extraction]]] = {}
    for clean, ext in loaded:
        sid, _opened = assigner.assign(clean.text, f"new-{clean.article.id[:16]}")
        placed.setdefault(sid, []).append((clean, ext))
    if prepare is not None:
        prepare(store, list(placed.values()))
    updates: list[StoryUpdate] = []
    taken: set[str] = set()
    for sid, new in placed.items():
        new_ids = [clean.article.id for clean, _ext in new]
        opened = store.story(sid) is None
        ids = list(dict.fromkeys([*([] if opened else store.story_article_ids(sid)), *new_ids]))
        dossier = build(store, ids)
        target = _unique_id(store, dossier.get("title") or "story", taken) if opened else sid
        taken.add(target)
        save_story(store, dossier, ids, story_id=target)
        assigner.rename(sid, target)
        updates.append(StoryUpdate(target, len(new_ids), len(ids), opened))
    return updates
