"""Source quality: single-article text signals, cross-source signals, score order and citations."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_items
from storyline.crosscheck.quality import (
    _FILLER_RX,
    _MT_RX,
    _VAGUE_RX,
    BASE,
    FILLER_PHRASES,
    MT_PATTERNS,
    WEIGHTS,
    _ramp,
    _table_hits,
    _typo_like,
    assess_sources,
    build_lexicon,
    kendall_tau,
    text_signals,
)
from storyline.errors import StorylineError
from storyline.extract.nlp import load_nlp
from storyline.ingest.clean import clean
from storyline.records import (
    Article,
    Citation,
    Claim,
    CleanArticle,
    Conflict,
    CopyRelation,
    Extraction,
    FlaggedError,
    Independence,
    QualityReason,
    Side,
    SourceQuality,
    Span,
    Statement,
)

ROOT = Path(__file__).resolve().parent.parent
KEY = json.loads((ROOT / "tests" / "golden" / "sample_expected.json").read_text(encoding="utf-8"))

# A careful reader's ranking of the 12 sample articles, most trustworthy first, written from the articles and
# examples/README.md BEFORE any score was computed (reasons kept as comments).
READER_RANKING = (
    # Careful news story: survivors interviewed by name, the navy's denial, hospital and port-authority
    # figures all attributed, absolute dates.
    "aubrel-sentinel-2025-12-16.txt",
    # Careful background piece: named sources for every figure, dates; one date ("since August") is disputed
    # by one other source, but it is consistent with "more than three months into" the operation.
    "meridian-ledger-2025-12-08.txt",
    # The original wire story: named sources, figures attributed; its "12 vessels" is contested only by Orbit.
    "hws-wire-2025-12-10.txt",
    # Careful and well sourced, but contradicts itself (14 vessels, later "the 11 vessels").
    "lantern-times-2025-12-22.txt",
    # Analysis with named sources, partly speculative (scenarios); "since early September" is disputed.
    "gannet-bay-courier-talks-scenarios.md",
    # Faithful, credited rewrites of the wire: as good as the wire, but shorter and second-hand.
    "calder-post-2025-12-10.txt",
    "northline-daily-2025-12-11.txt",
    # Decent reporting with named sources (harbourmaster, fisherman, hospital), but the page is cluttered
    # with widget text and its "nine vessels" contradicts the wire's 12.
    "orbit-news-sarrow-fishermen.html",
    # Short briefs: accurate and attributed, but thin (one anonymous aide in the first).
    "sarrow-briefs.jsonl#2",
    "sarrow-briefs.jsonl#1",
    # Machine translation: garbled grammar and typos, misnames the operation ("Iron Wave").
    "ostravan-voice-2025-12-12.txt",
    # Content-farm explainer: filler, vague attributions, no named source, calls the sitting president "former".
    "newspulse-hub-sarrow-explainer.md",
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _clean(text: str, outlet: str | None = None, aid: str = "a1") -> CleanArticle:
    return clean(Article(id=aid, origin=f"{aid}.txt", text=text, format="text", outlet=outlet))


def _verify(clean_article: CleanArticle, reasons: tuple[QualityReason, ...]) -> None:
    """Every citation matches the original text exactly; at most three per reason."""
    text = clean_article.article.text
    for r in reasons:
        assert len(r.citations) <= 3, r
        for c in r.citations:
            assert c.source == clean_article.article.id
            assert c.text == text[c.start:c.end] and c.text.strip(), (r.kind, c)


# --------------------------------------------------------------------------- phrase tables

FILLER_CASES = [
    ("In today's fast-paced world, news travels quickly.", "in today's ... world"),
    ("It is worth noting that the river rose.", "it is worth noting"),
    ("It's important to understand that floods happen.", "it is important to ..."),
    ("Trade plays a crucial role in the region.", "plays a crucial role"),
    ("The rescue was a testament to the crews.", "a testament to"),
    ("Navigating the complexities of diplomacy is hard.", "navigating the complexities"),
    ("In conclusion, the talks matter.", "in conclusion"),
    ("Let us delve into the details.", "delve"),
    ("More talks are expected as the situation unfolds.", "as the situation unfolds"),
    ("Only time will tell.", "only time will tell"),
    ("Nobody knows what the future holds.", "what the future holds"),
    ("Stay tuned for updates.", "stay tuned"),
    ("Everything you need to know about the vote", "everything you need to know"),
    ("Key takeaways", "key takeaways"),
    ("The ever-evolving landscape of shipping", "ever-evolving landscape"),
    ("A rich tapestry of cultures", "rich tapestry"),
    ("It goes without saying that rain is wet.", "it goes without saying"),
    ("Tariffs are a double-edged sword.", "double-edged sword"),
    ("The port has been making headlines.", "making headlines"),
    ("Many people have strong opinions about this.", "strong opinions"),
    ("We wrote this simple guide for readers.", "this simple guide"),
    ("Let's dive into the numbers.", "let's dive in"),
    ("The flood underscores the importance of planning.", "underscores the importance"),
    ("Diplomacy is always an important tool.", "is always an important tool"),
    ("The issue is complex and changing.", "complex and evolving"),
    ("The flood serves as a stark reminder of the risks.", "serves as a reminder"),
    ("In the realm of flood defence, little is simple.", "in the realm of"),
    ("It is a multifaceted problem.", "multifaceted"),
    ("This is a pivotal moment for the town.", "a pivotal moment"),
    ("The vote has broader implications for trade.", "broader implications"),
    ("The closure raises important questions.", "raises important questions"),
    ("Follow this developing story with us.", "stay informed"),
    ("The council hopes to foster dialogue.", "fostering dialogue"),
    ("It is essential to plan ahead.", "it is essential to"),
    # no match: ordinary reporting
    ("The council met on Tuesday and voted 7-2 to close the channel.", None),
    ("Her role in the talks was crucial, officials said.", None),
    ("The guide rope snapped at 3 p.m., the harbour master said.", None),
    ("Time will tell whether the wall holds, engineers said.", None),
]


@pytest.mark.parametrize(("text", "expected"), FILLER_CASES)
def test_filler_table(text: str, expected: str | None) -> None:
    labels = [h[0] for h in _table_hits(text, _FILLER_RX)]
    assert labels == ([expected] if expected else [])


def test_every_filler_entry_has_a_case() -> None:
    assert {lab for lab, _ in FILLER_PHRASES} == {e for _, e in FILLER_CASES if e}


MT_CASES = [
    ("The mayor has declared on Monday a new plan.", "present perfect with a past time"),
    ("The zone will start on next Tuesday.", "'on next/last' + day"),
    ("The blockade has run since many months.", "'since' + a duration"),
    ("The strike is continuing since the spring.", "progressive with 'since'"),
    ("They carried photos of relatives which died at sea.", "'which' for people"),
    ("More than 500 people were participating to the march.", "wrong preposition"),
    ("The rule will enter in force on Friday.", "wrong preposition"),
    ("She has told to our newspaper that supplies are short.", "wrong preposition"),
    ('"We not are going back," he said.', "negation word order"),
    ('"What we have to lose?" one man asked.', "question without auxiliary"),
    ("The smugglers know very good the rules.", "adjective for adverb"),
    ("Hunger kills us more slow than bombs.", "adjective for adverb"),
    ("Hundreds of fishermans marched.", "wrong plural"),
    ("The hospital received 43 deads.", "wrong plural"),
    ("Police counted 350 persons at the march.", "'persons' for people"),
    ("Prices have risen since the November, traders said.", "article before a month"),
    ("They was carrying black flags.", "subject-verb agreement"),
    ("Who respects the rules, he goes home.", "resumptive pronoun"),
    ("The mayor said the help was muy importante.", "untranslated word"),
    ("Die Leute und die Polizei waited at the bridge.", "untranslated word"),
    # no match: native phrasing that looks similar
    ("The mayor declared a new plan on Monday.", None),
    ("The zone will start next Tuesday.", None),
    ("The blockade has continued for many months.", None),
    ("The senators who voted against it were named on Friday.", None),
    ("Voters will participate in the election.", None),
    ("The treaty will enter into force in May.", None),
    ("We are not going back.", None),
    ("What do we have to lose?", None),
    ("The vote is expected since the November elections were delayed.", None),
    ("One of the reporters was injured.", None),
    ("The humans and the Romans were in the film.", None),
    ("Und Sofort, a Berlin band, played at MIT on Friday.", None),
]


@pytest.mark.parametrize(("text", "expected"), MT_CASES)
def test_machine_translation_table(text: str, expected: str | None) -> None:
    labels = [h[0] for h in _table_hits(text, _MT_RX)]
    assert labels == ([expected] if expected else [])


def test_every_mt_entry_has_a_case() -> None:
    assert {lab for lab, _ in MT_PATTERNS} == {e for _, e in MT_CASES if e}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("According to reports, the port closed.", ["according to reports"]),
        ("Experts say the wall will hold.", ["experts say"]),
        ("The ship reportedly sank.", ["reportedly"]),
        ("It is believed that ten boats left.", ["it is said"]),
        ("Some argue the zone is illegal.", ["some say"]),
        ("According to the harbour master, Ines Corvo, the port closed.", []),
        ("Engineer Tomas Hale said the wall would hold.", []),
    ],
)
def test_vague_attribution_table(text: str, expected: list[str]) -> None:
    assert [h[0] for h in _table_hits(text, _VAGUE_RX)] == expected


# --------------------------------------------------------------------------- misspellings against the corpus


@pytest.mark.parametrize(
    ("word", "right", "expected"),
    [
        ("goverment", "government", True),  # a letter dropped inside
        ("negociations", "negotiations", True),  # a letter changed inside
        ("recieved", "received", True),
        ("harbor", "harbour", False),  # British/American spelling
        ("organization", "organisation", False),
        ("defense", "defence", False),
        ("traveling", "travelling", False),  # doubled consonant
        ("boats", "boat", False),  # inflection at the end
        ("seizes", "seized", False),
        ("protestors", "protesters", False),
    ],
)
def test_typo_like(word: str, right: str, expected: bool) -> None:
    assert _typo_like(word, right) is expected


def test_lexicon_finds_misspellings_others_spell_right() -> None:
    docs = [
        "The government said the negotiations would resume.",
        "Officials in the government expect negotiations to resume.",
        "A government spokesman welcomed the negotiations.",
        "The goverment asked for negociations and was travelling north.",
    ]
    items = [(_clean(t, aid=f"d{i}"), Extraction(article_id=f"d{i}")) for i, t in enumerate(docs)]
    lex = build_lexicon(items)
    assert lex.correction("goverment") == "government"
    assert lex.correction("negociations") == "negotiations"
    assert lex.correction("government") is None  # used by several sources
    assert lex.correction("travelling") is None  # one source, but no common near-spelling
    reasons = text_signals(items[3][0], items[3][1], lexicon=lex)
    garbled = [r for r in reasons if r.kind == "garbled"]
    assert garbled and "'goverment' where other sources write 'government'" in garbled[0].detail
    assert {c.text for c in garbled[0].citations} == {"goverment", "negociations"}
    # Copies count once: the same misspelling in a copy of the article is still a misspelling.
    indep = Independence(groups=(("d0", "d1"),))
    assert build_lexicon(items, indep).sources["government"] == 2


# --------------------------------------------------------------------------- garbled text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flood closes port\n\nThe the river rose on Friday and the the port closed, officials said.",
         {"repeated word": 2}),
        ("Flood closes port\n\nThe river rose and the.\n\nThe council met because of the.",
         {"sentence cut off": 2}),
        ("Flood closes port\n\nThe closure, which has alarmed Reuters, angered fishermen.\n\n"
         "A decision that has worried Al Jazeera was taken.", {"outlet name spliced in": 2}),
        ("Flood closes port\n\nThe river rose on Friday and the fishermen waited on the quay for news from\n\n"
         "Officials said the port would stay shut while the water level stayed above the",
         {"sentence cut off": 2}),
        ("Flood closes port\n\nCaf\ufffd owners said the water rose. The \ufffdbarrier\ufffd failed.", {"mojibake": 3}),
        # no match: clean reporting, headings, legitimate doubles and outlet mentions
        ("Flood closes port\n\nThe river rose on Friday, officials said.\n\n## What Happens Next For The Town\n\n"
         "He had had enough, he told Reuters. The spokesman said that that was wrong.", {}),
        ("Flood closes port\n\nThis is what the council asked for.\n\nIt is the one they had hoped to.", {}),
    ],
)
def test_garbled_spots(text: str, expected: dict[str, int]) -> None:
    c = _clean(text)
    reasons = [r for r in text_signals(c, Extraction(article_id="a1")) if r.kind == "garbled"]
    if not expected:
        assert reasons == []
        return
    (r,) = reasons
    for kind, n in expected.items():
        assert f"{n} {kind}" in r.detail.replace("sentences cut off", "sentence cut off").replace(
            "repeated words", "repeated word").replace("outlet names", "outlet name")
    assert r.effect < 0
    _verify(c, (r,))


def test_furniture_share_and_neutral_lines() -> None:
    page = (
        "Port closes after flood\n\nBy Ines Morrow, The Halden Gazette\n\n"
        "The port of Kessling closed on Friday after the river rose above its 2019 record, officials said.\n\n"
        "Share this article: Facebook | X | WhatsApp | Email\n\nWas this helpful?\n\nRelated posts\n\n"
        "Sign up for our morning newsletter, delivered to your inbox every weekday.\n"
    )
    c = _clean(page)
    (r,) = [r for r in text_signals(c, Extraction(article_id="a1")) if r.kind == "furniture"]
    assert r.effect < 0 and "% of the page is page furniture" in r.detail
    assert r.citations[0].text == "Share this article: Facebook | X | WhatsApp | Email" or "helpful" in r.citations[0].text
    _verify(c, (r,))
    assert all("Ines Morrow" not in x.text for x in r.citations)  # a byline is not furniture
    only_byline = _clean("Port closes\n\nBy Ines Morrow, The Halden Gazette\n\nThe port closed on Friday.")
    assert [r for r in text_signals(only_byline, Extraction(article_id="a1")) if r.kind == "furniture"] == []


# --------------------------------------------------------------------------- Kendall tau


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([1, 2, 3, 4], [1, 2, 3, 4], 1.0),
        ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
        ([1, 2, 3, 4], [1, 3, 2, 4], 4 / 6),  # one discordant pair of six
        ([1, 2, 3], [1, 1, 2], 2 / (3 * 2) ** 0.5),  # tau-b with a tie in b
        ([1, 1, 1], [1, 2, 3], 0.0),  # constant: no information
        ([], [], 0.0),
    ],
)
def test_kendall_tau_table(a: list[float], b: list[float], expected: float) -> None:
    assert kendall_tau(a, b) == pytest.approx(expected)


def test_kendall_tau_needs_pairs() -> None:
    with pytest.raises(StorylineError):
        kendall_tau([1, 2], [1])


@given(st.lists(st.integers(-50, 50), min_size=2, max_size=25, unique=True), st.randoms(use_true_random=False))
def test_kendall_tau_properties(xs: list[int], rnd) -> None:
    ys = xs[:]
    rnd.shuffle(ys)
    t = kendall_tau(xs, ys)
    assert -1.0 <= t <= 1.0
    assert kendall_tau(xs, ys) == pytest.approx(kendall_tau(ys, xs))  # symmetric
    assert kendall_tau(xs, xs) == pytest.approx(1.0)
    assert kendall_tau(xs, [-x for x in xs]) == pytest.approx(-1.0)
    assert kendall_tau(xs, [3 * y + 7 for y in ys]) == pytest.approx(t)  # rank-based


@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(0.01, 10))
def test_ramp_is_monotone_and_bounded(x: float, y: float, full: float) -> None:
    lo, hi = sorted((x, y))
    assert 0.0 <= _ramp(lo, full) <= _ramp(hi, full) <= 1.0


# --------------------------------------------------------------------------- self-written articles of clearly different quality

CAREFUL = """Flood barrier fails as river Tamber peaks at record height

