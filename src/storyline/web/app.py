"""The local web app (``storyline serve``): stories, their cited briefing, sources, questions, problem reports.

Server-rendered with Jinja2 (autoescape on everywhere: all article text is untrusted) and readable without
JavaScript.  Every response carries a strict Content-Security-Policy (no inline script or style at all), and
POSTs from another origin are refused.  The store is opened per request (sqlite connections belong to one
thread) and closed after it.  The story page reads only the precomputed "view" section, the story's
problem reports and the related stories, so it stays fast for a story of a thousand articles.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from storyline.errors import NotFoundError, ProblemReportError, StoreError, StorylineError
from storyline.reader.briefing import human_date
from storyline.reader.corrections import apply_corrections, fields_for, mark_view
from storyline.reader.names import date_label, outlet_name
from storyline.reader.problems import (
    CATEGORIES,
    SECTION_OF_KIND,
    STATUSES,
    as_citation,
    decline_key,
    find_item,
    is_suppressed,
    item_key,
    parse_key,
)
from storyline.reader.views import (
    TAB_SECTIONS,
    TABS,
    VIEW_VERSION,
    anchor_id,
    fallback_top,
    filter_error,
    item_anchor,
    section_page,
)
from storyline.records import Citation
from storyline.store import Store, is_url
from storyline.web.limits import (
    MAX_ID,
    MAX_OFFSET,
    MAX_PAGE,
    RateLimiter,
    Refusal,
    WriteLimits,
    field_error,
    parse_span,
    read_form,
)

__all__ = [
    "CSP",
    "MAINTAINER_COOKIE",
    "PROBLEMS_PAGE_SIZE",
    "SECURITY_HEADERS",
    "WriteLimits",
    "create_app",
    "maintainer_token",
    "maintainer_url",
    "render_source_text",
]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
log = logging.getLogger(__name__)
PAGE_SIZE = 50
PROBLEMS_PAGE_SIZE = 50
MAX_QUESTION = 500
_UNSENT_SOURCE_KEYS = ("text", "furniture", "origin")  # the JSON answer names its sources, not their bodies
WARM_WAIT_S = 3.0  # a question asked while the sentence model loads waits this long, then uses word matching
MAINTAINER_COOKIE = "storyline_maintainer"
# sections a source page scans for the spans the story cites from that source
_CITING_SECTIONS = ("claims", "events", "quotes", "figures", "conflicts", "errors", "series", "next")


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=4096)
def _q(part: str) -> str:
    return quote(part)


def _source_href(story_id: str, src: str, start: int, end: int, *, span: bool = False) -> str:
    base = f"/stories/{_q(story_id)}/sources/{_q(src)}"
    return f"{base}?span={start}-{end}#{anchor_id(start, end)}" if span else f"{base}#{anchor_id(start, end)}"


def _cites_of(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"source": s, "start": a, "end": b} for s, a, b in item.get("cites") or []]


def _collect_citations(data: Any, source: str, out: set[tuple[int, int]]) -> None:
    """Every citation of ``source`` anywhere in a decoded dossier section."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("source") == source and isinstance(node.get("start"), int) and isinstance(
                node.get("end"), int
            ):
                out.add((node["start"], node["end"]))
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def _collect_all_citations(data: Any, out: dict[str, set[tuple[int, int]]]) -> None:
    """Every citation anywhere in a decoded dossier section, by source."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            src, start, end = node.get("source"), node.get("start"), node.get("end")
            if isinstance(src, str) and isinstance(start, int) and isinstance(end, int):
                out.setdefault(src, set()).add((start, end))
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def render_source_text(
    text: str,
    cited: Iterable[tuple[int, int]],
    dropped: Iterable[tuple[int, int]] = (),
    focus: tuple[int, int] | None = None,
) -> Markup:
    """The article body as escaped HTML: ``dropped`` ranges (page furniture) left out, every cited span
    highlighted in ``<mark>`` (the first piece of each span carries its anchor id ``c-<start>-<end>``);
    ``focus`` is highlighted more strongly.  Offsets index ``text``."""
    n = len(text)
    spans = sorted({(max(0, a), min(n, b)) for a, b in cited if 0 <= a < b <= n}, key=lambda s: (s[0], -s[1]))
    if focus is not None and not (0 <= focus[0] < focus[1] <= n):
        focus = None
    if focus is not None and focus not in spans:
        spans.append(focus)
        spans.sort(key=lambda s: (s[0], -s[1]))
    cuts = sorted((max(0, a), min(n, b)) for a, b in dropped if a < b)
    bounds = {0, n}
    for a, b in spans:
        bounds.update((a, b))
    for a, b in cuts:
        bounds.update((a, b))
    points = sorted(bounds)
    starts: dict[int, list[tuple[int, int]]] = {}
    for s in spans:
        starts.setdefault(s[0], []).append(s)
    out: list[str] = []
    active: list[tuple[int, int]] = []
    after_cut = False
    last = ""
    for a, b in zip(points, points[1:], strict=False):
        active = [s for s in active if s[1] > a] + starts.get(a, [])
        if any(c0 <= a and b <= c1 for c0, c1 in cuts):
            after_cut = True  # furniture: not part of the article body
            continue
        here = starts.get(a, [])
        if focus is not None and focus in here:  # the requested span carries the visible highlight
            here = [focus] + [s for s in here if s != focus]
        ids = [anchor_id(*s) for s in here]
        raw = text[a:b]
        if after_cut and not active and last.endswith("\n"):
            raw = raw.lstrip("\n")  # no run of blank lines where a furniture line was
        after_cut = False
        if raw:
            last = raw
        piece = str(escape(raw))
        if not active:
            out.append(piece)
            continue
        classes = "cited" + (" focus" if focus is not None and focus[0] <= a and b <= focus[1] else "")
        classes += " deep" if len(active) > 1 else ""
        extra = "".join(f'<mark class="anchor" id="{i}"></mark>' for i in ids[1:])
        head = f' id="{ids[0]}"' if ids else ""
        out.append(f'{extra}<mark class="{classes}"{head}>{piece}</mark>')
    return Markup("".join(out))


def _markers_of(citations: Iterable[Citation], refs: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Marker dicts (as in the view) for Citation records, e.g. an answer's: one per source, its first
    citation (a source cited for a sentence and for its date words gets one marker)."""
    out = []
    seen: set[str] = set()
    for c in citations:
        if c.source in seen:
            continue
        seen.add(c.source)
        info = (refs or {}).get(c.source) or {}
        ref = info.get("ref") or c.source[:8]
        text = " ".join(c.text.split())
        name = info.get("label") or f"{info.get('outlet') or 'Unknown source'}, {info.get('published') or 'date unknown'}"
        tip = f"{ref} · {name}: “{text[:220]}”"
        out.append({"ref": ref, "src": c.source, "s": c.start, "e": c.end, "t": tip})
    return out


