"""Step 5c: the mobilisation pathway: a gradual, staged process with progress, regress and exit.

engaged -> contemplating -> negotiating acceptable means -> re-valuing support ->
rehearsing (status quo or change) -> adopting -> sustained (seed 000).
"""

from __future__ import annotations

import numpy as np

from netmob.sim.pathways import changes
from netmob.sim.pathways.readiness import barrier_mean, in_play
from netmob.sim.processes.base import Process
from netmob.sim.programmes.delivery import component_strength, trust_factor
from netmob.sim.programmes.state import STAGE
from netmob.sim.state import ORIGIN

MOBILISATION = ORIGIN["mobilisation"]


def advance_prob(
    model, contact: np.ndarray, network: np.ndarray, barrier: np.ndarray
) -> np.ndarray:
    """Weekly chance of moving a stage on: higher with a contact, with network support and
    with a co-produced, high-fidelity programme; lower with barriers."""
    P, pr = model.params.pathways, model.params.programme
    fidelity = component_strength(model, 1.0)
    coproduced = 1.0 + component_strength(model, pr.coproduction)
    p = P.advance * (1 + P.contact_boost * contact) * (1 + P.network_boost * network)
    kept = (1.0 - P.fidelity_weight) + P.fidelity_weight * fidelity
    trusted = trust_factor(model, pr.trust_advance)  # the dyad's trust (branch dyad)
    return np.clip(p * kept * coproduced * trusted * (1.0 - barrier), 0, 1)


def regress_prob(model, recent_contact: np.ndarray, barrier: np.ndarray) -> np.ndarray:
    """Weekly chance of falling back a stage: barriers push back, more so without contact."""
    P = model.params.pathways
    without = np.where(recent_contact, 1.0, P.regress_no_contact)
    return np.clip(P.regress * barrier * without, 0, 1)


class MobilisationPathway(Process):
    """A person who engages with a worker starts the staged process. Each week they may move
    on (``advance_prob``) or fall back (``regress_prob``); rehearsing ends in the status
    quo for some (more so with little network readiness). Re-valuing support draws more on
    support that was there but undervalued; adopting deepens ties, reactivates dormant ties
    and takes up a resource (new links follow there); after ``sustain_weeks`` a change is
    sustained. Switched off by ``pathways.mobilisation: false``."""

    name = "pathways"
    params = ("pathways", "programme", "attendance", "support")

    def step(self, model) -> None:
        c, P, n, week = model.clients, model.params.pathways, model.n_target, model.week
        if not P.mobilisation or week < 1 or not (c.referred >= 1).any():
            return
        start = model.contact_now & (c.stage == 0)
        c.stage[start] = STAGE["engaged"]
        c.stage_since[start] = week
        c.stage_reached[start] = np.maximum(c.stage_reached[start], STAGE["engaged"])
        stepping = (c.stage >= 1) & (c.stage < STAGE["sustained"]) & (c.stage_since < week)
        moving = np.flatnonzero(in_play(model) & ~c.status_quo & stepping)
        if len(moving) == 0:
            return
        barrier = barrier_mean(model)[moving]
        recent = (week - c.last_contact[moving]) <= model.params.programme.interval
        p_on = advance_prob(model, model.contact_now, c.r_network, barrier_mean(model))[moving]
        p_back = regress_prob(model, recent, barrier)
        u = self.rng(model, "stage").random(n)[moving]
        stage = c.stage[moving]
        adopting = stage == STAGE["adopting"]
        on = (u < p_on) & (~adopting | (week - c.stage_since[moving] >= P.sustain_weeks))
        back = ~on & (u < p_on + p_back) & (stage > STAGE["engaged"])
        self.rehearse(model, moving, on, stage)
        self.move(model, moving[back], -1)
        self.move(model, moving[on & ~c.status_quo[moving]], +1)

    def rehearse(self, model, moving: np.ndarray, on: np.ndarray, stage: np.ndarray) -> None:
        """Rehearsing justifications ends some journeys in the status quo."""
        c, P = model.clients, model.params.pathways
        deciding = moving[on & (stage == STAGE["rehearsing"])]
        u = self.rng(model, "status_quo").random(model.n_target)[deciding]
        keep = deciding[u < P.status_quo * (1.0 - c.r_network[deciding])]
        c.status_quo[keep] = True

    def move(self, model, who: np.ndarray, step: int) -> None:
        """Move ``who`` a stage on (+1) or back (-1); a first arrival enacts that stage's changes."""
        c = model.clients
        if len(who) == 0:
            return
        c.stage[who] += step
        c.stage_since[who] = model.week
        if step < 0:
            c.regressions[who] += 1
            return
        first = who[c.stage[who] > c.stage_reached[who]]
        c.stage_reached[first] = c.stage[first]
        rng = self.rng(model, "act")
        changes.revalue(model, first[c.stage[first] == STAGE["revaluing"]], MOBILISATION)
        adopt = first[c.stage[first] == STAGE["adopting"]]
        P = model.params.pathways
        for _ in range(P.deepen):
            changes.deepen(model, adopt, MOBILISATION, rng)
        for _ in range(P.reactivate):
            changes.reactivate(model, adopt, MOBILISATION, rng)
        changes.take_up(model, adopt, MOBILISATION, rng)