By Ines Morrow, The Halden Gazette

KESSLING, Norvath — The river Tamber rose to 6.4 metres at the Kessling gauge on Thursday, 0.3 metres above the previous record set in March 2019, and breached a temporary flood barrier in the old town, the regional water authority said.

About 1,200 residents were evacuated overnight, according to Mayor Orla Fenwick, who said that 14 of the town's 22 schools would stay closed until Monday.

"We planned for six metres, and the river gave us more," said Tomas Hale, the authority's chief engineer. "The barrier held for nine hours, which bought us the time to move people."

Two people were taken to Kessling District Hospital with hypothermia, a hospital spokeswoman, Dana Pruitt, said on Friday. No deaths have been reported.

The Norvath Insurance Council estimated the damage at 40 million crowns in a statement issued on 14 November, and said claims could be filed from Monday.

Opposition councillor Brenn Ashworth said the town had asked for a permanent wall in 2021 and been refused. The regional government said a permanent barrier would be built by 2027.
"""

FILLER = """Tamber Floods Explained: Everything You Need to Know

In today's fast-paced world, it can be hard to keep up with the news. That is why we have put together this simple guide to the floods that have been making headlines around the globe.

It is worth noting that floods are a very serious matter. It is important to understand that rivers can rise quickly. According to reports, many homes have reportedly been affected.

