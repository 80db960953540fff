"""Paired comparisons, the commissioner's report, and `netmob compare`."""

from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.compare import OUTCOME_NAMES, by_measure, headline, interval_table
from netmob.analysis.report import render
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.compare import compare_spec, run
from netmob.experiments.effects import by_horizon
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, netmob

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result():
    """GENIE, and GENIE with half the facilitators its referrals need (a waiting list);
    seeds fixed (seed 3)."""
    spec = compare_spec(
        ["baseline", "genie", "genie_fewer_workers"], people=2000, weeks=52, replicates=4, seed=3
    )
    return run(spec, backend=LocalBackend(2))


def effect(res, scenario, outcome, group):
    e = res.effects
    return e[(e.scenario == scenario) & (e.outcome == outcome) & (e.group == group)].iloc[0]


@pytest.mark.slow  # the 2,000-person comparison they share
def test_effects_table_shape(result):
    e = result.effects
    assert list(e.columns) == [
        "scenario", "outcome", "group", "mean_diff", "ci_low", "ci_high", "draws_low", "draws_high",
        "week", "extrapolated",
    ]  # fmt: skip
    assert set(e.week) == {52} and not e.extrapolated.any()  # the end, inside 78 weeks
    assert sorted(set(result.horizons.week)) == [26, 39]  # the trials' follow-ups
    assert set(e.scenario) == {"genie", "genie_fewer_workers"}
    value = {"cost_per_qaly", "net_benefit_20000", "net_benefit_30000"}
    discounted = {"qalys_disc", "net_cost_disc"}  # value for money at 3.5% a year
    assert set(OUTCOME_NAMES) | value | discounted == set(e.outcome)
    assert set(e[e.outcome.isin(discounted)].group) == {"population"}
    assert set(e.group) == {"population", "referred", "engaged"}
    ok = e.dropna()
    assert ((ok.ci_low <= ok.mean_diff) & (ok.mean_diff <= ok.ci_high)).all()
    assert len(result.runs) == 12 and set(result.runs.replicate) == {0, 1, 2, 3}


@pytest.mark.slow  # the 2,000-person comparison they share
def test_paired_interval_narrower_than_unpaired(result):
    """The point of common random numbers: the same runs, analysed as independent, give
    wider intervals."""
    paired = result.effects.set_index(["scenario", "outcome", "group"])
    unpaired = interval_table(result.contrasts, paired=False).set_index(
        ["scenario", "outcome", "group"]
    )
    for key in [
        ("genie", "swemwbs", "population"),
        ("genie", "swemwbs", "referred"),
        ("genie", "eq5d", "population"),
        ("genie", "network_size", "population"),
    ]:
        pw = paired.loc[key, "ci_high"] - paired.loc[key, "ci_low"]
        uw = unpaired.loc[key, "ci_high"] - unpaired.loc[key, "ci_low"]
        assert pw < 0.5 * uw, (key, pw, uw)
        assert paired.loc[key, "mean_diff"] == pytest.approx(unpaired.loc[key, "mean_diff"])


@pytest.mark.slow  # the 2,000-person comparison they share
def test_more_workers_reach_more_people(result):
    fewer = effect(result, "genie_fewer_workers", "reached_share", "population")
    sized = effect(result, "genie", "reached_share", "population")
    assert sized.ci_low > fewer.ci_high


@pytest.mark.slow  # the 2,000-person comparison they share
def test_programme_costs_and_qalys(result):
    assert effect(result, "genie", "intervention_cost_per_person", "referred").mean_diff > 0
    assert effect(result, "genie", "qalys", "population").mean_diff > 0
    h = headline(result)
    assert list(h.scenario) == ["genie", "genie_fewer_workers"]
    assert "(" in h.loc[0, "SWEMWBS, referred"]
    assert h.loc[0, "chance cost-effective, GBP 20k/QALY"].endswith("%")
    turned = by_measure(h)  # as the report and the terminal show it
    assert list(turned.columns) == ["measure", "genie", "genie_fewer_workers"]
    assert list(turned.measure) == list(h.columns[1:])
    assert (
        turned.set_index("measure").loc["SWEMWBS, referred", "genie"]
        == h.loc[0, "SWEMWBS, referred"]
    )


