"""A run that kills its worker process (out of memory, killed) is never silent: the other
runs go on, and after more than two deaths the run is recorded as failed with the error
``worker died (memory?)``, on the local backend and on Dask.

The deaths are real: the functions of :mod:`tests.crash_helpers` end the worker process
(``os._exit`` or SIGKILL) when their run's parameters say so.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from netmob.experiments import runner
from netmob.experiments.backends import MAX_DEATHS, WORKER_DIED, Died, Lost
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import load_results, status
from tests import crash_helpers
from tests.crash_helpers import Item, square_or_die
from tests.sweep_helpers import check_directory, raw_run_ids, write_spec

pytestmark = pytest.mark.timeout(300)


def results_by_value(backend, items):
    return {item.value: result for item, result in backend.map_unordered(square_or_die, items)}


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_the_local_backend_survives_a_dead_worker(tmp_path, how):
    """One item kills its worker every time, one only the first time: every other item
    finishes, the second finishes too, the first comes back as Died after three deaths."""
    items = [Item(v) for v in (1, 2, 3)] + [Item(-4, how=how)]
    items += [Item(-5, once=str(tmp_path / "once"), how=how)] + [Item(v) for v in (6, 7, 8)]
    got = results_by_value(LocalBackend(2), items)
    assert {v: got[v] for v in (1, 2, 3, 6, 7, 8, -5)} == {
        1: 1,
        2: 4,
        3: 9,
        6: 36,
        7: 49,
        8: 64,
        -5: 25,
    }
    assert isinstance(got[-4], Died) and isinstance(got[-4], Lost)
    assert got[-4].deaths == MAX_DEATHS + 1 == 3


def test_an_open_pool_is_replaced_and_kept(tmp_path):
    backend = LocalBackend(2)
    with backend.open():
        first = results_by_value(backend, [Item(1), Item(-2), Item(3)])
        again = results_by_value(backend, [Item(4), Item(5)])  # the replacement pool
        assert backend._pool is not None
    assert isinstance(first[-2], Died) and first[1] == 1 and first[3] == 9
    assert again == {4: 16, 5: 25}
    assert backend._pool is None


@pytest.mark.slow
def test_a_sweep_records_the_runs_that_kill_their_worker_as_failed(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "run_batch", crash_helpers.crashing_run_batch)
    spec = load_spec(write_spec(tmp_path))
    out = tmp_path / "out"
    report = run_sweep(spec, out, LocalBackend(2), progress=False)
    assert (report.ok, report.failed, report.lost, report.missing) == (6, 2, 0, 0)
    table = load_results(out)
    dead = table[table["status"] == "failed"]
    assert len(table) == 8 and dead["error"].eq(WORKER_DIED).all()
    assert dead["traceback"].str.contains("died 3 times").all()
    assert dead["pathways.nudge"].all() and dead["attendance.barrier_scale"].eq(1.5).all()
    check_directory(out)
    # the next session does not run them again (they failed), unless asked to
    again = run_sweep(spec, out, LocalBackend(2), progress=False)
    assert again.ran == 0 and again.missing == 0
    assert status(out)["errors"] == {WORKER_DIED: 2}
    assert sorted(raw_run_ids(out)) == list(range(8))


@pytest.mark.slow
def test_netmob_sweep_says_which_runs_killed_their_worker(tmp_path, monkeypatch):
    from netmob.cli.main import app

    monkeypatch.setattr(runner, "run_batch", crash_helpers.crashing_run_batch)
    args = ["sweep", str(write_spec(tmp_path)), "--out", str(tmp_path / "out")]
    r = CliRunner().invoke(app, [*args, "--workers", "2", "--quiet"])
    assert r.exit_code == 1, r.output
    assert "6 of 8 runs finished" not in r.output  # failed runs count as finished
    assert "2 failed, 0 lost" in r.output
    assert "2 of 8 runs failed" in r.output and f"2 x {WORKER_DIED}" in r.output


@pytest.mark.slow
def test_a_comparison_records_a_replicate_that_kills_its_worker(tmp_path, monkeypatch):
    from netmob.experiments import compare

    monkeypatch.setattr(compare, "run_replicate", crash_helpers.crashing_run_replicate)
    spec = compare.compare_spec(
        ["baseline", "genie"], people=60, weeks=2, replicates=3, seed=1, uncertainty=None
    )
    report = compare.run_compare(spec, tmp_path / "out", LocalBackend(2), progress=False)
    assert (report.ok, report.failed, report.lost) == (4, 2, 0)
    table = load_results(tmp_path / "out")
    dead = table[table["status"] == "failed"]
    assert dead["replicate"].tolist() == [crash_helpers.CRASH_REPLICATE] * 2
    assert dead["error"].eq(WORKER_DIED).all() and dead["point"].tolist() == [0, 1]


@pytest.mark.cluster
def test_a_local_dask_cluster_fails_a_task_that_kills_its_workers(tmp_path):
    """The local Dask cluster gives up on a task after three dead workers (its
    ``allowed-failures`` is netmob's): a Died, as on the local backend; the rest finish."""
    from netmob.experiments.backends.dask import DaskBackend

    items = [Item(1), Item(-2), Item(3), Item(-4, once=str(tmp_path / "once")), Item(5)]
    got = results_by_value(DaskBackend(scheduler=None, workers=2), items)
    assert {v: got[v] for v in (1, 3, 5, -4)} == {1: 1, 3: 9, 5: 25, -4: 16}
    assert isinstance(got[-2], Died) and got[-2].deaths == MAX_DEATHS + 1
    assert "KilledWorker" not in got[-2].error and "died 3 times" in got[-2].error
