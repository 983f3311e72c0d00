"""The dossier: every event, quote, figure and date of a story, cited to the exact source characters.

``build_dossier`` turns per-article extraction records (cleaned-text offsets) into
one JSON-able ``dict`` whose citations index the ORIGINAL article texts, which
the dossier carries in ``sources[].text``.  ``validate_dossier`` checks it
against the shipped JSON Schema and ``verify_citations`` re-checks that every
cited text equals ``sources[source].text[start:end]``.

The output is deterministic: the same inputs give the same dict whatever the
order of ``items`` (sources are ordered by publication date, then id).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

from storyline.errors import SchemaError, StorylineError
from storyline.extract.dates import date_sort_key, is_absolute_date
from storyline.ingest.headline import headline
from storyline.records import Citation, CleanArticle, CrossCheck, Entity, Extraction, NextItem, Span
from storyline.text import words as split_words

SCHEMA_VERSION = "1.4"
SCHEMA_RESOURCE = "schemas/dossier-1.json"

__all__ = [
    "SCHEMA_VERSION",
    "EntityIndexLike",
    "build_dossier",
    "source_order",
    "stream_dossier",
    "validate_dossier",
    "verify_citations",
    "schema",
    "date_sort_key",
    "is_absolute_date",
]


class EntityIndexLike(Protocol):
    """What the dossier needs from the corpus entity index (``storyline.extract.entities``)."""

    @property
    def entities(self) -> tuple[Entity, ...]: ...

    def resolve(self, article_id: str, key: str) -> Entity | None: ...


# --------------------------------------------------------------------------- dates

_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- building


class _BadSpan(Exception):
    """A record's span does not match its article's cleaned text (an upstream bug)."""


def _cite(clean: CleanArticle, span: Span) -> dict[str, Any] | None:
    """Citation dict for a cleaned-text span; None for an empty span; _BadSpan for a wrong one."""
    n = len(clean.text)
    if not (0 <= span.start <= span.end <= n) or clean.text[span.start : span.end] != span.text:
        raise _BadSpan(f"span [{span.start}, {span.end}) {span.text[:40]!r} does not match the cleaned text")
    if span.start == span.end:
        return None
    try:
        c = clean.cite(span.start, span.end)
    except ValueError as exc:  # offset map shorter than the text
        raise _BadSpan(str(exc)) from exc
    return _citation_dict(c)


def _citation_dict(c: Citation) -> dict[str, Any]:
    return {"source": c.source, "start": c.start, "end": c.end, "text": c.text}


def _cites(clean: CleanArticle, *spans: Span | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for span in spans:
        if span is None:
            continue
        c = _cite(clean, span)
        if c is not None and (c["start"], c["end"]) not in seen:
            seen.add((c["start"], c["end"]))
            out.append(c)
    return out


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _count_words(text: str) -> int:
    return len(split_words(text))


def _date_part(published: str | None) -> str | None:
    if not published:
        return None
    return published.split("T", 1)[0]


def _source_dict(clean: CleanArticle, ext: Extraction, ref: str) -> dict[str, Any]:
    art = clean.article
    furniture = [
        {"start": r.start, "end": r.end, "text": r.text, "reason": r.reason}
        for r in sorted(clean.removed, key=lambda r: (r.start, r.end))
    ]
    removed_chars = sum(r.end - r.start for r in clean.removed)
    share = round(removed_chars / len(art.text), 4) if art.text else 0.0
    return {
        "id": art.id,
        "ref": ref,
        "origin": art.origin,
        "title": art.title,
        "outlet": art.outlet,
        "author": art.author,
        "url": art.url,
        "published": art.published,
        "published_how": art.published_how,
        "published_precision": art.published_precision,
        "format": art.format,
        "language": art.language,
        "words": ext.words if ext.words > 0 else _count_words(clean.text),
        "text": art.text,
        "furniture": furniture,
        "furniture_share": min(share, 1.0),
    }


class _Resolver:
    """Caches ``entities.resolve`` and remembers every entity it returned."""

    def __init__(self, index: EntityIndexLike) -> None:
        self.index = index
        self.cache: dict[tuple[str, str], Entity | None] = {}
        self.seen: dict[str, Entity] = {}

    def __call__(self, article_id: str, key: str | None) -> Entity | None:
        if not key:
            return None
        k = (article_id, key)
        if k not in self.cache:
            ent = self.index.resolve(article_id, key)
            self.cache[k] = ent
            if ent is not None:
                self.seen.setdefault(ent.id, ent)
        return self.cache[k]


def _party(resolve: _Resolver, article_id: str, key: str | None, span: Span | None) -> dict[str, Any] | None:
    if key is None and span is None:
        return None
    ent = resolve(article_id, key)
    name = ent.name if ent is not None else (key or (span.text if span else ""))
    return {
        "name": _squash(name),
        "entity": ent.id if ent is not None else None,
        "as_written": _squash(span.text) if span is not None else None,
    }


def _items(
    clean: CleanArticle,
    ext: Extraction,
    resolve: _Resolver,
    dropped: list[dict[str, Any]],
    readings: dict[tuple[str, int], str],
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ("events"|"quotes"|"figures"|"dates", item) for one article; ``readings`` gives each figure's
    reading (``CrossCheck.figure_readings``) by (article id, figure index)."""
    aid = clean.article.id
    pub_day = _date_part(clean.article.published)
    pub_precision = clean.article.published_precision

    def drop(kind: str, item_id: str, exc: _BadSpan) -> None:
        dropped.append({"kind": kind, "id": item_id, "source": aid, "reason": str(exc)})

    for n, ev in enumerate(ext.events, 1):
        item_id = f"e-{aid}-{n}"
        try:
            cites = _cites(clean, ev.sentence, ev.trigger, ev.when_span)
        except _BadSpan as exc:
            drop("event", item_id, exc)
            continue
        if is_absolute_date(ev.when):
            when, precision, basis = ev.when, ev.when_precision or "none", "text"
        elif pub_day:
            when, precision, basis = pub_day, pub_precision or "none", "published"
        else:
            when, precision, basis = None, "none", "none"
        where_ent = resolve(aid, ev.where)
        yield (
            "events",
            {
                "id": item_id,
                "date": when,
                "precision": precision,
                "date_basis": basis,
                "when_text": ev.when,
                "action": ev.action,
                "summary": _squash(ev.sentence.text),
                "actor": _party(resolve, aid, ev.actor, ev.actor_span),
                "target": _party(resolve, aid, ev.target, ev.target_span),
                "where": where_ent.name if where_ent is not None else ev.where,
                "negated": ev.negated,
                "source": aid,
                "citations": cites,
            },
        )

    for n, q in enumerate(ext.quotes, 1):
        item_id = f"q-{aid}-{n}"
        try:
            parts = tuple(p for p in q.parts if p.end > p.start) or (q.content,)
            cites = _cites(clean, *parts, q.speaker)
            _cites(clean, q.content, q.cue)  # checked, not cited separately
        except _BadSpan as exc:
            drop("quote", item_id, exc)
            continue
        if not cites:
            continue
        yield (
            "quotes",
            {
                "id": item_id,
                "kind": q.kind,
                "text": q.content.text,
                "parts": [p.text for p in parts],
                "speaker": _party(resolve, aid, q.speaker_key, q.speaker),
                "cue": _squash(q.cue.text) if q.cue is not None else None,
                "said_on": q.said_on,
                "source": aid,
                "citations": cites,
            },
        )

    for n, f in enumerate(ext.figures, 1):
        item_id = f"f-{aid}-{n}"
        try:
            cites = _cites(clean, f.span, f.counts_span)
        except _BadSpan as exc:
            drop("figure", item_id, exc)
            continue
        if not (math.isfinite(f.value) and (f.value_high is None or math.isfinite(f.value_high))):
            drop("figure", item_id, _BadSpan(f"value {f.value!r}..{f.value_high!r} is not a finite number"))
            continue
        if not cites:
            continue
        yield (
            "figures",
            {
                "id": item_id,
                "value": f.value,
                "value_high": f.value_high,
                "qualifier": f.qualifier,
                "unit": f.unit,
                "counts": f.counts,
                "as_of": f.as_of,
                "reading": readings.get((aid, n - 1)),
                "text": f.span.text,
                "source": aid,
                "citations": cites,
            },
        )

    for n, t in enumerate(ext.dates, 1):
        item_id = f"d-{aid}-{n}"
        try:
            cites = _cites(clean, t.span)
        except _BadSpan as exc:
            drop("date", item_id, exc)
            continue
        if not cites:
            continue
        yield (
            "dates",
            {
                "id": item_id,
                "text": t.span.text,
                "value": t.value,
                "type": t.type,
                "precision": t.precision,
                "source": aid,
                "citations": cites,
            },
        )


