"""Tests for storyline.extract.quotes: direct and reported speech, speakers, cues, dates, span consistency."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.extract.nlp import load_nlp
from storyline.extract.quotes import extract_attributions, extract_quotes, find_quoted
from storyline.records import Mention, Quote, Span, TimeExpr

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def mentions_of(doc, roles: dict[str, str] | None = None) -> list[Mention]:
    """PERSON/ORG mentions from doc.ents; key = the fullest name in the doc sharing the last token."""
    roles = roles or {}
    ents = []
    for e in doc.ents:
        if e.label_ in ("PERSON", "ORG"):
            end = e.end_char - 2 if e.text.endswith(("'s", "’s")) else e.end_char  # "Lopez's" -> "Lopez"
            ents.append((e.start_char, end, doc.text[e.start_char : end], e.label_))
    out = []
    for start, end, text, label in ents:
        last = text.split()[-1]
        key = max((x[2] for x in ents if x[2].split()[-1] == last), key=len)
        out.append(Mention(Span(start, end, text), label, key, role=roles.get(key)))
    return out


def run(nlp, text: str, roles: dict[str, str] | None = None, dates=()) -> tuple[Quote, ...]:
    doc = nlp(text)
    quotes = extract_quotes(doc, mentions_of(doc, roles), dates)
    for q in quotes:
        check_spans(text, q)
    return quotes


def check_spans(text: str, q: Quote) -> None:
    spans = [q.content, q.sentence, *q.parts]
    spans += [s for s in (q.speaker, q.cue, q.said_on_span) if s is not None]
    for s in spans:
        assert 0 <= s.start <= s.end <= len(text)
        assert s.text == text[s.start : s.end]
    assert q.content.start == q.parts[0].start and q.content.end == q.parts[-1].end
    assert q.sentence.start <= q.content.start and q.content.end <= q.sentence.end
    assert q.kind in ("direct", "indirect")


def summary(q: Quote) -> tuple:
    return (
        q.kind,
        q.content.text,
        q.speaker.text if q.speaker else None,
        q.speaker_key,
        q.cue.text if q.cue else None,
    )


# --------------------------------------------------------------------------- quote marks (no model)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we go now" today.', [["we go now"]]),
        ("He said “we go now” today.", [["we go now"]]),
        ("“A ‘nested’ phrase here,” she said.", [["A ‘nested’ phrase here"]]),
        ('"First para.\n\n"Second para," he said.', [["First para.", "Second para"]]),
        ('"Unclosed at end.\n\nNext para has none.', []),
        ("No quotes at all here.", []),
        ('"One" and "two"', [["One"], ["two"]]),
        ('" "', []),
        ("''We go now,'' he said.", [["We go now"]]),
        ("It ended with ''Stop.'' \n\n''Then what?'' she asked.", [["Stop."], ["Then what?"]]),
    ],
)
def test_find_quoted(text: str, expected: list[list[str]]) -> None:
    got = [[text[s:e] for s, e in parts] for parts, _ in find_quoted(text)]
    assert got == expected


# --------------------------------------------------------------------------- direct quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # cue after, name speaker
        (
            '"We will reopen the northern crossing next week," Maria Lopez said.',
            [
                (
                    "direct",
                    "We will reopen the northern crossing next week",
                    "Maria Lopez",
                    "Maria Lopez",
                    "said",
                )
            ],
        ),
        # inverted cue with apposition
        (
            '"The ceasefire must hold for everyone," said Maria Lopez, the foreign minister.',
            [
                (
                    "direct",
                    "The ceasefire must hold for everyone",
                    "Maria Lopez, the foreign minister",
                    "Maria Lopez",
                    "said",
                )
            ],
        ),
        # cue before with a colon
        (
            'Daniel Okafor said: "Our engineers have restored power to the harbour district."',
            [
                (
                    "direct",
                    "Our engineers have restored power to the harbour district.",
                    "Daniel Okafor",
                    "Daniel Okafor",
                    "said",
                )
            ],
        ),
        # curly marks
        (
            "“The bridge will stay closed until further notice,” the mayor told reporters.",
            [
                (
                    "direct",
                    "The bridge will stay closed until further notice",
                    "the mayor",
                    None,
                    "told reporters",
                )
            ],
        ),
        # cue after the speaker, long apposition
        (
            '"Yes, I back the new port plan," Daniel Okafor, founder of the Harbour Trust, tells Port Radio.',
            [
                (
                    "direct",
                    "Yes, I back the new port plan",
                    "Daniel Okafor, founder of the Harbour Trust",
                    "Daniel Okafor",
                    "tells",
                )
            ],
        ),
        # the speaker's name is not an entity: the name as written, never the organisation in its apposition
        (
            '"Yes, I back the new port plan," Brent Okafor III, founder of the Harbour Trust, tells Port Radio.',
            [
                (
                    "direct",
                    "Yes, I back the new port plan",
                    "Brent Okafor III, founder of the Harbour Trust",
                    "Brent Okafor III",
                    "tells",
                )
            ],
        ),
        # headline style: a name and a colon
        (
            'Maria Lopez: "We will not yield to anyone"\n\nThe minister spoke on Monday.',
            [("direct", "We will not yield to anyone", "Maria Lopez", "Maria Lopez", ":")],
        ),
        ('Update: "Stay indoors tonight"', []),
        # scare quotes and quoted titles: no quote
        ('The budget rests on a "fiscal mirage" of rising revenue.', []),
        ('Soldiers joined Operation "Silver Harbor" in the spring.', []),
        ("The council met on Friday and approved the budget.", []),
        # a quoted term inside reported speech stays part of the indirect quote
        (
            'The minister said the "narco-state" label was unfair to his country.',
            [("indirect", 'the "narco-state" label was unfair to his country', "The minister", None, "said")],
        ),
    ],
)
def test_direct(nlp, text: str, expected: list[tuple]) -> None:
    assert [summary(q) for q in run(nlp, text)] == expected


def test_split_quote_is_one_quote(nlp) -> None:
    text = 'Elena Marsh visited the port. "We will not yield," she said, "and we will not leave."'
    (q,) = run(nlp, text)
    assert [p.text for p in q.parts] == ["We will not yield", "and we will not leave."]
    assert q.content.text == 'We will not yield," she said, "and we will not leave.'
    assert q.cue.text == "said" and q.speaker.text == "she" and q.speaker_key == "Elena Marsh"


def test_multi_paragraph_quote(nlp) -> None:
    text = (
        'Inspector Ravi Patel described the scene. "The water rose faster than anyone expected.\n\n'
        '"By midnight the whole lower town was under a metre of water," Patel said.'
    )
    qs = run(nlp, text)
    assert len(qs) == 1
    (q,) = qs
    assert [p.text for p in q.parts] == [
        "The water rose faster than anyone expected.",
        "By midnight the whole lower town was under a metre of water",
    ]
    assert q.speaker_key == "Ravi Patel"


def test_uncued_quote_takes_neighbour_speaker(nlp) -> None:
    text = (
        '"The harvest was the worst in a decade," said Tomas Berg, a farmer. He looked at the dry sky. '
        '"We lost almost every field to the flood."'
    )
    qs = run(nlp, text)
    assert [q.content.text for q in qs] == [
        "The harvest was the worst in a decade",
        "We lost almost every field to the flood.",
    ]
    assert [q.speaker_key for q in qs] == ["Tomas Berg", "Tomas Berg"]
    assert qs[1].cue is None and qs[1].speaker is None


def test_split_quote_across_sentences(nlp) -> None:
    text = '"We are tired," said Tomas Berg. "But we will plant again in spring."'
    (q,) = run(nlp, text)
    assert [p.text for p in q.parts] == ["We are tired", "But we will plant again in spring."]
    assert q.speaker_key == "Tomas Berg"


def test_split_not_merged_when_second_part_has_own_cue(nlp) -> None:
    text = '"We are tired," said Tomas Berg. "So are we," replied Elena Marsh.'
    qs = run(nlp, text)
    assert [(q.content.text, q.speaker_key) for q in qs] == [
        ("We are tired", "Tomas Berg"),
        ("So are we", "Elena Marsh"),
    ]


def test_block_quote_after_colon_paragraph(nlp) -> None:
    text = (
        "The ministry of Daniel Okafor released a statement late on Sunday. Okafor wrote:\n\n"
        '"The harbour will reopen once the divers have finished their survey of the wrecks."'
    )
    qs = run(nlp, text)
    assert [(q.kind, q.speaker.text if q.speaker else None, q.cue.text if q.cue else None) for q in qs] == [
        ("direct", "Okafor", "wrote")
    ]


# --------------------------------------------------------------------------- indirect speech


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The minister said that talks would resume on Monday.",
            [("indirect", "that talks would resume on Monday", "The minister", None, "said")],
        ),
        (
            "According to the Harbor Authority, three ships were damaged in the storm.",
            [
                (
                    "indirect",
                    "three ships were damaged in the storm",
                    "the Harbor Authority",
                    "Harbor Authority",
                    "According to",
                )
            ],
        ),
        (
            "Talks will resume next month, Anna Novak said.",
            [("indirect", "Talks will resume next month", "Anna Novak", "Anna Novak", "said")],
        ),
        (
            "Anna Novak told reporters that the border would stay closed.",
            [("indirect", "that the border would stay closed", "Anna Novak", "Anna Novak", "told reporters")],
        ),
        (
            "Anna Novak said in a statement that the talks had failed.",
            [("indirect", "that the talks had failed", "Anna Novak", "Anna Novak", "said in a statement")],
        ),
        (
            "Anna Novak did not say whether the border would reopen.",
            [("indirect", "whether the border would reopen", "Anna Novak", "Anna Novak", "did not say")],
        ),
        (
            "Anna Novak called the blockade an act of war.",
            [("indirect", "the blockade an act of war", "Anna Novak", "Anna Novak", "called")],
        ),
        # a common-noun subject with the person in apposition
        (
            "The regional emergency chief, Thomas Reed, warned that more rain was expected.",
            [
                (
                    "indirect",
                    "that more rain was expected",
                    "The regional emergency chief, Thomas Reed",
                    "Thomas Reed",
                    "warned",
                )
            ],
        ),
        # a reporting noun with its source
        (
            "Maria Lopez's claim that the vote was rigged drew criticism.",
            [("indirect", "that the vote was rigged", "Maria Lopez", "Maria Lopez", "claim")],
        ),
        ("The claim drew criticism from the opposition.", []),
        # dateline and a bare weekday are not part of what was said
        (
            "LOS ANGELES, Feb. 2 (UPI) — The port will reopen soon, officials said.",
            [("indirect", "The port will reopen soon", "officials", None, "said")],
        ),
        (
            "Anna Novak said Tuesday her actions were legal.",
            [("indirect", "her actions were legal", "Anna Novak", "Anna Novak", "said")],
        ),
        # a belief inside reported speech is not a second quote
        (
            "Officials said they believe the fire was set deliberately.",
            [("indirect", "they believe the fire was set deliberately", "Officials", None, "said")],
        ),
        (
            "Anna Novak is calling for the council to reopen the port.",
            [("indirect", "the council to reopen the port", "Anna Novak", "Anna Novak", "is calling for")],
        ),
        # "what she called X" inside her own reported statement is not a second quote
        (
            "Anna Novak said the boats carried fuel and what she called military-grade parts.",
            [("indirect", "the boats carried fuel and what she called military-grade parts", "Anna Novak",
              "Anna Novak", "said")],
        ),
        # no reported speech
        ("The storm damaged three ships near the harbor.", []),
        ("Anna Novak called the harbour office twice.", []),
        ("Anna Novak described the scene to the crew.", []),
        ("Anna Novak wants the border to reopen.", []),
        ("She said nothing.", []),
    ],
)
def test_indirect(nlp, text: str, expected: list[tuple]) -> None:
    got = [summary(q) for q in run(nlp, text)]
    if expected and expected[0][3] == "Harbor Authority":  # the small model's entity may include "the"
        got = [
            g[:3] + ("Harbor Authority",) + g[4:] if (g[3] or "").endswith("Harbor Authority") else g
            for g in got
        ]
    assert got == expected


def test_attributions_add_stance_verbs(nlp) -> None:
    text = "Anna Novak wants the border to reopen."
    doc = nlp(text)
    assert extract_quotes(doc, mentions_of(doc)) == ()
    (q,) = extract_attributions(doc, mentions_of(doc), learned=False)
    assert (q.content.text, q.speaker_key, q.cue.text) == ("the border to reopen", "Anna Novak", "wants")


def test_according_to_before_direct_quote(nlp) -> None:
    text = 'According to the Harbor Authority, "three ships were badly damaged in the storm."'
    (q,) = run(nlp, text)
    assert (q.kind, q.speaker.text, q.cue.text) == ("direct", "the Harbor Authority", "According to")


# --------------------------------------------------------------------------- speaker resolution


@pytest.mark.parametrize(
    ("text", "expected_keys"),
    [
        # gender from titles picks the right one of two people
        (
            'Mr. Daniel Okafor met Ms. Elena Marsh in Lagos. "The deal is finished," she said.',
            ["Elena Marsh"],
        ),
        (
            'Ms. Elena Marsh met Mr. Daniel Okafor in Lagos. "The deal is finished," he said.',
            ["Daniel Okafor"],
        ),
        # gender from a common given name when there is no title
        ('Daniel Okafor met Elena Marsh in Lagos. "The deal is finished," he said.', ["Daniel Okafor"]),
        # "they" may be an organisation
        (
            "The Harbor Authority issued a warning. They said that the port would close.",
            ["The Harbor Authority"],
        ),
        # subject of a following "X added."
        (
            'Tomas Berg met the press. "We will rebuild every house in this valley." Berg added.',
            ["Tomas Berg"],
        ),
        # ...unless another person became the subject since
        (
            "Elena Marsh said the talks had collapsed. Daniel Okafor arrived an hour later. "
            '"Nobody else walked away from the table," he said.',
            ["Elena Marsh", "Daniel Okafor"],
        ),
        # no antecedent at all: no key, never the pronoun itself
        ('"It was a long night for all of us," she said.', [None]),
        # previous quote's speaker preferred over a more recent mention
        (
            "Elena Marsh said the talks had collapsed. She met Daniel Okafor. "
            '"Nobody else walked away from the table," she said.',
            ["Elena Marsh", "Elena Marsh"],
        ),
    ],
)
def test_pronoun_speakers(nlp, text: str, expected_keys: list[str]) -> None:
    assert [q.speaker_key for q in run(nlp, text)] == expected_keys


def test_nominal_speaker_uses_role(nlp) -> None:
    text = (
        "Maria Lopez, the foreign minister, arrived in Geneva with Daniel Okafor. "
        '"We came here to sign, not to talk," the minister said.'
    )
    qs = run(nlp, text, roles={"Maria Lopez": "foreign minister", "Daniel Okafor": "envoy"})
    assert [(q.speaker.text, q.speaker_key) for q in qs] == [("the minister", "Maria Lopez")]


def test_unresolved_nominal_keeps_surface(nlp) -> None:
    qs = run(nlp, "Officials said that the road would reopen within days.")
    assert [(q.speaker.text, q.speaker_key) for q in qs] == [("Officials", None)]


# --------------------------------------------------------------------------- said_on


def test_said_on(nlp) -> None:
    text = "Anna Novak told reporters on Tuesday that the border would stay closed."
    start = text.index("Tuesday")
    day = TimeExpr(Span(start, start + 7, "Tuesday"), "DATE", "2025-11-25", "day")
    (q,) = run(nlp, text, dates=[day])
    assert q.said_on == "2025-11-25" and q.said_on_span == day.span


def test_said_on_bare_day_after_cue(nlp) -> None:
    text = "Anna Novak told reporters Tuesday that the border would stay closed."
    start = text.index("Tuesday")
    day = TimeExpr(Span(start, start + 7, "Tuesday"), "DATE", "2025-11-25", "day")
    (q,) = run(nlp, text, dates=[day])
    assert (q.cue.text, q.said_on) == ("told reporters", "2025-11-25")


def test_said_on_direct_quote(nlp) -> None:
    text = '"We will take the case to court," Anna Novak said on Monday.'
    start = text.index("Monday")
    day = TimeExpr(Span(start, start + 6, "Monday"), "DATE", "2025-11-24", "day")
    (q,) = run(nlp, text, dates=[day])
    assert (q.kind, q.said_on, q.said_on_span) == ("direct", "2025-11-24", day.span)


def test_said_on_ignores_date_inside_content(nlp) -> None:
    text = "Anna Novak said that the border would reopen on Friday."
    start = text.index("Friday")
    day = TimeExpr(Span(start, start + 6, "Friday"), "DATE", "2025-11-28", "day")
    (q,) = run(nlp, text, dates=[day])
    assert q.said_on is None and q.said_on_span is None


# --------------------------------------------------------------------------- properties

_WORDS = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "‘",
        "’",
        "said",
        "she",
        "he",
        "told",
        "Lopez",
        "the",
        "minister",
        "that",
        "we",
        "go",
        ",",
        ".",
        ":",
        "\n",
        "\n\n",
        "according",
        "to",
        "Maria",
        "will",
        "not",
        "yield",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, max_size=40))
def test_never_raises_and_spans_consistent(nlp, words: list[str]) -> None:
    text = " ".join(words)
    quotes = run(nlp, text)
    assert list(quotes) == sorted(quotes, key=lambda q: (q.content.start, q.content.end))
    for q in quotes:
        assert q.speaker_key is None or q.speaker_key.lower() not in {"he", "she", "they", "him", "her"}


@given(st.text(alphabet=st.sampled_from('ab "“”\n,'), max_size=60))
def test_find_quoted_parts_inside_text(text: str) -> None:
    for parts, para in find_quoted(text):
        assert para >= 0
        for s, e in parts:
            assert 0 <= s < e <= len(text)
            assert text[s:e] == text[s:e].strip()


# --------------------------------------------------------------------------- PolNeAR-style attribution rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # learned stance lexicon (BROAD_LEMMAS): the verb's object is the content
        (
            "Senator Anna Novak lambasted the budget deal on Tuesday.",
            [("Senator Anna Novak", "lambasted", "the budget deal on Tuesday")],
        ),
        # relative-pronoun source
        ("Voters who back the harbor plan turned out early.", [("who", "back", "the harbor plan")]),
        # the author's own first person, outside quote marks
        ("I wonder whether the mayor will resign.", [("I", "wonder", "whether the mayor will resign")]),
        # headline attribution with a colon and no quote marks
        (
            "Novak: Budget Deal Is a Disgrace for the City\n\nThe council met on Monday.",
            [("Novak", ":", "Budget Deal Is a Disgrace for the City")],
        ),
        # stance adjective after a copula
        ("Lopez is skeptical of the harbor deal.", [("Lopez", "skeptical of", "the harbor deal")]),
        ("The voters were eager to move on.", [("The voters", "eager", "to move on")]),
        # light verb + attribution noun
        ("Novak made the case for a higher fuel tax.", [("Novak", "made the case for", "a higher fuel tax")]),
        ("She took a swipe at Smith over the budget.", [("She", "took a swipe at", "Smith over the budget")]),
        # relative clause around the cue: content is what follows the cue
        (
            "The plan includes a wall, which he said the city should pay for.",
            [("he", "said", "the city should pay for")],
        ),
        # title-case headline whose verb the tagger reads as a name
        (
            "Conservative Icon Anna Novak Endorses Jorge Lopez for Mayor\n\nThe endorsement came on Monday.",
            [("Conservative Icon Anna Novak", "Endorses", "Jorge Lopez for Mayor")],
        ),
        # a poll share the parser leaves without a subject
        (
            "About 4 in 10 say they want the next mayor to be a woman.",
            [("About 4 in 10", "say", "they want the next mayor to be a woman")],
        ),
        # no-match rows
        ("Harbor Reopens After Storm Damage Is Repaired\n\nShips returned.", []),
        ("Update: This article has been corrected.\n\nThe council met on Monday.", []),
        ("Lopez continues to lead the race in Ohio.", []),  # low-precision cue dropped
        ("Novak made a cake for the party.", []),  # light verb with an ordinary object
        ("Lopez is tall.", []),  # adjective without a stance
        ("The council is open on Sundays.", []),  # stance adjective without a complement
        ("The ferry left the harbor at noon.", []),
        ('He said "I wonder whether we can win," and left.', [("He", "said", "I wonder whether we can win")]),
        # passive cue with a by-agent: the agent is the source even when the verb has an object or prep
        (
            "The mayor has been criticized by several council members for the delay.",
            [("several council members", "has been criticized", "for the delay")],
        ),
        ("The mayor was criticized for the delay.", []),  # no agent, no source
        # a stance verb's one-word object is content
        ("Governor Hale endorsed Lopez last week.", [("Governor Hale", "endorsed", "Lopez")]),
        ("Governor Hale said yes.", []),  # reported speech still needs two words
        # a cue clause closing the sentence after a comma, which the parser hung elsewhere
        (
            "Lopez spent heavily in May, fundraising documents show.",
            [("documents", "show", "Lopez spent heavily in May")],
        ),
        ("Lopez spent heavily in May, and then left town.", []),
        # a sentence opening with "In a poll / survey / report / study ..., "
        (
            "In a poll released Monday, 52 percent of voters backed the harbor plan.",
            [
                ("a poll released Monday", "In", "52 percent of voters backed the harbor plan"),
                ("52 percent of voters", "backed", "the harbor plan"),
            ],
        ),
        ("In the harbor, three ships waited for the storm to pass.", []),
        ("In polls, Lopez leads by five points.", []),  # plural / bare: under 40% precise on train
        # one-word headline source before a colon, even when the tagger reads it as a common noun
        (
            "Poll: Lopez Leads Novak by Five Points\n\nThe race is close.",
            [("Poll", ":", "Lopez Leads Novak by Five Points")],
        ),
        # low-precision light verbs, adjectives and nouns are dropped
        ("The council is ready to vote on the plan.", []),
        ("Lopez has a view on the harbor.", []),
        # a party tag stays whole in the source span, as PolNeAR marks it
        (
            "Party leader Tom Brandt (D-OR) said “the harbor plan is dead.”",
            [("Party leader Tom Brandt (D-OR)", "said", "the harbor plan is dead.")],
        ),
        # a quote after the reported words keeps both; the subject is the speaker's, not the reported clause's
        (
            'Lopez said the budget could be "messy," adding, "Politics is messy."',
            [
                ("Lopez", "said", 'the budget could be "messy," adding, "Politics is messy'),
                ("Lopez", "adding", 'messy," adding, "Politics is messy.'),
            ],
        ),
    ],
)
def test_attribution_rules(nlp, text: str, expected: list[tuple[str, str, str]]) -> None:
    """The rules alone (``learned=False``); the learned source model is tested in test_attribution.py."""
    doc = nlp(text)
    got = extract_attributions(doc, mentions_of(doc), learned=False)
    for q in got:
        check_spans(text, q)
    assert [(q.speaker.text if q.speaker else None, q.cue.text if q.cue else None, q.content.text) for q in got] == (
        expected
    )


@pytest.mark.parametrize(
    "text",
    [
        "Senator Anna Novak lambasted the budget deal on Tuesday.",
        "Lopez is skeptical of the harbor deal.",
        "Novak made the case for a higher fuel tax.",
        "Novak: Budget Deal Is a Disgrace for the City\n\nThe council met on Monday.",
        "I wonder whether the mayor will resign.",
    ],
)
def test_stance_rules_stay_out_of_quotes(nlp, text: str) -> None:
    """The PolNeAR-only rules never add to extract_quotes (the dossier's reported speech)."""
    doc = nlp(text)
    assert extract_quotes(doc, mentions_of(doc)) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the subject of the reported clause ("the budget") is not the speaker of the following quote
        ('Lopez said the budget could be "messy," adding, "Politics is messy."', ["Lopez"]),
        # the party tag "(D-OR)" stays whole in the speaker span
        ("Rep. Tom Brandt (D-OR) said “the harbor plan is dead.”", ["Rep. Tom Brandt (D-OR)"]),
        ("Rep. Tom Brandt said “the harbor plan is dead.”", ["Rep. Tom Brandt"]),
        ('The plan is "messy."', []),  # scare quote: no quote, no speaker
    ],
)
def test_quote_speakers(nlp, text: str, expected: list[str]) -> None:
    doc = nlp(text)
    got = extract_quotes(doc, mentions_of(doc))
    for q in got:
        check_spans(text, q)
    assert [q.speaker.text for q in got if q.speaker is not None] == expected


