"""The story's pages: the top of the story, the tab pages (paged, filtered), the one report page, unique ids.

Every text here is written for these tests: a made-up harbour story in three made-up outlets."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from storyline.reader.views import TAB_PAGE_SIZE, filter_error, item_anchor, section_page, story_view
from storyline.store import Store
from storyline.web.app import WriteLimits, _cite_label, _short_date, create_app

SOURCES = [
    {"id": "aa01", "ref": "s1", "outlet": "Harbour Herald", "published": "2025-03-01", "title": "Ferries"},
    {"id": "bb02", "ref": "s2", "outlet": "Quay Courier", "published": "2025-03-03", "title": "More ferries"},
    {"id": "cc03", "ref": "s3", "outlet": "Isle Post", "published": "2025-03-05", "title": "Ferry strike"},
]
IDS = [s["id"] for s in SOURCES]
STATUSES = ("corroborated", "contested", "single-source")
N_CLAIMS = 60  # 20 per status, 20 per source: three pages of 25
INJECTED = '<script>window.__x=1</script><img src=x onerror="alert(1)">'


def cite(source: str, start: int, text: str) -> dict:
    return {"source": source, "start": start, "end": start + len(text), "text": text}


def _claims() -> list[dict]:
    out = []
    for i in range(N_CLAIMS):
        text = f"Crossing number {i} to Orsk sails at dawn." if i else f"The board wrote {INJECTED} on a notice."
        out.append({"id": f"c{i}", "text": text, "status": STATUSES[i % 3], "independent": 1 + i % 2,
                    "sources": [IDS[i % 3]], "citations": [cite(IDS[i % 3], 100 * i, text)]})
    return out


REPORT_KEY = "claim:aa01:300-{}".format(300 + len(_claims()[3]["text"]))


def _events() -> list[dict]:
    events = []
    for i in range(30):
        text = f"The harbour board met for session {i}."
        events.append({"id": f"e{i}", "action": "meet", "date": f"2025-02-{1 + i % 28:02d}", "precision": "day",
                       "date_basis": "text", "source": IDS[i % 3], "summary": text,
                       "citations": [cite(IDS[i % 3], 10_000 + 100 * i, text)]})
    same = "Dockworkers walked out at the Brellin terminal."  # one event, two sources, two dates
    events.append({"id": "e-pub", "action": "walk out", "date": "2025-03-05", "precision": "day",
                   "date_basis": "published", "source": "cc03", "summary": same,
                   "citations": [cite("cc03", 20_000, same)]})
    events.append({"id": "e-text", "action": "walk out", "date": "2025-03-02", "precision": "day",
                   "date_basis": "text", "source": "bb02", "summary": same,
                   "citations": [cite("bb02", 20_000, same)]})
    return events


def _quotes() -> list[dict]:
    quotes = []
    for i in range(8):
        who = ("Ines Varga", "ent-varga") if i % 4 else ("Tomas Reel", "ent-reel")
        text = f"We will add crossing {i} before summer."
        quotes.append({"id": f"q{i}", "kind": "direct", "text": text, "source": IDS[i % 3],
                       "speaker": {"name": who[0], "entity": who[1]}, "citations": [cite(IDS[i % 3], 30_000 + 100 * i, text)]})
    return quotes


def dossier() -> dict:
    figure = "12 crew members"
    return {
        "title": "Brellin ferries", "period": {"first": "2025-03-01", "last": "2025-03-05"},
        "sources": SOURCES, "claims": _claims(), "events": _events(), "quotes": _quotes(),
        "entities": [{"id": "ent-varga", "name": "Ines Varga", "roles": [{"role": "board chair"}]},
                     {"id": "ent-reel", "name": "Tomas Reel", "roles": []}],
        "figures": [{"id": f"f{i}", "value": 12 + i, "text": figure, "source": IDS[i % 3],
                     "citations": [cite(IDS[i % 3], 40_000 + 100 * i, figure)]} for i in range(5)],
        "conflicts": [{"id": "x1", "about": "crew hired", "kind": "figure", "sides": [
            {"value": "12", "sources": ["aa01"], "independent": 1, "citations": [cite("aa01", 50_000, "12 crew")]},
            {"value": "14", "sources": ["bb02"], "independent": 1, "citations": [cite("bb02", 50_000, "14 crew")]}]}],
        "errors": [{"id": "err1", "kind": "name", "source": "cc03", "correction": "Ines Varga", "why": "spelling",
                    "citations": [cite("cc03", 60_000, "Ines Warga")], "evidence": [cite("aa01", 60_000, "Ines Varga")]}],
        "next": [{"id": f"n{i}", "kind": "scheduled", "text": f"Evening ferry {i} sails.", "when": f"2025-04-{10 + i}",
                  "sources": [IDS[i % 3]], "citations": [cite(IDS[i % 3], 70_000 + 100 * i, f"Evening ferry {i} sails.")]}
                 for i in range(4)],
    }  # fmt: skip


def _marks(*cites: dict) -> list[dict]:
    return [{"ref": {"aa01": "s1", "bb02": "s2", "cc03": "s3"}[c["source"]], "src": c["source"], "s": c["start"],
             "e": c["end"], "t": f"{c['source']}: {c['text']}"} for c in cites]


def _ident(kind: str, c: dict) -> dict:
    return {"kind": kind, "key": f"{kind}:{c['source']}:{c['start']}-{c['end']}",
            "cites": [[c["source"], c["start"], c["end"]]], "markers": _marks(c), "more_markers": 0}


def top() -> dict:
    """A "top" in the contract reader/top.py writes."""
    b1, b2 = cite("bb02", 80_000, "Four evening crossings start."), cite("cc03", 80_000, "Dockworkers walked out.")
    n1 = cite("aa01", 81_000, "12 crew")
    return {
        "headline": {"text": "Brellin's evening ferries start as dockworkers strike", "markers": _marks(b1),
                     "basis": "composed"},
        "dek": {"text": "Dockworkers walked out on 5 March.", "date": "2025-03-05", "markers": _marks(b2)},
        "bullets": [{**_ident("claim", b1), "text": "Four evening crossings start on 10 March.", "date": "2025-03-03"},
                    {**_ident("claim", b2), "text": f"Dockworkers walked out {INJECTED}.", "date": "2025-03-05"}],
        "numbers": [{**_ident("series", n1), "what": "crew hired", "value": "12", "as_of": "2025-03-01",
                     "n_points": 3, "spark": '<svg class="spark" viewBox="0 0 60 16"><polyline points="0,8 60,2"/></svg>'}],
        "disputes": [{**_ident("conflict", cite("aa01", 50_000, "12 crew")), "about": "crew hired", "weight": 2,
                      "sides": [{"value": "12", "n_sources": 1, "independent": 1, "outlets": ["Harbour Herald"],
                                 "markers": _marks(cite("aa01", 50_000, "12 crew"))},
                                {"value": "14", "n_sources": 1, "independent": 1, "outlets": ["Quay Courier"],
                                 "markers": _marks(cite("bb02", 50_000, "14 crew"))}]}],
        "changes": [{**_ident("claim", cite("aa01", 82_000, c[0])), "text": c[0], "first_seen": c[1], "what": c[2]}
                    for c in (("The board approved the timetable.", "2025-03-01", "claim"),
                              ("Crew hired rose to 14.", "2025-03-03", "figure"),
                              ("Dockworkers dispute the rota.", "2025-03-05T09:00:00Z", "conflict"))],
        "as_of": "2025-03-05",
    }  # fmt: skip


@dataclass
class Site:
    client: TestClient
    db: Path

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)


def save(db: Path, story: str, *, with_top: bool = True) -> None:
    d = dossier()
    view = story_view(d, {"headline": "Ferries: the briefing's headline", "sections": []})
    if with_top:
        view["top"] = top()
    else:
        view.pop("top", None)
    sections = {name: d[name] for name in ("sources", "claims", "events", "quotes", "entities", "figures",
                                           "conflicts", "errors", "next")}
    with Store(db) as store:
        store.save_story(story, "Brellin ferries", [], {**sections, "view": view,
                                                          "briefing": {"headline": "Ferries", "sections": []}})


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    db = tmp_path_factory.mktemp("pages") / "pages.db"
    save(db, "ferries")
    save(db, "old-view", with_top=False)
    with TestClient(create_app(db, embedder=False, limits=WriteLimits(reports=None))) as client:
        yield Site(client, db)


def one_line(r) -> str:
    m = re.search(r'<p class="error-line">(.*?)</p>', r.text, re.S)
    assert m is not None, r.text[:300]
    return html.unescape(m.group(1))


def items_of(page: str) -> list[str]:
    return re.findall(r'<(?:li|div|section) id="(i-[^"]+)"', page)


# --------------------------------------------------------------------------- the top of the story


def test_story_page_is_the_top_with_tabs_and_no_per_item_forms(site):
    page = site.get("/stories/ferries").text
    assert "Brellin&#39;s evening ferries start as dockworkers strike" in page
    assert "Dockworkers walked out on 5 March." in page and "5 March 2025" in page
    assert page.count('class="item sentence') == 2 and 'class="item number"' in page
    assert '<svg class="spark"' in page and "crew hired" in page
    assert 'href="/stories/ferries/figures#' in page  # "3 reports" leads to the running figure
    for tab in ("timeline", "quotes", "claims", "figures", "disputes", "next", "sources"):
        assert f'href="/stories/ferries/{tab}"' in page
    assert 'aria-current="page">Top' in page
    assert page.count("<form") == 2  # the "since" date form and the ask box; no form per item
    assert 'name="category"' not in page and "<details" not in page
    assert page.count('class="report-link"') == len(items_of(page)) >= 4


def test_an_old_view_without_top_is_shown_from_its_briefing(site):
    r = site.get("/stories/old-view")
    assert r.status_code == 200 and "Ferries: the briefing&#39;s headline" in r.text
    assert "No corroborated facts could be written" in r.text


@pytest.mark.parametrize(
    ("since", "shown", "not_shown"),
    [
        ("2025-02-28", ["approved the timetable", "rose to 14", "dispute the rota"], []),
        ("2025-03-01", ["rose to 14", "dispute the rota"], ["approved the timetable"]),
        ("2025-03-04", ["dispute the rota"], ["approved the timetable", "rose to 14"]),
        ("2025-03-05", [], ["approved the timetable", "rose to 14", "dispute the rota"]),  # nothing newer
        (None, [], ["approved the timetable", "rose to 14", "dispute the rota"]),  # no date: the form only
    ],
)
def test_what_changed_since_a_date(site, since, shown, not_shown):
    r = site.get("/stories/ferries", params={"since": since} if since else None)
    assert r.status_code == 200
    for text in shown:
        assert text in r.text
    for text in not_shown:
        assert text not in r.text
    if since and not shown:
        assert "Nothing new in the sources since" in r.text


@pytest.mark.parametrize("since", ["2025-13-01", "2025-02-30", "yesterday", "2025-3-1", "", "2025-03-01T00:00"])
def test_a_bad_since_date_is_a_400_with_one_line(site, since):
    r = site.get("/stories/ferries", params={"since": since})
    assert r.status_code == 400 and "since" in one_line(r) and "YYYY-MM-DD" in one_line(r)


# --------------------------------------------------------------------------- tab pages


@pytest.mark.parametrize(
    ("path", "n_items", "label"),
    [
        ("/stories/ferries/claims", TAB_PAGE_SIZE, "Page 1 of 3"),
        ("/stories/ferries/claims?page=3", N_CLAIMS - 2 * TAB_PAGE_SIZE, "Page 3 of 3"),
        ("/stories/ferries/claims?page=99", N_CLAIMS - 2 * TAB_PAGE_SIZE, "Page 3 of 3"),  # past the end: the last
        ("/stories/ferries/claims?status=contested", 20, None),
        ("/stories/ferries/claims?status=contested&source=bb02", 20, None),
        ("/stories/ferries/claims?status=contested&source=aa01", 0, None),  # no match: an empty page, not an error
        ("/stories/ferries/timeline", TAB_PAGE_SIZE, "Page 1 of 2"),
        ("/stories/ferries/timeline?page=2", 31 - TAB_PAGE_SIZE, "Page 2 of 2"),
        ("/stories/ferries/quotes", 8, None),
        ("/stories/ferries/quotes?speaker=e%3Aent-reel", 2, None),
        ("/stories/ferries/quotes?speaker=e%3Aent-varga&source=aa01", 2, None),
        ("/stories/ferries/figures", 5, None),
        ("/stories/ferries/figures?source=cc03", 1, None),
        ("/stories/ferries/disputes", 2, None),  # the conflict and the flagged error
        ("/stories/ferries/disputes?source=cc03", 1, None),
        ("/stories/ferries/next", 4, None),
    ],
)
def test_tab_pages_are_paged_and_filtered(site, path, n_items, label):
    r = site.get(path)
    assert r.status_code == 200
    assert len(items_of(r.text)) == n_items
    if label:
        assert label in r.text
    else:
        assert 'aria-label="Pages"' not in r.text
    tab = urlsplit(path).path.rsplit("/", 1)[1]
    assert f'href="/stories/ferries/{tab}" aria-current="page"' in r.text
    if n_items == 0:
        assert "match the filter" in r.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/stories/ferries/claims?status=disputed", "status: expected one of"),
        ("/stories/ferries/claims?source=ffff", "no source 'ffff'"),
        ("/stories/ferries/quotes?speaker=e%3Anobody", "no speaker"),
        ("/stories/ferries/timeline?status=contested", "status: not a filter of this page"),
        ("/stories/ferries/figures?speaker=e%3Aent-reel", "speaker: not a filter of this page"),
        ("/stories/ferries/claims?page=0", "page"),
        ("/stories/ferries/claims?page=abc", "page"),
        ("/stories/ferries/claims?source=" + "x" * 300, "source"),
        ("/stories/nothing-here/claims", "No story"),
    ],
)
def test_bad_tab_parameters_are_a_4xx_with_one_line(site, path, expected):
    r = site.get(path)
    assert r.status_code in (400, 404) and expected in one_line(r)


def test_filtered_items_all_match_the_filter(site):
    page = site.get("/stories/ferries/claims", params={"status": "single-source"}).text
    assert re.findall(r'class="item claim st-([a-z-]+)"', page) == ["single-source"] * 20
    page = site.get("/stories/ferries/timeline", params={"source": "bb02"}).text
    entries = page.split('class="item event"')[1:]
    assert len(entries) == 11  # ten sessions and the walkout bb02 reports with cc03
    assert all("/sources/bb02#c-" in entry for entry in entries)


def test_the_timeline_lists_an_event_once_with_every_source(site):
    text = html.unescape(site.get("/stories/ferries/timeline", params={"page": 2}).text)
    assert text.count('<span class="text">Dockworkers walked out at the Brellin terminal.</span>') == 1
    entry = text.split("Dockworkers walked out at the Brellin terminal.", 1)[1].split("</li>", 1)[0]
    assert "Quay Courier" in entry and "Isle Post" in entry
    day = text.split("Dockworkers walked out", 1)[0].rsplit('<h2 class="day-date">', 1)[1]
    assert day.startswith("2 March 2025")  # the date a source states, not a publication date


def test_more_quotes_lead_to_the_speakers_page(site):
    page = html.unescape(site.get("/stories/ferries/quotes").text)
    assert "/stories/ferries/quotes?speaker=e:ent-varga" in page or "speaker=e%3Aent-varga" in page
    assert "board chair" in page


def test_injected_markup_stays_text(site):
    for path in ("/stories/ferries", "/stories/ferries/claims?page=1"):
        page = site.get(path).text
        assert "<script>window" not in page and "<img" not in page
        assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "path",
    ["/stories/ferries", "/stories/ferries?since=2025-03-01", "/stories/ferries/timeline", "/stories/ferries/quotes",
     "/stories/ferries/claims", "/stories/ferries/figures", "/stories/ferries/disputes", "/stories/ferries/next",
     "/stories/ferries/sources", f"/stories/ferries/report?key={REPORT_KEY}", "/stories/old-view", "/"],
)  # fmt: skip
def test_every_id_on_a_page_is_unique(site, path):
    r = site.get(path)
    assert r.status_code == 200
    ids = re.findall(r'\sid="([^"]*)"', r.text)
    assert ids and [i for i, n in Counter(ids).items() if n > 1] == []
    for target in re.findall(r'\shref="#([^"]+)"', r.text):  # in-page links land somewhere
        assert target in ids, target
    assert '<a class="skip" href="#main">' in r.text and '<main id="main"' in r.text


# --------------------------------------------------------------------------- one report page


def test_report_round_trip_through_the_link(site):
    page = site.get("/stories/ferries/claims", params={"page": 2}).text
    link = html.unescape(re.search(r'class="report-link" href="([^"]+)"', page).group(1))
    query = parse_qs(urlsplit(link).query)
    key, back = query["key"][0], query["back"][0]
    assert back == "/stories/ferries/claims?page=2"
    report = site.get(link).text
    assert report.count("<form") == 1 and report.count('name="category"') == 1
    assert f'name="key" value="{key}"' in report and "Crossing number" in report
    r = site.client.post("/stories/ferries/problems", data={"key": key, "back": back, "category": "outdated",
                                                            "comment": "An older timetable."},
                         follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert r.headers["location"].startswith("/stories/ferries/claims?page=2&reported=")
    assert r.headers["location"].endswith("#" + item_anchor(key))
    shown = site.get(r.headers["location"]).text
    assert 'class="confirm banner"' in shown and "was recorded" in shown
    item = shown.split(f'id="{item_anchor(key)}"', 1)[1].split("</li>", 1)[0]
    assert 'class="badge reported"' in item and "Thank you: your report" in item


@pytest.mark.parametrize(
    ("params", "status", "expected"),
    [
        ({"key": "not a key"}, 400, "not an item key"),
        ({}, 400, "key"),
        ({"key": "claim:ffff:1-2"}, 404, "No item"),
        ({"key": "answer:aa01:1-2"}, 404, "No item"),  # an answer's text travels in the link
        ({"key": "answer:aa01:1-2", "text": "About 12 crew."}, 200, "About 12 crew."),
        ({"key": REPORT_KEY, "back": "https://evil.example/x"}, 200, 'name="back" value="/stories/ferries"'),
    ],
)
def test_the_report_page(site, params, status, expected):
    r = site.get("/stories/ferries/report", params=params)
    assert r.status_code == status
    assert expected in (r.text if status == 200 else one_line(r))


# --------------------------------------------------------------------------- citations, helpers


@pytest.mark.parametrize(
    ("marker", "refs", "expected"),
    [
        ({"ref": "s3", "src": "a", "t": "x"}, {"a": {"label": "Reuters, 17 Nov"}}, "Source s3: Reuters, 17 Nov"),
        ({"ref": "s3", "src": "a", "t": "x"}, {"a": {"outlet": "Reuters", "published": "2025-11-17"}},
         "Source s3: Reuters, 17 Nov"),
        ({"ref": "s1", "src": "a", "t": "s1 · Isle Post · 2025-03-05: “words”"}, None, "Source s1: Isle Post, 5 Mar"),
        ({"ref": "s1", "src": "a", "t": "s1 · Isle Post · date unknown: “w”"}, {}, "Source s1: Isle Post"),
        ({"ref": "s9", "src": "a", "t": ""}, None, "Source s9"),
    ],
)  # fmt: skip
def test_citation_links_say_which_source_they_open(marker, refs, expected):
    assert _cite_label(marker, refs) == expected


def test_citation_links_on_a_page_carry_their_source_name(site):
    page = html.unescape(site.get("/stories/ferries/claims").text)
    labels = re.findall(r'<a class="cite" [^>]*aria-label="([^"]+)"', page)
    assert labels and all(re.fullmatch(r"Source s\d: (Harbour Herald, 1 Mar|Quay Courier, 3 Mar|Isle Post, 5 Mar)", x)
                          for x in labels)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-11-17", "17 Nov"), ("2025-01-02T10:00:00Z", "2 Jan"), ("2025-13-02", "2025-13-02"), ("", ""),
     (None, ""), ("spring", "spring")],
)  # fmt: skip
def test_short_date(value, expected):
    assert _short_date(value) == expected


@pytest.mark.parametrize(
    ("name", "filters", "expected"),
    [
        ("claims", {"status": "contested"}, None),
        ("claims", {"status": "wrong"}, "status: expected one of"),
        ("claims", {"source": "aa01", "status": None}, None),
        ("quotes", {"speaker": "~"}, "speaker: no speaker"),  # every quote here has a speaker
        ("next", {"speaker": "e:ent-reel"}, "speaker: not a filter"),
        ("timeline", {}, None),
    ],
)
def test_filter_error(name, filters, expected):
    why = filter_error(dossier(), name, filters)
    assert (why is None) if expected is None else (why is not None and why.startswith(expected))


def test_section_page_hides_suppressed_items_before_paging():
    d = dossier()
    def hidden(kind: str, cites: list) -> bool:  # claim c0: aa01 at 0
        return kind == "claim" and cites[0]["source"] == "aa01" and cites[0]["start"] == 0

    page = section_page(d, "claims", 1, {}, hidden)
    assert page["total"] == N_CLAIMS - 1 and len(page["items"]) == TAB_PAGE_SIZE
    assert all(i["cites"][0][1] != 0 for i in page["items"])
