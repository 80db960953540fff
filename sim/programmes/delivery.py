"""The programme's delivery: referral, the workers' journey and turnover, contacts,
disengagement (one of the week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.agents import Worker
from netmob.sim.community import CHOICE_DRAWS, choose_resources
from netmob.sim.pathways import changes
from netmob.sim.processes.base import Owned, Process
from netmob.sim.programmes.eligibility import evaluate, rule_names
from netmob.sim.programmes.state import (
    NEVER,
    Clients,
    WorkerContacts,
    Workers,
    waiting_list,
)
from netmob.sim.programmes.strength import component_strength, trust_factor
from netmob.sim.programmes.workforce import places, workers_fte
from netmob.sim.sets import isin
from netmob.sim.state import BARRIER, KIND, ORIGIN, SERVES

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState


def person_column(model: ModelState, name: str) -> np.ndarray:
    """A per-target-person value named in an eligibility rule."""
    pp, n = model.people, model.n_target
    if name == "lonely":
        return pp.ucla[:n] >= model.params.wellbeing.lonely_cut
    if name == "network_size":
        return model.network_size()
    if name == "network_type":
        from netmob.sim.measures import network_frame

        return network_frame(model)["type"]
    return pp.column(name)[:n]


class ProgrammeDelivery(Process):
    """Eligible people are referred at ``refer_rate``; referrals wait for a free place on a
    worker's caseload (giving up at ``wait_leave`` a week), where a dose is planned (1 + Poisson, mean ``contacts``: people want
    and need different amounts); planned contacts happen or are missed depending on capacity to
    engage, barriers, the worker's skill, the client's trust in the worker and a co-produced
    goal; a missed contact can end engagement (less often with trust). Each worker-client
    pair is a dyad (SRC-CP-PRACTICE, SRC-CP-MODEL): trust builds with each contact, faster with an
    empathic worker or one with lived experience, and breaks when the worker leaves; at the
    first contact of a co-produced programme the two agree a goal among the person's
    objectives (preferring one a local resource serves); each contact is delivered with a
    quality that rises with the worker's skill and the agency context and falls with
    caseload pressure, and a client's fidelity is the running mean (``fidelity_mode:
    emergent``); co-produced work can help a person step back from a negative tie. Workers
    learn their area and build their own community network week by week (the worker's
    journey); when one leaves, the agency keeps a share of their knowledge and contacts for
    the replacement (agency context). The workforce is sized in week 1 on who is eligible
    then (``netmob.sim.programmes.workforce``). Nothing happens before week 1, and a
    programme that refers nobody draws nothing that other processes see."""

    # attendance: barriers (model.barriers); wellbeing: eligibility rules naming ``lonely``
    # (``network_type`` uses the typology fitted at week 0, kept in ``model.baseline``);
    # run: the horizon the workforce is sized for; pathways: stepping back from a negative
    # tie is mobilisation's work (pathways.mobilisation)
    params = ("programme", "workers", "attendance", "wellbeing", "run", "pathways")
    name = "programme"
    clients = Owned(
        lambda n: Clients(capacity=n, rows=n),
        "one row per target person: referral, delivery, the dyad, readiness, the pathways",
    )
    workers = Owned(lambda n: Workers(capacity=1), "hired in week 1")
    worker_contacts = Owned(
        lambda n: WorkerContacts(capacity=1),
        "the workers' own community networks: one row per (worker, person) met",
    )
    contact_now = Owned(
        lambda n: np.zeros(n, bool), "who had a contact with their worker this week"
    )
    # stepping back from a negative tie ends it, tagged with the mobilisation pathway
    # the booklet's self-guided take-ups (tagged as the nudge's); the worker's help with the
    # first visits ends
    results = (
        "ties.active",
        "ties.ended",
        "ties.changed_by",
        "counters.exits",
        "attendance.rows",
        "attendance.helped",
    )
    draws = (
        "hire_skill",
        "hire_empathy",
        "hire_lived",
        "refer",
        "fidelity",
        "turnover",
        "contacts_kept",
        "skill",
        "empathy",
        "lived",
        "network",
        "network_who",
        "dose",
        "wait_leave",
        "contact",
        "dropout",
        "quality",
        "goal",
        "step_back",
        "booklet",
    )

    def setup(self, model: ModelState) -> None:
        """Every client starts with ``trust_start`` (nobody is referred yet)."""
        self.clients.trust = model.params.programme.trust_start

    def hire(self, model: ModelState) -> None:
        """The workforce, sized in the programme's first week on who is eligible then."""
        pr, wp = model.params.programme, model.params.workers
        rng = self.rng(model, "hire_skill")
        weeks = model.params.run.weeks
        fte = workers_fte(self.eligible(model).sum(), model.n_target, pr, weeks)
        k = len(fte)
        self.workers = Workers(capacity=max(k, 1))
        empathy = self.rng(model, "hire_empathy").normal(wp.empathy, wp.empathy_sd, k)
        lived = self.rng(model, "hire_lived").random(k) < wp.lived_experience
        self.workers.append(
            skill=np.clip(rng.normal(wp.skill, wp.skill_sd, k), 0, 1),
            knowledge=np.full(k, wp.knowledge_start),
            hired=np.full(k, 1),
            fte=fte,
            places=places(fte, pr),
            empathy=np.clip(empathy, 0, 1),
            lived_experience=lived,
        )
        self.worker_contacts = WorkerContacts(capacity=max(k * wp.network_cap, 1))
        model.add_agents_lazily(lambda: Worker.create_agents(model, k, idx=np.arange(k)))

    def step(self, model: ModelState) -> None:
        self.contact_now[:] = False
        if model.week < 1:
            return
        if model.week == 1:
            self.hire(model)
        self.refer(model)
        self.staff(model)
        self.assign(model)
        self.wait(model)
        self.contact(model)
        self.self_guide(model)
        self.end_help(model)
        self.relieve(model)

    def refer(self, model: ModelState) -> None:
        """Eligible people not yet referred are referred at ``refer_rate`` a year (in the
        first ``refer_weeks`` weeks only, if set)."""
        pr, c, n = model.params.programme, self.clients, model.n_target
        if pr.refer_rate <= 0 or 0 < pr.refer_weeks < model.week:
            return
        c.eligible = self.eligible(model)
        u = self.rng(model, "refer").random(n)
        new = c.eligible & (c.referred == NEVER) & (u < rules.weekly(pr.refer_rate))
        c.referred[new] = model.week
        if pr.fidelity_mode == "fixed":
            high = self.rng(model, "fidelity").random(n) < pr.fidelity
            c.high_fidelity[new] = high[new]
            c.fidelity[new] = high[new]

    @staticmethod
    def eligible(model: ModelState) -> np.ndarray:
        """Who the programme's eligibility rule admits now."""
        pr = model.params.programme
        cols = {name: person_column(model, name) for name in rule_names(pr.eligible)}
        return evaluate(pr.eligible, cols, model.n_target)

    def staff(self, model: ModelState) -> None:
        """The workers' journey (knowledge and their own network grow), turnover (clients'
        trust breaks; the agency keeps part of the knowledge and contacts), vacancies and
        replacements (with their own skill, empathy and lived experience)."""
        W, wp, week = self.workers, model.params.workers, model.week
        if len(W) == 0:
            return
        on = W.employed
        W.knowledge[on] += wp.knowledge_growth * (1.0 - W.knowledge[on])
        W.weeks_paid[on] += 1
        self.grow_networks(model)
        leave = on & (self.rng(model, "turnover").random(len(W)) < rules.weekly(wp.turnover))
        W.employed[leave] = False
        W.vacant_until[leave] = week + wp.vacancy_weeks
        kept = wp.agency_context * W.knowledge[leave]
        W.knowledge[leave] = kept + (1.0 - wp.agency_context) * wp.knowledge_start
        if leave.any():
            c, pr, wc = self.clients, model.params.programme, self.worker_contacts
            left = c.active & (c.worker >= 0) & leave[np.maximum(c.worker, 0)]
            c.trust[left] *= 1.0 - pr.trust_turnover_loss
            u = self.rng(model, "contacts_kept").random(len(wc))
            lost = wc.active & leave[wc.worker] & (u >= wp.agency_context)
            wc.active[lost] = False
        back = ~W.employed & (W.vacant_until <= week)
        W.employed[back] = True
        W.hired[back] = week
        skill = self.rng(model, "skill").normal(wp.skill, wp.skill_sd, len(W))
        W.skill[back] = np.clip(skill, 0, 1)[back]
        empathy = self.rng(model, "empathy").normal(wp.empathy, wp.empathy_sd, len(W))
        W.empathy[back] = np.clip(empathy, 0, 1)[back]
        lived = self.rng(model, "lived").random(len(W)) < wp.lived_experience
        W.lived_experience[back] = lived[back]

    def grow_networks(self, model: ModelState) -> None:
        """Each worker in post meets ``network_growth`` community members a week (Poisson, up
        to ``network_cap``), in the neighbourhood of one of their clients (anywhere if they
        have none): the worker's own network, from which introductions come."""
        W, wp, wc, c = self.workers, model.params.workers, self.worker_contacts, self.clients
        if wp.network_growth <= 0 or wp.network_cap <= 0:
            return
        have = np.bincount(wc.worker[wc.active], minlength=len(W))
        k = self.rng(model, "network").poisson(wp.network_growth, len(W))
        k = np.where(W.employed, np.minimum(k, np.maximum(wp.network_cap - have, 0)), 0)
        if k.sum() == 0:
            return
        worker = np.repeat(np.arange(len(W)), k)
        u = self.rng(model, "network_who").random((len(worker), 3))
        mine = np.flatnonzero(c.active & (c.worker >= 0))
        mine = mine[np.argsort(c.worker[mine], kind="stable")]
        lo = np.searchsorted(c.worker[mine], worker, "left")
        hi = np.searchsorted(c.worker[mine], worker, "right")
        client = (
            mine[np.minimum(lo + np.floor(u[:, 0] * (hi - lo)).astype(np.int64), len(mine) - 1)]
            if len(mine)
            else np.zeros(len(worker), np.int64)
        )
        n_areas = len(model.area_bounds) - 1
        anywhere = np.floor(u[:, 1] * n_areas).astype(np.int64)
        area = np.where(hi > lo, model.people.area[client], anywhere)
        a_lo, a_hi = model.area_bounds[area], model.area_bounds[area + 1]
        person = model.area_people[a_lo + np.floor(u[:, 2] * (a_hi - a_lo)).astype(np.int64)]
        n_people = len(model.people)
        key = worker.astype(np.int64) * n_people + person
        known = wc.worker[wc.active].astype(np.int64) * n_people + wc.person[wc.active]
        first = np.zeros(len(key), bool)
        first[np.unique(key, return_index=True)[1]] = True
        new = first & ~isin(key, known)
        wc.append(worker=worker[new], person=person[new], since=model.week)

    def assign(self, model: ModelState) -> None:
        """Waiting referrals, oldest first, to the free places on workers' caseloads."""
        c, W, pr = self.clients, self.workers, model.params.programme
        waiting = np.flatnonzero(waiting_list(c))
        if len(waiting) == 0 or len(W) == 0:
            return
        waiting = waiting[np.argsort(c.referred[waiting], kind="stable")]
        free = np.where(W.employed, np.maximum(W.places - W.clients, 0), 0)
        # places in turn across workers (first free place of each, then second, ...)
        worker = np.repeat(np.arange(len(W)), free)
        nth = np.concatenate([np.arange(f) for f in free]) if free.sum() else np.zeros(0, int)
        slots = worker[np.lexsort((worker, nth))]
        k = min(len(waiting), len(slots))
        who = waiting[:k]
        c.worker[who] = slots[:k]
        c.active[who] = True
        c.next_contact[who] = model.week
        # the dose varies: what a person wants and needs (1 + Poisson, mean = contacts)
        dose = 1 + self.rng(model, "dose").poisson(pr.contacts - 1, model.n_target)
        c.planned[who] = dose[who]
        W.clients = W.clients + np.bincount(slots[:k], minlength=len(W))

    def wait(self, model: ModelState) -> None:
        """People still on the waiting list give up at ``wait_leave`` a week."""
        c, n = self.clients, model.n_target
        waiting = waiting_list(c)
        u = self.rng(model, "wait_leave").random(n)
        gone = waiting & (u < model.params.programme.wait_leave)
        c.left_waiting[gone] = True
        c.discharged[gone] = model.week

    def contact(self, model: ModelState) -> None:
        """Planned contacts happen or are missed; a miss may end engagement."""
        c, W, pr, week, n = (
            self.clients,
            self.workers,
            model.params.programme,
            model.week,
            model.n_target,
        )
        due = np.flatnonzero(c.active & (c.next_contact <= week))
        if len(due) == 0:
            return
        vacant = ~W.employed[c.worker[due]]
        c.next_contact[due[vacant]] = week + 1  # wait for the replacement
        due = due[~vacant]
        b = model.barriers()[due]
        barrier = b[
            :,
            [
                BARRIER["stigma"],
                BARRIER["physical"],
                BARRIER["complicated_life"],
                BARRIER["access"],
            ],
        ]
        p = rules.engage_prob(
            model.people.capacity_engage[due], barrier.mean(axis=1), W.skill[c.worker[due]], pr
        )
        shared = 1.0 + pr.goal_engage * component_strength(model, pr.coproduction) * (c.goal >= 0)
        p = np.clip(p * (trust_factor(model, pr.trust_engage) * shared)[due], 0, 1)
        met = self.rng(model, "contact").random(n)[due] < p
        seen, missed = due[met], due[~met]
        c.contacts[seen] += 1
        c.last_contact[seen] = week
        self.contact_now[seen] = True
        c.missed[missed] += 1
        p_drop = pr.dropout * trust_factor(model, -pr.trust_dropout)[missed]
        drop = missed[self.rng(model, "dropout").random(n)[missed] < p_drop]
        c.disengaged[drop] = True
        self.deliver(model, seen)
        c.next_contact[due] = week + pr.interval
        done = due[(c.contacts[due] + c.missed[due]) >= c.planned[due]]
        self.discharge(model, np.union1d(drop, done))

    def deliver(self, model: ModelState, seen: np.ndarray) -> None:
        """What a contact that happened does in the dyad: its quality (fidelity), trust,
        a goal agreed at the first contact, and stepping back from a negative tie."""
        c, W, pr, wp, n = (
            self.clients,
            self.workers,
            model.params.programme,
            model.params.workers,
            model.n_target,
        )
        if len(seen) == 0:
            return
        w = c.worker[seen]
        if pr.fidelity_mode == "emergent":
            load = W.clients[w] / (W.fte[w] * pr.interval * wp.manageable_contacts)
            z = self.rng(model, "quality").normal(0.0, 1.0, n)[seen]
            quality = np.clip(
                pr.quality_base
                + pr.quality_skill * (W.skill[w] - 0.5)
                + pr.quality_context * (wp.agency_context - 0.5)
                - pr.quality_pressure * load
                + pr.quality_sd * z,
                0,
                1,
            )
            c.fidelity[seen] += (quality - c.fidelity[seen]) / c.contacts[seen]
            dosed = c.contacts[seen] >= pr.fidelity_dose * c.planned[seen]
            c.high_fidelity[seen] = (c.fidelity[seen] >= pr.fidelity_cut) & dosed
        gain = (
            pr.trust_gain
            * (1.0 + wp.empathy_trust * (W.empathy[w] - 0.5))
            * (1.0 + wp.lived_trust * W.lived_experience[w])
        )
        c.trust[seen] += np.clip(gain, 0, 1) * (1.0 - c.trust[seen])
        if pr.coproduction > 0:
            self.agree_goal(model, seen[(c.contacts[seen] == 1) & (c.goal[seen] < 0)])
            self.step_back(model, seen)

    def agree_goal(self, model: ModelState, who: np.ndarray) -> None:
        """Worker and person agree one of the person's objectives as their shared goal,
        preferring (``goal_local``) one a resource in the person's neighbourhood serves."""
        if len(who) == 0:
            return
        res, tg, pr = model.resources, model.targets, model.params.programme
        n_areas = len(model.area_bounds) - 1
        kinds = np.zeros((n_areas, SERVES.shape[0]), bool)
        kinds[res.area % n_areas, res.kind] = True
        served = (kinds.astype(np.int64) @ SERVES.astype(np.int64)) > 0  # (areas, objectives)
        local = served[model.people.area[who] % n_areas]
        weight = tg.objectives[who] * (1.0 + pr.goal_local * local)
        total = weight.sum(axis=1)
        u = self.rng(model, "goal").random(model.n_target)[who] * total
        pick = (np.cumsum(weight, axis=1) <= u[:, None]).sum(axis=1)
        has = total > 0
        self.clients.goal[who[has]] = np.minimum(pick[has], weight.shape[1] - 1)

    def step_back(self, model: ModelState, seen: np.ndarray) -> None:
        """Co-produced work helps some people step back from one live negative tie ('bad'
        social capital, SRC-CP-MODEL): the tie ends, tagged with the mobilisation pathway (so
        only while that pathway is on)."""
        pr, t, n = model.params.programme, model.ties, model.n_target
        if pr.step_back <= 0 or not model.params.pathways.mobilisation:
            return
        u = self.rng(model, "step_back").random((n, 2))[seen]
        helped = u[:, 0] < pr.step_back * component_strength(model, pr.coproduction)[seen]
        if not helped.any():
            return
        bad = model.live_ties() & t.negative & (t.kind != KIND["partner"])
        tie = model.random_tie_of(seen[helped], u[helped, 1], among=bad)
        rows = tie[tie >= 0]
        model.end_ties(rows)
        model.count_exits(t.circle[rows])
        t.changed_by[rows] = ORIGIN["mobilisation"]
        self.clients.stepped_back[t.ego[rows]] += 1

    def discharge(self, model: ModelState, who: np.ndarray) -> None:
        """The programme ends for ``who``: their places on caseloads free up."""
        c, W = self.clients, self.workers
        who = who[c.active[who]]
        c.active[who] = False
        c.discharged[who] = model.week
        W.clients = W.clients - np.bincount(c.worker[who], minlength=len(W))

    def self_guide(self, model: ModelState) -> None:
        """The booklet or website as a route of its own (P6): in their first
        ``booklet_weeks`` weeks after referral, with or without a call, a person acts on it
        alone with weekly chance ``booklet_act`` x ``booklet`` x (1 - barrier to take-up):
        takes up a resource of their own choosing among those it lists (ones that take
        referrals, by their own preference and acceptability). A quick change on the
        availability of a fit, tagged as the nudge's (off with ``pathways.nudge``)."""
        pr, c, n, P = model.params.programme, self.clients, model.n_target, model.params.pathways
        if pr.booklet_act <= 0 or pr.booklet <= 0 or not P.nudge:
            return
        since = model.week - c.referred
        reading = (c.referred >= 1) & (since < pr.booklet_weeks)
        b = model.barriers()
        barrier = rules.take_up_barrier(b, model.params.attendance)
        rng = self.rng(model, "booklet")
        u = rng.random((n, 1 + CHOICE_DRAWS))
        who = np.flatnonzero(reading & (u[:, 0] < pr.booklet_act * pr.booklet * (1.0 - barrier)))
        if len(who) == 0:
            return
        tg, res = model.targets, model.resources
        weight = tg.prefs[who] * tg.acceptability[who]  # their own choice, not a match
        resource = choose_resources(
            who, model.people, tg, res, u[who, 1:], model.params.attendance.other_area,
            weight, res.referrals,
        )  # fmt: skip
        rows = model.start_attending(who, resource, ORIGIN["nudge"])
        changes.count(model, model.attendance.person[rows], "taken_up", ORIGIN["nudge"])

    def end_help(self, model: ModelState) -> None:
        """The worker's help with a resource taken up ends after ``facilitated_visits``
        visits, or when the person leaves the programme."""
        a, c, pr = model.attendance, self.clients, model.params.programme
        rows = np.flatnonzero(a.helped > 0)
        done = (a.visits[rows] >= pr.facilitated_visits) | ~c.active[a.person[rows]]
        a.helped[rows[done]] = 0.0

    def relieve(self, model: ModelState) -> None:
        """Transport support and facilitation ease access and information while on the
        programme; the booklet or website eases information for everyone referred, from
        referral on."""
        c, pr = self.clients, model.params.programme
        c.access_relief = np.where(c.active, component_strength(model, pr.transport_support), 0.0)
        facilitated = np.where(c.active, component_strength(model, pr.facilitation), 0.0)
        booklet = np.where(c.referred >= 1, pr.booklet, 0.0)
        c.information_relief = np.maximum(facilitated, booklet)
