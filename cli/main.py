"""The ``netmob`` command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from netmob.cli import area as area_cli
from netmob.cli import calibrate, columns, compare, discover, region, scenarios, sweep
from netmob.cli.common import (
    AreaOption,
    clear_errors,
    console,
    err_console,
    note_area,
    read_area,
)
from netmob.sim.errors import InputError

app = typer.Typer(
    help="netmob: simulate social network mobilisation for people with long-term conditions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def version_text() -> str:
    """netmob's version and the code it runs (a git commit in a checkout)."""
    import importlib.metadata

    from netmob.experiments.store import code_version

    try:
        version = importlib.metadata.version("netmob")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"netmob {version} ({code_version()})"


def _show_version(value: bool) -> None:
    if value:
        console.print(version_text(), highlight=False)
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show netmob's version and the code it runs, and exit",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """netmob: simulate social network mobilisation for people with long-term conditions."""


def resolve_params(scenario: str | None, overrides: dict, area=None):
    """Parameters from an optional scenario (on an optional area, :mod:`netmob.sim.area`)
    with CLI overrides on top."""
    from netmob.sim.params import Params
    from netmob.sim.scenario import load_scenario

    if area is not None:
        base = area.params(load_scenario(scenario).overrides if scenario else {})
    else:
        base = load_scenario(scenario).params if scenario else Params()
    given = {k: v for k, v in overrides.items() if v is not None}
    return base.with_overrides(given, file="command line") if given else base


def summary_table(summary: dict, own: dict | None = None) -> Table:
    """The calibration check as a Rich table. ``own``: checks an area sets itself
    (``Area.own_targets``: measure -> low, high, source), instead of the published ones."""
    from netmob.sim.measures import calibration_rows

    own = own or {}
    title = "Calibration check (population of target people, end of run)"
    if own:
        title += "; the area's own profile where it sets one"
    table = Table(title=title)
    for col in ("measure", "value", "target", "source", ""):
        table.add_column(col, justify="right" if col in ("value", "target") else "left")
    for r in calibration_rows(summary):
        if r["measure"] in own:
            lo, hi, source = own[r["measure"]]
            r = r | {"low": lo, "high": hi, "source": source, "ok": lo <= r["value"] <= hi}
        mark = "[green]ok[/]" if r["ok"] else "[red]outside[/]"
        table.add_row(
            r["measure"], f"{r['value']:.3f}", f"{r['low']:g} to {r['high']:g}", r["source"], mark
        )
    return table


@app.command()
@clear_errors
def run(
    scenario: Annotated[
        str | None, typer.Argument(help="Scenario name or YAML file of overrides")
    ] = None,
    people: Annotated[
        int | None, typer.Option(help="Target people [default: the area's, else 2000]")
    ] = None,
    weeks: Annotated[int | None, typer.Option(help="Weeks after the burn-in")] = None,
    seed: Annotated[int, typer.Option(help="The run's seed")] = 1,
    out: Annotated[Path, typer.Option(help="Output directory")] = Path("results/run"),
    engine: Annotated[
        str, typer.Option(help="vector (fast) or reference (agent by agent)")
    ] = "vector",
    quiet: Annotated[bool, typer.Option(help="No progress bar or table")] = False,
    ties: Annotated[
        bool, typer.Option("--ties", help="Also write ties.parquet: one row per tie")
    ] = False,
    area: AreaOption = None,
) -> None:
    """Run one simulation and write weekly.parquet, people.parquet and summary.json (with
    --ties, ties.parquet too) to OUT."""
    from tqdm import tqdm

    from netmob.experiments.memory import check_fits, machine_memory
    from netmob.sim.run import ENGINES, build_model, collect

    if engine not in ENGINES:
        raise InputError(
            "unknown engine", field="--engine", value=engine, allowed=", ".join(ENGINES)
        )
    the_area = read_area(area)
    params = resolve_params(scenario, {"population.n_people": people, "run.weeks": weeks}, the_area)
    check_fits(params.population.n_people, machine_memory(), "this machine", option="--people")
    note_area(the_area, params.population.n_people)
    total = params.run.burn_in + params.run.weeks
    model = build_model(params, seed, engine)
    with tqdm(total=total, desc="weeks", unit="wk", disable=quiet, file=sys.stderr) as bar:
        model.run(progress=bar.update)
    result = collect(model, ties=ties)
    if the_area is not None:  # provenance: which area, which files
        result.summary["area"] = the_area.provenance()
    written = result.write(out)
    if not quiet:
        own = the_area.own_targets() if the_area is not None else None
        console.print(summary_table(result.summary, own))
        s = result.summary
        console.print(
            f"{s['n_people_total']:,} people ({s['n_people_target']:,} target), {total} weeks in "
            f"{s['run_seconds']:.2f} s: {s['person_weeks_per_second']:,.0f} person-weeks/s"
        )
    console.print(f"Wrote {out}/" + ", ".join(p.name for p in written))


