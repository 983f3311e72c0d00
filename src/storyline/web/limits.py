"""Limits on what the web app takes in: the size of a POST, the rate of problem reports, numbers in URLs.

Everything here is refused before the store is touched, with a one-line page:

* a POST body over ``WriteLimits.body`` bytes (declared or streamed): 413;
* a form field over its length in ``FIELD_LIMITS`` (characters, after trimming), or a form that is not
  ``application/x-www-form-urlencoded`` UTF-8 (415 / 400);
* more than ``WriteLimits.reports`` report attempts from one client address within ``WriteLimits.window``
  seconds: 429 with ``Retry-After``.  The count lives in memory (one app, one process) and uses an injectable
  clock, so tests are deterministic;
* a page number, report id or span offset outside its range (``MAX_PAGE``, ``MAX_ID``, ``MAX_OFFSET``): 400.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qsl

from starlette.requests import Request

__all__ = [
    "FIELD_LIMITS",
    "MAX_ID",
    "MAX_OFFSET",
    "MAX_PAGE",
    "RateLimiter",
    "Refusal",
    "WriteLimits",
    "field_error",
    "parse_span",
    "read_form",
]

MAX_ID = 2**63 - 1  # the largest SQLite INTEGER: a report id above it cannot exist
MAX_PAGE = 100_000  # ?page=: far more pages than any store holds
MAX_OFFSET = 10**9  # a span offset: far longer than any article
MAX_FORM_FIELDS = 20
# the longest value (characters, after trimming) of each form field; an answer's form carries all of its
# citations (a running-figure answer can cite one sentence per earlier value), hence the large ones
FIELD_LIMITS: Mapping[str, int] = MappingProxyType({
    "key": 300,
    "category": 40,
    "comment": 2000,
    "note": 2000,
    "status": 20,
    "token": 200,
    "back": 2000,
    "text": 20_000,
    "citations": 200_000,
})  # fmt: skip
_SPAN = re.compile(r"([0-9]{1,10})-([0-9]{1,10})")


@dataclass(frozen=True, slots=True)
class WriteLimits:
    """How much the write path takes: ``body`` bytes per POST, at most ``reports`` report attempts per
    client address within ``window`` seconds (``reports=None`` lifts the rate limit, e.g. for a load test)."""

    body: int = 256 * 1024
    reports: int | None = 10
    window: float = 60.0
    fields: Mapping[str, int] = field(default_factory=lambda: FIELD_LIMITS)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is not taken: the HTTP status and the one line to show."""

    status: int
    line: str
    headers: Mapping[str, str] = field(default_factory=dict)


class RateLimiter:
    """At most ``limit`` events per key within a sliding ``window`` of seconds, in memory.

    ``hit(key)`` counts an event and returns 0.0, or returns the seconds until the key may try again (the
    refused event is not counted).  At most ``max_keys`` keys are tracked: the least recently seen is
    forgotten first, so a flood of addresses cannot grow memory without bound."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000
    ) -> None:
        self.limit, self.window = max(1, limit), max(window, 0.001)
        self.clock, self.max_keys = clock, max(1, max_keys)
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        now = self.clock()
        with self._lock:
            events = self._events.pop(key, None) or deque()
            while events and events[0] <= now - self.window:
                events.popleft()
            self._events[key] = events  # most recently seen last
            if len(self._events) > self.max_keys:
                self._events.popitem(last=False)
            if len(events) >= self.limit:
                return max(events[0] + self.window - now, 0.001)
            events.append(now)
            return 0.0

    def refusal(self, key: str) -> Refusal | None:
        """A 429 refusal when ``key`` is over its limit (else None, and the event is counted)."""
        wait = self.hit(key)
        if not wait:
            return None
        seconds = max(1, math.ceil(wait))
        line = (f"Too many reports from your address: at most {self.limit} in {self.window:g} seconds. "
                f"Try again in {seconds} s.")
        return Refusal(429, line, {"Retry-After": str(seconds)})


async def read_form(request: Request, limit: int) -> dict[str, str] | Refusal:
    """The URL-encoded form of a POST, read without ever holding more than ``limit`` bytes of its body."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return Refusal(413, f"Request too large: at most {limit:,} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return Refusal(413, f"Request too large: at most {limit:,} bytes.")
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/x-www-form-urlencoded" and (body or kind):
        return Refusal(415, "Send the form as application/x-www-form-urlencoded.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS,
                          errors="strict")
    except UnicodeDecodeError:
        return Refusal(400, "The form is not UTF-8 text.")
    except ValueError:
        return Refusal(400, f"The form has more than {MAX_FORM_FIELDS} fields.")
    return dict(pairs)


def field_error(form: Mapping[str, str], limits: Mapping[str, int]) -> str | None:
    """The first field longer than its limit, as a one-line reason (None when every field fits)."""
    for name, value in form.items():
        most = limits.get(name)
        if most is not None and len(value.strip()) > most:
            return f"{name}: at most {most:,} characters"
    return None


def parse_span(span: str) -> tuple[int, int] | None:
    """``"START-END"`` character offsets (0 <= START < END <= MAX_OFFSET), else None."""
    m = _SPAN.fullmatch(span)
    if m is None:
        return None
    a, b = int(m[1]), int(m[2])
    return (a, b) if a < b <= MAX_OFFSET else None
