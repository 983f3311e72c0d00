"""Coreference metrics over gold mentions: MUC, B-cubed, CEAF-e, CoNLL F1 and cross-document pairwise P/R/F1.

A clustering is a mapping ``mention -> cluster label``; key (gold) and response (system) cover the same
mentions (the "gold mentions" setting), which every function checks.  Definitions follow the CoNLL-2012
reference scorer (Pradhan et al. 2014):

- MUC (Vilain et al. 1995): recall = sum_K (|K| - |p(K)|) / sum_K (|K| - 1), p(K) the response clusters that
  cut K; precision swaps key and response.  A side with only singletons has a 0 denominator: that side's
  score is 0, as in the reference scorer (so MUC of two all-singleton clusterings is 0, not 1).
- B-cubed (Bagga & Baldwin 1998): per mention |K ∩ R| / |R| (precision) and / |K| (recall), averaged.
- CEAF-e (Luo 2005): entity similarity phi4(K, R) = 2 |K ∩ R| / (|K| + |R|), one-to-one alignment of key and
  response clusters maximising the total (Kuhn-Munkres); recall = total / #key, precision = total / #response.
- CoNLL F1: the mean of the MUC, B-cubed and CEAF-e F1.
- pairwise: precision / recall / F1 over unordered mention pairs whose mentions come from different documents;
  a pair is positive when both mentions share a cluster.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from typing import NamedTuple

import numpy as np
from scipy.optimize import linear_sum_assignment

Clustering = Mapping[Hashable, Hashable]


class PRF(NamedTuple):
    precision: float
    recall: float
    f1: float


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def prf(precision: float, recall: float) -> PRF:
    return PRF(precision, recall, f1(precision, recall))


def clusters(assignment: Clustering) -> list[set]:
    """The clusters of a mention -> label mapping, as sets of mentions (in first-seen order)."""
    groups: dict[Hashable, set] = {}
    for mention, label in assignment.items():
        groups.setdefault(label, set()).add(mention)
    return list(groups.values())


def _check(key: Clustering, response: Clustering) -> None:
    if set(key) != set(response):
        missing, extra = len(set(key) - set(response)), len(set(response) - set(key))
        raise ValueError(f"key and response must cover the same mentions ({missing} missing, {extra} extra)")


def _muc_side(gold: list[set], other: Clustering) -> float:
    numerator = sum(len(c) - len({other[m] for m in c}) for c in gold)
    denominator = sum(len(c) - 1 for c in gold)
    return numerator / denominator if denominator else 0.0


def muc(key: Clustering, response: Clustering) -> PRF:
    _check(key, response)
    return prf(_muc_side(clusters(response), key), _muc_side(clusters(key), response))


def bcubed(key: Clustering, response: Clustering) -> PRF:
    _check(key, response)
    if not key:
        return PRF(0.0, 0.0, 0.0)
    key_size = Counter(key.values())
    resp_size = Counter(response.values())
    both = Counter((key[m], response[m]) for m in key)
    p = sum(n * n / resp_size[r] for (_, r), n in both.items()) / len(key)
    r = sum(n * n / key_size[k] for (k, _), n in both.items()) / len(key)
    return prf(p, r)


def ceaf_e(key: Clustering, response: Clustering) -> PRF:
    _check(key, response)
    gold, pred = clusters(key), clusters(response)
    if not gold or not pred:
        return PRF(0.0, 0.0, 0.0)
    index = {label: j for j, label in enumerate(dict.fromkeys(response.values()))}
    sim = np.zeros((len(gold), len(pred)))
    for i, c in enumerate(gold):
        for label, n in Counter(response[m] for m in c).items():
            j = index[label]
            sim[i, j] = 2 * n / (len(c) + len(pred[j]))
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = float(sim[rows, cols].sum())
    return prf(total / len(pred), total / len(gold))


def conll_f1(key: Clustering, response: Clustering) -> float:
    return (muc(key, response).f1 + bcubed(key, response).f1 + ceaf_e(key, response).f1) / 3


def _cross_pairs(members: list[Hashable], doc_of: Mapping[Hashable, Hashable]) -> int:
    """Unordered pairs among ``members`` whose documents differ."""
    n = len(members)
    same = sum(k * (k - 1) // 2 for k in Counter(doc_of[m] for m in members).values())
    return n * (n - 1) // 2 - same


def pair_counts(key: Clustering, response: Clustering, doc_of: Mapping[Hashable, Hashable]) -> dict[str, int]:
    """Gold-positive, system-positive and true-positive cross-document pair counts (for pooling)."""
    _check(key, response)
    groups: list[dict[Hashable, list]] = [defaultdict(list), defaultdict(list), defaultdict(list)]
    for m in key:
        for g, label in zip(groups, (key[m], response[m], (key[m], response[m])), strict=True):
            g[label].append(m)
    gold, system, both = (sum(_cross_pairs(ms, doc_of) for ms in g.values()) for g in groups)
    return {"gold": gold, "system": system, "true": both}


def pairwise(key: Clustering, response: Clustering, doc_of: Mapping[Hashable, Hashable]) -> PRF:
    """Precision / recall / F1 over mention pairs from different documents (``doc_of``: mention -> document)."""
    return pairwise_from_counts(pair_counts(key, response, doc_of))


def pairwise_from_counts(counts: Mapping[str, int]) -> PRF:
    """P / R / F1 from pair counts (summed over topics to pool them)."""
    true, system, gold = counts["true"], counts["system"], counts["gold"]
    return prf(true / system if system else 0.0, true / gold if gold else 0.0)


def all_scores(key: Clustering, response: Clustering) -> dict[str, float]:
    """MUC, B-cubed and CEAF-e precision / recall / F1 and the CoNLL F1, as a flat dict."""
    out: dict[str, float] = {}
    for name, fn in (("muc", muc), ("bcubed", bcubed), ("ceafe", ceaf_e)):
        score = fn(key, response)
        out |= {f"{name}_precision": score.precision, f"{name}_recall": score.recall, f"{name}_f1": score.f1}
    out["conll_f1"] = (out["muc_f1"] + out["bcubed_f1"] + out["ceafe_f1"]) / 3
    return out
