"""Scale: throughput, a fitted cost model, cross-check and dossier curves against story size, store rates.

Everything is measured in one run on one synthetic corpus (bench/synthetic.py: templates with varied invented
names, numbers and dates; deterministic for a given size).  Each measurement runs in a fresh subprocess so
that its peak memory (``ru_maxrss``) is its own.

* **throughput**: ``analyze`` of the whole corpus into a fresh SQLite store with one process, with local
  worker processes (``--workers``, default 2), and with a 2-worker Dask ``LocalCluster`` when ``analyze``
  takes a ``cluster`` argument (the row is skipped, with a message, otherwise).  Scaling efficiency =
  (one-process seconds / seconds) / workers; Dask overhead = Dask seconds / local-workers seconds - 1.
* **cost model**: on a subset, parse+extract in one process with batches of 16 and of 1 article gives the
  per-article and per-batch costs; re-saving stored records into a fresh store gives the store write cost;
  ingest and clean are timed alone (clean runs on the workers, with parse and extract; ingest and the write
  are the main process's share).  From
  these, the predicted time for 1,000,000 articles on 8, 32 and 128 workers (assumptions in the JSON).
* **crosscheck**: ``cross_check`` (lexical: no embedding model) on the first 100, 300, 1,000 articles of the
  stored corpus (``--full``: 100, 1,000, 10,000), CPU seconds (one process: other load on a shared machine does
  not count) per stage and peak memory, with the log-log exponent fitted on statements and on articles
  (goal <= 1.2), and per stage.
* **dossier**: the dossier (no cross-check) at the same sizes, three ways: ``memory`` (every article's records
  in a list, then ``build_dossier``: what ``analyze`` did before issue 15), ``store`` (``build_from_store`` as
  ``analyze`` runs it now: passes over the store, one article at a time, with what comes next and the
  sentences stored) and ``streamed`` (``stream_dossier``): seconds and peak memory above the process's
  baseline, with the fitted MB per article (the bound).
* **store**: insert (``Store.save``) and query (``Store.load`` by id) rates for SQLite; ``--db URL`` (for
  example ``postgresql://...``) adds a row for that backend when the store accepts it.

    python bench/scale.py [--corpus 1000] [--sizes 100,300,1000] [--workers 2] [--db URL] [--full] [--json FILE]
    python bench/scale.py --only throughput --corpus 600 [--repeat 2]   # the throughput rows alone
    python bench/scale.py --only curves --corpus 10000 --sizes 100,1000,10000 [--store S]   # the curves alone
    python bench/scale.py --only crosscheck --corpus 10000 --sizes 100,1000,10000 [--store S]  # its first curve

``--full`` is the size the issue names: a 20,000-article corpus and stories of 100, 1,000 and 10,000
articles (hours on the 2-core machine).  The default run stays under about ten minutes there.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402

PREDICT_ARTICLES = 1_000_000
PREDICT_WORKERS = (8, 32, 128)
MODEL_SUBSET = 96  # articles parsed twice (batches of 16 and of 1) to separate per-article and per-batch cost
STORE_ROWS = 300
DOSSIER_MODES = ("memory", "store", "streamed")  # every item in a list; build_from_store (analyze); stream_dossier  # articles re-saved and re-loaded to time the store


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


class RssSampler:
    """The peak resident memory (MB, sampled every 20 ms) of each stage named in ``stage`` while it is set."""

    def __init__(self) -> None:
        self.stage = "start"
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            stage, now = self.stage, _rss_mb()
            self.peaks[stage] = max(self.peaks.get(stage, 0.0), now)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _open_store(target: str) -> Any:
    """A store for a path or a database URL (``Store`` takes a ``postgresql://`` URL as a str)."""
    from storyline.store import Store

    return Store(target)


def has_cluster() -> bool:
    from storyline.pipeline import analyze

    return "cluster" in inspect.signature(analyze).parameters


# --------------------------------------------------------------------------- children (one measurement each)


def _stored(db: Path) -> int:
    """How many articles the store at ``db`` holds (0 when there is none)."""
    if not db.exists():
        return 0
    from storyline.store import Store

    with Store(db) as store:
        return len(store.article_ids())


def child_analyze(mode: str, folder: Path, db: Path, workers: int) -> dict:
    """analyze the corpus into a fresh store: mode one | local | dask."""
    from storyline.extract.nlp import load_nlp
    from storyline.pipeline import analyze
    from storyline.store import Store

    load_nlp()  # model load is not part of the throughput
    extra: dict[str, Any] = {}
    cluster = None
    if mode == "dask":
        from dask.distributed import LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        extra["cluster"] = cluster.scheduler_address
    try:
        with Store(db) as store:
            load = os.getloadavg()[0]
            t0, c0 = time.perf_counter(), time.process_time()
            result = analyze([str(folder)], store, workers=1 if mode == "one" else workers, dossier=False, **extra)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        if cluster is not None:
            cluster.close()
    return {"mode": mode, "articles": len(result.article_ids), "failed": len(result.failures),
            "seconds": round(seconds, 2), "main_cpu_s": round(cpu, 2), "load_before": round(load, 2),
            "peak_mb": _peak_mb()}


def child_model(db: Path, folder: Path, subset: int) -> dict:
    """Per-article costs, in CPU seconds of one process (other load on the machine does not count): parse and
    extract (batches of 16 and of 1 give the per-article and per-batch parts), ingest, clean, and the SQLite
    write (wall seconds: it waits on the disk)."""
    from storyline.extract.nlp import load_nlp
    from storyline.ingest.clean import clean as clean_article
    from storyline.ingest.ingest import iter_articles
    from storyline.pipeline import run_batches
    from storyline.store import Store

    with Store(db) as store:
        ids = store.article_ids()[:subset]
        items = list(store.iter_loaded(ids))
    tasks = [(c.article.id, c.text, c.article.published) for c, _ in items]
    load_nlp()
    timed: dict[int, float] = {}
    for size in (16, 1):
        c0 = time.process_time()
        for _ in run_batches(iter(tasks), workers=1, batch_size=size, time_budget=None):
            pass
        timed[size] = time.process_time() - c0
    n = len(tasks)
    batches16 = math.ceil(n / 16)
    per_batch = max(0.0, (timed[1] - timed[16]) / (n - batches16))
    c0 = time.process_time()
    ingested = sum(1 for _ in iter_articles([str(folder)]))
    ingest = (time.process_time() - c0) / max(1, ingested)
    c0 = time.process_time()
    for c, _ in items:
        clean_article(c.article)
    clean = (time.process_time() - c0) / max(1, n)
    return {"articles": n, "cpu_batch16_s": round(timed[16], 3), "cpu_batch1_s": round(timed[1], 3),
            "per_article_s": (timed[16] - per_batch * batches16) / n, "per_batch_s": per_batch,
            "ingest_per_article_s": ingest, "clean_per_article_s": clean,
            "write_per_article_s": _write_seconds(items)}


def _write_seconds(items: Sequence[Any], target: str | None = None) -> float:
    from storyline.pipeline import pipeline_signature

    signature = pipeline_signature()
    with tempfile.TemporaryDirectory() as tmp, _open_store(target or str(Path(tmp) / "w.db")) as store:
        t0 = time.perf_counter()
        for clean, ext in items:
            store.save(clean, ext, signature)
        return (time.perf_counter() - t0) / max(1, len(items))


def child_store(db: Path, target: str | None, rows: int) -> dict:
    """Insert and query rates: save ``rows`` stored articles into a fresh store, then load each by id."""
    from storyline.pipeline import pipeline_signature
    from storyline.store import Store

    with Store(db) as store:
        items = list(store.iter_loaded(store.article_ids()[:rows]))
    signature = pipeline_signature()
    with tempfile.TemporaryDirectory() as tmp:
        where = target or str(Path(tmp) / "rates.db")
        with _open_store(where) as out:
            t0 = time.perf_counter()
            for clean, ext in items:
                out.save(clean, ext, signature)
            inserted = time.perf_counter() - t0
            ids = [c.article.id for c, _ in items]
            t0 = time.perf_counter()
            loaded = sum(1 for _ in out.iter_loaded(ids))
            queried = time.perf_counter() - t0
            t0 = time.perf_counter()
            for aid in ids:
                out.has_extraction(aid, signature)
            checked = time.perf_counter() - t0
    backend = "sqlite" if target is None else target.split(":", 1)[0]
    return {"backend": backend, "rows": len(items), "inserts_per_s": round(len(items) / inserted, 1),
            "loads_per_s": round(loaded / queried, 1), "lookups_per_s": round(len(ids) / checked, 1)}


def child_crosscheck(db: Path, size: int) -> dict:
    from storyline.crosscheck.stage import cross_check
    from storyline.extract.entities import link_entities
    from storyline.store import Store

    with Store(db) as store:
        items = list(store.iter_loaded(store.article_ids()[:size]))
    index = link_entities((c, e.mentions) for c, e in items)
    base = _rss_mb()
    marks: list[tuple[str, float]] = []
    with RssSampler() as rss:

        def progress(stage: str, _detail: str) -> None:
            marks.append((stage, time.process_time()))
            rss.stage = stage

        t0, c0 = time.perf_counter(), time.process_time()
        result = cross_check(items, index, embedder=False, progress=progress)
        end, cpu = time.perf_counter(), time.process_time()
    stages: dict[str, float] = {}
    for (stage, at), (_n, until) in zip(marks, [*marks[1:], ("end", cpu)], strict=True):
        stages[stage] = round(stages.get(stage, 0.0) + until - at, 2)
    return {"articles": len(items), "statements": len(result.statements), "seconds": round(end - t0, 2),
            "cpu_s": round(cpu - c0, 2), "stages_cpu_s": stages, "baseline_mb": base, "peak_mb": _peak_mb(),
            "stages_peak_rss_mb": rss.peaks,
            "claims": len(result.claims), "conflicts": len(result.conflicts)}


def child_dossier(db: Path, size: int, mode: str = "store") -> dict:
    """Build the dossier of the first ``size`` stored articles (no cross-check).  mode: ``store`` is what
    analyze does today (``build_from_store``: every item in memory, plus what comes next); ``memory`` is
    ``build_dossier`` over a list of every item; ``streamed`` is ``stream_dossier`` (one item at a time)."""
    import storyline.output.dossier
    import storyline.pipeline
    import storyline.reader.ask
    import storyline.reader.stories
    import storyline.reader.whatsnext  # noqa: F401 - code loaded before the baseline: each mode's data is measured
    from storyline.store import Store

    with Store(db) as store:
        ids = store.article_ids()[:size]
        store.conn.execute("DELETE FROM sentences")  # every mode stores the sentences afresh (another mode ran)
        base = _rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        dossier = _dossier(store, ids, mode)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    items = sum(len(dossier.get(k, [])) for k in ("events", "quotes", "figures", "dates"))
    return {"articles": len(ids), "mode": mode, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "baseline_mb": base,
            "peak_mb": _peak_mb(), "over_baseline_mb": round(_peak_mb() - base, 1), "dossier_items": items}


def _dossier(store: Any, ids: list[str], mode: str) -> dict:
    if mode == "store":
        from storyline.pipeline import build_from_store

        return build_from_store(store, ids, crosscheck=False, embeddings=False)
    from storyline.output.dossier import build_dossier, stream_dossier

    if mode == "streamed":
        wanted = set(ids)
        return stream_dossier(store.iter_loaded, [(s.id, s.published) for s in store.sources() if s.id in wanted])
    from storyline.extract.entities import link_entities
    from storyline.reader.stories import save_sentences
    from storyline.reader.whatsnext import find_next

    items = list(store.iter_loaded(ids))  # build_from_store before issue 15: every item in a list
    index = link_entities((c, e.mentions) for c, e in items)
    next_items = find_next(items, index)
    save_sentences(store, items)
    return build_dossier(items, index, next_items=next_items)


# --------------------------------------------------------------------------- fitting


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Least-squares slope of log y against log x (None with fewer than two usable points)."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    var = sum((p[0] - mx) ** 2 for p in pts)
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / var, 3) if var else None


