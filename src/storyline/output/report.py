"""Reports from a dossier: ``dossier.json``, ``report.md`` and a self-contained ``report.html``.

Everything from the articles is untrusted text: the HTML report is rendered by
Jinja2 with autoescaping on, carries a Content-Security-Policy that forbids
scripts and external assets, and is well-formed XML (polyglot HTML) so it can
be checked by an XML parser.  The Markdown report backslash-escapes the
characters that Markdown or embedded HTML would interpret.  Output is
deterministic: the same dossier gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError
from storyline.extract.dates import date_sort_key, is_absolute_date
from storyline.extract.events import SPEECH_VERBS
from storyline.output.dossier import validate_dossier
from storyline.reader.charts import series_svg, timeline_svg
from storyline.reader.mistakes import Mistakes
from storyline.reader.names import SourceNames
from storyline.reader.wording import figure_value, one_line, plural

__all__ = [
    "write_reports", "render_markdown", "render_html", "timeline_svg", "series_svg", "dossier_json", "told_events",
]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_WS = re.compile(r"\s+")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_PRONOUNS = frozenset(
    [
        "i",
        "we",
        "you",
        "he",
        "she",
        "it",
        "they",
        "who",
        "which",
        "that",
        "this",
        "these",
        "those",
        "one",
        "someone",
    ]
)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# event chains on these actions say little on their own ("officials said", "it was"): left out of the report
_CHAIN_SKIP = SPEECH_VERBS | frozenset(
    ["be", "have", "do", "make", "get", "go", "take", "come", "give", "use"]
)


# --------------------------------------------------------------------------- view model


@dataclass(frozen=True, slots=True)
class Marker:
    """A citation marker: ``ref`` (s3), ``label`` (s3:120-180) and a hover ``title`` with the cited text."""

    ref: str
    label: str
    title: str


class _View:
    """Everything both renderers show, computed once from a dossier dict."""

    def __init__(self, d: dict) -> None:
        self.d = d
        self.sources: list[dict[str, Any]] = list(d.get("sources") or [])
        self.by_id = {s["id"]: s for s in self.sources}
        self.names = SourceNames(self.sources)  # readers' names and labels ("Reuters, 17 Nov"), never a hash
        self.entities_by_id = {e["id"]: e for e in d.get("entities") or []}
        self._briefings: dict[int, dict[str, Any]] = {}

    # ----------------------------------------------------------------- citations

    def ref(self, source_id: str) -> str:
        src = self.by_id.get(source_id)
        return src["ref"] if src else "s?"

    def outlet(self, source_id: str) -> str:
        return self.names.name(source_id)

    def published(self, source_id: str) -> str:
        src = self.by_id.get(source_id) or {}
        return src.get("published") or "date unknown"

    def marker(self, c: dict[str, Any]) -> Marker:
        ref = self.ref(c["source"])
        src = c["source"]
        who = self.names.label(src) if (self.by_id.get(src) or {}).get("published") else f"{self.outlet(src)}, date unknown"
        title = f"{ref} · {who} · characters {c['start']}–{c['end']}: “{c['text']}”"
        return Marker(ref, f"{ref}:{c['start']}-{c['end']}", title)

    def markers(self, cites: Iterable[dict[str, Any]]) -> list[Marker]:
        return [self.marker(c) for c in cites]

    # ----------------------------------------------------------------- sections

    def counts(self) -> dict[str, int]:
        return {k: len(self.d.get(k) or []) for k in ("sources", "events", "quotes", "figures", "entities")}

    def briefing(self, length: int = 8) -> dict[str, Any]:
        """The cited briefing (headline and sections) with markers and single-source lead-ins.

        Built once per view and length: ``write_reports`` renders Markdown and HTML from one view.
        """
        if length not in self._briefings:
            self._briefings[length] = self._build_briefing(length)
        return self._briefings[length]

    def _build_briefing(self, length: int) -> dict[str, Any]:
        from storyline.reader.briefing import build_briefing, lead_in

        b = build_briefing(self.d, length=length)
        sections = []
        for sec in b.sections:
            sentences = []
            for sent in sec.sentences:
                cites = [{"source": c.source, "start": c.start, "end": c.end, "text": c.text} for c in sent.citations]
                sentences.append(
                    {
                        "text": sent.text,
                        "kind": sent.kind,
                        "status": sent.status,
                        "lead": lead_in(sent, self.d, self.names),
                        "markers": self.markers(cites),
                    }
                )
            sections.append({"name": sec.name, "title": sec.title, "sentences": sentences})
        head = [{"source": c.source, "start": c.start, "end": c.end, "text": c.text} for c in b.headline_citations]
        return {"headline": b.headline, "markers": self.markers(head), "as_of": b.as_of, "sections": sections}

    def next_items(self) -> list[dict[str, Any]]:
        """What the sources expect, dated items first, each with the date it was said; an item that holds a
        flagged error, a contradicted side or a superseded figure has ``held`` (why it is not coming)."""
        mistakes = Mistakes(self.d)
        return [
            {**n, "markers": self.markers(n["citations"]), "who": self.who(n["sources"]),
             "held": mistakes.why(n["citations"])}
            for n in self.d.get("next") or []
        ]

    def period(self) -> str:
        p = self.d.get("period") or {}
        first, last = p.get("first"), p.get("last")
        if not first:
            return "publication dates unknown"
        return first if first == last else f"{first} to {last}"

    def timeline(self) -> list[dict[str, Any]]:
        """Events grouped by date (absolute dates in order, then undated)."""
        groups: dict[str, dict[str, Any]] = {}
        for ev in self.d.get("events") or []:
            if not is_absolute_date(ev["date"]):
                key, precision = "undated", "none"
            elif "T" in ev["date"]:  # times of day are grouped under their day
                key, precision = ev["date"].split("T", 1)[0], "day"
            else:
                key, precision = ev["date"], ev["precision"]
            g = groups.get(key)
            if g is None:
                g = groups[key] = {"date": key, "precision": precision, "events": []}
            g["events"].append(self._event(ev))
        return sorted(
            groups.values(), key=lambda g: date_sort_key(g["date"] if g["date"] != "undated" else None)
        )

    def _event(self, ev: dict[str, Any]) -> dict[str, Any]:
        actor = ev["actor"]["name"] if ev.get("actor") else None
        target = ev["target"]["name"] if ev.get("target") else None
        action = ("not " if ev.get("negated") else "") + ev["action"]
        return {
            "id": ev["id"],
            "actor": actor,
            "action": action,
            "target": target,
            "where": ev.get("where"),
            "summary": ev["summary"],
            "basis": ev.get("date_basis", "text"),
            "outlet": self.outlet(ev["source"]),
            "markers": self.markers(ev["citations"][:1]),
        }

    def speakers(self) -> list[dict[str, Any]]:
        """Quotes grouped by canonical speaker, most quoted first; unattributed last."""
        groups: dict[str, dict[str, Any]] = {}
        for q in self.d.get("quotes") or []:
            sp = q.get("speaker")
            if sp is None or (not sp.get("entity") and sp["name"].casefold() in _PRONOUNS):
                key, name, entity = "~", "Unattributed or unresolved speaker", None
            elif sp.get("entity"):
                key, name, entity = "e:" + sp["entity"], sp["name"], self.entities_by_id.get(sp["entity"])
            else:
                key, name, entity = "n:" + sp["name"].casefold(), sp["name"], None
            g = groups.setdefault(key, {"key": key, "name": name, "label": None, "quotes": []})
            if entity is not None:
                g["label"] = entity.get("label")
                g["name"] = entity.get("name") or name
            g["quotes"].append(
                {
                    "id": q["id"],
                    "kind": q["kind"],
                    "text": " … ".join(one_line(p) for p in q.get("parts") or [q["text"]]),
                    "as_written": (sp or {}).get("as_written"),
                    "cue": q.get("cue"),
                    "said_on": q.get("said_on"),
                    "outlet": self.outlet(q["source"]),
                    "published": self.published(q["source"]),
                    "markers": self.markers(q["citations"][: max(1, len(q.get("parts") or ()))]),
                }
            )
        return sorted(
            groups.values(), key=lambda g: (g["key"] == "~", -len(g["quotes"]), g["name"].casefold())
        )

    def figures(self) -> list[dict[str, Any]]:
        rows = []
        for f in self.d.get("figures") or []:
            rows.append(
                {
                    "id": f["id"],
                    "counts": f.get("counts") or f.get("unit") or "(unspecified)",
                    "value": figure_value(f),
                    "as_of": f.get("as_of") or "",
                    "text": one_line(f["text"]),
                    "outlet": self.outlet(f["source"]),
                    "markers": self.markers(f["citations"][:1]),
                }
            )
        rows.sort(key=lambda r: (r["counts"].casefold(), date_sort_key(r["as_of"] or None)))
        return rows

    def entities(self) -> list[dict[str, Any]]:
        rows = []
        for e in self.d.get("entities") or []:
            roles: dict[str, list[Marker]] = {}
            for r in e.get("roles") or []:
                roles.setdefault(r["role"], []).extend(self.markers(r["citations"]))
            rows.append(
                {
                    "id": e["id"],
                    "name": e["name"],
                    "label": e["label"],
                    "mentions": e["mentions"],
                    "aliases": e.get("aliases") or [],
                    "roles": [{"role": k, "markers": v[:3]} for k, v in roles.items()],
                    "markers": self.markers((e.get("citations") or [])[:1]),
                }
            )
        return rows

    # ----------------------------------------------------------------- cross-checking

    def who(self, source_ids: Iterable[str]) -> str:
        return ", ".join(f"{self.outlet(s)} ({self.ref(s)})" for s in source_ids)

    def conflicts(self) -> list[dict[str, Any]]:
        rows = []
        for x in self.d.get("conflicts") or []:
            sides = [
                {
                    "value": one_line(side["value"]),
                    "likely": x.get("likely") == i,
                    "who": self.who(side["sources"]),
                    "independent": side["independent"],
                    "as_of": side.get("as_of"),
                    "markers": self.markers(side["citations"][:4]),
                }
                for i, side in enumerate(x["sides"])
            ]
            rows.append(
                {"id": x["id"], "kind": x["kind"], "about": x["about"], "explanation": x["explanation"], "sides": sides}
            )
        return rows

    def errors(self) -> list[dict[str, Any]]:
        return [
            {
                "id": e["id"],
                "kind": e["kind"],
                "outlet": self.outlet(e["source"]),
                "ref": self.ref(e["source"]),
                "text": one_line(e["text"]),
                "correction": one_line(e["correction"]),
                "why": e["why"],
                "conflict": e.get("conflict"),
                "markers": self.markers(e["citations"][:1]),
                "evidence": self.markers(e.get("evidence", [])[:6]),
            }
            for e in self.d.get("errors") or []
        ]

    def series(self) -> list[dict[str, Any]]:
        rows = []
        for fs in self.d.get("series") or []:
            points = [
                {
                    "value": figure_value({**p, "unit": None}),
                    "as_of": p.get("as_of") or "date unknown",
                    "outlet": self.outlet(p["source"]),
                    "published": self.published(p["source"]),
                    "text": one_line(p["text"]),
                    "markers": self.markers(p["citations"][:1]),
                }
                for p in fs["points"]
            ]
            rows.append(
                {"id": fs["id"], "what": fs["what"], "unit": fs.get("unit"), "cumulative": fs["cumulative"],
                 "points": points}
            )
        return rows

    def claims(self, single_limit: int = 25) -> dict[str, Any]:
        """Claims by status: contested and corroborated in full, single-source up to ``single_limit``."""
        by: dict[str, list[dict[str, Any]]] = {"contested": [], "corroborated": [], "single-source": []}
        for c in self.d.get("claims") or []:
            by.setdefault(c["status"], []).append(
                {
                    "id": c["id"],
                    "status": c["status"],
                    "independent": c["independent"],
                    "sources": len(c["sources"]),
                    "date": c.get("date") or "",
                    "text": one_line(c["text"]),
                    "markers": self.markers(c["citations"][:6]),
                    "more": max(0, len(c["citations"]) - 6),
                    "conflicts": c.get("conflicts") or [],
                    "errors": c.get("errors") or [],
                }
            )
        single = by["single-source"]
        return {
            "contested": by["contested"],
            "corroborated": by["corroborated"],
            "single": single[:single_limit],
            "single_total": len(single),
            "total": sum(len(v) for v in by.values()),
        }

    def event_chains(self, limit: int = 12) -> dict[str, Any]:
        """Corroborated event chains (one event told in several independent sources), speech and light
        verbs left out: the first ``limit`` rows and how many there are in all."""
        rows = []
        for ch in self.d.get("event_chains") or []:
            if ch["status"] != "corroborated" or not ch.get("likely_event", True):
                continue
            if ch["action"].lower() in _CHAIN_SKIP:
                continue
            mentions = ch["mentions"]
            # one sentence per source where possible (the first mention of each), then the rest in order
            first: dict[str, int] = {}
            for i, m in enumerate(mentions):
                first.setdefault(m["sentence"]["source"], i)
            firsts = set(first.values())
            order = [*first.values(), *(i for i in range(len(mentions)) if i not in firsts)]
            shown = [mentions[i] for i in order[:4]]
            words = list(dict.fromkeys(one_line(m["trigger"]["text"]).lower() for m in mentions))
            rows.append(
                {
                    "id": ch["id"],
                    "action": ch["action"],
                    "independent": ch["independent"],
                    "sources": len(set(ch["sources"])),
                    "words": words[:4],
                    "markers": self.markers([m["sentence"] for m in shown]),
                    "more": max(0, len(mentions) - len(shown)),
                }
            )
        return {"rows": rows[:limit], "total": len(rows)}

    def quality(self) -> list[dict[str, Any]]:
        rows = []
        for q in self.d.get("quality") or []:
            reasons = sorted(q["reasons"], key=lambda r: (r["effect"] >= 0, -abs(r["effect"])))
            rows.append(
                {
                    "ref": self.ref(q["source"]),
                    "outlet": self.outlet(q["source"]),
                    "score": f"{q['score']:.2f}",
                    "pct": round(100 * q["score"]),
                    "reasons": [
                        {
                            "kind": r["kind"],
                            "effect": f"{r['effect']:+.2f}",
                            "negative": r["effect"] < 0,
                            "detail": r["detail"],
                            "markers": self.markers(r["citations"][:3]),
                        }
                        for r in reasons
                    ],
                }
            )
        return rows

    def copies(self) -> list[dict[str, Any]]:
        ind = self.d.get("independence") or {}
        return [
            {
                "copied": f"{self.outlet(link['copy'])} ({self.ref(link['copy'])})",
                "origin": f"{self.outlet(link['origin'])} ({self.ref(link['origin'])})",
                "kind": link["kind"],
                "similarity": f"{link['similarity']:.2f}",
                "method": link["method"],
                "markers": self.markers(link["evidence"][:3]),
            }
            for link in ind.get("links") or []
        ]

    def offices(self) -> list[dict[str, Any]]:
        return [
            {
                "name": t["name"],
                "office": t["office"],
                "status": t["status"],
                "seen": t["first_seen"] if t["first_seen"] == t["last_seen"] else f"{t['first_seen']} to {t['last_seen']}",
                "independent": t["independent"],
                "markers": self.markers(t["citations"][:4]),
            }
            for t in self.d.get("offices") or []
        ]

    def source_rows(self) -> list[dict[str, Any]]:
        rows = []
        for s in self.sources:
            rows.append(
                {
                    "ref": s["ref"],
                    "id": s["id"],
                    "title": s.get("title") or s.get("origin") or "(untitled)",
                    "outlet": self.outlet(s["id"]),
                    "author": s.get("author") or "",
                    "url": s.get("url") or "",
                    "origin": s.get("origin") or "",
                    "published": s.get("published") or "unknown",
                    "how": s.get("published_how") or "none",
                    "words": s.get("words", 0),
                    "furniture": [
                        {
                            "reason": f["reason"],
                            "text": one_line(f["text"]),
                            "start": f["start"],
                            "end": f["end"],
                        }
                        for f in s.get("furniture") or []
                    ],
                    "share": f"{100 * (s.get('furniture_share') or 0):.1f}%",
                }
            )
        return rows


# --------------------------------------------------------------------------- Markdown


def told_events(dossier: dict) -> int:
    """How many events the report lists as told by several independent sources (its event-chain section)."""
    return _View(dossier).event_chains()["total"]


def _md(text: Any) -> str:
    """One line of untrusted text, safe inside Markdown paragraphs, lists and table cells."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(_XML_BAD.sub("", str(text))))


