"""The three components of readiness, for people a programme is working with (one of the
week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Owned, Process, draw
from netmob.sim.programmes.state import NEVER
from netmob.sim.programmes.strength import component_strength
from netmob.sim.state import BARRIER, KIND
from netmob.sim.vocabulary import OBJECTIVES, RESOURCE_KINDS

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState

PERSONAL_BARRIERS = [
    BARRIER["stigma"],
    BARRIER["physical"],
    BARRIER["complicated_life"],
    BARRIER["access"],
]


def in_play(model: ModelState) -> np.ndarray:
    """People the pathways can act for: referred, engaged with the programme at least once,
    not disengaged, and on it now or within ``follow_on`` weeks of leaving it."""
    c, week = model.programme.clients, model.week
    recent = (c.discharged == NEVER) | (week - c.discharged <= model.params.pathways.follow_on)
    return (c.referred >= 1) & (c.contacts > 0) & ~c.disengaged & recent


def barrier_mean(model: ModelState) -> np.ndarray:
    """Mean of the barriers that work against change (stigma, health, life, access)."""
    return model.barriers()[:, PERSONAL_BARRIERS].mean(axis=1)


def individual(model: ModelState) -> np.ndarray:
    """Individual readiness: capacity to engage and self-management, held back by barriers;
    raised by the confidence a good trial visit gave and, while on the programme, by the
    worker's facilitation (``facilitation_confidence``)."""
    pp, n, P, pr = model.people, model.n_target, model.params.pathways, model.params.programme
    c = model.programme.clients
    ready = P.ready_capacity * pp.capacity_engage[:n] + P.ready_self_mgmt * pp.self_mgmt[:n]
    facilitated = np.where(
        c.active, pr.facilitation_confidence * component_strength(model, pr.facilitation), 0.0
    )
    return np.clip(ready * (1.0 - barrier_mean(model)) + c.confidence + facilitated, 0, 1)


def network(model: ModelState) -> np.ndarray:
    """Network readiness: members who would support or join a change (close, strong,
    informal, not negative ties), seen more clearly after network mapping."""
    t, n, P = model.ties, model.n_target, model.params.pathways
    strong = t.strength >= P.close_strength
    close = model.live_ties() & (t.circle <= 2) & strong & (t.kind != KIND["formal"])
    close &= ~t.negative  # a negative tie would not support a change
    # members seen as supportive after reflecting on the map or agreeing with them
    supportive = np.bincount(t.ego[close], minlength=n) + model.programme.clients.network_extra
    seen = 1.0 + P.mapping_seen * component_strength(model, model.params.programme.mapping)
    return 1.0 - np.exp(-supportive * seen / P.network_scale)


def environment(model: ModelState) -> np.ndarray:
    """Environmental readiness: an acceptable resource of the kind the person most wants, in
    their neighbourhood that takes referrals, with a free place, known to them or to their
    worker, reachable."""
    pp, res, n, tg = model.people, model.resources, model.n_target, model.targets
    P = model.params
    fit = tg.prefs * tg.acceptability
    best = fit.argmax(axis=1)
    n_areas = int(res.area.max()) + 1
    places = rules.open_places(res.places, res.funded, P.attendance)
    free = (
        np.bincount(
            res.kind.astype(np.int64) * n_areas + res.area,
            (places > res.attendees) & res.referrals,  # a place the programme can offer
            minlength=len(tg.prefs[0]) * n_areas,
        )
        > 0
    )
    has_place = free[best * n_areas + pp.area[:n] % n_areas]
    c, W = model.programme.clients, model.programme.workers
    worker_knows = np.where(
        c.worker >= 0, W.knowledge[np.maximum(c.worker, 0)] if len(W) else 0.0, 0.0
    )
    # matched options are known through the programme; a worker who knows the area adds more
    w = P.pathways.worker_knowledge_weight
    matched = component_strength(model, P.programme.matching)
    known = np.clip(matched * ((1.0 - w) + w * worker_knows), 0, 1)
    known = known + (1.0 - known) * c.known_extra  # a trial visit makes options known
    reach = 1.0 - model.barriers()[:, BARRIER["access"]]
    floor = P.pathways.known_floor
    return fit.max(axis=1) * has_place * (floor + (1.0 - floor) * known) * reach


