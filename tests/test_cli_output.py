"""The terminal fits the terminal (issue 14, item 8): below 100 columns a table becomes a list, nothing is cut
mid-word or wider than the console; piped output is plain tab-separated text without escape codes; --json and
--csv print every tabular command's records through one helper; `analyze --no-create` refuses a missing store.

The layout helper is tested on listings of our own; the commands on a real store analysed from fixture
articles written for this file, through the app (CliRunner, the console at a chosen width), in a subprocess
(a pipe) and on a pseudo-terminal (COLUMNS)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from storyline import cli
from storyline.output.terminal import (
    WIDE,
    Column,
    Format,
    Listing,
    Section,
    layout,
    list_lines,
    print_text,
    render,
    to_csv,
    to_tsv,
)

WIDTHS = (60, 80, 99, 100, 140)
BOX = re.compile("[\u2500-\u257f]")  # box drawing
SGR = re.compile(r"\x1b\[([0-9;]*)m")
STORYLINE = [sys.executable, "-m", "storyline.cli"]


# --------------------------------------------------------------------------- the helper, on listings of our own

CLAIM_TEXT = (
    "Harbour pilots guided nine vessels out of the eastern approach on Monday evening, after the ferry had "
    "been secured with two anchors and a line to the breakwater, the pilots' association said."
)
NARROW = Listing(
    (Section("2 boats", (Column("id", no_wrap=True), Column("name"), Column("crew")),
             [{"id": "b-1", "name": "Maren Vale", "crew": "14"}, {"id": "b-2", "name": "Tollan Star", "crew": "9"}]),),
    data=[{"id": "b-1"}, {"id": "b-2"}],
)  # fmt: skip
WIDE_TEXT = Listing(
    (Section("1 claim", (Column("id", no_wrap=True), Column("status", styles={"contested": "red"}),
                         Column("text", "claim (best source's words)"), Column("refs", "sources", machine=False),
                         Column("sources", human=False)),
             [{"id": "c-1", "status": "contested", "text": CLAIM_TEXT, "refs": "[s1], [s2]", "sources": "aa bb"}]),),
    data=[{"id": "c-1"}],
)  # fmt: skip
LONG_WORD = Listing(
    (Section("1 source", (Column("id"), Column("origin")),
             [{"id": "s-1", "origin": "/srv/coverage/" + "harbour-ferry-grounding-" * 4 + "day-three.html"}]),),
)  # fmt: skip
HOSTILE = Listing(
    (Section("odd [bold]title[/]", (Column("id"), Column("title")),
             [{"id": "h-1", "title": "[bold red]alert[/] \x1b[31mred\x1b[0m, \u201cquoted\u201d; tab\there"}]),),
)  # fmt: skip
EMPTY = Listing((Section("0 claims", (Column("id"), Column("text")), []),), data=[])
TWO_SECTIONS = Listing(
    (Section("1 conflict", (Column("id"), Column("sides")), [{"id": "x-1", "sides": "\"14\": [s1]\n\"nine\": [s2]"}],
             name="conflict", lines=True),
     Section("1 flagged error", (Column("id"), Column("why")), [{"id": "err-1", "why": "two sources say nine"}],
             name="error")),
    data={"conflicts": [{"id": "x-1"}], "errors": [{"id": "err-1"}]},
    record_key="record",
)  # fmt: skip
LISTINGS = {"narrow": NARROW, "wide text": WIDE_TEXT, "long word": LONG_WORD, "hostile": HOSTILE, "empty": EMPTY,
            "two sections": TWO_SECTIONS}  # fmt: skip


def console_at(width: int, *, terminal: bool = True, buf: io.StringIO | None = None, **kw) -> Console:
    return cli._SafeConsole(
        file=buf if buf is not None else io.StringIO(), width=width, force_terminal=terminal, color_system=None,
        soft_wrap=True, emoji=False, **kw,
    )  # fmt: skip


def rendered(listing: Listing, width: int, fmt: Format = Format.auto, *, terminal: bool = True) -> str:
    buf = io.StringIO()
    render(listing, console_at(width, terminal=terminal, buf=buf), fmt)
    return buf.getvalue()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shown(value: str, output: str) -> bool:
    """Whether ``value`` is in ``output`` as a reader sees it: within one table column (whose cells run on
    from line to line), or anywhere in a list; line breaks and wrapping ignored."""
    value = squeeze(value)
    if "│" not in output:
        return value in squeeze(output)
    columns: dict[int, list[str]] = {}
    for line in output.splitlines():
        if "│" in line:
            for i, cell in enumerate(line.split("│")[1:-1]):
                columns.setdefault(i, []).append(cell)
    return any(value in squeeze("".join(cells)) for cells in columns.values())


def intact_words(values: list[str], output: str, longest: int = 20) -> list[str]:
    """The words (up to ``longest`` characters) of ``values`` that ``output`` cuts: each must be a token."""
    tokens = set(re.split(r"[\s│┃]+", output))
    return [w for v in values for w in v.split() if len(w) <= longest and w not in tokens]


def check_fits(output: str, width: int, values: list[str]) -> None:
    lines = output.splitlines()
    assert lines, "nothing printed"
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, too_wide
    missing = [v for v in values if v.strip() and not shown(v, output)]
    assert not missing, (missing, output)
    assert not intact_words(values, output), (intact_words(values, output), output)
    assert "\x1b" not in output
    if width < WIDE:
        assert not BOX.search(output), output  # a list below 100 columns


def human_values(listing: Listing) -> list[str]:
    return [
        printable_plain(str(row.get(c.key, "")))
        for s in listing.sections
        for row in s.rows
        for c in s.columns
        if c.human
    ]


def printable_plain(value: str) -> str:
    from storyline.text import printable

    return printable(value, lines=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_fits_every_width_with_every_value(name: str, width: int) -> None:
    listing = LISTINGS[name]
    output = rendered(listing, width)
    values = [v for v in human_values(listing) if "\\x1b" not in v and "\t" not in v]
    if name == "long word":  # a word longer than a line may be cut, but only it, and nothing is lost
        values = [v for v in values if not v.startswith("/srv/")]
        assert squeeze(LONG_WORD.sections[0].rows[0]["origin"]) in squeeze(output)
    check_fits(output, width, values)


@pytest.mark.parametrize(
    ("name", "width", "expected"),
    [
        ("narrow", 60, "list"), ("narrow", 80, "list"), ("narrow", 99, "list"), ("narrow", 100, "table"),
        ("narrow", 140, "table"), ("wide text", 99, "list"), ("wide text", 100, "table"),
        ("long word", 100, "list"),  # the 110-character path would be cut in a table: a list instead
        ("long word", 140, "table"), ("two sections", 100, "table"), ("empty", 80, "list"), ("empty", 100, "table"),
    ],
)  # fmt: skip
def test_a_table_only_when_it_fits_without_cutting_a_word(name: str, width: int, expected: str) -> None:
    output = rendered(LISTINGS[name], width)
    assert ("table" if BOX.search(output) else "list") == expected, output


@pytest.mark.parametrize(
    ("width", "terminal", "fmt", "expected"),
    [
        (80, True, Format.auto, "list"), (99, True, Format.auto, "list"), (100, True, Format.auto, "table"),
        (140, False, Format.auto, "plain"), (140, True, Format.plain, "plain"), (60, True, Format.csv, "csv"),
        (60, False, Format.json, "json"),
    ],
)  # fmt: skip
def test_layout_follows_width_terminal_and_flags(width: int, terminal: bool, fmt: Format, expected: str) -> None:
    assert layout(console_at(width, terminal=terminal), fmt) == expected


def test_the_list_puts_each_record_in_a_block_of_labelled_lines() -> None:
    lines = [line.plain.rstrip() for line in list_lines(WIDE_TEXT.sections[0], 60)]
    assert lines[:5] == ["1 claim", "", "id:      c-1", "status:  contested", "claim (best source's words):"]
    assert lines[-1] == "sources: [s1], [s2]"
    assert all(line.startswith("    ") for line in lines[5:-1]) and max(map(len, lines)) <= 60


@pytest.mark.parametrize(
    ("listing", "header", "rows"),
    [
        (NARROW, ["id", "name", "crew"], [["b-1", "Maren Vale", "14"], ["b-2", "Tollan Star", "9"]]),
        (WIDE_TEXT, ["id", "status", "text", "sources"], [["c-1", "contested", CLAIM_TEXT, "aa bb"]]),
        (TWO_SECTIONS, ["record", "id", "sides", "why"],
         [["conflict", "x-1", "\"14\": [s1]\n\"nine\": [s2]", ""], ["error", "err-1", "", "two sources say nine"]]),
        (HOSTILE, ["id", "title"], [["h-1", "[bold red]alert[/] \\x1b[31mred\\x1b[0m, \u201cquoted\u201d; tab\there"]]),
        (EMPTY, ["id", "text"], []),
    ],
)  # fmt: skip
def test_csv_round_trips_and_plain_is_one_record_a_line(listing: Listing, header: list[str], rows: list) -> None:
    parsed = list(csv.reader(io.StringIO(to_csv(listing))))
    assert parsed == [header, *rows]
    plain = to_tsv(listing).splitlines()
    assert [line.split("\t") for line in plain] == [header, *([_one_line(v) for v in r] for r in rows)]
    assert "\x1b" not in to_csv(listing) + to_tsv(listing)


def _one_line(value: str) -> str:
    return "; ".join(" ".join(p.split()) for p in value.splitlines() if p.strip())


@pytest.mark.parametrize("width", (60, 140))
def test_markup_and_escape_codes_in_values_print_as_themselves(width: int) -> None:
    output = rendered(HOSTILE, width)
    assert "[bold red]alert[/]" in output and "\\x1b[31mred" in output and "\x1b" not in output
    assert "odd [bold]title[/]" in output


@pytest.mark.parametrize(
    ("width", "first", "rest"),
    [(60, " • ", "   "), (80, " • ", "   "), (99, "", ""), (140, " [s1] ", "      ")],
)
def test_running_text_wraps_at_words_with_a_hanging_indent(width: int, first: str, rest: str) -> None:
    buf = io.StringIO()
    text = Text(CLAIM_TEXT + " " + CLAIM_TEXT)
    print_text(console_at(width, buf=buf), text, first=first, rest=rest)
    lines = buf.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= width for line in lines)
    assert lines[0].startswith(first) and all(line.startswith(rest) for line in lines[1:])
    assert " ".join(line.strip() for line in lines).replace(first.strip(), "", 1).strip() == text.plain
    piped = io.StringIO()
    print_text(console_at(width, terminal=False, buf=piped), text, first=first)
    assert piped.getvalue() == first + text.plain + "\n"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((False, False, False), Format.auto), ((True, False, False), Format.json), ((False, True, False), Format.csv),
        ((False, False, True), Format.plain), ((True, True, False), None), ((True, False, True), None),
    ],
)  # fmt: skip
def test_at_most_one_output_format(flags: tuple[bool, bool, bool], expected: Format | None) -> None:
    if expected is None:
        with pytest.raises(typer.Exit) as raised:
            cli._format(*flags)
        assert raised.value.exit_code == cli.EXIT_USAGE
    else:
        assert cli._format(*flags) is expected


# --------------------------------------------------------------------------- the commands, on a real store

ARTICLES = {
    "ledger.txt": ("The Quayside Ledger, Tollan", "2026-03-02", "Ferry grounded off Tollan Point",
        "TOLLAN POINT — The passenger ferry Maren Vale ran aground off Tollan Point on Sunday night, the coast "
        "guard said. All 212 passengers were taken off by lifeboats, and no one was hurt, according to the coast "
        "guard. The harbour office closed the eastern approach on Monday.\n\n"
        "\u201cThe hull is sound, but the tide is against us,\u201d said Odile Farrant, the harbour master.\n\n"
        "Harbour pilots guided 14 vessels out of the harbour on Monday, the pilots said.\n"),
    "courier.txt": ("Westmarch Courier", "2026-03-03", "Maren Vale passengers safe after grounding",
        "TOLLAN POINT — All 212 passengers of the ferry Maren Vale were taken off by lifeboats after the ship ran "
        "aground off Tollan Point on Sunday night, the coast guard said. The harbour office closed the eastern "
        "approach on Monday, harbour master Odile Farrant said.\n\n"
        "Harbour pilots guided nine vessels out of the harbour on Monday, the pilots said. Salvage tugs from "
        "Brennick are expected on Wednesday.\n"),
    "gazette.txt": ("Brennick Gazette", "2026-03-04", "Tugs sail for the stranded Maren Vale — day three",
        "BRENNICK — Two salvage tugs left Brennick on Tuesday for Tollan Point, where the ferry Maren Vale ran "
        "aground on Sunday night. The coast guard said all 212 passengers had been taken off by lifeboats.\n\n"
        "\u201cWe will have her off the rocks by Friday,\u201d said Casper Linde, the salvage master. Harbour "
        "pilots guided nine vessels out of the harbour on Monday. The harbour office closed the eastern approach "
        "on Monday.\n"),
}  # fmt: skip


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    from storyline.pipeline import analyze
    from storyline.reader.stories import save_story
    from storyline.store import Store

    folder = tmp_path_factory.mktemp("cli-output")
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "outlet", "published", "title"])
        for name, (outlet, published, title, text) in ARTICLES.items():
            (folder / name).write_text(text, encoding="utf-8")
            writer.writerow([name, outlet, published, title])
    db = folder / "story.db"
    with Store(db) as store:
        result = analyze([str(folder)], store, workers=1, embeddings=False)
        save_story(store, result.dossier, result.article_ids)
    return db


def command(name: str, db: Path) -> list[str]:
    folder = db.parent
    return {
        "sources": ["sources", "--db", str(db)],
        "stories": ["stories", "--db", str(db)],
        "claims": ["claims", "--db", str(db), "--limit", "0"],
        "conflicts": ["conflicts", "--db", str(db)],
        "brief": ["brief", "--db", str(db)],
        "extract": ["extract", "quotes", str(folder / "ledger.txt"), "--published", "2026-03-02"],
    }[name]


COMMANDS = ("sources", "stories", "claims", "conflicts", "brief", "extract")


def invoke(args: list[str], monkeypatch, width: int = 100, *, terminal: bool = True) -> tuple[int, str]:
    buf = io.StringIO()
    monkeypatch.setattr(cli, "out", console_at(width, terminal=terminal, buf=buf))
    result = CliRunner().invoke(cli.app, args, catch_exceptions=False)
    return result.exit_code, buf.getvalue()


def json_of(name: str, db: Path, monkeypatch) -> object:
    code, output = invoke([*command(name, db), "--json"], monkeypatch)
    assert code == 0, output
    return json.loads(output)


def expected_values(name: str, data) -> list[str]:
    """What a reader must find in the human output of ``name``, from its JSON."""
    if name == "sources":
        return [v for r in data for v in (r["id"], r["title"], r["outlet"], r["published"], r["origin"])]
    if name == "stories":
        return [v for r in data for v in (r["id"], r["title"], r["first"], r["last"])]
    if name == "claims":
        return [v for c in data for v in (c["id"], c["status"], c["text"])]
    if name == "conflicts":
        sides = [s["value"] for x in data["conflicts"] for s in x["sides"]]
        return [v for x in data["conflicts"] for v in (x["id"], x["about"], x["explanation"])] + sides + [
            v for e in data["errors"] for v in (e["id"], e["text"], e["correction"], e["why"])
        ]
    if name == "brief":
        return [data["headline"]] + [s["text"] for sec in data["sections"] for s in sec["sentences"]] + [
            sec["title"] for sec in data["sections"]
        ]
    return [q["content"]["text"] for item in data for q in item["quotes"]] + [
        q["speaker"]["text"] for item in data for q in item["quotes"] if q["speaker"]
    ]


def machine_ids(name: str, data) -> list[str]:
    """The records of ``name``'s JSON, in order, as its CSV identifies them."""
    if name in ("sources", "stories", "claims"):
        return [r["id"] for r in data]
    if name == "conflicts":
        return [x["id"] for x in data["conflicts"]] + [e["id"] for e in data["errors"]]
    if name == "brief":
        return [s["key"] for sec in data["sections"] for s in sec["sentences"]]
    return [q["content"]["text"] for item in data for q in item["quotes"]]