Experts say that preparation plays a crucial role in situations like this one. Many people have strong opinions about flood barriers.

It is worth noting that the authorities have said they are working hard. Navigating the complexities of flood defence is a testament to the resilience of communities everywhere.

In conclusion, the situation is complex and constantly evolving. Only time will tell what the future holds. Stay tuned for more updates as the situation unfolds.
"""

GARBLED = """Inhabitants of Kessling make protest against the water authority

Kessling Herald (automatic translation)

KESSLING - Hundreds inhabitants with their childs have made on Friday a manifestation in the centre of Kessling against the water authority, which is failing since many years to build the wall.

The protesters was carrying the photographies of houses which the river has destroyed. According to the organizers, more than 800 persons were participating to the march.

The mayor Orla Fenwick has told to our newspaper that the town have received the the help from the goverment since the November but that the informations are not clear. "We not are able to wait more," she said.

"What we have to lose?" asked one old man which did not give his name. "The water is coming more fast than the help, and the help is coming more slow than the"
"""

WIDGETS = """Kessling flood: river peaks above record

Share this article: Facebook | X | WhatsApp | Email | Copy link

The river Tamber rose above its 2019 record at Kessling on Thursday, the water authority said, and about 1,200 residents left their homes.

Sign up for our morning newsletter, delivered to your inbox every weekday.

