"""One run: build a model, step it, collect its outputs; and write them atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netmob.sim import measures
from netmob.sim.engine import Engine
from netmob.sim.io import write_json, write_parquet
from netmob.sim.params import Params

ENGINES = ("vector", "reference")


@dataclass
class Snapshot:
    """The state per person and the summary at one week of a run (a horizon before its
    end: a paired comparison reads its effects there too)."""

    people: pd.DataFrame
    summary: dict


@dataclass
class RunResult:
    """What one run gives: weekly aggregates, the end state per person, the summary,
    (if asked for) one row per tie, and (if asked for) snapshots at earlier weeks."""

    weekly: pd.DataFrame
    people: pd.DataFrame
    summary: dict
    ties: pd.DataFrame | None = None
    at: dict[int, Snapshot] = field(default_factory=dict)  # week -> state then

    def write(self, out: str | Path) -> list[Path]:
        """Write ``weekly.parquet``, ``people.parquet``, ``summary.json`` and, with a tie
        table, ``ties.parquet``, each atomically."""
        out = Path(out)
        written = [
            write_parquet(self.weekly, out / "weekly.parquet"),
            write_parquet(self.people, out / "people.parquet"),
        ]
        if self.ties is not None:
            written.append(write_parquet(self.ties, out / "ties.parquet"))
        return [*written, write_json(self.summary, out / "summary.json")]


def build_model(params: Params, seed: int, engine: str = "vector") -> Engine:
    """A model of either engine, ready to step.

    Raises:
        InputError: if the reference engine is asked to run a programme (it has none).
    """
    if engine == "vector":
        from netmob.sim.model import NetworkModel

        return NetworkModel(params, seed=seed)
    if engine == "reference":
        from netmob.sim.reference import ReferenceModel

        return ReferenceModel(params, seed=seed)
    raise ValueError(f"unknown engine {engine!r}; allowed: {', '.join(ENGINES)}")


def simulate(
    params: Params,
    seed: int,
    *,
    engine: str = "vector",
    progress: Callable[[], None] | None = None,
    at: Sequence[int] = (),
) -> RunResult:
    """Run ``params`` from ``seed`` to the end of the horizon and collect the results;
    ``at``: weeks before the end to keep a :class:`Snapshot` of (others are ignored)."""
    model = build_model(params, seed, engine)
    marks = {int(w) for w in at if 1 <= int(w) < params.run.weeks}
    snapshots: dict[int, Snapshot] = {}

    def each_week() -> None:
        if model.week in marks:
            state = model.columns()
            snapshots[model.week] = Snapshot(measures.people_table(state), measures.summary(state))
        if progress is not None:
            progress()

    model.run(progress=each_week if marks else progress)
    result = collect(model)
    result.at = dict(sorted(snapshots.items()))
    return result


def collect(model: Engine, *, ties: bool = False) -> RunResult:
    """The results of a model that has run (with ``ties``, its tie table too)."""
    state = model.columns()
    weekly = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    return RunResult(
        weekly=weekly,
        people=measures.people_table(state),
        summary=measures.summary(state),
        ties=measures.tie_table(state) if ties else None,
    )
