"""Shared fixtures: one pipeline run over the bundled sample corpus for the golden tests and the gate."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline (the machines are small and shared); on CI the examples are derandomised so a
# landing never depends on a lucky draw, while local runs keep exploring.
settings.register_profile("storyline", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("storyline")

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import scoring  # noqa: E402


@dataclass(frozen=True)
class SampleRun:
    dossier: dict
    report_md: str
    groups: list[list[str]]
    outdir: Path
    failures: tuple
    db: Path  # the store the sample was analysed into (articles and extractions; no story saved)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """The whole pipeline on examples/sample-story, into a fresh store and report folder (once per session)."""
    workdir = tmp_path_factory.mktemp("sample")
    dossier, report_md, groups, failures = scoring.run_sample(workdir, with_failures=True)
    return SampleRun(dossier, report_md, groups, workdir / "out", tuple(failures), workdir / "gate.db")


@dataclass(frozen=True)
class SampleItems:
    """The sample corpus analysed into a store: what the cross-checking stages consume."""

    items: tuple  # ((CleanArticle, Extraction), ...) ordered by publication date
    index: object  # storyline.extract.entities.EntityIndex linked across the corpus
    names: dict[str, str]  # article id -> file name (entries of a JSONL file: "file.jsonl#2")
    ids: dict[str, str]  # file name -> article id


def load_sample_items(db: Path) -> SampleItems:
    """Analyse examples/sample-story into the store at ``db`` (re-uses stored articles) and load it."""
    from storyline.extract.entities import link_entities
    from storyline.pipeline import analyze
    from storyline.store import Store

    with Store(db) as store:
        result = analyze([str(scoring.CORPUS)], store, workers=1, dossier=False)
        items = list(store.iter_loaded(result.article_ids))
    items.sort(key=lambda it: (it[0].article.published or "~", it[0].article.id))
    index = link_entities((clean, ext.mentions) for clean, ext in items)
    names = {}
    for clean, _ext in items:
        origin = clean.article.origin
        base, _, entry = origin.partition("#")
        names[clean.article.id] = Path(base).name + (f"#{entry}" if entry else "")
    return SampleItems(tuple(items), index, names, {v: k for k, v in names.items()})


@pytest.fixture(scope="session")
def sample_items(tmp_path_factory) -> SampleItems:
    """The sample corpus' cleaned articles and extractions with the corpus-wide entity index (once per session)."""
    return load_sample_items(tmp_path_factory.mktemp("xcheck") / "sample.db")


def make_items(docs, *, nlp=None) -> SampleItems:
    """Run the real pipeline on small self-written articles: ``docs`` is a sequence of
    ``(name, text, published ISO or None)`` or ``(name, text, published, outlet)``.  Returns them as
    SampleItems (names are the given names)."""
    from storyline.extract.entities import link_entities
    from storyline.extract.nlp import load_nlp
    from storyline.ingest.clean import clean
    from storyline.ingest.ingest import article_id
    from storyline.pipeline import extract_doc
    from storyline.records import Article

    nlp = nlp or load_nlp()
    items = []
    names = {}
    for doc in docs:
        name, text, published = doc[0], doc[1], doc[2]
        outlet = doc[3] if len(doc) > 3 else name
        aid = article_id(text)
        article = Article(
            id=aid, origin=name, text=text, format="text", outlet=outlet, published=published,
            published_how="metadata" if published else "none",
            published_precision="day" if published else None,
        )
        c = clean(article)
        items.append((c, extract_doc(nlp(c.text), aid, published)))
        names[aid] = name
    items.sort(key=lambda it: (it[0].article.published or "~", it[0].article.id))
    index = link_entities((c, e.mentions) for c, e in items)
    return SampleItems(tuple(items), index, names, {v: k for k, v in names.items()})


@contextmanager
def serve_app(app) -> Iterator[str]:
    """Run an ASGI ``app`` with uvicorn on a free 127.0.0.1 port in a background thread; yields the base URL."""
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


# --------------------------------------------------------------------------- a real PostgreSQL server


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (tests/pgserver.py: initdb + pg_ctl in a temporary directory,
    on a free 127.0.0.1 port), stopped and removed at the end.  Skipped when the server binaries are absent
    (``make postgres`` installs them), except on CI, where that fails."""
    from pgserver import running_postgres

    with running_postgres() as server:
        if server is None:
            message = "PostgreSQL server binaries not found (make postgres installs them)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        yield server
