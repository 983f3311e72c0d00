"""Cross-document benchmark: the same fact in other words (ECB+), figures across outlets (GVA), story clustering.

Usage: .venv/bin/python bench/crossdoc.py [--split dev|train] [--json FILE] [--limit N] [--no-embeddings]
                                          [--parts ecb,gva,cluster] [--src DIR]

Data (read-only, never copied): ../shared/datasets/ecbplus (bench/ecbplus.py) and ../shared/datasets/gva.
A missing dataset makes its part "absent"; with both missing the result's status is "absent".

a. Corroboration on ECB+.  Each topic (both sub-topics) is analysed as one story by the real pipeline
   (``storyline.pipeline.analyze`` over a temp folder of .txt files, one per document, as ``storyline analyze``
   does).  Each scored gold ACTION mention (complete sentences only, bench/ecbplus.scored_actions) goes to the
   multi-member claim whose cited span contains it (several: most sources); a mention in no claim or only in a
   one-member claim is a singleton.  MUC, B-cubed, CEAF-e and CoNLL F1 (bench/coref_metrics.py) against the
   gold chains, per topic and pooled (topic clusterings concatenated; nothing links across topics), plus
   pairwise P/R over cross-document mention pairs and over cross-article pairs of scored sentences (gold
   positive: the two share a gold ACTION chain; system positive: they are cited in one multi-member claim).
a2. Event chains on ECB+ (the goal row).  The same dossier's ``event_chains`` (crosscheck/eventchains.py: every
   verb and eventive noun a mention, grouped across sources by a pair model fitted on ECB+ train) as a
   mention-level clustering: a scored gold mention takes the chain one of whose event words lies inside it (the
   largest chain when several); a mention holding no chained event word is a singleton.  Same metrics,
   fragmentation and mention pairs as for claims.
b. Baselines on the same mentions: same head lemma within a topic (spaCy lemma of the mention's syntactic
   head, the package's model via ``storyline.extract.nlp.load_nlp``) and all singletons.
c. Embedding cosine over the same sentence pairs (the package embedder, all-MiniLM-L6-v2 by default): P/R at
   the lowest cutoff reaching storyline's sentence-pair precision, and at the cutoff that maximises F1 on the
   train topics (on --split train that choice is in-sample).
d. Fragmentation: gold chains with mentions in 2+ documents: mean number of distinct system clusters
   (singletons count one each; 1.0 is perfect) and the share that is exactly one claim marked corroborated
   (``independent`` >= 2 in the dossier, the same test as its "corroborated" status).
e. Figures on GVA: incidents of the split (dev: ``int(id) % 4 == 0``; train: the rest; --limit N takes the
   first N by id), each folder analysed with its manifest.  Recall of the gold number killed (incidents with
   killed > 0) and injured (injured > 0): some dossier figure has that value and a counted noun about deaths
   (killed, dead, deaths, died, victims ...) or injuries (injured, wounded, hurt ...).  Misplaced: the gold
   value attached to another count (only where killed != injured).  Unified: where 2+ sources carry the right
   value with the right count, all of them in one running-figure series or in one claim marked corroborated.
f. Story clustering (``storyline.crosscheck.cluster.cluster_articles``) of all documents of the split's topics
   at once, B-cubed against the sub-topic labels (each topic has two events), lexical and with embeddings,
   plus the mean over topics when only one topic's two sub-topics are mixed (the hard case).
All scores are on a 0-1 scale; the published ones (percent in the papers) are converted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import coref_metrics as cm  # noqa: E402
import crossdoc_ecb as ecb  # noqa: E402
import crossdoc_gva as gva  # noqa: E402
import ecbplus  # noqa: E402
from contract import DATASETS, write_json  # noqa: E402

GVA_DATA = DATASETS / "gva"
PARTS = ("ecb", "gva", "cluster")

MIN_ET_AL = (
    "as listed in Min et al. (2024), 'Synergetic Event Understanding: A Collaborative Approach to "
    "Cross-Document Event Coreference Resolution with Large Language Models' (LREC-COLING 2024), Table 2, ECB+ "
    "block: cross-document event coreference on the ECB+ TEST topics 36-45 with gold event mentions"
)
PUBLISHED = {
    "Barhom et al. 2019 joint (test, gold mentions)": {
        "muc_recall": 0.776, "muc_precision": 0.845, "muc_f1": 0.809,
        "bcubed_recall": 0.761, "bcubed_precision": 0.851, "bcubed_f1": 0.803,
        "ceafe_recall": 0.810, "ceafe_precision": 0.738, "ceafe_f1": 0.773, "conll_f1": 0.795,
    },
    "Cattan et al. 2021 (test, gold mentions)": {
        "muc_recall": 0.851, "muc_precision": 0.819, "muc_f1": 0.835,
        "bcubed_recall": 0.821, "bcubed_precision": 0.827, "bcubed_f1": 0.824,
        "ceafe_recall": 0.752, "ceafe_precision": 0.789, "ceafe_f1": 0.770, "conll_f1": 0.810,
    },
    "Held et al. 2021 (test, gold mentions)": {
        "muc_recall": 0.870, "muc_precision": 0.881, "muc_f1": 0.875,
        "bcubed_recall": 0.856, "bcubed_precision": 0.877, "bcubed_f1": 0.866,
        "ceafe_recall": 0.803, "ceafe_precision": 0.858, "ceafe_f1": 0.829, "conll_f1": 0.857,
    },
    "Cluster+Lemma baseline, Barhom et al. 2019 (test, gold mentions)": {
        "bcubed_recall": 0.717, "bcubed_precision": 0.850, "bcubed_f1": 0.778,
    },
}
# published systems cluster event mentions, as the event chains do: their numbers sit beside both rows
for _row in PUBLISHED.values():
    _row.update({f"event_chain_{k}": v for k, v in list(_row.items())})

PUBLISHED_SOURCES = {
    "Barhom et al. 2019 joint (test, gold mentions)": "Barhom et al., ACL 2019, 'Revisiting Joint Modeling of "
    "Cross-document Entity and Event Coreference Resolution', joint model, event coreference; numbers "
    + MIN_ET_AL + ". Barhom et al. cluster documents into topics themselves (predicted topics) before "
    "coreference.",
    "Cattan et al. 2021 (test, gold mentions)": "Cattan et al., 'Cross-document Coreference Resolution over "
    "Predicted Mentions' (Findings of ACL 2021; arXiv 2020, cited there as Cattan et al. 2020), event "
    "coreference on gold mentions; numbers " + MIN_ET_AL + ".",
    "Held et al. 2021 (test, gold mentions)": "Held et al. 2021 (EMNLP, focus on mention pairs with a "
    "cross-encoder); numbers " + MIN_ET_AL + ". Caciularu et al. 2021 (CDLM) is listed there at CoNLL F1 85.6.",
    "Cluster+Lemma baseline, Barhom et al. 2019 (test, gold mentions)": "Barhom et al.'s same-lemma baseline "
    "over their predicted document clusters, B-cubed only, as listed in Min et al. (2024), Table 5 (B-cubed "
    "R 71.7, P 85.0, F1 77.8 on ECB+ test).",
}
NOTES = (
    "ECB+ dev topics 2, 5, 12, 18, 21, 23, 34, 35 (Barhom et al. 2019 split); train = the other 25 topics in "
    "the shared copy; the test topics 36-45 are not available, so every published number (ECB+ TEST, gold "
    "mentions, from Min et al. 2024 Table 2 / Table 5, converted to 0-1) is on another split and only "
    "indicates the range. Mention set: ACTION_* and NEG_ACTION_* mentions in the sentences of "
    "ECBplus_coreference_sentences.csv (1,245 on dev, 3,808 on train; these match the event-mention counts "
    "usually given for this split, from memory, not checked against a source here); "
    "gold chains from CROSS_DOC_COREF instance ids (document-local INTRA_DOC_COREF chains and singletons kept "
    "as their own). Two clusterings of storyline are scored: its event chains (one cluster per chain of event "
    "words; the goal row) and its claims, which group whole sentences (at most one per article), so every "
    "event mention of one cited sentence lands in the same cluster, and sentences the pipeline does not treat "
    "as factual statements give singletons. Each topic (two sub-topics, "
    "i.e. two similar events) is analysed as ONE story, as a user pasting both would; no gold topic or "
    "sub-topic is given to the pipeline. ECB+ has no publication dates, so the date-based parts of claim "
    "grouping see none. The same-head-lemma baseline clusters within the gold topic (as the literature's "
    "baseline does within its document clusters). GVA split: int(incident) % 4 == 0 is dev (defined here, no "
    "official split). Goal: the pooled CoNLL F1 of storyline's event chains at least the same-head-lemma "
    "baseline measured in the same run (the lemma baseline clusters GOLD mentions; the event chains find "
    "their own, and a gold mention they miss is a singleton)."
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _round(d: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}


# --------------------------------------------------------------------------- ECB+


class _Pool:
    """Mention clusterings and counts gathered topic by topic."""

    def __init__(self) -> None:
        self.key: dict[int, str] = {}
        self.system: dict[int, str] = {}
        self.events: dict[int, str] = {}
        self.events_corroborated: set[str] = set()
        self.lemma: dict[int, str] = {}
        self.doc_of: dict[int, str] = {}
        self.corroborated: set[str] = set()
        self.sentence_counts: Counter[str] = Counter()
        self.cosines: list[tuple[float, bool]] = []
        self.status: Counter[str] = Counter()
        self.claim_sizes: Counter[int] = Counter()
        self.topics: list[dict] = []
        self.failures: list[str] = []


def _topic(pool: _Pool, topic: int, docs: list[ecbplus.Doc], nlp, embedder, embeddings: bool) -> None:  # noqa: ANN001
    mentions = ecbplus.scored_actions(docs)
    keys = list(range(len(pool.key), len(pool.key) + len(mentions)))
    claims, chains, analysed, seconds, error = ecb.run_topic(docs, embeddings=embeddings)
    if error:
        pool.failures.append(f"topic {topic}: {error}")
    key = {k: f"{topic}|{m.chain}" for k, m in zip(keys, mentions, strict=True)}
    system = ecb.system_labels(keys, mentions, claims, topic)
    events = ecb.chain_labels(keys, mentions, chains, topic)
    lemma = ecb.lemma_labels(keys, mentions, ecb.head_lemmas(docs, nlp), topic)
    pool.key |= key
    pool.system |= system
    pool.events |= events
    pool.events_corroborated |= {f"{topic}|{c.id}" for c in chains if c.corroborated}
    pool.lemma |= lemma
    pool.doc_of |= {k: m.doc for k, m in zip(keys, mentions, strict=True)}
    pool.corroborated |= {f"{topic}|{c.id}" for c in claims if c.corroborated}
    pool.status += ecb.mention_status(mentions, claims, analysed)
    pool.claim_sizes.update(len(c.members) for c in claims)
    sentences = ecb.scored_sentences(docs)
    pool.sentence_counts += ecb.sentence_pair_counts(sentences, claims)
    if embedder is not None:
        pool.cosines += ecb.cosine_pairs(sentences, embedder)
    row = {"topic": topic, "documents": len(docs), "analysed": len(analysed), "mentions": len(mentions),
           "claims": len(claims), "multi_member_claims": sum(len(c.members) >= 2 for c in claims),
           "seconds": round(seconds, 1)}
    if mentions:
        row |= {"conll_f1": cm.conll_f1(key, system), "event_chain_conll_f1": cm.conll_f1(key, events),
                "lemma_conll_f1": cm.conll_f1(key, lemma)}
    pool.topics.append(_round(row))
    log(f"  topic {topic}: {len(docs)} docs, {len(mentions)} mentions, {row['multi_member_claims']} multi-member "
        f"claims, CoNLL {row.get('conll_f1', 0):.3f}, event chains {row.get('event_chain_conll_f1', 0):.3f} (lemma {row.get('lemma_conll_f1', 0):.3f}), {seconds:.0f} s")


def _train_cosines(embedder) -> list[tuple[float, bool]]:  # noqa: ANN001
    pairs: list[tuple[float, bool]] = []
    docs = ecbplus.load("train")
    for topic in sorted({d.topic for d in docs}):
        pairs += ecb.cosine_pairs(ecb.scored_sentences([d for d in docs if d.topic == topic]), embedder)
    return pairs


def _cosine_rows(pool: _Pool, storyline_precision: float, split: str, embedder) -> dict:  # noqa: ANN001
    """Embedding-cosine baseline over the sentence pairs at two cutoffs."""
    out: dict = {}
    cut = ecb.cutoff_for_precision(pool.cosines, storyline_precision) if storyline_precision > 0 else None
    if cut is not None:
        s = ecb.at_cutoff(pool.cosines, cut)
        out["at_storyline_precision"] = _round({"cutoff": cut, "precision": s.precision, "recall": s.recall,
                                                "f1": s.f1})
    train = pool.cosines if split == "train" else _train_cosines(embedder)
    best = ecb.best_f1_cutoff(train)
    if best is not None:
        s = ecb.at_cutoff(pool.cosines, best)
        out["train_best_f1_cutoff"] = _round({"cutoff": best, "precision": s.precision, "recall": s.recall,
                                              "f1": s.f1, "in_sample": split == "train"})
    return out


def _embedder(embeddings: bool):  # noqa: ANN202
    if not embeddings:
        return None
    from storyline.errors import ModelError
    from storyline.extract.embed import get_embedder

    try:
        return get_embedder()
    except ModelError as exc:
        log(f"no embedder ({exc}); embedding rows skipped")
        return None


def ecb_part(split: str, *, limit: int | None, embeddings: bool) -> dict:
    """Parts a-d on the ECB+ topics of ``split``."""
    from storyline.extract.nlp import load_nlp

    docs = ecbplus.load(split)
    topics = sorted({d.topic for d in docs})[: limit or None]
    nlp, embedder, pool = load_nlp(), _embedder(embeddings), _Pool()
    log(f"ECB+ {split}: {len(topics)} topics")
    for topic in topics:
        _topic(pool, topic, [d for d in docs if d.topic == topic], nlp, embedder, embeddings)
    singles = {k: f"single:{k}" for k in pool.key}
    sentence = cm.pairwise_from_counts(pool.sentence_counts)
    out = {
        "topics": topics,
        "documents": sum(t["documents"] for t in pool.topics),
        "mentions": len(pool.key),
        "gold_chains": len(set(pool.key.values())),
        "storyline": _round(cm.all_scores(pool.key, pool.system)),
        "event_chains": _round(cm.all_scores(pool.key, pool.events)),
        "same_head_lemma": _round(cm.all_scores(pool.key, pool.lemma)),
        "all_singletons": _round(cm.all_scores(pool.key, singles)),
        "mention_pairs": {name: _round(cm.pairwise(pool.key, labels, pool.doc_of)._asdict())
                          for name, labels in (("storyline", pool.system), ("event_chains", pool.events),
                                               ("same_head_lemma", pool.lemma))},
        "sentence_pairs": _round({**pool.sentence_counts, "precision": sentence.precision,
                                  "recall": sentence.recall, "f1": sentence.f1}),
        "fragmentation": {
            "storyline": _round(ecb.fragmentation(pool.key, pool.system, pool.doc_of, pool.corroborated)),
            "event_chains": _round(ecb.fragmentation(pool.key, pool.events, pool.doc_of, pool.events_corroborated)),
            "same_head_lemma": _round(ecb.fragmentation(pool.key, pool.lemma, pool.doc_of, set())),
        },
        "mention_status": dict(pool.status),
        "pipeline_failures": pool.failures,
        "claim_sizes": {str(k): v for k, v in sorted(pool.claim_sizes.items())},
        "per_topic": pool.topics,
        "per_topic_mean_conll_f1": _mean([t.get("conll_f1") for t in pool.topics]),
        "per_topic_mean_event_chain_conll_f1": _mean([t.get("event_chain_conll_f1") for t in pool.topics]),
        "per_topic_mean_lemma_conll_f1": _mean([t.get("lemma_conll_f1") for t in pool.topics]),
    }
    if embedder is not None and pool.cosines:
        out["embedding_cosine_sentence_pairs"] = _cosine_rows(pool, sentence.precision, split, embedder)
    return out


def _mean(values: list) -> float | None:
    vals = [v for v in values if isinstance(v, int | float)]
    return round(sum(vals) / len(vals), 4) if vals else None


def cluster_part(split: str, *, limit: int | None, embeddings: bool) -> dict:
    """Part f: story clustering of the split's documents against sub-topics."""
    docs = ecbplus.load(split)
    topics = sorted({d.topic for d in docs})[: limit or None]
    docs = [d for d in docs if d.topic in topics]
    log(f"story clustering: {len(docs)} documents, {len(topics)} topics")
    out = {"lexical": _round(ecb.clustering_scores(docs))}
    embedder = _embedder(embeddings)
    if embedder is not None:
        out["with_embeddings"] = _round(ecb.clustering_scores(docs, embedder))
    return out


