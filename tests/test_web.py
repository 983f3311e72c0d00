"""The local web app over a real store, served by uvicorn on 127.0.0.1 and read with httpx."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from conftest import serve_app as serve
from storyline.reader import stories
from storyline.reader.briefing import human_date
from storyline.reader.problems import CATEGORIES, find_item, item_citations, item_key
from storyline.reader.views import LIMITS, item_anchor, story_view
from storyline.store import Store
from storyline.web.app import (
    CSP,
    MAINTAINER_COOKIE,
    WriteLimits,
    _cross_site,
    _local_host,
    _safe_back,
    create_app,
    render_source_text,
)

MARKER = re.compile(r'href="/stories/([a-z0-9-]+)/sources/([0-9a-f]+)(?:\?span=\d+-\d+)?#c-(\d+)-(\d+)"')
SECTIONS = ("bullets", "changes", "disputes", "next")  # the top of the story page; the rest is on tab pages
TABS = ("timeline", "quotes", "claims", "figures", "disputes", "next", "sources")
TOKEN = "test-maintainer-token"
UNLIMITED = WriteLimits(reports=None)  # these tests post many reports from one address; test_web_limits.py
# covers the rate limit




@dataclass
class Site:
    base: str  # maintainer mode
    public: str  # reader mode
    db: Path
    story: str
    dossier: dict
    ids: list[str]

    def get(self, path: str, **kw) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30, **kw)

    def post(self, path: str, data: dict, *, base: str | None = None, **kw) -> httpx.Response:
        return httpx.post((base or self.base) + path, data=data, timeout=30, follow_redirects=False, **kw)


@pytest.fixture(scope="module")
def site(sample_run, tmp_path_factory) -> Iterator[Site]:
    db = tmp_path_factory.mktemp("web") / "web.db"
    with Store(sample_run.db) as src:
        src.backup(db)
    ids = [s["id"] for s in sample_run.dossier["sources"]]
    with Store(db) as store:
        sid = stories.save_story(store, sample_run.dossier, ids)
    with serve(create_app(db, maintainer=True, embedder=False, token=TOKEN, limits=UNLIMITED)) as base, serve(
        create_app(db, embedder=False, limits=UNLIMITED)
    ) as public:
        yield Site(base, public, db, sid, sample_run.dossier, ids)


def one_line(r: httpx.Response) -> str:
    m = re.search(r'<p class="error-line">(.*?)</p>', r.text, re.S)
    assert m is not None, r.text[:500]
    line = html.unescape(m.group(1))
    assert "\n" not in line and "Traceback" not in r.text and 'File "' not in r.text
    return line


def esc(text: str) -> str:
    """Text as the app's templates escape it."""
    return str(escape(text))


def n_problems(db: Path) -> int:
    with Store(db) as store:
        return len(store.problems())


def keys_on(page: str, kind: str) -> list[str]:
    """The item keys of a page's "report" links (or of a report form) of this kind."""
    links = [unquote(k) for k in re.findall(rf'/report\?key=({kind}%3A[^&"]+)', page)]
    return links + re.findall(rf'name="key" value="({kind}:[^"]+)"', page)


# --------------------------------------------------------------------------- pages and headers


@pytest.mark.parametrize(
    "path",
    ["/", "/stories/{sid}", "/stories/{sid}/sources", "/stories/{sid}/sources/{aid}", "/stories/{sid}/ask",
     "/stories/{sid}/ask?q=How+many+people+have+been+killed%3F", "/problems", "/static/app.css",
     "/static/app.js"],
)  # fmt: skip
def test_every_page_is_served_with_the_security_headers(site, path):
    r = site.get(path.format(sid=site.story, aid=site.ids[0]))
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    if r.headers["content-type"].startswith("text/html"):
        # no inline script, no inline style, no event-handler attributes anywhere
        assert not re.search(r"<script(?![^>]*\bsrc=)", r.text)
        assert "<style" not in r.text
        assert not re.search(r"\s(style|on[a-z]+)\s*=", r.text)


def test_story_list_links_each_story_with_its_counts(site):
    page = site.get("/").text
    assert f'href="/stories/{site.story}"' in page
    assert esc(site.dossier["title"]) in page
    assert f"{len(site.dossier['claims'])} claims" in page
    assert human_date(site.dossier["period"]["first"]) in page  # "8 December 2025"


