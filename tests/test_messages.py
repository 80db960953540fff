"""Messages a notch better: a file saved in another encoding (Excel's plain CSV is
Windows-1252) is named with the fix; a semicolon region file gets the separator hint; a
mistyped scenario gets "did you mean"; ``netmob --version``.

Before: ``'utf-8' codec can't decode byte 0xa3 in position 148``; ``unknown column
'name;area;people'``; every scenario listed without a suggestion; ``No such option:
--version``. Each test here failed on that code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.sim.area import write_template


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def said(r) -> str:
    return " ".join(r.output.split())


@pytest.fixture
def place(tmp_path) -> Path:
    d = tmp_path / "place"
    write_template(d, people=60)
    return d


def test_a_windows_1252_resources_csv_is_named_with_the_fix(place):
    csv = place / "resources.csv"
    lines = csv.read_text().splitlines()
    lines[4] = lines[4].replace(lines[4].split(",")[0], "Bingo \u00a32 a card")  # row 5
    csv.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    r = run("area", "validate", str(place))
    text = said(r)
    assert r.exit_code == 2 and "codec" not in text
    assert "the file is in Windows-1252, not UTF-8 (byte 0xa3, '£', in row 5)" in text
    assert "CSV UTF-8 (Comma delimited)" in text and "iconv -f WINDOWS-1252" in text


def test_utf16_and_a_yaml_file_in_windows_1252_are_named_too(place):
    csv = place / "resources.csv"
    original = csv.read_text()
    csv.write_bytes(original.encode("utf-16"))  # Excel's "Unicode Text"
    assert "the file is in UTF-16, not UTF-8" in said(run("area", "validate", str(place)))
    csv.write_text(original)
    yaml = place / "area.yaml"
    text = re.sub(r"(?m)^name: .*$", "name: Caf\u00e9 Quarter", yaml.read_text())
    yaml.write_bytes(text.encode("cp1252"))
    r = run("area", "validate", str(place))
    assert r.exit_code == 2 and "area.yaml: the file is in Windows-1252" in said(r)


def test_a_region_file_gets_the_separator_hint_and_its_encoding(tmp_path):
    region = tmp_path / "region.csv"
    region.write_text("name;people;deprivation\nNorth;400;0.5\n")
    r = run("region", str(region), "baseline", "genie", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "the columns are separated by ';', not ','" in said(r)
    region.write_bytes("name,people\nSt Mary\u2019s,400\n".encode("cp1252"))
    r = run("region", str(region), "baseline", "genie", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "Windows-1252" in said(r) and "in row 2" in said(r)


def test_a_mistyped_scenario_gets_did_you_mean(tmp_path):
    r = run("compare", "baseline", "geni", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "(did you mean 'genie'?)" in said(r)
    r = run("run", "plnas", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "(did you mean 'plans'?)" in said(r)


def test_netmob_version():
    r = run("--version")
    assert r.exit_code == 0 and re.fullmatch(r"netmob \S+ \(.+\)", r.output.strip()), r.output