# --------------------------------------------------------------------------- the contract result


def _metrics(res: dict) -> dict:
    """The flat metric table of the contract (0-1 scale)."""
    m: dict = {}
    e = res.get("ecbplus") or {}
    if e:
        m |= {k: v for k, v in e["storyline"].items()}
        m |= {f"event_chain_{k}": v for k, v in e["event_chains"].items()}
        m |= {f"lemma_{k}": v for k, v in e["same_head_lemma"].items() if k.endswith("f1")}
        m |= {f"singletons_{k}": v for k, v in e["all_singletons"].items() if k.endswith("f1")}
        m["mention_pair_precision"] = e["mention_pairs"]["storyline"]["precision"]
        m["mention_pair_recall"] = e["mention_pairs"]["storyline"]["recall"]
        m["sentence_pair_precision"] = e["sentence_pairs"]["precision"]
        m["sentence_pair_recall"] = e["sentence_pairs"]["recall"]
        for name, row in (e.get("embedding_cosine_sentence_pairs") or {}).items():
            m[f"cosine_{name}_precision"] = row["precision"]
            m[f"cosine_{name}_recall"] = row["recall"]
        frag = e["fragmentation"]["storyline"]
        m["claims_per_multi_doc_chain"] = frag.get("mean_claims_per_chain")
        m["multi_doc_chains_one_corroborated_claim"] = frag.get("one_corroborated_claim_share")
        m["event_chain_mention_pair_precision"] = e["mention_pairs"]["event_chains"]["precision"]
        m["event_chain_mention_pair_recall"] = e["mention_pairs"]["event_chains"]["recall"]
        frag = e["fragmentation"]["event_chains"]
        m["event_chains_per_multi_doc_chain"] = frag.get("mean_claims_per_chain")
        m["multi_doc_chains_one_corroborated_event_chain"] = frag.get("one_corroborated_claim_share")
    g = res.get("gva") or {}
    for key in ("killed_recall", "killed_recall_value_ge2", "injured_recall", "injured_recall_value_ge2",
                "killed_unified_share", "injured_unified_share"):
        if g.get(key) is not None:
            m[f"gva_{key}"] = round(g[key], 4)
    c = res.get("story_clustering") or {}
    for name, row in c.items():
        m[f"clustering_{name}_bcubed_f1"] = row["bcubed_f1"]
        m[f"clustering_{name}_per_topic_bcubed_f1"] = row["per_topic_mean_bcubed_f1"]
    return {k: v for k, v in m.items() if isinstance(v, int | float)}


