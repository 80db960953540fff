"""Small statistics: means with t intervals, paired and unpaired differences, weighted
quantiles (a comparison's effects, a calibration's posterior, the reports).

Examples:
    >>> r = mean_ci([1.0, 2.0, 3.0])
    >>> r["mean"], r["n"], round(r["lo"], 3)
    (2.0, 3, -0.484)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

Values = Sequence[float] | np.ndarray | pd.Series  # what the statistics take


def mean_ci(values: Values, level: float = 0.95) -> dict[str, float]:
    """Mean of ``values`` with a t interval (NaN bounds below two values)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    mean = float(x.mean()) if n else float("nan")
    if n < 2:
        return {"mean": mean, "lo": float("nan"), "hi": float("nan"), "n": n}
    half = stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n)
    return {"mean": mean, "lo": float(mean - half), "hi": float(mean + half), "n": n}


def paired_diff_ci(a: Values, b: Values, level: float = 0.95) -> dict[str, float]:
    """Mean of ``a - b`` over pairs (e.g. runs sharing a seed), with a t interval."""
    return mean_ci(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), level)


def diff_ci(first: Values, second: Values, level: float = 0.95) -> dict[str, float]:
    """Difference of means ``first - second`` of independent samples, with a Welch
    interval."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    n = min(len(a), len(b))
    if len(a) == 0 or len(b) == 0:
        return {"mean": float("nan"), "lo": float("nan"), "hi": float("nan"), "n": n}
    mean = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2:
        return {"mean": mean, "lo": float("nan"), "hi": float("nan"), "n": n}
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    if se == 0:
        return {"mean": mean, "lo": mean, "hi": mean, "n": n}
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf(0.5 + level / 2, df) * se
    return {"mean": mean, "lo": float(mean - half), "hi": float(mean + half), "n": n}


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> list[float]:
    """Quantiles of ``x`` with weights ``w`` (the weighted empirical distribution)."""
    order = np.argsort(x)
    x, w = x[order], w[order]
    cum = np.cumsum(w) / w.sum()
    return [float(x[min(int(np.searchsorted(cum, q)), len(x) - 1)]) for q in qs]


def spread(x: Values, level: float = 0.95) -> dict[str, float]:
    """The central ``level`` range of ``x`` itself (2.5th and 97.5th percentiles at 95%):
    across parameter draws, how far the answer varies, not how precisely its mean is
    known (NaN below two values).

    Examples:
        >>> r = spread(np.arange(101.0))
        >>> r["lo"], r["hi"]
        (2.5, 97.5)
    """
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 2:
        return {"lo": float("nan"), "hi": float("nan")}
    lo, hi = np.percentile(x, [50 - 50 * level, 50 + 50 * level])
    return {"lo": float(lo), "hi": float(hi)}
