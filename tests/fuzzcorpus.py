"""A deterministic corpus of hostile, malformed and odd inputs for `storyline analyze` (issue 13).

``generate(folder)`` writes several hundred inputs (and a handful of good articles) into ``folder`` and
returns one :class:`Case` per input, saying what kind of input it is and what a robust ingest must do with
it.  Every text in it is invented here (seeded random composition of made-up places, people and events);
nothing is copied from real articles.

Layout: ``folder/<kind>/cNNN-<variant>.<ext>``; names that are themselves the test (markup, escape codes,
newlines, non-UTF-8 bytes...) sit alone in ``folder/names/cNNN/<name>``; each manifest sits in its own
``folder/manifests/cNNN/``.  A few cases need a file *outside* the folder (a private article that must
never be read through a manifest row, a symlink or an XML external entity): it is written to the sibling
folder ``<folder>.outside/``.

``specials=True`` adds, under ``folder/specials/``, inputs that can block or exhaust a naive reader: a
FIFO, symlink loops, a directory cycle and (where they exist) symlinks to /dev/zero and /dev/urandom.
Only ever hand them to a subprocess with a timeout and a memory limit; never read them yourself.

``big=True`` scales the size cases up to real sizes (5 MB single line, 100,000 sentences, a 5 MB CSV
field, a 3 MB feed entry, 100,000 HTML paragraphs, 200 KB of Markdown, a 1.2 MB article) for
bench/hostile.py; the default sizes keep one batch of the whole corpus to a minute or two on 2 cores.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Case", "GOOD_ARTICLES", "GOOD_TITLES", "Run", "generate", "judge", "output_pieces", "run_analyze", "special_cases"]

# expect / walk values
GOOD = "good"  # the article must be stored
REJECT = "reject"  # must be named, with a reason, on one line
EITHER = "either"  # stored or named with a reason: both fine (never a traceback, never a hang)
SKIP = "skip"  # (folder walks only) may be passed over silently, or named with a reason


@dataclass(frozen=True)
class Case:
    """One generated input.

    ``key`` is the path relative to the corpus folder (posix; non-UTF-8 bytes appear as surrogate
    escapes): it is what must show up in the line that names a rejected input.  ``expect`` is what must
    happen when the input is given alone on the command line, ``walk`` when it is met in a folder walk.
    ``title`` (good cases): the title the stored article must carry.  ``forbidden``: a marker phrase that
    must never appear in a stored article (text that lives outside the folder).  ``special``: a FIFO,
    device link or symlink loop (run it only with a timeout).
    """

    key: str
    path: Path
    kind: str
    variant: str
    expect: str
    walk: str
    title: str | None = None
    forbidden: str | None = None
    special: bool = False
    big: bool = False
    note: str = ""
    alt: tuple[str, ...] = ()  # other names that may stand for this input in the output (URLs of its rows)

    @property
    def rejected(self) -> bool:
        return self.expect == REJECT

    @property
    def good(self) -> bool:
        return self.expect == GOOD

    @property
    def pieces(self) -> list[str]:
        """The printable pieces of ``key``: all must appear on the line naming the input."""
        return output_pieces(self.key)

    @property
    def names(self) -> list[list[str]]:
        """Each way the output may name this input, as the pieces that must share one line."""
        return [output_pieces(k) for k in (self.key, *self.alt)]


def output_pieces(key: str) -> list[str]:
    """``key`` split at control, format (bidi, zero-width), separator and undecodable characters, which a
    CLI may escape or replace: the pieces between them must be printed as they are."""
    pieces, cur = [], []
    for ch in key:
        if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
            if cur:
                pieces.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if cur:
        pieces.append("".join(cur))
    return pieces


# --------------------------------------------------------------------------- invented prose

_PLACES = [
    "Port Arvel", "Kestrel Bay", "Lowmarsh", "Vennick", "Tarrow Heights", "Orlin Valley", "Dunmere",
    "Saltcombe", "Brackwater", "Hollin Cross", "Marrowdale", "Fenstock", "Quell Harbour", "Ashby Vane",
]  # fmt: skip
_PEOPLE = [
    "Mara Quillon", "Tobias Fenwright", "Ilka Marsh", "Desmond Orrery", "Priya Calloway", "Jonas Thelwell",
    "Nadia Ferrand", "Oskar Lindgren-Hale", "Ruth Abernethy", "Caius Penrose", "Leontyne Baird", "Wim Okafor",
]  # fmt: skip
_ROLES = [
    "the mayor", "a spokesperson for the water board", "the fire chief", "the head of the port authority",
    "the council leader", "the regional health officer", "a union representative", "the school principal",
]  # fmt: skip
_EVENTS = [
    "a landslide blocked the coast road", "the river burst its banks", "a fire destroyed the old grain store",
    "bus drivers walked out over pay", "the town library reopened after repairs",
    "a power cut left homes without heating", "the ferry ran aground on a sandbank",
    "the council approved a new footbridge", "a storm tore the roof off the market hall",
    "the hospital opened a second ward", "a gas leak forced the evacuation of two streets",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_QUOTES = [
    "We are doing everything we can to get people home safely",
    "Nobody should have to wait this long for an answer",
    "The repairs will take longer than we first hoped",
    "It is too early to say what caused it",
    "We will publish every figure as soon as we have it",
    "People here have been patient, and they deserve better",
]  # fmt: skip


def _sentence(rng: random.Random, serial: int) -> str:
    place, person, role = rng.choice(_PLACES), rng.choice(_PEOPLE), rng.choice(_ROLES)
    n = rng.randint(3, 900)
    forms = [
        f"In {place}, {rng.choice(_EVENTS)} on {rng.choice(_DAYS)}, officials said.",
        f"{person}, {role}, said the work would take at least {n} days.",
        f"\u201c{rng.choice(_QUOTES)},\u201d {person} told reporters in {place}.",
        f"About {n} residents were affected, according to {role}.",
        f"The council said it would publish a full report on the matter, numbered {serial}-{n}, within a month.",
        f"Residents of {place} said they had not been warned before {rng.choice(_EVENTS)}.",
        f"By {rng.choice(_DAYS)} evening, {n} people had signed a letter asking for an independent inquiry.",
    ]
    return rng.choice(forms)


def prose(rng: random.Random, serial: int, sentences: int = 8, paragraphs: int = 3) -> str:
    """Invented English news prose; ``serial`` makes the text unique to its case."""
    paras = []
    for p in range(paragraphs):
        body = " ".join(_sentence(rng, serial) for _ in range(sentences))
        if p == 0:
            body = f"Notice {serial} from {rng.choice(_PLACES)}. " + body
        paras.append(body)
    return "\n\n".join(paras) + "\n"


# The good articles: hand-written, invented, each about a different made-up event (>= 60 words each).
GOOD_ARTICLES: list[tuple[str, str]] = [
    (
        "Harbour channel in Port Arvel closed after grain ship runs aground",
        "PORT ARVEL — The harbour authority closed the northern channel on Monday after the grain carrier "
        "Merrow Dawn ran aground on a sandbank at low tide, officials said. No one was hurt. \u201cWe expect "
        "the channel to reopen within six days,\u201d said Ilse Brenner, the harbour master, adding that "
        "divers would inspect the hull before any attempt to refloat the ship. At least 14 vessels were "
        "waiting outside the port on Tuesday, according to the pilots' association, and fishing crews said "
        "they had been told to use the southern entrance until further notice.",
    ),
    (
        "Kestrel Bay school reopens a week after flood damage",
        "Pupils returned to Kestrel Bay Primary School on Thursday, a week after flood water from the Orlin "
        "river reached the ground floor classrooms. The head teacher, Marcus Ellery, said volunteers had "
        "worked through the weekend to dry out the hall and replace damaged books. Three classrooms remain "
        "closed and about 90 children will be taught in the church hall across the road until the end of "
        "the month. The county council said it had set aside money for new flooring and would review the "
        "drainage along the school lane.",
    ),
    (
        "Vennick bus drivers end three-day strike over rotas",
        "Bus services in Vennick returned to normal on Saturday after drivers ended a three-day strike over "
        "changes to their rotas, the operator said. The union had objected to split shifts that it said "
        "left some drivers working fourteen-hour days. A spokeswoman for the operator, Greta Halloran, said "
        "the company had agreed to drop the new rota while talks continued. Commuters had faced long walks "
        "and crowded trains during the stoppage, and the town's market traders said takings had fallen by "
        "nearly a third.",
    ),
    (
        "Fire destroys disused grain store in Marrowdale",
        "A fire destroyed a disused grain store on the edge of Marrowdale late on Wednesday, the fire "
        "service said. Crews from three stations fought the blaze for more than five hours, and nearby homes "
        "were evacuated as a precaution because of the thick smoke. Nobody was injured. The fire chief, "
        "Dorothy Kwan, said the cause was not yet known and that investigators would return to the site "
        "once the walls had been made safe. The building had been empty for almost ten years and was due to "
        "be converted into flats.",
    ),
    (
        "Dunmere library extends its opening hours after reader survey",
        "The public library in Dunmere will stay open until nine in the evening on weekdays from next month, "
        "the library board announced on Friday. The change follows a survey in which two thirds of readers "
        "asked for later hours, many of them students and shift workers. The board's chair, Samuel Ortega, "
        "said the longer hours would be paid for from the existing budget by moving two staff posts from the "
        "mobile library service. The reading room will also host homework clubs on Tuesday and Thursday "
        "evenings for children aged eight to fourteen.",
    ),
    (
        "Saltcombe council approves new footbridge over the Fen river",
        "Councillors in Saltcombe voted on Tuesday to build a new footbridge over the Fen river, replacing "
        "a wooden crossing that was closed last winter after inspectors found rot in its supports. The "
        "bridge will cost about 1.4 million and should open in the autumn, the council said. Residents on "
        "the east bank have had to take a two-mile detour to reach the station since the old crossing "
        "closed. The council leader, Ada Whitcombe, said the design would allow cyclists and wheelchairs "
        "to cross safely and would stand well above the flood line.",
    ),
]
GOOD_TITLES = [title for title, _ in GOOD_ARTICLES]

SECRET = "ZEPHYRCANARY private notice"  # marker of the article that lives outside the folder


def _secret_article() -> str:
    return (
        f"{SECRET}: this file lives outside the corpus folder and must never be read by a folder walk, a "
        "manifest row, a symlink or an XML entity. The treasurer of the Hollin Cross rowing club said on "
        "Monday that the accounts for the year would be published in the spring, after the auditors had "
        "finished their work, and that members would be asked to approve a small rise in fees to pay for "
        "repairs to the boathouse roof and the landing stage.\n"
    )


# --------------------------------------------------------------------------- the generator


class _Writer:
    def __init__(self, folder: Path, seed: int, big: bool) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.big = big
        self.cases: list[Case] = []
        self.n = 0

    def next_id(self) -> str:
        self.n += 1
        return f"c{self.n:03d}"

    def add(
        self,
        kind: str,
        variant: str,
        ext: str,
        data: bytes | str,
        expect: str,
        walk: str | None = None,
        **kw,
    ) -> Case:
        name = f"{self.next_id()}-{variant}{ext}"
        return self.add_at(f"{kind}/{name}", kind, variant, data, expect, walk, **kw)

    def add_at(
        self,
        rel: str | bytes,
        kind: str,
        variant: str,
        data: bytes | str,
        expect: str,
        walk: str | None = None,
        key: str | None = None,
        **kw,
    ) -> Case:
        path = self.folder / os.fsdecode(rel)
        key = key or path.relative_to(self.folder).as_posix()  # "a//b" is the path "a/b"
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        with open(os.fsencode(path), "wb") as fh:
            fh.write(raw)
        case = Case(key=key, path=path, kind=kind, variant=variant, expect=expect, walk=walk or expect, **kw)
        self.cases.append(case)
        return case

    def prose(self, sentences: int = 8, paragraphs: int = 3) -> str:
        return prose(self.rng, self.n + 1, sentences, paragraphs)

    def size(self, small: int, large: int) -> int:
        return large if self.big else small


def _good(w: _Writer) -> None:
    (t1, b1), (t2, b2), (t3, b3), (t4, b4), (t5, b5), (t6, b6) = GOOD_ARTICLES
    w.add("good", "plain", ".txt", f"{t1}\n\n{b1}\n", GOOD, title=t1)
    w.add("good", "front-matter", ".md", f"---\ntitle: {t2}\noutlet: Kestrel Bay Courier\n---\n\n{b2}\n",
          GOOD, title=t2)
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{t3}</title></head><body><article>"
        f"<h1>{t3}</h1>" + "".join(f"<p>{s.strip()}.</p>" for s in b3.split(". ") if s.strip()) +
        "</article></body></html>"
    )
    w.add("good", "page", ".html", html, GOOD, title=t3)
    w.add("good", "rows", ".jsonl", json.dumps({"title": t4, "text": b4, "outlet": "Marrowdale Post"}) + "\n",
          GOOD, title=t4)
    w.add("good", "table", ".csv", 'title,text\n"' + t5 + '","' + b5.replace('"', '""') + '"\n', GOOD, title=t5)
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Saltcombe Weekly</title>'
        f"<item><title>{t6}</title><link>http://example.invalid/bridge</link>"
        f"<pubDate>Tue, 04 Mar 2025 09:00:00 GMT</pubDate><description>{b6}</description></item>"
        "</channel></rss>\n"
    )
    w.add("good", "feed", ".rss", feed, GOOD, title=t6)


def _empty(w: _Writer) -> None:
    for ext in (".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".xml", ".rss", ".atom", ".htm"):
        w.add("empty", "zero-bytes", ext, b"", REJECT)
    for variant, data in (
        ("spaces", b"      "),
        ("newlines", b"\n" * 500),
        ("crlf", b"\r\n" * 300),
        ("tabs", b"\t\t \t\n\t"),
        ("nbsp", "\u00a0\u00a0 \u2003\n".encode()),
        ("zero-width", "\u200b\u200c\ufeff\u200b".encode()),
        ("bom-only", codecs.BOM_UTF8),
        ("bom-utf16-only", codecs.BOM_UTF16_LE),
        ("form-feeds", b"\x0c\x0b \x0c\n"),
        ("bom-then-spaces", codecs.BOM_UTF8 + b"   \n\n  "),
    ):
        w.add("empty", variant, ".txt", data, REJECT)
    w.add("empty", "ws-json", ".json", b"  \n ", REJECT)
    w.add("empty", "ws-csv", ".csv", b"\n\n\n", REJECT)


def _binary(w: _Writer) -> None:
    rng = w.rng
    for i, (size, ext) in enumerate(
        [(16, ".txt"), (300, ".txt"), (4096, ".md"), (70000, ".html"), (1000, ".json"), (2000, ".jsonl"),
         (5000, ".csv"), (800, ".xml"), (900, ".rss"), (64, ".atom")]
    ):
        w.add("binary", f"random-{i}", ext, rng.randbytes(size), REJECT)
    # random bytes without NULs or ASCII controls: looks like text in some legacy code page
    for i, ext in enumerate((".txt", ".md")):
        data = bytes(b for b in rng.randbytes(6000) if b >= 0x20)
        w.add("binary", f"random-high-{i}", ext, data, REJECT)
    w.add("binary", "all-nul", ".txt", b"\x00" * 4096, REJECT)
    w.add("binary", "nul-in-text", ".txt", w.prose().encode() + b"\x00" + w.prose().encode(), REJECT)
    w.add("binary", "nul-after-8k", ".txt", w.prose(40, 4).encode() * 3 + b"\x00 tail", REJECT,
          note="the NUL is past the 8 KB sniffed head")
    w.add("binary", "controls", ".txt", bytes(rng.choice(range(1, 9)) for _ in range(3000)), REJECT)
    magic = {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        "elf": b"\x7fELF\x02\x01\x01\x00",
        "gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        "sqlite": b"SQLite format 3\x00",
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "gif": b"GIF89a\x01\x00\x01\x00",
    }
    exts = [".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".xml", ".rss"]
    for i, (what, head) in enumerate(magic.items()):
        w.add("binary", f"magic-{what}", exts[i % len(exts)], head + rng.randbytes(500), REJECT)
    # magic bytes followed by a real article: still a binary file
    w.add("binary", "pdf-magic-then-text", ".txt", b"%PDF-1.4\n" + w.prose().encode(), REJECT)


def _extension(w: _Writer) -> None:
    art = w.prose
    w.add("extension", "png-bytes-as-txt", ".txt", b"\x89PNG\r\n\x1a\n" + w.rng.randbytes(200), REJECT)
    w.add("extension", "html-as-txt", ".txt",
          f"<html><body><p>{art()}</p></body></html>", EITHER)
    w.add("extension", "json-as-md", ".md", json.dumps({"text": art(), "title": "json in md"}), EITHER)
    w.add("extension", "prose-as-csv", ".csv", art(), EITHER)
    w.add("extension", "prose-as-json", ".json", art(), REJECT)
    w.add("extension", "prose-as-jsonl", ".jsonl", art(), REJECT)
    w.add("extension", "prose-as-xml", ".xml", art(), REJECT)
    w.add("extension", "prose-as-rss", ".rss", art(), EITHER)
    w.add("extension", "prose-as-html", ".html", art(), EITHER)
    w.add("extension", "csv-as-html", ".html", "title,text\na,b\n" * 20, REJECT)
    w.add("extension", "rss-as-txt", ".txt",
          f"<?xml version='1.0'?><rss><channel><item><description>{art()}</description></item></channel></rss>",
          EITHER)
    w.add("extension", "prose-as-png", ".png", art(), REJECT, walk=SKIP)
    w.add("extension", "prose-as-docx", ".docx", art(), REJECT, walk=SKIP)
    w.add("extension", "no-extension", "", art(), EITHER, walk=SKIP)
    w.add("extension", "upper-case", ".TXT", art(), EITHER)
    w.add("extension", "double-ext", ".txt.gz", b"\x1f\x8b\x08\x00" + w.rng.randbytes(300), REJECT, walk=SKIP)
    w.add("extension", "svg-as-xml", ".xml",
          '<svg xmlns="http://www.w3.org/2000/svg"><text>hello</text></svg>', REJECT)
    w.add("extension", "trailing-dot", ".txt.", art(), EITHER, walk=SKIP)


def _encoding(w: _Writer) -> None:
    def titled(label: str) -> tuple[str, str]:
        title = f"Encoding test article {label} {w.n + 1}"
        return title, f"{title}\n\n{w.prose()}"

    t, text = titled("bom8")
    w.add("encoding", "utf8-bom", ".txt", codecs.BOM_UTF8 + text.encode(), GOOD, title=t)
    t, text = titled("utf16le")
    w.add("encoding", "utf16le-bom", ".txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"), GOOD, title=t)
    t, text = titled("utf16be")
    w.add("encoding", "utf16be-bom", ".txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), GOOD, title=t)
    t, text = titled("latin1")
    text = text.replace("Notice", "Caf\u00e9 notice").replace("officials", "officials (\u00e0 la mairie)")
    w.add("encoding", "latin1", ".txt", text.encode("latin-1", "replace"), GOOD, title=t)
    t, text = titled("cp1252")
    w.add("encoding", "cp1252-quotes", ".txt", text.encode("cp1252", "replace"), GOOD, title=t)
    w.add("encoding", "utf16le-no-bom", ".txt", w.prose().encode("utf-16-le"), EITHER)
    w.add("encoding", "utf16be-no-bom", ".md", w.prose().encode("utf-16-be"), EITHER)
    w.add("encoding", "utf32-bom", ".txt", codecs.BOM_UTF32_LE + w.prose().encode("utf-32-le"), EITHER)
    w.add("encoding", "utf16-bom-odd-bytes", ".txt", codecs.BOM_UTF16_LE + w.prose().encode("utf-16-le") + b"\x41",
          REJECT)
    w.add("encoding", "utf8-bom-then-latin1", ".txt", codecs.BOM_UTF8 + w.prose().encode() + b"caf\xe9 \xff\xfe",
          REJECT)
    w.add("encoding", "invalid-utf8-sprinkled", ".txt",
          w.prose().encode().replace(b" the ", b" th\xc3\x28e ").replace(b".", b".\xff"), EITHER)
    w.add("encoding", "truncated-utf8", ".txt", w.prose().encode() + "\u2014".encode()[:2], EITHER)
    surrogate = b"\xed\xa0\x80"
    w.add("encoding", "lone-surrogate-bytes", ".txt", w.prose().encode().replace(b". ", b". " + surrogate, 3), EITHER)
    w.add("encoding", "surrogate-pair-bytes", ".md", w.prose().encode() + b"\xed\xa0\xbd\xed\xb2\xa9", EITHER)
    w.add("encoding", "surrogate-in-title", ".txt", b"Title " + surrogate + b" here\n\n" + w.prose().encode(), EITHER)
    w.add("encoding", "surrogate-front-matter", ".md",
          b"---\ntitle: bad " + surrogate + b" title\n---\n\n" + w.prose().encode(), EITHER)
    w.add("encoding", "overlong-utf8", ".txt", w.prose().encode() + b"\xc0\xaf\xe0\x80\xaf", EITHER)
    w.add("encoding", "shift-jis", ".txt", ("\u65b0\u805e\u8a18\u4e8b\u3067\u3059\u3002" * 200).encode("shift_jis"),
          REJECT)
    w.add("encoding", "koi8-r", ".txt", ("\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f. " * 200)
          .encode("koi8_r"), REJECT)
    w.add("encoding", "mojibake", ".txt", w.prose().replace("\u201c", "\u00e2\u20ac\u0153")
          .replace("\u201d", "\u00e2\u20ac\u009d").encode(), EITHER)
    w.add("encoding", "bidi-overrides", ".txt", "\u202e" + w.prose() + "\u202c\u2066\u2069", EITHER)
    w.add("encoding", "line-separators", ".txt", w.prose().replace(". ", ".\u2028").replace("\n\n", "\u2029"), EITHER)
    w.add("encoding", "html-declared-wrong", ".html",
          b"<html><head><meta charset='utf-16'></head><body><p>" + w.prose().encode() + b"</p></body></html>", EITHER)
    w.add("encoding", "html-unknown-charset", ".html",
          b"<html><head><meta charset='x-no-such-9'></head><body><p>" + w.prose().encode("latin-1", "replace")
          + b"\xe9</p></body></html>", EITHER)
    w.add("encoding", "xml-declared-utf16", ".rss",
          b"<?xml version='1.0' encoding='utf-16'?><rss><channel><item><title>x</title><description>"
          + w.prose().encode() + b"</description></item></channel></rss>", EITHER)


def _html(w: _Writer) -> None:
    art = w.prose
    w.add("html", "unclosed-tags", ".html", "<html><body><div><p>" + art().replace("\n\n", "<p><b><i>"), EITHER)
    depth = w.size(5000, 20000)
    w.add("html", "nested-divs", ".html", "<html><body>" + "<div>" * depth + art() + "</div>" * depth + "</body></html>",
          EITHER, big=True)
    w.add("html", "nested-divs-unclosed", ".html", "<html><body>" + "<div><span>" * depth + art(), EITHER, big=True)
    w.add("html", "script-only", ".html", "<html><head><script>" + "var a = 1;\n" * 500 + "</script></head></html>",
          REJECT)
    w.add("html", "style-only", ".html", "<html><head><style>" + "p { color: red }\n" * 500 + "</style></head></html>",
          REJECT)
    w.add("html", "no-body", ".html", "<html><head><title>Only a title here</title></head></html>", REJECT)
    w.add("html", "doctype-only", ".html", "<!DOCTYPE html>", REJECT)
    w.add("html", "comment-only", ".html", "<!-- " + "nothing " * 500 + "-->", EITHER)
    attr = "A" * w.size(200_000, 5_000_000)
    w.add("html", "huge-attribute", ".html", f'<html><body><div data-x="{attr}"><p>{art()}</p></div></body></html>',
          EITHER, big=True)
    w.add("html", "huge-attribute-unclosed", ".html", f'<html><body><div data-x="{attr}<p>{art()}</p>', EITHER, big=True)
    w.add("html", "entity-flood", ".html", "<html><body><p>" + "&amp;&lt;&#x41;&#0;" * 20000 + "</p></body></html>",
          REJECT)
    w.add("html", "nul-entities", ".html", "<html><body><p>" + art().replace(" ", " &#0; ", 20) + "</p></body></html>",
          EITHER)
    w.add("html", "frameset", ".html", "<html><frameset><frame src='a.html'><frame src='b.html'></frameset></html>",
          REJECT)
    w.add("html", "cdata-and-pi", ".html", "<html><body><![CDATA[" + art() + "]]><?php echo 1; ?></body></html>", EITHER)
    w.add("html", "svg-inline", ".html", "<html><body><svg>" + "<path d='M0 0'/>" * 3000 + "</svg></body></html>",
          REJECT)
    paras = w.size(2000, 100_000)
    w.add("html", "many-paragraphs", ".html", "<html><body>" + "".join(
        f"<p>Paragraph {i} of the long council minutes was read aloud and approved.</p>" for i in range(paras)
    ) + "</body></html>", EITHER, big=True)
    w.add("html", "title-with-escape", ".html",
          f"<html><head><title>\x1b[31mRed alert\x1b[0m title</title></head><body><p>{art()}</p></body></html>", EITHER)
    w.add("html", "title-with-markup", ".html",
          f"<html><head><title>[bold red]alert[/bold red] title</title></head><body><p>{art()}</p></body></html>",
          EITHER)
    w.add("html", "broken-xhtml", ".xhtml", "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body><p>"
          + art() + "</body>", EITHER)
    w.add("html", "bom-utf16-html", ".htm", codecs.BOM_UTF16_LE + f"<html><body><p>{art()}</p></body></html>"
          .encode("utf-16-le"), EITHER)


def _markdown(w: _Writer) -> None:
    small = w.size(3000, 200_000)
    for ch, name in (("*", "stars"), ("_", "underscores"), ("[", "brackets"), ("`", "backticks"), ("~~", "tildes"),
                     ("**", "double-stars"), ("![", "image-open"), ("](", "link-mid")):
        w.add("markdown", f"unmatched-{name}", ".md", ch * (small // len(ch)), REJECT, big=True)
        words = " ".join(f"{ch}the harbour" for _ in range(small // 14))
        w.add("markdown", f"words-{name}", ".md", words, EITHER, big=True)
    w.add("markdown", "mixed-emphasis", ".md", "*_[`" * (small // 4), REJECT, big=True)
    w.add("markdown", "alternating-emphasis", ".md", " ".join(["*a _b [c `d"] * (small // 11)), EITHER, big=True)
    w.add("markdown", "nested-brackets", ".md", "[" * (small // 2) + "x" + "]" * (small // 2) + "(u)", REJECT, big=True)
    w.add("markdown", "quotes-deep", ".md", ">" * small + " " + w.prose(), EITHER, big=True)
    w.add("markdown", "headings-only", ".md", "\n".join("#" * (i % 7 + 1) + " Heading" for i in range(300)), REJECT)
    w.add("markdown", "unclosed-fence", ".md", "```\n" + w.prose(), EITHER)
    w.add("markdown", "unclosed-front-matter", ".md", "---\ntitle: never closed\n" + "key: value\n" * 200 + w.prose(),
          EITHER)
    w.add("markdown", "front-matter-only", ".md", "---\ntitle: Only front matter\nauthor: Nobody\n---\n", REJECT)
    w.add("markdown", "front-matter-escape-title", ".md",
          "---\ntitle: \x1b[31mAlarm\x1b[0m \x1b]0;pwned\x07 raised\n---\n\n" + w.prose(), EITHER)
    w.add("markdown", "front-matter-markup-title", ".md",
          "---\ntitle: [bold red]alert[/bold red] in the [link=http://x]harbour[/link]\n---\n\n" + w.prose(), EITHER)
    w.add("markdown", "front-matter-huge-title", ".md", "---\ntitle: " + "T" * 100_000 + "\n---\n\n" + w.prose(),
          EITHER)
    w.add("markdown", "reference-defs-only", ".md", "\n".join(f"[r{i}]: http://x/{i}" for i in range(2000)), REJECT)
    w.add("markdown", "html-in-md", ".md", "<div>" * 2000 + w.prose(), EITHER)
    w.add("markdown", "big-article", ".md", "# A long Markdown notice\n\n" + "\n\n".join(
        w.prose(10, 1) for _ in range(w.size(10, 300))), EITHER, big=True)


def _json(w: _Writer) -> None:
    deep = w.size(100_000, 1_000_000)
    w.add("json", "deep-brackets", ".json", "[" * deep, REJECT, big=True)
    w.add("json", "deep-brackets-closed", ".json", "[" * deep + "]" * deep, REJECT, big=True)
    w.add("json", "deep-objects", ".json", '{"a":' * deep + "1" + "}" * deep, REJECT, big=True)
    w.add("json", "deep-in-articles", ".json", '{"articles": [' + "[" * deep + "]" * deep + "]}\n", REJECT, big=True)
    w.add("json", "deep-text-field", ".json", '{"title": "x",\n "text": ' + "[" * deep + "]" * deep + "}", REJECT, big=True)
    art = w.prose
    for field_name in ("text", "title", "published", "url", "author", "outlet"):
        for tname, value in (("number", 12345), ("float", 1.5e308), ("list", ["a", ["b", {"c": None}]]),
                             ("dict", {"nested": {"x": [1, 2]}}), ("null", None), ("bool", True)):
            row = {"title": f"Wrong type {field_name} {tname}", "text": art()}
            row[field_name] = value
            expect = REJECT if field_name == "text" and tname in ("number", "float", "null", "bool") else EITHER
            w.add("json", f"{field_name}-is-{tname}", ".json", json.dumps(row, indent=1), expect)
    w.add("json", "text-list-of-words", ".jsonl", json.dumps({"text": art().split()}) + "\n", EITHER)
    w.add("json", "surrogate-title", ".json", '{"title": "bad \\ud800 title",\n "text": ' + json.dumps(art()) + "}",
          EITHER)
    w.add("json", "surrogate-text", ".json", '{"title": "surrogate text",\n "text": ' + json.dumps(art())[:-1]
          + ' \\udfff end"}', EITHER)
    w.add("json", "surrogate-pair-broken", ".jsonl", '{"text": ' + json.dumps(art())[:-1] + ' \\ud83d"}\n', EITHER)
    w.add("json", "escape-title", ".json", json.dumps({"title": "\x1b[2J\x1b[31mCleared screen\x1b[0m",
                                                      "text": art()}, indent=1), EITHER)
    w.add("json", "markup-title", ".json", json.dumps({"title": "[bold red]alert[/bold red] [link=http://x]y[/link]",
                                                      "text": art()}, indent=1), EITHER)
    w.add("json", "nul-in-text", ".json", json.dumps({"title": "nul", "text": art() + "\u0000 after"}, indent=1),
          EITHER)
    full = json.dumps({"title": "truncated", "text": art()}, indent=1)
    w.add("json", "truncated", ".json", full[: len(full) // 2], REJECT)
    w.add("json", "truncated-array", ".json", "[" + full + ",\n" + full[:40], REJECT)
    w.add("json", "huge-float", ".json", '{"text": 1e999999, "title": 1e999999,\n "published": -1e999999}', REJECT)
    w.add("json", "huge-int", ".json", '{"text": ' + "9" * 10_000 + ',\n "title": "big int"}', REJECT)
    w.add("json", "huge-int-title", ".json", '{"title": ' + "7" * 10_000 + ',\n "text": ' + json.dumps(art()) + "}",
          EITHER)
    w.add("json", "nan-literals", ".json", '{"text": NaN, "title": Infinity,\n "published": -Infinity}', REJECT)
    w.add("json", "duplicate-keys", ".json",
          '{"text": ' + json.dumps(art()) + ',\n "text": 5, "title": "dup", "title": ["a"]}', REJECT)
    w.add("json", "duplicate-keys-good-last", ".json",
          '{"text": 5,\n "text": ' + json.dumps(art()) + ', "title": "dup last"}', EITHER)
    w.add("json", "bom", ".json", codecs.BOM_UTF8 + json.dumps({"title": "BOM json", "text": art()}, indent=1).encode(),
          EITHER)
    w.add("json", "top-string", ".json", json.dumps(art()), REJECT)
    w.add("json", "top-number", ".json", "42", REJECT)
    w.add("json", "top-null", ".json", "null", REJECT)
    w.add("json", "empty-array", ".json", "[]", REJECT)
    w.add("json", "empty-object", ".json", "{}", REJECT)
    w.add("json", "array-of-scalars", ".json", json.dumps([1, "two", None, [3], True]), REJECT)
    w.add("json", "articles-not-list", ".json", '{"articles": "not a list",\n "items": 5}', REJECT)
    w.add("json", "articles-wrong-rows", ".json", json.dumps({"articles": [None, 1, [], "x", {"text": 7}]}, indent=1),
          REJECT)
    w.add("json", "many-keys", ".json", json.dumps({f"k{i}": i for i in range(20_000)}, indent=0), REJECT)
    w.add("json", "long-string-key", ".json", '{"' + "k" * 200_000 + '": 1,\n "text": 2}', REJECT)
    w.add("json", "single-line-object", ".json", json.dumps({"title": "one line", "text": art()}), EITHER)
    w.add("json", "comments", ".json", '// a comment\n{"text": "x"}', REJECT)
    w.add("json", "trailing-garbage", ".json", json.dumps({"title": "garbage", "text": art()}) + "\n}}}]]]", EITHER)


def _jsonl(w: _Writer) -> None:
    art = w.prose
    deep = w.size(100_000, 1_000_000)
    w.add("jsonl", "deep-line", ".jsonl", "[" * deep + "\n", REJECT, big=True)
    w.add("jsonl", "deep-object-line", ".jsonl", '{"a":' * deep + "\n", REJECT, big=True)
    w.add("jsonl", "truncated-last", ".jsonl", json.dumps({"text": art()}) + "\n" + json.dumps({"text": art()})[:30],
          REJECT, note="one good row and one truncated row: the bad row must be named")
    w.add("jsonl", "mixed-types", ".jsonl", "\n".join(json.dumps(r) for r in (
        [1, 2], "string", 3, None, {"text": None}, {"text": {"a": 1}}, {"title": ["x"], "text": 9})) + "\n", REJECT)
    w.add("jsonl", "bom", ".jsonl", codecs.BOM_UTF8 + (json.dumps({"title": "bom row", "text": art()}) + "\n").encode(),
          EITHER)
    w.add("jsonl", "blank-lines", ".jsonl", "\n \n\t\n" * 100, REJECT)
    w.add("jsonl", "crlf", ".jsonl", (json.dumps({"text": art(), "title": "crlf row"}) + "\r\n") * 1, EITHER)
    w.add("jsonl", "long-text", ".jsonl", json.dumps({"title": "long row", "text": art(60, 20)}) + "\n", EITHER)
    w.add("jsonl", "nul-escape", ".jsonl", json.dumps({"text": "\u0000" * 50 + art()}) + "\n", EITHER)
    w.add("jsonl", "surrogate-title", ".jsonl", '{"title": "\\udc80\\udcff", "text": ' + json.dumps(art()) + "}\n",
          EITHER)
    w.add("jsonl", "empty-text", ".jsonl", '{"text": ""}\n{"text": "   "}\n{"content": []}\n', REJECT)
    w.add("jsonl", "fifty-bad-rows", ".jsonl", "".join(f'{{"text": {i}}}\n' for i in range(50)), REJECT)
    w.add("jsonl", "escape-in-title", ".jsonl", json.dumps({"title": "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
                                                            "text": art()}) + "\n", EITHER)
    w.add("jsonl", "huge-number-date", ".jsonl", json.dumps({"text": art(), "published": 10**300}) + "\n", EITHER)
    w.add("jsonl", "bad-dates", ".jsonl", "".join(json.dumps({"text": art(), "published": d}) + "\n" for d in (
        "2025-13-45", "yesterday", "0000-00-00", "9999-99-99T99:99", "31/02/2024")), EITHER)
    w.add("jsonl", "not-json-at-all", ".jsonl", "this is { not json\nnor this ]\n", REJECT)


def _csv(w: _Writer) -> None:
    art = w.prose

    def q(s: str) -> str:
        return '"' + s.replace('"', '""') + '"'

    w.add("csv", "ragged", ".csv", "title,text,outlet\na\nb," + q(art()) + ",c,d,e,f\n,,,,\n" + "x," * 50 + "\n", EITHER)
    w.add("csv", "huge-field", ".csv", "title,text\nhuge," + q("word " * (w.size(200_000, 5_000_000) // 5)) + "\n",
          EITHER, big=True)
    w.add("csv", "nul-bytes", ".csv", b"title,text\nnul," + art().encode() + b"\x00\x00\n", REJECT)
    w.add("csv", "unclosed-quote", ".csv", 'title,text\n"unclosed,' + art().replace('"', "") + "\n", EITHER)
    w.add("csv", "unclosed-quote-header", ".csv", '"title,text\nx,y\n', REJECT)
    w.add("csv", "one-column-text", ".csv", "text\n" + q(art()) + "\n", EITHER)
    w.add("csv", "one-column-other", ".csv", "name\n" + "\n".join(f"row{i}" for i in range(30)) + "\n", REJECT)
    w.add("csv", "header-only", ".csv", "title,text,outlet,published\n", REJECT)
    w.add("csv", "header-only-no-newline", ".csv", "title,text", REJECT)
    w.add("csv", "semicolons", ".csv", "title;text\nsemi;" + q(art()) + "\n", EITHER)
    w.add("csv", "tabs", ".csv", "title\ttext\ntabbed\t" + art().replace("\n", " ") + "\n", EITHER)
    w.add("csv", "bom-header", ".csv", codecs.BOM_UTF8 + ("text,title\n" + q(art()) + ",bom csv\n").encode(), EITHER)
    w.add("csv", "duplicate-headers", ".csv", "text,text,title\n" + q(art()) + ",5,dup\n", EITHER)
    w.add("csv", "thousand-columns", ".csv", ",".join(f"c{i}" for i in range(1000)) + "\n" + ",".join(
        "v" for _ in range(1000)) + "\n", REJECT)
    w.add("csv", "quoted-newlines", ".csv", "title,text\n" + q("multi\nline\ntitle") + "," + q(art()) + "\n", EITHER)
    w.add("csv", "cr-only", ".csv", "title,text\rcr," + art().replace("\n", " ").replace('"', "") + "\r", EITHER)
    w.add("csv", "escape-title", ".csv", "title,text\n" + q("\x1b[41mRED\x1b[0m") + "," + q(art()) + "\n", EITHER)
    w.add("csv", "markup-title", ".csv", "title,text\n" + q("[bold red]alert[/bold red]") + "," + q(art()) + "\n",
          EITHER)
    w.add("csv", "formula-injection", ".csv", "title,text\n=cmd|' /C calc'!A0," + q(art()) + "\n", EITHER)
    w.add("csv", "bad-dates", ".csv", "title,text,published\nd," + q(art()) + ",2025-02-30\n", EITHER)
    w.add("csv", "pipe-sniffing", ".csv", "a|b|c\n" + "|".join(["x"] * 3) + "\n", REJECT)


def _feed(w: _Writer, outside: Path) -> None:
    art = w.prose
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                        for i in range(1, 10))
              + "]>\n<rss version=\"2.0\"><channel><title>Laughs</title><item><title>lol</title>"
              "<description>&lol9;</description></item></channel></rss>\n")
    w.add("feed", "billion-laughs", ".rss", laughs, REJECT, note="entity expansion: must be refused or bounded")
    w.add("feed", "billion-laughs-xml", ".xml", laughs, REJECT)
    w.add("feed", "billion-laughs-atom", ".atom", laughs.replace("<rss version=\"2.0\"><channel>", "<feed>")
          .replace("</channel></rss>", "</feed>").replace("<item>", "<entry>").replace("</item>", "</entry>"), REJECT)
    big_ent = "x" * 10_000
    quad = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + big_ent + '">]>\n<rss><channel><item><title>q'
            "</title><description>" + "&a;" * 2000 + "</description></item></channel></rss>\n")
    w.add("feed", "quadratic-blowup", ".rss", quad, REJECT)
    secret = outside / "secret.txt"
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://' + str(secret) + '">]>\n'
           "<rss><channel><title>XXE</title><item><title>external</title><description>&xxe;</description></item>"
           "</channel></rss>\n")
    w.add("feed", "external-entity", ".rss", xxe, EITHER, forbidden=SECRET)
    w.add("feed", "no-entries", ".rss", "<?xml version='1.0'?><rss><channel><title>Empty</title></channel></rss>",
          REJECT)
    w.add("feed", "atom-no-entries", ".atom",
          "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Empty</title></feed>", REJECT)
    w.add("feed", "entries-no-content", ".rss", "<rss><channel>" + "<item><title>Only a title</title></item>" * 3
          + "</channel></rss>", REJECT)
    w.add("feed", "atom-entries-no-content", ".atom", "<feed xmlns='http://www.w3.org/2005/Atom'>"
          + "<entry><title>t</title><link href='http://x'/></entry>" * 3 + "</feed>", REJECT)
    w.add("feed", "broken-xml", ".rss", "<rss><channel><item><title>Broken<description>" + art(), EITHER)
    w.add("feed", "broken-xml-garbage", ".xml", "<rss><channel><<<>>>&&&;;</item></rss></rss>", REJECT)
    w.add("feed", "rss-no-extension-sniffed", "", "<?xml version='1.0'?><rss><channel><item><title>No ext</title>"
          f"<description>{art()}</description></item></channel></rss>", EITHER)
    w.add("feed", "big-entry", ".rss", "<rss><channel><item><title>Big entry</title><description>"
          + ("<p>" + art().replace("\n", " ") + "</p>") * w.size(80, 1300)
          + "</description></item></channel></rss>", EITHER, big=True)
    w.add("feed", "script-entries", ".rss", "<rss><channel><item><title>s</title><description>"
          "&lt;script&gt;alert(1)&lt;/script&gt;</description></item></channel></rss>", REJECT)
    w.add("feed", "cdata-html", ".rss", "<rss><channel><item><title>cdata</title><description><![CDATA[<div><p>"
          + art() + "</p><script>x()</script>]]></description></item></channel></rss>", EITHER)
    w.add("feed", "escape-title", ".rss", "<rss><channel><title>\x1b[5mBlink\x1b[0m</title><item><title>"
          "\x1b[31mred\x1b[0m entry</title><description>" + art() + "</description></item></channel></rss>", EITHER)
    w.add("feed", "markup-title", ".rss", "<rss><channel><title>[red]Outlet[/red]</title><item><title>"
          "[bold red]alert[/bold red]</title><description>" + art() + "</description></item></channel></rss>", EITHER)
    w.add("feed", "twenty-empty-entries", ".rss", "<rss><channel>" + "<item><title>e</title><description>short"
          "</description></item>" * 20 + "</channel></rss>", REJECT)
    w.add("feed", "rdf", ".rss", "<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-"
          "ns#' xmlns='http://purl.org/rss/1.0/'><item><title>rdf</title><description>" + art()
          + "</description></item></rdf:RDF>", EITHER)
    w.add("feed", "bad-dates", ".rss", "<rss><channel><item><title>d</title><pubDate>Mon, 99 Foo 99999 99:99</pubDate>"
          "<description>" + art() + "</description></item></channel></rss>", EITHER)
    w.add("feed", "deep-nesting", ".rss", "<rss><channel><item><description>" + "<x>" * 5000 + "</description>",
          REJECT)


def _manifests(w: _Writer, outside: Path) -> None:
    secret = outside / "secret.txt"
    up = "../" * 40

    def manifest(variant: str, name: str, body: str | bytes, expect: str = REJECT, extra: dict | None = None,
                 **kw) -> Case:
        cid = w.next_id()
        folder = f"manifests/{cid}-{variant}"
        for fname, content in (extra or {}).items():
            p = w.folder / folder / fname
            p.parent.mkdir(parents=True, exist_ok=True)
            if content is None:
                p.mkdir(exist_ok=True)
            else:
                p.write_text(content, encoding="utf-8")
        # the key is the manifest's folder: a row's failure may be named by the manifest or by its target
        return w.add_at(f"{folder}/{name}", "manifest", variant, body, expect, key=folder + "/", **kw)

    manifest("outside-relative", "manifest.csv", f"path,title\n{up}etc/hostname,host\n../../../x.txt,x\n")
    manifest("outside-absolute", "manifest.csv", "path,title\n/etc/hostname,host\n/etc/passwd,pw\n")
    manifest("outside-secret-relative", "manifest.csv",
             "path,title\n" + os.path.relpath(secret, w.folder / "manifests" / "cXXX") + ",secret\n",
             forbidden=SECRET)
    manifest("outside-secret-absolute", "manifest.jsonl", json.dumps({"path": str(secret), "title": "s"}) + "\n",
             forbidden=SECRET)
    manifest("outside-secret-tilde", "manifest.csv", "path,title\n~/../../" + str(secret).lstrip("/") + ",s\n",
             forbidden=SECRET)
    manifest("missing-files", "manifest.csv", "path,title\nnope.txt,a\nsub/nope.md,b\n,c\n")
    manifest("folder-row", "manifest.csv", "path,title\nsub,folder\n", EITHER,
             extra={"sub/inner.txt": w.prose()})
    manifest("parent-folder-row", "manifest.csv", "path,title\n..,parent\n../..,root\n", REJECT)
    manifest("dot-row", "manifest.jsonl", '{"path": "."}\n{"path": ""}\n', EITHER)
    manifest("refused-port", "manifest.csv", "url,title\nhttp://127.0.0.1:9/story.html,refused\n"
             "https://127.0.0.1:9/x,tls\n", alt=("http://127.0.0.1:9/story.html", "https://127.0.0.1:9/x"))
    manifest("non-http", "manifest.csv", "url,title\nfile:///etc/hostname,f\nftp://127.0.0.1/x.txt,ftp\n"
             "javascript:alert(1),js\ngopher://127.0.0.1:9/,g\nhttp//missing-colon,m\n")
    bad_urls = ("http://[::1", "http://" + "a" * 300 + ":99999/", "http://127.0.0.1:99999/", "http://",
                "https://\x00/", "http://127.0.0.1:9/" + "x" * 5000)
    manifest("bad-urls", "manifest.jsonl", "".join(json.dumps({"url": u}) + "\n" for u in bad_urls), alt=bad_urls)
    manifest("bad-dates", "manifest.csv", "path,published\nok.txt,yesterday-ish\nok.txt,2025-02-30\n"
             "ok.txt,99999-01-01\n", extra={"ok.txt": w.prose()}, walk=EITHER)
    manifest("deep-jsonl", "manifest.jsonl", "[" * w.size(100_000, 1_000_000) + "\n", big=True)
    manifest("deep-json-array", "manifest.jsonl", "[" * w.size(100_000, 1_000_000), big=True)
    manifest("deep-path-value", "manifest.jsonl", '{"path": ' + "[" * 50_000 + "]" * 50_000 + "}\n")
    manifest("wrong-types", "manifest.jsonl", "".join(json.dumps(r) + "\n" for r in (
        {"path": 5}, {"path": ["a", "b"]}, {"path": None, "url": None}, {"path": {"x": 1}}, {"published": 2025},
        {"url": 7}, [1, 2], "row", None, {"path": True, "title": ["t"]})))
    manifest("nul-in-path", "manifest.jsonl", json.dumps({"path": "a\u0000b.txt"}) + "\n")
    manifest("very-long-path", "manifest.jsonl", json.dumps({"path": "d/" * 3000 + "x.txt"}) + "\n"
             + json.dumps({"path": "n" * 5000 + ".txt"}) + "\n")
    manifest("binary", "manifest.csv", b"\x89PNG\r\n\x1a\n" + w.rng.randbytes(200))
    manifest("invalid-utf8", "manifest.csv", b"path,title\n\xff\xfe\xfd.txt,x\n")
    manifest("empty", "manifest.csv", b"")
    manifest("header-only", "manifest.jsonl", b"\n\n")
    manifest("ragged", "manifest.csv", "path,title,published\nx.txt\n,,,,,\n\"unclosed,\n")
    manifest("escape-in-title", "manifest.csv", "path,title\nok.txt," + '"\x1b[31mred\x1b[0m"\n',
             EITHER, extra={"ok.txt": w.prose()})
    manifest("markup-in-row", "manifest.csv", "path,title\n[bold red]missing[/bold red].txt,x\n")
    manifest("self-reference", "manifest.csv", "path,title\nmanifest.csv,self\n", EITHER)
    manifest("duplicate-rows", "manifest.csv", "path,title\nok.txt,a\nok.txt,b\n", EITHER,
             extra={"ok.txt": w.prose()})


def _names(w: _Writer) -> None:
    short = "Too short to be an article.\n"
    names: list[tuple[str, str | bytes]] = [
        ("markup-bold", "[bold red]alert[/bold red].txt"),
        ("markup-link", "[link=http://x]y[/link].md"),
        ("markup-close", "[/].txt"),
        ("markup-red", "[red].html"),
        ("markup-escaped", "\\[not markup].json"),
        ("markup-nested", "[b][i]x[/i][/b] [u].csv"),
        ("emoji-codes", ":warning: :red_circle: news.txt"),
        ("rich-style-like", "[on red]   [/on red].jsonl"),
        ("escape-sgr", "\x1b[31mred\x1b[0m.txt"),
        ("escape-osc8", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\.txt"),
        ("escape-clear", "\x1b[2J\x1b[Hclear.md"),
        ("bell", "bell\x07ring.txt"),
        ("c1-csi", "c1\u009b31mcsi.txt"),
        ("newline", "line1\nline2.txt"),
        ("carriage-return", "visible\rhidden.txt"),
        ("tab", "tab\tname.txt"),
        ("long-ascii", "L" * 246 + ".txt"),
        ("long-multibyte", "\u00e9" * 123 + ".txt"),
        ("non-utf8-latin1", b"caf\xe9.txt"),
        ("non-utf8-ff", b"\xff\xfe name.md"),
        ("non-utf8-mid", b"bad\x80name.json"),
        ("spaces", "  spaced   name  .txt"),
        ("leading-dash", "-rf.txt"),
        ("double-dash", "--help.md"),
        ("dash-only", "-.txt"),
        ("rtl-override", "\u202etxt.exe.txt"),
        ("emoji", "\U0001f4f0 news \U0001f525.txt"),
        ("zero-width", "zero\u200bwidth\u200d.txt"),
        ("format-string", "%s%n%x{0}.txt"),
        ("shell", "$(reboot) `id`.txt"),
        ("quotes", "it's \"quoted\".txt"),
        ("backslash", "back\\slash.txt"),
        ("hash", "file#1.txt"),
        ("colon", "a: b: c.txt"),
    ]
    for variant, name in names:
        cid = w.next_id()
        rel = (f"names/{cid}/".encode() + name) if isinstance(name, bytes) else f"names/{cid}/{name}"
        content = b"" if variant.startswith("non-utf8") else short
        try:
            w.add_at(rel, "names", variant, content, REJECT)
        except OSError:  # a file system that refuses this name
            continue


def _long(w: _Writer) -> None:
    rng = w.rng
    line_kb = w.size(300_000, 5_000_000)
    words = []
    while sum(len(x) + 1 for x in words) < line_kb:
        words.append(_sentence(rng, w.n + 1))
    w.add("long", "single-line", ".txt", " ".join(words), EITHER, big=True)
    n = w.size(20_000, 100_000)
    w.add("long", "short-sentences", ".txt", "\n".join(f"The gate {i} was shut." for i in range(n)), EITHER, big=True)
    w.add("long", "blank-lines", ".txt", "\n" * w.size(50_000, 500_000) + "Only a line.\n", REJECT, big=True)
    w.add("long", "blank-lines-then-article", ".txt", "\n" * w.size(50_000, 500_000) + w.prose(), EITHER, big=True)
    w.add("long", "no-spaces", ".txt", "x" * w.size(300_000, 5_000_000), REJECT, big=True)
    w.add("long", "article", ".txt", "A long notice from the coast\n\n" + "\n\n".join(
        w.prose(12, 1) for _ in range(w.size(60, 1000))), EITHER, big=True)
    w.add("long", "many-short-lines", ".md", "\n".join("- item" for _ in range(w.size(20_000, 200_000))), REJECT,
          big=True)
    w.add("long", "json-many-rows", ".jsonl", "".join(json.dumps({"title": f"r{i}", "text": "tiny"}) + "\n"
                                                     for i in range(w.size(30, 30))), REJECT)


def _links(w: _Writer, outside: Path) -> None:
    base = w.folder / "links"
    base.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.txt"

    def link(variant: str, target: str | Path, name: str, expect: str, walk: str, **kw) -> None:
        cid = w.next_id()
        path = base / f"{cid}-{name}"
        try:
            os.symlink(target, path)
        except OSError:
            return
        w.cases.append(Case(key=f"links/{cid}-{name}", path=path, kind="symlink", variant=variant, expect=expect,
                            walk=walk, **kw))

    link("dangling", base / "does-not-exist.txt", "dangling.txt", REJECT, SKIP)
    link("private-outside", secret, "private.txt", EITHER, SKIP, forbidden=SECRET)
    link("etc-hostname", "/etc/hostname", "hostname.txt", REJECT, SKIP)


def special_cases(folder: Path, outside: Path | None = None) -> list[Case]:
    """FIFOs, device links, symlink loops and a directory cycle in ``folder`` (run only with timeouts)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(variant: str, rel: str, make, expect: str = REJECT, walk: str = SKIP) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            make(path)
        except (OSError, AttributeError):
            return
        cases.append(Case(key=f"specials/{rel}" if folder.name == "specials" else rel, path=path, kind="special",
                          variant=variant, expect=expect, walk=walk, special=True))

    add("symlink-loop", "s01-loop-a.txt", lambda p: (os.symlink(p.with_name("s01-loop-b.txt"), p),
                                                     os.symlink(p, p.with_name("s01-loop-b.txt"))))
    add("symlink-self", "s02-self.txt", lambda p: os.symlink(p, p))
    add("fifo", "s03-pipe.txt", lambda p: os.mkfifo(p))
    add("fifo-no-ext", "s04-pipe", lambda p: os.mkfifo(p), walk=SKIP)
    add("fifo-jsonl", "s05-pipe.jsonl", lambda p: os.mkfifo(p))
    add("fifo-link", "s06-pipe-link.md", lambda p: os.symlink(p.with_name("s03-pipe.txt"), p))
    add("dir-cycle", "s07-cycle/up", lambda p: os.symlink("..", p), expect=EITHER)
    add("dir-cycle-root", "s08-cycle/top", lambda p: os.symlink(p.parent.parent, p), expect=EITHER)
    add("dir-loop", "s09-dirloop", lambda p: (os.symlink(p.with_name("s09-dirloop-b"), p),
                                              os.symlink(p, p.with_name("s09-dirloop-b"))), expect=REJECT)
    for dev in ("/dev/zero", "/dev/urandom"):
        if os.path.exists(dev):
            name = Path(dev).name
            add(f"dev-{name}", f"s1{len(cases)}-{name}.txt", lambda p, dev=dev: os.symlink(dev, p))
            add(f"dev-{name}-html", f"s1{len(cases)}-{name}.html", lambda p, dev=dev: os.symlink(dev, p))
    if os.path.exists("/dev/null"):
        add("dev-null", "s20-null.txt", lambda p: os.symlink("/dev/null", p))
    return cases


