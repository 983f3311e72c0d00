"""Per-stage scores on the sample corpus against its answer key (shared by bench/gate.py and tests/test_gate.py).

The matching rules are those of tests/test_golden.py (same normalisation, same hit definitions); where
test_golden asserts "hits / total >= 0.8", this module returns hits / total so that the regression gate can
hold every stage at its recorded level.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "sample-story"
KEY_PATH = ROOT / "tests" / "golden" / "sample_expected.json"
BASELINE_PATH = ROOT / "tests" / "golden" / "baseline.json"
TOLERANCE = 1e-9

TITLES = {"admiral", "president", "former", "dr.", "dr", "mr.", "ms.", "envoy", "general", "minister", "prime",
          "vice", "foreign", "defence", "defense", "opposition", "leader", "spokesman", "spokeswoman", "captain"}


@dataclass(frozen=True)
class Score:
    hits: float
    total: int
    misses: tuple[str, ...] = ()

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0


def load_key(path: Path = KEY_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).casefold().split())


def origin_of(dossier: dict) -> dict[str, str]:
    """source id -> corpus file name (a JSONL row is "file.jsonl#N")."""
    return {s["id"]: Path(s["origin"]).name for s in dossier["sources"]}


def speaker_names(dossier: dict, quote: dict) -> set[str]:
    names = {norm(quote["speaker"]["name"] or "")}
    entity = next((e for e in dossier["entities"] if e["id"] == quote["speaker"].get("entity")), None)
    if entity:
        names |= {norm(a) for a in entity["aliases"]} | {norm(entity["name"])}
    return names


def untitled(alias: str) -> str:
    """An alias without its leading title words: entities keep titles as roles, not in names."""
    words = alias.split()
    while len(words) > 1 and words[0].casefold() in TITLES:
        words.pop(0)
    return norm(" ".join(words))


# --------------------------------------------------------------------------- stages


def score_published(dossier: dict, key: dict) -> Score:
    by_file: dict[str, set[str]] = {}
    for s in dossier["sources"]:
        by_file.setdefault(Path(s["origin"]).name, set()).add((s.get("published") or "")[:10])
    misses = [a["file"] for a in key["articles"] if a["published"] not in by_file.get(a["file"], set())]
    return Score(len(key["articles"]) - len(misses), len(key["articles"]), tuple(misses))


def score_citations(dossier: dict) -> Score:
    from storyline.output.dossier import verify_citations

    total = sum(len(item["citations"]) for k in ("events", "quotes", "figures", "entities") for item in dossier[k])
    problems = verify_citations(dossier)
    return Score(max(0, total - len(problems)), total, tuple(problems[:20]))


def score_furniture(dossier: dict, key: dict, report_md: str) -> Score:
    files = origin_of(dossier)
    shown = " ".join(
        norm(item.get("text") or item.get("summary") or "") for k in ("events", "quotes", "figures") for item in dossier[k]
    )
    report = norm(report_md.split("## Sources")[0])
    hits, misses = 0, []
    for f in key["furniture"]:
        sources = [s for s in dossier["sources"] if files[s["id"]] == f["file"]]
        line = norm(f["line"])
        ok = bool(sources) and all(
            line in {norm(r["text"]) for r in s["furniture"]} or line not in norm(s["text"]) for s in sources
        )
        if len(line) > 12:
            ok = ok and line not in shown and line not in report
        hits += ok
        if not ok:
            misses.append(f"{f['file']}: {f['line'][:50]}")
    return Score(hits, len(key["furniture"]), tuple(misses))


def score_quotes(dossier: dict, key: dict) -> Score:
    files = origin_of(dossier)
    hits, misses = 0, []
    for q in key["quotes"]:
        found = [
            d for d in dossier["quotes"] if files[d["source"]] == q["file"] and norm(q["snippet"]) in norm(d["text"])
        ]
        if any(norm(q["speaker"]) in speaker_names(dossier, d) for d in found):
            hits += 1
        else:
            misses.append(f"{q['file']}: {q['snippet'][:40]} -> {[d['speaker']['name'] for d in found]}")
    return Score(hits, len(key["quotes"]), tuple(misses))


def score_events(dossier: dict, key: dict) -> Score:
    files = origin_of(dossier)
    hits, misses = 0, []
    for e in key["events"]:
        found = [
            d for d in dossier["events"]
            if files[d["source"]] == e["file"] and norm(e["snippet"]) in norm(d["summary"])
        ]
        if any((d["date"] or "").startswith(e["date"]) for d in found):
            hits += 1
        else:
            misses.append(f"{e['file']}: {e['snippet'][:40]} {e['date']} -> {[d['date'] for d in found]}")
    return Score(hits, len(key["events"]), tuple(misses))


def score_dates(dossier: dict, key: dict) -> Score:
    files = origin_of(dossier)
    hits, misses = 0, []
    for t in key["dates"]:
        found = [d for d in dossier["dates"] if files[d["source"]] == t["file"] and norm(d["text"]) == norm(t["text"])]
        if any(d["value"] == t["value"] for d in found):
            hits += 1
        else:
            misses.append(f"{t['file']}: {t['text']} {t['value']} -> {[d['value'] for d in found]}")
    return Score(hits, len(key["dates"]), tuple(misses))


def score_figures(dossier: dict, key: dict) -> Score:
    files = origin_of(dossier)
    hits, misses = 0, []
    for f in key["figures"]:
        found = [
            d for d in dossier["figures"]
            if files[d["source"]] == f["file"] and d["value"] == f["value"]
            and (d["qualifier"] or None) == (f.get("qualifier") or None)
        ]
        if found and any(norm(f["snippet"]) in norm(d["text"]) for d in found):
            hits += 1
        else:
            misses.append(f"{f['file']}: {f['snippet']}")
    return Score(hits, len(key["figures"]), tuple(misses))


def score_entities(dossier: dict, key: dict) -> Score:
    hits, misses = 0, []
    for expected in key["entities"]:
        wanted = {untitled(a) for a in expected["aliases"] if not a.lower().startswith("the ")} | {
            norm(expected["canonical"])
        }
        holders = [e for e in dossier["entities"] if wanted & ({norm(a) for a in e["aliases"]} | {norm(e["name"])})]
        got = ({norm(a) for a in holders[0]["aliases"]} | {norm(holders[0]["name"])}) if len(holders) == 1 else set()
        if len(holders) == 1 and wanted <= got:
            hits += 1
        else:
            misses.append(f"{expected['canonical']}: {len(holders)} entities, missing {sorted(wanted - got)[:3]}")
    return Score(hits, len(key["entities"]), tuple(misses))


def _pairs(groups: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def score_syndication(found: Sequence[Sequence[str]], key: dict) -> tuple[Score, Score]:
    """(pair F1 of same-group pairs, share of expected groups whose origin is right); groups are file names."""
    gold, got = _pairs(key["wire_groups"]), _pairs(found)
    tp = len(gold & got)
    f1 = 2 * tp / (len(gold) + len(got)) if gold or got else 1.0
    misses = [f"extra pair {sorted(p)}" for p in sorted(got - gold, key=sorted)]
    misses += [f"missed pair {sorted(p)}" for p in sorted(gold - got, key=sorted)]
    origins = {g[0]: g for g in found if g}
    right = [g for g in key["wire_groups"] if g[0] in origins]
    wrong = [f"origin of {g} not {g[0]}" for g in key["wire_groups"] if g[0] not in origins]
    return Score(f1, 1, tuple(misses)), Score(len(right), len(key["wire_groups"]), tuple(wrong))


# --------------------------------------------------------------------------- cross-checking


def _where(dossier: dict, file: str, snippet: str) -> tuple[str, int, int] | None:
    """(source id, start, end) of ``snippet`` in the original text of the source from ``file``."""
    names = origin_of(dossier)
    for src in dossier["sources"]:
        if names[src["id"]] == file:
            at = src["text"].find(snippet)
            if at >= 0:
                return src["id"], at, at + len(snippet)
    return None


def _touches(cites: Iterable[dict], where: tuple[str, int, int] | None) -> bool:
    if where is None:
        return False
    sid, start, end = where
    return any(c["source"] == sid and c["start"] < end and start < c["end"] for c in cites)


def conflict_matches(dossier: dict, expected: dict, conflict: dict) -> bool:
    """A found conflict matches an expected one when its kind is the same and each expected side's words are
    cited by some side of it (each expected side by a different found side)."""
    if conflict["kind"] != expected["kind"]:
        return False
    files = expected["files"] if len(expected["files"]) == len(expected["sides"]) else expected["files"] * 2
    wheres = [_where(dossier, f, snippet) for f, snippet in zip(files, expected["sides"], strict=False)]
    used: set[int] = set()
    for where in wheres:
        hit = next(
            (i for i, side in enumerate(conflict["sides"]) if i not in used and _touches(side["citations"], where)),
            None,
        )
        if hit is None:
            return False
        used.add(hit)
    return True


def score_conflicts(dossier: dict, key: dict) -> Score:
    """Planted conflicts found with both sides cited."""
    found = dossier.get("conflicts") or []
    hits, misses = 0, []
    for exp in key["conflicts"]:
        if any(conflict_matches(dossier, exp, x) for x in found):
            hits += 1
        else:
            misses.append(f"{exp['kind']}: {exp['sides']}")
    return Score(hits, len(key["conflicts"]), tuple(misses))


def false_conflicts(dossier: dict, key: dict) -> list[dict]:
    """Found conflicts that match no planted one."""
    return [
        x for x in dossier.get("conflicts") or [] if not any(conflict_matches(dossier, e, x) for e in key["conflicts"])
    ]


def score_flagged_errors(dossier: dict, key: dict) -> Score:
    """Planted errors flagged on the right words, with evidence from other sources."""
    found = dossier.get("errors") or []
    hits, misses = 0, []
    for exp in key["errors"]:
        where = _where(dossier, exp["file"], exp["snippet"])
        ok = any(_touches(e["citations"], where) and any(c["source"] != e["source"] for c in e["evidence"]) for e in found)
        hits += ok
        if not ok:
            misses.append(f"{exp['file']}: {exp['snippet']}")
    return Score(hits, len(key["errors"]), tuple(misses))


def score_series(dossier: dict, key: dict) -> Score:
    """Expected running-figure points present in one series (per expected series: share of its points)."""
    names = origin_of(dossier)
    total, hits, misses = 0, 0.0, []
    for exp in key["running_figures"]:
        want = {(p["file"], float(p["value"])) for p in exp["series"]}
        best = 0
        for fs in dossier.get("series") or []:
            got = {(names[p["source"]], float(p["value"])) for p in fs["points"]}
            best = max(best, len(want & got))
        total += 1
        hits += best / len(want)
        if best < len(want):
            misses.append(f"{exp['what']}: {best}/{len(want)} points in one series")
    return Score(hits, total, tuple(misses))


def score_running_not_conflict(dossier: dict, key: dict) -> Score:
    """No conflict cites two points of an expected running figure against each other."""
    bad = []
    by_file = {name: sid for sid, name in origin_of(dossier).items()}
    for exp in key["running_figures"]:
        wheres = [by_file[p["file"]] for p in exp["series"] if p["file"] in by_file]
        for x in dossier.get("conflicts") or []:
            if x["kind"] not in ("number", "internal"):
                continue
            sides = [{c["source"] for c in side["citations"]} for side in x["sides"]]
            if sum(1 for ids in sides if ids & set(wheres)) >= 2 and exp["what"].split()[-1] in x["about"]:
                bad.append(f"{x['id']}: {x['about']}")
    return Score(0 if bad else 1, 1, tuple(bad))


def score_wire_single_source(dossier: dict, key: dict) -> Score:
    """Claims supported only by one wire story and its copies count one independent source."""
    names = origin_of(dossier)
    groups = [set(g) for g in key["wire_groups"]]
    claims = [c for c in dossier.get("claims") or [] if len(c["sources"]) >= 2]
    inside = [c for c in claims if any({names[s] for s in c["sources"]} <= g for g in groups)]
    wrong = [c for c in inside if c["independent"] != 1 or c["status"] == "corroborated"]
    return Score(len(inside) - len(wrong), len(inside), tuple(f"{c['id']}: {c['text'][:60]}" for c in wrong[:5]))


def score_all(dossier: dict, key: dict, report_md: str, groups: Sequence[Sequence[str]]) -> dict[str, Score]:
    """Every stage's score (hits / total in 0..1) on the sample corpus."""
    syn, syn_origin = score_syndication(groups, key)
    return {
        "published_dates": score_published(dossier, key),
        "citations_verified": score_citations(dossier),
        "furniture_dropped": score_furniture(dossier, key, report_md),
        "quotes_right_speaker": score_quotes(dossier, key),
        "events_right_date": score_events(dossier, key),
        "dates_normalised": score_dates(dossier, key),
        "figures_with_qualifier": score_figures(dossier, key),
        "entities_one_per_person": score_entities(dossier, key),
        "syndication_pairs_f1": syn,
        "syndication_origin": syn_origin,
        "conflicts_found": score_conflicts(dossier, key),
        "errors_flagged": score_flagged_errors(dossier, key),
        "running_figures": score_series(dossier, key),
        "running_figure_not_conflict": score_running_not_conflict(dossier, key),
        "wire_claims_single_source": score_wire_single_source(dossier, key),
    }


