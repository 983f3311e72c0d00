"""Tests for storyline.output.dossier: building, schema validation and citation verification."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import SchemaError
from storyline.ingest.spans import TextBuilder
from storyline.output.dossier import (
    SCHEMA_VERSION,
    build_dossier,
    date_sort_key,
    is_absolute_date,
    schema,
    validate_dossier,
    verify_citations,
)
from storyline.records import (
    Article,
    CleanArticle,
    Entity,
    Event,
    Extraction,
    Figure,
    Mention,
    Quote,
    RemovedLine,
    RoleClaim,
    Span,
    TimeExpr,
)
from storyline.text import words

# --------------------------------------------------------------------------- fixtures (text written for these tests)

ORIGINAL_A = (
    "Harbor Council Votes to Close Pier 9\n"
    "Share this story: Email | Print\n"
    "On 3 March 2031 the Harbor Council voted to close Pier 9 after the storm.\n"
    "\u201cWe had no choice,\u201d said Mayor Ilsa Varga. \u201cThe pilings are gone.\u201d\n"
    "At least 12 fishing boats were moved to Dock 4 &amp; Dock 5.\n"
    "Varga said repairs would take months.\n"
)

ORIGINAL_B = (
    "<script>alert(1)</script> Dock workers protest | pier closure\n"
    "Advertisement\n"
    "Dock workers marched on Tuesday against the closure of Pier 9.\n"
    "\u201cThis is <img src=x onerror=alert(1)> our livelihood,\u201d said union leader Tomas Reyes.\n"
    "Mayor Varga declined to comment.\n"
)


def clean_article(
    aid: str, original: str, drop_line: int, published: str | None, **meta: str
) -> CleanArticle:
    """Cleaned text = original minus one furniture line, with '&amp;' unescaped (offsets shift twice)."""
    lines = original.splitlines(keepends=True)
    tb = TextBuilder(original)
    removed = []
    pos = 0
    for i, line in enumerate(lines):
        if i == drop_line:
            removed.append(RemovedLine(pos, pos + len(line), line, "share/subscribe"))
        else:
            amp = line.find("&amp;")
            if amp >= 0:
                tb.keep(pos, pos + amp)
                tb.replace(pos + amp, pos + amp + 5, "&")
                tb.keep(pos + amp + 5, pos + len(line))
            else:
                tb.keep(pos, pos + len(line))
        pos += len(line)
    text, offsets = tb.build()
    art = Article(
        id=aid,
        origin=f"{aid}.txt",
        text=original,
        format="text",
        title=original.splitlines()[0],
        published=published,
        published_how="metadata" if published else "none",
        published_precision="day" if published else None,
        **meta,
    )
    return CleanArticle(art, text, offsets, tuple(removed))


def sp(clean: CleanArticle, sub: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = clean.text.index(sub, start + 1)
    return Span(start, start + len(sub), sub)


def sentence(clean: CleanArticle, sub: str) -> Span:
    s = sp(clean, sub)
    line_start = clean.text.rfind("\n", 0, s.start) + 1
    line_end = clean.text.index("\n", s.end)
    return Span(line_start, line_end, clean.text[line_start:line_end])


class StubIndex:
    """Stand-in for storyline.extract.entities' index: maps article-local keys to Entities."""

    def __init__(self, entities: tuple[Entity, ...], keys: dict[str, str]) -> None:
        self.entities = entities
        self._by_id = {e.id: e for e in entities}
        self._keys = keys
        self.calls = 0

    def resolve(self, article_id: str, key: str) -> Entity | None:
        self.calls += 1
        eid = self._keys.get(key)
        return self._by_id.get(eid) if eid else None


