"""``watch``: the time to absorb new articles into a store of stories, against a full rebuild.

One synthetic corpus of many invented stories (``synthetic.generate_stories``: 20 to 30 articles each, spread
over a year; deterministic for its size and seed) is split by publication date: the first N articles are the
store, the latest ``--new`` (100) are what a feed delivers next.  Each step runs in a fresh child process
(``nice -n 10``), on SQLite stores in a temporary folder, with the settings ``storyline watch`` uses
(embeddings on unless ``--no-embeddings``; local worker processes, one per core):

1. **setup** (timed apart, "initial build"): ``analyze --split-stories`` of the N articles (as Markdown files
   with their dates in front matter), every story built and saved as ``storyline analyze`` saves it; then the
   watch state a previous pass would leave: the folder's files as seen, the story profiles seeded
   (``seed_profiles``, timed: the first ``watch`` pass after an ``analyze`` pays it once).
2. **A, incremental**: the new files are copied into the folder and one ``watch --once`` pass runs
   (``storyline.cli._watch_pass`` with the watch's ``pipeline.StoryRebuilder``: poll, ingest + parse + extract
   the new articles while the sentence model loads in its own process, assign them, rebuild and save the
   changed stories while that process encodes their new sentences ahead).  Stage split: ingest/extract
   (``pipeline.analyze``), assignment (``follow`` less its rebuilds), rebuild (the dossier builds; of which
   ``embedder_wait_s``, the time they waited for the model's process) and save (``save_story``); the rest is
   polling and the watch state.  A second A on another copy ("models warm") starts the model's process and
   waits for its model before the pass, as a running ``watch --every`` has it after its first pass.
3. **B, full rebuild**: on a copy of the store after A (every extraction stored, nothing re-parsed),
   ``analyze --split-stories`` over the whole folder: re-cluster everything, rebuild and save every story.
4. Agreement: B-cubed F1 between A's and B's story memberships (all articles, and the new ones), each against
   the generator's gold stories, and for each story A rebuilt whose article set B also built, whether the
   stored dossier sections are equal.
5. **curve**: one story of m articles (25, 100, 400; built and saved first), k new articles (1, 10) absorbed
   by ``follow``; seconds of the update, of which the rebuild.

    python bench/absorb.py [--n 2000] [--new 100] [--full] [--no-embeddings] [--curve 25,100,400] [--repeat 1]
                           [--workdir DIR] [--json FILE]

``--full``: N = 20,000 (the issue's size; hours on the 2-core machine).  Results: bench/results/absorb.json
(``--full``: absorb_full.json).  ``--workdir DIR`` keeps the stores in DIR and reuses a finished setup found
there, so A and B can be measured again (after a change to ``watch``) without the initial build.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402

GOAL_RATIO = 20.0
CURVE_KS = (1, 10)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Clock:
    """Seconds spent inside wrapped callables, by name."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - t0

        return timed


@contextmanager
def patched(owner: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, old)


# --------------------------------------------------------------------------- what the store holds


def memberships(store: Any) -> dict[str, str]:
    """article id -> story id for every stored story."""
    return {aid: s.id for s in store.stories() for aid in store.story_article_ids(s.id)}


def section_hashes(store: Any, story_id: str) -> dict[str, str]:
    """A digest per stored section of a story (``generated_by`` left out: it names the run)."""
    out = {}
    for name in store.story_section_names(story_id):
        data = store.story_section(story_id, name)
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "generated_by"}
        if name == "generated_by":
            continue
        out[name] = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return out


def origins(store: Any) -> dict[str, str]:
    """article id -> the file name it came from."""
    return {s.id: Path(s.origin).name for s in store.sources()}


def save_split(store: Any, result: Any) -> list[tuple[str, int]]:
    """Save ``analyze(split_stories=True)``'s stories exactly as ``storyline analyze`` does (cli.analyze)."""
    from storyline.reader.stories import save_stories

    return save_stories(store, result.stories)


