"""storyline watch: feed polling against a real local HTTP server, online story assignment, and a story fed
one article at a time that ends equal to a full analyze."""

from __future__ import annotations

import contextlib
import csv
import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.crosscheck.assign import Assigner
from storyline.errors import FetchError, InputError, InputTooLarge
from storyline.ingest.watch import Watcher, WatchState, parse_every

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-story"


def _feed(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS feed of (title, published YYYY-MM-DD, text) items."""
    parts = ['<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>']
    for n, (title, day, text) in enumerate(items):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        y, m, d = day.split("-")
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        parts.append(
            f"<item><title>{html.escape(title)}</title><guid>item-{n}</guid><link>http://example.test/{n}</link>"
            f"<pubDate>Mon, {d} {months[int(m) - 1]} {y} 09:00:00 +0000</pubDate>"
            f"<description>{html.escape(body)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


class _Server:
    """Serves ``routes`` (path -> dict with body, etag, modified, delay) and records request headers."""

    def __init__(self) -> None:
        self.routes: dict[str, dict] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                owner.seen.append((self.path, dict(self.headers)))
                route = owner.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                time.sleep(route.get("delay", 0))
                etag, modified = route.get("etag"), route.get("modified")
                if (etag and self.headers.get("If-None-Match") == etag) or (
                    modified and not etag and self.headers.get("If-Modified-Since") == modified
                ):
                    self.send_response(304)
                    self.end_headers()
                    return
                body = route["body"]
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                if not route.get("chunked"):
                    self.send_header("Content-Length", str(len(body)))
                for name, value in (("ETag", etag), ("Last-Modified", modified)):
                    if value:
                        self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


ONE = [
    (
        "Flood gates opened at Marrow dam",
        "2026-03-02",
        "Engineers at the Marrow dam opened three flood gates on "
        "Monday after the river Tell rose two metres overnight, the regional water board said.\n\nResidents of "
        "Lower Marrow were told to move cars away from the embankment.",
    )
]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("30s", 30.0), ("10m", 600.0), ("2h", 7200.0), ("1d", 86400.0), ("45", 45.0), (" 1.5M ", 90.0),
     ("", None), ("ten", None), ("0m", None), ("-5s", None), ("5w", None)],
)  # fmt: skip
def test_parse_every(value: str, seconds: float | None) -> None:
    if seconds is None:
        with pytest.raises(InputError):
            parse_every(value)
    else:
        assert parse_every(value) == seconds


@pytest.mark.parametrize(
    ("route", "second_note", "sent_header"),
    [
        ({"etag": '"v1"'}, "not modified", ("If-None-Match", '"v1"')),
        ({"modified": "Mon, 02 Mar 2026 09:00:00 GMT"}, "not modified",
         ("If-Modified-Since", "Mon, 02 Mar 2026 09:00:00 GMT")),
        ({}, "unchanged", None),  # no validators: the body hash says nothing changed
    ],
)  # fmt: skip
def test_conditional_get(server: _Server, tmp_path: Path, route: dict, second_note: str, sent_header) -> None:
    server.routes["/feed.xml"] = {"body": _feed(ONE), **route}
    url = server.base + "/feed.xml"
    state = WatchState(tmp_path / "s.json")
    watcher = Watcher(state, delay=0)
    first = watcher.poll([url])
    assert first.notes == [(url, "changed")] and len(first.inputs) == 1
    state.save()
    again = Watcher(WatchState.load(tmp_path / "s.json"), delay=0).poll([url])
    assert again.notes == [(url, second_note)] and again.inputs == []
    headers = server.seen[-1][1]
    if sent_header is None:
        assert "If-None-Match" not in headers and "If-Modified-Since" not in headers
    else:
        assert headers.get(sent_header[0]) == sent_header[1]


@pytest.mark.parametrize(
    ("route", "max_bytes", "timeout", "error", "words"),
    [
        ({"body": b"x" * 5000}, 1000, 5.0, InputTooLarge, "over the"),
        ({"body": b"x" * 5000, "chunked": True}, 1000, 5.0, InputTooLarge, "body is over the"),
        ({"body": _feed(ONE), "delay": 2.0}, 10**6, 0.3, FetchError, "timed out"),
        (None, 10**6, 5.0, FetchError, "HTTP 404"),
        ({"body": _feed(ONE)}, 10**6, 5.0, None, ""),  # no failure: the control row
    ],
)
def test_fetch_limits(server: _Server, tmp_path: Path, route, max_bytes, timeout, error, words) -> None:
    if route is not None:
        server.routes["/f.xml"] = route
    watcher = Watcher(WatchState(tmp_path / "s.json"), delay=0, timeout=timeout, max_bytes=max_bytes)
    polled = watcher.poll([server.base + "/f.xml"])
    if error is None:
        assert polled.failures == [] and len(polled.inputs) == 1
    else:
        assert len(polled.failures) == 1 and polled.inputs == []
        assert words in polled.failures[0][1]
        with pytest.raises(error):
            watcher.fetch(server.base + "/f.xml")


@pytest.mark.parametrize(
    ("paths", "slept"),
    [(["/a.xml", "/b.xml"], [5.0]), (["/a.xml"], []), (["/a.xml", "/b.xml", "/a.xml"], [5.0, 5.0])],
)
def test_politeness_per_host(server: _Server, tmp_path: Path, paths: list[str], slept: list[float]) -> None:
    for p in ("/a.xml", "/b.xml"):
        server.routes[p] = {"body": _feed(ONE)}
    waits: list[float] = []
    watcher = Watcher(WatchState(tmp_path / "s.json"), delay=5.0, sleep=waits.append, clock=lambda: 100.0)
    watcher.poll([server.base + p for p in paths])
    assert waits == slept


def test_politeness_other_host_does_not_wait(server: _Server, tmp_path: Path) -> None:
    server.routes["/a.xml"] = {"body": _feed(ONE)}
    waits: list[float] = []
    watcher = Watcher(WatchState(tmp_path / "s.json"), delay=5.0, sleep=waits.append, clock=lambda: 100.0)
    port = server.httpd.server_address[1]
    watcher.poll([f"http://127.0.0.1:{port}/a.xml", f"http://localhost:{port}/a.xml"])
    assert waits == []


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([("write", "a.txt"), ("write", "b.txt")], [["a.txt", "b.txt"]]),
        ([("write", "a.txt"), ("poll", None), ("poll", None)], [["a.txt"], [], []]),
        ([("write", "a.txt"), ("poll", None), ("touch", "a.txt")], [["a.txt"], ["a.txt"]]),
        ([("write", ".hidden.txt"), ("write", "manifest.csv")], [[]]),
    ],
)
def test_folder_new_files(tmp_path: Path, steps, expected) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    watcher = Watcher(WatchState(tmp_path / "s.json"), delay=0)
    got = []
    for kind, name in steps:
        if kind == "poll":
            got.append(sorted(Path(p).name for p in watcher.poll([str(folder)]).inputs))
        elif kind == "write":
            (folder / name).write_text("some text\n", encoding="utf-8")
        else:
            (folder / name).write_text("some other, longer text\n", encoding="utf-8")
    got.append(sorted(Path(p).name for p in watcher.poll([str(folder)]).inputs))
    assert got == expected


def _tree(root: Path) -> None:
    """Files a folder watch meets: nested folders, hidden ones, manifests, links (to a file, a folder, nowhere),
    a name that sorts differently by path parts than by string, and a named pipe."""
    import os

    for rel in ("a.md", "a-c/q.md", "sub/b.md", "sub/deeper/c.txt", ".hid/h.md", ".h.md", "manifest.csv",
                "sub/manifest.jsonl", "sub/.x/y.md", "../other/o.md"):  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    (root / "link.md").symlink_to(root.parent / "other" / "o.md")
    (root / "sub" / "linkdir").symlink_to(root.parent / "other", target_is_directory=True)
    (root / "broken.md").symlink_to(root / "nowhere")
    os.mkfifo(root / "fifo")


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("in", ["in/a-c/q.md", "in/a.md", "in/link.md", "in/sub/b.md", "in/sub/deeper/c.txt"]),
        ("./in/", ["in/a-c/q.md", "in/a.md", "in/link.md", "in/sub/b.md", "in/sub/deeper/c.txt"]),
        ("in/sub", ["in/sub/b.md", "in/sub/deeper/c.txt"]),
        ("in/a.md", ["in/a.md"]),
        ("in/.hid", ["in/.hid/h.md"]),  # a hidden folder named on purpose: what is in it is not hidden
    ],
)
def test_folder_listing_matches_rglob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str, expected) -> None:
    """The folder poll lists what ``sorted(Path.rglob)`` less hidden parts and manifests lists, keyed by the
    file's real path (a linked file by its target), in the same order."""
    (tmp_path / "in").mkdir()
    _tree(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    base = Path(root)
    if base.is_file():
        reference = [base]
    else:
        reference = sorted(p for p in base.rglob("*") if p.is_file() and not any(
            part.startswith(".") for part in p.relative_to(base).parts) and p.name not in ("manifest.csv", "manifest.jsonl"))  # fmt: skip
    watcher = Watcher(WatchState(tmp_path / "s.json"), delay=0)
    got = watcher.poll([root]).inputs
    assert got == [str(p) for p in reference] == expected
    assert list(watcher.state.files) == [str(p.resolve()) for p in reference]
    assert watcher.poll([root]).inputs == []  # seen: nothing new


# ------------------------------------------------------------------ online assignment (texts written here)

DAM = (
    "The Marrow dam on the river Tell opened its flood gates after heavy rain. Engineers at Marrow dam said "
    "the reservoir at Tell valley was near its limit and the Marrow water board warned residents."
)
DAM2 = (
    "Residents below the Marrow dam moved out as the river Tell flooded fields. The Marrow water board said "
    "the dam's flood gates would stay open and the Tell valley reservoir would fall slowly."
)
CHESS = (
    "Grandmaster Ilse Varga won the Quenby chess open with a queen sacrifice in the final round. Varga "
    "beat the defending Quenby champion Otto Brell after six hours of chess."
)
CHESS2 = (
    "Otto Brell said he underestimated the queen sacrifice that gave Ilse Varga the Quenby chess title. "
    "Varga will now play the Quenby masters in the spring chess season."
)
TAX = (
    "The city council of Stellport approved a toll on the Harwick bridge for lorries heavier than twelve "
    "tonnes. Stellport hauliers said the Harwick bridge toll would raise freight prices."
)


@pytest.mark.parametrize(
    ("stream", "groups"),
    [
        ([DAM, DAM2], [[0, 1]]),
        ([DAM, CHESS, DAM2, CHESS2], [[0, 2], [1, 3]]),
        ([DAM, CHESS, TAX], [[0], [1], [2]]),  # nothing in common: every article opens its own story
        ([CHESS, TAX, CHESS2, DAM, DAM2], [[0, 2], [1], [3, 4]]),
    ],
)
def test_assigner_groups(stream: list[str], groups: list[list[int]]) -> None:
    got = Assigner().absorb((f"a{i}", t) for i, t in enumerate(stream))
    by_story: dict[str, list[int]] = {}
    for i in range(len(stream)):
        by_story.setdefault(got[f"a{i}"], []).append(i)
    assert sorted(by_story.values()) == groups


def test_assigner_state_round_trip_and_blocking() -> None:
    first = Assigner()
    first.absorb([("a0", DAM), ("a1", CHESS)])
    again = Assigner.from_json(json.loads(json.dumps(first.to_json())))
    assert again.absorb([("a2", CHESS2)]) == first.absorb([("a2", CHESS2)]) == {"a2": "new-a1"}
    assert again.scored == 1  # blocking: the dam story shares no strong term with CHESS2, so it is not scored
    with pytest.raises(InputError):
        Assigner.from_json({"stories": {"x": {"size": "many"}}})


# ------------------------------------------------------------------ the CLI: one line per refused feed, and equality


def test_watch_oversize_feed_one_line(server: _Server, tmp_path: Path) -> None:
    server.routes["/big.xml"] = {"body": b"<rss>" + b"x" * 300_000 + b"</rss>"}
    result = CliRunner().invoke(
        app, ["watch", server.base + "/big.xml", "--once", "--max-mb", "0.1", "--db", str(tmp_path / "s.db")]
    )
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "over the" in lines[0] and "/big.xml" in lines[0]


def _sample_items() -> list[tuple[str, str, str]]:
    with (SAMPLE / "manifest.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["path"].endswith(".txt")]
    return [(r["title"], r["published"], (SAMPLE / r["path"]).read_text(encoding="utf-8")) for r in rows]


def test_story_fed_one_at_a_time_equals_full_analyze(server: _Server, tmp_path: Path) -> None:
    items = _sample_items()
    assert len(items) >= 6
    runner = CliRunner()
    db = str(tmp_path / "watch.db")
    for n in range(1, len(items) + 1):
        server.routes["/story.xml"] = {"body": _feed(items[:n]), "etag": f'"v{n}"'}
        result = runner.invoke(
            app, ["watch", server.base + "/story.xml", "--once", "--no-embeddings", "--db", db]
        )
        assert result.exit_code == 0, result.output
        assert "1 new article," in result.stdout
    quiet = runner.invoke(app, ["watch", server.base + "/story.xml", "--once", "--no-embeddings", "--db", db])
    assert "pass 1: 0 new articles, 0 stories updated" in quiet.stdout
    feed_file = tmp_path / "story.xml"
    feed_file.write_bytes(_feed(items))
    full_db = str(tmp_path / "full.db")
    done = runner.invoke(
        app, ["analyze", str(feed_file), "--no-embeddings", "--db", full_db, "-q", "--workers", "1"]
    )
    assert done.exit_code == 0, done.output

    from storyline.reader.stories import load_dossier
    from storyline.store import Store

    with Store(db) as watched, Store(full_db) as full:
        assert len(watched.stories()) == 1 and len(full.stories()) == 1
        a = load_dossier(watched, watched.stories()[0].id)
        b = load_dossier(full, full.stories()[0].id)
    assert len(a["sources"]) == len(items)
    assert a["claims"] and a["conflicts"]
    for key in ("claims", "conflicts", "errors", "events", "quotes", "figures"):
        assert json.dumps(a.get(key), sort_keys=True) == json.dumps(b.get(key), sort_keys=True), key


@pytest.mark.slow
def test_watch_encodes_new_sentences_ahead_and_builds_what_the_model_in_process_builds(
    server: _Server, tmp_path: Path
) -> None:
    """Two passes with the sentence model in its own process (fed each story's new sentences before the
    rebuilds) and the same two passes with the model loaded in this process: the same stories, and
    ``prepare`` is told each story's new articles in the order the stories are then rebuilt."""
    from storyline.cli import _watch_pass
    from storyline.crosscheck.eventchains import chain_texts
    from storyline.crosscheck.independence import sentence_texts
    from storyline.pipeline import StoryRebuilder
    from storyline.reader.stories import load_dossier
    from storyline.store import Store

    class Recorded(StoryRebuilder):
        def __init__(self, in_process: bool) -> None:
            super().__init__(embeddings=True)
            if in_process:  # build_from_store's default: get_embedder() in this process
                self.embedder.close()
                self.embedder = None
            self.prepared: list[list[str]] = []
            self.built: list[list[str]] = []
            self.texts = 0

        def prepare(self, store, groups):
            self.prepared += [[c.article.id for c, _e in g] for g in groups]
            self.texts += sum(len(sentence_texts(c, e)) + len(chain_texts(c, e)) for g in groups for c, e in g)
            super().prepare(store, groups)

        def __call__(self, store, ids):
            self.built.append(list(ids))
            return super().__call__(store, ids)

    items = _sample_items()
    dossiers = []
    for in_process in (False, True):
        db = tmp_path / f"{in_process}.db"
        with Recorded(in_process) as rebuild, Store(db) as store:
            watcher = Watcher(WatchState.load(tmp_path / f"{in_process}.json"))
            for n, upto in enumerate((3, len(items)), start=1):
                server.routes["/story.xml"] = {"body": _feed(items[:upto]), "etag": f'"v{upto}"'}
                assert _watch_pass(store, watcher, [server.base + "/story.xml"], n, rebuild) == 0
            assert len(rebuild.prepared) == len(rebuild.built) == 2  # one story, rebuilt in each pass
            for new, built in zip(rebuild.prepared, rebuild.built, strict=True):
                assert new and built[-len(new):] == new
            if not in_process:
                assert rebuild.texts > 0 and 0 < rebuild.embedder.ahead <= rebuild.texts
            dossiers.append(load_dossier(store, store.stories()[0].id))
    a, b = dossiers
    assert len(a["sources"]) == len(items) and a["claims"]
    for key in ("claims", "conflicts", "errors", "events", "quotes", "figures", "independence", "quality"):
        assert json.dumps(a.get(key), sort_keys=True) == json.dumps(b.get(key), sort_keys=True), key
    same = ("ref", "outlet", "published", "text")  # not where each run spooled its feed
    assert [[s.get(k) for k in same] for s in a["sources"]] == [[s.get(k) for k in same] for s in b["sources"]]


@pytest.mark.parametrize(
    ("every", "passes_before_stop", "article"),
    [
        ("1s", 1, False),
        ("1s", 2, False),
        # a pass that found an article started the sentence model's process: Ctrl-C at the terminal reaches it
        # too (the whole process group), and it must neither print nor outlive the command
        pytest.param("1s", 1, True, marks=pytest.mark.slow),
    ],
)
def test_ctrl_c_between_passes_exits_130(tmp_path: Path, every: str, passes_before_stop: int, article: bool) -> None:
    import os
    import signal
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    if article:
        (folder / "dam.txt").write_text(ONE[0][2], encoding="utf-8")
    # the command as a terminal's Ctrl-C finds it, with SIGINT handled: a test run started as a background job
    # (or under nohup) would hand it on ignored, and then no Ctrl-C reaches it at all
    launcher = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from storyline.cli import main; sys.argv[0] = 'storyline'; main()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", launcher, "watch", str(folder), "--every", every, "--db", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "STORYLINE_DB": str(tmp_path / "s.db")},
        start_new_session=True,  # a process group of its own, as a terminal gives a command
    )
    seen = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("pass "):
            seen += 1
            if seen == passes_before_stop:
                break
    if article:
        assert "1 new article, 1 story updated" in line
        assert _session_members(proc.pid) > 1  # the model's process is there, between passes
    os.killpg(proc.pid, signal.SIGINT)
    _rest, errors = proc.communicate(timeout=60)
    assert proc.returncode == 130, errors
    assert "interrupted" in errors and "Traceback" not in errors
    deadline = time.monotonic() + 10
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_members(proc.pid) == 0
    assert (tmp_path / "s.db.watch.json").is_file()


def _session_members(sid: int) -> int:
    """Live (not zombie) processes of session ``sid``, read from /proc."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            count += 1
    return count


class _RecordingEmbedder:
    """A stand-in sentence model: fixed unit vectors by text, every text asked for and every prefetch kept."""

    name = "recording"
    dim = 8

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.prefetched: list[list[str]] = []

    def encode(self, texts, batch_size: int = 64):
        import numpy as np

        self.asked += list(texts)
        rows = [np.random.default_rng(sum(t.encode("utf-8")) + len(t)).normal(size=self.dim) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32).reshape(len(rows), self.dim)

    def prefetch(self, groups) -> None:
        self.prefetched += [list(g) for g in groups]


def test_chain_texts_are_what_the_event_chain_stage_asks_for(sample_items) -> None:
    """``watch`` encodes ahead, per new article, what the event-chain stage will ask the model for: the
    stage asks for nothing else and nothing it was not told of (a drift makes the pass wait on the model)."""
    from storyline.crosscheck.eventchains import chain_texts, group_nodes, story_nodes

    items = sample_items.items
    rec = _RecordingEmbedder()
    group_nodes(story_nodes(items, sample_items.index), {c.article.id: c.text for c, _e in items}, rec)
    told = {t for c, e in items for t in chain_texts(c, e)}
    assert rec.asked and set(rec.asked) == told


@pytest.mark.parametrize(
    ("stored_every", "expected_empty"),
    [
        (0, False),  # nothing stored: every text of each group, in order
        (2, False),  # every second text stored: the rest, in order
        (1, True),  # everything stored: nothing to encode ahead (the groups are still sent, empty)
    ],
)
def test_prepare_sends_what_the_store_lacks_in_build_order(
    sample_items, tmp_path: Path, stored_every: int, expected_empty: bool
) -> None:
    from storyline.crosscheck.eventchains import chain_texts
    from storyline.crosscheck.independence import sentence_texts
    from storyline.extract.embed import text_digest
    from storyline.pipeline import StoryRebuilder
    from storyline.store import Store

    items = list(sample_items.items[:3])
    groups = [items[:2], items[2:]]
    wanted = [
        list(dict.fromkeys([t for c, e in g for t in sentence_texts(c, e)] + [t for c, e in g for t in chain_texts(c, e)]))
        for g in groups
    ]
    everything = list(dict.fromkeys(t for g in wanted for t in g))
    stored = set(everything[::stored_every]) if stored_every else set()
    rebuild = StoryRebuilder(embeddings=False)
    rebuild.embedder = _RecordingEmbedder()
    with Store(tmp_path / "s.db") as store:
        store.save_text_vectors("recording", [(text_digest(t), b"\0" * 32) for t in stored])
        rebuild.prepare(store, groups)
    sent = [list(dict.fromkeys(g)) for g in rebuild.embedder.prefetched]
    assert sent == [[t for t in g if t not in stored] for g in wanted]
    assert all(not g for g in sent) == expected_empty
    assert len(sent) == 2
