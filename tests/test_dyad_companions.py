"""Connecting People as a dyad (trust, co-produced goal, the worker's own network, emergent
fidelity, stepping back from negative ties) and companions (a member along to a resource).

Each mechanism: an effect in the direction its source says when on, and none when its
switch (a parameter value) is off. Fixed seeds; paired runs share every other draw.
"""

from __future__ import annotations

import numpy as np

from netmob.sim.model import NetworkModel
from netmob.sim.pathways.mobilisation import advance_prob
from netmob.sim.processes.attendance import ResourceAttendance, accompanied_barriers
from netmob.sim.processes.ties import TieDynamics, companion_ties
from netmob.sim.programmes.strength import component_strength
from netmob.sim.state import BARRIER, KIND, ORIGIN, SERVES
from tests.conftest import small


def cp(n=600, weeks=40, **extra):
    """Connecting People, referring briskly so a small population fills the caseloads."""
    over = {"programme.preset": "connecting_people", "programme.refer_rate": 1.0, **extra}
    return small(n=n, weeks=weeks, burn_in=4, **over)


def run(seed=1, **extra):
    return NetworkModel(cp(**extra), seed=seed).run()


def seen(m):
    return (m.programme.clients.referred >= 1) & (m.programme.clients.contacts > 0)


def happened(m):
    """Share of due contacts that happened, over all clients."""
    c = m.programme.clients
    return c.contacts.sum() / max(c.contacts.sum() + c.missed.sum(), 1)


# ---- trust -----------------------------------------------------------------------------
def test_trust_builds_with_contacts_empathy_and_lived_experience():
    calm = {"workers.turnover": 0.0}
    m = run(**calm)
    c, ok = m.programme.clients, seen(m)
    start = m.params.programme.trust_start
    assert (c.trust[ok] > start).all()  # every contact closes part of the gap
    assert np.corrcoef(c.contacts[ok], c.trust[ok])[0, 1] > 0.5

    def mean_trust(**over):
        m = run(**calm, **over)
        return m.programme.clients.trust[seen(m)].mean()

    low = mean_trust(**{"workers.empathy": 0.1, "workers.empathy_sd": 0.0})
    high = mean_trust(**{"workers.empathy": 0.9, "workers.empathy_sd": 0.0})
    assert high > low + 0.03
    lived = mean_trust(**{"workers.lived_experience": 1.0})
    not_lived = mean_trust(**{"workers.lived_experience": 0.0})
    assert lived > not_lived + 0.03
    # off: trust never builds
    m = run(**calm, **{"programme.trust_gain": 0.0})
    assert np.allclose(m.programme.clients.trust, start)


def test_trust_breaks_when_the_worker_leaves():
    def mean_trust(loss):
        over = {"workers.turnover": 5.0, "programme.trust_turnover_loss": loss}
        m = run(**over)
        return m.programme.clients.trust[seen(m) & m.programme.clients.active].mean()

    assert mean_trust(0.8) < mean_trust(0.0) - 0.03


def test_trust_raises_contacts_and_lowers_dropout_and_none_when_off():
    def outcome(gain, **over):
        ms = [run(seed=s, **{"programme.trust_gain": gain, **over}) for s in (1, 2)]
        dis = np.mean(
            [m.programme.clients.disengaged[m.programme.clients.referred >= 1].mean() for m in ms]
        )
        return np.mean([happened(m) for m in ms]), dis, ms

    h0, d0, _ = outcome(0.0)
    h1, d1, _ = outcome(0.4)
    assert h1 > h0 + 0.01
    assert d1 < d0 - 0.02
    # negative control: trust that matters for nothing changes nothing
    off = {
        "programme.trust_engage": 0.0,
        "programme.trust_dropout": 0.0,
        "programme.trust_advance": 0.0,
    }
    _, _, a = outcome(0.0, **off)
    _, _, b = outcome(0.4, **off)
    for x, y in zip(a, b, strict=True):
        for col in ("contacts", "missed", "disengaged", "stage_reached", "first_change"):
            np.testing.assert_array_equal(
                getattr(x.programme.clients, col), getattr(y.programme.clients, col)
            )
        np.testing.assert_array_equal(x.people.swemwbs, y.people.swemwbs)


