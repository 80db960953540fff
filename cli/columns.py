"""``netmob columns``: the data dictionary (every output table and column) on the terminal,
as plain text or as the Markdown of ``docs/DATA.md``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from netmob.cli.common import clear_errors, console


def columns(
    table: Annotated[
        str | None,
        typer.Argument(
            help="A table (e.g. compare/effects), a command's tables (run, sweep, results, "
            "compare, calibrate), or every table of a name (weekly) [default: all]"
        ),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The whole dictionary as docs/DATA.md has it")
    ] = False,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Tab-separated: table, column, type, unit, basis, meaning"),
    ] = False,
) -> None:
    """The data dictionary: each output table's columns with type, unit, basis (per person
    or which aggregate) and meaning."""
    from netmob.analysis import dictionary

    if markdown:
        typer.echo(dictionary.markdown(), nl=False)
        return
    chosen = dictionary.select(table)
    if plain:
        for t in chosen:
            for c in t.columns:
                typer.echo("\t".join((t.key, c.name, c.type, c.unit, c.basis, c.meaning)))
        return
    for t in chosen:
        console.print(rich_table(t))


def rich_table(t) -> Table:
    """One table of the dictionary as a Rich table."""
    shown = Table(
        title=f"{t.key}: {t.path} ({t.written_by})",
        caption=escape(f"One row: {t.rows}." + (f" {t.notes}" if t.notes else "")),
        caption_justify="left",
    )
    shown.add_column("column", no_wrap=True)
    for col in ("type", "unit", "basis"):
        shown.add_column(col)
    shown.add_column("meaning", ratio=1)
    for c in t.columns:
        shown.add_row(escape(c.name), c.type, escape(c.unit), c.basis, escape(c.meaning))
    return shown


def register(app: typer.Typer) -> None:
    """Add ``netmob columns`` to the command line."""
    app.command("columns")(clear_errors(columns))
