"""Step 4: the programme: referral, the workers' journey and turnover, contacts, disengagement."""

from __future__ import annotations

import numpy as np

from netmob.sim import rules
from netmob.sim.agents import Worker
from netmob.sim.processes.base import Process
from netmob.sim.programmes.eligibility import evaluate, rule_names
from netmob.sim.programmes.state import CLIENT_SCHEMA, NEVER, WORKER_SCHEMA
from netmob.sim.programmes.workforce import places, workers_fte
from netmob.sim.state import BARRIER
from netmob.sim.tables import Table


def component_strength(model, component: float) -> np.ndarray:
    """A component's strength for each client: full with high fidelity, reduced without."""
    high = model.clients.high_fidelity
    return component * np.where(high, 1.0, model.params.programme.low_fidelity)


def person_column(model, name: str) -> np.ndarray:
    """A per-target-person value named in an eligibility rule."""
    pp, n = model.people, model.n_target
    if name == "lonely":
        return pp.ucla[:n] >= model.params.wellbeing.lonely_cut
    if name == "network_size":
        return model.network_size()
    if name == "network_type":
        from netmob.sim.measures import network_frame

        return network_frame(model)["type"]
    return pp._cols[name][:n]


class ProgrammeDelivery(Process):
    """Eligible people are referred at ``refer_rate``; referrals wait for a free place on a
    worker's caseload (giving up at ``wait_leave`` a week), where a dose is planned (1 + Poisson, mean ``contacts``: people want
    and need different amounts); planned contacts happen or are missed depending on capacity to
    engage, barriers and the worker's skill; a missed contact can end engagement. Workers
    learn their area week by week (the worker's journey); when one leaves, the agency
    keeps a share of their knowledge for the replacement (agency context). The workforce is
    sized in week 1 on who is eligible then (``netmob.sim.programmes.workforce``). Nothing happens
    before week 1, and a programme that refers nobody draws nothing that other processes
    see."""

    name = "programme"
    # attendance: barriers (model.barriers); wellbeing: eligibility rules naming ``lonely``
    # (``network_type`` uses the typology fitted at week 0, kept in ``model.baseline``);
    # run: the horizon the workforce is sized for
    params = ("programme", "workers", "attendance", "wellbeing", "run")

    def setup(self, model) -> None:
        model.clients = Table(CLIENT_SCHEMA, capacity=model.n_target)
        model.clients.append(referred=np.full(model.n_target, NEVER))
        model.workers = Table(WORKER_SCHEMA, capacity=1)  # hired in week 1
        model.contact_now = np.zeros(model.n_target, bool)

    def hire(self, model) -> None:
        """The workforce, sized in the programme's first week on who is eligible then."""
        pr, wp = model.params.programme, model.params.workers
        rng = model.streams.get("workers", 0, "hire")
        weeks = model.params.run.weeks
        fte = workers_fte(self.eligible(model).sum(), model.n_target, pr, weeks)
        k = len(fte)
        model.workers = Table(WORKER_SCHEMA, capacity=max(k, 1))
        model.workers.append(
            skill=np.clip(rng.normal(wp.skill, wp.skill_sd, k), 0, 1),
            knowledge=np.full(k, wp.knowledge_start),
            hired=np.full(k, 1),
            fte=fte,
            places=places(fte, pr),
        )
        model.add_agents_lazily(lambda: Worker.create_agents(model, k, idx=np.arange(k)))

    def step(self, model) -> None:
        model.contact_now = np.zeros(model.n_target, bool)
        if model.week < 1:
            return
        if model.week == 1:
            self.hire(model)
        self.refer(model)
        self.staff(model)
        self.assign(model)
        self.wait(model)
        self.contact(model)
        self.relieve(model)

    def refer(self, model) -> None:
        """Eligible people not yet referred are referred at ``refer_rate`` a year (in the
        first ``refer_weeks`` weeks only, if set)."""
        pr, c, n = model.params.programme, model.clients, model.n_target
        if pr.refer_rate <= 0 or 0 < pr.refer_weeks < model.week:
            return
        c.eligible = self.eligible(model)
        u = self.rng(model, "refer").random(n)
        new = c.eligible & (c.referred == NEVER) & (u < rules.weekly(pr.refer_rate))
        c.referred[new] = model.week
        high = self.rng(model, "fidelity").random(n) < pr.fidelity
        c.high_fidelity[new] = high[new]

    @staticmethod
    def eligible(model) -> np.ndarray:
        """Who the programme's eligibility rule admits now."""
        pr = model.params.programme
        cols = {name: person_column(model, name) for name in rule_names(pr.eligible)}
        return evaluate(pr.eligible, cols, model.n_target)

    def staff(self, model) -> None:
        """The workers' journey (knowledge grows), turnover, vacancies and replacements."""
        W, wp, week = model.workers, model.params.workers, model.week
        if len(W) == 0:
            return
        on = W.employed
        W.knowledge[on] += wp.knowledge_growth * (1.0 - W.knowledge[on])
        W.weeks_paid[on] += 1
        leave = on & (self.rng(model, "turnover").random(len(W)) < rules.weekly(wp.turnover))
        W.employed[leave] = False
        W.vacant_until[leave] = week + wp.vacancy_weeks
        kept = wp.agency_context * W.knowledge[leave]
        W.knowledge[leave] = kept + (1.0 - wp.agency_context) * wp.knowledge_start
        back = ~W.employed & (W.vacant_until <= week)
        W.employed[back] = True
        W.hired[back] = week
        skill = self.rng(model, "skill").normal(wp.skill, wp.skill_sd, len(W))
        W.skill[back] = np.clip(skill, 0, 1)[back]

    def assign(self, model) -> None:
        """Waiting referrals, oldest first, to the free places on workers' caseloads."""
        c, W, pr = model.clients, model.workers, model.params.programme
        waiting = np.flatnonzero((c.referred >= 1) & (c.worker < 0) & (c.discharged == NEVER))
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

    def wait(self, model) -> None:
        """People still on the waiting list give up at ``wait_leave`` a week."""
        c, n = model.clients, model.n_target
        waiting = (c.referred >= 1) & (c.worker < 0) & (c.discharged == NEVER)
        u = self.rng(model, "wait_leave").random(n)
        gone = waiting & (u < model.params.programme.wait_leave)
        c.left_waiting[gone] = True
        c.discharged[gone] = model.week

    def contact(self, model) -> None:
        """Planned contacts happen or are missed; a miss may end engagement."""
        c, W, pr, week, n = (
            model.clients,
            model.workers,
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
        met = self.rng(model, "contact").random(n)[due] < p
        seen, missed = due[met], due[~met]
        c.contacts[seen] += 1
        c.last_contact[seen] = week
        model.contact_now[seen] = True
        c.missed[missed] += 1
        drop = missed[self.rng(model, "dropout").random(n)[missed] < pr.dropout]
        c.disengaged[drop] = True
        c.next_contact[due] = week + pr.interval
        done = due[(c.contacts[due] + c.missed[due]) >= c.planned[due]]
        self.discharge(model, np.union1d(drop, done))

    def discharge(self, model, who: np.ndarray) -> None:
        """The programme ends for ``who``: their places on caseloads free up."""
        c, W = model.clients, model.workers
        who = who[c.active[who]]
        c.active[who] = False
        c.discharged[who] = model.week
        W.clients = W.clients - np.bincount(c.worker[who], minlength=len(W))

    def relieve(self, model) -> None:
        """Transport support and facilitation ease access and information while on the programme."""
        c, pr = model.clients, model.params.programme
        c.access_relief = np.where(c.active, component_strength(model, pr.transport_support), 0.0)
        c.information_relief = np.where(c.active, component_strength(model, pr.facilitation), 0.0)