@pytest.mark.slow  # the 2,000-person comparison they share
def test_value_for_money(result):
    """Net benefit rows agree with the acceptability curve at the same threshold."""
    v = result.value
    assert set(v.scenario) == {"genie", "genie_fewer_workers"}
    assert v["prob_cost_effective"].between(0, 1).all() and v["prob_best"].between(0, 1).all()
    assert (v.groupby("threshold")["prob_best"].sum() <= 1 + 1e-12).all()
    at20 = v[(v.scenario == "genie") & (v.threshold == 20_000)].iloc[0]
    assert effect(result, "genie", "net_benefit_20000", "population").mean_diff == pytest.approx(
        at20.nmb_mean
    )
    # at no willingness to pay, a programme that costs money is never worth it
    assert (v[v.threshold == 0]["prob_cost_effective"] == 0).all()


@pytest.mark.slow  # the 2,000-person comparison they share
def test_report_has_every_part(result):
    page = render(result)
    for part in (
        "The question",
        "The scenarios",
        "Headline",
        "Outcomes over time",
        "Effects with intervals",
        "Cost against QALYs",
        "Value for money",
        "Effects by network type",
        "Effects by pathway",
        "What the model assumes",
    ):
        assert part in page
    assert page.count("data:image/png;base64,") == 6
    # printing: A4, long tables left out for their files, no break inside a table
    assert "@media print" in page and "print-only" in page and "size: A4" in page


@pytest.mark.slow  # the 2,000-person comparison they share
def test_report_says_what_made_it(result):
    """Provenance: version, code, date, how it was made, each scenario's file and hash."""
    from netmob.sim.scenario import resolve_path

    page = render(result)
    assert "Provenance" in page and "netmob version" in page and "from Python" in page
    assert "Report made (UTC)" in page
    for name in result.scenarios:
        path = resolve_path(name)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        assert f"Scenario {name}" in page and str(path) in page and sha in page
    assert "none: the schema&#x27;s fixed values" in page or "schema's fixed values" in page
    made = render(result, ["netmob", "compare", "baseline", "genie"])
    assert "netmob compare baseline genie" in made and "from Python" not in made


