"""Targets measured as their studies measured them (experiments/calibration/studies.py),
each against the easier reading it replaces: on made-up runs whose answer is known by
hand, the new statistic gives it and the old one does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmob.experiments.calibration.spec import load_calibration
from netmob.experiments.calibration.statistics import Run, fidelity_contrast, uptake_gain
from netmob.experiments.calibration.studies import (
    COHORT_FOLLOW_UP,
    STATISTICS,
    cohort_gain,
    fidelity_observed,
    fidelity_rise,
    illness_member_counts,
    start_rows,
)


def cohort(weeks: int = 104) -> tuple[Run, Run]:
    """Four people. A starts at week 2 and B at week 21 in the arm, each then gaining
    0.001 QALYs a week more than without the programme; C never starts; D was already
    attending at week 1. In the control nobody starts but D."""
    n = 4
    attend_arm = np.zeros((weeks, n))
    attend_arm[1:, 0] = 1  # A: first attends in row 1 (week 2)
    attend_arm[20:, 1] = 1  # B: row 20 (week 21)
    attend_arm[:, 3] = 1  # D: attending from week 1: not a starter
    attend_ctl = np.zeros((weeks, n))
    attend_ctl[:, 3] = 1
    base = np.cumsum(np.full((weeks, n), 0.014), axis=0)  # 0.014 QALYs a week each
    extra = np.zeros((weeks, n))
    for person, row in ((0, 1), (1, 20)):
        extra[row:, person] = 0.001 * np.arange(1, weeks - row + 1)
    people = pd.DataFrame(
        {
            "person_id": range(n),
            "resources_taken_up_nudge": [1, 1, 0, 0],
            "resources_taken_up_mobilisation": [0, 0, 0, 0],
            "qalys": (base + extra)[-1],
        }
    )
    arm = Run(people=people, summary={}, panel={"attending": attend_arm, "qalys": base + extra})
    ctl = Run(
        people=people.assign(qalys=base[-1]),
        summary={},
        panel={"attending": attend_ctl, "qalys": base},
    )
    return arm, ctl


def test_starters_are_those_who_begin_attending_during_the_run():
    arm, _ = cohort()
    assert start_rows(arm.panel["attending"]).tolist() == [1, 20, -1, -1]


@pytest.mark.parametrize("week", [26, 52, 78])
def test_e6_is_read_from_each_persons_own_start(week):
    """A and B each gain 0.001 QALYs a week after their own start: over ``week`` weeks
    from it, 0.001 x week (A's row 1 to 1 + week; B's 20 to 20 + week). The old reading,
    at week ``week`` of the run for everyone who took up a resource, counts B's weeks
    before they started and so reports less."""
    arm, ctl = cohort()
    expected = 0.001 * week
    assert cohort_gain(arm, ctl, "qalys", week) == pytest.approx(expected, rel=1e-9)
    old = uptake_gain(arm, ctl, "qalys", week)
    assert old < expected - 0.0005  # the old definition fails: B had not started by then


def test_e6_counts_only_starters_followed_for_eighteen_months():
    """In a 90-week run B (start week 21) cannot be followed 78 weeks: only A counts."""
    arm, ctl = cohort(weeks=90)
    assert COHORT_FOLLOW_UP == 78
    assert cohort_gain(arm, ctl, "qalys", 26) == pytest.approx(0.026, rel=1e-9)
    short = cohort(weeks=60)
    assert np.isnan(cohort_gain(*short, "qalys", 26))  # nobody can be followed that long


def test_e6_leaves_out_a_twin_who_started_without_the_programme():
    """B's twin starts in the control before B's 26-week read ends: not a non-starter,
    so only A is compared."""
    arm, ctl = cohort()
    ctl.panel["attending"][30:, 1] = 1
    assert cohort_gain(arm, ctl, "qalys", 26) == pytest.approx(0.026, rel=1e-9)


def fidelity_arm() -> tuple[Run, Run]:
    """Six clients seen; three with high fidelity. High-fidelity clients cost 1,000 less
    in the arm, but they also cost 800 less without the programme (who gets high
    fidelity is not random): the observed contrast is -1,000, the paired one -200.
    SWEMWBS rises by 2 among high- and by 0.5 among low-fidelity clients."""
    people = pd.DataFrame(
        {
            "person_id": range(6),
            "referred": [True] * 6,
            "contacts": [4] * 6,
            "high_fidelity": [True, True, True, False, False, False],
            "service_cost": [1000.0, 1000, 1000, 2000, 2000, 2000],
            "swemwbs": [22.0, 22, 22, 20.5, 20.5, 20.5],
            "swemwbs_start": [20.0, 20, 20, 20, 20, 20],
        }
    )
    control = people.assign(service_cost=[1200.0, 1200, 1200, 2000, 2000, 2000])
    return Run(people=people, summary={}), Run(people=control, summary={})


def test_e2_is_the_observed_contrast_within_the_arm():
    arm, ctl = fidelity_arm()
    assert fidelity_observed(arm, None, "service_cost", None) == pytest.approx(-1000)
    # the old, paired causal contrast answers another question
    assert fidelity_contrast(arm, ctl, "service_cost", None) == pytest.approx(-200)
    assert not STATISTICS["fidelity_observed"].paired


def test_e2_wellbeing_rose_in_both_groups_is_a_direction():
    arm, _ = fidelity_arm()
    assert fidelity_rise(arm, None, "swemwbs", None) == pytest.approx(0.5)
    fell = Run(people=arm.people.assign(swemwbs=[22.0, 22, 22, 19, 19, 19]), summary={})
    assert fidelity_rise(fell, None, "swemwbs", None) == pytest.approx(-1.0)


def test_n1_counts_members_who_carry_illness_work():
    """N1 counts members contributing to illness management: a negative tie ('bad'
    social capital) carries none, so turning ties negative lowers N1 and not the
    network's size (the old reading)."""
    from netmob.sim import measures
    from netmob.sim.model import NetworkModel
    from netmob.sim.params import Params

    model = NetworkModel(
        Params.from_overrides({"population.n_people": 60, "run.weeks": 2, "run.burn_in": 1}),
        seed=3,
    ).run()
    size = measures.network_frame(model)["size"]
    before = illness_member_counts(model)
    assert (before <= size).all() and before.sum() > 0
    t = model.ties
    live = np.flatnonzero(t.active & ~t.dormant & (t.ego < model.n_target))
    t.negative[live[::3]] = True
    after = illness_member_counts(model)
    assert (after <= before).all() and after.sum() < before.sum()
    assert (measures.network_frame(model)["size"] == size).all()  # the old reading moves not


def test_the_default_spec_reads_the_record_as_published():
    spec = load_calibration("default")
    by_id = {t.id: t for t in spec.targets}
    assert "P4" not in by_id  # no loss to follow-up in the model: dropped, with the reason
    assert by_id["E4"].published == 0.35 and by_id["E4"].scenario.startswith(
        "trial_connecting_people"
    )  # Connecting People is personalised: TR5's personalised figure
    assert by_id["S2"].held_out and "S2" not in [t.id for t in spec.fitted()]
    assert by_id["N1"].statistic == "illness_members"
    assert by_id["E2"].statistic == "fidelity_observed" and by_id["E2"].control is None
    assert by_id["E2.wellbeing"].band and by_id["E2.wellbeing"].low == 0
    assert {by_id[f"E6.{k}"].statistic for k in ("6m", "12m", "18m", "cost")} == {"cohort_gain"}
