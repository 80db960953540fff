"""Mental-health service use of people with SMI, and pets.

Each mechanism is tested in the direction its source gives when on, and for no effect when
switched off (negative controls), on paired seeds:

- crises of people with SMI fall with network support (a smaller share of need unmet),
  inclusion (going to a community resource) and access to social capital (informal kinds
  of member) (E2: Connecting People's high-fidelity delivery lowered service costs; N5:
  smaller networks go with worse symptoms); with a coefficient at 0 its driver changes
  nothing; and the contrast from poor to good on all three is of the order of E2's
  9-month difference in service costs;
- a pet counts as a frequent contact for loneliness and lifts SWEMWBS a little
  (SRC-GENIE-PROCESS lists pets in the network; the sizes are assumptions); off, a pet
  changes nothing;
- a crisis lowers SWEMWBS for some weeks (assumption); off, crises leave wellbeing alone.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from netmob.sim import rules
from netmob.sim.model import NetworkModel
from netmob.sim.params import Services, Wellbeing
from netmob.sim.processes import outcomes
from netmob.sim.processes.outcomes import Outcomes
from netmob.sim.run import simulate
from tests.conftest import small

OFF = {"services.crisis_gap": 0.0, "services.crisis_inclusion": 0.0}
OFF |= {"services.crisis_social_capital": 0.0}
NINE_MONTHS = 39  # weeks


# ---- rules ------------------------------------------------------------------------------
def test_crisis_rate_falls_with_support_inclusion_and_social_capital():
    sv = Services()
    base = rules.crisis_rate(1.0, 5.0, 0, 2, sv)
    assert rules.crisis_rate(0.0, 5.0, 0, 2, sv) < base  # more of the need met
    assert rules.crisis_rate(1.0, 5.0, 1, 2, sv) < base  # goes to a resource
    assert rules.crisis_rate(1.0, 5.0, 0, 3, sv) < base  # one more informal kind
    assert rules.crisis_rate(1.0, 5.0, 3, 2, sv) == rules.crisis_rate(1.0, 5.0, 1, 2, sv)
    assert rules.crisis_rate(0.0, 0.0, 0, 0, sv) == sv.smi_crisis_rate  # no need, no gap


@pytest.mark.parametrize(
    ("coefficient", "low", "high"),
    [
        ("crisis_gap", (0.0, 5.0, 0, 2), (2.0, 5.0, 0, 2)),
        ("crisis_inclusion", (1.0, 5.0, 1, 2), (1.0, 5.0, 0, 2)),
        ("crisis_social_capital", (1.0, 5.0, 0, 5), (1.0, 5.0, 0, 0)),
    ],
)
def test_each_crisis_coefficient_at_zero_removes_its_driver(coefficient, low, high):
    on, off = Services(), Services(**{coefficient: 0.0})
    assert rules.crisis_rate(*low, on) < rules.crisis_rate(*high, on)
    assert rules.crisis_rate(*low, off) == rules.crisis_rate(*high, off)


def test_length_of_stay_has_the_mean_stay():
    u = (np.arange(100_000) + 0.5) / 100_000
    days = rules.length_of_stay(u, Services(mh_stay=30.0))
    assert days.min() >= 1 and abs(days.mean() - 30.0) < 0.5


def test_pet_lowers_loneliness_and_lifts_wellbeing_only_when_on():
    w, off = Wellbeing(), Wellbeing(pet_contacts=0.0, pet_effect=0.0)
    args = (2, 1, 0, False)
    assert rules.ucla_target(*args, True, w) == pytest.approx(
        rules.ucla_target(*args, False, w) - w.ucla_per_contact * w.pet_contacts
    )
    assert rules.ucla_target(*args, True, off) == rules.ucla_target(*args, False, off)
    s = (26.0, 0.5, 5.0, 0.3, 0, 0, False)
    assert rules.swemwbs_target(*s, True, False, w) == pytest.approx(
        rules.swemwbs_target(*s, False, False, w) + w.pet_effect
    )
    assert rules.swemwbs_target(*s, True, False, off) == rules.swemwbs_target(*s, False, False, off)


def test_a_recent_crisis_lowers_wellbeing_only_when_on():
    w, off = Wellbeing(), Wellbeing(crisis_effect=0.0)
    s = (26.0, 0.5, 5.0, 0.3, 0, 0, True, False)
    assert rules.swemwbs_target(*s, True, w) == pytest.approx(
        rules.swemwbs_target(*s, False, w) - w.crisis_effect
    )
    assert rules.swemwbs_target(*s, True, off) == rules.swemwbs_target(*s, False, off)
    last = np.array([10, 10 - w.crisis_weeks, 9 - w.crisis_weeks, -(10**6)])
    assert rules.recent_crisis(10, last, w).tolist() == [True, True, False, False]


# ---- the process: paired draws, the state changed by hand ----------------------------------
@pytest.fixture(scope="module")
def settled():
    """A community of 1,000 after a 10-week burn-in, everyone given SMI (so every person
    is at risk; the mechanism, not SMI's prevalence, is under test)."""
    m = NetworkModel(small(1000, weeks=NINE_MONTHS, burn_in=10), seed=5)
    for _ in range(10):
        m.step()
    m.people.smi[: m.n_target] = True
    return m


def nine_months(m, monkeypatch, *, gap_share=None, places=None, kinds=None, **sv) -> np.ndarray:
    """Mental-health cost per person over 39 weeks of :meth:`Outcomes.mental_health`
    alone, on the same draws each call (the weeks' streams), with the drivers fixed."""
    pp, n = m.people, m.n_target
    keep = {c: getattr(pp, c)[:n].copy() for c in ("support_gap", "mh_cost", "service_cost")}
    keep_params, week = m.params, m.week
    if sv:
        m.params = m.params.with_overrides({f"services.{k}": v for k, v in sv.items()})
    if gap_share is not None:
        pp.support_gap[:n] = gap_share * pp.need[:n]
    if places is not None:
        monkeypatch.setattr(outcomes, "places", lambda model: np.full(n, places))
    if kinds is not None:
        monkeypatch.setattr(outcomes, "informal_kinds", lambda model: np.full(n, kinds))
    pp.mh_cost[:n] = 0.0
    try:
        for w in range(1, NINE_MONTHS + 1):
            m.week = w
            with m.streams.replay():  # the weeks again, with their draws
                Outcomes().mental_health(m)
        return pp.mh_cost[:n].copy()
    finally:
        for c, v in keep.items():
            getattr(pp, c)[:n] = v
        m.params, m.week = keep_params, week
        monkeypatch.undo()


@pytest.mark.parametrize(
    ("driver", "worse", "better", "coefficient"),
    [
        ("gap_share", 0.3, 0.0, "crisis_gap"),
        ("places", 0, 1, "crisis_inclusion"),
        ("kinds", 1, 4, "crisis_social_capital"),
    ],
)
def test_more_support_inclusion_or_social_capital_lowers_mental_health_cost(
    settled, monkeypatch, driver, worse, better, coefficient
):
    """Paired draws: raising a driver lowers no one's cost and the total by a margin; with
    its coefficient at 0 every person's cost is the same (negative control)."""
    fixed = {"gap_share": 0.1, "places": 0, "kinds": 2}
    worse_, better_ = {**fixed, driver: worse}, {**fixed, driver: better}
    a, b = nine_months(settled, monkeypatch, **worse_), nine_months(settled, monkeypatch, **better_)
    assert (b <= a).all()
    assert b.mean() < 0.9 * a.mean()
    off = {coefficient: 0.0}
    a0 = nine_months(settled, monkeypatch, **worse_, **off)
    b0 = nine_months(settled, monkeypatch, **better_, **off)
    np.testing.assert_array_equal(a0, b0)
    assert a0.sum() > 0  # the control has teeth: costs were incurred


def test_poor_to_good_network_saves_about_what_e2_reports(settled, monkeypatch):
    """From poor (a fifth of need unmet, no resource, two informal kinds) to good (no gap, a
    resource, four kinds), a person with SMI's mental-health cost over 9 months falls by an
    amount inside E2's interval for high vs low fidelity (GBP 69 to 2,593; point 1,331)."""
    poor = nine_months(settled, monkeypatch, gap_share=0.2, places=0, kinds=2)
    good = nine_months(settled, monkeypatch, gap_share=0.0, places=1, kinds=4)
    saving = poor.mean() - good.mean()
    assert 700 < saving < 2593, saving


def test_only_people_with_smi_use_mental_health_services():
    r = simulate(small(600, weeks=20, burn_in=4), seed=3)
    pe = r.people
    assert (
        (pe.loc[~pe.smi, ["mh_crises", "mh_contacts", "mh_bed_days", "mh_cost"]] == 0).all().all()
    )
    s = pe[pe.smi]
    assert s.mh_contacts.sum() > 0 and s.mh_crises.sum() > 0
    assert (s.service_cost >= s.mh_cost).all()  # mh_cost is part of service_cost
    assert r.summary["mh_cost_smi_mean"] == pytest.approx(s.mh_cost.mean())


# ---- whole runs, paired seeds ----------------------------------------------------------------
SEEDS = (1, 2, 3)
RUN = {"n": 600, "weeks": NINE_MONTHS, "burn_in": 10, "population.smi": 0.5}


def smi_cost(extra: dict) -> np.ndarray:
    """Mental-health cost of each person with SMI, seeds stacked (run once for each
    ``extra``: the reference run and the run with both coefficients off are shared)."""
    return _smi_cost(tuple(sorted(extra.items()))).copy()


@functools.cache
def _smi_cost(extra: tuple) -> np.ndarray:
    out = []
    for s in SEEDS:
        pe = simulate(small(**RUN, **dict(extra)), seed=s).people
        out.append(pe.mh_cost[pe.smi].to_numpy())
    return np.concatenate(out)


# Stronger networks (every informal tie carries twice the support, so less need unmet);
# more inclusion (four times the take-up of community resources).
MORE_SUPPORT = {"support.family": 6.0, "support.friend": 3.0, "support.neighbour": 1.4}
MORE_INCLUSION = {"attendance.takeup_rate": 2.0}


@pytest.mark.parametrize("change", [MORE_SUPPORT, MORE_INCLUSION], ids=["support", "inclusion"])
def test_runs_with_more_support_or_inclusion_cost_less_and_not_when_off(change):
    base, more = smi_cost({}), smi_cost(change)
    assert more.mean() < base.mean(), (more.mean(), base.mean())
    np.testing.assert_array_equal(smi_cost(OFF), smi_cost({**change, **OFF}))


def test_engines_agree_on_mental_health_service_use():
    """The reference engine mirrors the mechanism: same draws, same use (float32 rounding
    of unmet need could flip a rare draw, so the check is on the means). One seed: the
    engines draw the same numbers, so a second seed repeats the check rather than adding
    to it; a mechanism missing from either engine moves the means far past 2%."""
    p = small(100, weeks=16, burn_in=4, **{"population.smi": 1.0})
    for s in (0,):
        v = simulate(p, s, engine="vector").people
        r = simulate(p, s, engine="reference").people
        for c in ("mh_crises", "mh_contacts", "mh_bed_days"):
            assert abs(v[c].mean() - r[c].mean()) <= 0.02 * max(v[c].mean(), 1e-9), c
        assert v.mh_crises.sum() > 0


# ---- pets ------------------------------------------------------------------------------------
PETS_OFF = {"wellbeing.pet_contacts": 0.0, "wellbeing.pet_effect": 0.0}


def test_pet_owners_are_less_lonely_and_better_off_and_nobody_else_changes():
    p_on, p_off = small(600, weeks=20, burn_in=10), small(600, weeks=20, burn_in=10, **PETS_OFF)
    for s in SEEDS:
        on, off = simulate(p_on, s).people, simulate(p_off, s).people
        pet = on.pet.to_numpy()
        assert pet.any() and not pet.all()
        assert (on.ucla[pet] - off.ucla[pet]).mean() < -0.1
        assert (on.swemwbs[pet] - off.swemwbs[pet]).mean() > 0.1
        for c in ("ucla", "swemwbs", "eq5d", "network_size", "service_cost"):
            np.testing.assert_array_equal(on[c][~pet], off[c][~pet], err_msg=c)


def test_with_the_pet_effects_off_a_pet_does_nothing():
    """Negative control: with both pet effects at 0, owning a pet (population.pet 0.4 vs 0)
    changes no one's wellbeing or loneliness."""
    cols = ["ucla", "swemwbs", "eq5d"]
    off = small(600, weeks=20, burn_in=10, **PETS_OFF)
    none = small(600, weeks=20, burn_in=10, **PETS_OFF, **{"population.pet": 0.0})
    a, b = simulate(off, 1).people, simulate(none, 1).people
    assert a.pet.any() and not b.pet.any()
    np.testing.assert_array_equal(a[cols].to_numpy(), b[cols].to_numpy())


# ---- a crisis lowers wellbeing for a while (assumption) ---------------------------------------
def run_model(seed: int, **extra) -> NetworkModel:
    m = NetworkModel(small(400, weeks=20, burn_in=4, **{"population.smi": 1.0}, **extra), seed)
    m.run()
    return m


def test_people_after_a_crisis_have_lower_wellbeing_and_nobody_else_changes():
    """Paired: crises do not depend on wellbeing, so the same people have them with the
    effect on and off; those with a recent one score lower, everyone else the same."""
    on, off = run_model(4), run_model(4, **{"wellbeing.crisis_effect": 0.0})
    n = on.n_target
    last = on.people.mh_crisis_week[:n]
    np.testing.assert_array_equal(last, off.people.mh_crisis_week[:n])
    diff = on.people.swemwbs[:n] - off.people.swemwbs[:n]
    recent = rules.recent_crisis(on.week, last, on.params.wellbeing)
    never = last < -(10**5)
    assert recent.sum() >= 5 and diff[recent].mean() < -0.5
    np.testing.assert_array_equal(diff[never], 0.0)


def test_with_the_crisis_effect_off_crises_leave_wellbeing_alone():
    """Negative control: effect off, wellbeing is the same as in a run with no crises."""
    off = run_model(4, **{"wellbeing.crisis_effect": 0.0})
    none = run_model(4, **{"wellbeing.crisis_effect": 0.0, "services.smi_crisis_rate": 0.0})
    assert (off.people.mh_crisis_week > -(10**5)).any()
    assert not (none.people.mh_crisis_week > -(10**5)).any()
    np.testing.assert_array_equal(off.people.swemwbs, none.people.swemwbs)
