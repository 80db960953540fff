"""The model as a calibration sees it: free parameters in, one number per target out.

:class:`Simulator` is built once from a spec (its studies' scenarios loaded and checked
here, in the main process) and then called with one particle, a ``{parameter: value}``
mapping, in any worker. It runs each study the targets need, the arm and its paired
control from one seed, with the particle's values on top of the study's scenario (on the spec's area, if
any: :func:`~netmob.experiments.calibration.spec.study_params`), and
computes every target's statistic. The seed comes from numpy's global generator, which
the sampler seeds per task (:mod:`.sampler`), so a particle's numbers never depend on
which worker ran it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from netmob.experiments.calibration.spec import CalibrationSpec, Target, study_params
from netmob.experiments.calibration.statistics import Run
from netmob.experiments.calibration.studies import STATISTICS, panel_needs, run_extras
from netmob.sim import measures
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params

RunKey = tuple[str, int]  # scenario reference, target people


class Simulator:
    """Runs a spec's studies for one particle and returns ``{target id: statistic}``.

    A scenario that several targets need (as arm or as control) runs once per particle.
    """

    def __init__(self, spec: CalibrationSpec) -> None:
        self.targets = spec.targets
        self.runs: dict[RunKey, tuple[Params, tuple[str, ...]]] = {}
        for key in _run_keys(spec.targets):
            panel = {t.of for t in spec.targets if t.week and t.of and key in _keys_of(t)}
            panel |= panel_needs([t for t in spec.targets if key in _keys_of(t)])
            self.runs[key] = (study_params(spec, *key), tuple(sorted(panel)))

    def __call__(self, particle: dict[str, float]) -> dict[str, float]:
        """Every target's statistic for the particle (NaN where a statistic is undefined)."""
        seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - seeded per task
        return self.run(particle, seed)

    def run(self, particle: dict[str, float], seed: int) -> dict[str, float]:
        """As calling it, from a given seed."""
        free = {k: float(v) for k, v in particle.items()}
        runs = {
            key: _run(params.with_overrides(free), seed, panel)
            for key, (params, panel) in self.runs.items()
        }
        return {
            t.id: _statistic(
                t,
                runs[(t.scenario, t.people)],
                None if t.control is None else runs[(t.control, t.people)],
            )
            for t in self.targets
        }


def _keys_of(target: Target) -> list[RunKey]:
    """The runs a target reads: its scenario and, if paired, its control."""
    keys = [(target.scenario, target.people)]
    return keys + [(target.control, target.people)] if target.control else keys


def _run_keys(targets: Iterable[Target]) -> list[RunKey]:
    """Every run the targets need, each once, in the order first named."""
    return list(dict.fromkeys(k for t in targets for k in _keys_of(t)))


def _run(params: Params, seed: int, panel: tuple[str, ...]) -> Run:
    model = NetworkModel(params, seed=seed, panel=panel).run()
    return Run(
        people=measures.people_table(model),
        summary=measures.summary(model) | run_extras(model),
        panel=model.panel,
    )


def _statistic(target: Target, arm: Run, control: Run | None) -> float:
    value = STATISTICS[target.statistic].fn(arm, control, target.of, target.week)
    return float(value) if value is not None and np.isfinite(value) else float("nan")