Advertisement

Mayor Orla Fenwick said schools would stay closed until Monday.

Was this helpful?

Thank you for your feedback

Related posts

Accept all cookies

Subscribe now for full access

Follow us on social media

© 2025 Halden Media Group. All rights reserved.

Privacy Policy | Terms of Use | Contact Us
"""

DOCS = (
    ("careful", CAREFUL, "2025-11-15", "The Halden Gazette"),
    ("widgets", WIDGETS, "2025-11-15", "Orbit Daily"),
    ("garbled", GARBLED, "2025-11-16", "Kessling Herald"),
    ("filler", FILLER, "2025-11-15", "Pulse Hub"),
)


@pytest.fixture(scope="module")
def written(nlp):
    return make_items(list(DOCS), nlp=nlp)


def test_self_written_articles_in_quality_order(written) -> None:
    q = assess_sources(written.items, (), (), (), (), Independence())
    assert [written.names[x.source] for x in q] == ["careful", "widgets", "garbled", "filler"]
    assert all(0.0 <= x.score <= 1.0 for x in q)
    by_name = {written.names[x.source]: x for x in q}
    kinds = {n: {r.kind: r for r in x.reasons} for n, x in by_name.items()}
    # Each article is marked down for what is wrong with it, and only the careful one is clean.
    assert kinds["careful"]["attribution"].effect > 0 and kinds["careful"]["specificity"].effect > 0
    assert not {"furniture", "garbled", "machine-translation", "filler"} & set(kinds["careful"])
    assert kinds["widgets"]["furniture"].effect < 0
    assert kinds["garbled"]["machine-translation"].effect < 0
    assert kinds["filler"]["filler"].effect < 0 and kinds["filler"]["attribution"].effect < 0
    # The citations hold the words that support the judgement.
    assert {"participating to", "800 persons"} & {c.text for c in kinds["garbled"]["machine-translation"].citations}
    assert any("worth noting" in c.text for c in kinds["filler"]["filler"].citations)
    assert any("Share this article" in c.text or "helpful" in c.text for c in kinds["widgets"]["furniture"].citations)
    for clean_article, _ext in written.items:
        _verify(clean_article, by_name[written.names[clean_article.article.id]].reasons)


def test_reason_details_have_numbers(written) -> None:
    for clean_article, ext in written.items:
        for r in text_signals(clean_article, ext):
            assert any(ch.isdigit() for ch in r.detail), r
            assert -1.0 <= r.effect <= 1.0


# --------------------------------------------------------------------------- cross-source signals (hand-built)


def _cite_in(clean_article: CleanArticle, snippet: str, nth: int = 0) -> Citation:
    start = -1
    for _ in range(nth + 1):
        start = clean_article.text.index(snippet, start + 1)
    return clean_article.cite(start, start + len(snippet))


def _side(clean_article: CleanArticle, snippet: str, value: str) -> Side:
    return Side(value, (_cite_in(clean_article, snippet),), (clean_article.article.id,))


def _reason(q: tuple[SourceQuality, ...], aid: str, kind: str) -> QualityReason | None:
    (sq,) = [x for x in q if x.source == aid]
    found = [r for r in sq.reasons if r.kind == kind]
    return found[0] if found else None


def _score(q: tuple[SourceQuality, ...], aid: str) -> float:
    return next(x.score for x in q if x.source == aid)


def test_cross_source_penalties(written) -> None:
    by = {written.names[c.article.id]: c for c, _ in written.items}
    careful, widgets = by["careful"], by["widgets"]
    base = assess_sources(written.items, (), (), (), (), Independence())
    err = FlaggedError(
        "err-1", "number", widgets.article.id, _cite_in(widgets, "about 1,200 residents"),
        "about 1,100 residents", (_cite_in(careful, "About 1,200 residents"),), "the other source says otherwise",
    )
    with_error = assess_sources(written.items, (), (), (), (err,), Independence())
    r = _reason(with_error, widgets.article.id, "errors")
    assert r is not None and r.effect == WEIGHTS["errors"] and r.citations == (err.citation,)
    assert "1,200 residents" in r.detail and "about 1,100 residents" in r.detail
    assert _score(with_error, widgets.article.id) == pytest.approx(_score(base, widgets.article.id) + WEIGHTS["errors"])
    assert _score(with_error, careful.article.id) == _score(base, careful.article.id)

    lost = Conflict("x-1", "number", "residents evacuated", (
        _side(careful, "About 1,200 residents", "1,200"), _side(widgets, "about 1,200 residents", "1,300")),
        "They disagree.", likely=0)
    open_ = dataclasses.replace(lost, id="x-2", likely=None)
    internal = Conflict("x-3", "internal", "schools closed", (
        _side(careful, "14 of the town's 22 schools", "14"), _side(careful, "22 schools", "22")), "Itself.")
    q = assess_sources(written.items, (), (), (lost, open_, internal), (), Independence())
    rw = _reason(q, widgets.article.id, "contested")
    assert rw is not None and rw.effect == pytest.approx(WEIGHTS["contested-lost"] + WEIGHTS["contested-open"])
    rc = _reason(q, careful.article.id, "contested")
    assert rc is not None and rc.effect == pytest.approx(WEIGHTS["contested-open"] + WEIGHTS["contested-internal"])
    assert "contradicts itself" in rc.detail
    for x in q:
        for reason in x.reasons:
            for c in reason.citations:
                assert c.text == by[written.names[x.source]].article.text[c.start:c.end]
    # An error already tied to a conflict is not charged twice.
    tied = dataclasses.replace(err, conflict="x-1")
    q2 = assess_sources(written.items, (), (), (lost,), (tied,), Independence())
    assert _reason(q2, widgets.article.id, "contested") is None


def test_unsupported_claims_mild_and_scaled(written) -> None:
    by = {written.names[c.article.id]: c for c, _ in written.items}
    careful, widgets = by["careful"], by["widgets"]

    def st(c: CleanArticle, n: int, snippet: str) -> Statement:
        cit = _cite_in(c, snippet)
        i = c.text.index(snippet)
        return Statement(f"st-{c.article.id}-{n}", c.article.id, Span(i, i + len(snippet), snippet), cit, None,
                         entities=("place:kessling",))

    s1, s2, s3 = st(careful, 1, "About 1,200 residents"), st(careful, 2, "Two people"), st(careful, 3, "No deaths")
    w1 = st(widgets, 1, "about 1,200 residents")
    both = Claim("c-1", (s1.id, w1.id), (s1.citation, w1.citation), (careful.article.id, widgets.article.id), 2,
                 "corroborated", s1.span.text, ("place:kessling",))
    alone = [Claim(f"c-{k}", (s.id,), (s.citation,), (careful.article.id,), 1, "single-source", s.span.text,
                   ("place:kessling",)) for k, s in ((2, s2), (3, s3))]
    q = assess_sources(written.items, (s1, s2, s3, w1), (both, *alone), (), (), Independence())
    r = _reason(q, careful.article.id, "unsupported")
    assert r is not None and "2 of 3 factual claims" in r.detail
    assert WEIGHTS["unsupported"] <= r.effect < 0  # mild
    assert _reason(q, widgets.article.id, "unsupported") is None  # everything it says is corroborated
    # Exclusives up to half of what a source says cost nothing.
    q_half = assess_sources(written.items, (s1, s2, w1), (both, alone[0]), (), (), Independence())
    r_half = _reason(q_half, careful.article.id, "unsupported")
    assert r_half is not None and r_half.effect == 0


def test_copy_is_named_not_penalised(written) -> None:
    by = {written.names[c.article.id]: c for c, _ in written.items}
    careful, widgets = by["careful"], by["widgets"]
    link = CopyRelation(widgets.article.id, careful.article.id, "rewrite", 0.71, "embedding",
                        (_cite_in(widgets, "Mayor Orla Fenwick said schools would stay closed until Monday."),))
    indep = Independence(groups=((careful.article.id, widgets.article.id),), links=(link,))
    base = assess_sources(written.items, (), (), (), (), Independence())
    q = assess_sources(written.items, (), (), (), (), indep)
    r = _reason(q, widgets.article.id, "copy")
    assert r is not None and r.effect == 0 and "copy of The Halden Gazette" in r.detail
    assert r.citations == link.evidence
    assert _score(q, widgets.article.id) == _score(base, widgets.article.id)


def test_deterministic_and_ordered(written) -> None:
    assert assess_sources((), (), (), (), (), Independence()) == ()
    a = assess_sources(written.items, (), (), (), (), Independence())
    b = assess_sources(tuple(reversed(written.items)), (), (), (), (), Independence())
    assert a == b
    assert [x.score for x in a] == sorted((x.score for x in a), reverse=True)
    assert all(x.score == pytest.approx(max(0.0, min(1.0, BASE + sum(r.effect for r in x.reasons)))) for x in a)


# --------------------------------------------------------------------------- the sample story


def _sample_cross_source(sample_items):
    """The answer key's conflicts, errors and wire group as the other stages should report them."""
    by = {name: c for c, _ in sample_items.items for aid, name in [(c.article.id, sample_items.names[c.article.id])]}
    hws, calder, northline = (by[n] for n in KEY["wire_groups"][0])
    conflicts = []
    for n, k in enumerate(KEY["conflicts"], 1):
        sides = tuple(_side(by[f], snippet, snippet) for f, snippet in
                      zip(k["files"] * (2 if len(k["files"]) == 1 else 1), k["sides"], strict=True))
        likely = 1 if k["kind"] in ("name", "role") else None
        conflicts.append(Conflict(f"x-{n}", k["kind"], k["note"][:40], sides, k["note"], likely))
    errors = []
    for n, e in enumerate(KEY["errors"], 1):
        c = by[e["file"]]
        conflict = next(x.id for x in conflicts if x.sides[0].sources == (c.article.id,) and x.kind != "internal")
        errors.append(FlaggedError(f"err-{n}", "role", c.article.id, _cite_in(c, e["snippet"]), "see evidence",
                                   (), e["why"], conflict))
    links = tuple(CopyRelation(x.article.id, hws.article.id, "rewrite", 0.8, "embedding",
                               (_cite_in(x, "We will not retreat"),)) for x in (calder, northline))
    indep = Independence(groups=((hws.article.id, calder.article.id, northline.article.id),), links=links)
    return tuple(conflicts), tuple(errors), indep


