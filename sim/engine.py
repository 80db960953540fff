"""What both engines share: the week counter, ``run()``, data collection and step timing.

:class:`~netmob.sim.model.NetworkModel` (the vectorised engine) and
:class:`~netmob.sim.reference.ReferenceModel` (agent by agent) differ only in how they
advance the state a week (:meth:`Engine.advance`, the processes of
:mod:`netmob.sim.schedule` in its order) and in how they show it as columns
(:meth:`Engine.columns`); the loop around it, the measures and the Mesa ``DataCollector``
are this one class.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Self

import mesa

from netmob.sim import measures
from netmob.sim.params import Params
from netmob.sim.streams import Streams

if TYPE_CHECKING:
    from netmob.sim.model_state import ColumnView


class Engine(mesa.Model):
    """A run: Mesa's ``Model`` with netmob's week.

    One step is one week (numbered up to 0 in the ``run.burn_in`` weeks that let the
    community settle): :meth:`advance`, then data collection, step 7 of
    :mod:`netmob.sim.schedule`: at week 0 the state outcomes are measured from
    (``baseline``); from week 1 the week's aggregates (``latest``, recorded by the Mesa
    ``DataCollector``). ``running`` turns false at the horizon (week ``run.weeks``), so
    Mesa's ``batch_run`` and ``SolaraViz`` stop there; ``step_seconds`` adds up the time
    spent stepping.

    Args:
        params: Every parameter.
        seed: The run's one seed; each process draws from its own stream of it.
    """

    def __init__(self, params: Params, seed: int) -> None:
        super().__init__(rng=seed)
        self.params = params
        self.seed = seed
        self.streams = Streams(seed)
        self.week = -params.run.burn_in
        self.counters = measures.Counters()
        self.baseline: dict[str, Any] = {}
        self.latest: dict[str, float] = {}
        self.step_seconds = 0.0
        reporters = {k: partial(_latest, key=k) for k in measures.WEEKLY}
        self.datacollector = mesa.DataCollector(model_reporters=reporters)

    def advance(self) -> None:
        """The week's processes (steps 1-6 of :mod:`netmob.sim.schedule`)."""
        raise NotImplementedError

    def columns(self) -> ColumnView:
        """The state as the column tables the measures read."""
        raise NotImplementedError

    def step(self) -> None:
        """One week: the processes, then data collection."""
        t0 = time.perf_counter()
        self.week += 1
        self.advance()
        if self.week == 0:
            self.start_horizon()
        if self.week >= 1:
            self.collect()
        if self.week >= self.params.run.weeks:
            self.running = False  # the horizon: Mesa's batch_run and SolaraViz stop here
        self.step_seconds += time.perf_counter() - t0

    def run(self, progress: Callable[[], object] | None = None) -> Self:
        """Burn-in and horizon; ``progress`` (optional) is called after each week."""
        while self.week < self.params.run.weeks:
            self.step()
            if progress is not None:
                progress()
        return self

    def start_horizon(self) -> None:
        """The state outcomes are measured from (end of burn-in)."""
        self.baseline = measures.baseline(self.columns())

    def collect(self) -> None:
        """This week's live ties by circle (the turnover's denominator) and aggregates."""
        state = self.columns()
        self.counters.add_week(state.ties.circle[state.live_ties()])
        self.latest = measures.weekly(state)
        self.datacollector.collect(self)


def _latest(model: Engine, key: str) -> float:
    return model.latest.get(key, float("nan"))
