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
``engaged_gain``
    Mean paired difference in ``of`` among the engaged (referred, 3 or more contacts) minus
    that among everyone referred (E5: improvements among those with 3 or more contacts).
``nudge_lead``
    Median weeks from referral to a first change through mobilisation minus that through
    the nudge, among the people whose first change came that way (the nudge acts sooner).
``mobilisation_depth``
    Ties deepened or reactivated through mobilisation per adopter (stage adopting or
    sustained) minus those through the nudge per person who took up a resource through it
    (mobilisation reaches deeper into the network).
``uptake_gain``
    Mean paired difference in ``of`` at week ``week`` (from the weekly panel) among the
    people who took up a resource through the programme (E6's "started to take part").
``typology_log_or``
    Log odds ratio of a *formal and sparse* network at week 0 with against without one of
    N7's four predictors (``of``: lives_alone, unstable_housing, no_qualifications,
    disability), among people with SMI in the arm (N7), with 0.5 added to each cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netmob.sim import groups
from netmob.sim.network_types import predictors as typology_predictors


@dataclass
class Run:
    """What a statistic may read of one run: people table, summary and weekly panel."""

    people: pd.DataFrame
    summary: dict[str, Any]
    panel: dict[str, np.ndarray] = field(default_factory=dict)


# A statistic reads the arm's run, the control's (None unless paired), ``of`` (None unless
# it needs one) and ``week`` (None unless it needs one); the spec checks which it gets.
StatisticFn = Callable[[Run, Run | None, str | None, int | None], float]


@dataclass(frozen=True)
class Statistic:
    """One kind of statistic: whether it needs a control run, an ``of`` and a ``week``."""

    name: str
    fn: StatisticFn
    paired: bool
    needs_of: bool = True
    needs_week: bool = False
    meaning: str = ""


def _given[T](value: T | None, what: str) -> T:
    """``value``, which the statistic needs (a target without it is refused by the spec)."""
    if value is None:
        raise ValueError(f"this statistic needs {what}")
    return value


def _paired(arm: Run, control: Run | None, of: str | None) -> np.ndarray:
    """Per-person ``arm - control`` of column ``of`` (rows share ``person_id``)."""
    column = _given(of, "an 'of'")
    a = arm.people.set_index("person_id")[column].astype(float)
    c = _given(control, "a control run").people.set_index("person_id")[column]
    return (a - c.astype(float).reindex(a.index)).to_numpy()


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else float("nan")


def summary(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    return float(arm.summary[_given(of, "an 'of'")])


def itt_effect(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    referred = arm.people["referred"].to_numpy(bool)
    return _mean(_paired(arm, control, of)[referred])


def itt_effect_g(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    referred = arm.people["referred"].to_numpy(bool)
    column = _given(control, "a control run").people[_given(of, "an 'of'")]
    sd = float(column.to_numpy(float)[referred].std(ddof=1)) if referred.sum() > 1 else 0.0
    return itt_effect(arm, control, of, week) / sd if sd > 0 else float("nan")


def _seen(people: pd.DataFrame) -> np.ndarray:
    return people["referred"].to_numpy(bool) & (people["contacts"].to_numpy() > 0)


def high_fidelity_share(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    seen = _seen(arm.people)
    high = seen & arm.people["high_fidelity"].to_numpy(bool)
    return float(high.sum() / seen.sum()) if seen.any() else float("nan")


def fidelity_contrast(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    seen = _seen(arm.people)
    high = seen & arm.people["high_fidelity"].to_numpy(bool)
    d = _paired(arm, control, of)
    return _mean(d[high]) - _mean(d[seen & ~high])


def engaged_gain(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    masks = groups.group_masks(arm.people)  # engaged: referred, 3 or more contacts (E5)
    d = _paired(arm, control, of)
    return _mean(d[masks["engaged"]]) - _mean(d[masks["referred"]])


def nudge_lead(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    p = arm.people

    def median_weeks(pathway: str) -> float:
        weeks = p.loc[p["first_change_pathway"] == pathway, "weeks_to_first_change"]
        return float(weeks.median()) if len(weeks) else float("nan")

    return median_weeks("mobilisation") - median_weeks("nudge")


def mobilisation_depth(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    p = arm.people
    adopters = p["stage_reached"].isin(["adopting", "sustained"]).to_numpy()
    nudged = (p["resources_taken_up_nudge"] > 0).to_numpy()

    def ties(pathway: str) -> np.ndarray:
        return (p[f"deepened_ties_{pathway}"] + p[f"reactivated_ties_{pathway}"]).to_numpy(float)

    return _mean(ties("mobilisation")[adopters]) - _mean(ties("nudge")[nudged])


def uptake_gain(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    p = arm.people
    took = (p["resources_taken_up_nudge"] + p["resources_taken_up_mobilisation"]).to_numpy() > 0
    column = _given(of, "an 'of'")
    row = min(_given(week, "a week"), arm.panel[column].shape[0]) - 1
    d = arm.panel[column][row] - _given(control, "a control run").panel[column][row]
    return _mean(d[took].astype(float))


def typology_log_or(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    p = arm.people
    smi = p["smi"].to_numpy(bool)
    sparse = (p["network_type_start"].astype(str) == "formal_sparse").to_numpy()[smi]
    x = typology_predictors(p)[_given(of, "an 'of'")].to_numpy(bool)[smi]
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
            "engaged_gain",
            engaged_gain,
            paired=True,
            meaning="paired effect among the engaged (3+ contacts) minus among everyone referred",
        ),
        Statistic(
            "nudge_lead",
            nudge_lead,
            paired=False,
            needs_of=False,
            meaning="median weeks to a first change, through mobilisation minus the nudge",
        ),
        Statistic(
            "mobilisation_depth",
            mobilisation_depth,
            paired=False,
            needs_of=False,
            meaning="ties deepened or reactivated per adopter, mobilisation minus the nudge",
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
