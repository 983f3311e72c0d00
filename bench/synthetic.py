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


# --------------------------------------------------------------------------- many stories (bench/absorb.py)

_ONSETS = ["Bar", "Cor", "Dal", "Esk", "Fen", "Gal", "Hol", "Ister", "Jor", "Kel", "Lam", "Mor", "Nev", "Ost",
           "Pell", "Quar", "Ros", "Sel", "Tam", "Ulm", "Var", "Wen", "Yar", "Zel", "Brin", "Cald"]
_MIDDLES = ["a", "e", "i", "o", "u", "an", "el", "or", "is", "ul", "am", "et"]
_SURNAME_ENDS = ["ando", "ber", "cik", "dottir", "enko", "gard", "hart", "ini", "jak", "kov", "lund", "mark",
                 "nova", "otto", "quist", "rin", "sen", "tova", "uzzi", "vik", "well", "zan"]
_FIRST_ENDS = ["a", "o", "ik", "ene", "as", "ina", "or", "ia", "en", "us"]
_PLACE_ENDS = ["brook", "holm", "mere", "ton", "stead", "wick", "ridge", "haven", "moor", "field", "ness", "bury"]
_ORG_ENDS = ["corp", "tek", "via", "ex", "ium", "ora", "ant", "ix", "ford", "line", "net", "co"]
_STORY_ROLES = ["mayor", "chief inspector", "union leader", "hospital director", "regional governor",
                "company chairman", "lead investigator", "council spokesman", "minister for works", "judge"]
# Kinds of event; each story also draws its own six recurring nouns from _NOUNS and its lead from _LEADS.
_EVENTS = ["the collapse of the {place} footbridge", "the strike at the {place} docks",
           "the flooding along the {place} river", "the disputed vote count in {place}",
           "the fire at the {place} textile mill", "the outbreak of fever in {place}",
           "the trial of the {place} housing fraud", "the rescue at the {place} copper mine",
           "the drought around {place}", "the cyberattack on the {place} hospital network",
           "the derailment near {place}", "the wildfire in the hills above {place}",
           "the {place} pension scandal", "the closure of the {place} steelworks", "the {place} ferry sinking",
           "the landslide at {place}", "the {place} tunnel dispute", "the poisoning of the {place} reservoir",
           "the {place} bank run", "the hunger protest in {place}", "the escape from {place} prison",
           "the {place} stadium crush", "the gas leak under {place}", "the {place} airport shutdown",
           "the earthquake that shook {place}", "the {place} school closures", "the recall of {place} cheese",
           "the kidnapping of the {place} envoy", "the {place} bus drivers' walkout", "the chemical spill at {place}",
           "the {place} harbour blockade", "the heatwave over {place}", "the {place} lottery fraud",
           "the avalanche above {place}", "the {place} tram fare revolt", "the locust swarm near {place}"]
_LEADS = ["said the search would continue through the night", "said the talks had broken down again",
          "promised a full inquiry", "said the worst might be over", "asked for patience from residents",
          "refused to resign", "said emergency funds had been released", "warned of further disruption",
          "announced new restrictions", "said the figures would be revised", "called the response a failure",
          "said help had arrived from neighbouring districts"]
_NOUNS = ["girders", "inspection", "engineers", "cracks", "pickets", "wages", "cranes", "containers", "levees",
          "sandbags", "rainfall", "pumps", "shelters", "ballots", "recount", "precincts", "tallies", "observers",
          "looms", "sprinklers", "firefighters", "warehouse", "fabric", "clinics", "vaccines", "symptoms",
          "wards", "samples", "quarantine", "jurors", "testimony", "ledgers", "prosecutors", "verdict",
          "contracts", "shaft", "drills", "oxygen", "miners", "tunnel", "reservoirs", "rationing", "wells",
          "harvest", "tankers", "irrigation", "servers", "ransom", "backups", "hackers", "passwords", "carriages",
          "signals", "track", "passengers", "brakes", "junction", "embers", "hectares", "helicopters",
          "firebreak", "pensions", "auditors", "furnaces", "smelters", "lifeboats", "hull", "manifests",
          "boulders", "slopes", "ventilation", "permits", "chlorine", "filters", "pipelines", "subsidies",
          "tariffs", "landlords", "tenants", "evictions", "scaffolding", "cranes", "turbines", "generators",
          "blackouts", "ambulances", "dispatchers", "invoices", "bribes", "warrants", "cargo", "silos",
          "grain", "livestock", "vets", "fences", "barracks", "curfews", "checkpoints", "barricades",
          "megaphones", "leaflets", "petitions", "quotas", "trawlers", "nets", "moorings", "sluices", "dams"]
