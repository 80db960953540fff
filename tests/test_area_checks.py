"""The area checked against itself: `area validate` says how many places a week per person
the directory offers beside the default community and warns of a far thinner one; `run
--area` checks the community against the area's own profile.

Before, a 39-row directory (a tenth of the template's places) validated as fine, though it
halves GENIE's effect, and `run --area` marked the area's own, deliberate share living
alone (0.402) as "outside" against the default community's 20-30%. Each test here failed
on that code (no places line, no warning; "outside").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.sim.area import load_area, write_template
from netmob.sim.area.folder import THIN, default_places_per_person

PEOPLE = 600


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    """The template (the default community's places), and the same area with every tenth
    resource only (a directory a tenth as rich)."""
    root = tmp_path_factory.mktemp("checks")
    full, thin = root / "full", root / "thin"
    for d in (full, thin):
        write_template(d, people=PEOPLE, seed=1)
    with (thin / "resources.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    with (thin / "resources.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows[::10])
    return full, thin


def test_validate_says_places_per_person_beside_the_default(folders):
    full, thin = folders
    default = default_places_per_person(PEOPLE)
    r = CliRunner().invoke(app, ["area", "validate", str(full)])
    assert r.exit_code == 0
    said = re.search(r"Places a week per person: ([\d.]+) \(the default community of 600 "
                     r"people: ([\d.]+)\)", r.output)  # fmt: skip
    assert said and float(said.group(1)) == float(said.group(2)) == pytest.approx(default, 0.05)
    assert "warning" not in r.output
    r = CliRunner().invoke(app, ["area", "validate", str(thin)])
    assert r.exit_code == 0  # valid, but flagged
    mine = load_area(thin).places_per_person()
    assert mine < THIN * default  # the negative control: it is far thinner
    text = " ".join(r.output.split())
    assert f"directory offers {mine:.2g} places a week per person; the default community " \
        f"{default:.2g}" in text  # fmt: skip


def test_run_and_compare_warn_of_a_thin_directory(folders, tmp_path):
    _, thin = folders
    r = CliRunner().invoke(
        app, ["run", "genie", "--area", str(thin), "--weeks", "1", "--quiet",
              "--out", str(tmp_path / "run")],
    )  # fmt: skip
    assert r.exit_code == 0 and "warning:" in r.output and "places a week per person" in r.output


def test_run_checks_the_community_against_the_areas_own_profile(folders, tmp_path):
    full, _ = folders
    d = tmp_path / "alone"
    d.mkdir()
    for name in ("area.yaml", "resources.csv"):
        (d / name).write_bytes((full / name).read_bytes())
    text = (d / "area.yaml").read_text()
    (d / "area.yaml").write_text(re.sub(r"(?m)^living_alone: .*$", "living_alone: 0.402", text))
    r = CliRunner().invoke(
        app, ["run", "--area", str(d), "--weeks", "1", "--out", str(tmp_path / "run")],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "living_alone_share" in line)
    assert "0.352 to 0.452" in row and "the area's" in row and "ok" in row
    assert "outside" not in row