def test_cli_compare_writes_outputs(tmp_path):
    r = netmob(
        "compare",
        "baseline",
        "plans",
        "--people",
        "150",
        "--weeks",
        "6",
        "--replicates",
        "2",
        "--out",
        str(tmp_path),
        "--threshold",
        "15000",
        "--xlsx",
    )
    assert r.returncode == 0, r.stderr
    value = pd.read_csv(tmp_path / "value.csv")
    assert {15_000, 0, 50_000} <= set(value.threshold) and 20_000 in set(value.threshold)
    effects = pd.read_csv(tmp_path / "effects.csv")
    assert list(effects.columns) == [
        "scenario",
        "outcome",
        "group",
        "mean_diff",
        "ci_low",
        "ci_high",
        "draws_low",
        "draws_high",
        "week",
        "extrapolated",
    ]
    assert set(effects.week) == {6} and not effects.extrapolated.any()  # no horizon before 6
    assert "net_benefit_15000" in set(effects.outcome)
    assert "chance cost-effective, GBP 15k/QALY" in r.stdout
    assert len(pd.read_parquet(tmp_path / "runs.parquet")) == 4
    assert (tmp_path / "report.html").stat().st_size > 10_000
    report = (tmp_path / "report.html").read_text()
    assert "netmob compare baseline plans --people 150" in report
    u = json.loads((tmp_path / "manifest.json").read_text())["settings"]["uncertainty"]
    posterior = hashlib.sha256(Path(u["file"]).read_bytes()).hexdigest()[:12]
    assert u["kind"] in report and u["file"] in report and posterior in report
    sheets = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)
    assert list(sheets) == ["headline", "effects", "value for money", "parameters", "provenance"]
    assert list(sheets["headline"].columns) == [
        "scenario", "measure", "mean", "ci_low", "ci_high", "draws_low", "draws_high"
    ]  # fmt: skip
    assert "SWEMWBS, referred" in set(sheets["headline"]["measure"])
    assert len(sheets["effects"]) == len(effects)
    assert {15_000, 20_000} <= set(sheets["value for money"]["threshold"])
    params = sheets["parameters"].set_index("parameter")
    assert list(params.columns) == ["baseline", "plans"]
    assert (params.loc["population.n_people"] == 150).all()
    assert (params.loc["run.weeks"] == 6).all()
    unwrapped = r.stdout.replace("\n", "")  # Rich wraps a long path at the terminal's width
    assert "Effects against baseline" in r.stdout and "report.html" in unwrapped
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    "args, words",
    [
        (["baseline"], ["at least one other"]),
        (["baseline", "genie", "--replicates", "1"], ["--replicates", "2 or more"]),
        (["baseline", "nosuch"], ["nosuch", "not found"]),
        (["baseline", "genie", "--people", "0"], ["population.n_people", "0"]),
        (["baseline", "genie", "--threshold", "-5"], ["--threshold", "-5.0", "0 or more"]),
        (["baseline", "genie", "--discount", "3.5"], ["--discount", "3.5", "0 to 0.15"]),
    ],
)
def test_cli_compare_bad_input(tmp_path, args, words):
    r = netmob("compare", *args, "--out", str(tmp_path), in_process=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    for w in words:
        assert w in r.stderr, r.stderr


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)"
)
def test_report_renders_in_chromium(result, tmp_path, shots):
    """Open the report in headless Chromium: no console errors, every figure loaded; keep a screenshot."""
    from playwright.sync_api import sync_playwright

    html = tmp_path / "report.html"
    html.write_text(render(result))
    errors: list[str] = []
    args = CHROMIUM_ARGS
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(html.as_uri())
        widths = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
        )
        headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert errors == []
    assert len(widths) == 6 and all(w > 300 for w in widths)
    assert "Headline" in headings and "Cost against QALYs" in headings
    assert np.fromfile(shot, dtype=np.uint8).size > 20_000
    if shots != tmp_path:  # make screenshots
        shutil.copy(shot, shots / "report.png")


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)"
)
def test_report_prints_to_pdf_with_every_headline_measure(result, tmp_path):
    """Print the report to PDF (A4) in headless Chromium, as a commissioner would: every
    headline measure is in its text, and the long table of all effects is left out with a
    line saying which files hold it."""
    pypdf = pytest.importorskip("pypdf")
    from playwright.sync_api import sync_playwright

    html = tmp_path / "report.html"
    html.write_text(render(result))
    pdf = tmp_path / "report.pdf"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(html.as_uri())
        page.emulate_media(media="print")
        page.evaluate("dispatchEvent(new Event('beforeprint'))")  # as printing does
        page.pdf(path=str(pdf), format="A4", print_background=True)
        browser.close()
    reader = pypdf.PdfReader(pdf)
    text = " ".join((pg.extract_text() or "") for pg in reader.pages)
    text = " ".join(unicodedata.normalize("NFKC", text).split())  # "ﬁ" ligatures as "fi"
    assert len(reader.pages) >= 3
    for measure in by_measure(headline(result))["measure"]:
        assert " ".join(measure.split()) in text, measure
    assert "mean_diff" not in text and "Provenance" in text  # the long table: in its files
    # effects.csv: every effect at each horizon (26 and 39 weeks) and at the end
    assert f"The table ({len(by_horizon(result))} rows) is in effects.csv" in text


def test_headline_cell_never_shows_minus_zero():
    """A difference that rounds to nothing reads '+0', not '-0' (it once did)."""
    from netmob.analysis.compare import _cell

    e = pd.DataFrame(
        [("a", "service_cost", "population", -0.447, -1.69, 0.3)],
        columns=["scenario", "outcome", "group", "mean_diff", "ci_low", "ci_high"],
    )
    assert _cell(e, "a", "service_cost", "population", 0) == "+0 (-2 to +0)"


