"""Scenario discovery: PRIM finds a planted box, says it in words, and
``netmob discover`` does it on a real sweep's runs, with one-line errors (exit 2)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.discover import discover, in_box
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.experiments.store import load_results
from netmob.sim.errors import InputError
from tests.conftest import netmob
from tests.sweep_helpers import SerialBackend, write_spec

FACTORS = ["x1", "x2", "x3", "x4"]
PLANTED = {"x1": (None, 0.3), "x2": (0.6, None)}  # x1 < 0.3 and x2 > 0.6
TOLERANCE = 0.05


@pytest.fixture(scope="module")
def planted():
    """2,000 uniform points over 4 factors; the outcome is 1 in 90% of the points inside
    the planted box and 5% of those outside."""
    rng = np.random.default_rng(14)
    x = pd.DataFrame(rng.uniform(size=(2000, 4)), columns=FACTORS)
    inside = in_box(x, PLANTED)
    chance = np.where(inside, 0.9, 0.05)
    return x.assign(y=(rng.uniform(size=len(x)) < chance).astype(float))


def check_recovered(box: pd.Series, data: pd.DataFrame) -> None:
    """The box restricts x1 and x2 only, its limits are within TOLERANCE of the planted
    ones, and more than 80% of its points have the outcome."""
    assert box["restricted"] == "x1, x2"
    assert abs(box["hi.x1"] - 0.3) <= TOLERANCE and abs(box["lo.x2"] - 0.6) <= TOLERANCE
    limits = {"x1": (box["lo.x1"], box["hi.x1"]), "x2": (box["lo.x2"], box["hi.x2"])}
    assert data.loc[in_box(data, limits), "y"].mean() > 0.8


def test_prim_recovers_a_planted_box(planted):
    found = discover(planted, FACTORS, "y", above=0.5)
    box = found.boxes.iloc[0]
    check_recovered(box, planted)
    assert box["density"] > 0.8 and box["coverage"] > 0.6
    assert len(found.trajectories[0]) > 10 and found.trajectories[0]["kept"].sum() == 1


@pytest.mark.parametrize(
    "wrong",
    [
        {"hi.x1": 0.5},  # x1's limit too high
        {"lo.x2": 0.4},  # x2's limit too low
        {"restricted": "x1, x2, x3"},  # a factor that does not matter
    ],
)
def test_the_check_fails_for_wrong_limits(planted, wrong):
    box = discover(planted, FACTORS, "y", above=0.5).boxes.iloc[0]
    with pytest.raises(AssertionError):
        check_recovered(pd.Series({**box.to_dict(), **wrong}), planted)


def test_the_sentence_names_the_factors_of_the_box(planted):
    found = discover(planted, FACTORS, "y", above=0.5, label="the outcome")
    first = found.sentences[0]
    assert re.match(r"The outcome is above 0\.5 in (8|9)\d% of runs where x1 is at most ", first)
    x1 = float(re.search(r"x1 is at most ([\d.]+)", first)[1])
    x2 = float(re.search(r" and x2 is at least ([\d.]+) \(", first)[1])
    assert abs(x1 - 0.3) <= TOLERANCE and abs(x2 - 0.6) <= TOLERANCE
    assert "x3" not in first and "x4" not in first
    assert first == found.boxes.loc[0, "sentence"]


def test_below_a_threshold_and_a_switch(planted):
    data = planted.assign(on=planted["x3"] > 0.5)
    found = discover(data, ["on", "x4"], "x3", below=0.5)
    assert found.boxes.loc[0, "restricted"] == "on"
    assert found.boxes.loc[0, "density"] == 1.0
    assert (
        "on is off" in found.sentences[0] and "is below 0.5 in 100% of runs" in found.sentences[0]
    )


def test_only_boxes_better_than_chance(planted):
    noise = planted.assign(y=np.random.default_rng(2).uniform(size=len(planted)))
    assert discover(noise, FACTORS, "y", above=0.5).boxes.empty


@pytest.mark.parametrize(("above", "who"), [(2.0, "no run"), (-1.0, "every run")])
def test_a_threshold_no_run_or_every_run_clears_is_refused(planted, above, who):
    with pytest.raises(InputError, match=f"{who} of 2000 is above"):
        discover(planted, FACTORS, "y", above=above)


def test_one_threshold(planted):
    with pytest.raises(InputError, match="give one threshold"):
        discover(planted, FACTORS, "y", above=0.5, below=0.5)


# The command on a real sweep ----------------------------------------------------------

FAILS = 5  # the sweep's run that raises


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A tiny real sweep crossing the pathway switches with three barrier levels (24 runs,
    a few seconds); one run fails."""
    from netmob.sim import run as sim_run

    folder = tmp_path_factory.mktemp("discover")
    spec = write_spec(
        folder,
        vary={
            "pathways.nudge": [False, True],
            "pathways.mobilisation": [False, True],
            "programme.workforce_scale": {"lo": 0.5, "hi": 1.5, "levels": 3},
        },
        outcomes=[
            "swemwbs_mean",
            "qalys_mean",
            "intervention_cost",
            "n_people_target",
            "service_cost_mean",
        ],
    )
    real, calls = sim_run.simulate, {"n": 0}

    def flaky(params, seed, **kw):
        calls["n"] += 1
        if calls["n"] == FAILS:
            raise RuntimeError("boom in the model")
        return real(params, seed, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sim_run, "simulate", flaky)
        run_sweep(load_spec(spec), folder / "out", SerialBackend(), progress=False)
    return folder / "out"


