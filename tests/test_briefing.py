"""The cited briefing: every sentence grounded, nothing wrong stated as fact, length, suppression, round trip."""

from __future__ import annotations

import copy
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.reader.briefing import (
    SECTION_TITLES,
    briefing_from_dict,
    briefing_to_dict,
    build_briefing,
    format_date,
    is_briefable,
    lead_in,
    trim_furniture,
    verify_briefing,
)
from storyline.reader.names import SourceNames
from storyline.reader.problems import Suppression, item_key
from storyline.records import Briefing, BriefingSection, BriefingSentence, Citation

# ------------------------------------------------------------------------------------------ the sample story


def _texts(dossier: dict) -> dict[str, str]:
    return {s["id"]: s["text"] for s in dossier["sources"]}


@pytest.fixture(scope="module")
def sample(sample_run) -> dict:
    return sample_run.dossier


@pytest.mark.parametrize("length", [3, 8, 15])
def test_sample_briefing_verifies_and_keeps_its_length(sample, length):
    b = build_briefing(sample, length=length)
    assert verify_briefing(b, _texts(sample)) == []
    assert len(b.sentences) == length
    names = [sec.name for sec in b.sections]
    assert names == [n for n in SECTION_TITLES if n in names]  # fixed order
    for s in b.sentences:
        assert s.citations and s.key == item_key("briefing", s.citations)
        if s.kind == "source":
            assert s.text == s.citations[0].text


def test_sample_sections_headline_and_as_of(sample):
    b = build_briefing(sample)
    names = {sec.name for sec in b.sections}
    assert {"what-happened", "sides", "disputed"} <= names
    if any(not n.get("passed") for n in sample.get("next", [])):
        assert "next" in names
    title = " ".join(sample["title"].split())
    if any(title in s["text"] for s in sample["sources"]):
        assert b.headline == title
    else:  # the latest headline is not in any text to cite: the headline is a cited source sentence
        cite = b.headline_citations[0]
        assert b.headline == cite.text and cite.source in {s["id"] for s in sample["sources"]}
    assert b.headline_citations and verify_briefing(b, _texts(sample)) == []
    assert b.as_of == max(s["published"][:10] for s in sample["sources"] if s.get("published"))


def test_sample_never_states_a_flagged_error(sample):
    b = build_briefing(sample, length=30)
    assert sample["errors"], "the sample plants errors"
    for s in b.sentences:
        if s.status == "disputed":
            continue
        for e in sample["errors"]:
            for c in e["citations"]:
                assert c["text"].casefold() not in s.text.casefold(), (e["id"], s.text)
    happened = next(sec for sec in b.sections if sec.name == "what-happened")
    assert all("former president" not in s.text.casefold() for s in happened.sentences)
    # and the errors are reported as errors, with the correction
    disputed = next(sec for sec in b.sections if sec.name == "disputed")
    assert any(s.item == sample["errors"][0]["id"] for s in disputed.sentences)


def test_sample_suppressing_the_first_sentence_replaces_it(sample):
    b = build_briefing(sample, length=8)
    first = b.sentences[0]
    again = build_briefing(sample, length=8, suppressed=[Suppression.from_key(first.key)])
    assert len(again.sentences) == 8
    assert first.key not in {s.key for s in again.sentences}
    assert first.text not in {s.text for s in again.sentences}
    assert verify_briefing(again, _texts(sample)) == []


def test_sample_round_trip_and_determinism(sample):
    b = build_briefing(sample, length=12)
    d = briefing_to_dict(b)
    assert briefing_from_dict(json.loads(json.dumps(d))) == b
    assert set(d) == {"headline", "headline_citations", "as_of", "sections"}
    assert set(d["sections"][0]["sentences"][0]) == {"text", "kind", "citations", "key", "item", "status"}
    assert build_briefing(copy.deepcopy(sample), length=12) == b


