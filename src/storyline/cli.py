"""The `storyline` command: a thin layer over the Python API.

Exit codes: 0 everything analysed; 1 partial (some inputs could not be used, the
rest were); 2 usage error; 3 nothing could be analysed; 4 storyline error (store,
model, schema, a store that does not exist); 5 storyline crashed (a bug: one line
on the terminal, the details in a crash report file); 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from storyline import __version__
from storyline.errors import StorylineError
from storyline.output.terminal import Column, Format, Listing, Section, render
from storyline.reader.names import outlet_name
from storyline.reader.wording import plural
from storyline.text import printable

if TYPE_CHECKING:  # pragma: no cover
    from storyline.store import Store

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING, EXIT_ERROR, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130

app = typer.Typer(
    name="storyline",
    help=(
        "Read many news articles about one story and say what is actually known: events by date, who said "
        "what, figures, every item cited to the exact characters of its source.\n\n"
        "Exit codes: 0 ok; 1 partial (some inputs failed, the rest ran); 2 usage error; "
        "3 nothing could be analysed; 4 storyline error (store, model, schema); 5 storyline crashed (a bug; "
        "the details go to a crash report file); 130 interrupted."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


class _SafeConsole(Console):
    """A console on which every string prints as itself: control characters, terminal escape codes,
    bidirectional overrides and undecodable bytes in file names, titles or outlets are shown as visible
    escapes (``\\x1b``), never acted on.  Console markup is only ever in our own strings: every value from
    an input goes through ``escape`` or is printed with ``markup=False``."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        return super().render_str(printable(text, lines=True), **kwargs)


out = _SafeConsole(soft_wrap=True, emoji=False)  # ":warning:" in a file name is not an emoji code
err = _SafeConsole(stderr=True, soft_wrap=True, emoji=False)


def _say(console: Console, line: str) -> None:
    """Print one line of plain text (no console markup) as it is: on a terminal wrapped at words to its
    width, elsewhere on one line."""
    from rich.text import Text

    from storyline.output.terminal import print_text

    print_text(console, Text(printable(line, lines=True)))

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store to use: a SQLite file or a postgresql:// URL (default: $STORYLINE_DB, else storyline.db in "
        "your user data directory).",
        metavar="PATH|URL",
    ),
]


def _open_store(db: str | Path | None, *, create: bool = False):
    """The store at ``db`` (default: $STORYLINE_DB, else the user's data directory).  Only ``analyze`` creates
    one (unless --no-create); every other command refuses a store that does not exist (a mistyped --db)."""
    from storyline.errors import StoreError
    from storyline.store import Store, default_db, is_url

    if is_url(target := db if db is not None else default_db()):
        return Store(target)  # the database must exist; the schema is created on first open
    path = Path(target)
    if not create and str(path) != ":memory:" and not path.exists():
        raise StoreError(f"no store at {path} (a mistyped --db? `storyline analyze ... --db {path}` creates one)")
    return Store(path)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (machine output: ids included).")]
CsvOption = Annotated[
    bool, typer.Option("--csv", help="Print CSV: a header row, then one record a line (UTF-8, quoted where needed).")
]
PlainOption = Annotated[
    bool,
    typer.Option(
        "--plain",
        help="Print tab-separated text with a header row: no colour, no box drawing (the default when the "
        "output is not a terminal).",
    ),
]


def _format(as_json: bool = False, as_csv: bool = False, plain: bool = False) -> Format:
    """The output format asked for by --json / --csv / --plain (at most one; none: a table or list on a
    terminal, tab-separated text when piped)."""
    asked = [f for f, on in ((Format.json, as_json), (Format.csv, as_csv), (Format.plain, plain)) if on]
    if len(asked) > 1:
        _say(err, "error: use one of --json, --csv, --plain")
        raise typer.Exit(EXIT_USAGE)
    return asked[0] if asked else Format.auto


def _emit(listing: Listing, fmt: Format) -> None:
    """Print a command's listing in ``fmt``: the one output helper of every tabular or record command."""
    render(listing, out, fmt)


def _emit_json(data: object) -> None:
    """Print ``data`` as indented UTF-8 JSON on stdout (every --json output)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _emit_records(rows: Sequence[Any]) -> None:
    """Print frozen records (sources, stories, problem reports) as a JSON list."""
    from storyline.store.codec import to_dict

    _emit_json([to_dict(r) for r in rows])


def _stored_rows(db: str | Path | None, fetch: Callable[[Store], list[Any]]) -> tuple[list[Any], Path]:
    """What ``fetch`` reads from the store, and the store's path; a store error exits with its message."""
    try:
        with _open_store(db) as store:
            return fetch(store), store.path
    except StorylineError as exc:
        raise _fatal(exc) from exc


