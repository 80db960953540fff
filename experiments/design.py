"""Design points: a full grid, or Latin hypercube, Sobol (Saltelli) and Morris samples via SALib.

Sampled designs draw in the unit cube (SALib's ``problem`` with bounds ``[0, 1]``) and map
each coordinate to a factor's value: a range linearly (whole numbers evenly; a log-uniform
range on the log scale), a list of values by equal slices. The unit coordinates are kept
beside the values (``u.<name>``) because Morris analysis needs the matrix that was
sampled, in the order sampled. A factor is a :class:`~netmob.experiments.specfile.ParamRange`.

Examples:
    >>> f = [ParamRange(name="pathways.nudge", values=(False, True)),
    ...      ParamRange(name="pathways.advance", lo=0.0, hi=1.0, levels=3)]
    >>> points(f, DesignSpec(kind="grid"), seed=1)["pathways.advance"].tolist()
    [0.0, 0.5, 1.0, 0.0, 0.5, 1.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from netmob.experiments.specfile import ParamRange

UNIT = "u."


class DesignSpec(BaseModel):
    """How points are chosen: ``samples`` is LHS points, Sobol base samples or Morris
    trajectories; ``levels`` is grid levels of ranges or the Morris grid."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["grid", "lhs", "sobol", "morris"]
    samples: int | None = Field(default=None, ge=1)
    levels: int | None = Field(default=None, ge=2)
    second_order: bool = False


def problem(names: Sequence[str]) -> dict[str, Any]:
    """SALib's problem over the unit cube, one variable per factor (by name)."""
    return {
        "num_vars": len(names),
        "names": list(names),
        "bounds": [[0.0, 1.0]] * len(names),
    }


def points(factors: Sequence[ParamRange], design: DesignSpec, seed: int) -> pd.DataFrame:
    """The design as a table: ``point`` (0, 1, ...), one column per factor and, for
    sampled designs, ``u.<name>`` unit coordinates.

    Args:
        factors: The varied parameters.
        design: Which design and its size.
        seed: The sweep's seed (the sample is drawn from a stream derived from it).
    """
    if design.kind == "grid":
        table = grid(factors, design.levels)
    else:
        unit = unit_sample(factors, design, design_seed(seed))
        table = pd.DataFrame({f"{UNIT}{f.name}": unit[:, j] for j, f in enumerate(factors)})
        for j, f in enumerate(factors):
            table[f.name] = from_unit(f, unit[:, j])
    table.insert(0, "point", np.arange(len(table)))
    return table


def grid(factors: Sequence[ParamRange], levels: int | None = None) -> pd.DataFrame:
    """Every combination of every factor's levels (the first factor varies slowest)."""
    axes = [grid_levels(f, levels) for f in factors]
    rows = list(itertools.product(*axes))
    return (
        pd.DataFrame(rows, columns=[f.name for f in factors])
        if factors
        else pd.DataFrame(index=[0])
    )


def grid_levels(factor: ParamRange, levels: int | None = None) -> list[Any]:
    """A factor's levels in a grid: its values, or ``levels`` evenly spaced over its range
    (on the log scale for a log-uniform range).

    Raises:
        ValueError: for a range without levels (a spec checks that it has them).
    """
    if not factor.is_range:
        return list(factor.choices)
    lo, hi = factor.bounds
    n = factor.levels or levels
    if n is None:
        raise ValueError(f"{factor.name}: a range in a grid needs levels")
    xs = np.geomspace(lo, hi, n) if factor.dist == "loguniform" else np.linspace(lo, hi, n)
    if factor.integer:
        return sorted({int(round(x)) for x in xs})
    return [float(x) for x in xs]


def unit_sample(factors: Sequence[ParamRange], design: DesignSpec, seed: int) -> np.ndarray:
    """SALib's sample of the unit cube for an LHS, Sobol or Morris design."""
    prob = problem([f.name for f in factors])
    if design.kind == "lhs":
        from SALib.sample import latin

        return latin.sample(prob, design.samples, seed=seed)
    if design.kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(prob, design.samples, calc_second_order=design.second_order, seed=seed)
    if design.kind == "morris":
        from SALib.sample import morris

        return morris.sample(prob, design.samples, num_levels=design.levels or 4, seed=seed)
    raise ValueError(f"not a sampled design: {design.kind}")


def from_unit(factor: ParamRange, u: np.ndarray) -> list[Any]:
    """Unit coordinates as the factor's values (Python scalars)."""
    if not factor.is_range:
        values = factor.choices
        k = len(values)
        idx = np.minimum((u * k).astype(int), k - 1)
        return [values[i] for i in idx]
    lo, hi = factor.bounds
    if factor.integer:
        span = int(hi) - int(lo)
        steps = np.minimum(np.floor(u * (span + 1)).astype(int), span)
        return [int(lo) + int(s) for s in steps]
    if factor.dist == "loguniform":
        return [float(x) for x in lo * (hi / lo) ** u]
    return [float(x) for x in lo + u * (hi - lo)]


def design_seed(seed: int) -> int:
    """The seed of the design's sample: a branch of the sweep seed apart from the runs'."""
    return int(np.random.SeedSequence(seed, spawn_key=(2**32 - 1,)).generate_state(1)[0])


def overrides(row: pd.Series | Mapping[str, Any], factors: Sequence[ParamRange]) -> dict[str, Any]:
    """A design point's parameter overrides, as plain Python values."""
    return plain({f.name: row[f.name] for f in factors})


def plain(values: pd.Series | Mapping[str, Any]) -> dict[str, Any]:
    """A mapping (or a table row) with numpy scalars as plain Python values."""
    return {str(k): v.item() if hasattr(v, "item") else v for k, v in values.items()}
