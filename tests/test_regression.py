"""One exact regression baseline (and a negative control showing the check can fail).

If a change is meant to move results, run ``make baseline`` and review the diff.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from netmob.sim.params import Params
from netmob.sim.run import simulate

BASELINE = Path(__file__).with_name("baseline.json")
VOLATILE = {"run_seconds", "person_weeks_per_second"}


def baseline_run(**overrides) -> dict:
    p = Params.from_overrides(
        {"population.n_people": 300, "run.weeks": 26, "run.burn_in": 8, **overrides}
    )
    summary = simulate(p, seed=7).summary
    return {k: v for k, v in summary.items() if k not in VOLATILE}


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