def _tau(sample_items, q) -> float:
    score = {sample_items.names[x.source]: x.score for x in q}
    reader = [-i for i in range(len(READER_RANKING))]
    return kendall_tau(reader, [score[n] for n in READER_RANKING])


def test_sample_ranking_text_signals_only(sample_items) -> None:
    assert sorted(READER_RANKING) == sorted(sample_items.names.values())
    q = assess_sources(sample_items.items, (), (), (), (), Independence())
    assert _tau(sample_items, q) >= 0.6
    names = [sample_items.names[x.source] for x in q]
    assert names[-2:] == ["ostravan-voice-2025-12-12.txt", "newspulse-hub-sarrow-explainer.md"]


def test_sample_ranking_with_cross_source_signals(sample_items) -> None:
    conflicts, errors, indep = _sample_cross_source(sample_items)
    q = assess_sources(sample_items.items, (), (), conflicts, errors, indep)
    assert _tau(sample_items, q) >= 0.6
    ids = sample_items.ids
    newspulse = _reason(q, ids["newspulse-hub-sarrow-explainer.md"], "errors")
    assert newspulse is not None and newspulse.citations[0].text == "former President Marek Osterlund"
    assert newspulse.effect <= WEIGHTS["errors"]
    calder = _reason(q, ids["calder-post-2025-12-10.txt"], "copy")
    assert calder is not None and "copy of Harbor Wire Service" in calder.detail
    lantern = _reason(q, ids["lantern-times-2025-12-22.txt"], "contested")
    assert lantern is not None and "contradicts itself" in lantern.detail
    ostravan = [r for r in next(x for x in q if x.source == ids["ostravan-voice-2025-12-12.txt"]).reasons]
    assert {"machine-translation", "errors"} <= {r.kind for r in ostravan}
    by = {c.article.id: c for c, _ in sample_items.items}
    for x in q:
        _verify(by[x.source], x.reasons)


