"""The posterior on the emulators: sequential Monte Carlo with likelihood tempering.

Once history matching has ruled out what cannot fit, the posterior is the prior inside
the space not ruled out, times the likelihood of the published record (:mod:`.record`),
with the emulators standing in for the simulator (their own variance part of the
likelihood's). Each likelihood costs a matrix product, not a simulation, so it can be
asked millions of times: enough for a posterior per synthetic truth in the
simulation-based calibration check, by the same algorithm as the real one.

:func:`temper` starts from particles spread uniformly over the allowed space (the prior
is uniform on the unit cube) and raises the likelihood's power from 0 to 1 in steps
chosen so that each step keeps half of the particles' effective sample size; between
steps it resamples and moves each particle by a few random-walk Metropolis steps (the
proposal's covariance from the particles). At power 1 the particles and their weights are
the posterior; the weights' effective sample size is at least half the particles (more
when the last step is short). Several independent problems (synthetic truths) run at once,
as arrays with a leading problem axis, each with its own schedule.

Examples:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> u0 = rng.random((1, 2000, 1))
    >>> ll = lambda u: -0.5 * ((u[..., 0] - 0.3) / 0.05) ** 2   # posterior N(0.3, 0.05)
    >>> inside = lambda u: ((u >= 0) & (u <= 1)).all(axis=-1)
    >>> fit = temper(ll, inside, u0, rng)
    >>> m = (fit.weights[0] * fit.u[0, :, 0]).sum()
    >>> bool(abs(m - 0.3) < 0.01), bool(fit.ess[0] >= 1000)
    (True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LOW = -1e300  # the log-likelihood of an impossible particle (finite: no NaN in the steps)
LogLik = Callable[[np.ndarray], np.ndarray]  # (problems, particles, d) -> (problems, particles)
Inside = Callable[[np.ndarray], np.ndarray]  # the same shape -> bool


@dataclass
class Fit:
    """Weighted particles per problem, and how the run went."""

    u: np.ndarray  # problems x particles x d, on the unit cube
    weights: np.ndarray  # problems x particles, each row summing to 1
    ess: np.ndarray  # effective sample size per problem
    steps: np.ndarray  # tempering steps per problem
    acceptance: np.ndarray  # mean Metropolis acceptance per problem


def ess_of(logw: np.ndarray) -> np.ndarray:
    """Effective sample size of log-weights (last axis)."""
    w = np.exp(logw - logw.max(axis=-1, keepdims=True))
    return w.sum(-1) ** 2 / (w * w).sum(-1)


def temper(
    loglik: LogLik,
    inside: Inside,
    u0: np.ndarray,
    rng: np.random.Generator,
    moves: int = 5,
    keep: float = 0.5,
    max_steps: int = 200,
) -> Fit:
    """Tempered SMC from ``u0`` (problems x particles x d, uniform on the allowed space).

    Args:
        loglik: log-likelihood of every particle of every problem.
        inside: whether particles lie in the allowed space (the cube, not ruled out).
        u0: the starting particles.
        rng: the random generator (the run is reproducible from it).
        moves: Metropolis steps after each resampling.
        keep: the share of the effective sample size each step keeps.
        max_steps: tempering steps at most (a problem that needs more stops there, at a
            power below 1, and says so in ``steps``).
    """
    u = u0.copy()
    p, n, d = u.shape
    ll = np.nan_to_num(loglik(u), nan=LOW, neginf=LOW)
    beta = np.zeros(p)
    logw = np.zeros((p, n))
    steps = np.zeros(p, int)
    accepted = np.zeros(p)
    tried = np.zeros(p)
    active = np.ones(p, bool)
    while active.any():
        delta = _next_step(ll, beta, keep * n)
        logw = np.where(active[:, None], delta[:, None] * np.nan_to_num(ll, nan=LOW), logw)
        beta = np.where(active, beta + delta, beta)
        steps += active
        finished = active & ((beta >= 1 - 1e-12) | (steps >= max_steps))
        active &= ~finished
        if not active.any():
            break
        idx = _resample(logw, rng)
        rows = np.arange(p)[:, None]
        u = np.where(active[:, None, None], u[rows, idx], u)
        ll = np.where(active[:, None], ll[rows, idx], ll)
        for _ in range(moves):
            u, ll, acc = _move(u, ll, beta, active, loglik, inside, rng)
            accepted += acc
            tried += active * n
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return Fit(
        u=u,
        weights=w,
        ess=1.0 / (w * w).sum(axis=1),
        steps=steps,
        acceptance=np.divide(accepted, tried, out=np.ones(p), where=tried > 0),
    )


def _next_step(ll: np.ndarray, beta: np.ndarray, target: float) -> np.ndarray:
    """Per problem, the largest power step (up to 1 - beta) that keeps ``target``
    effective particles (bisection)."""
    ll = np.nan_to_num(ll, nan=LOW)
    room = 1.0 - beta
    lo, hi = np.zeros_like(beta), room.copy()
    ok_all = ess_of(hi[:, None] * ll) >= target
    for _ in range(50):
        mid = (lo + hi) / 2
        ok = ess_of(mid[:, None] * ll) >= target
        lo, hi = np.where(ok, mid, lo), np.where(ok, hi, mid)
    step = np.where(ok_all, room, lo)
    return np.maximum(step, np.minimum(room, 1e-6))  # always some progress


def _resample(logw: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Systematic resampling per problem: the particle indices."""
    p, n = logw.shape
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    pos = (rng.random((p, 1)) + np.arange(n)[None, :]) / n
    return np.minimum(
        np.array([np.searchsorted(c, q) for c, q in zip(cum, pos, strict=True)]), n - 1
    )


def _move(u, ll, beta, active, loglik, inside, rng):
    """One random-walk Metropolis step per particle of the active problems."""
    p, n, d = u.shape
    centred = u - u.mean(axis=1, keepdims=True)
    cov = np.einsum("pni,pnj->pij", centred, centred) / max(n - 1, 1)
    cov = cov * (2.38**2 / d) + 1e-8 * np.eye(d)
    chol = np.linalg.cholesky(cov)
    step = np.einsum("pij,pnj->pni", chol, rng.standard_normal((p, n, d)))
    new = u + step
    ok = inside(new) & active[:, None]
    new_ll = np.full_like(ll, LOW)
    if ok.any():
        new_ll = np.where(ok, loglik(np.where(ok[..., None], new, u)), LOW)
    log_ratio = beta[:, None] * (np.nan_to_num(new_ll, nan=LOW) - np.nan_to_num(ll, nan=LOW))
    take = ok & (np.log(rng.random((p, n))) < np.nan_to_num(log_ratio, nan=LOW))
    u = np.where(take[..., None], new, u)
    ll = np.where(take, new_ll, ll)
    return u, ll, take.sum(axis=1)
