"""Mesa agents of netmob: thin views on the model's columns.

Every :class:`Person`, :class:`Resource` and :class:`Worker` is a real Mesa agent (so
``model.agents``, ``AgentSet`` and ``DataCollector`` work as Mesa users expect), but its
state lives in the model's numpy columns: ``person.swemwbs`` reads
``model.people.swemwbs[person.idx]``. The weekly processes work on the columns directly, so
the agents are created only when first asked for
(:meth:`~netmob.sim.model.NetworkModel.add_agents_lazily`).
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import mesa
import numpy as np
import pandas as pd

from netmob.sim.state import CIRCLES, ORIGINS
from netmob.sim.vocabulary import SWEMWBS_SCALE, TIE_KINDS, UCLA_SCALE


def column(table: str, name: str, doc: str = "") -> property:
    """A read/write attribute backed by ``model.<table>.<name>[self.idx]`` (``table`` may be
    a path through a component: ``"programme.workers"``)."""

    def values(self: Any) -> np.ndarray:
        return reduce(getattr, table.split("."), self.model).column(name)

    def get(self: Any) -> Any:
        return values(self)[self.idx].item()

    def set_(self: Any, value: Any) -> None:
        values(self)[self.idx] = value

    return property(get, set_, doc=doc or f"{table}.{name}")


class Person(mesa.Agent):
    """A person in the community: a target person (one or more LTCs) or a network member."""

    is_target = column("people", "is_target", "has one or more LTCs and can be referred")
    age = column("people", "age")
    area = column("people", "area", "neighbourhood")
    smi = column("people", "smi", "severe mental illness")
    n_conditions = column("people", "n_conditions")
    lives_alone = column("people", "lives_alone")
    has_partner = column("people", "has_partner")
    burden = column("people", "burden", "disease burden 0-1")
    need = column("people", "need", "support need, hours/week")
    support_received = column("people", "support_received", "hours/week")
    swemwbs = column("people", "swemwbs", "SWEMWBS {}-{}".format(*SWEMWBS_SCALE))
    ucla = column("people", "ucla", "UCLA-3 loneliness {}-{}".format(*UCLA_SCALE))
    eq5d = column("people", "eq5d", "EQ-5D utility")

    def __init__(self, model: mesa.Model, idx: int) -> None:
        super().__init__(model)
        self.idx = int(idx)

    def ties(self) -> pd.DataFrame:
        """This person's ties (active and ended), one row each, in the sources' words."""
        t = self.model.ties
        rows = (t.ego == self.idx).nonzero()[0]
        return pd.DataFrame(
            {
                "alter": t.alter[rows],
                "kind": [TIE_KINDS[k] for k in t.kind[rows]],
                "circle": [CIRCLES[c - 1] for c in t.circle[rows]],
                "strength": t.strength[rows],
                "dormant": t.dormant[rows],
                "active": t.active[rows],
                "origin": [ORIGINS[o] for o in t.origin[rows]],
                "changed_by": [ORIGINS[o] for o in t.changed_by[rows]],
                "support_given": t.given[rows],
            },
            index=pd.Index(rows, name="tie"),
        )


class Resource(mesa.Agent):
    """A community resource: a group, activity or place."""

    kind = column("resources", "kind")
    area = column("resources", "area")
    places = column("resources", "places", "places per week")
    cost = column("resources", "cost", "GBP per visit")
    attendees = column("resources", "attendees", "attendees this week")

    def __init__(self, model: mesa.Model, idx: int) -> None:
        super().__init__(model)
        self.idx = int(idx)


class Worker(mesa.Agent):
    """A link worker, GENIE facilitator or Connecting People worker."""

    employed = column("programme.workers", "employed", "in post (not a vacancy)")
    skill = column("programme.workers", "skill", "empathy, 'can do', natural networker (0-1)")
    knowledge = column("programme.workers", "knowledge", "share of local resources known")
    clients = column("programme.workers", "clients", "clients on the caseload now")

    def __init__(self, model: mesa.Model, idx: int) -> None:
        super().__init__(model)
        self.idx = int(idx)
