"""Pipeline speed and memory benchmark.

Generates a synthetic corpus (bench/synthetic.py), then, for each corpus size, in
fresh subprocesses so peak memory is per measurement:

* reference: the raw spaCy pipeline (``nlp.pipe``) over the same article texts, with
  the same worker processes and batching as storyline uses;
* storyline: the whole per-article pipeline (ingest from files with a manifest, clean,
  parse, extract every stage, write to a fresh SQLite store), streaming;
* dossier: linking entities and building the dossier from the store (without cross-checking, which
  bench/crosscheck.py measures).

Prints a table and writes JSON (default bench/results/pipeline.json).  The ratio is
storyline words/s divided by reference words/s measured in the same run.  Peak memory
is reported for the main process while streaming (before the dossier), for the
largest worker, and for the main process after building the dossier.

    python bench/pipeline.py [--sizes 250,1000] [--workers 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
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


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(kids, 1)


def child(mode: str, folder: Path, workers: int) -> dict:
    from storyline.extract.nlp import load_nlp

    load_nlp()  # model load is not part of the throughput
    texts = sorted(folder.glob("article-*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in texts)
    t0 = time.perf_counter()
    if mode == "reference":
        from storyline.pipeline import run_batches

        tasks = ((p.name, p.read_text(encoding="utf-8"), None) for p in texts)
        n = sum(1 for _ in run_batches(tasks, workers=workers, mode="parse"))
        extra = {}
    elif mode == "storyline":
        from storyline.pipeline import analyze
        from storyline.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            result = analyze([str(folder)], store, workers=workers, dossier=False)
            n = len(result.article_ids)
            extra = {"failed": len(result.failures)}
            elapsed = time.perf_counter() - t0
            stream_peak, _ = _peak_mb()  # before the dossier, which holds every extraction at once
            extra["peak_stream_mb"] = stream_peak
            t1 = time.perf_counter()
            from storyline.pipeline import build_from_store

            dossier = build_from_store(store, result.article_ids, crosscheck=False)  # see bench/crosscheck.py
            extra["dossier_s"] = round(time.perf_counter() - t1, 2)
            extra["dossier_counts"] = {k: len(dossier.get(k, [])) for k in ("events", "quotes", "figures", "entities")}
            own, kids = _peak_mb()
            return {"mode": mode, "articles": n, "words": words, "seconds": round(elapsed, 2),
                    "peak_main_mb": own, "peak_worker_mb": kids, **extra}
    else:
        raise SystemExit(f"unknown mode {mode}")
    elapsed = time.perf_counter() - t0
    own, kids = _peak_mb()
    return {"mode": mode, "articles": n, "words": words, "seconds": round(elapsed, 2),
            "peak_main_mb": own, "peak_worker_mb": kids, **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="250,1000", help="comma-separated corpus sizes (articles)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", default=str(HERE / "results" / "pipeline.json"))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.workers)))
        return

    from synthetic import write_corpus

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            folder = Path(tmp) / f"corpus-{size}"
            write_corpus(folder, size)
            measured = {}
            for mode in ("reference", "storyline"):
                proc = subprocess.run(
                    [sys.executable, __file__, "--workers", str(args.workers), "--child", mode, str(folder)],
                    capture_output=True, text=True, check=False,
                )
                if proc.returncode != 0:
                    raise SystemExit(f"{mode} run failed:\n{proc.stderr[-3000:]}")
                measured[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
            ref, ours = measured["reference"], measured["storyline"]
            ref_wps = ref["words"] / ref["seconds"]
            our_wps = ours["words"] / ours["seconds"]
            rows.append({
                "articles": size,
                "words": ours["words"],
                "workers": args.workers,
                "reference_words_per_s": round(ref_wps),
                "storyline_words_per_s": round(our_wps),
                "storyline_articles_per_s": round(ours["articles"] / ours["seconds"], 1),
                "ratio": round(our_wps / ref_wps, 3),
                "reference_peak_mb": {"main": ref["peak_main_mb"], "worker": ref["peak_worker_mb"]},
                "storyline_peak_mb": {"main_streaming": ours.get("peak_stream_mb"), "main_with_dossier": ours["peak_main_mb"],
                                      "worker": ours["peak_worker_mb"]},
                "dossier_seconds": ours.get("dossier_s"),
                "failed": ours.get("failed", 0),
                "dossier_counts": ours.get("dossier_counts"),
            })
    header = f"{'articles':>8} {'words':>9} {'ref w/s':>8} {'ours w/s':>9} {'art/s':>6} {'ratio':>6} " \
             f"{'peak stream':>12} {'peak worker':>12} {'dossier s':>9} {'peak w/ dossier':>16}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['articles']:>8} {r['words']:>9} {r['reference_words_per_s']:>8} {r['storyline_words_per_s']:>9} "
              f"{r['storyline_articles_per_s']:>6} {r['ratio']:>6} {r['storyline_peak_mb']['main_streaming']:>9} MB "
              f"{r['storyline_peak_mb']['worker']:>9} MB {r['dossier_seconds']:>9} "
              f"{r['storyline_peak_mb']['main_with_dossier']:>13} MB")
    result = {
        "benchmark": "pipeline",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "date": time.strftime("%Y-%m-%d"),
        "rows": rows,
    }
    write_json(Path(args.json), result)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
