"""Is the cost of one article linear in its length? (`make bench`)

For articles of growing length (10,000 to 2,000,000 characters of news prose written by the templates
below: names, places, dates, numbers and quotes drawn with a seeded RNG), each in a fresh subprocess so that
peak memory belongs to one article, it times clean -> parse (``pipeline.parse_text``: pieces of at most
100,000 characters joined into one Doc) -> every extraction stage, and reads the peak RSS
(``resource.getrusage``) after loading the model and at the end.  Two more series run in this process:
hostile Markdown (one long line of emphasis, links and autolinks that never close) through
``markdown_to_text``, and hostile mojibake (long lines dense with "Ã©" and "&amp;") through ``clean``.

For each series it fits a line to log(seconds) against log(characters): the slope is the exponent (1.0 is
linear, 2.0 quadratic), and the rate is the time per character at the largest size.  Prints a table and
writes bench/results/linear.json.

    python bench/linear.py [--sizes 10000,50000] [--md-sizes 10000,100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from contract import write_json  # noqa: E402

FIRST = ["Teodora", "Marek", "Ilse", "Rafael", "Anouk", "Dmitri", "Lucia", "Osei", "Hana", "Tomas", "Greta",
         "Idris", "Mireille", "Kasimir", "Yara", "Bastian", "Noor", "Ewa", "Joaquin", "Saskia"]
LAST = ["Valcu", "Orlanov", "Brenner", "Castellan", "Meyling", "Okonjo", "Taviani", "Hallvard", "Sorensk",
        "Quintero", "Lindqvist", "Adebayo", "Marchetti", "Kowalin", "Ferreira", "Dunmore", "Ashgrove"]
ROLES = ["the mayor", "the harbour master", "a spokeswoman for the council", "the finance minister",
         "a union leader", "the chief engineer", "an aid worker", "the police commissioner"]
PLACES = ["Port Arvel", "Caldera Bay", "Velmora", "Kestrin", "Marrowgate", "Brannock", "Ostrava Nova", "Tesk"]
ORGS = ["the Coastal Authority", "the Maritime Council", "the Port Workers Union", "the Harbor Relief Fund",
        "the Velmoran Red Cross", "the Kestrin Assembly"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
THINGS = ["bridge", "ferry terminal", "flood barrier", "water plant", "hospital wing", "school", "sea wall"]

TEMPLATES = [
    "{P} said on {W} that {N} families had been moved out of {L} after the river rose.",
    "The council approved a budget of ${M} million for the {T} on {D}.",
    "\u201cWe cannot wait another winter,\u201d said {P}, {R}. \u201cThe {T} is failing now.\u201d",
    "According to {O}, at least {N} people were injured in the storm that reached {L} on {D}.",
    "{P2} told reporters that repairs to the {T} would take {K} weeks and cost about ${M} million.",
    "By {D}, water levels in {L} had fallen by {PC} percent, {O} said in a statement.",
    "{O} said {N} volunteers had joined the clean-up since {W}.",
    "\u201cThe numbers are not final,\u201d {P} said. \u201cWe expect more than {N} claims by {MO}.\u201d",
    "Residents of {L} were told to boil their water until at least {D}.",
    "The {T} in {L} was first opened in {Y} and has been repaired {K} times since.",
    "{P2}, {R}, warned that the cost could rise to ${M} million if the rain continued into {MO}.",
    "In {Y}, a similar flood displaced {N} people and closed the {T} for {K} months.",
    "Insurers said premiums in {L} had risen {PC} percent over the past {K} years.",
    "\u201cNobody told us the {T} was at risk,\u201d said {P}, who has lived in {L} for {K} years.",
    "{O} will meet {P2} in {L} on {W} to discuss the next phase of the work.",
    "Officials estimated that {N} homes in {L} lost power, down from {N2} the day before.",
    "The ministry said it had paid ${M} million in emergency grants by {D}.",
    "{P} denied that the {T} had been neglected, saying inspections were carried out every {K} months.",
    "Schools in {L} will reopen on {D}, {R} {P2} said.",
    "Traffic through {L} fell by {PC} percent in {MO}, according to figures from {O}.",
    "\u201cThis is the worst I have seen it,\u201d {P2} said on {W}.",
    "{P} resigned on {D}, two days after the report on the {T} was published.",
    "The report found {N} faults in the {T}, {K} of them described as serious.",
    "About {N} people attended a meeting in {L} on {W} evening, organisers said.",
]


def _fill(rng: random.Random, template: str) -> str:
    month = rng.choice(MONTHS)
    return template.format(
        P=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        P2=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        R=rng.choice(ROLES),
        L=rng.choice(PLACES),
        O=rng.choice(ORGS),
        T=rng.choice(THINGS),
        W=rng.choice(WEEKDAYS),
        D=f"{rng.randrange(1, 29)} {month} {rng.randrange(2019, 2026)}",
        MO=month,
        Y=rng.randrange(1960, 2020),
        N=f"{rng.randrange(12, 9000):,}",
        N2=f"{rng.randrange(12, 9000):,}",
        M=rng.randrange(2, 400),
        K=rng.randrange(2, 12),
        PC=rng.randrange(3, 70),
    )


def prose(chars: int, seed: int = 13) -> str:
    """About ``chars`` characters of news prose: paragraphs of 2-5 sentences separated by blank lines."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        para = " ".join(_fill(rng, rng.choice(TEMPLATES)) for _ in range(rng.randrange(2, 6)))
        paragraphs.append(para)
        size += len(para) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip()


