"""The fuzz suite (issue 13): several hundred malformed, hostile and odd inputs through `storyline analyze`.

The corpus comes from tests/fuzzcorpus.py (deterministic, invented text).  One batch runs the whole folder
in a subprocess; other tests run a sample of the inputs one at a time, and the inputs that can block or
exhaust a naive reader (FIFOs, /dev/zero, symlink loops) alone with short timeouts.  What must hold: no
traceback or crash, never a hang, exit code 1 for the partial batch, every good article stored, every
rejected input named on one line with a reason (markup in names printed as written, escape codes never
raw), nothing read from outside the folder.

All are marked ``slow`` (the normal `make test` runs them; the batch takes about a minute on 2 cores).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from fuzzcorpus import (
    ESC,
    GOOD,
    GOOD_ARTICLES,
    GOOD_TITLES,
    REJECT,
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

pytestmark = pytest.mark.slow

BATCH_TIMEOUT = 300  # seconds for the whole corpus in one run (about 60 s expected on 2 cores)
ALONE_TIMEOUT = 120  # one ordinary input
SPECIAL_TIMEOUT = 20  # a FIFO / device / loop input: it must be refused quickly, never waited on
MEM_MB = 8192  # address-space cap of each child: a runaway reader fails instead of eating the machine


def _report(problems: dict[str, list[str]], limit: int = 80) -> str:
    lines = [f"{len(problems)} inputs with problems:"]
    for key, probs in list(problems.items())[:limit]:
        lines.append(f"  {key!r}: {'; '.join(probs)}")
    if len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit} more")
    return "\n".join(lines)


@dataclass(frozen=True)
class Batch:
    cases: list[Case]
    run: Run
    db: Path
    titles: set[str]
    texts: list[str]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    """The whole corpus (no specials) as ONE `storyline analyze <folder>` run."""
    root = tmp_path_factory.mktemp("fuzz")
    cases = generate(root / "corpus")
    assert len(cases) >= 300
    db = root / "s.db"
    run = run_analyze([root / "corpus"], db, timeout=BATCH_TIMEOUT, mem_mb=MEM_MB)
    titles, texts = stored_titles_and_texts(db)
    return Batch(cases, run, db, titles, texts)


def _crash_summary(run: Run) -> str:
    return (f"exit {run.rc}, {run.seconds:.0f}s, exceptions: {', '.join(run.exceptions) or '-'}\n"
            f"stderr tail:\n{run.stderr[-3000:]}")


def test_corpus_is_deterministic(tmp_path: Path):
    a = generate(tmp_path / "a", seed=13)
    b = generate(tmp_path / "b", seed=13)
    assert [c.key for c in a] == [c.key for c in b]
    for ca, cb in zip(a, b, strict=True):
        if ca.kind in ("symlink", "manifest") or ca.forbidden:  # these hold absolute paths
            continue
        assert Path(ca.path).read_bytes() == Path(cb.path).read_bytes(), ca.key
    kinds = {c.kind for c in a}
    assert {"empty", "binary", "encoding", "html", "markdown", "json", "jsonl", "csv", "feed", "manifest", "names",
            "long", "symlink", "good"} <= kinds
    assert sum(c.expect == GOOD for c in a) >= 6
    for title, text in zip(GOOD_TITLES, (t for _, t in GOOD_ARTICLES), strict=True):
        assert len(text.split()) >= 60, title


def test_batch_runs_to_the_end_without_a_crash(batch: Batch):
    run = batch.run
    assert not run.timed_out, f"the batch hung (killed after {run.seconds:.0f}s)\n{run.stderr[-2000:]}"
    assert not run.crashed, _crash_summary(run)
    assert run.rc == 1, _crash_summary(run)  # partial: some inputs failed, the rest ran
    assert "analysed" in run.stdout


def test_batch_stores_every_good_article(batch: Batch):
    missing = [c.title for c in batch.cases if c.walk == GOOD and c.title not in batch.titles]
    assert not missing, f"good articles not stored: {missing}\n{_crash_summary(batch.run)}"


def test_batch_names_every_rejected_input_with_a_reason(batch: Batch):
    problems = {}
    for case in batch.cases:
        probs = judge(case, batch.run, "walk", batch.titles, batch.texts)
        if probs:
            problems[case.key] = probs
    assert not problems, _report(problems)


def test_batch_prints_markup_in_names_as_written(batch: Batch):
    markup = [c for c in batch.cases if c.walk == REJECT and any(ch in c.key for ch in "[]:")]
    assert markup
    wrong = [c.key for c in markup if not naming_lines(c, batch.run.skipped_lines)]
    assert not wrong, f"names not printed literally: {wrong}"


def test_batch_never_prints_a_raw_escape(batch: Batch):
    raw = [ln for ln in batch.run.output.split("\n") if ESC in ln]
    assert not raw, f"{len(raw)} output lines with a raw ESC, e.g. {raw[:3]!r}"


def test_batch_prints_one_line_per_failure_and_nothing_else(batch: Batch):
    stray = stray_lines(batch.run)
    assert not stray, f"{len(stray)} stderr lines that are not 'skipped ...' lines, e.g. {stray[:8]!r}"


def test_batch_reads_nothing_from_outside_the_folder(batch: Batch):
    leaked = [c.key for c in batch.cases if c.forbidden and any(c.forbidden in t for t in batch.texts)]
    assert not leaked, f"text from outside the folder was stored via: {leaked}"


def test_batch_reports_the_analysed_articles(batch: Batch):
    """The run's summary counts them, and `storyline sources` names each good article by its file."""
    if not batch.db.exists():
        pytest.skip("the batch wrote no store")
    goods = [c for c in batch.cases if c.walk == GOOD]
    proc = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "sources", "--db", str(batch.db), "--json"],
        capture_output=True, timeout=120,
    )
    origins = {row["origin"] for row in json.loads(proc.stdout)}
    counted = re.search(r"analysed (\d+) articles?", batch.run.stdout)
    assert counted and int(counted.group(1)) == len(origins) >= len(goods), batch.run.stdout[-500:]
    named = {o.split("#", 1)[0] for o in origins}  # a row of a JSONL/CSV file or a feed entry is "FILE#N"
    unnamed = [c.key for c in goods if str(c.path) not in named]
    assert not unnamed, f"good articles not listed by `storyline sources`: {unnamed}"


