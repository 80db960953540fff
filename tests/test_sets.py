"""sets.isin is np.isin (on the integer keys the engine looks up)."""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim.sets import isin


@pytest.mark.parametrize(
    "n_values,n_pool", [(0, 0), (0, 5), (5, 0), (1, 1), (30, 300), (5000, 200)]
)
def test_same_as_numpy(n_values, n_pool):
    rng = np.random.default_rng(n_values + n_pool)
    for high in (10, 10**12):
        values = rng.integers(0, high, n_values)
        pool = rng.integers(0, high, n_pool)
        values[: n_values // 3] = rng.choice(pool, n_values // 3) if n_pool else 0
        assert np.array_equal(isin(values, pool), np.isin(values, pool))
