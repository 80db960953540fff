"""The one registry of outcomes matches what the model produces, and everything that names
outcomes takes them from it."""

from __future__ import annotations

import pytest

from netmob.analysis.compare import OUTCOME_MEANING, OUTCOME_NAMES
from netmob.experiments.outcomes import OUTCOMES, TIMING, WEEKLY_COLUMNS, flatten
from netmob.sim import registry
from netmob.sim.measures import WEEKLY
from netmob.sim.params import Params
from netmob.sim.run import simulate


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


def test_everything_that_names_outcomes_takes_them_from_the_registry():
    assert WEEKLY == ("week", *registry.names("weekly"))
    assert (
        WEEKLY_COLUMNS == registry.names("weekly") and len(set(WEEKLY_COLUMNS)) == len(WEEKLY) - 1
    )
    assert OUTCOMES == registry.names("run") and len(set(OUTCOMES)) == len(OUTCOMES)
    assert OUTCOME_NAMES == registry.names("effect")
    assert OUTCOME_MEANING["ucla"][0] == registry.meaning("ucla", "effect")


def test_every_entry_is_complete_and_registered_once():
    for o in registry.OUTCOMES:
        assert o.name and o.unit and o.meaning and o.tables, o
        assert set(o.tables) <= set(registry.TABLES)
        assert o.better in (None, "higher", "lower")
        if "effect" in o.tables and o.name not in ("intervention_cost_per_person", "net_cost"):
            assert o.column, o
    with pytest.raises(ValueError, match="registered twice"):
        registry._merge((registry.OUTCOMES[0], registry.OUTCOMES[0]))
