"""A bounded load test of the web app (`make bench`): many readers at once, and their problem reports.

Builds a small synthetic story (default 30 articles; `bench/synthetic.py`, the same build as `bench/web.py`),
serves it with the real app (uvicorn on 127.0.0.1, in its own process, lexical answers only), then runs
concurrent clients (default 50 threads, each with its own httpx connection) for a fixed time against the
story page, a source page, the ask page, the problems page and the report-a-problem POST.  Loopback only;
the whole run (build included) stays under 60 s.

The per-client rate limit on reports is lifted for this run (``WriteLimits(reports=None)``): every client
here is 127.0.0.1, and the point is to push reports through the store, not to be refused.  At the end every
accepted report (HTTP 303) must be in the store: the lost count must be 0.

Prints a table (requests, requests/s, p50/p95/p99 latency, errors per route) and writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402

TOTAL_BUDGET_S = 60.0
MARK = "load report"  # every report this benchmark posts starts with it


@dataclass
class Tally:
    """One client thread's results."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    accepted: list[str] = field(default_factory=list)  # comments of reports answered 303


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(ordered: list[float], q: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1) if ordered else 0.0


def serve(db: str, port: int) -> None:
    """The server process: the real app, embeddings off, the report rate limit lifted."""
    import uvicorn

    from storyline.web.app import WriteLimits, create_app

    app = create_app(db, embedder=False, limits=WriteLimits(reports=None))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start_server(db: Path, port: int) -> subprocess.Popen:
    import httpx

    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(db), "--port", str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode})")
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start within 30 s")


def targets(db: Path, sid: str) -> tuple[dict[str, str], str]:
    """The GET routes to load, and the key of a claim to report."""
    from storyline.store import Store

    with Store(db) as store:
        ids = store.story_article_ids(sid)
        view = store.story_section(sid, "view") or {}
    keys = [item["key"] for g in view["claims"]["groups"] for item in g["items"]]
    routes = {
        "story page": f"/stories/{sid}",
        "source page": f"/stories/{sid}/sources/{ids[len(ids) // 2]}",
        "ask (lexical)": f"/stories/{sid}/ask?q=How+many+vessels+were+seized%3F",
        "problems page": "/problems",
    }
    return routes, keys[0]


def client(base: str, routes: dict[str, str], key: str, sid: str, n: str, stop: float, tally: Tally) -> None:
    """One reader: cycles through the pages and posts a report every fifth request, until ``stop``."""
    import httpx

    order = [*routes, "report (POST)"]
    i = int(n.rsplit("-", 1)[1])  # each thread starts at another route
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as http:
        while time.monotonic() < stop:
            name = order[i % len(order)]
            i += 1
            t0 = time.perf_counter()
            try:
                if name == "report (POST)":
                    comment = f"{MARK} {n}-{i}"
                    r = http.post(f"/stories/{sid}/problems", data={"key": key, "category": "other",
                                                                     "comment": comment})  # fmt: skip
                    ok = r.status_code == 303
                    if ok:
                        tally.accepted.append(comment)
                else:
                    r = http.get(routes[name])
                    ok = r.status_code == 200
                if not ok:
                    tally.errors[name].append(f"HTTP {r.status_code}")
            except httpx.HTTPError as exc:
                tally.errors[name].append(type(exc).__name__)
            tally.latencies[name].append((time.perf_counter() - t0) * 1000)


def run_load(
    base: str, routes: dict[str, str], key: str, sid: str, threads: int, seconds: float, phase: str
) -> tuple[list[Tally], float]:
    tallies = [Tally() for _ in range(threads)]
    stop = time.monotonic() + seconds
    workers = [threading.Thread(target=client, args=(base, routes, key, sid, f"{phase}-{n}", stop, tallies[n]))
               for n in range(threads)]  # fmt: skip
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return tallies, time.perf_counter() - t0