_OUTLETS_MANY = OUTLETS + ["The Evening Lantern", "Ridgeway Gazette", "The Daily Almanac", "Lowland Chronicle"]


def _story_name(rng: random.Random, ends: list[str]) -> str:
    middle = "".join(rng.choice(_MIDDLES) for _ in range(rng.randrange(1, 3)))
    return f"{rng.choice(_ONSETS)}{middle}{rng.choice(ends)}".capitalize()


def _story_person(rng: random.Random) -> tuple[str, str]:
    return f"{_story_name(rng, _FIRST_ENDS)} {_story_name(rng, _SURNAME_ENDS)}", rng.choice(_STORY_ROLES)


def _story_place(rng: random.Random) -> str:
    return _story_name(rng, _PLACE_ENDS)


def _story_cast(rng: random.Random, number: int, first_day: date, size: int) -> dict:
    place, place2 = _story_place(rng), _story_place(rng)
    return {
        "story": number,
        "event": rng.choice(_EVENTS).format(place=place),
        "lead": rng.choice(_LEADS),
        "words": rng.sample(_NOUNS, 6),
        "people": [_story_person(rng) for _ in range(4)],
        "places": [place, place2],
        "orgs": [_story_name(rng, _ORG_ENDS), _story_name(rng, _ORG_ENDS)],
        "start": first_day,
        "days": rng.randrange(6, 45),
        "size": size,
    }


_STORY_PARAGRAPHS = [
    "\u201cWe owe the families of {place} a straight answer about the {w1},\u201d {last1} said. \u201cNobody here "
    "will rest until we have one.\u201d The {r2}, {p2}, said {org} had been warned about the {w2} {n1} months ago.",
    "{org} said {n3} people had been affected so far, and that {n2} {w3} had been counted by {weekday}. {org2} "
    "gave a figure of {n4}.",
    "{p3} told reporters in {place2} that the {w1} and the {w2} would be reviewed by an independent panel.",
    "The {r4}, {p4}, met officials from {org2} on {weekday} and asked for ${n2} million to repair the {w3} around "
    "{place}, saying the {w1} had been neglected for years.",
    "Residents of {place} described long queues at the {w2}. \u201cWe learn more from our neighbours than from "
    "the {r1},\u201d said {bystander}, who lives near {place2}.",
    "According to {org2}, the {w3} near {place2} were inspected twice before {weekday}, and {n2} of them failed.",
    "{last4} denied that {org} had hidden anything. \u201cEvery {w1} is accounted for,\u201d the {r4} insisted.",
    "Volunteers from {place2} brought {w2} and blankets; {bystander} said {n1} lorries had arrived since dawn.",
    "In a letter seen by this newspaper, {p1} urged {org2} to stop blaming {last3} for the state of the {w3}.",
    "{n3} households in {place} signed a petition about the {w1}, which {last2} promised to answer by {weekday}.",
    "Shares in {org} fell {n1} percent after the {r2} admitted the {w2} budget had been cut last spring.",
    "Opposition members called {last1} to a hearing on the {w3}; {last4} is expected to testify as well.",
]


_STORY_LEADS = [
    "{place_upper} \u2014 The {r1}, {p1}, {lead} on {weekday}, on day {day} of {event}, as {org} faced questions "
    "about the {w1}.",
    "{place_upper} \u2014 On day {day} of {event}, {p1}, the {r1}, {lead}, while {org} kept silent about the {w1}.",
    "{place_upper} \u2014 {p1} {lead} on {weekday}. It is day {day} of {event}, and the {w1} remain the main worry.",
]
_STORY_SECONDS = [
    "{last2}, the {r2}, said {n} {w2} had been checked and that {org2} would publish its findings soon.",
    "The {r2}, {p2}, put the number of {w2} at {n}, a figure {org2} has not confirmed.",
    "{org2} has hired {n} extra staff to deal with the {w2}, {last2} said.",
]