def test_trust_multiplies_mobilisation_advance():
    m = NetworkModel(cp(weeks=6), seed=1).run()
    pr = m.params.programme
    n = m.n_target
    args = (m, np.ones(n, bool), np.full(n, 0.3), np.full(n, 0.1))
    m.programme.clients.trust[:] = pr.trust_start
    base = advance_prob(*args)
    m.programme.clients.trust[:] = 0.9
    up = advance_prob(*args)
    ok = (base > 0) & (base < 0.5)
    assert ok.any()
    np.testing.assert_allclose(
        up[ok] / base[ok], 1 + pr.trust_advance * (0.9 - pr.trust_start), rtol=1e-5
    )
    m.params.programme.trust_advance = 0.0  # off: trust does not matter
    np.testing.assert_array_equal(advance_prob(*args), base)


# ---- co-produced goal ------------------------------------------------------------------
def test_goal_agreed_at_first_contact_among_objectives():
    m = run()
    c, tg, ok = m.programme.clients, m.targets, seen(m)
    has = ok & tg.objectives.any(axis=1)
    assert (c.goal[has] >= 0).all()
    assert tg.objectives[np.flatnonzero(has), c.goal[has]].all()
    assert (c.goal[~ok] < 0).all()
    # no co-production: no goal
    m = run(**{"programme.coproduction": 0.0})
    assert (m.programme.clients.goal < 0).all()


def _locally_served(m):
    res = m.resources
    n_areas = len(m.area_bounds) - 1
    kinds = np.zeros((n_areas, SERVES.shape[0]), bool)
    kinds[res.area % n_areas, res.kind] = True
    served = (kinds.astype(int) @ SERVES.astype(int)) > 0
    who = np.flatnonzero(m.programme.clients.goal >= 0)
    return served[m.people.area[who] % n_areas, m.programme.clients.goal[who]].mean()


def test_goal_prefers_what_a_local_resource_serves():
    # small neighbourhoods with few resources: not every kind is in every area
    few = {"attendance.resources_per_1000": 3.0, "population.area_size": 50}
    far = _locally_served(run(**few, **{"programme.goal_local": 0.0}))
    near = _locally_served(run(**few, **{"programme.goal_local": 20.0}))
    assert far < 0.9 and near > far + 0.05


def test_shared_goal_keeps_contacts_happening_and_none_when_off():
    assert happened(run(**{"programme.goal_engage": 1.0})) > happened(
        run(**{"programme.goal_engage": 0.0})
    )
    # negative control: with goal_engage 0, which goal is agreed changes nothing else
    few = {"attendance.resources_per_1000": 3.0, "population.area_size": 50}
    a = run(**few, **{"programme.goal_engage": 0.0, "programme.goal_local": 0.0})
    b = run(**few, **{"programme.goal_engage": 0.0, "programme.goal_local": 20.0})
    assert (a.programme.clients.goal != b.programme.clients.goal).any()
    for col in ("contacts", "missed", "disengaged", "stage_reached"):
        np.testing.assert_array_equal(
            getattr(a.programme.clients, col), getattr(b.programme.clients, col)
        )


# ---- the worker's own network -----------------------------------------------------------
def test_worker_network_grows_with_time_in_post_up_to_its_cap():
    m = NetworkModel(cp(weeks=30, **{"workers.turnover": 0.0, "workers.network_cap": 25}), seed=1)
    sizes = []
    while m.week < 30:
        m.step()
        if m.week in (5, 15, 30):
            wc = m.programme.worker_contacts
            sizes.append(np.bincount(wc.worker[wc.active], minlength=len(m.programme.workers)))
    assert (sizes[0] < sizes[1]).all()
    assert (sizes[2] <= 25).all() and (sizes[2] == 25).any()
    # contacts are met in clients' neighbourhoods
    wc, c = m.programme.worker_contacts, m.programme.clients
    client_areas = {
        (int(w), int(a))
        for w, a in zip(c.worker, m.people.area[: m.n_target], strict=True)
        if w >= 0
    }
    near = [
        (int(w), int(m.people.area[p])) in client_areas
        for w, p in zip(wc.worker, wc.person, strict=True)
    ]
    assert np.mean(near) > 0.9


