"""Fit (``--refit``) and measure (``--eval``) the same-claim pair model of ``storyline.crosscheck.pairs``.

Data: ECB+ (``bench/ecbplus.py``), cross-document event coreference.  Each ECB+ document becomes one article
(no publication date: ECB+ gives none); the real pipeline pieces run on it (``clean``, spaCy, ``extract_doc``,
``link_entities`` over the topic, ``build_statements``), and the statements are mapped back to ECB+ sentences by
their citation offsets.  A topic is one story.

Labels of a statement pair (two different documents of one topic, both inside sentences whose annotation is
complete); ``chains(s)`` = the cross-document chains of the ACTION mentions inside statement s:

* the brief's label ("same event"), used for reporting: 1 when chains(a) & chains(b) is not empty;
* the fitting label ("same events", ``SAME``): 1 when, besides, |chains(a) & chains(b)| >= SAME *
  |chains(a) | chains(b)|.  A claim asserts one fact: "the quake killed 5" and "rescuers searched the rubble
  after the quake" share the quake but report different things.  Fitted on the brief's label, the model
  learnt "names the same rare participant" and put every statement about one spokesman into one claim on the
  sample story; on the held-out topics the strict label also ranks the brief's label better (ROC AUC 0.808
  against 0.798).

How the stored model was fitted (deterministic; ``bench/claims_model.py --refit`` rewrites
``src/storyline/data/claimpair.json``):

1. train topics = every ECB+ topic outside ``ecbplus.DEV_TOPICS``; of those, the held-out topics
   ``HELD_OUT`` (every fourth train topic, fixed below) are kept for the threshold and never used for weights;
2. features: ``storyline.crosscheck.pairs.pair_features`` (the names are stored with the model) on every
   labelled pair of the fitting topics;
3. a scikit-learn ``LogisticRegression`` (lbfgs, ``class_weight`` none) on the fitting topics' pairs, features
   standardised by their mean and standard deviation there (both stored with the weights, so run time needs
   numpy only); its ``C`` is the one of ``CS`` with the best ROC AUC over the held-out topics' labelled pairs;
4. the threshold and the linkage of ``claims.group_claims`` (0.5: average, 1: complete, over the clusters'
   cores): of the grid ``THRESHOLDS`` x linkage, the point with the best pairwise F1 of *claims* (fitting
   label, every labelled statement pair of the held-out topics, factual or not) among those whose claims keep
   a pairwise precision of at least ``PRECISION_FLOOR`` on the brief's label.  Unconstrained, F1 is best at
   the lowest threshold of the grid (0.2: held-out precision 0.52 on the fitting label), where one claim
   holds everything a story says about one person -- ECB+ topics hold about two events each, so that costs
   little there and ruins a long story (docs/crosscheck.md).  The veto mode is "conflicts" (stated in
   docs/crosscheck.md, with the measured effect of "all" and "none");
5. dev topics are only reported (``--eval``), never used to choose anything.

``--conll`` scores the stored model on the held-out train topics as bench/crossdoc.py scores a dossier
(mention-level MUC, B-cubed, CEAF-e, CoNLL F1, with the same-head-lemma baseline) in seconds, from the cached
topics; ``--conll-search`` does so over thresholds x same-article thresholds (docs/crosscheck.md).

Intermediate results (parses, extractions, embeddings, features) are cached in ``$STORYLINE_BENCH_CACHE``
(default ``/tmp/storyline-claimpair``), outside the repository, under keys of the code that made them (the
extraction signature; pairs.py, similarity.py, statements.py, text.py and the paraphrase weights), so a refit
after a change recomputes what changed.  No dataset text is written into the repository.  A refit from an
empty cache takes about 15 minutes on two cores; from a warm one, about 5.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ecbplus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-claimpair"))
SAME = 0.5  # the fitting label: chain sets overlapping by at least this (Jaccard); see gold_pairs
PRECISION_FLOOR = 0.98  # held-out claims keep pairs sharing an event this often (the old decision: 1.0, 77 pairs)
CS = (0.01, 0.1, 1.0, 10.0)  # the L2 strengths tried; the one with the best held-out pair ROC AUC is kept
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(4, 19))  # 0.20 .. 0.90


def _extraction_key() -> str:
    """Cached parses and extractions are redone when the extraction code or model changes."""
    import hashlib

    from storyline.pipeline import pipeline_signature

    return hashlib.sha256(pipeline_signature().encode()).hexdigest()[:10]


def _feature_key() -> str:
    """Cached features are recomputed when the feature code, the paraphrase model or the statements change."""
    import hashlib

    digest = hashlib.sha256(_extraction_key().encode())
    here = ROOT / "src" / "storyline"
    for name in ("crosscheck/pairs.py", "crosscheck/similarity.py", "crosscheck/statements.py", "text.py",
                 "data/paraphrase.json"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:10]


@dataclass
class Topic:
    """One ECB+ topic run through the pipeline pieces, with the gold labels of its statements."""

    topic: int
    items: list  # (CleanArticle, Extraction)
    index: object  # EntityIndex
    statements: list  # Statement
    chains: dict[str, frozenset[str]]  # statement id -> cross-doc ACTION chains inside it
    complete: dict[str, bool]  # statement id -> inside a completely annotated sentence
    sentence: dict[str, tuple[str, int]]  # statement id -> (doc id, ECB+ sentence number)


# --------------------------------------------------------------------------- preparing the data


def _article(doc: ecbplus.Doc):
    from storyline.ingest.clean import clean
    from storyline.records import Article

    article = Article(id=doc.id, origin=doc.id, text=doc.text, format="text", outlet=doc.id)
    return clean(article)


def _labels(doc: ecbplus.Doc, statements: Sequence) -> tuple[dict, dict, dict]:
    chains, complete, sentence = {}, {}, {}
    for st in statements:
        s, e = st.citation.start, st.citation.end
        where = [(n, ok) for n, a, b, ok in doc.sentences if a <= s < b + 1]
        number, ok = where[0] if where else (-1, False)
        chains[st.id] = frozenset(
            m.chain for m in doc.mentions
            if m.kind == "ACTION" and s <= m.start and m.end <= e and not m.chain.startswith(("intra:", "singleton:"))
        )
        complete[st.id] = ok
        sentence[st.id] = (doc.id, number)
    return chains, complete, sentence


def prepare(topic: int, docs: list[ecbplus.Doc], nlp) -> Topic:
    from storyline.crosscheck.statements import build_statements
    from storyline.extract.entities import link_entities
    from storyline.pipeline import extract_doc

    cleans = [_article(d) for d in docs]
    items = [(c, extract_doc(sp, c.article.id, None)) for c, sp in zip(cleans, nlp.pipe(c.text for c in cleans),
                                                                        strict=True)]
    index = link_entities((c, e.mentions) for c, e in items)
    statements = list(build_statements(items, index))
    by_doc = {d.id: d for d in docs}
    chains, complete, sentence = {}, {}, {}
    for d in docs:
        sts = [s for s in statements if s.source == d.id]
        ch, co, se = _labels(by_doc[d.id], sts)
        chains.update(ch)
        complete.update(co)
        sentence.update(se)
    return Topic(topic, items, index, statements, chains, complete, sentence)


def topics(split: str) -> list[Topic]:
    """The topics of ``split`` ("train" or "dev"), prepared once and cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    by_topic: dict[int, list[ecbplus.Doc]] = defaultdict(list)
    docs = None
    out = []
    nlp = None
    for t in _topic_ids(split):
        path = CACHE / f"topic-{t}-{_extraction_key()}.pkl"
        if path.exists():
            out.append(Topic(**pickle.loads(path.read_bytes())))
            continue
        if docs is None:
            docs = ecbplus.load(split)
            for d in docs:
                by_topic[d.topic].append(d)
            from storyline.extract.nlp import load_nlp

            nlp = load_nlp()
        prepared = prepare(t, by_topic[t], nlp)
        path.write_bytes(pickle.dumps(vars(prepared)))
        out.append(prepared)
        print(f"prepared topic {t}: {len(prepared.statements)} statements", file=sys.stderr)
    return out


