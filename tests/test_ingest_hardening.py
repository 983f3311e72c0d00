"""Ingest refuses what is not a regular file, stays inside its folders, keeps a URL's total deadline and reads
malformed structured input one record at a time (issue 13: hardening).  Real files, FIFOs, symlinks and a
real slow server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import FetchError, InputError, ManifestError, NoArticleText, UnsupportedFormat
from storyline.ingest.ingest import iter_articles
from storyline.records import Article
from storyline.text import printable, scrub, scrub_line

BODY = (
    "The harbour board of Wexmoor voted on Tuesday to close the old east pier after engineers found cracks "
    "in three of its concrete piles. The board chair, Ilse Varga, said the pier would stay shut until a "
    "survey is finished in the spring, and that ferries would use the west berth in the meantime."
)


def _run(*inputs: str | Path, **kw: object) -> list[Article | InputError]:
    return list(iter_articles([str(i) for i in inputs], **kw))  # type: ignore[arg-type]


def _reasons(results: list[Article | InputError]) -> dict[str, str]:
    return {r.source: r.reason for r in results if isinstance(r, InputError)}


# --------------------------------------------------------------------------- what is not a regular file


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    results = _run(fifo, tmp_path)  # given explicitly, and met in a folder walk
    reasons = [r.reason for r in results if isinstance(r, InputError)]
    assert reasons == ["not a regular file or folder (a FIFO (named pipe))", "not a regular file (a FIFO (named pipe))"]
    assert [type(r) for r in results].count(Article) == 1


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_device_behind_a_symlink_is_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is not on this machine")
    (tmp_path / "looks-like-news.txt").symlink_to(device)
    (reason,) = _reasons(_run(tmp_path, allow_outside=True)).values()
    assert reason == "not a regular file (a character device)"


def test_symlink_loops_and_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "up").symlink_to(tmp_path)  # a folder cycle
    (sub / "story.txt").write_text(BODY, encoding="utf-8")
    results = _run(tmp_path)
    reasons = _reasons(results)
    assert reasons == {
        str(tmp_path / "a.txt"): "symlink loop",
        str(tmp_path / "b.txt"): "symlink loop",
        str(tmp_path / "gone.txt"): "broken symlink (its target does not exist)",
    }
    assert [r.origin for r in results if isinstance(r, Article)] == [str(sub / "story.txt")]


def test_symlink_out_of_the_folder_needs_allow_outside(tmp_path: Path) -> None:
    private, folder = tmp_path / "private", tmp_path / "folder"
    private.mkdir()
    folder.mkdir()
    (private / "diary.txt").write_text(BODY, encoding="utf-8")
    (folder / "diary.txt").symlink_to(private / "diary.txt")
    (folder / "elsewhere").symlink_to(private)
    refused = _reasons(_run(folder))
    assert set(refused) == {str(folder / "diary.txt"), str(folder / "elsewhere")}
    assert all("--allow-outside" in reason for reason in refused.values())
    allowed = _run(folder, allow_outside=True)
    assert [type(r) for r in allowed] == [Article]  # the same file by two ways is read once


@pytest.mark.parametrize(
    ("row_path", "read"),
    [
        ("story.txt", True),
        ("./nested/../story.txt", True),
        ("../outside.txt", False),
        ("OUTSIDE_ABSOLUTE", False),
        ("/etc/hostname", False),
    ],
)
def test_manifest_stays_in_its_folder(tmp_path: Path, row_path: str, read: bool) -> None:
    folder = tmp_path / "docs"
    (folder / "nested").mkdir(parents=True)
    (folder / "story.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "outside.txt").write_text(BODY.replace("Tuesday", "Monday"), encoding="utf-8")
    row_path = row_path.replace("OUTSIDE_ABSOLUTE", str(tmp_path / "outside.txt"))
    (folder / "manifest.jsonl").write_text(json.dumps({"path": row_path}) + "\n", encoding="utf-8")
    result = _run(folder)[0]  # the manifest's row comes first; story.txt is then read as a file of the folder
    if read:
        assert isinstance(result, Article)
    else:
        assert isinstance(result, ManifestError) and "outside the manifest's folder" in result.reason
        if row_path != "/etc/hostname":
            assert isinstance(_run(folder, allow_outside=True)[0], Article)


# --------------------------------------------------------------------------- a URL's total deadline


@pytest.fixture()
def slow_headers() -> Iterator[str]:
    """A server that sends its status line and headers one byte every 0.2 s (per-read timeouts never fire)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.recv(4096)
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Padding: " + b"x" * 400:
                    if stop.is_set():
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.getsockname()[1]}/article"
    finally:
        stop.set()
        thread.join(5)
        srv.close()


def test_slow_headers_are_given_up_at_the_deadline(slow_headers: str) -> None:
    (result,) = _run(slow_headers, timeout=1.0)
    assert isinstance(result, FetchError)
    assert result.reason == "timed out after 1s (the time allowed for one URL)"


def test_deadline_also_holds_inside_a_running_event_loop(slow_headers: str) -> None:
    import asyncio

    async def inside() -> list[Article | InputError]:
        return _run(slow_headers, timeout=1.0)

    (result,) = asyncio.run(inside())
    assert isinstance(result, FetchError) and result.reason.startswith("timed out after 1s")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:99999/story", "invalid URL (Port out of range 0-65535)"),
        ("http://[::1/story", "invalid URL (Invalid IPv6 URL)"),
    ],
)
def test_urls_the_network_stack_refuses(url: str, reason: str) -> None:
    (result,) = _run(url, timeout=2.0)
    assert isinstance(result, FetchError) and result.reason == reason


