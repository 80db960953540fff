"""The runner of every kind of experiment: skip what is already done, run the rest on a
backend, stream the records to the store in chunks, and show progress.

The runner is the one place that knows about resuming, failures and progress; backends
only run a function over items (:mod:`netmob.experiments.backends`), workers only run
models (:mod:`netmob.experiments.worker` for a sweep, :mod:`netmob.experiments.compare`
for a paired comparison), the store only writes and reads
(:mod:`netmob.experiments.store`). :func:`run_sweep` is one kind;
:func:`netmob.experiments.compare.run_compare` another; both end in :func:`execute`.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netmob.experiments.backends import WORKER_DIED, Backend, Died, Lost
from netmob.experiments.extend import grown_plan
from netmob.experiments.plan import RunTask, plan
from netmob.experiments.spec import SweepSpec
from netmob.experiments.store import MemoryStore, SweepStore, code_version, session_info
from netmob.experiments.worker import OK, Batch, RunOutput, failed_run, run_batch
from netmob.sim.io import write_parquet

DRAWS = "draws.parquet"  # a sweep on a posterior: one row per replicate, its particle


@dataclass
class SweepReport:
    """What one session of an experiment (a sweep, a comparison) did.

    ``overhead`` is the share of the workers' wall time not spent in the model:
    ``1 - model_seconds / (workers * wall_seconds)``, where ``model_seconds`` sums each
    run's time in :func:`netmob.sim.run.simulate` (building, stepping, collecting) and
    ``wall_seconds`` runs from starting the backend to the last chunk written. It counts
    starting the workers, shipping tasks and results, writing chunks, and idle workers
    at the end of the sweep.
    """

    out: Path | None  # None: run in memory
    runs: int
    done_before: int
    ran: int = 0
    ok: int = 0
    failed: int = 0
    lost: int = 0
    workers: int = 1
    wall_seconds: float = 0.0
    model_seconds: float = 0.0
    step_seconds: float = 0.0
    started_with: str = ""  # code version the sweep began with
    code_version: str = ""  # code version of this session

    @property
    def overhead(self) -> float:
        """Share of the workers' wall time spent outside the model."""
        capacity = self.workers * self.wall_seconds
        return 1.0 - self.model_seconds / capacity if capacity > 0 else 0.0

    @property
    def missing(self) -> int:
        """Runs of the design still not done (lost ones included)."""
        return self.runs - self.done_before - self.ok - self.failed