def test_story_page_shows_headline_sections_and_charts(site):
    page = site.get(f"/stories/{site.story}").text
    with Store(site.db) as store:
        briefing = store.story_section(site.story, "briefing")
        view = store.story_section(site.story, "view")
    headline = (view.get("top") or {}).get("headline", {}).get("text") or briefing["headline"]
    assert esc(headline) in page
    for name in SECTIONS:
        assert f'<section id="{name}"' in page, name
    for tab in TABS:
        assert f'href="/stories/{site.story}/{tab}"' in page, tab
    assert 'action="/stories/' + site.story + '/ask"' in page
    timeline = site.get(f"/stories/{site.story}/timeline").text
    assert len(re.findall(r"<svg\b", timeline)) == 2 and "<rect" in timeline  # a wide and a narrow chart
    figures = site.get(f"/stories/{site.story}/figures").text
    assert len(re.findall(r"<svg\b", figures)) >= 2 * len(site.dossier["series"]) and "<polyline" in figures


def test_every_marker_links_to_an_anchor_on_its_source_page(site):
    page = "".join(site.get(f"/stories/{site.story}{tab}").text for tab in ("", "/claims", "/disputes"))
    found = {(aid, int(a), int(b)) for sid, aid, a, b in MARKER.findall(page) if sid == site.story}
    assert len(found) > 50
    texts = {s["id"]: s["text"] for s in site.dossier["sources"]}
    for aid in sorted({f[0] for f in found}):
        source = site.get(f"/stories/{site.story}/sources/{aid}")
        assert source.status_code == 200
        for _, a, b in (f for f in found if f[0] == aid):
            m = re.search(rf'<mark [^>]*id="c-{a}-{b}"[^>]*>([^<]*)', source.text)
            assert m is not None, (aid, a, b)
            # the anchored words are the cited words (the first piece of them)
            assert texts[aid][a:b].startswith(html.unescape(m.group(1)))


def test_source_page_leaves_out_furniture_and_lists_it(site):
    src = next(s for s in site.dossier["sources"] if s.get("furniture"))
    page = site.get(f"/stories/{site.story}/sources/{src['id']}").text
    body = page.split('<article class="source-text">', 1)[1].split("</article>", 1)[0]
    listed = page.split('<section class="furniture">', 1)[1]
    for f in src["furniture"]:
        words = esc(f["text"].strip())
        assert words not in body
        assert words in listed and f["reason"] in listed
    assert src["outlet"] in page and human_date(src["published"]) in page and "Quality score" in page


def test_briefing_never_states_a_flagged_error_as_fact(site):
    page = site.get(f"/stories/{site.story}").text
    bullets = page.split('<section id="bullets"', 1)[1].split("</section>", 1)[0]
    assert site.dossier["errors"] and 'class="item sentence' in bullets
    text = html.unescape(re.sub(r"<[^>]+>", " ", bullets))
    for err in site.dossier["errors"]:
        assert err["citations"][0]["text"] not in text, err["id"]


# --------------------------------------------------------------------------- report a problem


def test_report_a_problem_round_trip(site):
    story_path = f"/stories/{site.story}/claims"
    key = keys_on(site.get(story_path).text, "claim")[0]
    r = site.post(f"/stories/{site.story}/problems",
                  {"key": key, "category": "wrong", "comment": "The count is older than this.",
                   "back": story_path}, base=site.public)  # fmt: skip
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith(story_path + "?reported=") and location.endswith("#" + item_anchor(key))
    shown = site.get(location).text
    assert "Thank you" in shown and "was recorded" in shown
    item = shown.split(f'id="{item_anchor(key)}"', 1)[1].split("</li>", 1)[0]
    assert 'class="badge reported"' in item
    problems = site.get("/problems").text
    assert "The count is older than this." in problems and key in problems
    assert "Corrections log" in problems and "reported" in problems


