"""The answer in brief: a few sentences computed from a comparison, in a commissioner's
words, for the top of the report, the terminal and the app.

Every number in them comes from the comparison's effects and value tables; which
scenario is named first, and whether an effect is called clear, follow from those
numbers, so the sentences change when the results do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netmob.analysis.compare import CompareResult, ranking
from netmob.analysis.trust import MIN_REPLICATES
from netmob.experiments.effects import LONGEST_FOLLOW_UP

MEANINGFUL_SWEMWBS = 1.0  # S1: changes of 1-3 points matter to an individual


def in_brief(result: CompareResult) -> list[str]:
    """Wellbeing, value for money, and what each scenario costs and gains in total."""
    lines = [_wellbeing(result), _over_time(result), _value(result), _totals(result)]
    return [line for line in lines if line]


def _effect(result: CompareResult, outcome: str, group: str) -> pd.DataFrame:
    """One outcome's effects, indexed by scenario, in the order the scenarios were given."""
    e = result.effects
    rows = e[(e["outcome"] == outcome) & (e["group"] == group)].set_index("scenario")
    return rows.reindex([s for s in result.scenarios[1:] if s in rows.index])


def _clear(row: pd.Series) -> bool:
    """The 95% interval excludes no difference."""
    return bool(row["ci_low"] > 0 or row["ci_high"] < 0)


def _wellbeing(result: CompareResult) -> str:
    """Which scenario gains most wellbeing for the people it refers, and how much that is."""
    e = _effect(result, "swemwbs", "referred").dropna(subset=["mean_diff"])
    if e.empty:
        return ""
    e = e.sort_values("mean_diff", ascending=False, kind="stable")
    best, row = e.index[0], e.iloc[0]
    text = (
        f"Wellbeing of the people referred: {best} gains most (SWEMWBS {row.mean_diff:+.2f}, "
        f"95% interval {row.ci_low:+.2f} to {row.ci_high:+.2f}" + _across(result, row) + ")"
    )
    if len(e) > 1:
        rest = [f"{sc} {r.mean_diff:+.2f}" for sc, r in e.iloc[1:].iterrows()]
        text += ", then " + ", ".join(rest)
    unclear = [sc for sc, r in e.iterrows() if not _clear(r)]
    large = [sc for sc, r in e.iterrows() if abs(r.mean_diff) >= MEANINGFUL_SWEMWBS]
    if unclear:
        text += f"; no clear difference from {result.scenarios[0]} for {_join(unclear)}"
    if large:
        verb = "reaches" if len(large) == 1 else "reach"
        text += f"; {_join(large)} {verb} the 1-3 points that matter to one person (S1)"
    elif not unclear:
        text += "; all clear of zero, but below the 1-3 points that matter to one person (S1)"
    return text + _extrapolation(result) + "."


def _extrapolation(result: CompareResult) -> str:
    """' (at N weeks: extrapolation, ...)' when the run ends past the longest follow-up in
    the record, else ''."""
    end = int(result.settings.get("weeks") or 0)
    if end <= LONGEST_FOLLOW_UP:
        return ""
    return (
        f" (at {end} weeks: extrapolation, past the longest follow-up in the record, "
        f"{LONGEST_FOLLOW_UP} weeks (E6's 18 months))"
    )


def _over_time(result: CompareResult) -> str:
    """The effect on the people referred at each horizon (the trials' and the end), any
    past the longest follow-up marked as extrapolation, and whether the order of the
    scenarios changes with the horizon."""
    r = ranking(result)
    if len(r) < 2:
        return ""
    parts = []
    for _, row in r.iterrows():
        at = ", ".join(f"{sc} {row[sc]:+.2f}" for sc in row["order"])
        flag = " (extrapolation)" if row["extrapolated"] else ""
        parts.append(f"at {row['week']} weeks{flag} {at}")
    text = "Over time, SWEMWBS of the people referred: " + "; ".join(parts)
    firsts = [order[0] if order else "" for order in r["order"]]
    if len(result.scenarios) > 2 and firsts:
        if len(set(firsts)) == 1:
            text += f". {firsts[0]} gains most at every horizon"
        else:
            changes = [
                f"{first} at {week} weeks"
                for week, first, before in zip(r["week"], firsts, [None, *firsts[:-1]], strict=True)
                if first != before
            ]
            text += ". Which gains most changes with the horizon: " + ", then ".join(changes)
    past = r.loc[r["extrapolated"], "week"].tolist()
    if past:
        text += (
            f". Past {LONGEST_FOLLOW_UP} weeks (E6's 18 months, the longest follow-up in the "
            f"record; the trials stop at 26-39) the model extrapolates: "
            f"{_join([str(w) for w in past])} weeks"
        )
    return text + "."


