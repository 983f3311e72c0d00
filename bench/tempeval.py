"""TempEval-3 Task A (timex extraction + normalisation) for storyline.dates.

Usage: python bench/tempeval.py [--split tbaq|platinum] [--json out.json] [--errors N]

Data: <repo>/../shared/datasets/tempeval3/ (tbaq/ for development, platinum/ for the final score only).
Strict match is approximated by identical character extents after trimming (TempEval uses token spans).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.dates import extract_dates  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "tempeval3"
PUBLISHED = {"HeidelTime": (90.30, 81.34, 77.61), "SUTime": (90.32, 79.57, 67.38)}

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class Doc:
    name: str
    dct: str | None
    text: str
    gold: tuple[Gold, ...]


def parse_tml(path: Path) -> Doc:
    raw = path.read_text(encoding="utf-8")
    dct = None
    m = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw)
    if m:
        attrs = dict(_ATTR.findall(m.group(1)))
        dct = attrs.get("value")
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    content = body.group(1) if body else ""
    out: list[str] = []
    pos = 0
    n = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    gold: list[Gold] = []
    for t in _TAG.finditer(content):
        seg = html.unescape(content[pos : t.start()])
        out.append(seg)
        n += len(seg)
        pos = t.end()
        if t.group(2) != "TIMEX3":
            continue
        if t.group(1):
            if open_timex:
                s, attrs = open_timex.pop()
                gold.append(Gold(s, n, "", attrs.get("type", ""), attrs.get("value", "")))
        elif not t.group(3).rstrip().endswith("/"):
            open_timex.append((n, dict(_ATTR.findall(t.group(3)))))
    seg = html.unescape(content[pos:])
    out.append(seg)
    text = "".join(out)
    gold = [Gold(g.start, g.end, text[g.start : g.end], g.type, g.value) for g in gold]
    return Doc(path.name, dct, text, tuple(sorted(gold, key=lambda g: g.start)))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _prf(tp_p: int, tp_r: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": round(100 * p, 2), "R": round(100 * r, 2), "F1": round(100 * f, 2)}


def evaluate(docs: list[Doc]) -> tuple[dict[str, object], dict[str, Counter[str]]]:
    n_gold = n_pred = 0
    relaxed_p = relaxed_r = strict = 0
    value_ok = type_ok = 0
    errors: dict[str, Counter[str]] = {"missed": Counter(), "spurious": Counter(), "wrong value": Counter()}
    words = 0
    elapsed = 0.0
    for d in docs:
        t0 = time.perf_counter()
        pred = extract_dates(d.text, d.dct[:10] if d.dct else None)
        elapsed += time.perf_counter() - t0
        words += len(d.text.split())
        n_gold += len(d.gold)
        n_pred += len(pred)
        used: set[int] = set()
        for g in d.gold:
            gs, ge = _trim(d.text, g.start, g.end)
            match = None
            for i, p in enumerate(pred):
                if p.span.start < ge and gs < p.span.end and i not in used:
                    match = i
                    break
            if match is None:
                errors["missed"][f"{g.text!r} {g.type} {g.value}"] += 1
                continue
            used.add(match)
            p = pred[match]
            relaxed_r += 1
            if _trim(d.text, p.span.start, p.span.end) == (gs, ge):
                strict += 1
            if p.value == g.value:
                value_ok += 1
            else:
                errors["wrong value"][f"{g.text!r}->{p.span.text!r} gold={g.value} got={p.value} ({p.rule})"] += 1
            if p.type == g.type:
                type_ok += 1
        for i, p in enumerate(pred):
            if i in used:
                continue
            if any(p.span.start < g.end and g.start < p.span.end for g in d.gold):
                relaxed_p += 1  # overlaps an already matched gold: counts as a relaxed-correct prediction
                continue
            errors["spurious"][f"{p.span.text!r} {p.type} {p.value} ({p.rule})"] += 1
        relaxed_p += len(used)
    scores: dict[str, object] = {
        "docs": len(docs),
        "gold": n_gold,
        "predicted": n_pred,
        "relaxed": _prf(relaxed_p, relaxed_r, n_pred, n_gold),
        "strict": _prf(strict, strict, n_pred, n_gold),
        "value": _prf(value_ok, value_ok, n_pred, n_gold),
        "type": _prf(type_ok, type_ok, n_pred, n_gold),
        "words": words,
        "words_per_s": round(words / elapsed) if elapsed else None,
    }
    return scores, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=["tbaq", "platinum"], default="tbaq")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--errors", type=int, default=15, help="how many of each error kind to print (tbaq)")
    args = ap.parse_args()
    folder = DATA / args.split
    if not folder.is_dir():
        print(f"TempEval-3 data absent ({folder}); nothing to evaluate.")
        return 0
    docs = [parse_tml(p) for p in sorted(folder.rglob("*.tml"))]
    scores, errors = evaluate(docs)
    print(f"TempEval-3 Task A on {args.split}: {scores['docs']} docs, {scores['gold']} gold, "
          f"{scores['predicted']} predicted, {scores['words_per_s']} words/s")
    print(f"{'system':<12} {'relaxed F1':>10} {'strict F1':>10} {'value F1':>10} {'type F1':>8}")
    r, s, v, t = (scores[k]["F1"] for k in ("relaxed", "strict", "value", "type"))  # type: ignore[index]
    print(f"{'storyline':<12} {r:>10.2f} {s:>10.2f} {v:>10.2f} {t:>8.2f}")
    for name, (pr, ps, pv) in PUBLISHED.items():
        print(f"{name:<12} {pr:>10.2f} {ps:>10.2f} {pv:>10.2f} {'':>8}")
    print(f"relaxed P/R {scores['relaxed']['P']}/{scores['relaxed']['R']}  "  # type: ignore[index]
          f"strict P/R {scores['strict']['P']}/{scores['strict']['R']}")  # type: ignore[index]
    if args.split == "tbaq":
        for kind, counter in errors.items():
            print(f"\n{kind}: {sum(counter.values())}")
            for item, count in counter.most_common(args.errors):
                print(f"  {count:4d}  {item}")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "scores": scores,
                                         "errors": {k: sum(c.values()) for k, c in errors.items()}}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
