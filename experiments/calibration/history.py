"""History matching in waves: rule out the parameter space that cannot fit the record.

Wave 1 runs a Latin hypercube over the whole prior (scipy.stats.qmc; at least 10 runs
per free parameter). Every wave then

1. keeps back a share of its runs (``method.held_out``) and fits one emulator per fitted
   target (:mod:`.emulators`) to the rest, and to the earlier waves' runs that lie in the
   space the wave was drawn from;
2. validates the emulators on the runs kept back: each target's standardised errors must
   lie within +-3 for at least 95% of them, else the calibration stops at that wave and
   says which emulators failed and how (:class:`EmulatorsFailed`);
3. rules out every point whose second-largest implausibility (:mod:`.record`) exceeds
   the cut-off, and estimates the share of the prior's space not yet ruled out (NROY)
   from a pool of points spread uniformly over the last wave's space (a scrambled Sobol
   sequence at first, then refilled by random walks that stay inside);
4. draws the next wave's design from that pool: the most spread-out subset (greedy
   maximin distance), so the runs fill the space that remains.

Waves stop after ``method.waves``, or when a wave rules out less than a tenth of what
was left (:data:`SETTLED`), or when nothing is left (every point is implausible: the
record's targets conflict, :mod:`.conflicts` says which).

``waves.csv`` has one row per wave: runs, the share of the prior's space not ruled out,
and the emulators' validation figure (the smallest share within +-3 over the targets);
``emulators.csv`` the validation per wave and target.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from netmob.experiments.backends import Backend
from netmob.experiments.calibration.emulators import (
    VALID_SHARE,
    Cube,
    Emulators,
    fit_all,
    validate,
)
from netmob.experiments.calibration.record import Record, second_largest
from netmob.experiments.calibration.sampler import ordered_map
from netmob.experiments.calibration.simulate import simulate
from netmob.experiments.calibration.simulator import Simulator

SETTLED = 0.9  # a wave that keeps more than this share of the space ends the waves
WALK_STEPS = 6  # random-walk steps per refill of the pool
MIN_SURVIVORS = 5  # fewer points left in the pool than this: nothing is left


class EmulatorsFailed(RuntimeError):
    """A wave's emulators did not validate on its held-out runs."""

    def __init__(self, wave: int, table: pd.DataFrame) -> None:
        bad = table[~table["passes"]]
        words = "; ".join(
            f"{r.target}: {r.within_3:.0%} of {r.runs} within +-3 (mean error "
            f"{r.mean_error:+.2f}, sd {r.sd_error:.2f})"
            for r in bad.itertuples()
        )
        super().__init__(
            f"wave {wave}: the emulators of {len(bad)} target(s) failed validation on "
            f"held-out runs (need {VALID_SHARE:.0%} within +-3): {words}. An sd of errors "
            "well above 1 means the emulator is surer than it should be (too few runs, or "
            "a statistic too noisy or too abrupt to emulate); a mean far from 0, that it is "
            "biased."
        )
        self.wave, self.table = wave, table


@dataclass
class Wave:
    """One finished wave."""

    number: int
    emulators: Emulators
    validation: pd.DataFrame
    runs: int
    share: float  # of the prior's space not ruled out after this wave
    seconds: float = 0.0


@dataclass
class Matching:
    """Waves so far, their runs and the pool of points not ruled out."""

    cube: Cube
    record: Record
    cutoff: float
    waves: list[Wave] = field(default_factory=list)
    u: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # every run's point
    y: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # its statistics
    wave_of: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    held: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    pool: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    @property
    def share(self) -> float:
        """The share of the prior's space not ruled out (1 before any wave)."""
        return self.waves[-1].share if self.waves else 1.0

    def implausibility(self, u: np.ndarray, wave: Wave) -> np.ndarray:
        """Per point and target, under ``wave``'s emulators."""
        mean, var, rep = wave.emulators.predict(u)
        return self.record.implausibility(mean, var + rep)

    def allowed(self, u: np.ndarray, upto: int | None = None) -> np.ndarray:
        """Whether points lie in the cube and are not ruled out by waves 1..``upto``
        (every wave by default)."""
        ok = ((u >= 0) & (u <= 1)).all(axis=-1)
        for wave in self.waves[: upto if upto is not None else len(self.waves)]:
            idx = np.flatnonzero(ok)
            if not len(idx):
                break
            ok[idx] = second_largest(self.implausibility(u[idx], wave)) <= self.cutoff
        return ok


def latin(cube: Cube, n: int, seed: int, wave: int) -> np.ndarray:
    """A Latin hypercube of ``n`` points on the cube."""
    return qmc.LatinHypercube(d=cube.dim, seed=np.random.default_rng([seed, 31, wave])).random(n)


def sobol(d: int, n: int, seed: int) -> np.ndarray:
    """At least ``n`` points of a scrambled Sobol sequence (a power of two)."""
    m = max(1, int(np.ceil(np.log2(max(n, 2)))))
    return qmc.Sobol(d=d, scramble=True, seed=np.random.default_rng([seed, 37])).random_base2(m)


