"""Fit (``--refit``) and measure (``--conll``) the event chains of ``storyline.crosscheck.eventchains``.

Data: ECB+ (``bench/ecbplus.py``) train topics only; the dev topics are scored by bench/crossdoc.py, never
used here.  Each ECB+ document becomes one article and a topic one story, prepared as ``bench/claims_model.py``
prepares them (``clean``, spaCy, ``extract_doc``, ``link_entities``; cached there).

How the stored data were fitted (deterministic; ``--refit`` rewrites ``src/storyline/data/eventive.json`` and
``src/storyline/data/eventchain.json``):

1. **Eventive lexicon.** Every token of a completely annotated sentence is counted per (tag, lemma): seen, and
   annotated when it is the syntactic head of a gold ACTION mention.  The prior of a tag (VERB, NOUN with a
   deverbal ending, other NOUN, PROPN, ADJ) is its pooled annotated share; the smoothing weight is WEIGHT.
2. **Pair labels.** A predicate is labelled with the gold chain of the ACTION mention holding its word, when
   it lies in a completely annotated sentence; a pair of two labelled predicates is positive when their
   chains are the same.  Unlabelled predicates still take part in grouping, as they do in a real story.
3. **Weights.** A scikit-learn ``LogisticRegression`` (lbfgs, C=C) on the standardised FEATURES of the
   labelled candidate pairs; mean and scale are stored with the weights.  One set with sentence embeddings
   (MiniLM), one lexical.
4. **Threshold, cut, candidate cosine.** Two folds of the train topics (even and odd positions): lexicon and
   weights fitted on one fold, mention-level CoNLL F1 (as bench/crossdoc.py scores a dossier) measured on
   the other; the grid point of ``THRESHOLDS`` x ``CUTS`` x ``CANDIDATE_COSINES`` with the best mean over the
   two folds is stored, then lexicon and weights are refitted on all train topics.

``--conll`` prints the two-fold scores of the stored settings beside the same-head-lemma baseline.  No dataset
text is written into the repository: the stored files hold counts of lemmas, weights and settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import claims_model  # noqa: E402
import ecbplus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "storyline" / "data"
WEIGHT = 2.0  # prior weight of the lexicon's smoothing, in sightings
C = 1.0
THRESHOLDS = (0.0, 0.02, 0.05, 0.1, 0.2)
CUTS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
CANDIDATE_COSINES = (0.5, 0.6)
MIN_SEEN = 1  # lexicon entries kept: (tag, lemma) seen at least this often
DISPLAY_PRECISION = 0.8  # words shown to readers as events: annotated as events at least this often
DISPLAY_GRID = tuple(round(0.05 * k, 2) for k in range(1, 20))  # 0.05 .. 0.95


# --------------------------------------------------------------------------- lexicon


def _head(span):  # noqa: ANN001, ANN202 - spaCy Span -> Token
    return span.root if span is not None else None


def token_counts(split: str = "train") -> dict[int, Counter]:
    """Per topic: Counter of ((tag, lemma), annotated) over the tokens of completely annotated sentences."""
    import pickle

    path = claims_model.CACHE / f"eventive-counts-{split}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from storyline.extract.nlp import load_nlp
    from storyline.extract.predicates import TAGS

    nlp = load_nlp()
    docs = ecbplus.load(split)
    out: dict[int, Counter] = defaultdict(Counter)
    for doc, parsed in zip(docs, nlp.pipe([d.text for d in docs], batch_size=16), strict=True):
        ok = [(s, e) for _n, s, e, c in doc.sentences if c]
        complete = ecbplus.complete_sentences(doc)
        heads = set()
        for m in doc.mentions:
            if m.kind == "ACTION" and m.sentence in complete:
                root = _head(parsed.char_span(m.start, m.end, alignment_mode="expand"))
                if root is not None:
                    heads.add(root.i)
        for tok in parsed:
            if tok.pos_ in TAGS and any(s <= tok.idx < e for s, e in ok):
                out[doc.topic][((tok.pos_, tok.lemma_.lower()), tok.i in heads)] += 1
    claims_model.CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(dict(out)))
    return dict(out)


def display_threshold(counts: dict[int, Counter], ids: list[int]) -> tuple[float, list[float]]:
    """The lowest rate of DISPLAY_GRID at which held-out tokens are annotated events at least DISPLAY_PRECISION
    of the time (two folds: lexicon from one, tokens of the other); (rate, mean precision per grid point)."""
    from storyline.extract.predicates import Lexicon

    hits = {t: [0, 0] for t in DISPLAY_GRID}
    per_fold = []
    for fit_ids, eval_ids in folds(ids):
        lx = Lexicon(lexicon(counts, fit_ids, 0.0))
        hits = {t: [0, 0] for t in DISPLAY_GRID}
        for t in eval_ids:
            for ((tag, lemma), ann), n in counts.get(t, Counter()).items():
                rate = lx.rate(lemma, tag)
                for g in DISPLAY_GRID:
                    if rate >= g:
                        hits[g][1] += n
                        hits[g][0] += n if ann else 0
        per_fold.append({g: (a / n if n else 0.0) for g, (a, n) in hits.items()})
    mean = [round(sum(f[g] for f in per_fold) / len(per_fold), 4) for g in DISPLAY_GRID]
    ok = [g for g, p in zip(DISPLAY_GRID, mean, strict=True) if p >= DISPLAY_PRECISION]
    return (min(ok) if ok else DISPLAY_GRID[-1]), mean


def lexicon(counts: dict[int, Counter], topics: set[int], threshold: float, display: float = 0.5) -> dict:
    from storyline.extract.predicates import DEVERBAL_RE

    seen: Counter = Counter()
    annotated: Counter = Counter()
    for t in topics:
        for (key, ann), n in counts.get(t, Counter()).items():
            seen[key] += n
            if ann:
                annotated[key] += n
    pooled_seen: Counter = Counter()
    pooled_ann: Counter = Counter()
    for (tag, lemma), n in seen.items():
        klass = "NOUN-deverbal" if tag == "NOUN" and DEVERBAL_RE.search(lemma) else tag
        pooled_seen[klass] += n
        pooled_ann[klass] += annotated[(tag, lemma)]
    priors = {k: round(pooled_ann[k] / pooled_seen[k], 4) for k in sorted(pooled_seen)}
    table: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for (tag, lemma), n in sorted(seen.items()):
        if n >= MIN_SEEN:
            table[tag][lemma] = [annotated[(tag, lemma)], n]
    return {"about": "storyline.extract.predicates eventive lexicon: per tag, lemma -> [annotated as an event, "
                     "seen] in completely annotated ECB+ train sentences; fitted by bench/events_model.py --refit",
            "weight": WEIGHT, "threshold": threshold, "display": display, "priors": priors, "counts": dict(table)}


# --------------------------------------------------------------------------- nodes with gold labels


def labelled_nodes(topic, docs: list) -> tuple[list, list]:  # noqa: ANN001 - claims_model.Topic
    """(nodes, gold chain or None per node) of one prepared topic."""
    from storyline.crosscheck.eventchains import story_nodes

    nodes = story_nodes(topic.items, topic.index)
    clean = {c.article.id: c for c, _ in topic.items}
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for d in docs:
        complete = ecbplus.complete_sentences(d)
        gold[d.id] = [(m.start, m.end, m.chain) for m in d.mentions if m.kind == "ACTION" and m.sentence in complete]
    chains = []
    for n in nodes:
        cite = clean[n.source].cite_span(n.trigger)
        hit = [c for s, e, c in gold[n.source] if s <= cite.start and cite.end <= e]
        chains.append(hit[0] if hit else None)
    return nodes, chains


def mention_labels(topic, docs: list, nodes: list, labels: list[int]) -> tuple[dict, dict]:  # noqa: ANN001
    """(gold, system) labels of the topic's scored ACTION mentions, read as bench/crossdoc_ecb.chain_labels reads
    a dossier's chains (groups of two or more predicates; on a tie in size, the smaller label, as ids sort)."""
    import crossdoc_ecb as ecb

    clean = {c.article.id: c for c, _ in topic.items}
    members: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for n, lab in zip(nodes, labels, strict=True):
        cite = clean[n.source].cite_span(n.trigger)
        members[lab].append((n.source, cite.start, cite.end))
    chains = [ecb.SysClaim(f"g{10**9 - lab:010d}", 0, 0, tuple(m)) for lab, m in members.items() if len(m) >= 2]
    mentions = ecbplus.scored_actions(docs)
    names = [f"{topic.topic}:{k}" for k in range(len(mentions))]
    key = {name: f"{topic.topic}|{m.chain}" for name, m in zip(names, mentions, strict=True)}
    return key, ecb.chain_labels(names, mentions, chains, topic.topic)


