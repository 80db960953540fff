"""One schema per output: every chunk of a store's table has the same columns and types
whatever its runs' status, so a folder of chunks reads as one dataset in pandas, pyarrow,
DuckDB and polars; ``netmob results DIR --out FILE`` writes it as one table; a sweep or
comparison with a failed or lost run says so and exits 1."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from netmob.experiments.compare import CONTRASTS, compare_spec, run_compare
from netmob.experiments.plan import run_seed
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import (
    SweepStore,
    load_results,
    results_table,
    runs_schema,
    status,
)
from netmob.experiments.worker import Batch, run_batch
from tests.conftest import netmob
from tests.sweep_helpers import OUTCOMES, SerialBackend, check_directory, write_spec

RUN_FAILS = 2  # the sweep's run that raises
COMPARE_SEED = 5


def failing_sweep(folder: Path, chunk: int = 1) -> Path:
    """The tiny sweep, one run per chunk, whose second run raises: one chunk holds only a
    failure, the others only runs that finished."""
    from netmob.sim import run as sim_run

    real, calls = sim_run.simulate, {"n": 0}

    def flaky(params, seed, **kw):
        calls["n"] += 1
        if calls["n"] == RUN_FAILS:
            raise RuntimeError("boom in the model")
        return real(params, seed, **kw)

    spec = load_spec(write_spec(folder, weekly=["swemwbs_mean", "ties_active"]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sim_run, "simulate", flaky)
        report = run_sweep(spec, folder / "out", SerialBackend(), progress=False, chunk=chunk)
    assert report.ok == 7 and report.failed == 1
    return folder / "out"


def compare_failing(params, seed, real):
    """Replicate 1: every scenario fails; replicate 2: genie fails, baseline finishes."""
    if seed == run_seed(COMPARE_SEED, 0, 1) or (
        seed == run_seed(COMPARE_SEED, 0, 2) and params.programme.preset == "genie"
    ):
        raise RuntimeError("boom in the model")
    return real(params, seed)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    return failing_sweep(tmp_path_factory.mktemp("sweep"))


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory):
    """A comparison with drawn assumptions, one replicate per chunk: one chunk of two
    finished runs, one of two failures, one of a finished baseline and a failed genie."""
    from netmob.sim import run as sim_run

    out = tmp_path_factory.mktemp("compare")
    real = sim_run.simulate
    spec = compare_spec(
        ["baseline", "genie"],
        people=120,
        weeks=6,
        replicates=3,
        seed=COMPARE_SEED,
        uncertainty="assumptions",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sim_run, "simulate", lambda p, s, **kw: compare_failing(p, s, real))
        report = run_compare(spec, out, SerialBackend(), progress=False)
    assert report.ok == 3 and report.failed == 3
    return out


def chunk_schemas(folder: Path) -> list[pa.Schema]:
    return [pq.read_schema(p) for p in sorted(folder.glob("part-*.parquet"))]


# ---- one schema per table --------------------------------------------------------------
def test_every_runs_chunk_has_the_declared_schema(sweep_dir):
    schemas = chunk_schemas(sweep_dir / "runs")
    assert len(schemas) == 8
    expected = runs_schema(OUTCOMES)
    for schema in schemas:
        assert schema.equals(expected), schema  # a failure-only chunk included
    assert expected.field("error").type == pa.large_string()
    assert all(expected.field(o).type == pa.float64() for o in OUTCOMES)


def test_every_chunk_of_every_comparison_table_has_one_schema(compare_dir):
    for table in ("runs", "weekly", "contrasts", "by_type"):
        schemas = chunk_schemas(compare_dir / table)
        assert schemas, table
        assert all(s.equals(schemas[0]) for s in schemas), table
    assert chunk_schemas(compare_dir / "contrasts")[0].equals(CONTRASTS)
    runs = chunk_schemas(compare_dir / "runs")[0]
    assert runs.field("draw.pathways.advance").type == pa.float64()


def test_pandas_reads_the_runs_folder(sweep_dir):
    runs = pd.read_parquet(sweep_dir / "runs").sort_values("run_id")
    assert runs["run_id"].tolist() == list(range(8))
    failed = runs[runs["status"] == "failed"]
    assert failed["error"].tolist() == ["RuntimeError: boom in the model"]
    assert failed[OUTCOMES].isna().all(axis=None)
    assert runs.loc[runs["status"] == "ok", OUTCOMES].notna().all(axis=None)
    assert (runs[OUTCOMES].dtypes == "float64").all()
    weekly = pd.read_parquet(sweep_dir / "weekly")
    assert weekly.groupby("run_id").size().tolist() == [4] * 7


def test_pyarrow_dataset_reads_the_runs_folder(sweep_dir):
    table = ds.dataset(sweep_dir / "runs", format="parquet").to_table()
    assert table.num_rows == 8 and table.schema.equals(runs_schema(OUTCOMES))
    assert table.column("error").null_count == 7


def test_duckdb_reads_the_runs_folder_without_union_by_name(sweep_dir):
    con = duckdb.connect()
    glob = f"{sweep_dir}/runs/*.parquet"
    n, failed, errors, mean = con.execute(
        f"select count(*), count(*) filter (status = 'failed'), count(error), "
        f"avg(swemwbs_mean) from read_parquet('{glob}')"
    ).fetchone()
    assert (n, failed, errors) == (8, 1, 1) and 7 < mean < 35
    weekly = con.execute(f"select count(*) from read_parquet('{sweep_dir}/weekly/*.parquet')")
    assert weekly.fetchone() == (28,)


def test_polars_reads_and_scans_the_runs_folder(sweep_dir):
    glob = f"{sweep_dir}/runs/*.parquet"
    frame = pl.read_parquet(glob)
    assert frame.height == 8 and frame.schema["error"] == pl.String
    assert frame.schema["swemwbs_mean"] == pl.Float64
    scanned = pl.scan_parquet(glob).filter(pl.col("status") == "failed").collect()
    assert scanned["error"].to_list() == ["RuntimeError: boom in the model"]
    assert scanned["swemwbs_mean"].is_null().all()


@pytest.mark.parametrize("table", ["runs", "weekly", "contrasts", "by_type"])
def test_every_comparison_table_reads_as_one_dataset(compare_dir, table):
    folder = compare_dir / table
    n = len(pd.read_parquet(folder))
    assert ds.dataset(folder, format="parquet").count_rows() == n
    sql = f"select count(*) from read_parquet('{folder}/*.parquet')"
    assert duckdb.connect().execute(sql).fetchone() == (n,)
    assert pl.read_parquet(f"{folder}/*.parquet").height == n
    assert pl.scan_parquet(f"{folder}/*.parquet").collect().height == n


def test_a_failed_comparison_run_keeps_its_draw(compare_dir):
    runs = pd.read_parquet(compare_dir / "runs")
    assert runs["draw.pathways.advance"].notna().all()
    assert (runs["status"] == "failed").sum() == 3 and runs["error"].notna().sum() == 3


# ---- netmob results --out --------------------------------------------------------------
def test_results_out_writes_one_parquet_table(sweep_dir, tmp_path):
    out = tmp_path / "all" / "sweep.parquet"
    r = netmob("results", sweep_dir, "--out", out, in_process=True)
    assert r.exit_code == 0, r.output
    assert f"Wrote {out} (8 rows" in r.output
    table = pq.read_table(out)
    assert table.schema.field("error").type == pa.large_string()
    assert table.schema.field("pathways.nudge").type == pa.bool_()
    got = table.to_pandas()
    want = load_results(sweep_dir)
    pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)
    assert not list(out.parent.glob("*.tmp"))


def test_results_out_writes_csv_and_replaces_a_file(compare_dir, tmp_path):
    out = tmp_path / "compare.csv"
    out.write_text("old\n")
    r = netmob("results", compare_dir, "--out", out, in_process=True)
    assert r.exit_code == 0, r.output
    table = pd.read_csv(out)
    assert len(table) == 6 and {"scenario", "error", "draw.pathways.advance"} <= set(table)
    assert table["error"].notna().sum() == 3


def test_results_out_refuses_an_unknown_format(sweep_dir, tmp_path):
    r = netmob("results", sweep_dir, "--out", tmp_path / "all.xlsx", in_process=True)
    assert r.exit_code == 2 and "--out" in r.output and ".parquet or .csv" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "all.xlsx").exists()


def test_results_out_of_a_store_without_failures_still_types_error_as_text(tmp_path):
    from netmob.experiments.backends.local import LocalBackend

    spec = load_spec(write_spec(tmp_path, replicates=1))
    run_sweep(spec, tmp_path / "out", LocalBackend(1), progress=False)
    error = results_table(tmp_path / "out").schema.field("error")
    assert error.type == pa.large_string()


# ---- stores written before one schema per table ----------------------------------------
def test_a_store_written_the_old_way_still_reads(tmp_path):
    """Chunks as they were written before: pandas' own types, so an ``error`` column of
    nulls in a chunk of finished runs, no outcome columns and a ``traceback`` in a chunk
    of failures, integer outcomes."""
    from netmob.experiments.plan import plan

    spec = load_spec(write_spec(tmp_path))
    the_plan = plan(spec)
    out = tmp_path / "out"
    with SweepStore(out).open(spec, the_plan.points, {}):
        (out / "runs").mkdir()
    outputs = run_batch(
        Batch("b", spec.base_params.model_dump(), tuple(the_plan.tasks), spec.outcomes, ())
    )
    failed = dict(outputs[5].record)
    failed.update(status="failed", error="RuntimeError: old", traceback="tb")
    for k in OUTCOMES:
        failed.pop(k)
    chunks = [[o.record for o in outputs[:5]], [failed], [o.record for o in outputs[6:]]]
    for i, records in enumerate(chunks, start=1):
        pd.DataFrame(records).to_parquet(out / "runs" / f"part-{i:06d}.parquet", index=False)
    assert pq.read_schema(out / "runs" / "part-000001.parquet").field("error").type == pa.null()

    table = load_results(out)
    assert len(table) == 8 and status(out)["failed"] == 1
    r = netmob("results", out, "--out", tmp_path / "old.parquet", in_process=True)
    assert r.exit_code == 0, r.output
    written = pq.read_table(tmp_path / "old.parquet")
    assert written.schema.field("error").type == pa.large_string()
    assert written.column("error").null_count == 7
    # a new session adds chunks with the new schema; netmob's readers take both
    report = run_sweep(spec, out, SerialBackend(), progress=False, retry_failed=True)
    assert report.ran == 1 and (load_results(out)["status"] == "ok").all()
    check_directory(out)
    assert results_table(out).schema.field("new_ties_nudge_total").type == pa.float64()


# ---- never silent ----------------------------------------------------------------------
def test_a_sweep_with_a_failed_run_writes_it_all_and_exits_1(tmp_path, monkeypatch):
    from netmob.sim import run as sim_run

    real, calls = sim_run.simulate, {"n": 0}

    def flaky(params, seed, **kw):
        calls["n"] += 1
        if calls["n"] in (2, 5):
            raise RuntimeError("boom in the model")
        return real(params, seed, **kw)

    monkeypatch.setattr(sim_run, "simulate", flaky)
    spec = write_spec(tmp_path)
    r = netmob("sweep", spec, "--out", tmp_path / "out", "--workers", 1, "--quiet", in_process=True)
    assert r.exit_code == 1, r.output
    assert "2 of 8 runs failed" in r.output and "2 x RuntimeError: boom in the model" in r.output
    assert "--retry-failed" in r.output and "Traceback" not in r.output
    assert len(load_results(tmp_path / "out")) == 8  # everything it finished is written
    # resumed without retrying, the failures are still there: still exit 1
    again = netmob(
        "sweep", spec, "--out", tmp_path / "out", "--workers", 1, "--quiet", in_process=True
    )
    assert again.exit_code == 1 and "2 of 8 runs failed" in again.output
    monkeypatch.setattr(sim_run, "simulate", real)
    fixed = netmob(
        "sweep",
        spec,
        "--out",
        tmp_path / "out",
        "--workers",
        1,
        "--quiet",
        "--retry-failed",
        in_process=True,
    )
    assert fixed.exit_code == 0, fixed.output


def test_a_sweep_with_lost_runs_exits_1(tmp_path, monkeypatch):
    from netmob.experiments import backends
    from netmob.experiments.backends import Lost

    class Flaky(SerialBackend):
        def map_unordered(self, fn, items):
            for i, item in enumerate(items):
                yield item, Lost("worker died") if i % 2 else fn(item)

    monkeypatch.setattr(backends, "make_backend", lambda *a, **kw: Flaky())
    r = netmob("sweep", write_spec(tmp_path), "--out", tmp_path / "out", "--quiet", in_process=True)
    assert r.exit_code == 1, r.output
    assert "4 of 8 runs are missing" in r.output
    assert status(tmp_path / "out")["done"] == 4


@pytest.mark.slow
def test_a_comparison_with_a_failed_run_reports_and_exits_1(tmp_path, monkeypatch):
    from netmob.sim import run as sim_run

    real = sim_run.simulate
    monkeypatch.setattr(sim_run, "simulate", lambda p, s, **kw: compare_failing(p, s, real))
    args = ["--people", 60, "--weeks", 2, "--seed", COMPARE_SEED, "--uncertainty", "none"]
    out = tmp_path / "out"
    r = netmob(
        "compare",
        "baseline",
        "genie",
        "--replicates",
        4,
        *args,
        "--out",
        out,
        "--quiet",
        in_process=True,
    )
    assert r.exit_code == 1, r.output
    assert "3 of 8 runs failed" in r.output and "3 x RuntimeError: boom" in r.output
    assert "left out of every effect: [1, 2]" in r.output
    for name in ("report.html", "effects.csv", "value.csv", "runs.parquet", "weekly.parquet"):
        assert (out / name).exists(), name
    assert pq.read_schema(out / "runs.parquet").field("error").type == pa.large_string()


def test_a_comparison_whose_every_replicate_failed_exits_1(tmp_path, monkeypatch):
    from netmob.sim import run as sim_run

    def broken(params, seed, **kw):
        raise RuntimeError("boom everywhere")

    monkeypatch.setattr(sim_run, "simulate", broken)
    args = ["--people", 60, "--weeks", 2, "--replicates", 2, "--uncertainty", "none"]
    r = netmob(
        "compare", "baseline", "genie", *args, "--out", tmp_path / "out", "--quiet", in_process=True
    )
    assert r.exit_code == 1, r.output
    assert "4 of 4 runs failed" in r.output and "4 x RuntimeError: boom everywhere" in r.output
