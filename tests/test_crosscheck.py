"""Golden tests for cross-checking on the sample corpus: planted conflicts and errors found, the running death
toll not a conflict, wire rewrites counted once, every judgement cited; plus the CLI and report views."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "golden"))

import scoring  # noqa: E402

from storyline.output.dossier import validate_dossier, verify_citations  # noqa: E402

KEY = scoring.load_key()


@pytest.fixture(scope="module")
def dossier(sample_run) -> dict:
    return sample_run.dossier


def test_dossier_valid_and_every_citation_verifies(dossier):
    validate_dossier(dossier)
    assert verify_citations(dossier) == []
    assert dossier["claims"] and dossier["quality"]


@pytest.mark.parametrize("expected", KEY["conflicts"], ids=[c["kind"] for c in KEY["conflicts"]])
def test_planted_conflict_found_with_both_sides_cited(dossier, expected):
    found = [x for x in dossier["conflicts"] if scoring.conflict_matches(dossier, expected, x)]
    assert found, f"not found: {expected['kind']} {expected['sides']}; got {[(x['kind'], x['about']) for x in dossier['conflicts']]}"
    x = found[0]
    assert x["explanation"].strip()
    assert all(side["citations"] for side in x["sides"])


def test_at_most_two_false_conflicts(dossier):
    extra = scoring.false_conflicts(dossier, KEY)
    assert len(extra) <= 2, [(x["kind"], x["about"], [s["value"] for s in x["sides"]]) for x in extra]


@pytest.mark.parametrize("expected", KEY["errors"], ids=[e["file"] for e in KEY["errors"]])
def test_planted_error_flagged_with_evidence(dossier, expected):
    score = scoring.score_flagged_errors(dossier, {"errors": [expected]})
    assert score.value == 1.0, score.misses


def test_no_flagged_error_in_a_careful_report(dossier):
    names = scoring.origin_of(dossier)
    careful = {"meridian-ledger-2025-12-08.txt", "hws-wire-2025-12-10.txt"}
    assert not [e for e in dossier["errors"] if names[e["source"]] in careful]


def test_running_figures_are_series_not_conflicts(dossier):
    assert scoring.score_series(dossier, KEY).value == 1.0, scoring.score_series(dossier, KEY).misses
    assert scoring.score_running_not_conflict(dossier, KEY).value == 1.0


def test_death_toll_series_rises_over_time(dossier):
    names = scoring.origin_of(dossier)
    want = {(p["file"], float(p["value"])) for p in KEY["running_figures"][0]["series"]}
    series = max(
        dossier["series"], key=lambda fs: len(want & {(names[p["source"]], float(p["value"])) for p in fs["points"]})
    )
    assert series["cumulative"]
    dated = [(p["as_of"], p["value"]) for p in series["points"] if p["as_of"]]
    assert dated == sorted(dated)


def test_wire_copies_are_one_source(dossier):
    names = scoring.origin_of(dossier)
    groups = [[names[m] for m in g] for g in dossier["independence"]["groups"]]
    assert groups == KEY["wire_groups"]
    assert scoring.score_wire_single_source(dossier, KEY).value == 1.0


def test_claim_status_follows_independent_sources(dossier):
    assert {c["status"] for c in dossier["claims"]} <= {"corroborated", "single-source", "contested"}
    for c in dossier["claims"]:
        if c["status"] == "corroborated":
            assert c["independent"] >= 2
        if c["status"] == "single-source":
            assert c["independent"] == 1
        if c["conflicts"] or c["errors"]:
            assert c["status"] == "contested"
        assert c["text"] == c["citations"][0]["text"]
    assert any(c["status"] == "corroborated" for c in dossier["claims"])


def test_contested_claims_point_at_real_conflicts(dossier):
    ids = {x["id"] for x in dossier["conflicts"]} | {e["id"] for e in dossier["errors"]}
    for c in dossier["claims"]:
        assert set(c["conflicts"]) | set(c["errors"]) <= ids


def test_quality_scores_every_source_with_reasons(dossier):
    quality = dossier["quality"]
    assert {q["source"] for q in quality} == {s["id"] for s in dossier["sources"]}
    assert [q["score"] for q in quality] == sorted((q["score"] for q in quality), reverse=True)
    assert all(0.0 <= q["score"] <= 1.0 and q["reasons"] for q in quality)


def test_flagged_sources_rank_below_careful_ones(dossier):
    names = scoring.origin_of(dossier)
    score = {names[q["source"]]: q["score"] for q in dossier["quality"]}
    for bad in ("newspulse-hub-sarrow-explainer.md", "ostravan-voice-2025-12-12.txt"):
        assert score[bad] < score["meridian-ledger-2025-12-08.txt"]
        assert score[bad] < score["hws-wire-2025-12-10.txt"]


def test_report_shows_the_cross_check(sample_run):
    md = sample_run.report_md
    for head in ("## Conflicts", "## Flagged errors", "## Claims", "## Running figures", "## Source quality",
                 "## Copies and rewrites"):
        assert head in md
    for x in sample_run.dossier["conflicts"]:
        assert f"### {x['id']} " in md
    html = (sample_run.outdir / "report.html").read_text(encoding="utf-8")
    xml.dom.minidom.parseString(html.encode("utf-8"))
    assert 'class="chart series"' in html
    assert "<script" not in html
    assert "built-in method" not in html and "built-in method" not in md  # template keys resolve to values
    copies = html[html.index('<section id="copies">'):]
    copies = copies[: copies.index("</section>")]
    assert "The Calder Post" in copies and "Northline Daily" in copies


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_cli_conflicts_from_dossier(sample_run):
    path = sample_run.outdir / "dossier.json"
    res = _cli("conflicts", "--dossier", str(path), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data["conflicts"]) == len(sample_run.dossier["conflicts"])
    assert len(data["errors"]) == len(sample_run.dossier["errors"])
    table = _cli("conflicts", "--dossier", str(path))  # piped: tab-separated, one row a conflict or flagged error
    rows = [line.split("\t") for line in table.stdout.splitlines()]
    assert table.returncode == 0 and rows[0][:2] == ["record", "id"]
    assert sorted(r[0] for r in rows[1:]) == sorted(["conflict"] * len(data["conflicts"]) + ["error"] * len(data["errors"]))


def test_cli_claims_filter(sample_run):
    path = sample_run.outdir / "dossier.json"
    res = _cli("claims", "--dossier", str(path), "--status", "corroborated", "--limit", "0", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert rows and all(r["status"] == "corroborated" for r in rows)
    assert len(rows) == sum(1 for c in sample_run.dossier["claims"] if c["status"] == "corroborated")


@pytest.mark.parametrize(
    ("content", "code"),
    [("{not json", 4), ('{"schema_version": "1.1"}', 4)],
    ids=["not-json", "not-a-dossier"],
)
def test_cli_conflicts_bad_dossier_is_one_line(tmp_path, content, code):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    res = _cli("conflicts", "--dossier", str(bad))
    assert res.returncode == code
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and bad.name in lines[0], res.stderr


def test_cli_claims_empty_store(tmp_path):
    from storyline.store import Store

    Store(tmp_path / "empty.db").close()  # a store with no articles (a missing one is refused: exit 4)
    res = _cli("claims", "--db", str(tmp_path / "empty.db"))
    assert res.returncode == 3
    assert "no articles" in res.stderr


def _side(value: str, source: str, start: int):
    from storyline.records import Citation, Side

    return Side(value, (Citation(source, start, start + len(value), value),), (source,))


@pytest.mark.parametrize(
    ("likely", "kept"),
    [(None, ["a", "b"]), (0, ["b"]), (1, ["a"]), (5, ["a", "b"])],
    ids=["undecided", "first-supported", "second-supported", "out-of-range"],
)
def test_only_disputed_sides_contest_claims(likely, kept):
    from storyline.crosscheck.stage import _disputed
    from storyline.records import Conflict

    conflict = Conflict("x-1", "role", "who", (_side("a", "s1", 0), _side("b", "s2", 5)), "why", likely)
    (out,) = _disputed([conflict])
    assert [s.value for s in out.sides] == kept
    assert out.id == conflict.id and out.likely == conflict.likely


def test_claims_stating_the_supported_side_are_not_contested(dossier):
    """The role conflict's supported side ("President Marek Osterlund") is cited in many sources; claims that
    only repeat it must not be contested because of it."""
    by_id = {x["id"]: x for x in dossier["conflicts"]}
    for c in dossier["claims"]:
        for xid in c["conflicts"]:
            x = by_id[xid]
            if x["likely"] is None:
                continue
            disputed = [s for i, s in enumerate(x["sides"]) if i != x["likely"]]
            assert any(
                cc["source"] == sc["source"] and cc["start"] < sc["end"] and sc["start"] < cc["end"]
                for s in disputed for sc in s["citations"] for cc in c["citations"]
            ), (c["id"], xid)


def test_cli_conflicts_from_the_store_without_embeddings(sample_run):
    """Cross-checking every stored article (no dossier file, lexical only) finds the same planted conflicts."""
    db = sample_run.outdir.parent / "gate.db"
    res = _cli("conflicts", "--db", str(db), "--no-embeddings", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    sources = sample_run.dossier["sources"]
    rebuilt = {"sources": sources, "conflicts": data["conflicts"], "errors": data["errors"]}
    assert scoring.score_conflicts(rebuilt, KEY).value == 1.0, scoring.score_conflicts(rebuilt, KEY).misses
    assert scoring.score_flagged_errors(rebuilt, KEY).value == 1.0


def test_quality_ranking_agrees_with_a_careful_reader(dossier):
    """The whole pipeline's source-quality scores against the ranking written before any score
    (tests/test_quality.py): Kendall tau at least 0.6, the issue's target on real coverage."""
    from storyline.crosscheck.quality import kendall_tau
    from test_quality import READER_RANKING

    names = scoring.origin_of(dossier)
    score = {names[q["source"]]: q["score"] for q in dossier["quality"]}
    reader = [len(READER_RANKING) - i for i in range(len(READER_RANKING))]
    assert kendall_tau(reader, [score[n] for n in READER_RANKING]) >= 0.6


