"""The workforce: sized from referrals (P1), from the population, or fixed; waiting lists.

Scale: per-person figures of GENIE at 500 and at 4,000 target people agree within 15%
(seeds 1-2 pooled), because the workforce grows with the referrals it must see.
"""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim.params import Params
from netmob.sim.programmes.workforce import places, workers_fte
from netmob.sim.run import simulate
from tests.conftest import small


def programme(**over):
    return Params.from_overrides({"programme.preset": "genie", **over}).programme


def test_referral_sizing_follows_p1():
    pr = programme()
    fte = workers_fte(2000, 2000, pr, 104)
    expected = 2000 * (1 - np.exp(-pr.refer_rate * 2)) / (pr.clients_per_year * 2)
    assert fte.sum() == pytest.approx(expected)
    assert len(fte) == int(np.ceil(expected)) and np.allclose(fte, fte[0])
    assert workers_fte(0, 2000, pr, 104).size == 0  # nobody eligible: nobody hired
    half = workers_fte(250, 500, pr, 104)
    assert len(half) == 1 and half[0] < 1  # part time, not a whole worker
    assert places(half, pr)[0] == round(pr.caseload * half[0])


def test_population_and_fixed_sizing():
    pop = programme(**{"programme.workforce": "population", "programme.workers_per_10000": 4})
    assert workers_fte(123, 25_000, pop, 52).sum() == pytest.approx(10.0)
    fixed = programme(**{"programme.workers": 3})
    assert fixed.workforce == "fixed"  # a headcount given means fixed
    assert workers_fte(5000, 5000, fixed, 52).tolist() == [1.0, 1.0, 1.0]
    doubled = programme(**{"programme.workforce_scale": 2.0})
    assert workers_fte(2000, 2000, doubled, 52).sum() == pytest.approx(
        2 * workers_fte(2000, 2000, programme(), 52).sum()
    )


def test_a_trial_arm_gets_the_workforce_that_sees_everyone_at_p1s_cost():
    """Everyone referred at once and followed 26 weeks: F = n / (225 x 0.5)."""
    pr = programme(**{"programme.refer_rate": 52.0})
    assert workers_fte(2000, 2000, pr, 26).sum() == pytest.approx(2000 / (225 * 0.5), rel=1e-6)


def test_a_headcount_on_a_scenario_means_fixed():
    p = Params.from_overrides({"programme.preset": "genie"}).with_overrides(
        {"programme.workers": 4}
    )
    assert p.programme.workforce == "fixed" and p.programme.workers == 4
    q = p.with_overrides({"programme.workforce": "referrals", "programme.workers": 9})
    assert q.programme.workforce == "referrals"  # said explicitly: kept


def _per_person(n: int) -> dict[str, float]:
    rows = []
    for seed in (1, 2):
        p = small(n=n, weeks=52, burn_in=10, **{"programme.preset": "genie"})
        s = simulate(p, seed=seed).summary
        rows.append(
            {
                "reached_share": s["people_reached"] / s["people_referred"],
                "contacts_mean": s["contacts_mean"],
                "cost_per_referred": s["cost_per_referred"],
                "engaged_3plus_share": s["engaged_3plus_share"],
            }
        )
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


@pytest.mark.slow
def test_per_person_figures_do_not_depend_on_population_size():
    """GENIE at 500 and 4,000 people, within 15% (two seeds each)."""
    a, b = _per_person(500), _per_person(4000)
    for k in a:
        assert abs(a[k] - b[k]) <= 0.15 * abs(b[k]), (k, a[k], b[k])


def test_fixed_headcount_does_depend_on_population_size():
    """The negative control: two fixed workers serve 500 people better than 4,000."""
    over = {"programme.preset": "genie", "programme.workers": 1}
    few = simulate(small(n=300, weeks=30, burn_in=4, **over), seed=1).summary
    many = simulate(small(n=3000, weeks=30, burn_in=4, **over), seed=1).summary
    assert few["people_reached"] / few["people_referred"] > (
        many["people_reached"] / many["people_referred"] + 0.2
    )


def test_waiting_list_attrition():
    """With one place for many referrals, people give up waiting; with no attrition nobody does,
    and nobody who gave up is ever seen."""
    over = {
        "programme.preset": "genie",
        "programme.workers": 1,
        "programme.caseload": 2,
        "programme.refer_rate": 2.0,
    }
    left = simulate(small(n=400, weeks=30, burn_in=4, **over, **{"programme.wait_leave": 0.1}), 3)
    stay = simulate(small(n=400, weeks=30, burn_in=4, **over, **{"programme.wait_leave": 0.0}), 3)
    people = left.people
    assert left.summary["waiting_left_share"] > 0.3
    assert (people.loc[people.left_waiting_list, "contacts"] == 0).all()
    assert stay.summary["waiting_left_share"] == 0.0
    assert stay.weekly["clients_waiting"].iloc[-1] > left.weekly["clients_waiting"].iloc[-1]