def test_a_reported_figure_answer_round_trip(site):
    path = f"/stories/{site.story}/ask?q=How+many+people+have+been+killed%3F"
    link = re.search(r'href="(/stories/[^"]+/report\?key=answer[^"]+)"', site.get(path).text).group(1)
    page = site.get(html.unescape(link)).text  # the report page the answer's "report" link opens
    key = re.search(r'name="key" value="(answer:[^"]+)"', page).group(1)
    cites = html.unescape(re.search(r'name="citations" value="([^"]+)"', page).group(1))
    text = html.unescape(re.search(r'name="text" value="([^"]+)"', page).group(1))
    back = html.unescape(re.search(r'name="back" value="([^"]+)"', page).group(1))
    r = site.post(f"/stories/{site.story}/problems",
                  {"key": key, "category": "outdated", "comment": "", "citations": cites, "text": text, "back": back})
    assert r.status_code == 303 and "/ask?q=" in r.headers["location"]
    assert "Thank you" in site.get(r.headers["location"]).text
    # a tampered citation does not verify
    bad = cites.replace('"start": ', '"start": 1', 1)
    r = site.post(f"/stories/{site.story}/problems", {"key": key, "category": "wrong", "citations": bad})
    assert r.status_code == 400
    line = one_line(r)
    assert "verify" in line or "match" in line


def test_maintainer_suppression_hides_the_item_and_survives_reanalysis(site):
    story_path = f"/stories/{site.story}/quotes"
    page = site.get(story_path).text
    key = keys_on(page, "quote")[1]
    assert f'id="{item_anchor(key)}"' in page
    r = site.post(f"/stories/{site.story}/problems", {"key": key, "category": "misattributed", "back": story_path})
    pid = int(re.search(r"reported=(\d+)", r.headers["location"]).group(1))
    # a reader cannot decide reports
    refused = site.post(f"/problems/{pid}", {"status": "suppressed", "token": TOKEN}, base=site.public)
    assert refused.status_code == 403 and "maintainer" in one_line(refused)
    problems = site.get("/problems", cookies={MAINTAINER_COOKIE: TOKEN}).text
    assert f'action="/problems/{pid}"' in problems and 'value="suppressed"' in problems
    assert f'name="token" value="{TOKEN}"' in problems
    r = site.post(f"/problems/{pid}", {"status": "suppressed", "note": "Speaker is wrong.", "token": TOKEN})
    assert r.status_code == 303 and r.headers["location"] == f"/problems#p-{pid}"
    assert f'id="{item_anchor(key)}"' not in site.get(story_path).text
    with Store(site.db) as store:  # re-analysis saves the story again
        stories.save_story(store, site.dossier, site.ids)
    after = site.get(story_path).text
    assert f'id="{item_anchor(key)}"' not in after
    assert "Speaker is wrong." in site.get("/problems").text
    # reopening shows it again
    site.post(f"/problems/{pid}", {"status": "open", "token": TOKEN})
    assert f'id="{item_anchor(key)}"' in site.get(story_path).text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"key": "claim:ffff:1-2", "category": "wrong"}, "no such item"),
        ({"key": "not a key", "category": "wrong"}, "not an item key"),
        ({"key": "{claim}", "category": "nonsense"}, "category 'nonsense'"),
        ({"category": "wrong"}, "key"),
        ({"key": "answer:ffff:1-2", "category": "wrong", "citations": "[1, 2"}, "citations"),
        ({"key": "{claim}", "category": "wrong", "comment": "x" * 2001}, "2,000"),
    ],
)
def test_bad_reports_get_a_400_with_one_line(site, data, expected):
    claim = keys_on(site.get(f"/stories/{site.story}/claims").text, "claim")[-1]
    data = {k: v.replace("{claim}", claim) for k, v in data.items()}
    before = n_problems(site.db)
    r = site.post(f"/stories/{site.story}/problems", data)
    assert r.status_code == 400
    assert expected in one_line(r)
    assert n_problems(site.db) == before


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"Origin": "http://evil.example"}, True),
        ({"Origin": "http://evil.example", "Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "null"}, True),
        ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, False),  # a browser form under no-referrer
        ({"Sec-Fetch-Site": "cross-site"}, True),
        ({"Sec-Fetch-Site": "same-site"}, True),  # another app on another localhost port
        ({}, False),  # no Origin (curl, old browsers): allowed
        ({"Origin": "{base}"}, False),
    ],
)
def test_cross_site_posts_are_refused(site, headers, refused):
    key = keys_on(site.get(f"/stories/{site.story}/timeline").text, "event")[0]
    headers = {k: v.replace("{base}", site.base) for k, v in headers.items()}
    r = site.post(f"/stories/{site.story}/problems", {"key": key, "category": "other"}, headers=headers)
    assert (r.status_code == 403) is refused
    if refused:
        assert "another site" in one_line(r)
    else:
        assert r.status_code == 303


