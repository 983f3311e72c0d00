"""The command line prints every name as it is, says one line per refused input, and tells a crash from a
partial run (issue 13).  Runs the real command in a subprocess on real files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import GOOD, SECOND, run_cli

ESC = "\x1b"


def _analyze(*args: str, db: Path) -> subprocess.CompletedProcess:
    return run_cli("analyze", *args, "--db", str(db), "--no-crosscheck", "--no-embeddings", "--workers", "1", "-q")


@pytest.fixture()
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "[bold red]alert[blink].txt").write_text("", encoding="utf-8")
    (folder / "[link=example.invalid]click[x].md").write_text("", encoding="utf-8")
    (folder / f"esc{ESC}[31mred.txt").write_text("", encoding="utf-8")
    (folder / ":warning: news.txt").write_text("", encoding="utf-8")
    (folder / "fm.md").write_text(
        f"---\ntitle: Harbour {ESC}[2J{ESC}[31mclosed\noutlet: [red]Gazette[/red]\n---\n\n{SECOND}", encoding="utf-8"
    )
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_names_with_markup_and_escapes_print_as_they_are(odd_folder: Path, tmp_path: Path) -> None:
    proc = _analyze(str(odd_folder), db=tmp_path / "s.db")
    assert proc.returncode == 1, proc.stderr
    assert ESC not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
    skipped = [ln for ln in proc.stderr.splitlines() if ln.startswith("skipped ")]
    assert len(skipped) == 5, proc.stderr
    assert any(f"{odd_folder}/:warning: news.txt: empty file" in ln for ln in skipped)
    assert any(f"{odd_folder}/[bold red]alert[blink].txt: empty file" in ln for ln in skipped)
    assert any("[link=example.invalid]click[x].md" in ln for ln in skipped)
    assert any(f"{odd_folder}/esc\\x1b[31mred.txt" in ln for ln in skipped)
    assert any(ln.endswith("pipe.txt: not a regular file (a FIFO (named pipe))") for ln in skipped)
    assert "analysed 2 articles" in proc.stdout


def test_titles_with_escape_codes_are_listed_without_them(odd_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _analyze(str(odd_folder), db=db)
    listed = run_cli("sources", "--db", str(db), env={"COLUMNS": "400"})
    assert listed.returncode == 0 and ESC not in listed.stdout
    assert "Harbour closed" in listed.stdout and "[red]Gazette[/red]" in listed.stdout
    rows = json.loads(run_cli("sources", "--db", str(db), "--json").stdout)
    assert {r["title"] for r in rows} >= {"Harbour closed"}


def test_manifest_outside_its_folder_needs_the_flag(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (tmp_path / "private.txt").write_text(GOOD, encoding="utf-8")
    (folder / "manifest.csv").write_text("path\n../private.txt\n", encoding="utf-8")
    refused = _analyze(str(folder), db=tmp_path / "a.db")
    assert refused.returncode == 3
    assert "is outside the manifest's folder (--allow-outside reads it)" in refused.stderr
    allowed = _analyze(str(folder), "--allow-outside", db=tmp_path / "b.db")
    assert allowed.returncode == 0 and "analysed 1 article " in allowed.stdout


CRASH = """
import sys
import storyline.pipeline as pipeline
import storyline.cli as cli

def broken(*args, **kwargs):
    raise RuntimeError("a bug in the pipeline")

pipeline.analyze = broken
sys.argv = ["storyline", *sys.argv[1:]]
cli.main()
"""


def test_a_crash_is_one_line_exit_5_and_a_report(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, "analyze", str(tmp_path / "good.txt"), "--db", str(tmp_path / "s.db"), "-q"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 5
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("storyline crashed (RuntimeError); this is a bug.") and "Traceback" not in line
    report = Path(re.search(r"Details: (\S+\.txt)", line).group(1))
    assert report.parent == tmp_path and "a bug in the pipeline" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000, "nested too deeply"),
        ("[1, 2]", "not a dossier (a JSON object is expected, not list)"),
        ("{", "cannot read a dossier"),
        ('{"schema_version": 1}', "does not match schema"),
    ],
)
def test_malformed_dossier_files_get_one_line(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "dossier.json"
    path.write_text(content, encoding="utf-8")
    for command in ("conflicts", "claims"):
        proc = run_cli(command, "--dossier", str(path))
        assert proc.returncode == 4 and reason in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_serve_maintainer_prints_a_private_address_that_works(tmp_path: Path) -> None:
    import socket
    import time

    import httpx

    from storyline.store import Store

    Store(tmp_path / "s.db").close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--maintainer", "--no-embeddings", "--port", str(port),
         "--db", str(tmp_path / "s.db")],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        lines = [proc.stderr.readline(), proc.stderr.readline()]
        (url,) = re.findall(r"maintainer: open (\S+) ", lines[1])
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/maintainer\?token=[\w-]{{20,}}", url)
        for _ in range(100):
            try:
                opened = httpx.get(url, follow_redirects=False, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert opened.status_code in (200, 303) and "set-cookie" in opened.headers
        wrong = httpx.get(url[:-3] + "xyz", follow_redirects=False, timeout=5)
        assert wrong.status_code == 403
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize(("budget", "code", "said"), [("0.001", 3, "time budget"), ("0", 0, "analysed 1 article ")])
def test_time_budget_option(tmp_path: Path, budget: str, code: int, said: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = _analyze(str(tmp_path / "good.txt"), "--time-budget", budget, db=tmp_path / "s.db")
    assert proc.returncode == code and said in proc.stdout + proc.stderr, proc.stderr


def test_claims_and_conflicts_read_the_stored_story(tmp_path: Path) -> None:
    """Issue 14: `claims`/`conflicts` read what `analyze` stored (--story), instead of cross-checking again."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    db = tmp_path / "s.db"
    done = run_cli("analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", str(db), "--no-embeddings",
                   "--workers", "1", "--story", "harbour", "-q")  # fmt: skip
    assert done.returncode == 0, done.stderr
    from storyline.reader.stories import load_dossier
    from storyline.store import Store

    with Store(db) as store:
        stored = load_dossier(store, "harbour")
    for args in (["--story", "harbour"], [], ["--recompute", "--no-embeddings"]):
        claims = run_cli("claims", "--db", str(db), "--json", "--limit", "0", *args)
        assert claims.returncode == 0, claims.stderr
        assert [c["id"] for c in json.loads(claims.stdout)] == [c["id"] for c in stored["claims"]], args
        found = run_cli("conflicts", "--db", str(db), "--json", *args)
        assert json.loads(found.stdout)["conflicts"] == stored["conflicts"], args
    missing = run_cli("claims", "--db", str(db), "--story", "no-such-story")
    assert missing.returncode == 4 and "no story 'no-such-story'" in missing.stderr
