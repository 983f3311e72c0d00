"""Tests for storyline.extract.figures (all example sentences written for these tests)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.figures import extract_figures, parse_number, parse_number_words, past_participle
from storyline.extract.nlp import load_nlp
from storyline.records import Span, TimeExpr

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _date(text: str, phrase: str, value: str, precision: str = "day", type_: str = "DATE") -> TimeExpr:
    start = text.index(phrase)
    return TimeExpr(Span(start, start + len(phrase), phrase), type_, value, precision)


def _summary(figs):
    return [(f.span.text, f.value, f.value_high, f.qualifier, f.unit, f.counts) for f in figs]


# --------------------------------------------------------------------------- table of sentences

CASES = [
    # qualifiers
    ("At least 83 people were killed in the raids, officials said.",
     [("At least 83 people", 83, None, "at least", "people", "people killed")]),
    ("Not less than 43 people were killed in the raids.",
     [("Not less than 43 people", 43, None, "not less than", "people", "people killed")]),
    ("More than 40 fishermen were detained by the coastguard.",
     [("More than 40 fishermen", 40, None, "more than", "fishermen", "fishermen detained")]),
    ("Over 300 families fled the valley.",
     [("Over 300 families", 300, None, "over", "families", "families fled")]),
    ("About 120 volunteers arrived at the shelter.",
     [("About 120 volunteers", 120, None, "about", "volunteers", "volunteers arrived")]),
    ("Approximately 600 homes were flooded.",
     [("Approximately 600 homes", 600, None, "approximately", "homes", "homes flooded")]),
    ("Around 70 trucks were stopped at the border.",
     [("Around 70 trucks", 70, None, "around", "trucks", "trucks stopped")]),
    ("Nearly 1,500 soldiers have been deployed to the region.",
     [("Nearly 1,500 soldiers", 1500, None, "nearly", "soldiers", "soldiers deployed")]),
    ("Almost 90 patients were evacuated overnight.",
     [("Almost 90 patients", 90, None, "almost", "patients", "patients evacuated")]),
    ("Up to 500 reservists could be mobilised.",
     [("Up to 500 reservists", 500, None, "up to", "reservists", "reservists mobilised")]),
    ("Some 15,000 troops were sent to the coast.",
     [("Some 15,000 troops", 15000, None, "some", "troops", "troops sent")]),
    ("Roughly 250 ballots were rejected.",
     [("Roughly 250 ballots", 250, None, "roughly", "ballots", "ballots rejected")]),
    ("Fewer than 30 ships were inspected.",
     [("Fewer than 30 ships", 30, None, "fewer than", "ships", "ships inspected")]),
    ("As many as 200 protesters were arrested.",
     [("As many as 200 protesters", 200, None, "as many as", "protesters", "protesters arrested")]),
    ("Upwards of 80 buildings were damaged.",
     [("Upwards of 80 buildings", 80, None, "upwards of", "buildings", "buildings damaged")]),
    ("An estimated 5,000 residents were displaced.",
     [("An estimated 5,000 residents", 5000, None, "an estimated", "residents", "residents displaced")]),
    # active verbs: the object is counted
    ("The navy destroyed 14 vessels off the coast.",
     [("14 vessels", 14, None, None, "vessels", "vessels destroyed")]),
    ("Drones struck 6 boats near the island.",
     [("6 boats", 6, None, None, "boats", "boats struck")]),
    # ranges
    ("Between 80 and 90 people died in the fire.",
     [("Between 80 and 90 people", 80, 90, None, "people", "people killed")]),
    ("The storm killed 80 to 90 people.",
     [("80 to 90 people", 80, 90, None, "people", "people killed")]),
    ("The blasts killed 80-90 people.",
     [("80-90 people", 80, 90, None, "people", "people killed")]),
    ("Two or three boats were seized.",
     [("Two or three boats", 2, 3, None, "boats", "boats seized")]),
    # currency and percent
    ("Washington offered a $15 million bounty for his capture.",
     [("$15 million", 15_000_000, None, None, "USD", "bounty (USD)")]),
    ("The ministry offered a reward of $50m for information.",
     [("$50m", 50_000_000, None, None, "USD", "reward (USD)")]),
    ("The bank froze €2.5 billion in assets.",
     [("€2.5 billion", 2_500_000_000, None, None, "EUR", "assets (EUR)")]),
    ("The reward was raised to $50 million.",
     [("$50 million", 50_000_000, None, None, "USD", "reward (USD)")]),
    ("The council set the budget at $2 billion.",
     [("$2 billion", 2_000_000_000, None, None, "USD", "budget (USD)")]),
    ("They paid US$15m for the ship.", [("US$15m", 15_000_000, None, None, "USD", None)]),
    ("About 40% of voters backed the plan.",
     [("About 40%", 40, None, "about", "percent", "voters")]),
    ("Turnout reached 61.5 per cent.",
     [("61.5 per cent", 61.5, None, None, "percent", None)]),
    # number words and vague quantities
    ("The attack left eighty-three dead.",
     [("eighty-three dead", 83, None, None, "people", "people killed")]),
    ("A dozen boats sank in the harbour.",
     [("A dozen boats", 12, None, None, "boats", "boats sank")]),
    ("Hundreds of people were displaced by the floods.",
     [("Hundreds of people", 200, None, "hundreds of", "people", "people displaced")]),
    ("Two hundred and fifty students were evacuated.",
     [("Two hundred and fifty students", 250, None, None, "students", "students evacuated")]),
    # nouns that say what happened themselves; no noun at all
    ("The clashes caused 12 deaths.", [("12 deaths", 12, None, None, "people", "people killed")]),
    ("The death toll rose to 83.", [("83", 83, None, None, "people", "people killed")]),
    ("Police said eleven were hurt.", [("eleven", 11, None, None, "people", "people hurt")]),
    ("The raid left 3 soldiers dead.", [("3 soldiers", 3, None, None, "soldiers", "soldiers killed")]),
    ("The strikes killed 83 and wounded 120.",
     [("83", 83, None, None, "people", "people killed"), ("120", 120, None, None, "people", "people wounded")]),
    # particles, totals, tolls, lives
    ("The navy turned back 23 vessels.", [("23 vessels", 23, None, None, "vessels", "vessels turned back")]),
    ("A total of 14 vessels have been seized.", [("14 vessels", 14, None, None, "vessels", "vessels seized")]),
    ("The flood pushed the death toll to at least 61.",
     [("at least 61", 61, None, "at least", "people", "people killed")]),
    ("The siege has cost 300 lives.", [("300 lives", 300, None, None, "people", "people killed")]),
    # no-match rows
    ("No one was hurt in the blast.", []),
    ("One of the men was arrested.", []),
    ("The depot is a few hundred meters from the port.", []),
    ("Lena Ramos, 62\n\nShe was elected in the spring.", []),
    ("The talks ended on 24 November.", []),
    ("The ceasefire was signed in 1991.", []),
    ("Ramos, 62, leads the party.", []),
    ("A 62-year-old fisherman was rescued.", []),
    ("The minister, aged 58, resigned.", []),
    ("Call 555-123-4567 for details.", []),
    ("It was his third visit to the port.", []),
    ("The meeting began at 10:30 in the morning.", []),
    ("Nobody has claimed the attack yet.", []),
    ("Article 5 of the treaty was invoked.", []),
    ("One official declined to comment.", []),
    ("The hike lasted 3 hours.", []),
    ("1. The talks failed.", []),
    ("He ran the 15m sprint.", []),
    ("The phone has a USB 3.0 port.", []),
    ("The screen is 1920 x 1080 pixels.", []),
    ("The phone weighs 145 g.", []),
    ("Flight 17 crashed.", []),
    ("In Caracas 40 people were arrested.", [("40 people", 40, None, None, "people", "people arrested")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract_figures_table(nlp, text, expected):
    figs = extract_figures(nlp(text))
    assert _summary(figs) == [(s, float(v), None if h is None else float(h), q, u, c)
                              for s, v, h, q, u, c in expected]
    for f in figs:
        assert f.span.text == text[f.span.start:f.span.end]
        assert f.sentence.text == text[f.sentence.start:f.sentence.end]
        assert f.sentence.start <= f.span.start < f.span.end <= f.sentence.end
        if f.counts_span is not None:
            assert f.counts_span.text == text[f.counts_span.start:f.counts_span.end]


def test_counts_span_covers_noun_and_verb(nlp):
    text = "At least 83 people were killed in the raids."
    (fig,) = extract_figures(nlp(text))
    assert fig.counts_span is not None
    assert fig.counts_span.text == "people were killed"


def test_dates_overlapping_time_expressions_are_skipped(nlp):
    text = "On 3 December, 40 boats were inspected."
    dates = [_date(text, "3 December", "2025-12-03")]
    figs = extract_figures(nlp(text), dates)
    assert [f.span.text for f in figs] == ["40 boats"]
    assert figs[0].as_of == "2025-12-03"


@pytest.mark.parametrize(
    ("text", "phrase", "value", "expected"),
    [
        # a date governing the figure's verb
        ("At least 83 people were killed on Sunday.", "Sunday", "2025-11-23", "2025-11-23"),
        ("As of Monday, 40 boats had been struck.", "Monday", "2025-11-24", "2025-11-24"),
        # "since" opens a period: not the date the figure is as of -> published
        ("Since September, 40 boats have been struck.", "September", "2025-09", "2025-11-30"),
        ("40 boats have been struck since September.", "since September", "2025-09", "2025-11-30"),
        # the date of the statement reporting the figure
        ("Officials said on Monday that 40 boats had been seized.", "on Monday", "2025-11-24", "2025-11-24"),
        # a date inside another clause or after "after" is not the figure's
        ("Nearly 90 boats were seized after the October storms.", "October", "2025-10", "2025-11-30"),
        ("At least 61 people died, said a doctor who ran out of blood on Monday.", "on Monday", "2025-11-24",
         "2025-11-30"),
        # no date in the sentence -> the published date (day precision)
        ("At least 83 people were killed.", None, None, "2025-11-30"),
    ],
)
def test_as_of(nlp, text, phrase, value, expected):
    dates = [_date(text, phrase, value)] if phrase else []
    figs = extract_figures(nlp(text), dates, published="2025-11-30T08:15:00")
    assert len(figs) == 1
    assert figs[0].as_of == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a casualty count in the simple past right after a dated event
        ("The ferry sank on Sunday night. At least 14 people were killed.", "2025-11-23"),
        # cumulative counts are as of publication
        ("The ferry sank on Sunday night. At least 14 people have been killed.", "2025-11-30"),
        # not across a paragraph break
        ("The ferry sank on Sunday night.\n\nAt least 14 people were killed.", "2025-11-30"),
    ],
)
def test_as_of_from_the_event_just_told(nlp, text, expected):
    start = text.index("on Sunday night")
    dates = [TimeExpr(Span(start, start + 15, "on Sunday night"), "TIME", "2025-11-23TNI", "hour")]
    (fig,) = extract_figures(nlp(text), dates, published="2025-11-30")
    assert fig.as_of == expected


def test_as_of_ignores_date_in_other_sentence(nlp):
    text = "The raid happened on Sunday. By then 20 boats had been seized."
    dates = [_date(text, "Sunday", "2025-11-23")]
    figs = extract_figures(nlp(text), dates, published="2025-11-30")
    assert [(f.span.text, f.as_of) for f in figs] == [("20 boats", "2025-11-30")]


def test_sentence_is_cut_at_a_paragraph_break(nlp):
    text = "Harbour siege\n\nAt least 83 people were killed."
    (fig,) = extract_figures(nlp(text))
    assert fig.sentence.text == "At least 83 people were killed."
    assert fig.sentence.text == text[fig.sentence.start:fig.sentence.end]


def test_no_published_no_date_gives_none(nlp):
    (fig,) = extract_figures(nlp("Nearly 90 boats were seized."))
    assert fig.as_of is None


def test_empty_doc(nlp):
    assert extract_figures(nlp("")) == ()


# --------------------------------------------------------------------------- number words

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eighty-three", 83.0),
        ("a dozen", 12.0),
        ("two dozen", 24.0),
        ("one hundred and twenty-five", 125.0),
        ("two thousand three hundred", 2300.0),
        ("1.5 million", 1_500_000.0),
        ("a hundred", 100.0),
        ("zero", 0.0),
        ("three four", None),
        ("twenty thirty", None),
        ("boats", None),
        ("", None),
        ("and", None),
    ],
)
def test_parse_number_words(text, expected):
    assert parse_number_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,500", 1500.0), ("2.5", 2.5), ("83", 83.0), ("1,234,567", 1234567.0), ("forty", 40.0), ("x1", None)],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("lemma", "expected"),
    [("strike", "struck"), ("deploy", "deployed"), ("seize", "seized"), ("carry", "carried"),
     ("stop", "stopped"), ("kill", "killed"), ("die", "killed")],
)
def test_past_participle(lemma, expected):
    assert past_participle(lemma) == expected


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_W = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words_below_100(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS_W[tens] + (f"-{_ONES[ones]}" if ones else "")


def _words(n: int, use_and: bool) -> str:
    if n < 100:
        return _words_below_100(n)
    parts = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        parts.append(f"{_words(thousands, use_and)} thousand")
    hundreds, below = divmod(rest, 100)
    if hundreds:
        parts.append(f"{_ONES[hundreds]} hundred")
    if below:
        if parts and use_and:
            parts.append("and")
        parts.append(_words_below_100(below))
    return " ".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=9999), st.booleans())
def test_number_words_round_trip(n, use_and):
    assert parse_number_words(_words(n, use_and)) == float(n)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_commas_round_trip(n):
    assert parse_number(f"{n:,}") == float(n)
    assert parse_number(str(n)) == float(n)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=2, max_value=999_999), st.sampled_from(["boats", "people", "vessels"]))
def test_figure_value_in_sentence_round_trip(nlp, n, noun):
    text = f"The navy seized {n:,} {noun}."
    figs = extract_figures(nlp(text))
    assert [(f.value, f.span.text, f.counts) for f in figs] == [(float(n), f"{n:,} {noun}", f"{noun} seized")]
    assert re.fullmatch(r"[\d,]+ [a-z]+", figs[0].span.text)


_PIECES = ["83", "1,500", "2.5", "$15m", "40%", "at least", "about", "people", "boats", "were", "killed",
           "seized", "between", "and", "to", "-", "eighty-three", "hundreds of", "a dozen", ",", ".", "\n\n",
           "Ramos", "62", "in", "2024", "on", "Monday", "555-123-4567", "No.", "x", "per cent", "€"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_any_text_gives_consistent_spans(nlp, words):
    text = " ".join(words)
    for f in extract_figures(nlp(text), published="2025-11-30"):
        for span in (f.span, f.counts_span, f.sentence):
            if span is not None:
                assert span.text == text[span.start:span.end]
        assert f.value >= 0
        assert f.value_high is None or f.value_high > f.value
        assert f.span.start >= f.sentence.start and f.span.end <= f.sentence.end


# --------------------------------------------------------------------------- casualty counts in real-news phrasings

CASUALTIES = [
    # (sentence, [(figure as written, counts, qualifier)]); "others" is counted by its verb
    ("The gunman opened fire at the Varnel market, killing 12 people and wounding 31 others.",
     [("12 people", "people killed", None), ("31", "people wounded", None)]),
    ("Ostrin was among the 31 others wounded in the shooting.", [("31", "people wounded", None)]),
    ("Fourteen others injured, five critically.", [("Fourteen", "people injured", None)]),
    ("By evening up to 3 people were dead, and as many as 18 others injured, police reported.",
     [("up to 3 people", "people killed", "up to"), ("as many as 18", "people injured", "as many as")]),
    ("Four people were killed and at least nine wounded in the attack.",
     [("Four people", "people killed", None), ("at least nine", "people wounded", "at least")]),
    ("When the toll climbed to 86, with 210 others wounded, officials spoke.",
     [("86", "people killed", None), ("210", "people wounded", None)]),
    # bodies and victims are the dead unless a verb says what else happened to them
    ("Rescuers said 12 bodies were recovered from the river.", [("12 bodies", "people killed", None)]),
    ("Forty-seven bodies were handed over to relatives on Monday.",
     [("Forty-seven bodies", "bodies handed over", None)]),
    ("The 49 victims were remembered at a vigil.", [("49 victims", "victims remembered", None)]),
    # no match: nothing counted
    ("The club has 40 other members.", [("40 other members", "members", None)]),
    ("Others were wounded too.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASUALTIES, ids=[c[0][:40] for c in CASUALTIES])
def test_casualty_counts(nlp, text, expected):
    figs = extract_figures(nlp(text))
    assert [(f.span.text, f.counts, f.qualifier) for f in figs] == expected
