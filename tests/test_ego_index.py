"""The ego index gives the rows a scan of the whole tie table gives, in the same order."""

from __future__ import annotations

import numpy as np

from netmob.sim.ego_index import SCAN_BELOW, EgoIndex
from netmob.sim.tables import Table, table_of


def scanned(t: Table, n: int, egos: np.ndarray) -> np.ndarray:
    mark = np.zeros(n, bool)
    mark[egos] = True
    rows = np.flatnonzero(mark[t.ego])
    return rows[np.argsort(t.ego[rows], kind="stable")]


def test_index_matches_scan_while_the_table_grows():
    rng = np.random.default_rng(4)
    n = 3000
    t = table_of({"ego": (np.int32, -1)})()
    t.append(ego=rng.integers(0, n, 2 * SCAN_BELOW))
    ix = EgoIndex(t, n)
    for _ in range(40):  # appends leave a tail, rebuilt now and then
        t.append(ego=rng.integers(0, n, int(rng.integers(0, 800))))
        for size in (0, 1, 7, 300, 5000):
            egos = rng.integers(0, n, size)
            assert np.array_equal(ix.rows_of(egos), scanned(t, n, egos))
    assert ix.indexed > 2 * SCAN_BELOW  # it was rebuilt


def test_small_tables_are_scanned():
    t = table_of({"ego": (np.int32, -1)})()
    t.append(ego=[3, 1, 3, 0, 1])
    ix = EgoIndex(t, 4)
    t.append(ego=[1])
    assert ix.rows_of(np.array([1, 3, 1])).tolist() == [1, 4, 5, 0, 2]
