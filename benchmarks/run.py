"""netmob benchmarks (``make bench``): speed and memory of the engines.

Each case runs in a fresh subprocess (so peak memory is its own) and is repeated; the
median is reported. Person-weeks count every person (target people and network members)
over every stepped week (burn-in included); time is time spent stepping the model.

    python benchmarks/run.py [--quick] [--only NAME] [--json PATH]

Targets: >= 1,000,000 person-weeks/s at 100,000 target people on one core,
peak memory < 1 GB there (Mesa agents are built only when asked for), and >= 50x the reference engine at 2,000 target people; the
same targets with a programme running (GENIE, its workforce sized from referrals).
At scale: 1,000,000 target people (about 12.5 million people) over 130 weeks with peak
memory under 8 GB (full run only, once: it takes tens of minutes; ``--only million``).
A region (``--only region``): 4 areas of 4,000 target people in all, two
scenarios, two replicates, two workers: area-replicates a second and peak memory per
worker (``benchmarks/region.py --full`` runs the full-size case: 20 areas of 100,000).
Classifying 100,000 people into network types in under 0.5 s (``--only classify``,
``benchmarks/classify.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = """
import json, resource, sys
from netmob.sim.params import Params
from netmob.sim.run import build_model
n, weeks, burn_in, engine, programme = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
over = {"population.n_people": n, "run.weeks": weeks, "run.burn_in": burn_in}
if programme != "none":  # a preset; its workforce is sized from its referrals (P1)
    over |= {"programme.preset": programme}
