"""Tests for storyline.ingest.ingest: every format, manifests, dates, bad inputs, and URLs against a real local server."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import (
    BinaryInput,
    EmptyInput,
    EncodingProblem,
    FetchError,
    InputError,
    InputTooLarge,
    ManifestError,
    NoArticleText,
    NotEnglish,
    UnsupportedFormat,
)
from storyline.ingest.ingest import (
    DEFAULT_MAX_BYTES,
    _connect_reason,
    article_id,
    decode_bytes,
    english_ratio,
    html_fragment_to_text,
    infer_published,
    iter_articles,
    markdown_to_text,
    parse_date_value,
    parse_front_matter,
)
from storyline.records import Article

# --------------------------------------------------------------------------- fixture texts (written for these tests)

BODY = (
    "The ferry service between Northport and the island of Vell resumed on Tuesday after a three-day "
    "suspension caused by high winds, the harbour authority said. About 400 passengers crossed on the "
    "first sailing, and officials said the timetable would return to normal by the end of the week."
)
BODY2 = (
    "Volunteers planted 1,200 oak saplings along the river path in Ambleford over the weekend, the parish "
    "council said. The trees replace those lost in last winter's floods, and the council expects the path "
    "to reopen to walkers in the spring after the new banks have settled."
)
BODY3 = (
    "The city library in Corrin will extend its opening hours from next month, staying open until nine in "
    "the evening on weekdays, the library board announced. The change follows a survey in which most "
    "readers asked for later hours, and it will be paid for from the existing budget."
)
FRENCH = (
    "Le conseil municipal a voté mardi soir un nouveau plan pour les pistes cyclables du centre-ville. "
    "Selon la maire, les travaux commenceront au printemps et dureront près de deux ans, avec un budget "
    "de quatre millions d'euros financé en partie par la région."
)

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry service resumes | The Northport Gazette</title>
<meta property="og:site_name" content="The Northport Gazette">
<meta property="og:title" content="Ferry service resumes after storm">
<meta name="author" content="Ida Brennock">
<meta property="article:published_time" content="2025-11-24T08:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry service resumes after storm</h1>
<p>{BODY}</p>
<p>{BODY2}</p>
</article>
<footer>Contact us</footer>
</body></html>
"""
HTML_NO_META = f"""<html><head><title>Library hours</title></head><body>
<article><p>{BODY3}</p><p>{BODY}</p></article></body></html>"""
HTML_EMPTY = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"

