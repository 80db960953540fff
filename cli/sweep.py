"""The sweep commands of ``netmob``: ``sweep``, ``results``, ``sensitivity``, ``sweep-report``.

:func:`register` adds them to the ``netmob`` Typer app; heavy imports happen when a
command runs, not when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmob.cli.common import (
    AreaOption,
    BackendOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
    clear_errors,
    console,
    err_console,
    note_area,
    note_other_code,
    read_area,
    say_failures,
    saying_what_is_saved,
)

RESULTS = "results.parquet"  # a sweep's runs with their factors, rewritten each session


def sweep(
    spec: Annotated[str, typer.Argument(help="Sweep spec: a YAML file or a name in experiments/")],
    out: Annotated[Path, typer.Option(help="Sweep directory (created, or resumed)")],
    backend: BackendOption = "local",
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    workers: WorkersOption = None,
    batch: Annotated[int, typer.Option(help="Runs per task (more for very short runs)")] = 1,
    chunk: Annotated[int, typer.Option(help="Runs per results chunk written")] = 50,
    retry_failed: Annotated[bool, typer.Option(help="Run failed runs again")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar")] = False,
    area: AreaOption = None,
) -> None:
    """Run a sweep, streaming results to OUT; run it again to resume."""
    from netmob.experiments.backends import make_backend
    from netmob.experiments.memory import check_backend, sweep_people
    from netmob.experiments.runner import run_sweep
    from netmob.experiments.spec import load_spec
    from netmob.experiments.store import write_results
    from netmob.sim.errors import InputError

    for name, value in (("--batch", batch), ("--chunk", chunk)):
        if value < 1:
            raise InputError("must be 1 or more", field=name, value=value, allowed="1, 2, 3, ...")
    the_spec = load_spec(spec)
    the_area = read_area(area)
    if the_area is not None:
        the_spec = the_spec.on_area(the_area)
        if any(f.name == "population.n_people" for f in the_spec.factors):
            err_console.print(
                f"note: the sweep varies population.n_people; {the_area.name}'s workers, "
                "budget and places are scaled to each run's people",
                highlight=False,
                soft_wrap=True,
            )
            note_area(the_area, None)
        else:
            note_area(the_area, the_spec.base_params.population.n_people)
    the_backend = make_backend(
        backend, workers=workers, scheduler=scheduler, scheduler_file=scheduler_file
    )
    err_console.print(
        f"Sweep '{the_spec.name}' ({the_spec.design.kind}, {the_spec.replicates} replicates) "
        f"on {the_backend.describe()}, into {out}",
        highlight=False,
        soft_wrap=True,
    )
    with saying_what_is_saved(out, "sweep"), the_backend.open():  # one pool or client
        check_backend(the_backend, sweep_people(the_spec))
        r = run_sweep(
            the_spec,
            out,
            the_backend,
            batch=batch,
            chunk=chunk,
            retry_failed=retry_failed,
            progress=not quiet,
        )
    note_other_code(r, "sweep", f"each session is listed in {out}/manifest.json")
    write_results(out, out / RESULTS)  # the runs with their factors, for DuckDB, polars, ...
    rate = r.ran / r.wall_seconds if r.wall_seconds > 0 else 0.0
    console.print(
        f"This session: {r.ran} runs in {r.wall_seconds:.1f} s ({rate:.2f} runs/s), "
        f"{r.failed} failed, {r.lost} lost; {r.done_before} were done before. "
        f"Overhead outside the model: {r.overhead:.1%}",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"{r.runs - r.missing} of {r.runs} runs finished, {r.missing} missing. "
        f"See: netmob results {out}; every run with its factors: {out / RESULTS}; a "
        f"report: netmob sweep-report {out}",
        highlight=False,
        soft_wrap=True,
    )
    if say_failures(out, "--retry-failed runs them again"):
        raise typer.Exit(1)


def results(
    sweep_dir: Annotated[Path, typer.Argument(help="A sweep or comparison directory")],
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the whole table (one row per run, factors beside outcomes) to this "
            "file, atomically: FILE.parquet or FILE.csv"
        ),
    ] = None,
    csv: Annotated[Path | None, typer.Option(help="Also write the whole table as CSV")] = None,
) -> None:
    """Show what a sweep or comparison holds: runs done, failed, missing; failures;
    outcome ranges. --out writes it as one table."""
    from netmob.experiments.store import (
        load_results,
        read_manifest,
        results_format,
        status,
        write_results,
    )
    from netmob.sim.io import write_text

    if out is not None:
        results_format(out)  # a bad file name stops before anything is read
    s = status(sweep_dir)
    console.print(
        f"{s['kind'].capitalize()} '{s['name']}': {s['design']} design, {s['points']} points x "
        f"{s['replicates']} replicates = {s['runs']} runs ({s['code_version']})",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"done {s['done']}, failed {s['failed']}, missing {s['missing']}",
        highlight=False,
    )
    for error, n in list(s["errors"].items())[:5]:
        console.print(f"  {n} x {error}", highlight=False, soft_wrap=True)
    table = load_results(sweep_dir)
    console.print(outcome_table(table, read_manifest(sweep_dir).get("factors", ["scenario"])))
    if csv is not None:
        write_text(table.to_csv(index=False), csv)
        console.print(f"Wrote {csv} ({len(table)} rows)")
    if out is not None:
        path, rows, columns = write_results(sweep_dir, out, table)
        console.print(
            f"Wrote {path} ({rows} rows, {columns} columns)", highlight=False, soft_wrap=True
        )
    console.print(
        f'In Python: netmob.experiments.store.load_results("{sweep_dir}") gives this table '
        f"({len(table)} rows, {len(table.columns)} columns).",
        highlight=False,
        soft_wrap=True,
    )


def outcome_table(table, factors: list[str]) -> Table:
    """Mean, min and max of each numeric outcome over the finished runs."""
    from netmob.experiments.store import ID_COLUMNS

    skip = {*ID_COLUMNS, *factors, "chunk", "model_seconds", "run_seconds"}
    ok = table[table["status"] == "ok"] if "status" in table else table.iloc[:0]
    out = Table(title=f"Outcomes over {len(ok)} finished runs")
    for col in ("outcome", "mean", "min", "max"):
        out.add_column(col, justify="left" if col == "outcome" else "right")
    for col in ok.select_dtypes("number").columns:
        if col not in skip:
            v = ok[col]
            out.add_row(col, f"{v.mean():.4g}", f"{v.min():.4g}", f"{v.max():.4g}")
    return out


def sensitivity(
    sweep_dir: Annotated[Path, typer.Argument(help="A sweep with a sobol or morris design")],
    outcome: Annotated[
        list[str] | None,
        typer.Option(help="An outcome to analyse, repeatable [default: every outcome]"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output directory (default SWEEP_DIR/sensitivity)")
    ] = None,
) -> None:
    """Sobol (first, total) or Morris indices of each outcome, as a table (CSV) and a
    figure (PNG); for several outcomes also indices.csv and overview.png."""
    from netmob.analysis.figures import save_png
    from netmob.analysis.sensitivity import all_indices, figure, overview_figure, sweep_outcomes
    from netmob.sim.io import write_text

    outcomes = list(outcome or sweep_outcomes(sweep_dir))
    long = all_indices(sweep_dir, outcomes)  # checks every outcome before writing any
    out = out or Path(sweep_dir) / "sensitivity"
    written = []
    for name, table in long.groupby("outcome", sort=False):
        table = table.drop(columns="outcome").reset_index(drop=True)
        written.append(write_text(table.to_csv(index=False), out / f"{name}.csv"))
        written.append(save_png(figure(table, str(name)), out / f"{name}.png"))
    if len(outcomes) == 1:
        console.print(_indices_table(long.drop(columns="outcome"), f"Sensitivity of {outcomes[0]}"))
    else:
        written.append(write_text(long.to_csv(index=False), out / "indices.csv"))
        written.append(save_png(overview_figure(long), out / "overview.png"))
        console.print(_overview_table(long))
    both = "" if len(outcomes) == 1 else "; indices.csv and overview.png for them all"
    console.print(f"Wrote {len(written)} files to {out} (OUTCOME.csv and OUTCOME.png{both})")


def _indices_table(table, title: str) -> Table:
    """One outcome's indices on the terminal."""
    shown = Table(title=title)
    for col in table.columns:
        shown.add_column(col, justify="left" if col == "parameter" else "right")
    for _, row in table.iterrows():
        shown.add_row(row["parameter"], *(f"{v:.3f}" for v in row.iloc[1:]))
    return shown


