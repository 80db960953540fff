"""Pathway analysis on made-up sweeps with known answers: effects, winners, attribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.pathways import (
    attribution,
    effects,
    findings,
    levels,
    pathway_of,
    prepare,
    winners,
)
from netmob.experiments.stats import diff_ci, mean_ci, paired_diff_ci
from netmob.sim.errors import InputError

MANIFEST = {
    "factors": ["pathways.nudge", "pathways.mobilisation", "attendance.barrier_scale"],
}


def made_up(reps: int = 6, seed: int = 0) -> pd.DataFrame:
    """Support = 10 + replicate noise (shared across pathways, as with common random
    numbers) + 1 for nudge + 2 for mobilisation (+0.5 together) at barrier 1; at barrier 2
    the nudge's effect is 3. Tags: the nudge makes 1 change a run, mobilisation 3."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 1, reps)
    rows = []
    for barrier in (1.0, 2.0):
        for nudge in (False, True):
            for mob in (False, True):
                for r in range(reps):
                    effect = (
                        (1.0 if barrier == 1.0 else 3.0) * nudge + 2.0 * mob + 0.5 * (nudge and mob)
                    )
                    rows.append(
                        {
                            "run_id": len(rows),
                            "replicate": r,
                            "status": "ok",
                            "pathways.nudge": nudge,
                            "pathways.mobilisation": mob,
                            "attendance.barrier_scale": barrier,
                            "support_received_mean": 10 + noise[r] + effect,
                            "changes_nudge_total": 1 * nudge,
                            "changes_mobilisation_total": 3 * mob,
                        }
                    )
    return pd.DataFrame(rows)


@pytest.fixture
def runs():
    ok, cells = prepare(made_up(), MANIFEST)
    return ok, cells


def test_pathway_labels():
    assert [pathway_of(n, m) for n, m in [(0, 0), (1, 0), (0, 1), (1, 1)]] == list(
        ("none", "nudge", "mobilisation", "both")
    )


def test_paired_effects_remove_the_shared_noise(runs):
    ok, cells = runs
    eff = effects(ok, cells, "support_received_mean", paired=True).set_index(["cell", "pathway"])
    got = eff["effect"].to_dict()
    assert got[("barrier_scale=1", "nudge")] == pytest.approx(1.0)
    assert got[("barrier_scale=1", "mobilisation")] == pytest.approx(2.0)
    assert got[("barrier_scale=1", "both")] == pytest.approx(3.5)
    assert got[("barrier_scale=2", "nudge")] == pytest.approx(3.0)
    width = eff["hi"] - eff["lo"]
    assert (width < 1e-9).all()  # same noise in every pathway: exact differences


def test_unpaired_effects_have_wider_intervals(runs):
    ok, cells = runs
    eff = effects(ok, cells, "support_received_mean", paired=False)
    assert ((eff["hi"] - eff["lo"]) > 0.5).all()
    assert eff["effect"].iloc[0] == pytest.approx(1.0)


def test_levels_have_intervals_over_replicates(runs):
    ok, cells = runs
    lv = levels(ok, cells, "support_received_mean")
    assert len(lv) == 8 and (lv["n"] == 6).all() and (lv["lo"] < lv["mean"]).all()


def test_winners_change_with_barriers(runs):
    ok, cells = runs
    win = winners(ok, cells, "support_received_mean", paired=True).set_index("cell")
    assert win.loc["barrier_scale=1", "head_to_head"] == "mobilisation"
    assert win.loc["barrier_scale=2", "head_to_head"] == "nudge"
    assert (win["best"] == "both").all()


def test_attribution_from_tags_and_counterfactuals(runs):
    ok, cells = runs
    att = attribution(ok, cells, ["support_received_mean"], paired=True).set_index("cell")
    assert att["nudge_share"].tolist() == pytest.approx([0.25, 0.25])
    row = att.loc["barrier_scale=1"]
    assert row["support_received: nudge alone/both"] == pytest.approx(1 / 3.5)
    assert row["support_received: mobilisation alone/both"] == pytest.approx(2 / 3.5)
    assert row["support_received: interaction/both"] == pytest.approx(0.5 / 3.5)


def test_findings_read_the_tables(runs):
    """The report's summary sentences follow the made-up sweep's known answers."""
    ok, cells = runs
    o = "support_received_mean"
    tables = {
        "winners": winners(ok, cells, o, paired=True),
        "attribution": attribution(ok, cells, [o], paired=True),
    }
    text = findings(tables, ok, cells)
    assert text[0].startswith("Head to head on support received (hours/week): mobilisation wins")
    assert "mobilisation wins in 1 of 2 cells, the nudge in 1, no clear winner in 0" in text[0]
    assert "largest effect in 2 of 2" in text[0]
    # mobilisation minus nudge: +1 at barrier 1, -1 at barrier 2
    assert "from +1 to -1" in text[1]
    # both together: 3.5 at barrier 1, 5.5 at barrier 2
    assert "both pathways together move support received (hours/week) by +3.5, +5.5." in text[2]
    assert "the nudge accounts for 25% to 25%" in text[3]
    # interaction: +0.5 of 3.5 at barrier 1, +0.5 of 5.5 at barrier 2
    assert "+9% to +14%" in text[4] and "reinforce" in text[4]


def test_findings_say_where_more_adds_nothing():
    """The combined effect along a factor: a plateau is named from where it starts, and
    only when the effect rose first (a flat line from the start is no plateau)."""
    from netmob.analysis.pathways import _dose_lines

    def lines(effects):
        win = pd.DataFrame(
            {"outcome": "swemwbs_mean", "programme.workers": [1, 3, 6, 9], "both_effect": effects}
        )
        return _dose_lines(win, "programme.workers")[0]

    assert "past 3 more changes it by under 5%" in lines([0.2, 0.4, 0.41, 0.405])
    assert "past 6" in lines([0.2, 0.3, 0.4, 0.41])
    assert "past" not in lines([0.2, 0.3, 0.4, 0.5])  # still rising
    assert "past" not in lines([0.4, 0.4, 0.4, 0.4])  # no dose-response at all


def test_a_sweep_without_the_pathway_switches_is_refused():
    with pytest.raises(InputError, match="both pathway switches") as info:
        prepare(made_up(), {"factors": ["pathways.nudge", "attendance.barrier_scale"]})
    assert info.value.field == "vary"


def test_interval_helpers():
    assert mean_ci([1.0])["n"] == 1 and np.isnan(mean_ci([1.0])["lo"])
    d = paired_diff_ci([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])
    assert d["mean"] == d["lo"] == d["hi"] == 1.0
    w = diff_ci([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])
    assert w["mean"] == 1.0 and w["lo"] < 0 < w["hi"]
