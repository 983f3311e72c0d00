"""The store: articles, their cleaned text, extractions, runs and stories, in SQLite or PostgreSQL.

``Store(path)`` opens an embedded SQLite file (the default); ``Store("postgresql://...")`` a PostgreSQL
database, behind the same methods: the SQL is written once, in SQLite's dialect, and
``storyline.store.postgres`` translates it (placeholders, upserts, DDL types).

The schema is created and upgraded only by registered migrations (``MIGRATIONS``);
``schema_migrations`` records which ones ran.  Each article is written in one
transaction (article + cleaned text + extraction), so a run that fails midway leaves
the store exactly as it was before that article, and a re-run skips what is stored.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.errors import MigrationError, StoreError
from storyline.ingest.spans import OffsetMap
from storyline.records import Article, Citation, CleanArticle, Extraction, Problem, RemovedLine, StorySummary
from storyline.store.codec import extraction_from_dict, extraction_to_dict
from storyline.store.postgres import PgConnection, is_url, redact

DB_ENV = "STORYLINE_DB"
BUSY_TIMEOUT_S = 30.0  # how long a connection waits for another process's write lock


def default_db() -> str | Path:
    """$STORYLINE_DB as it is (a ``postgresql://`` URL stays a string), else the default SQLite path."""
    import os

    env = os.environ.get(DB_ENV)
    return env if is_url(env) else default_db_path()


def default_db_path() -> Path:
    """$STORYLINE_DB, else storyline.db in the user's data directory."""
    import os

    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("storyline", appauthor=False)) / "storyline.db"


# --------------------------------------------------------------------------- migrations


class SqliteConnection(sqlite3.Connection):
    """SQLite's connection with the few dialect hooks the store shares with ``PgConnection``."""

    dialect = "sqlite"

    def table_exists(self, name: str) -> bool:
        return self.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None

    def lock_schema(self) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds SQLite's one write lock."""

    def stream(self, sql: str, params: Sequence[Any], size: int) -> Iterator[list[tuple]]:
        """The rows of a query, ``size`` at a time (the cursor steps; the result is never held whole)."""
        cursor = self.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield rows

    def schema_changed(self) -> None:
        """Nothing to do: SQLite needs no catalog."""


@dataclass(frozen=True, slots=True)
class Migration:
    """A schema change.  ``apply`` receives the connection (``SqliteConnection`` or ``PgConnection``): write
    DDL in SQLite's dialect (it is translated for PostgreSQL), or branch on ``conn.dialect`` where the two
    must differ."""

    version: int
    name: str
    apply: Callable[[Any], None]


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


@migration(2, "stories, story sections, sentences, problems and their log")
def _m2(conn: sqlite3.Connection) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            first TEXT, last TEXT,
            counts TEXT NOT NULL DEFAULT '{}',
            terms TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (story_id, article_id)
        );
        CREATE INDEX story_articles_article ON story_articles(article_id);
        CREATE TABLE story_sections (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (story_id, name)
        );
        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (article_id, n)
        );
        CREATE TABLE sentence_vectors (
            article_id TEXT NOT NULL,
            n INTEGER NOT NULL,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (article_id, n, model),
            FOREIGN KEY (article_id, n) REFERENCES sentences(article_id, n) ON DELETE CASCADE
        );
        CREATE TABLE problems (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            story_id TEXT NOT NULL,
            item_key TEXT NOT NULL,
            item_kind TEXT NOT NULL,
            item_text TEXT NOT NULL,
            citations TEXT NOT NULL,
            category TEXT NOT NULL,
            comment TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            created_at TEXT NOT NULL,
            updated_at TEXT,
            resolution TEXT
        );
        CREATE INDEX problems_story ON problems(story_id, status);
        CREATE TABLE problem_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            note TEXT
        );
        """
    )


@migration(3, "a story title set by a person (--title, stories rename) is kept when the story is re-analysed")
def _m3(conn: sqlite3.Connection) -> None:
    _run_statements(conn, "ALTER TABLE stories ADD COLUMN title_locked INTEGER NOT NULL DEFAULT 0;")


@migration(4, "corrections: a maintainer's right speaker, value or date of an item, with before and after")
def _m4(conn: sqlite3.Connection) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            story_id TEXT NOT NULL,
            item_key TEXT NOT NULL,
            item_kind TEXT NOT NULL,
            item_text TEXT NOT NULL,
            field TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            note TEXT,
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            problem_id INTEGER REFERENCES problems(id) ON DELETE SET NULL
        );
        CREATE INDEX corrections_story ON corrections(story_id, id);
        """
    )


@migration(5, "a full-text index of the stored sentences (SQLite FTS5; PostgreSQL tsvector and GIN)")
def _m5(conn: Any) -> None:
    """``sentence_terms`` holds each sentence's search terms (folded, stop words dropped, stemmed by the reader's
    one term function; space-separated) and how many there are.  SQLite indexes them in the FTS5 table
    ``sentence_fts`` (external content kept in step by triggers; a term is one token: ``tokenchars`` keeps
    "o'neill", "u.s" and "1,200" whole), PostgreSQL in a generated ``tsvector`` with a GIN index (the terms are
    its lexemes as they are: no parser, no dictionary).  The reader writes the rows when it stores a story's
    sentences; a store made before this migration is filled on its first search."""
    if conn.dialect == "postgresql":
        _run_statements(conn, _SENTENCE_TERMS.replace("INTEGER PRIMARY KEY", _PG_ID) + ";" + _PG_TSV)
        return
    _run_statements(conn, _SENTENCE_TERMS + ";" + _FTS5)
    for trigger in _FTS5_TRIGGERS:
        conn.execute(trigger)


