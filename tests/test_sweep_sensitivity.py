"""Sensitivity wiring checked apart from the model: Sobol indices of the Ishigami function
(known analytically) come out right, from a SALib sample and from a sweep directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.sensitivity import indices, sweep_indices
from netmob.experiments.design import DesignSpec, points
from netmob.experiments.plan import plan
from netmob.experiments.spec import load_spec
from netmob.experiments.specfile import ParamRange
from netmob.experiments.store import SweepStore, runs_schema
from netmob.experiments.worker import RunOutput
from netmob.sim.errors import InputError
from tests.conftest import netmob
from tests.sweep_helpers import write_spec

# Ishigami (a=7, b=0.1) on [-pi, pi]^3: first-order and total indices.
S1 = np.array([0.3139, 0.4424, 0.0])
ST = np.array([0.5576, 0.4424, 0.2437])
NAMES = ["pathways.advance", "pathways.regress", "pathways.status_quo"]  # x1, x2, x3 in [0, 1]


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def sobol_sample(n: int = 1024, seed: int = 11) -> pd.DataFrame:
    factors = [ParamRange(name=n_, lo=0.0, hi=1.0) for n_ in NAMES]
    return points(factors, DesignSpec(kind="sobol", samples=n), seed=seed)


def on_pi(t: pd.DataFrame) -> np.ndarray:
    """The sample's parameters in [0, 1] mapped to Ishigami's [-pi, pi]."""
    return -np.pi + 2 * np.pi * t[NAMES].to_numpy()


def test_sobol_indices_of_ishigami():
    t = sobol_sample()
    y = ishigami(on_pi(t))
    si = indices(NAMES, "sobol", t[[f"u.{n}" for n in NAMES]].to_numpy(), y)
    assert np.allclose(si["S1"], S1, atol=0.05), si
    assert np.allclose(si["ST"], ST, atol=0.05), si
    assert (si["S1_conf"] < 0.1).all()


def test_a_scrambled_output_order_is_caught():
    """Negative control: outputs out of the sample's order give the wrong indices."""
    t = sobol_sample()
    y = ishigami(on_pi(t))
    y = np.random.default_rng(0).permutation(y)
    si = indices(NAMES, "sobol", t[[f"u.{n}" for n in NAMES]].to_numpy(), y)
    assert not np.allclose(si["S1"], S1, atol=0.05)


def test_morris_ranks_a_linear_function():
    factors = [ParamRange(name=n, lo=0.0, hi=1.0) for n in NAMES]
    t = points(factors, DesignSpec(kind="morris", samples=20, levels=4), seed=3)
    y = 3.0 * t[NAMES[0]] + 1.0 * t[NAMES[1]]
    si = indices(NAMES, "morris", t[[f"u.{n}" for n in NAMES]].to_numpy(), y.to_numpy())
    assert np.allclose(si["mu_star"], [3.0, 1.0, 0.0], atol=1e-9)
    assert np.allclose(si["sigma"], 0.0, atol=1e-9)


def fake_sweep(folder, *, drop_point=None, design=None):
    """A sweep directory whose 'model' is Ishigami: three schema parameters in [0, 1]
    mapped to [-pi, pi]; records written in a scrambled order, two replicates each."""
    spec_path = write_spec(
        folder,
        vary={
            "pathways.advance": "bounds",
            "pathways.regress": "bounds",
            "pathways.status_quo": "bounds",
        },
        design=design or {"kind": "sobol", "samples": 1024},
        replicates=2,
    )
    spec = load_spec(spec_path)
    the_plan = plan(spec)
    x = -np.pi + 2 * np.pi * the_plan.points[[f.name for f in spec.factors]].to_numpy()
    y = ishigami(x)
    outputs = [
        RunOutput(
            {
                "run_id": t.run_id,
                "point": t.point,
                "replicate": t.replicate,
                "seed": t.seed,
                "status": "ok",
                "error": None,
                "model_seconds": 0.0,
                "run_seconds": 0.0,
                "ishigami": y[t.point],
                "sine": np.sin(x[t.point, 0]),  # the first parameter only: its ST is 1
            }
        )
        for t in the_plan.tasks
        if t.point != drop_point
    ]
    order = np.random.default_rng(1).permutation(len(outputs))
    out = folder / "out"
    with SweepStore(out).open(spec, the_plan.points, {}) as store:
        store.schemas["runs"] = runs_schema(["ishigami", "sine"])  # not the model's outcomes
        for part in np.array_split(order, 7):
            store.write([outputs[i] for i in part])
    return out


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory) -> Path:
    """The Ishigami sweep, written once for the module (read only: see ``sweep_copy``)."""
    return fake_sweep(tmp_path_factory.mktemp("sobol"))


