"""The network-type classifier (N7): diverse and active, family and stable, formal and sparse.

The community health network study clustered the networks of people with SMI, over the
people, places and activities in them, into three types by hierarchical and k-means
clustering (Pinfold et al. 2015; Sweet et al. 2018). netmob does the same: the features
of :data:`FEATURES` (network size, informal members, professional and family shares, kinds
of member, places attended) are standardised over the population and k-means
(three clusters, k-means++ starts, scikit-learn's ``KMeans``, best of
``network_types.n_init`` starts from ``network_types.seed``) is
fitted once, at the start of the horizon (week 0, after the burn-in). The clusters are
named by their centroids: the most professional-heavy and smallest is *formal and
sparse*, of the other two the one with most places and kinds of member is *diverse and
active*, the last *family and stable*. The fitted :class:`Typology` is kept with the
model's baseline, and at any later time a person's type is their nearest centroid, so a
type means the same thing all through a run.

Features are counted over active, non-dormant ties and active attendance. The covariates
N7 found associated with type (living alone, housing, education, disability) act through
the networks people are drawn with (``sim/community.py``), not through the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netmob.sim.params import NetworkTypes
from netmob.sim.state import KIND, NETWORK_TYPES
from netmob.sim.vocabulary import TIE_KINDS

PREDICTORS = ("lives_alone", "unstable_housing", "no_qualifications", "disability")


def predictors(people: pd.DataFrame) -> pd.DataFrame:
    """The four N7 predictors as 0/1 columns of ``people`` (a people.parquet table)."""
    return pd.DataFrame(
        {
            "lives_alone": people["lives_alone"].astype(bool),
            "unstable_housing": people["housing"].astype(str) != "stable",
            "no_qualifications": people["education"].astype(str) == "none",
            "disability": people["disability"].astype(bool),
        }
    )


FEATURES = ("size", "informal", "formal_share", "family_share", "kinds", "places")
PLACES = ("places",)  # the places-and-activities features; the others are people


def network_features(
    ego: np.ndarray, kind: np.ndarray, places: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """Per-person features from the live ties' egos and kinds and the places attended."""
    counts = np.bincount(ego.astype(np.int64) * len(TIE_KINDS) + kind, minlength=n * len(TIE_KINDS))
    by_kind = counts.reshape(n, len(TIE_KINDS))
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


@dataclass(frozen=True)
class Typology:
    """A fitted clustering: the standardisation and one centroid per type.

    ``centroids[i]`` is the centre of ``NETWORK_TYPES[i]`` in the standardised, weighted
    feature space; ``mean`` and ``scale`` standardise raw features, ``weight`` weights them.
    """

    mean: np.ndarray
    scale: np.ndarray
    weight: np.ndarray
    centroids: np.ndarray

    def transform(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The (n, features) matrix in the clustering's space."""
        x = np.stack([np.asarray(features[k], np.float64) for k in FEATURES], axis=1)
        return (x - self.mean) / self.scale * self.weight


def _weights(params: NetworkTypes) -> np.ndarray:
    return np.array(
        [params.places_weight if k in PLACES else params.people_weight for k in FEATURES]
    )


def _kmeans(z: np.ndarray, n_init: int, seed: int) -> np.ndarray:
    """k-means (k = 3, k-means++ starts; scikit-learn's ``KMeans``), the best of ``n_init``
    starts from ``seed``, run to strict convergence (each centre the mean of its members).
    One thread, so the centres are the same on any machine."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        km = KMeans(n_clusters=3, n_init=n_init, random_state=seed, tol=0.0, max_iter=1000)
        return km.fit(z).cluster_centers_


def fit(features: dict[str, np.ndarray], params: NetworkTypes) -> Typology:
    """Fit k-means (k = 3) to ``features`` and name the clusters by their centroids.

    People are put in a canonical order (by their features) first, so the fit, and so
    everyone's type, is the same whatever order or ids people have.
    """
    x = np.stack([np.asarray(features[k], np.float64) for k in FEATURES], axis=1)
    x = x[np.lexsort(x.T[::-1])]  # a canonical order: the fit does not depend on ids
    if len(x) > params.fit_sample:  # a fixed subsample: the fit's own generator
        pick = np.random.default_rng(params.seed).choice(len(x), params.fit_sample, replace=False)
        x = x[np.sort(pick)]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    weight = _weights(params)
    centres = _kmeans((x - mean) / scale * weight, params.n_init, params.seed)
    c = centres / np.where(weight > 0, weight, 1.0)  # unweighted z for naming
    col = {k: i for i, k in enumerate(FEATURES)}
    sparse = int(np.argmax(c[:, col["formal_share"]] - c[:, col["size"]]))
    rest = [i for i in range(3) if i != sparse]
    active = max(rest, key=lambda i: c[i, col["places"]] + c[i, col["kinds"]])
    family = next(i for i in rest if i != active)
    order = [active, family, sparse]  # the positions of NETWORK_TYPES
    return Typology(mean, scale, weight, centres[order].copy())


def classify(features: dict[str, np.ndarray], typology: Typology) -> np.ndarray:
    """Type codes (indices into ``NETWORK_TYPES``): each person's nearest centroid."""
    z = typology.transform(features)
    c = typology.centroids
    d = (z * z).sum(axis=1)[:, None] - 2 * z @ c.T + (c * c).sum(axis=1)[None, :]
    return np.argmin(d, axis=1).astype(np.int8)


__all__ = ["FEATURES", "NETWORK_TYPES", "Typology", "classify", "fit", "network_features"]
