"""How strongly each client receives a programme's components: a component's dose scaled
by the fidelity of their worker's delivery, and the trust a worker has built."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from netmob.sim.model_state import ModelState


def component_strength(model: ModelState, component: float) -> np.ndarray:
    """A component's strength for each client: ``low_fidelity`` at fidelity 0, rising
    linearly to full at ``fidelity_cut`` and above (fixed mode: fidelity is 1 or 0)."""
    pr = model.params.programme
    if pr.fidelity_cut <= 0:
        return np.full(len(model.programme.clients), float(component))
    share = np.clip(model.programme.clients.fidelity / pr.fidelity_cut, 0.0, 1.0)
    return component * (pr.low_fidelity + (1.0 - pr.low_fidelity) * share)


def trust_factor(model: ModelState, weight: float) -> np.ndarray:
    """Per-client multiplier ``1 + weight x (trust - trust_start)`` (1 for people who have
    never had a worker, and for everyone when ``weight`` is 0)."""
    c, pr = model.programme.clients, model.params.programme
    return np.maximum(1.0 + weight * (c.trust - pr.trust_start), 0.0)