def _md_markers(markers: Iterable[Marker]) -> str:
    return " ".join(f"\\[{m.label}\\]" for m in markers)


def _md_briefing(v: _View) -> list[str]:
    """The briefing: headline and short cited explainer."""
    b = v.briefing()
    out = ["## Briefing", "", f"**{_md(b['headline'])}** {_md_markers(b['markers'])}", ""]
    for sec in b["sections"]:
        out += [f"### {_md(sec['title'])}", ""]
        for s in sec["sentences"]:
            lead = f"*{_md(s['lead'])}* " if s["lead"] else ""
            out.append(f"- {lead}{_md(s['text'])} {_md_markers(s['markers'])}")
        out.append("")
    return out


def _md_next(v: _View) -> list[str]:
    """What comes next, with the date each item was said."""
    out = ["## What comes next", ""]
    items = v.next_items()
    if not items:
        return [*out, "The sources announce nothing ahead.", ""]
    for n in items:
        if n["held"]:
            out.append(f"- *Held back, not coming:* {_md(n['text'])} (because {_md(n['held'])}) "
                       f"{_md_markers(n['markers'])}")
            continue
        when = f"**{_md(n['when'])}**" if n["when"] else "**undated**"
        passed = " (date has passed)" if n["passed"] else ""
        label = f" *{_md(n['label'])}*" if n["label"] else ""
        out.append(
            f"- {when}{passed} · {_md(n['kind'])}{label}: {_md(n['text'])} "
            f"(said on {_md(n['said_on'] or 'an unknown date')}; {_md(n['who'])}) {_md_markers(n['markers'])}"
        )
    out.append("")
    return out


