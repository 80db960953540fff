"""Mesa agents are created lazily: none until asked for, then one per entity, as views."""

from __future__ import annotations

import mesa
import numpy as np

from netmob.sim.agents import Person, Resource, Worker
from netmob.sim.model import NetworkModel
from tests.conftest import small


def test_no_agents_until_asked_then_one_per_person() -> None:
    m = NetworkModel(small(n=60, weeks=3, burn_in=2), seed=3)
    m.run()
    assert len(m._all_agents) == 0  # Mesa's own store: nothing was created while stepping
    people = m.agents_by_type[Person]
    assert len(people) == len(m.people)
    assert len(m.agents_by_type[Resource]) == len(m.resources)
    assert len(m.agents) == len(m.people) + len(m.resources)
    assert sorted(a.idx for a in people) == list(range(len(m.people)))
    # the agents are views on the columns, both ways
    p = next(a for a in people if a.idx == 5)
    assert p.swemwbs == float(m.people.swemwbs[5])
    p.swemwbs = 30.0
    assert m.people.swemwbs[5] == np.float32(30.0)
    # asking again creates nothing more
    assert len(m.agents) == len(m.people) + len(m.resources)


def test_lazy_agents_work_with_mesa_tools() -> None:
    m = NetworkModel(small(n=40, weeks=2, burn_in=0, **{"programme.preset": "genie"}), seed=1)
    assert Worker not in m.agent_types and len(m.programme.workers) == 0  # hired in the first week
    m.step()
    assert Worker in m.agent_types  # agents already built: the new workers join them
    assert len(m.agents_by_type[Worker]) == len(m.programme.workers) >= 1
    assert len(m.agents_by_type[Person].select(lambda a: a.is_target)) == m.n_target
    dc = mesa.DataCollector(agenttype_reporters={Person: {"eq5d": "eq5d"}})
    dc.collect(m)
    assert len(dc.get_agenttype_vars_dataframe(Person)) == len(m.people)
    m.remove_all_agents()
    assert len(m.agents) == 0