CSV_ID = {"extract": "quote", "brief": "key"}


@pytest.mark.slow
def test_the_fixture_story_has_every_kind_of_record(store_db: Path, monkeypatch) -> None:
    data = {name: json_of(name, store_db, monkeypatch) for name in COMMANDS}
    assert len(data["sources"]) == 3 and len(data["stories"]) == 1
    assert data["conflicts"]["conflicts"] and data["conflicts"]["errors"] and len(data["claims"]) > 3
    assert data["extract"][0]["quotes"] and data["brief"]["sections"]


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_fits_every_width_with_every_value(store_db: Path, monkeypatch, name: str, width: int) -> None:
    values = expected_values(name, json_of(name, store_db, monkeypatch))
    code, output = invoke(command(name, store_db), monkeypatch, width)
    assert code == 0, output
    origins = [v for v in values if v.startswith("/")]  # temp paths: one word, may be longer than a line
    for origin in origins:
        assert squeeze(origin) in squeeze(output)
    check_fits(output, width, [v for v in values if v not in origins])


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_csv_plain_and_json_hold_the_same_records(store_db: Path, monkeypatch, name: str) -> None:
    data = json_of(name, store_db, monkeypatch)
    code, text = invoke([*command(name, store_db), "--csv"], monkeypatch)
    assert code == 0
    header, *rows = list(csv.reader(io.StringIO(text)))
    records = [dict(zip(header, r, strict=True)) for r in rows]
    assert [r[CSV_ID.get(name, "id")] for r in records] == machine_ids(name, data)
    code, plain = invoke([*command(name, store_db), "--plain"], monkeypatch)
    assert code == 0 and "\x1b" not in plain and not BOX.search(plain)
    if name == "brief":  # a briefing is running text: plain is one sentence a line, not a table
        lines = plain.splitlines()
        assert lines[0] == data["top"]["headline"]["text"] and "\t" not in plain  # the top of the story leads
        assert all(any(r["text"] in line for line in lines) for r in records)
        return
    assert [line.split("\t") for line in plain.splitlines()] == [header, *([_one_line(v) for v in r] for r in rows)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("conflicts", "record", ["conflict", "error"]),
        ("claims", "status", ["contested", "corroborated", "single-source"]),
        ("sources", "outlet", ["Brennick Gazette", "The Quayside Ledger, Tollan", "Westmarch Courier"]),
        ("extract", "speaker", ["?", "Odile Farrant"]),
    ],
)
def test_csv_columns_carry_the_values(store_db: Path, monkeypatch, name: str, column: str, expected: list) -> None:
    code, text = invoke([*command(name, store_db), "--csv"], monkeypatch)
    assert code == 0
    assert sorted({row[column] for row in csv.DictReader(io.StringIO(text))}) == expected


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "STORYLINE_DB": "/nonexistent-dir-should-not-be-used/x.db", **(env or {})}
    full.pop("FORCE_COLOR", None)
    return subprocess.run([*STORYLINE, *args], capture_output=True, text=True, env=full, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_piped_output_is_the_plain_output(store_db: Path, name: str) -> None:
    piped = run_cli(*command(name, store_db), env={"COLUMNS": "60"})
    plain = run_cli(*command(name, store_db), "--plain")
    assert piped.returncode == plain.returncode == 0, piped.stderr
    assert piped.stdout == plain.stdout and piped.stdout.strip()
    assert "\x1b" not in piped.stdout + piped.stderr and not BOX.search(piped.stdout)


def on_terminal(args: list[str], columns: int, **env: str) -> str:
    """What the command prints on a pseudo-terminal COLUMNS wide."""
    master, slave = pty.openpty()
    full = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm-256color", **env}
    for name in ("FORCE_COLOR", "NO_COLOR"):
        if name not in env:
            full.pop(name, None)
    proc = subprocess.Popen([*STORYLINE, *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=full)
    os.close(slave)
    chunks = []
    while select.select([master], [], [], 120)[0]:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("columns", "env", "layout_seen", "colour"),
    [
        (80, {}, "list", True),
        (140, {}, "table", True),
        (80, {"NO_COLOR": "1"}, "list", False),
        (140, {"NO_COLOR": "1"}, "table", False),
    ],
)  # fmt: skip
def test_on_a_terminal_claims_fit_columns_and_honour_no_color(
    store_db: Path, columns: int, env: dict, layout_seen: str, colour: bool
) -> None:
    output = on_terminal(["claims", "--db", str(store_db), "--status", "contested"], columns, **env)
    params = [p for m in SGR.finditer(output) for p in m.group(1).split(";")]
    assert any(p.startswith(("3", "9")) and p not in ("3",) for p in params) is colour, repr(output[:300])
    visible = SGR.sub("", output)
    assert all(len(line) <= columns for line in visible.splitlines()), visible
    assert ("table" if BOX.search(visible) else "list") == layout_seen, visible
    assert "contested" in visible


@pytest.mark.slow
def test_analyze_no_create_refuses_a_missing_store_and_analyze_creates_one(store_db: Path, tmp_path: Path) -> None:
    article = str(store_db.parent / "ledger.txt")
    missing = tmp_path / "mistyped.db"
    refused = run_cli("analyze", article, "--db", str(missing), "--no-create", "-q", "--no-crosscheck")
    assert refused.returncode == 4 and f"no store at {missing}" in refused.stderr and not missing.exists()
    made = run_cli("analyze", article, "--db", str(missing), "-q", "--no-crosscheck", "--workers", "1")
    assert made.returncode == 0 and missing.exists(), made.stderr
    again = run_cli("analyze", article, "--db", str(missing), "--no-create", "-q", "--no-crosscheck")
    assert again.returncode == 0 and "(0 new, 1 already stored)" in again.stdout


def test_version_json() -> None:
    proc = run_cli("version", "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert set(data) == {"storyline", "spacy_model"} and data["storyline"] == cli.__version__


def test_two_formats_at_once_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("claims", "--json", "--csv", "--dossier", str(tmp_path / "none.json"))
    assert proc.returncode == 2  # the missing --dossier file or the two formats: a usage error either way
    both = run_cli("version", "--json", "--csv")
    assert both.returncode == 2 and "--csv" in both.stderr


HELP = [
    [], ["analyze"], ["extract"], ["sources"], ["conflicts"], ["claims"], ["brief"], ["stories"],
    ["stories", "rename"], ["version"], ["ask"], ["serve"], ["problems"],
]  # fmt: skip
MINE = {"analyze", "extract", "sources", "conflicts", "claims", "brief", "stories", "version"}


@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a) or "storyline")
def test_help_fits_80_columns_and_explains_every_option(args: list[str]) -> None:
    proc = run_cli(*args, "--help", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines) and not BOX.search(proc.stdout) and "\x1b" not in proc.stdout
    if not args or args[0] not in MINE:
        return
    lines = lines[lines.index("Options:") + 1 :]
    unexplained = [
        line for i, line in enumerate(lines)
        if re.match(r"  -", line) and not re.search(r"\S\s{2,}\S", line.strip())
        and not (i + 1 < len(lines) and re.match(r"\s{10,}\S", lines[i + 1]))
    ]  # fmt: skip
    assert not unexplained, unexplained


@pytest.mark.parametrize(
    ("args", "default"),
    [
        (["claims"], "[default: 50"), (["brief"], "[default: 8"), (["analyze"], "[default: 20.0"),
        (["analyze"], "[default: create]"), (["sources"], "--csv"), (["stories"], "--plain"),
    ],
)  # fmt: skip
def test_help_shows_defaults_and_formats(args: list[str], default: str) -> None:
    proc = run_cli(*args, "--help", env={"COLUMNS": "80"})
    assert default in " ".join(proc.stdout.split()).replace("[default: 50;", "[default: 50")
