"""The Dask backend: a ``distributed`` client to a scheduler, or to a local cluster."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from netmob.experiments.backends import Lost
from netmob.sim.errors import InputError


class DaskBackend:
    """Runs items as Dask tasks; a lost worker's tasks are rerun by the scheduler.

    Args:
        scheduler: Address of a running scheduler (``tcp://host:8786``); None starts a
            local cluster of ``workers`` single-threaded processes for the sweep.
        workers: Workers of the local cluster (ignored with a scheduler).
    """

    name = "dask"

    def __init__(self, scheduler: str | None, workers: int) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self._client = None

    @contextlib.contextmanager
    def open(self) -> Iterator[DaskBackend]:
        """Keep one client (and local cluster) for every map inside the block."""
        if self._client is not None:
            yield self
            return
        with contextlib.ExitStack() as stack:
            self._client = self._connect(stack)
            try:
                yield self
            finally:
                self._client = None

    def describe(self) -> str:
        """Where the work runs."""
        if self.scheduler:
            return f"dask, scheduler {self.scheduler}"
        return f"dask, local cluster of {self.workers} workers"

    def map_unordered(
        self, fn: Callable[[Any], Any], items: Iterable[Any]
    ) -> Iterator[tuple[Any, Any]]:
        """Submit every item (keyed by ``item.key``); yield ``(item, result or Lost)``."""
        from distributed import as_completed

        with contextlib.ExitStack() as stack:
            client = self._client or self._connect(stack)
            self.workers = sum(client.nthreads().values()) or self.workers
            futures = {client.submit(fn, item, key=item.key, pure=False): item for item in items}
            for future in as_completed(futures):
                item = futures.pop(future)
                try:
                    result = future.result()
                except Exception as err:  # e.g. KilledWorker: the scheduler gave up on it
                    result = Lost(repr(err))
                future.release()
                yield item, result

    def _connect(self, stack: contextlib.ExitStack):
        from distributed import Client, LocalCluster

        if self.scheduler is None:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port; none is needed
                )
            )
            return stack.enter_context(Client(cluster))
        try:
            return stack.enter_context(Client(self.scheduler, timeout="20s"))
        except (OSError, TimeoutError) as err:
            raise InputError(
                f"cannot reach the Dask scheduler ({err})",
                field="--scheduler",
                value=self.scheduler,
                allowed="the address of a running scheduler, e.g. tcp://127.0.0.1:8786",
            ) from None