def _short_date(value: Any) -> str:
    """'2025-11-17...' -> '17 Nov' (:func:`names.date_label`; other text as it is, '' for none)."""
    return date_label(value) or str(value or "")


def _cite_label(m: Mapping[str, Any], refs: Mapping[str, Any] | None) -> str:
    """A citation link's accessible name: "Source s3: Reuters, 17 Nov" (the refs entry's label, else outlet
    and date; else what the marker's tooltip says)."""
    info = (refs or {}).get(str(m.get("src"))) or {}
    label = m.get("label") or info.get("label")
    if not label and info:
        label = ", ".join(x for x in (info.get("outlet"), _short_date(info.get("published"))) if x)
    if not label:  # tooltip: "s3 · outlet · date: “text”"
        parts = str(m.get("t") or "").split(" · ")
        label = ", ".join(x for x in (parts[1] if len(parts) > 2 else "", _short_date(
            parts[2].split(":", 1)[0] if len(parts) > 2 else "")) if x and x != "date unknown")
    return f"Source {m['ref']}: {label}" if label else f"Source {m['ref']}"


def _cite_html(
    story_id: str, markers: Iterable[Mapping[str, Any]], more: int = 0, span: bool = False,
    refs: Mapping[str, Any] | None = None,
) -> Markup:  # fmt: skip
    """Citation markers: ``[s3]`` links to the cited words on the source page (small, muted; a 44 px tap
    area; an accessible name that says which source it opens)."""
    parts = ['<span class="cites">']
    for m in markers:
        href = _source_href(story_id, str(m["src"]), int(m["s"]), int(m["e"]), span=span)
        parts.append(
            f'<a class="cite" href="{escape(href)}" title="{escape(m["t"])}" '
            f'aria-label="{escape(_cite_label(m, refs))}">[{escape(m["ref"])}]</a>'
        )
    if more:
        parts.append(f'<span class="more-cites">+{int(more)}</span>')
    parts.append("</span>")
    return Markup("".join(parts))


def _badge_html(key: str, open_keys: set[str] | frozenset[str]) -> Markup:
    if key not in open_keys:
        return Markup("")
    return Markup(
        '<span class="badge reported" title="A reader reported a problem with this item; '
        'a maintainer will look at it">reported</span>'
    )


_OPTIONS = "".join(f'<option value="{c}">{c.replace("-", " ")}</option>' for c in CATEGORIES)


def _report_href(story_id: str, key: str, back: str, citations: str | None = None, text: str | None = None) -> str:
    params = {"key": key, "back": back, "citations": citations, "text": text}
    return f"/stories/{quote(story_id)}/report?" + urlencode({k: v for k, v in params.items() if v is not None})


def _report_html(
    story_id: str,
    key: str,
    back: str,
    confirm: Any = None,
    citations: str | None = None,
    text: str | None = None,
) -> Markup:
    """The "report" control of an item: a small link to the one report page, the item's identity in the
    link (and a confirmation when this item's report was just recorded)."""
    note = ""
    if confirm is not None and getattr(confirm, "item_key", None) == key:
        note = f'<span class="confirm" role="status">Thank you: your report #{int(confirm.id)} was recorded.</span> '
    href = _report_href(story_id, key, back, citations, text)
    return Markup(f'{note}<a class="report-link" href="{escape(href)}" rel="nofollow">report</a>')


def _corrected_html(item: Mapping[str, Any]) -> Markup:
    """The visible "corrected" mark of a shown item a maintainer corrected (nothing for other items): the
    field, the value it replaced and the note; the public corrections log has the rest."""
    entries = item.get("corrected") if isinstance(item, Mapping) else None
    if not entries:
        return Markup("")
    said = "; ".join(f"{e.get('field')}: was “{e.get('before')}”, now “{e.get('after')}”"
                     + (f" ({e.get('note')})" if e.get("note") else "") for e in entries)  # fmt: skip
    return Markup(
        f'<a class="badge corrected" href="/corrections" title="{escape(said)}">corrected</a>'
        f'<span class="corrected-note"> {escape(said)}</span>'
    )


