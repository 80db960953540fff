"""A paired comparison of scenarios, as a kind of experiment: :func:`run` answers a
:class:`CompareSpec` (made by :func:`compare_spec`) in memory, or into a resumable store.

The first scenario is the reference. Replicate ``r`` runs every scenario from the same
seed, :func:`netmob.experiments.plan.run_seed` of the comparison's seed and ``r`` (the
seed replicate ``r`` of a sweep gets), so each scenario and the reference share their
community and their random streams: person ``i`` differs between them only through the
scenarios' differences. One task per replicate runs every scenario and reduces each run
to its record, its weekly rows, and the group levels of every registered effect against
the reference (:mod:`netmob.sim.groups`); the effects, costs and value for money are
worked out from them by :mod:`netmob.experiments.effects`.

It runs on the same backends as a sweep (local processes or Dask). Without a folder
everything stays in memory (EMA Workbench's ``perform_experiments``: saving is the
caller's choice); with one, the runs stream into the same store as a sweep's and resume
the same way: run it again after a kill and finished replicates are kept, nothing is done
twice, and a changed question is refused. Both give the same tables for the same spec.

Examples:
    >>> spec = compare_spec(["baseline", "genie"], people=80, weeks=3, replicates=2, seed=1)
    >>> result = run(spec)  # in memory; run(spec, "results/x") keeps it in a folder
    >>> result.report.ok, len(result.runs), result.scenarios
    (4, 4, ['baseline', 'genie'])
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from netmob.experiments.backends import Backend
from netmob.experiments.design import plain
from netmob.experiments.draws import (
    UncertaintySpec,
    apply_draw,
    check_shared,
    draws,
    load_uncertainty,
)
from netmob.experiments.economics import DISCOUNT, THRESHOLDS, check_discount, check_thresholds
from netmob.experiments.effects import (
    BY_TYPE,
    CONTRASTS,
    DRAW,
    KIND,
    TRIAL_HORIZONS,
    CompareResult,
    from_tables,
    settings_of,
    summarise,
)
from netmob.experiments.outcomes import OUTCOMES, WEEKLY_COLUMNS, pick
from netmob.experiments.plan import run_seed
from netmob.experiments.runner import SweepReport, execute
from netmob.experiments.spec import MAX_RUNS
from netmob.experiments.specfile import digest_of, file_sha256
from netmob.experiments.store import (
    RUNS,
    STRING,
    WEEKLY,
    MemoryStore,
    SweepStore,
    runs_schema,
    session_info,
    weekly_schema,
    with_design,
)
from netmob.experiments.store import manifest as store_manifest
from netmob.experiments.worker import OK, RunOutput, failure
from netmob.sim import groups
from netmob.sim.area import Area
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.scenario import load_scenario, resolve_path


@dataclass(frozen=True)
class CompareSpec:
    """The question a comparison answers: which scenarios, at what size, how often, and
    the value for money asked of it.

    ``thresholds`` (willingness to pay per QALY, GBP) and ``discount`` (a year) only shape
    how the runs are read: they are not part of :meth:`definition`, so a stored comparison
    can be read again at others without new runs."""

    scenarios: tuple[str, ...]
    descriptions: dict[str, str]
    params: dict[str, Params]  # each scenario at this size and horizon
    people: int
    weeks: int
    replicates: int
    seed: int
    uncertainty: UncertaintySpec | None = None
    # Posterior parameters a scenario sets itself: it keeps its own value, not the draw.
    own: dict[str, tuple[str, ...]] = field(default_factory=dict)
    area: dict[str, Any] | None = None  # the area folder's provenance (netmob.sim.area)
    thresholds: tuple[float, ...] = tuple(THRESHOLDS)
    discount: float = DISCOUNT
    # weeks before the end every effect is also read at (the trials' follow-ups unless
    # asked otherwise); those at or past the end are left out
    horizons: tuple[int, ...] = TRIAL_HORIZONS

    @property
    def reads(self) -> tuple[int, ...]:
        """The horizons before the end the runs keep a snapshot at."""
        return tuple(sorted({w for w in self.horizons if 1 <= w < self.weeks}))

    def definition(self) -> dict[str, Any]:
        """What decides the runs: two comparisons with the same definition give the same
        results."""
        return (
            {
                "scenarios": list(self.scenarios),
                "params": {name: p.flat() for name, p in self.params.items()},
                "replicates": self.replicates,
                "seed": self.seed,
                "uncertainty": None if self.uncertainty is None else self.uncertainty.definition(),
            }
            | ({"area": {k: v for k, v in self.area.items() if k != "folder"}} if self.area else {})
            | ({"horizons": list(self.reads)} if self.horizons != TRIAL_HORIZONS else {})
        )

    def digest(self) -> str:
        """A hash of :meth:`definition` (16 hex digits)."""
        return digest_of(self.definition())

    def settings(self) -> dict[str, Any]:
        """The question in a reader's words (kept in the manifest)."""
        u = self.uncertainty
        return {
            "people": self.people,
            "weeks": self.weeks,
            "horizons": list(self.reads),
            "replicates": self.replicates,
            "seed": self.seed,
            "uncertainty": None
            if u is None
            else {
                "name": u.name,
                "kind": "posterior" if u.is_posterior else "ranges",
                "description": u.description,
                "file": u.file,
                "ranges": u.ranges(),
                "scenarios_own_values": {k: list(v) for k, v in self.own.items() if v},
            }
            | ({"note": u.note} if u.note else {}),
        }


