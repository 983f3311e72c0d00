"""Ingestion: turn user inputs (files, folders, URLs, manifests) into ``Article`` records.

``iter_articles`` yields, in a deterministic order, either an ``Article`` or an ``InputError``
instance (yielded, not raised) so that one bad input never stops a batch.

Supported inputs: plain text (.txt .text), Markdown (.md .markdown, with optional front matter),
HTML (.html .htm), JSON Lines / JSON arrays / CSV of articles, RSS/Atom feeds (.xml .rss .atom or
detected by content), http(s) URLs (fetched with httpx) and manifests (CSV or JSONL).
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import datetime as _dt
import errno
import hashlib
import io
import json
import os
import re
import stat
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
from storyline.ingest.markup import html_fragment_to_text, markdown_to_text
from storyline.ingest.outlets import clean_outlet, host_outlet
from storyline.records import Article
from storyline.text import printable, scrub, scrub_line
from storyline.text import words as split_words

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_URL_SECONDS",
    "MIN_WORDS",
    "article_id",
    "decode_bytes",
    "english_ratio",
    "html_fragment_to_text",
    "infer_published",
    "iter_articles",
    "markdown_to_text",
    "parse_date_value",
    "parse_front_matter",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_URL_SECONDS = 30.0  # the time one URL may take in all: connect, headers and body
MIN_WORDS = 25  # fewer words of main text than this: NoArticleText
MIN_ENGLISH_RATIO = 0.15  # share of English function words below which a text is NotEnglish
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
_README_RE = re.compile(r"(?i)(?:readme|license|licence|changelog)(?:\.\w+)?$")  # folder walks skip these

Meta = dict[str, str | None]

# --------------------------------------------------------------------------- ids

_WS_RE = re.compile(r"\s+")


def article_id(text: str) -> str:
    """Stable content hash: sha256 of the NFC text with whitespace runs collapsed, first 16 hex chars."""
    norm = _WS_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- formats by extension

_EXT_KIND = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".xml": "xml",
    ".rss": "feed",
    ".atom": "feed",
}

# --------------------------------------------------------------------------- bytes -> text

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CTRL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])
_ASCII_BYTES = bytes(range(128))
_MOJIBAKE_RE = re.compile("â€|Ã[\u00a0-\u00bf]|Â[\u00a0-\u00bf]")


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def _binary_reason(data: bytes) -> str | None:
    """Why these bytes look binary, or None when they may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({what})"
    if _bom(data):
        return None
    head = data[:8192]
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    if head:
        ctrl = len(head) - len(head.translate(None, _CTRL_BYTES))
        if ctrl / len(head) > 0.05:
            return f"binary file ({ctrl / len(head):.0%} control bytes)"
    return None


def _valid_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode bytes to text: BOM, UTF-8, declared charset, mostly-ASCII cp1252, then charset-normalizer.

    Raises ``EncodingProblem`` when no encoding fits.  Newlines are normalised to ``\\n``.
    """
    text: str | None = None
    bom = _bom(data)
    if bom:
        enc, skip = bom
        try:
            text = data[skip:].decode(enc)
        except UnicodeDecodeError as exc:
            raise EncodingProblem(source, f"broken {enc} text after a byte-order mark") from exc
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None and (codec := _valid_codec(declared)):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
    if text is None:
        sample = data[:65536]
        non_ascii = len(sample.translate(None, _ASCII_BYTES))
        if non_ascii / max(1, len(sample)) < 0.3:
            # Western text saved in a legacy encoding: cp1252 is a superset of latin-1's printable range.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = None
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            raise EncodingProblem(source, "cannot decode text (not UTF-8, and no known encoding fits)")
        text = str(best)
    if _MOJIBAKE_RE.search(text):
        import ftfy

        text = ftfy.fix_encoding(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise BinaryInput(source, "binary file (contains NUL characters)")
    return text


# --------------------------------------------------------------------------- language

_EN_FUNCTION_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says told according since though although however among around last next new year years week
    people who's it's don't didn't isn't wasn't can't won't also many much must may might shall upon within
    without across toward towards yet still even ever every another one two three first us let were whose
    being been has
    """.split()  # noqa: SIM905
)


