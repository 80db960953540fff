"""An area's workers, budget and places scale with the people a run has, in every command.

An area folder's ``workers`` and ``budget`` are for its own ``people``. Before, they were a
fixed headcount whatever ``--people`` said, so a run of a fifth of the area paid the whole
area's workforce for a fifth of its referrals: ``netmob compare baseline genie --area
seacliff --people 500`` (an area of 2,500 people, 3 workers, GBP 105,000) reported a
programme cost per referred near GBP 1,000 against about GBP 210 at the area's own size.
Each test here failed on that code: the run's mean workers in post was the whole headcount
(2.0 here, not 0.4), and a region refused a ``people`` cell beside an area folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from netmob.analysis.compare import summarise
from netmob.cli.main import app
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
from netmob.sim.area import load_area, write_template

PEOPLE, WORKERS, BUDGET = 2000, 2, 70_000.0
FIFTH = PEOPLE // 5
WEEKS = 52


@pytest.fixture(scope="module")
def seacliff(tmp_path_factory) -> Path:
    """An area of 2,000 people with 2 workers costing GBP 70,000 a year."""
    d = tmp_path_factory.mktemp("scaling") / "seacliff"
    write_template(d, people=PEOPLE, seed=1)
    text = (d / "area.yaml").read_text()
    for key, value in (("name", "Seacliff"), ("workers", WORKERS), ("budget", int(BUDGET))):
        text, n = re.subn(rf"(?m)^{key}: .*$", f"{key}: {value}", text)
        assert n == 1
    (d / "area.yaml").write_text(text)
    return d


def invoke(args: list[str]):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    return r


def cost_per_referred(out: Path) -> float:
    """GENIE's programme cost per person referred, the comparison's mean over replicates."""
    e = summarise(out).effects
    row = e[
        (e["outcome"] == "intervention_cost_per_person")
        & (e["group"] == "referred")
        & (e["scenario"] == "genie")
    ]
    return float(row["mean_diff"].iloc[0])


def test_at_the_areas_own_size_the_workforce_is_its_headcount(seacliff):
    """Switched off = absent: at the area's own people the per-person workforce is exactly
    the fixed headcount at budget / workers each (the code before), and at a fifth it is a
    fifth of it."""
    from netmob.sim.programmes.workforce import full_time_equivalents
    from netmob.sim.run import simulate

    area = load_area(seacliff)
    genie = area.params({"programme": {"preset": "genie"}})
    pr = genie.programme
    assert full_time_equivalents(0, PEOPLE, pr, WEEKS) == pytest.approx(WORKERS)
    assert full_time_equivalents(0, FIFTH, pr, WEEKS) == pytest.approx(WORKERS / 5)
    short = {"population.n_people": 300, "run.weeks": 6, "run.burn_in": 2}
    fixed = genie.with_overrides(
        {"programme.workforce": "fixed", "programme.workers": WORKERS} | short, file="test"
    )
    per_person = genie.with_overrides(
        short | {"programme.workers_per_10000": WORKERS * 10_000 / 300}, file="test"
    )
    a, b = simulate(fixed, 3).summary, simulate(per_person, 3).summary
    assert a["people_referred"] > 0
    for key in ("people_referred", "people_reached", "intervention_cost", "swemwbs_mean"):
        assert b[key] == pytest.approx(a[key], rel=1e-9), key


def test_run_scales_workers_and_budget(seacliff, tmp_path):
    r = invoke(
        ["run", "genie", "--area", str(seacliff), "--people", str(FIFTH), "--weeks", "26",
         "--quiet", "--out", str(tmp_path / "run")]
    )  # fmt: skip
    s = pd.read_json(tmp_path / "run" / "summary.json", typ="series")
    assert s["workers_in_post_mean"] == pytest.approx(WORKERS / 5, rel=1e-6)  # main: 2.0
    # paid a fifth of the budget for the half year, plus GBP 20 materials a referral (P2)
    pay = BUDGET / 5 * 26 / 52
    assert s["intervention_cost"] == pytest.approx(pay + 20 * s["people_referred"], rel=0.02)
    assert "run as 400" in " ".join(r.output.split()) and "0.4 full-time" in r.output


@pytest.mark.slow
def test_compare_at_a_fifth_gives_the_full_size_cost_per_referred(seacliff, tmp_path):
    """The issue's Done-when: cost per referred at a fifth of the area within 15% of the
    full-size run (on main: about 5 times it)."""
    common = ["--area", str(seacliff), "--weeks", str(WEEKS), "--uncertainty", "none", "--quiet"]
    invoke(["compare", "baseline", "genie", *common, "--replicates", "2",
            "--out", str(tmp_path / "full")])  # fmt: skip
    r = invoke(["compare", "baseline", "genie", *common, "--replicates", "3",
                "--people", str(FIFTH), "--out", str(tmp_path / "fifth")])  # fmt: skip
    full, fifth = cost_per_referred(tmp_path / "full"), cost_per_referred(tmp_path / "fifth")
    assert fifth == pytest.approx(full, rel=0.15), (full, fifth)
    assert "note: Seacliff's 2,000 people run as 400" in " ".join(r.output.split())


def test_a_sweeps_people_scale_the_workforce(seacliff, tmp_path):
    spec_file = tmp_path / "small.yaml"
    spec_file.write_text(
        "name: small\nbase: genie\n"
        f"params: {{population.n_people: {FIFTH}, run.weeks: 4, run.burn_in: 2}}\n"
        "vary: {programme.transport_support: [0.0, 0.5]}\ndesign: grid\nreplicates: 1\n"
        "outcomes: [workers_in_post_mean, intervention_cost]\n"
    )
    spec = load_spec(spec_file).on_area(load_area(seacliff))
    run_sweep(spec, tmp_path / "sweep", LocalBackend(1), progress=False)
    runs = pd.read_parquet(tmp_path / "sweep" / "runs")
    assert runs["workers_in_post_mean"].tolist() == pytest.approx([WORKERS / 5] * 2)  # main: 2


@pytest.mark.slow
def test_a_region_runs_an_area_folder_at_its_people_cell(seacliff, tmp_path):
    """A region row may give ``people`` beside an area folder: the area at that size, its
    workforce scaled (main refused the row: 'either an area folder or profile fields')."""
    region = tmp_path / "region.csv"
    region.write_text(f"name,area,people\nSeacliff,{seacliff},{FIFTH}\nHarbour,{seacliff},\n")
    out = tmp_path / "region"
    r = invoke(["region", str(region), "baseline", "genie", "--weeks", "4", "--replicates", "2",
                "--uncertainty", "none", "--quiet", "--out", str(out)])  # fmt: skip
    runs = pd.read_parquet(out / "runs.parquet")
    genie = runs[runs["scenario"] == "genie"].groupby("area")["workers_in_post_mean"].mean()
    assert genie.to_dict() == pytest.approx({"Seacliff": WORKERS / 5, "Harbour": WORKERS})
    assert "run as 400" in " ".join(r.output.split())
    region.write_text(f"name,area,people\nSeacliff,{seacliff},many\n")
    bad = CliRunner().invoke(app, ["region", str(region), "baseline", "genie", "--out",
                                   str(tmp_path / "bad")])  # fmt: skip
    assert bad.exit_code == 2 and "row 2, column 'people'" in bad.output


def test_the_apps_whatif_scales_and_says_so(seacliff):
    """The What-if's own comparison (the function its Run button starts), at a fifth of the
    area: workers scaled, and the page's note says so."""
    from netmob.app import page
    from netmob.app.area import scaling_note

    area = load_area(seacliff)
    result = page.run_comparison.function(["baseline", "genie"], FIFTH, 4, 2, 1, False, area)
    runs = result.runs[result.runs["scenario"] == "genie"]
    assert runs["workers_in_post_mean"].tolist() == pytest.approx([WORKERS / 5] * 2)  # main: 2
    assert "run as 400" in scaling_note(area, FIFTH) and scaling_note(area, PEOPLE) == ""
