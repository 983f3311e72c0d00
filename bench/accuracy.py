"""Regenerate docs/accuracy.md and bench/results/accuracy.json from every evaluation script.

Usage: python bench/accuracy.py [--results-dir DIR] [--only NAME ...] [--timeout S] [--md FILE] [--json FILE]

Each script in BENCHES runs in its own subprocess (its ``evaluate(split)``; if that is missing or fails, the
script itself with ``--json``), so a crash or a missing dataset only marks its own row.  With --results-dir
the results are read from DIR/<name>.json instead of running anything.  Speed rows come from
bench/results/pipeline.json (written by bench/pipeline.py) and the golden-set rows from
tests/golden/baseline.json (written by bench/gate.py --update).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import runpy
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "accuracy.md"


@dataclass(frozen=True)
class Bench:
    name: str
    split: str | None
    stage: str
    what: str


BENCHES = (
    Bench("tempeval", "platinum", "Dates", "temporal expressions: TIMEX3 extraction and normalisation"),
    Bench("polnear", "dev", "Quotes", "attribution: source (speaker), cue and content spans"),
    Bench("wikiref", None, "Story clustering", "which articles are about the same event"),
    Bench("msrp", "test", "Same claim", "sentence-pair paraphrase detection"),
    Bench("syndication", None, "Syndication", "wire copies and light rewrites counted as one source"),
    Bench("crossdoc", "dev", "Corroboration",
          "cross-document: same fact in other words (ECB+), figures (GVA), story clustering"),
    Bench("figures_real", "dev", "Running figures",
          "dated values of death tolls and similar counts as points of one series (our annotation)"),
    Bench("facts_real", "dev", "Corroboration (real)",
          "facts 2+ outlets state that come out as one corroborated claim (our annotation of WikiRef220)"),
    Bench("speakers", "dev", "Quote speakers",
          "who said each direct quote in real articles (our annotation of PolNeAR and WikiRef220)"),
    Bench("conflicts", "dev", "Conflicts and errors",
          "errors injected into real coverage (GVA) found, false alarms, real disagreements (our annotation)"),
    Bench("ask_real", "dev", "Ask (real)",
          "reader questions over real stories answered right with a citation, or declined (our annotation)"),
)
SPEED_GOAL = 0.8  # storyline speed / raw spaCy speed: at most ~25% more time


# --------------------------------------------------------------------------- running one benchmark


def _child(script: str, split: str, out: str) -> int:
    """Runs inside the subprocess: evaluate(split) -> JSON at ``out``; falls back to the script's --json."""
    path = Path(script)
    name = path.stem
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(path.parent))
    problem = ""
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        evaluate = getattr(module, "evaluate", None)
        if callable(evaluate):
            result = evaluate(split or None)
            if isinstance(result, dict) and "status" in result:
                Path(out).write_text(json.dumps(result, default=str), encoding="utf-8")
                return 0
            problem = "evaluate() did not return a contract dict"
        else:
            problem = "no evaluate()"
    except Exception as exc:  # noqa: BLE001 - any failure falls back to the command line
        problem = f"evaluate() failed: {exc.__class__.__name__}: {exc}"
    print(f"{name}: {problem}; running the script with --json", file=sys.stderr)
    for argv in ([str(path), "--json", out] + (["--split", split] if split else []), [str(path), "--json", out]):
        sys.argv = argv
        try:
            runpy.run_path(str(path), run_name="__main__")
        except SystemExit as exc:
            if exc.code not in (0, None):
                continue
        if Path(out).is_file():
            return 0
    return 1


def _not_run(bench: Bench, status: str, reason: str) -> dict[str, Any]:
    return {"benchmark": bench.name, "dataset": "", "split": bench.split or "", "status": status,
            "metrics": {}, "published": {}, "goal": {}, "errors": [], "notes": reason}


