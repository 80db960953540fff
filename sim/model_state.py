"""What the model's parts may read and call, as typing protocols.

- :class:`ModelState`: what a weekly process (and the pathways' changes, the programme's
  helpers) may use: the columns, the run's streams and week, the neighbourhoods, the
  components (``model.programme``, ``model.readiness``) and the model's operations on
  ties and attendance. :class:`~netmob.sim.model.NetworkModel` satisfies it.
- :class:`ColumnView`: the part the measures read, which the reference engine's column
  snapshot (:class:`~netmob.sim.reference.ColumnState`) satisfies too.
- :class:`Drawing`: what a process's random stream needs (both engines have it).

They type the model where a function receives it, so a process that reaches for
something the model does not offer is a type error, not a run-time surprise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from netmob.sim.measures import Counters
    from netmob.sim.params import Params
    from netmob.sim.pathways.readiness import ReadinessUpdate
    from netmob.sim.programmes.delivery import ProgrammeDelivery
    from netmob.sim.state import Attendance, Links, People, Resources, Targets, Ties
    from netmob.sim.streams import Streams


class Drawing(Protocol):
    """A run's random streams and the week they are drawn for."""

    streams: Streams
    week: int


class ColumnView(Protocol):
    """The state as column tables, as the measures read it (from either engine)."""

    params: Params
    week: int
    n_target: int
    people: People
    ties: Ties
    links: Links
    resources: Resources
    attendance: Attendance
    targets: Targets
    counters: Counters
    baseline: dict[str, Any]  # the state at week 0 (and the typology fitted then)
    step_seconds: float  # time spent stepping so far

    def live_ties(self) -> np.ndarray:
        """Mask of ties that are active and not dormant."""
        ...

    def network_size(self) -> np.ndarray:
        """Active, non-dormant ties per target person."""
        ...


class ModelState(ColumnView, Drawing, Protocol):
    """What a weekly process may read and call on the model."""

    area_people: np.ndarray  # person ids sorted by neighbourhood
    area_bounds: np.ndarray  # neighbourhood a holds area_people[area_bounds[a]:area_bounds[a + 1]]

    @property
    def programme(self) -> ProgrammeDelivery:
        """The programme component (its clients, workers and their contacts)."""
        ...

    @property
    def readiness(self) -> ReadinessUpdate:
        """The readiness component (what the programme knows of preferences)."""
        ...

    def barriers(self) -> np.ndarray:
        """Each target person's barriers, with a programme's relief."""
        ...

    def cost_relief(self) -> np.ndarray:
        """Share of visit costs a programme covers, per target person."""
        ...

    def ego_rows(self, egos: np.ndarray) -> np.ndarray:
        """Every tie row of target people ``egos``, by ego, then row."""
        ...

    def tie_exists(self, ego: np.ndarray, alter: np.ndarray) -> np.ndarray:
        """Whether ``ego`` already has an active tie to ``alter``."""
        ...

    def form_ties(
        self,
        ego: np.ndarray,
        alter: np.ndarray,
        kind: int | np.ndarray,
        origin: int | np.ndarray,
        *,
        circle: int = ...,
        freq: float,
        mutual: bool = True,
        return_rows: bool = False,
    ) -> np.ndarray:
        """New ties ``ego -> alter``."""
        ...

    def end_ties(self, rows: np.ndarray) -> None:
        """End ties (the rows stay, inactive)."""
        ...

    def random_tie_of(
        self, egos: np.ndarray, u: np.ndarray, among: np.ndarray | None = None
    ) -> np.ndarray:
        """One tie row per ego, chosen with uniforms ``u`` (-1 if none)."""
        ...

    def count_exits(self, circles: np.ndarray) -> None:
        """Count ties leaving a network by circle, for turnover."""
        ...

    def start_attending(
        self,
        person: np.ndarray,
        resource: np.ndarray,
        origin: int,
        member: np.ndarray | None = None,
        helped: np.ndarray | None = None,
    ) -> np.ndarray:
        """New attendance rows."""
        ...

    def add_agents_lazily(self, build: Callable[[], object]) -> None:
        """Have ``build`` create Mesa agents the first time anyone asks for them."""
        ...