RSS_FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Island Weekly</title><link>http://example.invalid/</link>
<description>News from the islands</description>
<item><title>Ferry resumes</title><link>http://example.invalid/ferry</link>
<pubDate>Tue, 25 Nov 2025 01:00:00 +0500</pubDate>
<description>&lt;p&gt;{BODY}&lt;/p&gt;&lt;p&gt;{BODY2}&lt;/p&gt;</description></item>
<item><title>Library hours</title><link>http://example.invalid/library</link>
<description>{BODY3}</description></item>
<item><title>Short</title><link>http://example.invalid/short</link><description>Too short.</description></item>
</channel></rss>
"""
ATOM_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Vell Observer</title><id>urn:vell</id>
<updated>2025-12-01T10:00:00Z</updated>
<entry><title>Oak saplings planted</title><id>urn:vell:1</id><link href="http://example.invalid/oaks"/>
<published>2025-12-01T10:00:00Z</published><updated>2025-12-01T10:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY2}&lt;/p&gt;</content></entry>
</feed>
"""

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _ok(results: list[Article | InputError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def _errors(results: list[Article | InputError]) -> list[InputError]:
    return [r for r in results if isinstance(r, InputError)]


def _run(*inputs: str | Path, **kw: object) -> list[Article | InputError]:
    return list(iter_articles([str(i) for i in inputs], **kw))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- article_id


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("The ferry resumed.", "The ferry resumed.", True),
        ("The ferry  resumed.", " The ferry\n\tresumed. ", True),
        ("caf\u00e9", "cafe\u0301", True),  # NFC
        ("The ferry resumed.", "The ferry resumed!", False),
        ("The ferry resumed.", "The ferryresumed.", False),
    ],
)
def test_article_id_table(a: str, b: str, same: bool) -> None:
    assert (article_id(a) == article_id(b)) is same
    assert len(article_id(a)) == 16
    int(article_id(a), 16)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \n\n ", "\u00a0"])


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORD, min_size=1, max_size=12), data=st.data())
def test_article_id_whitespace_stable(words: list[str], data: st.DataObject) -> None:
    seps = [data.draw(_SPACE) for _ in range(len(words) + 1)]
    spaced = seps[0] + "".join(w + s for w, s in zip(words, seps[1:], strict=True))
    assert article_id(spaced) == article_id(" ".join(words))


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORD, min_size=1, max_size=12), extra=_WORD)
def test_article_id_differs_for_different_words(words: list[str], extra: str) -> None:
    assert article_id(" ".join(words)) != article_id(" ".join([*words, extra]))


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected_published", "expected_precision"),
    [
        ("Published 24 November 2025\n\nThe council met.", "2025-11-24", "day"),
        ("Updated: Nov. 3, 2025 10:14\nThe council met.", "2025-11-03", "day"),
        ("March 4, 2026 — The council met on Tuesday.", "2026-03-04", "day"),
        ("2025-11-24\nThe council met.", "2025-11-24", "day"),
        ("NORTHPORT, March 4, 2026 — The council met.", "2026-03-04", "day"),
        ("By Ida Brennock | March 4, 2026\nThe council met.", "2026-03-04", "day"),
        ("Posted on Sept. 12th, 2024 at 9:30 am\nText", "2024-09-12", "day"),
        ("Monday, 3 November 2025\nThe council met.", "2025-11-03", "day"),
        ("Updated 4 November 2025\nPublished: 3 November 2025\nText", "2025-11-03", "day"),
        ("Headline\nPublished: November 2025\nText", "2025-11", "month"),
        ("November 2025\n\nText of the piece.", "2025-11", "month"),
        ("Date: 2025\nText", "2025", "year"),
        # no-date cases
        ("The council met on March 4, 2026 to vote on the budget.", None, None),
        ("May 1992: The league is founded.\nJune 1992: The first season.", None, None),
        ("Nothing here says when this was written.", None, None),
        ("Published 31 February 2025\nText", None, None),
        ("Published in the 1990s by a small press.", None, None),
        ("The report was updated on 4 May 2025 by the board.", None, None),
    ],
)
def test_infer_published(text: str, expected_published: str | None, expected_precision: str | None) -> None:
    got = infer_published(text)
    if expected_published is None:
        assert got is None
    else:
        assert got == (expected_published, expected_precision)


def test_infer_published_tail_line() -> None:
    text = BODY * 12 + "\n\nPublished 2 October 2025"
    assert infer_published(text) == ("2025-10-02", "day")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-24T10:00:00Z", ("2025-11-24", "day")),
        ("Mon, 24 Nov 2025 10:00:00 GMT", ("2025-11-24", "day")),
        ("24 November 2025", ("2025-11-24", "day")),
        ("Nov. 3, 2025", ("2025-11-03", "day")),
        ("11/24/2025", ("2025-11-24", "day")),
        ("2025-11", ("2025-11", "month")),
        ("2025", ("2025", "year")),
        ("garbage", None),
        ("24", None),
        ("", None),
    ],
)
def test_parse_date_value(value: str, expected: tuple[str, str] | None) -> None:
    assert parse_date_value(value) == expected


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_parse_date_value_roundtrip(day: dt.date) -> None:
    iso = day.isoformat()
    assert parse_date_value(iso) == (iso, "day")
    assert parse_date_value(day.strftime("%d %B %Y")) == (iso, "day")
    assert parse_date_value(day.strftime("%B %d, %Y")) == (iso, "day")
    assert parse_date_value(day.strftime("%a, %d %b %Y 10:00:00 GMT")) == (iso, "day")


_FORMATS = (
    "Published %d %B %Y",
    "Updated: %b. %d, %Y 10:14",
    "%B %d, %Y —",
    "%Y-%m-%d",
    "By Ida Brennock | %A, %d %B %Y",
)


@settings(max_examples=80, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)),
    fmt=st.sampled_from(_FORMATS),
)
def test_infer_published_dateline_property(day: dt.date, fmt: str) -> None:
    text = f"Headline of the piece\n{day.strftime(fmt)}\n\n{BODY}"
    assert infer_published(text) == (day.isoformat(), "day")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("abc 019-:/,.\n#*_[]()!>`PublishedMayJan"), max_size=120))
