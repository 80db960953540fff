"""Recovery: can the calibration find parameter values it knows?

Take a spec, pick a *truth* (each free parameter's prior median, or a draw from the
prior), simulate every target's statistic at the truth from one seed, and calibrate to
those numbers as if they were published (same priors, same intervals and bands, each
centred on the simulated value). The truth should then lie inside most parameters' 90%
credible intervals; a parameter whose interval misses it is one the calibration would
also get wrong from the real record.

    python -m netmob.experiments.calibration.recovery SPEC --out DIR [--workers K]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

import pandas as pd

from netmob.experiments.backends import make_backend
from netmob.experiments.calibration.run import calibrate
from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import CalibrationSpec, Target, load_calibration
from netmob.experiments.specfile import ParamRange
from netmob.experiments.stats import weighted_quantiles
from netmob.sim.io import write_json


def prior_median(p: ParamRange) -> float:
    """The middle of a prior: arithmetic for uniform, geometric for log-uniform."""
    lo, hi = p.bounds
    return math.sqrt(lo * hi) if p.dist == "loguniform" else (lo + hi) / 2


def centred(target: Target, value: float) -> Target:
    """The target with its interval or band moved to centre on ``value``."""
    if target.published is None:  # a band
        half = (target.high - target.low) / 2 if math.isfinite(target.high - target.low) else 0
        lo = value - half if half else (value if math.isfinite(target.low) else -math.inf)
        hi = value + half if half else (value if math.isfinite(target.high) else math.inf)
        if not lo < hi:  # a half-open band: keep it open on the same side
            lo, hi = (value, math.inf) if math.isfinite(target.low) else (-math.inf, value)
        return dataclasses.replace(target, low=lo, high=hi)
    shift = value - target.published
    return dataclasses.replace(
        target, published=value, low=target.low + shift, high=target.high + shift
    )


def synthetic(spec: CalibrationSpec, truth: dict[str, float], seed: int) -> CalibrationSpec:
    """The spec with every target replaced by its statistic at ``truth``."""
    values = Simulator(spec).run(truth, seed)
    targets = tuple(centred(t, values[t.id]) for t in spec.targets)
    return spec.model_copy(update={"name": f"{spec.name}-recovery", "targets": targets})


def credible(post: pd.DataFrame, truth: dict[str, float]) -> pd.DataFrame:
    """Per parameter: the truth, the 90% credible interval and whether it holds the truth."""
    w = post["weight"].to_numpy(float)
    rows = []
    for name, value in truth.items():
        lo, hi = weighted_quantiles(post[name].to_numpy(float), w, [0.05, 0.95])
        rows.append(
            {"parameter": name, "truth": value, "low": lo, "high": hi, "inside": lo <= value <= hi}
        )
    return pd.DataFrame(rows)


def recover(spec: CalibrationSpec, out: Path, workers: int, seed: int = 12345) -> pd.DataFrame:
    """Calibrate to ``spec``'s statistics at its priors' medians; the coverage table."""
    truth = {p.name: prior_median(p) for p in spec.priors}
    fake = synthetic(spec, truth, seed)
    result = calibrate(fake, out, make_backend("local", workers=workers))
    table = credible(pd.read_parquet(out / "posterior.parquet"), truth)
    write_json(
        {
            "truth": truth,
            "seed": seed,
            "inside": int(table["inside"].sum()),
            "parameters": len(table),
            "simulations": result.manifest["simulations"],
        },
        out / "recovery.json",
    )
    table.to_csv(out / "recovery.csv", index=False)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("spec")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--workers", type=int, default=1)
    a = ap.parse_args()
    table = recover(load_calibration(a.spec), a.out, a.workers)
    print(table.to_string(index=False))
    print(json.dumps({"inside": int(table["inside"].sum()), "of": len(table)}))


if __name__ == "__main__":
    main()
