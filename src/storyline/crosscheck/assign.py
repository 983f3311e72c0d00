"""Online story assignment: put each arriving article into a stored story, or open a new one.

The batch grouping (:func:`storyline.crosscheck.cluster.cluster_articles`) sees every article at once.  A
stream sees them one by one, so ``Assigner`` keeps, per story, a *profile*: the sum of its members' term
vectors (the same terms, name boost and sublinear tf as the batch clustering) and the member count.  The
mean cosine of a new article to a story's members is then ``vector . profile / size``, the average-linkage
score of the batch method for a group of one against the story, and the article joins the best story whose
mean reaches ``threshold * r(size)`` (``SIZE_RATIO``, calibrated on PolNeAR like the threshold); otherwise
it opens a new story.  Nothing here was tuned on the stream benchmarks.

Blocking: only stories that share one of the article's ``BLOCK_TERMS`` strongest terms are scored (an
inverted index from profile term to story), so one assignment costs what those postings hold, not the
number of stories.  The idf is online: document frequencies of every article seen so far (the article
itself included), so a vector is weighted with what was known when it arrived.  Profiles keep their
``PROFILE_TERMS`` heaviest terms.  Both are the documented differences from the batch method.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.crosscheck.cluster import DEFAULT_THRESHOLD, SIZE_RATIO, _terms, tfidf_vector
from storyline.errors import InputError

__all__ = ["BLOCK_TERMS", "PROFILE_TERMS", "Assigner", "StoryProfile"]

BLOCK_TERMS = 30
PROFILE_TERMS = 600


@dataclass(slots=True)
class StoryProfile:
    """One story's summed member vectors (``total``) and member count."""

    id: str
    size: int = 0
    total: dict[str, float] = field(default_factory=dict)


def _size_ratio(pairs: float) -> float:
    ks = [math.log(k) for k, _ in SIZE_RATIO]
    return float(np.interp(math.log(max(pairs, 1.0)), ks, [r for _, r in SIZE_RATIO]))


@dataclass(slots=True)
class Assigner:
    """Online average-linkage assignment over story profiles with inverted-index blocking."""

    threshold: float = DEFAULT_THRESHOLD
    seen: int = 0
    df: Counter[str] = field(default_factory=Counter)
    stories: dict[str, StoryProfile] = field(default_factory=dict)
    index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    scored: int = 0  # story profiles scored so far (the cost the blocking bounds)

    def vector(self, text: str) -> dict[str, float]:
        """The L2-normalised term vector of ``text``; counts it in the online document frequencies."""
        counts, _forms, names = _terms(text)
        self.seen += 1
        self.df.update(counts.keys())
        return tfidf_vector(counts, names, self.seen, self.df)

    def candidates(self, vec: dict[str, float]) -> set[str]:
        """Stories sharing one of the ``BLOCK_TERMS`` strongest terms of ``vec``."""
        strongest = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:BLOCK_TERMS]
        found: set[str] = set()
        for term, _ in strongest:
            found |= self.index.get(term, set())
        return found

    def best(self, vec: dict[str, float]) -> tuple[str | None, float]:
        """(story id, mean similarity) of the best story the article may join (highest mean / required), or
        (None, 0.0)."""
        pick, pick_ratio, pick_mean = None, 0.0, 0.0
        for sid in sorted(self.candidates(vec)):
            prof = self.stories[sid]
            self.scored += 1
            mean = mean_of(prof, vec)
            ratio = mean / (self.threshold * _size_ratio(prof.size))
            if ratio >= 1.0 and ratio > pick_ratio:
                pick, pick_ratio, pick_mean = sid, ratio, mean
        return pick, pick_mean

    def add(self, story_id: str, vec: dict[str, float]) -> None:
        """Add an article's vector to a story's profile (opening the story when new)."""
        prof = self.stories.setdefault(story_id, StoryProfile(story_id))
        for t, w in vec.items():
            prof.total[t] = prof.total.get(t, 0.0) + w
        prof.size += 1
        if len(prof.total) > PROFILE_TERMS:
            keep = sorted(prof.total.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_TERMS]
            for t in prof.total.keys() - {t for t, _ in keep}:
                self.index[t].discard(story_id)
            prof.total = dict(keep)
        for t in prof.total:
            self.index[t].add(story_id)

    def assign(self, text: str, new_id: str) -> tuple[str, bool]:
        """Assign one article: (story id, opened) where a new story gets ``new_id``."""
        vec = self.vector(text)
        sid, _ = self.best(vec)
        if sid is None:
            if new_id in self.stories:
                raise InputError(new_id, "story id already used")
            sid = new_id
        self.add(sid, vec)
        return sid, sid == new_id

    def rename(self, old: str, new: str) -> None:
        """Give a story profile another id (the id the store saved it under)."""
        if old == new or old not in self.stories:
            return
        prof = self.stories.pop(old)
        prof.id = new
        self.stories[new] = prof
        for t in prof.total:
            self.index[t].discard(old)
            self.index[t].add(new)

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "seen": self.seen,
            "df": dict(self.df),
            "stories": {s.id: {"size": s.size, "total": {t: round(w, 6) for t, w in s.total.items()}}
                        for s in self.stories.values()},
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Assigner:
        """An assigner from ``to_json`` output (a fresh one for None or {})."""
        out = cls()
        if not data:
            return out
        try:
            out.threshold = float(data.get("threshold", DEFAULT_THRESHOLD))
            out.seen = int(data.get("seen", 0))
            out.df = Counter({str(k): int(v) for k, v in data.get("df", {}).items()})
            for sid, s in data.get("stories", {}).items():
                out.stories[sid] = StoryProfile(
                    sid, int(s["size"]), {str(t): float(w) for t, w in s["total"].items()}
                )
                for t in out.stories[sid].total:
                    out.index[t].add(sid)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise InputError("watch state", f"unreadable story profiles ({exc.__class__.__name__})") from exc
        return out

    def absorb(self, items: Iterable[tuple[str, str]], prefix: str = "new") -> dict[str, str]:
        """Assign ``(article id, text)`` pairs in order; returns article id -> story id (new stories are
        named ``prefix-<article id>``)."""
        return {aid: self.assign(text, f"{prefix}-{aid}")[0] for aid, text in items}


def mean_of(prof: StoryProfile, vec: dict[str, float]) -> float:
    """Mean cosine of ``vec`` to the members of ``prof``."""
    return sum(w * prof.total.get(t, 0.0) for t, w in vec.items()) / max(prof.size, 1)