def _introduced_pairs(m):
    t = m.ties
    pathway = (t.origin == ORIGIN["nudge"]) | (t.origin == ORIGIN["mobilisation"])
    rows = np.flatnonzero(pathway & (t.kind == KIND["friend"]))
    return t.ego[rows], t.alter[rows]


def test_introductions_come_from_the_workers_contacts():
    m = run(weeks=50)
    c = m.programme.clients
    assert (c.introduced_n + c.introduced_m).sum() > 0
    wc = m.programme.worker_contacts
    known = set(zip(wc.worker.tolist(), wc.person.tolist(), strict=True))
    ego, alter = _introduced_pairs(m)
    w_ego = np.where(ego < m.n_target, c.worker[np.minimum(ego, m.n_target - 1)], -1)
    w_alt = np.where(alter < m.n_target, c.worker[np.minimum(alter, m.n_target - 1)], -1)
    ok = [
        (a, b) in known or (d, e) in known
        for a, b, d, e in zip(w_ego, alter, w_alt, ego, strict=True)
    ]
    assert all(ok)
    # off: a worker with no network introduces nobody
    m = run(weeks=50, **{"workers.network_growth": 0.0})
    assert (m.programme.clients.introduced_n + m.programme.clients.introduced_m).sum() == 0
    assert len(m.programme.worker_contacts) == 0


def test_more_network_more_introductions():
    def intro(growth):
        return sum(
            int((m.programme.clients.introduced_n + m.programme.clients.introduced_m).sum())
            for m in (run(seed=s, weeks=50, **{"workers.network_growth": growth}) for s in (1, 2))
        )

    assert intro(3.0) > intro(0.2)


def test_agency_context_keeps_contacts_across_turnover():
    def kept(agency):
        over = {"workers.turnover": 4.0, "workers.agency_context": agency}
        return run(weeks=50, **over).programme.worker_contacts.active.sum()

    assert kept(0.9) > kept(0.0) * 1.2


# ---- emergent fidelity ------------------------------------------------------------------
def _fidelity(seed=1, **over):
    m = run(seed=seed, **over)
    return m, m.programme.clients.fidelity[seen(m)].mean()


def test_fidelity_rises_with_skill_and_agency_context():
    _, low = _fidelity(**{"workers.skill": 0.3, "workers.skill_sd": 0.0})
    _, high = _fidelity(**{"workers.skill": 0.9, "workers.skill_sd": 0.0})
    assert high > low + 0.1
    _, weak = _fidelity(**{"workers.agency_context": 0.1})
    _, strong = _fidelity(**{"workers.agency_context": 0.9})
    assert strong > weak + 0.1


def test_fidelity_falls_with_caseload_pressure_and_none_when_off():
    _, eased = _fidelity(**{"workers.manageable_contacts": 50.0})
    _, pressed = _fidelity(**{"workers.manageable_contacts": 2.0})
    assert pressed < eased - 0.1
    a, _ = _fidelity(**{"workers.manageable_contacts": 50.0, "programme.quality_pressure": 0.0})
    b, _ = _fidelity(**{"workers.manageable_contacts": 2.0, "programme.quality_pressure": 0.0})
    np.testing.assert_array_equal(a.programme.clients.fidelity, b.programme.clients.fidelity)


