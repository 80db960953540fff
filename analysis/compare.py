"""Paired comparison of scenarios for commissioners: effects with intervals, in their units.

The first scenario is the reference. Replicate ``r`` runs every scenario from the same seed
(derived from the comparison's seed and ``r``), so each scenario and the reference share
their community and their random streams: person ``i`` differs between them only through
the scenarios' differences. For each replicate, scenario, group and outcome the mean
per-person difference is taken; effects are the mean over replicates with a 95% t
interval.

Groups: ``population`` (every target person), ``referred`` (people the scenario's
programme referred) and ``engaged`` (referred, with 3 or more contacts). Costs are
per person in the group: a programme's cost divided by the group's size.

Examples:
    >>> result = compare(["baseline", "genie"], people=150, weeks=6, replicates=2, seed=1)
    >>> sorted(result.effects["group"].unique())
    ['engaged', 'population', 'referred']
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from netmob.analysis.paired import group_masks
from netmob.analysis.stats import diff_ci, mean_ci
from netmob.analysis.uncertainty import (
    UncertaintySpec,
    apply_draw,
    check_shared,
    draws,
    load_uncertainty,
)
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.run import simulate
from netmob.sim.scenario import load_scenario

# Headline outcomes: (name, per-person column or None for run-level, meaning, unit).
OUTCOMES = (
    ("swemwbs", "swemwbs", "mental wellbeing (SWEMWBS, 7-35)", "points"),
    ("ucla", "ucla", "loneliness (UCLA-3, 3-9; lower is better)", "points"),
    ("lonely_share", "lonely", "share lonely (UCLA-3 of 6 or more)", "share"),
    ("eq5d", "eq5d", "health-related quality of life (EQ-5D)", "utility"),
    ("qalys", "qalys", "quality-adjusted life years over the horizon", "QALYs"),
    ("network_size", "network_size", "people in the personal network", "people"),
    ("new_ties_nudge", "new_ties_nudge", "new ties made through the nudge", "ties"),
    (
        "new_ties_mobilisation",
        "new_ties_mobilisation",
        "new ties made through mobilisation",
        "ties",
    ),
    ("objectives_achieved", "objectives_achieved", "personal objectives achieved", "objectives"),
    ("people_reached", "reached", "share seen by a worker at least once", "share"),
    ("members_swemwbs", "members_swemwbs_change", "network members' wellbeing change", "points"),
    ("intervention_cost", "intervention_cost", "programme cost", "GBP"),
    ("service_cost", "service_cost", "health-service cost (GP, A&E, admissions)", "GBP"),
    ("net_cost", "net_cost", "programme plus service cost", "GBP"),
)
OUTCOME_NAMES = tuple(o[0] for o in OUTCOMES)
OUTCOME_MEANING = {o[0]: (o[2], o[3]) for o in OUTCOMES}
TYPE_OUTCOME = "swemwbs"  # the outcome shown by network type
DRAW = "draw."  # prefix of the drawn uncertain parameters in ``runs``


@dataclass
class CompareResult:
    """What a comparison gives (see the module docstring)."""

    scenarios: list[str]
    descriptions: dict[str, str]
    settings: dict
    effects: pd.DataFrame  # scenario, outcome, group, mean_diff, ci_low, ci_high
    runs: pd.DataFrame  # one row per scenario x replicate
    weekly: pd.DataFrame  # weekly aggregates per scenario x replicate
    contrasts: pd.DataFrame  # per replicate, scenario, group, outcome: level, reference level
    by_type: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # per replicate: effect by network type
    value: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # net benefit and the acceptability curve (netmob.analysis.economics.acceptability)


def replicate_seed(seed: int, replicate: int) -> int:
    """The seed every scenario of replicate ``replicate`` runs with."""
    return int(np.random.SeedSequence(seed, spawn_key=(replicate,)).generate_state(1)[0])


def resolve(scenarios: list[str], people: int, weeks: int) -> dict[str, tuple[Params, str]]:
    """Each scenario's parameters (at this size and horizon) and description."""
    if len(scenarios) < 2:
        raise InputError(
            "compare needs a reference scenario and at least one other",
            field="SCENARIO",
            value=scenarios,
            allowed="two or more scenario names or files",
        )
    if len(set(scenarios)) != len(scenarios):
        raise InputError("a scenario is named twice", field="SCENARIO", value=scenarios)
    out = {}
    for ref in scenarios:
        sc = load_scenario(ref)
        params = sc.params.with_overrides(
            {"population.n_people": people, "run.weeks": weeks}, file="command line"
        )
        out[ref] = (params, sc.description or sc.name)
    return out