def _story_paragraph(rng: random.Random, cast: dict) -> str:
    (p1, r1), (p2, r2), (p3, r3), (p4, r4) = rng.sample(cast["people"], 4)
    w1, w2, w3 = rng.sample(cast["words"], 3)
    fields = {
        "p1": p1, "p2": p2, "p3": p3, "p4": p4, "r1": r1, "r2": r2, "r3": r3, "r4": r4,
        "last1": p1.split()[-1], "last2": p2.split()[-1], "last3": p3.split()[-1], "last4": p4.split()[-1],
        "w1": w1, "w2": w2, "w3": w3, "place": cast["places"][0], "place2": cast["places"][1],
        "org": cast["orgs"][0], "org2": cast["orgs"][1], "weekday": rng.choice(WEEKDAYS),
        "n1": rng.randrange(2, 9), "n2": rng.randrange(2, 90), "n3": f"{rng.randrange(20, 900):,}",
        "n4": f"{rng.randrange(20, 900):,}", "bystander": _story_person(rng)[0],
    }  # fmt: skip
    return rng.choice(_STORY_PARAGRAPHS).format(**fields)


def _story_article(rng: random.Random, cast: dict, index: int) -> dict:
    day = rng.randrange(cast["days"] + 1)
    published = cast["start"] + timedelta(days=day)
    (p1, r1), (p2, r2) = rng.sample(cast["people"], 2)
    place = cast["places"][0]
    w1 = rng.choice(cast["words"])
    fields = {"place": place, "p1": p1, "r1": r1, "p2": p2, "r2": r2, "event": cast["event"], "w1": w1,
              "lead": cast["lead"], "place_upper": place.upper(), "weekday": rng.choice(WEEKDAYS), "day": day + 1, "org": cast["orgs"][0],
              "org2": cast["orgs"][1], "last2": p2.split()[-1], "n": rng.randrange(3, 400), "w2": rng.choice(cast["words"])}
    paragraphs = [rng.choice(_STORY_LEADS).format(**fields), rng.choice(_STORY_SECONDS).format(**fields)]
    paragraphs += [_story_paragraph(rng, cast) for _ in range(rng.randrange(3, 6))]
    return {
        "title": f"{p1.split()[-1]}: {cast['event'][0].upper()}{cast['event'][1:]}, day {day + 1}",
        "outlet": rng.choice(_OUTLETS_MANY),
        "published": published.isoformat(),
        "text": "\n\n".join(paragraphs),
        "index": index,
        "story": cast["story"],
    }


def generate_stories(n: int, seed: int = 7, sizes: tuple[int, int] = (20, 30), days: int = 365) -> list[dict]:
    """``n`` articles about many invented stories, oldest first (publication date, then index).

    Each story has its own four people, two places, two organisations, one kind of event and a date window
    (6 to 44 days) starting somewhere in ``days`` days from 1 January 2025; it gets ``sizes[0]`` to
    ``sizes[1]`` articles (the last story is cut to make ``n``).  ``story`` in each article is its gold story.
    Deterministic for (n, seed, sizes, days)."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    out: list[dict] = []
    number = 0
    while len(out) < n:
        size = min(rng.randint(*sizes), n - len(out))
        cast = _story_cast(rng, number, start + timedelta(days=rng.randrange(days)), size)
        out += [_story_article(rng, cast, len(out) + i) for i in range(size)]
        number += 1
    out.sort(key=lambda a: (a["published"], a["index"]))
    return out


def write_story_files(folder: Path, articles: list[dict]) -> list[Path]:
    """Write articles as Markdown files with front matter (title, outlet, published), which ``watch`` on a
    folder reads with their dates (it skips a folder's manifest); returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for art in articles:
        path = folder / f"article-{art['index']:06d}.md"
        path.write_text(
            f"---\ntitle: {art['title']}\noutlet: {art['outlet']}\npublished: {art['published']}\n---\n\n"
            f"{art['text']}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths
