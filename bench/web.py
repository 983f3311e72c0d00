"""How fast the web app serves a large story from the store (`make bench`).

Builds a synthetic story of N articles (default 1,000; `bench/synthetic.py`), analyses it into a fresh store,
saves it as a story (dossier by section, briefing, page view), then serves the store with the real app
(uvicorn on 127.0.0.1) and times real HTTP requests: the story list, the story page, the sources page, a source
page, an answer (lexical) and the problems page.  The goal is a story page under 200 ms.

Reference, measured in the same run: rendering the same story the naive way, by loading the whole dossier
from the store and rendering the full HTML report (`report.render_html`).  Ratios are page time / reference.

Prints a table and writes bench/results/web.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "n": len(ordered)}


def build_store(db: Path, size: int, folder: Path) -> tuple[str, dict]:
    from storyline.pipeline import analyze, build_from_store
    from storyline.reader.stories import save_story
    from storyline.store import Store
    from synthetic import write_corpus

    write_corpus(folder, size)
    timings = {}
    with Store(db) as store:
        t0 = time.perf_counter()
        result = analyze([str(folder)], store, dossier=False)
        timings["analyse_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        dossier = build_from_store(store, result.article_ids, title="Synthetic benchmark story", embeddings=False)
        timings["cross_check_and_dossier_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        sid = save_story(store, dossier, result.article_ids, story_id="bench-story")
        timings["save_story_s"] = round(time.perf_counter() - t0, 1)
        timings["dossier_mb"] = round(len(json.dumps(dossier)) / 1e6, 1)
        timings["counts"] = store.story(sid).counts
    return sid, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles in the story")
    parser.add_argument("--db", type=Path, help="keep the store here: built on the first run, reused after")
    parser.add_argument("--story", default="bench-story")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--json", default=str(HERE / "results" / "web.json"))
    args = parser.parse_args()

    import httpx
    import uvicorn

    from storyline.output.report import render_html
    from storyline.reader.stories import load_dossier
    from storyline.store import Store
    from storyline.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        build: dict = {}
        db, sid = args.db or Path(tmp) / "bench.db", args.story
        fresh = not db.exists()
        if not fresh:
            with Store(db) as store:
                fresh = store.story(sid) is None
        if fresh:
            sid, build = build_store(db, args.articles, Path(tmp) / "corpus")
        else:  # a kept store: rebuild the page view with this code
            from storyline.reader.stories import refresh_briefing

            with Store(db) as store:
                refresh_briefing(store, sid)
        with Store(db) as store:
            summary = store.story(sid)
            if summary is None:
                raise SystemExit(f"{db}: no story {sid!r}")
            aid = store.story_article_ids(sid)[len(store.story_article_ids(sid)) // 2]
            view = store.story_section(sid, "view") or {}
            report_key = next(i["key"] for g in view["claims"]["groups"] for i in g["items"])

            def naive() -> str:
                return render_html(load_dossier(store, sid))

            ref_times, ref_html = _timed(naive, 3)

        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(db, embedder=False), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        pages = {
            "story list": "/",
            "story page": f"/stories/{sid}",
            "timeline tab (page 2)": f"/stories/{sid}/timeline?page=2",
            "quotes tab": f"/stories/{sid}/quotes",
            "claims tab (contested)": f"/stories/{sid}/claims?status=contested",
            "figures tab": f"/stories/{sid}/figures",
            "disputes tab": f"/stories/{sid}/disputes",
            "report page": f"/stories/{sid}/report?key={urllib.parse.quote(report_key)}",
            "sources page": f"/stories/{sid}/sources",
            "source page": f"/stories/{sid}/sources/{aid}",
            "ask (lexical)": f"/stories/{sid}/ask?q=How+many+vessels+were+seized%3F",
            "problems page": "/problems",
        }
        rows = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for name, url in pages.items():
                first = time.perf_counter()
                r = client.get(url)
                first_ms = (time.perf_counter() - first) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
                times, resp = _timed(lambda url=url: client.get(url), args.requests)
                rows.append({"page": name, "url": url, "first_ms": round(first_ms, 1), **_stats(times),
                             "kb": round(len(resp.content) / 1024, 1)})
        server.should_exit = True
        thread.join(timeout=10)

    ref = _stats(ref_times)
    for r in rows:
        r["ratio_to_full_report"] = round(r["median_ms"] / ref["median_ms"], 4)
    print(f"story: {summary.title} — {summary.articles} articles, {summary.counts.get('claims', 0)} claims, "
          f"{summary.counts.get('events', 0)} events")
    if build:
        print(f"build: analyse {build['analyse_s']} s, cross-check + dossier {build['cross_check_and_dossier_s']} s, "
              f"save story {build['save_story_s']} s, dossier {build['dossier_mb']} MB")
    header = f"{'page':<16} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'KB':>7} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['page']:<16} {r['first_ms']:>9} {r['median_ms']:>10} {r['p95_ms']:>8} {r['kb']:>7} "
              f"{r['ratio_to_full_report']:>7}")
    print(f"{'reference: full report from the store':<40} median {ref['median_ms']} ms "
          f"({round(len(ref_html) / 1024)} KB of HTML)")
    story_ms = next(r["median_ms"] for r in rows if r["page"] == "story page")
    print(f"story page {'under' if story_ms < 200 else 'OVER'} the 200 ms goal ({story_ms} ms median)")
    result = {
        "benchmark": "web",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "story": {"articles": summary.articles, "counts": summary.counts},
        "build": build,
        "reference_full_report": ref,
        "pages": rows,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    write_json(Path(args.json), result)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
