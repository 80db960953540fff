"""The local backend: a pool of processes on this machine.

A worker process that dies (out of memory, killed) breaks a ``ProcessPoolExecutor``: every
item not yet finished fails with it. This backend starts a new pool and goes on: items
that had not started run again as before; the items that were running when the worker
died (they are known from a marker each writes as it starts) run again one at a time,
alone in the pool, so that a death is the item's own. An item whose worker died more than
:data:`~netmob.experiments.backends.MAX_DEATHS` times comes back as
:class:`~netmob.experiments.backends.Died`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from netmob.experiments.backends import MAX_DEATHS, Died, Lost

# What a worker process needs, imported once in the fork server, so that each worker
# starts in milliseconds instead of importing numpy, Mesa and the model again.
PRELOAD = ["netmob.experiments.worker", "netmob.experiments.calibration.simulator"]


def _context() -> multiprocessing.context.BaseContext:
    """Worker processes forked from a clean server process (``forkserver``): it has only
    imported :data:`PRELOAD`, so no state of this process is inherited, as with ``spawn``,
    but a worker does not import everything again."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


class LocalBackend:
    """Runs items on ``workers`` fresh processes (forked from a clean server, so no state
    of this process is inherited); with one worker, here in this process, one after
    another (no pool to start)."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    @contextlib.contextmanager
    def open(self) -> Iterator[LocalBackend]:
        """Keep one pool for every map inside the block (a calibration maps once per
        generation; starting a pool each time would cost seconds)."""
        if self.workers == 1 or self._pool is not None:
            yield self
            return
        self._pool = self._new_pool()
        try:
            yield self
        finally:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=_context())

    def describe(self) -> str:
        """Where the work runs."""
        if self.workers == 1:
            return "local, in this process"
        return f"local, {self.workers} worker processes"

    def worker_memory(self) -> tuple[int, str]:
        """The memory one run may use, and where that is: this machine's."""
        from netmob.experiments.memory import machine_memory

        return machine_memory(), "this machine"

    def map_unordered(
        self, fn: Callable[[Any], Any], items: Iterable[Any]
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``fn`` on every item in the pool; yield ``(item, result or Lost)``.

        A dead worker process costs no other item: see the module's docstring."""
        if self.workers == 1:
            for item in items:
                yield item, fn(item)
            return
        with tempfile.TemporaryDirectory(prefix="netmob-started-") as marks:
            with _Pools(self) as pools:
                yield from _map(fn, list(items), pools, Path(marks))


class _Pools:
    """The pool a map runs on: the backend's open one, or its own; replaced when broken."""

    def __init__(self, backend: LocalBackend) -> None:
        self.backend = backend
        self.owned = backend._pool is None
        self.pool = backend._pool or backend._new_pool()

    def replace(self) -> None:
        """A new pool for a broken one."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self.backend._new_pool()
        if not self.owned:
            self.backend._pool = self.pool

    def __enter__(self) -> _Pools:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.owned:
            self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)


def _started(fn: Callable[[Any], Any], mark: str, item: Any) -> Any:
    """``fn(item)`` in a worker, after leaving a marker that it started."""
    Path(mark).touch()
    return fn(item)


def _map(
    fn: Callable[[Any], Any], items: list[Any], pools: _Pools, marks: Path
) -> Iterator[tuple[Any, Any]]:
    """Every item through the pool; after a worker death, the items it interrupted one at
    a time."""
    deaths = [0] * len(items)
    todo, alone = list(range(len(items))), []
    idle_breaks = 0  # pool breaks with no item running (a worker dying at start)
    while todo:
        unfinished = yield from _round(fn, items, todo, pools, marks)
        if not unfinished:
            break
        pools.replace()
        running = [i for i in unfinished if (marks / str(i)).exists()]
        for i in running:
            deaths[i] += 1
            (marks / str(i)).unlink()
        alone += running
        todo = [i for i in unfinished if i not in running]
        idle_breaks = 0 if running else idle_breaks + 1
        if idle_breaks > MAX_DEATHS:
            for i in todo:
                yield items[i], Lost("the worker processes keep dying before they start a run")
            return
    for i in alone:
        while (yield from _round(fn, items, [i], pools, marks)):
            pools.replace()
            deaths[i] += 1
            if deaths[i] > MAX_DEATHS:
                yield items[i], Died(f"its worker process died {deaths[i]} times", deaths[i])
                break


def _round(
    fn: Callable[[Any], Any], items: list[Any], todo: list[int], pools: _Pools, marks: Path
) -> Generator[tuple[Any, Any], None, list[int]]:
    """Submit ``todo`` and yield each result as it comes; return the indices a broken pool
    left unfinished (empty when none broke)."""
    futures: dict[Future, int] = {}
    broken: list[int] = []
    try:
        for n, i in enumerate(todo):
            try:
                futures[pools.pool.submit(_started, fn, str(marks / str(i)), items[i])] = i
            except BrokenProcessPool:  # it broke while the rest were being submitted
                broken = todo[n:]
                break
        for future in as_completed(futures):
            i = futures.pop(future)
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                broken.append(i)
            else:
                yield items[i], Lost(repr(error)) if error else future.result()
        return sorted(broken)
    finally:
        for f in futures:
            f.cancel()