def test_sources_listing_of_the_fuzzed_store(batch: Batch):
    if not batch.db.exists():
        pytest.skip("the batch wrote no store")
    proc = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "sources", "--db", str(batch.db)],
        capture_output=True, timeout=120, env={**os.environ, "COLUMNS": "400"},
    )
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert proc.returncode == 0 and "Traceback" not in out, out[-3000:]
    assert ESC not in out, "a stored title printed with a raw ESC"


def _sample(cases: list[Case], n: int = 12) -> list[Case]:
    rng = random.Random(13)
    good = [c for c in cases if c.expect == GOOD]
    rest = [c for c in cases if c.expect != GOOD and not c.special]
    by_kind: dict[str, list[Case]] = {}
    for c in rest:
        by_kind.setdefault(c.kind, []).append(c)
    picked = rng.sample(good, 3)
    kinds = sorted(by_kind)
    while len(picked) < n and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(picked) < n:
                picked.append(by_kind[kind].pop(rng.randrange(len(by_kind[kind]))))
    return sorted(picked, key=lambda c: c.key)


def _alone(case: Case, root: Path, timeout: float) -> tuple[Case, Run, list[str]]:
    db = root / f"alone-{abs(hash(case.key))}.db"
    run = run_analyze([case.path], db, timeout=timeout, mem_mb=MEM_MB if not case.special else 2048,
                      extra=("--workers", "1"))
    titles, texts = stored_titles_and_texts(db) if not run.timed_out else (set(), [])
    return case, run, judge(case, run, "alone", titles, texts)


def test_sample_one_input_at_a_time(tmp_path: Path):
    cases = _sample(generate(tmp_path / "corpus"))  # bench/hostile.py runs every input alone
    assert len(cases) >= 12
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda c: _alone(c, tmp_path, ALONE_TIMEOUT), cases))
    problems = {case.key: probs for case, _run, probs in results if probs}
    assert not problems, _report(problems)


def test_fifos_devices_and_symlink_loops_never_hang(tmp_path: Path):
    folder = tmp_path / "specials"
    cases = special_cases(folder)
    assert any(c.variant == "fifo" for c in cases)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda c: _alone(c, tmp_path, SPECIAL_TIMEOUT), cases))
    problems = {case.key: probs for case, _run, probs in results if probs}
    # and all of them met in one folder walk, next to a good article that must still be stored
    title, text = GOOD_ARTICLES[0]
    (folder / "good.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    db = tmp_path / "walk.db"
    run = run_analyze([folder], db, timeout=3 * SPECIAL_TIMEOUT, mem_mb=2048)
    if run.timed_out:
        problems["<folder walk>"] = [f"hang (killed after {run.seconds:.0f}s)"]
    else:
        if run.crashed:
            problems["<folder walk>"] = [f"crash ({', '.join(run.exceptions)}; exit {run.rc})"]
        titles, _ = stored_titles_and_texts(db)
        if title not in titles:
            problems.setdefault("<folder walk>", []).append("the good article next to them was not stored")
    assert not problems, _report(problems)
