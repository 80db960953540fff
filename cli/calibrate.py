"""The calibration commands of ``netmob``: ``calibrate``, and ``targets`` (the model at its
defaults against a spec's published targets, without calibrating).

:func:`register` adds them to the ``netmob`` Typer app; heavy imports happen when they run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmob.cli.calibrate_history import ppc_table
from netmob.cli.common import (
    AreaOption,
    BackendOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
    clear_errors,
    console,
    err_console,
    read_area,
)


def calibrate(
    spec: Annotated[
        str,
        typer.Argument(help="Calibration spec: a YAML file or a name in experiments/calibration/"),
    ],
    out: Annotated[Path, typer.Option(help="Calibration directory (created, or resumed)")],
    backend: BackendOption = "local",
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    workers: WorkersOption = None,
    hold_out: Annotated[
        list[str] | None,
        typer.Option(help="A target to leave out of the distance but still predict (repeatable)"),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress per generation")] = False,
    area: AreaOption = None,
    method: Annotated[
        str | None,
        typer.Option(
            help="history (history matching with emulators, then the posterior and its "
            "checks) or abc (ABC-SMC) [default: the spec's method block]"
        ),
    ] = None,
) -> None:
    """Calibrate free parameters to published figures, by history matching (method:
    history) or ABC-SMC (pyabc); run it again to resume. Writes posterior.parquet,
    ppc.csv, manifest.json and report.html; history matching also waves.csv,
    conflicts.csv, sbc.csv, recovery.csv and contraction.csv, ABC generations.csv. With
    --area, every study runs on the area's people and resources (at the spec's size);
    the area is part of the calibration's digest."""
    from netmob.analysis.calibration import write_report
    from netmob.experiments.backends import make_backend
    from netmob.experiments.calibration.run import calibrate as run_calibration
    from netmob.experiments.calibration.sampler import LostWork
    from netmob.experiments.calibration.spec import HistoryMethod, load_calibration, with_method

    the_spec = load_calibration(spec)
    if method is not None:
        the_spec = with_method(the_spec, method)
    if hold_out:
        the_spec = the_spec.holding_out(hold_out)
    the_area = read_area(area)
    if the_area is not None:
        the_spec = the_spec.on_area(the_area)
    the_backend = make_backend(
        backend, workers=workers, scheduler=scheduler, scheduler_file=scheduler_file
    )
    if isinstance(the_spec.method, HistoryMethod):
        from netmob.cli.calibrate_history import run_history

        run_history(the_spec, out, the_backend, area if the_area is not None else None, quiet)
        return
    m = the_spec.method
    err_console.print(
        f"Calibration '{the_spec.name}': {len(the_spec.priors)} free parameters, "
        f"{len(the_spec.targets)} targets in {len(the_spec.studies())} studies; ABC-SMC with "
        f"{m.population} particles, up to {m.generations} generations or {m.max_simulations} "
        f"simulations, on {the_backend.describe()}, into {out}"
        + (f"; on the area '{the_area.name}' ({area})" if the_area is not None else ""),
        highlight=False,
        soft_wrap=True,
    )
    logging.getLogger("ABC").setLevel(logging.WARNING if quiet else logging.INFO)
    try:
        result = run_calibration(the_spec, out, the_backend)
    except KeyboardInterrupt:
        err_console.print(
            f"\nInterrupted: every finished generation is kept in {out}/abc.db; run the same "
            "command again to resume from the last one.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(130) from None
    except LostWork as err:
        err_console.print(
            f"[bold red]error:[/] a worker was lost ({err}); every finished generation is "
            f"kept in {out}/abc.db: run the same command again to resume.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    report = write_report(out)
    console.print(ppc_table(result.ppc))
    man = result.manifest
    console.print(
        f"{man['simulations']} parameter sets ({man['model_runs']:,} model runs) in "
        f"{man['generations']} generations (posterior: generation "
        f"{man['posterior_generation']}), {man['sampling_seconds']:.0f} s of sampling "
        f"({man['simulations_per_second']:.2f} sets/s, {man['model_runs_per_second']:.1f} "
        "model runs/s); "
        f"{man['targets_inside']} of {man['targets']} published values inside the model's "
        f"own 90% interval (a band: 90% of the draws in it), {man['targets_inside_repeat']} "
        f"inside the looser interval of a repeated study. Report: {report}",
        highlight=False,
        soft_wrap=True,
    )


def targets(
    spec: Annotated[
        str,
        typer.Argument(help="Calibration spec: a YAML file or a name in experiments/calibration/"),
    ] = "default",
    target: Annotated[
        list[str] | None, typer.Option(help="Only this target (repeatable) [default: all]")
    ] = None,
    replicates: Annotated[
        int, typer.Option(help="Paired replicates: each study runs from seeds 0, 1, ...")
    ] = 8,
    people: Annotated[
        int | None,
        typer.Option(
            help="Target people in the spec's smallest study, the others scaled alike "
            "[default: the spec's sizes]",
            show_default=False,
        ),
    ] = None,
    area: AreaOption = None,
    csv: Annotated[Path | None, typer.Option(help="Also write the table as CSV here")] = None,
) -> None:
    """The model at its defaults against a calibration spec's published targets: each
    target's statistic, measured where its study ran (arm and control paired by seed),
    with its mean and 95% interval over the replicates, and whether the mean lies inside
    the published interval or band."""
    from netmob.experiments.calibration.checks import check, measure, only
    from netmob.experiments.calibration.spec import load_calibration
    from netmob.experiments.calibration.stability import at_size
    from netmob.sim.errors import InputError
    from netmob.sim.io import write_text

    if replicates < 2:
        raise InputError(
            "an interval needs at least two replicates",
            field="--replicates",
            value=replicates,
            allowed="2 or more",
        )
    the_spec = load_calibration(spec)
    if target:
        the_spec = only(the_spec, target)
    if people is not None:
        the_spec = at_size(the_spec, people)
    the_area = read_area(area)
    if the_area is not None:
        the_spec = the_spec.on_area(the_area)
    err_console.print(
        f"'{the_spec.name}': {len(the_spec.targets)} targets in {len(the_spec.studies())} "
        f"studies, {replicates} replicates each, at the model's defaults",
        highlight=False,
        soft_wrap=True,
    )
    table = check(the_spec, measure(the_spec, replicates))
    if csv is not None:
        write_text(table.to_csv(index=False), csv)
    console.print(targets_table(table, replicates))
    console.print(
        f"{int(table['inside'].sum())} of {len(table)} targets inside their published "
        "interval or band.",
        highlight=False,
    )


def targets_table(table, replicates: int) -> Table:
    """:func:`netmob.experiments.calibration.checks.check`'s table as a Rich table."""
    out = Table(
        title=f"The model at its defaults against the published targets (mean and 95% "
        f"interval over {replicates} paired replicates)"
    )
    for col in ("target", "statistic", "study", "published", "model", ""):
        out.add_column(col, justify="left" if col in ("target", "statistic", "study") else "right")
    for r in table.itertuples():
        vs = f" vs {r.control}" if isinstance(r.control, str) else ""
        study = f"{r.scenario}{vs}, {r.people} people"
        pub = (
            f"{_num(r.low)} to {_num(r.high)}"
            if r.band
            else f"{_num(r.published)} ({_num(r.low)} to {_num(r.high)})"
        )
        model = f"{_num(r.mean)} ({_num(r.ci_low)} to {_num(r.ci_high)})"
        mark = "[green]inside[/]" if r.inside else "[red]outside[/]"
        out.add_row(r.target, r.statistic, study, pub, model, mark)
    return out


def _num(v: float) -> str:
    """A figure as a reader writes it: three significant digits, whole amounts with
    thousands separators."""
    return f"{v:,.0f}" if abs(v) >= 1000 and abs(v) != float("inf") else f"{v:.3g}"


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` and ``targets`` to the ``netmob`` app, stopping bad input with one
    line."""
    app.command("calibrate")(clear_errors(calibrate))
    app.command("targets")(clear_errors(targets, out_is_file=True))