def make_corpus() -> tuple[list[tuple[CleanArticle, Extraction]], StubIndex]:
    a = clean_article("art-a", ORIGINAL_A, 1, "2031-03-04", outlet="Coastal Ledger", author="R. Okafor")
    b = clean_article("art-b", ORIGINAL_B, 1, "2031-03-06", outlet="<b>Pier</b> Weekly")

    a_date = TimeExpr(sp(a, "3 March 2031"), "DATE", "2031-03-03", "day", "test")
    a_months = TimeExpr(sp(a, "months"), "DURATION", "PXM", "none", "test")
    a_event = Event(
        sentence=sentence(a, "voted"),
        trigger=sp(a, "voted"),
        action="vote",
        actor="Harbor Council",
        actor_span=sp(a, "Harbor Council", 1),
        target="Pier 9",
        target_span=sp(a, "Pier 9", 1),
        when="2031-03-03",
        when_precision="day",
        when_span=a_date.span,
        where=None,
        where_span=None,
    )
    a_event2 = Event(
        sentence=sentence(a, "were moved"),
        trigger=sp(a, "moved"),
        action="move",
        actor=None,
        actor_span=None,
        target="fishing boats",
        target_span=sp(a, "fishing boats"),
        when=None,
        when_precision=None,
        when_span=None,
        where="Dock 4",
        where_span=sp(a, "Dock 4"),
    )
    a_quote = Quote(
        kind="direct",
        content=Span(
            sp(a, "We had").start, sp(a, "gone.").end, a.text[sp(a, "We had").start : sp(a, "gone.").end]
        ),
        parts=(sp(a, "We had no choice,"), sp(a, "The pilings are gone.")),
        speaker=sp(a, "Mayor Ilsa Varga"),
        speaker_key="Ilsa Varga",
        cue=sp(a, "said"),
        sentence=sentence(a, "We had"),
    )
    a_quote2 = Quote(
        kind="indirect",
        content=sp(a, "repairs would take months"),
        parts=(sp(a, "repairs would take months"),),
        speaker=sp(a, "Varga", 1),
        speaker_key="Ilsa Varga",
        cue=sp(a, "said", 1),
        sentence=sentence(a, "repairs"),
    )
    a_fig = Figure(
        span=sp(a, "At least 12"),
        value=12.0,
        value_high=None,
        qualifier="at least",
        unit="vessels",
        counts="fishing boats moved",
        counts_span=sp(a, "fishing boats"),
        as_of="2031-03-03",
        sentence=sentence(a, "At least 12"),
    )
    a_mentions = (
        Mention(sp(a, "Harbor Council"), "ORG", "Harbor Council"),
        Mention(sp(a, "Ilsa Varga"), "PERSON", "Ilsa Varga", role="Mayor", role_span=sp(a, "Mayor")),
        Mention(sp(a, "Varga", 1), "PERSON", "Ilsa Varga"),
        Mention(sp(a, "Dock 4"), "PLACE", "Dock 4"),
    )
    ext_a = Extraction(
        "art-a",
        mentions=a_mentions,
        dates=(a_date, a_months),
        quotes=(a_quote, a_quote2),
        figures=(a_fig,),
        events=(a_event, a_event2),
        words=0,
    )

    b_date = TimeExpr(sp(b, "Tuesday"), "DATE", "2031-03-04", "day", "test", anchor="2031-03-06")
    b_event = Event(
        sentence=sentence(b, "marched"),
        trigger=sp(b, "marched"),
        action="march",
        actor="Dock workers",
        actor_span=sp(b, "Dock workers", 1),
        target=None,
        target_span=None,
        when="2031-03-04",
        when_precision="day",
        when_span=b_date.span,
        where=None,
        where_span=None,
    )
    b_event_neg = Event(
        sentence=sentence(b, "declined"),
        trigger=sp(b, "comment"),
        action="comment",
        actor="Ilsa Varga",
        actor_span=sp(b, "Mayor Varga"),
        target=None,
        target_span=None,
        when="PRESENT_REF",
        when_precision="none",
        when_span=None,
        where=None,
        where_span=None,
        negated=True,
    )
    content = "This is <img src=x onerror=alert(1)> our livelihood,"
    b_quote = Quote(
        kind="direct",
        content=sp(b, content),
        parts=(sp(b, content),),
        speaker=sp(b, "union leader Tomas Reyes"),
        speaker_key="Tomas Reyes",
        cue=sp(b, "said"),
        sentence=sentence(b, "livelihood"),
        said_on="2031-03-04",
    )
    ext_b = Extraction(
        "art-b",
        mentions=(
            Mention(sp(b, "Tomas Reyes"), "PERSON", "Tomas Reyes"),
            Mention(sp(b, "Varga"), "PERSON", "Ilsa Varga"),
        ),
        dates=(b_date,),
        quotes=(b_quote,),
        events=(b_event, b_event_neg),
        words=27,
    )

    varga = Entity(
        "person:ilsa-varga",
        "Ilsa Varga",
        "PERSON",
        ("Varga", "Mayor Varga", "Ilsa Varga"),
        (RoleClaim("Mayor", a.cite_span(sp(a, "Mayor")), "2031-03-04"),),
        (a.cite_span(sp(a, "Ilsa Varga")), b.cite_span(sp(b, "Varga"))),
    )
    reyes = Entity(
        "person:tomas-reyes",
        "Tomas Reyes",
        "PERSON",
        (),
        (RoleClaim("union leader", b.cite_span(sp(b, "union leader")), "2031-03-06"),),
        (b.cite_span(sp(b, "Tomas Reyes")),),
    )
    council = Entity(
        "org:harbor-council",
        "Harbor Council",
        "ORG",
        ("the council",),
        (),
        (a.cite_span(sp(a, "Harbor Council", 1)),),
    )
    dock = Entity("place:dock-4", "Dock 4", "PLACE", (), (), (a.cite_span(sp(a, "Dock 4")),))
    index = StubIndex(
        (varga, reyes, council, dock),
        {
            "Ilsa Varga": varga.id,
            "Tomas Reyes": reyes.id,
            "Harbor Council": council.id,
            "Dock 4": dock.id,
        },
    )
    return [(b, ext_b), (a, ext_a)], index


