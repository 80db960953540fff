"""Gaussian-process emulators of the simulator: one per target, over the unit cube.

History matching (:mod:`.history`) cannot run the simulator everywhere, so it fits, for
each target, a Gaussian process to the statistics of the parameter sets it did run and
asks the emulator elsewhere. The inputs are the free parameters mapped to the unit cube
(:class:`Cube`: uniform priors linearly, log-uniform ones on the log scale, so the prior
is uniform on the cube). The kernel is scikit-learn's constant times a squared
exponential with one length scale per parameter (automatic relevance determination),
plus a white-noise term: two runs at one parameter set differ by their seeds, and the
white noise's variance is that replicate (seed) variance, estimated from the runs.

An :class:`Emulator` keeps what a prediction needs as plain arrays (it pickles small and
predicts in batches with matrix products): its mean, the emulator's own variance (how
unsure it is about the simulator's mean there) and the replicate variance, in the
target's units. :meth:`Emulator.conditioned` gives the same emulator (same kernel and
scaling) conditioned on other runs: the cross-fitted emulators of the simulation-based
calibration check (:mod:`.validation_checks`) cost a matrix inverse each, not a fit.

:func:`validate` asks each emulator for runs it was not fitted to: the standardised error
``(simulated - mean) / sd`` (the sd with the emulator's and the replicate variance)
should lie within +-3 for at least 95% of them (:data:`VALID_SHARE`).

Examples:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> u = rng.random((40, 2))
    >>> y = np.sin(3 * u[:, 0]) + 0.05 * rng.standard_normal(40)
    >>> em = fit(u, y, "sine", seed=1)
    >>> mean, var, noise = em.predict(np.array([[0.5, 0.5]]))
    >>> bool(abs(mean[0] - np.sin(1.5)) < 0.1), bool(noise < 0.01)
    (True, True)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.linalg import cho_factor, cho_solve
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from threadpoolctl import threadpool_limits

VALID_SHARE = 0.95  # of standardised errors within +-VALID_BOUND on held-out runs
VALID_BOUND = 3.0
BATCH = 4096  # points predicted at once (memory: BATCH x training runs)


@dataclass(frozen=True)
class Cube:
    """The free parameters' map to the unit cube, where the prior is uniform."""

    names: tuple[str, ...]
    lo: np.ndarray
    hi: np.ndarray
    log: np.ndarray  # bool per parameter: log-uniform

    @classmethod
    def of(cls, priors) -> Cube:
        """The cube of a spec's priors (``dist``, ``lo``, ``hi`` each)."""
        return cls(
            names=tuple(p.name for p in priors),
            lo=np.array([p.lo for p in priors], float),
            hi=np.array([p.hi for p in priors], float),
            log=np.array([p.dist == "loguniform" for p in priors]),
        )

    @property
    def dim(self) -> int:
        """Free parameters."""
        return len(self.names)

    def to_unit(self, values: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Parameter values (columns in ``names`` order) to the cube."""
        x = np.asarray(values[list(self.names)] if isinstance(values, pd.DataFrame) else values)
        x = x.astype(float)
        lo, hi = self.lo.copy(), self.hi.copy()
        x = np.where(self.log, np.log(np.where(self.log, x, 1.0)), x)
        lo[self.log], hi[self.log] = np.log(lo[self.log]), np.log(hi[self.log])
        return (x - lo) / (hi - lo)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Points of the cube to parameter values."""
        u = np.clip(np.asarray(u, float), 0.0, 1.0)
        lin = self.lo + u * (self.hi - self.lo)
        lo, hi = np.where(self.log, self.lo, 1.0), np.where(self.log, self.hi, 1.0)
        log = np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo)))
        return np.where(self.log, log, lin)

    def frame(self, u: np.ndarray) -> pd.DataFrame:
        """Points of the cube as a table of parameter values."""
        return pd.DataFrame(self.from_unit(u), columns=list(self.names))

    def particles(self, u: np.ndarray) -> list[dict[str, float]]:
        """Points of the cube as ``{parameter: value}`` mappings (for the simulator)."""
        return [dict(zip(self.names, map(float, row), strict=True)) for row in self.from_unit(u)]


