"""The top of the story: headline and dek from where things stand now, dated bullets, key numbers, ranked
disputes and the dates of changes, on a small dossier written for these tests."""

from __future__ import annotations

import copy
import json
import re

import pytest

from storyline.reader.problems import item_key
from storyline.reader.top import absolute_days, dispute_rank, first_seen, story_top

A, B, C, D = "a" * 16, "b" * 16, "c" * 16, "d" * 16
TEXTS = {
    A: (
        "Dockers strike shuts Portvale harbour\n\n"
        "Dockers at the port of Portvale walked out on Monday over unpaid wages. "
        "At least 12 people were hurt in clashes at the north gate, the union said. "
        "The harbour office counted 30 ships waiting offshore. "
        "The union called the walkout Operation Red Tide. "
        "Harbour master Lena Okoro said the port would reopen on Friday."
    ),
    B: (
        "Portvale strike ends as dockers accept pay deal\n\n"
        "Dockers in Portvale voted on Thursday to accept a pay deal and end their strike. "
        "Dockers at the port of Portvale walked out on Monday over unpaid wages. "
        "At least 15 people were hurt in clashes at the north gate, the union said. "
        "The port authority said 40 ships were waiting offshore. "
        "The strike was led by Operation Red Wave."
    ),
    C: "Top facts about the Portvale strike\n\nYou will not believe these facts about the Portvale strike today.",
    D: (
        "Dockers at the port of Portvale walked out on Monday over unpaid wages. "
        "At least 15 people were hurt in clashes at the north gate, the union said. "
        "The port authority said 40 ships were waiting offshore. "
        "Police cleared the picket line at the north gate on Tuesday night. "
        "Organisers named it Operation Red Tide."
    ),
}


def cite(source: str, words: str) -> dict:
    start = TEXTS[source].index(words)
    return {"source": source, "start": start, "end": start + len(words), "text": words}


def claim(cid: str, status: str, words: dict[str, str], date: str | None = None, **extra) -> dict:
    return {"id": cid, "status": status, "independent": len(words), "sources": list(words), "text": next(iter(words.values())),
            "date": date, "errors": [], "conflicts": [], "citations": [cite(s, w) for s, w in words.items()], **extra}


WALKOUT = "Dockers at the port of Portvale walked out on Monday over unpaid wages."
HURT_15 = "At least 15 people were hurt in clashes at the north gate, the union said."
SHIPS_40 = "The port authority said 40 ships were waiting offshore."