def linear_slope(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float] | None:
    """(slope, intercept) of the least-squares line y = slope * x + intercept."""
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    if not var:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var
    return slope, my - slope * mx


def cost_model(model: dict, one: dict, batch: int = 16) -> dict:
    """Fit the per-article costs and predict 1,000,000 articles on 8, 32 and 128 workers."""
    n = one["articles"]
    # clean + parse + extract, per article, on one core (cleaning runs on the workers)
    worker = model["per_article_s"] + model["per_batch_s"] / batch + model["clean_per_article_s"]
    write = model["write_per_article_s"]
    main = model["ingest_per_article_s"] + write  # the main process, per article
    predictions = []
    for w in PREDICT_WORKERS:
        parallel = PREDICT_ARTICLES * worker / w
        one_writer = PREDICT_ARTICLES * main  # SQLite: one main process ingests and writes in turn
        spread = PREDICT_ARTICLES * (worker + main - write) / w  # ingest on the workers too
        writes = PREDICT_ARTICLES * write / min(w, 8)  # a shared store taking up to 8 writers at once
        predictions.append({
            "workers": w,
            "sqlite_one_writer_h": round(max(parallel, one_writer) / 3600, 2),
            "distributed_clean_h": round(max(spread, writes) / 3600, 2),
        })
    return {
        "per_article_s": round(model["per_article_s"], 5),
        "per_batch_s": round(model["per_batch_s"], 5),
        "ingest_per_article_s": round(model["ingest_per_article_s"], 5),
        "clean_per_article_s": round(model["clean_per_article_s"], 5),
        "write_per_article_s": round(write, 5),
        "main_per_article_s": round(main, 5),
        "worker_per_article_s": round(worker, 5),
        "one_process_predicted_cpu_s": round(n * (worker + main), 1),
        "one_process_measured_cpu_s": one.get("main_cpu_s"),
        "predicted_1m": predictions,
        "assumptions": [
            "costs are CPU seconds of one process measured here (the SQLite write: wall seconds), so other load "
            "on the machine does not inflate them; one_process_predicted_cpu_s against one_process_measured_cpu_s "
            "checks the model on the one-process run;",
            "each worker has its own core and runs clean+parse+extract at that rate (per-article cost + "
            "per-batch overhead / 16 + clean);",
            "sqlite_one_writer_h: the main process ingests and writes every article (SQLite has one writer), "
            "overlapped with the workers: time = max(workers' share, main process's share);",
            "distributed_clean_h: ingest runs on the workers too and a shared store (PostgreSQL) takes up to 8 "
            "concurrent writers at the SQLite write cost each: time = max(workers' share of ingest, clean, "
            "parse and extract; writes / min(workers, 8));",
            "no network transfer, scheduler or model-loading cost (model load: once per worker, seconds); "
            "articles like the synthetic ones (about 260 words).",
        ],
    }


