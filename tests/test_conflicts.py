"""Conflicts about names, actors and dates (storyline.crosscheck.conflicts), on self-written articles and the sample."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.conflicts import _name_words as name_words
from storyline.crosscheck.conflicts import _variant_position as variant_position
from storyline.crosscheck.conflicts import date_interval, find_conflicts
from storyline.records import Independence

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_expected.json"


@pytest.fixture(scope="module")
def nlp():
    from storyline.extract.nlp import load_nlp

    return load_nlp()


def _run(nlp, docs, groups=()):
    s = make_items(docs, nlp=nlp)
    ind = Independence(groups=tuple(tuple(s.ids[n] for n in g) for g in groups))
    conflicts, errors = find_conflicts(s.items, s.index, ind)
    texts = {c.article.id: c.article.text for c, _ in s.items}
    for c in conflicts:
        assert len(c.sides) >= 2
        for side in c.sides:
            assert side.citations
            for cit in side.citations:
                assert texts[cit.source][cit.start:cit.end] == cit.text
    for e in errors:
        assert texts[e.source][e.citation.start:e.citation.end] == e.citation.text
        for cit in e.evidence:
            assert texts[cit.source][cit.start:cit.end] == cit.text
    return s, conflicts, errors


# --------------------------------------------------------------------------- names: the variant test


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Operation Granite Shield", "Operation Granite Sword", 2),  # mistranslated last word
        ("Operation Southern Lantern", "Operation Southern Beacon", 2),
        ("Tarvik Harbour Authority", "Tarvik Port Authority", 1),
        ("Operation Granite Shield", "Operation Granite Shield's", None),  # possessive
        ("Operation Granite Shield", "Operation Granite Shields", None),  # inflection
        ("Operation Granite Shield", "Operation Basalt Sword", None),  # two words differ
        ("Northern Varda Command", "Southern Varda Command", None),  # contrast word
        ("Operation Granite Shield", "Operation Granite Shield", None),  # identical
        ("Kestrel Airlines", "Morvan Airlines", None),  # only the category word shared
        ("Orland Freight Council", "Orland Freight Commission", None),  # the head differs
        ("Operation Granite", "Operation Basalt", None),  # only the category word shared
        ("Place de la Lune", "Place de la Mer", None),  # category + function words only
        ("Veldania Coast Guard", "Veldanian Coast Guard", None),  # derivation
        ("Tarvik General Hospital", "Tarvik General Hospital Trust", None),  # different length
    ],
)
def test_variant_position(a, b, expected):
    assert variant_position(name_words(a), name_words(b)) == expected


# --------------------------------------------------------------------------- names: whole corpus

_SHIELD = [
    ("a", "The Korath navy has enforced Operation Granite Shield, a blockade of the port of Tarvik, for weeks. "
          "Officials in Marn said the blockade would continue.", "2026-03-02", "Alpha Post"),
    ("b", "Under Operation Granite Shield, the Korath navy has stopped fishing boats near Tarvik. "
          "Dock workers in Tarvik said trade had collapsed.", "2026-03-03", "Bravo Daily"),
]


@pytest.mark.parametrize(
    ("docs", "groups", "minority"),
    [
        # one machine-translated source misnames the operation: conflict + error
        (_SHIELD + [("c", "The navy of Korath continues the Operation Granite Sword, the blockade of the port of "
                          "Tarvik, since many weeks.", "2026-03-04", "Charlie Voice")], (), "Operation Granite Sword"),
        # the only majority sources are one wire story and its copy: not two independent sources
        (_SHIELD + [("c", "The navy of Korath continues the Operation Granite Sword, the blockade of the port of "
                          "Tarvik, since many weeks.", "2026-03-04", "Charlie Voice")], (("a", "b"),), None),
        # one article uses both names: two different operations
        (_SHIELD + [("c", "Operation Granite Shield closed the port of Tarvik, while Operation Granite Sword guards "
                          "the northern coast near Marn.", "2026-03-04", "Charlie Voice")], (), None),
        # a possessive is not another name
        (_SHIELD + [("c", "Operation Granite Shield's patrols have closed the port of Tarvik to fishing boats.",
                     "2026-03-04", "Charlie Voice")], (), None),
    ],
    ids=["mistranslation", "copies-count-once", "two-operations", "possessive"],
)
def test_name_conflicts(nlp, docs, groups, minority):
    s, conflicts, errors = _run(nlp, docs, groups)
    names = [c for c in conflicts if c.kind == "name"]
    if minority is None:
        assert names == []
        assert [e for e in errors if e.kind == "name"] == []
        return
    assert len(names) == 1
    c = names[0]
    assert c.sides[0].value == minority and c.sides[c.likely].value == "Operation Granite Shield"
    assert c.sides[c.likely].independent == 2
    (err,) = [e for e in errors if e.kind == "name"]
    assert err.citation.text == minority and err.correction == "Operation Granite Shield"
    assert err.conflict == c.id
    assert {s.names[e.source] for e in err.evidence} == {"a", "b"}


# --------------------------------------------------------------------------- actors

_SANK_MINE = ("The trawler Marisol Dawn was sunk by a mine laid by the Korath Brigade on Monday night, "
              "the navy said.")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # different doers of one sinking: a patrol boat vs a rebel mine
        ("Survivors said a grey patrol boat fired on the trawler Marisol Dawn on Monday night.", _SANK_MINE,
         ("a grey patrol boat", "a mine laid by the Korath Brigade")),
        # the same actor named two ways
        ("The Veldanian navy fired on the trawler Marisol Dawn on Monday night.",
         "The trawler Marisol Dawn was attacked by a navy patrol boat on Monday night.", None),
        # an instrument of one side vs fighters of another
        ("Veldanian gunboats attacked the trawler Marisol Dawn on Monday night.",
         "Korath Brigade fighters attacked the trawler Marisol Dawn on Monday night, the port said.",
         ("Veldanian gunboats", "Korath Brigade fighters")),
        # two agents named differently may be one side: not a conflict
        ("The Pentagon struck the trawler Marisol Dawn on Monday night.",
         "The Veldanian military struck the trawler Marisol Dawn on Monday night.", None),
        # different events on the same day (different targets)
        ("A drone struck the grain silo in Osk on Monday.", "A missile hit the bus depot in Tarvik on Monday.",
         None),
        # unnamed target, same day and place: one event
        ("A drone hit the ferry near Osk on Monday.", "A mine sank the ferry near Osk on Monday.",
         ("A drone", "A mine")),
        # unnamed target, same day, different places: maybe two ferries
        ("A drone hit the ferry near Osk on Monday.", "A mine sank the ferry near Tarvik on Monday.", None),
        # unnamed target, different days: two different ferries or events
        ("A drone hit the ferry near Osk on Monday.", "A mine sank the ferry near Tarvik on Friday.", None),
        # negated: a denial is not an attribution
        ("The navy said its ships did not fire on the trawler Marisol Dawn.", _SANK_MINE, None),
        # a conditional is not an attribution
        ("If the navy fired on the trawler Marisol Dawn, someone must answer for it, Brask said.", _SANK_MINE,
         None),
    ],
    ids=["boat-vs-mine", "same-actor", "gunboats-vs-fighters", "two-agents", "different-targets",
         "unnamed-same-day-place", "unnamed-other-place", "different-days", "negated", "conditional"],
)
def test_actor_conflicts(nlp, first, second, expected):
    docs = [("one", first, "2026-03-10", "One News"), ("two", second, "2026-03-11", "Two Times")]
    s, conflicts, _ = _run(nlp, docs)
    actors = [c for c in conflicts if c.kind == "actor"]
    if expected is None:
        assert actors == []
        return
    assert len(actors) == 1
    assert tuple(side.value for side in actors[0].sides) == expected
    assert {src for side in actors[0].sides for src in side.sources} == set(s.ids.values())
    assert "2026-03-09" in actors[0].about
    assert actors[0].likely is None


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Operation Granite Shield, which has run since August, closed the port.",
         "Operation Granite Shield has been in place since early September, officials said.",
         ("since August", "since early September")),
        # compatible precisions
        ("Operation Granite Shield, which has run since September, closed the port.",
         "Operation Granite Shield has been in place since early September, officials said.", None),
        ("Operation Granite Shield began in 2025 and closed the port.",
         "Operation Granite Shield began in August 2025, officials said.", None),
        ("Operation Granite Shield began on 3 September.",
         "Operation Granite Shield began in early September, officials said.", None),
        # different referents
        ("Operation Granite Shield began in August.", "Operation Blue Harbour began in October.", None),
        # the same named referent, incompatible days
        ("Operation Granite Shield began on 3 September.", "Operation Granite Shield began on 19 September.",
         ("on 3 September", "on 19 September")),
        # plans are not facts
        ("Operation Granite Shield began in August.",
         "Operation Granite Shield is expected to be launched in October, officials said.", None),
    ],
    ids=["month-vs-early-month", "month-vs-early-same", "year-vs-month", "day-vs-early-month",
         "different-referent", "day-vs-day", "future"],
)
def test_date_conflicts(nlp, first, second, expected):
    docs = [("one", first, "2026-01-10", "One News"), ("two", second, "2026-01-11", "Two Times")]
    _s, conflicts, _ = _run(nlp, docs)
    dates = [c for c in conflicts if c.kind == "date"]
    if expected is None:
        assert dates == []
        return
    assert len(dates) == 1
    assert tuple(side.value for side in dates[0].sides) == expected
    assert "Operation Granite Shield" in dates[0].about


def test_date_conflict_through_undertaking_nouns(nlp):
    """"The campaign" resolves to the article's one named operation; "the blockade" in an article without a
    name resolves through another article's appositive ("Operation X, the navy's blockade ...")."""
    docs = [
        ("one", "Operation Granite Shield, the Korath navy's blockade of Tarvik, enters its fourth month.\n\n"
                "The campaign, which has run since August, was launched after rebels seized the docks.",
         "2026-01-10", "One News"),
        ("two", "The blockade, which has been in place since early September, has cost dozens of lives.",
         "2026-01-12", "Two Times"),
        ("three", "The blockade, which has been in place since September, has emptied the markets of Tarvik.",
         "2026-01-13", "Three Herald"),
    ]
    _s, conflicts, errors = _run(nlp, docs)
    (c,) = [c for c in conflicts if c.kind == "date"]
    assert c.about == "when Operation Granite Shield began"
    assert [side.value for side in c.sides] == ["since August", "since early September"]
    texts = [cit.text for side in c.sides for cit in side.citations]
    assert "which has run since August" in texts and "The campaign" in texts
    # two independent sources against one: the likely side, but too thin to call the other an error
    assert c.sides[1].independent == 2 and c.likely == 1
    assert errors == ()


