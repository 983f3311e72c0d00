"""The cited briefing: a headline and a short explainer of one story, every sentence cited.

:func:`build_briefing` turns a dossier (:mod:`storyline.output.dossier`) into a :class:`~storyline.records.Briefing`
of up to ``length`` sentences (3..30, default 8) in four sections, in this order (empty ones omitted):

``what-happened``  the story's main facts: claims, corroborated ones first (more independent sources first,
                   then source quality), and a running figure ("The latest figure for people killed is at
                   least 78 (as of 22 December 2025), up from over 40 on 8 December 2025.");
``sides``          what each side says: direct quotes of named speakers, one per speaker, with their role;
``disputed``       what is disputed or wrong: flagged errors ("<outlet> says “X”, while 4 independent
                   sources say “Y”") and conflicts (both sides, who says what), never stated as fact;
``next``           what comes next: the dossier's ``next`` items that have not passed.

Every sentence is one of two kinds, and keeps citations that verify against the original source text:

* ``kind="source"``: the exact words of one source sentence (the claim's statement from its highest-quality
  source), trimmed only of furniture (a leading dateline "SARROW, Dec 9 (Wire) -", a "Related:" or
  "Advertisement" prefix, a trailing "(Reporting by ...)" credit).  Its text equals its first citation's text.
* ``kind="template"``: text generated only from record fields (figures, dates, names, outlets, counts of
  sources), citing every record it uses.  Dates are written "24 November 2025".

**Single-source sentences.**  A claim only one (independent) source states may be used after every
corroborated claim that fits.  It stays ``kind="source"`` with its exact words and ``status="single-source"``,
and every renderer (terminal, web, markdown) shows the lead-in ``One source (<outlet>, <day>) reports:`` before it,
outside the cited text; :func:`lead_in` returns that lead-in so renderers share it.

Never shown as fact: a sentence that carries a flagged error (the claim lists errors, or a citation overlaps
an error's words, or it contains the wrong words), a sentence stating a side of a conflict other than the side
the corpus supports (undecided conflicts: any side), a superseded value of a running figure, or a contested
claim.  Questions, widget text ("Ask ...", "Share this"), headlines glued to a sentence, sentences under 6 or
over 60 words and near-duplicates of chosen sentences are skipped.  A sentence whose citations a
maintainer's suppression names (:func:`storyline.reader.problems.is_suppressed` with kind ``"briefing"``) is replaced
by the next candidate.  The same dossier always gives the same briefing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from storyline.ingest.headline import headline
from storyline.reader.mistakes import Mistakes
from storyline.reader.mistakes import Spans as _Spans
from storyline.reader.names import UNKNOWN, SourceNames, names_of, outlet_name
from storyline.reader.problems import Suppression, as_citation, is_suppressed, item_key
from storyline.reader.wording import figure_value
from storyline.records import Briefing, BriefingSection, BriefingSentence, Citation
from storyline.text import words as split_words

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "SECTION_TITLES",
    "briefing_from_dict",
    "briefing_to_dict",
    "build_briefing",
    "format_date",
    "human_date",
    "is_briefable",
    "lead_in",
    "trim_furniture",
    "verify_briefing",
]

MIN_LENGTH, MAX_LENGTH = 3, 30
SECTION_TITLES: dict[str, str] = {
    "what-happened": "What happened",
    "sides": "What each side says",
    "disputed": "What is disputed or wrong",
    "next": "What comes next",
}
MIN_WORDS, MAX_WORDS = 6, 60
MIN_SINGLE_QUALITY = 0.3  # a single-source claim from a source scored below this is not shown
DUPLICATE_OVERLAP = 0.7  # share of the smaller sentence's content words that makes a near-duplicate
MAX_SIDE_CITATIONS = 6  # citations kept per conflict side

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# ----------------------------------------------------------------------------------------------- text rules

_DASH = r"(?:-{1,2}|—|–)"
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\- ]{2,40}"  # PLACE in capitals
    r"(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30})?"  # , Country / , Dec 9
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"  # Dec 9
    r"\s*(?:\([^()\n]{1,40}\))?"  # (Wire)
    rf"\s*{_DASH}\s+"
    r"|^[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,3}"  # Port Aubrel, Dec 9 (Wire) - : mixed case needs an agency
    r"(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30}?)?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    rf"\s*\([A-Z][\w&'’.\-]*(?: [A-Z][\w&'’.\-]*){{0,3}}\)\s*{_DASH}\s+"  # (Wire), (Harbor Wire Service)
)
_PREFIX = re.compile(
    r"^(?:Related(?: (?:posts?|stories|articles?|coverage|content))?|Advertisement|ADVERTISEMENT|Sponsored"
    r"|Read (?:more|also)|See also|Also read|RELATED|READ MORE)\s*(?:[:|»>\-–—]\s*|\n\s*)",
)
_TRAILER = re.compile(
    r"(?:\s*\((?:Reporting|Additional reporting|Editing|Writing|Compiled|Research)\b[^()]*\))+\s*$"
    r"|(?<=[.!?\"”’])\s*\([A-Z][A-Za-z]{1,9}\)\s*$"  # (HWS)
    rf"|(?<=[.!?\"”’])\s*{_DASH}\s*[A-Z][\w&'’. ]{{1,40}}$"  # — Harbor Wire Service
)
_WIDGET = re.compile(
    r"^(?:Ask\b|Share (?:this|on|via)\b|Related\b|Read more\b|Sign up\b|Subscribe\b|Follow us\b|Click\b"
    r"|Tap (?:here|to)\b|Download (?:the|our)\b|Listen (?:to|now)\b|Watch:|Advertisement\b|Sponsored\b"
    r"|Copyright\b|©|All rights reserved\b|Report a problem\b|Photo:|Image:|Caption:|Loading\b)"
    r"|\b(?:Related posts|Report a problem|Share this|can make mistakes|Check important information"
    r"|All rights reserved|Sign up for our|Subscribe to our|our newsletter|Click here|Read more:)",
    re.IGNORECASE,
)
_STOP = frozenset(
    re.findall(
        r"\S+",
        "a an the and or but of in on at to for from by with as is are was were be been being has have had it"
        " its this that these those he she they we i you his her their our who which what when where said says"
        " say would will could can may might not no than then there also after before into over about",
    )
)
_ENDS = frozenset('.!"”’)')
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def trim_furniture(text: str) -> tuple[int, int]:
    """``(start, end)`` of ``text`` without page furniture: a leading dateline ("SARROW, Dec 9 (Wire) -"),
    a "Related:"/"Advertisement" prefix (with the linked headline on its line), a trailing "(Reporting by
    ...)" or agency credit, and surrounding whitespace.  ``text[start:end]`` is what a briefing shows."""
    start, end = 0, len(text)
    for _ in range(3):  # prefixes can stack: "Advertisement\nSARROW — ..."
        before = start
        while start < end and text[start].isspace():
            start += 1
        m = _PREFIX.match(text, start, end)
        if m:
            start = m.end()
            nl = text.find("\n", start, end)
            line = text[start:nl].rstrip() if nl >= 0 else ""
            if nl >= 0 and line and line[-1] not in '.!?"”’':  # the linked headline of a "Related:" box
                start = nl + 1
        m = _DATELINE.match(text, start, end)
        if m and end - m.end() > 0:
            start = m.end()
        if start == before:
            break
    m = _TRAILER.search(text, start, end)
    if m and m.start() > start:
        end = m.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


