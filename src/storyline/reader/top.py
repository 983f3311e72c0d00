"""The top of the story: what a reader needs in 30 seconds, precomputed as ``view["top"]``.

``story_top(dossier, briefing)`` gives, in the order a page shows them (every item JSON-able and cited):

``headline``  where things stand now: the headline of the latest well-scored article (quality at least the
              story's median) when its words are in its text, else that article's lead sentence
              (basis ``latest-article``); else the newest corroborated claim (``composed``); else the
              briefing's headline (``latest-article`` or ``earliest``, by the date of the source it cites);
``dek``       the latest development and its absolute date: the newest dated statement that is not the
              headline (the newest day a sentence names, else its article's publication day);
``bullets``   3-5 of the most important corroborated facts (most independent sources, then most recently
              reported, then source quality), shown newest first, single-source statements of the best
              sources only when fewer than three are corroborated (marked ``status="single-source"``);
``numbers``   each running figure's latest value (the value most sources give on its latest day) with a
              sparkline;
``disputes``  conflicts ranked by the independent sources on each side: undecided conflicts before
              decided ones and flagged errors (a typo never outranks a real dispute), then the weight
              ``[independent sources of the weaker side, independent sources in all]``, larger first;
``changes``   claims, figures and conflicts with ``first_seen`` (the earliest publication day of the
              sources that carry them), newest first, at most ``CHANGES_LIMIT``: a page filters them by a
              date the reader picks or their last visit;
``as_of``     the latest publication day.

Every date shown is absolute: a relative day name in a cited sentence ("on Tuesday", "yesterday") is
followed by its date in brackets, resolved against the citing article's publication day by
:func:`storyline.extract.dates.extract_dates` ("on Tuesday [9 December 2025]").  Nothing a cross-check holds
back (a flagged error, the losing side of a decided conflict, a superseded value) is stated as fact, and
nothing uncited is shown: every text is a source's words or a template around cited values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storyline.extract.dates import extract_dates
from storyline.ingest.headline import headline as real_headline
from storyline.reader.briefing import MIN_SINGLE_QUALITY, format_date, is_briefable, trim_furniture
from storyline.reader.charts import sparkline_svg
from storyline.reader.mistakes import Mistakes, Spans
from storyline.reader.problems import as_citation, item_citations, item_key
from storyline.reader.views import _markers, _positions, _Refs
from storyline.reader.wording import figure_value, one_line
from storyline.text import words as split_words

__all__ = ["BULLETS", "CHANGES_LIMIT", "absolute_days", "dispute_rank", "first_seen", "story_top"]

BULLETS = (3, 5)  # fewest and most bullets
CHANGES_LIMIT = 80
DISPUTES_LIMIT = 10
NUMBERS_LIMIT = 6
WELL_SCORED = 0.5  # a source scored at least this (or the story's median, if lower) is well scored
_SAME_COUNT = {"wounded": "injured", "hurt": "injured", "dead": "killed"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_HAS_CALENDAR = re.compile(  # a date written out: a month name, a year, or "2/21"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?!\w)|\b\d{4}\b|\b\d{1,2}/\d{1,2}\b", re.IGNORECASE
)
_CLOCK = re.compile(r"\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\.?|\d+|\b(?:noon|midnight|at|about|around|o'clock|[A-Z]{2,4}T)\b",
                    re.IGNORECASE)
_STOP = frozenset(["the", "a", "an", "of", "to", "in", "on", "at", "and", "or", "for", "by", "with", "from", "as", "is", "was", "were", "has", "have", "had", "that"])


# --------------------------------------------------------------------------- dates


def _day(value: Any) -> str | None:
    text = str(value or "")[:10]
    return text if _DAY.match(text) else None


def absolute_days(text: str, published: str | None) -> tuple[str, list[str]]:
    """``text`` with each relative day ("Tuesday", "yesterday", "last night") followed by its date in brackets,
    resolved against ``published``; and every day-precise date the text names (ISO, in text order).

    Explicit dates ("9 December 2025") are left as written; without a publication day nothing is resolved."""
    anchor = _day(published)
    if not text or anchor is None:
        return text, []
    out, days, at = [], [], 0
    for t in extract_dates(text, anchor):
        value = _day(t.value) if t.precision in ("day", "hour", "minute") else None
        if value is None or t.type not in ("DATE", "TIME"):
            continue
        days.append(value)
        if _HAS_CALENDAR.search(t.span.text) or not re.search(r"[a-z]{3}", _CLOCK.sub(" ", t.span.text), re.I):
            continue  # the date is written out already, or only a clock time is ("3 p.m.")
        out.append(text[at : t.span.end])
        out.append(f" [{format_date(value)}]")
        at = t.span.end
    out.append(text[at:])
    return "".join(out), days


def first_seen(source_ids: Iterable[str], published: Mapping[str, str | None]) -> str | None:
    """The earliest publication day among these sources (None when none is dated)."""
    days = [d for s in source_ids if (d := _day(published.get(s)))]
    return min(days) if days else None


def _dates_in(text: str) -> str:
    return _ISO_DAY.sub(lambda m: format_date(m.group(0)) or m.group(0), text)


# --------------------------------------------------------------------------- context


class _Top:
    """What the builder looks up: sources, quality, independence, what is held back, what is to come."""

    def __init__(self, dossier: Mapping[str, Any], today: str | None) -> None:
        self.sources = {s["id"]: s for s in dossier.get("sources") or []}
        self.refs = _Refs(list(self.sources.values()))
        self.published = {sid: _day(s.get("published")) for sid, s in self.sources.items()}
        self.score = {q["source"]: float(q.get("score") or 0.0) for q in dossier.get("quality") or []}
        self.origin: dict[str, str] = {}
        for group in (dossier.get("independence") or {}).get("groups") or []:
            for member in group:
                self.origin.setdefault(member, group[0])
        self.mistakes = Mistakes(dossier)
        self.disputed = Spans()  # either side of an undecided conflict: shown as a dispute, never as fact
        for x in dossier.get("conflicts") or []:
            if x.get("likely") is None:
                for side in x.get("sides") or []:
                    for c in side.get("citations") or []:
                        self.disputed.add(c)
        self.future = Spans()  # sentences about what comes next are not facts that happened
        for n in dossier.get("next") or []:
            for c in (n.get("citations") or [])[:1]:
                self.future.add(c)
        days = [d for d in self.published.values() if d]
        self.as_of = max(days) if days else None
        self.now = _day(today) or self.as_of or "9999-12-31"

    def independent(self, source_ids: Iterable[str]) -> int:
        return len({self.origin.get(s, s) for s in source_ids})

    def quality(self, sid: str) -> float:
        return self.score.get(sid, 0.5)

    def held(self, cites: Iterable[Mapping[str, Any]], kinds: Sequence[str] = Mistakes.KINDS) -> bool:
        """Whether one of these citations holds words never stated as fact (a flagged error, a losing side, a
        superseded value; with ``kinds`` only those)."""
        return self.mistakes.why(cites, kinds) is not None

    def well_scored(self) -> list[str]:
        """Sources scored at least the median or WELL_SCORED (whichever is lower), newest first, then better
        scored: a sound later article is where the story stands, even when older ones scored a little higher."""
        ids = list(self.sources)
        if self.score:
            ranked = sorted(self.quality(s) for s in ids)
            floor = min(ranked[(len(ranked) - 1) // 2], WELL_SCORED) if ranked else 0.0
            ids = [s for s in ids if self.quality(s) >= floor] or ids
        return sorted(ids, key=lambda s: (self.published.get(s) or "", self.quality(s)), reverse=True)


class _Sentence:
    """One cited sentence ready to show: the trimmed source words, its text with absolute days, its date."""

    __slots__ = ("cite", "text", "date", "basis")

    def __init__(self, cite: Mapping[str, Any], ctx: _Top) -> None:
        self.cite = cite
        pub = ctx.published.get(str(cite["source"]))
        self.text, days = absolute_days(str(cite["text"]), pub)
        past = [d for d in days if d <= min(ctx.now, pub or ctx.now)]  # a later day is a plan, not a date it happened
        self.date, self.basis = (max(past), "stated") if past else (pub, "reported")


def _trimmed(c: Mapping[str, Any]) -> dict[str, Any] | None:
    """The citation trimmed of furniture (a dateline, a credit, a leading "|" or bullet); None for nothing
    left or a line in capitals (a broadcast cue, not a sentence)."""
    text = str(c.get("text") or "")
    s, e = trim_furniture(text)
    while s < e and text[s] in "|•·-–—>* \t\n":
        s += 1
    letters = [ch for ch in text[s:e] if ch.isalpha()]
    if s >= e or (letters and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)):
        return None
    return {"source": str(c["source"]), "start": int(c["start"]) + s, "end": int(c["start"]) + e, "text": text[s:e]}


def _usable(ctx: _Top, c: Mapping[str, Any] | None) -> bool:
    """A sentence to state as fact: briefable, not held back, not about what comes next, not a quotation."""
    if c is None or not is_briefable(str(c["text"])) or str(c["text"])[:1] in "\"“‘'":
        return False
    cite = as_citation(c)
    return not ctx.held([c]) and not ctx.future.overlaps(cite) and not ctx.disputed.overlaps(cite)


def _content(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in split_words(text) if w.casefold() not in _STOP)


def _near(a: frozenset[str], b: frozenset[str]) -> bool:
    small = min(len(a), len(b))
    return small >= 3 and len(a & b) >= 0.6 * small


# --------------------------------------------------------------------------- headline and dek


def _title_cite(ctx: _Top, sid: str) -> dict[str, Any] | None:
    s = ctx.sources[sid]
    title = one_line(real_headline(s.get("title"), s.get("outlet")) or "")
    text = str(s.get("text") or "")
    at = text.find(title) if title else -1
    if at < 0:
        return None
    c = {"source": sid, "start": at, "end": at + len(title), "text": title}
    return None if ctx.held([c]) else c


def _source_sentences(ctx: _Top, dossier: Mapping[str, Any], sid: str) -> list[dict[str, Any]]:
    """The usable cited sentences of one source (from its claims), in text order."""
    seen: dict[int, dict[str, Any]] = {}
    for claim in dossier.get("claims") or []:
        if claim.get("errors") or claim.get("status") == "contested":
            continue
        for c in claim.get("citations") or []:
            if c.get("source") == sid and (t := _trimmed(c)) is not None and _usable(ctx, t):
                seen.setdefault(t["start"], t)
    return [seen[k] for k in sorted(seen)]


def _headline(ctx: _Top, dossier: Mapping[str, Any], briefing: Mapping[str, Any]) -> dict[str, Any]:
    ranked = ctx.well_scored()
    newest = [s for s in ranked if ctx.published.get(s) == ctx.published.get(ranked[0])] if ranked else []
    for find in (lambda sid: _title_cite(ctx, sid), lambda sid: next(iter(_source_sentences(ctx, dossier, sid)), None)):
        for sid in newest:
            if (c := find(sid)) is not None:
                return _shown_headline(ctx, c, [c], "latest-article")
    composed = _corroborated(ctx, dossier)
    if composed:
        _imp, claim, rep = max(composed, key=lambda t: (_Sentence(t[2], ctx).date or "", t[0]))
        return _shown_headline(ctx, rep, [rep, *claim["citations"]], "composed")
    cites = list(briefing.get("headline_citations") or [])
    text = str(briefing.get("headline") or dossier.get("title") or "")
    if not cites:
        return {"text": text, "markers": [], "cites": [], "basis": "earliest", "date": None}
    latest = cites and ctx.published.get(str(cites[0]["source"])) == ctx.as_of
    return {**_shown_headline(ctx, cites[0], cites, "latest-article" if latest else "earliest"), "text": text}


def _shown_headline(ctx: _Top, c: Mapping[str, Any], cites: Sequence[Mapping[str, Any]], basis: str) -> dict:
    sent = _Sentence(c, ctx)
    return {"text": sent.text, "markers": _markers(cites, ctx.refs)["markers"], "cites": _positions(cites[:1]),
            "basis": basis, "date": ctx.published.get(str(c["source"]))}


def _dek(ctx: _Top, dossier: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any] | None:
    """The newest dated statement that is not the headline's words: by its date, then its independent
    sources, then its place in its article, then source quality."""
    taken = Spans()
    for src, start, end in head.get("cites") or []:
        taken.add({"source": src, "start": start, "end": end})
    best: tuple[tuple, _Sentence, list] | None = None
    for claim in dossier.get("claims") or []:
        if claim.get("errors") or claim.get("status") == "contested":
            continue
        ind = ctx.independent(claim.get("sources") or ())
        for c in claim.get("citations") or []:
            t = _trimmed(c)
            if t is None or not _usable(ctx, t) or taken.overlaps(as_citation(t)) or _predicted(ctx, claim, t):
                continue
            sent = _Sentence(t, ctx)
            if sent.date is None:
                continue
            rank = (sent.date, sent.basis == "stated", ind, -t["start"], ctx.quality(t["source"]))
            if best is None or rank > best[0]:
                best = (rank, sent, [t, *claim["citations"]])
    if best is None:
        return None
    _rank, sent, cites = best
    return {"text": sent.text, "date": sent.date, "date_basis": sent.basis,
            "markers": _markers(cites, ctx.refs)["markers"], "cites": _positions(cites[:1])}


# --------------------------------------------------------------------------- bullets


def _representative(ctx: _Top, claim: Mapping[str, Any]) -> dict[str, Any] | None:
    """The best-quality usable statement of a claim from a source scored at least MIN_SINGLE_QUALITY; None
    when the best source's words are held back (the claim is outdated or wrong, whoever else repeats it)."""
    cites = sorted(claim.get("citations") or [], key=lambda c: -ctx.quality(str(c["source"])))
    for c in cites:
        if ctx.quality(str(c["source"])) < MIN_SINGLE_QUALITY or ctx.held([c]):
            return None
        t = _trimmed(c)
        if _usable(ctx, t):
            return t
    return None


