"""Sweep specs: which parameters to vary, how, how often, and which outcomes to keep.

A spec is YAML (loaded safely, like a scenario file)::

    name: pathways
    description: Each pathway on its own and both, across barriers and worker numbers.
    base: genie                    # a scenario: library name or path (default: the schema's defaults)
    params:                        # fixed overrides on top of the base
      population.n_people: 2000
    vary:                          # parameters to vary
      pathways.nudge: [false, true]            # a list of values
      attendance.barrier_scale: {lo: 0.5, hi: 2, levels: 4}   # a range (grid: levels)
      pathways.advance: {levels: 3}            # the schema's bounds, 3 levels (lhs, sobol, morris: bounds)
    design: grid                   # grid | lhs | sobol | morris, or {kind: sobol, samples: 256}
    replicates: 10                 # runs per design point
    seed: 1                        # the sweep's seed; each run's seed derives from it
    crn: true                      # replicate r of every point shares its seed
    outcomes: [swemwbs_mean, support_received_mean]   # or "all"
    weekly: false                  # or true (every column), or a list of weekly columns

Ranges default to the schema's bounds and may only narrow them. Every problem stops with
one :class:`~netmob.sim.errors.InputError` naming the file, the field, the value and what is
allowed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netmob.experiments.outcomes import OUTCOMES, WEEKLY_COLUMNS
from netmob.sim import registry
from netmob.sim.errors import InputError
from netmob.sim.params import Params, field_info, nest
from netmob.sim.scenario import load_scenario, read_mapping, resolve_path

KEYS = (
    "name",
    "description",
    "base",
    "params",
    "vary",
    "design",
    "replicates",
    "seed",
    "crn",
    "outcomes",
    "weekly",
    "posterior",
)
DESIGNS = ("grid", "lhs", "sobol", "morris")
# Runs in one sweep or comparison at most: more is a typing mistake (a million runs of a
# few seconds each is weeks of a cluster), and the plan of every run is held in memory.
MAX_RUNS = 1_000_000
RANGE_KEYS = ("lo", "hi", "levels", "values")
ALLOWED = {
    "name": "text",
    "description": "text",
    "base": "a scenario name or a path to a scenario file",
    "replicates": "a whole number, 1 or more",
    "seed": "a whole number from 0 to 2**63 - 1",
    "crn": "true or false",
    "posterior": "posterior (the one netmob ships), or a path to a posterior.parquet or to a "
    "calibration folder holding one",
    "design": f"one of {', '.join(DESIGNS)}, or a mapping with kind, samples, levels, second_order",
    "design.kind": ", ".join(DESIGNS),
    "design.samples": "a whole number, 1 or more",
    "design.levels": "a whole number, 2 or more",
    "design.second_order": "true or false",
}


def library_dir() -> Path:
    """The project's sweep specs: ``experiments/*.yaml``."""
    return Path(__file__).resolve().parent


def library() -> list[str]:
    """Names of the sweep specs shipped in ``experiments/``, sorted."""
    return sorted(p.stem for p in library_dir().glob("*.yaml"))