def _errors(res: dict) -> list[dict]:
    e, g = res.get("ecbplus") or {}, res.get("gva") or {}
    status = e.get("mention_status", {})
    out = [
        {"kind": "mention_in_no_claim", "count": status.get("in_no_claim", 0),
         "example": "the mention's sentence is not one of the pipeline's factual statements (too short, a quote "
         "with its cue, a question, no entity/date/figure/event in it), so it never enters claim grouping"},
        {"kind": "mention_in_one_member_claim", "count": status.get("in_one_member_claim", 0),
         "example": "the sentence is a statement but no other article's sentence was judged to say the same "
         "thing: paraphrases with little shared wording fall below the same-claim threshold"},
        {"kind": "article_not_analysed", "count": status.get("article_not_analysed", 0),
         "example": "ingest rejected the document (under 25 words) or it duplicated another one exactly"},
    ]
    failed = len(e.get("pipeline_failures") or []) + int(g.get("pipeline_failures") or 0)
    out.append({"kind": "pipeline_failure", "count": failed,
                "example": "storyline.pipeline.analyze raised on a topic or incident (its mentions count as "
                "singletons, its figures as missing); see ecbplus.pipeline_failures"})
    for kind, count in (g.get("misplaced") or {}).items():
        out.append({"kind": f"gva_{kind}", "count": count,
                    "example": "a figure with the gold value counts something else ('killed' value read as "
                    "another count, or the reverse)"})
    return [x for x in out if x["count"]]