def test_high_fidelity_is_fidelity_above_the_cut_and_strength_is_continuous():
    m = run()
    c, pr, ok = m.programme.clients, m.params.programme, seen(m)
    dosed = c.contacts >= pr.fidelity_dose * c.planned
    high = (c.fidelity >= pr.fidelity_cut) & dosed
    np.testing.assert_array_equal(c.high_fidelity[ok], high[ok])
    assert 0 < c.high_fidelity[ok].mean() < 1
    c.fidelity[:3] = [0.0, pr.fidelity_cut / 2, pr.fidelity_cut]
    s = component_strength(m, 1.0)[:3]
    lo = pr.low_fidelity
    np.testing.assert_allclose(s, [lo, lo + (1 - lo) / 2, 1.0], rtol=1e-5)


def test_fixed_mode_is_the_coin_flip():
    m = run(**{"programme.fidelity_mode": "fixed", "programme.fidelity": 0.5})
    c = m.programme.clients
    ref = c.referred >= 1
    assert set(np.unique(c.fidelity[ref])) <= {0.0, 1.0}
    assert 0.35 < c.high_fidelity[ref].mean() < 0.65


# ---- negative ties ----------------------------------------------------------------------
def test_negative_ties_drawn_on_their_own_stream():
    a = NetworkModel(cp(**{"network.negative_share": 0.0}), seed=3)
    b = NetworkModel(cp(**{"network.negative_share": 0.3}), seed=3)
    assert not a.ties.negative.any()
    neg = b.ties.negative
    informal = np.isin(b.ties.kind, [KIND["family"], KIND["friend"], KIND["neighbour"]])
    assert not (neg & ~informal).any()
    assert 0.25 < neg[informal].mean() < 0.35
    for col in ("ego", "alter", "kind", "circle", "strength", "cap", "dormant"):
        np.testing.assert_array_equal(getattr(a.ties, col), getattr(b.ties, col))


def test_negative_ties_give_no_support_and_add_strain():
    def first_week(share, strain=0.5):
        over = {"network.negative_share": share, "network.negative_strain": strain}
        m = NetworkModel(small(n=500, weeks=2, burn_in=0, **over), seed=4)
        live = m.live_ties() & m.ties.negative  # at the time support flows
        m.has = np.bincount(m.ties.ego[live], minlength=m.n_target) > 0
        m.step()
        return m

    a, b = first_week(0.0), first_week(0.3)
    n, has = a.n_target, b.has
    assert has.sum() > 50
    assert (b.people.support_received[:n][has] <= a.people.support_received[:n][has] + 1e-6).all()
    assert b.people.support_gap[:n][has].mean() > a.people.support_gap[:n][has].mean() + 0.5
    # people with no live negative tie are untouched in the first week
    np.testing.assert_array_equal(a.people.support_gap[:n][~has], b.people.support_gap[:n][~has])
    # no strain: the gap is only what is missing
    c = first_week(0.3, strain=0.0)
    np.testing.assert_allclose(
        c.people.support_gap[:n], c.people.need[:n] - c.people.support_received[:n], atol=1e-5
    )


def test_coproduction_helps_people_step_back_from_negative_ties():
    over = {"network.negative_share": 0.3}
    on = run(**over, **{"programme.step_back": 0.5})
    off = run(**over, **{"programme.step_back": 0.0})
    assert (
        on.programme.clients.stepped_back.sum() > 10
        and off.programme.clients.stepped_back.sum() == 0
    )
    t = on.ties
    ended = ~t.active & (t.changed_by == ORIGIN["mobilisation"]) & t.negative
    assert ended.sum() >= on.programme.clients.stepped_back.sum()
    ref = np.flatnonzero(on.programme.clients.referred >= 1)

    def bad(m):
        live = m.live_ties() & m.ties.negative
        return np.bincount(m.ties.ego[live], minlength=m.n_target)[ref].sum()

    assert bad(on) < bad(off)
    # negative control: with no negative ties, step_back changes nothing
    a = run(**{"network.negative_share": 0.0, "programme.step_back": 0.5})
    b = run(**{"network.negative_share": 0.0, "programme.step_back": 0.0})
    np.testing.assert_array_equal(a.people.swemwbs, b.people.swemwbs)
    np.testing.assert_array_equal(a.ties.active, b.ties.active)


