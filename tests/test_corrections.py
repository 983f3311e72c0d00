"""Corrections that stick everywhere: suppressions match the same statement in every view, a maintainer's
correction (speaker, value, date) is applied, marked and kept across re-analysis, the public corrections
log, and reports of a wrong "the sources do not say".  Every fixture text here is written for this file."""

from __future__ import annotations

import copy
import re

import pytest

from storyline.errors import NotFoundError, ProblemReportError
from storyline.reader.corrections import (
    Correction,
    apply_corrections,
    check_value,
    decision_entry,
    fields_for,
    find_corrected,
    mark_view,
)
from storyline.reader.problems import (
    STATEMENT_KINDS,
    Suppression,
    decline_key,
    is_suppressed,
    item_citations,
    item_key,
    normalise_question,
    overlaps,
)

S = "feed0001"


def _cite(start: int, end: int, source: str = S) -> dict:
    return {"source": source, "start": start, "end": end, "text": "w" * (end - start)}


def _dossier() -> dict:
    return {
        "entities": [{"id": "ent-1", "name": "Mara Lind"}],
        "quotes": [{"id": "q-a-1", "kind": "direct", "text": "We hold the line", "parts": ["We hold the line"],
                    "speaker": {"name": "Tomas Ek", "entity": None, "as_written": "he"}, "source": S,
                    "citations": [_cite(10, 30)]}],
        "figures": [{"id": "f-a-1", "value": 40, "value_high": 50, "qualifier": "about", "unit": "boats",
                     "text": "about 40-50 boats", "source": S, "citations": [_cite(100, 120)]}],
        "series": [{"id": "s-1", "what": "boats", "unit": "boats", "cumulative": False,
                    "points": [{"value": 40, "value_high": 50, "citations": [_cite(100, 120)]},
                               {"value": 60, "value_high": None, "citations": [_cite(300, 320)]}]}],
        "events": [{"id": "e-a-1", "date": "2025-11-03", "precision": "day", "summary": "talks began",
                    "citations": [_cite(5, 40)]}],
        "next": [{"id": "n-1", "text": "a vote", "when": "2025-12-01", "citations": [_cite(400, 420)]}],
    }  # fmt: skip


def _fix(cid: int, key: str, field: str, after: str, before: str = "x") -> Correction:
    kind = key.split(":", 1)[0]
    return Correction(cid, "st", key, kind, "text", field, before, after, "checked", "maintainer", "2025-12-01T10:00:00Z")


# --------------------------------------------------------------------------- matching the same statement


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((10, 30), (10, 30), True),  # the same span
        ((15, 25), (0, 100), True),  # a quote's words inside the sentence an event cites
        ((0, 20), (10, 40), True),  # shares 10 of the shorter 20
        ((0, 20), (11, 40), False),  # shares 9 of 20: less than half
        ((0, 10), (10, 20), False),  # adjacent, nothing shared
        ((0, 10), (50, 60), False),
        ((5, 5), (0, 10), False),  # an empty span shares nothing
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(*a, *b) is expected
    assert overlaps(*b, *a) is expected


QUOTE_SUP = [Suppression("quote", S, 10, 30)]
CONFLICT_SUP = [Suppression("conflict", S, 10, 30)]


