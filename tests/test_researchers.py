"""A researcher's traps, closed: a sweep's runs with their factors for DuckDB and polars; a
sweep grown with more replicates or levels without redoing done runs; a report for any
sweep; an interrupted command that says what it saved; a changed question named by its
option; EMA levers over sensible ranges and EMA on an area.

Before: ``DIR/runs/*.parquet`` had no factor columns and nothing else did (DuckDB:
``Referenced column "programme.facilitation" not found``); more replicates were refused as
another question; ``sweep-report`` refused any sweep but a pathway one; Ctrl-C exited 130
without a word; re-running a comparison without its ``--area`` was refused naming
``params``; EMA's levers took the schema's bounds (``workforce_scale`` sampled at 15 and 91)
and ``netmob_model`` took no area. Each test here failed on that code.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import load_results, read_manifest
from netmob.sim.area import write_template
from netmob.sim.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
GRID = {
    "name": "grow",
    "description": "GENIE over transport support.",
    "base": "genie",
    "params": {"population.n_people": 60, "run.weeks": 3, "run.burn_in": 2},
    "vary": {"programme.transport_support": [0.0, 1.0]},
    "design": "grid",
    "replicates": 2,
    "outcomes": ["swemwbs_mean", "people_referred", "people_reached"],
}


def spec_file(folder: Path, name: str = "spec.yaml", **changes) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump({**GRID, **changes}, sort_keys=False))
    return path


def sweep(path: Path, out: Path):
    return run_sweep(load_spec(path), out, LocalBackend(1), progress=False)


def invoke(*args: str):
    r = CliRunner().invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r


# ---- the runs with their factors ---------------------------------------------------------


def test_a_sweep_writes_its_runs_with_their_factors_for_duckdb_and_polars(tmp_path):
    import duckdb
    import polars as pl

    out = tmp_path / "sweep"
    invoke("sweep", str(spec_file(tmp_path)), "--out", str(out), "--quiet", "--workers", "1")
    factor = "programme.transport_support"
    con = duckdb.connect()
    got = con.execute(f'SELECT "{factor}", count(*) FROM \'{out}/results.parquet\' GROUP BY 1 '
                      "ORDER BY 1").fetchall()  # fmt: skip
    assert got == [(0.0, 2), (1.0, 2)]
    frame = pl.read_parquet(out / "results.parquet")
    assert factor in frame.columns and frame.height == 4
    # the documented view over the chunks (docs/GUIDE.md), while a sweep runs
    guide = (ROOT / "docs" / "GUIDE.md").read_text()
    sql = re.search(r"```sql\n(.*?)```", guide, re.S).group(1)
    sql = sql.replace("results/sweeps/example", str(out)).replace('"pathways.nudge"', f'"{factor}"')
    view, query = [s.strip() for s in sql.split(";") if s.strip()]
    con.execute(view)
    assert len(con.execute(query).fetchall()) == 2
    joined = pl.read_parquet(out / "runs" / "*.parquet").join(
        pl.read_parquet(out / "design.parquet"), on="point"
    )
    assert factor in joined.columns and joined.height == 4


# ---- a sweep grows -----------------------------------------------------------------------


def test_a_sweep_grows_with_more_replicates_and_levels_doing_only_the_new_runs(tmp_path):
    """2 levels x 2 replicates, then 3 levels (one between the two) x 3 replicates: the
    second session runs only the 5 new runs, and the grown sweep's results are those of
    the bigger sweep run from scratch (common random numbers: a run's seed is its
    replicate's)."""
    out = tmp_path / "grown"
    first = sweep(spec_file(tmp_path), out)
    bigger = spec_file(tmp_path, "bigger.yaml", replicates=3,
                       vary={"programme.transport_support": [0.0, 0.5, 1.0]})  # fmt: skip
    second = sweep(bigger, out)
    assert (first.ran, second.done_before, second.ran) == (4, 4, 5)
    assert sweep(bigger, out).ran == 0  # and resumes as any sweep does
    fresh = sweep(bigger, tmp_path / "fresh")
    assert fresh.ran == 9
    keys = ["programme.transport_support", "replicate"]
    cols = [*keys, "seed", "swemwbs_mean", "people_referred"]
    a = load_results(out)[cols].sort_values(keys, ignore_index=True)
    b = load_results(tmp_path / "fresh")[cols].sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    manifest = read_manifest(out)
    assert manifest["replicates"] == 3 and manifest["points"] == 3
    assert manifest["grown"][0]["replicates"] == [2, 3]


def test_a_sweep_does_not_shrink(tmp_path):
    out = tmp_path / "s"
    sweep(spec_file(tmp_path), out)
    with pytest.raises(InputError, match="can grow, not shrink") as info:
        sweep(spec_file(tmp_path, "fewer.yaml", replicates=1), out)
    assert info.value.field == "replicates"
    with pytest.raises(InputError, match="leaves out points"):
        sweep(spec_file(tmp_path, "less.yaml", vary={"programme.transport_support": [1.0]}), out)
    with pytest.raises(InputError, match="has changed since") as info:  # another question
        sweep(spec_file(tmp_path, "seed.yaml", seed=9), out)
    assert info.value.field == "the spec's seed"


# ---- a report for any sweep --------------------------------------------------------------


def test_a_latin_hypercube_sweep_gets_a_report(tmp_path):
    spec = spec_file(
        tmp_path, "lhs.yaml",
        vary={"programme.workforce_scale": {"lo": 0.5, "hi": 2.0},
              "attendance.barrier_scale": {"lo": 0.5, "hi": 2.0}},
        design={"kind": "lhs", "samples": 12}, replicates=1,
        outcomes=["swemwbs_mean", "people_reached", "intervention_cost"],
    )  # fmt: skip
    out = tmp_path / "lhs"
    sweep(spec, out)
    r = invoke("sweep-report", str(out))
    assert "report.html" in r.output
    drivers = pd.read_csv(out / "report" / "drivers.csv")
    row = drivers.set_index(["outcome", "factor"]).loc[
        ("intervention_cost", "programme.workforce_scale")
    ]
    assert row["rank_correlation"] > 0.9 and row["p_holm"] < 0.05  # more workers, more cost
    where = pd.read_csv(out / "report" / "where.csv")
    assert "programme.workforce_scale" in " ".join(where["sentence"])
    page = (out / "report" / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 2 and "Moves it" in page  # an outcome each


# ---- Ctrl-C ------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_interrupted_sweep_says_what_it_saved_and_the_same_command_finishes_it(tmp_path):
    spec = spec_file(
        tmp_path,
        replicates=6,
        params={"population.n_people": 150, "run.weeks": 6, "run.burn_in": 2},
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "netmob.cli", "sweep", str(spec), "--out", str(out),
               "--chunk", "1", "--workers", "1", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # fmt: skip
    end = time.monotonic() + 240
    while not list((out / "runs").glob("part-*.parquet")) and time.monotonic() < end:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    said = " ".join(err.split())
    saved = re.search(r"Interrupted: (\d+) of 12 runs are saved in", said)
    assert saved and 1 <= int(saved.group(1)) < 12, said
    assert "Run the same command again to finish the sweep" in said
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0
    assert f"{saved.group(1)} were done before" in " ".join(again.stdout.split())


# ---- a changed question ------------------------------------------------------------------


def test_a_comparison_rerun_without_its_area_names_the_area(tmp_path):
    area = tmp_path / "place"
    write_template(area, people=60)
    text = (area / "area.yaml").read_text()
    (area / "area.yaml").write_text(re.sub(r"(?m)^name: .*$", "name: Seacliff", text))
    out = tmp_path / "out"
    common = ["compare", "baseline", "genie", "--weeks", "2", "--replicates", "2",
              "--people", "60", "--uncertainty", "none", "--quiet", "--out", str(out)]  # fmt: skip
    invoke(*common, "--area", str(area))
    r = CliRunner().invoke(app, common)
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "field '--area'" in said and "the area 'Seacliff'" in said, said


# ---- EMA ---------------------------------------------------------------------------------


def test_ema_levers_are_sampled_over_the_range_a_place_could_choose():
    from ema_workbench import SequentialEvaluator, perform_experiments

    from netmob.experiments.ema import netmob_model

    tiny = {"people": 40, "weeks": 1, "params": {"run.burn_in": 1}}
    model = netmob_model(levers=["programme.workforce_scale"], outcomes=["people_reached"],
                         scenario="genie", **tiny)  # fmt: skip
    lever = model.levers["programme__workforce_scale"]
    assert (lever.lower_bound, lever.upper_bound) == (0.0, 5.0)  # main: 0 to 100
    experiments, _ = perform_experiments(
        model, scenarios=1, policies=6, evaluator=SequentialEvaluator(model),
        lever_sampling_kwargs={"rng": 3},
    )  # fmt: skip
    assert experiments["programme__workforce_scale"].between(0, 5).all()
    with pytest.raises(InputError, match="no range to steer this lever over") as info:
        netmob_model(levers=["programme.workers_per_10000"], **tiny)
    assert info.value.field == "programme.workers_per_10000"
    unc = netmob_model(["programme.workforce_scale"], **tiny).uncertainties
    assert unc["programme__workforce_scale"].upper_bound == 100  # uncertainties: the schema's


def test_ema_runs_on_an_area(tmp_path):
    from netmob.experiments.ema import netmob_model
    from netmob.sim.params import Params

    area = tmp_path / "place"
    write_template(area, people=120)
    text = (area / "area.yaml").read_text()
    text = re.sub(r"(?m)^workers: .*$", "workers: 2", text)
    (area / "area.yaml").write_text(re.sub(r"(?m)^name: .*$", "name: Seacliff", text))
    model = netmob_model(scenario="genie", area=area, people=60, outcomes=["workers_in_post_mean"],
                         weeks=2, params={"run.burn_in": 1})  # fmt: skip
    base = Params.model_validate(model.function.base)
    assert base.directory is not None and base.directory.area == "Seacliff"
    assert model.function(seed=1)["workers_in_post_mean"] == pytest.approx(1.0)  # 2 at 120