def _corroborated(ctx: _Top, dossier: Mapping[str, Any], single: bool = False) -> list[tuple[tuple, dict, dict]]:
    """(importance, claim, representative statement) of the claims usable as facts: corroborated ones (or,
    with ``single``, single-source ones of well-scored sources)."""
    well = set(ctx.well_scored())
    out = []
    for claim in dossier.get("claims") or []:
        if claim.get("errors") or not claim.get("citations"):
            continue
        srcs = list(claim.get("sources") or {c["source"] for c in claim["citations"]})
        ind = ctx.independent(srcs)
        corroborated = claim.get("status") == "corroborated" and ind >= 2
        if corroborated == single or (single and (claim.get("status") != "single-source" or srcs[0] not in well)):
            continue
        rep = _representative(ctx, claim)
        if rep is None or _predicted(ctx, claim, rep):
            continue
        last = max((ctx.published.get(s) or "" for s in srcs), default="")
        out.append(((ind, len(srcs), last, ctx.quality(rep["source"])), claim, rep))
    return out


def _predicted(ctx: _Top, claim: Mapping[str, Any], rep: Mapping[str, Any]) -> bool:
    """A statement about a day after its article was published: a plan or a forecast, not a fact."""
    day, pub = _day(claim.get("date")), ctx.published.get(str(rep["source"]))
    return day is not None and pub is not None and day > pub