@pytest.mark.parametrize(
    ("kind", "citations", "sups", "hidden"),
    [
        ("quote", [_cite(10, 30)], QUOTE_SUP, True),
        ("event", [_cite(5, 40)], QUOTE_SUP, True),  # the sentence that holds the quote, on the timeline
        ("claim", [_cite(500, 600, "other"), _cite(0, 45)], QUOTE_SUP, True),  # one of a claim's statements
        ("briefing", [_cite(8, 35)], QUOTE_SUP, True),
        ("answer", [_cite(10, 30)], QUOTE_SUP, True),
        ("figure", [_cite(12, 20)], QUOTE_SUP, True),
        ("next", [_cite(10, 30)], QUOTE_SUP, True),
        ("event", [_cite(10, 30, "feed0002")], QUOTE_SUP, False),  # the same offsets in another source
        ("event", [_cite(25, 80)], QUOTE_SUP, False),  # shares 5 of the shorter 20: another sentence
        ("conflict", [_cite(10, 30)], QUOTE_SUP, False),  # built from several statements: only its own kind
        ("series", [_cite(10, 30)], QUOTE_SUP, False),
        ("error", [_cite(10, 30)], QUOTE_SUP, False),
        ("conflict", [_cite(10, 30)], CONFLICT_SUP, True),
        ("quote", [_cite(10, 30)], CONFLICT_SUP, False),  # a wrong conflict card does not hide its sides' words
        ("briefing", [_cite(10, 30)], CONFLICT_SUP, True),  # a briefing sentence about the conflict
        ("quote", [_cite(10, 30)], [], False),
    ],
)
def test_a_suppressed_statement_is_hidden_in_every_kind_that_shows_it(kind, citations, sups, hidden):
    assert is_suppressed(kind, citations, sups) is hidden


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who  blocked the port?", "who blocked the port"),
        ("WHO BLOCKED THE PORT ?!", "who blocked the port"),
        ("who blocked the port", "who blocked the port"),
        ("Ｗho blocked the port?", "who blocked the port"),  # a full-width letter (NFKC)
        ("??", ""),
    ],
)
def test_normalise_question(question, expected):
    assert normalise_question(question) == expected


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Who blocked the port?", "who blocked  the port", True),
        ("Who blocked the port?", "Who opened the port?", False),
    ],
)
def test_decline_keys_depend_on_the_normalised_question_and_the_story(first, second, same):
    key = decline_key("story-a", first)
    assert re.fullmatch(r"decline:[0-9a-f]{16}:0-0", key)
    assert (decline_key("story-a", second) == key) is same
    assert decline_key("story-b", first) != key
    with pytest.raises(ValueError):
        decline_key("story-a", " ?")


# --------------------------------------------------------------------------- corrections, pure


@pytest.mark.parametrize(
    ("kind", "field", "value", "expected"),
    [
        ("quote", "speaker", "  Mara   Lind ", "Mara Lind"),
        ("figure", "value", "1,250", "1,250"),
        ("figure", "value", "12.5", "12.5"),
        ("event", "date", "2025-11-04", "2025-11-04"),
        ("next", "date", "2025-12", "2025-12"),
        ("claim", "date", "2025", "2025"),
        ("figure", "value", "twelve", None),
        ("figure", "value", "12 boats", None),
        ("event", "date", "last Tuesday", None),
        ("event", "date", "2025-W47", None),
        ("quote", "date", "2025-11-04", None),  # a quote has no date to correct
        ("claim", "speaker", "Mara Lind", None),
        ("quote", "colour", "red", None),
        ("quote", "speaker", "   ", None),
        ("quote", "speaker", "x" * 201, None),
    ],
)
def test_check_value(kind, field, value, expected):
    if expected is None:
        with pytest.raises(ProblemReportError):
            check_value(kind, field, value)
    else:
        assert check_value(kind, field, value) == expected


@pytest.mark.parametrize(
    ("kind", "fields"),
    [("quote", ("speaker",)), ("figure", ("value",)), ("event", ("date",)), ("claim", ("date",)),
     ("conflict", ()), ("briefing", ()), ("decline", ())],
)  # fmt: skip
def test_fields_for(kind, fields):
    assert fields_for(kind) == fields


QKEY = f"quote:{S}:10-30"
FKEY = f"figure:{S}:100-120"
EKEY = f"event:{S}:5-40"