def test_sample_single_source_sentences_get_a_lead_in(sample):
    b = build_briefing(sample, length=30)
    labels = SourceNames(sample["sources"])
    singles = [s for s in b.sentences if s.status == "single-source"]
    assert singles, "30 sentences need single-source claims in the sample"
    for s in b.sentences:
        if s.status == "single-source" and s.kind == "source":
            label = labels.label(s.citations[0].source)
            assert lead_in(s, sample) == f"One source ({label}) reports:"
            assert lead_in(s, sample, labels) == lead_in(s, sample) and label.count(", ") == 1  # outlet, day
        else:
            assert lead_in(s, sample) is None
    # corroborated claims come before single-source ones
    happened = [s.status for s in b.sections[0].sentences if s.status in ("corroborated", "single-source")]
    assert happened == sorted(happened)


@given(length=st.integers(3, 15))
def test_property_every_sentence_verifies(sample, length):
    b = build_briefing(sample, length=length)
    assert verify_briefing(b, _texts(sample)) == []
    assert len(b.sentences) == length


def test_a_thousand_article_dossier_briefs_fast(sample):
    raw = json.dumps(sample)
    ids = re.compile("|".join(re.escape(s["id"]) for s in sample["sources"]) + r'|"(?:c|x|err|q|n|fs)-')
    big: dict | None = None
    for k in range(84):  # 12 x 84 = 1,008 articles, ~11k claims
        d = json.loads(
            ids.sub(lambda m, k=k: f"{m.group(0)}{k}-" if m.group(0)[0] == '"' else f"{m.group(0)}~{k}", raw)
        )
        if big is None:
            big = d
            continue
        for key in (
            "sources",
            "claims",
            "conflicts",
            "errors",
            "quotes",
            "quality",
            "series",
            "entities",
            "next",
        ):
            big.setdefault(key, []).extend(d.get(key) or [])
        big["independence"]["groups"] += d["independence"]["groups"]
    assert big is not None and len(big["sources"]) > 1000 and len(big["claims"]) > 10_000
    b = build_briefing(big, length=30)  # its speed is measured by bench/, not asserted here
    assert verify_briefing(b, _texts(big)) == []
    assert len(b.sentences) == 30


# ------------------------------------------------------------------------------------------ a hand-built story

A, B = "a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2"
TEXTS = {
    A: (
        "Dockers strike shuts Portvale harbour\n\n"
        "PORTVALE, March 2 (Coastline) - Dockers at the port of Portvale walked out on Monday over unpaid wages, "
        "halting all cargo traffic. Harbour master Lena Okoro said 40 ships were waiting offshore. "
        "Transport Minister Ilse Varga called the strike unlawful. Will the strike spread to other ports? "
        "Ask Harbour AI anything about this developing story. "
        "\u201cWe will not unload a single ship until we are paid,\u201d said Tomas Reyes, the union leader. "
        "The union said at least 12 members had been arrested. "
        "The Portvale Dock Union said the strike would continue until wages were paid. "
        "Over 80 containers of fruit have spoiled, traders said.\n"
        "By Mara Quill, Harbour Gazette Police cleared the picket line at the north gate on Tuesday night.\n"
        "Traders said the losses Listen 2 min were mounting by the hour across the market.\n"
    ),
    B: (
        "Dockers at the port of Portvale walked out on Monday over unpaid wages, halting all cargo traffic. "
        "Former Transport Minister Ilse Varga called the strike unlawful. "
        "The union said at least 12 members had been arrested by police. "
        "Dockers at the port of Portvale walked out on Monday over unpaid wages and halted the cargo traffic. "
        "The Portvale Dockers Guild said the strike would go on until every worker was paid. "
        "At least 114 containers of fruit have spoiled, traders said on Wednesday. "
        "The union will vote on a new offer from the port authority on Friday. "
        "The union had planned to meet port managers on Tuesday to discuss the pay offer.\n"
    ),
}


def cite(source: str, phrase: str) -> dict:
    start = TEXTS[source].find(phrase)
    assert start >= 0, phrase
    return {"source": source, "start": start, "end": start + len(phrase), "text": phrase}


