"""The programmes against their evaluations, measured as the calibration measures them.

Each published figure and its tolerance are read from the calibration spec
(``experiments/calibration/default.yaml``): every target's study (its arm and paired
control, same seed) runs at the model's defaults from seeds 0-7 through the calibration's
simulator and statistics, and the mean must lie inside the published interval or band
(``netmob targets default`` prints the same table). Where the evidence gives a direction
and no figure (E2's access to social capital, E5's gain with 3 or more contacts), or the
pathways' mechanism does (the nudge acts sooner, mobilisation reaches deeper, both
pathways at least either), the 95% interval over paired replicates must lie above zero.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from netmob.experiments.calibration.checks import check, measure, only
from netmob.experiments.calibration.spec import Target, load_calibration

pytestmark = pytest.mark.slow

SPEC = load_calibration("default")
# The spec's targets the programme checks cover (engagement, effects and their nulls).
PUBLISHED = ("P3", "E1", "E2", "E2.wellbeing", "E3", "E3.lonely", "E5", "E5.wellbeing")
# Published figures the model misses at its defaults, each failing as it should (strict):
# when one starts to pass, its entry goes.
MISSED = {
    "P3": "in the Deep End population 62% of referred people see the link worker 3+ times "
    "(seeds 0-7 at 300 people), against 45% (0.393 to 0.507); see docs/FINDINGS.md",
    "E3.lonely": "with negative ties as strain in loneliness GENIE's standardised effect on "
    "UCLA-3 in PALS is -0.107 (seeds 0-7), just past the null band's -0.1; it is -0.103 with "
    "wellbeing.ucla_per_negative 0.14 and -0.097 with 0 (docs/FINDINGS.md): for the "
    "calibration to fit",
    "E1": "with lapse (activities and objectives can be lost) and negative ties as strain, "
    "PLANS's effect on EQ-5D in BRIGHT is +0.0094 (seeds 0-7 at 300 people), just below "
    "E1's interval from +0.01: for the calibration to fit (lapse rates and strain are free "
    "or assumptions)",
    "E2.wellbeing": "the low-fidelity clients' SWEMWBS falls (the smaller group change "
    "-0.67, seeds 0-7 at 300 people) where the pilot saw WEMWBS rise in both groups; see "
    "docs/FINDINGS.md (evidence that can fail)",
}
REPLICATES = 8


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    spec = only(SPEC, PUBLISHED)
    return check(spec, measure(spec, REPLICATES)).set_index("target")


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=MISSED[t]))
        if t in MISSED
        else t
        for t in PUBLISHED
    ],
)
def test_published_figure_inside_its_interval(published, target):
    row = published.loc[target]
    assert row["n"] == REPLICATES
    assert row["low"] <= row["mean"] <= row["high"], row.to_dict()


def test_without_the_programme_the_programme_figures_are_missed():
    """Negative control: each programme figure measured in its trial's control arm (no
    programme; 2 seeds) falls outside its interval (nobody is engaged or gains, and no
    client is seen with any fidelity: P3 and E2 are then undefined or zero)."""
    ids = ("P3", "E1", "E2")
    spec = only(SPEC, ids)
    controls = {"P3": "trial_deep_end", "E2": "trial_connecting_people"}
    targets = tuple(
        dataclasses.replace(t, scenario=t.control or controls[t.id]) for t in spec.targets
    )
    spec = spec.model_copy(update={"targets": targets})
    table = check(spec, measure(spec, 2)).set_index("target")
    assert not table["inside"].any(), table[["mean", "low", "high"]]


def direction(tid: str, statistic: str, scenario: str, **kw) -> Target:
    """A check with no published figure: the statistic is above zero."""
    return Target(
        id=tid, statistic=statistic, of=kw.get("of"), week=None, scenario=scenario,
        control=kw.get("control"), people=kw.get("people", 1000), published=None,
        low=0.0, high=math.inf, band=True, scale=1.0,
    )  # fmt: skip


DIRECTIONS = (
    # E5: improvements among those with 3 or more contacts (in E5's study)
    direction("E5.engaged", "engaged_gain", "trial_deep_end_link_workers", of="swemwbs",
              control="trial_deep_end", people=300),
    # E2: access to social capital higher with high fidelity (in E2's study)
    direction("E2.social_capital", "fidelity_contrast", "trial_connecting_people_delivered",
              of="social_capital", control="trial_connecting_people", people=300),
    # the pathways: the nudge acts sooner, mobilisation reaches deeper (GENIE, 1,000 people:
    # at 4 replicates the smallest interval, the mobilisation-only arm's, starts at 0.16)
    direction("nudge_lead", "nudge_lead", "genie"),
    direction("mobilisation_depth", "mobilisation_depth", "genie"),
    # each pathway's share of GENIE's effect on wellbeing
    *(
        direction(arm, "itt_effect", arm, of="swemwbs", control="baseline")
        for arm in ("genie", "genie_nudge_only", "genie_mobilisation_only")
    ),
    # negative controls: an arm paired with itself has no gain or contrast
    direction("E5.engaged.self", "engaged_gain", "trial_deep_end_link_workers",
              of="swemwbs", control="trial_deep_end_link_workers", people=300),
    direction("E2.social_capital.self", "fidelity_contrast",
              "trial_connecting_people_delivered", of="social_capital",
              control="trial_connecting_people_delivered", people=300),
)  # fmt: skip


@pytest.fixture(scope="module")
def directions() -> pd.DataFrame:
    spec = SPEC.model_copy(update={"targets": DIRECTIONS})
    return check(spec, measure(spec, 4)).set_index("target")


@pytest.mark.parametrize(
    "target", ["E5.engaged", "E2.social_capital", "nudge_lead", "mobilisation_depth"]
)
def test_direction_clearly_above_zero(directions, target):
    assert directions.loc[target, "ci_low"] > 0, directions.loc[target].to_dict()


@pytest.mark.parametrize("target", ["E5.engaged.self", "E2.social_capital.self"])
def test_an_arm_against_itself_shows_no_direction(directions, target):
    """Negative control of the direction checks: exactly zero, so not above it."""
    row = directions.loc[target]
    assert row["mean"] == 0 and not row["ci_low"] > 0, row.to_dict()


def test_both_pathways_at_least_either(directions):
    both = directions.loc["genie", "mean"]
    assert both >= directions.loc["genie_nudge_only", "mean"]
    assert both >= directions.loc["genie_mobilisation_only", "mean"]
    assert directions.loc["genie", "ci_low"] > 0
