"""A paired comparison is a kind of experiment: planned one task per replicate, run on the
sweep's backends in memory or into the same store (resumable), with the same tables
either way, and seeded by the one seed function."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import yaml

from netmob.analysis.compare import summarise
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.compare import Unfinished, compare_spec, plan, run, run_compare
from netmob.experiments.plan import run_seed
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import load_results, load_table, read_runs
from netmob.sim.errors import InputError
from tests.sweep_helpers import ROOT, check_directory

SCENARIOS = ["baseline", "genie", "plans"]
SMALL = dict(people=120, weeks=6, replicates=8, seed=11)
COLUMNS = ["run_id", "replicate", "seed", "scenario", "swemwbs_mean", "people_referred"]


def cli(*args: str, **kw) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "netmob.cli", "compare", *args]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )


def args(out, *extra: str) -> list[str]:
    small = [f"--{k}={v}" for k, v in SMALL.items()]
    # fixed parameters, as the Python runs here (the command's default draws from the
    # shipped posterior: tests/test_posterior_draws.py)
    return [*SCENARIOS, *small, "--out", str(out), "--quiet", "--uncertainty", "none", *extra]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "out"
    run(compare_spec(SCENARIOS, **SMALL), out)
    return out


TABLES = ("design", "runs", "weekly", "contrasts", "by_type", "effects", "value", "failures")
TIMINGS = ["model_seconds", "run_seconds"]  # how long a run took: not part of its answer


def differences(a, b) -> list[str]:
    """The tables of two comparison results that differ (timings aside), exactly."""
    out = []
    for name in TABLES:
        x, y = getattr(a, name), getattr(b, name)
        if name == "runs":
            x, y = x.drop(columns=TIMINGS), y.drop(columns=TIMINGS)
        try:
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        except AssertionError:
            out.append(name)
    return out


def test_in_memory_and_in_a_folder_give_the_same_tables(tmp_path):
    """The same spec run in memory and into a store: every table equal, value for value
    and type for type (drawn assumptions included); the store's session then finds it all
    done. Negative control: another seed differs in every table that holds results."""
    small = dict(people=120, weeks=5, replicates=3, seed=2, uncertainty="assumptions")
    spec = compare_spec(SCENARIOS, **small)
    memory, stored = run(spec), run(spec, tmp_path / "out")
    assert (memory.report.out, memory.report.ok) == (None, 9)
    assert stored.report.ran == 9 and not list(tmp_path.glob("netmob-*"))
    assert differences(memory, stored) == []
    assert memory.settings.keys() == stored.settings.keys()
    again = run(spec, tmp_path / "out")  # read back from the store: nothing to run
    assert (again.report.ran, again.report.done_before) == (0, 9)
    assert differences(memory, again) == []
    other = run(compare_spec(SCENARIOS, **{**small, "seed": 3}))
    assert differences(memory, other) == [
        "runs", "weekly", "contrasts", "by_type", "effects", "value",
    ]  # fmt: skip


def test_one_task_per_replicate_with_the_sweeps_seed():
    spec = compare_spec(SCENARIOS, **SMALL)
    tasks = plan(spec)
    assert [t.replicate for t in tasks] == list(range(8))
    assert all(
        t.size == 3 and t.seed == run_seed(11, point=0, replicate=t.replicate) for t in tasks
    )
    assert sorted(i for t in tasks for i in t.run_ids) == list(range(24))


def test_a_replicate_of_compare_is_that_replicate_of_a_sweep(tmp_path, uninterrupted):
    """The same scenario, seed and replicate give the same run in a sweep and a comparison."""
    doc = {
        "name": "genie alone",
        "base": "genie",
        "params": {"population.n_people": 120, "run.weeks": 6},
        "vary": {"attendance.barrier_scale": [1.0]},
        "design": "grid",
        "replicates": 3,
        "seed": 11,
        "outcomes": ["swemwbs_mean", "people_referred", "new_ties_nudge_total"],
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(doc))
    run_sweep(load_spec(tmp_path / "s.yaml"), tmp_path / "sweep", LocalBackend(1), progress=False)
    sweep = load_results(tmp_path / "sweep").set_index("replicate")
    compared = load_results(uninterrupted).query("scenario == 'genie'").set_index("replicate")
    for r in range(3):
        assert sweep.loc[r, "seed"] == compared.loc[r, "seed"]
        for col in ("swemwbs_mean", "people_referred", "new_ties_nudge_total"):
            assert sweep.loc[r, col] == compared.loc[r, col], (r, col)


@pytest.mark.slow
def test_sigkill_then_resume_gives_every_replicate_once_and_the_same_results(
    tmp_path, uninterrupted
):
    out = tmp_path / "out"
    proc = cli(*args(out))
    deadline = time.monotonic() + 180
    while len(list((out / "runs").glob("part-*.parquet"))) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no replicate finished in time"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    at_kill = len(read_runs(out))
    assert 0 < at_kill < 24 and at_kill % 3 == 0, at_kill  # whole replicates only

    again = cli(*args(out))
    stdout, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert f"({at_kill} were done before)" in stdout
    ids = read_runs(out)["run_id"].tolist()
    assert sorted(ids) == list(range(24))  # every run exactly once on disk
    check_directory(out)
    contrasts = load_table(out, "contrasts")
    assert sorted(contrasts.groupby(["replicate", "scenario"]).size().index.tolist()) == [
        (r, s) for r in range(8) for s in ("genie", "plans")
    ]
    resumed, clean = summarise(out), summarise(uninterrupted)
    pd.testing.assert_frame_equal(resumed.effects, clean.effects)
    pd.testing.assert_frame_equal(resumed.runs[COLUMNS], clean.runs[COLUMNS])
    memory = run(compare_spec(SCENARIOS, **SMALL))  # and as the same spec in memory
    pd.testing.assert_frame_equal(resumed.effects, memory.effects, check_exact=True)


def test_a_changed_question_is_refused(tmp_path, uninterrupted):
    out = tmp_path / "out"
    run_compare(compare_spec(["baseline", "genie"], **SMALL), out, LocalBackend(1), progress=False)
    with pytest.raises(InputError, match="has changed since") as info:
        run_compare(compare_spec(["baseline", "plans"], **SMALL), out, LocalBackend(1))
    assert info.value.field == "SCENARIO"
    other = {**SMALL, "seed": 12}
    with pytest.raises(InputError, match="has changed since") as info:
        run_compare(compare_spec(["baseline", "genie"], **other), out, LocalBackend(1))
    assert info.value.field == "--seed" and "--seed was 1" in str(info.value)


@pytest.mark.slow
def test_fresh_starts_again_but_only_in_a_results_folder(tmp_path):
    out = tmp_path / "out"
    small = ["--people", "60", "--weeks", "2", "--replicates", "2", "--out", str(out), "--quiet"]
    first = cli("baseline", "genie", *small)
    assert first.wait(timeout=300) == 0
    refused = cli("baseline", "plans", *small)
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2 and "has changed since" in err
    fresh = cli("baseline", "plans", *small, "--fresh")
    assert fresh.wait(timeout=300) == 0
    assert summarise(out).scenarios == ["baseline", "plans"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    mine = cli("baseline", "genie", "--out", str(tmp_path / "mine"), "--fresh", "--quiet")
    _, err = mine.communicate(timeout=120)
    assert mine.returncode == 2 and "--fresh" in err
    assert (tmp_path / "mine" / "notes.txt").exists()


@pytest.mark.slow
def test_a_failed_run_leaves_its_replicate_out_and_the_command_fails(tmp_path, monkeypatch):
    from netmob.sim import run as sim_run

    real = sim_run.simulate

    def flaky(params, seed, **kw):
        if params.programme.preset == "plans" and seed == run_seed(11, 0, 2):
            raise RuntimeError("boom")
        return real(params, seed, **kw)

    monkeypatch.setattr(sim_run, "simulate", flaky)
    r = run_compare(compare_spec(SCENARIOS, **SMALL), tmp_path, LocalBackend(1), progress=False)
    assert r.failed == 1 and r.ok == 23
    result = summarise(tmp_path)
    assert result.settings["failed_replicates"] == [2]
    assert sorted(result.contrasts["replicate"].unique()) == [0, 1, 3, 4, 5, 6, 7]
    monkeypatch.setattr(sim_run, "simulate", real)  # the next session redoes replicate 2
    again = run_compare(compare_spec(SCENARIOS, **SMALL), tmp_path, LocalBackend(1), progress=False)
    assert again.ran == 3 and again.ok == 3
    assert summarise(tmp_path).settings["failed_replicates"] == []


def test_in_memory_a_failed_run_is_reported_not_silent(monkeypatch):
    """In memory as in a folder: a failed run's replicate is left out of the answer, and
    its record (the error) is in ``failures``; with every replicate failing, run() raises
    and says how many runs failed and why."""
    from netmob.sim import run as sim_run

    real = sim_run.simulate

    def flaky(params, seed, **kw):
        if params.programme.preset == "plans" and seed == run_seed(11, 0, 2):
            raise RuntimeError("boom")
        return real(params, seed, **kw)

    monkeypatch.setattr(sim_run, "simulate", flaky)
    spec = compare_spec(SCENARIOS, **{**SMALL, "replicates": 3})
    result = run(spec)
    assert result.report.failed == 1 and result.settings["failed_replicates"] == [2]
    assert result.failures[["replicate", "scenario", "error"]].to_dict("records") == [
        {"replicate": 2, "scenario": "plans", "error": "RuntimeError: boom"}
    ]
    assert sorted(result.runs["replicate"].unique()) == [0, 1]

    def broken(params, seed, **kw):
        raise RuntimeError("always")

    monkeypatch.setattr(sim_run, "simulate", broken)
    with pytest.raises(Unfinished, match="9 of 9 runs failed .*RuntimeError: always") as info:
        run(spec)
    assert info.value.report.failed == 9