# --------------------------------------------------------------------------- date intervals


@pytest.mark.parametrize(
    ("value", "phrase", "expected"),
    [
        ("2025-08", "August", (dt.date(2025, 8, 1), dt.date(2025, 8, 31))),
        ("2025-09", "early September", (dt.date(2025, 9, 1), dt.date(2025, 9, 11))),
        ("2025-09", "late September", (dt.date(2025, 9, 20), dt.date(2025, 9, 30))),
        ("2025-02", "February", (dt.date(2025, 2, 1), dt.date(2025, 2, 28))),
        ("2025-12", "December", (dt.date(2025, 12, 1), dt.date(2025, 12, 31))),
        ("2025", "2025", (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
        ("2025-09-03", "3 September", (dt.date(2025, 9, 3), dt.date(2025, 9, 3))),
        ("2025-SU", "the summer", (dt.date(2025, 6, 1), dt.date(2025, 8, 31))),
        ("2025-WI", "winter", (dt.date(2025, 12, 1), dt.date(2026, 2, 28))),
        ("2025-W49", "last week", (dt.date(2025, 12, 1), dt.date(2025, 12, 7))),
        ("2025-W49", "early last week", (dt.date(2025, 12, 1), dt.date(2025, 12, 7))),  # weeks are not narrowed
        ("2025-12-03T09:00", "early on 3 December", (dt.date(2025, 12, 3), dt.date(2025, 12, 3))),
        ("2025-Q3", "the third quarter", (dt.date(2025, 7, 1), dt.date(2025, 9, 30))),
        ("PAST_REF", "recently", None),
        ("P3M", "three months", None),
        ("XXXX-09", "September", None),
    ],
)
def test_date_interval(value, phrase, expected):
    assert date_interval(value, phrase) == expected


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["", "early ", "mid-", "late "]))
def test_day_inside_its_month(day, qualifier):
    month = date_interval(day.strftime("%Y-%m"), "")
    narrowed = date_interval(day.strftime("%Y-%m"), qualifier + "month")
    assert month is not None and narrowed is not None
    assert month[0] <= day <= month[1]
    assert month[0] <= narrowed[0] <= narrowed[1] <= month[1]
    assert date_interval(day.isoformat()) == (day, day)
    if qualifier in ("early ", "late "):  # early and late parts of a month never overlap
        early = date_interval(day.strftime("%Y-%m"), "early month")
        late = date_interval(day.strftime("%Y-%m"), "late month")
        assert early is not None and late is not None and early[1] < late[0]