HOSTILE_UNITS = (
    "a *b _c **d ~~e `f [g ",  # emphasis and brackets that never close
    "[a](",  # links whose ")" never comes
    "![x][",  # image references whose "]" never comes
    "<http://",  # autolinks that never close
)


def hostile_markdown(chars: int) -> str:
    """One long line of ``chars`` characters of unclosed Markdown emphasis, links and autolinks."""
    unit = "".join(HOSTILE_UNITS) + " word "
    return (unit * (chars // len(unit) + 1))[:chars]


def hostile_mojibake(chars: int) -> str:
    """Lines of 600 characters (the longest repaired whole) dense with mojibake and entities."""
    unit = "The caf\u00c3\u00a9 &amp; the na\u00c3\u00afve cr\u00c3\u00a8che reopened. "
    line = (unit * (600 // len(unit) + 1))[:592]
    return "\n\n".join(f"{i:>6}. {line}" for i in range(chars // 602 + 1))[:chars]


# --------------------------------------------------------------------------- measuring


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(chars: int) -> dict:
    """One article of ``chars`` characters: clean, parse, extract; seconds of each and peak memory."""
    from storyline.extract.nlp import load_nlp
    from storyline.ingest.clean import clean
    from storyline.pipeline import extract_doc, parse_text
    from storyline.records import Article

    nlp = load_nlp()
    parse_text(nlp, "A first sentence warms the model up.")
    base = _peak_mb()
    article = Article(id="a", origin="bench", text=prose(chars), format="text", published="2025-03-06")
    t0 = time.perf_counter()
    cleaned = clean(article)
    t1 = time.perf_counter()
    doc = parse_text(nlp, cleaned.text)
    t2 = time.perf_counter()
    extraction = extract_doc(doc, article.id, article.published)
    t3 = time.perf_counter()
    return {
        "chars": len(article.text),
        "tokens": len(doc),
        "clean_s": round(t1 - t0, 3),
        "parse_s": round(t2 - t1, 3),
        "extract_s": round(t3 - t2, 3),
        "seconds": round(t3 - t0, 3),
        "base_mb": base,
        "peak_mb": _peak_mb(),
        "records": len(extraction.quotes) + len(extraction.figures) + len(extraction.events),
    }


def _timed(fn: Callable[[str], object], texts: dict[int, str]) -> list[dict]:
    rows = []
    for chars, text in texts.items():
        t0 = time.perf_counter()
        fn(text)
        rows.append({"chars": chars, "seconds": round(time.perf_counter() - t0, 4)})
    return rows


def fit(rows: list[dict], key: str = "seconds") -> dict:
    """Exponent of a least-squares line through log(seconds) ~ log(chars); rate in µs a character at the
    largest size."""
    pts = [(math.log(r["chars"]), math.log(max(r[key], 1e-6))) for r in rows]
    if len(pts) < 2:
        return {"exponent": None, "us_per_char": None}
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    last = rows[-1]
    return {"exponent": round(slope, 2), "us_per_char": round(last[key] / last["chars"] * 1e6, 2)}


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000,100000,200000,500000,1000000,2000000")
    parser.add_argument("--md-sizes", default="10000,25000,50000,100000,200000,400000")
    parser.add_argument("--json", default=str(HERE / "results" / "linear.json"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return

    from storyline.ingest.clean import clean
    from storyline.ingest.markup import markdown_to_text
    from storyline.records import Article

    md = _timed(markdown_to_text, {n: hostile_markdown(n) for n in _ints(args.md_sizes)})
    moji = _timed(lambda t: clean(Article(id="m", origin="bench", text=t, format="text")),
                  {n: hostile_mojibake(n) for n in _ints(args.md_sizes)})
    articles = []
    for n in _ints(args.sizes):
        proc = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True,
                              check=True)
        articles.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    _print(articles, md, moji)
    result = {
        "benchmark": "linear",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "date": time.strftime("%Y-%m-%d"),
        "article": {"rows": articles, "total": fit(articles), "parse": fit(articles, "parse_s"),
                    "extract": fit(articles, "extract_s"), "clean": fit(articles, "clean_s"),
                    "peak_above_model_mb": max(r["peak_mb"] - r["base_mb"] for r in articles),
                    "peak_mb": max(r["peak_mb"] for r in articles)},
        "hostile_markdown": {"rows": md, "fit": fit(md)},
        "hostile_mojibake_clean": {"rows": moji, "fit": fit(moji)},
    }
    write_json(Path(args.json), result)
    print(f"wrote {args.json}")


def _print(articles: list[dict], md: list[dict], moji: list[dict]) -> None:
    header = f"{'chars':>9} {'tokens':>8} {'clean s':>8} {'parse s':>8} {'extract s':>9} {'total s':>8} " \
             f"{'us/char':>7} {'peak MB':>8} {'above model':>11}"
    print(header)
    print("-" * len(header))
    for r in articles:
        print(f"{r['chars']:>9,} {r['tokens']:>8,} {r['clean_s']:>8} {r['parse_s']:>8} {r['extract_s']:>9} "
              f"{r['seconds']:>8} {r['seconds'] / r['chars'] * 1e6:>7.1f} {r['peak_mb']:>8.0f} "
              f"{r['peak_mb'] - r['base_mb']:>11.0f}")
    for name, rows in (("article", articles), ("hostile Markdown", md), ("hostile mojibake clean", moji)):
        f = fit(rows)
        sizes = ", ".join(f"{r['chars']:,}: {r['seconds']} s" for r in rows) if rows is not articles else ""
        print(f"{name}: exponent {f['exponent']}, {f['us_per_char']} us/char at the largest size  {sizes}")


if __name__ == "__main__":
    main()