def compare_spec(
    scenarios: list[str],
    *,
    people: int,
    weeks: int | None,
    replicates: int,
    seed: int,
    uncertainty: str | Path | UncertaintySpec | None = None,
    area: Area | None = None,
    thresholds: Sequence[float] = THRESHOLDS,
    discount: float = DISCOUNT,
    horizons: Sequence[int] = TRIAL_HORIZONS,
) -> CompareSpec:
    """Check and resolve a comparison before any run. ``weeks=None`` takes the scenarios'
    own horizon (a trial scenario's follow-up), which they must share. ``horizons``: weeks
    before the end every effect is also read at (default the trials' follow-ups, 26 and
    39; those not before the end are left out). With an ``area``,
    every scenario runs on the area's people and resource directory (``Area.params``).
    ``uncertainty``: an uncertainty spec or posterior (:mod:`netmob.experiments.draws`),
    one draw per replicate; ``thresholds`` and ``discount``: value for money's willingness
    to pay per QALY and discount rate (NICE's reference case unless given).

    Raises:
        InputError: for fewer than two scenarios, a scenario named twice, a bad scenario,
            size or horizon, fewer than two replicates, an uncertainty spec that varies
            a parameter the scenarios set differently, or a bad threshold or discount.
    """
    check_thresholds(thresholds)
    check_discount(discount)
    check_horizons(horizons)
    if len(scenarios) < 2:
        raise InputError(
            "compare needs a reference scenario and at least one other",
            field="SCENARIO",
            value=scenarios,
            allowed="two or more scenario names or files",
        )
    if len(set(scenarios)) != len(scenarios):
        raise InputError("a scenario is named twice", field="SCENARIO", value=scenarios)
    if replicates < 2:
        raise InputError(
            "an interval needs at least two replicates",
            field="--replicates",
            value=replicates,
            allowed="2 or more",
        )
    if replicates * len(scenarios) > MAX_RUNS:
        raise InputError(
            f"{replicates:,} replicates of {len(scenarios)} scenarios would be "
            f"{replicates * len(scenarios):,} runs",
            field="--replicates",
            value=replicates,
            allowed=f"2 to {MAX_RUNS // len(scenarios):,} ({MAX_RUNS:,} runs at most)",
        )
    loaded = {ref: load_scenario(ref) for ref in scenarios}
    if weeks is None:
        weeks = shared_horizon({ref: sc.params.run.weeks for ref, sc in loaded.items()})
    params, descriptions = {}, {}
    for ref, sc in loaded.items():
        base = sc.params if area is None else area.params(sc.overrides)
        params[ref] = base.with_overrides(
            {"population.n_people": people, "run.weeks": weeks}, file="command line"
        )
        descriptions[ref] = sc.description or sc.name
    spec = load_uncertainty(uncertainty) if uncertainty is not None else None
    own: dict[str, tuple[str, ...]] = {}
    if spec is not None and spec.is_posterior:
        own = own_values(spec, params)
    elif spec is not None:
        check_shared(spec, params)
    return CompareSpec(
        scenarios=tuple(scenarios),
        descriptions=descriptions,
        params=params,
        people=people,
        weeks=weeks,
        replicates=replicates,
        seed=seed,
        uncertainty=spec,
        own=own,
        area=None if area is None else area.provenance(),
        thresholds=tuple(float(k) for k in thresholds),
        discount=float(discount),
        horizons=tuple(int(w) for w in horizons),
    )


