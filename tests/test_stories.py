"""Stories in a real SQLite store: saved by section, briefing, problems, suppression across re-analysis,
related stories, sentences for questions, and the schema migration from a version-1 store."""

from __future__ import annotations

import copy
import sqlite3

import pytest

from storyline.errors import NotFoundError, ProblemReportError, StoreError
from storyline.reader.problems import item_citations, item_key
from storyline.reader.stories import (
    ANALYSIS_SECTIONS,
    continued_story,
    decide_problem,
    load_briefing,
    load_dossier,
    related,
    rename_story,
    report_problem,
    resolve_story,
    save_story,
    story_index,
    story_slug,
    suppressions,
)
from storyline.records import Citation
from storyline.store import MIGRATIONS, Store

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Veldania's sea blockade of Sarrow", "veldanias-sea-blockade-of-sarrow"),
        ("  Crise à Zürich: 12 navires!  ", "crise-a-zurich-12-navires"),
        ("", "story"),
        ("???", "story"),
        ("a" * 100, "a" * 40),
        ("word " * 30, ("word-" * 8)[:-1]),
    ],
)
def test_story_slug(title, slug):
    assert story_slug(title) == slug


@pytest.fixture()
def store(sample_run, tmp_path):
    """A private copy of the sample store with the sample story saved in it."""
    with Store(sample_run.db) as shared:
        shared.backup(tmp_path / "copy.db")
    s = Store(tmp_path / "copy.db")
    ids = [src["id"] for src in sample_run.dossier["sources"]]
    s.saved_id = save_story(s, sample_run.dossier, ids)  # type: ignore[attr-defined]
    yield s
    s.close()


def test_saved_story_reassembles_the_dossier(store, sample_run):
    sid = store.saved_id
    assert sid == story_slug(sample_run.dossier["title"])
    assert load_dossier(store, sid) == {k: v for k, v in sample_run.dossier.items() if k in ANALYSIS_SECTIONS}
    summary = store.story(sid)
    assert summary.articles == len(sample_run.dossier["sources"]) == len(store.story_article_ids(sid))
    assert summary.counts["conflicts"] == len(sample_run.dossier["conflicts"])
    assert summary.first == sample_run.dossier["period"]["first"]
    assert {"briefing", "view"} <= set(store.story_section_names(sid))
    assert resolve_story(store, None).id == sid
    with pytest.raises(NotFoundError, match="no story 'nope'"):
        load_dossier(store, "nope")


def test_a_failed_save_leaves_the_stored_story_as_it_was(store, sample_run):
    sid = store.saved_id
    before = store.story_section(sid, "claims")
    with pytest.raises(TypeError):
        store.save_story(sid, "broken", [], {"claims": [], "bad": object()})
    assert store.story_section(sid, "claims") == before
    assert store.story(sid).title == sample_run.dossier["title"]


def _first_claim(store, sid):
    claim = next(c for c in load_dossier(store, sid)["claims"] if c["status"] == "corroborated")
    return claim, item_key("claim", claim["citations"])


def test_report_a_problem_round_trip_and_log(store):
    sid = store.saved_id
    claim, key = _first_claim(store, sid)
    p = report_problem(store, sid, key, "outdated", "  the toll has risen since  ")
    assert (p.status, p.item_kind, p.category, p.comment) == ("open", "claim", "outdated", "the toll has risen since")
    assert p.citations[0].text == claim["citations"][0]["text"]
    assert [q.id for q in store.problems(sid)] == [p.id]
    assert store.problems(sid, status="resolved") == []
    decided = decide_problem(store, p.id, "resolved", "updated the figure")
    assert decided.status == "resolved" and decided.resolution == "updated the figure"
    log = store.problem_log(sid)
    assert [e["action"] for e in log] == ["resolved", "reported"]
    assert log[0]["note"] == "updated the figure"


