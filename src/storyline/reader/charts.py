"""Inline SVG charts of a story (the timeline and each running figure), shared by the pages and the reports.

Everything from the articles is untrusted text: every label is XML-escaped."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape as _xml_escape
from typing import Any

from storyline.reader.wording import figure_value, format_number, one_line, plural

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


# --------------------------------------------------------------------------- SVG timeline chart


def _bins(lo: date, hi: date, max_days: int = 120) -> tuple[str, list[date]]:
    span = (hi - lo).days + 1
    if span <= max_days:
        return "day", [lo + timedelta(days=i) for i in range(span)]
    if max_days < 120 and span <= 7 * max_days:  # a narrow chart counts per week before per month
        first = lo - timedelta(days=lo.weekday())
        return "week", [first + timedelta(days=7 * i) for i in range((hi - first).days // 7 + 1)]
    if span <= 6 * 366:
        out, y, m = [], lo.year, lo.month
        while (y, m) <= (hi.year, hi.month):
            out.append(date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return "month", out
    return "year", [date(y, 1, 1) for y in range(lo.year, hi.year + 1)]


def _bin_of(unit: str, d: date) -> date:
    if unit == "day":
        return d
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return date(d.year, d.month, 1)
    return date(d.year, 1, 1)


def _bin_label(unit: str, d: date, first: bool) -> str:
    if unit == "week":
        return f"week of {d.day} {d:%b %Y}" if first else f"{d.day} {d:%b}"
    if unit == "day":
        return f"{d.day} {d:%b %Y}" if first or (d.month == 1 and d.day == 1) else f"{d.day} {d:%b}"
    if unit == "month":
        return d.strftime("%b %Y")
    return str(d.year)


def _parse_day(value: str | None) -> date | None:
    if not value or not (m := _DAY.match(value)):
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def series_svg(series: dict[str, Any], refs: dict[str, str], *, narrow: bool = False) -> str:
    """Inline SVG line chart of one running figure: each source's value at its as-of day, labelled with its ref.

    A range is drawn as a vertical bar; qualifiers ("at least") are in the point labels.  Well-formed XML.
    ``narrow=True`` draws it for a phone (viewBox NARROW_WIDTH wide, text NARROW_FONT units): a label only
    where it fits without overlapping, the last value always; every value is in the page's table too."""
    esc = _xml_escape
    font = NARROW_FONT if narrow else WIDE_FONT
    width, height = (NARROW_WIDTH, 210) if narrow else (760, 200)
    left, right, top, bottom = (48, 10, 22, 44) if narrow else (64, 18, 18, 40)
    char_w = font * 0.55
    cls = "chart series narrow" if narrow else "chart series"
    plot_w, plot_h = width - left - right, height - top - bottom
    pts = []
    for p in series.get("points") or []:
        d = _parse_day(p.get("as_of")) or _parse_day(p.get("published"))
        if d is not None:
            pts.append((d, float(p["value"]), p.get("value_high"), p))
    title = esc(f"{series.get('what') or 'figure'} over time")
    if not pts:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {width} 40" font-size="{font}" '
            f'role="img" aria-label="{title}"><text x="8" y="24">No dated values to plot.</text></svg>'
        )
    lo_d, hi_d = min(p[0] for p in pts), max(p[0] for p in pts)
    span = max(1, (hi_d - lo_d).days)
    vmax = max(max(p[1], float(p[2]) if p[2] is not None else p[1]) for p in pts)
    vmin = 0.0
    vmax = vmax * 1.12 if vmax > 0 else 1.0

    def x(d: date) -> float:
        return left + (plot_w * ((d - lo_d).days / span) if hi_d > lo_d else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v - vmin) / (vmax - vmin)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {width} {height}" '
        f'font-size="{font}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" />',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" />',
    ]
    for frac in (0.0, 0.5, 1.0):
        v = vmin + (vmax / 1.12) * frac
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{esc(format_number(round(v)))}</text>'
        )
    parts.append(f'<text x="{left}" y="{height - 8}">{esc(lo_d.isoformat())}</text>')
    if hi_d > lo_d:
        parts.append(f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end">{esc(hi_d.isoformat())}</text>')
    ordered = sorted(pts, key=lambda p: (p[0], p[1]))
    line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _h, _p in ordered)
    parts.append(f'<polyline class="trend" points="{line}" fill="none" />')
    # one marker per (day, value as written): several sources agreeing on a day share a label
    marks: dict[tuple[date, float, Any, str], list[dict[str, Any]]] = {}
    for d, v, high, p in ordered:
        marks.setdefault((d, v, high, figure_value({**p, "unit": None})), []).append(p)
    boxes: list[tuple[float, float, float, float]] = []  # placed labels: x0, y0, x1, y1

    def free(box: tuple[float, float, float, float]) -> bool:
        return all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1] for b in boxes)

    last = list(marks)[-1] if marks else None
    for (d, v, high, value), group in marks.items():
        cx, cy = x(d), y(v)
        if high is not None:
            parts.append(f'<line class="range" x1="{cx:.1f}" y1="{cy:.1f}" x2="{cx:.1f}" y2="{y(float(high)):.1f}" />')
        who = ", ".join(dict.fromkeys(refs.get(p["source"], "s?") for p in group))
        label = value if narrow else f"{who}: {value}"
        tip = "; ".join(
            f"{refs.get(p['source'], 's?')} as of {p.get('as_of') or p.get('published')}: “{one_line(p.get('text'))}”"
            for p in group
        )
        anchor = "end" if cx > left + 0.75 * plot_w else "start"
        dx = -6 if anchor == "end" else 6
        w = char_w * len(label)
        x0 = cx + dx - w if anchor == "end" else cx + dx
        box = (x0, cy - 17, x0 + w, cy - 5)
        placed = False
        for dy in (-7, 16, -21, 30, -35, 44):  # above, below, then further out, until it does not overlap
            box = (x0, cy + dy - font + 1, x0 + w, cy + dy + 2)
            if free(box):
                placed = True
                break
        parts.append(f'<circle class="pt" cx="{cx:.1f}" cy="{cy:.1f}" r="4"><title>{esc(tip)}</title></circle>')
        if narrow and not placed and (d, v, high, value) != last:
            continue  # a phone chart leaves out a label that would overlap; the table lists every value
        boxes.append(box)
        parts.append(
            f'<text class="count" x="{cx + dx:.1f}" y="{box[3] - 2:.1f}" text-anchor="{anchor}">{esc(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# Narrow charts: drawn for a phone.  The viewBox is at most NARROW_WIDTH wide and every text carries
# NARROW_FONT, so on a 360 px screen (about 330 px of chart) text renders at NARROW_FONT * 330 / NARROW_WIDTH
# >= 13 px.  The page's CSS must not shrink it: ``svg.chart.narrow text`` keeps NARROW_FONT user units.
NARROW_WIDTH = 340
NARROW_FONT = 14
WIDE_FONT = 11


def _day_counts(dossier: dict) -> tuple[dict[date, int], dict[date, int], int]:
    """Events per day whose date is stated in the text, per day assumed from publication, and the skipped."""
    stated: dict[date, int] = {}
    assumed: dict[date, int] = {}
    skipped = 0
    for ev in dossier.get("events") or []:
        d = _parse_day(ev.get("date")) if ev.get("precision") in ("day", "hour", "minute") else None
        if d is None:
            skipped += 1
            continue
        bucket = assumed if ev.get("date_basis") == "published" else stated
        bucket[d] = bucket.get(d, 0) + 1
    return stated, assumed, skipped


def _legend(narrow: bool, left: int, y: int, has_period: bool, skipped: int, right_x: float) -> list[str]:
    """The legend: one row on a wide chart, one entry per line on a narrow one (text, never hover)."""
    esc = _xml_escape
    entries = [("bar", "date stated in the text"), ("bar assumed", "undated: publication day")]
    if has_period:
        entries.append(("period", "publication period"))
    out = []
    for i, (cls, label) in enumerate(entries):
        x, yy = (left, y + 20 * i) if narrow else (left + 175 * i, y)
        out.append(f'<rect class="{cls}" x="{x}" y="{yy - 10}" width="10" height="10"/>')
        out.append(f'<text class="note" x="{x + 14}" y="{yy}">{esc(label)}</text>')
    if skipped:
        note = f"{plural(skipped, 'event')} with coarser dates not drawn"
        x, yy, anchor = (left, y + 20 * len(entries), "start") if narrow else (right_x, y, "end")
        out.append(f'<text class="note" x="{x}" y="{yy}" text-anchor="{anchor}">{esc(note)}</text>')
    return out


def timeline_svg(dossier: dict, *, narrow: bool = False) -> str:
    """Inline SVG bar chart of events per day (per month/year for long stories); well-formed XML, escaped labels.

    ``narrow=True`` draws it for a phone: a viewBox NARROW_WIDTH wide, text NARROW_FONT units, per week when
    a story spans more than three weeks, the legend one entry per line, and its own title id."""
    esc = _xml_escape
    font = NARROW_FONT if narrow else WIDE_FONT
    width = NARROW_WIDTH if narrow else 760
    left, right, top = (34, 10, 18) if narrow else (40, 14, 16)
    stated, assumed, skipped = _day_counts(dossier)
    period = dossier.get("period") or {}
    pub = [p for p in (_parse_day(period.get("first")), _parse_day(period.get("last"))) if p is not None]
    legend_rows = (3 if len(pub) == 2 else 2) + (1 if skipped else 0)
    bottom = 30 + 20 * legend_rows if narrow else 46
    height = (190 if narrow else 164) + bottom
    plot_w, plot_h = width - left - right, height - top - bottom
    days = set(stated) | set(assumed)
    title_id = "chart-title-narrow" if narrow else "chart-title"
    cls = "chart narrow" if narrow else "chart"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {width} {height}" '
        f'width="100%" font-size="{font}" role="img" aria-labelledby="{title_id}">'
    )
    if not days:
        return (
            f'{head}<title id="{title_id}">Timeline: no events with a day-precise date</title>'
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" class="note">'
            f"No events with a day-precise date</text></svg>"
        )
    lo, hi = min(days | set(pub)), max(days | set(pub))
    unit, bins = _bins(lo, hi, 21 if narrow else 120)
    index = {b: i for i, b in enumerate(bins)}
    n = len(bins)
    s_counts, a_counts = [0] * n, [0] * n
    for d, c in stated.items():
        s_counts[index[_bin_of(unit, d)]] += c
    for d, c in assumed.items():
        a_counts[index[_bin_of(unit, d)]] += c
    peak = max(s + a for s, a in zip(s_counts, a_counts, strict=True)) or 1
    bw = plot_w / n
    gap = min(2.0, bw * 0.2)
    total = sum(s_counts) + sum(a_counts)
    title = f"Timeline: {plural(total, 'event')}, counted per {unit}, {bins[0].isoformat()} to {bins[-1].isoformat()}"
    out = [head, f'<title id="{title_id}">{esc(title)}</title>']
    if len(pub) == 2:
        x0 = left + index[_bin_of(unit, pub[0])] * bw
        x1 = left + (index[_bin_of(unit, pub[1])] + 1) * bw
        out.append(
            f'<rect class="period" x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{plot_h}">'
            f"<title>publication period {esc(pub[0].isoformat())} to {esc(pub[1].isoformat())}</title></rect>"
        )
    base = top + plot_h
    out.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>')
    out.append(f'<text class="tick" x="{left - 6}" y="{base}" text-anchor="end">0</text>')
    out.append(f'<text class="tick" x="{left - 6}" y="{top + 8}" text-anchor="end">{peak}</text>')
    label_min = font * 1.3  # a bar's count is written on it when it is wide enough for the digits
    for i, b in enumerate(bins):
        s, a = s_counts[i], a_counts[i]
        if not s + a:
            continue
        x = left + i * bw + gap / 2
        hs, ha = plot_h * s / peak, plot_h * a / peak
        label = esc(
            f"{_bin_label(unit, b, True)}: {plural(s + a, 'event')}"
            + (f" ({a} dated by publication)" if a else "")
        )
        out.append(f"<g><title>{label}</title>")
        if s:
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{base - hs:.1f}" width="{bw - gap:.1f}" height="{hs:.1f}"/>'
            )
        if a:
            out.append(
                f'<rect class="bar assumed" x="{x:.1f}" y="{base - hs - ha:.1f}" '
                f'width="{bw - gap:.1f}" height="{ha:.1f}"/>'
            )
        if bw >= (label_min if narrow else 14):
            out.append(
                f'<text class="count" x="{x + (bw - gap) / 2:.1f}" y="{base - hs - ha - 3:.1f}" '
                f'text-anchor="middle">{s + a}</text>'
            )
        out.append("</g>")
    ticks = 3 if narrow else 8
    step = max(1, math.ceil(n / ticks))
    for i in range(0, n, step):
        x = left + (i + 0.5) * bw
        anchor = "start" if narrow and i == 0 else "middle"
        x = left if anchor == "start" else x
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{base + font + 5}" text-anchor="{anchor}">'
            f"{esc(_bin_label(unit, bins[i], i == 0 and not narrow))}</text>"
        )
    legend_y = base + 2 * font + 14 if narrow else height - 8
    out += _legend(narrow, left, legend_y, len(pub) == 2, skipped, left + plot_w)
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- sparkline


