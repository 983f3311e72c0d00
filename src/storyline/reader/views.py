"""The story page's model: a small, JSON-able, precomputed view of a dossier and its briefing.

``story_view(dossier, briefing)`` is computed once when a story is saved (``stories.save_story`` stores it as
the section "view"), so the story page never reads the whole dossier: long lists are capped (with totals),
timeline days keep a few events each, and the charts are rendered to SVG here.  Every shown item carries
its report key (``problems.item_key``) and the positions of all its citations, so the page can hide items
a maintainer suppressed after the view was computed.

A citation marker is ``{"ref": "s3", "src": article id, "s": start, "e": end, "t": tooltip}``; the page
links it to ``/stories/<id>/sources/<src>#c-<s>-<e>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storyline.extract.dates import date_sort_key, is_absolute_date
from storyline.reader.charts import series_svg, timeline_svg
from storyline.reader.mistakes import Mistakes
from storyline.reader.names import SourceNames
from storyline.reader.problems import item_citations, item_key
from storyline.reader.wording import figure_value

__all__ = [
    "VIEW_VERSION", "LIMITS", "TABS", "TAB_SECTIONS", "TAB_PAGE_SIZE", "CLAIM_STATUSES", "story_view", "marker", "anchor_id",
    "item_anchor", "section_page", "filter_error", "fallback_top",
]  # fmt: skip

VIEW_VERSION = 6  # 5: narrow charts, items built for the tab pages; 6: the top of the story, source labels
LIMITS: dict[str, int] = {
    "claims": 40,  # per status
    "day_events": 6,  # per timeline day
    "days": 30,  # timeline days shown (the busiest, in date order)
    "speakers": 12,
    "speaker_quotes": 4,
    "series_rows": 24,  # rows of a running figure's table (the chart has every point)
    "figures": 30,
    "series": 6,
    "conflicts": 30,
    "errors": 30,
    "quality": 50,
    "next": 30,
    "markers": 5,  # markers shown per item (the rest counted)
    "tip": 160,  # characters of cited text in a marker's tooltip
}

_WS = re.compile(r"\s+")
_STYLE_ATTR = re.compile(r"\s(?:style|on[a-z]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_PRONOUNS = frozenset(
    ["i", "we", "you", "he", "she", "it", "they", "who", "which", "that", "this", "these", "those", "one", "someone"]
)  # fmt: skip


def count_summary(dossier: dict) -> dict[str, int]:
    """The counts a story list shows."""
    claims = dossier.get("claims") or []
    return {
        "sources": len(dossier.get("sources") or []),
        "events": len(dossier.get("events") or []),
        "quotes": len(dossier.get("quotes") or []),
        "figures": len(dossier.get("figures") or []),
        "claims": len(claims),
        "corroborated": sum(1 for c in claims if c.get("status") == "corroborated"),
        "contested": sum(1 for c in claims if c.get("status") == "contested"),
        "conflicts": len(dossier.get("conflicts") or []),
        "errors": len(dossier.get("errors") or []),
        "next": len(dossier.get("next") or []),
    }


def _line(text: Any) -> str:
    return _WS.sub(" ", str(text or "")).strip()


def anchor_id(start: int, end: int) -> str:
    """The id of the highlighted span on a source page: ``c-<start>-<end>``."""
    return f"c-{start}-{end}"


def item_anchor(key: str) -> str:
    """An HTML id for a shown item, from its report key."""
    return "i-" + re.sub(r"[^A-Za-z0-9-]", "-", key)


class _Refs:
    """A story's sources as readers see them (:class:`storyline.reader.names.SourceNames`): never a hash."""

    def __init__(self, sources: Sequence[Mapping[str, Any]]) -> None:
        self.by_id = {s["id"]: s for s in sources}
        self.names = SourceNames(sources)

    def ref(self, sid: str) -> str:
        return self.names.ref(sid)

    def outlet(self, sid: str) -> str:
        """The outlet's name ("Reuters")."""
        return self.names.name(sid)

    def label(self, sid: str) -> str:
        """The outlet and the day, unique in the story ("Reuters, 17 Nov")."""
        return self.names.label(sid)

    def published(self, sid: str) -> str | None:
        s = self.by_id.get(sid) or {}
        return s.get("published")


