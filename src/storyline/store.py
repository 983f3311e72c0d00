"""The embedded SQLite store: articles, their cleaned text, extractions and runs.

The schema is created and upgraded only by registered migrations (``MIGRATIONS``);
``schema_migrations`` records which ones ran.  Each article is written in one
transaction (article + cleaned text + extraction), so a run that fails midway leaves
the store exactly as it was before that article, and a re-run skips what is stored.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.codec import extraction_from_dict, extraction_to_dict
from storyline.errors import MigrationError, StoreError
from storyline.records import Article, CleanArticle, Extraction, RemovedLine
from storyline.spans import OffsetMap

DB_ENV = "STORYLINE_DB"


def default_db_path() -> Path:
    """$STORYLINE_DB, else storyline.db in the user's data directory."""
    import os

    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("storyline", appauthor=False)) / "storyline.db"


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str) -> Callable[[Callable[[sqlite3.Connection], None]], Callable]:
    """Register a schema migration; versions must be unique and increasing."""

    def register(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
        if any(m.version == version for m in MIGRATIONS):
            raise MigrationError(f"migration {version} registered twice")
        MIGRATIONS.append(Migration(version, name, fn))
        MIGRATIONS.sort(key=lambda m: m.version)
        return fn

    return register


def _run_statements(conn: sqlite3.Connection, script: str) -> None:
    """Run ';'-separated DDL inside the caller's transaction (executescript would commit early)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


@migration(1, "articles, cleaned text, extractions, runs")
def _m1(conn: sqlite3.Connection) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            origin TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT, author TEXT, outlet TEXT, url TEXT,
            published TEXT, published_how TEXT NOT NULL, published_precision TEXT,
            language TEXT NOT NULL,
            text TEXT NOT NULL,
            added_at REAL NOT NULL
        );
        CREATE TABLE cleaned (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            offsets TEXT NOT NULL,
            removed TEXT NOT NULL
        );
        CREATE TABLE extractions (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            pipeline TEXT NOT NULL,
            words INTEGER NOT NULL,
            data TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at REAL NOT NULL,
            finished_at REAL,
            inputs TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'running',
            processed INTEGER NOT NULL DEFAULT 0,
            reused INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE failures (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            input TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        """
    )


# --------------------------------------------------------------------------- store


@dataclass(frozen=True, slots=True)
class StoredSource:
    id: str
    origin: str
    title: str | None
    outlet: str | None
    published: str | None
    published_how: str
    words: int | None
    furniture: int
    added_at: float


