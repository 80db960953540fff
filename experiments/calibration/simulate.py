"""Parameter sets simulated on a backend, stored as they finish and resumed after a kill.

A history-matching calibration simulates batches of parameter sets (a wave's design, the
predictive check's draws, the check of a conflict). Each set is one :class:`Point`: its
values, its own seed (from the calibration's seed and the point's place, never from the
worker that runs it) and a key. :func:`simulate` runs the points of a batch not yet
stored in ``DIR/sims/`` on the backend (local processes or Dask) and writes the finished
ones every few points as one Parquet file each, atomically; running the same batch again
reads them back and runs only the rest. The same spec and seed give the same numbers on
any backend and any number of workers.

A point whose simulation fails comes back with every statistic NaN and its error in the
``error`` column; a point the backend lost stops the batch (:class:`LostWork`), with
every finished point kept for the next session.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netmob.experiments.backends import Backend, Lost
from netmob.experiments.calibration.sampler import LostWork
from netmob.experiments.calibration.simulator import Simulator
from netmob.sim.io import write_parquet

SIMS = "sims"  # the folder of stored batches, inside the calibration's folder


@dataclass(frozen=True)
class Point:
    """One parameter set to simulate from its own seed."""

    simulator: Simulator
    particle: dict[str, float]
    seed: int
    key: str


def run_point(point: Point) -> dict:
    """Every target's statistic at one point, or its error (never raises), and the CPU
    seconds it took (``cpu_seconds``: what one parameter set costs)."""
    start = time.process_time()
    try:
        out: dict[str, object] = {
            "error": None,
            **point.simulator.run(point.particle, point.seed),
        }
    except Exception:  # a failing simulation is data: recorded, never silent
        out = {"error": traceback.format_exc(limit=3).strip().splitlines()[-1]}
    return out | {"cpu_seconds": time.process_time() - start}


def seeds(seed: int, batch: str, n: int) -> np.ndarray:
    """``n`` run seeds for a batch, from the calibration's seed and the batch's name."""
    tag = [ord(c) for c in batch]
    return np.random.default_rng([seed, 17, *tag]).integers(0, 2**31 - 1, size=n)


def simulate(
    simulator: Simulator,
    particles: Sequence[dict[str, float]],
    batch: str,
    seed: int,
    folder: Path,
    backend: Backend,
    chunk: int = 8,
) -> pd.DataFrame:
    """Simulate ``particles`` (one row each, in order: ``key``, ``seed``, ``error``, the
    parameters, then every target's statistic), reusing those ``folder`` holds.

    Raises:
        LostWork: if the backend lost a point (finished points are kept).
    """
    where = folder / SIMS
    where.mkdir(parents=True, exist_ok=True)
    run_seeds = seeds(seed, batch, len(particles))
    points = [
        Point(simulator, dict(p), int(s), f"{batch}-{i}")
        for i, (p, s) in enumerate(zip(particles, run_seeds, strict=True))
    ]
    done = stored(folder, batch)
    todo = [p for p in points if p.key not in done.index]
    rows: list[dict] = []
    part = len(list(where.glob(f"{batch}-part*.parquet")))
    for point, result in backend.map_unordered(run_point, todo):
        if isinstance(result, Lost):
            _flush(rows, where, batch, part)
            raise LostWork(result.error)
        rows.append({"key": point.key, "seed": point.seed, **point.particle, **result})
        if len(rows) >= chunk:
            part = _flush(rows, where, batch, part)
    _flush(rows, where, batch, part)
    table = stored(folder, batch)
    return table.loc[[p.key for p in points]].reset_index()


def _flush(rows: list[dict], where: Path, batch: str, part: int) -> int:
    """Write ``rows`` as the batch's next part (atomically) and empty them."""
    if not rows:
        return part
    write_parquet(pd.DataFrame(rows), where / f"{batch}-part{part:05d}.parquet")
    rows.clear()
    return part + 1


def stored(folder: Path, batch: str) -> pd.DataFrame:
    """The points of ``batch`` stored in ``folder``, indexed by key."""
    parts = sorted((folder / SIMS).glob(f"{batch}-part*.parquet"))
    if not parts:
        return pd.DataFrame(index=pd.Index([], name="key"))
    table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return table.drop_duplicates("key", keep="last").set_index("key")