def maximin(pool: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """A spread-out subset of ``n`` rows of ``pool``: greedy, each next point the one
    farthest from those chosen (the first at random)."""
    n = min(n, len(pool))
    chosen = [int(rng.integers(len(pool)))]
    dist = ((pool - pool[chosen[0]]) ** 2).sum(1)
    for _ in range(n - 1):
        nxt = int(dist.argmax())
        chosen.append(nxt)
        dist = np.minimum(dist, ((pool - pool[nxt]) ** 2).sum(1))
    return pool[chosen]


def refill(m: Matching, survivors: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` points spread over the space not ruled out: the survivors, then random
    walks from them (each step accepted if it stays inside: uniform over that space)."""
    if len(survivors) >= size:
        return survivors[rng.permutation(len(survivors))[:size]]
    start = survivors[rng.integers(len(survivors), size=size - len(survivors))]
    sd = (
        np.maximum(survivors.std(axis=0), 0.01) if len(survivors) > 1 else np.full(m.cube.dim, 0.05)
    )
    walk = start.copy()
    for _ in range(WALK_STEPS):
        new = walk + 0.5 * sd * rng.standard_normal(walk.shape)
        ok = m.allowed(new)
        walk[ok] = new[ok]
    return np.vstack([survivors, walk])


def design(m: Matching, n: int, seed: int, wave: int) -> np.ndarray:
    """Wave ``wave``'s points: a Latin hypercube for the first, else a spread-out subset
    of the pool."""
    if wave == 1:
        return latin(m.cube, n, seed, wave)
    return maximin(m.pool, n, np.random.default_rng([seed, 41, wave]))


def split(n: int, share: float, seed: int, wave: int) -> np.ndarray:
    """Which of a wave's ``n`` runs are kept back for validation (at least 2)."""
    k = max(2, int(round(share * n)))
    held = np.zeros(n, bool)
    held[np.random.default_rng([seed, 43, wave]).permutation(n)[:k]] = True
    return held


def run_wave(
    m: Matching,
    wave: int,
    n: int,
    spec,
    simulator: Simulator,
    folder: Path,
    backend: Backend,
    max_train: int = 500,
) -> Wave:
    """Design, simulate, fit, validate and rule out: one wave, added to ``m``.

    Raises:
        EmulatorsFailed: if the wave's emulators do not validate (the wave is not added).
    """
    started = time.perf_counter()
    u = design(m, n, spec.seed, wave)
    table = simulate(simulator, m.cube.particles(u), f"wave{wave}", spec.seed, folder, backend)
    y = statistics(table, m.record.ids)
    held = split(len(u), spec.method.held_out, spec.seed, wave)
    before = m.allowed(m.u) if len(m.u) else np.zeros(0, bool)  # in this wave's space
    train_u = np.vstack([m.u[before], u[~held]]) if len(m.u) else u[~held]
    train_y = np.vstack([m.y[before], y[~held]]) if len(m.u) else y[~held]
    if len(train_u) > max_train:  # the newest runs first, then the earlier ones at random
        keep = np.r_[
            np.arange(len(train_u) - (~held).sum(), len(train_u)),
            np.random.default_rng([spec.seed, 47, wave]).permutation(len(train_u) - (~held).sum()),
        ][:max_train]
        train_u, train_y = train_u[keep], train_y[keep]
    emulators = fit_all(
        train_u, train_y, list(m.record.ids), seed=spec.seed * 1000 + wave,
        map_=ordered_map(backend),
    )  # fmt: skip
    checked = validate(emulators, u[held], y[held])
    checked.insert(0, "wave", wave)
    m.u = np.vstack([m.u, u]) if len(m.u) else u
    m.y = np.vstack([m.y, y]) if len(m.y) else y
    m.wave_of = np.r_[m.wave_of, np.full(len(u), wave)]
    m.held = np.r_[m.held, held]
    if not checked["passes"].all():
        raise EmulatorsFailed(wave, checked)
    return _rule_out(m, wave, emulators, checked, len(u), spec, time.perf_counter() - started)


def _rule_out(m: Matching, wave: int, emulators, checked, runs: int, spec, seconds) -> Wave:
    """Add the wave, filter the pool by its emulators and refill it."""
    rng = np.random.default_rng([spec.seed, 53, wave])
    if not len(m.pool):
        m.pool = sobol(m.cube.dim, spec.method.pool, spec.seed)[: spec.method.pool]
    new = Wave(wave, emulators, checked, runs, share=m.share, seconds=seconds)
    kept = second_largest(m.implausibility(m.pool, new)) <= m.cutoff
    new.share = m.share * float(kept.mean())  # the pool is spread over what was left
    m.waves.append(new)
    survivors = m.pool[kept]
    m.pool = (
        refill(m, survivors, spec.method.pool, rng)
        if len(survivors) >= MIN_SURVIVORS
        else survivors
    )
    return new


def statistics(table: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """The targets' statistics of simulated points (runs x targets; NaN where a run
    failed or a statistic is undefined)."""
    cols = [table[t].to_numpy(float) if t in table else np.full(len(table), np.nan) for t in ids]
    return np.stack(cols, axis=1)


def waves_table(m: Matching) -> pd.DataFrame:
    """``waves.csv``: per wave, runs, the share of the prior's space not ruled out, the
    emulators' validation figure and the seconds it took."""
    return pd.DataFrame(
        [
            {
                "wave": w.number,
                "runs": w.runs,
                "not_ruled_out": w.share,
                "emulator_validation": float(w.validation["within_3"].min()),
                "targets_validated": int(w.validation["passes"].sum()),
                "seconds": round(w.seconds, 1),
            }
            for w in m.waves
        ]
    )


def settled(m: Matching) -> bool:
    """Whether the last wave ruled out less than a tenth of what was left, or left
    nothing."""
    if len(m.pool) < MIN_SURVIVORS:
        return True
    if len(m.waves) < 2:
        return False
    return m.waves[-1].share > SETTLED * m.waves[-2].share
