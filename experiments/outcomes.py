"""Outcomes a sweep can keep: the run-level summary names, and how a summary becomes a row.

A run's ``summary`` (``netmob.sim.measures.summary``) holds scalars and a few dicts; a sweep keeps
scalars only, so dicts are flattened to dotted names (``new_ties.nudge``). The names a
spec may ask for are declared here (EMA Workbench style: outcomes are declared, not
discovered), including those the programmes and pathways add (issue 3).

Examples:
    >>> flatten({"a": 1.0, "new_ties": {"nudge": 2}})
    {'a': 1.0, 'new_ties.nudge': 2}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from netmob.sim.measures import WEEKLY
from netmob.sim.state import NETWORK_TYPES, ORIGINS

# Scalar keys of netmob.sim.measures.summary (issue 2).
CORE = (
    "n_people_target",
    "n_people_total",
    "weeks",
    "network_size_mean",
    "family_share",
    "friend_share",
    "partner_share",
    "living_alone_share",
    "weekly_contacts_mean",
    "density_mean",
    "inner_turnover_per_year",
    "outer_turnover_per_year",
    "network_size_change",
    "swemwbs_mean",
    "ucla_mean",
    "lonely_share",
    "eq5d_mean",
    "qalys_mean",
    "support_received_mean",
    "service_cost_mean",
    "members_swemwbs_change",
)
# Timing keys of the summary: kept as run metadata, never as outcomes (they vary run to run).
TIMING = ("run_seconds", "person_weeks_per_second")
# Keys the programmes and pathways add to the summary (issue 3).
PROGRAMME = (
    "people_referred",
    "people_reached",
    "contacts_mean",
    "engaged_3plus_share",
    "disengaged_share",
    "changes_nudge",
    "changes_mobilisation",
    "intervention_cost",
    "cost_per_referred",
    "service_cost_total",
    "swemwbs_referred_mean",
    "support_received_referred_mean",
    "workers_in_post_mean",
    "worker_knowledge_mean",
)
# Dict-valued keys, flattened.
NESTED = (
    *(f"network_type_shares.{t}" for t in NETWORK_TYPES),
    *(f"new_ties.{o}" for o in ORIGINS if o != "baseline"),
)
OUTCOMES: tuple[str, ...] = CORE + PROGRAMME + NESTED
# Weekly columns: the model's (netmob.sim.measures.WEEKLY) and the programmes' (issue 3).
PROGRAMME_WEEKLY = (
    "people_referred",
    "people_reached",
    "clients_active",
    "nudges",
    "adopting_or_sustained",
    "intervention_cost",
)
WEEKLY_COLUMNS: tuple[str, ...] = (*(c for c in WEEKLY if c != "week"), *PROGRAMME_WEEKLY)


class MissingOutcome(Exception):
    """A run did not produce an outcome the spec asks for."""


def weekly_rows(weekly: pd.DataFrame, names: tuple[str, ...] | None) -> pd.DataFrame:
    """The weekly columns ``names`` (all when None) beside ``week``.

    Raises:
        MissingOutcome: if the run did not produce one of ``names``.
    """
    if names is None:
        return weekly.copy()
    missing = [n for n in names if n not in weekly.columns]
    if missing:
        raise MissingOutcome(f"the run produced no weekly {', '.join(missing)}")
    return weekly[["week", *names]].copy()


def flatten(summary: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dict values spread into dotted keys; scalars kept as they are."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, prefix=f"{name}."))
        else:
            out[name] = value
    return out


def pick(summary: dict[str, Any], names: list[str] | None) -> dict[str, float]:
    """The outcomes ``names`` (all scalar ones when None) from a run's summary.

    Raises:
        MissingOutcome: if the run did not produce one of ``names``.
    """
    flat = {k: v for k, v in flatten(summary).items() if _is_scalar(v) and k not in TIMING}
    if names is None:
        return flat
    missing = [n for n in names if n not in flat]
    if missing:
        raise MissingOutcome(
            f"the run produced no {', '.join(missing)} (it produced: {', '.join(sorted(flat))})"
        )
    return {n: flat[n] for n in names}


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str | np.generic)
