"""Span arithmetic: build a derived text while remembering where each character came from.

``TextBuilder`` assembles a cleaned text from pieces of an original text (kept
verbatim, replaced, or inserted).  The resulting ``OffsetMap`` maps any span of
the cleaned text back to the smallest span of the original text that produced
it, so a citation can always quote the original characters exactly.
"""

from __future__ import annotations

import difflib
from array import array


class OffsetMap:
    """Maps cleaned-text offsets to original-text offsets.

    For cleaned character ``i``, ``starts[i]`` and ``ends[i]`` give the original
    range it came from.  Characters inserted from nowhere borrow the range of a
    neighbour (zero width at the position where they were inserted).
    """

    __slots__ = ("_starts", "_ends", "_orig_len")

    def __init__(self, starts: array, ends: array, orig_len: int) -> None:
        if len(starts) != len(ends):
            raise ValueError("starts and ends differ in length")
        self._starts = starts
        self._ends = ends
        self._orig_len = orig_len

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(array("q", range(length)), array("q", range(1, length + 1)), length)

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def original_length(self) -> int:
        return self._orig_len

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering cleaned [start, end)."""
        n = len(self._starts)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span [{start}, {end}) outside cleaned text of length {n}")
        if start == end:
            pos = self._starts[start] if start < n else self._orig_len
            return pos, pos
        ostart = min(self._starts[start:end])
        oend = max(self._ends[start:end])
        return ostart, oend

    def to_list(self) -> list[list[int]]:
        """Compact, JSON-able run-length form: [[clean_start, orig_start, orig_end_delta, length], ...]."""
        runs: list[list[int]] = []
        for i in range(len(self._starts)):
            s, e = self._starts[i], self._ends[i]
            if runs:
                cs, os_, width, ln = runs[-1]
                if width == 1 and e - s == 1 and s == os_ + ln and i == cs + ln:
                    runs[-1][3] += 1
                    continue
            runs.append([i, s, e - s, 1])
        return runs

    @classmethod
    def from_list(cls, runs: list[list[int]], orig_len: int) -> OffsetMap:
        starts = array("q")
        ends = array("q")
        for _cs, os_, width, ln in runs:
            if width == 1:
                starts.extend(range(os_, os_ + ln))
                ends.extend(range(os_ + 1, os_ + ln + 1))
            else:
                starts.extend([os_] * ln)
                ends.extend([os_ + width] * ln)
        return cls(starts, ends, orig_len)


class TextBuilder:
    """Builds a cleaned text from an original, tracking provenance per character."""

    def __init__(self, original: str) -> None:
        self.original = original
        self._parts: list[str] = []
        self._starts = array("q")
        self._ends = array("q")
        self._last_end = 0

    def __len__(self) -> int:
        return len(self._starts)

    def keep(self, start: int, end: int) -> None:
        """Copy original[start:end] unchanged."""
        if not 0 <= start <= end <= len(self.original):
            raise ValueError(f"bad original range [{start}, {end})")
        if start == end:
            return
        self._parts.append(self.original[start:end])
        self._starts.extend(range(start, end))
        self._ends.extend(range(start + 1, end + 1))
        self._last_end = end

    def replace(self, start: int, end: int, new: str) -> None:
        """Emit ``new`` in place of original[start:end], aligning unchanged characters exactly."""
        if not 0 <= start <= end <= len(self.original):
            raise ValueError(f"bad original range [{start}, {end})")
        old = self.original[start:end]
        if old == new:
            self.keep(start, end)
            return
        if not new:
            self._last_end = end
            return
        if not old:
            self.insert(new, at=start)
            self._last_end = max(self._last_end, end)
            return
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                self._parts.append(new[j1:j2])
                self._starts.extend(range(start + i1, start + i2))
                self._ends.extend(range(start + i1 + 1, start + i2 + 1))
            elif tag in ("replace", "insert"):
                length = j2 - j1
                self._parts.append(new[j1:j2])
                if i2 > i1:
                    self._starts.extend([start + i1] * length)
                    self._ends.extend([start + i2] * length)
                else:  # pure insertion: zero-width at the insertion point
                    self._starts.extend([start + i1] * length)
                    self._ends.extend([start + i1] * length)
            # "delete": nothing emitted
        self._last_end = end

    def insert(self, new: str, at: int | None = None) -> None:
        """Emit text that has no original (e.g. a paragraph break): zero-width provenance."""
        if not new:
            return
        pos = self._last_end if at is None else at
        self._parts.append(new)
        self._starts.extend([pos] * len(new))
        self._ends.extend([pos] * len(new))
        self._last_end = max(self._last_end, pos)

    def build(self) -> tuple[str, OffsetMap]:
        text = "".join(self._parts)
        assert len(text) == len(self._starts)
        return text, OffsetMap(self._starts, self._ends, len(self.original))
