"""Extraction on a Dask cluster (issue 15, item 1): the same stored extractions as the local worker processes,
a worker killed mid-run loses and duplicates nothing, a re-run does only what is missing, and a bad address is
one line and a non-zero exit.  Real processes on 127.0.0.1: a ``LocalCluster``, and a ``dask scheduler`` with
two ``dask worker`` processes started as subprocesses.  Every article text here was written for this file."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from storyline.errors import ClusterError

distributed = pytest.importorskip("distributed")

BIN = Path(sys.executable).parent
STORYLINE = [sys.executable, "-m", "storyline.cli"]
TOWNS = ("Varneck", "Ostholm", "Pellridge", "Carrow Point", "Suddbury", "Levenmouth", "Ashby Fold", "Marlowe")
PEOPLE = ("Irena Coll", "Tomas Brack", "Hedda Lunn", "Pavel Orrin", "Maud Kestrel", "Jonah Pike")
MONTHS = ("March", "April", "May", "June")


def article(i: int, paragraphs: int = 2) -> str:
    """A short made-up news article, different for every ``i``: a date, a quote, figures and names."""
    town, who = TOWNS[i % len(TOWNS)], PEOPLE[i % len(PEOPLE)]
    other = PEOPLE[(i + 3) % len(PEOPLE)]
    day, month = 1 + i % 27, MONTHS[i % len(MONTHS)]
    lines = [
        f"Floodgates fail in {town} as river rises (report {i})",
        "",
        f"The river barrier at {town} gave way on {day} {month} 2024, forcing {120 + 7 * i} families from "
        f"their homes, officials said on Tuesday.",
        "",
        f'"We had {3 + i % 5} hours of warning and used every minute," said {who}, the council\'s emergency '
        f"director. {other}, who chairs the regional water board, said repairs would cost {4 + i} million "
        "euros.",
    ]
    for p in range(paragraphs - 2):
        lines += [
            "",
            f"Engineers from the board inspected section {p + 1} of the wall near {TOWNS[(i + p) % len(TOWNS)]} "
            f"and found {2 + (i + p) % 9} cracked panels. The mayor of {town} asked residents to stay away from "
            f"the embankment until {day + 1} {month}. About {30 + p} volunteers filled sandbags overnight, and "
            f"the army sent {5 + p % 4} trucks with pumps, a spokesman for {who} said.",
        ]
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, n: int, paragraphs: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"report-{i:03d}.txt").write_text(article(i, paragraphs), encoding="utf-8")
    return folder


def stored(db: Path) -> dict[str, dict]:
    """article id -> its stored extraction (as a dict)."""
    from storyline.store import Store
    from storyline.store.codec import extraction_to_dict

    with Store(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]
        return {clean.article.id: extraction_to_dict(ext) for clean, ext in store.iter_loaded(ids)}


def run_analyze(folder: Path, db: Path, **kw) -> object:
    from storyline.pipeline import analyze
    from storyline.store import Store

    with Store(db) as store:
        return analyze([str(folder)], store, dossier=False, crosscheck=False, embeddings=False, **kw)


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
    ) as cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict[str, dict], list[str]]:
    """A corpus of 12 articles, its extractions by the local path (one process) and the article ids in order."""
    base = tmp_path_factory.mktemp("small")
    folder = write_corpus(base / "corpus", 12)
    result = run_analyze(folder, base / "local.db", workers=1)
    return folder, stored(base / "local.db"), result.article_ids


# --------------------------------------------------------------------------- (a) LocalCluster = local path


@pytest.mark.slow
@pytest.mark.parametrize("how", ["client", "address"])
def test_a_local_cluster_stores_what_the_local_path_stores(how, local_cluster, small, tmp_path):
    folder, expected, order = small
    cluster = local_cluster if how == "client" else local_cluster.scheduler.address
    result = run_analyze(folder, tmp_path / "dask.db", cluster=cluster)
    assert (result.processed, result.reused, result.failures) == (12, 0, [])
    assert result.article_ids == order  # in input order, though batches come back as they complete
    assert len(expected) == 12 and stored(tmp_path / "dask.db") == expected


def counting_submits(client, monkeypatch) -> list[int]:
    """The sizes of the batches ``client`` is sent from now on."""
    sizes: list[int] = []
    submit = client.submit

    def counted(fn, batch, *args, **kwargs):
        sizes.append(len(batch))
        return submit(fn, batch, *args, **kwargs)

    monkeypatch.setattr(client, "submit", counted)
    return sizes


@pytest.mark.slow
@pytest.mark.parametrize(("already", "sent"), [(0, [12]), (5, [7]), (12, [])])
def test_a_rerun_on_the_cluster_does_only_what_is_missing(already, sent, local_cluster, small, tmp_path, monkeypatch):
    folder, expected, _ = small
    part = write_corpus(tmp_path / "part", 0)
    for name in sorted(os.listdir(folder))[:already]:
        (part / name).write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "s.db"
    if already:
        run_analyze(part, db, workers=1)
    sizes = counting_submits(local_cluster, monkeypatch)
    result = run_analyze(folder, db, cluster=local_cluster)
    assert (result.processed, result.reused) == (12 - already, already)
    assert sizes == sent
    assert stored(db) == expected


# --------------------------------------------------------------------------- (a) cleaning on the workers

FURNITURE = "\n\n".join([
    "Advertisement", "Share this article on Facebook", "Sign up for our daily newsletter to get the latest news "
    "delivered to your inbox", "Subscribe now to continue reading", "Follow us on Twitter", "Advertisement",
    "All rights reserved. Copyright 2024 The Varneck Courier",
])  # page furniture only: ingested (English, enough words), and nothing left once cleaned
LIMIT = 5_000  # pipeline.MAX_ARTICLE_CHARS in these tests: set in the main process, it travels with each batch


def mixed_corpus(folder: Path) -> Path:
    """Six articles, one of page furniture only, one over ``LIMIT`` characters once cleaned (under twice it
    before, so that it is sent to the workers) and one with furniture lines among its paragraphs."""
    write_corpus(folder, 6)
    (folder / "furniture.txt").write_text(FURNITURE + "\n", encoding="utf-8")
    (folder / "overlong.txt").write_text(article(40, paragraphs=18), encoding="utf-8")
    (folder / "with-ads.txt").write_text(article(41).replace("\n\n", "\n\nAdvertisement\n\n", 1), encoding="utf-8")
    return folder


def rows(db: Path) -> dict[str, list]:
    """The stored rows that analyze writes (but times), each table sorted, and the failures' lines."""
    with sqlite3.connect(db) as conn:
        return {
            "articles": sorted(conn.execute(
                "SELECT id, origin, format, title, author, outlet, url, published, published_how, "
                "published_precision, language, text FROM articles")),
            "cleaned": sorted(conn.execute("SELECT * FROM cleaned")),
            "extractions": sorted(conn.execute("SELECT * FROM extractions")),
            "failures": sorted(conn.execute("SELECT input, kind, reason FROM failures")),
        }


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["one process", "2 local workers", "LocalCluster"])
def test_a_cleaning_on_the_workers_stores_the_same_rows_in_every_mode(mode, local_cluster, tmp_path, monkeypatch):
    from storyline import pipeline

    monkeypatch.setattr(pipeline, "MAX_ARTICLE_CHARS", LIMIT)
    folder = mixed_corpus(tmp_path / "corpus")
    overlong = len(clean_text(folder / "overlong.txt"))
    assert overlong > LIMIT and len((folder / "overlong.txt").read_text(encoding="utf-8")) <= 2 * LIMIT
    kw = {"one process": {"workers": 1}, "2 local workers": {"workers": 2}, "LocalCluster": {"cluster": local_cluster}}
    result = run_analyze(folder, tmp_path / "s.db", **kw[mode])
    expected_failures = [
        (str(folder / "furniture.txt"), "NoArticleText", "nothing left after removing page furniture"),
        (str(folder / "overlong.txt"), "InputTooLarge", f"{overlong:,} characters of text, more than the 5,000 parsed"),
    ]
    assert sorted((f.source, f.kind, f.reason) for f in result.failures) == expected_failures
    assert (result.processed, result.status) == (7, "partial")
    got = rows(tmp_path / "s.db")
    assert got["failures"] == expected_failures
    reference = tmp_path / "reference.db"  # one process, in this test's own run
    if mode != "one process":
        run_analyze(folder, reference, workers=1)
        assert got == rows(reference)
    ads = next(r for r in got["cleaned"] if "Advertisement" in r[3])  # the furniture line, cut by the worker
    assert "Advertisement" not in ads[1]


