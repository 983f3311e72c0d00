"""Where on a street: "the 5300 block of Noon Road" in one article, "the 5000 block of Noon Road" in another.

US local coverage places an incident by the block of a street, as the police release gives it.  Two
sources that put the same incident in different blocks of the same street disagree about where it happened.
``block_conflicts(items, independence)`` reads "<number> block of <Street>" (an optional "the", the street
as one to four capitalised words, its type word optional: "the 3700 block of Fannin"), keys each street by
its folded words with the type abbreviations expanded ("St." = "Street", "Ave" = "Avenue"), and reports a
``number`` conflict about "the block of <Street>" when articles of different sources give the street
different blocks.  An article that gives one street two blocks (two places on it: "from the 400 block to the
600 block") is left out for that street, and so are blocks of articles published more than
``BLOCK_WINDOW_DAYS`` apart (a later incident on the same street).  Two or more independent sources against
one make a side likely; no block is flagged as an error, since "the 5000 block" can be a rounder way of
saying "the 5300 block".  One pattern per article, grouped by street: linear in the corpus size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.crosscheck.ages import outlet_names
from storyline.records import CleanArticle, Conflict, Extraction, Independence, Side
from storyline.text import fold

__all__ = ["BLOCK_WINDOW_DAYS", "block_conflicts", "street_blocks"]

BLOCK_WINDOW_DAYS = 180  # an arrest or a charge months later still places the same incident

_TYPES = {
    "st": "street", "ave": "avenue", "av": "avenue", "rd": "road", "dr": "drive", "ln": "lane", "blvd": "boulevard",
    "ct": "court", "pl": "place", "pkwy": "parkway", "hwy": "highway", "cir": "circle", "ter": "terrace",
    "trl": "trail", "sq": "square", "n": "north", "s": "south", "e": "east", "w": "west",
}  # fmt: skip
_TYPE_WORDS = frozenset(v for k, v in _TYPES.items() if len(k) > 1) | {k for k in _TYPES if len(k) > 1} | {
    "way", "pike", "row", "alley", "loop", "crossing"}
_STREET_WORD = r"(?:[A-Z0-9][\w’'\-]*\.?)"
_BLOCK_RE = re.compile(
    rf"\b(?P<num>\d{{1,3}}(?:,?\d{{3}})?|\d{{2,6}})[ \t]+block[ \t]+(?:of[ \t]+)?(?:the[ \t]+)?"
    rf"(?P<street>{_STREET_WORD}(?:[ \t]+{_STREET_WORD}){{0,3}})"
)
_NOT_STREET = frozenset({"in", "on", "at", "near", "and", "the", "police", "officers", "sunday", "monday", "tuesday",
                         "wednesday", "thursday", "friday", "saturday"})


@dataclass(frozen=True)
class BlockClaim:
    aid: str
    street: str  # key: folded words, type words expanded
    name: str  # the street as written
    block: int
    span: tuple[int, int]


def _street_key(street: str) -> tuple[str, str] | None:
    """(key, name as written) of a street: it ends after its type word ("Road", "Ave."), at a sentence end
    ("Avenue. Officers ...") or before a day or a preposition ("Fannin Sunday")."""
    kept: list[str] = []
    for w in street.split():
        word = fold(w.rstrip("."))
        if not word or word in _NOT_STREET:
            break
        kept.append(w)
        if (len(kept) > 1 and word in _TYPE_WORDS) or (w.endswith(".") and word not in _TYPES):
            break
    if not kept:
        return None
    key = " ".join(_TYPES.get(fold(w.rstrip(".")), fold(w.rstrip("."))) for w in kept)
    name = " ".join(kept)
    return key, name if fold(name.split()[-1].rstrip(".")) in _TYPES else name.rstrip(".")


def street_blocks(clean: CleanArticle) -> list[BlockClaim]:
    """Each "<number> block of <Street>" of one article."""
    out = []
    for m in _BLOCK_RE.finditer(clean.text):
        block = int(m["num"].replace(",", ""))
        key = _street_key(m["street"])
        if key is None or block % 100 or block == 0:  # blocks are hundreds: "5300 block"
            continue
        end = m.start("street") + len(key[1])  # the street as kept, from its first word
        out.append(BlockClaim(clean.article.id, key[0], key[1], block, (m.start(), end)))
    return out


def block_conflicts(items: Sequence[tuple[CleanArticle, Extraction]], independence: Independence | None = None
                    ) -> list[Conflict]:
    """Conflicts (kind ``number``) between the blocks different sources give one street."""
    independence = independence or Independence()
    cleans = {clean.article.id: clean for clean, _ in items}
    by_street: dict[str, list[BlockClaim]] = defaultdict(list)
    for clean, _ext in items:
        claims = street_blocks(clean)
        blocks_here: dict[str, set[int]] = defaultdict(set)
        for c in claims:
            blocks_here[c.street].add(c.block)
        for c in claims:
            if len(blocks_here[c.street]) == 1:  # two blocks of one street in one article: two places
                by_street[c.street].append(c)
    out: list[Conflict] = []
    for _street, claims in sorted(by_street.items()):
        claims = _close(claims, cleans)
        origins = {b: {independence.origin(c.aid) for c in claims if c.block == b} for b in {c.block for c in claims}}
        if len(origins) < 2 or len(set().union(*origins.values())) < 2:
            continue  # one block, or the blocks come from copies of one source
        out.append(_conflict(claims, cleans, independence, len(out) + 1))
    return out


def _close(claims: list[BlockClaim], cleans: dict[str, CleanArticle]) -> list[BlockClaim]:
    """The claims published within BLOCK_WINDOW_DAYS of the street's first claim (undated ones kept)."""
    days = [d for d in (cleans[c.aid].article.published_day for c in claims) if d is not None]
    if not days:
        return claims
    first = min(days)
    return [c for c in claims if (d := cleans[c.aid].article.published_day) is None or (d - first).days <= BLOCK_WINDOW_DAYS]


def _conflict(claims: list[BlockClaim], cleans: dict[str, CleanArticle], independence: Independence, n: int
              ) -> Conflict:
    name = max((c.name for c in claims), key=lambda s: (len(s), s))
    sides = []
    for block in sorted({c.block for c in claims}):
        group = [c for c in claims if c.block == block]
        sources = tuple(dict.fromkeys(c.aid for c in group))
        sides.append(Side(value=f"the {block} block", citations=tuple(cleans[c.aid].cite(*c.span) for c in group),
                          sources=sources, independent=independence.count(sources)))
    sides.sort(key=lambda s: -s.independent)
    decided = sides[0].independent >= 2 and all(s.independent == 1 for s in sides[1:])

    parts = [f"{outlet_names(s.sources, cleans)} {'gives' if len(s.sources) == 1 else 'give'} {s.value}" for s in sides]
    return Conflict(id=f"x-block-{n}", kind="number", about=f"the block of {name}", sides=tuple(sides),
                    explanation=f"Sources place it in different blocks of {name}: " + "; ".join(parts) + ".",
                    likely=0 if decided else None)
