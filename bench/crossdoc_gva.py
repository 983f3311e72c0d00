"""Gun Violence Archive part of bench/crossdoc.py: are the numbers killed and injured in the dossier, attached to
the right count, and do the outlets' values of one count end up as one series or one corroborated claim?

Split (no official one exists): an incident is dev when ``int(incident_id) % 4 == 0``, train otherwise.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crossdoc_ecb import log, safe_analyse

DEATH_RE = re.compile(r"\b(?:kill|dead|death|die[ds]?|dying|fatal|victim|slain|murder|homicide|lives|bod(?:y|ies))",
                      re.I)
INJURY_RE = re.compile(r"\b(?:injur|wound|hurt|hospitali[sz])", re.I)


def split_of(incident: str) -> str:
    return "dev" if int(incident) % 4 == 0 else "train"


def incidents(root: Path, split: str, limit: int | None = None) -> list[tuple[str, dict]]:
    """(incident id, gold record) of the split, by id; FileNotFoundError when the data is absent."""
    gold_path = root / "gold.json"
    if not gold_path.is_file() or not (root / "stories").is_dir():
        raise FileNotFoundError(f"GVA is absent: expected {gold_path} and {root / 'stories'}/<incident>/")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    rows = sorted(((k, v) for k, v in gold.items() if (root / "stories" / k).is_dir()), key=lambda kv: int(kv[0]))
    rows = [(k, v) for k, v in rows if split == "all" or split_of(k) == split]
    return rows[:limit] if limit else rows


def kind_of(figure: dict) -> str:
    """"killed", "injured", "unspecified" (bare "people") or "other", from what the figure counts (its counted
    noun and unit, not its text)."""
    what = f"{figure.get('counts') or ''} {figure.get('unit') or ''}"
    if set(what.lower().split()) <= {"people", "persons", "person"}:
        return "unspecified"
    if DEATH_RE.search(what):
        return "killed"
    if INJURY_RE.search(what):
        return "injured"
    return "other"


@dataclass
class IncidentResult:
    incident: str
    articles: int
    killed: int
    injured: int
    found: dict[str, bool]
    misplaced: Counter
    unified: dict[str, bool | None]  # None: fewer than two sources report the right value with the right count
    seconds: float
    error: str | None = None


def _covered(fig: dict, spans: list[dict]) -> bool:
    c = fig["citations"][0]
    return any(s["source"] == c["source"] and s["start"] <= c["start"] and c["end"] <= s["end"] for s in spans)


def unified(matching: list[dict], dossier: dict, value: float) -> bool | None:
    """Whether every source with a matching figure sits in one series (with that value) or one claim
    marked corroborated that cites a matching figure of each."""
    sources = {f["source"] for f in matching}
    if len(sources) < 2:
        return None
    for series in dossier.get("series", []):
        if sources <= {p["source"] for p in series.get("points", []) if p.get("value") == value}:
            return True
    for claim in dossier.get("claims", []):
        if int(claim.get("independent") or 0) < 2:
            continue
        if sources <= {f["source"] for f in matching if _covered(f, claim.get("citations", []))}:
            return True
    return False


def score_incident(incident: str, gold: dict, dossier: dict, articles: int, seconds: float) -> IncidentResult:
    figures = dossier.get("figures", [])
    target = {"killed": int(gold.get("killed") or 0), "injured": int(gold.get("injured") or 0)}
    found, misplaced, joined = {}, Counter(), {}
    for count, value in target.items():
        same_value = [f for f in figures if f.get("value") == value and f.get("value_high") is None]
        right = [f for f in same_value if kind_of(f) == count]
        found[count] = bool(right)
        joined[count] = unified(right, dossier, value) if value > 0 else None
        if value > 0 and target["killed"] != target["injured"]:
            for f in same_value:
                if kind_of(f) != count:
                    misplaced[f"{count}_value_as_{kind_of(f)}"] += 1
    return IncidentResult(incident, articles, target["killed"], target["injured"], found, misplaced, joined, seconds)


def run_incidents(root: Path, split: str, *, limit: int | None, embeddings: bool) -> list[IncidentResult]:
    rows = incidents(root, split, limit)
    out = []
    for n, (incident, gold) in enumerate(rows, 1):
        folder = root / "stories" / incident
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="crossdoc-gva-") as tmp:
            dossier, error = safe_analyse(folder, Path(tmp) / "store.db", embeddings=embeddings)
        seconds = time.perf_counter() - t0
        result = score_incident(incident, gold, dossier, len(dossier.get("sources", [])), seconds)
        result.error = error
        out.append(result)
        if n % 10 == 0 or n == len(rows):
            log(f"  GVA {n}/{len(rows)} incidents ({seconds:.1f} s for the last)")
    return out


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(results: list[IncidentResult]) -> dict:
    """Recall of killed / injured, misplaced values and unification, over the incidents."""
    out: dict = {"incidents": len(results), "articles": sum(r.articles for r in results)}
    for count in ("killed", "injured"):
        scored = [r for r in results if getattr(r, count) > 0]
        out[f"{count}_incidents_scored"] = len(scored)
        out[f"{count}_incidents_zero_skipped"] = len(results) - len(scored)
        out[f"{count}_recall"] = _share([r.found[count] for r in scored])
        several = [r.found[count] for r in scored if getattr(r, count) >= 2]  # "a man was killed": no numeral
        out[f"{count}_recall_value_ge2"] = _share(several)
        out[f"{count}_incidents_value_ge2"] = len(several)
        multi = [r.unified[count] for r in scored if r.unified[count] is not None]
        out[f"{count}_multi_source_incidents"] = len(multi)
        out[f"{count}_unified_share"] = _share(multi)
    misplaced: Counter[str] = Counter()
    for r in results:
        misplaced.update(r.misplaced)
    out["misplaced"] = dict(misplaced)
    out["incidents_with_misplaced_value"] = sum(1 for r in results if r.misplaced)
    out["pipeline_failures"] = sum(1 for r in results if r.error)
    out["seconds"] = round(sum(r.seconds for r in results), 1)
    return out