# ---- companions -------------------------------------------------------------------------
def community(**over):
    """A community at week 3 (the same for the same arguments)."""
    m = NetworkModel(small(n=500, weeks=20, burn_in=0), seed=6)
    for group_key, value in over.items():
        group, key = group_key.split(".")
        setattr(getattr(m.params, group), key, value)
    for _ in range(3):
        m.step()
    return m


def with_members(m):
    """A network member comes along to half of the active attendances (rows, tie rows)."""
    a, t, n = m.attendance, m.ties, m.n_target
    rows = np.flatnonzero(a.active)[::2]
    informal = m.live_ties() & (t.kind != KIND["formal"]) & (t.alter >= n)
    tie = m.random_tie_of(a.person[rows], np.random.default_rng(0).random(len(rows)), informal)
    rows, tie = rows[tie >= 0], tie[tie >= 0]
    m.attendance.member[rows] = t.alter[tie]
    return rows, tie


def test_companion_lowers_access_barrier():
    m, w = community(), community()
    rows, _ = with_members(w)
    relief = w.params.attendance.companion_relief
    b0, b1 = accompanied_barriers(m, rows), accompanied_barriers(w, rows)
    np.testing.assert_allclose(b1[:, BARRIER["access"]], b0[:, BARRIER["access"]] * (1 - relief))
    w.params.attendance.companion_relief = 0.0
    np.testing.assert_array_equal(accompanied_barriers(w, rows), b0)


def _give_up(members, stop_share, relief=0.5):
    x = community()
    rows, _ = with_members(x) if members else with_members(community())
    x.params.attendance.stop_rate = 20.0
    x.params.attendance.companion_stop = stop_share
    x.params.attendance.companion_relief = relief
    with x.streams.replay():  # week 3 again, with the draws it had
        ResourceAttendance().give_up(x)
    return ~x.attendance.active, rows


def test_companion_makes_stopping_less_likely():
    base, rows = _give_up(False, 0.9)
    assert base[rows].sum() > 20
    assert _give_up(True, 0.9)[0][rows].sum() < 0.5 * base[rows].sum()
    # off: the member makes no difference to stopping
    np.testing.assert_array_equal(_give_up(True, 0.0, relief=0.0)[0], base)


def _ties_week(members, strengthen, meet):
    x = community(**{"ties.familiarity": 1, "ties.meet": 0.2})
    rows, tie = with_members(x) if members else with_members(community())
    x.params.ties.companion_strengthen = strengthen
    x.params.ties.companion_meet = meet
    x.attendance.attended[x.attendance.active] = True
    before = len(x.ties)
    with x.streams.replay():  # week 3 again, with the draws it had
        TieDynamics().step(x)
    return x, before, rows, tie


def test_companion_strengthens_the_tie_and_helps_form_ties():
    x, before_x, rows, tie = _ties_week(True, 0.0, 0.0)
    y, _, _, _ = _ties_week(True, 0.3, 0.0)
    assert len(companion_ties(y)) > 20
    awake = ~x.ties.dormant[tie] & y.ties.active[tie] & x.ties.active[tie]
    assert (y.ties.strength[tie][awake] > x.ties.strength[tie][awake]).all()
    # off: with no strengthening and no extra meeting, the members change nothing
    base, _, _, _ = _ties_week(False, 0.0, 0.0)
    assert len(base.ties) == len(x.ties)
    for col in ("strength", "active", "dormant"):
        np.testing.assert_array_equal(getattr(base.ties, col), getattr(x.ties, col))
    # more ties formed at resources by accompanied people
    z, before_z, _, _ = _ties_week(True, 0.0, 5.0)
    people = np.unique(x.attendance.person[rows])

    def new_for(model, start):
        return np.isin(model.ties.ego[start:], people).sum()

    assert new_for(z, before_z) > new_for(x, before_x) + 3
