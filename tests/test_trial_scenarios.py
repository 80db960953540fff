"""Trial-population scenarios (TR1-TR4 in docs/EVIDENCE.md): each evaluation's population,
dose and follow-up, as an arm and its control that differ only in the programme."""

from __future__ import annotations

import pytest

from netmob.experiments.compare import compare_spec
from netmob.sim.errors import InputError
from netmob.sim.run import simulate
from netmob.sim.scenario import load_scenario

TRIALS = {  # arm: (control, follow-up weeks, preset)
    "trial_bright_plans": ("trial_bright", 26, "plans"),  # TR1
    "trial_connecting_people_delivered": ("trial_connecting_people", 39, "connecting_people"),
    "trial_pals_genie": ("trial_pals", 26, "genie"),  # TR3
    "trial_deep_end_link_workers": ("trial_deep_end", 39, "genie"),  # TR4
}


@pytest.mark.parametrize("arm", TRIALS)
def test_arm_and_control_share_population_and_follow_up(arm):
    control, weeks, preset = TRIALS[arm]
    a, c = load_scenario(arm).params, load_scenario(control).params
    assert a.run.weeks == c.run.weeks == weeks
    assert a.population == c.population  # the same people: only the programme differs
    assert a.programme.preset == preset and c.programme.preset == "none"
    assert a.programme.refer_rate >= 52  # a trial arm: everyone offered it at the start


def test_trial_populations_are_the_trials():
    bright = load_scenario("trial_bright").params.population
    assert (bright.age_mean, bright.male, bright.no_qualifications) == (72.1, 0.415, 0.443)  # N8
    assert load_scenario("trial_connecting_people").params.population.smi == 1.0  # TR2
    assert load_scenario("trial_pals_genie").params.programme.eligible == "lonely"  # TR3
    deep = load_scenario("trial_deep_end").params.population.deprivation
    assert deep > load_scenario("baseline").params.population.deprivation  # TR4
    link = load_scenario("trial_deep_end_link_workers").params.programme
    assert link.mapping == 0.0 and 6 <= link.contacts <= 12  # P1


@pytest.mark.parametrize("arm", ["trial_bright_plans", "trial_pals_genie"])
def test_everyone_eligible_is_referred_at_the_start_and_seen(arm):
    p = load_scenario(arm).params.with_overrides({"population.n_people": 300, "run.burn_in": 4})
    r = simulate(p, seed=2)
    people = r.people
    referred = people[people.referred]
    assert (referred.referred_week <= 4).mean() >= 0.95
    if arm == "trial_pals_genie":
        assert 0 < len(referred) < len(people)  # only the lonely
    else:
        assert len(referred) >= 0.95 * len(people)  # 1 - exp(-4) in four weeks at 52 a year
    # recruited in the first weeks only; the workforce gives every one of them a place
    assert people.referred_week.max() <= 4
    assert r.weekly["clients_waiting"].iloc[-1] == 0 and not people.left_waiting_list.any()
    assert (referred.contacts > 0).mean() >= 0.7  # some miss the first call and drop out


def test_compare_takes_the_scenarios_horizon_and_refuses_mixed_ones():
    spec = compare_spec(
        ["trial_bright", "trial_bright_plans"], people=50, weeks=None, replicates=2, seed=1
    )
    assert spec.weeks == 26 and all(p.run.weeks == 26 for p in spec.params.values())
    with pytest.raises(InputError, match="--weeks"):
        compare_spec(
            ["trial_bright", "trial_deep_end"], people=50, weeks=None, replicates=2, seed=1
        )
    spec = compare_spec(
        ["trial_bright", "trial_deep_end"], people=50, weeks=8, replicates=2, seed=1
    )
    assert spec.weeks == 8
