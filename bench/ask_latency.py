"""How long a reader waits for an answer: `storyline ask` in a terminal and the web app's questions.

For each store (the sample story; optionally a bigger synthetic story analysed with embeddings) it times, as
a user runs them:

* **CLI, one process per question** (`storyline ask ... --no-serve`), different questions in a row:
  - ``fast``: this version (questions encoded by the numpy MiniLM encoder, no torch import);
  - ``torch``: the same with ``STORYLINE_FAST_EMBEDDINGS=0`` (sentence-transformers loads for every
    question: what every ask cost before);
  - ``lexical``: ``--no-embeddings``, the reference (BM25 only, no model at all).
* **CLI with a running serve** (`storyline serve` of the same store is up; `storyline ask` sends the question
  to it).
* **Web app**: `storyline serve` started fresh; the first question as soon as the port answers, then a second
  and a third (different questions), over real HTTP (`GET /stories/<id>/ask?q=`).

"first" is the first process of a mode (the store's sentence vectors already cached; the very first question
on a fresh store, which encodes every sentence once, is reported on its own as ``cold_first_ask_s``); "second"
is the next process with another question.  Each mode runs ``--rounds`` times; the table shows medians.
The ratio is the time over the lexical CLI ask measured in the same run.

Prints a table and writes bench/results/ask_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))
from contract import write_json  # noqa: E402

CLI = [sys.executable, "-m", "storyline.cli"]
QUESTIONS = [
    "How many people died?",
    "Who is leading the talks?",
    "When did the ferry sink?",
    "What did the navy say about the blockade?",
    "How many boats were seized?",
    "Where are the talks being held?",
]
GOAL_S = 2.0


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_FAST_EMBEDDINGS"}
    return {**env, **extra}


def _cli(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=600)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"storyline {' '.join(args[:2])} failed: {proc.stderr.strip()[:300]}")
    return took


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 600) -> float:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    t0 = time.perf_counter()
    with opener.open(url, timeout=timeout) as r:
        r.read()
    return time.perf_counter() - t0


class Serve:
    """`storyline serve` of a store in a subprocess, until stopped."""

    def __init__(self, db: Path, env: dict[str, str], *extra: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(self.port), *extra],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(self.base + "/", timeout=2)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("storyline serve did not start") from None
                time.sleep(0.05)
        self.up_s = time.perf_counter() - self.started

    def ask(self, story: str, question: str) -> float:
        url = f"{self.base}/stories/{urllib.parse.quote(story)}/ask?{urllib.parse.urlencode({'q': question})}"
        try:
            return _get(url)
        except urllib.error.HTTPError as exc:
            said = exc.read().decode("utf-8", "replace")
            line = said.split('<p class="error-line">', 1)[-1].split("</p>", 1)[0][:200] if said else ""
            raise RuntimeError(f"{url}: HTTP {exc.code} {line}") from exc

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _story(db: Path) -> str:
    from storyline.reader.stories import resolve_story
    from storyline.store import Store

    with Store(db) as store:
        return resolve_story(store, None).id


def _pair(times: list[list[float]]) -> dict:
    firsts, seconds = [t[0] for t in times], [t[1] for t in times]
    return {"first_s": round(statistics.median(firsts), 2), "second_s": round(statistics.median(seconds), 2),
            "runs": [[round(x, 2) for x in t] for t in times]}


def measure(db: Path, rounds: int) -> dict:
    story = _story(db)
    base = ["--db", str(db), "--story", story]
    out: dict = {"story": story}
    t0 = time.perf_counter()
    _cli(["ask", QUESTIONS[0], *base, "--no-serve"], _env())
    out["cold_first_ask_s"] = round(time.perf_counter() - t0, 2)  # encodes the story's sentences if not yet cached
    modes = {
        "cli_lexical": (["--no-embeddings"], _env()),
        "cli_fast": (["--no-serve"], _env()),
        "cli_torch": (["--no-serve"], _env(STORYLINE_FAST_EMBEDDINGS="0")),
    }
    for name, (flags, env) in modes.items():
        runs = []
        for r in range(rounds):
            qs = QUESTIONS[(2 * r) % len(QUESTIONS)], QUESTIONS[(2 * r + 1) % len(QUESTIONS)]
            runs.append([_cli(["ask", q, *base, *flags], env) for q in qs])
        out[name] = _pair(runs)
    web, with_serve = [], []
    for r in range(rounds):
        serve = Serve(db, _env())
        try:
            qs = [QUESTIONS[(r + k) % len(QUESTIONS)] for k in range(3)]
            web.append([serve.up_s, *(serve.ask(story, q) for q in qs)])
            with_serve.append([_cli(["ask", q, *base], _env()) for q in QUESTIONS[3:5]])
        finally:
            serve.stop()
    out["cli_with_serve"] = _pair(with_serve)
    out["web"] = {
        "server_up_s": round(statistics.median(w[0] for w in web), 2),
        "first_s": round(statistics.median(w[1] for w in web), 2),
        "second_s": round(statistics.median(w[2] for w in web), 2),
        "third_s": round(statistics.median(w[3] for w in web), 2),
        "runs": [[round(x, 2) for x in w] for w in web],
    }
    ref = out["cli_lexical"]["second_s"] or 1e-9
    out["ratio_to_lexical_cli"] = {
        k: round(out[k]["second_s"] / ref, 2) for k in ("cli_fast", "cli_torch", "cli_with_serve", "web")
    }
    return out


def build_demo(work: Path) -> Path:
    db = work / "demo.db"
    demo = ROOT / "out" / "demo.db"
    if demo.is_file():  # a copy: serve writes a discovery file beside the store, asks cache vectors in it
        from storyline.store import Store

        with Store(demo) as store:
            store.backup(db)
        return db
    proc = subprocess.run([*CLI, "analyze", str(ROOT / "examples" / "sample-story"), "--db", str(db), "--quiet"],
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"analyze failed: {proc.stderr[-300:]}")
    return db


def build_synthetic(work: Path, n: int) -> tuple[Path, float]:
    from synthetic import write_corpus

    folder = work / f"synthetic-{n}"
    write_corpus(folder, n)
    db = work / f"synthetic-{n}.db"
    t0 = time.perf_counter()
    proc = subprocess.run([*CLI, "analyze", str(folder), "--db", str(db), "--quiet"], capture_output=True,
                          text=True, timeout=3600)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"analyze failed: {proc.stderr[-300:]}")
    return db, round(time.perf_counter() - t0, 1)


def _counts(db: Path) -> dict:
    from storyline.store import Store

    with Store(db) as store:
        story = store.stories()[0]
        ids = store.story_article_ids(story.id)
        return {"articles": len(ids), "sentences": len(store.sentences(ids))}


def table(results: dict) -> str:
    lines = ["| Store | Mode | First | Second | Ratio (second / lexical CLI) |", "|---|---|---:|---:|---:|"]
    names = {"cli_lexical": "CLI `--no-embeddings` (reference)", "cli_fast": "CLI, no serve (this version)",
             "cli_torch": "CLI, no serve, sentence-transformers (before)", "cli_with_serve": "CLI with a running serve",
             "web": "Web app, fresh `serve`"}
    for label, res in results["stores"].items():
        for key, name in names.items():
            r = res[key]
            ratio = res["ratio_to_lexical_cli"].get(key, 1.0)
            lines.append(f"| {label} | {name} | {r['first_s']:.2f} s | {r['second_s']:.2f} s | {ratio:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each mode (medians are reported)")
    parser.add_argument("--synthetic", type=int, default=30, help="articles in the bigger story (0: skip it)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ask_latency.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-ask-bench-"))
    results: dict = {
        "benchmark": "ask_latency",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_avg_at_start": list(os.getloadavg())},
        "goal": {"second_question_s": GOAL_S},
        "stores": {},
    }
    try:
        stores = {"sample story": build_demo(work)}
        if args.synthetic:
            db, took = build_synthetic(work, args.synthetic)
            stores[f"synthetic, {args.synthetic} articles"] = db
            results["synthetic_analyse_s"] = took
        for label, db in stores.items():
            print(f"measuring {label} ...", file=sys.stderr)
            results["stores"][label] = {**_counts(db), **measure(db, args.rounds)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_avg_at_end"] = list(os.getloadavg())
    write_json(args.out, results)
    print(table(results))
    print(json.dumps({k: v["ratio_to_lexical_cli"] for k, v in results["stores"].items()}, indent=2))


if __name__ == "__main__":
    main()
