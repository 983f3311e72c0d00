"""Syndication (copy) detection on PolNeAR articles: storyline.crosscheck.syndication.find_copies.

Usage: python bench/syndication.py [--split all|train|dev] [--no-embed] [--json FILE]

Data: <repo>/../shared/datasets/polnear/ (metadata.tsv with the wire credit; texts in {train,dev}/text/).

Gold.  PolNeAR has no copy annotation.  Different AP (or UPI, AFP, Reuters) stories are not copies of each
other, so "same wire credit" alone is not a gold copy relation.  The gold pairs are built independently of
the system's shingles and MinHash: every pair of articles that shares at least PREFILTER 5-word shingles
(an exact inverted index, no sampling) is aligned word by word with difflib; the pair is a gold copy when
aligned runs of at least 3 words cover at least GOLD_COVER of the shorter article.  Pairs that also carry the
same wire credit are reported separately ("wire copies").

``storyline.crosscheck.independence.find_independence`` (shingle copies plus sentence-embedding rewrites) is scored on the
same gold ("independence ..." metrics), and on the negatives that matter for it: pairs of articles about one
story that are not copies (TF-IDF cosine >= SAME_STORY from ``storyline.crosscheck.cluster``, published at most
SAME_STORY_DAYS apart, not gold copies): every such pair it links is a false link.  The articles are cleaned by
``storyline.ingest.clean`` but not parsed (parsing 924 articles costs minutes): sentences come from the module's
punctuation fallback and no entity filter applies.  The system's pairs are the pairs of articles in
one found group.  The containment threshold was lowered from 0.5 to 0.4 after the synthetic rewrite check
(see the notes); nothing else was tuned on PolNeAR.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import itertools
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import DATASETS, write_json  # noqa: E402
from storyline.crosscheck.cluster import pairwise_similarity  # noqa: E402
from storyline.crosscheck.syndication import DEFAULT_THRESHOLD, containment, find_copies, shingles  # noqa: E402
from storyline.text import fold, words  # noqa: E402

DATA = DATASETS / "polnear"
PREFILTER = 20
GOLD_COVER = 0.5
MIN_RUN = 3
GOAL = 90.0
REWORD_EVERY = 15
SEED = 13
SAME_STORY = 0.3
SAME_STORY_DAYS = 3


def _wire(value: str | None) -> str | None:
    v = (value or "").strip()
    return None if v in ("", "None", "NA") else v.casefold()


def load(split: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    meta = {r["filename"]: r for r in csv.DictReader((DATA / "metadata.tsv").open(encoding="utf-8"), delimiter="\t")}
    folders = ("train", "dev") if split == "all" else (split,)
    texts = {p.stem: p.read_text(encoding="utf-8") for f in folders for p in sorted((DATA / f / "text").glob("*.txt"))}
    return texts, meta


def cover(a: str, b: str) -> float:
    """Share of the shorter text's words inside aligned runs of >= MIN_RUN words (difflib, no shingles)."""
    wa, wb = words(fold(a)), words(fold(b))
    if not wa or not wb:
        return 0.0
    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    aligned = sum(m.size for m in sm.get_matching_blocks() if m.size >= MIN_RUN)
    return aligned / min(len(wa), len(wb))


def gold_pairs(texts: dict[str, str]) -> dict[tuple[str, str], float]:
    ids = sorted(texts)
    index: dict[int, list[int]] = defaultdict(list)
    for n, i in enumerate(ids):
        for h in shingles(texts[i]).tolist():
            index[h].append(n)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in index.values():
        if 1 < len(holders) <= 50:  # a shingle in > 50 articles is boilerplate, not a copy signal
            shared.update(itertools.combinations(holders, 2))
    out: dict[tuple[str, str], float] = {}
    for (x, y), n in shared.items():
        if n >= PREFILTER:
            c = cover(texts[ids[x]], texts[ids[y]])
            if c >= GOLD_COVER:
                out[(ids[x], ids[y])] = c
    return out


def rewrite(text: str, rng: random.Random) -> str:
    """A light rewrite as copy desks make them: lead kept, a third of the other paragraphs dropped, the rest
    reordered, and about one word in REWORD_EVERY replaced."""
    paras = [p for p in text.split("\n") if p.strip()]
    lead, rest = paras[:1], paras[1:]
    keep = [p for p in rest if rng.random() > 0.33]
    rng.shuffle(keep)
    out = []
    for para in lead + keep:
        toks = para.split(" ")
        out.append(" ".join("edited" if rng.randrange(REWORD_EVERY) == 0 else t for t in toks))
    return "\n\n".join(out)


