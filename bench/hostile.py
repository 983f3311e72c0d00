"""Hostile inputs at real sizes: every input of the fuzz corpus through `storyline analyze`, one at a time.

Generates the corpus of tests/fuzzcorpus.py with ``big=True`` (5 MB single line, 100,000 sentences, a 5 MB
CSV field, a 3 MB feed entry, 100,000 HTML paragraphs, 200 KB of Markdown, a 1.2 MB article...) plus the
special inputs (FIFOs, /dev/zero and /dev/urandom links, symlink loops), then runs
`storyline analyze FILE --db ...` for each input in its own subprocess with a wall-clock timeout and an
address-space cap, measuring the child's peak RSS (wait4), and finally the whole folder as one batch
(and, when some inputs crashed alone, a second batch of the others, so one crash does not hide the rest).

Records per input: exit code, seconds, peak MB, crash yes/no (and the exception types), the printed reason,
and the problems found (hang, crash, over 2 GB, rejected without a reason, markup printed wrongly, good
article not stored...).  Prints a table of the failures and writes bench/results/hostile.json.

    .venv/bin/python bench/hostile.py                  # everything (several minutes)
    .venv/bin/python bench/hostile.py --quick          # CI sizes instead of big ones
    .venv/bin/python bench/hostile.py --limit 40       # a deterministic sample of 40 inputs
    .venv/bin/python bench/hostile.py --kinds names,manifest --no-batch

Not part of `make test`.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "tests"))
from contract import write_json  # noqa: E402
from fuzzcorpus import (  # noqa: E402
    GOOD,
    Case,
    Run,
    generate,
    judge,
    naming_lines,
    run_analyze,
    special_cases,
    stored_titles_and_texts,
    stray_lines,
)

OUT = HERE / "results" / "hostile.json"
MEM_MB = 8192  # address-space cap per child (a /dev/zero reader must fail, not eat the machine)
SPECIAL_MEM_MB = 2048
OVER_MB = 2048  # a run above this peak RSS is a failure


def _reason(case: Case, run: Run) -> str | None:
    lines = naming_lines(case, run.skipped_lines)
    if not lines:
        return None
    line = lines[0]
    for names in case.names:
        if names and all(p in line for p in names):
            tail = line[line.rindex(names[-1]) + len(names[-1]):]
            m = re.search(r":\s*(.*)$", tail)
            return (m.group(1) if m else tail).strip()[:200]
    return line.strip()[:200]


def run_one(case: Case, work: Path, timeout: float) -> dict:
    db = work / f"{re.sub(r'[^A-Za-z0-9]+', '-', case.key)[:60]}-{abs(hash(case.key)) % 10**8}.db"
    run = run_analyze([case.path], db, timeout=timeout if not case.special else min(timeout, 30),
                      mem_mb=SPECIAL_MEM_MB if case.special else MEM_MB, extra=("--workers", "1"))
    titles, texts = stored_titles_and_texts(db) if not run.timed_out else (set(), [])
    problems = judge(case, run, "alone", titles, texts)
    stray = [ln for ln in stray_lines(run) if "crashed" not in ln and "Traceback" not in ln]
    if stray and not run.crashed:
        problems.append(f"stray output: {stray[0].strip()[:120]!r}")
    for p in db.parent.glob(db.name + "*"):
        p.unlink(missing_ok=True)
    return {
        "key": case.key,
        "kind": case.kind,
        "variant": case.variant,
        "expect": case.expect,
        "special": case.special,
        "size_bytes": _size(case.path),
        "rc": run.rc,
        "seconds": round(run.seconds, 2),
        "peak_mb": round(run.peak_mb, 1),
        "traceback": run.crashed,
        "exceptions": run.exceptions if run.crashed else [],
        "hang": run.timed_out,
        "reason": _reason(case, run),
        "problems": problems,
    }


def _size(path: Path) -> int | None:
    try:
        return path.lstat().st_size if path.is_symlink() else path.stat().st_size
    except (OSError, ValueError):
        return None


def run_batch(label: str, inputs: list[Path], cases: list[Case], db: Path, timeout: float) -> dict:
    run = run_analyze(inputs, db, timeout=timeout, mem_mb=MEM_MB)
    titles, texts = stored_titles_and_texts(db) if not run.timed_out else (set(), [])
    problems = {}
    for case in cases:
        probs = judge(case, run, "walk", titles, texts)
        if probs:
            problems[case.key] = probs
    analysed = re.search(r"analysed (\d+) articles", run.stdout)
    return {
        "label": label,
        "inputs": len(inputs),
        "rc": run.rc,
        "seconds": round(run.seconds, 1),
        "peak_mb": round(run.peak_mb, 1),
        "hang": run.timed_out,
        "traceback": run.crashed,
        "exceptions": run.exceptions if run.crashed else [],
        "analysed": int(analysed.group(1)) if analysed else None,
        "skipped_lines": len(run.skipped_lines),
        "raw_esc_lines": sum(1 for ln in run.output.split("\n") if "\x1b" in ln),
        "stray_lines": stray_lines(run)[:20],
        "problems": problems,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI sizes (tests/test_fuzz.py's corpus) instead of big ones")
    ap.add_argument("--limit", type=int, help="a deterministic sample of this many inputs (good ones first)")
    ap.add_argument("--kinds", help="only these kinds, comma-separated (e.g. names,manifest,special)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per input (specials: at most 30)")
    ap.add_argument("--batch-timeout", type=float, default=900.0)
    ap.add_argument("--jobs", type=int, default=1, help="inputs run at the same time (default 1: honest timings)")
    ap.add_argument("--no-batch", action="store_true", help="skip the whole-folder batch runs")
    ap.add_argument("--no-specials", action="store_true", help="leave out FIFOs, device links and loops")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="storyline-hostile-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        cases = generate(root / "corpus", big=not args.quick)
        if not args.no_specials:
            cases += special_cases(root / "specials")
        if args.kinds:
            wanted = set(args.kinds.split(","))
            cases = [c for c in cases if c.kind in wanted]
        if args.limit and len(cases) > args.limit:
            rng = random.Random(13)
            good = [c for c in cases if c.expect == GOOD][: max(1, args.limit // 10)]
            rest = [c for c in cases if c not in good]
            cases = good + rng.sample(rest, args.limit - len(good))
        print(f"{len(cases)} inputs (generated in {time.perf_counter() - t0:.1f}s); one at a time, "
              f"timeout {args.timeout:g}s, {args.jobs} at once", flush=True)
        work = root / "stores"
        work.mkdir()
        rows: list[dict] = []

        def one(case: Case) -> dict:
            row = run_one(case, work, args.timeout)
            mark = "FAIL" if row["problems"] else "ok"
            print(f"  {mark:4} {row['seconds']:6.1f}s {row['peak_mb']:7.0f} MB rc={row['rc']!s:4} {row['key']!r}"
                  + (f"  {'; '.join(row['problems'])[:160]}" if row["problems"] else ""), flush=True)
            return row

        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            rows = list(pool.map(one, cases))

        batches = []
        if not args.no_batch:
            folder_cases = [c for c in cases if not c.special]
            full = [c for c in generate(root / "batch-corpus", big=not args.quick)]
            keys = {c.key for c in folder_cases}
            print("batch: the whole corpus folder (no specials) in one run ...", flush=True)
            batches.append(run_batch("folder", [root / "batch-corpus"], [c for c in full if c.key in keys],
                                     root / "batch.db", args.batch_timeout))
            crashed = {r["key"] for r in rows if r["traceback"] or r["hang"]}
            if crashed:
                rest = [c for c in full if c.key in keys and c.key not in crashed]
                inputs = sorted({_batch_input(c, root / "batch-corpus") for c in rest})
                print(f"batch: the {len(rest)} inputs that did not crash alone, as paths ...", flush=True)
                batches.append(run_batch("without-crashers", inputs, rest, root / "batch2.db", args.batch_timeout))
            if not args.no_specials:
                specials = [c for c in cases if c.special]
                if specials:
                    print("batch: the specials folder ...", flush=True)
                    batches.append(run_batch("specials", [root / "specials"], specials, root / "batch3.db", 120))

    failures = [r for r in rows if r["problems"]]
    _print_table(failures, batches)
    result = {
        "benchmark": "hostile-inputs",
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "sizes": "ci" if args.quick else "big",
        "inputs": len(rows),
        "failures": len(failures),
        "hangs": sum(r["hang"] for r in rows),
        "tracebacks": sum(r["traceback"] for r in rows),
        "over_2gb": sum(r["peak_mb"] > OVER_MB for r in rows),
        "max_peak_mb": max((r["peak_mb"] for r in rows), default=0),
        "max_seconds": max((r["seconds"] for r in rows), default=0),
        "rows": rows,
        "batches": batches,
    }
    write_json(args.out, result)
    print(f"wrote {args.out}")


def _batch_input(case: Case, folder: Path) -> Path:
    """What to pass for ``case`` in a batch of paths: manifests by their folder, the rest by file."""
    if case.kind == "manifest":
        return folder / case.key.rstrip("/")
    return folder / case.key


def _print_table(failures: list[dict], batches: list[dict]) -> None:
    print()
    print(f"{len(failures)} inputs failed when run alone")
    if failures:
        print(f"{'kind':10} {'variant':28} {'rc':>4} {'sec':>6} {'MB':>6}  problem")
        for r in sorted(failures, key=lambda r: (r["kind"], r["key"])):
            print(f"{r['kind']:10} {r['variant'][:28]:28} {r['rc']!s:>4} {r['seconds']:6.1f} {r['peak_mb']:6.0f}  "
                  f"{'; '.join(r['problems'])[:200]}")
    for b in batches:
        print()
        print(f"batch {b['label']}: {b['inputs']} inputs, exit {b['rc']}, {b['seconds']}s, {b['peak_mb']} MB, "
              f"analysed {b['analysed']}, {b['skipped_lines']} skipped lines, hang={b['hang']}, "
              f"crash={b['traceback']} {','.join(b['exceptions'])}, raw ESC lines {b['raw_esc_lines']}, "
              f"{len(b['problems'])} inputs with problems")
        for key, probs in list(b["problems"].items())[:60]:
            print(f"   {key!r}: {'; '.join(probs)[:200]}")
        for ln in b["stray_lines"][:5]:
            print(f"   stray: {ln[:200]!r}")


if __name__ == "__main__":
    main()
