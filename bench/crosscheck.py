"""Cross-checking speed: how long comparing the sources of one story takes, stage by stage.

For each corpus size a synthetic story (bench/synthetic.py: invented outlets, people, roles, figures and dates
recurring across articles, so every stage has work) is analysed into a fresh store, then, in a fresh subprocess
per measurement:

* reference: the raw spaCy pipeline over the same texts in this process (``nlp.pipe``, one core): the cost a
  user already pays for one reading of the articles;
* crosscheck: ``storyline.crosscheck.stage.cross_check`` on the stored articles, with sentence embeddings
  (the default) and without (``--no-embeddings``), timed per stage.

Prints a table and writes JSON (default bench/results/crosscheck.json).  ``ratio`` is cross-check articles/s
divided by the raw spaCy articles/s measured in the same run (above 1: cross-checking costs less than one parse).

    python bench/crosscheck.py [--sizes 100,1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(mode: str, db: Path) -> dict:
    from storyline.extract.entities import link_entities
    from storyline.store import Store

    with Store(db) as store:
        ids = [r.id for r in store.sources()]
        items = list(store.iter_loaded(ids))
    words = sum(e.words for _, e in items)
    if mode == "reference":
        from storyline.extract.nlp import load_nlp

        nlp = load_nlp()
        texts = [c.text for c, _ in items]
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        return {"mode": mode, "articles": len(items), "words": words, "seconds": round(time.perf_counter() - t0, 2),
                "peak_mb": _peak_mb()}
    from storyline.crosscheck.stage import cross_check

    embedder = False
    if mode == "embeddings":
        from storyline.extract.embed import get_embedder

        embedder = get_embedder()
        embedder.encode(["warm up"])  # model load is not part of the throughput
    index = link_entities((c, e.mentions) for c, e in items)
    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    result = cross_check(items, index, embedder=embedder, progress=lambda stage, _d: marks.append((stage, time.perf_counter())))
    end = time.perf_counter()
    stages: dict[str, float] = {}
    for (stage, at), (_next, until) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        stages[stage] = round(stages.get(stage, 0.0) + until - at, 2)
    return {
        "mode": mode,
        "articles": len(items),
        "words": words,
        "seconds": round(end - t0, 2),
        "stages": stages,
        "peak_mb": _peak_mb(),
        "found": {
            "statements": len(result.statements),
            "claims": len(result.claims),
            "corroborated": sum(1 for c in result.claims if c.status == "corroborated"),
            "conflicts": len(result.conflicts),
            "errors": len(result.errors),
            "series": len(result.series),
            "copy_groups": len(result.independence.groups),
        },
    }


def _run(mode: str, db: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(db)], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (articles)")
    parser.add_argument("--modes", default="embeddings,lexical", help="cross-check modes to time")
    parser.add_argument("--json", default=str(HERE / "results" / "crosscheck.json"))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return

    from storyline.pipeline import analyze
    from storyline.store import Store
    from synthetic import write_corpus

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            folder, db = Path(tmp) / f"corpus-{size}", Path(tmp) / f"store-{size}.db"
            write_corpus(folder, size)
            with Store(db) as store:
                analyze([str(folder)], store, dossier=False)
            ref = _run("reference", db)
            ref_aps = ref["articles"] / ref["seconds"]
            for mode in [m for m in args.modes.split(",") if m]:
                got = _run(mode, db)
                aps = got["articles"] / got["seconds"] if got["seconds"] else float("inf")
                rows.append({
                    "articles": size,
                    "mode": mode,
                    "words": got["words"],
                    "seconds": got["seconds"],
                    "articles_per_s": round(aps, 1),
                    "reference_articles_per_s": round(ref_aps, 1),
                    "ratio": round(aps / ref_aps, 3),
                    "stages_s": got["stages"],
                    "peak_mb": got["peak_mb"],
                    "found": got["found"],
                })
    header = f"{'articles':>8} {'mode':>10} {'seconds':>8} {'art/s':>7} {'spaCy art/s':>11} {'ratio':>6} " \
             f"{'peak MB':>8}  slowest stages"
    print(header)
    print("-" * len(header))
    for r in rows:
        slow = ", ".join(f"{k} {v}s" for k, v in sorted(r["stages_s"].items(), key=lambda kv: -kv[1])[:3])
        print(f"{r['articles']:>8} {r['mode']:>10} {r['seconds']:>8} {r['articles_per_s']:>7} "
              f"{r['reference_articles_per_s']:>11} {r['ratio']:>6} {r['peak_mb']:>8}  {slow}")
    result = {
        "benchmark": "crosscheck",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "rows": rows,
    }
    write_json(Path(args.json), result)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