@pytest.fixture(scope="module")
def corpus() -> tuple[list[tuple[CleanArticle, Extraction]], StubIndex]:
    return make_corpus()


@pytest.fixture(scope="module")
def dossier(corpus) -> dict:
    items, index = corpus
    return build_dossier(items, index)


# --------------------------------------------------------------------------- dossier contents


def test_dossier_validates_and_every_citation_verifies(dossier: dict) -> None:
    validate_dossier(dossier)
    assert verify_citations(dossier) == []
    assert dossier["schema_version"] == SCHEMA_VERSION
    assert [s["ref"] for s in dossier["sources"]] == ["s1", "s2"]
    assert [s["id"] for s in dossier["sources"]] == ["art-a", "art-b"]  # ordered by publication date


def test_citations_index_the_original_text_not_the_cleaned_text(corpus, dossier: dict) -> None:
    items, _ = corpus
    clean_a = next(c for c, _ in items if c.article.id == "art-a")
    event = next(e for e in dossier["events"] if e["id"] == "e-art-a-1")
    cite = event["citations"][0]
    cleaned_start = clean_a.text.index("On 3 March")
    assert cite["start"] == ORIGINAL_A.index("On 3 March") != cleaned_start  # the furniture line shifts it
    assert cite["text"] == ORIGINAL_A[cite["start"] : cite["end"]]
    moved = next(e for e in dossier["events"] if e["id"] == "e-art-a-2")
    assert moved["summary"].endswith("Dock 4 & Dock 5.")  # summary: cleaned text
    assert moved["citations"][0]["text"].endswith("Dock 4 &amp; Dock 5.")  # citation: original text


def test_sources_carry_metadata_and_furniture(dossier: dict) -> None:
    s1, s2 = dossier["sources"]
    assert s1["text"] == ORIGINAL_A
    assert s1["outlet"] == "Coastal Ledger" and s1["author"] == "R. Okafor"
    assert s1["furniture"] == [
        {"start": 37, "end": 69, "text": "Share this story: Email | Print\n", "reason": "share/subscribe"}
    ]
    assert s1["furniture_share"] == round(32 / len(ORIGINAL_A), 4)
    # "Share this story: Email | Print" (5 words) is furniture, and "&amp;" is read as "&", no word
    assert s1["words"] == len(words(ORIGINAL_A)) - 5 - 1
    assert s2["words"] == 27  # the extraction's own count wins when given
    assert dossier["period"] == {"first": "2031-03-04", "last": "2031-03-06"}
    # the most recent article's headline (no quality scores without cross-checking: every source counts)
    assert dossier["title"] == "<script>alert(1)</script> Dock workers protest | pier closure"


def test_events_sorted_by_date_and_dated_by_publication_when_text_gives_no_date(dossier: dict) -> None:
    got = [(e["id"], e["date"], e["date_basis"]) for e in dossier["events"]]
    assert got == [
        ("e-art-a-1", "2031-03-03", "text"),
        ("e-art-a-2", "2031-03-04", "published"),
        ("e-art-b-1", "2031-03-04", "text"),
        ("e-art-b-2", "2031-03-06", "published"),  # PRESENT_REF is not an absolute date
    ]
    neg = dossier["events"][-1]
    assert neg["negated"] is True
    assert neg["actor"] == {"name": "Ilsa Varga", "entity": "person:ilsa-varga", "as_written": "Mayor Varga"}
    assert dossier["events"][1]["where"] == "Dock 4"
    assert [c["text"] for c in dossier["events"][0]["citations"]][1:] == ["voted", "3 March 2031"]