def evaluate(
    split: str | None = None,
    *,
    limit: int | None = None,
    embeddings: bool = True,
    parts: tuple[str, ...] = PARTS,
) -> dict:
    split = split or "dev"
    t0 = time.perf_counter()
    res: dict = {
        "benchmark": "crossdoc",
        "dataset": "ECB+ 1.0 (events) + GVA (SemEval-2018 Task 5 incidents)",
        "split": split,
        "published": PUBLISHED,
        "published_sources": PUBLISHED_SOURCES,
        "notes": NOTES,
        "embeddings": embeddings,
        "limit": limit,
    }
    absent = []
    for name, fn, key in (("ecb", ecb_part, "ecbplus"), ("cluster", cluster_part, "story_clustering"),
                          ("gva", _gva_part, "gva")):
        if name not in parts:
            continue
        try:
            res[key] = fn(split, limit=limit, embeddings=embeddings)
        except FileNotFoundError as exc:
            log(f"{name}: {exc}")
            absent.append(str(exc))
    lemma = (res.get("ecbplus") or {}).get("same_head_lemma", {}).get("conll_f1")
    goal = "event_chain_conll_f1"  # corroboration per event mention (event chains) against the lemma baseline
    res["goal"] = {"metric": goal, "value": lemma} if lemma is not None else {"metric": goal}
    res["metrics"] = _metrics(res)
    res["errors"] = _errors(res)
    res["status"] = "ok" if res["metrics"] else "absent"
    if absent:
        res["absent"] = absent
    res["seconds"] = round(time.perf_counter() - t0, 1)
    import storyline

    res["storyline_package"] = str(Path(storyline.__file__).resolve().parent)
    return res


