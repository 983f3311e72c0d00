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
