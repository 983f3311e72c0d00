"""A person's age across sources (storyline.crosscheck.ages), on sentences and articles of my own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.ages import _given_compatible, _name_parts, age_conflicts, person_ages
from storyline.records import Independence


@pytest.fixture(scope="module")
def nlp():
    from storyline.extract.nlp import load_nlp

    return load_nlp()


def _ages(nlp, text: str) -> list[tuple[str, int, str]]:
    s = make_items([("one", text, "2026-04-02")], nlp=nlp)
    clean, ext = s.items[0]
    return [(c.name, c.age, clean.text[c.span[0]:c.span[1]]) for c in person_ages(clean, ext)]


# (sentence, [(name, age)] read from it); the no-match rows name what must not be read as an age
AGES = [
    ("Police identified the victim as Dara Quennell, 17, of Harlow Park.", [("Dara Quennell", 17)]),
    ("The suspects are Ivo Brandt, 16; Pello Marquand, 20; and Tisa Varro, 19.",
     [("Ivo Brandt", 16), ("Pello Marquand", 20), ("Tisa Varro", 19)]),
    ("Officers arrested 22-year-old Jessel Dorne outside the bar early Wednesday.", [("Jessel Dorne", 22)]),
    ("Detectives are looking for the 19-year-old suspect Kemar Odell Tarrant.", [("Kemar Odell Tarrant", 19)]),
    ("Lt. Corwin Hale, 32, and Ansel Voight Jr., 23, were charged on Friday.",
     [("Corwin Hale", 32), ("Ansel Voight Jr.", 23)]),
    ("The court heard that Maren Oakes (25) had left the party early.", [("Maren Oakes", 25)]),
    ("The sheriff reported the death of Tobin “Biscuit” Ferrall, 54, at the county hospital.",
     [("Tobin Ferrall", 54)]),
    ("The shooting happened on Orchard Avenue. Vell Dunmore, 22, was taken to hospital.", [("Vell Dunmore", 22)]),
    # no person's full name with an age
    ("Garrow, 23, shot his father before driving away.", []),  # a lone surname
    ("The shooting happened on Monday, 14 March, near the school.", []),
    ("Shares of Harlow Mills, 12 percent lower, closed at a record.", []),
    ("The game ended Harlow City 3-1 after extra time.", []),
    ("A 36-year-old man and his sister were wounded.", []),
    ("Turnout in Bexley County, 45%, was the lowest in years.", []),
]


@pytest.mark.parametrize(("text", "expected"), AGES)
def test_ages_next_to_names(nlp, text, expected):
    got = _ages(nlp, text)
    assert [(n, a) for n, a, _ in got] == expected
    for name, age, cited in got:
        assert str(age) in cited and name.split()[-1].rstrip(".") in cited


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("christopher", "chris", True),
        ("kemontay", "kamontay", True),
        ("oslushla", "oshlushla", True),
        ("jamie", "jaime", True),
        ("koi", "kaleigh", False),
        ("antoine", "cleveland", False),
        ("daniel", "diana", False),
        ("al", "alexander", False),  # two letters are no short form
    ],
)
def test_given_names(a, b, same):
    assert _given_compatible(a, b) is same
    assert _given_compatible(b, a) is same


@given(st.lists(st.sampled_from(["Mr.", "Dara", "Quennell", "Jr.", "“Biscuit”", "D.", "Monday", "Avenue"]),
                min_size=1, max_size=6))
def test_name_parts_never_crash_and_keep_the_surname(tokens):
    parts = _name_parts(" ".join(tokens))
    if parts is not None:
        given_name, surname, suffix, display = parts
        assert given_name and surname and surname in display.casefold()
        assert suffix in ("", "jr")


def _conflicts(nlp, docs, groups=()):
    s = make_items(docs, nlp=nlp)
    ind = Independence(groups=tuple(tuple(s.ids[n] for n in g) for g in groups))
    conflicts, errors = age_conflicts(s.items, ind)
    texts = {c.article.id: c.article.text for c, _ in s.items}
    for c in conflicts:
        for side in c.sides:
            for cit in side.citations:
                assert texts[cit.source][cit.start:cit.end] == cit.text
    return s, conflicts, errors


A1 = "Police named the victim as Dara Quennell, 17, of Harlow Park. She was shot on Sunday night."
A2 = "Dara Quennell, 17, died at the scene, police said on Monday."
B1 = "The victim, Dara Quennell, 19, had moved to Harlow Park last year, her aunt said."


def test_a_lone_age_against_two_sources_is_an_error(nlp):
    s, conflicts, errors = _conflicts(nlp, [("a", A1, "2026-04-02", "Harlow News"),
                                            ("b", A2, "2026-04-03", "County Post"),
                                            ("c", B1, "2026-04-03", "Metro Daily")])
    assert len(conflicts) == 1
    x = conflicts[0]
    assert x.kind == "number" and x.about == "the age of Dara Quennell" and x.likely == 0
    assert [side.value for side in x.sides] == ["17", "19"]
    assert len(errors) == 1 and errors[0].source == s.ids["c"] and "Dara Quennell, 19" in errors[0].citation.text


def test_one_against_one_is_undecided_and_copies_count_once(nlp):
    _s, conflicts, errors = _conflicts(nlp, [("a", A1, "2026-04-02"), ("b", A2, "2026-04-03"),
                                             ("c", B1, "2026-04-03")], groups=[("a", "b")])
    assert len(conflicts) == 1 and conflicts[0].likely is None and errors == []


@pytest.mark.parametrize(
    ("later", "days", "conflict"),
    [
        ("Dara Quennell, 18, was remembered at a vigil a year after the shooting.", 400, False),  # a birthday
        ("Dara Quennell, 16, was remembered at a vigil a year after the shooting.", 400, True),  # younger later
        ("Dara Quennell, 21, was remembered at a vigil a year after the shooting.", 400, True),  # too many years
        ("Dara Quennell, 18, was remembered at a vigil a week after the shooting.", 7, True),
        ("Dara Quennell, 17, was remembered at a vigil a week after the shooting.", 7, False),  # agrees
    ],
)
def test_time_between_articles(nlp, later, days, conflict):
    import datetime as dt

    day = (dt.date(2026, 4, 2) + dt.timedelta(days=days)).isoformat()
    _s, conflicts, _e = _conflicts(nlp, [("a", A1, "2026-04-02"), ("b", later, day)])
    assert bool(conflicts) is conflict


def test_family_members_are_not_one_person(nlp):
    text1 = "The sisters, Koral Venn, 6, and Kessa Venn, 4, were found in the car."
    text2 = "The medical examiner named the girls as Koral Venn, 6, and Kessa Venn, 5."
    _s, conflicts, _e = _conflicts(nlp, [("a", text1, "2026-04-02"), ("b", text2, "2026-04-03")])
    assert [x.about for x in conflicts] == ["the age of Kessa Venn"]
    assert [side.value for side in conflicts[0].sides] == ["4", "5"]


def test_spelling_variants_are_one_person_and_suffixes_two(nlp):
    spelled = [("a", "Police arrested 18-year-old Kemontay Cullis in the shooting.", "2026-04-02"),
               ("b", "The suspects include Kamontay Cullis, 19, of Decatur.", "2026-04-03")]
    _s, conflicts, _e = _conflicts(nlp, spelled)
    assert len(conflicts) == 1
    father_son = [("a", "Ronan Tully Sr., 61, and Ronan Tully Jr., 34, were both wounded.", "2026-04-02"),
                  ("b", "Ronan Tully Sr., 61, was released from hospital on Friday.", "2026-04-03")]
    _s, conflicts, _e = _conflicts(nlp, father_son)
    assert conflicts == []
