"""What comes next: scheduled events, deadlines, trips and scenarios, on the sample story and small articles."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.reader.whatsnext import find_next, next_to_dict
from storyline.records import Independence, NextItem

PUBLISHED = "2025-12-10"  # a Wednesday


@pytest.fixture(scope="module")
def nlp():
    from storyline.extract.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def sample_next(sample_items) -> tuple[NextItem, ...]:
    return find_next(sample_items.items, sample_items.index)


def _files(item: NextItem, names: dict[str, str]) -> set[str]:
    return {names[s] for s in item.sources}


def _one(items, **want) -> NextItem:
    hits = [it for it in items if all(getattr(it, k) == v for k, v in want.items())]
    assert len(hits) == 1, (want, [(it.kind, it.when, it.label, it.text) for it in items])
    return hits[0]


# --------------------------------------------------------------------------- the sample story


def test_sample_zone_taking_effect_merges_sources(sample_next, sample_items):
    zone = _one(sample_next, kind="scheduled", when="2025-12-16")
    assert zone.label == "take effect"
    assert zone.said_on == "2025-12-10"  # first said by the wire and its rewrite, as of their publication
    assert zone.passed  # the story runs to 29 December
    files = _files(zone, sample_items.names)
    # "in six days" (wire, Calder), "next Tuesday" (Northline, Ostravan), "next week" (Orbit), "on Tuesday"
    assert {"hws-wire-2025-12-10.txt", "northline-daily-2025-12-11.txt", "ostravan-voice-2025-12-12.txt",
            "orbit-news-sarrow-fishermen.html", "newspulse-hub-sarrow-explainer.md"} <= files
    assert zone.when_text in ("in six days", "next Tuesday", "Tuesday")
    assert any(c.text == zone.when_text for c in zone.citations)
    # the copies of the wire count once when independence is known
    ids = sample_items.ids
    indep = Independence(groups=((ids["hws-wire-2025-12-10.txt"], ids["calder-post-2025-12-10.txt"],
                                  ids["northline-daily-2025-12-11.txt"]),))
    merged = _one(find_next(sample_items.items, sample_items.index, independence=indep),
                  kind="scheduled", when="2025-12-16")
    assert merged.independent == zone.independent - (len(files & {"hws-wire-2025-12-10.txt",
                                                                   "calder-post-2025-12-10.txt",
                                                                   "northline-daily-2025-12-11.txt"}) - 1)


def test_sample_envoy_trip(sample_next, sample_items):
    trip = _one(sample_next, kind="trip", when="2025-12-23")
    assert trip.label == "land"
    assert "Ndoye" in trip.text
    files = _files(trip, sample_items.names)
    assert {"lantern-times-2025-12-22.txt", "gannet-bay-courier-talks-scenarios.md"} <= files
    # "before the end of the month" (wire) is compatible with 23 December and joins, said on 10 December
    assert "hws-wire-2025-12-10.txt" in files and trip.said_on == "2025-12-10"
    # the crossing to Sarrow on Friday is a different trip on a different day: kept apart
    cross = _one(sample_next, kind="trip", when="2025-12-26")
    assert cross.label == "cross" and cross.passed
    assert _one(sample_next, kind="trip", when="2026-01-01").passed is False  # after the last article


def test_sample_president_deadline(sample_next, sample_items):
    deadline = _one(sample_next, kind="deadline")
    assert deadline.when == "2025-12-31" and not deadline.passed
    assert deadline.said_on == "2025-12-18"
    files = _files(deadline, sample_items.names)
    assert {"gannet-bay-courier-talks-scenarios.md", "lantern-times-2025-12-22.txt", "sarrow-briefs.jsonl#1",
            "sarrow-briefs.jsonl#2"} <= files
    assert "New Year's Eve" in deadline.when_text


def test_sample_scenarios(sample_next):
    likely = _one(sample_next, kind="scenario", label="stalemate")
    assert likely.text.startswith("The more likely outcome")
    assert likely.when is None
    labels = {it.label for it in sample_next if it.kind == "scenario"}
    assert {"breakthrough", "stalemate", "escalation"} <= labels


def test_sample_brief_is_scheduled_same_day(sample_next):
    brief = _one(sample_next, kind="scheduled", label="brief")
    assert brief.when == "2025-12-08" and brief.when_text == "Monday afternoon"


@pytest.mark.parametrize(
    "words",
    [
        "Only time will tell what the future holds",
        "We will not retreat",
        "He still has time to choose the deal",
        "I did not come here to spend Christmas in a hotel",
        "Next week we may be choosing which patients",
        "Here is how the coming weeks could unfold",
    ],
)
def test_sample_not_items(sample_next, words):
    for it in sample_next:
        assert all(words not in c.text for c in it.citations), (words, it)


def test_sample_citations_verify(sample_next, sample_items):
    texts = {clean.article.id: clean.article.text for clean, _ in sample_items.items}
    assert sample_next
    for it in sample_next:
        assert it.citations[0].text == it.text
        assert list(it.sources) == list(dict.fromkeys(c.source for c in it.citations))
        for c in it.citations:
            assert texts[c.source][c.start : c.end] == c.text
        if it.when_text is not None:
            assert any(c.text == it.when_text for c in it.citations[1:])


def test_sample_order_and_ids(sample_next):
    assert [it.id for it in sample_next] == [f"n-{i}" for i in range(1, len(sample_next) + 1)]
    dated = [it.when for it in sample_next if it.when is not None]
    assert dated == sorted(dated)
    seen_undated = False
    for it in sample_next:
        seen_undated = seen_undated or it.when is None
        assert not (seen_undated and it.when is not None)


def test_next_to_dict(sample_next):
    d = next_to_dict(sample_next[0])
    assert set(d) == {"id", "kind", "text", "when", "when_text", "said_on", "label", "citations", "sources",
                      "independent", "passed"}
    assert d["citations"][0] == {"source": sample_next[0].citations[0].source,
                                 "start": sample_next[0].citations[0].start,
                                 "end": sample_next[0].citations[0].end, "text": sample_next[0].text}
    assert d["sources"] == list(sample_next[0].sources)


# --------------------------------------------------------------------------- small articles

TABLE = [
    ("The summit will open in Geneva on Friday.", ("scheduled", "2025-12-12")),
    ("The minister is due to fly to Lisbon on Monday.", ("trip", "2025-12-15")),
    ("The foreign minister will visit Oslo on December 18.", ("trip", "2025-12-18")),
    ("The rebels have until Friday to lay down their arms.", ("deadline", "2025-12-12")),
    ("The truce is set to expire on Sunday.", ("deadline", "2025-12-14")),
    ("The new tax takes effect in ten days.", ("scheduled", "2025-12-20")),
    ("The prime minister faces a vote of confidence on 3 January.", ("scheduled", "2026-01-03")),
    ("Talks are expected to resume in Vienna by the end of the month.", ("scheduled", "2025-12")),
    ("The hearing was postponed until January 12.", ("scheduled", "2026-01-12")),
    ("The verdict is due on Friday.", ("scheduled", "2025-12-12")),  # the dates stage read Friday as past
    ("The delegation arrives in Cairo on Thursday for talks.", ("trip", "2025-12-11")),
    ("The minister must submit the plan by Friday.", ("deadline", "2025-12-12")),
    ("The zone will enter in force on next Tuesday.", ("scheduled", "2025-12-16")),  # machine translation
    ('"The door is open until Friday," the president said.', ("deadline", "2025-12-12")),  # a dated deadline
    ("The envoy hopes to visit the region before the end of the year.", ("trip", "2025")),
    ("Analysts say the most likely outcome is a stalemate.", ("scenario", None)),
    ("Analysts said on Monday that a stalemate was the likeliest outcome.", ("scenario", None)),
    ("The army has not ruled out an assault, but a deal could still be reached.", ("scenario", None)),
    ("The talks could end in a breakthrough, diplomats said.", ("scenario", None)),
    ("A ceasefire may be agreed as early as next week, mediators said.", ("scenario", "2025-W51")),
    ("The fighting could escalate into a wider war.", ("scenario", None)),
    ("The first votes will be counted on Friday in three small villages.", ("scheduled", "2025-12-12")),
    ("On Friday, the council will vote on the budget.", ("scheduled", "2025-12-12")),
    ("The vote is scheduled for Dec. 18.", ("scheduled", "2025-12-18")),
    ("The deadline for applications is Friday.", ("deadline", "2025-12-12")),
    ("Rebels were given until 31 December to leave the city.", ("deadline", "2025-12-31")),
    ("The president is expected to travel to Brussels later this week.", ("trip", "2025-W50")),
    ("A tender for the contract closes on Monday.", ("scheduled", "2025-12-15")),
    ("A second patrol plane will fly from Okinawa to Perth on Friday.", ("trip", "2025-12-12")),
    ("Diplomats warn that the talks could collapse within weeks.", ("scenario", None)),
    # no-match rows: past events, negated plans, rhetorical quotes, generic future talk
    ("The minister flew to Lisbon on Monday.", None),
    ("The council met on Tuesday.", None),
    ("Both sides signed a ceasefire on Sunday.", None),
    ("The minister will not travel to Lisbon on Friday.", None),
    ('"We will never surrender," the general said.', None),
    ('"Next week we may run out of fuel," the doctor said.', None),
    ("Only time will tell what the future holds.", None),
    # past prospects and everyday attack words in conflict coverage are not what comes next
    ("Officials said they'd received warnings of a possible attack on the airport days earlier.", None),
    ("Investigators believe the driver may have planned a second attack on the stadium.", None),
    ("Last month the treaty was at risk of collapse, the envoy said.", None),
    ("The rebels could launch an assault on the port within days, officers warned.", ("scenario", None)),
    ("Experts say that diplomacy is always an important tool.", None),
    ("The government said it would cooperate with any inquiry.", None),
    ("The company expects growth next year.", None),
    ("The strike ended after the workers received a pay rise.", None),
    ("He was born on December 25.", None),  # a date after publication in a past-tense clause
    ("The ship sank on January 3, the coast guard said.", None),
    ("Stay tuned for more updates next week.", None),  # page furniture
    ("The festival, which will not take place on Saturday, was a tradition.", None),
    ('"I will be in Geneva on Friday," the minister said.', None),  # a quote, no deadline
    ("Many fishermen say that they will go to sea after Tuesday.", None),
    ("A breakthrough came on Sunday, when the two sides signed an accord.", None),
    ("The offensive began on Monday and could last for weeks.", None),
    ("The ceasefire expired on Sunday.", None),
    ("Only time will tell whether the deal will hold.", None),
    ("What happens next?", None),
    ("Could the conflict escalate?", None),  # a question states nothing
    ("Analysts had predicted a stalemate.", None),
    ("Officials said an assault would not happen.", None),
    ("He also hosts a Sunday talk show on cable.", None),  # a habit, not a date
    ("The death toll is expected to rise further in the coming days.", None),  # no date, no scenario
    ("The next day, the minister made further demands.", None),  # the next day of the story told
    ("The mayor has done more in two weeks than his rival did in a year.", None),
    ("The senator told reporters on Wednesday that he will vote against the bill.", None),  # dates the words
    ("Under the agreement, the minimum wage would climb over six years.", None),  # an existing agreement
    ("Her relentless attacks on the senator might make her a contender.", None),
    ("If the judge had been alive, the case would have ended in a deadlock.", None),  # counterfactual
    ("The measures would block the government from striking any more deals with the company.", None),
    ("This would place them near the objects spotted by a satellite on Sunday 14 December.", None),
    ("He called for an immediate ceasefire so that an inquiry could be held.", None),  # a demand
]


LABELS = {
    "scheduled": {"open", "take effect", "face", "resume", "hearing", "verdict", "count", "vote", "close"},
    "trip": {"fly", "visit", "arrive", "travel"},
    "deadline": {"lay down", "expire", "submit", "deadline", "leave"},
    "scenario": {"stalemate", "collapse", "breakthrough", "ceasefire", "deal", "escalation", "assault"},
}


@pytest.fixture(scope="module")
def table_items(nlp):
    docs = [(f"t{i}", text, PUBLISHED) for i, (text, _) in enumerate(TABLE)]
    return make_items(docs, nlp=nlp)


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_table(table_items, text, expected):
    clean, ext = next((c, e) for c, e in table_items.items if c.article.text == text)
    found = find_next([(clean, ext)], table_items.index)
    got = [(it.kind, it.when) for it in found]
    assert got == ([expected] if expected else []), (text, found)
    for it in found:
        assert it.label in LABELS[it.kind] and it.text == text
    for it in found:
        assert it.said_on == PUBLISHED
        for c in it.citations:
            assert clean.article.text[c.start : c.end] == c.text


def test_same_event_merges_and_different_dates_stay_apart(nlp):
    s = make_items([
        ("a", "The new port tariff takes effect in six days, officials said.", "2025-12-10", "Outlet A"),
        ("b", "Officials said the new port tariff will take effect on Tuesday.", "2025-12-12", "Outlet B"),
        ("c", "The new port tariff takes effect on Monday, the ministry said.", "2025-12-12", "Outlet C"),
    ], nlp=nlp)
    found = find_next(s.items, s.index)
    assert [(it.kind, it.when) for it in found] == [("scheduled", "2025-12-15"), ("scheduled", "2025-12-16")]
    monday, tuesday = found
    assert {s.names[x] for x in tuesday.sources} == {"a", "b"}
    assert tuesday.said_on == "2025-12-10" and tuesday.independent == 2 and tuesday.when_text == "in six days"
    assert {s.names[x] for x in monday.sources} == {"c"}
    assert all(not it.passed for it in found)  # the corpus ends on 12 December


def test_schedule_and_scenario_in_one_sentence(nlp):
    text = "Officials said talks would resume in 8 days, and warned that a stalemate could follow."
    s = make_items([("a", text, PUBLISHED)], nlp=nlp)
    found = find_next(s.items, s.index)
    assert [(it.kind, it.when, it.label) for it in found] == [
        ("scheduled", "2025-12-18", "resume"), ("scenario", None, "stalemate")]
    assert [it.id for it in found] == ["n-1", "n-2"]
    assert found[0].when_text == "in 8 days" and found[1].citations == found[0].citations[:1]


def test_scenario_heading_labels_its_section(nlp):
    text = ("Three ways the standoff could end\n\nEscalation\n\nThe army would push into the valley, and the "
            "rebels would answer with rockets.\n\nWhat to watch\n\nThe army would push into the valley.")
    s = make_items([("a", text, PUBLISHED)], nlp=nlp)
    found = find_next(s.items, s.index)
    assert [(it.kind, it.label) for it in found] == [("scenario", "escalation")]
    assert found[0].text.startswith("The army would push") and len(found[0].citations) == 1


def test_no_publication_date_needs_a_marker(nlp):
    s = make_items([
        ("a", "The summit will open in Geneva on 12 March 2026.", None),
        ("b", "The summit opened in Geneva on 12 March 2024.", None),
    ], nlp=nlp)
    found = find_next(s.items, s.index)
    assert [(it.kind, it.when, it.said_on, it.passed) for it in found] == [
        ("scheduled", "2026-03-12", None, False)]


# --------------------------------------------------------------------------- properties

SENTENCES = [
    "The summit will open in Geneva on {day}.",
    "The envoy is due to fly to Lisbon on {day}.",
    "The rebels have until {day} to lay down their arms.",
    "The council met on {day}.",
    "Analysts say the most likely outcome is a stalemate.",
    "The new tax takes effect in {n} days.",
    "Only time will tell what the future holds.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SENTENCES), st.sampled_from(DAYS), st.integers(2, 30),
                          st.integers(0, 40)), min_size=1, max_size=4))
def test_ids_in_order_and_dated_sorted(nlp, picks):
    docs = []
    for i, (template, day, n, offset) in enumerate(picks):
        published = (dt.date(2025, 11, 1) + dt.timedelta(days=offset)).isoformat()
        docs.append((f"p{i}", template.format(day=day, n=n) + f" Story {i}.", published))
    s = make_items(docs, nlp=nlp)
    found = find_next(s.items, s.index)
    assert [it.id for it in found] == [f"n-{k}" for k in range(1, len(found) + 1)]
    whens = [it.when for it in found if it.when is not None]
    assert whens == sorted(whens)
    undated = [i for i, it in enumerate(found) if it.when is None]
    assert undated == list(range(len(found) - len(undated), len(found)))  # undated last
    latest = max(p for _, _, p in docs)
    for it in found:
        assert it.said_on is not None and it.said_on <= latest
        assert it.passed == (it.when is not None and len(it.when) == 10 and it.when < latest)
