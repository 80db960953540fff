"""Posterior draws in sweeps and comparisons: replicate r of every design point (or every
compared scenario) runs on one particle drawn by weight; fixed params, factors and a
scenario's own values stand above the draw."""

from __future__ import annotations

import pandas as pd
import pytest

from netmob.experiments.plan import plan
from netmob.experiments.runner import DRAWS, run_sweep
from netmob.experiments.spec import load_spec
from netmob.sim.errors import InputError
from tests.sweep_helpers import SerialBackend, write_spec


def posterior(folder, weights=(0.0, 1.0, 1.0)):
    """Three particles over two parameters; the first never drawn (weight 0)."""
    path = folder / "posterior.parquet"
    pd.DataFrame(
        {
            "wellbeing.activity_effect": [4.9, 0.4, 1.6],
            "attendance.barrier_scale": [1.9, 0.8, 1.2],
            "weight": list(weights),
        }
    ).to_parquet(path)
    return path


def test_each_replicate_runs_one_particle_under_the_factors(tmp_path):
    posterior(tmp_path)
    spec = load_spec(write_spec(tmp_path, posterior="posterior.parquet", replicates=6))
    p = plan(spec)
    assert list(p.draws["replicate"]) == list(range(6))
    assert set(p.draws["wellbeing.activity_effect"]) <= {0.4, 1.6}  # never the weight-0 one
    for t in p.tasks:
        drawn = p.draws.iloc[t.replicate]
        assert t.overrides["wellbeing.activity_effect"] == drawn["wellbeing.activity_effect"]
        # a factor varies a parameter the posterior also sets: the factor wins
        assert t.overrides["attendance.barrier_scale"] in (0.5, 1.5)
    # the same draws again (seeded), and another seed draws differently somewhere
    assert plan(
        load_spec(write_spec(tmp_path, posterior="posterior.parquet", replicates=6))
    ).draws.equals(p.draws)
    other = plan(
        load_spec(write_spec(tmp_path, posterior="posterior.parquet", replicates=6, seed=8))
    )
    assert not other.draws.equals(p.draws)


def test_a_sweep_on_a_posterior_writes_its_draws_and_differs(tmp_path):
    posterior(tmp_path, weights=(1.0, 0.0, 0.0))  # every replicate on the first particle
    on = run_sweep(
        load_spec(write_spec(tmp_path, posterior="posterior.parquet", replicates=1)),
        tmp_path / "on",
        SerialBackend(),
        progress=False,
    )
    off = run_sweep(
        load_spec(write_spec(tmp_path, replicates=1)),
        tmp_path / "off",
        SerialBackend(),
        progress=False,
    )
    assert on.failed == off.failed == 0
    drawn = pd.read_parquet(tmp_path / "on" / DRAWS)
    assert drawn["wellbeing.activity_effect"].tolist() == [4.9]
    assert not (tmp_path / "off" / DRAWS).exists()
    from netmob.experiments.store import load_results

    a = load_results(tmp_path / "on").sort_values("run_id")["swemwbs_mean"].to_numpy()
    b = load_results(tmp_path / "off").sort_values("run_id")["swemwbs_mean"].to_numpy()
    assert (a != b).any()  # activity_effect 4.9 instead of the default moved wellbeing


def test_a_changed_posterior_is_another_sweep(tmp_path):
    posterior(tmp_path)
    path = write_spec(tmp_path, posterior="posterior.parquet")
    first = load_spec(path).digest()
    posterior(tmp_path, weights=(0.5, 0.5, 0.0))
    assert load_spec(path).digest() != first
    assert "posterior" not in load_spec(write_spec(tmp_path)).definition()  # old digests kept


@pytest.mark.parametrize(
    "ref,field", [("missing.parquet", "posterior"), ("bad.parquet", "nosuch.parameter")]
)
def test_a_bad_posterior_is_refused(tmp_path, ref, field):
    pd.DataFrame({"nosuch.parameter": [1.0], "weight": [1.0]}).to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(InputError) as err:
        plan(load_spec(write_spec(tmp_path, posterior=ref)))
    assert err.value.field == field


