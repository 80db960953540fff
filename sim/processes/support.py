"""Support flows over ties, allocated by need and by what each tie can carry (one of the
week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Process
from netmob.sim.state import KIND
from netmob.sim.vocabulary import SUPPORT_TYPES

ILLNESS = SUPPORT_TYPES.index("illness_work")  # the share of illness-work need met

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState


class SupportFlow(Process):
    """Each person draws on their active ties for emotional, practical and illness-work
    support. A tie's share is what it can carry (kind, circle, strength) times how the
    person values it; when need is below what the network can carry, every tie gives the
    same fraction of its capacity. With no partner the same need falls on the others. A
    negative tie ('bad' social capital, SRC-CP-MODEL) gives nothing and adds
    ``network.negative_strain`` hours a week to the support gap while it is live."""

    params = ("health", "network")
    results = (
        "people.support_received",
        "people.support_partner",
        "people.support_others",
        "people.support_gap",
        "people.illness_coverage",
        "people.support_given",
        "ties.given",
    )

    def step(self, model: ModelState) -> None:
        pp, t, n = model.people, model.ties, model.n_target
        live = np.flatnonzero(t.active & ~t.dormant)
        ego = t.ego[live]
        good = ~t.negative[live]
        drawable = drawable_by_type(t, live, good, model.params.network)
        strain = model.params.network.negative_strain * np.bincount(ego, ~good, minlength=n)
        need = pp.need[:n, None] * rules.need_shares(model.params.health)[None, :]
        avail = np.stack([np.bincount(ego, d, minlength=n) for d in drawable], axis=1)
        ratio = np.divide(need, avail, out=np.zeros_like(need), where=avail > 0).clip(0, 1)
        given = np.zeros(len(live))
        for d, r in zip(drawable, ratio.T, strict=True):  # left to right, as a sum over types
            given += d * r[ego]
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
            received[:, ILLNESS], need[:, ILLNESS], out=np.ones(n), where=need[:, ILLNESS] > 0
        )
        pp.support_given = np.bincount(t.alter[live], given, minlength=len(pp))


def drawable_by_type(t, live: np.ndarray, good: np.ndarray, nw) -> list[np.ndarray]:
    """Hours each live tie can give, one array per type (emotional, practical, illness
    work): what it can carry, times how it is valued, times :func:`rules.support_shares`."""
    carry = t.cap[live] * t.value_subj[live] * good
    cell = t.kind[live].astype(np.intp) * 2 + t.nearby[live]  # [kind, nearby] flattened
    table = rules.support_share_table(nw).reshape(-1, 3)
    return [carry * table[:, j][cell] for j in range(len(SUPPORT_TYPES))]