@pytest.mark.parametrize(
    ("text", "speaker_key"),
    [
        # a person tied to an organisation is not the organisation
        ("A former Nordwind Airlines instructor pilot said that the autopilot would hold the heading.", None),
        ("An aviation expert at Nordwind Airlines said that the search area was far too large.", None),
        # the organisation speaking through its voice
        ("A Nordwind Airlines spokeswoman said that the company was cooperating with the inquiry.", "Nordwind Airlines"),
        ("Nordwind Airlines said that the company was cooperating with the inquiry.", "Nordwind Airlines"),
    ],
)
def test_speakers_tied_to_an_organisation(nlp, text, speaker_key) -> None:
    qs = run(nlp, text)
    assert len(qs) == 1
    assert qs[0].speaker_key == speaker_key, (qs[0].speaker, qs[0].speaker_key)


# --------------------------------------------------------------------------- speakers a reader can trust


@pytest.mark.parametrize(
    ("text", "expected_keys"),
    [
        # the salient subject, not the nearest name (an object, a prepositional mention)
        (
            'General Tomas Berg has doubts about the navy under President Carl Mendez. '
            '"It was hard to serve in those years," he told the host.',
            ["Tomas Berg"],
        ),
        (
            "Former governor Peter Lind agreed. Lind added that Maria Okafor would appear alongside Daniel Brandt "
            'at the debates. "Nobody will doubt her after that night," he said.',
            ["Peter Lind", "Peter Lind"],
        ),
        # the listener is not the speaker
        (
            'Survivor Tomas Berg met Prime Minister Carl Mendez on Friday. "I lost everything in one night," '
            "he told the prime minister.",
            ["Tomas Berg"],
        ),
        # a ship named after a person is not a "he": no speaker rather than a wrong one
        (
            'The arrival of the aircraft carrier Gerald Ford was announced on Monday. '
            '"We will not be intimidated by anyone," he stated.',
            [None],
        ),
        # someone tied to a person is not that person; the medium is not the speaker
        ("A Mendez adviser quoted by the Tribune said that the talks were over.", [None]),
        # a description resolved through the words before a name; a known person by the given name alone
        (
            'First lady Anna Lind spoke in Ohio. "We have a lot of work to do here," the first lady said.',
            ["Anna Lind"],
        ),
        (
            'Anna Lind met her husband in 1990. "He asked me out, and I said no at first," Anna said.',
            ["Anna Lind"],
        ),
        # a pull quote signed on the next line
        (
            "The mayor spoke at length.\n“We will rebuild every single house in this valley.”\n"
            "Maria Okafor, 12 March\nThe rest of the report follows.",
            ["Maria Okafor"],
        ),
        (
            "The mayor spoke at length.\n“We will rebuild every single house in this valley.”\n"
            "— Maria Okafor\nThe rest of the report follows.",
            ["Maria Okafor"],
        ),
        # a document's author: named with it, or with the same document earlier
        (
            "A statement from the Harbour Trust said the vote was fair. "
            '"We accept the result and we will work with the new board," the statement read.',
            ["the Harbour Trust", "the Harbour Trust"],
        ),
        # a rank before the name is not the name
        (
            '"From the crew perspective, they are hopeful," said Cmdr. Peter Lind of the Seventh Fleet.',
            ["Peter Lind"],
        ),
        # the British run-on: each paragraph opens with a mark, the speaker is the one of the run
        (
            'Maria Okafor said: "The deal is good for the town.\n\n"It keeps the harbour open for ten years."\n\n'
            '"Nobody in this town loses a job."',
            ["Maria Okafor", "Maria Okafor"],
        ),
        # a caption line above the cue is no part of the speaker
        (
            "Andriy Petrenko joined the club on Monday.\n\nClub boss Jose Marino\n\n"
            'Petrenko, the former captain, added: "I am going to a great club with great players."',
            ["Andriy Petrenko"],
        ),
        # no match: a following line that is a sentence, not a signature
        (
            "The mayor spoke at length.\n“We will rebuild every single house in this valley.”\n"
            "Maria Okafor later toured the damaged bridge with engineers and volunteers.",
            [None],
        ),
    ],
)
def test_speakers_a_reader_can_trust(nlp, text: str, expected_keys: list[str | None]) -> None:
    assert [q.speaker_key for q in run(nlp, text)] == expected_keys
