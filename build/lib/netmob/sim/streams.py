"""Random streams: one seed per run, one stream per process, per week and per purpose.

Each draw comes from a generator keyed by ``(process, week, purpose)`` spawned from the
run's seed. A process's draws therefore never depend on how many draws another process
made, nor on how many it made itself in earlier weeks: switching a programme on leaves
the draws of health, support, attendance and ties untouched (common random numbers), and
rows appended to a table get fresh draws without shifting those of earlier rows.
"""

from __future__ import annotations

import zlib

import numpy as np

PROCESS_IDS = {
    "community": 1,
    "health": 2,
    "support": 3,
    "attendance": 4,
    "ties": 5,
    "programme": 6,
    "pathways": 7,
    "outcomes": 8,
    "workers": 9,
}


def _key(purpose: str) -> int:
    return zlib.crc32(purpose.encode())


class Streams:
    """The generator tree of one run.

    Args:
        seed: The run's seed.

    Examples:
        >>> s = Streams(1)
        >>> a = s.get("health", 3, "exacerbation").random(2)
        >>> b = Streams(1).get("health", 3, "exacerbation").random(2)
        >>> bool((a == b).all())
        True
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def get(self, process: str, week: int, purpose: str = "") -> np.random.Generator:
        """The generator for one process, week (may be negative in burn-in) and purpose."""
        key = (PROCESS_IDS[process], int(week) + 100_000, _key(purpose))
        return np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key))
        )