def _topic_ids(split: str) -> list[int]:
    present = sorted(int(p.name) for p in (ecbplus.DATA / "xml").iterdir() if p.is_dir() and p.name.isdigit())
    dev = [t for t in present if t in ecbplus.DEV_TOPICS]
    return dev if split == "dev" else [t for t in present if t not in ecbplus.DEV_TOPICS]


# --------------------------------------------------------------------------- gold pairs


def gold_pairs(topic: Topic, keep: set[str] | None = None, same: float = 0.0
               ) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """The positive pairs and all labelled pairs (statement ids, sorted) of one topic; ``keep`` restricts the
    statements (e.g. to the factual ones).  Positive: the two share a cross-document ACTION chain and (``same``
    > 0) their chain sets overlap by at least ``same`` (Jaccard): with SAME, they report the same events,
    not one shared event among others."""
    ids = [s.id for s in topic.statements if topic.complete[s.id] and (keep is None or s.id in keep)]
    source = {s.id: s.source for s in topic.statements}
    labelled, positive = [], set()
    for a, b in combinations(ids, 2):
        if source[a] == source[b]:
            continue
        key = (a, b) if a < b else (b, a)
        labelled.append(key)
        ca, cb = topic.chains[a], topic.chains[b]
        if ca & cb and len(ca & cb) >= same * len(ca | cb):
            positive.add(key)
    return positive, labelled


