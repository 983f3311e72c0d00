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
from rich.table import Table

from storyline import __version__
from storyline.errors import StorylineError
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
    rich_markup_mode="rich",
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
    """Print one line of plain text (no console markup) as it is."""
    console.print(line, markup=False, highlight=False)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite store to use (default: $STORYLINE_DB, else storyline.db in your user data directory).",
        dir_okay=False,
    ),
]


def _open_store(db: Path | None, *, create: bool = False):
    """The store at ``db`` (default: $STORYLINE_DB, else the user's data directory).  Only ``analyze`` and
    ``extract`` create one; every other command refuses a store that does not exist (a mistyped --db)."""
    from storyline.errors import StoreError
    from storyline.store import Store, default_db_path

    path = db if db is not None else default_db_path()
    if not create and str(path) != ":memory:" and not path.exists():
        raise StoreError(f"no store at {path} (a mistyped --db? `storyline analyze ... --db {path}` creates one)")
    return Store(path)


def _emit_json(data: object) -> None:
    """Print ``data`` as indented UTF-8 JSON on stdout (every --json output)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _emit_records(rows: Sequence[Any]) -> None:
    """Print frozen records (sources, stories, problem reports) as a JSON list."""
    from storyline.store.codec import to_dict

    _emit_json([to_dict(r) for r in rows])


def _stored_rows(db: Path | None, fetch: Callable[[Store], list[Any]]) -> tuple[list[Any], Path]:
    """What ``fetch`` reads from the store, and the store's path; a store error exits with its message."""
    try:
        with _open_store(db) as store:
            return fetch(store), store.path
    except StorylineError as exc:
        raise _fatal(exc) from exc