def test_quotes_resolve_speakers_and_cite_each_part(dossier: dict) -> None:
    q = next(q for q in dossier["quotes"] if q["id"] == "q-art-a-1")
    assert q["speaker"] == {
        "name": "Ilsa Varga",
        "entity": "person:ilsa-varga",
        "as_written": "Mayor Ilsa Varga",
    }
    assert q["parts"] == ["We had no choice,", "The pilings are gone."]
    assert [c["text"] for c in q["citations"]] == [
        "We had no choice,",
        "The pilings are gone.",
        "Mayor Ilsa Varga",
    ]
    assert q["cue"] == "said"
    hostile = next(q for q in dossier["quotes"] if q["source"] == "art-b")
    assert "<img src=x onerror=alert(1)>" in hostile["text"]  # the dossier keeps the data as data
    assert hostile["said_on"] == "2031-03-04"


def test_figures_dates_and_entities(dossier: dict) -> None:
    (fig,) = dossier["figures"]
    assert (fig["value"], fig["qualifier"], fig["counts"], fig["text"]) == (
        12.0,
        "at least",
        "fishing boats moved",
        "At least 12",
    )
    assert [c["text"] for c in fig["citations"]] == ["At least 12", "fishing boats"]
    assert [(d["text"], d["value"]) for d in dossier["dates"]] == [
        ("3 March 2031", "2031-03-03"),
        ("months", "PXM"),
        ("Tuesday", "2031-03-04"),
    ]
    ents = {e["id"]: e for e in dossier["entities"]}
    assert ents["person:ilsa-varga"]["mentions"] == 3  # two in art-a, one in art-b
    assert ents["person:ilsa-varga"]["aliases"] == ["Mayor Varga", "Varga"]  # canonical name left out
    assert ents["person:ilsa-varga"]["roles"][0]["role"] == "Mayor"
    assert dossier["entities"][0]["id"] == "person:ilsa-varga"  # most mentioned first


def test_determinism_whatever_the_input_order(corpus) -> None:
    items, index = corpus
    one = json.dumps(build_dossier(items, index), sort_keys=True)
    two = json.dumps(build_dossier(list(reversed(items)), index), sort_keys=True)
    three = json.dumps(build_dossier(items + items, index), sort_keys=True)  # duplicates collapse
    assert one == two == three


def test_title_and_generated_by_can_be_given(corpus) -> None:
    items, index = corpus
    d = build_dossier(items, index, title="The pier story", generated_by="storyline 9.9")
    assert (d["title"], d["generated_by"]) == ("The pier story", "storyline 9.9")
    validate_dossier(d)


def test_empty_corpus_gives_a_valid_empty_dossier() -> None:
    d = build_dossier([], StubIndex((), {}))
    validate_dossier(d)
    assert d["title"] == "Untitled story" and d["period"] == {"first": None, "last": None}
    assert verify_citations(d) == []


def test_a_span_that_does_not_match_the_text_drops_the_item_not_the_dossier() -> None:
    a = clean_article("art-a", ORIGINAL_A, 1, None)
    good = TimeExpr(sp(a, "3 March 2031"), "DATE", "2031-03-03", "day")
    bad = TimeExpr(Span(0, 5, "Wrong"), "DATE", "2031", "year")
    outside = TimeExpr(Span(10_000, 10_005, "xxxxx"), "DATE", "2031", "year")
    d = build_dossier([(a, Extraction("art-a", dates=(good, bad, outside)))], StubIndex((), {}))
    validate_dossier(d)
    assert [x["id"] for x in d["dates"]] == ["d-art-a-1"]
    assert [(x["kind"], x["id"]) for x in d["dropped"]] == [("date", "d-art-a-2"), ("date", "d-art-a-3")]
    assert d["period"] == {"first": None, "last": None}


def test_resolve_is_cached_per_article_and_key(corpus) -> None:
    items, index = corpus
    fresh = StubIndex(index.entities, index._keys)
    build_dossier(items, fresh)
    distinct = {(c.article.id, m.key) for c, e in items for m in e.mentions}
    distinct |= {(c.article.id, k) for c, e in items for q in e.quotes for k in [q.speaker_key] if k}
    distinct |= {
        (c.article.id, k) for c, e in items for ev in e.events for k in (ev.actor, ev.target, ev.where) if k
    }
    assert fresh.calls == len(distinct)