def run_bench(
    bench: Bench, timeout: float, *, bench_dir: Path = ROOT / "bench", results: Path = RESULTS
) -> dict[str, Any]:
    """Run one benchmark in a subprocess, keep its JSON as results/<name>.json; never raises."""
    script = bench_dir / f"{bench.name}.py"
    if not script.is_file():
        return _not_run(bench, "not run", f"bench/{bench.name}.py does not exist yet")
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"{bench.name}.json"
    tmp = results / f".{bench.name}.partial.json"
    tmp.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(script), bench.split or "", str(tmp)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return _not_run(bench, "not run", f"timed out after {timeout:.0f} s")
    except OSError as exc:
        return _not_run(bench, "not run", f"could not start: {exc}")
    try:
        result = json.loads(tmp.read_text(encoding="utf-8"))
        tmp.unlink(missing_ok=True)
    except (OSError, ValueError):
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or ["no output"]
        return _not_run(bench, "not run", f"failed (exit {proc.returncode}): {tail[0][:300]}")
    result.setdefault("seconds", round(time.perf_counter() - start, 1))
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return normalise(result, bench)


def normalise(result: Any, bench: Bench) -> dict[str, Any]:
    """A result with every contract key present and of the right type (bad values are dropped)."""
    if not isinstance(result, dict):
        return _not_run(bench, "not run", "result is not a JSON object")
    out = dict(result)
    out["benchmark"] = str(out.get("benchmark") or bench.name)
    for key, kind in (("metrics", dict), ("published", dict), ("goal", dict), ("errors", list)):
        if not isinstance(out.get(key), kind):
            out[key] = kind()
    for key in ("dataset", "split", "notes", "status"):
        out[key] = "" if out.get(key) is None else str(out[key])
    if not out["status"]:
        out["status"] = "not run"
        out["notes"] = (
            f"bench/{bench.name}.py wrote JSON without a \"status\": it does not follow the bench contract yet"
        )
    out["metrics"] = {str(k): v for k, v in out["metrics"].items() if _is_number(v)}
    out["published"] = {
        str(s): {str(k): v for k, v in m.items() if _is_number(v)} for s, m in out["published"].items() if isinstance(m, dict)
    }
    out["errors"] = [e for e in out["errors"] if isinstance(e, dict)]
    return out


def load_results(directory: Path, benches: tuple[Bench, ...] = BENCHES) -> list[dict[str, Any]]:
    """Results from DIR/<name>.json (a missing or unreadable file is a "not run" row)."""
    out = []
    for bench in benches:
        path = directory / f"{bench.name}.json"
        try:
            out.append(normalise(json.loads(path.read_text(encoding="utf-8")), bench))
        except FileNotFoundError:
            out.append(_not_run(bench, "not run", f"no result file {path.name}"))
        except (OSError, ValueError) as exc:
            out.append(_not_run(bench, "not run", f"unreadable {path.name}: {exc.__class__.__name__}"))
    return out


# --------------------------------------------------------------------------- formatting


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and v == v


def fmt(v: Any) -> str:
    if not _is_number(v):
        return "–"
    if isinstance(v, int):
        return f"{v:,}"
    if abs(v) < 1.5:
        return f"{v:.3f}"
    return f"{v:.2f}" if abs(v) < 1000 else f"{v:,.0f}"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def goal_status(result: dict[str, Any]) -> tuple[str, str, str]:
    """(our value, goal value, "met" | "not met" | "n/a") for the result's goal metric (higher is better)."""
    goal = result.get("goal") or {}
    metric, target = goal.get("metric"), goal.get("value")
    ours = (result.get("metrics") or {}).get(metric) if metric else None
    if result.get("status") != "ok" or not _is_number(ours) or not _is_number(target):
        return fmt(ours), fmt(target), "n/a"
    return fmt(ours), fmt(target), "met" if ours >= target else "not met"


