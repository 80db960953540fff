"""The Dask backend on a real cluster: a scheduler and two workers started here as
separate processes on loopback (the ``dask scheduler`` / ``dask worker`` commands).

Results match the local backend exactly, and a worker killed mid-sweep leaves a sweep
that still finishes with every run exactly once. The scheduler also writes its scheduler
file (``--scheduler-file``); it counts worker deaths as netmob's local cluster does
(``allowed-failures`` 2, ``worker-saturation`` 1.0, set through Dask's environment
variables), and the workers can import ``tests.crash_helpers`` (on ``PYTHONPATH``), whose
runs kill the worker running them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client

from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import load_results
from tests.sweep_helpers import ROOT, check_directory, raw_run_ids, write_spec

pytestmark = pytest.mark.cluster
DASK = str(Path(sys.executable).parent / "dask")
RUNS = 60
COMPARED = [
    "run_id",
    "point",
    "replicate",
    "seed",
    "status",
    "pathways.nudge",
    "attendance.barrier_scale",
    "swemwbs_mean",
    "support_received_mean",
    "new_ties_nudge_total",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ENV = {
    "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "2",
    "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
}


def start(args: list[str], log: Path) -> subprocess.Popen:
    """A process in its own group, so killing the group takes its children (a nanny's worker)."""
    return subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **ENV},
    )


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``dask scheduler`` and two ``dask worker`` processes (one thread each) on 127.0.0.1;
    the scheduler's file is ``scheduler.json`` in the logs' folder."""
    logs = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
        + ["--scheduler-file", str(logs / "scheduler.json")],
        logs / "scheduler.log",
    )
    workers = [
        start(
            [
                DASK,
                "worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--name",
                f"w{i}",
                "--local-directory",
                str(logs / f"w{i}"),
            ],
            logs / f"worker{i}.log",
        )
        for i in range(2)
    ]
    try:
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers, logs
    finally:
        for p in [*workers, scheduler]:
            stop(p)


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory):
    return write_spec(
        tmp_path_factory.mktemp("spec"),
        params={"population.n_people": 200, "run.weeks": 8, "run.burn_in": 1},
        vary={
            "pathways.nudge": [False, True],
            "attendance.barrier_scale": [0.5, 1.0, 1.5, 2.0, 2.5],
        },
        replicates=6,
    )


@pytest.fixture(scope="module")
def local_results(spec_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    report = run_sweep(load_spec(spec_path), out, LocalBackend(2), progress=False)
    assert report.ok == RUNS
    return load_results(out)[COMPARED]


def sweep_command(spec, out, address, option: str = "--scheduler") -> list[str]:
    return [
        sys.executable,
        "-m",
        "netmob.cli.main",
        "sweep",
        str(spec),
        "--out",
        str(out),
        "--backend",
        "dask",
        option,
        address,
        "--chunk",
        "2",
        "--quiet",
    ]


def test_dask_cluster_matches_local(cluster, spec_path, local_results, tmp_path):
    address, _, logs = cluster
    r = subprocess.run(
        sweep_command(spec_path, tmp_path / "out", address),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr + (logs / "worker0.log").read_text()
    assert f"{RUNS} of {RUNS} runs finished" in r.stdout
    assert sorted(raw_run_ids(tmp_path / "out")) == list(range(RUNS))
    pd.testing.assert_frame_equal(load_results(tmp_path / "out")[COMPARED], local_results)


def test_a_sweep_finds_its_scheduler_by_its_file(cluster, spec_path, local_results, tmp_path):
    """``--scheduler-file`` (the dask-jobqueue and dask-mpi idiom) instead of an address."""
    _, _, logs = cluster
    r = subprocess.run(
        sweep_command(
            spec_path, tmp_path / "out", str(logs / "scheduler.json"), "--scheduler-file"
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert f"dask, scheduler of {logs / 'scheduler.json'}" in r.stderr
    pd.testing.assert_frame_equal(load_results(tmp_path / "out")[COMPARED], local_results)


def test_workers_of_another_netmob_are_refused(cluster, tmp_path, monkeypatch):
    """Every worker is asked which netmob it runs; one that differs from the command's
    stops the command (exit 2) before any run, naming both versions."""
    from typer.testing import CliRunner

    from netmob.cli.main import app
    from netmob.experiments import store

    address, _, _ = cluster
    monkeypatch.setattr(store, "code_version", lambda: "git 0000000-not-the-workers")
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app, ["sweep", str(write_spec(tmp_path)), "--out", str(out), "--backend", "dask"]
        + ["--scheduler", address, "--quiet"],
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    assert "Dask workers run another netmob than this command (git 0000000-not-the-workers)" in (
        " ".join(r.output.split())
    )
    assert "--scheduler" in r.output and not out.exists()


def test_a_run_that_kills_its_dask_workers_is_recorded_as_failed(cluster, tmp_path, monkeypatch):
    """The scheduler gives up on a task after three dead workers (KilledWorker): its runs
    are recorded as failed, ``worker died (memory?)``; every other run finishes."""
    from netmob.experiments import runner
    from netmob.experiments.backends import WORKER_DIED
    from netmob.experiments.backends.dask import DaskBackend
    from tests import crash_helpers

    address, _, logs = cluster
    monkeypatch.setattr(runner, "run_batch", crash_helpers.crashing_run_batch)
    spec = load_spec(write_spec(tmp_path))  # 8 runs; the 2 of CRASH_POINT kill their worker
    report = run_sweep(spec, tmp_path / "out", DaskBackend(address, 2), progress=False)
    assert (report.ok, report.failed, report.lost, report.missing) == (6, 2, 0, 0), (
        logs / "scheduler.log"
    ).read_text()[-3000:]
    table = load_results(tmp_path / "out")
    dead = table[table["status"] == "failed"]
    assert dead["error"].eq(WORKER_DIED).all() and dead["attendance.barrier_scale"].eq(1.5).all()
    assert dead["traceback"].str.contains("died 3 times").all()
    with Client(address, timeout="30s") as client:  # the nannies brought the workers back
        client.wait_for_workers(2, timeout=60)


def test_a_worker_killed_mid_sweep(cluster, spec_path, local_results, tmp_path):
    address, workers, logs = cluster
    out = tmp_path / "out"
    proc = subprocess.Popen(
        sweep_command(spec_path, out, address),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list((out / "runs").glob("part-*.parquet")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    stop(workers[0], signal.SIGKILL)
    done_at_kill = len(raw_run_ids(out))
    stdout, stderr = proc.communicate(timeout=300)
    assert 0 < done_at_kill < RUNS, f"the worker was not killed mid-sweep ({done_at_kill} done)"
    assert proc.returncode == 0, stderr
    assert sorted(raw_run_ids(out)) == list(range(RUNS))  # every run exactly once
    check_directory(out)
    pd.testing.assert_frame_equal(load_results(out)[COMPARED], local_results)


def test_a_local_dask_cluster_matches_local(spec_path, local_results, tmp_path):
    from netmob.experiments.backends import make_backend

    backend = make_backend("dask", workers=2)  # no scheduler: a LocalCluster for the sweep
    report = run_sweep(load_spec(spec_path), tmp_path / "out", backend, progress=False)
    assert report.ok == RUNS and report.workers == 2
    pd.testing.assert_frame_equal(load_results(tmp_path / "out")[COMPARED], local_results)


def test_compare_on_a_real_cluster_matches_local(cluster, tmp_path):
    """``netmob compare --backend dask --scheduler ADDRESS`` gives the same effects as the
    same comparison run here."""
    from netmob.analysis.compare import summarise

    address, _, _ = cluster
    small = ["--people", "120", "--weeks", "4", "--replicates", "4", "--seed", "5", "--quiet"]
    r = subprocess.run(
        [sys.executable, "-m", "netmob.cli", "compare", "baseline", "genie", *small]
        + ["--backend", "dask", "--scheduler", address, "--out", str(tmp_path / "dask")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    local = subprocess.run(
        [sys.executable, "-m", "netmob.cli", "compare", "baseline", "genie", *small]
        + ["--out", str(tmp_path / "local")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert local.returncode == 0, local.stderr
    on_dask, here = summarise(tmp_path / "dask"), summarise(tmp_path / "local")
    pd.testing.assert_frame_equal(on_dask.effects, here.effects)
    assert (tmp_path / "dask" / "report.html").exists()


def test_calibration_on_a_real_cluster_matches_local(cluster, tmp_path):
    """``netmob calibrate --backend dask --scheduler ADDRESS`` gives the same posterior and
    predictive check as the same calibration run here in one process."""
    from netmob.experiments.backends import make_backend
    from netmob.experiments.calibration.run import calibrate
    from netmob.experiments.calibration.spec import load_calibration

    address, _, logs = cluster
    r = subprocess.run(
        [sys.executable, "-m", "netmob.cli", "calibrate", "tiny", "--out", str(tmp_path / "dask")]
        + ["--backend", "dask", "--scheduler", address, "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr + (logs / "worker0.log").read_text()
    calibrate(load_calibration("tiny"), tmp_path / "here", make_backend("local", workers=1))
    for name in ("posterior.parquet", "ppc_draws.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "dask" / name), pd.read_parquet(tmp_path / "here" / name)
        )
    assert "dask, scheduler" in (tmp_path / "dask" / "manifest.json").read_text()


def test_history_matching_on_a_real_cluster_matches_local(cluster, tmp_path):
    """``netmob calibrate history_tiny --backend dask --scheduler ADDRESS``: the same
    posterior and predictive draws as in one process here (simulations and emulator fits
    run on the cluster's workers, each seeded from the spec)."""
    from netmob.experiments.backends import make_backend
    from netmob.experiments.calibration.match import calibrate_history
    from netmob.experiments.calibration.spec import load_calibration

    address, _, logs = cluster
    r = subprocess.run(
        [sys.executable, "-m", "netmob.cli", "calibrate", "history_tiny"]
        + ["--out", str(tmp_path / "dask"), "--backend", "dask", "--scheduler", address]
        + ["--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr + (logs / "worker0.log").read_text()
    spec = load_calibration("history_tiny")
    calibrate_history(spec, tmp_path / "here", make_backend("local", workers=1))
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "dask" / "posterior.parquet"),
        pd.read_parquet(tmp_path / "here" / "posterior.parquet"),
    )
    draws = [pd.read_parquet(tmp_path / d / "ppc_draws.parquet") for d in ("dask", "here")]
    pd.testing.assert_frame_equal(*(d.drop(columns="cpu_seconds") for d in draws))