# --------------------------------------------------------------------------- verification catches tampering


def _tamper_text(d: dict) -> None:
    d["quotes"][0]["citations"][0]["text"] = "We had every choice,"


def _tamper_offsets(d: dict) -> None:
    d["events"][0]["citations"][1]["start"] += 1


def _tamper_source(d: dict) -> None:
    d["figures"][0]["citations"][0]["source"] = "art-zzz"


def _tamper_range(d: dict) -> None:
    d["dates"][0]["citations"][0]["end"] = 10**6


def _tamper_role(d: dict) -> None:
    d["entities"][0]["roles"][0]["citations"][0]["text"] = "Governor"


def _tamper_furniture(d: dict) -> None:
    d["sources"][0]["furniture"][0]["text"] = "Subscribe now"


def _tamper_source_text(d: dict) -> None:
    d["sources"][1]["text"] = d["sources"][1]["text"].replace("marched", "paraded")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (_tamper_text, "quotes[0].citations[0]: text"),
        (_tamper_offsets, "events[0].citations[1]: text"),
        (_tamper_source, "figures[0].citations[0]: unknown source"),
        (_tamper_range, "dates[0].citations[0]: [72, 1000000) outside"),
        (_tamper_role, "entities[0].roles[0].citations[0]: text"),
        (_tamper_furniture, "sources[0].furniture[0]: text"),
        (_tamper_source_text, "events[2].citations[0]: text"),
        (lambda d: None, None),  # untouched: no problem
    ],
)
def test_verify_citations_catches_tampering(dossier: dict, tamper, expected: str | None) -> None:
    d = copy.deepcopy(dossier)
    tamper(d)
    problems = verify_citations(d)
    if expected is None:
        assert problems == []
    else:
        assert problems and problems[0].startswith(expected), problems


# --------------------------------------------------------------------------- schema


def test_schema_is_draft_2020_12_with_versioned_id() -> None:
    from jsonschema import Draft202012Validator

    s = schema()
    Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"].endswith(f"dossier-{SCHEMA_VERSION}.json")
    s["title"] = "changed"
    assert schema()["title"] != "changed"  # callers get a fresh copy


def _set(path: str, value) -> object:
    def edit(d: dict) -> None:
        *head, last = path.split(".")
        node = d
        for p in head:
            node = node[int(p)] if p.isdigit() else node[p]
        if value is KeyError:
            del node[last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (_set("events.0.mood", "happy"), "events/0"),  # additionalProperties false on items
        (_set("quotes.0.kind", "rumour"), "quotes/0/kind"),
        (_set("figures.0.value", "twelve"), "figures/0/value"),
        (_set("sources.0.published", "last Tuesday"), "sources/0/published"),
        (_set("events.0.citations", []), "events/0/citations"),
        (_set("schema_version", "0.9"), "schema_version"),
        (_set("entities.0.label", "ANIMAL"), "entities/0/label"),
        (_set("quotes.0.citations.0.start", -1), "quotes/0/citations/0/start"),
        (_set("dates", KeyError), "(top level)"),
        (_set("extra", 1), "(top level)"),
    ],
)
def test_validate_dossier_rejects_with_a_one_line_reason(dossier: dict, edit, where: str) -> None:
    d = copy.deepcopy(dossier)
    edit(d)
    with pytest.raises(SchemaError) as info:
        validate_dossier(d)
    message = str(info.value)
    assert "\n" not in message and f" at {where}:" in message


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "absolute", "key"),
    [
        ("2031-03-03", True, "2031-03-03"),
        ("2031-03", True, "2031-03"),
        ("2031", True, "2031"),
        ("2031-03-03T14:30", True, "2031-03-03T14:30"),
        ("2031-W10", True, "2031-03-03~w"),
        ("2031-Q2", True, "2031-04~q"),
        ("2031-H2", True, "2031-07~h"),
        ("2031-SU", True, "2031-06~s"),
        ("PRESENT_REF", False, "~"),
        ("PAST_REF", False, "~"),
        ("P6D", False, "~"),
        ("XXXX-03-03", False, "~"),
        ("203", False, "~"),
        ("", False, "~"),
        (None, False, "~"),
    ],
)
def test_absolute_dates_and_sort_keys(value: str | None, absolute: bool, key: str) -> None:
    assert is_absolute_date(value) is absolute
    assert date_sort_key(value) == key


