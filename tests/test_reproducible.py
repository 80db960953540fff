"""Same seed, same results; another seed, other results."""

from __future__ import annotations

import pandas as pd
import pytest

from netmob.sim.run import simulate
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


@pytest.mark.slow
def test_a_comparison_is_the_same_on_one_process_or_two():
    """compare runs replicates in worker processes: the seed of each replicate comes from
    the comparison's seed, never from the process, so 1 or 2 workers give identical
    effects, value and runs (with drawn assumptions too)."""
    from netmob.experiments.backends.local import LocalBackend
    from netmob.experiments.compare import compare_spec, run

    spec = compare_spec(
        ["baseline", "genie"], people=150, weeks=6, replicates=3, seed=4, uncertainty="assumptions"
    )
    one, two = run(spec, backend=LocalBackend(1)), run(spec, backend=LocalBackend(2))
    pd.testing.assert_frame_equal(one.effects, two.effects)
    pd.testing.assert_frame_equal(one.value, two.value)
    cols = [c for c in one.runs.columns if "second" not in c]  # not the timings
    key = ["scenario", "replicate"]
    pd.testing.assert_frame_equal(
        one.runs[cols].sort_values(key).reset_index(drop=True),
        two.runs[cols].sort_values(key).reset_index(drop=True),
    )