def clean_text(path: Path) -> str:
    from storyline.ingest.clean import clean
    from storyline.ingest.ingest import iter_articles

    [item] = list(iter_articles([str(path)]))
    return clean(item).text


SLOW_MARK = "Quarry Lane footbridge"  # in one article: its extraction takes 20 s where the budget does not stop it


def _slow_extract(doc, article_id, published, stages=None):
    """extract_doc, with 20 s of short sleeps (a budget stops it at the next one) for the marked article."""
    from storyline import pipeline

    if SLOW_MARK in doc.text:
        for _ in range(400):
            time.sleep(0.05)
    return pipeline._extract_before_test(doc, article_id, published)


def _make_slow(on: bool) -> None:
    """Run on the Dask workers: patch (or restore) their extraction."""
    from storyline import pipeline

    if on and not hasattr(pipeline, "_extract_before_test"):
        pipeline._extract_before_test = pipeline.extract_doc
        pipeline.extract_doc = _slow_extract
    elif not on and hasattr(pipeline, "_extract_before_test"):
        pipeline.extract_doc = pipeline.__dict__.pop("_extract_before_test")


@pytest.mark.slow
def test_a_the_time_budget_holds_on_the_dask_workers(local_cluster, tmp_path):
    import cloudpickle

    folder = write_corpus(tmp_path / "corpus", 5)
    slow = folder / "slow.txt"
    slow.write_text(article(30).replace("The river barrier", f"The {SLOW_MARK}"), encoding="utf-8")
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        local_cluster.run(_make_slow, True)
        result = run_analyze(folder, tmp_path / "s.db", cluster=local_cluster, time_budget=2.0)
    finally:
        local_cluster.run(_make_slow, False)
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert [(f.source, f.kind, f.reason) for f in result.failures] == [
        (str(slow), "InputTooLarge", "over the 2 s time budget for parsing and extraction")
    ]
    assert result.processed == 5 and len(stored(tmp_path / "s.db")) == 5