def _value(result: CompareResult) -> str:
    """Cost-effectiveness at the first willingness to pay, and the best option."""
    v, ks = result.value, result.settings.get("thresholds", [])
    if v.empty or not ks:
        return ""
    k = ks[0]
    at = v[np.isclose(v["threshold"], k)].set_index("scenario")
    if at.empty:
        return ""
    chances = ", ".join(f"{sc} {p:.0%}" for sc, p in at["prob_cost_effective"].items())
    best, p_best = at["prob_best"].idxmax(), at["prob_best"].max()
    p_ref = 1.0 - at["prob_best"].sum()
    if p_ref > p_best:
        best, p_best = f"{result.scenarios[0]} (no change)", p_ref
    drawn = result.settings.get("uncertainty")
    over = "replicates"
    if drawn:
        what = (
            "a parameter set from the posterior"
            if drawn.get("kind") == "posterior"
            else ("the assumptions")
        )
        over = f"replicates, each drawing {what} of '{drawn['name']}'"
    spreads = ""
    if drawn and "draws_low" in at:
        spreads = "; net benefit per person across the draws (2.5th to 97.5th percentile): " + (
            ", ".join(
                f"{sc} {r.draws_low:+,.0f} to {r.draws_high:+,.0f} GBP" for sc, r in at.iterrows()
            )
        )
    n = int(result.settings.get("replicates_done") or result.settings.get("replicates") or 0)
    few = (
        f" Only {n} replicates: too few to read these as chances ({MIN_REPLICATES} or more "
        "are needed; see how far to trust this)."
        if n < MIN_REPLICATES
        else ""
    )
    return (
        f"At GBP {k:,.0f} per QALY, the chance of being cost-effective against "
        f"{result.scenarios[0]} is {chances}; the best option is {best}, in {p_best:.0%} "
        f"of {over}{spreads}.{few}"
    )


def _across(result: CompareResult, row: pd.Series) -> str:
    """'; across draws a to b' when each replicate drew its parameters (the spread of
    the effect itself, beside the interval of its mean), else ''."""
    if not result.settings.get("uncertainty") or not np.isfinite(row.get("draws_low", np.nan)):
        return ""
    return f"; across draws {row.draws_low:+.2f} to {row.draws_high:+.2f}"


def _totals(result: CompareResult) -> str:
    """Programme cost, service cost and QALYs for the whole target population."""
    s = result.settings
    n, weeks = s["people"], s["weeks"]
    cost = _effect(result, "intervention_cost_per_person", "population")["mean_diff"] * n
    service = _effect(result, "service_cost", "population")["mean_diff"] * n
    qalys = _effect(result, "qalys", "population")["mean_diff"] * n
    parts = [
        f"{sc} GBP {_money(cost[sc])} in programme costs, {_signed_money(service[sc])} in "
        f"health services, {qalys[sc]:+.1f} QALYs"
        for sc in cost.index
    ]
    if not parts:
        return ""
    past = (
        f" (extrapolation: past {LONGEST_FOLLOW_UP} weeks)"
        if int(weeks) > LONGEST_FOLLOW_UP
        else ""
    )
    return f"For all {n:,} target people over {weeks} weeks{past}: " + "; ".join(parts) + "."


def _signed_money(x: float) -> str:
    """'GBP 6,020 more' or 'GBP 6,020 less' (or 'no change')."""
    if round(x) == 0:
        return "no change"
    return f"GBP {_money(abs(x))} {'more' if x > 0 else 'less'}"


def _money(x: float) -> str:
    """Three significant figures, as far as a modelled cost is known: 77236 -> '77,200'.

    Examples:
        >>> _money(77236.4), _money(105.2), _money(8.4), _money(0.0)
        ('77,200', '105', '8', '0')
    """
    if x == 0 or not np.isfinite(x):
        return f"{x:,.0f}"
    places = 2 - int(np.floor(np.log10(abs(x))))  # decimal places for 3 significant figures
    return f"{round(x, min(places, 0)):,.0f}"


def _join(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