def story_title(sources: Sequence[dict[str, Any]], scores: dict[str, float]) -> str:
    """The story's title: the real headline of its most recent well-scored article.

    Titles that are furniture (a section label, a navigation word, a line of one to three words) never count,
    and the site's name run on to a headline is left out.  "Well-scored" is a source quality score at least
    the story's median (every source when there are no scores); among those the most recently published
    headline wins, then the better score, then the earlier listed source."""
    found = [(s, h) for s in sources if (h := headline(s.get("title"), s.get("outlet")))]
    if not found:
        return "Untitled story"
    if scores:
        ranked = sorted(scores.get(s["id"], 0.0) for s, _ in found)
        median = ranked[(len(ranked) - 1) // 2]
        found = [(s, h) for s, h in found if scores.get(s["id"], 0.0) >= median] or found
    best = max(
        enumerate(found),
        key=lambda it: (it[1][0].get("published") or "", scores.get(it[1][0]["id"], 0.0), -it[0]),
    )
    return best[1][1]


def source_order(article_id: str, published: str | None) -> tuple[bool, str, str]:
    """The sort key of a source in the dossier: by publication date (undated last), then id."""
    return (published is None, published or "", article_id)


def _in_order(items: Iterable[tuple[CleanArticle, Extraction]]) -> Iterator[tuple[CleanArticle, Extraction]]:
    """``items`` as given, one at a time, checked to be in ``source_order`` without repeats."""
    last: tuple[bool, str, str] | None = None
    for clean, ext in items:
        key = source_order(clean.article.id, clean.article.published)
        if last is not None and key <= last:
            raise StorylineError(f"streamed dossier items out of order or repeated at {clean.article.id}")
        last = key
        yield clean, ext


def stream_dossier(
    load: Callable[[Sequence[str]], Iterable[tuple[CleanArticle, Extraction]]],
    sources: Iterable[tuple[str, str | None]],
    **options: Any,
) -> dict:
    """The dossier of the articles ``sources`` ((id, published) pairs, as the store lists them), read twice
    through ``load(ids)`` (for example ``Store.iter_loaded``), one article at a time: once to link entities,
    once to build.  Equal to ``build_dossier`` over the same items; ``options`` are its keyword arguments."""
    from storyline.extract.entities import link_entities

    ids = [aid for aid, published in sorted(dict(sources).items(), key=lambda it: source_order(*it))]
    index = link_entities((clean, ext.mentions) for clean, ext in load(ids))
    return build_dossier(load(ids), index, ordered=True, **options)


def build_dossier(
    items: Iterable[tuple[CleanArticle, Extraction]],
    entities: EntityIndexLike,
    *,
    title: str | None = None,
    generated_by: str = "storyline",
    crosscheck: CrossCheck | None = None,
    next_items: Sequence[NextItem] = (),
    ordered: bool = False,
) -> dict:
    """Assemble the dossier dict (see ``schemas/dossier-1.json``) from cleaned articles and their extractions,
    with the cross-checking results (claims, conflicts, errors, running figures, offices, source quality) when
    ``crosscheck`` is given (empty sections otherwise).

    ``ordered``: ``items`` is an iterable already in ``source_order`` without repeats (``StorylineError``
    otherwise), read once, one item at a time: none is kept, so the build holds the dossier being made and
    one article (a generator over the store keeps memory to that; see docs/benchmarks.md, Scale)."""
    if ordered:
        stream: Iterable[tuple[CleanArticle, Extraction]] = _in_order(items)
    else:
        unique: dict[str, tuple[CleanArticle, Extraction]] = {}
        for clean, ext in items:
            unique.setdefault(clean.article.id, (clean, ext))
        stream = sorted(unique.values(), key=lambda it: source_order(it[0].article.id, it[0].article.published))
    position: dict[str, int] = {}

    resolve = _Resolver(entities)
    readings = {(a, i): r for a, i, r in crosscheck.figure_readings} if crosscheck is not None else {}
    dropped: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    buckets: dict[str, list[dict[str, Any]]] = {"events": [], "quotes": [], "figures": [], "dates": []}
    mention_counts: dict[str, int] = {}
    for i, (clean, ext) in enumerate(stream, 1):
        position[clean.article.id] = i - 1
        sources.append(_source_dict(clean, ext, f"s{i}"))
        for kind, item in _items(clean, ext, resolve, dropped, readings):
            buckets[kind].append(item)
        aid = clean.article.id
        for m in ext.mentions:
            ent = resolve(aid, m.key)
            if ent is not None:
                mention_counts[ent.id] = mention_counts.get(ent.id, 0) + 1

    texts = {s["id"]: s["text"] for s in sources}

    def known(c: Citation) -> bool:
        text = texts.get(c.source)
        return text is not None and 0 <= c.start <= c.end <= len(text) and text[c.start : c.end] == c.text

    all_entities: dict[str, Entity] = {e.id: e for e in entities.entities}
    for eid, ent in resolve.seen.items():
        all_entities.setdefault(eid, ent)
    entity_items = []
    for ent in all_entities.values():
        roles = [
            {"role": r.role, "published": r.published, "citations": [_citation_dict(r.citation)]}
            for r in ent.roles
            if known(r.citation)
        ]
        roles.sort(key=lambda r: (r["published"] or "~", r["role"], r["citations"][0]["source"]))
        cites = sorted(
            {(c.source, c.start, c.end): c for c in ent.citations if known(c) and c.start < c.end}.values(),
            key=lambda c: (position.get(c.source, 0), c.start, c.end),
        )
        entity_items.append(
            {
                "id": ent.id,
                "name": ent.name,
                "label": ent.label,
                "aliases": sorted({a for a in ent.aliases if a and a != ent.name}),
                "roles": roles,
                "mentions": mention_counts.get(ent.id, 0),
                "citations": [_citation_dict(c) for c in cites],
            }
        )
    entity_items.sort(key=lambda e: (-e["mentions"], e["name"].casefold(), e["id"]))

    def item_index(item: dict[str, Any]) -> int:
        return int(item["id"].rsplit("-", 1)[1])

    buckets["events"].sort(key=lambda e: (date_sort_key(e["date"]), position[e["source"]], item_index(e)))
    for kind in ("quotes", "figures", "dates"):
        buckets[kind].sort(key=lambda it: (position[it["source"]], item_index(it)))

    published = sorted(s["published"] for s in sources if s["published"])
    if title is None:
        scores = {q.source: q.score for q in crosscheck.quality} if crosscheck is not None else {}
        title = story_title(sources, scores)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_by": generated_by,
        "title": title,
        "period": {
            "first": published[0] if published else None,
            "last": published[-1] if published else None,
        },
        "sources": sources,
        "entities": entity_items,
        "events": buckets["events"],
        "quotes": buckets["quotes"],
        "figures": buckets["figures"],
        "dates": buckets["dates"],
        "dropped": dropped,
        **crosscheck_sections(crosscheck or CrossCheck(), known),
        "next": next_section(next_items, known),
    }


