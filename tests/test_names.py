"""Source names a reader can use ("Example Post, 17 Nov"): never a hash id, a section label or a headline.

Every outlet name, host, page and sentence below was written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.ingest.ingest import article_id, iter_articles
from storyline.ingest.outlets import clean_outlet, host_outlet, is_section_label, registered_domain
from storyline.ingest.spans import TextBuilder
from storyline.output.dossier import build_dossier
from storyline.output.report import render_html, render_markdown
from storyline.reader.ask import answer, build_index
from storyline.reader.briefing import lead_in
from storyline.reader.names import UNKNOWN, SourceNames, date_label, names_of, outlet_name, source_label
from storyline.reader.views import _Refs, marker, story_view
from storyline.records import Article, BriefingSentence, Citation, CleanArticle, Extraction, Figure, Span

HASH = "aaadc7b7dc7b241d"
HEADLINE = "Residents flee as floodwaters rise across the northern valley towns for a third night"
HEX = re.compile(r"\b[0-9a-f]{16}\b")

# --------------------------------------------------------------------------- ingest: site names and hosts


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("World", True),
        ("US News", True),
        ("Politics & Policy", True),
        ("business", True),
        ("Opinion", True),
        ("The Harbour Post", False),
        ("Kelpie Radio", False),
        ("World Harbour Review", False),  # one word that is no section word makes a name
        ("", False),
        (None, False),
    ],
)
def test_section_labels(name, expected):
    assert is_section_label(name) is expected


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("The Harbour Post", None, "The Harbour Post"),
        ("  Kelpie   Radio ", None, "Kelpie Radio"),
        ("World | Kelpie Radio", None, "Kelpie Radio"),  # a section glued on
        ("Kelpie Radio - World news", None, "Kelpie Radio"),  # a tagline glued on
        ("Kelpie Radio: Latest news", None, "Kelpie Radio"),
        ("kelpie-radio.test", None, "kelpie-radio.test"),  # a bare host reads as host_outlet makes it
        ("www.reuters.com", None, "Reuters"),
        ("Quay & Tide", None, "Quay & Tide"),
        ("Yell!", None, "Yell!"),
        # no name: section labels, URLs, hashes, headlines, handles, host:port
        ("World", None, None),
        ("News", None, None),
        ("Politics", None, None),
        ("US News", None, None),
        ("https://social.example/kelpieradio", None, None),
        ("social.example/kelpieradio", None, None),
        (HASH, None, None),
        (HEADLINE, None, None),
        ("Ferry resumes", "Ferry  resumes", None),  # the page's own title
        ("@kelpieradio", None, None),
        ("localhost:8000", None, None),
        ("127.0.0.1:8000", None, None),
        ("", None, None),
        (None, None, None),
        ("World | News", None, None),
    ],
)
def test_clean_outlet(name, title, expected):
    assert clean_outlet(name, title) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.reuters.com/world/some-story", "Reuters"),
        ("https://uk.reuters.com/a", "Reuters"),
        ("https://www.harbour-post.test/world/a", "harbour-post.test"),
        ("https://amp.harbour-post.co.uk/a", "harbour-post.co.uk"),
        ("https://news.harbour-post.com.au/x?y=1", "harbour-post.com.au"),
        ("https://m.kelpie.org/a", "kelpie.org"),
        ("https://live.kelpie.org/a", "live.kelpie.org"),  # another subdomain may be another outlet
        ("https://harbourtown.kelpie-tv.com/a", "harbourtown.kelpie-tv.com"),
        ("https://news.co.uk/a", "news.co.uk"),
        ("https://articles.harbour-post.test/a", "harbour-post.test"),
        ("http://127.0.0.1:8123/x", "127.0.0.1"),
        ("http://localhost:9/x", "localhost"),
        ("HTTPS://WWW.Harbour-Post.TEST/A", "harbour-post.test"),
        # no host
        ("not a url", None),
        ("", None),
        (None, None),
        ("http://[bad/x", None),
    ],
)
def test_host_outlet(url, expected):
    assert host_outlet(url) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("news.harbour.co.uk", "harbour.co.uk"),
        ("a.b.harbour.com", "harbour.com"),
        ("harbour.com", "harbour.com"),
        ("harbour.de", "harbour.de"),
        ("www.harbour.go.jp", "harbour.go.jp"),
        ("localhost", "localhost"),
    ],
)
def test_registered_domain(host, expected):
    assert registered_domain(host) == expected


BODY = (
    "The ferry between Skellan and the mainland ran again on Tuesday after three days in port, the harbour "
    "master said. Crews checked the hull and the engines overnight, and the first crossing left at seven in "
    "the morning with forty passengers on board. The operator said the timetable would be back to normal by "
    "the end of the week."
)


def _page(site_name: str | None, *, url: str | None = "https://www.harbour-post.test/world/ferry") -> str:
    meta = f'<meta property="og:site_name" content="{site_name}">' if site_name is not None else ""
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    return (f"<!doctype html><html><head><title>Ferry runs again</title>{meta}{canonical}</head>"
            f"<body><article><h1>Ferry runs again</h1><p>{BODY}</p></article></body></html>")


@pytest.mark.parametrize(
    ("site_name", "url", "manifest_outlet", "expected"),
    [
        ("The Harbour Post", None, None, "The Harbour Post"),
        ("World", None, None, "harbour-post.test"),  # a section label: the host instead
        ("News", None, None, "harbour-post.test"),
        ("World | The Harbour Post", None, None, "The Harbour Post"),
        (HEADLINE, None, None, "harbour-post.test"),  # a headline as site name
        ("https://social.example/harbourpost", None, None, "harbour-post.test"),
        (None, None, None, "harbour-post.test"),  # no site name
        ("World", "https://www.reuters.com/world/ferry", None, "Reuters"),
        ("World", None, "Skellan Gazette", "Skellan Gazette"),  # the manifest's outlet is kept
        ("World", "", None, None),  # neither a name nor a URL: no outlet
    ],
)
def test_ingest_outlet_from_site_name_or_host(tmp_path: Path, site_name, url, manifest_outlet, expected):
    page = _page(site_name, url=url if url is not None else "https://www.harbour-post.test/world/ferry")
    (tmp_path / "ferry.html").write_text(page, encoding="utf-8")
    if manifest_outlet:
        (tmp_path / "manifest.csv").write_text(f"path,outlet\nferry.html,{manifest_outlet}\n", encoding="utf-8")
    (art,) = list(iter_articles([str(tmp_path)]))
    assert isinstance(art, Article), art
    assert art.outlet == expected


# --------------------------------------------------------------------------- reader: names and labels


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"outlet": "The Harbour Post", "ref": "s1"}, "The Harbour Post"),
        ({"outlet": "World", "url": "https://www.harbour-post.test/a", "ref": "s1"}, "harbour-post.test"),
        ({"outlet": "Politics", "origin": "https://kelpie.test/b", "ref": "s2"}, "kelpie.test"),
        ({"outlet": HASH, "url": "https://www.reuters.com/c", "ref": "s3"}, "Reuters"),
        ({"outlet": "World | Kelpie Radio", "ref": "s4"}, "Kelpie Radio"),
        # no usable name or URL: the ref, never the hash, the section label or the headline
        ({"id": HASH, "outlet": None, "title": HEADLINE, "ref": "s3"}, "Source s3"),
        ({"id": HASH, "outlet": "World", "origin": "examples/ferry.txt", "ref": "s7"}, "Source s7"),
        ({"id": HASH, "outlet": HEADLINE, "ref": "s2"}, "Source s2"),
        ({"id": HASH}, "Unnamed source"),
        ({"id": HASH, "ref": HASH}, "Unnamed source"),
    ],
)
def test_outlet_name(source, expected):
    assert outlet_name(source) == expected


@pytest.mark.parametrize(
    ("published", "year", "time", "expected"),
    [
        ("2025-11-17", False, False, "17 Nov"),
        ("2025-11-17", True, False, "17 Nov 2025"),
        ("2025-11-07T14:05:00+01:00", False, False, "7 Nov"),
        ("2025-11-07T14:05:00+01:00", False, True, "7 Nov, 14:05"),
        ("2025-11-07", False, True, "7 Nov"),
        ("2025-11", False, False, "Nov 2025"),
        ("2025", False, False, "2025"),
        # no date
        (None, False, False, None),
        ("", False, False, None),
        ("2025-13-01", False, False, None),
        ("soon", False, False, None),
        ("2025abc", False, False, None),
    ],
)
def test_date_label(published, year, time, expected):
    assert date_label(published, year=year, time=time) == expected


@pytest.mark.parametrize(
    ("source", "year", "expected"),
    [
        ({"outlet": "Reuters", "published": "2025-11-17"}, False, "Reuters, 17 Nov"),
        ({"outlet": "Reuters", "published": "2025-11-17"}, True, "Reuters, 17 Nov 2025"),
        ({"outlet": "World", "url": "https://www.reuters.com/x", "published": "2025-11-17"}, False, "Reuters, 17 Nov"),
        ({"outlet": "Reuters", "published": None}, False, "Reuters"),
        ({"outlet": None, "ref": "s3", "published": "2025-11-17"}, False, "Source s3, 17 Nov"),
    ],
)
def test_source_label(source, year, expected):
    assert source_label(source, year=year) == expected


def _src(sid: str, ref: str, outlet: str | None, published: str | None, **kw: str) -> dict:
    return {"id": sid, "ref": ref, "outlet": outlet, "published": published, "title": None, **kw}


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (  # different outlets, one year: no year, no suffix
            [_src("a" * 16, "s1", "Kelpie Radio", "2025-11-17"), _src("b" * 16, "s2", "The Harbour Post", "2025-11-18")],
            ["Kelpie Radio, 17 Nov", "The Harbour Post, 18 Nov"],
        ),
        (  # the same outlet and day: numbered after the first, in order of publication
            [_src("b" * 16, "s2", "Kelpie Radio", "2025-11-17"), _src("a" * 16, "s1", "Kelpie Radio", "2025-11-17"),
             _src("c" * 16, "s3", "Kelpie Radio", "2025-11-17")],
            ["Kelpie Radio, 17 Nov (2)", "Kelpie Radio, 17 Nov", "Kelpie Radio, 17 Nov (3)"],
        ),
        (  # the same outlet and day at different times: the time tells them apart
            [_src("a" * 16, "s1", "Kelpie Radio", "2025-11-17T09:30"), _src("b" * 16, "s2", "Kelpie Radio", "2025-11-17T18:00")],
            ["Kelpie Radio, 17 Nov, 09:30", "Kelpie Radio, 17 Nov, 18:00"],
        ),
        (  # sources in two calendar years: every day with its year
            [_src("a" * 16, "s1", "Kelpie Radio", "2024-12-30"), _src("b" * 16, "s2", "Kelpie Radio", "2025-01-02")],
            ["Kelpie Radio, 30 Dec 2024", "Kelpie Radio, 2 Jan 2025"],
        ),
        (  # a section label and a hash as outlets, no URL: the refs
            [_src(HASH, "s1", "World", None), _src("b" * 16, "s2", HASH, None)],
            ["Source s1", "Source s2"],
        ),
        (  # no names at all, no date: still unique
            [_src("a" * 16, "s1", None, None, url="https://kelpie.test/1"),
             _src("b" * 16, "s2", None, None, url="https://www.kelpie.test/2")],
            ["kelpie.test", "kelpie.test (2)"],
        ),
    ],
)
def test_source_names_are_unique_and_readable(sources, expected):
    names = SourceNames(sources)
    assert [names.label(s["id"]) for s in sources] == expected
    assert len(set(expected)) == len(expected)
    assert not any(HEX.search(label) for label in expected)


@pytest.mark.parametrize(
    ("sid", "name", "label", "ref"),
    [
        (HASH, "harbour-post.test", "harbour-post.test, 17 Nov", "s1"),
        ("0123456789abcdef", UNKNOWN, UNKNOWN, "s?"),  # an id the story does not hold: no hash either
    ],
)
def test_source_names_lookups(sid, name, label, ref):
    names = SourceNames([_src(HASH, "s1", "News", "2025-11-17", url="https://www.harbour-post.test/a")])
    assert (names.name(sid), names.label(sid), names.ref(sid)) == (name, label, ref)


@pytest.mark.parametrize(
    ("change", "same"),
    [
        (lambda srcs: srcs, True),  # the same list: built once
        (lambda srcs: list(srcs), False),  # an equal copy is another story's list
        (lambda srcs: [*srcs, _src("c" * 16, "s3", "Kelpie Radio", None)], False),
    ],
)
def test_names_of_builds_once_per_sources_list(change, same):
    srcs = [_src("a" * 16, "s1", "Kelpie Radio", "2025-11-17"), _src("b" * 16, "s2", "World", None)]
    first = names_of(srcs)
    again = names_of(change(srcs))
    assert (again is first) is same
    assert again.label("a" * 16) == "Kelpie Radio, 17 Nov"


# --------------------------------------------------------------------------- where readers see names

TEXT_A = "The harbour master said the ferry would run again on Tuesday. About 40 passengers crossed on the first day."
TEXT_B = "Crews checked the hull overnight. The operator said 38 passengers crossed on the first day."


def _dossier_sources() -> list[dict]:
    return [
        _src(article_id(TEXT_A), "s1", "World", "2025-11-17", url="https://www.harbour-post.test/world/a",
             text=TEXT_A, title=HEADLINE),
        _src(article_id(TEXT_B), "s2", HASH, None, text=TEXT_B),
    ]


def _cite(sid: str, text: str, words: str) -> dict:
    start = text.index(words)
    return {"source": sid, "start": start, "end": start + len(words), "text": words}


@pytest.mark.parametrize(
    ("which", "expected_tip"),
    [
        (0, "s1 · harbour-post.test, 17 Nov: “About 40 passengers”"),
        (1, "s2 · Source s2, date unknown: “38 passengers”"),
    ],
)
def test_view_markers_and_refs_name_sources(which, expected_tip):
    sources = _dossier_sources()
    refs = _Refs(sources)
    sid, text = sources[which]["id"], sources[which]["text"]
    m = marker(_cite(sid, text, "About 40 passengers" if which == 0 else "38 passengers"), refs)
    assert m["t"] == expected_tip and m["src"] == sid  # the id stays in the link (machine), not the words
    view = story_view({"title": "Ferry", "sources": sources}, {})
    entry = view["refs"][sid]
    assert entry["label"] == expected_tip.split(" · ")[1].split(":")[0].removesuffix(", date unknown")
    assert not HEX.search(entry["label"] + entry["outlet"])


@pytest.mark.parametrize(
    ("outlet", "published", "expected"),
    [
        ("Kelpie Radio", "2025-11-17", "One source (Kelpie Radio, 17 Nov) reports:"),
        ("World", "2025-11-17", "One source (Source s1, 17 Nov) reports:"),
        (HEADLINE, None, "One source (Source s1) reports:"),
        (HASH, None, "One source (Source s1) reports:"),
    ],
)
def test_lead_in_names_the_source(outlet, published, expected):
    dossier = {"sources": [_src(HASH, "s1", outlet, published, title=HEADLINE)]}
    sent = BriefingSentence("Ferries ran.", "source", (Citation(HASH, 0, 12, "Ferries ran."),), "k", "c-1",
                            "single-source")
    assert lead_in(sent, dossier) == expected
    assert lead_in(sent, dossier, SourceNames(dossier["sources"])) == expected
    corroborated = BriefingSentence("Ferries ran.", "source", sent.citations, "k", "c-1", "corroborated")
    assert lead_in(corroborated, dossier) is None  # no lead-in, no name


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many passengers crossed on the first day?", "(harbour-post.test)"),
        ("How many lighthouses were painted?", None),  # never reported: no answer, no name
    ],
)
def test_answers_name_sources_without_hashes(question, expected):
    sources = _dossier_sources()
    a, b = sources
    pa, pb = _cite(a["id"], TEXT_A, "About 40 passengers"), _cite(b["id"], TEXT_B, "38 passengers")
    points = [{"value": 40, "value_high": None, "qualifier": "about", "as_of": "2025-11-17", "source": a["id"],
               "published": "2025-11-17", "text": pa["text"], "citations": [pa]},
              {"value": 38, "value_high": None, "qualifier": None, "as_of": "2025-11-16", "source": b["id"],
               "published": None, "text": pb["text"], "citations": [pb]}]
    dossier = {"sources": sources, "quality": [{"source": s["id"], "score": 0.7, "reasons": []} for s in sources],
               "series": [{"id": "fs-1", "what": "passengers crossing on the first day", "unit": "passengers",
                           "cumulative": False, "points": points}]}
    cits = [Citation(s["id"], 0, len(s["text"]), s["text"]) for s in sources]
    index = build_index(cits, published={s["id"]: s["published"] for s in sources}, embedder=False)
    ans = answer(question, dossier, index, embedder=False)
    assert not HEX.search(ans.text), ans.text
    if expected is None:
        assert not ans.answered
    else:
        assert ans.answered and expected in ans.text, ans.text


def _clean(text: str, *, outlet: str | None, url: str | None, published: str | None) -> CleanArticle:
    tb = TextBuilder(text)
    tb.keep(0, len(text))
    clean, offsets = tb.build()
    art = Article(article_id(text), f"{text.split()[1]}.html", text, "html", title=None, outlet=outlet, url=url,
                  published=published, published_how="html" if published else "none",
                  published_precision="day" if published else None)
    return CleanArticle(art, clean, offsets, ())


class _NoEntities:
    entities: tuple = ()

    def resolve(self, article_id: str, key: str) -> None:
        return None


def _figure(text: str, words: str, value: float) -> Figure:
    start = text.index(words)
    sentence = Span(0, len(text), text)
    return Figure(Span(start, start + len(words), words), value, None, None, "passengers", "passengers crossing", None,
                  None, sentence)


@pytest.mark.parametrize(
    ("render", "present", "absent"),
    [
        (render_markdown, ["harbour-post.test", "Source s2"], ["World"]),
        (render_html, ["harbour-post.test", "Source s2"], ["World"]),
    ],
)
def test_reports_name_sources_without_hashes(render, present, absent):
    a = _clean(TEXT_A, outlet="World", url="https://www.harbour-post.test/world/a", published="2025-11-17")
    b = _clean(TEXT_B, outlet=HASH, url=None, published=None)
    items = [(a, Extraction(a.article.id, figures=(_figure(TEXT_A, "About 40", 40.0),))),
             (b, Extraction(b.article.id, figures=(_figure(TEXT_B, "38", 38.0),)))]
    out = render(build_dossier(items, _NoEntities(), title="Ferry runs again"))
    out = re.sub(r'\s(?:id|href)="[^"]*"', "", out)  # ids and links are machine output; the rest is read
    for word in present:
        assert word in out, word
    for word in absent:
        assert not re.search(rf"\b{word}\b", out), word
    assert a.article.id not in out and b.article.id not in out and HASH not in out