def _md_crosscheck(v: _View) -> list[str]:
    """Conflicts, flagged errors, claims and running figures."""
    out: list[str] = ["## Conflicts", ""]
    conflicts = v.conflicts()
    if not conflicts:
        out += ["No conflicts found between or within sources.", ""]
    for x in conflicts:
        out += [f"### {x['id']} ({_md(x['kind'])}): {_md(x['about'])}", "", _md(x["explanation"]), ""]
        for side in x["sides"]:
            mark = " **(better supported)**" if side["likely"] else ""
            as_of = f", as of {_md(side['as_of'])}" if side["as_of"] else ""
            out.append(
                f"- “{_md(side['value'])}”{mark}: {_md(side['who'])}; "
                f"{plural(side['independent'], 'independent source')}{as_of} {_md_markers(side['markers'])}"
            )
        out.append("")
    out += ["## Flagged errors", ""]
    errors = v.errors()
    if not errors:
        out += ["No statement is flagged as probably wrong.", ""]
    for e in errors:
        out.append(
            f"- **{_md(e['outlet'])}** ({e['ref']}) says “{_md(e['text'])}” {_md_markers(e['markers'])}; the corpus "
            f"says “{_md(e['correction'])}” {_md_markers(e['evidence'])}. {_md(e['why'])}"
        )
    if errors:
        out.append("")
    claims = v.claims()
    out += ["## Claims", ""]
    out.append(
        f"{plural(claims['total'], 'claim')}: {len(claims['corroborated'])} corroborated by two or more independent "
        f"sources, {len(claims['contested'])} contested, {claims['single_total']} from a single source. Wire copies "
        "and rewrites of one original count as one source."
    )
    out.append("")
    for key, head in (("contested", "Contested"), ("corroborated", "Corroborated"), ("single", "Single-source")):
        rows = claims[key]
        if not rows:
            continue
        extra = f" (first {len(rows)} of {claims['single_total']})" if key == "single" and claims["single_total"] > len(rows) else ""
        out += [f"### {head}{extra}", ""]
        for c in rows:
            date_part = f"{_md(c['date'])}: " if c["date"] else ""
            note = f" — see {', '.join(c['conflicts'] + c['errors'])}" if c["conflicts"] or c["errors"] else ""
            more = f" (+{c['more']} more)" if c["more"] else ""
            out.append(
                f"- {date_part}“{_md(c['text'])}” — {plural(c['independent'], 'independent source')}{note} "
                f"{_md_markers(c['markers'])}{more}"
            )
        out.append("")
    chains = v.event_chains()
    out += ["## Events several sources report", ""]
    shown = ""
    if chains["total"] > len(chains["rows"]):
        shown = f" First {len(chains['rows'])} of {chains['total']}."
    out += [
        "Mentions of one event in different words across independent sources (event chains); "
        f"wire copies count once.{shown}",
        "",
    ]
    if not chains["rows"]:
        out += ["No event is named by two or more independent sources.", ""]
    for ch in chains["rows"]:
        words = f" ({_md(', '.join(ch['words']))})" if ch["words"] else ""
        more = f" (+{ch['more']} more)" if ch["more"] else ""
        out.append(
            f"- **{_md(ch['action'])}**{words} — {plural(ch['independent'], 'independent source')} "
            f"{_md_markers(ch['markers'])}{more}"
        )
    if chains["rows"]:
        out.append("")
    out += ["## Running figures", ""]
    series = v.series()
    if not series:
        out += ["No figure is reported over time by several sources.", ""]
    for fs in series:
        kind = "running total" if fs["cumulative"] else "reported values"
        unit = f" ({_md(fs['unit'])})" if fs["unit"] else ""
        out += [f"### {_md(fs['what'])}{unit}: {kind}", ""]
        out.append("| As of | Value | As written | Source |")
        out.append("|---|---|---|---|")
        for p in fs["points"]:
            out.append(
                f"| {_md(p['as_of'])} | {_md(p['value'])} | {_md(p['text'])} | {_md(p['outlet'])}, "
                f"{_md(p['published'])} {_md_markers(p['markers'])} |"
            )
        out.append("")
    return out


