"""The model against a calibration spec's targets, without calibrating: each target's
statistic over seeds at the model's defaults (or at one particle), its mean with a 95%
interval, and whether the mean lies inside the published interval or band.

Each published figure and its tolerance are written once, in the calibration specs
(``experiments/calibration/*.yaml``); the checks of the programmes against their
evaluations (``tests/test_programme_validation.py``), of the network typology
(``tests/test_network_typology.py``) and ``netmob check`` read them from there, and the
statistics are the calibration's own (:mod:`.statistics`, run by :class:`.Simulator`).

Examples:
    >>> from netmob.experiments.calibration.spec import load_calibration
    >>> spec = only(load_calibration("tiny"), ["P4"])
    >>> table = check(spec, measure(spec, replicates=2))
    >>> table[["target", "low", "high", "n"]].to_dict("records")
    [{'target': 'P4', 'low': 0.217, 'high': 0.297, 'n': 2}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import CalibrationSpec, Target
from netmob.experiments.stats import mean_ci
from netmob.sim.errors import InputError


def only(spec: CalibrationSpec, ids: Sequence[str]) -> CalibrationSpec:
    """The spec with the targets ``ids`` only (in the spec's order).

    Raises:
        InputError: for an id the spec has no target of.
    """
    known = [t.id for t in spec.targets]
    for i in ids:
        if i not in known:
            raise InputError(
                "no target of that id in the spec",
                file=spec.file,
                field="--target",
                value=i,
                allowed=", ".join(known),
            )
    return spec.model_copy(update={"targets": tuple(t for t in spec.targets if t.id in ids)})


def measure(
    spec: CalibrationSpec,
    replicates: int,
    particle: Mapping[str, float] | None = None,
    first_seed: int = 0,
) -> pd.DataFrame:
    """Every target's statistic from seeds ``first_seed``, ``first_seed + 1``, ... (one row
    per seed, one column per target), each study paired with its control on one seed, at
    the model's defaults or with ``particle``'s values on top."""
    simulator = Simulator(spec)
    seeds = range(first_seed, first_seed + replicates)
    rows = [simulator.run(dict(particle or {}), seed) for seed in seeds]
    return pd.DataFrame(rows, index=pd.Index(seeds, name="seed"))


def check(spec: CalibrationSpec, values: pd.DataFrame) -> pd.DataFrame:
    """Per target: what it measures and where, its published value and interval (or
    band), the mean over ``values``' seeds with a 95% t interval, and ``inside``: whether
    that mean lies in the interval or band."""
    return pd.DataFrame([_row(t, values[t.id].to_numpy(float)) for t in spec.targets])


def _row(t: Target, v: np.ndarray) -> dict[str, object]:
    r = mean_ci(v)
    return {
        "target": t.id,
        "statistic": t.statistic + (f"({t.of})" if t.of else ""),
        "scenario": t.scenario,
        "control": t.control,
        "people": t.people,
        "published": t.published,
        "low": t.low,
        "high": t.high,
        "band": t.band,
        "mean": r["mean"],
        "ci_low": r["lo"],
        "ci_high": r["hi"],
        "n": r["n"],
        "inside": bool(t.low <= r["mean"] <= t.high),
    }
