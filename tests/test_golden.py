"""Golden tests: the whole pipeline on the bundled sample corpus against its hand-written answer key.

The answer key (tests/golden/sample_expected.json) was written with the corpus; the
thresholds below are the accuracy the project promises on it, not exact counts.  The
matching rules live in tests/golden/scoring.py, shared with the regression gate.
"""

from __future__ import annotations

import json
from pathlib import Path

import scoring
from scoring import origin_of

from storyline.output.dossier import validate_dossier, verify_citations
from storyline.pipeline import analyze
from storyline.store import Store

KEY = scoring.load_key()


def test_every_input_is_analysed(sample_run):
    assert sample_run.failures == ()
    files = {a["file"] for a in KEY["articles"]}
    names = {Path(s["origin"]).name for s in sample_run.dossier["sources"]}
    assert files <= names
    for name in ("dossier.json", "report.md", "report.html"):
        assert (sample_run.outdir / name).stat().st_size > 1000


def test_dossier_matches_schema_and_every_citation_verifies(sample_run):
    dossier = sample_run.dossier
    validate_dossier(dossier)
    assert verify_citations(dossier) == []
    n = sum(len(item["citations"]) for key in ("events", "quotes", "figures", "entities") for item in dossier[key])
    assert n > 100


def test_publication_dates_come_from_the_manifest_and_front_matter(sample_run):
    score = scoring.score_published(sample_run.dossier, KEY)
    assert score.value == 1.0, score.misses


def test_no_page_furniture_in_any_output(sample_run):
    # each furniture line is either left out by the HTML extractor or dropped (and listed) by the cleaner,
    # and none reaches an event, quote or figure, or the report above its sources table
    score = scoring.score_furniture(sample_run.dossier, KEY, sample_run.report_md)
    assert score.value == 1.0, score.misses


def test_quotes_have_the_right_speaker(sample_run):
    score = scoring.score_quotes(sample_run.dossier, KEY)
    assert score.value >= 0.8, score.misses


def test_dated_events_on_the_right_date(sample_run):
    score = scoring.score_events(sample_run.dossier, KEY)
    assert score.value >= 0.8, score.misses


def test_dates_are_normalised(sample_run):
    score = scoring.score_dates(sample_run.dossier, KEY)
    assert score.value >= 0.8, score.misses


def test_figures_keep_their_qualifiers(sample_run):
    score = scoring.score_figures(sample_run.dossier, KEY)
    assert score.value >= 0.8, score.misses


def test_one_entity_per_person(sample_run):
    score = scoring.score_entities(sample_run.dossier, KEY)
    assert score.value == 1.0, score.misses


def test_wire_copies_form_one_group_with_the_wire_as_origin(sample_run):
    pairs, origin = scoring.score_syndication(sample_run.groups, KEY)
    assert pairs.value == 1.0 and origin.value == 1.0, (pairs.misses, origin.misses)


def test_reports_have_every_section(sample_run):
    md = (sample_run.outdir / "report.md").read_text(encoding="utf-8")
    html = (sample_run.outdir / "report.html").read_text(encoding="utf-8")
    for section in ("Sources", "Timeline", "Who said what", "Figures"):
        assert section in md and section in html
    assert "<svg" in html and "Content-Security-Policy" in html


def test_rerun_is_deterministic(sample_run, tmp_path):
    with Store(tmp_path / "s.db") as store:
        again = analyze([str(scoring.CORPUS)], store, workers=1).dossier
    assert json.dumps(again, sort_keys=True) == json.dumps(sample_run.dossier, sort_keys=True)
    assert origin_of(again) == origin_of(sample_run.dossier)
