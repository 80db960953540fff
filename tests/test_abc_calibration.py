"""``netmob calibrate``: specs are validated, a tiny ABC-SMC runs end to end, gives the
same posterior on one worker and on two, and resumes after SIGKILL to the same result.

The tiny spec (``experiments/calibration/tiny.yaml``) runs 6-week communities of 30
people: it tests the machinery, not the evidence.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from netmob.experiments.backends import make_backend
from netmob.experiments.calibration.run import calibrate
from netmob.experiments.calibration.spec import load_calibration
from netmob.experiments.calibration.statistics import STATISTICS, Run
from netmob.sim.errors import InputError
from tests.conftest import netmob

ROOT = Path(__file__).resolve().parent.parent
TINY = yaml.safe_load((ROOT / "experiments/calibration/tiny.yaml").read_text())
PPC_COLUMNS = [
    "target",
    "published",
    "published_low",
    "published_high",
    "model_median",
    "model_low",
    "model_high",
    "inside",
]


def command(spec, out) -> list[str]:
    return [sys.executable, "-m", "netmob.cli.main", "calibrate", str(spec), "--out", str(out)]


def write(tmp_path: Path, **changes) -> Path:
    doc = {**TINY, **changes}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """The tiny calibration on one worker, here in this process."""
    out = tmp_path_factory.mktemp("tiny") / "out"
    result = calibrate(load_calibration("tiny"), out, make_backend("local", workers=1))
    return out, result


def test_outputs_are_complete_and_consistent(tiny_run):
    out, result = tiny_run
    spec = load_calibration("tiny")
    post = pd.read_parquet(out / "posterior.parquet")
    assert len(post) == spec.method.population
    assert math.isclose(post["weight"].sum(), 1.0, rel_tol=1e-9)
    for p in spec.priors:  # every particle inside its prior's support
        assert post[p.name].between(p.lo, p.hi).all(), p.name
    ppc = pd.read_csv(out / "ppc.csv")
    assert list(ppc.columns[: len(PPC_COLUMNS)]) == PPC_COLUMNS
    assert list(ppc["target"]) == [t.id for t in spec.targets]
    assert (ppc["sim_low"] <= ppc["sim_median"]).all() and (
        ppc["sim_median"] <= ppc["sim_high"]
    ).all()
    gens = pd.read_csv(out / "generations.csv")
    assert list(gens["generation"]) == list(range(spec.method.generations))
    assert gens["epsilon"].is_monotonic_decreasing  # the tolerance tightens
    man = json.loads((out / "manifest.json").read_text())
    assert man["status"] == "complete" and man["digest"] == spec.digest()
    assert man["simulations"] >= int(gens["simulations"].sum())  # and the prior sample
    assert man["targets"] == len(spec.targets)
    assert len(pd.read_parquet(out / "ppc_draws.parquet")) == spec.method.ppc_draws


@pytest.mark.slow
def test_same_posterior_on_two_workers(tiny_run, tmp_path):
    out, _ = tiny_run
    calibrate(load_calibration("tiny"), tmp_path / "two", make_backend("local", workers=2))
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "posterior.parquet"),
        pd.read_parquet(tmp_path / "two" / "posterior.parquet"),
    )
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "ppc.csv"), pd.read_csv(tmp_path / "two" / "ppc.csv")
    )


@pytest.mark.slow
def test_resumes_after_sigkill_to_the_same_posterior(tiny_run, tmp_path):
    out, _ = tiny_run
    spec = ROOT / "experiments/calibration/tiny.yaml"
    killed = tmp_path / "killed"
    log = tmp_path / "log.txt"
    proc = subprocess.Popen(
        command(spec, killed), cwd=ROOT, stderr=log.open("w"), start_new_session=True
    )
    deadline = time.time() + 240
    while "t: 1, eps" not in log.read_text():  # generation 0 is in the database
        assert proc.poll() is None and time.time() < deadline, log.read_text()
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes
    proc.wait()
    assert not (killed / "posterior.parquet").exists()
    again = subprocess.run(command(spec, killed), cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert json.loads((killed / "manifest.json").read_text())["resumed"] is True
    report = (killed / "report.html").read_text()  # the command writes the report
    assert "Posterior-predictive check" in report and "Convergence" in report
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "posterior.parquet"), pd.read_parquet(killed / "posterior.parquet")
    )


def test_a_finished_calibration_is_not_run_again(tiny_run):
    out, result = tiny_run
    again = calibrate(load_calibration("tiny"), out, make_backend("local", workers=1))
    assert again.manifest["simulations"] == result.manifest["simulations"]
    pd.testing.assert_frame_equal(again.ppc, result.ppc)


def test_a_folder_of_another_spec_is_refused(tiny_run, tmp_path):
    out, _ = tiny_run
    other = write(tmp_path, seed=2)
    r = netmob("calibrate", other, "--out", out, in_process=True)
    assert r.returncode == 2 and "another spec" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_a_larger_budget_continues_the_same_calibration(tiny_run, tmp_path):
    """One generation, then the same spec asking for two: the second is added to the
    first, and the posterior is the one a straight two-generation run gives (each
    generation's tasks are seeded from the spec's seed, the generation and the place)."""
    out, _ = tiny_run
    short = {**TINY["method"], "generations": 1}
    folder = tmp_path / "grown"
    calibrate(
        load_calibration(write(tmp_path, method=short)), folder, make_backend("local", workers=1)
    )
    assert len(pd.read_csv(folder / "generations.csv")) == 1
    grown = calibrate(load_calibration(write(tmp_path)), folder, make_backend("local", workers=1))
    assert grown.manifest["generations"] == 2 and len(grown.manifest["budget_changes"]) == 1
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "posterior.parquet"), pd.read_parquet(folder / "posterior.parquet")
    )
    with pytest.raises(InputError, match="fewer generations"):  # it cannot be shortened
        calibrate(
            load_calibration(write(tmp_path, method=short)),
            folder,
            make_backend("local", workers=1),
        )


BAD = [
    ({"priors": {"no.such": {"lo": 0, "hi": 1}}}, "priors.no.such", "unknown parameter"),
    (
        {"priors": {"pathways.advance": {"dist": "uniform", "lo": 0.1, "hi": 5.0}}},
        "priors.pathways.advance.hi",
        "outside the schema's bounds",
    ),
    (
        {"priors": {"pathways.advance": {"dist": "normal", "lo": 0.1, "hi": 0.2}}},
        "priors.pathways.advance.dist",
        "unknown distribution",
    ),
    (
        {"priors": {"pathways.advance": {"lo": 0.2, "hi": 0.1}}},
        "priors.pathways.advance",
        "lo < hi",
    ),
    ({"priors": {"programme.contacts": {"lo": 2, "hi": 8}}}, "priors.programme.contacts", "real"),
    ({"priors": {}}, "priors", "needs free parameters"),
    ({"targets": [{**TINY["targets"][0], "id": "Z9"}]}, "targets[Z9].id", "EVIDENCE.md"),
    (
        {"targets": [{**TINY["targets"][0], "statistic": "median"}]},
        "targets[N1].statistic",
        "unknown statistic",
    ),
    (
        {"targets": [{**TINY["targets"][1], "control": None}]},
        "targets[E3].control",
        "paired control",
    ),
    (
        {"targets": [{**TINY["targets"][0], "interval": [9.0, 7.0]}]},
        "targets[N1].interval",
        "lo < hi",
    ),
    (
        {"targets": [{**TINY["targets"][0], "published": 12.0}]},
        "targets[N1].published",
        "outside its interval",
    ),
    (
        {"targets": [{**TINY["targets"][0], "scenario": "no_such_scenario"}]},
        "targets[N1].scenario",
        "scenario",
    ),
    ({"targets": [TINY["targets"][0], TINY["targets"][0]]}, "targets", "unique"),
    ({"method": {"quantile": 1.5}}, "method.quantile", "out of range"),
    ({"method": {"particles": 10}}, "method.particles", "unknown key"),
    ({"method": {"kernel_scaling": 0}}, "method.kernel_scaling", "out of range"),
    ({"method": {"population": 3}}, "method.population", "too few particles"),
    ({"extends": "no_such_spec"}, "extends", "not found"),
    ({"params": {"pathways.advance": 0.1}}, "params.pathways.advance", "both free"),
    (
        {"priors": {"programme.wait_leave": {"lo": 0.0, "hi": 0.1}}},
        "priors.programme.wait_leave",
        "sets this parameter itself",
    ),
]


@pytest.mark.parametrize("changes,field,words", BAD, ids=[b[1] for b in BAD])
def test_bad_specs_name_the_field(tmp_path, changes, field, words):
    path = write(tmp_path, **changes)
    with pytest.raises(InputError) as err:
        load_calibration(path)
    e = err.value
    assert e.file == str(path.resolve()) and e.field == field, str(e)
    assert words in str(e)


def test_a_bad_spec_stops_the_command_with_exit_2(tmp_path):
    path = write(tmp_path, method={"quantile": 1.5})
    r = netmob("calibrate", path, "--out", tmp_path / "out", in_process=True)
    assert r.returncode == 2
    assert "method.quantile" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()  # nothing started


def test_distance_is_in_published_half_intervals():
    spec = load_calibration("tiny")
    n1, e3, p4 = spec.targets
    assert n1.distance(8.5) == 0 and n1.distance(10.5) == pytest.approx(2.0)
    assert e3.distance(0.3) == 0 and e3.distance(-1.0) == pytest.approx(1.0)  # band
    assert p4.distance(float("nan")) == math.inf


def test_the_posterior_is_the_last_generation_whose_weights_did_not_collapse():
    """A generation with one particle carrying 88% of the weight (effective sample size
    1.3, as the default calibration's fourth generation had) is a point, not a posterior:
    the last generation with at least ``min_ess`` effective particles is kept."""
    from netmob.experiments.calibration.outputs import posterior_generation

    assert posterior_generation([100, 30.4, 13.8, 1.28], min_ess=10) == 2
    assert posterior_generation([100, 30.4, 13.8, 12.0], min_ess=10) == 3  # none collapsed
    assert posterior_generation([100, 5.0, 3.0], min_ess=10) == 0  # the prior's sample
    assert posterior_generation([8, 2.0], min_ess=10) == 0  # capped at the population


def test_the_predictive_interval_adds_the_studys_own_error():
    """A published value just outside the model's narrow interval but well inside what a
    repeat of the study could publish is 'inside_repeat' and not 'inside' (the strict
    check); a band states no sampling error, so its two intervals agree. Fixed seed; the
    model's draws are exact."""
    from netmob.experiments.calibration.outputs import ppc_table, study_sd

    spec = load_calibration("tiny")
    n1, e3, p4 = spec.targets  # N1: 8.5 (7.5 to 9.5); E3: band; P4: 0.256 (0.217-0.297)
    sims = pd.DataFrame(
        {
            n1.id: np.linspace(8.9, 9.1, 100),
            e3.id: np.linspace(0.0, 0.2, 100),
            p4.id: np.full(100, 0.5),
        }
    )
    ppc = ppc_table(spec, sims).set_index("target")
    assert study_sd(n1) == pytest.approx(1.0 / 1.96)
    row = ppc.loc[n1.id]
    assert row.model_low == pytest.approx(8.91, abs=0.01) and not row.inside
    assert row.inside_repeat and row.sim_low < 8.5 < row.sim_high
    # the predictive 90% interval of 9 +- N(0, 0.51): about 9 -+ 0.84 (tolerance 0.05)
    assert row.sim_low == pytest.approx(9.0 - 1.645 / 1.96, abs=0.05)
    band = ppc.loc[e3.id]
    assert (band.sim_low, band.sim_high) == (band.model_low, band.model_high)
    assert not ppc.loc[p4.id].inside and not ppc.loc[p4.id].inside_repeat  # 6 SDs away


def _run(people: pd.DataFrame, **summary) -> Run:
    return Run(people=people, summary=summary)


def test_statistics_on_a_hand_made_trial():
    arm = pd.DataFrame(
        {
            "person_id": [0, 1, 2, 3],
            "referred": [True, True, True, False],
            "contacts": [3, 1, 0, 0],
            "high_fidelity": [True, False, False, False],
            "eq5d": [0.8, 0.7, 0.6, 0.5],
        }
    )
    control = arm.assign(eq5d=[0.6, 0.6, 0.6, 0.9])
    a, c = _run(arm), _run(control)
    # ITT: everyone referred, seen or not: (0.2 + 0.1 + 0) / 3
    assert STATISTICS["itt_effect"].fn(a, c, "eq5d", None) == pytest.approx(0.1)
    # high fidelity among the two seen
    assert STATISTICS["high_fidelity_share"].fn(a, None, None, None) == 0.5
    # high (0.2) minus low (0.1) among people seen
    assert STATISTICS["fidelity_contrast"].fn(a, c, "eq5d", None) == pytest.approx(0.1)


def test_compare_draws_paired_particles_from_a_posterior(tiny_run):
    out, _ = tiny_run
    from netmob.experiments.compare import compare_spec, plan

    post = pd.read_parquet(out / "posterior.parquet")
    spec = compare_spec(
        ["trial_pals", "trial_pals_genie"],
        people=20,
        weeks=4,
        replicates=8,
        seed=3,
        uncertainty=out,  # a calibration folder: its posterior.parquet
    )
    assert spec.uncertainty.is_posterior
    assert spec.settings()["uncertainty"]["kind"] == "posterior"
    names = [p.name for p in load_calibration("tiny").priors]
    rows = {tuple(r) for r in post[names].itertuples(index=False)}
    for task in plan(spec):
        assert tuple(task.draw[n] for n in names) in rows  # each draw is a particle
        values = {
            tuple(params[n.split(".")[0]][n.split(".")[1]] for n in names)
            for _, params in task.scenarios
        }
        assert len(values) == 1  # the same draw for both scenarios: differences stay paired
    again = plan(spec)
    assert [t.draw for t in again] == [t.draw for t in plan(spec)]  # from the seed


def test_zero_weight_particles_are_never_drawn(tiny_run, tmp_path):
    out, _ = tiny_run
    from netmob.experiments.draws import draws, load_posterior

    post = pd.read_parquet(out / "posterior.parquet")
    post["weight"] = 0.0
    post.loc[2, "weight"] = 1.0
    post.to_parquet(tmp_path / "one.parquet")
    d = draws(load_posterior(tmp_path / "one.parquet"), replicates=20, seed=1)
    assert (d["pathways.advance"] == post.loc[2, "pathways.advance"]).all()


@pytest.mark.parametrize(
    "change,field",
    [
        (lambda p: p.rename(columns={"pathways.advance": "pathways.nope"}), "pathways.nope"),
        (lambda p: p.assign(**{"pathways.advance": 7.0}), "pathways.advance"),
        (lambda p: p.drop(columns="weight"), "weight"),
        (lambda p: p.assign(weight=-1.0), "weight"),
    ],
    ids=["unknown parameter", "outside bounds", "no weight", "negative weight"],
)
def test_a_bad_posterior_is_refused(tiny_run, tmp_path, change, field):
    out, _ = tiny_run
    from netmob.experiments.draws import load_posterior

    path = tmp_path / "bad.parquet"
    change(pd.read_parquet(out / "posterior.parquet")).to_parquet(path)
    with pytest.raises(InputError) as err:
        load_posterior(path)
    assert err.value.field == field and err.value.file == str(path.resolve())


def test_compare_command_with_a_posterior_says_so(tiny_run, tmp_path):
    out, _ = tiny_run
    args = ["--people", 20, "--weeks", 3, "--replicates", 2, "--workers", 1]
    r = netmob("compare", "trial_pals", "trial_pals_genie", *args, "--uncertainty", out,
               "--out", tmp_path / "cmp", "--quiet", in_process=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "cmp" / "report.html").read_text()
    assert "posterior" in report and "calibrated" in report


def test_the_default_spec_covers_the_published_record():
    from netmob.experiments.calibration import library

    assert {"default", "tiny"} <= set(library())
    spec = load_calibration("default")
    rows = {t.id.split(".")[0] for t in spec.targets}
    need = {"N1", "N2", "N3", "N4", "N7", "T1", "T2", "P3", "P5", "S1", "S2"}  # P4: dropped
    assert need | {f"E{i}" for i in range(1, 7)} <= rows
    trials = {t.scenario for t in spec.targets if t.id[0] == "E"}
    assert {"trial_bright_plans", "trial_pals_genie", "trial_deep_end_link_workers"} <= trials
    assert all(t.note or not t.band for t in spec.targets)  # every band says why
    pilot = load_calibration("pilot")  # extends default: its targets and priors, less budget
    assert pilot.targets == spec.targets and pilot.priors == spec.priors
    assert spec.method.kind == "history" and pilot.method.population == 60  # pilot: ABC


def test_the_proposal_width_reaches_pyabc():
    from netmob.experiments.calibration.abc import build

    spec = load_calibration("hour")  # the default's targets, by ABC-SMC
    assert spec.method.kernel_scaling == 3
    abc = build(spec, make_backend("local", workers=1))
    assert [t.scaling for t in abc.transitions] == [3]


@pytest.mark.slow
def test_recovery_small_finds_the_known_values(tmp_path):
    """Calibrating to statistics simulated at known values recovers them: the truth lies
    inside each parameter's 90% credible interval, and the posterior is narrower than the
    prior (the data are informative: this fails if the sampler ignored the distance)."""
    from netmob.experiments.calibration.recovery import recover

    spec = load_calibration(ROOT / "tests/data/recovery.yaml")
    table = recover(spec, tmp_path / "rec", workers=1)
    assert table["inside"].all(), table
    widths = {p.name: p.hi - p.lo for p in spec.priors}
    narrowed = [(r.high - r.low) / widths[r.parameter] for r in table.itertuples()]
    assert max(narrowed) < 0.8, table  # each 90% interval spans under 80% of its prior


def test_a_held_out_target_is_predicted_but_not_fitted():
    from netmob.experiments.calibration.abc import Distance

    spec = load_calibration("tiny")
    held = spec.holding_out(["P4"])
    x = {"N1": 8.5, "E3": 0.0, "P4": 0.256}
    far = {**x, "P4": 0.9}  # P4 far off: only the spec that fits it notices
    assert Distance(held)(x, {}) == Distance(held)(far, {}) == 0
    assert Distance(spec)(far, {}) > 0
    assert [t.id for t in held.fitted()] == ["N1", "E3"] and held.digest() != spec.digest()
    with pytest.raises(InputError, match="no target of that id"):
        spec.holding_out(["E9"])


def test_the_shipped_posterior_fits_the_schema_and_its_spec():
    """The posterior netmob ships: every column a schema parameter inside its bounds,
    exactly the free parameters of the spec that made it (its manifest's definition),
    weights that sum to one, and a predictive check of that spec's targets. A schema
    change that breaks it (a renamed parameter, narrower bounds) fails here. It is drawn
    by default only when validated, and then only if the default spec as it is now made
    it (tests/test_posterior_gate.py)."""
    from netmob.experiments.calibration import gate
    from netmob.experiments.specfile import shipped_posterior
    from netmob.sim.params import field_info

    here = shipped_posterior().parent
    post = pd.read_parquet(shipped_posterior())
    manifest = json.loads((here / "manifest.json").read_text())
    names = [p["name"] for p in manifest["definition"]["priors"]]
    assert sorted(c for c in post.columns if c not in ("weight", "distance")) == sorted(names)
    for name in names:
        info = field_info(name)
        assert info["lo"] <= post[name].min() and post[name].max() <= info["hi"], name
    assert math.isclose(post["weight"].sum(), 1.0, rel_tol=1e-9)
    ppc = pd.read_csv(here / "ppc.csv")
    assert list(ppc["target"]) == [t["id"] for t in manifest["definition"]["targets"]]
    verdict = gate.shipped()
    assert verdict.validated == (
        manifest.get("validated") is True
        and manifest["digest"] == load_calibration("default").digest()
    )