def full_analyze(store: Any, folder: Path, embeddings: bool, workers: int | None) -> dict:
    """``storyline analyze FOLDER --split-stories`` into ``store``: seconds, split by stage."""
    from storyline.pipeline import analyze

    marks: dict[str, float] = {}

    def progress(event: str, detail: str) -> None:
        if event == "stage" and detail.startswith("grouping"):
            marks.setdefault("grouped", time.perf_counter())
        elif event == "stage" and detail.startswith("building the dossier of") and "grouped" in marks:
            marks.setdefault("clustered", time.perf_counter())

    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    result = analyze([str(folder)], store, split_stories=True, embeddings=embeddings, workers=workers, progress=progress)
    built = time.perf_counter()
    saved = save_split(store, result)
    end, cpu = time.perf_counter(), time.process_time() - c0
    grouped, clustered = marks.get("grouped", built), marks.get("clustered", built)
    return {
        "seconds": round(end - t0, 2),
        "main_cpu_s": round(cpu, 2),  # this process only (not the extraction workers)
        "ingest_extract_s": round(grouped - t0, 2),
        "cluster_s": round(clustered - grouped, 2),
        "build_s": round(built - clustered, 2),
        "save_s": round(end - built, 2),
        "articles": len(result.article_ids),
        "processed": result.processed,
        "reused": result.reused,
        "failures": len(result.failures),
        "stories": len(saved),
        "largest_story": max((n for _, n in saved), default=0),
        "load_before": round(load, 2),
    }


# --------------------------------------------------------------------------- children


def child_setup(db: Path, folder: Path, embeddings: bool, workers: int | None) -> dict:
    from storyline.crosscheck.assign import Assigner
    from storyline.ingest.watch import Watcher, WatchState
    from storyline.reader.follow import seed_profiles
    from storyline.store import Store

    with Store(db) as store:
        row = full_analyze(store, folder, embeddings, workers)
        state = WatchState.load(Path(f"{store.path}.watch.json"))
        Watcher(state).poll([str(folder)])  # the files a previous pass has seen
        assigner = Assigner()
        t0 = time.perf_counter()
        seed_profiles(store, assigner)
        row["seed_profiles_s"] = round(time.perf_counter() - t0, 2)
        state.extra["assign"] = assigner.to_json()
        state.save()
        row["members"] = memberships(store)
        row["origins"] = origins(store)
    row["peak_mb"] = _peak_mb()
    return row


def child_incremental(db: Path, folder: Path, embeddings: bool, warm: bool = False) -> dict:
    """One ``storyline watch FOLDER --once`` pass (cli._watch_pass with the watch's StoryRebuilder), with each
    stage timed.  ``warm``: the embedding process is started and its model loaded before the pass, as in a
    running ``watch --every`` after its first pass."""
    import storyline.pipeline as pipeline
    import storyline.reader.follow as follow_mod
    from storyline.cli import _watch_pass
    from storyline.ingest.watch import Watcher, WatchState
    from storyline.store import Store

    clock = Clock()
    updates: list[Any] = []
    follow = clock.wrap("follow", follow_mod.follow)

    def follow_kept(*args: Any, **kwargs: Any) -> Any:
        got = follow(*args, **kwargs)
        updates.extend(got)
        return got

    with pipeline.StoryRebuilder(embeddings) as rebuild, Store(db) as store:
        if warm and rebuild.embedder is not None:
            rebuild.start()
            rebuild.embedder.encode(["a sentence to load the model"])
            rebuild.embedder.waited_s = 0.0
        before = set(memberships(store))
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        with (
            patched(pipeline, "analyze", clock.wrap("ingest_extract", pipeline.analyze)),
            patched(pipeline, "build_from_store", clock.wrap("build", pipeline.build_from_store)),
            patched(follow_mod, "follow", follow_kept),
            patched(follow_mod, "save_story", clock.wrap("save", follow_mod.save_story)),
        ):
            watcher = Watcher(WatchState.load(Path(f"{store.path}.watch.json")))
            failed = _watch_pass(store, watcher, [str(folder)], 1, rebuild)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        waited = rebuild.embedder.waited_s if rebuild.embedder is not None else 0.0
        ahead = rebuild.embedder.ahead if rebuild.embedder is not None else 0
        members = memberships(store)
        touched = {u.story_id for u in updates}
        hashes = {sid: section_hashes(store, sid) for sid in touched}
        src = origins(store)
    spent = clock.spent
    stages = {
        "ingest_extract_s": spent.get("ingest_extract", 0.0),
        "assign_s": spent.get("follow", 0.0) - spent.get("build", 0.0) - spent.get("save", 0.0),
        "rebuild_s": spent.get("build", 0.0),
        "save_s": spent.get("save", 0.0),
    }
    stages["poll_state_s"] = seconds - sum(stages.values())
    return {
        "seconds": round(seconds, 2),
        "main_cpu_s": round(cpu, 2),  # this process only (not the extraction workers, nor the model's process)
        **{k: round(v, 2) for k, v in stages.items()},
        # part of rebuild_s: the time the rebuilds waited for the model's process (its loading, and encoding
        # that was not done ahead while they worked)
        "embedder_wait_s": round(waited, 2),
        "encoded_ahead": ahead,
        "warm": warm,
        "failed": failed,
        "new_articles": len(set(members) - before),
        "stories_touched": len(touched),
        "stories_opened": sum(1 for u in updates if u.opened),
        "articles_in_touched": sum(u.size for u in updates),
        "touched": sorted(touched),
        "members": members,
        "hashes": hashes,
        "origins": src,
        "load_before": round(load, 2),
        "peak_mb": _peak_mb(),
    }