def _fatal(exc: StorylineError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
    return typer.Exit(EXIT_ERROR)


@app.command(short_help="Analyse articles into the store; -o writes the reports.")
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Article files, folders (read recursively) and http(s) URLs, in any mix.",
            show_default=False,
            metavar="PATH",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="DIR", help="Folder for dossier.json, report.md and report.html.", file_okay=False
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            metavar="FILE",
            help="CSV/JSONL with columns path (relative to the manifest) or url, and any of title, outlet, "
            "published. A manifest.csv/manifest.jsonl inside an input folder is used automatically.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    db: DbOption = None,
    create: Annotated[
        bool,
        typer.Option(
            "--create/--no-create",
            help="Create the store when it does not exist yet; --no-create refuses a missing store (exit code 4), "
            "so a mistyped --db in a script is an error, not a new empty store. Other commands never create one.",
        ),
    ] = True,
    title: Annotated[
        str | None,
        typer.Option(
            metavar="TITLE",
            help="Story title of your own, kept when the story is re-analysed (default: the headline of the most "
            "recent well-scored article, never a section label).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(metavar="N", help="Worker processes for parsing (default: one per core, at most 8).", min=1),
    ] = None,
    max_mb: Annotated[
        float, typer.Option("--max-mb", metavar="MB", help="Largest input accepted, in MB.", min=0.001)
    ] = 20.0,
    timeout: Annotated[
        float,
        typer.Option(
            metavar="SECONDS", help="Seconds one URL may take in all: connecting, headers and body together.", min=0.1
        ),
    ] = 30.0,
    time_budget: Annotated[
        float,
        typer.Option(
            "--time-budget",
            metavar="SECONDS",
            help="Seconds one article's parsing and extraction may take; a slower article is skipped with a "
            "reason and the run goes on (0: no limit). Articles over 2,000,000 characters of text are refused.",
            min=0,
        ),
    ] = 120.0,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="Let a manifest name files outside its own folder, and follow symlinks out of an input folder "
            "(refused by default: a manifest could otherwise pull in any file you can read).",
        ),
    ] = False,
    any_language: Annotated[
        bool, typer.Option("--any-language", help="Do not reject articles that do not look English.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    crosscheck: Annotated[
        bool,
        typer.Option(
            "--crosscheck/--no-crosscheck",
            help="Compare the sources: claims, independent corroboration, conflicts, flagged errors, running "
            "figures, offices and source quality.",
        ),
    ] = True,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings/--no-embeddings",
            help="Use sentence embeddings when grouping claims and finding rewrites (slower; lexical only "
            "without).",
        ),
    ] = True,
    story: Annotated[
        str | None,
        typer.Option(
            "--story",
            metavar="ID",
            help="Save the result as this story id in the store (default: the stored story these articles "
            "continue, else a slug of the title). Analysing again under the same id replaces the story and keeps "
            "its problem reports.",
        ),
    ] = None,
    split_stories: Annotated[
        bool,
        typer.Option(
            "--split-stories",
            help="The inputs are a mixed pile: group them by story first and save each group as its own "
            "story (reports in OUTDIR/<story>/).",
        ),
    ] = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            envvar="STORYLINE_CLUSTER",
            show_envvar=True,
            help="Run parsing and extraction on this Dask scheduler (tcp://host:8786, or its scheduler file) "
            "instead of local worker processes; each worker needs storyline and its model installed (see "
            "README, 'Running on a Dask cluster').",
        ),
    ] = None,
) -> None:
    """Analyse articles into the store and (with -o) write the cited dossier and reports.

    Articles already in the store are reused, so a re-run after a failure picks up where it left off.
    Every input that cannot be used gets one line naming it and the reason; the rest still run.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from storyline.pipeline import analyze as run_analyze

    if split_stories and story:
        err.print("[bold red]error:[/] --story names one story; it cannot be used with --split-stories", markup=True)
        raise typer.Exit(EXIT_USAGE)

    counts = {"article": 0, "failure": 0}
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,  # no progress display on a pipe or a file
    ) as progress:
        task = progress.add_task("analysing", total=None, detail="")

        def on_event(event: str, detail: str) -> None:
            if event == "failure":
                counts["failure"] += 1
                progress.console.print(f"[yellow]skipped[/] {escape(detail)}", markup=True, highlight=False)
            elif event == "article":
                counts["article"] += 1
            elif event == "stage":
                progress.update(task, description=detail)
            progress.update(
                task, detail=f"{counts['article']} articles, {counts['failure']} failed", advance=1
            )

        try:
            with _open_store(db, create=create) as store:
                result = run_analyze(
                    paths,
                    store,
                    manifest=str(manifest) if manifest else None,
                    outdir=output,
                    title=title,
                    workers=workers,
                    max_bytes=int(max_mb * 1024 * 1024),
                    timeout=timeout,
                    require_english=not any_language,
                    allow_outside=allow_outside,
                    time_budget=time_budget or None,
                    progress=on_event,
                    crosscheck=crosscheck,
                    embeddings=embeddings,
                    split_stories=split_stories,
                    cluster=cluster or None,
                )
                store_path = store.path
                story_id = None
                from storyline.reader.stories import save_stories

                saved = save_stories(store, result.stories)
                if result.dossier is not None:
                    from storyline.reader.stories import save_story

                    progress.update(task, description="saving the story and its briefing")
                    try:
                        story_id = save_story(
                            store, result.dossier, result.article_ids, story_id=story, title_locked=title is not None
                        )
                    except ValueError as exc:
                        err.print(f"[bold red]error:[/] --story: {escape(str(exc))}", markup=True)
                        raise typer.Exit(EXIT_USAGE) from exc
        except StorylineError as exc:
            raise _fatal(exc) from exc
    dossier = result.dossier or {}
    if result.stories:  # split into several stories: the totals over all of them
        dossier = {k: [x for _ids, d in result.stories for x in d.get(k, [])] for k in ("events", "quotes", "figures")}
        dossier["entities"] = list({e["id"]: e for _ids, d in result.stories for e in d.get("entities", [])})
    dups = f", {plural(result.duplicates, 'duplicate')}" if result.duplicates else ""
    _say(
        out,
        f"analysed {plural(len(result.article_ids), 'article')} ({result.processed} new, {result.reused} already "
        f"stored{dups}), "
        f"{len(result.failures)} failed; {plural(len(dossier.get('events', [])), 'event')}, "
        f"{plural(len(dossier.get('quotes', [])), 'quote')}, {plural(len(dossier.get('figures', [])), 'figure')}, "
        f"{plural(len(dossier.get('entities', [])), 'entity')}",
    )
    if dossier.get("claims") or dossier.get("quality"):

        claims = dossier.get("claims", [])
        status = {k: sum(1 for c in claims if c["status"] == k) for k in ("corroborated", "single-source", "contested")}
        from storyline.output.report import told_events

        told = told_events(dossier)
        _say(
            out,
            f"cross-checked: {len(claims)} claims ({status['corroborated']} corroborated, {status['contested']} "
            f"contested, {status['single-source']} single-source), {plural(len(dossier.get('conflicts', [])), 'conflict')}, "
            f"{plural(len(dossier.get('errors', [])), 'flagged error')}, "
            f"{plural(len(dossier.get('series', [])), 'running figure')}, "
            f"{plural(len(dossier.get('independence', {}).get('groups', [])), 'copy group')}, "
            f"{plural(told, 'event')} told by several sources",
        )
    _say(out, f"store: {store_path}")
    if story_id:
        _say(out, f"story: {story_id} (read it: storyline brief --story {story_id}; storyline serve)")
    if saved:
        _say(out, f"grouped into {plural(len(saved), 'story')}:")
        for sid, n in saved:
            _say(out, f"  {sid} ({plural(n, 'article')})")
    for name, path in sorted(result.outputs.items()):
        _say(out, f"{name}: {path}")
    if result.status == "failed":
        raise typer.Exit(EXIT_NOTHING)
    if result.status == "partial":
        raise typer.Exit(EXIT_PARTIAL)


class Stage(StrEnum):
    entities = "entities"
    dates = "dates"
    quotes = "quotes"
    figures = "figures"
    events = "events"


def _records_with_citations(clean, records) -> list[dict]:
    from storyline.records import Span
    from storyline.store.codec import to_dict

    rows = []
    for record in records:
        row = to_dict(record)
        cites = {}
        for name in getattr(record, "__dataclass_fields__", {}):
            value = getattr(record, name)
            if isinstance(value, Span):
                cites[name] = to_dict(clean.cite_span(value))
            elif isinstance(value, tuple) and value and all(isinstance(v, Span) for v in value):
                cites[name] = [to_dict(clean.cite_span(v)) for v in value]
        row["citations"] = cites
        rows.append(row)
    return rows


_STAGE_FIELD = {"entities": "mentions", "dates": "dates", "quotes": "quotes", "figures": "figures", "events": "events"}


@app.command(short_help="Show what one extraction stage finds in one input.")
def extract(
    stage: Annotated[
        Stage,
        typer.Argument(metavar="STAGE", help="Which extraction stage to run: entities, dates, quotes, figures or "
                       "events."),
    ],
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="One article file (or URL, or JSONL/CSV/feed of several).")
    ],
    published: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Publication date (ISO, e.g. 2025-11-24) to resolve relative dates "
                     "against."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records with citations.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV: one row per record, the article's id in `source`.")
    ] = False,
    plain: PlainOption = False,
    any_language: Annotated[bool, typer.Option("--any-language", help="Accept non-English text.")] = False,
) -> None:
    """Run one extraction stage on one input and show what it finds, for inspection.

    Offsets in `span` fields are into the cleaned text; `citations` point into the original text.
    """
    from storyline.pipeline import extract_file

    fmt = _format(as_json, as_csv, plain)
    try:
        items, failures = extract_file(file, stage.value, published=published, require_english=not any_language)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    for failure in failures:
        err.print(f"skipped {failure.message}", markup=False, highlight=False)
    field = _STAGE_FIELD[stage.value]
    payload = [
        {
            "source": clean.article.id,
            "origin": clean.article.origin,
            "published": clean.article.published,
            stage.value: _records_with_citations(clean, getattr(extraction, field)),
        }
        for clean, extraction in items
    ] if fmt is Format.json else None  # fmt: skip
    sections = tuple(_stage_section(stage.value, clean, getattr(extraction, field)) for clean, extraction in items)
    _emit(Listing(sections, data=payload), fmt)
    if not items:
        raise typer.Exit(EXIT_NOTHING)
    if failures:
        raise typer.Exit(EXIT_PARTIAL)


def _stage_section(stage: str, clean, records) -> Section:
    """One article's records of one stage; CSV and plain output add the article's id as `source`."""
    a = clean.article
    if stage == "entities":
        cols = ("text", "label", "key", "role", "kind")
        rows = [(r.span.text, r.label, r.key, r.role or "", r.kind) for r in records]
    elif stage == "dates":
        cols = ("text", "type", "value", "precision")
        rows = [(r.span.text, r.type, r.value, r.precision) for r in records]
    elif stage == "quotes":
        cols = ("speaker", "as written", "cue", "kind", "said on", "quote")
        rows = [
            (r.speaker_key or "?", r.speaker.text if r.speaker else "", r.cue.text if r.cue else "", r.kind,
             r.said_on or "", r.content.text)
            for r in records
        ]
    elif stage == "figures":
        cols = ("figure", "value", "qualifier", "unit", "counts", "as of")
        rows = [
            (r.span.text, f"{r.value:g}" + (f"-{r.value_high:g}" if r.value_high else ""), r.qualifier or "",
             r.unit or "", r.counts or "", r.as_of or "")
            for r in records
        ]
    else:
        cols = ("when", "actor", "action", "target", "where", "sentence")
        rows = [
            (r.when or "", r.actor or "", ("not " if r.negated else "") + r.action, r.target or "", r.where or "",
             r.sentence.text)
            for r in records
        ]
    columns = (Column("source", human=False), *(Column(c.replace(" ", "_"), c) for c in cols))
    table = [{"source": a.id, **{c.key: str(v) for c, v in zip(columns[1:], row, strict=True)}} for row in rows]
    return Section(f"{stage} in {a.origin} (published {a.published or 'unknown'})", columns, table)


@app.command(short_help="List the articles in the store, or search them (--search).")
def sources(
    db: DbOption = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-q", metavar="WORDS", help="Only the articles holding any of these words, best "
                     "first, each with its best-matching sentence (the store's full-text index)."),
    ] = None,
    story: Annotated[
        str | None, typer.Option("--story", "-s", metavar="ID", help="With --search: only this story's articles.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="With --search: at most this many.")] = 20,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    plain: PlainOption = False,
) -> None:
    """List the articles in the store: id, date (and how it was found), outlet, title, words, furniture
    (lines of site furniture removed) and where each came from.  With --search, the articles that hold the
    words (any of them; word forms and accents do not matter), ranked by the database's full-text ranking of
    their best sentence, which is quoted with its place in the source."""
    fmt = _format(as_json, as_csv, plain)
    if search is not None:
        _search_sources(db, search, story, limit, fmt)
        return
    rows, path = _stored_rows(db, lambda store: store.sources())
    columns = (
        Column("id", no_wrap=True), Column("published"), Column("how"), Column("outlet"), Column("title"),
        Column("words"), Column("furniture"), Column("origin"),
    )  # fmt: skip
    table = [
        {"id": r.id, "published": r.published or "?", "how": r.published_how, "outlet": outlet_name({"outlet": r.outlet, "title": r.title, "url": r.origin}),
         "title": r.title or "", "words": str(r.words or 0), "furniture": str(r.furniture), "origin": r.origin}
        for r in rows
    ]  # fmt: skip
    from storyline.store.codec import to_dict

    section = Section(f"{plural(len(rows), 'source')} in {path}", columns, table)
    _emit(Listing((section,), data=[to_dict(r) for r in rows]), fmt)


def _search_sources(db: str | Path | None, query: str, story: str | None, limit: int, fmt: str) -> None:
    from storyline.reader.search import search_sources
    from storyline.reader.stories import resolve_story
    from storyline.store.codec import to_dict

    query = " ".join(query.split())
    if not query:
        err.print("error: --search: the words are empty")
        raise typer.Exit(EXIT_USAGE)

    def fetch(store: Store) -> list[Any]:
        return search_sources(store, query, story_id=resolve_story(store, story).id if story else None, limit=limit)

    hits, path = _stored_rows(db, fetch)
    columns = (Column("id", no_wrap=True), Column("published"), Column("outlet"), Column("title"),
               Column("matches"), Column("sentence"), Column("at", no_wrap=True))
    table = [
        {"id": h.source, "published": h.published or "?", "outlet": outlet_name({"outlet": h.outlet, "title": h.title, "url": h.origin}),
         "title": h.title or "", "matches": str(h.matches), "sentence": h.citation.text, "at": f"{h.citation.start}-{h.citation.end}"}
        for h in hits
    ]  # fmt: skip
    where = f" of story {story}" if story else ""
    section = Section(f"{plural(len(hits), 'source')}{where} in {path} holding {query!r}", columns, table)
    _emit(Listing((section,), data=[to_dict(h) for h in hits]), fmt)
    if not hits:
        raise typer.Exit(EXIT_NOTHING)


DossierOption = Annotated[
    Path | None,
    typer.Option(
        "--dossier",
        metavar="FILE",
        help="Read a dossier.json written by `storyline analyze -o` instead of cross-checking the store.",
        exists=True,
        dir_okay=False,
    ),
]


StoryOption = Annotated[
    str | None,
    typer.Option(
        "--story", "-s", metavar="ID", help="Story id (see `storyline stories`; default: the most recently covered)."
    ),
]


Recompute = Annotated[
    bool,
    typer.Option(
        "--recompute",
        help="Cross-check every stored article again (slow on a large store) instead of reading "
        "the stored story.",
    ),
]


def _load_crosscheck(
    dossier_path: Path | None, db: str | Path | None, embeddings: bool, story: str | None = None, recompute: bool = False
) -> dict:
    """A dossier with the cross-checking sections: read from a file; else the stored story (``story``, or the
    most recently covered), as analysed; else, with ``recompute`` or when the store holds no cross-checked
    story, built over every stored article."""
    if dossier_path is not None:
        return _read_dossier_file(dossier_path)
    from storyline.pipeline import build_from_store
    from storyline.reader.stories import load_dossier, resolve_story

    with _open_store(db) as store:
        if story is not None or (not recompute and store.stories()):
            stored = load_dossier(store, resolve_story(store, story).id)
            if story is not None or "claims" in stored:
                return stored
        ids = [r.id for r in store.sources()]
        return build_from_store(store, ids, embeddings=embeddings) if ids else {}


def _read_dossier_file(dossier_path: Path) -> dict:
    """A dossier.json written by `storyline analyze -o`, checked against the schema."""
    from storyline.errors import SchemaError
    from storyline.output.dossier import validate_dossier

    shown = printable(str(dossier_path))
    try:
        data = json.loads(dossier_path.read_text(encoding="utf-8"))
    except RecursionError as exc:
        raise SchemaError(f"{shown}: cannot read a dossier (nested too deeply)") from exc
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{shown}: cannot read a dossier ({printable(str(exc))[:200]})") from exc
    if not isinstance(data, dict):
        raise SchemaError(f"{shown}: not a dossier (a JSON object is expected, not {type(data).__name__})")
    try:
        validate_dossier(data)
    except SchemaError as exc:
        raise SchemaError(f"{shown}: {exc}") from exc
    except RecursionError as exc:
        raise SchemaError(f"{shown}: not a dossier (nested too deeply)") from exc
    return data


def _refs(dossier: dict) -> dict[str, str]:
    return {s["id"]: f"[{s['ref']}] {outlet_name(s)}" for s in dossier.get("sources", [])}


NoEmbeddings = Annotated[
    bool,
    typer.Option("--embeddings/--no-embeddings", help="Use sentence embeddings when cross-checking again (--recompute)."),
]


@app.command(short_help="List where sources disagree, and flagged errors.")
def conflicts(
    db: DbOption = None,
    dossier: DossierOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (conflicts and flagged errors).")] = False,
    as_csv: Annotated[
        bool,
        typer.Option("--csv", help="Print CSV: one row per conflict or flagged error (the `record` column says "
                     "which), with a header row."),
    ] = False,
    plain: PlainOption = False,
    embeddings: NoEmbeddings = True,
    story: StoryOption = None,
    recompute: Recompute = False,
) -> None:
    """List where sources disagree (numbers, names, roles, actors, dates, internal contradictions) and the
    statements flagged as probably wrong, each side with its sources and cited words.

    Reads the stored story as analysed (--story, default the most recently covered) at once; --recompute
    cross-checks every stored article again, --dossier reads a dossier.json."""
    fmt = _format(as_json, as_csv, plain)
    try:
        data = _load_crosscheck(dossier, db, embeddings, story, recompute)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if not data:
        err.print("nothing to cross-check: the store has no articles (run `storyline analyze` first)")
        raise typer.Exit(EXIT_NOTHING)
    found, errors = data.get("conflicts", []), data.get("errors", [])
    _emit(_conflicts_listing(found, errors, _refs(data)), fmt)


_CONFLICT_COLUMNS = (
    Column("id", no_wrap=True), Column("kind"), Column("about"), Column("sides", "sides (sources; independent)"),
    Column("explanation"),
)  # fmt: skip
_ERROR_COLUMNS = (
    Column("id", no_wrap=True), Column("kind"), Column("source_ref", "source", machine=False),
    Column("source", human=False), Column("says"), Column("corpus_says", "corpus says"), Column("why"),
)  # fmt: skip


def _conflicts_listing(found: list[dict], errors: list[dict], refs: dict[str, str]) -> Listing:
    """Conflicts and flagged errors: two sections; in CSV one table whose `record` column says which."""
    rows = []
    for x in found:
        sides = []
        for i, side in enumerate(x["sides"]):
            mark = " (supported)" if x.get("likely") == i else ""
            who = ", ".join(refs.get(s, s) for s in side["sources"])
            sides.append(f"\"{side['value']}\"{mark}: {who}; {side['independent']} independent")
        rows.append({"id": x["id"], "kind": x["kind"], "about": x["about"], "sides": "\n".join(sides),
                     "explanation": x["explanation"]})  # fmt: skip
    erows = [
        {"id": e["id"], "kind": e["kind"], "source_ref": refs.get(e["source"], e["source"]), "source": e["source"],
         "says": e["text"], "corpus_says": e["correction"], "why": e["why"]}
        for e in errors
    ]  # fmt: skip
    return Listing(
        (
            Section(plural(len(found), "conflict"), _CONFLICT_COLUMNS, rows, name="conflict", lines=True),
            Section(plural(len(errors), "flagged error"), _ERROR_COLUMNS, erows, name="error", lines=True),
        ),
        data={"conflicts": found, "errors": errors},
        record_key="record",
    )


class ClaimStatus(StrEnum):
    corroborated = "corroborated"
    contested = "contested"
    single = "single-source"


@app.command(short_help="List claims and how many sources support each.")
def claims(
    db: DbOption = None,
    dossier: DossierOption = None,
    status: Annotated[
        list[ClaimStatus] | None,
        typer.Option(
            "--status", metavar="STATUS",
            help="Only claims with this status: corroborated, contested or single-source (repeatable).",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(metavar="N", help="Show at most this many claims (0: all).", min=0)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON claims.")] = False,
    as_csv: CsvOption = False,
    plain: PlainOption = False,
    embeddings: NoEmbeddings = True,
    story: StoryOption = None,
    recompute: Recompute = False,
) -> None:
    """List claims: statements of one or more sources asserting the same thing, with how many independent
    sources support each (wire copies count once) and whether a conflict touches it.

    Reads the stored story as analysed (--story, default the most recently covered) at once; --recompute
    cross-checks every stored article again, --dossier reads a dossier.json."""
    fmt = _format(as_json, as_csv, plain)
    try:
        data = _load_crosscheck(dossier, db, embeddings, story, recompute)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if not data:
        err.print("nothing to cross-check: the store has no articles (run `storyline analyze` first)")
        raise typer.Exit(EXIT_NOTHING)
    wanted = {s.value for s in status} if status else None
    rows = [c for c in data.get("claims", []) if wanted is None or c["status"] in wanted]
    shown = rows[:limit] if limit else rows
    _emit(_claims_listing(shown, len(rows), _refs(data)), fmt)


_CLAIM_STYLE = {"corroborated": "green", "contested": "red", "single-source": "yellow"}
_CLAIM_COLUMNS = (
    Column("id", no_wrap=True), Column("status", styles=_CLAIM_STYLE), Column("independent", "indep."),
    Column("date"), Column("text", "claim (best source's words)"), Column("refs", "sources", machine=False),
    Column("sources", human=False), Column("conflicts", human=False),
)  # fmt: skip


def _claims_listing(shown: list[dict], total: int, refs: dict[str, str]) -> Listing:
    """Claims, with their sources as [s1] markers for a reader and as source ids in CSV."""
    rows = [
        {"id": c["id"], "status": c["status"], "independent": str(c["independent"]), "date": c["date"] or "",
         "text": c["text"], "refs": ", ".join(refs.get(s, s).split(" ", 1)[0] for s in c["sources"]),
         "sources": " ".join(c["sources"]), "conflicts": " ".join(c.get("conflicts", []))}
        for c in shown
    ]  # fmt: skip
    return Listing((Section(f"{len(shown)} of {plural(total, 'claim')}", _CLAIM_COLUMNS, rows),), data=shown)


# --------------------------------------------------------------------------- the reader's view

def _markers(citations: list[dict], refs: dict[str, str]) -> str:
    seen = dict.fromkeys(refs.get(c["source"], "?") for c in citations)
    return "".join(f"[{r}]" for r in seen)


def _human_date(value: str | None) -> str:
    from storyline.reader.briefing import human_date

    return human_date(value)


stories_app = typer.Typer(
    short_help="List the stories in the store; rename one.",
    help="List the stories in the store (each `storyline analyze` saves one), most recently covered first; "
    "`storyline stories rename STORY TITLE` gives one a title of your choice.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(stories_app, name="stories")


@stories_app.callback()
def stories(
    ctx: typer.Context,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    plain: PlainOption = False,
) -> None:
    """List the stories in the store (each `storyline analyze` saves one), most recently covered first.

    A story's title is the headline of its most recent well-scored article (never a section label); its id
    is a slug of the first title it got.  Re-analysing a story (with or without new articles) updates it."""
    if ctx.invoked_subcommand is not None:
        return
    fmt = _format(as_json, as_csv, plain)
    rows, path = _stored_rows(db, lambda store: store.stories())
    table = [
        {"id": r.id, "title": r.title, "sources": str(r.articles), "period": f"{r.first or '?'} – {r.last or '?'}",
         "first": r.first or "", "last": r.last or "", "claims": str(r.counts.get("claims", 0)),
         "corroborated": str(r.counts.get("corroborated", 0)),
         "claims_shown": f"{r.counts.get('claims', 0)} ({r.counts.get('corroborated', 0)} corroborated)",
         "conflicts": str(r.counts.get("conflicts", 0)), "errors": str(r.counts.get("errors", 0))}
        for r in rows
    ]  # fmt: skip
    from storyline.store.codec import to_dict

    section = Section(f"{plural(len(rows), 'story')} in {path}", _STORY_COLUMNS, table)
    _emit(Listing((section,), data=[to_dict(r) for r in rows]), fmt)


_STORY_COLUMNS = (
    Column("id", no_wrap=True), Column("title"), Column("sources"), Column("period", machine=False),
    Column("first", human=False), Column("last", human=False), Column("claims_shown", "claims", machine=False),
    Column("claims", human=False), Column("corroborated", human=False), Column("conflicts"), Column("errors"),
)  # fmt: skip


@stories_app.command("rename")
def stories_rename(
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story's id (see `storyline stories`).")],
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="The new title; kept when the story is re-analysed.")
    ],
    db: DbOption = None,
    new_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="A new id too (lower-case letters, digits, hyphens); --id '' uses the slug "
                     "of the new title."),
    ] = None,
) -> None:
    """Give a story a title of your choice (and, with --id, a new id); its articles, problem reports and
    briefing follow it."""
    from storyline.reader.stories import rename_story

    try:
        with _open_store(db) as store:
            sid = rename_story(store, story, title, new_id)
    except ValueError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True)
        raise typer.Exit(EXIT_USAGE) from exc
    except StorylineError as exc:
        raise _fatal(exc) from exc
    out.print(f"renamed: {escape(sid)} — {escape(' '.join(title.split()))}", markup=True)


@app.command(short_help="Print a story's cited briefing.")
def brief(
    story: StoryOption = None,
    db: DbOption = None,
    length: Annotated[
        int, typer.Option("--length", "-n", metavar="N", help="Sentences in the explainer (3 to 30).", min=3, max=30)
    ] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the briefing as JSON.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV: one row per sentence (section, text, status, sources, key).")
    ] = False,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Print plain text, one sentence a line, without colour (the default when "
                     "the output is not a terminal)."),
    ] = False,
) -> None:
    """Print a story's briefing: a headline and a short explainer (what happened, what each side says, what is
    disputed or wrong, what comes next), every sentence cited to its sources ([s1] = source 1, listed below).

    Single-source statements are introduced as such; flagged errors are never stated as fact."""
    from storyline.reader.briefing import briefing_to_dict, build_briefing
    from storyline.reader.stories import load_dossier, resolve_story, suppressions

    fmt = _format(as_json, as_csv, plain)
    try:
        with _open_store(db) as store:
            summary = resolve_story(store, story)
            dossier = load_dossier(store, summary.id)
            b = build_briefing(dossier, length=length, suppressed=suppressions(store, summary.id))
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if fmt in (Format.json, Format.csv):
        from storyline.reader.top import story_top

        data = briefing_to_dict(b)
        _emit(_brief_listing(summary.id, b, dossier, {**data, "top": story_top(dossier, data)}), fmt)
        return
    _print_brief(summary.id, b, dossier, fmt)


_BRIEF_STYLE = {"single-source": "yellow", "contested": "red", "disputed": "red"}
_BRIEF_COLUMNS = (
    Column("section"), Column("lead_in"), Column("text"), Column("status"), Column("refs"), Column("sources"),
    Column("key"),
)  # fmt: skip


def _brief_listing(story_id: str, b, dossier: dict, data: dict) -> Listing:
    """The briefing's sentences as records (CSV: one row a sentence) and its JSON payload."""
    from storyline.reader.briefing import lead_in

    refs = {s["id"]: s["ref"] for s in dossier.get("sources", [])}
    rows = [
        {"section": section.title, "lead_in": lead_in(sent, dossier) or "", "text": sent.text,
         "status": sent.status or "", "refs": _markers([{"source": c.source} for c in sent.citations], refs),
         "sources": " ".join(dict.fromkeys(c.source for c in sent.citations)), "key": sent.key or ""}
        for section in b.sections
        for sent in section.sentences
    ]  # fmt: skip
    return Listing((Section(b.headline, _BRIEF_COLUMNS, rows),), data={"story": story_id, **data})


