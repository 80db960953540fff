"""The licence and the citation file agree with the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_citation_parses_and_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == project["version"]
    assert cff["license"] == project["license"] == "MIT"
    assert cff["authors"] == [{"name": "netmob contributors"}]
    assert str(cff["date-released"]) == "2026-12-02"
    assert "MIT License" in (ROOT / "LICENSE").read_text()
