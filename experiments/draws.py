"""Uncertainty in the model's assumptions for a paired comparison (probabilistic
sensitivity analysis): the spec of what is uncertain, and each replicate's draw.

Without it, a comparison's intervals show chance alone: the same assumptions, many
communities. With an *uncertainty spec*, each replicate also draws the assumed
parameters it names from their ranges (a Latin hypercube over the replicates, from the
comparison's seed), and every scenario of that replicate runs with the same draw, so
the differences stay paired. Intervals, the chance of being cost-effective and the
acceptability curve then carry the uncertainty in those assumptions too.

A spec is YAML (loaded safely), in ``experiments/uncertainty/`` or anywhere::

    name: assumptions
    description: The effect sizes the model assumes, each from half to one and a half
      times its default.
    vary:
      wellbeing.gap_effect: {lo: 0.2, hi: 0.5}     # a range within the schema's bounds
      wellbeing.objective_effect: [0.3, 0.6, 0.9]  # or a list of values
      pathways.advance: {dist: loguniform, lo: 0.05, hi: 0.2}  # drawn on the log scale

Each entry is a :class:`~netmob.experiments.specfile.ParamRange` (without grid levels: each
replicate draws from it); the spec is a :class:`~netmob.experiments.specfile.SpecFile`, so
it may ``extends`` another. An uncertain parameter must be one the compared scenarios share (the same value in
each): a parameter they set differently is what they compare, not an uncertainty.

Examples:
    >>> spec = load_uncertainty("assumptions")
    >>> d = draws(spec, replicates=4, seed=1)
    >>> len(d), bool(d["wellbeing.gap_effect"].between(0.175, 0.525).all())
    (4, True)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from netmob.experiments.calibration import gate
from netmob.experiments.design import DesignSpec, design_seed, from_unit, plain, unit_sample
from netmob.experiments.specfile import (
    ParamRange,
    SpecFile,
    Where,
    apply,
    parameter_info,
    read_ranges,
    shipped_posterior,
)
from netmob.sim.errors import InputError
from netmob.sim.params import Params

KEYS = ("name", "description", "extends", "vary")


class UncertaintySpec(SpecFile):
    """A validated source of parameter uncertainty: ranges to draw from (a YAML spec), or
    a calibration's posterior (``particles``: one row per particle, with ``weight``), from
    which each replicate draws one particle by weight."""

    KIND: ClassVar[str] = "uncertainty spec"
    FOLDER: ClassVar[str] = "uncertainty"
    KEYS: ClassVar[tuple[str, ...]] = KEYS
    OPTION: ClassVar[str | None] = "--uncertainty"

    file: str
    factors: tuple[ParamRange, ...]
    particles: pd.DataFrame | None = None
    # Why these are drawn, when they stand in for another source (the shipped posterior
    # not validated: netmob.experiments.calibration.gate); shown on the report.
    note: str = ""

    @property
    def is_posterior(self) -> bool:
        """True for a calibration's posterior, False for ranges."""
        return self.particles is not None

    def ranges(self) -> dict[str, list[Any]]:
        """``{parameter: [lo, hi]}`` or ``{parameter: [values...]}`` (for a posterior, the
        particles' smallest and largest value)."""
        return {f.name: list(f.bounds) if f.is_range else list(f.choices) for f in self.factors}

    def definition(self) -> dict[str, Any]:
        """What decides the draws: the ranges, or a hash of the particles."""
        if self.particles is None:
            return self.ranges()
        rows = pd.util.hash_pandas_object(self.particles, index=False).to_numpy()
        return {"posterior": hashlib.sha256(rows.tobytes()).hexdigest()[:16]}


def library() -> list[str]:
    """Names of the shipped uncertainty specs, sorted."""
    return UncertaintySpec.library()


def load_uncertainty(ref: str | Path | UncertaintySpec) -> UncertaintySpec:
    """Load and validate an uncertainty spec (a path, or a name in the library; one
    already loaded is returned as it is), or a calibration's posterior
    (:func:`load_posterior`).

    Raises:
        InputError: naming the file, the field, the value and what is allowed.
    """
    if isinstance(ref, UncertaintySpec):
        return ref
    if str(ref) == "posterior" or str(ref).endswith(".parquet") or Path(ref).is_dir():
        return load_posterior(ref)
    doc = UncertaintySpec.read(ref)
    file = doc.file
    factors = read_ranges(doc.raw.get("vary"), Where(file=file, field="vary"))
    for f in factors:
        if f.levels is not None:
            raise InputError(
                "levels do not apply to an uncertainty range: each replicate draws from it",
                file=file,
                field=f"vary.{f.name}.levels",
                value=f.levels,
                allowed="a range {lo, hi} or a list of values",
            )
        if not f.is_range and len(f.choices) < 2:
            raise InputError(
                "one value is no uncertainty",
                file=file,
                field=f"vary.{f.name}",
                value=list(f.choices),
                allowed="two or more values, or a range {lo, hi} (a fixed value belongs in "
                "the scenario)",
            )
    if not factors:
        raise InputError(
            "names no parameter to vary",
            file=file,
            field="vary",
            value=doc.raw.get("vary"),
            allowed="a mapping of group.name to a range {lo, hi} or a list of values",
        )
    return UncertaintySpec(**doc.header(), factors=factors)


