"""The `storyline` command end to end: real files, a real local HTTP server, a real SQLite store.

Runs the installed console script in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.pipeline import analyze
from storyline.store import Store

STORYLINE = [sys.executable, "-m", "storyline.cli"]

GOOD = (
    "PORT ARVEL — The harbour authority closed the northern channel on Monday after a cargo ship ran aground, "
    "officials said.\n\n"
    "\u201cWe expect the channel to reopen in six days,\u201d said Ilse Brenner, the harbour master. \u201cUntil "
    "then, every vessel will be rerouted.\u201d\n\n"
    "At least 14 vessels were waiting outside the port on Tuesday, according to the pilots' association, and "
    "Brenner said that the salvage team would begin work the next day.\n"
)
SECOND = (
    "CALDERA BAY — Fishermen in Caldera Bay said on Sunday that the closure of the channel had cost them a week of "
    "work. More than 20 boats stayed in port, the cooperative said, and its chair, Rafael Castellan, told reporters "
    "that the authority had given no warning. \u201cNobody asked us,\u201d Castellan said.\n"
)
FRENCH = (
    "Le port a été fermé lundi après l'échouement d'un cargo, selon les autorités portuaires. Les pêcheurs "
    "attendent la réouverture du chenal, prévue dans six jours, et demandent une indemnisation pour les pertes.\n"
)


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "STORYLINE_DB": "/nonexistent-dir-should-not-be-used/x.db", **(env or {})}
    return subprocess.run([*STORYLINE, *args], capture_output=True, text=True, env=full_env, timeout=300)


def dead_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return f"http://127.0.0.1:{port}/story.html"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "path,title,outlet,published\n"
        "good.txt,Channel closed,The Meridian Ledger,2025-11-25\n"
        "second.txt,Fishermen idle,Coastline Daily,2025-11-30\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> list[str]:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (bad / "french.txt").write_text(FRENCH, encoding="utf-8")
    (bad / "broken.html").write_text("<html><body><div><p>Home</p><nav>Menu", encoding="utf-8")
    (bad / "huge.txt").write_text(("word " * 400_000), encoding="utf-8")  # ~2 MB, over --max-mb 1
    return [str(bad / n) for n in ("empty.txt", "binary.txt", "french.txt", "broken.html", "huge.txt")] + [dead_url()]


def test_help_explains_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for word in ("analyze", "extract", "sources", "Exit codes"):
        assert word in proc.stdout
    proc = run_cli("analyze", "--help")
    assert "--manifest" in proc.stdout and "--db" in proc.stdout


def test_analyze_writes_reports_and_reuses_store(corpus: Path, tmp_path: Path):
    db = tmp_path / "s.db"
    out = tmp_path / "out"
    proc = run_cli("analyze", str(corpus), "-o", str(out), "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "analysed 2 articles (2 new, 0 already stored)" in proc.stdout
    for name in ("dossier.json", "report.md", "report.html"):
        assert (out / name).is_file()
    dossier = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    texts = {s["id"]: s["text"] for s in dossier["sources"]}
    assert {s["outlet"] for s in dossier["sources"]} == {"The Meridian Ledger", "Coastline Daily"}
    assert all(s["published_how"] == "metadata" for s in dossier["sources"])
    n = 0
    for key in ("events", "quotes", "figures", "entities"):
        for item in dossier[key]:
            for c in item["citations"]:
                assert texts[c["source"]][c["start"]:c["end"]] == c["text"]
                n += 1
    assert n > 10
    assert any(q["speaker"]["name"] == "Ilse Brenner" for q in dossier["quotes"])
    # a re-run picks everything up from the store
    proc = run_cli("analyze", str(corpus), "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "(0 new, 2 already stored)" in proc.stdout
    proc = run_cli("sources", "--db", str(db), "--json")
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)) == 2


def test_bad_inputs_get_one_line_each_and_the_batch_goes_on(corpus: Path, bad_inputs: list[str], tmp_path: Path):
    db = tmp_path / "s.db"
    proc = run_cli("analyze", *bad_inputs, str(corpus / "good.txt"), "--db", str(db), "--max-mb", "1",
                   "--timeout", "2", "--quiet")
    assert proc.returncode == 1, proc.stdout + proc.stderr  # partial
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("skipped ")]
    assert len(lines) == len(bad_inputs), proc.stderr
    for source, line in zip(bad_inputs, lines, strict=True):
        assert source in line
    assert "analysed 1 article " in proc.stdout
    with Store(db) as store:
        assert len(store.sources()) == 1
        (failed,) = store.conn.execute("SELECT failed FROM runs").fetchone()
        assert failed == len(bad_inputs)


def test_nothing_usable_exits_3(bad_inputs: list[str], tmp_path: Path):
    proc = run_cli("analyze", bad_inputs[0], "--db", str(tmp_path / "s.db"), "--quiet")
    assert proc.returncode == 3
    assert bad_inputs[0] in proc.stderr


def test_missing_path_is_named(tmp_path: Path):
    missing = str(tmp_path / "nope.txt")
    proc = run_cli("analyze", missing, "--db", str(tmp_path / "s.db"), "--quiet")
    assert proc.returncode == 3
    assert missing in proc.stderr


@pytest.mark.parametrize(
    ("stage", "field", "expected"),
    [
        ("dates", "value", "2025-11-24"),  # "on Monday" against a Tuesday publication date
        ("figures", "qualifier", "at least"),
        ("quotes", "speaker_key", "Ilse Brenner"),
        ("entities", "key", "Ilse Brenner"),
    ],
)
def test_extract_stage_json(corpus: Path, stage: str, field: str, expected: str):
    proc = run_cli("extract", stage, str(corpus / "good.txt"), "--published", "2025-11-25", "--json")
    assert proc.returncode == 0, proc.stderr
    [item] = json.loads(proc.stdout)
    records = item[stage]
    assert any(r[field] == expected for r in records), records
    original = (corpus / "good.txt").read_text(encoding="utf-8")
    for r in records:
        for cites in r["citations"].values():
            for c in cites if isinstance(cites, list) else [cites]:
                assert original[c["start"]:c["end"]] == c["text"]


def test_extract_unknown_stage_is_a_usage_error(corpus: Path):
    proc = run_cli("extract", "weather", str(corpus / "good.txt"))
    assert proc.returncode == 2


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/story.txt":
            body = SECOND.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


def test_urls_and_files_mixed(corpus: Path, tmp_path: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        proc = run_cli("analyze", f"{base}/story.txt", f"{base}/missing.html", str(corpus / "good.txt"),
                       "--db", str(tmp_path / "s.db"), "--quiet")
    finally:
        server.shutdown()
    assert proc.returncode == 1, proc.stderr
    assert "analysed 2 articles" in proc.stdout
    assert f"{base}/missing.html" in proc.stderr and "404" in proc.stderr


def test_interrupted_run_keeps_finished_articles_and_resumes(corpus: Path, tmp_path: Path):
    extra = corpus / "third.txt"
    shutil.copy(corpus / "good.txt", extra)
    extra.write_text(GOOD.replace("Monday", "Sunday").replace("14 vessels", "15 vessels"), encoding="utf-8")
    db = tmp_path / "s.db"
    seen = []

    def boom(event: str, detail: str) -> None:
        if event == "article":
            seen.append(detail)
            if len(seen) == 2:
                raise KeyboardInterrupt

    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        analyze([str(corpus)], store, workers=1, progress=boom)
    with Store(db) as store:
        assert len(store.sources()) == 2
        assert store.conn.execute("SELECT status FROM runs").fetchone() == ("interrupted",)
        result = analyze([str(corpus)], store, workers=1)
        assert (result.processed, result.reused) == (1, 2)
        assert len(store.sources()) == 3


def test_store_error_is_reported_cleanly(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StorylineError):
        Store(blocker / "sub" / "s.db")
    proc = run_cli("sources", "--db", str(blocker / "sub" / "s.db"))
    assert proc.returncode == 4
    assert "error:" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_text_too_long_to_parse_gets_one_line_and_the_batch_goes_on(corpus: Path, tmp_path: Path):
    from storyline.extract.nlp import MAX_PARSE_CHARS

    long = tmp_path / "long.txt"
    sentence = "The ferry crossing stayed closed for a third day after the storm. "
    long.write_text(sentence * (MAX_PARSE_CHARS // len(sentence) + 10), encoding="utf-8")
    proc = run_cli("analyze", str(long), str(corpus / "good.txt"), "--db", str(tmp_path / "s.db"), "--quiet")
    assert proc.returncode == 1, proc.stdout + proc.stderr  # partial
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("skipped ")]
    assert len(lines) == 1 and "long.txt" in lines[0] and "more than the 2,000,000 parsed" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert "analysed 1 article " in proc.stdout
