"""What the reader never states as fact or as coming: flagged errors, losing sides, superseded figures.

One hand-built dossier of my own (two sources about a dam dispute), checked through every reader view:
the shared list (:mod:`storyline.reader.mistakes`), what comes next on the story page and in the report,
the briefing and ``ask``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.reader.ask import NO_ANSWER, answer, build_index
from storyline.reader.briefing import build_briefing
from storyline.reader.mistakes import Mistakes, Spans, superseded
from storyline.reader.views import story_view
from storyline.records import Citation

A, B, C = "aaaa0000aaaa0000", "bbbb1111bbbb1111", "cccc2222cccc2222"
TEXTS = {
    A: (
        "Rennick dam talks stall\n\n"
        "The Ridley administration, set to take office in January, will review the dam contract on Friday. "
        "Engineers said over 80 homes were flooded below the Rennick dam on Monday. "
        "The water board said the spillway was opened by the army engineers on Sunday night. "
        "Mayor Anna Velt will visit the flooded streets on Thursday.\n"
    ),
    B: (
        "Engineers said at least 114 homes were flooded below the Rennick dam by Wednesday. "
        "President Omar Ridley, who took office last year, met the water board on Tuesday. "
        "The spillway was opened by the water board itself on Sunday night, its chairman said. "
        "The board will publish its report on the dam on Friday.\n"
    ),
    C: (
        "Rennick residents said at least 114 homes were flooded by Wednesday. "
        "The water board opened the spillway on Sunday night to save the dam, officials said. "
        "The board will publish its findings on Thursday, a spokesman said.\n"
    ),
}


def cite(source: str, phrase: str) -> dict:
    start = TEXTS[source].find(phrase)
    assert start >= 0, phrase
    return {"source": source, "start": start, "end": start + len(phrase), "text": phrase}


def sentence_with(source: str, phrase: str) -> dict:
    """The whole sentence of ``TEXTS[source]`` that contains ``phrase``."""
    text = TEXTS[source]
    at = text.find(phrase)
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    end = text.find(".", at) + 1
    return {"source": source, "start": start, "end": end, "text": text[start:end]}


def next_item(nid: str, source: str, phrase: str, when: str) -> dict:
    s = sentence_with(source, phrase)
    return {"id": nid, "kind": "scheduled", "text": s["text"], "when": when, "when_text": "on Friday",
            "said_on": "2026-03-04", "label": None, "citations": [s], "sources": [source], "independent": 1,
            "passed": False}


def side(value: str, source: str, phrase: str) -> dict:
    return {"value": value, "citations": [cite(source, phrase)], "sources": [source], "independent": 1,
            "as_of": None}


def point(value: float, qualifier: str, as_of: str, source: str, phrase: str) -> dict:
    return {"value": value, "value_high": None, "qualifier": qualifier, "as_of": as_of, "source": source,
            "published": as_of, "text": phrase, "citations": [cite(source, phrase)]}


def dam_dossier() -> dict:
    return {
        "title": "Rennick dam talks stall",
        "period": {"first": "2026-03-02", "last": "2026-03-04"},
        "sources": [
            {"id": A, "ref": "s1", "outlet": "Valley Post", "title": "Rennick dam talks stall",
             "published": "2026-03-02", "text": TEXTS[A], "furniture": []},
            {"id": B, "ref": "s2", "outlet": "Coastline Wire", "title": None, "published": "2026-03-04",
             "text": TEXTS[B], "furniture": []},
            {"id": C, "ref": "s3", "outlet": "Rennick Herald", "title": None, "published": "2026-03-04",
             "text": TEXTS[C], "furniture": []},
        ],
        "quality": [{"source": A, "score": 0.4, "reasons": []}, {"source": B, "score": 0.8, "reasons": []},
                    {"source": C, "score": 0.7, "reasons": []}],
        "independence": {"groups": [], "links": []},
        "claims": [],
        "errors": [{
            "id": "err-1", "kind": "outdated", "source": A,
            "citations": [cite(A, "The Ridley administration, set to take office in January")],
            "text": "The Ridley administration, set to take office in January",
            "correction": "President Omar Ridley, who took office last year",
            "evidence": [cite(B, "President Omar Ridley, who took office last year")],
            "why": "Omar Ridley took office last year (Coastline Wire).", "conflict": None,
        }],
        "conflicts": [
            {"id": "x-1", "kind": "doer", "about": "who opened the spillway", "likely": 1, "explanation": "...",
             "sides": [side("the army engineers", A, "opened by the army engineers"),
                       side("the water board", B, "opened by the water board")]},
            {"id": "x-2", "kind": "date", "about": "when the board publishes its report", "likely": None,
             "explanation": "...",
             "sides": [side("Friday", B, "its report on the dam on Friday"),
                       side("Thursday", C, "its findings on Thursday")]},
        ],
        "series": [{
            "id": "fs-1", "what": "homes flooded", "unit": "homes", "cumulative": True,
            "points": [point(80.0, "over", "2026-03-02", A, "over 80 homes"),
                       point(114.0, "at least", "2026-03-04", B, "at least 114 homes")],
        }],
        "entities": [],
        "quotes": [],
        "next": [
            next_item("n-1", A, "The Ridley administration", "2026-03-06"),
            next_item("n-2", B, "publish its report", "2026-03-06"),
            next_item("n-3", A, "Mayor Anna Velt will visit", "2026-03-05"),
        ],
        "events": [],
        "figures": [],
        "dates": [],
        "offices": [],
    }


def as_cit(d: dict) -> Citation:
    return Citation(d["source"], d["start"], d["end"], d["text"])


# (source, phrase, the reason held, or None when it may be stated)
HELD = [
    (A, "set to take office", "flagged error (err-1)"),
    (A, "The Ridley administration, set to take office in January, will review", "flagged error"),
    (A, "army engineers", "sides that the sources contradict"),
    (A, "over 80 homes", "since superseded"),
    (A, "80", "since superseded"),
    (B, "at least 114 homes", None),  # the latest value
    (B, "opened by the water board", None),  # the side the sources support
    (B, "its report on the dam on Friday", None),  # an undecided conflict: a dispute, not a mistake
    (A, "Mayor Anna Velt", None),
    (C, "The water board opened the spillway", None),
]


@pytest.mark.parametrize(("source", "phrase", "reason"), HELD)
def test_what_is_held_and_why(source, phrase, reason):
    why = Mistakes(dam_dossier()).why([as_cit(cite(source, phrase))])
    if reason is None:
        assert why is None, why
    else:
        assert why is not None and reason.replace("sides that", "side that") in why, why


def test_kinds_select_what_counts():
    m = Mistakes(dam_dossier())
    old = [as_cit(cite(A, "over 80 homes"))]
    assert m.why(old) is not None
    assert m.why(old, ("error", "losing")) is None
    assert m.why([as_cit(cite(A, "army engineers"))], ("superseded",)) is None


def test_superseded_needs_a_latest_day_that_agrees_with_itself():
    fs = dam_dossier()["series"][0]
    assert [c["text"] for c in superseded(fs)] == ["over 80 homes"]
    fs["points"].append(point(90.0, "", "2026-03-04", C, "at least 114 homes"))  # the last day disagrees
    assert superseded(fs) == []
    assert superseded({**dam_dossier()["series"][0], "cumulative": False}) == []


def test_an_error_is_never_the_latest_value():
    d = dam_dossier()
    d["errors"].append({"id": "err-2", "kind": "number", "source": B, "citations": [cite(B, "at least 114 homes")],
                        "text": "x", "correction": "", "evidence": [], "why": "...", "conflict": None})
    assert superseded(d["series"][0], Mistakes({"errors": d["errors"]}).spans) == []


@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=12),
       probe=st.tuples(st.integers(0, 80), st.integers(0, 20)))
def test_span_overlap_matches_brute_force(spans, probe):
    sp = Spans()
    for i, (s, n) in enumerate(spans):
        sp.add(Citation("x", s, s + n, "?" * n), f"l{i}")
    c = Citation("x", probe[0], probe[0] + probe[1], "?" * probe[1])
    hits = [f"l{i}" for i, (s, n) in enumerate(spans) if s < c.end and c.start < s + n]
    assert sp.overlaps(c) == bool(hits)
    assert (sp.label(c) in hits) if hits else sp.label(c) is None
    assert Spans().label(c) is None and sp.label(Citation("y", 0, 5, "?????")) is None


# ------------------------------------------------------------------------------------ every reader view


def test_story_page_model_holds_back_what_comes_next():
    items = {n["text"].split()[1]: n for n in story_view(dam_dossier(), {})["next"]["items"]}
    assert set(items) == {"Ridley", "board", "Anna"}
    assert "flagged error" in items["Ridley"]["held"]
    assert items["board"]["held"] is None and items["Anna"]["held"] is None


def test_report_holds_back_what_comes_next(tmp_path):
    from storyline.output.report import render_markdown

    md = render_markdown(dam_dossier())
    section = md.split("\n## What comes next", 1)[1].split("\n## ", 1)[0]
    held = [line for line in section.splitlines() if "Held back" in line]
    assert len(held) == 1 and "Ridley administration" in held[0] and "flagged error" in held[0]
    assert any("publish its report" in line and "Held back" not in line for line in section.splitlines())


def test_briefing_never_states_a_held_sentence():
    b = build_briefing(dam_dossier(), length=30)
    sections = {sec.name: " ".join(s.text for s in sec.sentences) for sec in b.sections}
    shown = " ".join(text for name, text in sections.items() if name != "disputed")
    assert "Mayor Anna Velt will visit" in sections.get("next", "")  # a coming event that holds no mistake
    assert "set to take office" not in shown
    assert "army engineers" not in shown
    assert "over 80 homes" not in shown


@pytest.fixture(scope="module")
def dam_index():
    d = dam_dossier()
    sentences = [as_cit(sentence_with(sid, phrase)) for sid, phrase in [
        (A, "The Ridley administration"), (A, "over 80 homes"), (A, "army engineers"), (A, "Mayor Anna Velt"),
        (B, "at least 114 homes"), (B, "President Omar Ridley"), (B, "opened by the water board"),
        (B, "publish its report"), (C, "at least 114 homes"), (C, "opened the spillway"),
    ]]
    return d, build_index(sentences, published={s["id"]: s["published"] for s in d["sources"]}, embedder=False)


@pytest.mark.parametrize(
    ("question", "never", "expected"),
    [
        ("Who opened the spillway at the dam?", "army engineers", "water board"),
        ("When will the Ridley administration review the dam contract?", "set to take office", None),
        ("How many homes were flooded below the dam?", "over 80 homes were", "114"),
    ],
)
def test_ask_never_answers_with_a_held_sentence(dam_index, question, never, expected):
    d, index = dam_index
    a = answer(question, d, index, embedder=False)
    assert all(never not in c.text for c in a.citations[:1]), a
    assert never not in a.text
    if expected is None:
        assert not a.answered or "set to take office" not in a.text, a.text
    else:
        assert a.answered and expected in a.text, a.text
    assert all(p.citation.text.find(never) < 0 for p in a.passages)
    if not a.answered:
        assert a.text == NO_ANSWER


def test_story_page_shows_held_items_apart(tmp_path):
    """The served page lists the held item under its reason, never among what comes next."""
    import html

    import httpx

    from conftest import serve_app as serve
    from storyline.store import Store
    from storyline.web.app import create_app

    d = dam_dossier()
    db = tmp_path / "dam.db"
    with Store(db) as store:
        sections = {k: d[k] for k in ("sources", "next", "errors", "conflicts", "series", "figures") if k in d}
        store.save_story("dam", d["title"], [], {"view": story_view(d, {}), **sections})
    with serve(create_app(db, embedder=False)) as base:
        r = httpx.get(base + "/stories/dam/next", timeout=30)  # the "what comes next" tab
        top = httpx.get(base + "/stories/dam", timeout=30).text
    assert r.status_code == 200
    assert "Ridley administration" not in top.split('<section id="next"', 1)[1].split("</section>", 1)[0]
    nxt = html.unescape(r.text.split("</nav>", 2)[2].split("<footer>", 1)[0])
    coming, held = nxt.split('<h2 id="held">', 1)
    assert "Mayor Anna Velt will visit" in coming and "Ridley administration" not in coming
    assert "Ridley administration" in held and "Not shown as coming because it holds a flagged error" in held
