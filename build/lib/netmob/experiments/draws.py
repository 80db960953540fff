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

An uncertain parameter must be one the compared scenarios share (the same value in
each): a parameter they set differently is what they compare, not an uncertainty.

Examples:
    >>> spec = load_uncertainty("assumptions")
    >>> d = draws(spec, replicates=4, seed=1)
    >>> len(d), bool(d["wellbeing.gap_effect"].between(0.175, 0.525).all())
    (4, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netmob.experiments.design import design_seed, from_unit, unit_sample
from netmob.experiments.spec import DesignSpec, Factor, apply, parse_factors
from netmob.experiments.spec import library_dir as spec_library_dir
from netmob.sim.errors import InputError
from netmob.sim.params import Params
from netmob.sim.scenario import read_mapping

KEYS = ("name", "description", "vary")


@dataclass(frozen=True)
class UncertaintySpec:
    """A validated uncertainty spec: the assumed parameters and their ranges."""

    name: str
    description: str
    file: str
    factors: tuple[Factor, ...]

    def ranges(self) -> dict[str, list[Any]]:
        """``{parameter: [lo, hi]}`` or ``{parameter: [values...]}``."""
        return {f.name: [f.lo, f.hi] if f.is_range else list(f.values) for f in self.factors}


def library_dir() -> Path:
    """The project's uncertainty specs: ``experiments/uncertainty/*.yaml``."""
    return Path(spec_library_dir()) / "uncertainty"


def library() -> list[str]:
    """Names of the shipped uncertainty specs, sorted."""
    return sorted(p.stem for p in library_dir().glob("*.yaml"))


def load_uncertainty(ref: str | Path) -> UncertaintySpec:
    """Load and validate an uncertainty spec (a path, or a name in the library).

    Raises:
        InputError: naming the file, the field, the value and what is allowed.
    """
    path = next(
        (c for c in (Path(ref), library_dir() / f"{ref}.yaml") if c.is_file()),
        None,
    )
    if path is None:
        raise InputError(
            "uncertainty spec not found: no such file and no spec of that name in "
            "experiments/uncertainty/",
            field="--uncertainty",
            value=str(ref),
            allowed=", ".join(library()) or "a YAML file",
        )
    file = str(path.resolve())
    doc = read_mapping(path, KEYS, "uncertainty spec")
    for key in ("name", "description"):
        if key in doc and not isinstance(doc[key], str):
            raise InputError("must be text", file=file, field=key, value=doc[key])
    factors = parse_factors(doc.get("vary"), {}, file)
    if not factors:
        raise InputError(
            "names no parameter to vary",
            file=file,
            field="vary",
            value=doc.get("vary"),
            allowed="a mapping of group.name to a range {lo, hi} or a list of values",
        )
    return UncertaintySpec(
        name=doc.get("name") or path.stem,
        description=" ".join(str(doc.get("description", "")).split()),
        file=file,
        factors=factors,
    )


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
    """One row of parameter values per replicate: a Latin hypercube over the ranges,
    from a stream of the comparison's seed apart from the runs' own."""
    unit = unit_sample(spec.factors, DesignSpec(kind="lhs", samples=replicates), design_seed(seed))
    return pd.DataFrame({f.name: from_unit(f, unit[:, j]) for j, f in enumerate(spec.factors)})


def apply_draw(params: Params, draw: dict[str, Any], file: str) -> Params:
    """``params`` with one replicate's draw of the uncertain parameters."""
    return apply(params, {k: v.item() if hasattr(v, "item") else v for k, v in draw.items()}, file)
