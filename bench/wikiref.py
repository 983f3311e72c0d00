"""Score storyline.cluster on WikiRef220 (story clustering: NMI, ARI, B-cubed precision / recall / F1).

Usage: .venv/bin/python bench/wikiref.py [--json FILE] [--data DIR] [--threshold T] [--calibrate]

Data: <repo>/../shared/datasets/wikiref220/*.txt, 220 web news articles.  Gold clustering: the five events
by file-name prefix (malaysia.airlines.flight, michelle.obama, premier.league, samsung.galaxy.s5,
ParisAttacks2015); every other file is a noise document and forms a singleton gold cluster.  All 220 are
clustered together with the default threshold of storyline.cluster (no train split exists, so nothing is
tuned here); a sensitivity table shows B-cubed F1 for thresholds around the default.

The default threshold comes from other data: --calibrate recomputes it as the 95th percentile of cosine
similarity between PolNeAR articles (../shared/datasets/polnear, US political news 2015-16, train + dev)
published more than 60 days apart -- pairs from one beat that almost surely cover different stories.
Metrics are on a 0-1 scale; NMI uses arithmetic-mean normalisation.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import DATASETS, write_json  # noqa: E402
from storyline.cluster import (  # noqa: E402
    DEFAULT_THRESHOLD,
    adjusted_rand_index,
    bcubed,
    cluster_articles,
    normalized_mutual_info,
    pairwise_similarity,
)

DATA = DATASETS / "wikiref220"
POLNEAR = REPO / ".." / "shared" / "datasets" / "polnear"
EVENTS = (
    "malaysia.airlines.flight",
    "michelle.obama",
    "premier.league",
    "samsung.galaxy.s5",
    "ParisAttacks2015",
)
SENSITIVITY = (0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.12, 0.15)
NOTES = (
    "All 220 documents are clustered at once by storyline.cluster.cluster_articles (TF-IDF over content words "
    "and capitalised names, cosine, average linkage cut at a fixed threshold). Gold: the five events by "
    "file-name prefix; each of the 35 noise documents is its own gold singleton, so grouping noise documents "
    "that share a topic (five are about one election, five about one earthquake...) costs precision; "
    "bcubed_f1_noise_by_topic scores the same output with noise grouped by file-name topic instead. "
    "There is no train split. The threshold is the library default, 0.07, fixed by a rule on other data "
    "(bench/wikiref.py --calibrate): the 95th percentile of similarity between PolNeAR articles published "
    "more than 60 days apart (0.067, rounded). The feature design (name boost, lead boost, term cap) was "
    "compared on WikiRef220 at that calibrated threshold, so those few choices did see this set; the table "
    "shows B-cubed F1 for thresholds around the default. MiniLM sentence embeddings of each page's start "
    "were tried as the similarity instead (and mixed in): no better (B-cubed F1 about 0.91 at best) and "
    "70 times slower, so they are not used. NMI is normalised by the arithmetic mean of the two "
    "entropies; ARI is Hubert & Arabie's; B-cubed is item-averaged (Bagga & Baldwin). Published: "
    "Gialampoukidis et al. (MLDM 2016) compare 20 clustering methods on WikiRef220 by NMI; no number is "
    "quoted here because it could not be checked."
)


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def gold_label(name: str) -> str:
    for ev in EVENTS:
        if name.startswith(ev):
            return ev
    return f"noise:{name}"


def topic_of(name: str) -> str:
    """File-name topic without its number: 'greek.elections.112.txt' -> 'greek.elections'."""
    return re.sub(r"[ .]*\(?\d+\)?\.txt$", "", name)


def load(data: Path) -> list[tuple[str, str]]:
    return [(p.name, read_text(p)) for p in sorted(data.glob("*.txt"))]


def score(gold: list[str], pred: list[str]) -> dict[str, float]:
    p, r, f = bcubed(gold, pred)
    return {
        "nmi": round(normalized_mutual_info(gold, pred), 4),
        "ari": round(adjusted_rand_index(gold, pred), 4),
        "bcubed_precision": round(p, 4),
        "bcubed_recall": round(r, 4),
        "bcubed_f1": round(f, 4),
    }


def predict(docs: list[tuple[str, str]], threshold: float | None) -> dict[str, str]:
    clusters = cluster_articles(docs, threshold=threshold)
    return {aid: c.id for c in clusters for aid in c.article_ids}


SPLIT_WHY = {
    "malaysia.airlines.flight": "pages on one side thread (the search zone, a relative's account) use few of the "
    "names that tie the other pages together",
    "michelle.obama": "pages on a side topic (her family history, a best-dressed list, a campaign she joined) "
    "share little with the rest beyond her name",
    "premier.league": "pages about a single club's owners, one match or player statistics rarely mention the "
    "clubs and people the other league pages share",
    "samsung.galaxy.s5": "spec-sheet pages (hardware tables rather than prose) share part numbers, not the "
    "words of the news pages",
    "ParisAttacks2015": "eyewitness and memorial pieces centred on one street or one victim use their own "
    "names and places",
}


def error_kinds(names: list[str], gold: list[str], pred: dict[str, str]) -> list[dict]:
    """Splits (an event in pieces), merges of events, and noise documents that joined a cluster."""
    by_pred: dict[str, list[str]] = {}
    for n in names:
        by_pred.setdefault(pred[n], []).append(n)
    errors: list[dict] = []
    for ev in EVENTS:
        parts = Counter(pred[n] for n, g in zip(names, gold, strict=True) if g == ev)
        if len(parts) > 1:
            total, main = sum(parts.values()), parts.most_common(1)[0][1]
            errors.append(
                {
                    "kind": f"split:{ev}",
                    "count": total - main,
                    "example": f"{total - main} of {total} pages fall outside the main cluster ({len(parts)} pieces): "
                    + SPLIT_WHY[ev]
                    + ".",
                }
            )
    with_event: Counter[str] = Counter()
    among_noise: Counter[str] = Counter()
    for members in by_pred.values():
        labels = Counter(gold_label(n) for n in members)
        if len(labels) < 2:
            continue
        events = sorted(g for g in labels if not g.startswith("noise:"))
        noise = [n for n in members if gold_label(n).startswith("noise:")]
        if len(events) >= 2:
            errors.append(
                {
                    "kind": "merge:" + "+".join(events),
                    "count": len(members),
                    "example": "two gold events share one predicted cluster: their pages share general vocabulary "
                    "and recurring names.",
                }
            )
        for n in noise:
            (with_event if events else among_noise)[topic_of(n)] += 1
    if with_event:
        errors.append(
            {
                "kind": "noise_joined_event",
                "count": sum(with_event.values()),
                "example": "noise pages on a neighbouring topic joined an event's cluster, e.g. a page about the "
                "husband of the event's subject, or a smartphone market survey joining the phone launch "
                f"(topics: {', '.join(sorted(with_event))}).",
            }
        )
    if among_noise:
        errors.append(
            {
                "kind": "noise_grouped_by_topic",
                "count": sum(among_noise.values()),
                "example": "noise pages that really share a topic (several about one election or one earthquake) "
                "form their own cluster, while the gold counts each as a singleton "
                f"(topics: {', '.join(sorted(among_noise))}).",
            }
        )
    return errors


def calibrate(polnear: Path = POLNEAR, *, days: int = 60, percentile: float = 95.0) -> float | None:
    """The default threshold rule: a high percentile of similarity between far-apart PolNeAR articles."""
    import datetime as dt

    import numpy as np

    files = sorted(polnear.glob("*/text/*.txt"))
    stamped = []
    for f in files:
        m = re.search(r"_(\d{4}-\d\d-\d\d)_", f.name)
        if m:
            stamped.append((f, dt.date.fromisoformat(m.group(1)).toordinal()))
    if len(stamped) < 10:
        return None
    sim = pairwise_similarity([f.read_text(encoding="utf-8", errors="replace") for f, _ in stamped])
    day = np.array([d for _, d in stamped])
    far = np.abs(day[:, None] - day[None, :]) > days
    upper = np.triu_indices(len(stamped), 1)
    return float(np.percentile(sim[upper][far[upper]], percentile))


def evaluate(split: str | None = None, *, data: Path | None = None, threshold: float | None = None) -> dict:
    data = Path(data) if data is not None else DATA
    base = {
        "benchmark": "wikiref",
        "dataset": "WikiRef220 (dpacassi/dynamic-event-detection-in-data-streams @ 3207bde)",
        "split": split or "all",
        "published": {},
        "goal": {"metric": "bcubed_f1", "value": 0.9},
        "notes": NOTES,
    }
    docs = load(data) if data.is_dir() else []
    if not docs:
        return {**base, "status": "absent", "metrics": {}, "errors": []}
    names = [n for n, _ in docs]
    gold = [gold_label(n) for n in names]
    t0 = time.perf_counter()
    pred = predict(docs, threshold)
    seconds = time.perf_counter() - t0
    metrics = score(gold, [pred[n] for n in names])
    # Secondary view: noise documents grouped by their own file-name topic instead of as singletons.
    topic_gold = [
        g if not g.startswith("noise:") else "noise:" + topic_of(n) for n, g in zip(names, gold, strict=True)
    ]
    metrics["bcubed_f1_noise_by_topic"] = round(bcubed(topic_gold, [pred[n] for n in names])[2], 4)
    sens = {}
    for t in SENSITIVITY:
        p = predict(docs, t)
        sens[f"{t:.2f}"] = round(bcubed(gold, [p[n] for n in names])[2], 4)
    thr = DEFAULT_THRESHOLD if threshold is None else threshold
    return {
        **base,
        "status": "ok",
        "threshold": thr,
        "metrics": metrics,
        "run": {"clusters": len(set(pred.values())), "documents": len(docs), "seconds": round(seconds, 3)},
        "sensitivity_bcubed_f1": sens,
        "errors": error_kinds(names, gold, pred),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--calibrate", action="store_true", help="recompute the default threshold from PolNeAR")
    args = ap.parse_args(argv)
    if args.calibrate:
        thr = calibrate()
        if thr is None:
            print(f"PolNeAR is absent (looked in {POLNEAR.resolve()}); cannot calibrate")
        else:
            print(
                f"95th percentile of similarity, PolNeAR pairs > 60 days apart: {thr:.4f} "
                f"(library default {DEFAULT_THRESHOLD})"
            )
        return 0
    res = evaluate(data=Path(args.data), threshold=args.threshold)
    if res["status"] == "absent":
        print(f"WikiRef220 is absent (looked in {Path(args.data).resolve()}); nothing to score")
    else:
        m, run = res["metrics"], res["run"]
        print(
            f"WikiRef220, all {run['documents']} documents, threshold {res['threshold']} "
            f"({run['clusters']} clusters, {run['seconds']} s)"
        )
        print(f"{'metric':<28}{'value':>8}")
        for k in ("nmi", "ari", "bcubed_precision", "bcubed_recall", "bcubed_f1", "bcubed_f1_noise_by_topic"):
            print(f"{k:<28}{m[k]:>8.4f}")
        print(f"goal: bcubed_f1 >= {res['goal']['value']}")
        print("\nsensitivity (B-cubed F1 by threshold)")
        for t, f in res["sensitivity_bcubed_f1"].items():
            mark = "  <- default" if abs(float(t) - res["threshold"]) < 1e-9 else ""
            print(f"  {t}  {f:.4f}{mark}")
        if res["errors"]:
            print("\nerrors")
            for e in res["errors"]:
                print(f"  {e['kind']:<40}{e['count']:>4}  {e['example']}")
    if args.json_out:
        write_json(Path(args.json_out), res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
