"""Calibration specs: free parameters and their priors, published targets, the budget.

A spec is YAML (loaded safely)::

    name: default
    description: The pathway and effect-size assumptions against the trials.
    priors:                             # free parameters, inside the schema's bounds
      wellbeing.activity_effect: {dist: uniform, lo: 0.2, hi: 1.6}
      pathways.advance: {dist: loguniform, lo: 0.02, hi: 0.3}
    targets:                            # one per published figure (its docs/EVIDENCE.md row)
      - id: E1                          # a row id, or row.label for one of several
        statistic: itt_effect           # see netmob.experiments.calibration.statistics
        of: eq5d
        scenario: trial_bright_plans    # measured where the trial ran (TR1)
        control: trial_bright           # paired control, same seed
        published: 0.05
        interval: [0.01, 0.08]          # the published 95% interval
      - id: E3
        statistic: itt_effect
        of: swemwbs
        scenario: trial_pals_genie
        control: trial_pals
        band: [-0.5, 0.5]               # "little or no effect": any value inside fits
    people: 300                         # target people in each study (default)
    params: {}                          # fixed overrides on every study's scenario
    method: {population: 100, generations: 8, max_simulations: 10000, quantile: 0.5}
    seed: 1

A target's distance is its deviation from the published value (or from the band) in
units of the interval's half-width, so targets with tight published intervals pull
harder; ``scale`` sets the unit for a half-open band. A prior is a
:class:`~netmob.experiments.specfile.ParamRange` of a real-valued parameter; the spec is a
:class:`~netmob.experiments.specfile.SpecFile`, so ``extends: NAME`` puts another spec's
keys beneath its own (each key it gives replaces the other's whole), as ``pilot`` extends
``default``. Every problem stops with one
:class:`~netmob.sim.errors.InputError` naming the file, the field, the value and what is
allowed.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from netmob.experiments.calibration.studies import OF_NAMES, STATISTICS
from netmob.experiments.specfile import (
    ParamRange,
    SpecFile,
    Where,
    apply,
    digest_of,
    fixed_params,
    read_ranges,
)
from netmob.sim import registry
from netmob.sim.area import Area
from netmob.sim.errors import InputError
from netmob.sim.network_types import PREDICTORS
from netmob.sim.params import Params, field_info
from netmob.sim.scenario import load_scenario, resolve_path
from netmob.sim.state import PEOPLE_SCHEMA

KEYS = ("name", "description", "extends", "priors", "targets", "people", "params", "method", "seed")
TARGET_KEYS = (
    "id",
    "statistic",
    "of",
    "week",
    "scenario",
    "control",
    "people",
    "published",
    "interval",
    "band",
    "scale",
    "note",
    "fit",  # false: simulated and checked, never fitted (an unverified figure)
)
METHOD_KEYS = {
    "population": "particles per generation, 2 or more",
    "generations": "generations of ABC-SMC, 1 or more",
    "max_simulations": "stop after this many simulations, 1 or more",
    "min_epsilon": "stop when the tolerance falls to this, 0 or more",
    "quantile": "each generation's tolerance as this quantile of the last one's distances, "
    "above 0 and below 1",
    "ppc_draws": "posterior draws simulated for the predictive check, 1 or more",
    "kernel_scaling": "each generation's proposal width as a multiple of pyabc's (Silverman) "
    "bandwidth, above 0 (1 is pyabc's default)",
    "min_ess": "the fewest effective particles a generation needs to be the posterior, 1 or "
    "more (a later generation whose weights collapsed below it is not used)",
}
# Method values beyond these are typing mistakes (each particle is several simulations).
METHOD_MAX = {"population": 100_000, "generations": 1_000, "ppc_draws": 100_000}
SEED_MAX = 2**32 - 1  # numpy's global generator, which pyabc draws from, takes no more
PRIOR_KEYS = ("dist", "lo", "hi")  # a prior is a range; dist: uniform (default) or loguniform
# The row ids of docs/EVIDENCE.md (a target names one, optionally with ".label").
ROWS = (
    [f"N{i}" for i in range(1, 9)]
    + [f"T{i}" for i in range(1, 5)]
    + [f"P{i}" for i in range(1, 8)]
    + [f"E{i}" for i in range(1, 7)]
    + [f"S{i}" for i in range(1, 4)]
)


@dataclass(frozen=True)
class Target:
    """One published figure and where and how the model measures it."""

    id: str
    statistic: str
    of: str | None
    week: int | None
    scenario: str
    control: str | None
    people: int
    published: float | None
    low: float
    high: float
    band: bool
    scale: float
    note: str = ""
    held_out: bool = False  # simulated and checked, but not in the distance

    @property
    def study(self) -> tuple[str, str | None, int]:
        """The runs it needs: scenario, control (or None) and target people."""
        return (self.scenario, self.control, self.people)

    def distance(self, value: float) -> float:
        """Deviation from the published value, or from the band, in units of ``scale``."""
        if not math.isfinite(value):
            return math.inf
        if self.published is None:  # a band
            return max(0.0, self.low - value, value - self.high) / self.scale
        return abs(value - self.published) / self.scale

    def inside(self, lo: float, hi: float) -> bool:
        """Whether the published value (or some of the band) lies in ``[lo, hi]``."""
        if self.published is None:  # a band
            return lo <= self.high and hi >= self.low
        return lo <= self.published <= hi


@dataclass(frozen=True)
class Method:
    """ABC-SMC's budget and schedule."""

    population: int = 100
    generations: int = 8
    max_simulations: int = 10_000
    min_epsilon: float = 0.0
    quantile: float = 0.5
    ppc_draws: int = 100
    # Wider proposals keep the importance weights even when many parameters are free: with
    # 20 and 100 particles, pyabc's default width left an effective sample size of 3 by the
    # third generation (docs/FINDINGS.md); 3 kept it near 30 in a synthetic check.
    kernel_scaling: float = 1.0
    # Importance weights can collapse onto one particle (one proposed where the proposal
    # is thin and the prior is not): such a generation is a point, not a posterior. The
    # posterior is the last generation with at least this effective sample size (capped
    # at the population), and the manifest says which.
    min_ess: float = 10.0