class Factor(BaseModel):
    """One varied parameter: a list of values, or a range (with grid levels)."""

    model_config = ConfigDict(frozen=True)

    name: str
    values: tuple[Any, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    levels: int | None = None
    integer: bool = False

    @property
    def is_range(self) -> bool:
        """True for a range, False for a list of values."""
        return self.values is None


class DesignSpec(BaseModel):
    """How points are chosen: ``samples`` is LHS points, Sobol base samples or Morris
    trajectories; ``levels`` is grid levels of ranges or the Morris grid."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["grid", "lhs", "sobol", "morris"]
    samples: int | None = Field(None, ge=1)
    levels: int | None = Field(None, ge=2)
    second_order: bool = False


class _Document(BaseModel):
    """The top-level keys of a spec and their types (the structure, not the meaning)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str | None = None
    description: str = ""
    base: str | None = None
    params: Any = None
    vary: Any = None
    design: DesignSpec
    replicates: int = Field(1, ge=1)
    seed: int = Field(1, ge=0, le=2**63 - 1)
    crn: bool = True
    outcomes: Any = "all"
    weekly: Any = False
    posterior: str | None = None


class SweepSpec(BaseModel):
    """A validated sweep spec, ready to be turned into runs."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    name: str
    description: str
    file: str | None
    base: str | None
    base_overrides: dict[str, Any]
    base_params: Params
    fixed: dict[str, Any]
    factors: tuple[Factor, ...]
    design: DesignSpec
    replicates: int
    seed: int
    crn: bool
    outcomes: tuple[str, ...] | None  # None: every scalar the run produces
    weekly: tuple[str, ...] | None  # weekly columns to keep; empty: none; None: all
    # A calibration's posterior.parquet: replicate r of every point runs on the same
    # particle, drawn by weight, beneath the fixed params and the factors.
    posterior: str | None = None
    # An area folder's provenance (netmob.sim.area): the base runs on its people and resources.
    area: dict[str, Any] | None = None

    def definition(self) -> dict[str, Any]:
        """What decides the runs and what they keep; two specs with the same definition
        give the same results (name, description and file path do not count)."""
        return (
            {
                "base": self.base_overrides,
                "params": self.fixed,
                "vary": [f.model_dump() for f in self.factors],
                "design": self.design.model_dump(),
                "replicates": self.replicates,
                "seed": self.seed,
                "crn": self.crn,
                "outcomes": list(self.outcomes) if self.outcomes is not None else "all",
                "weekly": list(self.weekly) if self.weekly is not None else "all",
            }
            | ({"posterior": _file_digest(self.posterior)} if self.posterior else {})
            | ({"area": {k: v for k, v in self.area.items() if k != "folder"}} if self.area else {})
        )

    def digest(self) -> str:
        """A hash of :meth:`definition` (16 hex digits)."""
        return digest_of(self.definition())


def with_area(spec: SweepSpec, area: Any) -> SweepSpec:
    """``spec`` run on an area (:class:`netmob.sim.area.Area`): its base scenario on the
    area's people and resource directory, the spec's fixed params on top."""
    base = area.params(spec.base_overrides)
    try:
        base = apply(base, spec.fixed, spec.file) if spec.fixed else base
    except InputError as err:
        raise _prefixed(err, "params", spec.file) from None
    return spec.model_copy(update={"base_params": base, "area": area.provenance()})


def digest_of(definition: Any) -> str:
    """A hash of an experiment's definition (16 hex digits): the same definition, the same
    digest (sweeps, comparisons and calibrations refuse a folder of another)."""
    text = json.dumps(definition, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def find_spec(ref: str | Path, folder: Path, what: str) -> Path:
    """A spec reference (a path, or the name of a YAML file in ``folder``) as a path.

    Raises:
        InputError: naming the reference and the specs ``folder`` holds.
    """
    for candidate in (Path(ref), folder / f"{ref}.yaml"):
        if candidate.is_file():
            return candidate.resolve()
    names = sorted(p.stem for p in folder.glob("*.yaml"))
    raise InputError(
        f"{what} not found: no such file and no spec of that name in {folder.name}/",
        value=str(ref),
        allowed=", ".join(names) or "a YAML file",
    )


def resolve_spec(ref: str | Path) -> Path:
    """A spec reference (a path, or a name in ``experiments/``) as an existing path."""
    return find_spec(ref, library_dir(), "sweep spec")


def load_spec(ref: str | Path) -> SweepSpec:
    """Load and validate a sweep spec (a path or a name in ``experiments/``).

    Raises:
        InputError: for any problem, naming the file, the field, the value and what is allowed.
    """
    path = resolve_spec(ref)
    file = str(path)
    raw = _read_mapping(path)
    doc = _parse_document(raw, file)
    base_name, base_overrides, base_params = _load_base(doc.base, path)
    fixed = _fixed_params(doc.params, file)
    try:
        base_params = apply(base_params, fixed, file) if fixed else base_params
    except InputError as err:
        raise _prefixed(err, "params", file) from None
    factors = parse_factors(doc.vary, fixed, file)
    _check_design(doc.design, factors, file)
    _check_size(doc.design, factors, doc.replicates, file)
    return SweepSpec(
        name=doc.name or path.stem,
        description=" ".join(doc.description.split()),
        file=file,
        base=base_name,
        base_overrides=base_overrides,
        base_params=base_params,
        fixed=fixed,
        factors=factors,
        design=doc.design,
        replicates=doc.replicates,
        seed=doc.seed,
        crn=doc.crn,
        outcomes=_parse_outcomes(doc.outcomes, file),
        weekly=_parse_weekly(doc.weekly, file),
        posterior=_posterior_path(doc.posterior, path),
    )


def shipped_posterior() -> Path:
    """The posterior that ships with netmob (``experiments/calibration/posterior.parquet``)."""
    return library_dir() / "calibration" / "posterior.parquet"


def _posterior_path(ref: str | None, spec_path: Path) -> str | None:
    """A sweep's ``posterior``: the shipped one, or a file or calibration folder (relative
    paths from the spec's folder), as the path of its ``posterior.parquet``."""
    if ref is None:
        return None
    path = shipped_posterior() if ref == "posterior" else spec_path.parent / ref
    path = path / "posterior.parquet" if path.is_dir() else path
    if not path.is_file():
        raise InputError(
            "posterior not found",
            file=str(spec_path),
            field="posterior",
            value=ref,
            allowed=ALLOWED["posterior"],
        )
    return str(path.resolve())  # its content is checked by plan(), before any run


def _file_digest(path: str) -> str:
    """The first 16 hex digits of a file's SHA-256 (a changed posterior is another sweep)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def parse_factors(vary: Any, fixed: dict[str, Any], file: str) -> tuple[Factor, ...]:
    """A ``vary`` mapping as factors, each checked against the schema (and not ``fixed``)."""
    return tuple(
        _parse_factor(name, value, fixed, file) for name, value in _mapping(vary, "vary", file)
    )


def apply(params: Params, overrides: dict[str, Any], file: str | None) -> Params:
    """``params.with_overrides(overrides)``; a value the schema's own checks trip over
    (e.g. a list where a name belongs) is an InputError too, never a crash."""
    try:
        return params.with_overrides(overrides, file=file)
    except (TypeError, ValueError, AttributeError) as err:
        field = next(iter(overrides), None) if len(overrides) == 1 else None
        raise InputError(
            f"the schema cannot read this value ({type(err).__name__}: {err})",
            file=file,
            field=field,
            value=overrides.get(field, overrides) if field else overrides,
            allowed="values of the type `netmob params` shows",
        ) from None


def _read_mapping(path: Path) -> dict[str, Any]:
    """The YAML mapping in ``path`` (loaded safely), its top-level keys checked."""
    return read_mapping(path, KEYS, "sweep spec")


def _parse_document(raw: dict[str, Any], file: str) -> _Document:
    """The document's structure validated (types, required keys) by pydantic."""
    if "design" not in raw:
        raise InputError(
            "a sweep spec needs a design", file=file, field="design", allowed=ALLOWED["design"]
        )
    doc = dict(raw)
    if isinstance(doc["design"], str):
        doc["design"] = {"kind": doc["design"]}
    try:
        return _Document.model_validate(doc)
    except ValidationError as err:
        raise _document_error(err, file) from None


def _document_error(err: ValidationError, file: str) -> InputError:
    """The first pydantic error as an InputError naming the field and what is allowed."""
    e = err.errors()[0]
    field = ".".join(str(p) for p in e["loc"]) or None
    value = e.get("input", InputError._UNSET)
    if e["type"] == "extra_forbidden":
        return InputError(
            "unknown key", file=file, field=field, allowed="kind, samples, levels, second_order"
        )
    if e["type"] == "missing":
        return InputError("is required", file=file, field=field, allowed=ALLOWED.get(field or ""))
    top = (field or "").split(".")[0]
    allowed = ALLOWED.get(field or "") or ALLOWED.get(top)
    return InputError(e["msg"], file=file, field=field, value=value, allowed=allowed)


def _load_base(base: str | None, spec_path: Path) -> tuple[str | None, dict[str, Any], Params]:
    """The base scenario's name, its resolved overrides and its parameters."""
    if base is None:
        return None, {}, Params()
    try:
        path = resolve_path(base, relative_to=spec_path.parent)
    except InputError as err:
        raise InputError(
            "base scenario not found",
            file=str(spec_path),
            field="base",
            value=base,
            allowed=err.allowed,
        ) from None
    scenario = load_scenario(path)  # a problem inside the scenario names that file
    return scenario.name, scenario.overrides, scenario.params


def _fixed_params(params: Any, file: str) -> dict[str, Any]:
    """Fixed overrides as ``{"group.name": value}``."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise InputError(
            "must be a mapping of parameters",
            file=file,
            field="params",
            value=params,
            allowed="group.name: value pairs",
        )
    try:
        nested = nest(params, file=file)
    except InputError as err:
        raise _prefixed(err, "params", file) from None
    flat: dict[str, Any] = {}
    for group, values in nested.items():
        if isinstance(values, dict):
            flat.update({f"{group}.{k}": v for k, v in values.items()})
        else:
            flat[group] = values
    return flat


def _mapping(value: Any, field: str, file: str) -> list[tuple[str, Any]]:
    """The items of an optional mapping with text keys."""
    if value is None:
        return []
    if not isinstance(value, dict):
        raise InputError(
            "must be a mapping",
            file=file,
            field=field,
            value=value,
            allowed="parameter: values or range pairs",
        )
    for key in value:
        if not isinstance(key, str):
            raise InputError(
                "parameter names are text",
                file=file,
                field=field,
                value=key,
                allowed="group.name, e.g. pathways.advance",
            )
    return list(value.items())


def _parse_factor(name: str, spec: Any, fixed: dict[str, Any], file: str) -> Factor:
    """One ``vary`` entry as a :class:`Factor`, checked against the schema."""
    field = f"vary.{name}"
    try:
        info = field_info(name)
    except InputError as err:
        raise InputError("unknown parameter", file=file, field=field, allowed=err.allowed) from None
    if name in fixed:
        raise InputError(
            "the parameter is both fixed (params) and varied (vary)",
            file=file,
            field=field,
            allowed="one or the other",
        )
    numeric, integer = info["lo"] is not None, info["type"] == "int"
    if spec is None or spec == "bounds":
        if numeric:
            spec = {}
        elif info["type"] == "bool":
            spec = [False, True]
        else:
            raise InputError(
                "give the values to try",
                file=file,
                field=field,
                value=spec,
                allowed=f"a list of values ({info['type']})",
            )
    if isinstance(spec, dict) and set(spec) == {"values"}:
        spec = spec["values"]
    if isinstance(spec, list):
        return Factor(name=name, values=_check_values(name, spec, file), integer=integer)
    if not isinstance(spec, dict):
        raise InputError(
            "give a list of values, a range {lo, hi}, or 'bounds'",
            file=file,
            field=field,
            value=spec,
            allowed=_range_text(info),
        )
    return _parse_range(name, spec, info, file)


def _parse_range(name: str, spec: dict[str, Any], info: dict[str, Any], file: str) -> Factor:
    """A ``{lo, hi, levels}`` entry, within the schema's bounds."""
    field = f"vary.{name}"
    for key in spec:
        if key not in RANGE_KEYS:
            raise InputError(
                "unknown key", file=file, field=f"{field}.{key}", allowed=", ".join(RANGE_KEYS)
            )
    if "values" in spec:
        raise InputError(
            "values cannot go with lo, hi or levels",
            file=file,
            field=field,
            value=spec,
            allowed="either values or a range",
        )
    if info["lo"] is None:
        raise InputError(
            "a range needs a numeric parameter",
            file=file,
            field=field,
            value=spec,
            allowed=f"a list of values ({info['type']})",
        )
    integer = info["type"] == "int"
    lo = _bound(spec, "lo", info, file, field)
    hi = _bound(spec, "hi", info, file, field)
    if not lo < hi:
        raise InputError(
            "hi must be above lo",
            file=file,
            field=f"{field}.hi",
            value=hi,
            allowed=f"more than lo ({lo}); for one value, put it in params",
        )
    levels = spec.get("levels")
    if levels is not None and (type(levels) is not int or levels < 2):
        raise InputError(
            "levels must be a whole number, 2 or more",
            file=file,
            field=f"{field}.levels",
            value=levels,
            allowed="2, 3, 4, ...",
        )
    return Factor(name=name, lo=lo, hi=hi, levels=levels, integer=integer)


def _bound(spec: dict[str, Any], key: str, info: dict[str, Any], file: str, field: str) -> float:
    """``lo`` or ``hi`` of a range: a number within the schema's bounds (default: them)."""
    value = spec.get(key, info[key])
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok and info["type"] == "int":
        ok = float(value).is_integer()
    if not ok or not info["lo"] <= value <= info["hi"]:
        raise InputError(
            "outside the schema's bounds" if ok else "not a valid bound",
            file=file,
            field=f"{field}.{key}",
            value=value,
            allowed=_range_text(info),
        )
    return int(value) if info["type"] == "int" else float(value)


def _range_text(info: dict[str, Any]) -> str:
    if info["lo"] is None:
        return f"a list of values ({info['type']})"
    kind = "whole numbers" if info["type"] == "int" else "numbers"
    return f"{kind} from {info['lo']} to {info['hi']} ({info['unit']})"


def _check_values(name: str, values: list[Any], file: str) -> tuple[Any, ...]:
    """Each value checked against the schema, in its canonical type; none repeated."""
    field = f"vary.{name}"
    if not values:
        raise InputError(
            "the list of values is empty",
            file=file,
            field=field,
            value=values,
            allowed="one or more values",
        )
    out = []
    for i, value in enumerate(values):
        try:
            out.append(apply(Params(), {name: value}, file).flat()[name])
        except InputError as err:
            raise InputError(
                err.reason,
                file=file,
                field=f"{field}[{i}]",
                value=value,
                allowed=err.allowed or _range_text(field_info(name)),
            ) from None
    if len({repr(v) for v in out}) < len(out):
        raise InputError(
            "a value is repeated", file=file, field=field, value=values, allowed="distinct values"
        )
    return tuple(out)


def _check_design(design: DesignSpec, factors: tuple[Factor, ...], file: str) -> None:
    """The design fits the factors: grid ranges have levels, sampled designs have samples."""
    if design.kind == "grid":
        _check_grid(design, factors, file)
        return
    if not factors:
        raise InputError(
            f"a {design.kind} design needs at least one varied parameter",
            file=file,
            field="vary",
            allowed="one or more parameters under vary",
        )
    if design.samples is None:
        what = {"lhs": "points", "sobol": "base samples (a power of 2)", "morris": "trajectories"}[
            design.kind
        ]
        raise InputError(
            f"a {design.kind} design needs samples",
            file=file,
            field="design.samples",
            allowed=f"the number of {what}",
        )
    if design.kind == "sobol" and design.samples & (design.samples - 1):
        raise InputError(
            "Sobol samples must be a power of 2",
            file=file,
            field="design.samples",
            value=design.samples,
            allowed="a power of 2, e.g. 64, 128, 256",
        )
    if design.levels is not None and design.kind != "morris":
        raise InputError(
            f"levels do not apply to a {design.kind} design",
            file=file,
            field="design.levels",
            value=design.levels,
            allowed="levels with grid or morris designs",
        )
    if design.kind == "morris" and (design.levels or 4) % 2:
        raise InputError(
            "Morris levels must be even",
            file=file,
            field="design.levels",
            value=design.levels,
            allowed="4, 6, 8, ...",
        )
    if design.second_order and design.kind != "sobol":
        raise InputError(
            "second_order applies to Sobol designs",
            file=file,
            field="design.second_order",
            value=True,
            allowed="false",
        )
    for f in factors:
        if f.levels is not None:
            raise InputError(
                f"levels on a range apply to grid designs, not {design.kind}",
                file=file,
                field=f"vary.{f.name}.levels",
                value=f.levels,
                allowed="no levels (the design samples the range)",
            )


def _grid_counts(design: DesignSpec, factors: tuple[Factor, ...]) -> list[tuple[str, int]]:
    """Each grid factor's field and its number of levels."""
    out = []
    for f in factors:
        if not f.is_range:
            out.append((f"vary.{f.name}", len(f.values)))
            continue
        levels = f.levels or design.levels or 1
        field = f"vary.{f.name}.levels" if f.levels else "design.levels"
        out.append((field, min(levels, int(f.hi) - int(f.lo) + 1) if f.integer else levels))
    return out


def design_points(design: DesignSpec, factors: tuple[Factor, ...]) -> int:
    """How many points a design has (without drawing them)."""
    if design.kind == "grid":
        return math.prod(n for _, n in _grid_counts(design, factors))
    k = len(factors)
    per = {"lhs": 1, "sobol": 2 * k + 2 if design.second_order else k + 2, "morris": k + 1}
    return (design.samples or 0) * per[design.kind]


def _check_size(
    design: DesignSpec, factors: tuple[Factor, ...], replicates: int, file: str
) -> None:
    """At most :data:`MAX_RUNS` runs (points times replicates)."""
    points = design_points(design, factors)
    if points * replicates <= MAX_RUNS:
        return
    if points <= MAX_RUNS:
        field, value = "replicates", replicates
    elif design.kind == "grid":
        field, value = max(_grid_counts(design, factors), key=lambda c: c[1])
    else:
        field, value = "design.samples", design.samples
    raise InputError(
        f"the sweep would have {points:,} design points x {replicates:,} replicates = "
        f"{points * replicates:,} runs",
        file=file,
        field=field,
        value=value,
        allowed=f"{MAX_RUNS:,} runs at most (fewer levels, samples or replicates)",
    )


def _check_grid(design: DesignSpec, factors: tuple[Factor, ...], file: str) -> None:
    if design.samples is not None:
        raise InputError(
            "samples do not apply to a grid design",
            file=file,
            field="design.samples",
            value=design.samples,
            allowed="levels on each range (or design.levels)",
        )
    if design.second_order:
        raise InputError(
            "second_order applies to Sobol designs",
            file=file,
            field="design.second_order",
            value=True,
            allowed="false",
        )
    for f in factors:
        if f.is_range and f.levels is None and design.levels is None:
            raise InputError(
                "a range in a grid design needs levels",
                file=file,
                field=f"vary.{f.name}",
                value={"lo": f.lo, "hi": f.hi},
                allowed="levels: N (2 or more) on the range, or design.levels",
            )


def _parse_outcomes(value: Any, file: str) -> tuple[str, ...] | None:
    """Outcome names to keep (None: all scalars the run produces)."""
    if value == "all":
        return None
    if not isinstance(value, list) or not value:
        raise InputError(
            "must be a list of outcome names or 'all'",
            file=file,
            field="outcomes",
            value=value,
            allowed="e.g. [swemwbs_mean, ucla_mean]",
        )
    return _names(value, OUTCOMES, "outcomes", file, "run")


def _parse_weekly(value: Any, file: str) -> tuple[str, ...] | None:
    """Weekly columns to keep: none (false), all the run produces (true) or a list."""
    if value is False or value is None:
        return ()
    if value is True:
        return None
    if not isinstance(value, list) or not value:
        raise InputError(
            "must be true, false or a list of weekly columns",
            file=file,
            field="weekly",
            value=value,
            allowed=", ".join(WEEKLY_COLUMNS),
        )
    return _names(value, WEEKLY_COLUMNS, "weekly", file, "weekly")


def _names(
    value: list[Any], known: tuple[str, ...], field: str, file: str, table: registry.Table
) -> tuple[str, ...]:
    for i, name in enumerate(value):
        new = registry.renamed(name, table) if isinstance(name, str) else None
        if new is not None:
            raise InputError(
                f"renamed to {new}", file=file, field=f"{field}[{i}]", value=name, allowed=new
            )
        if not isinstance(name, str) or name not in known:
            close = difflib.get_close_matches(str(name), known, n=3, cutoff=0.5)
            raise InputError(
                f"unknown {field[:-1] if field.endswith('s') else field} name",
                file=file,
                field=f"{field}[{i}]",
                value=name,
                allowed=", ".join(close) if close else ", ".join(known),
            )
    if len(set(value)) < len(value):
        raise InputError(
            "a name is repeated", file=file, field=field, value=value, allowed="distinct names"
        )
    return tuple(value)


def _prefixed(err: InputError, prefix: str, file: str) -> InputError:
    """The same error with its field under ``prefix`` (e.g. ``params.ties.meet``)."""
    field = f"{prefix}.{err.field}" if err.field else prefix
    return InputError(
        err.reason, file=err.file or file, field=field, value=err.value, allowed=err.allowed
    )
