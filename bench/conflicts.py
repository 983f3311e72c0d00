"""Conflicts and errors on real coverage: injected errors found, false alarms, and natural disagreements.

Usage: .venv/bin/python bench/conflicts.py [--split train|dev] [--limit N] [--kinds K ...] [--json FILE]
                                           [--verbose]

**Injection.**  Stories are Gun Violence Archive incidents (``../shared/datasets/gva``, the split of
``bench/crossdoc_gva.py``: dev when ``id % 4 == 0``) with three or more articles.  For each story and each kind
below, one controlled error is written into a copy of ONE article (the first, in file order, where the kind
applies and another article states the true value, so the corpus holds the evidence), the story is analysed
through the real pipeline (``storyline.pipeline.analyze`` into a store, then the cross-check of ``storyline
analyze`` with sentence embeddings), and the error counts as **found** when a conflict side or a flagged error
cites characters of the injected words.  Kinds (the injector is ours, deterministic):

* ``count``: the number killed or injured (as the article writes it: digits or a number word, next to
  killed/dead/died/injured/wounded/hurt/shot) becomes another (the value + 2, written the same way);
* ``former``: "former " before a sitting official's title ("Sheriff", "Police Chief", "Mayor", ...) whose
  surname another article also names;
* ``swap``: the doer and the target of "X shot/killed/wounded/stabbed Y" swapped (both people: named, or a
  noun phrase headed by a word for a person, "a 19-year-old man", "the suspect");
* ``date``: the weekday of the incident (the gold record's date) moved two days on ("Saturday" -> "Monday")
  in an article published within six days after it (not a dateline "Monday, Feb. 2"), where another such
  article names the same weekday or the date;
* ``name``: a participant's surname (from the incident's gold record) replaced by another surname in every
  place of one article, where another article names the same person.

**Baseline** (same run): two sentences of different articles that share two or more capitalised words (not
sentence-initial) and give different sets of numbers are a conflict citing both sentences; it is scored
like storyline (``baseline_*`` metrics).

**False alarms**: conflicts and flagged errors on the same stories without injection, per 20 articles,
leaving out a conflict that cites two sides of a real disagreement we annotated in that story (and its
errors); ``conflicts_per_20_articles`` counts them all.  A conflict found on a story that is a real
disagreement we had not annotated is annotated (train) and then no longer counts as a false alarm.

**Natural disagreements** (``bench/disagreement_annotations.json``, our annotation: paths, offsets, short
values): real disagreements between outlets; one is found when a conflict or error cites both sides (or one
side, reported separately).  ``not_conflict`` entries (a total against a partial count, a toll against one
incident's count, a first report against its update) count as false alarms when a conflict cites both.

Goals (issue 12): >= 80% of injected errors of each kind found, <= 1 false conflict per 20-article story,
>= 50% of natural disagreements found with both sides cited.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import DATASETS as DATA  # noqa: E402
from contract import analysed_items, cross_checked, find_near, share, skeleton  # noqa: E402

KINDS = ("count", "former", "swap", "date", "name")
GVA = DATA / "gva"
ANNOTATIONS = Path(__file__).resolve().parent / "disagreement_annotations.json"
GOAL = {"metric": "injected_found", "value": 0.8, "false_alarms_per_20_at_most": 1.0,
        "natural_both_sides_at_least": 0.5}

_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
_COUNT_CUE = r"(?:people\s+|persons\s+|men\s+|women\s+|victims\s+|others\s+)?(?:were\s+|was\s+|are\s+|have\s+been\s+)?" \
             r"(?:killed|dead|died|injured|wounded|hurt|shot)"
_TITLE = (r"(?:Sheriff|Undersheriff|Police\s+Chief|Chief|Mayor|Gov\.|Governor|Sen\.|Senator|Rep\.|District\s+Attorney"
          r"|Prosecutor|Coroner|Lt\.|Sgt\.|Capt\.|Detective|Officer|Deputy|Commissioner|Superintendent)")
_NAME = r"[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'-]+){1,2}"
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_OTHER_SURNAMES = ("Whitcombe", "Ravensworth", "Delacroix", "Pemberton")
_HARM_LEMMAS = frozenset(["shoot", "kill", "wound", "stab", "attack", "murder"])


@dataclass(frozen=True)
class Injection:
    kind: str
    file: str  # file name inside the incident folder
    text: str  # the article after the injection
    spans: tuple[tuple[int, int], ...]  # the injected words in ``text``
    note: str  # what changed, in a few words (our words and values, no article text)


# --------------------------------------------------------------------------- injectors


def _other_articles(texts: dict[str, str], name: str) -> str:
    return "\n".join(t for n, t in texts.items() if n != name)


def _count_value(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return _NUMBER_WORDS.index(w) if w in _NUMBER_WORDS else None


def _write_like(word: str, value: int) -> str:
    if word.isdigit() or value >= len(_NUMBER_WORDS):
        return str(value)
    out = _NUMBER_WORDS[value]
    return out.capitalize() if word[:1].isupper() else out


def inject_count(texts: dict[str, str], gold: dict, published: dict[str, str | None]) -> Injection | None:
    wanted = {int(gold.get("killed") or 0), int(gold.get("injured") or 0)} - {0}
    rx = re.compile(rf"\b(?P<n>\d{{1,3}}|{'|'.join(_NUMBER_WORDS[1:])})\s+{_COUNT_CUE}\b", re.I)
    for name, text in texts.items():
        for m in rx.finditer(text):
            value = _count_value(m.group("n"))
            if value not in wanted:
                continue
            if not any(_count_value(o.group("n")) == value for o in rx.finditer(_other_articles(texts, name))):
                continue
            new = _write_like(m.group("n"), value + 2)
            s, e = m.span("n")
            return Injection("count", name, text[:s] + new + text[e:], ((s, s + len(new)),), f"{value} -> {value + 2}")
    return None


def inject_former(texts: dict[str, str], gold: dict, published: dict[str, str | None]) -> Injection | None:
    rx = re.compile(rf"(?<![Ff]ormer )\b{_TITLE}\s+(?P<name>{_NAME})")
    for name, text in texts.items():
        others = _other_articles(texts, name)
        for m in rx.finditer(text):
            surname = m.group("name").split()[-1]
            if re.search(rf"\b{re.escape(surname)}\b", others):
                s = m.start()
                new = text[:s] + "former " + text[s:]
                return Injection("former", name, new, ((s, m.end() + len("former ")),), "former before a title")
    return None


_PERSON_NOUNS = frozenset(
    ["man", "woman", "men", "women", "boy", "girl", "teen", "teenager", "suspect", "gunman", "shooter", "officer", "deputy", "trooper", "victim", "father", "mother", "son", "daughter", "brother", "sister", "husband", "wife", "boyfriend", "girlfriend", "neighbor", "neighbour", "friend", "resident", "student", "driver", "clerk", "guard", "owner", "customer", "employee", "worker"]
)


def _person_like(tok, persons: list[tuple[int, int]]) -> bool:
    """A named person, or a noun phrase headed by a word for a person ("a 19-year-old man", "the suspect")."""
    return any(ps <= tok.idx < pe for ps, pe in persons) or tok.lemma_.lower() in _PERSON_NOUNS


def inject_swap(texts: dict[str, str], gold: dict, published: dict[str, str | None]) -> Injection | None:
    from storyline.extract.nlp import load_nlp

    nlp = load_nlp()
    for name, text in texts.items():
        doc = nlp(text)
        persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        for tok in doc:
            if tok.lemma_.lower() not in _HARM_LEMMAS or tok.pos_ != "VERB":
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if subj is None or obj is None:
                continue
            a = (subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge))
            b = (obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge))
            if not (_person_like(subj, persons) and _person_like(obj, persons)) or not a[1] <= tok.idx < b[0]:
                continue
            sa, sb = text[a[0] : a[1]], text[b[0] : b[1]]
            if len(sa) > 60 or len(sb) > 60 or sa == sb:
                continue
            new = text[: a[0]] + sb + text[a[1] : b[0]] + sa + text[b[1] :]
            return Injection("swap", name, new, ((a[0], b[1]),), f"doer and target of '{tok.lemma_}' swapped")
    return None


_DATELINE_RE = re.compile(r",?\s*(?:\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)")  # a dateline


def _incident_day(gold: dict) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(gold.get("date") or "").strip(), "%B %d, %Y").date()
    except ValueError:
        return None


def _near_after(published: str | None, day: dt.date) -> bool:
    """Published within six days after ``day``: a bare weekday in it names that day."""
    try:
        pub = dt.date.fromisoformat(str(published or "")[:10])
    except ValueError:
        return False
    return 0 <= (pub - day).days <= 6


def inject_date(texts: dict[str, str], gold: dict, published: dict[str, str | None]) -> Injection | None:
    """The weekday of the incident (the gold date's) moved two days on, in an article published within six
    days after it, where another such article names the same weekday or the date itself."""
    day = _incident_day(gold)
    if day is None:
        return None
    weekday = _WEEKDAYS[day.weekday()]
    rx = re.compile(rf"\b{weekday}\b")
    explicit = re.compile(rf"\b{day.strftime('%B')[:3]}[a-z]*\.?\s+{day.day}\b")
    near = [n for n in texts if _near_after(published.get(n), day)]
    for name in near:
        m = next((m for m in rx.finditer(texts[name]) if not _DATELINE_RE.match(texts[name], m.end())), None)
        if m is None:
            continue
        if not any(rx.search(texts[o]) or explicit.search(texts[o]) for o in near if o != name):
            continue
        new_day = _WEEKDAYS[(day.weekday() + 2) % 7]
        s, e = m.span()
        text = texts[name]
        return Injection("date", name, text[:s] + new_day + text[e:], ((s, s + len(new_day)),),
                         f"{weekday} -> {new_day}")
    return None


def inject_name(texts: dict[str, str], gold: dict, published: dict[str, str | None]) -> Injection | None:
    surnames = []
    for p in gold.get("participants") or []:
        parts = str(p.get("Name") or "").split()
        if len(parts) >= 2 and len(parts[-1]) > 2:
            surnames.append(parts[-1])
    for surname in surnames:
        rx = re.compile(rf"\b{re.escape(surname)}\b")
        for name, text in texts.items():
            if not rx.search(text) or not rx.search(_other_articles(texts, name)):
                continue
            other = next(o for o in _OTHER_SURNAMES if o not in text)
            spans, out, last, shift = [], [], 0, 0
            for m in rx.finditer(text):
                out.append(text[last : m.start()] + other)
                spans.append((m.start() + shift, m.start() + shift + len(other)))
                shift += len(other) - len(surname)
                last = m.end()
            out.append(text[last:])
            return Injection("name", name, "".join(out), tuple(spans), "a surname replaced")
    return None


INJECTORS: dict[str, Callable[[dict[str, str], dict, dict[str, str | None]], Injection | None]] = {
    "count": inject_count, "former": inject_former, "swap": inject_swap, "date": inject_date, "name": inject_name,
}


# --------------------------------------------------------------------------- running a story


def _analyse(folder: Path, db: Path):
    """The cross-check of ``storyline analyze`` on a folder: (clean items by file name, CrossCheck, the
    same-run baseline's conflicts)."""
    items = analysed_items([str(folder)], db)
    return {Path(c.article.origin).name: c for c, _ in items}, cross_checked(items), _baseline(items)


_NUMBER_RE = re.compile(r"\b(?:\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS[1:]) + r")\b", re.IGNORECASE)
_CAP_RE = re.compile(r"(?<=\s)[A-Z][a-z’'-]+")


def _baseline(items: list) -> SimpleNamespace:
    """The same-run baseline: two sentences of different articles that share two or more capitalised words
    (not sentence-initial) and give different sets of numbers are a conflict citing both sentences."""
    from storyline.records import Conflict, Side
    from storyline.text import split_sentences

    sents = []
    for clean, ext in items:
        for a, b in split_sentences(clean.text, ext.sentences):
            text = clean.text[a:b]
            nums = {m[0].lower() for m in _NUMBER_RE.finditer(text)}
            caps = {w.lower() for w in _CAP_RE.findall(text)}
            if nums and len(caps) >= 2:
                sents.append((clean, a, b, nums, caps))
    out = []
    for i, (c1, a1, b1, n1, k1) in enumerate(sents):
        for c2, a2, b2, n2, k2 in sents[i + 1:]:
            if c1.article.id != c2.article.id and n1 != n2 and len(k1 & k2) >= 2:
                sides = tuple(Side(value="", citations=(c.cite(a, b),), sources=(c.article.id,), independent=1)
                              for c, a, b in ((c1, a1, b1), (c2, a2, b2)))
                out.append(Conflict(id=f"b-{len(out) + 1}", kind="baseline", about="", sides=sides,
                                    explanation="", likely=None))
    return SimpleNamespace(conflicts=out, errors=())


def _cited(checked) -> list:
    """Every citation of a conflict side or a flagged error (the erroneous words and its evidence)."""
    out = []
    for x in checked.conflicts:
        for side in x.sides:
            out.extend(side.citations)
    for e in checked.errors:
        out.append(e.citation)
    return out


def _found(clean_by_file: dict, checked, inj: Injection) -> bool:
    clean = clean_by_file.get(inj.file)
    if clean is None:
        return False
    text = clean.article.text
    targets = []
    for s, e in inj.spans:  # the article's text as read may differ from the file (line endings): re-locate
        words = inj.text[s:e]
        pos = find_near(text, words, s)
        if pos >= 0:
            targets.append((pos, pos + len(words)))
    return any(c.source == clean.article.id and any(c.start < b and a < c.end for a, b in targets)
               for c in _cited(checked))


def _located(clean_by_file: dict, side: dict) -> tuple[str, int, int] | None:
    """An annotated side as (article id, start, end) in the article's text as read, None when not found."""
    clean = clean_by_file.get(Path(side["file"]).name)
    if clean is None:
        return None
    raw = (DATA / side["file"]).read_text(encoding="utf-8", errors="replace")
    words = raw[side["start"] : side["end"]]
    pos = find_near(clean.article.text, words, side["start"])
    return (clean.article.id, pos, pos + len(words)) if pos >= 0 else None


def _annotated_real(incident: str, clean_by_file: dict, checked) -> set[str]:
    """Ids of the conflicts that cite two sides of a real disagreement annotated in this incident's story."""
    if not ANNOTATIONS.is_file():
        return set()
    folder = f"gva/stories/{incident}/"
    entries = [e for e in json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["entries"]
               if e["kind"] != "not_conflict" and e["sides"][0]["file"].startswith(folder)]
    out: set[str] = set()
    for e in entries:
        spans = [sp for sp in (_located(clean_by_file, side) for side in e["sides"]) if sp is not None]
        for x in checked.conflicts:
            cites = [c for side in x.sides for c in side.citations]
            hit = [sp for sp in spans if any(c.source == sp[0] and c.start < sp[2] and sp[1] < c.end for c in cites)]
            if len(hit) >= 2:
                out.add(x.id)
    return out


@dataclass
class Tally:
    injected: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    stories: int = 0
    articles: int = 0
    conflicts: int = 0
    base_found: Counter = field(default_factory=Counter)
    base_false_conflicts: int = 0
    false_conflicts: int = 0
    false_errors: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict:
        total_inj, total_found = sum(self.injected.values()), sum(self.found.values())
        out: dict = {"stories": self.stories, "articles": self.articles, "injected": total_inj,
                     "injected_found": share(total_found, total_inj)}
        for k in KINDS:
            out[f"{k}_injected"] = self.injected[k]
            out[f"{k}_found"] = share(self.found[k], self.injected[k])
        per20 = 20.0 / self.articles if self.articles else 0.0
        out["conflicts_per_20_articles"] = round(self.conflicts * per20, 2) if self.articles else None
        out["false_conflicts_per_20_articles"] = round(self.false_conflicts * per20, 2) if self.articles else None
        out["false_errors_per_20_articles"] = round(self.false_errors * per20, 2) if self.articles else None
        out["baseline_injected_found"] = share(sum(self.base_found.values()), total_inj)
        out["baseline_false_conflicts_per_20_articles"] = (
            round(self.base_false_conflicts * per20, 2) if self.articles else None)
        return out


def _published(folder: Path) -> dict[str, str | None]:
    """File name -> publication date, from the incident's manifest."""
    manifest = folder / "manifest.csv"
    if not manifest.is_file():
        return {}
    with manifest.open(encoding="utf-8", newline="") as f:
        return {row["path"]: row.get("published") or None for row in csv.DictReader(f)}


def run_story(incident: str, gold: dict, kinds: tuple[str, ...], tally: Tally, verbose: bool) -> None:
    folder = GVA / "stories" / incident
    names = sorted(p.name for p in folder.glob("*.txt"))
    texts = {n: (folder / n).read_text(encoding="utf-8", errors="replace") for n in names}
    published = _published(folder)
    with tempfile.TemporaryDirectory(prefix="conflicts-") as tmp:
        db = Path(tmp) / "store.db"
        clean_by_file, checked, base = _analyse(folder, db)
        tally.stories += 1
        base_real = _annotated_real(incident, clean_by_file, base)
        tally.base_false_conflicts += sum(1 for x in base.conflicts if x.id not in base_real)
        tally.articles += len(clean_by_file)
        real = _annotated_real(incident, clean_by_file, checked)
        tally.conflicts += len(checked.conflicts)
        tally.false_conflicts += sum(1 for x in checked.conflicts if x.id not in real)
        tally.false_errors += sum(1 for e in checked.errors if e.conflict not in real)
        for kind in kinds:
            inj = INJECTORS[kind](texts, gold, published)
            if inj is None:
                continue
            copy = Path(tmp) / f"story-{kind}"
            shutil.copytree(folder, copy)
            (copy / inj.file).write_text(inj.text, encoding="utf-8")
            clean_inj, checked_inj, base_inj = _analyse(copy, db)
            tally.injected[kind] += 1
            hit = _found(clean_inj, checked_inj, inj)
            tally.found[kind] += hit
            tally.base_found[kind] += _found(clean_inj, base_inj, inj)
            if not hit:
                tally.misses.append(f"{incident} {kind}: {inj.note} in {inj.file}")
            if verbose:
                print(f"  {incident} {kind:6} {'found' if hit else 'missed'} ({inj.note})", flush=True)


# --------------------------------------------------------------------------- natural disagreements


def natural(split: str, verbose: bool = False) -> dict:
    """Recall of the annotated real disagreements (both sides cited / one side cited) and false alarms on the
    annotated not-conflicts."""
    if not ANNOTATIONS.is_file():
        return {}
    entries = [e for e in json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["entries"] if e["split"] == split]
    by_story: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        first = e["sides"][0]["file"]
        story = str(Path(first).parent) if first.startswith("gva/") else first.split("/")[1].split(".")[0]
        by_story[story].append(e)
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for story, group in sorted(by_story.items()):
        with tempfile.TemporaryDirectory(prefix="natural-") as tmp:
            if story.startswith("gva/"):  # the incident's folder, with its manifest
                clean_by_file, checked, base = _analyse(DATA / story, Path(tmp) / "store.db")
            else:  # the WikiRef articles the annotation names
                work = Path(tmp) / "story"
                work.mkdir()
                for f in sorted({s["file"] for e in group for s in e["sides"]}):
                    shutil.copy(DATA / f, work / Path(f).name)
                clean_by_file, checked, base = _analyse(work, Path(tmp) / "store.db")
        cited, base_cited = _cited(checked), _cited(base)
        for e in group:
            hits, base_hits = [], []
            for side in e["sides"]:
                sp = _located(clean_by_file, side)
                hits.append(sp is not None and any(
                    c.source == sp[0] and c.start < sp[2] and sp[1] < c.end for c in cited))
                base_hits.append(sp is not None and any(
                    c.source == sp[0] and c.start < sp[2] and sp[1] < c.end for c in base_cited))
            kind = e["kind"]
            counts["base_both"] += kind != "not_conflict" and all(base_hits)
            counts["base_alarmed"] += kind == "not_conflict" and all(base_hits)
            if kind == "not_conflict":
                counts["not_conflict"] += 1
                counts["not_conflict_alarmed"] += all(hits)
            else:
                counts["real"] += 1
                counts["both"] += all(hits)
                counts["one"] += any(hits)
                by_kind[kind]["total"] += 1
                by_kind[kind]["both"] += all(hits)
            if verbose and kind != "not_conflict" and not all(hits):
                print(f"  natural {e['id']} ({kind}): {sum(hits)}/{len(hits)} sides cited", flush=True)
    out = {"natural": counts["real"], "natural_both_sides": share(counts["both"], counts["real"]),
           "natural_one_side": share(counts["one"], counts["real"]),
           "not_conflicts": counts["not_conflict"],
           "not_conflicts_alarmed": share(counts["not_conflict_alarmed"], counts["not_conflict"]),
           "baseline_natural_both_sides": share(counts["base_both"], counts["real"]),
           "baseline_not_conflicts_alarmed": share(counts["base_alarmed"], counts["not_conflict"])}
    for kind, c in sorted(by_kind.items()):
        out[f"natural_{kind}_both_sides"] = share(c["both"], c["total"])
    return out


# --------------------------------------------------------------------------- the whole benchmark


def stories(split: str, limit: int | None) -> list[tuple[str, dict]]:
    import crossdoc_gva

    rows = [(k, v) for k, v in crossdoc_gva.incidents(GVA, split)
            if len(list((GVA / "stories" / k).glob("*.txt"))) >= 3]
    return rows[:limit] if limit else rows


def score_split(split: str, limit: int | None = 20, kinds: tuple[str, ...] = KINDS, verbose: bool = False) -> dict:
    t0 = time.perf_counter()
    tally = Tally()
    for n, (incident, gold) in enumerate(stories(split, limit), 1):
        run_story(incident, gold, kinds, tally, verbose)
        if verbose:
            print(f"{n} stories, {time.perf_counter() - t0:.0f} s", flush=True)
    out = tally.row() | natural(split, verbose)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    out["misses"] = tally.misses
    return out


NOTES = (
    "Injection: one controlled error (count, former, swap, date, name) written into one article of a GVA "
    "incident with 3+ articles, found when a conflict side or a flagged error cites the injected words; false "
    "alarms: conflicts and errors on the same stories without injection, per 20 articles (a conflict citing "
    "two sides of a real disagreement we annotated is not a false alarm); natural: our "
    "annotation of real disagreements between outlets (bench/disagreement_annotations.json), found when both "
    "sides are cited. Baseline (same run): two sentences of different articles sharing two capitalised words and "
    "giving different numbers are a conflict. The first 20 incidents of the split by id."
)


def evaluate(split: str | None = None) -> dict:
    """The bench contract (bench/accuracy.py) on ``split`` (default dev)."""
    split = split or "dev"
    res = skeleton("conflicts", "injected errors and real disagreements in GVA incidents and WikiRef220", split,
                   {}, GOAL)
    if not GVA.is_dir():
        res["notes"] = f"no datasets at {DATA}"
        return res
    row = score_split(split)
    row.pop("misses", None)
    res["metrics"] = {k: v for k, v in row.items() if v is not None}
    res["status"] = "ok"
    res["notes"] = NOTES
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="train", choices=("train", "dev"))
    ap.add_argument("--limit", type=int, default=20, help="incidents (by id); 0 for all")
    ap.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not GVA.is_dir():
        print(f"no datasets at {DATA}: nothing to measure", file=sys.stderr)
        return 2
    row = score_split(args.split, args.limit or None, tuple(args.kinds), args.verbose)
    misses = row.pop("misses")
    print(json.dumps(row, indent=1))
    if args.verbose:
        for m in misses:
            print("  miss", m)
    if args.json:
        Path(args.json).write_text(json.dumps(row, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