def _print_top(top: dict, refs: dict[str, str], used: dict[str, None], fmt: Format) -> None:
    """The top of the story (``reader.top``): the latest development, where it stands, the key numbers."""
    from rich.text import Text

    from storyline.output.terminal import print_text

    def line(item: dict, text: str, date: str | None = None) -> Text:
        srcs = [m["src"] for m in item.get("markers") or []]
        used.update(dict.fromkeys(srcs))
        out_line = Text(f"{_human_date(date)}: " if date else "", style="bold")
        out_line.append(printable(text))
        out_line.append(" " + _markers([{"source": s} for s in srcs], refs), style="dim")
        return out_line

    dek = top.get("dek")
    if dek:
        print_text(out, line(dek, dek["text"], dek.get("date")), fmt)
    groups = (
        ("Where it stands", [line(x, x["text"], x.get("date")) for x in top.get("bullets") or []]),
        ("Key numbers", [line(x, f"{x['what']}: {x['value']}", x.get("as_of")) for x in top.get("numbers") or []]),
    )
    for title, lines in groups:
        if lines:
            _say(out, "")
            print_text(out, Text(title, style="bold underline"), fmt)
            for one in lines:
                print_text(out, one, fmt, first=" • ", rest="   ")


def _print_brief(story_id: str, b, dossier: dict, fmt: Format) -> None:
    """The briefing as text: wrapped to the terminal with styles, or plain lines when piped / --plain."""
    from rich.text import Text

    from storyline.output.terminal import print_text
    from storyline.reader.briefing import briefing_to_dict, lead_in
    from storyline.reader.top import story_top

    sources = {s["id"]: s for s in dossier.get("sources", [])}
    refs = {sid: s["ref"] for sid, s in sources.items()}
    used: dict[str, None] = {}
    top = story_top(dossier, briefing_to_dict(b))
    print_text(out, Text(printable(top["headline"]["text"] or b.headline), style="bold"), fmt)
    meta = f"{story_id} · {plural(len(sources), 'source')} · as of {_human_date(top.get('as_of') or b.as_of)}"
    print_text(out, Text(printable(meta), style="dim"), fmt)
    _print_top(top, refs, used, fmt)
    for section in b.sections:
        _say(out, "")
        print_text(out, Text(printable(section.title), style="bold underline"), fmt)
        for sent in section.sentences:
            used.update(dict.fromkeys(c.source for c in sent.citations))
            lead = lead_in(sent, dossier)
            line = Text(printable(lead) + " " if lead else "", style="italic")
            line.append(printable(sent.text), style=_BRIEF_STYLE.get(sent.status or "", ""))
            line.append(" " + _markers([{"source": c.source} for c in sent.citations], refs), style="dim")
            print_text(out, line, fmt, first=" • ", rest="   ")
    _say(out, "")
    print_text(out, Text("Sources", style="bold"), fmt)
    for sid in sorted(used, key=lambda s: int(refs.get(s, "s0")[1:] or 0)):
        src = sources.get(sid, {})
        line = Text(f"[{refs.get(sid, '?')}] ", style="dim")
        line.append(printable(f"{outlet_name(src)}, {_human_date(src.get('published'))}: "
                              f"{src.get('title') or ''}"))
        print_text(out, line, fmt, first=" ", rest="      ")


