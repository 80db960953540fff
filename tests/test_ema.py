"""netmob as an EMA Workbench model (``netmob.experiments.ema``): parameters from the
schema, outcomes from the registry, EMA's samplers and PRIM on tiny runs, and the example
in docs/EMA.md runs as written."""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from netmob.experiments.plan import run_seed
from netmob.sim import registry
from netmob.sim.errors import InputError
from netmob.sim.params import Params, field_info
from netmob.sim.run import simulate

DOC = Path(__file__).resolve().parent.parent / "docs" / "EMA.md"


class _Lazy:
    """A module imported at first use: the EMA Workbench takes seconds to import (longer
    the more modules are loaded), and every test worker collects this file."""

    def __init__(self, *modules: str) -> None:
        self.modules = modules

    def __getattr__(self, name: str):
        import importlib

        first, *more = (importlib.import_module(m) for m in self.modules)
        return getattr(first, name)


ew = _Lazy("ema_workbench", "ema_workbench.analysis.prim")
adapter = _Lazy("netmob.experiments.ema")  # netmob's adapter, which imports EMA
TINY = {"people": 60, "weeks": 3, "params": {"run.burn_in": 1}}
UNCERTAIN = ["wellbeing.activity_effect", "pathways.advance"]


def test_parameters_take_the_schema_bounds_unless_given_a_range():
    a, b, n, switch, choice = adapter.schema_parameters(
        ["wellbeing.activity_effect", "advance", "attendance.max_resources", "pathways.nudge",
         "programme.preset"],
        ranges={"advance": (0.05, 0.5)},
    )  # fmt: skip
    info = field_info("wellbeing.activity_effect")
    assert isinstance(a, ew.RealParameter) and (a.lower_bound, a.upper_bound) == (
        info["lo"],
        info["hi"],
    )
    assert b.name == "pathways__advance" and b.variable_name == ["pathways.advance"]
    assert (b.lower_bound, b.upper_bound) == (0.05, 0.5)
    assert (
        isinstance(n, ew.IntegerParameter) and n.upper_bound == field_info(n.variable_name[0])["hi"]
    )
    assert isinstance(switch, ew.BooleanParameter)
    assert isinstance(choice, ew.CategoricalParameter)
    assert {c.value for c in choice.categories} == {"none", "genie", "plans", "connecting_people"}


@pytest.mark.parametrize(
    ("names", "ranges", "field"),
    [
        (["wellbeing.no_such"], None, "wellbeing.no_such"),
        (["pathways.advance"], {"pathways.advance": (0.5, 2.0)}, "pathways.advance"),
        (["pathways.advance"], {"pathways.advance": (0.5, 0.2)}, "pathways.advance"),
        (["pathways.advance"], {"pathways.advance": (0.1,)}, "pathways.advance"),
        (["pathways.advance"], {"wellbeing.gap_effect": (0.1, 0.2)}, "wellbeing.gap_effect"),
        (["programme.eligible"], None, "programme.eligible"),  # free text: give categories
    ],
)
def test_bad_parameters_are_refused_with_their_name(names, ranges, field):
    with pytest.raises(InputError) as err:
        adapter.schema_parameters(names, ranges)
    assert err.value.field == field


def test_outcomes_come_from_the_registry_with_their_direction():
    outs = adapter.registry_outcomes(None, weekly=["attending_share"])
    scalars = [o for o in outs if isinstance(o, ew.ScalarOutcome)]
    assert [o.variable_name[0] for o in scalars] == list(registry.names("run"))
    assert all(o.name.isidentifier() for o in outs)
    kinds = {o.name: o.kind for o in scalars}
    assert kinds["swemwbs_mean"] == ew.ScalarOutcome.MAXIMIZE
    assert kinds["service_cost_mean"] == ew.ScalarOutcome.MINIMIZE
    assert kinds["people_referred"] == ew.ScalarOutcome.INFO
    series = [o for o in outs if isinstance(o, ew.TimeSeriesOutcome)]
    assert [o.name for o in series] == ["weekly__attending_share"]
    for bad, weekly in ((["swemwbs"], ()), ([], ["no_such_column"])):  # people, not run
        with pytest.raises(InputError):
            adapter.registry_outcomes(bad, weekly)
    for old, weekly in ((["new_ties.nudge"], ()), ([], ["new_ties_nudge"])):  # old names
        with pytest.raises(InputError, match="renamed to new_ties_nudge_total"):
            adapter.registry_outcomes(old, weekly)


