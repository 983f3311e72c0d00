"""Regression gate: every stage's score on the project's own golden set, against the recorded baseline.

Usage: python bench/gate.py [--update] [--json FILE]

Runs storyline.pipeline.analyze on examples/sample-story/ and scores it against
tests/golden/sample_expected.json with the matching rules of tests/test_golden.py (tests/golden/scoring.py),
then the real-data rows of tests/golden/realdata.py (small ECB+, GVA and annotated samples built from
../shared/datasets at run time; skipped when absent) against tests/golden/realdata_baseline.json.
Without --update it compares with tests/golden/baseline.json and exits 1 if any stage scores lower or the
fixtures changed; with --update it writes the baseline (commit it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "golden"))

import realdata  # noqa: E402
import scoring  # noqa: E402


def compute() -> dict[str, scoring.Score]:
    key = scoring.load_key()
    with tempfile.TemporaryDirectory(prefix="storyline-gate-") as tmp:
        dossier, report_md, groups = scoring.run_sample(Path(tmp))
    return scoring.score_all(dossier, key, report_md, groups)


def baseline_record(scores: dict[str, scoring.Score]) -> dict:
    return {
        "fixtures_sha256": scoring.fixtures_sha256(),
        "scores": {k: v.value for k, v in scores.items()},  # exact floats: JSON round-trips them
        "updated": dt.date.today().isoformat(),
    }


def _real_rows(updated: str | None) -> dict | None:
    """The real-data rows (tests/golden/realdata.py), printed; None when ../shared/datasets is absent."""
    if not realdata.available():
        print(f"real-data rows skipped: no datasets at {realdata.DATASETS}")
        return None
    scores = realdata.compute()
    floors = (realdata.load_baseline() or {}).get("scores", {})
    for name, value in scores.items():
        floor = floors.get(name)
        print(f"{name:<34} {value:>8.4f} {'' if floor is None else f'{floor:.4f}':>9}")
    return {"scores": scores, "updated": updated}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="write tests/golden/baseline.json from this run")
    ap.add_argument("--json", dest="json_out", type=Path, default=None, help="also write the scores here")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the misses of each stage")
    args = ap.parse_args(argv)

    scores = compute()
    record = baseline_record(scores)
    base = scoring.load_baseline()
    floors = (base or {}).get("scores", {})
    print(f"{'stage':<26} {'hits':>9} {'score':>8} {'baseline':>9}")
    for stage, s in scores.items():
        floor = floors.get(stage)
        hits = f"{s.hits:g}/{s.total}" if float(s.hits).is_integer() else "-"
        print(f"{stage:<26} {hits:>9} {s.value:>8.4f} {'' if floor is None else f'{floor:.4f}':>9}")
        if args.verbose:
            for miss in s.misses:
                print(f"    miss: {miss}")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    real = _real_rows(record.get("updated"))
    if args.update:
        scoring.BASELINE_PATH.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"baseline written: {scoring.BASELINE_PATH.relative_to(ROOT)}")
        if real is not None:
            realdata.BASELINE_PATH.write_text(json.dumps(real, indent=1) + "\n", encoding="utf-8")
            print(f"real-data baseline written: {realdata.BASELINE_PATH.relative_to(ROOT)}")
        return 0
    if base is None:
        print("no baseline yet: run `python bench/gate.py --update` and commit tests/golden/baseline.json")
        return 1
    problems = scoring.regressions(record["scores"], floors)
    if real is not None:
        problems += scoring.regressions(real["scores"], (realdata.load_baseline() or {}).get("scores", {}))
    if base.get("fixtures_sha256") != record["fixtures_sha256"]:
        problems.insert(0, "fixtures changed: rerun `python bench/gate.py --update` and commit the new baseline")
    for p in problems:
        print(f"REGRESSION {p}")
    if not problems:
        print("gate: every stage at or above its baseline")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
