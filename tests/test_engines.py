"""The vectorised and reference engines give the same outcome distributions.

Same community (same seed), independent draws: for each outcome, the mean over 4 seeds of
each engine must agree within 4 standard errors of the difference plus 2% of the mean
(a stated tolerance, fixed seeds 0-3).
"""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim.run import simulate
from tests.conftest import small

OUTCOMES = [
    "network_size_mean",
    "weekly_contacts_mean",
    "swemwbs_mean",
    "ucla_mean",
    "eq5d_mean",
    "support_received_mean",
    "density_mean",
    "outer_turnover_per_year",
    "lonely_share",
    "qalys_mean",
]


@pytest.fixture(scope="module")
def both_engines():
    p = small(n=250, weeks=40, burn_in=10)
    return {
        e: [simulate(p, s, engine=e).summary for s in range(4)] for e in ("vector", "reference")
    }


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_engines_agree(both_engines, outcome):
    v = np.array([s[outcome] for s in both_engines["vector"]])
    r = np.array([s[outcome] for s in both_engines["reference"]])
    se = np.sqrt(v.var(ddof=1) / len(v) + r.var(ddof=1) / len(r))
    assert abs(v.mean() - r.mean()) <= 4 * se + 0.02 * abs(v.mean()), (v, r)


def test_engines_share_the_community(both_engines):
    v, r = both_engines["vector"][0], both_engines["reference"][0]
    assert v["n_people_total"] == r["n_people_total"]
    assert v["living_alone_share"] == r["living_alone_share"]


def test_agreement_check_detects_a_different_rule():
    """Negative control: the same check fails when one engine runs different parameters."""
    a = [
        simulate(small(n=250, weeks=40, burn_in=10), s).summary["network_size_mean"]
        for s in range(4)
    ]
    b = [
        simulate(small(n=250, weeks=40, burn_in=10, **{"ties.loss_outer": 0.3}), s).summary[
            "network_size_mean"
        ]
        for s in range(4)
    ]
    a, b = np.array(a), np.array(b)
    se = np.sqrt(a.var(ddof=1) / 4 + b.var(ddof=1) / 4)
    assert abs(a.mean() - b.mean()) > 4 * se + 0.02 * abs(a.mean())