# --------------------------------------------------------------------------- the sample story


@pytest.fixture(scope="module")
def sample_found(sample_items):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    groups = tuple(tuple(sample_items.ids[f] for f in g) for g in golden["wire_groups"])
    conflicts, errors = find_conflicts(sample_items.items, sample_items.index, Independence(groups=groups))
    return sample_items, golden, conflicts, errors


def test_sample_finds_the_planted_conflicts(sample_found):
    s, golden, conflicts, _ = sample_found
    assert sorted(c.kind for c in conflicts) == ["actor", "date", "name"]
    for want in golden["conflicts"]:
        if want["kind"] not in ("actor", "date", "name"):
            continue
        (got,) = [c for c in conflicts if c.kind == want["kind"]]
        files = {s.names[src] for side in got.sides for src in side.sources}
        assert set(want["files"]) <= files
        cited = [cit.text for side in got.sides for cit in side.citations]
        for text in want["sides"]:
            assert any(text in t or t in text for t in cited), (text, cited)
        assert got.explanation and got.about


def test_sample_flags_the_mistranslated_name(sample_found):
    s, golden, conflicts, errors = sample_found
    assert [(s.names[e.source], e.citation.text) for e in errors] == [
        ("ostravan-voice-2025-12-12.txt", "Operation Iron Wave")
    ]
    (err,) = errors
    assert err.correction == "Operation Iron Tide" and err.kind == "name"
    assert {s.names[c.source] for c in err.evidence} >= {"meridian-ledger-2025-12-08.txt"}
    (name,) = [c for c in conflicts if c.kind == "name"]
    assert err.conflict == name.id and name.sides[name.likely].value == "Operation Iron Tide"


