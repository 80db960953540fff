"""The store and the runner: chunks, manifest, resume, failures, locking, loading."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from netmob.experiments.plan import plan
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import (
    SweepStore,
    load_results,
    load_weekly,
    read_manifest,
    read_runs,
    status,
)
from netmob.experiments.worker import Batch, run_batch
from netmob.sim.errors import InputError
from tests.sweep_helpers import OUTCOMES, SerialBackend, check_directory, raw_run_ids, write_spec


def sweep(spec_path, out, **kw):
    return run_sweep(load_spec(spec_path), out, SerialBackend(), progress=False, **kw)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A tiny sweep run to the end, in chunks of 3 runs, keeping two weekly columns."""
    folder = tmp_path_factory.mktemp("finished")
    spec = write_spec(folder, weekly=["swemwbs_mean", "ties_active"])
    report = sweep(spec, folder / "out", chunk=3)
    return spec, folder / "out", report


def test_a_sweep_writes_manifest_design_and_chunks(finished):
    spec, out, report = finished
    assert report.ran == report.ok == 8 and report.failed == report.lost == report.missing == 0
    manifest = read_manifest(out)
    assert manifest["spec_hash"] == load_spec(spec).digest()
    assert manifest["runs"] == 8 and manifest["code_version"]
    assert "pathways.nudge" in manifest["spec_text"] and len(manifest["sessions"]) == 1
    assert len(list((out / "runs").glob("part-*.parquet"))) == 3  # 3 + 3 + 2
    check_directory(out)


def test_results_load_as_one_table(finished):
    _, out, _ = finished
    table = load_results(out)
    assert table["run_id"].tolist() == list(range(8))
    assert {"pathways.nudge", "attendance.barrier_scale", *OUTCOMES} <= set(table.columns)
    assert (table["status"] == "ok").all() and table["swemwbs_mean"].notna().all()
    assert (table["model_seconds"] > 0).all()


def test_weekly_series_are_kept_by_run(finished):
    _, out, _ = finished
    weekly = load_weekly(out)
    assert list(weekly.columns) == ["run_id", "week", "swemwbs_mean", "ties_active"]
    assert weekly.groupby("run_id").size().tolist() == [4] * 8


def test_results_match_a_direct_simulation(finished):
    from netmob.sim.run import simulate

    spec_path, out, _ = finished
    spec = load_spec(spec_path)
    task = next(t for t in plan(spec).tasks if t.run_id == 5)
    direct = simulate(spec.base_params.with_overrides(task.overrides), task.seed)
    row = load_results(out).set_index("run_id").loc[5]
    assert row["swemwbs_mean"] == direct.summary["swemwbs_mean"]
    assert row["new_ties_nudge_total"] == direct.summary["new_ties_nudge_total"]


def test_running_again_skips_finished_runs(finished):
    spec, out, _ = finished
    before = sorted(p.name for p in (out / "runs").glob("*.parquet"))
    again = sweep(spec, out)
    assert again.ran == 0 and again.done_before == 8
    assert sorted(p.name for p in (out / "runs").glob("*.parquet")) == before
    assert len(read_manifest(out)["sessions"]) == 2


def test_a_changed_spec_is_refused(finished, tmp_path):
    _, out, _ = finished
    changed = write_spec(tmp_path, seed=3)  # (more replicates would grow it: test_sweep_grow)
    with pytest.raises(InputError, match="has changed since") as info:
        sweep(changed, out)
    err = info.value
    assert err.field == "the spec's seed" and err.value == 3 and "seed was" in str(err)
    assert err.file == str(changed.resolve())


