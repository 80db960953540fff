"""The licence and the citation file agree with the package.

What is checked is agreement between files, not a copy of any one value: CITATION.cff is
Citation File Format 1.2.0 (its required keys, ``date-released`` a real date, not
before LICENSE's year: the date itself is not pinned, so a release only edits
CITATION.cff), and its version, licence and authors are those of pyproject.toml and
LICENSE. It fails when the files drift apart (a version bumped in one place) or the file
stops being valid CFF. Each rule has a negative control: a citation file broken in that
one way is refused, naming what is wrong.
"""

from __future__ import annotations

import copy
import datetime
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("cff-version", "message", "title", "authors")  # CFF 1.2.0's required keys


def problems(cff: dict, project: dict, licence: str) -> list[str]:
    """What is wrong with ``cff`` (CITATION.cff read as YAML) given pyproject.toml's
    ``project`` table and the text of LICENSE."""
    out = [f"no {key}" for key in REQUIRED if not cff.get(key)]
    if cff.get("cff-version") != "1.2.0":
        out.append("cff-version is not 1.2.0")
    if str(cff.get("version")) != project["version"]:
        out.append("version is not pyproject.toml's")
    if not cff.get("license") == project.get("license") == "MIT" or "MIT License" not in licence:
        out.append("licence differs from pyproject.toml's or LICENSE's")
    holder = re.search(r"Copyright \(c\) (\d{4}) (.+)", licence)
    if holder is None or cff.get("authors") != [{"name": holder[2].strip()}]:
        out.append("authors are not LICENSE's copyright holder")
    released = cff.get("date-released")
    if not isinstance(released, datetime.date):  # YAML reads an ISO date as a date
        out.append("date-released is not a date (YYYY-MM-DD)")
    elif holder is None or released.year < int(holder[1]):
        out.append("released before LICENSE's year")
    return out


@pytest.fixture(scope="module")
def files() -> tuple[dict, dict, str]:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return cff, project, (ROOT / "LICENSE").read_text()


def test_citation_parses_and_matches_the_package(files):
    assert problems(*files) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c.pop("title"), "no title"),
        (lambda c: c.update({"cff-version": "1.1.0"}), "cff-version is not 1.2.0"),
        (lambda c: c.update(version="9.9.9"), "version is not pyproject.toml's"),
        (lambda c: c.update(license="GPL-3.0"), "licence differs"),
        (lambda c: c.update(authors=[{"name": "someone else"}]), "authors are not"),
        (lambda c: c.update({"date-released": "02/12/2026"}), "date-released is not a date"),
        (lambda c: c.update({"date-released": datetime.date(1999, 1, 1)}), "released before"),
    ],
)
def test_a_citation_broken_in_one_way_is_refused(files, change, problem):
    cff, project, licence = files
    broken = copy.deepcopy(cff)
    change(broken)
    found = problems(broken, project, licence)
    assert len(found) == 1 and found[0].startswith(problem), found