def test_sample_citations_verify(sample_found):
    s, _golden, conflicts, errors = sample_found
    texts = {c.article.id: c.article.text for c, _ in s.items}
    cites = [cit for c in conflicts for side in c.sides for cit in side.citations]
    cites += [e.citation for e in errors] + [cit for e in errors for cit in e.evidence]
    assert cites
    for cit in cites:
        assert texts[cit.source][cit.start:cit.end] == cit.text


def test_empty_and_single_article(nlp):
    assert find_conflicts([], None, Independence()) == ((), ())
    s = make_items([("one", _SANK_MINE, "2026-03-10")], nlp=nlp)
    assert find_conflicts(s.items, s.index, Independence()) == ((), ())


def test_date_conflict_active_voice(nlp):
    docs = [
        ("one", "The Korath navy launched Operation Granite Shield in August after rebels seized the docks.",
         "2026-01-10", "One News"),
        ("two", "Operation Granite Shield began in early October, officials in Marn said.", "2026-01-11",
         "Two Times"),
    ]
    _s, conflicts, _ = _run(nlp, docs)
    (c,) = [c for c in conflicts if c.kind == "date"]
    assert [side.value for side in c.sides] == ["in August", "in early October"]
    assert c.sides[0].citations[-1].text == "launched Operation Granite Shield in August"