def sentence(source: str, phrase: str) -> dict:
    return cite(source, phrase)


def claim(cid: str, status: str, *cites: dict, independent: int | None = None, **extra) -> dict:
    sources = list(dict.fromkeys(c["source"] for c in cites))
    return {
        "id": cid,
        "text": cites[0]["text"],
        "status": status,
        "citations": list(cites),
        "sources": sources,
        "independent": independent or len(sources),
        "statements": [f"st-{c['source']}-{i + 1}" for i, c in enumerate(cites)],
        "entities": [],
        "date": None,
        "conflicts": extra.get("conflicts", []),
        "errors": extra.get("errors", []),
    }


A_LEAD = (
    "PORTVALE, March 2 (Coastline) - Dockers at the port of Portvale walked out on Monday over unpaid wages, "
    "halting all cargo traffic."
)
B_LEAD = "Dockers at the port of Portvale walked out on Monday over unpaid wages, halting all cargo traffic."


def hand_dossier() -> dict:
    quote_parts = "We will not unload a single ship until we are paid"
    return {
        "title": "Dockers strike shuts Portvale harbour",
        "period": {"first": "2026-03-02", "last": "2026-03-04"},
        "sources": [
            {
                "id": A,
                "ref": "s1",
                "outlet": "The Harbour Gazette",
                "title": "Dockers strike shuts Portvale harbour",
                "published": "2026-03-02",
                "text": TEXTS[A],
                "furniture": [
                    {**cite(A, "By Mara Quill, Harbour Gazette"), "reason": "byline"},
                    {**cite(A, "Listen 2 min"), "reason": "widget"},
                ],
            },
            {
                "id": B,
                "ref": "s2",
                "outlet": "Coastline Wire",
                "title": None,
                "published": "2026-03-04",
                "text": TEXTS[B],
                "furniture": [],
            },
        ],
        "quality": [{"source": A, "score": 0.8, "reasons": []}, {"source": B, "score": 0.6, "reasons": []}],
        "independence": {"groups": [], "links": []},
        "claims": [
            claim("c-1", "corroborated", sentence(A, A_LEAD), sentence(B, B_LEAD)),
            claim(
                "c-2",
                "corroborated",
                sentence(A, "The union said at least 12 members had been arrested."),
                sentence(B, "The union said at least 12 members had been arrested by police."),
            ),
            claim(
                "c-3",
                "corroborated",
                sentence(A, "Transport Minister Ilse Varga called the strike unlawful."),
                sentence(B, "Former Transport Minister Ilse Varga called the strike unlawful."),
            ),
            claim(
                "c-4",
                "single-source",
                sentence(A, "Harbour master Lena Okoro said 40 ships were waiting offshore."),
            ),
            claim("c-5", "single-source", sentence(A, "Will the strike spread to other ports?")),
            claim(
                "c-6", "single-source", sentence(A, "Ask Harbour AI anything about this developing story.")
            ),
            claim(
                "c-7",
                "single-source",
                sentence(
                    B,
                    "Dockers at the port of Portvale walked out on Monday over unpaid wages and halted the cargo "
                    "traffic.",
                ),
            ),
            claim(
                "c-8",
                "single-source",
                sentence(
                    B, "The Portvale Dockers Guild said the strike would go on until every worker was paid."
                ),
            ),
            claim(
                "c-9",
                "single-source",
                sentence(A, "The Portvale Dock Union said the strike would continue until wages were paid."),
            ),
            claim(
                "c-10",
                "single-source",
                sentence(A, "Over 80 containers of fruit have spoiled, traders said."),
            ),
            claim(
                "c-11",
                "single-source",
                sentence(B, "At least 114 containers of fruit have spoiled, traders said on Wednesday."),
            ),
            claim(
                "c-12",
                "single-source",
                sentence(
                    A,
                    "By Mara Quill, Harbour Gazette Police cleared the picket line at the north gate on Tuesday night.",
                ),
            ),
            claim(
                "c-13",
                "single-source",
                sentence(
                    A, "Traders said the losses Listen 2 min were mounting by the hour across the market."
                ),
            ),
        ],
        "errors": [
            {
                "id": "err-1",
                "kind": "role",
                "source": B,
                "citations": [cite(B, "Former Transport Minister Ilse Varga")],
                "text": "Former Transport Minister Ilse Varga",
                "correction": "Transport Minister Ilse Varga",
                "evidence": [cite(A, "Transport Minister Ilse Varga")],
                "why": "...",
                "conflict": "x-1",
            },
        ],
        "conflicts": [
            {
                "id": "x-1",
                "kind": "role",
                "about": "whether Ilse Varga is still Transport Minister",
                "likely": 1,
                "explanation": "...",
                "sides": [
                    {
                        "value": "Former Transport Minister",
                        "citations": [cite(B, "Former Transport Minister")],
                        "sources": [B],
                        "independent": 1,
                        "as_of": None,
                    },
                    {
                        "value": "Transport Minister",
                        "citations": [cite(A, "Transport Minister Ilse")],
                        "sources": [A],
                        "independent": 1,
                        "as_of": None,
                    },
                ],
            },
            {
                "id": "x-2",
                "kind": "name",
                "about": "the name of the dockers' union",
                "likely": 0,
                "explanation": "...",
                "sides": [
                    {
                        "value": "Portvale Dock Union",
                        "citations": [cite(A, "Portvale Dock Union")],
                        "sources": [A],
                        "independent": 1,
                        "as_of": None,
                    },
                    {
                        "value": "Portvale Dockers Guild",
                        "citations": [cite(B, "Portvale Dockers Guild")],
                        "sources": [B],
                        "independent": 1,
                        "as_of": None,
                    },
                ],
            },
        ],
        "series": [
            {
                "id": "fs-1",
                "what": "containers spoiled",
                "unit": "containers",
                "cumulative": True,
                "points": [
                    {
                        "value": 80.0,
                        "value_high": None,
                        "qualifier": "over",
                        "as_of": "2026-03-02",
                        "source": A,
                        "published": "2026-03-02",
                        "text": "Over 80 containers",
                        "citations": [cite(A, "Over 80 containers")],
                    },
                    {
                        "value": 114.0,
                        "value_high": None,
                        "qualifier": "at least",
                        "as_of": "2026-03-04",
                        "source": B,
                        "published": "2026-03-04",
                        "text": "At least 114 containers",
                        "citations": [cite(B, "At least 114 containers")],
                    },
                ],
            },
        ],
        "entities": [
            {
                "id": "person:tomas-reyes",
                "name": "Tomas Reyes",
                "label": "PERSON",
                "aliases": [],
                "mentions": 1,
                "citations": [cite(A, "Tomas Reyes")],
                "roles": [
                    {
                        "role": "union leader",
                        "published": "2026-03-02",
                        "citations": [cite(A, "union leader")],
                    }
                ],
            },
        ],
        "quotes": [
            {
                "id": "q-a-1",
                "kind": "direct",
                "source": A,
                "cue": "said",
                "said_on": None,
                "text": quote_parts,
                "parts": [quote_parts],
                "speaker": {
                    "name": "Tomas Reyes",
                    "entity": "person:tomas-reyes",
                    "as_written": "Tomas Reyes",
                },
                "citations": [cite(A, quote_parts), cite(A, "Tomas Reyes")],
            },
        ],
        "next": [
            {
                "id": "n-1",
                "kind": "scheduled",
                "text": "The union had planned to meet port managers on Tuesday to discuss the pay offer.",
                "when": "2026-03-03",
                "when_text": "on Tuesday",
                "said_on": "2026-03-04",
                "label": "meet",
                "citations": [
                    cite(
                        B, "The union had planned to meet port managers on Tuesday to discuss the pay offer."
                    )
                ],
                "sources": [B],
                "independent": 1,
                "passed": True,
            },
            {
                "id": "n-2",
                "kind": "scheduled",
                "text": "The union will vote on a new offer from the port authority on Friday.",
                "when": "2026-03-06",
                "when_text": "on Friday",
                "said_on": "2026-03-04",
                "label": "vote",
                "citations": [
                    cite(B, "The union will vote on a new offer from the port authority on Friday."),
                    cite(B, "on Friday"),
                ],
                "sources": [B],
                "independent": 1,
                "passed": False,
            },
        ],
        "events": [
            {
                "id": "e-1",
                "action": "arrest",
                "citations": [
                    sentence(A, "The union said at least 12 members had been arrested."),
                    cite(A, "arrested"),
                ],
            },
        ],
        "figures": [],
        "dates": [],
        "offices": [],
    }