# --------------------------------------------------------------------------- running and the baseline


def run_sample(workdir: Path, *, with_failures: bool = False) -> tuple:
    """Analyse the sample corpus into a fresh store under ``workdir``: (dossier, report.md, wire groups by file),
    plus the run's failures when ``with_failures``."""
    from storyline.crosscheck.syndication import find_copies
    from storyline.pipeline import analyze
    from storyline.store import Store

    workdir.mkdir(parents=True, exist_ok=True)
    with Store(workdir / "gate.db") as store:
        result = analyze([str(CORPUS)], store, outdir=workdir / "out", workers=1)
        names = {}
        rows = []
        for clean, _extraction in store.iter_loaded(result.article_ids):
            names[clean.article.id] = Path(clean.article.origin).name
            rows.append((clean.article.id, clean.text, clean.article.published))
    report_md = (workdir / "out" / "report.md").read_text(encoding="utf-8")
    assert result.dossier is not None
    if result.dossier.get("independence", {}).get("groups") is not None:  # what the reader sees
        found = [[names[m] for m in g] for g in result.dossier["independence"]["groups"]]
    else:
        groups, _links = find_copies(rows)
        found = [[names[m] for m in g.members] for g in groups]
    if with_failures:
        return result.dossier, report_md, found, list(result.failures)
    return result.dossier, report_md, found


def fixtures_sha256(corpus: Path = CORPUS, key_path: Path = KEY_PATH) -> str:
    """SHA-256 over the sorted corpus files (relative path and bytes) and the answer key."""
    digest = hashlib.sha256()
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        digest.update(path.relative_to(corpus).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(b"key\0" + hashlib.sha256(key_path.read_bytes()).digest())
    return digest.hexdigest()


def load_baseline(path: Path = BASELINE_PATH) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def regressions(scores: dict[str, float], baseline: dict[str, float], tolerance: float = TOLERANCE) -> list[str]:
    """Stages scoring below their baseline (or missing); a stage not in the baseline is not a regression."""
    out = []
    for stage, floor in sorted(baseline.items()):
        if stage not in scores:
            out.append(f"{stage}: no score (baseline {floor:.4f})")
        elif scores[stage] < floor - tolerance:
            out.append(f"{stage}: {scores[stage]:.4f} < baseline {floor:.4f}")
    return out
