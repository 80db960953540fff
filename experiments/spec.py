"""Sweep specs: which parameters to vary, how, how often, and which outcomes to keep.

A spec is YAML (loaded safely, like a scenario file)::

    name: pathways
    description: Each pathway on its own and both, across barriers and worker numbers.
    extends: example               # optional: another sweep spec; each key here replaces its
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

Each ``vary`` entry is a :class:`~netmob.experiments.specfile.ParamRange` (a range may
also be ``{dist: loguniform, lo, hi}``); ranges default to the schema's bounds and may only
narrow them. A sweep spec is a :class:`~netmob.experiments.specfile.SpecFile`. Every
problem stops with one :class:`~netmob.sim.errors.InputError` naming the file, the field,
the value and what is allowed.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netmob.experiments.design import DesignSpec
from netmob.experiments.outcomes import OUTCOMES, WEEKLY_COLUMNS
from netmob.experiments.specfile import (
    ParamRange,
    SpecFile,
    Where,
    apply,
    file_sha256,
    fixed_params,
    prefixed,
    read_ranges,
    shipped_posterior,
)
from netmob.sim import registry
from netmob.sim.area import Area
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.scenario import load_scenario, resolve_path

KEYS = (
    "name",
    "description",
    "extends",
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
ALLOWED = {
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


def library() -> list[str]:
    """Names of the sweep specs shipped in ``experiments/``, sorted."""
    return SweepSpec.library()


class _Document(BaseModel):
    """The sweep's own top-level keys and their types (the structure, not the meaning)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    base: str | None = None
    params: Any = None
    vary: Any = None
    design: DesignSpec
    replicates: int = Field(default=1, ge=1)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)
    crn: bool = True
    outcomes: Any = "all"
    weekly: Any = False
    posterior: str | None = None


class SweepSpec(SpecFile):
    """A validated sweep spec, ready to be turned into runs."""

    KIND: ClassVar[str] = "sweep spec"
    FOLDER: ClassVar[str] = ""
    KEYS: ClassVar[tuple[str, ...]] = KEYS

    base: str | None
    base_overrides: dict[str, Any]
    base_params: Params
    fixed: dict[str, Any]
    factors: tuple[ParamRange, ...]
    design: DesignSpec
    replicates: int
    seed: int
    crn: bool
    outcomes: tuple[str, ...] | None  # None: every scalar the run produces
    weekly: tuple[str, ...] | None  # weekly columns to keep; empty: none; None: all
    # A calibration's posterior.parquet: replicate r of every point runs on the same
    # particle, drawn by weight, beneath the fixed params and the factors.
    posterior: str | None = None

    def definition(self) -> dict[str, Any]:
        """What decides the runs and what they keep; two specs with the same definition
        give the same results (name, description and file path do not count)."""
        posterior = file_sha256(self.posterior) if self.posterior else None
        return self.with_area_definition(
            {
                "base": self.base_overrides,
                "params": self.fixed,
                "vary": [_factor_record(f) for f in self.factors],
                "design": self.design.model_dump(),
                "replicates": self.replicates,
                "seed": self.seed,
                "crn": self.crn,
                "outcomes": list(self.outcomes) if self.outcomes is not None else "all",
                "weekly": list(self.weekly) if self.weekly is not None else "all",
            }
            | ({"posterior": posterior[:16] if posterior else None} if self.posterior else {})
        )

    def on_area(self, area: Area) -> SweepSpec:
        """The sweep run on an area (:class:`netmob.sim.area.Area`): its base scenario on
        the area's people and resource directory, the spec's fixed params on top.

        Raises:
            InputError: if the fixed params and the area together are not valid.
        """
        base = area.params(self.base_overrides)
        try:
            base = apply(base, self.fixed, self.file) if self.fixed else base
        except InputError as err:
            raise prefixed(err, "params", self.file) from None
        return self.model_copy(update={"base_params": base, "area": area})


