"""Value for money: net benefit, cost per QALY and the acceptability curve, on hand-made
paired increments whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmob.experiments.economics import (
    acceptability,
    cost_per_qaly,
    effect_rows,
    increments,
    net_benefit,
)


def contrasts(increments_by_scenario: dict[str, list[tuple[float, float]]]) -> pd.DataFrame:
    """Population contrasts with the given (QALYs gained, extra cost) per replicate."""
    rows = []
    for sc, incs in increments_by_scenario.items():
        for r, (dq, dc) in enumerate(incs):
            for outcome, diff in (("qalys", dq), ("net_cost", dc)):
                ref = 1.0 if outcome == "qalys" else 500.0  # levels differ; only diffs count
                rows.append(
                    {
                        "replicate": r,
                        "scenario": sc,
                        "group": "population",
                        "outcome": outcome,
                        "level": ref + diff,
                        "reference": ref,
                    }
                )
            # another group's rows must be ignored
            rows.append(
                {
                    "replicate": r,
                    "scenario": sc,
                    "group": "referred",
                    "outcome": "qalys",
                    "level": 99.0,
                    "reference": 0.0,
                }
            )
    return pd.DataFrame(rows)


CASE = {
    "cheap": [(0.010, 100.0), (0.012, 150.0), (0.008, 50.0), (0.010, 100.0)],
    "dear": [(0.020, 900.0), (0.030, 700.0), (0.020, 800.0), (0.020, 650.0)],
}


def test_increments_are_paired_differences_of_the_population():
    inc = increments(contrasts(CASE), "cheap")
    assert list(inc.index) == [0, 1, 2, 3]
    np.testing.assert_allclose(inc["dq"], [0.010, 0.012, 0.008, 0.010])
    np.testing.assert_allclose(inc["dc"], [100, 150, 50, 100])


def test_net_benefit_by_hand():
    inc = increments(contrasts(CASE), "dear")
    nb = net_benefit(inc, 30_000)
    by_hand = np.array([30_000 * q - c for q, c in CASE["dear"]])  # -300, 200, -200, -50
    assert nb["nmb_mean"] == pytest.approx(by_hand.mean())
    assert nb["prob_cost_effective"] == 0.25  # only +200 is positive
    assert nb["nmb_low"] < nb["nmb_mean"] < nb["nmb_high"]


def test_cost_per_qaly_is_mean_cost_over_mean_qalys():
    inc = increments(contrasts(CASE), "cheap")
    r = cost_per_qaly(inc)
    assert r["mean_diff"] == pytest.approx(400 / 0.040)
    assert r["ci_low"] <= r["mean_diff"] <= r["ci_high"]
    losing = increments(contrasts({"s": [(-0.01, 10.0), (0.005, 10.0)]}), "s")
    assert np.isnan(cost_per_qaly(losing)["mean_diff"])


def test_acceptability_curve():
    v = acceptability(contrasts(CASE), ["baseline", "cheap", "dear"], [0, 10_000, 50_000, 100_000])
    cheap = v[v.scenario == "cheap"].set_index("threshold")
    dear = v[v.scenario == "dear"].set_index("threshold")
    # at zero willingness to pay nothing that costs money is worth it, and the
    # reference is the best option in every replicate
    assert cheap.loc[0, "prob_cost_effective"] == 0 and dear.loc[0, "prob_best"] == 0
    assert cheap.loc[0, "prob_best"] == 0
    # cheap's ICER is 10,000/QALY on average: worth it in every replicate by 50,000
    assert cheap.loc[50_000, "prob_cost_effective"] == 1
    # at 100,000 the dear option's extra QALYs win in every replicate
    assert dear.loc[100_000, "prob_best"] == 1 and cheap.loc[100_000, "prob_best"] == 0
    total = v.groupby("threshold")["prob_best"].sum()
    assert (total <= 1 + 1e-12).all()


def test_effect_rows_for_effects_csv():
    rows = pd.DataFrame(effect_rows(contrasts(CASE), "cheap", (20_000, 30_000)))
    assert list(rows.outcome) == ["cost_per_qaly", "net_benefit_20000", "net_benefit_30000"]
    assert set(rows.group) == {"population"}
    nb20 = rows.set_index("outcome").loc["net_benefit_20000", "mean_diff"]
    assert nb20 == pytest.approx(20_000 * 0.010 - 100)


def test_headline_calls_a_saving_with_qalys_gained_dominant():
    from netmob.analysis.compare import _icer_cell

    e = pd.DataFrame(
        [
            ("saves", "cost_per_qaly", "population", -500.0, -900.0, -100.0),
            ("costs", "cost_per_qaly", "population", 12_000.0, 9_000.0, 15_000.0),
        ],
        columns=["scenario", "outcome", "group", "mean_diff", "ci_low", "ci_high"],
    )
    assert _icer_cell(e, "saves").startswith("dominant")
    assert _icer_cell(e, "costs") == "+12000 (+9000 to +15000)"


def test_discounting_by_hand():
    """One QALY and GBP 10 of services a week, GBP 2,000 of programme a week for 100
    people, over 104 weeks: year 1 counts in full, year 2 at 1 / (1 + rate)."""
    from netmob.experiments.economics import discounted_totals

    weeks = np.arange(1, 105)
    weekly = pd.DataFrame(
        {
            "week": weeks[::-1],  # any order
            "qalys_mean": weeks[::-1] * 1.0,
            "service_cost_mean": weeks[::-1] * 10.0,
            "intervention_cost": weeks[::-1] * 2000.0,
        }
    )
    d = discounted_totals(weekly, n_people=100, rate=0.035)
    assert d["qalys_disc"] == pytest.approx(52 + 52 / 1.035)
    assert d["net_cost_disc"] == pytest.approx((20 + 10) * (52 + 52 / 1.035))
    flat = discounted_totals(weekly, n_people=100, rate=0.0)
    assert flat == pytest.approx({"qalys_disc": 104.0, "net_cost_disc": 30 * 104.0})
    # no programme: no intervention_cost column, nothing spent on it
    none = discounted_totals(weekly.drop(columns="intervention_cost"), 100, 0.035)
    assert none["net_cost_disc"] == pytest.approx(10 * (52 + 52 / 1.035))


def test_increments_use_the_discounted_outcomes_when_there():
    c = contrasts(CASE)
    disc = c[c.group == "population"].assign(
        outcome=lambda d: d.outcome + "_disc", level=lambda d: d.reference + 1.0
    )
    inc = increments(pd.concat([c, disc]), "cheap")
    assert (inc["dq"] == 1.0).all() and (inc["dc"] == 1.0).all()


@pytest.mark.parametrize("rate", [-0.01, 0.2, float("nan")])
def test_a_bad_discount_rate_is_refused(rate):
    from netmob.experiments.economics import check_discount
    from netmob.sim.errors import InputError

    with pytest.raises(InputError, match="discount rate") as info:
        check_discount(rate)
    assert info.value.field == "--discount" and "0.035" in info.value.allowed
