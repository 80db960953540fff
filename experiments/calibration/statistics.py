"""What the model computes for each published figure: the statistics of a calibration.

A target is measured in a *study*: one scenario run (``arm``) and, for an effect, its
``control`` scenario from the same seed, so that effects are paired per person (common
random numbers), as in :mod:`netmob.analysis.paired`. Each statistic here reads the two
runs' people tables, summaries and weekly panels and returns one number:

``summary``
    A value of the arm's run summary (``of``: e.g. ``network_size_mean``).
``itt_effect``
    Mean paired difference in ``of`` among everyone the arm referred, at the end of the
    run (intention to treat: referred, whether seen or not).
``itt_effect_g``
    The same, divided by the standard deviation of ``of`` among those people in the
    control run: a standardised mean difference (Hedges' g, without the small-sample
    correction, which is negligible at these sizes).
``high_fidelity_share``
    Share of the people seen (referred, at least one contact) who were seen with high
    fidelity (P5).
``fidelity_contrast``
    Mean paired difference in ``of`` among people seen with high fidelity minus that among
    people seen with low fidelity (E2's comparison).
``uptake_gain``
    Mean paired difference in ``of`` at week ``week`` (from the weekly panel) among the
    people who took up a resource through the programme (E6's "started to take part").
``typology_log_or``
    Log odds ratio of a *formal and sparse* network at week 0 with against without one of
    seed 003's predictors (``of``: lives_alone, unstable_housing, no_qualifications,
    disability), among people with SMI in the arm (N7), with 0.5 added to each cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netmob.sim.network_types import predictors as typology_predictors


@dataclass
class Run:
    """What a statistic may read of one run: people table, summary and weekly panel."""

    people: pd.DataFrame
    summary: dict
    panel: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class Statistic:
    """One kind of statistic: whether it needs a control run, an ``of`` and a ``week``."""

    name: str
    fn: Callable[[Run, Run | None, str, int | None], float]
    paired: bool
    needs_of: bool = True
    needs_week: bool = False
    meaning: str = ""


def _paired(arm: Run, control: Run, of: str) -> np.ndarray:
    """Per-person ``arm - control`` of column ``of`` (rows share ``person_id``)."""
    a = arm.people.set_index("person_id")[of].astype(float)
    c = control.people.set_index("person_id")[of].astype(float).reindex(a.index)
    return (a - c).to_numpy()


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else float("nan")


def summary(arm: Run, control: Run | None, of: str, week: int | None) -> float:
    return float(arm.summary[of])


def itt_effect(arm: Run, control: Run, of: str, week: int | None) -> float:
    referred = arm.people["referred"].to_numpy(bool)
    return _mean(_paired(arm, control, of)[referred])


def itt_effect_g(arm: Run, control: Run, of: str, week: int | None) -> float:
    referred = arm.people["referred"].to_numpy(bool)
    sd = (
        float(control.people[of].to_numpy(float)[referred].std(ddof=1)) if referred.sum() > 1 else 0
    )
    return itt_effect(arm, control, of, week) / sd if sd > 0 else float("nan")


def _seen(people: pd.DataFrame) -> np.ndarray:
    return people["referred"].to_numpy(bool) & (people["contacts"].to_numpy() > 0)


def high_fidelity_share(arm: Run, control: Run | None, of: str, week: int | None) -> float:
    seen = _seen(arm.people)
    high = seen & arm.people["high_fidelity"].to_numpy(bool)
    return float(high.sum() / seen.sum()) if seen.any() else float("nan")


def fidelity_contrast(arm: Run, control: Run, of: str, week: int | None) -> float:
    seen = _seen(arm.people)
    high = seen & arm.people["high_fidelity"].to_numpy(bool)
    d = _paired(arm, control, of)
    return _mean(d[high]) - _mean(d[seen & ~high])


def uptake_gain(arm: Run, control: Run, of: str, week: int | None) -> float:
    p = arm.people
    took = (p["resources_taken_up_nudge"] + p["resources_taken_up_mobilisation"]).to_numpy() > 0
    row = min(int(week), arm.panel[of].shape[0]) - 1
    d = arm.panel[of][row] - control.panel[of][row]
    return _mean(d[took].astype(float))


def typology_log_or(arm: Run, control: Run | None, of: str, week: int | None) -> float:
    p = arm.people
    smi = p["smi"].to_numpy(bool)
    sparse = (p["network_type_start"].astype(str) == "formal_sparse").to_numpy()[smi]
    x = typology_predictors(p)[of].to_numpy(bool)[smi]
    a, b = (sparse & x).sum() + 0.5, (~sparse & x).sum() + 0.5
    c, d = (sparse & ~x).sum() + 0.5, (~sparse & ~x).sum() + 0.5
    return float(np.log(a * d / (b * c)))


STATISTICS: dict[str, Statistic] = {
    s.name: s
    for s in (
        Statistic("summary", summary, paired=False, meaning="a value of the run summary"),
        Statistic("itt_effect", itt_effect, paired=True, meaning="paired ITT effect"),
        Statistic("itt_effect_g", itt_effect_g, paired=True, meaning="standardised ITT effect"),
        Statistic(
            "high_fidelity_share",
            high_fidelity_share,
            paired=False,
            needs_of=False,
            meaning="share of people seen who were seen with high fidelity",
        ),
        Statistic(
            "fidelity_contrast",
            fidelity_contrast,
            paired=True,
            meaning="paired effect, high minus low fidelity",
        ),
        Statistic(
            "uptake_gain",
            uptake_gain,
            paired=True,
            needs_week=True,
            meaning="paired gain at a week among people who took up a resource",
        ),
        Statistic(
            "typology_log_or",
            typology_log_or,
            paired=False,
            meaning="log odds ratio of formal and sparse with a predictor, within SMI",
        ),
    )
}
