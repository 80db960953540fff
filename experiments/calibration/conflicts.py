"""Which published figures the model cannot meet together: ``conflicts.csv``.

History matching rules out a point when two targets miss; it does not say which targets
pull apart. Here every target's implausibility is asked of two sets of points: a Sobol
sample over the whole prior (under the first wave's emulators, fitted across it) and the
pool of points the last wave left (under its emulators). Then

- **alone**: a target no point meets (implausibility at most the cut-off): the model
  cannot reach it with these free parameters;
- **pair**: two targets each met somewhere, never both at one point;
- **with the rest**: a target met nowhere in the space not ruled out, so not together
  with the others (the second-largest cut-off lets one target miss everywhere).

Each conflict found by the emulators is then simulated where it comes closest to being
met (the point with the smallest largest implausibility over its targets), a few times
from different seeds: it is *confirmed* when the simulated mean is still implausible
(above the cut-off, with the replicate variance of one run, as the emulators have it),
and reported unconfirmed (the emulators were wrong there) otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from netmob.experiments.backends import Backend
from netmob.experiments.calibration.history import Matching, sobol, statistics
from netmob.experiments.calibration.simulate import simulate
from netmob.experiments.calibration.simulator import Simulator

CONFIRM_RUNS = 3  # simulations of each conflict's closest point
MOST = 20  # conflicts simulated at most (the rest are listed, not confirmed)
COLUMNS = ["targets", "kind", "emulated", "simulated", "confirmed", "values", "at"]


def implausibilities(m: Matching, size: int, seed: int) -> np.ndarray:
    """Per-target implausibility of the points asked (prior-wide, then the pool)."""
    broad = sobol(m.cube.dim, size, seed + 101)[:size]
    parts = [m.implausibility(broad, m.waves[0])]
    if len(m.pool):
        parts.append(m.implausibility(m.pool, m.waves[-1]))
    return np.vstack(parts)


def points_asked(m: Matching, size: int, seed: int) -> np.ndarray:
    """The points :func:`implausibilities` asks, in the same order."""
    broad = sobol(m.cube.dim, size, seed + 101)[:size]
    return np.vstack([broad, m.pool]) if len(m.pool) else broad


def find(m: Matching, size: int, seed: int) -> list[dict]:
    """The conflicts the emulators show (before any simulation)."""
    imp = implausibilities(m, size, seed)
    pts = points_asked(m, size, seed)
    cut, ids = m.cutoff, m.record.ids
    met = imp <= cut
    found = []
    for j in np.flatnonzero(~met.any(axis=0)):
        found.append(_conflict([int(j)], "alone", imp, pts, ids))
    ok = np.flatnonzero(met.any(axis=0))
    for a_i, a in enumerate(ok):
        for b in ok[a_i + 1 :]:
            if not (met[:, a] & met[:, b]).any():
                found.append(_conflict([int(a), int(b)], "pair", imp, pts, ids))
    if len(m.pool):
        final = imp[-len(m.pool) :]
        for j in ok:
            if not (final[:, j] <= cut).any():
                found.append(_conflict([int(j)], "with the rest", final, m.pool, ids))
    return found


def _conflict(cols: list[int], kind: str, imp: np.ndarray, pts: np.ndarray, ids) -> dict:
    worst = imp[:, cols].max(axis=1)
    best = int(worst.argmin())
    return {
        "cols": cols,
        "targets": " + ".join(ids[c] for c in cols),
        "kind": kind,
        "emulated": float(worst[best]),
        "u": pts[best],
    }


def confirm(
    m: Matching,
    found: list[dict],
    simulator: Simulator,
    seed: int,
    folder: Path,
    backend: Backend,
) -> pd.DataFrame:
    """Simulate each conflict's closest point :data:`CONFIRM_RUNS` times (the first
    :data:`MOST` conflicts, closest first); the table of ``conflicts.csv``."""
    found = sorted(found, key=lambda c: c["emulated"])
    rows = []
    for i, c in enumerate(found):
        row = {k: c[k] for k in ("targets", "kind", "emulated")}
        row["at"] = json.dumps(m.cube.particles(c["u"][None, :])[0])
        if i >= MOST:
            rows.append(row | {"simulated": np.nan, "confirmed": False, "values": "not simulated"})
            continue
        table = simulate(
            simulator,
            m.cube.particles(np.repeat(c["u"][None, :], CONFIRM_RUNS, axis=0)),
            f"conflict{i}",
            seed,
            folder,
            backend,
        )
        y = statistics(table, m.record.ids)
        mean = np.nanmean(y, axis=0)
        rep = np.array([e.replicate_var for e in m.waves[-1].emulators.members])
        imp = m.record.implausibility(mean[None, :], rep[None, :])[0]
        sim = float(np.nanmax(imp[c["cols"]]))
        rows.append(
            row
            | {
                "simulated": sim,
                "confirmed": bool(sim > m.cutoff),
                "values": "; ".join(_value(m, j, mean[j]) for j in c["cols"]),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _value(m: Matching, j: int, v: float) -> str:
    r = m.record
    if r.band[j]:
        return f"{r.ids[j]} {v:.3g} (band {r.lo[j]:g} to {r.hi[j]:g})"
    return f"{r.ids[j]} {v:.3g} (published {r.value[j]:g})"