def _md_sources_checked(v: _View) -> list[str]:
    """Source quality, copies and offices."""
    out: list[str] = ["## Source quality", ""]
    rows = v.quality()
    if not rows:
        out += ["Not assessed.", ""]
    else:
        out.append("| Ref | Outlet | Score | Reasons |")
        out.append("|---|---|---:|---|")
        for q in rows:
            reasons = "<br>".join(
                f"{r['effect']} {_md(r['kind'])}: {_md(r['detail'])} {_md_markers(r['markers'])}" for r in q["reasons"]
            )
            out.append(f"| {q['ref']} | {_md(q['outlet'])} | {q['score']} | {reasons} |")
        out.append("")
    copies = v.copies()
    out += ["## Copies and rewrites", ""]
    if not copies:
        out += ["Every source is independent: no wire copies or rewrites found.", ""]
    else:
        out.append("| Copy | Repeats | Kind | Similarity | Evidence |")
        out.append("|---|---|---|---:|---|")
        for c in copies:
            out.append(
                f"| {_md(c['copied'])} | {_md(c['origin'])} | {_md(c['kind'])} ({_md(c['method'])}) | {c['similarity']} "
                f"| {_md_markers(c['markers'])} |"
            )
        out.append("")
    offices = v.offices()
    if offices:
        out += ["## Who holds which office", "", "As the sources state it, with the publication dates that state it.", ""]
        out.append("| Person | Office | Status | Stated | Independent sources | Citations |")
        out.append("|---|---|---|---|---:|---|")
        for t in offices:
            out.append(
                f"| {_md(t['name'])} | {_md(t['office'])} | {_md(t['status'])} | {_md(t['seen'])} | {t['independent']} "
                f"| {_md_markers(t['markers'])} |"
            )
        out.append("")
    return out