def test_a_parameter_is_not_both_an_uncertainty_and_a_lever():
    with pytest.raises(InputError, match="both"):
        adapter.netmob_model(["pathways.advance"], ["pathways.advance"], **TINY)


@pytest.fixture(scope="module")
def lhs():
    """Eight Latin hypercube experiments of GENIE in 60 people over 3 weeks."""
    model = adapter.netmob_model(UNCERTAIN, outcomes=["swemwbs_mean", "people_reached"],
                         weekly=["attending_share"], scenario="genie", seed=3, **TINY)  # fmt: skip
    experiments, outcomes = ew.perform_experiments(
        model, scenarios=8, evaluator=ew.SequentialEvaluator(model),
        uncertainty_sampling_kwargs={"rng": 5},
    )  # fmt: skip
    return model, experiments, outcomes


def test_lhs_experiments_are_netmob_runs_from_one_seed(lhs):
    model, experiments, outcomes = lhs
    assert len(experiments) == 8 and outcomes["swemwbs_mean"].shape == (8,)
    assert outcomes["weekly__attending_share"].shape == (8, 3)
    for u in model.uncertainties:  # a Latin hypercube: one sample per eighth of each range
        cells = np.floor(
            (experiments[u.name] - u.lower_bound) / (u.upper_bound - u.lower_bound) * 8
        )
        assert sorted(cells.astype(int)) == list(range(8))
    row = experiments.iloc[2]
    params = Params.from_overrides({
        "programme.preset": "genie", "population.n_people": 60, "run.weeks": 3,
        "run.burn_in": 1, **{u: float(row[adapter.ema_name(u)]) for u in UNCERTAIN},
    })  # fmt: skip
    direct = simulate(params, 3)
    assert outcomes["swemwbs_mean"][2] == pytest.approx(direct.summary["swemwbs_mean"], abs=0)
    assert outcomes["people_reached"][2] == direct.summary["people_reached"]
    assert np.allclose(outcomes["weekly__attending_share"][2], direct.weekly["attending_share"])


def test_prim_finds_a_box_in_the_experiments(lhs):
    model, experiments, outcomes = lhs
    y = outcomes["swemwbs_mean"] > np.median(outcomes["swemwbs_mean"])
    x = experiments[[u.name for u in model.uncertainties]]
    finder = ew.analysis.prim.Prim(x, y)
    box = finder.find_box()
    assert box is not None and 0 < box.stats["mass"] <= 1
    assert list(box.box_lim.columns) == [adapter.ema_name(u) for u in UNCERTAIN]
    assert len(finder.stats_to_dataframe()) >= 1


def test_feature_scoring_ranks_the_uncertainties(lhs):
    """EMA's feature scoring (extra trees) on netmob's experiments: one score per
    uncertainty for an outcome that varies, non-negative and summing to one."""
    from ema_workbench.analysis import feature_scoring

    model, experiments, outcomes = lhs
    x = experiments[[u.name for u in model.uncertainties]]
    scalar = {"swemwbs_mean": outcomes["swemwbs_mean"]}  # people_reached is constant here
    scores = feature_scoring.get_feature_scores_all(x, scalar)
    assert sorted(scores.index) == sorted(adapter.ema_name(u) for u in UNCERTAIN)
    assert list(scores.columns) == list(scalar)
    assert (scores >= 0).all().all() and np.allclose(scores.sum(), 1.0)


