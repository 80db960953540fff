"""Step 6: wellbeing, loneliness, EQ-5D, QALYs, objectives, self-management, service use."""

from __future__ import annotations

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Process
from netmob.sim.state import OBJECTIVE, ORIGIN, SERVES


class Outcomes(Process):
    """Loneliness follows frequent contact, inner-circle ties and activity; SWEMWBS follows
    unmet support need, loneliness, burden, activity and objectives achieved; EQ-5D follows
    burden and wellbeing; members' SWEMWBS follows the support they give and shared
    activity. Objectives are achieved by regular attendance at a resource that serves them.
    Service use follows burden, exacerbations and unmet need."""

    name = "outcomes"
    params = ("wellbeing", "services", "support")

    def step(self, model) -> None:
        self.objectives(model)
        self.wellbeing(model)
        self.members(model)
        self.services(model)

    def objectives(self, model) -> None:
        """An objective is achieved by ``objective_visits`` visits to a resource serving it."""
        a, tg = model.attendance, model.targets
        rows = np.flatnonzero(a.active & (a.visits >= model.params.wellbeing.objective_visits))
        person = a.person[rows]
        serves = SERVES[model.resources.kind[a.resource[rows]]] & tg.objectives[person]
        pi, oi = np.nonzero(serves)
        new = ~tg.achieved[person[pi], oi]
        who, which = person[pi][new], oi[new]
        tg.achieved[who, which] = True
        origin = a.origin[rows][pi][new]
        tg.achieved_by[who, which] = np.where(origin >= ORIGIN["nudge"], origin, ORIGIN["organic"])

    def wellbeing(self, model) -> None:
        pp, t, n, w = model.people, model.ties, model.n_target, model.params.wellbeing
        live = t.active & ~t.dormant
        frequent = np.bincount(t.ego[live & (t.freq >= rules.FREQUENT_CONTACT)], minlength=n)
        inner = np.bincount(t.ego[live & (t.circle == 1)], minlength=n)
        attending = pp.attending[:n]
        a = model.attendance
        regular = np.bincount(a.person[a.active], minlength=n)
        rng = self.rng(model, "wellbeing")
        target = rules.ucla_target(frequent, inner, attending, pp.smi[:n], w)
        pp.ucla[:n] = rules.ar1(pp.ucla[:n], target, rng.normal(0, w.ucla_noise, n), w, 3.0, 9.0)
        achieved = model.targets.achieved.sum(axis=1)
        target = rules.swemwbs_target(
            pp.swemwbs_level[:n],
            pp.support_gap[:n],
            pp.ucla[:n],
            pp.burden[:n],
            attending,
            achieved,
            pp.smi[:n],
            w,
        )
        pp.swemwbs[:n] = rules.ar1(pp.swemwbs[:n], target, rng.normal(0, w.noise, n), w, 7.0, 35.0)
        pp.eq5d[:n] = rules.eq5d(pp.burden[:n], pp.swemwbs[:n], regular, w)
        manage = model.targets.achieved[:, OBJECTIVE["manage_condition"]]
        sm = rules.self_mgmt_target(pp.illness_coverage[:n], manage, w)
        pp.self_mgmt[:n] += w.self_mgmt_support * (sm - pp.self_mgmt[:n])
        if model.week >= 1:
            pp.qalys[:n] += pp.eq5d[:n] / 52.0

    def members(self, model) -> None:
        """Network members' wellbeing: strain from support given, lift from shared activity."""
        pp, n, w = model.people, model.n_target, model.params.wellbeing
        m = len(pp) - n
        target = rules.member_swemwbs_target(
            pp.swemwbs_level[n:], pp.support_given[n:], pp.accompanying[n:], w, model.params.support
        )
        noise = self.rng(model, "members").normal(0, w.noise, m)
        pp.swemwbs[n:] = rules.ar1(pp.swemwbs[n:], target, noise, w, 7.0, 35.0)

    def services(self, model) -> None:
        """GP consultations, A&E attendances and admissions, and their cost."""
        pp, n, sv = model.people, model.n_target, model.params.services
        # one uniform per person and event, each from its own stream (common random numbers)
        u_gp, u_ae, u_admit = (self.rng(model, p).random(n) for p in ("gp", "ae", "admission"))
        gp = rules.poisson_count(u_gp, rules.gp_rate(pp.burden[:n], pp.support_gap[:n], sv))
        ex = pp.exacerbation[:n]
        ae = ex & (u_ae < sv.ae_per_exacerbation)
        admit = ex & (u_admit < rules.admission_prob(pp.support_gap[:n], sv))
        if model.week >= 1:
            pp.gp_visits[:n] += gp
            pp.ae_visits[:n] += ae
            pp.admissions[:n] += admit
            pp.service_cost[:n] += gp * sv.gp_cost + ae * sv.ae_cost + admit * sv.admission_cost
