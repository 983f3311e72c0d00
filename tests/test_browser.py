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
    for section in ("bullets", "changes", "disputes", "next"):
        assert page.locator(f"section#{section} h2").is_visible()
    assert page.locator("form").count() == 2  # the date form and the ask box: no form per item
    shot(page, "story", full=True)
    page.click("nav.tabs >> text=Timeline")
    page.wait_for_url(f"**/stories/{site.story}/timeline")
    chart = page.locator(".chart-wide svg.chart").first
    box = chart.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert not page.locator(".chart-narrow svg").first.is_visible()  # the narrow chart is for phones
    # app.js: hovering a bar shows its title as a tooltip (the same counts are in the list: not hover-only)
    page.locator(".chart-wide svg rect.bar").first.hover()
    tip = page.locator("div.tip")
    assert tip.is_visible() and "event" in tip.inner_text()
    page.click("nav.tabs >> text=Figures")
    series = page.locator(".chart-wide svg.series")
    assert series.count() >= 1 and series.first.bounding_box()["height"] > 50
    assert "hover" not in page.locator("main").inner_text().lower()


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
    page.goto(f"{site.base}/stories/{site.story}/claims?page=2")
    item = page.locator("li.item.claim").first
    item_id = item.get_attribute("id")
    item.locator("a.report-link").click()
    page.wait_for_url("**/report?key=*")
    assert page.locator("form").count() == 1
    form = page.locator("form.report")
    assert form.is_visible()
    form.locator("select[name=category]").select_option("outdated")
    form.locator("textarea[name=comment]").fill("A newer count exists (browser test).")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/claims?page=2&reported=*#{item_id}")
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
    paths += [f"/stories/{site.xss_story}/{name}" for name in ("timeline", "quotes", "claims", "figures", "disputes")]
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


# --------------------------------------------------------------------------- size, phones, accessibility

TAPPABLE = """() => [...document.querySelectorAll('a, button, input, select, textarea, summary')].map(el => {
  const r = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 30), w: r.width, h: r.height,
          shown: r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'};
}).filter(x => x.shown)"""
SVG_TEXT = """() => [...document.querySelectorAll('svg text')].filter(t => t.getBoundingClientRect().width > 0)
  .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
PAGES = ("/stories/{story}", *(f"/stories/{{story}}/{tab}" for tab in ("timeline", "quotes", "claims", "figures",
                                                                  "disputes", "next", "sources")),
         "/stories/{story}/ask?q=Who+leads+the+talks%3F", "/stories/{xss}/sources/{xss_id}", "report")


def at(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


@pytest.mark.parametrize(("width", "height", "screens"), [(1366, 768, 3), (390, 844, 6)])
def test_the_story_page_fits_in_a_few_screens(site, browser, width, height, screens):
    context, page, errors = at(browser, width, height)
    page.goto(f"{site.base}/stories/{site.story}")
    tall = page.evaluate("document.documentElement.scrollHeight / window.innerHeight")
    print(f"story page at {width}x{height}: {tall:.2f} screens")
    shot(page, f"story-top-{width}", full=True)
    context.close()
    assert tall < screens and errors == []


@pytest.mark.parametrize("path", PAGES)
def test_phones_never_scroll_sideways_and_taps_are_44_px(site, browser, path):
    context, page, errors = at(browser, 360, 740)
    path = path.format(story=site.story, xss=site.xss_story, xss_id=site.xss_ids[0])
    if path == "report":  # the report page a claim's "report" link opens
        page.goto(f"{site.base}/stories/{site.story}/claims")
        path = page.locator("a.report-link").first.get_attribute("href")
    page.goto(site.base + path)
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    small = [x for x in page.evaluate(TAPPABLE) if x["w"] < 44 or x["h"] < 44]
    context.close()
    assert wide[0] <= wide[1], wide
    assert small == []
    assert errors == []


@pytest.mark.parametrize(("path", "width"), [("/timeline", 390), ("/figures", 390), ("/figures", 360),
                                             ("/timeline", 820)])
def test_chart_text_is_readable_on_a_phone(site, browser, path, width):
    context, page, _errors = at(browser, width, 844)
    page.goto(f"{site.base}/stories/{site.story}{path}")
    sizes = page.evaluate(SVG_TEXT)
    context.close()
    assert sizes  # the charts are drawn, in the variant that fits the width
    assert min(sizes) >= 11, min(sizes)


def test_skip_link_focus_and_accessible_citations(site, browser):
    context, page, errors = at(browser, 390, 844)
    page.goto(f"{site.base}/stories/{site.story}/claims")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement") and skip.is_visible()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    labels = page.locator("a.cite").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert labels and all(label and label.startswith("Source s") and ": " in label for label in labels)
    context.close()
    assert errors == []


def test_changes_since_the_last_visit_are_offered(site, browser):
    context, page, errors = at(browser, 1366, 768)
    page.goto(f"{site.base}/stories/{site.story}")
    assert not page.locator("p.since-last").is_visible()  # the first visit: nothing to compare with
    key = f"storyline:visit:{site.story}"
    page.evaluate(f"localStorage.setItem({key!r}, '2025-12-03')")  # as if the last visit was on 3 Dec
    page.reload()
    link = page.locator("p.since-last a")
    assert link.is_visible() and link.inner_text() == "What changed since your last visit (3 Dec)"
    link.click()
    page.wait_for_url("**?since=2025-12-03#changes")
    assert "What changed since 3 December 2025" in page.locator("#changes h2").inner_text()
    context.close()
    assert errors == []