class _FixedEmbedder:
    """A stand-in embedder: every sentence gets the same vector (similar=True) or its own axis."""

    name = "fixed"
    dim = 64

    def __init__(self, similar: bool) -> None:
        self.similar = similar
        self.calls = 0

    def encode(self, texts, batch_size=64):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i in range(len(texts)):
            out[i, 0 if self.similar else (self.calls + i) % self.dim] = 1.0
        self.calls += len(texts)
        return out


@pytest.mark.parametrize(("similar", "found"), [(True, 1), (False, 0)])
def test_name_conflict_embedding_check(nlp, similar, found):
    docs = _SHIELD + [("c", "The navy of Korath continues the Operation Granite Sword, the blockade of the port of "
                            "Tarvik, since many weeks.", "2026-03-04", "Charlie Voice")]
    s = make_items(docs, nlp=nlp)
    embedder = _FixedEmbedder(similar)
    conflicts, errors = find_conflicts(s.items, s.index, Independence(), embedder=embedder)
    assert embedder.calls > 0
    assert len([c for c in conflicts if c.kind == "name"]) == found == len(errors)


@pytest.mark.parametrize(
    ("minority", "found"),
    [
        ('Rebels say the raid, code-named "Amber Door", was planned for weeks near Tarvik.', True),
        ('Rebels say the raid, code-named "Amber Gate", was planned for weeks near Tarvik.', False),  # same name
        ('Rebels say the raid near Tarvik, which the army calls Amber Door, was planned for weeks.', False),
    ],
)
def test_quoted_code_names(nlp, minority, found):
    docs = [
        ("a", 'The army raid on Tarvik, code-named "Amber Gate", began before dawn.', "2026-03-02", "Alpha Post"),
        ("b", 'Officers said the raid on Tarvik, code-named "Amber Gate", had been planned for weeks.',
         "2026-03-03", "Bravo Daily"),
        ("c", minority, "2026-03-04", "Charlie Voice"),
    ]
    _s, conflicts, errors = _run(nlp, docs)
    names = [c for c in conflicts if c.kind == "name"]
    assert len(names) == int(found) == len(errors)
    if found:
        assert errors[0].citation.text == "Amber Door" and errors[0].correction == "Amber Gate"


@pytest.mark.parametrize(
    "minority",
    [
        "The navy of Korath continues the operation Granite Sword against the port of Tarvik since many weeks.",
        "The navy of Korath continues the Granite Sword operation against the port of Tarvik since many weeks.",
        "The navy of Korath continues the operation «Granite Sword» against the port of Tarvik since weeks.",
    ],
    ids=["lower-case", "postfix", "guillemets"],
)
def test_translated_designations(nlp, minority):
    s, conflicts, errors = _run(nlp, _SHIELD + [("c", minority, "2026-03-04", "Charlie Voice")])
    (err,) = errors
    assert "Granite Sword" in err.citation.text and err.correction == "Operation Granite Shield"
    assert s.names[err.source] == "c"


_NAME_WORD = st.sampled_from(["operation", "iron", "tide", "wave", "granite", "shield", "sword", "southern",
                              "northern", "lance", "spear", "harbour", "front", "council", "of", "de", "tides"])


@given(st.lists(_NAME_WORD, min_size=2, max_size=4), st.lists(_NAME_WORD, min_size=2, max_size=4))
def test_variant_position_is_symmetric_and_names_one_differing_word(a, b):
    a, b = tuple(a), tuple(b)
    pos = variant_position(a, b)
    assert pos == variant_position(b, a)
    assert variant_position(a, a) is None
    if pos is not None:
        assert len(a) == len(b)
        assert [i for i in range(len(a)) if a[i] != b[i]] == [pos]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_month_intervals_overlap_exactly_when_months_match(x, y):
    from storyline.crosscheck.conflicts import _overlap

    a, b = date_interval(x.strftime("%Y-%m")), date_interval(y.strftime("%Y-%m"))
    assert a is not None and b is not None
    assert _overlap(a, b) == _overlap(b, a) == ((x.year, x.month) == (y.year, y.month))
    assert _overlap((x, x), (y, y)) == (abs((x - y).days) <= 1)