class ChunkWriter:
    """Buffers finished runs and writes a chunk every ``every`` runs or ``seconds``."""

    def __init__(self, store: SweepStore | MemoryStore, every: int, seconds: float) -> None:
        self.store, self.every, self.seconds = store, every, seconds
        self.buffer: list[RunOutput] = []
        self.last = time.monotonic()

    def add(self, outputs: list[RunOutput]) -> None:
        """Buffer ``outputs``; write a chunk if one is due."""
        self.buffer.extend(outputs)
        if len(self.buffer) >= self.every or time.monotonic() - self.last >= self.seconds:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered."""
        self.store.write(self.buffer)
        self.buffer, self.last = [], time.monotonic()


def batches(spec: SweepSpec, tasks: list[RunTask], size: int) -> list[Batch]:
    """Tasks grouped ``size`` at a time, each batch with a key unique to this session."""
    token = uuid.uuid4().hex[:8]
    base = spec.base_params.model_dump()
    return [
        Batch(
            key=f"netmob-{spec.digest()}-{token}-{tasks[i].run_id}",
            base=base,
            tasks=tuple(tasks[i : i + size]),
            outcomes=spec.outcomes,
            weekly=spec.weekly,
        )
        for i in range(0, len(tasks), size)
    ]


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    backend: Backend,
    *,
    batch: int = 1,
    chunk: int = 50,
    flush_seconds: float = 30.0,
    retry_failed: bool = False,
    progress: bool = True,
) -> SweepReport:
    """Run every run of ``spec`` not yet in ``out`` on ``backend``.

    Args:
        spec: The sweep.
        out: Its directory (created, or resumed).
        backend: Where runs run.
        batch: Runs per task sent to a worker (more for very short runs).
        chunk: Runs per chunk written (a chunk is also written every ``flush_seconds``).
        flush_seconds: Longest wait before finished runs are written.
        retry_failed: Run again the runs that failed in earlier sessions.
        progress: Show a progress bar on stderr.

    A spec that asks for more of the sweep ``out`` holds (more replicates, more levels of a
    grid's factors, nothing else changed) grows it: only the new runs run
    (:mod:`netmob.experiments.extend`).

    Raises:
        InputError: for a bad design point, a directory held by another session or
            holding another spec.
    """
    the_plan = grown_plan(out, spec, plan(spec))  # a sweep asked for more: only the new runs
    store = SweepStore(out).open(
        spec, the_plan.points, session_info(backend.name, getattr(backend, "workers", None))
    )
    with store:
        if the_plan.draws is not None:  # each replicate's posterior particle
            write_parquet(the_plan.draws, store.root / DRAWS)
        done = store.finished(retry_failed)
        todo = [t for t in the_plan.tasks if t.run_id not in done]
        return execute(
            store,
            batches(spec, todo, batch),
            run_batch,
            backend,
            runs=len(the_plan.tasks),
            done_before=len(done),
            chunk=chunk,
            flush_seconds=flush_seconds,
            progress=progress,
        )


def execute(
    store: SweepStore | MemoryStore,
    items: Sequence[Any],
    fn: Callable[[Any], list[RunOutput]],
    backend: Backend,
    *,
    runs: int,
    done_before: int,
    chunk: int = 50,
    flush_seconds: float = 30.0,
    progress: bool = True,
    on_done: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Run ``fn`` over ``items`` on ``backend`` and write what comes back to ``store`` (a
    folder's, or one in memory).

    Each item has a ``size`` (the runs it holds) and ``identities()`` (the start of each
    run's record); ``fn(item)`` returns one :class:`~netmob.experiments.worker.RunOutput`
    per run and never raises for a failing run. An item the backend lost is left for the
    next session; one whose worker kept dying (:class:`~netmob.experiments.backends.Died`)
    is recorded as failed runs with the error ``worker died (memory?)``. ``runs`` and
    ``done_before`` count the experiment's runs in all and those already on disk;
    ``on_done(done, total)`` (optional) hears of progress in runs.
    """
    report = SweepReport(
        out=store.root,
        runs=runs,
        done_before=done_before,
        started_with=store.started_with or "",
        code_version=code_version(),
    )
    writer = ChunkWriter(store, chunk, flush_seconds)
    start = time.perf_counter()
    try:
        _run(backend, fn, list(items), writer, report, progress, on_done)
    finally:
        writer.flush()
        report.wall_seconds = time.perf_counter() - start
        report.workers = getattr(backend, "workers", 1)
    return report


def _run(
    backend: Backend,
    fn: Callable[[Any], list[RunOutput]],
    items: list[Any],
    writer: ChunkWriter,
    report: SweepReport,
    progress: bool,
    on_done: Callable[[int, int], None] | None,
) -> None:
    from tqdm import tqdm

    if not items:
        return
    total = sum(item.size for item in items)
    done = 0
    with tqdm(total=total, desc="runs", unit="run", disable=not progress, file=sys.stderr) as bar:
        for item, result in backend.map_unordered(fn, items):
            if isinstance(result, Died):
                result = [failed_run(ids, WORKER_DIED, result.error) for ids in item.identities()]
            if isinstance(result, Lost):
                report.lost += item.size
            else:
                first = report.failed == 0
                _count(result, report)
                writer.add(result)
                if first and report.failed:
                    bar.write(_first_failure(result), file=sys.stderr)
            bar.update(item.size)
            bar.set_postfix(failed=report.failed, lost=report.lost, refresh=False)
            done += item.size
            if on_done is not None:
                on_done(done, total)


def _first_failure(outputs: list[RunOutput]) -> str:
    r = next(o.record for o in outputs if o.record["status"] != OK)
    return f"run {r['run_id']} failed: {r['error']} (the rest go on; see netmob results)"


def _count(outputs: list[RunOutput], report: SweepReport) -> None:
    for o in outputs:
        r = o.record
        report.ran += 1
        report.ok += r["status"] == OK
        report.failed += r["status"] != OK
        report.model_seconds += r["model_seconds"]
        if r["status"] == OK:
            report.step_seconds += r["run_seconds"]
