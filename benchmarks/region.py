"""A region's speed (``netmob region``): area-replicates a second and peak memory per worker.

    python benchmarks/region.py [--areas 4] [--people 4000] [--replicates 2] [--workers 2]
                                [--weeks 104] [--json PATH]
    python benchmarks/region.py --full     # the issue's case: 20 areas, 100,000 people, 5 reps

The areas' sizes rise linearly (the largest about three times the smallest) and their
shares living alone and deprivation vary, as a real region's would; two scenarios
(baseline and genie), the default horizon (104 weeks after a 26-week burn-in), no
posterior draws (fixed parameters; a draw costs nothing measurable). It reports the wall
time, area-replicates a second, the model's seconds per 1,000 target people in one
scenario run (what a cluster estimate scales), and the peak resident memory of the
largest worker process (``ru_maxrss`` of the reaped pool workers, or of this process
with one worker).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ["baseline", "genie"]


def region_csv(path: Path, areas: int, people: int) -> Path:
    """A region file of ``areas`` areas totalling about ``people`` target people."""
    weights = [1 + 2 * i / max(areas - 1, 1) for i in range(areas)]
    sizes = [max(50, round(people * w / sum(weights))) for w in weights]
    rows = ["name,people,living_alone,deprivation"]
    for i, n in enumerate(sizes):
        rows.append(f"area {i + 1},{n},{0.15 + 0.3 * (i % 5) / 4:.3f},{(i * 7 % 10) / 9:.3f}")
    path.write_text("\n".join(rows) + "\n")
    return path


def region_case(areas: int, people: int, replicates: int, workers: int, weeks: int) -> dict:
    from netmob.experiments.backends.local import LocalBackend
    from netmob.experiments.region import region_spec, run_region

    with tempfile.TemporaryDirectory() as d:
        path = region_csv(Path(d) / "region.csv", areas, people)
        spec = region_spec(path, SCENARIOS, weeks=weeks, replicates=replicates, seed=1)
        start = time.perf_counter()
        r = run_region(spec, Path(d) / "out", LocalBackend(workers), progress=False)
        wall = time.perf_counter() - start
    who = resource.RUSAGE_SELF if workers == 1 else resource.RUSAGE_CHILDREN
    tasks = areas * replicates
    scenario_runs_people = spec.people * replicates * len(SCENARIOS)
    return {
        "case": f"region {areas} areas, {spec.people:,} target people, {len(SCENARIOS)} "
        f"scenarios, {replicates} replicates, {weeks} weeks, {workers} workers",
        "areas": areas,
        "people": spec.people,
        "replicates": replicates,
        "workers": workers,
        "weeks": weeks,
        "ok": r.ok,
        "failed": r.failed,
        "wall_seconds": wall,
        "area_replicates_per_second": tasks / wall,
        "model_seconds": r.model_seconds,
        "model_seconds_per_1000_people_run": 1000 * r.model_seconds / scenario_runs_people,
        "overhead": r.overhead,
        "peak_mb_per_worker": resource.getrusage(who).ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--areas", type=int, default=4)
    ap.add_argument("--people", type=int, default=4000)
    ap.add_argument("--replicates", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--full", action="store_true", help="20 areas, 100,000 people, 5 replicates")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if args.full:
        args.areas, args.people, args.replicates = 20, 100_000, 5
    r = region_case(args.areas, args.people, args.replicates, args.workers, args.weeks)
    print(
        f"{r['case']}: {r['wall_seconds']:.1f} s, {r['area_replicates_per_second']:.3f} "
        f"area-replicates/s, {r['model_seconds_per_1000_people_run']:.2f} model s per 1,000 "
        f"target people a scenario run, overhead {r['overhead']:.1%}, peak "
        f"{r['peak_mb_per_worker']:,.0f} MB per worker, failed {r['failed']}"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(r, indent=2) + "\n")
    print(json.dumps(r))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