def load_posterior(ref: str | Path) -> UncertaintySpec:
    """A calibration's posterior: ``posterior`` (the shipped one), a ``posterior.parquet``
    file, or a calibration folder holding one. Every column but ``weight`` and
    ``distance`` must be a schema parameter, each value inside its bounds.

    Raises:
        InputError: naming the file, the column, the value and what is allowed.
    """
    path = shipped_posterior() if str(ref) == "posterior" else Path(ref)
    path = path / "posterior.parquet" if path.is_dir() else path
    gate.require(path)  # the shipped posterior only when validated
    if not path.is_file():
        raise InputError(
            "posterior not found",
            field="--uncertainty",
            value=str(ref),
            allowed="posterior (the shipped one), a posterior.parquet or a calibration folder",
        )
    file = str(path.resolve())
    try:
        particles = pd.read_parquet(path)
    except Exception as err:  # not a Parquet file, or unreadable
        raise InputError(f"cannot read it as Parquet ({err})", file=file) from None
    if particles.empty:
        raise InputError(
            "the posterior has no particles", file=file, allowed="one row per particle"
        )
    factors = tuple(
        _posterior_factor(particles, c, file)
        for c in particles.columns
        if c not in ("weight", "distance")
    )
    w = particles.get("weight")
    if w is not None and (not pd.api.types.is_numeric_dtype(w) or pd.api.types.is_bool_dtype(w)):
        raise InputError(
            "weights must be numbers",
            file=file,
            field="weight",
            value=str(w.dtype),
            allowed="weights >= 0 with a positive sum",
        )
    if w is None or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0 or not factors:
        raise InputError(
            "needs parameter columns and a weight column of non-negative numbers",
            file=file,
            field="weight",
            allowed="weights >= 0 with a positive sum",
        )
    return UncertaintySpec(
        name="default calibration" if str(ref) == "posterior" else path.parent.name,
        description=f"a calibration's posterior: {len(particles)} particles over "
        f"{len(factors)} parameters, one drawn by weight per replicate",
        file=file,
        factors=factors,
        particles=particles[[f.name for f in factors] + ["weight"]].reset_index(drop=True),
    )


def _posterior_factor(particles: pd.DataFrame, column: str, file: str) -> ParamRange:
    """One posterior column as a range from its smallest to its largest value (one
    particle: a point), checked against the schema."""
    where = Where(file=file, field=column, keyed=False, point=True)
    info = parameter_info(column, where)
    v = particles[column]
    if info["lo"] is None or info["type"] not in ("int", "float"):
        raise InputError(
            "only number parameters can come from a posterior",
            file=file,
            field=column,
            value=info["type"],
            allowed="parameters of type float or int (netmob params)",
        )
    if not pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v):
        raise InputError(
            "values must be numbers",
            file=file,
            field=column,
            value=str(v.dtype),
            allowed=f"{info['lo']} to {info['hi']}",
        )
    bad = v[~np.isfinite(v.to_numpy(float))]
    if len(bad):
        raise InputError(
            f"a particle has no value (row {bad.index[0] + 1})",
            file=file,
            field=column,
            value=float(bad.iloc[0]),
            allowed=f"a finite number from {info['lo']} to {info['hi']} in every row",
        )
    if info["type"] == "int" and not (v == v.round()).all():
        raise InputError(
            "a whole-number parameter has a fractional value",
            file=file,
            field=column,
            value=float(v[v != v.round()].iloc[0]),
            allowed=f"whole numbers from {info['lo']} to {info['hi']}",
        )
    return ParamRange.read(column, {"lo": float(v.min()), "hi": float(v.max())}, where)


def check_shared(spec: UncertaintySpec, params: dict[str, Params]) -> None:
    """Stop unless every uncertain parameter has the same value in every scenario."""
    flats = {name: p.flat() for name, p in params.items()}
    for f in spec.factors:
        values = {name: flat[f.name] for name, flat in flats.items()}
        if len(set(map(repr, values.values()))) > 1:
            raise InputError(
                "the compared scenarios set this parameter differently, so it is what they "
                "compare, not an uncertainty",
                file=spec.file,
                field=f"vary.{f.name}",
                value=values,
                allowed="parameters every compared scenario leaves at the same value",
            )


def draws(spec: UncertaintySpec, replicates: int, seed: int) -> pd.DataFrame:
    """One row of parameter values per replicate: a Latin hypercube over the ranges, or
    particles of a posterior drawn by weight (with replacement), from a stream of the
    comparison's seed apart from the runs' own."""
    if spec.particles is not None:
        rng = np.random.default_rng(design_seed(seed))
        w = spec.particles["weight"].to_numpy(float)
        rows = rng.choice(len(w), size=replicates, p=w / w.sum())
        names = [f.name for f in spec.factors]
        return spec.particles.iloc[rows][names].reset_index(drop=True)
    design = DesignSpec(kind="lhs", samples=replicates)
    unit = unit_sample(spec.factors, design, design_seed(seed))
    return pd.DataFrame({f.name: from_unit(f, unit[:, j]) for j, f in enumerate(spec.factors)})


def apply_draw(params: Params, draw: dict[str, Any], file: str) -> Params:
    """``params`` with one replicate's draw of the uncertain parameters."""
    return apply(params, plain(draw), file)


def default_source() -> str | UncertaintySpec:
    """What a comparison draws when not told: ``posterior`` (the shipped one) if it is
    validated, else the assumption ranges with a note saying why
    (:mod:`netmob.experiments.calibration.gate`)."""
    verdict = gate.shipped()
    if verdict.validated:
        return "posterior"
    return load_uncertainty(gate.FALLBACK).model_copy(update={"note": gate.notice(verdict)})