def render_markdown(dossier: dict) -> str:
    """The Markdown report: title, period, counts, sources, timeline, who said what, figures, entities."""
    return _markdown(_View(dossier))


def _markdown(v: _View) -> str:
    dossier = v.d
    c = v.counts()
    out: list[str] = [f"# {_md(dossier['title'])}", ""]
    out.append(f"**Period:** {_md(v.period())}  ")
    out.append(
        "**Counts:** "
        + ", ".join(plural(c[k], k.rstrip("s")) for k in ("sources", "events", "quotes", "figures"))
        + f", {c['entities']} entities"
    )
    out.append("")
    out.append("Citation markers such as \\[s1:120-180\\] give the source and the character offsets of the")
    out.append("exact words in that source's original text (see `dossier.json`).")
    out.append("")
    out += _md_briefing(v)
    out += _md_crosscheck(v)
    out += _md_next(v)

    out += ["## Sources", ""]
    rows = v.source_rows()
    if rows:
        out.append("| Ref | Title | Outlet | Published (how found) | Words | Furniture dropped |")
        out.append("|---|---|---|---|---:|---:|")
        for r in rows:
            out.append(
                f"| {r['ref']} | {_md(r['title'])} | {_md(r['outlet'])} | {_md(r['published'])} ({_md(r['how'])})"
                f" | {r['words']} | {len(r['furniture'])} ({r['share']}) |"
            )
        out.append("")
        for r in rows:
            if not r["furniture"]:
                continue
            out.append(
                f"<details><summary>{r['ref']}: {plural(len(r['furniture']), 'dropped line')}</summary>"
            )
            out.append("")
            for f in r["furniture"]:
                out.append(f"- *{_md(f['reason'])}*: {_md(f['text'])}")
            out.append("")
            out.append("</details>")
            out.append("")
    else:
        out += ["No sources.", ""]

    out += ["## Timeline", ""]
    groups = v.timeline()
    if not groups:
        out += ["No events.", ""]
    for g in groups:
        head = "Undated" if g["date"] == "undated" else f"{_md(g['date'])} ({_md(g['precision'])})"
        out += [f"### {head}", ""]
        for e in g["events"]:
            who = " ".join(
                p
                for p in (
                    f"**{_md(e['actor'])}**" if e["actor"] else "",
                    f"*{_md(e['action'])}*",
                    _md(e["target"]) if e["target"] else "",
                )
                if p
            )
            where = f" (in {_md(e['where'])})" if e["where"] else ""
            basis = " — date: publication day" if e["basis"] == "published" else ""
            out.append(
                f"- {who}{where}: “{_md(e['summary'])}” — {_md(e['outlet'])}{basis} {_md_markers(e['markers'])}"
            )
        out.append("")

    out += ["## Who said what", ""]
    speakers = v.speakers()
    if not speakers:
        out += ["No quotes.", ""]
    for g in speakers:
        label = f" ({_md(g['label'])})" if g["label"] else ""
        out += [f"### {_md(g['name'])}{label}", ""]
        for q in g["quotes"]:
            text = f"“{_md(q['text'])}”" if q["kind"] == "direct" else f"(paraphrase) {_md(q['text'])}"
            said = f", said {_md(q['said_on'])}" if q["said_on"] else ""
            as_written = (
                f" — as “{_md(q['as_written'])}”" if q["as_written"] and q["as_written"] != g["name"] else ""
            )
            out.append(
                f"- {text}{as_written} — {_md(q['outlet'])}, {_md(q['published'])}{said} {_md_markers(q['markers'])}"
            )
        out.append("")

    out += ["## Figures", ""]
    figures = v.figures()
    if figures:
        out.append("| What it counts | Value | As of | As written | Source |")
        out.append("|---|---|---|---|---|")
        for f in figures:
            out.append(
                f"| {_md(f['counts'])} | {_md(f['value'])} | {_md(f['as_of'])} | {_md(f['text'])}"
                f" | {_md(f['outlet'])} {_md_markers(f['markers'])} |"
            )
        out.append("")
    else:
        out += ["No figures.", ""]

    out += ["## Entities", ""]
    entities = v.entities()
    if entities:
        out.append("| Name | Type | Mentions | Also called | Roles |")
        out.append("|---|---|---:|---|---|")
        for e in entities:
            roles = "; ".join(f"{_md(r['role'])} {_md_markers(r['markers'])}" for r in e["roles"])
            out.append(
                f"| {_md(e['name'])} | {_md(e['label'])} | {e['mentions']} | "
                f"{', '.join(_md(a) for a in e['aliases'])} | {roles} |"
            )
        out.append("")
    else:
        out += ["No entities.", ""]
    out += _md_sources_checked(v)

    dropped = dossier.get("dropped") or []
    if dropped:
        out += [
            "## Left out",
            "",
            f"{plural(len(dropped), 'extracted item')} could not be cited exactly:",
            "",
        ]
        for dr in dropped:
            out.append(f"- {_md(dr['kind'])} {_md(dr['id'])}: {_md(dr['reason'])}")
        out.append("")
    out.append(
        f"Generated by {_md(dossier.get('generated_by', 'storyline'))}, dossier schema "
        f"{_md(dossier.get('schema_version', ''))}."
    )
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- HTML


