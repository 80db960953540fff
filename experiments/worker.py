"""What a worker does: run a batch of runs and return one record per run.

This is the function every backend ships to its workers, so it must be importable there
(``netmob.experiments.worker.run_batch``) and must not raise for a run that fails: a run that
raises, or lacks an outcome the spec asks for, comes back as a ``failed`` record with its
error, and the sweep goes on.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from typing import Any

from netmob.experiments.outcomes import pick, weekly_rows
from netmob.experiments.plan import RunTask
from netmob.experiments.records import FAILED, OK, RunOutput

__all__ = [
    "FAILED",
    "OK",
    "Batch",
    "RunOutput",
    "failed_run",
    "failure",
    "identity",
    "run_batch",
    "run_one",
]


@dataclass(frozen=True)
class Batch:
    """Runs sent to a worker together, with what they share.

    Args:
        key: A name unique within the sweep (backends use it as the task's key).
        base: The base parameters (``Params.model_dump()``); each run applies its overrides.
        tasks: The runs.
        outcomes: Summary names to keep (None: every scalar).
        weekly: Weekly columns to keep (empty: none; None: all).
    """

    key: str
    base: dict[str, Any]
    tasks: tuple[RunTask, ...]
    outcomes: tuple[str, ...] | None
    weekly: tuple[str, ...] | None

    @property
    def size(self) -> int:
        """Runs in the batch."""
        return len(self.tasks)

    def identities(self) -> list[dict[str, Any]]:
        """Each run's identity, as its record begins."""
        return [identity(task) for task in self.tasks]


def run_batch(batch: Batch) -> list[RunOutput]:
    """Run every task of ``batch``; never raises for a failing run."""
    import netmob.sim.model  # noqa: F401  (imported here so a worker's first run is not timed importing)
    from netmob.sim.params import Params

    base = Params.model_validate(batch.base)
    return [run_one(base, task, batch.outcomes, batch.weekly) for task in batch.tasks]


def run_one(
    base, task: RunTask, outcomes: tuple[str, ...] | None, weekly: tuple[str, ...] | None
) -> RunOutput:
    """One run: simulate, keep the outcomes; a failure becomes a ``failed`` record.

    ``model_seconds`` is the time in :func:`netmob.sim.run.simulate` (building, stepping and
    collecting the model); ``run_seconds`` is the model's own stepping time.
    """
    from netmob.sim.run import simulate

    record = identity(task)
    start = time.perf_counter()
    try:
        params = base.with_overrides(task.overrides) if task.overrides else base
        start = time.perf_counter()
        result = simulate(params, task.seed)
        model_seconds = time.perf_counter() - start
        values = pick(result.summary, list(outcomes) if outcomes is not None else None)
        rows = weekly_rows(result.weekly, weekly) if weekly != () else None
    except Exception as err:  # a failing run is data, not a crash
        record.update(failure(err, time.perf_counter() - start))
        return RunOutput(record)
    record.update(
        status=OK,
        error=None,
        model_seconds=model_seconds,
        run_seconds=float(result.summary.get("run_seconds", float("nan"))),
        **values,
    )
    if rows is not None:
        rows.insert(0, "run_id", task.run_id)
    return RunOutput(record, rows)


def identity(task: RunTask) -> dict[str, Any]:
    """The fields that name a run, first in its record."""
    return {
        "run_id": task.run_id,
        "point": task.point,
        "replicate": task.replicate,
        "seed": task.seed,
    }


def failed_run(identity: dict[str, Any], error: str, detail: str) -> RunOutput:
    """The record of a run that failed outside the model (its worker died): ``error`` in
    one line, ``detail`` in place of a traceback."""
    return RunOutput(
        {
            **identity,
            "status": FAILED,
            "error": error,
            "traceback": detail,
            "model_seconds": 0.0,
            "run_seconds": float("nan"),
        }
    )


def failure(err: BaseException, seconds: float) -> dict[str, Any]:
    """The fields of a failed record: status, the error in one line, the traceback."""
    tb = "".join(traceback.format_exception(err, limit=-8))
    return {
        "status": FAILED,
        "error": f"{type(err).__name__}: {err}"[:2000],
        "traceback": tb[-4000:],
        "model_seconds": seconds,
        "run_seconds": float("nan"),
    }