@dataclass(frozen=True)
class Emulator:
    """One target's Gaussian process, as arrays (see the module docstring)."""

    target: str
    scaled: np.ndarray  # training inputs divided by the length scales (n x d)
    alpha: np.ndarray  # (K + noise I)^-1 (y - mean) / sd, the weights of the mean
    inverse: np.ndarray  # (K + noise I)^-1, for the variance
    signal: float  # the kernel's variance (of standardised outputs)
    noise: float  # the white noise's variance (of standardised outputs)
    length: np.ndarray  # length scale per parameter, on the cube
    y_mean: float
    y_sd: float

    @property
    def replicate_var(self) -> float:
        """The replicate (seed) variance, in the target's units."""
        return self.noise * self.y_sd**2

    def predict(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """At points ``u`` of the cube: the mean, the emulator's variance and the
        replicate variance (each per point, in the target's units)."""
        u = np.atleast_2d(u)
        mean, var = np.empty(len(u)), np.empty(len(u))
        for s in range(0, len(u), BATCH):
            k = self._cross(u[s : s + BATCH])
            mean[s : s + BATCH] = k @ self.alpha
            var[s : s + BATCH] = self.signal - np.einsum("ij,ij->i", k @ self.inverse, k)
        var = np.clip(var, 0.0, None) * self.y_sd**2
        return mean * self.y_sd + self.y_mean, var, np.full(len(u), self.replicate_var)

    def _cross(self, u: np.ndarray) -> np.ndarray:
        a = u / self.length
        d2 = (a * a).sum(1)[:, None] + (self.scaled**2).sum(1)[None, :] - 2 * a @ self.scaled.T
        return self.signal * np.exp(-0.5 * np.clip(d2, 0.0, None))

    def conditioned(self, u: np.ndarray, y: np.ndarray) -> Emulator:
        """The same kernel and scaling conditioned on the runs ``(u, y)`` instead."""
        ok = np.isfinite(y)
        return _condition(self, u[ok], y[ok])


def _condition(em: Emulator, u: np.ndarray, y: np.ndarray) -> Emulator:
    scaled = u / em.length
    d2 = ((scaled[:, None, :] - scaled[None, :, :]) ** 2).sum(-1)
    k = em.signal * np.exp(-0.5 * d2) + em.noise * np.eye(len(u))
    c = cho_factor(k + 1e-10 * np.eye(len(u)), lower=True)
    z = (y - em.y_mean) / em.y_sd
    return replace(em, scaled=scaled, alpha=cho_solve(c, z), inverse=cho_solve(c, np.eye(len(u))))


def fit(u: np.ndarray, y: np.ndarray, target: str, seed: int) -> Emulator:
    """Fit one target's emulator to the runs ``(u, y)`` (runs with a NaN statistic are
    left out); hyperparameters by maximum marginal likelihood (one restart, seeded).

    Raises:
        ValueError: with fewer than three runs with a value.
    """
    ok = np.isfinite(y)
    u, y = u[ok], y[ok]
    if len(y) < 3:
        raise ValueError(f"{target}: {len(y)} runs with a value; an emulator needs 3 or more")
    d = u.shape[1]
    kernel = ConstantKernel(1.0, (1e-3, 1e2)) * RBF(np.full(d, 0.5), (1e-2, 1e2)) + WhiteKernel(
        0.1, (1e-6, 2.0)
    )
    gp = GaussianProcessRegressor(
        kernel, normalize_y=True, n_restarts_optimizer=1, random_state=seed
    )
    # one BLAS thread: on a shared machine BLAS's own threads cost several times the work
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        gp.fit(u, y)
    k = gp.kernel_
    sd = float(gp._y_train_std) if np.ndim(gp._y_train_std) == 0 else float(gp._y_train_std[0])
    em = Emulator(
        target=target,
        scaled=u,
        alpha=np.zeros(len(y)),
        inverse=np.zeros((len(y), len(y))),
        signal=float(k.k1.k1.constant_value),
        noise=float(k.k2.noise_level),
        length=np.atleast_1d(np.asarray(k.k1.k2.length_scale, float)),
        y_mean=float(np.ravel(gp._y_train_mean)[0]),
        y_sd=sd if sd > 0 else 1.0,
    )
    return _condition(em, u, y)


@dataclass(frozen=True)
class Emulators:
    """One emulator per target (in the targets' order)."""

    members: tuple[Emulator, ...]

    @property
    def targets(self) -> list[str]:
        """The targets, in order."""
        return [e.target for e in self.members]

    def predict(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean, emulator variance and replicate variance: points x targets each."""
        parts = [e.predict(u) for e in self.members]
        return tuple(np.stack([p[i] for p in parts], axis=1) for i in range(3))  # type: ignore[return-value]

    def conditioned(self, u: np.ndarray, y: np.ndarray) -> Emulators:
        """Every emulator conditioned on the runs ``(u, y[:, target])``."""
        return Emulators(tuple(e.conditioned(u, y[:, j]) for j, e in enumerate(self.members)))


@dataclass(frozen=True)
class FitTask:
    """One target's fit, to run on a backend's worker."""

    u: np.ndarray
    y: np.ndarray
    target: str
    seed: int

    @property
    def key(self) -> str:
        """A unique name for Dask."""
        return f"emulate-{self.target}-{self.seed}"


def fit_task(task: FitTask) -> Emulator:
    """:func:`fit` of one task."""
    return fit(task.u, task.y, task.target, task.seed)


def fit_all(u: np.ndarray, y: np.ndarray, targets: list[str], seed: int, map_=None) -> Emulators:
    """An emulator per target (column of ``y``), each seeded from ``seed`` and its place;
    with ``map_`` (an ordered map over a backend's workers) the targets are fitted in
    parallel, with the same results."""
    tasks = [FitTask(u, y[:, j], t, seed + j) for j, t in enumerate(targets)]
    fitted = map_(fit_task, tasks) if map_ is not None else [fit_task(t) for t in tasks]
    return Emulators(tuple(fitted))


def validate(emulators: Emulators, u: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Per target, on held-out runs: the share of standardised errors within +-3, their
    mean and SD, the runs checked and whether the emulator passes (:data:`VALID_SHARE`)."""
    mean, var, noise = emulators.predict(u)
    z = (y - mean) / np.sqrt(var + noise)
    rows = []
    for j, t in enumerate(emulators.targets):
        zj = z[:, j][np.isfinite(z[:, j])]
        share = float((np.abs(zj) <= VALID_BOUND).mean()) if len(zj) else math.nan
        rows.append(
            {
                "target": t,
                "runs": len(zj),
                "within_3": share,
                "mean_error": float(zj.mean()) if len(zj) else math.nan,
                "sd_error": float(zj.std()) if len(zj) > 1 else math.nan,
                "passes": bool(len(zj)) and share >= VALID_SHARE,
            }
        )
    return pd.DataFrame(rows)
