"""The reader's commands end to end (`stories`, `brief`, `ask`, `problems`, `serve --help`), run as a user runs
them: the installed command in a subprocess, against a real store holding the analysed sample story."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from storyline.reader.stories import save_story, story_slug
from storyline.store import Store

pytestmark = pytest.mark.slow

STORYLINE = [sys.executable, "-m", "storyline.cli"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STORYLINE_DB": "/nonexistent-dir-should-not-be-used/x.db"}
    return subprocess.run([*STORYLINE, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def db(sample_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("reader-cli") / "story.db"
    with Store(sample_run.db) as shared:
        shared.backup(path)
    with Store(path) as store:
        save_story(store, sample_run.dossier, [s["id"] for s in sample_run.dossier["sources"]])
    return path


def test_stories_lists_the_saved_story(db, sample_run):
    proc = run_cli("stories", "--db", str(db), "--json")
    assert proc.returncode == 0, proc.stderr
    (story,) = json.loads(proc.stdout)
    assert story["title"] == sample_run.dossier["title"] and story["articles"] == 12
    piped = run_cli("stories", "--db", str(db))  # not a terminal: tab-separated, a header row first
    assert story["id"] == story_slug(sample_run.dossier["title"])
    header, row = (line.split("\t") for line in piped.stdout.splitlines())
    assert dict(zip(header, row, strict=True))["id"] == story["id"] and header[:2] == ["id", "title"]


def test_brief_prints_a_cited_briefing(db, sample_run):
    proc = run_cli("brief", "--db", str(db), "--json", "--length", "6")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    texts = {s["id"]: s["text"] for s in sample_run.dossier["sources"]}
    sentences = [s for sec in data["sections"] for s in sec["sentences"]]
    assert sentences and all(s["citations"] for s in sentences)
    for s in sentences:
        for c in s["citations"]:
            assert texts[c["source"]][c["start"] : c["end"]] == c["text"]
    human = run_cli("brief", "--db", str(db))
    assert human.returncode == 0, human.stderr
    assert data["headline"] in human.stdout.replace("\n", " ") or data["headline"][:40] in human.stdout
    assert "What happened" in human.stdout and "Sources" in human.stdout and "[s" in human.stdout


def test_ask_answers_with_citations_or_says_the_sources_do_not_say(db):
    proc = run_cli("ask", "How many people have been killed?", "--db", str(db), "--no-embeddings", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["answered"] and data["citations"] and "78" in data["text"]
    none = run_cli("ask", "What is the price of copper in Chile?", "--db", str(db), "--no-embeddings")
    assert none.returncode == 3
    assert "The sources do not say." in none.stdout
    empty = run_cli("ask", "   ", "--db", str(db), "--no-embeddings")
    assert empty.returncode == 2 and "empty" in empty.stderr


def test_problems_report_list_suppress_and_log(db):
    brief = json.loads(run_cli("brief", "--db", str(db), "--json").stdout)
    first = brief["sections"][0]["sentences"][0]
    rep = run_cli("problems", "report", first["key"], "--category", "outdated", "--comment", "old toll", "--db", str(db))
    assert rep.returncode == 0, rep.stderr
    assert "reported problem #1" in rep.stdout
    listed = json.loads(run_cli("problems", "--db", str(db), "--json").stdout)
    assert [(p["id"], p["status"], p["category"], p["item_key"]) for p in listed] == [
        (1, "open", "outdated", first["key"])
    ]
    sup = run_cli("problems", "suppress", "1", "--note", "checked", "--db", str(db))
    assert sup.returncode == 0 and "now suppressed" in sup.stdout
    after = json.loads(run_cli("brief", "--db", str(db), "--json").stdout)
    assert first["key"] not in {s["key"] for sec in after["sections"] for s in sec["sentences"]}
    log = json.loads(run_cli("problems", "--db", str(db), "--log", "--json").stdout)
    assert [e["action"] for e in log] == ["suppressed", "reported"]
    reopen = run_cli("problems", "reopen", "1", "--db", str(db))
    assert reopen.returncode == 0
    back = json.loads(run_cli("brief", "--db", str(db), "--json").stdout)
    assert first["key"] in {s["key"] for sec in back["sections"] for s in sec["sentences"]}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["brief", "--story", "no-such-story"], 4, "no story 'no-such-story'"),
        (["ask", "anything", "--story", "no-such-story", "--no-embeddings"], 4, "no story 'no-such-story'"),
        (["problems", "resolve", "99"], 4, "no problem report #99"),
        (["problems", "report", "claim:00:1-2", "--category", "wrong"], 4, "no such item"),
        (["problems", "report", "claim:00:1-2", "--category", "spam"], 2, "spam"),
        (["brief", "--length", "2"], 2, "--length"),
    ],
)
def test_bad_requests_get_one_line_and_an_exit_code(db, args, code, message):
    proc = run_cli(*args, "--db", str(db))
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert message in proc.stderr
    if code == 4:
        assert len(proc.stderr.strip().splitlines()) == 1


def test_an_empty_store_says_to_analyse_first(tmp_path):
    from storyline.store import Store

    Store(tmp_path / "empty.db").close()
    proc = run_cli("brief", "--db", str(tmp_path / "empty.db"))
    assert proc.returncode == 4 and "run storyline analyze first" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["brief"], ["ask", "who?", "--no-embeddings"], ["sources"], ["stories"], ["claims"], ["conflicts"],
        ["problems"], ["problems", "resolve", "1"], ["serve"],
    ],
)  # fmt: skip
def test_read_only_commands_refuse_a_missing_store(tmp_path, args):
    missing = tmp_path / "mistyped.db"
    proc = run_cli(*args, "--db", str(missing))
    assert proc.returncode == 4 and f"no store at {missing}" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not missing.exists()


def test_serve_help_explains_the_app():
    proc = run_cli("serve", "--help")
    assert proc.returncode == 0 and "--maintainer" in proc.stdout and "127.0.0.1" in proc.stdout


MIXED = {
    "channel-1.txt": "PORT ARVEL — The harbour authority closed the northern channel of Port Arvel on Monday after the "
    "cargo ship Elna Brisk ran aground on a sandbank, harbour master Ilse Brenner said. Tugs tried to free the "
    "Elna Brisk at high tide, and pilots said at least 14 vessels were waiting outside the channel.\n",
    "channel-2.txt": "PORT ARVEL — Salvage crews began lightening the grounded cargo ship Elna Brisk in the northern "
    "channel of Port Arvel on Tuesday. Harbour master Ilse Brenner said the channel would stay closed until the "
    "ship was refloated, and the pilots' association counted 16 vessels waiting at anchor.\n",
    "volcano-1.txt": "KESTRIN — Mount Halvor erupted before dawn on Sunday, sending ash four kilometres over the "
    "valley of Kestrin, the volcanology institute said. Geologist Noor Adebayo said lava was moving slowly down "
    "the northern flank and that 2,000 villagers had been moved to shelters in Kestrin town.\n",
    "volcano-2.txt": "KESTRIN — Ash from Mount Halvor closed Kestrin airport on Monday as the eruption entered its "
    "second day. The volcanology institute said lava flows on the northern flank had slowed, and geologist Noor "
    "Adebayo warned that the ash column could rise again overnight.\n",
}


def test_split_stories_saves_each_story_of_a_mixed_pile(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, text in MIXED.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "mixed.db"
    proc = run_cli("analyze", str(folder), "--db", str(db), "--split-stories", "--no-embeddings", "--quiet",
                   "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "grouped into 2 stories" in proc.stdout
    stories = json.loads(run_cli("stories", "--db", str(db), "--json").stdout)
    assert sorted(s["articles"] for s in stories) == [2, 2]
    with Store(db) as store:
        groups = sorted(sorted(store.story_article_ids(s["id"])) for s in stories)
        by_name = {store.article(a).origin.rsplit("/", 1)[-1]: a for g in groups for a in g}
    assert groups == sorted([sorted([by_name["channel-1.txt"], by_name["channel-2.txt"]]),
                             sorted([by_name["volcano-1.txt"], by_name["volcano-2.txt"]])])
    for s in stories:
        assert (tmp_path / "out" / s["id"] / "report.html").is_file()
    clash = run_cli("analyze", str(folder), "--db", str(db), "--split-stories", "--story", "x", "--quiet")
    assert clash.returncode == 2 and "--split-stories" in clash.stderr


def test_stories_rename_sets_a_title_and_an_id(sample_run, tmp_path):
    path = tmp_path / "rename.db"
    with Store(sample_run.db) as shared:
        shared.backup(path)
    with Store(path) as store:
        sid = save_story(store, sample_run.dossier, [s["id"] for s in sample_run.dossier["sources"]])
    proc = run_cli("stories", "rename", sid, "The blockade of Sarrow", "--id", "", "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "renamed: the-blockade-of-sarrow" in proc.stdout
    (story,) = json.loads(run_cli("stories", "--db", str(path), "--json").stdout)
    assert (story["id"], story["title"]) == ("the-blockade-of-sarrow", "The blockade of Sarrow")
    bad = run_cli("stories", "rename", "no-such-story", "A title", "--db", str(path))
    assert bad.returncode == 4 and "no story 'no-such-story'" in bad.stderr and "Traceback" not in bad.stderr
    empty = run_cli("stories", "rename", "the-blockade-of-sarrow", "  ", "--db", str(path))
    assert empty.returncode == 2 and "empty" in empty.stderr
