"""Scenario discovery on a sweep (``netmob discover``): which outcome, which runs, which
files.

The outcome is any outcome the sweep kept (``netmob results DIR`` lists them), or
``net_benefit``: net monetary benefit per target person at a willingness to pay of
``wtp`` GBP per QALY, ``wtp * qalys_mean - (intervention_cost / n_people_target +
service_cost_mean)``, from each run's own QALYs and costs (so the sweep must keep those
four). It is a run's *absolute* net benefit over the horizon, undiscounted; the
incremental net benefit against a reference scenario (discounted, NICE's reference case)
is what ``netmob compare`` reports.

Only finished runs are analysed; failed runs, runs not done yet and finished runs
without a value of the outcome are counted and said (:func:`notes`), never dropped
silently. The files, written atomically into the sweep directory or ``out``:

- ``discover.csv``: one row per box (:class:`netmob.analysis.discover.Discovery`);
- ``discover.png``: the peeling trajectories, coverage against density;
- ``discover.txt``: the question, the runs used, and one sentence per box (the sweep
  report's "Where it pays off" section shows it with the figure).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netmob.analysis.dictionary import registry_column
from netmob.analysis.discover import Discovery, discover, exact, trajectory_figure
from netmob.analysis.figures import save_png
from netmob.analysis.sensitivity import sweep_outcomes
from netmob.experiments.records import OK
from netmob.experiments.store import load_results, read_manifest, status
from netmob.sim.errors import InputError
from netmob.sim.io import write_text

NET_BENEFIT = "net_benefit"
NET_BENEFIT_NEEDS = ("qalys_mean", "intervention_cost", "n_people_target", "service_cost_mean")
FILES = ("discover.csv", "discover.png", "discover.txt")


def net_benefit(runs: pd.DataFrame, wtp: float) -> pd.Series:
    """Each run's net monetary benefit per target person (GBP) at ``wtp`` GBP per QALY.

    Examples:
        >>> runs = pd.DataFrame({"qalys_mean": [1.5], "intervention_cost": [30000.0],
        ...                      "n_people_target": [100], "service_cost_mean": [900.0]})
        >>> net_benefit(runs, 20000).tolist()
        [28800.0]
    """
    cost = runs["intervention_cost"] / runs["n_people_target"] + runs["service_cost_mean"]
    return wtp * runs["qalys_mean"] - cost


def allowed_outcomes(root: str | Path, table: pd.DataFrame) -> list[str]:
    """The outcome names ``netmob discover`` takes for this sweep."""
    held = sweep_outcomes(root, table)
    return held + ([NET_BENEFIT] if all(c in held for c in NET_BENEFIT_NEEDS) else [])


def label(outcome: str, wtp: float | None) -> str:
    """The outcome in a sentence: its meaning from the registry, and its name."""
    if outcome == NET_BENEFIT:
        return f"net benefit per target person at GBP {exact(wtp)} per QALY ({NET_BENEFIT})"
    try:
        meaning = registry_column("run", outcome).meaning  # the data dictionary's words
    except KeyError:
        return outcome
    return f"{meaning} ({outcome})"


def outcome_column(
    root: str | Path, table: pd.DataFrame, outcome: str, wtp: float | None
) -> pd.Series:
    """The outcome's value for each run of ``table``.

    Raises:
        InputError: for a name the sweep does not hold (listing those it does), or a
            willingness to pay missing for ``net_benefit`` or given for another outcome.
    """
    allowed = allowed_outcomes(root, table)
    if outcome not in allowed:
        why = (
            f"net_benefit needs the sweep to keep {', '.join(NET_BENEFIT_NEEDS)}"
            if outcome == NET_BENEFIT
            else "the sweep has no such outcome"
        )
        raise InputError(
            why,
            field="--outcome",
            value=outcome,
            allowed=", ".join(allowed) or "none yet: the sweep has no finished runs",
        )
    if outcome == NET_BENEFIT:
        if wtp is None or not wtp >= 0:
            raise InputError(
                "net_benefit needs a willingness to pay",
                field="--wtp",
                value=wtp,
                allowed="GBP per QALY, 0 or more (NICE: 20000 to 30000)",
            )
        return net_benefit(table, wtp)
    if wtp is not None:
        raise InputError(
            "a willingness to pay is for --outcome net_benefit only", field="--wtp", value=wtp
        )
    return table[outcome]


def sweep_discovery(
    root: str | Path,
    outcome: str,
    *,
    above: float | None = None,
    below: float | None = None,
    wtp: float | None = None,
    boxes: int = 3,
    min_density: float | None = None,
) -> tuple[Discovery, list[str]]:
    """PRIM on the finished runs of the sweep in ``root``: the discovery, and notes on
    the runs left out (see :func:`discover` for the arguments).

    Raises:
        InputError: for an unknown outcome, a bad threshold, or a sweep without factors.
    """
    manifest = read_manifest(root)
    factors = list(manifest.get("factors") or [])
    if not factors:
        raise InputError(
            "the experiment varies no factors, so there are no conditions to find",
            value=str(root),
            allowed="a sweep directory (netmob sweep) whose spec varies parameters",
        )
    table = load_results(root)
    values = outcome_column(root, table, outcome, wtp)
    runs = table.assign(**{outcome: values})
    ok = runs[runs["status"] == OK]
    found = discover(
        ok,
        factors,
        outcome,
        above=above,
        below=below,
        boxes=boxes,
        min_density=min_density,
        label=label(outcome, wtp),
    )
    return found, notes(root, ok, outcome)


def notes(root: str | Path, ok: pd.DataFrame, outcome: str) -> list[str]:
    """The runs used, and those left out and why."""
    s = status(root)
    empty = int(ok[outcome].isna().sum())
    out = [f"{len(ok) - empty} of the sweep's {s['runs']} runs are used."]
    if s["failed"]:
        out.append(
            f"{_runs(s['failed'])} failed and {_are(s['failed'])} left out (netmob results "
            f"{root} lists the errors; netmob sweep --retry-failed runs them again)."
        )
    if s["missing"]:
        out.append(f"{_runs(s['missing'])} not run yet {_are(s['missing'])} left out.")
    if empty:
        out.append(f"{_runs(empty)} without a value of {outcome} {_are(empty)} left out.")
    return out


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def write(found: Discovery, run_notes: list[str], out: str | Path, name: str) -> list[Path]:
    """Write discover.csv, discover.png and discover.txt into ``out``."""
    out = Path(out)
    box_csv, figure_png, text = (out / f for f in FILES)
    return [
        write_text(found.boxes.to_csv(index=False), box_csv),
        save_png(trajectory_figure(found), figure_png),
        write_text(summary(found, run_notes, name), text),
    ]


def summary(found: Discovery, run_notes: list[str], name: str) -> str:
    """discover.txt: the question, the runs, then one sentence per box."""
    head = (
        f"Sweep '{name}': {found.question()}? {found.clear} of {found.runs} runs do. "
        + " ".join(run_notes)
    )
    boxes = found.sentences or ["PRIM found no box that does better than the runs as a whole."]
    return "\n".join([head, "", *boxes]) + "\n"


def read_summary(folder: str | Path) -> tuple[str, list[str], Path] | None:
    """A discover.txt's header and sentences, and its figure, if ``folder`` has one."""
    text = Path(folder) / FILES[2]
    if not text.exists():
        return None
    head, _, rest = text.read_text().partition("\n\n")
    return (
        head.strip(),
        [line for line in rest.splitlines() if line.strip()],
        text.parent / FILES[1],
    )