# A small story written for this test in the shape of real coverage: four careful reports and one content-farm
# rewrite that mistranslates the operation's name, calls the sitting president "former", and has the previous
# administration "set to take office"; the death toll grows across the week.
REAL_SHAPE = [
    ("a", "WASHINGTON — President Hal Brenner said on Monday that the naval campaign in the Caribbean would "
     "continue. Defence Secretary Ada Quill announced Operation Southern Harbor last week. Former President "
     "Tom Ridley did not comment. At least 83 people have been killed in strikes on boats since September, "
     "officials said.", "2025-11-17", "Wire A"),
    ("b", "President Hal Brenner met advisers on Tuesday to discuss Operation Southern Harbor, the military "
     "campaign against smuggling boats. Former President Tom Ridley criticised the strikes in a statement. At "
     "least 83 people have died in the strikes, according to a tally by the newspaper.", "2025-11-18", "Paper B"),
    ("c", "The strikes ordered by President Hal Brenner have killed at least 87 people, officials said on "
     "Thursday. Operation Southern Harbor involves a dozen warships. Quill said the operation would expand.",
     "2025-11-20", "Paper C"),
    ("d", "Operation Southern Haven, launched by former President Hal Brenner, has alarmed many observers. The "
     "Ridley administration, set to take office in January, has not said whether it will continue the "
     "campaign. It is important to note that the situation remains fluid. Over 80 people have been killed.",
     "2025-11-19", "Farm D"),
    ("e", "President Hal Brenner on Friday defended Operation Southern Harbor, saying the strikes had saved "
     "lives. At least 87 people have been killed since the campaign began, the ministry said.", "2025-11-21",
     "Paper E"),
]


def test_story_shaped_like_real_coverage():
    from conftest import make_items
    from storyline.crosscheck.stage import cross_check
    from storyline.output.dossier import build_dossier

    story = make_items(REAL_SHAPE)
    xc = cross_check(story.items, story.index, embedder=False)
    farm = story.ids["d"]
    flagged = {(e.kind, e.citation.text) for e in xc.errors}
    assert ("name", "Operation Southern Haven") in flagged
    assert ("role", "former President Hal Brenner") in flagged
    assert any(kind == "outdated" and "set to take office" in text for kind, text in flagged)
    assert all(e.source == farm for e in xc.errors)
    assert all(farm in {a for side in x.sides for a in side.sources} for x in xc.conflicts)  # no false conflict
    toll = [fs for fs in xc.series if fs.what == "people killed"]
    assert toll and {p.value for p in toll[0].points} >= {83.0, 87.0}
    assert min(xc.quality, key=lambda q: q.score).source == farm
    dossier = build_dossier(story.items, story.index, crosscheck=xc)
    validate_dossier(dossier)
    assert verify_citations(dossier) == []
