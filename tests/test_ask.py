"""Asking questions about a story: retrieval, templated answers over the dossier, honest refusals."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.crosscheck.statements import build_statements
from storyline.reader import ask
from storyline.reader.ask import NO_ANSWER, answer, answer_to_dict, build_index, retrieve
from storyline.reader.problems import Suppression, item_key
from storyline.records import Answer, Citation

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def story(sample_run, sample_items):
    """The sample dossier, its sentences and a lexical-only index (built once)."""
    statements = build_statements(sample_items.items, sample_items.index)
    published = {s.source: s.published for s in statements}
    index = build_index([s.citation for s in statements], published=published, embedder=False)
    return sample_run.dossier, statements, index


@pytest.fixture(scope="module")
def emb_index(story):
    """The same sentences with real MiniLM vectors."""
    from storyline.extract.embed import get_embedder

    _dossier, statements, _index = story
    embedder = get_embedder()
    index = build_index([s.citation for s in statements],
                        published={s.source: s.published for s in statements}, embedder=embedder)
    return index, embedder


def texts_of(dossier: dict) -> dict[str, str]:
    return {s["id"]: s["text"] for s in dossier["sources"]}


def assert_verifies(a: Answer, dossier: dict) -> None:
    texts = texts_of(dossier)
    for c in [*a.citations, *(p.citation for p in a.passages)]:
        assert c.source in texts, c
        assert texts[c.source][c.start:c.end] == c.text, c
    if a.answered:
        assert a.citations, a
    else:
        assert a.text == NO_ANSWER and a.kind == "none" and not a.citations


# --------------------------------------------------------------------------- reader questions

# (question, expected kind, a fact the answer or its top citation must contain)
QUESTIONS = [
    ("How many people have died?", "figure", "At least 78 people killed"),
    ("What is the death toll so far?", "figure", "78"),
    ("How many people signed the petition?", "figure", "52,000"),
    ("How many vessels were seized on 9 December?", "figure", "nine vessels"),
    ("How many people died in the ferry sinking?", "figure", "14 people"),  # not the running toll
    ("When does the exclusion zone take effect?", "date|next", "16 December 2025"),
    ("When did Ndoye meet Osterlund?", "date|next", "24 December 2025"),
    ("When will Osterlund visit the fleet?", "date|next", "1 January 2026"),
    ("When is the deadline for the Front to hand over its missiles?", "date|next", "31 December 2025"),
    ("Who is Casimir Ndoye?", "who", "Envoy"),
    ("Who is Ilona Brask?", "who", "Opposition leader"),
    ("What did the envoy say?", "quote", "Ndoye"),
    ("What did President Osterlund say about the deadline?", "quote", "will not extend the deadline"),
    ("What did Brask promise?", "passage", "promised to bring thousands"),
    # open disputes: every side, never one of them as the answer
    ("When did Operation Iron Tide begin?", "date", "since August (The Meridian Ledger); since early September"),
    ("Who fired at the Corlen Star?", "passage", "The sources disagree about who fired"),
]

# questions the sources do not answer: unknown people, unrelated topics, details never reported
UNANSWERED = [
    "Who is John Smith?",
    "What did Angela Merkel say about the blockade?",
    "What is the price of bitcoin?",
    "How many journalists were arrested?",
    "How many people died in the earthquake?",
    "When will the airport reopen?",
    "",
    "???",
]


def _right(a: Answer, kind: str, fact: str) -> bool:
    top = a.citations[0].text if a.citations else ""
    return a.answered and a.kind in kind.split("|") and (fact in a.text or fact in top)


@pytest.mark.parametrize(("question", "kind", "fact"), QUESTIONS)
def test_reader_questions_lexical(story, question, kind, fact):
    dossier, _statements, index = story
    a = answer(question, dossier, index, embedder=False)
    assert _right(a, kind, fact), (a.kind, a.text)
    assert_verifies(a, dossier)


@pytest.mark.parametrize("question", UNANSWERED)
def test_refuses_what_the_sources_do_not_say(story, question):
    dossier, _statements, index = story
    a = answer(question, dossier, index, embedder=False)
    assert not a.answered and a.text == NO_ANSWER and a.kind == "none", a.text
    assert_verifies(a, dossier)


def test_reader_questions_with_embeddings(story, emb_index):
    """The whole table again with fused retrieval: embeddings must not turn a right answer wrong, nor make
    an unanswerable question answered."""
    dossier, _statements, _index = story
    index, embedder = emb_index
    right = []
    for question, kind, fact in QUESTIONS:
        a = answer(question, dossier, index, embedder=embedder)
        assert_verifies(a, dossier)
        right.append(_right(a, kind, fact))
    assert all(right), [q for (q, _k, _f), ok in zip(QUESTIONS, right, strict=True) if not ok]
    for question in UNANSWERED:
        a = answer(question, dossier, index, embedder=embedder)
        assert not a.answered, (question, a.text)


def test_figure_answer_lists_earlier_reports_and_cites_points(story):
    dossier, _statements, index = story
    a = answer("How many people have been killed?", dossier, index, embedder=False)
    assert a.kind == "figure"
    assert "earlier reports" in a.text and "43" in a.text
    # the latest point is cited first; every earlier value cited too
    assert "78" in a.citations[0].text
    assert any("43" in c.text for c in a.citations)


def test_contested_figure_shows_both_sides(story):
    dossier, _statements, index = story
    a = answer("How many vessels were seized?", dossier, index, embedder=False)
    assert a.kind == "figure" and "disagree" in a.text
    assert {c.source for c in a.citations} >= {s["id"] for s in dossier["sources"]
                                               if s["outlet"] in ("Orbit News", "Harbor Wire Service")}


def test_who_never_repeats_a_flagged_error(story):
    dossier, _statements, index = story
    a = answer("Who is Marek Osterlund?", dossier, index, embedder=False)
    assert a.kind == "who" and "President" in a.text
    assert "former" not in a.text.lower()
    wrong = {(c["source"], c["start"], c["end"]) for e in dossier["errors"] for c in e["citations"]}
    for c in [*a.citations, *(p.citation for p in a.passages)]:
        assert not any(s == c.source and st_ < c.end and c.start < en for s, st_, en in wrong)


def test_no_answer_with_the_words_of_a_flagged_error(story):
    dossier, _statements, index = story
    errors = [e for e in dossier["errors"] if e["citations"]]
    assert errors
    for e in errors:
        a = answer(f"What is {e['citations'][0]['text']}?", dossier, index, embedder=False)
        wrong = [(c["source"], c["start"], c["end"]) for c in e["citations"]]
        if a.text == e["why"]:  # presenting the correction may cite the wrong words
            continue
        for c in a.citations:
            assert not any(s == c.source and st_ < c.end and c.start < en for s, st_, en in wrong), a.text


# --------------------------------------------------------------------------- suppression


def test_suppressing_the_series_hides_its_answer(story):
    dossier, _statements, index = story
    q = "How many people have died?"
    shown = answer(q, dossier, index, embedder=False)
    series = next(s for s in dossier["series"] if "78" in " ".join(p["text"] for p in s["points"]))
    key = item_key("series", [c for p in series["points"] for c in p["citations"]])
    hidden = answer(q, dossier, index, embedder=False, suppressed=[Suppression.from_key(key)])
    assert shown.text.startswith("At least 78")
    assert hidden.text != shown.text
    first = series["points"][0]["citations"][0]
    assert all((c.source, c.start, c.end) != (first["source"], first["start"], first["end"])
               for c in hidden.citations)
    assert_verifies(hidden, dossier)


def test_suppressing_an_answer_hides_it(story):
    dossier, _statements, index = story
    q = "Who is Ilona Brask?"
    shown = answer(q, dossier, index, embedder=False)
    key = item_key("answer", shown.citations)
    hidden = answer(q, dossier, index, embedder=False, suppressed=[Suppression.from_key(key)])
    assert shown.answered and hidden.text != shown.text
    assert shown.citations[0] not in hidden.citations


# --------------------------------------------------------------------------- what comes next


def _with_next(dossier: dict, index) -> tuple[dict, Citation]:
    """The dossier plus one NextItem built by hand over a real sentence (the section is new this round)."""
    sentence = next(c for c in index.citations if "plans to visit" in c.text)
    d = copy.copy(dossier)
    cit = {"source": sentence.source, "start": sentence.start, "end": sentence.end, "text": sentence.text}
    d["next"] = [{"id": "n-1", "kind": "trip", "text": sentence.text, "when": "2026-01-01",
                  "when_text": "New Year's Day", "said_on": "2025-12-29", "label": "visit",
                  "citations": [cit], "sources": [sentence.source], "independent": 1, "passed": False}]
    return d, sentence


def test_when_uses_what_comes_next(story):
    dossier, _statements, index = story
    d, sentence = _with_next(dossier, index)
    a = answer("When does Osterlund plan to visit the fleet?", d, index, embedder=False)
    assert a.kind == "next" and a.citations[0] == sentence
    assert a.text.endswith("(stated on 29 December 2025; that is 1 January 2026)")
    assert_verifies(a, d)
    hidden = answer("When does Osterlund plan to visit the fleet?", d, index, embedder=False,
                    suppressed=[Suppression("next", sentence.source, sentence.start, sentence.end)])
    assert hidden.kind != "next"


# --------------------------------------------------------------------------- properties


@given(st.text(max_size=80))
def test_any_question_gets_an_answer_that_verifies(story, question):
    dossier, _statements, index = story
    a = answer(question, dossier, index, embedder=False)
    assert isinstance(a, Answer) and a.question == question
    assert_verifies(a, dossier)
    d = answer_to_dict(a)
    assert d["answered"] == a.answered and len(d["citations"]) == len(a.citations)


@given(st.lists(st.sampled_from(["how", "many", "who", "is", "when", "what", "did", "say", "the", "zone",
                                 "Ndoye", "envoy", "killed", "vessels", "?", "Brask", "offer", "Smith"]),
                max_size=8))
def test_question_shaped_words_answer_or_refuse_with_verified_citations(story, words):
    dossier, _statements, index = story
    a = answer(" ".join(words), dossier, index, embedder=False)
    assert_verifies(a, dossier)


# --------------------------------------------------------------------------- retrieval


def _cit(source: str, text: str) -> Citation:
    return Citation(source, 0, len(text), text)


def test_retrieve_ranks_and_drops_copies():
    cits = [
        _cit("wire", "The harbour bridge reopened on Friday after repairs."),
        _cit("copy", "The harbour bridge reopened on Friday after repairs."),
        _cit("other", "Fishing boats stayed in port during the storm."),
        _cit("third", "Repairs to the bridge cost more than planned."),
    ]
    index = build_index(cits, published={"wire": "2025-03-01", "copy": "2025-03-02"}, embedder=False)
    found = retrieve("When did the bridge reopen?", index, embedder=False)
    assert found[0].citation.source == "wire"  # the earliest of two identical texts
    assert [p.citation.text for p in found].count(cits[0].text) == 1
    assert "storm" not in " ".join(p.citation.text for p in found)  # no shared word: not retrieved
    assert found == retrieve("When did the bridge reopen?", index, embedder=False)  # deterministic
    # with a dossier at hand the better-quality copy is kept
    dossier = {"sources": [{"id": c.source, "outlet": c.source, "text": c.text} for c in cits],
               "quality": [{"source": "wire", "score": 0.2}, {"source": "copy", "score": 0.9}]}
    a = answer("When did the harbour bridge reopen?", dossier, index, embedder=False)
    assert a.passages[0].citation.source == "copy"
    assert a.kind == "passage" and a.citations[0].source == "copy"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("storm boats", "Fishing boats stayed in port during the storm."),
        ("cost of the bridge repairs", "Repairs to the bridge cost more than planned."),
        ("vessels in port", "Fishing boats stayed in port during the storm."),  # boats ~ vessels
        ("volcano eruption", None),
        ("", None),
    ],
)
def test_retrieve_table(question, expected):
    cits = [_cit("a", "Fishing boats stayed in port during the storm."),
            _cit("b", "Repairs to the bridge cost more than planned.")]
    index = build_index(cits, embedder=False)
    found = retrieve(question, index, embedder=False)
    assert (found[0].citation.text if found else None) == expected


def test_vectors_given_are_used_and_checked():
    cits = [_cit("a", "alpha beta gamma"), _cit("b", "delta epsilon zeta")]
    vecs = np.eye(2, 384, dtype=np.float32)
    index = build_index(cits, vectors=vecs)
    assert index.vectors is not None and index.vectors.shape == (2, 384)

    class Fixed:
        name, dim = "fixed", 384

        def encode(self, texts, batch_size=64):
            return np.tile(vecs[1], (len(texts), 1))

    # no shared word: the cosine alone ranks the second sentence first
    assert retrieve("something unrelated", index, embedder=Fixed())[0].citation.source == "b"
    with pytest.raises(ValueError):
        build_index(cits, vectors=np.zeros((3, 384), dtype=np.float32))


@pytest.mark.parametrize(
    ("word", "stem"),
    [("killed", "kill"), ("deaths", "kill"), ("died", "kill"), ("seized", "seize"), ("boats", "vessel"),
     ("signatures", "sign"), ("effects", "effect"), ("stopped", "stop"), ("took", "take"),
     ("exclusion", "exclus"), ("exclusions", "exclus"), ("zone", "zone"), ("zones", "zone"), ("taxes", "tax"),
     ("class", "class"), ("Vâlcu", "valcu"), ("2025", "2025"), ("arrivals", "arrive"), ("injuries", "wound")],
)
def test_stem_table(word, stem):
    assert ask._canonical(word) == stem  # synonyms canonical, everything else the shared Snowball stem


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-12-16", "16 December 2025"), ("2026-01", "January 2026"), ("2025-W51", "2025-W51"),
     ("", None), (None, None), ("2025-13-01", "2025-13-01")],
)
def test_fmt_date_table(value, expected):
    assert ask._fmt_date(value) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [("what happened on 9 December?", {(12, 9)}), ("and on Dec 14th", {(12, 14)}),
     ("the 3rd of March", {(3, 3)}), ("on Tuesday", set()), ("in 2025", set()), ("9 Smarch", set())],
)
def test_question_days_table(question, expected):
    assert ask._question_days(question) == expected


def test_build_and_query_at_scale():
    """30,000 sentences with cached vectors index and answer (speed is measured in bench/, not here)."""
    words = ["harbour", "navy", "talks", "envoy", "ferry", "toll", "zone", "fuel", "strike", "deadline",
             "petition", "march", "hospital", "missile", "fleet", "council"]
    rng = np.random.default_rng(7)
    cits = []
    for i in range(30_000):
        picks = rng.choice(len(words), size=12)
        text = " ".join(words[j] for j in picks) + f" item{i % 500}."
        cits.append(Citation(f"s{i % 300}", 0, len(text), text))
    vecs = rng.standard_normal((len(cits), 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = build_index(cits, vectors=vecs)
    found = retrieve("when does the zone deadline pass for the fleet", index, embedder=False)
    assert len(found) == 8
    assert all({"zone", "deadline", "fleet"} & set(p.citation.text.split()) for p in found)
    assert len({p.citation.text for p in found}) == len(found)  # copies shown once


# --------------------------------------------------------------------------- a story of my own


def _story_of(docs: list[tuple[str, str, str, str, float]]) -> tuple[dict, list[Citation]]:
    """A minimal dossier (sources, quality) over self-written one-sentence articles, and their citations."""
    sources = [{"id": sid, "ref": f"s{n + 1}", "outlet": outlet, "published": date, "text": text}
               for n, (sid, outlet, date, text, _q) in enumerate(docs)]
    quality = [{"source": sid, "score": q, "reasons": []} for sid, _o, _d, _t, q in docs]
    return {"sources": sources, "quality": quality}, [_cit(sid, text) for sid, _o, _d, text, _q in docs]


def _point(text: str, sid: str, words: str, value: float, qualifier: str | None, as_of: str) -> dict:
    start = text.index(words)
    c = {"source": sid, "start": start, "end": start + len(words), "text": words}
    return {"value": value, "value_high": None, "qualifier": qualifier, "as_of": as_of, "source": sid,
            "published": as_of, "text": words, "citations": [c]}


FLOOD = [
    ("f1", "Valley Gazette", "2025-03-02", "Officials said over 80 people died in the floods in the valley.", 0.7),
    ("f2", "River Post", "2025-03-03", "At least 83 people have died in the floods, the health office said.", 0.8),
    ("f3", "Hill Times", "2025-03-05", "The toll from the floods rose to at least 114 on Wednesday.", 0.8),
    ("f4", "Quick Facts Hub", "2025-03-06", "Over 80 people died in the floods, reports say.", 0.1),
]


@pytest.fixture(scope="module")
def flood():
    dossier, cits = _story_of(FLOOD)
    words = {"f1": ("over 80 people", 80, "over"), "f2": ("At least 83 people", 83, "at least"),
             "f3": ("at least 114", 114, "at least"), "f4": ("Over 80 people", 80, "over")}
    points = [_point(text, sid, words[sid][0], words[sid][1], words[sid][2], date)
              for sid, _o, date, text, _q in FLOOD]
    dossier["series"] = [{"id": "fs-1", "what": "people killed", "unit": "people", "cumulative": True,
                          "points": points}]
    return dossier, build_index(cits, published={s: d for s, _o, d, _t, _q in FLOOD}, embedder=False)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many people have died?", "At least 114 people killed, as of 5 March 2025 (Hill Times); "
                                       "earlier reports: over 80 (2 March), at least 83 (3 March)."),
        ("What is the death toll from the floods?", "At least 114 people killed"),
        ("How many people died in the landslide?", NO_ANSWER),  # never reported
        ("How many houses were destroyed?", NO_ANSWER),
    ],
)
def test_running_toll_of_a_story_of_my_own(flood, question, expected):
    """A later, lower figure (a stale rewrite) never replaces the highest running total."""
    dossier, index = flood
    a = answer(question, dossier, index, embedder=False)
    assert a.text.startswith(expected), a.text
    assert_verifies(a, dossier)


def test_questions_about_a_flagged_error_get_the_correction(story):
    dossier, _statements, index = story
    for e in dossier["errors"]:
        wrong = e["citations"][0]["text"]
        a = answer(f"Is it true that {wrong}?", dossier, index, embedder=False)
        assert a.answered and a.text == e["why"], a.text
        assert_verifies(a, dossier)


def test_a_suppressed_claim_is_never_the_answer(story):
    dossier, _statements, index = story
    q = "What did Brask promise?"
    shown = answer(q, dossier, index, embedder=False)
    claim = next(c for c in dossier["claims"]
                 if any(x["text"] == shown.citations[0].text for x in c["citations"]))
    key = item_key("claim", claim["citations"])
    hidden = answer(q, dossier, index, embedder=False, suppressed=[Suppression.from_key(key)])
    places = {(c["source"], c["start"], c["end"]) for c in claim["citations"]}
    assert all((c.source, c.start, c.end) not in places for c in hidden.citations)
    assert all((p.citation.source, p.citation.start, p.citation.end) not in places for p in hidden.passages)


# --------------------------------------------------------------------------- the real pipeline on my own story

WILDFIRE = [
    ("fire-1", "Wildfire near Pellham forces evacuations\n\nA wildfire in the hills above Pellham has killed at "
     "least 12 people, the county fire service said on Monday.\n\nFire Chief Dana Orrin said crews had contained "
     "about 20 percent of the blaze. \"The wind is our enemy tonight,\" Orrin said.\n\nGovernor Lise Marrow will "
     "visit the evacuation centre in Pellham on Thursday.", "2026-03-02", "Pellham Record"),
    ("fire-2", "Pellham fire toll rises\n\nThe wildfire above Pellham has now killed at least 19 people, the county "
     "fire service said on Wednesday.\n\nFire Chief Dana Orrin said more than 3,000 homes had been evacuated. "
     "Orrin said the main road to Pellham would reopen on Saturday.\n\nGovernor Lise Marrow promised state funds "
     "to rebuild the schools.", "2026-03-04", "Valley Courier"),
    ("fire-3", "Pellham fire: what we know\n\nIt is important to note that wildfires are dangerous. Over 12 people "
     "died in the fire, according to reports.\n\nThe fire is being fought by Fire Chief Dana Orrin.", "2026-03-05",
     "Quick Answers Daily"),
]


@pytest.fixture(scope="module")
def wildfire():
    from conftest import make_items
    from storyline.crosscheck.stage import cross_check
    from storyline.output.dossier import build_dossier

    items = make_items(WILDFIRE)
    dossier = build_dossier(items.items, items.index,
                            crosscheck=cross_check(items.items, items.index, embedder=False))
    statements = build_statements(items.items, items.index)
    index = build_index([s.citation for s in statements],
                        published={s.source: s.published for s in statements}, embedder=False)
    return dossier, index


@pytest.mark.parametrize(
    ("question", "kind", "fact"),
    [
        ("How many people have died?", "figure", "At least 19 people killed, as of 4 March 2026"),
        ("Who is Dana Orrin?", "who", "Chief"),
        ("What did Orrin say?", "quote", "Orrin said"),
        ("What did the governor promise?", "passage", "state funds"),
        ("When will the governor visit the evacuation centre?", "date|next", "5 March 2026"),
        ("How many homes were evacuated?", "figure", "3,000 homes"),
        ("How many firefighters were injured?", "none", NO_ANSWER),
        ("How many homes were rebuilt?", "none", NO_ANSWER),  # homes were counted evacuated, not rebuilt
        ("What caused the fire?", "none", NO_ANSWER),
        ("Who is the mayor of Pellham?", "none", NO_ANSWER),
    ],
)
def test_a_story_of_my_own_through_the_pipeline(wildfire, question, kind, fact):
    dossier, index = wildfire
    a = answer(question, dossier, index, embedder=False)
    assert a.kind in kind.split("|") and fact in a.text, (a.kind, a.text)
    assert_verifies(a, dossier)


def test_a_future_day_resolved_into_the_past_is_not_given_as_the_date(wildfire):
    """'would reopen on Saturday', said on a Wednesday: a date before the day it was said is no answer."""
    dossier, index = wildfire
    a = answer("When will the main road reopen?", dossier, index, embedder=False)
    assert "that is" not in a.text or "March 2026" in a.text.split("that is")[-1]
    assert not any(f"{day} February" in a.text for day in range(1, 30))


@pytest.mark.parametrize(
    ("when", "said", "expected"),
    [("2026-02-28", "2026-03-04", True), ("2026-02", "2026-03-04", True), ("2025", "2026-01-01", True),
     ("2026-03", "2026-03-04", False), ("2026-03-05", "2026-03-04", False), ("2026-W10", "2026-03-04", False),
     ("2026-03-04", None, False)],
)
def test_before_table(when, said, expected):
    assert ask._before(when, said) is expected


@pytest.mark.parametrize("question", ["How many people have died?", "Who is anyone?", "", "when"])
def test_an_empty_story_says_nothing(question):
    index = build_index([], embedder=None)  # nothing to encode: no model is loaded
    assert index.vectors is None and retrieve(question, index) == ()
    a = answer(question, {}, index)
    assert (a.answered, a.kind, a.text, a.citations) == (False, "none", NO_ANSWER, ())


def _event(sid: str, text: str, date: str) -> dict:
    c = {"source": sid, "start": 0, "end": len(text), "text": text}
    return {"id": f"e-{sid}", "action": "reopen", "date": date, "precision": "day", "date_basis": "text",
            "negated": False, "source": sid, "citations": [c]}


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        ([("b1", "Town Herald", "2026-04-20", "The old bridge will reopen on 3 May, the council said.", 0.8)],
         "(stated on 20 April 2026; that is 3 May 2026)"),
        ([("b1", "Town Herald", "2026-04-20", "The old bridge will reopen on 3 May, the council said.", 0.8),
          ("b2", "River Weekly", "2026-04-20", "The old bridge will reopen on 10 May, officials said.", 0.8)],
         "(stated on 20 April 2026; that is 3 May 2026) River Weekly gives 10 May 2026 instead."),
        # said after the day it names, in the future tense: a mis-resolved date is no answer
        ([("b1", "Town Herald", "2026-05-20", "The old bridge will reopen on 3 May, the council said.", 0.8)],
         None),
    ],
)
def test_dates_the_sources_disagree_on_are_both_shown(docs, expected):
    dossier, cits = _story_of(docs)
    days = {"b1": "2026-05-03", "b2": "2026-05-10"}
    dossier["events"] = [_event(sid, text, days[sid]) for sid, _o, _d, text, _q in docs]
    index = build_index(cits, published={s: d for s, _o, d, _t, _q in docs}, embedder=False)
    a = answer("When will the old bridge reopen?", dossier, index, embedder=False)
    if expected is None:
        assert a.kind != "date" and "that is" not in a.text
    else:
        assert a.kind == "date" and a.text.endswith(expected), a.text
    assert_verifies(a, dossier)


BLASTS = [
    ("tesk-a.txt", "TESK — At least 40 people were killed in the blasts across Tesk on Friday night, officials said. "
     "The highest toll was at the Orrin Market, where 17 people were killed as the stalls burned.\n", None),
    ("tesk-b.txt", "The coordinated blasts in Tesk killed 40 people, the interior ministry said. Six people were "
     "killed near the Velm bridge when a second device went off, according to the police.\n", None),
    ("tesk-c.txt", "Investigators in Tesk were still searching the Orrin Market on Sunday. The blasts killed 40 "
     "people and wounded more than 200, the ministry said in a statement.\n", None),
]


def _story(articles: list[tuple], crosscheck: bool) -> tuple[dict, object]:
    """A dossier of self-written articles (run through the real pipeline) and its lexical question index."""
    from conftest import make_items
    from storyline.crosscheck.stage import cross_check
    from storyline.output.dossier import build_dossier

    items = make_items(articles)
    checked = cross_check(items.items, items.index, embedder=False) if crosscheck else None
    dossier = build_dossier(items.items, items.index, crosscheck=checked)
    statements = build_statements(items.items, items.index)
    return dossier, build_index([s.citation for s in statements], embedder=False)


@pytest.fixture(scope="module")
def blasts():
    return _story(BLASTS, crosscheck=True)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("How many people were killed?", "40 people"),  # the figure most sources repeat, not a part of it
        ("How many people were killed at the Orrin Market?", "17 people"),  # the figure beside the place
        ("How many people were killed near the Velm bridge?", "Six people"),
        ("How many people were wounded?", "more than 200"),
    ],
)
def test_undated_story_picks_the_repeated_toll_or_the_one_beside_the_place(blasts, question, fact):
    dossier, index = blasts
    a = answer(question, dossier, index, embedder=False)
    assert a.answered and a.kind == "figure" and fact in a.text, (a.kind, a.text)
    assert_verifies(a, dossier)


@pytest.mark.parametrize(
    ("as_written", "tied"),
    [
        ("they", True),
        (" it ", True),
        ("A former Cargolux instructor pilot, who asked not to be named", True),
        ("an aviation expert who once worked for the airline", True),
        ("Cargolux", False),
        ("a Cargolux spokeswoman", False),
        ("The company", False),
        ("theyre", False),
    ],
)
def test_speakers_tied_to_an_organisation_are_not_the_organisation(as_written, tied):
    assert bool(ask._NOT_THE_ORG.search(as_written)) is tied


FERRY = [
    ("ferry-a.txt", "TESK — The ferry Marla sank off Tesk on Friday with 112 people on board, the coastguard said. "
     "Two passengers who boarded late in the evening were still missing on Saturday.\n", None),
    ("ferry-b.txt", "Rescuers in Tesk pulled survivors from the water after the ferry Marla went down with 112 people "
     "on board. The coastguard said 9 crew members were among the survivors.\n", None),
]


@pytest.fixture(scope="module")
def ferry():
    return _story(FERRY, crosscheck=False)


def test_the_words_after_a_figure_say_what_it_counts(ferry):
    dossier, index = ferry
    a = answer("How many people were on board?", dossier, index, embedder=False)
    assert a.answered and a.kind == "figure" and "112 people on board" in a.text, a.text
    assert_verifies(a, dossier)


STRIKES = [
    ("venn-a.txt", "PORT VENN — A naval strike on Tuesday killed five people aboard a fishing boat off Port Venn, "
     "the coast guard said. Relatives gathered at the harbour on Wednesday.\n", "2031-04-02"),
    ("venn-b.txt", "Another strike that killed five people hit a second boat near Port Venn on Wednesday, the "
     "coast guard said. The navy did not comment on the strike.\n", "2031-04-03"),
    ("venn-c.txt", "Naval strikes off the coast have killed at least 83 people since February, the health "
     "ministry said on Thursday. Fishermen have stopped going out to sea.\n", "2031-04-04"),
]


@pytest.fixture(scope="module")
def strikes():
    return _story(STRIKES, crosscheck=True)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("How many people have been killed in total?", "83 people"),
        ("How many people have been killed so far?", "83 people"),
        ("How many people have been killed since February?", "83 people"),
        ("What is the death toll in total?", "83 people"),
    ],
)
def test_a_count_of_one_strike_never_answers_the_total(strikes, question, fact):
    dossier, index = strikes
    readings = {f["text"]: f["reading"] for f in dossier["figures"]}
    assert "incident" in readings.values() or "occasion" in readings.values(), readings
    a = answer(question, dossier, index, embedder=False)
    assert a.answered and fact in a.text, (a.kind, a.text)
    assert not dossier["series"]  # two reports of "five" killed are two strikes, not a running count
    assert_verifies(a, dossier)


# --------------------------------------------------------------------------- paraphrase, who and which questions

CABLE = [
    ("brenvik-a.txt", "Cable car falls above Brenvik\n\nBRENVIK, Talmora — A cable car fell onto the slopes above "
     "Brenvik in northern Talmora on Saturday 7 June, killing 14 people, the mountain police said. The cabin was "
     "carrying 22 passengers and crew when a cable snapped. There were 19 passengers in the cabin.\n\nThe engineer "
     "believed to have approved the last repairs has left the country. Paula Dessin was seen at Brenvik airport on "
     "Sunday.\n", "2031-06-08"),
    ("brenvik-b.txt", "Talmora mourns cable car victims\n\nThe toll from the cable car crash in Talmora rose to 16 "
     "people on Monday, the mountain police said.\n\nThe country will observe two days of national mourning, the "
     "government said. Mayor Helena Marsh spoke to reporters in Brenvik. \"I confirm that the cabin fell from the "
     "northern line. This is a day of great sorrow,\" Marsh said.\n\nFans at the Brenvik stadium watched Karvo "
     "play Lund during the crash. Two rescue teams were sent from the Brenvik stadium to the crash.\n", "2031-06-09"),
    ("brenvik-c.txt", "Talmora cable car inquiry opens\n\nAn inquiry into the Brenvik crash opened in Talmora on "
     "Tuesday. The cable car will not open again until the inquiry is over, officials said.\n", "2031-06-10"),
]


@pytest.fixture(scope="module")
def cable():
    return _story(CABLE, crosscheck=True)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the toll from the crash finally rise to?", "16 people"),  # "finally" is no subject
        ("On what date did the cable car fall?", "Saturday 7 June"),  # "date" is the kind of answer
        ("What time did the cable car fall?", "Saturday 7 June"),
        ("Who confirmed that the cabin fell from the northern line?", "Helena Marsh said"),  # the quote's speaker
        ("Who is believed to have approved the last repairs?", "Paula Dessin"),  # the next sentence names her
        ("Which teams were playing at the Brenvik stadium during the crash?", "Karvo play Lund"),
        ("How many days of national mourning will Talmora observe?", NO_ANSWER),  # "the country": not said
        ("How many passengers, not counting crew, were in the cabin?", "19 passengers"),
        ("When did the inquiry open?", "Tuesday"),
        # still declined
        ("When will the cable car open again?", NO_ANSWER),  # no date in the only passage about it
        ("Which company built the cable car?", NO_ANSWER),
        ("What was the name of the cabin operator?", NO_ANSWER),
        ("Who cut the cable?", NO_ANSWER),
        ("How many days of mourning will Orlesia observe?", NO_ANSWER),  # a name the sources never use
    ],
)
def test_paraphrase_who_and_which_questions_of_my_own(cable, question, expected):
    dossier, index = cable
    a = answer(question, dossier, index, embedder=False)
    assert expected in a.text, (a.kind, a.text)
    assert a.answered is (expected != NO_ANSWER)
    assert_verifies(a, dossier)


@pytest.mark.parametrize(
    ("word", "term"),
    [("attackers", "attacker"), ("attacks", "attack"), ("protesters", "protester"), ("protest", "protest"),
     ("officer", "officer"), ("office", "offic"), ("killed", "kill"), ("bombers", "bomber")],
)
def test_the_doer_is_not_the_deed(word, term):
    assert ask._canonical(word) == term


@pytest.mark.parametrize(
    ("question", "asked", "when", "excluded"),
    [
        ("On what date did the fair open?", "date", "date", set()),
        ("What time did the train leave?", "time", "time", set()),
        ("Which band played at the Velm hall?", "band", None, set()),
        ("What did the mayor say?", None, None, set()),
        ("How many passengers, not counting crew, were aboard?", None, None, {"crew"}),
        ("How many people excluding the crew were aboard?", None, None, {"crew"}),
    ],
)
def test_what_a_question_asks_for(question, asked, when, excluded):
    assert ask._asked_type(question) == asked
    assert ask._when_type(question) == when
    assert excluded == {ask._canonical(m[1]) for m in ask._EXCLUDED_RE.finditer(question)}
