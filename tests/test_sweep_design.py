"""Designs and run plans: grids, SALib samples mapped to parameter values, run seeds."""

from __future__ import annotations

import numpy as np
import pytest

from netmob.experiments.design import DesignSpec, from_unit, grid_levels, points
from netmob.experiments.plan import plan, run_seed
from netmob.experiments.spec import load_spec
from netmob.experiments.specfile import ParamRange
from tests.sweep_helpers import write_spec

# a switch, a range and a whole-number range (a, b, w in the tables below)
A = ParamRange(name="pathways.nudge", values=(False, True))
B = ParamRange(name="attendance.barrier_scale", lo=0.5, hi=2.0, levels=4)
W = ParamRange(name="programme.workers", lo=0, hi=6)
a, b, w = A.name, B.name, W.name


def test_grid_is_every_combination_first_factor_slowest():
    t = points([A, B], DesignSpec(kind="grid"), seed=1)
    assert len(t) == 8 and t["point"].tolist() == list(range(8))
    assert t[a].tolist() == [False] * 4 + [True] * 4
    assert t[b].tolist() == [0.5, 1.0, 1.5, 2.0] * 2


def test_grid_levels_of_whole_numbers_are_distinct_integers():
    assert W.integer and grid_levels(W, levels=4) == [0, 2, 4, 6]
    assert grid_levels(ParamRange(name=w, lo=0, hi=2), levels=5) == [0, 1, 2]


def test_lhs_puts_one_point_in_each_stratum():
    t = points([B, W], DesignSpec(kind="lhs", samples=20), seed=3)
    strata = np.floor(t[f"u.{b}"] * 20).astype(int)
    assert sorted(strata) == list(range(20))
    assert t[b].between(0.5, 2.0).all() and np.allclose(t[b], 0.5 + 1.5 * t[f"u.{b}"])
    assert t[w].isin(range(7)).all()


def test_sobol_has_saltelli_size_and_is_reproducible():
    d = DesignSpec(kind="sobol", samples=16)
    t = points([A, B, W], d, seed=5)
    assert len(t) == 16 * (3 + 2)
    assert t.equals(points([A, B, W], d, seed=5))
    assert not t.equals(points([A, B, W], d, seed=6))
    t2 = points([A, B, W], DesignSpec(kind="sobol", samples=16, second_order=True), seed=5)
    assert len(t2) == 16 * (2 * 3 + 2)


def test_morris_trajectories_move_one_factor_at_a_time():
    t = points([B, W], DesignSpec(kind="morris", samples=5, levels=4), seed=2)
    assert len(t) == 5 * 3
    steps = np.abs(np.diff(t[[f"u.{b}", f"u.{w}"]].to_numpy().reshape(5, 3, 2), axis=1))
    assert ((steps > 0).sum(axis=2) == 1).all()


def test_values_and_whole_numbers_are_spread_evenly():
    u = (np.arange(7000) + 0.5) / 7000
    counts = np.bincount(from_unit(W, u), minlength=7)
    assert (counts == 1000).all()
    assert from_unit(A, np.array([0.0, 0.49, 0.5, 1.0])) == [False, False, True, True]


def test_common_random_numbers_share_seeds_across_points():
    assert run_seed(9, 0, 1) == run_seed(9, 7, 1) != run_seed(9, 0, 2)
    assert run_seed(9, 0, 1, crn=False) != run_seed(9, 7, 1, crn=False)
    assert 0 <= run_seed(2**63 - 1, 10**6, 10**6) < 2**63


def test_plan_numbers_runs_and_seeds_by_identity(tmp_path):
    spec = load_spec(write_spec(tmp_path, replicates=3))
    p = plan(spec)
    assert sorted(t.run_id for t in p.tasks) == list(range(12))
    first = p.tasks[: len(p.points)]
    assert {t.replicate for t in first} == {0}  # replicate by replicate
    for t in p.tasks:
        assert t.run_id == t.point * 3 + t.replicate
        assert t.seed == run_seed(7, t.point, t.replicate)
        assert t.overrides["pathways.nudge"] == p.points.loc[t.point, "pathways.nudge"]
        assert t.overrides["population.n_people"] == 80  # fixed params travel with the run


@pytest.mark.parametrize("crn", [True, False])
def test_plan_seeds_follow_crn(crn, tmp_path):
    p = plan(load_spec(write_spec(tmp_path, crn=crn)))
    rep0 = {t.seed for t in p.tasks if t.replicate == 0}
    assert len(rep0) == (1 if crn else len(p.points))