# --------------------------------------------------------------------------- fitting


class Prepared:
    """A topic's nodes, labels, eventive rates and candidate features for one mode and candidate cosine."""

    def __init__(self, topic, docs, mode: str, candidate_cosine: float) -> None:  # noqa: ANN001
        from storyline.crosscheck.eventchains import candidate_features

        self.topic, self.docs = topic, docs
        self.nodes, self.chains = labelled_nodes(topic, docs)
        emb = claims_model.embedder() if mode == "embedding" else None
        texts = {c.article.id: c.text for c, _ in topic.items}
        self.v, self.pairs, self.x = candidate_features(self.nodes, texts, emb, candidate_cosine)


def _rates(nodes: list, lex: dict) -> list[float]:
    from storyline.extract.predicates import Lexicon

    lx = Lexicon(lex)
    return [lx.rate(n.lemma, n.tag) for n in nodes]


def _keep(prep: Prepared, lex: dict, threshold: float):  # noqa: ANN202
    """Node mask and pair mask of the predicates whose eventive rate reaches threshold."""
    import numpy as np

    keep = np.array([r >= threshold for r in _rates(prep.nodes, lex)], dtype=bool)
    pairs = prep.pairs
    return keep, keep[pairs[:, 0]] & keep[pairs[:, 1]] if len(pairs) else np.zeros(0, dtype=bool)