# --------------------------------------------------------------------------- (b) a worker killed mid-run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextmanager
def dask_processes(folder: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A ``dask scheduler`` and two ``dask worker`` processes (no nanny: a killed worker stays dead) on
    127.0.0.1, their files in ``folder``: the scheduler address and the processes by name ("scheduler",
    "w1", "w2"); all stopped on leaving."""
    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    log = (folder / "dask.log").open("w")
    common = {"stdout": log, "stderr": subprocess.STDOUT, "start_new_session": True}
    procs = {"scheduler": subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                            "--no-dashboard", "--scheduler-file", str(scheduler_file)], **common)}
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for name in ("w1", "w2"):
            procs[name] = subprocess.Popen(
                [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", name], **common)
        address = json.loads(scheduler_file.read_text())["address"]
        with distributed.Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs
    finally:
        for proc in reversed(procs.values()):
            stop(proc)
        log.close()


def analyze_cli(folder: Path, db: Path, address: str) -> list[str]:
    return [*STORYLINE, "analyze", str(folder), "--db", str(db), "--cluster", address, "--no-crosscheck",
            "--no-embeddings", "-q"]


def stored_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet, or busy
        return 0


def kill_a_busy_worker(address: str, workers: dict[str, subprocess.Popen], run: subprocess.Popen) -> str:
    """SIGKILL the first worker seen working on a storyline batch while ``run`` is still going: its name."""
    with distributed.Client(address, timeout=30, set_as_default=False) as client:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and run.poll() is None:
            busy = [addr for addr, keys in client.processing().items()
                    if any(str(k).startswith("storyline-batch") for k in keys)]
            name = client.scheduler_info()["workers"].get(busy[0], {}).get("name") if busy else None
            if name in workers:
                assert run.poll() is None  # mid-run
                os.kill(workers[name].pid, signal.SIGKILL)
                return name
            time.sleep(0.05)
    raise AssertionError(f"no worker was seen busy (the run ended: {run.poll()})")


@pytest.mark.slow
def test_b_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path):
    folder = write_corpus(tmp_path / "corpus", 40, paragraphs=10)
    db = tmp_path / "s.db"
    with dask_processes(tmp_path / "dask") as (address, procs):
        run = subprocess.Popen(analyze_cli(folder, db, address), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        try:
            killed = kill_a_busy_worker(address, procs, run)
            stdout, stderr = run.communicate(timeout=300)
        finally:
            stop(run)
        assert procs[killed].wait(timeout=10) == -signal.SIGKILL
        scheduler_file = str(tmp_path / "dask" / "scheduler.json")  # a scheduler file does as an address
        again = subprocess.run(analyze_cli(folder, db, scheduler_file), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, stderr
    assert "Traceback" not in stderr and "skipped" not in stderr, stderr
    assert "analysed 40 articles (40 new, 0 already stored)" in stdout
    with sqlite3.connect(db) as conn:
        counts = conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        extracted = conn.execute("SELECT count(*), count(DISTINCT article_id) FROM extractions").fetchone()
        runs = conn.execute("SELECT status, processed FROM runs ORDER BY rowid").fetchall()
    assert counts == (40, 40) and extracted == (40, 40)
    assert runs == [("ok", 40), ("ok", 0)]
    assert again.returncode == 0, again.stderr
    assert "analysed 40 articles (0 new, 40 already stored)" in again.stdout
    local = tmp_path / "local.db"
    run_analyze(folder, local, workers=1)
    assert stored(db) == stored(local)


@pytest.mark.slow
def test_b_a_lost_scheduler_is_one_line_and_a_rerun_does_only_what_is_missing(tmp_path):
    folder = write_corpus(tmp_path / "corpus", 64, paragraphs=10)
    db = tmp_path / "s.db"
    with dask_processes(tmp_path / "first") as (address, procs):
        run = subprocess.Popen(analyze_cli(folder, db, address), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        try:
            deadline = time.monotonic() + 180
            while stored_count(db) == 0 and run.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert run.poll() is None, "the run ended before the scheduler could be killed"
            os.kill(procs["scheduler"].pid, signal.SIGKILL)
            _stdout, stderr = run.communicate(timeout=120)
        finally:
            stop(run)
    assert run.returncode == 4, stderr
    assert stderr.startswith("error: lost the Dask scheduler") and len(stderr.strip().splitlines()) == 1, stderr
    first = stored_count(db)
    assert 0 < first < 64
    with dask_processes(tmp_path / "second") as (address, _procs):
        again = subprocess.run(analyze_cli(folder, db, address), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"analysed 64 articles ({64 - first} new, {first} already stored)" in again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (64, 64)
        assert conn.execute("SELECT status FROM runs ORDER BY rowid").fetchall() == [("interrupted",), ("ok",)]


# --------------------------------------------------------------------------- (c) a bad address


CLOSED = free_port()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("option", "env", "code", "expected"),
    [
        (f"tcp://127.0.0.1:{CLOSED}", None, 4, "error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:"),
        (None, f"tcp://127.0.0.1:{CLOSED}", 4, "error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:"),
        ("nonsense://host:1", None, 4, "error: cannot reach the Dask scheduler at 'nonsense://host:1': "
                                       "ValueError: unknown address scheme 'nonsense'"),
        ("127.0.0.1:notaport", None, 4, "error: cannot reach the Dask scheduler at '127.0.0.1:notaport'"),
        (None, "", 0, None),  # an empty $STORYLINE_CLUSTER: the local worker processes
    ],
)
def test_c_a_bad_address_is_one_line_and_a_non_zero_exit(option, env, code, expected, tmp_path):
    folder = write_corpus(tmp_path / "corpus", 1)
    args = [*STORYLINE, "analyze", str(folder), "--db", str(tmp_path / "s.db"), "--no-crosscheck",
            "--no-embeddings", "--workers", "1", "-q"]
    full_env = {k: v for k, v in os.environ.items() if k != "STORYLINE_CLUSTER"}
    if env is not None:
        full_env["STORYLINE_CLUSTER"] = env
    proc = subprocess.run([*args, *(["--cluster", option] if option else [])], capture_output=True, text=True,
                          env=full_env, timeout=120)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    if expected is None:
        assert proc.stderr == "" and "analysed 1 article " in proc.stdout
    else:
        assert proc.stderr.splitlines()[0].startswith(expected), proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (f"tcp://127.0.0.1:{CLOSED}", "Timed out trying to connect"),
        ("", "missing port number"),
        ("no-such-dir/scheduler.json", "cannot read the Dask scheduler file no-such-dir/scheduler.json"),
        ("{tmp}/empty.json", "names no address"),
        ("{tmp}/broken.json", "cannot read the Dask scheduler file .*JSONDecodeError"),
    ],
)
def test_connect_refuses_with_a_cluster_error(address, expected, tmp_path):
    from storyline.cluster import connect

    (tmp_path / "empty.json").write_text('{"type": "Scheduler"}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"address": ', encoding="utf-8")
    address = address.replace("{tmp}", str(tmp_path))

    with pytest.raises(ClusterError, match=expected), connect(address, timeout=0.5):
        pass


# --------------------------------------------------------------------------- storyline.cluster.run_batches


def tenfold_or_die(batch: list) -> list:
    """A batch function for the tests: each item times ten; an item "die" ends its worker process at once."""
    if "die" in batch:
        os._exit(1)
    return [x * 10 for x in batch]


@pytest.fixture(scope="module")
def fragile_cluster() -> Iterator[object]:
    """A 2-worker LocalCluster (nannies restart dead workers) that gives up on a task at its first killed
    worker (KilledWorker), with this module's functions sent by value."""
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    config = {  # one task at a time on a worker: a worker that dies takes no queued neighbour with it
        "distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0,
    }
    with dask.config.set(config), distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
    ) as cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("batches", "max_in_flight", "expected"),
    [
        ([[1, 2], [3]], None, {(1, 2): [10, 20], (3,): [30]}),
        ([[1], [2], [3], [4], [5]], 1, {(1,): [10], (2,): [20], (3,): [30], (4,): [40], (5,): [50]}),
        ([[1, 2], [4, "die", 5]], 2, {(1, 2): [10, 20], (4,): [40], (5,): [50], ("die",): "lost"}),
        ([], None, {}),
    ],
)
def test_run_batches_splits_a_batch_that_kills_its_workers(batches, max_in_flight, expected, fragile_cluster):
    from storyline.cluster import Lost, run_batches

    got = {}
    for batch, out in run_batches(fragile_cluster, tenfold_or_die, batches, max_in_flight=max_in_flight):
        got[tuple(batch)] = "lost" if isinstance(out, Lost) else out
    assert got == expected


