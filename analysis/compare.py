"""Paired comparison of scenarios for commissioners: the headline table, in their units.

The effects with their intervals and the value for money are worked out where the
comparison runs (:mod:`netmob.experiments.effects`, re-exported here with
:func:`summarise`, which reads a stored comparison back); this module turns them into
what a commissioner reads.

Examples:
    >>> from netmob.experiments.compare import compare_spec, run
    >>> spec = compare_spec(["baseline", "genie"], people=150, weeks=6, replicates=2, seed=1)
    >>> list(headline(run(spec)).columns[:3])
    ['scenario', 'people referred', 'SWEMWBS, referred']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netmob.experiments.economics import THRESHOLDS
from netmob.experiments.effects import (
    DRAW,
    LONGEST_FOLLOW_UP,
    CompareResult,
    by_horizon,
    effects_table,
    from_tables,
    interval_table,
    summarise,
)
from netmob.sim import registry

OUTCOME_NAMES = registry.names("effect")
OUTCOME_MEANING = {
    name: (registry.meaning(name, "effect"), registry.unit(name, "effect"))
    for name in OUTCOME_NAMES
}
__all__ = [
    "DRAW",
    "CompareResult",
    "by_horizon",
    "by_measure",
    "effects_table",
    "from_tables",
    "headline",
    "interval_table",
    "over_time",
    "ranking",
    "summarise",
]


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


# The headline's effects: (measure, outcome, group, decimals shown)
HEADLINE = (
    ("SWEMWBS, referred", "swemwbs", "referred", 2),
    ("SWEMWBS, engaged", "swemwbs", "engaged", 2),
    ("lonely share, referred", "lonely_share", "referred", 3),
    ("EQ-5D, referred", "eq5d", "referred", 3),
    ("QALYs per person", "qalys", "population", 4),
    ("programme cost per referred (GBP)", "intervention_cost_per_person", "referred", 0),
    ("service cost per person (GBP)", "service_cost", "population", 0),
)
ICER = "net cost per QALY (GBP)"


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
                **{m: _cell(e, sc, o, g, d, drawn) for m, o, g, d in HEADLINE},
                ICER: _icer_cell(e, sc, drawn),
                **_value_cells(result, sc),
            }
        )
    return pd.DataFrame(rows)


def headline_numbers(result: CompareResult) -> pd.DataFrame:
    """The headline as numbers, for a spreadsheet: one row per scenario and measure, its
    mean and the ends of its 95% interval in columns of their own, and the spread of the
    effect across replicates' draws (``draws_low``/``draws_high``, as in the effects) (a
    chance: the share of replicates, 0 to 1, no interval)."""
    e = result.effects.set_index(["scenario", "outcome", "group"])
    rows = []
    for sc in result.scenarios[1:]:
        runs = result.runs[result.runs["scenario"] == sc]
        referred = float(runs["people_referred"].mean()) if "people_referred" in runs else 0.0
        rows.append((sc, "people referred", referred, *(float("nan"),) * 4))
        keys = [(m, o, g) for m, o, g, _ in HEADLINE] + [(ICER, "cost_per_qaly", "population")]
        for k in result.settings.get("thresholds", THRESHOLDS):
            keys.append((f"net benefit at GBP {k / 1000:g}k/QALY", f"net_benefit_{int(k)}",
                         "population"))  # fmt: skip
        for m, o, g in keys:
            r = e.loc[(sc, o, g)] if (sc, o, g) in e.index else None
            cols = ("mean_diff", "ci_low", "ci_high", "draws_low", "draws_high")
            rows.append(
                (sc, m, *(float("nan"),) * 5)
                if r is None
                else (sc, m, *(float(r.get(c, float("nan"))) for c in cols))
            )
        v = result.value
        for k in result.settings.get("thresholds", THRESHOLDS):
            at = v[(v["scenario"] == sc) & (v["threshold"] == k)] if len(v) else v
            p = float(at["prob_cost_effective"].iloc[0]) if len(at) else float("nan")
            rows.append((sc, f"chance cost-effective, GBP {k / 1000:g}k/QALY", p,
                         *(float("nan"),) * 4))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["scenario", "measure", "mean", "ci_low", "ci_high", "draws_low", "draws_high"],
    )


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


def ranking(
    result: CompareResult, outcome: str = "swemwbs", group: str = "referred"
) -> pd.DataFrame:
    """The scenarios compared, best first, at each horizon (the trials' and the end):
    one row per week with ``order`` (scenario names, largest effect first; an effect with
    no number is left out), each scenario's effect and whether the week is past the
    longest follow-up in the record (``extrapolated``)."""
    e = by_horizon(result)
    e = e[(e["outcome"] == outcome) & (e["group"] == group)]
    rows = []
    for week, g in e.groupby("week", sort=True):
        g = g.set_index("scenario")["mean_diff"].dropna()
        order = sorted(g.index, key=lambda sc: -g[sc])  # stable: given order breaks ties
        rows.append(
            {"week": int(week), "order": order, **{sc: float(g[sc]) for sc in order}}
            | {"extrapolated": int(week) > LONGEST_FOLLOW_UP}
        )
    return pd.DataFrame(rows)


def over_time(result: CompareResult) -> pd.DataFrame:
    """The headline's effects at each horizon, for reading: one row per week and measure,
    one column per scenario (with its interval), whether the week is extrapolation, and
    the order of the scenarios on that measure (best first)."""
    e = by_horizon(result)
    drawn = result.settings.get("uncertainty") is not None
    rows = []
    for week, at in e.groupby("week", sort=True):
        past = int(week) > LONGEST_FOLLOW_UP
        for measure, outcome, group, digits in HEADLINE:
            if outcome in ("intervention_cost_per_person",):
                continue
            mine = at[(at["outcome"] == outcome) & (at["group"] == group)]
            if mine.empty:
                continue
            means = mine.set_index("scenario")["mean_diff"].dropna()
            lower_better = outcome in LOWER_IS_BETTER
            order = sorted(means.index, key=lambda sc: means[sc] if lower_better else -means[sc])
            rows.append(
                {
                    "week": int(week),
                    "extrapolation": f"yes: past {LONGEST_FOLLOW_UP} weeks" if past else "no",
                    "measure": measure,
                    **{
                        sc: _cell(at, sc, outcome, group, digits, drawn)
                        for sc in result.scenarios[1:]
                    },
                    "best first": ", ".join(order),
                }
            )
    return pd.DataFrame(rows)


# Outcomes of the headline where less is better (for the order of scenarios)
LOWER_IS_BETTER = ("lonely_share", "service_cost")