def check_horizons(horizons: Sequence[int]) -> None:
    """Refuse a horizon that is not a whole week from 1 on.

    Raises:
        InputError: naming the horizon.
    """
    for w in horizons:
        if isinstance(w, bool) or not isinstance(w, int) or w < 1:
            raise InputError(
                "a horizon is a week of the run",
                field="--horizon",
                value=w,
                allowed="whole weeks from 1 (those at or past the end are left out)",
            )


def own_values(spec: UncertaintySpec, params: dict[str, Params]) -> dict[str, tuple[str, ...]]:
    """Per scenario, the posterior's parameters it sets itself (away from the schema's
    default): a scenario that is about a parameter keeps its value under every draw."""
    default = Params().flat()
    flats = {name: p.flat() for name, p in params.items()}
    return {
        name: tuple(f.name for f in spec.factors if flat[f.name] != default[f.name])
        for name, flat in flats.items()
    }


def shared_horizon(weeks: dict[str, int]) -> int:
    """The horizon every scenario sets; refused when they differ."""
    if len(set(weeks.values())) > 1:
        raise InputError(
            "the scenarios follow people for different numbers of weeks; give one",
            field="--weeks",
            value=weeks,
            allowed="--weeks N, or scenarios with the same run.weeks",
        )
    return next(iter(weeks.values()))


@dataclass(frozen=True)
class ReplicateTask:
    """One replicate: every scenario (the first the reference) from one seed."""

    key: str
    replicate: int
    seed: int
    scenarios: tuple[tuple[str, dict[str, Any]], ...]  # (name, Params.model_dump())
    draw: dict[str, Any]
    # In a region (netmob.experiments.region): the task's area, its number among the
    # region's tasks (run ids follow it; a comparison's is its replicate) and the design
    # point of its first scenario.
    area: str | None = None
    slot: int | None = None
    first_point: int = 0
    horizons: tuple[int, ...] = ()  # weeks before the end the levels are also read at

    @property
    def size(self) -> int:
        """Runs in the task: one per scenario."""
        return len(self.scenarios)

    @property
    def run_ids(self) -> list[int]:
        """The task's runs: replicate by replicate, scenarios in order."""
        return [self.run_id(s) for s in range(self.size)]

    def run_id(self, scenario: int) -> int:
        """The run id of scenario ``scenario`` of this task."""
        slot = self.replicate if self.slot is None else self.slot
        return run_id(slot, scenario, self.size)

    def identities(self) -> list[dict[str, Any]]:
        """Each run's identity and the replicate's draw, as its record begins."""
        return [self.identity(s) for s in range(self.size)]

    def identity(self, scenario: int) -> dict[str, Any]:
        """The identity of scenario ``scenario``'s run and the replicate's draw."""
        return {
            "run_id": self.run_id(scenario),
            "point": self.first_point + scenario,
            "replicate": self.replicate,
            "seed": self.seed,
        } | {DRAW + k: v for k, v in self.draw.items()}


def run_id(replicate: int, scenario: int, scenarios: int) -> int:
    """A run's number in a comparison."""
    return replicate * scenarios + scenario