def test_a_partial_sweep_resumes_with_each_run_once(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    tasks = plan(spec).tasks
    with SweepStore(tmp_path / "out").open(spec, plan(spec).points, {}) as store:
        batch = Batch("b", spec.base_params.model_dump(), tuple(tasks[:3]), spec.outcomes, ())
        store.write(run_batch(batch))
    report = sweep(tmp_path / "spec.yaml", tmp_path / "out")
    assert report.done_before == 3 and report.ran == 5
    assert sorted(raw_run_ids(tmp_path / "out")) == list(range(8))


def test_a_missing_outcome_fails_that_run_only(tmp_path, monkeypatch):
    """A run whose summary lacks an outcome the spec asks for (e.g. a programme outcome
    before the programmes report it) is a failed run with a clear error, not a crash."""
    from netmob.sim import run as sim_run

    real = sim_run.simulate

    def without_nudge_ties(params, seed, **kw):
        result = real(params, seed, **kw)
        if params.pathways.nudge:
            del result.summary["new_ties_nudge_total"]
        return result

    monkeypatch.setattr(sim_run, "simulate", without_nudge_ties)
    report = sweep(write_spec(tmp_path), tmp_path / "out")
    table = load_results(tmp_path / "out")
    assert report.ran == 8 and report.failed == 4 and report.ok == 4
    failed = table[table["status"] == "failed"]
    assert failed["pathways.nudge"].all()
    produced_no = "MissingOutcome: the run produced no new_ties_nudge_total"
    assert failed["error"].str.startswith(produced_no).all()
    assert status(tmp_path / "out")["errors"] == {failed["error"].iloc[0]: 4}


def test_an_exception_in_a_run_is_recorded_with_its_traceback(tmp_path, monkeypatch):
    from netmob.sim import run as sim_run

    spec = load_spec(write_spec(tmp_path))
    calls = {"n": 0}
    real = sim_run.simulate

    def flaky(params, seed, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("boom in the model")
        return real(params, seed, **kw)

    monkeypatch.setattr(sim_run, "simulate", flaky)
    report = run_sweep(spec, tmp_path / "out", SerialBackend(), progress=False)
    assert report.ok == 7 and report.failed == 1
    table = load_results(tmp_path / "out")
    bad = table[table["status"] == "failed"].iloc[0]
    assert bad["error"] == "RuntimeError: boom in the model" and "flaky" in bad["traceback"]
    # --retry-failed runs it again; the table then holds each run once, all ok
    monkeypatch.setattr(sim_run, "simulate", real)
    again = run_sweep(spec, tmp_path / "out", SerialBackend(), progress=False, retry_failed=True)
    assert again.ran == 1 and again.ok == 1
    table = load_results(tmp_path / "out")
    assert table["run_id"].tolist() == list(range(8)) and (table["status"] == "ok").all()
    assert len(raw_run_ids(tmp_path / "out")) == 9  # the failed record stays on disk


def test_lost_runs_are_left_for_the_next_session(tmp_path):
    from netmob.experiments.backends import Lost

    class Flaky(SerialBackend):
        def map_unordered(self, fn, items):
            for i, item in enumerate(items):
                yield item, Lost("worker died") if i % 2 else fn(item)

    spec = load_spec(write_spec(tmp_path))
    first = run_sweep(spec, tmp_path / "out", Flaky(), progress=False)
    assert first.lost == 4 and first.missing == 4
    assert status(tmp_path / "out")["missing"] == 4
    second = run_sweep(spec, tmp_path / "out", SerialBackend(), progress=False)
    assert second.ran == 4 and second.missing == 0
    assert sorted(raw_run_ids(tmp_path / "out")) == list(range(8))


def test_leftovers_of_a_killed_session_are_cleared(tmp_path):
    spec = load_spec(write_spec(tmp_path, weekly=["swemwbs_mean"]))
    out = tmp_path / "out"
    sweep(tmp_path / "spec.yaml", out)
    # a torn temporary file, and a weekly chunk whose runs chunk never landed
    (out / "runs" / ".part-000009.parquet.x1.tmp").write_bytes(b"PAR1 torn")
    orphan = out / "weekly" / "part-000009.parquet"
    pd.DataFrame({"run_id": [0], "week": [1], "swemwbs_mean": [0.0]}).to_parquet(orphan)
    run_sweep(spec, out, SerialBackend(), progress=False)
    assert not orphan.exists()
    check_directory(out)
    assert load_weekly(out).groupby("run_id").size().tolist() == [4] * 8


def test_one_session_at_a_time(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    points = plan(spec).points
    with SweepStore(tmp_path / "out").open(spec, points, {}):
        with pytest.raises(InputError, match="another session") as info:
            SweepStore(tmp_path / "out").open(spec, points, {})
        assert info.value.field == "--out"
    SweepStore(tmp_path / "out").open(spec, points, {}).close()  # free again


def test_not_a_sweep_directory(tmp_path):
    with pytest.raises(InputError, match="not a sweep directory"):
        load_results(tmp_path)


def test_an_unreadable_chunk_is_named(tmp_path):
    spec = write_spec(tmp_path)
    sweep(spec, tmp_path / "out")
    chunk = next((tmp_path / "out" / "runs").glob("part-*.parquet"))
    chunk.write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot read a results chunk") as info:
        read_runs(tmp_path / "out")
    assert info.value.file == str(chunk)


def test_manifest_is_json_with_the_definition(finished):
    _, out, _ = finished
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["definition"]["replicates"] == 2
    assert manifest["definition"]["vary"][0]["name"] == "pathways.nudge"
    assert manifest["factors"] == ["pathways.nudge", "attendance.barrier_scale"]