def generate(folder: Path, seed: int = 13, big: bool = False, specials: bool = False) -> list[Case]:
    """Write the corpus into ``folder`` (created) and return its cases, in a fixed order.

    ``specials`` adds FIFOs, device links and symlink loops under ``folder/specials/`` (see
    :func:`special_cases`); ``big`` scales the size cases up for the benchmark.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / f"{folder.name}.outside"
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text(_secret_article(), encoding="utf-8")
    secret.chmod(0o600)
    w = _Writer(folder, seed, big)
    _good(w)
    _empty(w)
    _binary(w)
    _extension(w)
    _encoding(w)
    _html(w)
    _markdown(w)
    _json(w)
    _jsonl(w)
    _csv(w)
    _feed(w, outside)
    _manifests(w, outside)
    _names(w)
    _long(w)
    _links(w, outside)
    if specials:
        w.cases.extend(special_cases(folder / "specials"))
    return w.cases



# --------------------------------------------------------------------------- running storyline on the corpus

STORYLINE = [sys.executable, "-m", "storyline.cli"]
FAST_OPTIONS = ("--quiet", "--no-crosscheck", "--no-embeddings")  # no cross-checking, no embedding model
_CRASH_FILE_RE = re.compile(r"Details: (\S+storyline-crash-\S+?\.txt)")
_EXC_RE = re.compile(r"^[\s|]*([A-Za-z_][\w.]*(?:Error|Exception|Group|Interrupt|Exit|Warning|Overflow))\b")
ESC = "\x1b"


@dataclass
class Run:
    """One `storyline analyze` run in a subprocess."""

    args: list[str]
    rc: int | None  # None: killed at the timeout
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    timed_out: bool

    @property
    def output(self) -> str:
        return self.stdout + "\n" + self.stderr

    @property
    def lines(self) -> list[str]:
        return [ln for ln in self.output.split("\n") if ln.strip()]

    @property
    def skipped_lines(self) -> list[str]:
        return [ln for ln in self.stderr.split("\n") if ln.lstrip().lower().startswith("skipped")]

    @property
    def crashed(self) -> bool:
        return "Traceback" in self.output or "crashed" in self.output or self.rc not in (None, 0, 1, 2, 3, 4)

    @property
    def exceptions(self) -> list[str]:
        """Exception types named in the output and in the crash file it points to (first seen first)."""
        text = self.output
        for m in _CRASH_FILE_RE.finditer(self.output):
            with contextlib.suppress(OSError):
                text += "\n" + Path(m.group(1)).read_text(encoding="utf-8", errors="replace")
        found: list[str] = []
        for line in text.split("\n"):
            m = _EXC_RE.match(line)
            if m and (line.rstrip().endswith(m.group(1)) or line[m.end():m.end() + 1] == ":") and m.group(1) not in found:
                found.append(m.group(1))
        return found


def _limit(mem_mb: int | None):
    def setup() -> None:
        os.setsid()
        if mem_mb:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 1024 * 1024, mem_mb * 1024 * 1024))

    return setup


def run_analyze(
    inputs: list[str | Path],
    db: Path,
    *,
    timeout: float = 300,
    mem_mb: int | None = None,
    options: tuple[str, ...] = FAST_OPTIONS,
    extra: tuple[str, ...] = (),
    env: dict | None = None,
) -> Run:
    """`storyline analyze INPUTS --db DB` in its own process group, killed (group and all) at ``timeout``.

    ``mem_mb`` caps the address space of the child (RLIMIT_AS), so a /dev/zero reader fails instead of
    eating the machine.  The peak RSS is the child's own (and its waited-for children's), from wait4.
    Output goes through files, never pipes, so a child that floods its output cannot block.
    """
    import tempfile
    import time

    args = [*STORYLINE, "analyze", *(os.fsdecode(os.fspath(i)) for i in inputs), "--db", str(db), *options, *extra]
    full_env = {**os.environ, "STORYLINE_DB": "/nonexistent-dir-should-not-be-used/x.db", "COLUMNS": "200",
                "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [os.fsencode(a) for a in args], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=full_env,
            preexec_fn=_limit(mem_mb),
        )
        timed_out = False
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
        seconds = time.monotonic() - start
        with contextlib.suppress(ProcessLookupError):  # leftover workers of a killed or crashed run
            os.killpg(proc.pid, signal.SIGKILL)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "surrogateescape")
        stderr = err.read().decode("utf-8", "surrogateescape")
    peak = (usage.ru_maxrss / 1024) if usage else 0.0  # KB on Linux
    return Run(args, None if timed_out else proc.returncode, seconds, peak, stdout, stderr, timed_out)


def case_id(case: Case) -> str:
    """The unique id part of a case's key ("c123" or "s01")."""
    m = re.search(r"(?:^|/)([cs]\d{2,3})[-/]", case.key)
    return m.group(1) if m else case.key


