"""The Dask backend: a ``distributed`` client to a scheduler, or to a local cluster.

A worker that dies takes its tasks with it; the scheduler runs them again elsewhere, and
gives up on a task whose workers died more than its ``allowed-failures`` times
(``KilledWorker``): that task comes back as :class:`~netmob.experiments.backends.Died`, a
failed run. A local cluster is configured to count as the local backend does
(:data:`LOCAL_CLUSTER`); a scheduler started elsewhere keeps its own settings (Dask's
defaults: ``allowed-failures`` 3, and ``worker-saturation`` 1.1, under which a task
waiting on a worker that dies is counted too; start it with
``DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=2`` and
``DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=1.0`` to count as netmob does here).

On connecting, every worker is asked which netmob it runs: one that runs another version
than this command stops the command before any task is sent.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from netmob.experiments.backends import MAX_DEATHS, Died, Lost
from netmob.sim.errors import InputError

WAIT_SECONDS = 20  # for the scheduler to answer, or its scheduler file to appear
# The scheduler of a local cluster: a task fails after MAX_DEATHS + 1 dead workers, as on
# the local backend, and each worker holds only the task it runs (with Dask's default of
# 1.1, a one-thread worker holds a second one, which a death would count against too).
LOCAL_CLUSTER = {
    "distributed.scheduler.allowed-failures": MAX_DEATHS,
    "distributed.scheduler.worker-saturation": 1.0,
}


class DaskBackend:
    """Runs items as Dask tasks; a lost worker's tasks are rerun by the scheduler.

    Args:
        scheduler: Address of a running scheduler (``tcp://host:8786``); None (and no
            ``scheduler_file``) starts a local cluster of ``workers`` single-threaded
            processes for the sweep.
        workers: Workers of the local cluster (ignored with a scheduler).
        scheduler_file: A scheduler's JSON file, as ``dask scheduler --scheduler-file``,
            dask-jobqueue and dask-mpi write it.
    """

    name = "dask"

    def __init__(self, scheduler: str | None, workers: int, scheduler_file: str | None = None):
        self.scheduler = scheduler
        self.scheduler_file = scheduler_file
        self.workers = workers
        self._client: Any = None  # a distributed.Client while open()

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
        if self.scheduler_file:
            return f"dask, scheduler of {self.scheduler_file}"
        return f"dask, local cluster of {self.workers} workers"

    def worker_memory(self) -> tuple[int | None, str]:
        """The memory one run may use (the smallest worker's memory limit; None when the
        workers have none), and where that is."""
        with self.open():
            client = self._client
            assert client is not None  # open() connected it
            workers = client.scheduler_info(n_workers=-1)["workers"].values()
        limits = [w.get("memory_limit") or 0 for w in workers]
        if not limits or not all(limits):
            return None, "the Dask workers"
        return min(limits), "a Dask worker (its memory limit)"

    def map_unordered(
        self, fn: Callable[[Any], Any], items: Iterable[Any]
    ) -> Iterator[tuple[Any, Any]]:
        """Submit every item (keyed by ``item.key``); yield ``(item, result or Lost)``."""
        from distributed import KilledWorker, as_completed

        with contextlib.ExitStack() as stack:
            client = self._client or self._connect(stack)
            self.workers = sum(client.nthreads().values()) or self.workers
            futures = {client.submit(fn, item, key=item.key, pure=False): item for item in items}
            for future in as_completed(futures):
                item = futures.pop(future)
                try:
                    result = future.result()
                except KilledWorker as err:  # its workers kept dying: a failed run
                    deaths = err.allowed_failures + 1
                    result = Died(f"its Dask worker died {deaths} times ({err})", deaths)
                except Exception as err:  # the scheduler lost it some other way
                    result = Lost(repr(err))
                future.release()
                yield item, result

    def _connect(self, stack: contextlib.ExitStack):
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler is None and self.scheduler_file is None:
            with dask.config.set(LOCAL_CLUSTER):
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # any free port; none is needed
                    )
                )
            client = stack.enter_context(Client(cluster))
            check_versions(client, "--backend", "dask")
            return client
        value: str | None
        where: dict[str, Any]
        if self.scheduler_file is not None:
            field, value = "--scheduler-file", self.scheduler_file
            where = {"scheduler_file": read_scheduler_file(self.scheduler_file)}
        else:
            field, value = "--scheduler", self.scheduler
            where = {"address": self.scheduler}
        try:
            client = stack.enter_context(Client(**where, timeout=f"{WAIT_SECONDS}s"))
        except (OSError, TimeoutError) as err:
            raise InputError(
                f"cannot reach the Dask scheduler ({err})",
                field=field,
                value=value,
                allowed="the address of a running scheduler, e.g. tcp://127.0.0.1:8786, or "
                "its --scheduler-file",
            ) from None
        check_versions(client, field, value)
        return client


def read_scheduler_file(path: str, wait: float | None = None) -> str:
    """``path`` once it exists (a scheduler starting at the same time writes it soon),
    checked to hold a scheduler's address.

    Raises:
        InputError: if it does not appear within ``wait`` seconds (default
            :data:`WAIT_SECONDS`), or holds no address.
    """
    wait = WAIT_SECONDS if wait is None else wait
    file = Path(path)
    deadline = time.monotonic() + wait
    while not file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    allowed = "the JSON file a scheduler writes (dask scheduler --scheduler-file FILE)"
    try:
        address = json.loads(file.read_text()).get("address")
    except FileNotFoundError:
        raise InputError(
            f"no scheduler file after {wait:g} s",
            field="--scheduler-file",
            value=path,
            allowed=allowed,
        ) from None
    except (OSError, ValueError, AttributeError) as err:
        raise InputError(
            f"cannot read the scheduler file ({type(err).__name__}: {err})",
            field="--scheduler-file",
            value=path,
            allowed=allowed,
        ) from None
    if not isinstance(address, str) or not address:
        raise InputError(
            "the scheduler file names no address",
            field="--scheduler-file",
            value=path,
            allowed=allowed,
        )
    return str(file)


def worker_version() -> str:
    """The netmob a worker runs (what :func:`check_versions` runs on every worker)."""
    from netmob.experiments.store import code_version

    return code_version()


def check_versions(client: Any, field: str, value: str | None) -> None:
    """Every worker the client sees runs this command's netmob version.

    Raises:
        InputError: naming the versions found, if any worker runs another one (or cannot
            import netmob at all).
    """
    from netmob.experiments.store import code_version

    mine = code_version()
    found = client.run(worker_version, on_error="return")
    theirs = {
        address: v if isinstance(v, str) else f"no netmob ({type(v).__name__}: {v})"
        for address, v in found.items()
    }
    other = {a: v for a, v in theirs.items() if v != mine}
    if not other:
        return
    seen = sorted(set(other.values()))
    address = sorted(other)[0]
    raise InputError(
        f"{len(other)} of {len(theirs)} Dask workers run another netmob than this command "
        f"({mine}): {', '.join(seen)} (e.g. {address}), so their runs would not be this "
        "code's",
        field=field,
        value=value,
        allowed=f"workers running {mine}: start them from the same netmob as this command",
    )
