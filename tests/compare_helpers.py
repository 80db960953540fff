"""A paired comparison in one call, for tests: plan and run it into a folder of its own
(:mod:`netmob.experiments.compare`), then read it back (:mod:`netmob.analysis.compare`)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from netmob.analysis.compare import CompareResult, summarise
from netmob.analysis.economics import DISCOUNT, THRESHOLDS
from netmob.experiments.backends import make_backend
from netmob.experiments.compare import compare_spec, run_compare


def compare(
    scenarios: list[str],
    *,
    people: int,
    weeks: int,
    replicates: int,
    seed: int,
    workers: int = 1,
    thresholds: Sequence[float] = THRESHOLDS,
    discount: float = DISCOUNT,
    uncertainty: str | Path | None = None,
    out: str | Path | None = None,
) -> CompareResult:
    """Run and summarise a comparison (in a temporary folder unless ``out`` is given)."""
    spec = compare_spec(
        scenarios,
        people=people,
        weeks=weeks,
        replicates=replicates,
        seed=seed,
        uncertainty=uncertainty,
    )
    if out is not None:
        run_compare(spec, out, make_backend("local", workers=workers), progress=False)
        return summarise(out, thresholds, discount)
    with tempfile.TemporaryDirectory() as d:
        run_compare(spec, d, make_backend("local", workers=workers), progress=False)
        return summarise(d, thresholds, discount)