# --------------------------------------------------------------------------- ask, errors


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("How many people have been killed?", True),
        ("What did the orchestra play at the wedding?", False),
        ("What is the recipe for lemon cake?", False),
    ],
)
def test_ask_answers_with_citations_or_says_the_sources_do_not_say(site, question, answered):
    r = site.get(f"/stories/{site.story}/ask", params={"q": question})
    assert r.status_code == 200
    answer = r.text.split('<section class="answer', 1)[1].split("</section>", 1)[0]
    if answered:
        assert "The sources do not say." not in answer
        assert MARKER.search(answer) and re.search(r"\b\d+\b", answer)
    else:
        assert "The sources do not say." in answer and not MARKER.search(answer)
    assert esc(question) in r.text  # the question stays in the box


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/stories/no-such-story", 404, "no-such-story"),
        ("/stories/no-such-story/sources", 404, "no-such-story"),
        ("/stories/{sid}/sources/0000000000000000", 404, "0000000000000000"),
        ("/stories/{sid}/ask?q=" + "x" * 600, 400, "at most 500"),
        ("/stories/{sid}/sources/{aid}?span=abc", 400, "span"),
        ("/stories/{sid}?reported=abc", 400, "reported"),
        ("/no/such/page", 404, "/no/such/page"),
    ],
)
def test_errors_are_one_line_pages(site, path, status, expected):
    r = site.get(path.format(sid=site.story, aid=site.ids[0]))
    assert r.status_code == status
    assert r.headers["content-security-policy"] == CSP
    assert expected in one_line(r)


def test_a_store_that_cannot_be_opened_gives_a_500_page(tmp_path):
    with serve(create_app(tmp_path, embedder=False)) as base:  # a directory is no database
        r = httpx.get(base + "/", timeout=30)
    assert r.status_code == 500
    assert "cannot open the store" in one_line(r)


def test_decisions_on_unknown_reports_are_404(site):
    r = site.post("/problems/999999", {"status": "resolved", "token": TOKEN})
    assert r.status_code == 404 and "#999999" in one_line(r)
    r = site.post("/problems/1", {"status": "deleted", "token": TOKEN})
    assert r.status_code == 400 and "status 'deleted'" in one_line(r)


# --------------------------------------------------------------------------- the view model


@pytest.mark.parametrize("kind", ["claim", "quote", "figure", "conflict", "error", "event", "series"])
def test_every_view_item_key_finds_its_dossier_item(sample_run, kind):
    from storyline.reader.problems import SECTION_OF_KIND

    view = story_view(sample_run.dossier, {"headline": "", "sections": []})
    items = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("kind") == kind and "key" in node:
                items.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(view)
    section = sample_run.dossier[SECTION_OF_KIND[kind]]
    assert items or not section
    for item in items:
        found = find_item(item["key"], section)
        assert found is not None, item["key"]
        first = found.citations[0]
        assert item["cites"][0] == [first.source, first.start, first.end]
        assert item_key(kind, [{"source": s, "start": a, "end": b} for s, a, b in item["cites"]]) == item["key"]