def _answer_here(store: Store, story_id: str, question: str, embeddings: bool) -> tuple[dict, dict]:
    """The answer (as ``answer_to_dict``) and the dossier's sources by id, computed in this process: the
    question is encoded by the numpy encoder (no torch import); the candidate sentences come from the store's
    full-text index and stored vectors (:mod:`storyline.reader.search`)."""
    from storyline.reader.ask import answer, answer_to_dict
    from storyline.reader.search import question_index
    from storyline.reader.stories import load_dossier, suppressions

    dossier = load_dossier(store, story_id)
    embedder: Any = False
    if embeddings:
        from storyline.extract.embed import get_fast_embedder

        embedder = get_fast_embedder()
    index = question_index(store, story_id, question, embedder=embedder)
    result = answer(question, dossier, index, embedder=embedder, suppressed=suppressions(store, story_id))
    return answer_to_dict(result), {s["id"]: s for s in dossier.get("sources", [])}


_ANSWER_KEYS = ("question", "answered", "text", "kind", "citations", "passages")


def _answer_by_serve(path: Path, story_id: str, question: str) -> tuple[dict, dict] | None:
    """The answer of a running ``storyline serve`` of the same store (ranked with embeddings), or None."""
    from storyline.web.discovery import ask_serve, find_serve

    info = find_serve(path)
    data = ask_serve(info, story_id, question) if info is not None else None
    if data is None or data.get("ranking") != "embeddings" or not _answer_shape(data):
        return None  # no serve, one still loading its model (or started with --no-embeddings), or not an answer
    return {k: data.get(k) for k in _ANSWER_KEYS}, data["sources"]


