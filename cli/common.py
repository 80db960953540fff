"""What every ``netmob`` command shares: the consoles and the one way bad input stops."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from netmob.sim.errors import InputError

console = Console()
err_console = Console(stderr=True)


def clear_errors(fn, out_is_file: bool = False):
    """Bad input stops with one message and exit code 2, no traceback. ``--out`` is
    checked to be a folder unless the command writes one file there (``out_is_file``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            if not out_is_file:
                check_out(kwargs.get("out"))
            return fn(*args, **kwargs)
        except InputError as err:
            # the message is text, not Rich markup: "[a, b]" in it must print as written
            err_console.print(
                f"[bold red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(2) from None

    return wrapper


def check_out(out: Path | None) -> None:
    """An output folder (``--out``) must be a folder, or a path that can become one.

    Raises:
        InputError: if it, or a folder above it, is a file.
    """
    if out is None:
        return
    for path in (Path(out), *Path(out).parents):
        if path.exists():
            if not path.is_dir():
                raise InputError(
                    "is a file, not a folder" if path == Path(out) else f"{path} is a file",
                    field="--out",
                    value=str(out),
                    allowed="a new folder, or one netmob wrote",
                )
            return


def note_other_code(report, what: str, how: str) -> None:
    """Say so when a resumed experiment began with other code than this session's."""
    if (report.ran or report.done_before) and report.started_with != report.code_version:
        err_console.print(
            f"note: this {what} began with code {report.started_with}; this session ran "
            f"{report.code_version} ({how})",
            highlight=False,
            soft_wrap=True,
        )


def say_failures(out, retry: str) -> bool:
    """Say on stderr how many runs of the experiment in ``out`` failed or are missing,
    with the most common errors; True if any did (the command then exits 1).

    ``retry``: how to run the failed ones again."""
    from netmob.experiments.store import status

    s = status(out)
    if not (s["failed"] or s["missing"]):
        return False
    if s["failed"]:
        err_console.print(
            f"{s['failed']} of {s['runs']} runs failed; {retry}. Most common errors:",
            highlight=False,
            soft_wrap=True,
        )
        for error, n in list(s["errors"].items())[:3]:
            first = error.splitlines()[0] if error else "(no message)"
            err_console.print(f"  {n} x {escape(first[:300])}", highlight=False, soft_wrap=True)
    if s["missing"]:
        err_console.print(
            f"{s['missing']} of {s['runs']} runs are missing (lost with a worker, or not run); "
            "run the same command again to finish them.",
            highlight=False,
            soft_wrap=True,
        )
    err_console.print(
        f"Every run's status and error: netmob results {out}", highlight=False, soft_wrap=True
    )
    return True


# The options every many-run command shares (sweep, compare, calibrate).
BackendOption = Annotated[str, typer.Option(help="local (processes here) or dask")]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Dask scheduler address; none: a local Dask cluster")
]
SchedulerFileOption = Annotated[
    str | None,
    typer.Option(
        help="A Dask scheduler's JSON file (dask scheduler --scheduler-file, dask-jobqueue, "
        "dask-mpi), instead of --scheduler"
    ),
]
WorkersOption = Annotated[
    int | None, typer.Option(help="Worker processes (local, or a local Dask cluster)")
]
AreaOption = Annotated[
    Path | None,
    typer.Option(
        help="An area folder (area.yaml and resources.csv; netmob area template DIR writes "
        "one): the area's people and its real resource directory instead of the default "
        "community's",
        show_default=False,
    ),
]


def read_area(folder: Path | None):
    """The checked area in ``folder`` (None: no area)."""
    if folder is None:
        return None
    from netmob.sim.area import load_area

    return load_area(folder)


def note_area(area, people: int | None) -> None:
    """Say on stderr how a run of ``people`` scales the area's workers, budget and places
    (nothing at the area's own people), and warn of a directory far thinner than the
    default community's (nothing without an area)."""
    if area is None:
        return
    text = area.scaling(people) if people is not None else ""
    if text:
        err_console.print(f"note: {text}", highlight=False, soft_wrap=True)
    thin = area.thin_directory()
    if thin:
        err_console.print(f"warning: {thin}", highlight=False, soft_wrap=True)


def print_trust(result) -> None:
    """'How far to trust this' on the terminal, as the report says it
    (:func:`netmob.analysis.trust.trust_lines`)."""
    from netmob.analysis.compare import DRAW
    from netmob.analysis.trust import distinct_draws, trust_lines

    console.print("How far to trust this:", highlight=False)
    for line, warn in trust_lines(result.settings, distinct_draws(result.runs, DRAW)):
        mark = "! " if warn else "  "
        console.print(f"{mark}{line}", highlight=False)


@contextlib.contextmanager
def saying_what_is_saved(out: Path, what: str) -> Iterator[None]:
    """On Ctrl-C, say how many of the experiment's runs in ``out`` are saved and how to
    finish it, and exit 130 (as an interrupted command does)."""
    try:
        yield
    except KeyboardInterrupt:
        from netmob.experiments.store import status

        try:
            s = status(out)
            saved = f"{s['done'] + s['failed']} of {s['runs']} runs are saved in {out}"
        except Exception:  # interrupted before the directory was set up
            saved = f"nothing is saved in {out} yet"
        err_console.print(
            f"\nInterrupted: {saved}. Run the same command again to finish the {what}: the "
            "runs saved are kept, and only the missing ones run.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(130) from None