def _big_dossier(n_sources: int = 1000, n_claims: int = 10_000, n_events: int = 8_000) -> dict:
    """A synthetic dossier the size of a 1,000-article story (every text self-written and generic)."""
    sources = [{"id": f"{i:016x}", "ref": f"s{i + 1}", "outlet": f"Outlet {i % 97}", "title": f"Report {i}",
                "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "text": ""} for i in range(n_sources)]

    def cite(i: int, start: int = 0) -> dict:
        return {"source": sources[i % n_sources]["id"], "start": start, "end": start + 40,
                "text": f"Sentence {i} about the harbour and its ferries."[:40]}

    statuses = ("corroborated", "single-source", "contested")
    return {
        "title": "A long story",
        "period": {"first": "2025-01-01", "last": "2025-12-28"},
        "sources": sources,
        "entities": [{"id": f"person:p{i}", "name": f"Person {i}", "label": "PERSON", "roles": [
            {"role": "Mayor", "published": None, "citations": [cite(i)]}], "mentions": 3} for i in range(300)],
        "claims": [{"id": f"c-{i}", "text": f"Claim number {i} about the ferries.", "status": statuses[i % 3],
                    "independent": i % 5, "sources": [sources[i % n_sources]["id"]],
                    "citations": [cite(i), cite(i + 1, 50)]} for i in range(n_claims)],
        "events": [{"id": f"e-{i}", "action": "sail", "actor": {"name": "The ferry"}, "target": None,
                    "date": f"2025-{1 + i % 12:02d}-{1 + (i // 12) % 28:02d}", "precision": "day",
                    "date_basis": "text", "negated": False, "source": sources[i % n_sources]["id"],
                    "summary": f"The ferry sailed, event {i}.", "citations": [cite(i)]} for i in range(n_events)],
        "quotes": [{"id": f"q-{i}", "kind": "direct", "speaker": {"name": f"Person {i % 300}",
                    "entity": f"person:p{i % 300}"}, "parts": [f"Quote {i}"], "text": f"Quote {i}",
                    "source": sources[i % n_sources]["id"], "citations": [cite(i)]} for i in range(3000)],
        "figures": [{"id": f"f-{i}", "value": float(i), "value_high": None, "qualifier": None, "unit": "boats",
                     "counts": "boats seized", "as_of": "2025-03-01", "text": f"{i} boats",
                     "source": sources[i % n_sources]["id"], "citations": [cite(i)]} for i in range(2000)],
        "series": [{"id": "fs-1", "what": "people killed", "unit": "people", "cumulative": True,
                    "points": [{"value": float(10 + i), "value_high": None, "qualifier": "at least",
                                "as_of": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "published": None,
                                "source": sources[i]["id"], "text": "x", "citations": [cite(i)]}
                               for i in range(200)]}],
        "conflicts": [{"id": f"x-{i}", "kind": "number", "about": f"boats on day {i}", "explanation": "differ",
                       "likely": None, "sides": [{"value": "12", "citations": [cite(i)], "sources": [],
                                                  "independent": 1},
                                                 {"value": "9", "citations": [cite(i + 1)], "sources": [],
                                                  "independent": 1}]} for i in range(100)],
        "errors": [{"id": f"err-{i}", "kind": "name", "source": sources[i]["id"], "citations": [cite(i)],
                    "correction": "Right Name", "evidence": [cite(i + 2)], "why": "others differ"}
                   for i in range(50)],
        "quality": [{"source": s["id"], "score": (i % 100) / 100, "reasons": [
            {"kind": "attribution", "effect": 0.1, "detail": "attributed", "citations": []}] * 3}
            for i, s in enumerate(sources)],
        "next": [],
    }  # fmt: skip


def test_a_thousand_article_story_page_is_bounded(tmp_path):
    """The page of a huge story shows capped lists with totals (its speed is measured in bench/web.py)."""
    dossier = _big_dossier()
    view = story_view(dossier, {"headline": "A long story", "headline_citations": [], "sections": []})
    claims = sum(len(g["items"]) for g in view["claims"]["groups"])
    assert claims <= 3 * LIMITS["claims"] and view["claims"]["total"] == 10_000
    assert all(len(d["events"]) <= LIMITS["day_events"] for d in view["timeline"]["days"])
    assert len(view["quality"]["rows"]) <= LIMITS["quality"] and view["quality"]["total"] == 1000
    db = tmp_path / "big.db"
    with Store(db) as store:
        store.save_story("big", "A long story", [], {"view": view, "briefing": {"headline": "A long story"}})
    with serve(create_app(db, embedder=False)) as base, httpx.Client(base_url=base, timeout=30) as client:
        r = client.get("/stories/big")
    assert r.status_code == 200 and 'Claims <span class="n">10000</span>' in r.text
    assert len(r.content) < 2_000_000  # capped: a small fraction of the 10,000 claims and 8,000 events


def test_a_missing_view_is_computed_and_stored(site):
    with Store(site.db) as store:
        store.save_story_section(site.story, "view", {"version": -1})
    page = site.get(f"/stories/{site.story}").text
    assert '<section id="bullets"' in page
    with Store(site.db) as store:
        assert store.story_section(site.story, "view")["version"] >= 1


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("/stories/s1/ask?q=who", "/stories/s1/ask?q=who"),
        ("/stories/s1", "/stories/s1"),
        ("https://evil.example/stories/s1", "/stories/s1"),
        ("//evil.example/stories/s1", "/stories/s1"),
        ("/stories/s2", "/stories/s1"),  # another story: back to this one
        ("/stories/s1/../../admin", "/stories/s1/../../admin"),  # a path on this site only
        ("", "/stories/s1"),
        ("/\\evil.example", "/stories/s1"),
    ],
)
def test_safe_back(back, expected):
    assert _safe_back(back, "s1") == expected


