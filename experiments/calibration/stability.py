"""How big must a calibration's communities be? The noise of each target's statistic at
the parameters' defaults, over seeds, at several population sizes.

A statistic is stable enough when its standard deviation over seeds is small beside the
target's scale (its published half-interval): noise then moves the distance little
compared with a change of parameters. The table gives, per target and size, the mean,
the standard deviation, and that standard deviation in units of the scale; and the
seconds one particle took.

    python -m netmob.experiments.calibration.stability SPEC --people 100 300 --seeds 5
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
import pandas as pd

from netmob.experiments.calibration.simulator import Simulator
from netmob.experiments.calibration.spec import CalibrationSpec, load_calibration


def at_size(spec: CalibrationSpec, people: int) -> CalibrationSpec:
    """The spec with every study at ``people`` target people, keeping their ratios to the
    spec's default (a study the spec sizes at twice the default stays twice)."""
    base = max(min(t.people for t in spec.targets), 1)
    targets = tuple(
        dataclasses.replace(t, people=max(10, round(people * t.people / base)))
        for t in spec.targets
    )
    return spec.model_copy(update={"targets": targets})


def noise(spec: CalibrationSpec, sizes: list[int], seeds: int) -> pd.DataFrame:
    """One row per target and size: mean, sd, sd / scale; and seconds per particle."""
    rows = []
    for n in sizes:
        sim = Simulator(at_size(spec, n))
        started = time.perf_counter()
        values = pd.DataFrame([sim.run({}, seed) for seed in range(seeds)])
        seconds = (time.perf_counter() - started) / seeds
        for t in spec.targets:
            v = values[t.id].to_numpy(float)
            sd = float(np.nanstd(v, ddof=1))
            rows.append(
                {
                    "people": n,
                    "target": t.id,
                    "mean": float(np.nanmean(v)),
                    "sd": sd,
                    "sd_in_scale": sd / t.scale,
                    "seconds_per_particle": seconds,
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("spec", help="a calibration spec (name or file)")
    ap.add_argument("--people", type=int, nargs="+", default=[100, 300])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--csv", help="also write the long table here")
    a = ap.parse_args()
    table = noise(load_calibration(a.spec), a.people, a.seeds)
    if a.csv:
        table.to_csv(a.csv, index=False)
    wide = table.pivot(index="target", columns="people", values="sd_in_scale")
    print(wide.round(2).to_string())
    per = table.groupby("people")["seconds_per_particle"].first()
    print("seconds per particle:", ", ".join(f"{n}: {s:.1f}" for n, s in per.items()))
    worst = table.groupby("people")["sd_in_scale"].max()
    print("largest sd in scale units:", ", ".join(f"{n}: {s:.2f}" for n, s in worst.items()))


if __name__ == "__main__":
    main()