def test_monte_carlo_levers_and_replications():
    """Uncertainties by Monte Carlo, a lever by full factorial: 4 x 2 experiments, each
    the mean of two runs (from the seeds a sweep's replicates 0 and 1 get)."""
    model = adapter.netmob_model(["pathways.advance"], outcomes=["swemwbs_mean"], weekly=["nudges"],
                         scenario="genie", seed=4, replications=2, **TINY)  # fmt: skip
    assert [r["seed"] for r in model.replications] == [run_seed(4, 0, 0), run_seed(4, 0, 1)]
    model.levers = adapter.schema_parameters(
        ["programme.workforce_scale"], {"programme.workforce_scale": (0.5, 2.0)}
    )
    experiments, outcomes = ew.perform_experiments(
        model, scenarios=4, policies=2, evaluator=ew.SequentialEvaluator(model),
        uncertainty_sampling=ew.Samplers.MC, uncertainty_sampling_kwargs={"rng": 1},
        lever_sampling=ew.Samplers.FF,
    )  # fmt: skip
    assert len(experiments) == 8 and experiments["policy"].nunique() == 2
    assert outcomes["swemwbs_mean"].shape == (8,) and outcomes["weekly__nudges"].shape == (8, 3)
    row = experiments.iloc[0]
    over = {"pathways.advance": row["pathways__advance"],
            "programme.workforce_scale": row["programme__workforce_scale"]}  # fmt: skip
    runs = [model.function(seed=r["seed"], **over) for r in model.replications]
    assert outcomes["swemwbs_mean"][0] == pytest.approx(np.mean([r["swemwbs_mean"] for r in runs]))


def test_an_outcome_a_run_does_not_produce_is_nan():
    base = Params.from_overrides({"population.n_people": 60, "run.weeks": 3, "run.burn_in": 1})
    out = adapter.Simulate(base.model_dump(), ("swemwbs_mean", "no_such"), ("no_such",))(seed=1)
    assert np.isfinite(out["swemwbs_mean"]) and np.isnan(out["no_such"])
    assert np.isnan(out["weekly.no_such"]).all() and len(out["weekly.no_such"]) == 3


def test_names_are_python_identifiers_for_ema_3():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        model = adapter.netmob_model(["wellbeing.activity_effect", "programme.preset"],
                             weekly=["attending_share"], **TINY)  # fmt: skip
    assert all(v.name.isidentifier() for v in [*model.uncertainties, *model.outcomes])


def test_an_ema_parameter_must_name_a_schema_parameter():
    from ema_workbench import RealParameter as Real

    assert adapter.netmob_model(
        [Real("pathways__advance", 0.1, 0.2, variable_name="pathways.advance")]
    )
    with pytest.raises(InputError):
        adapter.netmob_model([Real("x", 0.0, 1.0)])


def test_the_model_pickles_for_other_evaluators():
    model = adapter.netmob_model(UNCERTAIN, outcomes=["swemwbs_mean"], **TINY)
    again = pickle.loads(pickle.dumps(model))
    assert again.function == model.function


def test_the_example_in_docs_runs(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(blocks[0], str(DOC), "exec"), scope)
    assert len(scope["experiments"]) == 8 and scope["box"] is not None


def test_the_area_example_in_docs_runs_with_processes(tmp_path, monkeypatch):
    """The guarded example: two processes, on an area folder, levers over their range."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert 'if __name__ == "__main__":' in blocks[1] and "area=" in blocks[1]
    monkeypatch.chdir(tmp_path)
    scope: dict = {"__name__": "__main__"}
    exec(compile(blocks[1], str(DOC), "exec"), scope)
    levers = scope["experiments"]["programme__workforce_scale"]
    assert len(scope["experiments"]) == 4 and levers.between(0, 5).all()