def naming_lines(case: Case, lines: list[str]) -> list[str]:
    """The lines that name ``case`` (every printable piece of one of its names on the line)."""
    return [ln for ln in lines if any(names and all(p in ln for p in names) for names in case.names)]


def has_reason(case: Case, line: str) -> bool:
    """After the last piece of the name, a colon and some words of reason."""
    for names in case.names:
        if names and all(p in line for p in names):
            tail = line[line.rindex(names[-1]) + len(names[-1]):]
            if re.search(r":\s*\S", tail):
                return True
    return False


def mangled_lines(case: Case, lines: list[str]) -> list[str]:
    """Lines that seem to be about ``case`` (its id in a path) without naming it as written."""
    cid = case_id(case)
    group = case.key.split("/", 1)[0]
    return [ln for ln in lines if f"{group}/{cid}" in ln and not naming_lines(case, [ln])]


def stored_titles_and_texts(db: Path) -> tuple[set[str], list[str]]:
    """Titles and texts of every article in the store, read through the storyline API."""
    from storyline.store import Store

    if not Path(db).exists():
        return set(), []
    with Store(db) as store:
        titles = {s.title for s in store.sources() if s.title}
        texts = [a.text for aid in store.article_ids() if (a := store.article(aid)) is not None]
    return titles, texts