def test_parsers_never_raise(text: str) -> None:
    got = infer_published(text)
    if got is not None:
        iso, precision = got
        assert precision in ("day", "month", "year")
        assert len(iso) == {"day": 10, "month": 7, "year": 4}[precision]
    md, _ = markdown_to_text(text)
    assert isinstance(md, str)
    parse_front_matter(text)


# --------------------------------------------------------------------------- markdown and front matter


@pytest.mark.parametrize(
    ("md", "expected"),
    [
        ("# Ferry resumes\n\nThe *ferry* is **back**.", "Ferry resumes\n\nThe ferry is back."),
        ("See [the harbour site](http://x.invalid/h) now.", "See the harbour site now."),
        ("Before ![a photo](p.png) after.", "Before  after."),
        ("- first item\n- second item\n1. numbered", "first item\nsecond item\n1. numbered"),
        ("> A quoted line\n\n---\n\nAfter rule", "A quoted line\n\nAfter rule"),
        ("Title\n=====\n\nBody `code` and ~~old~~ text.", "Title\n\nBody code and old text."),
        ("snake_case_name stays and 2*3*4 stays", "snake_case_name stays and 2*3*4 stays"),
        ("```\n# not a heading\n```", "# not a heading"),
        ("Plain text with nothing to change.", "Plain text with nothing to change."),
        ("[ref link][1]\n\n[1]: http://x.invalid", "ref link"),
    ],
)
def test_markdown_to_text(md: str, expected: str) -> None:
    assert markdown_to_text(md)[0] == expected


def test_markdown_heading_is_title() -> None:
    assert markdown_to_text("Intro line\n\n## Second-level heading\n\ntext")[1] == "Second-level heading"
    assert markdown_to_text("no heading here")[1] is None


@pytest.mark.parametrize(
    ("text", "meta", "body"),
    [
        ("---\ntitle: Ferry\noutlet: Gazette\n---\nBody", {"title": "Ferry", "outlet": "Gazette"}, "Body"),
        (
            '---\nTitle: "Quoted"\nsite: Courier\ndate: 2025-11-24\n---\n\nBody',
            {"title": "Quoted", "outlet": "Courier", "published": "2025-11-24"},
            "Body",
        ),
        ("---\nunknown: x\n---\nBody", {}, "Body"),
        ("No front matter\n---\n", {}, "No front matter\n---\n"),
        ("---\ntitle: never closed\nBody", {}, "---\ntitle: never closed\nBody"),
    ],
)
def test_parse_front_matter(text: str, meta: dict[str, str], body: str) -> None:
    assert parse_front_matter(text) == (meta, body)


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>One</p><p>Two<br>Three</p>", "One\n\nTwo\nThree"),
        ("<div>Caf&eacute; <b>open</b><script>x()</script></div>", "Café open"),
        ("no markup   at all", "no markup at all"),
        ("", ""),
    ],
)
def test_html_fragment_to_text(fragment: str, expected: str) -> None:
    assert html_fragment_to_text(fragment) == expected


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (BODY, True),
        (BODY2, True),
        (FRENCH, False),
        ("Der Rat hat am Dienstag den neuen Haushalt beschlossen.", False),
    ],
)
def test_english_ratio(text: str, english: bool) -> None:
    assert (english_ratio(text)[0] >= 0.15) is english


def test_decode_legacy_encodings() -> None:
    smart = "The caf\u00e9 owner said \u201cwe are open\u201d and the mayor\u2019s office agreed. " * 3
    assert decode_bytes(smart.encode("cp1252"), "x") == smart
    assert decode_bytes(smart.encode("utf-16"), "x") == smart
    latin = "Le caf\u00e9 est ouvert \u00e0 c\u00f4t\u00e9 de la gare. " * 3
    assert decode_bytes(latin.encode("latin-1"), "x") == latin
    assert decode_bytes(b"line one\r\nline two", "x") == "line one\nline two"


# --------------------------------------------------------------------------- files and folders


def test_plain_text_file(tmp_path: Path) -> None:
    f = tmp_path / "ferry.txt"
    f.write_text(f"Ferry service resumes\nPublished 25 November 2025\n\n{BODY}\n", encoding="utf-8")
    (a,) = _run(f)
    assert isinstance(a, Article)
    assert a.format == "text" and a.origin == str(f)
    assert a.title == "Ferry service resumes"
    assert a.text.startswith("Ferry service resumes\nPublished") and a.text.endswith(
        "normal by the end of the week."
    )
    assert (a.published, a.published_how, a.published_precision) == ("2025-11-25", "text", "day")
    assert a.id == article_id(a.text) and a.language == "en"