def _answer_shape(data: dict) -> bool:
    """Whether a serve's reply has what `ask` prints (anything else: the question is answered here)."""

    def cites(c: object) -> bool:
        return isinstance(c, dict) and isinstance(c.get("source"), str) and isinstance(c.get("text"), str)

    passages = data.get("passages")
    return (
        isinstance(data.get("text"), str) and isinstance(data.get("answered"), bool)
        and isinstance(data.get("sources"), dict) and all(isinstance(v, dict) for v in data["sources"].values())
        and isinstance(data.get("citations"), list) and all(cites(c) for c in data["citations"])
        and isinstance(passages, list) and all(isinstance(p, dict) and cites(p.get("citation")) for p in passages)
    )


def _print_answer(data: dict, sources: dict) -> None:
    refs = {sid: s.get("ref", "?") for sid, s in sources.items()}
    cites = [{"source": c["source"]} for c in data["citations"]]
    out.print(f"[bold]{escape(data['text'])}[/] [dim]{escape(_markers(cites, refs))}[/]", highlight=False)
    if data["answered"] and data["passages"]:
        out.print("\n[dim]Supporting sentences:[/]", highlight=False)
        for p in data["passages"][:5]:
            cit = p["citation"]
            src = sources.get(cit["source"], {})
            out.print(
                f" [dim]{escape('[' + refs.get(cit['source'], '?') + ']')} {escape(outlet_name(src) if src else '')}, "
                f"{_human_date(p.get('published') or src.get('published'))}:[/] {escape(cit['text'])}",
                highlight=False,
            )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help='The question, e.g. "How many people have died?"')],
    story: StoryOption = None,
    db: DbOption = None,
    embeddings: Annotated[
        bool, typer.Option("--embeddings/--no-embeddings", help="Rank sentences with embeddings as well as BM25.")
    ] = True,
    use_serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Ask a running `storyline serve` of the same store when there is "
                     "one (it has the model loaded); --no-serve always answers in this process."),
    ] = True,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer as JSON: text, kind, citations and passages with "
                           "source id, start, end and text.")
    ] = False,
) -> None:
    """Answer a question about a story from its sources, with citations; "The sources do not say." when nothing
    supports an answer (exit code 3 then).  A running `storyline serve` of the same store answers it when there
    is one; otherwise it is answered here (about a second: questions are encoded without loading torch)."""
    from storyline.reader.stories import resolve_story

    question = " ".join(question.split())
    if not question:
        err.print("error: the question is empty")
        raise typer.Exit(EXIT_USAGE)
    try:
        with _open_store(db) as store:
            summary = resolve_story(store, story)
            by_serve = embeddings and use_serve and store.dialect == "sqlite"  # a serve announces SQLite stores only
            found = _answer_by_serve(store.path, summary.id, question) if by_serve else None
            data, sources = found or _answer_here(store, summary.id, question, embeddings)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if as_json:
        _emit_json({"story": summary.id, **data})
    else:
        _print_answer(data, sources)
    if not data["answered"]:
        raise typer.Exit(EXIT_NOTHING)