def _local_host(host: str) -> bool:
    """Whether a Host header names this machine by address or as localhost (not a DNS name that a remote
    site could point at 127.0.0.1).  "testserver" is the name Starlette's test client sends."""
    name = urlsplit(f"//{host}").hostname or ""
    if name in ("localhost", "testserver") or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _cross_site(origin: str | None, host: str, fetch_site: str | None) -> bool:
    """Whether a POST comes from another site.  Browsers send ``Origin: null`` for form posts from a page
    with ``Referrer-Policy: no-referrer``, so a null origin passes only with ``Sec-Fetch-Site: same-origin``."""
    if fetch_site in ("cross-site", "same-site"):
        return True
    if origin is None:
        return False
    if origin == "null":
        return fetch_site != "same-origin"
    return urlsplit(origin).netloc != host


def _safe_back(back: str | None, story_id: str) -> str:
    """A same-site path inside the story to return to (never an open redirect)."""
    default = f"/stories/{quote(story_id)}"
    if not back or not back.startswith("/stories/") or "//" in back or "\\" in back:
        return default
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or not parts.path.startswith(default):
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _posted_citations(raw: str) -> list[Citation] | None:
    """The citations an answer's report form posts (a JSON list of {source, start, end, text}), or None when
    they are not that: offsets must be whole numbers from 0 to MAX_OFFSET (that they cite the article's words
    is checked when the report is stored)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, list):
        return None
    out = []
    for c in data:
        if not isinstance(c, dict) or not isinstance(c.get("source"), str) or not isinstance(c.get("text", ""), str):
            return None
        offsets = (c.get("start"), c.get("end"))
        if not all(type(x) is int and 0 <= x <= MAX_OFFSET for x in offsets):  # not bool, not float
            return None
        out.append(as_citation(c))
    return out


def _with_query(path: str, **params: Any) -> str:
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in params]
    query += [(k, str(v)) for k, v in params.items() if v is not None]
    return parts.path + ("?" + urlencode(query) if query else "")


# --------------------------------------------------------------------------- app


def _same_token(given: str | None, token: str | None) -> bool:
    """Whether ``given`` is the maintainer token (constant-time; any text, never an exception)."""
    if not token or not given:
        return False
    return secrets.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


class _State:
    def __init__(
        self, db: str | Path, maintainer: bool, embedder: Any, token: str | None, limits: WriteLimits,
        clock: Callable[[], float],
    ) -> None:  # fmt: skip
        self.db = db
        self.maintainer = maintainer
        self.token = (token or secrets.token_urlsafe(32)) if maintainer else None
        self.limits = limits
        self.reports = None if limits.reports is None else RateLimiter(limits.reports, limits.window, clock)
        self.embedder = embedder  # None: not loaded (yet); False: lexical only; else an embedder object
        self.lock = threading.Lock()
        self.ready = threading.Event()  # set once the embedder is loaded (or known to be unavailable)
        if embedder is not None:
            self.ready.set()
        self.warming: threading.Thread | None = None
        self.ask_cache: dict[str, tuple[str, dict]] = {}  # story -> (updated_at, dossier)
        # a story's sentences are encoded once (in the background) and their vectors stored: story -> updated_at
        self.vectors_ready: dict[str, str] = {}
        self.building: dict[str, threading.Event] = {}  # story -> set when its background encoding ends
        self.cited_cache: dict[str, tuple[str, dict[str, set[tuple[int, int]]]]] = {}

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = Store(self.db, pooled=True)  # a PostgreSQL store reuses this process's connections
        try:
            yield store
        except sqlite3.Error as exc:
            raise StoreError(f"{store.path}: cannot read the store ({exc})") from exc
        finally:
            store.close()

    def warm_up(self, stories: int = 0) -> None:
        """Load the embedder in a background thread (once per app), then build the ask index of the
        ``stories`` most recently updated stories; questions asked meanwhile wait at most WARM_WAIT_S."""
        with self.lock:
            if self.warming is not None or self.ready.is_set():
                return
            self.warming = threading.Thread(target=self._load, args=(stories,), name="storyline-warm-up", daemon=True)
            self.warming.start()

    def _load(self, stories: int) -> None:
        from storyline.extract.embed import get_fast_embedder

        try:
            embedder: Any = get_fast_embedder()
        except StorylineError as exc:  # no model on this machine: answer lexically, say so once
            log.warning("questions are answered lexically: %s", exc)
            embedder = False
        except Exception:  # noqa: BLE001 - a warm-up thread must not die silently and leave questions waiting
            log.exception("the sentence model failed to load; questions are answered lexically")
            embedder = False
        with self.lock:
            self.embedder = embedder
        self.ready.set()
        if stories and embedder is not False:
            self._warm_indexes(stories)

    def _warm_indexes(self, stories: int) -> None:
        try:
            with self.store() as store:
                newest = store.stories()[:stories]
        except StorylineError:  # only a head start: the first question builds it again
            log.warning("could not prepare the question index at start", exc_info=True)
            return
        for summary in newest:
            self._start_build(summary.id, summary.updated_at, self.embedder).wait()

    def model_status(self, story_id: str | None = None) -> str:
        """"loading" while the sentence model loads, "indexing" while ``story_id``'s sentences are encoded
        (once per story), "ready" once both are done, "lexical" when questions are answered by word matching
        only (turned off, or no model on this machine)."""
        if not self.ready.is_set():
            return "loading"
        if self.embedder is False:
            return "lexical"
        with self.lock:
            event = self.building.get(story_id) if story_id is not None else None
        return "indexing" if event is not None and not event.is_set() else "ready"

    def get_embedder(self, wait: float | None = None) -> Any:
        """The embedder, starting the warm-up if nothing has; False (lexical answers) when it is off,
        unavailable, or still loading after ``wait`` seconds (default WARM_WAIT_S)."""
        if not self.ready.is_set():
            self.warm_up()
            self.ready.wait(WARM_WAIT_S if wait is None else wait)
        return self.embedder if self.ready.is_set() and self.embedder is not None else False

    def cited_spans(self, store: Store, story_id: str, updated_at: str) -> dict[str, set[tuple[int, int]]]:
        """Every span the story's analysis sections cite, by source (cached until the story is saved again)."""
        with self.lock:
            hit = self.cited_cache.get(story_id)
        if hit is not None and hit[0] == updated_at:
            return hit[1]
        by_source: dict[str, set[tuple[int, int]]] = {}
        for name in _CITING_SECTIONS:
            _collect_all_citations(store.story_section(story_id, name), by_source)
        with self.lock:
            if len(self.cited_cache) >= 8:
                self.cited_cache.pop(next(iter(self.cited_cache)))
            self.cited_cache[story_id] = (updated_at, by_source)
        return by_source

    def answer(self, store: Store, story_id: str, updated_at: str, question: str) -> tuple[Any, Any, dict, Any]:
        """A question answered on a story (the maintainers' suppressions applied): the answer, the index of
        candidate sentences it was found in (drawn from the store's full-text index and stored vectors,
        :func:`storyline.reader.search.question_index`), the dossier, and the embedder it was ranked with
        (False: lexically)."""
        from storyline.reader.ask import answer
        from storyline.reader.search import question_index
        from storyline.reader.stories import suppressions

        dossier = self.dossier(store, story_id, updated_at)
        embedder = self.get_embedder()
        if embedder is not False and not self._vectors_ready(story_id, updated_at):
            self._start_build(story_id, updated_at, embedder).wait(WARM_WAIT_S)
            if not self._vectors_ready(story_id, updated_at):
                embedder = False
        index = question_index(store, story_id, question, embedder=embedder, prepared=True)
        result = answer(question, dossier, index, embedder=embedder, suppressed=suppressions(store, story_id))
        return result, index, dossier, embedder

    def dossier(self, store: Store, story_id: str, updated_at: str) -> dict:
        """The story's stored dossier, cached until the story is saved again."""
        from storyline.reader.stories import load_dossier

        with self.lock:
            hit = self.ask_cache.get(story_id)
        if hit is not None and hit[0] == updated_at:
            return hit[1]
        dossier = load_dossier(store, story_id)
        with self.lock:
            self.ask_cache.pop(story_id, None)
            if len(self.ask_cache) >= 8:
                self.ask_cache.pop(next(iter(self.ask_cache)))
            self.ask_cache[story_id] = (updated_at, dossier)
        return dossier

    def _vectors_ready(self, story_id: str, updated_at: str) -> bool:
        with self.lock:
            return self.vectors_ready.get(story_id) == updated_at

    def _start_build(self, story_id: str, updated_at: str, embedder: Any) -> threading.Event:
        """The event of the story's background encoding of its sentences (those with no stored vector yet),
        starting one unless one is running."""
        with self.lock:
            event = self.building.get(story_id)
            if event is None or event.is_set():
                event = self.building[story_id] = threading.Event()
                threading.Thread(target=self._build_in_background, args=(story_id, updated_at, embedder, event),
                                 name=f"storyline-index-{story_id[:40]}", daemon=True).start()
        return event

    def _build_in_background(self, story_id: str, updated_at: str, embedder: Any, event: threading.Event) -> None:
        from storyline.reader.search import prepare_story

        try:
            with self.store() as store:
                prepare_story(store, story_id, embedder)
                self.dossier(store, story_id, updated_at)
            with self.lock:
                self.vectors_ready[story_id] = updated_at
        except Exception:  # noqa: BLE001 - questions fall back to word matching; the next one tries again
            log.warning("could not prepare the sentences of %s for questions", story_id, exc_info=True)
        finally:
            event.set()