def english_ratio(text: str, sample: int = 2000) -> tuple[float, int]:
    """Share of tokens (in the first ``sample`` characters) that are English function words, and token count."""
    tokens = [w for w in split_words(text[:sample].lower()) if w[0].isalpha()]
    if not tokens:
        return 0.0, 0
    hits = sum(1 for t in tokens if t in _EN_FUNCTION_WORDS)
    return hits / len(tokens), len(tokens)


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
# (pattern, precision), tried in order at one position
_DATE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), prec)
    for p, prec in (
        (_WEEKDAY + _YEAR + r"[-/.](?P<m>[01]?\d)[-/.]" + _DAY + r"(?![\d])", "day"),
        (_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+" + _YEAR + r"(?!\d)", "day"),
        (_WEEKDAY + _MON + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", "day"),
        (_MON + r",?\s+" + _YEAR + r"(?!\d)", "month"),
        (_YEAR + r"-(?P<m>[01]\d)(?![\d-])", "month"),
    )
)
_YEAR_ONLY_RE = re.compile(_YEAR + r"(?![\d-]|'?s\b)")
_HAS_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_KEYWORD_RE = re.compile(
    r"(?:^|[|·•—–]|\s{2})[ \t]*(?P<kw>(?:first\s+|originally\s+|last\s+)?(?:published|posted|updated|modified|"
    r"dated?|filed|issued))\b(?:\s+(?:on|at))?\s*[:\-–—]?\s*",
    re.IGNORECASE | re.MULTILINE,
)
_DATELINE_PREFIX_RE = re.compile(
    r"[A-Z][A-Za-z.'\- ]{1,40}(?:\s*\([^)\n]{1,30}\))?,?\s+|\(?[A-Z]{2,}\)?\s+[-–—]\s*"
)
_AFTER_DATE_RE = re.compile(r"[ \t]*(?:$|[-–—|(•·/,]|at\b|\d{1,2}[:.]\d\d|\d{1,2}\s*[ap]\.?m)", re.I | re.M)
_LINE_END_RE = re.compile(r"[ \t]*$", re.MULTILINE)
_TEXT_HEAD = 2000
_TEXT_TAIL = 600


def _date_at(s: str, pos: int = 0, allow_year: bool = False) -> tuple[str, str, int] | None:
    """Parse a date written at ``s[pos:]``: (iso, precision, end offset) or None."""
    for rx, prec in _DATE_FORMS:
        m = rx.match(s, pos)
        if not m:
            continue
        gd = m.groupdict()
        year = int(gd["y"])
        month = _MONTHS[gd["mon"].lower()] if gd.get("mon") else int(gd["m"])
        if prec == "day":
            try:
                day = _dt.date(year, month, int(gd["d"]))
            except ValueError:
                continue
            return day.isoformat(), "day", m.end()
        if not 1 <= month <= 12:
            continue
        return f"{year:04d}-{month:02d}", "month", m.end()
    if allow_year and (m := _YEAR_ONLY_RE.match(s, pos)):
        return m.group("y"), "year", m.end()
    return None


def parse_date_value(value: str) -> tuple[str, str] | None:
    """Normalise a metadata date string to (ISO date, precision), e.g. "Nov. 3, 2025" -> ("2025-11-03", "day")."""
    s = value.strip()
    if not s:
        return None
    for i in (0, *(m.start() for m in re.finditer(r"(?<=[\s,(])\S", s))):
        found = _date_at(s, i, allow_year=(i == 0))
        if found:
            return found[0], found[1]
    if not _HAS_YEAR_RE.search(s):  # dateutil would fill the missing year from today: not deterministic
        return None
    try:
        from dateutil import parser as du

        parsed = du.parse(s, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date().isoformat(), "day"


def infer_published(text: str) -> tuple[str, str] | None:
    """Infer the publication date from a dateline or byline line; (ISO date, precision) or None.

    Looks at the head (and the tail, for "Published ..." lines) of the text only.  Preference:
    "Published/Posted/Date ..." lines, then a dateline / date line / byline with a date, then "Updated ...".
    """
    head = text[:_TEXT_HEAD]
    best: tuple[int, int, str, str] | None = None  # (rank, position, iso, precision)

    def consider(rank: int, pos: int, found: tuple[str, str, int] | None) -> None:
        nonlocal best
        if found and (best is None or (rank, pos) < best[:2]):
            best = (rank, pos, found[0], found[1])

    regions = [(head, 0)]
    if len(text) > _TEXT_HEAD:
        tail_start = max(_TEXT_HEAD, len(text) - _TEXT_TAIL)
        regions.append((text[tail_start:], tail_start))
    for region, base in regions:
        for m in _KEYWORD_RE.finditer(region):
            kw = m.group("kw").lower()
            rank = 2 if ("updated" in kw or "modified" in kw) else 0
            consider(rank, base + m.start(), _date_at(region, m.end(), allow_year=True))
    pos = 0
    for line in head.split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped or len(stripped) > 200:
            continue
        lead = len(line) - len(line.lstrip())
        cands = [start + lead]
        if m := _DATELINE_PREFIX_RE.match(stripped):
            cands.append(start + lead + m.end())
        for c in cands:
            found = _date_at(text, c)
            if not found or text[c - 1 : c] == "-":
                continue
            after = _LINE_END_RE if found[1] != "day" else _AFTER_DATE_RE
            if after.match(text, found[2]):
                consider(1, c, found)
                break
        else:
            if stripped[:3].lower() == "by ":
                for m in re.finditer(r"(?<=[\s|·•,—–])\S", stripped):
                    found = _date_at(stripped, m.start())
                    if found and found[1] == "day":
                        consider(1, start + lead + m.start(), found)
                        break
    if best is None:
        return None
    return best[2], best[3]


# --------------------------------------------------------------------------- front matter and Markdown

_FM_KEYS = {
    "title": "title", "headline": "title",
    "outlet": "outlet", "source": "outlet", "site": "outlet", "publisher": "outlet", "sitename": "outlet",
    "author": "author", "byline": "author", "authors": "author",
    "published": "published", "date": "published", "pubdate": "published", "published_at": "published",
    "url": "url", "link": "url",
}  # fmt: skip
_FM_LINE_RE = re.compile(r"^\s*([A-Za-z_][\w\- ]*?)\s*:\s*(.*?)\s*$")


def parse_front_matter(text: str) -> tuple[Meta, str]:
    """Split ``---``-delimited front matter (``key: value`` lines) from a document: (metadata, body)."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    for i in range(1, min(len(lines), 80)):
        if lines[i].strip() in ("---", "..."):
            break
    else:
        return {}, text
    meta: Meta = {}
    for line in lines[1:i]:
        m = _FM_LINE_RE.match(line)
        if not m:
            continue
        key = _FM_KEYS.get(m.group(1).strip().lower().replace("-", "_").replace(" ", "_"))
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key and value and key not in meta:
            meta[key] = value
    body = "\n".join(lines[i + 1 :]).lstrip("\n")
    return meta, body


_HTML_SNIFF_RE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_FEED_SNIFF_RE = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.I | re.S,
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HTML_IN_TEXT_RE = re.compile(r"<(?:p|div|br|span|a|em|strong|b|i|li|h[1-6])\b[^>]*>", re.I)


def _sniff(head: bytes) -> str | None:
    head = head.lstrip(b"\xef\xbb\xbf")
    if _FEED_SNIFF_RE.match(head):
        return "feed"
    if _HTML_SNIFF_RE.match(head):
        return "html"
    return None


# --------------------------------------------------------------------------- the ingestor


def _clean(value: Any) -> str | None:
    """A metadata value as one line of text; None for nothing, an object or a nested list."""
    if value is None or isinstance(value, dict | bool):
        return None
    if isinstance(value, list):
        if not all(isinstance(v, str | int | float) for v in value):
            return None
        value = ", ".join(str(v) for v in value if v)
    s = scrub_line(str(value)).strip()
    return s or None


def _first(row: dict[str, Any], *keys: str) -> str | None:
    for k in keys:
        v = _clean(row.get(k))
        if v:
            return v
    return None


_TEXT_KEYS = ("text", "content", "body", "article", "maintext")


def _row_meta(row: dict[str, Any]) -> Meta:
    return {
        "title": _first(row, "title", "headline"),
        "outlet": _first(row, "outlet", "source", "site", "sitename", "publisher"),
        "author": _first(row, "author", "byline", "authors"),
        "published": _first(row, "published", "date", "published_at", "pubdate"),
        "url": _first(row, "url", "link"),
    }


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_OUTSIDE_LINK = "symlink to outside the folder, not followed (--allow-outside reads it)"
_USER_AGENT = "storyline/0.1 (+offline news dossier builder)"
_PER_READ_TIMEOUT = 10.0  # seconds one connect or read may take, within the URL's total deadline


def _what(mode: int) -> str:
    return next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")


def _stat(path: Path) -> os.stat_result | str:
    """The status of what ``path`` leads to (symlinks followed), or why it cannot be read."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if os.path.islink(path):
            return "broken symlink (its target does not exist)"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot read ({exc.strerror or exc.__class__.__name__})"
    except ValueError:  # a NUL character in the name
        return "invalid file name"


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies in the folder ``root``."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _open_nonblocking(path: Path) -> io.BufferedReader:
    """``path`` opened for reading without blocking (a FIFO swapped in after the check would wait for ever)."""
    return os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")


def _read_regular(path: Path, origin: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; an ``InputError`` for anything else.

    FIFOs, devices and sockets are refused before they are opened (a FIFO would block, /dev/zero never ends);
    the file is opened without blocking and read to at most ``limit`` + 1 bytes whatever its size claims."""
    st = _stat(path)
    if isinstance(st, str):
        raise InputError(origin, st)
    if stat.S_ISDIR(st.st_mode):
        raise UnsupportedFormat(origin, "a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise UnsupportedFormat(origin, f"not a regular file ({_what(st.st_mode)})")
    if st.st_size > limit:
        raise InputTooLarge(origin, f"{_mb(st.st_size)} is over the {_mb(limit)} limit")
    try:
        with _open_nonblocking(path) as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if not stat.S_ISREG(mode):  # replaced between the check and the open
                raise UnsupportedFormat(origin, f"not a regular file ({_what(mode)})")
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(origin, f"cannot read ({exc.strerror or exc.__class__.__name__})") from exc
    if len(data) > limit:
        raise InputTooLarge(origin, f"more than the {_mb(limit)} limit")
    return data


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _run_with_deadline(make: Any, seconds: float) -> Any:
    """Run the coroutine ``make()`` to completion within ``seconds`` in all (TimeoutError after that).

    In a thread of its own when the caller already runs an event loop."""

    async def bounded() -> Any:
        return await asyncio.wait_for(make(), seconds)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(bounded())
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(bounded())
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _content_kind(ctype: str) -> tuple[str, str | None]:
    """(kind of parser, charset) for an HTTP Content-Type; kind "binary" for media, "sniff" when unsaid."""
    if not ctype:
        return "sniff", None
    main, _, params = ctype.partition(";")
    main = main.strip().lower()
    m = re.search(r"charset\s*=\s*([^\s;]+)", params, re.I)
    charset = m.group(1) if m else None
    if main.startswith(("image/", "audio/", "video/", "font/")) or main in ("application/pdf", "application/zip"):
        return "binary", charset
    for hint, kind in _CONTENT_KINDS:
        if hint(main):
            return kind, charset
    return "sniff", charset


_CONTENT_KINDS: tuple[tuple[Any, str], ...] = (
    (lambda m: "html" in m, "html"),
    (lambda m: any(x in m for x in ("rss", "atom", "xml")), "xml"),
    (lambda m: m == "text/markdown", "markdown"),
    (lambda m: m == "application/json", "json"),
    (lambda m: "ndjson" in m or "jsonl" in m, "jsonl"),
    (lambda m: m == "text/csv", "csv"),
    (lambda m: m.startswith("text/"), "text"),
)


class _Ingestor:
    def __init__(self, max_bytes: int, timeout: float, require_english: bool, allow_outside: bool = False) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.require_english = require_english
        self.allow_outside = allow_outside
        self.seen: set[str] = set()

    def close(self) -> None:
        """Nothing is held open between inputs (each URL gets its own client under its own deadline)."""

    # ------------------------------------------------------------------ dispatch

    def input(self, inp: str) -> Iterator[Article | InputError]:
        if _is_url(inp):
            yield from self.url(inp, {})
            return
        origin = printable(inp)
        if not inp.strip():
            yield InputError(repr(inp), "empty input name")
            return
        path = Path(inp).expanduser() if inp.startswith("~") else Path(inp)
        st = _stat(path)
        if isinstance(st, str):
            yield InputError(origin, st)
        elif stat.S_ISDIR(st.st_mode):
            yield from self.folder(path, {})
        elif not stat.S_ISREG(st.st_mode):
            yield UnsupportedFormat(origin, f"not a regular file or folder ({_what(st.st_mode)})")
        elif path.name in MANIFEST_NAMES:
            yield from self.manifest(path)
        else:
            yield from self.file(path, {}, explicit=True)

    def folder(self, folder: Path, overrides: Meta, root: Path | None = None) -> Iterator[Article | InputError]:
        """Every article file under ``folder``, sorted; symlinks are followed only inside ``root`` (the folder
        itself by default) unless --allow-outside, and a folder already walked is never walked again."""
        manifests: list[tuple[tuple[str, ...], Path]] = []
        found: list[tuple[tuple[str, ...], Path]] = []
        refused: list[InputError] = []
        top = root or folder
        visited: set[str] = set()
        for dirpath, dirs, files in os.walk(folder, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in visited:  # reached again through a symlink: a cycle or a second way in
                dirs[:] = []
                continue
            visited.add(real)
            here = Path(dirpath)
            dirs[:] = [d for d in sorted(dirs) if not d.startswith(".") and self._may_enter(here / d, top, refused)]
            rel = here.relative_to(folder).parts
            for name in files:
                if name.startswith(".") or _README_RE.match(name):
                    continue
                path = here / name
                outside = os.path.islink(path) and not self.allow_outside and not _inside(path, top)
                if outside and not isinstance(_stat(path), str):  # loops and broken links: said when read
                    refused.append(InputError(printable(str(path)), _OUTSIDE_LINK))
                    continue
                (manifests if name in MANIFEST_NAMES else found).append(((*rel, name), path))
        yield from refused
        # manifests (at any depth) first: their rows carry metadata; files they list are then not read again
        for _, mpath in sorted(manifests, key=lambda item: (len(item[0]), item[0])):
            yield from self.manifest(mpath)
        for _, path in sorted(found):
            if _EXT_KIND.get(path.suffix.lower()) is None and not self._wanted(path):
                continue
            yield from self.file(path, overrides, explicit=False)

    def _may_enter(self, sub: Path, top: Path, refused: list[InputError]) -> bool:
        """Whether the folder walk goes into ``sub``: a symlinked folder only when it stays inside ``top``."""
        if not os.path.islink(sub) or self.allow_outside or _inside(sub, top):
            return True
        refused.append(InputError(printable(str(sub)), _OUTSIDE_LINK))
        return False

    @staticmethod
    def _wanted(path: Path) -> bool:
        """Whether the walk reads a file without a known extension: a regular file only when it starts like a
        feed; a FIFO, device, loop or broken link is taken, so that reading it says why it cannot be read."""
        st = _stat(path)
        if isinstance(st, str) or not stat.S_ISREG(st.st_mode):
            return True
        try:
            with _open_nonblocking(path) as fh:
                return _sniff(fh.read(2048)) == "feed"
        except OSError:
            return False

    def file(self, path: Path, overrides: Meta, explicit: bool) -> Iterator[Article | InputError]:
        origin = printable(str(path))
        key = os.path.realpath(path)
        if key in self.seen:
            return
        self.seen.add(key)
        try:
            data = _read_regular(path, origin, self.max_bytes)
        except InputError as err:
            yield err
            return
        kind = _EXT_KIND.get(path.suffix.lower(), "sniff" if explicit else "feed")
        if kind == "sniff" and path.suffix and _sniff(data[:2048]) is None and not _binary_reason(data):
            yield UnsupportedFormat(origin, f"unsupported format ({printable(path.suffix.lower())} file)")
            return
        yield from self.guarded(origin, self.parse(origin, data, kind, overrides, url=None))

    def url(self, url: str, overrides: Meta) -> Iterator[Article | InputError]:
        if url in self.seen:
            return
        self.seen.add(url)
        shown = printable(url)
        try:
            data, ctype, final_url = self.fetch(url)
        except InputError as err:
            yield err
            return
        kind, charset = _content_kind(ctype)
        if kind == "binary":
            yield BinaryInput(shown, f"binary content ({ctype.partition(';')[0].strip().lower()})")
            return
        if kind in ("sniff", "text"):
            kind = _sniff(data[:2048]) or _EXT_KIND.get(Path(urlsplit(final_url).path).suffix.lower(), "text")
        meta = {"url": final_url}
        yield from self.guarded(
            shown, self.parse(shown, data, kind, overrides, url=final_url, base=meta, charset=charset)
        )

    @staticmethod
    def guarded(origin: str, results: Iterator[Article | InputError]) -> Iterator[Article | InputError]:
        """Turn an unexpected failure of a parser library into an InputError, so the batch goes on."""
        try:
            yield from results
        except RecursionError:
            yield UnsupportedFormat(origin, "nested too deeply to read")
        except (ValueError, TypeError, LookupError, UnicodeError, AttributeError) as exc:
            yield UnsupportedFormat(origin, f"cannot be read: a parser failed on it ({exc.__class__.__name__})")

    def fetch(self, url: str) -> tuple[bytes, str, str]:
        """(body, content type, final URL) of ``url``, all of it within ``self.timeout`` seconds."""
        shown = printable(url)
        try:
            return _run_with_deadline(lambda: self._fetch(url, shown), self.timeout)
        except TimeoutError as exc:
            raise FetchError(shown, f"timed out after {self.timeout:g}s (the time allowed for one URL)") from exc

    async def _fetch(self, url: str, shown: str) -> tuple[bytes, str, str]:
        import httpx

        try:
            urlsplit(url).port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError as exc:
            raise FetchError(shown, f"invalid URL ({printable(str(exc))})") from exc
        per_read = min(self.timeout, _PER_READ_TIMEOUT)
        with fetch_errors(shown, per_read):
            async with (
                httpx.AsyncClient(follow_redirects=True, timeout=per_read, headers={"User-Agent": _USER_AGENT}) as client,
                client.stream("GET", url) as resp,
            ):
                check_response(resp, shown, self.max_bytes)
                buf = bytearray()
                async for chunk in resp.aiter_bytes():
                    grow(buf, chunk, shown, self.max_bytes)
                return bytes(buf), resp.headers.get("content-type", ""), str(resp.url)

    # ------------------------------------------------------------------ manifests

    def manifest(self, mpath_in: Path | str) -> Iterator[Article | InputError]:
        mpath = Path(mpath_in)
        mname = printable(str(mpath_in))
        mkey = f"manifest:{os.path.realpath(mpath)}"
        if mkey in self.seen:
            return
        self.seen.add(mkey)
        self.seen.add(os.path.realpath(mpath))  # never read the manifest itself as a CSV/JSONL of articles
        try:
            data = _read_regular(mpath, mname, self.max_bytes)
        except InputError as err:
            missing = err.reason == "no such file or folder"
            yield ManifestError(mname, "no such manifest file" if missing else f"cannot read manifest ({err.reason})")
            return
        if _binary_reason(data):
            yield ManifestError(mname, "manifest is a binary file")
            return
        try:
            text = decode_bytes(data, mname)
        except InputError as err:
            yield ManifestError(mname, err.reason)
            return
        stripped = text.lstrip()
        if mpath.suffix.lower() in (".jsonl", ".ndjson", ".json") or stripped[:1] in ("{", "["):
            rows = list(_json_rows(text))
        else:
            rows = list(_csv_rows(text))
        if not rows:
            yield ManifestError(mname, "manifest has no rows")
        for n, row in rows:
            yield from self.manifest_row(mpath, f"{mname}#{n}", row)

    def manifest_row(self, mpath: Path, where: str, row: dict[str, Any] | str) -> Iterator[Article | InputError]:
        if isinstance(row, str):
            yield ManifestError(where, row)
            return
        meta = _row_meta(row)
        overrides: Meta = {k: v for k, v in meta.items() if v and k != "url"}
        if meta["published"]:
            parsed = parse_date_value(meta["published"])
            if parsed is None:
                yield ManifestError(where, f"unreadable published date {printable(repr(meta['published']))}")
                return
            overrides["published"], overrides["published_precision"] = parsed
            overrides["published_how"] = "metadata"
        rel, url = _first(row, "path", "file"), meta["url"]
        if rel:
            if url:
                overrides["url"] = url
            yield from self.manifest_path(mpath, where, rel, overrides)
        elif url and not _is_url(url):
            yield ManifestError(where, f"not an http(s) URL: {printable(url)}")
        elif url:
            yield from self.url(url, overrides)
        else:
            yield ManifestError(where, "row has neither a path nor a url")

    def manifest_path(self, mpath: Path, where: str, rel: str, overrides: Meta) -> Iterator[Article | InputError]:
        """The file or folder a manifest row names, which must lie in the manifest's folder (--allow-outside)."""
        target = Path(rel)
        if not target.is_absolute():
            target = mpath.parent / target
        shown = printable(rel)
        if not self.allow_outside and not _inside(target, mpath.parent):
            yield ManifestError(where, f"{shown} is outside the manifest's folder (--allow-outside reads it)")
            return
        st = _stat(target)
        if os.path.realpath(target) == os.path.realpath(mpath):
            yield ManifestError(where, f"{shown} is the manifest itself")
        elif isinstance(st, str):
            yield ManifestError(where, f"no such file: {shown}" if st == "no such file or folder" else f"{shown}: {st}")
        elif stat.S_ISDIR(st.st_mode):
            yield from self.folder(target, overrides, root=None if self.allow_outside else mpath.parent)
        elif stat.S_ISREG(st.st_mode):
            yield from self.file(target, overrides, explicit=True)
        else:
            yield ManifestError(where, f"{shown}: not a regular file ({_what(st.st_mode)})")

    # ------------------------------------------------------------------ parsing

    def parse(
        self,
        origin: str,
        data: bytes,
        kind: str,
        overrides: Meta,
        url: str | None,
        base: Meta | None = None,
        charset: str | None = None,
    ) -> Iterator[Article | InputError]:
        if not data.strip():
            yield EmptyInput(origin, "empty file" if url is None else "empty response")
            return
        reason = _binary_reason(data)
        if reason:
            yield BinaryInput(origin, reason)
            return
        if kind == "sniff":
            kind = _sniff(data[:2048]) or "text"
        if kind == "xml":
            if _sniff(data[:4096]) == "feed":
                kind = "feed"
            elif _sniff(data[:4096]) == "html":
                kind = "html"
            else:
                yield UnsupportedFormat(origin, "XML that is not an RSS or Atom feed")
                return
        base = dict(base or {})
        if url and not base.get("url"):
            base["url"] = url
        try:
            if kind == "html":
                declared = charset
                if declared is None and (m := _META_CHARSET_RE.search(data[:4096])):
                    declared = m.group(1).decode("ascii", "replace")
                text = decode_bytes(data, origin, declared)
                yield self.html(origin, text, base, overrides)
                return
            if kind == "feed":
                yield from self.feed(origin, data, base, overrides)
                return
            text = decode_bytes(data, origin, charset)
        except InputError as err:
            yield err
            return
        if not text.strip():
            yield EmptyInput(origin, "empty file (only whitespace)")
            return
        if kind in ("text", "markdown"):
            fm, body = parse_front_matter(text)
            meta = {**base, **fm}
            if fm.get("published"):
                self._metadata_date(meta)
            if kind == "markdown":
                body, heading = markdown_to_text(body)
                if heading and not meta.get("title"):
                    meta["title"] = heading
            else:
                body = body.strip("\n")
                if not meta.get("title"):
                    meta["title"] = _plain_title(body)
            yield self.finish(origin, body, kind, meta, overrides)
        elif kind in ("jsonl", "json"):
            stripped = text.lstrip()
            if kind == "json" and stripped[:1] not in ("[", "{"):
                yield UnsupportedFormat(origin, "JSON file that is not an article or a list of articles")
                return
            rows = list(_json_rows(text))
            if not rows:
                yield NoArticleText(origin, "no articles in the file")
            for n, row in rows:
                yield self.row(f"{origin}#{n}", row, "jsonl", base, overrides)
        elif kind == "csv":
            rows = list(_csv_rows(text))
            if not rows:
                yield NoArticleText(origin, "no rows in the CSV file")
            for n, row in rows:
                yield self.row(f"{origin}#{n}", row, "csv", base, overrides)
        else:  # pragma: no cover - all kinds handled above
            yield UnsupportedFormat(origin, f"unsupported format ({kind})")

    def _metadata_date(self, meta: Meta) -> None:
        parsed = parse_date_value(meta.get("published") or "")
        if parsed:
            meta["published"], meta["published_precision"] = parsed
            meta["published_how"] = "metadata"
        else:
            meta.pop("published", None)

    def row(
        self, origin: str, row: dict[str, Any] | str, fmt: str, base: Meta, overrides: Meta
    ) -> Article | InputError:
        if isinstance(row, str):  # why the row cannot be read
            return InputError(origin, row)
        key = next((k for k in _TEXT_KEYS if row.get(k) not in (None, "", [], {})), None)
        if key is None:
            return NoArticleText(origin, "row has no text/content/body field")
        text = row[key]
        if not isinstance(text, str):
            return NoArticleText(origin, f"the {key} field is {_type_name(text)}, not text")
        meta = {**base, **{k: v for k, v in _row_meta(row).items() if v}}
        if meta.get("published"):
            self._metadata_date(meta)
        if _HTML_IN_TEXT_RE.search(text):
            text = html_fragment_to_text(text)
        else:
            text = text.replace("\r\n", "\n").strip()
        return self.finish(origin, text, fmt, meta, overrides)

    def html(self, origin: str, html: str, base: Meta, overrides: Meta) -> Article | InputError:
        import trafilatura

        try:
            doc = trafilatura.bare_extraction(
                html,
                url=base.get("url"),
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_recall=True,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
            return NoArticleText(origin, f"cannot parse the HTML ({exc.__class__.__name__})")
        if doc is None or not (doc.text or "").strip():
            return NoArticleText(origin, "no article text found in the HTML")
        text = "\n\n".join(p.strip() for p in doc.text.split("\n") if p.strip())
        meta: Meta = dict(base)
        for key, value in (("title", doc.title), ("author", doc.author), ("outlet", self._sitename(doc, base))):
            if value and not meta.get(key):
                meta[key] = value.strip()
        if doc.date and (parsed := parse_date_value(doc.date)):
            meta["published"], meta["published_precision"] = parsed
            meta["published_how"] = "html"
        return self.finish(origin, text, "html", meta, overrides)

    @staticmethod
    def _sitename(doc: Any, base: Meta) -> str | None:
        """The page's site name when it is a name (``outlets.clean_outlet``: not a section label, a URL or a
        headline), else a name from the URL's host (the page's, else its canonical one)."""
        url = base.get("url") or (doc.url if isinstance(doc.url, str) and _is_url(doc.url) else None)
        sitename = doc.sitename if isinstance(doc.sitename, str) else None
        if sitename and url and sitename.lower() in (urlsplit(url).netloc.lower(), _host(url)):
            sitename = None  # trafilatura falls back to host:port
        return clean_outlet(sitename, doc.title) or host_outlet(url)

    def feed(self, origin: str, data: bytes, base: Meta, overrides: Meta) -> Iterator[Article | InputError]:
        import feedparser

        parsed = feedparser.parse(io.BytesIO(data))
        entries = parsed.get("entries") or []
        if not entries:
            if parsed.get("bozo"):
                yield NoArticleText(origin, "broken feed (no entries could be read)")
            else:
                yield NoArticleText(origin, "feed has no entries")
            return
        outlet = clean_outlet(_clean(parsed.feed.get("title")))  # "Example Post: World news" -> "Example Post"
        for n, entry in enumerate(entries, 1):
            where = f"{origin}#{n}"
            html = ""
            for content in entry.get("content") or []:
                value = content.get("value") or ""
                if len(value) > len(html):
                    html = value
            summary = entry.get("summary") or ""
            if len(summary) > len(html):
                html = summary
            text = html_fragment_to_text(html)
            meta: Meta = {
                "title": _clean(entry.get("title")),
                "author": _clean(entry.get("author")),
                "outlet": outlet,
                "url": _clean(entry.get("link")) or base.get("url"),
            }
            # the date as written (the outlet's local day) first; feedparser's UTC struct as a fallback
            raw = _clean(entry.get("published") or entry.get("updated"))
            parsed = parse_date_value(raw) if raw else None
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            if parsed is None and stamp:
                parsed = (_dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat(), "day")
            if parsed:
                meta["published"], meta["published_precision"] = parsed
                meta["published_how"] = "metadata"
            if not meta.get("outlet") and meta.get("url"):
                meta["outlet"] = host_outlet(meta["url"])
            yield self.finish(where, text, "feed", meta, overrides)

    def finish(self, origin: str, text: str, fmt: str, meta: Meta, overrides: Meta) -> Article | InputError:
        text = scrub(text).strip()
        if not text:
            return NoArticleText(origin, "no article text")
        meta = {**meta, **{k: v for k, v in overrides.items() if v}}
        meta = {k: (scrub_line(v).strip() or None) if isinstance(v, str) else v for k, v in meta.items()}
        language = "en"
        ratio, ntok = english_ratio(text)
        if (ntok >= 10 or len(text) >= 200) and ratio < MIN_ENGLISH_RATIO:
            if self.require_english:
                return NotEnglish(origin, f"does not look like English ({ratio:.0%} English function words)")
            language = "und"
        words = len(text.split())
        if words < MIN_WORDS:
            return NoArticleText(origin, f"too little text for an article ({words} word{'s' * (words != 1)})")
        published = meta.get("published")
        how = meta.get("published_how") or "none"
        precision = meta.get("published_precision")
        if published and how == "none":  # a raw value that was never normalised
            parsed = parse_date_value(published)
            published, precision, how = (parsed[0], parsed[1], "metadata") if parsed else (None, None, "none")
        if not published:
            inferred = infer_published(text)
            if inferred:
                published, precision = inferred
                how = "text"
            else:
                published, precision, how = None, None, "none"
        url = meta.get("url")
        outlet = meta.get("outlet") or (host_outlet(url) if url and fmt != "feed" and _is_url(origin) else None)
        return Article(
            id=article_id(text),
            origin=origin,
            text=text,
            format=fmt,
            title=meta.get("title"),
            author=meta.get("author"),
            outlet=outlet,
            url=url,
            published=published,
            published_how=how,
            published_precision=precision,
            language=language,
        )


def _innermost(exc: BaseException) -> str:
    """The messages of an exception and of the ones that caused it (the OS reason sits deepest)."""
    parts: list[str] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        parts.append(str(cur))
        if isinstance(cur, OSError) and isinstance(cur.errno, int) and cur.errno > 0:
            parts.append(os.strerror(cur.errno))  # "Connection refused", which the message may not say
        cur = cur.__cause__ or cur.__context__
    return " | ".join(reversed(parts))


@contextmanager
def fetch_errors(shown: str, per_read: float) -> Iterator[None]:
    """Turn what fetching a URL can raise into one ``FetchError`` naming the URL and the reason."""
    import httpx

    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchError(shown, f"timed out after {per_read:g}s waiting for the server") from exc
    except httpx.ConnectError as exc:
        raise FetchError(shown, _connect_reason(_innermost(exc))) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(shown, "too many redirects") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(shown, "invalid URL") from exc
    except httpx.HTTPError as exc:
        raise FetchError(shown, f"network error ({exc.__class__.__name__})") from exc
    except InputError:
        raise
    except Exception as exc:  # the network stack refuses what httpx let through (a port over 65535, ...)
        raise FetchError(shown, f"cannot fetch ({exc.__class__.__name__})") from exc


def check_response(resp: Any, shown: str, max_bytes: int) -> None:
    """Refuse an HTTP error status, or a declared length over ``max_bytes``, before the body is read."""
    if resp.status_code >= 400:
        raise FetchError(shown, f"HTTP {resp.status_code}")
    length = resp.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise InputTooLarge(shown, f"{_mb(int(length))} is over the {_mb(max_bytes)} limit")


def grow(buf: bytearray, chunk: bytes, shown: str, max_bytes: int) -> None:
    """Append a chunk of a body being read; refuse the body once it is over ``max_bytes``."""
    buf += chunk
    if len(buf) > max_bytes:
        raise InputTooLarge(shown, f"body is over the {_mb(max_bytes)} limit")


def _connect_reason(message: str) -> str:
    low = message.lower()
    if "refused" in low:
        return "connection refused"
    if any(s in low for s in ("name or service", "nodename", "name resolution", "getaddrinfo", "no address")):
        return "host not found (DNS lookup failed)"
    if "certificate" in low or "ssl" in low:
        return "TLS/SSL error"
    if "unreachable" in low:
        return "network unreachable"
    return "cannot connect"


def _plain_title(body: str) -> str | None:
    first = body.lstrip().split("\n", 1)[0].strip()
    if first.lower().startswith("by ") or _KEYWORD_RE.match(first) or _date_at(first):
        return None
    if 3 <= len(first) <= 150 and first[-1] not in ".,;:!?\"'”’" and len(first.split()) <= 25:
        return first
    return None


def _json_value(text: str) -> Any:
    """``json.loads``, with every failure turned into ``ValueError`` with a reason a reader can use."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("nested too deeply to read") from exc
    except ValueError as exc:  # JSONDecodeError, and numbers longer than Python converts
        raise ValueError("unreadable row (invalid JSON)") from exc


def _as_row(item: Any) -> dict[str, Any] | str:
    """A JSON value as a row of an article, or why it is not one."""
    return item if isinstance(item, dict) else f"the row is {_type_name(item)}, not an object"


def _json_items(items: list[Any]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for n, item in enumerate(items, 1):
        yield n, _as_row(item)


def _json_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Rows of a JSON Lines file or a JSON array/object: (1-based number, row or why it cannot be read)."""
    stripped = text.strip()
    if stripped.startswith(("[", "{")) and (stripped.startswith("[") or "\n" in stripped):
        try:
            data = _json_value(stripped)
        except ValueError as exc:
            data = str(exc)
        if isinstance(data, list):
            yield from _json_items(data)
            return
        if isinstance(data, dict):
            key = next((k for k in ("articles", "items", "entries", "rows") if isinstance(data.get(k), list)), None)
            yield from _json_items(data[key]) if key else iter([(1, data)])
            return
    n = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        n += 1
        try:
            item = _json_value(line)
        except ValueError as exc:
            yield n, str(exc)
            continue
        yield n, _as_row(item)


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    try:  # only the delimiter is guessed, from the header; quoting is standard ("" inside quotes is one ")
        delimiter = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter)
    n = 0
    try:
        for n, row in enumerate(reader, 1):  # noqa: B007 - n is the last row read when the file breaks
            yield n, {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    except csv.Error as exc:
        yield n + 1, f"unreadable CSV from here on ({exc})"


# --------------------------------------------------------------------------- public entry point


def iter_articles(
    inputs: Sequence[str],
    manifest: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_URL_SECONDS,
    require_english: bool = True,
    allow_outside: bool = False,
) -> Iterator[Article | InputError]:
    """Yield an ``Article`` or an ``InputError`` (yielded, not raised) for everything in ``inputs``.

    Order: the explicit manifest's rows first (in manifest order), then each input in the order given;
    a folder yields its auto-discovered ``manifest.csv``/``manifest.jsonl`` rows, then its other files
    sorted by relative path (hidden files and folders skipped).  Each file or URL is read at most once.

    Only regular files are read (FIFOs, devices, sockets, symlink loops and broken links are refused with a
    reason); a folder walk and a manifest stay inside their folder unless ``allow_outside``; a URL is given
    ``timeout`` seconds in all (connect, headers and body); every name in a reason is printable.
    """
    if isinstance(inputs, str | Path):
        inputs = [str(inputs)]
    ing = _Ingestor(max_bytes, timeout, require_english, allow_outside)
    try:
        if manifest is not None:
            yield from ing.manifest(manifest)
        for inp in inputs:
            yield from ing.input(str(inp))
    finally:
        ing.close()
