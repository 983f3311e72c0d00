"""Tests for storyline.crosscheck.offices: office terms and role errors, on small self-written stories run through the
real pipeline, and on the bundled sample story (golden).  All texts below are invented for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.offices import OfficeKey, _name_starts, office_terms, parse_office, role_conflicts
from storyline.extract.nlp import load_nlp
from storyline.records import Independence

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_expected.json"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def run(nlp, docs, independence: Independence | None = None):
    s = make_items(docs, nlp=nlp)
    terms = office_terms(s.items, s.index, independence)
    conflicts, errors = role_conflicts(s.items, s.index, terms, independence)
    texts = {c.article.id: c.article.text for c, _ in s.items}
    for cite in (
        [c for t in terms for c in t.citations]
        + [c for x in conflicts for side in x.sides for c in side.citations]
        + [e.citation for e in errors]
        + [c for e in errors for c in e.evidence]
    ):
        assert texts[cite.source][cite.start : cite.end] == cite.text  # every citation verifies
    ids = {x.id for x in conflicts}
    for e in errors:
        assert e.conflict in ids
    return s, terms, conflicts, errors


# --------------------------------------------------------------------------- parsing titles

PARSE_CASES = [
    ("President", ("current", OfficeKey("president"), "President")),
    ("former President", ("former", OfficeKey("president"), "President")),
    ("ex-President", ("former", OfficeKey("president"), "President")),
    ("Then-President", ("then", OfficeKey("president"), "President")),
    ("President-elect", ("incoming", OfficeKey("president"), "President")),
    ("incoming President", ("incoming", OfficeKey("president"), "President")),
    ("acting Mayor", ("acting", OfficeKey("mayor"), "Mayor")),
    (
        "Defence Minister",
        ("current", OfficeKey("minister", frozenset(), frozenset({"defence"})), "Defence Minister"),
    ),
    (
        "Minister of Defense",
        ("current", OfficeKey("minister", frozenset(), frozenset({"defence"})), "Minister of Defense"),
    ),
    (
        "Secretary of War",
        ("current", OfficeKey("secretary", frozenset(), frozenset({"defence"})), "Secretary of War"),
    ),
    ("Prime Minister", ("current", OfficeKey("minister", frozenset({"prime"})), "Prime Minister")),
    ("Vice President", ("current", OfficeKey("president", frozenset({"vice"})), "Vice President")),
    ("Veldanian President", ("current", OfficeKey("president"), "Veldanian President")),
    ("Admiral", ("current", OfficeKey("admiral"), "Admiral")),
    # no office: descriptions and plain words
    ("analyst", ("current", None, "analyst")),
    ("journalist", ("current", None, "journalist")),
    ("Harbour", ("current", None, "Harbour")),
]


@pytest.mark.parametrize(("role", "expected"), PARSE_CASES)
def test_parse_office(role, expected):
    assert parse_office(role) == expected


COMPAT_CASES = [
    ("Defence Minister", "Secretary of War", True),  # one portfolio under two names
    ("Defence Minister", "Minister", True),  # less specific
    ("Admiral", "President", True),  # a rank goes with anything
    ("Opposition leader", "President", True),  # generic title
    ("Foreign Minister", "Secretary of State", True),
    ("Foreign Minister", "Defence Minister", False),
    ("President", "Prime Minister", False),
    ("President", "Vice President", False),
    ("Deputy Foreign Minister", "Foreign Minister", False),
]


@pytest.mark.parametrize(("a", "b", "expected"), COMPAT_CASES)
def test_compatible_titles(a, b, expected):
    ka, kb = parse_office(a)[1], parse_office(b)[1]
    assert ka is not None and kb is not None
    assert ka.compatible(kb) is expected
    assert kb.compatible(ka) is expected


_ROLE_WORDS = st.sampled_from(
    [
        "President",
        "Defence Minister",
        "Secretary of State",
        "Mayor",
        "Governor",
        "Prime Minister",
        "Foreign Minister",
        "Admiral",
        "Chancellor",
    ]
)


@given(_ROLE_WORDS, st.sampled_from(["former ", "ex-", "Former "]))
def test_former_prefix_keeps_the_office(role, prefix):
    status, key, display = parse_office(role)
    fstatus, fkey, fdisplay = parse_office(prefix + role)
    assert (status, fstatus) == ("current", "former")
    assert fkey == key and fdisplay == display


@given(st.text(max_size=60))
def test_parse_office_total(text):
    status, key, display = parse_office(text)
    assert status in {"current", "former", "incoming", "acting", "then"}
    assert key is None or key.compatible(key)


_CAP = st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True)


@given(
    st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=6),
    st.lists(_CAP, min_size=0, max_size=2),
    _CAP,
    st.sampled_from([", who took office", " resigned", "'s death", " said"]),
)
def test_name_starts_finds_surname_and_run(prefix, given_names, surname, tail):
    head = " ".join(prefix) + (" " if prefix else "")
    run = " ".join([*given_names, surname])
    text = head + run + tail + "."
    starts = _name_starts(text, {surname})
    if tail == " said":  # no name-first pattern can follow
        assert starts == [] or all(text[p:].startswith(tuple(given_names) + (surname,)) for p in starts)
    else:
        assert len(head) + len(run) - len(surname) in starts  # the surname itself
        assert len(head) in starts  # the start of the capitalised run
    assert _name_starts(text, set()) == []


# --------------------------------------------------------------------------- stories

SITTING = [
    (
        "a",
        "President Lena Morrow met the harbour council in Halvik on Monday. "
        "Morrow said the budget would pass.",
        "2025-12-01",
        "Halvik Times",
    ),
    (
        "b",
        "Farmers protested outside the palace on Wednesday. President Lena Morrow promised new subsidies.",
        "2025-12-03",
        "Coast Daily",
    ),
    (
        "c",
        "The subsidy plan was drafted by former President Lena Morrow, who remains popular in the north.",
        "2025-12-05",
        "Buzz Hub",
    ),
    (
        "d",
        "President Lena Morrow signed the budget into law on Sunday, ending a month of protests.",
        "2025-12-08",
        "Northern Star",
    ),
]
TRULY_FORMER = [
    ("a", "President Lena Morrow met the harbour council in Halvik on Monday.", "2025-12-01", "Halvik Times"),
    (
        "b",
        "Lena Morrow stepped down on Tuesday after losing a confidence vote in parliament.",
        "2025-12-03",
        "Coast Daily",
    ),
    (
        "c",
        "Former President Lena Morrow said she would write a book about the crisis.",
        "2025-12-05",
        "Buzz Hub",
    ),
    (
        "d",
        "The new cabinet met on Sunday. Former President Lena Morrow did not attend.",
        "2025-12-08",
        "Northern Star",
    ),
    ("e", "President Lena Morrow had promised new subsidies before the vote.", "2025-12-09", "Late Paper"),
]
FORMER_NO_LATER_CURRENT = [  # called President early, "former" later, nobody calls her President afterwards
    ("a", "President Lena Morrow met the harbour council in Halvik.", "2025-09-01", "Halvik Times"),
    ("c", "Former President Lena Morrow said she would write a book.", "2025-12-05", "Buzz Hub"),
    ("d", "Former President Lena Morrow did not attend the cabinet meeting.", "2025-12-08", "Northern Star"),
]
OUTDATED = [
    (
        "a",
        "President Omar Velt, who took office in January, visited the dam at Rennick on Friday.",
        "2025-03-01",
        "Rennick Post",
    ),
    (
        "b",
        "President Omar Velt said the dam would reopen in spring. Velt spoke to reporters in the capital.",
        "2025-04-02",
        "Capital Wire",
    ),
    (
        "c",
        "Omar Velt, who is set to take office next month, has promised to reopen the dam at Rennick.",
        "2025-06-10",
        "Trend Farm",
    ),
    ("d", "President Omar Velt opened the dam on Saturday.", "2025-06-20", "Valley News"),
]
NORMAL_TRANSITION = [  # president-elect first, president after the inauguration: nothing wrong
    ("a", "President-elect Omar Velt named his cabinet on Monday.", "2025-01-05", "Rennick Post"),
    (
        "b",
        "Omar Velt, who is set to take office this month, met the outgoing cabinet.",
        "2025-01-10",
        "Capital Wire",
    ),
    ("c", "President Omar Velt signed his first decree on Friday.", "2025-02-01", "Valley News"),
    ("d", "President Omar Velt visited the dam at Rennick.", "2025-02-10", "Trend Farm"),
]
SECOND_TERM = [
    ("a", "President Omar Velt opened the dam at Rennick.", "2025-03-01", "Rennick Post"),
    ("b", "President Omar Velt said the dam would reopen in spring.", "2025-04-02", "Capital Wire"),
    (
        "c",
        "Omar Velt, who won re-election in May, will be sworn in for a second term next month.",
        "2025-06-10",
        "Trend Farm",
    ),
]
ADMIN_INCOMING = [
    ("a", "President Omar Velt signed the water law on Friday.", "2025-03-01", "Rennick Post"),
    ("b", "President Omar Velt said the dam would reopen in spring.", "2025-04-02", "Capital Wire"),
    (
        "c",
        "Engineers hope the incoming Velt administration will fund the dam at Rennick.",
        "2025-06-10",
        "Trend Farm",
    ),
]
COMPATIBLE = [
    (
        "a",
        "Admiral Kira Holm, the fleet commander, said the navy was ready. "
        "Defence Minister Tomas Reyl agreed.",
        "2025-05-01",
        "One",
    ),
    (
        "b",
        "Defence Minister Tomas Reyl visited the port on Tuesday. Admiral Kira Holm joined him.",
        "2025-05-03",
        "Two",
    ),
    (
        "c",
        "Minister Tomas Reyl said the ships would sail. Commander Kira Holm led the fleet.",
        "2025-05-04",
        "Three",
    ),
    ("d", "Defense Minister Tomas Reyl met his allies on Friday.", "2025-05-06", "Four"),
]
WRONG_OFFICE = [
    (
        "a",
        "Foreign Minister Ana Selby flew to Dorrin on Monday for talks on the border.",
        "2025-05-01",
        "One",
    ),
    ("b", "Foreign Minister Ana Selby said the talks in Dorrin were useful.", "2025-05-03", "Two"),
    ("c", "Defence Minister Ana Selby announced new patrols along the border.", "2025-05-04", "Three"),
    ("d", "Foreign Minister Ana Selby returned from Dorrin on Friday.", "2025-05-06", "Four"),
]
TWO_HOLDERS = [  # one office, two people at different times
    ("a", "Defence Minister Tom Hale inspected the northern garrison on Monday.", "2025-01-10", "One"),
    ("b", "Defence Minister Tom Hale announced a new tank order.", "2025-02-12", "Two"),
    (
        "c",
        "Defence Minister Rosa Imre, who replaced Tom Hale in May, visited the garrison.",
        "2025-06-10",
        "Three",
    ),
    (
        "d",
        "Former Defence Minister Tom Hale criticised the tank order. Defence Minister Rosa Imre defended it.",
        "2025-07-01",
        "Four",
    ),
]
TWO_PRESIDENTS = [  # the same title in two countries
    (
        "a",
        "President Lena Morrow of Aldmere met President Juan Ortez of Veldania on Monday.",
        "2025-05-01",
        "One",
    ),
    (
        "b",
        "President Juan Ortez said the meeting went well. President Lena Morrow agreed.",
        "2025-05-03",
        "Two",
    ),
    ("c", "President Lena Morrow flew home on Tuesday.", "2025-05-04", "Three"),
    ("d", "President Juan Ortez stayed in Aldmere.", "2025-05-06", "Four"),
]
RETIRED_GENERAL = [
    ("a", "General Piet Vorst spoke to the troops in Korrim.", "2025-05-01", "One"),
    ("b", "Retired General Piet Vorst said the army was tired.", "2025-05-03", "Two"),
    ("c", "General Piet Vorst visited the front on Friday.", "2025-05-06", "Three"),
]

DIED = [  # a justice who died: "former" and "the late" are right, the bare title is kept by custom
    ("a", "Justice Mara Quill wrote the ruling on the river dam.", "2025-03-01", "One"),
    ("b", "Justice Mara Quill died on Sunday at her home in Tessel.", "2025-03-10", "Two"),
    ("c", "Former Justice Mara Quill was remembered by the court on Wednesday.", "2025-03-12", "Three"),
    ("d", "The ruling by Justice Mara Quill still stands, lawyers said.", "2025-03-20", "Four"),
    ("e", "Lawyers cited Justice Mara Quill in their appeal.", "2025-03-22", "Five"),
]
LATE = [
    ("a", "Justice Mara Quill wrote the ruling on the river dam.", "2025-03-01", "One"),
    ("c", "The late Justice Mara Quill was remembered by the court on Wednesday.", "2025-03-12", "Three"),
    ("d", "The ruling by Justice Mara Quill still stands, lawyers said.", "2025-03-20", "Four"),
]
_FILLER = [
    (f"f{i}", f"Fishing boats stayed in port at Rennick for the {w} day running.", f"2025-02-{d}", f"F{i}")
    for i, (w, d) in enumerate(
        [
            ("third", "17"),
            ("fourth", "18"),
            ("fifth", "19"),
            ("sixth", "21"),
            ("seventh", "22"),
            ("eighth", "23"),
        ]
    )
]
FAR_APART = [  # a long-gone president named with the bare title in history pieces, weeks away from "former"
    ("a", "President Hal Brandt signed the harbour treaty, historians say.", "2025-01-05", "One"),
    ("b", "Former President Hal Brandt would have turned 100 on Saturday.", "2025-02-20", "Two"),
    ("c", "President Hal Brandt once called the treaty his best work.", "2025-04-30", "Three"),
    ("d", "President Hal Brandt was a keen sailor, his letters show.", "2025-05-02", "Four"),
    *_FILLER,
]

ADMIN_LEFT = [  # an administration "set to take office" that the corpus shows has left
    ("a", "Former President Hal Brandt opened a library in Tessel on Monday.", "2025-11-03", "One"),
    (
        "b",
        "Hal Brandt left office in January after two terms. President Ida Rook now leads the country.",
        "2025-11-05",
        "Two",
    ),
    ("c", "Former President Hal Brandt criticised the budget.", "2025-11-08", "Three"),
    (
        "d",
        "Farmers hope the Brandt administration, which is set to take office soon, will cut fuel taxes.",
        "2025-11-10",
        "Farm",
    ),
]
# two independent sources call him incoming: a real transition, whatever came before
CORROBORATED_TRANSITION = [
    ("a", "President Omar Velt was remembered for the dam at Rennick.", "2025-03-01", "Rennick Post"),
    ("b", "President Omar Velt once said the dam would last a century.", "2025-04-02", "Capital Wire"),
    ("c", "President-elect Omar Velt named his cabinet on Monday.", "2025-06-10", "Trend Farm"),
    (
        "d",
        "Omar Velt, who will be sworn in next month, met the outgoing cabinet.",
        "2025-06-12",
        "Valley News",
    ),
]
HYPOTHETICAL_FORMER = [
    *SITTING[:2],
    (
        "c",
        "Once Lena Morrow is former President Lena Morrow, the party will need a new leader.",
        "2025-12-05",
        "Buzz Hub",
    ),
    SITTING[3],
]
FUTURE_LEFT = [
    *SITTING,
    (
        "e",
        "Reform will come only when Lena Morrow has left office, critics say.",
        "2025-12-04",
        "Critic Weekly",
    ),
]

ADMIN_LEFT_ONE_SOURCE = [  # one source says he is a former president, nobody calls him president since
    ("a", "President Ida Rook signed the budget on Monday.", "2025-11-03", "One"),
    ("b", "Former President Hal Brandt opened a library in Tessel.", "2025-11-05", "Two"),
    ("c", "President Ida Rook met farmers on Friday.", "2025-11-08", "Three"),
    ("d", "Farmers hope the incoming Brandt administration will cut fuel taxes.", "2025-11-10", "Farm"),
]

STORY_CASES = [
    (
        "sitting called former",
        SITTING,
        [("role", "c", "former President Lena Morrow", "President Lena Morrow")],
    ),
    ("truly former", TRULY_FORMER, []),
    ("former, no later current", FORMER_NO_LATER_CURRENT, []),
    (
        "outdated set to take office",
        OUTDATED,
        [("outdated", "c", "Omar Velt, who is set to take office", "President Omar Velt")],
    ),
    ("normal transition", NORMAL_TRANSITION, []),
    ("second term", SECOND_TERM, []),
    (
        "incoming administration",
        ADMIN_INCOMING,
        [("outdated", "c", "incoming Velt administration", "President Omar Velt")],
    ),
    ("compatible titles", COMPATIBLE, []),
    (
        "wrong office",
        WRONG_OFFICE,
        [("role", "c", "Defence Minister Ana Selby", "Foreign Minister Ana Selby")],
    ),
    ("two holders at different times", TWO_HOLDERS, []),
    ("two presidents", TWO_PRESIDENTS, []),
    ("retired general", RETIRED_GENERAL, []),
    ("died", DIED, []),
    ("the late", LATE, []),
    ("far apart in time", FAR_APART, []),
    ("hypothetical former", HYPOTHETICAL_FORMER, []),
    ("corroborated transition", CORROBORATED_TRANSITION, []),
    (
        "administration that has left, one source",
        ADMIN_LEFT_ONE_SOURCE,
        [("outdated", "d", "incoming Brandt administration", "former President Hal Brandt")],
    ),
    (
        "administration that has left",
        ADMIN_LEFT,
        [
            (
                "outdated",
                "d",
                "Brandt administration, which is set to take office",
                "former President Hal Brandt",
            )
        ],
    ),
    (
        "future leaving is no evidence",
        FUTURE_LEFT,
        [("role", "c", "former President Lena Morrow", "President Lena Morrow")],
    ),
]


@pytest.mark.parametrize(("label", "docs", "expected"), STORY_CASES, ids=[c[0] for c in STORY_CASES])
def test_role_errors(nlp, label, docs, expected):
    s, _terms, conflicts, errors = run(nlp, docs)
    got = [(e.kind, s.names[e.source], e.citation.text, e.correction) for e in errors]
    assert got == expected
    assert len(conflicts) == len(expected)
    for c in conflicts:
        assert c.kind == "role" and len(c.sides) == 2 and c.likely == 1
        assert c.sides[1].independent >= (1 if "one source" in label else 2) and c.explanation


def test_former_error_evidence_and_why(nlp):
    s, _terms, conflicts, errors = run(nlp, SITTING)
    (err,) = errors
    assert {s.names[c.source] for c in err.evidence} == {"a", "b", "d"}
    assert all("President Lena Morrow" in c.text for c in err.evidence)
    assert "2025-12-05" in err.why and "2025-12-01" in err.why and "2025-12-08" in err.why
    wrong, right = conflicts[0].sides
    assert wrong.value == "former President Lena Morrow" and wrong.sources == (s.ids["c"],)
    assert right.value == "President Lena Morrow"


def test_copies_are_not_independent_evidence(nlp):
    # b and d are one source (a wire and its copy): the President side has only one independent source
    # besides... a single origin, so "former" in c is not flagged: one source against one is a disagreement
    # with no side preferred
    docs = [SITTING[1], SITTING[2], SITTING[3]]
    s = make_items(docs, nlp=nlp)
    group = Independence(groups=((s.ids["b"], s.ids["d"]),))
    terms = office_terms(s.items, s.index, group)
    conflicts, errors = role_conflicts(s.items, s.index, terms, group)
    assert errors == ()
    assert [(x.kind, x.likely, [side.value for side in x.sides]) for x in conflicts] == [
        ("role", None, ["former President Lena Morrow", "President Lena Morrow"])]
    # counted as independent, the same texts are enough
    terms = office_terms(s.items, s.index, None)
    assert len(role_conflicts(s.items, s.index, terms, None)[1]) == 1


def test_office_terms_statuses(nlp):
    s, terms, _c, _e = run(nlp, TRULY_FORMER)
    rows = {(t.name, t.office, t.status): t for t in terms}
    cur = rows[("Lena Morrow", "President", "current")]
    former = rows[("Lena Morrow", "President", "former")]
    assert (cur.first_seen, cur.last_seen) == ("2025-12-01", "2025-12-09")
    assert (former.first_seen, former.last_seen) == ("2025-12-03", "2025-12-08")
    assert former.independent == 3
    assert any(c.text == "Lena Morrow stepped down" for c in former.citations)


def test_office_terms_incoming_and_tenure(nlp):
    s, terms, _c, _e = run(nlp, OUTDATED)
    rows = {(t.office, t.status): t for t in terms if t.name == "Omar Velt"}
    assert set(rows) == {("President", "current"), ("President", "incoming")}
    assert any(c.text == "Omar Velt, who took office" for c in rows[("President", "current")].citations)
    assert rows[("President", "incoming")].sources == (s.ids["c"],)


def test_no_roles_no_terms(nlp):
    s, terms, conflicts, errors = run(
        nlp, [("a", "Fishing boats stayed in the harbour all week.", "2025-01-01")]
    )
    assert (terms, conflicts, errors) == ((), (), ())


# --------------------------------------------------------------------------- the sample story (golden)


def test_sample_role_error(sample_items):
    s = sample_items
    golden = json.loads(GOLDEN.read_text())
    groups = tuple(tuple(s.ids[f] for f in g) for g in golden["wire_groups"])
    indep = Independence(groups=groups)
    terms = office_terms(s.items, s.index, indep)
    conflicts, errors = role_conflicts(s.items, s.index, terms, indep)
    texts = {c.article.id: c.article.text for c, _ in s.items}
    expected = [c for c in golden["conflicts"] if c["kind"] == "role"]
    assert len(conflicts) == len(expected) == 1
    (conflict,) = conflicts
    wrong, right = conflict.sides
    assert [s.names[x] for x in wrong.sources] == [expected[0]["files"][0]]
    assert expected[0]["sides"][0] in wrong.citations[0].text
    assert any(expected[0]["sides"][1] == c.text for c in right.citations)
    assert right.independent >= 5
    (err,) = errors
    gold_err = next(e for e in golden["errors"] if e["file"] == "newspulse-hub-sarrow-explainer.md")
    assert s.names[err.source] == gold_err["file"] and err.citation.text == gold_err["snippet"]
    assert (
        err.kind == "role" and err.correction == "President Marek Osterlund" and err.conflict == conflict.id
    )
    files = {s.names[c.source] for c in err.evidence}
    assert "meridian-ledger-2025-12-08.txt" in files and "lantern-times-2025-12-22.txt" in files
    assert len({indep.origin(c.source) for c in err.evidence}) >= 5
    for cite in [err.citation, *err.evidence, *(c for side in conflict.sides for c in side.citations)]:
        assert texts[cite.source][cite.start : cite.end] == cite.text
    current = [t for t in terms if t.name == "Marek Osterlund" and t.status == "current"]
    assert current and current[0].office == "President" and current[0].first_seen == "2025-12-08"
    assert current[0].last_seen == "2025-12-29"
    assert not [t for t in terms if t.name == "Teodora Vâlcu" and t.status != "current"]


def test_wrong_office_close_vote_is_a_conflict_without_error(nlp):
    docs = [
        *WRONG_OFFICE,
        ("e", "Defence Minister Ana Selby toured the northern bases on Tuesday.", "2025-05-05", "Five"),
    ]
    s, _terms, conflicts, errors = run(nlp, docs)
    assert errors == ()
    (conflict,) = conflicts
    wrong, right = conflict.sides
    assert (wrong.value, wrong.independent) == ("Defence Minister Ana Selby", 2)
    assert (right.value, right.independent) == ("Foreign Minister Ana Selby", 3)
    assert {s.names[x] for x in wrong.sources} == {"c", "e"}
