"""From a spec to runs: design points times replicates, each with its own seed.

A run's seed derives from the sweep's seed and the run's identity only, never from the
worker or the backend, so results are the same anywhere. By default (common random
numbers) replicate ``r`` of every design point shares a seed, so comparisons between
points are paired; with ``crn: false`` the seed depends on the point too.

Examples:
    >>> run_seed(1, point=0, replicate=2) == run_seed(1, point=5, replicate=2)
    True
    >>> run_seed(1, point=0, replicate=2, crn=False) == run_seed(1, point=5, replicate=2, crn=False)
    False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netmob.experiments import design
from netmob.experiments.draws import draws, load_posterior
from netmob.experiments.spec import SweepSpec
from netmob.experiments.specfile import apply
from netmob.sim.errors import InputError
from netmob.sim.params import Params


@dataclass(frozen=True)
class RunTask:
    """One run: its identity, its seed and the parameter overrides of its design point."""

    run_id: int
    point: int
    replicate: int
    seed: int
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """Every run of a sweep, and the design table they come from."""

    points: pd.DataFrame
    tasks: list[RunTask]
    draws: pd.DataFrame | None = None  # one row per replicate: its posterior particle


def run_seed(sweep_seed: int, point: int, replicate: int, crn: bool = True) -> int:
    """The seed of one run (below 2**63), from the sweep's seed and the run's identity."""
    key = (replicate,) if crn else (point, replicate)
    state = np.random.SeedSequence(sweep_seed, spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def run_id(point: int, replicate: int, replicates: int) -> int:
    """A run's number: points in order, replicates within each."""
    return point * replicates + replicate


def plan(spec: SweepSpec) -> Plan:
    """The design table and every run, replicate by replicate (so a partly finished sweep
    covers every point evenly).

    Raises:
        InputError: if a design point gives parameters the schema rejects.
    """
    table = design.points(spec.factors, spec.design, spec.seed)
    point_overrides = [
        {**spec.fixed, **design.overrides(row, spec.factors)} for _, row in table.iterrows()
    ]
    check_points(spec, point_overrides)
    drawn = posterior_draws(spec)
    rows = [{} if drawn is None else design.plain(drawn.iloc[r]) for r in range(spec.replicates)]
    tasks = [
        RunTask(
            run_id=run_id(p, r, spec.replicates),
            point=p,
            replicate=r,
            seed=run_seed(spec.seed, p, r, spec.crn),
            overrides={**rows[r], **over},  # the factors and fixed params above the draw
        )
        for r in range(spec.replicates)
        for p, over in enumerate(point_overrides)
    ]
    if drawn is not None:
        drawn.insert(0, "replicate", range(spec.replicates))
    return Plan(points=table, tasks=tasks, draws=drawn)


def posterior_draws(spec: SweepSpec) -> pd.DataFrame | None:
    """One posterior particle per replicate, drawn by weight from the sweep's seed (as
    ``netmob compare`` draws them), or None for a sweep without a posterior. A parameter
    the base scenario or the fixed params set themselves keeps their value."""
    if spec.posterior is None:
        return None
    drawn = draws(load_posterior(spec.posterior), spec.replicates, spec.seed)
    default, base = Params().flat(), spec.base_params.flat()
    own = [c for c in drawn.columns if base[c] != default[c]]  # the base scenario's own values
    return drawn.drop(columns=own)


def check_points(spec: SweepSpec, point_overrides: list[dict[str, Any]]) -> None:
    """Every point's parameters are valid together (e.g. shares that must sum to one)."""
    for p, over in enumerate(point_overrides):
        try:
            apply(spec.base_params, over, spec.file)
        except InputError as err:
            varied = {f.name: over[f.name] for f in spec.factors}
            raise InputError(
                f"design point {p} {varied} is not valid: {err.reason}",
                file=spec.file,
                field=f"vary.{err.field}" if err.field else "vary",
                value=err.value,
                allowed=err.allowed or "values that are valid together",
            ) from None
