"""``netmob calibrate --method history``: the run's progress and its verdicts on the
terminal, and the predictive check's table (both methods print it).

:func:`run_history` is what ``netmob calibrate`` calls for a spec whose method is history
matching (:mod:`netmob.experiments.calibration.match`): it runs or resumes it, writes the
report and prints the waves, the predictive check and each check's verdict. A wave whose
emulators fail validation stops the command with exit code 1 and the diagnosis.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from netmob.cli.common import console, err_console


def run_history(spec, out: Path, backend, area: str | None, quiet: bool) -> None:
    """Run ``spec`` by history matching into ``out`` and say how it went."""
    from netmob.analysis.calibration_history import write_report
    from netmob.experiments.calibration.history import EmulatorsFailed
    from netmob.experiments.calibration.match import calibrate_history
    from netmob.experiments.calibration.sampler import LostWork

    m = spec.method
    err_console.print(
        f"Calibration '{spec.name}': {len(spec.priors)} free parameters, "
        f"{len(spec.targets)} targets in {len(spec.studies())} studies; history matching "
        f"({m.first_wave} runs in the first wave, {m.wave_runs} in each later one, up to "
        f"{m.waves} waves), then the posterior and its checks, on {backend.describe()}, "
        f"into {out}" + (f"; on the area {area}" if area else ""),
        highlight=False,
        soft_wrap=True,
    )

    def say(text: str) -> None:
        if not quiet:
            err_console.print(f"  {text}", highlight=False, soft_wrap=True)

    try:
        result = calibrate_history(spec, out, backend, say=say)
    except EmulatorsFailed as err:
        err_console.print(f"[bold red]stopped:[/] {err}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except LostWork as err:
        err_console.print(
            f"[bold red]error:[/] a worker was lost ({err}); every finished run is kept in "
            f"{out}/sims: run the same command again to resume.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    report = write_report(out)
    console.print(ppc_table(result.ppc))
    console.print(checks_table(result.manifest))
    man = result.manifest
    verdict = (
        "validated: every check passes"
        if man["validated"]
        else "NOT validated: "
        + ", ".join(k for k, c in man["checks"].items() if not c["passes"])
        + " failed"
    )
    console.print(
        f"{man['simulations']:,} parameter sets simulated in {man['waves']} wave(s) and the "
        f"checks, {man['wall_seconds']:,.0f} s; {man['not_ruled_out']:.3g} of the prior's "
        f"space not ruled out; {man['targets_inside']} of {man['targets']} published values "
        f"strictly inside the model's 90% interval. {verdict}. Report: {report}",
        highlight=False,
        soft_wrap=True,
    )


def checks_table(manifest: dict) -> Table:
    """Each check's verdict and its figures."""
    table = Table(title="Checks (manifest.json: checks)")
    for col in ("check", "verdict", "figures"):
        table.add_column(col)
    for name, c in manifest["checks"].items():
        figures = ", ".join(f"{k} {v}" for k, v in c.items() if k != "passes")
        mark = "[green]passes[/]" if c["passes"] else "[red]fails[/]"
        table.add_row(name, mark, figures)
    return table


def ppc_table(ppc) -> Table:
    """The posterior-predictive check as a Rich table."""
    table = Table(
        title="Posterior-predictive check: the model's own 90% interval (what a repeat of"
        " the study would publish in brackets)"
    )
    for col in ("target", "statistic", "published", "model", "repeat", ""):
        table.add_column(col, justify="left" if col in ("target", "statistic") else "right")
    for r in ppc.itertuples():
        pub = (
            f"{r.published_low:.3g} to {r.published_high:.3g}"
            if r.band
            else f"{r.published:.3g} ({r.published_low:.3g} to {r.published_high:.3g})"
        )
        model = f"{r.model_median:.3g} ({r.model_low:.3g} to {r.model_high:.3g})"
        sim = f"({r.sim_low:.3g} to {r.sim_high:.3g})"
        mark = "[green]inside[/]" if r.inside else "[red]outside[/]"
        if r.inside_repeat and not r.inside:
            mark += " (a repeat's: inside)"
        table.add_row(r.target, r.statistic, pub, model, sim, mark)
    return table