# --------------------------------------------------------------------------- cross-checking sections


def next_section(items: Sequence[NextItem], known: Any = lambda c: True) -> list[dict[str, Any]]:
    """The dossier's "what comes next" section (items whose citations do not all verify are left out)."""
    from storyline.reader.whatsnext import next_to_dict

    return [next_to_dict(item) for item in items if item.citations and all(known(c) for c in item.citations)]


def _cdicts(cites: Sequence[Citation], known: Any) -> list[dict[str, Any]]:
    return [_citation_dict(c) for c in cites if known(c)]


def crosscheck_sections(xc: CrossCheck, known: Any = lambda c: True) -> dict[str, Any]:
    """The dossier sections of a CrossCheck record (citations that do not verify are left out)."""
    links = [
        {
            "copy": link.copy,
            "origin": link.origin,
            "kind": link.kind,
            "similarity": round(float(link.similarity), 4),
            "method": link.method,
            "evidence": _cdicts(link.evidence, known),
        }
        for link in xc.independence.links
    ]
    claims = []
    for c in xc.claims:
        cites = _cdicts(c.citations, known)
        if not cites:
            continue
        claims.append(
            {
                "id": c.id,
                "status": c.status,
                "independent": c.independent,
                "sources": list(c.sources),
                "text": c.text,
                "date": c.date,
                "entities": list(c.entities),
                "conflicts": list(c.conflicts),
                "errors": list(c.errors),
                "statements": list(c.statements),
                "citations": cites,
            }
        )
    chains = []
    for ch in xc.event_chains:
        kept = [m for m in ch.mentions if known(m.trigger) and known(m.sentence)]
        if len(kept) < 2:
            continue
        chains.append(
            {
                "id": ch.id,
                "action": ch.action,
                "status": ch.status,
                "likely_event": ch.likely_event,
                "independent": ch.independent,
                "sources": list(dict.fromkeys(m.trigger.source for m in kept)),
                "mentions": [
                    {"lemma": m.lemma, "trigger": _citation_dict(m.trigger), "sentence": _citation_dict(m.sentence)}
                    for m in kept
                ],
            }
        )
    conflicts = [
        {
            "id": x.id,
            "kind": x.kind,
            "about": x.about,
            "explanation": x.explanation,
            "likely": x.likely,
            "sides": [
                {
                    "value": side.value,
                    "sources": list(side.sources),
                    "independent": side.independent,
                    "as_of": side.as_of,
                    "citations": _cdicts(side.citations, known),
                }
                for side in x.sides
            ],
        }
        for x in xc.conflicts
    ]
    errors = [
        {
            "id": e.id,
            "kind": e.kind,
            "source": e.source,
            "text": e.citation.text,
            "correction": e.correction,
            "why": e.why,
            "conflict": e.conflict,
            "citations": _cdicts([e.citation], known),
            "evidence": _cdicts(e.evidence, known),
        }
        for e in xc.errors
    ]
    series = [
        {
            "id": fs.id,
            "what": fs.what,
            "unit": fs.unit,
            "cumulative": fs.cumulative,
            "points": [
                {
                    "value": p.value,
                    "value_high": p.value_high,
                    "qualifier": p.qualifier,
                    "as_of": p.as_of,
                    "source": p.source,
                    "published": p.published,
                    "text": p.citation.text,
                    "citations": _cdicts([p.citation], known),
                }
                for p in fs.points
            ],
        }
        for fs in xc.series
    ]
    offices = [
        {
            "person": t.person,
            "name": t.name,
            "office": t.office,
            "status": t.status,
            "first_seen": t.first_seen,
            "last_seen": t.last_seen,
            "sources": list(t.sources),
            "independent": t.independent,
            "citations": _cdicts(t.citations, known),
        }
        for t in xc.offices
    ]
    quality = [
        {
            "source": q.source,
            "score": round(float(q.score), 4),
            "reasons": [
                {
                    "kind": r.kind,
                    "effect": round(float(r.effect), 4),
                    "detail": r.detail,
                    "citations": _cdicts(r.citations, known),
                }
                for r in q.reasons
            ],
        }
        for q in xc.quality
    ]
    return {
        "independence": {"groups": [list(g) for g in xc.independence.groups], "links": links},
        "claims": claims,
        "event_chains": chains,
        "conflicts": conflicts,
        "errors": errors,
        "series": series,
        "offices": offices,
        "quality": quality,
    }