@pytest.mark.parametrize(
    ("first_lines", "title"),
    [
        ("Ferry service resumes\n", "Ferry service resumes"),
        ("Published 25 November 2025\n", None),
        ("By Ida Brennock\n", None),
        ("March 4, 2026 — ", None),
        ("", None),  # the first line is a sentence
    ],
)
def test_plain_text_title(tmp_path: Path, first_lines: str, title: str | None) -> None:
    f = tmp_path / "t.txt"
    f.write_text(first_lines + BODY, encoding="utf-8")
    (a,) = _run(f)
    assert isinstance(a, Article) and a.title == title


def test_plain_text_without_date(tmp_path: Path) -> None:
    f = tmp_path / "ferry.text"
    f.write_text(BODY, encoding="utf-8")
    (a,) = _run(f)
    assert isinstance(a, Article)
    assert (a.published, a.published_how, a.published_precision) == (None, "none", None)
    assert a.title is None  # first line is a sentence, not a headline


def test_markdown_file_with_front_matter(tmp_path: Path) -> None:
    f = tmp_path / "oaks.md"
    f.write_text(
        "---\ntitle: Oaks planted\noutlet: Ambleford Post\nauthor: R. Tolley\npublished: 2025-10-02\n"
        f"url: http://example.invalid/oaks\n---\n# Oak saplings\n\n**{BODY2}**\n\n- [Read more](http://x.invalid)\n",
        encoding="utf-8",
    )
    (a,) = _run(f)
    assert isinstance(a, Article)
    assert a.format == "markdown"
    assert a.text == f"Oak saplings\n\n{BODY2}\n\nRead more"
    assert (a.title, a.outlet, a.author, a.url) == (
        "Oaks planted",
        "Ambleford Post",
        "R. Tolley",
        "http://example.invalid/oaks",
    )
    assert (a.published, a.published_how, a.published_precision) == ("2025-10-02", "metadata", "day")


def test_markdown_title_from_heading(tmp_path: Path) -> None:
    f = tmp_path / "lib.markdown"
    f.write_text(f"# Library hours extended\n\n{BODY3}", encoding="utf-8")
    (a,) = _run(f)
    assert isinstance(a, Article) and a.title == "Library hours extended" and a.published_how == "none"


def test_html_file(tmp_path: Path) -> None:
    f = tmp_path / "ferry.html"
    f.write_text(HTML_PAGE, encoding="utf-8")
    (a,) = _run(f)
    assert isinstance(a, Article)
    assert a.format == "html"
    assert BODY in a.text and BODY2 in a.text
    assert f"{BODY}\n\n{BODY2}" in a.text  # paragraph breaks kept as blank lines
    assert "Home" not in a.text and "Contact us" not in a.text
    assert a.title == "Ferry service resumes after storm"
    assert (a.author, a.outlet) == ("Ida Brennock", "The Northport Gazette")
    assert (a.published, a.published_how, a.published_precision) == ("2025-11-24", "html", "day")


def test_html_date_from_text_when_no_metadata(tmp_path: Path) -> None:
    f = tmp_path / "lib.htm"
    f.write_text(
        HTML_NO_META.replace("<article>", "<article><p>Published 5 January 2026</p>"), encoding="utf-8"
    )
    (a,) = _run(f)
    assert isinstance(a, Article)
    assert (a.published, a.published_how) == ("2026-01-05", "text")


