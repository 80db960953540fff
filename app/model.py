"""The model as the app drives it, and the app's controls, both generated from the schema.

:class:`AppModel` is a :class:`~netmob.sim.model.NetworkModel` made from a scenario name and
parameter overrides (the form Mesa's SolaraViz re-creates a model in on Reset), burnt in
on creation so that the Explore view starts at week 0, and stopping at the horizon.
:func:`controls` turns the parameter schema (``sim/params.py``) into Mesa ``Slider``
objects and checkbox specs: label from the parameter's meaning and unit, bounds from its
bounds, starting value from the scenario. Nothing here is Solara code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from mesa.visualization import Slider

from netmob.experiments.levers import steer_range
from netmob.sim import measures
from netmob.sim.model import NetworkModel
from netmob.sim.params import Params, Programme, field_info
from netmob.sim.programmes import outcomes as programme
from netmob.sim.programmes.state import STAGES
from netmob.sim.scenario import library, load_scenario
from netmob.sim.state import NETWORK_TYPES, PATHWAYS

# The levers the Explore view offers, in order, with the step of its slider (None: one
# hundredth of its range); each spans the range a lever is steered over
# (netmob.experiments.levers: the schema's bounds unless those are far too wide to steer by
# hand). Defaults, units and meanings come from the schema (sim/params.py).
LEVERS: dict[str, float | None] = {
    "population.n_people": 100,
    "programme.workforce_scale": 0.25,
    "programme.refer_rate": 0.05,
    "programme.caseload": 1,
    "programme.contacts": 1,
    "programme.mapping": None,
    "programme.matching": None,
    "programme.coproduction": None,
    "programme.transport_support": None,
    "pathways.nudge": None,
    "pathways.mobilisation": None,
    "attendance.capacity_scale": None,
    "attendance.cost_scale": 0.1,
    "attendance.barrier_scale": None,
    "workers.turnover": 0.05,
    "run.weeks": 1,
}

DEFAULT_SCENARIO = "genie"
T = TypeVar("T")


def default_scenario() -> str | None:
    """The scenario the app opens with: GENIE if the library has it, else the first."""
    names = library()
    if DEFAULT_SCENARIO in names:
        return DEFAULT_SCENARIO
    return names[0] if names else None


def scenario_params(name: str | None, area: Any = None) -> Params:
    """A library scenario's parameters, or the schema's defaults for ``None``; with an
    ``area`` (:class:`netmob.sim.area.Area`), the scenario on the area's people and
    resources."""
    if area is not None:
        return area.params(load_scenario(name).overrides if name else {})
    return load_scenario(name).params if name else Params()


def reference_params(params: Params) -> Params | None:
    """What the Explore view draws beside a scenario that runs a programme, from the same
    seed, so that the programme's effect reads as a difference: the same run with the
    programme taken away (every ``programme.*`` at the schema's default: no programme).
    None for a scenario without a programme (there is nothing to take away)."""
    if params.programme.preset == "none" and params.programme.refer_rate == 0:
        return None
    return params.model_copy(update={"programme": Programme()})


def label(info: dict[str, Any]) -> str:
    """A control's label: the parameter's meaning and, in brackets, its unit."""
    unit = info["unit"]
    return info["meaning"] if unit in ("", "on/off") else f"{info['meaning']} [{unit}]"


def control(name: str, value: Any) -> Slider | dict[str, Any]:
    """One control for parameter ``name``, starting at ``value``.

    A switch becomes a checkbox spec; a number a Mesa :class:`Slider` over the range a
    lever is steered over (:func:`netmob.experiments.levers.steer_range`), widened to
    include ``value``.
    """
    info = field_info(name)
    if info["type"] == "bool":
        return {"type": "Checkbox", "value": bool(value), "label": label(info)}
    lo, hi = steer_range(name) if name in LEVERS else (info["lo"], info["hi"])
    step = LEVERS.get(name)
    is_int = info["type"] == "int"
    if step is None:
        step = 1 if is_int else nice_step((hi - lo) / 100)
    lo, hi = min(lo, value), max(hi, value)
    kind = int if is_int else float
    return Slider(label(info), value=kind(value), min=kind(lo), max=kind(hi), step=kind(step))


def nice_step(x: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten that is at most ``x``."""
    if x <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(x))
    return float(max(m * power for m in (1, 2, 5) if m * power <= x + 1e-12))


def controls(params: Params) -> dict[str, Slider | dict[str, Any]]:
    """The Explore view's controls, one per lever, starting at ``params``' values."""
    flat = params.flat()
    return {name: control(name, flat[name]) for name in LEVERS}


