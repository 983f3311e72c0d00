"""Score storyline.quotes on PolNeAR attributions (source / cue / content spans, exact and overlap).

Usage: .venv/bin/python bench/polnear.py [--split dev|train] [--limit N] [--json FILE] [--data DIR]
                                          [--broad] [--cache DIR] [--show N]

--broad scores extract_attributions (speech + stance verbs, closer to PolNeAR's notion of attribution)
instead of extract_quotes.  Mentions for speaker keys come straight from doc.ents.  The reported time of
extract_quotes is compared with the time spaCy took to parse the same texts (without --cache).

Data: <repo>/../shared/datasets/polnear/{train,dev}/{text/*.txt, attributions/*.ann} (brat standoff).
One annotation per text: the first .ann in sorted order.  Gold and predicted spans are compared after
trimming whitespace, quote marks and edge punctuation (PolNeAR's direct-quote contents include the
marks; storyline's are inside them).  Precision counts predicted spans that match some gold span of
the same type; recall counts gold spans matched by some prediction.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from storyline.nlp import load_nlp  # noqa: E402
from storyline.quotes import extract_attributions, extract_quotes  # noqa: E402
from storyline.records import Mention, Span  # noqa: E402

CITRON = {"source": (82.0, 85.3), "cue": (82.3, 76.8), "content": (59.3, 83.3)}
_EDGE = " \t\n\"“”‘’'.,;:!?—–-()"


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    return s, e


def load_gold(ann: Path, text: str) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, tuple[str, int, int]] = {}
    gold: dict[str, list[tuple[int, int]]] = {"source": [], "cue": [], "content": []}
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, rng = parts[1].split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in rng.split(";")]
            spans[parts[0]] = (label, min(f[0] for f in frags), max(f[1] for f in frags))
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not line.startswith("E") or len(parts) < 2:
            continue
        args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a)
        for role, name in (("Source", "source"), ("Cue", "cue"), ("Content", "content")):
            tid = args.get(role)
            if tid in spans:
                _, s, e = spans[tid]
                s, e = trim(text, s, e)
                if s < e:
                    gold[name].append((s, e))
    return {k: sorted(set(v)) for k, v in gold.items()}


def mentions_from_ents(doc) -> list[Mention]:
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
    by_last: dict[str, str] = {}
    for e in ents:
        last = e.text.split()[-1] if e.text.split() else e.text
        if len(e.text) > len(by_last.get(last, "")):
            by_last[last] = e.text
    out = []
    for e in ents:
        last = e.text.split()[-1] if e.text.split() else e.text
        label = "PERSON" if e.label_ == "PERSON" else "ORG"
        out.append(Mention(Span(e.start_char, e.end_char, e.text), label, by_last.get(last, e.text)))
    return out


def match(pred: list[tuple[int, int]], gold: list[tuple[int, int]], overlap: bool) -> tuple[int, int]:
    """(#pred matched, #gold matched)."""
    gs = set(gold)
    starts = [g[0] for g in gold]

    def hit(s: int, e: int, pool: list[tuple[int, int]]) -> bool:
        if not overlap:
            return (s, e) in gs
        i = bisect_left(starts, e)
        return any(pool[j][1] > s for j in range(max(0, i - 50), i))

    mp = sum(1 for s, e in pred if hit(s, e, gold))
    ps = set(pred)
    pstarts = sorted(p[0] for p in ps)
    plist = sorted(ps)
    if overlap:
        mg = 0
        for s, e in gold:
            i = bisect_left(pstarts, e)
            mg += any(plist[j][1] > s for j in range(max(0, i - 50), i))
    else:
        mg = sum(1 for g in gold if g in ps)
    return mp, mg


def prf(mp: int, np_: int, mg: int, ng: int) -> dict[str, float]:
    p = mp / np_ if np_ else 0.0
    r = mg / ng if ng else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "datasets" / "polnear"))
    ap.add_argument("--show", type=int, default=0, help="print N missed gold cues")
    ap.add_argument("--broad", action="store_true", help="score extract_attributions (stance verbs too)")
    ap.add_argument("--cache", help="folder to keep parsed docs in (DocBin), for repeated runs")
    args = ap.parse_args(argv)
    root = Path(args.data) / args.split
    if not (root / "text").is_dir() or not (root / "attributions").is_dir():
        print(f"PolNeAR not found at {root}; nothing to score")
        return 0
    anns: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        base = ann.name[:-4].rsplit("_", 1)[0]
        anns.setdefault(base, ann)
    items = [
        (root / "text" / f"{b}.txt", a)
        for b, a in sorted(anns.items())
        if (root / "text" / f"{b}.txt").exists()
    ]
    if args.limit:
        items = items[: args.limit]
    nlp = load_nlp()
    texts = [p.read_text(encoding="utf-8") for p, _ in items]
    cache = Path(args.cache) / f"{args.split}-{len(items)}.spacy" if args.cache else None
    t0 = time.perf_counter()
    if cache is not None and cache.exists():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe(texts, batch_size=16))
        if cache is not None:
            from spacy.tokens import DocBin

            cache.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=docs, store_user_data=False).to_disk(cache)
    t_nlp = time.perf_counter() - t0
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # mp_x, mg_x, mp_o, mg_o, np, ng
    t_q = 0.0
    words = 0
    shown = 0
    for (_, ann), text, doc in zip(items, texts, docs, strict=True):
        words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        gold = load_gold(ann, text)
        ments = mentions_from_ents(doc)
        t1 = time.perf_counter()
        quotes = (extract_attributions if args.broad else extract_quotes)(doc, ments)
        t_q += time.perf_counter() - t1
        pred: dict[str, list[tuple[int, int]]] = {"source": [], "cue": [], "content": []}
        for q in quotes:
            if q.speaker is not None:
                pred["source"].append(trim(text, q.speaker.start, q.speaker.end))
            if q.cue is not None:
                pred["cue"].append(trim(text, q.cue.start, q.cue.end))
            pred["content"].append(trim(text, q.content.start, q.content.end))
        for k in pred:
            p = sorted({x for x in pred[k] if x[0] < x[1]})
            g = gold[k]
            mpx, mgx = match(p, g, False)
            mpo, mgo = match(p, g, True)
            c = counts[k]
            for i, v in enumerate((mpx, mgx, mpo, mgo, len(p), len(g))):
                c[i] += v
        if args.show and shown < args.show:
            ps = {x for x in pred["cue"]}
            for s, e in gold["cue"]:
                if not any(a < e and s < b for a, b in ps) and shown < args.show:
                    shown += 1
                    print("MISS cue:", repr(text[s:e]), "|", repr(text[max(0, s - 80) : e + 40]))
    fn = "extract_attributions" if args.broad else "extract_quotes"
    result: dict[str, object] = {"split": args.split, "function": fn, "texts": len(items), "words": words}
    print(f"PolNeAR {args.split} ({fn}): {len(items)} texts, {words} words")
    print(f"{'':8} {'exact P/R/F1':>20} {'overlap P/R/F1':>20}   Citron F1 exact/overlap")
    for k in ("source", "cue", "content"):
        mpx, mgx, mpo, mgo, np_, ng = counts[k]
        ex, ov = prf(mpx, np_, mgx, ng), prf(mpo, np_, mgo, ng)
        result[k] = {"exact": ex, "overlap": ov, "pred": np_, "gold": ng, "citron": CITRON[k]}
        print(
            f"{k:8} {ex['p']:6.1f}/{ex['r']:5.1f}/{ex['f1']:5.1f}  {ov['p']:6.1f}/{ov['r']:5.1f}/{ov['f1']:5.1f}"
            f"   {CITRON[k][0]:.1f} / {CITRON[k][1]:.1f}"
        )
    result["seconds_nlp"] = round(t_nlp, 2)
    result["seconds_quotes"] = round(t_q, 3)
    result["quotes_overhead_pct"] = round(100 * t_q / t_nlp, 2) if t_nlp else None
    print(f"spaCy {t_nlp:.1f}s, extract_quotes {t_q:.2f}s ({result['quotes_overhead_pct']}% of spaCy)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
