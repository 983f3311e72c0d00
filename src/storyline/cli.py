"""The `storyline` command: a thin layer over the Python API.

Exit codes: 0 everything analysed; 1 partial (some inputs could not be used, the
rest were); 2 usage error; 3 nothing could be analysed; 4 storyline error (store,
model, schema).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline import __version__
from storyline.errors import StorylineError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2, 3, 4

app = typer.Typer(
    name="storyline",
    help=(
        "Read many news articles about one story and say what is actually known: events by date, who said "
        "what, figures, every item cited to the exact characters of its source.\n\n"
        "Exit codes: 0 ok; 1 partial (some inputs failed, the rest ran); 2 usage error; "
        "3 nothing could be analysed; 4 storyline error (store, model, schema)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite store to use (default: $STORYLINE_DB, else storyline.db in your user data directory).",
        dir_okay=False,
    ),
]


def _open_store(db: Path | None):
    from storyline.store import Store

    return Store(db)


def _fatal(exc: StorylineError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
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
    title: Annotated[str | None, typer.Option(help="Story title for the reports (default: earliest headline).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes for parsing (default: one per core, at most 8).", min=1)
    ] = None,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest input accepted, in MB.", min=0.001)] = 20.0,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a URL.", min=0.1)] = 10.0,
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
) -> None:
    """Analyse articles into the store and (with -o) write the cited dossier and reports.

    Articles already in the store are reused, so a re-run after a failure picks up where it left off.
    Every input that cannot be used gets one line naming it and the reason; the rest still run.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from storyline.pipeline import analyze as run_analyze

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
                progress.console.print(f"[yellow]skipped[/] {detail}", markup=True, highlight=False)
            elif event == "article":
                counts["article"] += 1
            elif event == "stage":
                progress.update(task, description=detail)
            progress.update(
                task, detail=f"{counts['article']} articles, {counts['failure']} failed", advance=1
            )

        try:
            with _open_store(db) as store:
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
                    progress=on_event,
                    crosscheck=crosscheck,
                    embeddings=embeddings,
                )
                store_path = store.path
        except StorylineError as exc:
            raise _fatal(exc) from exc
    dossier = result.dossier or {}
    out.print(
        f"analysed {len(result.article_ids)} articles ({result.processed} new, {result.reused} already stored"
        f"{f', {result.duplicates} duplicates' if result.duplicates else ''}), {len(result.failures)} failed; "
        f"{len(dossier.get('events', []))} events, {len(dossier.get('quotes', []))} quotes, "
        f"{len(dossier.get('figures', []))} figures, {len(dossier.get('entities', []))} entities",
        highlight=False,
    )
    if dossier.get("claims") or dossier.get("quality"):
        from storyline.report import plural

        claims = dossier.get("claims", [])
        status = {k: sum(1 for c in claims if c["status"] == k) for k in ("corroborated", "single-source", "contested")}
        out.print(
            f"cross-checked: {len(claims)} claims ({status['corroborated']} corroborated, {status['contested']} "
            f"contested, {status['single-source']} single-source), {plural(len(dossier.get('conflicts', [])), 'conflict')}, "
            f"{plural(len(dossier.get('errors', [])), 'flagged error')}, "
            f"{plural(len(dossier.get('series', [])), 'running figure')}, "
            f"{plural(len(dossier.get('independence', {}).get('groups', [])), 'copy group')}",
            highlight=False,
        )
    out.print(f"store: {store_path}", highlight=False)
    for name, path in sorted(result.outputs.items()):
        out.print(f"{name}: {path}", highlight=False)
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
    from storyline.codec import to_dict
    from storyline.records import Span

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
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
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
    try:
        with _open_store(db) as store:
            rows = store.sources()
            path = store.path
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if as_json:
        from storyline.codec import to_dict

        sys.stdout.write(json.dumps([to_dict(r) for r in rows], indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rows)} sources in {path}")
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


def _load_crosscheck(dossier_path: Path | None, db: Path | None, embeddings: bool) -> dict:
    """A dossier with the cross-checking sections: read from a file, or built over every stored article."""
    if dossier_path is not None:
        from storyline.dossier import validate_dossier
        from storyline.errors import SchemaError

        try:
            data = json.loads(dossier_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(f"{dossier_path}: cannot read a dossier ({exc})") from exc
        try:
            validate_dossier(data)
        except SchemaError as exc:
            raise SchemaError(f"{dossier_path}: {exc}") from exc
        return data
    from storyline.pipeline import build_from_store

    with _open_store(db) as store:
        ids = [r.id for r in store.sources()]
        if not ids:
            return {}
        return build_from_store(store, ids, embeddings=embeddings)


def _refs(dossier: dict) -> dict[str, str]:
    return {s["id"]: f"[{s['ref']}] {s.get('outlet') or s.get('origin') or s['id']}" for s in dossier.get("sources", [])}


NoEmbeddings = Annotated[
    bool,
    typer.Option("--embeddings/--no-embeddings", help="Use sentence embeddings when building from the store."),
]


@app.command()
def conflicts(
    db: DbOption = None,
    dossier: DossierOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (conflicts and flagged errors).")] = False,
    embeddings: NoEmbeddings = True,
) -> None:
    """List where sources disagree (numbers, names, roles, actors, dates, internal contradictions) and the
    statements flagged as probably wrong, each side with its sources and cited words."""
    try:
        data = _load_crosscheck(dossier, db, embeddings)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if not data:
        err.print("nothing to cross-check: the store has no articles (run `storyline analyze` first)")
        raise typer.Exit(EXIT_NOTHING)
    found, errors = data.get("conflicts", []), data.get("errors", [])
    if as_json:
        sys.stdout.write(json.dumps({"conflicts": found, "errors": errors}, indent=2, ensure_ascii=False) + "\n")
        return
    refs = _refs(data)
    table = Table(title=f"{len(found)} conflicts", show_lines=True)
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
    etable = Table(title=f"{len(errors)} flagged errors", show_lines=True)
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
) -> None:
    """List claims: statements of one or more sources asserting the same thing, with how many independent
    sources support each (wire copies count once) and whether a conflict touches it."""
    try:
        data = _load_crosscheck(dossier, db, embeddings)
    except StorylineError as exc:
        raise _fatal(exc) from exc
    if not data:
        err.print("nothing to cross-check: the store has no articles (run `storyline analyze` first)")
        raise typer.Exit(EXIT_NOTHING)
    wanted = {s.value for s in status} if status else None
    rows = [c for c in data.get("claims", []) if wanted is None or c["status"] in wanted]
    shown = rows[:limit] if limit else rows
    if as_json:
        sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")
        return
    refs = _refs(data)
    table = Table(title=f"{len(shown)} of {len(rows)} claims", show_lines=False)
    for col in ("id", "status", "indep.", "date", "claim (best source's words)", "sources"):
        table.add_column(col, overflow="fold")
    style = {"corroborated": "green", "contested": "red", "single-source": "yellow"}
    for c in shown:
        table.add_row(
            c["id"], f"[{style[c['status']]}]{c['status']}[/]", str(c["independent"]), c["date"] or "",
            escape(c["text"]), escape(", ".join(refs.get(s, s).split(" ", 1)[0] for s in c["sources"])),
        )
    out.print(table)


@app.command()
def version() -> None:
    """Print the storyline version and the NLP model it uses."""
    from storyline.nlp import model_name

    out.print(f"storyline {__version__} (spaCy model: {model_name()})", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
