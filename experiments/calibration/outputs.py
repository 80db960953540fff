"""A calibration's results, each written atomically into its folder.

- ``posterior.parquet``: the last generation, one row per particle: the free parameters,
  ``weight`` (summing to 1) and ``distance``;
- ``generations.csv``: convergence per generation: tolerance, particles, simulations,
  acceptance rate and effective sample size;
- ``ppc.csv``: the posterior-predictive check: ``ppc_draws`` particles drawn by weight,
  each simulated afresh, and per target the published value and interval, the model's
  own 90% interval and whether it holds the published value (``inside``; a band: 90% of
  the draws inside it), and the looser interval of the figure a repeat of the study
  would publish (the simulations plus the study's own sampling error, ``inside_repeat``)
  (:func:`ppc_table`);
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
from netmob.experiments.calibration.spec import CalibrationSpec, Target
from netmob.sim.io import write_parquet, write_text


def posterior_generation(ess: list[float], min_ess: float) -> int:
    """The last generation whose effective sample size reaches ``min_ess`` (capped at the
    first generation's, which is the population: its weights are equal)."""
    need = min(min_ess, ess[0])
    return max(t for t, e in enumerate(ess) if e >= need)


def posterior(history: pyabc.History, t: int | None = None) -> pd.DataFrame:
    """Generation ``t``'s particles (the last by default) with their weights and
    distances."""
    pop = history.get_population(t=history.max_t if t is None else t)
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
    """Per target: the published value and interval against two 90% intervals.

    - ``model_low``/``model_high``: the model's own statistic over the posterior draws
      (each draw a particle and a seed; ``model_median`` its median). ``inside``: the
      published value lies in it; for a band ("little or no effect"), at least
      :data:`BAND_MASS` of the draws lie in the band (``band_mass``), not merely some.
    - ``sim_low``/``sim_high``: the interval of the figure a repeat of the study would
      publish: each draw's statistic plus the study's own sampling error, normal with the
      SD its published 95% interval implies (half-width / 1.96); ``inside_repeat``: the
      published value lies in it. A band states no sampling error: its two verdicts
      agree. ``inside_repeat`` is the looser check, kept beside ``inside`` to show which
      targets are met only through the study's error.
    """
    rng = np.random.default_rng([spec.seed, 11])
    rows = []
    for t in spec.targets:
        v = sims[t.id].to_numpy(float)
        v = v[np.isfinite(v)]
        model = _quantiles(v)
        pred = _quantiles(_with_study_error(v, t, rng))
        mass = float(((v >= t.low) & (v <= t.high)).mean()) if len(v) and t.band else np.nan
        value = t.published if t.published is not None else np.nan
        met = bool(len(v)) and (mass >= BAND_MASS if t.band else model[0] <= value <= model[2])
        met_repeat = bool(len(v)) and (mass >= BAND_MASS if t.band else pred[0] <= value <= pred[2])
        rows.append(
            {
                "target": t.id,
                "published": t.published,
                "published_low": t.low,
                "published_high": t.high,
                "model_median": model[1],
                "model_low": model[0],
                "model_high": model[2],
                "inside": met,
                "sim_median": pred[1],
                "sim_low": pred[0],
                "sim_high": pred[2],
                "inside_repeat": met_repeat,
                "band_mass": mass,
                "study_sd": study_sd(t),
                "band": t.band,
                "held_out": t.held_out,
                "statistic": t.statistic if not t.of else f"{t.statistic}({t.of})",
                "scenario": t.scenario,
                "undefined_share": 1 - len(v) / len(sims) if len(sims) else 1.0,
            }
        )
    return pd.DataFrame(rows)


BAND_MASS = 0.9  # a band is met when this share of the model's draws lies inside it
STUDY_ERROR_DRAWS = 200  # normal errors per posterior draw for the predictive interval


def study_sd(target: Target) -> float:
    """The sampling error of the published figure: its 95% half-interval / 1.96 (0 for a
    band, which states a range the truth may lie in, not a study's precision)."""
    return 0.0 if target.band else (target.high - target.low) / 2 / 1.96


def _with_study_error(v: np.ndarray, target: Target, rng: np.random.Generator) -> np.ndarray:
    sd = study_sd(target)
    if not len(v) or sd == 0:
        return v
    return (v[:, None] + sd * rng.standard_normal((len(v), STUDY_ERROR_DRAWS))).ravel()


def _quantiles(v: np.ndarray) -> tuple[float, float, float]:
    if not len(v):
        return (np.nan, np.nan, np.nan)
    lo, med, hi = np.quantile(v, [0.05, 0.5, 0.95])
    return (float(lo), float(med), float(hi))


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """A CSV written atomically."""
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return write_text(buf.getvalue(), path)


def write_all(
    out: Path,
    history: pyabc.History,
    spec: CalibrationSpec,
    backend: Backend,
    reuse: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """Posterior, generations, predictive draws and check; returns the check table and the
    generation kept as the posterior. With ``reuse`` (the generation the draws already in
    ``out`` came from), they are kept if it is the same (they are seeded: simulating them
    again gives the same)."""
    gens = generations(history)
    t = posterior_generation(list(gens["effective_sample_size"]), spec.method.min_ess)
    gens["posterior"] = gens["generation"] == t
    post = posterior(history, t)
    write_parquet(post, out / "posterior.parquet")
    write_csv(gens, out / "generations.csv")
    kept = out / "ppc_draws.parquet"
    if reuse == t and kept.exists():
        sims = pd.read_parquet(kept)
    else:
        sims = predictive(spec, post, backend)
        write_parquet(sims, kept)
    table = ppc_table(spec, sims)
    write_csv(table, out / "ppc.csv")
    return table, t