@pytest.mark.parametrize(
    ("text", "cited", "dropped", "expected"),
    [
        ("plain <b>text</b>", [], [], "plain &lt;b&gt;text&lt;/b&gt;"),  # nothing cited: escaped only
        ("abc def", [(4, 7)], [], 'abc <mark class="cited" id="c-4-7">def</mark>'),
        ("MENU\nabc", [(5, 8)], [(0, 5)], '<mark class="cited" id="c-5-8">abc</mark>'),
        ("Top\n\nBy A. Writer\n\nBody", [], [(5, 17)], "Top\n\nBody"),  # no blank run where the byline was
        ("abcdef", [(0, 4), (2, 6)], [],
         '<mark class="cited" id="c-0-4">ab</mark><mark class="cited deep" id="c-2-6">cd</mark>'
         '<mark class="cited">ef</mark>'),
        ("abc", [(0, 3), (0, 1)], [],  # two spans from one place: both ids, the longer one on the highlight
         '<mark class="anchor" id="c-0-1"></mark><mark class="cited deep" id="c-0-3">a</mark>'
         '<mark class="cited">bc</mark>'),
        ("abc", [(2, 9), (5, 1)], [], "abc"),  # spans outside the text are ignored
    ],
)  # fmt: skip
def test_render_source_text(text, cited, dropped, expected):
    assert str(render_source_text(text, cited, dropped)) == expected


@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'\n")), max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6),
    cut=st.tuples(st.integers(0, 60), st.integers(0, 60)),
)
def test_render_source_text_keeps_every_character_but_the_dropped(text, spans, cut):
    cited = [(a, b) for a, b in spans]
    out = str(render_source_text(text, cited, [cut]))
    assert "<script" not in out and "<b" not in out.replace("<mark", "")
    plain = html.unescape(re.sub(r"<[^>]+>", "", out))
    a, b = max(0, cut[0]), min(len(text), cut[1])
    kept = text[:a] + text[b:] if a < b else text

    def lines(s: str) -> str:  # blank lines left where furniture was are collapsed
        return re.sub(r"\n+", "\n", s)

    assert lines(plain) == lines(kept)
    for s, e in cited:
        if 0 <= s < e <= len(text) and not (a <= s < b):
            assert f'id="c-{s}-{e}"' in out


def test_categories_in_the_form_are_the_problem_categories(site):
    claim = site.dossier["claims"][0]
    key = item_key("claim", item_citations("claim", claim))
    page = site.get(f"/stories/{site.story}/report", params={"key": key}).text
    options = re.findall(r'<option value="([a-z-]+)">', page.split('<form class="report"', 1)[1])
    assert tuple(options[: len(CATEGORIES)]) == CATEGORIES
    assert f'name="key" value="{key}"' in page and page.count("<form") == 1


def test_questions_use_the_sentence_model_loaded_once(site):
    app = create_app(site.db, embedder=None)  # the default model, loaded on the first question
    state = app.state.storyline
    assert state.embedder is None
    with serve(app) as base:
        for q in ("How many people have been killed?", "Who is leading the talks?"):
            r = httpx.get(f"{base}/stories/{site.story}/ask", params={"q": q}, timeout=120)
            assert r.status_code == 200
        first = state.embedder
        assert first is not None and first is not False
        state.building[site.story].wait(120)  # the sentences are encoded in the background, once
        r = httpx.get(f"{base}/stories/{site.story}/ask", params={"q": "How many people have been killed?"},
                      timeout=60)
        assert state.embedder is first  # once per app
    answer = r.text.split('<section class="answer', 1)[1].split("</section>", 1)[0]
    assert "The sources do not say." not in answer and MARKER.search(answer)
    with Store(site.db) as store:  # the sentence embeddings are cached in the store
        ids = store.story_article_ids(site.story)
        keys = [(a, n) for a, n, _ in store.sentences(ids)]
        assert len(store.sentence_vectors(getattr(first, "name", type(first).__name__), keys)) == len(keys)


