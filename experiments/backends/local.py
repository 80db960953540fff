"""The local backend: a pool of processes on this machine."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from netmob.experiments.backends import Lost


class LocalBackend:
    """Runs items on ``workers`` fresh processes (spawned, so no state is inherited); with
    one worker, here in this process, one after another (no pool to start)."""

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
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def describe(self) -> str:
        """Where the work runs."""
        if self.workers == 1:
            return "local, in this process"
        return f"local, {self.workers} worker processes"

    def map_unordered(
        self, fn: Callable[[Any], Any], items: Iterable[Any]
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``fn`` on every item in the pool; yield ``(item, result or Lost)``."""
        if self.workers == 1:
            for item in items:
                yield item, fn(item)
            return
        pool = self._pool or self._new_pool()
        futures = {}
        try:
            futures = {pool.submit(fn, item): item for item in items}
            for future in as_completed(futures):
                item = futures.pop(future)
                error = future.exception()
                yield item, Lost(repr(error)) if error else future.result()
        finally:
            if pool is not self._pool:
                pool.shutdown(wait=not futures, cancel_futures=True)
            elif futures:
                for f in futures:
                    f.cancel()
