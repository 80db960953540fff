"""``netmob scenarios list | show NAME | validate FILE...``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from netmob.cli.common import clear_errors, console
from netmob.sim.errors import InputError

scenarios_app = typer.Typer(
    help="The scenario library: list, show and validate scenario files.", no_args_is_help=True
)


@scenarios_app.command("list")
def list_() -> None:
    """List the scenarios in the library with what each is about."""
    from netmob.sim.scenario import library, library_dir, load_scenario

    table = Table(title=f"Scenarios in {library_dir()}")
    for col in ("name", "extends", "description"):
        table.add_column(col)
    for name in library():
        sc = load_scenario(name)
        table.add_row(name, " <- ".join(sc.chain[1:]) or "-", sc.description)
    console.print(table)


@scenarios_app.command()
def show(name: Annotated[str, typer.Argument(help="Scenario name or file")]) -> None:
    """Show a scenario: its description, chain and every parameter it changes."""
    from netmob.sim.params import Params, field_info
    from netmob.sim.scenario import load_scenario

    sc = load_scenario(name)
    console.print(f"[bold]{sc.name}[/]  ({' <- '.join(sc.chain)})\n{sc.description}\n")
    default = Params().flat()
    differ = {k: v for k, v in sc.params.flat().items() if default[k] != v}
    table = Table(title="Parameters that differ from the defaults")
    # a parameter's name is what a user copies into a scenario: never cut it short
    table.add_column("parameter", no_wrap=True, min_width=max(map(len, differ), default=9))
    for col in ("value", "default", "unit", "source"):
        table.add_column(col)
    for key, value in differ.items():
        info = field_info(key)
        table.add_row(key, str(value), str(default[key]), info["unit"], info["source"])
    console.print(table)


@scenarios_app.command()
def validate(files: Annotated[list[str], typer.Argument(help="Scenario files or names")]) -> None:
    """Check scenario files against the schema; stops at the first problem (exit code 2)."""
    from netmob.sim.scenario import load_scenario

    for f in files:
        sc = load_scenario(f)
        console.print(f"[green]ok[/] {f} ({sc.name}: {len(sc.overrides)} groups overridden)")


def register(app: typer.Typer) -> None:
    """Add ``netmob scenarios ...`` to the command line."""
    for cmd in scenarios_app.registered_commands:
        cmd.callback = clear_errors(cmd.callback)
    app.add_typer(scenarios_app, name="scenarios")


__all__ = ["InputError", "register"]
