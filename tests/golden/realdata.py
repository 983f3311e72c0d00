"""The regression gate's real-data rows: small samples built at run time from ../shared/datasets (never copied
into the repository), scored with the same code as the benchmarks (bench/crossdoc.py, bench/figures_real.py, bench/speakers.py).

* ECB+ dev topics 2 and 5, each analysed as one story: CoNLL F1 of the claims against the gold event chains,
  and precision / recall over cross-article sentence pairs;
* the first eight GVA dev incidents: the gold number killed and injured found as figures;
* the annotated dev stories of bench/figures_annotations.json: share of running-count values that are points of
  the right series (with qualifier and as-of day), non-points kept out, no growth reported as a conflict;
* the annotated dev quotes of bench/speaker_annotations.json: share with the right speaker, and share not
  credited to someone else (bench/speakers.py).

`python bench/gate.py --update` records them in tests/golden/realdata_baseline.json; tests/test_realdata.py
fails when one drops below its recorded value (``scoring.regressions``, as for the golden set), and skips when
../shared/datasets is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import scoring

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
BASELINE_PATH = Path(__file__).resolve().parent / "realdata_baseline.json"
ECB_TOPICS = 2  # the first dev topics (2 and 5)
GVA_INCIDENTS = 8  # the first dev incidents by id


def available() -> bool:
    return all((DATASETS / name).is_dir() for name in ("ecbplus", "gva", "wikiref220", "polnear"))


def compute() -> dict[str, float]:
    """The real-data scores (0-1, higher is better) of the code in this tree."""
    bench = str(ROOT / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    import crossdoc
    import crossdoc_gva
    import figures_real
    import speakers

    ecb = crossdoc.ecb_part("dev", limit=ECB_TOPICS, embeddings=True)
    gva = crossdoc_gva.summarise(
        crossdoc_gva.run_incidents(DATASETS / "gva", "dev", limit=GVA_INCIDENTS, embeddings=True)
    )
    figures, _rows = figures_real.score_split("dev")
    row = figures.row()
    quotes = speakers.score_split("dev").row()
    return {
        "ecb_conll_f1": ecb["storyline"]["conll_f1"],
        "ecb_event_chain_conll_f1": ecb["event_chains"]["conll_f1"],
        "ecb_sentence_pair_precision": ecb["sentence_pairs"]["precision"],
        "ecb_sentence_pair_recall": ecb["sentence_pairs"]["recall"],
        "gva_killed_recall": gva["killed_recall"],
        "gva_injured_recall": gva["injured_recall"],
        "figures_in_right_series": row["in_series"],
        "figures_with_qualifier_and_as_of": row["with_qualifier_and_as_of"],
        "figures_non_points_kept_out": 1.0 - (row["wrongly_in_series"] or 0.0),
        "figures_no_growth_conflict": 1.0 if row["growth_only_conflicts"] == 0 else 0.0,
        "speakers_right": quotes["accuracy"],
        "speakers_not_misattributed": round(1.0 - quotes["wrong"], 3),
    }


def load_baseline() -> dict[str, Any] | None:
    return scoring.load_baseline(BASELINE_PATH)