class AppModel(NetworkModel):
    """A :class:`~netmob.sim.model.NetworkModel` for the app: from a scenario, burnt in, stopping.

    Args:
        scenario_name: A scenario of the library (``None``: the schema's defaults).
        seed: The run's seed.
        scenario: Ignored: Mesa's own scenario object, which SolaraViz's Reset passes to
            every model it re-creates (netmob's scenarios are named by ``scenario_name``).
        area: An area (:class:`netmob.sim.area.Area`) the scenario runs on (None: the
            default community).
        **overrides: Parameter overrides on top of the scenario, by dotted name
            (``**{"programme.workers": 4}``), validated against the schema.

    After creation the model is at week 0, with week 0 recorded, so charts start from the
    state outcomes are measured from; ``running`` turns false at the horizon. Beside it,
    ``reference`` steps the same run without the scenario's programme (none for a scenario
    without one; :func:`reference_params`) from the same seed, so the view can draw the
    programme's effect as a difference.

    Examples:
        >>> m = AppModel(None, seed=1, **{"population.n_people": 60, "run.burn_in": 2})
        >>> m.week, len(m.frame())
        (0, 1)
    """

    def __init__(
        self,
        scenario_name: str | None = None,
        seed: int = 1,
        scenario: object = None,
        area: Any = None,
        **overrides: Any,
    ) -> None:
        params = scenario_params(scenario_name, area)
        if overrides:
            params = params.with_overrides(overrides, file="app controls")
        self.lock = threading.RLock()  # held while stepping; readers in other threads take it
        super().__init__(params, seed=seed)
        self.scenario_name = scenario_name
        self.area = area
        self.changes_by_pathway: list[dict[str, float]] = []
        ref = reference_params(params)
        self.reference = None if ref is None else NetworkModel(ref, seed=seed)
        while self.week < 0:
            self.step()
        self.latest = measures.weekly(self)
        self.datacollector.collect(self)
        if self.reference is not None:
            self.reference.latest = measures.weekly(self.reference)
            self.reference.datacollector.collect(self.reference)
        self.note_changes()

    def step(self) -> None:
        """One week (none once the horizon is reached), the reference's too; past the
        burn-in, also note the changes each pathway has made."""
        with self.lock:
            if self.week >= self.params.run.weeks:
                self.running = False
                return
            super().step()
            if self.reference is not None:
                self.reference.step()
            self.running = self.week < self.params.run.weeks
            if self.week >= 1:
                self.note_changes()

    @property
    def place(self) -> str:
        """Where the model runs: the area's name, or "the default community"."""
        return self.area.name if self.area is not None else "the default community"

    @property
    def reference_label(self) -> str:
        """What the reference is, in a legend's words."""
        return "no programme"

    def reference_frame(self) -> pd.DataFrame | None:
        """The reference's weekly aggregates from week 0 (None without a reference)."""
        if self.reference is None:
            return None
        return self.reference.datacollector.get_model_vars_dataframe().reset_index(drop=True)

    def locked(self, read: Callable[[], T]) -> T:
        """``read()`` while no step is under way (the app steps in one thread and draws in
        others)."""
        with self.lock:
            return read()

    def note_changes(self) -> None:
        """Record every change each pathway has enacted so far (cumulative)."""
        row = {"week": float(self.week)}
        for p in PATHWAYS:
            row[f"changes_{p}_total"] = float(
                sum(v.sum() for v in programme.changes(self, p).values())
            )
        self.changes_by_pathway.append(row)

    def frame(self) -> pd.DataFrame:
        """Weekly aggregates from week 0 with the changes by pathway, one row a week."""
        weekly = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        changes = pd.DataFrame(self.changes_by_pathway)
        return weekly.merge(changes, on="week", how="left")

    def glance(self) -> dict[str, pd.Series]:
        """The community now: shares by network type; referred people by stage reached."""
        f = measures.network_frame(self)
        types = np.bincount(f["type"], minlength=len(NETWORK_TYPES)) / max(self.n_target, 1)
        c = self.programme.clients
        referred = c.referred >= 1
        stages = np.bincount(c.stage[referred], minlength=len(STAGES))
        return {
            "types": pd.Series(types, index=NETWORK_TYPES),
            "stages": pd.Series(stages, index=STAGES),
        }

    def referred_people(self) -> np.ndarray:
        """Ids of the target people referred so far."""
        return np.flatnonzero(self.programme.clients.referred >= 1)
