"""Uncertainty in the assumptions for paired comparisons (probabilistic sensitivity
analysis): specs, draws, their use in compare, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from netmob.analysis.compare import DRAW
from netmob.experiments.compare import compare_spec, run
from netmob.experiments.draws import check_shared, draws, load_uncertainty
from netmob.sim.errors import InputError
from netmob.sim.scenario import load_scenario
from tests.conftest import netmob


def test_shipped_spec_loads_within_the_schema():
    spec = load_uncertainty("assumptions")
    assert len(spec.factors) >= 10 and all(f.is_range for f in spec.factors)
    assert spec.ranges()["wellbeing.gap_effect"] == [0.175, 0.525]


def test_draws_are_a_latin_hypercube_fixed_by_the_seed():
    spec = load_uncertainty("assumptions")
    d = draws(spec, replicates=8, seed=3)
    assert d.equals(draws(spec, replicates=8, seed=3))
    assert not d.equals(draws(spec, replicates=8, seed=4))
    for f in spec.factors:
        strata = np.floor((d[f.name] - f.lo) / (f.hi - f.lo) * 8).astype(int)
        assert sorted(strata) == list(range(8)), f.name  # one draw in each eighth


def write(tmp_path, text, name="u.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("vary:\n  wellbeing.nosuch: {lo: 0, hi: 1}\n", "vary.wellbeing.nosuch", "unknown"),
        (
            "vary:\n  wellbeing.gap_effect: {lo: 0, hi: 9}\n",
            "vary.wellbeing.gap_effect.hi",
            "0 to 5",
        ),
        ("vary: {}\n", "vary", "names no parameter"),
        ("vary:\n  wellbeing.gap_effect: {lo: 0.1}\n  extra: 1\n", None, "unknown"),
        ("nope: 1\n", "nope", "unknown key"),
    ],
)
def test_bad_specs_name_the_file_and_field(tmp_path, text, field, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_uncertainty(path)
    err = info.value
    assert err.file == str(path.resolve()) or err.file == str(path)
    if field:
        assert err.field == field
    assert words in str(err)


def test_a_parameter_the_scenarios_set_differently_is_refused(tmp_path):
    """GENIE and PLANS differ in programme.engage: that is what they compare."""
    path = write(tmp_path, "vary:\n  programme.engage: {lo: 0.5, hi: 0.9}\n")
    params = {s: load_scenario(s).params for s in ("genie", "plans")}
    with pytest.raises(InputError, match="set this parameter differently") as info:
        check_shared(load_uncertainty(path), params)
    assert info.value.field == "vary.programme.engage"


@pytest.fixture(scope="module")
def runs():
    """Seeds fixed (seed 5); 6 replicates of 400 people over 26 weeks."""
    kw = dict(people=400, weeks=26, replicates=6, seed=5)
    chance = run(compare_spec(["baseline", "genie"], **kw))
    both = run(compare_spec(["baseline", "genie"], uncertainty="assumptions", **kw))
    return chance, both


def test_every_scenario_of_a_replicate_shares_its_draw(runs):
    _, both = runs
    cols = [c for c in both.runs.columns if c.startswith(DRAW)]
    assert len(cols) == len(load_uncertainty("assumptions").factors)
    per_rep = both.runs.groupby("replicate")[cols].nunique()
    assert (per_rep == 1).all().all()  # the same draw for baseline and genie
    assert both.runs.drop_duplicates("replicate")[cols].nunique().min() == 6  # differs by replicate
    assert both.settings["uncertainty"]["name"] == "assumptions"


def test_draws_change_the_runs_and_widen_the_interval(runs):
    """The same seeds with drawn assumptions give other results, and the effect of GENIE
    on referred people's wellbeing varies more (the assumptions scale it)."""
    chance, both = runs
    a = chance.runs.query("scenario == 'baseline'")["swemwbs_mean"].to_numpy()
    b = both.runs.query("scenario == 'baseline'")["swemwbs_mean"].to_numpy()
    assert not np.allclose(a, b)

    def width(res):
        e = res.effects.query(
            "scenario == 'genie' and outcome == 'swemwbs' and group == 'referred'"
        )
        return float(e.ci_high.iloc[0] - e.ci_low.iloc[0])

    assert width(both) > width(chance)


