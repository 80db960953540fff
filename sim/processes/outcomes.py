"""Wellbeing, loneliness, EQ-5D, QALYs, objectives, self-management, service use (one of
the week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Process
from netmob.sim.state import KIND, OBJECTIVE, ORIGIN, SERVES, TIE_KINDS
from netmob.sim.vocabulary import SWEMWBS_SCALE, UCLA_SCALE

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState

# The streams of mental-health service use, one uniform per target person each (both engines).
MH_STREAMS = ("crisis", "mh_contacts", "mh_admission", "mh_stay")


class Outcomes(Process):
    """Loneliness follows frequent contact, inner-circle ties and activity; SWEMWBS follows
    unmet support need, loneliness, burden, activity and objectives achieved; EQ-5D follows
    burden and wellbeing; members' SWEMWBS follows the support they give and shared
    activity. Objectives are achieved by regular attendance at a resource that serves them.
    Service use follows burden, exacerbations and unmet need; people with SMI also have
    mental-health contacts, and crises (with contacts and, sometimes, bed-days) whose
    hazard falls with network support, inclusion and access to social capital (E2, N5).
    A pet counts as frequent contact for loneliness and lifts SWEMWBS a little (SRC-GENIE-PROCESS;
    assumption); a negative tie ('bad' social capital, SRC-CP-MODEL) is strain, not company:
    it adds to loneliness instead of lowering it (``negative_strain_lonely``); a crisis lowers
    SWEMWBS for some weeks (assumption)."""

    params = ("wellbeing", "services", "support")
    draws = ("wellbeing", "members", "gp", "ae", "admission", "lapse", *MH_STREAMS)
    results = (
        "targets.achieved",
        "targets.achieved_by",
        "people.ucla",
        "people.swemwbs",
        "people.eq5d",
        "people.self_mgmt",
        "people.qalys",
        "people.gp_visits",
        "people.ae_visits",
        "people.admissions",
        "people.service_cost",
        "people.mh_crisis_week",
        "people.mh_crises",
        "people.mh_contacts",
        "people.mh_bed_days",
        "people.mh_cost",
    )

    def step(self, model: ModelState) -> None:
        self.objectives(model)
        self.wellbeing(model)
        self.members(model)
        self.services(model)
        self.mental_health(model)

    def objectives(self, model: ModelState) -> None:
        """An objective is achieved by ``objective_visits`` visits to a resource serving it,
        and lost at the weekly rate ``objective_lapse`` while no resource the person still
        goes to serves it (:func:`lapse_objectives`, first)."""
        a, tg = model.attendance, model.targets
        u = self.rng(model, "lapse").random(tg.achieved.shape)
        lapse_objectives(model, u)
        rows = np.flatnonzero(a.active & (a.visits >= model.params.wellbeing.objective_visits))
        person = a.person[rows]
        serves = SERVES[model.resources.kind[a.resource[rows]]] & tg.objectives[person]
        pi, oi = np.nonzero(serves)
        new = ~tg.achieved[person[pi], oi]
        who, which = person[pi][new], oi[new]
        tg.achieved[who, which] = True
        origin = a.origin[rows][pi][new]
        tg.achieved_by[who, which] = np.where(origin >= ORIGIN["nudge"], origin, ORIGIN["organic"])

    def wellbeing(self, model: ModelState) -> None:
        """Loneliness, SWEMWBS, EQ-5D, self-management and QALYs of target people."""
        pp, t, n, w = model.people, model.ties, model.n_target, model.params.wellbeing
        live = t.active & ~t.dormant
        negative = np.bincount(t.ego[live & t.negative], minlength=n)
        live &= rules.company(t.negative, w)  # a negative tie is strain, not company
        frequent = np.bincount(t.ego[live & (t.freq >= rules.FREQUENT_CONTACT)], minlength=n)
        inner = np.bincount(t.ego[live & (t.circle == 1)], minlength=n)
        attending = pp.attending[:n]
        a = model.attendance
        regular = np.bincount(a.person[a.active], minlength=n)
        rng = self.rng(model, "wellbeing")
        target = rules.ucla_target(frequent, inner, attending, pp.smi[:n], pp.pet[:n], w, negative)
        pp.ucla[:n] = rules.ar1(pp.ucla[:n], target, rng.normal(0, w.ucla_noise, n), w, *UCLA_SCALE)
        achieved = model.targets.achieved.sum(axis=1)
        target = rules.swemwbs_target(
            pp.swemwbs_level[:n],
            pp.support_gap[:n],
            pp.ucla[:n],
            pp.burden[:n],
            attending,
            achieved,
            pp.smi[:n],
            pp.pet[:n],
            rules.recent_crisis(model.week, pp.mh_crisis_week[:n], w),
            w,
        )
        pp.swemwbs[:n] = rules.ar1(
            pp.swemwbs[:n], target, rng.normal(0, w.noise, n), w, *SWEMWBS_SCALE
        )
        pp.eq5d[:n] = rules.eq5d(pp.burden[:n], pp.swemwbs[:n], regular, pp.eq5d_level[:n], w)
        manage = model.targets.achieved[:, OBJECTIVE["manage_condition"]]
        sm = rules.self_mgmt_target(pp.illness_coverage[:n], manage, w)
        pp.self_mgmt[:n] += w.self_mgmt_support * (sm - pp.self_mgmt[:n])
        if model.week >= 1:
            pp.qalys[:n] += pp.eq5d[:n] / rules.WEEKS_PER_YEAR

    def members(self, model: ModelState) -> None:
        """Network members' wellbeing: strain from support given, lift from shared activity."""
        pp, n, w = model.people, model.n_target, model.params.wellbeing
        m = len(pp) - n
        target = rules.member_swemwbs_target(
            pp.swemwbs_level[n:], pp.support_given[n:], pp.accompanying[n:], w, model.params.support
        )
        noise = self.rng(model, "members").normal(0, w.noise, m)
        pp.swemwbs[n:] = rules.ar1(pp.swemwbs[n:], target, noise, w, *SWEMWBS_SCALE)

    def services(self, model: ModelState) -> None:
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

    def mental_health(self, model: ModelState) -> None:
        """Mental-health contacts, crises and bed-days of people with SMI, and their cost.

        Each draw has its own stream and one uniform per target person (common random
        numbers): with the crisis coefficients at 0, nobody's use depends on their network.
        """
        pp, n, sv = model.people, model.n_target, model.params.services
        smi = pp.smi[:n]
        u_crisis, u_contacts, u_admit, u_stay = (self.rng(model, p).random(n) for p in MH_STREAMS)
        rate = rules.crisis_rate(
            pp.support_gap[:n], pp.need[:n], places(model), informal_kinds(model), sv
        )
        crisis = smi & (u_crisis < rules.weekly(rate))
        contacts = np.where(
            smi, rules.poisson_count(u_contacts, rules.mh_contact_rate(crisis, sv)), 0
        )
        admit = crisis & (u_admit < sv.crisis_admission)
        bed_days = np.where(admit, rules.length_of_stay(u_stay, sv), 0)
        pp.mh_crisis_week[:n][crisis] = model.week
        if model.week >= 1:
            cost = contacts * sv.mh_contact_cost + bed_days * sv.bed_day_cost
            pp.mh_crises[:n] += crisis
            pp.mh_contacts[:n] += contacts
            pp.mh_bed_days[:n] += bed_days
            pp.mh_cost[:n] += cost
            pp.service_cost[:n] += cost


