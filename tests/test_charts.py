"""Charts that read on a phone: the sparkline, and narrow timeline and running-figure charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from storyline.reader.charts import NARROW_WIDTH, series_svg, sparkline_svg, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
_INLINE = re.compile(r"\s(?:style|on[a-z]+)\s*=", re.IGNORECASE)
PHONE_CHART_PX = 330  # a 360 px screen less the page's margins


def _events(*days: str) -> dict:
    return {
        "events": [{"date": d, "precision": "day", "date_basis": "text"} for d in days],
        "period": {"first": days[0], "last": days[-1]} if days else {},
    }


def _series(*points: tuple[str, float]) -> dict:
    return {
        "what": "people killed",
        "points": [
            {"value": v, "as_of": d, "source": f"src{i}", "text": f"{v:g} people", "qualifier": "at least"}
            for i, (d, v) in enumerate(points)
        ],
    }


def _rendered_font_px(svg: str, screen_px: int = PHONE_CHART_PX) -> float:
    """The smallest text size, in screen pixels, of an SVG drawn ``screen_px`` wide."""
    root = ET.fromstring(svg)
    width = float(root.get("viewBox", "0 0 1 1").split()[2])
    base = float(root.get("font-size") or 11)
    sizes = [float(t.get("font-size") or base) for t in root.iter(f"{SVG}text")]
    return min(sizes or [base]) * screen_px / width


@pytest.mark.parametrize(
    ("points", "n_points"),
    [
        ([("2025-12-08", 40), ("2025-12-10", 43), ("2025-12-22", 78)], 3),
        ([("2025-12-22", 78), ("2025-12-08", 40)], 2),  # sorted by day
        ([("2025-12-08", 5)], 1),
        ([("2025-12-08", 5), ("2025-12-09", 5)], 2),  # a flat line
        ([], 0),  # nothing to draw: no SVG
        ([("2025-12-08", float("nan"))], 0),  # no finite value: no SVG
    ],
)
def test_sparkline(points, n_points):
    svg = sparkline_svg(points, label="people killed")
    if not n_points:
        assert svg == ""
        return
    root = ET.fromstring(svg)
    assert root.get("class") == "spark" and not _INLINE.search(svg)
    line = root.find(f"{SVG}polyline")
    assert line is not None and len(line.get("points", "").split()) == n_points
    assert "people killed" in (root.findtext(f"{SVG}title") or "")  # its values are text, not only a picture


def test_sparkline_rises_with_the_values_and_ends_on_the_last():
    root = ET.fromstring(sparkline_svg([("2025-12-01", 1), ("2025-12-02", 9)]))
    (x0, y0), (x1, y1) = (tuple(map(float, p.split(","))) for p in root.find(f"{SVG}polyline").get("points").split())
    assert x1 > x0 and y1 < y0  # SVG y grows downwards: a higher value is drawn higher
    last = root.find(f"{SVG}circle")
    assert (float(last.get("cx")), float(last.get("cy"))) == (x1, y1)


def test_sparkline_escapes_its_label():
    svg = sparkline_svg([("2025-12-01", 1)], label='<script>alert("x")</script>')
    assert "<script>" not in svg and ET.fromstring(svg) is not None


DAYS_10 = tuple(f"2025-12-{d:02d}" for d in range(1, 11))
DAYS_60 = ("2025-10-01", "2025-10-15", "2025-11-02", "2025-11-20", "2025-11-29")


@pytest.mark.parametrize(
    ("chart", "narrow", "readable"),
    [
        (lambda n: timeline_svg(_events(*DAYS_10), narrow=n), True, True),
        (lambda n: timeline_svg(_events(*DAYS_60), narrow=n), True, True),
        (lambda n: timeline_svg(_events(), narrow=n), True, True),  # the placeholder too
        (lambda n: series_svg(_series(("2025-12-08", 40), ("2025-12-22", 78)), {}, narrow=n), True, True),
        (lambda n: series_svg(_series(), {}, narrow=n), True, True),
        # the wide charts shrink to about 5 px on a phone: what the narrow ones are for
        (lambda n: timeline_svg(_events(*DAYS_10), narrow=n), False, False),
        (lambda n: series_svg(_series(("2025-12-08", 40), ("2025-12-22", 78)), {}, narrow=n), False, False),
    ],
)
def test_narrow_chart_text_is_readable_at_360_px(chart, narrow, readable):
    svg = chart(narrow)
    assert not _INLINE.search(svg)
    root = ET.fromstring(svg)
    assert (float(root.get("viewBox").split()[2]) <= NARROW_WIDTH) == narrow
    assert (_rendered_font_px(svg) >= 11) == readable
    assert ("narrow" in root.get("class", "").split()) == narrow


@pytest.mark.parametrize(
    ("days", "narrow", "unit"),
    [
        (DAYS_10, True, "day"),
        (DAYS_60, True, "week"),
        (DAYS_60, False, "day"),
        (("2024-01-05", "2025-06-01"), True, "month"),
    ],
)
def test_narrow_timeline_bins(days, narrow, unit):
    root = ET.fromstring(timeline_svg(_events(*days), narrow=narrow))
    assert f"counted per {unit}," in root.findtext(f"{SVG}title")


def test_narrow_and_wide_timelines_have_different_title_ids_and_the_same_counts():
    wide, narrow = timeline_svg(_events(*DAYS_10)), timeline_svg(_events(*DAYS_10), narrow=True)
    ids = [re.findall(r'\sid="([^"]+)"', svg) for svg in (wide, narrow)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    counts = [sorted(t.text for t in ET.fromstring(s).iter(f"{SVG}text") if "count" in (t.get("class") or ""))
              for s in (wide, narrow)]
    assert counts[0] == counts[1] == ["1"] * 10  # one event a day, written on every bar in both


def test_narrow_series_keeps_the_last_value_in_text():
    many = [(f"2025-12-{d:02d}", 40 + d) for d in range(1, 25)]
    root = ET.fromstring(series_svg(_series(*many), {}, narrow=True))
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "count"]
    assert labels and labels[-1] == "at least 64"
    assert len(labels) < len(many)  # overlapping labels are left to the table
    assert len(root.findall(f"{SVG}circle")) == len(many)
