"""The reference engine: the same weekly rules, applied agent by agent in plain Mesa style.

It exists to be read and to check the vectorised engine: each :class:`RefPerson` carries
its own state as attributes and its own ties as objects, and every process is a method
called on every agent in turn. The probabilities and targets come from ``netmob.sim.rules``, the
same functions the vectorised engine calls on whole columns. It starts from the same
community as :class:`~netmob.sim.model.NetworkModel` (same seed, same people and ties) and
shares its random numbers: each week it draws the same arrays from the same streams (one
uniform per person, per tie row or per attendance row, as the vectorised engine does) and
each agent reads its own entries. The two engines therefore make the same draws for the
same person or tie (common random numbers), so paired runs differ only where the code
does, plus float32 rounding in the vectorised engine's columns; a paired comparison can
then detect a drift far smaller than a programme's effect.

It imports what it shares with the vectorised engine rather than retyping it: the rules
and their coefficients, the state's codes (``BARRIER``, ``KIND``, ``ORIGIN``), the scales'
ranges, each process's stream and the purposes it draws for
(:func:`~netmob.sim.processes.base.draw`, which refuses a purpose the process does not
declare), and the order of the week (:data:`~netmob.sim.schedule.CORE_PROCESSES`, the
processes of :mod:`netmob.sim.schedule` that run without a programme, each mapped to its
agent-by-agent method here). The loop around the week, the measures and data collection
are the vectorised engine's own (:class:`~netmob.sim.engine.Engine`).

It covers the core dynamics (the schedule's steps 1-3 and 6-7) with no programme,
and refuses a scenario that runs one (:func:`refuse_programme`). It is slow by design
(the benchmark's baseline), so use it for small populations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import mesa
import numpy as np

from netmob.sim import rules
from netmob.sim.community import CHOICE_DRAWS, build_community
from netmob.sim.engine import Engine
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.processes.attendance import ResourceAttendance
from netmob.sim.processes.base import Process, draw
from netmob.sim.processes.health import HealthProgression
from netmob.sim.processes.outcomes import MH_STREAMS, Outcomes
from netmob.sim.processes.support import ILLNESS, SupportFlow
from netmob.sim.processes.ties import TieDynamics
from netmob.sim.records import AttendanceRecord, TieRecord, check_columns
from netmob.sim.schedule import CORE_PROCESSES
from netmob.sim.state import (
    BARRIER,
    KIND,
    OBJECTIVE,
    ORIGIN,
    SERVES,
    Attendance,
    Community,
    Links,
    People,
    Resources,
    StateViews,
    Targets,
    Ties,
)
from netmob.sim.tables import Table
from netmob.sim.vocabulary import OBJECTIVES, SUPPORT_TYPES, SWEMWBS_SCALE, UCLA_SCALE

ACCESS, PHYSICAL, COMPLICATED = BARRIER["access"], BARRIER["physical"], BARRIER["complicated_life"]
INFORMATION, STIGMA = BARRIER["information"], BARRIER["stigma"]
PROGRAMME_ALLOWED = "none with --engine reference; programmes run on the vector engine"


def refuse_programme(params: Params) -> None:
    """Raise :class:`InputError` if ``params`` would run a programme, which this engine lacks.

    A programme runs if a preset is chosen, or if people are referred or workers paid
    without one; the error names the first such field (an engine that silently ran the
    scenario without its programme would report a programme's results that are not).
    """
    pr = params.programme
    if pr.preset != "none":
        raise InputError(
            "the reference engine has no programme",
            field="programme.preset",
            value=pr.preset,
            allowed=PROGRAMME_ALLOWED,
        )
    for name in ("refer_rate", "workers"):
        if getattr(pr, name) > 0:
            raise InputError(
                "the reference engine has no programme",
                field=f"programme.{name}",
                value=getattr(pr, name),
                allowed="0 with --engine reference; programmes run on the vector engine",
            )


class RefResource(mesa.Agent):
    """A community resource with its attributes as Python values (the columns of
    :class:`~netmob.sim.state.Resources`, checked by :func:`check_columns`)."""

    model: ReferenceModel
    idx: int
    kind: int
    area: int
    places: float
    cost: float
    accessibility: float
    acceptability: float
    open_weeks: float
    funded: bool
    referrals: bool
    attendees: int

    def __init__(self, model: ReferenceModel, idx: int, **state: Any) -> None:
        super().__init__(model)
        self.idx = idx
        self.__dict__.update(state)
        self.present: list[AttendanceRecord] = []  # attendance records present this week


class RefPerson(mesa.Agent):
    """A person with state as attributes (the columns of :class:`~netmob.sim.state.People`,
    checked by :func:`check_columns`); a target person also has their rows of
    :class:`~netmob.sim.state.Targets`, ties and attendance."""

    model: ReferenceModel
    idx: int
    is_target: bool
    ego: int
    age: float
    male: bool
    area: int
    smi: bool
    diagnosis: int
    n_conditions: int
    lives_alone: bool
    has_partner: bool
    housing: int
    education: int
    disability: bool
    deprivation: float
    pet: bool
    dog: bool
    burden_chronic: float
    burden_acute: float
    burden: float
    exacerbation: bool
    need: float
    self_mgmt: float
    tie_capacity: float
    capacity_engage: float
    support_received: float
    support_partner: float
    support_others: float
    support_gap: float
    support_given: float
    illness_coverage: float
    swemwbs_level: float
    swemwbs: float
    ucla: float
    eq5d_level: float
    eq5d: float
    qalys: float
    attending: int
    accompanying: int
    gp_visits: int
    ae_visits: int
    admissions: int
    service_cost: float
    mh_crises: int
    mh_contacts: int
    mh_bed_days: int
    mh_cost: float
    mh_crisis_week: int
    # a target person's rows of Targets
    barriers: np.ndarray
    prefs: np.ndarray
    acceptability: np.ndarray
    objectives: np.ndarray
    achieved: np.ndarray
    achieved_by: np.ndarray

    def __init__(self, model: ReferenceModel, idx: int, **state: Any) -> None:
        super().__init__(model)
        self.idx = idx
        self.__dict__.update(state)
        self.ties: list[TieRecord] = []
        self.going: list[AttendanceRecord] = []

    # -- helpers -------------------------------------------------------------------
    def live_ties(self) -> list[TieRecord]:
        return [t for t in self.ties if t.active and not t.dormant]

    def size(self) -> int:
        return sum(1 for t in self.ties if t.active and not t.dormant)

    def eff_barriers(self) -> np.ndarray:
        return rules.effective_barriers(self.barriers, self.model.params.attendance)

    # -- 1. health -------------------------------------------------------------------
    def progress_health(self, u: float) -> None:
        h = self.model.params.health
        ex = u < rules.exacerbation_prob(self.n_conditions, h)
        self.burden_chronic = min(
            max(self.burden_chronic + rules.chronic_drift(self.self_mgmt, h), 0), 1
        )
        self.burden_acute = self.burden_acute * (1 - h.recovery) + ex * h.exacerbation_jump
        self.burden = min(max(self.burden_chronic + self.burden_acute, 0.0), 1.0)
        self.exacerbation = ex
        self.need = rules.support_need(self.burden, h)
        self.barriers[PHYSICAL] = self.burden

    # -- 2. support ----------------------------------------------------------------------
    def draw_support(self) -> None:
        need = self.need * rules.need_shares(self.model.params.health)
        live = self.live_ties()
        nw = self.model.params.network
        drawable = [
            t.cap * t.value_subj * (not t.negative) * rules.support_shares(t.kind, t.nearby, nw)
            for t in live
        ]
        strain = nw.negative_strain * sum(t.negative for t in live)
        types = range(len(SUPPORT_TYPES))
        avail = np.sum(drawable, axis=0) if live else np.zeros(len(types))
        ratio = [min(1.0, need[j] / avail[j]) if avail[j] > 0 else 0.0 for j in types]
        received = [min(need[j], avail[j]) for j in types]
        for t in self.ties:
            t.given = 0.0
        from_partner = 0.0
        for t, d in zip(live, drawable, strict=True):
            t.given = float(sum(d[j] * ratio[j] for j in types))
            self.model.person(t.alter).support_given += t.given
            if t.kind == KIND["partner"]:
                from_partner += t.given
        self.support_received = sum(received)
        self.support_partner = from_partner
        self.support_others = self.support_received - from_partner
        self.support_gap = self.need - self.support_received + strain
        self.illness_coverage = received[ILLNESS] / need[ILLNESS] if need[ILLNESS] > 0 else 1.0

    # -- 3. attendance -----------------------------------------------------------------
    def take_up(self, u: float, u_choose: np.ndarray) -> None:
        a = self.model.params.attendance
        b = self.eff_barriers()
        barrier = rules.barrier_to_take_up(b[ACCESS], b[PHYSICAL], b[INFORMATION], b[STIGMA], a)
        n_att = sum(1 for g in self.going if g.active)
        if u < rules.take_up_prob(barrier, n_att, a):
            r = self.model.choose_resource(self, u_choose)
            if r is not None and not any(g.active and g.resource == r.idx for g in self.going):
                self.model.add_attendance(self, r, ORIGIN["organic"])

    def want_to_attend(self, u: np.ndarray, is_open: dict[int, bool]) -> None:
        """Join the queue at each resource this week (``u``: one uniform per attendance row)."""
        a = self.model.params.attendance
        b = self.eff_barriers()
        barrier = rules.barrier_to_attend(b[ACCESS], b[PHYSICAL], b[COMPLICATED], a)
        for g in self.going:
            if not g.active:
                continue
            r = self.model.resource(g.resource)
            cost_left = rules.cost_factor(r.cost, self.deprivation, a)
            p = rules.attend_prob(
                barrier, cost_left, is_open[r.idx], a
            ) * rules.accessibility_factor(r.accessibility, a)
            if u[g.row] < p:
                r.present.append(g)

    def give_up(self, u: np.ndarray) -> None:
        a = self.model.params.attendance
        b = self.eff_barriers()
        barrier = rules.barrier_to_attend(b[ACCESS], b[PHYSICAL], b[COMPLICATED], a)
        for g in self.going:
            if g.active and u[g.row] < rules.stop_prob(barrier, a):
                g.active = False
                g.stop = self.model.week

    # -- 3. ties ------------------------------------------------------------------------
    def meet(self, u: np.ndarray, u_who: np.ndarray, gate: float) -> list[tuple]:
        """Proposed ties to people met at resources: ``(attendance row, ego, alter, kind,
        freq, via)`` (``u``, ``u_who``: one uniform per attendance row)."""
        t = self.model.params.ties
        out = []
        for g in self.going:
            if g.attended and g.visits >= t.familiarity and u[g.row] < t.meet * gate:
                present = self.model.resource(g.resource).present
                other = present[min(int(u_who[g.row] * len(present)), len(present) - 1)].person
                if other != self.idx:
                    out.append((g.row, self.idx, other, KIND["group"], t.freq_met, None))
        return out

    def close_triad(self, u: Sequence[float], gate: float) -> list[tuple]:
        """A proposed tie to a neighbour introduced by a member, as for :meth:`meet`
        (``u``: whether, which member, which neighbour, which kind)."""
        if u[0] >= rules.weekly(self.model.params.ties.triadic) * gate:
            return []
        live = self.live_ties()
        if not live:
            return []
        via = live[min(int(u[1] * len(live)), len(live) - 1)]
        neighbours = self.model.area_list[self.area]
        alter = neighbours[min(int(u[2] * len(neighbours)), len(neighbours) - 1)]
        T = self.model.params.ties
        kind = KIND["friend"] if u[3] < T.triadic_friend else KIND["neighbour"]
        if alter == self.idx:
            return []
        return [(self.idx, self.idx, alter, kind, T.freq_triadic, via.row)]

    def update_ties(self, u: tuple[np.ndarray, np.ndarray, np.ndarray], size: int) -> None:
        """Strength, capacity, loss, dormancy and waking of each tie (``u``: the loss,
        contact and dormancy uniforms, one per tie row)."""
        T, S, model = self.model.params.ties, self.model.params.support, self.model
        cap_ties = self.tie_capacity
        u_loss, u_contact, u_dormancy = u
        for t in self.ties:
            if not t.active:
                continue
            lost = u_loss[t.row] < rules.loss_prob(t.circle, size, cap_ties, T)
            awake = not t.dormant
            if awake:
                contact = u_contact[t.row] < rules.contact_prob(t.freq)
                t.strength = float(rules.next_strength(t.strength, contact, t.circle, T))
            u_t = u_dormancy[t.row]
            t.cap = float(rules.tie_capacity(t.kind, t.circle, t.strength, S))
            if lost:
                t.active, t.ended = False, model.week
                if t.kind == KIND["partner"]:
                    self.has_partner = False
                model.count_exit(t.circle)
            elif awake and u_t < rules.dormancy_prob(t.circle, t.strength, T):
                t.dormant, t.dormant_since = True, model.week
                model.count_exit(t.circle)
            elif not awake and u_t < rules.weekly(T.reactivation) * rules.formation_gate(
                size, cap_ties
            ):
                t.dormant = False

    # -- 6. outcomes -------------------------------------------------------------------
    def achieve_objectives(self, u_lapse: np.ndarray) -> None:
        """Objectives no active attendance serves lapse (``u_lapse``: one uniform per
        objective); then those ``objective_visits`` visits to a serving resource achieve."""
        rate = self.model.params.wellbeing.objective_lapse
        served = np.zeros(len(self.achieved), bool)
        for g in self.going:
            if g.active:
                served |= SERVES[self.model.resource(g.resource).kind]
        for o in np.flatnonzero(self.achieved & ~served):
            if u_lapse[o] < rate:
                self.achieved[o] = False
        for g in self.going:
            if not (g.active and g.visits >= self.model.params.wellbeing.objective_visits):
                continue
            kind = self.model.resource(g.resource).kind
            for o in np.flatnonzero(SERVES[kind] & self.objectives):
                if not self.achieved[o]:
                    self.achieved[o] = True
                    self.achieved_by[o] = (
                        g.origin if g.origin >= ORIGIN["nudge"] else ORIGIN["organic"]
                    )

    def update_wellbeing(self, z_ucla: float, z_swemwbs: float) -> None:
        """Loneliness, wellbeing, EQ-5D, self-management and QALYs (``z_*``: the noises)."""
        w = self.model.params.wellbeing
        live = self.live_ties()
        negative = sum(1 for t in live if t.negative)
        company = [t for t in live if rules.company(t.negative, w)]  # negative: strain
        frequent = sum(1 for t in company if t.freq >= rules.FREQUENT_CONTACT)
        inner = sum(1 for t in company if t.circle == 1)
        target = rules.ucla_target(frequent, inner, self.attending, self.smi, self.pet, w, negative)
        self.ucla = float(rules.ar1(self.ucla, target, z_ucla, w, *UCLA_SCALE))
        target = rules.swemwbs_target(
            self.swemwbs_level,
            self.support_gap,
            self.ucla,
            self.burden,
            self.attending,
            int(self.achieved.sum()),
            self.smi,
            self.pet,
            rules.recent_crisis(self.model.week, self.mh_crisis_week, w),
            w,
        )
        self.swemwbs = float(rules.ar1(self.swemwbs, target, z_swemwbs, w, *SWEMWBS_SCALE))
        self.eq5d = float(
            rules.eq5d(
                self.burden,
                self.swemwbs,
                sum(g.active for g in self.going),
                self.eq5d_level,
                w,
            )
        )
        sm = rules.self_mgmt_target(
            self.illness_coverage, self.achieved[OBJECTIVE["manage_condition"]], w
        )
        self.self_mgmt += w.self_mgmt_support * (float(sm) - self.self_mgmt)
        if self.model.week >= 1:
            self.qalys += self.eq5d / rules.WEEKS_PER_YEAR

    def update_member_wellbeing(self, z: float) -> None:
        w, s = self.model.params.wellbeing, self.model.params.support
        target = rules.member_swemwbs_target(
            self.swemwbs_level, self.support_given, self.accompanying, w, s
        )
        self.swemwbs = float(rules.ar1(self.swemwbs, target, z, w, *SWEMWBS_SCALE))

    def use_services(self, u_gp: float, u_ae: float, u_admit: float) -> None:
        sv = self.model.params.services
        gp = rules.poisson_count(u_gp, rules.gp_rate(self.burden, self.support_gap, sv))
        ae = self.exacerbation and u_ae < sv.ae_per_exacerbation
        admit = self.exacerbation and u_admit < rules.admission_prob(self.support_gap, sv)
        if self.model.week >= 1:
            self.gp_visits += gp
            self.ae_visits += int(ae)
            self.admissions += int(admit)
            self.service_cost += gp * sv.gp_cost + ae * sv.ae_cost + admit * sv.admission_cost

    def use_mental_health_services(self, u: Sequence[float]) -> None:
        """Contacts, crises and bed-days if the person has SMI (``u``: the crisis, contacts,
        admission and length-of-stay uniforms)."""
        if not self.smi:
            return
        sv = self.model.params.services
        u_crisis, u_contacts, u_admit, u_stay = u
        kinds = {t.kind for t in self.live_ties() if t.kind != KIND["formal"]}
        places = sum(g.active for g in self.going)
        rate = rules.crisis_rate(self.support_gap, self.need, places, len(kinds), sv)
        crisis = bool(u_crisis < rules.weekly(rate))
        contacts = rules.poisson_count(u_contacts, rules.mh_contact_rate(crisis, sv))
        bed_days = (
            rules.length_of_stay(u_stay, sv) if crisis and u_admit < sv.crisis_admission else 0
        )
        if crisis:
            self.mh_crisis_week = self.model.week
        if self.model.week >= 1:
            cost = contacts * sv.mh_contact_cost + bed_days * sv.bed_day_cost
            self.mh_crises += int(crisis)
            self.mh_contacts += contacts
            self.mh_bed_days += bed_days
            self.mh_cost += cost
            self.service_cost += cost


class ReferenceModel(Engine):
    """The reference engine: the schedule's core processes, agent by agent.

    Args:
        params: Every parameter (defaults if omitted); no programme may run.
        seed: The run's one seed: the same community and the same draws as
            :class:`~netmob.sim.model.NetworkModel` from the same seed.

    Raises:
        InputError: if ``params`` runs a programme (see :func:`refuse_programme`), before
            any community is built.
    """

    def __init__(self, params: Params | None = None, seed: int = 0) -> None:
        params = params or Params()
        refuse_programme(params)
        super().__init__(params, seed)
        c = build_community(self.params, self.streams)
        self.n_target = c.n_target
        self._people: list[RefPerson] = []
        self._make_people(c)
        self._resources = [
            RefResource(self, i, **{k: v[i].item() for k, v in c.resources.to_dict().items()})
            for i in range(len(c.resources))
        ]
        self.tie_list: list[TieRecord] = []
        for row, state in enumerate(_rows(c.ties)):
            tie = TieRecord(row, **state)
            self.tie_list.append(tie)
            self._people[tie.ego].ties.append(tie)
        self.links = [(int(a), int(b)) for a, b in zip(c.links.ta, c.links.tb, strict=True)]
        self.att_list: list[AttendanceRecord] = []
        for row, state in enumerate(_rows(c.attendance)):
            g = AttendanceRecord(row, **state)
            self.att_list.append(g)
            self._people[g.person].going.append(g)
        self.area_list = [
            c.area_people[c.area_bounds[a] : c.area_bounds[a + 1]].tolist()
            for a in range(len(c.area_bounds) - 1)
        ]
        if self.week == 0:
            self.start_horizon()

    def _make_people(self, c: Community) -> None:
        cols = c.people.to_dict()
        tg = c.targets
        for i in range(len(c.people)):
            state = {k: v[i].item() for k, v in cols.items()}
            if i < c.n_target:
                state |= {
                    "barriers": tg.barriers[i].astype(float).copy(),
                    "prefs": tg.prefs[i].copy(),
                    "acceptability": tg.acceptability[i].copy(),
                    "objectives": tg.objectives[i].copy(),
                    "achieved": tg.achieved[i].copy(),
                    "achieved_by": tg.achieved_by[i].copy(),
                }
            self._people.append(RefPerson(self, i, **state))

    def person(self, idx: int) -> RefPerson:
        return self._people[idx]

    def resource(self, idx: int) -> RefResource:
        return self._resources[idx]

    @property
    def targets_list(self) -> list[RefPerson]:
        return self._people[: self.n_target]

    def draw(self, process: type[Process], purpose: str) -> np.random.Generator:
        """``process``'s stream this week for ``purpose``: the generator the vectorised
        engine's process gets (its declared purposes only)."""
        return draw(process, self, purpose)

    # ---- the week: the schedule's core processes, agent by agent ---------------------
    def advance(self) -> None:
        """The processes of :data:`~netmob.sim.schedule.CORE_PROCESSES`, in the schedule's
        order, each by its method in :data:`WEEK`."""
        for process in CORE_PROCESSES:
            WEEK[process](self)

    def health_week(self) -> None:
        """Step 1 (:class:`~netmob.sim.processes.health.HealthProgression`)."""
        u = self.draw(HealthProgression, "exacerbation").random(self.n_target)
        for p in self.targets_list:
            p.progress_health(u[p.idx])

    def support_week(self) -> None:
        """Step 2 (:class:`~netmob.sim.processes.support.SupportFlow`)."""
        for p in self._people:
            p.support_given = 0.0
        for p in self.targets_list:
            p.draw_support()

    def outcomes_week(self) -> None:
        """Step 6 (:class:`~netmob.sim.processes.outcomes.Outcomes`)."""
        targets, n = self.targets_list, self.n_target
        w, rng = self.params.wellbeing, self.draw(Outcomes, "wellbeing")
        z_ucla, z_swemwbs = rng.normal(0, w.ucla_noise, n), rng.normal(0, w.noise, n)
        u_lapse = self.draw(Outcomes, "lapse").random((n, len(OBJECTIVES)))
        for p in targets:
            p.achieve_objectives(u_lapse[p.idx])
            p.update_wellbeing(z_ucla[p.idx], z_swemwbs[p.idx])
        z = self.draw(Outcomes, "members").normal(0, w.noise, len(self._people) - n)
        for p in self._people[n:]:
            p.update_member_wellbeing(z[p.idx - n])
        u_gp, u_ae, u_admit = (self.draw(Outcomes, k).random(n) for k in ("gp", "ae", "admission"))
        for p in targets:
            p.use_services(u_gp[p.idx], u_ae[p.idx], u_admit[p.idx])
        u_mh = [self.draw(Outcomes, k).random(n) for k in MH_STREAMS]
        for p in targets:
            p.use_mental_health_services(tuple(float(x[p.idx]) for x in u_mh))

    def attendance_week(self) -> None:
        """Step 3, first part (:class:`~netmob.sim.processes.attendance.ResourceAttendance`)."""
        targets, n = self.targets_list, self.n_target
        u = self.draw(ResourceAttendance, "take_up").random(n)
        u_choose = self.draw(ResourceAttendance, "choose").random((n, CHOICE_DRAWS))
        for p in targets:
            p.take_up(u[p.idx], u_choose[p.idx])
        u = self.draw(ResourceAttendance, "open").random(len(self._resources))
        is_open = {r.idx: u[r.idx] < r.open_weeks for r in self._resources}
        for r in self._resources:
            r.present = []
        u = self.draw(ResourceAttendance, "attend").random(len(self.att_list))
        for p in targets:
            p.want_to_attend(u, is_open)
        # a full resource turns away those with the latest places in the queue
        priority = self.draw(ResourceAttendance, "places").random(len(self.att_list))
        for p in self._people:
            p.attending, p.accompanying = 0, 0
        for g_ in self.att_list:
            g_.attended = False
        a = self.params.attendance
        for r in self._resources:
            queue = sorted(r.present, key=lambda rec: priority[rec.row])
            r.present = sorted(queue[: int(rules.open_places(r.places, r.funded, a))], key=_row)
            r.attendees = len(r.present)
            for rec in r.present:
                rec.attended = True
                rec.visits += 1
                self._people[rec.person].attending += 1
                if rec.member >= 0:
                    self._people[rec.member].accompanying = 1
        u = self.draw(ResourceAttendance, "give_up").random(len(self.att_list))
        for p in targets:
            p.give_up(u)

    def ties_week(self) -> None:
        """Step 3, second part (:class:`~netmob.sim.processes.ties.TieDynamics`)."""
        targets = self.targets_list
        sizes = [p.size() for p in targets]
        gates = [
            float(rules.formation_gate(s, p.tie_capacity))
            for s, p in zip(sizes, targets, strict=True)
        ]
        n_att, n = len(self.att_list), self.n_target
        u_meet, u_who = (self.draw(TieDynamics, k).random(n_att) for k in ("meet", "meet_who"))
        met = []
        for p, gate in zip(targets, gates, strict=True):
            met += p.meet(u_meet, u_who, gate)
        self.form_ties(sorted(met))  # in attendance-row order, as the vector engine
        rng = self.draw(TieDynamics, "triads")
        u_triads = np.column_stack([rng.random(n) for _ in range(4)])
        introduced = []
        for p, gate in zip(targets, gates, strict=True):
            introduced += p.close_triad(tuple(u_triads[p.idx]), gate)
        self.form_ties(introduced)
        n_ties = len(self.tie_list)
        u_loss, u_contact, u_dormancy = (
            self.draw(TieDynamics, k).random(n_ties) for k in ("loss", "contact", "dormancy")
        )
        for p, size in zip(targets, sizes, strict=True):
            p.update_ties((u_loss, u_contact, u_dormancy), size)

    # ---- operations ----------------------------------------------------------------
    def choose_resource(self, p: RefPerson, u: np.ndarray) -> RefResource | None:
        """A resource by preference x acceptability, in the neighbourhood if there is one
        (``u``: four uniforms: the kind, whether elsewhere, which area, which resource)."""
        w = p.prefs * p.acceptability
        c = np.cumsum(w)
        kind = min(int((c < u[0] * c[-1]).sum()), len(w) - 1)
        n_areas = max(r.area for r in self._resources) + 1
        away = u[1] < self.params.attendance.other_area
        area = int(math.floor(u[2] * n_areas)) if away else p.area % n_areas
        options = [r for r in self._resources if r.kind == kind and r.area == area]
        if not options:  # any resource of that kind, by area
            options = sorted(
                (r for r in self._resources if r.kind == kind), key=lambda r: (r.area, r.idx)
            )
        if not options:
            return None
        return options[min(int(math.floor(u[3] * len(options))), len(options) - 1)]

    def add_attendance(self, p: RefPerson, r: RefResource, origin: int) -> None:
        g = AttendanceRecord.new(
            len(self.att_list), person=p.idx, resource=r.idx, start=self.week, origin=origin
        )
        self.att_list.append(g)
        p.going.append(g)

    def form_ties(self, proposals: list[tuple]) -> None:
        """Form this week's proposed ties together, as the vectorised engine does: each
        ``(key, ego, alter, kind, freq, via)`` in turn (skipping a tie that exists), then
        the reverse tie for each target alter; a tie made through ``via`` is linked to it."""
        formed = []
        for _, ego, alter, kind, freq, via in proposals:
            tie = self.form_tie(self._people[ego], alter, kind, ORIGIN["organic"], freq=freq)
            if tie is not None:
                formed.append(tie)
                if via is not None:
                    self.links.append((via, tie.row))
        for tie in formed:
            if tie.alter < self.n_target:
                self.form_tie(self._people[tie.alter], tie.ego, tie.kind, tie.origin, freq=tie.freq)

    def form_tie(
        self,
        ego: RefPerson,
        alter: int,
        kind: int,
        origin: int,
        *,
        freq: float,
    ) -> TieRecord | None:
        """A new outer-circle tie ``ego -> alter``, unless one exists already."""
        if any(t.active and t.alter == alter for t in ego.ties):
            return None
        circle = rules.NEW_TIE_CIRCLE
        strength = float(rules.new_tie_strength(circle, self.params.ties))
        tie = TieRecord.new(
            len(self.tie_list),
            ego=ego.idx,
            alter=alter,
            kind=kind,
            circle=circle,
            strength=strength,
            freq=freq,
            formed=self.week,
            origin=origin,
            cap=float(rules.tie_capacity(kind, circle, strength, self.params.support)),
        )
        self.tie_list.append(tie)
        ego.ties.append(tie)
        self.counters.add_new(np.array([origin]), self.week)
        return tie

    def count_exit(self, circle: int) -> None:
        if self.week >= 1:
            self.counters.exits[circle] += 1

    # ---- export --------------------------------------------------------------------
    def columns(self) -> ColumnState:
        """The agents' state as the column tables the measures read (a snapshot)."""
        return ColumnState(self)


# Each core process of the schedule, done agent by agent (checked at import: a process
# added to the schedule's core needs its method here).
WEEK: dict[type[Process], Callable[[ReferenceModel], None]] = {
    HealthProgression: ReferenceModel.health_week,
    SupportFlow: ReferenceModel.support_week,
    ResourceAttendance: ReferenceModel.attendance_week,
    TieDynamics: ReferenceModel.ties_week,
    Outcomes: ReferenceModel.outcomes_week,
}
if set(WEEK) != set(CORE_PROCESSES):
    raise RuntimeError(
        "the reference engine has no agent-by-agent method for "
        f"{sorted(p.__name__ for p in set(CORE_PROCESSES) - set(WEEK))}"
    )
check_columns(RefPerson, People)
check_columns(RefResource, Resources)


class ColumnState(StateViews):
    """A snapshot of a :class:`ReferenceModel` in the vectorised engine's column layout
    (a :class:`~netmob.sim.model_state.ColumnView`)."""

    def __init__(self, m: ReferenceModel) -> None:
        self.params, self.week, self.n_target = m.params, m.week, m.n_target
        self.counters, self.baseline, self.step_seconds = m.counters, m.baseline, m.step_seconds
        self.people = _table(People, m._people)
        self.ties = _table(Ties, m.tie_list)
        self.links = Links(capacity=len(m.links))
        if m.links:
            ta, tb = zip(*m.links, strict=True)
            self.links.append(ta=ta, tb=tb)
        self.resources = _table(Resources, m._resources)
        self.attendance = _table(Attendance, m.att_list)
        tg = m.targets_list
        self.targets = Targets(
            barriers=np.array([p.barriers for p in tg]),
            prefs=np.array([p.prefs for p in tg]),
            acceptability=np.array([p.acceptability for p in tg]),
            objectives=np.array([p.objectives for p in tg]),
            achieved=np.array([p.achieved for p in tg]),
            achieved_by=np.array([p.achieved_by for p in tg]),
        )


def _rows(table: Table) -> Iterator[dict[str, Any]]:
    cols = table.to_dict()
    names = list(cols)
    for i in range(len(table)):
        yield {k: cols[k][i].item() for k in names}


def _table[T: Table](kind: type[T], objects: list[Any]) -> T:
    t = kind(capacity=max(len(objects), 1))
    if objects:
        t.append(**{k: [getattr(o, k) for o in objects] for k in kind.schema})
    return t


def _row(record: AttendanceRecord) -> int:
    return record.row
