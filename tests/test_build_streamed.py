"""build_from_store reads the store in passes, one article at a time: its dossier equals the one built from
every article's records held in a list (how it was built before), with and without cross-checking."""

from __future__ import annotations

import json
import shutil

import pytest

from storyline.crosscheck.stage import cross_check
from storyline.extract.entities import link_entities
from storyline.output.dossier import build_dossier, source_order
from storyline.pipeline import build_from_store
from storyline.reader.whatsnext import find_next
from storyline.store import Store


def in_memory(store: Store, ids: list[str], crosscheck: bool) -> dict:
    items = sorted(store.iter_loaded(dict.fromkeys(ids)), key=lambda it: source_order(it[0].article.id, it[0].article.published))
    index = link_entities((c, e.mentions) for c, e in items)
    checked = cross_check(items, index, embedder=False) if crosscheck else None
    next_items = find_next(items, index, independence=checked.independence if checked else None)
    return build_dossier(items, index, crosscheck=checked, next_items=next_items)


@pytest.mark.parametrize("crosscheck", [False, True])
def test_the_streamed_build_equals_the_build_in_memory(sample_run, tmp_path, crosscheck):
    shutil.copy(sample_run.db, tmp_path / "s.db")
    with Store(tmp_path / "s.db") as store:
        ids = store.article_ids()[::-1] + ["not-stored"]  # any order; an id the store lacks is left out
        expected = in_memory(store, ids[:-1], crosscheck)
        got = build_from_store(store, ids, crosscheck=crosscheck, embeddings=False)
        assert json.dumps(got, sort_keys=True, default=str) == json.dumps(expected, sort_keys=True, default=str)
        assert len(got["sources"]) == len(ids) - 1 and (got["claims"] != []) == crosscheck
        assert store.unindexed() == ([], [])  # every article's sentences stored and indexed on the way
        again = build_from_store(store, sorted(ids), crosscheck=crosscheck, embeddings=False)
        assert json.dumps(again, sort_keys=True, default=str) == json.dumps(got, sort_keys=True, default=str)


def test_an_empty_selection_builds_an_empty_dossier(tmp_path):
    with Store(tmp_path / "e.db") as store:
        got = build_from_store(store, ["nothing"], embeddings=False)
    assert got["sources"] == [] and got["claims"] == []


class CountingEmbedder:
    """A deterministic stand-in for the sentence model that counts the texts it encodes."""

    name = "counting-test-32"
    dim = 32

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts, batch_size=64):
        import hashlib

        import numpy as np

        self.texts.extend(texts)
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in text.lower().split():
                rows[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        return rows / np.linalg.norm(rows, axis=1, keepdims=True).clip(1e-9)


def test_a_rebuilt_story_encodes_only_the_new_articles_sentences(sample_run, tmp_path, monkeypatch):
    import storyline.extract.embed as embed

    model = CountingEmbedder()
    monkeypatch.setattr(embed, "get_embedder", lambda name=None: model)
    for name in ("grown.db", "fresh.db"):
        shutil.copy(sample_run.db, tmp_path / name)
    with Store(tmp_path / "grown.db") as store:
        pub = store.published_of(store.article_ids())
        ids = sorted(pub, key=lambda aid: source_order(aid, pub[aid]))
        build_from_store(store, ids[:-1])
        before = len(model.texts)
        grown = build_from_store(store, ids)  # one article more: only texts not seen before are encoded
        added = model.texts[before:]
        assert 0 < len(added) < before and len(set(added)) == len(added)
        again = len(model.texts)
        build_from_store(store, ids)
        assert len(model.texts) == again  # nothing new: every vector read back
    with Store(tmp_path / "fresh.db") as store:
        fresh = build_from_store(store, ids)  # one build over all: the same dossier
    assert json.dumps(grown, sort_keys=True, default=str) == json.dumps(fresh, sort_keys=True, default=str)
    assert grown["claims"]