@pytest.mark.parametrize(
    ("fix", "path", "expected"),
    [
        (_fix(1, QKEY, "speaker", "Mara Lind"), ("quotes", 0, "speaker"),
         {"name": "Mara Lind", "entity": "ent-1", "as_written": "he"}),  # a known entity's name links to it
        (_fix(1, QKEY, "speaker", "Ada Vos"), ("quotes", 0, "speaker"),
         {"name": "Ada Vos", "entity": None, "as_written": "he"}),
        (_fix(1, FKEY, "value", "1,250"), ("figures", 0, "value"), 1250),
        (_fix(1, FKEY, "value", "1,250"), ("figures", 0, "value_high"), None),
        (_fix(1, FKEY, "value", "12.5"), ("series", 0, "points", 0, "value"), 12.5),  # its running-figure point
        (_fix(1, FKEY, "value", "12.5"), ("series", 0, "points", 1, "value"), 60),  # another point stays
        (_fix(1, EKEY, "date", "2025-11-04"), ("events", 0, "date"), "2025-11-04"),
        (_fix(1, EKEY, "date", "2025-11"), ("events", 0, "precision"), "month"),
        (_fix(1, f"next:{S}:400-420", "date", "2026-01-09"), ("next", 0, "when"), "2026-01-09"),
        (_fix(1, f"event:{S}:6-40", "date", "2025-11-04"), ("events", 0, "date"), "2025-11-04"),  # found by overlap
        (_fix(1, f"event:{S}:200-240", "date", "2025-11-04"), ("events", 0, "date"), "2025-11-03"),  # no such item
        (_fix(1, f"event:{S}:5-40", "speaker", "Ada Vos"), ("events", 0, "date"), "2025-11-03"),  # wrong field
    ],
)
def test_apply_corrections(fix, path, expected):
    original = _dossier()
    kept = copy.deepcopy(original)
    node = apply_corrections(original, [fix])
    for step in path:
        node = node[step]
    assert node == expected
    assert original == kept  # the analysis (every candidate, the original values) is never changed


def test_the_latest_correction_of_a_field_wins():
    fixes = [_fix(2, FKEY, "value", "70"), _fix(1, FKEY, "value", "55")]
    assert apply_corrections(_dossier(), fixes)["figures"][0]["value"] == 70


def test_find_corrected_needs_the_same_kind():
    assert find_corrected(_dossier(), f"claim:{S}:10-30") is None
    assert find_corrected(_dossier(), QKEY)["id"] == "q-a-1"


def _view() -> dict:
    return {"sections": [{"sentences": [
        {"kind": "briefing", "key": f"briefing:{S}:5-40", "cites": [[S, 5, 40]]},  # holds the quote
        {"kind": "briefing", "key": f"briefing:{S}:200-240", "cites": [[S, 200, 240]]},
    ]}], "quotes": {"speakers": [{"quotes": [{"kind": "quote", "key": QKEY, "cites": [[S, 10, 30]]}]}]},
        "timeline": [{"kind": "event", "key": EKEY, "cites": [[S, 5, 40]]}],
        "other": {"kind": "quote", "key": f"quote:{S}:300-330", "cites": [[S, 300, 330]]}}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        (("quotes", "speakers", 0, "quotes", 0), True),  # the corrected quote
        (("sections", 0, "sentences", 0), True),  # a briefing sentence that shows it
        (("sections", 0, "sentences", 1), False),
        (("timeline", 0), False),  # an event of the same sentence is not what was corrected
        (("other",), False),  # another quote
    ],
)
def test_mark_view_marks_every_item_that_shows_the_corrected_statement(path, marked):
    view = mark_view(_view(), _dossier(), [_fix(7, QKEY, "speaker", "Ada Vos", before="Tomas Ek")])
    node = view
    for step in path:
        node = node[step]
    if marked:
        assert node["corrected"] == [{"id": 7, "field": "speaker", "before": "Tomas Ek", "after": "Ada Vos",
                                      "note": "checked", "by": "maintainer", "at": "2025-12-01T10:00:00Z"}]
    else:
        assert "corrected" not in node


ROW = {"item_text": "The port closed on Monday.", "before": None, "after": None, "prev": None}


@pytest.mark.parametrize(
    ("row", "before", "after"),
    [
        ({**ROW, "action": "suppressed", "prev": "reported"}, "The port closed on Monday.", "hidden"),
        ({**ROW, "action": "open", "prev": "suppressed"}, "hidden", "The port closed on Monday."),
        ({**ROW, "action": "resolved", "prev": "suppressed"}, "hidden", "The port closed on Monday."),
        ({**ROW, "action": "resolved", "prev": "reported"}, "The port closed on Monday.", "kept as it was (resolved)"),
        ({**ROW, "action": "open", "prev": "resolved"}, "resolved", "open again"),
        ({**ROW, "action": "corrected", "before": "Tomas Ek", "after": "Ada Vos"}, "Tomas Ek", "Ada Vos"),
    ],
)
def test_decision_entry_says_before_and_after(row, before, after):
    entry = decision_entry(row)
    assert (entry["before"], entry["after"]) == (before, after)