# --------------------------------------------------------------------------- names: people

_VICTIM = [
    ("a", "Police said Marta Koval, 34, of Eastbrook, was shot outside the community hall on Friday night. "
          "Officers arrested a man nearby.", "2026-03-02", "Alpha Post"),
    ("b", "The woman killed on Friday was Marta Koval, 34, of Eastbrook, police said. "
          "A suspect was taken into custody near the hall.", "2026-03-03", "Bravo Daily"),
]


@pytest.mark.parametrize(
    ("docs", "minority", "decided", "flagged"),
    [
        # one source gives the victim another surname: the majority is two independent sources
        (_VICTIM + [("c", "Marta Delacroix, 34, of Eastbrook, died after she was shot outside the community hall, "
                          "police said.", "2026-03-04", "Charlie Voice")], "Marta Delacroix", True, True),
        # one source against one: a disagreement, undecided
        (_VICTIM[:1] + [("c", "Marta Delacroix, 34, of Eastbrook, died after she was shot outside the community "
                              "hall, police said.", "2026-03-04", "Charlie Voice")], "Marta Delacroix", False, False),
        # another person who shares the given name, in another context: no conflict
        (_VICTIM + [("c", "Marta Lindqvist, the city's housing director, opened the new library in the harbour "
                          "district on Monday.", "2026-03-04", "Charlie Voice")], None, False, False),
        # the given name spelt another way by one source
        (_VICTIM + [("c", "Mirta Koval, 34, of Eastbrook, died after she was shot outside the community hall, "
                          "police said.", "2026-03-04", "Charlie Voice")], "Mirta Koval", True, False),  # likely, never flagged
        # a short form is the same name, not a disagreement
        (_VICTIM + [("c", "Mart Koval, 34, of Eastbrook, died after she was shot outside the community hall, "
                          "police said.", "2026-03-04", "Charlie Voice")], None, False, False),
        # sisters named side by side in one article are two people
        (_VICTIM + [("c", "Marta Koval, 34, and her sister Marja Koval, 31, of Eastbrook, were shot outside the "
                          "community hall, police said.", "2026-03-04", "Charlie Voice")], None, False, False),
    ],
    ids=["surname-replaced", "one-against-one", "another-person", "given-name-spelt", "short-form", "sisters"],
)
def test_person_name_conflicts(nlp, docs, minority, decided, flagged):
    _s, conflicts, errors = _run(nlp, docs)
    names = [c for c in conflicts if c.kind == "name"]
    if minority is None:
        assert names == [] and [e for e in errors if e.kind == "name"] == []
        return
    assert len(names) == 1
    assert minority in [side.value for side in names[0].sides]
    assert (names[0].likely is not None) == decided
    assert bool([e for e in errors if e.kind == "name"]) == flagged


# --------------------------------------------------------------------------- the day of the incident


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Two people were shot early Sunday outside a bakery on Elm Row, police said.", "2026-03-08"),
        ("Sunday night's shooting left the block shaken, neighbours said.", "2026-03-08"),
        ("A man fired his rifle in Oakvale on Sunday, striking a parked van.", "2026-03-08"),
        ("The incident happened on Sunday around 11 p.m. near the depot.", "2026-03-08"),
        # the day belongs to another event in the sentence
        ("A suspect was arrested Tuesday in the shooting outside the bakery.", None),
        ("Police said Tuesday that nobody else was hurt.", None),
        ("The shooting was reported Tuesday by a neighbour.", None),
        ("Relatives met on Tuesday to discuss the killing.", None),
        # no incident word, or a day still to come
        ("The bakery on Elm Row reopened on Tuesday.", None),
        ("A vigil for the victims of the shooting will be held Friday.", None),
    ],
    ids=["shot-early-sunday", "possessive-day", "fired-on-day", "happened-on", "arrested-in-the-shooting",
         "said-tuesday", "reported-tuesday", "met-to-discuss", "no-incident-word", "future-vigil"],
)
def test_incident_days(nlp, sentence, expected):
    from storyline.crosscheck.conflicts import _incident_days, _prepare

    s = make_items([("one", sentence, "2026-03-11", "One News")], nlp=nlp)
    days = [str(c.day) for art in _prepare(s.items, s.index) for c in _incident_days(art)]
    assert days == ([expected] if expected else [])