@pytest.fixture()
def hand() -> dict:
    return hand_dossier()


def _by_item(b: Briefing) -> dict[str | None, BriefingSentence]:
    return {s.item: s for s in b.sentences}


def test_hand_dossier_cites_exactly(hand):
    b = build_briefing(hand, length=12)
    assert verify_briefing(b, TEXTS) == []
    assert b.headline == "Dockers strike shuts Portvale harbour"
    assert b.headline_citations[0] == Citation(A, 0, len(b.headline), b.headline)
    assert b.as_of == "2026-03-04"


def test_flagged_error_sentence_is_never_fact(hand):
    b = build_briefing(hand, length=12)
    items = _by_item(b)
    assert "c-3" not in items  # one of its statements carries the error (claim["errors"] is empty on purpose)
    err = items["err-1"]
    assert err.status == "disputed" and err.kind == "template"
    assert err.text == (
        "Coastline Wire says “Former Transport Minister Ilse Varga”, while one independent source says "
        "“Transport Minister Ilse Varga”."
    )
    assert "x-1" not in items  # the conflict of the error is told once, as the error
    for s in b.sentences:
        if s.status != "disputed":
            assert "former" not in s.text.casefold()


def test_claim_listing_an_error_is_excluded(hand):
    hand["claims"][0]["errors"] = ["err-1"]
    assert "c-1" not in _by_item(build_briefing(hand, length=12))


