"""A calibration's results, each written atomically into its folder.

- ``posterior.parquet``: the last generation, one row per particle: the free parameters,
  ``weight`` (summing to 1) and ``distance``;
- ``generations.csv``: convergence per generation: tolerance, particles, simulations,
  acceptance rate and effective sample size;
- ``ppc.csv``: the posterior-predictive check: ``ppc_draws`` particles drawn by weight,
  each simulated afresh, and per target the published value and interval, the median
  and 90% interval of the simulations, and whether the published value (or some of the
  band) lies inside, and whether the published interval overlaps the simulated one;
- ``ppc_draws.parquet``: those simulations, one row per draw;
- ``manifest.json``: the spec, its digest, the code version, simulations run, wall time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from pyabc.weighted_statistics import effective_sample_size

from netmob.experiments.backends import Backend
from netmob.experiments.calibration.sampler import ordered_map
from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import CalibrationSpec
from netmob.sim.io import write_parquet, write_text


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> list[float]:
    """Quantiles of ``x`` with weights ``w`` (the weighted empirical distribution)."""
    order = np.argsort(x)
    x, w = x[order], w[order]
    cum = np.cumsum(w) / w.sum()
    return [float(x[min(np.searchsorted(cum, q), len(x) - 1)]) for q in qs]


def posterior(history: pyabc.History) -> pd.DataFrame:
    """The last generation's particles with their weights and distances."""
    pop = history.get_population(t=history.max_t)
    rows = [{**p.parameter, "weight": p.weight, "distance": p.distance} for p in pop.particles]
    df = pd.DataFrame(rows)
    df["weight"] = df["weight"] / df["weight"].sum()
    return df


def generations(history: pyabc.History) -> pd.DataFrame:
    """Tolerance, simulations, acceptance and effective sample size per generation."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0].reset_index(drop=True)
    ess = []
    for t in pops["t"]:
        _, w = history.get_distribution(m=0, t=int(t))
        ess.append(float(effective_sample_size(w)))
    return pd.DataFrame(
        {
            "generation": pops["t"].astype(int),
            "epsilon": pops["epsilon"].astype(float),
            "particles": pops["particles"].astype(int),
            "simulations": pops["samples"].astype(int),
            "acceptance_rate": pops["particles"] / pops["samples"],
            "effective_sample_size": ess,
        }
    )


@dataclass(frozen=True)
class Draw:
    """One posterior draw to simulate for the predictive check."""

    simulator: Simulator
    particle: dict[str, float]
    seed: int

    @property
    def key(self) -> str:
        return f"ppc-{self.seed}"


def simulate_draw(draw: Draw) -> dict[str, float]:
    """The targets' statistics for one draw."""
    return draw.simulator.run(draw.particle, draw.seed)


def predictive(spec: CalibrationSpec, post: pd.DataFrame, backend: Backend) -> pd.DataFrame:
    """``ppc_draws`` particles drawn by weight, each simulated once from its own seed."""
    rng = np.random.default_rng([spec.seed, 7])
    names = [p.name for p in spec.priors]
    rows = rng.choice(len(post), size=spec.method.ppc_draws, p=post["weight"].to_numpy())
    seeds = rng.integers(0, 2**31 - 1, size=len(rows))
    sim = Simulator(spec)
    draws = [
        Draw(sim, {n: float(post[n].iloc[r]) for n in names}, int(s))
        for r, s in zip(rows, seeds, strict=True)
    ]
    stats = ordered_map(backend)(simulate_draw, draws)
    out = pd.DataFrame(stats)
    for n in names:
        out[n] = [d.particle[n] for d in draws]
    out.insert(0, "seed", seeds)
    return out


def ppc_table(spec: CalibrationSpec, sims: pd.DataFrame) -> pd.DataFrame:
    """Per target: published value and interval, simulated median and 90% interval."""
    rows = []
    for t in spec.targets:
        v = sims[t.id].to_numpy(float)
        v = v[np.isfinite(v)]
        lo, med, hi = np.quantile(v, [0.05, 0.5, 0.95]) if len(v) else (np.nan,) * 3
        rows.append(
            {
                "target": t.id,
                "published": t.published,
                "published_low": t.low,
                "published_high": t.high,
                "sim_median": med,
                "sim_low": lo,
                "sim_high": hi,
                "inside": bool(len(v)) and t.inside(lo, hi),
                "overlaps": bool(len(v)) and lo <= t.high and hi >= t.low,
                "band": t.band,
                "held_out": t.held_out,
                "statistic": t.statistic if not t.of else f"{t.statistic}({t.of})",
                "scenario": t.scenario,
                "undefined_share": 1 - len(v) / len(sims),
            }
        )
    return pd.DataFrame(rows)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """A CSV written atomically."""
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return write_text(buf.getvalue(), path)


def write_all(
    out: Path, history: pyabc.History, spec: CalibrationSpec, backend: Backend, reuse=False
):
    """Posterior, generations, predictive draws and check; returns the check table. With
    ``reuse``, predictive draws already in ``out`` are kept (they are seeded: simulating
    them again gives the same)."""
    post = posterior(history)
    write_parquet(post, out / "posterior.parquet")
    write_csv(generations(history), out / "generations.csv")
    kept = out / "ppc_draws.parquet"
    if reuse and kept.exists():
        sims = pd.read_parquet(kept)
    else:
        sims = predictive(spec, post, backend)
        write_parquet(sims, kept)
    table = ppc_table(spec, sims)
    write_csv(table, out / "ppc.csv")
    return table