def _gva_part(split: str, *, limit: int | None, embeddings: bool) -> dict:
    log(f"GVA {split}: analysing incidents")
    return _round(gva.summarise(gva.run_incidents(GVA_DATA, split, limit=limit, embeddings=embeddings)))


def _print(res: dict) -> None:
    print(f"crossdoc ({res['split']}): status {res['status']}, {res['seconds']} s")
    for k, v in res["metrics"].items():
        print(f"  {k:<52}{v:>10.4f}" if isinstance(v, float) else f"  {k:<52}{v:>10}")
    for e in res["errors"]:
        print(f"  error {e['kind']}: {e['count']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--limit", type=int, default=None, help="first N topics (ECB+) and incidents (GVA)")
    ap.add_argument("--no-embeddings", action="store_true", help="lexical pipeline, no embedding baselines")
    ap.add_argument("--parts", default=",".join(PARTS), help="comma list of ecb, gva, cluster")
    ap.add_argument("--src", type=Path, default=None,
                    help="measure the storyline package under this src folder (e.g. an exported commit)")
    ap.add_argument("--src-label", default=None, help="what --src holds (e.g. the commit), kept in the JSON")
    args = ap.parse_args(argv)
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    res = evaluate(args.split, limit=args.limit, embeddings=not args.no_embeddings, parts=parts)
    if args.src_label:
        res["storyline_source"] = args.src_label
    _print(res)
    if args.json_out:
        write_json(Path(args.json_out), res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