def test_losing_side_of_decided_conflict_is_not_stated(hand):
    b = build_briefing(hand, length=30)
    items = _by_item(b)
    assert "c-8" not in items  # "Portvale Dockers Guild": the side the corpus does not support
    assert items["c-9"].status == "single-source"  # the supported side may be stated
    assert items["x-2"].text == (
        "Sources disagree about the name of the dockers' union: The Harbour Gazette says “Portvale Dock Union” "
        "(most likely right); Coastline Wire says “Portvale Dockers Guild”."
    )


def test_undecided_conflict_sides_are_not_facts(hand):
    hand["conflicts"][1]["likely"] = None
    items = _by_item(build_briefing(hand, length=30))
    assert "c-8" not in items and "c-9" not in items
    assert "(most likely right)" not in items["x-2"].text


def test_contested_claims_stay_out_of_what_happened(hand):
    hand["claims"][1]["status"] = "contested"
    b = build_briefing(hand, length=30)
    assert "c-2" not in _by_item(b)


def test_furniture_is_trimmed_and_the_citation_follows(hand):
    c1 = _by_item(build_briefing(hand))["c-1"]
    assert c1.kind == "source" and c1.status == "corroborated"
    assert c1.text == B_LEAD  # the dateline is gone; the better source (A) is the representative
    assert c1.citations[0].source == A and TEXTS[A][c1.citations[0].start : c1.citations[0].end] == c1.text
    assert [c.source for c in c1.citations] == [A, B]


def test_single_source_claims_are_marked_and_come_last(hand):
    b = build_briefing(hand, length=12)
    happened = b.sections[0]
    assert happened.name == "what-happened"
    statuses = [s.status for s in happened.sentences if s.kind == "source"]
    assert statuses[0] == "corroborated" and "single-source" in statuses
    assert statuses == sorted(statuses)  # corroborated before single-source
    c4 = _by_item(b)["c-4"]
    assert c4.status == "single-source" and lead_in(c4, hand) == "One source (The Harbour Gazette, 2 Mar) reports:"
    assert lead_in(_by_item(b)["c-1"], hand) is None


