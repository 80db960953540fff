"""``netmob targets``: the model at its defaults against a calibration spec's targets, read
from the spec (measured by :mod:`netmob.experiments.calibration.checks`)."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.experiments.calibration.checks import check, measure, only
from netmob.experiments.calibration.spec import load_calibration


def test_targets_prints_and_writes_each_target_against_the_spec(tmp_path):
    """The tiny spec's P4 (a share disengaged) at 20 people over 4 weeks: nobody has
    disengaged yet, so it is outside its interval, and said so; the CSV holds what
    checks.check gives for the same seeds, with the spec's interval."""
    out = tmp_path / "targets.csv"
    args = ["targets", "tiny", "--target", "P4", "--replicates", "2", "--csv", str(out)]
    r = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "P4" in r.output and "outside" in r.output
    assert "0 of 1 targets inside their published interval or band" in r.output
    written = pd.read_csv(out)
    spec = only(load_calibration("tiny"), ["P4"])
    again = check(spec, measure(spec, 2))
    assert written[["target", "low", "high", "mean"]].to_dict("records") == again[
        ["target", "low", "high", "mean"]
    ].to_dict("records")


def test_targets_refuses_bad_input_with_one_line():
    runner = CliRunner()
    one = runner.invoke(app, ["targets", "tiny", "--replicates", "1"])
    assert one.exit_code == 2 and "at least two replicates" in one.output
    unknown = runner.invoke(app, ["targets", "tiny", "--target", "nonesuch"])
    assert unknown.exit_code == 2 and "no target of that id" in unknown.output
    assert "N1, E3, P4" in unknown.output
