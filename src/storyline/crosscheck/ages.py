"""A person's age as the sources give it: "Alexis Malone, 17" in one article, "Alexis Malone, 19" in another.

Local coverage of a shooting or a crash names victims and suspects with their ages, and outlets often
disagree by a year or two (a typo, a birthday, a police release corrected later).  ``age_conflicts(items,
independence)`` reads ages written next to a full name, in the forms news text uses:

* ``Alexis Malone, 17,``  ``Cutrez Johnson, 16;``  ``Norris Greenhouse Jr., 32,`` (a name, a comma, the age);
* ``19-year-old Oslushla Smith``, ``the 21-year-old suspect Jesse Dobbs`` (the age before the name);
* ``Sara Salih (25)``, ``Sara Salih, aged 25`` (British style).

A name is two to five capitalised words (initials, hyphens and a quoted nickname allowed; a rank or title
in front, "Lt." or "Officer", is left out) with no word of a place or an organisation ("Street", "County",
"Inc", "United"), that the entity stage did not read as a place only (unless the article names a person
with that surname elsewhere, or the name holds a quoted nickname).  Organisation labels are not trusted:
the small parser reads many unfamiliar names of people ('Mark “Cornbread” Cormier') as organisations.  A lone surname ("Zawahri, 23") is never used: family members share it.

Mentions are one person when the surnames are equal (accents and case folded) and the given names are
compatible: equal, one the short form of the other ("Chris" / "Christopher"), or a spelling variant of
each other ("Kemontay" / "Kamontay": same first letter, similarity at least ``GIVEN_SIMILARITY``) that no
single article uses for two people.  Generational suffixes ("Jr.", "Sr.") that differ make two people.

Two different ages of one person that cannot both be right are a ``number`` conflict: given in articles
published at most ``AGE_WINDOW_DAYS`` apart, or further apart but not explained by the time between them
(a later article with a lower age, or more years added than have passed).  The conflict is about "the
age of <name>", with one side per age and every mention cited.  The side that two or more independent
sources give, against one source alone, is likely right, and the lone age is a flagged error; one source
against one is undecided.  Everything is a few compiled patterns per article and a
grouping by surname, linear in the corpus size.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.records import CleanArticle, Conflict, Extraction, FlaggedError, Independence, Side
from storyline.text import fold

__all__ = ["AGE_WINDOW_DAYS", "GIVEN_SIMILARITY", "AgeClaim", "age_conflicts", "outlet_names", "person_ages",
           "spelled_alike"]

AGE_WINDOW_DAYS = 30  # articles further apart may give an age after a birthday (a later, higher age)
GIVEN_SIMILARITY = 0.75  # difflib ratio of two spellings of one given name

# a capitalised word, or a short abbreviation with its full stop ("D.", "Jr.", "Sgt."); a longer word with a
# full stop ends a sentence ("... on New Braunfels Avenue. Vontay Price, 22"), so it ends the name too
_TOKEN = r"(?:[A-Z][a-zA-Z]{0,3}\.(?=[ ,])|[A-Z][\w’'\-]*(?!\w)(?!\.[ ]+[A-Z]))"
_NICK = r"[“\"][A-Z][^”\"\n]{0,20}[”\"]"
_NAME = rf"{_TOKEN}(?:[ ]+(?:{_TOKEN}|{_NICK})){{1,5}}"
_AFTER_AGE = r"(?![\d%:/.-]\d|[\d%]|\s*(?:percent|per\s+cent|years?\b|p\.m|a\.m|th\b|st\b|nd\b|rd\b))"
_PATTERNS = (
    re.compile(rf"(?<![\w’'])(?P<name>{_NAME}),[ ]+(?:aged[ ]+)?(?P<age>\d{{1,3}}){_AFTER_AGE}"),
    re.compile(rf"(?<![\w’'])(?P<name>{_NAME})[ ]+\((?:aged[ ]+)?(?P<age>\d{{1,3}})\)"),
    re.compile(
        rf"\b(?P<age>\d{{1,3}})-year-old[ ]+(?:(?:man|woman|boy|girl|suspect|victim|gunman|shooter|son|daughter"
        rf"|brother|sister|mother|father|officer|teen|teenager|student|driver|resident)[ ]+)?(?P<name>{_NAME})"
    ),
)


def _lexicon(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


_TITLES = _lexicon("""
    mr mrs ms miss dr lt lieut sgt cpl capt col gen maj officer deputy detective det trooper sheriff chief rev
    pastor father sister brother judge sen rep gov mayor president coach prof professor private pvt spc agent
    st saint lieutenant sergeant corporal captain colonel general major constable inspector superintendent