# --------------------------------------------------------------------------- schema


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files("storyline").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


def schema() -> dict:
    """The shipped dossier JSON Schema (draft 2020-12); a fresh copy each call."""
    return json.loads(_schema_text())


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    s = schema()
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


# A compiled fast path: the schema is turned once into nested Python checks that answer valid / invalid
# about 30x faster than jsonschema (whose $ref handling dominates on big dossiers).  Only when the fast
# check says "invalid" does jsonschema run, to name the error.  The compiler refuses keywords it does not
# implement, so the schema cannot silently outgrow it (tests cross-check both on invalid dossiers).

_Check = Any  # Callable[[Any], bool]
_IGNORED = frozenset({"$schema", "$id", "$defs", "title", "description", "$comment"})


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "number": (int, float),  # type() is exact: bool is not int here, as in JSON Schema
    "integer": (int,),
}


def _type_check(names: list[str]) -> _Check:
    exact = frozenset(t for n in names for t in _PY_TYPES[n])
    if "integer" in names and "number" not in names:
        return lambda v: type(v) in exact or (type(v) is float and v.is_integer())
    return lambda v: type(v) in exact


def _all_of(checks: tuple[_Check, ...]) -> _Check:
    def check(v: Any) -> bool:
        for c in checks:  # noqa: SIM110 - a plain loop is faster than all(genexpr) here
            if not c(v):
                return False
        return True

    return check