class Store:
    """A storyline database.  Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        self.migrate()

    # -- lifecycle
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations
    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ).fetchone()
        if row is None:
            return 0
        (version,) = self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        return int(version)

    def migrate(self) -> list[int]:
        """Apply every registered migration not yet applied, each in its own transaction."""
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
            )
            current = self.schema_version()
            known = max((m.version for m in MIGRATIONS), default=0)
            if current > known:
                raise MigrationError(
                    f"{self.path}: store schema version {current} is newer than this storyline ({known})"
                )
            applied = []
            for m in MIGRATIONS:
                if m.version <= current:
                    continue
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    m.apply(self.conn)
                    self.conn.execute(
                        "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                        (m.version, m.name, time.time()),
                    )
                    self.conn.execute("COMMIT")
                except Exception:
                    self.conn.execute("ROLLBACK")
                    raise
                applied.append(m.version)
            return applied
        except sqlite3.Error as exc:
            raise MigrationError(f"{self.path}: migration failed ({exc})") from exc

    # -- runs
    def start_run(self, inputs: Iterable[str]) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs(started_at, inputs) VALUES (?, ?)", (time.time(), json.dumps(list(inputs)))
        )
        return int(cur.lastrowid or 0)

    def record_failure(self, run_id: int, source: str, kind: str, reason: str) -> None:
        self.conn.execute(
            "INSERT INTO failures(run_id, input, kind, reason) VALUES (?, ?, ?, ?)", (run_id, source, kind, reason)
        )

    def finish_run(self, run_id: int, status: str, processed: int, reused: int, failed: int) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at=?, status=?, processed=?, reused=?, failed=? WHERE id=?",
            (time.time(), status, processed, reused, failed, run_id),
        )

    # -- articles
    def has_extraction(self, article_id: str, pipeline: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM extractions WHERE article_id=? AND pipeline=?", (article_id, pipeline)
        ).fetchone()
        return row is not None

    def save(self, clean: CleanArticle, extraction: Extraction, pipeline: str) -> None:
        """Store one article with its cleaned text and extraction, all or nothing."""
        a = clean.article
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute(
                    "INSERT INTO articles(id, origin, format, title, author, outlet, url, published, published_how,"
                    " published_precision, language, text, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET origin=excluded.origin, format=excluded.format,"
                    " title=excluded.title, author=excluded.author, outlet=excluded.outlet, url=excluded.url,"
                    " published=excluded.published, published_how=excluded.published_how,"
                    " published_precision=excluded.published_precision, language=excluded.language",
                    (
                        a.id, a.origin, a.format, a.title, a.author, a.outlet, a.url, a.published,
                        a.published_how, a.published_precision, a.language, a.text, time.time(),
                    ),
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO cleaned(article_id, text, offsets, removed) VALUES (?,?,?,?)",
                    (
                        a.id,
                        clean.text,
                        json.dumps(clean.offsets.to_list(), separators=(",", ":")),
                        json.dumps([[r.start, r.end, r.text, r.reason] for r in clean.removed]),
                    ),
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO extractions(article_id, pipeline, words, data) VALUES (?,?,?,?)",
                    (
                        a.id,
                        pipeline,
                        extraction.words,
                        json.dumps(extraction_to_dict(extraction), separators=(",", ":"), ensure_ascii=False),
                    ),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store article {a.id} ({exc})") from exc

    def update_metadata(self, article: Article) -> None:
        """Refresh metadata (e.g. a manifest given on a re-run) without touching text or extraction."""
        self.conn.execute(
            "UPDATE articles SET origin=?, title=?, author=?, outlet=?, url=?, published=?, published_how=?,"
            " published_precision=? WHERE id=?",
            (
                article.origin, article.title, article.author, article.outlet, article.url, article.published,
                article.published_how, article.published_precision, article.id,
            ),
        )

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            "SELECT id, origin, text, format, title, author, outlet, url, published, published_how,"
            " published_precision, language FROM articles WHERE id=?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(*row)

    def load(self, article_id: str) -> tuple[CleanArticle, Extraction] | None:
        """The stored cleaned article and extraction, or None."""
        article = self.article(article_id)
        if article is None:
            return None
        row = self.conn.execute(
            "SELECT c.text, c.offsets, c.removed, e.data FROM cleaned c JOIN extractions e"
            " ON e.article_id = c.article_id WHERE c.article_id=?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        text, offsets, removed, data = row
        clean = CleanArticle(
            article=article,
            text=text,
            offsets=OffsetMap.from_list(json.loads(offsets), len(article.text)),
            removed=tuple(RemovedLine(*r) for r in json.loads(removed)),
        )
        return clean, extraction_from_dict(json.loads(data))

    def iter_loaded(self, ids: Iterable[str]) -> Iterator[tuple[CleanArticle, Extraction]]:
        for article_id in ids:
            item = self.load(article_id)
            if item is not None:
                yield item

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY published, id")]

    def sources(self) -> list[StoredSource]:
        rows = self.conn.execute(
            "SELECT a.id, a.origin, a.title, a.outlet, a.published, a.published_how, e.words,"
            " COALESCE(json_array_length(c.removed), 0), a.added_at"
            " FROM articles a LEFT JOIN extractions e ON e.article_id=a.id"
            " LEFT JOIN cleaned c ON c.article_id=a.id ORDER BY a.published, a.id"
        ).fetchall()
        return [StoredSource(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "extractions", "runs", "failures"):
            (n,) = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            out[table] = int(n)
        return out