def test_the_base_scenarios_own_values_are_kept_in_a_sweep(tmp_path):
    pd.DataFrame(
        {"pathways.advance": [0.05], "wellbeing.activity_effect": [1.7], "weight": [1.0]}
    ).to_parquet(tmp_path / "posterior.parquet")
    spec = load_spec(
        write_spec(tmp_path, base="genie_favoured_nudge_only", posterior="posterior.parquet")
    )
    p = plan(spec)
    assert list(p.draws.columns) == ["replicate", "wellbeing.activity_effect"]
    assert all("pathways.advance" not in t.overrides for t in p.tasks)
    assert spec.base_params.pathways.advance == 0.2  # the scenario's own value stands


def test_a_compared_scenario_keeps_the_values_it_is_about(tmp_path):
    """Under a posterior, a scenario that sets a drawn parameter itself keeps its value
    (GENIE with a favoured pathway is about pathways.advance); the other takes the draw."""
    from netmob.experiments.compare import compare_spec
    from netmob.experiments.compare import plan as compare_plan
    from netmob.sim.params import Params

    pd.DataFrame(
        {"pathways.advance": [0.05], "wellbeing.activity_effect": [1.7], "weight": [1.0]}
    ).to_parquet(tmp_path / "posterior.parquet")
    spec = compare_spec(
        ["genie", "genie_favoured_nudge_only"],
        people=50,
        weeks=2,
        replicates=2,
        seed=1,
        uncertainty=tmp_path / "posterior.parquet",
    )
    assert spec.own == {"genie": (), "genie_favoured_nudge_only": ("pathways.advance",)}
    assert spec.settings()["uncertainty"]["scenarios_own_values"] == {
        "genie_favoured_nudge_only": ["pathways.advance"]
    }
    for task in compare_plan(spec):
        ps = {name: Params.model_validate(p) for name, p in task.scenarios}
        assert ps["genie"].pathways.advance == 0.05
        assert ps["genie_favoured_nudge_only"].pathways.advance == 0.2
        assert {p.wellbeing.activity_effect for p in ps.values()} == {1.7}


def test_compare_draws_the_assumptions_while_the_shipped_posterior_is_not_validated(tmp_path):
    """``netmob compare`` without ``--uncertainty`` draws the shipped posterior only when
    its manifest says validated; the one netmob ships now is not, so it draws the
    assumption ranges, says so in one line and on the report, and records each
    replicate's draw. ``--uncertainty none`` is the fixed answer; asking for the shipped
    posterior by name stops with the reason (exit code 2)."""
    import json

    from netmob.experiments.calibration import gate
    from tests.conftest import netmob

    assert not gate.shipped().validated  # what this test is about
    small = ["baseline", "genie", "--people", "60", "--weeks", "2", "--replicates", "2"]
    for extra, kind in (([], "ranges"), (["--uncertainty", "none"], None)):
        out = tmp_path / (kind or "fixed")
        r = netmob("compare", *small, *extra, "--out", out, in_process=True)
        assert r.returncode == 0, r.stderr
        settings = json.loads((out / "manifest.json").read_text())["settings"]
        runs = pd.read_parquet(out / "runs.parquet")
        drawn = [c for c in runs.columns if c.startswith("draw.")]
        if kind is None:
            assert settings["uncertainty"] is None and not drawn
            assert "not validated" not in r.stderr
            continue
        u = settings["uncertainty"]
        assert u["kind"] == "ranges" and u["name"] == "assumptions"
        notice = [line for line in r.stderr.splitlines() if "not validated" in line]
        assert len(notice) == 1 and "assumption ranges" in notice[0]  # one line
        assert "not validated" in u["note"]
        assert "not validated" in (out / "report.html").read_text()
        assert len(drawn) == len(u["ranges"])
        assert runs.groupby("replicate")[drawn].nunique().eq(1).all().all()
    r = netmob("compare", *small, "--uncertainty", "posterior", "--out", tmp_path / "asked")
    assert r.returncode == 2 and "not validated" in r.stderr and "Traceback" not in r.stderr
