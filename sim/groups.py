"""The groups effects are reported for, and each group's mean outcomes in one run.

A paired comparison (``netmob compare``) reduces each run's ``people`` table to one level
per group and registered effect (:func:`netmob.sim.registry.names` of ``"effect"``), so
that what is stored per replicate is small and the analysis works on stored results only.

Groups: ``population`` (every target person), ``referred`` (people the scenario's
programme referred) and ``engaged`` (referred, with 3 or more contacts, as in E5). Costs
are per person in the group: the programme's cost divided by the group's size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netmob.sim import registry

GROUPS = ("population", "referred", "engaged")
TYPE_OUTCOME = "swemwbs"  # the outcome shown by network type


def group_masks(people: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each group as a boolean mask over the rows of ``people``."""
    n = len(people)
    referred = people["referred"].to_numpy() if "referred" in people else np.zeros(n, bool)
    contacts = people["contacts"].to_numpy() if "contacts" in people else np.zeros(n)
    return {
        "population": np.ones(n, bool),
        "referred": referred,
        "engaged": referred & (contacts >= 3),
    }


def person_outcomes(people: pd.DataFrame) -> pd.DataFrame:
    """``people`` with the per-person columns effects need that the table lacks."""
    df = people.copy()
    df["reached"] = (df["contacts"] > 0).astype(float) if "contacts" in df else 0.0
    df["lonely"] = df["lonely"].astype(float)
    return df


def group_levels(people: pd.DataFrame, summary: dict, mask: np.ndarray) -> dict[str, float]:
    """Mean of every registered effect over the people in ``mask`` (``people`` from
    :func:`person_outcomes`); the programme's cost is spread over the group."""
    k = int(mask.sum())
    nan = float("nan")
    out = {}
    for o in (registry.get(name, "effect") for name in registry.names("effect")):
        if o.column is not None:
            out[o.name] = float(people.loc[mask, o.column].mean()) if k else nan
    cost = float(summary.get("intervention_cost", 0.0)) / k if k else nan
    spread = {"intervention_cost_per_person": cost, "net_cost": cost + out["service_cost"]}
    return {name: out[name] if name in out else spread[name] for name in registry.names("effect")}


def by_network_type(people: pd.DataFrame, reference: pd.DataFrame) -> list[dict]:
    """Mean paired difference in :data:`TYPE_OUTCOME` among people referred, by the network
    type they started with."""
    referred = group_masks(people)["referred"]
    diff = people[TYPE_OUTCOME].to_numpy(float) - reference[TYPE_OUTCOME].to_numpy(float)
    types = people["network_type_start"].astype(str).to_numpy()
    out = []
    for t in pd.unique(types):
        mask = referred & (types == t)
        if mask.any():
            out.append(
                {"network_type": t, "mean_diff": float(diff[mask].mean()), "n": int(mask.sum())}
            )
    return out
