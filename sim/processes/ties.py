"""Meeting at resources, organic tie formation, triadic closure, decay, dormancy, loss (one
of the week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Process
from netmob.sim.sets import isin
from netmob.sim.state import CIRCLES, KIND, ORIGIN

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState

CIRCLES_OF_TIES = tuple(range(1, len(CIRCLES) + 1))  # stored as 1..3 (0 is no circle)


def companion_ties(model: ModelState) -> np.ndarray:
    """Live tie rows from a person to the network member who came along with them to a
    resource this week (none without a programme)."""
    a, t = model.attendance, model.ties
    rows = np.flatnonzero(a.attended & (a.member >= 0))
    if len(rows) == 0:
        return np.zeros(0, np.int64)
    n_people = len(model.people)
    want = a.person[rows].astype(np.int64) * n_people + a.member[rows]
    accompanied = np.zeros(model.n_target, bool)
    accompanied[a.person[rows]] = True
    live = np.flatnonzero(t.active & accompanied[t.ego])  # only these people's ties
    key = t.ego[live].astype(np.int64) * n_people + t.alter[live]
    return live[isin(key, want)]


class TieDynamics(Process):
    """Ties form where people meet (regulars at the same resource; tagged with the pathway
    that led the person there, if any) and through existing
    members (triadic closure), less often the fuller a network is (T4). Ties weaken without
    contact, go dormant and end at the yearly rates of their circle (T1, T2); dormant ties
    come back now and then. A network member who comes along to a resource (a companion)
    refreshes that tie each week the two attend together (it counts as contact and gains
    ``companion_strengthen`` of its gap to full strength; 0 turns both off), and an
    accompanied person forms
    ties there more easily (``companion_meet``)."""

    params = ("ties", "support")
    draws = ("meet", "meet_who", "triads", "loss", "contact", "dormancy")
    results = (
        "ties.rows",
        "links.rows",
        "counters.new_ties",
        "ties.strength",
        "ties.cap",
        "ties.active",
        "ties.ended",
        "people.has_partner",  # a partner tie that ends leaves no partner
        "ties.dormant",
        "ties.dormant_since",
        "counters.exits",
    )

    def step(self, model: ModelState) -> None:
        size = model.network_size()
        gate = rules.formation_gate(size, model.people.tie_capacity[: model.n_target])
        self.meet_at_resources(model, gate)
        self.close_triads(model, gate)
        self.decay_and_loss(model, size, gate, companion_ties(model))

    def meet_at_resources(self, model: ModelState, gate: np.ndarray) -> None:
        """Familiar regulars who were at the same resource this week may form a tie."""
        a, T = model.attendance, model.params.ties
        here = np.flatnonzero(a.attended)
        if len(here) < 2:
            return
        rng = self.rng(model, "meet")
        u = rng.random(len(a))[here]
        familiar = a.visits[here] >= T.familiarity
        along = np.where(a.member[here] >= 0, 1.0 + T.companion_meet, 1.0)
        chooser = familiar & (u < T.meet * gate[a.person[here]] * along)
        # everyone present, grouped by resource; each chooser meets one other at random
        order = here[np.argsort(a.resource[here], kind="stable")]
        res_sorted = a.resource[order]
        lo = np.searchsorted(res_sorted, a.resource[here[chooser]], "left")
        hi = np.searchsorted(res_sorted, a.resource[here[chooser]], "right")
        pick = lo + np.floor(
            self.rng(model, "meet_who").random(len(a))[here[chooser]] * (hi - lo)
        ).astype(np.int64)
        ego = a.person[here[chooser]]
        alter = a.person[order[np.minimum(pick, len(order) - 1)]]
        # a tie made at a resource a pathway led to is that pathway's new link
        started_by = a.origin[here[chooser]]
        origin = np.where(started_by >= ORIGIN["nudge"], started_by, ORIGIN["organic"])
        ok = alter != ego
        model.form_ties(ego[ok], alter[ok], KIND["group"], origin[ok], freq=T.freq_met, mutual=True)

    def close_triads(self, model: ModelState, gate: np.ndarray) -> None:
        """A member introduces someone from the neighbourhood, who then knows both."""
        pp, n, T = model.people, model.n_target, model.params.ties
        rng = self.rng(model, "triads")
        egos = np.flatnonzero(rng.random(n) < rules.weekly(T.triadic) * gate)
        if len(egos) == 0:
            return
        via = model.random_tie_of(egos, rng.random(n)[egos])
        egos, via = egos[via >= 0], via[via >= 0]
        members = model.area_people
        area = pp.area[egos]
        lo, hi = model.area_bounds[area], model.area_bounds[area + 1]
        alter = members[lo + np.floor(rng.random(n)[egos] * (hi - lo)).astype(np.int64)]
        kind = np.where(rng.random(n)[egos] < T.triadic_friend, KIND["friend"], KIND["neighbour"])
        ok = alter != egos
        new = model.form_ties(
            egos[ok],
            alter[ok],
            kind[ok],
            ORIGIN["organic"],
            freq=T.freq_triadic,
            mutual=True,
            return_rows=True,
        )
        formed = new >= 0
        model.links.append(ta=via[ok][formed], tb=new[formed])

    def decay_and_loss(
        self, model: ModelState, size: np.ndarray, gate: np.ndarray, together: np.ndarray
    ) -> None:
        """Strength follows contact; ties go dormant, come back, or end. ``together``: tie
        rows whose two people attended a resource together this week."""
        t, T, week = model.ties, model.params.ties, model.week
        rows = np.flatnonzero(t.active)
        ego, circle = t.ego[rows], t.circle[rows]
        capacity = model.people.tie_capacity
        n_rows = len(t)
        lost = draws_below(
            self.rng(model, "loss").random(n_rows)[rows],
            loss_bound(size, capacity[: model.n_target], T),
            lambda i: rules.loss_prob(circle[i], size[ego[i]], capacity[ego[i]], T),
        )
        awake = ~t.dormant[rows]
        contact = awake & (
            self.rng(model, "contact").random(n_rows)[rows] < rules.contact_prob(t.freq[rows])
        )
        met = np.zeros(n_rows, bool)
        met[together] = T.companion_strengthen > 0  # 0: a companion changes nothing here
        contact |= awake & met[rows]
        strength = np.where(
            awake, rules.next_strength(t.strength[rows], contact, circle, T), t.strength[rows]
        )
        strength += awake * met[rows] * T.companion_strengthen * (1.0 - strength)
        u = self.rng(model, "dormancy").random(n_rows)[rows]
        sleep = (
            draws_below(
                u,
                dormancy_bound(strength, T),
                lambda i: rules.dormancy_prob(circle[i], strength[i], T),
            )
            & awake
            & ~lost
        )
        asleep = np.flatnonzero(~awake & ~lost)
        wake = asleep[u[asleep] < rules.weekly(T.reactivation) * gate[ego[asleep]]]
        t.strength[rows] = strength
        t.cap[rows] = rules.tie_capacity(t.kind[rows], circle, strength, model.params.support)
        model.end_ties(rows[lost])
        t.dormant[rows[sleep]] = True
        t.dormant_since[rows[sleep]] = week
        t.dormant[rows[wake]] = False
        model.count_exits(circle[lost | sleep])


def draws_below(u: np.ndarray, bound: float, prob: Callable[[np.ndarray], np.ndarray]):
    """``u < p`` for every element, where ``prob(i)`` gives ``p`` at positions ``i`` and
    ``bound`` is at least every ``p``: only the few draws under the bound need ``p``."""
    bound = bound * (1.0 + 1e-9) if np.isfinite(bound) else np.inf  # beyond any rounding
    some = np.flatnonzero(u < bound)
    out = np.zeros(len(u), bool)
    out[some] = u[some] < prob(some)
    return out


def loss_bound(size: np.ndarray, capacity: np.ndarray, T) -> float:
    """The largest weekly chance of loss any tie can have (per person ``size``, ``capacity``):
    the chance is linear in how far over capacity a network is, so an end of its range."""
    fullest = (np.asarray(size) / capacity).max(initial=0.0)
    ends = np.array([0.0, fullest])
    return rules.loss_prob(np.array(CIRCLES_OF_TIES)[:, None], ends, 1.0, T).max()


def dormancy_bound(strength: np.ndarray, T) -> float:
    """The largest weekly chance of dormancy at these strengths (linear in strength, so an
    end of their range, taken to include 0 and 1)."""
    ends = np.array([strength.min(initial=0.0), strength.max(initial=1.0)])
    return rules.dormancy_prob(np.array(CIRCLES_OF_TIES)[:, None], ends, T).max()
