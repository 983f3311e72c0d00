"""Golden tests: the whole pipeline on the bundled sample corpus against its hand-written answer key.

The answer key (tests/golden/sample_expected.json) was written with the corpus; the
thresholds below are the accuracy the project promises on it, not exact counts.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from storyline.dossier import validate_dossier, verify_citations
from storyline.pipeline import analyze
from storyline.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "sample-story"
KEY = json.loads((ROOT / "tests" / "golden" / "sample_expected.json").read_text(encoding="utf-8"))


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).casefold().split())


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("golden")
    with Store(tmp / "s.db") as store:
        result = analyze([str(CORPUS)], store, outdir=tmp / "out", workers=1)
    return result, tmp / "out"


@pytest.fixture(scope="module")
def dossier(run):
    return run[0].dossier


def origin_of(dossier: dict) -> dict[str, str]:
    """source id -> corpus file name (a JSONL row is "file.jsonl#N")."""
    return {s["id"]: Path(s["origin"]).name for s in dossier["sources"]}


def test_every_input_is_analysed(run):
    result, out = run
    assert result.failures == []
    files = {a["file"] for a in KEY["articles"]}
    names = {Path(s["origin"]).name for s in result.dossier["sources"]}
    assert files <= names
    for name in ("dossier.json", "report.md", "report.html"):
        assert (out / name).stat().st_size > 1000


def test_dossier_matches_schema_and_every_citation_verifies(dossier):
    validate_dossier(dossier)
    assert verify_citations(dossier) == []
    n = sum(len(item["citations"]) for key in ("events", "quotes", "figures", "entities") for item in dossier[key])
    assert n > 100


def test_publication_dates_come_from_the_manifest_and_front_matter(dossier):
    by_file = {}
    for s in dossier["sources"]:
        by_file.setdefault(Path(s["origin"]).name, []).append(s)
    for a in KEY["articles"]:
        published = {s["published"][:10] for s in by_file[a["file"]]}
        assert a["published"] in published, (a, published)


def test_no_page_furniture_in_any_output(dossier, run):
    # each furniture line is either left out by the HTML extractor or dropped (and listed) by the cleaner
    files = origin_of(dossier)
    for f in KEY["furniture"]:
        [source] = [s for s in dossier["sources"] if files[s["id"]] == f["file"]]
        removed = {norm(r["text"]) for r in source["furniture"]}
        assert norm(f["line"]) in removed or norm(f["line"]) not in norm(source["text"]), f["line"]
    shown = " ".join(
        norm(item.get("text") or item.get("summary") or "")
        for key in ("events", "quotes", "figures")
        for item in dossier[key]
    )
    report = norm((run[1] / "report.md").read_text(encoding="utf-8").split("## Sources")[0])
    for f in KEY["furniture"]:
        line = norm(f["line"])
        if len(line) > 12:
            assert line not in shown, f["line"]
            assert line not in report, f["line"]


def speaker_names(dossier: dict, quote: dict) -> set[str]:
    names = {norm(quote["speaker"]["name"] or "")}
    entity = next((e for e in dossier["entities"] if e["id"] == quote["speaker"].get("entity")), None)
    if entity:
        names |= {norm(a) for a in entity["aliases"]} | {norm(entity["name"])}
    return names


def test_quotes_have_the_right_speaker(dossier):
    files = origin_of(dossier)
    hits, misses = 0, []
    for q in KEY["quotes"]:
        found = [
            d for d in dossier["quotes"]
            if files[d["source"]] == q["file"] and norm(q["snippet"]) in norm(d["text"])
        ]
        if any(norm(q["speaker"]) in speaker_names(dossier, d) for d in found):
            hits += 1
        else:
            misses.append((q["file"], q["snippet"][:40], [d["speaker"]["name"] for d in found]))
    assert hits / len(KEY["quotes"]) >= 0.8, misses


def test_dated_events_on_the_right_date(dossier):
    files = origin_of(dossier)
    hits, misses = 0, []
    for e in KEY["events"]:
        found = [
            d for d in dossier["events"]
            if files[d["source"]] == e["file"] and norm(e["snippet"]) in norm(d["summary"])
        ]
        if any((d["date"] or "").startswith(e["date"]) for d in found):
            hits += 1
        else:
            misses.append((e["file"], e["snippet"][:40], e["date"], [d["date"] for d in found]))
    assert hits / len(KEY["events"]) >= 0.8, misses


def test_dates_are_normalised(dossier):
    files = origin_of(dossier)
    hits, misses = 0, []
    for t in KEY["dates"]:
        found = [d for d in dossier["dates"] if files[d["source"]] == t["file"] and norm(d["text"]) == norm(t["text"])]
        if any(d["value"] == t["value"] for d in found):
            hits += 1
        else:
            misses.append((t["file"], t["text"], t["value"], [d["value"] for d in found]))
    assert hits / len(KEY["dates"]) >= 0.8, misses


def test_figures_keep_their_qualifiers(dossier):
    files = origin_of(dossier)
    hits, misses = 0, []
    for f in KEY["figures"]:
        found = [
            d for d in dossier["figures"]
            if files[d["source"]] == f["file"] and d["value"] == f["value"]
            and (d["qualifier"] or None) == (f.get("qualifier") or None)
        ]
        if found and any(norm(f["snippet"]) in norm(d["text"]) for d in found):
            hits += 1
        else:
            misses.append((f["file"], f["snippet"]))
    assert hits / len(KEY["figures"]) >= 0.8, misses


TITLES = {"admiral", "president", "former", "dr.", "dr", "mr.", "ms.", "envoy", "general", "minister", "prime",
          "vice", "foreign", "defence", "defense", "opposition", "leader", "spokesman", "spokeswoman", "captain"}


def untitled(alias: str) -> str:
    """An alias without its leading title words: entities keep titles as roles, not in names."""
    words = alias.split()
    while len(words) > 1 and words[0].casefold() in TITLES:
        words.pop(0)
    return norm(" ".join(words))


def test_one_entity_per_person(dossier):
    for expected in KEY["entities"]:
        wanted = {untitled(a) for a in expected["aliases"] if not a.lower().startswith("the ")} | {
            norm(expected["canonical"])
        }
        holders = [e for e in dossier["entities"] if wanted & ({norm(a) for a in e["aliases"]} | {norm(e["name"])})]
        assert len(holders) == 1, (expected["canonical"], [(e["name"], e["aliases"]) for e in holders])
        got = {norm(a) for a in holders[0]["aliases"]} | {norm(holders[0]["name"])}
        assert wanted <= got, (expected["canonical"], wanted - got)


def test_reports_have_every_section(run):
    out = run[1]
    md = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    for section in ("Sources", "Timeline", "Who said what", "Figures"):
        assert section in md and section in html
    assert "<svg" in html and "Content-Security-Policy" in html


def test_rerun_is_deterministic(run, tmp_path):
    with Store(tmp_path / "s.db") as store:
        again = analyze([str(CORPUS)], store, workers=1).dossier
    assert json.dumps(again, sort_keys=True) == json.dumps(run[0].dossier, sort_keys=True)
