"""``netmob area``: a commissioner's own place, as a folder netmob checks and runs on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmob.cli.common import clear_errors, console, err_console

area_app = typer.Typer(
    help="Your own place: write an area folder (area.yaml, resources.csv) and check it; "
    "run or compare on it with --area DIR.",
    no_args_is_help=True,
)


@area_app.command("template")
@clear_errors
def template(
    folder: Annotated[Path, typer.Argument(help="Folder to write (created if need be)")],
    people: Annotated[
        int | None,
        typer.Option(help="People with long-term conditions [default: the schema's, 2000]"),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed whose default resources the template holds")] = 1,
) -> None:
    """Write FOLDER/area.yaml, resources.csv and resources.md, pre-filled with netmob's
    defaults: untouched, the folder reproduces the default community for --seed."""
    from netmob.sim.area import write_template

    written = write_template(folder, people=people, seed=seed)
    console.print(
        f"Wrote {', '.join(str(p) for p in written)}. Edit them, then: netmob area validate "
        f"{folder}",
        highlight=False,
        soft_wrap=True,
    )


@area_app.command("validate")
@clear_errors
def validate(folder: Annotated[Path, typer.Argument(help="The area folder")]) -> None:
    """Check FOLDER's area.yaml and resources.csv; a bad value stops with one message
    naming the file, the row or field, the column, the value and what is allowed (exit 2)."""
    from netmob.sim.area import load_area
    from netmob.sim.area.folder import default_places_per_person
    from netmob.sim.vocabulary import RESOURCE_KINDS

    area = load_area(folder)
    d = area.directory
    table = Table(title=f"{area.name}: {d.people:,} people, {len(d)} resources")
    for col in ("kind", "resources", "places a week", "take referrals"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for code, kind in enumerate(RESOURCE_KINDS):
        rows = [i for i, k in enumerate(d.kind) if k == code]
        places = sum(d.places[i] for i in rows)
        referrals = sum(d.referrals[i] for i in rows)
        table.add_row(kind, str(len(rows)), f"{places:,.0f}", str(referrals))
    console.print(table)
    console.print(
        f"{folder} is valid: {len(d.neighbourhoods)} neighbourhoods "
        f"({', '.join(d.neighbourhoods)}).",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"Places a week per person: {area.places_per_person():.2g} (the default community of "
        f"{area.people:,} people: {default_places_per_person(area.people):.2g}).",
        highlight=False,
        soft_wrap=True,
    )
    if thin := area.thin_directory():
        err_console.print(f"warning: {thin}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``netmob area`` to the command line."""
    app.add_typer(area_app, name="area")