def _overview_table(long) -> Table:
    """Parameters by outcomes of the ranking index (ST or scaled mu*)."""
    from netmob.analysis.sensitivity import main_index, overview

    wide = overview(long)
    what = "total-order index ST" if main_index(long) == "ST" else "mu* / largest mu*"
    shown = Table(title=f"Sensitivity: {what}, parameters by outcomes")
    shown.add_column("parameter", no_wrap=True)
    for col in wide.columns:
        shown.add_column(str(col), justify="right", overflow="fold")
    for name, row in wide.iterrows():
        shown.add_row(str(name), *(f"{v:.2f}" for v in row))
    return shown


def sweep_report(
    sweep_dir: Annotated[Path, typer.Argument(help="A sweep directory")],
    out: Annotated[
        Path | None, typer.Option(help="Output directory (default SWEEP_DIR/report)")
    ] = None,
    discovered: Annotated[
        Path | None,
        typer.Option(
            "--discover",
            help="A folder with a netmob discover result, for a 'Where it pays off' section "
            "[default: SWEEP_DIR, if it has one]",
        ),
    ] = None,
) -> None:
    """A researcher's report of a sweep: report.html and its tables as CSV (for a sweep
    crossing the pathway switches, the pathway report; for any other, each outcome
    against each factor, what moves it, and where it is high)."""
    from netmob.analysis.pathways import FLAGS, report
    from netmob.analysis.sweep_discover import read_summary
    from netmob.analysis.sweep_report import report as any_report
    from netmob.experiments.store import read_manifest
    from netmob.sim.errors import InputError

    if discovered is not None and read_summary(discovered) is None:
        raise InputError(
            "no netmob discover result there (no discover.txt)",
            field="--discover",
            value=str(discovered),
            allowed="the --out folder of a netmob discover, or the sweep directory",
        )
    if all(f in read_manifest(sweep_dir).get("factors", []) for f in FLAGS):
        files = report(sweep_dir, out, discovered)
    else:
        files = any_report(sweep_dir, out)
    for name, path in files.items():
        console.print(f"{name:12} {path}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the sweep commands to the ``netmob`` app, each stopping bad input with one line."""
    app.command("sweep")(clear_errors(sweep))
    app.command("results")(clear_errors(results, out_is_file=True))
    app.command("sensitivity")(clear_errors(sensitivity))
    app.command("sweep-report")(clear_errors(sweep_report))