def _compile(node: dict, defs: dict, memo: dict[str, _Check]) -> _Check:  # noqa: C901 - one branch per keyword
    unknown = (
        set(node)
        - _IGNORED
        - {
            "$ref",
            "type",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "minItems",
            "maxItems",
            "enum",
            "const",
            "pattern",
            "minimum",
            "maximum",
            "minLength",
            "anyOf",
        }
    )
    if unknown:
        raise SchemaError(f"the fast validator does not implement {sorted(unknown)}")
    checks: list[_Check] = []
    if "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/"):
            raise SchemaError(f"the fast validator resolves only local $defs, not {ref}")
        name = ref.rsplit("/", 1)[1]
        if name not in memo:
            memo[name] = _compile(defs[name], defs, memo)
        checks.append(memo[name])
    if "type" in node:
        checks.append(_type_check(node["type"] if isinstance(node["type"], list) else [node["type"]]))
    if "const" in node:
        const = node["const"]
        checks.append(lambda v, c=const: type(v) is type(c) and v == c)
    if "enum" in node:
        allowed = [(type(e), e) for e in node["enum"]]
        checks.append(lambda v, a=allowed: any(type(v) is t and v == e for t, e in a))
    if "pattern" in node:
        rx = re.compile(node["pattern"])
        checks.append(lambda v, r=rx: not isinstance(v, str) or r.search(v) is not None)
    if "minLength" in node:
        n = node["minLength"]
        checks.append(lambda v, n=n: not isinstance(v, str) or len(v) >= n)
    if "minimum" in node:
        lo = node["minimum"]
        checks.append(lambda v, lo=lo: isinstance(v, bool) or not isinstance(v, int | float) or v >= lo)
    if "maximum" in node:
        hi = node["maximum"]
        checks.append(lambda v, hi=hi: isinstance(v, bool) or not isinstance(v, int | float) or v <= hi)
    if "minItems" in node:
        n = node["minItems"]
        checks.append(lambda v, n=n: not isinstance(v, list) or len(v) >= n)
    if "maxItems" in node:
        n = node["maxItems"]
        checks.append(lambda v, n=n: not isinstance(v, list) or len(v) <= n)
    if "items" in node:
        item = _compile(node["items"], defs, memo)

        def check_items(v: Any, f: _Check = item) -> bool:
            if type(v) is list:
                for x in v:
                    if not f(x):
                        return False
            return True

        checks.append(check_items)
    if "anyOf" in node:
        alts = [_compile(a, defs, memo) for a in node["anyOf"]]
        checks.append(lambda v, alts=alts: any(f(v) for f in alts))
    if "required" in node:
        req = tuple(node["required"])
        checks.append(lambda v, req=req: not isinstance(v, dict) or all(k in v for k in req))
    if "properties" in node or "additionalProperties" in node:
        props = {k: _compile(sub, defs, memo) for k, sub in (node.get("properties") or {}).items()}
        extra = node.get("additionalProperties", True)
        if extra is False:
            extra_check: _Check | None = lambda v: False  # noqa: E731
        elif extra is True:
            extra_check = None
        else:
            extra_check = _compile(extra, defs, memo)

        def check_props(v: Any, props: dict = props, extra_check: _Check | None = extra_check) -> bool:
            if type(v) is not dict:
                return True
            for k, x in v.items():
                f = props.get(k)
                if f is None:
                    if extra_check is not None and not extra_check(x):
                        return False
                elif not f(x):
                    return False
            return True

        checks.append(check_props)
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    return _all_of(tuple(checks))