def dossier() -> dict:
    return {
        "title": "Dockers strike shuts Portvale harbour",
        "period": {"first": "2026-03-02", "last": "2026-03-06"},
        "sources": [
            {"id": A, "ref": "s1", "outlet": "The Harbour Gazette", "title": "Dockers strike shuts Portvale harbour",
             "published": "2026-03-02", "text": TEXTS[A]},
            {"id": D, "ref": "s2", "outlet": "Northline Daily", "title": None, "published": "2026-03-04",
             "text": TEXTS[D]},
            {"id": B, "ref": "s3", "outlet": "Coastline Wire", "title": "Portvale strike ends as dockers accept pay deal",
             "published": "2026-03-05", "text": TEXTS[B]},
            {"id": C, "ref": "s4", "outlet": "Quick Clicks", "title": "Top facts about the Portvale strike",
             "published": "2026-03-06", "text": TEXTS[C]},
        ],
        "quality": [{"source": A, "score": 0.8}, {"source": B, "score": 0.7}, {"source": D, "score": 0.6},
                    {"source": C, "score": 0.1}],
        "independence": {"groups": [], "links": []},
        "claims": [
            claim("c-1", "corroborated", {A: WALKOUT, B: WALKOUT, D: WALKOUT}, "2026-03-02"),
            claim("c-2", "corroborated", {B: SHIPS_40, D: SHIPS_40}),
            claim("c-3", "single-source", {B: "Dockers in Portvale voted on Thursday to accept a pay deal and end their strike."}, "2026-03-05"),
            claim("c-4", "corroborated", {B: HURT_15, D: HURT_15}),
            claim("c-5", "single-source", {A: "Harbour master Lena Okoro said the port would reopen on Friday."}, "2026-03-06"),
            claim("c-6", "single-source", {B: "The strike was led by Operation Red Wave."}, errors=["err-1"]),
            claim("c-7", "single-source", {D: "Police cleared the picket line at the north gate on Tuesday night."}, "2026-03-03"),
            claim("c-8", "single-source", {A: "At least 12 people were hurt in clashes at the north gate, the union said."}),
        ],
        "errors": [{"id": "err-1", "kind": "name", "source": B, "text": "Operation Red Wave",
                    "correction": "Operation Red Tide", "conflict": "x-1", "citations": [cite(B, "Operation Red Wave")],
                    "evidence": [cite(A, "Operation Red Tide"), cite(D, "Operation Red Tide")]}],
        "conflicts": [
            {"id": "x-1", "kind": "name", "about": "the name of the walkout", "likely": 1, "sides": [
                {"value": "Operation Red Wave", "sources": [B], "independent": 1, "citations": [cite(B, "Operation Red Wave")]},
                {"value": "Operation Red Tide", "sources": [A, D], "independent": 2,
                 "citations": [cite(A, "Operation Red Tide"), cite(D, "Operation Red Tide")]}]},
            {"id": "x-2", "kind": "number", "about": "ships waiting offshore on 2026-03-04", "likely": None, "sides": [
                {"value": "40 ships", "sources": [B, D], "independent": 2, "citations": [cite(B, "40 ships"), cite(D, "40 ships")]},
                {"value": "30 ships", "sources": [A], "independent": 1, "citations": [cite(A, "30 ships")]}]},
        ],
        "series": [{"id": "fs-1", "what": "people injured", "unit": "people", "cumulative": True, "points": [
            {"value": 12.0, "qualifier": "at least", "as_of": "2026-03-02", "source": A, "published": "2026-03-02",
             "text": "At least 12 people", "citations": [cite(A, "At least 12 people")]},
            {"value": 15.0, "qualifier": "at least", "as_of": "2026-03-04", "source": D, "published": "2026-03-04",
             "text": "At least 15 people", "citations": [cite(D, "At least 15 people")]},
            {"value": 15.0, "qualifier": "at least", "as_of": "2026-03-05", "source": B, "published": "2026-03-05",
             "text": "At least 15 people", "citations": [cite(B, "At least 15 people")]}]}],
        "figures": [
            {"id": f"f-{s}", "value": v, "qualifier": "at least", "unit": "people", "counts": "people injured",
             "as_of": day, "source": s, "text": f"At least {v:g} people", "citations": [cite(s, f"At least {v:g} people")]}
            for s, v, day in ((A, 12.0, "2026-03-02"), (D, 15.0, "2026-03-04"), (B, 15.0, "2026-03-05"))
        ],
        "events": [],
        "next": [],
    }


BRIEFING = {"headline": "Dockers strike shuts Portvale harbour", "as_of": "2026-03-06",
            "headline_citations": [cite(A, "Dockers strike shuts Portvale harbour")], "sections": []}
