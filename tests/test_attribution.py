"""Tests for storyline.extract.attribution: the learned source model behind extract_attributions."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import ModelError
from storyline.extract import attribution as A
from storyline.extract.nlp import load_nlp
from storyline.extract.quotes import extract_attributions, find_quoted
from storyline.records import Quote

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def triples(quotes: tuple[Quote, ...]) -> list[tuple[str | None, str | None, str]]:
    return [(q.speaker.text if q.speaker else None, q.cue.text if q.cue else None, q.content.text) for q in quotes]


def check(text: str, quotes: tuple[Quote, ...]) -> None:
    for q in quotes:
        for s in [q.content, q.sentence, *q.parts, *(x for x in (q.speaker, q.cue) if x is not None)]:
            assert 0 <= s.start <= s.end <= len(text)
            assert s.text == text[s.start : s.end]
        assert q.sentence.start <= q.content.start and q.content.end <= q.sentence.end


def test_stored_model_loads() -> None:
    model = A.load_source_model()
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 1000
    assert model.feature_version == A.FEATURE_VERSION
    raw = json.loads(resources.files("storyline").joinpath(A.MODEL_RESOURCE).read_text(encoding="utf-8"))
    assert "PolNeAR train" in raw["about"]
    # weights are keyed by feature names only: dependency labels, tags and single lemmas, never text
    assert all(" " not in k for k in raw["weights"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feature_version": 999, "weights": {}, "bias": 0, "threshold": 0.5}, "refit"),
    ],
)
def test_model_from_wrong_version(data: dict, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        A.SourceModel.from_dict(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The harbour master said the channel would stay closed until Friday.",
            [("The harbour master", "said", "the channel would stay closed until Friday")],
        ),
        (
            "According to the coast guard, two boats are missing.",
            [("the coast guard", "According to", "two boats are missing")],
        ),
        (
            "The mayor's critics doubt that the levy will pass.",
            [("The mayor's critics", "doubt", "that the levy will pass")],
        ),
        (
            "Ranchers in the valley fear another dry summer.",
            [("Ranchers in the valley", "fear", "another dry summer")],
        ),
        # the rules find a source in each of these; the model does not take a search, a storm or people asked
        # to do something as sources
        ("The next phase of the search is focusing on a narrow strip of the valley.", []),
        ("The storm has raised questions about the levee.", []),
        ("Ferry owners with a damaged hull are asked to call the harbour office.", []),
        # no attribution at all
        ("Heavy rain fell on the valley overnight.", []),
        ("The ferry left the port at noon with forty passengers.", []),
        ("Three trucks crossed the bridge before it closed.", []),
        ("The council, which approved the levy in March, met again on Monday.", []),
    ],
)
def test_learned_attributions(nlp, text: str, expected: list[tuple]) -> None:
    doc = nlp(text)
    got = extract_attributions(doc)
    check(text, got)
    assert triples(got) == expected


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        (
            "The next phase of the search is focusing on a narrow strip of the valley.",
            [("The next phase of the search", "is focusing on", "a narrow strip of the valley")],
        ),
        ("The storm has raised questions about the levee.", [("The storm", "has raised questions about", "the levee")]),
    ],
)
def test_model_overrules_a_rule(nlp, text: str, rules: list[tuple]) -> None:
    doc = nlp(text)
    assert triples(extract_attributions(doc, learned=False)) == rules
    assert extract_attributions(doc) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a source the rules do not know: the model adds it, cue = its verb, content = what follows
        (
            "A strategist in Ohio watched the debate closely.",
            [("A strategist in Ohio", "watched", "the debate closely")],
        ),
        ("A strategist in Ohio has not watched the debate.", [("A strategist in Ohio", "has not watched", "the debate")]),
        # the source's relative clause (the parser hangs it on "Ohio") stays with the source, never in the content
        (
            "A strategist in Ohio, who ran two campaigns, watched the debate closely.",
            [("A strategist in Ohio, who ran two campaigns", "watched", "the debate closely")],
        ),
        # no noun the model favours: nothing
        ("The ferry left the port at noon.", []),
    ],
)
def test_added_sources(nlp, text: str, expected: list[tuple]) -> None:
    """A hand-made model (one strong feature) drives refine's path for sources the rules missed."""
    model = A.SourceModel(weights={"lex=strategist": 6.0, "dep=nsubj": 1.0}, bias=-4.0, threshold=0.5)
    doc = nlp(text)
    rules = extract_attributions(doc, learned=False)
    assert rules == ()
    got = A.refine(doc, rules, [], model)
    check(text, got)
    assert triples(got) == expected


def test_candidates_cover_rule_sources(nlp) -> None:
    text = 'Ms. Orrin said "the levy is fair," and her aides agreed.'
    doc = nlp(text)
    rules = extract_attributions(doc, learned=False)
    quoted = [p for parts, _ in find_quoted(text) for p in parts]
    cands = A.source_candidates(doc, rules, quoted)
    ruled = {A.candidate_span(doc, c) for c in cands if c.ruled}
    assert {(q.speaker.start, q.speaker.end) for q in rules if q.speaker} <= ruled
    inside = [c for c in cands if "inq" in c.features]
    assert inside and all(quoted[0][0] <= doc[c.token].idx < quoted[0][1] for c in inside)


_SENTENCES = [
    "The harbour master said the channel would stay closed.",
    "Fishing crews blame the new quota for the lost season.",
    '"We will not move," said Dana Orrin, the union\'s leader.',
    "According to the coast guard, two boats are missing.",
    "Heavy rain fell on the valley overnight.",
    "Why had the mayor called the radio show so late?",
    "Orrin's allies insist the vote was fair.",
    "The report found that the dam had been poorly maintained.",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=5), st.sampled_from([" ", "\n\n"]))
def test_spans_verify_and_output_is_deterministic(nlp, sentences: list[str], sep: str) -> None:
    text = sep.join(sentences)
    doc = nlp(text)
    first = extract_attributions(doc)
    check(text, first)
    assert extract_attributions(doc) == first
    speakers = [(q.speaker.start, q.speaker.end) for q in first if q.speaker is not None]
    rules = {(q.speaker.start, q.speaker.end) for q in extract_attributions(doc, learned=False) if q.speaker}
    # a kept rule source keeps its exact span; any other source is a noun phrase of its own sentence
    for s, e in speakers:
        assert (s, e) in rules or "\n" not in text[s:e]