@lru_cache(maxsize=1)
def _fast_validator() -> _Check:
    s = schema()
    defs = s.get("$defs") or {}
    memo: dict[str, _Check] = {}
    # late binding: a $ref compiled before its definition is finished still finds it through memo
    return _compile(s, defs, memo)


def validate_dossier(dossier: dict) -> None:
    """Raise ``SchemaError`` (one-line reason) unless ``dossier`` matches the shipped schema."""
    if _fast_validator()(dossier):
        return
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(dossier))
    if error is None:  # pragma: no cover - the fast check is stricter than the schema only by a bug
        raise SchemaError(f"dossier does not match schema {SCHEMA_VERSION} (fast check)")
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    message = _squash(error.message)
    if len(message) > 200:
        message = message[:197] + "..."
    raise SchemaError(f"dossier does not match schema {SCHEMA_VERSION} at {where}: {message}")


# --------------------------------------------------------------------------- verification


def _nested(dossier: dict, section: str, inner: str, key: str) -> Iterator[tuple[str, Any]]:
    for i, item in enumerate(dossier.get(section) or []):
        if isinstance(item, dict):
            for j, sub in enumerate(item.get(inner) or []):
                if isinstance(sub, dict):
                    yield f"{section}[{i}].{inner}[{j}]", sub.get(key)


