"""A maintainer's corrections: the right speaker of a quote, the right value of a figure, the right date of an
event, what-comes-next entry or claim.

A correction is stored (``Store.add_correction``) with the story, the item's key, the field, the value
before and after, a note, who made it and when.  It never touches the analysis: the stored dossier sections
keep what the sources say and every candidate value, and the source text and citations are unchanged.
It is applied on top of the dossier whenever what a reader sees is derived from it
(:func:`apply_corrections`): the briefing and page view when a story is saved, analysed again or
refreshed, and the dossier a question is answered from.  Every shown item that holds the corrected
statement carries a ``"corrected"`` list (:func:`mark_view`) so pages show a visible "corrected" mark
with the value it replaced.

The corrected item is found by its key, else (after re-analysis changed the item) by an item of the same
kind whose primary citation shares at least half of the shorter span with the key's
(:func:`storyline.reader.problems.overlaps`).  A correction whose item is gone is kept in the log and
applies again when the item comes back.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.errors import ProblemReportError
from storyline.extract.dates import is_absolute_date
from storyline.reader.problems import (
    DERIVED_KINDS,
    SECTION_OF_KIND,
    STATEMENT_KINDS,
    as_citation,
    item_citations,
    item_key,
    item_text,
    overlaps,
    parse_key,
)
from storyline.reader.wording import figure_value

__all__ = [
    "FIELDS",
    "MAX_VALUE",
    "Correction",
    "apply_corrections",
    "check_value",
    "current_value",
    "decision_entry",
    "describe",
    "fields_for",
    "find_corrected",
    "mark_view",
]

FIELDS: dict[str, tuple[str, ...]] = {
    "speaker": ("quote",),
    "value": ("figure",),
    "date": ("event", "next", "claim"),
}
MAX_VALUE = 200  # characters of a corrected value
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored correction (see the module docstring)."""

    id: int
    story: str
    item_key: str
    item_kind: str
    item_text: str
    field: str
    before: str
    after: str
    note: str | None
    by: str
    at: str  # ISO 8601 UTC
    problem: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Correction:
        return cls(**{k: row[k] for k in cls.__slots__})  # type: ignore[attr-defined]

    def entry(self) -> dict[str, Any]:
        """What a shown item's "corrected" list holds."""
        return {"id": self.id, "field": self.field, "before": self.before, "after": self.after,
                "note": self.note, "by": self.by, "at": self.at}  # fmt: skip


def fields_for(kind: str) -> tuple[str, ...]:
    """The fields a maintainer can correct on an item of ``kind`` (none for most kinds)."""
    return tuple(f for f, kinds in FIELDS.items() if kind in kinds)


def check_value(kind: str, field: str, value: str) -> str:
    """The corrected value as stored: one line, checked for the field; ProblemReportError when it is not one."""
    if field not in FIELDS:
        raise ProblemReportError(f"field {field!r}: use one of {', '.join(FIELDS)}")
    if kind not in FIELDS[field]:
        allowed = ", ".join(fields_for(kind)) or "nothing"
        raise ProblemReportError(f"a {kind} has no {field} to correct (a {kind} can correct: {allowed})")
    value = " ".join(str(value).split())
    if not value:
        raise ProblemReportError(f"{field}: the right value is missing")
    if len(value) > MAX_VALUE:
        raise ProblemReportError(f"{field}: at most {MAX_VALUE} characters")
    if field == "value" and not _NUMBER.match(value):
        raise ProblemReportError(f"value {value!r}: give the number, e.g. 1,250 or 12.5 (the unit stays)")
    if field == "date" and (not is_absolute_date(value) or len(value) not in _PRECISION):
        raise ProblemReportError(f"date {value!r}: give a calendar date, YYYY-MM-DD, YYYY-MM or YYYY")
    return value


def current_value(kind: str, item: Mapping[str, Any], field: str) -> str:
    """The value an item shows for ``field`` now (what a correction replaces)."""
    if field == "speaker":
        return str((item.get("speaker") or {}).get("name") or "unknown speaker")
    if field == "value":
        return figure_value(dict(item))
    key = {"event": "date", "next": "when", "claim": "date"}[kind]
    return str(item.get(key) or "no date")


# --------------------------------------------------------------------------- finding the item


def _primary(kind: str, item: Mapping[str, Any]) -> tuple[str, int, int] | None:
    cites = item_citations(kind, item)
    if not cites:
        return None
    c = as_citation(cites[0])
    return c.source, c.start, c.end


