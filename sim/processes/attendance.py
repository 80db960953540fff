"""Resource attendance, limited by places, barriers, cost and preferences (one of the
week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.community import CHOICE_DRAWS, choose_resources
from netmob.sim.processes.base import Process
from netmob.sim.state import BARRIER, ORIGIN

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState


def group_rank(groups: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Rank of each element within its group, by ``priority`` (0 first)."""
    order = np.lexsort((priority, groups))
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    rank = np.empty(len(groups), np.int64)
    rank[order] = np.arange(len(groups)) - first
    return rank


def accompanied_barriers(model: ModelState, rows: np.ndarray) -> np.ndarray:
    """Barriers of the person of each attendance row; a companion lowers the access barrier
    (transport, cost, the first steps through the door) at that resource."""
    a = model.attendance
    b = model.barriers()[a.person[rows]]
    along = a.member[rows] >= 0
    if along.any():
        b[along, BARRIER["access"]] *= 1.0 - model.params.attendance.companion_relief
    return b


def attend_barrier(model: ModelState, rows: np.ndarray) -> np.ndarray:
    """The barrier to attending at each attendance row: the person's barriers (a companion
    easing access), lowered by the share ``helped`` a worker's help with the first visits
    removes (facilitated engagement; set by the programme, 0 once the help ends)."""
    b = accompanied_barriers(model, rows)
    barrier = rules.barrier_to_attend(
        b[:, BARRIER["access"]],
        b[:, BARRIER["physical"]],
        b[:, BARRIER["complicated_life"]],
        model.params.attendance,
    )
    return barrier * (1.0 - model.attendance.helped[rows])


def misfit(model: ModelState, rows: np.ndarray) -> np.ndarray:
    """How badly each attendance row a pathway started fits its person: 1 - preference x
    acceptability of the resource's kind over that of the person's best kind (0 for a
    person's own choice, ``organic``, which is taken to fit)."""
    a, tg = model.attendance, model.targets
    matched = a.origin[rows] >= ORIGIN["nudge"]
    if not matched.any():
        return np.zeros(len(rows))
    person, kind = a.person[rows], model.resources.kind[a.resource[rows]]
    fit = tg.prefs[person, kind] * tg.acceptability[person, kind]
    best = (tg.prefs[person] * tg.acceptability[person]).max(axis=1)
    return np.where(matched, 1.0 - fit / np.maximum(best, 1e-9), 0.0)


class ResourceAttendance(Process):
    """People take up resources (by preference and acceptability, held back by barriers),
    attend them week by week (held back by barriers, cost and opening), are turned away
    when a resource is full, and give resources up. At a resource a network member comes to
    with them (an attendance row with ``member >= 0``; only the pathways make these) a
    person's access barrier is lower (``companion_relief``) and they give it up less often
    (``companion_stop``); at one a worker is helping with (``helped``: facilitated
    engagement, set by the programme) both the barrier and the chance of giving up are
    lower by that share. A resource a programme matched a person to is given up more often
    the worse it fits them (``misfit_stop``): the quality of the match matters. An activity
    a pathway started also lapses at a weekly rate of its own (``lapse``): a new habit can
    fade once the prompt is past, whatever the barriers (:meth:`lapse`)."""

    params = ("attendance",)
    draws = ("take_up", "choose", "open", "attend", "places", "give_up", "lapse")
    results = (
        "attendance.rows",
        "attendance.attended",
        "attendance.visits",
        "attendance.active",
        "attendance.stop",
        "resources.attendees",
        "people.attending",
        "people.accompanying",
    )

    def step(self, model: ModelState) -> None:
        self.take_up(model)
        self.attend(model)
        self.give_up(model)
        self.lapse(model)

    def take_up(self, model: ModelState) -> None:
        """New resources taken up without a programme (organic)."""
        pp, a, n, P = model.people, model.attendance, model.n_target, model.params.attendance
        b = model.barriers()
        barrier = rules.take_up_barrier(b, P)
        n_att = np.bincount(a.person[a.active], minlength=n)
        rng = self.rng(model, "take_up")
        takers = np.flatnonzero(rng.random(n) < rules.take_up_prob(barrier, n_att, P))
        u = self.rng(model, "choose").random((n, CHOICE_DRAWS))[takers]
        resource = choose_resources(takers, pp, model.targets, model.resources, u, P.other_area)
        model.start_attending(takers, resource, ORIGIN["organic"])

    def attend(self, model: ModelState) -> None:
        """Who goes this week; a full resource turns the latest comers away."""
        pp, a, res, n, P = (
            model.people,
            model.attendance,
            model.resources,
            model.n_target,
            model.params.attendance,
        )
        rows = np.flatnonzero(a.active)
        person, r = a.person[rows], a.resource[rows]
        barrier = attend_barrier(model, rows)
        is_open = self.rng(model, "open").random(len(res)) < res.open_weeks
        relief = model.cost_relief()[person]
        cost_left = rules.cost_factor(res.cost[r] * (1.0 - relief), pp.deprivation[person], P)
        p = rules.attend_prob(barrier, cost_left, is_open[r], P) * rules.accessibility_factor(
            res.accessibility[r], P
        )
        go = self.rng(model, "attend").random(len(a))[rows] < p
        want = rows[go]
        places = rules.open_places(res.places, res.funded, P)
        priority = self.rng(model, "places").random(len(a))[want]
        kept = want[group_rank(a.resource[want], priority) < places[a.resource[want]]]
        a.attended = False
        a.attended[kept] = True
        a.visits[kept] += 1
        res.attendees = np.bincount(a.resource[kept], minlength=len(res))
        pp.attending[:n] = np.bincount(a.person[kept], minlength=n)
        pp.accompanying = 0
        with_member = kept[a.member[kept] >= 0]
        pp.accompanying[a.member[with_member]] = 1

    def give_up(self, model: ModelState) -> None:
        """Resources given up, more often with high barriers."""
        a, P = model.attendance, model.params.attendance
        rows = np.flatnonzero(a.active)
        barrier = attend_barrier(model, rows)
        p = rules.stop_prob(barrier, P) * np.where(a.member[rows] >= 0, 1.0 - P.companion_stop, 1.0)
        p *= 1.0 - a.helped[rows]  # the worker's help with the first visits
        p *= 1.0 + P.misfit_stop * misfit(model, rows)
        stop = self.rng(model, "give_up").random(len(a))[rows] < p
        a.active[rows[stop]] = False
        a.stop[rows[stop]] = model.week

    def lapse(self, model: ModelState) -> None:
        """Activities a pathway started (``origin`` nudge or mobilisation) lapse at the
        weekly rate ``lapse``, ended as a give-up ends them (``active`` off, ``stop`` this
        week), so a companion's tie is no longer refreshed there and the pathways see the
        activity as stopped. One uniform per attendance row (common random numbers: rows
        appended later never shift an earlier row's draw); at 0 nothing lapses."""
        a, rate = model.attendance, model.params.attendance.lapse
        u = self.rng(model, "lapse").random(len(a))
        if rate <= 0:
            return
        rows = np.flatnonzero(a.active & (a.origin >= ORIGIN["nudge"]))
        gone = rows[u[rows] < rate]
        a.active[gone] = False
        a.stop[gone] = model.week
