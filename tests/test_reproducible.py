"""Same seed, same results; another seed, other results."""

from __future__ import annotations

import pandas as pd

from sim.run import simulate
from tests.conftest import small


def test_same_seed_same_results():
    p = small(n=200, weeks=15, burn_in=5)
    a, b = simulate(p, seed=11), simulate(p, seed=11)
    pd.testing.assert_frame_equal(a.weekly, b.weekly)
    pd.testing.assert_frame_equal(a.people, b.people)


def test_other_seed_other_results():
    p = small(n=200, weeks=15, burn_in=5)
    a, b = simulate(p, seed=11), simulate(p, seed=12)
    assert not a.people["swemwbs"].equals(b.people["swemwbs"])
