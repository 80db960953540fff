"""Peak memory of one run against its size: the measurement behind
``netmob.experiments.memory.BYTES_PER_PERSON``.

Each case is one run as a worker does it (:func:`netmob.sim.run.simulate`: build, step and
collect the model), with GENIE running, 104 weeks after a 26-week burn-in, in a fresh
subprocess; its peak resident memory (``ru_maxrss``) is read after the run. The slope of a
least-squares line through the cases is the memory per target person; its intercept, the
interpreter with netmob imported. The ``compare`` cases run one replicate of two and of
four scenarios (:func:`netmob.experiments.compare.run_replicate`, which holds each
scenario's results until the last has run): their slopes give the memory each further
scenario adds per target person.

    python benchmarks/memory.py [--sizes 20000 50000 100000] [--weeks 104]
"""

from __future__ import annotations

import argparse

from run import in_fresh_process  # benchmarks/run.py, beside this script

CASE = """
import json, resource, sys
from netmob.sim.params import Params
from netmob.sim.run import simulate
import netmob.sim.model
n, weeks, kind = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
over = {"population.n_people": n, "run.weeks": weeks}
if kind == 1:  # one run, as a sweep's worker does it
    simulate(Params.from_overrides(over | {"programme.preset": "genie"}), 1)
else:  # a comparison's replicate of ``kind`` scenarios
    from netmob.experiments.compare import compare_spec, plan, run_replicate
    names = ["baseline", "genie", "plans", "connecting_people"][:kind]
    spec = compare_spec(names, people=n, weeks=weeks, replicates=2, seed=1, uncertainty=None)
    run_replicate(plan(spec)[0])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"n": n, "kind": kind, "imported": before, "peak": peak}))
"""


def case(n: int, weeks: int, kind: int) -> dict:
    """One run of ``n`` target people (``kind`` 1), or a comparison's replicate of ``kind``
    scenarios, in a fresh process: its peak memory in bytes."""
    return in_fresh_process(CASE, n, weeks, kind)


def fit(rows: list[dict]) -> tuple[float, float]:
    """Least-squares slope (bytes per person) and intercept (bytes) of peak on size."""
    xs, ys = [r["n"] for r in rows], [r["peak"] for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    return slope, my - slope * mx


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument(
        "--compare", type=int, nargs="*", default=[20_000, 50_000], help="sizes of compare cases"
    )
    args = ap.parse_args()
    rows = [case(n, args.weeks, 1) for n in args.sizes]
    for r in rows:
        print(f"run     {r['n']:>9,} target people: peak {r['peak'] / 2**20:8,.0f} MiB "
              f"({(r['peak'] - r['imported']) / r['n']:,.0f} bytes/person above the imports)")  # fmt: skip
    slope, intercept = fit(rows)
    print(f"fit: {slope:,.0f} bytes per target person + {intercept / 2**20:,.0f} MiB")
    if len(args.compare) < 2:
        return
    slopes = {}
    for k in (2, 4):
        cases = [case(n, args.weeks, k) for n in args.compare]
        for c in cases:
            print(f"compare {c['n']:>9,} target people, {k} scenarios: peak "
                  f"{c['peak'] / 2**20:8,.0f} MiB")  # fmt: skip
        slopes[k], icpt = fit(cases)
        print(f"fit: {slopes[k]:,.0f} bytes per target person + {icpt / 2**20:,.0f} MiB")
    each = (slopes[4] - slopes[2]) / 2
    print(f"each scenario beyond one adds {each:,.0f} bytes per target person "
          f"(from two: {slopes[2] - slope:,.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
