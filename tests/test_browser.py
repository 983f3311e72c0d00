"""The web app in a real headless Chromium (Playwright): forms, charts, and untrusted markup that must not run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import serve_app as serve
from storyline.reader import stories
from storyline.store import Store
from storyline.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is not installed (set CI to make this a failure)", allow_module_level=True)

# Self-written HTML articles whose text carries markup: it must be shown as text and never run.
XSS_A = """<!DOCTYPE html>
<html><head><title>Harbour board &lt;script&gt;window.__x=1&lt;/script&gt; approves evening ferries</title>
<meta name="date" content="2025-03-04"><meta property="og:site_name" content="Quayside Gazette"></head>
<body><article>
<h1>Harbour board &lt;script&gt;window.__x=1&lt;/script&gt; approves evening ferries</h1>
<p>The harbour board of Brellin approved a new ferry timetable on Monday, adding four evening crossings to the
island of Orsk, board chair Ines Varga said.</p>
<p>"We listened to the night-shift workers," Varga said, adding that the first evening ferry would sail on
March 10. A notice pasted on the terminal read &lt;script&gt;window.__x=1&lt;/script&gt; in large letters.</p>
<p>Critics posted &lt;img src=x onerror="window.__x=1"&gt; on the board's forum and a link reading
javascript:window.__x=1 that moderators removed.</p>
<p>The ferry operator said 12 crew members would be hired for the new crossings.</p>
<p><a href="javascript:window.__x=1">Click here</a> to see the timetable, the board said.</p>
</article></body></html>
"""
XSS_B = """<!DOCTYPE html>
<html><head><title>Brellin adds evening ferries to Orsk</title><meta name="date" content="2025-03-05">
<meta property="og:site_name" content="Northern &lt;b&gt;Tide&lt;/b&gt;"></head>
<body><article>
<h1>Brellin adds evening ferries to Orsk</h1>
<p>The harbour board of Brellin approved a new ferry timetable on Monday, adding four evening crossings to the
island of Orsk.</p>
<p>Board chair Ines Varga said the first evening ferry would sail on March 10 and that 14 crew members would be
hired.</p>
<p>Residents wrote &lt;script&gt;alert(1)&lt;/script&gt; and "javascript:alert(1)" in a petition, a prank the
board ignored.</p>
</article></body></html>
"""




@dataclass
class Site:
    base: str
    story: str
    xss_story: str
    xss_ids: list[str]


@pytest.fixture(scope="module")
def site(sample_run, tmp_path_factory) -> Iterator[Site]:
    from storyline.pipeline import analyze

    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "web.db"
    with Store(sample_run.db) as src:
        src.backup(db)
    corpus = tmp / "xss"
    corpus.mkdir()
    (corpus / "a.html").write_text(XSS_A, encoding="utf-8")
    (corpus / "b.html").write_text(XSS_B, encoding="utf-8")
    with Store(db) as store:
        sid = stories.save_story(store, sample_run.dossier, [s["id"] for s in sample_run.dossier["sources"]])
        result = analyze([str(corpus)], store, workers=1, embeddings=False)
        assert result.dossier is not None and len(result.article_ids) == 2
        assert "<script>window.__x=1</script>" in result.dossier["title"] + "".join(
            s["text"] for s in result.dossier["sources"]
        )
        xss = stories.save_story(store, result.dossier, result.article_ids)
    with serve(create_app(db, embedder=False)) as base:
        yield Site(base, sid, xss, list(result.article_ids))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is not installed and CI is set")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Tab:
    page: object
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    t = Tab(page)
    page.on("console", lambda m: t.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: t.errors.append(str(e)))

    def on_dialog(d) -> None:
        t.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    yield t
    context.close()
    assert t.errors == [], t.errors  # every page, every test: no console errors (CSP violations included)


def shot(page, name: str, *, full: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(f"screenshot: {path}")
    return path


def test_story_list_and_story_page_with_charts(site, tab):
    page = tab.page
    page.goto(site.base + "/")
    assert page.title().startswith("Stories")
    shot(page, "story-list")
    page.click(f'a[href="/stories/{site.story}"]')
    page.wait_for_url(f"**/stories/{site.story}")
    chart = page.locator("#timeline svg.chart").first
    box = chart.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert page.locator("#timeline svg rect.bar").count() > 0
    series = page.locator("#figures svg.series")
    assert series.count() >= 1 and series.first.bounding_box()["height"] > 50
    # app.js: hovering a bar shows its title as a tooltip
    page.locator("#timeline svg rect.bar").first.hover()
    tip = page.locator("div.tip")
    assert tip.is_visible() and "event" in tip.inner_text()
    for section in ("briefing", "timeline", "quotes", "claims", "conflicts", "errors", "quality"):
        assert page.locator(f"section#{section} h2").is_visible()
    # the report control is a <details>: closed until opened
    assert not page.locator("details.report form").first.is_visible()
    shot(page, "story", full=True)


def test_ask_a_question_through_the_form(site, tab):
    page = tab.page
    page.goto(f"{site.base}/stories/{site.story}")
    page.fill("#q", "How many people have been killed?")
    page.click("form.ask button")
    page.wait_for_url("**/ask?q=*")
    answer = page.locator("section.answer")
    assert "The sources do not say." not in answer.inner_text()
    cite = answer.locator("a.cite").first
    assert cite.is_visible()
    shot(page, "ask")
    href = cite.get_attribute("href")
    cite.click()
    page.wait_for_load_state()
    anchor = href.rsplit("#", 1)[1]
    target = page.locator(f"mark#{anchor}")
    assert target.count() == 1 and target.is_visible()
    assert "focus" in (target.get_attribute("class") or "")
    shot(page, "source")
    page.goto(f"{site.base}/stories/{site.story}/ask?q=What+did+the+orchestra+play+at+the+wedding%3F")
    assert "The sources do not say." in page.locator("section.answer").inner_text()


def test_report_a_problem_through_the_form(site, tab):
    page = tab.page
    page.goto(f"{site.base}/stories/{site.story}")
    item = page.locator("#claims li.item").first
    item_id = item.get_attribute("id")
    item.locator("details.report summary").click()
    form = item.locator("details.report form")
    assert form.is_visible()
    form.locator("select[name=category]").select_option("outdated")
    form.locator("textarea[name=comment]").fill("A newer count exists (browser test).")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**#{item_id}")
    assert page.locator("p.confirm.banner").is_visible()
    assert page.locator(f"#{item_id} .badge.reported").is_visible()
    page.click("nav.top >> text=Problems")
    page.wait_for_url("**/problems")
    assert "A newer count exists (browser test)." in page.locator("ul.problems").inner_text()
    assert "Corrections log" in page.content()
    shot(page, "problems")


def test_untrusted_markup_is_shown_as_text_and_never_runs(site, tab):
    page = tab.page
    paths = [f"/stories/{site.xss_story}", f"/stories/{site.xss_story}/sources", "/"]
    paths += [f"/stories/{site.xss_story}/sources/{aid}" for aid in site.xss_ids]
    paths.append(f"/stories/{site.xss_story}/ask?q=%3Cscript%3Ewindow.__x%3D1%3C%2Fscript%3E+ferry+crew")
    shown = ""
    for path in paths:
        page.goto(site.base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__x") == "undefined", path
        assert page.locator("main img").count() == 0, path
        assert page.locator('a[href^="javascript:"]').count() == 0, path
        assert page.locator("main script").count() == 0, path
        shown += page.locator("main").inner_text()
    assert tab.dialogs == []
    assert "<script>window.__x=1</script>" in shown
    assert '<img src=x onerror="window.__x=1">' in shown
    assert "javascript:window.__x=1" in shown
    assert "Northern <b>Tide</b>" in shown
    # the source page highlights cited words around the markup without breaking it
    page.goto(f"{site.base}/stories/{site.xss_story}/sources/{site.xss_ids[0]}")
    assert page.locator("article.source-text mark.cited").count() > 0
    assert page.evaluate("typeof window.__x") == "undefined"