def test_a_manifest_that_names_itself_says_so(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text("path,title\nmanifest.csv,self\n", encoding="utf-8")
    (result,) = _run(tmp_path)
    assert isinstance(result, ManifestError) and result.reason == "manifest.csv is the manifest itself"


@pytest.mark.parametrize("content", ["", "\n\n", "path,title\n"])
def test_a_manifest_without_rows_says_so(tmp_path: Path, content: str) -> None:
    (tmp_path / "manifest.csv").write_text(content, encoding="utf-8")
    (result,) = _run(tmp_path)
    assert isinstance(result, ManifestError) and result.reason == "manifest has no rows"


# --------------------------------------------------------------------------- malformed structured input


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (json.dumps({"title": "Pier", "text": BODY}), Article),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply to read"),
        ('{"text": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply to read"),
        (json.dumps({"text": 42}), "the text field is a number, not text"),
        (json.dumps({"text": ["a", "b"]}), "the text field is a list, not text"),
        (json.dumps({"body": {"p": BODY}}), "the body field is an object, not text"),
        (json.dumps({"text": None, "title": "x"}), "row has no text/content/body field"),
        (json.dumps(["not", "an", "object"]), "the row is a list, not an object"),
        ("7", "the row is a number, not an object"),
        ('{"text": "unfinished', "unreadable row (invalid JSON)"),
        ('{"n": ' + "9" * 5000 + "}", "unreadable row (invalid JSON)"),
    ],
)
def test_jsonl_rows_each_get_their_reason(tmp_path: Path, line: str, expected: object) -> None:
    path = tmp_path / "rows.jsonl"
    good = json.dumps({"title": "Second", "text": BODY.replace("Tuesday", "Friday")})
    path.write_text(f"{line}\n{good}\n", encoding="utf-8")
    first, second = _run(path)
    assert isinstance(second, Article)  # the rest of the file is read
    if expected is Article:
        assert isinstance(first, Article)
    else:
        assert isinstance(first, InputError) and first.reason == expected and first.source == f"{path}#1"


def test_deeply_nested_json_manifest_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "manifest.jsonl").write_text("[" * 200_000, encoding="utf-8")
    (result,) = _run(tmp_path)
    assert isinstance(result, ManifestError) and result.reason == "nested too deeply to read"


def test_lone_surrogates_and_escape_codes_never_reach_the_record(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    row = {"title": "Pier \ud800 \x1b[31mclosed\x1b[0m\nnow", "outlet": "\x1b]8;;http://x\x1b\\Gazette", "text": BODY}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")  # JSON carries "\ud800" as an escape
    (article,) = _run(path)
    assert isinstance(article, Article)
    assert article.title == "Pier \ufffd closed now" and article.outlet == "Gazette"
    for value in (article.title, article.outlet, article.text):
        value.encode("utf-8")  # no lone surrogate left


def test_csv_that_breaks_midway_keeps_the_rows_before(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f'title,text\nFirst,"{BODY}"\nSecond,"{BODY} "oops" "\n', encoding="utf-8")
    results = _run(path)
    assert isinstance(results[0], Article)


# --------------------------------------------------------------------------- names that are safe to print


@pytest.mark.parametrize(
    "name",
    [
        "[bold red]alert[blink].txt",
        "esc\x1b[31mred.txt",
        "new\nline.txt",
        "bidi\u202etxt.exe.txt",
    ],
)
def test_file_names_are_reported_printably(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    (result,) = _run(path)
    assert isinstance(result, InputError) and result.source == printable(str(path))
    assert "\x1b" not in result.source and "\n" not in result.source and "\u202e" not in result.source
    if name.startswith("["):
        assert result.source == str(path)  # brackets are printed as they are


def test_undecodable_file_name_is_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(BODY.encode())
    (article,) = _run(os.fsdecode(raw))
    assert isinstance(article, Article) and article.origin.endswith("/caf\\xe9.txt")
    article.origin.encode("utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain [markup] stays", "plain [markup] stays"),
        ("esc \x1b[31m", "esc \\x1b[31m"),
        ("tab\tnew\nline", "tab\\x09new\\x0aline"),
        ("bidi \u202e", "bidi \\u202e"),
        ("byte \udce9", "byte \\xe9"),
        ("lone \ud800", "lone \\ud800"),
        ("café ✓", "café ✓"),
    ],
)
def test_printable(text: str, expected: str) -> None:
    assert printable(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ("a\x1b[1;31mb\x1b[0mc", "abc", "abc"),
        ("x\ud800y", "x\ufffdy", "x\ufffdy"),
        ("keep\ttab\nand newline", "keep\ttab\nand newline", "keep tab and newline"),
        ("bell\x07 and \x00nul", "bell and nul", "bell and nul"),
        ("nothing to do", "nothing to do", "nothing to do"),
    ],
)
def test_scrub(text: str, expected: str, line: str) -> None:
    assert scrub(text) == expected and scrub_line(text) == line


@given(st.text())
def test_printable_is_one_encodable_line(text: str) -> None:
    shown = printable(text)
    shown.encode("utf-8")
    assert "\n" not in shown and "\x1b" not in shown


@given(st.text())
def test_scrub_is_encodable_and_idempotent(text: str) -> None:
    once = scrub(text)
    once.encode("utf-8")
    assert scrub(once) == once and "\x1b" not in once


def test_not_a_file_reason_names_the_folder(tmp_path: Path) -> None:
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"path": "sub"}) + "\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.txt").write_text(BODY, encoding="utf-8")
    assert [type(r) for r in _run(tmp_path)] == [Article]
    (result,) = _run(tmp_path / "missing-folder")
    assert isinstance(result, InputError) and result.reason == "no such file or folder"
    assert not isinstance(result, UnsupportedFormat | NoArticleText)
