"""The local backend: a pool of processes on this machine."""

from __future__ import annotations

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
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        futures = {}
        try:
            futures = {pool.submit(fn, item): item for item in items}
            for future in as_completed(futures):
                item = futures.pop(future)
                error = future.exception()
                yield item, Lost(repr(error)) if error else future.result()
        finally:
            pool.shutdown(wait=not futures, cancel_futures=True)
