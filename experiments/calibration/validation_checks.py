"""Checks a history-matching calibration ships with, each of which can fail.

- **Simulation-based calibration** (:func:`sbc`; Talts et al. 2018): synthetic truths
  drawn across the prior (the first wave's Latin hypercube, topped up with more prior
  draws), each simulated once and turned into a record the model could have published
  (:meth:`Record.synthetic`), each given its own posterior: the same likelihood as the
  real one, on emulators that never saw that truth's run (the first wave's, cross-fitted
  in :data:`FOLDS` folds), by importance sampling over one pool of points spread over
  the prior (the emulators are asked once per fold, so a thousand truths cost seconds;
  the check fails unresolved when the median truth has fewer than :data:`SBC_MIN_ESS`
  effective points). If the posteriors are right, each truth's
  place in its posterior (the posterior's probability below it) is uniform: per
  parameter, a chi-square test of that on ten bins (``rank_p_value``, passing above
  :data:`ALPHA` over the parameters), and the share of truths inside the central 50% and
  90% intervals (``coverage_50``, ``coverage_90``, passing within :data:`COVERAGE_TOL` of
  nominal). ``sbc.csv``.
- **Recovery at random truths** (:func:`recovery`, from the same fits): per parameter,
  the posterior mean's squared error over the prior mean's (``mse_ratio``) and the
  average contraction. Passing needs at least one parameter the synthetic records
  identify (contraction at least :data:`IDENTIFIED`) and each such parameter's ratio at
  most :data:`RECOVERED`: a sampler that ignored the data (the prior again: nothing
  identified) or answered for another truth (ratio above 1) fails. ``recovery.csv``.
- **Contraction** (:func:`contraction`): per parameter, 1 - posterior variance / prior
  variance on the unit cube; below :data:`IDENTIFIED`, "not identified by the published
  record". ``contraction.csv``.
- **The predictive check** (:func:`ppc_passes` over :func:`.outputs.ppc_table`): at least
  :data:`PPC_SHARE` of the targets strictly inside (the model's own 90% interval; a band
  by 90% of its mass), or every miss a confirmed conflict (``conflicts.csv``).
- **The posterior** (:func:`posterior_passes`): at least :data:`MIN_DRAWS` draws with an
  effective sample size of at least the spec's ``min_ess``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from netmob.experiments.calibration.emulators import Emulators
from netmob.experiments.calibration.record import Record

FOLDS = 5  # cross-fitting folds of the first wave's runs for the synthetic truths
ALPHA = 0.01  # family-wise level of the rank-uniformity tests (Bonferroni over parameters)
COVERAGE_TOL = 0.05  # coverage within 5 points of nominal
IDENTIFIED = 0.2  # contraction below this: not identified by the published record
RECOVERED = 0.9  # an identified parameter's posterior-mean MSE over the prior mean's
PPC_SHARE = 0.8  # of targets strictly inside the model's own interval
MIN_DRAWS = 1000  # posterior draws shipped at least
BINS = 10
SBC_MIN_ESS = 50  # median effective points per synthetic truth's posterior, at least


def fold_of(n: int, seed: int) -> np.ndarray:
    """Each first-wave run's fold (seeded)."""
    return np.random.default_rng([seed, 61]).permutation(n) % FOLDS


def synthetic_records(record: Record, y: np.ndarray, seed: int) -> list[Record]:
    """One synthetic record per truth's simulated statistics (rows of ``y``)."""
    rng = np.random.default_rng([seed, 67])
    return [record.synthetic(row, rng) for row in y]


@dataclass
class PoolFit:
    """One truth's posterior as weights over the shared pool of points."""

    weights: np.ndarray
    ess: float


def pool_posterior(record: Record, mean: np.ndarray, var: np.ndarray) -> PoolFit:
    """A record's posterior over a pool spread uniformly over the prior (so the weights
    are the likelihoods), from the emulators' ``mean`` and ``var`` (with the replicate
    variance) at the pool's points."""
    ll = record.log_likelihood(mean, var)
    w = np.exp(ll - ll.max())
    w /= w.sum()
    return PoolFit(weights=w, ess=float(1.0 / (w * w).sum()))


def pit(pool: np.ndarray, fit: PoolFit, truth: np.ndarray) -> np.ndarray:
    """The truth's place in its posterior: the posterior probability below it, per
    parameter."""
    return fit.weights @ (pool < truth).astype(float)


def moments(pool: np.ndarray, fit: PoolFit) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mean and variance per parameter."""
    mean = fit.weights @ pool
    return mean, fit.weights @ (pool - mean) ** 2


def sbc_table(names, pits: np.ndarray) -> pd.DataFrame:
    """``sbc.csv``: per parameter, the rank-uniformity p-value and the coverages."""
    alpha = ALPHA / max(len(names), 1)
    rows = []
    for j, name in enumerate(names):
        x = pits[:, j]
        counts = np.histogram(x, bins=BINS, range=(0, 1))[0]
        p = float(stats.chisquare(counts).pvalue) if len(x) else float("nan")
        c50 = float(((x >= 0.25) & (x <= 0.75)).mean())
        c90 = float(((x >= 0.05) & (x <= 0.95)).mean())
        rows.append(
            {
                "parameter": name,
                "rank_p_value": p,
                "coverage_50": c50,
                "coverage_90": c90,
                "truths": len(x),
                "passes": bool(
                    p >= alpha and abs(c50 - 0.5) <= COVERAGE_TOL and abs(c90 - 0.9) <= COVERAGE_TOL
                ),
            }
        )
    return pd.DataFrame(rows)


def recovery_table(names, fit_mean, fit_var, truths: np.ndarray) -> pd.DataFrame:
    """``recovery.csv``: per parameter, the posterior mean's squared error over the prior
    mean's (0.5 on the cube), the average contraction, and the verdicts."""
    mse_post = ((fit_mean - truths) ** 2).mean(axis=0)
    mse_prior = ((0.5 - truths) ** 2).mean(axis=0)
    shrink = 1 - fit_var.mean(axis=0) * 12  # the prior's variance on the cube is 1/12
    rows = []
    for j, name in enumerate(names):
        ratio = float(mse_post[j] / mse_prior[j]) if mse_prior[j] > 0 else float("nan")
        rows.append(
            {
                "parameter": name,
                "mse_ratio": ratio,
                "contraction": float(shrink[j]),
                "identified": bool(shrink[j] >= IDENTIFIED),
                "recovered": bool(ratio <= RECOVERED),
            }
        )
    return pd.DataFrame(rows)