def person_outcomes(people: pd.DataFrame) -> pd.DataFrame:
    """Per-person outcomes of one run (programme costs are spread per group in ``group_levels``)."""
    df = people.copy()
    df["reached"] = (df.get("contacts", 0) > 0).astype(float)
    df["lonely"] = df["lonely"].astype(float)
    return df


def group_levels(people: pd.DataFrame, summary: dict, mask: np.ndarray) -> dict[str, float]:
    """Mean of every outcome over the people in ``mask`` (costs: programme cost / group size)."""
    k = int(mask.sum())
    out = {}
    for name, col, _, _ in OUTCOMES:
        if name in ("intervention_cost", "net_cost"):
            continue
        out[name] = float(people.loc[mask, col].mean()) if k else float("nan")
    cost = float(summary.get("intervention_cost", 0.0))
    out["intervention_cost"] = cost / k if k else float("nan")
    out["net_cost"] = out["intervention_cost"] + out["service_cost"]
    return out


def run_replicate(task: tuple[int, int, dict[str, Params], float]) -> dict:
    """Every scenario of one replicate from one seed; the paired contrasts against the
    first, with discounted QALYs and net cost (at the task's rate) for the population."""
    replicate, seed, params, rate = task
    names = list(params)
    results = {name: simulate(params[name], seed) for name in names}
    ref_name = names[0]
    ref = results[ref_name]
    ref_people = person_outcomes(ref.people)
    rows, runs, weekly, by_type = [], [], [], []
    for name in names:
        res = results[name]
        people = person_outcomes(res.people)
        runs.append({"scenario": name, "replicate": replicate, "seed": seed, **_flat(res.summary)})
        weekly.append(res.weekly.assign(scenario=name, replicate=replicate))
        if name == ref_name:
            continue
        for group, mask in group_masks(people).items():
            level = group_levels(people, res.summary, mask)
            ref_level = group_levels(ref_people, ref.summary, mask)
            for outcome in OUTCOME_NAMES:
                rows.append(
                    {
                        "replicate": replicate,
                        "scenario": name,
                        "group": group,
                        "outcome": outcome,
                        "level": level[outcome],
                        "reference": ref_level[outcome],
                        "n": int(mask.sum()),
                    }
                )
        rows += _discounted_rows(replicate, name, res, ref, params[name], rate)
        by_type += _by_network_type(replicate, name, people, ref_people)
    return {
        "contrasts": rows,
        "runs": runs,
        "weekly": pd.concat(weekly, ignore_index=True),
        "by_type": by_type,
    }


def _discounted_rows(replicate: int, name: str, res, ref, params: Params, rate: float) -> list:
    """Contrast rows of discounted QALYs and net cost per target person (population)."""
    n = params.population.n_people
    level = discounted_totals(res.weekly, n, rate)
    reference = discounted_totals(ref.weekly, n, rate)
    return [
        {
            "replicate": replicate,
            "scenario": name,
            "group": "population",
            "outcome": outcome,
            "level": level[outcome],
            "reference": reference[outcome],
            "n": n,
        }
        for outcome in DISCOUNTED.values()
    ]


def _by_network_type(
    replicate: int, name: str, people: pd.DataFrame, ref: pd.DataFrame
) -> list[dict]:
    """Effect on SWEMWBS among referred people, by the network type they started with."""
    referred = group_masks(people)["referred"]
    diff = people[TYPE_OUTCOME].to_numpy(float) - ref[TYPE_OUTCOME].to_numpy(float)
    out = []
    for t in pd.unique(people["network_type_start"].astype(str)):
        mask = referred & (people["network_type_start"].astype(str).to_numpy() == t)
        if mask.any():
            out.append(
                {
                    "replicate": replicate,
                    "scenario": name,
                    "network_type": t,
                    "mean_diff": float(diff[mask].mean()),
                    "n": int(mask.sum()),
                }
            )
    return out


