"""Tests for storyline.output.report: Markdown and HTML reports, the SVG chart, and the files written."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storyline.errors import SchemaError
from storyline.ingest.spans import TextBuilder
from storyline.output.dossier import build_dossier, validate_dossier
from storyline.output.report import CSP, render_html, render_markdown, timeline_svg, write_reports
from storyline.records import (
    Article,
    CleanArticle,
    Entity,
    Event,
    Extraction,
    Figure,
    Mention,
    Quote,
    RemovedLine,
    RoleClaim,
    Span,
    TimeExpr,
)

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"

# Texts written for these tests; the second article is hostile.
ORIGINAL_A = (
    "Lighthouse on Gull Rock goes dark\n"
    "Subscribe to our newsletter\n"
    "The Gull Rock lighthouse went dark on 12 May 2032, the Coast Authority said.\n"
    "\u201cWe are sending a crew,\u201d said director Mara Lind.\n"
    "About 40 ships pass the rock every day.\n"
)
HOSTILE_TITLE = "<script>alert(1)</script> Keeper speaks"
ORIGINAL_B = (
    f"{HOSTILE_TITLE}\n"
    "Read more | Share\n"
    "Keeper Jon Ash repaired the lamp on 14 May 2032.\n"
    "\u201cIt was <img src=x onerror=alert(1)> a cracked fuse,\u201d Ash said.\n"
    "Between 3 and 5 crew members helped.\n"
)


def _clean(aid: str, original: str, published: str, outlet: str) -> CleanArticle:
    lines = original.splitlines(keepends=True)
    tb = TextBuilder(original)
    pos = 0
    removed = []
    for i, line in enumerate(lines):
        if i == 1:
            removed.append(RemovedLine(pos, pos + len(line), line, "share/subscribe"))
        else:
            tb.keep(pos, pos + len(line))
        pos += len(line)
    text, offsets = tb.build()
    art = Article(
        aid,
        f"{aid}.html",
        original,
        "html",
        title=lines[0].strip(),
        outlet=outlet,
        published=published,
        published_how="html",
        published_precision="day",
    )
    return CleanArticle(art, text, offsets, tuple(removed))


def _sp(c: CleanArticle, sub: str, nth: int = 0) -> Span:
    i = -1
    for _ in range(nth + 1):
        i = c.text.index(sub, i + 1)
    return Span(i, i + len(sub), sub)


def _line(c: CleanArticle, sub: str) -> Span:
    s = _sp(c, sub)
    a, b = c.text.rfind("\n", 0, s.start) + 1, c.text.index("\n", s.end)
    return Span(a, b, c.text[a:b])


class StubIndex:
    def __init__(self, entities: tuple[Entity, ...], keys: dict[str, str]) -> None:
        self.entities = entities
        self._keys = keys
        self._by_id = {e.id: e for e in entities}

    def resolve(self, article_id: str, key: str) -> Entity | None:
        return self._by_id.get(self._keys.get(key, ""))


def _event(
    c: CleanArticle,
    trigger: str,
    action: str,
    actor: str | None,
    when: str | None,
    when_text: str | None,
    negated: bool = False,
) -> Event:
    return Event(
        _line(c, trigger),
        _sp(c, trigger),
        action,
        actor,
        _sp(c, actor) if actor else None,
        None,
        None,
        when,
        "day" if when else None,
        _sp(c, when_text) if when_text else None,
        None,
        None,
        negated,
    )


def make_dossier(**kw) -> dict:
    a = _clean("art-a", ORIGINAL_A, "2032-05-12", "Harbour Post")
    b = _clean("art-b", ORIGINAL_B, "2032-05-15", "<i>Island</i> Radio")
    ext_a = Extraction(
        "art-a",
        mentions=(
            Mention(_sp(a, "Mara Lind"), "PERSON", "Mara Lind", role="director"),
            Mention(_sp(a, "Coast Authority"), "ORG", "Coast Authority"),
        ),
        dates=(TimeExpr(_sp(a, "12 May 2032"), "DATE", "2032-05-12", "day"),),
        events=(
            _event(a, "went dark", "go", None, "2032-05-12", "12 May 2032"),
            _event(a, "pass", "pass", None, None, None),
        ),
        quotes=(
            Quote(
                "direct",
                _sp(a, "We are sending a crew,"),
                (_sp(a, "We are sending a crew,"),),
                _sp(a, "director Mara Lind"),
                "Mara Lind",
                _sp(a, "said", 1),
                _line(a, "We are"),
            ),
        ),
        figures=(
            Figure(
                _sp(a, "About 40"),
                40.0,
                None,
                "about",
                "ships",
                "ships passing daily",
                _sp(a, "ships"),
                None,
                _line(a, "About 40"),
            ),
        ),
    )
    ext_b = Extraction(
        "art-b",
        mentions=(
            Mention(_sp(b, "Jon Ash"), "PERSON", "Jon Ash"),
            Mention(_sp(b, "Ash", 1), "PERSON", "Jon Ash"),
        ),
        events=(_event(b, "repaired", "repair", "Jon Ash", "2032-05-14", "14 May 2032"),),
        quotes=(
            Quote(
                "direct",
                _sp(b, "It was <img src=x onerror=alert(1)> a cracked fuse,"),
                (_sp(b, "It was <img src=x onerror=alert(1)> a cracked fuse,"),),
                _sp(b, "Ash", 1),
                "Jon Ash",
                _sp(b, "said"),
                _line(b, "It was"),
            ),
        ),
        figures=(
            Figure(
                _sp(b, "Between 3 and 5"),
                3.0,
                5.0,
                None,
                "people",
                "crew members helping",
                None,
                "2032-05-14",
                _line(b, "Between"),
            ),
        ),
    )
    lind = Entity(
        "person:mara-lind",
        "Mara Lind",
        "PERSON",
        ("Lind",),
        (RoleClaim("director", a.cite_span(_sp(a, "director")), "2032-05-12"),),
        (a.cite_span(_sp(a, "Mara Lind")),),
    )
    ash = Entity(
        "person:jon-ash",
        "Jon Ash",
        "PERSON",
        ("Ash", "<script>x</script>"),
        (RoleClaim("Keeper", b.cite_span(_sp(b, "Keeper", 1)), "2032-05-15"),),
        (b.cite_span(_sp(b, "Jon Ash")),),
    )
    index = StubIndex((lind, ash), {"Mara Lind": lind.id, "Jon Ash": ash.id})
    return build_dossier([(a, ext_a), (b, ext_b)], index, **kw)


@pytest.fixture(scope="module")
def dossier() -> dict:
    d = make_dossier()
    validate_dossier(d)
    return d


@pytest.fixture(scope="module")
def html(dossier: dict) -> str:
    return render_html(dossier)


@pytest.fixture(scope="module")
def markdown(dossier: dict) -> str:
    return render_markdown(dossier)


# --------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    "expected",
    [
        "# \\<script\\>alert(1)\\</script\\> Keeper speaks\n",  # the latest headline, escaped
        "**Period:** 2032-05-12 to 2032-05-15",
        "**Counts:** 2 sources, 3 events, 2 quotes, 2 figures, 2 entities",
        "## Sources",
        "| s1 | Lighthouse on Gull Rock goes dark | Harbour Post | 2032-05-12 (html) |",
        "<details><summary>s1: 1 dropped line</summary>",
        "- *share/subscribe*: Subscribe to our newsletter",
        "- *share/subscribe*: Read more \\| Share",
        "## Timeline",
        "### 2032-05-12 (day)",
        "### 2032-05-14 (day)",
        "- **Jon Ash** *repair*: “Keeper Jon Ash repaired the lamp on 14 May 2032.” — \\<i\\>Island\\</i\\> Radio",
        "## Who said what",
        "### Mara Lind (PERSON)",
        "- “We are sending a crew,” — as “director Mara Lind” — Harbour Post, 2032-05-12 \\[s1:",
        "## Figures",
        "| ships passing daily | about 40 ships |",
        "| crew members helping | 3–5 people | 2032-05-14 | Between 3 and 5 |",
        "## Entities",
        "| Mara Lind | PERSON | 1 | Lind | director \\[s1:",
        "\\<script\\>alert(1)\\</script\\> Keeper speaks",
        "onerror=alert(1)",
    ],
)
def test_markdown_has_sections_and_items(markdown: str, expected: str) -> None:
    assert expected in markdown


@pytest.mark.parametrize("absent", ["<script", "<img", "<i>", "</i>", "| Share", "onerror=alert(1)>"])
def test_markdown_escapes_untrusted_text(markdown: str, absent: str) -> None:
    unescaped = re.compile(r"(?<!\\)" + re.escape(absent).replace(">", r"(?<!\\)>"))
    assert absent in markdown.replace("\\", "")  # it is there, escaped
    assert not unescaped.search(markdown)


def test_markdown_timeline_is_chronological_with_undated_events_on_publication_day(markdown: str) -> None:
    heads = re.findall(r"^### (\d{4}-\d{2}-\d{2})", markdown, flags=re.M)
    assert heads == sorted(heads) == ["2032-05-12", "2032-05-14"]
    assert (
        "*pass*: “About 40 ships pass the rock every day.” — Harbour Post — date: publication day" in markdown
    )


def test_markdown_citation_markers_point_at_the_original_text(dossier: dict, markdown: str) -> None:
    q = dossier["quotes"][0]
    c = q["citations"][0]
    assert f"\\[s1:{c['start']}-{c['end']}\\]" in markdown
    assert ORIGINAL_A[c["start"] : c["end"]] == "We are sending a crew,"


# --------------------------------------------------------------------------- HTML


def _tree(html: str) -> ET.Element:
    return ET.fromstring(html)


def test_html_is_well_formed_and_self_contained(html: str) -> None:
    root = _tree(html)
    assert root.tag == f"{XHTML}html"
    meta = [m.attrib for m in root.iter(f"{XHTML}meta")]
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in meta
    assert (
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:" />' in html
    )
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed"}
    assert "http://" not in html.replace("http://www.w3.org/", "") and "https://" not in html


def test_html_escapes_hostile_article_text(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; keeper speaks" in lowered
    assert "&lt;img src=x onerror=alert(1)&gt;" in lowered
    for el in _tree(html).iter():
        assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
    seen: list[tuple[str, list]] = []

    class Browserish(HTMLParser):  # a lenient HTML tokenizer, as a browser reads the file
        def handle_starttag(self, tag, attrs):
            seen.append((tag, attrs))

    Browserish().feed(html)
    assert seen and not [t for t, _ in seen if t in ("script", "img")]
    assert not [a for _, attrs in seen for a, _ in attrs if a.startswith("on")]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("timeline", "Keeper Jon Ash repaired the lamp on 14 May 2032."),
        ("quotes", "We are sending a crew,"),
        ("quotes", "It was <img src=x onerror=alert(1)> a cracked fuse,"),
        ("figures", "3–5 people"),
        ("figures", "about 40 ships"),
        ("entities", "<script>x</script>"),
        ("sources", "Subscribe to our newsletter"),
        ("sources", "Read more | Share"),
        ("sources", "<i>Island</i> Radio"),
    ],
)
def test_html_sections_show_items_as_text(html: str, section: str, expected: str) -> None:
    el = next(e for e in _tree(html).iter(f"{XHTML}section") if e.get("id") == section)
    assert expected in "".join(el.itertext())


def test_html_citation_markers_carry_the_exact_text(dossier: dict, html: str) -> None:
    sups = [s for s in _tree(html).iter(f"{XHTML}sup")]
    titles = [s.find(f"{XHTML}a").get("title") for s in sups]
    c = dossier["quotes"][1]["citations"][0]
    assert any(t.endswith(f"characters {c['start']}–{c['end']}: “{c['text']}”") for t in titles)
    assert any(
        "<i>Island</i> Radio" in t for t in titles
    )  # unescaped once parsed: it was escaped in the file
    assert {s.find(f"{XHTML}a").get("href") for s in sups} <= {"#s1", "#s2"}


def test_html_has_an_svg_timeline_with_one_bar_group_per_day(html: str) -> None:
    root = _tree(html)
    (svg,) = list(root.iter(f"{SVG}svg"))
    groups = [g for g in svg.iter(f"{SVG}g")]
    labels = ["".join(g.find(f"{SVG}title").itertext()) for g in groups]
    assert labels == ["12 May 2032: 2 events (1 dated by publication)", "14 May 2032: 1 event"]
    assert svg.find(f"{SVG}title").text == "Timeline: 3 events, counted per day, 2032-05-12 to 2032-05-15"
    counts = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "count"]
    assert counts == ["2", "1"]


# --------------------------------------------------------------------------- the chart on its own


def _events(*dates: str) -> dict:
    return {
        "period": {"first": dates[0] if dates else None, "last": dates[-1] if dates else None},
        "events": [
            {"date": d, "precision": "day" if len(d) >= 10 else "month", "date_basis": "text"} for d in dates
        ],
    }


@pytest.mark.parametrize(
    ("dates", "bars", "unit"),
    [
        ((), 0, None),  # no events: a placeholder, still an SVG
        (("2032-05",), 0, None),  # month precision only: nothing to draw per day
        (("2032-05-01", "2032-05-01", "2032-05-03"), 2, "day"),
        (("2030-01-05", "2032-05-03"), 2, "month"),
        (("1990-01-05", "2032-05-03"), 2, "year"),
    ],
)
def test_timeline_svg_bins_and_placeholder(dates: tuple[str, ...], bars: int, unit: str | None) -> None:
    svg = ET.fromstring(timeline_svg(_events(*dates)))
    assert svg.tag == f"{SVG}svg"
    assert len(list(svg.iter(f"{SVG}g"))) == bars
    title = svg.find(f"{SVG}title").text
    assert (f"counted per {unit}," in title) if unit else ("no events" in title)


# --------------------------------------------------------------------------- files


def test_write_reports_is_deterministic_and_round_trips(dossier: dict, tmp_path: Path) -> None:
    first = write_reports(dossier, tmp_path / "one")
    second = write_reports(make_dossier(), tmp_path / "two" / "nested")
    assert set(first) == {"json", "markdown", "html"}
    assert [p.name for p in first.values()] == ["dossier.json", "report.md", "report.html"]
    for key in first:
        assert first[key].read_bytes() == second[key].read_bytes(), key
    text = first["json"].read_text(encoding="utf-8")
    assert json.loads(text) == dossier
    lines = text.splitlines()
    for item in dossier["events"] + dossier["quotes"] + dossier["sources"]:  # one item per line
        assert sum(f'"id": "{item["id"]}"' in line and line.startswith("{") for line in lines) == 1
    assert not list((tmp_path / "one").glob(".*tmp"))
    # both reports come from one shared view; what they say is what each renderer gives on its own
    assert first["markdown"].read_text(encoding="utf-8") == render_markdown(dossier)
    assert first["html"].read_text(encoding="utf-8") == render_html(dossier)


def test_write_reports_refuses_an_invalid_dossier(dossier: dict, tmp_path: Path) -> None:
    bad = copy.deepcopy(dossier)
    bad["quotes"][0]["mood"] = "sad"
    with pytest.raises(SchemaError):
        write_reports(bad, tmp_path)
    assert not (tmp_path / "dossier.json").exists()


def test_control_characters_do_not_break_the_html(dossier: dict) -> None:
    d = copy.deepcopy(dossier)
    d["title"] = "Bell\x07 and form\x0c feed"
    root = ET.fromstring(render_html(d))
    assert "".join(root.find(f"{XHTML}head/{XHTML}title").itertext()) == "Bell and form feed"


def test_lone_surrogates_and_nul_do_not_break_any_report(dossier: dict, tmp_path: Path) -> None:
    d = copy.deepcopy(dossier)
    d["title"] = "Broken \ud800 byte and \x00 NUL"
    d["quotes"][0]["parts"] = ["half \udcff a character"]
    paths = write_reports(d, tmp_path)
    assert json.loads(paths["json"].read_text(encoding="utf-8")) == d  # exact, \\u-escaped
    md = paths["markdown"].read_text(encoding="utf-8")
    assert md.startswith("# Broken byte and NUL\n") and "half a character" in md
    ET.fromstring(paths["html"].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("dates", "headings"),
    [
        (("2032-05-14T09:30", "2032-05-14", "2032-05-13T23:59"), ["2032-05-13 (day)", "2032-05-14 (day)"]),
        (("2032-W20", "2032-05", "2032-05-14"), ["2032-05 (month)", "2032-W20 (week)", "2032-05-14 (day)"]),
        (("2032-Q2", "2032", "2032-SU"), ["2032 (year)", "2032-Q2 (quarter)", "2032-SU (season)"]),
        ((None, "2032-05-01"), ["2032-05-01 (day)", "Undated"]),
        ((), []),
    ],
)
def test_markdown_timeline_groups_by_absolute_date(dossier: dict, dates: tuple, headings: list[str]) -> None:
    d = copy.deepcopy(dossier)
    template = d["events"][0]
    precision = {4: "year", 7: "month", 10: "day", 16: "minute"}
    special = {"2032-W20": "week", "2032-Q2": "quarter", "2032-SU": "season"}
    d["events"] = []
    for i, value in enumerate(dates):
        ev = copy.deepcopy(template)
        ev["id"] = f"e-x-{i}"
        ev["date"] = value
        ev["precision"] = special.get(value or "", precision.get(len(value or ""), "none"))
        d["events"].append(ev)
    validate_dossier(d)
    timeline = render_markdown(d).split("## Timeline")[1].split("## Who said what")[0]
    got = re.findall(r"^### (.+)$", timeline, flags=re.M)
    assert got == headings
    if not dates:
        assert "No events." in render_markdown(d)


@pytest.mark.parametrize(
    ("speaker", "heading"),
    [
        (None, "### Unattributed or unresolved speaker"),
        ({"name": "it", "entity": None, "as_written": "it"}, "### Unattributed or unresolved speaker"),
        ({"name": "They", "entity": None, "as_written": "They"}, "### Unattributed or unresolved speaker"),
        (
            {"name": "the harbourmaster", "entity": None, "as_written": "the harbourmaster"},
            "### the harbourmaster",
        ),
        ({"name": "Jon Ash", "entity": "person:jon-ash", "as_written": "he"}, "### Jon Ash (PERSON)"),
    ],
)
def test_quotes_group_under_their_canonical_speaker(dossier: dict, speaker, heading: str) -> None:
    d = copy.deepcopy(dossier)
    d["quotes"] = d["quotes"][:1]
    d["quotes"][0]["speaker"] = speaker
    validate_dossier(d)
    section = render_markdown(d).split("## Who said what")[1].split("## Figures")[0]
    assert re.findall(r"^### .*$", section, flags=re.M) == [heading]


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [
        (1, "story", "1 story"),
        (2, "story", "2 stories"),
        (0, "day", "0 days"),  # vowel before y
        (3, "event", "3 events"),
        (1, "copy group", "1 copy group"),
        (2, "y", "2 ys"),
    ],
)
def test_plural(n, word, expected):
    from storyline.reader.wording import plural

    assert plural(n, word) == expected


# --------------------------------------------------------------------------- event chains

_ORIGINALS = {"art-a": ORIGINAL_A, "art-b": ORIGINAL_B}


def _mention(source: str, trigger: str, lemma: str, nth: int = 0) -> dict:
    """An event-chain mention citing ``trigger`` (its ``nth`` occurrence) and its line in the original text."""
    text = _ORIGINALS[source]
    i = -1
    for _ in range(nth + 1):
        i = text.index(trigger, i + 1)
    a, b = text.rfind("\n", 0, i) + 1, text.index("\n", i)
    return {
        "lemma": lemma,
        "trigger": {"source": source, "start": i, "end": i + len(trigger), "text": trigger},
        "sentence": {"source": source, "start": a, "end": b, "text": text[a:b]},
    }


def _chain(n: int, action: str, mentions: list[dict], status: str = "corroborated", likely: bool = True) -> dict:
    sources = list(dict.fromkeys(m["trigger"]["source"] for m in mentions))
    return {
        "id": f"ev-{n}",
        "action": action,
        "status": status,
        "likely_event": likely,
        "independent": len(sources) if status == "corroborated" else 1,
        "sources": sources,
        "mentions": mentions,
    }


def _fail_chain(n: int = 1, action: str = "fail") -> dict:
    # the lamp failing, told by both articles in different words; the second sentence is hostile text
    return _chain(n, action, [_mention("art-a", "went dark", "go"), _mention("art-b", "cracked", "crack")])


def _with_chains(dossier: dict, chains: list[dict] | None) -> dict:
    d = copy.deepcopy(dossier)
    if chains is None:
        d.pop("event_chains", None)  # a dossier written before schema 1.4
    else:
        d["event_chains"] = chains
    validate_dossier(d)
    return d


def _chains_md(md: str) -> str:
    return md.split("## Events several sources report\n")[1].split("## Running figures")[0]


def _chains_html(html: str) -> ET.Element:
    return next(e for e in _tree(html).iter(f"{XHTML}section") if e.get("id") == "event-chains")


def _label(c: dict) -> str:
    ref = {"art-a": "s1", "art-b": "s2"}[c["source"]]
    return f"{ref}:{c['start']}-{c['end']}"


NO_CHAIN = "No event is named by two or more independent sources."


@pytest.mark.parametrize(
    ("chain", "shown"),
    [
        (_fail_chain(), True),
        (_fail_chain(action="Crack"), True),
        # a speech verb, a light verb (also capitalised) and one source told twice: left out
        (_chain(2, "say", [_mention("art-a", "said", "say"), _mention("art-b", "said", "say")]), False),
        (_chain(3, "go", [_mention("art-a", "went dark", "go"), _mention("art-b", "cracked", "go")]), False),
        (
            _chain(3, "Make", [_mention("art-a", "went dark", "go"), _mention("art-b", "cracked", "go")]),
            False,
        ),
        (
            _chain(
                4,
                "fail",
                [_mention("art-a", "goes dark", "go"), _mention("art-a", "went dark", "go")],
                "single-source",
            ),
            False,
        ),
        # corroborated, but its words are mostly not events for the lexicon ("Tuesday", "navy")
        (_chain(5, "fail", [_mention("art-a", "went dark", "go"), _mention("art-b", "cracked", "crack")],
                likely=False), False),
    ],
)
def test_event_chains_show_corroborated_events_only(dossier: dict, chain: dict, shown: bool) -> None:
    d = _with_chains(dossier, [chain])
    md, html = _chains_md(render_markdown(d)), render_html(d)
    section = _chains_html(html)
    items = list(section.iter(f"{XHTML}li"))
    sentences = [m["sentence"] for m in chain["mentions"]]
    if not shown:
        assert NO_CHAIN in md and not md.lstrip().startswith("- ") and "\n- " not in md
        assert not items and NO_CHAIN in "".join(section.itertext())
        return
    markers = " ".join(f"\\[{_label(c)}\\]" for c in sentences)
    assert f"- **{chain['action']}** (went dark, cracked) — 2 independent sources {markers}\n" in md
    assert NO_CHAIN not in md
    # the hostile sentence is cited, escaped in Markdown and as plain text in HTML
    assert "onerror" not in md
    (li,) = items
    assert li.get("id") == "ev-1"
    text = "".join(li.itertext())
    assert chain["action"] in text and "(went dark, cracked)" in text
    links = [s.find(f"{XHTML}a") for s in li.iter(f"{XHTML}sup")]
    assert [a.text for a in links] == [_label(c) for c in sentences]
    assert [a.get("href") for a in links] == ["#s1", "#s2"]
    assert links[1].get("title").endswith(f"“{sentences[1]['text']}”")
    assert "<img" in sentences[1]["text"] and "<img" not in html


@pytest.mark.parametrize("chains", [None, []])
def test_event_chains_absent_or_empty_say_so(dossier: dict, chains: list | None) -> None:
    d = _with_chains(dossier, chains)
    md = render_markdown(d)
    assert (
        "## Events several sources report\n\nMentions of one event in different words across independent "
        f"sources (event chains); wire copies count once.\n\n{NO_CHAIN}\n\n## Running figures"
    ) in md
    assert md.index("## Claims") < md.index("## Events several sources report")
    section = _chains_html(render_html(d))
    assert NO_CHAIN in "".join(section.itertext()) and not list(section.iter(f"{XHTML}li"))


@pytest.mark.parametrize(("limit", "rows"), [(1, 1), (5, 5), (12, 12), (20, 15)])
def test_event_chains_limit_caps_rows_and_total_counts_all(dossier: dict, limit: int, rows: int) -> None:
    from storyline.output.report import _View

    said = _chain(99, "say", [_mention("art-a", "said", "say"), _mention("art-b", "said", "say")])
    chains = [_fail_chain(i, f"act{i}") for i in range(1, 16)] + [said]
    d = _with_chains(dossier, chains[:7] + [said] + chains[7:15])
    got = _View(d).event_chains(limit=limit)
    assert got["total"] == 15
    assert [r["id"] for r in got["rows"]] == [f"ev-{i}" for i in range(1, rows + 1)]
    md = _chains_md(render_markdown(d))
    assert md.count("\n- **act") == 12 and "First 12 of 15." in md and "**say**" not in md
    items = list(_chains_html(render_html(d)).iter(f"{XHTML}li"))
    assert [li.get("id") for li in items] == [f"ev-{i}" for i in range(1, 13)]
    from storyline.output.report import told_events

    assert told_events(d) == 15  # the count `storyline analyze` prints
    assert told_events(_with_chains(dossier, None)) == 0


def test_event_chains_cite_one_sentence_per_source_first(dossier: dict) -> None:
    from storyline.output.report import _View

    mentions = [
        _mention("art-a", "goes dark", "go"),
        _mention("art-a", "went dark", "go"),
        _mention("art-a", "pass", "pass"),
        _mention("art-b", "Keeper", "keep", nth=1),
        _mention("art-b", "repaired", "repair"),
    ]
    d = _with_chains(dossier, [_chain(1, "darken", mentions)])
    (row,) = _View(d).event_chains()["rows"]
    assert row["words"] == ["goes dark", "went dark", "pass", "keeper"]
    assert [m.label for m in row["markers"]] == [_label(mentions[i]["sentence"]) for i in (0, 3, 1, 2)]
    assert (row["sources"], row["independent"], row["more"]) == (2, 2, 1)
    assert row["markers"][1].title.endswith("“Keeper Jon Ash repaired the lamp on 14 May 2032.”")
    assert "2 independent sources" in _chains_md(render_markdown(d)) and "(+1 more)\n" in render_markdown(d)
