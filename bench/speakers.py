"""Speakers of direct quotes in real articles: who said it, against our annotation and two baselines.

Usage: .venv/bin/python bench/speakers.py [--split train|dev|all] [--annotations FILE] [--db FILE]
                                          [--json FILE] [--verbose]

Annotation: bench/speaker_annotations.json (hand-made; file paths under ../shared/datasets, character offsets of
the quoted words in the raw file (read with errors='replace'), the speaker's fullest name as the article gives
it, or null when the article never names who said it, and how the quote's own cue refers to the speaker:
name, pronoun, title or none).  Every direct quotation of four or more words of an annotated article is
annotated (no picking).  Splits are fixed per source before any result was looked at: PolNeAR by its own
folders; WikiRef220 by story (ParisAttacks2015, malaysia.airlines.flight and premier.league train;
michelle.obama and samsung.galaxy.s5 dev).

Each split's articles go through the real pipeline (``storyline.pipeline.analyze`` into a store), each
annotated quote is located in the cleaned text and matched to the extracted quote whose content overlaps it
most.  Three answers are scored on the same quotes, in the same run:

* **storyline**: the extracted quote's resolved speaker (``Quote.speaker_key``);
* **nearest person** baseline: the nearest person mention that ends before the quote opens (outside quotes);
* **previous subject** baseline: the person who is the grammatical subject of the sentence before the
  quote's sentence (else of the nearest earlier sentence that has one).

A predicted name is right when it names the annotated person: one name's words are all among the other's and
the last words agree ("Hollande" and "Francois Hollande").  Per split:

* **accuracy** (the issue's goal, >= 0.95): right answers over quotes whose speaker is named in the article;
* **wrong**: share of those quotes credited to another name (worse than no answer: "unnamed speaker" is
  honest); **unresolved**: share with no answer (including quotes the extractor did not find);
* **unnamed_declined**: of quotes whose speaker the article never names, the share left without a name;
* the same accuracy per ``refer`` kind (name, pronoun, title, none).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import DATASETS as DATA  # noqa: E402
from contract import analysed_items, annotated_result, finish, locate_run, share  # noqa: E402

ANNOTATIONS = Path(__file__).resolve().parent / "speaker_annotations.json"
SYSTEMS = ("storyline", "nearest_person", "previous_subject")
GOAL = {"metric": "accuracy", "value": 0.95}


# --------------------------------------------------------------------------- scoring names


def _name_words(name: str) -> list[str]:
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return [w for w in re.findall(r"[^\W\d_]+", folded.lower().replace("\ufffd", "")) if len(w) > 1]


def _same_word(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.8  # a letter lost to a bad decoding, a misspelt name in the article


def same_person(predicted: str | None, gold: str | None) -> bool:
    """Whether ``predicted`` names the annotated ``gold`` person: every word of the shorter name is a word of
    the longer ("Hollande" ~ "Francois Hollande", "Najib" ~ "Najib Razak"), accents folded and a letter or
    two of difference allowed ("Fran\ufffdoise" ~ "Françoise")."""
    if not predicted or not gold:
        return False
    p, g = _name_words(predicted), _name_words(gold)
    if not p or not g:
        return False
    short, long_ = (p, g) if len(p) <= len(g) else (g, p)
    return all(any(_same_word(w, x) for x in long_) for w in short)


@dataclass
class Tally:
    named: Counter = field(default_factory=Counter)  # system -> right answers on named quotes
    wrong: Counter = field(default_factory=Counter)
    unresolved: Counter = field(default_factory=Counter)
    declined: Counter = field(default_factory=Counter)  # system -> no name given for an unnamed speaker
    by_kind: dict = field(default_factory=lambda: defaultdict(Counter))  # refer -> Counter(system/total)
    n_named: int = 0
    n_unnamed: int = 0
    found: int = 0  # quotes the extractor found at all
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("named", "wrong", "unresolved", "declined"):
            getattr(self, name).update(getattr(other, name))
        for k, c in other.by_kind.items():
            self.by_kind[k].update(c)
        self.n_named += other.n_named
        self.n_unnamed += other.n_unnamed
        self.found += other.found

    def row(self) -> dict:
        out: dict = {"quotes": self.n_named + self.n_unnamed, "named": self.n_named,
                     "found": share(self.found, self.n_named + self.n_unnamed)}
        for s in SYSTEMS:
            prefix = "" if s == "storyline" else f"{s}_"
            out[f"{prefix}accuracy"] = share(self.named[s], self.n_named)
            out[f"{prefix}wrong"] = share(self.wrong[s], self.n_named)
            out[f"{prefix}unresolved"] = share(self.unresolved[s], self.n_named)
            out[f"{prefix}unnamed_declined"] = share(self.declined[s], self.n_unnamed)
        for kind in sorted(self.by_kind):
            c = self.by_kind[kind]
            out[f"accuracy_{kind}"] = share(c["storyline"], c["total"])
            out[f"quotes_{kind}"] = c["total"]
        return out


# --------------------------------------------------------------------------- the pipeline and the baselines


def _path(name: str) -> Path:
    return Path(name) if Path(name).is_absolute() else DATA / name


def _load(files: list[str], db: Path):
    items = analysed_items([str(_path(f).resolve()) for f in files], db, embeddings=False)
    return {Path(c.article.origin).resolve(): (c, e) for c, e in items}


def _quoted_regions(text: str) -> list[tuple[int, int]]:
    from storyline.extract.quotes import find_quoted

    return [part for parts, _ in find_quoted(text) for part in parts]


def _inside(regions: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in regions)


def nearest_person(ext, regions: list[tuple[int, int]], start: int) -> str | None:
    """The key of the nearest person mention ending before ``start``, outside quotation marks."""
    best = None
    for m in ext.mentions:
        if (m.label == "PERSON" and m.span.end <= start and not _inside(regions, m.span.start)
                and (best is None or m.span.end > best.span.end)):
            best = m
    return best.key if best is not None else None


def previous_subject(doc, ext, regions: list[tuple[int, int]], start: int) -> str | None:
    """The person who is the subject of the sentence before the quote's sentence (or of the nearest earlier
    sentence with a person subject)."""
    sents = [s for s in doc.sents if s.end_char <= start]
    if sents and sents[-1].start_char <= start < sents[-1].end_char:
        sents = sents[:-1]
    persons = [m for m in ext.mentions if m.label == "PERSON" and not _inside(regions, m.span.start)]
    for sent in reversed(sents[-3:]):
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass"):
                for m in persons:
                    if m.span.start <= tok.idx < m.span.end:
                        return m.key
    return None


# --------------------------------------------------------------------------- one split


def score(entries: list[dict], db: Path, verbose: bool) -> Tally:
    from storyline.extract.nlp import load_nlp

    nlp = load_nlp()
    files = sorted({e["file"] for e in entries})
    loaded = _load(files, db)
    tally = Tally()
    by_file: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_file[e["file"]].append(e)
    for name, group in sorted(by_file.items()):
        item = loaded.get(_path(name).resolve())
        raw = _path(name).read_text(encoding="utf-8", errors="replace")
        if item is None:
            tally.misses.append(f"{name}: not analysed")
            for e in group:
                _count(tally, e, {s: None for s in SYSTEMS}, found=False)
            continue
        clean, ext = item
        doc = nlp(clean.text)
        regions = _quoted_regions(clean.text)
        for e in group:
            where = locate_run(clean.text, raw[e["quote"][0] : e["quote"][1]], e["quote"][0])
            answers: dict[str, str | None] = {s: None for s in SYSTEMS}
            found = False
            if where is not None:
                s, t = where
                best, most = None, 0
                for q in ext.quotes:
                    ov = max(min(t, p.end) - max(s, p.start) for p in (q.content, *q.parts))
                    if ov > most:
                        best, most = q, ov
                found = best is not None
                answers["storyline"] = best.speaker_key if best is not None else None
                answers["nearest_person"] = nearest_person(ext, regions, s)
                answers["previous_subject"] = previous_subject(doc, ext, regions, s)
            else:
                tally.misses.append(f"{name}@{e['quote'][0]}: quote not located")
            _count(tally, e, answers, found)
            if verbose and e.get("speaker") and not same_person(answers["storyline"], e["speaker"]):
                print(f"  {e['refer']:8} gold={e['speaker']!r} got={answers['storyline']!r} {name}@{e['quote'][0]}")
    return tally


def _count(tally: Tally, e: dict, answers: dict[str, str | None], found: bool) -> None:
    gold = e.get("speaker")
    tally.found += found
    if gold:
        tally.n_named += 1
        kind = e.get("refer") or "none"
        tally.by_kind[kind]["total"] += 1
        for s, got in answers.items():
            if same_person(got, gold):
                tally.named[s] += 1
                tally.by_kind[kind][s] += 1
            elif got:
                tally.wrong[s] += 1
            else:
                tally.unresolved[s] += 1
    else:
        tally.n_unnamed += 1
        for s, got in answers.items():
            tally.declined[s] += not got


def load_entries(annotations: Path = ANNOTATIONS) -> list[dict]:
    return json.loads(Path(annotations).read_text(encoding="utf-8"))["entries"]


def score_split(split: str, *, annotations: Path = ANNOTATIONS, db: Path | None = None,
                verbose: bool = False) -> Tally:
    entries = [e for e in load_entries(annotations) if split in ("all", e["split"])]
    with tempfile.TemporaryDirectory() as tmp:
        return score(entries, db or Path(tmp) / "speakers.db", verbose)


NOTES = (
    "Direct quotes of 4+ words in real articles (PolNeAR, WikiRef220), every one of each annotated article, "
    "with the speaker a careful reader names (bench/speaker_annotations.json: paths, offsets, names only). "
    "accuracy: right speaker among quotes whose speaker the article names (goal 0.95); wrong: credited to "
    "another name; unresolved: no name; the nearest-person and previous-subject baselines run on the same "
    "quotes in the same run. Splits fixed per source before tuning."
)


def evaluate(split: str | None = None) -> dict:
    """The bench contract (bench/accuracy.py): the annotated quotes of ``split`` (default dev)."""
    return annotated_result("speakers", "direct quotes in real articles (PolNeAR, WikiRef220), our annotation",
                            split or "dev", GOAL, NOTES, lambda s: (score_split(s), {}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="all", choices=("train", "dev", "all"))
    ap.add_argument("--annotations", default=str(ANNOTATIONS))
    ap.add_argument("--db", help="store to reuse between runs (default: a temporary one)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no datasets at {DATA}: nothing to measure", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    out: dict = {}
    splits = ("train", "dev") if args.split == "all" else (args.split,)
    for split in splits:
        entries = [e for e in load_entries(Path(args.annotations)) if e["split"] == split]
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(args.db) if args.db else Path(tmp) / "speakers.db"
            if args.verbose:
                print(f"{split}:")
            t = score(entries, db, args.verbose)
        out[split] = t.row()
        print(f"{split:5} {json.dumps(t.row())}", flush=True)
        for m in t.misses:
            print("  miss", m, file=sys.stderr)
    return finish(out, t0, args.json)


if __name__ == "__main__":
    sys.exit(main())
