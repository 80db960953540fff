"""``netmob region``: a region of areas, each its own paired comparison."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.region import summarise_region
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.region import REGION, area_seed, read_region, region_spec, run_region
from netmob.experiments.store import load_results
from netmob.sim.area import write_template
from netmob.sim.errors import InputError
from tests.conftest import netmob, posterior_copy
from tests.sweep_helpers import ROOT, raw_run_ids

SCENARIOS = ["baseline", "genie"]


def write_region(d, text: str):
    path = d / "region.csv"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def small_region(tmp_path_factory):
    """3 areas (two by profile fields, one an area folder), 2 scenarios, 2 replicates,
    run once by the command line."""
    d = tmp_path_factory.mktemp("region")
    write_template(d / "harbour", people=120)
    write_region(
        d,
        "name,area,people,living_alone\nHill,,150,0.2\nVale,,100,0.6\nHarbour,harbour,,\n",
    )
    cmd = [sys.executable, "-m", "netmob.cli", "region", "region.csv", *SCENARIOS]
    cmd += ["--weeks", "4", "--replicates", "2", "--out", "out", "--quiet"]
    r = subprocess.run(cmd, cwd=d, capture_output=True, text=True, timeout=600)
    return d, r


@pytest.mark.slow  # the region command end to end, in a new process
def test_a_small_region_end_to_end(small_region):
    d, r = small_region
    assert r.returncode == 0, r.stderr
    out = d / "out"
    for name in (
        "areas.csv",
        "effects.csv",
        "value.csv",
        "runs.parquet",
        "ranking.png",
        "report.html",
    ):
        assert (out / name).is_file(), name
    areas = pd.read_csv(out / "areas.csv")
    assert list(areas["area"]) == [
        *sorted(areas["area"][:3], key=list(areas["area"][:3]).index),
        REGION,
    ]
    assert set(areas["area"][:3]) == {"Hill", "Vale", "Harbour"}
    assert list(areas["rank"][:3]) == [1, 2, 3]
    assert areas["net_benefit_per_person"][:3].is_monotonic_decreasing
    assert areas.loc[areas["area"] == REGION, "people"].item() == 370
    assert "living_alone" in areas  # the profile field that varies
    runs = load_results(out)
    assert len(runs) == 3 * 2 * 2 and (runs["status"] == "ok").all()
    # one posterior draw per replicate, the same in every area and scenario
    draws = [c for c in runs if c.startswith("draw.")]
    assert draws and runs.groupby("replicate")[draws].nunique().max().max() == 1
    report = (out / "report.html").read_text()
    for text in (
        "Areas ranked",
        "The whole region",
        "Where it pays off",
        "Too few areas (3)",
        "Provenance",
        "Region file",
        "harbour",
        "data:image/png",
    ):
        assert text in report, text
    effects = pd.read_csv(out / "effects.csv")
    assert set(effects["area"]) == {"Hill", "Vale", "Harbour", REGION}


@pytest.mark.slow  # the region command end to end, in a new process
def test_region_totals_are_the_people_weighted_areas(small_region):
    d, _ = small_region
    result = summarise_region(d / "out")
    people = result.people
    total = sum(people.values())
    e = result.region.effects
    for outcome in ("qalys", "swemwbs", "service_cost", "net_benefit_20000", "qalys_disc"):
        areas = sum(people[a] * _effect(r.effects, outcome) for a, r in result.per_area.items())
        assert _effect(e, outcome) == pytest.approx(areas / total, rel=1e-9, abs=1e-12), outcome
    t = result.table.set_index("area")
    assert t.loc[REGION, "net_benefit_total"] == pytest.approx(
        t.drop(index=REGION)["net_benefit_total"].sum()
    )


def _effect(effects, outcome, group="population", scenario="genie"):
    row = effects[
        (effects["outcome"] == outcome)
        & (effects["group"] == group)
        & (effects["scenario"] == scenario)
    ]
    return float(row["mean_diff"].iloc[0])


@pytest.mark.slow
def test_same_seed_same_results_on_one_and_two_workers(tmp_path):
    path = write_region(tmp_path, "name,people\nA,80\nB,120\n")
    posterior = str(posterior_copy(tmp_path / "posterior"))
    spec = region_spec(path, SCENARIOS, weeks=3, replicates=2, seed=5, uncertainty=posterior)
    tables = []
    for workers in (1, 2):
        run_region(spec, tmp_path / f"w{workers}", LocalBackend(workers), progress=False)
        runs = load_results(tmp_path / f"w{workers}").sort_values("run_id", ignore_index=True)
        tables.append(runs.drop(columns=["chunk", "model_seconds", "run_seconds"]))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    # each area its own community: the seeds differ by area, not by worker
    assert tables[0].groupby("replicate")["seed"].nunique().tolist() == [2, 2]


@pytest.mark.slow
def test_sigkill_then_resume_gives_every_area_replicate_once(tmp_path):
    rows = "\n".join(f"area {i},{100 + 10 * i}" for i in range(4))
    write_region(tmp_path, f"name,people\n{rows}\n")
    cmd = [sys.executable, "-m", "netmob.cli", "region", str(tmp_path / "region.csv"), *SCENARIOS]
    cmd += ["--weeks", "6", "--replicates", "4", "--out", str(tmp_path / "out"), "--quiet"]
    cmd += ["--uncertainty", "none"]
    proc = subprocess.Popen(
        [*cmd, "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while len(list((tmp_path / "out" / "runs").glob("part-*.parquet"))) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no chunk written in time"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    total = 4 * 4 * 2
    done_at_kill = len(raw_run_ids(tmp_path / "out"))
    assert 0 < done_at_kill < total, f"kill was not part-way: {done_at_kill} of {total}"
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    ids = raw_run_ids(tmp_path / "out")
    assert sorted(ids) == list(range(total))  # every run once, none twice
    runs = load_results(tmp_path / "out")
    assert runs.groupby(["area", "replicate"]).size().eq(2).all()
    assert len(runs.groupby(["area", "replicate"])) == 16


@pytest.mark.slow
def test_one_failed_task_does_not_stop_the_rest(tmp_path, monkeypatch, capsys):
    from netmob.cli.region import name_failures
    from netmob.sim import run as sim_run

    path = write_region(tmp_path, "name,people\nA,80\nB,90\nC,100\n")
    spec = region_spec(path, SCENARIOS, weeks=3, replicates=2, seed=3, uncertainty=None)
    real = sim_run.simulate
    bad = area_seed(3, 1, 0)  # area B, replicate 0

    def flaky(params, seed, **kw):
        if params.programme.preset == "genie" and seed == bad:
            raise RuntimeError("boom")
        return real(params, seed, **kw)

    monkeypatch.setattr(sim_run, "simulate", flaky)
    r = run_region(spec, tmp_path / "out", LocalBackend(1), progress=False)
    assert r.failed == 1 and r.ok == 11
    result = summarise_region(tmp_path / "out")
    assert result.per_area["B"].settings["failed_replicates"] == [0]
    assert result.region.settings["replicates_done"] == 1  # only replicate 1 is whole everywhere
    name_failures(tmp_path / "out")
    assert "area B, replicate 0 (genie): RuntimeError: boom" in capsys.readouterr().err
    monkeypatch.setattr(sim_run, "simulate", real)
    again = run_region(spec, tmp_path / "out", LocalBackend(1), progress=False)
    assert again.ran == 2 and again.ok == 2  # that area-replicate only, whole
    assert summarise_region(tmp_path / "out").region.settings["replicates_done"] == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,peeople\nA,100\n", ["row 1, column 'peeople'", "unknown column", "people"]),
        ("name,living_alone\nA,0.3\nB,1.5\n", ["row 3, column 'living_alone'", "1.5", "0 to 1"]),
        ("name,living_alone\nA,45\n", ["row 2, column 'living_alone'", "percentage", "0.45"]),
        ("name,people\nA,lots\n", ["row 2, column 'people'", "lots", "whole number"]),
        ("name,area\nA,nowhere\n", ["row 2, column 'area'", "no such area folder", "nowhere"]),
        ("name,people\nA,100\nA,200\n", ["row 3, column 'name'", "twice", "row 2"]),
        ("", ["empty"]),
        ("name,people\n", ["no areas"]),
        ("people\n100\n", ["no 'name' column"]),
    ],
)
def test_bad_region_files_are_refused_with_one_message(tmp_path, text, expected):
    path = write_region(tmp_path, text)
    with pytest.raises(InputError) as err:
        read_region(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    for part in expected:
        assert part in message, (part, message)


def test_the_command_refuses_a_bad_region_file_with_exit_2(tmp_path):
    write_region(tmp_path, "name,people\nA,100\nA,200\n")
    r = netmob("region", "region.csv", *SCENARIOS, "--out", "o", cwd=tmp_path, in_process=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "region.csv: row 3, column 'name'" in " ".join(r.stderr.split())
    assert not (tmp_path / "o").exists()


def test_an_area_where_more_live_alone_is_lonelier(tmp_path):
    """Directional: with most people living alone, the reference scenario's loneliness
    (UCLA-3) and share lonely are higher than where few do, in every replicate."""
    path = write_region(tmp_path, "name,people,living_alone\nAlone,200,0.9\nTogether,200,0.05\n")
    spec = region_spec(path, SCENARIOS, weeks=4, replicates=2, seed=2, uncertainty=None)
    run_region(spec, tmp_path / "out", LocalBackend(1), progress=False)
    result = summarise_region(tmp_path / "out")

    def reference(area, outcome):
        c = result.per_area[area].contrasts
        rows = c[(c["outcome"] == outcome) & (c["group"] == "population")]
        return rows.sort_values("replicate")["reference"].to_numpy()

    assert np.all(reference("Alone", "ucla") > reference("Together", "ucla"))


def test_discovery_names_the_profile_where_it_pays_off_with_enough_areas():
    """PRIM over the areas (no simulation): net benefit is positive exactly where few live
    alone, so the sentence restricts living_alone; with too few areas it says so."""
    from netmob.analysis.region import MIN_AREAS, RegionResult, discovery

    rng = np.random.default_rng(0)
    n = 40
    alone = rng.uniform(0.1, 0.7, n)
    profiles = {
        f"a{i}": {"people": 100, "living_alone": float(alone[i]), "deprivation": float(d)}
        for i, d in enumerate(rng.uniform(0, 1, n))
    }
    nb = np.where(alone < 0.4, 5.0, -5.0) + rng.normal(0, 0.5, n)
    table = pd.DataFrame(
        {
            "scenario": "genie",
            "area": list(profiles),
            "net_benefit_per_person": nb,
            "living_alone": alone,
            "deprivation": [p["deprivation"] for p in profiles.values()],
        }
    )
    result = RegionResult(
        name="r", scenarios=["baseline", "genie"], areas=list(profiles), people={},
        profiles=profiles, settings={}, per_area={}, region=None, table=table,
    )  # fmt: skip
    assert result.factors() == ["living_alone", "deprivation"]
    sentences = discovery(result, "genie")
    assert any("living_alone is at most" in s for s in sentences), sentences
    assert all(" runs" not in s for s in sentences)
    result.table = table.head(MIN_AREAS - 1)
    assert discovery(result, "genie")[0].startswith(f"Too few areas ({MIN_AREAS - 1})")
