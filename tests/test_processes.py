"""Unit tests of each weekly process, and directional tests of the core dynamics."""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim import rules
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params
from netmob.sim.processes.attendance import ResourceAttendance, group_rank
from netmob.sim.processes.health import HealthProgression
from netmob.sim.processes.support import SupportFlow
from netmob.sim.run import simulate
from netmob.sim.state import KIND
from tests.conftest import small


def fresh(n=400, seed=2, **extra):
    return NetworkModel(small(n=n, weeks=10, burn_in=0, **extra), seed=seed)


# ---- rules ----------------------------------------------------------------------------
def test_weekly_probability_from_yearly_rate():
    assert rules.weekly(0.0) == 0.0
    assert rules.weekly(52.0) == pytest.approx(1 - np.exp(-1))


def test_loss_by_circle_and_over_capacity():
    t = Params().ties
    inner, outer = rules.loss_prob(np.array([1, 3]), 8, 16, t)
    assert inner < outer
    assert rules.loss_prob(3, 20, 10, t) > rules.loss_prob(3, 8, 10, t)


def test_formation_gate_closes_at_capacity():
    assert rules.formation_gate(0, 10) == 1.0
    assert rules.formation_gate(10, 10) == 0.0 and rules.formation_gate(15, 10) == 0.0


def test_group_rank_ranks_within_groups():
    ranks = group_rank(np.array([2, 1, 2, 1, 2]), np.array([0.9, 0.5, 0.1, 0.2, 0.5]))
    assert ranks.tolist() == [2, 1, 0, 0, 1]


# ---- processes --------------------------------------------------------------------------
def test_health_exacerbations_raise_burden_and_need():
    """One week of health from a state set by hand, its expectation worked out by hand from
    the parameters' meanings (no drift; acute burden halves each week; an exacerbation adds
    0.2; need is 2 hours plus 10 per unit of burden): everyone starts at chronic 0.3 and
    acute 0.1; after the week, someone without an exacerbation has burden 0.3 + 0.05 = 0.35
    and needs 2 + 3.5 = 5.5 hours, someone with one 0.3 + 0.05 + 0.2 = 0.55 and 7.5 hours.
    People with no condition never have one, and many with conditions do (5 a
    condition-year). Fails if burden, exacerbations or need are not updated as their
    parameters say; the model before its week (the negative control) does not match."""
    over = {
        "health.drift": 0.0,
        "health.recovery": 0.5,
        "health.exacerbation_rate": 5.0,
        "health.exacerbation_jump": 0.2,
        "health.need_base": 2.0,
        "health.need_per_burden": 10.0,
    }
    m = fresh(**over)
    n, pp = m.n_target, m.people
    pp.burden_chronic[:n], pp.burden_acute[:n] = 0.3, 0.1

    def as_worked_out(ex: np.ndarray) -> bool:
        burden = np.where(ex, 0.55, 0.35)
        need = np.where(ex, 7.5, 5.5)
        return np.allclose(pp.burden[:n], burden) and np.allclose(pp.need[:n], need)

    assert not as_worked_out(np.zeros(n, bool))  # before the week: the check has teeth
    m.week += 1
    HealthProgression().step(m)
    ex = pp.exacerbation[:n]
    assert as_worked_out(ex)
    conditions = pp.n_conditions[:n]
    assert not ex[conditions == 0].any() and not ex.all()
    assert ex[conditions >= 1].mean() > 0.05  # weekly chance 1 - exp(-5/52) = 0.09 or more


def test_support_never_exceeds_need_or_capacity():
    m = fresh()
    m.week += 1
    SupportFlow().step(m)
    t = m.ties
    assert (t.given <= t.cap * t.value_subj + 1e-5).all()
    n = m.n_target
    assert (m.people.support_received[:n] <= m.people.need[:n] + 1e-5).all()


def test_no_partner_means_more_support_from_others():
    """Remove every partner tie: the same need falls on the others (directional)."""
    with_partner = fresh(seed=4)
    without = fresh(seed=4)
    partners = np.flatnonzero(without.ties.kind == KIND["partner"])
    without.end_ties(partners)
    for m in (with_partner, without):
        m.week += 1
        SupportFlow().step(m)
    had = np.zeros(with_partner.n_target, bool)
    had[with_partner.ties.ego[partners]] = True
    others_with = with_partner.people.support_others[: with_partner.n_target][had]
    others_without = without.people.support_others[: without.n_target][had]
    assert others_without.mean() > 1.2 * others_with.mean()
    assert (others_without >= others_with - 1e-5).all()