def _day(value: str) -> str | None:
    """``value`` when it is a real calendar date YYYY-MM-DD, else None."""
    if len(value) != 10 or not value[:4].isdigit() or value[4] != "-" or value[7] != "-":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _stamp(value: str | None) -> str:
    """'2026-11-22T04:56:32Z' -> '22 November 2026, 04:56 UTC' (other text as it is)."""
    if not value or len(value) < 16 or value[10] != "T":
        return value or ""
    day = human_date(value[:10])
    return f"{day}, {value[11:16]} UTC" if day != value[:10] else value


@pass_context
def _context_cite(ctx: Any, story_id: str, markers: Iterable[Mapping[str, Any]], more: int = 0,
                  span: bool = False) -> Markup:  # fmt: skip
    """``cite`` in templates: :func:`_cite_html` with the page's source names (``refs``, else ``v.refs``)."""
    refs = ctx.get("refs")
    if not isinstance(refs, Mapping) or not refs:
        refs = (ctx.get("v") or {}).get("refs") if isinstance(ctx.get("v"), Mapping) else None
    return _cite_html(story_id, markers, more, span, refs if isinstance(refs, Mapping) else None)


def _environment(maintainer: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True, enabled_extensions=("j2", "html")),
        lstrip_blocks=True,
    )
    env.globals.update(
        categories=CATEGORIES,
        statuses=STATUSES,
        maintainer=maintainer,
        source_href=_source_href,
        item_anchor=item_anchor,
        markers_of=_markers_of,
        cite=_context_cite,
        badge=_badge_html,
        report=_report_html,
        report_href=_report_href,
        corrected_mark=_corrected_html,
        fields_for=fields_for,
        quote_path=lambda s: quote(str(s)),
        tabs=TABS,
    )
    env.filters["short_date"] = _short_date
    env.filters["human_date"] = human_date
    env.filters["stamp"] = _stamp
    env.filters["pct"] = lambda v: f"{100 * float(v or 0):.0f}"
    env.filters["signed"] = lambda v: f"{float(v or 0):+.2f}"
    return env


