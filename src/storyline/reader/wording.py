"""How numbers and counts read in sentences: one place for the briefing, answers, pages and reports."""

from __future__ import annotations

import math
import re
from typing import Any

_WS = re.compile(r"\s+")


def one_line(text: str | None) -> str:
    """Text on one line: runs of whitespace become one space."""
    return _WS.sub(" ", text or "").strip()


def format_number(v: float | int) -> str:
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def figure_value(f: dict[str, Any]) -> str:
    """'at least 83 people', '80–90 vessels', '12 percent'."""
    num = format_number(f["value"])
    if f.get("value_high") is not None:
        num = f"{num}–{format_number(f['value_high'])}"
    parts = [f.get("qualifier"), num, f.get("unit")]
    return " ".join(p for p in parts if p)


def plural(n: int, word: str) -> str:
    """'1 event', '3 events', '2 stories'."""
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"
