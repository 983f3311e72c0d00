"""A deterministic generator of synthetic news articles about invented stories (for benchmarks).

Every sentence comes from templates written for this project; names, places and
numbers are drawn from invented lists with a seeded RNG, so a given (seed, n)
always gives the same corpus.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Teodora", "Marek", "Ilse", "Rafael", "Anouk", "Dmitri", "Lucia", "Osei", "Hana", "Tomas", "Greta",
         "Idris", "Mireille", "Kasimir", "Yara", "Bastian", "Noor", "Ewa", "Joaquin", "Saskia"]
LAST = ["Valcu", "Orlanov", "Brenner", "Castellan", "Meyling", "Okonjo", "Taviani", "Hallvard", "Sorensk",
        "Quintero", "Lindqvist", "Adebayo", "Marchetti", "Kowalin", "Ferreira", "Dunmore", "Ashgrove", "Pellerin"]
ROLES = ["President", "Defence Minister", "Foreign Minister", "Admiral", "opposition leader", "Senator",
         "Prime Minister", "spokeswoman for the coastguard", "Interior Minister", "envoy"]
PLACES = ["Port Arvel", "Caldera Bay", "the Sorn Strait", "Velmora", "Kestrin", "the Halden coast", "Ostrava Nova",
          "Marrowgate", "the Isle of Tesk", "Brannock"]
ORGS = ["the Coastal Authority", "the Northern Alliance", "the Maritime Council", "the Red Lantern Society",
        "the Velmoran Navy", "the Port Workers Union", "the Assembly of Kestrin", "the Harbor Relief Fund"]
OUTLETS = ["The Meridian Ledger", "Harbor Wire Service", "Northgate Courier", "The Brannock Post", "Coastline Daily",
           "The Kestrin Observer", "Velmora Today", "Strait Times Herald"]
VERBS = [("struck", "vessels"), ("seized", "boats"), ("detained", "sailors"), ("evacuated", "residents"),
         ("deployed", "soldiers"), ("rescued", "fishermen")]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUALIFIERS = ["at least", "more than", "about", "nearly", "up to", "over", "an estimated", ""]


def _person(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES)


def article(rng: random.Random, index: int, start: date) -> dict:
    published = start + timedelta(days=rng.randrange(0, 60))
    speaker, role = _person(rng)
    other, other_role = _person(rng)
    place, place2 = rng.sample(PLACES, 2)
    org, org2 = rng.sample(ORGS, 2)
    verb, noun = rng.choice(VERBS)
    toll = rng.randrange(12, 240)
    paragraphs: list[str] = []
    paragraphs.append(
        f"{place.upper().removeprefix('THE ')} — {role} {speaker} said on {rng.choice(WEEKDAYS)} that forces had "
        f"{verb} {rng.randrange(2, 30)} {noun} near {place2}, the latest step in a campaign that began "
        f"{rng.choice(['in early September', 'last month', 'since August', 'three weeks ago'])}."
    )
    paragraphs.append(
        f"{rng.choice(QUALIFIERS)} {toll} people have been killed since the operation started, according to "
        f"{org}, which said the figure was likely to rise. {org2.capitalize()} put the number at "
        f"{rng.choice(QUALIFIERS)} {toll + rng.randrange(0, 20)} as of {rng.choice(WEEKDAYS)}.".strip().capitalize()
    )
    paragraphs.append(
        f"\u201cWe will not stand by while our coast is threatened,\u201d {speaker.split()[-1]} said, \u201cand we "
        f"will answer every provocation with resolve.\u201d The remarks came {rng.randrange(2, 9)} days after "
        f"{other_role} {other} met envoys in {place2}."
    )
    for _ in range(rng.randrange(3, 7)):
        kind = rng.randrange(4)
        if kind == 0:
            paragraphs.append(
                f"{other.split()[-1]} told reporters that talks with {org} would resume in {rng.randrange(2, 10)} "
                f"days, and warned that a stalemate could push the region toward escalation. {org2.capitalize()} "
                f"has called for a ceasefire before {rng.choice(['New Year', 'the end of the month', 'Friday'])}."
            )
        elif kind == 1:
            paragraphs.append(
                f"The {rng.choice(['council', 'ministry', 'navy'])} said {rng.randrange(100, 5000):,} "
                f"{rng.choice(['troops', 'residents', 'workers'])} had been moved from {place} since "
                f"{rng.choice(['Sunday', 'the previous day', 'last week', '3 November'])}, and that aid worth "
                f"${rng.randrange(2, 90)} million had been pledged by {rng.choice(ORGS)}."
            )
        elif kind == 2:
            paragraphs.append(
                f"\u201cThis is not the end of it,\u201d said {rng.choice(FIRST)} {rng.choice(LAST)}, a "
                f"{rng.choice(['fisherman', 'teacher', 'harbour pilot', 'nurse'])} from {place}. \u201cEvery night "
                f"we hear the engines, and every morning there are fewer boats in the water.\u201d"
            )
        else:
            paragraphs.append(
                f"Analysts at {rng.choice(ORGS)} said the blockade had cut traffic through {place2} by "
                f"{rng.randrange(10, 80)} percent over the past {rng.randrange(2, 6)} weeks, with shipping "
                f"insurers raising premiums for the third time this year."
            )
    return {
        "title": f"{speaker.split()[-1]} vows to hold the line as toll near {place2} rises to {toll}",
        "outlet": rng.choice(OUTLETS),
        "published": published.isoformat(),
        "text": "\n\n".join(paragraphs),
        "index": index,
    }


def generate(n: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    start = date(2025, 9, 1)
    for i in range(n):
        yield article(rng, i, start)


def write_corpus(folder: Path, n: int, seed: int = 7) -> int:
    """Write n articles as text files plus a manifest.csv; returns the number of words written."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "title", "outlet", "published"])
        for art in generate(n, seed):
            name = f"article-{art['index']:06d}.txt"
            (folder / name).write_text(art["title"] + "\n\n" + art["text"] + "\n", encoding="utf-8")
            writer.writerow([name, art["title"], art["outlet"], art["published"]])
            words += len(art["text"].split()) + len(art["title"].split())
    return words