def test_questions_widgets_and_near_duplicates_are_skipped(hand):
    items = _by_item(build_briefing(hand, length=30))
    assert "c-5" not in items  # a question
    assert "c-6" not in items  # widget text
    assert "c-7" not in items  # a near-duplicate of c-1


def test_running_figure_is_a_template_and_old_values_are_not_facts(hand):
    items = _by_item(build_briefing(hand, length=30))
    fs = items["fs-1"]
    assert fs.kind == "template"
    assert fs.text == (
        "The latest figure for containers spoiled is at least 114 (as of 4 March 2026), up from over 80 on "
        "2 March 2026."
    )
    assert [c.text for c in fs.citations] == ["At least 114 containers", "Over 80 containers"]
    assert "c-10" not in items  # "Over 80" is superseded
    assert "c-11" not in items  # already told by the running figure


def test_quote_with_speaker_and_role(hand):
    q = _by_item(build_briefing(hand))["q-a-1"]
    assert q.text == "Tomas Reyes (union leader) said: “We will not unload a single ship until we are paid”"
    assert q.kind == "template" and [c.text for c in q.citations][-1] == "Tomas Reyes"


def test_next_skips_passed_items_unless_nothing_else(hand):
    items = _by_item(build_briefing(hand, length=30))
    assert "n-2" in items and "n-1" not in items
    assert items["n-2"].text == "The union will vote on a new offer from the port authority on Friday."
    hand["next"] = hand["next"][:1]
    assert "n-1" in _by_item(build_briefing(hand, length=30))


def test_suppression_hides_every_sentence_citing_the_item(hand):
    b = build_briefing(hand, length=8)
    first = b.sentences[0]
    again = build_briefing(hand, length=8, suppressed=[Suppression.from_key(first.key)])
    assert first.key not in {s.key for s in again.sentences}
    assert len(again.sentences) == len(b.sentences)
    # a claim reported as a claim (its untrimmed primary citation) hides the briefing sentence built from it
    c1 = hand["claims"][0]["citations"][0]
    hidden = build_briefing(hand, suppressed=[Suppression("claim", c1["source"], c1["start"], c1["end"])])
    assert "c-1" not in _by_item(hidden)


def test_hand_round_trip_and_determinism(hand):
    b = build_briefing(hand, length=10)
    assert briefing_from_dict(briefing_to_dict(b)) == b
    assert build_briefing(copy.deepcopy(hand), length=10) == b


def test_headline_falls_back_to_the_top_event_claim(hand):
    hand["title"] = "A title no source prints"
    b = build_briefing(hand)
    assert b.headline == "The union said at least 12 members had been arrested."  # bears an event
    assert verify_briefing(b, TEXTS) == []
    hand["events"] = []
    b = build_briefing(hand)
    assert b.headline == B_LEAD and b.headline_citations[0].source == A  # the most corroborated claim


def test_furniture_spans_at_the_edge_are_trimmed_inside_they_exclude(hand):
    items = _by_item(build_briefing(hand, length=30))
    assert items["c-12"].text == "Police cleared the picket line at the north gate on Tuesday night."
    assert verify_briefing(build_briefing(hand, length=30), TEXTS) == []
    assert "c-13" not in items  # widget text inside the sentence


@pytest.mark.parametrize("length", [0, 2, 31, 100])
def test_length_out_of_range(hand, length):
    with pytest.raises(ValueError):
        build_briefing(hand, length=length)