def test_sample_misspelling_against_other_sources(sample_items) -> None:
    q = assess_sources(sample_items.items, (), (), (), (), Independence())
    r = _reason(q, sample_items.ids["ostravan-voice-2025-12-12.txt"], "garbled")
    assert r is not None and "'goverment' where other sources write 'government'" in r.detail
    for name in ("aubrel-sentinel-2025-12-16.txt", "meridian-ledger-2025-12-08.txt", "hws-wire-2025-12-10.txt"):
        assert _reason(q, sample_items.ids[name], "garbled") is None
        assert _reason(q, sample_items.ids[name], "machine-translation") is None
        assert _reason(q, sample_items.ids[name], "filler") is None


def test_many_articles_each_get_a_score(sample_items) -> None:
    """~120 articles (the sample ten times over): one score each (speed is measured in bench/)."""
    items = []
    for k in range(10):
        for c, e in sample_items.items:
            a = dataclasses.replace(c.article, id=f"{c.article.id}-{k}")
            items.append((dataclasses.replace(c, article=a), dataclasses.replace(e, article_id=a.id)))
    q = assess_sources(items, (), (), (), (), Independence())
    assert len(q) == len(items)
    assert len({s.source for s in q}) == len(items) and all(0.0 <= s.score <= 1.0 for s in q)