def test_jsonl_json_and_csv(tmp_path: Path) -> None:
    jl = tmp_path / "batch.jsonl"
    jl.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "text": BODY,
                        "title": "Ferry",
                        "source": "Gazette",
                        "date": "2025-11-25",
                        "url": "http://e.invalid/1",
                    }
                ),
                "",
                json.dumps({"content": BODY2, "author": "R. Tolley"}),
                json.dumps({"title": "no text here"}),
                "{not json",
                json.dumps({"body": f"<p>{BODY3}</p><p>Second paragraph of the library story.</p>"}),
            ]
        ),
        encoding="utf-8",
    )
    res = _run(jl)
    assert [r.origin if isinstance(r, Article) else r.source for r in res] == [
        f"{jl}#{n}" for n in range(1, 6)
    ]
    a1, a2, e3, e4, a5 = res
    assert isinstance(a1, Article) and a1.format == "jsonl"
    assert (a1.title, a1.outlet, a1.published, a1.published_how, a1.url) == (
        "Ferry", "Gazette", "2025-11-25", "metadata", "http://e.invalid/1",
    )  # fmt: skip
    assert isinstance(a2, Article) and a2.author == "R. Tolley" and a2.published_how == "none"
    assert isinstance(e3, NoArticleText)
    assert type(e4) is InputError and "invalid JSON" in str(e4)
    assert isinstance(a5, Article) and a5.text == f"{BODY3}\n\nSecond paragraph of the library story."

    js = tmp_path / "batch.json"
    js.write_text(json.dumps([{"text": BODY}, {"text": BODY2, "outlet": "Post"}]), encoding="utf-8")
    res = _run(js)
    assert [a.origin for a in _ok(res)] == [f"{js}#1", f"{js}#2"] and _ok(res)[1].outlet == "Post"

    cs = tmp_path / "batch.csv"
    cs.write_text(
        'title,site,published,body\n"Ferry","Gazette","Nov. 25, 2025","' + BODY + '"\nEmpty,X,,\n',
        encoding="utf-8",
    )
    res = _run(cs)
    assert isinstance(res[0], Article) and res[0].origin == f"{cs}#1" and res[0].format == "csv"
    assert (res[0].title, res[0].outlet, res[0].published) == ("Ferry", "Gazette", "2025-11-25")
    assert isinstance(res[1], NoArticleText) and res[1].source == f"{cs}#2"


def test_feeds(tmp_path: Path) -> None:
    rss = tmp_path / "island.rss"
    rss.write_text(RSS_FEED, encoding="utf-8")
    res = _run(rss)
    assert len(res) == 3
    a1, a2, e3 = res
    assert isinstance(a1, Article) and a1.format == "feed" and a1.origin == f"{rss}#1"
    assert a1.text == f"{BODY}\n\n{BODY2}"
    assert (a1.title, a1.outlet, a1.url) == ("Ferry resumes", "Island Weekly", "http://example.invalid/ferry")
    assert (a1.published, a1.published_how, a1.published_precision) == ("2025-11-25", "metadata", "day")
    assert isinstance(a2, Article) and a2.published is None and a2.text == BODY3
    assert isinstance(e3, NoArticleText) and e3.source == f"{rss}#3"

    atom = tmp_path / "vell.atom"
    atom.write_text(ATOM_FEED, encoding="utf-8")
    (a,) = _run(atom)
    assert isinstance(a, Article)
    assert (a.text, a.outlet, a.published, a.url) == (
        BODY2,
        "Vell Observer",
        "2025-12-01",
        "http://example.invalid/oaks",
    )


def test_folder_recursion_order_and_feed_sniffing(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.md").write_text(BODY2, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY3, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text(BODY3, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("key: value\n", encoding="utf-8")  # unknown extension: skipped
    (tmp_path / "photo.png").write_bytes(PNG)  # unknown extension: skipped
    (tmp_path / "README.md").write_text(BODY3, encoding="utf-8")  # folder notes are not articles
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "manifest.csv").write_text("path,outlet\nz.htm,Corrin Library News\n", encoding="utf-8")
    (sub / "feed").write_text(ATOM_FEED, encoding="utf-8")  # no extension: detected as a feed
    (sub / "z.htm").write_text(HTML_NO_META, encoding="utf-8")
    res = _run(tmp_path)
    assert not _errors(res)
    assert [a.origin for a in _ok(res)] == [
        str(sub / "z.htm"),  # listed in the nested manifest: manifests come first
        str(tmp_path / "a.md"),
        str(tmp_path / "b.txt"),
        str(sub / "feed") + "#1",
    ]
    assert _ok(res)[0].outlet == "Corrin Library News"


def test_same_article_twice_same_id(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "two.txt").write_text("  " + BODY.replace(". ", ".\n\n") + "\n", encoding="utf-8")
    (tmp_path / "three.txt").write_text(BODY2, encoding="utf-8")
    a, b, c = _ok(
        _run(tmp_path / "one.txt", tmp_path / "two.txt", tmp_path / "three.txt", tmp_path / "one.txt")
    )
    assert a.id == b.id != c.id


# --------------------------------------------------------------------------- bad inputs