def fit_weights(preps: list[Prepared], lex: dict, threshold: float) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for p in preps:
        _, pair_ok = _keep(p, lex, threshold)
        for q in np.flatnonzero(pair_ok).tolist():
            a, b = p.pairs[q]
            ca, cb = p.chains[a], p.chains[b]
            if ca is not None and cb is not None:
                xs.append(p.x[q])
                ys.append(ca == cb)
    x, y = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=bool)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, y)
    return {"weights": [round(float(w), 6) for w in clf.coef_[0]], "bias": round(float(clf.intercept_[0]), 6),
            "mean": [round(float(m), 6) for m in mean], "scale": [round(float(s), 6) for s in scale],
            "pairs": int(len(y)), "positive": int(y.sum())}


def score(preps: list[Prepared], lex: dict, threshold: float, weights: dict, cuts, candidate_cosine: float
          ) -> dict[float, float]:
    """Mention-level CoNLL F1 per cut over ``preps``."""
    import numpy as np

    import coref_metrics as cm
    from storyline.crosscheck.eventchains import ChainModel, link

    model = ChainModel(tuple(weights["weights"]), weights["bias"], tuple(weights["mean"]),
                       tuple(weights["scale"]), 0.5, candidate_cosine)
    keys: dict[float, dict] = {c: {} for c in cuts}
    systems: dict[float, dict] = {c: {} for c in cuts}
    for p in preps:
        keep, pair_ok = _keep(p, lex, threshold)
        idx = np.flatnonzero(keep)
        new = np.full(len(p.nodes), -1, dtype=np.int64)
        new[idx] = np.arange(len(idx))
        nodes = [p.nodes[i] for i in idx.tolist()]
        pairs = new[p.pairs[pair_ok]].reshape(-1, 2)
        prob = model.probability(p.x[pair_ok]) if len(pairs) else np.zeros(0)
        sub_v = _subset_views(p.v, idx)
        for cut in cuts:
            labels = link(nodes, sub_v, pairs, prob, cut)
            k, s = mention_labels(p.topic, p.docs, nodes, labels)
            keys[cut] |= k
            systems[cut] |= s
    return {cut: round(cm.conll_f1(keys[cut], systems[cut]), 4) for cut in cuts}


def _subset_views(v, idx):  # noqa: ANN001, ANN202
    from dataclasses import replace

    return replace(v, lemma_of=v.lemma_of[idx], article_of=v.article_of[idx], sentence_of=v.sentence_of[idx])


def lemma_baseline(preps: list[Prepared]) -> float:
    import coref_metrics as cm
    import crossdoc_ecb as ecb
    from storyline.extract.nlp import load_nlp

    nlp = load_nlp()
    key, lem = {}, {}
    for p in preps:
        mentions = ecbplus.scored_actions(p.docs)
        names = [f"{p.topic.topic}:{k}" for k in range(len(mentions))]
        key |= {n: f"{p.topic.topic}|{m.chain}" for n, m in zip(names, mentions, strict=True)}
        lem |= ecb.lemma_labels(names, mentions, ecb.head_lemmas(p.docs, nlp), p.topic.topic)
    return round(cm.conll_f1(key, lem), 4)


