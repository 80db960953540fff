"""The vectorised and reference engines agree where it matters, and the check can fail.

Both engines run from the same seeds (0-9) and are compared per seed: for each outcome,
the mean over seeds of (vector - reference, same seed) must lie within a tolerance of a
third of the smallest population-level effect any programme has on that outcome. So a
drift between the engines a third the size of the smallest effect the model is used to
study would fail this test. The two engines share their random numbers (each draws the
same arrays from the same streams; see ``sim/reference.py``), so paired runs differ only
by float32 rounding (about 1e-6 on SWEMWBS), far inside every tolerance.

The reference engine has no programme, so it refuses a programme scenario.
"""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim import reference
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.run import build_model, simulate
from tests.conftest import small

SEEDS = range(10)
# Small enough for the agent-by-agent engine (about 2.5 s of CPU a run): 100 target people
# (about 1,200 people in all), 16 weeks after a 4-week burn-in. Sharing draws, the engines
# agree to rounding at any size, so a larger population would add time, not power.
SIZE = {"n": 100, "weeks": 16, "burn_in": 4}

# The smallest population-level effect of the three programmes on each outcome: the mean
# paired difference (programme - baseline, same seed) at 1,000 target people over 52 weeks,
# measured on branch `engines` with
#   netmob compare baseline genie plans connecting_people \
#     --people 1000 --weeks 52 --replicates 6 --out /tmp/eff
# from effects.csv (group population) where it has the outcome, else from runs.parquet
# (the summaries). Absolute values; the programme giving the smallest one is named, with
# the other two in brackets (genie, plans, connecting_people).
SMALLEST_EFFECT = {
    "swemwbs_mean": 0.0199,  # connecting_people (0.0708, 0.0339)
    "ucla_mean": 0.00996,  # connecting_people (-0.0350, -0.0117)
    "eq5d_mean": 0.00142,  # connecting_people (0.00354, 0.00258)
    "qalys_mean": 0.000544,  # connecting_people (0.00184, 0.00119); a QALY total over
    # 52 weeks, so at this test's 16 weeks the tolerance is relatively stricter still
    "network_size_mean": 0.0275,  # plans (0.1925, 0.0633)
    "support_received_mean": 0.00370,  # plans (0.0149, 0.00645)
    "weekly_contacts_mean": 0.0153,  # plans (0.0982, 0.0277)
    "density_mean": 0.000975,  # plans (-0.00374, -0.00226)
    "lonely_share": 0.00133,  # plans (-0.0065, -0.0030); plans' interval includes 0,
    # so this is stricter than the smallest detectable effect
}
# Why a third: a drift between the engines that large could change the size of a
# programme's effect by a third, and the smallest effect is the one a drift hides first.
TOLERANCE = {k: v / 3 for k, v in SMALLEST_EFFECT.items()}
OUTCOMES = list(TOLERANCE)


def paired_drift(vector: list[dict], ref: list[dict], outcome: str) -> float:
    """Mean over seeds of vector minus reference (the same seed's run)."""
    v = np.array([s[outcome] for s in vector])
    r = np.array([s[outcome] for s in ref])
    return float((v - r).mean())


def engines_agree(vector: list[dict], ref: list[dict], outcome: str) -> bool:
    """The check: the mean paired drift is within the outcome's tolerance."""
    return abs(paired_drift(vector, ref, outcome)) <= TOLERANCE[outcome]


def runs(engine: str, **overrides) -> list[dict]:
    """Summaries of one engine's runs, one per seed."""
    p = small(**SIZE, **overrides)
    return [simulate(p, s, engine=engine).summary for s in SEEDS]


@pytest.fixture(scope="module")
def both_engines():
    return {e: runs(e) for e in ("vector", "reference")}


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_engines_agree(both_engines, outcome):
    v, r = both_engines["vector"], both_engines["reference"]
    assert engines_agree(v, r, outcome), (paired_drift(v, r, outcome), TOLERANCE[outcome])


def test_engines_share_the_community(both_engines):
    v, r = both_engines["vector"][0], both_engines["reference"][0]
    assert v["n_people_total"] == r["n_people_total"]
    assert v["living_alone_share"] == r["living_alone_share"]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_check_catches_a_drift_of_one_and_a_half_tolerances(both_engines, outcome):
    """Negative control: the reference's outcome shifted by 1.5 tolerances fails the check."""
    shift = 1.5 * TOLERANCE[outcome]
    moved = [{**s, outcome: s[outcome] + shift} for s in both_engines["reference"]]
    assert not engines_agree(both_engines["vector"], moved, outcome)


def test_check_catches_a_rule_changed_by_one_effect(both_engines):
    """Negative control: one engine run with SWEMWBS's response to unmet need 11% stronger
    (``wellbeing.gap_effect`` 0.35 -> 0.39), which moves swemwbs_mean by about the smallest
    programme effect, fails the check."""
    changed = runs("vector", **{"wellbeing.gap_effect": 0.39})
    drift = paired_drift(changed, both_engines["reference"], "swemwbs_mean")
    assert 0.5 < abs(drift) / SMALLEST_EFFECT["swemwbs_mean"] < 2  # about one effect
    assert not engines_agree(changed, both_engines["reference"], "swemwbs_mean")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"programme.preset": "genie"}, "programme.preset"),
        ({"programme.refer_rate": 0.5}, "programme.refer_rate"),
        ({"programme.workers": 2}, "programme.workers"),
    ],
)
def test_reference_engine_refuses_a_programme(monkeypatch, overrides, field):
    """A scenario that runs a programme stops with an InputError naming the field, before
    the community is built."""

    def no_work(*args, **kwargs):
        raise AssertionError("the community was built before the refusal")

    monkeypatch.setattr(reference, "build_community", no_work)
    p = Params.from_overrides({"population.n_people": 50, **overrides})
    with pytest.raises(InputError) as e:
        build_model(p, 1, "reference")
    assert e.value.field == field
    assert "vector engine" in str(e.value)
    with pytest.raises(InputError):
        reference.ReferenceModel(p, seed=1)