def _bullets(ctx: _Top, dossier: Mapping[str, Any], shown: Sequence[Mapping[str, Any] | None]) -> list[dict]:
    taken = Spans()
    words = []
    for item in shown:
        for src, start, end in (item or {}).get("cites") or []:
            taken.add({"source": src, "start": start, "end": end})
        if item:
            words.append(_content(str(item.get("text") or "")))
    chosen: list[tuple[dict, dict, str]] = []
    pools = [(_corroborated(ctx, dossier), "corroborated"), (_corroborated(ctx, dossier, single=True), "single-source")]
    for pool, status in pools:
        if status == "single-source" and len(chosen) >= BULLETS[0]:
            break
        for _imp, claim, rep in sorted(pool, key=lambda t: t[0], reverse=True):
            limit = BULLETS[1] if status == "corroborated" else BULLETS[0]
            if len(chosen) >= limit:
                break
            w = _content(rep["text"])
            if any(taken.overlaps(as_citation(c)) for c in claim["citations"]) or any(_near(w, x) for x in words):
                continue
            words.append(w)
            chosen.append((claim, rep, status))
    out = []
    for claim, rep, status in chosen:
        sent = _Sentence(rep, ctx)
        ident = _ident("claim", claim)
        out.append({**ident, **_markers([rep, *claim["citations"]], ctx.refs), "text": sent.text,
                    "date": sent.date, "date_basis": sent.basis, "status": status,
                    "independent": ctx.independent(claim.get("sources") or ()),
                    "outlet": ctx.refs.outlet(rep["source"])})
    out.sort(key=lambda b: b["date"] or "", reverse=True)
    return out


