"""How long one step of the app's Explore view takes on the server (the target: within a
second at 2,000 target people).

A step is what the Step button makes the server do: the model's week, the weekly frame, the
live charts and the community at a glance drawn and encoded as PNG, and a person's circles
(drawn when that view is open). The browser adds the round trip and decoding on top; the
browser test prints that time (``pytest -s tests/test_app_browser.py``).

    python benchmarks/app_step.py [--people N] [--steps K] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import statistics
import time

from netmob.app import views
from netmob.app.circles import layout
from netmob.app.model import AppModel, default_scenario


def one_step(m: AppModel, person: int) -> dict[str, float]:
    """Seconds for each part of one Explore step (and a person's circles)."""
    out = {}
    t = time.perf_counter()
    m.step()
    out["model"] = time.perf_counter() - t
    t = time.perf_counter()
    views.png(views.weekly_figure(m.frame()))
    out["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    views.png(views.glance_figure(**m.glance()))
    out["glance"] = time.perf_counter() - t
    out["explore"] = out["model"] + out["charts"] + out["glance"]
    t = time.perf_counter()
    views.png(views.circles_figure(layout(m, person), "circles"))
    out["circles"] = time.perf_counter() - t
    return out


def main() -> None:
    """Step a model ``--steps`` times and print the median time of each part."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=None, help="target people (schema default)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--scenario", default=None, help="a library scenario (the app's default)")
    a = ap.parse_args()
    over = {} if a.people is None else {"population.n_people": a.people}
    m = AppModel(a.scenario or default_scenario(), seed=1, **over)
    for _ in range(10):  # a few weeks in, so that people are referred and reached
        m.step()
    person = int(m.referred_people()[0]) if len(m.referred_people()) else 0
    rows = [one_step(m, person) for _ in range(a.steps)]
    print(f"{m.n_target:,} target people, {m.scenario_name}, median of {a.steps} steps:")
    for part in ("model", "charts", "glance", "explore", "circles"):
        print(f"  {part:8s} {statistics.median(r[part] for r in rows):.3f} s")


if __name__ == "__main__":
    main()
