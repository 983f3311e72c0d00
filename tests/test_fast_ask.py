"""Fast answers: the numpy MiniLM encoder, the same answers as with sentence-transformers, the web app's
background warm-up and JSON route, and `storyline ask` reusing a running `storyline serve` of the store.

Every article text below was written for these tests (a fictional dam failure)."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import numpy as np
import pytest

from conftest import serve_app
from storyline.errors import ModelError
from storyline.extract import minilm
from storyline.extract.embed import (
    DEFAULT_EMBEDDINGS,
    FAST_ENV,
    FastEmbedder,
    default_model_path,
    get_embedder,
    get_fast_embedder,
)
from storyline.reader.ask import answer, answer_to_dict
from storyline.reader.stories import load_dossier, resolve_story, story_index, suppressions
from storyline.store import Store
from storyline.web import discovery
from storyline.web.app import create_app

pytestmark = pytest.mark.slow

STORYLINE = [sys.executable, "-m", "storyline.cli"]

ARTICLES = {
    "valley-courier-1.txt": (
        "Tessel dam gives way above Orrin", "Valley Courier", "2031-03-03",
        "ORRIN — The Tessel dam gave way early on Monday, sending a wall of water through the town of Orrin "
        "and killing at least 9 people, regional officials said.\n\n"
        "Rescue crews searched flooded streets through the night. About 300 homes were damaged, the regional "
        "council said.\n\n"
        "\"We will not leave anyone behind,\" said Mayor Petra Alvane, who spent the night at a school turned "
        "shelter.\n",
    ),
    "northern-wire-1.txt": (
        "Orrin toll rises to 14 after dam collapse", "Northern Wire", "2031-03-04",
        "ORRIN — The death toll from the collapse of the Tessel dam rose to 14 on Tuesday, the Orrin fire "
        "service said.\n\n"
        "Water minister Dario Fenn ordered an inquiry into the collapse and said engineers had flagged cracks "
        "in the dam wall in 2029.\n\n"
        "Mayor Petra Alvane said the town would rebuild every damaged home before winter.\n",
    ),
    "coastline-post-1.txt": (
        "Judge to lead Tessel dam inquiry", "Coastline Post", "2031-03-06",
        "ORRIN — At least 17 people have died since the Tessel dam collapsed on Monday, hospital officials "
        "said on Thursday.\n\n"
        "Judge Hana Ostrow will lead the inquiry ordered by water minister Dario Fenn and is due to report in "
        "June, the ministry said.\n\n"
        "Insurers estimate the damage at 40 million euros.\n",
    ),
}

# (question, whether the sources answer it)
QUESTIONS = [
    ("How many people died?", True),
    ("Who ordered the inquiry into the dam?", True),
    ("What did Petra Alvane say?", True),
    ("When will the inquiry report?", True),
    ("How many homes were damaged?", True),
    ("Who won the football cup final?", False),
    ("What is the capital of Mongolia?", False),
]


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "STORYLINE_DB": "/nonexistent-dir-should-not-be-used/x.db"}
    return subprocess.run([*STORYLINE, *args], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A store with one story analysed (with embeddings) from the three fixture articles."""
    folder = tmp_path_factory.mktemp("dam-articles")
    rows = ["path,title,outlet,published"]
    for name, (title, outlet, published, text) in ARTICLES.items():
        (folder / name).write_text(f"{title}\n\n{text}", encoding="utf-8")
        rows.append(f"{name},{title},{outlet},{published}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = tmp_path_factory.mktemp("dam-store") / "dam.db"
    proc = run_cli("analyze", str(folder), "--db", str(path), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="module")
def story_id(db: Path) -> str:
    with Store(db) as store:
        return resolve_story(store, None).id


# --------------------------------------------------------------------------- the numpy encoder

SENTENCES = [
    "How many people died?",
    "Who ordered the inquiry into the dam?",
    "The harbour bridge reopened after repairs on 14 November 2031.",
    "Ok",
    "x",
    "12,345 people; a 3.5% rise (up from 2.1%) since 2029-11-14.",
    "Café owners in Zürich said “non” — naïvely — to the plan.",
    "Ministerul a anunțat că șoseaua va fi redeschisă.",
    "ALL CAPITALS HEADLINE ABOUT THE FLOOD!!!",
    "word " * 400,  # longer than 256 tokens: truncated as sentence-transformers truncates
]


@pytest.fixture(scope="module")
def torch_embedder():
    return get_embedder()


@pytest.fixture(scope="module")
def numpy_encoder():
    return minilm.NumpyBertEmbedder(DEFAULT_EMBEDDINGS, default_model_path())


@pytest.mark.parametrize("sentence", SENTENCES)
def test_numpy_encoder_equals_sentence_transformers(sentence, torch_embedder, numpy_encoder):
    mine = numpy_encoder.encode([sentence])[0]
    theirs = torch_embedder.encode([sentence])[0]
    assert mine.dtype == np.float32 and mine.shape == (384,)
    assert float(mine @ theirs) > 1 - 1e-5
    assert float(np.abs(mine - theirs).max()) < 1e-4


def test_a_batch_of_mixed_lengths_equals_one_at_a_time(numpy_encoder):
    batch = numpy_encoder.encode(SENTENCES, batch_size=4)
    alone = np.stack([numpy_encoder.encode([s])[0] for s in SENTENCES])
    np.testing.assert_allclose(batch, alone, atol=1e-5)  # padding never leaks into a shorter sentence


@pytest.mark.parametrize(
    ("texts", "zero_rows"),
    [([], []), (["", "   "], [0, 1]), (["", "The dam gave way."], [0]), (["The dam gave way."], [])],
)
def test_blank_texts_are_zero_rows(numpy_encoder, texts, zero_rows):
    vecs = numpy_encoder.encode(texts)
    assert vecs.shape == (len(texts), 384)
    for i in range(len(texts)):
        norm = float(np.linalg.norm(vecs[i]))
        assert (norm == 0.0) if i in zero_rows else abs(norm - 1.0) < 1e-5


@pytest.mark.parametrize("x", [-6.0, -2.5, -1.0, -0.3, 0.0, 0.01, 0.5, 1.0, 1.7, 3.0, 6.0])
def test_erf_matches_math_erf(x):
    assert abs(float(minilm._erf(np.array([x], dtype=np.float32))[0]) - math.erf(x)) < 1e-6


@pytest.mark.parametrize(
    ("config", "pooling", "ok"),
    [
        ({"model_type": "bert", "hidden_act": "gelu"}, {"pooling_mode_mean_tokens": True}, True),
        ({"model_type": "bert", "hidden_act": "gelu"}, {"pooling_mode_cls_token": True}, False),
        ({"model_type": "bert", "hidden_act": "gelu"},
         {"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, False),
        ({"model_type": "bert", "hidden_act": "relu"}, {"pooling_mode_mean_tokens": True}, False),
        ({"model_type": "roberta", "hidden_act": "gelu"}, {"pooling_mode_mean_tokens": True}, False),
        ({"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "relative_key"},
         {"pooling_mode_mean_tokens": True}, False),
        ({"model_type": "bert", "hidden_act": "gelu"}, None, False),
    ],
)
def test_only_bert_with_mean_pooling_is_run_in_numpy(tmp_path, config, pooling, ok):
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    if pooling is not None:
        (tmp_path / "1_Pooling").mkdir()
        (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")
    if ok:
        assert minilm._check_config(tmp_path)["model_type"] == "bert"
    else:
        with pytest.raises(ModelError, match="numpy encoder cannot run"):
            minilm._check_config(tmp_path)


@pytest.mark.parametrize("missing", ["config.json", "model.safetensors", "tokenizer.json"])
def test_a_folder_without_its_files_is_refused(tmp_path, missing):
    for name in {"config.json", "model.safetensors", "tokenizer.json"} - {missing}:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match=f"no {missing}"):
        minilm._check_config(tmp_path)


def test_fast_embedder_shares_the_name_and_is_loaded_once(monkeypatch, torch_embedder):
    monkeypatch.delenv(FAST_ENV, raising=False)
    fast = get_fast_embedder()
    assert isinstance(fast, FastEmbedder) and fast is get_fast_embedder(DEFAULT_EMBEDDINGS)
    assert fast.name == torch_embedder.name == DEFAULT_EMBEDDINGS and fast.dim == torch_embedder.dim
    monkeypatch.setenv(FAST_ENV, "0")
    assert get_fast_embedder() is torch_embedder


def test_asking_in_a_process_never_imports_torch(db):
    code = (
        "import sys\nfrom storyline.cli import main\nsys.argv = ['storyline', 'ask', 'How many people died?', "
        f"'--db', {str(db)!r}, '--no-serve', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.stderr.strip().endswith("NO-TORCH"), proc.stderr
    assert json.loads(proc.stdout)["answered"] is True


# --------------------------------------------------------------------------- same answers as before


def _answers(db: Path, story: str, embedder) -> list[dict]:
    out = []
    with Store(db) as store:
        dossier = load_dossier(store, story)
        index = story_index(store, story, embedder=embedder)
        sup = suppressions(store, story)
        for question, _ in QUESTIONS:
            a = answer_to_dict(answer(question, dossier, index, embedder=embedder, suppressed=sup))
            out.append({k: a[k] for k in ("answered", "text", "kind", "citations")}
                       | {"passages": [p["citation"] for p in a["passages"]]})
    return out


def test_the_fast_encoder_gives_the_same_answers(db, story_id, torch_embedder):
    before = _answers(db, story_id, torch_embedder)
    after = _answers(db, story_id, get_fast_embedder())
    assert [a["answered"] for a in before] == [ok for _, ok in QUESTIONS]
    assert after == before


# --------------------------------------------------------------------------- the web app


class _Gate:
    """A get_fast_embedder stand-in that loads the real model only once released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, name=None):
        self.calls += 1
        self.release.wait(60)
        return get_fast_embedder(name)


def test_the_model_loads_in_the_background_and_the_page_says_so(db, story_id, monkeypatch):
    import storyline.extract.embed as embed
    import storyline.web.app as web

    gate = _Gate()
    monkeypatch.setattr(embed, "get_fast_embedder", gate)
    monkeypatch.setattr(web, "WARM_WAIT_S", 0.2)
    app = create_app(db, embedder=None)
    state = app.state.storyline
    with serve_app(app) as base:
        ask = f"{base}/stories/{story_id}/ask"
        api = f"{base}/api/stories/{story_id}/ask"
        page = httpx.get(ask, params={"q": "How many people died?"}, timeout=60)
        assert page.status_code == 200 and "still loading" in page.text and "word matching" in page.text
        early = httpx.get(api, params={"q": "How many people died?"}, timeout=60).json()
        assert (early["ranking"], early["model"]) == ("lexical", "loading")
        gate.release.set()
        assert state.ready.wait(60)
        httpx.get(api, params={"q": "How many people died?"}, timeout=60)  # may still be encoding the sentences
        state.building[story_id].wait(60)
        late = httpx.get(api, params={"q": "How many people died?"}, timeout=60).json()
        page = httpx.get(ask, params={"q": "How many people died?"}, timeout=60)
    assert (late["ranking"], late["model"]) == ("embeddings", "ready")
    assert "still loading" not in page.text
    assert gate.calls == 1  # once per app, however many questions waited


def test_the_app_starts_warming_up_when_it_starts(db, monkeypatch):
    from fastapi.testclient import TestClient

    import storyline.extract.embed as embed

    gate = _Gate()
    monkeypatch.setattr(embed, "get_fast_embedder", gate)
    app = create_app(db, embedder=None)
    state = app.state.storyline
    assert state.warming is None and state.model_status() == "loading"
    with TestClient(app):  # runs the lifespan: startup starts the warm-up thread
        assert state.warming is not None and state.warming.is_alive()
        gate.release.set()
        state.warming.join(60)
    assert state.model_status() == "ready" and state.embedder is not None
    assert state.ask_cache  # the newest story's question index was built in the background too


class _SlowSentences:
    """An embedder whose sentence encoding (more than one text) waits for a release: a story whose sentence
    vectors are not in the store yet (its own name), encoded while questions arrive."""

    name = "slow-sentences-test"
    dim = 8

    def __init__(self) -> None:
        self.release = threading.Event()

    def encode(self, texts, batch_size=64):
        if len(texts) > 1:
            self.release.wait(60)
        rows = np.array([[hash((t, i)) % 97 + 1.0 for i in range(self.dim)] for t in texts], dtype=np.float32)
        return rows.reshape(-1, self.dim) / np.linalg.norm(rows, axis=1, keepdims=True).reshape(-1, 1).clip(1e-9)


def test_a_story_being_indexed_is_answered_by_word_matching_meanwhile(db, story_id, monkeypatch):
    import storyline.web.app as web

    monkeypatch.setattr(web, "WARM_WAIT_S", 0.2)
    slow = _SlowSentences()
    app = create_app(db, embedder=slow)
    state = app.state.storyline
    with serve_app(app) as base:
        api = f"{base}/api/stories/{story_id}/ask"
        early = httpx.get(api, params={"q": "How many people died?"}, timeout=60).json()
        page = httpx.get(f"{base}/stories/{story_id}/ask", params={"q": "How many people died?"}, timeout=60)
        # answered by word matching while the sentences wait for their release (a wait would end "ready")
        assert (early["ranking"], early["model"]) == ("lexical", "indexing") and early["answered"]
        assert not slow.release.is_set()
        assert "being prepared" in page.text and "word matching" in page.text
        slow.release.set()
        state.building[story_id].wait(60)
        late = httpx.get(api, params={"q": "How many people died?"}, timeout=60).json()
        page = httpx.get(f"{base}/stories/{story_id}/ask", params={"q": "How many people died?"}, timeout=60)
    assert (late["ranking"], late["model"]) == ("embeddings", "ready")
    assert "being prepared" not in page.text and "still loading" not in page.text


@pytest.mark.parametrize(
    ("embedder", "status"),
    [(False, "lexical"), ("fast", "ready")],
)
def test_model_status_without_a_warm_up(db, embedder, status):
    app = create_app(db, embedder=get_fast_embedder() if embedder == "fast" else embedder)
    assert app.state.storyline.model_status() == status


# (query, expected status, what the JSON says)
API_CASES = [
    ({"q": "How many people died?"}, 200, "answered"),
    ({"q": "Who won the football cup final?"}, 200, "not answered"),
    ({"q": "   "}, 400, "the question is empty"),
    ({}, 400, "the question is empty"),
    ({"q": "why " * 200}, 400, "at most 500 characters"),
]


@pytest.fixture(scope="module")
def api(db) -> Iterator[str]:
    app = create_app(db, embedder=get_fast_embedder())
    app.state.serve_id = "the-serve-id"
    with serve_app(app) as base:
        yield base


@pytest.mark.parametrize(("params", "status", "says"), API_CASES)
def test_the_json_route(api, story_id, db, params, status, says):
    r = httpx.get(f"{api}/api/stories/{story_id}/ask", params=params, timeout=60)
    assert r.status_code == status and r.headers["content-type"].startswith("application/json")
    data = r.json()
    if status != 200:
        assert says in data["error"]
        return
    assert data["answered"] is (says == "answered") and data["serve"] == "the-serve-id"
    assert data["story"] == story_id and data["ranking"] == "embeddings"
    with Store(db) as store:
        for c in data["citations"]:
            assert store.article(c["source"]).text[c["start"] : c["end"]] == c["text"]
    cited = {c["source"] for c in data["citations"]} | {p["citation"]["source"] for p in data["passages"]}
    assert set(data["sources"]) == cited
    assert all("text" not in s and "origin" not in s and s["ref"] for s in data["sources"].values())


@pytest.mark.parametrize("story", ["no-such-story", "a story with spaces", "%00", "x" * 300])
def test_the_json_route_for_an_unknown_story(api, story):
    r = httpx.get(f"{api}/api/stories/{story}/ask", params={"q": "How many people died?"}, timeout=60)
    assert r.status_code == 404 and "No story" in r.json()["error"]


# --------------------------------------------------------------------------- the CLI and a running serve


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


class _FakeServe:
    """A tiny HTTP server that answers every question with a fixed text (proves where an answer came from)."""

    def __init__(self, serve_id: str, ranking: str = "embeddings", **fields) -> None:
        body = json.dumps({
            "serve": serve_id, "ranking": ranking, "question": "q", "answered": True, "kind": "passage",
            "text": "The fake serve answered.", "citations": [], "passages": [], "sources": {}, **fields,
        }).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def fake_serve() -> Iterator[_FakeServe]:
    fake = _FakeServe("fake-id")
    yield fake
    fake.close()


def _write(store: Path, fields: dict) -> None:
    discovery.serve_file(store).write_text(json.dumps(fields), encoding="utf-8")


# (what the discovery file says, whether `ask` uses that serve)
DISCOVERY_CASES = [
    ("valid", True),
    ("another serve id", False),
    ("dead pid", False),
    ("another store", False),
    ("not a loopback host", False),
    ("nothing listening", False),
    ("answers lexically", False),
    ("a citation without its text", False),
    ("a passage without a citation", False),
    ("not json", False),
    ("no file", False),
]


@pytest.mark.parametrize(("case", "used"), DISCOVERY_CASES)
def test_ask_uses_only_a_live_serve_of_the_same_store(tmp_path, db, story_id, fake_serve, case, used):
    from storyline.cli import _answer_by_serve

    store = tmp_path / "copy.db"
    store.write_bytes(b"")  # only its path matters here
    good = {"host": "127.0.0.1", "port": fake_serve.port, "pid": os.getpid(), "db": str(store.resolve()),
            "serve": "fake-id"}
    lexical = _FakeServe("fake-id", ranking="lexical")
    odd = {"a citation without its text": _FakeServe("fake-id", citations=[{"source": "abc", "start": 0}]),
           "a passage without a citation": _FakeServe("fake-id", passages=[{"score": 1.0}])}
    try:
        changes = {
            **{name: {"port": fake.port} for name, fake in odd.items()},
            "valid": {}, "another serve id": {"serve": "other"}, "dead pid": {"pid": _dead_pid()},
            "another store": {"db": str(db.resolve())}, "not a loopback host": {"host": "192.0.2.1"},
            "nothing listening": {"port": _free_port()}, "answers lexically": {"port": lexical.port},
        }
        if case == "not json":
            discovery.serve_file(store).write_text("{not json", encoding="utf-8")
        elif case != "no file":
            _write(store, good | changes[case])
        found = _answer_by_serve(store, story_id, "How many people died?")
    finally:
        for fake in (lexical, *odd.values()):
            fake.close()
    assert (found is not None) is used
    if used:
        assert found[0]["text"] == "The fake serve answered."


def test_the_cli_prints_the_serve_answer_and_no_serve_answers_here(db, fake_serve):
    _write(db, {"host": "localhost", "port": fake_serve.port, "pid": os.getpid(), "db": str(db.resolve()),
                "serve": "fake-id"})
    try:
        via = run_cli("ask", "How many people died?", "--db", str(db))
        here = run_cli("ask", "How many people died?", "--db", str(db), "--no-serve")
        lexical = run_cli("ask", "How many people died?", "--db", str(db), "--no-embeddings")
    finally:
        discovery.serve_file(db).unlink()
    assert via.returncode == 0 and via.stdout.startswith("The fake serve answered."), via.stderr
    assert here.returncode == 0 and "fake serve" not in here.stdout and "[s" in here.stdout
    assert "fake serve" not in lexical.stdout


@pytest.fixture(scope="module")
def real_serve(db) -> Iterator[subprocess.Popen]:
    port = _free_port()
    proc = subprocess.Popen([*STORYLINE, "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while discovery.find_serve(db) is None:
        assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
        time.sleep(0.1)
    yield proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


@pytest.mark.parametrize(("question", "answered"), QUESTIONS[:3] + QUESTIONS[-1:])
def test_ask_through_a_running_serve_prints_the_same_json(db, real_serve, question, answered):
    info = discovery.find_serve(db)
    assert info is not None and info.pid == real_serve.pid and info.port > 0
    via = run_cli("ask", question, "--db", str(db), "--json")
    here = run_cli("ask", question, "--db", str(db), "--json", "--no-serve")
    assert via.returncode == here.returncode == (0 if answered else 3), via.stderr + here.stderr
    assert json.loads(via.stdout) == json.loads(here.stdout)
    human_via = run_cli("ask", question, "--db", str(db))
    human_here = run_cli("ask", question, "--db", str(db), "--no-serve")
    assert human_via.stdout == human_here.stdout


def test_serve_removes_its_discovery_file_when_it_stops(db, real_serve):
    assert discovery.serve_file(db).is_file()
    real_serve.send_signal(signal.SIGTERM)
    real_serve.wait(30)
    assert not discovery.serve_file(db).exists()
    assert discovery.find_serve(db) is None


@pytest.mark.parametrize(
    ("host", "base"),
    [("127.0.0.1", "http://127.0.0.1:8123"), ("0.0.0.0", "http://127.0.0.1:8123"), ("::", "http://[::1]:8123"),
     ("localhost", "http://127.0.0.1:8123"), ("10.0.0.7", None), ("example.org", None)],
)
def test_serve_addresses_that_ask_would_use(tmp_path, host, base):
    store = tmp_path / "s.db"
    store.write_bytes(b"")
    assert discovery.write_serve_file(store, host, 8123, "sid") == discovery.serve_file(store)
    info = discovery.find_serve(store)
    assert (info.base if info else None) == base
    discovery.remove_serve_file(store, "another-id")  # not its file: kept
    assert discovery.serve_file(store).exists()
    discovery.remove_serve_file(store, "sid")
    assert not discovery.serve_file(store).exists()


def test_stemming_from_several_threads_is_exact():
    """The web app answers in a thread pool while its warm-up thread builds an index: both stem words."""
    import random

    from storyline import text

    rng = random.Random(5)
    words = sorted({"".join(rng.choice("abdeilmnoprstu") for _ in range(rng.randint(3, 10)))
                    + rng.choice(["ing", "ed", "ation", "ness", "ly", "s", "ies", "ement"]) for _ in range(30000)})
    truth = {w: text._STEMMER.stemWord(w) for w in words}
    text.stem.cache_clear()
    got: dict[str, str] = {}
    errors: list[str] = []

    def run(part: list[str]) -> None:
        for w in part:
            try:
                got[w] = text.stem(w)
            except Exception as exc:  # noqa: BLE001 - a garbled stemmer raises IndexError
                errors.append(type(exc).__name__)

    threads = [threading.Thread(target=run, args=(words[i::3],)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text.stem.cache_clear()
    assert not errors and got == truth