""")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_NAMES = _lexicon("""
    image photo caption close video watch read more related the a an in on at and of police county city street
    avenue road lane drive boulevard park center centre hospital school university college church club team
    united department dept office council party group company inc corp co llc bank news times post press
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""")


@dataclass(frozen=True)
class AgeClaim:
    aid: str
    given: str  # folded first given name
    surname: str  # folded surname (hyphens kept)
    suffix: str  # "jr", "sr", ... or ""
    name: str  # as written (title and nickname left out)
    age: int
    span: tuple[int, int]  # name and age together, cleaned offsets


def _name_parts(name: str) -> tuple[str, str, str, str] | None:
    """(given, surname, suffix, display) of a written name, or None when it is no person's full name."""
    tokens = [t for t in re.split(r"[ ]+", name) if t and t[0] not in "“\""]
    while tokens and fold(tokens[0].rstrip(".")) in _TITLES:
        tokens = tokens[1:]
    suffix = ""
    if tokens and fold(tokens[-1].rstrip(".").rstrip(",")) in _SUFFIXES:
        suffix = fold(tokens[-1].rstrip(".").rstrip(","))
        tokens = tokens[:-1]
    tokens = [t.rstrip(",") for t in tokens]
    if len(tokens) < 2 or any(fold(t.rstrip(".")) in _NOT_NAMES for t in tokens):
        return None
    given, surname = tokens[0].rstrip("."), tokens[-1]
    if len(given) < 2 or len(surname.rstrip(".")) < 2 or surname.endswith("."):
        return None  # an initial is no given name; "Smith." is a sentence end, not a name
    return fold(given), fold(surname), suffix, " ".join(tokens + ([suffix.capitalize() + "."] if suffix else []))


def _labels(ext: Extraction, start: int, end: int) -> set[str]:
    return {m.label for m in ext.mentions if m.kind == "name" and m.span.start < end and start < m.span.end}


def person_ages(clean: CleanArticle, ext: Extraction) -> list[AgeClaim]:
    """Every age written next to a person's full name in one article (see the module docstring)."""
    text = clean.text
    persons = {fold(m.span.text.split()[-1]) for m in ext.mentions
               if m.kind == "name" and m.label == "PERSON" and m.span.text.split()}
    out: dict[tuple[int, int], AgeClaim] = {}
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            age = int(m["age"])
            parts = _name_parts(m["name"])
            if parts is None or not 0 < age <= 110:
                continue
            labels = _labels(ext, m.start("name"), m.end("name"))
            nick = re.search(_NICK, m["name"]) is not None  # a quoted nickname: a person, whatever the parser says
            if "PLACE" in labels and "PERSON" not in labels and parts[1] not in persons and not nick:
                continue  # a place, unless the article names a person so elsewhere
            span = (m.start(), m.end())
            out.setdefault(span, AgeClaim(clean.article.id, *parts[:3], parts[3], age, span))
    return sorted(out.values(), key=lambda c: c.span)


def _given_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True  # "chris" / "christopher"
    return spelled_alike(a, b)


def spelled_alike(a: str, b: str) -> bool:
    """Two spellings of one name: the same first letter and a difflib ratio of at least GIVEN_SIMILARITY."""
    return a[:1] == b[:1] and difflib.SequenceMatcher(None, a, b).ratio() >= GIVEN_SIMILARITY


def _people(claims: list[AgeClaim]) -> list[list[AgeClaim]]:
    """Claims grouped into people: one surname, compatible given names, no clash of suffixes; two given
    names one article uses side by side for the same surname are two people ("Koi Green", "Kaleigh Green")."""
    by_surname: dict[str, list[AgeClaim]] = defaultdict(list)
    for c in claims:
        by_surname[c.surname].append(c)
    people: list[list[AgeClaim]] = []
    for group in by_surname.values():
        together: dict[str, set[str]] = defaultdict(set)
        for c in group:
            together[c.aid].add(c.given)
        clusters: list[list[AgeClaim]] = []
        for c in sorted(group, key=lambda c: (c.given, c.aid, c.span)):
            home = [cl for cl in clusters if _joins(c, cl, together)]
            if len(home) == 1:
                home[0].append(c)
            elif not home:
                clusters.append([c])
            # two candidate people: the mention is ambiguous and left out
        people.extend(clusters)
    return people