def test_run_batches_keeps_at_most_max_in_flight(monkeypatch):
    """Batches are pulled from the iterable only as earlier ones come back."""
    from storyline import cluster

    pulled: list[int] = []

    def batches():
        for i in range(6):
            pulled.append(i)
            yield [i]

    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0",
                            set_as_default=False) as client:
        seen = []
        for batch, _out in cluster.run_batches(client, _double, batches(), max_in_flight=2):
            seen.append((batch[0], len(pulled)))
    assert sorted(b for b, _ in seen) == list(range(6))
    assert all(n - done <= 2 for done, (_, n) in enumerate(seen))


def _double(batch: list) -> list:
    return [2 * x for x in batch]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("worker_model", "expected"),
    [
        ("a_model_of_another_team", "runs other extraction code or another model"),
        (None, None),  # the same model (the default): the run goes ahead
    ],
)
def test_workers_with_another_model_are_refused(worker_model, expected, tmp_path):
    """Extractions stored under this process's signature must come from this code and model."""
    from storyline.extract.nlp import MODEL_ENV

    env = {MODEL_ENV: worker_model} if worker_model else {}
    folder = write_corpus(tmp_path / "corpus", 2)
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=":0", env=env) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        if expected is None:
            assert run_analyze(folder, tmp_path / "s.db", cluster=client).processed == 2
        else:
            with pytest.raises(ClusterError, match=expected):
                run_analyze(folder, tmp_path / "s.db", cluster=client)
            assert stored(tmp_path / "s.db") == {}