def judge(case: Case, run: Run, mode: str, titles: set[str], texts: list[str]) -> list[str]:
    """What went wrong for ``case`` in ``run`` ("alone": the case was the only input; "walk": in a folder
    batch, where global problems (crash, exit code) are judged once for the batch)."""
    problems: list[str] = []
    expect = case.expect if mode == "alone" else case.walk
    if mode == "alone":
        if run.timed_out:
            return [f"hang (killed after {run.seconds:.0f}s)"]
        if run.crashed:
            problems.append(f"crash ({', '.join(run.exceptions) or 'no exception named'}; exit {run.rc})")
        if ESC in run.output:
            problems.append("raw ESC in output")
    skipped = run.skipped_lines
    named = naming_lines(case, skipped)
    for line in named:
        if not has_reason(case, line):
            problems.append(f"named without a reason: {line.strip()[:160]!r}")
            break
    if expect == GOOD:
        if case.title and case.title not in titles:
            problems.append(f"good article not stored (title {case.title!r})")
        if named:
            problems.append(f"good article rejected: {named[0].strip()[:160]!r}")
    elif expect == REJECT and not named and not (mode == "alone" and run.crashed):
        mangled = mangled_lines(case, run.lines)
        if mangled:
            problems.append(f"named wrongly (markup/escapes mangled): {mangled[0].strip()[:160]!r}")
        elif mode == "alone" and run.rc == 0:
            problems.append("accepted, expected to be rejected with a reason")
        else:
            problems.append("rejected input not named in the output")
    elif expect == EITHER and mode == "alone" and not named and run.rc not in (0, None) and not run.crashed:
        mangled = mangled_lines(case, run.lines)
        problems.append("not stored and not named" + (f" (mangled: {mangled[0].strip()[:120]!r})" if mangled else ""))
    # a symlink named explicitly on the command line may be read; through a walk, a manifest or an XML
    # entity, text from outside the folder never
    if case.forbidden and (mode == "walk" or case.kind != "symlink") and any(case.forbidden in t for t in texts):
        problems.append("stored text read from outside the folder")
    if mode == "alone" and run.peak_mb > 2048:
        problems.append(f"memory: peak {run.peak_mb:.0f} MB")
    return problems


def stray_lines(run: Run) -> list[str]:
    """stderr lines that are neither a 'skipped' line nor blank: library noise, warnings, tracebacks."""
    return [ln for ln in run.stderr.split("\n") if ln.strip() and not ln.lstrip().lower().startswith("skipped")]


if __name__ == "__main__":  # pragma: no cover - a quick look: python tests/fuzzcorpus.py FOLDER [--big]
    from collections import Counter

    target = Path(sys.argv[1])
    made = generate(target, big="--big" in sys.argv, specials="--specials" in sys.argv)
    print(f"{len(made)} cases in {target}")
    for (kind, expect), n in sorted(Counter((c.kind, c.expect) for c in made).items()):
        print(f"  {kind:10} {expect:7} {n}")