def lapse_objectives(model: ModelState, u: np.ndarray) -> None:
    """Achieved objectives that no active attendance serves are lost where ``u`` (one
    uniform per person and objective) falls below ``objective_lapse`` (none at 0). What
    achieved one stays in ``achieved_by``; it counts only while ``achieved``."""
    rate = model.params.wellbeing.objective_lapse
    if rate <= 0:
        return
    tg = model.targets
    tg.achieved &= maintained(model) | (u >= rate)


def maintained(model: ModelState) -> np.ndarray:
    """(people x objectives) True where an active attendance of the person's is at a
    resource that serves the objective."""
    a, tg = model.attendance, model.targets
    rows = np.flatnonzero(a.active)
    out = np.zeros(tg.achieved.shape, bool)
    serves = SERVES[model.resources.kind[a.resource[rows]]]
    pi, oi = np.nonzero(serves)
    out[a.person[rows][pi], oi] = True
    return out


def places(model: ModelState) -> np.ndarray:
    """Resources each target person goes to regularly (active attendance)."""
    a = model.attendance
    return np.bincount(a.person[a.active], minlength=model.n_target)


def informal_kinds(model: ModelState) -> np.ndarray:
    """Informal kinds of member (partner, family, friend, neighbour, group) among each
    target person's live ties (access to social capital)."""
    t, n, k = model.ties, model.n_target, len(TIE_KINDS)
    live = t.active & ~t.dormant
    counts = np.bincount(t.ego[live].astype(np.int64) * k + t.kind[live], minlength=n * k)
    present = counts.reshape(n, k) > 0
    present[:, KIND["formal"]] = False
    return present.sum(axis=1)
