"""``NetworkModel``: the vectorised engine (Mesa on the outside, columns on the inside)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from mesa.agentset import AgentSet

from netmob.sim import measures, rules
from netmob.sim.agents import Person, Resource
from netmob.sim.allocator import keep_freed_memory
from netmob.sim.community import build_community
from netmob.sim.ego_index import EgoIndex
from netmob.sim.engine import Engine
from netmob.sim.errors import InputError
from netmob.sim.params import Params, full_name
from netmob.sim.pathways.readiness import ReadinessUpdate
from netmob.sim.processes.base import Process
from netmob.sim.programmes.delivery import ProgrammeDelivery
from netmob.sim.schedule import WEEKLY_PROCESSES
from netmob.sim.sets import isin
from netmob.sim.state import BARRIER, KIND, StateViews

if TYPE_CHECKING:
    import networkx as nx


class NetworkModel(StateViews, Engine):
    """A community of people with long-term conditions and their personal networks.

    One step is one week: the processes of :mod:`netmob.sim.schedule`, in the order written
    there, then data collection (the loop both engines share,
    :class:`~netmob.sim.engine.Engine`). Each process is a component that owns its state
    (:class:`~netmob.sim.processes.base.Process`), created before any process runs and
    reached through the component: ``model.programme.clients``, ``model.readiness.prefs_seen``.

    The first ``run.burn_in`` weeks (numbered up to 0) let the community settle; outcomes,
    costs and QALYs are counted from week 1. ``running`` turns false at the end of the
    horizon (week ``run.weeks``, after ``run.burn_in + run.weeks`` steps), so Mesa's
    ``batch_run`` and ``SolaraViz`` stop there.

    Args:
        params: Every parameter (defaults if omitted); ``params.programme`` says which
            programme runs (``preset: none`` refers nobody).
        rng: The run's one seed, an integer (0 if neither it nor ``seed`` is given); each
            process draws from its own stream of it. Mesa's name: ``batch_run`` passes its
            ``rng`` argument here.
        panel: Per-person columns to record every week (e.g. ``("eq5d",)``) into
            ``model.panel[name]``, an array (weeks, target people).
        **keywords: ``seed``, the same as ``rng`` (netmob's name for it), and parameters
            by name, applied on top of ``params``: dotted (``**{"run.weeks": 10}``) or, where
            the name is in one group only, alone (``n_people=100, weeks=10,
            preset="genie"``), so a plain dict of ``mesa.batch_run`` builds the model.
            (``seed`` is not a named argument because ``batch_run`` would then replace a
            ``seed`` in its ``parameters`` with its own ``rng`` argument.)

    Raises:
        InputError: for an unknown or ambiguous parameter name, or a bad value.
        TypeError: if ``params`` is not a :class:`Params` (``batch_run`` splits a Params
            given alone into its groups: give ``{"params": [p]}``), or the seed is not an
            integer.

    Examples:
        >>> m = NetworkModel(Params.from_overrides({"population.n_people": 50, "run.burn_in": 0}), seed=1)
        >>> m.step(); m.week
        1
        >>> NetworkModel(n_people=50, burn_in=0, weeks=2, seed=1).run().running
        False
    """

    # the components that own state, reached by name (set from the schedule's processes)
    programme: ProgrammeDelivery  # clients, workers, worker_contacts, contact_now
    readiness: ReadinessUpdate  # prefs_seen, objectives_seen

    def __init__(
        self,
        params: Params | None = None,
        rng: int | None = None,
        panel: tuple[str, ...] = (),
        **keywords: Any,
    ) -> None:
        seed = _seed(rng, keywords.pop("seed", None))
        params = _params(params, keywords)
        keep_freed_memory()  # the weekly temporaries reuse memory (sim/allocator.py)
        super().__init__(params, seed)
        self._agent_builders: list[Callable[[], object]] = []
        c = build_community(self.params, self.streams)
        self.community = c
        self.people, self.ties, self.links = c.people, c.ties, c.links
        self.resources, self.attendance, self.targets = c.resources, c.attendance, c.targets
        self.n_target = c.n_target
        self._ego_index = EgoIndex(self.ties, self.n_target)
        self.area_people, self.area_bounds = c.area_people, c.area_bounds
        self.processes: list[Process] = [p() for p in WEEKLY_PROCESSES]
        self.components: dict[str, Process] = {p.name: p for p in self.processes}
        for p in self.processes:  # every component's state exists before any process runs
            p.create_state(self.n_target)
            if p.state:  # reached by name: model.programme.clients
                if hasattr(self, p.name):
                    raise ValueError(f"component {p.name!r} would hide model.{p.name}")
                setattr(self, p.name, p)
        self.add_agents_lazily(
            lambda: Person.create_agents(self, len(self.people), idx=np.arange(len(self.people)))
        )
        self.add_agents_lazily(
            lambda: Resource.create_agents(
                self, len(self.resources), idx=np.arange(len(self.resources))
            )
        )
        self.panel = {
            k: np.full((self.params.run.weeks, self.n_target), np.nan, np.float32) for k in panel
        }
        for p in self.processes:
            p.setup(self)
        if self.week == 0:
            self.start_horizon()

    # ---- Mesa agents, created on first use ------------------------------------------
    def add_agents_lazily(self, build: Callable[[], object]) -> None:
        """Have ``build`` create Mesa agents the first time anyone asks for them.

        No weekly process uses the agents (they are views on the columns), and at about
        12.5 people per target person creating them costs more memory and build time
        than the columns themselves; so they are made only for those who ask for
        ``model.agents``, ``agents_by_type`` or ``agent_types`` (the app, Mesa users).
        Builders run in the order they were added, so agent ids are as if made eagerly.
        """
        self._agent_builders.append(build)

    def _build_agents(self) -> None:
        builders, self._agent_builders = self._agent_builders, []
        for build in builders:
            build()

    @property
    def agents(self) -> AgentSet:
        """Every agent (Mesa's ``model.agents``), created on first access."""
        self._build_agents()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type, AgentSet]:
        """Agents by class (Mesa's ``model.agents_by_type``), created on first access."""
        self._build_agents()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        """Classes of the agents (Mesa's ``model.agent_types``), created on first access."""
        self._build_agents()
        return super().agent_types

    def remove_all_agents(self) -> None:
        """Mesa's ``remove_all_agents``; agents not yet created are never created."""
        self._agent_builders = []
        super().remove_all_agents()

    # ---- the week (the loop around it: netmob.sim.engine.Engine) ---------------------
    def advance(self) -> None:
        """Every process of :mod:`netmob.sim.schedule`, in its order."""
        for process in self.processes:
            process.step(self)

    def columns(self) -> NetworkModel:
        """The model itself: its state is columns already."""
        return self

    def collect(self) -> None:
        """The week's aggregates, then the per-person panel."""
        super().collect()
        for name, rows in self.panel.items():
            rows[self.week - 1] = self.people.column(name)[: self.n_target]

    def to_networkx(self, week: int | None = None) -> nx.DiGraph:
        """The ego networks as a networkx graph (see :func:`~netmob.sim.measures.network_graph`):
        a node per person, an edge per tie that is active (live or dormant) at ``week``
        (default: now), with the tie table's columns as attributes."""
        return measures.network_graph(self, week)

    def barriers(self) -> np.ndarray:
        """Each target person's barriers (n, 5): the scenario's scales applied, then the
        relief a programme gives its clients (transport support, facilitation)."""
        c = self.programme.clients
        b = rules.effective_barriers(self.targets.barriers, self.params.attendance)
        b[:, BARRIER["access"]] *= 1.0 - c.access_relief
        b[:, BARRIER["information"]] *= 1.0 - c.information_relief
        return b

    def cost_relief(self) -> np.ndarray:
        """Share of visit costs a programme covers, per target person."""
        return self.programme.clients.access_relief

    # ---- operations on ties and attendance -----------------------------------------
    def ego_rows(self, egos: np.ndarray) -> np.ndarray:
        """Every tie row (live or not) of target people ``egos``, by ego, then row."""
        return self._ego_index.rows_of(egos)

    def tie_exists(self, ego: np.ndarray, alter: np.ndarray) -> np.ndarray:
        """Whether ``ego`` already has an active (possibly dormant) tie to ``alter``."""
        t = self.ties
        rows = self.ego_rows(ego)
        rows = rows[t.active[rows]]
        existing = t.ego[rows].astype(np.int64) * len(self.people) + t.alter[rows]
        return isin(ego.astype(np.int64) * len(self.people) + alter, existing)

    def form_ties(
        self,
        ego: np.ndarray,
        alter: np.ndarray,
        kind: int | np.ndarray,
        origin: int | np.ndarray,
        *,
        circle: int = rules.NEW_TIE_CIRCLE,
        freq: float,
        mutual: bool = True,
        return_rows: bool = False,
    ) -> np.ndarray:
        """New ties ``ego -> alter`` (skipping self-ties, duplicates and existing ties).

        With ``mutual``, an alter who is a target person gets the reverse tie too. Returns
        the new tie rows (or, with ``return_rows``, one entry per input, -1 where none).
        """
        ego, alter = np.asarray(ego, np.int64), np.asarray(alter, np.int64)
        if len(ego) == 0:  # nothing to form (often the reverse ties): no work, no rows
            return np.zeros(0, np.int64)
        kind = np.broadcast_to(np.asarray(kind, np.int8), ego.shape)
        origin = np.broadcast_to(np.asarray(origin, np.int8), ego.shape)
        key = ego * len(self.people) + alter
        first = np.zeros(len(ego), bool)
        first[np.unique(key, return_index=True)[1]] = True
        ok = first & (ego != alter) & ~self.tie_exists(ego, alter)
        strength = rules.new_tie_strength(circle, self.params.ties)
        rows = self.ties.append(
            ego=ego[ok],
            alter=alter[ok],
            kind=kind[ok],
            circle=circle,
            strength=strength,
            freq=freq,
            cap=rules.tie_capacity(kind[ok], circle, strength, self.params.support),
            formed=self.week,
            origin=origin[ok],
        )
        self.counters.add_new(origin[ok], self.week)
        if mutual:
            back = ok & (alter < self.n_target)
            self.form_ties(
                alter[back],
                ego[back],
                kind[back],
                origin[back],
                circle=circle,
                freq=freq,
                mutual=False,
            )
        if return_rows:
            out = np.full(len(ego), -1, np.int64)
            out[ok] = rows
            return out
        return rows

    def end_ties(self, rows: np.ndarray) -> None:
        """End ties (the rows stay, inactive); a partner tie ending leaves no partner."""
        t = self.ties
        t.active[rows] = False
        t.ended[rows] = self.week
        partner = rows[t.kind[rows] == KIND["partner"]]
        self.people.has_partner[t.ego[partner]] = False

    def random_tie_of(
        self, egos: np.ndarray, u: np.ndarray, among: np.ndarray | None = None
    ) -> np.ndarray:
        """One tie row per ego from the ties ``among`` (a mask; default: live ties), chosen
        with uniforms ``u`` (-1 if the ego has none)."""
        t = self.ties
        rows = self.ego_rows(egos)
        rows = rows[t.active[rows] & ~t.dormant[rows] if among is None else among[rows]]
        e = t.ego[rows]
        lo, hi = np.searchsorted(e, egos, "left"), np.searchsorted(e, egos, "right")
        if len(rows) == 0:
            return np.full(len(egos), -1, np.int64)
        pick = np.minimum(lo + np.floor(u * (hi - lo)).astype(np.int64), len(rows) - 1)
        return np.where(hi > lo, rows[pick], -1)

    def count_exits(self, circles: np.ndarray) -> None:
        """Count ties leaving a network (ended or dormant) by circle, for turnover."""
        if self.week >= 1:
            self.counters.exits += np.bincount(circles, minlength=4)

    def start_attending(
        self,
        person: np.ndarray,
        resource: np.ndarray,
        origin: int,
        member: np.ndarray | None = None,
        helped: np.ndarray | None = None,
    ) -> np.ndarray:
        """New attendance rows (skipping none-found, duplicates and resources already
        attended); ``member``: who comes along, ``helped``: the worker's help with the first
        visits (facilitation)."""
        a = self.attendance
        ok = resource >= 0
        person, resource = person[ok], resource[ok]
        member = None if member is None else member[ok]
        helped = None if helped is None else helped[ok]
        key = person.astype(np.int64) * len(self.resources) + resource
        starting = np.zeros(self.n_target, bool)
        starting[person] = True
        rows = a.active & starting[a.person]  # only these people's attendance
        active = a.person[rows].astype(np.int64) * len(self.resources) + a.resource[rows]
        first = np.zeros(len(key), bool)
        first[np.unique(key, return_index=True)[1]] = True
        new = first & ~isin(key, active)
        return a.append(
            person=person[new],
            resource=resource[new],
            start=self.week,
            origin=origin,
            member=-1 if member is None else member[new],
            helped=0.0 if helped is None else helped[new],
        )


def _seed(rng: Any, seed: Any) -> int:
    """The run's seed from ``rng`` (Mesa's name) or ``seed`` (netmob's): an integer."""
    if rng is not None and seed is not None and rng != seed:
        raise InputError(
            "give the seed once, as rng or as seed (mesa.batch_run passes its rng argument "
            "as rng: leave seed out of its parameters, or leave rng out)",
            field="rng",
            value=(rng, seed),
        )
    value = seed if rng is None else rng
    if value is None:
        return 0
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(
            f"netmob seeds a run with one integer, not {type(value).__name__} {value!r}"
        ) from None


def _params(params: Any, keywords: dict[str, Any]) -> Params:
    """``params`` (default: the schema's defaults) with the parameters in ``keywords`` on top."""
    if params is None:
        params = Params()
    elif isinstance(params, tuple | list | dict | str):
        hint = ""
        if isinstance(params, tuple) and len(params) == 2 and isinstance(params[0], str):
            hint = (
                ": mesa.batch_run iterates over a pydantic model, so parameters={'params': p} "
                "hands on its groups one by one; give a list, {'params': [p]}, or parameters "
                "by name, such as {'n_people': [100, 200], 'weeks': 10}"
            )
        raise TypeError(f"params must be a netmob Params, not {params!r:.80}{hint}")
    if not keywords:
        return params
    overrides = {full_name(k): v for k, v in keywords.items()}
    return params.with_overrides(overrides, file="keyword arguments")