def test_statement_kinds_are_item_kinds():
    from storyline.reader.problems import ITEM_KINDS

    assert set(ITEM_KINDS) >= STATEMENT_KINDS and "decline" in ITEM_KINDS


# --------------------------------------------------------------------------- in a real store (the sample story)


@pytest.fixture()
def store(sample_run, tmp_path):
    from storyline.reader.stories import save_story
    from storyline.store import Store

    with Store(sample_run.db) as shared:
        shared.backup(tmp_path / "copy.db")
    s = Store(tmp_path / "copy.db")
    ids = [src["id"] for src in sample_run.dossier["sources"]]
    s.saved_id = save_story(s, sample_run.dossier, ids)  # type: ignore[attr-defined]
    yield s
    s.close()


def _view_items(node) -> list[dict]:
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if "key" in n and "cites" in n and "kind" in n:
                found.append(n)
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return found


def _shared_quote(dossier: dict) -> tuple[dict, list[str]]:
    """A quote whose words are also shown as an event and as a claim (the kinds that show it)."""
    for q in dossier["quotes"]:
        c = q["citations"][0]
        kinds = []
        for kind, section in (("event", "events"), ("claim", "claims")):
            for item in dossier.get(section) or []:
                if any(x["source"] == c["source"] and overlaps(x["start"], x["end"], c["start"], c["end"])
                       for x in item_citations(kind, item)):
                    kinds.append(kind)
                    break
        if len(kinds) == 2:
            return q, kinds
    raise AssertionError("the sample has no quote shown as an event and a claim")


def _pages(client, sid: str, source: str) -> str:
    """The story page and every tab page (filtered to the quote's source, all its pages)."""
    from storyline.reader.views import TABS

    html = [client.get(f"/stories/{sid}").text]
    for name in TABS:
        for page in range(1, 20):
            r = client.get(f"/stories/{sid}/{name}", params={"source": source, "page": page})
            if r.status_code != 200:
                break
            html.append(r.text)
            if f"page={page + 1}" not in r.text:
                break
    return "\n".join(html)


@pytest.mark.slow
def test_suppressing_a_quote_hides_it_in_every_view(store):
    from fastapi.testclient import TestClient

    from storyline.reader.problems import Suppression
    from storyline.reader.stories import (
        decide_problem,
        load_briefing,
        load_dossier,
        report_problem,
        suppressions,
    )
    from storyline.reader.views import item_anchor
    from storyline.web.app import create_app

    sid = store.saved_id
    quote, _kinds = _shared_quote(load_dossier(store, sid))
    c = quote["citations"][0]
    key = item_key("quote", quote["citations"])

    def same(item: dict) -> bool:
        return item["kind"] in STATEMENT_KINDS and any(
            x[0] == c["source"] and overlaps(int(x[1]), int(x[2]), c["start"], c["end"]) for x in item["cites"])

    showing = [i for i in _view_items(store.story_section(sid, "view")) if same(i)]
    client = TestClient(create_app(store.path, embedder=False))
    before = _pages(client, sid, c["source"])
    anchors = {f'id="{item_anchor(i["key"])}"' for i in showing} | {f'id="{item_anchor(key)}"'}
    shown_before = {a for a in anchors if a in before}
    assert len({i["kind"] for i in showing}) >= 2 and shown_before  # the statement is on several views

    p = report_problem(store, sid, key, "misattributed", "someone else said it")
    decide_problem(store, p.id, "suppressed", "checked the source")
    sup = suppressions(store, sid)
    assert sup == [Suppression.from_key(key)]
    assert all(is_suppressed(i["kind"], [{"source": x[0], "start": x[1], "end": x[2]} for x in i["cites"]], sup)
               for i in showing)  # fmt: skip
    assert not any(same({"kind": "briefing", "cites": [[x.source, x.start, x.end] for x in s.citations]})
                   for s in load_briefing(store, sid).sentences)  # fmt: skip
    after = _pages(client, sid, c["source"])
    assert not {a for a in shown_before if a in after}
    decide_problem(store, p.id, "open", "reconsidered")  # reopening shows it again
    assert {a for a in shown_before if a in _pages(client, sid, c["source"])} == shown_before


