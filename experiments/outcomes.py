"""Outcomes a sweep can keep: the run-level summary names, and how a summary becomes a row.

A run's ``summary`` (``netmob.sim.measures.summary``) holds scalars, under names without
dots; a sweep keeps scalars only (a dict would be flattened to dotted names, but no
measure has one: see :mod:`netmob.sim.registry`). The names a spec may ask for are
declared, not discovered (EMA Workbench style): they are the ``run`` outcomes of the one
registry, :mod:`netmob.sim.registry`.

Examples:
    >>> flatten({"a": 1.0, "b": {"c": 2}})
    {'a': 1.0, 'b.c': 2}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from netmob.sim import registry

# Timing keys of the summary: kept as run metadata, never as outcomes (they vary run to run).
TIMING = ("run_seconds", "person_weeks_per_second")
OUTCOMES: tuple[str, ...] = registry.names("run")  # what a spec may keep
WEEKLY_COLUMNS: tuple[str, ...] = registry.names("weekly")


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
