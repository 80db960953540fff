"""``netmob compare``: paired what-if comparison with a commissioner's report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmob.analysis.reference_case import DISCOUNT, THRESHOLDS
from netmob.cli.common import clear_errors, console
from netmob.sim.params import field_info

# Defaults from their one source: the parameter schema and NICE's reference case.
PEOPLE = field_info("population.n_people")["default"]
WEEKS = field_info("run.weeks")["default"]


def compare_command(
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios; the first is the reference")],
    people: Annotated[int, typer.Option(help="Target people in each run")] = PEOPLE,
    weeks: Annotated[int, typer.Option(help="Weeks after the burn-in")] = WEEKS,
    replicates: Annotated[int, typer.Option(help="Paired replicates (seeds)")] = 10,
    seed: Annotated[int, typer.Option(help="Seed the replicates' seeds derive from")] = 1,
    out: Annotated[Path, typer.Option(help="Output directory")] = Path("results/compare"),
    workers: Annotated[int, typer.Option(help="Processes to run replicates in")] = 1,
    threshold: Annotated[
        list[float] | None,
        typer.Option(
            help="Willingness to pay per QALY in GBP, repeatable "
            f"(default: {' and '.join(str(k) for k in THRESHOLDS)})"
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
            help="Also draw assumed parameters per replicate from an uncertainty spec "
            "(a name in experiments/uncertainty/, e.g. assumptions, or a YAML file)"
        ),
    ] = None,
) -> None:
    """Compare scenarios against the first, paired by seed: effects.csv, value.csv (net
    benefit and the chance of being cost-effective), runs.parquet, report.html."""
    import time

    from tqdm import tqdm

    from netmob.analysis.brief import in_brief
    from netmob.analysis.compare import compare, headline
    from netmob.analysis.economics import check_discount, check_thresholds
    from netmob.analysis.report import render
    from netmob.sim.io import write_parquet, write_text
    from netmob.sim.params import Params

    Params.from_overrides({"population.n_people": people, "run.weeks": weeks}, file="command line")
    check_thresholds(threshold or THRESHOLDS)
    check_discount(discount)
    check_uncertainty(scenarios, people, weeks, uncertainty)
    t0 = time.perf_counter()
    total = replicates * len(scenarios)
    with tqdm(total=total, desc="runs", unit="run", file=sys.stderr) as bar:

        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        result = compare(
            scenarios,
            people=people,
            weeks=weeks,
            replicates=replicates,
            seed=seed,
            workers=workers,
            thresholds=threshold or THRESHOLDS,
            discount=discount,
            uncertainty=uncertainty,
            progress=progress,
        )
    out.mkdir(parents=True, exist_ok=True)
    write_text(result.effects.to_csv(index=False), out / "effects.csv")
    write_parquet(result.runs, out / "runs.parquet")
    write_parquet(result.weekly, out / "weekly.parquet")
    write_text(result.value.to_csv(index=False), out / "value.csv")
    write_text(render(result), out / "report.html")
    print_headline(headline(result), result.scenarios[0])
    for line in in_brief(result):
        console.print(f"- {line}", highlight=False)
    console.print(
        f"{total} runs in {time.perf_counter() - t0:.0f} s. Report: {out / 'report.html'}"
        f" (effects.csv, value.csv, runs.parquet, weekly.parquet beside it)"
    )


def check_uncertainty(scenarios: list[str], people: int, weeks: int, ref: str | None) -> None:
    """Stop before any run if the scenarios or the uncertainty spec are not usable."""
    from netmob.analysis.compare import resolve
    from netmob.analysis.uncertainty import check_shared, load_uncertainty

    resolved = resolve(scenarios, people, weeks)
    if ref is not None:
        check_shared(load_uncertainty(ref), {name: p for name, (p, _) in resolved.items()})


def print_headline(df, reference: str) -> None:
    """The headline table on the terminal: one row per measure, one column per scenario."""
    from netmob.analysis.compare import by_measure

    table = Table(title=f"Effects against {reference} (mean, 95% interval over paired replicates)")
    rows = by_measure(df)
    table.add_column("measure")
    for sc in rows.columns[1:]:
        table.add_column(str(sc), justify="right")
    for row in rows.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``netmob compare`` to the command line."""
    app.command("compare")(clear_errors(compare_command))
