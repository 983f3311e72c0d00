"""What the reader never states as fact or as a coming event: one list, shared by every view.

``Mistakes(dossier)`` collects the cited words the cross-check found wrong or out of date:

* ``error``       the words of a flagged error (a sitting official called "former", an administration "set
                  to take office" that the office terms show in office or gone, a lone rival name or day);
* ``losing``      a side of a *decided* conflict other than the side the corpus supports (an undecided
                  conflict has no losing side: both are shown as a dispute, never here);
* ``superseded``  an earlier, lower value of a running total whose latest day agrees with itself ("over 80"
                  once "at least 114" is reported later).

``why(citations)`` gives the reason one of them overlaps the given citations (None when none does):
the briefing, what comes next (web page, report) and ``ask`` use it, so a sentence held back in one place is
held back everywhere.  Nothing is removed from the dossier: every candidate stays in its section, with the
reason shown where the reader looks for it.  Overlap tests are logarithmic in the number of spans.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from storyline.reader.problems import as_citation
from storyline.records import Citation

__all__ = ["Mistakes", "Spans"]


class Spans:
    """Citation ranges per source, each with a label, for overlap tests in logarithmic time."""

    def __init__(self) -> None:
        self._raw: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._sorted: dict[str, tuple[list[int], list[int]]] = {}

    def add(self, c: Mapping[str, Any] | Citation, label: str = "") -> None:
        c = as_citation(c)
        self._raw[c.source].append((c.start, c.end, label))
        self._sorted.pop(c.source, None)

    def extend(self, other: Spans) -> None:
        for source, spans in other._raw.items():
            self._raw[source].extend(spans)
            self._sorted.pop(source, None)

    def spans(self, source: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _label in self._raw.get(source, ())]

    def _index(self, source: str) -> tuple[list[int], list[int]]:
        if source not in self._sorted:
            spans = self._raw[source]
            spans.sort()
            ends, run = [], 0
            for _s, e, _label in spans:
                run = max(run, e)
                ends.append(run)  # running maximum of the ends, for a binary search
            self._sorted[source] = ([s for s, _e, _label in spans], ends)
        return self._sorted[source]

    def overlaps(self, c: Citation) -> bool:
        return self.label(c) is not None

    def label(self, c: Citation) -> str | None:
        """The label of the first span (by start) overlapping ``c``, None when none does."""
        if not self._raw.get(c.source):
            return None
        starts, ends = self._index(c.source)
        i = bisect_left(starts, c.end)  # spans starting before the citation ends
        if i == 0 or ends[i - 1] <= c.start:
            return None
        for s, e, label in self._raw[c.source][:i]:
            if e > c.start and s < c.end:
                return label
        return None  # pragma: no cover - the running maximum says one overlaps


class Mistakes:
    """The cited words never stated as fact or as coming, with the reason for each."""

    KINDS = ("error", "losing", "superseded")

    def __init__(self, dossier: Mapping[str, Any]) -> None:
        self.spans = Spans()  # every kind, for the briefing
        self._by_kind = {kind: Spans() for kind in self.KINDS}
        for e in dossier.get("errors") or []:
            why = f"it holds a flagged error ({e.get('id')})"
            for c in e.get("citations") or []:
                self._add("error", c, why)
        for x in dossier.get("conflicts") or []:
            likely = x.get("likely")
            if likely is None:
                continue
            why = f"it states a side that the sources contradict ({x.get('id')}: {x.get('about') or 'conflict'})"
            for i, side in enumerate(x.get("sides") or []):
                if i != likely:
                    for c in side.get("citations") or []:
                        self._add("losing", c, why)
        for fs in dossier.get("series") or []:
            for c in superseded(fs, self.spans):
                self._add("superseded", c, f"it gives an earlier value of {fs.get('what') or 'a running figure'}, since "
                                  "superseded")

    def of_kind(self, *kinds: str) -> Spans:
        """A copy of the spans of the given kinds."""
        out = Spans()
        for k in kinds:
            out.extend(self._by_kind[k])
        return out

    def _add(self, kind: str, c: Mapping[str, Any] | Citation, why: str) -> None:
        self.spans.add(c, why)
        self._by_kind[kind].add(c, why)

    def why(self, citations: Iterable[Mapping[str, Any] | Citation], kinds: Iterable[str] = KINDS) -> str | None:
        """Why one of ``citations`` may not be stated as fact or as coming (None when none is held); only
        the given ``kinds`` count (a date answer cites a sentence with an old toll in it without stating it)."""
        spans = [self._by_kind[k] for k in kinds]
        for c in citations:
            c = as_citation(c)
            for sp in spans:
                label = sp.label(c)
                if label is not None:
                    return label
        return None


def superseded(series: Mapping[str, Any], wrong: Spans | None = None) -> list[Mapping[str, Any]]:
    """The citations of a running total's earlier, lower values once its latest day agrees with itself.

    Points citing words already in ``wrong`` are left out first (an error is not the latest value)."""
    if not series.get("cumulative"):
        return []
    points = [p for p in series.get("points") or [] if p.get("citations") and p.get("as_of")]
    if wrong is not None:
        points = [p for p in points if not any(wrong.overlaps(as_citation(c)) for c in p["citations"])]
    if len(points) < 2:
        return []
    last_day = max(p["as_of"] for p in points)
    latest = {(p["value"], p.get("value_high")) for p in points if p["as_of"] == last_day}
    if len(latest) != 1:
        return []  # the latest day disagrees with itself: that is a conflict, not a trajectory
    top = next(iter(latest))[0]
    return [c for p in points if p["value"] < top for c in p["citations"]]