def summarise(tallies: list[Tally], wall: float) -> list[dict]:
    names = sorted({name for t in tallies for name in t.latencies}, key=lambda s: (s.startswith("report"), s))
    rows = []
    for name in [*names, "all"]:
        times = sorted(x for t in tallies for k, v in t.latencies.items() if name in (k, "all") for x in v)
        errors = [e for t in tallies for k, v in t.errors.items() if name in (k, "all") for e in v]
        rows.append({"route": name, "requests": len(times), "per_s": round(len(times) / wall, 1),
                     "p50_ms": _pct(times, 0.50), "p95_ms": _pct(times, 0.95), "p99_ms": _pct(times, 0.99),
                     "errors": len(errors), "error_kinds": sorted(set(errors))})  # fmt: skip
    return rows


def stored_reports(db: Path) -> list[str]:
    from storyline.store import Store

    with Store(db) as store:
        rows = store.conn.execute("SELECT comment FROM problems WHERE comment LIKE ?", (MARK + " %",))
        return [c for (c,) in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=30, help="synthetic articles in the story")
    parser.add_argument("--threads", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the clients run (capped by 60 s)")
    parser.add_argument("--baseline", type=float, default=3.0, help="seconds of one client alone first")
    parser.add_argument("--json", default=str(HERE / "results" / "load.json"))
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    began = time.monotonic()
    from web import build_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        sid, build = build_store(db, args.articles, Path(tmp) / "corpus")
        routes, key = targets(db, sid)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port)
        try:
            import httpx

            for url in routes.values():  # warm the caches (ask index, cited spans) once
                httpx.get(base + url, timeout=60).raise_for_status()
            alone, alone_wall = run_load(base, routes, key, sid, 1, args.baseline, "alone")
            seconds = max(1.0, min(args.seconds, TOTAL_BUDGET_S - 5 - (time.monotonic() - began)))
            tallies, wall = run_load(base, routes, key, sid, args.threads, seconds, "load")
        finally:
            server.terminate()
            server.wait(10)
        accepted = [c for t in [*alone, *tallies] for c in t.accepted]  # each comment is unique
        stored = stored_reports(db)
    rows = summarise(tallies, wall)
    baseline = summarise(alone, alone_wall)
    lost = len(set(accepted) - set(stored))
    doubled = len(stored) - len(set(stored))
    total_s = round(time.monotonic() - began, 1)
    build_s = build["analyse_s"] + build["cross_check_and_dossier_s"] + build["save_story_s"]
    print(f"story: {args.articles} synthetic articles (built in {build_s:.1f} s); {args.threads} client threads "
          f"for {wall:.1f} s against uvicorn on 127.0.0.1 ({os.cpu_count()} cores, shared by clients and server)")
    print("report rate limit: LIFTED for this benchmark (create_app(..., limits=WriteLimits(reports=None))); "
          "the default is 10 reports per client address per 60 s")
    header = f"{'route':<15} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['route']:<15} {r['requests']:>8} {r['per_s']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['p99_ms']:>8} {r['errors']:>6}" + (f"  {', '.join(r['error_kinds'])}" if r["error_kinds"] else ""))
    solo = baseline[-1]
    print(f"one client alone first ({alone_wall:.1f} s): {solo['requests']} requests, {solo['per_s']} req/s, "
          f"p50 {solo['p50_ms']} ms, p95 {solo['p95_ms']} ms, {solo['errors']} errors")
    print(f"reports: {len(accepted)} accepted (303), {len(stored)} stored, {lost} lost, {doubled} stored twice; "
          f"whole run {total_s} s")
    result = {
        "benchmark": "load",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()},
        "config": {"articles": args.articles, "threads": args.threads, "seconds": round(wall, 1),
                   "rate_limit": "lifted (WriteLimits(reports=None))", "embeddings": False, "server": "uvicorn, "
                   "1 process, 127.0.0.1"},  # fmt: skip
        "build": build,
        "routes": rows,
        "one_client": baseline,
        "reports": {"accepted": len(accepted), "stored": len(stored), "lost": lost, "stored_twice": doubled},
        "total_s": total_s,
    }
    write_json(Path(args.json), result)
    print(f"wrote {args.json}")
    if lost or doubled or len(set(accepted)) != len(accepted):
        raise SystemExit(f"{lost} accepted reports are not in the store, {doubled} are stored twice")


if __name__ == "__main__":
    main()
