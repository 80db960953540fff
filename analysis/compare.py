"""Paired comparison of scenarios for commissioners: effects with intervals, in their units,
worked out from a stored comparison (:mod:`netmob.experiments.compare` runs it).

For each replicate, scenario, group and registered effect the store holds the group's
mean per-person level beside the reference's (common random numbers: the same people,
the same streams); effects are the mean paired difference over replicates with a 95% t
interval. Value for money (``netmob.analysis.economics``) adds discounted QALYs and net
cost per person, worked out here from each run's weekly running totals, so another
discount rate or willingness to pay needs no new runs.

A replicate with a failed run is left out of every effect, and says so in
``settings["failed_replicates"]``.

Examples:
    >>> import tempfile
    >>> from netmob.experiments.backends.local import LocalBackend
    >>> from netmob.experiments.compare import compare_spec, run_compare
    >>> spec = compare_spec(["baseline", "genie"], people=150, weeks=6, replicates=2, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = run_compare(spec, d, LocalBackend(1), progress=False)
    ...     result = summarise(d)
    >>> sorted(result.effects["group"].unique())
    ['engaged', 'population', 'referred']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netmob.analysis.economics import (
    CURVE,
    DISCOUNT,
    DISCOUNTED,
    THRESHOLDS,
    acceptability,
    check_discount,
    check_thresholds,
    discounted_totals,
    effect_rows,
)
from netmob.analysis.stats import diff_ci, mean_ci, spread
from netmob.experiments.compare import DRAW, KIND
from netmob.experiments.store import load_results, load_table, load_weekly, read_manifest
from netmob.experiments.worker import OK
from netmob.sim import registry
from netmob.sim.errors import InputError

OUTCOME_NAMES = registry.names("effect")
OUTCOME_MEANING = {
    name: (registry.meaning(name, "effect"), registry.unit(name, "effect"))
    for name in OUTCOME_NAMES
}
__all__ = ["DRAW", "CompareResult", "summarise"]


@dataclass
class CompareResult:
    """What a comparison gives (see the module docstring)."""

    scenarios: list[str]
    descriptions: dict[str, str]
    settings: dict
    # scenario, outcome, group, mean_diff, ci_low, ci_high (the mean's Monte Carlo
    # interval), draws_low, draws_high (the effect's spread across replicates' draws)
    effects: pd.DataFrame
    runs: pd.DataFrame  # one row per scenario x replicate
    weekly: pd.DataFrame  # weekly aggregates per scenario x replicate
    contrasts: pd.DataFrame  # per replicate, scenario, group, outcome: level, reference level
    by_type: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # per replicate: effect by network type
    value: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # net benefit and the acceptability curve (netmob.analysis.economics.acceptability)


def summarise(
    root: str | Path,
    thresholds: Sequence[float] = THRESHOLDS,
    discount: float = DISCOUNT,
) -> CompareResult:
    """The effects, costs and value for money of the comparison stored in ``root``.

    ``thresholds``: willingness to pay per QALY (GBP) for the net benefit rows;
    ``discount``: a year, for the costs and QALYs of value for money (first year not).

    Raises:
        InputError: if ``root`` holds no comparison, or no replicate finished whole.
    """
    check_thresholds(thresholds)
    check_discount(discount)
    manifest = read_manifest(root)
    if manifest.get("kind") != KIND:
        raise InputError(
            "not a comparison (its manifest is of another kind)",
            value=str(root),
            allowed="a directory written by netmob compare",
        )
    settings = {
        **manifest["settings"],
        "code_version": manifest.get("code_version"),
        "created": manifest.get("created"),
        "files": manifest.get("files"),  # None in a comparison made before they were kept
        "params": manifest.get("definition", {}).get("params", {}),  # flat, per scenario
    }
    return from_tables(
        list(manifest["scenarios"]),
        manifest["descriptions"],
        settings,
        load_results(root),
        {"weekly": load_weekly(root)}
        | {name: load_table(root, name) for name in ("contrasts", "by_type")},
        thresholds,
        discount,
        where=str(root),
    )


def from_tables(
    scenarios: list[str],
    descriptions: dict[str, str],
    settings: dict,
    runs: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    thresholds: Sequence[float] = THRESHOLDS,
    discount: float = DISCOUNT,
    where: str = "",
) -> CompareResult:
    """A comparison's result from its stored tables: ``runs`` as
    :func:`~netmob.experiments.store.load_results` gives them (every status), ``tables``
    the ``weekly``, ``contrasts`` and ``by_type`` rows of those runs (a region gives each
    area's here, :mod:`netmob.analysis.region`); ``settings``: the manifest's, with its
    provenance.

    Raises:
        InputError: if no replicate finished whole.
    """
    failed = sorted(set(runs.loc[runs["status"] != OK, "replicate"].astype(int)))
    whole = runs.groupby("replicate")["status"].transform(lambda s: (s == OK).all())
    runs = runs[whole & (runs["replicate"].map(runs["replicate"].value_counts()) == len(scenarios))]
    if runs.empty:
        raise InputError(
            "no replicate of this comparison has finished whole",
            value=where,
            allowed="run the same netmob compare command again to finish it",
        )
    runs = runs.drop(columns="chunk", errors="ignore").sort_values(
        ["replicate", "point"], ignore_index=True
    )
    weekly = _labelled(tables["weekly"], runs)
    contrasts = _labelled(tables["contrasts"], runs)
    contrasts = pd.concat(
        [contrasts.drop(columns="run_id"), _discounted(weekly, runs, scenarios, discount)],
        ignore_index=True,
    )
    by_type = _labelled(tables["by_type"], runs)
    settings = {
        **settings,
        "replicates_done": int(runs["replicate"].nunique()),
        "failed_replicates": failed,
        "thresholds": [float(k) for k in thresholds],
        "discount": float(discount),
    }
    return CompareResult(
        scenarios=scenarios,
        descriptions=descriptions,
        settings=settings,
        effects=effects_table(contrasts, scenarios, thresholds),
        runs=runs,
        weekly=weekly,
        contrasts=contrasts,
        by_type=by_type.drop(columns="run_id", errors="ignore"),
        value=acceptability(contrasts, scenarios, sorted({*CURVE, *thresholds})),
    )


def _labelled(rows: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """``rows`` of the kept runs only, each with its run's scenario and replicate."""
    keep = runs[["run_id", "scenario", "replicate"]]
    rows = rows.drop(columns=["scenario", "replicate"], errors="ignore")
    return rows.merge(keep, on="run_id", how="inner")


def _discounted(
    weekly: pd.DataFrame, runs: pd.DataFrame, scenarios: list[str], rate: float
) -> pd.DataFrame:
    """Contrast rows of discounted QALYs and net cost per target person (population)."""
    rows = []
    for replicate, runs_r in runs.groupby("replicate"):
        totals = {}
        for row in runs_r.itertuples():
            w = weekly[weekly["run_id"] == row.run_id]
            totals[row.scenario] = discounted_totals(w, int(row.n_people_target), rate)
        n = int(runs_r["n_people_target"].iloc[0])
        for name in scenarios[1:]:
            rows += [
                {
                    "replicate": replicate,
                    "scenario": name,
                    "group": "population",
                    "outcome": outcome,
                    "level": totals[name][outcome],
                    "reference": totals[scenarios[0]][outcome],
                    "n": n,
                }
                for outcome in DISCOUNTED.values()
            ]
    return pd.DataFrame(rows)


def interval_table(contrasts: pd.DataFrame, paired: bool = True) -> pd.DataFrame:
    """Mean difference with a 95% interval per scenario, outcome and group: paired over
    replicates (the runs share seeds), or, for comparison, as if the runs were independent
    (Welch): what common random numbers save.

    ``ci_low``/``ci_high`` are the Monte Carlo interval of the *mean* (it narrows as
    replicates are added); ``draws_low``/``draws_high`` the 2.5th and 97.5th percentiles
    of the paired effect itself across replicates: with parameters drawn per replicate
    (a posterior or assumption ranges), how far the answer varies across the draws (it
    does not narrow with more replicates); without, chance alone."""
    rows = []
    for (sc, outcome, group), g in contrasts.groupby(["scenario", "outcome", "group"], sort=False):
        r = mean_ci(g["level"] - g["reference"]) if paired else diff_ci(g["level"], g["reference"])
        drawn = spread(g["level"] - g["reference"])
        rows.append(
            {
                "scenario": sc,
                "outcome": outcome,
                "group": group,
                "mean_diff": r["mean"],
                "ci_low": r["lo"],
                "ci_high": r["hi"],
                "draws_low": drawn["lo"],
                "draws_high": drawn["hi"],
            }
        )
    return pd.DataFrame(rows)


def effects_table(
    contrasts: pd.DataFrame, scenarios: list[str], thresholds: Sequence[float] = THRESHOLDS
) -> pd.DataFrame:
    """Paired effects per scenario, outcome and group; plus, per scenario and for the
    population, ``cost_per_qaly`` and ``net_benefit_<k>`` at each threshold ``k``
    (``netmob.analysis.economics``)."""
    out = interval_table(contrasts)
    value = [row for sc in scenarios[1:] for row in effect_rows(contrasts, sc, thresholds)]
    out = pd.concat([out, pd.DataFrame(value, columns=out.columns)], ignore_index=True)
    order = {s: i for i, s in enumerate(scenarios)}
    return out.sort_values("scenario", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def _cell(
    effects: pd.DataFrame,
    scenario: str,
    outcome: str,
    group: str,
    digits: int = 2,
    drawn: bool = False,
) -> str:
    """'+0.12 (+0.05 to +0.19)' for one effect, or 'n/a'; with ``drawn`` (each replicate
    drew its parameters) also the spread across draws: '+0.12 (+0.05 to +0.19; across
    draws -0.30 to +0.61)'."""
    r = effects[
        (effects["scenario"] == scenario)
        & (effects["outcome"] == outcome)
        & (effects["group"] == group)
    ]
    if r.empty or not np.isfinite(r["mean_diff"].iloc[0]):
        return "n/a"
    m, lo, hi = r[["mean_diff", "ci_low", "ci_high"]].iloc[0]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return f"{m:+z.{digits}f} (too few replicates for an interval)"
    spread_text = ""
    if drawn and "draws_low" in r and np.isfinite(r["draws_low"].iloc[0]):
        d_lo, d_hi = r[["draws_low", "draws_high"]].iloc[0]
        spread_text = f"; across draws {d_lo:+z.{digits}f} to {d_hi:+z.{digits}f}"
    return f"{m:+z.{digits}f} ({lo:+z.{digits}f} to {hi:+z.{digits}f}{spread_text})"


def headline(result: CompareResult) -> pd.DataFrame:
    """A commissioner's table: one row per scenario, effects with intervals in plain units."""
    e = result.effects
    drawn = result.settings.get("uncertainty") is not None
    rows = []
    for sc in result.scenarios[1:]:
        runs = result.runs[result.runs["scenario"] == sc]
        rows.append(
            {
                "scenario": sc,
                "people referred": f"{runs['people_referred'].mean():.0f}"
                if "people_referred" in runs
                else "0",
                "SWEMWBS, referred": _cell(e, sc, "swemwbs", "referred", drawn=drawn),
                "SWEMWBS, engaged": _cell(e, sc, "swemwbs", "engaged", drawn=drawn),
                "lonely share, referred": _cell(e, sc, "lonely_share", "referred", 3, drawn),
                "EQ-5D, referred": _cell(e, sc, "eq5d", "referred", 3, drawn),
                "QALYs per person": _cell(e, sc, "qalys", "population", 4, drawn),
                "programme cost per referred (GBP)": _cell(
                    e, sc, "intervention_cost_per_person", "referred", 0, drawn
                ),
                "service cost per person (GBP)": _cell(
                    e, sc, "service_cost", "population", 0, drawn
                ),
                "net cost per QALY (GBP)": _icer_cell(e, sc, drawn),
                **_value_cells(result, sc),
            }
        )
    return pd.DataFrame(rows)


def by_measure(headline_table: pd.DataFrame) -> pd.DataFrame:
    """The headline turned for reading: one row per measure, one column per scenario (a
    table that keeps its width as measures are added)."""
    t = headline_table.set_index("scenario").T
    return t.rename_axis("measure").reset_index().rename_axis(None, axis=1)


def _icer_cell(effects: pd.DataFrame, scenario: str, drawn: bool = False) -> str:
    """Net cost per QALY, or 'dominant' when QALYs are gained and money saved."""
    r = effects[(effects["scenario"] == scenario) & (effects["outcome"] == "cost_per_qaly")]
    if len(r) and r["mean_diff"].iloc[0] < 0:
        return "dominant: QALYs gained and cost saved"
    return _cell(effects, scenario, "cost_per_qaly", "population", 0, drawn)


def _value_cells(result: CompareResult, scenario: str) -> dict[str, str]:
    """Net benefit per person (GBP) and the chance of being cost-effective, at each
    willingness to pay per QALY."""
    out = {}
    for k in result.settings.get("thresholds", THRESHOLDS):
        label = f"GBP {k / 1000:g}k/QALY"
        out[f"net benefit at {label}"] = _cell(
            result.effects,
            scenario,
            f"net_benefit_{int(k)}",
            "population",
            0,
            result.settings.get("uncertainty") is not None,
        )
        v = result.value
        row = v[(v["scenario"] == scenario) & (v["threshold"] == k)] if len(v) else v
        out[f"chance cost-effective, {label}"] = (
            f"{row['prob_cost_effective'].iloc[0]:.0%}" if len(row) else "n/a"
        )
    return out