def _citation_lists(dossier: dict) -> Iterator[tuple[str, Any]]:
    for section in ("claims", "errors", "offices", "next"):
        for i, item in enumerate(dossier.get(section) or []):
            if isinstance(item, dict):
                yield f"{section}[{i}]", item.get("citations")
                if section == "errors":
                    yield f"{section}[{i}].evidence", item.get("evidence")
    yield from _nested(dossier, "conflicts", "sides", "citations")
    yield from _nested(dossier, "series", "points", "citations")
    yield from _nested(dossier, "quality", "reasons", "citations")
    independence = dossier.get("independence")
    if isinstance(independence, dict):
        for i, link in enumerate(independence.get("links") or []):
            if isinstance(link, dict):
                yield f"independence.links[{i}].evidence", link.get("evidence")
    for section in ("entities", "events", "quotes", "figures", "dates"):
        for i, item in enumerate(dossier.get(section) or []):
            if not isinstance(item, dict):
                continue
            yield f"{section}[{i}]", item.get("citations")
            if section == "entities":
                for j, role in enumerate(item.get("roles") or []):
                    if isinstance(role, dict):
                        yield f"{section}[{i}].roles[{j}]", role.get("citations")


def verify_citations(dossier: dict) -> list[str]:
    """Problems found; ``[]`` when every citation (and furniture line) equals its source text[start:end]."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    for i, src in enumerate(dossier.get("sources") or []):
        if isinstance(src, dict) and isinstance(src.get("id"), str) and isinstance(src.get("text"), str):
            texts[src["id"]] = src["text"]
            for j, f in enumerate(src.get("furniture") or []):
                problems.extend(_check(f"sources[{i}].furniture[{j}]", f, src["text"]))
        else:
            problems.append(f"sources[{i}]: no id or text")

    for where, cites in _citation_lists(dossier):
        if not isinstance(cites, list):
            problems.append(f"{where}: no citations")
            continue
        for k, c in enumerate(cites):
            label = f"{where}.citations[{k}]"
            if not isinstance(c, dict):
                problems.append(f"{label}: not an object")
                continue
            text = texts.get(c.get("source"))  # type: ignore[arg-type]
            if text is None:
                problems.append(f"{label}: unknown source {c.get('source')!r}")
                continue
            problems.extend(_check(label, c, text))
    return problems


def _check(label: str, c: Any, text: str) -> list[str]:
    if not isinstance(c, dict):
        return [f"{label}: not an object"]
    start, end, cited = c.get("start"), c.get("end"), c.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(cited, str)):
        return [f"{label}: start, end and text must be integers and a string"]
    if not 0 <= start <= end <= len(text):
        return [f"{label}: [{start}, {end}) outside the source text (length {len(text)})"]
    if text[start:end] != cited:
        return [
            f"{label}: text {cited[:40]!r} differs from source text[{start}:{end}] {text[start:end][:40]!r}"
        ]
    return []