def test_related_stories_are_linked(site):
    with Store(site.db) as store:
        stories.save_story(store, site.dossier, site.ids, story_id="the-same-story-again")
    page = site.get(f"/stories/{site.story}").text
    related = page.split('<section id="related"', 1)[1].split("</section>", 1)[0]
    assert 'href="/stories/the-same-story-again"' in related
    assert 'href="/stories/the-same-story-again"' in site.get("/").text


@pytest.mark.parametrize(
    "dossier",
    [
        {},  # nothing at all
        {"title": "Quiet <story>", "period": {"first": None, "last": None}, "sources": [], "events": []},
        {"title": "Undated", "sources": [{"id": "00aa", "ref": "s1", "outlet": "A & B", "text": "The ferry sailed."}],
         "events": [{"id": "e-1", "action": "sail", "date": None, "precision": None, "source": "00aa",
                     "summary": "The ferry sailed.", "citations": [
                         {"source": "00aa", "start": 0, "end": 17, "text": "The ferry sailed."}]}],
         "claims": [{"id": "c-1", "text": "uncited", "status": "single-source", "citations": []}]},
    ],
)  # fmt: skip
def test_sparse_dossiers_give_a_page(tmp_path, dossier):
    view = story_view(dossier, {})
    assert json.loads(json.dumps(view)) == view == story_view(dossier, {})  # JSON-able and deterministic
    assert all(item["cites"] for g in view["claims"]["groups"] for item in g["items"])  # nothing uncited
    db = tmp_path / "sparse.db"
    with Store(db) as store:
        store.save_story("sparse", dossier.get("title") or "sparse", [], {"view": view})
    with serve(create_app(db, embedder=False)) as base:
        r = httpx.get(base + "/stories/sparse", timeout=30)
    assert r.status_code == 200
    assert "No corroborated facts could be written" in r.text
    assert "<story>" not in r.text and ("&lt;story&gt;" in r.text or "<story" not in str(dossier))
    undated = view["timeline"]["days"]
    assert [d["date"] for d in undated] == (["undated"] if dossier.get("events") else [])


def test_story_sections_show_what_a_reader_needs(site):
    def section(name: str) -> str:
        tab = {"conflicts": "disputes", "errors": "disputes", "quality": "sources"}.get(name, name)
        page = site.get(f"/stories/{site.story}/{tab}").text
        return html.unescape(page.split("</nav>", 2)[2].split("<footer>", 1)[0])

    refs = {s["id"]: s for s in site.dossier["sources"]}
    timeline = section("timeline")
    first = next(e for e in site.dossier["events"] if e["date_basis"] == "text")
    src = refs[first["source"]]
    assert f"{src['outlet']} ({human_date(src['published'])})" in timeline  # what was known when
    conflicts = section("conflicts")
    for x in site.dossier["conflicts"]:
        for side in x["sides"]:
            assert str(side["value"]) in conflicts
        assert "independent" in conflicts
    errors = section("errors")
    for err in site.dossier["errors"]:
        assert err["correction"] in errors and err["citations"][0]["text"] in errors
    assert "Evidence:" in errors
    quotes = section("quotes")
    assert quotes.count('class="item quote"') >= min(10, len(site.dossier["quotes"]))
    claims = section("claims")
    for status in ("corroborated", "contested", "single source"):
        assert re.search(rf"\d+ {status}", claims)
    quality = section("quality")
    assert quality.count("<tr>") == len(site.dossier["quality"]) + 1
    assert f"/stories/{site.story}/sources/" in quality


@pytest.mark.parametrize(("page_no", "rows", "label"), [(1, 5, "Page 1 of 3"), (3, 2, "Page 3 of 3"),
                                                        (99, 2, "Page 3 of 3")])  # page 0: test_web_limits.py
def test_sources_page_is_paginated(site, monkeypatch, page_no, rows, label):
    import storyline.web.app

    monkeypatch.setattr(storyline.web.app, "PAGE_SIZE", 5)
    r = site.get(f"/stories/{site.story}/sources", params={"page": page_no})
    assert r.status_code == 200 and label in r.text
    assert r.text.count(f'href="/stories/{site.story}/sources/') == rows


