"""Follow feeds and folders: what is new since the last pass.

``Watcher.poll`` visits each source once and returns the inputs worth ingesting (paths for
:func:`storyline.ingest.ingest.iter_articles`) plus one reason per source that failed:

* an RSS/Atom feed URL is fetched with a conditional GET (``If-None-Match`` with the last ``ETag``,
  ``If-Modified-Since`` with the last ``Last-Modified``); a 304 or an unchanged body means nothing new;
  a changed body is spooled to a file next to the state and read by the ordinary feed reader (entries
  already in the store are reused there, not re-extracted).  Requests to one host are spaced at least
  ``delay`` seconds apart; one URL gets ``timeout`` seconds in all and at most ``max_bytes`` of body.
* a folder yields its files (not hidden) that are new or changed (size or modification time) since the
  last pass; a single file is watched the same way.

The state (validators, body hashes, file stamps) is a small JSON file (``WatchState``) that also carries
opaque sections for other layers (the story profiles of :mod:`storyline.crosscheck.assign`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storyline.errors import FetchError, InputError
from storyline.ingest.ingest import (
    _PER_READ_TIMEOUT,
    _USER_AGENT,
    DEFAULT_MAX_BYTES,
    check_response,
    fetch_errors,
    grow,
)
from storyline.text import printable

__all__ = ["DEFAULT_DELAY", "Watcher", "WatchState", "Poll", "parse_every"]

DEFAULT_DELAY = 1.0  # seconds between two requests to one host
_MANIFESTS = (
    "manifest.csv",
    "manifest.jsonl",
)  # a folder's manifest is not an article; watch does not read it
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """Seconds in an interval like ``"90s"``, ``"10m"``, ``"2h"``, ``"1d"`` or ``"30"`` (seconds)."""
    v = value.strip().lower()
    num, unit = (v[:-1], v[-1]) if v and v[-1] in _UNITS else (v, "s")
    try:
        seconds = float(num) * _UNITS[unit]
    except ValueError as exc:
        raise InputError(value, "not an interval (use e.g. 30s, 10m, 2h)") from exc
    if not seconds > 0 or seconds != seconds:
        raise InputError(value, "the interval must be more than 0")
    return seconds


def _is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class WatchState:
    """What earlier passes saw, kept in a JSON file (``path``); ``extra`` holds other layers' sections."""

    path: Path
    feeds: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, list[int]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                path, dict(data.get("feeds", {})), dict(data.get("files", {})), dict(data.get("extra", {}))
            )
        except (OSError, ValueError, AttributeError) as exc:
            raise InputError(str(path), f"unreadable watch state ({exc.__class__.__name__})") from exc

    def save(self) -> None:
        """Write atomically (a temporary file renamed over the old one)."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        data = {"feeds": self.feeds, "files": self.files, "extra": self.extra}
        tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

    @property
    def spool(self) -> Path:
        return self.path.with_name(self.path.name + ".spool")


@dataclass(slots=True)
class Poll:
    """One pass: inputs to ingest, failures (source, reason) and per-source notes (source, what happened)."""

    inputs: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Fetched:
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


class Watcher:
    """Polls feeds and folders; ``sleep`` and ``clock`` are injectable (tests record the politeness waits)."""

    def __init__(
        self,
        state: WatchState,
        *,
        delay: float = DEFAULT_DELAY,
        timeout: float = 30.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.state, self.delay, self.timeout, self.max_bytes = state, delay, timeout, max_bytes
        self.sleep, self.clock = sleep, clock
        self.last_hit: dict[str, float] = {}

    def poll(self, sources: list[str]) -> Poll:
        out = Poll()
        for src in sources:
            try:
                if _is_url(src):
                    self._feed(src, out)
                else:
                    self._folder(Path(src), out)
            except InputError as exc:
                out.failures.append((exc.source, exc.reason))
        return out

    # ------------------------------------------------------------------ feeds

    def _polite(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self.last_hit.get(host)
        if last is not None:
            wait = last + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_hit[host] = self.clock()

    def _feed(self, url: str, out: Poll) -> None:
        known = self.state.feeds.get(url, {})
        self._polite(url)
        got = self.fetch(url, known.get("etag"), known.get("last_modified"))
        if got.status == 304:
            out.notes.append((url, "not modified"))
            return
        digest = hashlib.sha256(got.body).hexdigest()
        entry = {"sha256": digest}
        entry.update({k: v for k, v in (("etag", got.etag), ("last_modified", got.last_modified)) if v})
        self.state.feeds[url] = entry
        if known.get("sha256") == digest:
            out.notes.append((url, "unchanged"))
            return
        self.state.spool.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(url.encode("utf-8")).hexdigest()[:16] + ".xml"
        spooled = self.state.spool / name
        spooled.write_bytes(got.body)
        out.inputs.append(str(spooled))
        out.notes.append((url, "changed"))

    def fetch(self, url: str, etag: str | None = None, modified: str | None = None) -> Fetched:
        """A conditional GET of ``url`` within ``timeout`` seconds in all and ``max_bytes`` of body."""
        import httpx

        shown = printable(url)
        headers = {"User-Agent": _USER_AGENT}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        deadline = self.clock() + self.timeout
        per_read = min(self.timeout, _PER_READ_TIMEOUT)
        with (
            fetch_errors(shown, per_read),
            httpx.Client(follow_redirects=True, timeout=per_read, headers=headers) as client,
            client.stream("GET", url) as resp,
        ):
            if resp.status_code == 304:
                return Fetched(304, etag=etag, last_modified=modified)
            check_response(resp, shown, self.max_bytes)
            buf = bytearray()
            for chunk in resp.iter_bytes():
                grow(buf, chunk, shown, self.max_bytes)
                if self.clock() > deadline:
                    raise FetchError(
                        shown, f"timed out after {self.timeout:g}s (the time allowed for one URL)"
                    )
            h = resp.headers
            return Fetched(resp.status_code, bytes(buf), h.get("etag"), h.get("last-modified"))

    # ------------------------------------------------------------------ folders

    def _folder(self, root: Path, out: Poll) -> None:
        shown = printable(str(root))
        if not root.exists():
            raise InputError(shown, "no such file or folder")
        if root.is_file():
            st = root.stat()
            files = [(str(root), str(root.resolve()), [st.st_size, st.st_mtime_ns])]
        else:
            files = [f for f in _folder_files(str(Path(root))) if os.path.basename(f[0]) not in _MANIFESTS]
        fresh = 0
        for path, key, stamp in files:
            if self.state.files.get(key) != stamp:
                self.state.files[key] = stamp
                out.inputs.append(path)
                fresh += 1
        out.notes.append((shown, f"{fresh} new or changed file{'s' * (fresh != 1)}"))


def _folder_files(root: str) -> list[tuple[str, str, list[int]]]:
    """The regular files under ``root`` (not in or named like hidden ``.x`` folders and files, not inside
    linked folders), as (path, real path, [size, mtime_ns]), in ``sorted(Path.rglob)`` order.  One ``stat``
    a file, and one ``realpath`` a folder (a linked file gets its own): 20,000 files in about 0.2 s."""
    import stat as st_mode

    found: list[tuple[tuple[str, ...], str, str, list[int]]] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, root)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        real = os.path.realpath(folder)
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:  # gone, or a broken link
                continue
            if not st_mode.S_ISREG(info.st_mode):
                continue
            key = os.path.realpath(path) if os.path.islink(path) else os.path.join(real, name)
            found.append(((*parts, name), path, key, [info.st_size, info.st_mtime_ns]))
    found.sort(key=lambda f: f[0])
    return [(path, key, stamp) for _parts, path, key, stamp in found]