@pytest.mark.slow
def test_correction_round_trip_survives_reanalysis_and_is_logged(store, sample_run):
    from storyline.reader.stories import (
        correct_problem,
        decide_problem,
        load_dossier,
        report_problem,
        save_story,
        story_corrections,
    )

    sid = store.saved_id
    shown = store.story_section(sid, "view")["figures"]["figures"][0]
    key = shown["key"]
    p = report_problem(store, sid, key, "wrong", "the number is off")
    c = correct_problem(store, p.id, "value", "12,345", note="the agency's own count")
    assert (c.field, c.after, c.problem, c.before) == ("value", "12,345", p.id, shown["value"])
    assert store.problem(p.id).status == "resolved"
    assert store.problem_log(sid)[0]["action"] == "corrected"

    def check() -> None:
        view = store.story_section(sid, "view")
        fig = next(f for f in view["figures"]["figures"] if f["key"] == key)
        assert "12,345" in fig["value"] and fig["corrected"][0]["before"] == shown["value"]
        raw = next(f for f in store.story_section(sid, "figures") if item_key("figure", f["citations"]) == key)
        assert raw["value"] != 12345  # the analysis keeps the source's value
        assert next(f for f in load_dossier(store, sid)["figures"]
                    if item_key("figure", f["citations"]) == key)["value"] == 12345  # fmt: skip

    check()
    save_story(store, copy.deepcopy(sample_run.dossier), store.story_article_ids(sid))  # analysed again
    check()
    assert [x.id for x in story_corrections(store, sid)] == [c.id]
    # the log: newest first, the correction with before and after, then a suppression of another item
    other = store.story_section(sid, "view")["figures"]["figures"][1]["key"]
    q = report_problem(store, sid, other, "wrong")
    decide_problem(store, q.id, "suppressed", "not in the source")
    rows = [decision_entry(r) for r in store.decisions(sid)]
    assert [r["action"] for r in rows] == ["suppressed", "corrected"] or [r["action"] for r in rows] == [
        "corrected", "suppressed"]  # the same second: both listed  # fmt: skip
    by_action = {r["action"]: r for r in rows}
    assert (by_action["corrected"]["before"], by_action["corrected"]["after"]) == (shown["value"], "12,345")
    assert by_action["suppressed"]["after"] == "hidden"
    assert store.count_decisions(sid) == 2 and decision_entry(store.decisions(sid, limit=1, offset=1)[0]) == rows[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "field", "value", "error"),
    [
        ("figure", "speaker", "Ada Vos", ProblemReportError),  # a figure has no speaker
        ("figure", "value", "many", ProblemReportError),
        ("missing", "value", "12", ProblemReportError),
        ("nokey", "value", "12", ProblemReportError),
    ],
)
def test_bad_corrections_change_nothing(store, target, field, value, error):
    from storyline.reader.stories import correct_item, correct_problem

    sid = store.saved_id
    key = store.story_section(sid, "view")["figures"]["figures"][0]["key"]
    key = {"figure": key, "missing": key.rsplit(":", 1)[0] + ":1-2", "nokey": "not a key"}[target]
    with pytest.raises(error):
        correct_item(store, sid, key, field, value)
    with pytest.raises(NotFoundError):
        correct_problem(store, 9999, "value", "12")
    assert store.corrections() == [] and store.count_decisions() == 0


# --------------------------------------------------------------------------- the web app and the CLI


