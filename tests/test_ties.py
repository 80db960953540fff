"""The tie table (``ties.parquet``) and the networkx graph agree with the model's ties."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netmob.sim import registry
from netmob.sim.measures import tie_table
from netmob.sim.model import NetworkModel
from netmob.sim.run import build_model, collect
from tests.conftest import small


@pytest.fixture(scope="module")
def model():
    """GENIE for long enough that the pathways change ties, some ties end, some sleep (at
    300 people and 26 weeks both pathways changed ties for each of seeds 1-8; at 200 and
    12, for 3 of them)."""
    p = small(n=300, weeks=26, burn_in=4, **{"programme.preset": "genie"})
    return NetworkModel(p, seed=2).run()


def test_tie_table_has_the_registered_columns_and_every_row(model):
    t = tie_table(model)
    assert tuple(t.columns) == registry.names("ties")
    assert len(t) == len(model.ties) and t["tie"].tolist() == list(range(len(t)))
    assert (t["ended"].isna() == t["active"]).all()  # a week only once it has ended
    assert (t["ended"].dropna() >= t.loc[~t["active"], "formed"]).all()
    assert t.loc[~t["dormant"], "dormant_since"].isna().all()
    assert (t["alter_is_target"] == (t["alter"] < model.n_target)).all()
    assert set(t["kind"].cat.categories) == {
        "partner",
        "family",
        "friend",
        "neighbour",
        "group",
        "formal",
    }
    assert set(t["circle"].dropna()) <= {"inner", "middle", "outer"} and t["circle"].notna().all()
    assert {"none", "nudge", "mobilisation"} <= set(t["changed_by"])  # GENIE changed some
    assert {"baseline", "organic"} <= set(t["origin"])
    assert (~t["active"]).any() and t["dormant"].any()
    for name in registry.names("ties"):
        assert registry.unit(name, "ties") and registry.meaning(name, "ties")


def test_to_networkx_has_a_node_per_person_and_an_edge_per_active_tie(model):
    t = tie_table(model)
    live = t[t["active"]]
    g = model.to_networkx()
    assert isinstance(g, nx.DiGraph) and g.graph["week"] == model.week
    assert g.number_of_edges() == len(live)
    members = live.loc[~live["alter_is_target"], "alter"].nunique()
    assert g.number_of_nodes() == model.n_target + members
    roles = nx.get_node_attributes(g, "role")
    assert sum(r == "target" for r in roles.values()) == model.n_target
    # every edge carries its row of the tie table
    for row in live.sample(50, random_state=1).itertuples():
        e = g.edges[row.ego, row.alter]
        assert e["tie"] == row.tie and e["kind"] == row.kind and e["circle"] == row.circle
        assert e["dormant"] == row.dormant and e["origin"] == row.origin
        assert e["changed_by"] == row.changed_by and e["strength"] == row.strength
    member = int(live.loc[~live["alter_is_target"], "alter"].iloc[0])
    assert g.nodes[member]["drawn_by"] == model.people.ego[member]
    assert g.nodes[0]["swemwbs"] == float(model.people.swemwbs[0])
    assert sum(dict(g.out_degree(range(model.n_target))).values()) == len(live)
    nx.write_graphml(g, "/dev/null")  # plain attribute types: writable as they are


def test_to_networkx_at_a_past_week(model):
    t = tie_table(model)
    week = 3
    ended = t["ended"].fillna(np.iinfo(np.int32).max)
    then = t[(t["formed"] <= week) & (ended > week)]
    g = model.to_networkx(week=week)
    assert g.graph["week"] == week and g.number_of_edges() == len(then)
    assert set(g.edges) == set(zip(then["ego"], then["alter"], strict=True))
    with pytest.raises(ValueError, match="has not happened yet"):
        model.to_networkx(week=model.week + 1)


def test_tie_table_of_the_reference_engine():
    m = build_model(small(n=40, weeks=2, burn_in=1), seed=1, engine="reference").run()
    ties = collect(m, ties=True).ties
    assert tuple(ties.columns) == registry.names("ties") and len(ties) > 40
    assert collect(m).ties is None


def test_ties_parquet_round_trip(model, tmp_path):
    result = collect(model, ties=True)
    written = result.write(tmp_path)
    assert [p.name for p in written] == [
        "weekly.parquet",
        "people.parquet",
        "ties.parquet",
        "summary.json",
    ]
    back = pd.read_parquet(tmp_path / "ties.parquet")
    assert tuple(back.columns) == registry.names("ties")
    pd.testing.assert_frame_equal(back, result.ties)
    assert not list(tmp_path.glob(".*.tmp"))
