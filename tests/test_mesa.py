"""Mesa's conventions hold: the model stops at the horizon, ``mesa.batch_run`` builds it from
plain dicts, its DataCollector and Mesa's AgentSet tools work on netmob's agents."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

from netmob.sim.agents import Person
from netmob.sim.errors import InputError
from netmob.sim.measures import WEEKLY
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params, full_name
from netmob.sim.run import simulate
from tests.conftest import small


def batch(parameters, **kw):
    return mesa.batch_run(NetworkModel, parameters=parameters, display_progress=False, **kw)


def test_running_turns_false_at_the_horizon():
    m = NetworkModel(small(n=40, weeks=3, burn_in=2), seed=1)
    seen = []
    while m.running:
        m.step()
        seen.append((m.week, m.running))
    assert seen == [(-1, True), (0, True), (1, True), (2, True), (3, False)]
    assert m.steps == 5  # Mesa's step count: burn-in and horizon
    m.step()  # stepping on is still possible; it stays stopped
    assert not m.running


def test_flat_keywords_build_the_same_model_as_params():
    over = {
        "population.n_people": 60,
        "run.weeks": 3,
        "run.burn_in": 2,
        "programme.preset": "genie",
    }
    a = NetworkModel(Params.from_overrides(over), seed=4).run()
    b = NetworkModel(n_people=60, weeks=3, burn_in=2, preset="genie", seed=4).run()
    c = NetworkModel(**over, rng=4).run()
    assert a.params == b.params == c.params
    wa, wb, wc = (x.datacollector.get_model_vars_dataframe() for x in (a, b, c))
    pd.testing.assert_frame_equal(wa, wb)
    pd.testing.assert_frame_equal(wa, wc)
    assert a.seed == b.seed == c.seed == 4
    # keywords go on top of params
    d = NetworkModel(Params.from_overrides(over), seed=4, weeks=5)
    assert d.params.run.weeks == 5 and d.params.population.n_people == 60


def test_bad_keywords_and_seeds_are_stopped_clearly():
    assert full_name("n_people") == "population.n_people"
    with pytest.raises(InputError, match="more than one parameter.*network.family"):
        NetworkModel(family=1.0)
    with pytest.raises(InputError, match="unknown parameter.*population.n_people"):
        NetworkModel(n_peple=100)
    with pytest.raises(InputError, match="field 'population.n_people'"):
        NetworkModel(n_people=-5)
    with pytest.raises(InputError, match="give the seed once"):
        NetworkModel(small(n=20), rng=1, seed=2)
    with pytest.raises(TypeError, match="one integer"):
        NetworkModel(small(n=20), rng=np.random.default_rng(1))
    assert NetworkModel(small(n=20), rng=np.int64(3), seed=3).seed == 3
    assert NetworkModel(small(n=20)).seed == 0  # the default, as before


def test_batch_run_with_plain_dicts_stops_at_the_horizon():
    rows = batch({"n_people": [60, 80], "weeks": 3, "burn_in": 2, "preset": "genie", "seed": 1})
    assert [(r["n_people"], r["week"], r["seed"]) for r in rows] == [(60, 3, 1), (80, 3, 1)]
    # the same numbers as a run from Params with that seed
    for r in rows:
        over = {"population.n_people": r["n_people"], "run.weeks": 3, "run.burn_in": 2}
        direct = simulate(Params.from_overrides({**over, "programme.preset": "genie"}), seed=1)
        assert r["swemwbs_mean"] == direct.weekly["swemwbs_mean"].iloc[-1]
        assert r["people_referred"] == direct.weekly["people_referred"].iloc[-1]


def test_batch_run_every_week_and_replicates_from_rng():
    rows = batch({"n_people": 50, "weeks": 3, "burn_in": 1}, rng=[1, 2], data_collection_period=1)
    frame = pd.DataFrame(rows)
    assert frame.groupby("rng")["week"].apply(list).to_dict() == {1: [1, 2, 3], 2: [1, 2, 3]}
    last = frame[frame.week == 3].set_index("rng")
    assert last.loc[1, "swemwbs_mean"] != last.loc[2, "swemwbs_mean"]
    with pytest.raises(InputError, match="give the seed once"):
        batch({"n_people": 50, "weeks": 1, "burn_in": 0, "seed": 1}, rng=[2])


def test_batch_run_with_a_params_object():
    p = small(n=40, weeks=2, burn_in=0)
    with pytest.raises(TypeError, match=r"\{'params': \[p\]\}"):
        batch({"params": p})  # batch_run iterates over the pydantic model's groups
    rows = batch({"params": [p], "weeks": [1, 2]}, rng=[5])
    assert [(r["week"], r["rng"]) for r in rows] == [(1, 5), (2, 5)]


def test_datacollector_frames():
    """The model's own DataCollector has model-level weekly aggregates (netmob has no agent
    reporters of its own); a user's DataCollector collects agent-level data from the views."""
    m = NetworkModel(small(n=50, weeks=3, burn_in=1), seed=2)
    dc = mesa.DataCollector(
        model_reporters={"week": "week"},
        agenttype_reporters={Person: {"swemwbs": "swemwbs", "target": "is_target"}},
    )
    while m.running:
        m.step()
        if m.week >= 1:
            dc.collect(m)
    weekly = m.datacollector.get_model_vars_dataframe()
    assert tuple(weekly.columns) == WEEKLY and weekly["week"].tolist() == [1, 2, 3]
    assert not m.datacollector.agent_reporters
    agents = dc.get_agenttype_vars_dataframe(Person)
    assert len(agents) == 3 * len(m.people)
    last = agents.xs(agents.index.get_level_values(0).max(), level=0)
    target = last[last["target"]]
    assert len(target) == m.n_target
    assert np.isclose(target["swemwbs"].mean(), m.people.swemwbs[: m.n_target].mean())
    assert dc.get_model_vars_dataframe()["week"].tolist() == [1, 2, 3]


def test_agentset_select_agg_groupby_on_netmob_agents():
    m = NetworkModel(small(n=80, weeks=2, burn_in=1), seed=3).run()
    pp, n = m.people, m.n_target
    people = m.agents_by_type[Person]
    targets = people.select(lambda a: a.is_target)
    assert len(targets) == n and len(people.select(at_most=10)) == 10
    assert np.isclose(targets.agg("swemwbs", np.mean), pp.swemwbs[:n].mean())
    lo, hi = targets.agg("age", [min, max])
    assert (lo, hi) == (float(pp.age[:n].min()), float(pp.age[:n].max()))
    by = targets.groupby("lives_alone")
    assert by.count() == {
        k: int((pp.lives_alone[:n] == k).sum()) for k in np.unique(pp.lives_alone[:n])
    }
    ucla = by.agg("ucla", np.mean)
    for alone, mean in ucla.items():
        assert np.isclose(mean, pp.ucla[:n][pp.lives_alone[:n] == alone].mean())
    # a select on an agent's ties (its own table) works too
    with_partner = targets.select(lambda a: (a.ties()["kind"] == "partner").any())
    assert len(with_partner) >= 1
