"""A comparison reads every effect at the trials' horizons (26 and 39 weeks) and at its
end, and flags what lies past the longest follow-up in the record (78 weeks, E6) as
extrapolation, in effects.csv, the report and the brief."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from netmob.analysis.brief import in_brief
from netmob.analysis.compare import over_time, ranking
from netmob.analysis.report import render
from netmob.experiments.compare import compare_spec, run
from netmob.experiments.effects import LONGEST_FOLLOW_UP, by_horizon
from netmob.sim import registry
from netmob.sim.errors import InputError


@functools.cache
def compared(weeks: int):
    """baseline against genie and plans, 60 people, 2 replicates, ``weeks`` weeks."""
    spec = compare_spec(
        ["baseline", "genie", "plans"], people=60, weeks=weeks, replicates=2, seed=1
    )
    return run(spec)


@pytest.mark.slow
def test_effects_at_26_39_and_the_end_flagged_past_78_weeks():
    """An 80-week run: every registered effect, for every group and scenario, at weeks 26,
    39 and 80; only the 80-week rows are extrapolation. The end's rows are the result's
    ``effects`` (value for money only there)."""
    result = compared(80)
    e = by_horizon(result)
    assert sorted(set(e["week"])) == [26, 39, 80]
    assert (e["extrapolated"] == (e["week"] > LONGEST_FOLLOW_UP)).all()
    assert e.loc[e["week"] == 80, "extrapolated"].all()
    for week in (26, 39, 80):
        at = e[e["week"] == week]
        keys = set(zip(at["scenario"], at["outcome"], at["group"], strict=True))
        for scenario in ("genie", "plans"):
            for group in ("population", "referred", "engaged"):
                for outcome in registry.names("effect"):
                    assert (scenario, outcome, group) in keys, (week, scenario, outcome, group)
    end = e[e["week"] == 80].reset_index(drop=True)
    pd.testing.assert_frame_equal(end, result.effects.reset_index(drop=True))
    assert "net_benefit_20000" not in set(e.loc[e["week"] < 80, "outcome"])
    # the effect grows from one horizon to the next in the referred group here (not forced:
    # it is read, each week among the people referred by then)
    r = ranking(result).set_index("week")
    assert r.loc[26, "genie"] != r.loc[80, "genie"]


@pytest.mark.slow
def test_negative_control_a_52_week_run_has_nothing_flagged():
    """52 weeks is inside the record's longest follow-up: the same horizons, none flagged,
    and the brief and report say nothing of extrapolation (the 80-week run's do)."""
    result = compared(52)
    e = by_horizon(result)
    assert sorted(set(e["week"])) == [26, 39, 52]
    assert not e["extrapolated"].any()
    assert not any("extrapolat" in line for line in in_brief(result))
    assert "yes: past" not in over_time(result)["extrapolation"].str.cat()
    long = compared(80)
    assert any("extrapolation" in line for line in in_brief(long))
    assert "yes: past 78 weeks" in set(over_time(long)["extrapolation"])
    assert "Over time: the trials" in render(result)


def test_horizons_at_or_past_the_end_are_left_out_and_bad_ones_refused():
    """A 20-week run has no trial horizon before its end: its effects are at 20 only;
    --horizon 0 or a fraction is refused naming the option."""
    spec = compare_spec(["baseline", "genie"], people=60, weeks=20, replicates=2, seed=1)
    assert spec.reads == ()
    spec = compare_spec(
        ["baseline", "genie"], people=60, weeks=20, replicates=2, seed=1, horizons=(5, 20, 30)
    )
    assert (
        spec.reads == (5,)
        and spec.digest()
        != compare_spec(["baseline", "genie"], people=60, weeks=20, replicates=2, seed=1).digest()
    )
    for bad in (0, 2.5):
        with pytest.raises(InputError, match="--horizon"):
            compare_spec(["baseline", "genie"], people=60, weeks=20, replicates=2, seed=1,
                         horizons=(bad,))  # fmt: skip