# The budget: how many generations are run, which is kept as the posterior and how many
# predictive draws, not what any generation computes (each task is seeded from the spec's
# seed, its generation and place).
BUDGET = ("generations", "max_simulations", "min_epsilon", "ppc_draws", "min_ess", "waves")


def sampling(definition: dict[str, Any]) -> dict[str, Any]:
    """A spec's definition without its budget."""
    method = {k: v for k, v in definition["method"].items() if k not in BUDGET}
    return definition | {"method": method}


class CalibrationSpec(SpecFile):
    """A validated calibration spec: its free parameters (``priors``, each a
    :class:`~netmob.experiments.specfile.ParamRange` drawn uniformly or log-uniformly),
    targets, method and seed, and the fixed ``params`` of every study."""

    KIND: ClassVar[str] = "calibration spec"
    FOLDER: ClassVar[str] = "calibration"
    KEYS: ClassVar[tuple[str, ...]] = KEYS

    file: str
    priors: tuple[ParamRange, ...]
    targets: tuple[Target, ...]
    method: Method | HistoryMethod
    seed: int
    params: tuple[tuple[str, Any], ...] = ()

    def definition(self) -> dict[str, Any]:
        """What decides the result (not the name, description or file; an area by its
        content, not its folder)."""
        return self.with_area_definition(
            {
                "priors": [p.model_dump(include={"name", "dist", "lo", "hi"}) for p in self.priors],
                "targets": [vars(t) for t in self.targets],
                "params": dict(self.params),
                "method": vars(self.method),
                "seed": self.seed,
            }
        )

    def on_area(self, area: Area) -> CalibrationSpec:
        """The same spec with every study on ``area`` (:class:`netmob.sim.area.Area`): the
        area's profile under each study's scenario and its resource directory, as
        ``compare --area`` runs a scenario; a study keeps the spec's size (``people``).

        Raises:
            InputError: if a study's scenario and the area together are not valid.
        """
        spec = super().on_area(area)
        for ref, _, people in spec.studies():
            study_params(spec, ref, people)  # every study checked before any run
        return spec

    def sampling_digest(self) -> str:
        """A hash of what decides each generation (:func:`sampling`): two specs that share
        it compute the same generations, however many each asks for."""
        return digest_of(sampling(self.definition()))

    def fitted(self) -> tuple[Target, ...]:
        """The targets the distance uses (all but those held out)."""
        return tuple(t for t in self.targets if not t.held_out)

    def holding_out(self, ids: list[str]) -> CalibrationSpec:
        """The same spec with ``ids`` held out of the distance (leave-one-out checks).

        Raises:
            InputError: for an id the spec has no target of, or holding out every target.
        """
        known = [t.id for t in self.targets]
        for i in ids:
            if i not in known:
                raise InputError(
                    "no target of that id in the spec",
                    file=self.file,
                    field="--hold-out",
                    value=i,
                    allowed=", ".join(known),
                )
        if set(ids) >= set(known):
            raise InputError(
                "at least one target must stay in the distance",
                field="--hold-out",
                value=ids,
                allowed="a subset of the targets",
            )
        targets = tuple(replace(t, held_out=t.held_out or t.id in ids) for t in self.targets)
        return self.model_copy(update={"targets": targets})

    def studies(self) -> list[tuple[str, str | None, int]]:
        """The distinct studies the targets need, in the order first named."""
        return list(dict.fromkeys(t.study for t in self.targets))


