"""Ask on real coverage: reader questions over real articles, answered with a citation or declined.

Usage: .venv/bin/python bench/ask_real.py [--split train|dev|all] [--json FILE] [--verbose]

Annotation: bench/ask_annotations.json (hand-made; our own questions, short answers and character offsets of
every place in the story's files that states the answer; no article text).  A story is a set of 6-12 real
articles (WikiRef220 files of one event or theme, or every article of one GVA incident); about a sixth of the
questions are plausible but not answered by any file.  Splits fixed per story before any result was looked at
(WikiRef220 michelle.obama and samsung.galaxy.s5 and GVA incidents with id % 4 == 0 are dev).

Each story is analysed as a user would (``storyline.pipeline.analyze`` into a store, with embeddings), then
every question goes through ``storyline.reader.ask.answer`` with the story's index and dossier.  Scores:

* **right**: an answerable question answered with a citation that covers a place the key marks as stating
  the answer (or whose answer text holds the key's short answer), an unanswerable one declined
  ("The sources do not say.");
* **answered_right** / **false_decline** / **wrong**: over answerable questions; **declined_right**: over
  unanswerable ones.

* **baseline_right** / **baseline_wrong** (same run): the best sentence ask retrieved, given as the answer and
  never declined (no sentence, so a decline, only when the question names something no source mentions).

Goal (issue 12): >= 75% of reader questions answered right with a citation, and the unanswerable declined.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import DATASETS as DATA  # noqa: E402
from contract import annotated_result, find_near, finish, share  # noqa: E402

ANNOTATIONS = Path(__file__).resolve().parent / "ask_annotations.json"
GOAL = {"metric": "right", "value": 0.75}


@dataclass
class Tally:
    questions: int = 0
    answerable: int = 0
    right: int = 0
    answered_right: int = 0
    false_decline: int = 0
    wrong: int = 0
    unanswerable: int = 0
    declined_right: int = 0
    base_right: int = 0  # the same-run baseline: the best retrieved sentence, never declined
    base_wrong: int = 0
    by_kind: dict = field(default_factory=lambda: {})
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("questions", "answerable", "right", "answered_right", "false_decline", "wrong", "unanswerable",
                     "declined_right", "base_right", "base_wrong"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, c in other.by_kind.items():
            self.by_kind.setdefault(k, Counter()).update(c)
        self.misses += other.misses

    def row(self) -> dict:
        out = {"questions": self.questions, "right": share(self.right, self.questions),
               "answerable": self.answerable, "answered_right": share(self.answered_right, self.answerable),
               "false_decline": share(self.false_decline, self.answerable),
               "wrong": share(self.wrong, self.answerable), "unanswerable": self.unanswerable,
               "declined_right": share(self.declined_right, self.unanswerable),
               "baseline_right": share(self.base_right, self.questions),
               "baseline_wrong": share(self.base_wrong, self.answerable)}
        for kind, c in sorted(self.by_kind.items()):
            out[f"right_{kind}"] = share(c["right"], c["total"])
        return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9.]+", text.lower().replace(",", "")))


def _evidence_spans(ev: list[dict], articles: dict[str, object]) -> list[tuple[str, int, int]]:
    """The key's evidence as (article id, start, end) in the articles' texts as read by the pipeline."""
    out = []
    for e in ev:
        art = articles.get(Path(e["file"]).name)
        if art is None:
            continue
        raw = (DATA / e["file"]).read_text(encoding="utf-8", errors="replace")
        words = raw[e["start"] : e["end"]]
        pos = find_near(art.text, words, e["start"], slack=300)
        if pos >= 0:
            out.append((art.id, pos, pos + len(words)))
    return out


def _is_right(q: dict, ans, spans: list[tuple[str, int, int]]) -> bool:
    if not q["answerable"]:
        return not ans.answered
    if not ans.answered or not ans.citations:
        return False
    if any(c.source == s and c.start < e and b < c.end for c in ans.citations for s, b, e in spans):
        return True
    text = _norm(ans.text)
    forms = [q["answer"] or "", *(q.get("accept") or [])]
    return any(f and re.search(rf"(?<![\w.]){re.escape(_norm(f))}(?![\w])", text) for f in forms if _norm(f))


def score_story(story: dict, verbose: bool) -> Tally:
    from storyline.pipeline import analyze
    from storyline.reader.ask import answer
    from storyline.reader.stories import load_dossier, save_story, story_index
    from storyline.store import Store

    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="ask-real-") as tmp, Store(Path(tmp) / "store.db") as store:
        result = analyze([str((DATA / f).resolve()) for f in story["files"]], store, embeddings=True)
        sid = save_story(store, result.dossier or {}, result.article_ids)  # as `storyline analyze` does
        dossier = load_dossier(store, sid)
        index = story_index(store, sid)
        articles = {Path(c.article.origin).name: c.article for c, _ in store.iter_loaded(result.article_ids)}
        for q in story["questions"]:
            ans = answer(q["q"], dossier, index)
            spans = _evidence_spans(q.get("evidence") or [], articles)
            right = _is_right(q, ans, spans)
            top = ans.passages[0].citation if ans.passages else None
            base = SimpleNamespace(answered=top is not None, citations=(top,) if top else (), text=top.text if top else "")
            base_right = _is_right(q, base, spans)
            tally.base_right += base_right
            tally.base_wrong += q["answerable"] and base.answered and not base_right
            tally.questions += 1
            tally.right += right
            c = tally.by_kind.setdefault(q["kind"], Counter())
            c["total"] += 1
            c["right"] += right
            if q["answerable"]:
                tally.answerable += 1
                tally.answered_right += right
                tally.false_decline += not ans.answered
                tally.wrong += ans.answered and not right
            else:
                tally.unanswerable += 1
                tally.declined_right += right
            if not right:
                what = "declined" if not ans.answered else f"answered ({ans.kind})"
                tally.misses.append(f"{story['id']}: {q['q']} -> {what}")
            if verbose and not right:
                print(f"  {story['id']}: {q['q']!r} key={q['answer']!r} -> {ans.kind}: {ans.text[:120]!r}")
    return tally


def score_split(split: str, verbose: bool = False) -> tuple[Tally, dict[str, dict]]:
    stories = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["stories"]
    total, rows = Tally(), {}
    for story in stories:
        if split not in ("all", story["split"]):
            continue
        t = score_story(story, verbose)
        total.add(t)
        rows[story["id"]] = {"split": story["split"], **t.row()}
    return total, rows


NOTES = (
    "Our own reader questions over real stories (bench/ask_annotations.json: questions, short answers, offsets of "
    "the evidence; no article text), about a sixth unanswerable. right: answered with a citation covering the "
    "key's evidence (or holding the short answer), or declined when the sources do not say (goal 0.75)."
)


def evaluate(split: str | None = None) -> dict:
    """The bench contract (bench/accuracy.py) on ``split`` (default dev)."""
    return annotated_result("ask_real", "reader questions over real stories (WikiRef220, GVA), our annotation",
                            split or "dev", GOAL, NOTES, score_split)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="all", choices=("train", "dev", "all"))
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no datasets at {DATA}: nothing to measure", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    out: dict = {}
    for split in (("train", "dev") if args.split == "all" else (args.split,)):
        total, rows = score_split(split, args.verbose)
        out[split] = total.row()
        out[f"{split}_stories"] = rows
        print(f"{split:5} {json.dumps(total.row())}", flush=True)
    return finish(out, t0, args.json)


if __name__ == "__main__":
    sys.exit(main())
