"""What a paired comparison answers: its tables, and the effects, costs and value for money
worked out from them (:mod:`netmob.experiments.compare` runs it).

For each replicate, scenario, group and registered effect a comparison keeps the group's
mean per-person level beside the reference's (common random numbers: the same people,
the same streams); effects are the mean paired difference over replicates with a 95% t
interval. Value for money (:mod:`netmob.experiments.economics`) adds discounted QALYs and
net cost per person, worked out here from each run's weekly running totals, so another
discount rate or willingness to pay needs no new runs.

The tables come from a store on disk (:func:`summarise`) or straight from the runs
(:func:`netmob.experiments.compare.run` without a folder); either way
:func:`from_tables` makes the answer, so the two give the same numbers. A replicate with
a failed run is left out of every effect, and says so in ``settings["failed_replicates"]``.

Examples:
    >>> from netmob.experiments.compare import compare_spec, run
    >>> spec = compare_spec(["baseline", "genie"], people=150, weeks=6, replicates=2, seed=1)
    >>> result = run(spec)
    >>> sorted(result.effects["group"].unique())
    ['engaged', 'population', 'referred']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from netmob.experiments.economics import (
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
from netmob.experiments.records import OK
from netmob.experiments.stats import diff_ci, mean_ci, spread
from netmob.experiments.store import (
    STRING,
    load_results,
    load_table,
    load_weekly,
    read_design,
    read_manifest,
)
from netmob.sim.errors import InputError

if TYPE_CHECKING:
    from netmob.experiments.runner import SweepReport

# The weeks a comparison reads every effect at besides its end: the trials' follow-ups,
# 6 months (TR1 BRIGHT, TR3 PALS) and 9 months (TR2 Connecting People, TR4 Deep End).
TRIAL_HORIZONS = (26, 39)
# The longest follow-up in the record: E6's cohort, 18 months. An effect read later than
# this is extrapolation (flagged in effects.csv, the report and the brief).
LONGEST_FOLLOW_UP = 78
KIND = "compare"  # a comparison's manifest kind
REGION_KIND = "region"  # a region's (netmob.experiments.region)
REGION = "(region)"  # the whole region's rows in a region's effects.csv and value.csv
DRAW = "draw."  # prefix of the drawn uncertain parameters in a run's record
_IDS = [("run_id", pa.int64()), ("replicate", pa.int64()), ("scenario", STRING)]
# The tables a comparison keeps beside its runs and weekly rows.
CONTRASTS = pa.schema(
    [
        *_IDS,
        ("group", STRING),
        ("outcome", STRING),
        ("level", pa.float64()),
        ("reference", pa.float64()),
        ("n", pa.int64()),
        ("week", pa.int64()),  # the horizon the levels are read at (the run's end or earlier)
    ]
)
BY_TYPE = pa.schema(
    [*_IDS, ("network_type", STRING), ("mean_diff", pa.float64()), ("n", pa.int64())]
)


@dataclass
class CompareResult:
    """What a comparison gives: its question's settings, its design (one point per
    scenario), the tables of its runs and the answer worked out from them.

    ``runs``, ``weekly``, ``contrasts`` and ``by_type`` hold the replicates that finished
    whole; ``effects`` and ``value`` are worked out from them; ``failures`` holds the
    record (error and traceback) of every run that failed; ``report`` says what the
    session that ran it did (None when read back from a store)."""

    scenarios: list[str]
    descriptions: dict[str, str]
    settings: dict
    # scenario, outcome, group, mean_diff, ci_low, ci_high (the mean's Monte Carlo
    # interval), draws_low, draws_high (the effect's spread across replicates' draws),
    # week (the run's end) and extrapolated (past LONGEST_FOLLOW_UP)
    effects: pd.DataFrame
    runs: pd.DataFrame  # one row per scenario x replicate
    weekly: pd.DataFrame  # weekly aggregates per scenario x replicate
    contrasts: pd.DataFrame  # per replicate, scenario, group, outcome: level, reference level
    by_type: pd.DataFrame = field(default_factory=pd.DataFrame)  # per replicate, by network type
    # net benefit and the acceptability curve (netmob.experiments.economics.acceptability)
    value: pd.DataFrame = field(default_factory=pd.DataFrame)
    design: pd.DataFrame = field(default_factory=pd.DataFrame)  # point, scenario
    failures: pd.DataFrame = field(default_factory=pd.DataFrame)  # failed runs' records
    report: SweepReport | None = None
    # the registered effects at each horizon before the end (as ``effects``' columns);
    # :func:`by_horizon` adds the end's
    horizons: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def end(self) -> int:
        """The week the runs end (the horizon of ``effects``)."""
        return int(self.settings["weeks"])


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
    result = from_tables(
        list(manifest["scenarios"]),
        manifest["descriptions"],
        settings_of(manifest),
        load_results(root),
        {"weekly": load_weekly(root)}
        | {name: load_table(root, name) for name in ("contrasts", "by_type")},
        thresholds,
        discount,
        where=str(root),
    )
    result.design = read_design(root)
    return result


def settings_of(manifest: dict[str, Any]) -> dict[str, Any]:
    """A comparison's settings as its result reports them: the manifest's, with its
    provenance."""
    return {
        **manifest["settings"],
        "code_version": manifest.get("code_version"),
        "created": manifest.get("created"),
        "files": manifest.get("files"),  # None in a comparison made before they were kept
        "params": manifest.get("definition", {}).get("params", {}),  # flat, per scenario
    }


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
    """A comparison's result from its tables: ``runs`` as
    :func:`~netmob.experiments.store.load_results` gives them (every status), ``tables``
    the ``weekly``, ``contrasts`` and ``by_type`` rows of those runs (a region gives each
    area's here, :mod:`netmob.analysis.region`); ``settings``: the manifest's, with its
    provenance.

    Raises:
        InputError: if no replicate finished whole.
    """
    failures = runs[runs["status"] != OK].drop(columns="chunk", errors="ignore")
    failed = sorted(set(failures["replicate"].astype(int)))
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
    end = int(settings["weeks"])
    contrasts = _labelled(tables["contrasts"], runs)
    if "week" not in contrasts:  # a store from before horizons were kept: the end only
        contrasts["week"] = end
    contrasts["week"] = contrasts["week"].fillna(end).astype(int)
    earlier = contrasts[contrasts["week"] < end].drop(columns="run_id")
    contrasts = pd.concat(
        [
            contrasts[contrasts["week"] == end].drop(columns="run_id"),
            _discounted(weekly, runs, scenarios, discount).assign(week=end),
        ],
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
        effects=at_week(effects_table(contrasts, scenarios, thresholds), end),
        runs=runs,
        weekly=weekly,
        contrasts=contrasts,
        by_type=by_type.drop(columns="run_id", errors="ignore"),
        value=acceptability(contrasts, scenarios, sorted({*CURVE, *thresholds})),
        failures=failures.reset_index(drop=True),
        horizons=horizon_effects(earlier, scenarios),
    )


def at_week(effects: pd.DataFrame, week: int) -> pd.DataFrame:
    """``effects`` read at ``week``: with its ``week`` and whether that is past the longest
    follow-up in the record (``extrapolated``)."""
    return effects.assign(week=int(week), extrapolated=int(week) > LONGEST_FOLLOW_UP)


def horizon_effects(contrasts: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """The registered effects at each week of ``contrasts`` (horizons before the end), in
    the order of the scenarios and then the weeks."""
    if contrasts.empty:
        return pd.DataFrame()
    frames = [
        at_week(interval_table(contrasts[contrasts["week"] == week].drop(columns="week")), week)
        for week in sorted(int(w) for w in contrasts["week"].unique())
    ]
    out = pd.concat(frames, ignore_index=True)
    order = {s: i for i, s in enumerate(scenarios)}
    return out.sort_values(
        ["scenario", "week"],
        key=lambda s: s.map(order) if s.name == "scenario" else s,
        kind="stable",
    ).reset_index(drop=True)


def by_horizon(result: CompareResult) -> pd.DataFrame:
    """Every effect at every horizon: the earlier horizons' registered effects, then the
    end's (value for money included), each row with its ``week`` and ``extrapolated``
    (what ``effects.csv`` holds)."""
    frames = [f for f in (result.horizons, result.effects) if len(f)]
    out = pd.concat(frames, ignore_index=True)
    order = {s: i for i, s in enumerate(result.scenarios)}
    return out.sort_values(
        ["scenario", "week"],
        key=lambda s: s.map(order) if s.name == "scenario" else s,
        kind="stable",
    ).reset_index(drop=True)


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
        for run_id, scenario, people in zip(
            runs_r["run_id"], runs_r["scenario"], runs_r["n_people_target"], strict=True
        ):
            w = weekly[weekly["run_id"] == run_id]
            totals[scenario] = discounted_totals(w, int(people), rate)
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
    (:mod:`netmob.experiments.economics`)."""
    out = interval_table(contrasts)
    value = [row for sc in scenarios[1:] for row in effect_rows(contrasts, sc, thresholds)]
    out = pd.concat([out, pd.DataFrame(value, columns=out.columns)], ignore_index=True)
    order = {s: i for i, s in enumerate(scenarios)}
    return out.sort_values("scenario", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
