"""The command line: outputs written, bad input stopped with one clear message (exit 2)."""

from __future__ import annotations

import json

import pandas as pd

from tests.conftest import netmob


def test_run_writes_outputs(tmp_path):
    r = netmob(
        "run", "--people", "150", "--weeks", "8", "--seed", "3", "--out", str(tmp_path / "o")
    )
    assert r.returncode == 0, r.stderr
    out = tmp_path / "o"
    weekly = pd.read_parquet(out / "weekly.parquet")
    people = pd.read_parquet(out / "people.parquet")
    summary = json.loads((out / "summary.json").read_text())
    assert len(weekly) == 8 and len(people) == 150
    assert summary["n_people_target"] == 150 and summary["person_weeks_per_second"] > 0
    assert "network_size_mean" in r.stdout and "N4" in r.stdout
    assert not list(out.glob(".*.tmp"))  # no temporary files left
    assert not (out / "ties.parquet").exists()  # only with --ties


def test_run_writes_ties_when_asked(tmp_path):
    from netmob.sim.registry import names

    out = tmp_path / "o"
    r = netmob("run", "--people", "80", "--weeks", "3", "--seed", "2", "--ties", "--quiet",
               "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    ties = pd.read_parquet(out / "ties.parquet")
    people = pd.read_parquet(out / "people.parquet")
    assert tuple(ties.columns) == names("ties") and len(ties) > len(people)
    assert set(ties["ego"]) <= set(people["person_id"])
    live = ties[ties["active"] & ~ties["dormant"]]
    size = live.groupby("ego").size().reindex(people["person_id"], fill_value=0)
    assert (size.to_numpy() == people["network_size"].to_numpy()).all()
    assert "ties.parquet" in r.stdout


def test_reference_engine_from_cli(tmp_path):
    r = netmob(
        "run",
        "--people",
        "60",
        "--weeks",
        "3",
        "--engine",
        "reference",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert r.returncode == 0, r.stderr


def test_reference_engine_refuses_a_programme(tmp_path):
    """A programme scenario on the reference engine (which has none) stops with one message."""
    r = netmob(
        "run",
        "genie",
        "--engine",
        "reference",
        "--quiet",
        "--out",
        str(tmp_path / "o"),
        in_process=True,
    )
    check_error(r, "programme.preset", "'genie'", "programmes run on the vector engine")
    assert r.stderr.strip().count("\n") == 0  # one line
    assert not (tmp_path / "o").exists()


def check_error(r, *words):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    for w in words:
        assert w in r.stderr, r.stderr


def test_negative_population(tmp_path):
    check_error(
        netmob("run", "--people", "-5", "--out", str(tmp_path), in_process=True),
        "population.n_people",
        "-5",
    )


def test_unknown_parameter_in_scenario(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("params:\n  ties.bogus: 1\n")
    check_error(
        netmob("run", str(f), "--out", str(tmp_path), in_process=True),
        str(f),
        "ties.bogus",
        "unknown parameter",
    )


def test_unknown_engine(tmp_path):
    check_error(
        netmob("run", "--engine", "turbo", "--out", str(tmp_path), in_process=True),
        "--engine",
        "turbo",
        "vector",
    )


def test_missing_scenario(tmp_path):
    check_error(
        netmob("run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)), "nope.yaml", "not found"
    )


def test_params_never_cut_a_name():
    """`netmob params` on an 80- and a 200-column terminal: every name in the group is
    printed whole (names are what users type into scenarios and sweep specs)."""
    from netmob.sim.params import all_fields

    names = [f["name"] for f in all_fields() if f["name"].startswith("wellbeing.")]
    for width in ("80", "200"):
        r = netmob("params", "wellbeing", env={"COLUMNS": width})
        assert r.returncode == 0, r.stderr
        assert max(len(line) for line in r.stdout.splitlines()) <= int(width)
        missing = [n for n in names if n not in r.stdout]
        assert missing == [], f"cut at {width} columns: {missing}"