def test_discover_on_a_sweep_writes_the_boxes_and_says_them(sweep):
    runs = load_results(sweep)
    ok = runs[runs["status"] == "ok"]
    by_workforce = ok.groupby("programme.workforce_scale")["intervention_cost"]
    threshold = (by_workforce.max()[0.5] + by_workforce.min()[1.0]) / 2  # half the workers
    r = netmob(
        "discover", sweep, "--outcome", "intervention_cost", "--below", threshold, in_process=True
    )
    assert r.exit_code == 0, r.output
    assert "1 run failed and is left out" in r.output  # reported, not dropped silently
    assert "23 of the sweep's 24 runs are used" in r.output
    boxes = pd.read_csv(sweep / "discover.csv")
    assert len(boxes) == 1 and boxes.loc[0, "restricted"] == "programme.workforce_scale"
    assert boxes.loc[0, "hi.programme.workforce_scale"] == 0.5
    assert boxes.loc[0, "density"] == 1.0 and boxes.loc[0, "coverage"] == 1.0
    assert boxes.loc[0, "in.pathways.nudge"] == "False|True"
    sentence = boxes.loc[0, "sentence"]
    assert sentence.startswith("Programme cost")
    assert "programme.workforce_scale is at most 0.5 (" in sentence and sentence in r.output
    assert "pathways" not in sentence
    assert (sweep / "discover.png").read_bytes()[:4] == b"\x89PNG"
    assert sentence in (sweep / "discover.txt").read_text()


def test_net_benefit_at_a_willingness_to_pay_and_the_report(sweep, tmp_path):
    runs = load_results(sweep)
    ok = runs[runs["status"] == "ok"]
    nb = 20000 * ok["qalys_mean"] - (
        ok["intervention_cost"] / ok["n_people_target"] + ok["service_cost_mean"]
    )
    args = ["--outcome", "net_benefit", "--wtp", 20000, "--above", nb.median(), "--out", tmp_path]
    r = netmob("discover", sweep, *args, in_process=True)
    assert r.exit_code == 0, r.output
    assert "net benefit per target person at GBP 20,000 per QALY" in r.output
    text = (tmp_path / "discover.txt").read_text()
    r = netmob(
        "sweep-report", sweep, "--discover", tmp_path, "--out", tmp_path / "report", in_process=True
    )
    assert r.exit_code == 0, r.output
    page = (tmp_path / "report" / "report.html").read_text()
    assert "<h2>Where it pays off</h2>" in page and "GBP 20,000 per QALY" in page
    assert text.splitlines()[0].split("?")[0].replace("'", "&#x27;") in page


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--outcome", "bogus", "--above", 1], "the sweep has no such outcome"),
        (["--outcome", "net_benefit", "--above", 1], "net_benefit needs a willingness to pay"),
        (["--outcome", "swemwbs_mean", "--wtp", 1, "--above", 1], "for --outcome net_benefit"),
        (["--outcome", "swemwbs_mean", "--above", 99], "no run of 23 is above 99"),
        (["--outcome", "swemwbs_mean", "--below", 99], "every run of 23 is below 99"),
        (["--outcome", "swemwbs_mean"], "give one threshold"),
    ],
)
def test_bad_input_stops_with_one_message(sweep, args, words):
    r = netmob("discover", sweep, *args, in_process=True)
    assert r.exit_code == 2, r.output
    assert words in r.output and "Traceback" not in r.output
    assert len([line for line in r.output.splitlines() if "error:" in line]) == 1


def test_an_unknown_outcome_lists_the_names_allowed(sweep):
    r = netmob("discover", sweep, "--outcome", "bogus", "--above", 1, in_process=True)
    allowed = r.output.split("allowed:")[1]
    assert "swemwbs_mean" in allowed and "net_benefit" in allowed and "status" not in allowed