_SENTENCE_TERMS = """
    CREATE TABLE sentence_terms (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        terms TEXT NOT NULL,
        length INTEGER NOT NULL,
        UNIQUE (article_id, n),
        FOREIGN KEY (article_id, n) REFERENCES sentences(article_id, n) ON DELETE CASCADE
    )"""
_PG_ID = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
_PG_TSV = """
    ALTER TABLE sentence_terms ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (array_to_tsvector(string_to_array(terms, ' '))) STORED;
    CREATE INDEX sentence_terms_tsv ON sentence_terms USING GIN (tsv)"""
_FTS5 = (
    "CREATE VIRTUAL TABLE sentence_fts USING fts5(terms, content='sentence_terms', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '''.,-:'\")"
)
_FTS5_TRIGGERS = (
    "CREATE TRIGGER sentence_terms_ai AFTER INSERT ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER sentence_terms_ad AFTER DELETE ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER sentence_terms_au AFTER UPDATE ON sentence_terms BEGIN "
    "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO sentence_fts(rowid, terms) VALUES (new.id, new.terms); END",
)


@migration(6, "sentence vectors by text (the cross-check's embeddings, kept so a story rebuilt with new articles encodes only theirs)")
def _m6(conn: Any) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE text_vectors (
            model TEXT NOT NULL,
            digest TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, digest)
        )
        """,
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

    def __init__(self, path: str | Path | None = None, *, pooled: bool = False) -> None:
        target = path if path is not None else default_db()
        self.target: str | Path = target if is_url(target) else Path(target)  # what reopens it: Store(target)
        self.conn: Any
        if not is_url(target) and str(target).startswith(("postgresql:", "postgres:")):
            raise StoreError("a postgresql:// URL was turned into a path (postgresql:/...): keep URLs as str")
        if is_url(target):
            self.path: str | Path = redact(str(target))  # messages never show a password
            self.conn = PgConnection(str(target), pooled=pooled)  # pooled: a serve, one Store per request
        else:
            self._open_sqlite(Path(target))
        try:
            self.migrate()
        except BaseException:
            self.close()  # a pooled connection goes back to its pool
            raise

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return str(self.conn.dialect)

    def _open_sqlite(self, path: Path) -> None:
        self.path = path
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_S, factory=SqliteConnection
            )
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._use_wal()
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc

    def _use_wal(self) -> None:
        """Switch to WAL, retrying while another process holds the lock: switching a new store's journal
        mode is refused at once with "database is locked" (SQLite does not wait on the busy timeout there)."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        pause = 0.005
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)

    # -- lifecycle
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations
    def schema_version(self) -> int:
        if not self.conn.table_exists("schema_migrations"):
            return 0
        (version,) = self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        return int(version)

    def migrate(self) -> list[int]:
        """Apply every registered migration not yet applied, each in its own IMMEDIATE transaction.

        Safe when several processes open (or create) the same store at once: the version is read again
        inside each migration's write lock, so a migration another process applied meanwhile is skipped,
        and a store that is up to date is never write-locked at all."""
        known = max((m.version for m in MIGRATIONS), default=0)
        try:
            if self._check_version(self.schema_version(), known) == known:
                return []
            applied = [m.version for m in MIGRATIONS if self._apply_locked(m, known)]
        except MigrationError:
            raise
        except (sqlite3.Error, StoreError) as exc:
            raise MigrationError(f"{self.path}: migration failed ({exc})") from exc
        self.conn.schema_changed()
        return applied

    def _check_version(self, current: int, known: int) -> int:
        if current > known:
            raise MigrationError(
                f"{self.path}: store schema version {current} is newer than this storyline ({known})"
            )
        return current

    def _apply_locked(self, m: Migration, known: int) -> bool:
        """Apply ``m`` unless the store (read under the write lock) already has it; whether it was applied."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.lock_schema()
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
            )
            if self._check_version(self.schema_version(), known) >= m.version:
                self.conn.execute("COMMIT")
                return False
            m.apply(self.conn)
            self.conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, time.time()),
            )
            self.conn.execute("COMMIT")
            return True
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

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

    def published_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The publication date of each of ``ids`` that is stored (None: unknown), in the order given."""
        out: dict[str, str | None] = {}
        for aid in dict.fromkeys(ids):
            row = self.conn.execute("SELECT published FROM articles WHERE id=?", (aid,)).fetchone()
            if row is not None:
                out[aid] = row[0]
        return out

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY published NULLS FIRST, id")]

    def sources(self) -> list[StoredSource]:
        rows = self.conn.execute(
            "SELECT a.id, a.origin, a.title, a.outlet, a.published, a.published_how, e.words,"
            " COALESCE(json_array_length(c.removed), 0), a.added_at"
            " FROM articles a LEFT JOIN extractions e ON e.article_id=a.id"
            " LEFT JOIN cleaned c ON c.article_id=a.id ORDER BY a.published NULLS FIRST, a.id"
        ).fetchall()
        return [StoredSource(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "extractions", "runs", "failures", "stories", "problems"):
            (n,) = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            out[table] = int(n)
        return out

    def backup(self, path: str | Path) -> None:
        """Copy the whole store to ``path`` (a consistent snapshot, even while it is in use).  The copy is
        always a SQLite file; a PostgreSQL store is copied table by table from one read-only snapshot."""
        if self.dialect != "sqlite":
            self._copy_to_sqlite(Path(path))
            return
        try:
            target = sqlite3.connect(str(path))
            try:
                self.conn.backup(target)
            finally:
                target.close()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot copy the store to {path} ({exc})") from exc

    def _copy_to_sqlite(self, path: Path) -> None:
        """Every table of this (PostgreSQL) store into a new SQLite store at ``path``, rows and ids as they are."""
        if path.exists():
            raise StoreError(f"{self.path}: cannot copy the store to {path} (it exists; copy to a new file)")
        try:
            with Store(path) as copy:
                self._copy_tables(copy)
        except BaseException as exc:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)  # no half copy is left behind
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"{self.path}: cannot copy the store to {path} ({exc})") from exc
            raise

    def _copy_tables(self, copy: Store) -> None:
        if copy.schema_version() != self.schema_version():
            raise StoreError(f"{self.path}: cannot copy the store to {copy.path} (schema versions differ)")
        copy.conn.execute("PRAGMA foreign_keys = OFF")  # tables in any order; the source is consistent
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        copy.conn.execute("BEGIN IMMEDIATE")
        try:
            for table in (t for t in self.conn.table_names() if t != "schema_migrations"):
                # the copy's own columns: a PostgreSQL-only one (sentence_terms.tsv, generated) is left out
                names = [str(r[1]) for r in copy.conn.execute(f"PRAGMA table_info({table})")]
                cur = self.conn.execute(f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM {table}")
                cols = ", ".join(f'"{n}"' for n in names)
                marks = ", ".join("?" * len(names))
                copy.conn.executemany(f"INSERT INTO {table}({cols}) VALUES ({marks})", cur.fetchall())
            copy.conn.execute("COMMIT")
        except BaseException:
            copy.conn.execute("ROLLBACK")
            raise
        finally:
            self.conn.execute("ROLLBACK")

    # -- transactions
    def _write(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` in one IMMEDIATE transaction: all of it is stored or none of it."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                out = fn()
                self.conn.execute("COMMIT")
                return out
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot {what} ({exc})") from exc

    # -- stories
    def save_story(
        self,
        story_id: str,
        title: str,
        article_ids: Sequence[str],
        sections: Mapping[str, Any],
        *,
        first: str | None = None,
        last: str | None = None,
        counts: Mapping[str, int] | None = None,
        terms: Mapping[str, float] | None = None,
        title_locked: bool = False,
    ) -> None:
        """Store (or replace) one story: its articles and its dossier sections, all or nothing.

        Replacing a story keeps its problems (reports are keyed by story id and item key).  ``title_locked``
        marks a title a person chose; it stays locked once set."""
        dumps = _dumps

        def write() -> None:
            now = time.time()
            self.conn.execute(
                "INSERT INTO stories(id, title, first, last, counts, terms, created_at, updated_at, title_locked)"
                " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title,"
                " first=excluded.first, last=excluded.last, counts=excluded.counts, terms=excluded.terms,"
                " updated_at=excluded.updated_at, title_locked=MAX(stories.title_locked, excluded.title_locked)",
                (story_id, title, first, last, dumps(dict(counts or {})), dumps(dict(terms or {})), now, now,
                 int(title_locked)),
            )
            self.conn.execute("DELETE FROM story_articles WHERE story_id=?", (story_id,))
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_articles(story_id, article_id) VALUES (?, ?)",
                [(story_id, a) for a in dict.fromkeys(article_ids)],
            )
            self.conn.execute("DELETE FROM story_sections WHERE story_id=?", (story_id,))
            self.conn.executemany(
                "INSERT INTO story_sections(story_id, name, data) VALUES (?, ?, ?)",
                [(story_id, name, dumps(data)) for name, data in sections.items()],
            )

        self._write(f"store story {story_id}", write)

    def save_story_section(self, story_id: str, name: str, data: Any) -> None:
        """Store (or replace) one section of a stored story."""

        def write() -> None:
            if self.conn.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone() is None:
                raise StoreError(f"{self.path}: no story {story_id!r}")
            self.conn.execute(
                "INSERT OR REPLACE INTO story_sections(story_id, name, data) VALUES (?, ?, ?)",
                (story_id, name, _dumps(data)),
            )

        self._write(f"store section {name} of story {story_id}", write)

    def title_locked(self, story_id: str) -> bool:
        """Whether a person set this story's title (it is then kept when the story is re-analysed)."""
        row = self.conn.execute("SELECT title_locked FROM stories WHERE id=?", (story_id,)).fetchone()
        return bool(row and row[0])

    def rename_story(self, story_id: str, title: str, new_id: str | None = None) -> None:
        """Give a story a title a person chose (locked) and, with ``new_id``, a new id; its articles,
        sections and problem reports follow it.  All or nothing."""

        def write() -> None:
            if self.conn.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone() is None:
                raise StoreError(f"{self.path}: no story {story_id!r}")
            target = new_id or story_id
            if target != story_id:
                if self.conn.execute("SELECT 1 FROM stories WHERE id=?", (target,)).fetchone() is not None:
                    raise StoreError(f"{self.path}: a story {target!r} exists already")
                self.conn.execute(
                    "INSERT INTO stories(id, title, first, last, counts, terms, created_at, updated_at,"
                    " title_locked) SELECT ?, title, first, last, counts, terms, created_at, updated_at, 1"
                    " FROM stories WHERE id=?",
                    (target, story_id),
                )
                for table in ("story_articles", "story_sections", "problems", "corrections"):
                    self.conn.execute(f"UPDATE {table} SET story_id=? WHERE story_id=?", (target, story_id))
                self.conn.execute("DELETE FROM stories WHERE id=?", (story_id,))
            self.conn.execute(
                "UPDATE stories SET title=?, title_locked=1, updated_at=? WHERE id=?", (title, time.time(), target)
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO story_sections(story_id, name, data) VALUES (?, 'title', ?)",
                (target, _dumps(title)),
            )

        self._write(f"rename story {story_id}", write)

    def delete_story(self, story_id: str) -> bool:
        """Forget a story (its articles stay stored; its problems stay in the log)."""
        return bool(
            self._write(
                f"delete story {story_id}",
                lambda: self.conn.execute("DELETE FROM stories WHERE id=?", (story_id,)).rowcount,
            )
        )

    def _summary(self, row: tuple) -> StorySummary:
        sid, title, first, last, counts, updated, n = row
        return StorySummary(sid, title, int(n), first, last, _iso(updated), json.loads(counts))

    _SUMMARY_SQL = (
        "SELECT s.id, s.title, s.first, s.last, s.counts, s.updated_at,"
        " (SELECT COUNT(*) FROM story_articles sa WHERE sa.story_id = s.id) FROM stories s"
    )

    def stories(self) -> list[StorySummary]:
        """Every stored story, most recently covered first."""
        rows = self.conn.execute(self._SUMMARY_SQL + " ORDER BY COALESCE(s.last, '') DESC, s.title, s.id")
        return [self._summary(r) for r in rows]

    def story(self, story_id: str) -> StorySummary | None:
        row = self.conn.execute(self._SUMMARY_SQL + " WHERE s.id=?", (story_id,)).fetchone()
        return None if row is None else self._summary(row)

    def story_article_ids(self, story_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT a.id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                " WHERE sa.story_id=? ORDER BY a.published NULLS FIRST, a.id",
                (story_id,),
            )
        ]

    def stories_of_article(self, article_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT story_id FROM story_articles WHERE article_id=? ORDER BY story_id", (article_id,)
            )
        ]

    def story_section(self, story_id: str, name: str) -> Any | None:
        """One stored section of a story's dossier (decoded JSON), or None."""
        row = self.conn.execute(
            "SELECT data FROM story_sections WHERE story_id=? AND name=?", (story_id, name)
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def story_section_names(self, story_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM story_sections WHERE story_id=? ORDER BY name", (story_id,)
            )
        ]

    def story_terms(self) -> dict[str, dict[str, float]]:
        """Each story's term weights (for related stories)."""
        return {sid: json.loads(terms) for sid, terms in self.conn.execute("SELECT id, terms FROM stories")}

    # -- sentences (for questions)
    def save_sentences(
        self, article_id: str, spans: Sequence[tuple[int, int]], terms: Sequence[Sequence[str]] | None = None
    ) -> None:
        """Store an article's sentence boundaries (original-text offsets), replacing earlier ones, and with
        ``terms`` (one list per sentence) their full-text index, in the same transaction: another process
        re-storing the same sentences meanwhile cannot leave index rows without their sentences."""

        def write() -> None:
            self.conn.execute("DELETE FROM sentences WHERE article_id=?", (article_id,))  # and their terms
            self.conn.executemany(
                # OR REPLACE: another process storing the same article's sentences at the same time (two analyze
                # runs on one PostgreSQL store) is not an error; both write the same spans
                "INSERT OR REPLACE INTO sentences(article_id, n, start, \"end\") VALUES (?, ?, ?, ?)",
                [(article_id, n, s, e) for n, (s, e) in enumerate(spans, 1)],
            )
            if terms is not None:
                self._insert_terms(article_id, list(enumerate(terms, 1)))

        self._write(f"store sentences of {article_id}", write)

    def has_sentences(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sentences WHERE article_id=? LIMIT 1", (article_id,)).fetchone() is not None

    def sentences(self, article_ids: Iterable[str]) -> list[tuple[str, int, Citation]]:
        """``(article_id, n, citation)`` of every stored sentence of the given articles, in order."""
        out: list[tuple[str, int, Citation]] = []
        for aid in dict.fromkeys(article_ids):
            row = self.conn.execute("SELECT text FROM articles WHERE id=?", (aid,)).fetchone()
            if row is None:
                continue
            text = row[0]
            for n, start, end in self.conn.execute(
                "SELECT n, start, \"end\" FROM sentences WHERE article_id=? ORDER BY n", (aid,)
            ):
                out.append((aid, int(n), Citation(aid, int(start), int(end), text[start:end])))
        return out

    def sentence_vectors(self, model: str, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        """Cached sentence embeddings (raw float32 bytes) by ``(article_id, n)``."""
        out: dict[tuple[str, int], bytes] = {}
        wanted = set(keys)
        for aid in dict.fromkeys(k[0] for k in keys):
            for n, blob in self.conn.execute(
                "SELECT n, vector FROM sentence_vectors WHERE article_id=? AND model=?", (aid, model)
            ):
                if (aid, n) in wanted:
                    out[(aid, int(n))] = bytes(blob)
        return out

    def save_sentence_vectors(self, model: str, rows: Iterable[tuple[str, int, bytes]]) -> None:
        rows = list(rows)
        self._write(
            "store sentence vectors",
            lambda: self.conn.executemany(
                "INSERT OR REPLACE INTO sentence_vectors(article_id, n, model, vector) VALUES (?, ?, ?, ?)",
                [(a, n, model, v) for a, n, v in rows],
            ),
        )

    # -- the full-text index of sentences (migration 5)
    def save_sentence_terms(self, article_id: str, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
        """Store the search terms of an article's stored sentences (``(n, terms)``), replacing earlier ones."""

        def write() -> None:
            self.conn.execute("DELETE FROM sentence_terms WHERE article_id=?", (article_id,))
            self._insert_terms(article_id, rows)

        self._write(f"index the sentences of {article_id}", write)

    def _insert_terms(self, article_id: str, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
        self.conn.executemany(
            # OR IGNORE: another process indexing the same article at the same time (two analyze runs on one
            # PostgreSQL store) writes the same terms; its rows stand
            "INSERT OR IGNORE INTO sentence_terms(article_id, n, terms, length) VALUES (?, ?, ?, ?)",
            [(article_id, n, " ".join(t for t in terms if t and " " not in t), sum(1 for t in terms if t))
             for n, terms in rows],
        )

    def unindexed(self, story_id: str | None = None) -> tuple[list[str], list[str]]:
        """The articles (of one story, or every one) with no stored sentences, and those whose stored sentences
        are not in the full-text index (in one query)."""
        where = " JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?" if story_id else ""
        rows = self.conn.execute(
            "SELECT a.id, EXISTS(SELECT 1 FROM sentences s WHERE s.article_id = a.id),"
            " EXISTS(SELECT 1 FROM sentence_terms t WHERE t.article_id = a.id) FROM articles a" + where +
            " ORDER BY a.id", (story_id,) if story_id else (),
        ).fetchall()
        return [str(a) for a, has, _t in rows if not has], [str(a) for a, has, terms in rows if has and not terms]

    def without_terms(self, article_ids: Iterable[str]) -> list[str]:
        """Those of ``article_ids`` with stored sentences none of which is in the full-text index yet."""
        out = []
        for aid in dict.fromkeys(article_ids):
            row = self.conn.execute(
                "SELECT EXISTS(SELECT 1 FROM sentences WHERE article_id=?),"
                " EXISTS(SELECT 1 FROM sentence_terms WHERE article_id=?)", (aid, aid)
            ).fetchone()
            if row and row[0] and not row[1]:
                out.append(aid)
        return out

    def search_sentences(
        self, terms: Sequence[str], *, story_id: str | None = None, limit: int = 1000
    ) -> list[tuple[str, int, int, int, str]]:
        """Sentences holding any of ``terms`` (search terms), best first by the database's own ranking (FTS5
        bm25 in SQLite, ``ts_rank`` in PostgreSQL), ties by article and number; in one story when ``story_id``
        is given.  Rows ``(article_id, n, start, end, terms)`` (``terms``: the sentence's own, space-separated)."""
        terms = [t for t in dict.fromkeys(terms) if t and " " not in t]
        if not terms or limit <= 0:
            return []
        story = " JOIN story_articles sa ON sa.article_id = t.article_id AND sa.story_id = ?" if story_id else ""
        args: list[Any] = [story_id] if story_id else []
        if self.dialect == "postgresql":
            query = _tsquery(terms)
            sql = (
                'SELECT t.article_id, t.n, s.start, s."end", t.terms FROM sentence_terms t'
                " JOIN sentences s ON s.article_id = t.article_id AND s.n = t.n" + story +
                " WHERE t.tsv @@ CAST(? AS tsquery)"
                " ORDER BY ts_rank(t.tsv, CAST(? AS tsquery)) DESC, t.article_id, t.n LIMIT ?"
            )
            args += [query, query, limit]
        else:
            sql = (
                'SELECT t.article_id, t.n, s.start, s."end", t.terms FROM sentence_fts f'
                " JOIN sentence_terms t ON t.id = f.rowid"
                " JOIN sentences s ON s.article_id = t.article_id AND s.n = t.n" + story +
                " WHERE sentence_fts MATCH ? ORDER BY bm25(sentence_fts), t.article_id, t.n LIMIT ?"
            )
            args += [_fts5_query(terms), limit]
        return [(str(a), int(n), int(s), int(e), str(t)) for a, n, s, e, t in self.conn.execute(sql, args)]

    def term_counts(self, terms: Sequence[str], *, story_id: str | None = None) -> dict[str, int]:
        """How many indexed sentences hold each term (of one story when ``story_id`` is given)."""
        out: dict[str, int] = {}
        story = " JOIN story_articles sa ON sa.article_id = t.article_id AND sa.story_id = ?" if story_id else ""
        for term in dict.fromkeys(terms):
            if not term or " " in term:
                out[term] = 0
                continue
            if self.dialect == "postgresql":
                sql = "SELECT COUNT(*) FROM sentence_terms t" + story + " WHERE t.tsv @@ CAST(? AS tsquery)"
                query = _tsquery([term])
            else:
                sql = ("SELECT COUNT(*) FROM sentence_fts f JOIN sentence_terms t ON t.id = f.rowid" + story +
                       " WHERE sentence_fts MATCH ?")
                query = _fts5_query([term])
            (count,) = self.conn.execute(sql, [*([story_id] if story_id else []), query]).fetchone()
            out[term] = int(count)
        return out

    def sentence_stats(self, story_id: str) -> tuple[int, float]:
        """The number of a story's indexed sentences and their mean number of terms."""
        row = self.conn.execute(
            "SELECT COUNT(*), AVG(t.length) FROM sentence_terms t"
            " JOIN story_articles sa ON sa.article_id = t.article_id WHERE sa.story_id = ?", (story_id,)
        ).fetchone()
        return (int(row[0]), float(row[1] or 0.0)) if row else (0, 0.0)

    def sentence_citations(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Citation]:
        """The stored sentences ``(article_id, n)`` as citations, their text cut by the database (an article's
        whole text is not read)."""
        by_article: dict[str, list[int]] = {}
        for aid, n in keys:
            by_article.setdefault(aid, []).append(int(n))
        out: dict[tuple[str, int], Citation] = {}
        for aid, ns in by_article.items():
            for at in range(0, len(ns), 500):
                part = ns[at : at + 500]
                for n, start, end, text in self.conn.execute(
                    'SELECT s.n, s.start, s."end", substr(a.text, s.start + 1, s."end" - s.start) FROM sentences s'
                    " JOIN articles a ON a.id = s.article_id WHERE s.article_id = ? AND s.n IN"
                    f" ({', '.join('?' * len(part))})", (aid, *part),
                ):
                    out[(aid, int(n))] = Citation(aid, int(start), int(end), str(text))
        return out

    def sentence_terms(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The stored search terms of the given sentences (space-separated), by ``(article_id, n)``."""
        wanted = set(keys)
        out: dict[tuple[str, int], str] = {}
        for aid in dict.fromkeys(k[0] for k in wanted):
            for n, terms in self.conn.execute("SELECT n, terms FROM sentence_terms WHERE article_id=?", (aid,)):
                if (aid, int(n)) in wanted:
                    out[(aid, int(n))] = str(terms)
        return out

    def missing_vectors(self, story_id: str, model: str) -> list[tuple[str, int]]:
        """The ``(article_id, n)`` of a story's stored sentences with no vector of ``model`` yet."""
        return [
            (str(a), int(n))
            for a, n in self.conn.execute(
                "SELECT s.article_id, s.n FROM sentences s JOIN story_articles sa ON sa.article_id = s.article_id"
                " LEFT JOIN sentence_vectors v ON v.article_id = s.article_id AND v.n = s.n AND v.model = ?"
                " WHERE sa.story_id = ? AND v.article_id IS NULL ORDER BY s.article_id, s.n",
                (model, story_id),
            )
        ]

    def iter_story_vectors(self, story_id: str, model: str, chunk: int = 1024) -> Iterator[list[tuple[str, int, bytes]]]:
        """A story's stored sentence vectors of ``model``, ``chunk`` rows at a time (never the whole story at
        once: SQLite steps its cursor, PostgreSQL reads through a server-side cursor)."""
        sql = (
            "SELECT v.article_id, v.n, v.vector FROM sentence_vectors v"
            " JOIN story_articles sa ON sa.article_id = v.article_id"
            " WHERE sa.story_id = ? AND v.model = ? ORDER BY v.article_id, v.n"
        )
        for rows in self.conn.stream(sql, (story_id, model), chunk):
            yield [(str(a), int(n), bytes(v)) for a, n, v in rows]

    # -- vectors by text (migration 6)
    def text_vectors(self, model: str, digests: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors (raw float32 bytes) of texts by their digest, for one model."""
        out: dict[str, bytes] = {}
        wanted = list(dict.fromkeys(digests))
        for at in range(0, len(wanted), 500):
            part = wanted[at : at + 500]
            sql = f"SELECT digest, vector FROM text_vectors WHERE model = ? AND digest IN ({', '.join('?' * len(part))})"
            out.update((str(d), bytes(v)) for d, v in self.conn.execute(sql, (model, *part)))
        return out

    def save_text_vectors(self, model: str, rows: Iterable[tuple[str, bytes]]) -> None:
        """Keep vectors by text digest; one stored already is kept as it is (its text gives the same vector)."""
        data = [(model, d, v) for d, v in rows]
        self._write(
            "store text vectors",
            lambda: self.conn.executemany(
                "INSERT OR IGNORE INTO text_vectors(model, digest, vector) VALUES (?, ?, ?)", data
            ),
        )

    # -- problems
    def _problem(self, row: tuple) -> Problem:
        pid, story, key, kind, text, cites, category, comment, status, created, updated, resolution = row
        citations = tuple(Citation(c["source"], c["start"], c["end"], c["text"]) for c in json.loads(cites))
        return Problem(
            int(pid), story, key, kind, text, citations, category, comment, status, created, updated, resolution
        )

    _PROBLEM_SQL = (
        "SELECT id, story_id, item_key, item_kind, item_text, citations, category, comment, status,"
        " created_at, updated_at, resolution FROM problems"
    )

    def add_problem(
        self,
        story_id: str,
        item_key: str,
        item_kind: str,
        item_text: str,
        citations: Sequence[Citation],
        category: str,
        comment: str = "",
    ) -> Problem:
        """Record a reader's report; returns it with its id."""
        now = _now()
        cites = _dumps([{"source": c.source, "start": c.start, "end": c.end, "text": c.text} for c in citations])

        def write() -> int:
            cur = self.conn.execute(
                "INSERT INTO problems(story_id, item_key, item_kind, item_text, citations, category, comment,"
                " status, created_at) VALUES (?,?,?,?,?,?,?, 'open', ?)",
                (story_id, item_key, item_kind, item_text, cites, category, comment, now),
            )
            pid = int(cur.lastrowid or 0)
            self.conn.execute(
                "INSERT INTO problem_log(problem_id, at, action, note) VALUES (?, ?, 'reported', ?)",
                (pid, now, f"{category}: {comment}".strip().rstrip(":")),
            )
            return pid

        pid = self._write("store the problem report", write)
        problem = self.problem(pid)
        assert problem is not None
        return problem

    def problem(self, problem_id: int) -> Problem | None:
        row = self.conn.execute(self._PROBLEM_SQL + " WHERE id=?", (problem_id,)).fetchone()
        return None if row is None else self._problem(row)

    @staticmethod
    def _problem_filter(story_id: str | None, status: str | None) -> tuple[str, list[Any]]:
        where, args = [], []
        if story_id is not None:
            where.append("story_id=?")
            args.append(story_id)
        if status is not None:
            where.append("status=?")
            args.append(status)
        return (" WHERE " + " AND ".join(where) if where else ""), args

    def problems(
        self, story_id: str | None = None, status: str | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[Problem]:
        """Reports, newest first, optionally of one story and/or one status; ``limit``/``offset`` for a page."""
        where, args = self._problem_filter(story_id, status)
        sql = self._PROBLEM_SQL + where + " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [self._problem(r) for r in self.conn.execute(sql, args)]

    def count_problems(self, story_id: str | None = None, status: str | None = None) -> int:
        where, args = self._problem_filter(story_id, status)
        (n,) = self.conn.execute("SELECT COUNT(*) FROM problems" + where, args).fetchone()
        return int(n)

    def newer_problems(self, problem_id: int) -> int:
        """How many reports are newer than report ``problem_id`` (its position in the newest-first list)."""
        (n,) = self.conn.execute("SELECT COUNT(*) FROM problems WHERE id > ?", (problem_id,)).fetchone()
        return int(n)

    def problem_counts(self, status: str | None = None) -> dict[str, int]:
        """Reports per story, optionally of one status."""
        where, args = self._problem_filter(None, status)
        sql = "SELECT story_id, COUNT(*) FROM problems" + where + " GROUP BY story_id"
        return {story: int(n) for story, n in self.conn.execute(sql, args)}

    def problem_keys(self, story_id: str, status: str | None = None) -> set[str]:
        """The item keys a story's reports name, optionally of one status."""
        where, args = self._problem_filter(story_id, status)
        return {k for (k,) in self.conn.execute("SELECT DISTINCT item_key FROM problems" + where, args)}

    def set_problem_status(self, problem_id: int, status: str, note: str | None = None) -> Problem:
        """A maintainer's decision (open, resolved, suppressed), logged with its note."""
        now = _now()

        def write() -> None:
            cur = self.conn.execute(
                "UPDATE problems SET status=?, updated_at=?, resolution=COALESCE(?, resolution) WHERE id=?",
                (status, now, note, problem_id),
            )
            if cur.rowcount == 0:
                raise StoreError(f"{self.path}: no problem report #{problem_id}")
            self.conn.execute(
                "INSERT INTO problem_log(problem_id, at, action, note) VALUES (?, ?, ?, ?)",
                (problem_id, now, status, note),
            )

        self._write(f"update problem #{problem_id}", write)
        problem = self.problem(problem_id)
        assert problem is not None
        return problem

    def problem_log(
        self, story_id: str | None = None, limit: int = 500, problem_ids: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        """The corrections log: every report and decision, newest first (of one story, or of some reports)."""
        if problem_ids is not None and not problem_ids:
            return []  # of no reports (PostgreSQL refuses an empty IN list)
        sql = (
            "SELECT l.at, l.action, l.note, p.id, p.story_id, p.item_kind, p.item_text, p.category"
            " FROM problem_log l JOIN problems p ON p.id = l.problem_id"
        )
        where: list[str] = []
        args: list[Any] = []
        if story_id is not None:
            where.append("p.story_id=?")
            args.append(story_id)
        if problem_ids is not None:
            where.append(f"l.problem_id IN ({','.join('?' * len(problem_ids))})")
            args.extend(int(i) for i in problem_ids)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY l.id DESC LIMIT ?"
        args.append(limit)
        keys = ("at", "action", "note", "problem", "story", "item_kind", "item_text", "category")
        return [dict(zip(keys, r, strict=True)) for r in self.conn.execute(sql, args)]


    # -- corrections (a maintainer's right speaker, value or date; see storyline.reader.corrections)
    _CORRECTION_SQL = (
        "SELECT id, story_id AS story, item_key, item_kind, item_text, field, before, after, note, who AS by, at,"
        " problem_id AS problem FROM corrections"
    )

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, list(args))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def add_correction(
        self,
        story_id: str,
        item: tuple[str, str, str],
        field: str,
        before: str,
        after: str,
        *,
        note: str | None = None,
        who: str = "maintainer",
        problem_id: int | None = None,
    ) -> dict[str, Any]:
        """Store a correction of ``item`` (its key, kind and text), all or nothing; returns it.  With
        ``problem_id`` the report is resolved and its log says what was corrected.  The story's
        ``updated_at`` moves on (what is derived from it is out of date)."""
        key, kind, text = item
        now = _now()

        def write() -> int:
            if self.conn.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone() is None:
                raise StoreError(f"{self.path}: no story {story_id!r}")
            cur = self.conn.execute(
                "INSERT INTO corrections(story_id, item_key, item_kind, item_text, field, before, after, note, who,"
                " at, problem_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (story_id, key, kind, text, field, before, after, note, who, now, problem_id),
            )
            if problem_id is not None:
                done = self.conn.execute(
                    "UPDATE problems SET status='resolved', updated_at=?, resolution=COALESCE(?, resolution)"
                    " WHERE id=?",
                    (now, note, problem_id),
                )
                if done.rowcount == 0:
                    raise StoreError(f"{self.path}: no problem report #{problem_id}")
                self.conn.execute(
                    "INSERT INTO problem_log(problem_id, at, action, note) VALUES (?, ?, 'corrected', ?)",
                    (problem_id, now, f"{field}: {before} → {after}" + (f" ({note})" if note else "")),
                )
            self.conn.execute("UPDATE stories SET updated_at=? WHERE id=?", (time.time(), story_id))
            return int(cur.lastrowid or 0)

        cid = self._write(f"store a correction of {key}", write)
        return self._rows(self._CORRECTION_SQL + " WHERE id=?", (cid,))[0]

    def corrections(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Stored corrections, oldest first (of one story)."""
        if story_id is None:
            return self._rows(self._CORRECTION_SQL + " ORDER BY id")
        return self._rows(self._CORRECTION_SQL + " WHERE story_id=? ORDER BY id", (story_id,))

    _DECISIONS_SQL = (
        "SELECT * FROM (SELECT l.at AS at, 1 AS tie, l.id AS seq, l.action AS action, l.note AS note,"
        " p.id AS problem, p.story_id AS story, p.item_key AS item_key, p.item_kind AS item_kind,"
        " p.item_text AS item_text, NULL AS field, NULL AS before, NULL AS after, NULL AS who,"
        " (SELECT l2.action FROM problem_log l2 WHERE l2.problem_id = l.problem_id AND l2.id < l.id"
        "  AND l2.action != 'corrected' ORDER BY l2.id DESC LIMIT 1) AS prev"
        " FROM problem_log l JOIN problems p ON p.id = l.problem_id"
        " WHERE l.action IN ('resolved', 'suppressed', 'open')"
        " UNION ALL SELECT c.at, 2, c.id, 'corrected', c.note, c.problem_id, c.story_id, c.item_key, c.item_kind,"
        " c.item_text, c.field, c.before, c.after, c.who, NULL FROM corrections c) AS d"
    )

    def decisions(self, story_id: str | None = None, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Every maintainer's decision (resolve, suppress, reopen, correct), newest first, one page of them;
        each row has the report's item and, for a correction, the field, before and after."""
        where, args = (" WHERE story=?", [story_id]) if story_id is not None else ("", [])
        sql = self._DECISIONS_SQL + where + " ORDER BY at DESC, tie DESC, seq DESC LIMIT ? OFFSET ?"
        return self._rows(sql, [*args, limit, offset])

    def count_decisions(self, story_id: str | None = None) -> int:
        where, args = (" WHERE story=?", [story_id]) if story_id is not None else ("", [])
        (n,) = self.conn.execute("SELECT COUNT(*) FROM (" + self._DECISIONS_SQL + where + ") AS n", args).fetchone()
        return int(n)


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 query for any of ``terms``, each a quoted string (one token: see migration 5)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: Sequence[str]) -> str:
    """A tsquery (the type's own syntax: quoted lexemes, taken as they are) for any of ``terms``."""
    return " | ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)
