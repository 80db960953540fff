"""Tie rows by ego: the rows of a few people without scanning the whole tie table.

A tie's ego never changes and rows are only appended, so the rows present when the index
was last built stay sorted by ego (``order``, ``start``); rows appended since (the tail)
are scanned directly until they are many enough to rebuild.
"""

from __future__ import annotations

import numpy as np

from netmob.sim.state import Ties

REBUILD_SHARE = 1 / 16  # rebuild once the unindexed tail is this share of the rows
SCAN_BELOW = 20_000  # rows: a table this small is quicker to scan than to look up


class EgoIndex:
    """Rows of ``ties`` grouped by ego (target people ``0..n_target-1``).

    Examples:
        >>> from netmob.sim.tables import table_of
        >>> t = table_of({"ego": (np.int32, -1)})()
        >>> _ = t.append(ego=[2, 0, 2, 1])
        >>> ix = EgoIndex(t, 3)
        >>> _ = t.append(ego=[0, 2])
        >>> ix.rows_of(np.array([2, 0])).tolist()
        [1, 4, 0, 2, 5]
    """

    def __init__(self, ties: Ties, n_target: int) -> None:
        self.ties, self.n_target = ties, n_target
        self.indexed = 0  # built when first needed (a small table is scanned instead)
        self.order = np.zeros(0, np.int64)
        self.start = np.zeros(n_target + 1, np.int64)

    def _build(self) -> None:
        ego = self.ties.ego
        self.order = np.argsort(ego, kind="stable")
        self.start[1:] = np.cumsum(np.bincount(ego, minlength=self.n_target))
        self.indexed = len(ego)

    def rows_of(self, egos: np.ndarray) -> np.ndarray:
        """Every tie row (live or not) of the people ``egos``, ordered by ego, then row."""
        mark = np.zeros(self.n_target, bool)
        mark[egos] = True
        if len(self.ties) < SCAN_BELOW:
            rows = np.flatnonzero(mark[self.ties.ego])
            return rows[np.argsort(self.ties.ego[rows], kind="stable")]
        if len(self.ties) - self.indexed > REBUILD_SHARE * len(self.ties):
            self._build()
        who = np.flatnonzero(mark)
        lo, counts = self.start[who], self.start[who + 1] - self.start[who]
        ends = np.cumsum(counts)
        within = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - counts, counts)
        rows = self.order[np.repeat(lo, counts) + within]
        tail = self.indexed + np.flatnonzero(mark[self.ties.ego[self.indexed :]])
        if len(tail) == 0:
            return rows
        rows = np.concatenate([rows, tail])
        return rows[np.argsort(self.ties.ego[rows], kind="stable")]
