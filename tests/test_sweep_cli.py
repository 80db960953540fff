"""The sweep commands end to end (local backend), and their one-line errors (exit 2).

The shipped example runs as a user runs it (a new process, two worker processes: slow);
the other commands run in this process (``netmob(..., in_process=True)``), where an
exception netmob does not turn into its one-line message is exit code 1 and fails."""

from __future__ import annotations

import pandas as pd
import pytest

from netmob.experiments.store import load_results
from tests.conftest import netmob
from tests.sweep_helpers import check_directory, write_spec


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """``netmob sweep example`` (a name from experiments/), run from another directory."""
    cwd = tmp_path_factory.mktemp("cli")
    r = netmob("sweep", "example", "--out", "sweeps/example", "--workers", "2", cwd=cwd)
    return r, cwd / "sweeps" / "example"


@pytest.mark.slow  # the shipped example at its size, in a new process
def test_sweep_runs_the_example(example):
    r, out = example
    assert r.returncode == 0, r.stderr
    assert "16 of 16 runs finished, 0 missing" in r.stdout
    assert "Overhead outside the model" in r.stdout
    assert "runs:" in r.stderr and "failed=0" in r.stderr  # the progress bar
    check_directory(out)
    assert len(load_results(out)) == 16


@pytest.mark.slow  # the shipped example at its size, in a new process
def test_results_prints_counts_and_writes_csv(example, tmp_path):
    _, out = example
    r = netmob("results", str(out), "--csv", str(tmp_path / "all.csv"), in_process=True)
    assert r.returncode == 0, r.stderr
    assert "done 16, failed 0, missing 0" in r.stdout
    assert "swemwbs_mean" in r.stdout and "load_results" in r.stdout
    table = pd.read_csv(tmp_path / "all.csv")
    assert len(table) == 16 and "pathways.mobilisation" in table


@pytest.mark.slow  # the shipped example at its size, in a new process
def test_sweep_report_writes_html_and_csv(example):
    _, out = example
    r = netmob("sweep-report", str(out), in_process=True)
    assert r.returncode == 0, r.stderr
    report = out / "report"
    html = (report / "report.html").read_text()
    assert "Pathway report: example" in html and html.count("data:image/png;base64,") >= 5
    effects = pd.read_csv(report / "effects.csv")
    assert set(effects["pathway"]) == {"nudge", "mobilisation", "both"}
    assert len(effects) == 2 * 3 * 2  # cells x pathways x (support, wellbeing)
    assert set(pd.read_csv(report / "winners.csv")["head_to_head"]) <= {
        "nudge",
        "mobilisation",
        "no clear winner",
    }
    assert "nudge_share" in pd.read_csv(report / "attribution.csv")


@pytest.mark.slow  # the shipped example at its size, in a new process
def test_resume_with_a_changed_spec_is_refused(example, tmp_path):
    _, out = example
    spec = write_spec(tmp_path)
    r = netmob("sweep", str(spec), "--out", str(out), in_process=True)
    assert (
        r.returncode == 2
        and "has changed since this experiment" in r.stderr
        and "--out" in r.stderr
    )
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["sweep", "example", "--out", "x", "--backend", "slurm"], "unknown backend"),
        (["sweep", "example", "--out", "x", "--scheduler", "tcp://h:1"], "needs the dask backend"),
        (
            ["sweep", "example", "--out", "x", "--scheduler-file", "s.json"],
            "needs the dask backend",
        ),
        (
            ["sweep", "example", "--out", "x", "--backend", "dask", "--scheduler", "tcp://h:1"]
            + ["--scheduler-file", "s.json"],
            "not both",
        ),
        (["compare", "baseline", "genie", "--scheduler-file", "s.json"], "needs the dask backend"),
        (["calibrate", "tiny", "--out", "x", "--scheduler-file", "s.json"], "--scheduler-file"),
        (["sweep", "example", "--out", "x", "--workers", "0"], "at least one worker"),
        (["sweep", "example", "--out", "x", "--chunk", "0"], "--chunk"),
        (["sweep", "no_such_spec", "--out", "x"], "sweep spec not found"),
        (["results", "."], "not a sweep directory"),
        (["sweep-report", "."], "not a sweep directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, words, tmp_path):
    r = netmob(*args, cwd=tmp_path, in_process=True)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert words in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [("not json", "cannot read the scheduler file"), ('{"id": 1}', "names no address")],
)
def test_a_bad_scheduler_file_is_refused(tmp_path, text, words):
    (tmp_path / "s.json").write_text(text)
    r = netmob("sweep", "example", "--out", "x", "--backend", "dask", "--scheduler-file", "s.json",
               cwd=tmp_path, in_process=True)  # fmt: skip
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert words in r.stderr and "--scheduler-file" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x").exists()


def test_a_missing_scheduler_file_is_waited_for_then_refused(tmp_path):
    import threading

    from netmob.experiments.backends.dask import read_scheduler_file
    from netmob.sim.errors import InputError

    path = tmp_path / "s.json"
    with pytest.raises(InputError, match="no scheduler file after 0.2 s") as info:
        read_scheduler_file(str(path), wait=0.2)
    assert info.value.field == "--scheduler-file"
    # a scheduler starting at the same time writes it a moment later
    timer = threading.Timer(0.3, lambda: path.write_text('{"address": "tcp://127.0.0.1:1"}'))
    timer.start()
    assert read_scheduler_file(str(path), wait=10) == str(path)
    timer.join()


def test_a_bad_spec_names_its_file_and_field(tmp_path):
    spec = write_spec(tmp_path, vary={"attendance.barrier_scale": {"lo": 0.5, "hi": 9}})
    r = netmob("sweep", str(spec), "--out", str(tmp_path / "out"), in_process=True)
    assert r.returncode == 2
    assert "spec.yaml" in r.stderr and "vary.attendance.barrier_scale.hi" in r.stderr
    assert "9" in r.stderr and "0 to 5" in r.stderr
    assert not (tmp_path / "out").exists()  # nothing started


def test_sweep_report_of_another_sweep_is_the_general_report(tmp_path):
    """A sweep that does not cross the pathway switches gets the report any sweep gets
    (it was refused: "a pathway report needs a sweep that varies both pathway switches")."""
    spec = write_spec(tmp_path, replicates=1)
    assert (
        netmob(
            "sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "1", in_process=True
        ).returncode
        == 0
    )
    r = netmob("sweep-report", str(tmp_path / "o"), in_process=True)
    assert r.returncode == 0 and (tmp_path / "o" / "report" / "drivers.csv").is_file()


def test_an_old_outcome_name_is_refused_with_the_new_one(tmp_path):
    spec = write_spec(tmp_path, outcomes=["new_ties.nudge"])
    r = netmob("sweep", str(spec), "--out", "x", cwd=tmp_path, in_process=True)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert spec.name in r.stderr and "field 'outcomes[0]'" in r.stderr
    assert "renamed to new_ties_nudge_total" in r.stderr and "'new_ties.nudge'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "x").exists()