def test_attendance_respects_places():
    m = fresh(**{"attendance.capacity": 2.0, "attendance.resources_per_1000": 5.0})
    m.week += 1
    ResourceAttendance().step(m)
    per = np.bincount(m.attendance.resource[m.attendance.attended], minlength=len(m.resources))
    assert (per <= np.floor(m.resources.places)).all()
    assert (per == np.floor(m.resources.places)).any()  # some resources are full


def test_higher_barriers_less_attendance():
    """Directional, paired seeds: higher access barriers, less attendance (3 seeds each)."""

    def attending(scale):
        p = small(n=600, weeks=26, burn_in=0, **{"attendance.barrier_scale": scale})
        return np.mean([simulate(p, s).weekly["attending_share"].mean() for s in range(3)])

    assert attending(2.5) < attending(1.0) - 0.02


def test_meeting_at_resources_forms_group_ties():
    m = NetworkModel(
        small(n=400, weeks=20, burn_in=0, **{"ties.meet": 0.5, "ties.familiarity": 1}), seed=1
    )
    m.run()
    t = m.ties
    new_group = (t.formed > 0) & (t.kind == KIND["group"])
    assert new_group.sum() > 20
    # both ends of a tie between two target people hold it
    ego, alter = t.ego[new_group], t.alter[new_group]
    both = alter < m.n_target
    keys = set(zip(ego[both].tolist(), alter[both].tolist(), strict=True))
    assert all((b, a) in keys for a, b in list(keys)[:50])


def test_network_types_follow_covariates_of_n7():
    """Living alone, insecure housing, no qualifications, disability: more formal and sparse."""
    r = simulate(small(n=3000, weeks=4, burn_in=4), seed=5).people
    sparse = r["network_type"] == "formal_sparse"
    for col, risky in [("lives_alone", True), ("disability", True)]:
        assert sparse[r[col] == risky].mean() > sparse[r[col] != risky].mean()
    assert sparse[r["education"] == "none"].mean() > sparse[r["education"] == "higher"].mean()
    assert sparse[r["housing"] != "stable"].mean() > sparse[r["housing"] == "stable"].mean()


def test_poisson_count_is_the_inverse_cdf():
    from scipy import stats

    rng = np.random.default_rng(4)
    u, lam = rng.random(20_000), rng.uniform(0, 4, 20_000)
    np.testing.assert_array_equal(rules.poisson_count(u, lam), stats.poisson.ppf(u, lam))
    assert rules.poisson_count(0.99, 0.0) == 0
    # monotone in the rate for the same uniform: a higher rate never gives fewer visits
    assert (rules.poisson_count(u, lam * 1.5) >= rules.poisson_count(u, lam)).all()


def test_service_use_of_one_person_does_not_shift_anyone_elses():
    """Common random numbers: raising one person's unmet need (so their GP rate and
    admission risk) changes no one else's GP visits, A&E attendances or admissions."""
    from netmob.sim.processes.outcomes import Outcomes

    m = NetworkModel(small(400, weeks=10, burn_in=0), seed=11)
    for _ in range(3):
        m.step()
    pp, n = m.people, m.n_target
    pp.exacerbation[:n] = True  # everyone at risk of A&E and admission this week
    cols = ("gp_visits", "ae_visits", "admissions", "service_cost")
    before = {c: getattr(pp, c)[:n].copy() for c in cols}

    def week_of_services(extra_gap: float) -> dict[str, np.ndarray]:
        for c in cols:
            getattr(pp, c)[:n] = before[c]
        gap = pp.support_gap[:n].copy()
        pp.support_gap[7] += extra_gap
        with m.streams.replay():  # the same week twice: the same draws
            Outcomes().services(m)
        pp.support_gap[:n] = gap
        return {c: getattr(pp, c)[:n] - before[c] for c in cols}

    a, b = week_of_services(0.0), week_of_services(2000.0)
    others = np.arange(n) != 7
    for c in cols:
        np.testing.assert_array_equal(a[c][others], b[c][others], err_msg=c)
    assert b["gp_visits"][7] > a["gp_visits"][7]  # about 15 visits expected, not 0.1
    assert a["gp_visits"].sum() > 0 and a["admissions"].sum() > 0  # the test has teeth