def recovery_passes(table: pd.DataFrame) -> bool:
    """At least one identified parameter, and every identified one recovered."""
    ident = table[table["identified"]]
    return bool(len(ident)) and bool(ident["recovered"].all())


def contraction(names, u: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    """``contraction.csv``: 1 - posterior variance / prior variance per parameter (on the
    unit cube, where the prior is uniform), and whether the record identifies it."""
    w = weights / weights.sum()
    mean = w @ u
    var = w @ (u - mean) ** 2
    rows = []
    for j, name in enumerate(names):
        c = float(1 - var[j] * 12)
        rows.append(
            {
                "parameter": name,
                "posterior_sd": float(np.sqrt(var[j])),
                "prior_sd": float(np.sqrt(1 / 12)),
                "contraction": c,
                "identified": c >= IDENTIFIED,
                "verdict": "identified"
                if c >= IDENTIFIED
                else "not identified by the published record",
            }
        )
    return pd.DataFrame(rows)


def ppc_passes(ppc: pd.DataFrame, conflicts: pd.DataFrame) -> tuple[bool, str]:
    """The predictive check's verdict and why: enough fitted targets strictly inside, or
    every miss a confirmed conflict."""
    fitted = ppc[~ppc["held_out"]]
    share = float(fitted["inside"].mean()) if len(fitted) else 0.0
    missed = list(fitted.loc[~fitted["inside"], "target"])
    confirmed = set()
    if len(conflicts):
        for row in conflicts[conflicts["confirmed"]].itertuples():
            confirmed |= set(str(row.targets).split(" + "))
    unexplained = [t for t in missed if t not in confirmed]
    ok = share >= PPC_SHARE or not unexplained
    why = f"{int(fitted['inside'].sum())} of {len(fitted)} fitted targets strictly inside" + (
        f"; missed and not a confirmed conflict: {', '.join(unexplained)}" if unexplained else ""
    )
    return ok, why


def posterior_passes(draws: int, ess: float, min_ess: float) -> bool:
    """At least :data:`MIN_DRAWS` draws and ``min_ess`` effective ones."""
    return draws >= MIN_DRAWS and ess >= min_ess


def sbc(
    emulators: Emulators,
    record: Record,
    names,
    first_u: np.ndarray,
    first_y: np.ndarray,
    extra_u: np.ndarray,
    extra_y: np.ndarray,
    pool_size: int,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Simulation-based calibration and recovery at the synthetic truths: the first
    wave's runs (cross-fitted: each truth's emulators never saw its run) and ``extra``
    prior draws (on emulators of the whole first wave). Each truth's posterior is
    importance sampling over one pool of ``pool_size`` points spread over the prior (a
    scrambled Sobol sequence), the emulators asked once per fold. Returns ``sbc.csv``,
    ``recovery.csv`` and a summary (truths, their posteriors' effective sample sizes)."""
    from scipy.stats import qmc

    sobol = qmc.Sobol(first_u.shape[1], scramble=True, seed=np.random.default_rng([seed, 79]))
    pool_u = sobol.random_base2(int(np.ceil(np.log2(pool_size))))[:pool_size]
    groups = []
    folds = fold_of(len(first_u), seed)
    for f in range(FOLDS):
        here = folds == f
        if here.any():
            em = emulators.conditioned(first_u[~here], first_y[~here])
            groups.append((em, first_u[here], first_y[here], seed * 100 + f))
    if len(extra_u):
        groups.append((emulators.conditioned(first_u, first_y), extra_u, extra_y, seed * 100 + 9))
    pits, means, variances, truths, ess = [], [], [], [], []
    for em, u, y, s in groups:
        ok = np.isfinite(y).any(axis=1)  # a failed simulation is no truth
        if not ok.any():
            continue
        mean, var, rep = em.predict(pool_u)
        for truth, rec in zip(u[ok], synthetic_records(record, y[ok], s), strict=True):
            fit = pool_posterior(rec, mean, var + rep)
            pits.append(pit(pool_u, fit, truth))
            m, v = moments(pool_u, fit)
            means.append(m)
            variances.append(v)
            truths.append(truth)
            ess.append(fit.ess)
    all_truths = np.vstack(truths)
    sbc_t = sbc_table(names, np.vstack(pits))
    rec_t = recovery_table(names, np.vstack(means), np.vstack(variances), all_truths)
    e = np.array(ess)
    summary = {
        "truths": len(all_truths),
        "pool": pool_size,
        "ess_median": round(float(np.median(e)), 1),
        "ess_min": round(float(e.min()), 1),
    }
    if summary["ess_median"] < SBC_MIN_ESS:
        sbc_t["passes"] = False  # too few effective points to place the truths: unresolved
    return sbc_t, rec_t, summary