def test_bad_inputs_yield_errors_and_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    cases: dict[str, tuple[bytes, type[InputError], str]] = {
        "empty.txt": (b"", EmptyInput, "empty"),
        "blank.txt": (b"  \n\n ", EmptyInput, "empty"),
        "image.txt": (PNG, BinaryInput, "PNG"),
        "report.pdf": (b"%PDF-1.7\n" + BODY.encode(), BinaryInput, "PDF"),
        "nul.txt": (BODY.encode()[:50] + b"\x00\x01\x02" + BODY.encode(), BinaryInput, "NUL"),
        "ctrl.txt": (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 10 + BODY.encode(), BinaryInput, "control"),
        "bad-bom.txt": (b"\xef\xbb\xbf" + BODY.encode() + b"\xff\xfe\xfa", EncodingProblem, "utf-8"),
        "mangled.txt": (bytes((i * 37) % 128 + 128 for i in range(400)), EncodingProblem, "decode"),
        "short.txt": (b"Just a few words here.", NoArticleText, "5 words"),
        "french.txt": (FRENCH.encode(), NotEnglish, "English function words"),
        "nav.html": (HTML_EMPTY.encode(), NoArticleText, "too little text"),
        "broken.html": (b"<html><body><<<>>></p></div></b", NoArticleText, ""),
        "data.xml": (b'<?xml version="1.0"?><catalog><book id="1"/></catalog>', UnsupportedFormat, "RSS"),
        "notes.yaml": (b"title: notes\nbody: none\n", UnsupportedFormat, ".yaml"),
        "emptyfeed.rss": (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
            NoArticleText,
            "no entries",
        ),
    }
    inputs: list[str] = []
    for name, (data, _, _) in cases.items():
        (tmp_path / name).write_bytes(data)
        inputs.append(str(tmp_path / name))
    missing = str(tmp_path / "missing.txt")
    res = list(iter_articles([*inputs[:5], missing, *inputs[5:], str(good)]))
    assert len(res) == len(cases) + 2
    assert isinstance(res[-1], Article) and res[-1].origin == str(good)
    assert (
        type(res[5]) is InputError and res[5].reason == "no such file or folder" and res[5].source == missing
    )
    errs = [r for i, r in enumerate(res[:-1]) if i != 5]
    for (name, (_, kind, needle)), err in zip(cases.items(), errs, strict=True):
        assert type(err) is kind, (name, err)
        assert err.source == str(tmp_path / name)
        assert needle in err.reason, (name, err.reason)
        assert "\n" not in str(err)


def test_not_english_allowed_when_not_required(tmp_path: Path) -> None:
    f = tmp_path / "fr.txt"
    f.write_text(FRENCH, encoding="utf-8")
    (a,) = _run(f, require_english=False)
    assert isinstance(a, Article) and a.language == "und"


def test_too_large_checked_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(BODY * 10, encoding="utf-8")
    (e,) = _run(f, max_bytes=1000)
    assert isinstance(e, InputTooLarge) and "limit" in e.reason
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    (a,) = _run(f)
    assert isinstance(a, Article)


def test_legacy_encoded_file_is_read(tmp_path: Path) -> None:
    text = BODY.replace(
        "the harbour authority said", "the harbour authority\u2019s caf\u00e9 owner said \u201cyes\u201d"
    )
    f = tmp_path / "cp.txt"
    f.write_bytes(text.encode("cp1252"))
    (a,) = _run(f)
    assert isinstance(a, Article) and a.text == text


# --------------------------------------------------------------------------- manifests


def test_explicit_csv_manifest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ferry.txt").write_text("Published 1 May 2020\n" + BODY, encoding="utf-8")
    (docs / "oaks.md").write_text(BODY2, encoding="utf-8")
    (docs / "extra.txt").write_text(BODY3, encoding="utf-8")
    man = tmp_path / "list.csv"
    man.write_text(
        "path,title,outlet,published\n"
        "docs/ferry.txt,Ferry back,Gazette,2025-11-25\n"
        "docs/nope.txt,,,\n"
        ",only a title,,\n"
        "docs/oaks.md,,Post,not a date\n"
        "docs/oaks.md,Oaks,,\n",
        encoding="utf-8",
    )
    res = list(iter_articles([str(docs)], manifest=str(man)))
    ferry, e2, e3, e4, oaks, extra = res
    assert isinstance(ferry, Article)
    assert (ferry.title, ferry.outlet, ferry.published, ferry.published_how) == (
        "Ferry back",
        "Gazette",
        "2025-11-25",
        "metadata",
    )
    assert isinstance(e2, ManifestError) and e2.source == f"{man}#2" and "no such file" in e2.reason
    assert isinstance(e3, ManifestError) and e3.source == f"{man}#3" and "neither" in e3.reason
    assert isinstance(e4, ManifestError) and e4.source == f"{man}#4" and "date" in e4.reason
    assert isinstance(oaks, Article) and oaks.title == "Oaks" and oaks.origin == str(docs / "oaks.md")
    assert isinstance(extra, Article) and extra.origin == str(
        docs / "extra.txt"
    )  # folder file not in manifest