@pytest.mark.parametrize(
    ("key", "category", "comment", "match"),
    [
        (None, "spam", "", "category 'spam'"),
        ("claim:0000:1-2", "wrong", "", "no such item"),
        ("not a key", "wrong", "", "not an item key"),
        (None, "wrong", "x" * 2001, "at most 2,000"),
        ("answer:0000:1-2", "wrong", "", "needs the answer's citations"),
    ],
)
def test_bad_reports_are_refused_with_one_line(store, key, category, comment, match):
    sid = store.saved_id
    key = key or _first_claim(store, sid)[1]
    with pytest.raises(ProblemReportError, match=match):
        report_problem(store, sid, key, category, comment)
    assert store.problems() == []


def test_answer_reports_store_only_citations_that_verify(store, sample_run):
    sid = store.saved_id
    src = sample_run.dossier["sources"][0]
    good = Citation(src["id"], 0, 20, src["text"][:20])
    p = report_problem(store, sid, item_key("answer", [good]), "wrong", citations=[good], text="an answer")
    assert p.item_kind == "answer" and p.item_text == "an answer"
    forged = Citation(src["id"], 0, 20, "<script>x</script>!!")
    with pytest.raises(ProblemReportError, match="does not verify"):
        report_problem(store, sid, item_key("answer", [forged]), "wrong", citations=[forged])


def test_suppression_hides_the_briefing_sentence_and_survives_reanalysis(store, sample_run):
    sid = store.saved_id
    first = load_briefing(store, sid).sentences[0]
    n = len(load_briefing(store, sid).sentences)
    p = report_problem(store, sid, first.key, "wrong", "not what the source says")
    assert first.key in {s.key for s in load_briefing(store, sid).sentences}  # reporting alone hides nothing
    decide_problem(store, p.id, "suppressed", "confirmed")
    assert [s.kind for s in suppressions(store, sid)] == ["briefing"]
    after = load_briefing(store, sid)
    assert first.key not in {s.key for s in after.sentences}
    assert len(after.sentences) == n  # another sentence took its place
    # analysing the same story again (same articles, same dossier) keeps it hidden
    save_story(store, copy.deepcopy(sample_run.dossier), store.story_article_ids(sid))
    assert first.key not in {s.key for s in load_briefing(store, sid).sentences}
    decide_problem(store, p.id, "open", "reconsidered")
    assert first.key in {s.key for s in load_briefing(store, sid).sentences}


def test_suppressed_claim_stays_suppressed_by_key(store):
    sid = store.saved_id
    claim, key = _first_claim(store, sid)
    p = report_problem(store, sid, key, "wrong")
    decide_problem(store, p.id, "suppressed")
    keys = {item_key("claim", item_citations("claim", c)) for c in load_dossier(store, sid)["claims"]}
    assert key in keys  # the dossier keeps every candidate; the pages and briefing hide it
    with pytest.raises(ProblemReportError, match="status 'deleted'"):
        decide_problem(store, p.id, "deleted")
    with pytest.raises(NotFoundError):
        decide_problem(store, 9999, "resolved")


def test_related_stories_rank_by_shared_entities(store, sample_run):
    sid = store.saved_id
    assert related(store, sid) == []
    twin = copy.deepcopy(sample_run.dossier)
    twin["title"] = "The envoy's mission to Sarrow"
    twin["entities"] = twin["entities"][:10]
    stranger = copy.deepcopy(sample_run.dossier)
    stranger["title"] = "Orchard harvest festival returns"
    stranger["entities"] = [
        {**e, "id": f"person:other-{i}", "name": f"Other {i}"} for i, e in enumerate(stranger["entities"][:5])
    ]
    for s in stranger["sources"]:
        s["title"] = "Orchard harvest festival"
    ids = store.story_article_ids(sid)
    save_story(store, twin, ids[:4], story_id="envoy-mission")
    save_story(store, stranger, ids[4:6], story_id="harvest")
    ranked = related(store, sid)
    assert [s.id for s, _ in ranked] == ["envoy-mission"]
    assert 0 < ranked[0][1] <= 1.0
    with pytest.raises(ValueError, match="story id"):
        save_story(store, twin, ids, story_id="Bad Id!")


