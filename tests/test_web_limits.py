"""The web app's write path: size and rate limits on problem reports, the maintainer token, numbers in URLs,
the paginated problems page.  A small hand-built store, the real app under uvicorn on 127.0.0.1, real HTTP."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import serve_app as serve
from storyline.reader import stories
from storyline.reader.problems import item_key
from storyline.records import Citation
from storyline.store import Store
from storyline.web.app import (
    MAINTAINER_COOKIE,
    PROBLEMS_PAGE_SIZE,
    WriteLimits,
    create_app,
    maintainer_token,
    maintainer_url,
)
from storyline.web.limits import FIELD_LIMITS, MAX_ID, MAX_PAGE, RateLimiter, field_error, parse_span
from test_store import make_clean, make_extraction

TOKEN = "limits-test-token"
STORY = "harbour"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Small:
    db: Path
    aid: str
    text: str
    key: str  # a claim's item key


def build_small(db: Path, reports: int = 0) -> Small:
    clean = make_clean()
    aid, text = clean.article.id, clean.article.text
    start = text.index("At least 12")
    cite = {"source": aid, "start": start, "end": len(text), "text": text[start:]}
    dossier = {"title": "Harbour closed", "sources": [{"id": aid, "ref": "s1", "outlet": "Test", "text": text}],
               "claims": [{"id": "c-1", "text": cite["text"], "status": "single-source", "citations": [cite]}]}
    key = item_key("claim", [cite])
    with Store(db) as store:
        store.save(clean, make_extraction(clean), "test")
        stories.save_story(store, dossier, [aid], story_id=STORY)
        for i in range(reports):
            store.add_problem(STORY, key, "claim", cite["text"], [Citation(**cite)], "wrong", f"report {i + 1}")
    return Small(db, aid, text, key)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Small:
    return build_small(tmp_path_factory.mktemp("limits") / "small.db", reports=1)


@pytest.fixture(scope="module")
def base(small) -> Iterator[str]:
    """Maintainer mode, the rate limit lifted, a small body limit (8 KiB) so that oversized posts stay small."""
    app = create_app(small.db, maintainer=True, token=TOKEN, embedder=False,
                     limits=WriteLimits(body=8192, reports=None))  # fmt: skip
    with serve(app) as url:
        yield url


def one_line(r: httpx.Response) -> str:
    m = re.search(r'<p class="error-line">(.*?)</p>', r.text, re.S)
    assert m is not None, r.text[:500]
    line = html.unescape(m.group(1))
    assert "\n" not in line and "Traceback" not in r.text
    return line


def n_problems(db: Path) -> int:
    with Store(db) as store:
        return store.count_problems()


def post(url: str, **kw) -> httpx.Response:
    return httpx.post(url, timeout=30, follow_redirects=False, **kw)


# --------------------------------------------------------------------------- size


def _report(small: Small, **fields: str) -> dict[str, str]:
    return {"key": small.key, "category": "wrong", "comment": "The count is older.", **fields}


@pytest.mark.parametrize(
    ("fields", "status", "expected"),
    [
        ({}, 303, None),  # a normal report is taken
        ({"comment": "x" * 2000}, 303, None),  # exactly at the limit
        ({"comment": "x" * 2000 + "   "}, 303, None),  # trimmed first
        ({"comment": "x" * 2001}, 400, "comment: at most 2,000 characters"),
        ({"key": "claim:" + "a" * 300 + ":1-2"}, 400, "key: at most 300 characters"),
        ({"category": "w" * 41}, 400, "category: at most 40 characters"),
        ({"back": "/stories/" + "b" * 2001}, 400, "back: at most 2,000 characters"),
        ({"comment": "y" * 9000}, 413, "at most 8,192 bytes"),  # the whole body
        ({"text": "z" * 5000, "comment": "z" * 4000}, 413, "at most 8,192 bytes"),
        ({f"f{i}": "1" for i in range(20)}, 400, "more than 20 fields"),
    ],
)
def test_report_sizes(small, base, fields, status, expected):
    before = n_problems(small.db)
    r = post(f"{base}/stories/{STORY}/problems", data=_report(small, **fields))
    assert r.status_code == status
    if expected is None:
        assert r.headers["location"].startswith(f"/stories/{STORY}?reported=")
        assert n_problems(small.db) == before + 1
    else:
        assert expected in one_line(r)
        assert n_problems(small.db) == before


def _chunks(total: int) -> Iterator[bytes]:
    yield b"key=claim%3Aa%3A1-2&category=wrong&comment="
    for _ in range(total // 1024):
        yield b"c" * 1024


@pytest.mark.parametrize(
    ("content", "headers", "status", "expected"),
    [
        (_chunks(20_000), {"Content-Type": "application/x-www-form-urlencoded"}, 413, "at most 8,192 bytes"),
        (b"key=%ff%fe&category=wrong", {"Content-Type": "application/x-www-form-urlencoded"}, 400, "UTF-8"),
        (b'{"key": "x"}', {"Content-Type": "application/json"}, 415, "x-www-form-urlencoded"),
        (b"key=x", {}, 415, "x-www-form-urlencoded"),
    ],
)
def test_bodies_that_are_not_a_small_form_are_refused(small, base, content, headers, status, expected):
    """A chunked body (no Content-Length) is cut off at the limit too; only URL-encoded UTF-8 forms are read."""
    before = n_problems(small.db)
    r = post(f"{base}/stories/{STORY}/problems", content=content, headers=headers)
    assert r.status_code == status and expected in one_line(r)
    assert n_problems(small.db) == before


def test_a_multipart_form_is_refused(small, base):
    before = n_problems(small.db)
    r = post(f"{base}/stories/{STORY}/problems", data=_report(small), files={"f": ("a.txt", b"x")})
    assert r.status_code == 415 and n_problems(small.db) == before


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"comment": "x" * 2000, "note": "", "other": "o" * 10**5}, None),  # fields without a limit: the body's
        ({"note": "n" * 2001}, "note: at most 2,000 characters"),
        ({"token": "t" * 201}, "token: at most 200 characters"),
        ({"text": "t" * FIELD_LIMITS["text"]}, None),
        ({"text": "t" * (FIELD_LIMITS["text"] + 1)}, "text: at most 20,000 characters"),
    ],
)
def test_field_error(form, expected):
    assert field_error(form, FIELD_LIMITS) == expected


# --------------------------------------------------------------------------- rate


@pytest.mark.parametrize(
    ("steps", "refused_with"),
    [
        # (seconds since start, status) per attempt; 3 reports per 60 s per client
        ([(0, 303), (1, 303), (2, 303)], []),  # at the limit: all taken
        ([(0, 303), (1, 303), (2, 303), (3, 429)], ["57"]),  # the 4th within the minute: wait for the 1st to age out
        ([(0, 303), (1, 303), (2, 303), (30, 429), (59.5, 429), (60.5, 303)], ["30", "1"]),
        ([(0, 303), (0, 303), (0, 303), (61, 303), (61, 303), (61, 303), (62, 429)], ["59"]),  # a new window
    ],
)
def test_reports_over_the_rate_get_429_with_retry_after(small, steps, refused_with):
    clock = Clock()
    app = create_app(small.db, embedder=False, limits=WriteLimits(reports=3, window=60.0), clock=clock)
    start = clock.now
    retry = []
    with serve(app) as url:
        for at, status in steps:
            clock.now = start + at
            before = n_problems(small.db)
            r = post(f"{url}/stories/{STORY}/problems", data=_report(small))
            assert r.status_code == status, (at, r.text[:300])
            assert n_problems(small.db) == before + (status == 303)
            if status == 429:
                assert "Too many reports" in one_line(r) and "at most 3 in 60 seconds" in one_line(r)
                retry.append(r.headers["retry-after"])
    assert retry == refused_with


def _second_loopback_address() -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.2", 0))
        except OSError:
            return False
    return True


@pytest.mark.skipif(not _second_loopback_address(), reason="127.0.0.2 is not a local address here (macOS)")
def test_the_rate_limit_is_per_client_address(small):
    clock = Clock()
    app = create_app(small.db, embedder=False, limits=WriteLimits(reports=1, window=60.0), clock=clock)
    with serve(app) as url:
        first = post(f"{url}/stories/{STORY}/problems", data=_report(small))
        again = post(f"{url}/stories/{STORY}/problems", data=_report(small))
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=30) as other:
            elsewhere = other.post(f"{url}/stories/{STORY}/problems", data=_report(small))
        assert (first.status_code, again.status_code, elsewhere.status_code) == (303, 429, 303)
        # pages are never rate limited
        assert httpx.get(f"{url}/stories/{STORY}", timeout=30).status_code == 200


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([0, 1, 2], [0.0, 0.0, 0.0]),
        ([0, 1, 2, 3], [0.0, 0.0, 0.0, 57.0]),
        ([0, 1, 2, 10, 60, 61], [0.0, 0.0, 0.0, 50.0, 0.0, 0.0]),  # a refused try does not count
        ([0, 0, 0, 59.999, 60], [0.0, 0.0, 0.0, 0.001, 0.0]),
    ],
)
def test_rate_limiter_with_a_clock(times, expected):
    clock = Clock(0.0)
    limiter = RateLimiter(3, 60.0, clock)
    got = []
    for t in times:
        clock.now = t
        got.append(round(limiter.hit("a"), 3))
    assert got == expected


def test_rate_limiter_memory_is_bounded():
    clock = Clock(0.0)
    limiter = RateLimiter(1, 60.0, clock, max_keys=100)
    for i in range(1000):
        assert limiter.hit(f"10.0.{i // 256}.{i % 256}") == 0.0
    assert len(limiter._events) == 100
    assert limiter.hit("10.0.3.231") > 0  # a recent address is still limited


# --------------------------------------------------------------------------- the maintainer token


def _status_of(db: Path, pid: int) -> str:
    with Store(db) as store:
        problem = store.problem(pid)
        assert problem is not None
        return problem.status


@pytest.mark.parametrize(
    ("token", "status"),
    [
        (TOKEN, 303),  # the right token decides
        (None, 403),
        ("", 403),
        ("wrong", 403),
        (TOKEN[:-1], 403),
        (TOKEN + "x", 403),
        ("tökén ✓", 403),  # not ASCII: still a plain refusal
        (TOKEN.upper(), 403),
    ],
)
def test_decisions_need_the_maintainer_token(small, base, token, status):
    pid = 1
    before = _status_of(small.db, pid)
    target = "resolved" if before != "resolved" else "open"
    data = {"status": target, "note": "checked"} | ({} if token is None else {"token": token})
    r = post(f"{base}/problems/{pid}", data=data)
    assert r.status_code == status
    if status == 303:
        assert r.headers["location"] == f"/problems#p-{pid}" and _status_of(small.db, pid) == target
    else:
        assert "maintainer token" in one_line(r) and _status_of(small.db, pid) == before


def test_the_maintainer_address_gives_the_buttons(small, base):
    anon = httpx.get(f"{base}/problems", timeout=30).text
    assert 'class="decide"' not in anon and TOKEN not in anon and "Maintainer mode" in anon
    assert httpx.get(f"{base}/maintainer", params={"token": "nope"}, timeout=30).status_code == 403
    login = httpx.get(f"{base}/maintainer", params={"token": TOKEN}, timeout=30)
    assert login.status_code == 303 and login.headers["location"] == "/problems"
    cookie = login.headers["set-cookie"].lower()
    assert f"{MAINTAINER_COOKIE}={TOKEN}" in login.headers["set-cookie"]
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = httpx.get(f"{base}/problems", cookies={MAINTAINER_COOKIE: TOKEN}, timeout=30).text
    assert 'class="decide"' in page and f'<input type="hidden" name="token" value="{TOKEN}">' in page
    wrong = httpx.get(f"{base}/problems", cookies={MAINTAINER_COOKIE: "guess"}, timeout=30).text
    assert 'class="decide"' not in wrong


def test_a_random_token_per_maintainer_app(small):
    one, two = create_app(small.db, maintainer=True), create_app(small.db, maintainer=True)
    public = create_app(small.db)
    assert len(one.state.maintainer_token) >= 40 and one.state.maintainer_token != two.state.maintainer_token
    assert maintainer_token(one) == one.state.maintainer_token and maintainer_token(public) is None
    assert maintainer_url(one, "http://127.0.0.1:8000/") == (
        f"http://127.0.0.1:8000/maintainer?token={one.state.maintainer_token}"
    )
    assert maintainer_url(public, "http://127.0.0.1:8000") is None
    assert create_app(small.db, token="ignored").state.maintainer_token is None  # a reader's app has none
    with serve(public) as url:
        r = post(f"{url}/problems/1", data={"status": "resolved", "token": ""})
        assert r.status_code == 403 and "maintainer mode" in one_line(r)
        assert httpx.get(f"{url}/maintainer", params={"token": "x"}, timeout=30).status_code == 403


# --------------------------------------------------------------------------- numbers in URLs

BIG = "12345678901234567890"


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/stories/{sid}?reported=1", 200, None),
        (f"/stories/{{sid}}?reported={MAX_ID}", 200, None),  # the largest id: no such report, no banner
        (f"/stories/{{sid}}?reported={BIG}", 400, "reported"),
        (f"/stories/{{sid}}?reported={MAX_ID + 1}", 400, "reported"),
        ("/stories/{sid}?reported=-1", 400, "reported"),
        ("/stories/{sid}?reported=0", 400, "reported"),
        ("/stories/{sid}?reported=abc", 400, "reported"),
        ("/stories/{sid}?reported=1.5", 400, "reported"),
        ("/stories/{sid}?reported=" + "9" * 5000, 400, "reported"),
        ("/stories/{sid}/ask?reported=1", 200, None),
        (f"/stories/{{sid}}/ask?q=boats&reported={BIG}", 400, "reported"),
        ("/stories/{sid}/ask?reported=-5", 400, "reported"),
        ("/stories/{sid}/sources?page=1", 200, None),
        ("/stories/{sid}/sources?page=7", 200, None),  # past the end: the last page
        (f"/stories/{{sid}}/sources?page={MAX_PAGE}", 200, None),
        (f"/stories/{{sid}}/sources?page={MAX_PAGE + 1}", 400, "page"),
        (f"/stories/{{sid}}/sources?page={BIG}", 400, "page"),
        ("/stories/{sid}/sources?page=0", 400, "page"),
        ("/stories/{sid}/sources?page=-2", 400, "page"),
        ("/stories/{sid}/sources?page=two", 400, "page"),
        ("/problems?page=1", 200, None),
        ("/problems?page=3", 200, None),
        (f"/problems?page={BIG}", 400, "page"),
        ("/problems?page=-1", 400, "page"),
        ("/problems?page=1e3", 400, "page"),
        ("/stories/{sid}/sources/{aid}?span=0-4", 200, None),
        ("/stories/{sid}/sources/{aid}?span=", 200, None),  # no span: no highlight
        ("/stories/{sid}/sources/{aid}?span=4-0", 400, "span"),
        ("/stories/{sid}/sources/{aid}?span=3-3", 400, "span"),
        ("/stories/{sid}/sources/{aid}?span=-1-4", 400, "span"),
        ("/stories/{sid}/sources/{aid}?span=0--4", 400, "span"),
        ("/stories/{sid}/sources/{aid}?span=0-999999", 400, "past the end"),
        (f"/stories/{{sid}}/sources/{{aid}}?span={BIG}-{BIG}1", 400, "span"),
        ("/stories/{sid}/sources/{aid}?span=a-b", 400, "span"),
        ("/stories/{sid}/sources/{aid}?span=" + "1" * 5000 + "-2", 400, "span"),
    ],
)
def test_numbers_in_query_strings(small, base, path, status, expected):
    r = httpx.get(base + path.format(sid=STORY, aid=small.aid), timeout=30)
    assert r.status_code == status, r.text[:300]
    if expected is not None:
        assert expected in one_line(r)


@pytest.mark.parametrize(
    ("pid", "status", "expected"),
    [
        ("1", 303, None),
        ("999999", 404, "#999999"),
        (str(MAX_ID), 404, f"#{MAX_ID}"),
        (BIG, 400, "problem_id"),
        ("-1", 400, "problem_id"),
        ("0", 400, "problem_id"),
        ("one", 400, "problem_id"),
        ("9" * 5000, 400, "problem_id"),
    ],
)
def test_report_ids_in_decision_paths(small, base, pid, status, expected):
    r = post(f"{base}/problems/{pid}", data={"status": "open", "token": TOKEN})
    assert r.status_code == status
    if expected is not None:
        assert expected in one_line(r)


@pytest.mark.parametrize(
    ("span", "expected"),
    [("0-4", (0, 4)), ("12-13", (12, 13)), ("4-4", None), ("5-4", None), ("-1-4", None), ("0-1000000001", None),
     ("0-1000000000", (0, 10**9)), ("1 - 2", None), ("١-٢", None), ("", None), ("0-4-5", None)],
)  # fmt: skip
def test_parse_span(span, expected):
    assert parse_span(span) == expected


@pytest.mark.parametrize(
    ("citations", "status", "expected"),
    [
        ('[{"source": "x", "start": 0, "end": 4, "text": "Home"}]', 400, "does not verify"),  # well-formed
        ('[{"source": "x", "start": -1, "end": 4, "text": ""}]', 400, "citations: expected"),
        ('[{"source": "x", "start": 0, "end": 1e400, "text": ""}]', 400, "citations: expected"),
        (f'[{{"source": "x", "start": {BIG}, "end": {BIG}1, "text": ""}}]', 400, "citations: expected"),
        ('[{"source": "x", "start": true, "end": 4, "text": ""}]', 400, "citations: expected"),
        ('[{"source": 1, "start": 0, "end": 4}]', 400, "citations: expected"),
        ('{"source": "x"}', 400, "citations: expected"),
        ("[" * 2000, 400, "citations: expected"),  # nested past the JSON parser's depth
    ],
)
def test_numbers_in_posted_citations(small, base, citations, status, expected):
    before = n_problems(small.db)
    data = {"key": "answer:x:0-4", "category": "wrong", "citations": citations}
    r = post(f"{base}/stories/{STORY}/problems", data=data)
    assert r.status_code == status and expected in one_line(r)
    assert n_problems(small.db) == before


# --------------------------------------------------------------------------- the problems page


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Iterator[tuple[Small, str]]:
    small = build_small(tmp_path_factory.mktemp("many") / "many.db", reports=230)
    with serve(create_app(small.db, maintainer=True, token=TOKEN, embedder=False)) as url:
        yield small, url


@pytest.mark.parametrize(
    ("page", "label", "first", "last", "newer", "older"),
    [
        (None, "Page 1 of 5", 230, 181, None, 2),
        (1, "Page 1 of 5", 230, 181, None, 2),
        (2, "Page 2 of 5", 180, 131, 1, 3),
        (5, "Page 5 of 5", 30, 1, 4, None),
        (99, "Page 5 of 5", 30, 1, 4, None),  # past the end: the last page
    ],
)
def test_problems_page_is_paginated(many, page, label, first, last, newer, older):
    small, url = many
    r = httpx.get(f"{url}/problems", params={} if page is None else {"page": page}, timeout=30)
    assert r.status_code == 200 and label in r.text and "230 reports" in r.text
    ids = [int(i) for i in re.findall(r'<li id="p-(\d+)"', r.text)]
    assert ids == list(range(first, last - 1, -1)) and len(ids) <= PROBLEMS_PAGE_SIZE
    prev = re.search(r'<a rel="prev" href="/problems\?page=(\d+)">', r.text)
    nxt = re.search(r'<a rel="next" href="/problems\?page=(\d+)">', r.text)
    assert (int(prev.group(1)) if prev else None) == newer and (int(nxt.group(1)) if nxt else None) == older
    logged = {int(i) for i in re.findall(r'<td><a href="#p-(\d+)">', r.text)}
    assert logged == set(ids)  # the log of the reports on this page, each one linked to its entry


def test_a_decision_returns_to_the_page_of_its_report(many):
    small, url = many
    r = post(f"{url}/problems/7", data={"status": "resolved", "token": TOKEN})
    assert r.status_code == 303 and r.headers["location"] == "/problems?page=5#p-7"
    page = httpx.get(url + r.headers["location"].split("#")[0], timeout=30).text
    assert '<li id="p-7" class="problem st-resolved">' in page
    index = httpx.get(f"{url}/", timeout=30).text
    assert "229 open reports" in index
