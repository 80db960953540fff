"""``netmob region``: a region as many areas, each its own paired comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmob.cli.common import (
    BackendOption,
    SchedulerFileOption,
    SchedulerOption,
    clear_errors,
    console,
    err_console,
    note_area,
    note_other_code,
    print_trust,
    say_failures,
    saying_what_is_saved,
)
from netmob.cli.compare import default_uncertainty, discard, print_headline, say_uncertainty


def region_command(
    region: Annotated[
        Path,
        typer.Argument(
            help="Region file (CSV): one row per area, column name, then the area-profile "
            "fields that differ from the defaults, or a column area with an area folder"
        ),
    ],
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios; the first is the reference")],
    out: Annotated[Path, typer.Option(help="Output directory (created, or resumed)")] = Path(
        "results/region"
    ),
    weeks: Annotated[
        int | None,
        typer.Option(
            help="Weeks after the burn-in [default: the scenarios' own]", show_default=False
        ),
    ] = None,
    replicates: Annotated[int, typer.Option(help="Paired replicates (seeds) per area")] = 10,
    seed: Annotated[int, typer.Option(help="Seed every area's seeds derive from")] = 1,
    backend: BackendOption = "local",
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    workers: Annotated[
        int,
        typer.Option(help="Processes to run area-replicates in (local, or a local Dask cluster)"),
    ] = 1,
    uncertainty: Annotated[
        str | None,
        typer.Option(
            help="As for netmob compare: 'posterior' (the shipped one), a posterior.parquet, a "
            "calibration folder, an uncertainty spec, or 'none'; one draw per replicate, the "
            "same in every area [default: as for netmob compare]"
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option(help="Discard the region OUT holds and start again")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar")] = False,
) -> None:
    """Compare scenarios in every area of a region, each area its own community: areas.csv
    (areas ranked by net benefit at GBP 20,000/QALY), effects.csv and value.csv (every
    area's and the region's), runs.parquet, ranking.png, report.html.

    Area-replicates stream to OUT as they finish: run the same command again after a kill
    and only the missing ones run; a failed one does not stop the rest, and the command
    then exits 1 naming the failures."""
    import sys
    import time

    from netmob.analysis.compare import headline
    from netmob.analysis.figures import img_tag, save_png
    from netmob.analysis.region import summarise_region
    from netmob.analysis.region_report import (
        effects_all,
        ranking_figure,
        ranking_text,
        render_region,
        value_all,
    )
    from netmob.experiments.backends import make_backend
    from netmob.experiments.memory import check_backend
    from netmob.experiments.region import region_spec, run_region
    from netmob.experiments.store import write_results
    from netmob.sim.errors import InputError
    from netmob.sim.io import write_text

    source = default_uncertainty(uncertainty)
    spec = region_spec(
        region,
        scenarios,
        weeks=weeks,
        replicates=replicates,
        seed=seed,
        uncertainty=source,
    )
    the_backend = make_backend(
        backend, workers=workers, scheduler=scheduler, scheduler_file=scheduler_file
    )
    say_uncertainty(source)  # once the input is known to be good: bad input is one line
    for a in spec.areas:  # an area folder run at another size: say what is scaled
        note_area(a.area, a.people)
    t0 = time.perf_counter()
    largest = max(a.people for a in spec.areas)
    with the_backend.open():
        check_backend(the_backend, largest, scenarios=len(spec.scenarios), option=str(region))
        if fresh:
            discard(out)
        with saying_what_is_saved(out, "region"):
            report = run_region(spec, out, the_backend, progress=not quiet)
    retry = "the same command runs their area-replicates again"
    if report.missing:
        say_failures(out, retry)
        name_failures(out)
        raise typer.Exit(1)
    note_other_code(report, "region", "--fresh runs it all again with this code")
    try:
        result = summarise_region(out)
    except InputError:
        if say_failures(out, retry):
            name_failures(out)
            raise typer.Exit(1) from None
        raise
    write_text(result.table.to_csv(index=False), out / "areas.csv")
    write_text(effects_all(result).to_csv(index=False), out / "effects.csv")
    write_text(value_all(result).to_csv(index=False), out / "value.csv")
    write_results(out, out / "runs.parquet")
    fig = ranking_figure(result)
    save_png(fig, out / "ranking.png")
    command = ["netmob", *sys.argv[1:]]
    img = img_tag(fig, "Areas ranked by net benefit at GBP 20,000 per QALY")
    write_text(render_region(result, img, command), out / "report.html")
    print_headline(headline(result.region), result.scenarios[0])
    for line in ranking_text(result):
        console.print(f"- {line}", highlight=False)
    print_ranking(result)
    for sc, lines in result.discovery.items():
        for line in lines:
            console.print(f"Where {sc} pays off (PRIM over the areas): {line}", highlight=False)
    print_trust(result.region)
    before = f" ({report.done_before} were done before)" if report.done_before else ""
    console.print(
        f"{len(spec.areas)} areas, {report.ran} runs in {time.perf_counter() - t0:.0f} s{before}. "
        f"Report: {out / 'report.html'} (areas.csv, effects.csv, value.csv, ranking.png, "
        "runs.parquet beside it)",
        highlight=False,
        soft_wrap=True,
    )
    if result.unfinished:
        err_console.print(
            f"No replicate finished whole in {len(result.unfinished)} area(s), left out: "
            f"{', '.join(result.unfinished)}.",
            highlight=False,
            soft_wrap=True,
        )
    if say_failures(out, retry):
        name_failures(out)
        raise typer.Exit(1)


def print_ranking(result) -> None:
    """The areas ranked by net benefit at GBP 20,000 per QALY (areas.csv, rounded), one
    table per scenario."""
    from netmob.analysis.region_report import shown_table

    shown = shown_table(result)
    for sc in result.scenarios[1:]:
        rows = shown[shown["scenario"] == sc].drop(columns=["scenario", "net benefit in all (GBP)"])
        table = Table(title=f"{sc}: areas ranked by net benefit at GBP 20,000/QALY")
        for col in rows.columns:
            table.add_column(col, justify="left" if col in ("area",) else "right")
        for row in rows.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        console.print(table)


def name_failures(out: Path, most: int = 20) -> None:
    """Say on stderr which area-replicates failed, with each one's first error line."""
    from netmob.experiments.store import load_results
    from netmob.experiments.worker import OK

    runs = load_results(out)
    bad = runs[runs["status"] != OK]
    if bad.empty:
        return
    groups = list(bad.groupby(["area", "replicate"], sort=True))
    err_console.print("Failed area-replicates:", highlight=False)
    for (area, replicate), g in groups[:most]:
        first = str(g["error"].iloc[0] or "(no message)").splitlines()[0][:200]
        scen = ", ".join(g["scenario"].astype(str))
        err_console.print(
            f"  area {area}, replicate {replicate} ({scen}): {first}",
            highlight=False,
            soft_wrap=True,
        )
    if len(groups) > most:
        err_console.print(f"  ... and {len(groups) - most} more", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``netmob region`` to the command line."""
    app.command("region")(clear_errors(region_command))
