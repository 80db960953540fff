"""The app's model, controls, figures, front-end files and command, without a browser."""

from __future__ import annotations

import io
import tarfile

import numpy as np
import pytest
from mesa.visualization import Slider
from mesa.visualization.solara_viz import _build_model_init_kwargs
from typer.testing import CliRunner

from netmob.app import assets as app_assets
from netmob.app import views as app_views
from netmob.app.circles import layout
from netmob.app.model import LEVERS, AppModel, controls, nice_step, scenario_params
from netmob.sim.errors import InputError
from netmob.sim.params import field_info
from netmob.sim.programmes.state import STAGES
from netmob.sim.scenario import library, load_scenario

SMALL = {"population.n_people": 120, "run.burn_in": 3, "run.weeks": 12}


@pytest.fixture(scope="module")
def genie():
    """GENIE in a small community, run for 12 weeks (its whole horizon)."""
    m = AppModel("genie", seed=4, **SMALL, **{"programme.workers": 2})
    while m.running:
        m.step()
    return m


# ---- controls from the schema -----------------------------------------------------------
def test_every_lever_is_a_parameter_and_its_range_lies_within_the_schemas_bounds():
    from netmob.experiments.levers import steer_range

    for name, step in LEVERS.items():
        info = field_info(name)  # raises for an unknown name
        if info["type"] != "bool":
            lo, hi = steer_range(name)  # the one table the app and EMA's levers share
            assert info["lo"] <= lo < hi <= info["hi"], name
            assert step is None or 0 < step <= hi - lo, name


@pytest.mark.parametrize("scenario", library())
def test_controls_start_at_the_scenarios_values_with_the_schemas_labels(scenario):
    params = scenario_params(scenario)
    flat = params.flat()
    specs = controls(params)
    assert list(specs) == list(LEVERS)
    for name, spec in specs.items():
        info = field_info(name)
        if isinstance(spec, Slider):
            assert spec.value == flat[name]
            assert spec.min <= spec.value <= spec.max
            assert spec.min >= info["lo"] and spec.max <= info["hi"]
            assert spec.label == f"{info['meaning']} [{info['unit']}]"
            assert spec.is_float_slider == (info["type"] == "float")
        else:
            assert spec == {"type": "Checkbox", "value": flat[name], "label": info["meaning"]}


def test_a_value_outside_a_levers_range_widens_the_slider_rather_than_being_clamped():
    params = scenario_params(None).with_overrides({"programme.workforce_scale": 8.0})
    spec = controls(params)["programme.workforce_scale"]
    assert spec.value == 8.0 and spec.max == 8.0


def test_nice_steps():
    assert nice_step(0.01) == 0.01
    assert nice_step(0.05) == 0.05
    assert nice_step(0.3) == 0.2
    assert nice_step(52 / 100) == 0.5
    assert nice_step(0) == 1.0


# ---- the model the app drives -----------------------------------------------------------
def test_the_model_starts_at_week_0_with_week_0_recorded():
    m = AppModel(None, seed=1, **SMALL)
    assert m.week == 0 and m.running
    frame = m.frame()
    assert frame["week"].tolist() == [0]
    m.step()
    assert m.frame()["week"].tolist() == [0, 1]


def test_overrides_apply_and_bad_ones_are_refused():
    m = AppModel("genie", seed=1, **SMALL, **{"programme.workers": 5})
    assert m.params.programme.workers == 5
    assert m.params.programme.mapping == load_scenario("genie").params.programme.mapping
    with pytest.raises(InputError, match="programme.workers"):
        AppModel("genie", seed=1, **SMALL, **{"programme.workers": -1})
    with pytest.raises(InputError, match="unknown parameter"):
        AppModel("genie", seed=1, **SMALL, **{"programme.wrokers": 5})


