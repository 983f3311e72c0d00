"""Tests for storyline.extract.entities: mentions in one article, and corpus linking (real spaCy model)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.extract.entities import EntityIndex, extract_mentions, link_entities, normalize_name
from storyline.extract.nlp import load_nlp
from storyline.ingest.spans import OffsetMap
from storyline.records import Article, CleanArticle, Mention, Span

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def mentions(nlp, text: str) -> tuple[Mention, ...]:
    found = extract_mentions(nlp(text))
    for m in found:  # grounded by construction: every span is the exact text
        assert text[m.span.start : m.span.end] == m.span.text
        if m.role_span is not None:
            assert text[m.role_span.start : m.role_span.end] == m.role_span.text == m.role
    assert [m.span.start for m in found] == sorted(m.span.start for m in found)
    return found


def rows(found: tuple[Mention, ...]) -> list[tuple[str, str, str, str | None]]:
    return [(m.span.text, m.label, m.key, m.role) for m in found]


# --------------------------------------------------------------------------- names, labels, junk

NAME_CASES = [
    (
        "President Trump met Venezuelan President Nicolás Maduro in Caracas on Monday.",
        [
            ("Trump", "PERSON", "Trump", "President"),
            ("Nicolás Maduro", "PERSON", "Nicolás Maduro", "President"),
            ("Caracas", "PLACE", "Caracas", None),
        ],
    ),
    (
        "Nicolás Maduro spoke on Monday. Maduro's aides disagreed.",
        [
            ("Nicolás Maduro", "PERSON", "Nicolás Maduro", None),
            ("Maduro", "PERSON", "Nicolás Maduro", None),  # tagged ORG by the model, possessive stripped
        ],
    ),
    (
        "The Defence Ministry said the Socialist Party lost.",
        [("Defence Ministry", "ORG", "Defence Ministry", None), ("Socialist Party", "ORG", "Socialist Party", None)],
    ),
    (
        "Officials at the Pentagon and the White House declined to comment.",
        [("Pentagon", "ORG", "Pentagon", None), ("White House", "ORG", "White House", None)],
    ),
    # no-match rows
    ("He said they would go, and it was raining when we left.", []),
    ("She told him that it was theirs.", []),
    ("the ships sailed at dawn and nobody said anything about it.", []),
    ("", []),
    ("The 2025 results: 12, 15 and 3.", []),
]


@pytest.mark.parametrize(("text", "expected"), NAME_CASES)
def test_names(nlp, text, expected):
    assert rows(mentions(nlp, text)) == expected


# --------------------------------------------------------------------------- roles

ROLE_CASES = [
    ("Former President Joe Biden spoke on Tuesday.", "Joe Biden", "Former President"),
    ("Yesterday former President Joe Biden spoke.", "Joe Biden", "former President"),
    ("Defense Minister Vladimir Padrino López said the army was ready.", "Vladimir Padrino López", "Defense Minister"),
    ("Secretary of War Pete Hegseth announced new strikes.", "Pete Hegseth", "Secretary of War"),
    ("Gen. Dan Caine and Admiral Alvin Holsey spoke to reporters.", "Dan Caine", "Gen."),
    ("Gen. Dan Caine and Admiral Alvin Holsey spoke to reporters.", "Alvin Holsey", "Admiral"),
    ("Vice President JD Vance spoke with Prime Minister Mark Carney.", "JD Vance", "Vice President"),
    ("Vice President JD Vance spoke with Prime Minister Mark Carney.", "Mark Carney", "Prime Minister"),
    ("Senator Marco Rubio said the vote would fail.", "Marco Rubio", "Senator"),
    ("The vote was a win for opposition leader María Corina Machado, observers said.", "María Corina Machado",
     "opposition leader"),
    ("Maria Lopez, the foreign minister, said talks would resume.", "Maria Lopez", "foreign minister"),
    ("Marco Rubio, who is the secretary of state, said talks would resume.", "Marco Rubio", "secretary of state"),
    ("A spokeswoman, Karoline Leavitt, said the plan was final.", "Karoline Leavitt", "spokeswoman"),
    ("White House press secretary Karoline Leavitt said the plan was final.", "Karoline Leavitt",
     "White House press secretary"),
    ("The activist Ana Garcia met Luis Garcia, a lawmaker, in Caracas.", "Luis Garcia", "lawmaker"),
    ("Later Nicolás Maduro, 62, said he would stay.", "Nicolás Maduro", None),
    ("He met former Maryland Gov. Martin Omalley there.", "Martin Omalley", "former Maryland Gov."),
    ("It was House Minority Leader Nancy Pelosi who objected.", "Nancy Pelosi", "House Minority Leader"),
    # no role
    ("Karoline Leavitt said the plan was final.", "Karoline Leavitt", None),
    ("Mr. Dan Caine said little.", "Dan Caine", None),  # an honorific is stripped but is no role
    ("Speaking to the president, Joe Biden said little.", "Joe Biden", None),
]


@pytest.mark.parametrize(("text", "name", "role"), ROLE_CASES)
def test_roles(nlp, text, name, role):
    found = {m.span.text: m for m in mentions(nlp, text) if m.kind == "name"}
    assert name in found
    assert found[name].role == role
    assert (found[name].role_span is None) == (role is None)


# --------------------------------------------------------------------------- clustering within one article

CLUSTER_CASES = [
    (
        "President Donald Trump spoke on Monday. Trump said the talks went well. President Trump left.",
        {"Donald Trump": "Donald Trump", "Trump": "Donald Trump"},
    ),
    (
        "Maduro spoke first. Later Nicolás Maduro said he would stay.",  # the fuller form comes later
        {"Maduro": "Nicolás Maduro", "Nicolás Maduro": "Nicolás Maduro"},
    ),
    (
        "The activist Ana Garcia met Luis Garcia, a lawmaker, in Caracas. Garcia said nothing.",
        # ambiguous surname keeps its own key
        {"Ana Garcia": "Ana Garcia", "Luis Garcia": "Luis Garcia", "Garcia": "Garcia", "Caracas": "Caracas"},
    ),
    (
        "The United Nations (UN) said the ships must stop. The UN will meet again on Friday.",
        {"United Nations": "United Nations", "UN": "United Nations"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLUSTER_CASES)
def test_clustering(nlp, text, expected):
    keys = {m.span.text: m.key for m in mentions(nlp, text) if m.kind == "name"}
    assert keys == expected


# --------------------------------------------------------------------------- title-only mentions

TITLE_CASES = [
    (
        "Venezuelan President Nicolás Maduro spoke on Monday. The Venezuelan leader said he would stay.",
        [("The Venezuelan leader", "Nicolás Maduro")],
    ),
    (
        "Admiral Alvin Holsey met reporters. The admiral said the fleet was ready.",
        [("The admiral", "Alvin Holsey")],
    ),
    (
        "Maria Lopez, the foreign minister, arrived on Monday. The foreign minister said talks would resume.",
        [("The foreign minister", "Maria Lopez")],
    ),
    (
        "Venezuela's President Nicolás Maduro spoke on Monday. Later the Venezuelan leader left Caracas.",
        [("the Venezuelan leader", "Nicolás Maduro")],
    ),
    (
        "Prime Minister Mark Carney and Senator Marco Rubio met. The senator said little.",
        [("The senator", "Marco Rubio")],
    ),
    # ambiguous: two presidents so far -> no mention
    ("President Trump met Venezuelan President Nicolás Maduro. The president said nothing.", []),
    # nationality does not match the only president
    ("President Trump spoke on Monday. The Venezuelan leader said nothing.", []),
    # a vice president is not "the president"; the title comes before anyone holds it
    ("Vice President JD Vance arrived. The president was away.", []),
    ("The president was away. President Trump arrived later.", []),
    # the title introduces another name: not a back-reference
    ("President Trump spoke. The president, Joe Biden, disagreed.", []),
    # pronouns are never mentions
    ("President Trump spoke. He said he would stay.", []),
]


@pytest.mark.parametrize(("text", "expected"), TITLE_CASES)
def test_title_mentions(nlp, text, expected):
    found = [(m.span.text, m.key) for m in mentions(nlp, text) if m.kind == "title"]
    assert found == expected
    assert all(m.label == "PERSON" for m in mentions(nlp, text) if m.kind == "title")


# --------------------------------------------------------------------------- corpus linking

CORPUS = [
    ("a1", "2025-11-01", "President Donald Trump warned Venezuelan President Nicolás Maduro on Monday. "
                         "Trump said the United Nations (UN) should act."),
    ("a2", "2025-11-02", "Nicolas Maduro rejected the warning. Maduro spoke in Caracas. The UN said it was "
                         "worried. Former President Trump was not mentioned."),
    ("a3", "2025-11-03", "Nicolas Madura, the Venezuelan leader, appeared on television. The activist Ana Garcia "
                         "met Luis Garcia, a lawmaker, in Caracas on Friday."),
    ("a4", "2025-11-04", "Garcia declined to comment. Donald Trump later posted online. The United Nations held "
                         "a meeting."),
]


def _clean(aid: str, published: str, text: str) -> CleanArticle:
    art = Article(id=aid, origin=f"{aid}.txt", text=text, format="text", published=published)
    return CleanArticle(art, text, OffsetMap.identity(len(text)))


@pytest.fixture(scope="module")
def index(nlp) -> EntityIndex:
    items = []
    for aid, published, text in CORPUS:
        items.append((_clean(aid, published, text), extract_mentions(nlp(text))))
    return link_entities(items)


def test_corpus_accents_surnames_and_misspelling(index):
    maduro = index.by_id("person:nicolas-maduro")
    assert maduro is not None
    assert maduro.name == "Nicolás Maduro"  # accented spelling preferred
    assert set(maduro.aliases) == {"Nicolás Maduro", "Nicolas Maduro", "Maduro", "Nicolas Madura"}
    for aid, key in [("a1", "Nicolás Maduro"), ("a2", "Nicolas Maduro"), ("a3", "Nicolas Madura")]:
        assert index.resolve(aid, key) is maduro
    assert {(r.role, r.citation.source, r.published) for r in maduro.roles} == {
        ("President", "a1", "2025-11-01"),
        ("leader", "a3", "2025-11-03"),
    }


def test_corpus_surname_only_article_links(index):
    trump = index.resolve("a2", "Trump")  # a2 only says "Former President Trump"
    assert trump is not None and trump is index.resolve("a1", "Donald Trump")
    assert trump.id == "person:donald-trump" and trump.name == "Donald Trump"
    assert sorted(r.role for r in trump.roles) == ["Former President", "President"]
    un = index.resolve("a2", "UN")
    assert un is not None and un is index.resolve("a4", "United Nations")
    assert un.id == "org:united-nations"


def test_corpus_ambiguous_surname_stays_separate(index):
    garcia = index.resolve("a4", "Garcia")
    ana, luis = index.resolve("a3", "Ana Garcia"), index.resolve("a3", "Luis Garcia")
    assert garcia is not None and ana is not None and luis is not None
    assert len({garcia.id, ana.id, luis.id}) == 3
    assert index.resolve("a4", "Nobody") is None
    assert index.by_id("person:nobody") is None


def test_corpus_citations_are_exact_and_output_deterministic(nlp, index):
    texts = {aid: text for aid, _, text in CORPUS}
    for ent in index.entities:
        assert len(set(ent.citations)) == len(ent.citations)
        for c in ent.citations:
            assert texts[c.source][c.start : c.end] == c.text
        for r in ent.roles:
            assert texts[r.citation.source][r.citation.start : r.citation.end] == r.role
    ids = [e.id for e in index.entities]
    assert len(set(ids)) == len(ids)
    order = [(e.label, normalize_name(e.name), e.name) for e in index.entities]
    assert order == sorted(order)  # by label, then name
    again = link_entities(
        (_clean(a, p, t), extract_mentions(nlp(t))) for a, p, t in reversed(CORPUS)
    )
    assert again.entities == index.entities


def test_link_empty():
    assert link_entities([]).entities == ()


# --------------------------------------------------------------------------- normalisation

NORMALIZE_CASES = [
    ("Nicolás Maduro", "nicolas maduro"),
    ("NICOLAS  MADURO", "nicolas maduro"),
    ("Padrino-López", "padrino lopez"),
    ("U.S.", "us"),
    ("O’Malley", "omalley"),
    ("", ""),
    ("...", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


@given(st.text(max_size=40))
def test_normalize_name_idempotent(s):
    n = normalize_name(s)
    assert normalize_name(n) == n
    assert n == n.strip() and "  " not in n


# --------------------------------------------------------------------------- linking rules on hand-made mentions


def _article(aid: str, names: list[tuple[str, str, str | None]], published: str | None = None):
    """A CleanArticle "A. B. C." of the given surfaces, with name mentions (surface, label, key)."""
    text, found = "", []
    for surface, label, key in names:
        start = len(text)
        text += surface + ". "
        found.append(Mention(Span(start, start + len(surface), surface), label, key or surface))
    return _clean(aid, published or "2025-01-01", text), found


LINK_CASES = [
    # (articles as lists of (surface, label, key), expected groups of (article index, key))
    ([[("Nicolás Maduro", "PERSON", None)], [("Nicolas Madura", "PERSON", None)]], [{(0, "Nicolás Maduro"),
                                                                                    (1, "Nicolas Madura")}]),
    # a different given name is a different person, however close
    ([[("Maria Fernandez", "PERSON", None)], [("Mario Fernandez", "PERSON", None)]],
     [{(0, "Maria Fernandez")}, {(1, "Mario Fernandez")}]),
    # a different surname is not a typo unless close enough
    ([[("Nicolás Maduro", "PERSON", None)], [("Nicolas Moreno", "PERSON", None)]],
     [{(0, "Nicolás Maduro")}, {(1, "Nicolas Moreno")}]),
    # acronym by initials, and punctuation-insensitive
    ([[("Central Intelligence Agency", "ORG", None)], [("C.I.A.", "ORG", None)]],
     [{(0, "Central Intelligence Agency"), (1, "C.I.A.")}]),
    # the same surface as a person and as a place stays two entities
    ([[("Georgia", "PLACE", None)], [("Georgia", "PERSON", None), ("Georgia Lane", "PERSON", None)]],
     [{(0, "Georgia")}, {(1, "Georgia"), (1, "Georgia Lane")}]),
    # a state's formal name and its short name are one entity, whatever label each got
    ([[("Federation of Aldmere", "ORG", None)], [("Aldmere", "PLACE", None)]],
     [{(0, "Federation of Aldmere"), (1, "Aldmere")}]),
    # ... but an institution named after a place is not the place
    ([[("University of Paris", "ORG", None)], [("Paris", "PLACE", None)]],
     [{(0, "University of Paris")}, {(1, "Paris")}]),
    # a surname the model tagged as a place joins the one person who has it
    ([[("Ilona Brask", "PERSON", None), ("Ilona Brask", "PERSON", None)], [("Brask", "PLACE", None)]],
     [{(0, "Ilona Brask"), (1, "Brask")}]),
    # a full name tagged as a person in one article and a place in another is one entity
    ([[("Emre Lanholt", "PERSON", None)], [("Emre Lanholt", "PLACE", None)]],
     [{(0, "Emre Lanholt"), (1, "Emre Lanholt")}]),
    # a middle initial does not make another person
    ([[("Donald J. Trump", "PERSON", None)], [("Donald Trump", "PERSON", None)], [("Trump", "PERSON", None)]],
     [{(0, "Donald J. Trump"), (1, "Donald Trump"), (2, "Trump")}]),
]


@pytest.mark.parametrize(("articles", "groups"), LINK_CASES)
def test_link_rules(articles, groups):
    items = [_article(f"x{i}", names) for i, names in enumerate(articles)]
    index = link_entities(items)
    got = {}
    for i, (_clean_article, found) in enumerate(items):
        for m in found:
            ent = index.resolve(f"x{i}", m.key)
            assert ent is not None and index.by_id(ent.id) is ent
            got.setdefault(ent.id, set()).add((i, m.key))
    assert sorted(got.values(), key=sorted) == sorted(groups, key=sorted)


def test_dominant_full_name_takes_the_surname():
    big = [("Hana Novak", "PERSON", None)] * 12
    items = [_article("x0", big + [("Petr Novak", "PERSON", None)]), _article("x1", [("Novak", "PERSON", None)])]
    assert link_entities(items).resolve("x1", "Novak").name == "Hana Novak"
    assert link_entities(items, dominance=None).resolve("x1", "Novak").name == "Novak"


def test_non_latin_names_get_distinct_ids():
    items = [_article("x0", [("Иван Петров", "PERSON", None), ("Пётр Иванов", "PERSON", None)])]
    ids = [e.id for e in link_entities(items).entities]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(i.startswith("person:") and i.isascii() for i in ids)


# --------------------------------------------------------------------------- property: titles before made-up names

TITLES = ["President", "former President", "Defense Minister", "Senator", "Gen.", "Admiral", "Vice President",
          "opposition leader", ""]
FIRST = ["Maria", "Daniel", "Elena", "Tomas", "Ruth"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Castellanos", "Brennan"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TITLES), st.sampled_from(FIRST), st.sampled_from(LAST),
       st.sampled_from(["said on Monday that talks would resume.", "spoke in Lisbon.", "left early."]),
       st.sampled_from(["", "On Tuesday, ", "Reporters said "]))
def test_title_before_name_property(nlp, title, first, last, tail, lead):
    text = f"{lead}{title} {first} {last} {tail}".replace("  ", " ").lstrip()
    found = mentions(nlp, text)
    names = [m for m in found if m.kind == "name" and m.span.text.endswith(last)]
    assert names, text
    m = names[0]
    assert m.span.text in (f"{first} {last}", last)
    if title:  # a title makes it a person even where the small model says ORG
        assert m.label == "PERSON"
        assert m.role == title and m.role_span is not None
        assert m.role_span.end < m.span.start
    else:
        assert m.role is None


def test_label_vote_moves_a_lone_mislabelled_name():
    items = [_article(f"x{i}", [("Molenbeek", "PLACE", None)] * 2) for i in range(3)]
    items.append(_article("x3", [("Molenbeek", "PERSON", None)]))
    index = link_entities(items)
    assert [(e.id, e.label) for e in index.entities] == [("place:molenbeek", "PLACE")]
    assert index.resolve("x3", "Molenbeek") is index.resolve("x0", "Molenbeek")
    # equal weight: no vote, two entities
    even = link_entities([_article("x0", [("Jordan", "PLACE", None)]), _article("x1", [("Jordan", "PERSON", None)])])
    assert sorted(e.id for e in even.entities) == ["person:jordan", "place:jordan"]


def test_index_round_trip(index):
    again = EntityIndex.from_links(index.entities, index.links())
    assert again.entities == index.entities and again.links() == index.links()
    for aid, key, eid in index.links():
        assert again.resolve(aid, key) is again.by_id(eid) and again.by_id(eid) == index.by_id(eid)
    assert ("a2", "Trump", "person:donald-trump") in index.links()