@settings(max_examples=30)
@given(st.lists(st.sampled_from([lab for lab, _ in FILLER_PHRASES]), max_size=6))
def test_more_filler_never_scores_better(labels: list[str]) -> None:
    """Adding filler sentences to an article never raises its filler effect (monotone, saturating)."""
    examples = {e: t for t, e in FILLER_CASES if e}
    body = "Port closes\n\nThe port of Kessling closed on Friday after the river rose, officials said."
    effects = []
    for k in range(len(labels) + 1):
        text = body + "".join(" " + examples[lab] for lab in labels[:k])
        rs = [r.effect for r in text_signals(_clean(text), Extraction(article_id="a1")) if r.kind == "filler"]
        effects.append(rs[0] if rs else 0.0)
    assert all(b <= a + 1e-9 for a, b in zip(effects, effects[1:], strict=False))
    assert all(WEIGHTS["filler"] <= e <= 0 for e in effects)


@settings(max_examples=20)
@given(st.sets(st.integers(0, 3), max_size=4))
def test_errors_never_raise_a_score(written, picks: set[int]) -> None:
    by = {written.names[c.article.id]: c for c, _ in written.items}
    names = ["careful", "widgets", "garbled", "filler"]
    errors = tuple(
        FlaggedError(f"err-{i}", "number", by[names[i]].article.id,
                     by[names[i]].cite(0, 4), "x", (), "test") for i in sorted(picks)
    )
    base = {x.source: x.score for x in assess_sources(written.items, (), (), (), (), Independence())}
    q = {x.source: x.score for x in assess_sources(written.items, (), (), (), errors, Independence())}
    assert all(q[s] <= base[s] for s in base)
    assert all(q[e.source] < base[e.source] or base[e.source] == 0.0 for e in errors)