@pytest.fixture
def sweep_copy(sobol_sweep, tmp_path) -> Path:
    """A copy of the Ishigami sweep, for a test that writes into it."""
    return Path(shutil.copytree(sobol_sweep, tmp_path / "out"))


def test_sobol_indices_from_a_sweep_directory(sobol_sweep):
    si = sweep_indices(sobol_sweep, "ishigami")
    assert si["parameter"].tolist() == [
        "pathways.advance",
        "pathways.regress",
        "pathways.status_quo",
    ]
    assert np.allclose(si["S1"], S1, atol=0.06), si
    assert np.allclose(si["ST"], ST, atol=0.06), si


def test_the_sensitivity_command_writes_a_table_and_a_figure(sweep_copy):
    out = sweep_copy
    r = netmob("sensitivity", str(out), "--outcome", "ishigami", in_process=True)
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out / "sensitivity" / "ishigami.csv")
    assert list(table.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert (out / "sensitivity" / "ishigami.png").read_bytes()[:4] == b"\x89PNG"
    assert "pathways.regress" in r.stdout


def test_an_unknown_outcome_lists_those_in_the_sweep(sobol_sweep):
    with pytest.raises(InputError, match="no such outcome") as info:
        sweep_indices(sobol_sweep, "ishigam")
    assert info.value.field == "--outcome" and "ishigami" in info.value.allowed


def test_an_incomplete_sweep_is_refused(tmp_path):
    with pytest.raises(InputError, match="1 of 5120 design points"):
        sweep_indices(fake_sweep(tmp_path, drop_point=17), "ishigami")


def test_a_grid_sweep_has_no_indices(tmp_path):
    out = fake_sweep(tmp_path, design={"kind": "grid", "levels": 2})
    r = netmob("sensitivity", str(out), "--outcome", "ishigami", in_process=True)
    assert r.returncode == 2 and "sobol or morris" in r.stderr and "Traceback" not in r.stderr


def test_every_outcome_at_once(sweep_copy):
    """Without --outcome: each outcome's table and figure, the stacked indices and the
    overview; the one-parameter outcome has all its total index on that parameter."""
    out = sweep_copy
    r = netmob("sensitivity", str(out), in_process=True)
    assert r.returncode == 0, r.stderr
    folder = out / "sensitivity"
    for name in ("ishigami", "sine"):
        assert (folder / f"{name}.csv").exists() and (folder / f"{name}.png").exists()
    long = pd.read_csv(folder / "indices.csv")
    assert list(long.outcome.unique()) == ["ishigami", "sine"]
    sine = long[long.outcome == "sine"].set_index("parameter")
    assert sine.loc["pathways.advance", "ST"] == pytest.approx(1.0, abs=0.05)
    assert sine.drop("pathways.advance")["ST"].abs().max() < 0.05
    assert (folder / "overview.png").read_bytes()[:4] == b"\x89PNG"
    assert "parameters by outcomes" in r.stdout


def test_a_bad_outcome_among_several_writes_nothing(sweep_copy):
    out = sweep_copy
    r = netmob("sensitivity", str(out), "--outcome", "sine", "--outcome", "nosuch", in_process=True)
    assert r.returncode == 2 and "nosuch" in r.stderr and "Traceback" not in r.stderr
    assert not (out / "sensitivity").exists()