def find_corrected(dossier: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    """The dossier item a key names: the one with that key, else the same kind's item whose primary
    citation overlaps the key's span (see the module docstring); None when there is none."""
    kind, source, start, end = parse_key(key)
    section = dossier.get(SECTION_OF_KIND.get(kind, "")) or []
    near = None
    for item in section:
        place = _primary(kind, item)
        if place is None:
            continue
        if place == (source, start, end):
            return item
        if near is None and place[0] == source and overlaps(place[1], place[2], start, end):
            near = item
    return near


# --------------------------------------------------------------------------- applying


def _number(value: str) -> float | int:
    x = float(value.replace(",", ""))
    return int(x) if x.is_integer() else x


def _set_speaker(dossier: Mapping[str, Any], quote: dict[str, Any], name: str) -> None:
    entity = next((e["id"] for e in dossier.get("entities") or []
                   if str(e.get("name") or "").casefold() == name.casefold()), None)  # fmt: skip
    was = quote.get("speaker") or {}
    quote["speaker"] = {"name": name, "entity": entity, "as_written": was.get("as_written")}


def _set_value(dossier: Mapping[str, Any], figure: dict[str, Any], value: str) -> None:
    """The figure's value, and the value of every running-figure point that cites the same words."""
    number = _number(value)
    figure["value"], figure["value_high"] = number, None
    place = _primary("figure", figure)
    for series in dossier.get("series") or []:
        for point in series.get("points") or []:
            for c in map(as_citation, point.get("citations") or []):
                if place and c.source == place[0] and overlaps(c.start, c.end, place[1], place[2]):
                    point["value"], point["value_high"] = number, None
                    break


def _set_date(kind: str, item: dict[str, Any], date: str) -> None:
    if kind == "event":
        item["date"], item["precision"] = date, _PRECISION.get(len(date), item.get("precision"))
    elif kind == "next":
        item["when"] = date
    else:
        item["date"] = date


def apply_corrections(dossier: Mapping[str, Any], corrections: Iterable[Correction]) -> dict[str, Any]:
    """A copy of ``dossier`` with the corrections applied in the order they were made (the last one of a
    field wins); the sections they touch are copied, the rest shared.  Unknown items are skipped."""
    fixes = sorted(corrections, key=lambda c: c.id)
    out = dict(dossier)
    if not fixes:
        return out
    for name in {SECTION_OF_KIND[c.item_kind] for c in fixes if c.item_kind in SECTION_OF_KIND} | {"series"}:
        if name in out:
            out[name] = copy.deepcopy(out[name])
    for c in fixes:
        item = find_corrected(out, c.item_key) if c.item_kind in SECTION_OF_KIND else None
        if item is None or c.item_kind not in FIELDS.get(c.field, ()):
            continue
        if c.field == "speaker":
            _set_speaker(out, item, c.after)
        elif c.field == "value":
            _set_value(out, item, c.after)
        else:
            _set_date(c.item_kind, item, c.after)
    return out


# --------------------------------------------------------------------------- marking shown items


@dataclass(frozen=True, slots=True)
class _Mark:
    kind: str
    key: str
    source: str
    start: int
    end: int
    entries: tuple[dict[str, Any], ...]


def _marks(dossier: Mapping[str, Any], corrections: Sequence[Correction]) -> list[_Mark]:
    by_key: dict[str, list[Correction]] = {}
    for c in sorted(corrections, key=lambda c: c.id):
        by_key.setdefault(c.item_key, []).append(c)
    marks = []
    for key, fixes in by_key.items():
        kind = fixes[0].item_kind
        item = find_corrected(dossier, key) if kind in SECTION_OF_KIND else None
        place = _primary(kind, item) if item is not None else None
        if place is None:
            continue
        now_key = item_key(kind, item_citations(kind, item))  # type: ignore[arg-type]
        marks.append(_Mark(kind, now_key, *place, tuple(c.entry() for c in fixes)))
    return marks


def _marked(item: Mapping[str, Any], marks: Sequence[_Mark]) -> list[dict[str, Any]]:
    kind = item.get("kind")
    entries: list[dict[str, Any]] = []
    for m in marks:
        if item.get("key") == m.key:
            entries.extend(m.entries)
            continue
        if kind != m.kind and not (kind in DERIVED_KINDS and m.kind in STATEMENT_KINDS):
            continue
        for cite in item.get("cites") or ():
            if cite[0] == m.source and overlaps(int(cite[1]), int(cite[2]), m.start, m.end):
                entries.extend(m.entries)
                break
    return entries


def mark_view(view: Any, dossier: Mapping[str, Any], corrections: Sequence[Correction]) -> Any:
    """Give every shown item of a page view (any dict with "kind", "key" and "cites" positions, at any depth)
    that holds a corrected statement a ``"corrected"`` list of its corrections, oldest first.  In place;
    returns ``view``."""
    marks = _marks(dossier, corrections)
    if not marks:
        return view
    stack = [view]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "key" in node and "cites" in node and "kind" in node:
                entries = _marked(node, marks)
                if entries:
                    node["corrected"] = entries
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return view


def describe(kind: str, item: Mapping[str, Any]) -> str:
    """The one-line text of a corrected item for the log."""
    return item_text(kind, item)[:2000]


def decision_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row of the public corrections log (``Store.decisions``) with what readers saw before and after:
    a suppressed item's text before and "hidden" after; a correction's value before and after."""
    action, text, prev = row["action"], row["item_text"], row.get("prev")
    if action == "corrected":
        before, after = row["before"], row["after"]
    elif action == "suppressed":
        before, after = text, "hidden"
    elif prev == "suppressed":  # resolved or reopened after a suppression: shown again
        before, after = "hidden", text
    elif action == "resolved":
        before, after = text, "kept as it was (resolved)"
    else:
        before, after = prev or "reported", "open again"
    return {**row, "before": before, "after": after}