@pytest.mark.slow  # the 2,000-person comparison they share
def test_in_brief_follows_the_numbers(result):
    """The brief names the scenario with the larger wellbeing effect first, gives totals
    that are the per-person effects times the population, and the best option from the
    value table."""
    from netmob.analysis.brief import _money, in_brief

    wellbeing, over_time, value, totals = in_brief(result)
    assert over_time.startswith("Over time, SWEMWBS of the people referred: at 26 weeks")
    assert "at 52 weeks" in over_time and "extrapolat" not in over_time
    e = result.effects.query("outcome == 'swemwbs' and group == 'referred'")
    best = e.loc[e.mean_diff.idxmax(), "scenario"]
    assert wellbeing.startswith(f"Wellbeing of the people referred: {best} gains most")
    at = result.value[result.value.threshold == 20_000].set_index("scenario")
    p_ref = 1 - at.prob_best.sum()
    top = "baseline (no change)" if p_ref > at.prob_best.max() else at.prob_best.idxmax()
    assert f"the best option is {top}" in value
    cost = effect(result, "genie", "intervention_cost_per_person", "population").mean_diff * 2000
    qalys = effect(result, "genie", "qalys", "population").mean_diff * 2000
    assert f"genie GBP {_money(cost)} in programme costs" in totals
    assert f"{qalys:+.1f} QALYs" in totals and "over 52 weeks" in totals


@pytest.mark.slow  # the 2,000-person comparison they share
def test_in_brief_says_when_an_effect_is_unclear_or_large(result):
    """Edited effects (a copy): an interval across zero is called unclear; an effect of 1.2
    points is said to reach what matters to one person (S1)."""
    import copy

    from netmob.analysis.brief import in_brief

    r = copy.copy(result)
    e = result.effects.copy()
    rows = (e.outcome == "swemwbs") & (e.group == "referred")
    e.loc[rows & (e.scenario == "genie"), ["mean_diff", "ci_low", "ci_high"]] = [0.1, -0.2, 0.4]
    e.loc[rows & (e.scenario == "genie_fewer_workers"), ["mean_diff", "ci_low", "ci_high"]] = [
        1.2,
        1.0,
        1.4,
    ]
    r.effects = e
    line = in_brief(r)[0]
    assert "genie_fewer_workers gains most (SWEMWBS +1.20" in line
    assert "no clear difference from baseline for genie" in line
    assert "genie_fewer_workers reaches the 1-3 points that matter" in line


def test_value_for_money_is_discounted_after_the_first_year():
    """Over 60 weeks at 15% a year, the discounted QALYs of each run are the first 52
    weeks in full plus the rest at 1 / 1.15, from the run's weekly totals; at rate 0 they
    equal the undiscounted QALYs exactly. Over 52 weeks (the fixture) nothing changes."""
    kw = dict(people=200, weeks=60, replicates=2, seed=8)
    res = run(compare_spec(["baseline", "genie"], discount=0.15, **kw))
    c = res.contrasts.set_index(["replicate", "outcome", "group"])
    for r in range(2):
        w = res.weekly.query("scenario == 'genie' and replicate == @r").set_index("week")
        q52, q60 = w.loc[52, "qalys_mean"], w.loc[60, "qalys_mean"]
        got = c.loc[(r, "qalys_disc", "population"), "level"]
        assert got == pytest.approx(q52 + (q60 - q52) / 1.15)
    flat = run(compare_spec(["baseline", "genie"], discount=0.0, **kw)).contrasts
    pop = flat[flat.group == "population"].set_index(["replicate", "outcome"])["level"]
    for r in range(2):
        assert pop[(r, "qalys_disc")] == pytest.approx(pop[(r, "qalys")], rel=1e-9)
        assert pop[(r, "net_cost_disc")] == pytest.approx(pop[(r, "net_cost")], rel=1e-9)


@pytest.mark.slow  # the 2,000-person comparison they share
def test_one_year_is_not_discounted(result):
    e = result.effects.set_index(["scenario", "outcome", "group"])["mean_diff"]
    assert e[("genie", "qalys_disc", "population")] == pytest.approx(
        e[("genie", "qalys", "population")], rel=1e-9
    )