# --------------------------------------------------------------------------- the run


def _run(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{args[0]} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child(args: argparse.Namespace) -> dict:
    kind, *rest = args.child
    if kind == "analyze":
        return child_analyze(rest[0], Path(rest[1]), Path(rest[2]), args.workers)
    if kind == "model":
        return child_model(Path(rest[0]), Path(rest[1]), MODEL_SUBSET)
    if kind == "store":
        return child_store(Path(rest[0]), rest[1] if len(rest) > 1 else None, STORE_ROWS)
    if kind == "crosscheck":
        return child_crosscheck(Path(rest[0]), int(rest[1]))
    if kind == "dossier":
        return child_dossier(Path(rest[0]), int(rest[1]), *rest[2:])
    raise SystemExit(f"unknown child {kind}")


def throughput(folder: Path, tmp: Path, workers: int, repeat: int = 1) -> tuple[list[dict], Path]:
    """One row per mode: the fastest of ``repeat`` interleaved runs (other load on a shared machine only
    slows a run down), each into a fresh store."""
    modes = ["one", "local"]
    if has_cluster():
        modes.append("dask")
    else:
        print("dask row skipped: storyline.pipeline.analyze takes no cluster argument yet")
    best: dict[str, dict] = {}
    for attempt in range(repeat):
        for mode in modes:
            db = tmp / f"{mode}-{attempt}.db"
            got = _run("analyze", mode, str(folder), str(db))
            got["runs_s"] = [*best.get(mode, {}).get("runs_s", []), got["seconds"]]
            if mode not in best or got["seconds"] < best[mode]["seconds"]:
                best[mode] = got
            best[mode]["runs_s"] = got["runs_s"]
            print(f"  analyze {mode}: {got['articles']} articles in {got['seconds']} s", flush=True)
    rows = [best[m] for m in modes]
    one = rows[0]
    for r in rows:
        r["articles_per_s"] = round(r["articles"] / r["seconds"], 2)
        r["workers"] = 1 if r["mode"] == "one" else workers
        r["scaling_efficiency"] = round(one["seconds"] / r["seconds"] / r["workers"], 3)
    local = next(r for r in rows if r["mode"] == "local")
    for r in rows:
        if r["mode"] == "dask":
            r["overhead_vs_local"] = round(r["seconds"] / local["seconds"] - 1, 3)
    return rows, tmp / "one-0.db"


def curves(db: Path, sizes: Sequence[int], dossier: bool = True) -> tuple[list[dict], list[dict]]:
    cross, doss = [], []
    for size in sizes:
        cross.append(_run("crosscheck", str(db), str(size)))
        print(f"  crosscheck {size}: {cross[-1]['cpu_s']} CPU s, peak {cross[-1]['peak_mb']} MB", flush=True)
        for mode in DOSSIER_MODES if dossier else ():
            doss.append(_run("dossier", str(db), str(size), mode))
            print(f"  dossier {size} {mode}: {doss[-1]['cpu_s']} CPU s, +{doss[-1]['over_baseline_mb']} MB", flush=True)
    return cross, doss


def summarize(cross: list[dict], doss: list[dict]) -> dict:
    fit: dict[str, Any] = {}
    for mode in DOSSIER_MODES:
        rows = [d for d in doss if d["mode"] == mode]
        mb = linear_slope([d["articles"] for d in rows], [d["over_baseline_mb"] for d in rows])
        fit[f"dossier_{mode}_cpu_exponent"] = loglog_slope([d["articles"] for d in rows], [d["cpu_s"] for d in rows])
        fit[f"dossier_{mode}_mb_per_article"] = round(mb[0], 4) if mb else None
        fit[f"dossier_{mode}_mb_fixed"] = round(mb[1], 1) if mb else None
    return {
        "crosscheck_exponent_statements": loglog_slope([c["statements"] for c in cross], [c["cpu_s"] for c in cross]),
        "crosscheck_exponent_articles": loglog_slope([c["articles"] for c in cross], [c["cpu_s"] for c in cross]),
        "crosscheck_memory_exponent": loglog_slope([c["articles"] for c in cross],
                                                   [max(1.0, c["peak_mb"] - c["baseline_mb"]) for c in cross]),
        "crosscheck_stage_exponents": {
            stage: loglog_slope([c["articles"] for c in cross], [c["stages_cpu_s"].get(stage, 0.0) for c in cross])
            for stage in (cross[0]["stages_cpu_s"] if cross else {})
        },
        **fit,
    }


def print_throughput(rows: list[dict]) -> None:
    print(f"\n{'mode':>6} {'workers':>7} {'articles':>8} {'seconds':>8} {'art/s':>7} {'efficiency':>10} {'overhead':>8}"
          f" {'load':>5}")
    for r in rows:
        print(f"{r['mode']:>6} {r['workers']:>7} {r['articles']:>8} {r['seconds']:>8} {r['articles_per_s']:>7} "
              f"{r['scaling_efficiency']:>10} {r.get('overhead_vs_local', ''):>8} {r['load_before']:>5}")


def print_tables(result: dict) -> None:
    print_throughput(result["throughput"])
    m = result["cost_model"]
    print(f"\ncost per article: parse+extract {m['per_article_s'] * 1000:.1f} ms, per batch {m['per_batch_s'] * 1000:.1f}"
          f" ms, ingest {m['ingest_per_article_s'] * 1000:.1f} ms, clean {m['clean_per_article_s'] * 1000:.1f} ms, "
          f"SQLite write {m['write_per_article_s'] * 1000:.2f} ms; one process: model "
          f"{m['one_process_predicted_cpu_s']} CPU s, measured {m['one_process_measured_cpu_s']} CPU s")
    for p in m["predicted_1m"]:
        print(f"  1,000,000 articles on {p['workers']:>3} workers: {p['sqlite_one_writer_h']} h (SQLite, one writer), "
              f"{p['distributed_clean_h']} h (ingest on workers, shared store)")
    print(f"\n{'articles':>8} {'statements':>10} {'xc CPU s':>8} {'xc peak MB':>10}", end="")
    print("".join(f" {m + ' CPU s':>15} {m + ' +MB':>12}" for m in DOSSIER_MODES))
    for c in result["crosscheck"]:
        print(f"{c['articles']:>8} {c['statements']:>10} {c['cpu_s']:>8} {c['peak_mb']:>10}", end="")
        for m in DOSSIER_MODES:
            d = next(d for d in result["dossier"] if d["articles"] == c["articles"] and d["mode"] == m)
            print(f" {d['cpu_s']:>15} {d['over_baseline_mb']:>12}", end="")
        print()
    print(f"fit: {result['fit']}")
    print(f"\n{'backend':>10} {'rows':>5} {'inserts/s':>9} {'loads/s':>8} {'lookups/s':>9}")
    for s in result["store"]:
        print(f"{s['backend']:>10} {s['rows']:>5} {s['inserts_per_s']:>9} {s['loads_per_s']:>8} {s['lookups_per_s']:>9}")


def _header(name: str, args: argparse.Namespace, words: int) -> dict:
    return {
        "benchmark": name,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "corpus": {"articles": args.corpus, "words": words, "generator": "bench/synthetic.py seed 7"},
    }


def _write_throughput(args: argparse.Namespace, words: int, rows: list[dict], started: float) -> None:
    """``--only throughput``: its table and JSON alone."""
    result = {
        **_header("scale-throughput", args, words),
        "throughput": rows,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print_throughput(rows)
    write_json(Path(args.json), result)
    print(f"wrote {args.json} ({result['seconds']} s)")


def _write_curves(args: argparse.Namespace, words: int, cross: list[dict], doss: list[dict], started: float) -> None:
    """``--only curves``: the cross-check and dossier curves alone."""
    result = {
        **_header("scale-curves", args, words),
        "crosscheck": cross,
        "dossier": doss,
        "fit": summarize(cross, doss),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result["fit"], indent=1))
    write_json(Path(args.json), result)
    print(f"wrote {args.json} ({result['seconds']} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=int, default=1000, help="articles in the synthetic corpus")
    parser.add_argument("--sizes", default="100,300,1000", help="story sizes for the cross-check and dossier curves")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="throughput runs per mode (the fastest counts)")
    parser.add_argument("--db", action="append", default=[], help="another store (a database URL) for the rates")
    parser.add_argument("--full", action="store_true", help="the issue's sizes: 20,000 articles; 100, 1,000, 10,000")
    parser.add_argument("--only", choices=["throughput", "curves", "crosscheck"],
                        help="run only this part (its JSON: scale-<part>.json); curves: one analyze with local "
                             "workers, then the cross-check and dossier curves; crosscheck: the cross-check curve")
    parser.add_argument("--json", default=None, help="where the results go (default bench/results/scale.json)")
    parser.add_argument("--store", default=None,
                        help="with --only curves or crosscheck: a store that already holds this corpus analysed (it is analysed "
                             "into it when the store is missing or empty; the dossier runs rewrite its sentences)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    if args.full:
        args.corpus, args.sizes = max(args.corpus, 20_000), "100,1000,10000"
    sizes = [s for s in (int(x) for x in args.sizes.split(",") if x) if s <= args.corpus]
    args.json = args.json or str(HERE / "results" / (f"scale-{args.only}.json" if args.only else "scale.json"))

    from synthetic import write_corpus

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = tmp / "corpus"
        words = write_corpus(folder, args.corpus)
        print(f"corpus: {args.corpus} articles, {words} words", flush=True)
        if args.only in ("curves", "crosscheck"):
            db = Path(args.store) if args.store else tmp / "curves.db"
            if _stored(db) != args.corpus:
                analysed = _run("analyze", "local", str(folder), str(db))
                print(f"analysed: {analysed}", flush=True)
            cross, doss = curves(db, sizes, dossier=args.only == "curves")
            _write_curves(args, words, cross, doss, started)
            return
        rows, db = throughput(folder, tmp, args.workers, args.repeat)
        if args.only == "throughput":
            _write_throughput(args, words, rows, started)
            return
        model = cost_model(_run("model", str(db), str(folder)), rows[0])
        cross, doss = curves(db, sizes)
        stores = [_run("store", str(db))] + [_run("store", str(db), url) for url in args.db]
    result = {
        **_header("scale", args, words),
        "throughput": rows,
        "cost_model": model,
        "crosscheck": cross,
        "dossier": doss,
        "fit": summarize(cross, doss),
        "store": stores,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print_tables(result)
    write_json(Path(args.json), result)
    print(f"wrote {args.json} ({result['seconds']} s)")


if __name__ == "__main__":
    main()