def pairwise(predicted: set[tuple[str, str]], positive: set[tuple[str, str]],
             labelled: list[tuple[str, str]]) -> tuple[int, int, int]:
    """True positives, predicted positives and gold positives among ``labelled``."""
    pred = {p for p in labelled if p in predicted}
    return len(pred & positive), len(pred), len(positive)


def prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "predicted": npred,
            "gold": ngold}


# --------------------------------------------------------------------------- features


def facts_of(topic: Topic) -> list:
    from storyline.crosscheck.claims import is_factual

    return [s for s in topic.statements if is_factual(s)]


class _CachedEmbedder:
    """The package embedder with an on-disk cache of rows (per text), so refits never re-encode."""

    def __init__(self) -> None:
        self.path = CACHE / "embeddings.pkl"
        self.rows: dict[str, object] = pickle.loads(self.path.read_bytes()) if self.path.exists() else {}
        self.inner = None
        self.dirty = False

    def encode(self, texts, batch_size: int = 64):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.rows]
        if missing:
            if self.inner is None:
                from storyline.extract.embed import get_embedder

                self.inner = get_embedder()
            for t, row in zip(missing, self.inner.encode(missing), strict=True):
                self.rows[t] = np.asarray(row, dtype=np.float32)
            self.dirty = True
        return np.stack([self.rows[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def save(self) -> None:
        if self.dirty:
            self.path.write_bytes(pickle.dumps(self.rows))
            self.dirty = False


_EMBEDDER: _CachedEmbedder | None = None


def embedder() -> _CachedEmbedder:
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = _CachedEmbedder()
    return _EMBEDDER


def topic_features(topic: Topic, kind: str):
    """(X, y) over the labelled pairs of the topic's factual statements."""
    import numpy as np

    from storyline.crosscheck.claims import _encode, make_scorer
    from storyline.crosscheck.pairs import FEATURES, PairModel, views

    path = CACHE / f"features-{kind}-{topic.topic}-{_feature_key()}.npz"
    facts = facts_of(topic)
    row = {s.id: i for i, s in enumerate(facts)}
    positive, labelled = gold_pairs(topic, set(row), SAME)
    y = np.array([(a, b) in positive for a, b in labelled], dtype=np.int8)
    if path.exists():
        data = np.load(path)
        if data["x"].shape == (len(labelled), len(FEATURES)):
            return data["x"], y
    vs = views(facts, topic.items, topic.index)
    vecs, emb, _ = _encode([v.text for v in vs], False if kind == "lexical" else embedder())
    dummy = PairModel((0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), 0.0, 0.5)
    scorer = make_scorer(vs, vecs, emb, dummy)
    x = np.array([scorer.features(row[a], row[b]) for a, b in labelled], dtype=np.float64).reshape(
        -1, len(FEATURES))
    np.savez(path, x=x)
    embedder().save()
    return x, y


# --------------------------------------------------------------------------- claims on a topic


def claim_pairs(topic: Topic, **kwargs) -> set[tuple[str, str]]:
    """Statement-id pairs that ``group_claims`` puts in one claim."""
    from storyline.crosscheck.claims import group_claims
    from storyline.records import Independence

    kwargs.setdefault("embedder", embedder())
    claims = group_claims(topic.statements, Independence(), items=topic.items, index=topic.index, **kwargs)
    out = set()
    for c in claims:
        for a, b in combinations(c.statements, 2):
            out.add((a, b) if a < b else (b, a))
    return out


def evaluate(ts: list[Topic], same: float = 0.0, **kwargs) -> dict[str, float]:
    """Pairwise P/R/F1 of claims over all labelled statement pairs of the topics (factual or not); ``same``:
    the label of gold_pairs (0: any shared chain, the brief's label; SAME: the fitting label)."""
    return evaluate_both(ts, (same,), **kwargs)[same]


def evaluate_both(ts: list[Topic], labels: Sequence[float] = (0.0, SAME), **kwargs) -> dict[float, dict]:
    """``evaluate`` for several labels at once (the claims are built once)."""
    counts = {same: [0, 0, 0] for same in labels}
    for t in ts:
        predicted = claim_pairs(t, **kwargs)
        for same in labels:
            positive, labelled = gold_pairs(t, same=same)
            for k, v in enumerate(pairwise(predicted, positive, labelled)):
                counts[same][k] += v
    return {same: prf(*c) for same, c in counts.items()}


# --------------------------------------------------------------------------- mention-level CoNLL (fast)


def conll(ts: list[Topic], *, lemma: bool = False, **kwargs) -> dict[str, float]:
    """Mention-level scores of ``group_claims`` on cached topics, as bench/crossdoc.py scores the dossier (each
    scored ACTION mention goes to the multi-member claim whose cited span holds it), without the full pipeline
    run: seconds instead of minutes, for choosing options on held-out train topics.  ``lemma``: add the
    same-head-lemma baseline's CoNLL F1 on the same mentions."""
    import coref_metrics as cm
    import crossdoc_ecb as ecb
    from storyline.crosscheck.claims import group_claims
    from storyline.records import Independence

    kwargs.setdefault("embedder", embedder())
    docs: dict[int, list] = defaultdict(list)
    wanted = {t.topic for t in ts}
    for split in ("train", "dev"):
        if all(t in docs for t in wanted):
            break
        for d in ecbplus.load(split):
            if d.topic in wanted:
                docs[d.topic].append(d)
    nlp = None
    if lemma:
        from storyline.extract.nlp import load_nlp

        nlp = load_nlp()
    key: dict[str, str] = {}
    system: dict[str, str] = {}
    lemmas: dict[str, str] = {}
    largest = 0
    for t in ts:
        claims = group_claims(t.statements, Independence(), items=t.items, index=t.index, **kwargs)
        sys_claims = [ecb.SysClaim(c.id, c.independent, len(set(c.sources)),
                                   tuple((x.source, x.start, x.end) for x in c.citations)) for c in claims]
        largest = max([largest, *(len(c.members) for c in sys_claims)])
        mentions = ecbplus.scored_actions(docs[t.topic])
        keys = [f"{t.topic}:{n}" for n in range(len(mentions))]
        key |= {k: f"{t.topic}|{m.chain}" for k, m in zip(keys, mentions, strict=True)}
        system |= ecb.system_labels(keys, mentions, sys_claims, t.topic)
        if nlp is not None:
            lemmas |= ecb.lemma_labels(keys, mentions, ecb.head_lemmas(docs[t.topic], nlp), t.topic)
    out = {k: round(v, 4) for k, v in cm.all_scores(key, system).items()}
    out["largest_claim"] = largest
    if lemma:
        out["lemma_conll_f1"] = round(cm.conll_f1(key, lemmas), 4)
    return out


def conll_search(ts: list[Topic], kind: str = "embedding") -> list[dict]:
    """Held-out CoNLL F1 over THRESHOLDS (0.3 and up) x same-article threshold (None: never; 0.5, 0.7)."""
    from dataclasses import replace

    from storyline.crosscheck.pairs import load_pair_model

    _memo_scorers()
    base = load_pair_model(kind)
    rows = []
    for thr in (t for t in THRESHOLDS if t >= 0.3):
        for same_article in (None, 0.5, 0.7):
            model = replace(base, threshold=thr, same_article=same_article)
            row = {"threshold": thr, "same_article": same_article, **conll(ts, model=model)}
            print(row, file=sys.stderr, flush=True)
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- fitting


def held_out(ids: Sequence[int]) -> list[int]:
    """Every fourth train topic (sorted ids), kept out of the weights to fit the threshold and the options."""
    return [t for k, t in enumerate(sorted(ids)) if k % 4 == 3]


def choose_c(fit_ts: list[Topic], held_ts: list[Topic], kind: str) -> float:
    """The C of CS whose model ranks the held-out topics' labelled pairs best (ROC AUC; ties: the smaller)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from storyline.crosscheck.pairs import PairModel

    xs, ys = zip(*(topic_features(t, kind) for t in held_ts), strict=True)
    x, y = np.vstack(xs), np.concatenate(ys)
    best = (-1.0, CS[0])
    for c in CS:
        model = PairModel.from_dict(fit_weights(fit_ts, kind, c))
        auc = roc_auc_score(y, [model.probability(row) for row in x])
        print(kind, "C", c, "held-out AUC", round(auc, 4), file=sys.stderr, flush=True)
        if auc > best[0] + 1e-4:
            best = (auc, c)
    return best[1]


def fit_weights(ts: list[Topic], kind: str, c: float) -> dict:
    """Logistic regression on the labelled pairs of ``ts``: mean, scale, weights, bias (threshold 0.5)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xs, ys = zip(*(topic_features(t, kind) for t in ts), strict=True)
    x, y = np.vstack(xs), np.concatenate(ys)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    lr.fit((x - mean) / scale, y)
    return {"mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale],
            "weights": [round(float(v), 6) for v in lr.coef_[0]], "bias": round(float(lr.intercept_[0]), 6),
            "threshold": 0.5, "pairs": int(len(y)), "positives": int(y.sum())}


_FEATURE_MEMO: dict[tuple, list[float]] = {}


def _memo_scorers() -> None:
    """Threshold and option searches re-run the clustering many times: memoise pair features by text."""
    from storyline.crosscheck import claims

    if getattr(claims.make_scorer, "memo", False):
        return
    plain = claims.make_scorer

    def make(vs, vecs, emb, model):
        scorer = plain(vs, vecs, emb, model)
        inner = scorer.features
        story = hash(tuple(v.text for v in vs))

        def features(i: int, j: int) -> list[float]:
            key = (story, emb is None, vs[i].text, vs[i].source, vs[j].text, vs[j].source)
            if key not in _FEATURE_MEMO:
                _FEATURE_MEMO[key] = inner(i, j)
            return _FEATURE_MEMO[key]

        scorer.features = features
        return scorer

    make.memo = True
    claims.make_scorer = make


def search(ts: list[Topic], model_dict: dict, kind: str) -> list[dict]:
    """Pairwise claim F1 on ``ts`` for each threshold of THRESHOLDS, with and without the hard vetoes."""
    from storyline.crosscheck.pairs import PairModel

    _memo_scorers()
    rows = []
    for vetoes, linkage in (("conflicts", 0.5), ("conflicts", 1.0)):
        for thr in THRESHOLDS:
            model = PairModel.from_dict({**model_dict, "threshold": thr, "linkage": linkage})
            kw = {"embedder": False} if kind == "lexical" else {}
            both = evaluate_both(ts, (0.0, SAME), model=model, vetoes=vetoes, **kw)
            rows.append({"threshold": thr, "vetoes": vetoes, "linkage": linkage, **both[SAME],
                         "precision_any": both[0.0]["precision"], "recall_any": both[0.0]["recall"]})
            print(kind, thr, vetoes, linkage, rows[-1], file=sys.stderr, flush=True)
    return rows


def refit() -> dict:
    """Fit both models as the module docstring says and write src/storyline/data/claimpair.json."""
    from storyline.crosscheck.pairs import FEATURES

    train = topics("train")
    held = held_out([t.topic for t in train])
    fit_ts = [t for t in train if t.topic not in held]
    held_ts = [t for t in train if t.topic in held]
    out = {"about": "storyline.crosscheck.pairs same-claim pair model: logistic regression on standardised "
                    "features, fitted on ECB+ train topics by bench/claims_model.py --refit; numbers only",
           "features": list(FEATURES), "fit_topics": [t.topic for t in fit_ts], "held_out_topics": held,
           "models": {}, "search": {}}
    for kind in ("embedding", "lexical"):
        c = choose_c(fit_ts, held_ts, kind)
        model = fit_weights(fit_ts, kind, c)
        model["C"] = c
        rows = search(held_ts, model, kind)
        ok = [r for r in rows if r["precision_any"] >= PRECISION_FLOOR] or rows
        best = max(ok, key=lambda r: (r["f1"], -r["threshold"]))
        model["threshold"] = best["threshold"]
        model["vetoes"] = best["vetoes"]
        model["linkage"] = best["linkage"]
        model["held_out"] = {k: best[k] for k in ("precision", "recall", "f1")}
        out["models"][kind] = model
        out["search"][kind] = [{k: r[k] for k in ("threshold", "vetoes", "linkage", "precision", "recall", "f1",
                                                   "precision_any", "recall_any")} for r in rows]
    path = ROOT / "src" / "storyline" / "data" / "claimpair.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help="parse and cache the ECB+ topics")
    parser.add_argument("--old", action="store_true", help="measure the current claims on train and dev")
    parser.add_argument("--conll", action="store_true",
                        help="mention-level CoNLL F1 on the held-out train topics (stored model, lemma baseline)")
    parser.add_argument("--conll-search", action="store_true",
                        help="held-out CoNLL F1 over thresholds x same-article thresholds")
    parser.add_argument("--refit", action="store_true", help="fit and write src/storyline/data/claimpair.json")
    parser.add_argument("--eval", action="store_true", help="pairwise P/R/F1 of the stored model, held-out and dev")
    args = parser.parse_args()
    if args.prepare:
        for split in ("train", "dev"):
            ts = topics(split)
            print(split, len(ts), sum(len(t.statements) for t in ts))
    if args.refit:
        refit()
    if args.eval:
        train = topics("train")
        held = held_out([t.topic for t in train])
        for same in (0.0, SAME):
            print("held-out", same, evaluate([t for t in train if t.topic in held], same))
            print("dev", same, evaluate(topics("dev"), same))
    if args.conll or args.conll_search:
        train = topics("train")
        held = held_out([t.topic for t in train])
        held_ts = [t for t in train if t.topic in held]
        if args.conll:
            print("held-out", conll(held_ts, lemma=True))
        if args.conll_search:
            conll_search(held_ts)
    if args.old:
        for split in ("dev", "train"):
            for same in (0.0, SAME):
                print(split, same, evaluate(topics(split), same), flush=True)