@app.command()
@clear_errors
def params(
    group: Annotated[str | None, typer.Argument(help="Only this group, e.g. ties")] = None,
) -> None:
    """List every parameter: default, bounds, unit, meaning and source (and, for a
    calibrated one, whether the published record identifies it)."""
    from netmob.experiments.calibration.gate import identification
    from netmob.sim.params import GROUPS, all_fields

    if group is not None and group not in GROUPS:
        raise InputError("unknown parameter group", value=group, allowed=", ".join(GROUPS))
    fields = [f for f in all_fields() if not group or f["name"].startswith(group + ".")]
    calibrated = identification()
    fields = [
        f | {"source": f"{f['source']}; calibrated: {calibrated[f['name']]}"}
        if f["name"] in calibrated
        else f
        for f in fields
    ]
    console.print(params_table(fields, narrow=console.width < 120))


def params_table(fields: list[dict], narrow: bool) -> Table:
    """The parameter table; on a narrow terminal, value and prose share columns so the
    names (what users type) are never cut."""
    table = Table(title="netmob parameters")
    table.add_column("name", no_wrap=True, min_width=max(len(f["name"]) for f in fields))
    if narrow:
        table.add_column(escape("default [bounds] unit"))
        table.add_column("meaning (source)", ratio=1)
        for f in fields:
            value = escape(f"{f['default']} [{f['lo']}..{f['hi']}] {f['unit']}")
            table.add_row(f["name"], value, f"{f['meaning']} ({f['source']})")
        return table
    for col in ("default", "bounds", "unit"):
        table.add_column(col)
    table.add_column("meaning", ratio=3)
    table.add_column("source", ratio=2)
    for f in fields:
        table.add_row(
            f["name"],
            str(f["default"]),
            f"{f['lo']}..{f['hi']}",
            f["unit"],
            f["meaning"],
            f["source"],
        )
    return table


scenarios.register(app)
compare.register(app)
region.register(app)


@app.command("app")
@clear_errors
def serve_app(
    port: Annotated[int, typer.Option(help="Port to serve on", min=0, max=65535)] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    area: Annotated[
        Path | None,
        typer.Option(
            help="An area folder the What-if view starts on (area.yaml and resources.csv; "
            "another can be loaded in the page)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the interactive app (Explore, A person's network, What-if) at http://HOST:PORT."""
    import os

    from netmob.app.assets import missing

    the_area = read_area(area)  # a bad area stops here, with its one message

    absent = missing()
    if absent:
        err_console.print(
            f"note: solara's front-end files ({', '.join(absent)}) are not installed here, so "
            "the page needs a CDN; install them with `make browser` "
            "(or `python -m netmob.app.assets`)",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"netmob app: http://{host}:{port} (Ctrl-C stops it)", highlight=False)
    if the_area is not None:
        console.print(
            f"What-if runs on the area '{the_area.name}' ({area})", highlight=False, soft_wrap=True
        )
    args = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "netmob.app.page",
        "--host",
        host,
        "--port",
        str(port),
    ]
    args += ["--no-open", "--production", "--no-check-version", "--log-level", "warning"]
    env = {
        **os.environ,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_SHOW_BANNER": "False",
        "PYTHONWARNINGS": "ignore:Cookies with samesite",  # solara's note for non-localhost
    }
    if the_area is not None:  # read by netmob.app.area (the app imports nothing from the CLI)
        env["NETMOB_APP_AREA"] = str(area.resolve())
    else:
        env.pop("NETMOB_APP_AREA", None)
    sys.stdout.flush()
    os.execvpe(sys.executable, args, env)


sweep.register(app)
discover.register(app)
calibrate.register(app)
area_cli.register(app)
columns.register(app)


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
