"""``netmob calibrate SPEC --area DIR``: every study on the area's people and resources, the
area part of the digest (another area never resumes this one's calibration)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.experiments.calibration.run import _check_folder
from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import load_calibration
from netmob.sim.area import load_area, write_template
from netmob.sim.errors import InputError

PARTICLE = {"pathways.advance": 0.1, "wellbeing.activity_effect": 0.8}


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    """A template area renamed, with more people living alone than the default."""
    d = tmp_path_factory.mktemp("area") / "place"
    write_template(d, people=150)
    text = (d / "area.yaml").read_text().replace("name: ", "name: Calibration Vale #", 1)
    (d / "area.yaml").write_text(text.replace("living_alone: ", "living_alone: 0.55 #", 1))
    return d


def test_every_study_runs_on_the_area_at_the_specs_size(place):
    spec = load_calibration("tiny")
    on = spec.on_area(load_area(place))
    sim = Simulator(on)
    assert sim.runs.keys() == Simulator(spec).runs.keys()
    for (_, people), (params, _) in sim.runs.items():
        assert params.directory is not None and params.directory.area == "Calibration Vale"
        assert params.population.n_people == people == 20  # the spec's size, not the area's
        assert params.population.lives_alone == pytest.approx(0.55)
        assert params.run.weeks == 4  # the spec's fixed params still on top
    for params, _ in Simulator(spec).runs.values():
        assert params.directory is None
    values = sim.run(PARTICLE, seed=3)
    assert set(values) == {t.id for t in spec.targets}
    assert math.isfinite(values["N1"]) and math.isfinite(values["P4"])


def test_the_area_is_in_the_digest_but_not_its_folder(place, tmp_path):
    spec = load_calibration("tiny")
    on = spec.on_area(load_area(place))
    assert on.digest() != spec.digest() and on.sampling_digest() != spec.sampling_digest()
    assert on.definition()["area"]["name"] == "Calibration Vale"
    assert "folder" not in on.definition()["area"] and on.area_record()["folder"] == str(place)
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    for f in place.iterdir():
        (moved / f.name).write_bytes(f.read_bytes())
    assert spec.on_area(load_area(moved)).digest() == on.digest()
    (moved / "area.yaml").write_text(
        (moved / "area.yaml").read_text().replace("living_alone: 0.55", "living_alone: 0.5")
    )
    assert spec.on_area(load_area(moved)).digest() != on.digest()


def test_another_area_does_not_resume_the_calibration(place, tmp_path):
    spec = load_calibration("tiny")
    on = spec.on_area(load_area(place))
    out = tmp_path / "cal"
    out.mkdir()
    manifest = {"spec": "tiny", "digest": on.digest(), "definition": on.definition()}
    (out / "manifest.json").write_text(json.dumps(manifest, default=str))
    assert _check_folder(on, out)["digest"] == on.digest()  # the same area resumes
    with pytest.raises(InputError) as err:
        _check_folder(spec, out)  # no area: refused
    assert "area 'Calibration Vale'" in str(err.value) and "no area" in str(err.value)


def test_a_bad_area_stops_calibrate_with_exit_2(place, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in place.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    text = (bad / "area.yaml").read_text()
    (bad / "area.yaml").write_text(text.replace("living_alone: 0.55", "living_alone: 1.7"))
    runner = CliRunner()
    out = tmp_path / "out"
    for folder, words in ((bad, "living_alone"), (tmp_path / "none", "no such area folder")):
        r = runner.invoke(app, ["calibrate", "tiny", "--out", str(out), "--area", str(folder)])
        assert r.exit_code == 2, r.output
        assert words in r.output and "Traceback" not in r.output
    assert not out.exists()  # nothing started
