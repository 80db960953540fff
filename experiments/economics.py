"""Value for money from a paired comparison: cost per QALY, net monetary benefit and the
cost-effectiveness acceptability curve, in a commissioner's units (GBP per person).

Every replicate of a comparison runs each scenario and the reference on the same
community from the same seed, so each replicate gives one paired increment per scenario:
QALYs gained ``dq`` and extra net cost ``dc`` (programme plus health services), per target
person. At a willingness to pay of ``k`` GBP per QALY the *net monetary benefit* of a
replicate is ``k * dq - dc``; a scenario is *cost-effective* at ``k`` when it is positive.

The share of replicates in which a scenario is cost-effective (or is the best of all the
options, the reference included at zero) is the chance that a community of this size
sees it pay off: chance over replicates under fixed assumptions, or, when the comparison
draws its assumptions per replicate (``netmob.analysis.uncertainty``), chance and parameter
uncertainty together. Costs and QALYs here are discounted (``DISCOUNT``) when the
contrasts carry the discounted outcomes, as ``netmob.experiments.effects`` makes them.

Examples:
    >>> import pandas as pd
    >>> rows = [
    ...     {"replicate": r, "scenario": "s", "group": "population", "outcome": o,
    ...      "level": lv, "reference": 0.0}
    ...     for r, (dq, dc) in enumerate([(0.01, 100.0), (0.02, 100.0), (0.0, 100.0)])
    ...     for o, lv in (("qalys", dq), ("net_cost", dc))
    ... ]
    >>> inc = increments(pd.DataFrame(rows), "s")
    >>> net_benefit(inc, 20_000)["prob_cost_effective"]
    0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from netmob.experiments.reference_case import DISCOUNT, THRESHOLDS  # noqa: F401 (re-exported)
from netmob.experiments.stats import mean_ci, spread
from netmob.sim.errors import InputError

# THRESHOLDS (GBP per QALY) and DISCOUNT (a year): NICE's reference case, defined once in
# netmob.experiments.reference_case.
CURVE = np.arange(0, 50_001, 1_000)  # thresholds the acceptability curve is drawn over
DISCOUNTED = {"qalys": "qalys_disc", "net_cost": "net_cost_disc"}  # contrast outcomes


def check_discount(rate: float) -> None:
    """Stop with a clear message unless the discount rate is a share a year from 0 to 0.15."""
    if not np.isfinite(rate) or not 0 <= rate <= 0.15:
        raise InputError(
            "the discount rate is a share a year",
            field="--discount",
            value=rate,
            allowed="0 to 0.15 (NICE's reference case is 0.035; 0 for none)",
        )


def discount_factors(weeks: np.ndarray, rate: float) -> np.ndarray:
    """The weight of what happens in week ``t`` (1, 2, ...): ``(1 + rate) ** -year`` with
    weeks 1-52 year 0 (the first year undiscounted, as in NICE's reference case).

    Examples:
        >>> discount_factors(np.array([1, 52, 53, 105]), 0.035).round(4)
        array([1.    , 1.    , 0.9662, 0.9335])
    """
    return (1.0 + rate) ** -((np.asarray(weeks) - 1) // 52)


def discounted_totals(weekly: pd.DataFrame, n_people: int, rate: float) -> dict[str, float]:
    """Discounted QALYs and net cost (programme plus health services) per target person
    over one run, from its weekly series (each a running total since week 1)."""
    w = weekly.sort_values("week")
    f = discount_factors(w["week"].to_numpy(), rate)

    def discounted(col: str) -> float:
        cum = w[col].to_numpy(float) if col in w else np.zeros(len(w))
        return float((np.diff(cum, prepend=0.0) * f).sum())

    programme = discounted("intervention_cost") / n_people
    return {
        "qalys_disc": discounted("qalys_mean"),
        "net_cost_disc": programme + discounted("service_cost_mean"),
    }


def check_thresholds(thresholds: Sequence[float]) -> None:
    """Stop with a clear message unless every willingness to pay is a finite amount >= 0."""
    if not len(thresholds) or any(not np.isfinite(k) or k < 0 for k in thresholds):
        raise InputError(
            "willingness to pay per QALY must be a non-negative amount",
            field="--threshold",
            value=list(thresholds),
            allowed="one or more amounts in GBP per QALY, 0 or more (e.g. 20000)",
        )


def increments(contrasts: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Per replicate: QALYs gained ``dq`` and extra net cost ``dc`` per target person,
    discounted when the contrasts hold the discounted outcomes (``DISCOUNTED``)."""
    pop = contrasts[(contrasts["scenario"] == scenario) & (contrasts["group"] == "population")]
    wide = pop.assign(diff=pop["level"] - pop["reference"]).pivot(
        index="replicate", columns="outcome", values="diff"
    )
    q, c = (DISCOUNTED[k] if DISCOUNTED[k] in wide else k for k in ("qalys", "net_cost"))
    return pd.DataFrame({"dq": wide[q], "dc": wide[c]}).sort_index()


def net_benefits(inc: pd.DataFrame, threshold: float) -> pd.Series:
    """Net monetary benefit per person of each replicate at ``threshold`` GBP/QALY."""
    return threshold * inc["dq"] - inc["dc"]


def net_benefit(inc: pd.DataFrame, threshold: float) -> dict[str, float]:
    """Net monetary benefit per person at ``threshold`` GBP/QALY: mean with a 95% t
    interval over replicates (the Monte Carlo interval of the mean), the share of
    replicates in which it is positive, and its spread across replicates (2.5th to 97.5th
    percentile: across the parameter draws, when each replicate draws its own)."""
    nmb = net_benefits(inc, threshold).to_numpy()
    r = mean_ci(nmb)
    drawn = spread(nmb)
    return {
        "threshold": float(threshold),
        "nmb_mean": r["mean"],
        "nmb_low": r["lo"],
        "nmb_high": r["hi"],
        "prob_cost_effective": float((nmb > 0).mean()) if len(nmb) else float("nan"),
        "draws_low": drawn["lo"],
        "draws_high": drawn["hi"],
    }


def cost_per_qaly(inc: pd.DataFrame, draws: int = 2000) -> dict[str, float]:
    """Incremental net cost per QALY gained, with a bootstrap interval over replicates
    (fixed bootstrap seed 0). NaN when QALYs gained are not positive on average (a ratio
    is then not meaningful: read the net benefit instead)."""
    dq, dc = inc["dq"].to_numpy(), inc["dc"].to_numpy()
    nan = {"mean_diff": float("nan"), "ci_low": float("nan"), "ci_high": float("nan")}
    nan |= {"draws_low": float("nan"), "draws_high": float("nan")}
    if len(dq) == 0 or dq.mean() <= 0:
        return nan
    idx = np.random.default_rng(0).integers(0, len(dq), (draws, len(dq)))
    num, den = dc[idx].mean(axis=1), dq[idx].mean(axis=1)
    ratios = np.where(den > 0, num / np.where(den > 0, den, 1), np.inf)
    lo, hi = np.percentile(ratios, [2.5, 97.5])
    # across draws: each replicate's own ratio, when every replicate gains QALYs (a ratio
    # over a loss or no gain has no meaning: read the net benefit's spread then)
    drawn = spread(dc / dq) if (dq > 0).all() else {"lo": float("nan"), "hi": float("nan")}
    return {
        "mean_diff": float(dc.mean() / dq.mean()),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "draws_low": drawn["lo"],
        "draws_high": drawn["hi"],
    }


def acceptability(
    contrasts: pd.DataFrame,
    scenarios: Sequence[str],
    thresholds: Sequence[float] | np.ndarray = CURVE,
) -> pd.DataFrame:
    """The acceptability curve: for each scenario (not the reference) and threshold, the
    net benefit with its interval, the chance it is cost-effective against the reference,
    and the chance it is the best option of all (the reference counts as zero)."""
    ref, others = scenarios[0], list(scenarios[1:])
    inc = {sc: increments(contrasts, sc) for sc in others}
    rows = []
    for k in thresholds:
        nmb = pd.DataFrame({sc: net_benefits(i, k) for sc, i in inc.items()})
        nmb[ref] = 0.0
        best = nmb.idxmax(axis=1)
        for sc in others:
            rows.append(
                {
                    "scenario": sc,
                    **net_benefit(inc[sc], k),
                    "prob_best": float((best == sc).mean()),
                }
            )
    return pd.DataFrame(rows)


def effect_rows(contrasts: pd.DataFrame, scenario: str, thresholds: Sequence[float]) -> list[dict]:
    """Rows for effects.csv: ``cost_per_qaly`` and ``net_benefit_<k>`` at each threshold."""
    inc = increments(contrasts, scenario)
    rows = [{"outcome": "cost_per_qaly", **cost_per_qaly(inc)}]
    for k in thresholds:
        nb = net_benefit(inc, k)
        rows.append(
            {
                "outcome": f"net_benefit_{int(k)}",
                "mean_diff": nb["nmb_mean"],
                "ci_low": nb["nmb_low"],
                "ci_high": nb["nmb_high"],
                "draws_low": nb["draws_low"],
                "draws_high": nb["draws_high"],
            }
        )
    return [{"scenario": scenario, "group": "population", **r} for r in rows]
