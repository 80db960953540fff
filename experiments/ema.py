"""netmob as an EMA Workbench model: uncertainties and levers from the parameter schema,
outcomes from the registry, each experiment one run of :func:`netmob.sim.run.simulate`.

The EMA Workbench (``ema_workbench``) samples uncertainties and levers, runs a model on
each sample and analyses the results (scenario discovery with PRIM or CART, feature
scoring, robust optimisation). :func:`netmob_model` gives it netmob:

- uncertainties and levers are schema parameters (see ``netmob params``), each a range
  from the schema's bounds unless given one (:func:`schema_parameters`), checked as every
  spec's ranges are (:class:`~netmob.experiments.specfile.ParamRange`): a float a
  ``RealParameter``, a whole number an ``IntegerParameter``, a switch a
  ``BooleanParameter``, a choice a ``CategoricalParameter``;
- outcomes are the run outcomes of the registry (:mod:`netmob.sim.registry`, table
  ``run``: ``summary.json`` flattened, as a sweep keeps them), ``ScalarOutcome``s to
  maximise or minimise as the registry says which way is better
  (:func:`registry_outcomes`), and optionally weekly columns as ``TimeSeriesOutcome``s;
- every experiment runs from the same seed (common random numbers, as netmob's sweeps
  do), or, with ``replications=R``, from R seeds (a ``ReplicatorModel``: replicate ``r``
  gets the seed a sweep's replicate ``r`` gets), each outcome then the mean of the R runs.

EMA 3 wants names that are Python identifiers, so in EMA a parameter's dots are double
underscores (:func:`ema_name`: ``wellbeing.gap_effect`` is ``wellbeing__gap_effect``;
outcome names have no dots) and a weekly column's series is
``weekly__NAME``; each EMA variable keeps netmob's name as its ``variable_name``. Should a
run not produce an outcome, it is NaN. ``docs/EMA.md`` shows sampling and PRIM on it.

Examples:
    >>> m = netmob_model(["wellbeing.gap_effect"], outcomes=["swemwbs_mean", "people_reached"],
    ...                  people=50, weeks=2)
    >>> [(u.name, u.lower_bound, u.upper_bound) for u in m.uncertainties]
    [('wellbeing__gap_effect', 0.0, 5.0)]
    >>> [(o.name, o.variable_name[0]) for o in m.outcomes]
    [('swemwbs_mean', 'swemwbs_mean'), ('people_reached', 'people_reached')]
    >>> m.outcomes["swemwbs_mean"].kind == ScalarOutcome.MAXIMIZE
    True
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from netmob.experiments.design import plain
from netmob.experiments.levers import steer_range
from netmob.experiments.names import ema_name, netmob_name  # noqa: F401 (netmob_name re-exported)
from netmob.experiments.outcomes import TIMING, flatten
from netmob.experiments.plan import run_seed
from netmob.experiments.specfile import ParamRange, Where, parameter_info
from netmob.sim import registry
from netmob.sim.errors import InputError
from netmob.sim.params import Params, full_name
from netmob.sim.scenario import load_scenario

with warnings.catch_warnings():  # it says once that ipyparallel is not installed
    warnings.simplefilter("ignore", UserWarning)
    from ema_workbench import (
        BooleanParameter,
        CategoricalParameter,
        Constant,
        IntegerParameter,
        Model,
        RealParameter,
        ReplicatorModel,
        ScalarOutcome,
        TimeSeriesOutcome,
    )
    from ema_workbench.em_framework.parameters import Parameter

SEED = "seed"  # the model function's seed argument (a constant, or per replication)
SERIES = "weekly."  # a weekly column's series, apart from the run outcome of that name
KINDS = {
    "higher": ScalarOutcome.MAXIMIZE,
    "lower": ScalarOutcome.MINIMIZE,
    None: ScalarOutcome.INFO,
}
MEAN_OF_REPLICATIONS = functools.partial(np.mean, axis=0)


def schema_parameters(
    names: Iterable[str],
    ranges: Mapping[str, Sequence[Any]] | None = None,
    *,
    levers: bool = False,
) -> list[Parameter]:
    """EMA parameters for the schema parameters ``names`` (dotted, or a short name that
    only one group has), each over ``ranges[name]`` if given, else over the schema's
    bounds (``levers``: over the range a lever is steered over,
    :func:`netmob.experiments.levers.steer_range`): ``(lo, hi)`` for a number, the
    categories for a choice.

    Raises:
        InputError: for an unknown parameter, a range outside the schema's bounds, or a
            choice without categories.
    """
    ranges = dict(ranges or {})
    out = []
    for given_name in names:
        name = full_name(given_name)
        given = ranges.pop(given_name, ranges.pop(name, None))
        if given is None and levers and _numeric(name):
            given = steer_range(name)
        out.append(_parameter(name, given))
    if ranges:
        raise InputError("a range for a parameter not asked for", field=", ".join(ranges))
    return out


def _numeric(name: str) -> bool:
    return parameter_info(name, Where(field=name, keyed=False))["type"] in ("int", "float")


def _parameter(name: str, given: Sequence[Any] | None) -> Parameter:
    """The EMA parameter of a schema parameter over ``given`` (a pair for a number, the
    categories for a choice; None: the schema's bounds), by way of a
    :class:`~netmob.experiments.specfile.ParamRange`."""
    where = Where(field=name, keyed=False)
    info = parameter_info(name, where)
    label = {"variable_name": name}
    if given is None:
        spec: Any = "bounds"
    elif info["lo"] is not None:
        lo, hi = _pair(name, given)
        spec = {"lo": lo, "hi": hi}
    else:
        spec = list(given)
    r = ParamRange.read(name, spec, where)
    if r.is_range:
        lo, hi = r.bounds
        if r.integer:
            return IntegerParameter(ema_name(name), int(lo), int(hi), **label)
        return RealParameter(ema_name(name), lo, hi, **label)
    if info["type"] == "bool" and given is None:
        return BooleanParameter(ema_name(name), **label)
    if len(r.choices) < 2:
        raise InputError(
            "a choice needs two or more categories",
            field=name,
            value=list(r.choices),
            allowed="a list of two or more values",
        )
    return CategoricalParameter(ema_name(name), list(r.choices), **label)


def _pair(name: str, given: Sequence[Any]) -> tuple[float, float]:
    if len(given) != 2 or not all(isinstance(v, int | float) for v in given):
        raise InputError("a range is two numbers", field=name, value=given, allowed="(lo, hi)")
    return given[0], given[1]


def registry_outcomes(
    names: Iterable[str] | None = None, weekly: Iterable[str] = (), replications: bool = False
) -> list[ScalarOutcome | TimeSeriesOutcome]:
    """EMA outcomes: each run outcome ``names`` of the registry (all when None), to
    maximise, minimise or just record as the registry says which way is better, then each
    weekly column ``weekly`` as a time series ``weekly__NAME`` (one value per week after
    the burn-in). With ``replications``, each is the mean over a model's replications.

    Raises:
        InputError: for a name the registry does not have in that table.
    """
    mean = {"function": MEAN_OF_REPLICATIONS} if replications else {}
    out: list[ScalarOutcome | TimeSeriesOutcome] = []
    for name in registry.names("run") if names is None else names:
        o = _registered(name, "run")
        out.append(ScalarOutcome(ema_name(name), KINDS[o.better], variable_name=name, **mean))
    for name in weekly:
        _registered(name, "weekly")
        series = SERIES + name
        out.append(TimeSeriesOutcome(ema_name(series), variable_name=series, **mean))
    return out


def _registered(name: str, table: registry.Table) -> registry.Outcome:
    try:
        return registry.get(name, table)
    except KeyError:
        listing = "run/summary" if table == "run" else "run/weekly"
        new = registry.renamed(name, table)
        if new is not None:
            raise InputError(f"renamed to {new}", field=name, allowed=new) from None
        raise InputError(
            f"not a registered {table} outcome",
            field=name,
            allowed=f"a name `netmob columns {listing}` lists",
        ) from None


@dataclass(frozen=True)
class Simulate:
    """The model function: one netmob run of ``base`` with the sampled parameters on top,
    reduced to the outcomes by netmob's names (picklable, so EMA's multiprocessing
    evaluator can ship it)."""

    base: dict[str, Any]  # Params.model_dump()
    scalars: tuple[str, ...]
    series: tuple[str, ...] = ()

    def __call__(self, **experiment: Any) -> dict[str, Any]:
        """Run the experiment: ``seed`` and schema parameters by their dotted names."""
        from netmob.sim.run import simulate

        seed = int(experiment.pop(SEED))
        # by netmob's names (EMA passes a lever by its EMA name when no uncertainty is set)
        overrides = {netmob_name(k): v for k, v in plain(experiment).items()}
        params = Params.model_validate(self.base)
        if overrides:
            params = params.with_overrides(overrides, file="EMA experiment")
        result = simulate(params, seed)
        summary = {k: v for k, v in flatten(result.summary).items() if k not in TIMING}
        out: dict[str, Any] = {n: _number(summary.get(n)) for n in self.scalars}
        for n in self.series:
            col = result.weekly[n] if n in result.weekly else None
            missing = np.full(len(result.weekly), np.nan)
            out[SERIES + n] = col.to_numpy(float) if col is not None else missing
        return out


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def netmob_model(
    uncertainties: Iterable[str | Parameter] = (),
    levers: Iterable[str | Parameter] = (),
    outcomes: Iterable[str] | None = None,
    *,
    weekly: Iterable[str] = (),
    scenario: str | None = None,
    area: Any = None,
    params: Mapping[str, Any] | None = None,
    people: int | None = None,
    weeks: int | None = None,
    seed: int = 1,
    replications: int | None = None,
    name: str = "netmob",
) -> Model | ReplicatorModel:
    """netmob as an EMA Workbench model.

    Args:
        uncertainties: Schema parameters EMA samples as uncertainties: dotted names (over
            the schema's bounds) or EMA parameters (e.g. from :func:`schema_parameters`
            with ranges).
        levers: Schema parameters EMA samples as levers (policies): by name, over the
            range a lever is steered over (:mod:`netmob.experiments.levers`: the
            workforce 0 to 5 times the one sized from referrals, not the schema's 0 to
            100), or EMA parameters with ranges of their own.
        outcomes: Run outcomes of the registry to record (all when None).
        weekly: Weekly columns to record as time series.
        scenario: The scenario every experiment starts from (a name or file; None: the
            schema's defaults).
        area: An area folder (a path, or a loaded :class:`netmob.sim.area.Area`): every
            experiment runs the scenario on the area's people and resource directory
            (``netmob run --area``); with ``people``, its workforce and places scale.
        params: Fixed overrides on top of the scenario (dotted names).
        people: Target people (``population.n_people``; None: the scenario's).
        weeks: Weeks after the burn-in (``run.weeks``; None: the scenario's).
        seed: The seed of every experiment (common random numbers), or with
            ``replications``, the seed the replications' seeds derive from.
        replications: None for one run per experiment; R for R runs from R seeds, each
            outcome the mean of the R.
        name: The model's name in EMA's results (a Python identifier).

    Raises:
        InputError: for an unknown parameter or outcome, a bad range, a parameter that is
            both an uncertainty and a lever, or fixed parameters the schema rejects.
    """
    base = _base(scenario, area)
    fixed = dict(params or {})
    if people is not None:
        fixed["population.n_people"] = people
    if weeks is not None:
        fixed["run.weeks"] = weeks
    if fixed:
        base = base.with_overrides(fixed, file="netmob_model")
    unc, lev = _as_parameters(uncertainties), _as_parameters(levers, levers=True)
    both = {p.name for p in unc} & {p.name for p in lev}
    if both:
        raise InputError("both an uncertainty and a lever", field=", ".join(sorted(both)))
    if replications is not None and replications < 1:
        raise InputError("must be 1 or more", field="replications", value=replications)
    outs = registry_outcomes(outcomes, weekly, replications=replications is not None)
    function = Simulate(
        base=base.model_dump(),
        scalars=tuple(o.variable_name[0] for o in outs if isinstance(o, ScalarOutcome)),
        series=tuple(
            o.variable_name[0].removeprefix(SERIES)
            for o in outs
            if isinstance(o, TimeSeriesOutcome)
        ),
    )
    if replications is None:
        model = Model(name, function=function)
        model.constants = [Constant(SEED, int(seed))]
    else:
        model = ReplicatorModel(name, function=function)
        model.replications = [{SEED: run_seed(seed, 0, r)} for r in range(replications)]
    model.uncertainties = unc
    model.levers = lev
    model.outcomes = outs
    return model


def _base(scenario: str | None, area: Any) -> Params:
    """The scenario's parameters, on the area if one is given."""
    if area is None:
        return load_scenario(scenario).params if scenario else Params()
    from netmob.sim.area import Area, load_area

    the_area = area if isinstance(area, Area) else load_area(area)
    return the_area.params(load_scenario(scenario).overrides if scenario else {})


def _as_parameters(given: Iterable[str | Parameter], levers: bool = False) -> list[Parameter]:
    """Names made EMA parameters (a lever over its steering range); EMA parameters kept
    (each must name a schema parameter by its ``variable_name``, a real or whole-number
    one over a range inside the schema's bounds).

    Raises:
        InputError: for a name the schema does not have, or a range outside its bounds.
    """
    items = list(given)
    names = [g for g in items if isinstance(g, str)]
    built = iter(schema_parameters(names, levers=levers))
    out = [next(built) if isinstance(g, str) else g for g in items]
    for p in out:
        name = p.variable_name[0]
        where = Where(field=name, keyed=False)
        parameter_info(name, where)
        ranged = isinstance(p, RealParameter | IntegerParameter)
        if ranged and not isinstance(p, CategoricalParameter):  # EMA's choices are integers too
            ParamRange.read(name, {"lo": p.lower_bound, "hi": p.upper_bound}, where)
    return out
