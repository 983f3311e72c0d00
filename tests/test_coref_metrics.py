"""bench/coref_metrics.py: MUC, B-cubed, CEAF-e, CoNLL F1 and cross-document pairwise scores on hand-computed
cases (invented mention ids, no dataset text) and hypothesis properties."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("bench_coref_metrics", ROOT / "bench" / "coref_metrics.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cm = _load()


def labels(*groups: str) -> dict[str, int]:
    """'abc', 'de' -> {'a': 0, 'b': 0, 'c': 0, 'd': 1, 'e': 1}."""
    return {m: i for i, g in enumerate(groups) for m in g}


# Bagga & Baldwin's example: key {1-5} {6,7} {8-12}; the response merges the last two key clusters.
KEY = labels("abcde", "fg", "hijkl")
RESPONSE = labels("abcde", "fghijkl")


def test_muc_classic_merge():
    s = cm.muc(KEY, RESPONSE)
    assert s.recall == pytest.approx(1.0)
    assert s.precision == pytest.approx(9 / 10)
    assert s.f1 == pytest.approx(2 * 0.9 / 1.9)


def test_muc_split_of_one_chain():
    s = cm.muc(labels("abcd"), labels("ab", "cd"))
    assert s.recall == pytest.approx(2 / 3)
    assert s.precision == pytest.approx(1.0)


def test_bcubed_classic_merge():
    s = cm.bcubed(KEY, RESPONSE)
    assert s.recall == pytest.approx(1.0)
    assert s.precision == pytest.approx(16 / 21)
    assert s.f1 == pytest.approx(32 / 37)


def test_ceafe_classic_merge():
    s = cm.ceaf_e(KEY, RESPONSE)
    # phi4: {1-5}~{1-5} = 1, {8-12}~{6-12} = 10/12; {6,7} is left unaligned
    assert s.recall == pytest.approx(11 / 18)
    assert s.precision == pytest.approx(11 / 12)
    assert s.f1 == pytest.approx(11 / 15)


def test_conll_is_mean_of_three():
    expected = (2 * 0.9 / 1.9 + 32 / 37 + 11 / 15) / 3
    assert cm.conll_f1(KEY, RESPONSE) == pytest.approx(expected)
    assert cm.all_scores(KEY, RESPONSE)["conll_f1"] == pytest.approx(expected)


def test_all_singletons_on_both_sides():
    singles = labels("a", "b", "c")
    assert cm.muc(singles, singles) == (0.0, 0.0, 0.0)  # no links: the reference scorer gives 0
    assert cm.bcubed(singles, singles).f1 == pytest.approx(1.0)
    assert cm.ceaf_e(singles, singles).f1 == pytest.approx(1.0)


def test_one_big_cluster_against_singletons():
    key, response = labels("a", "b", "c", "d"), labels("abcd")
    assert cm.muc(key, response) == (0.0, 0.0, 0.0)
    b3 = cm.bcubed(key, response)
    assert (b3.precision, b3.recall) == (pytest.approx(0.25), pytest.approx(1.0))
    ceaf = cm.ceaf_e(key, response)  # phi4 of one singleton with the 4-cluster = 2 / 5
    assert (ceaf.precision, ceaf.recall) == (pytest.approx(0.4), pytest.approx(0.1))


def test_singletons_response_against_one_key_chain():
    key, response = labels("abcd"), labels("a", "b", "c", "d")
    assert cm.muc(key, response).recall == 0.0
    b3 = cm.bcubed(key, response)
    assert (b3.precision, b3.recall) == (pytest.approx(1.0), pytest.approx(0.25))


def test_identical_clusterings_score_one():
    scores = cm.all_scores(KEY, dict(KEY))
    assert all(v == pytest.approx(1.0) for v in scores.values())


def test_label_names_do_not_matter():
    renamed = {m: f"x{v}" for m, v in RESPONSE.items()}
    assert cm.all_scores(KEY, renamed) == pytest.approx(cm.all_scores(KEY, RESPONSE))


def test_mismatched_mentions_are_refused():
    with pytest.raises(ValueError, match="same mentions"):
        cm.bcubed(labels("ab"), labels("abc"))


def test_pairwise_counts_only_cross_document_pairs():
    doc = {"a": 1, "b": 1, "c": 2, "d": 2}
    key, response = labels("abcd"), labels("ac", "bd")
    s = cm.pairwise(key, response, doc)  # gold cross pairs ac ad bc bd; system ac bd, both right
    assert (s.precision, s.recall) == (pytest.approx(1.0), pytest.approx(0.5))
    assert cm.pair_counts(key, response, doc) == {"gold": 4, "system": 2, "true": 2}


def test_pairwise_ignores_same_document_links():
    doc = {"a": 1, "b": 1, "c": 2}
    s = cm.pairwise(labels("ab", "c"), labels("abc"), doc)  # the a-b link is within one document
    assert s == (0.0, 0.0, 0.0)
    s = cm.pairwise(labels("abc"), labels("ab", "c"), doc)
    assert (s.precision, s.recall) == (0.0, 0.0)


# --------------------------------------------------------------------------- properties

MENTIONS = "abcdefghij"
clusterings = st.lists(st.integers(0, 4), min_size=len(MENTIONS), max_size=len(MENTIONS)).map(
    lambda xs: dict(zip(MENTIONS, xs, strict=True))
)


@given(clusterings, clusterings)
def test_scores_are_in_unit_interval(key, response):
    for value in cm.all_scores(key, response).values():
        assert 0.0 <= value <= 1.0 + 1e-9
    docs = {m: i % 3 for i, m in enumerate(MENTIONS)}
    assert all(0.0 <= v <= 1.0 for v in cm.pairwise(key, response, docs))


@given(clusterings)
def test_identical_is_perfect(key):
    assert cm.bcubed(key, key).f1 == pytest.approx(1.0)
    assert cm.ceaf_e(key, key).f1 == pytest.approx(1.0)
    has_link = len(set(key.values())) < len(key)
    assert cm.muc(key, key).f1 == pytest.approx(1.0 if has_link else 0.0)


@given(clusterings, clusterings)
def test_swapping_key_and_response_swaps_precision_and_recall(key, response):
    for fn in (cm.muc, cm.bcubed, cm.ceaf_e):
        a, b = fn(key, response), fn(response, key)
        assert a.precision == pytest.approx(b.recall)
        assert a.recall == pytest.approx(b.precision)
