"""The network-type classifier (N7): diverse and active, family and stable, formal and sparse.

The community health network study clustered the networks of people with SMI, over the
people, places and activities in them, into three types (Pinfold et al. 2015; Sweet et al.
2018). netmob assigns a type by three rules over the same features, applied in order:

1. **formal and sparse**: few informal members (``sparse_size`` or fewer), or a large
   share of professionals (``formal_share`` or more);
2. **diverse and active**: at least ``active_places`` places or activities attended, at
   least ``diverse_kinds`` kinds of member, and family no more than ``family_max`` of it;
3. **family and stable**: every other network.

Features are counted over active, non-dormant ties and active attendance. The rules'
thresholds are parameters (``network_types.*``), each an assumption tuned so the three
types appear in shares like the study's; the covariates N7 found associated with type
(living alone, housing, education, disability) act through the networks people are drawn
with, not through the rules.
"""

from __future__ import annotations

import numpy as np

from netmob.sim.params import NetworkTypes
from netmob.sim.state import KIND, NETWORK_TYPES
from netmob.sim.vocabulary import TIE_KINDS


def network_features(
    ego: np.ndarray, kind: np.ndarray, places: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """Per-person features from the live ties' egos and kinds and the places attended."""
    by_kind = np.bincount(
        ego.astype(np.int64) * len(TIE_KINDS) + kind, minlength=n * len(TIE_KINDS)
    )
    by_kind = by_kind.reshape(n, len(TIE_KINDS))
    size = by_kind.sum(axis=1)
    formal = by_kind[:, KIND["formal"]]
    family = by_kind[:, KIND["partner"]] + by_kind[:, KIND["family"]]
    safe = np.maximum(size, 1)
    return {
        "size": size,
        "informal": size - formal,
        "formal_share": formal / safe,
        "family_share": family / safe,
        "kinds": (by_kind > 0).sum(axis=1),
        "places": places,
    }


def classify(features: dict[str, np.ndarray], rules: NetworkTypes) -> np.ndarray:
    """Type codes (indices into ``NETWORK_TYPES``) from :func:`network_features`."""
    f = features
    sparse = (f["informal"] <= rules.sparse_size) | (f["formal_share"] >= rules.formal_share)
    diverse = (
        (f["places"] >= rules.active_places)
        & (f["kinds"] >= rules.diverse_kinds)
        & (f["family_share"] <= rules.family_max)
    )
    return np.where(sparse, 2, np.where(diverse, 0, 1)).astype(np.int8)


__all__ = ["NETWORK_TYPES", "classify", "network_features"]