# Sentences that lean on the sentences before them ("since then", "He said ...") mean nothing on their own.
_CONTEXT_BOUND = re.compile(
    r"^\W*(?:he|she|it|they|this|these|those|that|its|their|his|her)\b"
    r"|\b(?:since then|by then|until then|at (?:that|the) time|that day|the (?:same|next|previous) day|"
    r"the day before)\b",
    re.IGNORECASE,
)


def is_briefable(text: str) -> bool:
    """Whether a (trimmed) sentence may be shown: not a question, not widget or furniture text, not a
    headline glued to a sentence, not leaning on the sentences before it ("since then", a leading
    pronoun), and 6 to 60 words long."""
    if "?" in text or _WIDGET.search(text) or _CONTEXT_BOUND.search(text):
        return False
    if text.count('"') % 2 or text.count("\u201d") > text.count("\u201c"):
        return False  # a piece of a quotation cut off from its opening mark
    if text.rstrip()[-1:] not in _ENDS:
        return False  # a headline, caption or byline: not a sentence
    n = len(split_words(text))
    if n < MIN_WORDS or n > MAX_WORDS:
        return False
    if "\n" in text:
        first, _, _rest = text.partition("\n")
        if re.search(r"\n\s*\n", text) or len(split_words(text)) > 35:
            return False
        head = split_words(first)
        capital = sum(1 for w in head if w[:1].isupper() or w[:1].isdigit())
        if first.rstrip()[-1:] not in '.,;:!"”’' and len(head) >= 3 and capital >= 0.6 * len(head):
            return False  # a title-case line glued to the sentence
    return True


def _content(text: str) -> frozenset[str]:
    return frozenset(w for w in (x.casefold() for x in split_words(text)) if w not in _STOP)


def _near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    small = min(len(a), len(b))
    return small >= 3 and len(a & b) >= DUPLICATE_OVERLAP * small