def child_full(db: Path, folder: Path, embeddings: bool, workers: int | None) -> dict:
    from storyline.store import Store

    with Store(db) as store:
        row = full_analyze(store, folder, embeddings, workers)
        row["members"] = members = memberships(store)
        row["hashes"] = {sid: section_hashes(store, sid) for sid in set(members.values())}
    row["peak_mb"] = _peak_mb()
    return row


def child_curve(tmp: Path, m: int, seed: int, embeddings: bool) -> list[dict]:
    """One story of ``m`` articles, built and saved; then each k of ``CURVE_KS`` absorbed by ``follow`` on a
    copy of that store (the story profile seeded first, as a running ``watch`` holds it)."""
    from storyline.crosscheck.assign import Assigner
    from storyline.pipeline import analyze, build_from_store
    from storyline.reader.follow import follow, seed_profiles
    from storyline.reader.stories import save_story
    from storyline.store import Store
    from synthetic import generate_stories, write_story_files

    extra = max(CURVE_KS)
    arts = generate_stories(m + extra, seed=seed, sizes=(m + extra, m + extra), days=1)
    folder = tmp / f"curve-{m}"
    paths = write_story_files(folder, arts)
    base = tmp / f"curve-{m}.db"
    with Store(base) as store:
        result = analyze([str(p) for p in paths], store, dossier=False)
        by_name = {Path(s.origin).name: s.id for s in store.sources()}
        ids = [by_name[p.name] for p in paths]
        story = build_from_store(store, ids[:m], embeddings=embeddings)
        sid = save_story(store, story, ids[:m])
    if len(result.article_ids) != m + extra:
        raise SystemExit(f"curve m={m}: {len(result.failures)} articles failed")
    rows = []
    for k in CURVE_KS:
        db = tmp / f"curve-{m}-{k}.db"
        with Store(base) as src:
            src.backup(db)
        clock = Clock()
        build = clock.wrap("build", lambda st, ii: build_from_store(st, ii, embeddings=embeddings))
        with Store(db) as store:
            assigner = Assigner()
            seed_profiles(store, assigner)
            t0, c0 = time.perf_counter(), time.process_time()
            updates = follow(store, ids[m : m + k], assigner, build)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append({"story_articles": m, "new": k, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
                     "rebuild_s": round(clock.spent.get("build", 0.0), 2),
                     "joined_story": sum(u.added for u in updates if u.story_id == sid),
                     "stories_touched": len(updates)})  # fmt: skip
    return rows


def child(args: argparse.Namespace) -> Any:
    kind, *rest = args.child
    workers = args.workers
    if kind == "setup":
        return child_setup(Path(rest[0]), Path(rest[1]), args.embeddings, workers)
    if kind == "incremental":
        return child_incremental(Path(rest[0]), Path(rest[1]), args.embeddings, warm=rest[2:] == ["warm"])
    if kind == "full":
        return child_full(Path(rest[0]), Path(rest[1]), args.embeddings, workers)
    if kind == "curve":
        return child_curve(Path(rest[0]), int(rest[1]), args.seed, args.embeddings)
    raise SystemExit(f"unknown child {kind}")


# --------------------------------------------------------------------------- comparing


def agreement(left: dict[str, str], right: dict[str, str], ids: Sequence[str]) -> float | None:
    """B-cubed F1 of two story memberships over ``ids`` (an article in no story counts as its own story)."""
    from storyline.crosscheck.cluster import bcubed

    if not ids:
        return None
    return round(bcubed([left.get(a, f"-{a}") for a in ids], [right.get(a, f"-{a}") for a in ids])[2], 4)