def best_published(result: dict[str, Any]) -> str:
    metric = (result.get("goal") or {}).get("metric")
    scored = [(m[metric], s) for s, m in (result.get("published") or {}).items() if _is_number(m.get(metric))]
    if not scored:
        return "–"
    value, system = max(scored)
    return f"{fmt(value)} ({_cell(system)})"


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=20, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                               timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def load_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def speed_rows(pipeline: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = (pipeline or {}).get("rows")
    if not isinstance(rows, list):
        return []
    return [r for r in rows if isinstance(r, dict) and r.get("articles") in (1000, 10000)]


def _peak(value: Any) -> str:
    if _is_number(value):
        return f"{value:,.0f} MB"
    if isinstance(value, dict):
        parts = [f"{k.replace('_', ' ')} {v:,.0f} MB" for k, v in value.items() if _is_number(v)]
        return ", ".join(parts) or "–"
    return "–"


def speed_section(pipeline: dict[str, Any] | None) -> list[str]:
    lines = ["## Speed and memory", ""]
    rows = speed_rows(pipeline)
    if not rows:
        lines += ["No pipeline benchmark at 1,000 or 10,000 articles yet: run `make bench` "
                  "(`python bench/pipeline.py`), then this script again.", ""]
        return lines
    machine = (pipeline or {}).get("machine") or {}
    lines += [
        f"From `bench/results/pipeline.json` ({_cell((pipeline or {}).get('date', 'undated'))}; "
        f"{_cell(machine.get('cpus', '?'))} CPUs, Python {_cell(machine.get('python', '?'))}). "
        f"Ratio = storyline words/s ÷ raw spaCy words/s on the same articles (goal ≥ {SPEED_GOAL}: at most "
        "~25% more time than the spaCy pipeline alone).",
        "",
        "| articles | words | workers | storyline words/s | raw spaCy words/s | ratio | goal | articles/s "
        "| peak memory (storyline) | peak memory (raw spaCy) |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for r in rows:
        ratio = r.get("ratio")
        met = "n/a" if not _is_number(ratio) else ("met" if ratio >= SPEED_GOAL else "not met")
        lines.append(
            f"| {fmt(r.get('articles'))} | {fmt(r.get('words'))} | {fmt(r.get('workers'))} "
            f"| {fmt(r.get('storyline_words_per_s'))} | {fmt(r.get('reference_words_per_s'))} | {fmt(ratio)} "
            f"| {met} | {fmt(r.get('storyline_articles_per_s'))} | {_peak(r.get('storyline_peak_mb'))} "
            f"| {_peak(r.get('reference_peak_mb'))} |"
        )
    return [*lines, ""]


def golden_section(baseline: dict[str, Any] | None) -> list[str]:
    lines = ["## Own golden set (regression gate)", ""]
    scores = (baseline or {}).get("scores")
    if not isinstance(scores, dict) or not scores:
        return [*lines, "No baseline yet: run `python bench/gate.py --update`.", ""]
    lines += [
        f"The sample corpus `examples/sample-story/` against its hand-written answer key, as recorded in "
        f"`tests/golden/baseline.json` ({_cell(baseline.get('updated', 'undated'))}). `tests/test_gate.py` fails "
        "when any stage drops below these.",
        "",
        "| stage | score |",
        "|---|---:|",
    ]
    lines += [f"| {_cell(k.replace('_', ' '))} | {fmt(v)} |" for k, v in scores.items()]
    return [*lines, ""]


def render(
    results: list[dict[str, Any]],
    *,
    pipeline: dict[str, Any] | None,
    baseline: dict[str, Any] | None,
    commit: str,
    date: str,
    benches: tuple[Bench, ...] = BENCHES,
) -> str:
    """The Markdown report."""
    by_name = {b.name: b for b in benches}
    lines = [
        "# storyline accuracy, measured against the field",
        "",
        f"Generated {date} at commit `{commit}` by `python bench/accuracy.py`. Every score below is on public "
        "data nobody on the team wrote (`../shared/datasets/`, see its README), next to published systems where "
        "they exist.",
        "",
        "## Summary",
        "",
        "| stage | benchmark | dataset (split) | goal metric | storyline | best published | goal | met |",
        "|---|---|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        bench = by_name.get(r["benchmark"], Bench(r["benchmark"], None, r["benchmark"], ""))
        ours, target, met = goal_status(r)
        if r["status"] != "ok":
            met = r["status"]
        metric = (r.get("goal") or {}).get("metric") or "–"
        split = r.get("split") or bench.split or ""
        lines.append(
            f"| {_cell(bench.stage)} | `{bench.name}` | {_cell(r.get('dataset') or '–')}"
            f"{f' ({_cell(split)})' if split else ''} | {_cell(metric)} | {ours} | {best_published(r)} "
            f"| {target} | {met} |"
        )
    lines.append("")
    for r in results:
        bench = by_name.get(r["benchmark"], Bench(r["benchmark"], None, r["benchmark"], ""))
        lines += [f"## {_cell(bench.stage)}: `bench/{bench.name}.py`", ""]
        if bench.what:
            lines += [f"What it measures: {bench.what}.", ""]
        if r["status"] != "ok":
            lines += [f"**{r['status']}**: {_cell(r.get('notes') or 'no reason given')}", ""]
            continue
        systems = list(r["published"])
        lines += [
            "| " + " | ".join(["metric", "storyline", *(_cell(s) for s in systems)]) + " |",
            "|---|---:|" + "---:|" * len(systems),
        ]
        # our metrics, then published metrics we do not report
        extra = sorted({m for s in systems for m in r["published"][s]} - set(r["metrics"]))
        for metric in [*r["metrics"], *extra]:
            row = [_cell(metric), fmt(r["metrics"].get(metric)), *(fmt(r["published"][s].get(metric)) for s in systems)]
            lines.append("| " + " | ".join(row) + " |")
        ours, target, met = goal_status(r)
        lines += ["", f"Goal: {_cell((r.get('goal') or {}).get('metric') or '–')} ≥ {target}: **{met}** "
                  f"(storyline {ours}).", ""]
        if r.get("notes"):
            lines += [f"How it was scored: {_cell(r['notes'])}", ""]
        errors = sorted(r["errors"], key=lambda e: -e["count"] if _is_number(e.get("count")) else 0)[:8]
        if errors:
            lines += ["Most common errors:", "", "| error kind | count | example |", "|---|---:|---|"]
            lines += [
                f"| {_cell(e.get('kind', '?'))} | {fmt(e.get('count'))} | {_cell(e.get('example', ''))} |" for e in errors
            ]
            lines.append("")
    lines += speed_section(pipeline)
    lines += golden_section(baseline)
    lines += [
        "## How to reproduce",
        "",
        "```sh",
        "make setup                      # .venv with storyline, its dependencies and the spaCy model",
        "python bench/pipeline.py        # speed rows (or: make bench)",
        "python bench/gate.py            # golden-set scores against tests/golden/baseline.json",
        "python bench/accuracy.py        # runs every benchmark, rewrites this file and bench/results/accuracy.json",
        "```",
        "",
        "Each benchmark also runs alone: `python bench/<name>.py --json bench/results/<name>.json` "
        f"({', '.join(f'`{b.name}`' for b in benches)}). The datasets are read from `../shared/datasets/`; "
        "a missing dataset is reported as absent, never an error.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1], argv[2], argv[3])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results-dir", type=Path, default=None, help="read DIR/<name>.json instead of running")
    ap.add_argument("--only", nargs="*", default=None, help="run only these benchmarks (others read from results)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per benchmark")
    ap.add_argument("--md", type=Path, default=DOC)
    ap.add_argument("--json", dest="json_out", type=Path, default=RESULTS / "accuracy.json")
    ap.add_argument("--pipeline", type=Path, default=RESULTS / "pipeline.json")
    ap.add_argument("--baseline", type=Path, default=ROOT / "tests" / "golden" / "baseline.json")
    args = ap.parse_args(argv)

    results: list[dict[str, Any]] = []
    stored = load_results(args.results_dir or RESULTS)
    for bench, old in zip(BENCHES, stored, strict=True):
        if args.results_dir is not None or (args.only is not None and bench.name not in args.only):
            results.append(old)
            continue
        print(f"running bench/{bench.name}.py ...", flush=True)
        results.append(run_bench(bench, args.timeout))
        print(f"  {bench.name}: {results[-1]['status']} {goal_status(results[-1])}", flush=True)
    commit, date = git_commit(), dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    md = render(results, pipeline=load_json(args.pipeline), baseline=load_json(args.baseline), commit=commit, date=date)
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(md, encoding="utf-8")
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(
        json.dumps({"benchmark": "accuracy", "date": date, "commit": commit, "results": results,
                    "speed": speed_rows(load_json(args.pipeline))}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"{'stage':<18} {'status':<8} {'ours':>8} {'goal':>8}  met")
    for r, bench in zip(results, BENCHES, strict=True):
        ours, target, met = goal_status(r)
        print(f"{bench.stage:<18} {r['status']:<8} {ours:>8} {target:>8}  {met}")
    print(f"wrote {args.md} and {args.json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
