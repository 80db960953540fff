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

It covers the core dynamics (DESIGN.md section 3, steps 1-3 and 6-7) with no programme,
and refuses a scenario that runs one (:func:`refuse_programme`). It is slow by design
(the benchmark's baseline), so use it for small populations.
"""

from __future__ import annotations

import math
import time
from functools import partial

import mesa
import numpy as np

from netmob.sim import measures, rules
from netmob.sim.community import build_community
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.processes.attendance import ResourceAttendance
from netmob.sim.processes.health import HealthProgression
from netmob.sim.processes.outcomes import MH_STREAMS, Outcomes
from netmob.sim.processes.ties import TieDynamics
from netmob.sim.state import (
    ATTENDANCE_SCHEMA,
    KIND,
    OBJECTIVE,
    ORIGIN,
    SERVES,
    TIE_SCHEMA,
    Attendance,
    Links,
    People,
    Resources,
    StateViews,
    Targets,
    Ties,
)
from netmob.sim.streams import Streams
from netmob.sim.tables import Table

ACCESS, PHYSICAL, COMPLICATED, INFORMATION, STIGMA = 4, 1, 2, 3, 0
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


class Record:
    """A plain object with one attribute per column of a schema (a tie, an attendance)."""

    def __init__(self, **state) -> None:
        self.__dict__.update(state)


class RefResource(mesa.Agent):
    """A community resource with its attributes as Python values."""

    def __init__(self, model: ReferenceModel, idx: int, **state) -> None:
        super().__init__(model)
        self.idx = idx
        self.__dict__.update(state)
        self.present: list[Record] = []  # attendance records present this week


class RefPerson(mesa.Agent):
    """A person with state as attributes; a target person also has ties and attendance."""

    def __init__(self, model: ReferenceModel, idx: int, **state) -> None:
        super().__init__(model)
        self.idx = idx
        self.__dict__.update(state)
        self.ties: list[Record] = []
        self.going: list[Record] = []  # attendance records

    # -- helpers -------------------------------------------------------------------
    def live_ties(self) -> list[Record]:
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
        avail = np.sum(drawable, axis=0) if live else np.zeros(3)
        ratio = [min(1.0, need[j] / avail[j]) if avail[j] > 0 else 0.0 for j in range(3)]
        received = [min(need[j], avail[j]) for j in range(3)]
        for t in self.ties:
            t.given = 0.0
        from_partner = 0.0
        for t, d in zip(live, drawable, strict=True):
            t.given = float(sum(d[j] * ratio[j] for j in range(3)))
            self.model.person(t.alter).support_given += t.given
            if t.kind == KIND["partner"]:
                from_partner += t.given
        self.support_received = sum(received)
        self.support_partner = from_partner
        self.support_others = self.support_received - from_partner
        self.support_gap = self.need - self.support_received + strain
        self.illness_coverage = received[2] / need[2] if need[2] > 0 else 1.0

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

    def close_triad(self, u: tuple[float, float, float, float], gate: float) -> list[tuple]:
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
    def achieve_objectives(self) -> None:
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
        frequent = sum(1 for t in live if t.freq >= rules.FREQUENT_CONTACT)
        inner = sum(1 for t in live if t.circle == 1)
        target = rules.ucla_target(frequent, inner, self.attending, self.smi, self.pet, w)
        self.ucla = float(rules.ar1(self.ucla, target, z_ucla, w, 3.0, 9.0))
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
        self.swemwbs = float(rules.ar1(self.swemwbs, target, z_swemwbs, w, 7.0, 35.0))
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
            self.qalys += self.eq5d / 52.0

    def update_member_wellbeing(self, z: float) -> None:
        w, s = self.model.params.wellbeing, self.model.params.support
        target = rules.member_swemwbs_target(
            self.swemwbs_level, self.support_given, self.accompanying, w, s
        )
        self.swemwbs = float(rules.ar1(self.swemwbs, target, z, w, 7.0, 35.0))

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

    def use_mental_health_services(self, u: tuple[float, float, float, float]) -> None:
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


class ReferenceModel(mesa.Model):
    """The reference engine; the same weekly order as :class:`~netmob.sim.model.NetworkModel`.

    Raises:
        InputError: if ``params`` runs a programme (see :func:`refuse_programme`), before
            any community is built.
    """

    def __init__(self, params: Params | None = None, seed: int = 0) -> None:
        params = params or Params()
        refuse_programme(params)
        super().__init__(rng=seed)
        self.params = params
        self.streams = Streams(seed)
        self.week = -self.params.run.burn_in
        c = build_community(self.params, self.streams)
        self.n_target = c.n_target
        self._people: list[RefPerson] = []
        self._make_people(c)
        self._resources = [
            RefResource(self, i, **{k: v[i].item() for k, v in c.resources.to_dict().items()})
            for i in range(len(c.resources))
        ]
        self.tie_list: list[Record] = []
        for row, state in enumerate(_rows(c.ties)):
            tie = Record(row=row, **state)
            self.tie_list.append(tie)
            self._people[tie.ego].ties.append(tie)
        self.links = [(int(a), int(b)) for a, b in zip(c.links.ta, c.links.tb, strict=True)]
        self.att_list: list[Record] = []
        for row, state in enumerate(_rows(c.attendance)):
            g = Record(row=row, **state)
            self.att_list.append(g)
            self._people[g.person].going.append(g)
        self.area_list = [
            c.area_people[c.area_bounds[a] : c.area_bounds[a + 1]].tolist()
            for a in range(len(c.area_bounds) - 1)
        ]
        self.counters = measures.Counters()
        self.baseline: dict = {}
        self.latest: dict = {}
        self.step_seconds = 0.0
        reporters = {k: partial(_latest, key=k) for k in measures.WEEKLY}
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        if self.week == 0:
            self.baseline = measures.baseline(self.as_columns())

    def _make_people(self, c) -> None:
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

    # ---- the week ------------------------------------------------------------------
    def step(self) -> None:
        """One week, agent by agent, in the vectorised engine's order."""
        t0 = time.perf_counter()
        self.week += 1
        g = partial(self.streams.get, week=self.week)
        targets, n = self.targets_list, self.n_target
        u = g(HealthProgression.stream, purpose="exacerbation").random(n)
        for p in targets:
            p.progress_health(u[p.idx])
        for p in self._people:
            p.support_given = 0.0
        for p in targets:
            p.draw_support()
        self._attendance_week(targets, g)
        self._ties_week(targets, g)
        w, rng = self.params.wellbeing, g(Outcomes.stream, purpose="wellbeing")
        z_ucla, z_swemwbs = rng.normal(0, w.ucla_noise, n), rng.normal(0, w.noise, n)
        for p in targets:
            p.achieve_objectives()
            p.update_wellbeing(z_ucla[p.idx], z_swemwbs[p.idx])
        z = g(Outcomes.stream, purpose="members").normal(0, w.noise, len(self._people) - n)
        for p in self._people[n:]:
            p.update_member_wellbeing(z[p.idx - n])
        u_gp, u_ae, u_admit = (
            g(Outcomes.stream, purpose=k).random(n) for k in ("gp", "ae", "admission")
        )
        for p in targets:
            p.use_services(u_gp[p.idx], u_ae[p.idx], u_admit[p.idx])
        u_mh = [g(Outcomes.stream, purpose=k).random(n) for k in MH_STREAMS]
        for p in targets:
            p.use_mental_health_services(tuple(float(x[p.idx]) for x in u_mh))
        if self.week == 0:
            self.baseline = measures.baseline(self.as_columns())
        if self.week >= 1:
            for p in targets:
                for t in p.live_ties():
                    self.counters.circle_weeks[t.circle] += 1
            self.latest = measures.weekly(self.as_columns())
            self.datacollector.collect(self)
        self.step_seconds += time.perf_counter() - t0

    def _attendance_week(self, targets: list[RefPerson], g) -> None:
        n = self.n_target
        u = g(ResourceAttendance.stream, purpose="take_up").random(n)
        u_choose = g(ResourceAttendance.stream, purpose="choose").random((n, 4))
        for p in targets:
            p.take_up(u[p.idx], u_choose[p.idx])
        u = g(ResourceAttendance.stream, purpose="open").random(len(self._resources))
        is_open = {r.idx: u[r.idx] < r.open_weeks for r in self._resources}
        for r in self._resources:
            r.present = []
        u = g(ResourceAttendance.stream, purpose="attend").random(len(self.att_list))
        for p in targets:
            p.want_to_attend(u, is_open)
        # a full resource turns away those with the latest places in the queue
        priority = g(ResourceAttendance.stream, purpose="places").random(len(self.att_list))
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
        u = g(ResourceAttendance.stream, purpose="give_up").random(len(self.att_list))
        for p in targets:
            p.give_up(u)

    def _ties_week(self, targets: list[RefPerson], g) -> None:
        sizes = [p.size() for p in targets]
        gates = [
            float(rules.formation_gate(s, p.tie_capacity))
            for s, p in zip(sizes, targets, strict=True)
        ]
        n_att, n = len(self.att_list), self.n_target
        u, u_who = (g(TieDynamics.stream, purpose=k).random(n_att) for k in ("meet", "meet_who"))
        met = []
        for p, gate in zip(targets, gates, strict=True):
            met += p.meet(u, u_who, gate)
        self.form_ties(sorted(met))  # in attendance-row order, as the vector engine
        rng = g(TieDynamics.stream, purpose="triads")
        u = np.column_stack([rng.random(n) for _ in range(4)])
        introduced = []
        for p, gate in zip(targets, gates, strict=True):
            introduced += p.close_triad(tuple(u[p.idx]), gate)
        self.form_ties(introduced)
        n_ties = len(self.tie_list)
        u = tuple(
            g(TieDynamics.stream, purpose=k).random(n_ties) for k in ("loss", "contact", "dormancy")
        )
        for p, size in zip(targets, sizes, strict=True):
            p.update_ties(u, size)

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
        g = Record(row=len(self.att_list), **{k: d for k, (_, d) in ATTENDANCE_SCHEMA.items()})
        g.person, g.resource, g.start, g.origin = p.idx, r.idx, self.week, origin
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
    ) -> Record | None:
        """A new outer-circle tie ``ego -> alter``, unless one exists already."""
        if any(t.active and t.alter == alter for t in ego.ties):
            return None
        circle = rules.NEW_TIE_CIRCLE
        strength = float(rules.new_tie_strength(circle, self.params.ties))
        state = {k: d for k, (_, d) in TIE_SCHEMA.items()}
        state |= {
            "ego": ego.idx,
            "alter": alter,
            "kind": kind,
            "circle": circle,
            "strength": strength,
            "freq": freq,
            "formed": self.week,
            "origin": origin,
            "cap": float(rules.tie_capacity(kind, circle, strength, self.params.support)),
        }
        tie = Record(row=len(self.tie_list), **state)
        self.tie_list.append(tie)
        ego.ties.append(tie)
        self.counters.add_new(np.array([origin]), self.week)
        return tie

    def count_exit(self, circle: int) -> None:
        if self.week >= 1:
            self.counters.exits[circle] += 1

    def run(self, progress=None) -> ReferenceModel:
        """Burn-in and horizon."""
        while self.week < self.params.run.weeks:
            self.step()
            if progress is not None:
                progress()
        return self

    # ---- export --------------------------------------------------------------------
    def as_columns(self) -> ColumnState:
        """The agents' state as the column tables the measures read."""
        return ColumnState(self)


class ColumnState(StateViews):
    """A snapshot of a :class:`ReferenceModel` in the vectorised engine's column layout."""

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


def _rows(table: Table):
    cols = table.to_dict()
    names = list(cols)
    for i in range(len(table)):
        yield {k: cols[k][i].item() for k in names}


def _table[T: Table](kind: type[T], objects: list) -> T:
    t = kind(capacity=max(len(objects), 1))
    if objects:
        t.append(**{k: [getattr(o, k) for o in objects] for k in kind.schema})
    return t


def _row(record: Record) -> int:
    return record.row


def _latest(model: ReferenceModel, key: str) -> float:
    return model.latest.get(key, np.nan)
