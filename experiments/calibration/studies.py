"""Statistics that read a study as it was run: its population, comparison and follow-up.

:mod:`.statistics` holds the statistics every calibration spec can name; the ones here
measure three published figures the way their studies measured them, where an easier
reading of the model would measure something else:

``cohort_gain`` (E6, Munford et al. 2020)
    The cohort followed people who *started* to take part in community assets and read
    their QALY gain (and care costs) 6, 12 and 18 months after each person's own start,
    against comparable people who did not start. Here: a target person *starts* in the
    arm when they attend a resource for the first time in the run (not attending in its
    first week, attending later); the comparable non-starter is the same person in the
    control run (common random numbers), kept only if they had not started there by the
    end of the read. The gain is what ``of`` (cumulative: ``qalys``, ``service_cost``)
    accrued over the ``week`` weeks from the start, arm minus control. Only people who
    start early enough to be followed for :data:`COHORT_FOLLOW_UP` weeks count, so the
    6-, 12- and 18-month reads are of one cohort, and the run must last that long after
    the last starter counted.
``fidelity_observed`` (E2, Webber et al. 2019)
    The pilot compared the clients it saw with high fidelity against those it saw with
    low fidelity, both in the Connecting People arm: an observed contrast, with whatever
    selection fidelity carries, not a paired causal one. Mean ``of`` (e.g.
    ``service_cost``) among people seen with high fidelity minus that among people seen
    with low fidelity, in the arm alone.
``fidelity_rise`` (E2's "WEMWBS rose in both groups")
    The smaller of the two groups' mean change in ``of`` (e.g. ``swemwbs``) from the
    start of the run to its end, in the arm: positive when it rose in both.
``illness_members`` (N1, Vassilev et al. 2013)
    The cohort counted the network members who contribute to illness management, not the
    whole network. The model gives every kind of tie a share of illness work
    (:data:`netmob.sim.rules.KIND_SUPPORT_SHARES`, third column, positive for every
    kind), so a member contributes when its tie is live, not negative ('bad' social
    capital gives nothing) and carried illness-work hours in the last week. The mean
    count per target person, from :func:`run_extras`, which the simulator adds to each
    run's summary.

:data:`STATISTICS` is the registry a spec names statistics from: those of
:mod:`.statistics` and these.
"""

from __future__ import annotations

import numpy as np

from netmob.experiments.calibration.statistics import STATISTICS as BASE
from netmob.experiments.calibration.statistics import Run, Statistic, _given, _seen
from netmob.sim import rules
from netmob.sim.state import PEOPLE_SCHEMA

# E6's longest read (18 months): a starter counts if the run follows them this long.
COHORT_FOLLOW_UP = 78
# Per-person weekly columns a statistic reads beyond its ``of`` (the simulator records
# them in the run's panel).
PANEL_NEEDS: dict[str, tuple[str, ...]] = {"cohort_gain": ("attending",)}
ILLNESS_MEMBERS = "illness_members_mean"  # the key run_extras adds to a run's summary


def start_rows(attending: np.ndarray) -> np.ndarray:
    """Each person's first panel row attending a resource, if they did not attend in the
    first row (week 1); -1 for people who never start or were already taking part.

    Examples:
        >>> a = np.array([[0, 1, 0], [0, 1, 0], [1, 1, 0]])  # weeks x people
        >>> start_rows(a).tolist()  # starts in row 2; attending from row 0; never
        [2, -1, -1]
    """
    going = np.nan_to_num(attending, nan=0.0) > 0
    first = np.where(going.any(axis=0), going.argmax(axis=0), -1)
    return np.where(going[0], -1, first)