@pytest.mark.parametrize(
    ("origin", "host", "fetch_site", "expected"),
    [
        (None, "127.0.0.1:8000", None, False),  # curl, scripts: no browser, no cross-site risk
        ("http://127.0.0.1:8000", "127.0.0.1:8000", None, False),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "same-origin", False),
        ("null", "127.0.0.1:8000", "same-origin", False),  # a form post under Referrer-Policy: no-referrer
        ("null", "127.0.0.1:8000", None, True),
        ("http://127.0.0.1:9000", "127.0.0.1:8000", None, True),  # another local app
        ("http://localhost:8000", "127.0.0.1:8000", None, True),
        ("https://evil.example", "127.0.0.1:8000", "same-origin", True),
        (None, "127.0.0.1:8000", "cross-site", True),
        (None, "127.0.0.1:8000", "same-site", True),
        (None, "127.0.0.1:8000", "none", False),  # typed by the user
    ],
)
def test_cross_site(origin, host, fetch_site, expected):
    assert _cross_site(origin, host, fetch_site) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("192.168.1.20", True),  # served on the LAN by address
        ("app.localhost:8000", True),
        ("evil.example:8000", False),  # DNS rebinding: a remote name pointed at this machine
        ("127.0.0.1.evil.example", False),
        ("", False),
    ],
)
def test_local_host(host, expected):
    assert _local_host(host) is expected


def test_a_foreign_host_header_is_refused(site):
    r = site.get(f"/stories/{site.story}", headers={"Host": "rebound.example:8000"})
    assert r.status_code == 400 and "rebound.example" in one_line(r)


def test_timeline_events_with_a_flagged_errors_words_are_marked(site):
    """An event reported in the words of a flagged error ("former President ...") is shown as reported, never
    plainly: its entry links to the flagged errors."""
    pages = site.get(f"/stories/{site.story}/timeline").text.count('rel="next"') + 1
    timeline = "".join(html.unescape(site.get(f"/stories/{site.story}/timeline", params={"page": n}).text)
                       for n in range(1, pages + 2))
    entries = timeline.split("<li")
    wrong = [e["citations"][0]["text"] for e in site.dossier["errors"]]
    marked = [entry for entry in entries if any(w in entry for w in wrong)]
    assert marked, "the sample's timeline shows an event in the words of a flagged error"
    assert all("contains a flagged error" in entry for entry in marked)
    clean = [entry for entry in entries if not any(w in entry for w in wrong) and "reported by" in entry]
    assert clean and not any("contains a flagged error" in entry for entry in clean)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-22T04:56:32Z", "22 November 2026, 04:56 UTC"),
        ("2025-01-02T23:05:00Z", "2 January 2025, 23:05 UTC"),
        ("2026-13-22T04:56:32Z", "2026-13-22T04:56:32Z"),  # not a date: as it is
        ("yesterday afternoon", "yesterday afternoon"),
        (None, ""),
        ("", ""),
    ],
)
def test_report_timestamps_are_written_for_readers(value, expected):
    from storyline.web.app import _stamp

    assert _stamp(value) == expected


def test_a_dense_running_figure_is_thinned_for_its_chart():
    from storyline.reader.views import _chart_series

    points = [{"value": float(i % 50), "as_of": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "source": f"s{i}",
               "citations": []} for i in range(999)]
    s = {"id": "fs-1", "what": "people killed", "points": points}
    thin = _chart_series(s)
    assert 0 < len(thin["points"]) <= 122
    assert {p["as_of"] for p in thin["points"]} <= {p["as_of"] for p in points}
    assert max(p["value"] for p in thin["points"]) == 49.0  # the spread is kept
    small = {"points": points[:30]}
    assert _chart_series(small) is small


@pytest.mark.parametrize(
    ("encoding", "compressed"),
    [("gzip", True), ("identity", False), (None, False)],
)
def test_pages_are_sent_compressed_to_clients_that_accept_it(site, encoding, compressed):
    headers = {"Accept-Encoding": encoding} if encoding else {"Accept-Encoding": ""}
    r = site.get(f"/stories/{site.story}", headers=headers)
    assert r.status_code == 200 and (r.headers.get("content-encoding") == "gzip") is compressed
    assert f'<section id="{SECTIONS[0]}"' in r.text  # httpx decodes it: the same page either way
