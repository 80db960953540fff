"""pyabc's mapping sampler, made reproducible, on netmob's backends.

pyabc's ``MappingSampler`` maps one task per particle over any ``map`` (a process pool,
Dask's ``Client.map``): each task proposes and simulates until one particle is accepted.
It reseeds every task from the operating system, and pyabc's ``DaskDistributedSampler``
accepts whichever particles finish first, so neither gives the same posterior twice.
:class:`SeededMappingSampler` seeds task ``i`` of generation ``t`` from the calibration's
seed, ``t`` and ``i`` alone and keeps the tasks' order, so the same spec and seed give the
same particles on one process, on a pool of any size, or on a Dask cluster.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import cloudpickle  # type: ignore[import-untyped]  # ships no types; bytes in and out
import numpy as np
from pyabc.sampler import MappingSampler

from netmob.experiments.backends import Backend, Lost


class LostWork(RuntimeError):
    """A worker died or the backend lost a task: the generation cannot finish."""


class Keyed(Protocol):
    """An item a backend maps: it names itself (Dask's key)."""

    @property
    def key(self) -> str: ...


@dataclass(frozen=True)
class Task:
    """One particle's task: the pickled simulate function and its seed's key."""

    payload: bytes
    seed: tuple[int, ...]

    @property
    def key(self) -> str:
        """A unique name for Dask."""
        return "calibrate-" + "-".join(str(s) for s in self.seed)


def run_task(task: Task) -> tuple[Any, int]:
    """Propose and simulate until one particle is accepted; ``(sample, simulations)``."""
    simulate_one, make_sample = cloudpickle.loads(task.payload)
    state = np.random.SeedSequence(list(task.seed)).generate_state(1)[0]
    np.random.seed(int(state))  # noqa: NPY002 - pyabc proposes from the global generator
    random.seed(int(state))
    sample, n = make_sample(), 0
    while True:
        particle = simulate_one()
        n += 1
        sample.append(particle)
        if particle.accepted:
            return sample, n


class SeededMappingSampler(MappingSampler):
    """A ``MappingSampler`` whose tasks are seeded from ``(seed, t, kind, i)``."""

    def __init__(self, backend: Backend, seed: int) -> None:
        super().__init__(map_=ordered_map(backend))
        self.seed = seed

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        payload = cloudpickle.dumps((simulate_one, self.sample_factory))
        kind = 1 if all_accepted else 0  # the prior sample before generation 0 has t = -1
        tasks = [Task(payload, (self.seed, t + 1, kind, i)) for i in range(n)]
        sample = self._create_empty_sample()
        self.nr_evaluations_ = 0
        for part, evaluations in self.map_(run_task, tasks):
            sample += part
            self.nr_evaluations_ += evaluations
        return sample


def ordered_map(backend: Backend) -> Callable[[Callable[[Any], Any], Iterable[Keyed]], list[Any]]:
    """``map`` over a backend, results in the items' order; a lost item raises."""

    def map_(fn: Callable[[Any], Any], items: Iterable[Keyed]) -> list[Any]:
        items = list(items)
        index = {item.key: i for i, item in enumerate(items)}
        results: list[Any] = [None] * len(items)
        for item, result in backend.map_unordered(fn, items):
            if isinstance(result, Lost):
                raise LostWork(result.error)
            results[index[item.key]] = result
        return results

    return map_
