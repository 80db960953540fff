"""Answers show the spread across draws beside the Monte Carlo interval of the mean:
effects.csv and value.csv carry draws_low and draws_high, worked out here by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.compare import _cell, interval_table
from netmob.experiments.economics import cost_per_qaly, net_benefit


def contrasts(diffs) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": "genie",
            "outcome": "swemwbs",
            "group": "referred",
            "replicate": range(len(diffs)),
            "level": np.asarray(diffs, float) + 10.0,
            "reference": 10.0,
        }
    )


def test_draws_are_the_spread_of_the_effect_not_of_its_mean():
    """101 replicates whose paired effects are 0, 1, ..., 100: the mean is 50 and its
    95% interval is narrow (+-5.8), while the effects themselves run from 2.5 to 97.5."""
    row = interval_table(contrasts(range(101))).iloc[0]
    assert row.mean_diff == pytest.approx(50)
    assert (row.draws_low, row.draws_high) == pytest.approx((2.5, 97.5))
    assert row.ci_high - row.ci_low == pytest.approx(
        2 * 1.984 * np.std(range(101), ddof=1) / np.sqrt(101), rel=1e-3
    )
    more = interval_table(contrasts(list(range(101)) * 4)).iloc[0]  # more replicates:
    assert more.ci_high - more.ci_low < (row.ci_high - row.ci_low) / 1.9  # the mean's narrows
    assert (more.draws_low, more.draws_high) == pytest.approx((2.5, 97.5), abs=0.5)  # stays


def test_net_benefit_and_cost_per_qaly_across_draws():
    """Five draws: QALYs 0.01 each, net costs 100, 150, 200, 250, 300. At GBP 20,000 the
    net benefits are 100, 50, 0, -50, -100: spread 95 to -95 at the 2.5th/97.5th."""
    inc = pd.DataFrame({"dq": [0.01] * 5, "dc": [100.0, 150, 200, 250, 300]})
    nb = net_benefit(inc, 20_000)
    assert (nb["draws_low"], nb["draws_high"]) == pytest.approx((-95.0, 95.0))
    assert nb["prob_cost_effective"] == pytest.approx(0.4)  # the chances are unchanged
    icer = cost_per_qaly(inc)
    assert (icer["draws_low"], icer["draws_high"]) == pytest.approx((10_500.0, 29_500.0))
    lost = inc.assign(dq=[0.01, 0.01, -0.001, 0.01, 0.01])  # a draw without a QALY gain:
    assert np.isnan(cost_per_qaly(lost)["draws_low"])  # no ratio has meaning across draws


def test_the_headline_shows_the_spread_only_when_parameters_were_drawn():
    effects = interval_table(contrasts(range(101)))
    fixed = _cell(effects, "genie", "swemwbs", "referred")
    drawn = _cell(effects, "genie", "swemwbs", "referred", drawn=True)
    assert "across draws" not in fixed
    assert drawn.endswith("; across draws +2.50 to +97.50)")
