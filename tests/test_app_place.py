"""The app on an area, without a browser: Explore's model runs on the area chosen (as the
What-if does) and steps a reference beside it from the same seed; the page's messages speak
of its boxes, not the command line's options.

Before, Explore and A person's network always ran the default community (``AppModel`` took
no area), Explore plotted the scenario alone (GENIE's mean SWEMWBS falls as the community
ages, so GENIE looked harmful), and a missing area folder said "field '--area'". Each test
here failed on that code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netmob.analysis.report import drivers_section, trust_section, value_section
from netmob.app.area import Chosen, from_folder
from netmob.app.model import AppModel
from netmob.app.words import options_left, web_words
from netmob.experiments.compare import compare_spec, run
from netmob.sim.area import load_area, write_template
from tests.conftest import posterior_copy

SMALL = {"run.weeks": 6, "run.burn_in": 3}


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("app") / "place"
    write_template(d, people=150, seed=1)
    text = (d / "area.yaml").read_text()
    (d / "area.yaml").write_text(re.sub(r"(?m)^name: .*$", "name: Testshire Vale", text))
    return d


def test_explore_runs_on_the_area(place):
    area = load_area(place)
    m = AppModel("genie", seed=1, area=area, **SMALL)
    assert m.n_target == 150 and m.place == "Testshire Vale"
    assert len(m.resources) == len(area.directory)
    assert AppModel("genie", seed=1, **SMALL | {"population.n_people": 80}).place == (
        "the default community"
    )


def test_the_reference_is_the_same_run_without_the_programme(place):
    """Paired: at week 0 the scenario and its reference are the same community (equal
    numbers); after some weeks they differ only where the programme acts. A scenario
    without a programme has none (switched off = absent)."""
    m = AppModel("genie", seed=3, area=load_area(place), **SMALL)
    ref = m.reference_frame()
    assert m.reference_label == "no programme"
    week0 = m.frame().iloc[0]
    for col in ("swemwbs_mean", "lonely_share", "network_size_mean"):
        assert week0[col] == ref.iloc[0][col], col
    for _ in range(6):
        m.step()
    ref = m.reference_frame()
    assert len(ref) == len(m.frame()) == 7 and ref["week"].tolist() == m.frame()["week"].tolist()
    assert m.frame()["people_referred"].iloc[-1] > 0
    assert "people_referred" not in ref or ref["people_referred"].fillna(0).max() == 0
    for name in ("baseline", "smi_baseline"):
        assert AppModel(name, seed=3, **SMALL | {"population.n_people": 80}).reference is None


def test_messages_speak_of_the_pages_boxes(tmp_path):
    bad = from_folder(str(tmp_path / "nowhere"), Chosen())
    assert "no such area folder" in bad.error and options_left(bad.error) == []
    assert "the area folder box" in bad.error


def test_the_report_parts_the_whatif_shows_have_no_options(tmp_path):
    """Every part of the report the What-if shows, in the page's words, names no option
    (the negative control: as the report has them, they do)."""
    result = run(
        compare_spec(
            ["baseline", "genie"],
            people=60,
            weeks=2,
            replicates=2,
            seed=1,
            uncertainty=str(posterior_copy(tmp_path / "posterior")),
        )
    )
    parts = [value_section(result), drivers_section(result), trust_section(result)]
    assert options_left(" ".join(parts))  # the report speaks to the command line
    assert [options_left(web_words(p)) for p in parts] == [[], [], []]