def test_mesas_reset_re_creates_the_model_from_the_settings(genie):
    """SolaraViz's Reset calls type(model)(**kwargs) with a Mesa scenario added."""
    settings = {"scenario_name": "baseline", "seed": 4, **SMALL, "pathways.nudge": False}
    kwargs = _build_model_init_kwargs(
        genie, settings, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    assert "scenario" in kwargs  # Mesa's own, which AppModel ignores
    fresh = type(genie)(**kwargs)
    assert fresh.scenario_name == "baseline" and fresh.seed == 4 and fresh.week == 0
    assert fresh.params.pathways.nudge is False
    assert fresh.params.programme.preset == "none"


def test_the_model_stops_at_the_horizon(genie):
    assert genie.week == genie.params.run.weeks and not genie.running
    rows = len(genie.frame())
    genie.step()  # Step with several weeks per click may ask for more
    assert genie.week == genie.params.run.weeks and len(genie.frame()) == rows


def test_changes_by_pathway_are_cumulative_and_match_the_models_tags(genie):
    from netmob.sim.programmes import outcomes

    frame = genie.frame()
    assert len(frame) == genie.week + 1
    for p in ("nudge", "mobilisation"):
        col = frame[f"changes_{p}_total"].to_numpy()
        assert (np.diff(col) >= 0).all()
        total = sum(int(v.sum()) for v in outcomes.changes(genie, p).values())
        assert col[-1] == total
    assert frame["changes_nudge_total"].iloc[-1] > 0  # GENIE's nudge acts within 12 weeks


def test_the_glance_counts_everyone_once(genie):
    g = genie.glance()
    assert g["types"].sum() == pytest.approx(1.0)
    assert list(g["stages"].index) == list(STAGES)
    assert g["stages"].sum() == len(genie.referred_people()) > 0


# ---- figures and words ------------------------------------------------------------------
def test_the_weekly_charts_draw_every_measure(genie):
    fig = app_views.weekly_figure(genie.frame())
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [c[0] for c in app_views.CHARTS]
    for ax, (_, _, _, lines) in zip(fig.axes, app_views.CHARTS, strict=True):
        assert len(ax.get_lines()) == 2 * len(lines)  # each line and its "now" dot
        assert all(len(line.get_xdata()) >= 1 for line in ax.get_lines())
    assert app_views.png(fig).startswith(b"\x89PNG")


def test_a_flat_measure_still_gets_a_readable_range():
    lo, hi = app_views.y_range(np.array([9.76, 9.761]), span=1.0)
    assert hi - lo >= 1.0 and lo < 9.76 and hi > 9.761
    lo, hi = app_views.y_range(np.array([0.0, 2.0]), span=10.0)
    assert lo == 0.0 and hi >= 10.0


def test_the_glance_figure_shows_types_and_stages(genie):
    fig = app_views.glance_figure(**genie.glance())
    types, stages = fig.axes
    assert len(types.patches) == 3 and len(stages.patches) == len(STAGES)
    labels = [t.get_text() for t in stages.get_yticklabels()]
    assert "re-valuing" in labels and "revaluing" not in labels


def test_a_persons_facts_and_changes_in_words(genie):
    referred = genie.referred_people()
    changed = referred[genie.programme.clients.first_change[referred] >= 1]
    net = layout(genie, int(changed[0]))
    facts = dict(app_views.person_facts(genie, net))
    assert facts["Programme"].startswith(f"referred in week {net.since}")
    assert "Mobilisation" in facts and "Readiness" in facts
    text = app_views.change_text(net)
    assert text.startswith(f"Since referral in week {net.since}: ")
    never = np.setdiff1d(np.arange(genie.n_target), referred)
    facts = dict(app_views.person_facts(genie, layout(genie, int(never[0]))))
    assert facts["Programme"] == "not referred" and "Mobilisation" not in facts


# ---- solara's front-end files -----------------------------------------------------------
def test_the_front_end_packages_are_those_solaras_page_loads():
    pkgs = app_assets.packages()
    text = app_assets.template_text()
    assert any(p.startswith("requirejs@") for p in pkgs)
    assert any(p.startswith("font-awesome@") for p in pkgs)
    apps = [p for p in pkgs if p.startswith("@widgetti/solara-vuetify")]
    assert len(apps) == 1 and apps[0] in text


def test_a_package_is_unpacked_whole_and_then_counts_as_present(tmp_path):
    tarball = tmp_path / "pkg.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, data in (("package/package.json", b"{}"), ("package/dist/a.js", b"1")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    cache = tmp_path / "cdn"
    spec = app_assets.packages()[0]
    assert spec in app_assets.missing(cache)
    app_assets.unpack(tarball, cache / spec)
    assert (cache / spec / "dist" / "a.js").read_bytes() == b"1"
    assert spec not in app_assets.missing(cache)


# ---- the command --------------------------------------------------------------------------
def test_netmob_app_serves_sim_app_with_solara_on_loopback(monkeypatch):
    import os

    from netmob.cli.main import app

    calls = []
    monkeypatch.setattr(os, "execvpe", lambda exe, args, env: calls.append((exe, args, env)))
    r = CliRunner().invoke(app, ["app", "--port", "9123"])
    assert r.exit_code == 0, r.output
    (exe, args, env) = calls[0]
    assert args[1:5] == ["-m", "solara", "run", "netmob.app.page"]
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--port") + 1] == "9123"
    assert "--no-open" in args and "--production" in args
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def test_netmob_app_refuses_a_port_out_of_range():
    from netmob.cli.main import app

    r = CliRunner().invoke(app, ["app", "--port", "70000"])
    assert r.exit_code == 2