# --------------------------------------------------------------------------- glibc's mmap threshold on workers


def mmapped(size: int = 1 << 20) -> bool:
    """Whether glibc serves a ``size``-byte malloc with its own mmap (the IS_MMAPPED bit, 0x2, of the chunk's
    size word just before the pointer)."""
    import ctypes

    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    pointer = libc.malloc(size)
    try:
        return bool(ctypes.c_size_t.from_address(pointer - ctypes.sizeof(ctypes.c_size_t)).value & 0x2)
    finally:
        libc.free(pointer)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
@pytest.mark.parametrize(
    ("env", "restored", "mmapped_after"),
    [
        ({}, False, False),  # glibc's dynamic threshold (a freed 1 MiB mmap raises it): nothing to do
        ({"MALLOC_TRIM_THRESHOLD_": "65536"}, True, False),  # a nanny's worker: the threshold goes back up
        ({"MALLOC_TRIM_THRESHOLD_": "65536", "MALLOC_MMAP_THRESHOLD_": "131072"}, False, True),  # the owner's
    ],
)
def test_restore_mmap_threshold(env, restored, mmapped_after):
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from test_cluster_dask import mmapped; "
        "from storyline.cluster import restore_mmap_threshold as r; "
        "first = mmapped(); done = r(); print(first, done, mmapped(), mmapped())"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], env={**base, **env},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "True"  # the first 1 MiB malloc is an mmap in every case
    assert out[1:] == [str(restored), str(mmapped_after), str(mmapped_after)]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_workers_get_the_mmap_threshold_back(local_cluster, small, tmp_path):
    """The nanny sets MALLOC_TRIM_THRESHOLD_ for its worker; the storyline setup puts the threshold back."""
    assert set(local_cluster.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()) == {"65536"}
    run_analyze(small[0], tmp_path / "dask.db", cluster=local_cluster)
    assert set(local_cluster.run(mmapped).values()) == {False}
