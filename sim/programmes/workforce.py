"""The programme's workforce: sized from the referrals it will get (P1), from the population,
or a fixed headcount ("what if we fund N workers?").

Sized from referrals, each full-time worker takes on ``clients_per_year`` people a year
over the run: ``F = referrals expected over the run / (clients_per_year x years)``. A trial
arm that refers everyone at once gets the workforce that sees them all within its follow-up,
at P1's cost per client.

A workforce of ``F`` full-time equivalents is ``ceil(F)`` workers sharing ``F`` equally; each
holds ``caseload x fte`` places (at least one) and is paid ``worker_cost x fte``. Sizing it
from referrals makes per-person effects and the cost per referral independent of the
population simulated: 500 people get half a worker, 4,000 people four.
"""

from __future__ import annotations

import numpy as np

from netmob.sim.params import Programme


def expected_referrals(eligible: int, pr: Programme, weeks: int) -> float:
    """Referrals over ``weeks`` (or the ``refer_weeks`` of recruitment) among ``eligible``
    people (a constant hazard)."""
    recruiting = min(weeks, pr.refer_weeks) if pr.refer_weeks else weeks
    return float(eligible * (1.0 - np.exp(-pr.refer_rate * recruiting / 52.0)))


def full_time_equivalents(eligible: int, n_target: int, pr: Programme, weeks: int) -> float:
    """The workforce in full-time equivalents, by ``programme.workforce``."""
    if pr.workforce == "fixed":
        return float(pr.workers)
    if pr.workforce == "population":
        return pr.workforce_scale * pr.workers_per_10000 * n_target / 10_000
    years = weeks / 52.0
    return (
        pr.workforce_scale * expected_referrals(eligible, pr, weeks) / (pr.clients_per_year * years)
    )


def workers_fte(eligible: int, n_target: int, pr: Programme, weeks: int) -> np.ndarray:
    """One entry per worker: the share of full time each works (a fixed headcount is full
    time; otherwise ``ceil(F)`` workers share ``F``)."""
    if pr.workforce == "fixed":
        return np.ones(pr.workers)
    total = full_time_equivalents(eligible, n_target, pr, weeks)
    k = int(np.ceil(total - 1e-9))
    return np.full(k, total / k) if k else np.zeros(0)


def places(fte: np.ndarray, pr: Programme) -> np.ndarray:
    """Caseload places of each worker: ``caseload x fte``, at least one."""
    return np.maximum(1, np.round(pr.caseload * fte)).astype(np.int32)