def folds(ids: list[int]) -> list[tuple[set[int], set[int]]]:
    even, odd = set(ids[::2]), set(ids[1::2])
    return [(even, odd), (odd, even)]


def _docs_by_topic() -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for d in ecbplus.load("train"):
        out[d.topic].append(d)
    return out


def prepare_all(mode: str, cosine: float) -> list[Prepared]:
    topics = claims_model.topics("train")
    docs = _docs_by_topic()
    preps = [Prepared(t, docs[t.topic], mode, cosine) for t in topics]
    claims_model.embedder().save()
    return preps


def search(counts: dict, mode: str, thresholds=THRESHOLDS) -> tuple[list[dict], dict]:  # noqa: ANN001
    """Two-fold grid; (rows, best row)."""
    rows = []
    for cosine in CANDIDATE_COSINES:
        preps = prepare_all(mode, cosine)
        ids = [p.topic.topic for p in preps]
        per_fold = []
        for fit_ids, eval_ids in folds(ids):
            fit_p = [p for p in preps if p.topic.topic in fit_ids]
            eval_p = [p for p in preps if p.topic.topic in eval_ids]
            results = {}
            for threshold in thresholds:
                lex = lexicon(counts, fit_ids, threshold)
                weights = fit_weights(fit_p, lex, threshold)
                results[threshold] = score(eval_p, lex, threshold, weights, CUTS, cosine)
            per_fold.append((results, lemma_baseline(eval_p)))
        for threshold in thresholds:
            for cut in CUTS:
                f = [r[threshold][cut] for r, _ in per_fold]
                rows.append({"mode": mode, "candidate_cosine": cosine, "threshold": threshold, "cut": cut,
                             "fold_conll_f1": f, "mean_conll_f1": round(sum(f) / len(f), 4),
                             "fold_lemma_conll_f1": [b for _, b in per_fold]})
        print(f"{mode} cosine {cosine}: best so far "
              f"{max(rows, key=lambda r: r['mean_conll_f1'])}", file=sys.stderr, flush=True)
    best = max(rows, key=lambda r: (r["mean_conll_f1"], r["threshold"], r["cut"]))
    return rows, best


def refit() -> None:
    counts = token_counts("train")
    all_ids = set(counts)
    # extraction keeps every tagged word while fitting (threshold 0); the chosen threshold is written last
    (DATA / "eventive.json").write_text(json.dumps(lexicon(counts, all_ids, 0.0)) + "\n", encoding="utf-8")
    from storyline.crosscheck.eventchains import FEATURES

    out = {"about": "storyline.crosscheck.eventchains pair model: logistic regression on standardised features, "
                    "fitted on ECB+ train topics by bench/events_model.py --refit; numbers only",
           "features": list(FEATURES), "C": C}
    thresholds: dict[str, float] = {}
    for mode in ("embedding", "lexical"):
        # one lexicon serves both modes: the lexical weights are fitted at the embedding mode's threshold
        rows, best = search(counts, mode, (thresholds["embedding"],) if thresholds else THRESHOLDS)
        preps = prepare_all(mode, best["candidate_cosine"])
        lex = lexicon(counts, all_ids, best["threshold"])
        weights = fit_weights(preps, lex, best["threshold"])
        out[mode] = weights | {"cut": best["cut"], "candidate_cosine": best["candidate_cosine"],
                               "two_fold": {k: best[k] for k in ("threshold", "mean_conll_f1", "fold_conll_f1",
                                                                  "fold_lemma_conll_f1")},
                               "search": [{k: r[k] for k in ("candidate_cosine", "threshold", "cut", "mean_conll_f1")}
                                          for r in rows]}
        thresholds[mode] = best["threshold"]
    display, precision = display_threshold(counts, sorted(all_ids))
    final = lexicon(counts, all_ids, thresholds["embedding"], display)
    final["display_search"] = {"precision_floor": DISPLAY_PRECISION, "grid": list(DISPLAY_GRID),
                               "two_fold_precision": precision}
    (DATA / "eventive.json").write_text(json.dumps(final) + "\n", encoding="utf-8")
    (DATA / "eventchain.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({m: out[m]["two_fold"] | {"cut": out[m]["cut"]} for m in ("embedding", "lexical")}, indent=1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refit", action="store_true",
                        help="fit and write src/storyline/data/eventive.json and eventchain.json")
    args = parser.parse_args()
    if args.refit:
        refit()
    else:
        parser.print_help()