@pytest.mark.slow
def test_uncertain_comparison_is_reproducible(runs):
    _, both = runs
    again = run(
        compare_spec(
            ["baseline", "genie"],
            people=400,
            weeks=26,
            replicates=6,
            seed=5,
            uncertainty="assumptions",
        )
    )
    assert again.effects.equals(both.effects)


def test_cli_refuses_a_missing_or_bad_spec_before_running(tmp_path):
    r = netmob(
        "compare",
        "baseline",
        "genie",
        "--uncertainty",
        "nosuch",
        "--out",
        str(tmp_path),
        in_process=True,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--uncertainty" in r.stderr and "assumptions" in r.stderr
    bad = write(tmp_path, "vary:\n  programme.engage: {lo: 0.5, hi: 0.9}\n")
    r = netmob(
        "compare",
        "genie",
        "plans",
        "--uncertainty",
        str(bad),
        "--out",
        str(tmp_path),
        in_process=True,
    )
    assert r.returncode == 2 and "vary.programme.engage" in r.stderr
    assert "runs:" not in r.stderr  # stopped before the progress bar


def test_drivers_rank_the_parameter_that_moves_the_outcome_first():
    """A synthetic outcome driven by one parameter (plus noise, fixed seed): that parameter
    ranks first with p < 0.05; a parameter it ignores does not come out beyond chance."""
    import pandas as pd

    from netmob.analysis.uncertainty import drivers

    rng = np.random.default_rng(7)
    n = 40
    x = pd.DataFrame({"a": rng.uniform(size=n), "b": rng.uniform(size=n)})
    y = pd.DataFrame({"s": 3 * x["a"] + rng.normal(scale=0.3, size=n), "t": -x["a"]})
    d = drivers(x, y)
    assert list(d.columns) == [
        "scenario", "parameter", "rank_correlation", "p_value", "p_holm", "method"
    ]  # fmt: skip
    assert set(d.method) == {"partial rank"}
    s = d[d.scenario == "s"].reset_index(drop=True)
    assert s.loc[0, "parameter"] == "a" and s.loc[0, "rank_correlation"] > 0.8
    assert s.loc[0, "p_value"] < 0.05 < s.loc[1, "p_value"]
    t = d[d.scenario == "t"].set_index("parameter")
    assert t.loc["a", "rank_correlation"] == pytest.approx(-1.0)
    assert drivers(x.head(4), y.head(4)).empty  # too few replicates to rank


@pytest.mark.slow
def test_report_says_what_drives_the_uncertainty(runs):
    """With drawn assumptions the report has the section (here, 6 replicates of 12 drawn
    assumptions: too few draws to rank them, and it says so); without, no such section."""
    from netmob.analysis.brief import in_brief
    from netmob.analysis.report import render

    chance, both = runs
    page = render(both)
    assert "What drives the uncertainty" in page and "needs at least 15 different draws" in page
    assert "wellbeing.gap_effect" in page and "each drawing" not in render(chance)
    assert "What drives the uncertainty" not in render(chance)
    assert "each drawing the assumptions of 'assumptions'" in in_brief(both)[1]
    assert "drawing" not in in_brief(chance)[1]


def test_partial_rank_correlation_sees_through_a_correlated_draw():
    """``b`` is drawn correlated with ``a`` but does nothing; the outcome follows ``a``
    (fixed seed, 30 replicates, as a small Latin hypercube can be). Plain Spearman calls
    ``b`` a driver; the partial rank correlation does not, and agrees with scipy's
    Spearman when there is nothing to hold fixed."""
    import pandas as pd
    from scipy.stats import spearmanr

    from netmob.analysis.uncertainty import drivers

    rng = np.random.default_rng(11)
    a = rng.uniform(size=30)
    x = pd.DataFrame({"a": a, "b": a + rng.uniform(0, 0.6, size=30)})
    y = pd.DataFrame({"s": a + rng.normal(scale=0.1, size=30)})
    assert spearmanr(x.b, y.s).pvalue < 0.001  # marginally, b looks like a driver
    d = drivers(x, y).set_index("parameter")
    assert d.loc["a", "p_value"] < 0.001 and d.loc["b", "p_value"] > 0.05
    one = drivers(x[["b"]], y).iloc[0]
    r = spearmanr(x.b, y.s)
    assert one.method == "rank (Spearman)"
    assert one.rank_correlation == pytest.approx(r.statistic)
    assert one.p_value == pytest.approx(r.pvalue)
