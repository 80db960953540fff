"""Health progression, exacerbations, support need following health need (one of the
week's processes, in the order of :mod:`netmob.sim.schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netmob.sim import rules
from netmob.sim.processes.base import Process
from netmob.sim.state import BARRIER

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState


class HealthProgression(Process):
    """Chronic burden drifts up (slower with good self-management); exacerbations add acute
    burden that recovers week by week; support need follows burden."""

    params = ("health",)
    draws = ("exacerbation",)
    results = (
        "people.burden_chronic",
        "people.burden_acute",
        "people.burden",
        "people.exacerbation",
        "people.need",
        "targets.barriers",
    )

    def step(self, model: ModelState) -> None:
        pp, h, n = model.people, model.params.health, model.n_target
        u = self.rng(model, "exacerbation").random(n)
        ex = u < rules.exacerbation_prob(pp.n_conditions[:n], h)
        chronic = np.clip(pp.burden_chronic[:n] + rules.chronic_drift(pp.self_mgmt[:n], h), 0, 1)
        acute = pp.burden_acute[:n] * (1 - h.recovery) + ex * h.exacerbation_jump
        burden = np.clip(chronic + acute, 0, 1)
        pp.burden_chronic[:n] = chronic
        pp.burden_acute[:n] = acute
        pp.burden[:n] = burden
        pp.exacerbation[:n] = ex
        pp.need[:n] = rules.support_need(burden, h)
        model.targets.barriers[:, BARRIER["physical"]] = burden