def same_dossiers(a: dict, b: dict) -> dict:
    """For each story A rebuilt whose article set B also built: are the stored sections equal?"""
    groups: dict[str, set[str]] = {}
    for aid, sid in b["members"].items():
        groups.setdefault(sid, set()).add(aid)
    by_set = {frozenset(v): k for k, v in groups.items()}
    a_groups: dict[str, set[str]] = {}
    for aid, sid in a["members"].items():
        a_groups.setdefault(sid, set()).add(aid)
    compared, equal, differing = 0, 0, set()
    for sid in a["touched"]:
        twin = by_set.get(frozenset(a_groups.get(sid, set())))
        if twin is None:
            continue
        compared += 1
        mine, theirs = a["hashes"][sid], b["hashes"][twin]
        bad = {k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)}
        equal += not bad
        differing |= bad
    return {"touched": len(a["touched"]), "same_articles_in_b": compared, "equal_dossiers": equal,
            "sections_differing": sorted(differing)}  # fmt: skip


def compare(setup: dict, inc: dict, full: dict, gold: dict[str, int]) -> dict:
    """Agreement between the incremental (A) and the full rebuild (B), and each against the gold stories."""
    names = {**setup["origins"], **inc["origins"]}
    ids = sorted(names)
    new = sorted(set(inc["members"]) - set(setup["members"]))
    gold_of = {aid: str(gold.get(names[aid], f"?{aid}")) for aid in ids}
    return {
        "bcubed_f1_a_vs_b_all": agreement(inc["members"], full["members"], ids),
        "bcubed_f1_a_vs_b_new": agreement(inc["members"], full["members"], new),
        "bcubed_f1_a_vs_gold": agreement(gold_of, inc["members"], ids),
        "bcubed_f1_b_vs_gold": agreement(gold_of, full["members"], ids),
        "new_with_other_companions": sum(1 for a in new if _companions(inc, a, setup) != _companions(full, a, setup)),
        "dossiers": same_dossiers(inc, full),
    }


def _companions(run: dict, aid: str, setup: dict) -> frozenset[str]:
    """The articles already in the store that share ``aid``'s story in ``run``."""
    sid = run["members"].get(aid)
    return frozenset(x for x, s in run["members"].items() if s == sid and x in setup["members"])


# --------------------------------------------------------------------------- the run


RUN_KEYS = ("seconds", "main_cpu_s", "ingest_extract_s", "assign_s", "rebuild_s", "save_s", "poll_state_s",
            "embedder_wait_s", "load_before", "step_cpu_s")  # fmt: skip