def plan(spec: CompareSpec) -> list[ReplicateTask]:
    """One task per replicate, each with its seed and its draw of the uncertain
    assumptions (the same for every scenario of the replicate)."""
    drawn = pd.DataFrame(index=range(spec.replicates))
    if spec.uncertainty is not None:
        drawn = draws(spec.uncertainty, spec.replicates, spec.seed)
    token = uuid.uuid4().hex[:8]
    tasks = []
    for r in range(spec.replicates):
        draw = plain(drawn.iloc[r])
        params = {name: _drawn(spec, name, p, draw) for name, p in spec.params.items()}
        tasks.append(
            ReplicateTask(
                key=f"netmob-compare-{spec.digest()}-{token}-{r}",
                replicate=r,
                seed=run_seed(spec.seed, point=0, replicate=r),
                scenarios=tuple((name, p.model_dump()) for name, p in params.items()),
                draw=draw,
                horizons=spec.reads,
            )
        )
    return tasks


def _drawn(spec: CompareSpec, name: str, params: Params, draw: dict[str, Any]) -> Params:
    """A scenario's parameters under a replicate's draw (its own values kept)."""
    mine = {k: v for k, v in draw.items() if k not in spec.own.get(name, ())}
    if not mine or spec.uncertainty is None:
        return params
    return apply_draw(params, mine, spec.uncertainty.file)


def schemas(tasks: list[ReplicateTask]) -> dict[str, pa.Schema]:
    """The columns and types of each table a comparison writes: the runs (every run
    outcome, then the drawn parameters, typed as drawn), weekly rows, contrasts and
    effects by network type."""
    drawn = pa.Table.from_pylist([t.draw for t in tasks]).schema if tasks else pa.schema([])
    draw_fields = [
        pa.field(DRAW + f.name, STRING if pa.types.is_string(f.type) else f.type) for f in drawn
    ]
    return {
        RUNS: runs_schema(OUTCOMES, draw_fields),
        WEEKLY: weekly_schema(WEEKLY_COLUMNS),
        "contrasts": CONTRASTS,
        "by_type": BY_TYPE,
    }


def manifest(spec: CompareSpec) -> dict[str, Any]:
    """The manifest of a new comparison of ``spec``."""
    return store_manifest(
        KIND,
        " vs ".join(spec.scenarios[1:]) + f" against {spec.scenarios[0]}",
        spec.definition(),
        design="paired",
        points=len(spec.scenarios),
        replicates=spec.replicates,
        scenarios=list(spec.scenarios),
        descriptions=spec.descriptions,
        settings=spec.settings(),
        files=input_files(spec),
    )


def input_files(spec: CompareSpec) -> dict[str, Any]:
    """The files a comparison read, each with its SHA-256: every scenario's, and the
    uncertainty spec's or posterior's, and the area folder's (kept in the manifest, for the
    report's provenance)."""
    scenarios = {}
    for ref in spec.scenarios:
        path = resolve_path(ref)
        scenarios[ref] = {"file": str(path), "sha256": file_sha256(path)}
    u = spec.uncertainty
    uncertainty = None if u is None else {"file": u.file, "sha256": file_sha256(u.file)}
    return {"scenarios": scenarios, "uncertainty": uncertainty, "area": spec.area}