def sparkline_svg(points: Sequence[tuple[str | None, float]], *, label: str = "") -> str:
    """A small inline SVG line (100 x 24) of ``(day, value)`` points in day order, its last point marked.

    No inline style or event attributes (classes only); the values are in its <title>/aria-label, and a page
    shows the latest value in text beside it, so nothing is only in the picture or only on hover.  Points
    without a day are drawn in the order given after the dated ones.  Empty input gives an empty string."""
    pts = [(d or "", float(v)) for d, v in points if v is not None and math.isfinite(float(v))]
    if not pts:
        return ""
    pts.sort(key=lambda p: (p[0] == "", p[0]))
    width, height, pad = 100, 24, 3
    lo, hi = min(v for _d, v in pts), max(v for _d, v in pts)
    span = hi - lo

    def y(v: float) -> float:
        return height / 2 if span == 0 else pad + (height - 2 * pad) * (1 - (v - lo) / span)

    step = (width - 2 * pad) / max(1, len(pts) - 1)
    xy = [(pad + (i * step if len(pts) > 1 else (width - 2 * pad) / 2), y(v)) for i, (_d, v) in enumerate(pts)]
    words = "; ".join(f"{format_number(v)}{' on ' + d if d else ''}" for d, v in pts)
    title = _xml_escape(f"{label + ': ' if label else ''}{words}")
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in xy)
    lx, ly = xy[-1]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{title}"><title>{title}</title>'
        f'<polyline class="spark-line" points="{line}" fill="none"/>'
        f'<circle class="spark-last" cx="{lx:.1f}" cy="{ly:.1f}" r="2.5"/></svg>'
    )