def study_params(spec: CalibrationSpec, ref: str, people: int) -> Params:
    """A study's parameters: its scenario (on the spec's area, if any), the spec's fixed
    params and its size on top (the particle's values go on top of these)."""
    scenario = load_scenario(resolve_path(ref, relative_to=Path(spec.file).parent))
    base = scenario.params if spec.area is None else spec.area.params(scenario.overrides)
    return base.with_overrides({**dict(spec.params), "population.n_people": people})


def resolve_spec(ref: str | Path) -> Path:
    """A spec reference (a path, or a name in ``experiments/calibration/``) as a path."""
    return CalibrationSpec.resolve(ref)


def load_calibration(ref: str | Path) -> CalibrationSpec:
    """Load and validate a calibration spec.

    Raises:
        InputError: for any problem, naming the file, the field, the value and what is allowed.
    """
    doc = CalibrationSpec.read(ref)
    path, file, raw = doc.path, doc.file, doc.raw
    people = _people(raw.get("people", 300), "people", file)
    priors = _priors(raw.get("priors"), file)
    fixed = _fixed(raw.get("params"), priors, file)
    targets = _targets(raw.get("targets"), people, path)
    _check_free(priors, targets, file)
    _check_weeks(targets, fixed, file)
    method = _method(raw.get("method"), file, len(priors))
    if isinstance(method, Method) and method.population < 2 * len(priors):
        raise InputError(
            "too few particles for the free parameters: the proposal's covariance would be "
            "singular",
            file=file,
            field="method.population",
            value=method.population,
            allowed=f"at least twice the free parameters ({2 * len(priors)})",
        )
    return CalibrationSpec(
        **doc.header(),
        params=tuple(fixed.items()),
        priors=priors,
        targets=targets,
        method=method,
        seed=_whole(raw.get("seed", 1), "seed", file, least=0, most=SEED_MAX),
    )


def _whole(value: Any, field: str, file: str, least: int, most: int | None = None) -> int:
    bad = isinstance(value, bool) or not isinstance(value, int) or value < least
    if bad or (most is not None and value > most):
        raise InputError(
            "must be a whole number",
            file=file,
            field=field,
            value=value,
            allowed=f"a whole number, {least} or more"
            if most is None
            else f"a whole number from {least} to {most:,}",
        )
    return value


def _people(value: Any, field: str, file: str) -> int:
    """Target people in a study: from 10 to the schema's most."""
    return _whole(value, field, file, least=10, most=field_info("population.n_people")["hi"])


