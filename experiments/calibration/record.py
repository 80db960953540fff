"""The published record as history matching reads it: observations, variances, bands.

Each fitted target is a published figure ``z`` with its study's sampling error, or a band
the truth lies in ("little or no effect"). A simulator's statistic at a parameter set
``x`` is, as the emulators see it, ``f(x)`` (their mean and variance) plus the replicate
(seed) variance; between the model's best ``f`` and the world lies the model
discrepancy. So, per target:

- ``obs_var``: the study's sampling variance, (95% half-interval / 1.96)^2; 0 for a band;
- ``disc_var``: the model discrepancy, (``discrepancy`` x the target's scale)^2, where the
  scale is the published half-interval (or the band's half-width, or its ``scale``):
  an assumption, set in the spec's ``method.discrepancy``;
- the emulator's and the replicate variance, per point, from :mod:`.emulators`.

**Implausibility** (Vernon et al. 2010; Andrianakis et al. 2015) of ``x`` for a target:
``|z - E f(x)| / sqrt(var_em + var_rep + obs_var + disc_var)``; for a band, the distance
outside it over the same sd (0 inside). A point is ruled out when the second-largest
implausibility over the targets exceeds the cut-off (3): one target may miss, as no
single emulator is trusted alone; two may not.

**Likelihood** (for the posterior inside what remains): normal with that variance for a
published value; for a band, the probability that the simulated statistic lands inside
it, ``Phi((hi - m) / s) - Phi((lo - m) / s)``.

:meth:`Record.synthetic` draws a record the model itself could have published at a
parameter set (the checks' synthetic truths): the simulated statistics plus the
discrepancy and the study's error, a band re-centred the same way.

Examples:
    >>> import numpy as np
    >>> r = Record(ids=("a", "b"), value=np.array([1.0, 0.0]), lo=np.array([0.5, -0.1]),
    ...            hi=np.array([1.5, 0.1]), band=np.array([False, True]),
    ...            obs_var=np.array([0.0625, 0.0]), disc_var=np.array([0.0, 0.01]))
    >>> i = r.implausibility(np.array([[2.0, 0.3]]), np.zeros((1, 2)))
    >>> [round(float(v), 3) for v in i[0]]  # 1 / 0.25; 0.2 outside the band / 0.1
    [4.0, 2.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import log_ndtr

CUTOFF = 3.0  # implausibility above which a point is ruled out (Pukelsheim's three sigma)
TINY = 1e-12


@dataclass(frozen=True)
class Record:
    """The fitted targets' observations (arrays in the targets' order)."""

    ids: tuple[str, ...]
    value: np.ndarray  # published value (a band: its middle, or its finite end)
    lo: np.ndarray  # band limits (-inf/inf for an open end; the interval for a value)
    hi: np.ndarray
    band: np.ndarray  # bool
    obs_var: np.ndarray
    disc_var: np.ndarray

    @classmethod
    def of(cls, targets, discrepancy: float) -> Record:
        """The record of ``targets`` (:class:`~.spec.Target`), with the model discrepancy's
        sd at ``discrepancy`` times each target's scale."""
        band = np.array([t.band for t in targets])
        lo = np.array([t.low for t in targets], float)
        hi = np.array([t.high for t in targets], float)
        mid = np.where(
            np.isfinite(lo) & np.isfinite(hi), (lo + hi) / 2, np.where(np.isfinite(lo), lo, hi)
        )
        value = np.array([t.published if not t.band else 0.0 for t in targets], float)
        half = (hi - lo) / 2
        return cls(
            ids=tuple(t.id for t in targets),
            value=np.where(band, mid, value),
            lo=lo,
            hi=hi,
            band=band,
            obs_var=np.where(band, 0.0, (np.where(band, 0.0, half) / 1.96) ** 2),
            disc_var=(discrepancy * np.array([t.scale for t in targets], float)) ** 2,
        )

    def sd(self, var: np.ndarray) -> np.ndarray:
        """The sd of a target's comparison: emulator and replicate variance ``var`` plus
        the observation's and the discrepancy's (points x targets)."""
        return np.sqrt(var + self.obs_var + self.disc_var + TINY)

    def implausibility(self, mean: np.ndarray, var: np.ndarray) -> np.ndarray:
        """Implausibility per point and target (``var``: emulator + replicate)."""
        s = self.sd(var)
        point = np.abs(self.value - mean) / s
        outside = np.maximum(0.0, np.maximum(self.lo - mean, mean - self.hi))
        out = np.where(self.band, outside / s, point)
        return np.where(np.isfinite(self.value) | self.band, out, 0.0)

    def log_likelihood(self, mean: np.ndarray, var: np.ndarray) -> np.ndarray:
        """Log-likelihood per point (summed over targets; a target with no observation
        (NaN) adds nothing)."""
        s = self.sd(var)
        point = -0.5 * ((self.value - mean) / s) ** 2 - np.log(s) - 0.5 * math.log(2 * math.pi)
        band = _log_between((self.lo - mean) / s, (self.hi - mean) / s)
        ll = np.where(self.band, band, point)
        return np.where(np.isfinite(self.value), ll, 0.0).sum(axis=-1)

    def synthetic(self, simulated: np.ndarray, rng: np.random.Generator) -> Record:
        """A record the model could have published, from one simulation's statistics:
        each value plus the discrepancy and the study's error; a band of the same width
        re-centred on the value plus the discrepancy and a uniform offset within it (the
        band likelihood's own generative model); a half-open band turned to the side
        the value plus the discrepancy falls on."""
        noise = rng.standard_normal(len(self.ids))
        base = simulated + np.sqrt(self.disc_var) * noise
        value = base + np.sqrt(self.obs_var) * rng.standard_normal(len(self.ids))
        half = (self.hi - self.lo) / 2
        closed = np.isfinite(half)
        offset = rng.uniform(-1, 1, len(self.ids)) * np.where(closed, half, 0.0)
        centre = base + offset
        lo, hi = self.lo.copy(), self.hi.copy()
        for j in np.flatnonzero(self.band):
            if closed[j]:
                lo[j], hi[j] = centre[j] - half[j], centre[j] + half[j]
            else:  # half-open: which side of the same threshold the model's value is on
                cut = self.lo[j] if np.isfinite(self.lo[j]) else self.hi[j]
                lo[j], hi[j] = (cut, np.inf) if base[j] >= cut else (-np.inf, cut)
        lo = np.where(self.band, lo, value - (self.hi - self.lo) / 2)
        hi = np.where(self.band, hi, value + (self.hi - self.lo) / 2)
        finite = np.isfinite(simulated)
        mid = np.where(
            np.isfinite(lo) & np.isfinite(hi), (lo + hi) / 2, np.where(np.isfinite(lo), lo, hi)
        )
        out = np.where(self.band, mid, value)
        return replace(self, value=np.where(finite, out, np.nan), lo=lo, hi=hi)


def second_largest(implausibility: np.ndarray) -> np.ndarray:
    """The second-largest implausibility over targets per point (the largest with one
    target)."""
    if implausibility.shape[1] < 2:
        return implausibility.max(axis=1)
    return np.sort(implausibility, axis=1)[:, -2]


def _log_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log(Phi(b) - Phi(a)) for a <= b, stable in both tails."""
    a, b = np.broadcast_arrays(a, b)
    # use the upper tail where both are positive: Phi(b) - Phi(a) = Phi(-a) - Phi(-b)
    flip = a > 0
    lo, hi = np.where(flip, -b, a), np.where(flip, -a, b)
    log_hi, log_lo = log_ndtr(hi), log_ndtr(lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = log_hi + np.log1p(-np.exp(np.minimum(log_lo - log_hi, 0.0)))
    return np.where(np.isfinite(out), out, -1e300)