def synthetic(texts: dict[str, str], meta: dict[str, dict[str, str]]) -> tuple[dict[str, float], list[str]]:
    """Plant one light rewrite of every wire-credited article (published a day later) among all articles."""
    rng = random.Random(SEED)
    rows = [(i, texts[i], (meta.get(i) or {}).get("publication_date") or None) for i in sorted(texts)]
    planted: dict[str, str] = {}
    for i in sorted(texts):
        if _wire((meta.get(i) or {}).get("wire")) and len(words(texts[i])) >= 80:
            copy = f"rewrite-of-{i}"
            planted[copy] = i
            rows.append((copy, rewrite(texts[i], rng), "9999-12-31"))
    groups, _ = find_copies(rows)
    group_of = {m: n for n, g in enumerate(groups) for m in g.members}
    hits = sum(1 for c, o in planted.items() if c in group_of and group_of.get(o) == group_of[c])
    wrong = sum(1 for c, o in planted.items() if c in group_of and group_of.get(o) != group_of[c])
    missed = [o for c, o in planted.items() if c not in group_of]
    return {
        "rewrite recall": round(100.0 * hits / len(planted), 2) if planted else 0.0,
        "rewrite wrong group": wrong,
        "planted rewrites": len(planted),
    }, missed


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = 100.0 * tp_p / n_pred if n_pred else 100.0
    r = 100.0 * tp_r / n_gold if n_gold else 100.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 2), round(r, 2), round(f, 2)


def _absent(split: str, reason: str) -> dict:
    return {
        "benchmark": "syndication", "dataset": "PolNeAR (metadata.tsv wire credits + texts)", "split": split,
        "status": "absent", "metrics": {}, "published": {}, "goal": {"metric": "pair F1", "value": GOAL},
        "errors": [], "notes": reason,
    }


