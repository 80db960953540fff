"""Network types against their predictors (N7): shares and a logistic model.

:func:`formal_sparse_shares` gives the share of people whose network is *formal and sparse*
with and without each of the four covariates N7 found associated with type (living alone,
insecure or supported housing, no formal qualifications, long-term sickness or disability),
among everyone and among people with SMI. :func:`diagnosis_model` fits, within SMI, a
logistic model of formal and sparse on the four predictors and the diagnosis (psychosis
as reference) by unpenalised maximum likelihood (Newton-Raphson, :func:`logistic`), and
returns the odds ratios with 95% intervals, so that "diagnosis
adds little once the predictors are in" can be read off, beside the crude odds ratios of
diagnosis alone.

Both are pure functions of a people table (``people.parquet``, or ``simulate(...).people``);
for a fresh community at week 0::

    p = Params.from_overrides({"population.n_people": 20000, "run.weeks": 1, "run.burn_in": 0})
    people = simulate(p, seed=1).people
    formal_sparse_shares(people, "network_type_start")
    diagnosis_model(people, "network_type_start")

N7's published association is a calibration target, measured by
:mod:`netmob.experiments.calibration.statistics` (``netmob targets default --target
N7.alone``, and so on).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netmob.sim.network_types import PREDICTORS, predictors

DIAGNOSES = ("bipolar", "other")  # against psychosis


def _odds(p: float) -> float:
    return p / (1 - p) if 0 < p < 1 else float("nan")


def formal_sparse_shares(people: pd.DataFrame, column: str = "network_type") -> pd.DataFrame:
    """Per predictor and group (everyone, SMI): share formal and sparse with and without
    it, and the crude odds ratio."""
    sparse = (people[column].astype(str) == "formal_sparse").to_numpy()
    x = predictors(people)
    rows = []
    for group, mask in (("all", np.ones(len(people), bool)), ("smi", people["smi"].to_numpy())):
        for name in PREDICTORS:
            has = x[name].to_numpy() & mask
            hasnt = ~x[name].to_numpy() & mask
            p1, p0 = float(sparse[has].mean()), float(sparse[hasnt].mean())
            rows.append(
                {
                    "group": group,
                    "predictor": name,
                    "share_with": p1,
                    "share_without": p0,
                    "n_with": int(has.sum()),
                    "n_without": int(hasnt.sum()),
                    "odds_ratio": _odds(p1) / _odds(p0),
                }
            )
    return pd.DataFrame(rows)


def logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Unpenalised maximum-likelihood logistic regression by Newton-Raphson (IRLS).

    ``x`` (n, k) without an intercept column (one is added); returns the coefficients and
    their standard errors, intercept first.
    """
    a = np.column_stack([np.ones(len(x)), np.asarray(x, float)])
    y = np.asarray(y, float)
    beta = np.zeros(a.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(a @ beta)))
        hessian = a.T @ (a * (p * (1 - p))[:, None])
        step = np.linalg.solve(hessian, a.T @ (y - p))
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    p = 1.0 / (1.0 + np.exp(-(a @ beta)))
    cov = np.linalg.inv(a.T @ (a * (p * (1 - p))[:, None]))
    return beta, np.sqrt(np.diag(cov))


def _logit_or(x: pd.DataFrame, y: np.ndarray) -> dict[str, dict[str, float]]:
    beta, se = logistic(x.to_numpy(float), y)
    return {
        name: {
            "odds_ratio": float(np.exp(b)),
            "low": float(np.exp(b - 1.96 * s)),
            "high": float(np.exp(b + 1.96 * s)),
        }
        for name, b, s in zip(x.columns, beta[1:], se[1:], strict=True)
    }


def diagnosis_model(people: pd.DataFrame, column: str = "network_type") -> dict[str, dict]:
    """Within SMI: odds ratios of formal and sparse for diagnosis alone (``crude``) and for
    the four predictors plus diagnosis (``adjusted``), from unpenalised logistic models,
    each with a 95% Wald interval."""
    smi = people[people["smi"].astype(bool)]
    y = (smi[column].astype(str) == "formal_sparse").to_numpy()
    diag = pd.DataFrame(
        {f"diagnosis_{d}": (smi["diagnosis"].astype(str) == d).to_numpy() for d in DIAGNOSES}
    )
    both = pd.concat([predictors(smi).reset_index(drop=True), diag], axis=1)
    return {"n": int(len(smi)), "crude": _logit_or(diag, y), "adjusted": _logit_or(both, y)}
