"""Property tests of the ingest layer (issue 13): arbitrary bytes under arbitrary file names, and arbitrary
nested JSON / JSONL / CSV structures.  ``iter_articles`` must yield only ``Article`` or ``InputError``
(never raise), every error must name its file, and every article must be text that UTF-8 can encode
(no lone surrogates: the store could not save it)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzcorpus import output_pieces
from storyline.errors import InputError
from storyline.ingest.ingest import iter_articles
from storyline.records import Article

EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".json", ".csv",
              ".xml", ".rss", ".atom", "", ".bin")
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PROSE = (
    "The council in Ashby Vane said on Tuesday that the footbridge over the river would stay closed for "
    "another week while engineers checked its supports, and that a ferry would carry walkers across the "
    "water in the meantime. About 200 people use the crossing every day, according to the parish clerk."
)
ODD_STRINGS = ["\ud800", "x\udfffy", "\x1b[31mred\x1b[0m", "[bold red]alert[/bold red]", "\x00", "\u202e", "", " ",
               PROSE, PROSE + " \ud83d", "<p>" + PROSE + "</p>", "2025-02-30", "1e999"]
FIELDS = ["text", "title", "published", "url", "author", "outlet", "content", "body", "articles", "items", "path"]


def _ok_name(name: str) -> bool:
    try:
        raw = os.fsencode(name)
    except UnicodeError:
        return False
    return name not in (".", "..") and 0 < len(raw) <= 200 and b"/" not in raw and b"\x00" not in raw


_text_names = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40
)
_byte_names = st.binary(min_size=1, max_size=40).map(os.fsdecode)
_odd_names = st.sampled_from([
    "[bold red]alert[/bold red]", "[link=x]y[/link]", "[/]", ":warning:", "\x1b[31mred\x1b[0m", "line1\nline2",
    "-rf", "--help", "  spaced  ", "caf\udce9", "\u202etxt", "\U0001f4f0 news", "%s%n", "$(id)", "a\\b", "#1",
])
NAMES = st.one_of(_text_names, _byte_names, _odd_names).filter(_ok_name)


def names_file(source: str, path: Path) -> bool:
    """The error's source names the file: every printable piece of the path is in it (control, format and
    undecodable characters may be escaped or replaced)."""
    return all(piece in source for piece in output_pieces(os.fsdecode(os.fspath(path))))


def _check(items: list, path: Path) -> None:
    for item in items:
        assert isinstance(item, Article | InputError), type(item)
        if isinstance(item, InputError):
            assert names_file(item.source, path), (item.source, str(path))
            assert isinstance(item.reason, str) and item.reason.strip()
        else:
            item.text.encode("utf-8")  # raises on a lone surrogate
            assert item.text.strip()
            for value in (item.title, item.author, item.outlet, item.url, item.origin):
                if value is not None:
                    value.encode("utf-8")


def _ingest_file(name: str, ext: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (name + ext)
        with open(os.fsencode(path), "wb") as fh:
            fh.write(data)
        _check(list(iter_articles([os.fsdecode(os.fspath(path))])), path)


@PROPS
@given(data=st.binary(max_size=4096), name=NAMES, ext=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes_under_arbitrary_names(data: bytes, name: str, ext: str) -> None:
    _ingest_file(name, ext, data)


@PROPS
@given(
    head=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body><p>", b"<rss><channel><item><description>",
                          b"---\ntitle: t\n---\n", b'{"text": "', b"title,text\n"]),
    data=st.binary(max_size=2048),
    name=NAMES,
    ext=st.sampled_from(EXTENSIONS),
)
def test_arbitrary_bytes_after_a_format_header(head: bytes, data: bytes, name: str, ext: str) -> None:
    _ingest_file(name, ext, head + data + PROSE.encode())


@PROPS
@given(data=st.binary(max_size=2048), name=NAMES, ext=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes_in_a_folder_walk(data: bytes, name: str, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        path = folder / (name + ext)
        with open(os.fsencode(path), "wb") as fh:
            fh.write(data)
        items = list(iter_articles([str(folder)]))
        for item in items:
            assert isinstance(item, Article | InputError), type(item)
            if isinstance(item, InputError):
                assert names_file(item.source, folder), item.source
            else:
                item.text.encode("utf-8")


_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.sampled_from(ODD_STRINGS)
)
JSON_VALUES = st.recursive(
    _leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), children, max_size=5
    ),
    max_leaves=25,
)
ROWS = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=6)


@PROPS
@given(value=st.one_of(JSON_VALUES, st.lists(ROWS, max_size=4), ROWS, st.fixed_dictionaries({"articles": st.lists(
    ROWS, max_size=3)})), name=NAMES, indent=st.sampled_from([None, 1]))
def test_nested_json(value, name: str, indent) -> None:
    _ingest_file(name, ".json", json.dumps(value, indent=indent).encode())


@PROPS
@given(rows=st.lists(st.one_of(ROWS, JSON_VALUES), min_size=1, max_size=5), name=NAMES)
def test_nested_jsonl(rows: list, name: str) -> None:
    _ingest_file(name, ".jsonl", "".join(json.dumps(r) + "\n" for r in rows).encode())


_cells = st.one_of(st.text(max_size=20), st.sampled_from(ODD_STRINGS), st.integers().map(str))


@PROPS
@given(
    header=st.lists(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), min_size=1, max_size=5),
    rows=st.lists(st.lists(_cells, max_size=6), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    name=NAMES,
)
def test_csv_tables(header: list[str], rows: list[list[str]], delimiter: str, name: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _ingest_file(name, ".csv", buf.getvalue().encode("utf-8", "surrogatepass"))