def format_date(value: str | None) -> str | None:
    """'2025-11-24' -> '24 November 2025', '2025-11' -> 'November 2025', '2025' -> '2025'; None otherwise."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?", value)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        return f"{_MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"


_SEASONS = {"SP": "Spring", "SU": "Summer", "FA": "Autumn", "WI": "Winter"}
_PART_OF_YEAR = re.compile(r"(\d{4})-(?:(SP|SU|FA|WI)|Q([1-4])|H([12])|W(\d{1,2}))")


def human_date(value: str | None) -> str:
    """Any TIMEX date value as a reader writes it: '2025-11-24' -> '24 November 2025', '2024-SP' -> 'Spring
    2024', '2025-Q3' -> 'Q3 2025', '2025-W47' -> 'week 47 of 2025', '201X' -> 'the 2010s'; else the value."""
    if not value:
        return "date unknown"
    plain = format_date(value)
    if plain:
        return plain
    m = _PART_OF_YEAR.fullmatch(value)
    if m:
        year, season, quarter, half, week = m.groups()
        if season:
            return f"{_SEASONS[season]} {year}"
        if quarter:
            return f"Q{quarter} {year}"
        if half:
            return f"{'first' if half == '1' else 'second'} half of {year}"
        return f"week {int(week)} of {year}"
    m = re.fullmatch(r"(\d{3})X", value)
    if m:
        return f"the {m.group(1)}0s"
    m = re.fullmatch(r"(\d{2})XX", value)
    if m:
        n = int(m.group(1)) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"the {n}{suffix} century"
    return value


def _dates_in(text: str) -> str:
    """ISO dates inside a record's text written for readers ("seized on 2025-12-09" -> "on 9 December 2025")."""
    return _ISO_DAY.sub(lambda m: format_date(m.group(0)) or m.group(0), text)


def _count(n: int, word: str) -> str:
    num = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{num} {word}" if n == 1 else f"{num} {word}s"


def _point_value(p: Mapping[str, Any]) -> str:
    """A running-figure point as the reports write it, without the unit: "at least 83"."""
    return figure_value({**p, "unit": None})