def _flat(summary: dict) -> dict:
    out = {}
    for k, v in summary.items():
        if isinstance(v, dict):
            out |= {f"{k}.{kk}": vv for kk, vv in v.items()}
        else:
            out[k] = v
    return out


def interval_table(contrasts: pd.DataFrame, paired: bool = True) -> pd.DataFrame:
    """Mean difference with a 95% interval per scenario, outcome and group: paired over
    replicates (the runs share seeds), or, for comparison, as if the runs were independent
    (Welch): what common random numbers save."""
    rows = []
    for (sc, outcome, group), g in contrasts.groupby(["scenario", "outcome", "group"], sort=False):
        r = mean_ci(g["level"] - g["reference"]) if paired else diff_ci(g["level"], g["reference"])
        rows.append(
            {
                "scenario": sc,
                "outcome": outcome,
                "group": group,
                "mean_diff": r["mean"],
                "ci_low": r["lo"],
                "ci_high": r["hi"],
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


def compare(
    scenarios: list[str],
    *,
    people: int,
    weeks: int,
    replicates: int,
    seed: int,
    workers: int = 1,
    thresholds: Sequence[float] = THRESHOLDS,
    discount: float = DISCOUNT,
    uncertainty: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CompareResult:
    """Run the paired comparison; ``progress(done, total)`` is called as runs finish.

    ``thresholds``: willingness to pay per QALY (GBP) for the net benefit rows.
    ``discount``: a year, for the costs and QALYs of value for money (first year not).
    ``uncertainty``: an uncertainty spec (``netmob.analysis.uncertainty``): each replicate then
    draws the assumed parameters it names, the same draw for every scenario."""
    if replicates < 2:
        raise InputError(
            "an interval needs at least two replicates",
            field="--replicates",
            value=replicates,
            allowed="2 or more",
        )
    if workers < 1:
        raise InputError(
            "needs at least one worker process",
            field="--workers",
            value=workers,
            allowed="1 or more",
        )
    check_thresholds(thresholds)
    check_discount(discount)
    resolved = resolve(scenarios, people, weeks)
    params = {name: p for name, (p, _) in resolved.items()}
    spec = load_uncertainty(uncertainty) if uncertainty is not None else None
    drawn = pd.DataFrame(index=range(replicates))
    if spec is not None:
        check_shared(spec, params)
        drawn = draws(spec, replicates, seed)
    tasks = [
        (r, replicate_seed(seed, r), _with_draw(params, drawn.iloc[r].to_dict(), spec), discount)
        for r in range(replicates)
    ]
    total = replicates * len(scenarios)
    parts = _run_all(
        tasks, workers, lambda done: progress and progress(done * len(scenarios), total)
    )
    parts.sort(key=lambda p: p["runs"][0]["replicate"])
    contrasts = pd.DataFrame([row for p in parts for row in p["contrasts"]])
    return CompareResult(
        scenarios=list(scenarios),
        descriptions={name: d for name, (_, d) in resolved.items()},
        settings={
            "people": people,
            "weeks": weeks,
            "replicates": replicates,
            "seed": seed,
            "thresholds": [float(k) for k in thresholds],
            "discount": float(discount),
            "uncertainty": None
            if spec is None
            else {
                "name": spec.name,
                "description": spec.description,
                "file": spec.file,
                "ranges": spec.ranges(),
            },
        },
        effects=effects_table(contrasts, list(scenarios), thresholds),
        runs=_add_draws(pd.DataFrame([row for p in parts for row in p["runs"]]), drawn),
        weekly=pd.concat([p["weekly"] for p in parts], ignore_index=True),
        contrasts=contrasts,
        by_type=pd.DataFrame([row for p in parts for row in p["by_type"]]),
        value=acceptability(contrasts, list(scenarios), sorted({*CURVE, *thresholds})),
    )


def _with_draw(
    params: dict[str, Params], draw: dict[str, Any], spec: UncertaintySpec | None
) -> dict[str, Params]:
    """Every scenario's parameters with this replicate's draw (unchanged without a spec)."""
    if spec is None:
        return params
    return {name: apply_draw(p, draw, spec.file) for name, p in params.items()}


def _add_draws(runs: pd.DataFrame, drawn: pd.DataFrame) -> pd.DataFrame:
    """Each run's drawn parameter values, as ``draw.<parameter>`` columns."""
    if drawn.empty or not len(drawn.columns):
        return runs
    cols = drawn.add_prefix(DRAW).rename_axis("replicate").reset_index()
    return runs.merge(cols, on="replicate", how="left")


def _run_all(tasks: list, workers: int, done: Callable[[int], None]) -> list[dict]:
    """Run replicates in ``workers`` processes (or here, with one); results in any order."""
    out = []
    if workers == 1:
        for t in tasks:
            out.append(run_replicate(t))
            done(len(out))
        return out
    context = multiprocessing.get_context("forkserver")  # no fork() of a threaded parent
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for fut in cf.as_completed([pool.submit(run_replicate, t) for t in tasks]):
            out.append(fut.result())
            done(len(out))
    return out


def _cell(effects: pd.DataFrame, scenario: str, outcome: str, group: str, digits: int = 2) -> str:
    """'+0.12 (+0.05 to +0.19)' for one effect, or 'n/a'."""
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
    return f"{m:+z.{digits}f} ({lo:+z.{digits}f} to {hi:+z.{digits}f})"


def headline(result: CompareResult) -> pd.DataFrame:
    """A commissioner's table: one row per scenario, effects with intervals in plain units."""
    e = result.effects
    rows = []
    for sc in result.scenarios[1:]:
        runs = result.runs[result.runs["scenario"] == sc]
        rows.append(
            {
                "scenario": sc,
                "people referred": f"{runs['people_referred'].mean():.0f}"
                if "people_referred" in runs
                else "0",
                "SWEMWBS, referred": _cell(e, sc, "swemwbs", "referred"),
                "SWEMWBS, engaged": _cell(e, sc, "swemwbs", "engaged"),
                "lonely share, referred": _cell(e, sc, "lonely_share", "referred", 3),
                "EQ-5D, referred": _cell(e, sc, "eq5d", "referred", 3),
                "QALYs per person": _cell(e, sc, "qalys", "population", 4),
                "programme cost per referred (GBP)": _cell(
                    e, sc, "intervention_cost", "referred", 0
                ),
                "service cost per person (GBP)": _cell(e, sc, "service_cost", "population", 0),
                "net cost per QALY (GBP)": _icer_cell(e, sc),
                **_value_cells(result, sc),
            }
        )
    return pd.DataFrame(rows)


def by_measure(headline_table: pd.DataFrame) -> pd.DataFrame:
    """The headline turned for reading: one row per measure, one column per scenario (a
    table that keeps its width as measures are added)."""
    t = headline_table.set_index("scenario").T
    return t.rename_axis("measure").reset_index().rename_axis(None, axis=1)


def _icer_cell(effects: pd.DataFrame, scenario: str) -> str:
    """Net cost per QALY, or 'dominant' when QALYs are gained and money saved."""
    r = effects[(effects["scenario"] == scenario) & (effects["outcome"] == "cost_per_qaly")]
    if len(r) and r["mean_diff"].iloc[0] < 0:
        return "dominant: QALYs gained and cost saved"
    return _cell(effects, scenario, "cost_per_qaly", "population", 0)


def _value_cells(result: CompareResult, scenario: str) -> dict[str, str]:
    """Net benefit per person (GBP) and the chance of being cost-effective, at each
    willingness to pay per QALY."""
    out = {}
    for k in result.settings.get("thresholds", THRESHOLDS):
        label = f"GBP {k / 1000:g}k/QALY"
        out[f"net benefit at {label}"] = _cell(
            result.effects, scenario, f"net_benefit_{int(k)}", "population", 0
        )
        v = result.value
        row = v[(v["scenario"] == scenario) & (v["threshold"] == k)] if len(v) else v
        out[f"chance cost-effective, {label}"] = (
            f"{row['prob_cost_effective'].iloc[0]:.0%}" if len(row) else "n/a"
        )
    return out
