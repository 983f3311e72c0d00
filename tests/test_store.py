"""The store: migrations, all-or-nothing writes, round trips, on both backends (real SQLite files and a
real PostgreSQL server the session starts; see ``postgres_server`` in conftest.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import MigrationError
from storyline.ingest.spans import TextBuilder
from storyline.records import (
    Article,
    CleanArticle,
    Extraction,
    Figure,
    Mention,
    Quote,
    RemovedLine,
    Span,
    TimeExpr,
)
from storyline.store import MIGRATIONS, Store
from storyline.store.codec import extraction_from_dict, extraction_to_dict

ORIGINAL = "Home | World\nThe harbour closed on Monday.\nShare this article\nAt least 12 boats were seized."


def make_clean(text: str = ORIGINAL, article_id: str = "a1") -> CleanArticle:
    article = Article(id=article_id, origin="x.txt", text=text, format="text", title="T", published="2025-11-24",
                      published_how="metadata", published_precision="day")
    b = TextBuilder(text)
    lines = text.split("\n")
    pos = 0
    removed = []
    for i, line in enumerate(lines):
        if line in ("Home | World", "Share this article"):
            removed.append(RemovedLine(pos, pos + len(line), line, "widget"))
        else:
            if len(b):
                b.insert("\n\n")
            b.keep(pos, pos + len(line))
        pos += len(line) + (1 if i < len(lines) - 1 else 0)
    cleaned, offsets = b.build()
    return CleanArticle(article, cleaned, offsets, tuple(removed))


def make_extraction(clean: CleanArticle) -> Extraction:
    t = clean.text
    s = t.index("Monday")
    f = t.index("At least 12")
    return Extraction(
        article_id=clean.article.id,
        mentions=(Mention(Span(0, 3, t[0:3]), "PLACE", "harbour"),),
        dates=(TimeExpr(Span(s, s + 6, "Monday"), "DATE", "2025-11-24", "day", "weekday", "2025-11-24"),),
        figures=(
            Figure(Span(f, f + 11, t[f:f + 11]), 12.0, None, "at least", "boats", "boats seized", None, "2025-11-24",
                   Span(f, len(t), t[f:])),
        ),
        quotes=(
            Quote("direct", Span(0, 3, t[:3]), (Span(0, 3, t[:3]),), None, None, None, Span(0, 3, t[:3])),
        ),
        words=10,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    """A new, empty store on each backend: a SQLite file, or a fresh database on the session's server."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("postgres_server").new_database()


def table_names(store: Store) -> set[str]:
    if store.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    else:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return {r[0] for r in store.conn.execute(sql)}


def test_migrations_are_registered_in_order_and_recorded(target):
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1
    with Store(target) as store:
        assert store.schema_version() == versions[-1]
        assert store.migrate() == []  # idempotent
        assert {"articles", "cleaned", "extractions", "runs", "failures", "schema_migrations"} <= table_names(store)


def test_newer_schema_is_refused(target):
    with Store(target) as store:
        store.conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 0)")
    with pytest.raises(MigrationError, match="newer"):
        Store(target)


def test_save_and_load_round_trip(target):
    clean = make_clean()
    extraction = make_extraction(clean)
    with Store(target) as store:
        store.save(clean, extraction, "sig")
    with Store(target) as store:
        assert store.has_extraction("a1", "sig") and not store.has_extraction("a1", "other")
        loaded_clean, loaded = store.load("a1")
        assert loaded == extraction
        assert loaded_clean.text == clean.text
        assert loaded_clean.removed == clean.removed
        fig = loaded.figures[0]
        cite = loaded_clean.cite_span(fig.span)
        assert cite.text == "At least 12" == ORIGINAL[cite.start:cite.end]
        [src] = store.sources()
        assert (src.id, src.words, src.furniture) == ("a1", 10, 2)


def test_failed_write_leaves_store_as_before(target):
    good = make_clean()
    with Store(target) as store:
        store.save(good, make_extraction(good), "sig")
        before = store.counts()
        bad_clean = make_clean(ORIGINAL + " More.", "a2")
        bad = Extraction(article_id="a2", extra={"oops": object()})  # not JSON-serialisable: fails mid-write
        with pytest.raises(TypeError):
            store.save(bad_clean, bad, "sig")
        assert store.counts() == before
        assert store.article("a2") is None
        assert store.load("a1") is not None


def test_runs_and_failures_are_recorded(target):
    with Store(target) as store:
        run = store.start_run(["a", "b"])
        store.record_failure(run, "b", "EmptyInput", "empty file")
        store.finish_run(run, "partial", 1, 0, 1)
        assert store.conn.execute("SELECT status, failed FROM runs WHERE id=?", (run,)).fetchone() == ("partial", 1)


spans = st.builds(lambda s, n, t: Span(s, s + n, t), st.integers(0, 500), st.integers(0, 40), st.text(max_size=40))


@settings(max_examples=60, deadline=None)
@given(
    mentions=st.lists(st.builds(Mention, spans, st.sampled_from(["PERSON", "ORG", "PLACE"]), st.text(max_size=20),
                                st.sampled_from(["name", "title"]), st.none() | st.text(max_size=10),
                                st.none() | spans), max_size=4),
    dates=st.lists(st.builds(TimeExpr, spans, st.just("DATE"), st.text(max_size=12), st.just("day")), max_size=3),
    words=st.integers(0, 10_000),
)
def test_codec_round_trips_extractions(mentions, dates, words):
    extraction = Extraction(article_id="x", mentions=tuple(mentions), dates=tuple(dates), words=words)
    assert extraction_from_dict(extraction_to_dict(extraction)) == extraction


# --------------------------------------------------------------------------- two processes, one new store


def run_processes(workers: list, failures) -> list:
    """Start the processes, wait for them (two minutes at most) and return what they put in ``failures``."""
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    errors = []
    while not failures.empty():
        errors.append(failures.get())
    return errors


def _open_in_race(barrier, paths: list[str], failures) -> None:
    """A worker: for each fresh path, wait for every other worker, then open (create) the store and write."""
    from storyline.store import Store

    for path in paths:
        barrier.wait(timeout=60)
        try:
            with Store(path) as store:
                store.finish_run(store.start_run([path]), "ok", 0, 0, 0)
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the test
            failures.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize(("backend", "processes", "rounds"), [("sqlite", 8, 6), ("postgresql", 6, 3)])
def test_processes_creating_one_store_at_once_never_fail(request, tmp_path, backend, processes, rounds):
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier, failures = ctx.Barrier(processes), ctx.Queue()
    if backend == "sqlite":
        paths = [str(tmp_path / f"race-{i}.db") for i in range(rounds)]
    else:
        server = request.getfixturevalue("postgres_server")
        paths = [server.new_database() for _ in range(rounds)]
    workers = [ctx.Process(target=_open_in_race, args=(barrier, paths, failures)) for _ in range(processes)]
    errors = run_processes(workers, failures)
    assert errors == [] and [w.exitcode for w in workers] == [0] * processes
    for path in paths:
        with Store(path) as store:
            assert store.schema_version() == MIGRATIONS[-1].version
            assert store.counts()["runs"] == processes
            versions = [v for (v,) in store.conn.execute("SELECT version FROM schema_migrations")]
            assert versions == [m.version for m in MIGRATIONS]  # each applied once
