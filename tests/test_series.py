"""Running figures and number conflicts (storyline.crosscheck.series): qualifier arithmetic, self-written article pairs run
through the real pipeline, the sample corpus' answer key, and properties."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.series import (
    build_series,
    compatible,
    figure_interval,
    number_conflicts,
    read_figures,
    timex_range,
)
from storyline.records import Independence

KEY = json.loads((Path(__file__).resolve().parent / "golden" / "sample_expected.json").read_text("utf-8"))
INF = math.inf
DAY = "2026-03-03"  # a Tuesday: "Monday" is 2026-03-02


@pytest.fixture(scope="module")
def nlp():
    from storyline.extract.nlp import load_nlp

    return load_nlp()


def _verify(items, conflicts=(), errors=(), series=()) -> int:
    """Every citation points at its exact characters; returns how many were checked."""
    texts = {c.article.id: c.article.text for c, _ in items}
    cites = [c for x in conflicts for side in x.sides for c in side.citations]
    cites += [e.citation for e in errors] + [c for e in errors for c in e.evidence]
    cites += [p.citation for s in series for p in s.points]
    for c in cites:
        assert texts[c.source][c.start:c.end] == c.text, c
    return len(cites)


def _run(nlp, docs, groups=()):
    s = make_items(docs, nlp=nlp)
    series = build_series(s.items, s.index)
    independence = Independence(groups=tuple(tuple(s.ids[n] for n in g) for g in groups))
    conflicts, errors = number_conflicts(s.items, series, independence)
    _verify(s.items, conflicts, errors, series)
    return s, series, conflicts, errors


# --------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("value", "high", "qualifier", "expected"),
    [
        (83, None, "at least", (83, INF)),
        (80, None, "more than", (80, INF)),
        (43, None, "not less than", (43, INF)),
        (50, None, "up to", (0.0, 50)),
        (50, None, "fewer than", (0.0, 50)),
        (43, None, None, (43, 43)),
        (12, None, "exactly", (12, 12)),
        (40, None, "about", (35.0, 45.0)),  # give or take half its rounding step
        (30, 40, None, (30, 40)),
        (40, 30, None, (30, 40)),  # a range written high to low
        (40_000, None, None, (36_000.0, 44_000.0)),  # a round number allows for rounding
        (100, None, "nearly", (80.0, 100)),
    ],
)
def test_figure_interval(value, high, qualifier, expected) -> None:
    assert figure_interval(value, high, qualifier) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((83, None, "at least"), (80, None, "at least"), True),
        ((40, None, "about"), (41, None, None), True),
        ((12, None, None), (9, None, None), False),
        ((30, 40, None), (35, None, None), True),
        ((30, 40, None), (45, 50, None), False),
        ((43, None, "at least"), (40, None, "over"), True),
        ((61, None, "at least"), (43, None, None), False),
        ((50, None, "up to"), (60, None, "at least"), False),
        ((14, None, None), (11, None, None), False),
        ((80, None, None), (83, None, "at least"), True),  # 80 may be 83 rounded
    ],
)
def test_compatible(a, b, expected) -> None:
    assert compatible(figure_interval(*a), figure_interval(*b)) is expected
    assert compatible(figure_interval(*b), figure_interval(*a)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-09", (date(2025, 12, 9), date(2025, 12, 9))),
        ("2025-12", (date(2025, 12, 1), date(2025, 12, 31))),
        ("2025-W50", (date(2025, 12, 8), date(2025, 12, 14))),
        ("2025", (date(2025, 1, 1), date(2025, 12, 31))),
        ("2025-12-09T14:00", (date(2025, 12, 9), date(2025, 12, 9))),
        ("2025-SU", (date(2025, 6, 1), date(2025, 8, 31))),
        ("2025-WI", (date(2025, 12, 1), date(2026, 2, 28))),  # winter runs into the next year
        ("PRESENT_REF", None),
        ("P3D", None),
        (None, None),
        ("2025-13-40", None),
    ],
)
def test_timex_range(value, expected) -> None:
    assert timex_range(value) == expected


@given(
    st.integers(1, 100_000),
    st.sampled_from([None, "at least", "over", "more than", "about", "roughly", "nearly", "up to", "exactly"]),
)
def test_interval_contains_the_value_and_is_compatible_with_itself(value, qualifier) -> None:
    lo, hi = figure_interval(value, None, qualifier)
    assert lo <= value <= hi
    assert compatible((lo, hi), (lo, hi))


@given(st.integers(1, 10_000), st.integers(1, 10_000))
def test_lower_bounds_never_conflict(a, b) -> None:
    assert compatible(figure_interval(a, None, "at least"), figure_interval(b, None, "at least"))


# --------------------------------------------------------------------------- one figure read in context

READINGS = [
    # (sentence, figure as written, kind, why left out, scope)
    ("At least 83 people have been killed since the strikes began, officials said.", "At least 83 people",
     "cumulative", "", ()),
    ("The death toll from the floods has reached 45.", "45", "cumulative", "", ()),
    ("The coast guard seized 12 boats near Port Kell on Monday.", "12 boats", "occasion", "", ()),
    ("Four people were killed when the ferry sank on Sunday.", "Four people", "occasion", "", ()),
    ("About 15,000 troops are deployed in the north.", "About 15,000 troops", "level", "", ("area:north",)),
    ("About 15,000 troops are deployed in the region.", "About 15,000 troops", "level", "", ()),
    ("Around 10,000 troops were deployed in October, officials said.", "Around 10,000 troops", "level", "", ()),
    ("Police arrested 12 people in the capital on Monday.", "12 people", "occasion", "", ("area:capital",)),
    ("Police arrested 12 people on Monday alone.", "12 people", "occasion", "", ("alone",)),
    ("Police arrested 20 people a day during the protests, officials said on Monday.", "20 people", "occasion", "",
     ("rate:day",)),
    ("The toll includes the 14 people who died when the bridge collapsed on Monday.", "14 people", None,
     "part of a larger number", ()),
    ("Seventeen of the cooperative's boats have been sunk since October.", "Seventeen", None,
     "part of a larger number", ()),
    ("Dozens of people were injured on Monday.", "Dozens of people", None, "vague quantity", ()),
    ("Another 12 people were arrested on Monday.", "Another 12 people", None, "an increment, not a total", ()),
    ("The dam would displace 200,000 people, engineers warned.", "200,000 people", None,
     "hypothetical or expected", ()),
    ("Police said they had not arrested 30 people on Monday.", "30 people", None, "negated", ()),
    ("Navy seizes 12 boats off Port Kell", "12 boats", None, "an undated count of events", ()),
    ("Gunfire outside the hall on Monday left six people wounded, two of them mortally.", "six people", None,
     "counts the dead too", ()),
    ("Gunfire outside the hall on Monday left six people wounded, police said.", "six people", "occasion", "",
     ()),
    # the incident's own clause after the count dates it
    ("Four people were wounded after gunfire broke out about 1 a.m. Monday at a bar on Elm Road.", "Four people",
     "occasion", "", ()),
    ("Two men were killed when a gunman opened fire at a party on Monday.", "Two men", "occasion", "", ()),
    ("Four people were wounded, police said. The shooting happened on Monday.", "Four people", None,
     "an undated count of events", ()),
    ("Four people were wounded, police said after a briefing on Monday.", "Four people", None,
     "an undated count of events", ()),  # the day of the briefing, not of the shooting
]


@pytest.mark.parametrize(("text", "words", "kind", "why", "scope"), READINGS, ids=[r[0][:40] for r in READINGS])
def test_reading(nlp, text, words, kind, why, scope) -> None:
    s = make_items([("a", text, DAY, "Alpha")], nlp=nlp)
    [r] = [r for r in read_figures(s.items) if r.span.text == words]
    assert (r.kind, r.why_not, r.scope) == (kind, why, scope)
    assert r.span.text == s.items[0][0].text[r.span.start:r.span.end]


# --------------------------------------------------------------------------- pairs of self-written reports

PAIRS = [
    # (case, first article, second article, expected conflict kind or None)
    ("twelve vs seven on one day",
     "The coast guard seized 12 fishing boats near Port Kell on Monday, officials said.",
     "The coast guard seized seven fishing boats near Port Kell on Monday, officials said.", "number"),
    ("two running totals as of one day",
     "A total of 120 people have been arrested since the protests began, police said.",
     "A total of 95 people have been arrested since the protests began, police said.", "number"),
    ("at least 83 vs at least 80",
     "At least 83 people have been killed since the fighting began, the health ministry said.",
     "At least 80 people have been killed since the fighting began, the health ministry said.", None),
    ("about 40 vs 41",
     "About 40 people have been killed since the fighting began, the health ministry said.",
     "The health ministry said 41 people have been killed since the fighting began.", None),
    ("a range and a value inside it",
     "Between 30 and 40 people have been killed since the fighting began, the ministry said.",
     "The ministry said 35 people have been killed since the fighting began.", None),
    ("not less than 43 vs at least 43",
     "Not less than 43 people have been killed since the fighting began, the ministry said.",
     "At least 43 people have been killed since the fighting began, the ministry said.", None),
    ("different scope: in the capital",
     "Police arrested 12 people in the capital on Monday during the protests.",
     "Police arrested 30 people on Monday during the protests.", None),
    ("different units",
     "The coast guard seized 12 boats near Port Kell on Monday.",
     "The coast guard seized nine trucks near Port Kell on Monday.", None),
    ("different days",
     "The coast guard seized 12 boats near Port Kell on Monday.",
     "The coast guard seized nine boats near Port Kell on Sunday.", None),
    ("different anchors",
     "A total of 14 trucks have been seized since the checkpoint opened, the army said.",
     "A total of 300 trucks have been seized since the war began, the army said.", None),
    ("undated counts of events are not compared",
     "Navy seizes 12 boats off Port Kell",
     "Nine boats seized as fishermen count their losses", None),
    ("a part of the toll is not the toll",
     "The toll includes the 14 people who died when the bridge collapsed on Monday.",
     "Officials said 30 people have died since the storm began on Monday.", None),
    ("an increment is not a total",
     "Another 12 people were arrested on Monday, police said.",
     "Police said 30 people were arrested on Monday.", None),
    ("different places",
     "Rebels freed 12 hostages in Dorvan on Monday, the Red Cross said.",
     "Rebels freed nine hostages in Kessel on Monday, the Red Cross said.", None),
    ("same place, worded differently",
     "Rebels freed 12 hostages in the hills near Dorvan on Monday, the Red Cross said.",
     "Rebels freed nine hostages in Dorvan on Monday, the Red Cross said.", "number"),
    ("a rate is not a day's count",
     "Police arrested 20 people a day during the protests, officials said on Monday.",
     "Police arrested 140 people during the protests on Monday, officials said.", None),
    ("two running totals of different events",
     "Twelve people have been killed so far in the protests, officials said.",
     "The naval strikes have killed 83 people so far, officials said.", None),
    ("placed against unplaced, one event told alike",
     "Three people were killed early Monday at a farmhouse in Brackenridge, the county sheriff's office said.",
     "A farmhouse shooting early Monday killed five people, the county sheriff's office said.", "number"),
    ("two places of one event",
     "Six people were wounded in a bar shooting on Elm Road early Monday morning, police said.",
     "Four people were wounded after gunfire broke out about 1 a.m. Monday at Dunn's Tavern at 4224 Elm Road.",
     "number"),
    ("two places, two events",
     "Six people were wounded in a bar shooting on Elm Road early Monday morning, police said.",
     "Four people were wounded after gunfire broke out about 1 a.m. Monday at a party on Birch Lane.", None),
    ("placed against unplaced, little in common",
     "Three people were killed early Monday at a farmhouse in Brackenridge, the sheriff said.",
     "Five people were killed on Monday, the governor told reporters.", None),
    ("a count of who said it",
     "Police arrested 40 people on Monday, according to two officials.",
     "Police arrested 40 people on Monday, according to five witnesses.", None),
]


@pytest.mark.parametrize(("case", "first", "second", "expected"), PAIRS, ids=[p[0] for p in PAIRS])
def test_pairs(nlp, case, first, second, expected) -> None:
    _, _, conflicts, errors = _run(nlp, [("a", first, DAY, "Alpha News"), ("b", second, DAY, "Beta Times")])
    assert [c.kind for c in conflicts] == ([expected] if expected else [])
    assert not errors  # one source against one: a conflict, no verdict
    for c in conflicts:
        assert len(c.sides) == 2 and c.likely is None
        assert {s for side in c.sides for s in side.sources} == {c.sides[0].sources[0], c.sides[1].sources[0]}
        assert c.explanation and c.about


def test_occasion_conflict_fields(nlp) -> None:
    s, _, conflicts, _ = _run(nlp, [
        ("a", "The coast guard seized 12 fishing boats near Port Kell on Monday, officials said.", DAY, "Alpha"),
        ("b", "The coast guard seized seven fishing boats near Port Kell on Monday, officials said.", DAY, "Beta"),
    ])
    [c] = conflicts
    assert c.about == "boats seized on 2026-03-02"
    assert sorted(side.value for side in c.sides) == ["12 fishing boats", "seven fishing boats"]
    for side in c.sides:
        assert side.as_of == "2026-03-02" and side.independent == 1
        assert side.citations[0].text == side.value  # the figure words first, then its sentence
        assert "seized" in side.citations[1].text


def test_outnumbered_side_is_flagged(nlp) -> None:
    docs = [
        ("a", "Rebels freed 12 hostages in Dorvan on Monday, the Red Cross said.", DAY, "Alpha"),
        ("b", "Rebels freed 12 hostages in Dorvan on Monday, according to the Red Cross.", DAY, "Beta"),
        ("c", "Rebels freed nine hostages in Dorvan on Monday, the Red Cross said.", DAY, "Gamma"),
    ]
    s, _, conflicts, errors = _run(nlp, docs)
    [c] = conflicts
    [e] = errors
    assert e.source == s.ids["c"] and e.citation.text == "nine hostages" and e.kind == "number"
    assert e.correction == "12 hostages" and e.conflict == c.id and len(e.evidence) >= 2
    assert "2 independent sources" in e.why
    # the same three reports, but two are one wire story and its copy: no verdict
    s, _, conflicts, errors = _run(nlp, docs[:1] + [
        ("b", "Rebels freed 12 hostages in Dorvan on Monday, the Red Cross said.\n\n(Alpha)", DAY, "Beta"),
    ] + docs[2:], groups=[("a", "b")])
    [c] = conflicts
    assert not errors and c.likely is None
    twelve = next(side for side in c.sides if side.value == "12 hostages")
    assert len(twelve.sources) == 2 and twelve.independent == 1


def test_a_copy_that_changed_the_number(nlp) -> None:
    _, _, conflicts, errors = _run(nlp, [
        ("a", "Rebels freed 12 hostages in Dorvan on Monday, the Red Cross said.", DAY, "Alpha"),
        ("b", "Rebels freed ten hostages in Dorvan on Monday, the Red Cross said.\n\n(Alpha)", DAY, "Beta"),
    ], groups=[("a", "b")])
    [c] = conflicts
    assert not errors and all(side.independent == 1 for side in c.sides)
    assert "a copy changed the number" in c.explanation


def test_likely_side_needs_two_more_independent_sources(nlp) -> None:
    docs = [(n, f"Rebels freed 12 hostages in Dorvan on Monday, {who} said.", DAY, n)
            for n, who in (("a", "the Red Cross"), ("b", "a local official"), ("c", "the mayor"))]
    docs.append(("d", "Rebels freed nine hostages in Dorvan on Monday, the Red Cross said.", DAY, "d"))
    _, _, conflicts, errors = _run(nlp, docs)
    [c] = conflicts
    assert c.likely is not None and c.sides[c.likely].value == "12 hostages"
    assert c.sides[c.likely].independent == 3
    assert [e.citation.text for e in errors] == ["nine hostages"]


def test_internal_conflict(nlp) -> None:
    text = ("A total of 14 trucks have been seized since the checkpoint opened, the army said.\n\n"
            "Farmers waited at the gate for hours. The 11 trucks seized since the checkpoint opened were carrying "
            "grain, an officer said.")
    s, _, conflicts, errors = _run(nlp, [("a", text, "2026-03-01", "Alpha")])
    [c] = conflicts
    assert c.kind == "internal" and not errors
    assert [side.value for side in c.sides] == ["14 trucks", "11 trucks"]
    assert all(side.sources == (s.ids["a"],) for side in c.sides)
    assert "since the checkpoint opened" in c.about


@pytest.mark.parametrize(
    "text",
    [
        # two sources set side by side on purpose: a contested figure, not a slip
        "A total of 120 people have been arrested since the protests began, the ministry said. Rights groups said "
        "the real number was higher, but 95 people have been arrested since the protests began, the police said.",
        # both in one sentence
        "A total of 14 trucks have been seized since the checkpoint opened, and the 11 trucks seized since the "
        "checkpoint opened were carrying grain.",
    ],
)
def test_no_internal_conflict_for_numbers_set_side_by_side(nlp, text) -> None:
    _, _, conflicts, _ = _run(nlp, [("a", text, "2026-03-01", "Alpha")])
    assert conflicts == ()


def test_internal_needs_the_same_anchor(nlp) -> None:
    text = ("A total of 14 trucks have been seized since the checkpoint opened, the army said. "
            "Some 300 trucks have been seized since the war began, the army said.")
    _, _, conflicts, _ = _run(nlp, [("a", text, "2026-03-01", "Alpha")])
    assert conflicts == ()


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        ("A total of 52 people have been killed since the fighting began, officials said on Thursday.", 1),
        ("The ministry revised the toll: 52 people have been killed since the fighting began, it said, after "
         "some victims were counted twice.", 0),
        ("A total of 64 people have been killed since the fighting began, officials said on Thursday.", 0),
        ("More than 50 people have been killed since the fighting began, officials said on Thursday.", 0),
    ],
)
def test_running_total_reported_lower(nlp, later, expected) -> None:
    s, series, conflicts, _ = _run(nlp, [
        ("a", "At least 60 people have been killed since the fighting began, the health ministry said.",
         "2026-03-01", "Alpha"),
        ("b", later, "2026-03-05", "Beta"),
    ])
    assert len(conflicts) == expected
    for c in conflicts:
        assert c.kind == "number" and "running total" in c.about and "not say the count was revised" in c.explanation
        assert [side.sources for side in c.sides] == [(s.ids["a"],), (s.ids["b"],)]
        assert [side.as_of for side in c.sides] == ["2026-03-01", "2026-03-05"]


def test_growing_toll_is_a_series_not_a_conflict(nlp) -> None:
    s, series, conflicts, _ = _run(nlp, [
        ("a", "Over 80 people have been killed since the strikes began in September, officials said.",
         "2026-03-01", "Alpha"),
        ("b", "At least 83 people have been killed since the strikes began in September, officials said.",
         "2026-03-08", "Beta"),
        ("c", "The death toll from the strikes has risen to at least 114, officials said.", "2026-03-20", "Gamma"),
    ])
    assert conflicts == ()
    [fs] = series
    assert fs.id == "fs-1" and fs.what == "people killed" and fs.cumulative and fs.unit == "people"
    assert [(p.value, p.qualifier, p.as_of) for p in fs.points] == [
        (80, "over", "2026-03-01"), (83, "at least", "2026-03-08"), (114, "at least", "2026-03-20")]
    assert [p.source for p in fs.points] == [s.ids["a"], s.ids["b"], s.ids["c"]]


def test_level_series(nlp) -> None:
    s, series, conflicts, _ = _run(nlp, [
        ("a", "Around 10,000 troops were deployed to the Caribbean in October, officials said.", "2025-11-06", "A"),
        ("b", "About 15,000 troops are now deployed in the region, the Pentagon said.", "2025-11-20", "B"),
    ])
    [fs] = series
    assert not fs.cumulative and fs.what == "troops deployed" and conflicts == ()
    assert [(p.value, p.qualifier, p.as_of, p.source) for p in fs.points] == [
        (10_000, "around", "2025-10", s.ids["a"]), (15_000, "about", "2025-11-20", s.ids["b"])]


def test_a_figure_from_one_article_is_no_series(nlp) -> None:
    _, series, _, _ = _run(nlp, [
        ("a", "At least 60 people have been killed since the fighting began. By Friday at least 70 people had "
              "been killed since the fighting began.", "2026-03-01", "Alpha"),
        ("b", "Police arrested 30 people on Monday.", "2026-03-05", "Beta"),
    ])
    assert series == ()


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.integers(10, 5_000), min_size=2, max_size=4, unique=True),
    st.lists(st.integers(1, 9), min_size=4, max_size=4),
    st.sampled_from(["At least {n} people have been killed since the floods began, rescuers said.",
                     "The death toll from the floods has reached at least {n}, rescuers said.",
                     "More than {n} people have died since the floods began, officials said."]),
)
def test_increasing_lower_bounds_never_conflict(nlp, values, gaps, template) -> None:
    values = sorted(values)
    day = date(2026, 4, 1)
    docs = []
    for k, n in enumerate(values):
        day += timedelta(days=gaps[k])
        docs.append((f"d{k}", template.format(n=f"{n:,}"), day.isoformat(), f"Outlet {k}"))
    _, series, conflicts, errors = _run(nlp, docs)
    assert conflicts == () and errors == ()
    assert len(series) == 1 and [p.value for p in series[0].points] == values


# --------------------------------------------------------------------------- the sample corpus


@pytest.fixture(scope="module")
def sample(sample_items):
    groups = tuple(tuple(sample_items.ids[f] for f in g) for g in KEY["wire_groups"])
    series = build_series(sample_items.items, sample_items.index)
    conflicts, errors = number_conflicts(sample_items.items, series, Independence(groups=groups))
    return sample_items, series, conflicts, errors


def test_sample_running_figures(sample) -> None:
    s, series, _, _ = sample
    for expected in KEY["running_figures"]:
        wanted = [(s.ids[p["file"]], p["value"], p["qualifier"], p["as_of"]) for p in expected["series"]]
        found = [fs for fs in series
                 if {w[:3] for w in wanted} <= {(p.source, p.value, p.qualifier) for p in fs.points}]
        assert len(found) == 1, expected["what"]
        fs = found[0]
        assert fs.cumulative
        got = {(p.source, p.value, p.qualifier, p.as_of) for p in fs.points}
        assert set(wanted) <= got
        dates = [timex_range(p.as_of)[0] for p in fs.points]
        assert dates == sorted(dates)
    assert len(series) == len(KEY["running_figures"])
    toll = next(fs for fs in series if fs.what == "people killed")
    assert all(p.value >= 40 for p in toll.points)  # the 14 killed in the ferry sinking are another referent


def test_sample_number_conflicts(sample) -> None:
    s, series, conflicts, errors = sample
    assert _verify(s.items, conflicts, errors, series) > 20
    assert sorted(c.kind for c in conflicts) == ["internal", "number"]
    assert errors == ()
    for expected in (k for k in KEY["conflicts"] if k["kind"] in ("number", "internal")):
        [c] = [c for c in conflicts if c.kind == expected["kind"]]
        assert {s.names[src] for side in c.sides for src in side.sources} >= set(expected["files"])
        for words in expected["sides"]:
            assert any(words in cite.text for side in c.sides for cite in side.citations), words
    number = next(c for c in conflicts if c.kind == "number")
    assert number.about == "vessels seized on 2025-12-09" and number.likely is None
    twelve, nine = sorted(number.sides, key=lambda side: -len(side.sources))
    assert (twelve.value, len(twelve.sources), twelve.independent) == ("12 vessels", 3, 1)
    assert (nine.value, nine.sources, nine.independent) == ("nine vessels", (s.ids[KEY["conflicts"][0]["files"][1]],), 1)
    internal = next(c for c in conflicts if c.kind == "internal")
    assert [side.value for side in internal.sides] == ["14 vessels", "11 vessels"]


def test_sample_readings_explain_what_is_left_out(sample) -> None:
    s, _, _, _ = sample
    readings = {(s.names[r.source], r.span.text): r for r in read_figures(s.items)}
    ferry = readings[("lantern-times-2025-12-22.txt", "14 people")]
    assert ferry.kind is None and ferry.why_not == "part of a larger number"
    negated = readings[("ostravan-voice-2025-12-12.txt", "Not less than 43 persons")]
    assert negated.qualifier == "not less than" and negated.interval == (43, INF) and negated.what == "people killed"
    assert readings[("hws-wire-2025-12-10.txt", "12 vessels")].kind == "occasion"
    assert readings[("aubrel-sentinel-2025-12-16.txt", "At least 14 people")].kind == "occasion"
    assert readings[("hws-wire-2025-12-10.txt", "two brokers")].why_not == "counts who said it"


def test_empty_and_undated_input(nlp) -> None:
    assert build_series((), None) == ()
    assert number_conflicts((), (), Independence()) == ((), ())
    s, series, conflicts, errors = _run(nlp, [
        ("a", "The coast guard seized 12 boats near Port Kell on Monday.", None, "Alpha"),
        ("b", "The coast guard seized nine boats near Port Kell on Monday.", None, "Beta"),
        ("c", "At least 60 people have been killed since the fighting began.", None, "Gamma"),
    ])
    assert (series, conflicts, errors) == ((), (), ())  # no day to compare them on


# --------------------------------------------------------------------------- running casualty counts

def _toll_role(r) -> str:
    """What a reading can be for a running casualty figure."""
    if r.why_not == "part of a larger number" or any(x.startswith("area:") for x in r.scope):
        return "part"
    if r.kind == "cumulative":
        return "running total"
    if r.toll:
        return "one incident" if r.incident else "toll count"
    return "not a toll"


TOLL_READINGS = [
    # (sentence, figure as written, role, qualifier)
    ("Over 80 people have died in strikes since August, officials said.", "Over 80 people", "running total", "over"),
    ("Another strike on Friday killed three, bringing the total death toll to 99.", "99", "running total", None),
    ("Another strike on Friday killed three, bringing the total death toll to 99.", "three", "one incident", None),
    ("The death toll rose to 69 on Thursday, the governor said.", "69", "running total", None),
    ("At least 114 fatalities have been recorded since the campaign began.", "At least 114 fatalities",
     "running total", "at least"),
    ("A strike that killed five people hit a boat off Pell Point on Tuesday.", "five people", "one incident", None),
    ("The floods have killed 109 people across the state, including 87 people in Dunmore County.", "109 people",
     "running total", None),
    ("The floods have killed 109 people across the state, including 87 people in Dunmore County.", "87 people",
     "part", None),
    ("Rescuers said 87 people have died in Dunmore County.", "87 people", "part", None),
    ("Three of the victims were children.", "Three", "part", None),
    ("The gunman opened fire at the Varnel market, killing 12 people and wounding 31 others.", "12 people",
     "toll count", None),
    ("The gunman opened fire at the Varnel market, killing 12 people and wounding 31 others.", "31",
     "toll count", None),
    ("Ostrin was among the 31 others wounded in the shooting.", "31", "toll count", None),
    ("Twelve people were killed in a shooting at the Varnel market.", "Twelve people", "one incident", None),
    # no-match rows: counted, but no count of the story's casualties
    ("Forty-seven bodies were handed over to relatives on Monday.", "Forty-seven bodies", "not a toll", None),
    ("Seven attackers were killed.", "Seven attackers", "not a toll", None),
    ("In 2019 a flood in the same valley killed 40 people.", "40 people", "not a toll", None),
    ("Another 12 people were arrested on Monday.", "Another 12 people", "not a toll", "another"),
    ("Dozens of people were injured on Monday.", "Dozens of people", "not a toll", "dozens of"),
]


@pytest.mark.parametrize(("text", "words", "role", "qualifier"), TOLL_READINGS,
                         ids=[f"{r[0][:30]}-{r[1]}" for r in TOLL_READINGS])
def test_toll_reading(nlp, text, words, role, qualifier) -> None:
    s = make_items([("a", text, DAY, "Alpha")], nlp=nlp)
    [r] = [r for r in read_figures(s.items) if r.span.text == words]
    assert (_toll_role(r), r.qualifier) == (role, qualifier)


def test_strike_campaign_is_one_series(nlp) -> None:
    s, series, conflicts, errors = _run(nlp, [
        ("a", "Over 80 people have died in US strikes since August, officials said.", "2026-03-01", "Alpha"),
        ("b", "A strike that killed five people hit a boat off Pell Point on Tuesday. The strikes have killed at "
              "least 83 people since August, officials said.", "2026-03-04", "Beta"),
        ("c", "Another strike on Friday killed three, bringing the total death toll to 99.", "2026-03-08", "Gamma"),
        ("d", "At least 114 fatalities have been recorded since the strikes began in August.", "2026-03-12",
         "Delta"),
    ])
    assert (conflicts, errors) == ((), ())  # growth over time is no conflict
    [fs] = series
    assert fs.what == "people killed" and fs.cumulative
    assert [(p.value, p.qualifier, p.as_of) for p in fs.points] == [
        (80, "over", "2026-03-01"), (83, "at least", "2026-03-04"), (99, None, "2026-03-06"),  # Friday
        (114, "at least", "2026-03-12")]
    assert [p.source for p in fs.points] == [s.ids[n] for n in "abcd"]


def test_a_part_of_the_area_is_not_the_total(nlp) -> None:
    _, series, conflicts, _ = _run(nlp, [
        ("a", "The death toll rose to 69 on Saturday, the governor said.", "2026-07-05", "Alpha"),
        ("b", "The floods have killed 109 people across the state, including 87 people in Dunmore County.",
         "2026-07-07",
         "Beta"),
        ("c", "Rescuers said 87 people have died in Dunmore County.", "2026-07-08", "Gamma"),
    ])
    assert conflicts == ()
    toll = [fs for fs in series if fs.what == "people killed"]
    assert [[p.value for p in fs.points] for fs in toll] == [[69, 109]]


def test_a_single_shooting_reported_by_several_outlets(nlp) -> None:
    s, series, conflicts, _ = _run(nlp, [
        ("a", "A gunman opened fire at the Varnel market, killing 12 people and wounding 31 others.", "2026-03-01",
         "Alpha"),
        ("b", "Twelve people were killed and 31 injured at the market, police said.", "2026-03-02", "Beta"),
        ("c", "Ostrin was among the 31 others wounded in the shooting. Three of the victims were children.",
         "2026-03-04", "Gamma"),
    ])
    assert conflicts == ()
    got = {fs.what: [(p.value, p.source) for p in fs.points] for fs in series}
    assert got == {"people killed": [(12, s.ids["a"]), (12, s.ids["b"])],
                   "people injured": [(31, s.ids["a"]), (31, s.ids["b"]), (31, s.ids["c"])]}


def test_per_incident_counts_never_answer_the_total(nlp) -> None:
    _, series, _, _ = _run(nlp, [
        ("a", "At least 60 people have been killed since the raids began, officials said.", "2026-03-01", "A"),
        ("b", "A raid on the port killed four people on Monday.", "2026-03-03", "B"),
        ("c", "The death toll has risen to 71, officials said.", "2026-03-05", "C"),
    ])
    [fs] = series
    assert [p.value for p in fs.points] == [60, 71]


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("4 dead, 2 hurt in Brackenridge farmhouse shooting", ["internal"]),  # the body says three dead that day
        ("3 dead, 2 hurt in Brackenridge farmhouse shooting", []),
        ("Farmhouse shooting shakes Brackenridge", []),
    ],
)
def test_headline_count_takes_the_day_of_the_event(nlp, headline, expected) -> None:
    text = (f"{headline}\n\nThree people were killed at a farmhouse in Brackenridge early Monday, the sheriff "
            "said.\n\nNeighbours said the family had lived there for years.")
    _, _, conflicts, _ = _run(nlp, [("a", text, "2026-03-03", "Alpha")])
    assert [c.kind for c in conflicts] == expected
    for c in conflicts:
        assert "2026-03-02" in c.about


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # the night's report, then the next day's: the count grew, an update
        (("Seven people were hurt when a gunman opened fire in a cinema in Brantley on Thursday night.", "2026-03-05"),
         ("The gunman wounded nine people in the Brantley cinema on Thursday, police said.", "2026-03-06"), None),
        # the later report is lower: a disagreement
        (("Nine people were hurt when a gunman opened fire in a cinema in Brantley on Thursday night.", "2026-03-05"),
         ("The gunman wounded seven people in the Brantley cinema on Thursday, police said.", "2026-03-06"), "number"),
        # the same day, two counts: a disagreement
        (("Seven people were hurt when a gunman opened fire in a cinema in Brantley on Thursday night.", "2026-03-06"),
         ("The gunman wounded nine people in the Brantley cinema on Thursday, police said.", "2026-03-06"), "number"),
    ],
    ids=["grew-later", "lower-later", "same-day"],
)
def test_a_first_report_and_its_update(nlp, first, second, expected) -> None:
    _, _, conflicts, _ = _run(nlp, [("a", first[0], first[1], "Alpha News"), ("b", second[0], second[1], "Beta Times")])
    assert [c.kind for c in conflicts] == ([expected] if expected else [])