def _run(args: argparse.Namespace, *child_args: str) -> Any:
    out = Path(child_args[-1])
    cmd = ["nice", "-n", "10", sys.executable, __file__, "--child", *child_args[:-1], "--child-out", str(out),
           "--seed", str(args.seed)]
    cmd += ["--embeddings" if args.embeddings else "--no-embeddings"]
    cmd += ["--workers", str(args.workers)] if args.workers else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{child_args[0]} run failed:\n{proc.stderr[-3000:]}")
    got = json.loads(out.read_text(encoding="utf-8"))
    if isinstance(got, dict):  # CPU of the whole step: the child, its workers, its imports and model loading
        got["step_cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
    return got


def copy_store(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite store (its write-ahead log included)."""
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def run_absorb(args: argparse.Namespace, tmp: Path) -> dict:
    """Steps 1-4: setup, A, B and their agreement."""
    from synthetic import generate_stories, write_story_files

    arts = generate_stories(args.n + args.new, seed=args.seed)
    gold = {f"article-{a['index']:06d}.md": a["story"] for a in arts}
    folder, incoming = tmp / "feed", tmp / "incoming"
    kept = all((tmp / f).is_file() for f in ("setup.json", "store.db", "store.db.watch.json"))
    if not kept:  # --workdir with a finished setup: reuse it, folder as it is (the watch state has its stamps)
        write_story_files(folder, arts[: args.n])
    new_paths = write_story_files(incoming, arts[args.n :])
    if kept:
        setup = json.loads((tmp / "setup.json").read_text(encoding="utf-8"))
        setup["reused"] = True
    else:
        (tmp / "store.db").unlink(missing_ok=True)
        setup = _run(args, "setup", str(tmp / "store.db"), str(folder), str(tmp / "setup.json"))
        (tmp / "setup.json").write_text(json.dumps(setup), encoding="utf-8")
    print(f"setup: {setup['articles']} articles, {setup['stories']} stories in {setup['seconds']} s "
          f"(profiles seeded in {setup['seed_profiles_s']} s)", flush=True)  # fmt: skip
    copy_store(tmp / "store.db", tmp / "a.db")
    shutil.copy(tmp / "store.db.watch.json", tmp / "a.db.watch.json")
    for p in new_paths:
        shutil.copy(p, folder / p.name)
    inc = _run(args, "incremental", str(tmp / "a.db"), str(folder), str(tmp / "a.json"))
    print(f"A incremental: {inc['new_articles']} new articles in {inc['seconds']} s, {inc['stories_touched']} "
          f"stories touched ({inc['articles_in_touched']} articles)", flush=True)
    inc["runs"] = [{k: inc[k] for k in RUN_KEYS}]
    for r in range(1, args.repeat):  # A again, each on a fresh copy of the setup's store (B uses the first)
        copy_store(tmp / "store.db", tmp / f"a{r}.db")
        shutil.copy(tmp / "store.db.watch.json", tmp / f"a{r}.db.watch.json")
        again = _run(args, "incremental", str(tmp / f"a{r}.db"), str(folder), str(tmp / f"a{r}.json"))
        inc["runs"].append({k: again[k] for k in RUN_KEYS})
        (tmp / f"a{r}.db").unlink()
        print(f"A incremental, run {r + 1}: {again['seconds']} s", flush=True)
    inc["median_s"] = statistics.median(run["seconds"] for run in inc["runs"])
    copy_store(tmp / "store.db", tmp / "w.db")
    shutil.copy(tmp / "store.db.watch.json", tmp / "w.db.watch.json")
    warm = _run(args, "incremental", str(tmp / "w.db"), str(folder), "warm", str(tmp / "w.json"))
    print(f"A incremental, models loaded first: {warm['seconds']} s", flush=True)
    copy_store(tmp / "a.db", tmp / "b.db")
    full = _run(args, "full", str(tmp / "b.db"), str(folder), str(tmp / "b.json"))
    print(f"B full rebuild: {full['articles']} articles, {full['stories']} stories in {full['seconds']} s", flush=True)
    return {"setup": setup, "incremental": inc, "incremental_warm": warm, "full": full, "agreement": compare(setup, inc, full, gold),
            "new_stories_in_corpus": len({a["story"] for a in arts[args.n :]} - {a["story"] for a in arts[: args.n]})}


def summary(res: dict) -> dict:
    inc, full = res["incremental"], res["full"]
    keep = ("members", "hashes", "origins", "touched")
    out = {
        "setup": {k: v for k, v in res["setup"].items() if k not in keep},
        "incremental": {k: v for k, v in inc.items() if k not in keep},
        "incremental_warm": {k: v for k, v in res["incremental_warm"].items() if k not in keep},
        "full": {k: v for k, v in full.items() if k not in keep},
        "agreement": res["agreement"],
        "new_stories_in_corpus": res["new_stories_in_corpus"],
        # the median of the A runs (one unless --repeat)
        "ratio_full_over_incremental": round(full["seconds"] / max(inc.get("median_s", inc["seconds"]), 1e-9), 1),
        "goal_ratio": GOAL_RATIO,
    }
    out["ratio_full_over_warm"] = round(full["seconds"] / max(res["incremental_warm"]["seconds"], 1e-9), 1)
    out["cpu_ratio_full_over_incremental"] = round(full["step_cpu_s"] / max(inc["step_cpu_s"], 1e-9), 1)
    return out


def print_tables(result: dict) -> None:
    if "setup" not in result:  # --n 0: the curve alone
        _print_curve(result)
        return
    s, a, b = result["setup"], result["incremental"], result["full"]
    print(f"\nstore: {s['articles']} articles in {s['stories']} stories (largest {s['largest_story']}); "
          f"initial build {s['seconds']} s; seeding the watch profiles {s['seed_profiles_s']} s")  # fmt: skip
    print(f"{'run':<16} {'seconds':>8} {'extract':>8} {'assign':>7} {'cluster':>8} {'rebuild':>8} {'save':>6} "
          f"{'stories':>8} {'articles':>8}")  # fmt: skip
    print(f"{'A incremental':<16} {a['seconds']:>8} {a['ingest_extract_s']:>8} {a['assign_s']:>7} {'':>8} "
          f"{a['rebuild_s']:>8} {a['save_s']:>6} {a['stories_touched']:>8} {a['articles_in_touched']:>8}")
    w = result["incremental_warm"]
    print(f"{'A, models warm':<16} {w['seconds']:>8} {w['ingest_extract_s']:>8} {w['assign_s']:>7} {'':>8} "
          f"{w['rebuild_s']:>8} {w['save_s']:>6} {w['stories_touched']:>8} {w['articles_in_touched']:>8}")
    print(f"{'B full rebuild':<16} {b['seconds']:>8} {b['ingest_extract_s']:>8} {'':>7} {b['cluster_s']:>8} "
          f"{b['build_s']:>8} {b['save_s']:>6} {b['stories']:>8} {b['articles']:>8}")
    if len(a.get("runs", ())) > 1:
        print(f"A runs: {', '.join(str(r['seconds']) for r in a['runs'])} s; median {a['median_s']} s")
    print(f"B / A = {result['ratio_full_over_incremental']} (goal >= {GOAL_RATIO}); B / A with models warm = "
          f"{result['ratio_full_over_warm']}; A waited {a.get('embedder_wait_s')} s for the model's process")
    print(f"CPU seconds of each whole step (child, workers, imports): setup {s['step_cpu_s']}, A {a['step_cpu_s']}, "
          f"B {b['step_cpu_s']}; B / A = {result['cpu_ratio_full_over_incremental']}")
    print(f"agreement: {result['agreement']}")
    _print_curve(result)


def _print_curve(result: dict) -> None:
    if result.get("curve"):
        print(f"\n{'story':>6} {'new k':>6} {'seconds':>8} {'CPU s':>7} {'rebuild':>8} {'joined':>7}")
        for r in result["curve"]:
            print(f"{r['story_articles']:>6} {r['new']:>6} {r['seconds']:>8} {r.get('cpu_s', ''):>7} {r['rebuild_s']:>8} "
                  f"{r['joined_story']:>7}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="articles already in the store (0: only the curve)")
    parser.add_argument("--new", type=int, default=100, help="new articles absorbed")
    parser.add_argument("--full", action="store_true", help="the issue's size: 20,000 articles in the store")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--embeddings", action=argparse.BooleanOptionalAction, default=True,
                        help="as storyline watch (on by default)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=None, help="extraction workers (default: as analyze)")
    parser.add_argument("--curve", default="25,100,400", help="story sizes of the one-story curve ('' for none)")
    parser.add_argument("--json", default=None)
    parser.add_argument("--repeat", type=int, default=1,
                        help="A runs, each on a fresh copy of the store; the ratio uses their median")  # fmt: skip
    parser.add_argument("--workdir", default=None,
                        help="keep the stores here (default: a temporary folder); a finished setup found there is "
                        "reused, so A and B can be measured again without the initial build")  # fmt: skip
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        write_json(Path(args.child_out), child(args))
        return
    if args.full:
        args.n = max(args.n, 20_000)
    json_out = Path(args.json or HERE / "results" / ("absorb_full.json" if args.full else "absorb.json"))
    started = time.perf_counter()
    result = {
        "benchmark": "absorb",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "corpus": {"store_articles": args.n, "new_articles": args.new, "seed": args.seed,
                   "generator": "bench/synthetic.py generate_stories"},  # fmt: skip
        "settings": {"embeddings": args.embeddings, "workers": args.workers or "default (one per core, at most 8)"},
    }
    with contextlib.ExitStack() as stack:
        if args.workdir:
            tmp = Path(args.workdir)
            tmp.mkdir(parents=True, exist_ok=True)
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        result.update(summary(run_absorb(args, tmp)) if args.n else {}, curve=[])  # --n 0: the curve alone
        write_json(json_out, result)  # written again after each story size of the curve
        for m in (int(x) for x in args.curve.split(",") if x):
            result["curve"] += _run(args, "curve", str(tmp), str(m), str(tmp / f"curve-{m}.json"))
            print(f"curve: story of {m} done", flush=True)
            write_json(json_out, result)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print_tables(result)
    write_json(json_out, result)
    print(f"wrote {json_out} ({result['seconds']} s)")


if __name__ == "__main__":
    main()
