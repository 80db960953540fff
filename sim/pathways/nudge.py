"""The nudge pathway: change enacted within weeks when readiness fits (one of the week's
processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim.pathways import changes
from netmob.sim.pathways.readiness import in_play
from netmob.sim.processes.base import Process
from netmob.sim.programmes.state import NEVER
from netmob.sim.state import ORIGIN

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState

NUDGE = ORIGIN["nudge"]


def fits(model: ModelState) -> np.ndarray:
    """Whether individual, network and environmental readiness are all above their thresholds."""
    c, P = model.programme.clients, model.params.pathways
    return (
        (c.r_individual >= P.fit_individual)
        & (c.r_network >= P.fit_network)
        & (c.r_environment >= P.fit_environment)
    )


class NudgePathway(Process):
    """At a worker contact, or when the environment comes to fit, a person whose three
    readiness components fit acts within weeks (a wait with mean ``act_weeks``): takes up a
    matched resource (perhaps with a network member), reactivates a dormant tie the network
    map brought to mind, or takes up an introduction from the worker; a dog the map shows
    may bring a contact met dog walking (``changes.walk_the_dog``). With
    ``pathways.nudge_fires: once_per_fit`` a fit episode gives one nudge (losing fit re-arms
    it); with ``each_contact`` every contact while readiness fits can give another.
    Switched off by ``pathways.nudge: false``."""

    # attendance: a matched take-up meets the person's barrier to taking up (the first step)
    params = ("pathways", "programme", "ties", "support", "attendance")
    draws = ("wait", "act", "dog_walk")
    results = (
        "programme.clients.nudge_used",
        "programme.clients.nudge_due",
        "programme.clients.nudges",
        *changes.RESULTS,
        "programme.clients.taken_up_n",
        "programme.clients.along_n",
        "programme.clients.reactivated_n",
        "programme.clients.introduced_n",
        "programme.clients.dog_contacts_n",
        "ties.rows",  # introductions (``changes.introduce``)
        "counters.new_ties",
    )

    def step(self, model: ModelState) -> None:
        c, P, n = model.programme.clients, model.params.pathways, model.n_target
        if not P.nudge or model.week < 1 or not (c.referred >= 1).any():
            return
        fit = fits(model) & in_play(model)
        env_came = ~c.env_fit_before & (c.r_environment >= P.fit_environment)
        trigger = fit & (model.programme.contact_now | env_came) & (c.nudge_due == NEVER)
        if P.nudge_fires == "once_per_fit":
            c.nudge_used &= fit  # losing fit ends the episode and re-arms the nudge
            trigger &= ~c.nudge_used
            c.nudge_used |= trigger
        wait = self.rng(model, "wait").geometric(1.0 / (1.0 + P.act_weeks), n) - 1
        c.nudge_due[trigger] = model.week + wait[trigger]
        acting = np.flatnonzero(c.nudge_due == model.week)
        if len(acting):
            self.act(model, acting)
            c.nudge_due[acting] = NEVER
            c.nudges[acting] += 1

    def act(self, model: ModelState, who: np.ndarray) -> None:
        """The changes a nudge enacts for ``who``."""
        rng = self.rng(model, "act")
        u = rng.random((model.n_target, 2))[who]
        changes.take_up(model, who, NUDGE, rng)
        mapped = u[:, 0] < changes.mapped(model)[who]  # a dormant tie the map brings to mind
        changes.reactivate(model, who[mapped], NUDGE, rng)
        changes.introduce(model, who[changes.worker_introduces(model, who, u[:, 1])], NUDGE, rng)
        walk = self.rng(model, "dog_walk").random((model.n_target, 2))[who]
        changes.walk_the_dog(model, who, NUDGE, walk)