def cohort_gain(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    assert control is not None  # a paired statistic: the spec gives it a control
    of = _given(of, "an 'of'")
    weeks = int(week or 0)
    start = start_rows(arm.panel["attending"])
    rows = arm.panel[of].shape[0]
    counted = (start >= 1) & (start - 1 + COHORT_FOLLOW_UP <= rows - 1)
    twin = start_rows(control.panel["attending"])
    people = np.flatnonzero(counted)
    end = start[people] - 1 + weeks
    # the comparable non-starter: the same person without the programme, not started by
    # the end of the read
    keep = (twin[people] < 0) | (twin[people] > end)
    people, end = people[keep], end[keep]
    if not len(people):
        return float("nan")
    before = start[people] - 1

    def accrued(panel: np.ndarray) -> np.ndarray:
        return panel[end, people].astype(float) - panel[before, people].astype(float)

    return float((accrued(arm.panel[of]) - accrued(control.panel[of])).mean())


def _fidelity_groups(arm: Run) -> tuple[np.ndarray, np.ndarray]:
    seen = _seen(arm.people)
    high = seen & arm.people["high_fidelity"].to_numpy(bool)
    return high, seen & ~high


def fidelity_observed(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    of = _given(of, "an 'of'")
    high, low = _fidelity_groups(arm)
    if not high.any() or not low.any():
        return float("nan")
    v = arm.people[of].to_numpy(float)
    return float(v[high].mean() - v[low].mean())


def fidelity_rise(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    of = _given(of, "an 'of'")
    high, low = _fidelity_groups(arm)
    if not high.any() or not low.any():
        return float("nan")
    change = arm.people[of].to_numpy(float) - arm.people[f"{of}_start"].to_numpy(float)
    return float(min(change[high].mean(), change[low].mean()))


def illness_members(arm: Run, control: Run | None, of: str | None, week: int | None) -> float:
    return float(arm.summary[ILLNESS_MEMBERS])


def illness_member_counts(model) -> np.ndarray:
    """Per target person: members whose tie is live, not negative and carried
    illness-work hours in the last week (the support process's own allocation)."""
    t, n, pp = model.ties, model.n_target, model.people
    live = np.flatnonzero(t.active & ~t.dormant)
    ego = t.ego[live]
    good = ~t.negative[live]
    cell = t.kind[live].astype(np.intp) * 2 + t.nearby[live]
    share = rules.support_share_table(model.params.network).reshape(-1, 3)[:, 2][cell]
    drawable = t.cap[live] * t.value_subj[live] * good * share
    need = pp.need[:n] * rules.need_shares(model.params.health)[2]
    gives = (drawable > 0) & (need[ego] > 0)
    return np.bincount(ego[gives], minlength=n)


def run_extras(model) -> dict[str, float]:
    """What these statistics read of a run beyond its summary (added to it)."""
    return {ILLNESS_MEMBERS: float(illness_member_counts(model).mean())}


# The people-table columns ``fidelity_rise`` can read (each has a ``_start`` column).
RISE_OF = ("swemwbs",)

STATISTICS: dict[str, Statistic] = BASE | {
    s.name: s
    for s in (
        Statistic(
            "cohort_gain",
            cohort_gain,
            paired=True,
            needs_week=True,
            meaning="gain over the weeks after each person's own start against the same "
            "person not started (E6's cohort)",
        ),
        Statistic(
            "fidelity_observed",
            fidelity_observed,
            paired=False,
            meaning="observed difference, high- against low-fidelity clients in the arm",
        ),
        Statistic(
            "fidelity_rise",
            fidelity_rise,
            paired=False,
            meaning="the smaller of the high- and low-fidelity groups' mean change",
        ),
        Statistic(
            "illness_members",
            illness_members,
            paired=False,
            needs_of=False,
            meaning="members contributing to illness management per person (N1)",
        ),
    )
}


def panel_needs(targets) -> set[str]:
    """The weekly columns ``targets`` read beyond their ``of``."""
    return {c for t in targets for c in PANEL_NEEDS.get(t.statistic, ())}


# What each statistic here may name as ``of`` (the spec checks it).
OF_NAMES: dict[str, tuple[str, ...]] = {
    "cohort_gain": tuple(PEOPLE_SCHEMA),
    "fidelity_rise": RISE_OF,
}