def marker(c: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    """A citation marker dict (see the module docstring)."""
    src = str(c["source"])
    text = _line(c.get("text"))
    if len(text) > LIMITS["tip"]:
        text = text[: LIMITS["tip"] - 1] + "…"
    who = refs.label(src) if refs.published(src) else f"{refs.label(src)}, date unknown"
    tip = f"{refs.ref(src)} · {who}: “{text}”"
    return {"ref": refs.ref(src), "src": src, "s": int(c["start"]), "e": int(c["end"]), "t": tip}


def _markers(cites: Iterable[Mapping[str, Any]], refs: _Refs, limit: int | None = None) -> dict[str, Any]:
    seen: dict[str, Mapping[str, Any]] = {}  # one marker per source: its first cited span
    for c in cites:
        seen.setdefault(str(c["source"]), c)
    cap = LIMITS["markers"] if limit is None else limit
    items = list(seen.values())
    return {"markers": [marker(c, refs) for c in items[:cap]], "more_markers": max(0, len(items) - cap)}


def _positions(cites: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    return [[str(c["source"]), int(c["start"]), int(c["end"])] for c in cites]


def _item(kind: str, item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The key and citation positions of a dossier item; None when it has no citations (never shown)."""
    cites = item_citations(kind, item)
    if not cites:
        return None
    return {"kind": kind, "key": item_key(kind, cites), "cites": _positions(cites)}


def _clean_svg(svg: str) -> str:
    """Charts must carry no inline style or event attributes (the page's CSP forbids them)."""
    return _STYLE_ATTR.sub("", svg)


# --------------------------------------------------------------------------- sections


def _briefing(briefing: Mapping[str, Any], dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    lead = _lead_in_fn(dossier)
    sections = []
    for sec in briefing.get("sections") or []:
        sentences = []
        for s in sec.get("sentences") or []:
            cites = list(s.get("citations") or [])
            if not cites:
                continue
            status = s.get("status")
            sentences.append(
                {
                    "kind": "briefing",
                    "key": s.get("key") or item_key("briefing", cites),
                    "cites": _positions(cites),
                    "text": str(s.get("text") or ""),
                    "source_kind": s.get("kind"),
                    "item": s.get("item"),
                    "status": status,
                    "disputed": status in ("contested", "disputed"),
                    "lead_in": lead(s),
                    **_markers(cites, refs),
                }
            )
        if sentences:
            sections.append({"name": sec.get("name"), "title": sec.get("title") or "", "sentences": sentences})
    headline_cites = list(briefing.get("headline_citations") or [])
    return {
        "headline": str(briefing.get("headline") or dossier.get("title") or ""),
        "headline_markers": _markers(headline_cites, refs)["markers"],
        "as_of": briefing.get("as_of"),
        "sections": sections,
    }


def _lead_in_fn(dossier: Mapping[str, Any]) -> Any:
    """``briefing.lead_in`` ("One source (X) reports:") over a briefing sentence dict."""
    from storyline.reader.briefing import lead_in
    from storyline.reader.problems import as_citation
    from storyline.records import BriefingSentence

    def fn(s: Mapping[str, Any]) -> str | None:
        sentence = BriefingSentence(
            text=str(s.get("text") or ""),
            kind=str(s.get("kind") or ""),
            citations=tuple(as_citation(c) for c in s.get("citations") or []),
            key=str(s.get("key") or ""),
            item=s.get("item"),
            status=s.get("status"),
        )
        return lead_in(sentence, dossier)

    return fn


def _error_spans(dossier: Mapping[str, Any]) -> dict[str, list[tuple[int, int, str]]]:
    """The wrong words of every flagged error, by source: (start, end, error id)."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for err in dossier.get("errors") or []:
        for c in err.get("citations") or []:
            spans.setdefault(c["source"], []).append((int(c["start"]), int(c["end"]), str(err.get("id"))))
    return spans


def _flagged(cites: Sequence[Mapping[str, Any]], spans: Mapping[str, list[tuple[int, int, str]]]) -> str | None:
    """The id of a flagged error whose wrong words lie inside one of these citations, if any."""
    for c in cites:
        for start, end, eid in spans.get(c.get("source") or "", ()):
            if int(c["start"]) <= start and end <= int(c["end"]):
                return eid
    return None


def _timeline(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    wrong = _error_spans(dossier)
    for ev in dossier.get("events") or []:
        ident = _item("event", ev)
        if ident is None:
            continue
        value = ev.get("date")
        if not is_absolute_date(value):
            day = "undated"
        elif "T" in value:
            day = value.split("T", 1)[0]
        else:
            day = value
        g = groups.setdefault(day, {"date": day, "events": {}, "total": 0})
        text = _line(ev.get("summary") or (ev.get("citations") or [{}])[0].get("text"))
        same = g["events"].get(text.casefold())
        cites = list(ev.get("citations") or [])
        if same is None:
            actor = (ev.get("actor") or {}).get("name")
            target = (ev.get("target") or {}).get("name")
            g["events"][text.casefold()] = same = {
                **ident,
                "text": text,
                "actor": actor,
                "action": ("not " if ev.get("negated") else "") + str(ev.get("action") or ""),
                "target": target,
                "date_basis": ev.get("date_basis"),
                "flagged": _flagged(cites[:1], wrong),
                "all_cites": cites[:1],
                "sources": [],
            }
            g["total"] += 1
        else:  # the same sentence in another source (a copy, or the same report): one entry, more sources
            same["all_cites"].extend(cites[:1])
            same["cites"].extend(_positions(cites))
        src = ev.get("source") or (cites[0]["source"] if cites else None)
        if src and src not in same["sources"]:
            same["sources"].append(src)
    days = sorted(groups.values(), key=lambda g: (date_sort_key(g["date"] if g["date"] != "undated" else None),
                                                  g["date"]))
    if len(days) > LIMITS["days"]:
        keep = {id(g) for g in sorted(days, key=lambda g: -g["total"])[: LIMITS["days"]]}
        hidden = len(days) - len(keep)
        days = [g for g in days if id(g) in keep]
    else:
        hidden = 0
    out_days = []
    for g in days:
        events = list(g["events"].values())
        events.sort(key=lambda e: (-len(e["sources"]), min((refs.published(s) or "~") for s in e["sources"])
                                   if e["sources"] else "~"))
        shown = []
        for e in events[: LIMITS["day_events"]]:
            citing = sorted(({"ref": refs.ref(s), "outlet": refs.outlet(s), "published": refs.published(s)}
                             for s in e["sources"]), key=lambda c: (c["published"] or "~", c["ref"]))
            entry = {k: v for k, v in e.items() if k not in ("all_cites", "sources")}
            entry.update(_markers(e.pop("all_cites"), refs))
            entry["citing"] = citing
            entry["first_reported"] = citing[0]["published"] if citing else None
            shown.append(entry)
        out_days.append({"date": g["date"], "total": g["total"], "events": shown,
                         "more": max(0, g["total"] - len(shown))})
    return {"days": out_days, "hidden_days": hidden,
            "total": sum(len(g["events"]) for g in groups.values())}


def _speaker_of(q: Mapping[str, Any], entities: Mapping[str, Any]) -> tuple[str, str, Any]:
    """(speaker key, display name, entity or None) of a quote: "e:<entity>", "n:<name>" or "~" (unresolved)."""
    sp = q.get("speaker") or {}
    ent = entities.get(sp.get("entity") or "")
    name = str(sp.get("name") or "")
    if not name or (ent is None and name.casefold() in _PRONOUNS):
        return "~", "Unattributed or unresolved speaker", None
    if ent is not None:
        return "e:" + ent["id"], str(ent.get("name") or name), ent
    return "n:" + name.casefold(), name, None


def _quote_item(q: Mapping[str, Any], ident: Mapping[str, Any], refs: _Refs, wrong: Any) -> dict[str, Any]:
    parts = q.get("parts") or [q.get("text")]
    n_parts = max(1, len(q.get("parts") or ()))
    return {
        **ident,
        "text": " … ".join(_line(p) for p in parts),
        "quote_kind": q.get("kind"),
        "as_written": (q.get("speaker") or {}).get("as_written"),
        "said_on": q.get("said_on"),
        "published": refs.published(q.get("source") or ""),
        "outlet": refs.outlet(q.get("source") or ""),
        "flagged": _flagged(q.get("citations") or [], wrong),
        **_markers((q.get("citations") or [])[:n_parts], refs),
    }


def _speakers(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    entities = {e["id"]: e for e in dossier.get("entities") or []}
    wrong = _error_spans(dossier)
    groups: dict[str, dict[str, Any]] = {}
    for q in dossier.get("quotes") or []:
        ident = _item("quote", q)
        if ident is None:
            continue
        key, name, ent = _speaker_of(q, entities)
        g = groups.setdefault(key, {"name": name, "role": None, "label": None, "quotes": [], "total": 0})
        if ent is not None:
            g["label"] = ent.get("label")
            roles = ent.get("roles") or []
            if roles:
                g["role"] = roles[-1].get("role")
        g["total"] += 1
        if len(g["quotes"]) < LIMITS["speaker_quotes"]:
            g["quotes"].append(_quote_item(q, ident, refs, wrong))
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "~", -kv[1]["total"], kv[1]["name"].casefold()))
    speakers = []
    for _key, g in ordered[: LIMITS["speakers"]]:
        g["more"] = g["total"] - len(g["quotes"])
        speakers.append(g)
    return {"speakers": speakers, "total_speakers": len(groups),
            "total": sum(g["total"] for g in groups.values())}


def _figures(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    figures = dossier.get("figures") or []
    out = []
    for f in figures:
        item = _figure_item(f, refs)
        if item is None:
            continue
        out.append(item)
        if len(out) >= LIMITS["figures"]:
            break
    series = [x for x in (_series_item(s, refs) for s in (dossier.get("series") or [])[: LIMITS["series"]])
              if x is not None]
    return {"figures": out, "total": len(figures), "series": series,
            "total_series": len(dossier.get("series") or [])}


def _figure_item(f: Mapping[str, Any], refs: _Refs) -> dict[str, Any] | None:
    ident = _item("figure", f)
    if ident is None:
        return None
    return {**ident, "value": figure_value(f), "counts": f.get("counts"), "as_of": f.get("as_of"),
            "text": _line(f.get("text")), "outlet": refs.outlet(f.get("source") or ""),
            **_markers(f.get("citations") or [], refs, 1)}


def _series_item(s: Mapping[str, Any], refs: _Refs, rows: int | None = None) -> dict[str, Any] | None:
    ident = _item("series", s)
    if ident is None:
        return None
    ref_map = {sid: refs.ref(sid) for sid in refs.by_id}
    all_points = s.get("points") or []
    points = []
    for p in all_points[-(rows or LIMITS["series_rows"]):]:
        points.append({"value": figure_value(p), "as_of": p.get("as_of"), "published": p.get("published"),
                       "ref": refs.ref(p.get("source") or ""), "outlet": refs.outlet(p.get("source") or ""),
                       **_markers(p.get("citations") or [], refs, 1)})
    chart = _chart_series(s)
    return {**ident, "what": s.get("what"), "unit": s.get("unit"), "cumulative": s.get("cumulative"),
            "svg": _clean_svg(series_svg(chart, ref_map)), "points": points,
            "svg_narrow": _clean_svg(series_svg(chart, ref_map, narrow=True)),
            "charted": len(chart.get("points") or []), "more_points": len(all_points) - len(points)}


def _chart_series(s: Mapping[str, Any], limit: int = 120) -> Mapping[str, Any]:
    """A running figure with at most ``limit`` points for its chart: per day only the lowest and the highest
    value (the spread sources gave), and evenly spaced days when there are still too many."""
    points = list(s.get("points") or [])
    if len(points) <= limit:
        return s
    by_day: dict[str, list[Mapping[str, Any]]] = {}
    for p in points:
        by_day.setdefault(str(p.get("as_of") or p.get("published") or ""), []).append(p)
    days = sorted(by_day)
    if 2 * len(days) > limit:
        step = len(days) / (limit // 2)
        days = sorted({days[min(len(days) - 1, int(i * step))] for i in range(limit // 2)} | {days[-1]})
    kept = []
    for day in days:
        group = sorted(by_day[day], key=lambda p: float(p.get("value") or 0))
        kept.extend(group if len(group) <= 2 else [group[0], group[-1]])
    return {**s, "points": kept}


_STATUS_TITLES = {
    "corroborated": "Corroborated by independent sources",
    "contested": "Contested",
    "single-source": "Reported by one source only",
}


def _claim_rank(c: Mapping[str, Any]) -> tuple[int, int, str]:
    return -(c.get("independent") or 0), -len(c.get("sources") or ()), str(c.get("id"))


def _claim_item(c: Mapping[str, Any], refs: _Refs) -> dict[str, Any] | None:
    ident = _item("claim", c)
    if ident is None:
        return None
    return {**ident, "text": _line(c.get("text")), "status": str(c.get("status")),
            "independent": c.get("independent") or 0, "n_sources": len(c.get("sources") or ()),
            "date": c.get("date"), "has_error": bool(c.get("errors")),
            "has_conflict": bool(c.get("conflicts")), **_markers(c.get("citations") or [], refs)}


def _claims(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    claims = dossier.get("claims") or []
    by_status: dict[str, list[Mapping[str, Any]]] = {k: [] for k in _STATUS_TITLES}
    for c in claims:
        by_status.setdefault(str(c.get("status")), []).append(c)
    groups = []
    for status, items in by_status.items():
        ranked = sorted(items, key=_claim_rank)
        shown = []
        for c in ranked:
            item = _claim_item(c, refs)
            if item is None:
                continue
            shown.append(item)
            if len(shown) >= LIMITS["claims"]:
                break
        groups.append({"status": status, "title": _STATUS_TITLES.get(status, status.replace("-", " ")),
                       "total": len(items), "items": shown, "more": len(items) - len(shown)})
    return {"total": len(claims), "counts": {g["status"]: g["total"] for g in groups}, "groups": groups}


def _conflicts(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    items = dossier.get("conflicts") or []
    out = [c for c in (_conflict_item(x, refs) for x in items[: LIMITS["conflicts"]]) if c is not None]
    return {"items": out, "total": len(items)}


def _conflict_item(x: Mapping[str, Any], refs: _Refs) -> dict[str, Any] | None:
    ident = _item("conflict", x)
    if ident is None:
        return None
    sides = []
    for side in x.get("sides") or []:
        srcs = list(side.get("sources") or [])
        sides.append({"value": str(side.get("value")), "as_of": side.get("as_of"),
                      "independent": side.get("independent") or 0, "n_sources": len(srcs),
                      "outlets": [refs.outlet(s) for s in srcs[:6]], "more_outlets": max(0, len(srcs) - 6),
                      "likely": x.get("likely") is not None and str(x.get("likely")) == str(side.get("value")),
                      **_markers(side.get("citations") or [], refs)})
    return {**ident, "about": x.get("about"), "conflict_kind": x.get("kind"),
            "explanation": x.get("explanation"), "likely": x.get("likely"), "sides": sides}


def _errors(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    items = dossier.get("errors") or []
    out = [e for e in (_error_item(err, refs) for err in items[: LIMITS["errors"]]) if e is not None]
    return {"items": out, "total": len(items)}


def _error_item(err: Mapping[str, Any], refs: _Refs) -> dict[str, Any] | None:
    ident = _item("error", err)
    if ident is None:
        return None
    wrong = list(err.get("citations") or [])
    return {**ident, "error_kind": err.get("kind"), "wrong": _line(wrong[0].get("text") if wrong else err.get("text")),
            "correction": err.get("correction"), "why": err.get("why"), "outlet": refs.outlet(err.get("source") or ""),
            **_markers(wrong, refs), "evidence": _markers(err.get("evidence") or [], refs, 4)}


def _quality(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    rows = []
    for q in dossier.get("quality") or []:
        sid = str(q.get("source"))
        rows.append({"source": sid, "ref": refs.ref(sid), "outlet": refs.outlet(sid),
                     "published": refs.published(sid), "score": float(q.get("score") or 0.0),
                     "reasons": [{"kind": r.get("kind"), "effect": float(r.get("effect") or 0.0),
                                  "detail": r.get("detail")} for r in q.get("reasons") or []]})
    total = len(rows)
    if total > LIMITS["quality"]:  # the least and the most trustworthy; the sources page lists them all
        half = LIMITS["quality"] // 2
        ranked = sorted(rows, key=lambda r: (r["score"], r["ref"]))
        rows = ranked[:half] + ranked[-half:]
    order = {sid: i for i, sid in enumerate(refs.by_id)}
    rows.sort(key=lambda r: order.get(r["source"], 1 << 30))
    return {"rows": rows, "total": total}


def _next(dossier: Mapping[str, Any], refs: _Refs) -> dict[str, Any]:
    """What comes next; an item holding a flagged error, a side the sources contradict or a superseded
    figure is kept with ``held`` (the reason) and shown apart, never as a coming event."""
    items = dossier.get("next") or []
    mistakes = Mistakes(dossier)
    out = [x for x in (_next_item(n, refs, mistakes) for n in items[: LIMITS["next"]]) if x is not None]
    return {"items": out, "total": len(items)}


def _next_item(n: Mapping[str, Any], refs: _Refs, mistakes: Mistakes) -> dict[str, Any] | None:
    ident = _item("next", n)
    if ident is None:
        return None
    return {**ident, "held": mistakes.why(n.get("citations") or []), "text": _line(n.get("text")),
            "next_kind": n.get("kind"), "when": n.get("when"), "when_text": n.get("when_text"),
            "said_on": n.get("said_on"), "label": n.get("label"), "passed": bool(n.get("passed")),
            "independent": n.get("independent") or 1, "n_sources": len(n.get("sources") or ()),
            **_markers(n.get("citations") or [], refs)}


def story_view(dossier: dict, briefing: dict) -> dict:
    """The JSON-able, precomputed model of a story page (see the module docstring)."""
    sources = dossier.get("sources") or []
    refs = _Refs(sources)
    return {
        "version": VIEW_VERSION,
        "title": dossier.get("title") or "",
        "period": dossier.get("period") or {"first": None, "last": None},
        "refs": {s["id"]: {"ref": s.get("ref"), "outlet": refs.outlet(s["id"]), "label": refs.label(s["id"]),
                           "published": s.get("published")} for s in sources},
        "counts": count_summary(dossier),
        "briefing": _briefing(briefing or {}, dossier, refs),
        "timeline": _timeline(dossier, refs),
        "charts": {"timeline": _clean_svg(timeline_svg(dossier)),
                   "timeline_narrow": _clean_svg(timeline_svg(dossier, narrow=True))},
        "quotes": _speakers(dossier, refs),
        "figures": _figures(dossier, refs),
        "claims": _claims(dossier, refs),
        "conflicts": _conflicts(dossier, refs),
        "errors": _errors(dossier, refs),
        "quality": _quality(dossier, refs),
        "next": _next(dossier, refs),
    }


# --------------------------------------------------------------------------- tab pages (full lists, paged)

TAB_PAGE_SIZE = 25
TABS: dict[str, str] = {
    "timeline": "Timeline",
    "quotes": "Who said what",
    "claims": "Claims",
    "figures": "Figures",
    "disputes": "Disputes",
    "next": "What comes next",
}
# the dossier sections each tab page reads from the store ("sources" always)
TAB_SECTIONS: dict[str, tuple[str, ...]] = {
    "timeline": ("events", "errors"),
    "quotes": ("quotes", "entities", "errors"),
    "claims": ("claims",),
    "figures": ("figures", "series"),
    "disputes": ("conflicts", "errors"),
    "next": ("next", "errors", "conflicts", "series"),
}
TAB_FILTERS: dict[str, tuple[str, ...]] = {
    "timeline": ("source",), "quotes": ("source", "speaker"), "claims": ("source", "status"),
    "figures": ("source",), "disputes": ("source",), "next": ("source",),
}  # fmt: skip
CLAIM_STATUSES = tuple(_STATUS_TITLES)

Hidden = Any  # Callable[[kind, list of citation dicts], bool]: whether a maintainer suppressed the item


def _cites_from(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"source": s, "start": a, "end": b} for s, a, b in item.get("cites") or []]


def _from_source(item: Mapping[str, Any], source: str | None) -> bool:
    return source is None or any(c[0] == source for c in item.get("cites") or [])


def filter_error(dossier: Mapping[str, Any], name: str, filters: Mapping[str, str | None]) -> str | None:
    """Why these GET filters cannot be used on tab ``name`` (one line), or None when they can."""
    allowed = TAB_FILTERS.get(name, ())
    for key, value in filters.items():
        if value is None:
            continue
        if key not in allowed:
            return f"{key}: not a filter of this page (filters: {', '.join(allowed) or 'none'})"
        if key == "source" and value not in {s.get("id") for s in dossier.get("sources") or []}:
            return f"source: no source {value[:40]!r} in this story"
        if key == "status" and value not in CLAIM_STATUSES:
            return f"status: expected one of {', '.join(CLAIM_STATUSES)}"
        if key == "speaker" and value not in {k for k, _n, _t in _speaker_options(dossier)}:
            return f"speaker: no speaker {value[:40]!r} in this story"
    return None


def _page_of(items: Sequence[Any], page: int, size: int) -> tuple[list[Any], int, int]:
    pages = max(1, -(-len(items) // size))
    page = min(max(1, page), pages)
    return list(items[(page - 1) * size : page * size]), page, pages


def section_page(
    dossier: Mapping[str, Any],
    name: str,
    page: int = 1,
    filters: Mapping[str, str | None] | None = None,
    hidden: Hidden = None,
    size: int = TAB_PAGE_SIZE,
) -> dict[str, Any]:
    """One page of tab ``name`` over the full dossier sections (``TAB_SECTIONS``), filtered (``TAB_FILTERS``,
    checked first with :func:`filter_error`) and without items ``hidden`` says a maintainer suppressed:
    ``{"name", "items", "total", "page", "pages", "filters", ...}``; ``total`` counts the filtered items."""
    refs = _Refs(dossier.get("sources") or [])
    wanted = {k: v for k, v in (filters or {}).items() if v is not None}
    items = _TAB_ITEMS[name](dossier, refs, wanted)
    if hidden is not None:
        items = [i for i in items if not hidden(i["kind"], _cites_from(i))]
    items = [i for i in items if _from_source(i, wanted.get("source"))]
    shown, page, pages = _page_of(items, page, size)
    shown = [_finished(i) for i in shown]  # markers and tooltips only for the items shown
    out: dict[str, Any] = {"name": name, "title": TABS[name], "items": shown, "total": len(items), "page": page,
                           "pages": pages, "filters": wanted}
    if name == "timeline":
        out["days"] = _days_of(shown)
    if name == "quotes":
        out["speakers"] = [{"key": k, "name": n, "total": t} for k, n, t in _speaker_options(dossier)]
    if name == "claims":
        counts = {s: 0 for s in CLAIM_STATUSES}
        for c in _TAB_ITEMS["claims"](dossier, refs, {}):
            if _from_source(c, wanted.get("source")):
                counts[c["status"]] = counts.get(c["status"], 0) + 1
        out["counts"] = counts
    if name == "figures" and page == 1:
        out.update(_tab_series(dossier, refs, wanted.get("source"), hidden))
    return out


def _finished(item: Mapping[str, Any]) -> dict[str, Any]:
    """A tab item as shown: a light item (identity, citations, sort and filter fields) carries ``_finish``,
    which builds the rest (markers, tooltips, source names)."""
    finish = item.get("_finish")
    return finish() if finish is not None else dict(item)


def _light(kind: str, x: Mapping[str, Any], build: Any, **extra: Any) -> dict[str, Any] | None:
    ident = _item(kind, x)
    return None if ident is None else {**ident, **extra, "_finish": build}


def _tab_series(dossier: Mapping[str, Any], refs: _Refs, source: str | None, hidden: Hidden) -> dict[str, Any]:
    """The running figures of the figures tab: those with the most values first, at most ``LIMITS["series"]``
    charts of ``TAB_PAGE_SIZE`` listed values each (every value is also a figure in the paged list)."""
    kept = []
    for x in sorted(dossier.get("series") or [], key=lambda x: -len(x.get("points") or [])):
        ident = _item("series", x)
        if ident is None or not _from_source(ident, source) or (hidden and hidden("series", _cites_from(ident))):
            continue
        kept.append(x)
    shown = [s for s in (_series_item(x, refs, TAB_PAGE_SIZE) for x in kept[: LIMITS["series"]]) if s is not None]
    return {"series": shown, "more_series": len(kept) - len(shown)}


def _event_text(ev: Mapping[str, Any]) -> str:
    return _line(ev.get("summary") or (ev.get("citations") or [{}])[0].get("text"))


_NON_WORD = re.compile(r"[\W_]+")


def _same_event(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _event_day(ev: Mapping[str, Any]) -> str:
    value = ev.get("date")
    if not is_absolute_date(value):
        return "undated"
    return value.split("T", 1)[0] if "T" in value else value


def _timeline_items(dossier: Mapping[str, Any], refs: _Refs, _f: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every event once: the same sentence in several sources (copies, the same report) is one entry, dated by
    the first source that states a date in its text (else by publication), with every source that reports it."""
    wrong = _error_spans(dossier)
    entries: dict[str, dict[str, Any]] = {}
    for ev in dossier.get("events") or []:
        ident = _item("event", ev)
        if ident is None:
            continue
        text = _event_text(ev)
        cites = list(ev.get("citations") or [])
        norm = _same_event(text)
        same = entries.get(norm)
        stated = ev.get("date_basis") != "published" and _event_day(ev) != "undated"
        if same is None:
            entries[norm] = same = {
                **ident, "text": text, "date": _event_day(ev), "date_basis": ev.get("date_basis"),
                "stated": stated, "flagged": _flagged(cites[:1], wrong), "first": cites[:1], "sources": []}
        else:
            same["cites"].extend(_positions(cites))
            same["first"].extend(cites[:1])
            if stated and not same["stated"]:
                same.update(date=_event_day(ev), date_basis=ev.get("date_basis"), stated=True)
        src = ev.get("source") or (cites[0]["source"] if cites else None)
        if src and src not in same["sources"]:
            same["sources"].append(src)
    def finish(e: Mapping[str, Any]) -> dict[str, Any]:
        citing = sorted(({"ref": refs.ref(s), "outlet": refs.outlet(s), "published": refs.published(s)}
                         for s in e["sources"]), key=lambda c: (c["published"] or "~", c["ref"]))
        entry = {k: v for k, v in e.items() if k not in ("first", "sources", "stated", "_finish")}
        entry.update(_markers(e["first"], refs), citing=citing,
                     first_reported=citing[0]["published"] if citing else None)
        return entry

    out = [{**e, "_finish": (lambda e=e: finish(e))} for e in entries.values()]
    out.sort(key=lambda e: (e["date"] == "undated", date_sort_key(None if e["date"] == "undated" else e["date"]),
                            e["date"], -len(e["sources"])))
    return out


def _days_of(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    days: list[dict[str, Any]] = []
    for e in entries:
        if not days or days[-1]["date"] != e["date"]:
            days.append({"date": e["date"], "events": []})
        days[-1]["events"].append(e)
    return days


def _speaker_options(dossier: Mapping[str, Any]) -> list[tuple[str, str, int]]:
    """(key, name, number of quotes) of every speaker, the most quoted first, the unresolved last."""
    entities = {e["id"]: e for e in dossier.get("entities") or []}
    counts: dict[str, list[Any]] = {}
    for q in dossier.get("quotes") or []:
        key, name, _ent = _speaker_of(q, entities)
        counts.setdefault(key, [name, 0])[1] += 1
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] == "~", -kv[1][1], kv[1][0].casefold()))
    return [(k, n, t) for k, (n, t) in ranked]


def _quote_items(dossier: Mapping[str, Any], refs: _Refs, f: Mapping[str, str]) -> list[dict[str, Any]]:
    entities = {e["id"]: e for e in dossier.get("entities") or []}
    order = {k: i for i, (k, _n, _t) in enumerate(_speaker_options(dossier))}
    wrong = _error_spans(dossier)
    out = []
    for i, q in enumerate(dossier.get("quotes") or []):
        ident = _item("quote", q)
        key, name, ent = _speaker_of(q, entities)
        if ident is None or f.get("speaker") not in (None, key):
            continue
        roles = (ent or {}).get("roles") or []
        extra = {"speaker": name, "speaker_key": key, "role": roles[-1].get("role") if roles else None}
        out.append({**ident, **extra, "_order": (order[key], i),
                    "_finish": lambda q=q, ident=ident, extra=extra: {**_quote_item(q, ident, refs, wrong), **extra}})
    out.sort(key=lambda x: x.pop("_order"))
    return out


def _claim_items(dossier: Mapping[str, Any], refs: _Refs, f: Mapping[str, str]) -> list[dict[str, Any]]:
    rank = {s: i for i, s in enumerate(CLAIM_STATUSES)}
    claims = [c for c in dossier.get("claims") or [] if f.get("status") in (None, c.get("status"))]
    claims.sort(key=lambda c: (rank.get(str(c.get("status")), len(rank)), *_claim_rank(c)))
    light = (_light("claim", c, lambda c=c: _claim_item(c, refs), status=str(c.get("status"))) for c in claims)
    return [x for x in light if x is not None]


def _figure_items(dossier: Mapping[str, Any], refs: _Refs, _f: Mapping[str, str]) -> list[dict[str, Any]]:
    light = (_light("figure", f, lambda f=f: _figure_item(f, refs)) for f in dossier.get("figures") or [])
    return [x for x in light if x is not None]


def _dispute_items(dossier: Mapping[str, Any], refs: _Refs, _f: Mapping[str, str]) -> list[dict[str, Any]]:
    ranked = sorted(dossier.get("conflicts") or [],
                    key=lambda x: -sum(int(s.get("independent") or 0) for s in x.get("sides") or []))
    conflicts = (_light("conflict", x, lambda x=x: _conflict_item(x, refs)) for x in ranked)
    errors = (_light("error", e, lambda e=e: _error_item(e, refs)) for e in dossier.get("errors") or [])
    return [x for x in (*conflicts, *errors) if x is not None]


def _next_items(dossier: Mapping[str, Any], refs: _Refs, _f: Mapping[str, str]) -> list[dict[str, Any]]:
    mistakes = Mistakes(dossier)
    items = [x for x in (_next_item(n, refs, mistakes) for n in dossier.get("next") or []) if x is not None]
    items.sort(key=lambda n: (bool(n["held"]), n["passed"], n["when"] is None, str(n["when"] or "")))
    return items


_TAB_ITEMS: dict[str, Any] = {
    "timeline": _timeline_items, "quotes": _quote_items, "claims": _claim_items, "figures": _figure_items,
    "disputes": _dispute_items, "next": _next_items,
}  # fmt: skip


def fallback_top(view: Mapping[str, Any]) -> dict[str, Any]:
    """The top of a story page (the shape of ``view["top"]``) from an older view's briefing, running figures and
    conflicts, for a view computed before "top" existed."""
    b = view.get("briefing") or {}
    bullets = [dict(s, date=None) for sec in b.get("sections") or [] for s in sec.get("sentences") or []][:5]
    numbers = []
    for s in (view.get("figures") or {}).get("series") or []:
        last = (s.get("points") or [{}])[-1]
        numbers.append({"kind": s["kind"], "key": s["key"], "cites": s["cites"], "markers": last.get("markers") or [],
                        "what": s.get("what"), "value": last.get("value"), "as_of": last.get("as_of"),
                        "n_points": len(s.get("points") or []) + int(s.get("more_points") or 0), "spark": ""})
    disputes = []
    for x in ((view.get("conflicts") or {}).get("items") or [])[:3]:
        sides = [{k: side.get(k) for k in ("value", "n_sources", "independent", "outlets", "markers")}
                 for side in x.get("sides") or []]
        disputes.append({"kind": x["kind"], "key": x["key"], "cites": x["cites"], "markers": [], "about": x.get("about"),
                         "sides": sides, "weight": sum(int(s.get("independent") or 0) for s in sides)})
    return {"headline": {"text": b.get("headline") or view.get("title") or "", "markers": b.get("headline_markers") or [],
                         "basis": "briefing"},
            "dek": None, "bullets": bullets, "numbers": numbers[:4], "disputes": disputes, "changes": [],
            "as_of": b.get("as_of")}
