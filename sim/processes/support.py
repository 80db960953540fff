"""Step 2: support flows over ties, allocated by need and by what each tie can carry."""

from __future__ import annotations

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Process
from netmob.sim.state import KIND


class SupportFlow(Process):
    """Each person draws on their active ties for emotional, practical and illness-work
    support. A tie's share is what it can carry (kind, circle, strength) times how the
    person values it; when need is below what the network can carry, every tie gives the
    same fraction of its capacity. With no partner the same need falls on the others. A
    negative tie ('bad' social capital, seed 004) gives nothing and adds
    ``network.negative_strain`` hours a week to the support gap while it is live."""

    name = "support"
    params = ("health", "network")

    def step(self, model) -> None:
        pp, t, n = model.people, model.ties, model.n_target
        live = np.flatnonzero(t.active & ~t.dormant)
        ego = t.ego[live]
        good = ~t.negative[live]
        drawable = (t.cap[live] * t.value_subj[live] * good)[:, None] * rules.support_shares(
            t.kind[live], t.nearby[live], model.params.network
        )
        strain = model.params.network.negative_strain * np.bincount(ego, ~good, minlength=n)
        need = pp.need[:n, None] * rules.need_shares(model.params.health)[None, :]
        avail = np.stack([np.bincount(ego, drawable[:, j], minlength=n) for j in range(3)], axis=1)
        ratio = np.divide(need, avail, out=np.zeros_like(need), where=avail > 0).clip(0, 1)
        given = (drawable * ratio[ego]).sum(axis=1)
        received = np.minimum(need, avail)
        t.given = 0.0
        t.given[live] = given
        from_partner = np.bincount(ego, given * (t.kind[live] == KIND["partner"]), minlength=n)
        total = received.sum(axis=1)
        pp.support_received[:n] = total
        pp.support_partner[:n] = from_partner
        pp.support_others[:n] = total - from_partner
        pp.support_gap[:n] = pp.need[:n] - total + strain
        pp.illness_coverage[:n] = np.divide(
            received[:, 2], need[:, 2], out=np.ones(n), where=need[:, 2] > 0
        )
        pp.support_given = np.bincount(t.alter[live], given, minlength=len(pp))
