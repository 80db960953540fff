"""``netmob compare``: paired what-if comparison with a commissioner's report."""

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
    clear_errors,
    console,
    err_console,
    note_area,
    note_other_code,
    print_trust,
    read_area,
    say_failures,
    saying_what_is_saved,
)
from netmob.experiments.reference_case import DISCOUNT, THRESHOLDS
from netmob.sim.params import field_info

# Defaults from their one source: the parameter schema and NICE's reference case.
PEOPLE = field_info("population.n_people")["default"]
WEEKS = field_info("run.weeks")["default"]


def compare_command(
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios; the first is the reference")],
    people: Annotated[
        int | None,
        typer.Option(
            help=f"Target people in each run [default: the area's, else {PEOPLE}]",
            show_default=False,
        ),
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option(
            help=f"Weeks after the burn-in [default: the scenarios' own, {WEEKS} unless set]",
            show_default=False,
        ),
    ] = None,
    replicates: Annotated[int, typer.Option(help="Paired replicates (seeds)")] = 10,
    seed: Annotated[int, typer.Option(help="Seed the replicates' seeds derive from")] = 1,
    out: Annotated[Path, typer.Option(help="Output directory (created, or resumed)")] = Path(
        "results/compare"
    ),
    backend: BackendOption = "local",
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    workers: Annotated[
        int, typer.Option(help="Processes to run replicates in (local, or a local Dask cluster)")
    ] = 1,
    threshold: Annotated[
        list[float] | None,
        typer.Option(
            help="Willingness to pay per QALY in GBP, repeatable [default: 20000 and 30000]"
        ),
    ] = None,
    horizon: Annotated[
        list[int] | None,
        typer.Option(
            help="A week before the end to read every effect at too, repeatable "
            "[default: 26 and 39, the trials' follow-ups]"
        ),
    ] = None,
    discount: Annotated[
        float,
        typer.Option(
            help="Discount rate a year for value for money (costs and QALYs; the first "
            f"year undiscounted); NICE's reference case is {DISCOUNT}"
        ),
    ] = DISCOUNT,
    uncertainty: Annotated[
        str | None,
        typer.Option(
            help="Draw parameters per replicate: from a calibration's posterior "
            "('posterior' for the shipped one, a posterior.parquet or a calibration folder), "
            "or from the ranges of an uncertainty spec (a name in experiments/uncertainty/, "
            "e.g. assumptions, or a YAML file); 'none' for the schema's fixed values "
            "[default: the shipped posterior when it is validated, else the assumption "
            "ranges, with a notice]"
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option(help="Discard the comparison OUT holds and start again")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar")] = False,
    area: AreaOption = None,
    xlsx: Annotated[
        bool,
        typer.Option(
            help="Also write OUT/report.xlsx: the headline, effects, value for money and "
            "every scenario's parameters as sheets of one workbook"
        ),
    ] = False,
) -> None:
    """Compare scenarios against the first, paired by seed: effects.csv (every effect at
    the trials' horizons, 26 and 39 weeks, and at the end; past 78 weeks flagged as
    extrapolation), value.csv (net benefit and the chance of being cost-effective),
    runs.parquet, report.html.

    Replicates stream to OUT as they finish: run the same command again after a kill and only the missing ones run; a different question in the same OUT is refused."""
    import sys
    import time

    from netmob.analysis.brief import in_brief
    from netmob.analysis.compare import headline
    from netmob.analysis.report import render, write_xlsx
    from netmob.experiments.backends import make_backend
    from netmob.experiments.compare import Unfinished, check_horizons, compare_spec, run
    from netmob.experiments.economics import check_discount, check_thresholds
    from netmob.experiments.effects import TRIAL_HORIZONS, by_horizon
    from netmob.experiments.memory import check_backend
    from netmob.experiments.store import write_results
    from netmob.sim.io import write_parquet, write_text

    thresholds = threshold or THRESHOLDS
    check_thresholds(thresholds)  # before the area and scenarios are read
    check_discount(discount)
    horizons = TRIAL_HORIZONS if horizon is None else tuple(horizon)
    check_horizons(horizons)
    the_area = read_area(area)
    if people is None:
        people = the_area.people if the_area is not None else PEOPLE
    note_area(the_area, people)
    source = default_uncertainty(uncertainty)
    spec = compare_spec(
        scenarios,
        people=people,
        area=the_area,
        weeks=weeks,
        replicates=replicates,
        seed=seed,
        uncertainty=source,
        thresholds=thresholds,
        discount=discount,
        horizons=horizons,
    )
    the_backend = make_backend(
        backend, workers=workers, scheduler=scheduler, scheduler_file=scheduler_file
    )
    say_uncertainty(source)  # once the input is known to be good: bad input is one line
    t0 = time.perf_counter()
    retry = "the same command runs their replicates again"
    with the_backend.open():  # one pool or client: to check the workers, then to run
        check_backend(the_backend, people, scenarios=len(spec.scenarios), option="--people")
        if fresh:
            discard(out)
        try:
            with saying_what_is_saved(out, "comparison"):
                result = run(spec, out, backend=the_backend, progress=not quiet)
        except Unfinished as err:
            if err.report.missing:  # the runs that finished are in OUT; the report waits
                say_failures(out, retry)
                raise typer.Exit(1) from None
            note_other_code(err.report, "comparison", "--fresh runs it all again with this code")
            if say_failures(out, retry):  # no replicate finished whole: each had a failure
                raise typer.Exit(1) from None
            raise
    report = result.report
    assert report is not None  # a result just run carries its session's report
    note_other_code(report, "comparison", "--fresh runs it all again with this code")
    write_text(by_horizon(result).to_csv(index=False), out / "effects.csv")
    write_results(out, out / "runs.parquet", result.runs)  # typed as stored
    write_parquet(result.weekly, out / "weekly.parquet")
    write_text(result.value.to_csv(index=False), out / "value.csv")
    command = ["netmob", *sys.argv[1:]]
    write_text(render(result, command), out / "report.html")
    if xlsx:
        write_xlsx(result, out / "report.xlsx", command)
    print_headline(headline(result), result.scenarios[0])
    for line in in_brief(result):
        console.print(f"- {line}", highlight=False)
    print_trust(result)
    before = f" ({report.done_before} were done before)" if report.done_before else ""
    console.print(
        f"{report.ran} runs in {time.perf_counter() - t0:.0f} s{before}. Report: "
        f"{out / 'report.html'} (effects.csv, value.csv, runs.parquet, weekly.parquet beside it)"
    )
    failed = result.settings["failed_replicates"]
    if failed:
        err_console.print(
            f"{len(failed)} replicate(s) had a failed run and are left out of every effect: "
            f"{failed}.",
            highlight=False,
            soft_wrap=True,
        )
    if say_failures(out, retry):
        raise typer.Exit(1)


def discard(out: Path) -> None:
    """Remove a comparison's files from ``out`` (only a directory netmob wrote).

    Raises:
        InputError: if ``out`` holds files but no netmob manifest.
    """
    import shutil

    from netmob.sim.errors import InputError

    if not out.exists():
        return
    if not (out / "manifest.json").is_file():
        raise InputError(
            "--fresh only clears a directory that netmob compare wrote (no manifest.json)",
            field="--out",
            value=str(out),
            allowed="a netmob results directory, or a new one",
        )
    shutil.rmtree(out)


def print_headline(df, reference: str) -> None:
    """The headline table on the terminal: one row per measure, one column per scenario."""
    from netmob.analysis.compare import by_measure

    table = Table(
        title=f"Effects against {reference} (mean, 95% Monte Carlo interval of the mean over "
        "paired replicates; across draws: 2.5th to 97.5th percentile of the effect over the "
        "replicates' parameter draws)"
    )
    rows = by_measure(df)
    table.add_column("measure")
    for sc in rows.columns[1:]:
        table.add_column(str(sc), justify="right")
    for row in rows.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    console.print(table)


def default_uncertainty(given: str | None):
    """``--uncertainty`` as the comparison takes it: ``none`` for fixed parameters; when
    not given, the shipped posterior if it is validated, else the assumption ranges
    with a note for the report (:func:`netmob.experiments.draws.default_source`), which
    :func:`say_uncertainty` prints in one line."""
    from netmob.experiments.draws import default_source

    if given is not None:
        return None if given == "none" else given
    return default_source()


def say_uncertainty(source) -> None:
    """The one-line notice of a source that stands in for another (the shipped posterior
    not validated), if ``source`` carries one."""
    note = getattr(source, "note", "")
    if note:
        err_console.print(note, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``netmob compare`` to the command line."""
    app.command("compare")(clear_errors(compare_command))