# ------------------------------------------------------------------------------------------ the text rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SARROW, Dec 9 (Wire) - The navy seized ten boats on Tuesday.",
            "The navy seized ten boats on Tuesday.",
        ),
        (
            "PORTVALE, Eastland — Talks resumed on Monday after a week.",
            "Talks resumed on Monday after a week.",
        ),
        ("NEW HARBOUR (Coastline) -- Ferries stopped running at noon.", "Ferries stopped running at noon."),
        (
            "Advertisement\nThe council met on Friday to discuss it.",
            "The council met on Friday to discuss it.",
        ),
        (
            "Related: Ferry strike enters second week\nDockers voted to continue.",
            "Dockers voted to continue.",
        ),
        (
            "The port reopened on Friday. (Reporting by Ana Vell; Editing by Tom Quist)",
            "The port reopened on Friday.",
        ),
        ("Prices rose sharply in the market. (KNA)", "Prices rose sharply in the market."),
        (
            "Ferries will resume on Monday, officials said. — Coastline Wire",
            "Ferries will resume on Monday, officials said.",
        ),
        ("  The navy said it seized ten boats.  ", "The navy said it seized ten boats."),
        # no change
        ("The navy said it seized ten boats.", "The navy said it seized ten boats."),
        (
            "Officials - speaking anonymously - confirmed the deal.",
            "Officials - speaking anonymously - confirmed the deal.",
        ),
        ("Advertisers pulled out of the fair on Monday.", "Advertisers pulled out of the fair on Monday."),
        ("Related research shows the toll is higher.", "Related research shows the toll is higher."),
        ("He said the group (KNA) had left the port.", "He said the group (KNA) had left the port."),
        ("US officials said the strike was legal.", "US officials said the strike was legal."),
        ("Port Aubrel, Dec 9 (Wire) - The navy seized ten boats.", "The navy seized ten boats."),
        (
            "Ministers (two of them) - and their aides - left early.",
            "Ministers (two of them) - and their aides - left early.",
        ),
    ],
)
def test_trim_furniture(text, expected):
    s, e = trim_furniture(text)
    assert text[s:e] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What happens next for the port's fishermen?", False),
        ("Ask Harbour AI about this story and more.", False),
        ("Related posts: three things to know about the strike.", False),
        ("Please Report a Problem with this article if you see one.", False),
        ("Share this article on social media with your friends.", False),
        ("Harbour AI can make mistakes, so check the facts.", False),
        ("Too short a line.", False),
        ("Port reopens after strike\n\nDockers returned to work on Monday morning.", False),
        ("Port Reopens After Long Strike\nDockers returned to work on Monday morning.", False),
        ("Dockers returned to work on Monday morning", False),  # a headline: no full stop
        (" ".join(["word"] * 61) + ".", False),
        ("The navy says it has boarded more than 300 vessels since then.", False),  # leans on what came before
        ("He said the talks would resume on Friday in the capital.", False),
        ("They were released on the same day without charge.", False),
        ("It was the largest seizure of the year, officials said.", False),
        ('We heard the engines first," a fisherman from the harbour said on Monday.', False),  # cut-off quote
        ("We heard the engines first,\u201d a fisherman from the harbour said on Monday.", False),
        ('The minister called the report "a fair account" of the night at sea.', True),  # balanced marks
        # kept
        ("Eleven boats were seized near the harbour on Monday.", True),
        ("Asked about the strikes, the minister said the navy acted lawfully.", True),
        ("Dockers returned to work on Monday morning\nafter the union accepted the offer.", True),
        ("Shares in the ferry company fell sharply on Tuesday.", True),
        ("\u201cWe will not go back,\u201d the union leader said on Monday.", True),
        (" ".join(["word"] * 59) + ".", True),
        ("The former prime minister said the talks would resume on Friday.", True),
        ("Theresa Hall said the port had been closed since the storm.", True),  # "The..." is not "the" + pronoun
        ("Itzel Ramos, the harbour master, said the channel was clear.", True),
    ],
)
def test_is_briefable(text, expected):
    assert is_briefable(text) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-24", "24 November 2025"),
        ("2025-12-09T10:30", "9 December 2025"),
        ("2025-11", "November 2025"),
        ("2025", "2025"),
        ("2025-13", None),
        ("next week", None),
        (None, None),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


# ------------------------------------------------------------------------------------------ verification