def test_explicit_manifest_inside_input_folder_is_not_an_article_file(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(BODY, encoding="utf-8")
    man = tmp_path / "sources.csv"
    man.write_text("path,outlet\nferry.txt,Gazette\n", encoding="utf-8")
    res = list(iter_articles(str(tmp_path), manifest=str(man)))  # a bare string input is one input
    assert len(res) == 1 and isinstance(res[0], Article) and res[0].outlet == "Gazette"


def test_missing_manifest(tmp_path: Path) -> None:
    (e,) = list(iter_articles([], manifest=str(tmp_path / "nope.csv")))
    assert isinstance(e, ManifestError)


# --------------------------------------------------------------------------- a real local HTTP server

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/ferry.html": (200, "text/html; charset=utf-8", HTML_PAGE.encode()),
    "/plain.html": (200, "text/html", HTML_NO_META.encode()),
    "/feed": (200, "application/rss+xml", RSS_FEED.encode()),
    "/notes.txt": (200, "text/plain; charset=utf-8", ("Published 3 March 2026\n" + BODY2).encode()),
    "/nav.html": (200, "text/html", HTML_EMPTY.encode()),
    "/fr.txt": (200, "text/plain", FRENCH.encode()),
    "/image": (200, "image/png", PNG),
    "/error": (500, "text/plain", b"boom"),
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/ferry.html")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path in ("/big", "/big-stream", "/slow"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            if self.path == "/big":
                self.send_header("Content-Length", str(50_000))
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"word " * 200)
            except OSError:
                pass
            return
        status, ctype, body = ROUTES.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_urls(server: str) -> None:
    dead = f"http://127.0.0.1:{_dead_port()}/x"
    urls = [
        f"{server}/ferry.html",
        f"{server}/plain.html",
        f"{server}/feed",
        f"{server}/notes.txt",
        f"{server}/missing",
        f"{server}/error",
        f"{server}/big",
        f"{server}/big-stream",
        dead,
        f"{server}/nav.html",
        f"{server}/fr.txt",
        f"{server}/image",
        f"{server}/redirect",
    ]
    res = list(iter_articles(urls, max_bytes=20_000, timeout=5))
    ferry, plain, f1, f2, f3, notes, e404, e500, big, bigs, refused, nav, fr, image, redirected = res
    assert isinstance(ferry, Article) and ferry.format == "html" and ferry.origin == urls[0]
    assert (ferry.outlet, ferry.url, ferry.published_how) == ("The Northport Gazette", urls[0], "html")
    assert isinstance(plain, Article) and plain.outlet == "127.0.0.1"  # host-name fallback
    assert (
        isinstance(f1, Article)
        and f1.format == "feed"
        and f1.origin == f"{urls[2]}#1"
        and f1.outlet == "Island Weekly"
    )
    assert isinstance(f2, Article) and isinstance(f3, NoArticleText)
    assert isinstance(notes, Article) and notes.format == "text" and notes.published == "2026-03-03"
    assert isinstance(e404, FetchError) and e404.reason == "HTTP 404" and e404.source == urls[4]
    assert isinstance(e500, FetchError) and e500.reason == "HTTP 500"
    assert isinstance(big, InputTooLarge) and isinstance(bigs, InputTooLarge)
    assert isinstance(refused, FetchError) and refused.reason == "connection refused"
    assert isinstance(nav, NoArticleText)
    assert isinstance(fr, NotEnglish)
    assert isinstance(image, BinaryInput)
    assert isinstance(redirected, Article) and redirected.url == urls[0] and redirected.id == ferry.id


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("[Errno 111] Connection refused", "connection refused"),
        ("[Errno -2] Name or service not known", "host not found (DNS lookup failed)"),
        ("[Errno -3] Temporary failure in name resolution", "host not found (DNS lookup failed)"),
        ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", "TLS/SSL error"),
        ("something else entirely", "cannot connect"),
    ],
)
def test_connect_reason(message: str, reason: str) -> None:
    assert _connect_reason(message) == reason


