"""The report says what ran: the area in its title and question, and the parameters each
scenario ran with (the comparison's manifest), its workforce and budget included.

Before, the title was "netmob: what-if comparison" whatever the place, and the assumptions
table was read from the scenario files as they are now, not from what ran: on an area with
3 workers at GBP 35,000 each it showed PLANS's ``programme.worker_cost`` as 24,000 (the
preset's) and no workforce at all. These tests failed on that code (the title, the 35,000,
the workforce table).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netmob.analysis.compare import summarise
from netmob.analysis.report import render
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.compare import compare_spec, run_compare
from netmob.sim.area import load_area, write_template

pytestmark = pytest.mark.slow  # comparisons on an area folder

PEOPLE = 250


@pytest.fixture(scope="module")
def seacliff(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("report") / "seacliff"
    write_template(d, people=PEOPLE, seed=1)
    text = (d / "area.yaml").read_text()
    for key, value in (("name", "Seacliff"), ("workers", "3"), ("budget", "105000")):
        text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text)
    (d / "area.yaml").write_text(text)
    return d


def compared(tmp_path: Path, area=None, people: int = PEOPLE):
    spec = compare_spec(
        ["baseline", "plans"], people=people, weeks=4, replicates=2, seed=1, area=area
    )
    run_compare(spec, tmp_path, LocalBackend(1), progress=False)
    return summarise(tmp_path)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


def assumptions(page: str) -> str:
    return text(page[page.index("What the model assumes") :])


def test_the_title_and_question_name_the_area(seacliff, tmp_path):
    page = render(compared(tmp_path / "a", load_area(seacliff)))
    title = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert title == "netmob: plans against baseline in Seacliff"  # main: what-if comparison
    assert "compared with baseline, in Seacliff?" in text(page)
    default = render(compared(tmp_path / "d"))
    assert "in the default community</h1>" in default


def test_the_assumptions_are_what_ran_with_the_workforce(seacliff, tmp_path):
    page = assumptions(render(compared(tmp_path / "a", load_area(seacliff))))
    # the workforce: the area's 3 workers at GBP 105,000 / 3 each, as it ran
    assert re.search(
        r"plans the area's: 3 for its 250 people \(120 per 10,000\) 3 35000 105000", page
    )
    row = re.search(r"programme\.worker_cost [a-z ]+ (\S+) (\S+)", page)  # baseline, plans
    assert row and row.group(2) == "35000", page  # the area's, not the preset's 24,000
    assert "24000" not in page


def test_a_scaled_area_says_so_in_the_question(seacliff, tmp_path):
    page = text(render(compared(tmp_path / "s", load_area(seacliff), people=50)))
    assert "50 people with long-term conditions (the area has 250;" in page
    assert re.search(
        r"plans the area's: 3 for its 250 people \(120 per 10,000\) 0\.6 35000 21000", page
    )
