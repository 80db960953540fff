"""``netmob discover``: where in a sweep an outcome clears a threshold (PRIM boxes).

:func:`register` adds it to the ``netmob`` Typer app; the work is in
:mod:`netmob.analysis.sweep_discover`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmob.cli.common import clear_errors, console, err_console


def discover(
    sweep_dir: Annotated[Path, typer.Argument(help="A sweep directory (netmob sweep)")],
    outcome: Annotated[
        str,
        typer.Option(
            help="An outcome the sweep kept (netmob results DIR lists them), or net_benefit "
            "(with --wtp)"
        ),
    ],
    above: Annotated[
        float | None, typer.Option(help="Find where the outcome is above this")
    ] = None,
    below: Annotated[
        float | None, typer.Option(help="Find where the outcome is below this")
    ] = None,
    wtp: Annotated[
        float | None,
        typer.Option(help="Willingness to pay, GBP per QALY, for --outcome net_benefit"),
    ] = None,
    boxes: Annotated[int, typer.Option(help="Boxes to look for at most")] = 3,
    min_density: Annotated[
        float | None,
        typer.Option(
            help="Keep the box with most coverage among those at least this dense "
            "[default: the best coverage times lift]"
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory (default SWEEP_DIR)")] = None,
) -> None:
    """Find the conditions (ranges of the sweep's factors) under which an outcome is above
    (or below) a threshold, with PRIM; write discover.csv, discover.png, discover.txt."""
    from netmob.analysis.sweep_discover import sweep_discovery, write
    from netmob.experiments.store import read_manifest

    found, notes = sweep_discovery(
        sweep_dir,
        outcome,
        above=above,
        below=below,
        wtp=wtp,
        boxes=boxes,
        min_density=min_density,
    )
    for note in notes[1:]:  # runs left out
        err_console.print(f"note: {note}", highlight=False, soft_wrap=True)
    console.print(
        f"{found.question()}? {found.clear} of {found.runs} runs do. {notes[0]}",
        highlight=False,
        soft_wrap=True,
    )
    if len(found.boxes):
        console.print(_boxes_table(found.boxes))
    for s in found.sentences or ["PRIM found no box that does better than the runs as a whole."]:
        console.print(f"- {s}", highlight=False, soft_wrap=True)
    folder = out or sweep_dir
    files = write(found, notes, folder, read_manifest(sweep_dir)["name"])
    console.print(
        f"Wrote {', '.join(p.name for p in files)} to {folder}", highlight=False, soft_wrap=True
    )


def _boxes_table(boxes) -> Table:
    shown = Table(title="Boxes (limits in discover.csv)")
    for col in ("box", "runs", "density", "coverage", "restricts"):
        shown.add_column(col, justify="left" if col == "restricts" else "right")
    for _, r in boxes.iterrows():
        shown.add_row(
            str(r["box"]),
            str(r["runs"]),
            f"{r['density']:.0%}",
            f"{r['coverage']:.0%}",
            r["restricted"],
        )
    return shown


def register(app: typer.Typer) -> None:
    """Add ``discover`` to the ``netmob`` app, stopping bad input with one line."""
    app.command("discover")(clear_errors(discover))