def _join(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _natural(item_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", item_id))


# ----------------------------------------------------------------------------------------------- the dossier


class _Context:
    """What the builder looks up: sources, quality, independence, and the words never shown as fact."""

    def __init__(self, dossier: Mapping[str, Any]) -> None:
        self.sources = {s["id"]: s for s in dossier.get("sources") or []}
        self.quality = {q["source"]: float(q.get("score", 0.0)) for q in dossier.get("quality") or []}
        self.origin: dict[str, str] = {}
        for group in (dossier.get("independence") or {}).get("groups") or []:
            for member in group:
                self.origin.setdefault(member, group[0])
        # errors and sides the corpus does not support (:mod:`storyline.reader.mistakes`), and superseded
        # running-figure values (``stale``: still points of the running figure's own sentence)
        mistakes = Mistakes(dossier)
        self.bad = mistakes.of_kind("error", "losing")
        self.stale = mistakes.of_kind("superseded")
        self.bad_words: set[str] = set()  # wrong words (errors, losing sides) never shown outside `disputed`
        self.furniture = _Spans()
        for s in self.sources.values():
            for f in s.get("furniture") or []:
                self.furniture.add({"source": s["id"], **f})
        self.errors = list(dossier.get("errors") or [])
        self.conflicts = list(dossier.get("conflicts") or [])
        for e in self.errors:
            for c in e.get("citations") or []:
                self._wrong(c["text"])
        for x in self.conflicts:
            likely = x.get("likely")
            for i, side in enumerate(x.get("sides") or []):
                if likely is None:  # undecided: no side is stated as fact either
                    for c in side.get("citations") or []:
                        self.bad.add(c)
                elif i != likely:
                    self._wrong(str(side.get("value") or ""))
        self.future = _Spans()  # sentences about what comes next: not "what happened"
        for n in dossier.get("next") or []:
            for c in (n.get("citations") or [])[: max(1, len(n.get("sources") or ()))]:
                self.future.add(c)

    def _wrong(self, words: str) -> None:
        words = " ".join(words.split()).casefold()
        if len(words) >= 4 and any(ch.isalpha() for ch in words):  # "14 vessels", not a bare "12"
            self.bad_words.add(words)

    def outlet(self, source_id: str) -> str:
        """The outlet's name as readers see it (:func:`storyline.reader.names.outlet_name`), never a hash."""
        s = self.sources.get(source_id)
        return outlet_name(s) if s else UNKNOWN

    def independent(self, source_ids: Iterable[str]) -> int:
        return len({self.origin.get(s, s) for s in source_ids})

    def score(self, source_id: str) -> float:
        return self.quality.get(source_id, 0.5)

    def clean(self, cites: Iterable[Citation]) -> bool:
        return not any(self.bad.overlaps(c) or self.stale.overlaps(c) for c in cites)

    def right(self, cites: Iterable[Citation]) -> bool:
        """No error or unsupported side in these citations (superseded values allowed)."""
        return not any(self.bad.overlaps(c) for c in cites)

    def states_wrong_words(self, text: str) -> bool:
        folded = " ".join(text.split()).casefold()
        return any(w in folded for w in self.bad_words)


def _trimmed(ctx: _Context, c: Citation) -> Citation | None:
    """The citation trimmed of furniture: the cleaner's furniture spans at its edges, then the text rules.
    None when furniture sits inside the sentence (widget text glued into it) or nothing is left."""
    start, end = c.start, c.end
    for fs, fe in sorted(ctx.furniture.spans(c.source)):
        if fe <= start or fs >= end:
            continue
        if fs <= start:
            start = fe  # a byline or widget glued before the sentence
        elif fe >= end:
            end = fs  # a credit glued after it
        else:
            return None
    if start >= end:
        return None
    sub = c.text[start - c.start : end - c.start]
    s, e = trim_furniture(sub)
    if s >= e:
        return None
    return Citation(c.source, start + s, start + e, sub[s:e])


# ----------------------------------------------------------------------------------------------- candidates


class _Candidate:
    __slots__ = ("text", "kind", "citations", "item", "status", "guard")

    def __init__(
        self,
        text: str,
        kind: str,
        citations: Sequence[Citation],
        item: str | None,
        status: str | None,
        guard: Sequence[Citation] = (),
    ) -> None:
        self.text, self.kind, self.citations = text, kind, tuple(citations)
        self.item, self.status = item, status
        self.guard = tuple(guard)  # the item's own citations, also matched against suppressions


def _source_sentence(
    ctx: _Context, cites: Sequence[Mapping[str, Any]], item: str, status: str | None
) -> _Candidate | None:
    """The best-quality briefable statement among ``cites`` (one per stating sentence), citing the others."""
    all_cites = [as_citation(c) for c in cites]
    order = sorted(range(len(all_cites)), key=lambda i: (-ctx.score(all_cites[i].source), i))
    for i in order:
        rep = _trimmed(ctx, all_cites[i])
        if rep is None or not is_briefable(rep.text):
            continue
        seen = {rep.source}
        rest = []
        for c in all_cites:
            if c.source not in seen:
                seen.add(c.source)
                rest.append(c)
        return _Candidate(rep.text, "source", [rep, *rest], item, status, all_cites)
    return None


def _usable_as_fact(ctx: _Context, cand: _Candidate) -> bool:
    return ctx.clean(cand.citations) and ctx.clean(cand.guard) and not ctx.states_wrong_words(cand.text)


def _happened(ctx: _Context, cand: _Candidate | None) -> bool:
    """A fact for "what happened": usable as fact, not a quotation, not a sentence about what comes next."""
    return (
        cand is not None
        and _usable_as_fact(ctx, cand)
        and not _opens_with_quote(cand.text)
        and not any(ctx.future.overlaps(c) for c in cand.guard)
    )


def _position(claim: Mapping[str, Any]) -> int:
    """The representative statement's sentence number in its article ("st-<article>-<n>"), 10**6 if unknown."""
    statements = claim.get("statements") or ()
    tail = str(statements[0]).rsplit("-", 1)[-1] if statements else ""
    return int(tail) if tail.isdigit() else 10**6


def _claim_candidates(ctx: _Context, dossier: Mapping[str, Any]) -> Iterator[_Candidate]:
    """Claims usable as facts: corroborated first (independent sources, then quality), then single-source."""
    corroborated, single = [], []
    for c in dossier.get("claims") or []:
        if c.get("errors") or c.get("status") == "contested" or not c.get("citations"):
            continue
        best = max(ctx.score(x["source"]) for x in c["citations"])
        if c.get("status") == "corroborated" and c.get("independent", 1) >= 2:
            corroborated.append(
                (-int(c["independent"]), -len(c.get("sources") or ()), -best, _natural(c["id"]), c)
            )
        elif best >= MIN_SINGLE_QUALITY:
            single.append((_position(c), -best, _natural(c["id"]), c))
    corroborated.sort(key=lambda t: t[:4])
    for *_k, c in corroborated:
        cand = _source_sentence(ctx, c["citations"], c["id"], "corroborated")
        if _happened(ctx, cand):
            yield cand
    single.sort(key=lambda t: t[:3])  # leads of the best sources first, then second sentences, ...
    for *_k, c in single:
        cand = _source_sentence(ctx, c["citations"], c["id"], "single-source")
        if _happened(ctx, cand):
            yield cand


def _opens_with_quote(text: str) -> bool:
    """A sentence opening with a quotation is what a side says, not what happened."""
    return text[:1] in "\"“‘'"


def _series_candidates(ctx: _Context, dossier: Mapping[str, Any]) -> list[_Candidate]:
    """'The latest figure for people killed is at least 78 (as of 22 December 2025), up from over 40 on
    8 December 2025.' for each running figure that changed (its superseded values are ``ctx.stale``)."""
    out = []
    ranked = sorted(
        dossier.get("series") or [], key=lambda s: (-len(s.get("points") or ()), _natural(s["id"]))
    )
    for fs in ranked:
        points = [p for p in fs.get("points") or [] if p.get("citations") and p.get("as_of")]
        points = [p for p in points if ctx.right(as_citation(c) for c in p["citations"])]
        if len(points) < 2 or not fs.get("cumulative"):
            continue
        last_day = max(p["as_of"] for p in points)
        latest = [p for p in points if p["as_of"] == last_day]
        if len({(p["value"], p.get("value_high")) for p in latest}) != 1:
            continue  # the latest day disagrees with itself: that is a conflict, not a trajectory
        top = latest[0]
        first = min(points, key=lambda p: (p["as_of"], p.get("published") or ""))
        if first["value"] == top["value"] or first["as_of"] == last_day:
            continue
        direction = "up from" if top["value"] > first["value"] else "against"
        text = (
            f"The latest figure for {fs.get('what') or fs.get('unit') or 'the count'} is {_point_value(top)} "
            f"(as of {format_date(last_day)}), {direction} {_point_value(first)} "
            f"on {format_date(first['as_of'])}."
        )
        cites = [as_citation(c) for p in latest for c in p["citations"][:1]]
        cites.append(as_citation(first["citations"][0]))
        status = "corroborated" if ctx.independent(p["source"] for p in latest) > 1 else None
        out.append(_Candidate(text, "template", cites, fs["id"], status))
    return out


def _what_happened(ctx: _Context, dossier: Mapping[str, Any]) -> Iterator[_Candidate]:
    series = _series_candidates(ctx, dossier)
    claims = _claim_candidates(ctx, dossier)
    first = next(claims, None)
    if first is not None:
        yield first
    if series:
        yield series[0]
    yield from claims
    yield from series[1:]


def _role(ctx: _Context, entity: Mapping[str, Any] | None) -> str | None:
    """The speaker's role as most recently written, leaving out roles inside flagged errors."""
    if not entity:
        return None
    counts: Counter[str] = Counter()
    latest: dict[str, tuple[str, str]] = {}
    for r in entity.get("roles") or []:
        cites = [as_citation(c) for c in r.get("citations") or []]
        role = str(r.get("role") or "").strip()
        if not role or not cites or not ctx.clean(cites) or ctx.states_wrong_words(role):
            continue
        key = role.casefold()
        counts[key] += 1
        when = r.get("published") or ""
        if key not in latest or when >= latest[key][0]:
            latest[key] = (when, role)
    if not counts:
        return None
    best = max(counts, key=lambda k: (latest[k][0], counts[k], k))
    return latest[best][1]


def _sides(ctx: _Context, dossier: Mapping[str, Any]) -> Iterator[_Candidate]:
    """One direct quote per named speaker: speakers with a role first, then the most quoted; for each, the
    quote repeated by most independent sources, then from the best source."""
    entities = {e["id"]: e for e in dossier.get("entities") or []}
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in dossier.get("quotes") or []:
        sp = q.get("speaker") or {}
        if q.get("kind") != "direct" or not sp.get("entity") or not q.get("citations"):
            continue
        if (entities.get(sp["entity"]) or {}).get("label", "PERSON") != "PERSON":
            continue
        by_speaker[sp["entity"]].append(q)
    speakers = []
    for ent, quotes in by_speaker.items():
        role = _role(ctx, entities.get(ent))
        speakers.append((role is None, -len(quotes), ent, role, quotes))
    speakers.sort(key=lambda t: t[:3])
    for _norole, _n, ent, role, quotes in speakers:
        texts: dict[str, list[str]] = defaultdict(list)
        keys = {}
        for q in quotes:
            keys[q["id"]] = " ".join(split_words(q["text"])).casefold()
            texts[keys[q["id"]]].append(q["source"])
        repeated = {k: ctx.independent(v) for k, v in texts.items()}  # independent sources quoting the words
        ranked = sorted(
            quotes,
            key=lambda q: (
                not (q.get("speaker") or {}).get("as_written"),  # a continuation quote lacks its "she said"
                -repeated[keys[q["id"]]],
                -ctx.score(q["source"]),
                q["id"],
            ),
        )
        name = (entities.get(ent) or {}).get("name") or quotes[0]["speaker"].get("name") or ent
        for q in ranked:
            parts = [p.strip() for p in q.get("parts") or [q["text"]] if p.strip()]
            n_parts = max(1, len(parts))
            cites = [as_citation(c) for c in q["citations"]]
            words = " … ".join(parts)
            shown = words if words[-1:] in _ENDS else words + "."  # a quoted clause need not end a sentence
            if not parts or not is_briefable(shown) or ctx.states_wrong_words(words):
                continue
            if not ctx.clean(cites[:n_parts]):
                continue
            who = f"{name} ({role})" if role else name
            when = format_date(q.get("said_on"))
            said = f"said on {when}" if when else "said"
            text = f"{who} {said}: “{words}”"
            status = "corroborated" if repeated[keys[q["id"]]] > 1 else None
            yield _Candidate(text, "template", cites, q["id"], status)
            break


def _side_cites(side: Mapping[str, Any]) -> list[Citation]:
    return [as_citation(c) for c in (side.get("citations") or [])[:MAX_SIDE_CITATIONS]]


def _disputed(ctx: _Context) -> Iterator[_Candidate]:
    """Flagged errors (the wrong words, and what independent sources say instead), then conflicts."""
    covered = set()
    errors = sorted(ctx.errors, key=lambda e: (-len(e.get("evidence") or ()), _natural(e["id"])))
    for e in errors:
        cites = [as_citation(c) for c in e.get("citations") or []]
        evidence = [as_citation(c) for c in e.get("evidence") or []]
        if not cites or not evidence or not e.get("correction"):
            continue
        n = ctx.independent(c.source for c in evidence)
        wrong, right = " ".join(cites[0].text.split()), " ".join(str(e["correction"]).split())
        text = (
            f"{ctx.outlet(e['source'])} says “{wrong}”, while "
            f"{_count(n, 'independent source')} {'say' if n != 1 else 'says'} “{right}”."
        )
        covered.add(e.get("conflict"))
        by_source: dict[str, Citation] = {}
        for c in evidence:
            by_source.setdefault(c.source, c)
        yield _Candidate(
            text, "template", [*cites, *list(by_source.values())[:MAX_SIDE_CITATIONS]], e["id"], "disputed"
        )
    conflicts = [x for x in ctx.conflicts if x["id"] not in covered and len(x.get("sides") or ()) >= 2]
    conflicts.sort(
        key=lambda x: (
            x.get("kind") == "internal",
            -sum(int(s.get("independent", 1)) for s in x["sides"]),
            _natural(x["id"]),
        )
    )
    for x in conflicts:
        sides = [s for s in x["sides"] if s.get("citations")]
        if len(sides) < 2:
            continue
        about = _dates_in(" ".join(str(x.get("about") or "").split()))
        cites = [c for s in sides for c in _side_cites(s)]
        if x.get("kind") == "internal":
            values = _join([f"“{' '.join(str(s['value']).split())}”" for s in sides])
            outlet = ctx.outlet(sides[0]["sources"][0]) if sides[0].get("sources") else "One source"
            text = f"{outlet} gives both {values} for {about}."
        else:
            parts = []
            for i, s in enumerate(sides):
                names = sorted({ctx.outlet(src) for src in s.get("sources") or ()})
                outlets = _join(names)
                ind = int(s.get("independent", 1))
                who = (
                    outlets
                    if ind == len(set(s.get("sources") or ()))
                    else (f"{outlets} ({_count(ind, 'independent source')})")
                )
                verb = "says" if len(names) == 1 else "say"
                mark = " (most likely right)" if x.get("likely") == i else ""
                parts.append(f"{who} {verb} “{' '.join(str(s['value']).split())}”{mark}")
            text = f"Sources disagree about {about}: " + "; ".join(parts) + "."
        yield _Candidate(text, "template", cites, x["id"], "disputed")


def _next(ctx: _Context, dossier: Mapping[str, Any]) -> Iterator[_Candidate]:
    items = [n for n in dossier.get("next") or [] if n.get("citations")]
    upcoming = [n for n in items if not n.get("passed")]
    for n in upcoming or items:
        status = "corroborated" if int(n.get("independent", 1)) >= 2 else "single-source"
        first = as_citation(n["citations"][0])
        rep = _trimmed(ctx, first)
        if rep is None or not is_briefable(rep.text):
            continue
        rest = [as_citation(c) for c in n["citations"][1:]]
        cand = _Candidate(rep.text, "source", [rep, *rest], n.get("id"), status, [first, *rest])
        if _usable_as_fact(ctx, cand):
            yield cand


# ----------------------------------------------------------------------------------------------- assembly


def _quotas(length: int) -> dict[str, int]:
    disputed = max(1, round(length * 0.2))
    sides = max(1, round(length * 0.2))
    nxt = length // 8
    return {
        "what-happened": length - disputed - sides - nxt,
        "sides": sides,
        "disputed": disputed,
        "next": nxt,
    }


class _Picker:
    def __init__(self, ctx: _Context, suppressed: Sequence[Suppression]) -> None:
        self.ctx, self.suppressed = ctx, suppressed
        self.words: list[frozenset[str]] = []
        self.items: set[str] = set()
        self.cited = _Spans()

    def take(self, stream: Iterator[_Candidate]) -> BriefingSentence | None:
        for cand in stream:
            if cand.item is not None and cand.item in self.items:
                continue
            if self.suppressed and is_suppressed("briefing", [*cand.citations, *cand.guard], self.suppressed):
                continue
            words = _content(cand.text)
            if any(_near_duplicate(words, w) for w in self.words):
                continue
            if cand.kind == "source" and self.cited.overlaps(cand.citations[0]):
                continue  # the same words already cited by a chosen sentence (a quote, a running figure)
            if (
                cand.kind == "template"
                and cand.status != "disputed"
                and any(self.cited.overlaps(c) for c in cand.citations)
            ):
                continue
            if cand.item is not None:
                self.items.add(cand.item)
            self.words.append(words)
            if cand.status != "disputed":  # what a dispute cites may still be stated elsewhere
                for c in cand.citations:
                    self.cited.add(c)
            return BriefingSentence(
                cand.text,
                cand.kind,
                cand.citations,
                item_key("briefing", cand.citations),
                cand.item,
                cand.status,
            )
        return None


def _headline(
    ctx: _Context, dossier: Mapping[str, Any], fallback: Sequence[BriefingSentence]
) -> tuple[str, tuple]:
    title = " ".join(str(dossier.get("title") or "").split())
    if title and not ctx.states_wrong_words(title):
        places = []
        for s in ctx.sources.values():
            own = " ".join(str(s.get("title") or "").split())
            if title not in (own, " ".join(str(headline(own, s.get("outlet")) or "").split())):
                continue
            at = str(s.get("text") or "").find(title)
            if at >= 0:
                places.append((-ctx.score(s["id"]), s["id"], Citation(s["id"], at, at + len(title), title)))
        places.sort(key=lambda t: t[:2])
        for *_k, c in places:
            if ctx.clean([c]):
                return title, (c,)
    triggers = _Spans()
    for ev in dossier.get("events") or []:
        for c in (ev.get("citations") or [])[1:2]:  # [sentence, trigger, date...]
            triggers.add(c)
    facts = [s for s in fallback if s.kind == "source" and s.status == "corroborated"]
    facts += [s for s in fallback if s.kind == "source" and s.status not in ("corroborated", "disputed")]
    facts.sort(key=lambda s: not triggers.overlaps(s.citations[0]))  # event-bearing first, stable
    for s in facts:
        return s.text, (s.citations[0],)
    for s in fallback:
        return s.text, s.citations
    return title or "Untitled story", ()


def build_briefing(dossier: dict, *, length: int = 8, suppressed: Iterable[Suppression] = ()) -> Briefing:
    """The cited briefing of a dossier: a headline and up to ``length`` (3..30) cited sentences in sections.

    Raises ValueError when ``length`` is outside 3..30."""
    if not isinstance(length, int) or not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"briefing length must be {MIN_LENGTH}..{MAX_LENGTH}, got {length!r}")
    ctx = _Context(dossier)
    supp = tuple(suppressed)
    streams = {
        "what-happened": _what_happened(ctx, dossier),
        "sides": _sides(ctx, dossier),
        "disputed": _disputed(ctx),
        "next": _next(ctx, dossier),
    }
    picker = _Picker(ctx, supp)
    chosen: dict[str, list[BriefingSentence]] = {name: [] for name in SECTION_TITLES}
    exhausted: set[str] = set()
    # Order matters for duplicates: what is disputed and what each side says claim their words before facts.
    for name in ("disputed", "sides", "what-happened", "next"):
        for _ in range(_quotas(length)[name]):
            s = picker.take(streams[name])
            if s is None:
                exhausted.add(name)
                break
            chosen[name].append(s)
    total = sum(len(v) for v in chosen.values())
    while total < length and len(exhausted) < len(SECTION_TITLES):
        for name in SECTION_TITLES:  # spare places go to the earlier sections first
            if total >= length:
                break
            if name in exhausted:
                continue
            s = picker.take(streams[name])
            if s is None:
                exhausted.add(name)
                continue
            chosen[name].append(s)
            total += 1
    sections = tuple(
        BriefingSection(name, SECTION_TITLES[name], tuple(chosen[name]))
        for name in SECTION_TITLES
        if chosen[name]
    )
    ordered = [s for sec in sections for s in sec.sentences]
    headline, headline_cites = _headline(ctx, dossier, ordered)
    dates = [str(s.get("published"))[:10] for s in ctx.sources.values() if s.get("published")]
    return Briefing(headline, tuple(headline_cites), sections, max(dates) if dates else None)


# ----------------------------------------------------------------------------------------------- helpers


def lead_in(
    sentence: BriefingSentence, dossier: Mapping[str, Any], names: SourceNames | None = None
) -> str | None:
    """'One source (The Calder Post, 10 Dec) reports:' before a single-source sentence, else None.

    The source reads as its label (:class:`storyline.reader.names.SourceNames`: outlet and day, unique in
    the story), never as its hash id; pass ``names`` to label many sentences of one dossier at once."""
    if sentence.status != "single-source" or sentence.kind != "source" or not sentence.citations:
        return None
    names = names if names is not None else names_of(dossier.get("sources") or [])
    return f"One source ({names.label(sentence.citations[0].source)}) reports:"


def _cdict(c: Citation) -> dict[str, Any]:
    return {"source": c.source, "start": c.start, "end": c.end, "text": c.text}


def briefing_to_dict(b: Briefing) -> dict:
    """A JSON-able dict: ``{headline, headline_citations, as_of, sections: [{name, title, sentences}]}``."""
    return {
        "headline": b.headline,
        "headline_citations": [_cdict(c) for c in b.headline_citations],
        "as_of": b.as_of,
        "sections": [
            {
                "name": sec.name,
                "title": sec.title,
                "sentences": [
                    {
                        "text": s.text,
                        "kind": s.kind,
                        "citations": [_cdict(c) for c in s.citations],
                        "key": s.key,
                        "item": s.item,
                        "status": s.status,
                    }
                    for s in sec.sentences
                ],
            }
            for sec in b.sections
        ],
    }


def briefing_from_dict(d: dict) -> Briefing:
    """The inverse of :func:`briefing_to_dict`."""
    return Briefing(
        headline=d["headline"],
        headline_citations=tuple(as_citation(c) for c in d.get("headline_citations") or ()),
        as_of=d.get("as_of"),
        sections=tuple(
            BriefingSection(
                sec["name"],
                sec["title"],
                tuple(
                    BriefingSentence(
                        s["text"],
                        s["kind"],
                        tuple(as_citation(c) for c in s.get("citations") or ()),
                        s["key"],
                        s.get("item"),
                        s.get("status"),
                    )
                    for s in sec.get("sentences") or ()
                ),
            )
            for sec in d.get("sections") or ()
        ),
    )


def _check_citation(label: str, c: Citation, texts: Mapping[str, str]) -> list[str]:
    text = texts.get(c.source)
    if text is None:
        return [f"{label}: unknown source {c.source}"]
    if not 0 <= c.start <= c.end <= len(text) or text[c.start : c.end] != c.text:
        return [f"{label}: citation {c.source}:{c.start}-{c.end} does not match the source text"]
    return []


def verify_briefing(b: Briefing, texts: Mapping[str, str]) -> list[str]:
    """Problems with a briefing (empty when every sentence is grounded): a citation whose text is not
    ``texts[source][start:end]``, a sentence (or headline) without citations, a source sentence whose text is
    not inside its first citation's source text or is not exactly that citation's words, a wrong key."""
    problems: list[str] = []
    if not b.headline_citations:
        problems.append("headline: no citations")
    for c in b.headline_citations:
        problems += _check_citation("headline", c, texts)
    for sec in b.sections:
        for i, s in enumerate(sec.sentences, 1):
            label = f"{sec.name} #{i}"
            if not s.citations:
                problems.append(f"{label}: no citations")
                continue
            for c in s.citations:
                problems += _check_citation(label, c, texts)
            if s.kind == "source":
                first = s.citations[0]
                if s.text not in texts.get(first.source, ""):
                    problems.append(f"{label}: text is not in source {first.source}")
                elif s.text != first.text:
                    problems.append(f"{label}: text is not exactly its first citation's words")
            elif s.kind != "template":
                problems.append(f"{label}: unknown kind {s.kind!r}")
            if s.key != item_key("briefing", s.citations):
                problems.append(f"{label}: key {s.key!r} is not its first citation's")
    return problems