_BARE_DAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?: night| morning)?+\b(?! \[)")


# --------------------------------------------------------------------------- the pure parts


@pytest.mark.parametrize(
    ("text", "published", "expected", "days"),
    [
        ("The envoy arrived on Tuesday.", "2025-12-10", "The envoy arrived on Tuesday [9 December 2025].", ["2025-12-09"]),
        ("Police said yesterday that two men died.", "2014-02-21",
         "Police said yesterday [20 February 2014] that two men died.", ["2014-02-20"]),
        ("It happened Thursday night.", "2014-02-21", "It happened Thursday night [20 February 2014].", ["2014-02-20"]),
        ("Shots were heard about 1 a.m. Sunday.", "2015-02-23",
         "Shots were heard about 1 a.m. Sunday [22 February 2015].", ["2015-02-22"]),
        ("Talks stalled on Monday and resumed on Wednesday.", "2025-12-31",
         "Talks stalled on Monday [29 December 2025] and resumed on Wednesday [31 December 2025].",
         ["2025-12-29", "2025-12-31"]),
        # no match: a date already written out, no date at all, no publication day to resolve against
        ("The talks ended on 9 December 2025.", "2025-12-12", "The talks ended on 9 December 2025.", ["2025-12-09"]),
        ("The talks ended without a deal.", "2025-12-12", "The talks ended without a deal.", []),
        ("The envoy arrived on Tuesday.", None, "The envoy arrived on Tuesday.", []),
        ("", "2025-12-12", "", []),
    ],
)
def test_absolute_days(text, published, expected, days):
    assert absolute_days(text, published) == (expected, days)


@pytest.mark.parametrize(
    ("conflicts", "expected"),
    [
        # (name, independent sources per side, decided, flagged error)
        ([("typo", [1, 5], True, True), ("real", [1, 3], False, False)], ["real", "typo"]),
        ([("two-two", [2, 2], False, False), ("one-five", [1, 5], False, False)], ["two-two", "one-five"]),
        ([("small", [1, 1], False, False), ("bigger", [1, 3], False, False)], ["bigger", "small"]),
        ([("decided", [3, 3], True, False), ("open", [1, 1], False, False)], ["open", "decided"]),
        ([("a", [2, 2], False, False), ("b", [2, 2], False, False)], ["a", "b"]),  # a tie keeps the order
        ([("none", [], False, False)], ["none"]),
    ],
)
def test_dispute_rank(conflicts, expected):
    ranked = sorted(conflicts, key=lambda c: dispute_rank(c[1], decided=c[2], error=c[3]))
    assert [c[0] for c in ranked] == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ([A, B], "2026-03-02"),
        ([B, D], "2026-03-04"),
        ([B, "unknown"], "2026-03-05"),
        (["unknown"], None),  # no match: no dated source
        ([], None),
    ],
)
def test_first_seen(sources, expected):
    published = {A: "2026-03-02", B: "2026-03-05T09:00:00", D: "2026-03-04", C: None}
    assert first_seen(sources, published) == expected


# --------------------------------------------------------------------------- the whole top


@pytest.fixture()
def top() -> dict:
    return story_top(dossier(), BRIEFING)


def _shown_texts(top: dict) -> list[str]:
    items = [top["headline"], top["dek"], *top["bullets"], *top["changes"]]
    return [i["text"] for i in items if i]


def test_headline_and_dek_say_where_things_stand_now(top):
    assert top["as_of"] == "2026-03-06"
    head = top["headline"]
    # the latest well-scored article's headline: not the first article's, not the poorly scored latest one
    assert head["text"] == "Portvale strike ends as dockers accept pay deal" and head["basis"] == "latest-article"
    assert head["markers"][0]["src"] == B and head["date"] == "2026-03-05"
    dek = top["dek"]
    assert dek["text"] == "Dockers in Portvale voted on Thursday [5 March 2026] to accept a pay deal and end their strike."
    assert (dek["date"], dek["date_basis"]) == ("2026-03-05", "stated")


def test_bullets_are_dated_facts_newest_first(top):
    bullets = top["bullets"]
    assert 3 <= len(bullets) <= 5
    assert [b["date"] for b in bullets] == sorted((b["date"] for b in bullets), reverse=True)
    texts = [b["text"] for b in bullets]
    assert HURT_15 in texts and "Dockers at the port of Portvale walked out on Monday [2 March 2026] over unpaid wages." in texts
    assert "Police cleared the picket line at the north gate on Tuesday night [3 March 2026]." in texts
    assert {b["status"] for b in bullets} == {"corroborated", "single-source"}
    joined = " ".join(texts)
    assert "Red Wave" not in joined  # a flagged error is never a fact
    assert "40 ships" not in joined  # nor either side of an undecided dispute
    assert "reopen on Friday" not in joined  # a plan is not a fact
    assert "12 people" not in joined  # a superseded value is not the latest
    assert all(b["kind"] == "claim" and b["key"].startswith("claim:") for b in bullets)


