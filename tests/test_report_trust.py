"""Trust on the page: every report (and the app's What-if) says how far to trust it, from
the posterior's own record and the run; the few-replicates warning; what drives the
uncertainty only with enough draws, in plain words, corrected for testing every parameter.

Before, the report had no such section (the README did, by hand), the brief said "the best
option is plans, in 67% of replicates" from 3 replicates with no caution, and "What drives
the uncertainty" flagged parameters "beyond chance" from 5 replicates (rho +-0.975, p =
0.0048, one test of 27 each) as raw parameter names. Each test here failed on that code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netmob.analysis.brief import in_brief
from netmob.analysis.report import render
from netmob.analysis.trust import MIN_REPLICATES, trust_lines
from netmob.analysis.uncertainty import drivers, holm
from netmob.experiments.compare import compare_spec, run
from netmob.experiments.draws import shipped_posterior
from netmob.sim.params import field_info


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


def trust(page: str) -> str:
    t = text(page)
    return t[t.index("How far to trust this") : t.index("The scenarios")]


@pytest.fixture(scope="module")
def posterior(tmp_path_factory) -> Path:
    """A copy of the shipped posterior's folder (posterior, manifest, check), to edit."""
    d = tmp_path_factory.mktemp("posterior")
    for name in ("posterior.parquet", "manifest.json", "ppc.csv"):
        shutil.copy(shipped_posterior().parent / name, d / name)
    return d


@pytest.fixture(scope="module")
def drawn(posterior):
    """Baseline against PLANS, 5 replicates, each drawing from the copied posterior."""
    return run(compare_spec(
        ["baseline", "plans"], people=120, weeks=4, replicates=5, seed=2,
        uncertainty=str(posterior),
    ))  # fmt: skip


@pytest.mark.slow
def test_the_section_is_generated_from_the_posteriors_record(drawn, posterior):
    """What the manifest and its check say, the section says; change them and it changes
    (the negative control: no record, and it says it does not know)."""
    manifest = json.loads((posterior / "manifest.json").read_text())
    ppc = pd.read_csv(posterior / "ppc.csv")
    missed = ppc.loc[~ppc["inside"], "target"].tolist()
    t = trust(render(drawn))
    assert "not validated" in t
    assert f"misses {len(missed)} of the {manifest['targets']} published figures" in t
    assert all(f" {m}, " in t for m in missed)
    try:
        (posterior / "manifest.json").write_text(
            json.dumps(manifest | {"validated": True, "misses": [{"id": "E1"}]})
        )
        t = trust(render(drawn))
        assert "is validated" in t and "misses 1 of the 30" in t and " E1, the trial's" in t
        (posterior / "manifest.json").unlink()
        assert "was not found" in trust(render(drawn))
    finally:
        (posterior / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.slow
def test_few_replicates_are_flagged_in_the_report_and_the_brief(drawn):
    t = trust(render(drawn))
    assert "Only 5 paired replicates" in t and f"run {MIN_REPLICATES} or more" in t
    assert "Only 5 replicates: too few to read these as chances" in in_brief(drawn)[1]
    many = {"people": 100, "replicates": 40, "replicates_done": 40}
    line, warn = trust_lines(many)[-1]
    assert not warn and line.startswith("40 paired replicates")


def test_fixed_parameters_say_the_intervals_are_chance_alone():
    line, warn = trust_lines({"people": 300, "replicates": 30, "uncertainty": None})[0]
    assert warn and "only the chance variation of 300 people" in line


@pytest.mark.slow
def test_drivers_need_enough_draws(drawn):
    """5 replicates of a 27-parameter posterior: no parameter is called a driver."""
    t = text(render(drawn))
    part = t[t.index("What drives the uncertainty") :]
    assert "needs at least 30 different draws" in part
    assert "beyond chance" not in part and "p = " not in part


def test_holm_is_the_textbook_step_down():
    """Worked by hand: sorted 0.01, 0.03, 0.04 of m = 3 -> 0.03, max(0.06, 0.03), max(0.04,
    0.06); NaN is not a test."""
    assert holm([0.04, 0.01, 0.03]) == [0.06, 0.03, 0.06]
    assert holm([0.02, float("nan")]) == [0.02, pytest.approx(float("nan"), nan_ok=True)]


def test_drivers_correct_for_testing_every_parameter():
    """27 drawn parameters, 40 draws, the outcome follows the first only (fixed seed). Some
    of the 26 that do nothing pass p < 0.05 uncorrected (so the test has teeth); after
    Holm's correction only the real one does."""
    rng = np.random.default_rng(4)
    x = pd.DataFrame(rng.uniform(size=(40, 27)), columns=[f"p{i}" for i in range(27)])
    y = pd.DataFrame({"s": 2 * x["p0"] + rng.normal(scale=0.5, size=40)})
    d = drivers(x, y).set_index("parameter")
    noise = d.drop(index="p0")
    assert (noise["p_value"] < 0.05).sum() >= 1
    assert d.loc["p0", "p_holm"] < 0.05 and (noise["p_holm"] >= 0.05).all()


def test_drivers_in_plain_words(posterior, monkeypatch):
    """With enough draws the section names a driver by the schema's meaning of it."""
    from netmob.analysis import report

    def fake(draws_table, outcome, min_replicates=5):
        name = draws_table.columns[0]
        rows = [(sc, name, 0.8, 1e-4, 1e-3, "partial rank") for sc in outcome]
        return pd.DataFrame(
            rows, columns=["scenario", "parameter", "rank_correlation", "p_value", "p_holm",
                           "method"],
        )  # fmt: skip

    monkeypatch.setattr(report, "drivers", fake)
    monkeypatch.setattr(report, "draws_needed", lambda k: 2)
    result = run(compare_spec(
        ["baseline", "plans"], people=80, weeks=2, replicates=3, seed=2,
        uncertainty="assumptions",
    ))  # fmt: skip
    first = report.replicate_draws(result).columns[0]
    meaning = field_info(first)["meaning"]
    part = text(report.drivers_section(result))
    assert f"higher where {meaning} is higher ({first}, partial rank correlation +0.80" in part
