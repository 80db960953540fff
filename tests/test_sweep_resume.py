"""A local sweep killed with SIGKILL part-way resumes: every run exactly once, every file whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import load_results, load_weekly
from tests.sweep_helpers import ROOT, SerialBackend, check_directory, raw_run_ids, write_spec

RUNS = 48


def start_sweep(spec, out):
    """``netmob sweep`` in its own process group (so SIGKILL reaches its workers too)."""
    cmd = [sys.executable, "-m", "netmob.cli", "sweep", str(spec), "--out", str(out)]
    cmd += ["--workers", "2", "--chunk", "2", "--quiet"]
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_for_chunks(out, n, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list((out / "runs").glob("part-*.parquet"))) >= n:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("the sweep wrote no chunks in time")


@pytest.mark.slow
def test_sigkill_then_resume_gives_every_run_once(tmp_path):
    spec = write_spec(
        tmp_path,
        params={"population.n_people": 150, "run.weeks": 6, "run.burn_in": 1},
        vary={"pathways.nudge": [False, True], "attendance.barrier_scale": [0.5, 1.0, 1.5, 2.0]},
        replicates=6,
        weekly=["swemwbs_mean"],
    )
    out = tmp_path / "out"
    proc = start_sweep(spec, out)
    wait_for_chunks(out, 2, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    done_at_kill = len(raw_run_ids(out))
    assert 0 < done_at_kill < RUNS, f"kill was not part-way: {done_at_kill} of {RUNS}"

    again = subprocess.run(
        [sys.executable, "-m", "netmob.cli", "sweep", str(spec), "--out", str(out), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert f"{done_at_kill} were done before" in again.stdout

    ids = raw_run_ids(out)
    assert sorted(ids) == list(range(RUNS))  # each run exactly once on disk
    check_directory(out)  # every file readable, no temporary files left
    table = load_results(out)
    assert (table["status"] == "ok").all() and len(table) == RUNS
    weekly = load_weekly(out)
    assert (weekly.groupby("run_id").size() == 6).all() and weekly["run_id"].nunique() == RUNS
    raw_weekly = pd.concat(pd.read_parquet(p) for p in (out / "weekly").glob("*.parquet"))
    assert len(raw_weekly) == RUNS * 6  # no weekly rows of a run written twice

    # and the results are those of an uninterrupted sweep
    clean = run_sweep(load_spec(spec), tmp_path / "clean", SerialBackend(), progress=False)
    assert clean.ok == RUNS
    cols = ["run_id", "seed", "swemwbs_mean", "support_received_mean", "new_ties_nudge_total"]
    pd.testing.assert_frame_equal(table[cols], load_results(tmp_path / "clean")[cols])