def _ident(kind: str, item: Mapping[str, Any]) -> dict[str, Any]:
    cites = item_citations(kind, item)
    return {"kind": kind, "key": item_key(kind, cites), "cites": _positions(cites)}


# --------------------------------------------------------------------------- numbers


def _latest_value(ctx: _Top, points: Sequence[Mapping[str, Any]]) -> tuple[str, list[Mapping[str, Any]], bool]:
    """The latest day, the points giving the value most (independent, then better) sources give on it, and
    whether that day agrees with itself."""
    day = max(str(p.get("as_of") or p.get("published"))[:10] for p in points)
    on_day = [p for p in points if str(p.get("as_of") or p.get("published"))[:10] == day]
    groups: dict[tuple, list[Mapping[str, Any]]] = {}
    for p in on_day:
        groups.setdefault((p.get("value"), p.get("value_high")), []).append(p)
    best = max(groups.values(), key=lambda g: (ctx.independent(p["source"] for p in g), len(g),
                                               max(ctx.quality(p["source"]) for p in g)))
    return day, best, len(groups) == 1


def _numbers(ctx: _Top, dossier: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for s in dossier.get("series") or []:
        points = [p for p in s.get("points") or []
                  if p.get("citations") and (p.get("as_of") or p.get("published"))
                  and ctx.mistakes.why(p["citations"], ("error", "losing")) is None]
        if not points:
            continue
        day, best, agrees = _latest_value(ctx, points)
        per_day: dict[str, float] = {}
        for p in sorted(points, key=lambda p: str(p.get("as_of") or p.get("published"))):
            per_day[str(p.get("as_of") or p.get("published"))[:10]] = float(p["value"])
        per_day[day] = float(best[0]["value"])
        what = str(s.get("what") or s.get("unit") or "figure")
        out.append({**_ident("series", s), **_markers([c for p in best for c in p["citations"][:1]], ctx.refs),
                    "what": what, "value": figure_value({"unit": s.get("unit"), **best[0]}),
                    "number": float(best[0]["value"]), "as_of": day, "agrees": agrees, "n_points": len(points),
                    "n_sources": len({p["source"] for p in points}),
                    "spark": sparkline_svg(sorted(per_day.items()), label=what)})
    out += _agreed_figures(ctx, dossier, {_count_of(n["what"]) for n in out})
    out.sort(key=lambda n: (-n["n_sources"], -n["n_points"], n["what"]))
    return out[:NUMBERS_LIMIT]


def _count_of(what: str) -> str:
    """What a figure counts, with synonyms made one ("people wounded" -> "people injured")."""
    return " ".join(_SAME_COUNT.get(w, w) for w in what.casefold().split())


def _agreed_figures(ctx: _Top, dossier: Mapping[str, Any], covered: set[str]) -> list[dict[str, Any]]:
    """A key number without a running figure: the value of a count that most independent sources (two at
    least) give, for each count no running figure covers (kind "figure", its dated values in the sparkline)."""
    groups: dict[str, dict[tuple, list[Mapping[str, Any]]]] = {}
    for f in dossier.get("figures") or []:
        what = _count_of(str(f.get("counts") or ""))
        if f.get("citations") and len(what.split()) >= 2 and what not in covered and not ctx.held(f["citations"]):
            groups.setdefault(what, {}).setdefault((f.get("value"), f.get("value_high"), f.get("qualifier")), []).append(f)
    out = []
    for what, by_value in groups.items():
        def weight(g: list[Mapping[str, Any]]) -> tuple:
            return ctx.independent(f["source"] for f in g), max(ctx.published.get(f["source"]) or "" for f in g)
        best = max(by_value.values(), key=weight)
        if weight(best)[0] < 2:
            continue
        days = sorted({(ctx.published.get(f["source"]) or "", float(f["value"])) for f in best})
        cites = [f["citations"][0] for f in best]
        out.append({"kind": "figure", "key": item_key("figure", best[0]["citations"]), "cites": _positions(cites),
                    **_markers(cites, ctx.refs), "what": what, "value": figure_value(best[0]),
                    "number": float(best[0]["value"]), "as_of": weight(best)[1] or None, "agrees": len(by_value) == 1,
                    "n_points": len(best), "n_sources": len({f["source"] for f in best}),
                    "spark": sparkline_svg(days, label=what)})
    return out


# --------------------------------------------------------------------------- disputes


def dispute_rank(independent: Sequence[int], *, decided: bool, error: bool, internal: bool = False) -> tuple:
    """The sort key of a conflict (smaller first): undecided before decided or flagged-error ones, disagreement
    between sources before one source contradicting itself, then the weaker side's independent sources, then
    all independent sources, larger first."""
    weakest = min(independent) if independent else 0
    return (error or decided, internal, -weakest, -sum(independent))


def _disputes(ctx: _Top, dossier: Mapping[str, Any]) -> list[dict[str, Any]]:
    errors = {e.get("conflict") for e in dossier.get("errors") or [] if e.get("conflict")}
    ranked = []
    for i, x in enumerate(dossier.get("conflicts") or []):
        sides = [s for s in x.get("sides") or [] if s.get("citations")]
        if len(sides) < 2:
            continue
        counts = [int(s.get("independent") or ctx.independent(s.get("sources") or ())) or 1 for s in sides]
        decided, error = x.get("likely") is not None, x.get("id") in errors
        key = dispute_rank(counts, decided=decided, error=error, internal=x.get("kind") == "internal")
        shown = [{"value": one_line(str(s.get("value"))), "n_sources": len(s.get("sources") or ()),
                  "independent": n, "outlets": [ctx.refs.outlet(src) for src in (s.get("sources") or ())[:6]],
                  **_markers(s["citations"], ctx.refs, 2)} for s, n in zip(sides, counts, strict=True)]
        likely = x.get("likely")
        ranked.append(((*key, i), {**_ident("conflict", x), **_markers([s["citations"][0] for s in sides], ctx.refs),
                                   "about": _dates_in(one_line(str(x.get("about") or ""))),
                                   "conflict_kind": x.get("kind"), "sides": shown,
                                   "weight": [min(counts), sum(counts)], "decided": decided, "error": error,
                                   "likely": None if likely is None else one_line(str((x.get("sides") or [{}])[likely].get("value")))}))
    ranked.sort(key=lambda t: t[0])
    return [d for _k, d in ranked[:DISPUTES_LIMIT]]


# --------------------------------------------------------------------------- changes


def _figure_text(f: Mapping[str, Any]) -> str:
    value, counts, unit = figure_value(f), str(f.get("counts") or ""), str(f.get("unit") or "")
    if counts and unit and counts.startswith(unit):
        return f"{value}{counts[len(unit):]}"
    return f"{value} ({counts})" if counts and counts != unit else value


def _figure_groups(ctx: _Top, dossier: Mapping[str, Any]) -> list[list[Mapping[str, Any]]]:
    """Figures by what they count and their value: those that are points of a running figure, or that two
    independent sources give (a stray number of one sentence is not a change a reader looks for)."""
    in_series = Spans()
    for s in dossier.get("series") or []:
        for p in s.get("points") or []:
            for c in (p.get("citations") or [])[:1]:
                in_series.add(c)
    groups: dict[tuple, list[Mapping[str, Any]]] = {}
    for f in dossier.get("figures") or []:
        if f.get("citations") and not ctx.held(f["citations"][:1], ("error", "losing")):
            what = (f.get("counts") or f.get("unit"), f.get("value"), f.get("value_high"), f.get("qualifier"))
            groups.setdefault(what, []).append(f)
    return [g for g in groups.values()
            if ctx.independent(f["source"] for f in g) >= 2
            or any(in_series.overlaps(as_citation(f["citations"][0])) for f in g)]


def _changes(ctx: _Top, dossier: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[tuple[tuple, dict]] = []
    for claim in dossier.get("claims") or []:
        if not claim.get("citations") or claim.get("errors") or ctx.held(claim["citations"][:1], ("error", "losing")):
            continue
        srcs = claim.get("sources") or [c["source"] for c in claim["citations"]]
        rep = _representative(ctx, claim) or _trimmed(claim["citations"][0]) or claim["citations"][0]
        seen = first_seen(srcs, ctx.published)
        out.append(((seen or "", ctx.independent(srcs)), {
            **_ident("claim", claim), **_markers([rep, *claim["citations"]], ctx.refs, 2),
            "text": _Sentence(rep, ctx).text, "first_seen": seen, "what": "claim", "status": claim.get("status")}))
    for group in _figure_groups(ctx, dossier):
        seen = first_seen((f["source"] for f in group), ctx.published)
        cites = [c for f in group for c in f["citations"][:1]]
        out.append(((seen or "", ctx.independent(f["source"] for f in group)), {
            "kind": "figure", "key": item_key("figure", group[0]["citations"]), "cites": _positions(cites),
            **_markers(cites, ctx.refs, 2), "text": _figure_text(group[0]), "first_seen": seen, "what": "figure",
            "as_of": _day(group[0].get("as_of"))}))
    for x in dossier.get("conflicts") or []:
        sides = [s for s in x.get("sides") or [] if s.get("citations")]
        if len(sides) < 2:
            continue
        srcs = [src for s in sides for src in s.get("sources") or ()]
        seen = first_seen(srcs, ctx.published)
        values = " or ".join(f"“{one_line(str(s.get('value')))}”" for s in sides)
        out.append(((seen or "", ctx.independent(srcs)), {
            **_ident("conflict", x), **_markers([s["citations"][0] for s in sides], ctx.refs, 2),
            "text": f"Sources disagree about {_dates_in(one_line(str(x.get('about') or '')))}: {values}",
            "first_seen": seen, "what": "conflict"}))
    out.sort(key=lambda t: t[0], reverse=True)
    return [d for _k, d in out[:CHANGES_LIMIT]]


# --------------------------------------------------------------------------- the top


def story_top(dossier: Mapping[str, Any], briefing: Mapping[str, Any], *, today: str | None = None) -> dict:
    """The top of a story page (see the module docstring); ``today`` bounds the dates taken as past (default:
    the latest publication day)."""
    ctx = _Top(dossier, today)
    head = _headline(ctx, dossier, briefing or {})
    dek = _dek(ctx, dossier, head)
    return {
        "headline": head,
        "dek": dek,
        "bullets": _bullets(ctx, dossier, [head, dek]),
        "numbers": _numbers(ctx, dossier),
        "disputes": _disputes(ctx, dossier),
        "changes": _changes(ctx, dossier),
        "as_of": ctx.as_of or (briefing or {}).get("as_of"),
    }