def _joins(c: AgeClaim, cluster: list[AgeClaim], together: dict[str, set[str]]) -> bool:
    for o in cluster:
        if c.suffix and o.suffix and c.suffix != o.suffix:
            return False
        if not _given_compatible(c.given, o.given):
            return False
        if c.given != o.given and any({c.given, o.given} <= names for names in together.values()):
            return False
    return True


def age_conflicts(items: Sequence[tuple[CleanArticle, Extraction]], independence: Independence | None = None
                  ) -> tuple[list[Conflict], list[FlaggedError]]:
    """Conflicts (kind ``number``) between the ages the articles give one person, and flagged errors for a
    lone age against two or more independent sources.  Ids are local; the orchestrator renumbers."""
    independence = independence or Independence()
    cleans = {clean.article.id: clean for clean, _ in items}
    claims = [c for clean, ext in items for c in person_ages(clean, ext)]
    conflicts: list[Conflict] = []
    errors: list[FlaggedError] = []
    for person in _people(claims):
        if len({c.age for c in person}) < 2 or not _close_in_time(person, cleans):
            continue
        conflict, error = _age_conflict(person, cleans, independence, len(conflicts) + 1)
        conflicts.append(conflict)
        if error is not None:
            errors.append(error)
    return conflicts, errors


def _close_in_time(person: list[AgeClaim], cleans: dict[str, CleanArticle]) -> bool:
    """Whether two different ages cannot both be right: from articles at most AGE_WINDOW_DAYS apart (or
    undated), or a later article giving a lower age, or more years more than the time between them."""
    for i, a in enumerate(person):
        for b in person[i + 1:]:
            if a.age == b.age:
                continue
            da, db = cleans[a.aid].article.published_day, cleans[b.aid].article.published_day
            if da is None or db is None:
                return True
            (d0, age0), (d1, age1) = sorted([(da, a.age), (db, b.age)])
            days = (d1 - d0).days
            if days <= AGE_WINDOW_DAYS or not 0 < age1 - age0 <= -(-days // 365):
                return True
    return False


def _age_conflict(person: list[AgeClaim], cleans: dict[str, CleanArticle], independence: Independence, n: int
                  ) -> tuple[Conflict, FlaggedError | None]:
    name = max((c.name for c in person), key=lambda s: (len(s), s))
    sides: list[Side] = []
    for age in sorted({c.age for c in person}):
        group = [c for c in person if c.age == age]
        sources = tuple(dict.fromkeys(c.aid for c in group))
        sides.append(Side(value=str(age), citations=tuple(cleans[c.aid].cite(*c.span) for c in group),
                          sources=sources, independent=independence.count(sources)))
    sides.sort(key=lambda s: (-s.independent, int(s.value)))

    def outlets(side: Side) -> str:
        return outlet_names(side.sources, cleans)

    parts = [f"{outlets(s)} {'gives' if len(s.sources) == 1 else 'give'} {s.value}" for s in sides]
    explanation = f"Sources give {name} different ages: " + "; ".join(parts) + "."
    top, rest = sides[0], sides[1:]
    decided = top.independent >= 2 and all(s.independent == 1 for s in rest)
    conflict = Conflict(id=f"x-age-{n}", kind="number", about=f"the age of {name}", sides=tuple(sides),
                        explanation=explanation, likely=0 if decided else None)
    if not decided or len(rest) != 1:
        return conflict, None
    wrong = rest[0]
    error = FlaggedError(
        id="err-0", kind="number", source=wrong.sources[0], citation=wrong.citations[0],
        correction=f"{name}, {top.value}", evidence=top.citations,
        why=(f"Only {outlets(wrong)} gives {name}'s age as {wrong.value}; {top.independent} independent sources "
             f"give {top.value}."),
        conflict=conflict.id,
    )
    return conflict, error


def outlet_names(sources: Sequence[str], cleans: dict[str, CleanArticle]) -> str:
    """"Alpha", "Alpha and Bravo", "Alpha, Bravo and Gamma": the outlets of these articles, each once."""
    names = list(dict.fromkeys(_outlet(cleans[s]) for s in sources))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _outlet(clean: CleanArticle) -> str:
    return clean.article.outlet or clean.article.title or clean.article.origin
