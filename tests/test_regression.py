"""Two exact regression baselines, each with a negative control showing the check can fail.

``baseline.json`` is the core model with no programme; ``baseline_genie.json`` is the same
run with ``programme.preset: genie`` (its workforce sized from its referrals), so referral,
contacts, both pathways and programme costs are pinned too. If a change is meant to move
results, run ``make baseline`` (it rewrites both) and review the diff.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from netmob.sim.params import Params
from netmob.sim.run import simulate

BASELINE = Path(__file__).with_name("baseline.json")
BASELINE_GENIE = Path(__file__).with_name("baseline_genie.json")
VOLATILE = {"run_seconds", "person_weeks_per_second"}
# GENIE at 300 target people: a part-time facilitator, sized from the referrals (P1).
GENIE = {"programme.preset": "genie"}


def baseline_run(**overrides) -> dict:
    """The summary of the baseline run (300 target people, 26 weeks, seed 7), less timings."""
    p = Params.from_overrides(
        {"population.n_people": 300, "run.weeks": 26, "run.burn_in": 8, **overrides}
    )
    summary = simulate(p, seed=7).summary
    return {k: v for k, v in summary.items() if k not in VOLATILE}


def genie_run(**overrides) -> dict:
    """The baseline run with GENIE running (``overrides`` on top)."""
    return baseline_run(**{**GENIE, **overrides})


def differences(expected: dict, got: dict, prefix: str = "") -> list[str]:
    """Keys whose values differ (floats beyond 1e-12 relative)."""
    out = []
    for k in sorted(set(expected) | set(got)):
        a, b = expected.get(k), got.get(k)
        if isinstance(a, dict) and isinstance(b, dict):
            out += differences(a, b, f"{prefix}{k}.")
        elif isinstance(a, float) or isinstance(b, float):
            both_nan = a is not None and b is not None and math.isnan(a) and math.isnan(b)
            if not both_nan and (
                a is None or b is None or not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
            ):
                out.append(f"{prefix}{k}: {a} != {b}")
        elif a != b:
            out.append(f"{prefix}{k}: {a} != {b}")
    return out


def test_matches_baseline():
    expected = json.loads(BASELINE.read_text())
    got = json.loads(json.dumps(baseline_run()))
    assert differences(expected, got) == []


def test_baseline_check_fails_on_a_small_change():
    """Negative control: nudging one effect size by 1% is caught."""
    expected = json.loads(BASELINE.read_text())
    got = json.loads(json.dumps(baseline_run(**{"wellbeing.gap_effect": 0.35 * 1.01})))
    assert differences(expected, got) != []


def test_matches_genie_baseline():
    expected = json.loads(BASELINE_GENIE.read_text())
    got = json.loads(json.dumps(genie_run()))
    assert differences(expected, got) == []


def test_genie_baseline_has_a_programme_at_work():
    """The pinned run refers people, makes contacts and changes by both pathways, and
    costs something: otherwise it would pin nothing of the programme."""
    b = json.loads(BASELINE_GENIE.read_text())
    assert b["people_referred"] > 0 and b["contacts_mean"] > 0
    assert b["changes_nudge_total"] > 0 and b["changes_mobilisation_total"] > 0
    assert b["intervention_cost"] > 0


@pytest.mark.parametrize(
    "change",
    [
        {"pathways.nudge": False},
        {"pathways.mobilisation": False},
        {"programme.workers": 2},
        {"programme.engage": 0.95 * 0.97},
    ],
)
def test_genie_baseline_check_fails_on_a_programme_change(change):
    """Negative control: switching either pathway off, adding a worker, or a planned
    contact 3% less likely to happen is caught. (At 29 referrals a small change to a
    rarer event's probability may cross no draw at all: dropout 0.30 -> 0.33 changes
    nothing here.)"""
    expected = json.loads(BASELINE_GENIE.read_text())
    got = json.loads(json.dumps(genie_run(**change)))
    assert differences(expected, got) != []