class Unfinished(InputError):
    """A comparison whose answer cannot be worked out yet: runs were lost (the next
    session runs them), or no replicate finished whole. ``report``: what the session did.
    """

    def __init__(self, message: str, report: SweepReport, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.report = report


def run(
    spec: CompareSpec,
    out: str | Path | None = None,
    *,
    backend: Backend | None = None,
    progress: bool = False,
    on_done: Callable[[int, int], None] | None = None,
) -> CompareResult:
    """Run the comparison ``spec`` asks and work out its answer.

    Args:
        spec: The question (:func:`compare_spec`).
        out: A folder to stream the runs to (created, or resumed: replicates already
            there are kept); None: in memory, nothing written.
        backend: Where the replicates run (default: here, one after another).
        progress: Show a progress bar on stderr.
        on_done: Hears ``(runs done, runs in all)`` as replicates finish.

    Returns:
        The design, every finished replicate's tables, the effects and value for money
        (at ``spec``'s thresholds and discount), and the session's report.

    Raises:
        InputError: if ``out`` holds another question, or another session is writing it.
        Unfinished: if runs were lost, or no replicate finished whole (a failed run is
            not an error: its replicate is left out of the answer and its record is in
            the result's ``failures``).
    """
    if backend is None:
        from netmob.experiments.backends.local import LocalBackend

        backend = LocalBackend(1)
    if out is None:
        return _in_memory(spec, backend, progress, on_done)
    report = run_compare(spec, out, backend, progress=progress, on_done=on_done)
    _none_lost(report)
    try:
        result = summarise(out, spec.thresholds, spec.discount)
    except InputError as err:
        raise Unfinished(err.reason, report, value=err.value, allowed=err.allowed) from None
    result.report = report
    return result


def _in_memory(
    spec: CompareSpec,
    backend: Backend,
    progress: bool,
    on_done: Callable[[int, int], None] | None,
) -> CompareResult:
    """:func:`run` without a folder: the same tasks, their tables kept in memory."""
    tasks = plan(spec)
    store = MemoryStore(schemas(tasks))
    report = execute(
        store, tasks, run_replicate, backend, runs=len(tasks) * len(spec.scenarios),
        done_before=0, chunk=1, progress=progress, on_done=on_done,
    )  # fmt: skip
    _none_lost(report)
    points = design(spec)
    tables = {name: store.table(name) for name in ("contrasts", "by_type")}
    weekly = store.table(WEEKLY)  # as load_weekly reads a store's
    tables[WEEKLY] = (
        weekly.sort_values(["run_id", "week"], ignore_index=True)
        if len(weekly)
        else pd.DataFrame(columns=["run_id", "week"])
    )
    try:
        result = from_tables(
            list(spec.scenarios), spec.descriptions,
            settings_of(json.loads(json.dumps(manifest(spec), default=str))),
            with_design(store.table(RUNS), points), tables,
            spec.thresholds, spec.discount, where="(in memory)",
        )  # fmt: skip
    except InputError:
        runs = store.table(RUNS)
        errors = runs.loc[runs["status"] != OK, "error"]
        first = f" (the first: {errors.iloc[0]})" if len(errors) else ""
        raise Unfinished(
            f"no replicate finished whole: {len(errors)} of {len(runs)} runs failed{first}",
            report,
        ) from None
    result.design, result.report = points, report
    return result


def _none_lost(report: SweepReport) -> None:
    """Refuse to answer with runs lost (their replicates would be left out silently)."""
    if report.missing:
        raise Unfinished(
            f"{report.missing} of {report.runs} runs were lost with their workers",
            report,
            allowed="run it again (into the same folder, only the missing ones run)",
        )


def design(spec: CompareSpec) -> pd.DataFrame:
    """A comparison's design: one point per scenario, the reference first."""
    return pd.DataFrame({"point": range(len(spec.scenarios)), "scenario": spec.scenarios})


def run_compare(
    spec: CompareSpec,
    out: str | Path,
    backend: Backend,
    *,
    chunk: int = 1,
    progress: bool = True,
    on_done: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Run every replicate of ``spec`` not yet in ``out`` on ``backend``.

    A replicate whose runs did not all finish well is run again (whole) on the next
    session. ``chunk``: replicates per chunk written (1: each as soon as it finishes).

    Raises:
        InputError: if ``out`` holds another question, or another session is writing it.
    """
    return run_tasks(
        plan(spec), manifest(spec), design(spec), "command line", out, backend,
        scenarios=len(spec.scenarios), chunk=chunk, progress=progress, on_done=on_done,
    )  # fmt: skip


def run_tasks(
    tasks: list[ReplicateTask],
    definition: dict,
    points: pd.DataFrame,
    source: str,
    out: str | Path,
    backend: Backend,
    *,
    scenarios: int,
    chunk: int = 1,
    progress: bool = True,
    on_done: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Open the store in ``out`` for ``definition`` and run the tasks not yet whole there
    (a comparison's replicates, or a region's area-replicates); ``scenarios`` runs each."""
    session = session_info(backend.name, getattr(backend, "workers", None))
    store = SweepStore(out).open_manifest(
        definition, points, session, source, schemas=schemas(tasks)
    )
    with store:
        done = store.finished(retry_failed=True)
        todo = [t for t in tasks if not set(t.run_ids) <= done]
        return execute(
            store,
            todo,
            run_replicate,
            backend,
            runs=len(tasks) * scenarios,
            done_before=sum(len(t.run_ids) for t in tasks if set(t.run_ids) <= done),
            chunk=chunk,
            progress=progress,
            on_done=on_done,
        )


def run_replicate(task: ReplicateTask) -> list[RunOutput]:
    """Every scenario of one replicate, and each one's paired levels against the first.

    Never raises for a failing run: it becomes a ``failed`` record, and the replicate's
    contrasts are left out (the analysis then leaves the replicate out)."""
    from netmob.sim.run import simulate

    results: dict[str, Any] = {}
    outputs: list[RunOutput] = []
    n = task.size
    for s, (name, dump) in enumerate(task.scenarios):
        record = task.identity(s)
        start = time.perf_counter()
        try:
            result = simulate(Params.model_validate(dump), task.seed, at=task.horizons)
        except Exception as err:  # a failing run is data, not a crash
            record.update(failure(err, time.perf_counter() - start))
            outputs.append(RunOutput(record))
            continue
        results[name] = result
        record.update(
            status=OK,
            error=None,
            model_seconds=time.perf_counter() - start,
            run_seconds=float(result.summary.get("run_seconds", float("nan"))),
            **pick(result.summary, None),
        )
        weekly = result.weekly.copy()
        weekly.insert(0, "run_id", record["run_id"])
        outputs.append(RunOutput(record, weekly))
    if len(results) == n:
        _add_contrasts(task, results, outputs)
    return outputs


def _add_contrasts(task: ReplicateTask, results: dict, outputs: list[RunOutput]) -> None:
    """Each scenario's group levels beside the reference's, at each horizon before the end
    (each group as it stands then: people referred by that week) and at the end; and its
    effect by network type (at the end)."""
    names = [name for name, _ in task.scenarios]
    ref = results[names[0]]
    end = int(Params.model_validate(task.scenarios[0][1]).run.weeks)
    for s, name in enumerate(names[1:], start=1):
        res, out = results[name], outputs[s]
        rows = []
        for week in task.horizons:
            rows += _levels(res.at[week], ref.at[week], week)
        rows += _levels(res, ref, end)
        ids = {"run_id": out.record["run_id"], "replicate": task.replicate, "scenario": name}
        out.tables["contrasts"] = pd.DataFrame([ids | r for r in rows])
        people = groups.person_outcomes(res.people)
        by_type = groups.by_network_type(people, groups.person_outcomes(ref.people))
        if by_type:
            out.tables["by_type"] = pd.DataFrame([ids | r for r in by_type])


def _levels(res: Any, ref: Any, week: int) -> list[dict[str, Any]]:
    """Contrast rows of one scenario against the reference at one week: per group and
    registered effect, the group's level under each (``res``/``ref``: a run's result or
    snapshot, with ``people`` and ``summary``)."""
    people = groups.person_outcomes(res.people)
    ref_people = groups.person_outcomes(ref.people)
    rows = []
    for group, mask in groups.group_masks(people).items():
        level = groups.group_levels(people, res.summary, mask)
        reference = groups.group_levels(ref_people, ref.summary, mask)
        rows += [
            {"group": group, "outcome": o, "level": level[o], "reference": reference[o]}
            | {"n": int(mask.sum()), "week": week}
            for o in level
        ]
    return rows