p = Params.from_overrides(over)
m = build_model(p, 1, engine).run()
people = len(m.people) if hasattr(m, "people") else len(m._people)
print(json.dumps({"people": people, "seconds": m.step_seconds,
                  "pws": people * (weeks + burn_in) / m.step_seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SWEEP_CASE = """
import json, sys, tempfile
from pathlib import Path
import yaml
from netmob.experiments.backends.local import LocalBackend
from netmob.experiments.runner import run_sweep
from netmob.experiments.spec import load_spec
runs, n, weeks, workers = (int(a) for a in sys.argv[1:5])
doc = {"name": "bench", "base": "genie",
       "params": {"population.n_people": n, "run.weeks": weeks},
       "vary": {"attendance.barrier_scale": {"lo": 0.5, "hi": 2.0, "levels": runs // 10}},
       "design": "grid", "replicates": 10, "seed": 1}
with tempfile.TemporaryDirectory() as d:
    spec = Path(d) / "bench.yaml"
    spec.write_text(yaml.safe_dump(doc))
    r = run_sweep(load_spec(spec), Path(d) / "out", LocalBackend(workers), progress=False)
capacity = r.workers * r.wall_seconds
print(json.dumps({"runs": r.ok, "failed": r.failed, "workers": r.workers,
                  "wall_seconds": r.wall_seconds, "runs_per_second": r.ok / r.wall_seconds,
                  "overhead": r.overhead, "stepping_share": r.step_seconds / capacity}))
"""


def in_fresh_process(code: str, *args: object) -> dict:
    """Run ``code`` with ``args`` in a new single-threaded interpreter; the JSON object it
    prints last."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_case(n: int, weeks: int, burn_in: int, engine: str, programme: str = "none") -> dict:
    return in_fresh_process(CASE, n, weeks, burn_in, engine, programme)


def sweep_case(quick: bool) -> dict:
    """Sweep throughput on the local backend (one repetition: it runs for minutes)."""
    runs, workers = (40, 2) if quick else (200, 2)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", SWEEP_CASE, str(runs), "1000", "104", str(workers)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"case": f"sweep {runs} runs x 1,000 target people, 104 weeks, {workers} workers", **r}


def region_case(quick: bool) -> dict:
    """A region scaled down from the issue's 20 areas of 100,000 target people (which
    ``python benchmarks/region.py --full`` runs): areas a second and peak memory per worker."""
    areas, people = (4, 2000) if quick else (4, 4000)
    args = ["--areas", areas, "--people", people, "--replicates", 2, "--workers", 2]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "region.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def classify_case() -> dict:
    """Network types for 100,000 people (``benchmarks/classify.py``)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "classify.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1"),
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(cases: list[dict]) -> dict:
    return {k: statistics.median(c[k] for c in cases) for k in cases[0]}


def engine_cases(quick: bool) -> list[dict]:
    reps = 1 if quick else 3
    rows = []
    for n in [10_000] if quick else [10_000, 100_000]:
        m = median_of([run_case(n, 104, 26, "vector") for _ in range(reps)])
        rows.append({"case": f"vector {n:,} target people, 130 weeks", **m})
    return rows


def programme_cases(quick: bool) -> list[dict]:
    reps = 1 if quick else 3
    rows = []
    for n in [10_000] if quick else [10_000, 100_000]:
        m = median_of([run_case(n, 104, 26, "vector", "genie") for _ in range(reps)])
        rows.append({"case": f"vector + genie {n:,} target people, 130 weeks", **m})
    return rows


def million_case() -> list[dict]:
    """A million target people, 104 weeks + 26 burn-in, one repetition (it is long)."""
    n = 1_000_000
    return [{"case": f"vector {n:,} target people, 130 weeks", **run_case(n, 104, 26, "vector")}]


def print_engine_rows(rows: list[dict]) -> None:
    """One line per engine case: people, speed, stepping time and peak memory."""
    for r in rows:
        print(
            f"{r['case']:<44} {r['people']:>10,.0f} people  {r['pws']:>12,.0f} person-weeks/s"
            f"  {r['seconds']:7.2f} s  peak {r['peak_mb']:,.0f} MB"
        )


def ratio_case(quick: bool) -> dict:
    """Vector against reference engine with no programme (the reference engine has none
    and refuses a programme scenario)."""
    reps = 1 if quick else 3
    weeks = 4 if quick else 8
    v = median_of([run_case(2000, weeks, 0, "vector") for _ in range(reps)])
    r = median_of([run_case(2000, weeks, 0, "reference") for _ in range(reps)])
    return {
        "case": f"vector / reference at 2,000 target people ({weeks} weeks)",
        "vector_pws": v["pws"],
        "reference_pws": r["pws"],
        "ratio": v["pws"] / r["pws"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="one repetition, smaller cases")
    ap.add_argument(
        "--only",
        choices=["engine", "programme", "ratio", "sweep", "region", "classify", "million"],
        default=None,
    )
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "out" / "latest.json")
    args = ap.parse_args()
    results: dict = {}
    if args.only in (None, "engine"):
        results["engine"] = engine_cases(args.quick)
        print_engine_rows(results["engine"])
    if args.only in (None, "programme"):
        results["programme"] = programme_cases(args.quick)
        print_engine_rows(results["programme"])
    if args.only in (None, "ratio"):
        r = ratio_case(args.quick)
        results["ratio"] = r
        print(
            f"{r['case']:<44} vector {r['vector_pws']:,.0f}  reference {r['reference_pws']:,.0f}"
            f"  ratio {r['ratio']:.0f}x"
        )
    if args.only in (None, "sweep"):
        r = sweep_case(args.quick)
        results["sweep"] = r
        print(
            f"{r['case']:<44} {r['runs_per_second']:.2f} runs/s  {r['wall_seconds']:.1f} s"
            f"  overhead {r['overhead']:.1%} (target < 10%)  failed {r['failed']}"
        )
    if args.only in (None, "region"):
        r = region_case(args.quick)
        results["region"] = r
        print(
            f"{r['case']:<44} {r['area_replicates_per_second']:.3f} area-replicates/s  "
            f"{r['wall_seconds']:.1f} s  {r['model_seconds_per_1000_people_run']:.2f} model s "
            f"per 1,000 people a run  peak {r['peak_mb_per_worker']:,.0f} MB per worker"
        )
    if args.only in (None, "classify"):
        r = classify_case()
        results["classify"] = r
        print(f"{r['case']:<44} {r['seconds']:.3f} s (target < {r['target_seconds']} s)")
    if args.only == "million" or (args.only is None and not args.quick):
        results["million"] = million_case()
        print_engine_rows(results["million"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"(medians written to {args.json})")


if __name__ == "__main__":
    main()
