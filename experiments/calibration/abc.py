"""ABC-SMC with pyabc: priors, distance, tolerance schedule, and a run that resumes.

The distance between a simulation and the published record is the root mean square of
the targets' standardised deviations (:meth:`Target.distance`): a value of 1 means the
targets lie, on average, one published half-interval away. Each generation's tolerance
is a quantile of the last generation's distances (pyabc's ``QuantileEpsilon``); proposals
come from a multivariate normal kernel around the last generation (pyabc's default).

pyabc keeps every finished generation in ``DIR/abc.db`` (SQLite, one transaction per
generation), so a calibration that is killed resumes from its last finished generation
when the same command is run again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyabc

from netmob.experiments.backends import Backend
from netmob.experiments.calibration.sampler import SeededMappingSampler
from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import CalibrationSpec, Method
from netmob.sim.errors import InputError

DB = "abc.db"


@dataclass
class Distance:
    """Root mean square of the targets' standardised deviations (picklable)."""

    spec: CalibrationSpec

    def __call__(self, x: dict, x0: dict) -> float:
        d = [t.distance(float(x[t.id])) for t in self.spec.fitted()]
        return math.sqrt(sum(v * v for v in d) / len(d))


def abc_method(spec: CalibrationSpec) -> Method:
    """The spec's ABC-SMC budget (a history-matching spec has none: ``--method abc``)."""
    if not isinstance(spec.method, Method):
        raise TypeError(f"{spec.name}: its method is {spec.method.kind}, not ABC-SMC")
    return spec.method


def priors(spec: CalibrationSpec) -> pyabc.Distribution:
    """pyabc's prior: independent uniform or log-uniform per free parameter."""
    rvs = {}
    for p in spec.priors:
        lo, hi = p.bounds
        if p.dist == "uniform":
            rvs[p.name] = pyabc.RV("uniform", lo, hi - lo)
        else:
            rvs[p.name] = pyabc.RV("loguniform", lo, hi)
    return pyabc.Distribution(**rvs)


def observed(spec: CalibrationSpec) -> dict[str, float]:
    """The published values (a band's middle, or its finite end) as pyabc's observed data."""
    out = {}
    for t in spec.targets:
        if t.published is not None:  # not a band
            out[t.id] = t.published
        elif math.isfinite(t.low) and math.isfinite(t.high):
            out[t.id] = (t.low + t.high) / 2
        else:
            out[t.id] = t.low if math.isfinite(t.low) else t.high
    return out


def build(spec: CalibrationSpec, backend: Backend) -> pyabc.ABCSMC:
    """The ABC-SMC object for a spec on a backend."""
    return pyabc.ABCSMC(
        models=Simulator(spec),
        parameter_priors=priors(spec),
        distance_function=Distance(spec),
        population_size=abc_method(spec).population,
        sampler=SeededMappingSampler(backend, spec.seed),
        eps=pyabc.QuantileEpsilon(alpha=abc_method(spec).quantile),
        transitions=pyabc.MultivariateNormalTransition(scaling=abc_method(spec).kernel_scaling),
    )


def run(spec: CalibrationSpec, out: Path, backend: Backend) -> pyabc.History:
    """Run (or resume) the calibration in ``out``; returns pyabc's history."""
    db = out / DB
    url = f"sqlite:///{db}"
    abc = build(spec, backend)
    np.random.seed(spec.seed)  # noqa: NPY002 - pyabc draws from numpy's global generator
    done = 0
    if db.exists() and _finished_generations(url) > 0:
        history = abc.load(url, 1)
        done = history.max_t + 1
    else:
        db.unlink(missing_ok=True)
        history = abc.new(url, observed(spec))
    left = abc_method(spec).generations - done
    if left < 0:
        raise InputError(
            f"the folder holds {done} generations; this spec asks for fewer generations",
            field="method.generations",
            value=abc_method(spec).generations,
            allowed=f"{done} or more, or a new folder",
        )
    if left > 0 and history.total_nr_simulations < abc_method(spec).max_simulations:
        history = abc.run(
            minimum_epsilon=abc_method(spec).min_epsilon,
            max_nr_populations=left,
            max_total_nr_simulations=abc_method(spec).max_simulations,
        )
    return history


def stored(out: Path) -> pyabc.History:
    """The history of a finished calibration in ``out``."""
    return pyabc.History(f"sqlite:///{out / DB}", _id=1, create=False)


def _finished_generations(url: str) -> int:
    """Generations a stored calibration finished (0 if none, or no run is stored)."""
    try:
        return pyabc.History(url, _id=1).n_populations
    except Exception:  # an empty or half-created database: start again
        return 0
