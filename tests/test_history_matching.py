"""History matching end to end on the tiny spec (experiments/calibration/history_tiny.yaml):
``netmob calibrate history_tiny --out DIR``, its files and manifest, resuming, the same
numbers on one worker or two, a wave whose emulators fail stopping the run, and bad
method blocks stopping with one clear message."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from netmob.experiments.backends import make_backend
from netmob.experiments.calibration import history
from netmob.experiments.calibration.match import calibrate_history
from netmob.experiments.calibration.spec import (
    HistoryMethod,
    Method,
    load_calibration,
    with_method,
)
from netmob.sim.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FILES = ("posterior.parquet", "waves.csv", "emulators.csv", "conflicts.csv", "sbc.csv",
         "recovery.csv", "contraction.csv", "ppc.csv", "ppc_draws.parquet", "report.html")  # fmt: skip
CHECKS = {"emulators", "posterior", "sbc", "recovery", "ppc", "conflicts"}


def calibrate_cli(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "netmob.cli.main", "calibrate", "history_tiny", "--out", str(out),
         "--quiet", *extra],
        capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny spec calibrated by the command, on two workers."""
    out = tmp_path_factory.mktemp("history") / "out"
    r = calibrate_cli(out, "--workers", "2")
    assert r.returncode == 0, r.stderr
    return out, r


def test_the_command_writes_every_file_and_records_every_check(tiny):
    out, r = tiny
    spec = load_calibration("history_tiny")
    for name in FILES:
        assert (out / name).exists(), name
    post = pd.read_parquet(out / "posterior.parquet")
    assert len(post) >= 1000 and math.isclose(post["weight"].sum(), 1.0, rel_tol=1e-9)
    for p in spec.priors:
        assert post[p.name].between(p.lo, p.hi).all(), p.name
    waves = pd.read_csv(out / "waves.csv")
    assert list(waves.columns[:4]) == ["wave", "runs", "not_ruled_out", "emulator_validation"]
    assert waves["runs"].iloc[0] >= 10 * len(spec.priors)  # 10 runs per free parameter
    assert (waves["emulator_validation"] >= 0.95).all()
    assert waves["not_ruled_out"].is_monotonic_decreasing or len(waves) == 1
    sbc = pd.read_csv(out / "sbc.csv")
    assert list(sbc.columns[:4]) == ["parameter", "rank_p_value", "coverage_50", "coverage_90"]
    assert sbc["truths"].iloc[0] == spec.method.sbc_truths
    ppc = pd.read_csv(out / "ppc.csv")
    assert "overlaps" not in ppc and {"inside", "inside_repeat"} <= set(ppc.columns)
    assert len(pd.read_parquet(out / "ppc_draws.parquet")) == spec.method.ppc_draws
    man = json.loads((out / "manifest.json").read_text())
    assert man["method"] == "history" and man["status"] == "complete"
    assert set(man["checks"]) == CHECKS
    assert man["validated"] == all(c["passes"] for c in man["checks"].values())
    assert man["checks"]["posterior"]["draws"] == len(post)
    assert "validated" in r.stdout or "NOT validated" in r.stdout


def test_running_again_resumes_and_gives_the_same_posterior(tiny, tmp_path):
    """Every simulation is stored: a second run simulates nothing new and recomputes the
    same posterior; a copy of the runs on one worker, in this process, gives it too."""
    out, _ = tiny
    before = pd.read_parquet(out / "posterior.parquet")
    parts = sorted(p.name for p in (out / "sims").iterdir())
    r = calibrate_cli(out)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (out / "sims").iterdir()) == parts
    pd.testing.assert_frame_equal(pd.read_parquet(out / "posterior.parquet"), before)
    man = json.loads((out / "manifest.json").read_text())
    assert man["resumed"] and len(man["sessions"]) == 2


def test_one_worker_gives_what_two_gave(tiny, tmp_path):
    out, _ = tiny
    result = calibrate_history(
        load_calibration("history_tiny"), tmp_path / "one", make_backend("local", workers=1)
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "one" / "posterior.parquet"),
        pd.read_parquet(out / "posterior.parquet"),
    )
    assert (
        result.manifest["validated"] == json.loads((out / "manifest.json").read_text())["validated"]
    )


def test_a_wave_whose_emulators_are_wrong_stops_the_calibration(tiny, tmp_path, monkeypatch):
    """Negative control: the first wave's held-out runs moved by five of their own sds
    (the emulators are now wrong about each: the tiny spec's statistics are mostly seed
    noise, so shuffling them would not make them wrong) fail validation; the run stops
    with the diagnosis, the manifest says stopped, and no posterior is written."""
    out, _ = tiny
    shutil.copytree(out / "sims", tmp_path / "bad" / "sims")  # the same runs, no waiting
    real = history.validate

    def wrong(em, u, y):
        return real(em, u, y + 5 * np.nanstd(y, axis=0) + 1e-6)

    monkeypatch.setattr(history, "validate", wrong)
    with pytest.raises(history.EmulatorsFailed, match="wave 1: the emulators of"):
        calibrate_history(
            load_calibration("history_tiny"), tmp_path / "bad", make_backend("local", workers=1)
        )
    man = json.loads((tmp_path / "bad" / "manifest.json").read_text())
    assert man["status"] == "stopped" and not man["validated"]
    assert (tmp_path / "bad" / "emulators_failed.csv").exists()
    assert not (tmp_path / "bad" / "posterior.parquet").exists()


def write_spec(tmp_path: Path, method: dict) -> Path:
    doc = {"extends": str(ROOT / "experiments/calibration/tiny.yaml"), "method": method}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize(
    "method,field,words",
    [
        ({"kind": "history", "first_wave": 19}, "method.first_wave", "20"),  # 10 x 2 free
        ({"kind": "history", "waves": 0}, "method.waves", "1"),
        ({"kind": "history", "held_out": 0.9}, "method.held_out", "0.5"),
        ({"kind": "history", "generations": 3}, "method.generations", "first_wave"),
        ({"kind": "bayes"}, "method.kind", "history or abc"),
    ],
)
def test_a_bad_method_block_stops_with_one_message(tmp_path, method, field, words):
    with pytest.raises(InputError) as err:
        load_calibration(write_spec(tmp_path, method))
    assert err.value.field == field and words in str(err.value)


def test_the_method_flag_swaps_the_method():
    spec = load_calibration("tiny")
    assert isinstance(spec.method, Method)
    history_spec = with_method(spec, "history")
    assert isinstance(history_spec.method, HistoryMethod)
    assert history_spec.method.first_wave == 15 * len(spec.priors)
    assert history_spec.digest() != spec.digest()
    assert with_method(history_spec, "history") is history_spec
    assert isinstance(with_method(history_spec, "abc").method, Method)
    with pytest.raises(InputError, match="unknown method"):
        with_method(spec, "mcmc")


def test_a_bad_method_on_the_command_line_exits_2(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "netmob.cli.main", "calibrate", "tiny", "--out", str(tmp_path / "x"),
         "--method", "mcmc"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 2 and "unknown method" in r.stderr and "Traceback" not in r.stderr
