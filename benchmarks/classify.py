"""How long classifying people into network types takes (the weekly network frame does it
for every target person): nearest of three centroids, vectorised.

Target: under 0.5 s at 100,000 target people (what ``tests/test_network_typology.py``
once asserted with a timer; the test now checks only that the answer is right).

    python benchmarks/classify.py [--people N] [--repeats K]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from netmob.sim.network_types import classify, fit
from netmob.sim.params import Params

TARGET_SECONDS = 0.5  # at 100,000 target people


def features(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random network features for ``n`` people, in the ranges a run produces."""
    rng = np.random.default_rng(seed)
    return {
        "size": rng.poisson(10, n),
        "informal": rng.poisson(9, n),
        "formal_share": rng.random(n) * 0.3,
        "family_share": rng.random(n),
        "kinds": rng.integers(1, 6, n),
        "places": rng.poisson(0.7, n),
    }


def measure(people: int = 100_000, repeats: int = 5) -> dict:
    """The median seconds of ``repeats`` classifications of ``people`` people."""
    f = features(people)
    typology = fit(f, Params().network_types)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        classify(f, typology)
        times.append(time.perf_counter() - t)
    seconds = statistics.median(times)
    return {
        "case": f"classify {people:,} people into network types",
        "seconds": seconds,
        "target_seconds": TARGET_SECONDS if people == 100_000 else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    r = measure(a.people, a.repeats)
    target = f"  (target < {r['target_seconds']} s)" if r["target_seconds"] else ""
    print(f"{r['case']:<44} {r['seconds']:.3f} s{target}")
    print(json.dumps(r))


if __name__ == "__main__":
    main()