_INCIDENT_STORY = [
    ("one", "Two people were shot early Sunday outside a bakery on Elm Row in Oakvale, police said.",
     "2026-03-09", "One News"),
    ("two", "Police in Oakvale said two people were shot on Sunday night outside the Elm Row bakery.",
     "2026-03-10", "Two Times"),
    ("three", "Oakvale police are still looking for whoever shot two people outside the Elm Row bakery on Sunday.",
     "2026-03-11", "Three Post"),
]


@pytest.mark.parametrize(
    ("changed", "decided"),
    [
        (None, None),  # all agree: nothing to report
        ("Two people were shot early Thursday outside a bakery on Elm Row in Oakvale, police said.", True),
        ("Two people were shot early Saturday outside a bakery on Elm Row in Oakvale, police said.", None),  # a day
    ],
    ids=["agree", "moved-two-days", "one-day-apart"],
)
def test_incident_day_conflict(nlp, changed, decided):
    docs = list(_INCIDENT_STORY)
    if changed is not None:
        docs[0] = (docs[0][0], changed, "2026-03-13", docs[0][3])
    _s, conflicts, errors = _run(nlp, docs)
    found = [c for c in conflicts if c.about == "the day of the incident"]
    if decided is None:
        assert found == []
        return
    assert len(found) == 1
    assert found[0].likely == 0 and found[0].sides[1].value.startswith("Thursday 2026-03-12")
    assert [e.citation.text for e in errors if e.conflict == found[0].id] == ["shot early Thursday"]


def test_incident_day_one_against_one_is_undecided(nlp):
    docs = [_INCIDENT_STORY[1],
            ("one", "Two people were shot early Thursday outside a bakery on Elm Row in Oakvale, police said.",
             "2026-03-13", "One News")]
    _s, conflicts, errors = _run(nlp, docs)
    found = [c for c in conflicts if c.about == "the day of the incident"]
    assert len(found) == 1 and found[0].likely is None
    assert errors == ()


# --------------------------------------------------------------------------- the time of the incident

_TIMED = [
    ("one", "Two people were shot around 11:45 p.m. Sunday outside a bakery on Elm Row in Oakvale, police said.",
     "2026-03-09", "One News"),
    ("two", "Police said the shooting happened around 11:40 p.m. Sunday outside the Elm Row bakery.",
     "2026-03-10", "Two Times"),
]


@pytest.mark.parametrize(
    ("third", "expected"),
    [
        ("The shooting happened at about 11:50 p.m. on Sunday, Oakvale police said.", None),  # agrees
        ("The shooting happened at about 10:45 p.m. on Sunday, Oakvale police said.", 0),  # an hour apart
        ("The shooting happened late Sunday; police were called at 12:20 a.m. Monday.", None),  # another event
        ("Two people were shot outside the Elm Row bakery just after 10:45 p.m. Sunday.", 0),  # "just after"
        ("Two people were shot outside the Elm Row bakery at about 12:45 a.m. ET Monday.", None),  # a zone
    ],
    ids=["agree", "an-hour-apart", "call-time-not-incident", "just-after", "time-zone"],
)
def test_incident_time_conflict(nlp, third, expected):
    docs = [*_TIMED, ("three", third, "2026-03-10", "Three Post")]
    _s, conflicts, errors = _run(nlp, docs)
    found = [c for c in conflicts if c.about == "the time of the incident"]
    if expected is None:
        assert found == []
        return
    assert len(found) == 1 and found[0].likely == expected and found[0].kind == "date"
    assert found[0].sides[1].value.startswith("22:45")
    assert not [e for e in errors if e.conflict == found[0].id]  # times are approximate: never an error