def _factor_record(f: ParamRange) -> dict[str, Any]:
    """A factor as a sweep's definition records it (a uniform range without ``dist``, as
    every sweep recorded it before ranges could be log-uniform)."""
    record = f.model_dump()
    if record["dist"] == "uniform":
        del record["dist"]
    return record


def resolve_spec(ref: str | Path) -> Path:
    """A spec reference (a path, or a name in ``experiments/``) as an existing path."""
    return SweepSpec.resolve(ref)


def load_spec(ref: str | Path) -> SweepSpec:
    """Load and validate a sweep spec (a path or a name in ``experiments/``).

    Raises:
        InputError: for any problem, naming the file, the field, the value and what is allowed.
    """
    doc = SweepSpec.read(ref)
    file = doc.file
    parsed = _parse_document(doc.raw, file)
    base_name, base_overrides, base_params = _load_base(parsed.base, doc.path)
    fixed = fixed_params(parsed.params, file)
    try:
        base_params = apply(base_params, fixed, file) if fixed else base_params
    except InputError as err:
        raise prefixed(err, "params", file) from None
    factors = parse_factors(parsed.vary, fixed, file)
    _check_design(parsed.design, factors, file)
    _check_size(parsed.design, factors, parsed.replicates, file)
    return SweepSpec(
        **doc.header(),
        base=base_name,
        base_overrides=base_overrides,
        base_params=base_params,
        fixed=fixed,
        factors=factors,
        design=parsed.design,
        replicates=parsed.replicates,
        seed=parsed.seed,
        crn=parsed.crn,
        outcomes=_parse_outcomes(parsed.outcomes, file),
        weekly=_parse_weekly(parsed.weekly, file),
        posterior=_posterior_path(parsed.posterior, doc.path),
    )


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


def parse_factors(vary: Any, fixed: dict[str, Any], file: str) -> tuple[ParamRange, ...]:
    """A ``vary`` mapping as factors, each checked against the schema (and not ``fixed``)."""
    factors = read_ranges(vary, Where(file=file, field="vary"))
    for f in factors:
        if f.name in fixed:
            raise InputError(
                "the parameter is both fixed (params) and varied (vary)",
                file=file,
                field=f"vary.{f.name}",
                allowed="one or the other",
            )
    return factors


def _parse_document(raw: dict[str, Any], file: str) -> _Document:
    """The document's structure validated (types, required keys) by pydantic."""
    if "design" not in raw:
        raise InputError(
            "a sweep spec needs a design", file=file, field="design", allowed=ALLOWED["design"]
        )
    doc = {k: v for k, v in raw.items() if k not in ("name", "description")}
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


def _check_design(design: DesignSpec, factors: tuple[ParamRange, ...], file: str) -> None:
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


def _grid_counts(design: DesignSpec, factors: tuple[ParamRange, ...]) -> list[tuple[str, int]]:
    """Each grid factor's field and its number of levels."""
    out = []
    for f in factors:
        if not f.is_range:
            out.append((f"vary.{f.name}", len(f.choices)))
            continue
        levels = f.levels or design.levels or 1
        field = f"vary.{f.name}.levels" if f.levels else "design.levels"
        lo, hi = f.bounds
        out.append((field, min(levels, int(hi) - int(lo) + 1) if f.integer else levels))
    return out


def design_points(design: DesignSpec, factors: tuple[ParamRange, ...]) -> int:
    """How many points a design has (without drawing them)."""
    if design.kind == "grid":
        return math.prod(n for _, n in _grid_counts(design, factors))
    k = len(factors)
    per = {"lhs": 1, "sobol": 2 * k + 2 if design.second_order else k + 2, "morris": k + 1}
    return (design.samples or 0) * per[design.kind]


def _check_size(
    design: DesignSpec, factors: tuple[ParamRange, ...], replicates: int, file: str
) -> None:
    """At most :data:`MAX_RUNS` runs (points times replicates)."""
    points = design_points(design, factors)
    if points * replicates <= MAX_RUNS:
        return
    field: str
    value: int | None
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


def _check_grid(design: DesignSpec, factors: tuple[ParamRange, ...], file: str) -> None:
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
