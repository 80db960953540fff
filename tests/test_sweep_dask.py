"""The Dask backend on a real cluster: a scheduler and two workers started here as
separate processes on loopback (the ``dask scheduler`` / ``dask worker`` commands).

Results match the local backend exactly, and a worker killed mid-sweep leaves a sweep
that still finishes with every run exactly once.
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
    "new_ties.nudge",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], log: Path) -> subprocess.Popen:
    """A process in its own group, so killing the group takes its children (a nanny's worker)."""
    return subprocess.Popen(
        args, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
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
    """``dask scheduler`` and two ``dask worker`` processes (one thread each) on 127.0.0.1."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
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


def sweep_command(spec, out, address) -> list[str]:
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
        "--scheduler",
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