@pytest.mark.slow
def test_web_correction_form_log_page_and_inert_markup(store):
    from fastapi.testclient import TestClient

    from storyline.web.app import create_app

    sid = store.saved_id
    key = store.story_section(sid, "view")["figures"]["figures"][0]["key"]
    client = TestClient(create_app(store.path, maintainer=True, token="tok", embedder=False))
    r = client.post(f"/stories/{sid}/problems", data={"key": key, "category": "wrong"}, follow_redirects=False)
    assert r.status_code == 303
    pid = store.problems(sid)[0].id
    form = {"field": "value", "value": "7,777", "note": "<script>alert(1)</script>"}
    assert client.post(f"/problems/{pid}/correct", data=form, follow_redirects=False).status_code == 403
    assert "Correct item" not in client.get("/problems").text  # no token, no form
    client.get("/maintainer", params={"token": "tok"})
    assert "Correct item" in client.get("/problems").text
    bad = client.post(f"/problems/{pid}/correct", data={**form, "value": "lots", "token": "tok"})
    assert bad.status_code == 400 and store.corrections() == []
    r = client.post(f"/problems/{pid}/correct", data={**form, "token": "tok"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#p-{pid}")
    log = client.get("/corrections").text
    assert "7,777" in log and "<script>alert(1)" not in log and "&lt;script&gt;" in log
    assert client.get("/corrections", params={"story": "nope"}).text.count('class="decision') == 0
    assert 'href="/corrections"' in client.get("/").text  # linked from every page
    assert "7,777" in client.get(f"/stories/{sid}/figures").text or "7,777" in client.get(f"/stories/{sid}").text


@pytest.mark.slow
def test_a_reader_reports_a_wrong_decline_from_the_ask_page(store):
    from urllib.parse import parse_qs, urlsplit

    from fastapi.testclient import TestClient

    from storyline.web.app import create_app

    sid = store.saved_id
    client = TestClient(create_app(store.path, embedder=False))
    question = "What colour is the moon over Zorbania tonight?"
    page = client.get(f"/stories/{sid}/ask", params={"q": question}).text
    assert "The sources do not say" in page
    link = re.search(r'href="(/stories/[^"]+/report\?[^"]+)"', page)
    assert link is not None
    params = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert params["key"] == [decline_key(sid, question)] and params["text"] == [question]
    assert client.get(link.group(1).replace("&amp;", "&")).status_code == 200  # the one report form
    forged = {"key": decline_key(sid, "another question"), "text": question, "category": "wrong"}
    assert client.post(f"/stories/{sid}/problems", data=forged).status_code == 400
    ok = {"key": params["key"][0], "text": question, "category": "wrong", "comment": "the second source says it"}
    assert client.post(f"/stories/{sid}/problems", data=ok, follow_redirects=False).status_code == 303
    p = store.problems(sid)[0]
    assert (p.item_kind, p.item_text, p.citations) == ("decline", question, ())
    listed = client.get("/problems").text
    assert "What colour is the moon over Zorbania tonight?" in listed and "The sources do not say" in listed
    from storyline.reader.stories import decide_problem

    with pytest.raises(ProblemReportError, match="nothing to hide"):
        decide_problem(store, p.id, "suppressed")


@pytest.mark.slow
def test_cli_correction_survives_analysing_the_same_articles_again(sample_run, tmp_path):
    from typer.testing import CliRunner

    from storyline.cli import app
    from storyline.store import Store

    db = tmp_path / "cli.db"
    with Store(sample_run.db) as shared:
        shared.backup(db)
    corpus = str(__import__("scoring").CORPUS)
    runner = CliRunner()
    first = runner.invoke(app, ["analyze", corpus, "--db", str(db), "--workers", "1"])
    assert first.exit_code == 0, first.output
    with Store(db) as s:
        sid = s.stories()[0].id
        fig = s.story_section(sid, "view")["figures"]["figures"][0]
    done = runner.invoke(app, ["problems", "correct", fig["key"], "--field", "value", "--value", "4,242",
                               "--story", sid, "--note", "agency count", "--db", str(db)])  # fmt: skip
    assert done.exit_code == 0 and "4,242" in done.output, done.output
    refused = runner.invoke(app, ["problems", "correct", fig["key"], "--field", "speaker", "--value", "X",
                                  "--story", sid, "--db", str(db)])  # fmt: skip
    assert refused.exit_code != 0
    again = runner.invoke(app, ["analyze", corpus, "--db", str(db), "--workers", "1"])
    assert again.exit_code == 0, again.output
    with Store(db) as s:
        view = s.story_section(sid, "view")
    now = next(f for f in view["figures"]["figures"] if f["key"] == fig["key"])
    assert "4,242" in now["value"] and now["corrected"][0]["before"] == fig["value"]
    listed = runner.invoke(app, ["problems", "corrections", "--db", str(db), "--json"])
    rows = __import__("json").loads(listed.output)
    assert [(r["action"], r["before"], r["after"]) for r in rows] == [("corrected", fig["value"], "4,242")]