def test_no_bare_day_names_and_every_cite_is_the_sources_text(top):
    for text in _shown_texts(top):
        assert not _BARE_DAY.search(text), text
    for item in [top["headline"], top["dek"], *top["bullets"], *top["numbers"], *top["disputes"], *top["changes"]]:
        for m in item["markers"]:
            assert 0 <= m["s"] < m["e"] <= len(TEXTS[m["src"]])
        for src, start, end in item.get("cites") or []:
            assert 0 <= start < end <= len(TEXTS[src])
    assert "Top facts" not in json.dumps(top)  # the poorly scored latest source is never quoted
    assert json.loads(json.dumps(top)) == top


def test_numbers_give_the_latest_value_with_a_sparkline(top):
    (n,) = top["numbers"]
    assert (n["kind"], n["what"], n["value"], n["as_of"], n["n_points"]) == (
        "series", "people injured", "at least 15 people", "2026-03-05", 3)
    assert n["key"] == item_key("series", [cite(A, "At least 12 people")])
    assert n["spark"].startswith("<svg") and "style=" not in n["spark"]


def test_a_typo_never_outranks_a_real_dispute(top):
    disputes = top["disputes"]
    assert [d["key"].split(":")[0] for d in disputes] == ["conflict", "conflict"]
    real, typo = disputes
    assert real["about"] == "ships waiting offshore on 4 March 2026" and not real["decided"]
    assert real["weight"] == [1, 3] and [s["independent"] for s in real["sides"]] == [2, 1]
    assert typo["error"] and typo["likely"] == "Operation Red Tide"


def test_changes_carry_first_seen_newest_first(top):
    changes = top["changes"]
    seen = [c["first_seen"] for c in changes]
    assert seen == sorted(seen, reverse=True)
    by_text = {c["text"]: c for c in changes}
    assert by_text[SHIPS_40]["first_seen"] == "2026-03-04"  # the earliest of B (5 March) and D (4 March)
    assert by_text["Dockers at the port of Portvale walked out on Monday [2 March 2026] over unpaid wages."][
        "first_seen"] == "2026-03-02"
    assert {c["what"] for c in changes} == {"claim", "figure", "conflict"}
    assert not any("Red Wave" in c["text"] and c["what"] == "claim" for c in changes)  # a flagged error


def _no_title_in_b(d: dict) -> None:
    d["sources"][2]["title"] = "A headline the article never prints"


def _nothing_from_b(d: dict) -> None:
    d["sources"][2]["title"] = None
    for c in d["claims"]:
        c["citations"] = [x for x in c["citations"] if x["source"] != B]
        c["sources"] = [s for s in c["sources"] if s != B]
    d["claims"] = [c for c in d["claims"] if c["citations"]]


def _no_claims_no_titles(d: dict) -> None:
    for s in d["sources"]:
        s["title"] = None
    d["claims"] = []


@pytest.mark.parametrize(
    ("change", "text", "basis"),
    [
        (lambda d: None, "Portvale strike ends as dockers accept pay deal", "latest-article"),
        (_no_title_in_b, "Dockers in Portvale voted on Thursday [5 March 2026] to accept a pay deal and end their strike.",
         "latest-article"),
        (_nothing_from_b, "Dockers at the port of Portvale walked out on Monday [2 March 2026] over unpaid wages.",
         "composed"),
        (_no_claims_no_titles, "Dockers strike shuts Portvale harbour", "earliest"),
    ],
)
def test_headline_fallbacks(change, text, basis):
    d = copy.deepcopy(dossier())
    change(d)
    head = story_top(d, BRIEFING)["headline"]
    assert (head["text"], head["basis"]) == (text, basis)
    assert head["markers"]


def test_today_bounds_what_counts_as_past():
    d = dossier()
    # seen from 3 March, "Thursday" in B's lead still names 5 March, which is not yet past: the day is the report's
    assert story_top(d, BRIEFING, today="2026-03-03")["dek"]["date_basis"] == "reported"
    assert story_top(d, BRIEFING)["dek"]["date_basis"] == "stated"


def test_an_empty_dossier_gives_an_empty_top():
    top = story_top({"sources": []}, {"headline": "", "sections": []})
    assert top["dek"] is None and top["bullets"] == top["numbers"] == top["disputes"] == top["changes"] == []
    assert top["headline"]["basis"] == "earliest" and top["as_of"] is None
