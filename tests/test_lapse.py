"""The time course of benefit: new activities and achieved objectives can lapse.

Each lapse step is tested on its own (called at a week whose draws are not yet used, on a
state a GENIE run made), with its rate at 0 as the negative control (nothing changes,
the old behaviour); a whole run shows a positive rate lowers persistence; an invariant
test checks every week that what lapsed was allowed to.
"""

from __future__ import annotations

import numpy as np

from netmob.sim.model import NetworkModel
from netmob.sim.processes.attendance import ResourceAttendance
from netmob.sim.processes.outcomes import lapse_objectives, maintained
from netmob.sim.programmes.state import NEVER
from netmob.sim.scenario import load_scenario
from netmob.sim.state import ORIGIN

SIZE = {"population.n_people": 500, "run.burn_in": 0}


def genie(weeks: int, **extra: float) -> NetworkModel:
    """A GENIE model at the test's size (lapse rates as given, else the defaults)."""
    params = load_scenario("genie").params.with_overrides(
        {**SIZE, "run.weeks": weeks, **extra}, file="test"
    )
    return NetworkModel(params, seed=4)


def after(weeks: int, **extra: float) -> NetworkModel:
    """A GENIE model stepped ``weeks`` weeks with nothing lapsing, ready for one lapse step
    at the next week (whose draws no process has used)."""
    m = genie(weeks + 10, **{"attendance.lapse": 0.0, "wellbeing.objective_lapse": 0.0})
    while m.week < weeks:
        m.step()
    m.week += 1
    return m


def activity_lapse(rate: float) -> tuple[NetworkModel, np.ndarray, np.ndarray, np.ndarray]:
    """One activity-lapse step at ``rate`` on a 30-week GENIE state: the model, the rows
    active before (pathway-started, own choice) and ``active`` before."""
    m = after(30)
    a = m.attendance
    pathway = np.flatnonzero(a.active & (a.origin >= ORIGIN["nudge"]))
    own = np.flatnonzero(a.active & (a.origin < ORIGIN["nudge"]))
    before = a.active.copy()
    m.params.attendance.lapse = rate
    ResourceAttendance().lapse(m)
    return m, pathway, own, before


def test_activity_lapse_ends_only_pathway_activities_at_its_rate():
    """At rate 1 every activity a pathway started ends this week (``stop`` the week) and
    none a person chose; at 0.3 about 30% end (binomial: within 4 standard errors). Negative
    control: at 0 nothing changes (the behaviour before lapse existed)."""
    m, pathway, own, before = activity_lapse(0.0)
    assert len(pathway) > 20 and len(own) > 50  # the programme has started activities
    assert (m.attendance.active == before).all()

    m, pathway, own, _ = activity_lapse(1.0)
    a = m.attendance
    assert not a.active[pathway].any() and (a.stop[pathway] == m.week).all()
    assert a.active[own].all() and (a.stop[own] == NEVER).all()

    m, pathway, _, _ = activity_lapse(0.3)
    share = 1.0 - m.attendance.active[pathway].mean()
    assert abs(share - 0.3) < 4 * np.sqrt(0.3 * 0.7 / len(pathway))


def objective_lapse(rate: float, u: float) -> tuple[NetworkModel, np.ndarray, np.ndarray]:
    """One objective-lapse step at ``rate`` with every uniform ``u``, on a 40-week GENIE
    state: the model, ``achieved`` before and which objectives were kept up."""
    m = after(40)
    achieved, kept_up = m.targets.achieved.copy(), maintained(m)
    m.params.wellbeing.objective_lapse = rate
    lapse_objectives(m, np.full(achieved.shape, u))
    return m, achieved, kept_up


def test_objective_lapse_loses_only_objectives_no_activity_keeps_up():
    """With every draw under the rate, each achieved objective that no resource the person
    still goes to serves is lost, and every one kept up stays; with every draw at or over
    it, none is lost. Negative control: at rate 0 nothing is lost."""
    m, achieved, kept_up = objective_lapse(0.0, 0.0)
    assert (achieved & ~kept_up).sum() > 20  # some achieved objectives are no longer kept up
    assert (m.targets.achieved == achieved).all()

    m, achieved, kept_up = objective_lapse(0.5, 0.49)
    assert (m.targets.achieved == (achieved & kept_up)).all()

    m, achieved, _ = objective_lapse(0.5, 0.5)
    assert (m.targets.achieved == achieved).all()


def run_persistence(**rates: float) -> tuple[float, float]:
    """Over a 60-week GENIE run: the share of pathway-started activities still going at the
    end, and the mean objectives achieved per person."""
    m = genie(60, **rates).run()
    a = m.attendance
    started = a.origin >= ORIGIN["nudge"]
    return float(a.active[started].mean()), float(m.targets.achieved.sum(axis=1).mean())


def test_a_positive_rate_lowers_persistence_over_a_run():
    """Activities and objectives persist less with lapse rates above 0 than at 0 (the old
    behaviour), each by a margin (same seed: common random numbers)."""
    going0, achieved0 = run_persistence(
        **{"attendance.lapse": 0.0, "wellbeing.objective_lapse": 0.0}
    )
    going, _ = run_persistence(**{"attendance.lapse": 0.05, "wellbeing.objective_lapse": 0.0})
    _, achieved = run_persistence(**{"attendance.lapse": 0.0, "wellbeing.objective_lapse": 0.05})
    assert going < going0 - 0.1
    assert achieved < achieved0 - 0.05


def test_lapse_invariants_every_week():
    """Every week, at high lapse rates: an activity that ended this week has ``stop`` this
    week and every one going has none; an objective lost this week was kept up by no
    activity; nobody holds an objective achieved they do not want."""
    m = genie(40, **{"attendance.lapse": 0.2, "wellbeing.objective_lapse": 0.2})
    lost_any = ended_any = 0
    while m.week < m.params.run.weeks:
        a = m.attendance
        n_rows, was_active = len(a), a.active.copy()
        was_achieved = m.targets.achieved.copy()
        m.step()
        a = m.attendance
        ended = np.flatnonzero(was_active & ~a.active[:n_rows])
        assert (a.stop[ended] == m.week).all()
        assert (a.stop[a.active] == NEVER).all()
        lost = was_achieved & ~m.targets.achieved
        assert not (lost & maintained(m)).any()
        assert not (m.targets.achieved & ~m.targets.objectives).any()
        lost_any += int(lost.sum())
        ended_any += len(ended)
    assert lost_any > 0 and ended_any > 0  # the checks saw lapses
