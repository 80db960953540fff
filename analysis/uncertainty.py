"""Which uncertain assumptions drive a comparison's effects (the analysis half of a
probabilistic sensitivity analysis; the draws are :mod:`netmob.experiments.draws`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def drivers(
    draws_table: pd.DataFrame, outcome: pd.DataFrame, min_replicates: int = 5
) -> pd.DataFrame:
    """Which uncertain parameters move an outcome most, strongest first, one row per
    scenario and parameter (``outcome``: one row per replicate, one column per scenario).

    With enough replicates (at least the number of parameters + 3) this is the partial
    rank correlation coefficient (PRCC; Marino et al. 2008, J Theor Biol 254:178): the
    rank correlation of a parameter with the outcome once the other drawn parameters are
    accounted for, so that a parameter which merely happens to be correlated with a
    driver in a small Latin hypercube is not read as one. With fewer, it is the plain
    Spearman correlation (``method`` says which). ``p_value`` tests no association
    (t-test with n - 2 - k degrees of freedom, k parameters held fixed); ``p_holm`` is it
    corrected for testing every parameter of the scenario at once (Holm's step-down
    correction, which keeps the chance of any false "beyond chance" at 5% when p_holm <
    0.05 is read as one). Empty below ``min_replicates``.

    Examples:
        >>> rng = np.random.default_rng(1)
        >>> a = rng.uniform(size=40); b = a + rng.uniform(size=40)  # b tracks a
        >>> y = pd.DataFrame({"s": a + rng.normal(scale=0.1, size=40)})  # y follows a only
        >>> d = drivers(pd.DataFrame({"a": a, "b": b}), y)
        >>> d[["parameter", "method"]].values.tolist()[0], bool(d.p_value.iloc[1] > 0.05)
        (['a', 'partial rank'], True)
    """
    cols = ["scenario", "parameter", "rank_correlation", "p_value", "p_holm", "method"]
    n, k = draws_table.shape
    if n < min_replicates:
        return pd.DataFrame(columns=cols)
    fixed = k - 1 if n >= k + 3 else 0
    method = "partial rank" if fixed else "rank (Spearman)"
    x = draws_table.rank().to_numpy(float)
    rows = []
    for sc in outcome.columns:
        y = outcome[sc].rank().to_numpy(float)
        found = []
        for j, p in enumerate(draws_table.columns):
            rho = _partial_corr(x[:, j], y, np.delete(x, j, axis=1) if fixed else x[:, :0])
            found.append((p, rho, _corr_p_value(rho, n - 2 - fixed)))
        adjusted = holm([pv for _, _, pv in found])
        rows += [(sc, p, r, pv, h, method) for (p, r, pv), h in zip(found, adjusted, strict=True)]
    df = pd.DataFrame(rows, columns=cols)
    order = df["rank_correlation"].abs().fillna(0)
    return (
        df.assign(_k=order)
        .sort_values(["scenario", "_k"], ascending=[True, False], kind="stable")
        .drop(columns="_k")
        .reset_index(drop=True)
    )


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjustment of p-values for testing them all at once (NaN stays NaN,
    and does not count as a test).

    Examples:
        >>> holm([0.01, 0.04, 0.03])  # 0.01 x 3; then max(0.03, 0.03 x 2); 0.04 x 1
        [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, float)
    ok = np.flatnonzero(np.isfinite(p))
    out = np.full(len(p), np.nan)
    m = len(ok)
    order = ok[np.argsort(p[ok], kind="stable")]
    running = 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[j]))
        out[j] = running
    return [round(float(v), 12) if np.isfinite(v) else float("nan") for v in out]


def _partial_corr(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Correlation of ``x`` and ``y`` after removing a linear fit on ``z`` (and a
    constant) from each; NaN when either has no variation left."""
    z1 = np.column_stack([np.ones(len(x)), z])
    rx = x - z1 @ np.linalg.lstsq(z1, x, rcond=None)[0]
    ry = y - z1 @ np.linalg.lstsq(z1, y, rcond=None)[0]
    sx, sy = np.sqrt(rx @ rx), np.sqrt(ry @ ry)
    if sx < 1e-9 * len(x) or sy < 1e-9 * len(y):
        return float("nan")
    return float(np.clip(rx @ ry / (sx * sy), -1.0, 1.0))


def _corr_p_value(rho: float, df: int) -> float:
    """Two-sided p-value of a (partial) correlation against zero, t-test with ``df``."""
    from scipy.stats import t

    if not np.isfinite(rho) or df < 1:
        return float("nan")
    if abs(rho) >= 1.0:
        return 0.0
    stat = rho * np.sqrt(df / (1.0 - rho * rho))
    return float(2.0 * t.sf(abs(stat), df))