class _CountingEmbedder:
    """Wraps an embedder to count the sentences it encodes (the embedding cost of find_independence)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.sentences = 0
        self.seconds = 0.0

    def encode(self, texts, batch_size: int = 64):
        t0 = time.perf_counter()
        out = self.inner.encode(texts, batch_size=batch_size)
        self.seconds += time.perf_counter() - t0
        self.sentences += len(texts)
        return out


def independence(
    texts: dict[str, str], meta: dict[str, dict[str, str]], gold: set[tuple[str, str]], embed: bool = True
) -> tuple[dict, list[dict], str]:
    """Score find_independence on the gold copy pairs and on same-story non-copies (false links)."""
    from storyline.crosscheck.independence import find_independence
    from storyline.ingest.clean import clean
    from storyline.records import Article, Extraction

    ids = sorted(texts)
    t0 = time.perf_counter()
    items = []
    for i in ids:
        m = meta.get(i) or {}
        art = Article(id=i, origin=i, text=texts[i], format="text", outlet=m.get("publisher"),
                      published=m.get("publication_date") or None)
        items.append((clean(art), Extraction(i)))
    t_clean = time.perf_counter() - t0
    embedder: object = False
    note = "content-word sentence matching (--no-embed)"
    if embed:
        try:
            from storyline.extract.embed import get_embedder

            embedder = _CountingEmbedder(get_embedder())
            note = f"sentence embeddings ({embedder.name})"
        except Exception as exc:  # noqa: BLE001 - a missing model degrades to lexical matching
            note = f"content-word sentence matching (no embedder: {exc.__class__.__name__})"
    t0 = time.perf_counter()
    result = find_independence(items, None, embedder=embedder)
    t_ind = time.perf_counter() - t0
    found = {tuple(sorted(p)) for g in result.groups for p in itertools.combinations(g, 2)}
    tp = found & gold
    p, r, f = _prf(len(tp), len(found), len(tp), len(gold))

    sim = pairwise_similarity([c.text for c, _ in items])
    days = [(meta.get(i) or {}).get("publication_date") or "" for i in ids]
    same_story: set[tuple[str, str]] = set()
    for x, y in zip(*np.nonzero(np.triu(sim >= SAME_STORY, 1)), strict=True):
        dx, dy = days[x][:10], days[y][:10]
        if dx and dy and abs(_days_between(dx, dy)) <= SAME_STORY_DAYS:
            pair = tuple(sorted((ids[x], ids[y])))
            if pair not in gold:
                same_story.add(pair)
    false_same = sorted(found & same_story)
    by_method = Counter(lk.method for lk in result.links)
    metrics = {
        "independence pair precision": p, "independence pair recall": r, "independence pair F1": f,
        "independence found pairs": len(found),
        "independence links minhash": by_method.get("minhash", 0),
        "independence links embedding": by_method.get("embedding", 0),
        "same-story non-copy pairs": len(same_story),
        "same-story false links": len(false_same),
        "independence seconds": round(t_ind, 2),
        "clean seconds": round(t_clean, 2),
    }
    if isinstance(embedder, _CountingEmbedder):
        metrics["embedded sentences"] = embedder.sentences
        metrics["embedding seconds"] = round(embedder.seconds, 2)
    errors: list[dict] = []
    if false_same:
        a, b = false_same[0]
        errors.append({
            "kind": "independence: same-story non-copy linked as a copy",
            "count": len(false_same),
            "example": f"{a} and {b}: TF-IDF cosine >= {SAME_STORY}, alignment cover "
                       f"{cover(texts[a], texts[b]):.2f}",
        })
    other_fp = sorted(found - gold - same_story)
    if other_fp:
        a, b = other_fp[0]
        errors.append({
            "kind": "independence: false copy outside the same-story pairs",
            "count": len(other_fp),
            "example": f"{a} and {b}: alignment cover {cover(texts[a], texts[b]):.2f}",
        })
    missed = sorted(gold - found)
    if missed:
        errors.append({
            "kind": "independence: missed copy", "count": len(missed), "example": f"{missed[0][0]} and {missed[0][1]}",
        })
    return metrics, errors, note


def _days_between(a: str, b: str) -> int:
    from datetime import date

    try:
        return (date.fromisoformat(a) - date.fromisoformat(b)).days
    except ValueError:
        return 10**6


def evaluate(split: str | None = None, embed: bool = True) -> dict:
    split = split or "all"
    if not (DATA / "metadata.tsv").is_file():
        return _absent(split, f"dataset absent: {DATA} not found")
    texts, meta = load(split)
    if not texts:
        return _absent(split, f"dataset absent: no texts for split {split!r} under {DATA}")
    t0 = time.perf_counter()
    gold = gold_pairs(texts)
    t_gold = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = [(i, texts[i], (meta.get(i) or {}).get("publication_date") or None) for i in sorted(texts)]
    groups, links = find_copies(rows)
    t_sys = time.perf_counter() - t0
    found: set[tuple[str, str]] = set()
    for g in groups:
        found.update(tuple(sorted(p)) for p in itertools.combinations(g.members, 2))
    gold_set = set(gold)
    tp = found & gold_set
    p, r, f = _prf(len(tp), len(found), len(tp), len(gold_set))

    def wire(i: str) -> str | None:
        return _wire((meta.get(i) or {}).get("wire"))

    wired = [i for i in texts if wire(i)]
    same_wire_pairs = sum(1 for a, b in itertools.combinations(wired, 2) if wire(a) == wire(b))
    wire_gold = {pr for pr in gold_set if wire(pr[0]) and wire(pr[0]) == wire(pr[1])}
    wire_found = {pr for pr in found if wire(pr[0]) and wire(pr[0]) == wire(pr[1])}
    wp, wr, wf = _prf(len(wire_found & wire_gold), len(wire_found), len(wire_found & wire_gold), len(wire_gold))
    link_sim = {tuple(sorted((lk.copy, lk.origin))): lk.similarity for lk in links}

    errors: list[dict] = []
    fps = sorted(found - gold_set)
    if fps:
        a, b = fps[0]
        errors.append({
            "kind": "false copy (grouped, but word alignment covers under half of the shorter text)",
            "count": len(fps),
            "example": f"{a} and {b}: containment {link_sim.get((a, b), 'via group')} from shared blocks "
                       f"(lists of related headlines, boilerplate), alignment cover {cover(texts[a], texts[b]):.2f}",
        })
    fns = sorted(gold_set - found)
    if fns:
        a, b = fns[0]
        sim = containment(shingles(texts[a]), shingles(texts[b]))[0]
        why = (
            f"containment {sim:.2f} is above the threshold but the pair never shared an LSH band "
            "(a short page against a long one: low Jaccard)"
            if sim >= DEFAULT_THRESHOLD
            else f"containment {sim:.2f} is below the threshold {DEFAULT_THRESHOLD} (reworded version)"
        )
        errors.append({
            "kind": "missed copy (aligned text, not grouped)",
            "count": len(fns),
            "example": f"{a} and {b}: alignment cover {gold[(a, b)]:.2f}; {why}",
        })
    same_pub = sum(1 for a, b in found if a.split("_")[0] == b.split("_")[0] and not wire(a))
    if same_pub:
        errors.append({
            "kind": "not an error: same outlet republishing its own story (update or print version)",
            "count": same_pub,
            "example": "one outlet ran a story on two consecutive days with a new headline; counted as one source",
        })
    metrics = {
        "pair precision": p, "pair recall": r, "pair F1": f,
        "wire-copy precision": wp, "wire-copy recall": wr, "wire-copy F1": wf,
        "gold copy pairs": len(gold_set), "found pairs": len(found), "wire-credit gold pairs": len(wire_gold),
        "same-wire-credit pairs (not copies)": same_wire_pairs - len(wire_gold),
        "articles": len(texts), "seconds": round(t_sys, 2),
    }
    planted, missed = synthetic(texts, meta)
    metrics.update(planted)
    ind_metrics, ind_errors, ind_note = independence(texts, meta, gold_set, embed=embed)
    metrics.update(ind_metrics)
    errors.extend(ind_errors)
    if missed:
        errors.append({
            "kind": "planted rewrite not grouped",
            "count": len(missed),
            "example": f"the rewrite of {missed[0]} was missed: when a rewrite keeps a small part of a long "
                       "original, their Jaccard similarity is low and they may never share an LSH band",
        })
    return {
        "benchmark": "syndication",
        "dataset": "PolNeAR (metadata.tsv wire credits + texts)",
        "split": split,
        "status": "ok",
        "metrics": metrics,
        "published": {},
        "goal": {"metric": "pair F1", "value": GOAL},
        "errors": errors,
        "notes": (
            f"Gold copy pairs: articles sharing >= {PREFILTER} 5-word shingles (exact inverted index) whose "
            f"difflib word alignment (runs >= {MIN_RUN} words) covers >= {GOLD_COVER:.0%} of the shorter text; "
            "this alignment is independent of the MinHash/containment system (it aligns in order, so a copy "
            "with reordered paragraphs scores lower and a heavily reordered copy could be missing from the "
            "gold and count against precision). Of "
            f"{same_wire_pairs} pairs of articles with the same wire credit, {len(wire_gold)} are copies "
            "(different stories from one wire service are not copies of each other). System pairs: pairs in one "
            "found group "
            f"(containment threshold {DEFAULT_THRESHOLD}: first set to 0.5 from the project's sample corpus, "
            "lowered to 0.4 after the synthetic check below showed rewrites at 0.48-0.6; the real pairs are the "
            "same at both values, and no PolNeAR pair that is not a copy scores between 0.25 and 0.5). "
            f"find_copies took {t_sys:.2f} s for {len(texts)} articles (gold alignment {t_gold:.1f} s). "
            "Synthetic check: every wire-credited article of 80+ words gets one planted light rewrite (lead "
            "kept, a third of the other paragraphs dropped, the rest shuffled, one word in "
            f"{REWORD_EVERY} replaced; fixed seed); rewrite recall = planted rewrites grouped with their original. "
            "No published system scores copy detection on PolNeAR. "
            f"find_independence ({ind_note}) is scored on the same gold pairs and on "
            f"{ind_metrics['same-story non-copy pairs']} same-story non-copy pairs (TF-IDF cosine >= {SAME_STORY}, "
            f"published <= {SAME_STORY_DAYS} days apart, not gold copies); it took "
            f"{ind_metrics['independence seconds']} s for {len(texts)} articles (cleaning excluded)."
        ),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="all", choices=("all", "train", "dev"))
    ap.add_argument("--json", dest="json_out", type=Path, default=None)
    ap.add_argument("--no-embed", action="store_true", help="match sentences by content words, no embeddings")
    args = ap.parse_args(argv)
    result = evaluate(args.split, embed=not args.no_embed)
    if result["status"] != "ok":
        print(f"syndication: {result['notes']}")
    else:
        print(f"syndication on PolNeAR ({result['split']}): {result['metrics']['articles']} articles")
        print(f"{'metric':<40} {'value':>8}")
        for k, v in result["metrics"].items():
            print(f"{k:<40} {v:>8}")
        for e in result["errors"]:
            print(f"- {e['kind']}: {e['count']} (e.g. {e['example']})")
    if args.json_out:
        write_json(args.json_out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
