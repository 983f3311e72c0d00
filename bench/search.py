"""Questions from the database's full-text index against a whole-story index in memory, by story size.

For each size N (default 200 and 1,000 articles; ``bench/synthetic.py``, deterministic) it analyses a
synthetic story into a fresh SQLite store (no cross-check: retrieval does not need one), saves it, and
stores its sentence vectors (the fast MiniLM encoder; once, as the first question on a story does).  Then,
each in a fresh subprocess so that its peak memory is its own, it answers the same questions two ways:

* ``whole``: what `ask` did before: the story's whole index in memory (``reader.stories.story_index``: every
  sentence, its BM25 postings and every stored vector), built once, then each question;
* ``db``: ``reader.search.question_index`` per question: candidates from the store's FTS5 index and the
  stored vectors read 1,024 at a time (nothing of the story held beyond the candidates).

Reported per mode: the time to the first answer (the whole index is built then), the median time of the
next questions, the peak memory allocated while answering (``tracemalloc``, Python and numpy, in a second
pass: the model and the dossier are loaded before it starts), and how
many answers are identical between the two modes (they should all be).  ``--postgres`` runs the ``db`` mode on a
PostgreSQL copy of each store too (a server in a temporary directory, as the tests start it).

    python bench/search.py [--sizes 200,1000] [--postgres] [--json FILE]

Prints a table and writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402

QUESTIONS = [
    "How many people have been killed since the operation started?",
    "Who met envoys?",
    "What did the spokeswoman for the coastguard say?",
    "How many vessels were struck?",
    "Which organisation put the number higher?",
    "When did the campaign begin?",
    "What will they answer every provocation with?",
    "Who is the Defence Minister?",
    "Where were the boats seized?",
    "What happened near Port Arvel?",
]
STORY = "bench-search"


def build(db: Path, size: int, folder: Path) -> dict:
    from storyline.extract.embed import get_fast_embedder
    from storyline.pipeline import analyze, build_from_store
    from storyline.reader.search import prepare_story
    from storyline.reader.stories import save_story
    from storyline.store import Store
    from synthetic import write_corpus

    write_corpus(folder, size)
    out = {}
    with Store(db) as store:
        t0 = time.perf_counter()
        ids = analyze([str(folder)], store, dossier=False).article_ids
        dossier = build_from_store(store, ids, title="Synthetic search story", crosscheck=False, embeddings=False)
        save_story(store, dossier, ids, story_id=STORY)
        out["analyse_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        prepare_story(store, STORY, get_fast_embedder())
        out["encode_s"] = round(time.perf_counter() - t0, 1)
        out["sentences"] = store.sentence_stats(STORY)[0]
    return out


def child(mode: str, target: str) -> dict:
    """Answer every question one way; seconds per question, peak memory above the baseline, the answers."""
    from storyline.extract.embed import get_fast_embedder
    from storyline.reader.ask import answer, answer_to_dict
    from storyline.reader.search import question_index
    from storyline.reader.stories import load_dossier, story_index
    from storyline.store import Store

    embedder = get_fast_embedder()
    embedder.encode(["warm up"])
    with Store(target) as store:
        dossier = load_dossier(store, STORY)

        def ask_all() -> tuple[list[float], list[dict]]:
            seconds, answers, whole = [], [], None
            for q in QUESTIONS:
                t0 = time.perf_counter()
                if mode == "whole":
                    whole = whole or story_index(store, STORY, embedder=embedder)
                    index = whole
                else:
                    index = question_index(store, STORY, q, embedder=embedder, prepared=True)
                answers.append(answer_to_dict(answer(q, dossier, index, embedder=embedder)))
                seconds.append(time.perf_counter() - t0)
            return seconds, answers

        seconds, answers = ask_all()  # timed without tracing
        tracemalloc.start()  # a second pass for memory: Python and numpy allocations while answering
        ask_all()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"seconds": seconds, "peak_above_mb": round(peak / 2**20, 1), "answers": answers}


def _run_child(mode: str, target: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, target], capture_output=True, text=True,
                          check=False, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} on {target}: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _copy_to_postgres(db: Path, url: str) -> None:
    from storyline.store import Store

    with Store(db) as lite, Store(url) as pg:
        for clean, ext in lite.iter_loaded(lite.article_ids()):
            pg.save(clean, ext, "bench")
        summary = lite.story(STORY)
        sections = {n: lite.story_section(STORY, n) for n in lite.story_section_names(STORY)}
        pg.save_story(STORY, summary.title, lite.story_article_ids(STORY), sections)
        for aid in lite.article_ids():
            rows = lite.sentences([aid])
            pg.save_sentences(aid, [(c.start, c.end) for _a, _n, c in rows])
        model = lite.conn.execute("SELECT DISTINCT model FROM sentence_vectors").fetchone()[0]
        for chunk in lite.iter_story_vectors(STORY, model):
            pg.save_sentence_vectors(model, chunk)


def row(size: int, backend: str, mode: str, got: dict, built: dict, reference: list | None) -> dict:
    secs = got["seconds"]
    same = None if reference is None else sum(a == b for a, b in zip(got["answers"], reference, strict=True))
    return {
        "articles": size, "sentences": built["sentences"], "backend": backend, "mode": mode,
        "first_answer_s": round(secs[0], 3), "next_answer_median_s": round(statistics.median(secs[1:]), 3),
        "peak_above_baseline_mb": got["peak_above_mb"], "answered": sum(a["answered"] for a in got["answers"]),
        "identical_to_whole": same,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200,1000")
    ap.add_argument("--postgres", action="store_true",
                    help="also run the db mode on PostgreSQL (a server started in a temporary directory)")
    ap.add_argument("--json", dest="json_out", default=str(HERE / "results" / "search.json"))
    ap.add_argument("--keep", metavar="DIR", help="keep the built stores in DIR and reuse them when there")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "TARGET"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    rows = []
    sys.path.insert(0, str(HERE.parent / "tests"))
    from pgserver import running_postgres

    pg = running_postgres() if args.postgres else contextlib.nullcontext(None)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as scratch, pg as server:
        tmp = args.keep or scratch
        if args.postgres and server is None:
            print("PostgreSQL rows skipped: no server binaries (make postgres)")
        for size in (int(s) for s in args.sizes.split(",")):
            db = Path(tmp) / f"s{size}.db"
            made = Path(tmp) / f"s{size}.json"
            if made.exists():
                built = json.loads(made.read_text(encoding="utf-8"))
            else:
                Path(tmp).mkdir(parents=True, exist_ok=True)
                built = build(db, size, Path(tmp) / f"corpus{size}")
                made.write_text(json.dumps(built), encoding="utf-8")
            whole = _run_child("whole", str(db))
            rows.append(row(size, "sqlite", "whole", whole, built, None))
            rows.append(row(size, "sqlite", "db", _run_child("db", str(db)), built, whole["answers"]))
            if args.postgres and server is not None:
                url = server.new_database()
                _copy_to_postgres(db, url)
                rows.append(row(size, "postgresql", "db", _run_child("db", url), built, whole["answers"]))
            print(f"{size} articles: built {built}", flush=True)
    print(f"{'articles':>8} {'sentences':>9} {'backend':<10} {'mode':<5} {'first s':>8} {'next s':>7} "
          f"{'peak MB':>8} {'identical':>9}")
    for r in rows:
        print(f"{r['articles']:>8} {r['sentences']:>9} {r['backend']:<10} {r['mode']:<5} {r['first_answer_s']:>8} "
              f"{r['next_answer_median_s']:>7} {r['peak_above_baseline_mb']:>8} "
              f"{'' if r['identical_to_whole'] is None else r['identical_to_whole']:>9}")
    result = {
        "benchmark": "search", "date": time.strftime("%Y-%m-%d"), "machine": platform.machine(),
        "cpus": __import__("os").cpu_count(), "questions": len(QUESTIONS), "rows": rows,
    }
    write_json(Path(args.json_out), result)


if __name__ == "__main__":
    main()
