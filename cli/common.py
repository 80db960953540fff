"""What every ``netmob`` command shares: the consoles and the one way bad input stops."""

from __future__ import annotations

import functools
from typing import Annotated

import typer
from rich.console import Console

from netmob.sim.errors import InputError

console = Console()
err_console = Console(stderr=True)


def clear_errors(fn):
    """Bad input stops with one message and exit code 2, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as err:
            err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def note_other_code(report, what: str, how: str) -> None:
    """Say so when a resumed experiment began with other code than this session's."""
    if (report.ran or report.done_before) and report.started_with != report.code_version:
        err_console.print(
            f"note: this {what} began with code {report.started_with}; this session ran "
            f"{report.code_version} ({how})",
            highlight=False,
            soft_wrap=True,
        )


# The options every many-run command shares (sweep, compare, calibrate).
BackendOption = Annotated[str, typer.Option(help="local (processes here) or dask")]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Dask scheduler address; none: a local Dask cluster")
]
WorkersOption = Annotated[
    int | None, typer.Option(help="Worker processes (local, or a local Dask cluster)")
]
