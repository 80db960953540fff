"""docs/PLACE.md's worked example: its input files are valid and its command lines run.

The example itself (a PCN of 1,200 people compared over 52 weeks, a region of 10 areas) is
not re-run here: each command line of the document runs with tiny sizes instead (one week
after the burn-in, one replicate, a few dozen people), which checks that every option it
shows exists and that the files it names are accepted.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmob.cli.main import app
from netmob.experiments.region import read_region, region_spec
from netmob.sim.area import load_area, write_template

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PLACE.md"
PLACE = ROOT / "docs" / "place"
PCN = PLACE / "millbrook-eastfield"
REGION = PLACE / "region.csv"
TINY_PEOPLE = 40


def edit_module():
    spec = importlib.util.spec_from_file_location("place_edit", PLACE / "edit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def doc_commands() -> list[str]:
    """The ``netmob`` lines of the document's bash blocks, in order."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", DOC.read_text(), flags=re.S):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith("netmob "):
                found.append(line)
    return found


# ---- the input files -------------------------------------------------------------------------


def test_the_pcn_folder_is_the_template_plus_the_documented_edits(tmp_path):
    """docs/place/millbrook-eastfield is exactly `netmob area template --people 1200` (seed
    1) with docs/place/edit.py's edits: nothing else was changed by hand."""
    d = tmp_path / "pcn"
    write_template(d, people=1200, seed=1)
    edit = edit_module()
    edit.edit_profile(d / "area.yaml")
    edit.edit_resources(d / "resources.csv")
    for name in ("area.yaml", "resources.csv", "resources.md"):
        assert (d / name).read_text() == (PCN / name).read_text(), name


def test_the_pcn_folder_is_valid_and_holds_the_edits():
    r = CliRunner().invoke(app, ["area", "validate", str(PCN)])
    assert r.exit_code == 0, r.output
    assert "is valid" in r.output and "Eastfield, Hallow End, Millbrook" in r.output
    area = load_area(PCN)
    assert area.name == "Millbrook and Eastfield PCN" and area.people == 1200
    p = area.profile
    assert (p.living_alone, p.deprivation, p.workers, p.budget) == (0.38, 0.78, 2, 72000)
    d = area.directory
    with (PCN / "resources.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    names = {r["name"] for r in rows}
    assert {"Millbrook Park walking group", "Eastfield men's shed"} <= names
    assert not {"social peer 2", "creative 6"} & names  # closed
    new = [r for r in rows if r["name"] in ("Millbrook Park walking group", "Eastfield men's shed")]
    assert all(r["takes_referrals"] == "yes" for r in new)
    assert all(r["takes_referrals"] == "no" for r in rows if r["kind"] == "faith")
    hallow = [float(r["accessibility"]) for r in rows if r["neighbourhood"] == "Hallow End"]
    others = [float(r["accessibility"]) for r in rows if r["neighbourhood"] != "Hallow End"]
    assert max(hallow) <= 0.5 < sum(others) / len(others)  # the bus-dependent estate
    doc = re.search(r"Millbrook and Eastfield PCN: 1,200 people, (\d+) resources", DOC.read_text())
    assert doc and len(d) == len(rows) == int(doc.group(1))  # what PLACE.md shows


def test_the_region_file_loads_with_ten_different_areas():
    areas = read_region(REGION)
    assert len(areas) == 10  # PRIM needs 10 areas or more
    assert sum(a.people for a in areas) == 4600
    assert all(300 <= a.people <= 600 for a in areas)
    profiles = [a.profile() for a in areas]
    for field in ("living_alone", "deprivation", "smi", "no_qualifications", "age_mean"):
        assert len({p[field] for p in profiles}) >= 8, field  # the areas differ
    spec = region_spec(REGION, ["baseline", "genie"], weeks=52, replicates=2, seed=1)
    assert spec.scenarios == ("baseline", "genie") and len(spec.compares) == 10


# ---- the command lines -----------------------------------------------------------------------


def test_the_document_shows_the_commands():
    commands = doc_commands()
    kinds = [" ".join(shlex.split(c)[1:3]) for c in commands]
    assert "area template" in kinds and "area validate" in kinds
    assert any(c.startswith("netmob compare baseline genie plans --area") for c in commands)
    assert any(c.startswith("netmob region docs/place/region.csv") for c in commands)


def tiny(args: list[str], tmp_path: Path, *, write: bool = True) -> list[str]:
    """The same command, at tiny sizes, writing into ``tmp_path``."""
    out, i = [], 0
    while i < len(args):
        a = args[i]
        if a in ("--weeks", "--replicates", "--workers"):
            out += [a, "2" if a == "--replicates" else "1"]  # an interval needs 2
            i += 2
            continue
        if a == "--out":
            out += [a, str(tmp_path / "out")]
            i += 2
            continue
        if a == "--people" and args[:2] == ["area", "template"]:
            out += [a, args[i + 1]]
            i += 2
            continue
        out.append(a)
        i += 1
    if args[:2] == ["area", "template"]:  # a new folder, not the committed one
        out[2] = str(tmp_path / "template")
    if args[0] == "compare":
        out += ["--people", str(TINY_PEOPLE)]
    if args[0] == "region" and write:  # the same areas, a few dozen people each
        with REGION.open(newline="") as f:
            rows = list(csv.DictReader(f))
        small = tmp_path / "region.csv"
        with small.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows({**r, "people": str(TINY_PEOPLE)} for r in rows)
        out[1] = str(small)
    if args[0] == "region":
        out.append("--quiet")
    return out


def distinct_commands() -> list[str]:
    """The document's command lines, one of each shape (the same at tiny sizes)."""
    seen: dict[str, str] = {}
    for c in doc_commands():
        seen.setdefault(" ".join(tiny(shlex.split(c)[1:], Path("TMP"), write=False)), c)
    return list(seen.values())


@pytest.mark.parametrize(
    "command",
    [  # a region of ten areas, even at tiny sizes, is slow for what it adds
        pytest.param(c, marks=[pytest.mark.slow] if shlex.split(c)[1] == "region" else [])
        for c in distinct_commands()
    ],
    ids=lambda c: " ".join(shlex.split(c)[1:3]),
)
def test_each_command_of_the_document_runs_at_tiny_sizes(command, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the document's paths are from the checkout's root
    args = tiny(shlex.split(command)[1:], tmp_path)
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, (command, args, r.output)