@given(
    st.lists(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), min_size=1, max_size=20),
    st.sampled_from(["day", "month", "year", "week"]),
)
def test_date_sort_key_is_chronological(days: list[date], precision: str) -> None:
    def value(d: date) -> str:
        if precision == "day":
            return d.isoformat()
        if precision == "month":
            return d.isoformat()[:7]
        if precision == "year":
            return str(d.year)
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"

    def start(d: date) -> date:
        if precision == "month":
            return d.replace(day=1)
        if precision == "year":
            return d.replace(month=1, day=1)
        if precision == "week":
            return d - timedelta(days=d.weekday())
        return d

    by_key = sorted(days, key=lambda d: date_sort_key(value(d)))
    assert [start(d) for d in by_key] == sorted(start(d) for d in days)


# --------------------------------------------------------------------------- property: citations always verify

_LINE = st.text(alphabet=st.sampled_from("abc XYZ.,\u201c\u201d&;"), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_LINE, st.booleans()), min_size=1, max_size=8), st.data())
def test_citations_verify_for_any_furniture_and_span(lines: list[tuple[str, bool]], data) -> None:
    original = "".join(line + "\n" for line, _ in lines)
    tb = TextBuilder(original)
    removed, pos = [], 0
    for line, drop in lines:
        if drop:
            removed.append(RemovedLine(pos, pos + len(line) + 1, line + "\n", "widget"))
        else:
            tb.keep(pos, pos + len(line))
            tb.replace(pos + len(line), pos + len(line) + 1, " ")  # newline -> space: a replaced character
        pos += len(line) + 1
    text, offsets = tb.build()
    art = Article(
        "x1", "x.txt", original, "text", title="T", published="2031-01-02", published_precision="day"
    )
    clean = CleanArticle(art, text, offsets, tuple(removed))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expr = TimeExpr(Span(start, end, text[start:end]), "DATE", "2031", "year")
    d = build_dossier([(clean, Extraction("x1", dates=(expr,)))], StubIndex((), {}))
    validate_dossier(d)
    assert verify_citations(d) == []
    assert len(d["dates"]) == (1 if end > start else 0)  # an empty span cites nothing and is left out


# --------------------------------------------------------------------------- the fast validator agrees with jsonschema

_JSON_VALUES = st.sampled_from(
    [None, True, 0, -1, 1.5, 7, "", "x", "2031-03-04", "direct", [], [1], {}, {"a": 1}]
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "text" or not isinstance(v, str):
                yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:2]):
            yield from _paths(v, (*prefix, i))


@pytest.fixture(scope="module")
def all_paths(dossier: dict) -> list[tuple]:
    return [p for p in _paths(dossier) if p]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fast_validator_agrees_with_jsonschema(dossier: dict, all_paths: list[tuple], data) -> None:
    from storyline.output.dossier import _fast_validator, _validator

    d = copy.deepcopy(dossier)
    path = data.draw(st.sampled_from(all_paths))
    node = d
    for p in path[:-1]:
        node = node[p]
    action = data.draw(st.sampled_from(["set", "delete", "add"]))
    if action == "set":
        node[path[-1]] = data.draw(_JSON_VALUES)
    elif action == "delete" and isinstance(node, dict):
        del node[path[-1]]
    elif isinstance(node, dict):
        node["unexpected"] = data.draw(_JSON_VALUES)
    expected = _validator().is_valid(d)
    assert _fast_validator()(d) is expected


@pytest.mark.parametrize("value", [[], "dossier", None, 3])
def test_validate_dossier_rejects_non_objects(value) -> None:
    with pytest.raises(SchemaError, match=r"at \(top level\): .* is not of type 'object'"):
        validate_dossier(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("node", "ok"),
    [
        ({"type": "string", "format": "date"}, False),  # a keyword the fast path does not implement
        ({"$ref": "https://example.invalid/other.json"}, False),  # only local $defs
        ({"type": ["integer", "null"], "minimum": 0}, True),
    ],
)
def test_fast_validator_refuses_what_it_cannot_check(node: dict, ok: bool) -> None:
    from storyline.output.dossier import _compile

    if ok:
        check = _compile(node, {}, {})
        assert [check(v) for v in (0, 3.0, None, -1, True, "1", 2.5)] == [
            True,
            True,
            True,
            False,
            False,
            False,
            False,
        ]
    else:
        with pytest.raises(SchemaError):
            _compile(node, {}, {})