def _one(text: str, kind: str, cites: tuple[Citation, ...]) -> Briefing:
    key = item_key("briefing", cites) if cites else "briefing:x:0-0"
    sent = BriefingSentence(text, kind, cites, key, "c-1", "corroborated")
    return Briefing(
        "Dockers strike",
        (Citation(A, 0, 14, "Dockers strike"),),
        (BriefingSection("what-happened", "What happened", (sent,)),),
    )


@pytest.mark.parametrize(
    ("text", "kind", "cites", "problem"),
    [
        (B_LEAD, "source", (Citation(B, 0, len(B_LEAD), B_LEAD),), None),
        ("Anything at all.", "template", (Citation(B, 0, 7, "Dockers"),), None),
        (B_LEAD, "source", (Citation(B, 1, len(B_LEAD), B_LEAD),), "does not match"),
        (B_LEAD, "source", (Citation("nope", 0, 7, "Dockers"),), "unknown source"),
        ("Dockers struck.", "source", (Citation(B, 0, 7, "Dockers"),), "not in source"),
        ("Dockers", "source", (Citation(B, 0, 14, "Dockers at the"),), "not exactly"),
        ("Uncited words.", "template", (), "no citations"),
    ],
)
def test_verify_briefing(text, kind, cites, problem):
    problems = verify_briefing(_one(text, kind, cites), TEXTS)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_copies_count_once_and_internal_conflicts_read_as_such(hand):
    hand["independence"] = {"groups": [[A, B]], "links": []}  # B copies A: one source, not two
    hand["conflicts"].append(
        {
            "id": "x-3",
            "kind": "internal",
            "about": "members arrested as of 2026-03-04",
            "likely": None,
            "explanation": "...",
            "sides": [
                {
                    "value": "12 members",
                    "citations": [cite(A, "12 members")],
                    "sources": [A],
                    "independent": 1,
                },
                {"value": "40 ships", "citations": [cite(A, "40 ships")], "sources": [A], "independent": 1},
            ],
        }
    )
    items = _by_item(build_briefing(hand, length=30))
    assert items["err-1"].text.endswith("while one independent source says “Transport Minister Ilse Varga”.")
    assert items["x-3"].text == (
        "The Harbour Gazette gives both “12 members” and “40 ships” for members arrested as of 4 March 2026."
    )
    assert "c-2" not in items  # states one side of an undecided dispute


def test_empty_dossier_gives_an_empty_briefing_that_says_so():
    b = build_briefing({})
    assert b.sections == () and b.sentences == ()
    assert verify_briefing(b, {}) == ["headline: no citations"]


@given(length=st.integers(3, 15), picks=st.sets(st.integers(0, 29), max_size=6))
def test_property_suppressed_sentences_never_return(length, picks):
    hand = hand_dossier()
    full = build_briefing(hand, length=30).sentences
    hidden = [full[i] for i in sorted(picks) if i < len(full)]
    b = build_briefing(hand, length=length, suppressed=[Suppression.from_key(s.key) for s in hidden])
    assert verify_briefing(b, TEXTS) == []
    shown = {c for s in b.sentences for c in s.citations}
    for s in hidden:
        assert s.citations[0] not in shown
    assert len(b.sentences) <= length


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-24", "24 November 2025"),
        ("2025-08", "August 2025"),
        ("2019", "2019"),
        ("2024-SP", "Spring 2024"),
        ("2025-FA", "Autumn 2025"),
        ("2025-Q3", "Q3 2025"),
        ("2025-H2", "second half of 2025"),
        ("2025-W47", "week 47 of 2025"),
        ("201X", "the 2010s"),
        ("20XX", "the 21st century"),
        ("18XX", "the 19th century"),
        ("10XX", "the 11th century"),
        ("PRESENT_REF", "PRESENT_REF"),  # not a date: shown as it is
        (None, "date unknown"),
        ("2025-13", "2025-13"),
    ],
)
def test_human_date(value, expected):
    from storyline.reader.briefing import human_date

    assert human_date(value) == expected
