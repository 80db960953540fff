"""Backends run a function over items on some workers and yield results as they finish.

One interface, one small module per backend (EMA Workbench style):

- :mod:`netmob.experiments.backends.local`: processes on this machine (the default);
- :mod:`netmob.experiments.backends.dask`: a Dask ``distributed`` cluster (an existing
  scheduler, or a local cluster started for the sweep).

A backend's ``map_unordered(fn, items)`` yields ``(item, result)`` pairs in the order they
finish; when the backend itself loses an item (the connection to the cluster broke) the
result is a :class:`Lost` instead, and the runner leaves that item for the next resume.
Errors inside ``fn`` are ``fn``'s business (see :mod:`netmob.experiments.worker`).

A worker process that dies (out of memory, killed) does not stop the others: the items it
was running are run again, and an item whose worker died more than :data:`MAX_DEATHS`
times comes back as :class:`Died` (a kind of :class:`Lost`), which the runner records as a
failed run with the error :data:`WORKER_DIED` instead of leaving it for a next session
that would die the same way.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from netmob.sim.errors import InputError

BACKENDS = ("local", "dask")


# An item may take its worker process down this many times; the next death fails it
# (Dask: the scheduler's ``allowed-failures``, which the local Dask cluster is given).
MAX_DEATHS = 2
WORKER_DIED = "worker died (memory?)"  # the error of a run that kept killing its worker


@dataclass(frozen=True)
class Lost:
    """An item the backend could not run, and why."""

    error: str


@dataclass(frozen=True)
class Died(Lost):
    """An item whose worker died every time it ran, more than :data:`MAX_DEATHS` times
    (most likely it needs more memory than a worker has): a failure, not a loss.
    ``error`` says what the backend saw; ``deaths`` counts the deaths."""

    deaths: int = 0


class Backend(Protocol):
    """What the runner needs from a backend."""

    name: str

    def describe(self) -> str:
        """One line: where the work runs."""
        ...

    def map_unordered(
        self, fn: Callable[[Any], Any], items: Iterable[Any]
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``fn`` on every item; yield ``(item, result or Lost)`` as each finishes."""
        ...

    def open(self) -> contextlib.AbstractContextManager[Backend]:
        """A block in which every map reuses one pool or client (for many short maps)."""
        ...

    def worker_memory(self) -> tuple[int | None, str]:
        """The memory one run may use in bytes (None: unknown), and where that is."""
        ...


def make_backend(
    name: str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: str | None = None,
) -> Backend:
    """A backend by name.

    Args:
        name: ``local`` or ``dask``.
        workers: Worker processes (local, or a local Dask cluster); default: the CPU count.
        scheduler: Address of a running Dask scheduler (``dask`` only).
        scheduler_file: The JSON file of a running Dask scheduler (``dask`` only; the
            dask-jobqueue and dask-mpi idiom), instead of its address.

    Raises:
        InputError: for an unknown backend, a bad worker count, a scheduler given to
            the local backend, or both a scheduler address and a scheduler file.
    """
    if name not in BACKENDS:
        raise InputError(
            "unknown backend", field="--backend", value=name, allowed=", ".join(BACKENDS)
        )
    if workers is not None and workers < 1:
        raise InputError(
            "need at least one worker", field="--workers", value=workers, allowed="1 or more"
        )
    if scheduler and scheduler_file:
        raise InputError(
            "give the scheduler's address or its file, not both",
            field="--scheduler-file",
            value=scheduler_file,
            allowed="--scheduler ADDRESS or --scheduler-file FILE",
        )
    if name == "local":
        for option, given in (("--scheduler", scheduler), ("--scheduler-file", scheduler_file)):
            if given:
                raise InputError(
                    "a Dask scheduler needs the dask backend",
                    field=option,
                    value=given,
                    allowed=f"--backend dask {option} {'FILE' if 'file' in option else 'ADDRESS'}",
                )
        from netmob.experiments.backends.local import LocalBackend

        return LocalBackend(workers or os.cpu_count() or 1)
    from netmob.experiments.backends.dask import DaskBackend

    return DaskBackend(
        scheduler=scheduler, workers=workers or os.cpu_count() or 1, scheduler_file=scheduler_file
    )