def _number(value: Any, field: str, file: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(
            "must be a number", file=file, field=field, value=value, allowed="a finite number"
        )
    return float(value)


def _fixed(raw: Any, priors: tuple[ParamRange, ...], file: str) -> dict[str, Any]:
    """Fixed overrides for every study, checked against the schema (not a free one)."""
    fixed = fixed_params(raw, file)
    apply(Params(), fixed, file)
    for p in priors:
        if p.name in fixed:
            raise InputError(
                "the parameter is both free (priors) and fixed (params)",
                file=file,
                field=f"params.{p.name}",
                allowed="one or the other",
            )
    return fixed


def _priors(raw: Any, file: str) -> tuple[ParamRange, ...]:
    """The free parameters: ranges of real-valued parameters, each drawn uniformly or
    log-uniformly."""
    if not isinstance(raw, dict) or not raw:
        raise InputError(
            "a calibration needs free parameters",
            file=file,
            field="priors",
            value=raw,
            allowed="a mapping of parameter: {dist, lo, hi}",
        )
    priors = read_ranges(raw, Where(file=file, field="priors", keys=PRIOR_KEYS))
    for p in priors:
        if p.integer or not p.is_range:
            raise InputError(
                "only real-valued parameters can be calibrated",
                file=file,
                field=f"priors.{p.name}",
                value=field_info(p.name)["type"],
                allowed="a parameter of type float",
            )
    return priors


def _targets(raw: Any, people: int, path: Path) -> tuple[Target, ...]:
    file = str(path)
    if not isinstance(raw, list) or not raw:
        raise InputError(
            "a calibration needs targets",
            file=file,
            field="targets",
            value=raw,
            allowed="a list of targets, each with id, statistic, scenario and "
            "published + interval or band",
        )
    targets = tuple(_target(i, t, people, path) for i, t in enumerate(raw))
    ids = [t.id for t in targets]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    if dup:
        raise InputError(
            "target ids must be unique",
            file=file,
            field="targets",
            value=dup,
            allowed="row.label to tell targets of one row apart",
        )
    return targets


def _target(i: int, raw: Any, people: int, path: Path) -> Target:
    file, where = str(path), f"targets[{i}]"
    if not isinstance(raw, dict):
        raise InputError(
            "must be a mapping",
            file=file,
            field=where,
            value=raw,
            allowed="id, statistic, scenario, published, interval or band",
        )
    for key in raw:
        if key not in TARGET_KEYS:
            raise InputError(
                "unknown key", file=file, field=f"{where}.{key}", allowed=", ".join(TARGET_KEYS)
            )
    tid = str(raw.get("id", ""))
    where = f"targets[{tid or i}]"
    if tid.split(".")[0] not in ROWS:
        raise InputError(
            "unknown target: not a row of docs/EVIDENCE.md",
            file=file,
            field=f"{where}.id",
            value=tid or None,
            allowed=f"a row id ({', '.join(ROWS)}), optionally with .label",
        )
    statistic = raw.get("statistic")
    stat = STATISTICS.get(statistic) if isinstance(statistic, str) else None
    if stat is None:
        raise InputError(
            "unknown statistic",
            file=file,
            field=f"{where}.statistic",
            value=raw.get("statistic"),
            allowed=", ".join(STATISTICS),
        )
    for key, needed, what in (
        ("of", stat.needs_of, "reads no 'of'"),
        ("week", stat.needs_week, "is measured at the end of the run, not at a week"),
        ("control", stat.paired, "is measured in one scenario, without a control"),
    ):
        if key in raw and not needed:
            raise InputError(
                f"{stat.name} {what}",
                file=file,
                field=f"{where}.{key}",
                value=raw[key],
                allowed=f"no {key} for {stat.name}",
            )
    if not isinstance(raw.get("fit", True), bool):
        raise InputError(
            "must be true or false", file=file, field=f"{where}.fit", value=raw["fit"],
            allowed="true (fitted, the default) or false (checked, not fitted)",
        )  # fmt: skip
    if "note" in raw and not isinstance(raw["note"], str):
        raise InputError(
            "must be text", file=file, field=f"{where}.note", value=raw["note"], allowed="a string"
        )
    scenario = _scenario(raw.get("scenario"), f"{where}.scenario", path)
    control = raw.get("control")
    if stat.paired and control is None:
        raise InputError(
            f"{stat.name} needs a paired control scenario",
            file=file,
            field=f"{where}.control",
            allowed="a scenario name or file",
        )
    control = _scenario(control, f"{where}.control", path) if control is not None else None
    of = raw.get("of")
    if stat.needs_of and (not isinstance(of, str) or of not in of_names(stat.name)):
        names = of_names(stat.name)
        close = difflib.get_close_matches(str(of), names, n=3, cutoff=0.5)
        raise InputError(
            f"{stat.name} needs 'of' (what it measures)"
            if of is None
            else f"not something {stat.name} can measure",
            file=file,
            field=f"{where}.of",
            value=of,
            allowed=", ".join(close) if close and of is not None else ", ".join(names),
        )
    week = raw.get("week")
    if stat.needs_week:
        week = _whole(week, f"{where}.week", file, least=1)
    low, high, published, band, scale = _published(raw, where, file)
    return Target(
        id=tid,
        statistic=stat.name,
        of=of,
        week=week,
        scenario=scenario,
        control=control,
        people=_people(raw.get("people", people), f"{where}.people", file),
        published=published,
        low=low,
        high=high,
        band=band,
        scale=scale,
        note=" ".join(str(raw.get("note", "")).split()),
        held_out=not raw.get("fit", True),
    )


def _scenario(ref: Any, field: str, path: Path) -> str:
    """A scenario reference checked to load; kept as given (a library name or a path)."""
    if not isinstance(ref, str):
        raise InputError(
            "needs a scenario",
            file=str(path),
            field=field,
            value=ref,
            allowed="a scenario name (netmob scenarios) or file",
        )
    try:
        load_scenario(resolve_path(ref, relative_to=path.parent))
    except InputError as err:
        raise InputError(
            "scenario not found or not valid",
            file=str(path),
            field=field,
            value=ref,
            allowed=err.allowed or str(err),
        ) from None
    return ref


def _published(
    raw: dict[str, Any], where: str, file: str
) -> tuple[float, float, float | None, bool, float]:
    """(low, high, published, is band, scale) from ``published``+``interval`` or ``band``."""
    has_band = "band" in raw
    if has_band == ("interval" in raw) or has_band == ("published" in raw):
        raise InputError(
            "give published with interval, or a band",
            file=file,
            field=where,
            allowed="published: x, interval: [lo, hi]; or band: [lo, hi]",
        )
    pair = raw["band" if has_band else "interval"]
    key = f"{where}.{'band' if has_band else 'interval'}"
    if not isinstance(pair, list) or len(pair) != 2:
        raise InputError(
            "must be [lo, hi]",
            file=file,
            field=key,
            value=pair,
            allowed="two numbers (a band may leave one end null)",
        )
    lo = -math.inf if pair[0] is None and has_band else _number(pair[0], key, file)
    hi = math.inf if pair[1] is None and has_band else _number(pair[1], key, file)
    if not lo < hi:
        raise InputError("need lo < hi", file=file, field=key, value=pair, allowed="lo < hi")
    published = None if has_band else _number(raw["published"], f"{where}.published", file)
    if published is not None and not lo <= published <= hi:
        raise InputError(
            "the published value lies outside its interval",
            file=file,
            field=f"{where}.published",
            value=published,
            allowed=f"{lo} to {hi}",
        )
    if "scale" in raw:
        scale = _number(raw["scale"], f"{where}.scale", file)
    elif math.isfinite(hi - lo):
        scale = (hi - lo) / 2
    else:
        raise InputError(
            "a half-open band needs a scale",
            file=file,
            field=f"{where}.scale",
            allowed="a positive number: the unit of distance outside the band",
        )
    if scale <= 0:
        raise InputError(
            "must be positive",
            file=file,
            field=f"{where}.scale",
            value=scale,
            allowed="a number above 0",
        )
    return lo, hi, published, has_band, scale


def _method(raw: Any, file: str, free: int = 1) -> Method | HistoryMethod:
    raw = {} if raw is None else raw
    if isinstance(raw, dict) and raw.get("kind", "abc") != "abc":
        return history_method(raw, file, free)
    raw = {k: v for k, v in raw.items() if k != "kind"} if isinstance(raw, dict) else raw
    if not isinstance(raw, dict):
        raise InputError(
            "must be a mapping",
            file=file,
            field="method",
            value=raw,
            allowed=", ".join(METHOD_KEYS),
        )
    out: dict[str, Any] = {}
    for key, value in raw.items():
        field = f"method.{key}"
        if key not in METHOD_KEYS:
            raise InputError("unknown key", file=file, field=field, allowed=", ".join(METHOD_KEYS))
        if key in ("min_epsilon", "quantile", "kernel_scaling", "min_ess"):
            v = _number(value, field, file)
            ok = {
                "min_epsilon": v >= 0,
                "quantile": 0 < v < 1,
                "kernel_scaling": v > 0,
                "min_ess": v >= 1,
            }[key]
            if not ok:
                raise InputError(
                    "out of range", file=file, field=field, value=value, allowed=METHOD_KEYS[key]
                )
            out[key] = v
        else:
            least = 2 if key == "population" else 1
            out[key] = _whole(value, field, file, least=least, most=METHOD_MAX.get(key))
    method = Method(**out)
    if method.max_simulations < method.population:
        raise InputError(
            "fewer simulations than one generation's particles: not even the first "
            "generation could finish",
            file=file,
            field="method.max_simulations",
            value=method.max_simulations,
            allowed=f"at least method.population ({method.population})",
        )
    return method


def of_names(statistic: str) -> tuple[str, ...]:
    """What a statistic's ``of`` may name: a run summary's value (summary), a people
    table's column (the effects), a weekly per-person column (uptake_gain) or one of N7's
    predictors (typology_log_or)."""
    if statistic in OF_NAMES:
        return OF_NAMES[statistic]
    if statistic == "summary":
        return registry.names("run")
    if statistic == "uptake_gain":
        return tuple(PEOPLE_SCHEMA)
    if statistic == "typology_log_or":
        return PREDICTORS
    return registry.names("people")


def _check_weeks(targets: tuple[Target, ...], fixed: dict[str, Any], file: str) -> None:
    """A target measured at a week needs a run that lasts that long (a later week would
    silently read the last one)."""
    for t in targets:
        if t.week is None:
            continue
        for ref in filter(None, (t.scenario, t.control)):
            scenario = load_scenario(resolve_path(ref, relative_to=Path(file).parent))
            weeks = apply(scenario.params, fixed, file).run.weeks if fixed else None
            weeks = weeks or scenario.params.run.weeks
            if t.week > weeks:
                raise InputError(
                    f"scenario {ref} runs {weeks} weeks",
                    file=file,
                    field=f"targets[{t.id}].week",
                    value=t.week,
                    allowed=f"a week from 1 to {weeks}",
                )


def _check_free(priors: tuple[ParamRange, ...], targets: tuple[Target, ...], file: str) -> None:
    """A free parameter must be one no target scenario sets itself (a trial's design or a
    programme's preset is not for calibration to move)."""
    defaults = Params().flat()
    for ref in dict.fromkeys(s for t in targets for s in (t.scenario, t.control) if s):
        flat = load_scenario(resolve_path(ref, relative_to=Path(file).parent)).params.flat()
        for p in priors:
            if flat[p.name] != defaults[p.name]:
                raise InputError(
                    f"scenario {ref} sets this parameter itself ({flat[p.name]!r})",
                    file=file,
                    field=f"priors.{p.name}",
                    allowed="a parameter the target scenarios leave at the schema's default",
                )


# ---- method: history (history matching with emulators, then the posterior) ------------
# netmob.experiments.calibration.match runs it; each key's meaning is what a wrong value
# is told.
HISTORY_KEYS = {
    "kind": "history (or abc, for ABC-SMC)",
    "first_wave": "runs in the first wave, at least 10 per free parameter",
    "wave_runs": "runs in each later wave, 2 or more",
    "waves": "waves at most, 1 or more (fewer if a wave rules out almost nothing more)",
    "held_out": "share of each wave's runs kept back to validate its emulators, above 0 "
    "and at most 0.5",
    "discrepancy": "the model discrepancy's sd, as a multiple of each target's published "
    "half-interval (an assumption), 0 or more",
    "cutoff": "implausibility above which a point is ruled out, above 0 (3 is usual)",
    "pool": "points kept to represent the space not ruled out, 100 or more",
    "particles": "posterior particles (sequential Monte Carlo on the emulators), 100 or more",
    "min_ess": "the smallest effective sample size the posterior must reach, 1 or more",
    "sbc_truths": "synthetic truths of simulation-based calibration, 20 or more",
    "sbc_pool": "points spread over the prior that each synthetic truth's posterior "
    "weighs, 1,000 or more",
    "ppc_draws": "posterior draws simulated for the predictive check, 1 or more",
}
HISTORY_MAX = {"first_wave": 100_000, "wave_runs": 100_000, "waves": 50, "pool": 1_000_000,
               "particles": 100_000, "sbc_truths": 100_000, "ppc_draws": 100_000}  # fmt: skip


@dataclass(frozen=True)
class HistoryMethod:
    """History matching's budget and settings (see :data:`HISTORY_KEYS`)."""

    kind: str = "history"
    first_wave: int = 0  # 0: 15 runs per free parameter
    wave_runs: int = 0  # 0: half the first wave
    waves: int = 4
    held_out: float = 0.2
    discrepancy: float = 0.5
    cutoff: float = 3.0
    pool: int = 20_000
    particles: int = 2_000
    min_ess: float = 500.0
    sbc_truths: int = 1_000
    sbc_pool: int = 50_000
    ppc_draws: int = 100


def history_method(raw: dict, file: str, free: int) -> HistoryMethod:
    """A ``method: {kind: history, ...}`` block, checked.

    Raises:
        InputError: for an unknown key or a value out of range.
    """
    out: dict[str, Any] = {}
    for key, value in raw.items():
        field = f"method.{key}"
        if key not in HISTORY_KEYS:
            raise InputError(
                "unknown key for method: history", file=file, field=field,
                allowed=", ".join(HISTORY_KEYS),
            )  # fmt: skip
        if key == "kind":
            if value != "history":
                raise InputError(
                    "unknown method", file=file, field=field, value=value,
                    allowed="history or abc",
                )  # fmt: skip
        elif key in ("held_out", "discrepancy", "cutoff", "min_ess"):
            v = _number(value, field, file)
            ok = {"held_out": 0 < v <= 0.5, "discrepancy": v >= 0, "cutoff": v > 0,
                  "min_ess": v >= 1}[key]  # fmt: skip
            if not ok:
                raise InputError(
                    "out of range", file=file, field=field, value=value,
                    allowed=HISTORY_KEYS[key],
                )  # fmt: skip
            out[key] = v
        else:
            least = {"first_wave": 10 * free, "wave_runs": 2, "pool": 100, "particles": 100,
                     "sbc_truths": 20, "sbc_pool": 1000}.get(key, 1)  # fmt: skip
            out[key] = _whole(value, field, file, least=least, most=HISTORY_MAX.get(key))
    method = HistoryMethod(**out)
    first = method.first_wave or 15 * free
    return replace(method, first_wave=first, wave_runs=method.wave_runs or max(2, first // 2))


def with_method(spec: CalibrationSpec, kind: str) -> CalibrationSpec:
    """``spec`` calibrated by ``kind`` (abc or history): its own method block if it is of
    that kind, else that kind's defaults.

    Raises:
        InputError: for an unknown kind.
    """
    if kind not in ("abc", "history"):
        raise InputError("unknown method", field="--method", value=kind, allowed="abc, history")
    if (kind == "history") == isinstance(spec.method, HistoryMethod):
        return spec
    if kind == "history":
        method: Method | HistoryMethod = history_method({}, spec.file, len(spec.priors))
    else:
        method = Method(population=max(Method.population, 2 * len(spec.priors)))
    return spec.model_copy(update={"method": method})
