"""Tables and records for the terminal, for pipes and for scripts: one helper for every command's output.

A command describes what it shows as a :class:`Listing` (one or more titled sections of rows, plus the JSON
payload it prints with ``--json``) and :func:`render` prints it in the format asked for:

* on a terminal at least :data:`WIDE` columns wide, a table, when every column fits without cutting a word;
* on a narrower terminal (or when the table would cut words), a list: one block of ``label: value`` lines
  per record, wrapped at word boundaries to the width;
* when stdout is not a terminal, or with ``--plain``: tab-separated text with a header row, one record a
  line, no colour, no escape codes, no box drawing;
* ``--csv``: the same columns as comma-separated values with a header row, quoted where needed;
* ``--json``: the command's JSON payload (machine output: ids and hashes belong there).

Every value taken from an input prints as itself: control characters and escape codes are shown as visible
escapes (``\\x1b``), and console markup is never applied to a value.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from storyline.text import printable

WIDE = 100  # columns: a narrower terminal gets the list layout
_MIN_WIDTH = 20  # the list layout never wraps narrower than this
_HANG = 4  # indent of a value under a label too long to stand beside it


class Format(StrEnum):
    """How a command prints: ``auto`` is a table or list on a terminal and ``plain`` when piped."""

    auto = "auto"
    plain = "plain"
    csv = "csv"
    json = "json"


@dataclass(frozen=True)
class Column:
    """One field: ``key`` names it in CSV, tab-separated and list output, ``label`` heads it for a reader.

    ``human`` / ``machine``: whether the table and list show it, and whether CSV and plain output carry it
    (ids a script needs can be machine-only; a readable combination of fields can be human-only).
    ``styles`` colours a cell by its value on a terminal (e.g. a status)."""

    key: str
    label: str = ""
    human: bool = True
    machine: bool = True
    no_wrap: bool = False
    styles: Mapping[str, str] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return self.label or self.key


@dataclass(frozen=True)
class Section:
    """A titled list of records; each row maps column keys to text (a missing key is an empty value; a
    newline in a value is a line break in a table or list, and ``; `` in tab-separated output)."""

    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Mapping[str, str]]
    name: str = ""  # the value of the listing's record column in CSV, when a listing has several sections
    lines: bool = False  # rules between table rows (for rows of several lines)


@dataclass(frozen=True)
class Listing:
    """What one command prints: its sections and its JSON payload.  ``record_key``, when set, names a
    leading CSV column that says which section each row comes from (sections with different columns)."""

    sections: tuple[Section, ...]
    data: object = None
    record_key: str | None = None


def layout(console: Console, fmt: Format = Format.auto) -> str:
    """The layout ``render`` uses: ``json``, ``csv``, ``plain``, or on a terminal ``table`` / ``list``."""
    if fmt is not Format.auto:
        return fmt.value
    if not console.is_terminal:
        return "plain"
    return "table" if console.width >= WIDE else "list"


def render(listing: Listing, console: Console, fmt: Format = Format.auto) -> None:
    """Print ``listing`` on ``console`` in ``fmt`` (see the module's docstring)."""
    chosen = layout(console, fmt)
    if chosen == "json":
        _write(console, to_json(listing.data))
    elif chosen == "csv":
        _write(console, to_csv(listing))
    elif chosen == "plain":
        _write(console, to_tsv(listing))
    else:
        for i, section in enumerate(listing.sections):
            if i:
                console.print()
            _print_section(console, section, tables=chosen == "table")


def _write(console: Console, text: str) -> None:
    """Write ``text`` exactly as it is (no markup, no wrapping, no highlighting)."""
    console.file.write(text)
    console.file.flush()


def to_json(data: object) -> str:
    """``data`` as indented UTF-8 JSON and a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def machine_rows(listing: Listing) -> tuple[list[str], list[list[str]]]:
    """The header and rows of CSV and plain output: every machine column of every section, in order."""
    header: list[str] = [listing.record_key] if listing.record_key else []
    for section in listing.sections:
        header += [c.key for c in section.columns if c.machine and c.key not in header]
    rows = []
    for section in listing.sections:
        for row in section.rows:
            values = {**row, **({listing.record_key: section.name} if listing.record_key else {})}
            rows.append([printable(str(values.get(key, "")), lines=True) for key in header])
    return header, rows


def to_csv(listing: Listing) -> str:
    """Comma-separated values with a header row, quoted where a value needs it (RFC 4180 quoting)."""
    header, rows = machine_rows(listing)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def to_tsv(listing: Listing) -> str:
    """Tab-separated values with a header row; tabs in a value become spaces and line breaks ``; ``."""
    header, rows = machine_rows(listing)
    return "".join("\t".join(_one_line(v) for v in row) + "\n" for row in [header, *rows])


def _one_line(value: str) -> str:
    return "; ".join(" ".join(part.split()) for part in value.splitlines() if part.strip())


def _print_section(console: Console, section: Section, *, tables: bool) -> None:
    table = build_table(section) if tables else None
    if table is not None and fits(console, table):
        console.print(table, soft_wrap=False)
        return
    for line in list_lines(section, console.width):
        console.print(line, soft_wrap=True, highlight=False)


def fits(console: Console, table: Table) -> bool:
    """Whether ``table`` fits the console's width with no word cut: each column at least as wide as its
    longest word (measured without the width limit, which would clamp the measure to it)."""
    unlimited = console.options.update_width(1_000_000)
    return Measurement.get(console, unlimited, table).minimum <= console.width


def _human(section: Section) -> list[Column]:
    return [c for c in section.columns if c.human]


def _cell(column: Column, row: Mapping[str, str]) -> Text:
    value = printable(str(row.get(column.key, "")), lines=True)
    return Text(value, style=column.styles.get(value, ""))


def build_table(section: Section) -> Table:
    """The section as a rich table (words wrap within their cells; a word longer than its cell folds)."""
    table = Table(title=Text(printable(section.title)), show_lines=section.lines)
    for column in _human(section):
        table.add_column(printable(column.heading), no_wrap=column.no_wrap, overflow="fold")
    for row in section.rows:
        table.add_row(*(_cell(c, row) for c in _human(section)))
    return table


def list_lines(section: Section, width: int) -> list[Text]:
    """The section as a list, every line at most ``width`` characters (at least 20): the title, then one
    block per record of ``label: value`` lines, values wrapped at word boundaries under their label."""
    width = max(width, _MIN_WIDTH)
    lines = [Text(line, style="bold") for line in wrap(printable(section.title), width)]
    if not section.rows:
        lines.append(Text("(none)", style="dim"))
    columns = _human(section)
    fitting = [len(printable(c.heading)) + 2 for c in columns if len(printable(c.heading)) + 2 <= width // 3]
    label_width = max(fitting, default=0)  # a longer label stands on a line of its own, its value under it
    for row in section.rows:
        lines.append(Text(""))
        for column in columns:
            lines += _field_lines(column, row, width, label_width)
    return lines


def _field_lines(column: Column, row: Mapping[str, str], width: int, label_width: int) -> list[Text]:
    cell = _cell(column, row)
    if not cell.plain.strip():
        return []
    label = printable(column.heading) + ":"
    beside = len(label) + 1 <= label_width
    indent = label_width if beside else _HANG
    parts = cell.plain.splitlines()
    wrapped = [piece for part in parts for piece in _hanging(part, width - indent, 2 if len(parts) > 1 else 0)]
    first = [Text(label, style="dim")] if not beside else []
    lines = first + [Text(" " * indent) + Text(piece, style=cell.style) for piece in wrapped]
    if beside:
        lines[0] = Text(label.ljust(label_width), style="dim") + Text(wrapped[0], style=cell.style)
    return lines


def _hanging(text: str, width: int, indent: int) -> list[str]:
    """``text`` wrapped to ``width``, lines after the first indented by ``indent`` more spaces (one line of
    a value of several lines: its continuation stands out from the next line)."""
    first, *rest = wrap(text, width)
    return [first, *(" " * indent + line for line in wrap(" ".join(rest), width - indent))] if rest else [first]


def wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` at spaces; only a word longer than a whole line is cut."""
    return textwrap.wrap(text, width=max(width, 1), break_on_hyphens=False) or [""]


def print_text(console: Console, text: Text, fmt: Format = Format.auto, *, first: str = "", rest: str = "") -> None:
    """Print one paragraph of running text (a briefing sentence, a headline): on a terminal wrapped at word
    boundaries to the width, ``first`` before its first line and ``rest`` before the others (a hanging
    indent), styles kept; otherwise on one line as plain text, without styles or escape codes."""
    if layout(console, fmt) != "list" and layout(console, fmt) != "table":
        _write(console, first + text.plain + "\n")
        return
    lines = text.wrap(console, max(console.width - len(first), _MIN_WIDTH // 2)) or [Text("")]
    for i, line in enumerate(lines):
        line.rstrip()
        console.print(Text(first if i == 0 else rest) + line, soft_wrap=True, highlight=False)