problems_app = typer.Typer(
    help="Reports of problems with shown items (wrong, misattributed, outdated, missing context), and the "
    "maintainer's decisions: resolve, suppress (the item is hidden, also after re-analysis), reopen.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(problems_app, name="problems")


class ProblemStatus(StrEnum):
    open = "open"
    resolved = "resolved"
    suppressed = "suppressed"


@problems_app.callback()
def problems_list(
    ctx: typer.Context,
    story: Annotated[str | None, typer.Option("--story", "-s", metavar="ID", help="Only this story's reports.")] = None,
    status: Annotated[ProblemStatus | None, typer.Option("--status", help="Only reports with this status.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    plain: PlainOption = False,
    log: Annotated[bool, typer.Option("--log", help="Show the reports' log instead (every report and decision).")] = False,
) -> None:
    """List problem reports (newest first)."""
    if ctx.invoked_subcommand is not None:
        return
    fmt = _format(as_json, as_csv, plain)
    try:
        with _open_store(db) as store:
            entries = store.problem_log(story) if log else []
            rows = [] if log else store.problems(story, status.value if status else None)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if log:
        columns = (Column("at", "when", no_wrap=True), Column("problem", "report"), Column("story"), Column("action"),
                   Column("item_kind", "item"), Column("item_text", "text"), Column("note"))  # fmt: skip
        table = [{c.key: "" if e.get(c.key) is None else str(e[c.key]) for c in columns} for e in entries]
        _emit(Listing((Section(f"reports' log: {plural(len(entries), 'entry')}", columns, table),), data=entries), fmt)
        return
    from storyline.store.codec import to_dict

    colour = {"open": "yellow", "resolved": "green", "suppressed": "red"}
    columns = (Column("id", "#", no_wrap=True), Column("status", styles=colour), Column("story"), Column("item_kind", "item"),
               Column("item_text", "text"), Column("category"), Column("comment"), Column("resolution"),
               Column("created_at", "reported"), Column("item_key", "key", human=False))  # fmt: skip
    table = [{c.key: "" if getattr(p, c.key) is None else str(getattr(p, c.key)) for c in columns} for p in rows]
    title = f"{plural(len(rows), 'problem report')}"
    _emit(Listing((Section(title, columns, table, lines=True),), data=[to_dict(p) for p in rows]), fmt)


def _decide(problem_id: int, status: str, note: str | None, db: str | Path | None) -> None:
    from storyline.reader.stories import decide_problem

    try:
        with _open_store(db) as store:
            p = decide_problem(store, problem_id, status, note)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    _say(out, f"problem #{p.id} ({p.item_kind} in {p.story}) is now {p.status}")


NoteOption = Annotated[str | None, typer.Option("--note", help="Why (shown in the corrections log).")]


@problems_app.command("resolve")
def problems_resolve(problem_id: int, note: NoteOption = None, db: DbOption = None) -> None:
    """Mark a report resolved (the item stays shown)."""
    _decide(problem_id, "resolved", note, db)


@problems_app.command("suppress")
def problems_suppress(problem_id: int, note: NoteOption = None, db: DbOption = None) -> None:
    """Suppress the reported item: it is hidden from the briefing, pages and answers, also after re-analysis."""
    _decide(problem_id, "suppressed", note, db)


@problems_app.command("reopen")
def problems_reopen(problem_id: int, note: NoteOption = None, db: DbOption = None) -> None:
    """Reopen a report (un-suppresses its item)."""
    _decide(problem_id, "open", note, db)


class Category(StrEnum):
    wrong = "wrong"
    misattributed = "misattributed"
    outdated = "outdated"
    missing_context = "missing-context"
    other = "other"


@problems_app.command("report")
def problems_report(
    key: Annotated[str, typer.Argument(help='The item key shown with --json output, e.g. "claim:<source>:12-80".')],
    category: Annotated[Category, typer.Option("--category", "-c", help="What is wrong with it.")],
    story: StoryOption = None,
    comment: Annotated[str, typer.Option("--comment", help="Free comment.")] = "",
    db: DbOption = None,
) -> None:
    """Report a problem with one shown item of a story."""
    from storyline.reader.stories import report_problem, resolve_story

    try:
        with _open_store(db) as store:
            summary = resolve_story(store, story)
            p = report_problem(store, summary.id, key, category.value, comment)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    out.print(f"reported problem #{p.id}: {p.item_kind} \"{escape(p.item_text[:100])}\" ({p.category})", highlight=False)


class Field(StrEnum):
    speaker = "speaker"
    value = "value"
    date = "date"


@problems_app.command("correct")
def problems_correct(
    target: Annotated[
        str, typer.Argument(help='A report id (e.g. 12), or an item key (e.g. "quote:<source>:12-80") with --story.')
    ],
    field: Annotated[Field, typer.Option("--field", "-f", help="What to correct: speaker (a quote), value (a "
                                         "figure: the number) or date (an event, next entry or claim).")],
    value: Annotated[str, typer.Option("--value", help="The right value (a date as YYYY-MM-DD, YYYY-MM or YYYY).")],
    note: NoteOption = None,
    story: StoryOption = None,
    by: Annotated[str, typer.Option("--by", help="Who corrects (shown in the public corrections log).")] = "maintainer",
    db: DbOption = None,
) -> None:
    """Correct an item: the right speaker, value or date.  Shown with a "corrected" mark everywhere the item
    is shown, kept when the story is analysed again, listed in the corrections log; the original stays."""
    from storyline.reader.stories import correct_item, correct_problem, resolve_story

    try:
        with _open_store(db) as store:
            if target.isdigit():
                c = correct_problem(store, int(target), field.value, value, note=note, by=by)
            else:
                summary = resolve_story(store, story)
                c = correct_item(store, summary.id, target, field.value, value, note=note, by=by)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    _say(out, f"corrected {c.field} of {c.item_kind} in {c.story}: {c.before} → {c.after} (correction #{c.id})")


@problems_app.command("corrections")
def problems_corrections(
    story: Annotated[str | None, typer.Option("--story", "-s", help="Only this story's decisions.")] = None,
    page: Annotated[int, typer.Option("--page", help="Page of 50, newest first.", min=1)] = 1,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    plain: PlainOption = False,
) -> None:
    """The public corrections log: every maintainer's decision with the item before and after (suppressed:
    hidden; corrected: the old value and the new), newest first."""
    from storyline.reader.corrections import decision_entry

    fmt = _format(as_json, as_csv, plain)
    try:
        with _open_store(db) as store:
            total = store.count_decisions(story)
            rows = [decision_entry(r) for r in store.decisions(story, limit=50, offset=(page - 1) * 50)]
    except StorylineError as exc:
        raise _fatal(exc) from exc
    columns = (
        Column("at", "when", no_wrap=True), Column("action"), Column("story"), Column("item_kind", "item"),
        Column("field"), Column("before"), Column("after"), Column("note"), Column("problem", "report"),
    )  # fmt: skip
    table = [{k: "" if r.get(k) is None else str(r[k]) for k in
              ("at", "action", "story", "item_kind", "field", "before", "after", "note", "problem")} for r in rows]
    pages = max(1, -(-total // 50))
    title = f"corrections log: {plural(total, 'decision')}" + (f", page {page} of {pages}" if pages > 1 else "")
    _emit(Listing((Section(title, columns, table, lines=True),), data=rows), fmt)


def _serve_with_discovery(web: Any, path: Path, host: str, port: int) -> None:
    """Run the app; meanwhile ``<store>.serve.json`` tells `storyline ask` where (removed on the way out)."""
    import uvicorn

    from storyline.store import is_url
    from storyline.web.discovery import announce, remove_serve_file

    if str(path) == ":memory:" or is_url(path):  # no discovery file for a PostgreSQL store
        uvicorn.run(web, host=host, port=port, log_level="warning")
        return
    serve_id = announce(web, path, host, port)  # written when the app starts, removed when it stops
    try:
        uvicorn.run(web, host=host, port=port, log_level="warning")
    finally:
        remove_serve_file(path, serve_id)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless you mean it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    maintainer: Annotated[
        bool,
        typer.Option(
            "--maintainer",
            help="Allow resolving and suppressing reports: prints a private address (with a token made at "
            "start) that gives your browser the buttons; decisions without the token are refused.",
        ),
    ] = False,
    embeddings: Annotated[
        bool, typer.Option("--embeddings/--no-embeddings", help="Rank answers with embeddings as well as BM25.")
    ] = True,
) -> None:
    """Serve the stories in the store as a local web app: story pages (briefing, timeline, charts, who said
    what, claims and conflicts, source quality, what comes next), ask a question, report a problem."""
    from storyline.web.app import create_app, maintainer_url

    try:
        with _open_store(db) as store:
            path = store.target  # a URL keeps its password here (store.path hides it)
            n = len(store.stories())
    except StorylineError as exc:
        raise _fatal(exc) from exc
    web = create_app(path, maintainer=maintainer, embedder=None if embeddings else False)
    _say(err, f"serving {plural(n, 'story')} from {store.path} on http://{host}:{port}/ (Ctrl-C to stop)")
    if maintainer:
        _say(err, f"maintainer: open {maintainer_url(web, f'http://{host}:{port}')} to resolve or suppress reports "
             "(a new token at every start; keep this address to yourself)")
    _serve_with_discovery(web, path, host, port)


@app.command(short_help="Print the version and the NLP model.")
def version(as_json: JsonOption = False) -> None:
    """Print the storyline version and the NLP model it uses."""
    from storyline.extract.nlp import model_name

    if as_json:
        _emit(Listing((), data={"storyline": __version__, "spacy_model": model_name()}), Format.json)
        return
    _say(out, f"storyline {__version__} (spaCy model: {model_name()})")


def _watch_pass(store: Store, watcher: Any, sources: list[str], number: int, rebuild: Any) -> int:
    """One pass of ``watch``: poll, ingest what is new, assign it to stories and rebuild them with ``rebuild``
    (a ``pipeline.StoryRebuilder``: its sentence model starts loading as soon as there is something new);
    returns the failures."""
    from storyline.crosscheck.assign import Assigner
    from storyline.pipeline import analyze as run_analyze
    from storyline.reader.follow import follow

    polled = watcher.poll(sources)
    failed = len(polled.failures)
    for source, reason in polled.failures:
        _say(err, f"skipped {source}: {reason}")
    new_ids: list[str] = []
    if polled.inputs:
        rebuild.start()
        result = run_analyze(polled.inputs, store, dossier=False, timeout=watcher.timeout, max_bytes=watcher.max_bytes)
        new_ids = [aid for aid in result.article_ids if not store.stories_of_article(aid)]
        failed += len(result.failures)
        for f in result.failures:
            _say(err, f"skipped {f.message}")
    assigner = Assigner.from_json(watcher.state.extra.get("assign"))
    updates = follow(store, new_ids, assigner, rebuild, rebuild.prepare)
    watcher.state.extra["assign"] = assigner.to_json()
    watcher.state.save()
    _say(out, f"pass {number}: {plural(len(new_ids), 'new article')}, {plural(len(updates), 'story')} updated")
    for u in updates:
        what = "opened" if u.opened else "updated"
        _say(out, f"  {u.story_id}: {what}, +{u.added} ({plural(u.size, 'article')})")
    return failed


@app.command(short_help="Follow feeds and folders: new articles join their stories.")
def watch(
    sources: Annotated[
        list[str],
        typer.Argument(help="RSS/Atom feed URLs, folders or files to follow.", show_default=False, metavar="FEED_OR_FOLDER"),
    ],
    every: Annotated[str, typer.Option(metavar="INTERVAL", help="Time between passes: 30s, 10m, 2h.")] = "10m",
    once: Annotated[bool, typer.Option("--once", help="Do one pass and exit.")] = False,
    db: DbOption = None,
    state: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Where the watch state is kept (default: next to the store, DB.watch.json)."),
    ] = None,
    delay: Annotated[float, typer.Option(metavar="SECONDS", help="Least time between two requests to one host.", min=0)] = 1.0,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds one feed URL may take in all.", min=0.1)] = 30.0,
    max_mb: Annotated[float, typer.Option("--max-mb", metavar="MB", help="Largest feed or file accepted, in MB.", min=0.001)] = 20.0,
    embeddings: Annotated[
        bool, typer.Option("--embeddings/--no-embeddings", help="Use sentence embeddings when rebuilding a story.")
    ] = True,
) -> None:
    """Poll feeds and folders; ingest what is new, put each new article into its story (or a new one) and
    rebuild only the stories that changed.  Ctrl-C stops between passes (exit code 130)."""
    import time

    from storyline.ingest.watch import Watcher, WatchState, parse_every
    from storyline.pipeline import StoryRebuilder

    try:
        interval = parse_every(every)
        with _open_store(db, create=True) as store:
            where = state or Path(f"{store.path}.watch.json")
            watcher = Watcher(WatchState.load(where), delay=delay, timeout=timeout, max_bytes=int(max_mb * 1024 * 1024))
            with StoryRebuilder(embeddings) as rebuild:  # its model process lives as long as the watch
                number = 0
                while True:
                    number += 1
                    failed = _watch_pass(store, watcher, sources, number, rebuild)
                    if once:
                        break
                    time.sleep(interval)
    except KeyboardInterrupt:
        _say(err, "interrupted: stopped between passes")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


def main() -> None:
    """Run the command; a crash (a bug) is one line and exit code 5, with the details in a crash report."""
    try:
        app()
    except KeyboardInterrupt:
        _say(err, "interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:  # the reader of our output went away (`| head`)
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except Exception as exc:
        _say(err, f"storyline crashed ({exc.__class__.__name__}); this is a bug. {_crash_report(exc)}")
        sys.exit(EXIT_CRASH)


def _crash_report(exc: BaseException) -> str:
    """Write the traceback of a crash to a file of its own; the sentence that says where it went."""
    import tempfile
    import traceback

    try:
        with tempfile.NamedTemporaryFile(
            "w", prefix="storyline-crash-", suffix=".txt", delete=False, encoding="utf-8", errors="backslashreplace"
        ) as fh:
            fh.write(f"storyline {__version__}\nargv: {sys.argv!r}\n\n")
            fh.write("".join(traceback.format_exception(exc)))
        return f"Details: {fh.name} (please attach it to a bug report)."
    except OSError:
        return "No crash report could be written."


if __name__ == "__main__":  # pragma: no cover
    main()
