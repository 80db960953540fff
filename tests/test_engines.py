"""The vectorised and reference engines agree person by person, and the check can fail.

Both engines run one seed (100 target people, 16 weeks after a 4-week burn-in). They start
from the same community and share their random numbers (each draws the same arrays from
the same streams; see ``sim/reference.py``), so each person's outcomes can differ only by
float32 rounding in the vectorised engine's columns: about 1e-5 at most here (SWEMWBS).
The check: every numeric outcome in the people table agrees within 1e-4 (absolute) for
every person, and every categorical one is identical. The negative control changes one
coefficient in the reference engine only, by 0.1%, which moves mean SWEMWBS by about
0.0003 (a seventieth of the smallest effect any programme has on it) and fails the check.

The reference engine has no programme, so it refuses a programme scenario.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmob.sim import reference, rules
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.run import build_model, simulate
from tests.conftest import small

SEED = 0
# Small enough for the agent-by-agent engine (a few seconds a run): 100 target people
# (about 1,200 people in all). Sharing draws, the engines agree to rounding at any size.
SIZE = {"n": 100, "weeks": 16, "burn_in": 4}
ATOL = 1e-4  # float32 rounding is about 1e-5 here; a changed rule moves people by far more
# The smallest population-level effect of a programme on SWEMWBS: Connecting People's,
# the mean paired difference at 1,000 target people over 52 weeks (``netmob compare
# baseline genie plans connecting_people --people 1000 --weeks 52 --replicates 6``).
SMALLEST_SWEMWBS_EFFECT = 0.0199


def people(engine: str) -> pd.DataFrame:
    """Each target person's outcomes at the end of one engine's run."""
    return simulate(small(**SIZE), SEED, engine=engine).people


def disagreements(vector: pd.DataFrame, ref: pd.DataFrame) -> list[str]:
    """The outcomes on which some person differs between the engines (beyond ``ATOL`` for
    numbers, at all for categories), with the largest difference."""
    out = []
    for name in ref.columns:  # the vector engine adds the programme's columns
        v, r = vector[name], ref[name]
        if isinstance(v.dtype, pd.CategoricalDtype) or v.dtype == object:
            if not (v.astype(str) == r.astype(str)).all():
                out.append(f"{name}: categories differ")
            continue
        try:
            np.testing.assert_allclose(v.to_numpy(float), r.to_numpy(float), rtol=0, atol=ATOL)
        except AssertionError:
            worst = np.nanmax(np.abs(v.to_numpy(float) - r.to_numpy(float)))
            out.append(f"{name}: differs by up to {worst:.3g}")
    return out


@pytest.fixture(scope="module")
def vector() -> pd.DataFrame:
    return people("vector")


def test_engines_agree_person_by_person(vector):
    ref = people("reference")
    assert len(ref) == len(vector) == SIZE["n"]
    assert set(ref.columns) <= set(vector.columns)
    assert disagreements(vector, ref) == []
    assert (vector.swemwbs != vector.swemwbs_start).any()  # the run did change people


class OneCoefficientChanged:
    """The rules, with SWEMWBS's response to unmet need (``wellbeing.gap_effect``) 0.1%
    stronger: put in place of the reference engine's rules only."""

    def __getattr__(self, name: str):
        return getattr(rules, name)

    @staticmethod
    def swemwbs_target(*args):
        *state, w = args
        return rules.swemwbs_target(
            *state, w.model_copy(update={"gap_effect": w.gap_effect * 1.001})
        )


def test_the_check_catches_one_coefficient_changed_in_one_engine(vector, monkeypatch):
    """Negative control: the reference engine with one coefficient 0.1% off fails the check,
    though mean SWEMWBS moves by far less than the smallest programme effect."""
    monkeypatch.setattr(reference, "rules", OneCoefficientChanged())
    changed = people("reference")
    shift = abs(changed.swemwbs.mean() - vector.swemwbs.mean())
    assert 0 < shift < SMALLEST_SWEMWBS_EFFECT / 20
    assert any(d.startswith("swemwbs:") for d in disagreements(vector, changed))


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