def test_url_timeout(server: str) -> None:
    (e,) = list(iter_articles([f"{server}/slow"], timeout=0.3))
    assert isinstance(e, FetchError) and e.reason.startswith("timed out after 0.3s")


def test_manifest_auto_discovered_jsonl_with_urls(tmp_path: Path, server: str) -> None:
    (tmp_path / "ferry.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "lib.txt").write_text(BODY3, encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(
        "\n".join(
            [
                json.dumps(
                    {"url": f"{server}/ferry.html", "outlet": "Gazette (manifest)", "published": "2025-12-01"}
                ),
                json.dumps({"path": "ferry.txt", "title": "Ferry (manifest)", "published": "November 2025"}),
                json.dumps({"url": f"{server}/missing"}),
                "not json",
                json.dumps({"url": "ftp://example.invalid/x"}),
            ]
        ),
        encoding="utf-8",
    )
    res = _run(tmp_path)
    web, ferry, e404, bad_json, bad_url, lib = res
    assert isinstance(web, Article) and web.origin == f"{server}/ferry.html"
    assert (web.outlet, web.published, web.published_how, web.title) == (
        "Gazette (manifest)", "2025-12-01", "metadata", "Ferry service resumes after storm",
    )  # fmt: skip
    assert isinstance(ferry, Article) and ferry.title == "Ferry (manifest)"
    assert (ferry.published, ferry.published_precision, ferry.published_how) == (
        "2025-11",
        "month",
        "metadata",
    )
    assert isinstance(e404, FetchError) and e404.reason == "HTTP 404"
    assert isinstance(bad_json, ManifestError) and bad_json.source == f"{tmp_path / 'manifest.jsonl'}#4"
    assert isinstance(bad_url, ManifestError)
    assert isinstance(lib, Article) and lib.origin == str(tmp_path / "lib.txt")


def test_manifest_csv_auto_discovered_and_given_as_input(tmp_path: Path, server: str) -> None:
    (tmp_path / "oaks.txt").write_text(BODY2, encoding="utf-8")
    man = tmp_path / "manifest.csv"
    man.write_text(
        f"url,path,title,outlet,published\n{server}/notes.txt,,Notes,Wire,2026-03-01\n,oaks.txt,Oaks,,\n",
        encoding="utf-8",
    )
    for inputs in ([str(tmp_path)], [str(man)]):
        notes, oaks = list(iter_articles(inputs))
        assert isinstance(notes, Article) and notes.origin == f"{server}/notes.txt"
        assert (notes.title, notes.outlet, notes.published, notes.published_how) == (
            "Notes", "Wire", "2026-03-01", "metadata",
        )  # fmt: skip
        assert notes.url == f"{server}/notes.txt"
        assert isinstance(oaks, Article) and oaks.title == "Oaks" and oaks.published_how == "none"


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        ("path,outlet,published", '"a.txt","The ""Quayside"" Ledger, Tollan",2026-03-03', 'The "Quayside" Ledger, Tollan'),
        ("path;outlet;published", 'a.txt;"Harbour; Wire";2026-03-03', "Harbour; Wire"),
        ("path\toutlet\tpublished", "a.txt\tPlain Outlet\t2026-03-03", "Plain Outlet"),
        ("path,outlet,published", "a.txt,,2026-03-03", None),  # no outlet given: none read
    ],
)
def test_csv_manifest_standard_quoting(tmp_path: Path, header: str, row: str, expected: str | None) -> None:
    """Only the delimiter is guessed from the header: a quoted value with doubled quotes or the delimiter in
    it is read whole (it used to split and lose the row's date)."""
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    man = tmp_path / "manifest.csv"
    man.write_text(f"{header}\n{row}\n", encoding="utf-8")
    (art,) = [a for a in iter_articles([], manifest=str(man))]
    assert isinstance(art, Article), art
    assert art.published == "2026-03-03"
    assert (art.outlet == expected) if expected is not None else art.outlet in (None, "")
