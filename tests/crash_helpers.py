"""Functions that kill the worker process running them, for the tests of worker deaths.

They live in a module of their own so that spawned worker processes (the local backend's
pool, Dask's workers) import them by name, as they import netmob's own: nothing in netmob
knows of them. A run dies when its parameters say so (:data:`CRASH_POINT`), the way a run
too big for its worker's memory would be killed by the kernel.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

# The design point of tests.sweep_helpers.TINY whose runs kill their worker.
CRASH_POINT = {"pathways.nudge": True, "attendance.barrier_scale": 1.5}
CRASH_REPLICATE = 1  # the comparison's replicate whose task kills its worker


def die(how: str = "exit") -> None:
    """End this process at once, as the kernel's OOM killer would (no cleanup)."""
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)


@dataclass(frozen=True)
class Item:
    """A task for a backend: ``value`` to square, or (negative) a worker to kill; with a
    ``once`` file, only the first time (the file marks that it happened)."""

    value: int
    once: str | None = None
    how: str = "exit"

    @property
    def key(self) -> str:
        return f"crash-test-{self.value}-{self.once}-{os.getppid()}"


def square_or_die(item: Item) -> int:
    """``item.value`` squared; a negative value kills the worker first."""
    if item.value < 0:
        if item.once is None:
            die(item.how)
        elif not Path(item.once).exists():
            Path(item.once).touch()
            die(item.how)
    return item.value**2


def crashing_run_batch(batch):
    """:func:`netmob.experiments.worker.run_batch`, except that a batch holding a run of
    :data:`CRASH_POINT` kills its worker."""
    from netmob.experiments.worker import run_batch

    for task in batch.tasks:
        if all(task.overrides.get(k) == v for k, v in CRASH_POINT.items()):
            die("kill")
    return run_batch(batch)


def crashing_run_replicate(task):
    """:func:`netmob.experiments.compare.run_replicate`, except that replicate
    :data:`CRASH_REPLICATE` kills its worker."""
    from netmob.experiments.compare import run_replicate

    if task.replicate == CRASH_REPLICATE:
        die("exit")
    return run_replicate(task)
