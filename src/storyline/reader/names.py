"""Source names a reader can use: "Reuters, 17 Nov", never a hash id, a section label or a headline.

A source's *name* (:func:`outlet_name`) is its outlet: the manifest's or the page's site name when that is a
name (:func:`storyline.ingest.outlets.clean_outlet`: not a section label such as "World", not a URL, not a
hash, not a headline), else a name made from its URL's host ("Reuters", "example.co.uk"), else "Source s3"
by its short ref.  Its *label* (:func:`source_label`) adds the day it was published: "Reuters, 17 Nov"
("Reuters, 17 Nov 2025" with ``year=True``; "Reuters, Nov 2025" when only the month is known; the name
alone when no date is).  :class:`SourceNames` labels every source of a story at once: with the year when
the story's sources span more than one calendar year, and with a number ("Reuters, 17 Nov (2)") or the time
("Reuters, 17 Nov, 14:05") where two sources would otherwise read the same.

Hash ids belong to machine output only (JSON, CSV, links); every sentence, lead-in and tooltip meant for
readers names a source through this module.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storyline.ingest.outlets import clean_outlet, host_outlet

__all__ = ["UNNAMED", "UNKNOWN", "outlet_name", "date_label", "source_label", "SourceNames", "names_of"]

UNNAMED = "Unnamed source"  # a source with no name, no URL and no ref
UNKNOWN = "Unknown source"  # a source id the story does not hold
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?\b.*")
_REF = re.compile(r"s[1-9]\d*")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def outlet_name(source: Mapping[str, Any]) -> str:
    """The outlet's name: the stored outlet when it is a name, else one from the URL's host, else
    "Source s3" (its ref), else "Unnamed source".  Never the source's hash id."""
    name = clean_outlet(_text(source.get("outlet")), _text(source.get("title")))
    if name:
        return name
    for url in (source.get("url"), source.get("origin")):
        if _is_url(url) and (host := host_outlet(url)):
            return host
    ref = source.get("ref")
    if isinstance(ref, str) and _REF.fullmatch(ref):
        return f"Source {ref}"
    return UNNAMED


def date_label(published: Any, *, year: bool = False, time: bool = False) -> str | None:
    """'2025-11-17' -> '17 Nov' ('17 Nov 2025' with ``year``; '17 Nov, 14:05' with ``time`` when the value
    has one); '2025-11' -> 'Nov 2025'; '2025' -> '2025'; None for no date or one that is no date."""
    m = _DATE.fullmatch(published) if isinstance(published, str) else None
    if not m:
        return None
    y, month, day, hour, minute = m.groups()
    if month is None:
        return y
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        return f"{_MONTHS[int(month) - 1]} {y}"
    text = f"{int(day)} {_MONTHS[int(month) - 1]}" + (f" {y}" if year else "")
    return text + (f", {hour}:{minute}" if time and hour is not None else "")


def source_label(source: Mapping[str, Any], *, year: bool = False, time: bool = False) -> str:
    """'Reuters, 17 Nov': :func:`outlet_name` and :func:`date_label` of when it was published."""
    name = outlet_name(source)
    when = date_label(source.get("published"), year=year, time=time)
    return f"{name}, {when}" if when else name


def _natural(ref: Any) -> tuple[int, str]:
    text = str(ref or "")
    return (int(text[1:]), text) if _REF.fullmatch(text) else (1 << 30, text)


class SourceNames:
    """Names and labels of a story's sources, by source id; no two sources share a label."""

    def __init__(self, sources: Iterable[Mapping[str, Any]]) -> None:
        self.by_id: dict[str, Mapping[str, Any]] = {str(s["id"]): s for s in sources if s.get("id")}
        years = {m[1] for s in self.by_id.values() if (m := _DATE.fullmatch(str(s.get("published") or "")))}
        self.year = len(years) > 1
        self.names = {sid: outlet_name(s) for sid, s in self.by_id.items()}
        self.labels = self._unique({sid: source_label(s, year=self.year) for sid, s in self.by_id.items()})

    def _groups(self, labels: Mapping[str, str]) -> list[list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for sid, label in labels.items():
            groups[label].append(sid)
        return [sorted(ids, key=self._order) for ids in groups.values() if len(ids) > 1]

    def _order(self, source_id: str) -> tuple[str, tuple[int, str]]:
        s = self.by_id[source_id]
        return str(s.get("published") or "~"), _natural(s.get("ref"))

    def _unique(self, labels: dict[str, str]) -> dict[str, str]:
        """Same labels told apart: by the time of day when the sources give different ones, else "(2)",
        "(3)" after the second and later (in order of publication, then ref)."""
        for ids in self._groups(labels):
            timed = {sid: source_label(self.by_id[sid], year=self.year, time=True) for sid in ids}
            if len(set(timed.values())) > 1:
                labels.update(timed)
        for ids in self._groups(labels):
            for n, sid in enumerate(ids[1:], 2):
                labels[sid] = f"{labels[sid]} ({n})"
        return labels

    def name(self, source_id: str) -> str:
        """The outlet's name ("Reuters"); "Unknown source" for an id the story does not hold."""
        return self.names.get(source_id, UNKNOWN)

    def label(self, source_id: str) -> str:
        """The source's label, unique in the story ("Reuters, 17 Nov"); "Unknown source" for an unknown id."""
        return self.labels.get(source_id, UNKNOWN)

    def ref(self, source_id: str) -> str:
        """The short ref ("s3"); "s?" for an unknown id."""
        s = self.by_id.get(source_id)
        return str(s.get("ref") or "s?") if s else "s?"


_LAST: list[tuple[Sequence[Mapping[str, Any]], int, SourceNames]] = []


def names_of(sources: Sequence[Mapping[str, Any]]) -> SourceNames:
    """:class:`SourceNames` of a dossier's ``sources`` list, kept for the list last asked about (the same
    list object and length), so that labelling every sentence of one story builds them once."""
    last = _LAST[0] if _LAST else None
    if last is not None and last[0] is sources and last[1] == len(sources):
        return last[2]
    names = SourceNames(sources)
    _LAST[:] = [(sources, len(sources), names)]
    return names