def maintainer_token(app: FastAPI) -> str | None:
    """The token a maintainer's decisions must carry (None when the app is not in maintainer mode)."""
    return app.state.storyline.token


def maintainer_url(app: FastAPI, base: str) -> str | None:
    """The address that gives a browser the maintainer's buttons: ``BASE/maintainer?token=...`` (None when
    the app is not in maintainer mode).  ``storyline serve --maintainer`` prints it."""
    token = maintainer_token(app)
    return None if token is None else f"{base.rstrip('/')}/maintainer?{urlencode({'token': token})}"


def _warm_at_start(app: FastAPI, state: _State) -> None:
    """Start loading the sentence model (and the newest story's question index) when the app starts, in a
    background thread: the first question then rarely waits (see ``_State.warm_up``)."""
    from contextlib import asynccontextmanager

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(scope_app: Any) -> Any:
        state.warm_up(stories=1)
        async with inner(scope_app) as value:
            yield value

    app.router.lifespan_context = lifespan


_TITLES = {400: "Bad request", 403: "Refused", 404: "Not found", 413: "Too large", 415: "Unsupported form",
           429: "Too many reports", 500: "Something went wrong"}  # fmt: skip


def create_app(
    db: str | Path,
    *,
    maintainer: bool = False,
    embedder: Any = None,
    token: str | None = None,
    limits: WriteLimits | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """The web app over the store at ``db``.

    ``maintainer``: resolve / suppress / reopen buttons on the problems page, for a browser that opened
    :func:`maintainer_url`; every decision must carry the maintainer token (``token``, else a random one:
    ``app.state.maintainer_token``).  ``embedder``: None loads the default sentence-embedding model on the
    first question (once per app), False answers lexically.  ``limits``: the write path's limits (body size,
    reports per client per window; see :mod:`storyline.web.limits`), counted on ``clock``."""
    from storyline.reader.stories import (
        correct_problem,
        decide_problem,
        related,
        report_problem,
        story_corrections,
        suppressions,
    )

    state = _State(db if is_url(db) else Path(db), maintainer, embedder, token, limits or WriteLimits(), clock)
    env = _environment(maintainer)
    app = FastAPI(title="storyline", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # story pages are large and compress about tenfold
    app.state.storyline = state
    app.state.maintainer_token = state.token

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def error_page(status: int, line: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
        response = page("error.html.j2", status, title=_TITLES.get(status, "Error"), line=line)
        response.headers.update(headers or {})
        return response

    def refused(refusal: Refusal) -> HTMLResponse:
        return error_page(refusal.status, refusal.line, refusal.headers)

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        host = request.headers.get("host", "")
        if not _local_host(host):  # DNS rebinding: a page of another site posing as this address
            return error_page(400, f"Host {host!r} is not served here: open the address storyline serve printed.")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            site = request.headers.get("sec-fetch-site")
            if _cross_site(origin, host, site):
                return error_page(403, f"Refused: a form from another site ({origin or site}) cannot post here.")
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(_request: Request, exc: NotFoundError) -> HTMLResponse:
        return error_page(404, str(exc))

    @app.exception_handler(ProblemReportError)
    async def bad_request(_request: Request, exc: ProblemReportError) -> HTMLResponse:
        return error_page(400, str(exc))

    @app.exception_handler(StorylineError)
    async def storyline_error(_request: Request, exc: StorylineError) -> HTMLResponse:
        return error_page(500, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> HTMLResponse:
        errs = exc.errors()
        where = ".".join(str(p) for p in (errs[0].get("loc") or ())[1:]) if errs else "request"
        return error_page(400, f"{where}: {errs[0].get('msg') if errs else 'invalid'}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == 404:
            return error_page(404, f"No page {request.url.path}")
        return error_page(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(_request: Request, exc: Exception) -> HTMLResponse:
        return error_page(500, f"Internal error ({type(exc).__name__}); the server log has the details.")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # ----------------------------------------------------------------- pages

    def require_story(store: Store, story_id: str) -> Any:
        summary = store.story(story_id)
        if summary is None:
            raise NotFoundError(f"No story {story_id!r} in this store.")
        return summary

    def load_view(store: Store, story_id: str) -> dict:
        view = store.story_section(story_id, "view")
        if isinstance(view, dict) and view.get("version") == VIEW_VERSION:
            return view
        from storyline.reader.stories import refresh_briefing

        refresh_briefing(store, story_id)  # an older view: rebuild the briefing and view (corrections applied)
        return store.story_section(story_id, "view") or {}

    @app.get("/", response_class=HTMLResponse)
    def story_list() -> HTMLResponse:
        with state.store() as store:
            stories = store.stories()
            open_counts = store.problem_counts(status="open")
        return page("index.html.j2", stories=stories, open_counts=open_counts, title="Stories")

    def shown_fn(sup: Any) -> Callable[[Mapping[str, Any]], bool]:
        def shown(item: Mapping[str, Any]) -> bool:
            return not sup or not is_suppressed(item["kind"], _cites_of(item), sup)

        return shown

    def confirmed(store: Store, story_id: str, reported: int | None) -> Any:
        confirm = store.problem(reported) if reported else None
        return confirm if confirm is not None and confirm.story == story_id else None

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(
        story_id: str,
        reported: int | None = Query(None, ge=1, le=MAX_ID),
        since: str | None = Query(None, max_length=40),
    ) -> HTMLResponse:
        if since is not None and _day(since) is None:
            return error_page(400, f"since {since[:40]!r}: expected a date YYYY-MM-DD")
        with state.store() as store:
            summary = require_story(store, story_id)
            view = load_view(store, story_id)
            sup = suppressions(store, story_id)
            open_keys = store.problem_keys(story_id, status="open")
            rel = related(store, story_id)
            confirm = confirmed(store, story_id, reported)
        top = view.get("top") if isinstance(view.get("top"), dict) else fallback_top(view)
        changes = None if since is None else [c for c in top.get("changes") or []
                                              if str(c.get("first_seen") or "")[:10] > since]
        return page(
            "story.html.j2", title=view.get("title") or summary.title, story=summary, v=view, top=top,
            shown=shown_fn(sup), open_keys=open_keys, related=rel, confirm=confirm, n_open=len(open_keys),
            back=f"/stories/{quote(story_id)}", since=since, changes=changes, tab_name="top",
        )

    def tab_route(name: str) -> Callable[..., HTMLResponse]:
        def tab_page(
            story_id: str,
            page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
            source: str | None = Query(None, max_length=200),
            speaker: str | None = Query(None, max_length=300),
            status: str | None = Query(None, max_length=40),
            reported: int | None = Query(None, ge=1, le=MAX_ID),
        ) -> HTMLResponse:
            filters = {"source": source, "speaker": speaker, "status": status}
            with state.store() as store:
                summary = require_story(store, story_id)
                view = load_view(store, story_id)
                fixes = story_corrections(store, story_id)
                dossier = {n: store.story_section(story_id, n) for n in ("sources", "series", *TAB_SECTIONS[name])}
                dossier = apply_corrections(dossier, fixes)  # a maintainer's corrections show on every tab
                sup = suppressions(store, story_id)
                open_keys = store.problem_keys(story_id, status="open")
                confirm = confirmed(store, story_id, reported)
            why = filter_error(dossier, name, filters)
            if why is not None:
                return error_page(400, why)
            hidden = (lambda kind, cites: is_suppressed(kind, cites, sup)) if sup else None
            data = mark_view(section_page(dossier, name, page_no, filters, hidden), dossier, fixes)
            path = f"/stories/{quote(story_id)}/{name}"

            def href(**changes: Any) -> str:
                params = {**data["filters"], "page": None, **changes}
                return _with_query(path, **{k: v for k, v in params.items() if v not in (None, 1)})

            return page(
                "tab.html.j2", title=f"{TABS[name]}: {view.get('title') or summary.title}", story=summary, v=view,
                tab=data, tab_name=name, href=href, back=href(page=data["page"]), open_keys=open_keys,
                confirm=confirm, shown=lambda _item: True,
            )

        tab_page.__name__ = f"{name}_page"
        return tab_page

    for _name in TABS:
        app.get(f"/stories/{{story_id}}/{_name}", response_class=HTMLResponse)(tab_route(_name))

    @app.get("/stories/{story_id}/report", response_class=HTMLResponse)
    def report_page(
        story_id: str,
        key: str = Query(..., min_length=1, max_length=400),
        back: str = Query("", max_length=2000),
        citations: str | None = Query(None, max_length=20000),
        text: str | None = Query(None, max_length=5000),
    ) -> HTMLResponse:
        try:
            kind = parse_key(key)[0]
        except ValueError:
            return error_page(400, f"key {key[:60]!r}: not an item key")
        with state.store() as store:
            summary = require_story(store, story_id)
            name = "briefing" if kind == "briefing" else SECTION_OF_KIND.get(kind)
            section = store.story_section(story_id, name) if name else None
            found = find_item(key, section) if section else None
            refs = (store.story_section(story_id, "view") or {}).get("refs") or {}
        item_text = found.text if found is not None else text
        if item_text is None:
            raise NotFoundError(f"No item {key[:60]!r} in story {story_id!r}.")
        markers = _markers_of(found.citations, refs)[:5] if found is not None else []  # as an item shows them
        return page(
            "report.html.j2", title=f"Report a problem: {summary.title}", story=summary, key=key, kind=kind,
            back=_safe_back(back, story_id), citations=citations, text=text, item_text=item_text,
            markers=markers, refs=refs, options=Markup(_OPTIONS),
        )

    @app.get("/stories/{story_id}/sources", response_class=HTMLResponse)
    def sources_page(story_id: str, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                     q: str | None = None) -> HTMLResponse:
        query = " ".join(q.split()) if q is not None else None
        if query is not None and len(query) > MAX_QUESTION:
            return error_page(400, f"q: at most {MAX_QUESTION} characters")
        hits: list[Any] = []
        with state.store() as store:
            summary = require_story(store, story_id)
            if query:
                from storyline.reader.search import search_sources

                hits = search_sources(store, query, story_id=story_id, limit=PAGE_SIZE)
            ids = store.story_article_ids(story_id)
            wanted = set(ids)
            rows = [s for s in store.sources() if s.id in wanted]
            quality = {q.get("source"): q for q in store.story_section(story_id, "quality") or []}
            view = load_view(store, story_id)
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        page_no = min(max(1, page_no), pages)
        shown_rows = rows[(page_no - 1) * PAGE_SIZE : page_no * PAGE_SIZE]
        return page(
            "sources.html.j2", title=f"Sources of {summary.title}", story=summary, rows=shown_rows,
            quality=quality, refs=view.get("refs") or {}, v=view, page_no=page_no, pages=pages, total=len(rows),
            tab_name="sources", q=query or None, hits=hits, max_query=MAX_QUESTION,
        )

    @app.get("/stories/{story_id}/sources/{article_id}", response_class=HTMLResponse)
    def source_page(story_id: str, article_id: str, span: str | None = None) -> HTMLResponse:
        focus = parse_span(span) if span else None
        if span and focus is None:
            return error_page(400, f"span {span[:40]!r}: expected START-END character offsets, START < END")
        with state.store() as store:
            summary = require_story(store, story_id)
            if article_id not in store.story_article_ids(story_id):
                raise NotFoundError(f"No source {article_id!r} in story {story_id!r}.")
            article = store.article(article_id)
            if article is None:
                raise NotFoundError(f"No source {article_id!r} in this store.")
            loaded = store.load(article_id)
            removed = list(loaded[0].removed) if loaded is not None else []
            cited = set(state.cited_spans(store, story_id, summary.updated_at).get(article_id, ()))
            _collect_citations(store.story_section(story_id, "briefing"), article_id, cited)  # changes on suppression
            quality = next(
                (q for q in store.story_section(story_id, "quality") or [] if q.get("source") == article_id), None
            )
            refs = (store.story_section(story_id, "view") or {}).get("refs") or {}
        if focus is not None and focus[1] > len(article.text):
            return error_page(400, f"span {span!r}: past the end of this source ({len(article.text):,} characters)")
        body = render_source_text(article.text, cited, [(r.start, r.end) for r in removed], focus)
        ref = (refs.get(article_id) or {}).get("ref")
        outlet = outlet_name({"outlet": article.outlet, "title": article.title, "url": article.url, "ref": ref})
        return page(
            "source.html.j2", title=article.title or outlet, story=summary, outlet=outlet,
            article=article, body=body, removed=removed, quality=quality, ref=ref, n_cited=len(cited),
        )

    @app.get("/stories/{story_id}/ask", response_class=HTMLResponse)
    def ask_page(story_id: str, q: str = "", reported: int | None = Query(None, ge=1, le=MAX_ID)) -> HTMLResponse:
        question = " ".join(q.split())
        if len(question) > MAX_QUESTION:
            return error_page(400, f"question: at most {MAX_QUESTION} characters")
        result = None
        refs: dict[str, Any] = {}
        with state.store() as store:
            summary = require_story(store, story_id)
            confirm = store.problem(reported) if reported else None
            if question:
                result = state.answer(store, story_id, summary.updated_at, question)[0]
                refs = (store.story_section(story_id, "view") or {}).get("refs") or {}
        answer_form = None
        if result is not None and result.answered and result.citations:
            answer_form = {
                "key": item_key("answer", result.citations),
                "citations": json.dumps(
                    [{"source": c.source, "start": c.start, "end": c.end, "text": c.text} for c in result.citations]
                ),
                "text": result.text,
            }
        elif result is not None and not result.answered:  # a wrong "the sources do not say" can be reported too
            answer_form = {"key": decline_key(story_id, question), "citations": None, "text": question}
        return page(
            "ask.html.j2", title=f"Ask: {summary.title}", story=summary, question=question, result=result,
            refs=refs, answer_form=answer_form, confirm=confirm if confirm and confirm.story == story_id else None,
            back=_with_query(f"/stories/{quote(story_id)}/ask", q=question or None),
        )

    async def take_form(request: Request) -> dict[str, str] | HTMLResponse:
        form = await read_form(request, state.limits.body)
        if isinstance(form, Refusal):
            return refused(form)
        reason = field_error(form, state.limits.fields)
        return error_page(400, reason) if reason else form

    @app.post("/stories/{story_id}/problems")
    async def post_problem(story_id: str, request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        over = state.reports.refusal(client) if state.reports is not None else None
        if over is not None:
            return refused(over)
        form = await take_form(request)
        if isinstance(form, Response):
            return form
        key, category, comment = form.get("key", ""), form.get("category", ""), form.get("comment", "")
        text, raw = form.get("text"), form.get("citations")
        citations = _posted_citations(raw) if raw else []
        if citations is None:
            return error_page(400, "citations: expected a JSON list of {source, start, end, text}, offsets 0-10^9")
        if not key:
            return error_page(400, "key: which item is reported is missing")
        back = _safe_back(form.get("back", ""), story_id)

        def store_it() -> Any:  # in a worker thread: a write waiting on the store's lock never blocks the app
            with state.store() as store:
                return report_problem(store, story_id, key, category, comment, citations=citations, text=text)

        problem = await run_in_threadpool(store_it)
        target = _with_query(back, reported=problem.id) + "#" + item_anchor(key)
        return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)

    def is_maintainer(request: Request) -> bool:
        return _same_token(request.cookies.get(MAINTAINER_COOKIE), state.token)

    @app.get("/maintainer")
    def maintainer_login(token: str = Query("", max_length=200)) -> Response:
        if not state.maintainer:
            return error_page(403, "This app is not in maintainer mode (storyline serve --maintainer).")
        if not _same_token(token, state.token):
            return error_page(403, "Refused: open the maintainer address storyline serve printed.")
        response = RedirectResponse("/problems", status_code=303, headers=SECURITY_HEADERS)
        response.set_cookie(MAINTAINER_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    @app.get("/problems", response_class=HTMLResponse)
    def problems_page(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        with state.store() as store:
            total = store.count_problems()
            pages = max(1, -(-total // PROBLEMS_PAGE_SIZE))
            page_no = min(page_no, pages)
            problems = store.problems(limit=PROBLEMS_PAGE_SIZE, offset=(page_no - 1) * PROBLEMS_PAGE_SIZE)
            log = store.problem_log(problem_ids=[p.id for p in problems])
            titles = {s.id: s.title for s in store.stories()}
            refs = {}
            for sid in {p.story for p in problems}:
                view = store.story_section(sid, "view") if sid in titles else None
                refs[sid] = (view or {}).get("refs") or {}
        token = state.token if state.maintainer and is_maintainer(request) else None
        return page("problems.html.j2", title="Problem reports", problems=problems, log=log, titles=titles,
                    refs=refs, token=token, page_no=page_no, pages=pages, total=total)

    async def maintainer_form(request: Request, what: str) -> dict[str, str] | Response:
        """A maintainer's posted form, or the refusal: not in maintainer mode, over a limit, no token."""
        if not state.maintainer:
            return error_page(403, f"Only a maintainer can {what} (start the app in maintainer mode).")
        form = await take_form(request)
        if isinstance(form, Response):
            return form
        if not _same_token(form.get("token"), state.token):
            return error_page(403, f"Refused: only a maintainer can {what}; the form needs the maintainer token.")
        return form

    async def decided(problem_id: int, act: Callable[[Store], Any]) -> Response:
        """Run a maintainer's decision on the store (in a worker thread), then back to the report's place."""

        def run() -> int:
            with state.store() as store:
                act(store)
                return store.newer_problems(problem_id)

        newer = await run_in_threadpool(run)
        where = "/problems" + (f"?page={newer // PROBLEMS_PAGE_SIZE + 1}" if newer >= PROBLEMS_PAGE_SIZE else "")
        return RedirectResponse(f"{where}#p-{problem_id}", status_code=303, headers=SECURITY_HEADERS)

    @app.post("/problems/{problem_id}")
    async def post_decision(problem_id: Annotated[int, PathParam(ge=1, le=MAX_ID)], request: Request) -> Response:
        form = await maintainer_form(request, "decide reports")
        if isinstance(form, Response):
            return form
        status, note = form.get("status", ""), form.get("note", "").strip() or None
        return await decided(problem_id, lambda store: decide_problem(store, problem_id, status, note))

    @app.post("/problems/{problem_id}/correct")
    async def post_correction(problem_id: Annotated[int, PathParam(ge=1, le=MAX_ID)], request: Request) -> Response:
        form = await maintainer_form(request, "correct items")
        if isinstance(form, Response):
            return form
        field, value, note = form.get("field", ""), form.get("value", ""), form.get("note", "").strip() or None
        return await decided(problem_id, lambda store: correct_problem(store, problem_id, field, value, note=note))

    @app.get("/corrections", response_class=HTMLResponse)
    def corrections_page(
        page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), story: str | None = Query(None, max_length=80)
    ) -> HTMLResponse:
        from storyline.reader.corrections import decision_entry

        with state.store() as store:
            titles = {s.id: s.title for s in store.stories()}
            total = store.count_decisions(story)
            pages = max(1, -(-total // PROBLEMS_PAGE_SIZE))
            page_no = min(page_no, pages)
            offset = (page_no - 1) * PROBLEMS_PAGE_SIZE
            rows = [decision_entry(r) for r in store.decisions(story, limit=PROBLEMS_PAGE_SIZE, offset=offset)]
        return page("corrections.html.j2", title="Corrections", rows=rows, titles=titles, story=story,
                    page_no=page_no, pages=pages, total=total)

    # ----------------------------------------------------------------- fast answers (JSON; `storyline ask`)

    _warm_at_start(app, state)
    env.globals["model_status"] = state.model_status

    @app.get("/api/stories/{story_id}/ask")
    def ask_json(story_id: str, q: str = "") -> Response:
        """A question answered as JSON: the answer (text, kind, citations, passages), "ranking" (embeddings or
        lexical), "model" (loading / indexing / ready / lexical), the cited sources' dossier entries, the "serve"
        id of this process (``storyline ask`` checks it against the store's discovery file)."""
        from fastapi.responses import JSONResponse

        from storyline.reader.ask import answer_to_dict

        def reply(status: int, body: dict[str, Any]) -> Response:
            return JSONResponse(body, status_code=status, headers=SECURITY_HEADERS)

        question = " ".join(q.split())
        if not question:
            return reply(400, {"error": "q: the question is empty"})
        if len(question) > MAX_QUESTION:
            return reply(400, {"error": f"q: at most {MAX_QUESTION} characters"})
        with state.store() as store:
            summary = store.story(story_id)
            if summary is None:
                return reply(404, {"error": f"No story {story_id!r} in this store."})
            result, index, dossier, embedder = state.answer(store, story_id, summary.updated_at, question)
        lexical = embedder is False or getattr(index, "vectors", None) is None
        cited = {c.source for c in result.citations} | {p.citation.source for p in result.passages}
        return reply(200, {
            "story": story_id, **answer_to_dict(result), "ranking": "lexical" if lexical else "embeddings",
            "model": state.model_status(story_id), "serve": getattr(app.state, "serve_id", None),
            "sources": {s["id"]: {k: v for k, v in s.items() if k not in _UNSENT_SOURCE_KEYS}
                        for s in dossier.get("sources") or [] if s.get("id") in cited},
        })

    return app