def test_story_index_stores_sentences_and_reuses_cached_vectors(store, sample_run):
    sid = store.saved_id
    lexical = story_index(store, sid, embedder=False)
    texts = {s["id"]: s["text"] for s in sample_run.dossier["sources"]}
    assert len(lexical.citations) > 100
    assert all(texts[c.source][c.start : c.end] == c.text for c in lexical.citations)

    class Counting:
        name = "counting-test-model"

        def __init__(self):
            self.calls = 0

        def encode(self, texts, batch_size=64):
            import numpy

            self.calls += len(texts)
            out = numpy.ones((len(texts), 384), dtype=numpy.float32)
            return out / numpy.linalg.norm(out, axis=1, keepdims=True)

    enc = Counting()
    first = story_index(store, sid, embedder=enc)
    assert enc.calls == len(first.citations) and first.vectors.shape == (len(first.citations), 384)
    story_index(store, sid, embedder=enc)
    assert enc.calls == len(first.citations)  # second time every vector came from the store


def test_a_version_1_store_migrates_and_keeps_its_articles(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
    )
    conn.isolation_level = None
    MIGRATIONS[0].apply(conn)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'v1', 0)")
    conn.execute(
        "INSERT INTO articles(id, origin, format, published_how, language, text, added_at)"
        " VALUES ('abc', 'a.txt', 'text', 'none', 'en', 'Some text.', 0)"
    )
    conn.close()
    with Store(path) as store:
        assert store.schema_version() == MIGRATIONS[-1].version >= 2
        assert store.article_ids() == ["abc"]
        assert store.stories() == [] and store.problems() == []
        with pytest.raises(StoreError, match="no story"):
            store.save_story_section("missing", "view", {})


def test_reanalysis_with_a_new_latest_headline_continues_the_same_story(store, sample_run):
    sid = store.saved_id
    ids = store.story_article_ids(sid)
    later = copy.deepcopy(sample_run.dossier)
    later["title"] = "A new headline from the latest article of the story"
    assert continued_story(store, ids + ["new-article"]) == sid
    assert save_story(store, later, ids) == sid  # same story, not a new one under the new slug
    assert store.story(sid).title == later["title"]
    assert continued_story(store, ids[:1]) is None or len(ids) <= 2  # one article of many starts no match
    assert continued_story(store, ["unknown"]) is None


def test_rename_keeps_the_title_across_reanalysis_and_moves_reports(store, sample_run):
    sid = store.saved_id
    _claim, key = _first_claim(store, sid)
    report_problem(store, sid, key, "outdated", "a test report")
    new = rename_story(store, sid, "  The   pier story  ", new_id="")
    assert new == "the-pier-story" and store.story(sid) is None
    assert store.story(new).title == "The pier story"
    assert load_dossier(store, new)["title"] == "The pier story"
    assert store.story_section(new, "view")["title"] == "The pier story"  # the page view was rebuilt
    assert [p.story for p in store.problems(new)] == [new]
    ids = store.story_article_ids(new)
    assert save_story(store, sample_run.dossier, ids) == new  # re-analysed: same id, the chosen title kept
    assert store.story(new).title == "The pier story"
    assert rename_story(store, new, "Another title") == new and store.story(new).title == "Another title"


@pytest.mark.parametrize(
    ("title", "new_id", "error", "match"),
    [
        ("   ", None, ValueError, "empty"),
        ("Fine title", "Bad Id!", ValueError, "story id"),
        ("Fine title", "taken", StoreError, "exists already"),
    ],
)
def test_bad_renames_change_nothing(store, sample_run, title, new_id, error, match):
    sid = store.saved_id
    save_story(store, sample_run.dossier, store.story_article_ids(sid)[:1], story_id="taken")
    before = store.story(sid)
    with pytest.raises(error, match=match):
        rename_story(store, sid, title, new_id)
    assert store.story(sid) == before


def test_renaming_a_missing_story_says_so(store):
    with pytest.raises(NotFoundError, match="no story"):
        rename_story(store, "missing", "Some title")
