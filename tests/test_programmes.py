"""Programmes and the two pathways: common random numbers, switches, directions, stages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmob.sim.errors import InputError
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params
from netmob.sim.programmes.state import STAGE
from netmob.sim.run import collect, simulate
from netmob.sim.state import ORIGIN
from tests.conftest import small

# Columns that are the programme's own bookkeeping of its workforce and spending: a
# programme that refers nobody still pays its workers.
COST_COLUMNS = {"intervention_cost"}
COST_KEYS = {
    "intervention_cost",
    "workers_in_post_mean",
    "worker_knowledge_mean",
    "run_seconds",
    "person_weeks_per_second",
    "cost_per_referred",
}


def genie(n=400, weeks=40, **extra):
    return small(n=n, weeks=weeks, burn_in=8, **{"programme.preset": "genie", **extra})


def test_zero_referrals_identical_to_no_programme():
    """A programme that refers nobody gives, bit for bit, the results of no programme."""
    a = simulate(small(n=400, weeks=40, burn_in=8), seed=5)
    b = simulate(genie(**{"programme.refer_rate": 0.0}), seed=5)
    pd.testing.assert_frame_equal(a.people, b.people, check_exact=True)
    pd.testing.assert_frame_equal(
        a.weekly.drop(columns=list(COST_COLUMNS)),
        b.weekly.drop(columns=list(COST_COLUMNS)),
        check_exact=True,
    )
    sa = {k: v for k, v in a.summary.items() if k not in COST_KEYS}
    sb = {k: v for k, v in b.summary.items() if k not in COST_KEYS}
    assert sa.keys() == sb.keys()
    for k in sa:
        assert sa[k] == sb[k] or (sa[k] != sa[k] and sb[k] != sb[k]), k  # equal, or both NaN


def test_programme_changes_only_its_consequences():
    """Draws of unrelated processes are untouched: the same exacerbations happen to everyone,
    and after the first programme week nobody who was not referred differs."""
    base = NetworkModel(small(n=400, weeks=30, burn_in=4), seed=9)
    prog = NetworkModel(genie(weeks=30, **{"run.burn_in": 4, "programme.refer_rate": 20.0}), seed=9)
    while base.week < 1:
        base.step(), prog.step()
    n = base.n_target
    untouched = prog.programme.clients.referred < 1
    for col in ("swemwbs", "ucla", "eq5d", "support_received", "burden"):
        np.testing.assert_array_equal(
            base.people._cols[col][:n][untouched], prog.people._cols[col][:n][untouched]
        )
    assert (prog.programme.clients.referred >= 1).sum() > 50
    while base.week < 30:
        base.step(), prog.step()
        np.testing.assert_array_equal(base.people.exacerbation, prog.people.exacerbation)


@pytest.mark.parametrize("off, tag", [("nudge", "nudge"), ("mobilisation", "mobilisation")])
def test_pathway_switched_off_tags_nothing(off, tag):
    m = NetworkModel(genie(**{f"pathways.{off}": False}), seed=2).run()
    other = "mobilisation" if off == "nudge" else "nudge"
    code = ORIGIN[tag]
    c = m.programme.clients
    suffix = "_n" if off == "nudge" else "_m"
    for col in ("taken_up", "along", "reactivated", "deepened", "revalued", "introduced"):
        assert c._cols[col + suffix][: len(c)].sum() == 0, col
    assert not (m.ties.origin == code).any() and not (m.ties.changed_by == code).any()
    assert not (m.attendance.origin == code).any()
    assert not (m.targets.achieved_by == code).any()
    assert not (c.first_pathway == code).any()
    # ... while the other pathway still acts
    assert (c.first_pathway == ORIGIN[other]).any()


def test_more_workers_reach_more_people():
    def reached(workers):
        p = genie(n=800, **{"programme.workers": workers, "programme.refer_rate": 2.0})
        return np.mean([simulate(p, s).summary["people_reached"] for s in range(2)])

    one, four = reached(1), reached(4)
    assert four > 1.5 * one


def test_higher_barriers_fewer_nudges():
    def nudges(scale):
        p = genie(n=800, **{"attendance.barrier_scale": scale, "attendance.stigma_scale": scale})
        return np.mean(
            [NetworkModel(p, seed=s).run().programme.clients.nudges.sum() for s in range(2)]
        )

    assert nudges(2.5) < 0.8 * nudges(1.0)


def test_staged_process_regresses_and_moves_on():
    m = NetworkModel(genie(n=800, weeks=60, **{"pathways.regress": 0.5}), seed=3).run()
    c = m.programme.clients
    assert c.regressions.sum() > 0
    assert (c.stage_reached >= STAGE["rehearsing"]).any()
    # a person who fell back is now below the furthest stage they reached
    fell = (c.regressions > 0) & (c.stage < c.stage_reached)
    assert fell.any()


def test_stage_never_skips_and_status_quo_ends_journeys():
    m = NetworkModel(genie(n=800, weeks=60, **{"pathways.status_quo": 1.0}), seed=4)
    prev = m.programme.clients.stage.copy()
    while m.week < m.params.run.weeks:
        m.step()
        assert (np.abs(m.programme.clients.stage.astype(int) - prev) <= 1).all()
        prev = m.programme.clients.stage.copy()
    c = m.programme.clients
    assert c.status_quo.any()
    # with no network readiness nobody would adopt; with status_quo = 1 only those with support do
    assert (c.stage[c.status_quo] == STAGE["rehearsing"]).all()


def test_eligibility_rule_is_applied_and_checked():
    m = NetworkModel(
        genie(n=800, **{"programme.eligible": "smi", "programme.refer_rate": 3.0}), seed=1
    ).run()
    referred = m.programme.clients.referred >= 1
    assert referred.any() and m.people.smi[: m.n_target][referred].all()
    with pytest.raises(InputError, match="unknown name 'diabetes'"):
        Params.from_overrides({"programme.eligible": "diabetes"})
    with pytest.raises(InputError, match="not allowed"):
        Params.from_overrides({"programme.eligible": "__import__('os').system('true')"})


def test_agency_context_keeps_knowledge_when_workers_leave():
    def knowledge(agency):
        over = {"workers.turnover": 3.0, "workers.agency_context": agency, "programme.workers": 6}
        return np.mean(
            [
                NetworkModel(genie(weeks=60, **over), seed=s)
                .run()
                .programme.workers.knowledge.mean()
                for s in range(2)
            ]
        )

    assert knowledge(0.9) > knowledge(0.0) + 0.05


def test_outputs_carry_programme_columns_and_costs():
    r = collect(NetworkModel(genie(), seed=1).run())
    need = {
        "referred",
        "contacts",
        "disengaged",
        "stage_reached",
        "first_change_pathway",
        "weeks_to_first_change",
        "changes_nudge",
        "changes_mobilisation",
        "new_ties",
        "deepened_ties",
        "reactivated_ties",
        "new_ties_nudge",
        "new_ties_mobilisation",
        "deepened_ties_nudge",
        "deepened_ties_mobilisation",
        "reactivated_ties_nudge",
        "reactivated_ties_mobilisation",
        "objectives_achieved",
        "members_swemwbs_change",
    }
    assert need <= set(r.people.columns)
    s = r.summary
    assert s["people_reached"] <= s["people_referred"] and s["people_referred"] > 0
    workers = Params.from_overrides({"programme.preset": "genie"}).programme
    assert s["intervention_cost"] >= workers.cost_per_referral * s["people_referred"]
    assert s["cost_per_referred"] == pytest.approx(s["intervention_cost"] / s["people_referred"])
    # first changes come after referral; pathways named
    p = r.people
    changed = p["first_change_pathway"] != "none"
    assert (p.loc[changed, "weeks_to_first_change"] >= 0).all()
    assert set(p["first_change_pathway"]) <= {"none", "nudge", "mobilisation"}


def test_preset_then_override():
    p = Params.from_overrides({"programme": {"preset": "genie", "workers": 9}})
    assert p.programme.workers == 9 and p.programme.mapping == 1.0
    q = p.with_overrides({"programme.preset": "plans"})
    assert q.programme.contacts == 2 and q.programme.workforce == "referrals"  # new preset: sized