def _finalize(value: Any) -> Any:
    """Strip characters XML forbids from plain strings before Jinja escapes them."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _XML_BAD.sub("", value)
    return value


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("storyline.output", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(dossier: dict) -> str:
    """The self-contained HTML report (inline CSS and SVG, no scripts, strict CSP, escaped article text)."""
    return _html(_View(dossier))


def _html(v: _View) -> str:
    from markupsafe import Markup

    dossier = v.d
    svg = _XML_BAD.sub("", timeline_svg(dossier))
    refs = {src["id"]: src["ref"] for src in v.sources}
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            d=dossier,
            period=v.period(),
            counts=v.counts(),
            sources=v.source_rows(),
            timeline=v.timeline(),
            speakers=v.speakers(),
            figures=v.figures(),
            entities=v.entities(),
            dropped=dossier.get("dropped") or [],
            chart=Markup(svg),  # noqa: S704 -- built by timeline_svg with every label escaped
            conflicts=v.conflicts(),
            errors=v.errors(),
            claims=v.claims(),
            event_chains=v.event_chains(),
            series=[
                {**fs, "chart": Markup(_XML_BAD.sub("", series_svg(raw, refs)))}  # noqa: S704 -- labels escaped
                for fs, raw in zip(v.series(), dossier.get("series") or [], strict=True)
            ],
            quality=v.quality(),
            copies=v.copies(),
            offices=v.offices(),
            briefing=v.briefing(),
            next_items=v.next_items(),
        )
    )


# --------------------------------------------------------------------------- files


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(text.encode("utf-8"))
        os.replace(tmp, path)
    except OSError as exc:
        raise StorylineError(f"cannot write {path}: {exc.strerror or exc}") from exc


def dossier_json(dossier: dict, *, ensure_ascii: bool = False) -> str:
    """Deterministic JSON text: sorted keys, one top-level list item per line (C encoder speed, greppable)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, sort_keys=True)

    parts = []
    for key in sorted(dossier):
        value = dossier[key]
        if isinstance(value, list) and value:
            parts.append(f"{dump(key)}: [\n" + ",\n".join(dump(item) for item in value) + "\n]")
        else:
            parts.append(f"{dump(key)}: {dump(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_reports(dossier: dict, outdir: Path) -> dict[str, Path]:
    """Validate, then write ``dossier.json``, ``report.md`` and ``report.html`` into ``outdir``.

    Returns ``{"json": ..., "markdown": ..., "html": ...}``.  Raises ``SchemaError`` for an invalid dossier.
    """
    validate_dossier(dossier)
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorylineError(f"cannot create {outdir}: {exc.strerror or exc}") from exc
    paths = {
        "json": outdir / "dossier.json",
        "markdown": outdir / "report.md",
        "html": outdir / "report.html",
    }
    text = dossier_json(dossier)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates in some article: \u-escape them, the JSON stays exact
        text = dossier_json(dossier, ensure_ascii=True)
    _write(paths["json"], text)
    view = _View(dossier)  # one view: the briefing is built once for both reports
    _write(paths["markdown"], _markdown(view))
    _write(paths["html"], _html(view))
    return paths
