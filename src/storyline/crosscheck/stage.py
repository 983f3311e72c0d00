"""Cross-checking: run the stages that compare sources and assemble one ``CrossCheck`` record.

The stages, each a function from records to records (see ``storyline.records``, section cross-checking):

=================  ==========================================================================
stage              what it finds
=================  ==========================================================================
``statements``     one Statement per sentence, with its entities, dates, figures and events
``independence``   wire copies and rewrites of one original (MinHash over shingles + embeddings)
``series``         running figures (a growing death toll) and number conflicts, incl. internal
``conflicts``      names (mistranslations), actors (who did it), dates (when it started)
``offices``        who holds which office when, per the corpus; "former"/"set to take office" errors
``event chains``   the mentions of one event across sources (every verb and eventive noun; fitted on ECB+)
``claims``         statements of several sources asserting the same thing; status and support
``quality``        a score per source with cited reasons
=================  ==========================================================================

``cross_check`` runs them in dependency order, numbers conflicts (``x-1``...) and flagged errors (``err-1``...)
across stages, marks contested claims (those holding the disputed words of a conflict, or a flagged error;
when the corpus clearly supports one side, a claim stating that side is not contested), and lets the source-quality scores pick which source's wording
represents each claim.  Deterministic: the same items give the same record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from storyline.records import (
    CleanArticle,
    Conflict,
    CrossCheck,
    Extraction,
    FlaggedError,
)

__all__ = ["cross_check", "STAGES", "KIND_ORDER"]

STAGES = ("statements", "independence", "series", "conflicts", "offices", "event chains", "claims", "quality")
KIND_ORDER = {"number": 0, "internal": 1, "name": 2, "role": 3, "actor": 4, "date": 5}

ProgressFn = Callable[[str, str], None]


def _first_citation_key(conflict: Conflict, position: dict[str, int]) -> tuple:
    cites = [c for side in conflict.sides for c in side.citations]
    if not cites:
        return (len(position), 0)
    first = min(cites, key=lambda c: (position.get(c.source, len(position)), c.start))
    return (position.get(first.source, len(position)), first.start)


def _renumber(
    found: Sequence[tuple[str, tuple[Conflict, ...], tuple[FlaggedError, ...]]],
    position: dict[str, int],
) -> tuple[tuple[Conflict, ...], tuple[FlaggedError, ...]]:
    """Give conflicts and errors from several stages global ids; keep errors pointing at their conflict."""
    tagged = [(stage, c) for stage, conflicts, _ in found for c in conflicts]
    tagged.sort(key=lambda sc: (KIND_ORDER.get(sc[1].kind, 9), _first_citation_key(sc[1], position), sc[1].about))
    new_id: dict[tuple[str, str], str] = {}
    conflicts: list[Conflict] = []
    for n, (stage, c) in enumerate(tagged, 1):
        new_id[(stage, c.id)] = f"x-{n}"
        conflicts.append(dataclasses.replace(c, id=f"x-{n}"))
    errs = [(stage, e) for stage, _, errors in found for e in errors]
    errs.sort(key=lambda se: (position.get(se[1].source, len(position)), se[1].citation.start, se[1].kind))
    errors: list[FlaggedError] = []
    seen: set[tuple[str, int, int]] = set()
    for stage, e in errs:
        key = (e.citation.source, e.citation.start, e.citation.end)
        if key in seen:  # two stages flagged the same words: keep the first
            continue
        seen.add(key)
        conflict = new_id.get((stage, e.conflict)) if e.conflict else None
        errors.append(dataclasses.replace(e, id=f"err-{len(errors) + 1}", conflict=conflict))
    return tuple(conflicts), tuple(errors)


def _disputed(conflicts: Sequence[Conflict]) -> tuple[Conflict, ...]:
    """The conflicts as they bear on claims: when the corpus clearly supports one side (``likely``), only the
    other sides' words make a claim contested; a claim repeating the supported version is not in dispute."""
    out = []
    for c in conflicts:
        if c.likely is not None and 0 <= c.likely < len(c.sides):
            c = dataclasses.replace(c, sides=tuple(s for i, s in enumerate(c.sides) if i != c.likely))
        out.append(c)
    return tuple(out)


def cross_check(
    items: Sequence[tuple[CleanArticle, Extraction]],
    index: Any,
    *,
    embedder: Any = None,
    progress: ProgressFn | None = None,
) -> CrossCheck:
    """Compare the sources of one story: claims, independence, conflicts, errors, running figures, offices and
    source quality.  ``index`` is the corpus ``EntityIndex``; ``embedder`` None loads the default sentence
    embeddings, False runs lexical-only."""
    from storyline.crosscheck.claims import choose_representatives, group_claims, mark_contested
    from storyline.crosscheck.conflicts import find_conflicts
    from storyline.crosscheck.eventchains import chain_events
    from storyline.crosscheck.independence import find_independence
    from storyline.crosscheck.offices import office_terms, role_conflicts
    from storyline.crosscheck.quality import assess_sources
    from storyline.crosscheck.series import build_series, figure_readings, number_conflicts
    from storyline.crosscheck.statements import build_statements

    notify = progress or (lambda stage, detail: None)
    items = sorted(
        {c.article.id: (c, e) for c, e in items}.values(),
        key=lambda it: (it[0].article.published or "~", it[0].article.id),
    )
    if embedder is None and items:
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
    if embedder:  # the stages embed many of the same sentences: encode each once
        from storyline.extract.embed import MemoEmbedder

        embedder = MemoEmbedder(embedder)
    position = {c.article.id: i for i, (c, _) in enumerate(items)}

    notify("statements", f"{len(items)} articles")
    statements = build_statements(items, index)
    notify("independence", f"{len(statements)} statements")
    independence = find_independence(items, index, embedder=embedder)
    notify("series", "")
    series = build_series(items, index)
    number = number_conflicts(items, series, independence)
    notify("conflicts", "")
    other = find_conflicts(items, index, independence, embedder=embedder)
    notify("offices", "")
    terms = office_terms(items, index, independence)
    roles = role_conflicts(items, index, terms, independence)
    conflicts, errors = _renumber(
        [("series", *number), ("conflicts", *other), ("offices", *roles)], position
    )
    notify("event chains", "")
    chains = chain_events(items, index, independence, embedder=embedder)
    notify("claims", "")
    claims = group_claims(statements, independence, embedder=embedder, items=items, index=index)
    claims = mark_contested(claims, _disputed(conflicts), errors)
    notify("quality", "")
    quality = assess_sources(items, statements, claims, conflicts, errors, independence)
    claims = choose_representatives(claims, statements, {q.source: q.score for q in quality})
    return CrossCheck(
        statements=statements,
        independence=independence,
        claims=claims,
        conflicts=conflicts,
        errors=errors,
        series=series,
        offices=terms,
        quality=quality,
        figure_readings=figure_readings(items),
        event_chains=chains,
    )
