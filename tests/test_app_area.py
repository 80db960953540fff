"""The What-if view's area, without a browser: a folder, dropped files, ``netmob app --area``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netmob.app.area import ENV, Chosen, describe, from_files, from_folder, preloaded
from netmob.sim.area import write_template


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("area") / "place"
    write_template(d, people=120)
    text = (d / "area.yaml").read_text()
    (d / "area.yaml").write_text(re.sub(r"(?m)^name: .*$", "name: Dropshire", text))
    return d


def dropped(folder: Path, *names: str) -> list[dict]:
    return [{"name": n, "size": 0, "data": (folder / n).read_bytes()} for n in names]


def test_a_folder_loads_and_is_described(place):
    now = from_folder(str(place), Chosen())
    assert now.area.name == "Dropshire" and not now.error and now.source == str(place)
    facts = dict(describe(now.area))
    assert facts["people"] == "120 with long-term conditions"
    assert re.fullmatch(
        r"area\.yaml [0-9a-f]{8}, resources\.csv [0-9a-f]{8}", facts["files (SHA-256)"]
    )


def test_a_bad_folder_keeps_the_area_and_says_why_in_one_line(place, tmp_path):
    now = from_folder(str(place), Chosen())
    for folder in (str(tmp_path / "nowhere"), "  "):
        bad = from_folder(folder, now)
        assert bad.area is now.area and bad.error and "\n" not in bad.error


def test_dropped_files_make_an_area(place, tmp_path):
    both = from_files(dropped(place, "area.yaml", "resources.csv"), Chosen())
    assert both.area.name == "Dropshire" and both.source == "dropped area.yaml and resources.csv"
    assert both.area.directory.files == from_folder(str(place), Chosen()).area.directory.files
    alone = from_files(dropped(place, "resources.csv"), Chosen())  # netmob's default people
    assert alone.area.people == 2000 and len(alone.area.directory) == len(both.area.directory)
    on_loaded = from_files(dropped(place, "resources.csv"), both)  # the loaded area's profile
    assert on_loaded.area.name == "Dropshire"
    (tmp_path / "resources.csv").write_text("name,kind\nWalk,dancing\n")
    bad = from_files(dropped(tmp_path, "resources.csv"), both)
    assert bad.area is both.area and "resources.csv" in bad.error and "\n" not in bad.error
    (tmp_path / "notes.txt").write_text("hello")
    assert "area.yaml and resources.csv" in from_files(dropped(tmp_path, "notes.txt"), both).error
    assert "drop both" in from_files(dropped(place, "area.yaml"), Chosen()).error


def test_netmob_app_area_is_read_from_the_environment(place, monkeypatch):
    monkeypatch.setenv(ENV, str(place))
    assert preloaded().area.name == "Dropshire"
    monkeypatch.delenv(ENV)
    assert preloaded() == Chosen()