def guess_prefs(prefs: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """The worker's guess of each person's preferences: the population's mean preference for
    each kind of resource, with an error of SD ``noise``."""
    mean = np.broadcast_to(prefs.mean(axis=0), prefs.shape)
    return np.clip(mean + rng.normal(0.0, noise, prefs.shape), 0, 1).astype(prefs.dtype)


def elicit(model: ModelState, who: np.ndarray, rng: np.random.Generator) -> None:
    """A preference session for ``who``: what the programme believes each prefers moves
    ``elicit_learn`` of the way to what they prefer, heard with an error that shrinks with the
    strength of preference elicitation (none at full), so the match improves with each
    session (learnt over contacts); the first session also learns their objectives (what they
    want to achieve: PLANS sets objectives from needs)."""
    c, tg, P, pr = (
        model.programme.clients,
        model.targets,
        model.params.pathways,
        model.params.programme,
    )
    strength = component_strength(model, pr.preference_elicitation)[who]
    u = rng.normal(0.0, 1.0, tg.prefs.shape)[who]
    if P.elicitation:
        sd = (P.elicit_noise * (1.0 - strength))[:, None]
        seen = model.readiness.prefs_seen[who]
        heard = tg.prefs[who] + sd * u
        model.readiness.prefs_seen[who] = np.clip(seen + P.elicit_learn * (heard - seen), 0, 1)
    model.readiness.objectives_seen[who] = tg.objectives[who]
    c.elicited[who] = True


class ReadinessUpdate(Process):
    """Individual, network and environmental readiness for the people in play; whether the
    environment has just come to fit (a change in the environment can set off a nudge).
    At a contact, a preference session (with a chance equal to the strength of preference
    elicitation) brings what the programme believes a person prefers closer to what they do,
    and learns their objectives (``elicit``): the match grows with sessions. Before the
    first, the programme works from the worker's guess (``guess_prefs``). With ``pathways.elicitation: false`` preferences are known from the
    start."""

    params = ("pathways", "programme", "attendance")
    name = "readiness"
    prefs_seen = Owned(
        lambda n: np.zeros((n, len(RESOURCE_KINDS)), np.float32),
        "the programme's view of each person's preferences: the worker's guess, then elicited",
    )
    objectives_seen = Owned(
        lambda n: np.zeros((n, len(OBJECTIVES)), bool), "the objectives the programme has learnt"
    )
    results = (
        "programme.clients.elicited",
        "programme.clients.env_fit_before",
        "programme.clients.r_individual",
        "programme.clients.r_network",
        "programme.clients.r_environment",
    )
    draws = ("guess", "elicit")

    def setup(self, model: ModelState) -> None:
        """The worker's guess of everyone's preferences (or, without elicitation, the
        true preferences)."""
        tg, P = model.targets, model.params.pathways
        if P.elicitation:
            rng = draw(type(self), model, "guess", week=0)
            self.prefs_seen[:] = guess_prefs(tg.prefs, P.guess_noise, rng)
        else:
            self.prefs_seen[:] = tg.prefs

    def step(self, model: ModelState) -> None:
        c = model.programme.clients
        if model.week < 1 or not (c.referred >= 1).any():
            return
        # a preference session happens at a contact with chance its strength
        pr = model.params.programme
        rng = self.rng(model, "elicit")
        session = rng.random(model.n_target) < component_strength(model, pr.preference_elicitation)
        held = np.flatnonzero(model.programme.contact_now & session)
        if len(held):
            elicit(model, held, rng)
        play = in_play(model)
        P = model.params.pathways
        c.env_fit_before = c.r_environment >= P.fit_environment
        c.r_individual = np.where(play, individual(model), 0.0)
        c.r_network = np.where(play, network(model), 0.0)
        c.r_environment = np.where(play, environment(model), 0.0)