def _fatal(exc: StorylineError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
    return typer.Exit(EXIT_ERROR)


@app.command()
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(help="Article files, folders (read recursively) and http(s) URLs, in any mix.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Folder for dossier.json, report.md and report.html.", file_okay=False),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="CSV/JSONL with columns path (relative to the manifest) or url, and any of title, outlet, "
            "published. A manifest.csv/manifest.jsonl inside an input folder is used automatically.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    db: DbOption = None,
    title: Annotated[
        str | None,
        typer.Option(
            help="Story title of your own, kept when the story is re-analysed (default: the headline of the most "
            "recent well-scored article, never a section label).",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes for parsing (default: one per core, at most 8).", min=1)
    ] = None,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest input accepted, in MB.", min=0.001)] = 20.0,
    timeout: Annotated[
        float,
        typer.Option(help="Seconds one URL may take in all: connecting, headers and body together.", min=0.1),
    ] = 30.0,
    time_budget: Annotated[
        float,
        typer.Option(
            "--time-budget",
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
        disable=quiet,
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
            with _open_store(db, create=True) as store:
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
                )
                store_path = store.path
                story_id = None
                saved: list[tuple[str, int]] = []
                for ids, one in result.stories:
                    from storyline.reader.stories import continued_story, save_story, story_slug

                    sid = base = continued_story(store, ids) or story_slug(one["title"])
                    n = 1
                    while sid in {s for s, _ in saved}:
                        n += 1
                        sid = f"{base}-{n}"
                    saved.append((save_story(store, one, ids, story_id=sid), len(ids)))
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
        out.print(
            f"cross-checked: {len(claims)} claims ({status['corroborated']} corroborated, {status['contested']} "
            f"contested, {status['single-source']} single-source), {plural(len(dossier.get('conflicts', [])), 'conflict')}, "
            f"{plural(len(dossier.get('errors', [])), 'flagged error')}, "
            f"{plural(len(dossier.get('series', [])), 'running figure')}, "
            f"{plural(len(dossier.get('independence', {}).get('groups', [])), 'copy group')}, "
            f"{plural(told, 'event')} told by several sources",
            highlight=False,
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


@app.command()
def extract(
    stage: Annotated[Stage, typer.Argument(help="Which extraction stage to run.")],
    file: Annotated[str, typer.Argument(help="One article file (or URL, or JSONL/CSV/feed of several).")],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (ISO, e.g. 2025-11-24) to resolve relative dates against."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records with citations.")] = False,
    any_language: Annotated[bool, typer.Option("--any-language", help="Accept non-English text.")] = False,
) -> None:
    """Run one extraction stage on one input and show what it finds, for inspection.

    Offsets in `span` fields are into the cleaned text; `citations` point into the original text.
    """
    from storyline.pipeline import extract_file

    try:
        items, failures = extract_file(file, stage.value, published=published, require_english=not any_language)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    for failure in failures:
        err.print(f"skipped {failure.message}", markup=False, highlight=False)
    field = _STAGE_FIELD[stage.value]
    if as_json:
        payload = [
            {
                "source": clean.article.id,
                "origin": clean.article.origin,
                "published": clean.article.published,
                stage.value: _records_with_citations(clean, getattr(extraction, field)),
            }
            for clean, extraction in items
        ]
        _emit_json(payload)
    else:
        for clean, extraction in items:
            _print_stage(stage.value, clean, getattr(extraction, field))
    if not items:
        raise typer.Exit(EXIT_NOTHING)
    if failures:
        raise typer.Exit(EXIT_PARTIAL)


def _print_stage(stage: str, clean, records) -> None:
    a = clean.article
    table = Table(title=f"{stage} in {a.origin} (published {a.published or 'unknown'})", show_lines=False)
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
    for col in cols:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[escape(str(c)) for c in row])
    out.print(table)


@app.command()
def sources(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the articles in the store."""
    rows, path = _stored_rows(db, lambda store: store.sources())
    if as_json:
        _emit_records(rows)
        return
    table = Table(title=f"{plural(len(rows), 'source')} in {escape(str(path))}")
    for col in ("id", "published", "how", "outlet", "title", "words", "furniture", "origin"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            *(escape(v) for v in (r.id, r.published or "?", r.published_how, r.outlet or "", r.title or "",
                                  str(r.words or 0), str(r.furniture), r.origin))
        )
    out.print(table)


DossierOption = Annotated[
    Path | None,
    typer.Option(
        "--dossier",
        help="Read a dossier.json written by `storyline analyze -o` instead of cross-checking the store.",
        exists=True,
        dir_okay=False,
    ),
]


StoryOption = Annotated[
    str | None,
    typer.Option("--story", "-s", help="Story id (see `storyline stories`; default: the most recently covered)."),
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
    dossier_path: Path | None, db: Path | None, embeddings: bool, story: str | None = None, recompute: bool = False
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
    return {s["id"]: f"[{s['ref']}] {s.get('outlet') or s.get('origin') or s['id']}" for s in dossier.get("sources", [])}


NoEmbeddings = Annotated[
    bool,
    typer.Option("--embeddings/--no-embeddings", help="Use sentence embeddings when cross-checking again (--recompute)."),
]


@app.command()
def conflicts(
    db: DbOption = None,
    dossier: DossierOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (conflicts and flagged errors).")] = False,
    embeddings: NoEmbeddings = True,
    story: StoryOption = None,
    recompute: Recompute = False,
) -> None:
    """List where sources disagree (numbers, names, roles, actors, dates, internal contradictions) and the
    statements flagged as probably wrong, each side with its sources and cited words.

    Reads the stored story as analysed (--story, default the most recently covered) at once; --recompute
    cross-checks every stored article again, --dossier reads a dossier.json."""
    try:
        data = _load_crosscheck(dossier, db, embeddings, story, recompute)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if not data:
        err.print("nothing to cross-check: the store has no articles (run `storyline analyze` first)")
        raise typer.Exit(EXIT_NOTHING)
    found, errors = data.get("conflicts", []), data.get("errors", [])
    if as_json:
        _emit_json({"conflicts": found, "errors": errors})
        return
    refs = _refs(data)
    table = Table(title=plural(len(found), "conflict"), show_lines=True)
    for col in ("id", "kind", "about", "sides (sources; independent)", "explanation"):
        table.add_column(col, overflow="fold")
    for x in found:
        sides = []
        for i, side in enumerate(x["sides"]):
            mark = " (supported)" if x.get("likely") == i else ""
            who = ", ".join(refs.get(s, s) for s in side["sources"])
            sides.append(f"\"{side['value']}\"{mark}: {who}; {side['independent']} independent")
        table.add_row(x["id"], x["kind"], escape(x["about"]), escape("\n".join(sides)), escape(x["explanation"]))
    out.print(table)
    etable = Table(title=plural(len(errors), "flagged error"), show_lines=True)
    for col in ("id", "kind", "source", "says", "corpus says", "why"):
        etable.add_column(col, overflow="fold")
    for e in errors:
        etable.add_row(
            e["id"], e["kind"], escape(refs.get(e["source"], e["source"])), escape(e["text"]),
            escape(e["correction"]), escape(e["why"]),
        )
    out.print(etable)


class ClaimStatus(StrEnum):
    corroborated = "corroborated"
    contested = "contested"
    single = "single-source"


@app.command()
def claims(
    db: DbOption = None,
    dossier: DossierOption = None,
    status: Annotated[
        list[ClaimStatus] | None, typer.Option("--status", help="Only claims with this status (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many claims (0: all).", min=0)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON claims.")] = False,
    embeddings: NoEmbeddings = True,
    story: StoryOption = None,
    recompute: Recompute = False,
) -> None:
    """List claims: statements of one or more sources asserting the same thing, with how many independent
    sources support each (wire copies count once) and whether a conflict touches it.

    Reads the stored story as analysed (--story, default the most recently covered) at once; --recompute
    cross-checks every stored article again, --dossier reads a dossier.json."""
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
    if as_json:
        _emit_json(shown)
        return
    refs = _refs(data)
    table = Table(title=f"{len(shown)} of {plural(len(rows), 'claim')}", show_lines=False)
    for col in ("id", "status", "indep.", "date", "claim (best source's words)", "sources"):
        table.add_column(col, overflow="fold")
    style = {"corroborated": "green", "contested": "red", "single-source": "yellow"}
    for c in shown:
        table.add_row(
            c["id"], f"[{style[c['status']]}]{c['status']}[/]", str(c["independent"]), c["date"] or "",
            escape(c["text"]), escape(", ".join(refs.get(s, s).split(" ", 1)[0] for s in c["sources"])),
        )
    out.print(table)


# --------------------------------------------------------------------------- the reader's view

def _markers(citations: list[dict], refs: dict[str, str]) -> str:
    seen = dict.fromkeys(refs.get(c["source"], "?") for c in citations)
    return "".join(f"[{r}]" for r in seen)


def _human_date(value: str | None) -> str:
    from storyline.reader.briefing import human_date

    return human_date(value)


stories_app = typer.Typer(
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the stories in the store (each `storyline analyze` saves one), most recently covered first.

    A story's title is the headline of its most recent well-scored article (never a section label); its id
    is a slug of the first title it got.  Re-analysing a story (with or without new articles) updates it."""
    if ctx.invoked_subcommand is not None:
        return
    rows, path = _stored_rows(db, lambda store: store.stories())
    if as_json:
        _emit_records(rows)
        return
    table = Table(title=f"{plural(len(rows), 'story')} in {path}")
    table.add_column("id", no_wrap=True)
    for col in ("title", "sources", "period", "claims", "conflicts", "errors"):
        table.add_column(col, overflow="fold")
    for r in rows:
        c = r.counts
        table.add_row(
            escape(r.id), escape(r.title), str(r.articles), f"{r.first or '?'} – {r.last or '?'}",
            f"{c.get('claims', 0)} ({c.get('corroborated', 0)} corroborated)", str(c.get("conflicts", 0)),
            str(c.get("errors", 0)),
        )
    out.print(table)


@stories_app.command("rename")
def stories_rename(
    story: Annotated[str, typer.Argument(help="The story's id (see `storyline stories`).")],
    title: Annotated[str, typer.Argument(help="The new title; kept when the story is re-analysed.")],
    db: DbOption = None,
    new_id: Annotated[
        str | None,
        typer.Option("--id", help="A new id too (lower-case letters, digits, hyphens); --id '' uses the slug "
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


@app.command()
def brief(
    story: StoryOption = None,
    db: DbOption = None,
    length: Annotated[int, typer.Option("--length", "-n", help="Sentences in the explainer.", min=3, max=30)] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the briefing as JSON.")] = False,
) -> None:
    """Print a story's briefing: a headline and a short explainer (what happened, what each side says, what is
    disputed or wrong, what comes next), every sentence cited to its sources ([s1] = source 1, listed below).

    Single-source statements are introduced as such; flagged errors are never stated as fact."""
    from storyline.reader.briefing import briefing_to_dict, build_briefing, lead_in
    from storyline.reader.stories import load_dossier, resolve_story, suppressions

    try:
        with _open_store(db) as store:
            summary = resolve_story(store, story)
            dossier = load_dossier(store, summary.id)
            b = build_briefing(dossier, length=length, suppressed=suppressions(store, summary.id))
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if as_json:
        data = {"story": summary.id, **briefing_to_dict(b)}
        _emit_json(data)
        return
    sources = {s["id"]: s for s in dossier.get("sources", [])}
    refs = {sid: s["ref"] for sid, s in sources.items()}
    used: dict[str, None] = {}
    out.print(f"[bold]{escape(b.headline)}[/]", highlight=False)
    out.print(
        f"[dim]{summary.id} · {len(sources)} sources · as of {_human_date(b.as_of)}[/]", highlight=False
    )
    style = {"single-source": "yellow", "contested": "red", "disputed": "red"}
    for section in b.sections:
        out.print(f"\n[bold underline]{escape(section.title)}[/]", highlight=False)
        for sent in section.sentences:
            cites = [{"source": c.source} for c in sent.citations]
            used.update(dict.fromkeys(c.source for c in sent.citations))
            lead = lead_in(sent, dossier)
            text = escape(sent.text)
            if sent.status in style:
                text = f"[{style[sent.status]}]{text}[/]"
            prefix = f"[italic]{escape(lead)}[/] " if lead else ""
            out.print(f" • {prefix}{text} [dim]{escape(_markers(cites, refs))}[/]", highlight=False)
    out.print("\n[bold]Sources[/]", highlight=False)
    for sid in sorted(used, key=lambda s: int(refs.get(s, "s0")[1:] or 0)):
        src = sources.get(sid, {})
        out.print(
            f" [dim]{escape('[' + refs.get(sid, '?') + ']')}[/] {escape(src.get('outlet') or src.get('origin') or sid)}, "
            f"{_human_date(src.get('published'))}: {escape(src.get('title') or '')}",
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer a question about a story from its sources, with citations; "The sources do not say." when nothing
    supports an answer (exit code 3 then)."""
    from storyline.reader.ask import answer, answer_to_dict
    from storyline.reader.stories import load_dossier, resolve_story, story_index, suppressions

    if not question.strip():
        err.print("error: the question is empty")
        raise typer.Exit(EXIT_USAGE)
    try:
        with _open_store(db) as store:
            summary = resolve_story(store, story)
            dossier = load_dossier(store, summary.id)
            embedder = None if embeddings else False
            if embeddings:
                from storyline.extract.embed import get_embedder

                embedder = get_embedder()
            index = story_index(store, summary.id, embedder=embedder)
            result = answer(question, dossier, index, embedder=embedder, suppressed=suppressions(store, summary.id))
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if as_json:
        _emit_json({"story": summary.id, **answer_to_dict(result)})
    else:
        sources = {s["id"]: s for s in dossier.get("sources", [])}
        refs = {sid: s["ref"] for sid, s in sources.items()}
        cites = [{"source": c.source} for c in result.citations]
        out.print(f"[bold]{escape(result.text)}[/] [dim]{escape(_markers(cites, refs))}[/]", highlight=False)
        if result.answered and result.passages:
            out.print("\n[dim]Supporting sentences:[/]", highlight=False)
            for p in result.passages[:5]:
                src = sources.get(p.citation.source, {})
                out.print(
                    f" [dim]{escape('[' + refs.get(p.citation.source, '?') + ']')} {escape(src.get('outlet') or '')}, "
                    f"{_human_date(p.published or src.get('published'))}:[/] {escape(p.citation.text)}",
                    highlight=False,
                )
    if not result.answered:
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
    story: Annotated[str | None, typer.Option("--story", "-s", help="Only this story's reports.")] = None,
    status: Annotated[ProblemStatus | None, typer.Option("--status", help="Only reports with this status.")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    log: Annotated[bool, typer.Option("--log", help="Show the corrections log instead (every report and decision).")] = False,
) -> None:
    """List problem reports (newest first)."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        with _open_store(db) as store:
            if log:
                entries = store.problem_log(story)
            else:
                rows = store.problems(story, status.value if status else None)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if log:
        if as_json:
            _emit_json(entries)
            return
        table = Table(title=f"corrections log: {len(entries)} entries")
        for col in ("when", "report", "story", "action", "item", "note"):
            table.add_column(col, overflow="fold")
        for e in entries:
            table.add_row(
                e["at"], f"#{e['problem']}", escape(e["story"]), e["action"],
                escape(f"{e['item_kind']}: {e['item_text'][:120]}"), escape(e["note"] or ""),
            )
        out.print(table)
        return
    if as_json:
        _emit_records(rows)
        return
    table = Table(title=f"{len(rows)} problem reports", show_lines=True)
    for col in ("#", "status", "story", "item", "category", "comment", "reported"):
        table.add_column(col, overflow="fold")
    colour = {"open": "yellow", "resolved": "green", "suppressed": "red"}
    for p in rows:
        table.add_row(
            str(p.id), f"[{colour.get(p.status, 'white')}]{p.status}[/]", escape(p.story),
            escape(f"{p.item_kind}: {p.item_text[:160]}\n{p.item_key}"), p.category,
            escape(p.comment + (f"\n→ {p.resolution}" if p.resolution else "")), p.created_at,
        )
    out.print(table)


def _decide(problem_id: int, status: str, note: str | None, db: Path | None) -> None:
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
    import uvicorn

    from storyline.web.app import create_app, maintainer_url

    try:
        with _open_store(db) as store:
            path = store.path
            n = len(store.stories())
    except StorylineError as exc:
        raise _fatal(exc) from exc
    web = create_app(path, maintainer=maintainer, embedder=None if embeddings else False)
    _say(err, f"serving {plural(n, 'story')} from {path} on http://{host}:{port}/ (Ctrl-C to stop)")
    if maintainer:
        _say(err, f"maintainer: open {maintainer_url(web, f'http://{host}:{port}')} to resolve or suppress reports "
             "(a new token at every start; keep this address to yourself)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command()
def version() -> None:
    """Print the storyline version and the NLP model it uses."""
    from storyline.extract.nlp import model_name

    _say(out, f"storyline {__version__} (spaCy model: {model_name()})")


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
