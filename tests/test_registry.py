"""The one registry of outcomes matches what the model produces, and everything that names
outcomes takes them from it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from netmob.experiments.outcomes import TIMING, flatten
from netmob.sim import registry
from netmob.sim.params import Params
from netmob.sim.run import simulate
from tests.conftest import ROOT


@pytest.fixture(scope="module", params=["none", "genie"])
def result(request):
    over = {"population.n_people": 120, "run.weeks": 3, "programme.preset": request.param}
    return simulate(Params.from_overrides(over), 1)


def test_people_table_has_exactly_the_registered_columns(result):
    """With a programme, every registered column and no other; without, a subset (the
    programme's columns are absent)."""
    produced = set(result.people.columns)
    if "referred" in produced:
        assert produced == set(registry.names("people"))
    else:
        assert produced <= set(registry.names("people"))


def test_weekly_and_run_tables_have_exactly_the_registered_names(result):
    programme = "people_referred" in result.summary
    weekly = set(result.weekly.columns) - {"week"}
    run = set(flatten(result.summary)) - set(TIMING)
    if programme:
        assert weekly == set(registry.names("weekly"))
        assert run == set(registry.names("run"))
    else:
        assert weekly <= set(registry.names("weekly"))
        assert run <= set(registry.names("run"))


# Run in a new process: register one more outcome, then import what names outcomes. A
# module that takes its names from the registry has the new one; a list kept elsewhere (as
# the copy taken before the new entry is, the negative control) does not.
PROBE = """
import json
from netmob.sim import registry

kept_elsewhere = registry.names("run")  # a copy: what a list kept in another module is
probe = registry.Outcome(
    "probe_outcome", ("people", "weekly", "run", "effect"), "points", "a probe", "higher",
    "probe_outcome",
)
registry.OUTCOMES = (*registry.OUTCOMES, probe)
registry.BY_TABLE = registry._merge(registry.OUTCOMES)

from netmob.analysis import compare, dictionary
from netmob.experiments import ema, outcomes
from netmob.experiments.calibration.spec import of_names
from netmob.sim import measures

named = {
    "a list kept elsewhere": kept_elsewhere,
    "weekly.parquet's columns (measures.WEEKLY)": measures.WEEKLY,
    "a sweep's outcomes (outcomes.OUTCOMES)": outcomes.OUTCOMES,
    "a sweep's weekly columns (outcomes.WEEKLY_COLUMNS)": outcomes.WEEKLY_COLUMNS,
    "compare's effects (compare.OUTCOME_NAMES)": compare.OUTCOME_NAMES,
    "the report's labels (compare.OUTCOME_MEANING)": list(compare.OUTCOME_MEANING),
    "a calibration target's summary": of_names("summary"),
    "a calibration target's effect": of_names("itt_effect"),
    "EMA Workbench outcomes": [o.variable_name[0] for o in ema.registry_outcomes()],
    "the data dictionary's run table": [
        c.name for t in dictionary.tables() if t.key == "run/summary" for c in t.columns
    ],
}
print(json.dumps({what: "probe_outcome" in names for what, names in named.items()}))
"""


def test_everything_that_names_outcomes_takes_them_from_the_registry():
    """An outcome added to the registry reaches every module that names outcomes: the
    weekly table's columns, a sweep's outcomes, compare's effects and the report's labels,
    a calibration target's ``of``, the EMA Workbench's outcomes, the data dictionary. Fails
    if any of them keeps its own list; the negative control (a copy of the names taken
    before the new outcome) shows that such a list is told apart."""
    r = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert r.returncode == 0, r.stderr
    reached = json.loads(r.stdout.strip().splitlines()[-1])
    assert reached.pop("a list kept elsewhere") is False
    assert reached and all(reached.values()), [what for what, ok in reached.items() if not ok]


def test_every_entry_is_complete_and_registered_once():
    for o in registry.OUTCOMES:
        assert o.name and o.unit and o.meaning and o.tables, o
        assert set(o.tables) <= set(registry.TABLES)
        assert o.better in (None, "higher", "lower")
        if "effect" in o.tables and o.name not in ("intervention_cost_per_person", "net_cost"):
            assert o.column, o
    with pytest.raises(ValueError, match="registered twice"):
        registry._merge((registry.OUTCOMES[0], registry.OUTCOMES[0]))
