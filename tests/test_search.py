"""Questions and source searches from the store's own full-text index (storyline.reader.search), on both
backends: a real SQLite file (FTS5) and a real PostgreSQL server the session starts (tsvector and GIN)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.reader.ask import answer, search_terms
from storyline.reader.search import index_story, question_index, search_sources
from storyline.reader.stories import load_dossier, save_story, story_index
from storyline.records import Extraction
from storyline.store import Store
from test_store import make_clean

QUESTIONS = [
    "How many boats were seized?",
    "Who is the fisheries minister?",
    "When will the blockade zone widen?",
    "What did the Front say about the seizures?",
    "How many fishermen were detained?",
    "Where were the boats taken?",
    "Who called the seizures piracy?",
    "What happens next week?",
    "Is there a ceasefire?",
    "Who leads the navy?",
    "What did the harbour master say?",
    "How many people were killed?",
    "What is Operation Blue Tide?",  # a thing the sources never name: declined on both
    "Did the talks in Geneva fail?",
]


class HashEmbedder:
    """A deterministic stand-in for the sentence model: hashed word counts, L2-normalised (64 dimensions)."""

    name = "hash-test-64"

    def encode(self, texts, batch_size=64):
        rows = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in text.lower().split():
                rows[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1.0
        return rows / np.linalg.norm(rows, axis=1, keepdims=True).clip(1e-9)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def story(request, sample_run, tmp_path_factory) -> tuple[str, str]:
    """The sample story saved into a new store on each backend (sentences not stored yet: the first search
    stores and indexes them)."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("search") / "s.db")
    else:
        target = request.getfixturevalue("postgres_server").new_database()
    with Store(sample_run.db) as src, Store(target) as store:
        for clean, ext in src.iter_loaded(src.article_ids()):
            store.save(clean, ext, "sig")
        ids = [s["id"] for s in sample_run.dossier["sources"]]
        save_story(store, sample_run.dossier, ids, story_id="sample")
    return target, "sample"


@pytest.mark.parametrize("embedder", [False, HashEmbedder()], ids=["lexical", "vectors"])
def test_answers_from_the_database_index_equal_the_whole_story_index(story, embedder):
    target, sid = story
    with Store(target) as store:
        dossier = load_dossier(store, sid)
        whole = story_index(store, sid, embedder=embedder)
        answered = 0
        for q in QUESTIONS:
            small = question_index(store, sid, q, embedder=embedder)
            expected = answer(q, dossier, whole, embedder=embedder)
            assert answer(q, dossier, small, embedder=embedder) == expected, q
            assert len(small.citations) < whole.n_docs == small.n_docs  # candidates only, scored as the story
            answered += expected.answered
    assert 0 < answered < len(QUESTIONS)  # some answered, some declined: the comparison is not vacuous


def test_a_store_made_before_the_index_is_indexed_on_its_first_search(story):
    target, sid = story
    with Store(target) as store:
        index_story(store, sid)
        counted = store.sentence_stats(sid)
        store.conn.execute("DELETE FROM sentence_terms")  # as a store of migration 4 has its sentences
        assert store.sentence_stats(sid)[0] == 0 and store.search_sentences(["boat"], story_id=sid) == []
        hits = search_sources(store, "seized boats", story_id=sid)
        assert hits and store.sentence_stats(sid) == counted
        assert store.unindexed(sid) == ([], [])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("seizures", "seize"),  # word forms: the sentence may say "seized"
        ("SEIZED BOATS", "vessel"),  # and the story's synonyms: boats, ships and vessels are one term
        ("zzyzx quillwort", None),  # no source holds these words
        ("the and of", None),  # stop words only: nothing to search for
    ],
)
def test_source_search_ranks_articles_by_their_best_sentence(story, query, expected):
    target, sid = story
    with Store(target) as store:
        hits = search_sources(store, query, story_id=sid, limit=5)
        if expected is None:
            assert hits == []
            return
        assert 0 < len(hits) <= 5 and len({h.source for h in hits}) == len(hits)
        for h in hits:
            article = store.article(h.source)
            assert article.text[h.citation.start:h.citation.end] == h.citation.text  # grounded
            assert expected in " ".join(search_terms(h.citation.text)) and h.matches >= 1


def test_stored_vectors_are_read_a_chunk_at_a_time(story):
    target, sid = story
    with Store(target) as store:
        emb = HashEmbedder()
        question_index(store, sid, "boats", embedder=emb)  # encodes and stores every sentence once
        assert store.missing_vectors(sid, emb.name) == []
        sizes = [len(rows) for rows in store.iter_story_vectors(sid, emb.name, chunk=50)]
        assert max(sizes) == 50 and sum(sizes) == store.sentence_stats(sid)[0]


# --------------------------------------------------------------------------- one term, one token

_WORD = st.text(alphabet="abcdeéfghiklmnoöprstuz", min_size=1, max_size=8)
_JOIN = st.sampled_from(["'", "\u2019", ".", "-", ""])
_TOKEN = st.one_of(
    st.builds(lambda a, j, b: a + j + b, _WORD, _JOIN, _WORD),
    st.integers(0, 10**7).map(lambda n: f"{n:,}"),
    _WORD,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_TOKEN, min_size=1, max_size=12))
def test_every_term_of_a_sentence_finds_it_and_counts_it_once(tmp_path, words):
    text = " ".join(words) + "."
    with Store(tmp_path / "p.db") as store:
        store.conn.execute("DELETE FROM articles")
        clean = make_clean(text, "p1")
        store.save(clean, Extraction(article_id="p1"), "sig")
        store.save_sentences("p1", [(0, len(text))])
        terms = search_terms(text)
        store.save_sentence_terms("p1", [(1, terms)])
        for term in set(terms):
            assert store.term_counts([term]) == {term: 1}, term
            assert [r[:2] for r in store.search_sentences([term])] == [("p1", 1)]


# --------------------------------------------------------------------------- the CLI and the web page


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STORYLINE_DB": "/nonexistent-dir-should-not-be-used/x.db", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "storyline.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_sources_search_on_the_command_line(story):
    target, _sid = story
    found = _cli("sources", "--db", target, "--search", "seized boats", "--limit", "2", "--json")
    assert found.returncode == 0, found.stderr
    import json

    rows = json.loads(found.stdout)
    assert len(rows) == 2 and all(r["citation"]["text"] for r in rows)
    none = _cli("sources", "--db", target, "-q", "zzyzx", "--plain")
    assert none.returncode == 3 and len(none.stdout.strip().splitlines()) == 1  # the header, no row
    empty = _cli("sources", "--db", target, "-q", "  ")
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr


def test_the_sources_tab_searches(story):
    from fastapi.testclient import TestClient

    from storyline.web.app import create_app

    target, sid = story
    client = TestClient(create_app(target, embedder=False))
    page = client.get(f"/stories/{sid}/sources", params={"q": "seized boats"})
    assert page.status_code == 200 and "holding “seized boats”" in page.text and "<blockquote>" in page.text
    assert "span=" in page.text  # each hit opens its source at the sentence
    miss = client.get(f"/stories/{sid}/sources", params={"q": "zzyzx"})
    assert miss.status_code == 200 and "No source of this story holds these words." in miss.text
    assert client.get(f"/stories/{sid}/sources", params={"q": "x" * 501}).status_code == 400
    plain = client.get(f"/stories/{sid}/sources")
    assert plain.status_code == 200 and "holding" not in plain.text
